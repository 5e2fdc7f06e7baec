// SPDX-License-Identifier: GPL-3.0-or-later
// swiglu.comp: dst = silu(a) * b element by element (the gated feed-forward of llama).
#version 450
#extension GL_GOOGLE_include_directive : require

#include "common.glsl"
#include "push.glsl"

layout(local_size_x = 128, local_size_y = 1, local_size_z = 1) in;

layout(std430, set = 0, binding = 0) readonly buffer A { float a[]; };
layout(std430, set = 0, binding = 1) readonly buffer B { float b[]; };
layout(std430, set = 0, binding = 2) writeonly buffer D { float dst[]; };

layout(push_constant) uniform PushBlock { EltPush pc; };

void
main ()
{
  const uint i = flat_invocation_index ();

  if (i >= pc.n)
    return;

  const float v = a[pc.off_a + i];
  dst[pc.off_d + i] = v / (1.0 + exp (-v)) * b[pc.off_b + i];
}
