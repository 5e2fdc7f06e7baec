/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-persistence.c: the workbench with its case store: the sample case made once and reused,
 * documents found again by their content, stored findings shown without analysing again,
 * decisions kept through a new analysis, the cases sidebar (counts, a new case, search with
 * bold matches opening a page), a decision the store refuses, a damaged store left untouched,
 * and the acceptance test: a child process running the real window, reviewing by keyboard,
 * is killed with SIGKILL at random moments, and every decision it acknowledged is in the
 * store with its audit entry, and shows again in a new window. Runs under xvfb-run. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <adwaita.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "sichtung-case-sidebar.h"
#include "sichtung-document-pane.h"
#include "sichtung-finding-item.h"
#include "sichtung-findings-panel.h"
#include "sichtung-samples.h"
#include "sichtung-window.h"
#include "sc-test-ui.h"
#include "sc-test-util.h"

#define WAIT_TIMEOUT_MS 120000
#define DEFAULT_KILL_ITERATIONS 10
#define CHILD_FD 3

#define WAIT_UNTIL(condition) SC_TEST_WAIT_UNTIL (condition, WAIT_TIMEOUT_MS)

/* A fresh directory for one test's case store, removed by the caller. */
static char *
make_store_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sichtung-test-persistence-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* The first row of @list that carries @data_key ("sichtung-case", "sichtung-document"). */
static GtkListBoxRow *
find_row (GtkListBox *list,
          const char *data_key)
{
  for (int i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);

      if (row == NULL)
        return NULL;
      if (g_object_get_data (G_OBJECT (row), data_key) != NULL)
        return row;
    }
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, (int) n) != NULL)
    n++;
  return n;
}

/* ------------------------------------------------------------------------------------------ */

static void
test_snippet_markup (void)
{
  g_autofree char *markup = NULL;

  markup = sichtung_case_sidebar_snippet_markup ("Frist <30> & " SC_STORE_MATCH_START "Widerspruch"
                                                 SC_STORE_MATCH_END " erheben");
  g_assert_cmpstr (markup, ==, "Frist &lt;30&gt; &amp; <b>Widerspruch</b> erheben");
  g_assert_true (pango_parse_markup (markup, -1, 0, NULL, NULL, NULL, NULL));
}

/* The sample files land in the sample case, made once; a document opened again is found by
 * its content; decisions are stored, shown again and kept through a new analysis; the sidebar
 * counts open findings, makes cases and searches. */
static void
test_case_workflow (void)
{
  g_autofree char *dir = make_store_dir ();
  g_autofree char *path = g_build_filename (dir, "faelle.sqlite", NULL);
  g_autoptr(GFile) bescheid = sc_test_sample_file ("03-bescheid.txt");
  g_autoptr(GFile) widerspruch = sc_test_sample_file ("04-widerspruch.txt");
  g_autoptr(ScStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  SichtungWindow *window;
  SichtungDocumentPane *left, *right;
  SichtungCaseSidebar *sidebar;
  SichtungFindingsPanel *panel;
  GtkListBox *case_list, *results;
  GtkListBoxRow *row;
  SichtungFindingItem *erika, *first;
  gint64 erika_id, document_id, sample_case, other_case;
  guint n_open_before;

  g_assert_true (sichtung_samples_contains (bescheid));
  {
    g_autoptr(GFile) elsewhere = g_file_new_for_path (path);

    g_assert_false (sichtung_samples_contains (elsewhere));
  }

  store = sc_store_open (path, &error);
  g_assert_no_error (error);

  /* No cases yet: the sidebar explains how to start. */
  window = sc_test_ui_new_window (store);
  sidebar = sichtung_window_get_case_sidebar (window);
  case_list = sichtung_case_sidebar_get_case_list (sidebar);
  results = sichtung_case_sidebar_get_results_list (sidebar);
  panel = sichtung_window_get_findings_panel (window);
  g_assert_cmpstr (sichtung_case_sidebar_get_page (sidebar), ==, "empty");
  g_assert_true (sichtung_window_get_show_cases (window));

  left = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  right = sichtung_window_get_pane (window, SICHTUNG_PANE_RIGHT);
  sichtung_window_open (window, bescheid, SICHTUNG_PANE_LEFT);
  WAIT_UNTIL (sc_test_ui_pane_shows_stored (left));
  g_assert_null (sichtung_document_pane_get_error_message (left));
  document_id = sichtung_document_pane_get_document_id (left);

  cases = sc_store_list_cases (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cases->len, ==, 1);
  sample_case = ((ScStoreCase *) g_ptr_array_index (cases, 0))->id;
  g_assert_cmpstr (((ScStoreCase *) g_ptr_array_index (cases, 0))->title, ==,
                   "Beispielvorgang Wohngeld");
  g_assert_cmpstr (((ScStoreCase *) g_ptr_array_index (cases, 0))->reference, ==,
                   "4.2-WG-1187/2025");
  g_assert_cmpint (sichtung_case_sidebar_get_case_id (sidebar), ==, sample_case);
  g_assert_cmpint (sichtung_document_pane_get_case_id (left), ==, sample_case);

  /* The sidebar lists the case and its document, with the open findings in words. */
  sichtung_case_sidebar_reload (sidebar);
  g_assert_cmpstr (sichtung_case_sidebar_get_page (sidebar), ==, "cases");
  row = find_row (case_list, "sichtung-document");
  g_assert_nonnull (row);
  {
    g_autofree char *expected =
      g_strdup_printf ("03-bescheid.txt, %u open findings",
                       g_list_model_get_n_items (sichtung_document_pane_get_findings (left)));

    gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                         expected);
  }
  row = find_row (case_list, "sichtung-case");
  g_assert_nonnull (row);
  {
    ScStoreCase *store_case = g_object_get_data (G_OBJECT (row), "sichtung-case");
    g_autofree char *expected =
      g_strdup_printf ("Beispielvorgang Wohngeld, reference 4.2-WG-1187/2025, %u open findings",
                       store_case->n_open_findings);

    gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                         expected);
    n_open_before = store_case->n_open_findings;
  }

  /* A decision by keyboard is in the store once the item shows it; the count follows. */
  erika = sc_test_ui_find_item (sichtung_document_pane_get_findings (left), SC_FINDING_PERSON,
                                "Erika Mustermann");
  g_assert_nonnull (erika);
  erika_id = sichtung_finding_item_get_store_id (erika);
  sichtung_findings_panel_set_selected_item (panel, erika);
  sc_test_ui_press_key (GTK_WIDGET (panel), GDK_KEY_a, 0);
  g_assert_cmpint (sichtung_finding_item_get_decision (erika), ==, SICHTUNG_DECISION_ACCEPTED);
  stored = sc_store_list_findings (store, document_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < stored->len; i++)
    {
      ScStoreFinding *finding = g_ptr_array_index (stored, i);

      if (finding->id == erika_id)
        g_assert_cmpint (finding->decision, ==, SC_STORE_DECISION_ACCEPTED);
    }
  sichtung_case_sidebar_reload (sidebar);
  row = find_row (case_list, "sichtung-case");
  g_assert_cmpuint (((ScStoreCase *) g_object_get_data (G_OBJECT (row),
                                                        "sichtung-case"))->n_open_findings,
                    ==, n_open_before - 1);

  /* A reason typed for a decided finding is stored when the entry is left. */
  {
    SichtungExplanationPanel *explanation = sichtung_window_get_explanation_panel (window);
    GtkEntry *entry = sichtung_explanation_panel_get_reason_entry (explanation);

    sichtung_findings_panel_set_selected_item (panel, erika);
    g_assert_true (sichtung_explanation_panel_get_item (explanation) == erika);
    gtk_editable_set_text (GTK_EDITABLE (entry), "Antragstellerin");
    g_signal_emit_by_name (entry, "activate");
    g_assert_cmpstr (sichtung_finding_item_get_reason (erika), ==, "Antragstellerin");
  }

  /* The second sample joins the same case. */
  sichtung_window_open (window, widerspruch, SICHTUNG_PANE_RIGHT);
  WAIT_UNTIL (sc_test_ui_pane_shows_stored (right));
  g_assert_cmpint (sichtung_document_pane_get_case_id (right), ==, sample_case);
  g_clear_pointer (&cases, g_ptr_array_unref);
  cases = sc_store_list_cases (store, &error);
  g_assert_cmpuint (cases->len, ==, 1);
  documents = sc_store_list_documents (store, sample_case, &error);
  g_assert_cmpuint (documents->len, ==, 2);
  g_clear_pointer (&documents, g_ptr_array_unref);

  /* The same file again is the same document, shown with its stored decision at once. */
  sichtung_window_open (window, bescheid, SICHTUNG_PANE_RIGHT);
  WAIT_UNTIL (sichtung_document_pane_get_document_id (right) == document_id
              && sc_test_ui_pane_shows_stored (right));
  g_assert_null (sichtung_document_pane_get_analysis (right));
  first = sc_test_ui_find_item_by_id (sichtung_document_pane_get_findings (right), erika_id);
  g_assert_nonnull (first);
  g_assert_cmpint (sichtung_finding_item_get_decision (first), ==, SICHTUNG_DECISION_ACCEPTED);
  g_assert_cmpstr (sichtung_finding_item_get_reason (first), ==, "Antragstellerin");
  documents = sc_store_list_documents (store, sample_case, &error);
  g_assert_cmpuint (documents->len, ==, 2);
  g_clear_pointer (&documents, g_ptr_array_unref);

  /* Analysing again keeps the decision. */
  sichtung_document_pane_analyze (right);
  WAIT_UNTIL (sichtung_document_pane_get_analysis (right) != NULL
              && sc_test_ui_pane_shows_stored (right));
  first = sc_test_ui_find_item_by_id (sichtung_document_pane_get_findings (right), erika_id);
  g_assert_nonnull (first);
  g_assert_cmpint (sichtung_finding_item_get_decision (first), ==, SICHTUNG_DECISION_ACCEPTED);

  /* A new case becomes the current one; the panes add what they open there. */
  other_case = sichtung_case_sidebar_create_case (sidebar, "Widerspruch Bauantrag",
                                                  "63-2024-0815", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sichtung_case_sidebar_get_case_id (sidebar), ==, other_case);
  g_assert_cmpint (sichtung_document_pane_get_case_id (left), ==, other_case);
  g_assert_cmpuint (count_rows (case_list), ==, 2);
  sichtung_case_sidebar_set_case_id (sidebar, sample_case);
  g_assert_cmpuint (count_rows (case_list), ==, 4);

  /* Search in the case: hits name document and page, the match in bold; activating one
   * opens that document at that page in the active pane. */
  sichtung_window_set_active_pane (window, left);
  gtk_editable_set_text (GTK_EDITABLE (sichtung_case_sidebar_get_search_entry (sidebar)),
                         "Mustermann");
  WAIT_UNTIL (g_strcmp0 (sichtung_case_sidebar_get_page (sidebar), "results") == 0);
  row = gtk_list_box_get_row_at_index (results, 0);
  g_assert_nonnull (row);
  {
    GtkWidget *snippet = gtk_widget_get_last_child (gtk_list_box_row_get_child (row));
    ScStoreDocument *document = g_object_get_data (G_OBJECT (row), "sichtung-document");

    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (snippet)), "<b>Mustermann</b>"));
    g_signal_emit_by_name (results, "row-activated", row);
    WAIT_UNTIL (sichtung_document_pane_get_document_id (left) == document->id
                && sc_test_ui_pane_shows_stored (left));
  }
  gtk_editable_set_text (GTK_EDITABLE (sichtung_case_sidebar_get_search_entry (sidebar)),
                         "Zauberwort");
  WAIT_UNTIL (g_strcmp0 (sichtung_case_sidebar_get_page (sidebar), "no-results") == 0);
  gtk_editable_set_text (GTK_EDITABLE (sichtung_case_sidebar_get_search_entry (sidebar)), "");
  WAIT_UNTIL (g_strcmp0 (sichtung_case_sidebar_get_page (sidebar), "cases") == 0);

  /* Activating a document row opens it from the store. */
  {
    g_autoptr(ScStoreDocument) document = sc_test_ui_stored_document (store, document_id);

    g_assert_nonnull (document);
    sichtung_case_sidebar_reload (sidebar);
    for (int i = 0; (row = gtk_list_box_get_row_at_index (case_list, i)) != NULL; i++)
      {
        ScStoreDocument *other = g_object_get_data (G_OBJECT (row), "sichtung-document");

        if (other != NULL && other->id == document_id)
          break;
      }
    g_assert_nonnull (row);
    g_signal_emit_by_name (case_list, "row-activated", row);
    WAIT_UNTIL (sichtung_document_pane_get_document_id (left) == document_id
                && sc_test_ui_pane_shows_stored (left));
    g_assert_null (sichtung_document_pane_get_file (left));
  }

  sc_test_ui_destroy_window (window);

  /* A new window on the same store: the sample case is reused, not made again. */
  window = sc_test_ui_new_window (store);
  left = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  sichtung_window_open (window, bescheid, SICHTUNG_PANE_LEFT);
  WAIT_UNTIL (sc_test_ui_pane_shows_stored (left));
  g_assert_cmpint (sichtung_document_pane_get_document_id (left), ==, document_id);
  first = sc_test_ui_find_item_by_id (sichtung_document_pane_get_findings (left), erika_id);
  g_assert_cmpint (sichtung_finding_item_get_decision (first), ==, SICHTUNG_DECISION_ACCEPTED);
  g_clear_pointer (&cases, g_ptr_array_unref);
  cases = sc_store_list_cases (store, &error);
  g_assert_cmpuint (cases->len, ==, 2);
  sc_test_ui_destroy_window (window);

  g_assert_true (sc_store_verify_audit (store, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  sc_test_remove_tree (dir);
}

static void
count_failures (SichtungFindingItem *item,
                const GError        *error,
                guint               *n)
{
  g_assert_nonnull (error);
  (*n)++;
}

/* A decision the store refuses (another connection holds the write lock) leaves the finding
 * as it was, and the window says so. */
static void
test_decision_refused (void)
{
  g_autofree char *dir = make_store_dir ();
  g_autofree char *path = g_build_filename (dir, "faelle.sqlite", NULL);
  g_autoptr(GFile) bescheid = sc_test_sample_file ("03-bescheid.txt");
  g_autoptr(ScStore) store = NULL;
  g_autoptr(GError) error = NULL;
  SichtungWindow *window;
  SichtungDocumentPane *pane;
  SichtungFindingsPanel *panel;
  SichtungFindingItem *item;
  g_autoptr(SichtungFindingItem) selected = NULL;
  sqlite3 *db = NULL;
  guint n_failed = 0;

  store = sc_store_open (path, &error);
  g_assert_no_error (error);
  window = sc_test_ui_new_window (store);
  pane = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  panel = sichtung_window_get_findings_panel (window);
  sichtung_window_open (window, bescheid, SICHTUNG_PANE_LEFT);
  WAIT_UNTIL (sc_test_ui_pane_shows_stored (pane));

  item = g_list_model_get_item (sichtung_findings_panel_get_visible_items (panel), 0);
  g_object_unref (item);
  sichtung_findings_panel_set_selected_item (panel, item);
  g_signal_connect (item, "decision-failed", G_CALLBACK (count_failures), &n_failed);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);

  /* Waits for the lock (the store's busy timeout), then gives up. */
  sc_test_ui_press_key (GTK_WIDGET (panel), GDK_KEY_a, 0);
  g_assert_cmpuint (n_failed, ==, 1);
  g_assert_cmpint (sichtung_finding_item_get_decision (item), ==, SICHTUNG_DECISION_OPEN);
  /* Review stays on the finding that was not decided. */
  g_set_object (&selected, sichtung_findings_panel_get_selected_item (panel));
  g_assert_true (selected == item);

  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  sc_test_ui_press_key (GTK_WIDGET (panel), GDK_KEY_a, 0);
  g_assert_cmpint (sichtung_finding_item_get_decision (item), ==, SICHTUNG_DECISION_ACCEPTED);

  sc_test_ui_destroy_window (window);
  g_clear_object (&store);
  sc_test_remove_tree (dir);
}

/* A damaged case database is reported and left untouched; documents still open and are
 * analysed, without saving. */
static void
test_damaged_store (void)
{
  g_autofree char *dir = make_store_dir ();
  g_autofree char *path = g_build_filename (dir, "faelle.sqlite", NULL);
  g_autoptr(GFile) bescheid = sc_test_sample_file ("03-bescheid.txt");
  static const char garbage[] = "Dies ist keine Datenbank, sondern ein Einkaufszettel.\n";
  g_autoptr(ScStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  SichtungWindow *window;
  SichtungDocumentPane *pane;

  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));
  store = sc_store_open (path, &error);
  g_assert_null (store);
  g_assert_nonnull (error);

  window = sc_test_ui_new_window (NULL);
  sichtung_window_set_store_error (window, error);
  g_assert_nonnull (sichtung_window_get_store_error (window));
  g_assert_nonnull (strstr (sichtung_window_get_store_error (window), error->message));
  g_assert_cmpstr (sichtung_case_sidebar_get_page (sichtung_window_get_case_sidebar (window)),
                   ==, "unavailable");

  pane = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  sichtung_window_open (window, bescheid, SICHTUNG_PANE_LEFT);
  WAIT_UNTIL (!sichtung_document_pane_get_loading (pane)
              && !sichtung_document_pane_get_analyzing (pane)
              && sichtung_document_pane_get_analysis (pane) != NULL);
  g_assert_cmpuint (g_list_model_get_n_items (sichtung_document_pane_get_findings (pane)), >, 0);
  g_assert_cmpint (sichtung_document_pane_get_document_id (pane), ==, 0);

  /* Decisions still work, in memory. */
  {
    SichtungFindingsPanel *panel = sichtung_window_get_findings_panel (window);
    g_autoptr(SichtungFindingItem) item =
      g_list_model_get_item (sichtung_findings_panel_get_visible_items (panel), 0);

    sichtung_findings_panel_set_selected_item (panel, item);
    sc_test_ui_press_key (GTK_WIDGET (panel), GDK_KEY_r, 0);
    g_assert_cmpint (sichtung_finding_item_get_decision (item), ==, SICHTUNG_DECISION_REJECTED);
  }
  sc_test_ui_destroy_window (window);

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, garbage, sizeof garbage - 1);
  sc_test_remove_tree (dir);
}

/* ------------------------------------------------------------------------------------------ */
/* The kill test                                                                              */

static void
child_write (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

/* One write() of less than PIPE_BUF bytes: never torn, whenever the kill comes. */
static void
child_write (const char *format,
             ...)
{
  va_list args;
  char line[128];
  int n;

  va_start (args, format);
  n = g_vsnprintf (line, sizeof line, format, args);
  va_end (args);
  g_assert_cmpint (write (CHILD_FD, line, n), ==, n);
}

/* The child: the real window on the store in $XDG_DATA_HOME, the first sample, reviewed with
 * the panel's key bindings until it is killed. Writes "ready" once the findings show, then for
 * each decision "deciding ID STATE" before the key and "decided ID STATE" once it is stored. */
static int
run_child (guint32     seed,
           const char *sample)
{
  g_autofree char *path = sc_store_get_default_path ();
  g_autoptr(GFile) bescheid = g_file_new_for_path (sample);
  g_autoptr(ScStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  SichtungWindow *window;
  SichtungDocumentPane *pane;
  SichtungFindingsPanel *panel;
  GListModel *visible;

  store = sc_store_open (path, &error);
  if (store == NULL)
    g_error ("Could not open the store: %s", error->message);

  window = sc_test_ui_new_window (store);
  pane = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  panel = sichtung_window_get_findings_panel (window);
  visible = sichtung_findings_panel_get_visible_items (panel);
  sichtung_window_open (window, bescheid, SICHTUNG_PANE_LEFT);
  WAIT_UNTIL (sc_test_ui_pane_shows_stored (pane));
  child_write ("ready\n");

  for (;;)
    {
      g_autoptr(SichtungFindingItem) item = NULL;
      SichtungDecision target;
      guint n = g_list_model_get_n_items (visible);

      g_set_object (&item, sichtung_findings_panel_get_selected_item (panel));
      if (item == NULL || g_rand_int_range (rand, 0, 20) == 0)
        {
          g_autoptr(SichtungFindingItem) start =
            g_list_model_get_item (visible, g_rand_int_range (rand, 0, (int) n));

          sichtung_findings_panel_set_selected_item (panel, start);
          continue;
        }

      if (g_rand_int_range (rand, 0, 4) == 0)
        {
          /* At the end of the list “j” does nothing; the next round starts over. */
          if (!sc_test_ui_activate_shortcut (GTK_WIDGET (panel), GDK_KEY_j, 0))
            sichtung_findings_panel_set_selected_item (panel, NULL);
          g_main_context_iteration (NULL, FALSE);
          continue;
        }

      /* Always a change, so every decision is one write and one audit entry. */
      switch (sichtung_finding_item_get_decision (item))
        {
        case SICHTUNG_DECISION_ACCEPTED:
          target = SICHTUNG_DECISION_REJECTED;
          break;
        case SICHTUNG_DECISION_REJECTED:
          target = SICHTUNG_DECISION_ACCEPTED;
          break;
        default:
          target = g_rand_boolean (rand) ? SICHTUNG_DECISION_ACCEPTED : SICHTUNG_DECISION_REJECTED;
        }

      child_write ("deciding %" G_GINT64_FORMAT " %s\n", sichtung_finding_item_get_store_id (item),
                   target == SICHTUNG_DECISION_ACCEPTED ? "accepted" : "rejected");
      sc_test_ui_press_key (GTK_WIDGET (panel),
                            target == SICHTUNG_DECISION_ACCEPTED ? GDK_KEY_a : GDK_KEY_r, 0);
      /* The item changes only once the store has the decision. */
      g_assert_cmpint (sichtung_finding_item_get_decision (item), ==, target);
      child_write ("decided %" G_GINT64_FORMAT " %s\n", sichtung_finding_item_get_store_id (item),
                   target == SICHTUNG_DECISION_ACCEPTED ? "accepted" : "rejected");
      g_main_context_iteration (NULL, FALSE);
    }

  return 0;
}

typedef struct
{
  int      fd;
  GString *buffer;
  gboolean eof;
} LineReader;

/* The next line from the child, without its newline; NULL at end of file. Waits at most
 * WAIT_TIMEOUT_MS, a generous limit only there so a hung child fails the test. */
static char *
read_line (LineReader *reader)
{
  gint64 end = g_get_monotonic_time () + WAIT_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  for (;;)
    {
      char *newline = memchr (reader->buffer->str, '\n', reader->buffer->len);
      struct pollfd pfd = { .fd = reader->fd, .events = POLLIN };
      char chunk[512];
      gssize n;

      if (newline != NULL)
        {
          char *line = g_strndup (reader->buffer->str, newline - reader->buffer->str);

          g_string_erase (reader->buffer, 0, newline - reader->buffer->str + 1);
          return line;
        }
      if (reader->eof)
        return NULL;
      if (g_get_monotonic_time () > end)
        g_error ("Timed out waiting for the child");

      if (poll (&pfd, 1, 100) <= 0)
        continue;
      n = read (reader->fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        reader->eof = TRUE;
      else
        g_string_append_len (reader->buffer, chunk, n);
    }
}

typedef struct
{
  gint64          id;
  ScStoreDecision decision;
} Decision;

static Decision
parse_decision (const char *line,
                const char *prefix)
{
  g_auto(GStrv) parts = g_strsplit (line + strlen (prefix), " ", -1);
  Decision d = { 0 };

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  d.id = g_ascii_strtoll (parts[0], NULL, 10);
  d.decision = sc_store_decision_from_string (parts[1]);
  g_assert_cmpint (d.id, >, 0);
  return d;
}

static char *
query_text (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

/* The id of the first sample in the store, 0 when the child never got that far. */
static gint64
sample_document_id (ScStore *store)
{
  g_autoptr(GPtrArray) cases = sc_store_list_cases (store, NULL);

  g_assert_nonnull (cases);
  for (guint i = 0; i < cases->len; i++)
    {
      ScStoreCase *store_case = g_ptr_array_index (cases, i);
      g_autoptr(GPtrArray) documents = NULL;

      if (!g_str_equal (store_case->title, SICHTUNG_SAMPLE_CASE_TITLE))
        continue;
      documents = sc_store_list_documents (store, store_case->id, NULL);
      g_assert_nonnull (documents);
      g_assert_cmpuint (documents->len, <=, 1);
      return documents->len > 0 ? ((ScStoreDocument *) g_ptr_array_index (documents, 0))->id : 0;
    }
  return 0;
}

/* After a kill: the file is intact, the audit chain holds, the decisions logged since the last
 * check are exactly the acknowledged ones (plus at most the one in flight), and every finding
 * has the decision they say. @expected (id → ScStoreDecision) is updated to the store. */
static void
check_after_kill (const char *path,
                  GArray     *acked,
                  Decision   *in_flight,
                  guint64    *n_audit,
                  GHashTable *expected)
{
  g_autofree char *integrity = query_text (path, "PRAGMA integrity_check");
  g_autoptr(ScStore) store = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) logged = g_array_new (FALSE, FALSE, sizeof (Decision));
  guint64 n_entries = 0;
  gint64 document_id;

  g_assert_cmpstr (integrity, ==, "ok");
  store = sc_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (sc_store_verify_audit (store, &n_entries, &error));
  g_assert_no_error (error);

  audit = sc_store_list_audit (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (audit->len, ==, n_entries);
  for (guint i = *n_audit; i < audit->len; i++)
    {
      ScStoreAuditEntry *entry = g_ptr_array_index (audit, i);
      Decision d = { entry->finding_id, SC_STORE_DECISION_OPEN };

      if (!g_str_equal (entry->action, "decision"))
        continue;
      if (g_str_has_prefix (entry->details, "{\"decision\":\"accepted\""))
        d.decision = SC_STORE_DECISION_ACCEPTED;
      else if (g_str_has_prefix (entry->details, "{\"decision\":\"rejected\""))
        d.decision = SC_STORE_DECISION_REJECTED;
      else
        g_error ("Unexpected decision in the audit log: %s", entry->details);
      g_array_append_val (logged, d);
    }
  *n_audit = audit->len;

  /* Every acknowledged decision has its audit entry, in order. */
  g_assert_cmpuint (logged->len, >=, acked->len);
  g_assert_cmpuint (logged->len, <=, acked->len + (in_flight != NULL ? 1 : 0));
  for (guint i = 0; i < logged->len; i++)
    {
      Decision *l = &g_array_index (logged, Decision, i);
      Decision *a = i < acked->len ? &g_array_index (acked, Decision, i) : in_flight;

      g_assert_cmpint (l->id, ==, a->id);
      g_assert_cmpint (l->decision, ==, a->decision);
      g_hash_table_insert (expected, g_memdup2 (&l->id, sizeof l->id),
                           GINT_TO_POINTER (l->decision));
    }

  /* And the findings say so. */
  document_id = sample_document_id (store);
  if (document_id == 0)
    {
      g_assert_cmpuint (acked->len, ==, 0);
      return;
    }
  findings = sc_store_list_findings (store, document_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < findings->len; i++)
    {
      ScStoreFinding *finding = g_ptr_array_index (findings, i);
      ScStoreDecision want = GPOINTER_TO_INT (g_hash_table_lookup (expected, &finding->id));

      g_assert_cmpint (finding->decision, ==, want);
    }
}

static GSubprocess *
spawn_child (const char *data_home,
             GFile      *sample,
             int         write_fd,
             guint32     seed)
{
  g_autofree char *sample_path = g_file_get_path (sample);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_INHERIT);
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *seed_text = g_strdup_printf ("%u", seed);
  g_autoptr(GError) error = NULL;
  GSubprocess *child;

  g_assert_nonnull (exe);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_take_fd (launcher, write_fd, CHILD_FD);
  child = g_subprocess_launcher_spawn (launcher, &error, exe, "--kill-child", seed_text,
                                      sample_path, NULL);
  g_assert_no_error (error);
  return child;
}

static void
test_kill (void)
{
  const char *env = g_getenv ("SICHTUNG_KILL_ITERATIONS");
  guint iterations = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10)
                                 : DEFAULT_KILL_ITERATIONS;
  g_autofree char *data_home = make_store_dir ();
  g_autofree char *path = g_build_filename (data_home, "sichtung", "faelle.sqlite", NULL);
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                          NULL);
  g_autoptr(GRand) rand = g_rand_new ();
  g_autoptr(GFile) bescheid = sc_test_sample_file ("03-bescheid.txt");
  gint64 start = g_get_monotonic_time ();
  guint64 n_audit = 0;
  guint n_acked_total = 0, n_early = 0;

  for (guint it = 0; it < iterations; it++)
    {
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GArray) acked = g_array_new (FALSE, FALSE, sizeof (Decision));
      g_autoptr(GError) error = NULL;
      LineReader reader = { 0 };
      Decision in_flight = { 0 };
      gboolean has_in_flight = FALSE;
      int fds[2];
      /* One kill in five may land anywhere, even while the child starts or imports; the rest
       * after a number of acknowledged decisions. */
      gboolean early = g_rand_int_range (rand, 0, 5) == 0;
      guint target = (guint) g_rand_int_range (rand, 1, 40);

      g_assert_cmpint (pipe (fds), ==, 0);
      child = spawn_child (data_home, bescheid, fds[1], g_rand_int (rand));
      reader.fd = fds[0];
      reader.buffer = g_string_new (NULL);

      if (early)
        {
          g_usleep (g_rand_int_range (rand, 0, 3000) * 1000);
          n_early++;
        }
      else
        {
          char *line;

          while (acked->len < target && (line = read_line (&reader)) != NULL)
            {
              if (g_str_has_prefix (line, "deciding "))
                {
                  in_flight = parse_decision (line, "deciding ");
                  has_in_flight = TRUE;
                }
              else if (g_str_has_prefix (line, "decided "))
                {
                  Decision d = parse_decision (line, "decided ");

                  g_assert_true (has_in_flight && d.id == in_flight.id);
                  g_array_append_val (acked, d);
                  has_in_flight = FALSE;
                }
              g_free (line);
            }
          if (reader.eof)
            g_error ("The child ended before it was killed");
          g_usleep (g_rand_int_range (rand, 0, 20) * 1000);
        }

      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (child));
      g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

      /* Whatever it wrote before the kill counts as well. */
      for (char *line; (line = read_line (&reader)) != NULL; g_free (line))
        {
          if (g_str_has_prefix (line, "deciding "))
            {
              in_flight = parse_decision (line, "deciding ");
              has_in_flight = TRUE;
            }
          else if (g_str_has_prefix (line, "decided "))
            {
              Decision d = parse_decision (line, "decided ");

              g_array_append_val (acked, d);
              has_in_flight = FALSE;
            }
        }
      close (fds[0]);
      g_string_free (reader.buffer, TRUE);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        check_after_kill (path, acked, has_in_flight ? &in_flight : NULL, &n_audit, expected);
      else
        g_assert_cmpuint (acked->len, ==, 0);
      n_acked_total += acked->len;
    }

  /* A fresh window in this process shows every decision. */
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(ScStore) store = sc_store_open (path, NULL);
      SichtungWindow *window;
      SichtungDocumentPane *pane;
      GListModel *findings;

      g_assert_nonnull (store);
      window = sc_test_ui_new_window (store);
      pane = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
      sichtung_window_open (window, bescheid, SICHTUNG_PANE_LEFT);
      WAIT_UNTIL (sc_test_ui_pane_shows_stored (pane));
      findings = sichtung_document_pane_get_findings (pane);
      for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
        {
          g_autoptr(SichtungFindingItem) item = g_list_model_get_item (findings, i);
          gint64 id = sichtung_finding_item_get_store_id (item);
          ScStoreDecision want = GPOINTER_TO_INT (g_hash_table_lookup (expected, &id));

          g_assert_cmpint (sichtung_finding_item_get_decision (item), ==,
                           want == SC_STORE_DECISION_ACCEPTED ? SICHTUNG_DECISION_ACCEPTED
                           : want == SC_STORE_DECISION_REJECTED ? SICHTUNG_DECISION_REJECTED
                           : SICHTUNG_DECISION_OPEN);
        }
      sc_test_ui_destroy_window (window);
    }

  g_test_message ("%u kills (%u at any moment), %u acknowledged decisions, %.1f s", iterations,
                  n_early, n_acked_total, (g_get_monotonic_time () - start) / 1e6);
  sc_test_remove_tree (data_home);
}

int
main (int   argc,
      char *argv[])
{
  char *data_home;

  /* The SICHTUNG_DEVICE and findings settings the parent has; the child's store lives in the
   * XDG_DATA_HOME the parent gives it. */
  g_setenv ("SICHTUNG_DEVICE", "cpu", TRUE);

  if (argc == 4 && g_str_equal (argv[1], "--kill-child"))
    {
      g_setenv ("GTK_A11Y", "none", TRUE);
      sc_test_ui_init_toolkit ();
      return run_child ((guint32) g_ascii_strtoull (argv[2], NULL, 10), argv[3]);
    }

  data_home = sc_test_ui_init (&argc, &argv, "persistence-home", SC_TEST_UI_ACCESSIBILITY);

  g_test_add_func ("/sichtung/persistence/snippet-markup", test_snippet_markup);
  g_test_add_func ("/sichtung/persistence/case-workflow", test_case_workflow);
  g_test_add_func ("/sichtung/persistence/decision-refused", test_decision_refused);
  g_test_add_func ("/sichtung/persistence/damaged-store", test_damaged_store);
  g_test_add_func ("/sichtung/persistence/kill", test_kill);

  return sc_test_ui_run (data_home);
}
