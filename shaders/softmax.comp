// SPDX-License-Identifier: GPL-3.0-or-later
// softmax.comp: per row, dst = softmax(a * scale + mask) (mask optional: one row broadcast or
// one per row). One workgroup per row: the maximum, the sum of exponentials, then the output.
// A row masked entirely (all -inf) comes out as zeros rather than NaN.
#version 450
#extension GL_GOOGLE_include_directive : require

#include "common.glsl"
#include "push.glsl"
#include "reduce.glsl"

layout(std430, set = 0, binding = 0) readonly buffer A { float a[]; };
layout(std430, set = 0, binding = 1) readonly buffer M { float mask[]; };
layout(std430, set = 0, binding = 2) writeonly buffer D { float dst[]; };

layout(push_constant) uniform PushBlock { RowPush pc; };

float
logit (uint base, uint mbase, uint i)
{
  float v = a[base + i] * pc.f;

  if (pc.w_rows > 0u)
    v += mask[mbase + i];
  return v;
}

void
main ()
{
  const uint row = flat_workgroup_index ();
  const uint tid = gl_LocalInvocationID.x;

  if (row >= pc.n_rows)
    return;

  const uint base = pc.off_a + row * pc.ne0;
  const uint mbase = pc.off_w + (pc.w_rows > 0u ? (row % pc.w_rows) * pc.ne0 : 0u);
  float best = uintBitsToFloat (0xFF800000u);  // -inf

  for (uint i = tid; i < pc.ne0; i += LOCAL_SIZE)
    best = max (best, logit (base, mbase, i));
  best = wg_max (best);

  float sum = 0.0;
  for (uint i = tid; i < pc.ne0; i += LOCAL_SIZE)
    sum += isinf (best) ? 0.0 : exp (logit (base, mbase, i) - best);
  sum = wg_sum (sum);

  const float inv = sum > 0.0 ? 1.0 / sum : 0.0;
  for (uint i = tid; i < pc.ne0; i += LOCAL_SIZE)
    dst[pc.off_d + row * pc.ne0 + i] =
      isinf (best) ? 0.0 : exp (logit (base, mbase, i) - best) * inv;
}
