// SPDX-License-Identifier: GPL-3.0-or-later
// mul_mat_vec.comp: matrix times a few vectors, dst[n, m0 + m] = sum_k w[m, k] x[n, k], for
// small N (token-by-token decoding), which is bound by reading w once.
//
// One workgroup computes NUM_ROWS consecutive rows for all NUM_COLS columns (both
// specialisation constants, so the loops below unroll and the accumulators stay in registers):
// every weight unit is dequantised once and used for every column, every unit of x is loaded
// once and used for every row. Invocations stride over K by UNIT weights (neighbours read
// neighbouring bytes of a row), then the NUM_ROWS x NUM_COLS partial sums are reduced with
// subgroup arithmetic (USE_SUBGROUP; a workgroup of one subgroup needs no shared memory at all)
// or a shared-memory tree. Rows past m_count are computed from the last row and not written,
// so no invocation branches per element. Workgroups along y take further blocks of NUM_COLS
// columns (a matrix in one dispatch where it goes through this shader).
//
// With LANE_ROWS (CPU devices such as lavapipe, where an invocation is a SIMD lane) each
// invocation instead computes NUM_ROWS whole rows of its own, all invocations stepping through
// K together: every load of x is the same for all lanes (no gather) and nothing is reduced.
// There every load is a loop over the lanes, however few bytes it reads, so x is read as
// vec4s where its columns allow (X_VEC4).
#version 450
#extension GL_GOOGLE_include_directive : require

#include "common.glsl"
#include "push.glsl"
#define W_BINDING 0
#include "dequant.glsl"

layout(constant_id = 0) const uint LOCAL_SIZE = 64;
layout(constant_id = 3) const uint NUM_ROWS = 1;  // SC_VK_SPEC_MATVEC_ROWS
layout(constant_id = 4) const uint NUM_COLS = 1;  // SC_VK_SPEC_MATVEC_COLS
layout(constant_id = 5) const bool LANE_ROWS = false;  // SC_VK_SPEC_MATVEC_LANE_ROWS
layout(constant_id = 6) const bool X_VEC4 = false;  // SC_VK_SPEC_MATVEC_X_VEC4
// Float weights whose rows, binding start and K allow reading four at a time (with X_VEC4).
layout(constant_id = 7) const bool W_VEC4 = false;  // SC_VK_SPEC_MATVEC_W_VEC4
layout(local_size_x_id = 0, local_size_y = 1, local_size_z = 1) in;

// x as floats and, where every column starts at a multiple of four (X_VEC4), as vec4s: one
// load instead of four (on a CPU device each load is its own bounds-checked access).
layout(std430, set = 0, binding = 1) readonly buffer X { float x[]; };
layout(std430, set = 0, binding = 1) readonly buffer X4 { vec4 x4[]; };
layout(std430, set = 0, binding = 2) writeonly buffer D { float dst[]; };

layout(push_constant) uniform PushBlock { MatmulPush pc; };

// One slot per (row, column, invocation); the C side keeps this within 32 KiB.
shared float partial[NUM_ROWS * NUM_COLS * LOCAL_SIZE];

// x[xi … xi + 3]; xi is a multiple of four where X_VEC4 holds.
vec4
load_x4 (uint xi)
{
  return X_VEC4 ? x4[xi >> 2] : vec4 (x[xi], x[xi + 1u], x[xi + 2u], x[xi + 3u]);
}

uint
row_of (uint row0,
        uint r,
        uint tid)
{
  return LANE_ROWS ? row0 + r * LOCAL_SIZE + tid : row0 + r;
}

void
main ()
{
  const uint tid = gl_LocalInvocationID.x;
  const uint row0 = gl_WorkGroupID.x * NUM_ROWS * (LANE_ROWS ? LOCAL_SIZE : 1u);
  const uint units = pc.k / UNIT;
  // With LANE_ROWS every invocation takes whole rows (row0 + r LOCAL_SIZE + tid) from start to
  // end, so all invocations read the same x at the same time and nothing is reduced; else
  // the invocations stride over the units of the workgroup's rows.
  const uint first = LANE_ROWS ? 0u : tid;
  const uint step = LANE_ROWS ? 1u : LOCAL_SIZE;
  // Workgroups along y take the next NUM_COLS columns each (one dispatch for a matrix).
  const uint off_x = pc.off_x + gl_WorkGroupID.y * NUM_COLS * pc.x_stride;
  const uint off_d = pc.off_d + gl_WorkGroupID.y * NUM_COLS * pc.d_stride;
  uint rows[NUM_ROWS];
  float acc[NUM_ROWS * NUM_COLS];

  for (uint r = 0u; r < NUM_ROWS; r++)
    rows[r] = pc.off_w_byte + min (row_of (row0, r, tid), pc.m_count - 1u) * pc.row_bytes;
  for (uint i = 0u; i < NUM_ROWS * NUM_COLS; i++)
    acc[i] = 0.0;

#ifdef HAS_DEQUANT_BLOCK_Q8_0
  // Whole blocks per step: nine word loads per row cover 32 weights.
  for (uint b = first; b < pc.k / QK; b += step)
    {
      uint qs[NUM_ROWS][8];
      float d[NUM_ROWS];
      float bsum[NUM_ROWS * NUM_COLS];

      for (uint r = 0u; r < NUM_ROWS; r++)
        d[r] = dequant_block_q8_0 (rows[r] + b * BLOCK_BYTES, qs[r]);
      for (uint i = 0u; i < NUM_ROWS * NUM_COLS; i++)
        bsum[i] = 0.0;
      for (uint i = 0u; i < 8u; i++)
        {
          vec4 xv[NUM_COLS];

          for (uint n = 0u; n < NUM_COLS; n++)
            {
              const uint xi = off_x + n * pc.x_stride + b * QK + 4u * i;

              xv[n] = load_x4 (xi);
            }
          for (uint r = 0u; r < NUM_ROWS; r++)
            {
              const uint q = qs[r][i];
              const vec4 wv = vec4 (ivec4 (q << 24, q << 16, q << 8, q) >> 24);

              for (uint n = 0u; n < NUM_COLS; n++)
                bsum[r * NUM_COLS + n] += dot (wv, xv[n]);
            }
        }
      for (uint r = 0u; r < NUM_ROWS; r++)
        for (uint n = 0u; n < NUM_COLS; n++)
          acc[r * NUM_COLS + n] += d[r] * bsum[r * NUM_COLS + n];
    }
#elif defined(HAS_DEQUANT_GROUP_Q4_K)
  // Groups of 64 per step: twelve word loads per row; the mins multiply sums of x, which all
  // rows share.
  for (uint t = first; t < (pc.k / QK) * 4u; t += step)
    {
      const uint b = t >> 2, g = t & 3u;
      const uint xk = b * QK + g * 64u;
      uint qs[NUM_ROWS][8];
      vec4 dm[NUM_ROWS];
      float sum_lo[NUM_ROWS * NUM_COLS], sum_hi[NUM_ROWS * NUM_COLS];
      float x_lo[NUM_COLS], x_hi[NUM_COLS];

      for (uint r = 0u; r < NUM_ROWS; r++)
        dm[r] = dequant_group_q4_k (rows[r] + b * BLOCK_BYTES, g, qs[r]);
      for (uint i = 0u; i < NUM_ROWS * NUM_COLS; i++)
        {
          sum_lo[i] = 0.0;
          sum_hi[i] = 0.0;
        }
      for (uint n = 0u; n < NUM_COLS; n++)
        {
          x_lo[n] = 0.0;
          x_hi[n] = 0.0;
        }
      for (uint i = 0u; i < 8u; i++)
        {
          vec4 xl[NUM_COLS], xh[NUM_COLS];

          for (uint n = 0u; n < NUM_COLS; n++)
            {
              const uint xi = off_x + n * pc.x_stride + xk + 4u * i;

              xl[n] = load_x4 (xi);
              xh[n] = load_x4 (xi + 32u);
              x_lo[n] += dot (xl[n], vec4 (1.0));
              x_hi[n] += dot (xh[n], vec4 (1.0));
            }
          for (uint r = 0u; r < NUM_ROWS; r++)
            {
              const vec4 wl = vec4 (bytes4 (qs[r][i] & 0x0F0F0F0Fu));
              const vec4 wh = vec4 (bytes4 ((qs[r][i] >> 4) & 0x0F0F0F0Fu));

              for (uint n = 0u; n < NUM_COLS; n++)
                {
                  sum_lo[r * NUM_COLS + n] += dot (wl, xl[n]);
                  sum_hi[r * NUM_COLS + n] += dot (wh, xh[n]);
                }
            }
        }
      for (uint r = 0u; r < NUM_ROWS; r++)
        for (uint n = 0u; n < NUM_COLS; n++)
          acc[r * NUM_COLS + n] += dm[r].x * sum_lo[r * NUM_COLS + n] - dm[r].y * x_lo[n] +
                                   dm[r].z * sum_hi[r * NUM_COLS + n] - dm[r].w * x_hi[n];
    }
#elif defined(HAS_DEQUANT_HALF_Q6_K)
  // Halves of 128 per step: thirty word loads per row, and each load of x serves every row.
  for (uint t = first; t < (pc.k / QK) * 2u; t += step)
    {
      const uint b = t >> 1, h = t & 1u;
      const uint xk = b * QK + h * 128u;
      uint ql[NUM_ROWS][16], qh[NUM_ROWS][8];
      float sc[NUM_ROWS][8], d[NUM_ROWS];
      float bsum[NUM_ROWS * NUM_COLS];

      for (uint r = 0u; r < NUM_ROWS; r++)
        d[r] = dequant_half_q6_k (rows[r] + b * BLOCK_BYTES, h, ql[r], qh[r], sc[r]);
      for (uint i = 0u; i < NUM_ROWS * NUM_COLS; i++)
        bsum[i] = 0.0;
      for (uint s = 0u; s < 4u; s++)
        for (uint i = 0u; i < 8u; i++)
          {
            vec4 xv[NUM_COLS];

            for (uint n = 0u; n < NUM_COLS; n++)
              {
                const uint xi = off_x + n * pc.x_stride + xk + 32u * s + 4u * i;

                xv[n] = load_x4 (xi);
              }
            for (uint r = 0u; r < NUM_ROWS; r++)
              {
                const uint q = ((ql[r][i + 8u * (s & 1u)] >> (4u * (s >> 1))) & 0x0F0F0F0Fu) |
                               (((qh[r][i] >> (2u * s)) & 0x03030303u) << 4);
                const vec4 wv = (vec4 (bytes4 (q)) - 32.0) * sc[r][(i >> 2) + 2u * s];

                for (uint n = 0u; n < NUM_COLS; n++)
                  bsum[r * NUM_COLS + n] += dot (wv, xv[n]);
              }
          }
      for (uint r = 0u; r < NUM_ROWS; r++)
        for (uint n = 0u; n < NUM_COLS; n++)
          acc[r * NUM_COLS + n] += d[r] * bsum[r * NUM_COLS + n];
    }
#else
#ifdef HAS_DEQUANT_FLOAT4
  // Float weights four at a time where W_VEC4 allows it: a quarter of the loads.
  if (W_VEC4)
    for (uint u = first; u < pc.k / 4u; u += step)
      {
        const uint k = 4u * u;
        vec4 xv[NUM_COLS];

        for (uint n = 0u; n < NUM_COLS; n++)
          xv[n] = load_x4 (off_x + n * pc.x_stride + k);
        for (uint r = 0u; r < NUM_ROWS; r++)
          {
            const vec4 wv = dequant_float4 (rows[r] + k * BLOCK_BYTES);

            for (uint n = 0u; n < NUM_COLS; n++)
              acc[r * NUM_COLS + n] += dot (wv, xv[n]);
          }
      }
  else
#endif
  for (uint u = first; u < units; u += step)
    {
      const uint k = u * UNIT;
      const uint blk = (k / QK) * BLOCK_BYTES;
      const uint j = k % QK;
      VEC xv[NUM_COLS];

      for (uint n = 0u; n < NUM_COLS; n++)
        {
          const uint xi = off_x + n * pc.x_stride + k;
#if UNIT == 4
          xv[n] = load_x4 (xi);
#else
          xv[n] = x[xi];
#endif
        }
      for (uint r = 0u; r < NUM_ROWS; r++)
        {
          const VEC wv = dequant_unit (rows[r] + blk, j);

          for (uint n = 0u; n < NUM_COLS; n++)
            acc[r * NUM_COLS + n] += dot (wv, xv[n]);
        }
    }
#endif

  if (LANE_ROWS)
    {
      for (uint r = 0u; r < NUM_ROWS; r++)
        if (row_of (row0, r, tid) < pc.m_count)
          for (uint n = 0u; n < NUM_COLS; n++)
            dst[off_d + n * pc.d_stride + pc.m0 + row_of (row0, r, tid)] =
              acc[r * NUM_COLS + n];
      return;
    }

#ifdef USE_SUBGROUP
  for (uint i = 0u; i < NUM_ROWS * NUM_COLS; i++)
    acc[i] = subgroupAdd (acc[i]);
  if (gl_NumSubgroups > 1u)
    {
      if (subgroupElect ())
        for (uint i = 0u; i < NUM_ROWS * NUM_COLS; i++)
          partial[i * LOCAL_SIZE + gl_SubgroupID] = acc[i];
      barrier ();
      for (uint i = 0u; i < NUM_ROWS * NUM_COLS; i++)
        {
          float total = 0.0;

          for (uint s = 0u; s < gl_NumSubgroups; s++)
            total += partial[i * LOCAL_SIZE + s];
          acc[i] = total;
        }
    }
#else
  for (uint i = 0u; i < NUM_ROWS * NUM_COLS; i++)
    partial[i * LOCAL_SIZE + tid] = acc[i];
  barrier ();
  for (uint s = LOCAL_SIZE / 2u; s > 0u; s >>= 1)
    {
      if (tid < s)
        for (uint i = 0u; i < NUM_ROWS * NUM_COLS; i++)
          partial[i * LOCAL_SIZE + tid] += partial[i * LOCAL_SIZE + tid + s];
      barrier ();
    }
  for (uint i = 0u; i < NUM_ROWS * NUM_COLS; i++)
    acc[i] = partial[i * LOCAL_SIZE];
#endif

  if (tid == 0u)
    for (uint r = 0u; r < NUM_ROWS; r++)
      if (row0 + r < pc.m_count)
        for (uint n = 0u; n < NUM_COLS; n++)
          dst[off_d + n * pc.d_stride + pc.m0 + row0 + r] = acc[r * NUM_COLS + n];
}
