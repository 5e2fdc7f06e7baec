/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-ops-ref.c: scalar reference implementations of the graph ops (see sc-ops-ref.h). Written
 * for clarity: no blocking, no threads, reductions in double. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sc-error.h"
#include "sc-ops-ref.h"

/* ================================================================================================
 * Quantised activations
 * ============================================================================================== */

ScRefActFormat
sc_ref_act_format (ScTensorType wtype)
{
  switch (wtype)
    {
    case SC_TENSOR_TYPE_Q4_0:
    case SC_TENSOR_TYPE_Q4_1:
    case SC_TENSOR_TYPE_Q5_0:
    case SC_TENSOR_TYPE_Q5_1:
    case SC_TENSOR_TYPE_Q8_0:
      return SC_REF_ACT_Q8;
    case SC_TENSOR_TYPE_Q4_K:
    case SC_TENSOR_TYPE_Q5_K:
    case SC_TENSOR_TYPE_Q6_K:
      return SC_REF_ACT_Q8K;
    case SC_TENSOR_TYPE_F16:
      return SC_REF_ACT_F16;
    case SC_TENSOR_TYPE_BF16:
      return SC_REF_ACT_BF16;
    default:
      return SC_REF_ACT_F32;
    }
}

gsize
sc_ref_act_row_size (ScRefActFormat format,
                     gint64         K)
{
  switch (format)
    {
    case SC_REF_ACT_Q8:
      return (gsize) (K / 32) * sizeof (ScBlockQ8Act);
    case SC_REF_ACT_Q8K:
      return (gsize) (K / SC_QK_K) * sizeof (ScBlockQ8KAct);
    case SC_REF_ACT_F16:
    case SC_REF_ACT_BF16:
      return (gsize) K * sizeof (guint16);
    case SC_REF_ACT_F32:
    default:
      return (gsize) K * sizeof (float);
    }
}

void
sc_ref_quantize_q8act (const float  *x,
                       ScBlockQ8Act *dst,
                       gint64        K)
{
  g_return_if_fail (K % 32 == 0);

  for (gint64 b = 0; b < K / 32; b++, x += 32)
    {
      float amax = 0.0f, d, id;
      int sum = 0;

      for (int i = 0; i < 32; i++)
        amax = MAX (amax, fabsf (x[i]));
      d = amax / 127.0f;
      id = amax != 0.0f ? 127.0f / amax : 0.0f;
      for (int i = 0; i < 32; i++)
        {
          /* volatile keeps the product rounded to float before rounding to an integer, whatever
           * the compiler would like to fuse. */
          volatile float v = x[i] * id;

          dst[b].qs[i] = (gint8) nearbyintf (v);
          sum += dst[b].qs[i];
        }
      dst[b].d = sc_fp16_to_fp32 (sc_fp32_to_fp16 (d));
      dst[b].s = sc_fp16_to_fp32 (sc_fp32_to_fp16 (d * (float) sum));
    }
}

void
sc_ref_quantize_q8kact (const float   *x,
                        ScBlockQ8KAct *dst,
                        gint64         K)
{
  g_return_if_fail (K % SC_QK_K == 0);

  for (gint64 b = 0; b < K / SC_QK_K; b++, x += SC_QK_K)
    {
      float amax = 0.0f, max = 0.0f, iscale;

      for (int i = 0; i < SC_QK_K; i++)
        if (fabsf (x[i]) > amax)
          {
            amax = fabsf (x[i]);
            max = x[i];
          }
      memset (&dst[b], 0, sizeof dst[b]);
      if (amax == 0.0f)
        continue;
      iscale = -127.0f / max;
      for (int i = 0; i < SC_QK_K; i++)
        {
          volatile float v = iscale * x[i];

          dst[b].qs[i] = (gint8) MIN (127.0f, nearbyintf (v));
        }
      for (int j = 0; j < 16; j++)
        {
          int sum = 0;

          for (int i = 0; i < 16; i++)
            sum += dst[b].qs[16 * j + i];
          dst[b].bsums[j] = (gint16) sum;
        }
      dst[b].d = 1.0f / iscale;
    }
}

void
sc_ref_convert_act (ScRefActFormat  format,
                    const float    *x,
                    void           *dst,
                    gint64          K)
{
  guint16 *h = dst;

  switch (format)
    {
    case SC_REF_ACT_Q8:
      sc_ref_quantize_q8act (x, dst, K);
      break;
    case SC_REF_ACT_Q8K:
      sc_ref_quantize_q8kact (x, dst, K);
      break;
    case SC_REF_ACT_F16:
      sc_fp32_to_fp16_row (x, h, K);
      break;
    case SC_REF_ACT_BF16:
      for (gint64 i = 0; i < K; i++)
        h[i] = sc_fp32_to_bf16 (x[i]);
      break;
    case SC_REF_ACT_F32:
    default:
      memcpy (dst, x, (gsize) K * sizeof (float));
      break;
    }
}

static guint32
read_le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

/* Unpacks the quants of one 32-weight block to integers, without the scale (and for Q4_1 and
 * Q5_1 without the minimum). */
static void
unpack_q32 (ScTensorType  type,
            const guint8 *block,
            int          *q)
{
  switch (type)
    {
    case SC_TENSOR_TYPE_Q4_0:
      {
        const ScBlockQ4_0 *b = (const ScBlockQ4_0 *) block;

        for (int j = 0; j < 16; j++)
          {
            q[j] = (b->qs[j] & 0xf) - 8;
            q[j + 16] = (b->qs[j] >> 4) - 8;
          }
        break;
      }
    case SC_TENSOR_TYPE_Q4_1:
      {
        const ScBlockQ4_1 *b = (const ScBlockQ4_1 *) block;

        for (int j = 0; j < 16; j++)
          {
            q[j] = b->qs[j] & 0xf;
            q[j + 16] = b->qs[j] >> 4;
          }
        break;
      }
    case SC_TENSOR_TYPE_Q5_0:
    case SC_TENSOR_TYPE_Q5_1:
      {
        const gboolean q5_0 = type == SC_TENSOR_TYPE_Q5_0;
        const guint8 *qs = q5_0 ? ((const ScBlockQ5_0 *) block)->qs
                                : ((const ScBlockQ5_1 *) block)->qs;
        const guint32 qh = read_le32 (q5_0 ? ((const ScBlockQ5_0 *) block)->qh
                                           : ((const ScBlockQ5_1 *) block)->qh);
        const int offset = q5_0 ? 16 : 0;

        for (int j = 0; j < 16; j++)
          {
            q[j] = ((qs[j] & 0xf) | (((qh >> j) & 1) << 4)) - offset;
            q[j + 16] = ((qs[j] >> 4) | (((qh >> (j + 16)) & 1) << 4)) - offset;
          }
        break;
      }
    case SC_TENSOR_TYPE_Q8_0:
      {
        const ScBlockQ8_0 *b = (const ScBlockQ8_0 *) block;

        for (int j = 0; j < 32; j++)
          q[j] = b->qs[j];
        break;
      }
    default:
      g_assert_not_reached ();
    }
}

static float
vec_dot_q32 (ScTensorType        type,
             const guint8       *row,
             const ScBlockQ8Act *xq,
             gint64              nb)
{
  const gsize type_size = sc_tensor_type_type_size (type);
  const gboolean has_min = type == SC_TENSOR_TYPE_Q4_1 || type == SC_TENSOR_TYPE_Q5_1;
  float sum = 0.0f;

  for (gint64 b = 0; b < nb; b++)
    {
      const guint8 *block = row + b * type_size;
      int q[32];
      int isum = 0;
      /* d (and m) are the first fields of every 32-weight block. */
      const float dw = sc_fp16_to_fp32 ((guint16) (block[0] | block[1] << 8));

      unpack_q32 (type, block, q);
      for (int j = 0; j < 32; j++)
        isum += q[j] * xq[b].qs[j];
      sum += dw * xq[b].d * (float) isum;
      if (has_min)
        sum += sc_fp16_to_fp32 ((guint16) (block[2] | block[3] << 8)) * xq[b].s;
    }
  return sum;
}

static float
vec_dot_qk (ScTensorType         type,
            const guint8        *row,
            const ScBlockQ8KAct *xq,
            gint64               nb)
{
  float sum = 0.0f;

  for (gint64 b = 0; b < nb; b++)
    {
      int q[SC_QK_K];
      int sumi = 0, summ = 0;
      float d, dmin = 0.0f;

      if (type == SC_TENSOR_TYPE_Q6_K)
        {
          const ScBlockQ6_K *x = (const ScBlockQ6_K *) row + b;

          for (int half = 0; half < 2; half++)
            {
              const guint8 *ql = x->ql + 64 * half;
              const guint8 *qh = x->qh + 32 * half;
              int *y = q + 128 * half;

              for (int l = 0; l < 32; l++)
                {
                  y[l] = ((ql[l] & 0xf) | (((qh[l] >> 0) & 3) << 4)) - 32;
                  y[l + 32] = ((ql[l + 32] & 0xf) | (((qh[l] >> 2) & 3) << 4)) - 32;
                  y[l + 64] = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                  y[l + 96] = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                }
            }
          for (int g = 0; g < 16; g++)
            {
              int isum = 0;

              for (int l = 0; l < 16; l++)
                isum += q[16 * g + l] * xq[b].qs[16 * g + l];
              sumi += x->scales[g] * isum;
            }
          d = sc_fp16_to_fp32 (x->d);
        }
      else
        {
          /* Q4_K and Q5_K share the scales and the nibble layout. */
          const gboolean q5 = type == SC_TENSOR_TYPE_Q5_K;
          const guint8 *scales = q5 ? ((const ScBlockQ5_K *) row)[b].scales
                                    : ((const ScBlockQ4_K *) row)[b].scales;
          const guint8 *qs = q5 ? ((const ScBlockQ5_K *) row)[b].qs
                                : ((const ScBlockQ4_K *) row)[b].qs;
          const guint8 *qh = q5 ? ((const ScBlockQ5_K *) row)[b].qh : NULL;

          for (int j = 0; j < 4; j++)
            for (int l = 0; l < 32; l++)
              {
                const guint8 byte = qs[32 * j + l];

                q[64 * j + l] = (byte & 0xf) + (qh && (qh[l] >> (2 * j)) & 1 ? 16 : 0);
                q[64 * j + 32 + l] = (byte >> 4) + (qh && (qh[l] >> (2 * j + 1)) & 1 ? 16 : 0);
              }
          for (int s = 0; s < 8; s++)
            {
              guint8 sc, m;
              int isum = 0;

              sc_get_scale_min_k4 (s, scales, &sc, &m);
              for (int l = 0; l < 32; l++)
                isum += q[32 * s + l] * xq[b].qs[32 * s + l];
              sumi += sc * isum;
              summ += m * (xq[b].bsums[2 * s] + xq[b].bsums[2 * s + 1]);
            }
          d = sc_fp16_to_fp32 (q5 ? ((const ScBlockQ5_K *) row)[b].d
                                  : ((const ScBlockQ4_K *) row)[b].d);
          dmin = sc_fp16_to_fp32 (q5 ? ((const ScBlockQ5_K *) row)[b].dmin
                                     : ((const ScBlockQ4_K *) row)[b].dmin);
        }
      sum += xq[b].d * d * (float) sumi;
      if (summ != 0)
        sum -= xq[b].d * dmin * (float) summ;
    }
  return sum;
}

float
sc_ref_vec_dot_q8act (ScTensorType  wtype,
                      const void   *row,
                      const void   *xq,
                      gint64        K)
{
  switch (sc_ref_act_format (wtype))
    {
    case SC_REF_ACT_Q8:
      return vec_dot_q32 (wtype, row, xq, K / 32);
    case SC_REF_ACT_Q8K:
      return vec_dot_qk (wtype, row, xq, K / SC_QK_K);
    case SC_REF_ACT_F16:
    case SC_REF_ACT_BF16:
      {
        const guint16 *w = row, *h = xq;
        double sum = 0.0;

        for (gint64 i = 0; i < K; i++)
          sum += wtype == SC_TENSOR_TYPE_F16
                   ? (double) sc_fp16_to_fp32 (w[i]) * sc_fp16_to_fp32 (h[i])
                   : (double) sc_bf16_to_fp32 (w[i]) * sc_bf16_to_fp32 (h[i]);
        return (float) sum;
      }
    case SC_REF_ACT_F32:
    default:
      return sc_vec_dot_row (wtype, row, xq, K);
    }
}

/* ================================================================================================
 * Ops
 * ============================================================================================== */

void
sc_ref_get_rows (ScTensorType  type,
                 const void   *table,
                 gint64        E,
                 const gint32 *ids,
                 gint64        n,
                 float        *dst)
{
  gsize row_size = 0;

  g_return_if_fail (sc_tensor_row_size (type, E, &row_size, NULL));

  for (gint64 i = 0; i < n; i++)
    sc_dequantize_row (type, (const guint8 *) table + (gsize) ids[i] * row_size, dst + i * E, E);
}

void
sc_ref_matmul (ScTensorType  wtype,
               const void   *w,
               const float  *x,
               float        *dst,
               gint64        K,
               gint64        M,
               gint64        N)
{
  gsize row_size = 0;

  g_return_if_fail (sc_tensor_row_size (wtype, K, &row_size, NULL));

  for (gint64 n = 0; n < N; n++)
    for (gint64 m = 0; m < M; m++)
      dst[n * M + m] = sc_vec_dot_row (wtype, (const guint8 *) w + m * row_size, x + n * K, K);
}

void
sc_ref_matmul_q8act (ScTensorType  wtype,
                     const void   *w,
                     const float  *x,
                     float        *dst,
                     gint64        K,
                     gint64        M,
                     gint64        N)
{
  const ScRefActFormat format = sc_ref_act_format (wtype);
  const gsize act_size = sc_ref_act_row_size (format, K);
  g_autofree guint8 *xq = NULL;
  gsize row_size = 0;

  g_return_if_fail (sc_tensor_row_size (wtype, K, &row_size, NULL));

  if (format == SC_REF_ACT_F32)
    {
      sc_ref_matmul (wtype, w, x, dst, K, M, N);
      return;
    }
  xq = g_malloc (act_size);
  for (gint64 n = 0; n < N; n++)
    {
      sc_ref_convert_act (format, x + n * K, xq, K);
      for (gint64 m = 0; m < M; m++)
        dst[n * M + m] = sc_ref_vec_dot_q8act (wtype, (const guint8 *) w + m * row_size, xq, K);
    }
}

void
sc_ref_add (const float *a,
            const float *b,
            gint64       b_stride,
            float       *dst,
            gint64       ne0,
            gint64       n_rows)
{
  for (gint64 r = 0; r < n_rows; r++)
    for (gint64 i = 0; i < ne0; i++)
      dst[r * ne0 + i] = a[r * ne0 + i] + b[r * b_stride + i];
}

void
sc_ref_mul (const float *a,
            const float *b,
            gint64       b_stride,
            float       *dst,
            gint64       ne0,
            gint64       n_rows)
{
  for (gint64 r = 0; r < n_rows; r++)
    for (gint64 i = 0; i < ne0; i++)
      dst[r * ne0 + i] = a[r * ne0 + i] * b[r * b_stride + i];
}

void
sc_ref_scale (const float *a,
              float        s,
              float       *dst,
              gint64       n)
{
  for (gint64 i = 0; i < n; i++)
    dst[i] = a[i] * s;
}

void
sc_ref_rms_norm (const float *a,
                 const float *w,
                 gint64       w_stride,
                 float        eps,
                 float       *dst,
                 gint64       ne0,
                 gint64       n_rows)
{
  for (gint64 r = 0; r < n_rows; r++)
    {
      const float *x = a + r * ne0;
      double sum = 0.0;
      double inv;

      for (gint64 i = 0; i < ne0; i++)
        sum += (double) x[i] * x[i];
      inv = 1.0 / sqrt (sum / ne0 + eps);
      for (gint64 i = 0; i < ne0; i++)
        dst[r * ne0 + i] = (float) (x[i] * inv * (w ? w[r * w_stride + i] : 1.0));
    }
}

void
sc_ref_layer_norm (const float *a,
                   const float *w,
                   gint64       w_stride,
                   const float *b,
                   gint64       b_stride,
                   float        eps,
                   float       *dst,
                   gint64       ne0,
                   gint64       n_rows)
{
  for (gint64 r = 0; r < n_rows; r++)
    {
      const float *x = a + r * ne0;
      double mean = 0.0, var = 0.0, inv;

      for (gint64 i = 0; i < ne0; i++)
        mean += x[i];
      mean /= ne0;
      for (gint64 i = 0; i < ne0; i++)
        var += (x[i] - mean) * (x[i] - mean);
      var /= ne0;
      inv = 1.0 / sqrt (var + eps);
      for (gint64 i = 0; i < ne0; i++)
        {
          double y = (x[i] - mean) * inv;

          if (w != NULL)
            y *= w[r * w_stride + i];
          if (b != NULL)
            y += b[r * b_stride + i];
          dst[r * ne0 + i] = (float) y;
        }
    }
}

void
sc_ref_rope (const float  *a,
             const gint32 *pos,
             float        *dst,
             gint64        D,
             gint64        H,
             gint64        T,
             int           n_rot,
             ScRopeMode    mode,
             float         freq_base,
             float         freq_scale)
{
  for (gint64 t = 0; t < T; t++)
    for (gint64 h = 0; h < H; h++)
      {
        const float *x = a + (t * H + h) * D;
        float *y = dst + (t * H + h) * D;

        memmove (y, x, D * sizeof (float));
        for (int j = 0; j < n_rot / 2; j++)
          {
            const double theta = (double) pos[t] * freq_scale *
                                 pow (freq_base, -2.0 * j / n_rot);
            const double c = cos (theta), s = sin (theta);
            const int i0 = mode == SC_ROPE_NEOX ? j : 2 * j;
            const int i1 = mode == SC_ROPE_NEOX ? j + n_rot / 2 : 2 * j + 1;
            const double x0 = x[i0], x1 = x[i1];

            y[i0] = (float) (x0 * c - x1 * s);
            y[i1] = (float) (x0 * s + x1 * c);
          }
      }
}

void
sc_ref_softmax (const float *a,
                const float *mask,
                gint64       mask_stride,
                float        scale,
                float       *dst,
                gint64       ne0,
                gint64       n_rows)
{
  g_autofree double *v = g_new (double, ne0);

  for (gint64 r = 0; r < n_rows; r++)
    {
      double max = -INFINITY, sum = 0.0;

      for (gint64 i = 0; i < ne0; i++)
        {
          v[i] = (double) a[r * ne0 + i] * scale + (mask ? mask[r * mask_stride + i] : 0.0);
          max = MAX (max, v[i]);
        }
      for (gint64 i = 0; i < ne0; i++)
        {
          v[i] = max == -INFINITY ? 0.0 : exp (v[i] - max);
          sum += v[i];
        }
      for (gint64 i = 0; i < ne0; i++)
        dst[r * ne0 + i] = sum > 0.0 ? (float) (v[i] / sum) : 0.0f;
    }
}

static double
kv_at (ScTensorType type,
       const void  *cache,
       gint64       index)
{
  if (type == SC_TENSOR_TYPE_F16)
    return sc_fp16_to_fp32 (((const guint16 *) cache)[index]);
  return ((const float *) cache)[index];
}

void
sc_ref_attention (const float  *q,
                  ScTensorType  kv_type,
                  const void   *k,
                  const void   *v,
                  const float  *mask,
                  gint64        mask_stride,
                  float        *dst,
                  gint64        D,
                  gint64        Hq,
                  gint64        Hkv,
                  gint64        T,
                  int           n_kv,
                  gboolean      causal,
                  int           pos0,
                  float         scale)
{
  g_autofree double *p = g_new (double, n_kv);
  g_autofree double *acc = g_new (double, D);
  const gint64 group = Hq / Hkv;
  const gint64 kv_row = D * Hkv;

  for (gint64 t = 0; t < T; t++)
    for (gint64 h = 0; h < Hq; h++)
      {
        const float *qh = q + (t * Hq + h) * D;
        const gint64 kvh = h / group;
        const int visible = causal ? MIN (n_kv, pos0 + (int) t + 1) : n_kv;
        double max = -INFINITY, sum = 0.0;

        for (int j = 0; j < visible; j++)
          {
            double s = 0.0;

            for (gint64 d = 0; d < D; d++)
              s += qh[d] * kv_at (kv_type, k, j * kv_row + kvh * D + d);
            s = s * scale + (mask ? mask[t * mask_stride + j] : 0.0);
            p[j] = s;
            max = MAX (max, s);
          }
        memset (acc, 0, D * sizeof (double));
        for (int j = 0; j < visible && max != -INFINITY; j++)
          {
            const double e = exp (p[j] - max);

            sum += e;
            for (gint64 d = 0; d < D; d++)
              acc[d] += e * kv_at (kv_type, v, j * kv_row + kvh * D + d);
          }
        for (gint64 d = 0; d < D; d++)
          dst[t * Hq * D + h * D + d] = sum > 0.0 ? (float) (acc[d] / sum) : 0.0f;
      }
}

void
sc_ref_silu (const float *a,
             float       *dst,
             gint64       n)
{
  for (gint64 i = 0; i < n; i++)
    dst[i] = (float) (a[i] / (1.0 + exp (-(double) a[i])));
}

void
sc_ref_gelu (const float *a,
             float       *dst,
             gint64       n)
{
  const double c = sqrt (2.0 / G_PI);

  for (gint64 i = 0; i < n; i++)
    {
      const double x = a[i];

      dst[i] = (float) (0.5 * x * (1.0 + tanh (c * (x + 0.044715 * x * x * x))));
    }
}

void
sc_ref_swiglu (const float *a,
               const float *b,
               float       *dst,
               gint64       n)
{
  for (gint64 i = 0; i < n; i++)
    dst[i] = (float) (a[i] / (1.0 + exp (-(double) a[i])) * b[i]);
}

void
sc_ref_copy_rows (const float  *a,
                  gint64        E,
                  gint64        n,
                  ScTensorType  dst_type,
                  void         *dst,
                  gint64        row0)
{
  for (gint64 i = 0; i < n * E; i++)
    {
      if (dst_type == SC_TENSOR_TYPE_F16)
        ((guint16 *) dst)[row0 * E + i] = sc_fp32_to_fp16 (a[i]);
      else
        ((float *) dst)[row0 * E + i] = a[i];
    }
}

/* ================================================================================================
 * Executors
 * ============================================================================================== */

static gint64
row_stride (const ScTensor *b)
{
  return sc_tensor_n_rows (b) == 1 ? 0 : b->ne[0];
}

gboolean
sc_ref_compute_op (const ScOp  *op,
                   GError     **error)
{
  ScTensor *dst, *a, *b, *c, *d;

  g_return_val_if_fail (op != NULL && op->dst != NULL && op->dst->data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  dst = op->dst;
  a = op->src[0];
  b = op->src[1];
  c = op->src[2];
  d = op->src[3];

  switch (op->kind)
    {
    case SC_OP_GET_ROWS:
      {
        const gint64 n = sc_tensor_n_elements (b);
        const gint64 V = sc_tensor_n_rows (a);
        const gint32 *ids = b->data;

        if (!sc_tensor_type_is_supported (a->type))
          {
            g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                         "get_rows: tensor type %s is not supported",
                         sc_tensor_type_name (a->type));
            return FALSE;
          }
        for (gint64 i = 0; i < n; i++)
          if (ids[i] < 0 || ids[i] >= V)
            {
              g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                           "get_rows: row %d of “%s” does not exist (%" G_GINT64_FORMAT " rows)",
                           ids[i], a->name, V);
              return FALSE;
            }
        sc_ref_get_rows (a->type, a->data, a->ne[0], ids, n, dst->data);
        return TRUE;
      }
    case SC_OP_MATMUL:
      if (!sc_tensor_type_is_supported (a->type))
        {
          g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                       "matmul: weight type %s is not supported", sc_tensor_type_name (a->type));
          return FALSE;
        }
      sc_ref_matmul (a->type, a->data, b->data, dst->data, a->ne[0], a->ne[1],
                     sc_tensor_n_rows (b));
      return TRUE;
    case SC_OP_ADD:
      sc_ref_add (a->data, b->data, row_stride (b), dst->data, a->ne[0], sc_tensor_n_rows (a));
      return TRUE;
    case SC_OP_MUL:
      sc_ref_mul (a->data, b->data, row_stride (b), dst->data, a->ne[0], sc_tensor_n_rows (a));
      return TRUE;
    case SC_OP_SCALE:
      sc_ref_scale (a->data, op->f[0], dst->data, sc_tensor_n_elements (a));
      return TRUE;
    case SC_OP_RMS_NORM:
      sc_ref_rms_norm (a->data, b ? b->data : NULL, b ? row_stride (b) : 0, op->f[0], dst->data,
                       a->ne[0], sc_tensor_n_rows (a));
      return TRUE;
    case SC_OP_LAYER_NORM:
      sc_ref_layer_norm (a->data, b ? b->data : NULL, b ? row_stride (b) : 0,
                         c ? c->data : NULL, c ? row_stride (c) : 0, op->f[0], dst->data,
                         a->ne[0], sc_tensor_n_rows (a));
      return TRUE;
    case SC_OP_ROPE:
      sc_ref_rope (a->data, b->data, dst->data, a->ne[0], a->ne[1], a->ne[2], op->i[0],
                   (ScRopeMode) op->i[1], op->f[0], op->f[1]);
      return TRUE;
    case SC_OP_SOFTMAX:
      sc_ref_softmax (a->data, b ? b->data : NULL, b ? row_stride (b) : 0, op->f[0], dst->data,
                      a->ne[0], sc_tensor_n_rows (a));
      return TRUE;
    case SC_OP_ATTENTION:
      sc_ref_attention (a->data, b->type, b->data, c->data, d ? d->data : NULL,
                        d ? d->ne[0] : 0, dst->data, a->ne[0], a->ne[1], b->ne[0] / a->ne[0],
                        a->ne[2], op->i[0], op->i[1], op->i[2], op->f[0]);
      return TRUE;
    case SC_OP_SILU:
      sc_ref_silu (a->data, dst->data, sc_tensor_n_elements (a));
      return TRUE;
    case SC_OP_GELU:
      sc_ref_gelu (a->data, dst->data, sc_tensor_n_elements (a));
      return TRUE;
    case SC_OP_SWIGLU:
      sc_ref_swiglu (a->data, b->data, dst->data, sc_tensor_n_elements (a));
      return TRUE;
    case SC_OP_COPY_ROWS:
      sc_ref_copy_rows (a->data, a->ne[0], sc_tensor_n_rows (a), dst->type, dst->data, op->i[0]);
      return TRUE;
    case SC_OP_N:
    default:
      break;
    }
  g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED, "Unknown op %d", op->kind);
  return FALSE;
}

/* Gives @t (and, first, its root) host storage when it is an intermediate without any. */
static void
bind_host (ScTensor  *t,
           GPtrArray *storage,
           GHashTable *bound)
{
  gsize offset;
  ScTensor *root;

  if (t == NULL || g_hash_table_contains (bound, t))
    return;
  root = sc_tensor_root (t, &offset);
  if (root->kind == SC_TENSOR_INTERMEDIATE && !g_hash_table_contains (bound, root))
    {
      root->data = g_malloc0 (MAX (root->n_bytes, 1));
      g_ptr_array_add (storage, root->data);
      g_hash_table_add (bound, root);
    }
  if (t != root)
    t->data = (guint8 *) root->data + offset;
  g_hash_table_add (bound, t);
}

gboolean
sc_ref_compute_graph (ScGraph    *graph,
                      GPtrArray  *storage,
                      GError    **error)
{
  g_autoptr(GHashTable) bound = g_hash_table_new (NULL, NULL);
  const guint n_ops = sc_graph_get_n_ops (graph);

  g_return_val_if_fail (graph != NULL && storage != NULL, FALSE);

  /* Bind everything first: later ops may read views made before their roots were written. */
  for (guint i = 0; i < n_ops; i++)
    {
      const ScOp *op = sc_graph_get_op (graph, i);

      bind_host (op->dst, storage, bound);
      for (int s = 0; s < SC_MAX_SRC; s++)
        bind_host (op->src[s], storage, bound);
    }
  for (guint i = 0; i < n_ops; i++)
    if (!sc_ref_compute_op (sc_graph_get_op (graph, i), error))
      return FALSE;
  return TRUE;
}
