/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-finding-row.h: one finding in the findings list: snippet, category, confidence,
 * sources, and buttons to accept or reject it. */
#pragma once

#include <gtk/gtk.h>

#include "sichtung-finding-item.h"

G_BEGIN_DECLS

#define SICHTUNG_TYPE_FINDING_ROW (sichtung_finding_row_get_type ())
G_DECLARE_FINAL_TYPE (SichtungFindingRow, sichtung_finding_row, SICHTUNG, FINDING_ROW,
                      GtkListBoxRow)

GtkWidget           *sichtung_finding_row_new      (SichtungFindingItem *item);
/* Property "item" (SichtungFindingItem, construct-only). */
SichtungFindingItem *sichtung_finding_row_get_item (SichtungFindingRow  *self);

/* Signal "decide-all" (SichtungDecision decision): the person asked to apply @decision to every
 * finding of the same category and text ("alle Stellen dieser Person"); the list that knows
 * them all does it. Actions "finding.accept", "finding.reject", "finding.reset",
 * "finding.accept-all" and "finding.reject-all" are installed on the row, and "finding.edit"
 * (key e), which opens a dialog to correct the category of a stored finding. */

G_END_DECLS
