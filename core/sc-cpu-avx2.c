/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cpu-avx2.c: the CPU backend's vector kernels for x86-64 with AVX2, FMA and F16C. Compiled
 * with those instructions enabled into a separate unit; sc_cpu_kernels_get() only hands this
 * table out when the CPU has them.
 *
 * The quantised dot products follow the scheme of ggml's x86 kernels: weights are unpacked to
 * bytes 32 at a time, multiplied with the 8-bit activations by vpmaddubsw (unsigned x signed
 * byte pairs summed to 16 bits; signed weights go through the sign trick, |w| x sign(w) * x),
 * widened to 32 bits by vpmaddwd, and each block's integer sum is scaled into a float
 * accumulator with one FMA. No intermediate can overflow: activations are within [-127, 127]
 * (sc-ops-ref.h), weights within [-32, 63]. The K-quants, and on CPUs with AVX-VNNI Q4_0, Q5_0
 * and Q8_0, sum in the lane order of the prompt kernels of sc-cpu-gemm-avx2.c (one lane per
 * block or sub-block), so that both give the same bits. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <immintrin.h>
#include <string.h>

#include "sc-cpu-avx2-private.h"
#include "sc-cpu-private.h"

/* ---------------------------------------------------------------- float weights */

/* F16 and BF16 weights meet activations converted to the same type (ggml's vec_dot_type):
 * every product is exact in float. Two accumulators over 16 elements, the tail of 8 into the
 * first, then hsum_tree_ps() and the last elements one by one: the order of the register-tiled
 * gemm_float() of sc-cpu-gemm-avx2.c. */
static inline float
vec_dot_float (ScTensorType  type,
               const void   *w,
               const void   *x,
               gint64        K)
{
  __m256 acc0 = _mm256_setzero_ps (), acc1 = _mm256_setzero_ps ();
  gint64 i = 0;
  float sum;

  for (; i + 16 <= K; i += 16)
    {
      acc0 = _mm256_fmadd_ps (load8_float (type, w, i), load8_float (type, x, i), acc0);
      acc1 = _mm256_fmadd_ps (load8_float (type, w, i + 8), load8_float (type, x, i + 8), acc1);
    }
  if (i + 8 <= K)
    {
      acc0 = _mm256_fmadd_ps (load8_float (type, w, i), load8_float (type, x, i), acc0);
      i += 8;
    }
  sum = hsum_tree_ps (_mm256_add_ps (acc0, acc1));
  for (; i < K; i++)
    sum += load1_float (type, w, i) * load1_float (type, x, i);
  return sum;
}

static float
vec_dot_f32 (const void *w,
             const void *x,
             gint64      K)
{
  return vec_dot_float (SC_TENSOR_TYPE_F32, w, x, K);
}

static float
vec_dot_f16 (const void *w,
             const void *x,
             gint64      K)
{
  return vec_dot_float (SC_TENSOR_TYPE_F16, w, x, K);
}

static float
vec_dot_bf16 (const void *w,
              const void *x,
              gint64      K)
{
  return vec_dot_float (SC_TENSOR_TYPE_BF16, w, x, K);
}

static inline __m256
load_f16x8 (const guint16 *p)
{
  return _mm256_cvtph_ps (_mm_loadu_si128 ((const __m128i *) p));
}

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

static inline guint16
load_u16 (const guint8 *p)
{
  guint16 v;

  memcpy (&v, p, sizeof v);
  return v;
}

/* The order of the repacked prompt kernels (sc-cpu-gemm-avx2.c) for Q4_0, Q5_0 and Q8_0 rows
 * whose length they handle: blocks in groups of 8, lane b of one vector the exact integer sum
 * of block b, scaled by the 8 dw dx with one FMA per group; finally hsum_tree_ps(). Other
 * lengths keep the order of vec_dot_q4_0 & co. A group is written out block by block, so that
 * nothing goes through memory whatever the optimisation level, and its scales are gathered
 * with inserts (vpgatherdd is slow on many processors). */
G_ALWAYS_INLINE static inline float
vec_dot_q32_grouped (ScTensorType         type,
                     gsize                block_size,
                     const guint8        *w,
                     const ScBlockQ8Act  *x,
                     gint64               K)
{
  __m256 acc = _mm256_setzero_ps ();

  for (gint64 g = 0; g < K / 256; g++, x += 8, w += 8 * block_size)
    {
      __m128i dh = _mm_setzero_si128 ();
      __m128 dx_lo = _mm_load_ss (&x[0].d), dx_hi = _mm_load_ss (&x[4].d);
      __m256i v[8];

#define BLOCK(b)                                                                            \
      v[(b)] = mul_sum_i8_pairs (unpack_q32 (type, w + (b) * block_size),                  \
                                 _mm256_loadu_si256 ((const __m256i *) x[(b)].qs));             \
      dh = _mm_insert_epi16 (dh, load_u16 (w + (b) * block_size), (b));
      BLOCK (0) BLOCK (1) BLOCK (2) BLOCK (3) BLOCK (4) BLOCK (5) BLOCK (6) BLOCK (7)
#undef BLOCK
#define INSERT_DX(b)                                                                        \
      dx_lo = _mm_insert_ps (dx_lo, _mm_load_ss (&x[(b)].d), (b) << 4);                     \
      dx_hi = _mm_insert_ps (dx_hi, _mm_load_ss (&x[(b) + 4].d), (b) << 4);
      INSERT_DX (1) INSERT_DX (2) INSERT_DX (3)
#undef INSERT_DX
      acc = _mm256_fmadd_ps (_mm256_mul_ps (_mm256_cvtph_ps (dh), _mm256_set_m128 (dx_hi, dx_lo)),
                             _mm256_cvtepi32_ps (reduce8_epi32 (v)), acc);
    }
  return hsum_tree_ps (acc);
}

static inline gboolean
grouped_length (gint64 K)
{
  return K % 256 == 0;
}

static float
vec_dot_q4_0_grouped (const void *w,
                      const void *x,
                      gint64      K)
{
  if (!grouped_length (K))
    return vec_dot_q4_0 (w, x, K);
  return vec_dot_q32_grouped (SC_TENSOR_TYPE_Q4_0, sizeof (ScBlockQ4_0), w, x, K);
}

static float
vec_dot_q5_0_grouped (const void *w,
                      const void *x,
                      gint64      K)
{
  if (!grouped_length (K))
    return vec_dot_q5_0 (w, x, K);
  return vec_dot_q32_grouped (SC_TENSOR_TYPE_Q5_0, sizeof (ScBlockQ5_0), w, x, K);
}

static float
vec_dot_q8_0_grouped (const void *w,
                      const void *x,
                      gint64      K)
{
  if (!grouped_length (K))
    return vec_dot_q8_0 (w, x, K);
  return vec_dot_q32_grouped (SC_TENSOR_TYPE_Q8_0, sizeof (ScBlockQ8_0), w, x, K);
}

/* Four columns at a time, for the lengths the repacked kernels skip (the others in the grouped
 * order, column by column). */
#define VEC_DOT4(name, BLOCK, Q8, GROUPED)                                                  \
  static void                                                                               \
  name (const void *w,                                                                      \
        const void *x,                                                                      \
        gsize       x_stride,                                                               \
        gint64      K,                                                                      \
        float      *out)                                                                    \
  {                                                                                         \
    if (!grouped_length (K))                                                                \
      dot4_q32_signed (w, sizeof (BLOCK), Q8, x, x_stride, K, out);                         \
    else                                                                                    \
      for (int c = 0; c < 4; c++)                                                           \
        out[c] = GROUPED (w, (const guint8 *) x + c * x_stride, K);                         \
  }

VEC_DOT4 (vec_dot4_q4_0, ScBlockQ4_0, FALSE, vec_dot_q4_0_grouped)
VEC_DOT4 (vec_dot4_q8_0, ScBlockQ8_0, TRUE, vec_dot_q8_0_grouped)

#undef VEC_DOT4

/* ---------------------------------------------------------------- K-quants */

/* Every K-quant super-block is summed in one fixed order, shared with the register-tiled
 * kernels of sc-cpu-gemm-avx2.c so that a prompt's columns are bit-identical to mat-vec
 * results: lane j of an int32 vector holds the exact scaled sum S_j of sub-block j (weights
 * 32 j .. 32 j + 31), another the exact minimum or offset term O_j (k_quant_offset());
 * acc = fma (d dx, S, acc), acc = fnma (dmin dx, O, acc) per super-block (Q6_K: dmin = d);
 * finally hsum_tree_ps (acc). */

static inline __m256
k_quant_step (__m256  acc,
              float   d,
              float   dmin,
              float   dx,
              __m256i S,
              __m256i O)
{
  acc = _mm256_fmadd_ps (_mm256_set1_ps (d * dx), _mm256_cvtepi32_ps (S), acc);
  return _mm256_fnmadd_ps (_mm256_set1_ps (dmin * dx), _mm256_cvtepi32_ps (O), acc);
}

/* The same for Q4_K and Q5_K from the block's adjacent halves @dm (d, then dmin), converted
 * together. */
static inline __m256
k_quant_step_dm (__m256         acc,
                 const guint16 *dm,
                 float          dx,
                 __m256i        S,
                 __m256i        O)
{
  guint32 bits;
  __m128 f;

  memcpy (&bits, dm, sizeof bits);
  f = _mm_mul_ps (_mm_cvtph_ps (_mm_cvtsi32_si128 ((int) bits)), _mm_set1_ps (dx));
  acc = _mm256_fmadd_ps (_mm256_broadcastss_ps (f), _mm256_cvtepi32_ps (S), acc);
  return _mm256_fnmadd_ps (_mm256_broadcastss_ps (_mm_movehdup_ps (f)), _mm256_cvtepi32_ps (O),
                           acc);
}

/* One super-block of Q5_K (or Q4_K with @qh NULL): S and O as above. The sub-block sums
 * are reduced first and scaled once, by a vpmulld, instead of per sub-block. */
G_ALWAYS_INLINE static inline void
k4_block (const guint8        *scales_packed,
          const guint8        *qs,
          const guint8        *qh,
          const ScBlockQ8KAct *x,
          __m256i             *S,
          __m256i             *O)
{
  const __m256i m4 = _mm256_set1_epi8 (0xf);
  const __m256i ones = _mm256_set1_epi16 (1);
  const __m128i sm = unpack_scales_mins_k4 (scales_packed);
  /* Each min twice, as 16 bits, against the two bsums of its sub-block. */
  const __m256i mins = _mm256_cvtepu8_epi16 (_mm_shuffle_epi8 (sm, _mm_setr_epi8 (
                         8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15)));
  const __m256i hbits = qh ? _mm256_loadu_si256 ((const __m256i *) qh) : _mm256_setzero_si256 ();
  const gint8 *q8 = x->qs;
  __m256i v[8];

  /* Part p: weights 64 p .. 64 p + 63, sub-blocks 2 p (low nibbles) and 2 p + 1 (high). */
#define PART(p)                                                                             \
  const __m256i bits##p = _mm256_loadu_si256 ((const __m256i *) (qs + 32 * (p)));           \
  __m256i ql##p = _mm256_and_si256 (bits##p, m4);                                           \
  __m256i qh##p = _mm256_and_si256 (_mm256_srli_epi16 (bits##p, 4), m4);                    \
                                                                                            \
  if (qh != NULL)                                                                           \
    {                                                                                       \
      const __m256i bl = _mm256_set1_epi8 ((char) (1 << (2 * (p))));                       \
      const __m256i bh = _mm256_set1_epi8 ((char) (1 << (2 * (p) + 1)));                   \
      const __m256i sixteen = _mm256_set1_epi8 (16);                                        \
                                                                                            \
      ql##p = _mm256_add_epi8 (ql##p, _mm256_and_si256 (                                    \
                _mm256_cmpeq_epi8 (_mm256_and_si256 (hbits, bl), bl), sixteen));            \
      qh##p = _mm256_add_epi8 (qh##p, _mm256_and_si256 (                                    \
                _mm256_cmpeq_epi8 (_mm256_and_si256 (hbits, bh), bh), sixteen));            \
    }                                                                                       \
  v[2 * (p)] = _mm256_madd_epi16 (_mm256_maddubs_epi16 (                                    \
    ql##p, _mm256_loadu_si256 ((const __m256i *) (q8 + 64 * (p)))), ones);                  \
  v[2 * (p) + 1] = _mm256_madd_epi16 (_mm256_maddubs_epi16 (                                \
    qh##p, _mm256_loadu_si256 ((const __m256i *) (q8 + 64 * (p) + 32))), ones);
  PART (0) PART (1) PART (2) PART (3)
#undef PART
  *S = _mm256_mullo_epi32 (reduce8_epi32 (v), _mm256_cvtepu8_epi32 (sm));
  *O = _mm256_madd_epi16 (mins, _mm256_loadu_si256 ((const __m256i *) x->bsums));
}

/* The same for Q4_K, summed in 16 bits first: its quants are at most 15, so 8 vpmaddubsw
 * results add up without overflow (|Σ| ≤ 8 · 2 · 15 · 127 = 30480). Sub-blocks j and j + 4 are
 * brought together in one vector (j in the low 128 bits), and three rounds of unpacks and adds
 * leave the two 16-bit halves of sub-block j's sum in 32-bit lane j, which one vpmaddwd with
 * the scales turns into S: ten vector operations fewer than widening each sub-block to 32
 * bits, reducing and multiplying. */
G_ALWAYS_INLINE static inline void
q4k_block (const guint8        *scales_packed,
           const guint8        *qs,
           const ScBlockQ8KAct *x,
           __m256i             *S,
           __m256i             *O)
{
  const __m256i m4 = _mm256_set1_epi8 (0xf);
  const __m128i sm = unpack_scales_mins_k4 (scales_packed);
  const __m256i scales = _mm256_cvtepu8_epi16 (_mm_shuffle_epi8 (sm, _mm_setr_epi8 (
                           0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7)));
  const __m256i mins = _mm256_cvtepu8_epi16 (_mm_shuffle_epi8 (sm, _mm_setr_epi8 (
                         8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15)));
  const gint8 *q8 = x->qs;
  __m256i v[8], z[4], w01, w23;

  /* Part p: weights 64 p .. 64 p + 63, sub-blocks 2 p (low nibbles) and 2 p + 1 (high). */
#define PART(p)                                                                               {                                                                                             const __m256i bits = _mm256_loadu_si256 ((const __m256i *) (qs + 32 * (p)));                                                                                                            v[2 * (p)] = _mm256_maddubs_epi16 (_mm256_and_si256 (bits, m4), _mm256_loadu_si256 (                                             (const __m256i *) (q8 + 64 * (p))));                   v[2 * (p) + 1] = _mm256_maddubs_epi16 (                                                       _mm256_and_si256 (_mm256_srli_epi16 (bits, 4), m4),                                         _mm256_loadu_si256 ((const __m256i *) (q8 + 64 * (p) + 32)));                           }
  PART (0) PART (1) PART (2) PART (3)
#undef PART
#define CROSS(j)                                                                              z[j] = _mm256_add_epi16 (_mm256_permute2x128_si256 (v[j], v[(j) + 4], 0x20),                                         _mm256_permute2x128_si256 (v[j], v[(j) + 4], 0x31));
  CROSS (0) CROSS (1) CROSS (2) CROSS (3)
#undef CROSS
  w01 = _mm256_add_epi16 (_mm256_unpacklo_epi32 (z[0], z[1]), _mm256_unpackhi_epi32 (z[0], z[1]));
  w23 = _mm256_add_epi16 (_mm256_unpacklo_epi32 (z[2], z[3]), _mm256_unpackhi_epi32 (z[2], z[3]));
  *S = _mm256_madd_epi16 (_mm256_add_epi16 (_mm256_unpacklo_epi64 (w01, w23),
                                            _mm256_unpackhi_epi64 (w01, w23)), scales);
  *O = _mm256_madd_epi16 (mins, _mm256_loadu_si256 ((const __m256i *) x->bsums));
}

static float
vec_dot_q4_k (const void *wv,
              const void *xv,
              gint64      K)
{
  const ScBlockQ4_K *w = wv;
  const ScBlockQ8KAct *x = xv;
  __m256 acc = _mm256_setzero_ps ();

  for (gint64 i = 0; i < K / SC_QK_K; i++)
    {
      __m256i S, O;

      q4k_block (w[i].scales, w[i].qs, &x[i], &S, &O);
      acc = k_quant_step_dm (acc, &w[i].d, x[i].d, S, O);
    }
  return hsum_tree_ps (acc);
}

static float
vec_dot_q5_k (const void *wv,
              const void *xv,
              gint64      K)
{
  const ScBlockQ5_K *w = wv;
  const ScBlockQ8KAct *x = xv;
  __m256 acc = _mm256_setzero_ps ();

  for (gint64 i = 0; i < K / SC_QK_K; i++)
    {
      __m256i S, O;

      k4_block (w[i].scales, w[i].qs, w[i].qh, &x[i], &S, &O);
      acc = k_quant_step_dm (acc, &w[i].d, x[i].d, S, O);
    }
  return hsum_tree_ps (acc);
}

static float
vec_dot_q6_k (const void *wv,
              const void *xv,
              gint64      K)
{
  const ScBlockQ6_K *w = wv;
  const ScBlockQ8KAct *x = xv;
  const __m128i even_odd = _mm_setr_epi8 (0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
  const __m256i ones = _mm256_set1_epi16 (1);
  __m256 acc = _mm256_setzero_ps ();

  for (gint64 i = 0; i < K / SC_QK_K; i++)
    {
      const __m128i sc8 = _mm_loadu_si128 ((const __m128i *) w[i].scales);
      const __m128i sc_eo = _mm_shuffle_epi8 (sc8, even_odd);
      const float d = fp16 (w[i].d);
      __m256i q[4], v[8], lo, hi, S, O;

      /* Each half consumed as soon as it is unpacked, so that the sums stay in registers. */
#define PART(k)                                                                             \
      v[(k)] = _mm256_maddubs_epi16 (q[(k) % 4], _mm256_loadu_si256 (                      \
                                       (const __m256i *) (x[i].qs + 32 * (k))));
      unpack_q6_half (w[i].ql, w[i].qh, q);
      PART (0) PART (1) PART (2) PART (3)
      unpack_q6_half (w[i].ql + 64, w[i].qh + 32, q);
      PART (4) PART (5) PART (6) PART (7)
#undef PART
      /* Lane j: the first and the second 16 weights of sub-block j, scaled apart. Pairs of
       * vpmaddubsw results (|Σ| ≤ 2 · 2 · 63 · 127 = 32004) are added in 16 bits within each
       * half, then widened, added in pairs again and the halves put in order. */
      {
        const __m256i h01 = _mm256_madd_epi16 (_mm256_hadd_epi16 (v[0], v[1]), ones);
        const __m256i h23 = _mm256_madd_epi16 (_mm256_hadd_epi16 (v[2], v[3]), ones);
        const __m256i h45 = _mm256_madd_epi16 (_mm256_hadd_epi16 (v[4], v[5]), ones);
        const __m256i h67 = _mm256_madd_epi16 (_mm256_hadd_epi16 (v[6], v[7]), ones);
        const __m256i l0 = _mm256_hadd_epi32 (h01, h23), l1 = _mm256_hadd_epi32 (h45, h67);
        lo = _mm256_permute2x128_si256 (l0, l1, 0x20);
        hi = _mm256_permute2x128_si256 (l0, l1, 0x31);
      }
      S = _mm256_add_epi32 (_mm256_mullo_epi32 (lo, _mm256_cvtepi8_epi32 (sc_eo)),
                            _mm256_mullo_epi32 (hi, _mm256_cvtepi8_epi32 (
                                                  _mm_srli_si128 (sc_eo, 8))));
      /* The -32 offset: 32 Σ scale_i bsum_i, lane j over sub-blocks 2 j and 2 j + 1. */
      O = _mm256_madd_epi16 (_mm256_slli_epi16 (_mm256_cvtepi8_epi16 (sc8), 5),
                             _mm256_loadu_si256 ((const __m256i *) x[i].bsums));
      acc = k_quant_step (acc, d, d, x[i].d, S, O);
    }
  return hsum_tree_ps (acc);
}

/* ---------------------------------------------------------------- activations */

/* A macro, not a const int: the rounding mode must be an immediate, also at -O0. */
#define ROUND_NEAREST (_MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)

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
  __m256i i0 = _mm256_cvtps_epi32 (_mm256_round_ps (_mm256_mul_ps (_mm256_loadu_ps (x), mul),
                                                    ROUND_NEAREST));
  __m256i i1 = _mm256_cvtps_epi32 (_mm256_round_ps (_mm256_mul_ps (_mm256_loadu_ps (x + 8), mul),
                                                    ROUND_NEAREST));
  __m256i i2 = _mm256_cvtps_epi32 (_mm256_round_ps (_mm256_mul_ps (_mm256_loadu_ps (x + 16),
                                                                   mul), ROUND_NEAREST));
  __m256i i3 = _mm256_cvtps_epi32 (_mm256_round_ps (_mm256_mul_ps (_mm256_loadu_ps (x + 24),
                                                                   mul), ROUND_NEAREST));
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

static inline void
widen_row (ScTensorType   type,
           const guint16 *x,
           float         *dst,
           gint64         n)
{
  gint64 i = 0;

  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps (dst + i, load8_float (type, x, i));
  for (; i < n; i++)
    dst[i] = load1_float (type, x, i);
}

static void
widen_f16 (const guint16 *x,
           float         *dst,
           gint64         n)
{
  widen_row (SC_TENSOR_TYPE_F16, x, dst, n);
}

static void
widen_bf16 (const guint16 *x,
            float         *dst,
            gint64         n)
{
  widen_row (SC_TENSOR_TYPE_BF16, x, dst, n);
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
    [SC_TENSOR_TYPE_Q4_0] = vec_dot_q4_0_grouped,
    [SC_TENSOR_TYPE_Q4_1] = vec_dot_q4_1,
    [SC_TENSOR_TYPE_Q5_0] = vec_dot_q5_0_grouped,
    [SC_TENSOR_TYPE_Q5_1] = vec_dot_q5_1,
    [SC_TENSOR_TYPE_Q8_0] = vec_dot_q8_0_grouped,
    [SC_TENSOR_TYPE_Q4_K] = vec_dot_q4_k,
    [SC_TENSOR_TYPE_Q5_K] = vec_dot_q5_k,
    [SC_TENSOR_TYPE_Q6_K] = vec_dot_q6_k,
  },
  .vec_dot4 = {
    [SC_TENSOR_TYPE_Q4_0] = vec_dot4_q4_0,
    [SC_TENSOR_TYPE_Q8_0] = vec_dot4_q8_0,
  },
  .gemm = sc_cpu_gemm_avx2,
  .repack_q8_act = sc_cpu_avx2_repack_q8_act,
  .repack_q8k_act = sc_cpu_repack_q8k_act_avx2,
  .gemm_repacked = sc_cpu_avx2_gemm_repacked,
  .quantize_q8 = quantize_q8,
  .quantize_q8k = quantize_q8k,
  .convert_f16 = convert_f16,
  .convert_bf16 = convert_bf16,
  .widen_f16 = widen_f16,
  .widen_bf16 = widen_bf16,
  .mad_f32 = mad_f32,
  .mad_f16 = mad_f16,
};

const ScCpuKernels *
sc_cpu_kernels_avx2 (void)
{
  return &avx2_kernels;
}

/* The AVX2 table with prompt tiles of vpdpbusd on biased activations, once. */
static const ScCpuKernels *
vnni_table (ScCpuKernels          *table,
            gsize                 *initialised,
            const char            *name,
            ScCpuGemmRepackedFunc *gemm_repacked)
{
  if (g_once_init_enter (initialised))
    {
      *table = avx2_kernels;
      table->name = name;
      table->repack_q8_act = sc_cpu_vnni_repack_q8_act;
      table->gemm_repacked = gemm_repacked;
      g_once_init_leave (initialised, 1);
    }
  return table;
}

const ScCpuKernels *
sc_cpu_kernels_avx2_vnni (void)
{
  static ScCpuKernels table;
  static gsize initialised = 0;

  return vnni_table (&table, &initialised, "avx2-vnni", sc_cpu_vnni_gemm_repacked);
}

const ScCpuKernels *
sc_cpu_kernels_avx512_vnni (void)
{
  static ScCpuKernels table;
  static gsize initialised = 0;

  return vnni_table (&table, &initialised, "avx512-vnni", sc_cpu_avx512_gemm_repacked);
}
