/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-vulkan-ops.c: recording graph ops (sc-graph.h) as shader dispatches.
 *
 * Each op resolves its tensors to (buffer, byte offset) — intermediates in the graph arena,
 * weights and persistent tensors in their own buffers — and binds exactly the bytes it touches.
 * Binding offsets must be multiples of minStorageBufferOffsetAlignment, so a binding starts at
 * the aligned offset below the tensor and the shader gets the remainder as an element offset in
 * its push constants. Barriers are the recording's business (_sc_vk_recording_dispatch()). */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-error.h"
#include "sc-vulkan-private.h"

/* Workgroup sizes (specialisation constant 0 where the shader takes one; powers of two). */
#define ELT_LOCAL_SIZE 128u      /* binary, unary, swiglu, rope, copy_rows: fixed in GLSL */
#define ROW_LOCAL_SIZE 128u      /* rms_norm, layer_norm, softmax */
#define MATVEC_LOCAL_SIZE 64u    /* GPUs; CPU devices use one subgroup (see matvec_config) */
#define MATVEC_SHARED_FLOATS 4096u  /* rows x cols x local size: 16 KiB, the least devices offer */
#define ATTENTION_LOCAL_SIZE 64u
#define ATTENTION_MAX_D 256      /* MAX_D in attention.comp */
#define GET_ROWS_LOCAL_SIZE 64u  /* fixed in GLSL */
#define MM_TILE 64u              /* BM and BN in mul_mm.comp */
#define MAX_MATVEC_N 8           /* larger N go to the tiled mul_mm */

typedef struct
{
  ScVkBuffer *buffer;
  gsize       offset;  /* byte offset of the tensor's first element */
} Location;

typedef struct
{
  ScVkRecording    *recording;
  ScVkContext      *context;
  const ScVkLimits *limits;
  ScVkBuffer       *arena;
  const ScOp       *op;
} Rec;

/* ---------------------------------------------------------------- resolving tensors */

static gboolean
not_supported (const Rec  *rec,
               GError    **error,
               const char *why)
{
  g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
               _("The Vulkan backend cannot run %s on “%s”: %s"),
               sc_op_kind_name (rec->op->kind), rec->op->dst->name, why);
  return FALSE;
}

/* The chunks holding @t: one for everything but split weights, which are only used whole. */
static const ScVkChunk *
tensor_chunks (const Rec *rec,
               ScTensor  *t,
               ScVkChunk *single,
               guint     *n_chunks,
               GError   **error)
{
  gsize view_offset;
  ScTensor *root = sc_tensor_root (t, &view_offset);
  const ScVkStorage *storage;

  if (root->kind == SC_TENSOR_INTERMEDIATE)
    {
      *single = (ScVkChunk) { rec->arena, root->arena_offset + view_offset, 0,
                              sc_tensor_n_rows (t) };
      *n_chunks = 1;
      return single;
    }
  storage = root->backend_priv;
  if (storage == NULL || storage->context != rec->context)
    {
      not_supported (rec, error, "a tensor was not created by this backend");
      return NULL;
    }
  if (storage->n_chunks == 1)
    {
      *single = storage->chunks[0];
      single->offset += view_offset;
      single->n_rows = sc_tensor_n_rows (t);
      *n_chunks = 1;
      return single;
    }
  if (t != root)
    {
      not_supported (rec, error, "views of weights split over several buffers are not supported");
      return NULL;
    }
  *n_chunks = storage->n_chunks;
  return storage->chunks;
}

static gboolean
locate (const Rec *rec,
        ScTensor  *t,
        Location  *loc,
        GError   **error)
{
  ScVkChunk single;
  guint n_chunks;
  const ScVkChunk *chunks = tensor_chunks (rec, t, &single, &n_chunks, error);

  if (chunks == NULL)
    return FALSE;
  if (n_chunks != 1)
    return not_supported (rec, error, "this operand cannot be split over several buffers");
  loc->buffer = chunks[0].buffer;
  loc->offset = chunks[0].offset;
  return TRUE;
}

/* A binding covering @size bytes at @offset of @buffer; *@delta receives the distance from the
 * (aligned) binding start to @offset. */
static gboolean
bind_bytes (const Rec   *rec,
            ScVkBuffer  *buffer,
            gsize        offset,
            gsize        size,
            ScVkAccess   access,
            ScVkBinding *binding,
            gsize       *delta,
            GError     **error)
{
  gsize start = offset & ~(rec->limits->storage_alignment - 1);
  gsize range = (offset - start + size + 3) & ~(gsize) 3;

  range = MIN (range, sc_vk_buffer_get_size (buffer) - start);
  if (range > rec->limits->max_binding_range)
    return not_supported (rec, error, "an operand exceeds the device's storage buffer range");
  *binding = (ScVkBinding) { buffer, start, range, access };
  *delta = offset - start;
  return TRUE;
}

/* Binds the whole of tensor @t; *@elem_offset is the delta in elements of @elem_size bytes. */
static gboolean
bind_tensor (const Rec   *rec,
             ScTensor    *t,
             ScVkAccess   access,
             gsize        elem_size,
             ScVkBinding *binding,
             guint32     *elem_offset,
             GError     **error)
{
  Location loc = { 0 };
  gsize delta;

  if (!locate (rec, t, &loc, error) ||
      !bind_bytes (rec, loc.buffer, loc.offset, t->n_bytes, access, binding, &delta, error))
    return FALSE;
  g_assert (delta % elem_size == 0);
  *elem_offset = (guint32) (delta / elem_size);
  return TRUE;
}

static ScVkAccess
weight_access (const ScTensor *t)
{
  ScTensor *root = sc_tensor_root ((ScTensor *) t, NULL);

  return root->kind == SC_TENSOR_WEIGHT ? SC_VK_ACCESS_CONSTANT : SC_VK_ACCESS_READ;
}

/* ---------------------------------------------------------------- dispatch helpers */

/* @n_groups workgroups of one-dimensional work as an x × y grid (see flat_invocation_index()
 * in common.glsl). */
static gboolean
grid_1d (const Rec *rec,
         guint64    n_groups,
         guint32   *gx,
         guint32   *gy,
         GError   **error)
{
  guint64 max_x = rec->limits->max_groups[0];

  *gx = (guint32) MIN (n_groups, max_x);
  *gy = (guint32) ((n_groups + *gx - 1) / MAX (*gx, 1));
  if (*gy > rec->limits->max_groups[1])
    return not_supported (rec, error, "too much work for one dispatch");
  return TRUE;
}

static gboolean
dispatch (const Rec         *rec,
          const char        *shader,
          guint32            local_size,
          const ScVkBinding *bindings,
          guint              n_bindings,
          const void        *push,
          gsize              push_size,
          guint32            gx,
          guint32            gy,
          GError           **error)
{
  guint32 spec[] = { [SC_VK_SPEC_LOCAL_SIZE_X] = local_size };

  return _sc_vk_recording_dispatch (rec->recording, shader, spec, local_size ? 1 : 0, bindings,
                                    n_bindings, push, push_size, gx, gy, 1, error);
}

/* Variant suffix of the weight types; NULL for unsupported ones. */
static const char *
type_suffix (ScTensorType type)
{
  switch (type)
    {
    case SC_TENSOR_TYPE_F32: return "f32";
    case SC_TENSOR_TYPE_F16: return "f16";
    case SC_TENSOR_TYPE_BF16: return "bf16";
    case SC_TENSOR_TYPE_Q4_0: return "q4_0";
    case SC_TENSOR_TYPE_Q4_1: return "q4_1";
    case SC_TENSOR_TYPE_Q5_0: return "q5_0";
    case SC_TENSOR_TYPE_Q5_1: return "q5_1";
    case SC_TENSOR_TYPE_Q8_0: return "q8_0";
    case SC_TENSOR_TYPE_Q4_K: return "q4_k";
    case SC_TENSOR_TYPE_Q5_K: return "q5_k";
    case SC_TENSOR_TYPE_Q6_K: return "q6_k";
    default: return NULL;
    }
}

/* UNIT in dequant.glsl: weights dequantised per invocation step. */
static guint32
type_unit (ScTensorType type)
{
  return sc_tensor_type_block_size (type) > 1 ? 4 : 1;
}

static char *
weight_variant (const Rec    *rec,
                const char   *shader,
                ScTensorType  type,
                gboolean      subgroup)
{
  gboolean fp16s = type == SC_TENSOR_TYPE_F16 && rec->limits->fp16_storage;

  return g_strdup_printf ("%s_%s%s%s", shader, type_suffix (type), fp16s ? "_fp16s" : "",
                          subgroup && rec->limits->subgroup_arithmetic ? "_subgroup" : "");
}

static gsize
row_bytes_of (const ScTensor *t)
{
  gsize size = 0;

  sc_tensor_row_size (t->type, t->ne[0], &size, NULL);
  return size;
}

/* ---------------------------------------------------------------- ops */

static gboolean
record_get_rows (const Rec *rec,
                 GError   **error)
{
  ScTensor *table = rec->op->src[0], *ids = rec->op->src[1], *dst = rec->op->dst;
  const gsize row_bytes = row_bytes_of (table);
  const guint32 n_ids = (guint32) sc_tensor_n_elements (ids);
  const guint32 units = (guint32) (table->ne[0] / type_unit (table->type));
  g_autofree char *shader = NULL;
  ScVkChunk single;
  guint n_chunks;
  const ScVkChunk *chunks;
  ScVkBinding bindings[3];
  guint32 off_ids, off_d;

  if (type_suffix (table->type) == NULL)
    return not_supported (rec, error, "the table's type has no shader");
  chunks = tensor_chunks (rec, table, &single, &n_chunks, error);
  if (chunks == NULL ||
      !bind_tensor (rec, ids, SC_VK_ACCESS_READ, 4, &bindings[1], &off_ids, error) ||
      !bind_tensor (rec, dst, SC_VK_ACCESS_WRITE, 4, &bindings[2], &off_d, error))
    return FALSE;
  shader = weight_variant (rec, "get_rows", table->type, FALSE);

  for (guint c = 0; c < n_chunks; c++)
    {
      ScVkGetRowsPush push = { 0 };
      gsize delta;

      if (!bind_bytes (rec, chunks[c].buffer, chunks[c].offset, chunks[c].n_rows * row_bytes,
                       weight_access (table), &bindings[0], &delta, error))
        return FALSE;
      push.ne0 = (guint32) table->ne[0];
      push.row_bytes = (guint32) row_bytes;
      push.off_t_byte = (guint32) delta;
      push.row_begin = (guint32) chunks[c].row_begin;
      push.row_count = (guint32) chunks[c].n_rows;
      /* y is the id; more ids than one dispatch takes go in slices. */
      for (guint32 i0 = 0; i0 < n_ids; i0 += rec->limits->max_groups[1])
        {
          guint32 count = MIN (n_ids - i0, rec->limits->max_groups[1]);
          guint32 gx = (units + GET_ROWS_LOCAL_SIZE - 1) / GET_ROWS_LOCAL_SIZE;

          push.n_ids = count;
          push.off_ids = off_ids + i0;
          push.off_d = off_d + i0 * push.ne0;
          if (gx > rec->limits->max_groups[0])
            return not_supported (rec, error, "rows too long for one dispatch");
          if (!dispatch (rec, shader, 0, bindings, 3, &push, sizeof push, gx, count, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* Whether mul_mat_vec gives each invocation whole rows (LANE_ROWS). On a CPU device
 * (lavapipe) an invocation is a SIMD lane: when the lanes stride over the units of one row,
 * every load of x is a gather of eight addresses; when each lane has rows of its own, all
 * lanes read the same x at the same time, one load for all, and no partial sums are reduced.
 * On a GPU neighbouring invocations must read neighbouring bytes, so they share the rows.
 * $SICHTUNG_VULKAN_LANE_ROWS=0 or 1 overrides this (tests, comparisons). */
static gboolean
matvec_lane_rows (const Rec *rec)
{
  const char *env = g_getenv ("SICHTUNG_VULKAN_LANE_ROWS");

  if (env != NULL && *env != '\0')
    return strcmp (env, "0") != 0;
  return sc_vk_context_get_device_info (rec->context)->type == SC_VK_DEVICE_TYPE_CPU;
}

/* Workgroup size and rows (per invocation with @lane_rows, else per workgroup) of
 * mul_mat_vec for @n_cols columns. On a GPU the invocations of a workgroup share the rows and a
 * few rows per workgroup amortise the loads of x and the reduction. On a CPU device a
 * workgroup runs on one thread and one SIMD register's worth of lanes (the subgroup) per
 * workgroup needs no barrier; four rows per lane share each load of x (more spill the
 * accumulators of eight columns). $SICHTUNG_VULKAN_MATVEC ("LOCAL,ROWS") overrides both, for
 * tuning. */
static void
matvec_config (const Rec *rec,
               guint32    n_cols,
               gboolean   lane_rows,
               guint32   *local_size,
               guint32   *n_rows)
{
  const ScVkDeviceInfo *info = sc_vk_context_get_device_info (rec->context);
  const char *env = g_getenv ("SICHTUNG_VULKAN_MATVEC");
  guint32 subgroup = info->subgroup_size;

  if (info->type == SC_VK_DEVICE_TYPE_CPU &&
      (lane_rows || rec->limits->subgroup_arithmetic) && subgroup >= 4)
    {
      *local_size = subgroup;
      *n_rows = 4;
    }
  else if (lane_rows)
    {
      *local_size = 8;
      *n_rows = 4;
    }
  else
    {
      *local_size = MATVEC_LOCAL_SIZE;
      *n_rows = n_cols == 1 ? 2 : 1;
    }
  if (env != NULL)
    {
      guint local = 0, rows = 0;

      if (sscanf (env, "%u,%u", &local, &rows) == 2 && local > 0 && (local & (local - 1)) == 0 &&
          rows > 0 && rows <= 64)
        {
          *local_size = local;
          *n_rows = rows;
        }
    }
  *local_size = MIN (*local_size, rec->limits->max_local_size_x);
  while (*n_rows > 1 && *n_rows * n_cols * *local_size > MATVEC_SHARED_FLOATS)
    *n_rows /= 2;
  while (*local_size > 1 && *n_rows * n_cols * *local_size > MATVEC_SHARED_FLOATS)
    *local_size /= 2;
}

/* Whether matrices (N > MAX_MATVEC_N) also go to mul_mat_vec, MAX_MATVEC_N columns per
 * dispatch. On a CPU device (lavapipe) every shared-memory access of the tiled mul_mm is a
 * per-lane memory operation, so a tile saves nothing over reading each weight block once per
 * MAX_MATVEC_N columns straight from the buffer, and the mat-vec kernel is the faster one.
 * $SICHTUNG_VULKAN_MUL_MM=1 forces the tiled kernel (tests, comparisons). */
static gboolean
matvec_for_matrices (const Rec *rec)
{
  const char *env = g_getenv ("SICHTUNG_VULKAN_MUL_MM");

  if (env != NULL && *env != '\0' && strcmp (env, "0") != 0)
    return FALSE;
  return sc_vk_context_get_device_info (rec->context)->type == SC_VK_DEVICE_TYPE_CPU &&
         (matvec_lane_rows (rec) || rec->limits->subgroup_arithmetic);
}

/* Columns per mul_mat_vec dispatch for @n columns: all of them up to MAX_MATVEC_N; for
 * matrices $SICHTUNG_VULKAN_MATVEC_COLS (1 … MAX_MATVEC_N) may say fewer, for tuning. */
static gint64
matvec_columns_per_dispatch (gint64 n)
{
  const char *env = g_getenv ("SICHTUNG_VULKAN_MATVEC_COLS");
  guint64 cols = 0;

  if (n > MAX_MATVEC_N && env != NULL &&
      g_ascii_string_to_unsigned (env, 10, 1, MAX_MATVEC_N, &cols, NULL))
    return (gint64) cols;
  return MIN (n, MAX_MATVEC_N);
}

static gboolean
record_matmul (const Rec *rec,
               GError   **error)
{
  ScTensor *w = rec->op->src[0], *x = rec->op->src[1], *dst = rec->op->dst;
  const gsize row_bytes = row_bytes_of (w);
  const gint64 N = sc_tensor_n_rows (x);
  const gboolean vec = N <= MAX_MATVEC_N || matvec_for_matrices (rec);
  const gint64 cols_per_dispatch = matvec_columns_per_dispatch (N);
  guint32 local_size = 0, wg_rows = MM_TILE;
  gboolean lane_rows = FALSE, float_vec4;
  guint32 max_rows, w_align;
  g_autofree char *shader = NULL;
  ScVkChunk single;
  guint n_chunks;
  const ScVkChunk *chunks;
  ScVkBinding bindings[3];
  ScVkMatmulPush push = { 0 };

  if (type_suffix (w->type) == NULL)
    return not_supported (rec, error, "the weight type has no shader");
  chunks = tensor_chunks (rec, w, &single, &n_chunks, error);
  if (chunks == NULL ||
      !bind_tensor (rec, x, SC_VK_ACCESS_READ, 4, &bindings[1], &push.off_x, error) ||
      !bind_tensor (rec, dst, SC_VK_ACCESS_WRITE, 4, &bindings[2], &push.off_d, error))
    return FALSE;
  if (!vec && (N + MM_TILE - 1) / MM_TILE > rec->limits->max_groups[1])
    return not_supported (rec, error, "too many columns for one dispatch");
  shader = weight_variant (rec, vec ? "mul_mat_vec" : "mul_mm", w->type, vec);
  if (vec)
    {
      lane_rows = matvec_lane_rows (rec);
      matvec_config (rec, (guint32) MIN (N, cols_per_dispatch), lane_rows, &local_size,
                     &wg_rows);
      /* (from here on: rows per workgroup) */
      if (lane_rows)
        wg_rows *= local_size;
    }
  max_rows = MIN (rec->limits->max_groups[0], G_MAXUINT32 / wg_rows) * wg_rows;
  /* Float weights go four at a time where K allows it (every row then starts on a group of
   * four) and the binding start does. */
  w_align = 4 * (guint32) (w->type == SC_TENSOR_TYPE_F32 ? 4 : 2);
  float_vec4 = (w->type == SC_TENSOR_TYPE_F32 || w->type == SC_TENSOR_TYPE_F16 ||
                w->type == SC_TENSOR_TYPE_BF16) && w->ne[0] % 4 == 0;

  push.k = (guint32) w->ne[0];
  push.n = (guint32) N;
  push.row_bytes = (guint32) row_bytes;
  push.x_stride = (guint32) x->ne[0];
  push.d_stride = (guint32) dst->ne[0];
  for (guint c = 0; c < n_chunks; c++)
    for (gint64 r0 = 0; r0 < chunks[c].n_rows; r0 += max_rows)
      {
        guint32 rows = (guint32) MIN (chunks[c].n_rows - r0, (gint64) max_rows);
        gsize delta;

        if (!bind_bytes (rec, chunks[c].buffer, chunks[c].offset + r0 * row_bytes,
                         rows * row_bytes, weight_access (w), &bindings[0], &delta, error))
          return FALSE;
        push.off_w_byte = (guint32) delta;
        push.m_count = rows;
        push.m0 = (guint32) (chunks[c].row_begin + r0);
        if (vec)
          {
            /* Matrices go a few columns per workgroup (see matvec_for_matrices()): the whole
             * blocks of them in one dispatch, workgroups along y, the rest in another. */
            for (gint64 n0 = 0; n0 < N;)
              {
                const guint32 cols = (guint32) MIN (N - n0, cols_per_dispatch);
                const guint32 blocks = (guint32) MIN ((N - n0) / cols,
                                                      (gint64) rec->limits->max_groups[1]);
                const guint32 off_x = push.off_x + (guint32) n0 * push.x_stride;
                const gboolean x_vec4 = off_x % 4 == 0 && push.x_stride % 4 == 0;
                guint32 spec[] = { [SC_VK_SPEC_LOCAL_SIZE_X] = local_size,
                                   [SC_VK_SPEC_MATVEC_ROWS] = lane_rows ? wg_rows / local_size
                                                                        : wg_rows,
                                   [SC_VK_SPEC_MATVEC_COLS] = cols,
                                   [SC_VK_SPEC_MATVEC_LANE_ROWS] = lane_rows,
                                   [SC_VK_SPEC_MATVEC_X_VEC4] = x_vec4,
                                   [SC_VK_SPEC_MATVEC_W_VEC4] = x_vec4 && float_vec4 &&
                                                                push.off_w_byte % w_align == 0 };
                ScVkMatmulPush part = push;

                part.n = cols;
                part.off_x = off_x;
                part.off_d = push.off_d + (guint32) n0 * push.d_stride;
                if (!_sc_vk_recording_dispatch (rec->recording, shader, spec,
                                                G_N_ELEMENTS (spec), bindings, 3, &part,
                                                sizeof part, (rows + wg_rows - 1) / wg_rows,
                                                blocks, 1, error))
                  return FALSE;
                n0 += (gint64) blocks * cols;
              }
          }
        else if (!dispatch (rec, shader, 0, bindings, 3, &push, sizeof push,
                            (rows + MM_TILE - 1) / MM_TILE,
                            (guint32) ((N + MM_TILE - 1) / MM_TILE), error))
          return FALSE;
      }
  return TRUE;
}

/* add, mul, scale, silu, gelu, swiglu. */
static gboolean
record_elementwise (const Rec  *rec,
                    const char *shader,
                    GError    **error)
{
  const ScOp *op = rec->op;
  ScTensor *b = op->kind == SC_OP_ADD || op->kind == SC_OP_MUL || op->kind == SC_OP_SWIGLU
                  ? op->src[1] : NULL;
  ScVkBinding bindings[3];
  ScVkEltPush push = { 0 };
  guint n = 0;
  guint32 gx, gy;

  push.n = (guint32) sc_tensor_n_elements (op->dst);
  push.f = op->f[0];
  if (!bind_tensor (rec, op->src[0], SC_VK_ACCESS_READ, 4, &bindings[n++], &push.off_a, error))
    return FALSE;
  if (b != NULL)
    {
      if (!bind_tensor (rec, b, SC_VK_ACCESS_READ, 4, &bindings[n++], &push.off_b, error))
        return FALSE;
      push.nb = (guint32) sc_tensor_n_elements (b);
    }
  if (!bind_tensor (rec, op->dst, SC_VK_ACCESS_WRITE, 4, &bindings[n++], &push.off_d, error) ||
      !grid_1d (rec, (push.n + ELT_LOCAL_SIZE - 1) / ELT_LOCAL_SIZE, &gx, &gy, error))
    return FALSE;
  return dispatch (rec, shader, 0, bindings, n, &push, sizeof push, gx, gy, error);
}

/* rms_norm (a, w), layer_norm (a, w, b), softmax (a, mask): one workgroup per row. Absent
 * operands bind a again (a binding must be valid even when unused). */
static gboolean
record_rows (const Rec  *rec,
             const char *shader,
             guint       n_operands,
             GError    **error)
{
  const ScOp *op = rec->op;
  ScTensor *a = op->src[0];
  const guint32 local_size = MIN (ROW_LOCAL_SIZE, rec->limits->max_local_size_x);
  ScVkBinding bindings[4];
  ScVkRowPush push = { 0 };
  guint32 *offsets[3] = { &push.off_a, &push.off_w, &push.off_b };
  guint32 *rows[3] = { NULL, &push.w_rows, &push.b_rows };
  guint32 gx, gy;

  push.ne0 = (guint32) a->ne[0];
  push.n_rows = (guint32) sc_tensor_n_rows (a);
  push.f = op->f[0];
  for (guint i = 0; i < n_operands; i++)
    {
      ScTensor *t = op->src[i] != NULL ? op->src[i] : a;

      if (!bind_tensor (rec, t, SC_VK_ACCESS_READ, 4, &bindings[i], offsets[i], error))
        return FALSE;
      if (i > 0 && op->src[i] != NULL)
        *rows[i] = (guint32) sc_tensor_n_rows (op->src[i]);
    }
  if (!bind_tensor (rec, op->dst, SC_VK_ACCESS_WRITE, 4, &bindings[n_operands], &push.off_d,
                    error) ||
      !grid_1d (rec, push.n_rows, &gx, &gy, error))
    return FALSE;
  return dispatch (rec, shader, local_size, bindings, n_operands + 1, &push, sizeof push, gx,
                   gy, error);
}

static gboolean
record_rope (const Rec *rec,
             GError   **error)
{
  const ScOp *op = rec->op;
  ScTensor *a = op->src[0];
  ScVkBinding bindings[3];
  ScVkRopePush push = { 0 };
  guint64 invocations;
  guint32 gx, gy;

  push.ne0 = (guint32) a->ne[0];
  push.ne1 = (guint32) a->ne[1];
  push.ne2 = (guint32) a->ne[2];
  push.n_rot = (guint32) op->i[0];
  push.mode = (guint32) op->i[1];
  push.freq_base = op->f[0];
  push.freq_scale = op->f[1];
  invocations = (guint64) (push.ne0 + 1) / 2 * push.ne1 * push.ne2;
  if (!bind_tensor (rec, a, SC_VK_ACCESS_READ, 4, &bindings[0], &push.off_a, error) ||
      !bind_tensor (rec, op->src[1], SC_VK_ACCESS_READ, 4, &bindings[1], &push.off_pos,
                    error) ||
      !bind_tensor (rec, op->dst, SC_VK_ACCESS_WRITE, 4, &bindings[2], &push.off_d, error) ||
      !grid_1d (rec, (invocations + ELT_LOCAL_SIZE - 1) / ELT_LOCAL_SIZE, &gx, &gy, error))
    return FALSE;
  return dispatch (rec, "rope", 0, bindings, 3, &push, sizeof push, gx, gy, error);
}

/* Whether attention over @n_tokens tokens gives each invocation a token of its own
 * (LANE_QUERIES in attention.comp), and then its workgroup size: on a CPU device (lavapipe),
 * for at least a SIMD register's worth of tokens (a subgroup), all lanes then read the same
 * cache row at a time instead of gathering from one row each. A token step keeps the lanes on
 * the cache rows. $SICHTUNG_VULKAN_LANE_QUERIES=0 or 1 overrides the choice (tests,
 * comparisons). */
static gboolean
attention_lane_queries (const Rec *rec,
                        guint32    n_tokens,
                        guint32   *local_size)
{
  const ScVkDeviceInfo *info = sc_vk_context_get_device_info (rec->context);
  const char *env = g_getenv ("SICHTUNG_VULKAN_LANE_QUERIES");
  const guint32 lanes = info->subgroup_size >= 4 ? info->subgroup_size : 8;
  gboolean lane_queries;

  if (env != NULL && *env != '\0')
    lane_queries = strcmp (env, "0") != 0;
  else
    lane_queries = info->type == SC_VK_DEVICE_TYPE_CPU && n_tokens >= lanes;
  if (lane_queries)
    *local_size = MIN (lanes, ATTENTION_LOCAL_SIZE);
  return lane_queries;
}

static gboolean
record_attention (const Rec *rec,
                  GError   **error)
{
  const ScOp *op = rec->op;
  ScTensor *q = op->src[0], *k = op->src[1], *v = op->src[2], *mask = op->src[3];
  const gboolean f16 = k->type == SC_TENSOR_TYPE_F16;
  const gsize kv_elem = f16 ? 2 : 4;
  guint32 local_size = ATTENTION_LOCAL_SIZE;
  gboolean lane_queries;
  guint32 groups_y;
  ScVkBinding bindings[5];
  ScVkAttentionPush push = { 0 };
  const char *shader;
  ScTensor *kv[2] = { k, v };
  guint32 *kv_offsets[2] = { &push.off_k, &push.off_v };

  push.d = (guint32) q->ne[0];
  push.n_head = (guint32) q->ne[1];
  push.n_head_kv = (guint32) (k->ne[0] / q->ne[0]);
  push.n_tokens = (guint32) q->ne[2];
  push.n_kv = (guint32) op->i[0];
  push.causal = op->i[1] != 0;
  push.pos0 = (guint32) op->i[2];
  push.scale = op->f[0];
  push.kv_stride = (guint32) k->ne[0];
  if (push.d > ATTENTION_MAX_D)
    return not_supported (rec, error, "heads larger than 256 are not supported");
  lane_queries = attention_lane_queries (rec, push.n_tokens, &local_size);
  groups_y = lane_queries ? (push.n_tokens + local_size - 1) / local_size : push.n_tokens;
  if (local_size > rec->limits->max_local_size_x || push.n_head > rec->limits->max_groups[0] ||
      groups_y > rec->limits->max_groups[1])
    return not_supported (rec, error, "too much work for one dispatch");

  if (!bind_tensor (rec, q, SC_VK_ACCESS_READ, 4, &bindings[0], &push.off_q, error))
    return FALSE;
  for (guint i = 0; i < 2; i++)
    {
      Location loc = { 0 };
      gsize delta;

      /* Only the rows in use: copy_rows into later rows need not wait for this op. */
      if (!locate (rec, kv[i], &loc, error) ||
          !bind_bytes (rec, loc.buffer, loc.offset, push.n_kv * row_bytes_of (kv[i]),
                       SC_VK_ACCESS_READ, &bindings[1 + i], &delta, error))
        return FALSE;
      *kv_offsets[i] = (guint32) (delta / kv_elem);
    }
  if (!bind_tensor (rec, mask != NULL ? mask : q, SC_VK_ACCESS_READ, 4, &bindings[3],
                    &push.off_mask, error) ||
      !bind_tensor (rec, op->dst, SC_VK_ACCESS_WRITE, 4, &bindings[4], &push.off_d, error))
    return FALSE;
  push.mask_stride = mask != NULL ? (guint32) mask->ne[0] : 0;

  if (!f16)
    shader = "attention_f32";
  else
    shader = rec->limits->fp16_storage ? "attention_f16_fp16s" : "attention_f16";
  {
    guint32 spec[] = { [SC_VK_SPEC_LOCAL_SIZE_X] = local_size,
                       [SC_VK_SPEC_ATTENTION_LANE_QUERIES] = lane_queries };

    return _sc_vk_recording_dispatch (rec->recording, shader, spec, G_N_ELEMENTS (spec),
                                      bindings, 5, &push, sizeof push, push.n_head, groups_y, 1,
                                      error);
  }
}

static gboolean
record_copy_rows (const Rec *rec,
                  GError   **error)
{
  const ScOp *op = rec->op;
  ScTensor *a = op->src[0], *dst = op->dst;
  const gboolean f16 = dst->type == SC_TENSOR_TYPE_F16;
  const gsize elem = f16 ? 2 : 4;
  ScVkBinding bindings[2];
  ScVkCopyPush push = { 0 };
  Location loc = { 0 };
  gsize delta;
  const char *shader;
  guint64 invocations;
  guint32 gx, gy;

  push.n = (guint32) sc_tensor_n_elements (a);
  if (!bind_tensor (rec, a, SC_VK_ACCESS_READ, 4, &bindings[0], &push.off_a, error) ||
      !locate (rec, dst, &loc, error) ||
      !bind_bytes (rec, loc.buffer, loc.offset + (gsize) op->i[0] * row_bytes_of (dst),
                   push.n * elem, SC_VK_ACCESS_READ | SC_VK_ACCESS_WRITE, &bindings[1], &delta,
                   error))
    return FALSE;
  push.off_d = (guint32) (delta / elem);

  if (!f16)
    shader = "copy_rows_f32";
  else
    shader = rec->limits->fp16_storage ? "copy_rows_f16_fp16s" : "copy_rows_f16";
  /* The word-wise F16 path runs one invocation per word, at most one more than the halves. */
  invocations = f16 && !rec->limits->fp16_storage ? push.n / 2 + 1 : push.n;
  if (!grid_1d (rec, (invocations + ELT_LOCAL_SIZE - 1) / ELT_LOCAL_SIZE, &gx, &gy, error))
    return FALSE;
  return dispatch (rec, shader, 0, bindings, 2, &push, sizeof push, gx, gy, error);
}

gboolean
_sc_vk_record_op (ScVkRecording *recording,
                  ScVkContext   *context,
                  ScVkBuffer    *arena,
                  const ScOp    *op,
                  GError       **error)
{
  Rec rec = { recording, context, _sc_vk_context_get_limits (context), arena, op };

  switch (op->kind)
    {
    case SC_OP_GET_ROWS:
      return record_get_rows (&rec, error);
    case SC_OP_MATMUL:
      return record_matmul (&rec, error);
    case SC_OP_ADD:
      return record_elementwise (&rec, "binary_add", error);
    case SC_OP_MUL:
      return record_elementwise (&rec, "binary_mul", error);
    case SC_OP_SCALE:
      return record_elementwise (&rec, "unary_scale", error);
    case SC_OP_SILU:
      return record_elementwise (&rec, "unary_silu", error);
    case SC_OP_GELU:
      return record_elementwise (&rec, "unary_gelu", error);
    case SC_OP_SWIGLU:
      return record_elementwise (&rec, "swiglu", error);
    case SC_OP_RMS_NORM:
      return record_rows (&rec, "rms_norm", 2, error);
    case SC_OP_LAYER_NORM:
      return record_rows (&rec, "layer_norm", 3, error);
    case SC_OP_SOFTMAX:
      return record_rows (&rec, "softmax", 2, error);
    case SC_OP_ROPE:
      return record_rope (&rec, error);
    case SC_OP_ATTENTION:
      return record_attention (&rec, error);
    case SC_OP_COPY_ROWS:
      return record_copy_rows (&rec, error);
    case SC_OP_N:
    default:
      break;
    }
  return not_supported (&rec, error, "unknown op");
}
