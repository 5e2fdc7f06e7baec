/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-quant.c: tensor type traits, fp16/bf16 conversion and the scalar reference
 * (de)quantisation of ggml's block formats (see sc-quant.h).
 *
 * The quantisers follow ggml's quantize_row_*_ref step by step, including their search
 * heuristics (make_qx_quants, make_qkx2_quants), so files written by the random-model generator
 * hold what llama.cpp's reference quantiser would have written. They are written for clarity,
 * not speed.
 */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <inttypes.h>

#include <float.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sc-error.h"
#include "sc-quant.h"

/* ================================================================================================
 * Type traits
 * ============================================================================================== */

typedef struct
{
  const char *name;
  gint64      block_size; /* elements per block */
  gsize       type_size;  /* bytes per block */
  gboolean    supported;
} TypeTraits;

/* Indexed by ggml type id; a NULL name marks an id ggml has removed or never had. */
static const TypeTraits type_traits[] = {
  [SC_TENSOR_TYPE_F32] = { "f32", 1, 4, TRUE },
  [SC_TENSOR_TYPE_F16] = { "f16", 1, 2, TRUE },
  [SC_TENSOR_TYPE_Q4_0] = { "q4_0", 32, sizeof (ScBlockQ4_0), TRUE },
  [SC_TENSOR_TYPE_Q4_1] = { "q4_1", 32, sizeof (ScBlockQ4_1), TRUE },
  [SC_TENSOR_TYPE_Q5_0] = { "q5_0", 32, sizeof (ScBlockQ5_0), TRUE },
  [SC_TENSOR_TYPE_Q5_1] = { "q5_1", 32, sizeof (ScBlockQ5_1), TRUE },
  [SC_TENSOR_TYPE_Q8_0] = { "q8_0", 32, sizeof (ScBlockQ8_0), TRUE },
  [SC_TENSOR_TYPE_Q8_1] = { "q8_1", 32, 36, FALSE },
  [SC_TENSOR_TYPE_Q2_K] = { "q2_K", SC_QK_K, 84, FALSE },
  [SC_TENSOR_TYPE_Q3_K] = { "q3_K", SC_QK_K, 110, FALSE },
  [SC_TENSOR_TYPE_Q4_K] = { "q4_K", SC_QK_K, sizeof (ScBlockQ4_K), TRUE },
  [SC_TENSOR_TYPE_Q5_K] = { "q5_K", SC_QK_K, sizeof (ScBlockQ5_K), TRUE },
  [SC_TENSOR_TYPE_Q6_K] = { "q6_K", SC_QK_K, sizeof (ScBlockQ6_K), TRUE },
  [SC_TENSOR_TYPE_Q8_K] = { "q8_K", SC_QK_K, 292, FALSE },
  [SC_TENSOR_TYPE_IQ2_XXS] = { "iq2_xxs", SC_QK_K, 66, FALSE },
  [SC_TENSOR_TYPE_IQ2_XS] = { "iq2_xs", SC_QK_K, 74, FALSE },
  [SC_TENSOR_TYPE_IQ3_XXS] = { "iq3_xxs", SC_QK_K, 98, FALSE },
  [SC_TENSOR_TYPE_IQ1_S] = { "iq1_s", SC_QK_K, 50, FALSE },
  [SC_TENSOR_TYPE_IQ4_NL] = { "iq4_nl", 32, 18, FALSE },
  [SC_TENSOR_TYPE_IQ3_S] = { "iq3_s", SC_QK_K, 110, FALSE },
  [SC_TENSOR_TYPE_IQ2_S] = { "iq2_s", SC_QK_K, 82, FALSE },
  [SC_TENSOR_TYPE_IQ4_XS] = { "iq4_xs", SC_QK_K, 136, FALSE },
  [SC_TENSOR_TYPE_I8] = { "i8", 1, 1, FALSE },
  [SC_TENSOR_TYPE_I16] = { "i16", 1, 2, FALSE },
  [SC_TENSOR_TYPE_I32] = { "i32", 1, 4, FALSE },
  [SC_TENSOR_TYPE_I64] = { "i64", 1, 8, FALSE },
  [SC_TENSOR_TYPE_F64] = { "f64", 1, 8, FALSE },
  [SC_TENSOR_TYPE_IQ1_M] = { "iq1_m", SC_QK_K, 56, FALSE },
  [SC_TENSOR_TYPE_BF16] = { "bf16", 1, 2, TRUE },
  [SC_TENSOR_TYPE_TQ1_0] = { "tq1_0", SC_QK_K, 54, FALSE },
  [SC_TENSOR_TYPE_TQ2_0] = { "tq2_0", SC_QK_K, 66, FALSE },
  [SC_TENSOR_TYPE_MXFP4] = { "mxfp4", 32, 17, FALSE },
};

static const TypeTraits *
get_traits (guint32 type_id)
{
  if (type_id >= G_N_ELEMENTS (type_traits) || type_traits[type_id].name == NULL)
    return NULL;
  return &type_traits[type_id];
}

gboolean
sc_tensor_type_is_known (guint32 type_id)
{
  return get_traits (type_id) != NULL;
}

gboolean
sc_tensor_type_is_supported (ScTensorType type)
{
  const TypeTraits *traits = get_traits (type);

  return traits != NULL && traits->supported;
}

const char *
sc_tensor_type_name (ScTensorType type)
{
  const TypeTraits *traits = get_traits (type);

  return traits != NULL ? traits->name : NULL;
}

gint64
sc_tensor_type_block_size (ScTensorType type)
{
  const TypeTraits *traits = get_traits (type);

  return traits != NULL ? traits->block_size : 0;
}

gsize
sc_tensor_type_type_size (ScTensorType type)
{
  const TypeTraits *traits = get_traits (type);

  return traits != NULL ? traits->type_size : 0;
}

gboolean
sc_tensor_row_size (ScTensorType type,
                    gint64       ne0,
                    gsize       *size,
                    GError     **error)
{
  const TypeTraits *traits = get_traits (type);
  guint64 n_bytes;

  g_return_val_if_fail (size != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (traits == NULL)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   _("Unknown tensor type %u"), (guint) type);
      return FALSE;
    }
  if (ne0 <= 0 || ne0 % traits->block_size != 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("A row of %" PRId64 " elements is not a whole number of %s blocks "
                     "(%" PRId64 " elements each)"),
                   ne0, traits->name, traits->block_size);
      return FALSE;
    }
  if (!g_uint64_checked_mul (&n_bytes, (guint64) (ne0 / traits->block_size), traits->type_size)
      || n_bytes > G_MAXSIZE || n_bytes > G_MAXINT64)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("A %s row of %" PRId64 " elements is too large"),
                   traits->name, ne0);
      return FALSE;
    }
  *size = (gsize) n_bytes;
  return TRUE;
}

/* ================================================================================================
 * fp16 and bf16
 * ============================================================================================== */

static inline guint32
float_bits (float f)
{
  guint32 u;

  memcpy (&u, &f, sizeof u);
  return u;
}

static inline float
bits_float (guint32 u)
{
  float f;

  memcpy (&f, &u, sizeof f);
  return f;
}

float
sc_fp16_to_fp32 (guint16 h)
{
  guint32 sign = (guint32) (h & 0x8000) << 16;
  guint32 exponent = (h >> 10) & 0x1f;
  guint32 mantissa = h & 0x3ff;

  if (exponent == 0)
    {
      if (mantissa == 0)
        return bits_float (sign);
      /* Subnormal: shift the mantissa up until its leading one becomes the implicit bit. */
      exponent = 1;
      while ((mantissa & 0x400) == 0)
        {
          mantissa <<= 1;
          exponent--;
        }
      mantissa &= 0x3ff;
      return bits_float (sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
  if (exponent == 31)
    {
      /* Infinity, or a NaN made quiet with its payload kept, as F16C's vcvtph2ps does. */
      guint32 quiet = mantissa != 0 ? 0x400000 : 0;
      return bits_float (sign | 0x7f800000 | quiet | (mantissa << 13));
    }
  return bits_float (sign | ((exponent + 112) << 23) | (mantissa << 13));
}

guint16
sc_fp32_to_fp16 (float f)
{
  guint32 u = float_bits (f);
  guint32 sign = (u >> 16) & 0x8000;
  guint32 a = u & 0x7fffffff;
  guint32 result;
  guint32 rest;
  guint32 half;

  if (a > 0x7f800000)
    return sign | 0x7e00 | ((a >> 13) & 0x3ff);
  /* 65520 (0x477ff000) lies halfway between the largest half, 65504 (odd mantissa), and
   * 65536: ties to even round it, and everything above, to infinity. */
  if (a >= 0x477ff000)
    return sign | 0x7c00;
  if (a < 0x38800000)
    {
      /* Below 2^-14 the result is subnormal, in units of 2^-24. 2^-25 and less rounds to 0 (the
       * exact tie 2^-25 goes to the even 0). */
      guint32 exponent = a >> 23;
      guint32 mantissa = (a & 0x7fffff) | 0x800000;
      guint32 shift;

      if (a <= 0x33000000)
        return sign;
      shift = 126 - exponent; /* 14..24 */
      result = mantissa >> shift;
      rest = mantissa & ((1u << shift) - 1);
      half = 1u << (shift - 1);
    }
  else
    {
      /* Rebias the exponent (127 → 15) and drop 13 mantissa bits. A carry out of the mantissa
       * correctly bumps the exponent. */
      result = (a - 0x38000000) >> 13;
      rest = a & 0x1fff;
      half = 0x1000;
    }
  if (rest > half || (rest == half && (result & 1) != 0))
    result++;
  return sign | result;
}

float
sc_bf16_to_fp32 (guint16 h)
{
  return bits_float ((guint32) h << 16);
}

guint16
sc_fp32_to_bf16 (float f)
{
  guint32 u = float_bits (f);

  /* NaN: truncate and force the quiet bit, so the payload cannot round into infinity. */
  if ((u & 0x7fffffff) > 0x7f800000)
    return (guint16) ((u >> 16) | 0x40);
  return (guint16) ((u + 0x7fff + ((u >> 16) & 1)) >> 16);
}

void
sc_fp16_to_fp32_row (const guint16 *src,
                     float         *dst,
                     gint64         n)
{
  g_return_if_fail (n == 0 || (src != NULL && dst != NULL));

  for (gint64 i = 0; i < n; i++)
    dst[i] = sc_fp16_to_fp32 (src[i]);
}

void
sc_fp32_to_fp16_row (const float *src,
                     guint16     *dst,
                     gint64       n)
{
  g_return_if_fail (n == 0 || (src != NULL && dst != NULL));

  for (gint64 i = 0; i < n; i++)
    dst[i] = sc_fp32_to_fp16 (src[i]);
}

#define FP16(x) sc_fp16_to_fp32 (x)

/* ================================================================================================
 * Dequantisation (ggml's dequantize_row_*)
 * ============================================================================================== */

void
sc_get_scale_min_k4 (int           j,
                     const guint8 *q,
                     guint8       *sc,
                     guint8       *m)
{
  /* Sub-blocks 0..3 keep their 6 bits in the low bits of bytes 0..3 (scale) and 4..7 (min);
   * 4..7 keep 4 low bits in bytes 8..11 and their top 2 bits in the spare top bits of 0..7. */
  if (j < 4)
    {
      *sc = q[j] & 63;
      *m = q[j + 4] & 63;
    }
  else
    {
      *sc = (q[j + 4] & 0xf) | ((q[j - 4] >> 6) << 4);
      *m = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
    }
}

static guint32
read_le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static void
dequantize_q4_0 (const ScBlockQ4_0 *x,
                 float             *y,
                 gint64             nb)
{
  for (gint64 i = 0; i < nb; i++, y += 32)
    {
      const float d = FP16 (x[i].d);

      for (int j = 0; j < 16; j++)
        {
          const int x0 = (x[i].qs[j] & 0x0f) - 8;
          const int x1 = (x[i].qs[j] >> 4) - 8;

          y[j] = x0 * d;
          y[j + 16] = x1 * d;
        }
    }
}

static void
dequantize_q4_1 (const ScBlockQ4_1 *x,
                 float             *y,
                 gint64             nb)
{
  for (gint64 i = 0; i < nb; i++, y += 32)
    {
      const float d = FP16 (x[i].d);
      const float m = FP16 (x[i].m);

      for (int j = 0; j < 16; j++)
        {
          const int x0 = x[i].qs[j] & 0x0f;
          const int x1 = x[i].qs[j] >> 4;

          y[j] = x0 * d + m;
          y[j + 16] = x1 * d + m;
        }
    }
}

static void
dequantize_q5_0 (const ScBlockQ5_0 *x,
                 float             *y,
                 gint64             nb)
{
  for (gint64 i = 0; i < nb; i++, y += 32)
    {
      const float d = FP16 (x[i].d);
      const guint32 qh = read_le32 (x[i].qh);

      for (int j = 0; j < 16; j++)
        {
          const guint8 xh0 = ((qh >> j) << 4) & 0x10;
          const guint8 xh1 = (qh >> (j + 12)) & 0x10;
          const gint32 x0 = ((x[i].qs[j] & 0x0f) | xh0) - 16;
          const gint32 x1 = ((x[i].qs[j] >> 4) | xh1) - 16;

          y[j] = x0 * d;
          y[j + 16] = x1 * d;
        }
    }
}

static void
dequantize_q5_1 (const ScBlockQ5_1 *x,
                 float             *y,
                 gint64             nb)
{
  for (gint64 i = 0; i < nb; i++, y += 32)
    {
      const float d = FP16 (x[i].d);
      const float m = FP16 (x[i].m);
      const guint32 qh = read_le32 (x[i].qh);

      for (int j = 0; j < 16; j++)
        {
          const guint8 xh0 = ((qh >> j) << 4) & 0x10;
          const guint8 xh1 = (qh >> (j + 12)) & 0x10;
          const int x0 = (x[i].qs[j] & 0x0f) | xh0;
          const int x1 = (x[i].qs[j] >> 4) | xh1;

          y[j] = x0 * d + m;
          y[j + 16] = x1 * d + m;
        }
    }
}

static void
dequantize_q8_0 (const ScBlockQ8_0 *x,
                 float             *y,
                 gint64             nb)
{
  for (gint64 i = 0; i < nb; i++, y += 32)
    {
      const float d = FP16 (x[i].d);

      for (int j = 0; j < 32; j++)
        y[j] = x[i].qs[j] * d;
    }
}

static void
dequantize_q4_k (const ScBlockQ4_K *x,
                 float             *y,
                 gint64             nb)
{
  for (gint64 i = 0; i < nb; i++)
    {
      const guint8 *q = x[i].qs;
      const float d = FP16 (x[i].d);
      const float min = FP16 (x[i].dmin);

      for (int j = 0, is = 0; j < SC_QK_K; j += 64, is += 2, q += 32)
        {
          guint8 sc, m;
          float d1, m1, d2, m2;

          sc_get_scale_min_k4 (is, x[i].scales, &sc, &m);
          d1 = d * sc;
          m1 = min * m;
          sc_get_scale_min_k4 (is + 1, x[i].scales, &sc, &m);
          d2 = d * sc;
          m2 = min * m;
          for (int l = 0; l < 32; l++)
            *y++ = d1 * (q[l] & 0xf) - m1;
          for (int l = 0; l < 32; l++)
            *y++ = d2 * (q[l] >> 4) - m2;
        }
    }
}

static void
dequantize_q5_k (const ScBlockQ5_K *x,
                 float             *y,
                 gint64             nb)
{
  for (gint64 i = 0; i < nb; i++)
    {
      const guint8 *ql = x[i].qs;
      const guint8 *qh = x[i].qh;
      const float d = FP16 (x[i].d);
      const float min = FP16 (x[i].dmin);
      guint8 u1 = 1, u2 = 2;

      for (int j = 0, is = 0; j < SC_QK_K; j += 64, is += 2, ql += 32)
        {
          guint8 sc, m;
          float d1, m1, d2, m2;

          sc_get_scale_min_k4 (is, x[i].scales, &sc, &m);
          d1 = d * sc;
          m1 = min * m;
          sc_get_scale_min_k4 (is + 1, x[i].scales, &sc, &m);
          d2 = d * sc;
          m2 = min * m;
          for (int l = 0; l < 32; l++)
            *y++ = d1 * ((ql[l] & 0xf) + ((qh[l] & u1) ? 16 : 0)) - m1;
          for (int l = 0; l < 32; l++)
            *y++ = d2 * ((ql[l] >> 4) + ((qh[l] & u2) ? 16 : 0)) - m2;
          u1 <<= 2;
          u2 <<= 2;
        }
    }
}

static void
dequantize_q6_k (const ScBlockQ6_K *x,
                 float             *y,
                 gint64             nb)
{
  for (gint64 i = 0; i < nb; i++)
    {
      const float d = FP16 (x[i].d);
      const guint8 *ql = x[i].ql;
      const guint8 *qh = x[i].qh;
      const gint8 *sc = x[i].scales;

      for (int n = 0; n < SC_QK_K; n += 128, y += 128, ql += 64, qh += 32, sc += 8)
        {
          for (int l = 0; l < 32; l++)
            {
              const int is = l / 16;
              const gint8 q1 = (gint8) ((ql[l] & 0xf) | (((qh[l] >> 0) & 3) << 4)) - 32;
              const gint8 q2 = (gint8) ((ql[l + 32] & 0xf) | (((qh[l] >> 2) & 3) << 4)) - 32;
              const gint8 q3 = (gint8) ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
              const gint8 q4 = (gint8) ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;

              y[l] = d * sc[is] * q1;
              y[l + 32] = d * sc[is + 2] * q2;
              y[l + 64] = d * sc[is + 4] * q3;
              y[l + 96] = d * sc[is + 6] * q4;
            }
        }
    }
}

static gboolean
check_row_args (ScTensorType type,
                gint64       n)
{
  if (!sc_tensor_type_is_supported (type))
    return FALSE;
  return n >= 0 && n % sc_tensor_type_block_size (type) == 0;
}

void
sc_dequantize_row (ScTensorType  type,
                   const void   *src,
                   float        *dst,
                   gint64        n)
{
  g_return_if_fail (check_row_args (type, n));
  g_return_if_fail (n == 0 || (src != NULL && dst != NULL));

  switch (type)
    {
    case SC_TENSOR_TYPE_F32:
      memcpy (dst, src, (gsize) n * sizeof (float));
      break;
    case SC_TENSOR_TYPE_F16:
      sc_fp16_to_fp32_row (src, dst, n);
      break;
    case SC_TENSOR_TYPE_BF16:
      for (gint64 i = 0; i < n; i++)
        dst[i] = sc_bf16_to_fp32 (((const guint16 *) src)[i]);
      break;
    case SC_TENSOR_TYPE_Q4_0:
      dequantize_q4_0 (src, dst, n / 32);
      break;
    case SC_TENSOR_TYPE_Q4_1:
      dequantize_q4_1 (src, dst, n / 32);
      break;
    case SC_TENSOR_TYPE_Q5_0:
      dequantize_q5_0 (src, dst, n / 32);
      break;
    case SC_TENSOR_TYPE_Q5_1:
      dequantize_q5_1 (src, dst, n / 32);
      break;
    case SC_TENSOR_TYPE_Q8_0:
      dequantize_q8_0 (src, dst, n / 32);
      break;
    case SC_TENSOR_TYPE_Q4_K:
      dequantize_q4_k (src, dst, n / SC_QK_K);
      break;
    case SC_TENSOR_TYPE_Q5_K:
      dequantize_q5_k (src, dst, n / SC_QK_K);
      break;
    case SC_TENSOR_TYPE_Q6_K:
      dequantize_q6_k (src, dst, n / SC_QK_K);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* ================================================================================================
 * Reference quantisation (ggml's quantize_row_*_ref)
 * ============================================================================================== */

/* ggml's GROUP_MAX_EPS: groups whose largest magnitude is below this quantise to zero. */
#define GROUP_MAX_EPS 1e-15f

/* Round to nearest (ties to even) by adding 1.5 * 2^23, which leaves the integer in the low
 * mantissa bits. Only valid for |fval| <= 4194303; outside that it yields some wrong integer
 * (never undefined behaviour), which the callers' clamps then bound. */
static inline int
nearest_int (float fval)
{
  float val = fval + 12582912.f;
  int i;

  memcpy (&i, &val, sizeof i);
  return (i & 0x007fffff) - 0x00400000;
}

static void
quantize_q4_0 (const float *x,
               ScBlockQ4_0 *y,
               gint64       nb)
{
  for (gint64 i = 0; i < nb; i++, x += 32)
    {
      float amax = 0.0f;
      float max = 0.0f;
      float d, id;

      /* The signed value of largest magnitude maps to -8, the one level without a mirror. */
      for (int j = 0; j < 32; j++)
        {
          if (amax < fabsf (x[j]))
            {
              amax = fabsf (x[j]);
              max = x[j];
            }
        }
      d = max / -8;
      id = d != 0.0f ? 1.0f / d : 0.0f;
      y[i].d = sc_fp32_to_fp16 (d);
      for (int j = 0; j < 16; j++)
        {
          const guint8 xi0 = MIN (15, (gint8) (x[j] * id + 8.5f));
          const guint8 xi1 = MIN (15, (gint8) (x[j + 16] * id + 8.5f));

          y[i].qs[j] = xi0 | (guint8) (xi1 << 4);
        }
    }
}

static void
quantize_q4_1 (const float *x,
               ScBlockQ4_1 *y,
               gint64       nb)
{
  for (gint64 i = 0; i < nb; i++, x += 32)
    {
      float min = FLT_MAX;
      float max = -FLT_MAX;
      float d, id;

      for (int j = 0; j < 32; j++)
        {
          if (x[j] < min)
            min = x[j];
          if (x[j] > max)
            max = x[j];
        }
      d = (max - min) / 15;
      id = d != 0.0f ? 1.0f / d : 0.0f;
      y[i].d = sc_fp32_to_fp16 (d);
      y[i].m = sc_fp32_to_fp16 (min);
      for (int j = 0; j < 16; j++)
        {
          const guint8 xi0 = MIN (15, (gint8) ((x[j] - min) * id + 0.5f));
          const guint8 xi1 = MIN (15, (gint8) ((x[j + 16] - min) * id + 0.5f));

          y[i].qs[j] = xi0 | (guint8) (xi1 << 4);
        }
    }
}

static void
quantize_q5_0 (const float *x,
               ScBlockQ5_0 *y,
               gint64       nb)
{
  for (gint64 i = 0; i < nb; i++, x += 32)
    {
      float amax = 0.0f;
      float max = 0.0f;
      float d, id;
      guint32 qh = 0;

      for (int j = 0; j < 32; j++)
        {
          if (amax < fabsf (x[j]))
            {
              amax = fabsf (x[j]);
              max = x[j];
            }
        }
      d = max / -16;
      id = d != 0.0f ? 1.0f / d : 0.0f;
      y[i].d = sc_fp32_to_fp16 (d);
      for (int j = 0; j < 16; j++)
        {
          const guint8 xi0 = MIN (31, (gint8) (x[j] * id + 16.5f));
          const guint8 xi1 = MIN (31, (gint8) (x[j + 16] * id + 16.5f));

          y[i].qs[j] = (xi0 & 0x0f) | (guint8) ((xi1 & 0x0f) << 4);
          qh |= ((xi0 & 0x10u) >> 4) << j;
          qh |= ((xi1 & 0x10u) >> 4) << (j + 16);
        }
      for (int b = 0; b < 4; b++)
        y[i].qh[b] = (guint8) (qh >> (8 * b));
    }
}

static void
quantize_q5_1 (const float *x,
               ScBlockQ5_1 *y,
               gint64       nb)
{
  for (gint64 i = 0; i < nb; i++, x += 32)
    {
      float min = FLT_MAX;
      float max = -FLT_MAX;
      float d, id;
      guint32 qh = 0;

      for (int j = 0; j < 32; j++)
        {
          if (x[j] < min)
            min = x[j];
          if (x[j] > max)
            max = x[j];
        }
      d = (max - min) / 31;
      id = d != 0.0f ? 1.0f / d : 0.0f;
      y[i].d = sc_fp32_to_fp16 (d);
      y[i].m = sc_fp32_to_fp16 (min);
      for (int j = 0; j < 16; j++)
        {
          const guint8 xi0 = (guint8) ((x[j] - min) * id + 0.5f);
          const guint8 xi1 = (guint8) ((x[j + 16] - min) * id + 0.5f);

          y[i].qs[j] = (xi0 & 0x0f) | (guint8) ((xi1 & 0x0f) << 4);
          qh |= ((xi0 & 0x10u) >> 4) << j;
          qh |= ((xi1 & 0x10u) >> 4) << (j + 16);
        }
      for (int b = 0; b < 4; b++)
        y[i].qh[b] = (guint8) (qh >> (8 * b));
    }
}

static void
quantize_q8_0 (const float *x,
               ScBlockQ8_0 *y,
               gint64       nb)
{
  for (gint64 i = 0; i < nb; i++, x += 32)
    {
      float amax = 0.0f;
      float d, id;

      for (int j = 0; j < 32; j++)
        amax = MAX (amax, fabsf (x[j]));
      d = amax / 127;
      id = d != 0.0f ? 1.0f / d : 0.0f;
      y[i].d = sc_fp32_to_fp16 (d);
      for (int j = 0; j < 32; j++)
        y[i].qs[j] = (gint8) roundf (x[j] * id);
    }
}

/* ggml's make_qx_quants(): symmetric quantisation of @n values to levels -nmax..nmax-1 (stored
 * in @L offset by nmax). With rmse_type 1 and no weights (the only use here: Q6_K) it weighs
 * errors by x², and tries 18 scales around nmax/max for the one with the least weighted error.
 * Returns the scale. */
static float
make_qx_quants (int          n,
                int          nmax,
                const float *x,
                gint8       *L,
                int          rmse_type,
                const float *qw)
{
  float max = 0;
  float amax = 0;
  float iscale, scale, best;
  float sumlx = 0;
  float suml2 = 0;
  gboolean return_early = FALSE;

  for (int i = 0; i < n; i++)
    {
      float ax = fabsf (x[i]);
      if (ax > amax)
        {
          amax = ax;
          max = x[i];
        }
    }
  if (amax < GROUP_MAX_EPS)
    {
      for (int i = 0; i < n; i++)
        L[i] = 0;
      return 0.f;
    }
  iscale = -nmax / max;
  if (rmse_type == 0)
    {
      for (int i = 0; i < n; i++)
        {
          int l = nearest_int (iscale * x[i]);
          L[i] = (gint8) (nmax + MAX (-nmax, MIN (nmax - 1, l)));
        }
      return 1 / iscale;
    }
  if (rmse_type < 0)
    {
      rmse_type = -rmse_type;
      return_early = TRUE;
    }
#define QX_WEIGHT(i)                                                                   \
  (qw != NULL ? qw[i]                                                                  \
   : rmse_type == 1 ? x[i] * x[i]                                                      \
   : rmse_type == 2 ? 1                                                                \
   : rmse_type == 3 ? fabsf (x[i])                                                     \
                    : sqrtf (fabsf (x[i])))
  for (int i = 0; i < n; i++)
    {
      int l = nearest_int (iscale * x[i]);
      float w;

      l = MAX (-nmax, MIN (nmax - 1, l));
      L[i] = (gint8) (l + nmax);
      w = QX_WEIGHT (i);
      sumlx += w * x[i] * l;
      suml2 += w * l * l;
    }
  scale = suml2 != 0 ? sumlx / suml2 : 0.0f;
  if (return_early)
    return suml2 > 0 ? 0.5f * (scale + 1 / iscale) : 1 / iscale;
  best = scale * sumlx;
  for (int is = -9; is <= 9; is++)
    {
      if (is == 0)
        continue;
      iscale = -(nmax + 0.1f * is) / max;
      sumlx = suml2 = 0;
      for (int i = 0; i < n; i++)
        {
          int l = nearest_int (iscale * x[i]);
          float w;

          l = MAX (-nmax, MIN (nmax - 1, l));
          w = QX_WEIGHT (i);
          sumlx += w * x[i] * l;
          suml2 += w * l * l;
        }
      if (suml2 > 0 && sumlx * sumlx > best * suml2)
        {
          for (int i = 0; i < n; i++)
            {
              int l = nearest_int (iscale * x[i]);
              L[i] = (gint8) (nmax + MAX (-nmax, MIN (nmax - 1, l)));
            }
          scale = sumlx / suml2;
          best = scale * sumlx;
        }
    }
#undef QX_WEIGHT
  return scale;
}

/* ggml's make_qkx2_quants(): asymmetric quantisation x ≈ scale * L - the_min with L in
 * 0..nmax. Starts from the min/max fit, then tries nstep + 1 scales (rmin + rdelta * is + nmax)
 * / (max - min), solving the weighted least-squares scale and offset for each rounding and
 * keeping the best. Returns the scale; *the_min is the (non-negative) offset. */
static float
make_qkx2_quants (int          n,
                  int          nmax,
                  const float *x,
                  const float *weights,
                  guint8      *L,
                  float       *the_min,
                  guint8      *Laux,
                  float        rmin,
                  float        rdelta,
                  int          nstep,
                  gboolean     use_mad)
{
  float min = x[0];
  float max = x[0];
  float sum_w = weights[0];
  float sum_x = sum_w * x[0];
  float iscale, scale;
  float best_error = 0;

  for (int i = 1; i < n; i++)
    {
      if (x[i] < min)
        min = x[i];
      if (x[i] > max)
        max = x[i];
      sum_w += weights[i];
      sum_x += weights[i] * x[i];
    }
  if (min > 0)
    min = 0;
  if (max == min)
    {
      for (int i = 0; i < n; i++)
        L[i] = 0;
      *the_min = -min;
      return 0.f;
    }
  iscale = nmax / (max - min);
  scale = 1 / iscale;
  for (int i = 0; i < n; i++)
    {
      int l = nearest_int (iscale * (x[i] - min));
      float diff;

      L[i] = (guint8) MAX (0, MIN (nmax, l));
      diff = scale * L[i] + min - x[i];
      diff = use_mad ? fabsf (diff) : diff * diff;
      best_error += weights[i] * diff;
    }
  if (nstep < 1)
    {
      *the_min = -min;
      return scale;
    }
  for (int is = 0; is <= nstep; is++)
    {
      float sum_l = 0, sum_l2 = 0, sum_xl = 0;
      float D;

      iscale = (rmin + rdelta * is + nmax) / (max - min);
      for (int i = 0; i < n; i++)
        {
          int l = nearest_int (iscale * (x[i] - min));
          float w = weights[i];

          l = MAX (0, MIN (nmax, l));
          Laux[i] = (guint8) l;
          sum_l += w * l;
          sum_l2 += w * l * l;
          sum_xl += w * l * x[i];
        }
      D = sum_w * sum_l2 - sum_l * sum_l;
      if (D > 0)
        {
          float this_scale = (sum_w * sum_xl - sum_x * sum_l) / D;
          float this_min = (sum_l2 * sum_x - sum_l * sum_xl) / D;
          float cur_error = 0;

          if (this_min > 0)
            {
              this_min = 0;
              this_scale = sum_xl / sum_l2;
            }
          for (int i = 0; i < n; i++)
            {
              float diff = this_scale * Laux[i] + this_min - x[i];
              diff = use_mad ? fabsf (diff) : diff * diff;
              cur_error += weights[i] * diff;
            }
          if (cur_error < best_error)
            {
              for (int i = 0; i < n; i++)
                L[i] = Laux[i];
              best_error = cur_error;
              scale = this_scale;
              min = this_min;
            }
        }
    }
  *the_min = -min;
  return scale;
}

/* Shared by Q4_K and Q5_K, which differ only in nmax (15 / 31), the search parameters and how
 * the quants are packed. Fills @L (256 levels), the 12 scale bytes, d and dmin. */
static void
quantize_k_scales (const float *x,
                   int          nmax,
                   float        rmin,
                   float        rdelta,
                   int          nstep,
                   guint8      *L,
                   guint8      *scales,
                   guint16     *d_out,
                   guint16     *dmin_out)
{
  guint8 Laux[32];
  float weights[32];
  float mins[SC_QK_K / 32];
  float sub_scales[SC_QK_K / 32];
  float max_scale = 0; /* the min is subtracted, so the scales are positive */
  float max_min = 0;
  float inv_scale, inv_min;
  float d, dmin;

  for (int j = 0; j < SC_QK_K / 32; j++)
    {
      float sum_x2 = 0;
      float av_x;

      for (int l = 0; l < 32; l++)
        sum_x2 += x[32 * j + l] * x[32 * j + l];
      av_x = sqrtf (sum_x2 / 32);
      for (int l = 0; l < 32; l++)
        weights[l] = av_x + fabsf (x[32 * j + l]);
      sub_scales[j] = make_qkx2_quants (32, nmax, x + 32 * j, weights, L + 32 * j, &mins[j],
                                        Laux, rmin, rdelta, nstep, FALSE);
      if (sub_scales[j] > max_scale)
        max_scale = sub_scales[j];
      if (mins[j] > max_min)
        max_min = mins[j];
    }

  inv_scale = max_scale > 0 ? 63.f / max_scale : 0.f;
  inv_min = max_min > 0 ? 63.f / max_min : 0.f;
  memset (scales, 0, 12);
  for (int j = 0; j < SC_QK_K / 32; j++)
    {
      guint8 ls = (guint8) nearest_int (inv_scale * sub_scales[j]);
      guint8 lm = (guint8) nearest_int (inv_min * mins[j]);

      ls = MIN (63, ls);
      lm = MIN (63, lm);
      if (j < 4)
        {
          scales[j] = ls;
          scales[j + 4] = lm;
        }
      else
        {
          scales[j + 4] = (ls & 0xf) | (guint8) ((lm & 0xf) << 4);
          scales[j - 4] |= (guint8) ((ls >> 4) << 6);
          scales[j] |= (guint8) ((lm >> 4) << 6);
        }
    }
  *d_out = sc_fp32_to_fp16 (max_scale / 63.f);
  *dmin_out = sc_fp32_to_fp16 (max_min / 63.f);

  /* Requantise against the scales as stored (6-bit, fp16), not the ideal ones. */
  d = FP16 (*d_out);
  dmin = FP16 (*dmin_out);
  for (int j = 0; j < SC_QK_K / 32; j++)
    {
      guint8 sc, m;
      float dl, dm;

      sc_get_scale_min_k4 (j, scales, &sc, &m);
      dl = d * sc;
      if (dl == 0.0f)
        continue;
      dm = dmin * m;
      for (int ii = 0; ii < 32; ii++)
        {
          int l = nearest_int ((x[32 * j + ii] + dm) / dl);
          L[32 * j + ii] = (guint8) MAX (0, MIN (nmax, l));
        }
    }
}

static void
quantize_q4_k (const float *x,
               ScBlockQ4_K *y,
               gint64       nb)
{
  for (gint64 i = 0; i < nb; i++, x += SC_QK_K)
    {
      guint8 L[SC_QK_K];
      guint8 *q = y[i].qs;

      quantize_k_scales (x, 15, -1.f, 0.1f, 20, L, y[i].scales, &y[i].d, &y[i].dmin);
      for (int j = 0; j < SC_QK_K; j += 64, q += 32)
        for (int l = 0; l < 32; l++)
          q[l] = L[j + l] | (guint8) (L[j + l + 32] << 4);
    }
}

static void
quantize_q5_k (const float *x,
               ScBlockQ5_K *y,
               gint64       nb)
{
  for (gint64 i = 0; i < nb; i++, x += SC_QK_K)
    {
      guint8 L[SC_QK_K];
      guint8 *qh = y[i].qh;
      guint8 *ql = y[i].qs;
      guint8 m1 = 1, m2 = 2;

      quantize_k_scales (x, 31, -0.5f, 0.1f, 15, L, y[i].scales, &y[i].d, &y[i].dmin);
      memset (qh, 0, SC_QK_K / 8);
      for (int n = 0; n < SC_QK_K; n += 64, ql += 32)
        {
          for (int j = 0; j < 32; j++)
            {
              int l1 = L[n + j];
              int l2 = L[n + j + 32];

              if (l1 > 15)
                {
                  l1 -= 16;
                  qh[j] |= m1;
                }
              if (l2 > 15)
                {
                  l2 -= 16;
                  qh[j] |= m2;
                }
              ql[j] = (guint8) (l1 | (l2 << 4));
            }
          m1 <<= 2;
          m2 <<= 2;
        }
    }
}

static void
quantize_q6_k (const float *x,
               ScBlockQ6_K *y,
               gint64       nb)
{
  for (gint64 i = 0; i < nb; i++, x += SC_QK_K)
    {
      gint8 L[SC_QK_K];
      float scales[SC_QK_K / 16];
      float max_scale = 0;
      float max_abs_scale = 0;
      float iscale, d;
      guint8 *ql = y[i].ql;
      guint8 *qh = y[i].qh;

      for (int ib = 0; ib < SC_QK_K / 16; ib++)
        {
          const float scale = make_qx_quants (16, 32, x + 16 * ib, L + 16 * ib, 1, NULL);

          scales[ib] = scale;
          if (fabsf (scale) > max_abs_scale)
            {
              max_abs_scale = fabsf (scale);
              max_scale = scale;
            }
        }
      if (max_abs_scale < GROUP_MAX_EPS)
        {
          memset (&y[i], 0, sizeof y[i]);
          continue;
        }

      iscale = -128.f / max_scale;
      y[i].d = sc_fp32_to_fp16 (1 / iscale);
      for (int ib = 0; ib < SC_QK_K / 16; ib++)
        y[i].scales[ib] = (gint8) MIN (127, nearest_int (iscale * scales[ib]));

      d = FP16 (y[i].d);
      for (int j = 0; j < SC_QK_K / 16; j++)
        {
          float dl = d * y[i].scales[j];

          if (dl == 0.0f)
            continue;
          for (int ii = 0; ii < 16; ii++)
            {
              int l = nearest_int (x[16 * j + ii] / dl);
              L[16 * j + ii] = (gint8) (MAX (-32, MIN (31, l)) + 32);
            }
        }

      for (int j = 0; j < SC_QK_K; j += 128, ql += 64, qh += 32)
        {
          for (int l = 0; l < 32; l++)
            {
              const guint8 q1 = L[j + l] & 0xf;
              const guint8 q2 = L[j + l + 32] & 0xf;
              const guint8 q3 = L[j + l + 64] & 0xf;
              const guint8 q4 = L[j + l + 96] & 0xf;

              ql[l] = q1 | (guint8) (q3 << 4);
              ql[l + 32] = q2 | (guint8) (q4 << 4);
              qh[l] = (guint8) ((L[j + l] >> 4) | ((L[j + l + 32] >> 4) << 2)
                                | ((L[j + l + 64] >> 4) << 4) | ((L[j + l + 96] >> 4) << 6));
            }
        }
    }
}

gsize
sc_quantize_row_ref (ScTensorType  type,
                     const float  *src,
                     void         *dst,
                     gint64        n)
{
  gint64 nb;

  g_return_val_if_fail (check_row_args (type, n), 0);
  g_return_val_if_fail (n == 0 || (src != NULL && dst != NULL), 0);

  nb = n / sc_tensor_type_block_size (type);
  switch (type)
    {
    case SC_TENSOR_TYPE_F32:
      memcpy (dst, src, (gsize) n * sizeof (float));
      break;
    case SC_TENSOR_TYPE_F16:
      sc_fp32_to_fp16_row (src, dst, n);
      break;
    case SC_TENSOR_TYPE_BF16:
      for (gint64 i = 0; i < n; i++)
        ((guint16 *) dst)[i] = sc_fp32_to_bf16 (src[i]);
      break;
    case SC_TENSOR_TYPE_Q4_0:
      quantize_q4_0 (src, dst, nb);
      break;
    case SC_TENSOR_TYPE_Q4_1:
      quantize_q4_1 (src, dst, nb);
      break;
    case SC_TENSOR_TYPE_Q5_0:
      quantize_q5_0 (src, dst, nb);
      break;
    case SC_TENSOR_TYPE_Q5_1:
      quantize_q5_1 (src, dst, nb);
      break;
    case SC_TENSOR_TYPE_Q8_0:
      quantize_q8_0 (src, dst, nb);
      break;
    case SC_TENSOR_TYPE_Q4_K:
      quantize_q4_k (src, dst, nb);
      break;
    case SC_TENSOR_TYPE_Q5_K:
      quantize_q5_k (src, dst, nb);
      break;
    case SC_TENSOR_TYPE_Q6_K:
      quantize_q6_k (src, dst, nb);
      break;
    default:
      g_assert_not_reached ();
    }
  return (gsize) nb * sc_tensor_type_type_size (type);
}

/* ================================================================================================
 * Dot product reference
 * ============================================================================================== */

float
sc_vec_dot_row (ScTensorType  type,
                const void   *row,
                const float  *x,
                gint64        n)
{
  const gint64 block_size = check_row_args (type, n) ? sc_tensor_type_block_size (type) : 1;
  const gsize type_size = sc_tensor_type_type_size (type);
  /* Whole blocks at a time: 256 elements for the K-quants, a chunk of 256 for the
   * element-wise types (block size 1). */
  const gint64 chunk = block_size == 1 ? 256 : block_size;
  float buf[256];
  float sum = 0.0f;

  g_return_val_if_fail (check_row_args (type, n), 0.0f);
  g_return_val_if_fail (n == 0 || (row != NULL && x != NULL), 0.0f);

  for (gint64 i = 0; i < n; i += chunk)
    {
      const gint64 len = MIN (chunk, n - i);
      const guint8 *src = (const guint8 *) row + (gsize) (i / block_size) * type_size;

      sc_dequantize_row (type, src, buf, len);
      for (gint64 j = 0; j < len; j++)
        {
          /* volatile: round the product to float before adding, as the contract says; a fused
           * multiply-add (-ffp-contract) would round once and break reproducibility. */
          volatile float product = buf[j] * x[i + j];
          sum += product;
        }
    }
  return sum;
}
