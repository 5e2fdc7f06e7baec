// SPDX-License-Identifier: GPL-3.0-or-later
// common.glsl: conventions every Sichtung compute shader shares. Included first, right after
// #version and `#extension GL_GOOGLE_include_directive : require`, because it enables the
// extensions the variant defines ask for (extensions must precede all declarations).
//
// Specialisation constants: id 0 is the workgroup size in x (see SC_VK_SPEC_LOCAL_SIZE_X in
// core/sc-vulkan.h); ids 1 and 2 are reserved for y and z. Storage buffers live in descriptor
// set 0, bindings 0, 1, … in the order the C side passes them. Offsets in push constants are in
// units of the buffer's element (floats, ints, halves) unless named *_byte.

#ifndef SC_COMMON_GLSL
#define SC_COMMON_GLSL

#ifdef FP16_STORAGE
#extension GL_EXT_shader_16bit_storage : require
#endif
#ifdef USE_SUBGROUP
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif

// The default workgroup size in x when the pipeline does not specialise it.
#ifndef SC_DEFAULT_LOCAL_SIZE_X
#define SC_DEFAULT_LOCAL_SIZE_X 256
#endif

// A flat index for one-dimensional work spread over a two-dimensional grid (x is limited to
// maxComputeWorkGroupCount[0], so the C side wraps large counts into y). Macros, not functions:
// gl_WorkGroupSize is only known after the shader's local_size layout, which comes later.
#define flat_invocation_index()                                                              \
  ((gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * gl_WorkGroupSize.x +            \
   gl_LocalInvocationID.x)
#define flat_workgroup_index() (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x)

#endif // SC_COMMON_GLSL
