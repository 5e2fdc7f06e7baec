/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-ops-ref.h: plain scalar reference implementations of every graph op (sc-graph.h) on host
 * arrays. Slow and obviously correct: the CPU and Vulkan kernels are tested against these.
 *
 * Conventions: a "row" is ne[0] contiguous elements; every array is packed. Where an op
 * broadcasts a second operand over rows (bias, norm weight, softmax mask) the operand is passed
 * with a row stride in elements: 0 to broadcast one row, ne0 for a full tensor.
 * Reductions (norms, softmax, attention) are done in double, so the references are more
 * accurate than any kernel; tolerances in the tests are stated against them.
 */
#pragma once

#include <glib.h>

#include "sc-graph.h"
#include "sc-quant.h"

G_BEGIN_DECLS

/* ---- Quantised activations ----
 *
 * The fast matmul paths convert the activations x once per op to the format ggml's CPU backend
 * uses for the weight type (its vec_dot_type), with ggml's own arithmetic, so that the integer
 * sums of every block are the same as llama.cpp's and only the float summation order differs:
 *
 *   Q4_0, Q5_0, Q8_0 → block_q8_0; Q4_1, Q5_1 → block_q8_1 (ScBlockQ8Act, 32 elements):
 *     amax = max |x_i|, d = amax / 127, id = amax != 0 ? 127 / amax : 0,
 *     q_i = nearbyintf (x_i * id) (the product rounded to float, then to nearest, ties to even:
 *     ggml's AVX2 quantize_row_q8_0/_1), stored d = fp16 (d), s = fp16 (d * Σ q_i) (both
 *     rounded to half precision and kept here as the floats they stand for).
 *   Q4_K, Q5_K, Q6_K → block_q8_K (ScBlockQ8KAct, 256 elements; quantize_row_q8_K_ref):
 *     max = the first x_i of largest |x_i|; if it is 0 everything is 0; else
 *     iscale = -127 / max, q_i = MIN (127, nearbyintf (iscale * x_i)), d = 1 / iscale
 *     (negative when max > 0), bsums[j] = Σ of q over 16 elements.
 *   F16 → half precision (ties to even), BF16 → bfloat16 (ties to even), F32 → as is.
 *
 * All in single precision without contraction. x_i ≈ d * q_i. */
typedef struct
{
  float  d;       /* scale, a half-precision value */
  float  s;       /* d * sum (qs) rounded to half precision: for the weight types with a min */
  gint8  qs[32];
} ScBlockQ8Act;

typedef struct
{
  float   d;          /* scale */
  gint16  bsums[16];  /* sums of qs[16 j .. 16 j + 15] */
  gint8   qs[256];
} ScBlockQ8KAct;

G_STATIC_ASSERT (sizeof (ScBlockQ8Act) == 40);
G_STATIC_ASSERT (sizeof (ScBlockQ8KAct) == 292);

/* Which activation format a weight type's fast path uses. */
typedef enum
{
  SC_REF_ACT_F32,  /* F32 weights: float activations */
  SC_REF_ACT_Q8,   /* ScBlockQ8Act */
  SC_REF_ACT_Q8K,  /* ScBlockQ8KAct */
  SC_REF_ACT_F16,  /* F16 weights: guint16 half-precision activations */
  SC_REF_ACT_BF16, /* BF16 weights: guint16 bfloat16 activations */
} ScRefActFormat;

ScRefActFormat sc_ref_act_format        (ScTensorType        wtype);
/* Bytes of one converted activation row of @K elements in @format (4 K for F32). */
gsize          sc_ref_act_row_size      (ScRefActFormat      format,
                                         gint64              K);
/* Quantises @K (a multiple of 32, resp. 256) floats. */
void           sc_ref_quantize_q8act    (const float        *x,
                                         ScBlockQ8Act       *dst,
                                         gint64              K);
void           sc_ref_quantize_q8kact   (const float        *x,
                                         ScBlockQ8KAct      *dst,
                                         gint64              K);
/* Converts one row of @K floats to @format (any format; F32 copies). */
void           sc_ref_convert_act       (ScRefActFormat      format,
                                         const float        *x,
                                         void               *dst,
                                         gint64              K);
/* Dot product of one weight row with converted activations (@xq in the weight type's format,
 * see sc_ref_act_format()). Per block the integer products are summed exactly; the block is
 * then scaled in float, following ggml's vec_dot kernels:
 *   Q4_0, Q5_0, Q8_0:  sum += dw * dx * isum           (weights q - 8, q - 16, q)
 *   Q4_1, Q5_1:        sum += dw * dx * isum + mw * sx (weights q without offset)
 *   Q4_K, Q5_K:        sum += dx * d * Σ_j sc_j isum_j - dx * dmin * Σ_j m_j bsum_j
 *   Q6_K:              sum += dx * d * Σ_j scale_j isum_j (weights q - 32)
 *   F16, BF16:         Σ w_i x_i, every product exact in float (summed here in double)
 * Kernels may sum in any order and may fuse multiply-adds: they agree to float rounding. */
float          sc_ref_vec_dot_q8act     (ScTensorType        wtype,
                                         const void         *row,
                                         const void         *xq,
                                         gint64              K);

/* ---- Ops ---- */

/* dst[E, n] = rows ids[i] of table[E, V] of any supported type. Ids must be in [0, V). */
void     sc_ref_get_rows   (ScTensorType  type,
                            const void   *table,
                            gint64        E,
                            const gint32 *ids,
                            gint64        n,
                            float        *dst);
/* dst[M, N] = w[K, M] x[K, N] with sc_vec_dot_row() per output: the float reference. */
void     sc_ref_matmul     (ScTensorType  wtype,
                            const void   *w,
                            const float  *x,
                            float        *dst,
                            gint64        K,
                            gint64        M,
                            gint64        N);
/* As sc_ref_matmul(), but the activations are first converted (sc_ref_act_format()) and the
 * products are sc_ref_vec_dot_q8act(): what the fast kernels compute, up to summation order. */
void     sc_ref_matmul_q8act (ScTensorType  wtype,
                              const void   *w,
                              const float  *x,
                              float        *dst,
                              gint64        K,
                              gint64        M,
                              gint64        N);
/* dst[ne0, n_rows] = a + b, a * b; row r of b starts at b + r * b_stride. */
void     sc_ref_add        (const float  *a,
                            const float  *b,
                            gint64        b_stride,
                            float        *dst,
                            gint64        ne0,
                            gint64        n_rows);
void     sc_ref_mul        (const float  *a,
                            const float  *b,
                            gint64        b_stride,
                            float        *dst,
                            gint64        ne0,
                            gint64        n_rows);
void     sc_ref_scale      (const float  *a,
                            float         s,
                            float        *dst,
                            gint64        n);
/* @w may be NULL (no weight). */
void     sc_ref_rms_norm   (const float  *a,
                            const float  *w,
                            gint64        w_stride,
                            float         eps,
                            float        *dst,
                            gint64        ne0,
                            gint64        n_rows);
/* @w and @b may be NULL. */
void     sc_ref_layer_norm (const float  *a,
                            const float  *w,
                            gint64        w_stride,
                            const float  *b,
                            gint64        b_stride,
                            float         eps,
                            float        *dst,
                            gint64        ne0,
                            gint64        n_rows);
/* a[D, H, T], pos[T]. theta_j = pos * freq_scale * freq_base^(-2j / n_rot), in double. */
void     sc_ref_rope       (const float  *a,
                            const gint32 *pos,
                            float        *dst,
                            gint64        D,
                            gint64        H,
                            gint64        T,
                            int           n_rot,
                            ScRopeMode    mode,
                            float         freq_base,
                            float         freq_scale);
/* @mask may be NULL; a row of only -inf gives zeros. */
void     sc_ref_softmax    (const float  *a,
                            const float  *mask,
                            gint64        mask_stride,
                            float         scale,
                            float        *dst,
                            gint64        ne0,
                            gint64        n_rows);
/* q[D, Hq, T]; k, v: caches of rows of D * Hkv elements (F32 or F16), rows 0 .. n_kv - 1 used;
 * mask (may be NULL): [mask_stride >= n_kv, T]; dst[D * Hq, T]. Two passes in double. A query
 * that sees no row (everything masked) gives zeros. */
void     sc_ref_attention  (const float  *q,
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
                            float         scale);
void     sc_ref_silu       (const float  *a,
                            float        *dst,
                            gint64        n);
void     sc_ref_gelu       (const float  *a,
                            float        *dst,
                            gint64        n);
void     sc_ref_swiglu     (const float  *a,
                            const float  *b,
                            float        *dst,
                            gint64        n);
/* Writes a[E, n] into rows row0 .. row0 + n - 1 of dst (F32, or F16 via sc_fp32_to_fp16()). */
void     sc_ref_copy_rows  (const float  *a,
                            gint64        E,
                            gint64        n,
                            ScTensorType  dst_type,
                            void         *dst,
                            gint64        row0);

/* ---- Executors ---- */

/* Runs one op on host memory: every tensor of @op (views included) must have @data set to a
 * host address. Fails (SC_ERROR_INVALID_ARGUMENT) on an out-of-range row id, and
 * (SC_ERROR_NOT_SUPPORTED) on types the op does not take. */
gboolean sc_ref_compute_op    (const ScOp  *op,
                               GError     **error);
/* Runs every op of @graph in order with sc_ref_compute_op(). Every intermediate gets its own
 * zero-filled host allocation (no arena reuse: independent of sc_graph_plan()), appended to
 * @storage (a GPtrArray with g_free as free function; keep it until the results are read);
 * views point into their root. WEIGHT and PERSISTENT tensors must already have host @data. */
gboolean sc_ref_compute_graph (ScGraph     *graph,
                               GPtrArray   *storage,
                               GError     **error);

G_END_DECLS
