// SPDX-License-Identifier: GPL-3.0-or-later
// rope.comp: rotary position embedding of a[D, H, T] with positions pos[T]. One invocation per
// pair of dimensions: normal mode rotates (2j, 2j + 1), NeoX (j, j + n_rot / 2), both by
// theta_j = pos * freq_scale * base^(-2j / n_rot); dimensions from n_rot on are copied.
#version 450
#extension GL_GOOGLE_include_directive : require

#include "common.glsl"
#include "push.glsl"

layout(local_size_x = 128, local_size_y = 1, local_size_z = 1) in;

layout(std430, set = 0, binding = 0) readonly buffer A { float a[]; };
layout(std430, set = 0, binding = 1) readonly buffer Pos { int pos[]; };
layout(std430, set = 0, binding = 2) writeonly buffer D { float dst[]; };

layout(push_constant) uniform PushBlock { RopePush pc; };

void
main ()
{
  const uint pairs = (pc.ne0 + 1u) / 2u;
  const uint gid = flat_invocation_index ();
  const uint row = gid / pairs;  // (head, token) row of D elements
  const uint p = gid % pairs;

  if (row >= pc.ne1 * pc.ne2)
    return;

  const uint t = row / pc.ne1;
  const uint base_a = pc.off_a + row * pc.ne0;
  const uint base_d = pc.off_d + row * pc.ne0;
  const uint half_rot = pc.n_rot / 2u;
  const bool neox = pc.mode == 2u;
  uint i0, i1;

  if (p < half_rot)
    {
      i0 = neox ? p : 2u * p;
      i1 = neox ? p + half_rot : 2u * p + 1u;

      const float theta = float (pos[pc.off_pos + t]) * pc.freq_scale *
                          pow (pc.freq_base, -2.0 * float (p) / float (pc.n_rot));
      const float c = cos (theta);
      const float s = sin (theta);
      const float x0 = a[base_a + i0];
      const float x1 = a[base_a + i1];

      dst[base_d + i0] = x0 * c - x1 * s;
      dst[base_d + i1] = x0 * s + x1 * c;
      return;
    }

  // Pass-through dimensions n_rot .. D - 1, two per invocation.
  i0 = pc.n_rot + 2u * (p - half_rot);
  i1 = i0 + 1u;
  if (i0 < pc.ne0)
    dst[base_d + i0] = a[base_a + i0];
  if (i1 < pc.ne0)
    dst[base_d + i1] = a[base_a + i1];
}
