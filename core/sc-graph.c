/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-graph.c: building op graphs and planning the memory of their intermediates. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <string.h>

#include "sc-graph.h"

struct _ScGraph
{
  GPtrArray *tensors;  /* ScTensor*: intermediates and views this graph owns */
  GArray    *ops;      /* ScOp */
  gsize      planned_alignment;
  gsize      arena_size;
};

ScGraph *
sc_graph_new (void)
{
  ScGraph *graph = g_new0 (ScGraph, 1);

  graph->tensors = g_ptr_array_new_with_free_func (g_free);
  graph->ops = g_array_new (FALSE, TRUE, sizeof (ScOp));
  return graph;
}

void
sc_graph_free (ScGraph *graph)
{
  if (graph == NULL)
    return;
  g_ptr_array_unref (graph->tensors);
  g_array_unref (graph->ops);
  g_free (graph);
}

guint
sc_graph_get_n_ops (ScGraph *graph)
{
  g_return_val_if_fail (graph != NULL, 0);
  return graph->ops->len;
}

const ScOp *
sc_graph_get_op (ScGraph *graph,
                 guint    index)
{
  g_return_val_if_fail (graph != NULL, NULL);
  g_return_val_if_fail (index < graph->ops->len, NULL);
  return &g_array_index (graph->ops, ScOp, index);
}

gint64
sc_tensor_n_elements (const ScTensor *t)
{
  return t->ne[0] * t->ne[1] * t->ne[2] * t->ne[3];
}

gint64
sc_tensor_n_rows (const ScTensor *t)
{
  return t->ne[1] * t->ne[2] * t->ne[3];
}

ScTensor *
sc_tensor_root (ScTensor *t,
                gsize    *offset)
{
  gsize total = 0;

  while (t->view_src != NULL)
    {
      total += t->view_offset;
      t = t->view_src;
    }
  if (offset != NULL)
    *offset = total;
  return t;
}

static const char *const op_names[SC_OP_N] = {
  [SC_OP_GET_ROWS] = "get_rows",
  [SC_OP_MATMUL] = "matmul",
  [SC_OP_ADD] = "add",
  [SC_OP_MUL] = "mul",
  [SC_OP_SCALE] = "scale",
  [SC_OP_RMS_NORM] = "rms_norm",
  [SC_OP_LAYER_NORM] = "layer_norm",
  [SC_OP_ROPE] = "rope",
  [SC_OP_SOFTMAX] = "softmax",
  [SC_OP_ATTENTION] = "attention",
  [SC_OP_SILU] = "silu",
  [SC_OP_GELU] = "gelu",
  [SC_OP_SWIGLU] = "swiglu",
  [SC_OP_COPY_ROWS] = "copy_rows",
};

const char *
sc_op_kind_name (ScOpKind kind)
{
  g_return_val_if_fail (kind < SC_OP_N, "invalid");
  return op_names[kind];
}

/* ---------------------------------------------------------------- tensors */

static gsize
bytes_for (ScTensorType type,
           const gint64 *ne)
{
  gsize row = 0;

  if (!sc_tensor_row_size (type, ne[0], &row, NULL))
    return 0;
  return row * (gsize) (ne[1] * ne[2] * ne[3]);
}

static ScTensor *
new_tensor (ScGraph      *graph,
            ScTensorType  type,
            const gint64 *ne)
{
  ScTensor *t = g_new0 (ScTensor, 1);

  t->type = type;
  memcpy (t->ne, ne, sizeof t->ne);
  t->n_bytes = bytes_for (type, ne);
  t->kind = SC_TENSOR_INTERMEDIATE;
  t->last_use = -1;
  g_ptr_array_add (graph->tensors, t);
  graph->planned_alignment = 0;
  return t;
}

ScTensor *
sc_graph_new_tensor (ScGraph      *graph,
                     ScTensorType  type,
                     gint64        ne0,
                     gint64        ne1,
                     gint64        ne2,
                     gint64        ne3)
{
  gint64 ne[SC_MAX_DIMS] = { ne0, ne1, ne2, ne3 };

  g_return_val_if_fail (graph != NULL, NULL);
  g_return_val_if_fail (ne0 > 0 && ne1 > 0 && ne2 > 0 && ne3 > 0, NULL);
  return new_tensor (graph, type, ne);
}

static ScTensor *
new_view (ScGraph      *graph,
          ScTensor     *src,
          const gint64 *ne,
          gsize         offset)
{
  ScTensor *t = new_tensor (graph, src->type, ne);

  t->view_src = src;
  t->view_offset = offset;
  t->kind = src->kind;
  g_snprintf (t->name, sizeof t->name, "%s (view)", src->name);
  return t;
}

ScTensor *
sc_graph_reshape (ScGraph  *graph,
                  ScTensor *src,
                  gint64    ne0,
                  gint64    ne1,
                  gint64    ne2,
                  gint64    ne3)
{
  gint64 ne[SC_MAX_DIMS] = { ne0, ne1, ne2, ne3 };

  g_return_val_if_fail (graph != NULL && src != NULL, NULL);
  g_return_val_if_fail (ne0 * ne1 * ne2 * ne3 == sc_tensor_n_elements (src), NULL);
  g_return_val_if_fail (ne0 == src->ne[0] || src->type == SC_TENSOR_TYPE_F32 ||
                        src->type == SC_TENSOR_TYPE_F16, NULL);
  return new_view (graph, src, ne, 0);
}

ScTensor *
sc_graph_view_rows (ScGraph  *graph,
                    ScTensor *src,
                    gint64    row0,
                    gint64    n_rows)
{
  gint64 ne[SC_MAX_DIMS] = { src->ne[0], n_rows, 1, 1 };
  gsize row_size = 0;

  g_return_val_if_fail (graph != NULL && src != NULL, NULL);
  g_return_val_if_fail (src->ne[2] == 1 && src->ne[3] == 1, NULL);
  g_return_val_if_fail (row0 >= 0 && n_rows > 0 && row0 + n_rows <= src->ne[1], NULL);
  g_return_val_if_fail (sc_tensor_row_size (src->type, src->ne[0], &row_size, NULL), NULL);
  return new_view (graph, src, ne, (gsize) row0 * row_size);
}

void
sc_graph_set_output (ScGraph  *graph,
                     ScTensor *tensor)
{
  g_return_if_fail (graph != NULL && tensor != NULL);
  sc_tensor_root (tensor, NULL)->is_output = TRUE;
  tensor->is_output = TRUE;
}

/* ---------------------------------------------------------------- ops */

static ScTensor *
append_op (ScGraph  *graph,
           ScOpKind  kind,
           ScTensor *dst,
           ScTensor *a,
           ScTensor *b,
           ScTensor *c,
           ScTensor *d)
{
  ScOp op = { 0 };

  op.kind = kind;
  op.dst = dst;
  op.src[0] = a;
  op.src[1] = b;
  op.src[2] = c;
  op.src[3] = d;
  g_array_append_val (graph->ops, op);
  graph->planned_alignment = 0;
  return dst;
}

static ScOp *
last_op (ScGraph *graph)
{
  return &g_array_index (graph->ops, ScOp, graph->ops->len - 1);
}

static ScTensor *
new_like (ScGraph  *graph,
          ScTensor *a)
{
  return new_tensor (graph, SC_TENSOR_TYPE_F32, a->ne);
}

static gboolean
is_f32 (const ScTensor *t)
{
  return t->type == SC_TENSOR_TYPE_F32;
}

/* @b broadcasts over the rows of @a, or has @a's shape. */
static gboolean
broadcastable (const ScTensor *a,
               const ScTensor *b)
{
  if (b->ne[0] != a->ne[0])
    return FALSE;
  if (sc_tensor_n_rows (b) == 1)
    return TRUE;
  return b->ne[1] == a->ne[1] && b->ne[2] == a->ne[2] && b->ne[3] == a->ne[3];
}

ScTensor *
sc_graph_get_rows (ScGraph  *graph,
                   ScTensor *table,
                   ScTensor *ids)
{
  gint64 ne[SC_MAX_DIMS] = { 0, 0, 1, 1 };

  g_return_val_if_fail (graph != NULL && table != NULL && ids != NULL, NULL);
  g_return_val_if_fail (ids->type == SC_TENSOR_TYPE_I32, NULL);
  ne[0] = table->ne[0];
  ne[1] = sc_tensor_n_elements (ids);
  return append_op (graph, SC_OP_GET_ROWS, new_tensor (graph, SC_TENSOR_TYPE_F32, ne), table,
                    ids, NULL, NULL);
}

ScTensor *
sc_graph_matmul (ScGraph  *graph,
                 ScTensor *w,
                 ScTensor *x)
{
  gint64 ne[SC_MAX_DIMS] = { 0, 0, 1, 1 };

  g_return_val_if_fail (graph != NULL && w != NULL && x != NULL, NULL);
  g_return_val_if_fail (is_f32 (x), NULL);
  g_return_val_if_fail (w->ne[0] == x->ne[0], NULL);
  g_return_val_if_fail (w->ne[2] == 1 && w->ne[3] == 1, NULL);
  ne[0] = w->ne[1];
  ne[1] = sc_tensor_n_rows (x);
  return append_op (graph, SC_OP_MATMUL, new_tensor (graph, SC_TENSOR_TYPE_F32, ne), w, x,
                    NULL, NULL);
}

static ScTensor *
binary (ScGraph  *graph,
        ScOpKind  kind,
        ScTensor *a,
        ScTensor *b)
{
  g_return_val_if_fail (graph != NULL && a != NULL && b != NULL, NULL);
  g_return_val_if_fail (is_f32 (a) && is_f32 (b), NULL);
  g_return_val_if_fail (broadcastable (a, b), NULL);
  return append_op (graph, kind, new_like (graph, a), a, b, NULL, NULL);
}

ScTensor *
sc_graph_add (ScGraph  *graph,
              ScTensor *a,
              ScTensor *b)
{
  return binary (graph, SC_OP_ADD, a, b);
}

ScTensor *
sc_graph_mul (ScGraph  *graph,
              ScTensor *a,
              ScTensor *b)
{
  return binary (graph, SC_OP_MUL, a, b);
}

ScTensor *
sc_graph_scale (ScGraph  *graph,
                ScTensor *a,
                float     s)
{
  ScTensor *dst;

  g_return_val_if_fail (graph != NULL && a != NULL && is_f32 (a), NULL);
  dst = append_op (graph, SC_OP_SCALE, new_like (graph, a), a, NULL, NULL, NULL);
  last_op (graph)->f[0] = s;
  return dst;
}

ScTensor *
sc_graph_rms_norm (ScGraph  *graph,
                   ScTensor *a,
                   ScTensor *w,
                   float     eps)
{
  ScTensor *dst;

  g_return_val_if_fail (graph != NULL && a != NULL && is_f32 (a), NULL);
  g_return_val_if_fail (w == NULL || (is_f32 (w) && broadcastable (a, w)), NULL);
  dst = append_op (graph, SC_OP_RMS_NORM, new_like (graph, a), a, w, NULL, NULL);
  last_op (graph)->f[0] = eps;
  return dst;
}

ScTensor *
sc_graph_layer_norm (ScGraph  *graph,
                     ScTensor *a,
                     ScTensor *w,
                     ScTensor *b,
                     float     eps)
{
  ScTensor *dst;

  g_return_val_if_fail (graph != NULL && a != NULL && is_f32 (a), NULL);
  g_return_val_if_fail (w == NULL || (is_f32 (w) && broadcastable (a, w)), NULL);
  g_return_val_if_fail (b == NULL || (is_f32 (b) && broadcastable (a, b)), NULL);
  dst = append_op (graph, SC_OP_LAYER_NORM, new_like (graph, a), a, w, b, NULL);
  last_op (graph)->f[0] = eps;
  return dst;
}

ScTensor *
sc_graph_rope (ScGraph    *graph,
               ScTensor   *a,
               ScTensor   *pos,
               int         n_rot,
               ScRopeMode  mode,
               float       freq_base,
               float       freq_scale)
{
  ScTensor *dst;
  ScOp *op;

  g_return_val_if_fail (graph != NULL && a != NULL && pos != NULL && is_f32 (a), NULL);
  g_return_val_if_fail (pos->type == SC_TENSOR_TYPE_I32, NULL);
  g_return_val_if_fail (sc_tensor_n_elements (pos) == a->ne[2] && a->ne[3] == 1, NULL);
  g_return_val_if_fail (n_rot > 0 && n_rot <= a->ne[0] && n_rot % 2 == 0, NULL);
  dst = append_op (graph, SC_OP_ROPE, new_like (graph, a), a, pos, NULL, NULL);
  op = last_op (graph);
  op->i[0] = n_rot;
  op->i[1] = mode;
  op->f[0] = freq_base;
  op->f[1] = freq_scale;
  return dst;
}

ScTensor *
sc_graph_softmax (ScGraph  *graph,
                  ScTensor *a,
                  ScTensor *mask,
                  float     scale)
{
  ScTensor *dst;

  g_return_val_if_fail (graph != NULL && a != NULL && is_f32 (a), NULL);
  g_return_val_if_fail (mask == NULL || (is_f32 (mask) && broadcastable (a, mask)), NULL);
  dst = append_op (graph, SC_OP_SOFTMAX, new_like (graph, a), a, mask, NULL, NULL);
  last_op (graph)->f[0] = scale;
  return dst;
}

ScTensor *
sc_graph_attention (ScGraph  *graph,
                    ScTensor *q,
                    ScTensor *k_cache,
                    ScTensor *v_cache,
                    ScTensor *mask,
                    int       n_kv,
                    gboolean  causal,
                    int       pos0,
                    float     scale)
{
  gint64 ne[SC_MAX_DIMS] = { 0, 0, 1, 1 };
  gint64 head_dim, n_head, n_head_kv;
  ScTensor *dst;
  ScOp *op;

  g_return_val_if_fail (graph != NULL && q != NULL && k_cache != NULL && v_cache != NULL,
                        NULL);
  g_return_val_if_fail (is_f32 (q) && q->ne[3] == 1, NULL);
  head_dim = q->ne[0];
  n_head = q->ne[1];
  g_return_val_if_fail (k_cache->ne[0] % head_dim == 0, NULL);
  n_head_kv = k_cache->ne[0] / head_dim;
  g_return_val_if_fail (n_head_kv > 0 && n_head % n_head_kv == 0, NULL);
  g_return_val_if_fail (v_cache->ne[0] == k_cache->ne[0], NULL);
  g_return_val_if_fail (k_cache->type == SC_TENSOR_TYPE_F32 ||
                        k_cache->type == SC_TENSOR_TYPE_F16, NULL);
  g_return_val_if_fail (v_cache->type == k_cache->type, NULL);
  g_return_val_if_fail (n_kv > 0 && n_kv <= k_cache->ne[1] && n_kv <= v_cache->ne[1], NULL);
  g_return_val_if_fail (!causal || pos0 + q->ne[2] <= n_kv, NULL);
  g_return_val_if_fail (mask == NULL || (is_f32 (mask) && mask->ne[0] >= n_kv &&
                                         mask->ne[1] == q->ne[2]), NULL);

  ne[0] = head_dim * n_head;
  ne[1] = q->ne[2];
  dst = append_op (graph, SC_OP_ATTENTION, new_tensor (graph, SC_TENSOR_TYPE_F32, ne), q,
                   k_cache, v_cache, mask);
  op = last_op (graph);
  op->i[0] = n_kv;
  op->i[1] = causal;
  op->i[2] = pos0;
  op->f[0] = scale;
  return dst;
}

static ScTensor *
unary (ScGraph  *graph,
       ScOpKind  kind,
       ScTensor *a)
{
  g_return_val_if_fail (graph != NULL && a != NULL && is_f32 (a), NULL);
  return append_op (graph, kind, new_like (graph, a), a, NULL, NULL, NULL);
}

ScTensor *
sc_graph_silu (ScGraph  *graph,
               ScTensor *a)
{
  return unary (graph, SC_OP_SILU, a);
}

ScTensor *
sc_graph_gelu (ScGraph  *graph,
               ScTensor *a)
{
  return unary (graph, SC_OP_GELU, a);
}

ScTensor *
sc_graph_swiglu (ScGraph  *graph,
                 ScTensor *a,
                 ScTensor *b)
{
  g_return_val_if_fail (graph != NULL && a != NULL && b != NULL, NULL);
  g_return_val_if_fail (is_f32 (a) && is_f32 (b), NULL);
  g_return_val_if_fail (sc_tensor_n_elements (a) == sc_tensor_n_elements (b), NULL);
  return append_op (graph, SC_OP_SWIGLU, new_like (graph, a), a, b, NULL, NULL);
}

ScTensor *
sc_graph_copy_rows (ScGraph  *graph,
                    ScTensor *dst,
                    ScTensor *a,
                    gint64    row0)
{
  g_return_val_if_fail (graph != NULL && dst != NULL && a != NULL, NULL);
  g_return_val_if_fail (dst->kind == SC_TENSOR_PERSISTENT, NULL);
  g_return_val_if_fail (dst->type == SC_TENSOR_TYPE_F32 || dst->type == SC_TENSOR_TYPE_F16,
                        NULL);
  g_return_val_if_fail (is_f32 (a) && a->ne[0] == dst->ne[0], NULL);
  g_return_val_if_fail (row0 >= 0 && row0 + sc_tensor_n_rows (a) <= sc_tensor_n_rows (dst),
                        NULL);
  append_op (graph, SC_OP_COPY_ROWS, dst, a, NULL, NULL, NULL);
  last_op (graph)->i[0] = (gint32) row0;
  return dst;
}

/* ---------------------------------------------------------------- planning */

typedef struct
{
  gsize offset;
  gsize size;
} Block;

/* Best-fit allocation from a free list kept sorted by offset; the arena grows at the end. */
static gsize
arena_alloc (GArray *free_blocks,
             gsize  *arena_end,
             gsize   size)
{
  int best = -1;

  for (guint i = 0; i < free_blocks->len; i++)
    {
      Block *b = &g_array_index (free_blocks, Block, i);

      if (b->size >= size && (best < 0 || b->size < g_array_index (free_blocks, Block, best).size))
        best = i;
    }
  if (best >= 0)
    {
      Block *b = &g_array_index (free_blocks, Block, best);
      gsize offset = b->offset;

      b->offset += size;
      b->size -= size;
      if (b->size == 0)
        g_array_remove_index (free_blocks, best);
      return offset;
    }
  /* A free block at the very end can be extended instead of leaving a hole. */
  if (free_blocks->len > 0)
    {
      Block *last = &g_array_index (free_blocks, Block, free_blocks->len - 1);

      if (last->offset + last->size == *arena_end)
        {
          gsize offset = last->offset;

          *arena_end = offset + size;
          g_array_remove_index (free_blocks, free_blocks->len - 1);
          return offset;
        }
    }
  *arena_end += size;
  return *arena_end - size;
}

static void
arena_free (GArray *free_blocks,
            gsize   offset,
            gsize   size)
{
  guint i = 0;
  Block block = { offset, size };

  while (i < free_blocks->len && g_array_index (free_blocks, Block, i).offset < offset)
    i++;
  g_array_insert_val (free_blocks, i, block);
  /* Merge with the neighbours. */
  if (i + 1 < free_blocks->len)
    {
      Block *cur = &g_array_index (free_blocks, Block, i);
      Block *next = &g_array_index (free_blocks, Block, i + 1);

      if (cur->offset + cur->size == next->offset)
        {
          cur->size += next->size;
          g_array_remove_index (free_blocks, i + 1);
        }
    }
  if (i > 0)
    {
      Block *prev = &g_array_index (free_blocks, Block, i - 1);
      Block *cur = &g_array_index (free_blocks, Block, i);

      if (prev->offset + prev->size == cur->offset)
        {
          prev->size += cur->size;
          g_array_remove_index (free_blocks, i);
        }
    }
}

gsize
sc_graph_plan (ScGraph *graph,
               gsize    alignment)
{
  g_autoptr(GArray) free_blocks = NULL;
  g_autoptr(GPtrArray) dying = NULL;
  gsize arena_end = 0;

  g_return_val_if_fail (graph != NULL, 0);
  g_return_val_if_fail (alignment > 0 && (alignment & (alignment - 1)) == 0, 0);

  if (graph->planned_alignment == alignment)
    return graph->arena_size;

  /* Last use of every root intermediate. */
  for (guint i = 0; i < graph->tensors->len; i++)
    {
      ScTensor *t = g_ptr_array_index (graph->tensors, i);

      t->last_use = -1;
      t->arena_offset = G_MAXSIZE;
    }
  for (guint i = 0; i < graph->ops->len; i++)
    {
      ScOp *op = &g_array_index (graph->ops, ScOp, i);

      for (guint s = 0; s < SC_MAX_SRC; s++)
        if (op->src[s] != NULL)
          sc_tensor_root (op->src[s], NULL)->last_use = i;
    }

  free_blocks = g_array_new (FALSE, FALSE, sizeof (Block));
  dying = g_ptr_array_new ();
  for (guint i = 0; i < graph->ops->len; i++)
    {
      ScOp *op = &g_array_index (graph->ops, ScOp, i);
      ScTensor *dst = sc_tensor_root (op->dst, NULL);

      if (dst->kind == SC_TENSOR_INTERMEDIATE && dst->arena_offset == G_MAXSIZE)
        {
          gsize size = (dst->n_bytes + alignment - 1) & ~(alignment - 1);

          dst->arena_offset = arena_alloc (free_blocks, &arena_end, MAX (size, alignment));
        }
      /* Sources whose last reader is this op are free for later ops (not for this op's own
       * destination, allocated above: backends read sources while writing it). Backends that
       * run ops concurrently must still order a later write after this op's reads. */
      g_ptr_array_set_size (dying, 0);
      for (guint s = 0; s < SC_MAX_SRC; s++)
        {
          ScTensor *src;

          if (op->src[s] == NULL)
            continue;
          src = sc_tensor_root (op->src[s], NULL);
          if (src->kind == SC_TENSOR_INTERMEDIATE && src->last_use == (int) i &&
              !src->is_output && src->arena_offset != G_MAXSIZE &&
              !g_ptr_array_find (dying, src, NULL))
            g_ptr_array_add (dying, src);
        }
      for (guint j = 0; j < dying->len; j++)
        {
          ScTensor *t = g_ptr_array_index (dying, j);
          gsize size = (t->n_bytes + alignment - 1) & ~(alignment - 1);

          arena_free (free_blocks, t->arena_offset, MAX (size, alignment));
        }
    }

  /* Views take their offset from their root. */
  for (guint i = 0; i < graph->tensors->len; i++)
    {
      ScTensor *t = g_ptr_array_index (graph->tensors, i);
      gsize offset;
      ScTensor *root = sc_tensor_root (t, &offset);

      if (t != root && root->kind == SC_TENSOR_INTERMEDIATE)
        t->arena_offset = root->arena_offset + offset;
    }

  graph->planned_alignment = alignment;
  graph->arena_size = arena_end;
  return arena_end;
}
