/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-cpu-ops.c: times the CPU backend's matmul (mat-vec for token generation, N = 64 for
 * prompt processing) on random quantised weights and prints the best time of repeated runs, GB/s
 * of weights streamed and GFLOP/s. Built and run by tools/bench/bench-cpu-ops. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sc-backend.h"

static double
run (ScBackend    *backend,
     ScTensorType  type,
     gint64        K,
     gint64        M,
     gint64        N,
     double       *gbs,
     double       *gflops)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autoptr(ScGraph) graph = sc_graph_new ();
  g_autoptr(GError) error = NULL;
  g_autofree float *f = g_new (float, K);
  g_autofree float *x = g_new (float, K * N);
  gsize row_size = 0;
  guint8 *w;
  ScGgufTensor source = { 0 };
  ScTensor *wt, *xt, *out;
  gint64 t0, t1;
  double seconds;

  sc_tensor_row_size (type, K, &row_size, NULL);
  w = g_malloc (row_size * M);
  for (gint64 m = 0; m < M; m++)
    {
      for (gint64 k = 0; k < K; k++)
        f[k] = (float) g_rand_double_range (rand, -1, 1);
      sc_quantize_row_ref (type, f, w + m * row_size, K);
    }
  for (gint64 i = 0; i < K * N; i++)
    x[i] = (float) g_rand_double_range (rand, -1, 1);
  source.name = "w";
  source.type = type;
  source.n_dims = 2;
  source.ne[0] = K;
  source.ne[1] = M;
  source.ne[2] = source.ne[3] = 1;
  source.n_elements = K * M;
  source.n_bytes = row_size * M;
  source.data = w;
  wt = sc_backend_tensor_from_gguf (backend, &source, &error);
  xt = sc_backend_tensor_new (backend, SC_TENSOR_TYPE_F32, K, N, 1, 1, "x", &error);
  sc_backend_tensor_set (backend, xt, x, 0, xt->n_bytes, &error);
  out = sc_graph_matmul (graph, wt, xt);
  sc_graph_set_output (graph, out);

  sc_backend_compute (backend, graph, &error); /* warm up */
  /* The fastest of the runs within 0.4 s: the least disturbed by other load on the machine. */
  t0 = g_get_monotonic_time ();
  seconds = G_MAXDOUBLE;
  do
    {
      gint64 t = g_get_monotonic_time ();

      sc_backend_compute (backend, graph, &error);
      t1 = g_get_monotonic_time ();
      seconds = MIN (seconds, (t1 - t) / 1e6);
    }
  while (t1 - t0 < 400000);
  *gbs = row_size * M / seconds / 1e9;
  *gflops = 2.0 * K * M * N / seconds / 1e9;
  sc_backend_tensor_free (backend, wt);
  sc_backend_tensor_free (backend, xt);
  g_free (w);
  return seconds;
}

/* bench-cpu-ops [THREADS [TYPE K M N]]: without a shape, every type and shape of the tables;
 * with one, that shape alone (TYPE as sc_tensor_type_name() spells it). */
int
main (int   argc,
      char *argv[])
{
  static const ScTensorType types[] = { SC_TENSOR_TYPE_Q8_0, SC_TENSOR_TYPE_Q4_K,
                                        SC_TENSOR_TYPE_Q4_0, SC_TENSOR_TYPE_Q6_K,
                                        SC_TENSOR_TYPE_Q5_K, SC_TENSOR_TYPE_F16,
                                        SC_TENSOR_TYPE_F32 };
  static const gint64 shapes[][2] = { { 1024, 1024 }, { 4096, 1024 }, { 4096, 4096 },
                                      { 4096, 11008 } };
  static const gint64 Ns[] = { 1, 64 };
  const int max_threads = argc > 1 ? atoi (argv[1]) : 2;
  g_autoptr(ScBackend) backend = sc_backend_cpu_new ();

  printf ("%-6s %-12s %4s %3s %10s %9s %9s\n", "type", "K x M", "N", "thr", "time (us)", "GB/s",
          "GFLOP/s");
  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
      for (guint n = 0; n < G_N_ELEMENTS (Ns); n++)
        for (int threads = 1; threads <= max_threads; threads++)
          {
            gint64 K = shapes[s][0], M = shapes[s][1], N = Ns[n];
            char shape[32];
            double gbs, gflops, sec;

            if (argc > 5)
              {
                if (g_strcmp0 (argv[2], sc_tensor_type_name (types[t])) != 0 || s > 0 || n > 0 ||
                    threads < max_threads)
                  continue;
                K = g_ascii_strtoll (argv[3], NULL, 10);
                M = g_ascii_strtoll (argv[4], NULL, 10);
                N = g_ascii_strtoll (argv[5], NULL, 10);
              }
            sc_backend_cpu_set_n_threads (SC_BACKEND_CPU (backend), threads);
            sec = run (backend, types[t], K, M, N, &gbs, &gflops);
            g_snprintf (shape, sizeof shape, "%" G_GINT64_FORMAT "x%" G_GINT64_FORMAT, K, M);
            printf ("%-6s %-12s %4" G_GINT64_FORMAT " %3d %10.1f %9.2f %9.2f\n",
                    sc_tensor_type_name (types[t]), shape, N, threads, sec * 1e6, gbs, gflops);
            fflush (stdout);
          }
  return 0;
}
