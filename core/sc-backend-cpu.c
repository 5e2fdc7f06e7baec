/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-backend-cpu.c: the CPU backend. Weights are used in place in the mapped GGUF file,
 * persistent tensors are 64-byte aligned host allocations, and a graph's intermediates share
 * one arena planned by sc_graph_plan(). The ops themselves live in sc-cpu-ops.c and
 * sc-cpu-matmul.c and run on the persistent thread pool of sc-cpu-pool.c. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sc-backend.h"
#include "sc-error.h"
#include "sc-cpu-private.h"

/* Cache-line alignment for persistent tensors and the arena: no tensor shares a line with
 * another, so threads writing different tensors never contend. */
#define SC_CPU_ALIGNMENT 64

struct _ScBackendCpu
{
  ScBackend parent_instance;

  int                 n_threads;
  const ScCpuKernels *kernels;

  GMutex              lock;        /* compute, the pool and the buffers: one caller at a time */
  ScCpuPool          *pool;        /* created at the first compute with n_threads */
  guint8             *arena;       /* intermediates of the graph being computed */
  gsize               arena_size;
  guint8             *work;        /* op scratch (quantised activations, per-thread rows) */
  gsize               work_size;
  guint8             *act;         /* converted activations of matmuls */
  gsize               act_size;
  ScCpuActCache      *act_cache;   /* [n_threads] */
  gboolean            profile;     /* SICHTUNG_PROFILE=1: time per op kind, printed at the end */
  gint64              profile_us[SC_OP_N];
  guint64             profile_count[SC_OP_N];
  gint64              profile_matmul_us[SC_CPU_N_TYPE_IDS]; /* matmuls by weight type */
};

G_DEFINE_FINAL_TYPE (ScBackendCpu, sc_backend_cpu, SC_TYPE_BACKEND)

static const char *
sc_backend_cpu_get_name (ScBackend *backend)
{
  return "cpu";
}

static const char *
sc_backend_cpu_get_device_description (ScBackend *backend)
{
  return _("CPU");
}

static gboolean
sc_backend_cpu_add_f32 (ScBackend   *backend,
                        const float *a,
                        const float *b,
                        float       *out,
                        gsize        n,
                        GError     **error)
{
  for (gsize i = 0; i < n; i++)
    out[i] = a[i] + b[i];
  return TRUE;
}

/* ---------------------------------------------------------------- tensors */

static ScTensor *
sc_backend_cpu_tensor_from_gguf (ScBackend          *backend,
                                 const ScGgufTensor *source,
                                 GError            **error)
{
  ScTensor *t;

  if (!sc_tensor_type_is_supported (source->type))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   _("The tensor “%s” has the type %s, which Sichtung cannot compute with"),
                   source->name, sc_tensor_type_name (source->type));
      return NULL;
    }
  t = g_new0 (ScTensor, 1);
  t->type = source->type;
  for (int i = 0; i < SC_MAX_DIMS; i++)
    t->ne[i] = i < SC_GGUF_MAX_DIMS ? MAX (source->ne[i], 1) : 1;
  t->n_bytes = source->n_bytes;
  t->kind = SC_TENSOR_WEIGHT;
  t->last_use = -1;
  g_strlcpy (t->name, source->name, sizeof t->name);
  /* In place: the kernels only read weights. */
  t->data = (gpointer) source->data;
  return t;
}

static ScTensor *
sc_backend_cpu_tensor_new (ScBackend     *backend,
                           ScTensorType   type,
                           const gint64  *ne,
                           const char    *name,
                           GError       **error)
{
  ScTensor *t;
  gsize row_size = 0;
  gint64 n_rows = ne[1] * ne[2] * ne[3];

  if (type == SC_TENSOR_TYPE_I32)
    row_size = (gsize) ne[0] * sizeof (gint32);
  else if (!sc_tensor_row_size (type, ne[0], &row_size, error))
    return NULL;
  if (n_rows <= 0 || row_size > G_MAXSIZE / (gsize) n_rows)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   "The tensor “%s” is too large", name ? name : "");
      return NULL;
    }

  t = g_new0 (ScTensor, 1);
  t->type = type;
  memcpy (t->ne, ne, sizeof t->ne);
  t->n_bytes = row_size * (gsize) n_rows;
  t->kind = SC_TENSOR_PERSISTENT;
  t->last_use = -1;
  if (name != NULL)
    g_strlcpy (t->name, name, sizeof t->name);
  t->data = g_aligned_alloc0 (1, MAX (t->n_bytes, 1), SC_CPU_ALIGNMENT);
  return t;
}

static void
sc_backend_cpu_tensor_free (ScBackend *backend,
                            ScTensor  *tensor)
{
  if (tensor->kind == SC_TENSOR_PERSISTENT)
    g_aligned_free (tensor->data);
  g_free (tensor);
}

static gboolean
sc_backend_cpu_tensor_set (ScBackend  *backend,
                           ScTensor   *tensor,
                           const void *data,
                           gsize       offset,
                           gsize       size,
                           GError    **error)
{
  memcpy ((guint8 *) tensor->data + offset, data, size);
  return TRUE;
}

static gboolean
sc_backend_cpu_tensor_get (ScBackend *backend,
                           ScTensor  *tensor,
                           void      *data,
                           gsize      offset,
                           gsize      size,
                           GError   **error)
{
  if (tensor->data == NULL)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   "The tensor “%s” has not been computed", tensor->name);
      return FALSE;
    }
  memcpy (data, (const guint8 *) tensor->data + offset, size);
  return TRUE;
}

/* ---------------------------------------------------------------- compute */

/* Points every intermediate (and every view) of @graph at its place in the arena. */
static void
bind_tensor (ScBackendCpu *self,
             ScTensor     *t)
{
  gsize offset;
  ScTensor *root;

  if (t == NULL)
    return;
  root = sc_tensor_root (t, &offset);
  if (root->kind == SC_TENSOR_INTERMEDIATE)
    {
      root->data = self->arena + root->arena_offset;
      t->data = self->arena + root->arena_offset + offset;
    }
  else
    t->data = (guint8 *) root->data + offset;
}

/* Ids come from callers (token ids): check them here, so the kernels cannot fail. */
static gboolean
check_get_rows (const ScOp  *op,
                GError     **error)
{
  const gint32 *ids = op->src[1]->data;
  const gint64 n = sc_tensor_n_elements (op->src[1]);
  const gint64 V = sc_tensor_n_rows (op->src[0]);

  for (gint64 i = 0; i < n; i++)
    if (ids[i] < 0 || ids[i] >= V)
      {
        g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                     "get_rows: row %d of “%s” does not exist (%" G_GINT64_FORMAT " rows)",
                     ids[i], op->src[0]->name, V);
        return FALSE;
      }
  return TRUE;
}

typedef struct
{
  ScCpuContext  ctx;
  ScGraph      *graph;
  guint         n_ops;
  ScBackendCpu *profile;  /* NULL unless profiling */
} GraphTask;

static void
graph_task (gpointer data,
            int      ith,
            int      nth)
{
  GraphTask *task = data;
  gint64 t0;

  memset (&task->ctx.act_cache[ith], 0, sizeof (ScCpuActCache));
  t0 = task->profile != NULL && ith == 0 ? g_get_monotonic_time () : 0;

  for (guint i = 0; i < task->n_ops; i++)
    {
      const ScOp *op = sc_graph_get_op (task->graph, i);

      sc_cpu_op_run (&task->ctx, op, ith, nth);
      /* The next op may read what this one wrote, or reuse its scratch. */
      if (i + 1 < task->n_ops)
        sc_cpu_pool_barrier (task->ctx.pool);
      /* Thread 0's time from barrier to barrier: the op's wall time, waiting included. */
      if (task->profile != NULL && ith == 0)
        {
          const gint64 t1 = g_get_monotonic_time ();

          task->profile->profile_us[op->kind] += t1 - t0;
          task->profile->profile_count[op->kind]++;
          if (op->kind == SC_OP_MATMUL && op->src[0]->type < SC_CPU_N_TYPE_IDS)
            task->profile->profile_matmul_us[op->src[0]->type] += t1 - t0;
          t0 = t1;
        }
    }
}

static gboolean
sc_backend_cpu_compute (ScBackend *backend,
                        ScGraph   *graph,
                        GError   **error)
{
  ScBackendCpu *self = SC_BACKEND_CPU (backend);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  const guint n_ops = sc_graph_get_n_ops (graph);
  gsize arena_size = sc_graph_plan (graph, SC_CPU_ALIGNMENT);
  gsize work_size = 0, act_size = 0;
  GraphTask task;

  if (n_ops == 0)
    return TRUE;
  if (self->pool == NULL || sc_cpu_pool_get_n_threads (self->pool) != self->n_threads)
    {
      sc_cpu_pool_free (self->pool);
      self->pool = sc_cpu_pool_new (self->n_threads);
    }
  /* Grow only: a token loop computes graphs of the same shapes again and again. */
  if (arena_size > self->arena_size)
    {
      g_aligned_free (self->arena);
      self->arena = g_aligned_alloc (1, arena_size, SC_CPU_ALIGNMENT);
      self->arena_size = arena_size;
    }
  for (guint i = 0; i < n_ops; i++)
    {
      const ScOp *op = sc_graph_get_op (graph, i);

      bind_tensor (self, op->dst);
      for (int s = 0; s < SC_MAX_SRC; s++)
        bind_tensor (self, op->src[s]);
      work_size = MAX (work_size, sc_cpu_op_work_size (op, self->n_threads));
      if (op->kind == SC_OP_MATMUL)
        act_size = MAX (act_size, sc_cpu_matmul_act_size (op));
    }
  for (guint i = 0; i < n_ops; i++)
    {
      const ScOp *op = sc_graph_get_op (graph, i);

      if (op->kind == SC_OP_GET_ROWS && !check_get_rows (op, error))
        return FALSE;
      if ((op->kind == SC_OP_MATMUL &&
           self->kernels->vec_dot[op->src[0]->type] == NULL) ||
          (op->kind == SC_OP_GET_ROWS && !sc_tensor_type_is_supported (op->src[0]->type)))
        {
          g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                       "%s: tensor type %s is not supported", sc_op_kind_name (op->kind),
                       sc_tensor_type_name (op->src[0]->type));
          return FALSE;
        }
    }
  if (work_size > self->work_size)
    {
      g_aligned_free (self->work);
      self->work = g_aligned_alloc (1, work_size, SC_CPU_ALIGNMENT);
      self->work_size = work_size;
    }
  if (act_size > self->act_size)
    {
      g_aligned_free (self->act);
      self->act = g_aligned_alloc (1, act_size, SC_CPU_ALIGNMENT);
      self->act_size = act_size;
    }
  self->act_cache = g_renew (ScCpuActCache, self->act_cache, self->n_threads);

  task.ctx.pool = self->pool;
  task.ctx.kernels = self->kernels;
  task.ctx.work = self->work;
  task.ctx.work_size = self->work_size;
  task.ctx.act = self->act;
  task.ctx.act_cache = self->act_cache;
  task.graph = graph;
  task.n_ops = n_ops;
  task.profile = self->profile ? self : NULL;
  sc_cpu_pool_run (self->pool, graph_task, &task);
  return TRUE;
}

/* ---------------------------------------------------------------- object */

static void
sc_backend_cpu_finalize (GObject *object)
{
  ScBackendCpu *self = SC_BACKEND_CPU (object);

  if (self->profile)
    for (int k = 0; k < SC_OP_N; k++)
      if (self->profile_count[k] > 0)
        g_printerr ("sichtung cpu profile: %-12s %8" G_GUINT64_FORMAT " ops %10.1f ms\n",
                    sc_op_kind_name (k), self->profile_count[k], self->profile_us[k] / 1000.0);
  if (self->profile)
    for (int t = 0; t < SC_CPU_N_TYPE_IDS; t++)
      if (self->profile_matmul_us[t] > 0)
        g_printerr ("sichtung cpu profile:   matmul %-6s %21.1f ms\n", sc_tensor_type_name (t),
                    self->profile_matmul_us[t] / 1000.0);
  sc_cpu_pool_free (self->pool);
  g_aligned_free (self->arena);
  g_aligned_free (self->work);
  g_aligned_free (self->act);
  g_free (self->act_cache);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (sc_backend_cpu_parent_class)->finalize (object);
}

static void
sc_backend_cpu_class_init (ScBackendCpuClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ScBackendClass *backend_class = SC_BACKEND_CLASS (klass);

  object_class->finalize = sc_backend_cpu_finalize;
  backend_class->get_name = sc_backend_cpu_get_name;
  backend_class->get_device_description = sc_backend_cpu_get_device_description;
  backend_class->add_f32 = sc_backend_cpu_add_f32;
  backend_class->tensor_from_gguf = sc_backend_cpu_tensor_from_gguf;
  backend_class->tensor_new = sc_backend_cpu_tensor_new;
  backend_class->tensor_free = sc_backend_cpu_tensor_free;
  backend_class->tensor_set = sc_backend_cpu_tensor_set;
  backend_class->tensor_get = sc_backend_cpu_tensor_get;
  backend_class->compute = sc_backend_cpu_compute;
}

static void
sc_backend_cpu_init (ScBackendCpu *self)
{
  g_mutex_init (&self->lock);
  self->n_threads = MAX (1, (int) g_get_num_processors ());
  /* SICHTUNG_CPU_NO_AVX2=1 forces the portable kernels (tests compare both paths). */
  self->kernels = sc_cpu_kernels_get (g_strcmp0 (g_getenv ("SICHTUNG_CPU_NO_AVX2"), "1") != 0);
  self->profile = g_strcmp0 (g_getenv ("SICHTUNG_PROFILE"), "1") == 0;
  g_debug ("CPU backend: %s kernels, %d threads", self->kernels->name, self->n_threads);
}

ScBackend *
sc_backend_cpu_new (void)
{
  return g_object_new (SC_TYPE_BACKEND_CPU, NULL);
}

void
sc_backend_cpu_set_n_threads (ScBackendCpu *self,
                              int           n_threads)
{
  g_return_if_fail (SC_IS_BACKEND_CPU (self));

  g_mutex_lock (&self->lock);
  self->n_threads = n_threads > 0 ? n_threads : MAX (1, (int) g_get_num_processors ());
  g_mutex_unlock (&self->lock);
}

void
_sc_backend_cpu_set_portable (ScBackendCpu *self,
                              gboolean      portable)
{
  g_return_if_fail (SC_IS_BACKEND_CPU (self));

  g_mutex_lock (&self->lock);
  self->kernels = sc_cpu_kernels_get (!portable);
  g_mutex_unlock (&self->lock);
}

void
_sc_backend_cpu_set_kernels (ScBackendCpu       *self,
                             const ScCpuKernels *kernels)
{
  g_return_if_fail (SC_IS_BACKEND_CPU (self));
  g_return_if_fail (kernels != NULL);

  g_mutex_lock (&self->lock);
  self->kernels = kernels;
  g_mutex_unlock (&self->lock);
}

int
sc_backend_cpu_get_n_threads (ScBackendCpu *self)
{
  g_return_val_if_fail (SC_IS_BACKEND_CPU (self), 1);

  return self->n_threads;
}
