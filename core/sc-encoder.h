/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-encoder.h: bidirectional BERT encoders (GGUF architecture "bert", llama.cpp's tensor
 * names) with a token-classification head (cls.weight, cls.bias) — or, for sentence-embedding
 * models (bert.pooling_type mean or CLS, no head), pooled last-layer states — run on an
 * ScBackend.
 *
 * The forward pass is post-LN BERT, as tools/train/model.py trains it:
 *
 *   x = LN(token_embd[id] + position_embd[pos] + token_types[0] [+ gazetteer_embd[feature]])
 *   per layer:  x = LN(x + Wo attention(Wq x + bq, Wk x + bk, Wv x + bv) + bo)
 *               x = LN(x + W_down gelu(W_up x + b_up) + b_down)
 *   logits = cls.weight x + cls.bias
 *
 * Several sequences go through one graph: their tokens are packed one after the other (no
 * padding), the matrix products run over all of them at once and attention runs per sequence,
 * each token seeing exactly the tokens of its own sequence. An ScEncoder is immutable once
 * loaded and may be used from several threads.
 *
 *   g_autoptr(ScEncoder) enc = sc_encoder_load (path, backend, &error);
 *   guint lengths[2] = { 12, 30 };
 *   sc_encoder_eval (enc, ids, lengths, 2, logits, &error);  // logits: [42][n_out]
 */
#pragma once

#include <glib.h>

#include "sc-backend.h"
#include "sc-gguf.h"
#include "sc-tokenizer.h"

G_BEGIN_DECLS

typedef struct
{
  guint n_ctx;    /* bert.context_length: positions, the longest sequence */
  guint n_embd;   /* bert.embedding_length */
  guint n_layer;  /* bert.block_count */
  guint n_ff;     /* bert.feed_forward_length */
  guint n_head;   /* bert.attention.head_count */
  guint head_dim; /* n_embd / n_head */
  guint n_vocab;  /* rows of token_embd.weight */
  guint n_out;    /* rows of cls.weight: the classes */
  guint n_features; /* rows of gazetteer_embd.weight (a per-token feature id's vector added
                     * to the embeddings), 0 when the model has none */
  float norm_eps; /* bert.attention.layer_norm_epsilon */
} ScEncoderHparams;

/* bert.pooling_type, llama.cpp's values. NONE: per-token outputs through a classifier head
 * (a tagger); MEAN and CLS: a sentence-embedding model without a head. */
typedef enum
{
  SC_POOLING_NONE = 0,
  SC_POOLING_MEAN = 1,
  SC_POOLING_CLS  = 2,
} ScPooling;

typedef struct _ScEncoder ScEncoder;

/* Opens @path and creates the weights on @backend. Fails with SC_ERROR_NOT_SUPPORTED for other
 * architectures, causal models, pooling other than mean or first token and unsupported
 * weight types, SC_ERROR_CORRUPT for
 * missing keys or tensors and tensors of the wrong shape (the message names the tensor). */
ScEncoder              *sc_encoder_load          (const char  *path,
                                                  ScBackend   *backend,
                                                  GError     **error);
/* The same from an opened file; takes ownership of @gguf on success and on failure. */
ScEncoder              *sc_encoder_load_gguf     (ScGguf      *gguf,
                                                  ScBackend   *backend,
                                                  GError     **error);
ScEncoder              *sc_encoder_ref           (ScEncoder   *encoder);
void                    sc_encoder_unref         (ScEncoder   *encoder);

const ScEncoderHparams *sc_encoder_get_hparams   (ScEncoder   *encoder);
ScBackend              *sc_encoder_get_backend   (ScEncoder   *encoder);
/* The file, for further metadata; owned by @encoder. */
ScGguf                 *sc_encoder_get_gguf      (ScEncoder   *encoder);
/* The file's WordPiece tokenizer (every "bert" file needs one). */
ScTokenizer            *sc_encoder_get_tokenizer (ScEncoder   *encoder);

/* Runs @n_seqs sequences through the encoder in one graph. Sequence s has @lengths[s] ids
 * (1 .. n_ctx, [CLS] and [SEP] included when the caller wants them), the ids of all sequences
 * one after the other in @ids. Writes n_out logits per token to @logits, in the same order
 * (sum of @lengths rows of n_out floats). Fails with SC_ERROR_INVALID_ARGUMENT for ids outside
 * the vocabulary or sequences that are empty or too long. A model with n_features > 0 reads
 * every token's feature id 0. */
gboolean                sc_encoder_eval          (ScEncoder    *encoder,
                                                  const gint32 *ids,
                                                  const guint  *lengths,
                                                  guint         n_seqs,
                                                  float        *logits,
                                                  GError      **error);
/* The same with a feature id per token in @features (beside @ids; 0 .. n_features - 1, or
 * NULL for all 0); ignored by a model without features. */
gboolean                sc_encoder_eval_features (ScEncoder    *encoder,
                                                  const gint32 *ids,
                                                  const gint32 *features,
                                                  const guint  *lengths,
                                                  guint         n_seqs,
                                                  float        *logits,
                                                  GError      **error);

ScPooling               sc_encoder_get_pooling   (ScEncoder   *encoder);

/* Embedding models only (SC_ERROR_NOT_SUPPORTED otherwise): one unit-length vector of n_embd
 * floats per text into @out ([n_texts * n_embd]): the texts tokenized with [CLS] and [SEP]
 * (lower-cased first for an uncased vocabulary; cut to the encoder's context), the last
 * layer's states pooled as the model says. Cosine similarity is then a dot product. */
gboolean                sc_encoder_embed         (ScEncoder          *encoder,
                                                  const char *const  *texts,
                                                  guint               n_texts,
                                                  float              *out,
                                                  GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScEncoder, sc_encoder_unref)

G_END_DECLS
