/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-manual-findings.c: findings marked by hand and corrected: text selected in the text
 * view, a box drawn over words or over an empty part of a page, each confirmed in the dialog,
 * stored with its audit entry, listed, highlighted in both views and shown again in a new
 * window; a cancelled dialog stores nothing; a correction of the category is stored as
 * edited. Runs under xvfb-run. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "sichtung-document-pane.h"
#include "sichtung-document-view-private.h"
#include "sichtung-finding-dialog.h"
#include "sichtung-finding-item.h"
#include "sichtung-finding-row.h"
#include "sichtung-findings-panel.h"
#include "sichtung-window.h"
#include "sc-test-ui.h"
#include "sc-test-util.h"

#define WAIT_TIMEOUT_MS 120000

#define WAIT_UNTIL(condition) SC_TEST_WAIT_UNTIL (condition, WAIT_TIMEOUT_MS)

/* Words of the sample notice that no rule finds. */
#define SELECTED_WORD "Verdienstbescheinigungen"
#define BOXED_WORD    "Rechtsbehelfsbelehrung"

static char *
buffer_text (SichtungDocumentPane *pane)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (sichtung_document_pane_get_text_view (pane));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
}

/* The pane shows its stored document, its findings (all from the store) and its text. */
static gboolean
document_ready (SichtungDocumentPane *pane)
{
  g_autofree char *text = NULL;

  if (!sc_test_ui_pane_shows_stored (pane))
    return FALSE;

  text = buffer_text (pane);
  return strstr (text, SELECTED_WORD) != NULL;
}

/* The finding dialog on screen, or NULL. */
static SichtungFindingDialog *
find_dialog (void)
{
  return (SichtungFindingDialog *) sc_test_ui_find_toplevel (SICHTUNG_TYPE_FINDING_DIALOG);
}

/* A button labelled @label. */
static gboolean
is_button (GtkWidget     *widget,
           gconstpointer  label)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

/* A toggle button showing the icon @icon_name. */
static gboolean
is_toggle_with_icon (GtkWidget     *widget,
                     gconstpointer  icon_name)
{
  return GTK_IS_TOGGLE_BUTTON (widget)
         && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), icon_name) == 0;
}

/* Clicks the dialog's button labelled @label, as a person would. */
static void
click_response (SichtungFindingDialog *dialog,
                const char            *label)
{
  GtkWidget *button = sc_test_ui_find_widget (GTK_WIDGET (dialog), is_button, label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  sc_test_spin (50);
  g_assert_null (find_dialog ());
}

/* Selects the first @text in the text view, with @extra characters of what follows it. */
static void
select_text (SichtungDocumentPane *pane,
             const char           *text,
             int                   extra)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (sichtung_document_pane_get_text_view (pane));
  GtkTextIter iter, start, end;

  gtk_text_buffer_get_start_iter (buffer, &iter);
  g_assert_true (gtk_text_iter_forward_search (&iter, text, GTK_TEXT_SEARCH_TEXT_ONLY,
                                               &start, &end, NULL));
  gtk_text_iter_forward_chars (&end, extra);
  gtk_text_buffer_select_range (buffer, &start, &end);
}

static ScStoreFinding *
stored_finding (ScStore *store,
                gint64   document_id,
                gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = sc_store_list_findings (store, document_id, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < findings->len; i++)
    {
      ScStoreFinding *finding = g_ptr_array_index (findings, i);

      if (finding->id == id)
        return sc_store_finding_ref (finding);
    }
  return NULL;
}

/* The audit entry @action about finding @id, or NULL. */
static ScStoreAuditEntry *
audit_entry (ScStore    *store,
             const char *action,
             gint64      id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = sc_store_list_audit (store, 0, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    {
      ScStoreAuditEntry *entry = g_ptr_array_index (entries, i);

      if (g_str_equal (entry->action, action) && entry->finding_id == id)
        return sc_store_audit_entry_ref (entry);
    }
  return NULL;
}

/* The item of the finding last added, which the pane selects. */
static SichtungFindingItem *
added_item (SichtungDocumentPane *pane,
            guint                 n_before)
{
  GListModel *findings = sichtung_document_pane_get_findings (pane);
  SichtungFindingItem *item;

  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, n_before + 1);
  item = sichtung_document_pane_get_selected_finding (pane);
  g_assert_nonnull (item);
  g_assert_true (sichtung_finding_item_get_manual (item));
  return item;
}

/* The code points of the first @word in page 0's text, and their boxes. */
static void
word_boxes (ScDocument *document,
            const char *word,
            glong       from,
            glong       to,
            ScRect     *bounds)
{
  g_autofree char *text = NULL;
  g_autoptr(GArray) layout = sc_document_get_page_layout (document, 0, &text);
  const char *found = strstr (text, word);
  glong start;
  double right = 0, bottom = 0;

  g_assert_nonnull (found);
  start = g_utf8_pointer_to_offset (text, found);
  *bounds = (ScRect) { G_MAXDOUBLE, G_MAXDOUBLE, 0, 0 };
  for (glong i = start + from; i < start + to; i++)
    {
      const ScRect *r = &g_array_index (layout, ScRect, i);

      g_assert_cmpfloat (r->width, >, 0);
      bounds->x = MIN (bounds->x, r->x);
      bounds->y = MIN (bounds->y, r->y);
      right = MAX (right, r->x + r->width);
      bottom = MAX (bottom, r->y + r->height);
    }
  bounds->width = right - bounds->x;
  bounds->height = bottom - bounds->y;
}

/* The finding drawn at the middle of @rect on @page, as the page view hit-tests it. */
static SichtungFindingItem *
finding_drawn_at (SichtungDocumentView *view,
                  guint                 page,
                  const ScRect         *rect)
{
  double x, y, px_per_pt;

  g_assert_true (_sichtung_document_view_get_page_origin (view, page, &x, &y, &px_per_pt));
  return sichtung_document_view_get_finding_at (view,
                                                x + (rect->x + rect->width / 2) * px_per_pt,
                                                y + (rect->y + rect->height / 2) * px_per_pt);
}

/* ------------------------------------------------------------------------------------------ */

static void
test_manual_findings (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sichtung-test-manual-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "faelle.sqlite", NULL);
  g_autoptr(GFile) notice = sc_test_ui_find_sample ("bescheid");
  g_autoptr(ScStore) store = NULL;
  g_autoptr(ScStoreDocument) before = NULL;
  g_autoptr(ScStoreDocument) after = NULL;
  g_autoptr(ScStoreFinding) stored = NULL;
  g_autoptr(ScStoreAuditEntry) entry = NULL;
  g_autofree char *tagged = NULL;
  g_autofree char *tag_name = NULL;
  SichtungWindow *window;
  SichtungDocumentPane *pane;
  SichtungDocumentView *view;
  SichtungFindingsPanel *panel;
  GtkTextBuffer *buffer;
  GListModel *findings;
  SichtungFindingDialog *dialog;
  SichtungFindingItem *item;
  GtkWidget *box_button;
  GMenuModel *extra_menu;
  ScRect word, part, empty;
  double page_width, page_height;
  gint64 document_id, text_id, box_id, area_id;
  guint n;

  g_assert_no_error (error);
  store = sc_store_open (path, &error);
  g_assert_no_error (error);

  window = sc_test_ui_new_window (store);
  pane = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  view = sichtung_document_pane_get_view (pane);
  panel = sichtung_window_get_findings_panel (window);
  buffer = gtk_text_view_get_buffer (sichtung_document_pane_get_text_view (pane));
  findings = sichtung_document_pane_get_findings (pane);

  sichtung_window_open (window, notice, SICHTUNG_PANE_LEFT);
  WAIT_UNTIL (document_ready (pane));
  document_id = sichtung_document_pane_get_document_id (pane);
  before = sc_test_ui_stored_document (store, document_id);

  /* The text view offers marking in its context menu. */
  extra_menu = gtk_text_view_get_extra_menu (sichtung_document_pane_get_text_view (pane));
  g_assert_nonnull (extra_menu);
  {
    g_autofree char *action = NULL;

    g_assert_true (g_menu_model_get_item_attribute (extra_menu, 0, G_MENU_ATTRIBUTE_ACTION, "s",
                                                    &action));
    g_assert_cmpstr (action, ==, "pane.mark-selection");
  }

  /* Text selected in the text view, with the space after it, and Ctrl+M. */
  sichtung_document_pane_set_view_mode (pane, "text");
  select_text (pane, SELECTED_WORD, 1);
  n = g_list_model_get_n_items (findings);
  sc_test_ui_press_key (GTK_WIDGET (pane), GDK_KEY_m, GDK_CONTROL_MASK);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_false (sichtung_finding_dialog_get_editing (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "“" SELECTED_WORD "”"));
  sichtung_finding_dialog_set_category (dialog, SC_FINDING_ORGANISATION);
  sichtung_finding_dialog_set_reason (dialog, "Nennt den Arbeitgeber");
  sichtung_finding_dialog_set_legal_basis (dialog, "§ 12 LTranspG RLP");
  click_response (dialog, "_Mark");

  /* Listed, selected and highlighted like every finding… */
  item = added_item (pane, n);
  text_id = sichtung_finding_item_get_store_id (item);
  g_assert_cmpint (text_id, >, 0);
  g_assert_cmpstr (sichtung_finding_item_get_text (item), ==, SELECTED_WORD);
  g_assert_cmpuint (sichtung_finding_item_get_category (item), ==, SC_FINDING_ORGANISATION);
  g_assert_cmpint (sichtung_finding_item_get_decision (item), ==, SICHTUNG_DECISION_ACCEPTED);
  g_assert_cmpstr (sichtung_finding_item_get_status_name (item), ==, "Added by hand");
  g_assert_cmpstr (sichtung_finding_item_get_reason (item), ==, "Nennt den Arbeitgeber");
  g_assert_cmpstr (sichtung_finding_item_get_legal_basis (item), ==, "§ 12 LTranspG RLP");
  g_assert_true (sichtung_findings_panel_get_selected_item (panel) == item);
  WAIT_UNTIL ((tagged = sc_test_ui_tagged_text (buffer, "finding-selected")) != NULL);
  g_assert_cmpstr (tagged, ==, SELECTED_WORD);
  g_clear_pointer (&tagged, g_free);
  tag_name = g_strdup_printf ("finding-%u-%u", SC_FINDING_ORGANISATION,
                              SICHTUNG_DECISION_ACCEPTED);
  WAIT_UNTIL ((tagged = sc_test_ui_tagged_text (buffer, tag_name)) != NULL);
  g_assert_cmpstr (tagged, ==, SELECTED_WORD);
  g_assert_cmpuint (sichtung_finding_item_get_page_finding (item)->boxes->len, ==, 1);

  /* …and stored with its offsets in the page text, its decision and an audit entry. */
  stored = stored_finding (store, document_id, text_id);
  g_assert_nonnull (stored);
  g_assert_true (stored->manual);
  g_assert_cmpint (stored->decision, ==, SC_STORE_DECISION_ADDED);
  g_assert_cmpstr (stored->finding->finding->text, ==, SELECTED_WORD);
  g_assert_cmpstr (stored->legal_basis, ==, "§ 12 LTranspG RLP");
  {
    g_auto(GStrv) pages = sc_store_get_page_texts (store, document_id, &error);
    const char *page = pages[stored->finding->page];

    g_assert_no_error (error);
    g_assert_cmpuint (stored->finding->finding->end - stored->finding->finding->start, ==,
                      strlen (SELECTED_WORD));
    g_assert_cmpmem (page + stored->finding->finding->start, strlen (SELECTED_WORD),
                     SELECTED_WORD, strlen (SELECTED_WORD));
  }
  entry = audit_entry (store, "finding-added", text_id);
  g_assert_nonnull (entry);
  g_assert_nonnull (strstr (entry->details, "LTranspG"));
  g_clear_pointer (&entry, sc_store_audit_entry_unref);
  g_clear_pointer (&stored, sc_store_finding_unref);

  /* A finding added by hand is decided: the case has one finding more, none more open. */
  after = sc_test_ui_stored_document (store, document_id);
  g_assert_cmpuint (after->n_findings, ==, before->n_findings + 1);
  g_assert_cmpuint (after->n_open_findings, ==, before->n_open_findings);
  g_clear_pointer (&after, sc_store_document_unref);

  /* Cancelling stores nothing. */
  select_text (pane, "Bestandskraft", 0);
  n = g_list_model_get_n_items (findings);
  gtk_widget_activate_action (GTK_WIDGET (pane), "pane.mark-selection", NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  gtk_window_close (GTK_WINDOW (dialog));
  sc_test_spin (50);
  g_assert_null (find_dialog ());
  g_assert_cmpuint (g_list_model_get_n_items (findings), ==, n);
  after = sc_test_ui_stored_document (store, document_id);
  g_assert_cmpuint (after->n_findings, ==, before->n_findings + 1);
  g_clear_pointer (&after, sc_store_document_unref);

  /* The box tool lives on the page view, with a name for screen readers. */
  box_button = sc_test_ui_find_widget (GTK_WIDGET (pane), is_toggle_with_icon,
                                       "edit-select-symbolic");
  g_assert_nonnull (box_button);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (box_button),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Mark an Area");
  g_assert_false (gtk_widget_get_sensitive (box_button));
  /* The main window takes over again from the closed dialog before the view changes: GTK 4.8
   * may otherwise draw the pane in the frame in which it relayouts. */
  sc_test_spin (300);
  sichtung_document_pane_set_view_mode (pane, "page");
  g_assert_true (gtk_widget_get_sensitive (box_button));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (box_button), TRUE);
  g_assert_true (sichtung_document_view_get_box_mode (view));
  sc_test_spin (100);

  /* A box through the middle of a word marks the whole word. */
  word_boxes (sichtung_document_pane_get_document (pane), BOXED_WORD, 0,
              g_utf8_strlen (BOXED_WORD, -1), &word);
  word_boxes (sichtung_document_pane_get_document (pane), BOXED_WORD, 4, 10, &part);
  n = g_list_model_get_n_items (findings);
  sichtung_document_view_draw_box (view, 0, &part);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "“" BOXED_WORD "”"));
  g_assert_cmpuint (sichtung_finding_dialog_get_category (dialog), ==, SC_FINDING_PERSON);
  click_response (dialog, "_Mark");
  item = added_item (pane, n);
  box_id = sichtung_finding_item_get_store_id (item);
  g_assert_cmpstr (sichtung_finding_item_get_text (item), ==, BOXED_WORD);
  stored = stored_finding (store, document_id, box_id);
  g_assert_cmpstr (stored->finding->finding->text, ==, BOXED_WORD);
  g_assert_cmpuint (stored->finding->boxes->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (g_array_index (stored->finding->boxes, ScRect, 0).x, word.x,
                                  0.01);
  g_clear_pointer (&stored, sc_store_finding_unref);
  sc_test_spin (50);
  g_assert_true (finding_drawn_at (view, 0, &word) == item);

  /* A box over no text is a finding of its box alone, drawn on the page. */
  sc_document_get_page_size (sichtung_document_pane_get_document (pane), 0,
                             &page_width, &page_height);
  empty = (ScRect) { page_width - 50, page_height - 45, 40, 30 };
  n = g_list_model_get_n_items (findings);
  sichtung_document_view_draw_box (view, 0, &empty);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "without text"));
  sichtung_finding_dialog_set_category (dialog, SC_FINDING_PERSON);
  sichtung_finding_dialog_set_reason (dialog, "Unterschrift");
  click_response (dialog, "_Mark");
  item = added_item (pane, n);
  area_id = sichtung_finding_item_get_store_id (item);
  g_assert_cmpstr (sichtung_finding_item_get_text (item), ==, "");
  g_assert_cmpstr (sichtung_finding_item_get_display_text (item), ==, "Area without text");
  stored = stored_finding (store, document_id, area_id);
  g_assert_cmpstr (stored->finding->finding->text, ==, "");
  g_assert_cmpuint (stored->finding->boxes->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (g_array_index (stored->finding->boxes, ScRect, 0).width, 40,
                                  0.01);
  g_clear_pointer (&stored, sc_store_finding_unref);
  sc_test_spin (50);
  g_assert_true (finding_drawn_at (view, 0, &empty) == item);

  /* The text view has no pages to draw on. */
  sichtung_document_pane_set_view_mode (pane, "text");
  g_assert_false (sichtung_document_view_get_box_mode (view));

  /* Correcting the category: “e” on the finding's row, the dialog filled in, stored as
   * edited, the finding moves to its new section. */
  item = sc_test_ui_find_item_by_id (findings, text_id);
  sichtung_findings_panel_set_selected_item (panel, item);
  sc_test_spin (50);
  {
    GtkListBoxRow *row = gtk_list_box_get_selected_row (sichtung_findings_panel_get_list_box (
                                                          panel));

    g_assert_nonnull (row);
    g_assert_true (sichtung_finding_row_get_item (SICHTUNG_FINDING_ROW (row)) == item);
    sc_test_ui_press_key (GTK_WIDGET (row), GDK_KEY_e, 0);
  }
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (sichtung_finding_dialog_get_editing (dialog));
  g_assert_cmpuint (sichtung_finding_dialog_get_category (dialog), ==, SC_FINDING_ORGANISATION);
  g_assert_cmpstr (sichtung_finding_dialog_get_reason (dialog), ==, "Nennt den Arbeitgeber");
  g_assert_cmpstr (sichtung_finding_dialog_get_legal_basis (dialog), ==, "§ 12 LTranspG RLP");
  sichtung_finding_dialog_set_category (dialog, SC_FINDING_PERSON);
  sichtung_finding_dialog_set_reason (dialog, "Name der Person");
  click_response (dialog, "_Save");
  g_assert_cmpuint (sichtung_finding_item_get_category (item), ==, SC_FINDING_PERSON);
  g_assert_cmpint (sichtung_finding_item_get_decision (item), ==, SICHTUNG_DECISION_EDITED);
  g_assert_true (sc_test_ui_find_item_by_id (findings, text_id) == item);
  g_assert_true (sichtung_findings_panel_get_selected_item (panel) == item);
  stored = stored_finding (store, document_id, text_id);
  g_assert_cmpint (stored->decision, ==, SC_STORE_DECISION_EDITED);
  g_assert_cmpuint (stored->finding->finding->category, ==, SC_FINDING_PERSON);
  g_assert_cmpstr (stored->reason, ==, "Name der Person");
  g_assert_cmpstr (stored->legal_basis, ==, "§ 12 LTranspG RLP");
  g_clear_pointer (&stored, sc_store_finding_unref);
  entry = audit_entry (store, "finding-edited", text_id);
  g_assert_nonnull (entry);
  g_clear_pointer (&entry, sc_store_audit_entry_unref);
  g_free (tag_name);
  tag_name = g_strdup_printf ("finding-%u-%u", SC_FINDING_PERSON, SICHTUNG_DECISION_EDITED);
  g_clear_pointer (&tagged, g_free);
  WAIT_UNTIL ((tagged = sc_test_ui_tagged_text (buffer, tag_name)) != NULL
              && g_str_equal (tagged, SELECTED_WORD));

  sc_test_ui_destroy_window (window);

  /* A new window shows all three again, from the store. */
  window = sc_test_ui_new_window (store);
  pane = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  findings = sichtung_document_pane_get_findings (pane);
  buffer = gtk_text_view_get_buffer (sichtung_document_pane_get_text_view (pane));
  sichtung_window_open (window, notice, SICHTUNG_PANE_LEFT);
  WAIT_UNTIL (document_ready (pane));
  g_assert_cmpint (sichtung_document_pane_get_document_id (pane), ==, document_id);

  item = sc_test_ui_find_item_by_id (findings, text_id);
  g_assert_nonnull (item);
  g_assert_true (sichtung_finding_item_get_manual (item));
  g_assert_cmpuint (sichtung_finding_item_get_category (item), ==, SC_FINDING_PERSON);
  g_assert_cmpint (sichtung_finding_item_get_decision (item), ==, SICHTUNG_DECISION_EDITED);
  g_clear_pointer (&tagged, g_free);
  WAIT_UNTIL ((tagged = sc_test_ui_tagged_text (buffer, tag_name)) != NULL);
  g_assert_cmpstr (tagged, ==, SELECTED_WORD);

  item = sc_test_ui_find_item_by_id (findings, box_id);
  g_assert_nonnull (item);
  g_assert_cmpstr (sichtung_finding_item_get_text (item), ==, BOXED_WORD);
  g_assert_cmpint (sichtung_finding_item_get_decision (item), ==, SICHTUNG_DECISION_ACCEPTED);

  item = sc_test_ui_find_item_by_id (findings, area_id);
  g_assert_nonnull (item);
  g_assert_cmpuint (sichtung_finding_item_get_page_finding (item)->boxes->len, ==, 1);
  g_assert_cmpstr (sichtung_finding_item_get_reason (item), ==, "Unterschrift");

  sc_test_ui_destroy_window (window);

  g_assert_true (sc_store_verify_audit (store, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  sc_test_remove_tree (dir);
}

/* Without a case, nothing can be marked: the store keeps what is marked. */
static void
test_needs_store (void)
{
  g_autoptr(GFile) notice = sc_test_ui_find_sample ("bescheid");
  GtkWidget *window = gtk_window_new ();
  SichtungDocumentPane *pane = SICHTUNG_DOCUMENT_PANE (sichtung_document_pane_new ());
  SichtungDocumentView *view = sichtung_document_pane_get_view (pane);
  GtkWidget *box_button;
  ScRect rect = { 100, 100, 200, 50 };

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 900);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (pane));
  gtk_window_present (GTK_WINDOW (window));
  sichtung_document_pane_set_use_model (pane, FALSE);
  sichtung_document_pane_open (pane, notice);
  WAIT_UNTIL (!sichtung_document_pane_get_loading (pane)
              && !sichtung_document_pane_get_analyzing (pane)
              && sichtung_document_pane_get_analysis (pane) != NULL);

  box_button = sc_test_ui_find_widget (GTK_WIDGET (pane), is_toggle_with_icon,
                                       "edit-select-symbolic");
  g_assert_nonnull (box_button);
  g_assert_false (gtk_widget_get_sensitive (box_button));

  sichtung_document_pane_set_view_mode (pane, "text");
  select_text (pane, SELECTED_WORD, 0);
  gtk_widget_activate_action (GTK_WIDGET (pane), "pane.mark-selection", NULL);
  sichtung_document_pane_set_view_mode (pane, "page");
  sichtung_document_view_draw_box (view, 0, &rect);
  sc_test_spin (50);
  g_assert_null (find_dialog ());

  sc_test_ui_destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  char *data_home = sc_test_ui_init (&argc, &argv, "manual-home",
                                     SC_TEST_UI_ACCESSIBILITY | SC_TEST_UI_CPU);

  g_test_add_func ("/sichtung/manual-findings/mark-and-edit", test_manual_findings);
  g_test_add_func ("/sichtung/manual-findings/needs-store", test_needs_store);

  return sc_test_ui_run (data_home);
}
