/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-compare-ui.c: compare mode in the window, on the sample case: the draft of the
 * Bescheid beside the final one, their differences highlighted in both panes, their findings
 * linked, and the window closed while a comparison still runs. Runs under xvfb-run. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "sichtung-document-pane.h"
#include "sichtung-document-view.h"
#include "sichtung-findings-panel.h"
#include "sichtung-window.h"
#include "sc-test-ui.h"
#include "sc-test-util.h"

#define WAIT_TIMEOUT_MS 60000

#define WAIT_UNTIL(condition) SC_TEST_WAIT_UNTIL (condition, WAIT_TIMEOUT_MS)

/* Analysed, and its text is in the text view. */
static gboolean
pane_ready (SichtungDocumentPane *pane)
{
  GtkTextView *text_view = sichtung_document_pane_get_text_view (pane);

  return sc_test_ui_pane_analysed (pane)
         && gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (text_view)) > 0;
}

/* Whether a toast is shown, or still leaving, anywhere under @widget. */
static gboolean
shows_toast (GtkWidget *widget)
{
  if (g_strcmp0 (gtk_widget_get_css_name (widget), "toast") == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_toast (child))
      return TRUE;
  return FALSE;
}

/* The code point where @needle first occurs in @pane's document text. */
static gsize
offset_of (SichtungDocumentPane *pane,
           const char           *needle)
{
  g_autofree char *text = sc_document_get_text (sichtung_document_pane_get_document (pane));
  const char *hit = strstr (text, needle);

  g_assert_nonnull (hit);
  return (gsize) g_utf8_pointer_to_offset (text, hit);
}

/* Whether both views of @pane show a change of @kind at code point @offset. */
static gboolean
shows_change (SichtungDocumentPane *pane,
              gsize                 offset,
              ScCompareChangeKind   kind)
{
  ScCompareChangeKind text_kind = -1, page_kind = -1;

  return sichtung_document_pane_get_text_change_at (pane, offset, &text_kind)
         && sichtung_document_view_get_change_at (sichtung_document_pane_get_view (pane),
                                                  offset, &page_kind)
         && text_kind == kind
         && page_kind == kind;
}

static gboolean
shows_any_change (SichtungDocumentPane *pane,
                  gsize                 offset)
{
  return sichtung_document_pane_get_text_change_at (pane, offset, NULL)
         || sichtung_document_view_get_change_at (sichtung_document_pane_get_view (pane),
                                                  offset, NULL);
}

/* The finding of @pane whose text is @text, or NULL; the model keeps it alive. */
static SichtungFindingItem *
find_finding (SichtungDocumentPane *pane,
              const char           *text)
{
  GListModel *model = sichtung_document_pane_get_findings (pane);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SichtungFindingItem) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (sichtung_finding_item_get_text (item), text) == 0)
        return item;
    }
  return NULL;
}

/* The last finding of @pane with @text, and how many there are. */
static SichtungFindingItem *
find_last_finding (SichtungDocumentPane *pane,
                   const char           *text,
                   guint                *count)
{
  GListModel *model = sichtung_document_pane_get_findings (pane);
  SichtungFindingItem *last = NULL;

  *count = 0;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SichtungFindingItem) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (sichtung_finding_item_get_text (item), text) == 0)
        {
          last = item;
          (*count)++;
        }
    }
  return last;
}

/* Whether the top of @pane's text view is within a line or so of code point @offset. A view
 * that has not measured every line above yet may land a line off: GtkTextView estimates the
 * height of the lines it has not laid out. */
static gboolean
text_top_near (SichtungDocumentPane *pane,
               gsize                 offset)
{
  gsize top;

  return sichtung_document_pane_get_text_top_offset (pane, &top)
         && (top <= offset ? offset - top : top - offset) < 80;
}

static gboolean
is_compare_button (GtkWidget     *widget,
                   gconstpointer  data)
{
  return GTK_IS_TOGGLE_BUTTON (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                       "win.compare") == 0;
}

static gboolean
compare_state (SichtungWindow *window)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (window),
                                                               "compare");

  return g_variant_get_boolean (state);
}

/* ------------------------------------------------------------------------------------------ */

static void
test_compare (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "compare", NULL);
  g_autofree char *path = g_build_filename (dir, "faelle.sqlite", NULL);
  g_autoptr(GFile) draft = sc_test_ui_find_sample ("bescheid-entwurf");
  g_autoptr(GFile) final = sc_test_ui_find_sample ("bescheid");
  g_autoptr(ScStore) store = NULL;
  SichtungWindow *window;
  SichtungDocumentPane *left, *right;
  SichtungFindingsPanel *panel;
  SichtungDocumentView *left_view, *right_view;
  SichtungFindingItem *case_number, *counterpart, *name;
  ScComparison *comparison;
  GtkWidget *button;
  GAction *action;
  gsize draft_amount, final_amount, unchanged;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  store = sc_store_open (path, &error);
  g_assert_no_error (error);

  /* As sc_test_ui_new_window() makes it, but low enough that the text views scroll. */
  window = sichtung_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 600);
  left = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  right = sichtung_window_get_pane (window, SICHTUNG_PANE_RIGHT);
  sichtung_document_pane_set_use_model (left, FALSE);
  sichtung_document_pane_set_use_model (right, FALSE);
  sichtung_window_set_store (window, store);
  gtk_window_present (GTK_WINDOW (window));
  panel = sichtung_window_get_findings_panel (window);
  left_view = sichtung_document_pane_get_view (left);
  right_view = sichtung_document_pane_get_view (right);
  action = g_action_map_lookup_action (G_ACTION_MAP (window), "compare");
  g_assert_nonnull (action);
  button = sc_test_ui_find_widget (GTK_WIDGET (window), is_compare_button, NULL);
  g_assert_nonnull (button);

  /* Nothing to compare yet. */
  g_assert_false (g_action_get_enabled (action));

  sichtung_window_open (window, draft, SICHTUNG_PANE_LEFT);
  sichtung_window_open (window, final, SICHTUNG_PANE_RIGHT);
  WAIT_UNTIL (pane_ready (left) && pane_ready (right));
  g_assert_true (g_action_get_enabled (action));
  g_assert_false (compare_state (window));

  /* On: both panes show the differences once the comparison is done. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL));
  g_assert_true (compare_state (window));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
  WAIT_UNTIL (sichtung_document_pane_get_comparison (left) != NULL);
  comparison = sichtung_document_pane_get_comparison (left);
  g_assert_true (sichtung_document_pane_get_comparison (right) == comparison);
  g_assert_cmpuint (sc_comparison_get_changes (comparison)->len, >, 0);

  /* The amount of income the draft got wrong: changed on both sides. */
  draft_amount = offset_of (left, "3.214,50");
  final_amount = offset_of (right, "3.412,50");
  g_assert_true (shows_change (left, draft_amount + 1, SC_COMPARE_CHANGED));
  g_assert_true (shows_change (right, final_amount + 1, SC_COMPARE_CHANGED));
  /* Text both share is not marked. */
  unchanged = offset_of (left, "Aktenzeichen");
  g_assert_false (shows_any_change (left, unchanged + 1));

  /* Selecting the case number in the left pane selects its counterpart in the right one;
   * the findings list stays with the active (left) pane. */
  sichtung_window_set_active_pane (window, left);
  case_number = find_finding (left, "4.2-WG-1187/2025");
  counterpart = find_finding (right, "4.2-WG-1187/2025");
  g_assert_nonnull (case_number);
  g_assert_nonnull (counterpart);
  sichtung_findings_panel_set_selected_item (panel, case_number);
  g_assert_true (sichtung_document_pane_get_selected_finding (left) == case_number);
  g_assert_true (sichtung_document_pane_get_selected_finding (right) == counterpart);
  g_assert_true (sichtung_findings_panel_get_selected_item (panel) == case_number);

  /* And the other way round, for the person handling the case. */
  name = find_finding (right, "Jonas Beispiel");
  g_assert_nonnull (name);
  sichtung_document_pane_set_selected_finding (right, name);
  counterpart = sichtung_document_pane_get_selected_finding (left);
  g_assert_nonnull (counterpart);
  g_assert_cmpstr (sichtung_finding_item_get_text (counterpart), ==, "Jonas Beispiel");

  /* A text found several times on both sides: a later mention selects the mention in the
   * matched paragraph, not the first one. */
  {
    GListModel *model = sichtung_document_pane_get_findings (left);
    gboolean checked = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (model) && !checked; i++)
      {
        g_autoptr(SichtungFindingItem) item = g_list_model_get_item (model, i);
        const char *text = sichtung_finding_item_get_text (item);
        SichtungFindingItem *last_left, *last_right;
        guint n_left, n_right;

        last_left = find_last_finding (left, text, &n_left);
        last_right = find_last_finding (right, text, &n_right);
        if (n_left < 2 || n_right < 2 || n_left != n_right)
          continue;
        sichtung_document_pane_set_selected_finding (right, NULL);
        sichtung_document_pane_set_selected_finding (left, last_left);
        if (sichtung_document_pane_get_selected_finding (right) == NULL)
          continue; /* not linked (a date, say) */
        g_test_message ("repeated finding: %s (%u times)", text, n_left);
        g_assert_true (sichtung_document_pane_get_selected_finding (right) == last_right);
        checked = TRUE;
      }
    g_assert_true (checked);
    sichtung_document_pane_set_selected_finding (right, name);
  }

  /* Scrolling the active pane with synchronised scrolling moves the other along. */
  sichtung_window_set_sync_scroll (window, TRUE);
  /* Zoomed in, so that half a page is in reach of the scroll bar. */
  sichtung_document_view_set_zoom (left_view, 2.0);
  sichtung_document_view_set_zoom (right_view, 2.0);
  sichtung_document_view_set_position (left_view, 0.0);
  WAIT_UNTIL (sichtung_document_view_get_position (right_view) < 0.1);
  sichtung_document_view_set_position (left_view, 0.5);
  WAIT_UNTIL (sichtung_document_view_get_position (right_view) > 0.2);
  g_assert_cmpfloat (sichtung_document_view_get_position (right_view), <, 1.0);

  /* In the text views as well (which the window alone does not keep in step): the line with
   * the case number in the draft brings up that line in the final version. Asked for right
   * after the switch, before the text views have a size, and then the main loop held up for
   * longer than a follow waits for a layout that goes on growing, as on a slow machine: the
   * line is reached all the same, although the switch itself asked both views to show the
   * selected finding, the signature at the end, and the views get there after the request. */
  {
    guint n_mentions;

    /* The toasts of the analyses and the comparison have run out first: libadwaita 1.2 frees
     * a toast whose timeout ends before its show animation has had a frame, as after the
     * stall below, and then ends that animation on the freed toast. */
    WAIT_UNTIL (!shows_toast (GTK_WIDGET (window)));
    sichtung_document_pane_set_selected_finding (left,
                                                 find_last_finding (left, "Jonas Beispiel",
                                                                    &n_mentions));
    g_assert_cmpuint (n_mentions, >=, 2);
  }
  sichtung_document_pane_set_view_mode (left, "text");
  sichtung_document_pane_set_view_mode (right, "text");
  sichtung_window_set_active_pane (window, left);
  sichtung_document_pane_scroll_text_to_offset (left, offset_of (left, "Aktenzeichen"));
  g_usleep (3 * G_USEC_PER_SEC);
  WAIT_UNTIL (text_top_near (left, offset_of (left, "Aktenzeichen"))
              && text_top_near (right, offset_of (right, "Aktenzeichen")));
  /* And once they are laid out, back up to the letterhead. */
  sc_test_spin (200);
  sichtung_document_pane_scroll_text_to_offset (left, offset_of (left, "Kreisverwaltung"));
  WAIT_UNTIL (text_top_near (left, offset_of (left, "Kreisverwaltung"))
              && text_top_near (right, offset_of (right, "Kreisverwaltung")));

  /* Off: the differences go, the links too. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL));
  g_assert_false (compare_state (window));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
  g_assert_null (sichtung_document_pane_get_comparison (left));
  g_assert_null (sichtung_document_pane_get_comparison (right));
  g_assert_false (shows_any_change (left, draft_amount + 1));
  g_assert_false (shows_any_change (right, final_amount + 1));
  sichtung_findings_panel_set_selected_item (panel, case_number);
  g_assert_true (sichtung_document_pane_get_selected_finding (right) == name);

  /* Closing the window while a comparison runs drops its result safely. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL));
  g_assert_true (compare_state (window));
  sc_test_ui_destroy_window (window);
  sc_test_spin (500);
}

int
main (int   argc,
      char *argv[])
{
  char *data_home = sc_test_ui_init (&argc, &argv, "compare", SC_TEST_UI_CPU);

  g_test_add_func ("/sichtung/compare/window", test_compare);

  return sc_test_ui_run (data_home);
}
