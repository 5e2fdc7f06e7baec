/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-model-private.h: what sc-model.c (loading, contexts) and sc-model-llama.c (the forward
 * graph) share. Not installed, not part of the API. */
#pragma once

#include "sc-model.h"

G_BEGIN_DECLS

/* One transformer block. q has n_head * head_dim rows, k and v n_head_kv * head_dim. */
typedef struct
{
  ScTensor *attn_norm; /* [n_embd] F32 */
  ScTensor *wq;        /* [n_embd, n_head * head_dim] */
  ScTensor *wk;        /* [n_embd, n_head_kv * head_dim] */
  ScTensor *wv;        /* [n_embd, n_head_kv * head_dim] */
  ScTensor *bq;        /* [n_head * head_dim] F32, qwen2 only */
  ScTensor *bk;        /* [n_head_kv * head_dim] F32, qwen2 only */
  ScTensor *bv;        /* [n_head_kv * head_dim] F32, qwen2 only */
  ScTensor *wo;        /* [n_head * head_dim, n_embd] */
  ScTensor *ffn_norm;  /* [n_embd] F32 */
  ScTensor *ffn_gate;  /* [n_embd, n_ff] */
  ScTensor *ffn_up;    /* [n_embd, n_ff] */
  ScTensor *ffn_down;  /* [n_ff, n_embd] */
} ScModelLayer;

struct _ScModel
{
  gint            ref_count;
  ScGguf         *gguf;        /* owned; CPU weights point into its mapping */
  ScBackend      *backend;     /* owned reference */
  ScTokenizer    *tokenizer;   /* owned, NULL without a vocabulary */
  char           *arch_name;
  ScModelHparams  hp;

  ScTensor       *tok_embd;    /* [n_embd, n_vocab] */
  ScTensor       *output_norm; /* [n_embd] F32 */
  ScTensor       *output;      /* [n_embd, n_vocab]; tok_embd itself when tied */
  ScModelLayer   *layers;      /* [n_layer] */

  GPtrArray      *tensors;     /* every tensor created on the backend, freed with the model */
  guint64         n_bytes;
  guint64         n_params;
};

struct _ScContext
{
  ScModel      *model;        /* owned reference */
  guint         n_ctx;
  guint         n_batch;
  ScTensorType  kv_type;
  ScTensor    **k_cache;      /* [n_layer] of [n_head_kv * head_dim, n_ctx] kv_type */
  ScTensor    **v_cache;      /* [n_layer] of [n_head_kv * head_dim, n_ctx] kv_type */
  ScTensor     *ids;          /* I32 [1, n_batch]: the chunk's token ids */
  ScTensor     *pos;          /* I32 [1, n_batch]: their positions */
  guint         n_past;

  float        *logits;       /* [n_logit_rows, n_vocab] */
  gsize         n_logit_rows;
  gsize         logits_capacity; /* floats allocated */
};

/* Which logits a forward graph computes. */
typedef enum
{
  SC_LOGITS_NONE, /* a prompt chunk that is not the last: only the KV cache is filled */
  SC_LOGITS_LAST, /* the last token's */
  SC_LOGITS_ALL,  /* every token's */
} ScLogitsMode;

/* sc-model-llama.c: the forward graph of @n_tokens tokens (n_tokens <= n_batch) at positions
 * n_past … n_past + n_tokens - 1, reading ids and positions from ctx->ids / ctx->pos. Returns
 * the graph and in @logits its output ([n_vocab, 1 or n_tokens], NULL for SC_LOGITS_NONE). */
ScGraph *_sc_model_llama_build_graph (ScContext     *ctx,
                                      guint          n_tokens,
                                      ScLogitsMode   mode,
                                      ScTensor     **logits);

G_END_DECLS
