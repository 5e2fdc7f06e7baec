/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-quant.h: tensor element types, their ggml-compatible block layouts, fp16/bf16 conversion,
 * and scalar reference (de)quantisation.
 *
 * The type ids and block layouts are ggml's, so GGUF weights are used in place. Everything here
 * is the scalar reference: the CPU and Vulkan kernels are tested against these functions.
 *
 * Floating point: dequantisation matches ggml's dequantize_row_* bit for bit when both are built
 * without floating-point contraction (no fused multiply-add), which is what x86-64 builds do by
 * default.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* ggml's type ids, as stored in GGUF tensor infos. Ids without a name here (4, 5, 31–33, 36–38)
 * were removed from ggml and are rejected. Types other than the supported ones are known so
 * that files holding them can still be opened and listed (see sc_tensor_type_is_supported()). */
typedef enum
{
  SC_TENSOR_TYPE_F32 = 0,
  SC_TENSOR_TYPE_F16 = 1,
  SC_TENSOR_TYPE_Q4_0 = 2,
  SC_TENSOR_TYPE_Q4_1 = 3,
  SC_TENSOR_TYPE_Q5_0 = 6,
  SC_TENSOR_TYPE_Q5_1 = 7,
  SC_TENSOR_TYPE_Q8_0 = 8,
  SC_TENSOR_TYPE_Q8_1 = 9,
  SC_TENSOR_TYPE_Q2_K = 10,
  SC_TENSOR_TYPE_Q3_K = 11,
  SC_TENSOR_TYPE_Q4_K = 12,
  SC_TENSOR_TYPE_Q5_K = 13,
  SC_TENSOR_TYPE_Q6_K = 14,
  SC_TENSOR_TYPE_Q8_K = 15,
  SC_TENSOR_TYPE_IQ2_XXS = 16,
  SC_TENSOR_TYPE_IQ2_XS = 17,
  SC_TENSOR_TYPE_IQ3_XXS = 18,
  SC_TENSOR_TYPE_IQ1_S = 19,
  SC_TENSOR_TYPE_IQ4_NL = 20,
  SC_TENSOR_TYPE_IQ3_S = 21,
  SC_TENSOR_TYPE_IQ2_S = 22,
  SC_TENSOR_TYPE_IQ4_XS = 23,
  SC_TENSOR_TYPE_I8 = 24,
  SC_TENSOR_TYPE_I16 = 25,
  SC_TENSOR_TYPE_I32 = 26,
  SC_TENSOR_TYPE_I64 = 27,
  SC_TENSOR_TYPE_F64 = 28,
  SC_TENSOR_TYPE_IQ1_M = 29,
  SC_TENSOR_TYPE_BF16 = 30,
  SC_TENSOR_TYPE_TQ1_0 = 34,
  SC_TENSOR_TYPE_TQ2_0 = 35,
  SC_TENSOR_TYPE_MXFP4 = 39,
} ScTensorType;

/* Elements per block of the K-quants (ggml's QK_K). */
#define SC_QK_K 256

/* ---- Block layouts (packed exactly like ggml's; all fields little-endian) ---- */

/* 32 weights: w = (q - 8) * d */
typedef struct
{
  guint16 d;      /* fp16 scale */
  guint8  qs[16]; /* nibbles: low = weights 0..15, high = weights 16..31 */
} ScBlockQ4_0;

/* 32 weights: w = q * d + m */
typedef struct
{
  guint16 d;      /* fp16 scale */
  guint16 m;      /* fp16 minimum */
  guint8  qs[16]; /* nibbles as in ScBlockQ4_0 */
} ScBlockQ4_1;

/* 32 weights: w = (q - 16) * d, q = nibble | high bit << 4 */
typedef struct
{
  guint16 d;      /* fp16 scale */
  guint8  qh[4];  /* bit j (little-endian u32) = fifth bit of weight j */
  guint8  qs[16]; /* low nibbles as in ScBlockQ4_0 */
} ScBlockQ5_0;

/* 32 weights: w = q * d + m */
typedef struct
{
  guint16 d;
  guint16 m;
  guint8  qh[4];
  guint8  qs[16];
} ScBlockQ5_1;

/* 32 weights: w = q * d */
typedef struct
{
  guint16 d;      /* fp16 scale */
  gint8   qs[32];
} ScBlockQ8_0;

/* 256 weights in 8 sub-blocks of 32: w = d * sc[j] * q - dmin * m[j], 6-bit sc and m packed in
 * @scales (see sc_get_scale_min_k4()). */
typedef struct
{
  guint16 d;           /* fp16 super-block scale of the 6-bit scales */
  guint16 dmin;        /* fp16 super-block scale of the 6-bit mins */
  guint8  scales[12];  /* 8 scales + 8 mins, 6 bits each */
  guint8  qs[128];     /* 4-bit quants: bytes 32k..32k+31 hold sub-blocks 2k (low nibbles)
                        * and 2k+1 (high nibbles) */
} ScBlockQ4_K;

/* As ScBlockQ4_K with a fifth bit per weight in @qh. */
typedef struct
{
  guint16 d;
  guint16 dmin;
  guint8  scales[12];
  guint8  qh[32];      /* bit 2k / 2k+1 of qh[l]: fifth bit of weight l of sub-block 2k / 2k+1 */
  guint8  qs[128];
} ScBlockQ5_K;

/* 256 weights in 16 sub-blocks of 16: w = d * scales[j] * (q - 32), q 6 bits */
typedef struct
{
  guint8  ql[128];     /* low 4 bits */
  guint8  qh[64];      /* high 2 bits */
  gint8   scales[16];  /* 8-bit sub-block scales */
  guint16 d;           /* fp16 super-block scale */
} ScBlockQ6_K;

G_STATIC_ASSERT (sizeof (ScBlockQ4_0) == 18);
G_STATIC_ASSERT (sizeof (ScBlockQ4_1) == 20);
G_STATIC_ASSERT (sizeof (ScBlockQ5_0) == 22);
G_STATIC_ASSERT (sizeof (ScBlockQ5_1) == 24);
G_STATIC_ASSERT (sizeof (ScBlockQ8_0) == 34);
G_STATIC_ASSERT (sizeof (ScBlockQ4_K) == 144);
G_STATIC_ASSERT (sizeof (ScBlockQ5_K) == 176);
G_STATIC_ASSERT (sizeof (ScBlockQ6_K) == 210);

/* ---- Type traits ---- */

/* Known: a ggml type id whose block layout is known (sizes can be computed, data cannot
 * necessarily be read). Supported: sc_dequantize_row() and friends handle it: F32, F16, BF16,
 * Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K, Q6_K. Names, block sizes (elements per block) and
 * type sizes (bytes per block) are 0 / NULL for unknown ids. */
gboolean    sc_tensor_type_is_known     (guint32      type_id);
gboolean    sc_tensor_type_is_supported (ScTensorType type);
const char *sc_tensor_type_name         (ScTensorType type);
gint64      sc_tensor_type_block_size   (ScTensorType type);
gsize       sc_tensor_type_type_size    (ScTensorType type);
/* Bytes in a row of @ne0 elements. Fails (SC_ERROR_CORRUPT) when @ne0 is not positive, not a
 * multiple of the block size or the size overflows, and (SC_ERROR_NOT_SUPPORTED) for unknown
 * types. */
gboolean    sc_tensor_row_size          (ScTensorType type,
                                         gint64       ne0,
                                         gsize       *size,
                                         GError     **error);

/* ---- Scalar conversion ----
 *
 * Exact in the widening direction. Narrowing rounds to nearest, ties to even, overflows to
 * infinity and keeps subnormals; NaNs stay NaNs (quiet, sign and top payload bits kept, as
 * F16C and ggml's bf16 code do). */

float   sc_fp16_to_fp32 (guint16 h);
guint16 sc_fp32_to_fp16 (float f);
float   sc_bf16_to_fp32 (guint16 h);
guint16 sc_fp32_to_bf16 (float f);

void sc_fp16_to_fp32_row (const guint16 *src,
                          float         *dst,
                          gint64         n);
void sc_fp32_to_fp16_row (const float   *src,
                          guint16       *dst,
                          gint64         n);

/* Unpacks the 6-bit scale and min of sub-block @j (0..7) from a Q4_K/Q5_K scales array. */
void sc_get_scale_min_k4 (int           j,
                          const guint8 *scales,
                          guint8       *sc,
                          guint8       *m);

/* ---- Rows ----
 *
 * All three take @n elements, a multiple of the type's block size, and a supported @type;
 * anything else is a programming error (g_return_if_fail).
 *
 * sc_dequantize_row(): ggml's dequantize_row_*, bit for bit.
 * sc_quantize_row_ref(): ggml's quantize_row_*_ref (deterministic, slow); @src must be finite.
 *   Returns the bytes written to @dst (n / block size * type size).
 * sc_vec_dot_row(): the CPU reference for matrix products. The row is dequantised block by
 *   block and the float products row[i] * x[i] are added in index order to a float sum that
 *   starts at 0, so any implementation can reproduce it exactly.
 */

void  sc_dequantize_row  (ScTensorType  type,
                          const void   *src,
                          float        *dst,
                          gint64        n);
gsize sc_quantize_row_ref (ScTensorType  type,
                           const float  *src,
                           void         *dst,
                           gint64        n);
float sc_vec_dot_row     (ScTensorType  type,
                          const void   *row,
                          const float  *x,
                          gint64        n);

G_END_DECLS
