/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cpu-avx2-private.h: small inline helpers shared by the AVX2 + FMA + F16C units of the CPU
 * backend (sc-cpu-avx2.c: vector kernels, sc-cpu-gemm-avx2.c: register-tiled matmul). Only
 * included by units compiled with those instructions enabled. */
#pragma once

#include <immintrin.h>
#include <string.h>

#include <glib.h>

#include "sc-quant.h"

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

/* The 8 six-bit scales and 8 mins of a Q4_K/Q5_K super-block as 16 bytes (scales, then mins):
 * ggml's rearrangement of the 12 packed bytes, equivalent to sc_get_scale_min_k4(), from a
 * 16-byte load at @packed (the 12 packed bytes and 4 beyond, which must be readable and are
 * ignored; in a block the quants follow), by byte shuffles. Bytes 0..3 are the low six bits of
 * packed bytes 0..3; bytes 4..7 the low four of 8..11 with bits 6..7 of 0..3 above them; bytes
 * 8..11 the low six of 4..7; bytes 12..15 the high four of 8..11 with bits 6..7 of 4..7 above
 * them. */
static inline __m128i
unpack_scales_mins_k4 (const guint8 *packed)
{
  const __m128i b = _mm_loadu_si128 ((const __m128i *) packed);
  const __m128i a = _mm_shuffle_epi8 (b, _mm_setr_epi8 (0, 1, 2, 3, 8, 9, 10, 11,
                                                        4, 5, 6, 7, 8, 9, 10, 11));
  const __m128i h = _mm_shuffle_epi8 (b, _mm_setr_epi8 (-1, -1, -1, -1, 0, 1, 2, 3,
                                                        -1, -1, -1, -1, 4, 5, 6, 7));
  const __m128i low = _mm_or_si128 (
    _mm_and_si128 (a, _mm_setr_epi8 (0x3f, 0x3f, 0x3f, 0x3f, 0xf, 0xf, 0xf, 0xf,
                                     0x3f, 0x3f, 0x3f, 0x3f, 0, 0, 0, 0)),
    _mm_and_si128 (_mm_srli_epi16 (a, 4), _mm_setr_epi8 (0, 0, 0, 0, 0, 0, 0, 0,
                                                         0, 0, 0, 0, 0xf, 0xf, 0xf, 0xf)));

  /* Bits 6..7 to 4..5: masked first, so that nothing crosses into the byte below. */
  return _mm_or_si128 (low, _mm_srli_epi16 (_mm_and_si128 (h, _mm_set1_epi8 ((char) 0xc0)), 2));
}

/* The six-bit quants of one half (128 weights) of a Q6_K super-block, unsigned (0..63). */
static inline void
unpack_q6_half (const guint8 *ql,
                const guint8 *qh,
                __m256i       q[4])
{
  const __m256i m4 = _mm256_set1_epi8 (0xf);
  const __m256i m2 = _mm256_set1_epi8 (0x30);
  const __m256i bits1 = _mm256_loadu_si256 ((const __m256i *) ql);
  const __m256i bits2 = _mm256_loadu_si256 ((const __m256i *) (ql + 32));
  const __m256i bitsh = _mm256_loadu_si256 ((const __m256i *) qh);
  /* Bit pairs 0, 2, 4, 6 of qh moved to bits 4..5 (the 16-bit shifts carry bits into the
   * neighbouring byte, which the mask clears). */
  const __m256i h0 = _mm256_and_si256 (_mm256_slli_epi16 (bitsh, 4), m2);
  const __m256i h1 = _mm256_and_si256 (_mm256_slli_epi16 (bitsh, 2), m2);
  const __m256i h2 = _mm256_and_si256 (bitsh, m2);
  const __m256i h3 = _mm256_and_si256 (_mm256_srli_epi16 (bitsh, 2), m2);

  q[0] = _mm256_or_si256 (_mm256_and_si256 (bits1, m4), h0);
  q[1] = _mm256_or_si256 (_mm256_and_si256 (bits2, m4), h1);
  q[2] = _mm256_or_si256 (_mm256_and_si256 (_mm256_srli_epi16 (bits1, 4), m4), h2);
  q[3] = _mm256_or_si256 (_mm256_and_si256 (_mm256_srli_epi16 (bits2, 4), m4), h3);
}

/* Eight vectors of 8 int32 to two vectors of their sums, lane k of @lo over lanes 0..3 of
 * @v[k], of @hi over lanes 4..7: by unpacks and adds, cheaper than vphaddd on some
 * processors. (Callers fill @v without a loop, so that it stays in registers.) */
static inline void
reduce8_halves_epi32 (const __m256i  v[8],
                      __m256i       *lo,
                      __m256i       *hi)
{
#define PAIR32(a, b) _mm256_add_epi32 (_mm256_unpacklo_epi32 (a, b), _mm256_unpackhi_epi32 (a, b))
#define PAIR64(a, b) _mm256_add_epi32 (_mm256_unpacklo_epi64 (a, b), _mm256_unpackhi_epi64 (a, b))
  const __m256i q0 = PAIR64 (PAIR32 (v[0], v[1]), PAIR32 (v[2], v[3]));
  const __m256i q1 = PAIR64 (PAIR32 (v[4], v[5]), PAIR32 (v[6], v[7]));
#undef PAIR32
#undef PAIR64

  *lo = _mm256_permute2x128_si256 (q0, q1, 0x20);
  *hi = _mm256_permute2x128_si256 (q0, q1, 0x31);
}

/* Eight vectors of 8 int32 to one vector of their eight sums, lane k = sum of @v[k]. */
static inline __m256i
reduce8_epi32 (const __m256i v[8])
{
  __m256i lo, hi;

  reduce8_halves_epi32 (v, &lo, &hi);
  return _mm256_add_epi32 (lo, hi);
}

/* The same for floats: lane k = ((v0 + v1) + (v2 + v3)) + ((v4 + v5) + (v6 + v7)) of @v[k],
 * the order of hsum_tree_ps(). */
static inline __m256
reduce8_ps (const __m256 v[8])
{
  const __m256 g0 = _mm256_hadd_ps (_mm256_hadd_ps (v[0], v[1]), _mm256_hadd_ps (v[2], v[3]));
  const __m256 g1 = _mm256_hadd_ps (_mm256_hadd_ps (v[4], v[5]), _mm256_hadd_ps (v[6], v[7]));

  return _mm256_add_ps (_mm256_permute2f128_ps (g0, g1, 0x20),
                        _mm256_permute2f128_ps (g0, g1, 0x31));
}

/* Sum of the lanes of @x in the order of reduce8_ps(), so that mat-vec kernels and the
 * register-tiled ones give bit-identical results. */
static inline float
hsum_tree_ps (__m256 x)
{
  __m256 h = _mm256_hadd_ps (x, x);

  h = _mm256_hadd_ps (h, h);
  return _mm_cvtss_f32 (_mm_add_ss (_mm256_castps256_ps128 (h), _mm256_extractf128_ps (h, 1)));
}

/* Eight resp. one element @i of an F32, F16 or BF16 row as floats. */
static inline __m256
load8_float (ScTensorType  type,
       const void   *p,
       gint64        i)
{
  if (type == SC_TENSOR_TYPE_F32)
    return _mm256_loadu_ps ((const float *) p + i);
  if (type == SC_TENSOR_TYPE_F16)
    return _mm256_cvtph_ps (_mm_loadu_si128 ((const __m128i *) ((const guint16 *) p + i)));
  return _mm256_castsi256_ps (_mm256_slli_epi32 (_mm256_cvtepu16_epi32 (
    _mm_loadu_si128 ((const __m128i *) ((const guint16 *) p + i))), 16));
}

static inline float
load1_float (ScTensorType  type,
       const void   *p,
       gint64        i)
{
  if (type == SC_TENSOR_TYPE_F32)
    return ((const float *) p)[i];
  if (type == SC_TENSOR_TYPE_F16)
    return _cvtsh_ss (((const guint16 *) p)[i]);
  return sc_bf16_to_fp32 (((const guint16 *) p)[i]);
}

/* The 32 quants of block @b of a Q4_0, Q4_1, Q5_0, Q5_1 or Q8_0 row as bytes: signed (q - 8,
 * q - 16, q) for the types without a minimum, unsigned (q) for Q4_1 and Q5_1. */
static inline __m256i
unpack_q32 (ScTensorType  type,
            const guint8 *b)
{
  switch (type)
    {
    case SC_TENSOR_TYPE_Q4_0:
      return _mm256_sub_epi8 (bytes_from_nibbles_32 (b + G_STRUCT_OFFSET (ScBlockQ4_0, qs)),
                              _mm256_set1_epi8 (8));
    case SC_TENSOR_TYPE_Q4_1:
      return bytes_from_nibbles_32 (b + G_STRUCT_OFFSET (ScBlockQ4_1, qs));
    case SC_TENSOR_TYPE_Q5_0:
      return _mm256_or_si256 (bytes_from_nibbles_32 (b + G_STRUCT_OFFSET (ScBlockQ5_0, qs)),
                              _mm256_andnot_si256 (
                                bytes_from_bits_32 (b + G_STRUCT_OFFSET (ScBlockQ5_0, qh)),
                                _mm256_set1_epi8 ((char) 0xf0)));
    case SC_TENSOR_TYPE_Q5_1:
      return _mm256_or_si256 (bytes_from_nibbles_32 (b + G_STRUCT_OFFSET (ScBlockQ5_1, qs)),
                              _mm256_and_si256 (
                                bytes_from_bits_32 (b + G_STRUCT_OFFSET (ScBlockQ5_1, qh)),
                                _mm256_set1_epi8 (0x10)));
    default:
      return _mm256_loadu_si256 ((const __m256i *) (b + G_STRUCT_OFFSET (ScBlockQ8_0, qs)));
    }
}
