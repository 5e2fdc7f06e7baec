// SPDX-License-Identifier: GPL-3.0-or-later
// attention.comp: scaled dot-product attention with an online softmax (flash-attention style),
// so no T x n_kv score matrix is ever stored. One workgroup per (query head h, token t); it
// streams the KV cache in blocks of LOCAL_SIZE rows:
//   1. each invocation scores one cache row: s = q . k_j * scale + mask[t, j];
//   2. the block maximum rescales the running sum and output (exp(m_old - m_new));
//   3. each invocation accumulates its own output dimensions over the block's rows of V.
// Query head h reads KV head h / (Hq / Hkv). Causal: token t sits at pos0 + t and sees rows
// 0 .. pos0 + t. The caches are F32, or F16 with KV_F16 (float16_t with FP16_STORAGE, else
// halves unpacked from 32-bit words). D is at most MAX_D.
//
// With LANE_QUERIES (CPU devices such as lavapipe, where an invocation is a SIMD lane, for
// prompts and encoder windows) a workgroup is instead LOCAL_SIZE consecutive tokens of one
// head, one per invocation, and all of them step through the cache rows together: every load
// of K and V is the same for all lanes (no gather), and each lane keeps its own running
// maximum, sum and output.
#version 450
#extension GL_GOOGLE_include_directive : require

#include "common.glsl"
#include "push.glsl"
#include "reduce.glsl"

#define MAX_D 256u
#define MAX_DIMS_PER_INVOCATION 8u  // MAX_D / the smallest LOCAL_SIZE the C side uses (32)
#define LANE_BLOCK 8u               // cache rows per step with LANE_QUERIES

layout(std430, set = 0, binding = 0) readonly buffer Q { float q[]; };
#if defined(KV_F16) && defined(FP16_STORAGE)
layout(std430, set = 0, binding = 1) readonly buffer K { float16_t k_cache[]; };
layout(std430, set = 0, binding = 2) readonly buffer V { float16_t v_cache[]; };
#define LOAD_K(i) float (k_cache[i])
#define LOAD_V(i) float (v_cache[i])
#elif defined(KV_F16)
layout(std430, set = 0, binding = 1) readonly buffer K { uint k_cache[]; };
layout(std430, set = 0, binding = 2) readonly buffer V { uint v_cache[]; };
#define LOAD_K(i) unpackHalf2x16 (k_cache[(i) >> 1] >> (((i) & 1u) * 16u)).x
#define LOAD_V(i) unpackHalf2x16 (v_cache[(i) >> 1] >> (((i) & 1u) * 16u)).x
#else
layout(std430, set = 0, binding = 1) readonly buffer K { float k_cache[]; };
layout(std430, set = 0, binding = 2) readonly buffer V { float v_cache[]; };
#define LOAD_K(i) k_cache[i]
#define LOAD_V(i) v_cache[i]
#endif
layout(std430, set = 0, binding = 3) readonly buffer M { float mask[]; };
layout(std430, set = 0, binding = 4) writeonly buffer D { float dst[]; };

layout(push_constant) uniform PushBlock { AttentionPush pc; };
layout(constant_id = 5) const bool LANE_QUERIES = false;  // SC_VK_SPEC_ATTENTION_LANE_QUERIES

shared float q_sh[MAX_D];
shared float p_sh[LOCAL_SIZE];

void
main_lane_queries ()
{
  const uint h = gl_WorkGroupID.x;
  const uint t_lane = gl_WorkGroupID.y * LOCAL_SIZE + gl_LocalInvocationID.x;
  // Lanes past the last token repeat it and write nothing.
  const uint t = min (t_lane, pc.n_tokens - 1u);
  const uint kv_col = (h / (pc.n_head / pc.n_head_kv)) * pc.d;
  const float neg_inf = uintBitsToFloat (0xFF800000u);
  const uint n_seen = pc.causal != 0u ? min (pc.n_kv, pc.pos0 + t + 1u) : pc.n_kv;
  // The rows any lane of the workgroup sees (the last token's, causally).
  const uint t_last = min (gl_WorkGroupID.y * LOCAL_SIZE + LOCAL_SIZE, pc.n_tokens) - 1u;
  const uint n_rows = pc.causal != 0u ? min (pc.n_kv, pc.pos0 + t_last + 1u) : pc.n_kv;
  const uint qbase = pc.off_q + (t * pc.n_head + h) * pc.d;
  float qv[MAX_D];
  float acc[MAX_D];
  float m = neg_inf;
  float l = 0.0;

  for (uint i = 0u; i < pc.d; i++)
    {
      qv[i] = q[qbase + i];
      acc[i] = 0.0;
    }
  // Rows in blocks of LANE_BLOCK: each element of q and of the output is loaded and stored
  // once per block, and the block's maximum rescales the output once.
  for (uint j0 = 0u; j0 < n_rows; j0 += LANE_BLOCK)
    {
      float s[LANE_BLOCK];
      uint row[LANE_BLOCK];
      float m_new = m;

      for (uint b = 0u; b < LANE_BLOCK; b++)
        {
          row[b] = pc.off_k + min (j0 + b, n_rows - 1u) * pc.kv_stride + kv_col;
          s[b] = 0.0;
        }
      for (uint i = 0u; i < pc.d; i++)
        {
          const float qi = qv[i];

          for (uint b = 0u; b < LANE_BLOCK; b++)
            s[b] += qi * LOAD_K (row[b] + i);
        }
      for (uint b = 0u; b < LANE_BLOCK; b++)
        {
          const uint j = j0 + b;

          s[b] *= pc.scale;
          if (pc.mask_stride != 0u)
            s[b] += mask[pc.off_mask + t * pc.mask_stride + min (j, n_rows - 1u)];
          if (j >= n_seen)
            s[b] = neg_inf;
          m_new = max (m_new, s[b]);
        }

      // Rows masked to -inf (or everything so far) contribute nothing.
      const float alpha = isinf (m) ? 0.0 : exp (m - m_new);
      float p[LANE_BLOCK];

      l *= alpha;
      for (uint b = 0u; b < LANE_BLOCK; b++)
        {
          p[b] = isinf (m_new) || isinf (s[b]) ? 0.0 : exp (s[b] - m_new);
          l += p[b];
          row[b] += pc.off_v - pc.off_k;
        }
      for (uint i = 0u; i < pc.d; i++)
        {
          float sum = acc[i] * alpha;

          for (uint b = 0u; b < LANE_BLOCK; b++)
            sum += p[b] * LOAD_V (row[b] + i);
          acc[i] = sum;
        }
      m = m_new;
    }
  if (t_lane < pc.n_tokens)
    for (uint i = 0u; i < pc.d; i++)
      dst[pc.off_d + (t * pc.n_head + h) * pc.d + i] = l > 0.0 ? acc[i] / l : 0.0;
}

void
main ()
{
  if (LANE_QUERIES)
    {
      main_lane_queries ();
      return;
    }

  const uint h = gl_WorkGroupID.x;
  const uint t = gl_WorkGroupID.y;
  const uint tid = gl_LocalInvocationID.x;
  const uint kv_head = h / (pc.n_head / pc.n_head_kv);
  const uint kv_col = kv_head * pc.d;
  const float neg_inf = uintBitsToFloat (0xFF800000u);
  const uint n_seen = pc.causal != 0u ? min (pc.n_kv, pc.pos0 + t + 1u) : pc.n_kv;
  float acc[MAX_DIMS_PER_INVOCATION];
  float m = neg_inf;
  float l = 0.0;

  for (uint i = tid; i < pc.d; i += LOCAL_SIZE)
    q_sh[i] = q[pc.off_q + (t * pc.n_head + h) * pc.d + i];
  for (uint c = 0u; c < MAX_DIMS_PER_INVOCATION; c++)
    acc[c] = 0.0;
  barrier ();

  for (uint j0 = 0u; j0 < n_seen; j0 += LOCAL_SIZE)
    {
      const uint j = j0 + tid;
      float s = neg_inf;

      if (j < n_seen)
        {
          const uint kbase = pc.off_k + j * pc.kv_stride + kv_col;
          float dot_qk = 0.0;

          for (uint i = 0u; i < pc.d; i++)
            dot_qk += q_sh[i] * LOAD_K (kbase + i);
          s = dot_qk * pc.scale;
          if (pc.mask_stride != 0u)
            s += mask[pc.off_mask + t * pc.mask_stride + j];
        }

      const float m_new = max (m, wg_max (s));
      // A block (or everything so far) masked to -inf contributes nothing.
      const float p = isinf (m_new) || isinf (s) ? 0.0 : exp (s - m_new);
      const float alpha = isinf (m) ? 0.0 : exp (m - m_new);

      p_sh[tid] = p;
      l = l * alpha + wg_sum (p);  // wg_sum's barriers also publish p_sh
      m = m_new;

      const uint rows = min (LOCAL_SIZE, n_seen - j0);
      for (uint c = 0u; c < MAX_DIMS_PER_INVOCATION; c++)
        {
          const uint i = tid + c * LOCAL_SIZE;

          if (i >= pc.d)
            break;
          float sum = acc[c] * alpha;
          for (uint r = 0u; r < rows; r++)
            sum += p_sh[r] * LOAD_V (pc.off_v + (j0 + r) * pc.kv_stride + kv_col + i);
          acc[c] = sum;
        }
      barrier ();  // p_sh is rewritten by the next block
    }

  for (uint c = 0u; c < MAX_DIMS_PER_INVOCATION; c++)
    {
      const uint i = tid + c * LOCAL_SIZE;

      if (i < pc.d)
        dst[pc.off_d + (t * pc.n_head + h) * pc.d + i] = l > 0.0 ? acc[c] / l : 0.0;
    }
}
