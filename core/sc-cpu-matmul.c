/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cpu-matmul.c: matrix products on the CPU, the hot path of inference, and the choice of
 * vector kernels at run time.
 *
 * dst[M, N] = w[K, M] x[K, N]. The activations are first converted to the weight type's
 * activation format (sc-ops-ref.h: ggml's block_q8_0/q8_1/q8_K, halves or bfloat16s), split over
 * the threads, once for consecutive matmuls of the same input (ScCpuActCache); then each
 * thread takes a range of weight rows and computes integer dot products block by block. With
 * N == 1 (generating a token) every weight row is streamed once from memory, in order, which
 * the hardware prefetchers follow on their own (software prefetches of whole rows ahead kept the
 * line fill buffers full and cost a quarter of the generation speed). With N > 1 (a
 * prompt) the fastest of three paths that the kernel table offers:
 *   - gemm_repacked (quantised weights, x86-64): the activations are also repacked in groups of
 *     256 (sc-cpu-gemm-avx2.c) and panels of 4 weight rows are repacked once for a chunk of
 *     columns that stays in L2, then met 2 columns at a time with the sums in registers;
 *   - gemm (float weights): register tiles of SC_CPU_GEMM_ROWS x SC_CPU_GEMM_COLS, against
 *     the half or bfloat16 activations widened back to floats once (exact), so that only the
 *     weights are converted in the inner loop;
 *   - otherwise tiles of SC_TILE_M rows by SC_TILE_N columns, so a weight row stays in L1 while
 *     it meets a tile of activation columns kept in L2, four columns per vec_dot4 call.
 * Every path gives the same bits as vec_dot on each column, so a prompt scored in one batch
 * and token by token agree exactly. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#ifdef SC_HAVE_AVX2
#include <cpuid.h>
#endif

#include "sc-cpu-private.h"

#define SC_TILE_M 16
#define SC_TILE_N 16
/* Alignment of the widened activations in ScCpuContext.act (itself 64-byte aligned). */
#define SC_WIDE_ALIGNMENT 32
/* Bytes of converted activations a register-tiled matmul keeps in L2 at a time. */
#define SC_GEMM_ACT_BYTES (384 * 1024)
/* Bytes of repacked activations per chunk of columns for gemm_repacked. Every chunk repacks
 * each panel of weights again, which costs more than activations that spill from L2 (128
 * columns of K = 8192 are 1.2 MB: one chunk of them multiplies 10 to 35 % faster than chunks
 * of 384 KiB), so chunks are large. */
#define SC_GEMM_REPACKED_ACT_BYTES (1536 * 1024)

/* ---------------------------------------------------------------- portable kernels */

/* Float dot products in eight interleaved partial sums, which compilers vectorise. */
#define DOT_FLOAT_BODY(LOAD)                                                       \
  float acc[8] = { 0 };                                                            \
  float sum = 0.0f;                                                                \
  gint64 i = 0;                                                                    \
  for (; i + 8 <= K; i += 8)                                                       \
    for (int l = 0; l < 8; l++)                                                    \
      acc[l] += LOAD (i + l) * x[i + l];                                           \
  for (int l = 0; l < 8; l++)                                                      \
    sum += acc[l];                                                                 \
  for (; i < K; i++)                                                               \
    sum += LOAD (i) * x[i];                                                        \
  return sum;

static float
vec_dot_f32 (const void *w,
             const void *xv,
             gint64      K)
{
  const float *row = w, *x = xv;
#define LOAD_F32(j) row[j]
  DOT_FLOAT_BODY (LOAD_F32)
#undef LOAD_F32
}

/* Half-precision and bfloat16 weights meet activations converted to the same type (as in
 * ggml): every product is exact in float, so only the order of the sum can differ. */
static float
vec_dot_f16 (const void *w,
             const void *xv,
             gint64      K)
{
  const guint16 *row = w, *x = xv;
  float acc[8] = { 0 };
  float sum = 0.0f;
  gint64 i = 0;

  for (; i + 8 <= K; i += 8)
    for (int l = 0; l < 8; l++)
      acc[l] += sc_fp16_to_fp32 (row[i + l]) * sc_fp16_to_fp32 (x[i + l]);
  for (int l = 0; l < 8; l++)
    sum += acc[l];
  for (; i < K; i++)
    sum += sc_fp16_to_fp32 (row[i]) * sc_fp16_to_fp32 (x[i]);
  return sum;
}

static float
vec_dot_bf16 (const void *w,
              const void *xv,
              gint64      K)
{
  const guint16 *row = w, *x = xv;
  float acc[8] = { 0 };
  float sum = 0.0f;
  gint64 i = 0;

  for (; i + 8 <= K; i += 8)
    for (int l = 0; l < 8; l++)
      acc[l] += sc_bf16_to_fp32 (row[i + l]) * sc_bf16_to_fp32 (x[i + l]);
  for (int l = 0; l < 8; l++)
    sum += acc[l];
  for (; i < K; i++)
    sum += sc_bf16_to_fp32 (row[i]) * sc_bf16_to_fp32 (x[i]);
  return sum;
}

/* The quantised types fall back on the reference itself: it is portable and exact. */
#define REF_DOT(name, type)                                                        \
  static float                                                                     \
  name (const void *w,                                                             \
        const void *x,                                                             \
        gint64      K)                                                             \
  {                                                                                \
    return sc_ref_vec_dot_q8act (type, w, x, K);                                   \
  }

REF_DOT (vec_dot_q4_0, SC_TENSOR_TYPE_Q4_0)
REF_DOT (vec_dot_q4_1, SC_TENSOR_TYPE_Q4_1)
REF_DOT (vec_dot_q5_0, SC_TENSOR_TYPE_Q5_0)
REF_DOT (vec_dot_q5_1, SC_TENSOR_TYPE_Q5_1)
REF_DOT (vec_dot_q8_0, SC_TENSOR_TYPE_Q8_0)
REF_DOT (vec_dot_q4_k, SC_TENSOR_TYPE_Q4_K)
REF_DOT (vec_dot_q5_k, SC_TENSOR_TYPE_Q5_K)
REF_DOT (vec_dot_q6_k, SC_TENSOR_TYPE_Q6_K)

static void
quantize_q8 (const float *x,
             void        *dst,
             gint64       n_blocks)
{
  sc_ref_quantize_q8act (x, dst, n_blocks * 32);
}

static void
quantize_q8k (const float *x,
              void        *dst,
              gint64       n_blocks)
{
  sc_ref_quantize_q8kact (x, dst, n_blocks * SC_QK_K);
}

static void
convert_f16 (const float *x,
             guint16     *dst,
             gint64       n)
{
  sc_ref_convert_act (SC_REF_ACT_F16, x, dst, n);
}

static void
convert_bf16 (const float *x,
              guint16     *dst,
              gint64       n)
{
  sc_ref_convert_act (SC_REF_ACT_BF16, x, dst, n);
}

static void
widen_f16 (const guint16 *x,
           float         *dst,
           gint64         n)
{
  sc_fp16_to_fp32_row (x, dst, n);
}

static void
widen_bf16 (const guint16 *x,
            float         *dst,
            gint64         n)
{
  for (gint64 i = 0; i < n; i++)
    dst[i] = sc_bf16_to_fp32 (x[i]);
}

static void
mad_f32 (float       *acc,
         const float *v,
         float        c,
         float        e,
         gint64       n)
{
  for (gint64 i = 0; i < n; i++)
    acc[i] = acc[i] * c + e * v[i];
}

static void
mad_f16 (float         *acc,
         const guint16 *v,
         float          c,
         float          e,
         gint64         n)
{
  for (gint64 i = 0; i < n; i++)
    acc[i] = acc[i] * c + e * sc_fp16_to_fp32 (v[i]);
}

static const ScCpuKernels portable_kernels = {
  .name = "portable",
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
sc_cpu_kernels_portable (void)
{
  return &portable_kernels;
}

#ifdef SC_HAVE_AVX2
/* What the processor and the operating system support, read with CPUID (both GCC and clang
 * have <cpuid.h>; clang 14 lacks __builtin_cpu_supports ("f16c") and ("avxvnni")). */
static void
cpu_features (gboolean *avx2_fma_f16c,
              gboolean *avx_vnni,
              gboolean *avx512_vnni)
{
  unsigned int eax, ebx, ecx, edx, xcr0_lo, xcr0_hi;
  gboolean fma, f16c, osxsave;

  *avx2_fma_f16c = *avx_vnni = *avx512_vnni = FALSE;
  if (!__get_cpuid (1, &eax, &ebx, &ecx, &edx))
    return;
  fma = (ecx >> 12) & 1;
  osxsave = (ecx >> 27) & 1;
  f16c = (ecx >> 29) & 1;
  if (!osxsave)
    return;
  /* The OS must save the YMM registers (XCR0 bits 1 and 2), for AVX-512 also the opmask and
   * ZMM registers (bits 5 to 7). */
  __asm__ ("xgetbv" : "=a" (xcr0_lo), "=d" (xcr0_hi) : "c" (0));
  (void) xcr0_hi;
  if ((xcr0_lo & 0x6) != 0x6)
    return;
  if (!__get_cpuid_count (7, 0, &eax, &ebx, &ecx, &edx))
    return;
  *avx2_fma_f16c = ((ebx >> 5) & 1) && fma && f16c;
  /* AVX512F (EBX bit 16), AVX512BW (30), AVX512VL (31), AVX512_VNNI (ECX bit 11) */
  *avx512_vnni = *avx2_fma_f16c && (xcr0_lo & 0xe0) == 0xe0 && ((ebx >> 16) & 1) &&
                 ((ebx >> 30) & 1) && ((ebx >> 31) & 1) && ((ecx >> 11) & 1);
  if (*avx2_fma_f16c && __get_cpuid_count (7, 1, &eax, &ebx, &ecx, &edx))
    *avx_vnni = (eax >> 4) & 1;
}
#endif

const ScCpuKernels *
sc_cpu_kernels_get (gboolean allow_simd)
{
#ifdef SC_HAVE_AVX2
  if (allow_simd)
    {
      gboolean avx2, vnni, avx512;

      cpu_features (&avx2, &vnni, &avx512);
      if (avx2)
        {
          /* SICHTUNG_CPU_NO_VNNI=1 keeps to AVX2, SICHTUNG_CPU_NO_AVX512=1 to AVX2 and
           * AVX-VNNI (to compare them on one machine). */
          const gboolean no_vnni = g_strcmp0 (g_getenv ("SICHTUNG_CPU_NO_VNNI"), "1") == 0;

          if (avx512 && !no_vnni && g_strcmp0 (g_getenv ("SICHTUNG_CPU_NO_AVX512"), "1") != 0)
            return sc_cpu_kernels_avx512_vnni ();
          if (vnni && !no_vnni)
            return sc_cpu_kernels_avx2_vnni ();
          return sc_cpu_kernels_avx2 ();
        }
    }
#endif
  return &portable_kernels;
}

guint
sc_cpu_kernels_available (const ScCpuKernels **tables,
                          guint                max_tables)
{
  guint n = 0;

  if (n < max_tables)
    tables[n++] = &portable_kernels;
#ifdef SC_HAVE_AVX2
  {
    gboolean avx2, vnni, avx512;

    cpu_features (&avx2, &vnni, &avx512);
    if (avx2 && n < max_tables)
      tables[n++] = sc_cpu_kernels_avx2 ();
    if (avx2 && vnni && n < max_tables)
      tables[n++] = sc_cpu_kernels_avx2_vnni ();
    if (avx2 && avx512 && n < max_tables)
      tables[n++] = sc_cpu_kernels_avx512_vnni ();
  }
#endif
  return n;
}

/* ---------------------------------------------------------------- matmul */

/* Whether prompts with quantised activations of this shape also get them repacked, after the
 * ScBlockQ8Act / ScBlockQ8KAct rows in ScCpuContext.act, for tables with gemm_repacked. */
static inline gboolean
repacked_act (ScRefActFormat format,
              gint64         K,
              gint64         N)
{
  return (format == SC_REF_ACT_Q8 || format == SC_REF_ACT_Q8K) && N >= 2 && K % 256 == 0;
}

/* Whether prompts with half or bfloat16 activations of this shape also get them widened back
 * to floats, after the halves in ScCpuContext.act, for the gemm kernels. */
static inline gboolean
widened_act (ScRefActFormat format,
             gint64         N)
{
  return (format == SC_REF_ACT_F16 || format == SC_REF_ACT_BF16) && N >= 2;
}

/* Where the widened floats start in ScCpuContext.act: after the N rows of halves, aligned
 * (an odd K leaves those at an odd pair of bytes). */
static inline gsize
widened_offset (gsize  row_bytes,
                gint64 N)
{
  return ((gsize) N * row_bytes + SC_WIDE_ALIGNMENT - 1) / SC_WIDE_ALIGNMENT * SC_WIDE_ALIGNMENT;
}

static inline gsize
repacked_group_bytes (ScRefActFormat format)
{
  return format == SC_REF_ACT_Q8K ? SC_CPU_REPACKED_K_GROUP_BYTES : SC_CPU_REPACKED_GROUP_BYTES;
}

gsize
sc_cpu_matmul_act_size (const ScOp *op)
{
  const ScRefActFormat format = sc_ref_act_format (op->src[0]->type);
  const gint64 K = op->src[0]->ne[0], N = sc_tensor_n_rows (op->src[1]);
  gsize size;

  if (format == SC_REF_ACT_F32)
    return 0;
  size = sc_ref_act_row_size (format, K) * (gsize) N;
  if (repacked_act (format, K, N))
    size += (gsize) (N * (K / 256)) * repacked_group_bytes (format);
  if (widened_act (format, N))
    size = widened_offset (sc_ref_act_row_size (format, K), N) +
           (gsize) (N * K) * sizeof (float);
  return size;
}

void
sc_cpu_act_cache_check (const ScCpuContext *ctx,
                        const ScOp         *op,
                        int                 ith)
{
  ScCpuActCache *cache = &ctx->act_cache[ith];
  const guint8 *d = op->dst->data, *c = cache->src;

  if (c != NULL && d < c + cache->src_bytes && c < d + op->dst->n_bytes)
    cache->src = NULL;
}

/* Converts x to the weight type's activation format into ctx->act, split over the threads,
 * unless the previous conversion was of the same input. Returns the row stride in bytes. */
static gsize
convert_activations (const ScCpuContext *ctx,
                     const ScTensor     *x,
                     ScRefActFormat      format,
                     gint64              K,
                     gint64              N,
                     int                 ith,
                     int                 nth)
{
  ScCpuActCache *cache = &ctx->act_cache[ith];
  const gsize row_bytes = sc_ref_act_row_size (format, K);
  const float *xf = x->data;
  gint64 b0, b1;

  if (cache->src == x->data && cache->format == format && cache->K == K && cache->N == N)
    return row_bytes;
  if (format == SC_REF_ACT_F16 || format == SC_REF_ACT_BF16)
    {
      const ScCpuConvertFunc convert = format == SC_REF_ACT_F16 ? ctx->kernels->convert_f16
                                                                : ctx->kernels->convert_bf16;
      const ScCpuWidenFunc widen = format == SC_REF_ACT_F16 ? ctx->kernels->widen_f16
                                                            : ctx->kernels->widen_bf16;
      float *wide = (float *) (ctx->act + widened_offset (row_bytes, N));

      sc_cpu_split (N, ith, nth, 1, &b0, &b1);
      for (gint64 n = b0; n < b1; n++)
        {
          guint16 *half = (guint16 *) (ctx->act + n * row_bytes);

          convert (xf + n * K, half, K);
          if (widened_act (format, N))
            widen (half, wide + n * K, K);
        }
    }
  else
    {
      /* Rows of x are whole blocks, so all N rows form one run of blocks to split. */
      const gboolean k_quant = format == SC_REF_ACT_Q8K;
      const gint64 bs = k_quant ? SC_QK_K : 32;
      const gsize block_bytes = k_quant ? sizeof (ScBlockQ8KAct) : sizeof (ScBlockQ8Act);
      const ScCpuQuantizeFunc quantize = k_quant ? ctx->kernels->quantize_q8k
                                                 : ctx->kernels->quantize_q8;
      const ScCpuRepackFunc repack = k_quant ? ctx->kernels->repack_q8k_act
                                             : ctx->kernels->repack_q8_act;

      if (repack != NULL && repacked_act (format, K, N))
        {
          /* Whole groups of 256 elements per thread, repacked right after quantising. */
          const gint64 per_group = 256 / bs;

          sc_cpu_split (N * (K / 256), ith, nth, 1, &b0, &b1);
          if (b1 > b0)
            {
              guint8 *blocks = ctx->act + b0 * per_group * block_bytes;

              quantize (xf + b0 * 256, blocks, per_group * (b1 - b0));
              repack (blocks, ctx->act + (gsize) N * row_bytes +
                              b0 * repacked_group_bytes (format), b1 - b0);
            }
        }
      else
        {
          sc_cpu_split (N * (K / bs), ith, nth, 1, &b0, &b1);
          if (b1 > b0)
            quantize (xf + b0 * bs, ctx->act + b0 * block_bytes, b1 - b0);
        }
    }
  sc_cpu_pool_barrier (ctx->pool);
  cache->src = x->data;
  cache->src_bytes = (gsize) (K * N) * sizeof (float);
  cache->format = format;
  cache->K = K;
  cache->N = N;
  return row_bytes;
}

/* dst rows [m0, m1) by columns [n0, n1) without register tiles: SC_TILE_M rows by SC_TILE_N
 * columns at a time, four columns per vec_dot4 call where the table has one. */
static void
matmul_rows (const guint8     *wdata,
             gsize             row_size,
             const guint8     *xa,
             gsize             x_stride,
             gint64            K,
             gint64            M,
             float            *dst,
             ScCpuVecDotFunc   vec_dot,
             ScCpuVecDot4Func  vec_dot4,
             gint64            m0,
             gint64            m1,
             gint64            n0,
             gint64            n1)
{
  for (gint64 mb = m0; mb < m1; mb += SC_TILE_M)
    {
      const gint64 me = MIN (mb + SC_TILE_M, m1);

      for (gint64 nb = n0; nb < n1; nb += SC_TILE_N)
        {
          const gint64 ne = MIN (nb + SC_TILE_N, n1);

          for (gint64 m = mb; m < me; m++)
            {
              const guint8 *wrow = wdata + m * row_size;
              gint64 n = nb;

              if (vec_dot4 != NULL)
                for (; n + 4 <= ne; n += 4)
                  {
                    float out[4];

                    vec_dot4 (wrow, xa + n * x_stride, x_stride, K, out);
                    for (int c = 0; c < 4; c++)
                      dst[(n + c) * M + m] = out[c];
                  }
              for (; n < ne; n++)
                dst[n * M + m] = vec_dot (wrow, xa + n * x_stride, K);
            }
        }
    }
}

void
sc_cpu_matmul (const ScCpuContext *ctx,
               const ScOp         *op,
               int                 ith,
               int                 nth)
{
  const ScTensor *w = op->src[0], *x = op->src[1];
  const gint64 K = w->ne[0], M = w->ne[1], N = sc_tensor_n_rows (x);
  const ScRefActFormat format = sc_ref_act_format (w->type);
  const ScCpuVecDotFunc vec_dot = ctx->kernels->vec_dot[w->type];
  const ScCpuVecDot4Func vec_dot4 = ctx->kernels->vec_dot4[w->type];
  ScCpuGemmFunc gemm;
  const guint8 *wdata = w->data;
  float *dst = op->dst->data;
  const guint8 *xa;
  gsize row_size = 0, x_stride;
  gint64 m0, m1;

  sc_tensor_row_size (w->type, K, &row_size, NULL);
  if (format == SC_REF_ACT_F32)
    {
      xa = x->data;
      x_stride = (gsize) K * sizeof (float);
    }
  else
    {
      x_stride = convert_activations (ctx, x, format, K, N, ith, nth);
      xa = ctx->act;
    }

  sc_cpu_split (M, ith, nth, SC_TILE_M, &m0, &m1);
  if (N == 1)
    {
      for (gint64 m = m0; m < m1; m++)
        dst[m] = vec_dot (wdata + m * row_size, xa, K);
      return;
    }
  if (ctx->kernels->gemm_repacked != NULL && repacked_act (format, K, N))
    {
      const guint8 *xr = xa + (gsize) N * x_stride;
      const gint64 m4 = m0 + (m1 - m0) / 4 * 4;
      const gsize col_bytes = (gsize) (K / 256) * repacked_group_bytes (format);
      /* As few chunks as fit, of even and equal sizes (no short last one that would have the
       * panels repacked for a few columns). */
      const gint64 n_max = MAX (2, (gint64) (SC_GEMM_REPACKED_ACT_BYTES / col_bytes));
      const gint64 n_chunks = (N + n_max - 1) / n_max;
      const gint64 n_chunk = ((N + n_chunks - 1) / n_chunks + 1) / 2 * 2;

      for (gint64 nb = 0; nb < N; nb += n_chunk)
        {
          const gint64 ne = MIN (nb + n_chunk, N);

          if (!ctx->kernels->gemm_repacked (w->type, wdata, row_size, K, M, xr, nb, ne, m0, m4,
                                            dst))
            break;
          if (ne == N)
            {
              for (gint64 n = 0; n < N; n++)
                for (gint64 m = m4; m < m1; m++)
                  dst[n * M + m] = vec_dot (wdata + m * row_size, xa + n * x_stride, K);
              return;
            }
        }
      /* Not handled (the same answer for every chunk): the other paths below. */
    }
  gemm = ctx->kernels->gemm != NULL ? ctx->kernels->gemm[w->type] : NULL;
  if (gemm != NULL)
    {
      /* Float activations: x itself, or the halves widened after them. */
      const guint8 *xf = format == SC_REF_ACT_F32 ? xa : xa + widened_offset (x_stride, N);
      const gsize xf_stride = (gsize) K * sizeof (float);
      /* Columns in chunks that stay in L2 while every tile of weight rows passes them. */
      const gint64 n_chunk = MAX (SC_CPU_GEMM_COLS,
                                  (gint64) (SC_GEMM_ACT_BYTES / xf_stride) / SC_CPU_GEMM_COLS *
                                  SC_CPU_GEMM_COLS);

      for (gint64 nb = 0; nb < N; nb += n_chunk)
        {
          const gint64 ne = MIN (nb + n_chunk, N);
          gint64 m = m0;

          for (; m + SC_CPU_GEMM_ROWS <= m1; m += SC_CPU_GEMM_ROWS)
            {
              const guint8 *wrow = wdata + m * row_size;
              gint64 n = nb;

              for (; n + SC_CPU_GEMM_COLS <= ne; n += SC_CPU_GEMM_COLS)
                gemm (wrow, row_size, xf + n * xf_stride, xf_stride, K, dst + n * M + m, M);
              for (; n < ne; n++)
                for (int r = 0; r < SC_CPU_GEMM_ROWS; r++)
                  dst[n * M + m + r] = vec_dot (wrow + r * row_size, xa + n * x_stride, K);
            }
          matmul_rows (wdata, row_size, xa, x_stride, K, M, dst, vec_dot, vec_dot4, m, m1, nb,
                       ne);
        }
      return;
    }
  matmul_rows (wdata, row_size, xa, x_stride, K, M, dst, vec_dot, vec_dot4, m0, m1, 0, N);
}
