// SPDX-License-Identifier: GPL-3.0-or-later
// copy_rows.comp: writes n floats of a into the destination starting at element off_d (rows of
// a KV cache), as float or, with OUT_F16, as half. Without FP16_STORAGE halves are written as
// 32-bit words: one invocation per word, keeping the neighbouring half of a word the range only
// half covers (nothing else writes that word during this dispatch).
#version 450
#extension GL_GOOGLE_include_directive : require

#include "common.glsl"
#include "push.glsl"

layout(local_size_x = 128, local_size_y = 1, local_size_z = 1) in;

layout(std430, set = 0, binding = 0) readonly buffer A { float a[]; };
#if defined(OUT_F16) && defined(FP16_STORAGE)
layout(std430, set = 0, binding = 1) writeonly buffer D { float16_t dst[]; };
#elif defined(OUT_F16)
layout(std430, set = 0, binding = 1) buffer D { uint dst[]; };
#else
layout(std430, set = 0, binding = 1) writeonly buffer D { float dst[]; };
#endif

layout(push_constant) uniform PushBlock { CopyPush pc; };

void
main ()
{
  const uint i = flat_invocation_index ();

#if defined(OUT_F16) && !defined(FP16_STORAGE)
  // Word w covers halves 2w and 2w + 1; the range is halves [off_d, off_d + n).
  const uint w = pc.off_d / 2u + i;
  const uint h0 = 2u * w;

  if (h0 >= pc.off_d + pc.n)
    return;

  vec2 pair = unpackHalf2x16 (dst[w]);
  if (h0 >= pc.off_d)
    pair.x = a[pc.off_a + h0 - pc.off_d];
  if (h0 + 1u < pc.off_d + pc.n)
    pair.y = a[pc.off_a + h0 + 1u - pc.off_d];
  dst[w] = packHalf2x16 (pair);
#else
  if (i >= pc.n)
    return;
#if defined(OUT_F16)
  dst[pc.off_d + i] = float16_t (a[pc.off_a + i]);
#else
  dst[pc.off_d + i] = a[pc.off_a + i];
#endif
#endif
}
