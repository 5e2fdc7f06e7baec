/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-findings-panel.h: the findings of the active document, grouped by category, with
 * filters and keyboard review.
 *
 * Keys while the panel has the focus: j or Down next finding, k or Up previous, a accept,
 * r reject, Shift+A / Shift+R accept or reject every occurrence, u reopen. The actions
 * ("findings.next", "findings.previous", "findings.accept", "findings.reject",
 * "findings.accept-all", "findings.reject-all", "findings.reset") are installed on the class.
 */
#pragma once

#include <adwaita.h>

#include "sichtung-finding-item.h"

G_BEGIN_DECLS

#define SICHTUNG_TYPE_FINDINGS_PANEL (sichtung_findings_panel_get_type ())
G_DECLARE_FINAL_TYPE (SichtungFindingsPanel, sichtung_findings_panel, SICHTUNG, FINDINGS_PANEL,
                      AdwBin)

GtkWidget           *sichtung_findings_panel_new               (void);

/* Property "model" (GListModel of SichtungFindingItem, nullable). */
GListModel          *sichtung_findings_panel_get_model         (SichtungFindingsPanel *self);
void                 sichtung_findings_panel_set_model         (SichtungFindingsPanel *self,
                                                                GListModel            *model);
/* Property "selected-item" (SichtungFindingItem, nullable): the finding reviewed now.
 * Setting it selects and scrolls to its row; an item the filters hide is not selected. */
SichtungFindingItem *sichtung_findings_panel_get_selected_item (SichtungFindingsPanel *self);
void                 sichtung_findings_panel_set_selected_item (SichtungFindingsPanel *self,
                                                                SichtungFindingItem   *item);

/* Property "analyzing" (gboolean): the placeholder says findings are still being looked for. */
void                 sichtung_findings_panel_set_analyzing     (SichtungFindingsPanel *self,
                                                                gboolean               analyzing);

/* Filters. Category -1 shows every category; decision -1 every decision; the minimum
 * confidence runs from 0 to 1. */
void                 sichtung_findings_panel_set_category_filter (SichtungFindingsPanel *self,
                                                                  int                    category);
void                 sichtung_findings_panel_set_decision_filter (SichtungFindingsPanel *self,
                                                                  int                    decision);
void                 sichtung_findings_panel_set_min_confidence  (SichtungFindingsPanel *self,
                                                                  double                 value);

/* The findings the filters let through (SichtungFindingItem), in list order. */
GListModel          *sichtung_findings_panel_get_visible_items (SichtungFindingsPanel *self);
/* How many findings of @category the filters let through, as the section header says. */
guint                sichtung_findings_panel_get_category_count (SichtungFindingsPanel *self,
                                                                 ScFindingCategory      category);
GtkListBox          *sichtung_findings_panel_get_list_box      (SichtungFindingsPanel *self);

/* Decides @decision on every finding with the same category and key as @item, one after
 * the other; FALSE when one could not be stored (the rest stay as they were). */
gboolean             sichtung_findings_panel_decide_all        (SichtungFindingsPanel *self,
                                                                SichtungFindingItem   *item,
                                                                SichtungDecision       decision);

G_END_DECLS
