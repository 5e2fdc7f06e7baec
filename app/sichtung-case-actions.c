/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-case-actions.c: renaming and deleting cases, removing documents (see the header).
 *
 * Store calls here are single small transactions and run on the main thread, as the
 * sidebar's reads do. A document leaves the panes before it leaves the store: a pane still
 * showing it would write decisions on findings that no longer exist.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <glib/gi18n.h>

#include "sichtung-case-actions.h"
#include "sichtung-rename-case-dialog.h"

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static gint64
current_case (SichtungWindow *window)
{
  return sichtung_case_sidebar_get_case_id (sichtung_window_get_case_sidebar (window));
}

/* The case @case_id as the store lists it, or NULL. */
static ScStoreCase *
find_case (ScStore *store,
           gint64   case_id)
{
  g_autoptr(GPtrArray) cases = sc_store_list_cases (store, NULL);

  for (guint i = 0; cases != NULL && i < cases->len; i++)
    {
      ScStoreCase *store_case = g_ptr_array_index (cases, i);

      if (store_case->id == case_id)
        return sc_store_case_ref (store_case);
    }
  return NULL;
}

/* Document @document_id of case @case_id, or NULL. */
static ScStoreDocument *
find_document (ScStore *store,
               gint64   case_id,
               gint64   document_id)
{
  g_autoptr(GPtrArray) documents = sc_store_list_documents (store, case_id, NULL);

  for (guint i = 0; documents != NULL && i < documents->len; i++)
    {
      ScStoreDocument *document = g_ptr_array_index (documents, i);

      if (document->id == document_id)
        return sc_store_document_ref (document);
    }
  return NULL;
}

/* A toast that says what failed; @title is markup. */
static void
toast_error (SichtungWindow *window,
             const char     *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  sichtung_window_add_toast (window, toast);
}

/* Closes each pane that shows one of @ids (@n_ids of them) or is loading a document (which
 * may be one of them); with @case_id > 0 also one whose document is not stored yet but
 * being added to that case. */
static void
close_panes (SichtungWindow *window,
             const gint64   *ids,
             guint           n_ids,
             gint64          case_id)
{
  for (guint p = 0; p < 2; p++)
    {
      SichtungDocumentPane *pane = sichtung_window_get_pane (window, p == 0 ? SICHTUNG_PANE_LEFT
                                                                             : SICHTUNG_PANE_RIGHT);
      gint64 shown = sichtung_document_pane_get_document_id (pane);
      gboolean close = sichtung_document_pane_get_loading (pane);

      for (guint i = 0; i < n_ids && !close; i++)
        close = shown == ids[i];
      if (case_id > 0 && shown == 0 && sichtung_document_pane_get_document (pane) != NULL
          && sichtung_document_pane_get_case_id (pane) == case_id)
        close = TRUE;
      if (close)
        sichtung_document_pane_close (pane);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The work                                                                                   */

gboolean
sichtung_case_actions_rename (SichtungWindow  *window,
                              gint64           case_id,
                              const char      *title,
                              const char      *reference,
                              GError         **error)
{
  ScStore *store;
  g_autofree char *stripped = NULL;
  g_autofree char *stripped_reference = NULL;

  g_return_val_if_fail (SICHTUNG_IS_WINDOW (window), FALSE);
  g_return_val_if_fail (case_id > 0, FALSE);
  g_return_val_if_fail (title != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  store = sichtung_window_get_store (window);
  if (store == NULL)
    {
      g_set_error_literal (error, SC_ERROR, SC_ERROR_IO, _("The cases are not available"));
      return FALSE;
    }
  stripped = g_strstrip (g_strdup (title));
  if (stripped[0] == '\0')
    {
      g_set_error_literal (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                           _("A case needs a title"));
      return FALSE;
    }
  stripped_reference = g_strstrip (g_strdup (reference != NULL ? reference : ""));

  if (!sc_store_rename_case (store, case_id, stripped, stripped_reference, error))
    return FALSE;
  sichtung_case_sidebar_reload (sichtung_window_get_case_sidebar (window));
  return TRUE;
}

gboolean
sichtung_case_actions_delete (SichtungWindow  *window,
                              gint64           case_id,
                              GError         **error)
{
  ScStore *store;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_return_val_if_fail (SICHTUNG_IS_WINDOW (window), FALSE);
  g_return_val_if_fail (case_id > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  store = sichtung_window_get_store (window);
  if (store == NULL)
    {
      g_set_error_literal (error, SC_ERROR, SC_ERROR_IO, _("The cases are not available"));
      return FALSE;
    }
  documents = sc_store_list_documents (store, case_id, error);
  if (documents == NULL)
    return FALSE;
  for (guint i = 0; i < documents->len; i++)
    g_array_append_val (ids, ((ScStoreDocument *) g_ptr_array_index (documents, i))->id);

  close_panes (window, (const gint64 *) (gpointer) ids->data, ids->len, case_id);
  if (!sc_store_delete_case (store, case_id, error))
    return FALSE;
  /* An id the store no longer has gives way to the newest case, or the empty state. */
  sichtung_case_sidebar_reload (sichtung_window_get_case_sidebar (window));
  return TRUE;
}

gboolean
sichtung_case_actions_remove_document (SichtungWindow  *window,
                                       gint64           document_id,
                                       GError         **error)
{
  ScStore *store;

  g_return_val_if_fail (SICHTUNG_IS_WINDOW (window), FALSE);
  g_return_val_if_fail (document_id > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  store = sichtung_window_get_store (window);
  if (store == NULL)
    {
      g_set_error_literal (error, SC_ERROR, SC_ERROR_IO, _("The cases are not available"));
      return FALSE;
    }

  close_panes (window, &document_id, 1, 0);
  if (!sc_store_remove_document (store, document_id, error))
    return FALSE;
  sichtung_case_sidebar_reload (sichtung_window_get_case_sidebar (window));
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Dialogs                                                                                    */

/* What a dialog's response acts on. The window is held weakly: it may close first. */
typedef struct
{
  GWeakRef window;
  gint64   id;
} Pending;

static Pending *
pending_new (SichtungWindow *window,
             gint64          id)
{
  Pending *pending = g_new0 (Pending, 1);

  g_weak_ref_init (&pending->window, window);
  pending->id = id;
  return pending;
}

static void
pending_free (gpointer  data,
              GClosure *closure)
{
  Pending *pending = data;

  g_weak_ref_clear (&pending->window);
  g_free (pending);
}

static void
rename_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    Pending          *pending)
{
  g_autoptr(SichtungWindow) window = g_weak_ref_get (&pending->window);
  SichtungRenameCaseDialog *rename = SICHTUNG_RENAME_CASE_DIALOG (dialog);
  g_autofree char *title = NULL;
  g_autofree char *reference = NULL;
  g_autoptr(GError) error = NULL;

  if (window == NULL || g_strcmp0 (response, "rename") != 0)
    return;

  title = sichtung_rename_case_dialog_dup_case_title (rename);
  reference = sichtung_rename_case_dialog_dup_reference (rename);
  if (!sichtung_case_actions_rename (window, pending->id, title, reference, &error))
    {
      g_autofree char *reason = g_markup_escape_text (error->message, -1);
      g_autofree char *message = NULL;

      /* Translators: %s is the reason. Toast titles are markup. */
      message = g_strdup_printf (_("The case could not be renamed: %s"), reason);
      toast_error (window, message);
    }
}

static void
rename_case_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SichtungWindow *window = SICHTUNG_WINDOW (widget);
  ScStore *store = sichtung_window_get_store (window);
  g_autoptr(ScStoreCase) store_case = NULL;
  GtkWidget *dialog;

  if (store == NULL || (store_case = find_case (store, current_case (window))) == NULL)
    return;

  dialog = sichtung_rename_case_dialog_new (GTK_WINDOW (window), store_case->title,
                                            store_case->reference);
  g_signal_connect_data (dialog, "response", G_CALLBACK (rename_response_cb),
                         pending_new (window, store_case->id), pending_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    Pending          *pending)
{
  g_autoptr(SichtungWindow) window = g_weak_ref_get (&pending->window);
  g_autoptr(GError) error = NULL;

  if (window == NULL || g_strcmp0 (response, "delete") != 0)
    return;

  if (!sichtung_case_actions_delete (window, pending->id, &error))
    {
      g_autofree char *reason = g_markup_escape_text (error->message, -1);
      g_autofree char *title = NULL;

      /* Translators: %s is the reason. Toast titles are markup. */
      title = g_strdup_printf (_("The case could not be deleted: %s"), reason);
      toast_error (window, title);
    }
}

/* An AdwMessageDialog asking to confirm a destructive @response labelled @label; the
 * safe answer is the default. */
static GtkWidget *
new_confirmation (SichtungWindow *window,
                  const char     *heading,
                  const char     *body,
                  const char     *response,
                  const char     *label)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (window), heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    response, label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), response,
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  return dialog;
}

static void
delete_case_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SichtungWindow *window = SICHTUNG_WINDOW (widget);
  ScStore *store = sichtung_window_get_store (window);
  g_autoptr(ScStoreCase) store_case = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autofree char *n_documents = NULL;
  g_autofree char *n_decisions = NULL;
  g_autofree char *body = NULL;
  g_autofree char *heading = NULL;
  guint decided = 0;
  GtkWidget *dialog;

  if (store == NULL || (store_case = find_case (store, current_case (window))) == NULL)
    return;
  documents = sc_store_list_documents (store, store_case->id, NULL);
  for (guint i = 0; documents != NULL && i < documents->len; i++)
    {
      ScStoreDocument *document = g_ptr_array_index (documents, i);

      decided += document->n_findings - document->n_open_findings;
    }

  /* Translators: part of “… goes with it: 3 documents and 12 decisions on findings.” */
  n_documents = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u document", "%u documents",
                                              store_case->n_documents),
                                 store_case->n_documents);
  /* Translators: part of “… goes with it: 3 documents and 12 decisions on findings.” */
  n_decisions = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u decision on findings",
                                              "%u decisions on findings", decided),
                                 decided);
  /* Translators: %s is the title of a case. */
  heading = g_strdup_printf (_("Delete “%s”?"), store_case->title);
  /* Translators: the first %s is e.g. “3 documents”, the second “12 decisions on
   * findings”. */
  body = g_strdup_printf (_("Everything in the case goes with it: %s and %s. This cannot be "
                            "undone. The audit log keeps a record that the case was deleted, "
                            "without its content."),
                          n_documents, n_decisions);
  dialog = new_confirmation (window, heading, body, "delete", _("_Delete Case"));
  g_signal_connect_data (dialog, "response", G_CALLBACK (delete_response_cb),
                         pending_new (window, store_case->id), pending_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    Pending          *pending)
{
  g_autoptr(SichtungWindow) window = g_weak_ref_get (&pending->window);
  g_autoptr(GError) error = NULL;

  if (window == NULL || g_strcmp0 (response, "remove") != 0)
    return;

  if (!sichtung_case_actions_remove_document (window, pending->id, &error))
    {
      g_autofree char *reason = g_markup_escape_text (error->message, -1);
      g_autofree char *title = NULL;

      /* Translators: %s is the reason. Toast titles are markup. */
      title = g_strdup_printf (_("The document could not be removed: %s"), reason);
      toast_error (window, title);
    }
}

static void
remove_document_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SichtungWindow *window = SICHTUNG_WINDOW (widget);
  ScStore *store = sichtung_window_get_store (window);
  gint64 document_id = g_variant_get_int64 (parameter);
  g_autoptr(ScStoreDocument) document = NULL;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  /* The sidebar lists the documents of the current case only. */
  if (store == NULL
      || (document = find_document (store, current_case (window), document_id)) == NULL)
    return;

  /* Translators: %s is a document's name. */
  heading = g_strdup_printf (_("Remove “%s” From the Case?"), document->name);
  dialog = new_confirmation (window, heading,
                             _("The document is removed from the case with its findings and "
                               "the decisions on them. This cannot be undone. The audit log "
                               "keeps a record of the removal."),
                             "remove", _("_Remove"));
  g_signal_connect_data (dialog, "response", G_CALLBACK (remove_response_cb),
                         pending_new (window, document->id), pending_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

void
sichtung_case_actions_install (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.rename-case", NULL, rename_case_action);
  gtk_widget_class_install_action (widget_class, "win.delete-case", NULL, delete_case_action);
  gtk_widget_class_install_action (widget_class, "win.remove-document", "x",
                                   remove_document_action);
}

void
sichtung_case_actions_update (SichtungWindow *window)
{
  gboolean has_store = sichtung_window_get_store (window) != NULL;
  gboolean has_case = has_store && current_case (window) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (window), "win.rename-case", has_case);
  gtk_widget_action_set_enabled (GTK_WIDGET (window), "win.delete-case", has_case);
  gtk_widget_action_set_enabled (GTK_WIDGET (window), "win.remove-document", has_store);
}
