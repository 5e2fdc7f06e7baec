/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-trainer.c: the trainers' window (Schulungsmodus) on a sample document with the shipped
 * model: every finding of the model listed and given word scores, both methods side by side,
 * the deletion test, the selection kept in step with the main window. Runs under xvfb-run. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <math.h>
#include <string.h>
#include <adwaita.h>

#include "sichtung-document-pane.h"
#include "sichtung-finding-item.h"
#include "sichtung-trainer-window.h"
#include "sichtung-window.h"
#include "sc-test-ui.h"
#include "sc-test-util.h"

#define WAIT_TIMEOUT_MS 120000

#define WAIT_UNTIL(condition) SC_TEST_WAIT_UNTIL (condition, WAIT_TIMEOUT_MS)

static gboolean
detail_done (SichtungTrainerWindow *trainer)
{
  const char *state = sichtung_trainer_window_get_detail_state (trainer);

  return g_strcmp0 (state, "error") == 0
         || (g_strcmp0 (state, "result") == 0
             && sichtung_trainer_window_get_n_deletion_steps (trainer) > 0);
}

/* How many findings of @model the model had a part in. */
static guint
count_model_findings (GListModel *model)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SichtungFindingItem) item = g_list_model_get_item (model, i);

      if (sichtung_finding_item_get_sources (item) & (1u << SC_FINDING_SOURCE_MODEL))
        n++;
    }
  return n;
}

static void
test_trainer (void)
{
  g_autofree char *model = sc_ner_find_default_model ();
  g_autoptr(GFile) file = NULL;
  SichtungWindow *window;
  SichtungDocumentPane *pane;
  SichtungTrainerWindow *trainer;
  GtkListBox *list;
  GtkListBoxRow *row;
  SichtungFindingItem *first;
  SichtungFindingItem *second;
  guint n_findings, last;
  const char *agreement;

  if (model == NULL)
    {
      g_test_skip ("no findings model is installed");
      return;
    }

  file = sc_test_ui_find_sample ("bescheid");
  window = sichtung_window_new (NULL);
  pane = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  gtk_window_present (GTK_WINDOW (window));

  /* Opened before the document: it says so, then follows the pane. */
  trainer = sichtung_trainer_window_new (window);
  gtk_window_present (GTK_WINDOW (trainer));
  g_assert_true (sichtung_trainer_window_get_window (trainer) == window);
  g_assert_cmpuint (sichtung_trainer_window_get_n_findings (trainer), ==, 0);

  sichtung_document_pane_open (pane, file);
  WAIT_UNTIL (sc_test_ui_pane_analysed (pane)
              || sichtung_document_pane_get_error_message (pane) != NULL);
  g_assert_null (sichtung_document_pane_get_error_message (pane));

  n_findings = count_model_findings (sichtung_document_pane_get_findings (pane));
  g_assert_cmpuint (n_findings, >, 2);
  WAIT_UNTIL (sichtung_trainer_window_get_n_findings (trainer) == n_findings);
  list = sichtung_trainer_window_get_findings_list (trainer);
  g_assert_nonnull (gtk_list_box_get_row_at_index (list, (int) n_findings - 1));

  /* The first person is selected and explained first, with the deletion test. */
  first = sichtung_trainer_window_get_selected (trainer);
  g_assert_nonnull (first);
  g_assert_cmpint (sichtung_finding_item_get_category (first), ==, SC_FINDING_PERSON);
  g_assert_true (sichtung_document_pane_get_selected_finding (pane) == first);
  WAIT_UNTIL (detail_done (trainer));
  g_assert_cmpstr (sichtung_trainer_window_get_detail_state (trainer), ==, "result");
  g_assert_cmpstr (gtk_label_get_text (sichtung_trainer_window_get_heatmap_label (
                     trainer, SC_EXPLAIN_OCCLUSION)), !=, "");
  g_assert_cmpstr (gtk_label_get_text (sichtung_trainer_window_get_heatmap_label (
                     trainer, SC_EXPLAIN_KERNEL_SHAP)), !=, "");
  agreement = gtk_label_get_text (sichtung_trainer_window_get_agreement_label (trainer));
  g_assert_cmpstr (agreement, !=, "");
  g_test_message ("%s", agreement);

  last = sichtung_trainer_window_get_n_deletion_steps (trainer) - 1;
  g_assert_cmpuint (last, >=, 1);
  g_assert_cmpfloat (sichtung_trainer_window_get_deletion_probability (trainer, 0, FALSE), ==,
                     sichtung_trainer_window_get_deletion_probability (trainer, 0, TRUE));
  for (guint k = 0; k <= last; k++)
    {
      double top = sichtung_trainer_window_get_deletion_probability (trainer, k, FALSE);
      double random = sichtung_trainer_window_get_deletion_probability (trainer, k, TRUE);

      g_assert_cmpfloat (top, >, 0.0);
      g_assert_cmpfloat (top, <=, 1.0);
      g_assert_cmpfloat (random, >, 0.0);
      g_assert_cmpfloat (random, <=, 1.0);
      g_test_message ("%u words hidden: top %.3f, random %.3f", k, top, random);
    }
  sichtung_trainer_window_play_deletion_test (trainer);
  sc_test_spin (50);

  /* Selecting here selects in the main window … */
  row = gtk_list_box_get_row_at_index (list, 0);
  if (gtk_list_box_row_is_selected (row))
    row = gtk_list_box_get_row_at_index (list, 1);
  gtk_list_box_select_row (list, row);
  second = sichtung_trainer_window_get_selected (trainer);
  g_assert_true (second != first);
  g_assert_true (sichtung_document_pane_get_selected_finding (pane) == second);
  WAIT_UNTIL (detail_done (trainer));

  /* … and the other way round. */
  sichtung_document_pane_set_selected_finding (pane, first);
  g_assert_true (sichtung_trainer_window_get_selected (trainer) == first);

  /* The scores of every finding arrive, one after the other. */
  WAIT_UNTIL (sichtung_trainer_window_get_n_explained (trainer) == n_findings);

  /* A new analysis starts over; closing the main window mid-way leaves nothing running. */
  sichtung_document_pane_analyze (pane);
  WAIT_UNTIL (sc_test_ui_pane_analysed (pane));
  WAIT_UNTIL (sichtung_trainer_window_get_n_findings (trainer) == n_findings);
  g_assert_cmpuint (sichtung_trainer_window_get_n_explained (trainer), <, n_findings);
  sc_test_ui_destroy_window (window);
  g_assert_null (sichtung_trainer_window_get_window (trainer));
  g_assert_cmpuint (sichtung_trainer_window_get_n_findings (trainer), ==, 0);
  gtk_window_destroy (GTK_WINDOW (trainer));
  sc_test_spin (200);
}

int
main (int   argc,
      char *argv[])
{
  char *data_home = sc_test_ui_init (&argc, &argv, "trainer",
                                     SC_TEST_UI_ACCESSIBILITY | SC_TEST_UI_CPU);

  g_test_add_func ("/sichtung/trainer/window", test_trainer);

  return sc_test_ui_run (data_home);
}
