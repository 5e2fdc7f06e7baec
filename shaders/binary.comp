// SPDX-License-Identifier: GPL-3.0-or-later
// binary.comp: dst = a OP b with b broadcast over rows (b[i % nb]); OP_ADD or OP_MUL.
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
#if defined(OP_ADD)
  dst[pc.off_d + i] = a[pc.off_a + i] + b[pc.off_b + i % pc.nb];
#elif defined(OP_MUL)
  dst[pc.off_d + i] = a[pc.off_a + i] * b[pc.off_b + i % pc.nb];
#else
#error "binary.comp needs OP_ADD or OP_MUL"
#endif
}
