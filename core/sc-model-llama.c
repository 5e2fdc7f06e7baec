/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-model-llama.c: the forward pass of llama-style decoders ("llama", "qwen2") as an op
 * graph, following llama.cpp's build_llama / build_qwen2:
 *
 *   x = token_embd[ids]
 *   per layer:  h = rms_norm(x) * attn_norm
 *               q, k, v = Wq h (+bq), Wk h (+bk), Wv h (+bv);  q, k = rope(q), rope(k)
 *               cache_k[n_past …], cache_v[n_past …] = k, v
 *               x = x + Wo attention(q, cache_k, cache_v)          (causal, grouped-query)
 *               h = rms_norm(x) * ffn_norm
 *               x = x + W_down (silu(W_gate h) * (W_up h))
 *   logits = output · (rms_norm(x) * output_norm)   — only for the rows asked for
 *
 * One graph covers a chunk of up to n_batch tokens, so a prompt is processed with matrix
 * products instead of one token at a time. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <math.h>

#include "sc-model-private.h"

/* y = W x (+ b) */
static ScTensor *
linear (ScGraph  *graph,
        ScTensor *w,
        ScTensor *b,
        ScTensor *x)
{
  ScTensor *y = sc_graph_matmul (graph, w, x);

  return b != NULL ? sc_graph_add (graph, y, b) : y;
}

static ScTensor *
norm (ScGraph  *graph,
      ScTensor *x,
      ScTensor *w,
      float     eps)
{
  /* rms_norm takes the weight itself (a row broadcast), saving a separate mul. */
  return sc_graph_rms_norm (graph, x, w, eps);
}

ScGraph *
_sc_model_llama_build_graph (ScContext     *ctx,
                             guint          n_tokens,
                             ScLogitsMode   mode,
                             ScTensor     **logits)
{
  ScModel *model = ctx->model;
  const ScModelHparams *hp = &model->hp;
  const gint64 T = n_tokens;
  const gint64 D = hp->head_dim;
  const gint64 n_kv_rows = (gint64) ctx->n_past + T;
  const float kq_scale = 1.0f / sqrtf ((float) D);
  ScGraph *graph;
  ScTensor *ids, *pos, *x;

  g_assert (n_tokens > 0 && n_tokens <= ctx->n_batch);
  g_assert (ctx->n_past + n_tokens <= ctx->n_ctx);

  *logits = NULL;
  graph = sc_graph_new ();
  ids = sc_graph_view_rows (graph, ctx->ids, 0, T);   /* I32 [1, T] */
  pos = sc_graph_view_rows (graph, ctx->pos, 0, T);   /* I32 [1, T] */

  x = sc_graph_get_rows (graph, model->tok_embd, ids); /* [n_embd, T] */

  for (guint l = 0; l < hp->n_layer; l++)
    {
      const ScModelLayer *layer = &model->layers[l];
      ScTensor *h, *q, *k, *v, *attn, *gate, *up;

      /* Self-attention. */
      h = norm (graph, x, layer->attn_norm, hp->norm_eps);
      q = linear (graph, layer->wq, layer->bq, h);                /* [D * Hq, T] */
      k = linear (graph, layer->wk, layer->bk, h);                /* [D * Hkv, T] */
      v = linear (graph, layer->wv, layer->bv, h);                /* [D * Hkv, T] */

      q = sc_graph_reshape (graph, q, D, hp->n_head, T, 1);
      k = sc_graph_reshape (graph, k, D, hp->n_head_kv, T, 1);
      q = sc_graph_rope (graph, q, pos, (int) hp->n_rot, hp->rope_mode, hp->rope_freq_base,
                         hp->rope_freq_scale);                    /* [D, Hq, T] */
      k = sc_graph_rope (graph, k, pos, (int) hp->n_rot, hp->rope_mode, hp->rope_freq_base,
                         hp->rope_freq_scale);                    /* [D, Hkv, T] */
      k = sc_graph_reshape (graph, k, D * hp->n_head_kv, T, 1, 1);

      sc_graph_copy_rows (graph, ctx->k_cache[l], k, ctx->n_past);
      sc_graph_copy_rows (graph, ctx->v_cache[l], v, ctx->n_past);
      attn = sc_graph_attention (graph, q, ctx->k_cache[l], ctx->v_cache[l], NULL,
                                 (int) n_kv_rows, TRUE, (int) ctx->n_past,
                                 kq_scale);                       /* [D * Hq, T] */
      x = sc_graph_add (graph, x, sc_graph_matmul (graph, layer->wo, attn));

      /* Feed-forward (SwiGLU). */
      h = norm (graph, x, layer->ffn_norm, hp->norm_eps);
      gate = sc_graph_matmul (graph, layer->ffn_gate, h);         /* [n_ff, T] */
      up = sc_graph_matmul (graph, layer->ffn_up, h);             /* [n_ff, T] */
      h = sc_graph_swiglu (graph, gate, up);
      x = sc_graph_add (graph, x, sc_graph_matmul (graph, layer->ffn_down, h));
    }

  if (mode == SC_LOGITS_NONE)
    return graph;

  /* Only the rows whose logits are wanted go through the (large) output matrix. */
  if (mode == SC_LOGITS_LAST && T > 1)
    x = sc_graph_view_rows (graph, x, T - 1, 1);
  x = norm (graph, x, model->output_norm, hp->norm_eps);
  *logits = sc_graph_matmul (graph, model->output, x);         /* [n_vocab, rows] */
  sc_graph_set_output (graph, *logits);
  return graph;
}
