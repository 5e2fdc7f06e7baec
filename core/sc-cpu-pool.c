/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cpu-pool.c: the CPU backend's thread pool. Workers are created once and run one task per
 * sc_cpu_pool_run() — in practice a whole graph, with a spinning barrier between ops — so an op
 * costs one barrier (well under a microsecond), not a thread wake-up. Between tasks workers spin
 * briefly, for the next graph of a token loop, then sleep on a condition variable. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include "sc-cpu-private.h"

/* Spins before a worker sleeps between tasks (each a pause instruction, 10-150 cycles). */
#define SC_POOL_IDLE_SPINS 50000
/* Spins in a barrier before yielding the core, in case there are more threads than cores. */
#define SC_POOL_BARRIER_SPINS 4000

/* Fields written by different threads live on different cache lines. */
typedef struct
{
  gint value;
  char pad[64 - sizeof (gint)];
} PaddedInt;

struct _ScCpuPool
{
  int        n_threads;
  GThread  **threads;     /* n_threads - 1 workers */

  GMutex     mutex;
  GCond      cond;
  PaddedInt  generation;  /* bumped for each task; workers wait for a change */
  PaddedInt  n_sleeping;  /* workers blocked on @cond */
  PaddedInt  n_done;      /* workers finished with the current task */
  PaddedInt  barrier_count;
  PaddedInt  barrier_phase;
  gboolean   stop;
  ScCpuTask  task;
  gpointer   task_data;
};

typedef struct
{
  ScCpuPool *pool;
  int        ith;
} Worker;

static inline void
cpu_relax (void)
{
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause ();
#endif
}

/* Subnormal floats (below 1.2e-38) cost a micro-code assist per operation on x86; trained
 * weights produce them in activations and softmax tails, which made the encoder a quarter
 * slower. Graph work flushes them to zero (FTZ, and DAZ for inputs); the caller's mode comes
 * back afterwards. Returns the previous mode for restore_float_mode(). */
static inline unsigned int
flush_subnormals (void)
{
#if defined(__x86_64__) || (defined(__i386__) && defined(__SSE__))
  const unsigned int csr = _mm_getcsr ();

  _mm_setcsr (csr | 0x8040); /* FTZ (bit 15) | DAZ (bit 6) */
  return csr;
#else
  return 0;
#endif
}

static inline void
restore_float_mode (unsigned int csr)
{
#if defined(__x86_64__) || (defined(__i386__) && defined(__SSE__))
  _mm_setcsr (csr);
#else
  (void) csr;
#endif
}

static gpointer
worker_main (gpointer user_data)
{
  Worker *worker = user_data;
  ScCpuPool *pool = worker->pool;
  const int ith = worker->ith;
  gint seen = 0;

  g_free (worker);
  flush_subnormals (); /* a worker only ever runs graph work */
  for (;;)
    {
      int spins = 0;

      while (g_atomic_int_get (&pool->generation.value) == seen && spins < SC_POOL_IDLE_SPINS)
        {
          cpu_relax ();
          spins++;
        }
      if (g_atomic_int_get (&pool->generation.value) == seen)
        {
          g_mutex_lock (&pool->mutex);
          /* Announce the sleep before the last look at @generation: the runner bumps the
           * generation before it looks at @n_sleeping, so one of us sees the other. */
          g_atomic_int_inc (&pool->n_sleeping.value);
          while (g_atomic_int_get (&pool->generation.value) == seen)
            g_cond_wait (&pool->cond, &pool->mutex);
          g_atomic_int_add (&pool->n_sleeping.value, -1);
          g_mutex_unlock (&pool->mutex);
        }
      seen = g_atomic_int_get (&pool->generation.value);
      if (g_atomic_int_get (&pool->stop))
        break;
      pool->task (pool->task_data, ith, pool->n_threads);
      g_atomic_int_inc (&pool->n_done.value);
    }
  return NULL;
}

ScCpuPool *
sc_cpu_pool_new (int n_threads)
{
  ScCpuPool *pool = g_new0 (ScCpuPool, 1);

  pool->n_threads = MAX (1, n_threads);
  g_mutex_init (&pool->mutex);
  g_cond_init (&pool->cond);
  pool->threads = g_new0 (GThread *, pool->n_threads);
  for (int i = 1; i < pool->n_threads; i++)
    {
      Worker *worker = g_new0 (Worker, 1);

      worker->pool = pool;
      worker->ith = i;
      pool->threads[i - 1] = g_thread_new ("sc-cpu-worker", worker_main, worker);
    }
  return pool;
}

static void
wake_workers (ScCpuPool *pool)
{
  g_atomic_int_inc (&pool->generation.value);
  if (g_atomic_int_get (&pool->n_sleeping.value) > 0)
    {
      g_mutex_lock (&pool->mutex);
      g_cond_broadcast (&pool->cond);
      g_mutex_unlock (&pool->mutex);
    }
}

void
sc_cpu_pool_free (ScCpuPool *pool)
{
  if (pool == NULL)
    return;
  g_atomic_int_set (&pool->stop, TRUE);
  wake_workers (pool);
  for (int i = 1; i < pool->n_threads; i++)
    g_thread_join (pool->threads[i - 1]);
  g_free (pool->threads);
  g_mutex_clear (&pool->mutex);
  g_cond_clear (&pool->cond);
  g_free (pool);
}

int
sc_cpu_pool_get_n_threads (ScCpuPool *pool)
{
  return pool->n_threads;
}

void
sc_cpu_pool_run (ScCpuPool *pool,
                 ScCpuTask  task,
                 gpointer   data)
{
  const unsigned int csr = flush_subnormals ();
  int spins = 0;

  if (pool->n_threads == 1)
    {
      task (data, 0, 1);
      restore_float_mode (csr);
      return;
    }
  pool->task = task;
  pool->task_data = data;
  g_atomic_int_set (&pool->n_done.value, 0);
  wake_workers (pool);
  task (data, 0, pool->n_threads);
  while (g_atomic_int_get (&pool->n_done.value) < pool->n_threads - 1)
    {
      cpu_relax ();
      if (++spins > SC_POOL_BARRIER_SPINS)
        g_thread_yield ();
    }
  restore_float_mode (csr);
}

void
sc_cpu_pool_barrier (ScCpuPool *pool)
{
  const int n = pool->n_threads;
  gint phase;
  int spins = 0;

  if (n == 1)
    return;
  phase = g_atomic_int_get (&pool->barrier_phase.value);
  if (g_atomic_int_add (&pool->barrier_count.value, 1) == n - 1)
    {
      /* The last to arrive resets the count before it releases the others. */
      g_atomic_int_set (&pool->barrier_count.value, 0);
      g_atomic_int_inc (&pool->barrier_phase.value);
      return;
    }
  while (g_atomic_int_get (&pool->barrier_phase.value) == phase)
    {
      cpu_relax ();
      if (++spins > SC_POOL_BARRIER_SPINS)
        g_thread_yield ();
    }
}
