/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-export.c: the review report and the pseudonymised text as files (see the header).
 *
 * All are written on a worker thread, atomically (a temporary file renamed over the target),
 * so a crash never leaves half a report in the file (Akte). The key of a pseudonymised text
 * holds the original names: it goes to a file of its own, mode 0600, beside the text.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sichtung-export.h"
#include "sichtung-finding-item.h"

/* ------------------------------------------------------------------------------------------ */
/* The review report                                                                           */

typedef struct
{
  ScStore *store;
  gint64   case_id;
  GFile   *file;
} ReportData;

static void
report_data_free (ReportData *data)
{
  g_clear_object (&data->store);
  g_clear_object (&data->file);
  g_free (data);
}

static ScReportFormat
format_for_file (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = g_utf8_strdown (name, -1);

  if (g_str_has_suffix (lower, ".json"))
    return SC_REPORT_FORMAT_JSON;
  if (g_str_has_suffix (lower, ".csv"))
    return SC_REPORT_FORMAT_CSV;
  return SC_REPORT_FORMAT_PDF;
}

static void
report_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ReportData *data = task_data;
  g_autoptr(ScReport) report = NULL;
  g_autofree char *path = g_file_get_path (data->file);
  GError *error = NULL;

  if (path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s",
                               _("The report can only be saved to a local folder"));
      return;
    }
  report = sc_report_new_for_case (data->store, data->case_id, SC_REPORT_FLAGS_NONE, &error);
  if (report == NULL || !sc_report_write (report, format_for_file (data->file), path, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
sichtung_export_report_async (ScStore             *store,
                              gint64               case_id,
                              GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReportData *data;

  g_return_if_fail (SC_IS_STORE (store));
  g_return_if_fail (G_IS_FILE (file));

  data = g_new0 (ReportData, 1);
  data->store = g_object_ref (store);
  data->case_id = case_id;
  data->file = g_object_ref (file);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sichtung_export_report_async);
  g_task_set_task_data (task, data, (GDestroyNotify) report_data_free);
  g_task_run_in_thread (task, report_thread);
}

gboolean
sichtung_export_report_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* The backup                                                                                  */

static void
backup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autofree char *path = g_file_get_path (file);
  GError *error = NULL;

  if (path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s",
                               _("The backup can only be saved to a local folder"));
      return;
    }
  if (!sc_store_backup (SC_STORE (source_object), path, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
sichtung_export_backup_async (ScStore             *store,
                              GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SC_IS_STORE (store));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, sichtung_export_backup_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, backup_thread);
}

gboolean
sichtung_export_backup_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* The pseudonymised text                                                                      */

typedef struct
{
  ScDocument *document;
  GPtrArray  *findings; /* ScPageFinding*, the ones not rejected */
  GFile      *file;
  GFile      *key_file;
} PseudonymData;

static void
pseudonym_data_free (PseudonymData *data)
{
  g_clear_object (&data->document);
  g_clear_pointer (&data->findings, g_ptr_array_unref);
  g_clear_object (&data->file);
  g_clear_object (&data->key_file);
  g_free (data);
}

static void
pseudonym_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  PseudonymData *data = task_data;
  g_autoptr(ScPseudonymization) result = NULL;
  g_autofree char *text = sc_document_get_text (data->document);
  g_autofree char *key = NULL;
  g_autofree char *path = g_file_get_path (data->file);
  g_autofree char *key_path = g_file_get_path (data->key_file);
  const char *out;
  GError *error = NULL;

  if (path == NULL || key_path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s",
                               _("The text can only be saved to a local folder"));
      return;
    }

  result = sc_pseudonymize (text, data->findings, sc_pseudonymize_default_categories (),
                            SC_PSEUDONYMIZE_DEFAULT, &error);
  if (result == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  out = sc_pseudonymization_get_text (result);
  key = sc_pseudonymization_to_key_json (result);

  /* The key first: a text without its key could never be traced back. */
  if (!g_file_set_contents_full (key_path, key, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &error)
      || !g_file_set_contents_full (path, out, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644,
                                    &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
sichtung_export_pseudonymized_async (ScDocument          *document,
                                     GListModel          *findings,
                                     GFile               *file,
                                     GFile               *key_file,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PseudonymData *data;
  guint n;

  g_return_if_fail (SC_IS_DOCUMENT (document));
  g_return_if_fail (G_IS_LIST_MODEL (findings));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (G_IS_FILE (key_file));

  data = g_new0 (PseudonymData, 1);
  data->document = g_object_ref (document);
  data->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_page_finding_unref);
  data->file = g_object_ref (file);
  data->key_file = g_object_ref (key_file);

  /* A finding the clerk rejected is no personal data: it stays in the text. */
  n = g_list_model_get_n_items (findings);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SichtungFindingItem) item = g_list_model_get_item (findings, i);

      if (sichtung_finding_item_get_decision (item) != SICHTUNG_DECISION_REJECTED)
        g_ptr_array_add (data->findings,
                         sc_page_finding_ref (sichtung_finding_item_get_page_finding (item)));
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sichtung_export_pseudonymized_async);
  g_task_set_task_data (task, data, (GDestroyNotify) pseudonym_data_free);
  g_task_run_in_thread (task, pseudonym_thread);
}

gboolean
sichtung_export_pseudonymized_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* The window's actions                                                                        */

static void
toast (SichtungWindow *window,
       const char     *title)
{
  sichtung_window_add_toast (window, adw_toast_new (title));
}

/* Toast titles are markup: what goes into them is escaped. */
static char *
escaped_name (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);

  return g_markup_escape_text (name, -1);
}

typedef enum
{
  SAVING_REPORT,
  SAVING_PSEUDONYMIZED,
  SAVING_BACKUP,
} SavingKind;

typedef struct
{
  GWeakRef    window;
  GFile      *file;
  SavingKind  kind;
} Saving;

static Saving *
saving_new (SichtungWindow *window,
            GFile          *file,
            SavingKind      kind)
{
  Saving *saving = g_new0 (Saving, 1);

  g_weak_ref_init (&saving->window, window);
  saving->file = g_object_ref (file);
  saving->kind = kind;
  return saving;
}

static void
saving_free (Saving *saving)
{
  g_weak_ref_clear (&saving->window);
  g_object_unref (saving->file);
  g_free (saving);
}

/* The toast's title: where the file went (@name) or why it could not be saved (@reason);
 * both escaped for markup. */
static char *
describe_saving (SavingKind  kind,
                 const char *name,
                 const char *reason)
{
  switch (kind)
    {
    case SAVING_REPORT:
      if (reason != NULL)
        /* Translators: %s is the reason. */
        return g_strdup_printf (_("The review report could not be saved: %s"), reason);
      /* Translators: %s is a file name. */
      return g_strdup_printf (_("Review report saved as “%s”"), name);

    case SAVING_PSEUDONYMIZED:
      if (reason != NULL)
        /* Translators: %s is the reason. */
        return g_strdup_printf (_("The pseudonymised text could not be saved: %s"), reason);
      /* Translators: %s is a file name; the key file lies beside it. */
      return g_strdup_printf (_("Pseudonymised text saved as “%s”, its key beside it"), name);

    case SAVING_BACKUP:
    default:
      if (reason != NULL)
        /* Translators: %s is the reason. */
        return g_strdup_printf (_("The backup could not be saved: %s"), reason);
      /* Translators: %s is a file name. */
      return g_strdup_printf (_("Backup of all cases saved as “%s”"), name);
    }
}

/* Every export is a GTask returning a boolean: one callback says how each went. */
static void
saved_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Saving *saving = user_data;
  g_autoptr(SichtungWindow) window = g_weak_ref_get (&saving->window);
  g_autoptr(GError) error = NULL;
  gboolean saved = g_task_propagate_boolean (G_TASK (result), &error);

  if (window != NULL)
    {
      g_autofree char *name = escaped_name (saving->file);
      g_autofree char *reason = saved ? NULL : g_markup_escape_text (error->message, -1);
      g_autofree char *title = describe_saving (saving->kind, name, reason);

      toast (window, title);
    }
  saving_free (saving);
}

/* "text.txt" → "text.schluessel.json" in the same folder. */
static GFile *
key_file_for (GFile *file)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *name = g_file_get_basename (file);
  char *dot = strrchr (name, '.');
  g_autofree char *key_name = NULL;

  if (dot != NULL && dot != name)
    *dot = '\0';
  /* Translators: the end of the file name of a pseudonymised text's key, “bescheid” + it. */
  key_name = g_strconcat (name, _(".key.json"), NULL);
  return g_file_get_child (parent, key_name);
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  SichtungWindow *window = SICHTUNG_WINDOW (gtk_native_dialog_get_transient_for (chooser));
  SichtungExportSaveFunc save = (SichtungExportSaveFunc) user_data;

  if (response == GTK_RESPONSE_ACCEPT && window != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        save (window, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

void
sichtung_export_choose_file (SichtungWindow         *window,
                             const char             *title,
                             const char             *name,
                             SichtungExportSaveFunc  save)
{
  GtkFileChooserNative *chooser;

  g_return_if_fail (SICHTUNG_IS_WINDOW (window));
  g_return_if_fail (title != NULL && name != NULL);
  g_return_if_fail (save != NULL);

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (window),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), (gpointer) save);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gint64
current_case (SichtungWindow *window)
{
  return sichtung_case_sidebar_get_case_id (sichtung_window_get_case_sidebar (window));
}

static void
save_report (SichtungWindow *window,
             GFile          *file)
{
  sichtung_export_report_async (sichtung_window_get_store (window), current_case (window), file,
                                NULL, saved_cb, saving_new (window, file, SAVING_REPORT));
}

static void
save_pseudonymized (SichtungWindow *window,
                    GFile          *file)
{
  SichtungDocumentPane *pane = sichtung_window_get_active_pane (window);
  ScDocument *document = sichtung_document_pane_get_document (pane);
  g_autoptr(GFile) key_file = key_file_for (file);

  if (document == NULL)
    return;
  sichtung_export_pseudonymized_async (document, sichtung_document_pane_get_findings (pane), file,
                                       key_file, NULL, saved_cb,
                                       saving_new (window, file, SAVING_PSEUDONYMIZED));
}

static void
save_backup (SichtungWindow *window,
             GFile          *file)
{
  sichtung_export_backup_async (sichtung_window_get_store (window), file, NULL, saved_cb,
                                saving_new (window, file, SAVING_BACKUP));
}

static void
backup_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = NULL;

  /* Translators: the suggested file name of a backup of the cases; %s is today's date. */
  name = g_strdup_printf (_("cases-backup-%s.sqlite"), date);
  sichtung_export_choose_file (SICHTUNG_WINDOW (widget), _("Save a Backup of All Cases"), name,
                               save_backup);
}

static void
export_report_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  /* Translators: the suggested file name of a review report. */
  sichtung_export_choose_file (SICHTUNG_WINDOW (widget), _("Save the Review Report"),
                               _("review-report.pdf"), save_report);
}

static void
export_pseudonymized_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SichtungDocumentPane *pane = sichtung_window_get_active_pane (SICHTUNG_WINDOW (widget));
  const char *title = sichtung_document_pane_get_title (pane);
  g_autofree char *name = NULL;

  /* Translators: the suggested file name of a pseudonymised text; %s is the document's. */
  name = g_strdup_printf (_("%s (pseudonymised).txt"), title != NULL ? title : "");
  g_strdelimit (name, "/\\", '-');
  sichtung_export_choose_file (SICHTUNG_WINDOW (widget), _("Save the Pseudonymised Text"), name,
                               save_pseudonymized);
}

void
sichtung_export_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.export-report", NULL,
                                   export_report_action);
  gtk_widget_class_install_action (widget_class, "win.export-pseudonymized", NULL,
                                   export_pseudonymized_cb);
  gtk_widget_class_install_action (widget_class, "win.backup", NULL, backup_action);
}

void
sichtung_export_update_actions (SichtungWindow *window)
{
  SichtungDocumentPane *pane = sichtung_window_get_active_pane (window);

  gtk_widget_action_set_enabled (GTK_WIDGET (window), "win.export-report",
                                 sichtung_window_get_store (window) != NULL
                                 && current_case (window) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (window), "win.backup",
                                 sichtung_window_get_store (window) != NULL);
  /* Findings shown from the store count as much as a fresh analysis. */
  gtk_widget_action_set_enabled (GTK_WIDGET (window), "win.export-pseudonymized",
                                 sichtung_document_pane_get_document (pane) != NULL
                                 && !sichtung_document_pane_get_loading (pane)
                                 && !sichtung_document_pane_get_analyzing (pane)
                                 && (sichtung_document_pane_get_analysis (pane) != NULL
                                     || g_list_model_get_n_items (
                                          sichtung_document_pane_get_findings (pane)) > 0));
}
