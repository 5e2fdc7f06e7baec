/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-explanation-panel.h: why the selected finding was found, in plain language. */
#pragma once

#include <adwaita.h>

#include "sichtung-finding-item.h"

G_BEGIN_DECLS

#define SICHTUNG_TYPE_EXPLANATION_PANEL (sichtung_explanation_panel_get_type ())
G_DECLARE_FINAL_TYPE (SichtungExplanationPanel, sichtung_explanation_panel, SICHTUNG,
                      EXPLANATION_PANEL, AdwBin)

GtkWidget           *sichtung_explanation_panel_new          (void);

/* Property "item" (SichtungFindingItem, nullable): the finding explained. */
SichtungFindingItem *sichtung_explanation_panel_get_item     (SichtungExplanationPanel *self);
void                 sichtung_explanation_panel_set_item     (SichtungExplanationPanel *self,
                                                              SichtungFindingItem      *item);
/* Property "analysis" (ScAnalysis, nullable): the analysis the findings come from, for the
 * model's name and version. */
ScAnalysis          *sichtung_explanation_panel_get_analysis (SichtungExplanationPanel *self);
void                 sichtung_explanation_panel_set_analysis (SichtungExplanationPanel *self,
                                                              ScAnalysis               *analysis);

/* Property "document" (ScDocument, nullable): the document the item's page text comes from,
 * for the word scores of model findings. */
ScDocument          *sichtung_explanation_panel_get_document (SichtungExplanationPanel *self);
void                 sichtung_explanation_panel_set_document (SichtungExplanationPanel *self,
                                                              ScDocument               *document);

/* The word-attribution heatmap of model findings: the box holding it (hidden without an
 * item), the label with the words, tinted by score, and the label of the note shown instead
 * for findings of the rules and name lists. The state is the heatmap's page: "note", "busy"
 * (computing), "error" or "result"; NULL without an item. */
GtkBox              *sichtung_explanation_panel_get_heatmap_box   (SichtungExplanationPanel *self);
GtkLabel            *sichtung_explanation_panel_get_heatmap_label (SichtungExplanationPanel *self);
GtkLabel            *sichtung_explanation_panel_get_heatmap_note  (SichtungExplanationPanel *self);
const char          *sichtung_explanation_panel_get_heatmap_state (SichtungExplanationPanel *self);
/* The entry for the reason of the decision on the item shown. */
GtkEntry            *sichtung_explanation_panel_get_reason_entry (SichtungExplanationPanel *self);

G_END_DECLS
