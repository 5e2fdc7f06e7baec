/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-vulkan-ops.c: every graph op on the Vulkan backend (Mesa lavapipe in CI) against the
 * scalar reference of sc-ops-ref.h, with seeded random inputs and odd sizes.
 *
 * Tolerances (err = |vulkan - reference|, the reference reduces in double):
 *   add, mul, scale, copy_rows F32, get_rows        exact (IEEE ops, exact dequantisation)
 *   copy_rows F16                                   one fp16 ulp (Vulkan leaves the rounding
 *                                                   mode of float → half open)
 *   silu, gelu, swiglu                              err <= 1e-6 · max(1, |ref|)
 *   rms_norm, layer_norm, softmax                   err <= 1e-5 · max(1, |ref|)
 *   rope                                            err <= 2e-5 · max(1, |ref|) (float pow,
 *                                                   sin and cos of pos · theta, pos < 100)
 *   matmul (all weight types)                       max err <= 1e-4 · RMS(ref)
 *   attention                                       err <= 1e-4 · max(1, |ref|)
 *   whole transformer block                         max err <= 1e-3 · RMS(ref)
 * The suite also runs in child processes with the fallbacks forced (no fp16 storage, no
 * subgroup arithmetic, no push descriptors, staged uploads) and under the Khronos validation
 * layer, which must stay silent.
 *
 * Without a usable device or the validation layer the tests skip, unless
 * SICHTUNG_REQUIRE_VULKAN=1 (set by meson), in which case they fail. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "sichtung-core.h"
#include "sc-ops-ref.h"
#include "sc-vulkan.h"

#define SEED 20240611

static const ScTensorType weight_types[] = {
  SC_TENSOR_TYPE_F32, SC_TENSOR_TYPE_F16, SC_TENSOR_TYPE_BF16, SC_TENSOR_TYPE_Q8_0,
  SC_TENSOR_TYPE_Q4_0, SC_TENSOR_TYPE_Q4_1, SC_TENSOR_TYPE_Q5_0, SC_TENSOR_TYPE_Q5_1,
  SC_TENSOR_TYPE_Q4_K, SC_TENSOR_TYPE_Q5_K, SC_TENSOR_TYPE_Q6_K,
};

/* ---------------------------------------------------------------- fixture */

/* A backend plus the host copies (in ScTensor.data, which the Vulkan backend leaves alone) of
 * the weights and persistent tensors made through it, for the reference. */
typedef struct
{
  ScBackend *backend;
  GRand     *rand;
  GPtrArray *tensors;  /* ScTensor*, freed with the fixture */
} Fixture;

static gboolean
vulkan_required (void)
{
  return g_strcmp0 (g_getenv ("SICHTUNG_REQUIRE_VULKAN"), "1") == 0;
}

static gboolean
fixture_init (Fixture *fx)
{
  g_autoptr(GError) error = NULL;

  memset (fx, 0, sizeof *fx);
  fx->backend = sc_backend_vulkan_new ("auto", &error);
  if (fx->backend == NULL)
    {
      if (!g_error_matches (error, SC_ERROR, SC_ERROR_NO_DEVICE))
        g_test_fail_printf ("The Vulkan device failed: %s", error->message);
      else if (vulkan_required ())
        g_test_fail_printf ("SICHTUNG_REQUIRE_VULKAN=1 but no Vulkan device is usable: %s",
                            error->message);
      else
        g_test_skip (error->message);
      return FALSE;
    }
  /* The validation child must really be validating, or its silence proves nothing. */
  if (g_getenv ("SICHTUNG_VULKAN_VALIDATE") != NULL)
    g_assert_true (sc_vk_context_is_validating (sc_backend_vulkan_get_context (fx->backend)));
  fx->rand = g_rand_new_with_seed (SEED);
  fx->tensors = g_ptr_array_new ();
  return TRUE;
}

static void
fixture_clear (Fixture *fx)
{
  ScVkContext *context;

  if (fx->backend == NULL)
    return;
  context = sc_backend_vulkan_get_context (fx->backend);
  g_assert_cmpuint (sc_vk_context_get_validation_message_count (context), ==, 0);
  for (guint i = 0; i < fx->tensors->len; i++)
    {
      ScTensor *t = g_ptr_array_index (fx->tensors, i);

      g_free (t->data);
      t->data = NULL;
      sc_backend_tensor_free (fx->backend, t);
    }
  g_ptr_array_unref (fx->tensors);
  g_rand_free (fx->rand);
  g_clear_object (&fx->backend);
}

static float *
random_floats (Fixture *fx,
               gsize    n,
               double   scale)
{
  float *values = g_new (float, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    values[i] = (float) (g_rand_double_range (fx->rand, -1.0, 1.0) * scale);
  return values;
}

/* A persistent tensor holding @data (copied; NULL: random F32 in [-1, 1]). */
static ScTensor *
persistent (Fixture      *fx,
            ScTensorType  type,
            gint64        ne0,
            gint64        ne1,
            gint64        ne2,
            const void   *data)
{
  g_autoptr(GError) error = NULL;
  ScTensor *t = sc_backend_tensor_new (fx->backend, type, ne0, ne1, ne2, 1, "persistent",
                                       &error);

  g_assert_no_error (error);
  g_assert_nonnull (t);
  if (data != NULL)
    t->data = g_memdup2 (data, t->n_bytes);
  else
    t->data = random_floats (fx, t->n_bytes / sizeof (float), 1.0);
  g_assert_true (sc_backend_tensor_set (fx->backend, t, t->data, 0, t->n_bytes, &error));
  g_assert_no_error (error);
  g_ptr_array_add (fx->tensors, t);
  return t;
}

/* A weight [K, M] of @type quantised from random values through a GGUF tensor description. */
static ScTensor *
weight (Fixture      *fx,
        ScTensorType  type,
        gint64        K,
        gint64        M,
        double        scale)
{
  g_autoptr(GError) error = NULL;
  g_autofree float *values = random_floats (fx, K * M, scale);
  ScGgufTensor source = { 0 };
  gsize row_bytes = 0;
  guint8 *bytes;
  ScTensor *t;

  g_assert_true (sc_tensor_row_size (type, K, &row_bytes, NULL));
  bytes = g_malloc (row_bytes * M);
  for (gint64 m = 0; m < M; m++)
    sc_quantize_row_ref (type, values + m * K, bytes + m * row_bytes, K);
  source.name = "weight";
  source.type = type;
  source.n_dims = 2;
  source.ne[0] = K;
  source.ne[1] = M;
  source.ne[2] = source.ne[3] = 1;
  source.n_elements = K * M;
  source.n_bytes = row_bytes * M;
  source.data = bytes;
  t = sc_backend_tensor_from_gguf (fx->backend, &source, &error);
  g_assert_no_error (error);
  g_assert_nonnull (t);
  t->data = bytes;
  g_ptr_array_add (fx->tensors, t);
  return t;
}

/* Computes @graph on Vulkan and with the reference; @outputs are compared afterwards. */
static void
run_both (Fixture   *fx,
          ScGraph   *graph,
          GPtrArray *storage)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sc_backend_compute (fx->backend, graph, &error));
  g_assert_no_error (error);
  g_assert_true (sc_ref_compute_graph (graph, storage, &error));
  g_assert_no_error (error);
}

typedef enum
{
  TOL_ABS_REL,  /* |d| <= tol · max(1, |ref|) */
  TOL_RMS,      /* |d| <= tol · RMS(ref) */
  TOL_HALF_ULP, /* within one fp16 ulp */
} TolKind;

static void
compare (Fixture    *fx,
         const char *what,
         ScTensor   *t,
         TolKind     kind,
         double      tol)
{
  g_autoptr(GError) error = NULL;
  gint64 n = sc_tensor_n_elements (t);
  g_autofree guint8 *got = g_malloc (MAX (t->n_bytes, 1));
  const void *ref = t->data;
  double rms = 0, worst = 0;
  gint64 worst_i = 0;

  g_assert_true (sc_backend_tensor_get (fx->backend, t, got, 0, t->n_bytes, &error));
  g_assert_no_error (error);
  for (gint64 i = 0; i < n; i++)
    {
      double r = t->type == SC_TENSOR_TYPE_F16 ? sc_fp16_to_fp32 (((guint16 *) ref)[i])
                                               : ((const float *) ref)[i];

      rms += r * r;
    }
  rms = sqrt (rms / MAX (n, 1));
  for (gint64 i = 0; i < n; i++)
    {
      double r, g, bound, err;

      if (t->type == SC_TENSOR_TYPE_F16)
        {
          r = sc_fp16_to_fp32 (((const guint16 *) ref)[i]);
          g = sc_fp16_to_fp32 (((const guint16 *) got)[i]);
        }
      else
        {
          r = ((const float *) ref)[i];
          g = ((const float *) got)[i];
        }
      if (kind == TOL_HALF_ULP)
        bound = MAX (fabs (r), 6.1e-5) * (1.0 / 1024.0);
      else if (kind == TOL_RMS)
        bound = tol * rms;
      else
        bound = tol * MAX (1.0, fabs (r));
      err = (r == g) ? 0.0 : fabs (r - g);
      if (isnan (err) || err > bound)
        g_error ("%s: element %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT ": reference %.9g, "
                 "vulkan %.9g (bound %.3g)", what, i, n, r, g, bound);
      if (err / MAX (bound, 1e-30) > worst)
        {
          worst = err / MAX (bound, 1e-30);
          worst_i = i;
        }
    }
  g_test_message ("%s: %" G_GINT64_FORMAT " elements, worst at %" G_GINT64_FORMAT
                  " (%.2f of the bound)", what, n, worst_i, worst);
}

/* ---------------------------------------------------------------- op bodies */

static void
body_elementwise (Fixture *fx)
{
  g_autoptr(ScGraph) graph = sc_graph_new ();
  g_autoptr(GPtrArray) storage = g_ptr_array_new_with_free_func (g_free);
  ScTensor *a = persistent (fx, SC_TENSOR_TYPE_F32, 67, 5, 3, NULL);
  ScTensor *b = persistent (fx, SC_TENSOR_TYPE_F32, 67, 5, 3, NULL);
  ScTensor *row = persistent (fx, SC_TENSOR_TYPE_F32, 67, 1, 1, NULL);
  ScTensor *out[8];

  out[0] = sc_graph_add (graph, a, b);
  out[1] = sc_graph_add (graph, a, row);
  out[2] = sc_graph_mul (graph, a, b);
  out[3] = sc_graph_mul (graph, a, row);
  out[4] = sc_graph_scale (graph, a, -0.37f);
  out[5] = sc_graph_silu (graph, sc_graph_scale (graph, a, 12.0f));
  out[6] = sc_graph_gelu (graph, sc_graph_scale (graph, b, 6.0f));
  out[7] = sc_graph_swiglu (graph, out[4], b);
  for (guint i = 0; i < G_N_ELEMENTS (out); i++)
    sc_graph_set_output (graph, out[i]);
  run_both (fx, graph, storage);
  compare (fx, "add", out[0], TOL_ABS_REL, 0);
  compare (fx, "add broadcast", out[1], TOL_ABS_REL, 0);
  compare (fx, "mul", out[2], TOL_ABS_REL, 0);
  compare (fx, "mul broadcast", out[3], TOL_ABS_REL, 0);
  compare (fx, "scale", out[4], TOL_ABS_REL, 0);
  compare (fx, "silu", out[5], TOL_ABS_REL, 1e-6);
  compare (fx, "gelu", out[6], TOL_ABS_REL, 1e-6);
  compare (fx, "swiglu", out[7], TOL_ABS_REL, 1e-6);
}

static void
body_norms (Fixture *fx)
{
  g_autoptr(ScGraph) graph = sc_graph_new ();
  g_autoptr(GPtrArray) storage = g_ptr_array_new_with_free_func (g_free);
  ScTensor *a = persistent (fx, SC_TENSOR_TYPE_F32, 300, 7, 1, NULL);
  ScTensor *w = persistent (fx, SC_TENSOR_TYPE_F32, 300, 1, 1, NULL);
  ScTensor *bias = persistent (fx, SC_TENSOR_TYPE_F32, 300, 1, 1, NULL);
  ScTensor *full = persistent (fx, SC_TENSOR_TYPE_F32, 300, 7, 1, NULL);
  ScTensor *out[6];

  out[0] = sc_graph_rms_norm (graph, a, w, 1e-5f);
  out[1] = sc_graph_rms_norm (graph, a, NULL, 1e-6f);
  out[2] = sc_graph_rms_norm (graph, a, full, 1e-5f);
  /* Rows far from zero check that the variance is taken around the mean. */
  out[3] = sc_graph_layer_norm (graph, sc_graph_add (graph, a, bias), w, bias, 1e-5f);
  out[4] = sc_graph_layer_norm (graph, a, NULL, NULL, 1e-5f);
  out[5] = sc_graph_layer_norm (graph, a, full, NULL, 1e-5f);
  for (guint i = 0; i < G_N_ELEMENTS (out); i++)
    sc_graph_set_output (graph, out[i]);
  run_both (fx, graph, storage);
  compare (fx, "rms_norm weight", out[0], TOL_ABS_REL, 1e-5);
  compare (fx, "rms_norm", out[1], TOL_ABS_REL, 1e-5);
  compare (fx, "rms_norm full weight", out[2], TOL_ABS_REL, 1e-5);
  compare (fx, "layer_norm weight bias", out[3], TOL_ABS_REL, 1e-5);
  compare (fx, "layer_norm", out[4], TOL_ABS_REL, 1e-5);
  compare (fx, "layer_norm full weight", out[5], TOL_ABS_REL, 1e-5);
}

static void
body_softmax (Fixture *fx)
{
  g_autoptr(ScGraph) graph = sc_graph_new ();
  g_autoptr(GPtrArray) storage = g_ptr_array_new_with_free_func (g_free);
  g_autofree float *mask_data = random_floats (fx, 133 * 6, 2.0);
  ScTensor *a, *mask_row, *mask, *out[3];

  /* -inf entries, and one row masked entirely (zeros). */
  for (guint i = 0; i < 133 * 6; i += 7)
    mask_data[i] = -INFINITY;
  for (guint i = 0; i < 133; i++)
    mask_data[133 * 4 + i] = -INFINITY;
  a = persistent (fx, SC_TENSOR_TYPE_F32, 133, 6, 1, NULL);
  mask = persistent (fx, SC_TENSOR_TYPE_F32, 133, 6, 1, mask_data);
  mask_row = persistent (fx, SC_TENSOR_TYPE_F32, 133, 1, 1, mask_data);
  out[0] = sc_graph_softmax (graph, a, NULL, 3.0f);
  out[1] = sc_graph_softmax (graph, a, mask_row, 0.5f);
  out[2] = sc_graph_softmax (graph, a, mask, 1.0f);
  for (guint i = 0; i < G_N_ELEMENTS (out); i++)
    sc_graph_set_output (graph, out[i]);
  run_both (fx, graph, storage);
  compare (fx, "softmax", out[0], TOL_ABS_REL, 1e-5);
  compare (fx, "softmax mask row", out[1], TOL_ABS_REL, 1e-5);
  compare (fx, "softmax mask", out[2], TOL_ABS_REL, 1e-5);
}

static void
body_rope (Fixture *fx)
{
  g_autoptr(ScGraph) graph = sc_graph_new ();
  g_autoptr(GPtrArray) storage = g_ptr_array_new_with_free_func (g_free);
  const gint32 positions[5] = { 0, 1, 17, 42, 99 };
  ScTensor *a = persistent (fx, SC_TENSOR_TYPE_F32, 40, 3, 5, NULL);
  ScTensor *odd = persistent (fx, SC_TENSOR_TYPE_F32, 13, 2, 5, NULL);
  ScTensor *pos = persistent (fx, SC_TENSOR_TYPE_I32, 5, 1, 1, positions);
  ScTensor *out[4];

  out[0] = sc_graph_rope (graph, a, pos, 40, SC_ROPE_NORMAL, 10000.0f, 1.0f);
  out[1] = sc_graph_rope (graph, a, pos, 40, SC_ROPE_NEOX, 1000000.0f, 1.0f);
  out[2] = sc_graph_rope (graph, a, pos, 24, SC_ROPE_NEOX, 10000.0f, 0.5f);
  out[3] = sc_graph_rope (graph, odd, pos, 8, SC_ROPE_NORMAL, 10000.0f, 0.25f);
  for (guint i = 0; i < G_N_ELEMENTS (out); i++)
    sc_graph_set_output (graph, out[i]);
  run_both (fx, graph, storage);
  compare (fx, "rope normal", out[0], TOL_ABS_REL, 2e-5);
  compare (fx, "rope neox", out[1], TOL_ABS_REL, 2e-5);
  compare (fx, "rope neox partial scaled", out[2], TOL_ABS_REL, 2e-5);
  compare (fx, "rope normal partial odd", out[3], TOL_ABS_REL, 2e-5);
}

/* matmul and get_rows for one weight type, N = 1, 3, 8 (mat-vec; M = 37 leaves a partial
 * workgroup of rows) and 17 (tiled). Float weights have @float_k columns: 67 takes them one at
 * a time, 68 four at a time. */
static void
check_weight_type (Fixture      *fx,
                   ScTensorType  type,
                   gint64        float_k)
{
  g_autoptr(ScGraph) graph = sc_graph_new ();
  g_autoptr(GPtrArray) storage = g_ptr_array_new_with_free_func (g_free);
  gboolean is_float = sc_tensor_type_block_size (type) == 1;
  gint64 K = is_float ? float_k : (sc_tensor_type_block_size (type) == 256 ? 512 : 96);
  const gint64 M = 37;
  const gint64 Ns[] = { 1, 3, 8, 17 };
  const gint32 ids_data[6] = { 36, 0, 5, 5, 17, 1 };
  ScTensor *w = weight (fx, type, K, M, 1.0);
  ScTensor *ids = persistent (fx, SC_TENSOR_TYPE_I32, 6, 1, 1, ids_data);
  ScTensor *out[G_N_ELEMENTS (Ns) + 2];
  ScTensor *x_big = persistent (fx, SC_TENSOR_TYPE_F32, K, 20, 1, NULL);
  g_autofree char *name = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (Ns); i++)
    {
      /* A view of rows 2 .. 2 + N: the activations need not start a binding. */
      out[i] = sc_graph_matmul (graph, w, sc_graph_view_rows (graph, x_big, 2, Ns[i]));
      sc_graph_set_output (graph, out[i]);
    }
  out[G_N_ELEMENTS (Ns)] = sc_graph_get_rows (graph, w, ids);
  sc_graph_set_output (graph, out[G_N_ELEMENTS (Ns)]);
  run_both (fx, graph, storage);
  for (guint i = 0; i < G_N_ELEMENTS (Ns); i++)
    {
      g_free (name);
      name = g_strdup_printf ("matmul %s K=%" G_GINT64_FORMAT " N=%" G_GINT64_FORMAT,
                              sc_tensor_type_name (type), K, Ns[i]);
      compare (fx, name, out[i], TOL_RMS, 1e-4);
    }
  g_free (name);
  name = g_strdup_printf ("get_rows %s", sc_tensor_type_name (type));
  compare (fx, name, out[G_N_ELEMENTS (Ns)], TOL_ABS_REL, 0);
}

static void
body_weights (Fixture *fx)
{
  /* CPU devices run matrices through mul_mat_vec too; the tiled mul_mm must stay right. */
  const ScTensorType tiled_types[] = { SC_TENSOR_TYPE_F32, SC_TENSOR_TYPE_Q8_0,
                                       SC_TENSOR_TYPE_Q4_K, SC_TENSOR_TYPE_Q6_K };

  /* mul_mat_vec with the lanes sharing rows (as on GPUs) and with rows per lane (as on CPU
   * devices), whichever the device would choose. */
  for (int lane_rows = 0; lane_rows < 2; lane_rows++)
    {
      g_setenv ("SICHTUNG_VULKAN_LANE_ROWS", lane_rows ? "1" : "0", TRUE);
      for (guint i = 0; i < G_N_ELEMENTS (weight_types); i++)
        {
          check_weight_type (fx, weight_types[i], 67);
          if (sc_tensor_type_block_size (weight_types[i]) == 1)
            check_weight_type (fx, weight_types[i], 68);
        }
    }
  g_unsetenv ("SICHTUNG_VULKAN_LANE_ROWS");
  g_setenv ("SICHTUNG_VULKAN_MUL_MM", "1", TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (tiled_types); i++)
    check_weight_type (fx, tiled_types[i], 67);
  g_unsetenv ("SICHTUNG_VULKAN_MUL_MM");
}

static void
check_attention (Fixture      *fx,
                 ScTensorType  kv_type)
{
  g_autoptr(ScGraph) graph = sc_graph_new ();
  g_autoptr(GPtrArray) storage = g_ptr_array_new_with_free_func (g_free);
  const gint64 D = 40, Hq = 4, Hkv = 2, T = 3, n_ctx = 150;
  const int n_kv = 131;  /* more than one block of 64 rows, not a multiple */
  g_autofree float *kv = random_floats (fx, D * Hkv * n_ctx, 1.0);
  g_autofree guint16 *kv16 = g_new (guint16, D * Hkv * n_ctx);
  g_autofree float *mask_data = random_floats (fx, n_kv * T, 1.0);
  const void *kv_data = kv;
  ScTensor *q, *q13, *k, *v, *mask, *out[4];
  g_autofree char *name = NULL;

  if (kv_type == SC_TENSOR_TYPE_F16)
    {
      sc_fp32_to_fp16_row (kv, kv16, D * Hkv * n_ctx);
      kv_data = kv16;
    }
  for (int i = 0; i < n_kv * T; i += 5)
    mask_data[i] = -INFINITY;
  q = persistent (fx, SC_TENSOR_TYPE_F32, D, Hq, T, NULL);
  q13 = persistent (fx, SC_TENSOR_TYPE_F32, D, Hq, 13, NULL);  /* more than one workgroup of lanes */
  k = persistent (fx, kv_type, D * Hkv, n_ctx, 1, kv_data);
  v = persistent (fx, kv_type, D * Hkv, n_ctx, 1, kv_data);  /* same values, other buffer */
  mask = persistent (fx, SC_TENSOR_TYPE_F32, n_kv, T, 1, mask_data);
  out[0] = sc_graph_attention (graph, q, k, v, NULL, n_kv, TRUE, n_kv - T - 5, 0.158f);
  out[1] = sc_graph_attention (graph, q, k, v, mask, n_kv, FALSE, 0, 0.158f);
  out[2] = sc_graph_attention (graph, q, k, v, mask, 70, TRUE, 60, 0.3f);
  out[3] = sc_graph_attention (graph, q13, k, v, NULL, n_kv, TRUE, n_kv - 13 - 2, 0.158f);
  for (guint i = 0; i < G_N_ELEMENTS (out); i++)
    sc_graph_set_output (graph, out[i]);
  run_both (fx, graph, storage);
  for (guint i = 0; i < G_N_ELEMENTS (out); i++)
    {
      g_free (name);
      name = g_strdup_printf ("attention %s %u", sc_tensor_type_name (kv_type), i);
      compare (fx, name, out[i], TOL_ABS_REL, 1e-4);
    }
}

static void
body_attention (Fixture *fx)
{
  /* The lanes on the cache rows (as on GPUs and in token steps) and on the tokens (as for
   * prompts on CPU devices), whichever the device would choose. */
  for (int lane_queries = 0; lane_queries < 2; lane_queries++)
    {
      g_setenv ("SICHTUNG_VULKAN_LANE_QUERIES", lane_queries ? "1" : "0", TRUE);
      check_attention (fx, SC_TENSOR_TYPE_F32);
      check_attention (fx, SC_TENSOR_TYPE_F16);
    }
  g_unsetenv ("SICHTUNG_VULKAN_LANE_QUERIES");
}

static void
body_copy_rows (Fixture *fx)
{
  g_autoptr(ScGraph) graph = sc_graph_new ();
  g_autoptr(GPtrArray) storage = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint16 *init16 = g_new (guint16, 33 * 9);
  ScTensor *a = persistent (fx, SC_TENSOR_TYPE_F32, 33, 3, 1, NULL);
  ScTensor *b = persistent (fx, SC_TENSOR_TYPE_F32, 33, 2, 1, NULL);
  ScTensor *d32 = persistent (fx, SC_TENSOR_TYPE_F32, 33, 9, 1, NULL);
  ScTensor *d16;

  for (guint i = 0; i < 33 * 9; i++)
    init16[i] = sc_fp32_to_fp16 ((float) i * 0.25f);
  d16 = persistent (fx, SC_TENSOR_TYPE_F16, 33, 9, 1, init16);
  /* Odd row length and odd first rows: half-words shared with untouched neighbours. */
  sc_graph_copy_rows (graph, d32, a, 1);
  sc_graph_copy_rows (graph, d16, a, 3);
  sc_graph_copy_rows (graph, d16, b, 6);  /* next to the previous: ordered by a barrier */
  sc_graph_copy_rows (graph, d32, sc_graph_scale (graph, b, 2.0f), 7);
  run_both (fx, graph, storage);
  compare (fx, "copy_rows f32", d32, TOL_ABS_REL, 0);
  compare (fx, "copy_rows f16", d16, TOL_HALF_ULP, 0);
}

/* A llama-style block twice (a prompt of 5 tokens, then one more) with F16 KV caches. */
static void
body_block (Fixture *fx)
{
  const gint64 E = 96, D = 16, Hq = 6, Hkv = 2, F = 160, n_ctx = 16, V = 50;
  ScTensor *embd = weight (fx, SC_TENSOR_TYPE_Q4_K, 256, V, 1.0);
  ScTensor *proj = weight (fx, SC_TENSOR_TYPE_Q6_K, 256, E, 0.2);
  ScTensor *norm_w = persistent (fx, SC_TENSOR_TYPE_F32, E, 1, 1, NULL);
  ScTensor *wq = weight (fx, SC_TENSOR_TYPE_Q4_0, E, D * Hq, 0.3);
  ScTensor *wk = weight (fx, SC_TENSOR_TYPE_Q5_1, E, D * Hkv, 0.3);
  ScTensor *wv = weight (fx, SC_TENSOR_TYPE_F16, E, D * Hkv, 0.3);
  ScTensor *wo = weight (fx, SC_TENSOR_TYPE_Q4_1, D * Hq, E, 0.1);
  ScTensor *w_gate = weight (fx, SC_TENSOR_TYPE_Q5_0, E, F, 0.2);
  ScTensor *w_up = weight (fx, SC_TENSOR_TYPE_BF16, E, F, 0.2);
  ScTensor *w_down = weight (fx, SC_TENSOR_TYPE_F32, F, E, 0.1);
  g_autofree guint16 *zeros = g_new0 (guint16, D * Hkv * n_ctx);
  ScTensor *k_cache = persistent (fx, SC_TENSOR_TYPE_F16, D * Hkv, n_ctx, 1, zeros);
  ScTensor *v_cache = persistent (fx, SC_TENSOR_TYPE_F16, D * Hkv, n_ctx, 1, zeros);
  const gint32 tokens[6] = { 3, 49, 0, 17, 17, 8 };
  const gint32 positions[6] = { 0, 1, 2, 3, 4, 5 };
  guint64 dispatches0, barriers0, dispatches1, barriers1, submissions0, submissions1;
  ScVkContext *context = sc_backend_vulkan_get_context (fx->backend);

  for (int step = 0; step < 2; step++)
    {
      g_autoptr(ScGraph) graph = sc_graph_new ();
      g_autoptr(GPtrArray) storage = g_ptr_array_new_with_free_func (g_free);
      const gint64 T = step == 0 ? 5 : 1, pos0 = step == 0 ? 0 : 5;
      ScTensor *ids = persistent (fx, SC_TENSOR_TYPE_I32, T, 1, 1, tokens + pos0);
      ScTensor *pos = persistent (fx, SC_TENSOR_TYPE_I32, T, 1, 1, positions + pos0);
      ScTensor *x, *h, *q, *k, *v, *attn, *ffn, *out;

      /* 256-wide embeddings projected down, since K-quant rows hold 256 weights. */
      x = sc_graph_matmul (graph, proj, sc_graph_get_rows (graph, embd, ids));
      h = sc_graph_rms_norm (graph, x, norm_w, 1e-5f);
      q = sc_graph_reshape (graph, sc_graph_matmul (graph, wq, h), D, Hq, T, 1);
      k = sc_graph_reshape (graph, sc_graph_matmul (graph, wk, h), D, Hkv, T, 1);
      v = sc_graph_matmul (graph, wv, h);
      q = sc_graph_rope (graph, q, pos, D, SC_ROPE_NEOX, 10000.0f, 1.0f);
      k = sc_graph_rope (graph, k, pos, D, SC_ROPE_NEOX, 10000.0f, 1.0f);
      sc_graph_copy_rows (graph, k_cache, sc_graph_reshape (graph, k, D * Hkv, T, 1, 1), pos0);
      sc_graph_copy_rows (graph, v_cache, v, pos0);
      attn = sc_graph_attention (graph, q, k_cache, v_cache, NULL, pos0 + T, TRUE, pos0,
                                 1.0f / sqrtf ((float) D));
      x = sc_graph_add (graph, x, sc_graph_matmul (graph, wo, attn));
      h = sc_graph_rms_norm (graph, x, norm_w, 1e-5f);
      ffn = sc_graph_swiglu (graph, sc_graph_matmul (graph, w_gate, h),
                             sc_graph_matmul (graph, w_up, h));
      out = sc_graph_add (graph, x, sc_graph_matmul (graph, w_down, ffn));
      sc_graph_set_output (graph, out);

      sc_vk_context_get_counters (context, &submissions0, &dispatches0, &barriers0);
      run_both (fx, graph, storage);
      sc_vk_context_get_counters (context, &submissions1, &dispatches1, &barriers1);
      compare (fx, step == 0 ? "block prompt" : "block decode", out, TOL_RMS, 1e-3);
      compare (fx, "k cache", k_cache, TOL_HALF_ULP, 0);
      compare (fx, "v cache", v_cache, TOL_HALF_ULP, 0);
      g_test_message ("block step %d: %u ops, %" G_GUINT64_FORMAT " dispatches, %"
                      G_GUINT64_FORMAT " barriers", step, sc_graph_get_n_ops (graph),
                      dispatches1 - dispatches0, barriers1 - barriers0);
      /* One submission per graph (tensor_get may add transfers only when staging). */
      g_assert_cmpuint (dispatches1 - dispatches0, ==, sc_graph_get_n_ops (graph));
      /* Independent ops (q, k, v projections; gate and up) share barrier-free stretches. */
      g_assert_cmpuint (barriers1 - barriers0, <, dispatches1 - dispatches0);
    }
}

/* ---------------------------------------------------------------- tests */

typedef void (*Body) (Fixture *fx);

static const struct
{
  const char *path;
  Body        body;
} bodies[] = {
  { "/sichtung/vulkan-ops/elementwise", body_elementwise },
  { "/sichtung/vulkan-ops/norms", body_norms },
  { "/sichtung/vulkan-ops/softmax", body_softmax },
  { "/sichtung/vulkan-ops/rope", body_rope },
  { "/sichtung/vulkan-ops/weights", body_weights },
  { "/sichtung/vulkan-ops/attention", body_attention },
  { "/sichtung/vulkan-ops/copy-rows", body_copy_rows },
  { "/sichtung/vulkan-ops/block", body_block },
};

static void
run_body (gconstpointer data)
{
  Body body = (Body) data;
  Fixture fx;

  if (!fixture_init (&fx))
    return;
  body (&fx);
  fixture_clear (&fx);
}

/* Weights larger than SICHTUNG_VULKAN_MAX_BUFFER are split over several buffers; matmul and
 * get_rows cover every chunk. */
static void
test_split (void)
{
  g_autoptr(ScGraph) graph = sc_graph_new ();
  g_autoptr(GPtrArray) storage = g_ptr_array_new_with_free_func (g_free);
  const gint32 ids_data[5] = { 0, 1299, 650, 651, 963 };
  ScTensor *w8, *w32, *x, *ids, *out[5];
  Fixture fx;

  g_setenv ("SICHTUNG_VULKAN_MAX_BUFFER", "1048576", TRUE);
  if (!fixture_init (&fx))
    {
      g_unsetenv ("SICHTUNG_VULKAN_MAX_BUFFER");
      return;
    }
  g_unsetenv ("SICHTUNG_VULKAN_MAX_BUFFER");
  w8 = weight (&fx, SC_TENSOR_TYPE_Q8_0, 1024, 1300, 1.0);    /* 1.4 MB: 2 buffers */
  w32 = weight (&fx, SC_TENSOR_TYPE_F32, 1024, 700, 1.0);     /* 2.9 MB: 3 buffers */
  x = persistent (&fx, SC_TENSOR_TYPE_F32, 1024, 9, 1, NULL);
  ids = persistent (&fx, SC_TENSOR_TYPE_I32, 5, 1, 1, ids_data);
  out[0] = sc_graph_matmul (graph, w8, sc_graph_view_rows (graph, x, 0, 1));
  out[1] = sc_graph_matmul (graph, w8, x);
  out[2] = sc_graph_matmul (graph, w32, sc_graph_view_rows (graph, x, 4, 2));
  out[3] = sc_graph_matmul (graph, w32, x);
  out[4] = sc_graph_get_rows (graph, w8, ids);
  for (guint i = 0; i < G_N_ELEMENTS (out); i++)
    sc_graph_set_output (graph, out[i]);
  run_both (&fx, graph, storage);
  compare (&fx, "split matmul q8_0 N=1", out[0], TOL_RMS, 1e-4);
  compare (&fx, "split matmul q8_0 N=9", out[1], TOL_RMS, 1e-4);
  compare (&fx, "split matmul f32 N=2", out[2], TOL_RMS, 1e-4);
  compare (&fx, "split matmul f32 N=9", out[3], TOL_RMS, 1e-4);
  compare (&fx, "split get_rows", out[4], TOL_ABS_REL, 0);

  /* A persistent tensor cannot be split: a clear error, not a crash. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (sc_backend_tensor_new (fx.backend, SC_TENSOR_TYPE_F32, 1024, 300, 1, 1,
                                          "too big", &error));
    g_assert_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED);
  }
  fixture_clear (&fx);
}

/* Every body in a child process with @env set; the parent checks the child's stderr. */
static void
run_all_in_child (const char *variable,
                  const char *value)
{
  if (g_test_subprocess ())
    {
      g_setenv (variable, value, TRUE);
      for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
        run_body (bodies[i].body);
      test_split ();
      return;
    }
  g_test_trap_subprocess (NULL, 300 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr_unmatched ("*Vulkan validation*");
}

static void
test_fallbacks (void)
{
  run_all_in_child ("SICHTUNG_VULKAN_DISABLE", "fp16-storage,subgroup,push-descriptor,"
                    "host-visible");
}

static void
test_validation (void)
{
  if (!g_test_subprocess ())
    {
      Fixture fx;
      ScVkContext *context;

      if (!fixture_init (&fx))
        return;
      fixture_clear (&fx);
      /* Is the layer there at all? A validating context says so. */
      g_setenv ("SICHTUNG_VULKAN_VALIDATE", "1", TRUE);
      {
        g_autoptr(ScBackend) probe = sc_backend_vulkan_new ("auto", NULL);

        context = probe != NULL ? sc_backend_vulkan_get_context (probe) : NULL;
        if (context == NULL || !sc_vk_context_is_validating (context))
          {
            g_unsetenv ("SICHTUNG_VULKAN_VALIDATE");
            /* CI installs it (vulkan-validationlayers): there the suite must not pass unchecked. */
            if (vulkan_required ())
              g_test_fail_printf ("SICHTUNG_REQUIRE_VULKAN=1 but the Khronos validation layer is "
                                  "not installed");
            else
              g_test_skip ("the Khronos validation layer is not installed");
            return;
          }
      }
      g_unsetenv ("SICHTUNG_VULKAN_VALIDATE");
    }
  run_all_in_child ("SICHTUNG_VULKAN_VALIDATE", "1");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
          !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *cache_home = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* Pipeline caches go to a scratch directory, not the user's; children inherit it. */
  if (!g_test_subprocess ())
    {
      cache_home = g_dir_make_tmp ("sichtung-test-vulkan-ops-XXXXXX", NULL);
      g_assert_nonnull (cache_home);
      g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);
    }
  g_unsetenv ("SICHTUNG_VULKAN_VALIDATE");
  g_unsetenv ("SICHTUNG_VULKAN_DISABLE");
  g_unsetenv ("SICHTUNG_VULKAN_MAX_BUFFER");
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    g_test_add_data_func (bodies[i].path, bodies[i].body, run_body);
  g_test_add_func ("/sichtung/vulkan-ops/split", test_split);
  g_test_add_func ("/sichtung/vulkan-ops/fallbacks", test_fallbacks);
  g_test_add_func ("/sichtung/vulkan-ops/validation", test_validation);

  status = g_test_run ();
  if (cache_home != NULL)
    remove_tree (cache_home);
  return status;
}
