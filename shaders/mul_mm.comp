// SPDX-License-Identifier: GPL-3.0-or-later
// mul_mm.comp: matrix times matrix, dst[n, m0 + m] = sum_k w[m, k] x[n, k], for N > a few
// (prompt processing). Each workgroup computes a BM x BN tile of dst; K is walked in BK steps
// whose slices of w (dequantised once, on load) and x are staged in shared memory, and each of
// the 128 invocations (the least every Vulkan device offers) accumulates TM x TN outputs in
// registers. BK divides every quantised block size (32, 256), so a slice never straddles
// blocks; the float types take any K and guard the edge.
#version 450
#extension GL_GOOGLE_include_directive : require

#include "common.glsl"
#include "push.glsl"
#define W_BINDING 0
#include "dequant.glsl"

// 64 x 64 tiles, 4 x 8 outputs per invocation: each K step loads TM + TN values from shared
// memory for TM * TN multiply-adds, and the staged slices (BK = 16 deep, 8.5 KiB) stay well
// within the 16 KiB of shared memory every device has.
#define BM 64u
#define BN 64u
#define BK 16u
#define TX 16u  // invocations along m
#define TY 8u   // invocations along n
#define TM (BM / TX)
#define TN (BN / TY)

layout(local_size_x = 128, local_size_y = 1, local_size_z = 1) in;

layout(std430, set = 0, binding = 1) readonly buffer X { float x[]; };
layout(std430, set = 0, binding = 2) writeonly buffer D { float dst[]; };

layout(push_constant) uniform PushBlock { MatmulPush pc; };

shared float ws[BM][BK + 1u];  // +1: no bank conflicts on the column reads below
shared float xs[BN][BK + 1u];

void
main ()
{
  const uint tid = gl_LocalInvocationID.x;
  const uint tx = tid % TX;
  const uint ty = tid / TX;
  const uint m_tile = gl_WorkGroupID.x * BM;
  const uint n_tile = gl_WorkGroupID.y * BN;
  float acc[TM][TN];

  for (uint a = 0u; a < TM; a++)
    for (uint b = 0u; b < TN; b++)
      acc[a][b] = 0.0;

  for (uint k0 = 0u; k0 < pc.k; k0 += BK)
    {
      for (uint u = tid; u < BM * BK / UNIT; u += 128u)
        {
          const uint r = u / (BK / UNIT);
          const uint kk = (u % (BK / UNIT)) * UNIT;
          const uint m = m_tile + r;
          const uint k = k0 + kk;
          VEC v = VEC (0.0);

          if (m < pc.m_count && k < pc.k)
            v = dequant_unit (pc.off_w_byte + m * pc.row_bytes + (k / QK) * BLOCK_BYTES, k % QK);
#if UNIT == 4
          ws[r][kk] = v.x;
          ws[r][kk + 1u] = v.y;
          ws[r][kk + 2u] = v.z;
          ws[r][kk + 3u] = v.w;
#else
          ws[r][kk] = v;
#endif
        }
      for (uint u = tid; u < BN * BK; u += 128u)
        {
          const uint c = u / BK;
          const uint kk = u % BK;
          const uint n = n_tile + c;
          const uint k = k0 + kk;

          xs[c][kk] = (n < pc.n && k < pc.k) ? x[pc.off_x + n * pc.x_stride + k] : 0.0;
        }
      barrier ();
      for (uint kk = 0u; kk < BK; kk++)
        {
          float wr[TM], xr[TN];

          for (uint a = 0u; a < TM; a++)
            wr[a] = ws[tx + a * TX][kk];
          for (uint b = 0u; b < TN; b++)
            xr[b] = xs[ty + b * TY][kk];
          for (uint a = 0u; a < TM; a++)
            for (uint b = 0u; b < TN; b++)
              acc[a][b] += wr[a] * xr[b];
        }
      barrier ();
    }

  for (uint a = 0u; a < TM; a++)
    for (uint b = 0u; b < TN; b++)
      {
        const uint m = m_tile + tx + a * TX;
        const uint n = n_tile + ty + b * TY;

        if (m < pc.m_count && n < pc.n)
          dst[pc.off_d + n * pc.d_stride + pc.m0 + m] = acc[a][b];
      }
}
