/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-rename-case-dialog.c: asks for a case's new title and reference (see the header).
 *
 * The entries activate the dialog's default response, "rename", which is disabled while the
 * title is empty: Enter then does nothing, and the hint below the entries says why (no
 * second dialog for it).
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <glib/gi18n.h>

#include "sichtung-rename-case-dialog.h"

struct _SichtungRenameCaseDialog
{
  AdwMessageDialog  parent_instance;

  /* Template children */
  AdwEntryRow      *title_row;
  AdwEntryRow      *reference_row;
  GtkLabel         *title_hint;
};

G_DEFINE_FINAL_TYPE (SichtungRenameCaseDialog, sichtung_rename_case_dialog,
                     ADW_TYPE_MESSAGE_DIALOG)

static void
title_changed_cb (SichtungRenameCaseDialog *self)
{
  g_autofree char *title = sichtung_rename_case_dialog_dup_case_title (self);
  gboolean missing = title[0] == '\0';

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "rename", !missing);
  gtk_widget_set_visible (GTK_WIDGET (self->title_hint), missing);
  if (missing)
    gtk_widget_add_css_class (GTK_WIDGET (self->title_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->title_row), "error");
}

static void
sichtung_rename_case_dialog_class_init (SichtungRenameCaseDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/sichtung-rename-case-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SichtungRenameCaseDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, SichtungRenameCaseDialog, reference_row);
  gtk_widget_class_bind_template_child (widget_class, SichtungRenameCaseDialog, title_hint);
  gtk_widget_class_bind_template_callback (widget_class, title_changed_cb);
}

static void
sichtung_rename_case_dialog_init (SichtungRenameCaseDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  title_changed_cb (self);
}

GtkWidget *
sichtung_rename_case_dialog_new (GtkWindow  *parent,
                                 const char *title,
                                 const char *reference)
{
  SichtungRenameCaseDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (SICHTUNG_TYPE_RENAME_CASE_DIALOG,
                       "transient-for", parent,
                       NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), title != NULL ? title : "");
  gtk_editable_set_text (GTK_EDITABLE (self->reference_row),
                         reference != NULL ? reference : "");
  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
  return GTK_WIDGET (self);
}

char *
sichtung_rename_case_dialog_dup_case_title (SichtungRenameCaseDialog *self)
{
  g_return_val_if_fail (SICHTUNG_IS_RENAME_CASE_DIALOG (self), NULL);

  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
}

char *
sichtung_rename_case_dialog_dup_reference (SichtungRenameCaseDialog *self)
{
  g_return_val_if_fail (SICHTUNG_IS_RENAME_CASE_DIALOG (self), NULL);

  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reference_row))));
}

AdwEntryRow *
sichtung_rename_case_dialog_get_title_row (SichtungRenameCaseDialog *self)
{
  g_return_val_if_fail (SICHTUNG_IS_RENAME_CASE_DIALOG (self), NULL);

  return self->title_row;
}

AdwEntryRow *
sichtung_rename_case_dialog_get_reference_row (SichtungRenameCaseDialog *self)
{
  g_return_val_if_fail (SICHTUNG_IS_RENAME_CASE_DIALOG (self), NULL);

  return self->reference_row;
}

gboolean
sichtung_rename_case_dialog_get_title_missing (SichtungRenameCaseDialog *self)
{
  g_return_val_if_fail (SICHTUNG_IS_RENAME_CASE_DIALOG (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->title_hint));
}
