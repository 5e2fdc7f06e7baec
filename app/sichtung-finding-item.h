/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-finding-item.h: one finding of an analysis as a list item, with a person's decision.
 *
 * A SichtungFindingItem wraps an immutable ScPageFinding and adds what the reviewer decides
 * about it: open, accepted, rejected or edited, with a reason. Lists, the page view and the
 * explanation follow its properties. An item made from a case store's finding writes every
 * decision to the store first (sichtung_finding_item_decide()) and shows it only once stored.
 */
#pragma once

#include <glib-object.h>

#include "sichtung-core.h"

G_BEGIN_DECLS

typedef enum
{
  SICHTUNG_DECISION_OPEN,
  SICHTUNG_DECISION_ACCEPTED,
  SICHTUNG_DECISION_REJECTED,
  SICHTUNG_DECISION_EDITED,
} SichtungDecision;

#define SICHTUNG_TYPE_DECISION (sichtung_decision_get_type ())
GType       sichtung_decision_get_type         (void);
/* A translated, human-readable name ("Accepted" …). */
const char *sichtung_decision_get_display_name (SichtungDecision decision);

#define SICHTUNG_TYPE_FINDING_ITEM (sichtung_finding_item_get_type ())
G_DECLARE_FINAL_TYPE (SichtungFindingItem, sichtung_finding_item, SICHTUNG, FINDING_ITEM, GObject)

SichtungFindingItem *sichtung_finding_item_new              (ScPageFinding       *finding);
/* An item for @finding as stored in @store, with its decision and reason. */
SichtungFindingItem *sichtung_finding_item_new_stored       (ScStore             *store,
                                                             ScStoreFinding      *finding);

ScPageFinding       *sichtung_finding_item_get_page_finding (SichtungFindingItem *self);
/* Read-only properties taken from the finding: "category" (guint, an ScFindingCategory),
 * "category-name" (translated), "label" (nullable), "text", "page" (0-based), "confidence"
 * (0..1), "sources" (1 << ScFindingSource for every source) and "source-names" (translated,
 * comma-separated). */
ScFindingCategory    sichtung_finding_item_get_category     (SichtungFindingItem *self);
const char          *sichtung_finding_item_get_category_name (SichtungFindingItem *self);
const char          *sichtung_finding_item_get_label        (SichtungFindingItem *self);
const char          *sichtung_finding_item_get_text         (SichtungFindingItem *self);
guint                sichtung_finding_item_get_page         (SichtungFindingItem *self);
/* The text, or for an area marked where the page has no text, a translated description. */
const char          *sichtung_finding_item_get_display_text (SichtungFindingItem *self);
double               sichtung_finding_item_get_confidence   (SichtungFindingItem *self);
guint                sichtung_finding_item_get_sources      (SichtungFindingItem *self);
const char          *sichtung_finding_item_get_source_names (SichtungFindingItem *self);
/* The text with runs of white space made one space and case folded: findings of the same
 * category with the same key name the same thing ("alle Stellen dieser Person"). */
const char          *sichtung_finding_item_get_key          (SichtungFindingItem *self);

/* The stored finding the item was made from, or NULL (property "store-id": its id, or 0). */
ScStoreFinding      *sichtung_finding_item_get_stored       (SichtungFindingItem *self);
gint64               sichtung_finding_item_get_store_id     (SichtungFindingItem *self);

/* Property "manual" (gboolean, read-only): the person marked the finding by hand; no analysis
 * found it. */
gboolean             sichtung_finding_item_get_manual       (SichtungFindingItem *self);

/* Property "decision" (SichtungDecision). */
SichtungDecision     sichtung_finding_item_get_decision     (SichtungFindingItem *self);
/* Property "reason" (string, nullable): why the person decided as they did. */
const char          *sichtung_finding_item_get_reason       (SichtungFindingItem *self);
/* Property "legal-basis" (string, nullable): the provision the decision rests on, e.g.
 * "§ 12 LTranspG RLP". Kept with every later decision on the item until it is reopened. */
const char          *sichtung_finding_item_get_legal_basis  (SichtungFindingItem *self);
/* A translated name of the item's state for lists: the decision's, or "Added by hand" for a
 * finding marked by hand and accepted. */
const char          *sichtung_finding_item_get_status_name  (SichtungFindingItem *self);
/* The display text on one line, shortened to at most 60 characters with an ellipsis. */
char                *sichtung_finding_item_dup_snippet      (SichtungFindingItem *self);
/* What a screen reader says for the finding, translated: category, snippet, page, confidence
 * and state, e.g. “Person: Erika Mustermann, page 1, 92 %, Open”. */
char                *sichtung_finding_item_dup_summary      (SichtungFindingItem *self);

/* Records a person's decision with its @reason (may be NULL): a stored item writes it to its
 * store first and changes only when that succeeded; otherwise the item keeps its state, emits
 * "decision-failed" (with the GError) and returns FALSE. SICHTUNG_DECISION_EDITED cannot be
 * stored this way (a correction needs its span). Reopening a stored item drops its reason, as
 * the store does. Deciding what the item already says writes nothing. */
gboolean             sichtung_finding_item_decide           (SichtungFindingItem *self,
                                                             SichtungDecision     decision,
                                                             const char          *reason,
                                                             GError             **error);

/* Adds a finding the person marked by hand to @document_id in @store
 * (sc_store_add_manual_finding()) and returns its item as stored: "manual", decided
 * SICHTUNG_DECISION_ACCEPTED. Returns NULL with @error when the store refuses it. */
SichtungFindingItem *sichtung_finding_item_new_manual       (ScStore             *store,
                                                             gint64               document_id,
                                                             ScFindingCategory    category,
                                                             const ScStoreSpan   *span,
                                                             const char          *reason,
                                                             const char          *legal_basis,
                                                             GError             **error);

/* Corrects a stored item to @category (its span stays) with @reason and @legal_basis (both
 * may be NULL), through sc_store_edit_finding(). Only once that succeeded does the item show
 * the finding as stored, SICHTUNG_DECISION_EDITED and with the new category, notifying
 * "category" and the properties that follow it; otherwise it keeps its state, emits
 * "decision-failed" and returns FALSE. Items of no store cannot be corrected. */
gboolean             sichtung_finding_item_edit             (SichtungFindingItem *self,
                                                             ScFindingCategory    category,
                                                             const char          *reason,
                                                             const char          *legal_basis,
                                                             GError             **error);

/* The setters change the item in memory only, without writing to a store: for items of no
 * store, and for the reason typed for a finding not decided yet (it is stored with the
 * decision). */
void                 sichtung_finding_item_set_decision     (SichtungFindingItem *self,
                                                             SichtungDecision     decision);
void                 sichtung_finding_item_set_reason       (SichtungFindingItem *self,
                                                             const char          *reason);

/* Translated names of the sources in @sources, comma-separated. */
char                *sichtung_finding_sources_to_string     (guint                sources);

G_END_DECLS
