/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-cases-ui.c: managing cases from the window: a case renamed through its dialog (and
 * an empty title refused), a document removed from its case with Delete, a case deleted
 * with the panes showing it closed and the sidebar falling back to another case or the empty
 * state, and a backup restored that undoes what was changed since. Runs under xvfb-run. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "sichtung-case-actions.h"
#include "sichtung-export.h"
#include "sichtung-rename-case-dialog.h"
#include "sichtung-restore.h"
#include "sc-test-ui.h"
#include "sc-test-util.h"

#define WAIT_UNTIL(condition) SC_TEST_WAIT_UNTIL (condition, 60000)

static void
done_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* A sample copied to @dir: outside data/samples it goes to the current case, not to the
 * sample case. */
static GFile *
copy_sample (const char *word,
             const char *dir)
{
  g_autoptr(GFile) sample = sc_test_ui_find_sample (word);
  g_autofree char *name = g_file_get_basename (sample);
  GFile *copy = g_file_new_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_copy (sample, copy, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return copy;
}

static ScStoreCase *
stored_case (ScStore *store,
             gint64   case_id)
{
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GError) error = NULL;

  cases = sc_store_list_cases (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < cases->len; i++)
    if (((ScStoreCase *) g_ptr_array_index (cases, i))->id == case_id)
      return sc_store_case_ref (g_ptr_array_index (cases, i));
  return NULL;
}

static guint
n_cases (ScStore *store)
{
  g_autoptr(GPtrArray) cases = sc_store_list_cases (store, NULL);

  g_assert_nonnull (cases);
  return cases->len;
}

static guint
n_documents (ScStore *store,
             gint64   case_id)
{
  g_autoptr(GPtrArray) documents = sc_store_list_documents (store, case_id, NULL);

  g_assert_nonnull (documents);
  return documents->len;
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

/* Whether the sidebar's list shows a case titled @title. */
static gboolean
sidebar_shows (SichtungCaseSidebar *sidebar,
               const char          *title)
{
  GtkWidget *list = GTK_WIDGET (sichtung_case_sidebar_get_case_list (sidebar));

  return sc_test_ui_find_widget (list, is_label_with_text, title) != NULL;
}

static gboolean
is_document_row (GtkWidget     *widget,
                 gconstpointer  id)
{
  ScStoreDocument *document;

  if (!GTK_IS_LIST_BOX_ROW (widget))
    return FALSE;
  document = g_object_get_data (G_OBJECT (widget), "sichtung-document");
  return document != NULL && document->id == *(const gint64 *) id;
}

static const char *
last_audit_action (ScStore *store)
{
  static char action[64];
  g_autoptr(GPtrArray) log = sc_store_list_audit (store, 0, NULL);

  g_assert_nonnull (log);
  g_assert_cmpuint (log->len, >, 0);
  g_strlcpy (action, ((ScStoreAuditEntry *) g_ptr_array_index (log, log->len - 1))->action,
             sizeof action);
  return action;
}

/* The dialog the last action opened, answered with @response. */
static void
answer (GType       type,
        const char *response)
{
  GtkWindow *dialog = sc_test_ui_find_toplevel (type);

  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  sc_test_spin (50);
  if ((dialog = sc_test_ui_find_toplevel (type)) != NULL)
    gtk_window_destroy (dialog);
}

static void
test_cases (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sichtung-cases-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "faelle.sqlite", NULL);
  g_autoptr(GFile) notice = copy_sample ("bescheid", dir);
  g_autoptr(GFile) objection = copy_sample ("widerspruch", dir);
  g_autoptr(ScStore) store = NULL;
  g_autoptr(ScStoreCase) renamed = NULL;
  g_autoptr(GError) error = NULL;
  SichtungWindow *window;
  SichtungCaseSidebar *sidebar;
  SichtungDocumentPane *left, *right;
  SichtungRenameCaseDialog *rename;
  GtkWidget *row;
  gint64 other_id, case_id, objection_id;

  store = sc_store_open (db, &error);
  g_assert_no_error (error);
  window = sc_test_ui_new_window (store);
  sidebar = sichtung_window_get_case_sidebar (window);
  left = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  right = sichtung_window_get_pane (window, SICHTUNG_PANE_RIGHT);

  other_id = sichtung_case_sidebar_create_case (sidebar, "Anderer Vorgang", NULL, &error);
  g_assert_no_error (error);
  case_id = sichtung_case_sidebar_create_case (sidebar, "Bauantrag", "63-2024-0001", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sichtung_case_sidebar_get_case_id (sidebar), ==, case_id);

  /* A case with two documents, side by side. */
  sichtung_window_open (window, notice, SICHTUNG_PANE_LEFT);
  sichtung_window_open (window, objection, SICHTUNG_PANE_RIGHT);
  WAIT_UNTIL (sc_test_ui_pane_analysed (left) && sc_test_ui_pane_analysed (right)
              && sichtung_document_pane_get_document_id (left) > 0
              && sichtung_document_pane_get_document_id (right) > 0);
  g_assert_cmpuint (n_documents (store, case_id), ==, 2);
  objection_id = sichtung_document_pane_get_document_id (right);

  /* Rename through the dialog: prefilled, an empty title refused with a hint. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.rename-case", NULL));
  rename = SICHTUNG_RENAME_CASE_DIALOG (sc_test_ui_find_toplevel (
                                          SICHTUNG_TYPE_RENAME_CASE_DIALOG));
  g_assert_nonnull (rename);
  {
    g_autofree char *title = sichtung_rename_case_dialog_dup_case_title (rename);
    g_autofree char *reference = sichtung_rename_case_dialog_dup_reference (rename);

    g_assert_cmpstr (title, ==, "Bauantrag");
    g_assert_cmpstr (reference, ==, "63-2024-0001");
  }
  g_assert_false (sichtung_rename_case_dialog_get_title_missing (rename));
  gtk_editable_set_text (GTK_EDITABLE (sichtung_rename_case_dialog_get_title_row (rename)), " ");
  g_assert_true (sichtung_rename_case_dialog_get_title_missing (rename));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (rename),
                                                           "rename"));
  gtk_editable_set_text (GTK_EDITABLE (sichtung_rename_case_dialog_get_title_row (rename)),
                         "Widerspruch Müller");
  gtk_editable_set_text (GTK_EDITABLE (sichtung_rename_case_dialog_get_reference_row (rename)),
                         "63-2024-0815");
  g_assert_false (sichtung_rename_case_dialog_get_title_missing (rename));
  answer (SICHTUNG_TYPE_RENAME_CASE_DIALOG, "rename");
  renamed = stored_case (store, case_id);
  g_assert_nonnull (renamed);
  g_assert_cmpstr (renamed->title, ==, "Widerspruch Müller");
  g_assert_cmpstr (renamed->reference, ==, "63-2024-0815");
  g_assert_true (sidebar_shows (sidebar, "Widerspruch Müller"));
  g_assert_false (sidebar_shows (sidebar, "Bauantrag"));
  g_assert_cmpstr (last_audit_action (store), ==, "case-renamed");

  /* The function the dialog calls refuses an empty title; F2 in the sidebar asks again. */
  g_assert_false (sichtung_case_actions_rename (window, case_id, "  ", NULL, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  sc_test_ui_press_key (GTK_WIDGET (sidebar), GDK_KEY_F2, 0);
  answer (SICHTUNG_TYPE_RENAME_CASE_DIALOG, "cancel");
  g_clear_pointer (&renamed, sc_store_case_unref);
  renamed = stored_case (store, case_id);
  g_assert_cmpstr (renamed->title, ==, "Widerspruch Müller");

  /* Delete on a document row asks; removing it closes the pane that shows it. */
  row = sc_test_ui_find_widget (GTK_WIDGET (sichtung_case_sidebar_get_case_list (sidebar)),
                                is_document_row, &objection_id);
  g_assert_nonnull (row);
  sc_test_ui_press_key (row, GDK_KEY_Delete, 0);
  answer (ADW_TYPE_MESSAGE_DIALOG, "remove");
  g_assert_cmpuint (n_documents (store, case_id), ==, 1);
  g_assert_null (sichtung_document_pane_get_document (right));
  g_assert_cmpint (sichtung_document_pane_get_document_id (right), ==, 0);
  g_assert_nonnull (sichtung_document_pane_get_document (left));
  g_assert_cmpstr (last_audit_action (store), ==, "document-removed");
  row = sc_test_ui_find_widget (GTK_WIDGET (sichtung_case_sidebar_get_case_list (sidebar)),
                                is_document_row, &objection_id);
  g_assert_null (row);

  /* Deleting the case closes the other pane; the sidebar falls back to the other case. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.delete-case", NULL));
  answer (ADW_TYPE_MESSAGE_DIALOG, "delete");
  g_assert_null (stored_case (store, case_id));
  g_assert_null (sichtung_document_pane_get_document (left));
  g_assert_true (sichtung_window_is_empty (window));
  g_assert_cmpint (sichtung_case_sidebar_get_case_id (sidebar), ==, other_id);
  g_assert_cmpstr (sichtung_case_sidebar_get_page (sidebar), ==, "cases");
  g_assert_false (sidebar_shows (sidebar, "Widerspruch Müller"));
  g_assert_cmpstr (last_audit_action (store), ==, "case-deleted");

  /* The last case gone: the empty state. */
  g_assert_true (sichtung_case_actions_delete (window, other_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sichtung_case_sidebar_get_case_id (sidebar), ==, 0);
  g_assert_cmpstr (sichtung_case_sidebar_get_page (sidebar), ==, "empty");
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.rename-case", NULL)
                  && sc_test_ui_find_toplevel (SICHTUNG_TYPE_RENAME_CASE_DIALOG) != NULL);

  sc_test_ui_destroy_window (window);
  g_clear_object (&store);
  sc_test_remove_tree (dir);
}

static void
test_restore (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sichtung-restore-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "faelle.sqlite", NULL);
  g_autoptr(GFile) notice = copy_sample ("bescheid", dir);
  g_autoptr(GFile) backup = g_file_new_build_filename (dir, "sicherung.sqlite", NULL);
  g_autoptr(GFile) not_a_backup = g_file_new_build_filename (dir, "03-bescheid.txt", NULL);
  g_autoptr(ScStore) store = NULL;
  g_autoptr(ScStoreCase) restored = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SichtungWindow *window;
  SichtungCaseSidebar *sidebar;
  SichtungDocumentPane *left;
  gint64 case_id, later_id;

  store = sc_store_open (db, &error);
  g_assert_no_error (error);
  window = sc_test_ui_new_window (store);
  sidebar = sichtung_window_get_case_sidebar (window);
  left = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  case_id = sichtung_case_sidebar_create_case (sidebar, "Vor der Sicherung", NULL, &error);
  g_assert_no_error (error);
  sichtung_window_open (window, notice, SICHTUNG_PANE_LEFT);
  WAIT_UNTIL (sc_test_ui_pane_analysed (left)
              && sichtung_document_pane_get_document_id (left) > 0);

  /* A backup, written by the backup worker. */
  sichtung_export_backup_async (store, backup, NULL, done_cb, &result);
  WAIT_UNTIL (result != NULL);
  g_assert_true (sichtung_export_backup_finish (result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  /* Changed since: renamed, and a case added. */
  g_assert_true (sichtung_case_actions_rename (window, case_id, "Nach der Sicherung", NULL,
                                               &error));
  g_assert_no_error (error);
  later_id = sichtung_case_sidebar_create_case (sidebar, "Später", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_cases (store), ==, 2);

  /* The worker undoes it. */
  sichtung_restore_async (store, backup, NULL, done_cb, &result);
  WAIT_UNTIL (result != NULL);
  g_assert_true (sichtung_restore_finish (result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  restored = stored_case (store, case_id);
  g_assert_nonnull (restored);
  g_assert_cmpstr (restored->title, ==, "Vor der Sicherung");
  g_assert_null (stored_case (store, later_id));
  g_assert_cmpuint (n_documents (store, case_id), ==, 1);
  g_assert_cmpstr (last_audit_action (store), ==, "restore");
  g_assert_true (sc_store_verify_audit (store, NULL, &error));
  g_assert_no_error (error);

  /* A file that is no backup: refused with a reason, nothing changed. */
  sichtung_restore_async (store, not_a_backup, NULL, done_cb, &result);
  WAIT_UNTIL (result != NULL);
  g_assert_false (sichtung_restore_finish (result, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_cmpuint (n_cases (store), ==, 1);

  /* As "win.restore" does it once confirmed: the panes close, the sidebar reloads. */
  sichtung_case_sidebar_reload (sidebar);
  {
    g_autoptr(ScStoreDocument) stored = sc_test_ui_stored_document (
      store, sichtung_document_pane_get_document_id (left));

    sichtung_document_pane_open_stored (left, stored, -1);
  }
  g_assert_true (sichtung_case_actions_rename (window, case_id, "Wieder geändert", NULL,
                                               &error));
  g_assert_true (sidebar_shows (sidebar, "Wieder geändert"));
  sichtung_restore_start (window, backup);
  g_assert_true (sichtung_restore_is_running (window));
  g_assert_true (sichtung_window_is_empty (window));
  WAIT_UNTIL (!sichtung_restore_is_running (window));
  g_assert_true (sidebar_shows (sidebar, "Vor der Sicherung"));
  g_assert_false (sidebar_shows (sidebar, "Wieder geändert"));
  g_assert_cmpint (sichtung_case_sidebar_get_case_id (sidebar), ==, case_id);

  sc_test_ui_destroy_window (window);
  g_clear_object (&store);
  sc_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  char *data_home = sc_test_ui_init (&argc, &argv, "cases", SC_TEST_UI_NONE);

  g_test_add_func ("/sichtung/cases/rename-remove-delete", test_cases);
  g_test_add_func ("/sichtung/cases/restore", test_restore);

  return sc_test_ui_run (data_home);
}
