/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-ner.h: the named-entity tagger — Sichtung's own German token-classification model (a BERT
 * encoder in a GGUF file, architecture "bert", labels in "sichtung.labels") run on an ScBackend.
 *
 * An ScNer is immutable once loaded and may be used from several threads. Words are tagged in
 * IOB2 over the LER/GermEval label set ("O", "B-PER", "I-PER", …); sc_ner_find() turns the tags
 * of a free text into ScFinding spans.
 *
 *   g_autoptr(ScNer) ner = sc_ner_load (path, backend, &error);
 *   g_autoptr(GPtrArray) findings = sc_ner_find (ner, text, NULL, &error);
 */
#pragma once

#include <gio/gio.h>

#include "sc-backend.h"
#include "sc-finding.h"

G_BEGIN_DECLS

typedef struct _ScNer ScNer;

/* Opens @path and creates the encoder on @backend. Fails with SC_ERROR_NOT_SUPPORTED for other
 * architectures, SC_ERROR_CORRUPT for missing keys or tensors and tensors of the wrong shape. */
ScNer      *sc_ner_load               (const char          *path,
                                       ScBackend           *backend,
                                       GError             **error);
/* data/models/sichtung-ner.gguf: $SICHTUNG_MODEL_DIR, then the installed pkgdatadir/models,
 * then the source tree's data/models (for uninstalled runs); NULL if none exists. */
char       *sc_ner_find_default_model (void);
ScNer      *sc_ner_ref                (ScNer               *ner);
void        sc_ner_unref              (ScNer               *ner);

/* general.name */
const char *sc_ner_get_name           (ScNer               *ner);
/* general.version, or "" */
const char *sc_ner_get_version        (ScNer               *ner);
guint       sc_ner_get_n_labels       (ScNer               *ner);
/* "O", "B-PER", …; NULL when @i is out of range. */
const char *sc_ner_get_label          (ScNer               *ner,
                                       guint                i);

/* Pre-split words (one sentence or a whole document): per word the label of the most probable
 * valid IOB2 sequence (see sc_ner_decode()) in @labels (n_words entries) and, when @probs is not
 * NULL, the softmax over all labels (n_words × n_labels, row-major). Long inputs run in
 * overlapping windows (keeping each word's prediction from the window where it is most central),
 * and the windows are batched. */
gboolean    sc_ner_tag_words          (ScNer               *ner,
                                       const char *const   *words,
                                       gsize                n_words,
                                       guint               *labels,
                                       float               *probs,
                                       GCancellable        *cancellable,
                                       GError             **error);

/* Several independent word sequences at once (the sentences of a CoNLL file): sentence s has
 * @sentence_lengths[s] words (0 allowed), the words of all sentences one after the other in
 * @words; @labels and @probs as in sc_ner_tag_words() over all words. No context crosses a
 * sentence boundary; the windows of all sentences share batches. */
gboolean    sc_ner_tag_sentences      (ScNer               *ner,
                                       const char *const   *words,
                                       const gsize         *sentence_lengths,
                                       gsize                n_sentences,
                                       guint               *labels,
                                       float               *probs,
                                       GCancellable        *cancellable,
                                       GError             **error);

/* The label-transition scores the model carries (sichtung.transitions), [from × n_labels + to],
 * and in @start (may be NULL) those of the first label, [n_labels]; NULL when it has none. */
const float *sc_ner_get_transitions   (ScNer               *ner,
                                       const float        **start);

/* The label sequence with the highest product of per-word probabilities (@probs as
 * sc_ner_tag_words() returns them, @n_words rows) among those that are valid IOB2: an I- label
 * only after the B- or I- label of its own type. Where the model carries label-transition scores
 * (sichtung.transitions: weighted log-probabilities of each label following another, learnt from
 * the training data), they are added to the path's score. When @allowed is not NULL, only labels k with
 * @allowed[k] are used (O must be among them). Writes @n_words labels. */
void        sc_ner_decode             (ScNer               *ner,
                                       const float         *probs,
                                       gsize                n_words,
                                       const gboolean      *allowed,
                                       guint               *labels);

/* Free text: splits @text into words (as the tokenizer's basic split), tags them, decodes the
 * IOB2 tags into spans and returns them as ScFinding* (source SC_FINDING_SOURCE_MODEL, byte
 * offsets into @text, label the fine type, confidence the mean probability of the span's tags),
 * sorted by start. Types without a finding category (LIT, OTH) are skipped. */
GPtrArray  *sc_ner_find               (ScNer               *ner,
                                       const char          *text,
                                       GCancellable        *cancellable,
                                       GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScNer, sc_ner_unref)

G_END_DECLS
