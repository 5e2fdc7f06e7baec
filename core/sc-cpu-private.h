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
/* Quantises @n_blocks blocks (32 resp. 256 floats each) exactly like the references. */
typedef void  (*ScCpuQuantizeFunc) (const float *x,
                                    void        *dst,
                                    gint64       n_blocks);
/* Converts @n floats to half precision resp. bfloat16, exactly like sc_ref_convert_act(). */
typedef void  (*ScCpuConvertFunc)  (const float *x,
                                    guint16     *dst,
                                    gint64       n);

typedef struct
{
  const char        *name;
  ScCpuVecDotFunc    vec_dot[SC_CPU_N_TYPE_IDS];  /* by weight type; NULL: unsupported */
  ScCpuVecDot4Func   vec_dot4[SC_CPU_N_TYPE_IDS]; /* optional: NULL, use vec_dot */
  ScCpuQuantizeFunc  quantize_q8;                  /* to ScBlockQ8Act */
  ScCpuQuantizeFunc  quantize_q8k;                 /* to ScBlockQ8KAct */
  ScCpuConvertFunc   convert_f16;
  ScCpuConvertFunc   convert_bf16;
  /* acc[i] = acc[i] * c + e * v[i] for i < n (the value update of online-softmax attention) */
  void             (*mad_f32)     (float *acc, const float *v, float c, float e, gint64 n);
  void             (*mad_f16)     (float *acc, const guint16 *v, float c, float e, gint64 n);
} ScCpuKernels;

const ScCpuKernels *sc_cpu_kernels_portable (void);
#if defined(SC_HAVE_AVX2) || defined(SC_HAVE_AVX2_UNIT)
const ScCpuKernels *sc_cpu_kernels_avx2     (void);
#endif
/* The fastest table this CPU runs, or the portable one when @allow_simd is FALSE. */
const ScCpuKernels *sc_cpu_kernels_get      (gboolean allow_simd);

/* ---------------------------------------------------------------- backend */

typedef struct _ScBackendCpu ScBackendCpu;

/* Tests: forces the portable kernels (TRUE) or the fastest this CPU runs (FALSE). */
void _sc_backend_cpu_set_portable (ScBackendCpu *self,
                                   gboolean      portable);

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
