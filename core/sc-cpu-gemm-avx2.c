/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cpu-gemm-avx2.c: matmul kernels for prompts (N > 1) on x86-64 with AVX2, FMA and F16C,
 * compiled into the same separate unit as sc-cpu-avx2.c; the vpdpbusd kernels (AVX-VNNI, and
 * AVX-512 VNNI with two columns per register) carry their own target attributes and run only
 * where sc_cpu_kernels_get() found the instructions.
 *
 * Quantised weights (gemm_repacked): activations and panels of 4 weight rows are transposed in
 * groups of 256 values at 4-byte granularity, so that lane j of one vector accumulates the
 * integer sum of block (or K-quant sub-block) j and a group is scaled with a few vector ops
 * instead of one horizontal sum per block and product. Float weights (gemm): FMA tiles, one
 * weight row converted once for several columns of float activations.
 * All of them perform, per output, exactly the float operations of the table's vec_dot (the
 * integer sums are exact whatever the instruction), so batched and single-token results are
 * bit-identical. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <immintrin.h>
#include <string.h>

#include "sc-cpu-avx2-private.h"
#include "sc-cpu-private.h"

/* ---------------------------------------------------------------- helpers */

/* Lane r + 4 c of @acc is the product of weight row r and column c. */
static inline void
store_tile (__m256  acc,
            float  *dst,
            gsize   dst_stride)
{
  _mm_storeu_ps (dst, _mm256_castps256_ps128 (acc));
  _mm_storeu_ps (dst + dst_stride, _mm256_extractf128_ps (acc, 1));
}

/* ---------------------------------------------------------------- float weights */

/* F32, F16 and BF16 weights against float activations (for halves and bfloat16s the converted
 * activations widened back, so each product is that of vec_dot), one weight row at a time
 * against all the tile's columns: each eight weights are converted once for six products,
 * which meet the activations straight from memory. Per product the two accumulators of
 * vec_dot_float() (sc-cpu-avx2.c), whose order of operations it follows exactly. The
 * accumulators are named variables rather than an unrolled array, so that they stay in
 * registers at every optimisation level. */
G_STATIC_ASSERT (SC_CPU_GEMM_COLS == 6); /* reduced in one vector of 8 */
#define FLOAT_COLS(X) X (0) X (1) X (2) X (3) X (4) X (5)

static inline void
gemm_float (ScTensorType  type,
            const void   *wv,
            gsize         w_stride,
            const void   *xv,
            gsize         x_stride,
            gint64        K,
            float        *dst,
            gsize         dst_stride)
{
  const guint8 *w = wv;
  const float *x = xv;
  const gsize xs = x_stride / sizeof (float);
  float out[8];

  for (int r = 0; r < SC_CPU_GEMM_ROWS; r++)
    {
      const guint8 *wr = w + r * w_stride;
#define DECLARE(c) __m256 a##c = _mm256_setzero_ps (), b##c = _mm256_setzero_ps ();
      FLOAT_COLS (DECLARE)
#undef DECLARE
      gint64 i = 0;

      for (; i + 16 <= K; i += 16)
        {
          const __m256 v = load8_float (type, wr, i), u = load8_float (type, wr, i + 8);

#define STEP(c)                                                                             \
          a##c = _mm256_fmadd_ps (v, _mm256_loadu_ps (x + c * xs + i), a##c);             \
          b##c = _mm256_fmadd_ps (u, _mm256_loadu_ps (x + c * xs + i + 8), b##c);
          FLOAT_COLS (STEP)
#undef STEP
        }
      if (i + 8 <= K)
        {
          const __m256 v = load8_float (type, wr, i);

#define STEP(c) a##c = _mm256_fmadd_ps (v, _mm256_loadu_ps (x + c * xs + i), a##c);
          FLOAT_COLS (STEP)
#undef STEP
          i += 8;
        }

      {
#define SUM(c) _mm256_add_ps (a##c, b##c),
        const __m256 sums[8] = { FLOAT_COLS (SUM) _mm256_setzero_ps (), _mm256_setzero_ps () };
#undef SUM

        _mm256_storeu_ps (out, reduce8_ps (sums));
      }
      for (int c = 0; c < SC_CPU_GEMM_COLS; c++)
        {
          float sum = out[c];

          for (gint64 k = i; k < K; k++)
            sum += load1_float (type, wr, k) * x[c * xs + k];
          dst[c * dst_stride + r] = sum;
        }
    }
}

#undef FLOAT_COLS

#define GEMM_FLOAT(name, TYPE)                                                              \
  static void                                                                               \
  name (const void *w,                                                                      \
        gsize       w_stride,                                                               \
        const void *x,                                                                      \
        gsize       x_stride,                                                               \
        gint64      K,                                                                      \
        float      *dst,                                                                    \
        gsize       dst_stride)                                                             \
  {                                                                                         \
    gemm_float (TYPE, w, w_stride, x, x_stride, K, dst, dst_stride);                        \
  }

GEMM_FLOAT (gemm_f32, SC_TENSOR_TYPE_F32)
GEMM_FLOAT (gemm_f16, SC_TENSOR_TYPE_F16)
GEMM_FLOAT (gemm_bf16, SC_TENSOR_TYPE_BF16)

#undef GEMM_FLOAT

/* ---------------------------------------------------------------- table */

const ScCpuGemmFunc sc_cpu_gemm_avx2[SC_CPU_N_TYPE_IDS] = {
  [SC_TENSOR_TYPE_F32] = gemm_f32,
  [SC_TENSOR_TYPE_F16] = gemm_f16,
  [SC_TENSOR_TYPE_BF16] = gemm_bf16,
};

/* ---------------------------------------------------------------- repacked blocks
 *
 * A 32-weight block would need a horizontal sum per product and block. Instead, groups of 8
 * blocks are transposed at 4-byte granularity: vector t of a group holds bytes 4t .. 4t + 3 of
 * each of its 8 blocks, so after 8 dot-product steps lane b holds the whole integer sum of
 * block b, and one FMA scales 8 blocks by their dw * dx. The activations are repacked once per
 * matmul, the weights per panel of 4 rows, reused for every column. With vpdpbusd (AVX-VNNI)
 * the activations are biased by 128 to unsigned bytes, as it wants, and the bias comes back
 * out through 128 Σ w per block, kept with the panel; with AVX2 alone a step is |w| times y
 * with w's sign (vpmaddubsw, vpmaddwd), exact because activations are at most 127 in
 * magnitude. Integer block sums are exact, as in vec_dot. */

/* 32-byte blocks @v[b] to vectors @v[t] whose lane b is int32 t of block b. */
static inline void
transpose8_epi32 (__m256i v[8])
{
  __m256i t[8], u[8];

  for (int k = 0; k < 4; k++)
    {
      t[2 * k] = _mm256_unpacklo_epi32 (v[2 * k], v[2 * k + 1]);
      t[2 * k + 1] = _mm256_unpackhi_epi32 (v[2 * k], v[2 * k + 1]);
    }
  for (int k = 0; k < 2; k++)
    {
      u[4 * k] = _mm256_unpacklo_epi64 (t[4 * k], t[4 * k + 2]);
      u[4 * k + 1] = _mm256_unpackhi_epi64 (t[4 * k], t[4 * k + 2]);
      u[4 * k + 2] = _mm256_unpacklo_epi64 (t[4 * k + 1], t[4 * k + 3]);
      u[4 * k + 3] = _mm256_unpackhi_epi64 (t[4 * k + 1], t[4 * k + 3]);
    }
  for (int k = 0; k < 4; k++)
    {
      v[k] = _mm256_permute2x128_si256 (u[k], u[k + 4], 0x20);
      v[k + 4] = _mm256_permute2x128_si256 (u[k], u[k + 4], 0x31);
    }
}

/* Bytes of one repacked group: activations 8 vectors + 8 dx; weights 8 vectors, -128 Σ w per
 * block (8 int32) and 8 dw. */
#define ACT_GROUP_BYTES SC_CPU_REPACKED_GROUP_BYTES
#define W_GROUP_BYTES (8 * 32 + 8 * 4 + 8 * 4)
/* Groups of a panel slice (4 rows: 10 resp. 12 KiB) and columns per pass over the slices. */
#define SLICE_GROUPS 8
#define TILE_COLS_MAX 64

static inline void
repack_q8_act (const void *x,
               void       *dst,
               gint64      n_groups,
               gboolean    biased)
{
  const ScBlockQ8Act *b = x;
  guint8 *out = dst;

  for (gint64 g = 0; g < n_groups; g++, b += 8, out += ACT_GROUP_BYTES)
    {
      const __m256i bias = _mm256_set1_epi8 (biased ? (char) 0x80 : 0);
      __m256i v[8];
      float dx[8];

      for (int k = 0; k < 8; k++)
        {
          v[k] = _mm256_loadu_si256 ((const __m256i *) b[k].qs);
          dx[k] = b[k].d;
        }
      transpose8_epi32 (v);
      for (int t = 0; t < 8; t++)
        _mm256_storeu_si256 ((__m256i *) (out + 32 * t), _mm256_xor_si256 (v[t], bias));
      memcpy (out + 256, dx, sizeof dx);
    }
}

void
sc_cpu_vnni_repack_q8_act (const void *x,
                           void       *dst,
                           gint64      n_groups)
{
  repack_q8_act (x, dst, n_groups, TRUE);
}

void
sc_cpu_avx2_repack_q8_act (const void *x,
                           void       *dst,
                           gint64      n_groups)
{
  repack_q8_act (x, dst, n_groups, FALSE);
}

/* Unpacks groups [0, @n_groups) of 4 Q4_0, Q5_0 or Q8_0 rows into @panel (W_GROUP_BYTES
 * each, group by group, row by row), with -128 Σ w per block if @biased (for the AVX-VNNI
 * tile, whose activations are biased). */
static void
repack_panel (ScTensorType  type,
              gsize         block_size,
              const guint8 *w,
              gsize         row_size,
              gint64        n_groups,
              gboolean      biased,
              guint8       *panel)
{
  for (gint64 g = 0; g < n_groups; g++)
    for (int r = 0; r < 4; r++)
      {
        const guint8 *b = w + r * row_size + g * 8 * block_size;
        guint8 *out = panel + (g * 4 + r) * W_GROUP_BYTES;
        __m256i v[8], corr = _mm256_setzero_si256 ();
        float dw[8];

        for (int k = 0; k < 8; k++)
          {
            guint16 d;

            v[k] = unpack_q32 (type, b + k * block_size);
            memcpy (&d, b + k * block_size, sizeof d);
            dw[k] = _cvtsh_ss (d);
          }
        transpose8_epi32 (v);
        for (int t = 0; t < 8; t++)
          _mm256_storeu_si256 ((__m256i *) (out + 32 * t), v[t]);
        if (biased)
          {
            for (int t = 0; t < 8; t++)
              corr = _mm256_add_epi32 (corr, mul_sum_us8_pairs (_mm256_set1_epi8 (1), v[t]));
            _mm256_storeu_si256 ((__m256i *) (out + 256), _mm256_slli_epi32 (
                                   _mm256_sub_epi32 (_mm256_setzero_si256 (), corr), 7));
          }
        memcpy (out + 288, dw, sizeof dw);
      }
}

/* What every panel tile shares: four rows of a panel against two repacked columns, added to
 * @acc (lane r + 4 c for row r and column c, before the final reduce8_ps()), group by group;
 * a group's BODY runs steps over its vectors t = T0 .. T1 - 1 with TILE_STEPS, each loading two
 * activation vectors and meeting them with every row by STEP (r). */
#define TILE_ROWS(X) X (0) X (1) X (2) X (3)
#define TILE_STEPS(T0, T1, STEP)                                                                \
  for (int t = T0; t < T1; t++)                                                                 \
    {                                                                                           \
      const __m256i y0 = _mm256_loadu_si256 ((const __m256i *) (x0 + 32 * t));                  \
      const __m256i y1 = _mm256_loadu_si256 ((const __m256i *) (x1 + 32 * t));                  \
                                                                                                \
      TILE_ROWS (STEP)                                                                          \
    }
#define TILE_STEP(r, W_BYTES, ACCUMULATE)                                                       \
  {                                                                                             \
    const __m256i q = _mm256_loadu_si256 ((const __m256i *) (panel + r * W_BYTES + 32 * t));  \
                                                                                                \
    a##r##0 = ACCUMULATE (a##r##0, q, y0);                                                      \
    a##r##1 = ACCUMULATE (a##r##1, q, y1);                                                      \
  }
#define TILE_FUNCTION(name, ACT_BYTES, W_BYTES, BODY)                                           \
  static void                                                                                   \
  name (const guint8 *panel,                                                                    \
        gint64        n_groups,                                                                 \
        const guint8 *x0,                                                                       \
        const guint8 *x1,                                                                       \
        __m256        acc[8])                                                                   \
  {                                                                                             \
    for (gint64 g = 0; g < n_groups; g++, x0 += ACT_BYTES, x1 += ACT_BYTES,                     \
         panel += 4 * W_BYTES)                                                                  \
      {                                                                                         \
        BODY                                                                                    \
      }                                                                                         \
  }

/* Q4_0, Q5_0 and Q8_0 tiles. The rows are the inner loop: each activation vector is loaded
 * once per group and met with four rows (three loads for two products, when the columns were
 * the inner loop, kept the load ports rather than the multipliers busy); the accumulators are
 * named so that they stay in registers. Q32_TILE expands with Q32_START (r), the sums'
 * start for row r, and Q32_ACCUMULATE (a, q, y), adding the byte products of each lane:
 *   with AVX-VNNI, vpdpbusd of the biased activations, from the panel's correction;
 *   without, |q| times y with q's sign (vpmaddubsw, vpmaddwd), from zero. */
#define Q32_DECLARE(r) __m256i a##r##0 = Q32_START (r), a##r##1 = a##r##0;
#define Q32_STEP(r) TILE_STEP (r, W_GROUP_BYTES, Q32_ACCUMULATE)
#define Q32_FINISH(r)                                                                           \
  {                                                                                             \
    const __m256 dw = _mm256_loadu_ps ((const float *) (panel + r * W_GROUP_BYTES + 288));      \
                                                                                                \
    acc[r] = _mm256_fmadd_ps (_mm256_mul_ps (dw, _mm256_loadu_ps ((const float *) (x0 + 256))), \
                              _mm256_cvtepi32_ps (a##r##0), acc[r]);                            \
    acc[r + 4] = _mm256_fmadd_ps (_mm256_mul_ps (dw, _mm256_loadu_ps ((const float *) (x1 +    \
                                                                                      256))),   \
                                  _mm256_cvtepi32_ps (a##r##1), acc[r + 4]);                    \
  }
#define Q32_TILE(name)                                                                          \
  TILE_FUNCTION (name, ACT_GROUP_BYTES, W_GROUP_BYTES,                                          \
                 TILE_ROWS (Q32_DECLARE) TILE_STEPS (0, 8, Q32_STEP) TILE_ROWS (Q32_FINISH))

static inline __m256i
signed_dot_pairs (__m256i acc,
                  __m256i q,
                  __m256i y)
{
  return _mm256_add_epi32 (acc, _mm256_madd_epi16 (_mm256_maddubs_epi16 (
                                   _mm256_sign_epi8 (q, q), _mm256_sign_epi8 (y, q)),
                                 _mm256_set1_epi16 (1)));
}

#define Q32_START(r) _mm256_setzero_si256 ()
#define Q32_ACCUMULATE(a, q, y) signed_dot_pairs (a, q, y)
Q32_TILE (panel_tile_q32_avx2)
#undef Q32_ACCUMULATE
#undef Q32_START

#define Q32_START(r) _mm256_loadu_si256 ((const __m256i *) (panel + r * W_GROUP_BYTES + 256))
#define Q32_ACCUMULATE(a, q, y) _mm256_dpbusd_avx_epi32 (a, y, q)
__attribute__ ((target ("avxvnni")))
Q32_TILE (panel_tile_q32_vnni)
#undef Q32_ACCUMULATE
#undef Q32_START

#undef Q32_TILE
#undef Q32_FINISH
#undef Q32_STEP
#undef Q32_DECLARE

/* K-quants: a super-block is one group, lane j standing for sub-block j (weights 32 j ..
 * 32 j + 31), t = 0..3 its first 16 weights, t = 4..7 the others. The activations' sub-block
 * sums (bsums) give the minimum term of Q4_K and Q5_K and the -32 offset of Q6_K:
 *   Q4_K, Q5_K:  d dx Σ_j sc_j isum_j - dmin dx Σ_j m_j bsum32_j
 *   Q6_K:        d dx Σ_j (sc_2j isum_lo_j + sc_2j+1 isum_hi_j) - d dx 32 Σ_i sc_i bsum16_i
 * Weight groups hold the unsigned quants (256 bytes), the scales of the first and second halves
 * of each lane (int32 for the vpdpbusd tiles, which multiply int32 sums; the same value in both
 * int16 halves for the AVX2 tiles, which meet int16 sums with vpmaddwd), int16 pairs that
 * vpmaddwd meets with the bsums, and d, dmin. */
#define KACT_GROUP_BYTES SC_CPU_REPACKED_K_GROUP_BYTES
#define KW_GROUP_BYTES 384

/* The float step that ends a group in every K-quant tile, for the panel group @w of one row
 * and columns 0 and 1 with integer sums @s0, @s1 (Σ_j sc_j isum_j), dx and bsums:
 *   acc0 += d dx0 s0 - dmin dx0 Σ m bsum0, and likewise acc1 (the operations of vec_dot). */
static inline void
k_group_finish (const guint8 *w,
                __m256i       s0,
                __m256i       s1,
                __m256        dx0,
                __m256        dx1,
                __m256i       bs0,
                __m256i       bs1,
                __m256       *acc0,
                __m256       *acc1)
{
  const __m256i pairs = _mm256_loadu_si256 ((const __m256i *) (w + 320));
  const __m256 d = _mm256_broadcast_ss ((const float *) (w + 352));
  const __m256 dmin = _mm256_broadcast_ss ((const float *) (w + 356));

  *acc0 = _mm256_fmadd_ps (_mm256_mul_ps (d, dx0), _mm256_cvtepi32_ps (s0), *acc0);
  *acc1 = _mm256_fmadd_ps (_mm256_mul_ps (d, dx1), _mm256_cvtepi32_ps (s1), *acc1);
  *acc0 = _mm256_fnmadd_ps (_mm256_mul_ps (dmin, dx0),
                            _mm256_cvtepi32_ps (_mm256_madd_epi16 (pairs, bs0)), *acc0);
  *acc1 = _mm256_fnmadd_ps (_mm256_mul_ps (dmin, dx1),
                            _mm256_cvtepi32_ps (_mm256_madd_epi16 (pairs, bs1)), *acc1);
}

void
sc_cpu_repack_q8k_act_avx2 (const void *x,
                            void       *dst,
                            gint64      n_groups)
{
  const ScBlockQ8KAct *b = x;
  guint8 *out = dst;

  for (gint64 g = 0; g < n_groups; g++, b++, out += KACT_GROUP_BYTES)
    {
      __m256i v[8];

      for (int k = 0; k < 8; k++)
        v[k] = _mm256_loadu_si256 ((const __m256i *) (b->qs + 32 * k));
      transpose8_epi32 (v);
      for (int t = 0; t < 8; t++)
        _mm256_storeu_si256 ((__m256i *) (out + 32 * t), v[t]);
      memcpy (out + 256, b->bsums, sizeof b->bsums);
      memcpy (out + 288, &b->d, sizeof b->d);
    }
}

/* Unpacks groups [0, @n_groups) of 4 K-quant rows into @panel (KW_GROUP_BYTES each, group
 * by group, row by row), the scales as int16 pairs if @scales16. */
static void
repack_panel_k (ScTensorType  type,
                const guint8 *w,
                gsize         row_size,
                gint64        n_groups,
                gboolean      scales16,
                guint8       *panel)
{
  const __m256i m4 = _mm256_set1_epi8 (0xf);
  gsize block_bytes = sizeof (ScBlockQ6_K);

  if (type == SC_TENSOR_TYPE_Q4_K)
    block_bytes = sizeof (ScBlockQ4_K);
  else if (type == SC_TENSOR_TYPE_Q5_K)
    block_bytes = sizeof (ScBlockQ5_K);
  for (gint64 g = 0; g < n_groups; g++)
    for (int r = 0; r < 4; r++)
      {
        const guint8 *b = w + r * row_size + g * block_bytes;
        guint8 *out = panel + (g * 4 + r) * KW_GROUP_BYTES;
        gint32 sc_lo[8], sc_hi[8];
        gint16 pairs[16];
        float dd[2];
        __m256i v[8];

        if (type == SC_TENSOR_TYPE_Q6_K)
          {
            const ScBlockQ6_K *q6 = (const ScBlockQ6_K *) b;

            for (int h = 0; h < 2; h++)
              unpack_q6_half (q6->ql + 64 * h, q6->qh + 32 * h, v + 4 * h);
            for (int j = 0; j < 8; j++)
              {
                sc_lo[j] = q6->scales[2 * j];
                sc_hi[j] = q6->scales[2 * j + 1];
              }
            for (int i = 0; i < 16; i++)
              pairs[i] = (gint16) (32 * q6->scales[i]);
            dd[0] = dd[1] = _cvtsh_ss (q6->d);
          }
        else
          {
            /* d, dmin and the 12 scale bytes lead both block types. */
            const gboolean q5 = type == SC_TENSOR_TYPE_Q5_K;
            const guint8 *qs = b + (q5 ? G_STRUCT_OFFSET (ScBlockQ5_K, qs)
                                       : G_STRUCT_OFFSET (ScBlockQ4_K, qs));
            const __m256i hbits = q5 ? _mm256_loadu_si256 ((const __m256i *) (
                                         b + G_STRUCT_OFFSET (ScBlockQ5_K, qh)))
                                     : _mm256_setzero_si256 ();
            guint8 sm[16];
            guint16 dh[2];

            _mm_storeu_si128 ((__m128i *) sm, unpack_scales_mins_k4 (b + 4));
            for (int p = 0; p < 4; p++)
              {
                const __m256i bits = _mm256_loadu_si256 ((const __m256i *) (qs + 32 * p));
                const __m256i bl = _mm256_set1_epi8 ((char) (1 << (2 * p)));
                const __m256i bh = _mm256_set1_epi8 ((char) (1 << (2 * p + 1)));
                const __m256i sixteen = _mm256_set1_epi8 (16);

                v[2 * p] = _mm256_add_epi8 (_mm256_and_si256 (bits, m4), _mm256_and_si256 (
                             _mm256_cmpeq_epi8 (_mm256_and_si256 (hbits, bl), bl), sixteen));
                v[2 * p + 1] = _mm256_add_epi8 (_mm256_and_si256 (_mm256_srli_epi16 (bits, 4), m4),
                                                _mm256_and_si256 (_mm256_cmpeq_epi8 (
                                                  _mm256_and_si256 (hbits, bh), bh), sixteen));
              }
            for (int j = 0; j < 8; j++)
              {
                sc_lo[j] = sc_hi[j] = sm[j];
                pairs[2 * j] = pairs[2 * j + 1] = sm[8 + j];
              }
            memcpy (dh, b, sizeof dh);
            dd[0] = _cvtsh_ss (dh[0]);
            dd[1] = _cvtsh_ss (dh[1]);
          }
        transpose8_epi32 (v);
        for (int t = 0; t < 8; t++)
          _mm256_storeu_si256 ((__m256i *) (out + 32 * t), v[t]);
        if (scales16)
          for (int j = 0; j < 8; j++)
            {
              sc_lo[j] = (gint32) ((guint32) (guint16) sc_lo[j] * 0x10001u);
              sc_hi[j] = (gint32) ((guint32) (guint16) sc_hi[j] * 0x10001u);
            }
        memcpy (out + 256, sc_lo, sizeof sc_lo);
        memcpy (out + 288, sc_hi, sizeof sc_hi);
        memcpy (out + 320, pairs, sizeof pairs);
        memcpy (out + 352, dd, sizeof dd);
      }
}


/* K-quant tiles for Q4_K and Q5_K (one scale per lane: the sums of both halves are scaled
 * together) and Q6_K (two scales per lane, one per half: the sums of the first half are scaled
 * before those of the second half start). The rows are the inner loop: each activation vector
 * is loaded once per group and met with four rows (three loads for two products, when the
 * columns were the inner loop, kept the load ports rather than the multipliers busy), and the
 * accumulators are named so that they stay in registers. K_TILE expands with
 *   K_ACCUMULATE (a, q, y)  adding the byte products of each lane to a,
 *   K_SCALE (a, sc)         the lane sums times their scales, Σ_j sc_j isum_j as in vec_dot,
 *   K_SPLIT                 whether the halves have scales of their own (Q6_K),
 * and k_group_finish() does the float operations of vec_dot.
 *   With AVX-VNNI: vpdpbusd into int32 sums and vpmulld with int32 scales.
 *   Without (Q4_K only): its quants are at most 15, so the 32 byte products of a lane add up
 *   in int16 without overflow (|Σ| ≤ 8 · 2 · 15 · 128 = 30720): vpmaddubsw results are added
 *   as int16 and met with the scale (int16 pairs in these panels) by one vpmaddwd. */
#define K_DECLARE(r)                                                                            \
  __m256i a##r##0 = _mm256_setzero_si256 (), a##r##1 = a##r##0, s##r##0 = a##r##0,            \
          s##r##1 = a##r##0;
#define K_STEP(r) TILE_STEP (r, KW_GROUP_BYTES, K_ACCUMULATE)
#define K_SCALE_FIRST_HALF(r)                                                                   \
  {                                                                                             \
    const __m256i sc = _mm256_loadu_si256 ((const __m256i *) (panel + r * KW_GROUP_BYTES +     \
                                                              256));                            \
                                                                                                \
    s##r##0 = K_SCALE (a##r##0, sc);                                                            \
    s##r##1 = K_SCALE (a##r##1, sc);                                                            \
    a##r##0 = a##r##1 = _mm256_setzero_si256 ();                                                \
  }
#define K_FINISH(r)                                                                             \
  {                                                                                             \
    const guint8 *w = panel + r * KW_GROUP_BYTES;                                               \
    const __m256i sc = _mm256_loadu_si256 ((const __m256i *) (w + (K_SPLIT ? 288 : 256)));     \
                                                                                                \
    k_group_finish (w, _mm256_add_epi32 (s##r##0, K_SCALE (a##r##0, sc)),                       \
                    _mm256_add_epi32 (s##r##1, K_SCALE (a##r##1, sc)), dx0, dx1, bs0, bs1,      \
                    &acc[r], &acc[r + 4]);                                                      \
  }
/* (dx and bsums of both columns, loaded only after the steps, not to hold registers) */
#define K_COLUMNS                                                                               \
  const __m256 dx0 = _mm256_broadcast_ss ((const float *) (x0 + 288));                          \
  const __m256 dx1 = _mm256_broadcast_ss ((const float *) (x1 + 288));                          \
  const __m256i bs0 = _mm256_loadu_si256 ((const __m256i *) (x0 + 256));                        \
  const __m256i bs1 = _mm256_loadu_si256 ((const __m256i *) (x1 + 256));
#define K_TILE(name)                                                                            \
  TILE_FUNCTION (name, KACT_GROUP_BYTES, KW_GROUP_BYTES,                                        \
                 TILE_ROWS (K_DECLARE)                                                          \
                 TILE_STEPS (0, 4, K_STEP)                                                      \
                 if (K_SPLIT)                                                                   \
                   TILE_ROWS (K_SCALE_FIRST_HALF)                                               \
                 TILE_STEPS (4, 8, K_STEP)                                                      \
                 K_COLUMNS                                                                      \
                 TILE_ROWS (K_FINISH))

#define K_ACCUMULATE(a, q, y) _mm256_dpbusd_avx_epi32 (a, q, y)
#define K_SCALE(a, sc) _mm256_mullo_epi32 (a, sc)
#define K_SPLIT FALSE
__attribute__ ((target ("avxvnni")))
K_TILE (panel_tile_k4_vnni)
#undef K_SPLIT
#define K_SPLIT TRUE
__attribute__ ((target ("avxvnni")))
K_TILE (panel_tile_q6_vnni)
#undef K_SPLIT
#undef K_SCALE
#undef K_ACCUMULATE

#define K_ACCUMULATE(a, q, y) _mm256_add_epi16 (a, _mm256_maddubs_epi16 (q, y))
#define K_SCALE(a, sc) _mm256_madd_epi16 (a, sc)
#define K_SPLIT FALSE
K_TILE (panel_tile_q4k_avx2)
#undef K_SPLIT
#undef K_SCALE
#undef K_ACCUMULATE

#undef K_TILE
#undef K_COLUMNS
#undef K_FINISH
#undef K_SCALE_FIRST_HALF
#undef K_STEP
#undef K_DECLARE
#undef TILE_FUNCTION
#undef TILE_STEP
#undef TILE_STEPS
#undef TILE_ROWS

/* Q5_K and Q6_K without AVX-VNNI: quants up to 31 resp. 63, so two vpmaddubsw results still
 * add up in int16 (|Σ| ≤ 2 · 2 · 63 · 128 = 32256) before vpmaddwd meets them with the scale
 * of their half of the lane (for Q5_K both halves carry the same); the integer is that of
 * vec_dot and the float operations are those of the AVX-VNNI tile. */
static void
panel_tile_k6_avx2 (const guint8 *panel,
                    gint64        n_groups,
                    const guint8 *x0,
                    const guint8 *x1,
                    __m256        acc[8])
{
  for (gint64 g = 0; g < n_groups; g++, x0 += KACT_GROUP_BYTES, x1 += KACT_GROUP_BYTES)
    for (int r = 0; r < 4; r++, panel += KW_GROUP_BYTES)
      {
        __m256i s0 = _mm256_setzero_si256 (), s1 = s0;

#define HALF(t, sc)                                                                            \
        {                                                                                      \
          const __m256i qa = _mm256_loadu_si256 ((const __m256i *) (panel + 32 * t));          \
          const __m256i qb = _mm256_loadu_si256 ((const __m256i *) (panel + 32 * t + 32));     \
                                                                                               \
          s0 = _mm256_add_epi32 (s0, _mm256_madd_epi16 (_mm256_add_epi16 (                     \
            _mm256_maddubs_epi16 (qa, _mm256_loadu_si256 ((const __m256i *) (x0 + 32 * t))),   \
            _mm256_maddubs_epi16 (qb, _mm256_loadu_si256 ((const __m256i *) (x0 + 32 * t + 32)))), \
            sc));                                                                              \
          s1 = _mm256_add_epi32 (s1, _mm256_madd_epi16 (_mm256_add_epi16 (                     \
            _mm256_maddubs_epi16 (qa, _mm256_loadu_si256 ((const __m256i *) (x1 + 32 * t))),   \
            _mm256_maddubs_epi16 (qb, _mm256_loadu_si256 ((const __m256i *) (x1 + 32 * t + 32)))), \
            sc));                                                                              \
        }
        {
          const __m256i sc_lo = _mm256_loadu_si256 ((const __m256i *) (panel + 256));
          const __m256i sc_hi = _mm256_loadu_si256 ((const __m256i *) (panel + 288));

          HALF (0, sc_lo) HALF (2, sc_lo) HALF (4, sc_hi) HALF (6, sc_hi)
        }
#undef HALF
        k_group_finish (panel, s0, s1, _mm256_broadcast_ss ((const float *) (x0 + 288)),
                        _mm256_broadcast_ss ((const float *) (x1 + 288)),
                        _mm256_loadu_si256 ((const __m256i *) (x0 + 256)),
                        _mm256_loadu_si256 ((const __m256i *) (x1 + 256)), &acc[r], &acc[r + 4]);
      }
}

/* ---------------------------------------------------------------- AVX-512 tiles */

/* The same tiles with 512-bit vectors (AVX-512 VNNI): both columns of a pair share a register,
 * column 0 in the lower half and column 1 in the upper, so each vpdpbusd, conversion and
 * multiply serves both, and a weight vector is loaded once, broadcast to both halves. Lane by
 * lane the integer and float operations are those of the 256-bit tiles, so every output is
 * still bit-identical to vec_dot's. The accumulators come in and go out in the 256-bit layout
 * of @acc (lane r + 4 c for row r and column c), so the driver serves both. */
#define AVX512 __attribute__ ((target ("avx512f,avx512bw,avx512vl,avx512vnni")))
#define Z_ROWS(X) X (0) X (1) X (2) X (3)

/* 32 bytes at @lo and 32 at @hi as one vector */
static inline AVX512 __m512i
z_pair (const guint8 *lo,
        const guint8 *hi)
{
  return _mm512_inserti64x4 (_mm512_castsi256_si512 (_mm256_loadu_si256 ((const __m256i *) lo)),
                             _mm256_loadu_si256 ((const __m256i *) hi), 1);
}

static inline AVX512 __m512
z_pair_ps (__m256 lo,
           __m256 hi)
{
  return _mm512_castsi512_ps (_mm512_inserti64x4 (_mm512_castsi256_si512 (
                                _mm256_castps_si256 (lo)), _mm256_castps_si256 (hi), 1));
}

/* 32 bytes at @p in both halves */
static inline AVX512 __m512i
z_both (const guint8 *p)
{
  return _mm512_broadcast_i64x4 (_mm256_loadu_si256 ((const __m256i *) p));
}

#define Z_ACC_IN(r) __m512 z##r = z_pair_ps (acc[r], acc[r + 4]);
#define Z_ACC_OUT(r)                                                                            \
  acc[r] = _mm512_castps512_ps256 (z##r);                                                       \
  acc[r + 4] = _mm256_castsi256_ps (_mm512_extracti64x4_epi64 (_mm512_castps_si512 (z##r), 1));
#define Z_STEPS(T0, T1, STEP)                                                                   \
  for (int t = T0; t < T1; t++)                                                                 \
    {                                                                                           \
      const __m512i y = z_pair (x0 + 32 * t, x1 + 32 * t);                                      \
                                                                                                \
      Z_ROWS (STEP)                                                                             \
    }

/* Q4_0, Q5_0 and Q8_0: sums from the panel's correction, vpdpbusd of the biased activations. */
#define ZQ32_DECLARE(r) __m512i a##r = z_both (panel + r * W_GROUP_BYTES + 256);
#define ZQ32_STEP(r) a##r = _mm512_dpbusd_epi32 (a##r, y, z_both (panel + r * W_GROUP_BYTES + 32 * t));
#define ZQ32_FINISH(r)                                                                          \
  {                                                                                             \
    const __m256 dw = _mm256_loadu_ps ((const float *) (panel + r * W_GROUP_BYTES + 288));      \
                                                                                                \
    z##r = _mm512_fmadd_ps (_mm512_mul_ps (z_pair_ps (dw, dw), dx), _mm512_cvtepi32_ps (a##r),  \
                            z##r);                                                              \
  }

static AVX512 void
panel_tile_q32_avx512 (const guint8 *panel,
                       gint64        n_groups,
                       const guint8 *x0,
                       const guint8 *x1,
                       __m256        acc[8])
{
  Z_ROWS (Z_ACC_IN)
  for (gint64 g = 0; g < n_groups; g++, x0 += ACT_GROUP_BYTES, x1 += ACT_GROUP_BYTES,
       panel += 4 * W_GROUP_BYTES)
    {
      Z_ROWS (ZQ32_DECLARE)
      Z_STEPS (0, 8, ZQ32_STEP)
      {
        const __m512 dx = _mm512_castsi512_ps (z_pair (x0 + 256, x1 + 256));

        Z_ROWS (ZQ32_FINISH)
      }
    }
  Z_ROWS (Z_ACC_OUT)
}

#undef ZQ32_FINISH
#undef ZQ32_STEP
#undef ZQ32_DECLARE

/* K-quants, as K_TILE: int32 sums scaled by vpmulld, then the float step of k_group_finish(). */
#define ZK_DECLARE(r) __m512i a##r = _mm512_setzero_si512 (), s##r = a##r;
#define ZK_STEP(r) a##r = _mm512_dpbusd_epi32 (a##r, z_both (panel + r * KW_GROUP_BYTES + 32 * t), y);
#define ZK_SCALE_FIRST_HALF(r)                                                                  \
  s##r = _mm512_mullo_epi32 (a##r, z_both (panel + r * KW_GROUP_BYTES + 256));                 \
  a##r = _mm512_setzero_si512 ();
#define ZK_FINISH(r)                                                                            \
  {                                                                                             \
    const guint8 *w = panel + r * KW_GROUP_BYTES;                                               \
    const __m512i s = _mm512_add_epi32 (s##r, _mm512_mullo_epi32 (a##r, z_both (                \
                                          w + (split ? 288 : 256))));                           \
    const __m512 d = _mm512_set1_ps (*(const float *) (w + 352));                               \
    const __m512 dmin = _mm512_set1_ps (*(const float *) (w + 356));                            \
                                                                                                \
    z##r = _mm512_fmadd_ps (_mm512_mul_ps (d, dx), _mm512_cvtepi32_ps (s), z##r);               \
    z##r = _mm512_fnmadd_ps (_mm512_mul_ps (dmin, dx), _mm512_cvtepi32_ps (                     \
                               _mm512_madd_epi16 (z_both (w + 320), bs)), z##r);                \
  }

static inline AVX512 void
panel_tile_k_avx512 (const guint8 *panel,
                     gint64        n_groups,
                     const guint8 *x0,
                     const guint8 *x1,
                     __m256        acc[8],
                     gboolean      split)
{
  Z_ROWS (Z_ACC_IN)
  for (gint64 g = 0; g < n_groups; g++, x0 += KACT_GROUP_BYTES, x1 += KACT_GROUP_BYTES,
       panel += 4 * KW_GROUP_BYTES)
    {
      Z_ROWS (ZK_DECLARE)
      Z_STEPS (0, 4, ZK_STEP)
      if (split)
        {
          Z_ROWS (ZK_SCALE_FIRST_HALF)
        }
      Z_STEPS (4, 8, ZK_STEP)
      {
        const __m512 dx = z_pair_ps (_mm256_broadcast_ss ((const float *) (x0 + 288)),
                                     _mm256_broadcast_ss ((const float *) (x1 + 288)));
        const __m512i bs = z_pair (x0 + 256, x1 + 256);

        Z_ROWS (ZK_FINISH)
      }
    }
  Z_ROWS (Z_ACC_OUT)
}

#undef ZK_FINISH
#undef ZK_SCALE_FIRST_HALF
#undef ZK_STEP
#undef ZK_DECLARE

/* Q4_K and Q5_K (one scale per lane) */
static AVX512 void
panel_tile_k4_avx512 (const guint8 *panel,
                      gint64        n_groups,
                      const guint8 *x0,
                      const guint8 *x1,
                      __m256        acc[8])
{
  panel_tile_k_avx512 (panel, n_groups, x0, x1, acc, FALSE);
}

/* Q6_K (a scale per half of a lane) */
static AVX512 void
panel_tile_q6_avx512 (const guint8 *panel,
                      gint64        n_groups,
                      const guint8 *x0,
                      const guint8 *x1,
                      __m256        acc[8])
{
  panel_tile_k_avx512 (panel, n_groups, x0, x1, acc, TRUE);
}

#undef Z_STEPS
#undef Z_ACC_OUT
#undef Z_ACC_IN
#undef Z_ROWS

/* The tiles of a table: AVX2, AVX-VNNI or AVX-512 VNNI (the last two on the same panels). */
typedef enum
{
  TILES_AVX2,
  TILES_VNNI,
  TILES_AVX512,
} Tiles;

/* The driver of the three tables. */
static inline gboolean
gemm_repacked (Tiles         tiles,
               ScTensorType  type,
               const void   *wv,
               gsize         row_size,
               gint64        K,
               gint64        M,
               const void   *xr,
               gint64        n0,
               gint64        n1,
               gint64        m0,
               gint64        m1,
               float        *dst)
{
  const gint64 n_groups = K / 256;
  const gboolean vnni = tiles != TILES_AVX2;
  const guint8 *w = wv, *x = xr;
  gboolean k_quant = FALSE;
  gsize block_size = 0, act_group, panel_group;
  guint8 *panel;
  __m256 acc[TILE_COLS_MAX / 2][8];

  switch (type)
    {
    case SC_TENSOR_TYPE_Q4_0:
      block_size = sizeof (ScBlockQ4_0);
      break;
    case SC_TENSOR_TYPE_Q5_0:
      block_size = sizeof (ScBlockQ5_0);
      break;
    case SC_TENSOR_TYPE_Q8_0:
      block_size = sizeof (ScBlockQ8_0);
      break;
    case SC_TENSOR_TYPE_Q4_K:
    case SC_TENSOR_TYPE_Q5_K:
    case SC_TENSOR_TYPE_Q6_K:
      k_quant = TRUE;
      break;
    default:
      return FALSE;
    }
  if (K % 256 != 0 || (m1 - m0) % 4 != 0 || n1 < 2)
    return FALSE;
  act_group = k_quant ? KACT_GROUP_BYTES : ACT_GROUP_BYTES;
  panel_group = k_quant ? KW_GROUP_BYTES : W_GROUP_BYTES;
  /* Cache-line aligned: with malloc's 16 bytes, every 32-byte load of the tiles would be
   * misaligned and every other one split over two cache lines (half the speed). */
  panel = g_aligned_alloc ((gsize) n_groups * 4, panel_group, 64);
  for (gint64 m = m0; m < m1; m += 4)
    {
      if (k_quant)
        repack_panel_k (type, w + m * row_size, row_size, n_groups, !vnni, panel);
      else
        repack_panel (type, block_size, w + m * row_size, row_size, n_groups, vnni, panel);
      for (gint64 nb = n0; nb < n1; nb += TILE_COLS_MAX)
        {
          const gint64 ne = MIN (nb + TILE_COLS_MAX, n1);
          const int n_pairs = (int) ((ne - nb + 1) / 2);

          memset (acc, 0, n_pairs * sizeof acc[0]);
          /* A slice of the panel stays in L1 while it meets every column pair; the pairs'
           * accumulators carry over from slice to slice, so the order of operations is that
           * of one pass. */
          for (gint64 g0 = 0; g0 < n_groups; g0 += SLICE_GROUPS)
            {
              const gint64 ng = MIN (SLICE_GROUPS, n_groups - g0);
              const guint8 *slice = panel + g0 * 4 * panel_group;

              for (int p = 0; p < n_pairs; p++)
                {
                  /* An odd last column is paired with its left neighbour (in range or not),
                   * which is computed again and not stored. */
                  const gint64 c = MIN (nb + 2 * p, n1 - 2);
                  const guint8 *x0 = x + (c * n_groups + g0) * act_group;
                  const guint8 *x1 = x0 + n_groups * act_group;

                  if (tiles == TILES_AVX512)
                    {
                      if (type == SC_TENSOR_TYPE_Q6_K)
                        panel_tile_q6_avx512 (slice, ng, x0, x1, acc[p]);
                      else if (k_quant)
                        panel_tile_k4_avx512 (slice, ng, x0, x1, acc[p]);
                      else
                        panel_tile_q32_avx512 (slice, ng, x0, x1, acc[p]);
                    }
                  else if (type == SC_TENSOR_TYPE_Q6_K)
                    (vnni ? panel_tile_q6_vnni : panel_tile_k6_avx2) (slice, ng, x0, x1, acc[p]);
                  else if (type == SC_TENSOR_TYPE_Q4_K)
                    (vnni ? panel_tile_k4_vnni : panel_tile_q4k_avx2) (slice, ng, x0, x1, acc[p]);
                  else if (k_quant)
                    (vnni ? panel_tile_k4_vnni : panel_tile_k6_avx2) (slice, ng, x0, x1, acc[p]);
                  else
                    (vnni ? panel_tile_q32_vnni : panel_tile_q32_avx2) (slice, ng, x0, x1, acc[p]);
                }
            }
          for (int p = 0; p < n_pairs; p++)
            {
              const gint64 c = MIN (nb + 2 * p, n1 - 2);
              float tmp[2 * 4];

              store_tile (reduce8_ps (acc[p]), tmp, 4);
              for (gint64 k = MAX (c, nb + 2 * p); k < c + 2; k++)
                memcpy (dst + k * M + m, tmp + 4 * (k - c), 4 * sizeof (float));
            }
        }
    }
  g_aligned_free (panel);
  return TRUE;
}

/* The entry points of the three tables (ScCpuGemmRepackedFunc). */
#define GEMM_REPACKED_ENTRY(name, tiles)                                                        \
  gboolean                                                                                      \
  name (ScTensorType type, const void *w, gsize row_size, gint64 K, gint64 M, const void *xr,  \
        gint64 n0, gint64 n1, gint64 m0, gint64 m1, float *dst)                                 \
  {                                                                                             \
    return gemm_repacked (tiles, type, w, row_size, K, M, xr, n0, n1, m0, m1, dst);            \
  }

GEMM_REPACKED_ENTRY (sc_cpu_avx2_gemm_repacked, TILES_AVX2)
GEMM_REPACKED_ENTRY (sc_cpu_vnni_gemm_repacked, TILES_VNNI)
GEMM_REPACKED_ENTRY (sc_cpu_avx512_gemm_repacked, TILES_AVX512)
