/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-quant.c: tensor types, fp16/bf16 conversion and the reference (de)quantisation.
 *
 * Dequantisation is checked exactly on blocks built byte by byte from the layout description
 * (with packers written here, independently of core/), quantisation by its round-trip error on
 * random data, and the dot product against the dequantised row. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sc-error.h"
#include "sc-quant.h"

static const ScTensorType supported_types[] = {
  SC_TENSOR_TYPE_F32, SC_TENSOR_TYPE_F16, SC_TENSOR_TYPE_BF16,
  SC_TENSOR_TYPE_Q4_0, SC_TENSOR_TYPE_Q4_1, SC_TENSOR_TYPE_Q5_0, SC_TENSOR_TYPE_Q5_1,
  SC_TENSOR_TYPE_Q8_0, SC_TENSOR_TYPE_Q4_K, SC_TENSOR_TYPE_Q5_K, SC_TENSOR_TYPE_Q6_K,
};

static guint32
bits_of (float f)
{
  guint32 u;

  memcpy (&u, &f, 4);
  return u;
}

static float
float_of (guint32 u)
{
  float f;

  memcpy (&f, &u, 4);
  return f;
}

/* ---- Type traits ---- */

static void
test_type_traits (void)
{
  static const struct
  {
    ScTensorType type;
    const char  *name;
    gint64       block_size;
    gsize        type_size;
  } expected[] = {
    { SC_TENSOR_TYPE_F32, "f32", 1, 4 },     { SC_TENSOR_TYPE_F16, "f16", 1, 2 },
    { SC_TENSOR_TYPE_BF16, "bf16", 1, 2 },   { SC_TENSOR_TYPE_Q4_0, "q4_0", 32, 18 },
    { SC_TENSOR_TYPE_Q4_1, "q4_1", 32, 20 }, { SC_TENSOR_TYPE_Q5_0, "q5_0", 32, 22 },
    { SC_TENSOR_TYPE_Q5_1, "q5_1", 32, 24 }, { SC_TENSOR_TYPE_Q8_0, "q8_0", 32, 34 },
    { SC_TENSOR_TYPE_Q4_K, "q4_K", 256, 144 }, { SC_TENSOR_TYPE_Q5_K, "q5_K", 256, 176 },
    { SC_TENSOR_TYPE_Q6_K, "q6_K", 256, 210 }, { SC_TENSOR_TYPE_Q2_K, "q2_K", 256, 84 },
    { SC_TENSOR_TYPE_Q3_K, "q3_K", 256, 110 }, { SC_TENSOR_TYPE_IQ4_XS, "iq4_xs", 256, 136 },
  };
  g_autoptr(GError) error = NULL;
  gsize size;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_true (sc_tensor_type_is_known (expected[i].type));
      g_assert_cmpstr (sc_tensor_type_name (expected[i].type), ==, expected[i].name);
      g_assert_cmpint (sc_tensor_type_block_size (expected[i].type), ==, expected[i].block_size);
      g_assert_cmpuint (sc_tensor_type_type_size (expected[i].type), ==, expected[i].type_size);
    }
  for (guint i = 0; i < G_N_ELEMENTS (supported_types); i++)
    g_assert_true (sc_tensor_type_is_supported (supported_types[i]));
  g_assert_false (sc_tensor_type_is_supported (SC_TENSOR_TYPE_Q3_K));
  g_assert_false (sc_tensor_type_is_known (4));
  g_assert_false (sc_tensor_type_is_known (31));
  g_assert_false (sc_tensor_type_is_known (40));
  g_assert_null (sc_tensor_type_name (5));

  g_assert_true (sc_tensor_row_size (SC_TENSOR_TYPE_Q4_K, 4096, &size, &error));
  g_assert_cmpuint (size, ==, 16 * 144);
  g_assert_true (sc_tensor_row_size (SC_TENSOR_TYPE_F16, 3, &size, &error));
  g_assert_cmpuint (size, ==, 6);
  g_assert_false (sc_tensor_row_size (SC_TENSOR_TYPE_Q8_0, 33, &size, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_false (sc_tensor_row_size (SC_TENSOR_TYPE_F32, 0, &size, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_false (sc_tensor_row_size (SC_TENSOR_TYPE_F32, G_MAXINT64, &size, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_false (sc_tensor_row_size (38, 32, &size, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED);
}

/* ---- fp16 and bf16 ---- */

static void
test_fp16_values (void)
{
  g_assert_cmpfloat (sc_fp16_to_fp32 (0x3c00), ==, 1.0f);
  g_assert_cmpfloat (sc_fp16_to_fp32 (0xc000), ==, -2.0f);
  g_assert_cmpfloat (sc_fp16_to_fp32 (0x7bff), ==, 65504.0f);
  g_assert_cmpfloat (sc_fp16_to_fp32 (0x0400), ==, ldexpf (1, -14));   /* smallest normal */
  g_assert_cmpfloat (sc_fp16_to_fp32 (0x03ff), ==, ldexpf (1023, -24)); /* largest subnormal */
  g_assert_cmpfloat (sc_fp16_to_fp32 (0x0001), ==, ldexpf (1, -24));   /* smallest subnormal */
  g_assert_cmpuint (bits_of (sc_fp16_to_fp32 (0x8000)), ==, 0x80000000);
  g_assert_true (isinf (sc_fp16_to_fp32 (0x7c00)) && sc_fp16_to_fp32 (0x7c00) > 0);
  g_assert_true (isinf (sc_fp16_to_fp32 (0xfc00)) && sc_fp16_to_fp32 (0xfc00) < 0);
  g_assert_true (isnan (sc_fp16_to_fp32 (0x7e00)));
  /* A signalling NaN comes back quiet, payload and sign kept. */
  g_assert_cmpuint (bits_of (sc_fp16_to_fp32 (0xfc01)), ==, 0xffc02000);

  g_assert_cmpuint (sc_fp32_to_fp16 (1.0f), ==, 0x3c00);
  g_assert_cmpuint (sc_fp32_to_fp16 (-0.0f), ==, 0x8000);
  g_assert_cmpuint (sc_fp32_to_fp16 (65504.0f), ==, 0x7bff);
  g_assert_cmpuint (sc_fp32_to_fp16 (65519.99f), ==, 0x7bff);
  g_assert_cmpuint (sc_fp32_to_fp16 (65520.0f), ==, 0x7c00); /* the tie goes to even: inf */
  g_assert_cmpuint (sc_fp32_to_fp16 (1e10f), ==, 0x7c00);
  g_assert_cmpuint (sc_fp32_to_fp16 (-INFINITY), ==, 0xfc00);
  g_assert_cmpuint (sc_fp32_to_fp16 (ldexpf (1, -25)), ==, 0x0000); /* tie: even 0 */
  g_assert_cmpuint (sc_fp32_to_fp16 (nextafterf (ldexpf (1, -25), 1)), ==, 0x0001);
  g_assert_cmpuint (sc_fp32_to_fp16 (ldexpf (3, -25)), ==, 0x0002); /* 1.5 ulp: tie to even */
  g_assert_cmpuint (sc_fp32_to_fp16 (-1e-10f), ==, 0x8000);
  g_assert_cmpuint (sc_fp32_to_fp16 (ldexpf (1023, -24)), ==, 0x03ff);
  g_assert_cmpuint (sc_fp32_to_fp16 (ldexpf (2047, -25)), ==, 0x0400); /* rounds up to normal */
  g_assert_cmpuint (sc_fp32_to_fp16 (float_of (0x7fc00000)) & 0x7e00, ==, 0x7e00);
  /* A NaN whose payload sits only in the low bits must not become infinity. */
  g_assert_cmpuint (sc_fp32_to_fp16 (float_of (0x7f800001)) & 0x7fff, >, 0x7c00);
}

/* Every half: widening is exact and narrowing brings it back; every midpoint between two
 * neighbouring halves rounds to the even one, and the floats beside it to the nearer one. */
static void
test_fp16_exhaustive (void)
{
  for (guint32 h = 0; h < 0x10000; h++)
    {
      const float f = sc_fp16_to_fp32 ((guint16) h);

      if ((h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0)
        {
          g_assert_true (isnan (f));
          g_assert_cmpuint (sc_fp32_to_fp16 (f), ==, h | 0x200);
          continue;
        }
      g_assert_cmpuint (sc_fp32_to_fp16 (f), ==, h);
      if ((h & 0x7fff) < 0x7bff)
        {
          const float next = sc_fp16_to_fp32 ((guint16) (h + 1));
          const float mid = (f + next) / 2; /* exact: 12 significant bits */
          const guint32 even = (h & 1) == 0 ? h : h + 1;

          g_assert_cmpuint (sc_fp32_to_fp16 (mid), ==, even);
          g_assert_cmpuint (sc_fp32_to_fp16 (nextafterf (mid, f)), ==, h);
          g_assert_cmpuint (sc_fp32_to_fp16 (nextafterf (mid, next)), ==, h + 1);
        }
    }
}

#ifdef __FLT16_MAX__
/* The compiler's own float → _Float16 conversion (round to nearest even) as an oracle over a
 * spread of float bit patterns. */
static void
test_fp16_compiler (void)
{
  for (guint64 u = 0; u <= G_MAXUINT32; u += 4093)
    {
      const float f = float_of ((guint32) u);
      const _Float16 h = (_Float16) f;
      guint16 expected;

      if (isnan (f))
        continue;
      memcpy (&expected, &h, 2);
      g_assert_cmpuint (sc_fp32_to_fp16 (f), ==, expected);
    }
}
#endif

static void
test_bf16 (void)
{
  for (guint32 h = 0; h < 0x10000; h++)
    {
      const float f = sc_bf16_to_fp32 ((guint16) h);

      g_assert_cmpuint (bits_of (f), ==, h << 16);
      if (!isnan (f))
        g_assert_cmpuint (sc_fp32_to_bf16 (f), ==, h);
    }
  g_assert_cmpuint (sc_fp32_to_bf16 (float_of (0x3f808000)), ==, 0x3f80); /* tie, to even */
  g_assert_cmpuint (sc_fp32_to_bf16 (float_of (0x3f818000)), ==, 0x3f82); /* tie, to even */
  g_assert_cmpuint (sc_fp32_to_bf16 (float_of (0x3f808001)), ==, 0x3f81);
  g_assert_cmpuint (sc_fp32_to_bf16 (float_of (0x3f807fff)), ==, 0x3f80);
  g_assert_cmpuint (sc_fp32_to_bf16 (float_of (0x7f7fffff)), ==, 0x7f80); /* overflows to inf */
  g_assert_cmpuint (sc_fp32_to_bf16 (float_of (0x00018000)), ==, 0x0002); /* subnormal tie */
  g_assert_cmpuint (sc_fp32_to_bf16 (float_of (0x7f800001)), ==, 0x7fc0); /* NaN stays NaN */
  g_assert_cmpuint (sc_fp32_to_bf16 (float_of (0xffffffff)), ==, 0xffff);
  g_assert_cmpuint (sc_fp32_to_bf16 (-INFINITY), ==, 0xff80);
}

/* ---- Dequantisation of hand-built blocks ---- */

static void
put_fp16 (guint16 *field,
          float    value)
{
  *field = sc_fp32_to_fp16 (value);
  g_assert_cmpfloat (sc_fp16_to_fp32 (*field), ==, value); /* the test values are exact */
}

static void
assert_dequantized (ScTensorType  type,
                    gconstpointer blocks,
                    const float  *expected,
                    gint64        n)
{
  g_autofree float *out = g_new (float, n);

  sc_dequantize_row (type, blocks, out, n);
  for (gint64 i = 0; i < n; i++)
    if (bits_of (out[i]) != bits_of (expected[i]))
      g_error ("%s element %" G_GINT64_FORMAT ": got %.9g, expected %.9g",
               sc_tensor_type_name (type), i, out[i], expected[i]);
}

/* The 4-bit quant of weight @i (0..31) of a 32-weight block: low nibbles hold 0..15. */
static guint8
nibble (const guint8 *qs,
        int           i)
{
  return i < 16 ? qs[i] & 0xf : qs[i - 16] >> 4;
}

static void
test_dequantize_legacy (void)
{
  ScBlockQ4_0 q4_0[2];
  ScBlockQ4_1 q4_1;
  ScBlockQ5_0 q5_0;
  ScBlockQ5_1 q5_1;
  ScBlockQ8_0 q8_0;
  float expected[64];
  const guint32 qh = 0xa5c3f00f;

  /* Q4_0: nibbles 0..15 and 15..0; w = (q - 8) * d. */
  put_fp16 (&q4_0[0].d, 0.5f);
  put_fp16 (&q4_0[1].d, -3.0f);
  for (int j = 0; j < 16; j++)
    q4_0[0].qs[j] = q4_0[1].qs[j] = (guint8) (j | (15 - j) << 4);
  for (int b = 0; b < 2; b++)
    for (int i = 0; i < 32; i++)
      expected[32 * b + i] = (nibble (q4_0[b].qs, i) - 8) * (b == 0 ? 0.5f : -3.0f);
  g_assert_cmpfloat (expected[0], ==, -4.0f);
  g_assert_cmpfloat (expected[16], ==, 3.5f);
  assert_dequantized (SC_TENSOR_TYPE_Q4_0, q4_0, expected, 64);

  /* Q4_1: w = q * d + m. */
  put_fp16 (&q4_1.d, 0.25f);
  put_fp16 (&q4_1.m, -1.0f);
  for (int j = 0; j < 16; j++)
    q4_1.qs[j] = (guint8) ((j * 3) % 16 | j << 4);
  for (int i = 0; i < 32; i++)
    expected[i] = nibble (q4_1.qs, i) * 0.25f - 1.0f;
  assert_dequantized (SC_TENSOR_TYPE_Q4_1, &q4_1, expected, 32);

  /* Q5_0: bit i of the little-endian qh is the fifth bit of weight i; w = (q - 16) * d. */
  put_fp16 (&q5_0.d, 0.125f);
  for (int b = 0; b < 4; b++)
    q5_0.qh[b] = (guint8) (qh >> (8 * b));
  for (int j = 0; j < 16; j++)
    q5_0.qs[j] = (guint8) (j | (15 - j) << 4);
  for (int i = 0; i < 32; i++)
    expected[i] = ((int) (nibble (q5_0.qs, i) | ((qh >> i) & 1) << 4) - 16) * 0.125f;
  assert_dequantized (SC_TENSOR_TYPE_Q5_0, &q5_0, expected, 32);

  /* Q5_1: w = q * d + m. */
  put_fp16 (&q5_1.d, 2.0f);
  put_fp16 (&q5_1.m, -33.0f);
  memcpy (q5_1.qh, q5_0.qh, 4);
  memcpy (q5_1.qs, q5_0.qs, 16);
  for (int i = 0; i < 32; i++)
    expected[i] = (nibble (q5_1.qs, i) | ((qh >> i) & 1) << 4) * 2.0f - 33.0f;
  g_assert_cmpfloat (expected[0], ==, -1.0f); /* qh bit 0 set, nibble 0: q = 16 */
  assert_dequantized (SC_TENSOR_TYPE_Q5_1, &q5_1, expected, 32);

  /* Q8_0: w = q * d over the whole int8 range. */
  put_fp16 (&q8_0.d, 0.25f);
  for (int i = 0; i < 32; i++)
    {
      q8_0.qs[i] = (gint8) (i * 8 - 128 + (i == 31 ? 7 : 0));
      expected[i] = q8_0.qs[i] * 0.25f;
    }
  g_assert_cmpfloat (expected[0], ==, -32.0f);
  g_assert_cmpfloat (expected[31], ==, 31.75f);
  assert_dequantized (SC_TENSOR_TYPE_Q8_0, &q8_0, expected, 32);
}

/* Packs 6-bit scales and mins of 8 sub-blocks the way the Q4_K/Q5_K layout describes: bytes
 * 0..3 and 4..7 hold the scales and mins of sub-blocks 0..3 in their low 6 bits and the top 2
 * bits of those of 4..7 in their top bits; bytes 8..11 hold the low nibbles of sub-blocks 4..7
 * (scale low, min high). */
static void
pack_k4_scales (const guint8 *sc,
                const guint8 *m,
                guint8       *scales)
{
  for (int j = 0; j < 4; j++)
    {
      scales[j] = (guint8) (sc[j] | (sc[j + 4] >> 4) << 6);
      scales[j + 4] = (guint8) (m[j] | (m[j + 4] >> 4) << 6);
      scales[j + 8] = (guint8) ((sc[j + 4] & 0xf) | (m[j + 4] & 0xf) << 4);
    }
}

static const guint8 k_scales[8] = { 1, 2, 3, 63, 17, 32, 45, 60 };
static const guint8 k_mins[8] = { 0, 5, 63, 1, 33, 48, 7, 20 };

static void
test_dequantize_q4_k (void)
{
  ScBlockQ4_K block;
  float expected[256];
  guint8 q[256];

  put_fp16 (&block.d, 0.5f);
  put_fp16 (&block.dmin, 0.25f);
  pack_k4_scales (k_scales, k_mins, block.scales);
  for (int j = 0; j < 8; j++)
    {
      guint8 sc, m;

      sc_get_scale_min_k4 (j, block.scales, &sc, &m);
      g_assert_cmpuint (sc, ==, k_scales[j]);
      g_assert_cmpuint (m, ==, k_mins[j]);
    }
  /* Sub-block j's weight l lives in byte 32 * (j / 2) + l, low nibble for even j. */
  for (int w = 0; w < 256; w++)
    q[w] = (guint8) ((w * 7 + w / 32) % 16);
  memset (block.qs, 0, sizeof block.qs);
  for (int w = 0; w < 256; w++)
    {
      const int j = w / 32, l = w % 32;

      block.qs[32 * (j / 2) + l] |= (guint8) (q[w] << (j % 2 ? 4 : 0));
      expected[w] = (0.5f * k_scales[j]) * q[w] - 0.25f * k_mins[j];
    }
  assert_dequantized (SC_TENSOR_TYPE_Q4_K, &block, expected, 256);
}

static void
test_dequantize_q5_k (void)
{
  ScBlockQ5_K blocks[2];
  float expected[512];

  for (int b = 0; b < 2; b++)
    {
      ScBlockQ5_K *block = &blocks[b];

      put_fp16 (&block->d, b == 0 ? 0.5f : 0.0625f);
      put_fp16 (&block->dmin, b == 0 ? 1.0f : 0.125f);
      pack_k4_scales (k_scales, k_mins, block->scales);
      memset (block->qs, 0, sizeof block->qs);
      memset (block->qh, 0, sizeof block->qh);
      /* As Q4_K, plus bit j of qh[l] as the fifth bit of sub-block j's weight l. */
      for (int w = 0; w < 256; w++)
        {
          const int j = w / 32, l = w % 32;
          const guint8 q = (guint8) ((w * 11 + b) % 32);

          block->qs[32 * (j / 2) + l] |= (guint8) ((q & 0xf) << (j % 2 ? 4 : 0));
          block->qh[l] |= (guint8) ((q >> 4) << j);
          expected[256 * b + w] = (sc_fp16_to_fp32 (block->d) * k_scales[j]) * q
                                  - sc_fp16_to_fp32 (block->dmin) * k_mins[j];
        }
    }
  assert_dequantized (SC_TENSOR_TYPE_Q5_K, blocks, expected, 512);
}

static void
test_dequantize_q6_k (void)
{
  ScBlockQ6_K block;
  float expected[256];

  put_fp16 (&block.d, 0.25f);
  for (int s = 0; s < 16; s++)
    block.scales[s] = (gint8) (s % 2 ? -(s * 8) : s * 8 + 1);
  block.scales[15] = -128;
  memset (block.ql, 0, sizeof block.ql);
  memset (block.qh, 0, sizeof block.qh);
  /* Weight w = 128 n + 32 k + l (k = 0..3): low 4 bits in ql[64 n + l + 32 (k % 2)] (low
   * nibble for k < 2), high 2 bits at bit 2 k of qh[32 n + l]; scale w / 16. */
  for (int w = 0; w < 256; w++)
    {
      const int n = w / 128, k = (w % 128) / 32, l = w % 32;
      const guint8 q = (guint8) ((w * 13 + 5) % 64);

      block.ql[64 * n + l + 32 * (k % 2)] |= (guint8) ((q & 0xf) << (k < 2 ? 0 : 4));
      block.qh[32 * n + l] |= (guint8) ((q >> 4) << (2 * k));
      expected[w] = 0.25f * block.scales[w / 16] * (q - 32);
    }
  assert_dequantized (SC_TENSOR_TYPE_Q6_K, &block, expected, 256);
}

static void
test_dequantize_float (void)
{
  const float values[] = { 1.0f, -2.5f, 65504.0f, ldexpf (1, -24), -0.0f, 3.140625f };
  guint16 f16[G_N_ELEMENTS (values)];
  guint16 bf16[G_N_ELEMENTS (values)];
  float expected_bf16[G_N_ELEMENTS (values)];

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      f16[i] = sc_fp32_to_fp16 (values[i]);
      bf16[i] = sc_fp32_to_bf16 (values[i]);
      expected_bf16[i] = float_of ((guint32) bf16[i] << 16);
    }
  assert_dequantized (SC_TENSOR_TYPE_F32, values, values, G_N_ELEMENTS (values));
  assert_dequantized (SC_TENSOR_TYPE_F16, f16, values, G_N_ELEMENTS (values));
  assert_dequantized (SC_TENSOR_TYPE_BF16, bf16, expected_bf16, G_N_ELEMENTS (values));
  g_assert_cmpfloat (expected_bf16[5], ==, 3.140625f);
}

/* ---- Quantisation ---- */

/* Normally distributed data (sigma 0.02, as weights look), with @outliers: 1 % of the values
 * five times larger, which widens the scale of a quarter of the 32-blocks. Fixed seed. */
static float *
random_weights (gint64   n,
                guint32  seed,
                gboolean outliers)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  float *x = g_new (float, n);

  for (gint64 i = 0; i < n; i++)
    {
      double u1 = g_rand_double_range (rand, 1e-12, 1.0);
      double u2 = g_rand_double (rand);

      x[i] = (float) (0.02 * sqrt (-2 * log (u1)) * cos (2 * G_PI * u2));
      if (outliers && g_rand_int_range (rand, 0, 100) == 0)
        x[i] *= 5;
    }
  return x;
}

static gsize
row_bytes (ScTensorType type,
           gint64       n)
{
  gsize size = 0;

  g_assert_true (sc_tensor_row_size (type, n, &size, NULL));
  return size;
}

typedef struct
{
  ScTensorType type;
  double       bound;
} Tolerance;

/* RMS error of quantise → dequantise relative to the data's RMS must stay under the bound. */
static void
check_roundtrip_error (const Tolerance *cases,
                       gsize            n_cases,
                       gboolean         outliers)
{
  const gint64 n = 256 * 32;
  g_autofree float *x = random_weights (n, 1234, outliers);
  g_autofree float *y = g_new (float, n);
  double sum_x2 = 0;

  for (gint64 i = 0; i < n; i++)
    sum_x2 += (double) x[i] * x[i];

  for (gsize c = 0; c < n_cases; c++)
    {
      const ScTensorType type = cases[c].type;
      const gsize size = row_bytes (type, n);
      g_autofree guint8 *q = g_malloc (size);
      double sum_e2 = 0;
      double rel;

      g_assert_cmpuint (sc_quantize_row_ref (type, x, q, n), ==, size);
      sc_dequantize_row (type, q, y, n);
      for (gint64 i = 0; i < n; i++)
        sum_e2 += ((double) x[i] - y[i]) * ((double) x[i] - y[i]);
      rel = sqrt (sum_e2 / sum_x2);
      g_test_message ("%s: relative RMS error %.5f (bound %.4f)", sc_tensor_type_name (type),
                      rel, cases[c].bound);
      g_assert_cmpfloat (rel, <=, cases[c].bound);
    }
}

/* The bounds are about 1.25 × what these functions measure on this data (in brackets); K-quants
 * beat the legacy formats of the same width. */
static void
test_quantize_roundtrip_gaussian (void)
{
  static const Tolerance cases[] = {
    { SC_TENSOR_TYPE_F32, 0.0 },
    { SC_TENSOR_TYPE_F16, 0.0003 },  /* 0.00021 */
    { SC_TENSOR_TYPE_BF16, 0.0025 }, /* 0.00165 */
    { SC_TENSOR_TYPE_Q8_0, 0.007 },  /* 0.00542 */
    { SC_TENSOR_TYPE_Q6_K, 0.022 },  /* 0.01792 */
    { SC_TENSOR_TYPE_Q5_0, 0.053 },  /* 0.04278 */
    { SC_TENSOR_TYPE_Q5_1, 0.048 },  /* 0.03794 */
    { SC_TENSOR_TYPE_Q5_K, 0.046 },  /* 0.03611 */
    { SC_TENSOR_TYPE_Q4_0, 0.107 },  /* 0.08637 */
    { SC_TENSOR_TYPE_Q4_1, 0.098 },  /* 0.07853 */
    { SC_TENSOR_TYPE_Q4_K, 0.090 },  /* 0.07190 */
  };

  check_roundtrip_error (cases, G_N_ELEMENTS (cases), FALSE);
}

static void
test_quantize_roundtrip_outliers (void)
{
  static const Tolerance cases[] = {
    { SC_TENSOR_TYPE_F32, 0.0 },
    { SC_TENSOR_TYPE_F16, 0.0003 },  /* 0.00021 */
    { SC_TENSOR_TYPE_BF16, 0.0025 }, /* 0.00161 */
    { SC_TENSOR_TYPE_Q8_0, 0.0092 }, /* 0.00732 */
    { SC_TENSOR_TYPE_Q6_K, 0.028 },  /* 0.02260 */
    { SC_TENSOR_TYPE_Q5_0, 0.072 },  /* 0.05739 */
    { SC_TENSOR_TYPE_Q5_1, 0.054 },  /* 0.04292 */
    { SC_TENSOR_TYPE_Q5_K, 0.052 },  /* 0.04175 */
    { SC_TENSOR_TYPE_Q4_0, 0.144 },  /* 0.11504 */
    { SC_TENSOR_TYPE_Q4_1, 0.110 },  /* 0.08810 */
    { SC_TENSOR_TYPE_Q4_K, 0.103 },  /* 0.08203 */
  };

  check_roundtrip_error (cases, G_N_ELEMENTS (cases), TRUE);
}

/* Data a format represents exactly comes back exactly; zeros stay zeros. */
static void
test_quantize_exact (void)
{
  float x[256];
  float y[256];
  guint8 q[256 * 4];

  /* Q8_0: multiples of 1/16 with ±127/16 in each block: d = 1/16 exactly. */
  for (int i = 0; i < 64; i++)
    x[i] = (i % 32 == 0 ? 127 : (i * 37) % 255 - 127) / 16.0f;
  sc_quantize_row_ref (SC_TENSOR_TYPE_Q8_0, x, q, 64);
  sc_dequantize_row (SC_TENSOR_TYPE_Q8_0, q, y, 64);
  g_assert_cmpmem (x, 64 * sizeof (float), y, 64 * sizeof (float));

  /* Q4_0: (q - 8) / 4 with the -8 level present, so d = max / -8 = -2 / -8 = 0.25 exactly. */
  for (int i = 0; i < 32; i++)
    x[i] = (i == 5 ? -8 : (i * 5) % 16 - 8) / 4.0f;
  sc_quantize_row_ref (SC_TENSOR_TYPE_Q4_0, x, q, 32);
  sc_dequantize_row (SC_TENSOR_TYPE_Q4_0, q, y, 32);
  g_assert_cmpmem (x, 32 * sizeof (float), y, 32 * sizeof (float));

  for (guint t = 0; t < G_N_ELEMENTS (supported_types); t++)
    {
      memset (x, 0, sizeof x);
      memset (q, 0xff, sizeof q);
      sc_quantize_row_ref (supported_types[t], x, q, 256);
      sc_dequantize_row (supported_types[t], q, y, 256);
      for (int i = 0; i < 256; i++)
        g_assert_cmpfloat (y[i], ==, 0.0f);
    }
}

/* The quantisers are deterministic: the same input gives the same bytes. */
static void
test_quantize_deterministic (void)
{
  const gint64 n = 512;
  g_autofree float *x = random_weights (n, 99, TRUE);

  for (guint t = 0; t < G_N_ELEMENTS (supported_types); t++)
    {
      const gsize size = row_bytes (supported_types[t], n);
      g_autofree guint8 *a = g_malloc0 (size);
      g_autofree guint8 *b = g_malloc0 (size);

      sc_quantize_row_ref (supported_types[t], x, a, n);
      sc_quantize_row_ref (supported_types[t], x, b, n);
      g_assert_cmpmem (a, size, b, size);
    }
}

/* ---- Dot product ---- */

static void
test_vec_dot_row (void)
{
  const gint64 n = 256 * 3;
  g_autofree float *w = random_weights (n, 7, TRUE);
  g_autofree float *x = random_weights (n, 8, FALSE);
  g_autofree float *dq = g_new (float, n);

  for (guint t = 0; t < G_N_ELEMENTS (supported_types); t++)
    {
      const ScTensorType type = supported_types[t];
      g_autofree guint8 *row = g_malloc (row_bytes (type, n));
      float expected = 0.0f;
      double exact = 0.0;
      float dot;

      sc_quantize_row_ref (type, w, row, n);
      sc_dequantize_row (type, row, dq, n);
      /* The documented order: float products added in index order. */
      for (gint64 i = 0; i < n; i++)
        {
          volatile float product = dq[i] * x[i];

          expected += product;
          exact += (double) dq[i] * x[i];
        }
      dot = sc_vec_dot_row (type, row, x, n);
      g_assert_cmpuint (bits_of (dot), ==, bits_of (expected));
      g_assert_cmpfloat_with_epsilon (dot, exact, 1e-6);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sichtung/quant/type-traits", test_type_traits);
  g_test_add_func ("/sichtung/quant/fp16-values", test_fp16_values);
  g_test_add_func ("/sichtung/quant/fp16-exhaustive", test_fp16_exhaustive);
#ifdef __FLT16_MAX__
  g_test_add_func ("/sichtung/quant/fp16-compiler", test_fp16_compiler);
#endif
  g_test_add_func ("/sichtung/quant/bf16", test_bf16);
  g_test_add_func ("/sichtung/quant/dequantize-legacy", test_dequantize_legacy);
  g_test_add_func ("/sichtung/quant/dequantize-q4_k", test_dequantize_q4_k);
  g_test_add_func ("/sichtung/quant/dequantize-q5_k", test_dequantize_q5_k);
  g_test_add_func ("/sichtung/quant/dequantize-q6_k", test_dequantize_q6_k);
  g_test_add_func ("/sichtung/quant/dequantize-float", test_dequantize_float);
  g_test_add_func ("/sichtung/quant/quantize-roundtrip-gaussian",
                   test_quantize_roundtrip_gaussian);
  g_test_add_func ("/sichtung/quant/quantize-roundtrip-outliers",
                   test_quantize_roundtrip_outliers);
  g_test_add_func ("/sichtung/quant/quantize-exact", test_quantize_exact);
  g_test_add_func ("/sichtung/quant/quantize-deterministic", test_quantize_deterministic);
  g_test_add_func ("/sichtung/quant/vec-dot-row", test_vec_dot_row);

  return g_test_run ();
}
