// SPDX-License-Identifier: GPL-3.0-or-later
// unary.comp: dst = f(a) element by element; OP_SCALE (a * pc.f), OP_SILU (a * sigmoid(a)) or
// OP_GELU (ggml's tanh approximation).
#version 450
#extension GL_GOOGLE_include_directive : require

#include "common.glsl"
#include "push.glsl"

layout(local_size_x = 128, local_size_y = 1, local_size_z = 1) in;

layout(std430, set = 0, binding = 0) readonly buffer A { float a[]; };
layout(std430, set = 0, binding = 1) writeonly buffer D { float dst[]; };

layout(push_constant) uniform PushBlock { EltPush pc; };

void
main ()
{
  const uint i = flat_invocation_index ();

  if (i >= pc.n)
    return;

  const float v = a[pc.off_a + i];
#if defined(OP_SCALE)
  dst[pc.off_d + i] = v * pc.f;
#elif defined(OP_SILU)
  dst[pc.off_d + i] = v / (1.0 + exp (-v));
#elif defined(OP_GELU)
  const float y = 0.7978845608028654 * (v + 0.044715 * v * v * v);
  // tanh written so that large |y| saturates instead of dividing infinities.
  const float t = 1.0 - 2.0 / (exp (2.0 * y) + 1.0);
  dst[pc.off_d + i] = 0.5 * v * (1.0 + t);
#else
#error "unary.comp needs OP_SCALE, OP_SILU or OP_GELU"
#endif
}
