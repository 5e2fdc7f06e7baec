// SPDX-License-Identifier: GPL-3.0-or-later
// dequant.glsl: reading weights of every supported type straight from their ggml block layout
// (core/sc-quant.h), so that matrix products and row lookups dequantise on the fly.
//
// Include after common.glsl with W_BINDING defined and exactly one TYPE_<T> defined. Provides:
//   QK            elements per block (1 for the float types)
//   BLOCK_BYTES   bytes per block
//   UNIT          elements dequantised at once (4 for the quantised types, whose layouts keep 4
//                 consecutive weights in 4 consecutive bytes; 1 for the float types)
//   VEC           float or vec4, UNIT floats
//   VEC dequant_unit (uint blk, uint j)   elements j .. j + UNIT - 1 (j a multiple of UNIT) of
//                                         the block starting at byte blk
//   vec4 dequant_float4 (uint off)        float types (HAS_DEQUANT_FLOAT4): the four weights at
//                                         byte off, a multiple of 4 BLOCK_BYTES
// The buffer is read as 32-bit words (blocks of 18 or 210 bytes are not word aligned), so any
// Vulkan 1.2 device runs it; with FP16_STORAGE, F16 weights are read as float16_t instead.
// Scales are combined in ggml's order so the values equal sc_dequantize_row()'s.

#ifndef SC_DEQUANT_GLSL
#define SC_DEQUANT_GLSL

layout(std430, set = 0, binding = W_BINDING) readonly buffer WeightWords { uint w_words[]; };
#if defined(FP16_STORAGE) && defined(TYPE_F16)
layout(std430, set = 0, binding = W_BINDING) readonly buffer WeightHalves
{
  float16_t w_halves[];
};
#endif

uint
w_byte (uint off)
{
  return (w_words[off >> 2] >> ((off & 3u) * 8u)) & 0xFFu;
}

// A 16-bit field at an even byte offset.
uint
w_u16 (uint off)
{
  return (w_words[off >> 2] >> ((off & 2u) * 8u)) & 0xFFFFu;
}

// Four bytes at any byte offset, little-endian.
uint
w_u32 (uint off)
{
  const uint shift = (off & 3u) * 8u;
  const uint lo = w_words[off >> 2];

  if (shift == 0u)
    return lo;
  return (lo >> shift) | (w_words[(off >> 2) + 1u] << (32u - shift));
}

float
w_half (uint off)
{
  return unpackHalf2x16 (w_u16 (off)).x;
}

uvec4
bytes4 (uint q)
{
  return uvec4 (q & 0xFFu, (q >> 8) & 0xFFu, (q >> 16) & 0xFFu, q >> 24);
}

#if defined(TYPE_F32)

#define QK 1u
#define BLOCK_BYTES 4u
#define UNIT 1
#define VEC float
VEC
dequant_unit (uint blk, uint j)
{
  return uintBitsToFloat (w_words[blk >> 2]);
}

// Four weights at byte off, a multiple of 16 (one load where a load's width costs nothing).
#define HAS_DEQUANT_FLOAT4
layout(std430, set = 0, binding = W_BINDING) readonly buffer WeightQuads { uvec4 w_quads[]; };

vec4
dequant_float4 (uint off)
{
  return uintBitsToFloat (w_quads[off >> 4]);
}

#elif defined(TYPE_F16)

#define QK 1u
#define BLOCK_BYTES 2u
#define UNIT 1
#define VEC float
VEC
dequant_unit (uint blk, uint j)
{
#ifdef FP16_STORAGE
  return float (w_halves[blk >> 1]);
#else
  return w_half (blk);
#endif
}

// Four weights at byte off, a multiple of 8.
#define HAS_DEQUANT_FLOAT4
layout(std430, set = 0, binding = W_BINDING) readonly buffer WeightPairs { uvec2 w_pairs[]; };

vec4
dequant_float4 (uint off)
{
  const uvec2 h = w_pairs[off >> 3];

  return vec4 (unpackHalf2x16 (h.x), unpackHalf2x16 (h.y));
}

#elif defined(TYPE_BF16)

#define QK 1u
#define BLOCK_BYTES 2u
#define UNIT 1
#define VEC float
VEC
dequant_unit (uint blk, uint j)
{
  return uintBitsToFloat (w_u16 (blk) << 16);
}

// Four weights at byte off, a multiple of 8.
#define HAS_DEQUANT_FLOAT4
layout(std430, set = 0, binding = W_BINDING) readonly buffer WeightPairs { uvec2 w_pairs[]; };

vec4
dequant_float4 (uint off)
{
  const uvec2 h = w_pairs[off >> 3];

  return uintBitsToFloat (uvec4 (h.x << 16, h.x & 0xFFFF0000u, h.y << 16, h.y & 0xFFFF0000u));
}

#elif defined(TYPE_Q4_0)

#define QK 32u
#define BLOCK_BYTES 18u
#define UNIT 4
#define VEC vec4
VEC
dequant_unit (uint blk, uint j)
{
  const float d = w_half (blk);
  uint q = w_u32 (blk + 2u + (j & 15u));

  q = ((j < 16u) ? q : (q >> 4)) & 0x0F0F0F0Fu;
  return (vec4 (bytes4 (q)) - 8.0) * d;
}

#elif defined(TYPE_Q4_1)

#define QK 32u
#define BLOCK_BYTES 20u
#define UNIT 4
#define VEC vec4
VEC
dequant_unit (uint blk, uint j)
{
  const float d = w_half (blk);
  const float m = w_half (blk + 2u);
  uint q = w_u32 (blk + 4u + (j & 15u));

  q = ((j < 16u) ? q : (q >> 4)) & 0x0F0F0F0Fu;
  return vec4 (bytes4 (q)) * d + m;
}

#elif defined(TYPE_Q5_0) || defined(TYPE_Q5_1)

#define QK 32u
#define UNIT 4
#define VEC vec4
#ifdef TYPE_Q5_0
#define BLOCK_BYTES 22u
#define Q5_QH 2u
#else
#define BLOCK_BYTES 24u
#define Q5_QH 4u
#endif
VEC
dequant_unit (uint blk, uint j)
{
  const float d = w_half (blk);
  const uint qh = (w_u32 (blk + Q5_QH) >> j) & 0xFu;
  uint q = w_u32 (blk + Q5_QH + 4u + (j & 15u));
  uvec4 v;

  q = ((j < 16u) ? q : (q >> 4)) & 0x0F0F0F0Fu;
  v = bytes4 (q) | (uvec4 (qh, qh >> 1, qh >> 2, qh >> 3) & 1u) << 4;
#ifdef TYPE_Q5_0
  return (vec4 (v) - 16.0) * d;
#else
  return vec4 (v) * d + w_half (blk + 2u);
#endif
}

#elif defined(TYPE_Q8_0)

#define QK 32u
#define BLOCK_BYTES 34u
#define UNIT 4
#define VEC vec4
VEC
dequant_unit (uint blk, uint j)
{
  const float d = w_half (blk);
  const uint q = w_u32 (blk + 2u + j);
  const ivec4 s = ivec4 (q << 24, q << 16, q << 8, q) >> 24;

  return vec4 (s) * d;
}

// The whole block at byte blk (always even): its scale, and its 32 quants as 8 words of 4
// signed bytes. Nine aligned word loads instead of a misaligned pair per 4 weights; the
// alignment decides with a select, not a branch.
#define HAS_DEQUANT_BLOCK_Q8_0
float
dequant_block_q8_0 (uint blk, out uint qs[8])
{
  const uint w0 = blk >> 2;
  const bool odd_half = (blk & 2u) != 0u;
  uint words[9];

  for (uint i = 0u; i < 9u; i++)
    words[i] = w_words[w0 + i];
  for (uint i = 0u; i < 8u; i++)
    qs[i] = odd_half ? words[i + 1u] : (words[i] >> 16) | (words[i + 1u] << 16);
  return unpackHalf2x16 (odd_half ? words[0] >> 16 : words[0]).x;
}

#elif defined(TYPE_Q4_K) || defined(TYPE_Q5_K)

#define QK 256u
#define UNIT 4
#define VEC vec4
#ifdef TYPE_Q4_K
#define BLOCK_BYTES 144u
#define QK_QS 16u
#else
#define BLOCK_BYTES 176u
#define QK_QS 48u
#endif
// sc_get_scale_min_k4(): the 6-bit scale and min of sub-block sub from the 12 scale bytes.
vec2
scale_min_k4 (uint scales, uint sub)
{
  if (sub < 4u)
    return vec2 (w_byte (scales + sub) & 63u, w_byte (scales + sub + 4u) & 63u);
  return vec2 ((w_byte (scales + sub + 4u) & 0xFu) | ((w_byte (scales + sub - 4u) >> 6) << 4),
               (w_byte (scales + sub + 4u) >> 4) | ((w_byte (scales + sub) >> 6) << 4));
}

VEC
dequant_unit (uint blk, uint j)
{
  const uint g = j >> 6;           // group of 64: 32 low nibbles, then 32 high nibbles
  const uint l = j & 31u;
  const bool high = (j & 32u) != 0u;
  const uint sub = 2u * g + (high ? 1u : 0u);
  const vec2 sm = scale_min_k4 (blk + 4u, sub);
  const float d1 = w_half (blk) * sm.x;
  const float m1 = w_half (blk + 2u) * sm.y;
  uint q = w_u32 (blk + QK_QS + 32u * g + l);

  q = (high ? (q >> 4) : q) & 0x0F0F0F0Fu;
#ifdef TYPE_Q5_K
  q |= ((w_u32 (blk + 16u + l) >> sub) & 0x01010101u) << 4;
#endif
  return d1 * vec4 (bytes4 (q)) - m1;
}

#ifdef TYPE_Q4_K
// Group g (0 … 3, 64 weights) of the block at byte blk (144-byte blocks stay word aligned):
// its 8 words of quants (low nibbles: weights 64g … 64g + 31, high nibbles: the next 32) and
// the scales and mins of both halves as (d1, m1, d2, m2), so that weight = d * q - m. Twelve
// aligned word loads per 64 weights; the 6-bit scales are unpacked with selects.
#define HAS_DEQUANT_GROUP_Q4_K
vec4
dequant_group_q4_k (uint blk, uint g, out uint qs[8])
{
  const uint w0 = blk >> 2;
  const vec2 dm = unpackHalf2x16 (w_words[w0]);
  const uvec3 sc = uvec3 (w_words[w0 + 1u], w_words[w0 + 2u], w_words[w0 + 3u]);
  vec4 result;

  for (uint half_ = 0u; half_ < 2u; half_++)
    {
      const uint sub = 2u * g + half_;
      const uint sh = (sub & 3u) * 8u;
      const uint lo = (sc.x >> sh) & 0xFFu, mid = (sc.y >> sh) & 0xFFu, hi = (sc.z >> sh) & 0xFFu;
      const bool first = sub < 4u;
      const uint scale = first ? lo & 63u : (hi & 0xFu) | ((lo >> 6) << 4);
      const uint min_ = first ? mid & 63u : (hi >> 4) | ((mid >> 6) << 4);

      result[2u * half_] = dm.x * float (scale);
      result[2u * half_ + 1u] = dm.y * float (min_);
    }
  for (uint i = 0u; i < 8u; i++)
    qs[i] = w_words[w0 + 4u + 8u * g + i];
  return result;
}
#endif

#elif defined(TYPE_Q6_K)

#define QK 256u
#define BLOCK_BYTES 210u
#define UNIT 4
#define VEC vec4
VEC
dequant_unit (uint blk, uint j)
{
  const uint h = j >> 7;           // half of 128 weights
  const uint s = (j >> 5) & 3u;    // quarter within the half
  const uint l = j & 31u;
  uint ql = w_u32 (blk + 64u * h + l + (s & 1u) * 32u);
  const uint qh = (w_u32 (blk + 128u + 32u * h + l) >> (2u * s)) & 0x03030303u;
  const int sc = (int (w_byte (blk + 192u + 8u * h + (l >> 4) + 2u * s)) << 24) >> 24;
  const float d = w_half (blk + 208u) * float (sc);

  ql = ((s >= 2u) ? (ql >> 4) : ql) & 0x0F0F0F0Fu;
  return d * (vec4 (bytes4 (ql | (qh << 4))) - 32.0);
}

// Half h (0 or 1, 128 weights) of the block at byte blk (even; 210-byte blocks alternate
// between word and half-word alignment): 16 words of low bits, 8 words of high bits, 8 signed
// scales, and d as the result. Thirty word loads per 128 weights, realigned with selects.
#define HAS_DEQUANT_HALF_Q6_K
float
dequant_half_q6_k (uint blk, uint h, out uint ql[16], out uint qh[8], out float sc[8])
{
  const uint base = blk >> 2;
  const bool shifted = (blk & 2u) != 0u;
  uint raw[17];

  for (uint i = 0u; i < 17u; i++)
    raw[i] = w_words[base + 16u * h + i];
  for (uint i = 0u; i < 16u; i++)
    ql[i] = shifted ? (raw[i] >> 16) | (raw[i + 1u] << 16) : raw[i];
  for (uint i = 0u; i < 9u; i++)
    raw[i] = w_words[base + 32u + 8u * h + i];
  for (uint i = 0u; i < 8u; i++)
    qh[i] = shifted ? (raw[i] >> 16) | (raw[i + 1u] << 16) : raw[i];
  for (uint i = 0u; i < 3u; i++)
    raw[i] = w_words[base + 48u + 2u * h + i];
  for (uint i = 0u; i < 2u; i++)
    {
      const uint word = shifted ? (raw[i] >> 16) | (raw[i + 1u] << 16) : raw[i];
      const ivec4 s4 = ivec4 (word << 24, word << 16, word << 8, word) >> 24;

      for (uint c = 0u; c < 4u; c++)
        sc[4u * i + c] = float (s4[c]);
    }
  // d sits at byte 208: word 52 when aligned (low half), else the high half of word 51 + 1.
  return unpackHalf2x16 (shifted ? w_words[base + 52u] >> 16 : w_words[base + 52u]).x;
}

#else
#error "dequant.glsl needs a TYPE_<T> define"
#endif

#endif // SC_DEQUANT_GLSL
