// SPDX-License-Identifier: GPL-3.0-or-later
// add.comp: element-wise float32 addition, c[i] = a[i] + b[i] for i < pc.n.
#version 450
#extension GL_GOOGLE_include_directive : require

#include "elementwise.glsl"

layout(std430, set = 0, binding = 0) readonly buffer InputA { float a[]; };
layout(std430, set = 0, binding = 1) readonly buffer InputB { float b[]; };
layout(std430, set = 0, binding = 2) writeonly buffer Output { float c[]; };

void
main ()
{
  const uint i = gl_GlobalInvocationID.x;

  if (i < pc.n)
    c[i] = a[i] + b[i];
}
