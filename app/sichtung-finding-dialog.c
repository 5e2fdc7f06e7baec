/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-finding-dialog.c: category, reason and legal basis of a finding marked by hand.
 *
 * A small AdwMessageDialog: the body names what is marked, the extra child holds the choices.
 * The properties read the widgets themselves, so what a person picked and what the caller
 * reads cannot drift apart.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <glib/gi18n.h>

#include "sichtung-finding-dialog.h"
#include "sichtung-finding-style.h"

/* Longest text quoted in the body, in characters. */
#define MAX_QUOTED_CHARS 200

struct _SichtungFindingDialog
{
  AdwMessageDialog  parent_instance;

  /* Template children */
  GtkDropDown      *category_dropdown;
  GtkStringList    *category_strings;
  GtkEntry         *reason_entry;
  GtkEntry         *legal_basis_entry;

  gboolean          editing;
};

G_DEFINE_FINAL_TYPE (SichtungFindingDialog, sichtung_finding_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  PROP_0,
  PROP_EDITING,
  PROP_CATEGORY,
  PROP_REASON,
  PROP_LEGAL_BASIS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
category_selected_cb (SichtungFindingDialog *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY]);
}

static void
reason_changed_cb (SichtungFindingDialog *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
}

static void
legal_basis_changed_cb (SichtungFindingDialog *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEGAL_BASIS]);
}

static void
sichtung_finding_dialog_constructed (GObject *object)
{
  SichtungFindingDialog *self = SICHTUNG_FINDING_DIALOG (object);

  G_OBJECT_CLASS (sichtung_finding_dialog_parent_class)->constructed (object);

  if (self->editing)
    {
      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), _("Edit Finding"));
      adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (self),
                                             SICHTUNG_FINDING_DIALOG_RESPONSE_CONFIRM,
                                             _("_Save"));
    }
}

static void
sichtung_finding_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SICHTUNG_TYPE_FINDING_DIALOG);

  G_OBJECT_CLASS (sichtung_finding_dialog_parent_class)->dispose (object);
}

static void
sichtung_finding_dialog_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  SichtungFindingDialog *self = SICHTUNG_FINDING_DIALOG (object);

  switch (prop_id)
    {
    case PROP_EDITING:
      g_value_set_boolean (value, self->editing);
      break;

    case PROP_CATEGORY:
      g_value_set_uint (value, sichtung_finding_dialog_get_category (self));
      break;

    case PROP_REASON:
      g_value_set_string (value, sichtung_finding_dialog_get_reason (self));
      break;

    case PROP_LEGAL_BASIS:
      g_value_set_string (value, sichtung_finding_dialog_get_legal_basis (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_finding_dialog_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  SichtungFindingDialog *self = SICHTUNG_FINDING_DIALOG (object);

  switch (prop_id)
    {
    case PROP_EDITING:
      self->editing = g_value_get_boolean (value);
      break;

    case PROP_CATEGORY:
      sichtung_finding_dialog_set_category (self, g_value_get_uint (value));
      break;

    case PROP_REASON:
      sichtung_finding_dialog_set_reason (self, g_value_get_string (value));
      break;

    case PROP_LEGAL_BASIS:
      sichtung_finding_dialog_set_legal_basis (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_finding_dialog_class_init (SichtungFindingDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sichtung_finding_dialog_constructed;
  object_class->dispose = sichtung_finding_dialog_dispose;
  object_class->get_property = sichtung_finding_dialog_get_property;
  object_class->set_property = sichtung_finding_dialog_set_property;

  properties[PROP_EDITING] =
    g_param_spec_boolean ("editing", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CATEGORY] =
    g_param_spec_uint ("category", NULL, NULL,
                       0, SC_FINDING_N_CATEGORIES - 1, SC_FINDING_PERSON,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL,
                         "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LEGAL_BASIS] =
    g_param_spec_string ("legal-basis", NULL, NULL,
                         "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/sichtung-finding-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SichtungFindingDialog, category_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SichtungFindingDialog, category_strings);
  gtk_widget_class_bind_template_child (widget_class, SichtungFindingDialog, reason_entry);
  gtk_widget_class_bind_template_child (widget_class, SichtungFindingDialog, legal_basis_entry);
}

static void
sichtung_finding_dialog_init (SichtungFindingDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* In the order of ScFindingCategory, so a position is a category. */
  for (ScFindingCategory category = 0; category < SC_FINDING_N_CATEGORIES; category++)
    gtk_string_list_append (self->category_strings,
                            sc_finding_category_get_display_name (category));
  gtk_drop_down_set_selected (self->category_dropdown, SC_FINDING_PERSON);

  g_signal_connect_swapped (self->category_dropdown, "notify::selected",
                            G_CALLBACK (category_selected_cb), self);
  g_signal_connect_swapped (self->reason_entry, "changed",
                            G_CALLBACK (reason_changed_cb), self);
  g_signal_connect_swapped (self->legal_basis_entry, "changed",
                            G_CALLBACK (legal_basis_changed_cb), self);
}

SichtungFindingDialog *
sichtung_finding_dialog_new (GtkWindow *parent,
                             gboolean   editing)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (SICHTUNG_TYPE_FINDING_DIALOG,
                       "transient-for", parent,
                       "editing", editing,
                       NULL);
}

gboolean
sichtung_finding_dialog_get_editing (SichtungFindingDialog *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_DIALOG (self), FALSE);

  return self->editing;
}

void
sichtung_finding_dialog_set_subject (SichtungFindingDialog *self,
                                     const char            *text,
                                     guint                  page)
{
  g_autofree char *quoted = NULL;

  g_return_if_fail (SICHTUNG_IS_FINDING_DIALOG (self));

  if (text == NULL || text[0] == '\0')
    {
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                      /* Translators: %u is a page number. */
                                      _("An area without text on page %u"), page + 1);
      return;
    }

  quoted = sichtung_finding_style_one_line (text, MAX_QUOTED_CHARS);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                  /* Translators: the text marked and its page number. */
                                  _("“%s” on page %u"), quoted, page + 1);
}

ScFindingCategory
sichtung_finding_dialog_get_category (SichtungFindingDialog *self)
{
  guint selected;

  g_return_val_if_fail (SICHTUNG_IS_FINDING_DIALOG (self), SC_FINDING_PERSON);

  selected = gtk_drop_down_get_selected (self->category_dropdown);
  return selected < SC_FINDING_N_CATEGORIES ? (ScFindingCategory) selected : SC_FINDING_PERSON;
}

void
sichtung_finding_dialog_set_category (SichtungFindingDialog *self,
                                      ScFindingCategory      category)
{
  g_return_if_fail (SICHTUNG_IS_FINDING_DIALOG (self));
  g_return_if_fail ((guint) category < SC_FINDING_N_CATEGORIES);

  /* The drop-down notifies "selected" only on a change, and so does the dialog. */
  gtk_drop_down_set_selected (self->category_dropdown, category);
}

const char *
sichtung_finding_dialog_get_reason (SichtungFindingDialog *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_DIALOG (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->reason_entry));
}

void
sichtung_finding_dialog_set_reason (SichtungFindingDialog *self,
                                    const char            *reason)
{
  g_return_if_fail (SICHTUNG_IS_FINDING_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->reason_entry), reason != NULL ? reason : "");
}

const char *
sichtung_finding_dialog_get_legal_basis (SichtungFindingDialog *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_DIALOG (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->legal_basis_entry));
}

void
sichtung_finding_dialog_set_legal_basis (SichtungFindingDialog *self,
                                         const char            *legal_basis)
{
  g_return_if_fail (SICHTUNG_IS_FINDING_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->legal_basis_entry),
                         legal_basis != NULL ? legal_basis : "");
}
