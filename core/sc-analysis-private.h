/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-analysis-private.h: the merge step of the analysis pipeline on its own, so tests can feed
 * it model findings of their choosing (internal to core/ and its tests). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Merges the rule findings @rules of @text (as sc_recognize() returns them) with the model
 * findings @model (ScFinding* with source SC_FINDING_SOURCE_MODEL, byte offsets into @text;
 * may be NULL) and the gazetteers, by the rules of sc-analysis.h. Returns ScPageFinding* on
 * page 0 without boxes, doc_start/doc_end counting code points of @text. */
GPtrArray *_sc_analysis_merge (const char *text,
                               GPtrArray  *rules,
                               GPtrArray  *model);

G_END_DECLS
