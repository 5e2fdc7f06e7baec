/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-rename-case-dialog.h: asks for a case's new title and reference (Aktenzeichen).
 *
 * An AdwMessageDialog with the responses "cancel" and "rename", prefilled with the case's
 * title and reference. Enter in either entry renames; "rename" is disabled, and an inline
 * hint says why, while the title is empty. What to do with the answer is the caller's (see
 * sichtung-case-actions.c). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SICHTUNG_TYPE_RENAME_CASE_DIALOG (sichtung_rename_case_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SichtungRenameCaseDialog, sichtung_rename_case_dialog, SICHTUNG,
                      RENAME_CASE_DIALOG, AdwMessageDialog)

/* @parent may be NULL. @title and @reference (may be NULL) prefill the entries. */
GtkWidget  *sichtung_rename_case_dialog_new           (GtkWindow                *parent,
                                                       const char               *title,
                                                       const char               *reference);

/* What the entries hold now; the title with surrounding white space removed, "" for none.
 * Free with g_free(). */
char       *sichtung_rename_case_dialog_dup_case_title (SichtungRenameCaseDialog *self);
char       *sichtung_rename_case_dialog_dup_reference (SichtungRenameCaseDialog *self);

AdwEntryRow *sichtung_rename_case_dialog_get_title_row     (SichtungRenameCaseDialog *self);
AdwEntryRow *sichtung_rename_case_dialog_get_reference_row (SichtungRenameCaseDialog *self);
/* Whether the hint that a case needs a title is shown. */
gboolean    sichtung_rename_case_dialog_get_title_missing (SichtungRenameCaseDialog *self);

G_END_DECLS
