/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-findings-panel.c: the findings of the active document, grouped by category, with
 * filters and keyboard review.
 *
 * The model the pane hands over runs through a sorter (category, then place in the document)
 * and a filter (category, decision, minimum confidence) into a GtkListBox: GTK 4.8's list view
 * has no section headers, the list box's header function gives each category one, with its
 * count. A person's decisions change the items themselves, so every view of them follows.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sichtung-finding-row.h"
#include "sichtung-finding-style.h"
#include "sichtung-findings-panel.h"

struct _SichtungFindingsPanel
{
  AdwBin               parent_instance;

  /* Template children */
  GtkLabel            *count_label;
  GtkBox              *legend_box;
  GtkDropDown         *category_dropdown;
  GtkStringList       *category_strings;
  GtkDropDown         *decision_dropdown;
  GtkSpinButton       *confidence_spin;
  GtkStack            *stack;
  GtkScrolledWindow   *scrolled_window;
  GtkListBox          *list_box;
  AdwStatusPage       *empty_page;

  /* State */
  GListModel          *model;
  GtkSortListModel    *sorted;
  GtkFilterListModel  *filtered;
  GtkCustomFilter     *filter;
  int                  category_filter;  /* -1: all */
  int                  decision_filter;  /* -1: all */
  double               min_confidence;
  guint                counts[SC_FINDING_N_CATEGORIES];
  SichtungFindingItem *selected;
  gboolean             analyzing;
  gboolean             syncing;          /* selecting a row from the selected item */
  guint                scroll_id;
};

G_DEFINE_FINAL_TYPE (SichtungFindingsPanel, sichtung_findings_panel, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_SELECTED_ITEM,
  PROP_ANALYZING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void sichtung_findings_panel_update_actions (SichtungFindingsPanel *self);

/* ------------------------------------------------------------------------------------------ */
/* Sorting and filtering                                                                      */

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  ScPageFinding *fa = sichtung_finding_item_get_page_finding ((SichtungFindingItem *) a);
  ScPageFinding *fb = sichtung_finding_item_get_page_finding ((SichtungFindingItem *) b);

  if (fa->finding->category != fb->finding->category)
    return fa->finding->category < fb->finding->category ? -1 : 1;
  if (fa->doc_start != fb->doc_start)
    return fa->doc_start < fb->doc_start ? -1 : 1;
  return fa->doc_end < fb->doc_end ? 1 : fa->doc_end > fb->doc_end ? -1 : 0;
}

static gboolean
filter_item (gpointer item,
             gpointer user_data)
{
  SichtungFindingsPanel *self = user_data;
  SichtungFindingItem *finding = item;

  if (self->category_filter >= 0
      && (int) sichtung_finding_item_get_category (finding) != self->category_filter)
    return FALSE;
  if (self->decision_filter >= 0
      && (int) sichtung_finding_item_get_decision (finding) != self->decision_filter)
    return FALSE;
  /* Confidences are shown rounded to whole percent: 79.6 % passes an 80 % filter. */
  return sichtung_finding_item_get_confidence (finding) * 100.0 + 0.5
         >= self->min_confidence * 100.0;
}

static void
refilter (SichtungFindingsPanel *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static guint
n_total (SichtungFindingsPanel *self)
{
  return self->model != NULL ? g_list_model_get_n_items (self->model) : 0;
}

static void
update_counts (SichtungFindingsPanel *self)
{
  GListModel *visible = G_LIST_MODEL (self->filtered);
  guint n_visible = g_list_model_get_n_items (visible);
  guint total = n_total (self);
  g_autofree char *label = NULL;

  memset (self->counts, 0, sizeof self->counts);
  for (guint i = 0; i < n_visible; i++)
    {
      g_autoptr(SichtungFindingItem) item = g_list_model_get_item (visible, i);

      self->counts[sichtung_finding_item_get_category (item)]++;
    }

  if (total == 0)
    label = g_strdup ("");
  else if (n_visible == total)
    label = g_strdup_printf ("%u", total);
  else
    /* Translators: findings shown of all findings: “12 of 40”. */
    label = g_strdup_printf (_("%u of %u"), n_visible, total);
  gtk_label_set_text (self->count_label, label);

  if (n_visible > 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "list");
    }
  else
    {
      if (self->analyzing)
        {
          adw_status_page_set_title (self->empty_page, _("Looking for Findings…"));
          adw_status_page_set_description (self->empty_page, NULL);
        }
      else if (total > 0)
        {
          adw_status_page_set_title (self->empty_page, _("No Matching Findings"));
          adw_status_page_set_description (self->empty_page,
                                           _("Change the filters to see more findings"));
        }
      else
        {
          adw_status_page_set_title (self->empty_page, _("No Findings"));
          adw_status_page_set_description (self->empty_page,
                                           self->model != NULL
                                           ? _("Nothing to review was found in this document")
                                           : _("Open a document to look for findings"));
        }
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }

  gtk_list_box_invalidate_headers (self->list_box);
}

/* ------------------------------------------------------------------------------------------ */
/* Rows and headers                                                                           */

static SichtungFindingRow *
row_for_item (SichtungFindingsPanel *self,
              SichtungFindingItem   *item)
{
  GListModel *visible = G_LIST_MODEL (self->filtered);
  guint n = g_list_model_get_n_items (visible);

  if (item == NULL)
    return NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SichtungFindingItem) candidate = g_list_model_get_item (visible, i);

      if (candidate == item)
        return SICHTUNG_FINDING_ROW (gtk_list_box_get_row_at_index (self->list_box, (int) i));
    }
  return NULL;
}

static void
decide_all_cb (SichtungFindingRow    *row,
               SichtungDecision       decision,
               SichtungFindingsPanel *self)
{
  sichtung_findings_panel_decide_all (self, sichtung_finding_row_get_item (row), decision);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  SichtungFindingsPanel *self = user_data;
  GtkWidget *row = sichtung_finding_row_new (item);

  g_signal_connect_object (row, "decide-all", G_CALLBACK (decide_all_cb), self, 0);
  return row;
}

static ScFindingCategory
row_category (GtkListBoxRow *row)
{
  return sichtung_finding_item_get_category (
           sichtung_finding_row_get_item (SICHTUNG_FINDING_ROW (row)));
}

/* A header above the first row of each category: its colour, name and count. */
static void
update_header (GtkListBoxRow *row,
               GtkListBoxRow *before,
               gpointer       user_data)
{
  SichtungFindingsPanel *self = user_data;
  ScFindingCategory category = row_category (row);
  g_autofree char *title = NULL;
  GtkWidget *header, *label;

  if (before != NULL && row_category (before) == category)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }

  /* Translators: a section of the findings list: category and count, “Person (3)”. */
  title = g_strdup_printf (_("%s (%u)"), sc_finding_category_get_display_name (category),
                           self->counts[category]);
  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (header, "finding-section");
  gtk_box_append (GTK_BOX (header),
                  sichtung_finding_style_new_swatch (category, SICHTUNG_DECISION_OPEN));
  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (header), label);
  gtk_list_box_row_set_header (row, header);
}

/* Brings the selected row into view once the list is laid out. */
static gboolean
scroll_to_selected_idle (gpointer user_data)
{
  SichtungFindingsPanel *self = user_data;
  SichtungFindingRow *row = row_for_item (self, self->selected);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  graphene_rect_t bounds;
  double value, page;

  self->scroll_id = 0;
  if (row == NULL
      || !gtk_widget_compute_bounds (GTK_WIDGET (row), GTK_WIDGET (self->list_box), &bounds))
    return G_SOURCE_REMOVE;

  value = gtk_adjustment_get_value (adjustment);
  page = gtk_adjustment_get_page_size (adjustment);
  if (bounds.origin.y < value)
    gtk_adjustment_set_value (adjustment, bounds.origin.y - bounds.size.height);
  else if (bounds.origin.y + bounds.size.height > value + page)
    gtk_adjustment_set_value (adjustment, bounds.origin.y + 2 * bounds.size.height - page);

  return G_SOURCE_REMOVE;
}

static void
queue_scroll_to_selected (SichtungFindingsPanel *self)
{
  if (self->scroll_id == 0)
    self->scroll_id = g_idle_add_full (G_PRIORITY_LOW, scroll_to_selected_idle, self, NULL);
}

static void
set_selected (SichtungFindingsPanel *self,
              SichtungFindingItem   *item)
{
  if (!g_set_object (&self->selected, item))
    return;

  sichtung_findings_panel_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ITEM]);
}

/* Selects the row of the selected item, or none when the filters hide it. */
static void
sync_row_selection (SichtungFindingsPanel *self)
{
  SichtungFindingRow *row = row_for_item (self, self->selected);

  self->syncing = TRUE;
  if (row != NULL)
    gtk_list_box_select_row (self->list_box, GTK_LIST_BOX_ROW (row));
  else
    gtk_list_box_unselect_all (self->list_box);
  self->syncing = FALSE;
}

static void
row_selected_cb (SichtungFindingsPanel *self,
                 GtkListBoxRow         *row,
                 GtkListBox            *list_box)
{
  if (self->syncing)
    return;

  /* A row that goes away (filtered out, a new analysis) unselects itself: the selected item
   * stays, and comes back with its row. */
  if (row == NULL)
    return;

  set_selected (self, sichtung_finding_row_get_item (SICHTUNG_FINDING_ROW (row)));
}

/* Before the list box makes rows for the change: its headers need the new counts. */
static void
filtered_items_changed_cb (SichtungFindingsPanel *self)
{
  update_counts (self);
}

/* After the list box made its rows. */
static void
filtered_items_changed_after_cb (SichtungFindingsPanel *self)
{
  gtk_list_box_invalidate_headers (self->list_box);
  sync_row_selection (self);
  sichtung_findings_panel_update_actions (self);
}

static void
item_decision_cb (SichtungFindingsPanel *self)
{
  if (self->decision_filter >= 0)
    refilter (self);
}

static void
model_items_changed_cb (SichtungFindingsPanel *self,
                        guint                  position,
                        guint                  removed,
                        guint                  added,
                        GListModel            *model)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(SichtungFindingItem) item = g_list_model_get_item (model, i);

      g_signal_connect_object (item, "notify::decision", G_CALLBACK (item_decision_cb), self,
                               G_CONNECT_SWAPPED);
    }

  if (self->selected != NULL && removed > 0)
    {
      gboolean found = FALSE;

      for (guint i = 0; !found && i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(SichtungFindingItem) item = g_list_model_get_item (model, i);

          found = item == self->selected;
        }
      if (!found)
        set_selected (self, NULL);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Filters                                                                                    */

static void
category_selected_cb (SichtungFindingsPanel *self)
{
  guint selected = gtk_drop_down_get_selected (self->category_dropdown);

  if (selected == GTK_INVALID_LIST_POSITION)
    selected = 0;
  sichtung_findings_panel_set_category_filter (self, (int) selected - 1);
}

static void
decision_selected_cb (SichtungFindingsPanel *self)
{
  guint selected = gtk_drop_down_get_selected (self->decision_dropdown);

  if (selected == GTK_INVALID_LIST_POSITION)
    selected = 0;
  sichtung_findings_panel_set_decision_filter (self, (int) selected - 1);
}

static void
confidence_changed_cb (SichtungFindingsPanel *self)
{
  sichtung_findings_panel_set_min_confidence (self,
                                              gtk_spin_button_get_value (self->confidence_spin)
                                              / 100.0);
}

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                    */

static int
selected_position (SichtungFindingsPanel *self)
{
  SichtungFindingRow *row = row_for_item (self, self->selected);

  return row != NULL ? gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) : -1;
}

/* Selects the row at @index, moves the focus there (so the focus ring shows where review
 * is) and scrolls to it. */
static void
select_index (SichtungFindingsPanel *self,
              int                    index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list_box, index);

  if (row == NULL)
    return;

  set_selected (self, sichtung_finding_row_get_item (SICHTUNG_FINDING_ROW (row)));
  sync_row_selection (self);
  gtk_widget_grab_focus (GTK_WIDGET (row));
  queue_scroll_to_selected (self);
}

static void
sichtung_findings_panel_update_actions (SichtungFindingsPanel *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  guint n_visible = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  int position = selected_position (self);
  gboolean has_selection = self->selected != NULL;

  gtk_widget_action_set_enabled (widget, "findings.next",
                                 n_visible > 0
                                 && (position < 0 || (guint) position + 1 < n_visible));
  gtk_widget_action_set_enabled (widget, "findings.previous", n_visible > 0 && position != 0);
  gtk_widget_action_set_enabled (widget, "findings.accept", has_selection);
  gtk_widget_action_set_enabled (widget, "findings.reject", has_selection);
  gtk_widget_action_set_enabled (widget, "findings.reset", has_selection);
  gtk_widget_action_set_enabled (widget, "findings.accept-all", has_selection);
  gtk_widget_action_set_enabled (widget, "findings.reject-all", has_selection);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SichtungFindingsPanel *self = SICHTUNG_FINDINGS_PANEL (widget);
  int n_visible = (int) g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  int position = selected_position (self);

  if (n_visible == 0)
    return;

  if (g_str_equal (action_name, "findings.next"))
    select_index (self, position < 0 ? 0 : MIN (position + 1, n_visible - 1));
  else
    select_index (self, position < 0 ? n_visible - 1 : MAX (position - 1, 0));
}

static void
decide_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SichtungFindingsPanel *self = SICHTUNG_FINDINGS_PANEL (widget);
  g_autoptr(SichtungFindingItem) item = NULL;
  g_autoptr(SichtungFindingItem) next = NULL;
  GListModel *visible = G_LIST_MODEL (self->filtered);
  int position = selected_position (self);
  gboolean decided = FALSE;

  if (self->selected == NULL)
    return;

  item = g_object_ref (self->selected);
  /* Review moves on after a decision, to the finding after this one (which stays when a
   * status filter hides this one now). */
  if (position >= 0)
    next = g_list_model_get_item (visible, (guint) position + 1);

  /* A decision that cannot be stored leaves the item as it was (the item reports why), and
   * review stays on it. */
  if (g_str_equal (action_name, "findings.accept"))
    decided = sichtung_finding_item_decide (item, SICHTUNG_DECISION_ACCEPTED,
                                            sichtung_finding_item_get_reason (item), NULL);
  else if (g_str_equal (action_name, "findings.reject"))
    decided = sichtung_finding_item_decide (item, SICHTUNG_DECISION_REJECTED,
                                            sichtung_finding_item_get_reason (item), NULL);
  else if (g_str_equal (action_name, "findings.reset"))
    {
      decided = sichtung_finding_item_decide (item, SICHTUNG_DECISION_OPEN,
                                              sichtung_finding_item_get_reason (item), NULL);
      g_clear_object (&next);
    }
  else if (g_str_equal (action_name, "findings.accept-all"))
    decided = sichtung_findings_panel_decide_all (self, item, SICHTUNG_DECISION_ACCEPTED);
  else if (g_str_equal (action_name, "findings.reject-all"))
    decided = sichtung_findings_panel_decide_all (self, item, SICHTUNG_DECISION_REJECTED);
  else
    g_assert_not_reached ();

  if (!decided)
    g_clear_object (&next);

  if (next != NULL)
    {
      SichtungFindingRow *row = row_for_item (self, next);

      if (row != NULL)
        select_index (self, gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)));
    }
  else
    {
      SichtungFindingRow *row = row_for_item (self, item);

      /* Keep the focus in the list, on the row decided about when it is still shown. */
      if (row != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (row));
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Legend                                                                                     */

static void
add_legend_row (SichtungFindingsPanel *self,
                ScFindingCategory      category,
                SichtungDecision       decision,
                const char            *text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), sichtung_finding_style_new_swatch (category, decision));
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (self->legend_box, box);
}

static void
fill_legend (SichtungFindingsPanel *self)
{
  GtkWidget *heading;

  heading = gtk_label_new (_("Decisions"));
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (self->legend_box, heading);
  add_legend_row (self, SC_FINDING_PERSON, SICHTUNG_DECISION_OPEN, _("Open: outlined"));
  add_legend_row (self, SC_FINDING_PERSON, SICHTUNG_DECISION_ACCEPTED, _("Accepted: filled"));
  add_legend_row (self, SC_FINDING_PERSON, SICHTUNG_DECISION_REJECTED,
                  _("Rejected: dashed and faded"));
  add_legend_row (self, SC_FINDING_PERSON, SICHTUNG_DECISION_EDITED,
                  _("Edited: double outline"));

  heading = gtk_label_new (_("Categories"));
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_set_margin_top (heading, 6);
  gtk_box_append (self->legend_box, heading);
  for (ScFindingCategory category = 0; category < SC_FINDING_N_CATEGORIES; category++)
    {
      /* Translators: a legend entry: the tag shown on the page, then the category's name,
       * e.g. “IBAN — Bank account (IBAN)”. */
      g_autofree char *text = g_strdup_printf (_("%s — %s"),
                                               sichtung_finding_style_get_tag (category),
                                               sc_finding_category_get_display_name (category));

      add_legend_row (self, category, SICHTUNG_DECISION_ACCEPTED, text);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
sichtung_findings_panel_dispose (GObject *object)
{
  SichtungFindingsPanel *self = SICHTUNG_FINDINGS_PANEL (object);

  g_clear_handle_id (&self->scroll_id, g_source_remove);
  if (self->list_box != NULL)
    gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
  if (self->filtered != NULL)
    g_signal_handlers_disconnect_by_data (self->filtered, self);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  if (self->filter != NULL)
    gtk_custom_filter_set_filter_func (self->filter, NULL, NULL, NULL);
  g_clear_object (&self->filtered);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filter);
  g_clear_object (&self->model);
  g_clear_object (&self->selected);

  gtk_widget_dispose_template (GTK_WIDGET (self), SICHTUNG_TYPE_FINDINGS_PANEL);

  G_OBJECT_CLASS (sichtung_findings_panel_parent_class)->dispose (object);
}

static void
sichtung_findings_panel_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  SichtungFindingsPanel *self = SICHTUNG_FINDINGS_PANEL (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_SELECTED_ITEM:
      g_value_set_object (value, self->selected);
      break;

    case PROP_ANALYZING:
      g_value_set_boolean (value, self->analyzing);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_findings_panel_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  SichtungFindingsPanel *self = SICHTUNG_FINDINGS_PANEL (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      sichtung_findings_panel_set_model (self, g_value_get_object (value));
      break;

    case PROP_SELECTED_ITEM:
      sichtung_findings_panel_set_selected_item (self, g_value_get_object (value));
      break;

    case PROP_ANALYZING:
      sichtung_findings_panel_set_analyzing (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_findings_panel_class_init (SichtungFindingsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const struct
  {
    guint            key;
    GdkModifierType  modifiers;
    const char      *action;
  } bindings[] = {
    { GDK_KEY_j, 0, "findings.next" },
    { GDK_KEY_Down, 0, "findings.next" },
    { GDK_KEY_KP_Down, 0, "findings.next" },
    { GDK_KEY_k, 0, "findings.previous" },
    { GDK_KEY_Up, 0, "findings.previous" },
    { GDK_KEY_KP_Up, 0, "findings.previous" },
    { GDK_KEY_a, 0, "findings.accept" },
    { GDK_KEY_r, 0, "findings.reject" },
    { GDK_KEY_u, 0, "findings.reset" },
    { GDK_KEY_A, GDK_SHIFT_MASK, "findings.accept-all" },
    { GDK_KEY_R, GDK_SHIFT_MASK, "findings.reject-all" },
  };

  object_class->dispose = sichtung_findings_panel_dispose;
  object_class->get_property = sichtung_findings_panel_get_property;
  object_class->set_property = sichtung_findings_panel_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SELECTED_ITEM] =
    g_param_spec_object ("selected-item", NULL, NULL,
                         SICHTUNG_TYPE_FINDING_ITEM,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ANALYZING] =
    g_param_spec_boolean ("analyzing", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/sichtung-findings-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, SichtungFindingsPanel, count_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungFindingsPanel, legend_box);
  gtk_widget_class_bind_template_child (widget_class, SichtungFindingsPanel, category_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SichtungFindingsPanel, category_strings);
  gtk_widget_class_bind_template_child (widget_class, SichtungFindingsPanel, decision_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SichtungFindingsPanel, confidence_spin);
  gtk_widget_class_bind_template_child (widget_class, SichtungFindingsPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, SichtungFindingsPanel, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, SichtungFindingsPanel, list_box);
  gtk_widget_class_bind_template_child (widget_class, SichtungFindingsPanel, empty_page);

  gtk_widget_class_install_action (widget_class, "findings.next", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "findings.previous", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "findings.accept", NULL, decide_action);
  gtk_widget_class_install_action (widget_class, "findings.reject", NULL, decide_action);
  gtk_widget_class_install_action (widget_class, "findings.reset", NULL, decide_action);
  gtk_widget_class_install_action (widget_class, "findings.accept-all", NULL, decide_action);
  gtk_widget_class_install_action (widget_class, "findings.reject-all", NULL, decide_action);

  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    gtk_widget_class_add_binding_action (widget_class, bindings[i].key, bindings[i].modifiers,
                                         bindings[i].action, NULL);

  gtk_widget_class_set_css_name (widget_class, "findingspanel");
}

static void
sichtung_findings_panel_init (SichtungFindingsPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->category_filter = -1;
  self->decision_filter = -1;

  gtk_string_list_append (self->category_strings, _("All Categories"));
  for (ScFindingCategory category = 0; category < SC_FINDING_N_CATEGORIES; category++)
    gtk_string_list_append (self->category_strings,
                            sc_finding_category_get_display_name (category));
  fill_legend (self);

  self->filter = gtk_custom_filter_new (filter_item, self, NULL);
  self->sorted = gtk_sort_list_model_new (NULL,
                                          GTK_SORTER (gtk_custom_sorter_new (compare_items,
                                                                             NULL, NULL)));
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sorted)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  /* Before the list box's own handler, so headers see the new counts. */
  g_signal_connect_swapped (self->filtered, "items-changed",
                            G_CALLBACK (filtered_items_changed_cb), self);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->filtered), create_row, self,
                           NULL);
  g_signal_connect_data (self->filtered, "items-changed",
                         G_CALLBACK (filtered_items_changed_after_cb), self, NULL,
                         G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  gtk_list_box_set_header_func (self->list_box, update_header, self, NULL);

  g_signal_connect_swapped (self->list_box, "row-selected", G_CALLBACK (row_selected_cb), self);
  g_signal_connect_swapped (self->category_dropdown, "notify::selected",
                            G_CALLBACK (category_selected_cb), self);
  g_signal_connect_swapped (self->decision_dropdown, "notify::selected",
                            G_CALLBACK (decision_selected_cb), self);
  g_signal_connect_swapped (self->confidence_spin, "value-changed",
                            G_CALLBACK (confidence_changed_cb), self);

  update_counts (self);
  sichtung_findings_panel_update_actions (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

GtkWidget *
sichtung_findings_panel_new (void)
{
  return g_object_new (SICHTUNG_TYPE_FINDINGS_PANEL, NULL);
}

GListModel *
sichtung_findings_panel_get_model (SichtungFindingsPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDINGS_PANEL (self), NULL);

  return self->model;
}

void
sichtung_findings_panel_set_model (SichtungFindingsPanel *self,
                                   GListModel            *model)
{
  g_return_if_fail (SICHTUNG_IS_FINDINGS_PANEL (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_set_object (&self->model, model);
  set_selected (self, NULL);

  if (model != NULL)
    {
      g_signal_connect_object (model, "items-changed", G_CALLBACK (model_items_changed_cb),
                               self, G_CONNECT_SWAPPED);
      model_items_changed_cb (self, 0, 0, g_list_model_get_n_items (model), model);
    }
  gtk_sort_list_model_set_model (self->sorted, model);
  update_counts (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

SichtungFindingItem *
sichtung_findings_panel_get_selected_item (SichtungFindingsPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDINGS_PANEL (self), NULL);

  return self->selected;
}

void
sichtung_findings_panel_set_selected_item (SichtungFindingsPanel *self,
                                           SichtungFindingItem   *item)
{
  g_return_if_fail (SICHTUNG_IS_FINDINGS_PANEL (self));
  g_return_if_fail (item == NULL || SICHTUNG_IS_FINDING_ITEM (item));

  set_selected (self, item);
  sync_row_selection (self);
  if (item != NULL)
    queue_scroll_to_selected (self);
}

void
sichtung_findings_panel_set_analyzing (SichtungFindingsPanel *self,
                                       gboolean               analyzing)
{
  g_return_if_fail (SICHTUNG_IS_FINDINGS_PANEL (self));

  analyzing = !!analyzing;
  if (self->analyzing == analyzing)
    return;

  self->analyzing = analyzing;
  update_counts (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANALYZING]);
}

void
sichtung_findings_panel_set_category_filter (SichtungFindingsPanel *self,
                                             int                    category)
{
  g_return_if_fail (SICHTUNG_IS_FINDINGS_PANEL (self));
  g_return_if_fail (category >= -1 && category < SC_FINDING_N_CATEGORIES);

  if (self->category_filter == category)
    return;

  self->category_filter = category;
  gtk_drop_down_set_selected (self->category_dropdown, (guint) (category + 1));
  refilter (self);
}

void
sichtung_findings_panel_set_decision_filter (SichtungFindingsPanel *self,
                                             int                    decision)
{
  g_return_if_fail (SICHTUNG_IS_FINDINGS_PANEL (self));
  g_return_if_fail (decision >= -1 && decision <= SICHTUNG_DECISION_EDITED);

  if (self->decision_filter == decision)
    return;

  self->decision_filter = decision;
  gtk_drop_down_set_selected (self->decision_dropdown, (guint) (decision + 1));
  refilter (self);
}

void
sichtung_findings_panel_set_min_confidence (SichtungFindingsPanel *self,
                                            double                 confidence)
{
  g_return_if_fail (SICHTUNG_IS_FINDINGS_PANEL (self));

  confidence = CLAMP (confidence, 0.0, 1.0);
  if (G_APPROX_VALUE (self->min_confidence, confidence, 1e-9))
    return;

  self->min_confidence = confidence;
  gtk_spin_button_set_value (self->confidence_spin, confidence * 100.0);
  refilter (self);
}

GListModel *
sichtung_findings_panel_get_visible_items (SichtungFindingsPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDINGS_PANEL (self), NULL);

  return G_LIST_MODEL (self->filtered);
}

guint
sichtung_findings_panel_get_category_count (SichtungFindingsPanel *self,
                                            ScFindingCategory      category)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDINGS_PANEL (self), 0);
  g_return_val_if_fail ((guint) category < SC_FINDING_N_CATEGORIES, 0);

  return self->counts[category];
}

GtkListBox *
sichtung_findings_panel_get_list_box (SichtungFindingsPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDINGS_PANEL (self), NULL);

  return self->list_box;
}

gboolean
sichtung_findings_panel_decide_all (SichtungFindingsPanel *self,
                                    SichtungFindingItem   *item,
                                    SichtungDecision       decision)
{
  g_autoptr(GPtrArray) same = g_ptr_array_new_with_free_func (g_object_unref);
  ScFindingCategory category;
  const char *key;
  guint n;

  g_return_val_if_fail (SICHTUNG_IS_FINDINGS_PANEL (self), FALSE);
  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (item), FALSE);

  if (self->model == NULL)
    return FALSE;

  /* Collect first: with a status filter, each decision changes the filtered list. */
  category = sichtung_finding_item_get_category (item);
  key = sichtung_finding_item_get_key (item);
  n = g_list_model_get_n_items (self->model);
  for (guint i = 0; i < n; i++)
    {
      SichtungFindingItem *other = g_list_model_get_item (self->model, i);

      if (sichtung_finding_item_get_category (other) == category
          && g_str_equal (sichtung_finding_item_get_key (other), key))
        g_ptr_array_add (same, other);
      else
        g_object_unref (other);
    }

  /* Each occurrence is its own decision in the store and its audit log; the first that
   * cannot be stored ends the run, so the list shows exactly what was stored. */
  for (guint i = 0; i < same->len; i++)
    {
      SichtungFindingItem *other = g_ptr_array_index (same, i);

      if (!sichtung_finding_item_decide (other, decision, sichtung_finding_item_get_reason (other),
                                         NULL))
        return FALSE;
    }
  return TRUE;
}
