/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-workbench.c: the findings side of the workbench: every new template loads, a document
 * is analysed in the background, its findings are listed by category with counts, reviewed
 * with the keyboard, filtered, highlighted in both views and explained. Runs under xvfb-run. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "sichtung-document-pane.h"
#include "sichtung-explanation-panel.h"
#include "sichtung-finding-item.h"
#include "sichtung-finding-row.h"
#include "sichtung-findings-panel.h"
#include "sichtung-what-if-window.h"
#include "sichtung-window.h"
#include "sc-test-ui.h"
#include "sc-test-util.h"

#define WAIT_TIMEOUT_MS 60000

#define WAIT_UNTIL(condition) SC_TEST_WAIT_UNTIL (condition, WAIT_TIMEOUT_MS)

/* The findings of a small letter, analysed right here with the rules only. */
static ScAnalysis *
analyse_text (const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(ScDocument) document = NULL;
  g_autoptr(ScAnalyzer) analyzer = sc_analyzer_new ();
  g_autoptr(GError) error = NULL;
  ScAnalysis *analysis;

  document = sc_document_new_from_bytes (bytes, "brief.txt", NULL, &error);
  g_assert_no_error (error);
  analysis = sc_analyzer_run (analyzer, document, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return analysis;
}

/* ------------------------------------------------------------------------------------------ */

/* A .ui file can name a widget or property the runtime lacks: build every new one. */
static void
test_templates (void)
{
  g_autoptr(ScAnalysis) analysis = analyse_text ("Frau\nErika Mustermann\nLindenstraße 12\n");
  ScPageFinding *finding;
  g_autoptr(SichtungFindingItem) item = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *panel = sichtung_findings_panel_new ();
  GtkWidget *explanation = sichtung_explanation_panel_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row;
  SichtungWhatIfWindow *what_if;
  g_autofree char *what_if_text = NULL;

  g_assert_cmpuint (sc_analysis_get_findings (analysis)->len, >, 0);
  finding = g_ptr_array_index (sc_analysis_get_findings (analysis), 0);
  item = sichtung_finding_item_new (finding);

  g_assert_true (SICHTUNG_IS_FINDINGS_PANEL (panel));
  g_assert_true (SICHTUNG_IS_EXPLANATION_PANEL (explanation));
  g_assert_true (GTK_IS_BOX (sichtung_explanation_panel_get_heatmap_box (
                               SICHTUNG_EXPLANATION_PANEL (explanation))));
  row = sichtung_finding_row_new (item);
  g_assert_true (sichtung_finding_row_get_item (SICHTUNG_FINDING_ROW (row)) == item);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  /* A row without an item, as GtkBuilder could make it, stays empty and quiet. */
  gtk_list_box_append (GTK_LIST_BOX (list), g_object_new (SICHTUNG_TYPE_FINDING_ROW, NULL));

  gtk_box_append (GTK_BOX (box), panel);
  gtk_box_append (GTK_BOX (box), explanation);
  gtk_box_append (GTK_BOX (box), list);
  gtk_window_set_child (GTK_WINDOW (window), box);
  sichtung_explanation_panel_set_item (SICHTUNG_EXPLANATION_PANEL (explanation), item);
  sichtung_explanation_panel_set_analysis (SICHTUNG_EXPLANATION_PANEL (explanation), analysis);
  gtk_window_present (GTK_WINDOW (window));
  sc_test_spin (100);
  gtk_window_destroy (GTK_WINDOW (window));

  what_if = sichtung_what_if_window_new (NULL);
  g_assert_true (SICHTUNG_IS_WHAT_IF_WINDOW (what_if));
  what_if_text = sichtung_what_if_window_get_text (what_if);
  g_assert_nonnull (strstr (what_if_text, "Erika Mustermann"));
  gtk_window_present (GTK_WINDOW (what_if));
  sc_test_spin (100);
  gtk_window_destroy (GTK_WINDOW (what_if));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* The item tells what was found, and notifies decisions once per change. */
static void
test_item (void)
{
  g_autoptr(ScAnalysis) analysis = analyse_text ("Sehr geehrte Frau Erika  Mustermann,\n\n"
                                                 "IBAN DE89 3704 0044 0532 0130 00\n");
  GPtrArray *findings = sc_analysis_get_findings (analysis);
  g_autoptr(SichtungFindingItem) person = NULL;
  g_autoptr(SichtungFindingItem) iban = NULL;
  guint n_notify = 0;

  for (guint i = 0; i < findings->len; i++)
    {
      ScPageFinding *finding = g_ptr_array_index (findings, i);

      if (finding->finding->category == SC_FINDING_PERSON)
        person = sichtung_finding_item_new (finding);
      else if (finding->finding->category == SC_FINDING_IBAN)
        iban = sichtung_finding_item_new (finding);
    }
  g_assert_nonnull (person);
  g_assert_nonnull (iban);

  g_assert_cmpstr (sichtung_finding_item_get_text (person), ==, "Erika  Mustermann");
  g_assert_cmpstr (sichtung_finding_item_get_key (person), ==, "erika mustermann");
  g_assert_cmpuint (sichtung_finding_item_get_page (person), ==, 0);
  g_assert_cmpstr (sichtung_finding_item_get_category_name (person), ==, "Person");
  g_assert_cmpfloat (sichtung_finding_item_get_confidence (iban), >, 0.5);
  g_assert_true (sichtung_finding_item_get_sources (iban) & (1u << SC_FINDING_SOURCE_RULE));
  g_assert_nonnull (strstr (sichtung_finding_item_get_source_names (iban), "Rule"));

  g_signal_connect (person, "notify::decision", G_CALLBACK (count_notify), &n_notify);
  g_assert_cmpint (sichtung_finding_item_get_decision (person), ==, SICHTUNG_DECISION_OPEN);
  sichtung_finding_item_set_decision (person, SICHTUNG_DECISION_ACCEPTED);
  sichtung_finding_item_set_decision (person, SICHTUNG_DECISION_ACCEPTED);
  g_assert_cmpuint (n_notify, ==, 1);
  g_object_set (person, "decision", SICHTUNG_DECISION_EDITED, "reason", "Tippfehler", NULL);
  g_assert_cmpuint (n_notify, ==, 2);
  g_assert_cmpint (sichtung_finding_item_get_decision (person), ==, SICHTUNG_DECISION_EDITED);
  g_assert_cmpstr (sichtung_finding_item_get_reason (person), ==, "Tippfehler");
}

static void
test_review (void)
{
  g_autoptr(GFile) file = sc_test_sample_file ("03-bescheid.txt");
  SichtungWindow *window = sichtung_window_new (NULL);
  SichtungDocumentPane *pane = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  SichtungFindingsPanel *panel = sichtung_window_get_findings_panel (window);
  SichtungExplanationPanel *explanation = sichtung_window_get_explanation_panel (window);
  SichtungDocumentView *view = sichtung_document_pane_get_view (pane);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (sichtung_document_pane_get_text_view (pane));
  GListModel *findings = sichtung_document_pane_get_findings (pane);
  GListModel *visible = sichtung_findings_panel_get_visible_items (panel);
  GtkListBox *list_box = sichtung_findings_panel_get_list_box (panel);
  SichtungFindingItem *erika, *jonas, *next;
  GtkListBoxRow *row;
  GtkWidget *header, *button;
  g_autofree char *text = NULL;
  guint n_persons, n_jonas = 0;

  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (sichtung_window_get_show_findings (window));

  /* Rules only: quick, and the same on every machine. */
  sichtung_document_pane_set_use_model (pane, FALSE);
  sichtung_document_pane_open (pane, file);
  WAIT_UNTIL (sc_test_ui_pane_analysed (pane));
  g_assert_null (sichtung_document_pane_get_error_message (pane));
  g_assert_null (sc_analysis_get_model_name (sichtung_document_pane_get_analysis (pane)));

  /* The panel lists the active pane's findings, with a section per category and its count. */
  g_assert_true (sichtung_findings_panel_get_model (panel) == findings);
  g_assert_cmpuint (g_list_model_get_n_items (findings), >, 5);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, g_list_model_get_n_items (findings));
  erika = sc_test_ui_find_item (findings, SC_FINDING_PERSON, "Erika Mustermann");
  g_assert_nonnull (erika);
  g_assert_nonnull (sc_test_ui_find_item (findings, SC_FINDING_IBAN,
                                         "DE89 3704 0044 0532 0130 00"));
  n_persons = sichtung_findings_panel_get_category_count (panel, SC_FINDING_PERSON);
  g_assert_cmpuint (n_persons, >=, 3);
  sc_test_spin (100);
  row = gtk_list_box_get_row_at_index (list_box, 0);
  g_assert_nonnull (row);
  header = gtk_list_box_row_get_header (row);
  g_assert_nonnull (header);
  {
    GtkWidget *label = gtk_widget_get_last_child (header);
    g_autofree char *expected = g_strdup_printf ("Person (%u)", n_persons);

    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, expected);
  }

  /* The page view draws the same findings. */
  g_assert_true (sichtung_document_view_get_findings (view) == findings);

  /* Selecting a finding highlights it in both views and explains it. */
  sichtung_findings_panel_set_selected_item (panel, erika);
  g_assert_true (sichtung_document_pane_get_selected_finding (pane) == erika);
  g_assert_true (sichtung_document_view_get_selected_finding (view) == erika);
  g_assert_true (sichtung_explanation_panel_get_item (explanation) == erika);
  g_assert_true (gtk_list_box_get_selected_row (list_box) != NULL);
  g_assert_true (sichtung_finding_row_get_item (
                   SICHTUNG_FINDING_ROW (gtk_list_box_get_selected_row (list_box))) == erika);
  WAIT_UNTIL ((text = sc_test_ui_tagged_text (buffer, "finding-selected")) != NULL);
  g_assert_cmpstr (text, ==, "Erika Mustermann");
  /* The text view tags each finding with its category and decision: open, so far. */
  g_free (text);
  WAIT_UNTIL ((text = sc_test_ui_tagged_text (buffer, "finding-0-0")) != NULL);
  g_assert_cmpstr (text, ==, "Erika Mustermann");

  /* Accessible names say what each button does to which finding. */
  row = gtk_list_box_get_selected_row (list_box);
  button = sc_test_ui_find_with_class (GTK_WIDGET (row), "accept-button");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Accept “Erika Mustermann”");
  button = sc_test_ui_find_with_class (GTK_WIDGET (row), "reject-button");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Reject “Erika Mustermann”");
  {
    g_autofree char *expected =
      g_strdup_printf ("Person: Erika Mustermann, page 1, %d %%, Open",
                       (int) (sichtung_finding_item_get_confidence (erika) * 100 + 0.5));

    gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                         expected);
  }

  /* Keyboard review: “a” accepts and moves on, “k” goes back, “r” rejects, “j” moves on. */
  sc_test_ui_press_key (GTK_WIDGET (panel), GDK_KEY_a, 0);
  g_assert_cmpint (sichtung_finding_item_get_decision (erika), ==, SICHTUNG_DECISION_ACCEPTED);
  next = sichtung_findings_panel_get_selected_item (panel);
  g_assert_true (next != erika);
  sc_test_ui_press_key (GTK_WIDGET (panel), GDK_KEY_k, 0);
  g_assert_true (sichtung_findings_panel_get_selected_item (panel) == erika);
  sc_test_ui_press_key (GTK_WIDGET (panel), GDK_KEY_r, 0);
  g_assert_cmpint (sichtung_finding_item_get_decision (erika), ==, SICHTUNG_DECISION_REJECTED);
  g_assert_true (sichtung_findings_panel_get_selected_item (panel) == next);
  sc_test_ui_press_key (GTK_WIDGET (panel), GDK_KEY_k, 0);
  sc_test_ui_press_key (GTK_WIDGET (panel), GDK_KEY_j, 0);
  g_assert_true (sichtung_findings_panel_get_selected_item (panel) == next);
  g_free (text);
  WAIT_UNTIL ((text = sc_test_ui_tagged_text (buffer, "finding-0-2")) != NULL);
  g_assert_cmpstr (text, ==, "Erika Mustermann");

  /* Every occurrence of a person at once. */
  jonas = sc_test_ui_find_item (findings, SC_FINDING_PERSON, "Jonas Beispiel");
  g_assert_nonnull (jonas);
  sichtung_findings_panel_decide_all (panel, jonas, SICHTUNG_DECISION_ACCEPTED);
  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(SichtungFindingItem) item = g_list_model_get_item (findings, i);

      if (g_str_equal (sichtung_finding_item_get_key (item), "jonas beispiel"))
        {
          g_assert_cmpint (sichtung_finding_item_get_decision (item), ==,
                           SICHTUNG_DECISION_ACCEPTED);
          n_jonas++;
        }
    }
  g_assert_cmpuint (n_jonas, >=, 2);

  /* Filters hide and show rows. */
  sichtung_findings_panel_set_category_filter (panel, SC_FINDING_PERSON);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, n_persons);
  sc_test_spin (50);
  g_assert_nonnull (gtk_list_box_get_row_at_index (list_box, (int) n_persons - 1));
  g_assert_null (gtk_list_box_get_row_at_index (list_box, (int) n_persons));
  sichtung_findings_panel_set_decision_filter (panel, SICHTUNG_DECISION_ACCEPTED);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, n_jonas);
  sichtung_findings_panel_set_decision_filter (panel, SICHTUNG_DECISION_REJECTED);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 1);
  g_assert_true (sichtung_findings_panel_get_selected_item (panel) == NULL
                 || gtk_list_box_get_selected_row (list_box) == NULL
                 || sichtung_findings_panel_get_selected_item (panel) == erika);
  sichtung_findings_panel_set_category_filter (panel, -1);
  sichtung_findings_panel_set_decision_filter (panel, -1);
  sichtung_findings_panel_set_min_confidence (panel, 1.0);
  g_assert_cmpuint (g_list_model_get_n_items (visible), <, g_list_model_get_n_items (findings));
  sichtung_findings_panel_set_min_confidence (panel, 0.0);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, g_list_model_get_n_items (findings));

  /* The text view shows the same findings; switching to it keeps the selection. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.view-mode", "s", "text");
  sc_test_spin (50);
  g_assert_true (sichtung_document_pane_get_selected_finding (pane)
                 == sichtung_findings_panel_get_selected_item (panel));

  /* Cancelling an analysis leaves no findings and says so; analysing again brings them back. */
  sichtung_document_pane_analyze (pane);
  g_assert_true (sichtung_document_pane_get_analyzing (pane));
  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (pane), "pane.cancel-analysis", NULL);
  g_assert_false (sichtung_document_pane_get_analyzing (pane));
  g_assert_nonnull (sichtung_document_pane_get_analysis_note (pane));
  sc_test_spin (100);
  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (pane), "pane.analyze", NULL);
  WAIT_UNTIL (sc_test_ui_pane_analysed (pane));
  g_assert_nonnull (sc_test_ui_find_item (findings, SC_FINDING_PERSON, "Erika Mustermann"));

  /* Hiding the sidebar. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-findings", NULL);
  g_assert_false (sichtung_window_get_show_findings (window));

  sc_test_ui_destroy_window (window);
}

/* With the shipped model, when there is one: the analysis names the model and its device. */
static void
test_model (void)
{
  g_autofree char *model = sc_ner_find_default_model ();
  g_autoptr(GFile) file = sc_test_sample_file ("03-bescheid.txt");
  SichtungWindow *window;
  SichtungDocumentPane *pane;
  ScAnalysis *analysis;

  if (model == NULL)
    {
      g_test_skip ("no findings model is installed");
      return;
    }

  window = sichtung_window_new (NULL);
  pane = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  gtk_window_present (GTK_WINDOW (window));
  sichtung_document_pane_open (pane, file);
  WAIT_UNTIL (sc_test_ui_pane_analysed (pane)
              || sichtung_document_pane_get_error_message (pane) != NULL);
  g_assert_null (sichtung_document_pane_get_error_message (pane));
  analysis = sichtung_document_pane_get_analysis (pane);
  g_assert_nonnull (sc_analysis_get_model_name (analysis));
  g_assert_nonnull (sc_test_ui_find_item (sichtung_document_pane_get_findings (pane),
                                         SC_FINDING_PERSON, "Erika Mustermann"));

  sc_test_ui_destroy_window (window);
}

/* The first finding whose sources include all of @sources (1 << ScFindingSource each) and, when
 * @only, no other. */
static SichtungFindingItem *
find_item_by_sources (GListModel *model,
                      guint       sources,
                      gboolean    only)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SichtungFindingItem) item = g_list_model_get_item (model, i);
      guint found_by = sichtung_finding_item_get_sources (item);

      if ((found_by & sources) == sources && (!only || found_by == sources))
        return item; /* the model keeps it alive */
    }
  return NULL;
}

static gboolean
heatmap_done (SichtungExplanationPanel *panel)
{
  const char *state = sichtung_explanation_panel_get_heatmap_state (panel);

  return g_strcmp0 (state, "result") == 0 || g_strcmp0 (state, "error") == 0;
}

/* With the shipped model: a model finding gets word scores computed in the background; a
 * finding of the rules alone gets a note instead, also when it replaces a selection whose
 * scores are still being computed. */
static void
test_heatmap (void)
{
  g_autofree char *model = sc_ner_find_default_model ();
  g_autoptr(GFile) file = sc_test_sample_file ("03-bescheid.txt");
  SichtungWindow *window;
  SichtungDocumentPane *pane;
  SichtungFindingsPanel *findings;
  SichtungExplanationPanel *panel;
  SichtungFindingItem *modelled;
  SichtungFindingItem *rule;
  GtkLabel *label;
  GtkWidget *heatmap;
  GtkWidget *methods;
  g_autofree char *text = NULL;
  g_auto(GStrv) words = NULL;

  if (model == NULL)
    {
      g_test_skip ("no findings model is installed");
      return;
    }

  window = sichtung_window_new (NULL);
  pane = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  findings = sichtung_window_get_findings_panel (window);
  panel = sichtung_window_get_explanation_panel (window);
  gtk_window_present (GTK_WINDOW (window));
  sichtung_document_pane_open (pane, file);
  WAIT_UNTIL (sc_test_ui_pane_analysed (pane)
              || sichtung_document_pane_get_error_message (pane) != NULL);
  g_assert_null (sichtung_document_pane_get_error_message (pane));
  g_assert_null (sichtung_explanation_panel_get_heatmap_state (panel));

  modelled = find_item_by_sources (sichtung_document_pane_get_findings (pane),
                                 1u << SC_FINDING_SOURCE_MODEL, FALSE);
  rule = find_item_by_sources (sichtung_document_pane_get_findings (pane),
                               1u << SC_FINDING_SOURCE_RULE, TRUE);
  g_assert_nonnull (modelled);
  g_assert_nonnull (rule);

  /* a new selection cancels the scores in progress: the note stays */
  sichtung_findings_panel_set_selected_item (findings, modelled);
  g_assert_cmpstr (sichtung_explanation_panel_get_heatmap_state (panel), ==, "busy");
  sichtung_findings_panel_set_selected_item (findings, rule);
  g_assert_cmpstr (sichtung_explanation_panel_get_heatmap_state (panel), ==, "note");
  g_assert_cmpstr (gtk_label_get_text (sichtung_explanation_panel_get_heatmap_note (panel)), !=,
                   "");
  sc_test_spin (500);
  g_assert_cmpstr (sichtung_explanation_panel_get_heatmap_state (panel), ==, "note");

  sichtung_findings_panel_set_selected_item (findings, modelled);
  WAIT_UNTIL (heatmap_done (panel));
  g_assert_cmpstr (sichtung_explanation_panel_get_heatmap_state (panel), ==, "result");
  label = sichtung_explanation_panel_get_heatmap_label (panel);
  text = g_strdup (gtk_label_get_text (label));
  words = g_strsplit_set (sichtung_finding_item_get_text (modelled), " \t\n", -1);
  g_assert_nonnull (strstr (text, words[0]));
  g_assert_nonnull (strstr (gtk_label_get_label (label), "underline=\"single\""));
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (label),
                                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));

  /* the other method colours the same words */
  heatmap = GTK_WIDGET (sichtung_explanation_panel_get_heatmap_box (panel));
  methods = sc_test_ui_find_of_type (heatmap, GTK_TYPE_TOGGLE_BUTTON);
  g_assert_nonnull (methods);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (methods)));
  methods = gtk_widget_get_next_sibling (methods);
  g_assert_true (GTK_IS_TOGGLE_BUTTON (methods));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (methods)));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (methods), TRUE);
  g_assert_cmpstr (sichtung_explanation_panel_get_heatmap_state (panel), ==, "result");
  g_assert_cmpstr (gtk_label_get_text (label), ==, text);

  sichtung_findings_panel_set_selected_item (findings, rule);
  g_assert_cmpstr (sichtung_explanation_panel_get_heatmap_state (panel), ==, "note");

  sc_test_ui_destroy_window (window);
}

/* Whether the “What If?” editor shows, for the text it holds now, a person finding whose
 * words include @name (or any person finding when @name is NULL). */
static gboolean
what_if_shows_person (SichtungWhatIfWindow *window,
                      const char           *name)
{
  GPtrArray *findings = sichtung_what_if_window_get_findings (window);

  if (findings == NULL)
    return FALSE;
  for (guint i = 0; i < findings->len; i++)
    {
      const ScFinding *finding = g_ptr_array_index (findings, i);

      if (finding->category == SC_FINDING_PERSON
          && (name == NULL || strstr (finding->text, name) != NULL))
        return TRUE;
    }
  return FALSE;
}

static gboolean
what_if_settled (SichtungWhatIfWindow *window)
{
  const char *state = sichtung_what_if_window_get_state (window);

  return !sichtung_what_if_window_is_busy (window)
         && (g_strcmp0 (state, "result") == 0 || g_strcmp0 (state, "error") == 0);
}

/* With the shipped model: the “What If?” editor tags the text live, explains the finding and
 * follows an edit that removes the name. */
static void
test_what_if (void)
{
  g_autofree char *model = sc_ner_find_default_model ();
  SichtungWhatIfWindow *window;
  const char *tagged;

  if (model == NULL)
    {
      g_test_skip ("no findings model is installed");
      return;
    }

  window = sichtung_what_if_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  sichtung_what_if_window_set_text (window,
                                    "Der Bescheid wurde Frau Erika Mustermann am 3. März 2024 "
                                    "zugestellt.");
  WAIT_UNTIL (what_if_settled (window));
  g_assert_cmpstr (sichtung_what_if_window_get_state (window), ==, "result");
  g_assert_true (what_if_shows_person (window, "Mustermann"));
  tagged = gtk_label_get_text (sichtung_what_if_window_get_tagged_label (window));
  g_assert_nonnull (strstr (tagged, "Mustermann"));
  g_assert_nonnull (strstr (tagged, sc_finding_category_get_display_name (SC_FINDING_PERSON)));
  g_assert_cmpstr (gtk_label_get_text (sichtung_what_if_window_get_heatmap_label (window)), !=,
                   "");

  /* the name goes: so does the finding */
  sichtung_what_if_window_set_text (window, "Der Bescheid wurde am 3. März 2024 zugestellt.");
  g_assert_true (sichtung_what_if_window_is_busy (window));
  WAIT_UNTIL (what_if_settled (window));
  g_assert_cmpstr (sichtung_what_if_window_get_state (window), ==, "result");
  g_assert_false (what_if_shows_person (window, NULL));
  tagged = gtk_label_get_text (sichtung_what_if_window_get_tagged_label (window));
  g_assert_null (strstr (tagged, sc_finding_category_get_display_name (SC_FINDING_PERSON)));

  sc_test_ui_destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  char *data_home = sc_test_ui_init (&argc, &argv, "workbench",
                                     SC_TEST_UI_ACCESSIBILITY | SC_TEST_UI_CPU);

  g_test_add_func ("/sichtung/workbench/templates", test_templates);
  g_test_add_func ("/sichtung/workbench/item", test_item);
  g_test_add_func ("/sichtung/workbench/review", test_review);
  g_test_add_func ("/sichtung/workbench/model", test_model);
  g_test_add_func ("/sichtung/workbench/heatmap", test_heatmap);
  g_test_add_func ("/sichtung/workbench/what-if", test_what_if);

  return sc_test_ui_run (data_home);
}
