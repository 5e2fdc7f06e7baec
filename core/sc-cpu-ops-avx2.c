/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cpu-ops-avx2.c: element-wise activation functions for x86-64 with AVX2 and FMA, compiled
 * into the AVX2 unit and used by sc-cpu-ops.c only when the CPU has those instructions.
 *
 * exp() is evaluated eight lanes at a time the classic way: x = n ln 2 + r with n = round
 * (x / ln 2) and |r| <= ln 2 / 2 (ln 2 split into a high part exact in float and a low part),
 * e^r by a degree-6 polynomial (the minimax coefficients of the Cephes expf), and 2^n by adding n
 * to the exponent field. The relative error is below 2 ulp over the clamped range; GELU and
 * SiLU built on it stay within a few float ulps of the double-precision reference. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <immintrin.h>
#include <math.h>
#include <string.h>

#include "sc-cpu-ops-avx2.h"

static inline __m256
exp8 (__m256 x)
{
  const __m256 log2e = _mm256_set1_ps (1.44269504088896341f);
  const __m256 ln2_hi = _mm256_set1_ps (0.693359375f);
  const __m256 ln2_lo = _mm256_set1_ps (-2.12194440e-4f);
  __m256 n, r, p;
  __m256i e;

  x = _mm256_min_ps (_mm256_max_ps (x, _mm256_set1_ps (-87.3f)), _mm256_set1_ps (88.3f));
  n = _mm256_round_ps (_mm256_mul_ps (x, log2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  r = _mm256_fnmadd_ps (n, ln2_hi, x);
  r = _mm256_fnmadd_ps (n, ln2_lo, r);

  p = _mm256_set1_ps (1.9875691500e-4f);
  p = _mm256_fmadd_ps (p, r, _mm256_set1_ps (1.3981999507e-3f));
  p = _mm256_fmadd_ps (p, r, _mm256_set1_ps (8.3334519073e-3f));
  p = _mm256_fmadd_ps (p, r, _mm256_set1_ps (4.1665795894e-2f));
  p = _mm256_fmadd_ps (p, r, _mm256_set1_ps (1.6666665459e-1f));
  p = _mm256_fmadd_ps (p, r, _mm256_set1_ps (5.0000001201e-1f));
  p = _mm256_fmadd_ps (p, _mm256_mul_ps (r, r), _mm256_add_ps (r, _mm256_set1_ps (1.0f)));

  /* 2^n: n is within [-126, 127] after the clamp, a normal float */
  e = _mm256_cvtps_epi32 (n);
  p = _mm256_mul_ps (p, _mm256_castsi256_ps (_mm256_slli_epi32 (_mm256_add_epi32 (e, _mm256_set1_epi32 (127)), 23)));
  return p;
}

/* x * sigmoid (y) = x / (1 + e^-y) */
static inline __m256
mul_sigmoid8 (__m256 x,
              __m256 y)
{
  const __m256 one = _mm256_set1_ps (1.0f);
  __m256 d = _mm256_add_ps (one, exp8 (_mm256_sub_ps (_mm256_setzero_ps (), y)));

  return _mm256_div_ps (x, d);
}

/* 0.5 x (1 + tanh (u)) = x sigmoid (2u), u = sqrt (2 / pi) (x + 0.044715 x^3) */
void
sc_cpu_gelu_avx2 (const float *a,
                  float       *dst,
                  gint64       n)
{
  const __m256 c2 = _mm256_set1_ps (2.0f * 0.7978845608028654f);
  const __m256 c3 = _mm256_set1_ps (0.044715f);
  gint64 i = 0;

  for (; i + 8 <= n; i += 8)
    {
      const __m256 x = _mm256_loadu_ps (a + i);
      const __m256 u = _mm256_mul_ps (c2, _mm256_fmadd_ps (_mm256_mul_ps (c3, x), _mm256_mul_ps (x, x), x));

      _mm256_storeu_ps (dst + i, mul_sigmoid8 (x, u));
    }
  for (; i < n; i++)
    {
      const float x = a[i];

      dst[i] = 0.5f * x * (1.0f + tanhf (0.7978845608028654f * (x + 0.044715f * x * x * x)));
    }
}

void
sc_cpu_silu_avx2 (const float *a,
                  const float *b,
                  float       *dst,
                  gint64       n)
{
  gint64 i = 0;

  for (; i + 8 <= n; i += 8)
    {
      const __m256 x = _mm256_loadu_ps (a + i);
      __m256 y = mul_sigmoid8 (x, x);

      if (b != NULL)
        y = _mm256_mul_ps (y, _mm256_loadu_ps (b + i));
      _mm256_storeu_ps (dst + i, y);
    }
  for (; i < n; i++)
    dst[i] = a[i] / (1.0f + expf (-a[i])) * (b != NULL ? b[i] : 1.0f);
}

static inline float
hsum8 (__m256 v)
{
  __m128 s = _mm_add_ps (_mm256_castps256_ps128 (v), _mm256_extractf128_ps (v, 1));

  s = _mm_add_ps (s, _mm_movehl_ps (s, s));
  s = _mm_add_ss (s, _mm_movehdup_ps (s));
  return _mm_cvtss_f32 (s);
}

/* softmax over the first @n of @n_keys scores, in place; the others (and all of them if no
 * score is finite) become 0. With @f16 the probabilities are rounded to halves. */
static inline void
softmax_row (float    *s,
             int       n,
             int       n_keys,
             gboolean  f16)
{
  __m256 vmax = _mm256_set1_ps (-INFINITY), vsum = _mm256_setzero_ps ();
  float max = -INFINITY, sum = 0.0f, inv;
  int j = 0;

  for (; j + 8 <= n; j += 8)
    vmax = _mm256_max_ps (vmax, _mm256_loadu_ps (s + j));
  for (int l = 0; l < 8; l++)
    max = MAX (max, ((float *) &vmax)[l]);
  for (; j < n; j++)
    max = MAX (max, s[j]);
  if (max == -INFINITY)
    {
      memset (s, 0, (gsize) n_keys * sizeof (float));
      return;
    }
  vmax = _mm256_set1_ps (max);
  for (j = 0; j + 8 <= n; j += 8)
    {
      const __m256 e = exp8 (_mm256_sub_ps (_mm256_loadu_ps (s + j), vmax));

      _mm256_storeu_ps (s + j, e);
      vsum = _mm256_add_ps (vsum, e);
    }
  sum = hsum8 (vsum);
  for (; j < n; j++)
    {
      s[j] = expf (s[j] - max);
      sum += s[j];
    }
  inv = 1.0f / sum;
  j = 0;
  if (f16)
    for (; j + 8 <= n; j += 8)
      _mm256_storeu_ps (s + j, _mm256_cvtph_ps (_mm256_cvtps_ph (
                          _mm256_mul_ps (_mm256_loadu_ps (s + j), _mm256_set1_ps (inv)),
                          _MM_FROUND_TO_NEAREST_INT)));
  for (; j < n; j++)
    s[j] = f16 ? _cvtsh_ss (_cvtss_sh (s[j] * inv, _MM_FROUND_TO_NEAREST_INT)) : s[j] * inv;
  for (; j < n_keys; j++)
    s[j] = 0.0f;
}

/* Eight floats from element @i of a key or value row, F32 or F16. */
static inline __m256
load_row8 (const void *row,
           gint64      i,
           gboolean    f16)
{
  return f16 ? _mm256_cvtph_ps (_mm_loadu_si128 ((const __m128i *) ((const guint16 *) row + i)))
             : _mm256_loadu_ps ((const float *) row + i);
}

/* Up to SC_CPU_ATTN_BLOCK queries of one head against the same key and value rows (F32, or F16
 * with @f16): every key and value row is loaded once for all of them. */
static inline void
attention_block (const float *const *q,
                 float *const       *out,
                 const float *const *mask,
                 const int          *visible,
                 int                 n_q,
                 const void         *k,
                 const void         *v,
                 gsize               row_stride,
                 gint64              D,
                 float               scale,
                 gboolean            f16,
                 float              *scores)
{
  const gsize row_bytes = row_stride * (f16 ? sizeof (guint16) : sizeof (float));
  int n_keys = 0;

  for (int i = 0; i < n_q; i++)
    n_keys = MAX (n_keys, visible[i]);

  /* scores[i * n_keys + j] = K_j · q_i * scale + mask */
  for (int j = 0; j < n_keys; j++)
    {
      const guint8 *kj = (const guint8 *) k + (gsize) j * row_bytes;
      __m256 acc[SC_CPU_ATTN_BLOCK];

      for (int i = 0; i < n_q; i++)
        acc[i] = _mm256_setzero_ps ();
      for (gint64 c = 0; c < D; c += 8)
        {
          const __m256 kc = load_row8 (kj, c, f16);

          for (int i = 0; i < n_q; i++)
            acc[i] = _mm256_fmadd_ps (kc, _mm256_loadu_ps (q[i] + c), acc[i]);
        }
      for (int i = 0; i < n_q; i++)
        scores[i * n_keys + j] = hsum8 (acc[i]) * scale + (mask[i] != NULL ? mask[i][j] : 0.0f);
    }

  /* softmax per query over its visible keys; the rest get probability 0 */
  for (int i = 0; i < n_q; i++)
    softmax_row (scores + i * n_keys, visible[i], n_keys, f16);

  /* out_i = sum_j p_ij V_j, 16 columns of all queries at a time in registers */
  for (gint64 c = 0; c < D; c += 16)
    {
      const gboolean two = c + 16 <= D;
      __m256 acc0[SC_CPU_ATTN_BLOCK], acc1[SC_CPU_ATTN_BLOCK];

      for (int i = 0; i < n_q; i++)
        acc0[i] = acc1[i] = _mm256_setzero_ps ();
      for (int j = 0; j < n_keys; j++)
        {
          const guint8 *vj = (const guint8 *) v + (gsize) j * row_bytes;
          const __m256 v0 = load_row8 (vj, c, f16);
          const __m256 v1 = two ? load_row8 (vj, c + 8, f16) : _mm256_setzero_ps ();

          for (int i = 0; i < n_q; i++)
            {
              const __m256 p = _mm256_broadcast_ss (scores + i * n_keys + j);

              acc0[i] = _mm256_fmadd_ps (p, v0, acc0[i]);
              acc1[i] = _mm256_fmadd_ps (p, v1, acc1[i]);
            }
        }
      for (int i = 0; i < n_q; i++)
        {
          _mm256_storeu_ps (out[i] + c, acc0[i]);
          if (two)
            _mm256_storeu_ps (out[i] + c + 8, acc1[i]);
        }
    }
}

void
sc_cpu_attention_f32_avx2 (const float *const *q,
                           float *const       *out,
                           const float *const *mask,
                           const int          *visible,
                           int                 n_q,
                           const float        *k,
                           const float        *v,
                           gsize               row_stride,
                           gint64              D,
                           float               scale,
                           float              *scores)
{
  attention_block (q, out, mask, visible, n_q, k, v, row_stride, D, scale, FALSE, scores);
}

/* On the AVX2 table both prompts and token steps take this path, so that a prompt and its
 * tokens one by one agree bit for bit. As llama.cpp's CPU backend computes attention without
 * flash attention: the query rounded to halves for K·q, softmax (s * scale + mask) normalised
 * in float, the probabilities rounded to halves for the product with V. */
void
sc_cpu_attention_f16_avx2 (const float *const *q,
                           float *const       *out,
                           const float *const *mask,
                           const int          *visible,
                           int                 n_q,
                           const guint16      *k,
                           const guint16      *v,
                           gsize               row_stride,
                           gint64              D,
                           float               scale,
                           float              *work,
                           float              *scores)
{
  const float *qh[SC_CPU_ATTN_BLOCK];

  for (int i = 0; i < n_q; i++)
    {
      float *row = work + i * D;

      for (gint64 c = 0; c < D; c += 8)
        _mm256_storeu_ps (row + c, _mm256_cvtph_ps (_mm256_cvtps_ph (
                            _mm256_loadu_ps (q[i] + c), _MM_FROUND_TO_NEAREST_INT)));
      qh[i] = row;
    }
  attention_block (qh, out, mask, visible, n_q, k, v, row_stride, D, scale, TRUE, scores);
}
