// SPDX-License-Identifier: GPL-3.0-or-later
// elementwise.glsl: the layout shared by one-dimensional element-wise ops (one invocation per
// element, bounds-checked against the element count).

#ifndef SC_ELEMENTWISE_GLSL
#define SC_ELEMENTWISE_GLSL

#include "common.glsl"

// The default here only matters if specialisation constant 0 is not set.
layout(local_size_x = SC_DEFAULT_LOCAL_SIZE_X, local_size_x_id = 0,
       local_size_y = 1, local_size_z = 1) in;

// Mirrors ScVkElementwisePush in core/sc-vulkan.h; keep the two in step.
layout(push_constant) uniform ElementwisePush
{
  uint n; // number of elements in this dispatch
} pc;

#endif // SC_ELEMENTWISE_GLSL
