/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-accessibility.c: with the sample case open side by side, every control the window shows
 * has an accessible name (BITV 2.0 / EN 301 549), and the key widgets have the roles screen
 * readers expect; the text view names the finding its caret is on. Uses GTK's test AT context;
 * tests/atspi/test-atspi.py checks the same window over AT-SPI. Runs under xvfb-run. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "sichtung-case-sidebar.h"
#include "sichtung-document-pane.h"
#include "sichtung-explanation-panel.h"
#include "sichtung-finding-item.h"
#include "sichtung-finding-row.h"
#include "sichtung-findings-panel.h"
#include "sichtung-window.h"
#include "sc-test-ui.h"
#include "sc-test-util.h"

#define WAIT_TIMEOUT_MS 60000

#define WAIT_UNTIL(condition) SC_TEST_WAIT_UNTIL (condition, WAIT_TIMEOUT_MS)

/* A path like "SichtungWindow/…/GtkBox/GtkButton.accept-button" that says where a widget is. */
static char *
widget_path (GtkWidget *widget)
{
  GString *path = g_string_new (NULL);

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      g_auto(GStrv) classes = gtk_widget_get_css_classes (w);
      g_autofree char *joined = classes != NULL ? g_strjoinv (".", classes) : NULL;

      if (joined != NULL && joined[0] != '\0')
        {
          g_string_prepend (path, joined);
          g_string_prepend_c (path, '.');
        }
      g_string_prepend (path, G_OBJECT_TYPE_NAME (w));
      if (gtk_widget_get_parent (w) != NULL)
        g_string_prepend_c (path, '/');
    }
  return g_string_free (path, FALSE);
}

/* Whether a visible label with text lies inside @widget: a button with a label is named by
 * it. */
static gboolean
has_visible_text_label (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_visible (child))
        continue;
      if (GTK_IS_LABEL (child))
        {
          g_autofree char *text = g_strstrip (g_strdup (gtk_label_get_text (GTK_LABEL (child))));

          if (text[0] != '\0')
            return TRUE;
        }
      if (has_visible_text_label (child))
        return TRUE;
    }
  return FALSE;
}

/* Whether @widget's labelled-by relation is exactly @target. */
static gboolean
labelled_by_only (GtkWidget *widget,
                  GtkWidget *target)
{
  g_autofree char *differs = gtk_test_accessible_check_relation (
                               GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                               target, NULL);

  return differs == NULL;
}

/* Whether @widget has a name a screen reader can say: a non-empty accessible label, a label
 * it is labelled by, or its own text.
 *
 * GTK labels a button by its content, so an icon-only button is "labelled" by an image
 * without text (and AT-SPI then names it after the image's type, "GtkImage"): such a
 * relation counts only when the content shows text. The toggle inside a menu button is
 * labelled by the menu button, and named when that is; the menu button itself needs a label
 * of its own. */
static gboolean
has_accessible_name (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);
  GtkWidget *first_child = gtk_widget_get_first_child (widget);
  GtkWidget *parent = gtk_widget_get_parent (widget);

  if (gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL))
    {
      /* check_property() returns NULL when the value is the one given: here, empty. */
      g_autofree char *differs = gtk_test_accessible_check_property (
                                   accessible, GTK_ACCESSIBLE_PROPERTY_LABEL, "");

      if (differs != NULL)
        return TRUE;
    }
  if (gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    {
      if (first_child != NULL && labelled_by_only (widget, first_child))
        return has_visible_text_label (widget);
      if (parent != NULL && labelled_by_only (widget, parent))
        return has_accessible_name (parent);
      /* Labelled by a label of the window, as a filter by its caption. */
      return TRUE;
    }
  /* GTK 4.8 does not name a menu button after the text of the toggle inside it. */
  if (GTK_IS_MENU_BUTTON (widget))
    return FALSE;
  return has_visible_text_label (widget);
}

static gboolean
is_control (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget)          /* GtkToggleButton, GtkLinkButton too */
         || GTK_IS_MENU_BUTTON (widget)
         || GTK_IS_CHECK_BUTTON (widget)
         || GTK_IS_ENTRY (widget)
         || GTK_IS_SEARCH_ENTRY (widget)
         || GTK_IS_SWITCH (widget)
         || GTK_IS_DROP_DOWN (widget)
         || GTK_IS_SPIN_BUTTON (widget)
         || GTK_IS_SCALE (widget);
}

/* Adds a line to @offenders for every visible control below @widget without a name. */
static void
collect_unnamed (GtkWidget *widget,
                 GPtrArray *offenders,
                 guint     *n_checked)
{
  GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));

  if (!gtk_widget_get_visible (widget))
    return;
  /* libadwaita 1.2 gives a toast's close button no name, and the app cannot reach it: the
   * toasts are libadwaita's own widgets. */
  if (g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwToastWidget"))
    return;

  /* Widgets hidden from assistive technologies (the steppers of a spin button) need none. */
  if (is_control (widget)
      && role != GTK_ACCESSIBLE_ROLE_NONE && role != GTK_ACCESSIBLE_ROLE_PRESENTATION)
    {
      (*n_checked)++;
      if (!has_accessible_name (widget))
        g_ptr_array_add (offenders, widget_path (widget));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_unnamed (child, offenders, n_checked);
}

/* ------------------------------------------------------------------------------------------ */

static void
test_window (void)
{
  g_autofree char *store_path = g_build_filename (g_get_user_data_dir (), "sichtung",
                                                  "faelle.sqlite", NULL);
  g_autoptr(GFile) bescheid = sc_test_ui_find_sample ("bescheid");
  g_autoptr(GFile) widerspruch = sc_test_ui_find_sample ("widerspruch");
  g_autoptr(ScStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) offenders = g_ptr_array_new_with_free_func (g_free);
  SichtungWindow *window;
  SichtungDocumentPane *left, *right;
  SichtungFindingsPanel *panel;
  GtkListBox *list_box;
  GtkListBoxRow *row;
  SichtungFindingItem *item;
  GtkWidget *widget;
  guint n_checked = 0;

  store = sc_store_open (store_path, &error);
  g_assert_no_error (error);

  window = sichtung_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1500, 950);
  left = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  right = sichtung_window_get_pane (window, SICHTUNG_PANE_RIGHT);
  panel = sichtung_window_get_findings_panel (window);
  list_box = sichtung_findings_panel_get_list_box (panel);
  /* Rules only: quick, and the same on every machine. */
  sichtung_document_pane_set_use_model (left, FALSE);
  sichtung_document_pane_set_use_model (right, FALSE);
  sichtung_window_set_store (window, store);
  sichtung_window_set_show_cases (window, TRUE);
  gtk_window_present (GTK_WINDOW (window));

  sichtung_window_open (window, bescheid, SICHTUNG_PANE_LEFT);
  sichtung_window_open (window, widerspruch, SICHTUNG_PANE_RIGHT);
  WAIT_UNTIL (sc_test_ui_pane_shows_stored (left) && sc_test_ui_pane_shows_stored (right));
  g_assert_true (sichtung_window_get_side_by_side (window));
  sichtung_window_set_active_pane (window, left);
  sichtung_case_sidebar_reload (sichtung_window_get_case_sidebar (window));

  /* With a finding selected the explanation panel shows its controls too. */
  WAIT_UNTIL (gtk_list_box_get_row_at_index (list_box, 0) != NULL);
  row = gtk_list_box_get_row_at_index (list_box, 0);
  item = sichtung_finding_row_get_item (SICHTUNG_FINDING_ROW (row));
  sichtung_findings_panel_set_selected_item (panel, item);
  WAIT_UNTIL (sichtung_explanation_panel_get_item (sichtung_window_get_explanation_panel (window))
              == item);
  sc_test_spin (200);

  collect_unnamed (GTK_WIDGET (window), offenders, &n_checked);
  /* The walk saw the toolbars, the sidebars and every finding's buttons. */
  g_assert_cmpuint (n_checked, >, 3 * g_list_model_get_n_items (
                                        sichtung_document_pane_get_findings (left)));
  if (offenders->len > 0)
    {
      g_ptr_array_add (offenders, NULL);
      g_autofree char *list = g_strjoinv ("\n  ", (char **) offenders->pdata);

      g_error ("%u of %u visible controls have no accessible name:\n  %s",
               offenders->len - 1, n_checked, list);
    }

  /* The roles screen readers announce for the key widgets. */
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (list_box), GTK_ACCESSIBLE_ROLE_LIST);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (list_box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Findings");
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_ROLE_LIST_ITEM);
  widget = sc_test_ui_find_with_class (GTK_WIDGET (row), "accept-button");
  g_assert_nonnull (widget);
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_ROLE_BUTTON);
  widget = sc_test_ui_find_with_class (GTK_WIDGET (row), "reject-button");
  g_assert_nonnull (widget);
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_ROLE_BUTTON);
  widget = sc_test_ui_find_of_type (GTK_WIDGET (panel), GTK_TYPE_DROP_DOWN);
  g_assert_nonnull (widget);
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_ROLE_COMBO_BOX);
  widget = sc_test_ui_find_of_type (GTK_WIDGET (panel), GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (widget);
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_ROLE_SPIN_BUTTON);
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (sichtung_document_pane_get_search_entry (left)),
                                   GTK_ACCESSIBLE_ROLE_SEARCH_BOX);
  /* The extracted text is a text box a screen reader can read and move through. */
  widget = GTK_WIDGET (sichtung_document_pane_get_text_view (left));
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_ROLE_TEXT_BOX);
  g_assert_true (has_accessible_name (widget));

  sc_test_ui_destroy_window (window);
}

/* Whether @widget's accessible description is @expected. */
static gboolean
has_description (GtkWidget  *widget,
                 const char *expected)
{
  g_autofree char *differs = gtk_test_accessible_check_property (
                               GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                               expected);

  return differs == NULL;
}

/* The text view names the finding its caret is on, in its description (GTK 4.8 tells screen
 * readers only the colours of a text view's tags), follows its decision, and selects it on
 * Enter. */
static void
test_text_view (void)
{
  g_autofree char *store_path = g_build_filename (g_get_user_data_dir (), "sichtung",
                                                  "faelle.sqlite", NULL);
  g_autoptr(GFile) bescheid = sc_test_ui_find_sample ("bescheid");
  g_autoptr(ScStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *expected = NULL;
  const char *general = "No finding at the caret.";
  SichtungWindow *window;
  SichtungDocumentPane *pane;
  SichtungExplanationPanel *explanation;
  SichtungFindingItem *item;
  GtkTextBuffer *buffer;
  GtkWidget *text_view;
  GtkTextIter iter;
  int offset;

  store = sc_store_open (store_path, &error);
  g_assert_no_error (error);

  window = sc_test_ui_new_window (store);  /* rules only */
  pane = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  explanation = sichtung_window_get_explanation_panel (window);
  text_view = GTK_WIDGET (sichtung_document_pane_get_text_view (pane));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));

  sichtung_window_open (window, bescheid, SICHTUNG_PANE_LEFT);
  WAIT_UNTIL (sc_test_ui_pane_shows_stored (pane));
  sichtung_document_pane_set_view_mode (pane, "text");
  WAIT_UNTIL (gtk_text_buffer_get_char_count (buffer) > 0);
  WAIT_UNTIL (has_description (text_view, general));

  /* Going to a finding puts the caret on it: the description names it. */
  g_assert_cmpuint (g_list_model_get_n_items (sichtung_document_pane_get_findings (pane)), >, 1);
  item = g_list_model_get_item (sichtung_document_pane_get_findings (pane), 1);
  g_object_unref (item);  /* the pane's list keeps it */
  sichtung_document_pane_set_selected_finding (pane, item);
  summary = sichtung_finding_item_dup_summary (item);
  g_assert_nonnull (strstr (summary, ", Open"));
  expected = g_strdup_printf ("Finding at the caret: %s. Enter selects it.", summary);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (text_view),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, expected);
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  offset = gtk_text_iter_get_offset (&iter);

  /* Off the finding (the page's heading), the description says so. */
  gtk_text_buffer_get_start_iter (buffer, &iter);
  gtk_text_buffer_place_cursor (buffer, &iter);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (text_view),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, general);

  /* Back on it, a decision shows in the description once the marks follow. */
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset + 1);
  gtk_text_buffer_place_cursor (buffer, &iter);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (text_view),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, expected);
  sichtung_finding_item_decide (item, SICHTUNG_DECISION_ACCEPTED, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&summary, g_free);
  g_clear_pointer (&expected, g_free);
  summary = sichtung_finding_item_dup_summary (item);
  g_assert_nonnull (strstr (summary, ", Accepted"));
  expected = g_strdup_printf ("Finding at the caret: %s. Enter selects it.", summary);
  WAIT_UNTIL (has_description (text_view, expected));

  /* Enter on the finding selects it, as a click does: the explanation shows it. */
  sichtung_document_pane_set_selected_finding (pane, NULL);
  g_assert_true (gtk_widget_activate_action (text_view, "pane.show-caret-finding", NULL));
  WAIT_UNTIL (sichtung_explanation_panel_get_item (explanation) == item);
  g_assert_true (sichtung_document_pane_get_selected_finding (pane) == item);

  sc_test_ui_destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  char *data_home = sc_test_ui_init (&argc, &argv, "accessibility",
                                     SC_TEST_UI_ACCESSIBILITY | SC_TEST_UI_CPU);

  g_test_add_func ("/sichtung/accessibility/window", test_window);
  g_test_add_func ("/sichtung/accessibility/text-view", test_text_view);

  return sc_test_ui_run (data_home);
}
