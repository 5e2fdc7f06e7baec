/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-model.c: loading llama/qwen2 GGUF models and their forward pass on the CPU backend.
 *
 * The test writes tiny random models with sc-test-gguf (F32 weights, and a Q8_0 variant
 * quantised with sc_quantize_row_ref) and holds the engine's logits against a plain scalar
 * transformer written below in llama2.c style — straight loops over the same weights
 * (dequantised where quantised), its own float KV cache, one token at a time. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sc-backend.h"
#include "sc-error.h"
#include "sc-model.h"
#include "sc-quant.h"
#include "sc-test-gguf.h"

#define GGUF_TYPE_UINT32 4
#define GGUF_TYPE_INT32 5
#define GGUF_TYPE_FLOAT32 6

/* ---------------------------------------------------------------- model specs */

typedef struct
{
  const char  *arch;        /* written as general.architecture */
  guint        n_embd;
  guint        n_layer;
  guint        n_head;
  guint        n_head_kv;
  guint        n_ff;
  guint        n_vocab;
  gboolean     tied;        /* no output.weight */
  ScTensorType wtype;       /* matrices; norms and biases stay F32 */
  float        rope_factor; /* 0: no scaling keys */
  const char  *drop;        /* a tensor to leave out */
  const char  *bad_shape;   /* a tensor written with one row too many */
  guint32      seed;
} Spec;

typedef struct
{
  float *attn_norm, *wq, *wk, *wv, *bq, *bk, *bv, *wo, *ffn_norm, *gate, *up, *down;
} RefLayer;

/* The weights as the reference uses them: row-major, row m of w[K, M] at w + m * K. */
typedef struct
{
  Spec      spec;
  guint     head_dim;
  float    *embd;     /* [n_vocab][n_embd] */
  float    *out_norm; /* [n_embd] */
  float    *output;   /* [n_vocab][n_embd], embd when tied */
  RefLayer *layers;
  GPtrArray *allocs;
} RefModel;

static void
ref_model_free (RefModel *m)
{
  g_ptr_array_unref (m->allocs);
  g_free (m->layers);
  g_free (m);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RefModel, ref_model_free)

static double
gauss (GRand *rand)
{
  double u1 = g_rand_double_range (rand, 1e-12, 1.0);
  double u2 = g_rand_double (rand);

  return sqrt (-2 * log (u1)) * cos (2 * G_PI * u2);
}

/* Adds tensor @name of @ne0 x @ne1 random values (mean @mean, deviation @sd) to @w, stored as
 * @type, and returns the values the file holds (dequantised) for the reference. */
static float *
add_weight (ScTestGguf   *w,
            RefModel     *m,
            GRand        *rand,
            const char   *name,
            gint64        ne0,
            gint64        ne1,
            ScTensorType  type,
            double        mean,
            double        sd)
{
  const Spec *s = &m->spec;
  gint64 rows = ne1;
  gsize row_size = 0;
  float *values;
  g_autofree guint8 *bytes = NULL;
  gint64 ne[2] = { ne0, ne1 };

  if (s->bad_shape != NULL && g_str_equal (s->bad_shape, name))
    rows++;
  values = g_new (float, ne0 * rows);
  g_ptr_array_add (m->allocs, values);
  for (gint64 i = 0; i < ne0 * rows; i++)
    values[i] = (float) (mean + sd * gauss (rand));
  if (s->drop != NULL && g_str_equal (s->drop, name))
    return values;

  g_assert_true (sc_tensor_row_size (type, ne0, &row_size, NULL));
  bytes = g_malloc (row_size * rows);
  for (gint64 r = 0; r < rows; r++)
    {
      sc_quantize_row_ref (type, values + r * ne0, bytes + r * row_size, ne0);
      sc_dequantize_row (type, bytes + r * row_size, values + r * ne0, ne0);
    }
  ne[1] = rows;
  sc_test_gguf_add_tensor (w, name, type, ne1 == 1 ? 1 : 2, ne, bytes, row_size * rows);
  return values;
}

/* A tiny SentencePiece vocabulary: <unk> <s> </s>, "▁", letters and "▁"-prefixed letters. */
static void
add_vocab (ScTestGguf *w,
           guint       n_vocab)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autofree float *scores = g_new0 (float, n_vocab);
  g_autofree gint32 *types = g_new0 (gint32, n_vocab);

  g_ptr_array_add (tokens, g_strdup ("<unk>"));
  g_ptr_array_add (tokens, g_strdup ("<s>"));
  g_ptr_array_add (tokens, g_strdup ("</s>"));
  types[0] = 2;
  types[1] = types[2] = 3;
  for (guint i = 3; i < n_vocab; i++)
    {
      guint k = i - 3;

      if (k == 0)
        g_ptr_array_add (tokens, g_strdup ("\xe2\x96\x81"));
      else if (k <= 26)
        g_ptr_array_add (tokens, g_strdup_printf ("%c", 'a' + k - 1));
      else if (k <= 52)
        g_ptr_array_add (tokens, g_strdup_printf ("\xe2\x96\x81%c", 'a' + k - 27));
      else
        g_ptr_array_add (tokens, g_strdup_printf ("\xe2\x96\x81x%u", k));
      types[i] = 1;
      scores[i] = -(float) k;
    }
  sc_test_gguf_add_string (w, "tokenizer.ggml.model", "llama");
  sc_test_gguf_add_string_array (w, "tokenizer.ggml.tokens", (const char *const *) tokens->pdata,
                                 tokens->len);
  sc_test_gguf_add_array (w, "tokenizer.ggml.scores", GGUF_TYPE_FLOAT32, scores, n_vocab);
  sc_test_gguf_add_array (w, "tokenizer.ggml.token_type", GGUF_TYPE_INT32, types, n_vocab);
  sc_test_gguf_add_u32 (w, "tokenizer.ggml.bos_token_id", 1);
  sc_test_gguf_add_u32 (w, "tokenizer.ggml.eos_token_id", 2);
  sc_test_gguf_add_u32 (w, "tokenizer.ggml.unknown_token_id", 0);
  sc_test_gguf_add_bool (w, "tokenizer.ggml.add_bos_token", TRUE);
}

/* Writes the model of @spec and returns its path; *@ref receives the reference weights. */
static char *
write_model (const Spec *spec,
             RefModel  **ref)
{
  g_autoptr(ScTestGguf) w = sc_test_gguf_new (3);
  g_autoptr(GRand) rand = g_rand_new_with_seed (spec->seed);
  const char *arch = spec->arch;
  const gboolean qwen2 = g_str_equal (arch, "qwen2");
  RefModel *m = g_new0 (RefModel, 1);
  guint D = spec->n_embd / spec->n_head;
  gint64 E = spec->n_embd, Ekv = (gint64) D * spec->n_head_kv, F = spec->n_ff;
  double sd_e = 1.0 / sqrt ((double) E);
  char key[128];
  g_autofree char *name = NULL;

  m->spec = *spec;
  m->head_dim = D;
  m->allocs = g_ptr_array_new_with_free_func (g_free);
  m->layers = g_new0 (RefLayer, spec->n_layer);

  sc_test_gguf_add_string (w, "general.architecture", arch);
  sc_test_gguf_add_string (w, "general.name", "sichtung-test-model");
#define KEY(suffix) (g_snprintf (key, sizeof key, "%s.%s", arch, suffix), key)
  sc_test_gguf_add_u32 (w, KEY ("context_length"), 128);
  sc_test_gguf_add_u32 (w, KEY ("embedding_length"), spec->n_embd);
  sc_test_gguf_add_u32 (w, KEY ("block_count"), spec->n_layer);
  sc_test_gguf_add_u32 (w, KEY ("feed_forward_length"), spec->n_ff);
  sc_test_gguf_add_u32 (w, KEY ("attention.head_count"), spec->n_head);
  /* writers disagree on integer types; the loader takes any */
  sc_test_gguf_add_i32 (w, KEY ("attention.head_count_kv"), (gint32) spec->n_head_kv);
  sc_test_gguf_add_f32 (w, KEY ("attention.layer_norm_rms_epsilon"), 1e-5f);
  sc_test_gguf_add_f32 (w, KEY ("rope.freq_base"), 10000.0f);
  sc_test_gguf_add_u64 (w, KEY ("rope.dimension_count"), D);
  if (spec->rope_factor > 0)
    {
      sc_test_gguf_add_string (w, KEY ("rope.scaling.type"), "linear");
      sc_test_gguf_add_f32 (w, KEY ("rope.scaling.factor"), spec->rope_factor);
    }
#undef KEY
  add_vocab (w, spec->n_vocab);

  m->embd = add_weight (w, m, rand, "token_embd.weight", E, spec->n_vocab, spec->wtype, 0, 1);
  for (guint l = 0; l < spec->n_layer; l++)
    {
      RefLayer *r = &m->layers[l];
#define W(field, suffix, ne0, ne1, type, mean, sd)                                           \
      G_STMT_START {                                                                      \
        g_snprintf (key, sizeof key, "blk.%u.%s", l, suffix);                             \
        r->field = add_weight (w, m, rand, key, ne0, ne1, type, mean, sd);                \
      } G_STMT_END
      W (attn_norm, "attn_norm.weight", E, 1, SC_TENSOR_TYPE_F32, 1, 0.1);
      W (wq, "attn_q.weight", E, D * spec->n_head, spec->wtype, 0, sd_e);
      W (wk, "attn_k.weight", E, Ekv, spec->wtype, 0, sd_e);
      W (wv, "attn_v.weight", E, Ekv, spec->wtype, 0, sd_e);
      if (qwen2)
        {
          W (bq, "attn_q.bias", D * spec->n_head, 1, SC_TENSOR_TYPE_F32, 0, 0.2);
          W (bk, "attn_k.bias", Ekv, 1, SC_TENSOR_TYPE_F32, 0, 0.2);
          W (bv, "attn_v.bias", Ekv, 1, SC_TENSOR_TYPE_F32, 0, 0.2);
        }
      W (wo, "attn_output.weight", D * spec->n_head, E, spec->wtype, 0, sd_e);
      W (ffn_norm, "ffn_norm.weight", E, 1, SC_TENSOR_TYPE_F32, 1, 0.1);
      W (gate, "ffn_gate.weight", E, F, spec->wtype, 0, sd_e);
      W (up, "ffn_up.weight", E, F, spec->wtype, 0, sd_e);
      W (down, "ffn_down.weight", F, E, spec->wtype, 0, 1.0 / sqrt ((double) F));
#undef W
    }
  m->out_norm = add_weight (w, m, rand, "output_norm.weight", E, 1, SC_TENSOR_TYPE_F32, 1, 0.1);
  if (spec->tied)
    m->output = m->embd;
  else
    m->output = add_weight (w, m, rand, "output.weight", E, spec->n_vocab, spec->wtype, 0,
                            2 * sd_e);

  name = g_strdup_printf ("model-%s-%u.gguf", arch, spec->seed);
  *ref = m;
  return sc_test_gguf_write (w, name);
}

/* ---------------------------------------------------------------- the reference */

static void
ref_rmsnorm (float       *out,
             const float *x,
             const float *w,
             int          n)
{
  float ss = 0;

  for (int i = 0; i < n; i++)
    ss += x[i] * x[i];
  ss = 1.0f / sqrtf (ss / n + 1e-5f);
  for (int i = 0; i < n; i++)
    out[i] = x[i] * ss * w[i];
}

/* Quantised weights meet 8-bit activations, as in ggml and the CPU backend (sc-ops-ref.h): per
 * block of @block elements, 32 (block_q8_0: x ≈ fp16 (amax / 127) * round (x * 127 / amax)) or
 * 256 for the K-quants (block_q8_K: x ≈ round (x * -127 / max) / (-127 / max)). */
static int act_block;

static void
quantize_activations (float *x,
                      int    K)
{
  for (int b = 0; act_block > 0 && b < K; b += act_block)
    {
      float amax = 0, max = 0, d, id;

      for (int i = b; i < b + act_block; i++)
        if (fabsf (x[i]) > amax)
          {
            amax = fabsf (x[i]);
            max = x[i];
          }
      if (act_block == 32)
        {
          d = sc_fp16_to_fp32 (sc_fp32_to_fp16 (amax / 127));
          id = amax != 0 ? 127 / amax : 0;
        }
      else
        {
          id = max != 0 ? -127 / max : 0;
          d = id != 0 ? 1 / id : 0;
        }
      for (int i = b; i < b + act_block; i++)
        x[i] = d * nearbyintf (x[i] * id);
    }
}

/* out[M] = w[M][K] x[K] (+ b) */
static void
ref_matmul (float       *out,
            const float *x_in,
            const float *w,
            const float *b,
            int          K,
            int          M)
{
  g_autofree float *x = g_memdup2 (x_in, K * sizeof (float));

  quantize_activations (x, K);
  for (int m = 0; m < M; m++)
    {
      double sum = b != NULL ? b[m] : 0;

      for (int k = 0; k < K; k++)
        sum += (double) w[(gsize) m * K + k] * x[k];
      out[m] = (float) sum;
    }
}

static void
ref_rope (float *v,
          int    n_heads,
          int    D,
          int    pos,
          float  freq_scale,
          gboolean neox)
{
  for (int h = 0; h < n_heads; h++)
    {
      float *head = v + h * D;

      for (int j = 0; j < D / 2; j++)
        {
          double theta = pos * freq_scale * pow (10000.0, -2.0 * j / D);
          int i0 = neox ? j : 2 * j;
          int i1 = neox ? j + D / 2 : 2 * j + 1;
          double a = head[i0], b = head[i1];

          head[i0] = (float) (a * cos (theta) - b * sin (theta));
          head[i1] = (float) (a * sin (theta) + b * cos (theta));
        }
    }
}

/* The logits of every position of @tokens ([n][n_vocab]), one token at a time. */
static float *
ref_forward (const RefModel *m,
             const gint32   *tokens,
             int             n,
             gboolean        neox)
{
  const Spec *s = &m->spec;
  const int E = s->n_embd, D = m->head_dim, Hq = s->n_head, Hkv = s->n_head_kv;
  const int Ekv = D * Hkv, F = s->n_ff, V = s->n_vocab;
  const float freq_scale = s->rope_factor > 0 ? 1.0f / s->rope_factor : 1.0f;
  g_autofree float *x = g_new (float, E);
  g_autofree float *xb = g_new (float, E);
  g_autofree float *q = g_new (float, D * Hq);
  g_autofree float *att_out = g_new (float, D * Hq);
  g_autofree float *hb = g_new (float, F);
  g_autofree float *hb2 = g_new (float, F);
  g_autofree float *att = g_new (float, n);
  g_autofree float *kc = g_new (float, (gsize) s->n_layer * n * Ekv);
  g_autofree float *vc = g_new (float, (gsize) s->n_layer * n * Ekv);
  float *logits = g_new (float, (gsize) n * V);

  switch (s->wtype)
    {
    case SC_TENSOR_TYPE_F32:
    case SC_TENSOR_TYPE_F16:
    case SC_TENSOR_TYPE_BF16:
      act_block = 0;
      break;
    case SC_TENSOR_TYPE_Q4_K:
    case SC_TENSOR_TYPE_Q5_K:
    case SC_TENSOR_TYPE_Q6_K:
      act_block = SC_QK_K;
      break;
    default:
      act_block = 32;
      break;
    }

  for (int t = 0; t < n; t++)
    {
      memcpy (x, m->embd + (gsize) tokens[t] * E, E * sizeof (float));
      for (guint l = 0; l < s->n_layer; l++)
        {
          const RefLayer *r = &m->layers[l];
          float *k = kc + ((gsize) l * n + t) * Ekv;
          float *v = vc + ((gsize) l * n + t) * Ekv;

          ref_rmsnorm (xb, x, r->attn_norm, E);
          ref_matmul (q, xb, r->wq, r->bq, E, D * Hq);
          ref_matmul (k, xb, r->wk, r->bk, E, Ekv);
          ref_matmul (v, xb, r->wv, r->bv, E, Ekv);
          ref_rope (q, Hq, D, t, freq_scale, neox);
          ref_rope (k, Hkv, D, t, freq_scale, neox);

          for (int h = 0; h < Hq; h++)
            {
              int hk = h / (Hq / Hkv);
              float max = -INFINITY;
              double sum = 0;

              for (int u = 0; u <= t; u++)
                {
                  const float *ku = kc + ((gsize) l * n + u) * Ekv + hk * D;
                  double dot = 0;

                  for (int i = 0; i < D; i++)
                    dot += (double) q[h * D + i] * ku[i];
                  att[u] = (float) (dot / sqrt ((double) D));
                  max = MAX (max, att[u]);
                }
              for (int u = 0; u <= t; u++)
                {
                  att[u] = expf (att[u] - max);
                  sum += att[u];
                }
              for (int i = 0; i < D; i++)
                {
                  double acc = 0;

                  for (int u = 0; u <= t; u++)
                    acc += att[u] / sum * vc[((gsize) l * n + u) * Ekv + hk * D + i];
                  att_out[h * D + i] = (float) acc;
                }
            }
          ref_matmul (xb, att_out, r->wo, NULL, D * Hq, E);
          for (int i = 0; i < E; i++)
            x[i] += xb[i];

          ref_rmsnorm (xb, x, r->ffn_norm, E);
          ref_matmul (hb, xb, r->gate, NULL, E, F);
          ref_matmul (hb2, xb, r->up, NULL, E, F);
          for (int i = 0; i < F; i++)
            hb[i] = hb[i] / (1.0f + expf (-hb[i])) * hb2[i];
          ref_matmul (xb, hb, r->down, NULL, F, E);
          for (int i = 0; i < E; i++)
            x[i] += xb[i];
        }
      ref_rmsnorm (xb, x, m->out_norm, E);
      ref_matmul (logits + (gsize) t * V, xb, m->output, NULL, E, V);
    }
  return logits;
}

/* ---------------------------------------------------------------- helpers */

static const gint32 test_tokens[] = { 1, 5, 9, 33, 2, 60, 17, 8, 40, 3, 11, 29, 29, 50 };
#define N_TEST_TOKENS ((int) G_N_ELEMENTS (test_tokens))

static const Spec llama_spec = {
  .arch = "llama", .n_embd = 64, .n_layer = 2, .n_head = 4, .n_head_kv = 2, .n_ff = 96,
  .n_vocab = 64, .wtype = SC_TENSOR_TYPE_F32, .seed = 11,
};

static const Spec qwen2_spec = {
  .arch = "qwen2", .n_embd = 64, .n_layer = 2, .n_head = 4, .n_head_kv = 4, .n_ff = 96,
  .n_vocab = 64, .tied = TRUE, .wtype = SC_TENSOR_TYPE_F32, .seed = 12,
};

static ScBackend *
cpu_backend (void)
{
  return sc_backend_cpu_new ();
}

static ScContext *
f32_context (ScModel *model,
             guint    n_batch)
{
  g_autoptr(GError) error = NULL;
  ScContextParams params;
  ScContext *ctx;

  sc_context_params_init (&params);
  params.n_ctx = 32;
  params.n_batch = n_batch;
  params.kv_type = SC_TENSOR_TYPE_F32;
  ctx = sc_context_new (model, &params, &error);
  g_assert_no_error (error);
  return ctx;
}

/* max |a - b| / (1 + |b|) */
static double
max_rel_diff (const float *a,
              const float *b,
              gsize        n)
{
  double worst = 0;

  for (gsize i = 0; i < n; i++)
    worst = MAX (worst, fabs ((double) a[i] - b[i]) / (1.0 + fabs ((double) b[i])));
  return worst;
}

static void
check_against_reference (const Spec *spec,
                         double      tolerance)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScBackend) backend = cpu_backend ();
  g_autoptr(RefModel) ref = NULL;
  g_autofree char *path = write_model (spec, &ref);
  g_autoptr(ScModel) model = sc_model_load (path, backend, &error);
  g_autoptr(ScContext) ctx = NULL;
  g_autofree float *expected = NULL;
  const ScModelHparams *hp;
  const float *logits;
  gsize rows = 0;
  double diff;

  g_assert_no_error (error);
  hp = sc_model_get_hparams (model);
  g_assert_cmpuint (hp->n_vocab, ==, spec->n_vocab);
  g_assert_cmpuint (hp->n_head_kv, ==, spec->n_head_kv);
  g_assert_cmpint (hp->tied_output, ==, spec->tied);
  g_assert_cmpint (hp->rope_mode, ==,
                   g_str_equal (spec->arch, "qwen2") ? SC_ROPE_NEOX : SC_ROPE_NORMAL);

  ctx = f32_context (model, 0);
  g_assert_true (sc_model_eval (ctx, test_tokens, N_TEST_TOKENS, TRUE, &error));
  g_assert_no_error (error);
  logits = sc_context_get_logits (ctx, &rows);
  g_assert_cmpuint (rows, ==, N_TEST_TOKENS);

  expected = ref_forward (ref, test_tokens, N_TEST_TOKENS, hp->rope_mode == SC_ROPE_NEOX);
  diff = max_rel_diff (logits, expected, (gsize) N_TEST_TOKENS * spec->n_vocab);
  g_test_message ("%s %s: max relative difference %.3g", spec->arch,
                  sc_tensor_type_name (spec->wtype), diff);
  g_assert_cmpfloat (diff, <, tolerance);

  /* The other rope order gives clearly different logits: the check above would notice a
   * model built with the wrong one. */
  {
    g_autofree float *other = ref_forward (ref, test_tokens, N_TEST_TOKENS,
                                           hp->rope_mode != SC_ROPE_NEOX);

    g_assert_cmpfloat (max_rel_diff (logits, other, (gsize) N_TEST_TOKENS * spec->n_vocab), >,
                       1e-2);
  }
}

/* ---------------------------------------------------------------- tests */

static void
test_llama_forward (void)
{
  check_against_reference (&llama_spec, 1e-4);
}

static void
test_qwen2_forward (void)
{
  check_against_reference (&qwen2_spec, 1e-4);
}

static void
test_untied_qwen2_gqa (void)
{
  Spec spec = qwen2_spec;

  spec.tied = FALSE;
  spec.n_head_kv = 1;
  spec.n_layer = 1;
  spec.seed = 21;
  check_against_reference (&spec, 1e-4);
}

static void
test_tied_llama (void)
{
  Spec spec = llama_spec;

  spec.tied = TRUE;
  spec.seed = 22;
  check_against_reference (&spec, 1e-4);
}

static void
test_rope_scaling (void)
{
  Spec spec = llama_spec;

  spec.rope_factor = 4;
  spec.seed = 23;
  check_against_reference (&spec, 1e-4);
}

/* Quantised matrices: the reference uses the dequantised values, so only the order of the
 * float additions differs. */
static void
test_quantized (void)
{
  Spec spec = llama_spec;

  spec.wtype = SC_TENSOR_TYPE_Q8_0;
  spec.seed = 24;
  check_against_reference (&spec, 1e-4);

  spec = qwen2_spec;
  spec.wtype = SC_TENSOR_TYPE_Q4_0;
  spec.seed = 25;
  check_against_reference (&spec, 1e-4);
}

/* A prompt processed in one graph, in chunks, and one token at a time gives the same logits
 * (the last one of each), with both cache types. */
static void
check_batched_vs_incremental (ScTensorType kv_type,
                              double       tolerance)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScBackend) backend = cpu_backend ();
  g_autoptr(RefModel) ref = NULL;
  g_autofree char *path = write_model (&llama_spec, &ref);
  g_autoptr(ScModel) model = sc_model_load (path, backend, &error);
  g_autofree float *batched = NULL;
  guint n_vocab;
  const guint batches[] = { 0, 5, 1 };

  g_assert_no_error (error);
  n_vocab = sc_model_get_hparams (model)->n_vocab;
  for (guint b = 0; b < G_N_ELEMENTS (batches); b++)
    {
      g_autoptr(ScContext) ctx = NULL;
      g_autoptr(ScContext) step = NULL;
      ScContextParams params;
      const float *logits;
      gsize rows;

      sc_context_params_init (&params);
      params.n_ctx = 32;
      params.n_batch = batches[b];
      params.kv_type = kv_type;
      ctx = sc_context_new (model, &params, &error);
      g_assert_no_error (error);
      g_assert_true (sc_model_eval (ctx, test_tokens, N_TEST_TOKENS, TRUE, &error));
      g_assert_no_error (error);
      logits = sc_context_get_logits (ctx, &rows);
      g_assert_cmpuint (rows, ==, N_TEST_TOKENS);
      if (batched == NULL)
        batched = g_memdup2 (logits, (gsize) N_TEST_TOKENS * n_vocab * sizeof (float));
      else
        g_assert_cmpfloat (max_rel_diff (logits, batched, (gsize) N_TEST_TOKENS * n_vocab), <,
                           tolerance);
      g_assert_cmpuint (sc_context_get_n_past (ctx), ==, N_TEST_TOKENS);

      /* last-token logits only */
      sc_context_reset (ctx);
      g_assert_cmpuint (sc_context_get_n_past (ctx), ==, 0);
      g_assert_null (sc_context_get_logits (ctx, NULL));
      g_assert_true (sc_model_eval (ctx, test_tokens, N_TEST_TOKENS, FALSE, &error));
      logits = sc_context_get_logits (ctx, &rows);
      g_assert_cmpuint (rows, ==, 1);
      g_assert_cmpfloat (max_rel_diff (logits, batched + (N_TEST_TOKENS - 1) * n_vocab,
                                       n_vocab), <, tolerance);
    }

  /* token by token with the KV cache */
  {
    g_autoptr(ScContext) ctx = NULL;
    ScContextParams params;

    sc_context_params_init (&params);
    params.n_ctx = 32;
    params.kv_type = kv_type;
    ctx = sc_context_new (model, &params, &error);
    g_assert_no_error (error);
    for (int t = 0; t < N_TEST_TOKENS; t++)
      {
        const float *logits;

        g_assert_true (sc_model_eval (ctx, &test_tokens[t], 1, FALSE, &error));
        g_assert_no_error (error);
        logits = sc_context_get_logits (ctx, NULL);
        g_assert_cmpfloat (max_rel_diff (logits, batched + (gsize) t * n_vocab, n_vocab), <,
                           tolerance);
      }
  }
}

static void
test_batched_vs_incremental (void)
{
  check_batched_vs_incremental (SC_TENSOR_TYPE_F32, 1e-5);
  /* an F16 cache rounds the same values the same way either way */
  check_batched_vs_incremental (SC_TENSOR_TYPE_F16, 1e-5);
}

static void
test_context_limits (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScBackend) backend = cpu_backend ();
  g_autoptr(RefModel) ref = NULL;
  g_autofree char *path = write_model (&llama_spec, &ref);
  g_autoptr(ScModel) model = sc_model_load (path, backend, &error);
  g_autoptr(ScContext) ctx = NULL;
  ScContextParams params;
  gint32 bad = 64;
  gint32 many[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };

  g_assert_no_error (error);
  g_assert_nonnull (sc_model_get_tokenizer (model));
  g_assert_cmpstr (sc_model_get_arch_name (model), ==, "llama");

  sc_context_params_init (&params);
  params.n_ctx = 8;
  ctx = sc_context_new (model, &params, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sc_context_get_n_ctx (ctx), ==, 8);

  g_assert_false (sc_model_eval (ctx, &bad, 1, FALSE, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (sc_model_eval (ctx, many, 9, FALSE, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpuint (sc_context_get_n_past (ctx), ==, 0);

  g_assert_true (sc_model_eval (ctx, many, 8, FALSE, &error));
  g_assert_false (sc_model_eval (ctx, many, 1, FALSE, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
}

static void
expect_load_error (const Spec *spec,
                   int         code,
                   const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScBackend) backend = cpu_backend ();
  g_autoptr(RefModel) ref = NULL;
  g_autofree char *path = write_model (spec, &ref);
  g_autoptr(ScModel) model = sc_model_load (path, backend, &error);

  g_assert_null (model);
  g_assert_error (error, SC_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, needle));
}

static void
test_errors (void)
{
  Spec spec = llama_spec;

  spec.arch = "bert";
  expect_load_error (&spec, SC_ERROR_NOT_SUPPORTED, "“bert” is not supported");

  spec = llama_spec;
  spec.drop = "blk.1.ffn_up.weight";
  expect_load_error (&spec, SC_ERROR_CORRUPT, "blk.1.ffn_up.weight");

  spec = qwen2_spec;
  spec.drop = "blk.0.attn_k.bias";
  expect_load_error (&spec, SC_ERROR_CORRUPT, "blk.0.attn_k.bias");

  spec = llama_spec;
  spec.bad_shape = "blk.0.attn_k.weight";
  expect_load_error (&spec, SC_ERROR_CORRUPT, "blk.0.attn_k.weight");

  spec = llama_spec;
  spec.drop = "output_norm.weight";
  expect_load_error (&spec, SC_ERROR_CORRUPT, "output_norm.weight");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sichtung/model/llama-forward", test_llama_forward);
  g_test_add_func ("/sichtung/model/qwen2-forward", test_qwen2_forward);
  g_test_add_func ("/sichtung/model/qwen2-untied-gqa", test_untied_qwen2_gqa);
  g_test_add_func ("/sichtung/model/tied-embeddings", test_tied_llama);
  g_test_add_func ("/sichtung/model/rope-scaling", test_rope_scaling);
  g_test_add_func ("/sichtung/model/quantized", test_quantized);
  g_test_add_func ("/sichtung/model/batched-vs-incremental", test_batched_vs_incremental);
  g_test_add_func ("/sichtung/model/context-limits", test_context_limits);
  g_test_add_func ("/sichtung/model/errors", test_errors);

  return g_test_run ();
}
