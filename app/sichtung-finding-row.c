/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-finding-row.c: one finding in the findings list.
 *
 * The row shows its item and follows the item's decision; its buttons decide about this one
 * finding, and ask the list (through "decide-all") to decide about all of its occurrences.
 * "Edit…" opens a SichtungFindingDialog to correct the category of a stored finding.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <glib/gi18n.h>

#include "sichtung-finding-dialog.h"
#include "sichtung-finding-row.h"

struct _SichtungFindingRow
{
  GtkListBoxRow        parent_instance;

  GtkImage            *decision_image;
  GtkLabel            *snippet_label;
  GtkLabel            *details_label;
  GtkButton           *accept_button;
  GtkButton           *reject_button;

  SichtungFindingItem *item;
};

G_DEFINE_FINAL_TYPE (SichtungFindingRow, sichtung_finding_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

enum {
  DECIDE_ALL,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update_decision (SichtungFindingRow *self)
{
  SichtungDecision decision = sichtung_finding_item_get_decision (self->item);
  g_autofree char *accessible = sichtung_finding_item_dup_summary (self->item);
  const char *icon = NULL;
  GtkWidget *widget = GTK_WIDGET (self);

  switch (decision)
    {
    case SICHTUNG_DECISION_ACCEPTED:
      icon = sichtung_finding_item_get_manual (self->item) ? "list-add-symbolic"
                                                           : "object-select-symbolic";
      break;
    case SICHTUNG_DECISION_REJECTED:
      icon = "edit-delete-symbolic";
      break;
    case SICHTUNG_DECISION_EDITED:
      icon = "document-edit-symbolic";
      break;
    case SICHTUNG_DECISION_OPEN:
    default:
      icon = "radio-symbolic";
      break;
    }
  gtk_image_set_from_icon_name (self->decision_image, icon);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->decision_image),
                               sichtung_finding_item_get_status_name (self->item));

  gtk_widget_remove_css_class (widget, "accepted");
  gtk_widget_remove_css_class (widget, "rejected");
  gtk_widget_remove_css_class (widget, "edited");
  if (decision == SICHTUNG_DECISION_ACCEPTED)
    gtk_widget_add_css_class (widget, "accepted");
  else if (decision == SICHTUNG_DECISION_REJECTED)
    gtk_widget_add_css_class (widget, "rejected");
  else if (decision == SICHTUNG_DECISION_EDITED)
    gtk_widget_add_css_class (widget, "edited");

  gtk_widget_action_set_enabled (widget, "finding.accept", decision != SICHTUNG_DECISION_ACCEPTED);
  gtk_widget_action_set_enabled (widget, "finding.reject", decision != SICHTUNG_DECISION_REJECTED);
  gtk_widget_action_set_enabled (widget, "finding.reset", decision != SICHTUNG_DECISION_OPEN);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static void
set_item (SichtungFindingRow  *self,
          SichtungFindingItem *item)
{
  g_autofree char *snippet = NULL;
  g_autofree char *details = NULL;
  g_autofree char *accept = NULL;
  g_autofree char *reject = NULL;

  g_assert (self->item == NULL);

  /* A row without an item (as a template test makes it) stays empty. */
  if (item == NULL)
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "finding.accept", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "finding.reject", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "finding.reset", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "finding.accept-all", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "finding.reject-all", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "finding.edit", FALSE);
      return;
    }

  self->item = g_object_ref (item);
  snippet = sichtung_finding_item_dup_snippet (item);
  gtk_label_set_text (self->snippet_label, snippet);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->snippet_label),
                               sichtung_finding_item_get_display_text (item));

  /* Translators: the line under a finding in the list: category, page, confidence and
   * sources, e.g. “Person · page 1 · 92 % · Rule, Model”. */
  details = g_strdup_printf (_("%s · page %u · %d %% · %s"),
                             sichtung_finding_item_get_category_name (item),
                             sichtung_finding_item_get_page (item) + 1,
                             (int) (sichtung_finding_item_get_confidence (item) * 100 + 0.5),
                             sichtung_finding_item_get_source_names (item));
  gtk_label_set_text (self->details_label, details);

  /* Translators: accessible names of the buttons of one finding; %s is its text. */
  accept = g_strdup_printf (_("Accept “%s”"), snippet);
  reject = g_strdup_printf (_("Reject “%s”"), snippet);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->accept_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accept,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reject_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, reject,
                                  -1);

  /* Only what the store holds can be corrected. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "finding.edit",
                                 sichtung_finding_item_get_stored (item) != NULL);

  g_signal_connect_object (item, "notify::decision", G_CALLBACK (update_decision), self,
                           G_CONNECT_SWAPPED);
  update_decision (self);
}

/* What a correction needs once the dialog answers: the row may be gone by then (a new
 * analysis, a filter), the item and the list stay where they were. */
typedef struct
{
  SichtungFindingItem *item;
  GWeakRef             list;
} EditData;

static void
edit_data_free (EditData *data)
{
  g_clear_object (&data->item);
  g_weak_ref_clear (&data->list);
  g_free (data);
}

static void
edit_response_cb (SichtungFindingDialog *dialog,
                  const char            *response,
                  EditData              *data)
{
  g_autoptr(GtkWidget) list = NULL;

  if (g_strcmp0 (response, SICHTUNG_FINDING_DIALOG_RESPONSE_CONFIRM) != 0)
    return;

  /* A correction that cannot be stored leaves the item as it was; the item reports why. */
  if (!sichtung_finding_item_edit (data->item, sichtung_finding_dialog_get_category (dialog),
                                   sichtung_finding_dialog_get_reason (dialog),
                                   sichtung_finding_dialog_get_legal_basis (dialog), NULL))
    return;

  /* A new category moves the finding to another section of the list, in a new row: the
   * focus follows it, so review by keyboard goes on from there. */
  list = g_weak_ref_get (&data->list);
  if (GTK_IS_LIST_BOX (list))
    {
      GtkListBoxRow *row;

      for (int i = 0; (row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), i)) != NULL; i++)
        if (SICHTUNG_IS_FINDING_ROW (row)
            && sichtung_finding_row_get_item (SICHTUNG_FINDING_ROW (row)) == data->item)
          {
            gtk_widget_grab_focus (GTK_WIDGET (row));
            break;
          }
    }
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SichtungFindingRow *self = SICHTUNG_FINDING_ROW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  SichtungFindingDialog *dialog;
  EditData *data;

  if (self->item == NULL || sichtung_finding_item_get_stored (self->item) == NULL)
    return;

  dialog = sichtung_finding_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, TRUE);
  sichtung_finding_dialog_set_subject (dialog, sichtung_finding_item_get_text (self->item),
                                       sichtung_finding_item_get_page (self->item));
  sichtung_finding_dialog_set_category (dialog, sichtung_finding_item_get_category (self->item));
  sichtung_finding_dialog_set_reason (dialog, sichtung_finding_item_get_reason (self->item));
  sichtung_finding_dialog_set_legal_basis (dialog,
                                           sichtung_finding_item_get_legal_basis (self->item));

  data = g_new0 (EditData, 1);
  data->item = g_object_ref (self->item);
  g_weak_ref_init (&data->list, gtk_widget_get_parent (widget));
  g_signal_connect_data (dialog, "response", G_CALLBACK (edit_response_cb),
                         data, (GClosureNotify) (void (*) (void)) edit_data_free, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
decide_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SichtungFindingRow *self = SICHTUNG_FINDING_ROW (widget);

  if (self->item == NULL)
    return;

  /* A decision that cannot be stored leaves the item as it was; the item reports why. */
  if (g_str_equal (action_name, "finding.accept"))
    sichtung_finding_item_decide (self->item, SICHTUNG_DECISION_ACCEPTED,
                                  sichtung_finding_item_get_reason (self->item), NULL);
  else if (g_str_equal (action_name, "finding.reject"))
    sichtung_finding_item_decide (self->item, SICHTUNG_DECISION_REJECTED,
                                  sichtung_finding_item_get_reason (self->item), NULL);
  else if (g_str_equal (action_name, "finding.reset"))
    sichtung_finding_item_decide (self->item, SICHTUNG_DECISION_OPEN,
                                  sichtung_finding_item_get_reason (self->item), NULL);
  else if (g_str_equal (action_name, "finding.accept-all"))
    g_signal_emit (self, signals[DECIDE_ALL], 0, SICHTUNG_DECISION_ACCEPTED);
  else if (g_str_equal (action_name, "finding.reject-all"))
    g_signal_emit (self, signals[DECIDE_ALL], 0, SICHTUNG_DECISION_REJECTED);
  else
    g_assert_not_reached ();
}

static void
sichtung_finding_row_dispose (GObject *object)
{
  SichtungFindingRow *self = SICHTUNG_FINDING_ROW (object);

  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), SICHTUNG_TYPE_FINDING_ROW);

  G_OBJECT_CLASS (sichtung_finding_row_parent_class)->dispose (object);
}

static void
sichtung_finding_row_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SichtungFindingRow *self = SICHTUNG_FINDING_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_finding_row_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SichtungFindingRow *self = SICHTUNG_FINDING_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      set_item (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_finding_row_class_init (SichtungFindingRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sichtung_finding_row_dispose;
  object_class->get_property = sichtung_finding_row_get_property;
  object_class->set_property = sichtung_finding_row_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL,
                         SICHTUNG_TYPE_FINDING_ITEM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS |
                         G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[DECIDE_ALL] =
    g_signal_new ("decide-all",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, SICHTUNG_TYPE_DECISION);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/sichtung-finding-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SichtungFindingRow, decision_image);
  gtk_widget_class_bind_template_child (widget_class, SichtungFindingRow, snippet_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungFindingRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungFindingRow, accept_button);
  gtk_widget_class_bind_template_child (widget_class, SichtungFindingRow, reject_button);

  gtk_widget_class_install_action (widget_class, "finding.accept", NULL, decide_action);
  gtk_widget_class_install_action (widget_class, "finding.reject", NULL, decide_action);
  gtk_widget_class_install_action (widget_class, "finding.reset", NULL, decide_action);
  gtk_widget_class_install_action (widget_class, "finding.accept-all", NULL, decide_action);
  gtk_widget_class_install_action (widget_class, "finding.reject-all", NULL, decide_action);
  gtk_widget_class_install_action (widget_class, "finding.edit", NULL, edit_action);

  /* Beside the list's a, r and u, for the row that has the focus. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, 0, "finding.edit", NULL);
}

static void
sichtung_finding_row_init (SichtungFindingRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sichtung_finding_row_new (SichtungFindingItem *item)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (item), NULL);

  return g_object_new (SICHTUNG_TYPE_FINDING_ROW, "item", item, NULL);
}

SichtungFindingItem *
sichtung_finding_row_get_item (SichtungFindingRow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_ROW (self), NULL);

  return self->item;
}
