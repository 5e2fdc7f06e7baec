/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cpu-private.h: the pieces of the CPU backend — the thread pool (sc-cpu-pool.c), the op
 * kernels (sc-cpu-ops.c, sc-cpu-matmul.c) and the table of vector kernels chosen at run time
 * (portable ones in sc-cpu-matmul.c, AVX2 + FMA + F16C ones in sc-cpu-avx2.c). */
#pragma once

#include <glib.h>

#include "sc-graph.h"
#include "sc-ops-ref.h"

G_BEGIN_DECLS

/* ---------------------------------------------------------------- thread pool */

typedef struct _ScCpuPool ScCpuPool;

/* Runs on every thread of the pool: @ith in [0, @nth), the caller of sc_cpu_pool_run() is 0. */
typedef void (*ScCpuTask) (gpointer data,
                           int      ith,
                           int      nth);

/* @n_threads counts the caller: n_threads - 1 workers are started, once. */
ScCpuPool *sc_cpu_pool_new           (int        n_threads);
void       sc_cpu_pool_free          (ScCpuPool *pool);
int        sc_cpu_pool_get_n_threads (ScCpuPool *pool);
/* Runs @task on all threads and returns when every one has returned. One caller at a time. */
void       sc_cpu_pool_run           (ScCpuPool *pool,
                                      ScCpuTask  task,
                                      gpointer   data);
/* Inside a task: waits until every thread of the pool has arrived (spinning: ops are short). */
void       sc_cpu_pool_barrier       (ScCpuPool *pool);

/* ---------------------------------------------------------------- vector kernels */

#define SC_CPU_N_TYPE_IDS 40

/* Dot product of one weight row of @K elements with activations in the weight type's format
 * (sc_ref_act_format(): floats, halves, bfloat16s, ScBlockQ8Act or ScBlockQ8KAct). */
typedef float (*ScCpuVecDotFunc)   (const void  *w,
                                    const void  *x,
                                    gint64       K);
/* Four dot products of one weight row with the activation rows @x, @x + @x_stride, … (bytes);
 * each result bit-identical to the table's vec_dot, the unpacked weights reused four times. */
typedef void  (*ScCpuVecDot4Func)  (const void  *w,
                                    const void  *x,
                                    gsize        x_stride,
                                    gint64       K,
                                    float       *out);
/* Register tiles of prompt matmuls: SC_CPU_GEMM_ROWS weight rows (@w, @w_stride bytes apart) by
 * SC_CPU_GEMM_COLS activation rows (@x, @x_stride bytes apart), written to
 * dst[c * @dst_stride + r], each bit-identical to the table's vec_dot. The activations are
 * floats for every weight type: for halves and bfloat16s, the converted activations widened
 * back (exact, so the products are vec_dot's). */
#define SC_CPU_GEMM_ROWS 4
#define SC_CPU_GEMM_COLS 6
typedef void  (*ScCpuGemmFunc)     (const void  *w,
                                    gsize        w_stride,
                                    const void  *x,
                                    gsize        x_stride,
                                    gint64       K,
                                    float       *dst,
                                    gsize        dst_stride);
/* Repacks @n_groups groups for gemm_repacked: 8 consecutive ScBlockQ8Act each
 * (SC_CPU_REPACKED_GROUP_BYTES), resp. one ScBlockQ8KAct (SC_CPU_REPACKED_K_GROUP_BYTES). */
typedef void  (*ScCpuRepackFunc)   (const void  *x,
                                    void        *dst,
                                    gint64       n_groups);
/* dst[n * M + m] for rows [@m0, @m1) and columns [@n0, @n1) of Q4_0, Q5_0, Q8_0, Q4_K, Q5_K
 * or Q6_K weights against activations repacked by repack_q8_act resp. repack_q8k_act (@xr:
 * all columns), each bit-identical to the table's vec_dot. Returns FALSE, having written
 * nothing, when it does not handle @type or the shape (it needs K a multiple of 256, m1 - m0
 * a multiple of 4 and @n1 >= 2). */
typedef gboolean ScCpuGemmRepackedFunc (ScTensorType  type,
                                        const void   *w,
                                        gsize         row_size,
                                        gint64        K,
                                        gint64        M,
                                        const void   *xr,
                                        gint64        n0,
                                        gint64        n1,
                                        gint64        m0,
                                        gint64        m1,
                                        float        *dst);
#define SC_CPU_REPACKED_GROUP_BYTES (8 * 32 + 8 * 4)
#define SC_CPU_REPACKED_K_GROUP_BYTES (8 * 32 + 16 * 2 + 32)
/* Quantises @n_blocks blocks (32 resp. 256 floats each) exactly like the references. */
typedef void  (*ScCpuQuantizeFunc) (const float *x,
                                    void        *dst,
                                    gint64       n_blocks);
/* Converts @n floats to half precision resp. bfloat16, exactly like sc_ref_convert_act(). */
typedef void  (*ScCpuConvertFunc)  (const float *x,
                                    guint16     *dst,
                                    gint64       n);
/* Widens @n halves resp. bfloat16s to floats (exact). */
typedef void  (*ScCpuWidenFunc)    (const guint16 *x,
                                    float         *dst,
                                    gint64         n);

typedef struct
{
  const char            *name;
  ScCpuVecDotFunc        vec_dot[SC_CPU_N_TYPE_IDS];  /* by weight type; NULL: unsupported */
  ScCpuVecDot4Func       vec_dot4[SC_CPU_N_TYPE_IDS]; /* optional: NULL, use vec_dot */
  const ScCpuGemmFunc   *gemm;                        /* optional: [SC_CPU_N_TYPE_IDS] or NULL */
  ScCpuRepackFunc        repack_q8_act;               /* optional: NULL, no repacked Q8 path */
  ScCpuRepackFunc        repack_q8k_act;              /* optional, with gemm_repacked */
  ScCpuGemmRepackedFunc *gemm_repacked;
  ScCpuQuantizeFunc      quantize_q8;                 /* to ScBlockQ8Act */
  ScCpuQuantizeFunc      quantize_q8k;                /* to ScBlockQ8KAct */
  ScCpuConvertFunc       convert_f16;
  ScCpuConvertFunc       convert_bf16;
  ScCpuWidenFunc         widen_f16;
  ScCpuWidenFunc         widen_bf16;
  /* acc[i] = acc[i] * c + e * v[i] for i < n (the value update of online-softmax attention) */
  void                 (*mad_f32) (float *acc, const float *v, float c, float e, gint64 n);
  void                 (*mad_f16) (float *acc, const guint16 *v, float c, float e, gint64 n);
} ScCpuKernels;

const ScCpuKernels *sc_cpu_kernels_portable (void);
#if defined(SC_HAVE_AVX2) || defined(SC_HAVE_AVX2_UNIT)
const ScCpuKernels *sc_cpu_kernels_avx2     (void);
/* The AVX2 table plus AVX-VNNI kernels (vpdpbusd): only for CPUs that have it. */
const ScCpuKernels *sc_cpu_kernels_avx2_vnni (void);
/* The AVX2 table with the prompt tiles of AVX-512 VNNI: only for CPUs that have it. */
const ScCpuKernels *sc_cpu_kernels_avx512_vnni (void);
#endif
#ifdef SC_HAVE_AVX2_UNIT
extern const ScCpuGemmFunc sc_cpu_gemm_avx2[SC_CPU_N_TYPE_IDS];
void     sc_cpu_vnni_repack_q8_act  (const void   *x,
                                     void         *dst,
                                     gint64        n_groups);
void     sc_cpu_avx2_repack_q8_act  (const void   *x,
                                     void         *dst,
                                     gint64        n_groups);
void     sc_cpu_repack_q8k_act_avx2 (const void   *x,
                                     void         *dst,
                                     gint64        n_groups);
/* The prompt tiles of the AVX2, AVX-VNNI and AVX-512 VNNI tables. */
ScCpuGemmRepackedFunc sc_cpu_avx2_gemm_repacked;
ScCpuGemmRepackedFunc sc_cpu_vnni_gemm_repacked;
ScCpuGemmRepackedFunc sc_cpu_avx512_gemm_repacked;
#endif
/* The fastest table this CPU runs, or the portable one when @allow_simd is FALSE. */
const ScCpuKernels *sc_cpu_kernels_get      (gboolean allow_simd);
/* Stores up to @max_tables of the kernel tables this CPU can run in @tables, the portable one
 * first; returns how many (tests run each of them). */
guint               sc_cpu_kernels_available (const ScCpuKernels **tables,
                                              guint                max_tables);

/* ---------------------------------------------------------------- backend */

typedef struct _ScBackendCpu ScBackendCpu;

/* Tests: forces the portable kernels (TRUE) or the fastest this CPU runs (FALSE). */
void _sc_backend_cpu_set_portable (ScBackendCpu *self,
                                   gboolean      portable);
/* Tests: forces one of the tables of sc_cpu_kernels_available(). */
void _sc_backend_cpu_set_kernels  (ScBackendCpu       *self,
                                   const ScCpuKernels *kernels);

/* ---------------------------------------------------------------- ops */

/* Which activations ScCpuContext.act holds: matmuls that read the same input one after another
 * (Q, K and V; gate and up) convert it once. Every thread keeps its own copy of this record and
 * updates it the same way, so no thread reads what another writes. */
typedef struct
{
  const void     *src;        /* the F32 input's data; NULL: nothing valid */
  gsize           src_bytes;
  ScRefActFormat  format;
  gint64          K, N;
} ScCpuActCache;

/* What every thread sees while a graph is computed. */
typedef struct
{
  ScCpuPool          *pool;
  const ScCpuKernels *kernels;
  guint8             *work;       /* scratch shared by the threads of one op */
  gsize               work_size;
  guint8             *act;        /* converted activations of the latest matmul */
  ScCpuActCache      *act_cache;  /* [n_threads]: reset before each graph */
} ScCpuContext;

/* Scratch bytes @op needs with @n_threads threads (64-byte aligned pieces). */
gsize sc_cpu_op_work_size (const ScOp *op,
                           int         n_threads);
/* Runs the share @ith of @nth of @op; every thread of the pool calls it for every op. Ops that
 * need a second phase synchronise inside with sc_cpu_pool_barrier(). Arguments were checked
 * before (row ids of get_rows included): these never fail. */
void  sc_cpu_op_run       (const ScCpuContext *ctx,
                           const ScOp         *op,
                           int                 ith,
                           int                 nth);
void  sc_cpu_matmul       (const ScCpuContext *ctx,
                           const ScOp         *op,
                           int                 ith,
                           int                 nth);
/* Bytes of ScCpuContext.act that @op needs (0 unless a matmul with converted activations). */
gsize sc_cpu_matmul_act_size  (const ScOp *op);
/* Called by every thread before every op: forgets cached activations that @op overwrites. */
void  sc_cpu_act_cache_check  (const ScCpuContext *ctx,
                               const ScOp         *op,
                               int                 ith);

/* [start, end) of @n items for thread @ith of @nth, in pieces of @align items (so threads
 * writing neighbouring ranges do not share cache lines). */
static inline void
sc_cpu_split (gint64  n,
              int     ith,
              int     nth,
              gint64  align,
              gint64 *start,
              gint64 *end)
{
  gint64 n_units = (n + align - 1) / align;
  gint64 per = n_units / nth, extra = n_units % nth;
  gint64 u0 = ith * per + MIN (ith, extra);
  gint64 u1 = u0 + per + (ith < extra ? 1 : 0);

  *start = MIN (n, u0 * align);
  *end = MIN (n, u1 * align);
}

G_END_DECLS
