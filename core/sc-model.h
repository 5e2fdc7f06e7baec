/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-model.h: decoder-only language models (GGUF architectures "llama" and "qwen2") and their
 * inference contexts.
 *
 * An ScModel holds the hyperparameters, the tokenizer and the weights, created on a backend
 * (the CPU backend uses the mapped GGUF in place, so loading costs no copies). It is
 * immutable once loaded and may be shared by several contexts. An ScContext is one sequence:
 * its key/value cache (n_ctx rows per layer, F16 by default as in llama.cpp), the number of
 * tokens already in it, and the logits of its last evaluation.
 *
 *   g_autoptr(ScModel) model = sc_model_load ("model.gguf", backend, &error);
 *   g_autoptr(ScContext) ctx = sc_context_new (model, NULL, &error);
 *   sc_model_eval (ctx, prompt_ids, n_prompt, FALSE, &error);   // batched prompt processing
 *   const float *logits = sc_context_get_logits (ctx, NULL);    // [n_vocab] of the last token
 */
#pragma once

#include <glib.h>

#include "sc-backend.h"
#include "sc-gguf.h"
#include "sc-graph.h"
#include "sc-tokenizer.h"

G_BEGIN_DECLS

typedef enum
{
  SC_MODEL_ARCH_LLAMA, /* "llama": rope on pairs (2j, 2j+1) */
  SC_MODEL_ARCH_QWEN2, /* "qwen2": q/k/v biases, NeoX rope (j, j + n_rot/2) */
} ScModelArch;

/* What the GGUF metadata ({arch}.*) says, with the defaults llama.cpp applies. */
typedef struct
{
  ScModelArch arch;
  guint       n_ctx_train;     /* context_length */
  guint       n_embd;          /* embedding_length */
  guint       n_layer;         /* block_count */
  guint       n_ff;            /* feed_forward_length */
  guint       n_head;          /* attention.head_count */
  guint       n_head_kv;       /* attention.head_count_kv (default n_head) */
  guint       head_dim;        /* attention.key_length (default n_embd / n_head) */
  guint       n_rot;           /* rope.dimension_count (default head_dim) */
  guint       n_vocab;         /* rows of token_embd.weight */
  float       norm_eps;        /* attention.layer_norm_rms_epsilon */
  float       rope_freq_base;  /* rope.freq_base (default 10000) */
  float       rope_freq_scale; /* 1 / rope.scaling.factor for linear scaling, else 1 */
  ScRopeMode  rope_mode;       /* NORMAL for llama, NEOX for qwen2 */
  gboolean    tied_output;     /* no output.weight: the logits use token_embd.weight */
} ScModelHparams;

typedef struct _ScModel ScModel;
typedef struct _ScContext ScContext;

/* Opens @path and creates the weights on @backend. Fails with SC_ERROR_NOT_SUPPORTED for
 * other architectures or weight types, SC_ERROR_CORRUPT for missing keys or tensors and
 * tensors of the wrong shape (the message names the tensor). The tokenizer is read when the
 * file has one (tokenizer.ggml.model). */
ScModel              *sc_model_load          (const char  *path,
                                              ScBackend   *backend,
                                              GError     **error);
/* The same from an opened file; takes ownership of @gguf on success and on failure. */
ScModel              *sc_model_load_gguf     (ScGguf      *gguf,
                                              ScBackend   *backend,
                                              GError     **error);
ScModel              *sc_model_ref           (ScModel     *model);
void                  sc_model_unref         (ScModel     *model);

const ScModelHparams *sc_model_get_hparams   (ScModel     *model);
const char           *sc_model_get_arch_name (ScModel     *model);
ScBackend            *sc_model_get_backend   (ScModel     *model);
/* The opened file, for metadata the model itself does not use (tokenizer.chat_template). */
ScGguf               *sc_model_get_gguf      (ScModel     *model);
/* NULL when the file has no vocabulary. */
ScTokenizer          *sc_model_get_tokenizer (ScModel     *model);
/* Bytes of weights (as stored in the file). */
guint64               sc_model_get_n_bytes   (ScModel     *model);
guint64               sc_model_get_n_params  (ScModel     *model);

/* ---------------------------------------------------------------- contexts */

typedef struct
{
  guint        n_ctx;   /* KV cache rows; 0: min (n_ctx_train, 4096) */
  guint        n_batch; /* most tokens per graph in sc_model_eval(); 0: 512 */
  ScTensorType kv_type; /* SC_TENSOR_TYPE_F16 (default) or SC_TENSOR_TYPE_F32 */
} ScContextParams;

void        sc_context_params_init (ScContextParams       *params);
/* @params may be NULL for the defaults. */
ScContext  *sc_context_new         (ScModel               *model,
                                    const ScContextParams *params,
                                    GError               **error);
void        sc_context_free        (ScContext             *ctx);
ScModel    *sc_context_get_model   (ScContext             *ctx);
guint       sc_context_get_n_ctx   (ScContext             *ctx);
/* Tokens in the KV cache, i.e. the position the next evaluated token gets. */
guint       sc_context_get_n_past  (ScContext             *ctx);
/* Keeps the first @n_past tokens of the KV cache (@n_past <= the current count) and drops
 * the logits: the next evaluated token gets position @n_past. For prompts sharing a prefix. */
void        sc_context_truncate    (ScContext             *ctx,
                                    guint                  n_past);
/* Empties the KV cache (the next token is at position 0) and drops the logits. */
void        sc_context_reset       (ScContext             *ctx);

/* Appends @n tokens to the sequence: runs them through the model in chunks of at most n_batch
 * tokens per graph, storing their keys and values in the cache. With @all_logits the logits of
 * every token are kept ([n, n_vocab], row i predicts the token after tokens[i]); otherwise only
 * those of the last token. Fails (SC_ERROR_INVALID_ARGUMENT) when a token id is out of range
 * or the cache would overflow; on failure the cache holds what was evaluated before. */
gboolean     sc_model_eval          (ScContext    *ctx,
                                     const gint32 *tokens,
                                     gsize         n,
                                     gboolean      all_logits,
                                     GError      **error);
/* The logits of the last sc_model_eval(): *@n_rows (optional) rows of n_vocab floats. Owned
 * by @ctx, valid until the next eval or reset; NULL before any eval. */
const float *sc_context_get_logits  (ScContext    *ctx,
                                     gsize        *n_rows);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScModel, sc_model_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScContext, sc_context_free)

G_END_DECLS
