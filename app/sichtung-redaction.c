/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-redaction.c: the redacted PDF of a stored document, saved or previewed (see the
 * header).
 *
 * What is redacted is what the case store holds, not what the findings list shows: the store
 * is where decisions are kept, and it is what the review report and `sichtung-cli redact
 * --case-db` read, so all three agree. Both the saving and the preview run on worker threads
 * (redaction rewrites every page's content); only their callbacks touch widgets.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sichtung-export.h"
#include "sichtung-redaction.h"

/* The leaks a dialog lists before it only counts the rest. */
#define MAX_LEAKS_LISTED 8

/* ------------------------------------------------------------------------------------------ */
/* The redaction, on a worker thread                                                          */

typedef struct
{
  ScStore           *store;
  gint64             document_id;
  ScDocument        *document;
  GFile             *file;     /* NULL for a preview */
  char              *name;
  ScRedactionReport *report;   /* once the redaction ran */
} RedactionData;

static void
redaction_data_free (RedactionData *data)
{
  g_clear_object (&data->store);
  g_clear_object (&data->document);
  g_clear_object (&data->file);
  g_free (data->name);
  g_clear_pointer (&data->report, sc_redaction_report_unref);
  g_free (data);
}

static RedactionData *
redaction_data_new (ScStore    *store,
                    gint64      document_id,
                    ScDocument *document)
{
  RedactionData *data = g_new0 (RedactionData, 1);

  data->store = g_object_ref (store);
  data->document_id = document_id;
  data->document = g_object_ref (document);
  return data;
}

/* The areas of every finding of @data's document accepted, corrected or added by hand. */
static GArray *
collect_redactions (RedactionData  *data,
                    GError        **error)
{
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GArray) redactions = NULL;

  findings = sc_store_list_findings (data->store, data->document_id, error);
  if (findings == NULL)
    return NULL;

  redactions = sc_redactions_new ();
  sc_redactions_add_decisions (redactions, findings, TRUE);
  if (redactions->len == 0)
    {
      g_set_error_literal (error, SC_ERROR, SC_ERROR_EMPTY,
                           _("No finding was accepted, corrected or added, so there is "
                             "nothing to redact"));
      return NULL;
    }
  return g_steal_pointer (&redactions);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  RedactionData *data = task_data;
  g_autoptr(GArray) redactions = NULL;
  g_autoptr(GBytes) input = NULL;
  GError *error = NULL;

  redactions = collect_redactions (data, &error);
  if (redactions == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The PDF the pages are shown from: the stored page boxes lie in its coordinates, also
   * for a text document, whose stored content is the text and not this PDF. */
  input = sc_document_get_pdf_data (data->document);
  if (!sc_redact_pdf_to_file (input, NULL, redactions, SC_REDACT_LABELS, data->file,
                              &data->report, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
sichtung_redaction_save_async (ScStore             *store,
                               gint64               document_id,
                               ScDocument          *document,
                               GFile               *file,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RedactionData *data;
  GFile *original;

  g_return_if_fail (SC_IS_STORE (store));
  g_return_if_fail (document_id > 0);
  g_return_if_fail (SC_IS_DOCUMENT (document));
  g_return_if_fail (G_IS_FILE (file));

  data = redaction_data_new (store, document_id, document);
  data->file = g_object_ref (file);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sichtung_redaction_save_async);
  g_task_set_task_data (task, data, (GDestroyNotify) redaction_data_free);

  /* Replacing the original would leave the case without the document its decisions were
   * made on. */
  original = sc_document_get_file (document);
  if (original != NULL && g_file_equal (original, file))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_EXISTS, "%s",
                               _("The redacted PDF must not replace the original document"));
      return;
    }
  g_task_run_in_thread (task, save_thread);
}

gboolean
sichtung_redaction_save_finish (GAsyncResult       *result,
                                ScRedactionReport **report,
                                GError            **error)
{
  RedactionData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sichtung_redaction_save_async,
                        FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (report != NULL)
    *report = data->report != NULL ? sc_redaction_report_ref (data->report) : NULL;
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
preview_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RedactionData *data = task_data;
  g_autoptr(GArray) redactions = NULL;
  g_autoptr(GBytes) input = NULL;
  g_autoptr(GBytes) output = NULL;
  ScDocument *redacted;
  GError *error = NULL;

  redactions = collect_redactions (data, &error);
  if (redactions != NULL)
    {
      input = sc_document_get_pdf_data (data->document);
      output = sc_redact_pdf (input, NULL, redactions, SC_REDACT_LABELS, NULL, cancellable,
                              &error);
    }
  if (output == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  redacted = sc_document_new_from_bytes (output, data->name, NULL, &error);
  if (redacted == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, redacted, g_object_unref);
}

void
sichtung_redaction_preview_async (ScStore             *store,
                                  gint64               document_id,
                                  ScDocument          *document,
                                  const char          *name,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RedactionData *data;

  g_return_if_fail (SC_IS_STORE (store));
  g_return_if_fail (document_id > 0);
  g_return_if_fail (SC_IS_DOCUMENT (document));

  data = redaction_data_new (store, document_id, document);
  data->name = g_strdup (name);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sichtung_redaction_preview_async);
  g_task_set_task_data (task, data, (GDestroyNotify) redaction_data_free);
  g_task_run_in_thread (task, preview_thread);
}

ScDocument *
sichtung_redaction_preview_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* Saving                                                                                     */

typedef struct
{
  GWeakRef  window;
  GFile    *file;
} Saving;

static void
saving_free (Saving *saving)
{
  g_weak_ref_clear (&saving->window);
  g_object_unref (saving->file);
  g_free (saving);
}

/* The check found a leak: nothing was written, and a dialog says what would have shown. A
 * dialog rather than a toast, since the clerk has to read the list and act on it. */
static void
show_leaks (SichtungWindow    *window,
            const char        *name,
            ScRedactionReport *report)
{
  g_autoptr(GString) body = g_string_new (NULL);
  GtkWidget *dialog;
  guint n_leaks = report != NULL ? report->leaks->len : 0;

  /* Translators: %s is a file name. A list of what the check found follows. */
  g_string_printf (body, _("The check of the redacted file found that it would still show what "
                           "it should hide, so “%s” was not written. Correct or add the "
                           "findings concerned and save again."), name);
  for (guint i = 0; i < n_leaks && i < MAX_LEAKS_LISTED; i++)
    g_string_append_printf (body, "\n\n• %s", (const char *) g_ptr_array_index (report->leaks,
                                                                                i));
  if (n_leaks > MAX_LEAKS_LISTED)
    {
      guint n_more = n_leaks - MAX_LEAKS_LISTED;

      g_string_append (body, "\n\n");
      g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "… and %u more",
                                                 "… and %u more", n_more), n_more);
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (window), _("The Redacted PDF Was Not Saved"),
                                   body->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
saved_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Saving *saving = user_data;
  g_autoptr(SichtungWindow) window = g_weak_ref_get (&saving->window);
  g_autoptr(ScRedactionReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = g_file_get_basename (saving->file);
  g_autofree char *name = NULL;   /* toast titles are markup */
  g_autofree char *title = NULL;
  gboolean saved;

  saved = sichtung_redaction_save_finish (result, &report, &error);
  if (window == NULL)
    {
      saving_free (saving);
      return;
    }

  name = g_markup_escape_text (basename, -1);
  if (saved)
    {
      guint n = report->n_redactions;

      /* Translators: %u is the number of areas blacked out, %s a file name. */
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u area redacted, check passed: saved as “%s”",
                                            "%u areas redacted, check passed: saved as “%s”",
                                            n),
                               n, name);
      sichtung_window_add_toast (window, adw_toast_new (title));
    }
  else if (g_error_matches (error, SC_ERROR, SC_ERROR_LEAK))
    {
      show_leaks (window, basename, report);
    }
  else
    {
      g_autofree char *reason = g_markup_escape_text (error->message, -1);

      /* Translators: %s is the reason. */
      title = g_strdup_printf (_("The redacted PDF could not be saved: %s"), reason);
      sichtung_window_add_toast (window, adw_toast_new (title));
    }
  saving_free (saving);
}

gboolean
sichtung_redaction_can_redact (SichtungDocumentPane *pane)
{
  GListModel *findings;
  guint n;

  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (pane), FALSE);

  if (sichtung_document_pane_get_store (pane) == NULL
      || sichtung_document_pane_get_document (pane) == NULL
      || sichtung_document_pane_get_document_id (pane) <= 0
      || sichtung_document_pane_get_preview (pane)
      || sichtung_document_pane_get_loading (pane)
      || sichtung_document_pane_get_analyzing (pane))
    return FALSE;

  /* A finding added by hand shows as accepted. */
  findings = sichtung_document_pane_get_findings (pane);
  n = g_list_model_get_n_items (findings);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SichtungFindingItem) item = g_list_model_get_item (findings, i);
      SichtungDecision decision = sichtung_finding_item_get_decision (item);

      if (decision == SICHTUNG_DECISION_ACCEPTED || decision == SICHTUNG_DECISION_EDITED)
        return TRUE;
    }
  return FALSE;
}

void
sichtung_redaction_save (SichtungWindow *window,
                         GFile          *file)
{
  SichtungDocumentPane *pane;
  Saving *saving;

  g_return_if_fail (SICHTUNG_IS_WINDOW (window));
  g_return_if_fail (G_IS_FILE (file));

  pane = sichtung_window_get_active_pane (window);
  if (!sichtung_redaction_can_redact (pane))
    return;

  saving = g_new0 (Saving, 1);
  g_weak_ref_init (&saving->window, window);
  saving->file = g_object_ref (file);
  sichtung_redaction_save_async (sichtung_document_pane_get_store (pane),
                                 sichtung_document_pane_get_document_id (pane),
                                 sichtung_document_pane_get_document (pane), file, NULL,
                                 saved_cb, saving);
}

static void
export_redacted_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SichtungDocumentPane *pane = sichtung_window_get_active_pane (SICHTUNG_WINDOW (widget));
  GFile *file = sichtung_document_pane_get_file (pane);
  const char *title = sichtung_document_pane_get_title (pane);
  g_autofree char *stem = NULL;
  g_autofree char *name = NULL;
  char *dot;

  /* The file's name where there is one: a PDF's metadata title may be a whole sentence. */
  if (file != NULL)
    stem = g_file_get_basename (file);
  else
    stem = g_strdup (title != NULL ? title : "");
  dot = strrchr (stem, '.');

  /* “bescheid.pdf” → “bescheid-geschwaerzt.pdf” */
  if (dot != NULL && dot != stem)
    *dot = '\0';
  /* Translators: the suggested file name of a redacted PDF; %s is the document's, without
   * its extension. Keep it free of umlauts. */
  name = g_strdup_printf (_("%s-redacted.pdf"), stem);
  g_strdelimit (name, "/\\", '-');
  sichtung_export_choose_file (SICHTUNG_WINDOW (widget), _("Save the Redacted PDF"), name,
                               sichtung_redaction_save);
}

/* ------------------------------------------------------------------------------------------ */
/* The preview                                                                                */

typedef struct
{
  GWeakRef  window;
  GWeakRef  pane;    /* where the preview goes */
  char     *title;
} Preview;

static void
preview_free (Preview *preview)
{
  g_weak_ref_clear (&preview->window);
  g_weak_ref_clear (&preview->pane);
  g_free (preview->title);
  g_free (preview);
}

static void
preview_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Preview *preview = user_data;
  g_autoptr(SichtungWindow) window = g_weak_ref_get (&preview->window);
  g_autoptr(SichtungDocumentPane) pane = g_weak_ref_get (&preview->pane);
  g_autoptr(ScDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = sichtung_redaction_preview_finish (result, &error);
  if (window == NULL || pane == NULL)
    {
      preview_free (preview);
      return;
    }

  if (document == NULL)
    {
      g_autofree char *reason = g_markup_escape_text (error->message, -1);
      g_autofree char *title = NULL;

      /* Translators: %s is the reason. Toast titles are markup. */
      title = g_strdup_printf (_("The redaction preview could not be made: %s"), reason);
      sichtung_window_add_toast (window, adw_toast_new (title));
      preview_free (preview);
      return;
    }

  if (pane == sichtung_window_get_pane (window, SICHTUNG_PANE_RIGHT))
    sichtung_window_set_side_by_side (window, TRUE);
  sichtung_document_pane_show_preview (pane, document, preview->title,
                                       _("A preview of the redacted document, from the "
                                         "decisions so far: it is neither saved nor analysed. "
                                         "“Save Redacted PDF…” in the main menu saves it and "
                                         "checks it for leaks."));
  preview_free (preview);
}

static void
redaction_preview_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  SichtungWindow *window = SICHTUNG_WINDOW (widget);
  SichtungDocumentPane *pane = sichtung_window_get_active_pane (window);
  SichtungDocumentPane *left = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  SichtungDocumentPane *other = pane == left ? sichtung_window_get_pane (window,
                                                                         SICHTUNG_PANE_RIGHT)
                                             : left;
  const char *name = sichtung_document_pane_get_title (pane);
  Preview *preview;

  if (!sichtung_redaction_can_redact (pane))
    return;

  preview = g_new0 (Preview, 1);
  g_weak_ref_init (&preview->window, window);
  g_weak_ref_init (&preview->pane, other);
  /* Translators: the title of the preview of a redacted document; %s is its title. */
  preview->title = g_strdup_printf (_("Preview: %s (redacted)"), name);
  sichtung_redaction_preview_async (sichtung_document_pane_get_store (pane),
                                    sichtung_document_pane_get_document_id (pane),
                                    sichtung_document_pane_get_document (pane), name, NULL,
                                    preview_cb, preview);
}

/* ------------------------------------------------------------------------------------------ */
/* The window's actions                                                                       */

void
sichtung_redaction_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.export-redacted", NULL,
                                   export_redacted_action);
  gtk_widget_class_install_action (widget_class, "win.redaction-preview", NULL,
                                   redaction_preview_action);
}

void
sichtung_redaction_update_actions (SichtungWindow *window)
{
  gboolean can_redact;

  g_return_if_fail (SICHTUNG_IS_WINDOW (window));

  can_redact = sichtung_redaction_can_redact (sichtung_window_get_active_pane (window));
  gtk_widget_action_set_enabled (GTK_WIDGET (window), "win.export-redacted", can_redact);
  gtk_widget_action_set_enabled (GTK_WIDGET (window), "win.redaction-preview", can_redact);
}
