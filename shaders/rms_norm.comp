// SPDX-License-Identifier: GPL-3.0-or-later
// rms_norm.comp: per row, dst = a / sqrt(mean(a^2) + eps) * w (w optional, one row broadcast or
// one per row). One workgroup per row.
#version 450
#extension GL_GOOGLE_include_directive : require

#include "common.glsl"
#include "push.glsl"
#include "reduce.glsl"

layout(std430, set = 0, binding = 0) readonly buffer A { float a[]; };
layout(std430, set = 0, binding = 1) readonly buffer W { float w[]; };
layout(std430, set = 0, binding = 2) writeonly buffer D { float dst[]; };

layout(push_constant) uniform PushBlock { RowPush pc; };

void
main ()
{
  const uint row = flat_workgroup_index ();
  const uint tid = gl_LocalInvocationID.x;

  if (row >= pc.n_rows)  // uniform across the workgroup: the barriers below stay legal
    return;

  const uint base = pc.off_a + row * pc.ne0;
  float sum = 0.0;

  for (uint i = tid; i < pc.ne0; i += LOCAL_SIZE)
    sum += a[base + i] * a[base + i];
  sum = wg_sum (sum);

  const float scale = 1.0 / sqrt (sum / float (pc.ne0) + pc.f);
  const uint wbase = pc.off_w + (pc.w_rows > 0u ? (row % pc.w_rows) * pc.ne0 : 0u);

  for (uint i = tid; i < pc.ne0; i += LOCAL_SIZE)
    {
      float v = a[base + i] * scale;

      if (pc.w_rows > 0u)
        v *= w[wbase + i];
      dst[pc.off_d + row * pc.ne0 + i] = v;
    }
}
