/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cpu-avx2.c: the CPU backend's vector kernels for x86-64 with AVX2, FMA and F16C. Compiled
 * with those instructions enabled into a separate unit; sc_cpu_kernels_get() only hands this
 * table out when the CPU has them.
 *
 * The quantised dot products follow the scheme of ggml's x86 kernels: weights are unpacked to
 * bytes 32 at a time, multiplied with the 8-bit activations by vpmaddubsw (unsigned x signed
 * byte pairs summed to 16 bits; signed weights go through the sign trick, |w| x sign(w) * x),
 * widened to 32 bits by vpmaddwd (with the sub-block scales of the K-quants folded in), and each
 * block's integer sum is scaled into a float accumulator with one FMA. No intermediate can
 * overflow: activations are within [-127, 127] (sc-ops-ref.h), weights within [-32, 63]. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <immintrin.h>
#include <string.h>

#include "sc-cpu-private.h"

/* ---------------------------------------------------------------- helpers */

static inline float
fp16 (guint16 h)
{
  return _cvtsh_ss (h);
}

static inline float
hsum_ps (__m256 x)
{
  __m128 r = _mm_add_ps (_mm256_extractf128_ps (x, 1), _mm256_castps256_ps128 (x));

  r = _mm_add_ps (r, _mm_movehl_ps (r, r));
  r = _mm_add_ss (r, _mm_movehdup_ps (r));
  return _mm_cvtss_f32 (r);
}

static inline int
hsum_epi32 (__m256i x)
{
  __m128i r = _mm_add_epi32 (_mm256_extracti128_si256 (x, 1), _mm256_castsi256_si128 (x));

  r = _mm_add_epi32 (r, _mm_unpackhi_epi64 (r, r));
  r = _mm_add_epi32 (r, _mm_shuffle_epi32 (r, _MM_SHUFFLE (1, 1, 1, 1)));
  return _mm_cvtsi128_si32 (r);
}

/* 16 bytes of nibbles to 32 bytes: low nibbles (weights 0..15), then high (16..31). */
static inline __m256i
bytes_from_nibbles_32 (const guint8 *p)
{
  const __m128i tmp = _mm_loadu_si128 ((const __m128i *) p);
  const __m256i bytes = _mm256_set_m128i (_mm_srli_epi16 (tmp, 4), tmp);

  return _mm256_and_si256 (_mm256_set1_epi8 (0xf), bytes);
}

/* 32 bits to 32 bytes: 0xff where bit j is set. */
static inline __m256i
bytes_from_bits_32 (const guint8 *p)
{
  const __m256i shuffle = _mm256_set_epi64x (0x0303030303030303, 0x0202020202020202,
                                             0x0101010101010101, 0x0000000000000000);
  const __m256i bit_mask = _mm256_set1_epi64x (0x7fbfdfeff7fbfdfe);
  guint32 bits;
  __m256i bytes;

  memcpy (&bits, p, sizeof bits);
  bytes = _mm256_shuffle_epi8 (_mm256_set1_epi32 ((int) bits), shuffle);
  bytes = _mm256_or_si256 (bytes, bit_mask);
  return _mm256_cmpeq_epi8 (bytes, _mm256_set1_epi64x (-1));
}

/* Sums of pairs of unsigned x signed bytes, as 8 int32. */
static inline __m256i
mul_sum_us8_pairs (__m256i ax,
                   __m256i sy)
{
  return _mm256_madd_epi16 (_mm256_maddubs_epi16 (ax, sy), _mm256_set1_epi16 (1));
}

/* Signed x signed: |x| x (y with x's sign). */
static inline __m256i
mul_sum_i8_pairs (__m256i x,
                  __m256i y)
{
  return mul_sum_us8_pairs (_mm256_sign_epi8 (x, x), _mm256_sign_epi8 (y, x));
}

/* ---------------------------------------------------------------- float weights */

static float
vec_dot_f32 (const void *wv,
             const void *xv,
             gint64      K)
{
  const float *w = wv, *x = xv;
  __m256 acc0 = _mm256_setzero_ps (), acc1 = _mm256_setzero_ps ();
  __m256 acc2 = _mm256_setzero_ps (), acc3 = _mm256_setzero_ps ();
  gint64 i = 0;
  float sum;

  for (; i + 32 <= K; i += 32)
    {
      acc0 = _mm256_fmadd_ps (_mm256_loadu_ps (w + i), _mm256_loadu_ps (x + i), acc0);
      acc1 = _mm256_fmadd_ps (_mm256_loadu_ps (w + i + 8), _mm256_loadu_ps (x + i + 8), acc1);
      acc2 = _mm256_fmadd_ps (_mm256_loadu_ps (w + i + 16), _mm256_loadu_ps (x + i + 16), acc2);
      acc3 = _mm256_fmadd_ps (_mm256_loadu_ps (w + i + 24), _mm256_loadu_ps (x + i + 24), acc3);
    }
  for (; i + 8 <= K; i += 8)
    acc0 = _mm256_fmadd_ps (_mm256_loadu_ps (w + i), _mm256_loadu_ps (x + i), acc0);
  sum = hsum_ps (_mm256_add_ps (_mm256_add_ps (acc0, acc1), _mm256_add_ps (acc2, acc3)));
  for (; i < K; i++)
    sum += w[i] * x[i];
  return sum;
}

static inline __m256
load_f16x8 (const guint16 *p)
{
  return _mm256_cvtph_ps (_mm_loadu_si128 ((const __m128i *) p));
}

static inline __m256
load_bf16x8 (const guint16 *p)
{
  const __m256i u = _mm256_cvtepu16_epi32 (_mm_loadu_si128 ((const __m128i *) p));

  return _mm256_castsi256_ps (_mm256_slli_epi32 (u, 16));
}

/* F16 and BF16 weights meet activations converted to the same type (ggml's vec_dot_type):
 * every product is exact in float. */
#define DOT_HALF_BODY(LOAD)                                                                 \
  const guint16 *w = wv, *x = xv;                                                           \
  __m256 acc0 = _mm256_setzero_ps (), acc1 = _mm256_setzero_ps ();                          \
  __m256 acc2 = _mm256_setzero_ps (), acc3 = _mm256_setzero_ps ();                          \
  gint64 i = 0;                                                                             \
  float sum;                                                                                \
                                                                                            \
  for (; i + 32 <= K; i += 32)                                                              \
    {                                                                                       \
      acc0 = _mm256_fmadd_ps (LOAD (w + i), LOAD (x + i), acc0);                            \
      acc1 = _mm256_fmadd_ps (LOAD (w + i + 8), LOAD (x + i + 8), acc1);                    \
      acc2 = _mm256_fmadd_ps (LOAD (w + i + 16), LOAD (x + i + 16), acc2);                  \
      acc3 = _mm256_fmadd_ps (LOAD (w + i + 24), LOAD (x + i + 24), acc3);                  \
    }                                                                                       \
  for (; i + 8 <= K; i += 8)                                                                \
    acc0 = _mm256_fmadd_ps (LOAD (w + i), LOAD (x + i), acc0);                              \
  sum = hsum_ps (_mm256_add_ps (_mm256_add_ps (acc0, acc1), _mm256_add_ps (acc2, acc3)));

static float
vec_dot_f16 (const void *wv,
             const void *xv,
             gint64      K)
{
  DOT_HALF_BODY (load_f16x8)
  for (; i < K; i++)
    sum += fp16 (w[i]) * fp16 (x[i]);
  return sum;
}

static float
vec_dot_bf16 (const void *wv,
              const void *xv,
              gint64      K)
{
  DOT_HALF_BODY (load_bf16x8)
  for (; i < K; i++)
    sum += sc_bf16_to_fp32 (w[i]) * sc_bf16_to_fp32 (x[i]);
  return sum;
}

#undef DOT_HALF_BODY

/* ---------------------------------------------------------------- 32-weight blocks */

static float
vec_dot_q4_0 (const void *wv,
              const void *xv,
              gint64      K)
{
  const ScBlockQ4_0 *w = wv;
  const ScBlockQ8Act *x = xv;
  __m256 acc = _mm256_setzero_ps ();

  for (gint64 i = 0; i < K / 32; i++)
    {
      const __m256 d = _mm256_set1_ps (fp16 (w[i].d) * x[i].d);
      const __m256i qw = _mm256_sub_epi8 (bytes_from_nibbles_32 (w[i].qs), _mm256_set1_epi8 (8));
      const __m256i qx = _mm256_loadu_si256 ((const __m256i *) x[i].qs);

      acc = _mm256_fmadd_ps (d, _mm256_cvtepi32_ps (mul_sum_i8_pairs (qw, qx)), acc);
    }
  return hsum_ps (acc);
}

static float
vec_dot_q4_1 (const void *wv,
              const void *xv,
              gint64      K)
{
  const ScBlockQ4_1 *w = wv;
  const ScBlockQ8Act *x = xv;
  __m256 acc = _mm256_setzero_ps ();
  float mins = 0.0f;

  for (gint64 i = 0; i < K / 32; i++)
    {
      const __m256 d = _mm256_set1_ps (fp16 (w[i].d) * x[i].d);
      const __m256i qw = bytes_from_nibbles_32 (w[i].qs);
      const __m256i qx = _mm256_loadu_si256 ((const __m256i *) x[i].qs);

      mins += fp16 (w[i].m) * x[i].s;
      acc = _mm256_fmadd_ps (d, _mm256_cvtepi32_ps (mul_sum_us8_pairs (qw, qx)), acc);
    }
  return hsum_ps (acc) + mins;
}

static float
vec_dot_q5_0 (const void *wv,
              const void *xv,
              gint64      K)
{
  const ScBlockQ5_0 *w = wv;
  const ScBlockQ8Act *x = xv;
  __m256 acc = _mm256_setzero_ps ();

  for (gint64 i = 0; i < K / 32; i++)
    {
      const __m256 d = _mm256_set1_ps (fp16 (w[i].d) * x[i].d);
      /* q - 16 as a signed byte: the nibble with 0xf0 or'ed in where the fifth bit is clear. */
      const __m256i hi = _mm256_andnot_si256 (bytes_from_bits_32 (w[i].qh),
                                              _mm256_set1_epi8 ((char) 0xf0));
      const __m256i qw = _mm256_or_si256 (bytes_from_nibbles_32 (w[i].qs), hi);
      const __m256i qx = _mm256_loadu_si256 ((const __m256i *) x[i].qs);

      acc = _mm256_fmadd_ps (d, _mm256_cvtepi32_ps (mul_sum_i8_pairs (qw, qx)), acc);
    }
  return hsum_ps (acc);
}

static float
vec_dot_q5_1 (const void *wv,
              const void *xv,
              gint64      K)
{
  const ScBlockQ5_1 *w = wv;
  const ScBlockQ8Act *x = xv;
  __m256 acc = _mm256_setzero_ps ();
  float mins = 0.0f;

  for (gint64 i = 0; i < K / 32; i++)
    {
      const __m256 d = _mm256_set1_ps (fp16 (w[i].d) * x[i].d);
      const __m256i hi = _mm256_and_si256 (bytes_from_bits_32 (w[i].qh), _mm256_set1_epi8 (0x10));
      const __m256i qw = _mm256_or_si256 (bytes_from_nibbles_32 (w[i].qs), hi);
      const __m256i qx = _mm256_loadu_si256 ((const __m256i *) x[i].qs);

      mins += fp16 (w[i].m) * x[i].s;
      acc = _mm256_fmadd_ps (d, _mm256_cvtepi32_ps (mul_sum_us8_pairs (qw, qx)), acc);
    }
  return hsum_ps (acc) + mins;
}

static float
vec_dot_q8_0 (const void *wv,
              const void *xv,
              gint64      K)
{
  const ScBlockQ8_0 *w = wv;
  const ScBlockQ8Act *x = xv;
  __m256 acc = _mm256_setzero_ps ();

  for (gint64 i = 0; i < K / 32; i++)
    {
      const __m256 d = _mm256_set1_ps (fp16 (w[i].d) * x[i].d);
      const __m256i qw = _mm256_loadu_si256 ((const __m256i *) w[i].qs);
      const __m256i qx = _mm256_loadu_si256 ((const __m256i *) x[i].qs);

      acc = _mm256_fmadd_ps (d, _mm256_cvtepi32_ps (mul_sum_i8_pairs (qw, qx)), acc);
    }
  return hsum_ps (acc);
}

/* Four activation rows against one Q4_0 or Q8_0 row: the weights are unpacked once. Per
 * column the operations are those of vec_dot_q4_0 / vec_dot_q8_0, so results are identical. */
static inline void
dot4_q32_signed (const guint8 *w,
                 gsize         w_block,
                 gboolean      q8,
                 const void   *xv,
                 gsize         x_stride,
                 gint64        K,
                 float        *out)
{
  __m256 acc[4] = { _mm256_setzero_ps (), _mm256_setzero_ps (), _mm256_setzero_ps (),
                    _mm256_setzero_ps () };

  for (gint64 i = 0; i < K / 32; i++, w += w_block)
    {
      guint16 dbits;
      __m256i qw, aw;
      float dw;

      memcpy (&dbits, w, sizeof dbits);
      dw = fp16 (dbits);
      qw = q8 ? _mm256_loadu_si256 ((const __m256i *) (w + 2))
              : _mm256_sub_epi8 (bytes_from_nibbles_32 (w + 2), _mm256_set1_epi8 (8));
      aw = _mm256_sign_epi8 (qw, qw);
      for (int c = 0; c < 4; c++)
        {
          const ScBlockQ8Act *x = (const ScBlockQ8Act *) ((const guint8 *) xv + c * x_stride) + i;
          const __m256 d = _mm256_set1_ps (dw * x->d);
          const __m256i sy = _mm256_sign_epi8 (_mm256_loadu_si256 ((const __m256i *) x->qs), qw);

          acc[c] = _mm256_fmadd_ps (d, _mm256_cvtepi32_ps (mul_sum_us8_pairs (aw, sy)), acc[c]);
        }
    }
  for (int c = 0; c < 4; c++)
    out[c] = hsum_ps (acc[c]);
}

static void
vec_dot4_q4_0 (const void *w,
               const void *x,
               gsize       x_stride,
               gint64      K,
               float      *out)
{
  dot4_q32_signed (w, sizeof (ScBlockQ4_0), FALSE, x, x_stride, K, out);
}

static void
vec_dot4_q8_0 (const void *w,
               const void *x,
               gsize       x_stride,
               gint64      K,
               float      *out)
{
  dot4_q32_signed (w, sizeof (ScBlockQ8_0), TRUE, x, x_stride, K, out);
}

/* ---------------------------------------------------------------- K-quants */

/* The 8 six-bit scales and 8 mins of a Q4_K/Q5_K super-block as 16 bytes (scales, then mins):
 * ggml's rearrangement of the 12 packed bytes, equivalent to sc_get_scale_min_k4(). */
static inline __m128i
unpack_scales_mins_k4 (const guint8 *packed)
{
  const guint32 kmask1 = 0x3f3f3f3f, kmask2 = 0x0f0f0f0f, kmask3 = 0x03030303;
  guint32 utmp[4], uaux;

  memcpy (utmp, packed, 12);
  utmp[3] = ((utmp[2] >> 4) & kmask2) | (((utmp[1] >> 6) & kmask3) << 4);
  uaux = utmp[1] & kmask1;
  utmp[1] = (utmp[2] & kmask2) | (((utmp[0] >> 6) & kmask3) << 4);
  utmp[2] = uaux;
  utmp[0] &= kmask1;
  return _mm_set_epi32 ((int) utmp[3], (int) utmp[2], (int) utmp[1], (int) utmp[0]);
}

/* Broadcasts 16-bit lane @i of each 128-bit half. */
static inline __m256i
scale_shuffle (__m256i scales,
               int     i)
{
  return _mm256_shuffle_epi8 (scales, _mm256_set1_epi16 ((short) ((2 * i + 1) << 8 | 2 * i)));
}

/* One super-block of Q4_K or Q5_K (they differ only in the fifth bit: @qh is NULL for Q4_K).
 * Adds the minimum term to @acc_m and returns the scaled integer sums of the quants. */
static inline __m256i
dot_k4_block (const guint8        *scales_packed,
              const guint8        *qs,
              const guint8        *qh,
              float                dmin,
              const ScBlockQ8KAct *x,
              __m128              *acc_m)
{
  const __m256i m4 = _mm256_set1_epi8 (0xf);
  const __m256i mins_and_scales = _mm256_cvtepu8_epi16 (unpack_scales_mins_k4 (scales_packed));
  const __m256i bsums = _mm256_loadu_si256 ((const __m256i *) x->bsums);
  const __m128i sums32 = _mm_hadd_epi16 (_mm256_castsi256_si128 (bsums),
                                         _mm256_extracti128_si256 (bsums, 1));
  const __m128i prod = _mm_madd_epi16 (_mm256_extracti128_si256 (mins_and_scales, 1), sums32);
  const __m128i sc128 = _mm256_castsi256_si128 (mins_and_scales);
  const __m256i scales = _mm256_set_m128i (sc128, sc128);
  const __m256i hbits = qh ? _mm256_loadu_si256 ((const __m256i *) qh) : _mm256_setzero_si256 ();
  const gint8 *q8 = x->qs;
  __m256i sumi = _mm256_setzero_si256 ();

  *acc_m = _mm_fmadd_ps (_mm_set1_ps (-x->d * dmin), _mm_cvtepi32_ps (prod), *acc_m);
  for (int j = 0; j < 4; j++, qs += 32, q8 += 64)
    {
      const __m256i bits = _mm256_loadu_si256 ((const __m256i *) qs);
      __m256i ql = _mm256_and_si256 (bits, m4);
      __m256i qhi = _mm256_and_si256 (_mm256_srli_epi16 (bits, 4), m4);
      __m256i pl, ph;

      if (qh != NULL)
        {
          const __m256i bl = _mm256_set1_epi8 ((char) (1 << (2 * j)));
          const __m256i bh = _mm256_set1_epi8 ((char) (1 << (2 * j + 1)));
          const __m256i sixteen = _mm256_set1_epi8 (16);

          ql = _mm256_add_epi8 (ql, _mm256_and_si256 (
                 _mm256_cmpeq_epi8 (_mm256_and_si256 (hbits, bl), bl), sixteen));
          qhi = _mm256_add_epi8 (qhi, _mm256_and_si256 (
                  _mm256_cmpeq_epi8 (_mm256_and_si256 (hbits, bh), bh), sixteen));
        }
      pl = _mm256_maddubs_epi16 (ql, _mm256_loadu_si256 ((const __m256i *) q8));
      ph = _mm256_maddubs_epi16 (qhi, _mm256_loadu_si256 ((const __m256i *) (q8 + 32)));
      pl = _mm256_madd_epi16 (scale_shuffle (scales, 2 * j), pl);
      ph = _mm256_madd_epi16 (scale_shuffle (scales, 2 * j + 1), ph);
      sumi = _mm256_add_epi32 (sumi, _mm256_add_epi32 (pl, ph));
    }
  return sumi;
}

static inline float
finish_k (__m256 acc,
          __m128 acc_m)
{
  acc_m = _mm_add_ps (acc_m, _mm_movehl_ps (acc_m, acc_m));
  acc_m = _mm_add_ss (acc_m, _mm_movehdup_ps (acc_m));
  return hsum_ps (acc) + _mm_cvtss_f32 (acc_m);
}

static float
vec_dot_q4_k (const void *wv,
              const void *xv,
              gint64      K)
{
  const ScBlockQ4_K *w = wv;
  const ScBlockQ8KAct *x = xv;
  __m256 acc = _mm256_setzero_ps ();
  __m128 acc_m = _mm_setzero_ps ();

  for (gint64 i = 0; i < K / SC_QK_K; i++)
    {
      const __m256i sumi = dot_k4_block (w[i].scales, w[i].qs, NULL, fp16 (w[i].dmin), &x[i],
                                         &acc_m);

      acc = _mm256_fmadd_ps (_mm256_set1_ps (x[i].d * fp16 (w[i].d)), _mm256_cvtepi32_ps (sumi),
                             acc);
    }
  return finish_k (acc, acc_m);
}

static float
vec_dot_q5_k (const void *wv,
              const void *xv,
              gint64      K)
{
  const ScBlockQ5_K *w = wv;
  const ScBlockQ8KAct *x = xv;
  __m256 acc = _mm256_setzero_ps ();
  __m128 acc_m = _mm_setzero_ps ();

  for (gint64 i = 0; i < K / SC_QK_K; i++)
    {
      const __m256i sumi = dot_k4_block (w[i].scales, w[i].qs, w[i].qh, fp16 (w[i].dmin), &x[i],
                                         &acc_m);

      acc = _mm256_fmadd_ps (_mm256_set1_ps (x[i].d * fp16 (w[i].d)), _mm256_cvtepi32_ps (sumi),
                             acc);
    }
  return finish_k (acc, acc_m);
}

/* Four columns of Q4_K or Q5_K (@qh_stride 0: no fifth bits): quants and scale shuffles once
 * per 64 weights, then four columns. Per column the integer sums are vec_dot_q4_k's / q5_k's
 * and the float steps the same, so results are identical. */
static inline void
dot4_k4 (const guint8 *wb,
         gsize         w_block,
         gsize         qs_off,
         gsize         qh_off,
         gboolean      has_qh,
         const void   *xv,
         gsize         x_stride,
         gint64        K,
         float        *out)
{
  const __m256i m4 = _mm256_set1_epi8 (0xf);
  const __m256i sixteen = _mm256_set1_epi8 (16);
  __m256 acc[4];
  __m128 acc_m[4];

  for (int c = 0; c < 4; c++)
    {
      acc[c] = _mm256_setzero_ps ();
      acc_m[c] = _mm_setzero_ps ();
    }
  for (gint64 i = 0; i < K / SC_QK_K; i++, wb += w_block)
    {
      /* d, dmin and the 12 scale bytes lead every Q4_K and Q5_K block. */
      const __m256i mins_and_scales = _mm256_cvtepu8_epi16 (unpack_scales_mins_k4 (wb + 4));
      const __m128i mins = _mm256_extracti128_si256 (mins_and_scales, 1);
      const __m128i sc128 = _mm256_castsi256_si128 (mins_and_scales);
      const __m256i scales = _mm256_set_m128i (sc128, sc128);
      const __m256i hbits = has_qh ? _mm256_loadu_si256 ((const __m256i *) (wb + qh_off))
                                   : _mm256_setzero_si256 ();
      guint16 dbits[2];
      float d, dmin;
      const ScBlockQ8KAct *x[4];
      __m256i sumi[4];

      memcpy (dbits, wb, sizeof dbits);
      d = fp16 (dbits[0]);
      dmin = fp16 (dbits[1]);
      for (int c = 0; c < 4; c++)
        {
          __m256i bsums;
          __m128i sums32;

          x[c] = (const ScBlockQ8KAct *) ((const guint8 *) xv + c * x_stride) + i;
          bsums = _mm256_loadu_si256 ((const __m256i *) x[c]->bsums);
          sums32 = _mm_hadd_epi16 (_mm256_castsi256_si128 (bsums),
                                   _mm256_extracti128_si256 (bsums, 1));
          acc_m[c] = _mm_fmadd_ps (_mm_set1_ps (-x[c]->d * dmin),
                                   _mm_cvtepi32_ps (_mm_madd_epi16 (mins, sums32)), acc_m[c]);
          sumi[c] = _mm256_setzero_si256 ();
        }
      for (int j = 0; j < 4; j++)
        {
          const __m256i bits = _mm256_loadu_si256 ((const __m256i *) (wb + qs_off + 32 * j));
          __m256i ql = _mm256_and_si256 (bits, m4);
          __m256i qhi = _mm256_and_si256 (_mm256_srli_epi16 (bits, 4), m4);
          const __m256i sl = scale_shuffle (scales, 2 * j);
          const __m256i sh = scale_shuffle (scales, 2 * j + 1);

          if (has_qh)
            {
              const __m256i bl = _mm256_set1_epi8 ((char) (1 << (2 * j)));
              const __m256i bh = _mm256_set1_epi8 ((char) (1 << (2 * j + 1)));

              ql = _mm256_add_epi8 (ql, _mm256_and_si256 (
                     _mm256_cmpeq_epi8 (_mm256_and_si256 (hbits, bl), bl), sixteen));
              qhi = _mm256_add_epi8 (qhi, _mm256_and_si256 (
                      _mm256_cmpeq_epi8 (_mm256_and_si256 (hbits, bh), bh), sixteen));
            }
          for (int c = 0; c < 4; c++)
            {
              const gint8 *q8 = x[c]->qs + 64 * j;
              __m256i pl = _mm256_maddubs_epi16 (ql, _mm256_loadu_si256 ((const __m256i *) q8));
              __m256i ph = _mm256_maddubs_epi16 (qhi,
                                                 _mm256_loadu_si256 ((const __m256i *) (q8 + 32)));

              pl = _mm256_madd_epi16 (sl, pl);
              ph = _mm256_madd_epi16 (sh, ph);
              sumi[c] = _mm256_add_epi32 (sumi[c], _mm256_add_epi32 (pl, ph));
            }
        }
      for (int c = 0; c < 4; c++)
        acc[c] = _mm256_fmadd_ps (_mm256_set1_ps (x[c]->d * d), _mm256_cvtepi32_ps (sumi[c]),
                                  acc[c]);
    }
  for (int c = 0; c < 4; c++)
    out[c] = finish_k (acc[c], acc_m[c]);
}

static void
vec_dot4_q4_k (const void *w,
               const void *x,
               gsize       x_stride,
               gint64      K,
               float      *out)
{
  dot4_k4 (w, sizeof (ScBlockQ4_K), G_STRUCT_OFFSET (ScBlockQ4_K, qs), 0, FALSE, x, x_stride,
           K, out);
}

static void
vec_dot4_q5_k (const void *w,
               const void *x,
               gsize       x_stride,
               gint64      K,
               float      *out)
{
  dot4_k4 (w, sizeof (ScBlockQ5_K), G_STRUCT_OFFSET (ScBlockQ5_K, qs),
           G_STRUCT_OFFSET (ScBlockQ5_K, qh), TRUE, x, x_stride, K, out);
}

/* Scales of two 16-weight groups for the two 128-bit halves of a vpmaddwd. */
static inline __m256i
pair_scales (const gint8 *scales,
             int          g)
{
  return _mm256_set_m128i (_mm_set1_epi16 (scales[g + 1]), _mm_set1_epi16 (scales[g]));
}

/* The six-bit quants of one half (128 weights) of a Q6_K super-block, unsigned (0..63). */
static inline void
unpack_q6_half (const guint8 *ql,
                const guint8 *qh,
                __m256i       q[4])
{
  const __m256i m4 = _mm256_set1_epi8 (0xf);
  const __m256i m2 = _mm256_set1_epi8 (3);
  const __m256i bits1 = _mm256_loadu_si256 ((const __m256i *) ql);
  const __m256i bits2 = _mm256_loadu_si256 ((const __m256i *) (ql + 32));
  const __m256i bitsh = _mm256_loadu_si256 ((const __m256i *) qh);
  const __m256i h0 = _mm256_slli_epi16 (_mm256_and_si256 (bitsh, m2), 4);
  const __m256i h1 = _mm256_slli_epi16 (_mm256_and_si256 (_mm256_srli_epi16 (bitsh, 2), m2), 4);
  const __m256i h2 = _mm256_slli_epi16 (_mm256_and_si256 (_mm256_srli_epi16 (bitsh, 4), m2), 4);
  const __m256i h3 = _mm256_slli_epi16 (_mm256_and_si256 (_mm256_srli_epi16 (bitsh, 6), m2), 4);

  q[0] = _mm256_or_si256 (_mm256_and_si256 (bits1, m4), h0);
  q[1] = _mm256_or_si256 (_mm256_and_si256 (bits2, m4), h1);
  q[2] = _mm256_or_si256 (_mm256_and_si256 (_mm256_srli_epi16 (bits1, 4), m4), h2);
  q[3] = _mm256_or_si256 (_mm256_and_si256 (_mm256_srli_epi16 (bits2, 4), m4), h3);
}

/* 32 Σ_g scale_g bsum_g: the -32 offset of the Q6_K quants, applied once per super-block from
 * the activations' 16-element sums instead of per product (the integer sum is the same). */
static inline __m256i
q6_offset (const gint8         *scales,
           const ScBlockQ8KAct *x)
{
  const __m256i sc = _mm256_cvtepi8_epi16 (_mm_loadu_si128 ((const __m128i *) scales));
  const __m256i bsums = _mm256_loadu_si256 ((const __m256i *) x->bsums);

  return _mm256_slli_epi32 (_mm256_madd_epi16 (sc, bsums), 5);
}

static float
vec_dot_q6_k (const void *wv,
              const void *xv,
              gint64      K)
{
  const ScBlockQ6_K *w = wv;
  const ScBlockQ8KAct *x = xv;
  __m256 acc = _mm256_setzero_ps ();

  for (gint64 i = 0; i < K / SC_QK_K; i++)
    {
      __m256i sumi = _mm256_sub_epi32 (_mm256_setzero_si256 (), q6_offset (w[i].scales, &x[i]));

      for (int half = 0; half < 2; half++)
        {
          const gint8 *q8 = x[i].qs + 128 * half;
          __m256i q[4];

          unpack_q6_half (w[i].ql + 64 * half, w[i].qh + 32 * half, q);
          for (int k = 0; k < 4; k++)
            {
              const __m256i y = _mm256_loadu_si256 ((const __m256i *) (q8 + 32 * k));
              const __m256i p = _mm256_madd_epi16 (pair_scales (w[i].scales, 8 * half + 2 * k),
                                                   _mm256_maddubs_epi16 (q[k], y));

              sumi = _mm256_add_epi32 (sumi, p);
            }
        }
      acc = _mm256_fmadd_ps (_mm256_set1_ps (x[i].d * fp16 (w[i].d)), _mm256_cvtepi32_ps (sumi),
                             acc);
    }
  return hsum_ps (acc);
}

/* Four columns of Q6_K: the quants and scales unpacked once per half super-block. */
static void
vec_dot4_q6_k (const void *wv,
               const void *xv,
               gsize       x_stride,
               gint64      K,
               float      *out)
{
  const ScBlockQ6_K *w = wv;
  __m256 acc[4];

  for (int c = 0; c < 4; c++)
    acc[c] = _mm256_setzero_ps ();
  for (gint64 i = 0; i < K / SC_QK_K; i++)
    {
      const ScBlockQ8KAct *x[4];
      __m256i sumi[4];
      const float d = fp16 (w[i].d);

      for (int c = 0; c < 4; c++)
        {
          x[c] = (const ScBlockQ8KAct *) ((const guint8 *) xv + c * x_stride) + i;
          sumi[c] = _mm256_sub_epi32 (_mm256_setzero_si256 (), q6_offset (w[i].scales, x[c]));
        }
      for (int half = 0; half < 2; half++)
        {
          __m256i q[4], sc[4];

          unpack_q6_half (w[i].ql + 64 * half, w[i].qh + 32 * half, q);
          for (int k = 0; k < 4; k++)
            sc[k] = pair_scales (w[i].scales, 8 * half + 2 * k);
          for (int c = 0; c < 4; c++)
            {
              const gint8 *q8 = x[c]->qs + 128 * half;

              for (int k = 0; k < 4; k++)
                {
                  const __m256i y = _mm256_loadu_si256 ((const __m256i *) (q8 + 32 * k));

                  sumi[c] = _mm256_add_epi32 (sumi[c], _mm256_madd_epi16 (
                                                sc[k], _mm256_maddubs_epi16 (q[k], y)));
                }
            }
        }
      for (int c = 0; c < 4; c++)
        acc[c] = _mm256_fmadd_ps (_mm256_set1_ps (x[c]->d * d), _mm256_cvtepi32_ps (sumi[c]),
                                  acc[c]);
    }
  for (int c = 0; c < 4; c++)
    out[c] = hsum_ps (acc[c]);
}

/* ---------------------------------------------------------------- activations */

/* 32 floats times @id to bytes, rounded to nearest even as in the references (one product
 * each, not fused). Sets the int32 partial sums of quants 0..15 and 16..31. */
static inline void
quantize_32 (const float *x,
             float        id,
             gint8       *qs,
             __m256i     *sum_lo,
             __m256i     *sum_hi)
{
  const __m256 mul = _mm256_set1_ps (id);
  const int round = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;
  __m256i i0 = _mm256_cvtps_epi32 (_mm256_round_ps (_mm256_mul_ps (_mm256_loadu_ps (x), mul),
                                                    round));
  __m256i i1 = _mm256_cvtps_epi32 (_mm256_round_ps (_mm256_mul_ps (_mm256_loadu_ps (x + 8), mul),
                                                    round));
  __m256i i2 = _mm256_cvtps_epi32 (_mm256_round_ps (_mm256_mul_ps (_mm256_loadu_ps (x + 16),
                                                                   mul), round));
  __m256i i3 = _mm256_cvtps_epi32 (_mm256_round_ps (_mm256_mul_ps (_mm256_loadu_ps (x + 24),
                                                                   mul), round));
  __m256i packed;

  *sum_lo = _mm256_add_epi32 (i0, i1);
  *sum_hi = _mm256_add_epi32 (i2, i3);
  /* Pack to bytes (saturating at 127, as the references clamp); packs interleave the 128-bit
   * lanes, the permute restores the order. */
  packed = _mm256_packs_epi16 (_mm256_packs_epi32 (i0, i1), _mm256_packs_epi32 (i2, i3));
  packed = _mm256_permutevar8x32_epi32 (packed, _mm256_setr_epi32 (0, 4, 1, 5, 2, 6, 3, 7));
  _mm256_storeu_si256 ((__m256i *) qs, packed);
}

static inline float
max_abs (const float *x,
         int          n)
{
  const __m256 sign = _mm256_set1_ps (-0.0f);
  __m256 m = _mm256_setzero_ps ();
  __m128 m4;

  for (int i = 0; i < n; i += 8)
    m = _mm256_max_ps (m, _mm256_andnot_ps (sign, _mm256_loadu_ps (x + i)));
  m4 = _mm_max_ps (_mm256_extractf128_ps (m, 1), _mm256_castps256_ps128 (m));
  m4 = _mm_max_ps (m4, _mm_movehl_ps (m4, m4));
  m4 = _mm_max_ss (m4, _mm_movehdup_ps (m4));
  return _mm_cvtss_f32 (m4);
}

static inline float
round_fp16 (float f)
{
  return _cvtsh_ss (_cvtss_sh (f, _MM_FROUND_TO_NEAREST_INT));
}

/* ggml's AVX2 quantize_row_q8_0 / q8_1. */
static void
quantize_q8 (const float *x,
             void        *dst,
             gint64       n_blocks)
{
  ScBlockQ8Act *y = dst;

  for (gint64 b = 0; b < n_blocks; b++, x += 32)
    {
      const float amax = max_abs (x, 32);
      const float d = amax / 127.0f;
      __m256i lo, hi;

      quantize_32 (x, amax != 0.0f ? 127.0f / amax : 0.0f, y[b].qs, &lo, &hi);
      y[b].d = round_fp16 (d);
      y[b].s = round_fp16 (d * (float) hsum_epi32 (_mm256_add_epi32 (lo, hi)));
    }
}

/* ggml's quantize_row_q8_K_ref: the scale comes from the signed element of largest magnitude
 * (the first one), so d is negative when that element is positive. */
static void
quantize_q8k (const float *x,
              void        *dst,
              gint64       n_blocks)
{
  ScBlockQ8KAct *y = dst;

  for (gint64 b = 0; b < n_blocks; b++, x += SC_QK_K)
    {
      const float amax = max_abs (x, SC_QK_K);
      const __m256 sign = _mm256_set1_ps (-0.0f), vmax = _mm256_set1_ps (amax);
      float max = 0.0f, iscale;

      if (amax == 0.0f)
        {
          memset (&y[b], 0, sizeof y[b]);
          continue;
        }
      for (int i = 0; i < SC_QK_K; i += 8)
        {
          const __m256 v = _mm256_loadu_ps (x + i);
          const int mask = _mm256_movemask_ps (_mm256_cmp_ps (_mm256_andnot_ps (sign, v), vmax,
                                                              _CMP_EQ_OQ));

          if (mask != 0)
            {
              max = x[i + __builtin_ctz ((unsigned) mask)];
              break;
            }
        }
      iscale = -127.0f / max;
      y[b].d = 1.0f / iscale;
      for (int j = 0; j < SC_QK_K / 32; j++)
        {
          __m256i lo, hi;

          quantize_32 (x + 32 * j, iscale, y[b].qs + 32 * j, &lo, &hi);
          y[b].bsums[2 * j] = (gint16) hsum_epi32 (lo);
          y[b].bsums[2 * j + 1] = (gint16) hsum_epi32 (hi);
        }
    }
}

static void
convert_f16 (const float *x,
             guint16     *dst,
             gint64       n)
{
  gint64 i = 0;

  for (; i + 8 <= n; i += 8)
    _mm_storeu_si128 ((__m128i *) (dst + i),
                      _mm256_cvtps_ph (_mm256_loadu_ps (x + i), _MM_FROUND_TO_NEAREST_INT));
  for (; i < n; i++)
    dst[i] = _cvtss_sh (x[i], _MM_FROUND_TO_NEAREST_INT);
}

/* Round to nearest even by adding 0x7fff plus the lowest kept bit; NaNs keep their top bits
 * with the quiet bit set (sc_fp32_to_bf16()). */
static void
convert_bf16 (const float *x,
              guint16     *dst,
              gint64       n)
{
  gint64 i = 0;

  for (; i + 8 <= n; i += 8)
    {
      const __m256 v = _mm256_loadu_ps (x + i);
      const __m256i u = _mm256_castps_si256 (v);
      const __m256i lsb = _mm256_and_si256 (_mm256_srli_epi32 (u, 16), _mm256_set1_epi32 (1));
      __m256i r = _mm256_srli_epi32 (_mm256_add_epi32 (u, _mm256_add_epi32 (
                                       lsb, _mm256_set1_epi32 (0x7fff))), 16);
      const __m256i nan = _mm256_or_si256 (_mm256_srli_epi32 (u, 16), _mm256_set1_epi32 (0x40));
      const __m256i is_nan = _mm256_castps_si256 (_mm256_cmp_ps (v, v, _CMP_UNORD_Q));
      __m128i packed;

      r = _mm256_blendv_epi8 (r, nan, is_nan);
      packed = _mm_packus_epi32 (_mm256_castsi256_si128 (r), _mm256_extracti128_si256 (r, 1));
      _mm_storeu_si128 ((__m128i *) (dst + i), packed);
    }
  for (; i < n; i++)
    dst[i] = sc_fp32_to_bf16 (x[i]);
}

/* ---------------------------------------------------------------- attention helpers */

static void
mad_f32 (float       *acc,
         const float *v,
         float        c,
         float        e,
         gint64       n)
{
  const __m256 vc = _mm256_set1_ps (c), ve = _mm256_set1_ps (e);
  gint64 i = 0;

  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps (acc + i, _mm256_fmadd_ps (ve, _mm256_loadu_ps (v + i),
                                                _mm256_mul_ps (_mm256_loadu_ps (acc + i), vc)));
  for (; i < n; i++)
    acc[i] = acc[i] * c + e * v[i];
}

static void
mad_f16 (float         *acc,
         const guint16 *v,
         float          c,
         float          e,
         gint64         n)
{
  const __m256 vc = _mm256_set1_ps (c), ve = _mm256_set1_ps (e);
  gint64 i = 0;

  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps (acc + i, _mm256_fmadd_ps (ve, load_f16x8 (v + i),
                                                _mm256_mul_ps (_mm256_loadu_ps (acc + i), vc)));
  for (; i < n; i++)
    acc[i] = acc[i] * c + e * fp16 (v[i]);
}

/* ---------------------------------------------------------------- table */

static const ScCpuKernels avx2_kernels = {
  .name = "avx2",
  .vec_dot = {
    [SC_TENSOR_TYPE_F32] = vec_dot_f32,
    [SC_TENSOR_TYPE_F16] = vec_dot_f16,
    [SC_TENSOR_TYPE_BF16] = vec_dot_bf16,
    [SC_TENSOR_TYPE_Q4_0] = vec_dot_q4_0,
    [SC_TENSOR_TYPE_Q4_1] = vec_dot_q4_1,
    [SC_TENSOR_TYPE_Q5_0] = vec_dot_q5_0,
    [SC_TENSOR_TYPE_Q5_1] = vec_dot_q5_1,
    [SC_TENSOR_TYPE_Q8_0] = vec_dot_q8_0,
    [SC_TENSOR_TYPE_Q4_K] = vec_dot_q4_k,
    [SC_TENSOR_TYPE_Q5_K] = vec_dot_q5_k,
    [SC_TENSOR_TYPE_Q6_K] = vec_dot_q6_k,
  },
  .vec_dot4 = {
    [SC_TENSOR_TYPE_Q4_0] = vec_dot4_q4_0,
    [SC_TENSOR_TYPE_Q8_0] = vec_dot4_q8_0,
    [SC_TENSOR_TYPE_Q4_K] = vec_dot4_q4_k,
    [SC_TENSOR_TYPE_Q5_K] = vec_dot4_q5_k,
    [SC_TENSOR_TYPE_Q6_K] = vec_dot4_q6_k,
  },
  .quantize_q8 = quantize_q8,
  .quantize_q8k = quantize_q8k,
  .convert_f16 = convert_f16,
  .convert_bf16 = convert_bf16,
  .mad_f32 = mad_f32,
  .mad_f16 = mad_f16,
};

const ScCpuKernels *
sc_cpu_kernels_avx2 (void)
{
  return &avx2_kernels;
}
