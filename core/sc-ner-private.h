/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-ner-private.h: what other core/ modules (the explainer, sc-explain.c) need of a tagger
 * beyond sc-ner.h: its tokenizer and special ids, its window limit, its labels by text and a
 * raw pass over id sequences the caller has built itself (internal to core/). */
#pragma once

#include <gio/gio.h>

#include "sc-ner.h"
#include "sc-tokenizer.h"

G_BEGIN_DECLS

/* The model's WordPiece tokenizer; owned by @ner. */
ScTokenizer *_sc_ner_get_tokenizer  (ScNer               *ner);
/* The id that stands for a hidden word: [MASK] when the vocabulary has it, else [UNK]. */
gint32       _sc_ner_get_mask_id    (ScNer               *ner);
/* The most pieces of words one sequence holds besides [CLS] and [SEP] (n_ctx - 2). */
guint        _sc_ner_get_max_pieces (ScNer               *ner);
/* The index of the label whose text is @label ("B-PER"), or -1. */
gint         _sc_ner_lookup_label   (ScNer               *ner,
                                     const char          *label);

/* Runs @n_seqs id sequences (sequence s has @lengths[s] ids, 1 .. n_ctx, [CLS] and [SEP]
 * included by the caller; all ids one after the other in @ids) through the encoder and writes
 * the softmax over the labels of every position to @probs (sum of @lengths rows of n_labels
 * floats, row-major, in input order). The sequences share encoder graphs of at most the
 * tagger's batch limits (4096 tokens, 64 sequences), so a large set takes a few graphs;
 * @cancellable is checked before each. Errors as sc_encoder_eval(). */
gboolean     _sc_ner_eval_ids       (ScNer               *ner,
                                     const gint32        *ids,
                                     const guint         *lengths,
                                     guint                n_seqs,
                                     float               *probs,
                                     GCancellable        *cancellable,
                                     GError             **error);

G_END_DECLS
