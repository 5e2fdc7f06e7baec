// SPDX-License-Identifier: GPL-3.0-or-later
// push.glsl: the push-constant structures of the op shaders. Each mirrors a C structure in
// core/sc-vulkan-private.h (named ScVk<Name>) whose size is checked there with _Static_assert;
// change both together. A shader declares its block as
//   layout(push_constant) uniform PushBlock { MatmulPush pc; };
// All members are 32-bit, so std430 offsets equal the C offsets.

#ifndef SC_PUSH_GLSL
#define SC_PUSH_GLSL

// binary (add, mul), unary (scale, silu, gelu), swiglu: ScVkEltPush
struct EltPush
{
  uint  n;      // elements of the destination
  uint  nb;     // elements of b; b[i % nb] broadcasts a row over a matrix
  uint  off_a;  // float offsets of a, b and dst in their bindings
  uint  off_b;
  uint  off_d;
  float f;      // scale factor
  uint  pad0;
  uint  pad1;
};

// rms_norm, layer_norm, softmax (w = mask): ScVkRowPush
struct RowPush
{
  uint  ne0;     // row length
  uint  n_rows;
  uint  off_a;
  uint  off_d;
  uint  off_w;
  uint  off_b;
  uint  w_rows;  // rows of w (or the mask): 0 = absent, 1 = broadcast, else one per row
  uint  b_rows;  // rows of b: as w_rows
  float f;       // eps (norms) or scale (softmax)
  uint  pad0;
  uint  pad1;
  uint  pad2;
};

// rope: ScVkRopePush
struct RopePush
{
  uint  ne0;      // D
  uint  ne1;      // heads
  uint  ne2;      // tokens
  uint  n_rot;
  uint  mode;     // 0 normal, 2 NeoX
  uint  off_a;
  uint  off_pos;  // int offset of the positions
  uint  off_d;
  float freq_base;
  float freq_scale;
  uint  pad0;
  uint  pad1;
};

// get_rows: ScVkGetRowsPush
struct GetRowsPush
{
  uint ne0;        // elements per row
  uint n_ids;
  uint row_bytes;  // bytes per table row
  uint off_t_byte; // byte offset of this chunk's first row in the table binding
  uint off_ids;
  uint off_d;
  uint row_begin;  // table rows [row_begin, row_begin + row_count) live in this chunk
  uint row_count;
};

// mul_mat_vec, mul_mm: ScVkMatmulPush. dst[n, m0 + m] = sum_k w[m, k] x[n, k] for the
// m_count rows of w starting at off_w_byte.
struct MatmulPush
{
  uint k;           // K, the shared dimension
  uint m_count;     // rows of w in this dispatch
  uint n;           // columns of x (N)
  uint row_bytes;   // bytes per row of w
  uint off_w_byte;
  uint off_x;
  uint x_stride;    // floats between columns of x
  uint off_d;
  uint d_stride;    // floats between columns of dst (M)
  uint m0;          // first output row of this dispatch
  uint pad0;
  uint pad1;
};

// attention: ScVkAttentionPush
struct AttentionPush
{
  uint  d;           // head dimension D
  uint  n_head;      // Hq
  uint  n_head_kv;   // Hkv
  uint  n_tokens;    // T
  uint  n_kv;
  uint  causal;
  uint  pos0;
  uint  off_q;
  uint  off_k;       // in elements of the cache type
  uint  off_v;
  uint  off_mask;
  uint  mask_stride; // floats between mask rows; 0 = no mask
  uint  off_d;
  uint  kv_stride;   // elements between cache rows (D * Hkv)
  float scale;
  uint  pad0;
};

// copy_rows: ScVkCopyPush
struct CopyPush
{
  uint n;      // elements to copy
  uint off_a;  // floats
  uint off_d;  // elements of the destination type
  uint pad0;
};

#endif // SC_PUSH_GLSL
