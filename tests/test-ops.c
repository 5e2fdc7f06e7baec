/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ops.c: the CPU backend's ops against the scalar references of sc-ops-ref.h, on random
 * inputs from a fixed seed, with 1 and 2 threads and with both the AVX2 and the portable
 * kernels (_sc_backend_cpu_set_portable(); SICHTUNG_CPU_NO_AVX2=1 does the same for a whole
 * process); the kernel tables and quantised prompts also with every table this CPU runs.
 *
 * Tolerances (err = max |cpu - ref| over the output):
 *   add, mul, scale, get_rows, copy_rows      bit-exact (the same IEEE operations)
 *   matmul F32 vs sc_ref_matmul               err <= 1e-5 * max |ref| (summation order only)
 *   matmul F16/BF16 vs sc_ref_matmul_q8act    err <= 1e-5 * max |ref| (exact products, order)
 *   matmul F16 vs sc_ref_matmul               err <= 2e-3 * max |ref| (half activations)
 *   matmul BF16 vs sc_ref_matmul              err <= 1e-2 * max |ref| (bfloat16 activations)
 *   matmul quantised vs sc_ref_matmul_q8act   err <= 1e-4 * max |ref| (same integers, order)
 *   matmul quantised vs sc_ref_matmul         err <= 2e-2 * max |ref| (8-bit activations)
 *   silu, gelu, swiglu                        err <= 1e-6 + 1e-5 |ref| per element (float libm)
 *   rms_norm, layer_norm                      err <= 1e-5 * max |ref|
 *   rope                                      err <= 1e-5 (inputs in [-1, 1])
 *   softmax                                   err <= 1e-6 (outputs in [0, 1])
 *   attention, F32 caches                     err <= 2e-5 (values in [-1, 1])
 *   attention, F16 caches                     err <= 3e-4 (query and probabilities rounded to
 *                                             halves, as ggml does; the reference keeps floats)
 *   transformer block, F32 weights            err <= 1e-4 * max |ref|
 *   transformer block, F16 weights and cache  err <= 2e-3 * max |ref| (half activations)
 *   transformer block, quantised weights      err <= 5e-2 * max |ref|
 *   at a 1B decoder's shapes (Q4_K/Q6_K, K 2048 and 8192, head_dim 128 after 128 tokens):
 *     matmul N = 1 vs a column of N = 4        bit-exact (vec_dot4 == vec_dot)
 *   float weights, N = 1 vs a column of N = 13  bit-exact (register tiles == vec_dot)
 *     matmul AVX2 vs portable                  err <= 1e-5 * max |ref| (summation order)
 *     token step vs the batched graph's row    bit-exact (same kernels per row)
 *     token step vs reference, AVX2 vs portable  err <= 5e-2 * max |ref|
 */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sc-backend.h"
#include "sc-cpu-private.h"
#include "sc-error.h"
#include "sc-ops-ref.h"

typedef struct
{
  int      n_threads;
  gboolean simd;
} Variant;

static const Variant variants[] = {
  { 1, TRUE }, { 2, TRUE }, { 1, FALSE }, { 2, FALSE },
};

static ScBackend *
make_backend (const Variant *variant)
{
  ScBackend *backend = sc_backend_cpu_new ();

  _sc_backend_cpu_set_portable (SC_BACKEND_CPU (backend), !variant->simd);
  sc_backend_cpu_set_n_threads (SC_BACKEND_CPU (backend), variant->n_threads);
  return backend;
}

static float *
random_floats (GRand *rand,
               gint64 n,
               double lo,
               double hi)
{
  float *v = g_new (float, n);

  for (gint64 i = 0; i < n; i++)
    v[i] = (float) g_rand_double_range (rand, lo, hi);
  return v;
}

/* A persistent tensor holding @data. */
static ScTensor *
upload (ScBackend    *backend,
        ScTensorType  type,
        gint64        ne0,
        gint64        ne1,
        gint64        ne2,
        const void   *data)
{
  g_autoptr(GError) error = NULL;
  ScTensor *t = sc_backend_tensor_new (backend, type, ne0, ne1, ne2, 1, "input", &error);

  g_assert_no_error (error);
  if (data != NULL)
    {
      sc_backend_tensor_set (backend, t, data, 0, t->n_bytes, &error);
      g_assert_no_error (error);
    }
  return t;
}

/* Computes @graph and returns a copy of @out (an output intermediate). */
static float *
compute (ScBackend *backend,
         ScGraph   *graph,
         ScTensor  *out)
{
  g_autoptr(GError) error = NULL;
  float *result = g_malloc (out->n_bytes);

  sc_graph_set_output (graph, out);
  g_assert_true (sc_backend_compute (backend, graph, &error));
  g_assert_no_error (error);
  sc_backend_tensor_get (backend, out, result, 0, out->n_bytes, &error);
  g_assert_no_error (error);
  return result;
}

static double
max_abs (const float *v,
         gint64       n)
{
  double m = 0.0;

  for (gint64 i = 0; i < n; i++)
    m = MAX (m, fabs (v[i]));
  return m;
}

static double
max_err (const float *a,
         const float *b,
         gint64       n)
{
  double m = 0.0;

  for (gint64 i = 0; i < n; i++)
    {
      if (isnan (a[i]) != isnan (b[i]))
        return INFINITY;
      m = MAX (m, fabs ((double) a[i] - b[i]));
    }
  return m;
}

static void
assert_close (const char  *what,
              const float *got,
              const float *want,
              gint64       n,
              double       tolerance)
{
  const double err = max_err (got, want, n);

  if (!(err <= tolerance))
    g_error ("%s: max error %g exceeds %g (max |ref| %g)", what, err, tolerance,
             max_abs (want, n));
}

/* ---------------------------------------------------------------- matmul */

static const ScTensorType weight_types[] = {
  SC_TENSOR_TYPE_F32, SC_TENSOR_TYPE_F16, SC_TENSOR_TYPE_BF16,
  SC_TENSOR_TYPE_Q8_0, SC_TENSOR_TYPE_Q4_0, SC_TENSOR_TYPE_Q4_1, SC_TENSOR_TYPE_Q5_0,
  SC_TENSOR_TYPE_Q5_1, SC_TENSOR_TYPE_Q4_K, SC_TENSOR_TYPE_Q5_K, SC_TENSOR_TYPE_Q6_K,
};

/* Quantised weights of @M rows of @K random values, like a GGUF file holds them. */
static guint8 *
random_weights_scaled (GRand        *rand,
                       ScTensorType  type,
                       gint64        K,
                       gint64        M,
                       double        range,
                       gsize        *n_bytes)
{
  g_autofree float *f = random_floats (rand, K * M, -range, range);
  gsize row_size = 0;
  guint8 *w;

  g_assert_true (sc_tensor_row_size (type, K, &row_size, NULL));
  *n_bytes = row_size * M;
  w = g_malloc (*n_bytes);
  for (gint64 m = 0; m < M; m++)
    sc_quantize_row_ref (type, f + m * K, w + m * row_size, K);
  return w;
}

static guint8 *
random_weights (GRand        *rand,
                ScTensorType  type,
                gint64        K,
                gint64        M,
                gsize        *n_bytes)
{
  return random_weights_scaled (rand, type, K, M, 1.0, n_bytes);
}

static ScTensor *
weight_tensor (ScBackend    *backend,
               ScTensorType  type,
               gint64        K,
               gint64        M,
               const guint8 *data,
               gsize         n_bytes)
{
  g_autoptr(GError) error = NULL;
  ScGgufTensor source = { 0 };
  ScTensor *t;

  source.name = "weight";
  source.type = type;
  source.n_dims = 2;
  source.ne[0] = K;
  source.ne[1] = M;
  source.ne[2] = source.ne[3] = 1;
  source.n_elements = K * M;
  source.n_bytes = n_bytes;
  source.data = data;
  t = sc_backend_tensor_from_gguf (backend, &source, &error);
  g_assert_no_error (error);
  g_assert_true (t->data == (gpointer) data); /* used in place */
  return t;
}

static void
test_matmul (gconstpointer user_data)
{
  const ScTensorType type = GPOINTER_TO_INT (user_data);
  const ScRefActFormat format = sc_ref_act_format (type);
  const gboolean quantised = format == SC_REF_ACT_Q8 || format == SC_REF_ACT_Q8K;
  static const gint64 Ns[] = { 1, 7, 33 };
  static const gint64 Ks[] = { 256, 512 };
  const gint64 M = 67; /* not a multiple of any tile */
  g_autoptr(GRand) rand = g_rand_new_with_seed (1234 + type);

  for (guint ki = 0; ki < G_N_ELEMENTS (Ks); ki++)
    for (guint ni = 0; ni < G_N_ELEMENTS (Ns); ni++)
      {
        const gint64 K = Ks[ki], N = Ns[ni];
        gsize n_bytes;
        g_autofree guint8 *w = random_weights (rand, type, K, M, &n_bytes);
        g_autofree float *x = random_floats (rand, K * N, -1.0, 1.0);
        g_autofree float *ref = g_new (float, M * N);
        g_autofree float *ref_q8 = g_new (float, M * N);
        g_autofree float *first = NULL;
        double scale;

        sc_ref_matmul (type, w, x, ref, K, M, N);
        sc_ref_matmul_q8act (type, w, x, ref_q8, K, M, N);
        scale = max_abs (ref, M * N);

        for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
          {
            g_autoptr(ScBackend) backend = make_backend (&variants[v]);
            g_autoptr(ScGraph) graph = sc_graph_new ();
            ScTensor *wt = weight_tensor (backend, type, K, M, w, n_bytes);
            ScTensor *xt = upload (backend, SC_TENSOR_TYPE_F32, K, N, 1, x);
            g_autofree float *got = compute (backend, graph, sc_graph_matmul (graph, wt, xt));
            g_autofree char *what = g_strdup_printf ("matmul %s K=%" G_GINT64_FORMAT
                                                     " N=%" G_GINT64_FORMAT " threads=%d %s",
                                                     sc_tensor_type_name (type), K, N,
                                                     variants[v].n_threads,
                                                     variants[v].simd ? "simd" : "portable");

            if (quantised)
              {
                assert_close (what, got, ref_q8, M * N, 1e-4 * scale);
                assert_close (what, got, ref, M * N, 2e-2 * scale);
              }
            else if (format != SC_REF_ACT_F32)
              {
                assert_close (what, got, ref_q8, M * N, 1e-5 * scale);
                assert_close (what, got, ref, M * N,
                              (format == SC_REF_ACT_F16 ? 2e-3 : 1e-2) * scale);
              }
            else
              assert_close (what, got, ref, M * N, 1e-5 * scale);
            /* The split over threads never changes a result. */
            if (variants[v].n_threads == 1)
              {
                g_free (first);
                first = g_steal_pointer (&got);
              }
            else
              g_assert_cmpmem (got, M * N * sizeof (float), first, M * N * sizeof (float));

            sc_backend_tensor_free (backend, wt);
            sc_backend_tensor_free (backend, xt);
          }
      }
}

/* Each of the @N columns of @got (@wt times @x, K x M by K x N) is bit for bit the product
 * of @wt with that column alone (the N = 1 path). */
static void
assert_columns_are_steps (ScBackend   *backend,
                          ScTensor    *wt,
                          const float *x,
                          gint64       K,
                          gint64       M,
                          gint64       N,
                          const float *got)
{
  for (gint64 n = 0; n < N; n++)
    {
      g_autoptr(ScGraph) step = sc_graph_new ();
      ScTensor *xn = upload (backend, SC_TENSOR_TYPE_F32, K, 1, 1, x + n * K);
      g_autofree float *one = compute (backend, step, sc_graph_matmul (step, wt, xn));

      g_assert_cmpmem (one, M * sizeof (float), got + n * M, M * sizeof (float));
      sc_backend_tensor_free (backend, xn);
    }
}

/* The shapes of a 1B decoder's token step (N = 1) and of a short batch (N = 4, one vec_dot4
 * group), K up to ffn_down's 8192, with activations that have a few outliers like a residual
 * stream. Beyond the tolerances of test_matmul: the N = 1 path (vec_dot) and the batched path
 * (vec_dot4) give bit-identical columns, and the kernel tables agree to 1e-5 of max |ref| (the
 * same integers per block, summed in another order). */
static void
test_matmul_decode_shapes (void)
{
  static const ScTensorType types[] = { SC_TENSOR_TYPE_Q4_K, SC_TENSOR_TYPE_Q6_K,
                                        SC_TENSOR_TYPE_Q5_K, SC_TENSOR_TYPE_Q8_0,
                                        SC_TENSOR_TYPE_Q4_0, SC_TENSOR_TYPE_F16 };
  static const gint64 Ks[] = { 2048, 8192 };
  const gint64 M = 256, N = 4;
  g_autoptr(GRand) rand = g_rand_new_with_seed (4321);

  for (guint ti = 0; ti < G_N_ELEMENTS (types); ti++)
    for (guint ki = 0; ki < G_N_ELEMENTS (Ks); ki++)
      {
        const ScTensorType type = types[ti];
        const gint64 K = Ks[ki];
        gsize n_bytes;
        g_autofree guint8 *w = random_weights_scaled (rand, type, K, M, sqrt (3.0 / K),
                                                      &n_bytes);
        g_autofree float *x = random_floats (rand, K * N, -1.0, 1.0);
        g_autofree float *ref = g_new (float, M * N);
        float *results[G_N_ELEMENTS (variants)];
        double scale;

        for (gint64 i = 0; i < K * N; i += 97)
          x[i] *= (i / 97) % 2 ? 20.0f : -20.0f;
        sc_ref_matmul_q8act (type, w, x, ref, K, M, N);
        scale = max_abs (ref, M * N);

        for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
          {
            g_autoptr(ScBackend) backend = make_backend (&variants[v]);
            g_autoptr(ScGraph) batch = sc_graph_new ();
            ScTensor *wt = weight_tensor (backend, type, K, M, w, n_bytes);
            ScTensor *xt = upload (backend, SC_TENSOR_TYPE_F32, K, N, 1, x);
            float *got = compute (backend, batch, sc_graph_matmul (batch, wt, xt));
            g_autofree char *what = g_strdup_printf ("matmul %s K=%" G_GINT64_FORMAT
                                                     " N=%" G_GINT64_FORMAT " threads=%d %s",
                                                     sc_tensor_type_name (type), K, N,
                                                     variants[v].n_threads,
                                                     variants[v].simd ? "simd" : "portable");

            assert_close (what, got, ref, M * N, 1e-4 * scale);
            assert_columns_are_steps (backend, wt, x, K, M, N, got);
            results[v] = got;
            sc_backend_tensor_free (backend, wt);
            sc_backend_tensor_free (backend, xt);
          }
        /* variants: simd with 1 and 2 threads, then portable with 1 and 2. */
        g_assert_cmpmem (results[1], M * N * sizeof (float), results[0], M * N * sizeof (float));
        g_assert_cmpmem (results[3], M * N * sizeof (float), results[2], M * N * sizeof (float));
        g_test_message ("matmul %s K=%" G_GINT64_FORMAT ": simd vs portable %g (max |ref| %g)",
                        sc_tensor_type_name (type), K,
                        max_err (results[0], results[2], M * N), scale);
        assert_close ("matmul simd vs portable", results[0], results[2], M * N, 1e-5 * scale);
        for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
          g_free (results[v]);
      }
}

/* Weights at the extremes of their quants and activations that all quantise to ±127, so that
 * the integer sums of the prompt kernels reach their bounds (the byte products of a lane added
 * as int16 must not overflow), with K long enough that a prompt's columns are processed in more
 * than one chunk and N odd: close to the reference, every column bit for bit its N = 1 product,
 * the same with 1 and 2 threads. */
static void
test_matmul_extremes (void)
{
  static const ScTensorType types[] = { SC_TENSOR_TYPE_Q4_K, SC_TENSOR_TYPE_Q5_K,
                                        SC_TENSOR_TYPE_Q6_K, SC_TENSOR_TYPE_Q8_0,
                                        SC_TENSOR_TYPE_Q4_0, SC_TENSOR_TYPE_Q5_0 };
  const gint64 K = 160 * 256, M = 8, N = 45;
  const guint16 d = sc_fp32_to_fp16 (0.0625f);
  g_autoptr(GRand) rand = g_rand_new_with_seed (777);
  g_autofree float *x = g_new (float, K * N);

  /* Columns of one sign (every quantised activation -127 or 127), then random ones. */
  for (gint64 n = 0; n < N; n++)
    for (gint64 k = 0; k < K; k++)
      x[n * K + k] = n < 8 ? (n % 2 ? 3.0f : -3.0f) * (1.0f + (float) (k % 5) / 1024.0f)
                           : (float) g_rand_double_range (rand, -1.0, 1.0);

  for (guint ti = 0; ti < G_N_ELEMENTS (types); ti++)
    {
      const ScTensorType type = types[ti];
      gsize row_size = 0, block_size = 0;
      gint64 block_elems = 0;
      g_autofree guint8 *w = NULL;
      g_autofree float *ref = g_new (float, M * N);
      g_autofree float *first = NULL;
      double scale;

      g_assert_true (sc_tensor_row_size (type, K, &row_size, NULL));
      block_elems = type == SC_TENSOR_TYPE_Q4_K || type == SC_TENSOR_TYPE_Q5_K ||
                    type == SC_TENSOR_TYPE_Q6_K ? 256 : 32;
      block_size = row_size / (gsize) (K / block_elems);
      w = g_malloc (row_size * M);
      for (gint64 m = 0; m < M; m++)
        for (gint64 b = 0; b < K / block_elems; b++)
          {
            guint8 *blk = w + m * row_size + b * block_size;
            /* Rows 0..3 at the top of their range, rows 4..7 at the bottom (scales too). */
            const gboolean top = m < 4;

            memset (blk, 0xff, block_size);
            switch (type)
              {
              case SC_TENSOR_TYPE_Q4_K:
              case SC_TENSOR_TYPE_Q5_K:
                /* quants 15 resp. 31, scales and mins 63 */
                memcpy (blk, &d, 2);
                memcpy (blk + 2, &d, 2);
                break;
              case SC_TENSOR_TYPE_Q6_K:
                {
                  ScBlockQ6_K *q6 = (ScBlockQ6_K *) blk;

                  /* quants 63 (+31 after the offset) or 0 (-32), scales 127 or -128 */
                  if (!top)
                    memset (q6->ql, 0, sizeof q6->ql + sizeof q6->qh);
                  memset (q6->scales, top ? 127 : 0x80, sizeof q6->scales);
                  q6->d = d;
                }
                break;
              case SC_TENSOR_TYPE_Q8_0:
                memset (blk + 2, top ? 127 : 0x81, 32); /* 127 or -127 */
                memcpy (blk, &d, 2);
                break;
              default:
                /* Q4_0 and Q5_0: quants -8 resp. -16 (all bits clear) or 7 resp. 15 */
                if (!top)
                  memset (blk, 0, block_size);
                memcpy (blk, &d, 2);
                break;
              }
          }

      sc_ref_matmul_q8act (type, w, x, ref, K, M, N);
      scale = max_abs (ref, M * N);
      for (guint v = 0; v < 2; v++)
        {
          g_autoptr(ScBackend) backend = make_backend (&variants[v]);
          g_autoptr(ScGraph) graph = sc_graph_new ();
          ScTensor *wt = weight_tensor (backend, type, K, M, w, row_size * M);
          ScTensor *xt = upload (backend, SC_TENSOR_TYPE_F32, K, N, 1, x);
          g_autofree float *got = compute (backend, graph, sc_graph_matmul (graph, wt, xt));
          g_autofree char *what = g_strdup_printf ("extreme matmul %s threads=%d",
                                                   sc_tensor_type_name (type),
                                                   variants[v].n_threads);

          assert_close (what, got, ref, M * N, 1e-4 * scale);
          assert_columns_are_steps (backend, wt, x, K, M, N, got);
          if (first == NULL)
            first = g_steal_pointer (&got);
          else
            g_assert_cmpmem (got, M * N * sizeof (float), first, M * N * sizeof (float));
          sc_backend_tensor_free (backend, wt);
          sc_backend_tensor_free (backend, xt);
        }
    }
}

/* x may be a view into a larger tensor. */
static void
test_matmul_view (void)
{
  const gint64 K = 256, M = 40;
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  gsize n_bytes;
  g_autofree guint8 *w = random_weights (rand, SC_TENSOR_TYPE_Q8_0, K, M, &n_bytes);
  g_autofree float *x = random_floats (rand, K * 6, -1.0, 1.0);
  g_autofree float *ref = g_new (float, M * 2);
  g_autoptr(ScBackend) backend = make_backend (&variants[1]);
  g_autoptr(ScGraph) graph = sc_graph_new ();
  ScTensor *wt = weight_tensor (backend, SC_TENSOR_TYPE_Q8_0, K, M, w, n_bytes);
  ScTensor *xt = upload (backend, SC_TENSOR_TYPE_F32, K, 6, 1, x);
  ScTensor *scaled = sc_graph_scale (graph, xt, 1.0f);
  g_autofree float *got = compute (backend, graph,
                                   sc_graph_matmul (graph, wt,
                                                    sc_graph_view_rows (graph, scaled, 3, 2)));

  sc_ref_matmul_q8act (SC_TENSOR_TYPE_Q8_0, w, x + 3 * K, ref, K, M, 2);
  assert_close ("matmul of a view", got, ref, M * 2, 1e-4 * max_abs (ref, M * 2));
  sc_backend_tensor_free (backend, wt);
  sc_backend_tensor_free (backend, xt);
}

/* Every kernel table this CPU runs, not only the one the backend picks (AVX2, AVX-VNNI,
 * AVX-512): quantised prompts through its tiles, odd numbers of rows and columns, close to the
 * reference and every column bit for bit its N = 1 product. */
static void
test_matmul_kernel_tables (void)
{
  static const ScTensorType types[] = { SC_TENSOR_TYPE_Q8_0, SC_TENSOR_TYPE_Q4_0,
                                        SC_TENSOR_TYPE_Q5_0, SC_TENSOR_TYPE_Q4_1,
                                        SC_TENSOR_TYPE_Q4_K, SC_TENSOR_TYPE_Q5_K,
                                        SC_TENSOR_TYPE_Q6_K };
  const gint64 K = 512, M = 67, N = 19;
  const ScCpuKernels *tables[8];
  const guint n_tables = sc_cpu_kernels_available (tables, G_N_ELEMENTS (tables));
  g_autoptr(GRand) rand = g_rand_new_with_seed (8642);

  for (guint t = 0; t < n_tables; t++)
    g_test_message ("kernel table %s", tables[t]->name);
  for (guint ti = 0; ti < G_N_ELEMENTS (types); ti++)
    {
      const ScTensorType type = types[ti];
      gsize n_bytes;
      g_autofree guint8 *w = random_weights (rand, type, K, M, &n_bytes);
      g_autofree float *x = random_floats (rand, K * N, -1.0, 1.0);
      g_autofree float *ref = g_new (float, M * N);

      sc_ref_matmul_q8act (type, w, x, ref, K, M, N);
      for (guint t = 0; t < n_tables; t++)
        {
          g_autoptr(ScBackend) backend = sc_backend_cpu_new ();
          g_autoptr(ScGraph) graph = sc_graph_new ();
          ScTensor *wt, *xt;
          g_autofree float *got = NULL;
          g_autofree char *what = g_strdup_printf ("matmul %s %s", sc_tensor_type_name (type),
                                                   tables[t]->name);

          _sc_backend_cpu_set_kernels (SC_BACKEND_CPU (backend), tables[t]);
          sc_backend_cpu_set_n_threads (SC_BACKEND_CPU (backend), 2);
          wt = weight_tensor (backend, type, K, M, w, n_bytes);
          xt = upload (backend, SC_TENSOR_TYPE_F32, K, N, 1, x);
          got = compute (backend, graph, sc_graph_matmul (graph, wt, xt));
          assert_close (what, got, ref, M * N, 1e-4 * max_abs (ref, M * N));
          assert_columns_are_steps (backend, wt, x, K, M, N, got);
          sc_backend_tensor_free (backend, wt);
          sc_backend_tensor_free (backend, xt);
        }
    }
}

/* Float weights in a prompt (N > 1) go through register tiles of SC_CPU_GEMM_ROWS rows by
 * SC_CPU_GEMM_COLS columns, with rows and columns left over and K's tails of 8 and of single
 * elements: every column is bit for bit the N = 1 result (vec_dot), for every kernel table. */
static void
test_matmul_float_tiles (void)
{
  static const ScTensorType types[] = { SC_TENSOR_TYPE_F32, SC_TENSOR_TYPE_F16,
                                        SC_TENSOR_TYPE_BF16 };
  static const gint64 Ks[] = { 40, 45, 264 };
  const gint64 M = 2 * SC_CPU_GEMM_ROWS + 1, N = 2 * SC_CPU_GEMM_COLS + 1;
  g_autoptr(GRand) rand = g_rand_new_with_seed (2468);

  for (guint ti = 0; ti < G_N_ELEMENTS (types); ti++)
    for (guint ki = 0; ki < G_N_ELEMENTS (Ks); ki++)
      for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
        {
          const ScTensorType type = types[ti];
          const gint64 K = Ks[ki];
          gsize n_bytes;
          g_autofree guint8 *w = random_weights (rand, type, K, M, &n_bytes);
          g_autofree float *x = random_floats (rand, K * N, -2.0, 2.0);
          g_autofree float *ref = g_new (float, M * N);
          g_autoptr(ScBackend) backend = make_backend (&variants[v]);
          g_autoptr(ScGraph) batch = sc_graph_new ();
          ScTensor *wt = weight_tensor (backend, type, K, M, w, n_bytes);
          ScTensor *xt = upload (backend, SC_TENSOR_TYPE_F32, K, N, 1, x);
          g_autofree float *got = compute (backend, batch, sc_graph_matmul (batch, wt, xt));
          g_autofree char *what = g_strdup_printf ("matmul %s K=%" G_GINT64_FORMAT
                                                   " threads=%d %s", sc_tensor_type_name (type),
                                                   K, variants[v].n_threads,
                                                   variants[v].simd ? "simd" : "portable");

          sc_ref_matmul_q8act (type, w, x, ref, K, M, N);
          assert_close (what, got, ref, M * N, 1e-5 * max_abs (ref, M * N));
          assert_columns_are_steps (backend, wt, x, K, M, N, got);
          sc_backend_tensor_free (backend, wt);
          sc_backend_tensor_free (backend, xt);
        }
}

/* Every kernel table quantises activations byte for byte like the reference, widens halves
 * and bfloat16s exactly, and its dot products agree with sc_ref_vec_dot_q8act() to 1e-5 of the sum of |terms|. */
static void
test_kernels (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (77);
  const ScCpuKernels *tables[8];
  const guint n_tables = sc_cpu_kernels_available (tables, G_N_ELEMENTS (tables));
  const gint64 K = 512;

  for (guint t = 0; t < n_tables; t++)
    for (int round = 0; round < 20; round++)
      {
        g_autofree float *x = random_floats (rand, K, -3.0, 3.0);
        ScBlockQ8Act q8_ref[512 / 32], q8[512 / 32];
        ScBlockQ8KAct q8k_ref[512 / 256], q8k[512 / 256];
        guint16 h_ref[512], h[512], bf_ref[512], bf[512];

        /* Exact ties (x * id == n + 0.5) and zero blocks happen in real activations too. */
        if (round == 1)
          for (gint64 i = 0; i < K; i++)
            x[i] = (float) ((i % 7) - 3) * 0.5f;
        if (round == 2)
          memset (x, 0, K * sizeof (float));
        sc_ref_quantize_q8act (x, q8_ref, K);
        sc_ref_quantize_q8kact (x, q8k_ref, K);
        tables[t]->quantize_q8 (x, q8, K / 32);
        tables[t]->quantize_q8k (x, q8k, K / 256);
        g_assert_cmpmem (q8, sizeof q8, q8_ref, sizeof q8_ref);
        g_assert_cmpmem (q8k, sizeof q8k, q8k_ref, sizeof q8k_ref);
        sc_ref_convert_act (SC_REF_ACT_F16, x, h_ref, K);
        sc_ref_convert_act (SC_REF_ACT_BF16, x, bf_ref, K);
        tables[t]->convert_f16 (x, h, K);
        tables[t]->convert_bf16 (x, bf, K);
        g_assert_cmpmem (h, sizeof h, h_ref, sizeof h_ref);
        g_assert_cmpmem (bf, sizeof bf, bf_ref, sizeof bf_ref);
        /* Widened back exactly (K - 3: a tail too). */
        {
          float wide[512];

          tables[t]->widen_f16 (h, wide, K - 3);
          for (gint64 i = 0; i < K - 3; i++)
            g_assert_cmpfloat (wide[i], ==, sc_fp16_to_fp32 (h[i]));
          tables[t]->widen_bf16 (bf, wide, K - 3);
          for (gint64 i = 0; i < K - 3; i++)
            g_assert_cmpfloat (wide[i], ==, sc_bf16_to_fp32 (bf[i]));
        }

        for (guint w = 0; w < G_N_ELEMENTS (weight_types); w++)
          {
            const ScTensorType type = weight_types[w];
            const ScRefActFormat format = sc_ref_act_format (type);
            const void *act = format == SC_REF_ACT_Q8 ? (const void *) q8
                              : format == SC_REF_ACT_Q8K ? (const void *) q8k
                              : format == SC_REF_ACT_F16 ? (const void *) h
                              : format == SC_REF_ACT_BF16 ? (const void *) bf : (const void *) x;
            gsize n_bytes;
            g_autofree guint8 *row = random_weights (rand, type, K, 1, &n_bytes);
            g_autofree float *wf = g_new (float, K);
            const float want = sc_ref_vec_dot_q8act (type, row, act, K);
            const float got = tables[t]->vec_dot[type] (row, act, K);
            double bound = 0.0;

            sc_dequantize_row (type, row, wf, K);
            for (gint64 i = 0; i < K; i++)
              bound += fabs (wf[i] * x[i]);
            if (!(fabs (got - want) <= 1e-5 * bound + 1e-30))
              g_error ("%s kernel %s: %.9g, expected %.9g", tables[t]->name,
                       sc_tensor_type_name (type), got, want);
            /* The four-column kernels give exactly vec_dot's results (here: one column four
             * times, stride 0). */
            if (tables[t]->vec_dot4[type] != NULL)
              {
                float out[4];

                tables[t]->vec_dot4[type] (row, act, 0, K, out);
                for (int c = 0; c < 4; c++)
                  g_assert_cmpfloat (out[c], ==, got);
              }
          }
      }
}

/* ---------------------------------------------------------------- other ops */

typedef enum
{
  ELEMENTWISE_EXACT,
  ELEMENTWISE_LIBM,
} Precision;

/* Runs a one-op graph built by @build on every variant and compares with @ref. */
typedef ScTensor *(*BuildFunc) (ScGraph *graph, ScTensor **in, gpointer data);

static void
check_op (const char  *name,
          BuildFunc    build,
          gpointer     data,
          ScTensorType in_types[],
          const gint64 (*in_shapes)[3],
          float       *in_data[],
          int          n_in,
          const float *ref,
          gint64       n_out,
          double       tolerance,
          gboolean     per_element_relative)
{
  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    {
      g_autoptr(ScBackend) backend = make_backend (&variants[v]);
      g_autoptr(ScGraph) graph = sc_graph_new ();
      ScTensor *in[4] = { NULL };
      g_autofree float *got = NULL;
      g_autofree char *what = g_strdup_printf ("%s threads=%d %s", name, variants[v].n_threads,
                                               variants[v].simd ? "simd" : "portable");

      for (int i = 0; i < n_in; i++)
        in[i] = upload (backend, in_types[i], in_shapes[i][0], in_shapes[i][1], in_shapes[i][2],
                        in_data[i]);
      got = compute (backend, graph, build (graph, in, data));
      if (per_element_relative)
        for (gint64 i = 0; i < n_out; i++)
          {
            if (!(fabs ((double) got[i] - ref[i]) <= 1e-6 + tolerance * fabs (ref[i])))
              g_error ("%s: element %" G_GINT64_FORMAT ": %.9g, expected %.9g", what, i,
                       got[i], ref[i]);
          }
      else
        assert_close (what, got, ref, n_out, tolerance);
      for (int i = 0; i < n_in; i++)
        sc_backend_tensor_free (backend, in[i]);
    }
}

static ScTensor *
build_binary (ScGraph  *graph,
              ScTensor **in,
              gpointer  data)
{
  return GPOINTER_TO_INT (data) == SC_OP_ADD ? sc_graph_add (graph, in[0], in[1])
                                             : sc_graph_mul (graph, in[0], in[1]);
}

static void
test_binary (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  const gint64 E = 300, R = 9;

  for (int op = SC_OP_ADD; op <= SC_OP_MUL; op++)
    for (int bcast = 0; bcast < 2; bcast++)
      {
        g_autofree float *a = random_floats (rand, E * R, -2.0, 2.0);
        g_autofree float *b = random_floats (rand, E * R, -2.0, 2.0);
        g_autofree float *ref = g_new (float, E * R);
        ScTensorType types[] = { SC_TENSOR_TYPE_F32, SC_TENSOR_TYPE_F32 };
        const gint64 shapes[][3] = { { E, R, 1 }, { E, bcast ? 1 : R, 1 } };
        float *ins[] = { a, b };

        if (op == SC_OP_ADD)
          sc_ref_add (a, b, bcast ? 0 : E, ref, E, R);
        else
          sc_ref_mul (a, b, bcast ? 0 : E, ref, E, R);
        check_op (sc_op_kind_name (op), build_binary, GINT_TO_POINTER (op), types, shapes, ins,
                  2, ref, E * R, 0.0, FALSE);
      }
  /* A single long row is split by elements. */
  {
    g_autofree float *a = random_floats (rand, 5000, -2.0, 2.0);
    g_autofree float *b = random_floats (rand, 5000, -2.0, 2.0);
    g_autofree float *ref = g_new (float, 5000);
    ScTensorType types[] = { SC_TENSOR_TYPE_F32, SC_TENSOR_TYPE_F32 };
    const gint64 shapes[][3] = { { 5000, 1, 1 }, { 5000, 1, 1 } };
    float *ins[] = { a, b };

    sc_ref_add (a, b, 0, ref, 5000, 1);
    check_op ("add (one row)", build_binary, GINT_TO_POINTER (SC_OP_ADD), types, shapes, ins, 2,
              ref, 5000, 0.0, FALSE);
  }
}

static ScTensor *
build_unary (ScGraph  *graph,
             ScTensor **in,
             gpointer  data)
{
  switch (GPOINTER_TO_INT (data))
    {
    case SC_OP_SCALE:
      return sc_graph_scale (graph, in[0], -0.37f);
    case SC_OP_SILU:
      return sc_graph_silu (graph, in[0]);
    case SC_OP_GELU:
      return sc_graph_gelu (graph, in[0]);
    default:
      return sc_graph_swiglu (graph, in[0], in[1]);
    }
}

static void
test_unary (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (6);
  const gint64 E = 333, R = 7;
  static const ScOpKind ops[] = { SC_OP_SCALE, SC_OP_SILU, SC_OP_GELU, SC_OP_SWIGLU };

  for (guint o = 0; o < G_N_ELEMENTS (ops); o++)
    {
      g_autofree float *a = random_floats (rand, E * R, -8.0, 8.0);
      g_autofree float *b = random_floats (rand, E * R, -2.0, 2.0);
      g_autofree float *ref = g_new (float, E * R);
      ScTensorType types[] = { SC_TENSOR_TYPE_F32, SC_TENSOR_TYPE_F32 };
      const gint64 shapes[][3] = { { E, R, 1 }, { E, R, 1 } };
      float *ins[] = { a, b };

      switch (ops[o])
        {
        case SC_OP_SCALE:
          sc_ref_scale (a, -0.37f, ref, E * R);
          break;
        case SC_OP_SILU:
          sc_ref_silu (a, ref, E * R);
          break;
        case SC_OP_GELU:
          sc_ref_gelu (a, ref, E * R);
          break;
        default:
          sc_ref_swiglu (a, b, ref, E * R);
          break;
        }
      check_op (sc_op_kind_name (ops[o]), build_unary, GINT_TO_POINTER (ops[o]), types, shapes,
                ins, ops[o] == SC_OP_SWIGLU ? 2 : 1, ref, E * R,
                ops[o] == SC_OP_SCALE ? 0.0 : 1e-5, ops[o] != SC_OP_SCALE);
    }
}

typedef struct
{
  ScOpKind kind;
  int      variant;  /* which optional operands */
} NormCase;

static ScTensor *
build_norm (ScGraph  *graph,
            ScTensor **in,
            gpointer  data)
{
  const NormCase *c = data;

  if (c->kind == SC_OP_RMS_NORM)
    return sc_graph_rms_norm (graph, in[0], c->variant ? in[1] : NULL, 1e-5f);
  return sc_graph_layer_norm (graph, in[0], c->variant & 1 ? in[1] : NULL,
                              c->variant & 2 ? in[2] : NULL, 1e-5f);
}

static void
test_norms (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (8);
  const gint64 E = 520, R = 5;

  for (int kind = SC_OP_RMS_NORM; kind <= SC_OP_LAYER_NORM; kind++)
    for (int variant = 0; variant < 4; variant++)
      {
        NormCase c = { kind, variant };
        const gboolean full_w = variant == 3; /* a weight per row, not broadcast */
        g_autofree float *a = random_floats (rand, E * R, -3.0, 5.0);
        g_autofree float *w = random_floats (rand, E * R, -2.0, 2.0);
        g_autofree float *b = random_floats (rand, E, -1.0, 1.0);
        g_autofree float *ref = g_new (float, E * R);
        ScTensorType types[] = { SC_TENSOR_TYPE_F32, SC_TENSOR_TYPE_F32, SC_TENSOR_TYPE_F32 };
        const gint64 shapes[][3] = { { E, R, 1 }, { E, full_w ? R : 1, 1 }, { E, 1, 1 } };
        float *ins[] = { a, w, b };
        g_autofree char *name = g_strdup_printf ("%s variant %d", sc_op_kind_name (kind),
                                                 variant);

        if (kind == SC_OP_RMS_NORM)
          sc_ref_rms_norm (a, variant ? w : NULL, full_w ? E : 0, 1e-5f, ref, E, R);
        else
          sc_ref_layer_norm (a, variant & 1 ? w : NULL, full_w ? E : 0, variant & 2 ? b : NULL,
                             0, 1e-5f, ref, E, R);
        check_op (name, build_norm, &c, types, shapes, ins, 3, ref, E * R,
                  1e-5 * max_abs (ref, E * R), FALSE);
      }
}

typedef struct
{
  int        n_rot;
  ScRopeMode mode;
  float      freq_scale;
} RopeCase;

static ScTensor *
build_rope (ScGraph  *graph,
            ScTensor **in,
            gpointer  data)
{
  const RopeCase *c = data;

  return sc_graph_rope (graph, in[0], in[1], c->n_rot, c->mode, 10000.0f, c->freq_scale);
}

static void
test_rope (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (9);
  const gint64 D = 64, H = 3, T = 5;
  static const RopeCase cases[] = {
    { 64, SC_ROPE_NORMAL, 1.0f }, { 64, SC_ROPE_NEOX, 1.0f },
    { 32, SC_ROPE_NORMAL, 0.25f }, { 16, SC_ROPE_NEOX, 0.5f },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree float *a = random_floats (rand, D * H * T, -1.0, 1.0);
      gint32 pos[5] = { 0, 1, 17, 300, 4095 };
      g_autofree float *ref = g_new (float, D * H * T);
      ScTensorType types[] = { SC_TENSOR_TYPE_F32, SC_TENSOR_TYPE_I32 };
      const gint64 shapes[][3] = { { D, H, T }, { T, 1, 1 } };
      float *ins[] = { a, (float *) pos };
      g_autofree char *name = g_strdup_printf ("rope case %u", i);

      sc_ref_rope (a, pos, ref, D, H, T, cases[i].n_rot, cases[i].mode, 10000.0f,
                   cases[i].freq_scale);
      check_op (name, build_rope, (gpointer) &cases[i], types, shapes, ins, 2, ref, D * H * T,
                1e-5, FALSE);
    }
}

static ScTensor *
build_softmax (ScGraph  *graph,
               ScTensor **in,
               gpointer  data)
{
  return sc_graph_softmax (graph, in[0], GPOINTER_TO_INT (data) ? in[1] : NULL, 0.7f);
}

static void
test_softmax (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (10);
  const gint64 E = 77, R = 6;

  for (int with_mask = 0; with_mask < 2; with_mask++)
    {
      g_autofree float *a = random_floats (rand, E * R, -10.0, 10.0);
      g_autofree float *mask = g_new0 (float, E * R);
      g_autofree float *ref = g_new (float, E * R);
      ScTensorType types[] = { SC_TENSOR_TYPE_F32, SC_TENSOR_TYPE_F32 };
      const gint64 shapes[][3] = { { E, R, 1 }, { E, R, 1 } };
      float *ins[] = { a, mask };

      /* Causal-style mask, one row fully masked. */
      for (gint64 r = 0; r < R; r++)
        for (gint64 i = 0; i < E; i++)
          mask[r * E + i] = (r == 2 || i > r * 10) ? -INFINITY : 0.0f;
      sc_ref_softmax (a, with_mask ? mask : NULL, E, 0.7f, ref, E, R);
      check_op (with_mask ? "softmax masked" : "softmax", build_softmax,
                GINT_TO_POINTER (with_mask), types, shapes, ins, 2, ref, E * R, 1e-6, FALSE);
    }
}

typedef struct
{
  gint64       D, Hq, Hkv, T;
  int          n_kv, pos0;
  gboolean     causal, mask;
  ScTensorType kv_type;
} AttentionCase;

static ScTensor *
build_attention (ScGraph  *graph,
                 ScTensor **in,
                 gpointer  data)
{
  const AttentionCase *c = data;

  return sc_graph_attention (graph, in[0], in[1], in[2], c->mask ? in[3] : NULL, c->n_kv,
                             c->causal, c->pos0, 1.0f / sqrtf ((float) c->D));
}

static void
test_attention (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  static const AttentionCase cases[] = {
    { 64, 4, 4, 1, 9, 8, TRUE, FALSE, SC_TENSOR_TYPE_F32 },    /* one token */
    { 64, 8, 2, 1, 33, 32, TRUE, FALSE, SC_TENSOR_TYPE_F16 },  /* GQA, F16 cache */
    { 32, 6, 3, 7, 12, 5, TRUE, FALSE, SC_TENSOR_TYPE_F16 },   /* a prompt after history */
    { 32, 4, 1, 5, 20, 0, FALSE, TRUE, SC_TENSOR_TYPE_F32 },   /* mask only */
    { 16, 2, 2, 3, 10, 2, TRUE, TRUE, SC_TENSOR_TYPE_F16 },    /* both */
    /* A 1B decoder's first token step after a 128-token prompt: head_dim 128. */
    { 128, 16, 16, 1, 129, 128, TRUE, FALSE, SC_TENSOR_TYPE_F16 },
    { 128, 16, 4, 1, 129, 128, TRUE, FALSE, SC_TENSOR_TYPE_F16 },
    { 128, 16, 4, 1, 129, 128, TRUE, FALSE, SC_TENSOR_TYPE_F32 },
    /* F32 caches with several queries: the blocked kernel, with partial blocks */
    { 64, 8, 2, 7, 12, 5, TRUE, FALSE, SC_TENSOR_TYPE_F32 },   /* causal prompt, GQA */
    { 64, 4, 4, 37, 37, 0, FALSE, FALSE, SC_TENSOR_TYPE_F32 }, /* an encoder window */
    { 40, 2, 1, 6, 9, 0, FALSE, TRUE, SC_TENSOR_TYPE_F32 },    /* head size 40, mask */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const AttentionCase *c = &cases[i];
      const gint64 n_ctx = c->n_kv + 3, row = c->D * c->Hkv;
      g_autofree float *q = random_floats (rand, c->D * c->Hq * c->T, -1.0, 1.0);
      g_autofree float *kf = random_floats (rand, row * n_ctx, -1.0, 1.0);
      g_autofree float *vf = random_floats (rand, row * n_ctx, -1.0, 1.0);
      g_autofree float *mask = g_new0 (float, c->n_kv * c->T);
      g_autofree float *ref = g_new (float, c->D * c->Hq * c->T);
      ScTensorType types[] = { SC_TENSOR_TYPE_F32, c->kv_type, c->kv_type, SC_TENSOR_TYPE_F32 };
      const gint64 shapes[][3] = {
        { c->D, c->Hq, c->T }, { row, n_ctx, 1 }, { row, n_ctx, 1 }, { c->n_kv, c->T, 1 },
      };
      g_autofree guint16 *kh = g_new (guint16, row * n_ctx);
      g_autofree guint16 *vh = g_new (guint16, row * n_ctx);
      const gboolean f16 = c->kv_type == SC_TENSOR_TYPE_F16;
      float *ins[] = { q, f16 ? (float *) kh : kf, f16 ? (float *) vh : vf, mask };
      g_autofree char *name = g_strdup_printf ("attention case %u", i);

      for (gint64 j = 0; j < c->n_kv * c->T; j++)
        mask[j] = g_rand_int_range (rand, 0, 4) == 0 ? -INFINITY
                                                     : (float) g_rand_double_range (rand, -1, 0);
      sc_fp32_to_fp16_row (kf, kh, row * n_ctx);
      sc_fp32_to_fp16_row (vf, vh, row * n_ctx);
      sc_ref_attention (q, c->kv_type, ins[1], ins[2], c->mask ? mask : NULL, c->n_kv, ref,
                        c->D, c->Hq, c->Hkv, c->T, c->n_kv, c->causal, c->pos0,
                        1.0f / sqrtf ((float) c->D));
      check_op (name, build_attention, (gpointer) c, types, shapes, ins, 4, ref,
                c->D * c->Hq * c->T, f16 ? 3e-4 : 2e-5, FALSE);
    }
}

static void
test_get_rows (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  const gint64 E = 256, V = 20;
  gint32 ids[] = { 3, 0, 19, 3, 7 };

  for (guint t = 0; t < G_N_ELEMENTS (weight_types); t++)
    for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
      {
        const ScTensorType type = weight_types[t];
        gsize n_bytes;
        g_autofree guint8 *table = random_weights (rand, type, E, V, &n_bytes);
        g_autofree float *ref = g_new (float, E * 5);
        g_autoptr(ScBackend) backend = make_backend (&variants[v]);
        g_autoptr(ScGraph) graph = sc_graph_new ();
        ScTensor *tt = weight_tensor (backend, type, E, V, table, n_bytes);
        ScTensor *it = upload (backend, SC_TENSOR_TYPE_I32, 5, 1, 1, ids);
        g_autofree float *got = compute (backend, graph, sc_graph_get_rows (graph, tt, it));

        sc_ref_get_rows (type, table, E, ids, 5, ref);
        g_assert_cmpmem (got, E * 5 * sizeof (float), ref, E * 5 * sizeof (float));
        sc_backend_tensor_free (backend, tt);
        sc_backend_tensor_free (backend, it);
      }
}

/* A row id out of range is the caller's input, not a programming error: a GError. */
static void
test_get_rows_bad_id (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScBackend) backend = make_backend (&variants[1]);
  g_autoptr(ScGraph) graph = sc_graph_new ();
  gint32 ids[] = { 1, 4 };
  ScTensor *table = upload (backend, SC_TENSOR_TYPE_F32, 8, 4, 1, NULL);
  ScTensor *it = upload (backend, SC_TENSOR_TYPE_I32, 2, 1, 1, ids);

  sc_graph_set_output (graph, sc_graph_get_rows (graph, table, it));
  g_assert_false (sc_backend_compute (backend, graph, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  sc_backend_tensor_free (backend, table);
  sc_backend_tensor_free (backend, it);
}

static void
test_copy_rows (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (13);
  const gint64 E = 96, R = 10, n = 3, row0 = 6;

  for (int f16 = 0; f16 < 2; f16++)
    for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
      {
        const ScTensorType type = f16 ? SC_TENSOR_TYPE_F16 : SC_TENSOR_TYPE_F32;
        const gsize elem = f16 ? 2 : 4;
        g_autofree float *a = random_floats (rand, E * n, -100.0, 100.0);
        g_autofree guint8 *ref = g_malloc0 (E * R * elem);
        g_autofree guint8 *got = g_malloc (E * R * elem);
        g_autoptr(GError) error = NULL;
        g_autoptr(ScBackend) backend = make_backend (&variants[v]);
        g_autoptr(ScGraph) graph = sc_graph_new ();
        ScTensor *cache = upload (backend, type, E, R, 1, NULL);
        ScTensor *at = upload (backend, SC_TENSOR_TYPE_F32, E, n, 1, a);
        ScTensor *scaled = sc_graph_scale (graph, at, 1.0f);

        sc_graph_copy_rows (graph, cache, scaled, row0);
        g_assert_true (sc_backend_compute (backend, graph, &error));
        g_assert_no_error (error);
        sc_backend_tensor_get (backend, cache, got, 0, E * R * elem, &error);
        g_assert_no_error (error);
        sc_ref_copy_rows (a, E, n, type, ref, row0);
        g_assert_cmpmem (got, E * R * elem, ref, E * R * elem);
        sc_backend_tensor_free (backend, cache);
        sc_backend_tensor_free (backend, at);
      }
}

/* ---------------------------------------------------------------- a transformer block */

/* The persistent tensors of one llama block. */
typedef struct
{
  ScTensor *w[7];            /* wq [E, Hq D], wk, wv [E, Hkv D], wo [Hq D, E], gate, up [E, F],
                              * down [F, E] */
  ScTensor *norm;            /* [E], used for both norms */
  ScTensor *k_cache, *v_cache; /* [Hkv D, n_ctx] */
  gint64    D, Hq, Hkv;
} Block;

/* x [E, T] at positions @pos (I32 [T]) = pos0 ..: x + attention + FFN, as sc-model-llama.c. */
static ScTensor *
build_block (ScGraph     *graph,
             const Block *b,
             ScTensor    *x,
             ScTensor    *pos,
             gint64       T,
             int          pos0)
{
  ScTensor *h, *q, *k, *v, *att, *x2, *g, *u;

  h = sc_graph_rms_norm (graph, x, b->norm, 1e-5f);
  q = sc_graph_reshape (graph, sc_graph_matmul (graph, b->w[0], h), b->D, b->Hq, T, 1);
  q = sc_graph_rope (graph, q, pos, b->D, SC_ROPE_NEOX, 10000.0f, 1.0f);
  k = sc_graph_reshape (graph, sc_graph_matmul (graph, b->w[1], h), b->D, b->Hkv, T, 1);
  k = sc_graph_rope (graph, k, pos, b->D, SC_ROPE_NEOX, 10000.0f, 1.0f);
  sc_graph_copy_rows (graph, b->k_cache, sc_graph_reshape (graph, k, b->Hkv * b->D, T, 1, 1),
                      pos0);
  v = sc_graph_matmul (graph, b->w[2], h);
  sc_graph_copy_rows (graph, b->v_cache, v, pos0);
  att = sc_graph_attention (graph, q, b->k_cache, b->v_cache, NULL, pos0 + (int) T, TRUE, pos0,
                            1.0f / sqrtf ((float) b->D));
  x2 = sc_graph_add (graph, x, sc_graph_matmul (graph, b->w[3], att));
  h = sc_graph_rms_norm (graph, x2, b->norm, 1e-5f);
  g = sc_graph_matmul (graph, b->w[4], h);
  u = sc_graph_matmul (graph, b->w[5], h);
  return sc_graph_add (graph, x2, sc_graph_matmul (graph, b->w[6], sc_graph_swiglu (graph, g, u)));
}

/* Weights of @E, @F and the heads, N(0, 3 / fan_in) like trained ones, so activations stay near
 * 1 through the block; @wtypes per matrix. Free with g_free(). */
static void
random_block_weights (GRand              *rand,
                      const ScTensorType  wtypes[7],
                      const gint64        wshape[7][2],
                      guint8             *wdata[7],
                      gsize               wbytes[7])
{
  for (int i = 0; i < 7; i++)
    wdata[i] = random_weights_scaled (rand, wtypes[i], wshape[i][0], wshape[i][1],
                                      sqrt (3.0 / wshape[i][0]), &wbytes[i]);
}

static void
block_init (Block              *b,
            ScBackend          *backend,
            const ScTensorType  wtypes[7],
            const gint64        wshape[7][2],
            guint8             *wdata[7],
            const gsize         wbytes[7],
            const float        *norm,
            gint64              E,
            gint64              D,
            gint64              Hq,
            gint64              Hkv,
            ScTensorType        kv_type,
            gint64              n_ctx,
            const void         *kv_init)
{
  for (int i = 0; i < 7; i++)
    b->w[i] = weight_tensor (backend, wtypes[i], wshape[i][0], wshape[i][1], wdata[i],
                             wbytes[i]);
  b->norm = upload (backend, SC_TENSOR_TYPE_F32, E, 1, 1, norm);
  b->k_cache = upload (backend, kv_type, Hkv * D, n_ctx, 1, kv_init);
  b->v_cache = upload (backend, kv_type, Hkv * D, n_ctx, 1, kv_init);
  b->D = D;
  b->Hq = Hq;
  b->Hkv = Hkv;
}

static void
block_clear (Block     *b,
             ScBackend *backend)
{
  for (int i = 0; i < 7; i++)
    sc_backend_tensor_free (backend, b->w[i]);
  sc_backend_tensor_free (backend, b->norm);
  sc_backend_tensor_free (backend, b->k_cache);
  sc_backend_tensor_free (backend, b->v_cache);
}

/* Sets both caches to @kv (NULL: zeros). */
static void
block_set_caches (Block      *b,
                  ScBackend  *backend,
                  const void *kv)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *zeros = kv == NULL ? g_malloc0 (b->k_cache->n_bytes) : NULL;

  sc_backend_tensor_set (backend, b->k_cache, kv ? kv : zeros, 0, b->k_cache->n_bytes, &error);
  g_assert_no_error (error);
  sc_backend_tensor_set (backend, b->v_cache, kv ? kv : zeros, 0, b->v_cache->n_bytes, &error);
  g_assert_no_error (error);
}

typedef struct
{
  ScTensorType wtype;     /* attention and FFN weights */
  ScTensorType kv_type;
  double       tolerance; /* relative to max |ref| */
} BlockCase;

static void
test_block (gconstpointer user_data)
{
  const BlockCase *c = user_data;
  const gint64 E = 256, D = 32, Hq = 8, Hkv = 2, F = 512, T = 5, n_ctx = 16;
  const int pos0 = 4;
  g_autoptr(GRand) rand = g_rand_new_with_seed (21);
  const ScTensorType wtypes[7] = { c->wtype, c->wtype, c->wtype, c->wtype, c->wtype,
                                   c->wtype, c->wtype };
  const gint64 wshape[7][2] = { { E, Hq * D }, { E, Hkv * D }, { E, Hkv * D }, { Hq * D, E },
                                { E, F }, { E, F }, { F, E } };
  guint8 *wdata[7];
  gsize wbytes[7];
  g_autofree float *x = NULL;
  g_autofree float *nw = NULL;
  g_autofree float *history = NULL;
  g_autofree guint8 *kv_init = g_malloc (Hkv * D * n_ctx * 4);
  gint32 pos[5];

  random_block_weights (rand, wtypes, wshape, wdata, wbytes);
  x = random_floats (rand, E * T, -1.0, 1.0);
  nw = random_floats (rand, E, 0.5, 1.5);
  history = random_floats (rand, Hkv * D * n_ctx, -1.0, 1.0);
  for (int t = 0; t < T; t++)
    pos[t] = pos0 + t;
  if (c->kv_type == SC_TENSOR_TYPE_F16)
    sc_fp32_to_fp16_row (history, (guint16 *) kv_init, Hkv * D * n_ctx);
  else
    memcpy (kv_init, history, Hkv * D * n_ctx * 4);

  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ScBackend) backend = make_backend (&variants[v]);
      g_autoptr(ScGraph) graph = sc_graph_new ();
      g_autoptr(GPtrArray) storage = g_ptr_array_new_with_free_func (g_free);
      Block b;
      ScTensor *xt, *post, *out;
      g_autofree float *got = NULL;
      g_autofree float *ref = g_new (float, E * T);
      g_autofree char *what = NULL;

      block_init (&b, backend, wtypes, wshape, wdata, wbytes, nw, E, D, Hq, Hkv, c->kv_type,
                  n_ctx, kv_init);
      xt = upload (backend, SC_TENSOR_TYPE_F32, E, T, 1, x);
      post = upload (backend, SC_TENSOR_TYPE_I32, T, 1, 1, pos);
      out = build_block (graph, &b, xt, post, T, pos0);

      got = compute (backend, graph, out);
      /* Twice: the arena and scratch are reused, the caches rewritten with the same rows. */
      g_free (got);
      got = compute (backend, graph, out);

      /* The reference runs on the same caches, restored first. */
      block_set_caches (&b, backend, kv_init);
      g_assert_true (sc_ref_compute_graph (graph, storage, &error));
      g_assert_no_error (error);
      memcpy (ref, out->data, E * T * sizeof (float));

      what = g_strdup_printf ("block %s/%s threads=%d %s", sc_tensor_type_name (c->wtype),
                              sc_tensor_type_name (c->kv_type), variants[v].n_threads,
                              variants[v].simd ? "simd" : "portable");
      assert_close (what, got, ref, E * T, c->tolerance * max_abs (ref, E * T));

      block_clear (&b, backend);
      sc_backend_tensor_free (backend, xt);
      sc_backend_tensor_free (backend, post);
    }
  for (int i = 0; i < 7; i++)
    g_free (wdata[i]);
}

/* Generation as the decoder runs it: a 128-token prompt graph, then a one-token graph on the
 * same backend, with Q4_K_M's weight types, head_dim 128 and an F16 cache. The token step
 *   - equals the last row of one batched graph over prompt and token bit for bit (the N = 1
 *     matmul path is vec_dot, the batched one vec_dot4; attention, norms and rope work per
 *     row): nothing of the prompt's compute (cached activations, arena, scratch) leaks into it;
 *   - is the same with 1 and 2 threads, bit for bit;
 *   - agrees with the reference on the prompt's caches to 5e-2 of max |ref| (quantised
 *     activations, half caches), and the kernel tables with each other to the same bound. */
static void
test_prompt_then_decode (void)
{
  const gint64 E = 256, D = 128, Hq = 2, Hkv = 1, F = 512, P = 128, n_ctx = P + 8;
  const ScTensorType q4 = SC_TENSOR_TYPE_Q4_K, q6 = SC_TENSOR_TYPE_Q6_K;
  const ScTensorType wtypes[7] = { q4, q4, q6, q4, q4, q4, q6 };
  const gint64 wshape[7][2] = { { E, Hq * D }, { E, Hkv * D }, { E, Hkv * D }, { Hq * D, E },
                                { E, F }, { E, F }, { F, E } };
  g_autoptr(GRand) rand = g_rand_new_with_seed (22);
  guint8 *wdata[7];
  gsize wbytes[7];
  g_autofree float *x = NULL;
  g_autofree float *nw = NULL;
  g_autofree gint32 *pos = g_new (gint32, P + 1);
  float *steps[G_N_ELEMENTS (variants)];
  double scale = 0.0;

  random_block_weights (rand, wtypes, wshape, wdata, wbytes);
  x = random_floats (rand, E * (P + 1), -1.0, 1.0);
  nw = random_floats (rand, E, 0.5, 1.5);
  for (gint64 t = 0; t <= P; t++)
    pos[t] = (gint32) t;

  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ScBackend) backend = make_backend (&variants[v]);
      g_autoptr(ScGraph) prompt = sc_graph_new ();
      g_autoptr(ScGraph) step = sc_graph_new ();
      g_autoptr(ScGraph) batch = sc_graph_new ();
      g_autoptr(GPtrArray) storage = g_ptr_array_new_with_free_func (g_free);
      /* g_autofree on an array would free only its first element. */
      guint8 *kv_prompt[2] = { NULL, NULL };
      g_autofree float *ref = g_new (float, E);
      g_autofree float *all = NULL;
      g_autofree char *what = g_strdup_printf ("prompt then token threads=%d %s",
                                               variants[v].n_threads,
                                               variants[v].simd ? "simd" : "portable");
      Block b;
      ScTensor *xp, *pp, *xs, *ps, *xa, *pa, *out;
      float *got;

      block_init (&b, backend, wtypes, wshape, wdata, wbytes, nw, E, D, Hq, Hkv,
                  SC_TENSOR_TYPE_F16, n_ctx, NULL);
      xp = upload (backend, SC_TENSOR_TYPE_F32, E, P, 1, x);
      pp = upload (backend, SC_TENSOR_TYPE_I32, P, 1, 1, pos);
      xs = upload (backend, SC_TENSOR_TYPE_F32, E, 1, 1, x + P * E);
      ps = upload (backend, SC_TENSOR_TYPE_I32, 1, 1, 1, pos + P);
      xa = upload (backend, SC_TENSOR_TYPE_F32, E, P + 1, 1, x);
      pa = upload (backend, SC_TENSOR_TYPE_I32, P + 1, 1, 1, pos);

      g_free (compute (backend, prompt, build_block (prompt, &b, xp, pp, P, 0)));
      for (int i = 0; i < 2; i++)
        {
          ScTensor *cache = i == 0 ? b.k_cache : b.v_cache;

          kv_prompt[i] = g_malloc (cache->n_bytes);
          sc_backend_tensor_get (backend, cache, kv_prompt[i], 0, cache->n_bytes, &error);
          g_assert_no_error (error);
        }
      out = build_block (step, &b, xs, ps, 1, (int) P);
      got = compute (backend, step, out);

      /* One batched graph over prompt and token, from empty caches. */
      block_set_caches (&b, backend, NULL);
      all = compute (backend, batch, build_block (batch, &b, xa, pa, P + 1, 0));
      if (memcmp (got, all + P * E, E * sizeof (float)) != 0)
        g_error ("%s: the token step differs from the batched graph's last row (max %g)", what,
                 max_err (got, all + P * E, E));

      /* The reference of the token step, on the caches the prompt left. */
      g_assert_true (sc_backend_tensor_set (backend, b.k_cache, kv_prompt[0], 0,
                                            b.k_cache->n_bytes, &error));
      g_assert_true (sc_backend_tensor_set (backend, b.v_cache, kv_prompt[1], 0,
                                            b.v_cache->n_bytes, &error));
      g_free (kv_prompt[0]);
      g_free (kv_prompt[1]);
      g_assert_true (sc_ref_compute_graph (step, storage, &error));
      g_assert_no_error (error);
      memcpy (ref, out->data, E * sizeof (float));
      if (v == 0)
        scale = max_abs (ref, E);
      assert_close (what, got, ref, E, 5e-2 * scale);

      steps[v] = got;
      block_clear (&b, backend);
      sc_backend_tensor_free (backend, xp);
      sc_backend_tensor_free (backend, pp);
      sc_backend_tensor_free (backend, xs);
      sc_backend_tensor_free (backend, ps);
      sc_backend_tensor_free (backend, xa);
      sc_backend_tensor_free (backend, pa);
    }
  /* variants: simd with 1 and 2 threads, then portable with 1 and 2. */
  g_assert_cmpmem (steps[1], E * sizeof (float), steps[0], E * sizeof (float));
  g_assert_cmpmem (steps[3], E * sizeof (float), steps[2], E * sizeof (float));
  g_test_message ("token step: simd vs portable %g (max |ref| %g)",
                  max_err (steps[0], steps[2], E), scale);
  assert_close ("token step simd vs portable", steps[0], steps[2], E, 5e-2 * scale);
  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    g_free (steps[v]);
  for (int i = 0; i < 7; i++)
    g_free (wdata[i]);
}

int
main (int   argc,
      char *argv[])
{
  static const BlockCase blocks[] = {
    { SC_TENSOR_TYPE_F32, SC_TENSOR_TYPE_F32, 1e-4 },
    { SC_TENSOR_TYPE_F16, SC_TENSOR_TYPE_F16, 2e-3 },
    { SC_TENSOR_TYPE_Q8_0, SC_TENSOR_TYPE_F16, 5e-2 },
    { SC_TENSOR_TYPE_Q4_K, SC_TENSOR_TYPE_F32, 5e-2 },
  };

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (weight_types); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sichtung/ops/matmul/%s",
                                               sc_tensor_type_name (weight_types[i]));

      g_test_add_data_func (path, GINT_TO_POINTER (weight_types[i]), test_matmul);
    }
  g_test_add_func ("/sichtung/ops/matmul/view", test_matmul_view);
  g_test_add_func ("/sichtung/ops/matmul/decode-shapes", test_matmul_decode_shapes);
  g_test_add_func ("/sichtung/ops/matmul/extremes", test_matmul_extremes);
  g_test_add_func ("/sichtung/ops/matmul/float-tiles", test_matmul_float_tiles);
  g_test_add_func ("/sichtung/ops/matmul/kernel-tables", test_matmul_kernel_tables);
  g_test_add_func ("/sichtung/ops/kernels", test_kernels);
  g_test_add_func ("/sichtung/ops/binary", test_binary);
  g_test_add_func ("/sichtung/ops/unary", test_unary);
  g_test_add_func ("/sichtung/ops/norms", test_norms);
  g_test_add_func ("/sichtung/ops/rope", test_rope);
  g_test_add_func ("/sichtung/ops/softmax", test_softmax);
  g_test_add_func ("/sichtung/ops/attention", test_attention);
  g_test_add_func ("/sichtung/ops/get-rows", test_get_rows);
  g_test_add_func ("/sichtung/ops/get-rows/bad-id", test_get_rows_bad_id);
  g_test_add_func ("/sichtung/ops/copy-rows", test_copy_rows);
  for (guint i = 0; i < G_N_ELEMENTS (blocks); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sichtung/ops/block/%s-%s",
                                               sc_tensor_type_name (blocks[i].wtype),
                                               sc_tensor_type_name (blocks[i].kv_type));

      g_test_add_data_func (path, &blocks[i], test_block);
    }
  g_test_add_func ("/sichtung/ops/block/prompt-then-token", test_prompt_then_decode);
  return g_test_run ();
}
