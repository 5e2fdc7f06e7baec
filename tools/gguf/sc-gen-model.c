/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-gen-model.c: random-weight "llama" and "qwen2" GGUF models of any supported weight type,
 * for cross-checks against llama.cpp and benchmarks (tools/crosscheck, tools/bench).
 *
 *   sc-gen-model --arch llama --type q4_k_m --vocab tools/out/test-spm.gguf --n-vocab 32000 \
 *       --embd 2048 --layers 16 --heads 32 --kv-heads 8 --ff 8192 --out model.gguf
 *
 * The vocabulary (every tokenizer.* key) is copied from a GGUF that tools/gguf/gen_vocab.py or
 * gen_model.py wrote; --n-vocab pads it with plain filler tokens so the embeddings reach a
 * realistic size. Weights are N(0, 0.02), norms 1, biases N(0, 0.02), except where a purely
 * random model is badly conditioned: untrained N(0, 0.02) everywhere leaves many near-ties in
 * the top logits, so 1-ulp summation-order differences between two correct engines flip the
 * argmax. Hence, as trained models are, the defaults are well-conditioned:
 *   - attn_output and ffn_down are N(0, 0.02 / sqrt (2 n_layer)) (GPT-2's scaled init), so
 *     the blocks add O(1/sqrt(n_layer)) to the residual stream instead of growing it;
 *   - token_embd is N(0, 0.02 --embd-scale) (5: sd 0.1), the residual stream's backbone, a
 *     little above the blocks' contributions (~0.05 at the default size), so rounding in the
 *     blocks is small against it while the context still steers the prediction;
 *   - output row t is N(0, 0.02 --output-scale) minus --anti-self (2) times token t's
 *     embedding at that scale: the current token gets a clearly low logit, so greedy
 *     continuations cycle through several tokens instead of repeating one, and the top logit
 *     has a clear margin (--output-spread additionally gives the rows log-normal norms).
 * `--embd-scale 1 --anti-self 0` gives the plain N(0, 0.02) embeddings and output of old
 * (the scaled init of attn_output/ffn_down always applies). Quantised with
 * sc_quantize_row_ref(), so the file holds exactly what ggml's reference quantisers would
 * write. Rows are generated in fixed blocks, each with its own seeded PRNG, on all cores: the
 * output depends on the seed only.
 *
 * --type q4_k_m mimics llama.cpp's Q4_K_M: Q4_K matrices, Q6_K for output, attn_v and
 * ffn_down. */
#define G_LOG_DOMAIN "sichtung-tools"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sc-error.h"
#include "sc-gguf.h"
#include "sc-quant.h"
#include "sc-sampler.h"

#define ALIGNMENT 32
#define ANTI_SELF_DEFAULT 2
#define EMBD_SCALE_DEFAULT 5
#define ROWS_PER_JOB 64

typedef struct
{
  const char  *name;
  ScTensorType type;
  guint        n_dims;
  gint64       ne[2];
  double       mean;
  double       sd;
  double       row_spread; /* each row scaled by exp (row_spread * N(0, 1)) */
  double       anti_embd;  /* minus anti_embd * sd * (tensor 0's row, in units of its sd) */
  guint64      offset;   /* in the data section */
  gsize        n_bytes;
} TensorSpec;

typedef struct
{
  char    *arch;
  char    *type_name;
  char    *vocab_path;
  char    *out_path;
  int      n_vocab;
  int      n_embd;
  int      n_layer;
  int      n_head;
  int      n_head_kv;
  int      n_ff;
  int      n_ctx;
  gint64   seed;
  double   embd_scale;
  double   output_scale;
  double   output_spread;
  double   anti_self;
  gboolean tied;
} Options;

/* ---------------------------------------------------------------- GGUF writing */

static void
put_u32 (GByteArray *b,
         guint32     v)
{
  guint32 le = GUINT32_TO_LE (v);

  g_byte_array_append (b, (const guint8 *) &le, 4);
}

static void
put_u64 (GByteArray *b,
         guint64     v)
{
  guint64 le = GUINT64_TO_LE (v);

  g_byte_array_append (b, (const guint8 *) &le, 8);
}

static void
put_str (GByteArray *b,
         const char *s,
         gsize       len)
{
  put_u64 (b, len);
  g_byte_array_append (b, (const guint8 *) s, len);
}

static void
put_key (GByteArray *b,
         guint      *n_kv,
         const char *key,
         ScGgufType  type)
{
  put_str (b, key, strlen (key));
  put_u32 (b, type);
  (*n_kv)++;
}

static void
kv_u32 (GByteArray *b, guint *n_kv, const char *key, guint32 v)
{
  put_key (b, n_kv, key, SC_GGUF_TYPE_UINT32);
  put_u32 (b, v);
}

static void
kv_f32 (GByteArray *b, guint *n_kv, const char *key, float v)
{
  guint32 bits;

  memcpy (&bits, &v, 4);
  put_key (b, n_kv, key, SC_GGUF_TYPE_FLOAT32);
  put_u32 (b, bits);
}

static void
kv_str (GByteArray *b, guint *n_kv, const char *key, const char *v)
{
  put_key (b, n_kv, key, SC_GGUF_TYPE_STRING);
  put_str (b, v, strlen (v));
}

static gsize
scalar_size (ScGgufType t)
{
  switch (t)
    {
    case SC_GGUF_TYPE_UINT8: case SC_GGUF_TYPE_INT8: case SC_GGUF_TYPE_BOOL: return 1;
    case SC_GGUF_TYPE_UINT16: case SC_GGUF_TYPE_INT16: return 2;
    case SC_GGUF_TYPE_UINT32: case SC_GGUF_TYPE_INT32: case SC_GGUF_TYPE_FLOAT32: return 4;
    case SC_GGUF_TYPE_UINT64: case SC_GGUF_TYPE_INT64: case SC_GGUF_TYPE_FLOAT64: return 8;
    case SC_GGUF_TYPE_STRING: case SC_GGUF_TYPE_ARRAY: default: return 0;
    }
}

/* Copies every tokenizer.* key of @vocab, padding the token arrays to @n_vocab entries. */
static gboolean
copy_vocab (ScGguf      *vocab,
            guint        n_vocab,
            GByteArray  *b,
            guint       *n_kv,
            guint       *n_tokens_out,
            GError     **error)
{
  gsize n_tokens = 0;

  if (sc_gguf_get_string_array (vocab, "tokenizer.ggml.tokens", &n_tokens, NULL, error) == NULL)
    return FALSE;
  if (n_vocab < n_tokens)
    n_vocab = n_tokens;
  *n_tokens_out = n_vocab;

  for (gsize i = 0; i < sc_gguf_get_n_kv (vocab); i++)
    {
      const char *key = sc_gguf_get_kv_key (vocab, i);
      ScGgufType type = sc_gguf_get_kv_type (vocab, i);
      gboolean pad = g_str_equal (key, "tokenizer.ggml.tokens") ||
                     g_str_equal (key, "tokenizer.ggml.scores") ||
                     g_str_equal (key, "tokenizer.ggml.token_type");

      if (!g_str_has_prefix (key, "tokenizer."))
        continue;
      put_key (b, n_kv, key, type);
      if (type == SC_GGUF_TYPE_STRING)
        {
          const char *s = sc_gguf_get_string (vocab, key, error);

          if (s == NULL)
            return FALSE;
          put_str (b, s, strlen (s));
        }
      else if (type == SC_GGUF_TYPE_ARRAY)
        {
          ScGgufType elem;
          gsize n;

          if (!sc_gguf_get_array (vocab, key, &elem, &n, error))
            return FALSE;
          put_u32 (b, elem);
          put_u64 (b, pad && n == n_tokens ? n_vocab : n);
          if (elem == SC_GGUF_TYPE_STRING)
            {
              const gsize *lengths;
              const char *const *strv = sc_gguf_get_string_array (vocab, key, &n, &lengths, error);

              if (strv == NULL)
                return FALSE;
              for (gsize j = 0; j < n; j++)
                put_str (b, strv[j], lengths[j]);
              for (gsize j = n; pad && n == n_tokens && j < n_vocab; j++)
                {
                  /* filler pieces: plain ASCII, valid in both SPM and byte-level BPE */
                  g_autofree char *s = g_strdup_printf ("zq%06" G_GSIZE_FORMAT "x", j);

                  put_str (b, s, strlen (s));
                }
            }
          else
            {
              gconstpointer data = sc_gguf_get_array_data (vocab, key, elem, &n, error);
              gsize size = scalar_size (elem);

              if (data == NULL || size == 0)
                {
                  if (error != NULL && *error == NULL)
                    g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                                 "nested array in %s", key);
                  return FALSE;
                }
              g_byte_array_append (b, data, n * size);
              for (gsize j = n; pad && n == n_tokens && j < n_vocab; j++)
                {
                  if (g_str_equal (key, "tokenizer.ggml.scores"))
                    {
                      float score = -1000.0f - j;
                      guint32 bits;

                      memcpy (&bits, &score, 4);
                      put_u32 (b, bits);
                    }
                  else
                    put_u32 (b, 1); /* normal token */
                }
            }
        }
      else
        {
          gsize size = scalar_size (type);
          const guint8 *raw;
          gssize index = sc_gguf_find_key (vocab, key);
          guint64 u = 0;

          /* scalars: re-read through the typed getters by size */
          g_assert (index >= 0 && size > 0);
          if (type == SC_GGUF_TYPE_FLOAT32)
            {
              float f;

              if (!sc_gguf_get_f32 (vocab, key, &f, error))
                return FALSE;
              raw = (const guint8 *) &f;
              g_byte_array_append (b, raw, 4);
              continue;
            }
          if (type == SC_GGUF_TYPE_BOOL)
            {
              gboolean v;

              if (!sc_gguf_get_bool (vocab, key, &v, error))
                return FALSE;
              g_byte_array_append (b, (const guint8 *) &(guint8) { v ? 1 : 0 }, 1);
              continue;
            }
          if (type == SC_GGUF_TYPE_FLOAT64)
            {
              double d;

              if (!sc_gguf_get_f64 (vocab, key, &d, error))
                return FALSE;
              g_byte_array_append (b, (const guint8 *) &d, 8);
              continue;
            }
          if (type == SC_GGUF_TYPE_INT8 || type == SC_GGUF_TYPE_INT16 ||
              type == SC_GGUF_TYPE_INT32 || type == SC_GGUF_TYPE_INT64)
            {
              gint64 s;

              if (!sc_gguf_get_int (vocab, key, &s, error))
                return FALSE;
              u = (guint64) s;
            }
          else if (!sc_gguf_get_uint (vocab, key, &u, error))
            return FALSE;
          {
            guint64 le = GUINT64_TO_LE (u);

            g_byte_array_append (b, (const guint8 *) &le, size);
          }
        }
    }
  return TRUE;
}

/* ---------------------------------------------------------------- tensor data */

typedef struct
{
  const TensorSpec *spec;
  guint8           *out;      /* the whole tensor */
  gsize             row_size;
  guint64           seed;
  guint             tensor_index;
} Job;

/* @n values of N(@mean, @sd^2), by Box-Muller from pairs of uniforms of @rng. */
static void
fill_normal (ScRng  *rng,
             float  *out,
             gint64  n,
             double  mean,
             double  sd)
{
  for (gint64 i = 0; i < n; i += 2)
    {
      double u1 = MAX (sc_rng_uniform (rng), 1e-300);
      double u2 = sc_rng_uniform (rng);
      double m = sqrt (-2 * log (u1));

      out[i] = (float) (mean + sd * m * cos (2 * G_PI * u2));
      if (i + 1 < n)
        out[i + 1] = (float) (mean + sd * m * sin (2 * G_PI * u2));
    }
}

static void
fill_rows (gpointer data,
           gpointer user_data)
{
  Job *job = user_data;
  gint64 block = GPOINTER_TO_SIZE (data) - 1;
  const TensorSpec *spec = job->spec;
  gint64 ne0 = spec->ne[0];
  gint64 row0 = block * ROWS_PER_JOB;
  gint64 row1 = MIN (row0 + ROWS_PER_JOB, spec->ne[1]);
  g_autofree float *values = g_new (float, ne0);
  g_autofree float *embd = spec->anti_embd != 0 ? g_new (float, ne0) : NULL;
  ScRng rng, rng_embd;

  sc_rng_init (&rng, job->seed * 1000003u + job->tensor_index * 7919u + (guint64) block);
  /* token_embd (tensor 0, same shape) is drawn in the same blocks: replay its stream */
  sc_rng_init (&rng_embd, job->seed * 1000003u + (guint64) block);
  for (gint64 r = row0; r < row1; r++)
    {
      if (embd != NULL)
        fill_normal (&rng_embd, embd, ne0, 0, 1);
      fill_normal (&rng, values, ne0, spec->mean, spec->sd);
      if (spec->sd == 0)
        for (gint64 i = 0; i < ne0; i++)
          values[i] = (float) spec->mean;
      if (embd != NULL)
        for (gint64 i = 0; i < ne0; i++)
          values[i] -= (float) (spec->anti_embd * spec->sd * embd[i]);
      if (spec->row_spread > 0)
        {
          double u1 = MAX (sc_rng_uniform (&rng), 1e-300);
          double u2 = sc_rng_uniform (&rng);
          float f = (float) exp (spec->row_spread * sqrt (-2 * log (u1)) * cos (2 * G_PI * u2));

          for (gint64 i = 0; i < ne0; i++)
            values[i] *= f;
        }
      sc_quantize_row_ref (spec->type, values, job->out + r * job->row_size, ne0);
    }
}

static gboolean
write_tensor (FILE             *f,
              const TensorSpec *spec,
              guint             index,
              guint64           seed,
              GError          **error)
{
  Job job = { spec, NULL, 0, seed, index };
  gint64 n_blocks = (spec->ne[1] + ROWS_PER_JOB - 1) / ROWS_PER_JOB;
  GThreadPool *pool;
  static const guint8 zeros[ALIGNMENT] = { 0 };
  gsize pad;

  if (!sc_tensor_row_size (spec->type, spec->ne[0], &job.row_size, error))
    return FALSE;
  job.out = g_malloc (spec->n_bytes);
  pool = g_thread_pool_new (fill_rows, &job, (int) g_get_num_processors (), TRUE, NULL);
  for (gint64 b = 0; b < n_blocks; b++)
    g_thread_pool_push (pool, GSIZE_TO_POINTER (b + 1), NULL);
  g_thread_pool_free (pool, FALSE, TRUE);

  pad = (ALIGNMENT - spec->n_bytes % ALIGNMENT) % ALIGNMENT;
  if (fwrite (job.out, 1, spec->n_bytes, f) != spec->n_bytes ||
      fwrite (zeros, 1, pad, f) != pad)
    {
      g_free (job.out);
      g_set_error (error, SC_ERROR, SC_ERROR_IO, "writing %s failed", spec->name);
      return FALSE;
    }
  g_free (job.out);
  return TRUE;
}

/* ---------------------------------------------------------------- model layout */

static gboolean
parse_type (const char    *name,
            ScTensorType  *type,
            gboolean      *k_m,
            guint32       *file_type)
{
  static const struct
  {
    const char  *name;
    ScTensorType type;
    guint32      file_type;
  } types[] = {
    { "f32", SC_TENSOR_TYPE_F32, 0 },    { "f16", SC_TENSOR_TYPE_F16, 1 },
    { "bf16", SC_TENSOR_TYPE_BF16, 32 }, { "q4_0", SC_TENSOR_TYPE_Q4_0, 2 },
    { "q4_1", SC_TENSOR_TYPE_Q4_1, 3 },  { "q5_0", SC_TENSOR_TYPE_Q5_0, 8 },
    { "q5_1", SC_TENSOR_TYPE_Q5_1, 9 },  { "q8_0", SC_TENSOR_TYPE_Q8_0, 7 },
    { "q4_k", SC_TENSOR_TYPE_Q4_K, 14 }, { "q5_k", SC_TENSOR_TYPE_Q5_K, 16 },
    { "q6_k", SC_TENSOR_TYPE_Q6_K, 18 }, { "q4_k_m", SC_TENSOR_TYPE_Q4_K, 15 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_ascii_strcasecmp (name, types[i].name) == 0)
      {
        *type = types[i].type;
        *k_m = g_str_equal (types[i].name, "q4_k_m");
        *file_type = types[i].file_type;
        return TRUE;
      }
  return FALSE;
}

static int
run (Options  *o,
     GError  **error)
{
  g_autoptr(ScGguf) vocab = NULL;
  g_autoptr(GByteArray) meta = g_byte_array_new ();
  g_autoptr(GByteArray) header = g_byte_array_new ();
  g_autoptr(GArray) tensors = g_array_new (FALSE, TRUE, sizeof (TensorSpec));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  ScTensorType wtype;
  gboolean k_m;
  guint32 file_type;
  guint n_kv = 0, n_vocab = 0;
  const char *arch = o->arch;
  const gboolean qwen2 = g_str_equal (arch, "qwen2");
  gint64 E = o->n_embd, F = o->n_ff, D, Ekv;
  /* GPT-2's scaled init of the projections back into the residual stream */
  const double sd_proj = 0.02 / sqrt (2.0 * MAX (o->n_layer, 1));
  guint64 offset = 0, n_params = 0;
  char key[128];
  FILE *f;
  static const guint8 zeros[ALIGNMENT] = { 0 };

  if (!parse_type (o->type_name, &wtype, &k_m, &file_type))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT, "unknown type “%s”",
                   o->type_name);
      return 2;
    }
  if (!g_str_equal (arch, "llama") && !qwen2)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT, "unknown architecture “%s”",
                   arch);
      return 2;
    }
  if (o->n_head <= 0 || E % o->n_head != 0 || o->n_head_kv <= 0 ||
      o->n_head % o->n_head_kv != 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   "--embd must divide by --heads and --heads by --kv-heads");
      return 2;
    }
  D = E / o->n_head;
  Ekv = D * o->n_head_kv;

  vocab = sc_gguf_open (o->vocab_path, error);
  if (vocab == NULL)
    return 1;

  kv_str (meta, &n_kv, "general.architecture", arch);
  kv_str (meta, &n_kv, "general.name", "sichtung-random");
  kv_u32 (meta, &n_kv, "general.file_type", file_type);
  kv_u32 (meta, &n_kv, "general.quantization_version", 2);
#define KEY(suffix) (g_snprintf (key, sizeof key, "%s.%s", arch, suffix), key)
  kv_u32 (meta, &n_kv, KEY ("context_length"), o->n_ctx);
  kv_u32 (meta, &n_kv, KEY ("embedding_length"), o->n_embd);
  kv_u32 (meta, &n_kv, KEY ("block_count"), o->n_layer);
  kv_u32 (meta, &n_kv, KEY ("feed_forward_length"), o->n_ff);
  kv_u32 (meta, &n_kv, KEY ("attention.head_count"), o->n_head);
  kv_u32 (meta, &n_kv, KEY ("attention.head_count_kv"), o->n_head_kv);
  kv_f32 (meta, &n_kv, KEY ("attention.layer_norm_rms_epsilon"), 1e-5f);
  kv_f32 (meta, &n_kv, KEY ("rope.freq_base"), 10000.0f);
  kv_u32 (meta, &n_kv, KEY ("rope.dimension_count"), (guint32) D);
#undef KEY
  if (!copy_vocab (vocab, MAX (o->n_vocab, 0), meta, &n_kv, &n_vocab, error))
    return 1;

  /* The tensors, in llama.cpp's order. */
#define ADD(nm, t, nd, e0, e1, mu, s)                                                     \
  G_STMT_START {                                                                          \
    TensorSpec ts = { nm, t, nd, { e0, e1 }, mu, s, 0, 0, 0, 0 };                               \
    g_ptr_array_add (names, (gpointer) ts.name);                                          \
    g_array_append_val (tensors, ts);                                                     \
  } G_STMT_END
  ADD (g_strdup ("token_embd.weight"), wtype, 2, E, n_vocab, 0, 0.02 * o->embd_scale);
  for (int l = 0; l < o->n_layer; l++)
    {
      ScTensorType wide = k_m ? SC_TENSOR_TYPE_Q6_K : wtype;

      ADD (g_strdup_printf ("blk.%d.attn_norm.weight", l), SC_TENSOR_TYPE_F32, 1, E, 1, 1, 0);
      ADD (g_strdup_printf ("blk.%d.attn_q.weight", l), wtype, 2, E, E, 0, 0.02);
      ADD (g_strdup_printf ("blk.%d.attn_k.weight", l), wtype, 2, E, Ekv, 0, 0.02);
      ADD (g_strdup_printf ("blk.%d.attn_v.weight", l), wide, 2, E, Ekv, 0, 0.02);
      if (qwen2)
        {
          ADD (g_strdup_printf ("blk.%d.attn_q.bias", l), SC_TENSOR_TYPE_F32, 1, E, 1, 0, 0.02);
          ADD (g_strdup_printf ("blk.%d.attn_k.bias", l), SC_TENSOR_TYPE_F32, 1, Ekv, 1, 0,
               0.02);
          ADD (g_strdup_printf ("blk.%d.attn_v.bias", l), SC_TENSOR_TYPE_F32, 1, Ekv, 1, 0,
               0.02);
        }
      ADD (g_strdup_printf ("blk.%d.attn_output.weight", l), wtype, 2, E, E, 0, sd_proj);
      ADD (g_strdup_printf ("blk.%d.ffn_norm.weight", l), SC_TENSOR_TYPE_F32, 1, E, 1, 1, 0);
      ADD (g_strdup_printf ("blk.%d.ffn_gate.weight", l), wtype, 2, E, F, 0, 0.02);
      ADD (g_strdup_printf ("blk.%d.ffn_up.weight", l), wtype, 2, E, F, 0, 0.02);
      ADD (g_strdup_printf ("blk.%d.ffn_down.weight", l), wide, 2, F, E, 0, sd_proj);
    }
  ADD (g_strdup ("output_norm.weight"), SC_TENSOR_TYPE_F32, 1, E, 1, 1, 0);
  if (!o->tied)
    {
      ADD (g_strdup ("output.weight"), k_m ? SC_TENSOR_TYPE_Q6_K : wtype, 2, E, n_vocab, 0,
           0.02 * o->output_scale);
      g_array_index (tensors, TensorSpec, tensors->len - 1).row_spread = o->output_spread;
      g_array_index (tensors, TensorSpec, tensors->len - 1).anti_embd = o->anti_self;
    }
#undef ADD

  for (guint i = 0; i < tensors->len; i++)
    {
      TensorSpec *t = &g_array_index (tensors, TensorSpec, i);
      gsize row_size;

      if (!sc_tensor_row_size (t->type, t->ne[0], &row_size, error))
        {
          g_prefix_error (error, "%s (%s): ", t->name, sc_tensor_type_name (t->type));
          return 1;
        }
      t->n_bytes = row_size * t->ne[1];
      t->offset = offset;
      offset += (t->n_bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
      n_params += t->ne[0] * t->ne[1];
    }

  g_byte_array_append (header, (const guint8 *) "GGUF", 4);
  put_u32 (header, 3);
  put_u64 (header, tensors->len);
  put_u64 (header, n_kv);
  g_byte_array_append (header, meta->data, meta->len);
  for (guint i = 0; i < tensors->len; i++)
    {
      TensorSpec *t = &g_array_index (tensors, TensorSpec, i);

      put_str (header, t->name, strlen (t->name));
      put_u32 (header, t->n_dims);
      for (guint d = 0; d < t->n_dims; d++)
        put_u64 (header, t->ne[d]);
      put_u32 (header, t->type);
      put_u64 (header, t->offset);
    }
  g_byte_array_append (header, zeros, (ALIGNMENT - header->len % ALIGNMENT) % ALIGNMENT);

  f = fopen (o->out_path, "wb");
  if (f == NULL || fwrite (header->data, 1, header->len, f) != header->len)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_IO, "cannot write %s", o->out_path);
      if (f != NULL)
        fclose (f);
      return 1;
    }
  for (guint i = 0; i < tensors->len; i++)
    if (!write_tensor (f, &g_array_index (tensors, TensorSpec, i), i, (guint64) o->seed, error))
      {
        fclose (f);
        return 1;
      }
  if (fclose (f) != 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_IO, "cannot write %s", o->out_path);
      return 1;
    }
  printf ("%s: %s %s, %u tokens, %.1f M parameters, %.1f MiB\n", o->out_path, arch,
          o->type_name, n_vocab, n_params / 1e6, (header->len + offset) / 1048576.0);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  Options o = {
    .n_embd = 256, .n_layer = 2, .n_head = 4, .n_head_kv = 2, .n_ff = 768, .n_ctx = 2048,
    .seed = 1234, .embd_scale = EMBD_SCALE_DEFAULT, .output_scale = 1.0,
    .anti_self = ANTI_SELF_DEFAULT,
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  int status;
  GOptionEntry entries[] = {
    { "arch", 'a', 0, G_OPTION_ARG_STRING, &o.arch, "llama or qwen2", "ARCH" },
    { "type", 't', 0, G_OPTION_ARG_STRING, &o.type_name,
      "f32 f16 bf16 q8_0 q4_0 q4_1 q5_0 q5_1 q4_k q5_k q6_k q4_k_m", "TYPE" },
    { "vocab", 'v', 0, G_OPTION_ARG_FILENAME, &o.vocab_path,
      "GGUF whose tokenizer.* keys are copied", "FILE" },
    { "n-vocab", 0, 0, G_OPTION_ARG_INT, &o.n_vocab, "pad the vocabulary to N tokens", "N" },
    { "embd", 0, 0, G_OPTION_ARG_INT, &o.n_embd, "embedding size (256)", "N" },
    { "layers", 0, 0, G_OPTION_ARG_INT, &o.n_layer, "blocks (2)", "N" },
    { "heads", 0, 0, G_OPTION_ARG_INT, &o.n_head, "attention heads (4)", "N" },
    { "kv-heads", 0, 0, G_OPTION_ARG_INT, &o.n_head_kv, "key/value heads (2)", "N" },
    { "ff", 0, 0, G_OPTION_ARG_INT, &o.n_ff, "feed-forward size (768)", "N" },
    { "ctx", 0, 0, G_OPTION_ARG_INT, &o.n_ctx, "context_length (2048)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o.seed, "random seed (1234)", "S" },
    { "embd-scale", 0, 0, G_OPTION_ARG_DOUBLE, &o.embd_scale,
      "token embeddings' deviation in units of 0.02 (" G_STRINGIFY (EMBD_SCALE_DEFAULT) ")", "X" },
    { "output-scale", 0, 0, G_OPTION_ARG_DOUBLE, &o.output_scale,
      "output weights' deviation in units of 0.02 (1)", "X" },
    { "output-spread", 0, 0, G_OPTION_ARG_DOUBLE, &o.output_spread,
      "scale each output row by exp (X N(0, 1)): heavy-tailed logits whose argmax float "
      "rounding rarely flips (0)", "X" },
    { "anti-self", 0, 0, G_OPTION_ARG_DOUBLE, &o.anti_self,
      "subtract X times each token's embedding (at the output's scale) from its output row, "
      "so a token rarely predicts itself (" G_STRINGIFY (ANTI_SELF_DEFAULT) ")", "X" },
    { "tied", 0, 0, G_OPTION_ARG_NONE, &o.tied, "no output.weight (tied embeddings)", NULL },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &o.out_path, "output file", "FILE" },
    { NULL },
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "Write a random-weight llama/qwen2 GGUF model.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "sc-gen-model: %s\n", error->message);
      return 2;
    }
  if (o.arch == NULL || o.type_name == NULL || o.vocab_path == NULL || o.out_path == NULL)
    {
      fprintf (stderr, "sc-gen-model: --arch, --type, --vocab and --out are required\n");
      return 2;
    }
  status = run (&o, &error);
  if (status != 0)
    fprintf (stderr, "sc-gen-model: %s\n", error != NULL ? error->message : "failed");
  g_free (o.arch);
  g_free (o.type_name);
  g_free (o.vocab_path);
  g_free (o.out_path);
  return status;
}
