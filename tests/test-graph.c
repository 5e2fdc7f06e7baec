/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-graph.c: the op graph builder and the arena planner (sc_graph_plan): intermediates
 * that are alive at the same time never share memory, outputs survive to the end, views
 * resolve into their root, offsets are aligned, and memory is actually reused. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include "sc-graph.h"

/* A persistent-looking tensor that is not owned by any graph (inputs of the tests). */
static ScTensor *
input_tensor (ScTensorType type,
              gint64       ne0,
              gint64       ne1)
{
  ScTensor *t = g_new0 (ScTensor, 1);

  t->type = type;
  t->ne[0] = ne0;
  t->ne[1] = ne1;
  t->ne[2] = t->ne[3] = 1;
  t->n_bytes = (gsize) (ne0 * ne1) * (type == SC_TENSOR_TYPE_F16 ? 2 : 4);
  t->kind = SC_TENSOR_PERSISTENT;
  t->last_use = -1;
  return t;
}

typedef struct
{
  ScTensor *root;
  int       first;  /* op that writes it first */
  int       last;   /* last op reading it; G_MAXINT for outputs */
} Live;

/* Checks every planner property on @graph and returns the arena size. */
static gsize
check_plan (ScGraph *graph,
            gsize    alignment)
{
  g_autoptr(GHashTable) lives = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  const guint n_ops = sc_graph_get_n_ops (graph);
  gsize size = sc_graph_plan (graph, alignment);
  GHashTableIter iter;
  gpointer value;
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  g_assert_cmpuint (sc_graph_plan (graph, alignment), ==, size); /* idempotent */

  for (guint i = 0; i < n_ops; i++)
    {
      const ScOp *op = sc_graph_get_op (graph, i);
      ScTensor *ts[1 + SC_MAX_SRC] = { op->dst, op->src[0], op->src[1], op->src[2], op->src[3] };

      for (int s = 0; s < 1 + SC_MAX_SRC; s++)
        {
          gsize offset;
          ScTensor *root;
          Live *live;

          if (ts[s] == NULL)
            continue;
          root = sc_tensor_root (ts[s], &offset);
          if (root->kind != SC_TENSOR_INTERMEDIATE)
            continue;
          /* Views resolve to their root's place. */
          g_assert_cmpuint (ts[s]->arena_offset, ==, root->arena_offset + offset);
          live = g_hash_table_lookup (lives, root);
          if (live == NULL)
            {
              /* An intermediate is written before it is read. */
              g_assert_true (s == 0);
              live = g_new0 (Live, 1);
              live->root = root;
              live->first = i;
              live->last = root->is_output ? G_MAXINT : (int) i;
              g_hash_table_insert (lives, root, live);
              g_ptr_array_add (all, live);
            }
          else if (live->last != G_MAXINT)
            live->last = MAX (live->last, (int) i);
        }
    }

  g_hash_table_iter_init (&iter, lives);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Live *live = value;

      g_assert_cmpuint (live->root->arena_offset % alignment, ==, 0);
      g_assert_cmpuint (live->root->arena_offset + live->root->n_bytes, <=, size);
    }
  for (guint i = 0; i < all->len; i++)
    for (guint j = i + 1; j < all->len; j++)
      {
        const Live *a = g_ptr_array_index (all, i), *b = g_ptr_array_index (all, j);
        const gboolean overlap_time = a->first <= b->last && b->first <= a->last;
        const gboolean overlap_space =
          a->root->arena_offset < b->root->arena_offset + b->root->n_bytes &&
          b->root->arena_offset < a->root->arena_offset + a->root->n_bytes;

        if (overlap_time && overlap_space)
          g_error ("“%s” (ops %d..%d) and “%s” (ops %d..%d) share memory", a->root->name,
                   a->first, a->last, b->root->name, b->first, b->last);
      }
  return size;
}

static void
test_chain_reuse (void)
{
  g_autoptr(ScGraph) graph = sc_graph_new ();
  g_autofree ScTensor *x = input_tensor (SC_TENSOR_TYPE_F32, 1000, 3);
  ScTensor *t = x;
  const gsize tensor_bytes = 1000 * 3 * 4;
  gsize size;

  for (int i = 0; i < 100; i++)
    t = i % 2 ? sc_graph_silu (graph, t) : sc_graph_scale (graph, t, 0.5f);
  sc_graph_set_output (graph, t);
  size = check_plan (graph, 64);
  /* A chain needs two buffers (source and destination of the running op), not 100. */
  g_assert_cmpuint (size, <=, 2 * ((tensor_bytes + 63) & ~(gsize) 63));
  g_assert_cmpuint (size, >=, 2 * tensor_bytes);
}

static void
test_outputs_survive (void)
{
  g_autoptr(ScGraph) graph = sc_graph_new ();
  g_autofree ScTensor *x = input_tensor (SC_TENSOR_TYPE_F32, 256, 4);
  ScTensor *early, *t;

  early = sc_graph_scale (graph, x, 2.0f);
  sc_graph_set_output (graph, early);
  t = sc_graph_silu (graph, early);
  for (int i = 0; i < 20; i++)
    t = sc_graph_add (graph, t, x);
  sc_graph_set_output (graph, t);
  check_plan (graph, 64);
  g_assert_true (early->is_output);
}

/* A DAG with branches, views, reshapes and broadcasts: a transformer-like block. */
static void
test_block (void)
{
  g_autoptr(ScGraph) graph = sc_graph_new ();
  g_autofree ScTensor *x = input_tensor (SC_TENSOR_TYPE_F32, 64, 5);
  g_autofree ScTensor *w = input_tensor (SC_TENSOR_TYPE_F32, 64, 64);
  g_autofree ScTensor *w2 = input_tensor (SC_TENSOR_TYPE_F32, 64, 128);
  g_autofree ScTensor *w3 = input_tensor (SC_TENSOR_TYPE_F32, 128, 64);
  g_autofree ScTensor *nw = input_tensor (SC_TENSOR_TYPE_F32, 64, 1);
  g_autofree ScTensor *kc = input_tensor (SC_TENSOR_TYPE_F16, 64, 16);
  g_autofree ScTensor *vc = input_tensor (SC_TENSOR_TYPE_F16, 64, 16);
  g_autofree ScTensor *pos = input_tensor (SC_TENSOR_TYPE_I32, 5, 1);
  ScTensor *h, *q, *k, *v, *att, *o, *x2, *g, *u, *out, *last_row;

  h = sc_graph_rms_norm (graph, x, nw, 1e-5f);
  q = sc_graph_rope (graph, sc_graph_reshape (graph, sc_graph_matmul (graph, w, h), 16, 4, 5, 1),
                     pos, 16, SC_ROPE_NEOX, 10000.0f, 1.0f);
  k = sc_graph_rope (graph, sc_graph_reshape (graph, sc_graph_matmul (graph, w, h), 16, 4, 5, 1),
                     pos, 16, SC_ROPE_NORMAL, 10000.0f, 1.0f);
  sc_graph_copy_rows (graph, kc, sc_graph_reshape (graph, k, 64, 5, 1, 1), 3);
  v = sc_graph_matmul (graph, w, h);
  sc_graph_copy_rows (graph, vc, v, 3);
  att = sc_graph_attention (graph, q, kc, vc, NULL, 8, TRUE, 3, 0.25f);
  o = sc_graph_matmul (graph, w, att);
  x2 = sc_graph_add (graph, x, o);
  g = sc_graph_matmul (graph, w2, sc_graph_rms_norm (graph, x2, nw, 1e-5f));
  u = sc_graph_matmul (graph, w2, sc_graph_rms_norm (graph, x2, NULL, 1e-5f));
  out = sc_graph_add (graph, x2, sc_graph_matmul (graph, w3, sc_graph_swiglu (graph, g, u)));
  last_row = sc_graph_view_rows (graph, out, 4, 1);
  out = sc_graph_softmax (graph, sc_graph_matmul (graph, w, last_row), NULL, 1.0f);
  sc_graph_set_output (graph, out);
  g_assert_cmpuint (sc_graph_get_n_ops (graph), ==, 20);

  check_plan (graph, 64);
  check_plan (graph, 256); /* a new alignment plans again */
  g_assert_cmpuint (last_row->arena_offset, ==,
                    sc_tensor_root (last_row, NULL)->arena_offset + 4 * 64 * 4);
}

/* Random DAGs: every op reads one or two earlier tensors. */
static void
test_random_dags (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (int round = 0; round < 50; round++)
    {
      g_autoptr(ScGraph) graph = sc_graph_new ();
      g_autoptr(GPtrArray) pool = g_ptr_array_new ();
      g_autofree ScTensor *x = input_tensor (SC_TENSOR_TYPE_F32, 48, 2);
      const int n = g_rand_int_range (rand, 5, 60);

      g_ptr_array_add (pool, x);
      for (int i = 0; i < n; i++)
        {
          ScTensor *a = g_ptr_array_index (pool, g_rand_int_range (rand, 0, pool->len));
          ScTensor *b = g_ptr_array_index (pool, g_rand_int_range (rand, 0, pool->len));
          ScTensor *t;

          switch (g_rand_int_range (rand, 0, 4))
            {
            case 0:
              t = sc_graph_add (graph, a, b);
              break;
            case 1:
              t = sc_graph_mul (graph, a, sc_graph_view_rows (graph, b, 1, 1));
              break;
            case 2:
              t = sc_graph_reshape (graph, sc_graph_silu (graph, a), 96, 1, 1, 1);
              t = sc_graph_reshape (graph, sc_graph_scale (graph, t, 3.0f), 48, 2, 1, 1);
              break;
            default:
              t = sc_graph_rms_norm (graph, a, NULL, 1e-6f);
              break;
            }
          if (g_rand_int_range (rand, 0, 8) == 0)
            sc_graph_set_output (graph, t);
          g_ptr_array_add (pool, t);
        }
      check_plan (graph, 64);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sichtung/graph/chain-reuse", test_chain_reuse);
  g_test_add_func ("/sichtung/graph/outputs-survive", test_outputs_survive);
  g_test_add_func ("/sichtung/graph/block", test_block);
  g_test_add_func ("/sichtung/graph/random-dags", test_random_dags);
  return g_test_run ();
}
