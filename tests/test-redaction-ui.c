/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-redaction-ui.c: true redaction from the workbench, on the Bescheid of the sample case:
 * the actions wait for a decision, the redacted PDF is saved (never over the original), opens
 * and no longer holds the accepted names and IBAN, and the preview shows the redacted version
 * in the other pane without adding it to the case or analysing it. Runs under xvfb-run. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "sichtung-redaction.h"
#include "sc-test-ui.h"
#include "sc-test-util.h"

#define WAIT_UNTIL(condition) SC_TEST_WAIT_UNTIL (condition, 60000)

#define NAME  "Erika Mustermann"
/* A part of the IBAN that no line break of the typeset page can split. */
#define IBAN_PART "0532 0130"

/* The primary menu's items as shown, without their mnemonics (the test runs untranslated). */
#define SAVE_ITEM    "Save Redacted PDF…"
#define PREVIEW_ITEM "Redaction Preview"

static void
done_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* A menu item is a GtkModelButton (a private type) that shows its label as "text". */
static gboolean
is_menu_item (GtkWidget     *widget,
              gconstpointer  label)
{
  g_autofree char *text = NULL;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "text") == NULL
      || !g_str_equal (G_OBJECT_TYPE_NAME (widget), "GtkModelButton"))
    return FALSE;
  g_object_get (widget, "text", &text, NULL);
  return g_strcmp0 (text, label) == 0;
}

static gboolean
is_primary_menu_button (GtkWidget     *widget,
                        gconstpointer  data)
{
  return GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget));
}

/* Whether the primary menu's item labelled @label can be chosen: the window's actions live in
 * its class, out of reach of GActionGroup, so look at what the user sees. */
static gboolean
menu_item_enabled (SichtungWindow *window,
                   const char     *label)
{
  GtkWidget *menu_button = sc_test_ui_find_widget (GTK_WIDGET (window), is_primary_menu_button,
                                                   NULL);
  GtkWidget *item;

  g_assert_nonnull (menu_button);
  item = sc_test_ui_find_widget (GTK_WIDGET (gtk_menu_button_get_popover (
                                               GTK_MENU_BUTTON (menu_button))),
                                 is_menu_item, label);
  g_assert_nonnull (item);
  return gtk_widget_get_sensitive (item);
}

/* Decides every finding of @category in @pane whose text contains @text (NULL: all of the
 * category) as @decision, and returns how many there were. */
static guint
decide_all (SichtungDocumentPane *pane,
            ScFindingCategory     category,
            const char           *text,
            SichtungDecision      decision)
{
  GListModel *findings = sichtung_document_pane_get_findings (pane);
  guint n_decided = 0;

  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(SichtungFindingItem) item = g_list_model_get_item (findings, i);

      if (sichtung_finding_item_get_category (item) != category
          || (text != NULL && strstr (sichtung_finding_item_get_text (item), text) == NULL))
        continue;
      g_assert_true (sichtung_finding_item_decide (item, decision, NULL, NULL));
      n_decided++;
    }
  return n_decided;
}

/* The text of the PDF at @file, which must open. */
static char *
text_of_file (GFile *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, &error);
  g_autoptr(ScDocument) document = NULL;

  g_assert_no_error (error);
  document = sc_document_new_from_bytes (bytes, "redacted.pdf", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sc_document_get_kind (document) == SC_DOCUMENT_KIND_PDF);
  return sc_document_get_text (document);
}

static void
assert_redacted (const char *text)
{
  g_assert_null (strstr (text, NAME));
  g_assert_null (strstr (text, IBAN_PART));
  /* What no one accepted stays readable. */
  g_assert_nonnull (strstr (text, "Widerspruch"));
}

static guint
n_documents (ScStore *store,
             gint64   case_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documents = sc_store_list_documents (store, case_id, &error);

  g_assert_no_error (error);
  return documents->len;
}

static void
test_redaction (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sichtung-redaction-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "faelle.sqlite", NULL);
  g_autoptr(GFile) notice = sc_test_ui_find_sample ("bescheid");
  g_autoptr(GFile) direct_file = g_file_new_build_filename (dir, "direkt.pdf", NULL);
  g_autoptr(GFile) saved_file = g_file_new_build_filename (dir, "bescheid-geschwaerzt.pdf",
                                                           NULL);
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) original_after = NULL;
  g_autoptr(ScStore) store = NULL;
  g_autoptr(ScRedactionReport) report = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  SichtungWindow *window;
  SichtungDocumentPane *left, *right;
  ScDocument *preview;
  gint64 case_id, document_id;
  guint n_names, n_ibans;

  store = sc_store_open (db, &error);
  g_assert_no_error (error);
  original = g_file_load_bytes (notice, NULL, NULL, &error);
  g_assert_no_error (error);

  window = sc_test_ui_new_window (store);
  left = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  right = sichtung_window_get_pane (window, SICHTUNG_PANE_RIGHT);
  sichtung_window_open (window, notice, SICHTUNG_PANE_LEFT);
  WAIT_UNTIL (sc_test_ui_pane_analysed (left) && sc_test_ui_pane_shows_stored (left));
  case_id = sichtung_document_pane_get_case_id (left);
  document_id = sichtung_document_pane_get_document_id (left);
  g_assert_cmpint (document_id, >, 0);

  /* Nothing decided, nothing to redact. */
  g_assert_false (menu_item_enabled (window, SAVE_ITEM));
  g_assert_false (menu_item_enabled (window, PREVIEW_ITEM));

  n_names = decide_all (left, SC_FINDING_PERSON, NAME, SICHTUNG_DECISION_ACCEPTED);
  n_ibans = decide_all (left, SC_FINDING_IBAN, NULL, SICHTUNG_DECISION_ACCEPTED);
  g_assert_cmpuint (n_names, >=, 1);
  g_assert_cmpuint (n_ibans, >=, 1);
  g_assert_true (menu_item_enabled (window, SAVE_ITEM));
  g_assert_true (menu_item_enabled (window, PREVIEW_ITEM));

  /* Reopened, the decisions no longer allow it; accepted again, they do. */
  decide_all (left, SC_FINDING_PERSON, NAME, SICHTUNG_DECISION_OPEN);
  decide_all (left, SC_FINDING_IBAN, NULL, SICHTUNG_DECISION_OPEN);
  g_assert_false (menu_item_enabled (window, SAVE_ITEM));
  decide_all (left, SC_FINDING_PERSON, NAME, SICHTUNG_DECISION_ACCEPTED);
  decide_all (left, SC_FINDING_IBAN, NULL, SICHTUNG_DECISION_ACCEPTED);
  g_assert_true (menu_item_enabled (window, SAVE_ITEM));

  /* The worker: the redacted PDF, checked, with one area at least per decision. */
  sichtung_redaction_save_async (store, document_id, sichtung_document_pane_get_document (left),
                                 direct_file, NULL, done_cb, &result);
  WAIT_UNTIL (result != NULL);
  g_assert_true (sichtung_redaction_save_finish (result, &report, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_nonnull (report);
  g_assert_true (report->verified);
  g_assert_cmpuint (report->leaks->len, ==, 0);
  g_assert_cmpuint (report->n_redactions, >=, n_names + n_ibans);
  g_assert_cmpuint (report->n_glyphs_removed, >, 0);
  text = text_of_file (direct_file);
  assert_redacted (text);
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&report, sc_redaction_report_unref);

  /* Never over the original document. */
  sichtung_redaction_save_async (store, document_id, sichtung_document_pane_get_document (left),
                                 notice, NULL, done_cb, &result);
  WAIT_UNTIL (result != NULL);
  g_assert_false (sichtung_redaction_save_finish (result, &report, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_null (report);
  g_clear_error (&error);
  g_clear_object (&result);
  original_after = g_file_load_bytes (notice, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (original, original_after));

  /* What "win.export-redacted" does with the file chosen. */
  sichtung_redaction_save (window, saved_file);
  WAIT_UNTIL (g_file_query_exists (saved_file, NULL));
  text = text_of_file (saved_file);
  assert_redacted (text);
  g_clear_pointer (&text, g_free);

  /* The preview goes to the other pane, side by side, and stays out of the case. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.redaction-preview",
                                             NULL));
  WAIT_UNTIL (sichtung_document_pane_get_preview (right));
  g_assert_true (sichtung_window_get_side_by_side (window));
  g_assert_true (sichtung_window_get_active_pane (window) == left);
  preview = sichtung_document_pane_get_document (right);
  g_assert_nonnull (preview);
  text = sc_document_get_text (preview);
  assert_redacted (text);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_str_has_prefix (sichtung_document_pane_get_title (right), "Preview: "));
  g_assert_nonnull (sichtung_document_pane_get_analysis_note (right));
  g_assert_null (sichtung_document_pane_get_file (right));
  sc_test_spin (300);
  g_assert_false (sichtung_document_pane_get_analyzing (right));
  g_assert_null (sichtung_document_pane_get_analysis (right));
  g_assert_cmpuint (g_list_model_get_n_items (sichtung_document_pane_get_findings (right)), ==,
                    0);
  g_assert_cmpint (sichtung_document_pane_get_document_id (right), ==, 0);
  g_assert_cmpuint (n_documents (store, case_id), ==, 1);

  /* The preview is no document to redact again. */
  sichtung_window_set_active_pane (window, right);
  g_assert_false (menu_item_enabled (window, SAVE_ITEM));
  g_assert_false (menu_item_enabled (window, PREVIEW_ITEM));
  sichtung_window_set_active_pane (window, left);

  /* Opening a document there ends the preview. */
  sichtung_window_open (window, notice, SICHTUNG_PANE_RIGHT);
  WAIT_UNTIL (!sichtung_document_pane_get_preview (right)
              && sc_test_ui_pane_shows_stored (right));
  g_assert_cmpuint (n_documents (store, case_id), ==, 1);

  sc_test_ui_destroy_window (window);
  g_clear_object (&store);
  sc_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  char *data_home = sc_test_ui_init (&argc, &argv, "redaction", SC_TEST_UI_NONE);

  g_test_add_func ("/sichtung/redaction/export-and-preview", test_redaction);

  return sc_test_ui_run (data_home);
}
