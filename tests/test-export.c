/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-export.c: the review report, the pseudonymised text and the backup saved from the
 * workbench: the files are written, the report opens as a PDF and names the case, the
 * pseudonymised text keeps no name of a finding that was not rejected, the key beside it is
 * private, and the backup opens as a case store with the case in it. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "sichtung-export.h"
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

static void
test_export (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sichtung-export-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "faelle.sqlite", NULL);
  g_autoptr(GFile) notice = sc_test_ui_find_sample ("bescheid");
  g_autoptr(GFile) report_file = g_file_new_build_filename (dir, "bericht.pdf", NULL);
  g_autoptr(GFile) json_file = g_file_new_build_filename (dir, "bericht.json", NULL);
  g_autoptr(GFile) text_file = g_file_new_build_filename (dir, "bescheid.txt", NULL);
  g_autoptr(GFile) key_file = g_file_new_build_filename (dir, "bescheid.key.json", NULL);
  g_autoptr(GFile) nowhere = g_file_new_build_filename (dir, "fehlt", "bericht.pdf", NULL);
  g_autoptr(ScStore) store = NULL;
  g_autoptr(ScDocument) pdf = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf_text = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  g_autofree char *key = NULL;
  g_autofree char *path = NULL;
  SichtungWindow *window;
  SichtungDocumentPane *pane;
  SichtungFindingItem *person;
  SichtungFindingItem *place;
  GStatBuf st;
  gint64 case_id;

  store = sc_store_open (db, &error);
  g_assert_no_error (error);
  window = sc_test_ui_new_window (store);
  pane = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  sichtung_window_open (window, notice, SICHTUNG_PANE_LEFT);
  WAIT_UNTIL (sc_test_ui_pane_analysed (pane) && sichtung_document_pane_get_document_id (pane) > 0);
  case_id = sichtung_document_pane_get_case_id (pane);
  g_assert_cmpint (case_id, >, 0);

  /* Decisions: the applicant's name accepted, a place rejected (it stays in the text). */
  person = sc_test_ui_find_item (sichtung_document_pane_get_findings (pane), SC_FINDING_PERSON,
                                 "Erika Mustermann");
  g_assert_nonnull (person);
  g_assert_true (sichtung_finding_item_decide (person, SICHTUNG_DECISION_ACCEPTED, NULL, NULL));
  place = sc_test_ui_find_item (sichtung_document_pane_get_findings (pane),
                                SC_FINDING_ADDRESS, "Lindenstraße 12");
  if (place == NULL)
    place = sc_test_ui_find_item (sichtung_document_pane_get_findings (pane),
                                  SC_FINDING_ADDRESS, "Lindenstraße 12\n55118 Mainz");
  if (place != NULL)
    g_assert_true (sichtung_finding_item_decide (place, SICHTUNG_DECISION_REJECTED, NULL,
                                                 NULL));

  /* The review report, as PDF and as JSON. */
  sichtung_export_report_async (store, case_id, report_file, NULL, done_cb, &result);
  WAIT_UNTIL (result != NULL);
  g_assert_true (sichtung_export_report_finish (result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  pdf = sc_document_new_from_file (report_file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sc_document_get_n_pages (pdf), >=, 1);
  pdf_text = sc_document_get_text (pdf);
  g_assert_nonnull (strstr (pdf_text, "Erika Mustermann"));

  sichtung_export_report_async (store, case_id, json_file, NULL, done_cb, &result);
  WAIT_UNTIL (result != NULL);
  g_assert_true (sichtung_export_report_finish (result, &error));
  g_clear_object (&result);
  path = g_file_get_path (json_file);
  g_assert_true (g_file_get_contents (path, &json, NULL, &error));
  g_assert_true (g_str_has_prefix (json, "{"));
  g_assert_nonnull (strstr (json, "\"accepted\""));
  g_clear_pointer (&path, g_free);

  /* A folder that does not exist: an error, no crash. */
  sichtung_export_report_async (store, case_id, nowhere, NULL, done_cb, &result);
  WAIT_UNTIL (result != NULL);
  g_assert_false (sichtung_export_report_finish (result, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_clear_object (&result);

  /* The pseudonymised text and its private key. */
  sichtung_export_pseudonymized_async (sichtung_document_pane_get_document (pane),
                                       sichtung_document_pane_get_findings (pane), text_file,
                                       key_file, NULL, done_cb, &result);
  WAIT_UNTIL (result != NULL);
  g_assert_true (sichtung_export_pseudonymized_finish (result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  path = g_file_get_path (text_file);
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_null (strstr (text, "Mustermann"));
  g_assert_nonnull (strstr (text, "[Person"));
  if (place != NULL)
    g_assert_nonnull (strstr (text, "Lindenstraße 12"));
  g_clear_pointer (&path, g_free);
  path = g_file_get_path (key_file);
  g_assert_true (g_file_get_contents (path, &key, NULL, &error));
  g_assert_nonnull (strstr (key, "Erika Mustermann"));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* A backup holds the case, its document and the decision. */
  {
    g_autoptr(GFile) backup_file = g_file_new_build_filename (dir, "sicherung.sqlite", NULL);
    g_autofree char *backup_path = g_file_get_path (backup_file);
    g_autoptr(ScStore) copy = NULL;
    g_autoptr(GPtrArray) cases = NULL;
    g_autoptr(GPtrArray) documents = NULL;

    sichtung_export_backup_async (store, backup_file, NULL, done_cb, &result);
    WAIT_UNTIL (result != NULL);
    g_assert_true (sichtung_export_backup_finish (result, &error));
    g_assert_no_error (error);
    g_clear_object (&result);
    copy = sc_store_open (backup_path, &error);
    g_assert_no_error (error);
    cases = sc_store_list_cases (copy, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (cases->len, ==, 1);
    documents = sc_store_list_documents (copy, case_id, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (documents->len, ==, 1);
    g_assert_true (sc_store_verify_audit (copy, NULL, &error));
    g_assert_no_error (error);
  }

  sc_test_ui_destroy_window (window);
  g_clear_object (&store);
  sc_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  char *data_home = sc_test_ui_init (&argc, &argv, "export", SC_TEST_UI_NONE);

  g_test_add_func ("/sichtung/export/report-and-text", test_export);

  return sc_test_ui_run (data_home);
}
