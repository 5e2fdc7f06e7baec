/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cpu-ops-avx2.h: AVX2/FMA element-wise kernels (sc-cpu-ops-avx2.c). sc-cpu-ops.c calls them
 * only when the backend runs the AVX2 kernel table (the CPU has AVX2, FMA and F16C). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* dst = 0.5 a (1 + tanh (sqrt (2/pi) (a + 0.044715 a^3))); @dst may be @a */
void sc_cpu_gelu_avx2 (const float *a,
                       float       *dst,
                       gint64       n);
/* dst = a sigmoid (a) (SiLU), times b when @b is not NULL (SwiGLU); @dst may be @a */
void sc_cpu_silu_avx2 (const float *a,
                       const float *b,
                       float       *dst,
                       gint64       n);

/* Queries per call of sc_cpu_attention_f32_avx2() at most. */
#define SC_CPU_ATTN_BLOCK 4

/* Attention of @n_q (<= SC_CPU_ATTN_BLOCK) query rows @q of one head (D floats each, D a
 * multiple of 8) over F32 key and value rows (@row_stride floats apart, starting at @k and @v):
 * out_i = softmax_j (K_j · q_i * @scale + mask_i[j]) V_j over the first @visible[i] rows.
 * @mask[i] may be NULL. @scores: scratch of n_q * max (visible) floats. */
void sc_cpu_attention_f32_avx2 (const float *const *q,
                                float *const       *out,
                                const float *const *mask,
                                const int          *visible,
                                int                 n_q,
                                const float        *k,
                                const float        *v,
                                gsize               row_stride,
                                gint64              D,
                                float               scale,
                                float              *scores);

/* The same over F16 key and value rows (@row_stride halves apart), the queries rounded to
 * halves for K·q and the probabilities for the product with V. @work: scratch of
 * SC_CPU_ATTN_BLOCK * D floats. */
void sc_cpu_attention_f16_avx2 (const float *const *q,
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
                                float              *scores);

G_END_DECLS
