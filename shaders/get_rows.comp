// SPDX-License-Identifier: GPL-3.0-or-later
// get_rows.comp: dst[i, :] = table row ids[i], dequantised to float (embedding lookup). One
// invocation per UNIT elements of a row; y is the id index. A table split into several buffers
// is covered by one dispatch per chunk, each writing only the rows it holds.
#version 450
#extension GL_GOOGLE_include_directive : require

#include "common.glsl"
#include "push.glsl"
#define W_BINDING 0
#include "dequant.glsl"

layout(local_size_x = 64, local_size_y = 1, local_size_z = 1) in;

layout(std430, set = 0, binding = 1) readonly buffer Ids { int ids[]; };
layout(std430, set = 0, binding = 2) writeonly buffer D { float dst[]; };

layout(push_constant) uniform PushBlock { GetRowsPush pc; };

void
main ()
{
  const uint i = gl_WorkGroupID.y;
  const uint k = gl_GlobalInvocationID.x * UNIT;
  const int id = ids[pc.off_ids + i];
  const uint out_base = pc.off_d + i * pc.ne0 + k;

  if (k >= pc.ne0 || id < int (pc.row_begin) || id >= int (pc.row_begin + pc.row_count))
    return;

  const VEC v = dequant_unit (pc.off_t_byte + uint (id - int (pc.row_begin)) * pc.row_bytes +
                              (k / QK) * BLOCK_BYTES, k % QK);
#if UNIT == 4
  dst[out_base] = v.x;
  dst[out_base + 1u] = v.y;
  dst[out_base + 2u] = v.z;
  dst[out_base + 3u] = v.w;
#else
  dst[out_base] = v;
#endif
}
