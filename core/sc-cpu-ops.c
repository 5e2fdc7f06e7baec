/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cpu-ops.c: the CPU kernels of every op except matmul (sc-cpu-matmul.c). Each runs on all
 * threads of the pool, split over rows (or elements) so that no two threads write the same
 * cache line. These ops move little data next to the matmuls; they are written to be simple and
 * to vectorise where the compiler can, with reductions in double where the rows are long. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sc-cpu-ops-avx2.h"
#include "sc-cpu-private.h"

#define ROUND64(x) (((x) + 63) & ~(gsize) 63)

/* ---------------------------------------------------------------- element-wise */

static gint64
row_stride (const ScTensor *b)
{
  return sc_tensor_n_rows (b) == 1 ? 0 : b->ne[0];
}

static void
op_binary (const ScOp *op,
           int         ith,
           int         nth)
{
  const ScTensor *a = op->src[0], *b = op->src[1];
  const gint64 ne0 = a->ne[0];
  const gint64 b_stride = row_stride (b);
  const float *pa = a->data, *pb = b->data;
  float *pd = op->dst->data;
  gint64 r0, r1;

  /* Whole rows, unless there is only one (a long vector): then element ranges. */
  if (sc_tensor_n_rows (a) == 1)
    {
      gint64 i0, i1;

      sc_cpu_split (ne0, ith, nth, 16, &i0, &i1);
      if (op->kind == SC_OP_ADD)
        for (gint64 i = i0; i < i1; i++)
          pd[i] = pa[i] + pb[i];
      else
        for (gint64 i = i0; i < i1; i++)
          pd[i] = pa[i] * pb[i];
      return;
    }
  sc_cpu_split (sc_tensor_n_rows (a), ith, nth, 1, &r0, &r1);
  for (gint64 r = r0; r < r1; r++)
    {
      const float *x = pa + r * ne0, *y = pb + r * b_stride;
      float *z = pd + r * ne0;

      if (op->kind == SC_OP_ADD)
        for (gint64 i = 0; i < ne0; i++)
          z[i] = x[i] + y[i];
      else
        for (gint64 i = 0; i < ne0; i++)
          z[i] = x[i] * y[i];
    }
}

static void
op_unary (const ScCpuContext *ctx,
          const ScOp         *op,
          int                 ith,
          int                 nth)
{
  const float *a = op->src[0]->data;
  const float *b = op->src[1] != NULL ? op->src[1]->data : NULL;
  float *dst = op->dst->data;
  const float s = op->f[0];
  gint64 i0, i1;

  sc_cpu_split (sc_tensor_n_elements (op->src[0]), ith, nth, 16, &i0, &i1);
#ifdef SC_HAVE_AVX2
  if (ctx->kernels != sc_cpu_kernels_portable ())
    switch (op->kind)
      {
      case SC_OP_GELU:
        sc_cpu_gelu_avx2 (a + i0, dst + i0, i1 - i0);
        return;
      case SC_OP_SILU:
        sc_cpu_silu_avx2 (a + i0, NULL, dst + i0, i1 - i0);
        return;
      case SC_OP_SWIGLU:
        sc_cpu_silu_avx2 (a + i0, b + i0, dst + i0, i1 - i0);
        return;
      default:
        break;
      }
#else
  (void) ctx;
#endif
  switch (op->kind)
    {
    case SC_OP_SCALE:
      for (gint64 i = i0; i < i1; i++)
        dst[i] = a[i] * s;
      break;
    case SC_OP_SILU:
      for (gint64 i = i0; i < i1; i++)
        dst[i] = a[i] / (1.0f + expf (-a[i]));
      break;
    case SC_OP_SWIGLU:
      for (gint64 i = i0; i < i1; i++)
        dst[i] = a[i] / (1.0f + expf (-a[i])) * b[i];
      break;
    case SC_OP_GELU:
      {
        const float c = 0.7978845608028654f; /* sqrt (2 / pi) */

        for (gint64 i = i0; i < i1; i++)
          {
            const float x = a[i];

            dst[i] = 0.5f * x * (1.0f + tanhf (c * (x + 0.044715f * x * x * x)));
          }
        break;
      }
    default:
      g_assert_not_reached ();
    }
}

/* ---------------------------------------------------------------- rows */

static void
op_get_rows (const ScOp *op,
             int         ith,
             int         nth)
{
  const ScTensor *table = op->src[0];
  const gint32 *ids = op->src[1]->data;
  const gint64 E = table->ne[0];
  float *dst = op->dst->data;
  gsize row_size = 0;
  gint64 r0, r1;

  sc_tensor_row_size (table->type, E, &row_size, NULL);
  sc_cpu_split (sc_tensor_n_elements (op->src[1]), ith, nth, 1, &r0, &r1);
  for (gint64 r = r0; r < r1; r++)
    sc_dequantize_row (table->type, (const guint8 *) table->data + (gsize) ids[r] * row_size,
                       dst + r * E, E);
}

static void
op_copy_rows (const ScOp *op,
              int         ith,
              int         nth)
{
  const ScTensor *a = op->src[0];
  const gint64 E = a->ne[0];
  const float *src = a->data;
  gint64 r0, r1;

  sc_cpu_split (sc_tensor_n_rows (a), ith, nth, 1, &r0, &r1);
  if (r1 <= r0)
    return;
  if (op->dst->type == SC_TENSOR_TYPE_F16)
    sc_fp32_to_fp16_row (src + r0 * E, (guint16 *) op->dst->data + (op->i[0] + r0) * E,
                         (r1 - r0) * E);
  else
    memcpy ((float *) op->dst->data + (op->i[0] + r0) * E, src + r0 * E,
            (gsize) ((r1 - r0) * E) * sizeof (float));
}

static void
op_norm (const ScOp *op,
         int         ith,
         int         nth)
{
  const ScTensor *a = op->src[0], *w = op->src[1];
  const ScTensor *b = op->kind == SC_OP_LAYER_NORM ? op->src[2] : NULL;
  const gint64 ne0 = a->ne[0];
  const float eps = op->f[0];
  gint64 r0, r1;

  sc_cpu_split (sc_tensor_n_rows (a), ith, nth, 1, &r0, &r1);
  for (gint64 r = r0; r < r1; r++)
    {
      const float *x = (const float *) a->data + r * ne0;
      const float *pw = w ? (const float *) w->data + r * row_stride (w) : NULL;
      const float *pb = b ? (const float *) b->data + r * row_stride (b) : NULL;
      float *y = (float *) op->dst->data + r * ne0;
      float mean = 0.0f, scale;
      double sum = 0.0;

      if (op->kind == SC_OP_LAYER_NORM)
        {
          for (gint64 i = 0; i < ne0; i++)
            sum += x[i];
          mean = (float) (sum / ne0);
          sum = 0.0;
        }
      for (gint64 i = 0; i < ne0; i++)
        {
          const float v = x[i] - mean;

          sum += (double) (v * v);
        }
      scale = (float) (1.0 / sqrt (sum / ne0 + eps));
      for (gint64 i = 0; i < ne0; i++)
        {
          float v = (x[i] - mean) * scale;

          if (pw != NULL)
            v *= pw[i];
          if (pb != NULL)
            v += pb[i];
          y[i] = v;
        }
    }
}

static void
op_softmax (const ScOp *op,
            int         ith,
            int         nth)
{
  const ScTensor *a = op->src[0], *mask = op->src[1];
  const gint64 ne0 = a->ne[0];
  const float scale = op->f[0];
  gint64 r0, r1;

  sc_cpu_split (sc_tensor_n_rows (a), ith, nth, 1, &r0, &r1);
  for (gint64 r = r0; r < r1; r++)
    {
      const float *x = (const float *) a->data + r * ne0;
      const float *m = mask ? (const float *) mask->data + r * row_stride (mask) : NULL;
      float *y = (float *) op->dst->data + r * ne0;
      float max = -INFINITY;
      double sum = 0.0;

      for (gint64 i = 0; i < ne0; i++)
        {
          y[i] = x[i] * scale + (m ? m[i] : 0.0f);
          max = MAX (max, y[i]);
        }
      if (max == -INFINITY)
        {
          memset (y, 0, (gsize) ne0 * sizeof (float));
          continue;
        }
      for (gint64 i = 0; i < ne0; i++)
        {
          y[i] = expf (y[i] - max);
          sum += y[i];
        }
      for (gint64 i = 0; i < ne0; i++)
        y[i] = (float) (y[i] / sum);
    }
}

/* Rotations depend on the position and pair only: computed once per token, in double like the
 * reference (positions reach tens of thousands, where float angles lose digits). */
static void
op_rope (const ScCpuContext *ctx,
         const ScOp         *op,
         int                 ith,
         int                 nth)
{
  const ScTensor *a = op->src[0];
  const gint32 *pos = op->src[1]->data;
  const gint64 D = a->ne[0], H = a->ne[1];
  const int n_rot = op->i[0];
  const gboolean neox = op->i[1] == SC_ROPE_NEOX;
  const float freq_base = op->f[0], freq_scale = op->f[1];
  float *cs = (float *) (ctx->work + ith * ROUND64 ((gsize) n_rot * sizeof (float)));
  gint64 r0, r1, t_cached = -1;

  sc_cpu_split (H * a->ne[2], ith, nth, 1, &r0, &r1);
  for (gint64 r = r0; r < r1; r++)
    {
      const gint64 t = r / H;
      const float *x = (const float *) a->data + r * D;
      float *y = (float *) op->dst->data + r * D;

      if (t != t_cached)
        {
          for (int j = 0; j < n_rot / 2; j++)
            {
              const double theta = (double) pos[t] * freq_scale *
                                   pow (freq_base, -2.0 * j / n_rot);

              cs[2 * j] = (float) cos (theta);
              cs[2 * j + 1] = (float) sin (theta);
            }
          t_cached = t;
        }
      for (int j = 0; j < n_rot / 2; j++)
        {
          const int i0 = neox ? j : 2 * j;
          const int i1 = neox ? j + n_rot / 2 : 2 * j + 1;
          const float x0 = x[i0], x1 = x[i1];

          y[i0] = x0 * cs[2 * j] - x1 * cs[2 * j + 1];
          y[i1] = x0 * cs[2 * j + 1] + x1 * cs[2 * j];
        }
      if (D > n_rot && y != x)
        memcpy (y + n_rot, x + n_rot, (gsize) (D - n_rot) * sizeof (float));
    }
}

/* ---------------------------------------------------------------- attention */

/* Scratch of one attention thread: the output accumulator, the query as halves, the scores
 * of the visible rows (of SC_CPU_ATTN_BLOCK queries for the blocked kernels) and the blocked
 * F16 kernel's floats. */
static gsize
attention_thread_work (const ScOp *op)
{
  const gint64 D = op->src[0]->ne[0];

  return ROUND64 ((gsize) D * sizeof (float)) + ROUND64 ((gsize) D * sizeof (guint16)) +
         ROUND64 ((gsize) SC_CPU_ATTN_BLOCK * op->i[0] * sizeof (float)) +
         ROUND64 ((gsize) SC_CPU_ATTN_BLOCK * D * sizeof (float));
}

#ifdef SC_HAVE_AVX2
/* With AVX2: SC_CPU_ATTN_BLOCK neighbouring queries of one head at a time, so each key and
 * value row is read once per block instead of once per query; in a token step up to as many
 * query heads that share a key head (grouped-query attention), whose dot products then also
 * run side by side instead of in one chain of dependent FMAs. With an F32 cache (encoders)
 * for two queries or more, the results agree with the one-query path to float rounding; with
 * an F16 cache (the decoders) for every query, token steps included, so that a prompt and its
 * tokens one by one give the same bits. */
static gboolean
attention_blocked (const ScCpuContext *ctx,
                   const ScOp         *op,
                   int                 ith,
                   int                 nth)
{
  const ScTensor *q = op->src[0], *k = op->src[1], *v = op->src[2], *mask = op->src[3];
  const gint64 D = q->ne[0], Hq = q->ne[1], T = q->ne[2];
  const gint64 Hkv = k->ne[0] / D, group = Hq / Hkv;
  const int n_kv = op->i[0], pos0 = op->i[2];
  const gboolean causal = op->i[1];
  const gint64 n_blocks = (T + SC_CPU_ATTN_BLOCK - 1) / SC_CPU_ATTN_BLOCK;
  /* A token step: the query heads that share a key head form the blocks instead. */
  const gboolean by_heads = T == 1 && group > 1;
  const gint64 per_kv = (group + SC_CPU_ATTN_BLOCK - 1) / SC_CPU_ATTN_BLOCK;
  const gboolean f16 = k->type == SC_TENSOR_TYPE_F16;
  float *scores, *f16_work;
  gint64 u0, u1;

  if ((!f16 && (k->type != SC_TENSOR_TYPE_F32 || T < 2)) || D % 8 != 0 ||
      ctx->kernels == sc_cpu_kernels_portable ())
    return FALSE;

  scores = (float *) (ctx->work + ith * attention_thread_work (op) +
                      ROUND64 ((gsize) D * sizeof (float)) + ROUND64 ((gsize) D * sizeof (guint16)));
  f16_work = (float *) ((guint8 *) scores +
                        ROUND64 ((gsize) SC_CPU_ATTN_BLOCK * op->i[0] * sizeof (float)));
  sc_cpu_split (by_heads ? Hkv * per_kv : n_blocks * Hq, ith, nth, 1, &u0, &u1);
  for (gint64 u = u0; u < u1; u++)
    {
      /* Blocks of one head are neighbours, so a thread keeps reading the same key columns. */
      const gint64 h0 = by_heads ? u / per_kv * group + u % per_kv * SC_CPU_ATTN_BLOCK
                                 : u / n_blocks;
      const gint64 t0 = by_heads ? 0 : u % n_blocks * SC_CPU_ATTN_BLOCK;
      const int n_q = (int) (by_heads ? MIN (SC_CPU_ATTN_BLOCK, group - h0 % group)
                                      : MIN (SC_CPU_ATTN_BLOCK, T - t0));
      const gsize head = (gsize) (h0 / group * D);
      const float *qs[SC_CPU_ATTN_BLOCK];
      float *outs[SC_CPU_ATTN_BLOCK];
      const float *masks[SC_CPU_ATTN_BLOCK];
      int visible[SC_CPU_ATTN_BLOCK];

      for (int i = 0; i < n_q; i++)
        {
          const gint64 t = by_heads ? 0 : t0 + i, h = by_heads ? h0 + i : h0;
          const gint64 item = t * Hq + h;

          qs[i] = (const float *) q->data + item * D;
          outs[i] = (float *) op->dst->data + item * D;
          masks[i] = mask ? (const float *) mask->data + t * mask->ne[0] : NULL;
          visible[i] = causal ? MIN (n_kv, pos0 + (int) t + 1) : n_kv;
        }
      if (f16)
        sc_cpu_attention_f16_avx2 (qs, outs, masks, visible, n_q,
                                   (const guint16 *) k->data + head,
                                   (const guint16 *) v->data + head, (gsize) k->ne[0], D,
                                   op->f[0], f16_work, scores);
      else
        sc_cpu_attention_f32_avx2 (qs, outs, masks, visible, n_q,
                                   (const float *) k->data + head,
                                   (const float *) v->data + head, (gsize) k->ne[0], D,
                                   op->f[0], scores);
    }
  return TRUE;
}
#endif

/* One query row against the cache, computed as llama.cpp's CPU backend does without flash
 * attention, so that results agree closely: with an F16 cache the query is rounded to halves
 * for K·q (ggml's vec_dot_type of F16), softmax(s * scale + mask) is normalised in float from
 * a double sum, and the probabilities are rounded to halves for the product with V. */
static void
op_attention (const ScCpuContext *ctx,
              const ScOp         *op,
              int                 ith,
              int                 nth)
{
  const ScTensor *q = op->src[0], *k = op->src[1], *v = op->src[2], *mask = op->src[3];
  const gint64 D = q->ne[0], Hq = q->ne[1], T = q->ne[2];
  const gint64 Hkv = k->ne[0] / D, group = Hq / Hkv;
  const int n_kv = op->i[0], pos0 = op->i[2];
  const gboolean causal = op->i[1], f16 = k->type == SC_TENSOR_TYPE_F16;
  const float scale = op->f[0];
  const gsize elem = f16 ? 2 : 4;
  const gsize kv_row = (gsize) k->ne[0] * elem;
  const ScCpuVecDotFunc dot = ctx->kernels->vec_dot[f16 ? SC_TENSOR_TYPE_F16
                                                        : SC_TENSOR_TYPE_F32];
  guint8 *work = ctx->work + ith * attention_thread_work (op);
  float *acc = (float *) work;
  guint16 *q16 = (guint16 *) (work + ROUND64 ((gsize) D * sizeof (float)));
  float *scores = (float *) (work + ROUND64 ((gsize) D * sizeof (float)) +
                             ROUND64 ((gsize) D * sizeof (guint16)));
  gint64 i0, i1;

#ifdef SC_HAVE_AVX2
  if (attention_blocked (ctx, op, ith, nth))
    return;
#endif
  sc_cpu_split (T * Hq, ith, nth, 1, &i0, &i1);
  for (gint64 item = i0; item < i1; item++)
    {
      /* Heads of one token are neighbours, so threads sharing a KV head share its rows. */
      const gint64 t = item / Hq, h = item % Hq;
      const float *qh = (const float *) q->data + item * D;
      const float *m = mask ? (const float *) mask->data + t * mask->ne[0] : NULL;
      const gsize head_offset = (gsize) (h / group * D) * elem;
      const int visible = causal ? MIN (n_kv, pos0 + (int) t + 1) : n_kv;
      const void *qd = qh;
      float *out = (float *) op->dst->data + item * D;
      float max = -INFINITY, inv;
      double sum = 0.0;

      if (f16)
        {
          ctx->kernels->convert_f16 (qh, q16, D);
          qd = q16;
        }
      for (int j = 0; j < visible; j++)
        {
          const guint8 *krow = (const guint8 *) k->data + j * kv_row + head_offset;

          scores[j] = dot (krow, qd, D) * scale + (m ? m[j] : 0.0f);
          max = MAX (max, scores[j]);
        }
      memset (acc, 0, (gsize) D * sizeof (float));
      if (max == -INFINITY)
        {
          memcpy (out, acc, (gsize) D * sizeof (float));
          continue;
        }
      for (int j = 0; j < visible; j++)
        {
          scores[j] = expf (scores[j] - max);
          sum += scores[j];
        }
      inv = (float) (1.0 / sum);
      for (int j = 0; j < visible; j++)
        {
          const guint8 *vrow = (const guint8 *) v->data + j * kv_row + head_offset;
          float p = scores[j] * inv;

          if (p == 0.0f)
            continue;
          if (f16)
            ctx->kernels->mad_f16 (acc, (const guint16 *) vrow, 1.0f,
                                   sc_fp16_to_fp32 (sc_fp32_to_fp16 (p)), D);
          else
            ctx->kernels->mad_f32 (acc, (const float *) vrow, 1.0f, p, D);
        }
      memcpy (out, acc, (gsize) D * sizeof (float));
    }
}

/* ---------------------------------------------------------------- dispatch */

gsize
sc_cpu_op_work_size (const ScOp *op,
                     int         n_threads)
{
  switch (op->kind)
    {
    case SC_OP_MATMUL:
      return 0; /* its activations go to ScCpuContext.act */
    case SC_OP_ROPE:
      return (gsize) n_threads * ROUND64 ((gsize) op->i[0] * sizeof (float));
    case SC_OP_ATTENTION:
      return (gsize) n_threads * attention_thread_work (op);
    default:
      return 0;
    }
}

void
sc_cpu_op_run (const ScCpuContext *ctx,
               const ScOp         *op,
               int                 ith,
               int                 nth)
{
  sc_cpu_act_cache_check (ctx, op, ith);
  switch (op->kind)
    {
    case SC_OP_GET_ROWS:
      op_get_rows (op, ith, nth);
      break;
    case SC_OP_MATMUL:
      sc_cpu_matmul (ctx, op, ith, nth);
      break;
    case SC_OP_ADD:
    case SC_OP_MUL:
      op_binary (op, ith, nth);
      break;
    case SC_OP_SCALE:
    case SC_OP_SILU:
    case SC_OP_GELU:
    case SC_OP_SWIGLU:
      op_unary (ctx, op, ith, nth);
      break;
    case SC_OP_RMS_NORM:
    case SC_OP_LAYER_NORM:
      op_norm (op, ith, nth);
      break;
    case SC_OP_ROPE:
      op_rope (ctx, op, ith, nth);
      break;
    case SC_OP_SOFTMAX:
      op_softmax (op, ith, nth);
      break;
    case SC_OP_ATTENTION:
      op_attention (ctx, op, ith, nth);
      break;
    case SC_OP_COPY_ROWS:
      op_copy_rows (op, ith, nth);
      break;
    case SC_OP_N:
    default:
      g_assert_not_reached ();
    }
}
