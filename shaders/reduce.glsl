// SPDX-License-Identifier: GPL-3.0-or-later
// reduce.glsl: workgroup-wide sums and maxima. The workgroup size is specialisation constant 0
// (LOCAL_SIZE, a power of two). With USE_SUBGROUP the subgroups reduce first and only their
// partial results go through shared memory; without it a shared-memory tree does all the work.
// Every invocation of the workgroup must call these (they contain barriers), and all receive
// the result.

#ifndef SC_REDUCE_GLSL
#define SC_REDUCE_GLSL

#ifndef SC_LOCAL_SIZE_DEFAULT
#define SC_LOCAL_SIZE_DEFAULT 64
#endif

layout(constant_id = 0) const uint LOCAL_SIZE = SC_LOCAL_SIZE_DEFAULT;
layout(local_size_x_id = 0, local_size_y = 1, local_size_z = 1) in;

shared float sc_reduce_scratch[LOCAL_SIZE];

float
wg_sum (float v)
{
#ifdef USE_SUBGROUP
  v = subgroupAdd (v);
  barrier ();  // the scratch may still be read from the previous reduction
  if (subgroupElect ())
    sc_reduce_scratch[gl_SubgroupID] = v;
  barrier ();
  float total = 0.0;
  for (uint i = 0; i < gl_NumSubgroups; i++)
    total += sc_reduce_scratch[i];
  return total;
#else
  const uint tid = gl_LocalInvocationID.x;

  barrier ();
  sc_reduce_scratch[tid] = v;
  barrier ();
  for (uint s = LOCAL_SIZE / 2; s > 0; s >>= 1)
    {
      if (tid < s)
        sc_reduce_scratch[tid] += sc_reduce_scratch[tid + s];
      barrier ();
    }
  return sc_reduce_scratch[0];
#endif
}

float
wg_max (float v)
{
#ifdef USE_SUBGROUP
  v = subgroupMax (v);
  barrier ();
  if (subgroupElect ())
    sc_reduce_scratch[gl_SubgroupID] = v;
  barrier ();
  float best = sc_reduce_scratch[0];
  for (uint i = 1; i < gl_NumSubgroups; i++)
    best = max (best, sc_reduce_scratch[i]);
  return best;
#else
  const uint tid = gl_LocalInvocationID.x;

  barrier ();
  sc_reduce_scratch[tid] = v;
  barrier ();
  for (uint s = LOCAL_SIZE / 2; s > 0; s >>= 1)
    {
      if (tid < s)
        sc_reduce_scratch[tid] = max (sc_reduce_scratch[tid], sc_reduce_scratch[tid + s]);
      barrier ();
    }
  return sc_reduce_scratch[0];
#endif
}

#endif // SC_REDUCE_GLSL
