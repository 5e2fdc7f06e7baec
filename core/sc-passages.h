/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-passages.h: documents cut into citable passages, and BM25 retrieval over them.
 *
 * A passage is a run of whole sentences (about 40 to 90 words) on one page, never crossing a
 * page break, with the boxes of its lines so that a citation can be shown on the page.
 * Retrieval ranks passages by BM25 through an in-memory SQLite FTS5 index (unicode61 tokenizer,
 * diacritics kept: "Müller" is not "Muller"); the query's words are reduced to prefixes so that
 * German inflections ("Fristen", "Frist") meet, and common function words are dropped.
 *
 *   g_autoptr(GPtrArray) all = sc_passages_split (doc, 0, NULL, &error);
 *   g_autoptr(GPtrArray) top = sc_passages_rank (all, "Wann endet die Frist?", 5, &error);
 */
#pragma once

#include <glib.h>

#include "sc-document.h"
#include "sc-encoder.h"

G_BEGIN_DECLS

typedef struct
{
  guint   document; /* index of the document among those the caller passed */
  guint   page;     /* 0-based */
  gsize   start;    /* bytes into sc_document_get_page_text (page), [start, end) */
  gsize   end;
  char   *text;     /* the passage with runs of white space made single spaces */
  GArray *boxes;    /* ScRect per line the passage covers, points, origin top-left */
  double  score;    /* retrieval score (higher is better); 0 when not ranked */
} ScPassage;

#define SC_TYPE_PASSAGE (sc_passage_get_type ())

GType      sc_passage_get_type  (void) G_GNUC_CONST;
ScPassage *sc_passage_copy      (const ScPassage *passage);
void       sc_passage_free      (ScPassage       *passage);

/* The passages of @document in reading order (ScPassage*, owning). @document_index is stored
 * in each. Pages without text give none; a document without any text gives an empty array.
 * Cancelled through @cancellable (may be NULL) with G_IO_ERROR_CANCELLED. */
GPtrArray *sc_passages_split    (ScDocument      *document,
                                 guint            document_index,
                                 GCancellable    *cancellable,
                                 GError         **error);

/* The at most @max passages of @passages that best match @query, best first, as copies with
 * their BM25 score set (ties in reading order). Passages sharing no word with the query are
 * left out, so the result may be empty. */
GPtrArray *sc_passages_rank     (GPtrArray       *passages,
                                 const char      *query,
                                 guint            max,
                                 GError         **error);

/* Like sc_passages_rank(), fused with dense similarity from a sentence-embedding @encoder
 * (sc_encoder_embed()): every passage gets 1 / (60 + rank) from the BM25 list and from the
 * list by cosine similarity to the query (reciprocal rank fusion), so that a passage saying
 * the same in other words ("Termin" for "Frist") is found even without a shared word. The
 * score is the fused one. @cache (may be NULL; from sc_passages_new_embedding_cache()) keeps
 * the passages' vectors between calls, keyed by text; it belongs to one encoder. */
GPtrArray  *sc_passages_rank_dense          (GPtrArray   *passages,
                                             const char  *query,
                                             ScEncoder   *encoder,
                                             GHashTable  *cache,
                                             guint        max,
                                             GError     **error);
GHashTable *sc_passages_new_embedding_cache (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScPassage, sc_passage_free)

G_END_DECLS
