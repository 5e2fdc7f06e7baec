/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-model.c: loading decoder models from GGUF (hyperparameters, weights, tokenizer), contexts
 * with their KV caches, and the evaluation loop that feeds tokens through the forward graph
 * of sc-model-llama.c in batches. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <inttypes.h>

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-error.h"
#include "sc-model-private.h"
#include "sc-weights-private.h"

#define DEFAULT_N_BATCH 512
#define DEFAULT_MAX_CTX 4096

/* ---------------------------------------------------------------- hyperparameters */

static gboolean
get_uint_key (ScGguf      *gguf,
              const char  *arch,
              const char  *suffix,
              gboolean     required,
              guint        fallback,
              guint       *value,
              GError     **error)
{
  g_autofree char *key = g_strdup_printf ("%s.%s", arch, suffix);

  return _sc_gguf_get_count (gguf, key, required, fallback, value, error);
}

static gboolean
get_float_key (ScGguf      *gguf,
               const char  *arch,
               const char  *suffix,
               gboolean     required,
               float        fallback,
               float       *value,
               GError     **error)
{
  g_autofree char *key = g_strdup_printf ("%s.%s", arch, suffix);
  double d = 0;

  if (!sc_gguf_has_key (gguf, key))
    {
      if (required)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                       _("The model file lacks the metadata key “%s”"), key);
          return FALSE;
        }
      *value = fallback;
      return TRUE;
    }
  if (sc_gguf_get_kv_type (gguf, sc_gguf_find_key (gguf, key)) == SC_GGUF_TYPE_FLOAT64)
    {
      if (!sc_gguf_get_f64 (gguf, key, &d, error))
        return FALSE;
      *value = (float) d;
    }
  else if (!sc_gguf_get_f32 (gguf, key, value, error))
    return FALSE;
  if (!isfinite (*value))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The metadata key “%s” is not a finite number"), key);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_hparams (ScGguf          *gguf,
              const char      *arch,
              ScModelHparams  *hp,
              GError         **error)
{
  g_autofree char *scaling_key = g_strdup_printf ("%s.rope.scaling.type", arch);
  float factor = 0;

  if (!get_uint_key (gguf, arch, "context_length", TRUE, 0, &hp->n_ctx_train, error) ||
      !get_uint_key (gguf, arch, "embedding_length", TRUE, 0, &hp->n_embd, error) ||
      !get_uint_key (gguf, arch, "block_count", TRUE, 0, &hp->n_layer, error) ||
      !get_uint_key (gguf, arch, "feed_forward_length", TRUE, 0, &hp->n_ff, error) ||
      !get_uint_key (gguf, arch, "attention.head_count", TRUE, 0, &hp->n_head, error))
    return FALSE;
  if (hp->n_embd == 0 || hp->n_layer == 0 || hp->n_ff == 0 || hp->n_head == 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model’s sizes are invalid (embedding %u, layers %u, feed-forward %u, "
                     "heads %u)"), hp->n_embd, hp->n_layer, hp->n_ff, hp->n_head);
      return FALSE;
    }
  if (!get_uint_key (gguf, arch, "attention.head_count_kv", FALSE, hp->n_head, &hp->n_head_kv,
                     error) ||
      !get_uint_key (gguf, arch, "attention.key_length", FALSE, hp->n_embd / hp->n_head,
                     &hp->head_dim, error))
    return FALSE;
  if (!get_uint_key (gguf, arch, "rope.dimension_count", FALSE, hp->head_dim, &hp->n_rot,
                     error) ||
      !get_float_key (gguf, arch, "attention.layer_norm_rms_epsilon", TRUE, 0, &hp->norm_eps,
                      error) ||
      !get_float_key (gguf, arch, "rope.freq_base", FALSE, 10000.0f, &hp->rope_freq_base,
                      error))
    return FALSE;
  if (hp->n_head_kv == 0 || hp->n_head % hp->n_head_kv != 0 || hp->head_dim == 0 ||
      hp->n_rot == 0 || hp->n_rot > hp->head_dim || hp->n_rot % 2 != 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model’s attention sizes are invalid (%u heads, %u key/value heads, "
                     "head size %u, rotary dimensions %u)"),
                   hp->n_head, hp->n_head_kv, hp->head_dim, hp->n_rot);
      return FALSE;
    }

  /* Linear rope scaling, as llama.cpp reads it: the factor, else the older scale_linear key. */
  if (sc_gguf_has_key (gguf, scaling_key))
    {
      const char *type = sc_gguf_get_string (gguf, scaling_key, error);

      if (type == NULL)
        return FALSE;
      if (!g_str_equal (type, "none") && !g_str_equal (type, "linear"))
        {
          g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                       _("Rope scaling “%s” is not supported"), type);
          return FALSE;
        }
    }
  if (!get_float_key (gguf, arch, "rope.scaling.factor", FALSE, 0, &factor, error))
    return FALSE;
  if (factor == 0 && !get_float_key (gguf, arch, "rope.scale_linear", FALSE, 0, &factor, error))
    return FALSE;
  if (factor < 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The rope scaling factor %g is invalid"), factor);
      return FALSE;
    }
  hp->rope_freq_scale = factor == 0 ? 1.0f : 1.0f / factor;
  hp->rope_mode = hp->arch == SC_MODEL_ARCH_QWEN2 ? SC_ROPE_NEOX : SC_ROPE_NORMAL;
  return TRUE;
}

/* ---------------------------------------------------------------- weights */

/* The weight @name, which must have shape [@ne0, @ne1] (@ne1 = 1 for vectors). With
 * @optional, a missing tensor gives TRUE and *@out = NULL. @want_f32: the graph reads it as
 * F32 (norms, biases). */
static gboolean
load_weight (ScModel     *model,
             const char  *name,
             gint64       ne0,
             gint64       ne1,
             gboolean     optional,
             gboolean     want_f32,
             ScTensor   **out,
             GError     **error)
{
  const ScGgufTensor *src = NULL;

  if (!_sc_weight_load (model->backend, model->gguf, name, ne0, ne1, optional, want_f32, out,
                        &src, error))
    return FALSE;
  if (*out == NULL)
    return TRUE;
  g_ptr_array_add (model->tensors, *out);
  model->n_bytes += src->n_bytes;
  model->n_params += (guint64) src->n_elements;
  return TRUE;
}

static gboolean
load_weights (ScModel  *model,
              GError  **error)
{
  const ScModelHparams *hp = &model->hp;
  const gint64 n_embd = hp->n_embd, n_ff = hp->n_ff, n_vocab = hp->n_vocab;
  const gint64 n_q = (gint64) hp->n_head * hp->head_dim;
  const gint64 n_kv = (gint64) hp->n_head_kv * hp->head_dim;
  const gboolean biases = hp->arch == SC_MODEL_ARCH_QWEN2;

  if (!load_weight (model, "token_embd.weight", n_embd, n_vocab, FALSE, FALSE,
                    &model->tok_embd, error) ||
      !load_weight (model, "output_norm.weight", n_embd, 1, FALSE, TRUE, &model->output_norm,
                    error) ||
      !load_weight (model, "output.weight", n_embd, n_vocab, TRUE, FALSE, &model->output, error))
    return FALSE;
  if (model->output == NULL)
    {
      model->output = model->tok_embd;
      model->hp.tied_output = TRUE;
    }

  model->layers = g_new0 (ScModelLayer, hp->n_layer);
  for (guint l = 0; l < hp->n_layer; l++)
    {
      ScModelLayer *layer = &model->layers[l];
      struct
      {
        const char *suffix;
        gint64      ne0, ne1;
        gboolean    optional, want_f32;
        ScTensor  **out;
      } specs[] = {
        { "attn_norm.weight", n_embd, 1, FALSE, TRUE, &layer->attn_norm },
        { "attn_q.weight", n_embd, n_q, FALSE, FALSE, &layer->wq },
        { "attn_k.weight", n_embd, n_kv, FALSE, FALSE, &layer->wk },
        { "attn_v.weight", n_embd, n_kv, FALSE, FALSE, &layer->wv },
        { "attn_q.bias", n_q, 1, !biases, TRUE, &layer->bq },
        { "attn_k.bias", n_kv, 1, !biases, TRUE, &layer->bk },
        { "attn_v.bias", n_kv, 1, !biases, TRUE, &layer->bv },
        { "attn_output.weight", n_q, n_embd, FALSE, FALSE, &layer->wo },
        { "ffn_norm.weight", n_embd, 1, FALSE, TRUE, &layer->ffn_norm },
        { "ffn_gate.weight", n_embd, n_ff, FALSE, FALSE, &layer->ffn_gate },
        { "ffn_up.weight", n_embd, n_ff, FALSE, FALSE, &layer->ffn_up },
        { "ffn_down.weight", n_ff, n_embd, FALSE, FALSE, &layer->ffn_down },
      };

      for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
        {
          char name[96];

          g_snprintf (name, sizeof name, "blk.%u.%s", l, specs[i].suffix);
          if (!load_weight (model, name, specs[i].ne0, specs[i].ne1, specs[i].optional,
                            specs[i].want_f32, specs[i].out, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* ---------------------------------------------------------------- models */

static void
model_free (ScModel *model)
{
  if (model->tensors != NULL)
    {
      for (guint i = 0; i < model->tensors->len; i++)
        sc_backend_tensor_free (model->backend, g_ptr_array_index (model->tensors, i));
      g_ptr_array_unref (model->tensors);
    }
  g_free (model->layers);
  g_clear_pointer (&model->tokenizer, sc_tokenizer_unref);
  g_clear_object (&model->backend);
  g_clear_pointer (&model->gguf, sc_gguf_free);
  g_free (model->arch_name);
  g_free (model);
}

ScModel *
sc_model_load_gguf (ScGguf     *gguf,
                    ScBackend  *backend,
                    GError    **error)
{
  ScModel *model;
  const char *arch;
  const ScGgufTensor *embd;

  g_return_val_if_fail (gguf != NULL, NULL);
  g_return_val_if_fail (SC_IS_BACKEND (backend), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  model = g_new0 (ScModel, 1);
  model->ref_count = 1;
  model->gguf = gguf;
  model->backend = g_object_ref (backend);
  model->tensors = g_ptr_array_new ();

  arch = sc_gguf_get_arch (gguf, error);
  if (arch == NULL)
    goto fail;
  model->arch_name = g_strdup (arch);
  if (g_str_equal (arch, "llama"))
    model->hp.arch = SC_MODEL_ARCH_LLAMA;
  else if (g_str_equal (arch, "qwen2"))
    model->hp.arch = SC_MODEL_ARCH_QWEN2;
  else
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   _("The model architecture “%s” is not supported"), arch);
      goto fail;
    }
  if (!read_hparams (gguf, arch, &model->hp, error))
    goto fail;

  embd = sc_gguf_require_tensor (gguf, "token_embd.weight", error);
  if (embd == NULL)
    goto fail;
  if (embd->n_dims != 2 || embd->ne[1] <= 0 || embd->ne[1] > G_MAXINT32)
    {
      g_autofree char *shape = _sc_format_shape (embd->ne, embd->n_dims);

      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("Tensor “%s” has the shape %s, expected [%u, vocabulary size]"),
                   "token_embd.weight", shape, model->hp.n_embd);
      goto fail;
    }
  model->hp.n_vocab = (guint) embd->ne[1];

  if (sc_gguf_has_key (gguf, "tokenizer.ggml.model"))
    {
      model->tokenizer = sc_tokenizer_new_from_gguf (gguf, error);
      if (model->tokenizer == NULL)
        goto fail;
      if (sc_tokenizer_get_n_tokens (model->tokenizer) > model->hp.n_vocab)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                       _("The vocabulary has %u tokens but the embeddings only %u rows"),
                       sc_tokenizer_get_n_tokens (model->tokenizer), model->hp.n_vocab);
          goto fail;
        }
    }

  if (!load_weights (model, error))
    goto fail;
  return model;

fail:
  model_free (model);
  return NULL;
}

ScModel *
sc_model_load (const char  *path,
               ScBackend   *backend,
               GError     **error)
{
  ScGguf *gguf;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (SC_IS_BACKEND (backend), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  gguf = sc_gguf_open (path, error);
  if (gguf == NULL)
    return NULL;
  return sc_model_load_gguf (gguf, backend, error);
}

ScModel *
sc_model_ref (ScModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  g_atomic_int_inc (&model->ref_count);
  return model;
}

void
sc_model_unref (ScModel *model)
{
  if (model == NULL)
    return;
  if (g_atomic_int_dec_and_test (&model->ref_count))
    model_free (model);
}

const ScModelHparams *
sc_model_get_hparams (ScModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return &model->hp;
}

const char *
sc_model_get_arch_name (ScModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return model->arch_name;
}

ScBackend *
sc_model_get_backend (ScModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return model->backend;
}

ScGguf *
sc_model_get_gguf (ScModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return model->gguf;
}

ScTokenizer *
sc_model_get_tokenizer (ScModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return model->tokenizer;
}

guint64
sc_model_get_n_bytes (ScModel *model)
{
  g_return_val_if_fail (model != NULL, 0);
  return model->n_bytes;
}

guint64
sc_model_get_n_params (ScModel *model)
{
  g_return_val_if_fail (model != NULL, 0);
  return model->n_params;
}

/* ---------------------------------------------------------------- contexts */

void
sc_context_params_init (ScContextParams *params)
{
  g_return_if_fail (params != NULL);
  params->n_ctx = 0;
  params->n_batch = 0;
  params->kv_type = SC_TENSOR_TYPE_F16;
}

ScContext *
sc_context_new (ScModel                *model,
                const ScContextParams  *params,
                GError                **error)
{
  ScContextParams defaults;
  const ScModelHparams *hp;
  ScContext *ctx;
  gint64 n_embd_kv;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (params == NULL)
    {
      sc_context_params_init (&defaults);
      params = &defaults;
    }
  if (params->kv_type != SC_TENSOR_TYPE_F16 && params->kv_type != SC_TENSOR_TYPE_F32)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("The key/value cache cannot hold %s values"),
                   sc_tensor_type_name (params->kv_type));
      return NULL;
    }

  hp = &model->hp;
  n_embd_kv = (gint64) hp->n_head_kv * hp->head_dim;
  ctx = g_new0 (ScContext, 1);
  ctx->model = sc_model_ref (model);
  ctx->n_ctx = params->n_ctx > 0 ? params->n_ctx : MIN (MAX (hp->n_ctx_train, 1),
                                                        DEFAULT_MAX_CTX);
  ctx->n_batch = params->n_batch > 0 ? params->n_batch : DEFAULT_N_BATCH;
  ctx->n_batch = MIN (ctx->n_batch, ctx->n_ctx);
  ctx->kv_type = params->kv_type;
  ctx->k_cache = g_new0 (ScTensor *, hp->n_layer);
  ctx->v_cache = g_new0 (ScTensor *, hp->n_layer);

  for (guint l = 0; l < hp->n_layer; l++)
    {
      char name[64];

      g_snprintf (name, sizeof name, "cache_k.%u", l);
      ctx->k_cache[l] = sc_backend_tensor_new (model->backend, ctx->kv_type, n_embd_kv,
                                               ctx->n_ctx, 1, 1, name, error);
      if (ctx->k_cache[l] == NULL)
        goto fail;
      g_snprintf (name, sizeof name, "cache_v.%u", l);
      ctx->v_cache[l] = sc_backend_tensor_new (model->backend, ctx->kv_type, n_embd_kv,
                                               ctx->n_ctx, 1, 1, name, error);
      if (ctx->v_cache[l] == NULL)
        goto fail;
    }
  ctx->ids = sc_backend_tensor_new (model->backend, SC_TENSOR_TYPE_I32, 1, ctx->n_batch, 1, 1,
                                    "token_ids", error);
  if (ctx->ids == NULL)
    goto fail;
  ctx->pos = sc_backend_tensor_new (model->backend, SC_TENSOR_TYPE_I32, 1, ctx->n_batch, 1, 1,
                                    "positions", error);
  if (ctx->pos == NULL)
    goto fail;
  return ctx;

fail:
  sc_context_free (ctx);
  return NULL;
}

void
sc_context_free (ScContext *ctx)
{
  ScBackend *backend;

  if (ctx == NULL)
    return;
  backend = ctx->model->backend;
  for (guint l = 0; l < ctx->model->hp.n_layer; l++)
    {
      sc_backend_tensor_free (backend, ctx->k_cache[l]);
      sc_backend_tensor_free (backend, ctx->v_cache[l]);
    }
  sc_backend_tensor_free (backend, ctx->ids);
  sc_backend_tensor_free (backend, ctx->pos);
  g_free (ctx->k_cache);
  g_free (ctx->v_cache);
  g_free (ctx->logits);
  sc_model_unref (ctx->model);
  g_free (ctx);
}

ScModel *
sc_context_get_model (ScContext *ctx)
{
  g_return_val_if_fail (ctx != NULL, NULL);
  return ctx->model;
}

guint
sc_context_get_n_ctx (ScContext *ctx)
{
  g_return_val_if_fail (ctx != NULL, 0);
  return ctx->n_ctx;
}

guint
sc_context_get_n_past (ScContext *ctx)
{
  g_return_val_if_fail (ctx != NULL, 0);
  return ctx->n_past;
}

void
sc_context_truncate (ScContext *ctx,
                     guint      n_past)
{
  g_return_if_fail (ctx != NULL);
  g_return_if_fail (n_past <= ctx->n_past);
  /* As in sc_context_reset(): rows at or past n_past are overwritten before they are read. */
  ctx->n_past = n_past;
  ctx->n_logit_rows = 0;
}

void
sc_context_reset (ScContext *ctx)
{
  g_return_if_fail (ctx != NULL);
  /* Cache rows past n_past are never read (attention only sees rows < n_kv), so there is
   * nothing to clear. */
  ctx->n_past = 0;
  ctx->n_logit_rows = 0;
}

const float *
sc_context_get_logits (ScContext *ctx,
                       gsize     *n_rows)
{
  g_return_val_if_fail (ctx != NULL, NULL);
  if (n_rows != NULL)
    *n_rows = ctx->n_logit_rows;
  return ctx->n_logit_rows > 0 ? ctx->logits : NULL;
}

/* ---------------------------------------------------------------- evaluation */

static gboolean
eval_chunk (ScContext     *ctx,
            const gint32  *tokens,
            guint          n,
            ScLogitsMode   mode,
            float         *logits_out,
            GError       **error)
{
  ScBackend *backend = ctx->model->backend;
  g_autoptr(ScGraph) graph = NULL;
  g_autofree gint32 *pos = g_new (gint32, n);
  ScTensor *logits = NULL;

  for (guint i = 0; i < n; i++)
    pos[i] = (gint32) (ctx->n_past + i);
  if (!sc_backend_tensor_set (backend, ctx->ids, tokens, 0, n * sizeof (gint32), error) ||
      !sc_backend_tensor_set (backend, ctx->pos, pos, 0, n * sizeof (gint32), error))
    return FALSE;

  graph = _sc_model_llama_build_graph (ctx, n, mode, &logits);
  if (graph == NULL || (mode != SC_LOGITS_NONE && logits == NULL))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_FAILED,
                   _("The model’s compute graph could not be built"));
      return FALSE;
    }
  if (!sc_backend_compute (backend, graph, error))
    return FALSE;
  if (logits != NULL &&
      !sc_backend_tensor_get (backend, logits, logits_out, 0, logits->n_bytes, error))
    return FALSE;
  ctx->n_past += n;
  return TRUE;
}

gboolean
sc_model_eval (ScContext     *ctx,
               const gint32  *tokens,
               gsize          n,
               gboolean       all_logits,
               GError       **error)
{
  const gsize n_vocab = ctx != NULL ? ctx->model->hp.n_vocab : 0;
  gsize rows;

  g_return_val_if_fail (ctx != NULL, FALSE);
  g_return_val_if_fail (tokens != NULL || n == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n == 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT, _("No tokens to evaluate"));
      return FALSE;
    }
  if (n > ctx->n_ctx - ctx->n_past)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("%zu more tokens do not fit into the context of %u tokens "
                     "(%u in use)"), n, ctx->n_ctx, ctx->n_past);
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    if (tokens[i] < 0 || (gsize) tokens[i] >= n_vocab)
      {
        g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                     _("Token id %d is outside the vocabulary (%zu tokens)"),
                     tokens[i], n_vocab);
        return FALSE;
      }

  rows = all_logits ? n : 1;
  if (ctx->logits_capacity < rows * n_vocab)
    {
      g_free (ctx->logits);
      ctx->logits = g_try_new (float, rows * n_vocab);
      ctx->logits_capacity = ctx->logits != NULL ? rows * n_vocab : 0;
      if (ctx->logits == NULL)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_FAILED,
                       _("Out of memory for the logits of %zu tokens"), rows);
          return FALSE;
        }
    }
  ctx->n_logit_rows = 0;

  for (gsize done = 0; done < n;)
    {
      guint chunk = (guint) MIN (n - done, (gsize) ctx->n_batch);
      gboolean last = done + chunk == n;
      ScLogitsMode mode = all_logits ? SC_LOGITS_ALL : last ? SC_LOGITS_LAST : SC_LOGITS_NONE;

      if (!eval_chunk (ctx, tokens + done, chunk, mode,
                       all_logits ? ctx->logits + done * n_vocab : ctx->logits, error))
        return FALSE;
      done += chunk;
    }
  ctx->n_logit_rows = rows;
  return TRUE;
}
