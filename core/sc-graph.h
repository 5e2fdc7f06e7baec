/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-graph.h: tensors and graphs of ops, the language models speak to the compute backends.
 *
 * A model builds one ScGraph per forward pass (embedding lookup, matmuls, norms, attention …)
 * and hands it to sc_backend_compute(). The CPU backend runs the ops in order on a thread pool;
 * the Vulkan backend records the whole graph into one command buffer with a barrier only where
 * an op reads what an earlier op wrote, and submits it once. Building a graph does no work.
 *
 * Layout (as in ggml): ne[0] is the innermost, contiguous dimension. A matrix with ne = {K, M}
 * has M rows of K elements. Every tensor is contiguous; views (reshape, a range of rows) share
 * their parent's storage.
 *
 * Tensors come in three kinds:
 *   WEIGHT        read-only, created by the backend from a GGUF tensor (the CPU backend uses
 *                 the mapped file in place; Vulkan uploads, splitting what exceeds the device's
 *                 buffer limits).
 *   PERSISTENT    backend memory that outlives graphs: KV caches, inputs such as token ids and
 *                 positions (written with sc_backend_tensor_set()), outputs kept across passes.
 *   INTERMEDIATE  created by graph ops; lives only while the graph is computed. The planner
 *                 (sc_graph_plan) packs intermediates into one arena, reusing memory once a
 *                 tensor's last reader has run. Mark an intermediate as an output
 *                 (sc_graph_set_output) to read it with sc_backend_tensor_get() after compute;
 *                 outputs are never overwritten by later ops in the same graph.
 */
#pragma once

#include <glib.h>

#include "sc-quant.h"

G_BEGIN_DECLS

#define SC_MAX_DIMS 4
#define SC_MAX_SRC 4

typedef enum
{
  SC_TENSOR_WEIGHT,
  SC_TENSOR_PERSISTENT,
  SC_TENSOR_INTERMEDIATE,
} ScTensorKind;

typedef struct _ScTensor ScTensor;
typedef struct _ScGraph ScGraph;

struct _ScTensor
{
  ScTensorType  type;          /* weights: any supported type; activations: F32; KV: F32/F16 */
  gint64        ne[SC_MAX_DIMS]; /* unused dimensions are 1 */
  gsize         n_bytes;
  ScTensorKind  kind;
  char          name[64];

  ScTensor     *view_src;      /* non-NULL for a view: the tensor whose storage it shares */
  gsize         view_offset;   /* byte offset into view_src's storage */

  /* Backend storage. CPU: @data is the host address (weights: into the mapped file).
   * Vulkan: @buffer is the backend's buffer object and @offset the byte offset in it. For
   * intermediates both are set by the backend at compute time from the planned arena offset. */
  gpointer      data;
  gpointer      buffer;
  gsize         offset;
  gpointer      backend_priv;  /* owned by the backend that created the tensor */

  /* Planner bookkeeping (sc-graph.c). */
  gsize         arena_offset;  /* intermediates: offset in the graph arena */
  int           last_use;      /* index of the last op reading this tensor, -1 if none */
  gboolean      is_output;
};

typedef enum
{
  SC_OP_GET_ROWS,   /* dst[E, n]      = rows ids[i] of table[E, V] (any type) -> F32 */
  SC_OP_MATMUL,     /* dst[M, N]      = w[K, M] (any type) times x[K, N] (F32): dst[m,n] =
                     *                  sum_k w[k,m] * x[k,n]. x may be a view. */
  SC_OP_ADD,        /* dst = a + b; b broadcasts over rows when b->ne[1..3] == 1 (a bias) */
  SC_OP_MUL,        /* dst = a * b; same broadcasting (a norm weight) */
  SC_OP_SCALE,      /* dst = a * f[0] */
  SC_OP_RMS_NORM,   /* per row: dst = a / sqrt(mean(a^2) + eps) * w (w optional, broadcast);
                     * f[0] = eps */
  SC_OP_LAYER_NORM, /* per row: dst = (a - mean) / sqrt(var + eps) * w + b (w, b optional);
                     * f[0] = eps */
  SC_OP_ROPE,       /* a[D, H, T] with positions pos (I32[T]); i[0] = n_rot (<= D),
                     * i[1] = mode (SC_ROPE_NORMAL rotates pairs (2j, 2j+1), SC_ROPE_NEOX
                     * rotates (j, j + n_rot/2)); f[0] = freq_base, f[1] = freq_scale
                     * (linear scaling: position * freq_scale). theta_j = pos * base^(-2j/n_rot).
                     * Dimensions >= n_rot pass through. */
  SC_OP_SOFTMAX,    /* per row: dst = softmax(a * f[0] + mask) (mask optional, F32, broadcast
                     * over rows when mask->ne[1] == 1) */
  SC_OP_ATTENTION,  /* q[D, Hq, T], k and v caches [D * Hkv, n_ctx] (F32 or F16), optional
                     * additive mask [n_kv, T] (F32). Output dst[D * Hq, T]. Query head h uses
                     * KV head h / (Hq / Hkv) (grouped-query attention). i[0] = n_kv (cache rows
                     * in use), i[1] = causal (query t at position i[2] + t sees cache rows
                     * 0 .. i[2] + t), i[2] = pos0; f[0] = scale (usually 1/sqrt(D)).
                     * Online softmax; no T x n_kv matrix needs to exist. */
  SC_OP_SILU,       /* dst = a * sigmoid(a) */
  SC_OP_GELU,       /* dst = 0.5 a (1 + tanh(sqrt(2/pi) (a + 0.044715 a^3))) (ggml's form) */
  SC_OP_SWIGLU,     /* dst = silu(a) * b */
  SC_OP_COPY_ROWS,  /* writes a[E, n] (F32) into rows i[0] .. i[0] + n - 1 of the persistent
                     * dst[E, R] (F32 or F16, converted); dst is the op's destination and
                     * also what the graph returns */
  SC_OP_N,
} ScOpKind;

typedef enum
{
  SC_ROPE_NORMAL = 0,
  SC_ROPE_NEOX = 2,      /* ggml's GGML_ROPE_TYPE_NEOX */
} ScRopeMode;

typedef struct
{
  ScOpKind  kind;
  ScTensor *dst;
  ScTensor *src[SC_MAX_SRC];  /* unused sources are NULL */
  gint32    i[4];
  float     f[4];
} ScOp;

ScGraph     *sc_graph_new          (void);
void         sc_graph_free         (ScGraph     *graph);
guint        sc_graph_get_n_ops    (ScGraph     *graph);
const ScOp  *sc_graph_get_op       (ScGraph     *graph,
                                    guint        index);

/* A fresh F32 intermediate. Mostly used by the op constructors below. */
ScTensor    *sc_graph_new_tensor   (ScGraph     *graph,
                                    ScTensorType type,
                                    gint64       ne0,
                                    gint64       ne1,
                                    gint64       ne2,
                                    gint64       ne3);
/* Views share storage with @src (which may be any kind). reshape keeps the element count;
 * view_rows selects rows [row0, row0 + n_rows) of a matrix-like tensor (ne[2] == ne[3] == 1). */
ScTensor    *sc_graph_reshape      (ScGraph     *graph,
                                    ScTensor    *src,
                                    gint64       ne0,
                                    gint64       ne1,
                                    gint64       ne2,
                                    gint64       ne3);
ScTensor    *sc_graph_view_rows    (ScGraph     *graph,
                                    ScTensor    *src,
                                    gint64       row0,
                                    gint64       n_rows);
void         sc_graph_set_output   (ScGraph     *graph,
                                    ScTensor    *tensor);

/* Op constructors: each appends one op and returns its destination (a new intermediate, or for
 * copy_rows the persistent tensor written). Shapes are checked with g_return_val_if_fail:
 * a wrong shape is a programming error in the model code, not bad input. */
ScTensor *sc_graph_get_rows   (ScGraph *graph, ScTensor *table, ScTensor *ids);
ScTensor *sc_graph_matmul     (ScGraph *graph, ScTensor *w, ScTensor *x);
ScTensor *sc_graph_add        (ScGraph *graph, ScTensor *a, ScTensor *b);
ScTensor *sc_graph_mul        (ScGraph *graph, ScTensor *a, ScTensor *b);
ScTensor *sc_graph_scale      (ScGraph *graph, ScTensor *a, float s);
ScTensor *sc_graph_rms_norm   (ScGraph *graph, ScTensor *a, ScTensor *w, float eps);
ScTensor *sc_graph_layer_norm (ScGraph *graph, ScTensor *a, ScTensor *w, ScTensor *b,
                               float eps);
ScTensor *sc_graph_rope       (ScGraph *graph, ScTensor *a, ScTensor *pos, int n_rot,
                               ScRopeMode mode, float freq_base, float freq_scale);
ScTensor *sc_graph_softmax    (ScGraph *graph, ScTensor *a, ScTensor *mask, float scale);
ScTensor *sc_graph_attention  (ScGraph *graph, ScTensor *q, ScTensor *k_cache,
                               ScTensor *v_cache, ScTensor *mask, int n_kv, gboolean causal,
                               int pos0, float scale);
ScTensor *sc_graph_silu       (ScGraph *graph, ScTensor *a);
ScTensor *sc_graph_gelu       (ScGraph *graph, ScTensor *a);
ScTensor *sc_graph_swiglu     (ScGraph *graph, ScTensor *a, ScTensor *b);
ScTensor *sc_graph_copy_rows  (ScGraph *graph, ScTensor *dst, ScTensor *a, gint64 row0);

/* Assigns arena offsets to the intermediates (liveness-based reuse; views resolve to their
 * root; outputs live to the end) with every offset a multiple of @alignment (a power of two).
 * Returns the arena size in bytes. Backends call this from compute; idempotent. */
gsize        sc_graph_plan         (ScGraph     *graph,
                                    gsize        alignment);

/* The tensor whose storage @t uses (itself when it is not a view) and the byte offset of @t
 * inside it. */
ScTensor    *sc_tensor_root        (ScTensor    *t,
                                    gsize       *offset);
gint64       sc_tensor_n_elements  (const ScTensor *t);
gint64       sc_tensor_n_rows      (const ScTensor *t); /* ne[1] * ne[2] * ne[3] */
const char  *sc_op_kind_name       (ScOpKind     kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScGraph, sc_graph_free)

G_END_DECLS
