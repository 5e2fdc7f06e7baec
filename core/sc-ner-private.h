/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-ner-private.h: what other core/ modules (the explainer, sc-explain.c) need of a tagger
 * beyond sc-ner.h: its tokenizer and special ids, its window limit, its labels by text and a
 * raw pass over id sequences the caller has built itself (internal to core/). */
#pragma once

#include <gio/gio.h>

#include "sc-gguf.h"
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

/* The gazetteer-match features of a model trained with them (sc-ner-gazetteer.c). */
typedef struct _ScNerGazetteer ScNerGazetteer;

/* The lists of @gguf's sichtung.gazetteer.* keys; NULL without an error when it has none. */
ScNerGazetteer *_sc_ner_gazetteer_load            (ScGguf                *gguf,
                                                   GError               **error);
void            _sc_ner_gazetteer_free            (ScNerGazetteer        *g);
guint           _sc_ner_gazetteer_get_n_lists     (const ScNerGazetteer  *g);
/* The name of list @k ("surname"); bit k of a feature id. Owned by the model file. */
const char     *_sc_ner_gazetteer_get_list_name   (const ScNerGazetteer  *g,
                                                   guint                  k);
/* How many feature ids there are: 2^(lists + 1). */
guint           _sc_ner_gazetteer_get_n_features  (const ScNerGazetteer  *g);
/* ORs into @features[@owner[i]] the bits of the matches over @words [0, @n_words) (basic-split
 * words as _sc_ner_gazetteer_word() prepares them; word i belongs to the caller's unit
 * @owner[i]). */
void            _sc_ner_gazetteer_match           (const ScNerGazetteer  *g,
                                                   const char *const     *words,
                                                   const gsize           *owner,
                                                   gsize                  n_words,
                                                   gint32                *features);
/* A word of the basic split as the gazetteers spell it: without control and format characters,
 * NFC. Free with g_free(). */
char           *_sc_ner_gazetteer_word            (const char            *text,
                                                   gsize                  len);

/* The gazetteer feature id of each word of @text: the words of the basic split, @n_words
 * ScTokenizerWords from sc_tokenizer_split_words(); all 0 for a model without features. Free
 * with g_free(). */
gint32      *_sc_ner_word_features  (ScNer                  *ner,
                                     const char             *text,
                                     const ScTokenizerWord  *words,
                                     gsize                   n_words);

/* The same for @n_words pre-split words (each split further as the tokenizer splits it) into
 * @features. */
gboolean     _sc_ner_split_features (ScNer                  *ner,
                                     const char *const      *words,
                                     gsize                   n_words,
                                     gint32                 *features,
                                     GError                **error);

/* Runs @n_seqs id sequences (sequence s has @lengths[s] ids, 1 .. n_ctx, [CLS] and [SEP]
 * included by the caller; all ids one after the other in @ids) through the encoder and writes
 * the softmax over the labels of every position to @probs (sum of @lengths rows of n_labels
 * floats, row-major, in input order). The sequences share encoder graphs of at most the
 * tagger's batch limits (4096 tokens, 64 sequences), so a large set takes a few graphs;
 * @cancellable is checked before each. @features: the gazetteer feature id of every id, or
 * NULL for none. Errors as sc_encoder_eval(). */
gboolean     _sc_ner_eval_ids       (ScNer               *ner,
                                     const gint32        *ids,
                                     const gint32        *features,
                                     const guint         *lengths,
                                     guint                n_seqs,
                                     float               *probs,
                                     GCancellable        *cancellable,
                                     GError             **error);

G_END_DECLS
