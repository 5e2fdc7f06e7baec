/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-finding-dialog.h: asks for the category, reason and legal basis of a finding the
 * person marks by hand or corrects.
 *
 * The dialog shows what is being marked (a text, or an area of a page without text) and offers
 * every category by its display name. It stores nothing itself: whoever opened it reads the
 * choices when it answers SICHTUNG_FINDING_DIALOG_RESPONSE_CONFIRM through AdwMessageDialog's
 * "response" signal; Escape and the cancel button answer "cancel".
 */
#pragma once

#include <adwaita.h>

#include "sichtung-core.h"

G_BEGIN_DECLS

#define SICHTUNG_FINDING_DIALOG_RESPONSE_CANCEL  "cancel"
#define SICHTUNG_FINDING_DIALOG_RESPONSE_CONFIRM "confirm"

#define SICHTUNG_TYPE_FINDING_DIALOG (sichtung_finding_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SichtungFindingDialog, sichtung_finding_dialog, SICHTUNG, FINDING_DIALOG,
                      AdwMessageDialog)

/* A modal dialog over @parent (may be NULL) for marking a new finding, or with @editing for
 * correcting one. */
SichtungFindingDialog *sichtung_finding_dialog_new             (GtkWindow             *parent,
                                                                gboolean               editing);

/* Property "editing" (gboolean, construct-only). */
gboolean               sichtung_finding_dialog_get_editing     (SichtungFindingDialog *self);

/* What is marked: @text (NULL or empty for an area without text) on @page (0-based). */
void                   sichtung_finding_dialog_set_subject     (SichtungFindingDialog *self,
                                                                const char            *text,
                                                                guint                  page);

/* Property "category" (guint, an ScFindingCategory): the category chosen. */
ScFindingCategory      sichtung_finding_dialog_get_category    (SichtungFindingDialog *self);
void                   sichtung_finding_dialog_set_category    (SichtungFindingDialog *self,
                                                                ScFindingCategory      category);
/* Properties "reason" and "legal-basis" (string): what was typed, "" for nothing. */
const char            *sichtung_finding_dialog_get_reason      (SichtungFindingDialog *self);
void                   sichtung_finding_dialog_set_reason      (SichtungFindingDialog *self,
                                                                const char            *reason);
const char            *sichtung_finding_dialog_get_legal_basis (SichtungFindingDialog *self);
void                   sichtung_finding_dialog_set_legal_basis (SichtungFindingDialog *self,
                                                                const char            *legal_basis);

G_END_DECLS
