/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-encoder.c: loading "bert" GGUF encoders with a token-classification head, and their
 * forward pass over a batch of packed sequences as one op graph (see sc-encoder.h). */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-encoder.h"
#include "sc-error.h"
#include "sc-weights-private.h"

typedef struct
{
  ScTensor *wq, *bq;         /* [n_embd, n_embd], [n_embd] */
  ScTensor *wk, *bk;
  ScTensor *wv, *bv;
  ScTensor *wo, *bo;
  ScTensor *ln1_w, *ln1_b;   /* attn_output_norm: [n_embd] */
  ScTensor *w_up, *b_up;     /* [n_embd, n_ff], [n_ff] */
  ScTensor *w_down, *b_down; /* [n_ff, n_embd], [n_embd] */
  ScTensor *ln2_w, *ln2_b;   /* layer_output_norm: [n_embd] */
} ScEncoderLayer;

struct _ScEncoder
{
  gatomicrefcount   ref_count;
  ScGguf           *gguf;
  ScBackend        *backend;
  ScEncoderHparams  hp;
  ScTokenizer      *tokenizer;
  GPtrArray        *tensors;     /* ScTensor*: everything created on the backend */

  ScTensor         *tok_embd;    /* [n_embd, n_vocab] */
  ScTensor         *pos_embd;    /* [n_embd, n_ctx] */
  ScTensor         *type0;       /* [n_embd] F32: row 0 of token_types.weight */
  ScTensor         *feat_embd;   /* [n_embd, n_features] or NULL */
  ScTensor         *embd_norm_w; /* [n_embd] */
  ScTensor         *embd_norm_b;
  ScEncoderLayer   *layers;      /* [n_layer] */
  ScTensor         *cls_w;       /* [n_embd, n_out]; NULL for an embedding model */
  ScTensor         *cls_b;       /* [n_out] */
  ScPooling         pooling;
  gboolean          lowercase;   /* the vocabulary has no capital letters: lower-case input */
};

/* ---------------------------------------------------------------- hyperparameters */

/* A required count that must not be 0. */
static gboolean
get_uint (ScGguf      *gguf,
          const char  *key,
          guint       *value,
          GError     **error)
{
  if (!_sc_gguf_get_count (gguf, key, TRUE, 0, value, error))
    return FALSE;
  if (*value == 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The metadata key “%s” holds an implausible value "
                     "(%" PRIu64 ")"),
                   key, (guint64) 0);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_hparams (ScEncoder  *enc,
              GError    **error)
{
  ScGguf *gguf = enc->gguf;
  ScEncoderHparams *hp = &enc->hp;
  const char *eps_key = "bert.attention.layer_norm_epsilon";
  double eps = 0;

  if (!get_uint (gguf, "bert.context_length", &hp->n_ctx, error) ||
      !get_uint (gguf, "bert.embedding_length", &hp->n_embd, error) ||
      !get_uint (gguf, "bert.block_count", &hp->n_layer, error) ||
      !get_uint (gguf, "bert.feed_forward_length", &hp->n_ff, error) ||
      !get_uint (gguf, "bert.attention.head_count", &hp->n_head, error))
    return FALSE;
  if (hp->n_embd % hp->n_head != 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model’s attention sizes are invalid (embedding %u, %u heads)"),
                   hp->n_embd, hp->n_head);
      return FALSE;
    }
  hp->head_dim = hp->n_embd / hp->n_head;

  if (!sc_gguf_has_key (gguf, eps_key))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model file lacks the metadata key “%s”"), eps_key);
      return FALSE;
    }
  if (sc_gguf_get_kv_type (gguf, sc_gguf_find_key (gguf, eps_key)) == SC_GGUF_TYPE_FLOAT64)
    {
      if (!sc_gguf_get_f64 (gguf, eps_key, &eps, error))
        return FALSE;
    }
  else
    {
      float f = 0;

      if (!sc_gguf_get_f32 (gguf, eps_key, &f, error))
        return FALSE;
      eps = f;
    }
  if (!isfinite (eps) || eps < 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The metadata key “%s” is not a finite number"), eps_key);
      return FALSE;
    }
  hp->norm_eps = (float) eps;

  /* Per-token outputs of a bidirectional encoder, nothing else. */
  if (sc_gguf_has_key (gguf, "bert.attention.causal"))
    {
      gboolean causal = FALSE;

      if (!sc_gguf_get_bool (gguf, "bert.attention.causal", &causal, error))
        return FALSE;
      if (causal)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                       _("Causal encoder models are not supported"));
          return FALSE;
        }
    }
  if (sc_gguf_has_key (gguf, "bert.pooling_type"))
    {
      guint64 pooling = 0;

      if (!sc_gguf_get_uint (gguf, "bert.pooling_type", &pooling, error))
        return FALSE;
      if (pooling != SC_POOLING_NONE && pooling != SC_POOLING_MEAN &&
          pooling != SC_POOLING_CLS)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                     _("Only per-token outputs and mean or first-token pooling are supported"));
          return FALSE;
        }
      enc->pooling = (ScPooling) pooling;
    }
  return TRUE;
}

/* ---------------------------------------------------------------- weights */

/* The weight @name, which must have shape [@ne0, @ne1] (@ne1 = 1 for vectors; @ne1 = 0 accepts
 * any number of rows). @want_f32: the graph reads it as F32 (norms, biases). */
static gboolean
load_weight (ScEncoder   *enc,
             const char  *name,
             gint64       ne0,
             gint64       ne1,
             gboolean     want_f32,
             ScTensor   **out,
             GError     **error)
{
  if (!_sc_weight_load (enc->backend, enc->gguf, name, ne0, ne1, FALSE, want_f32, out, NULL,
                        error))
    return FALSE;
  g_ptr_array_add (enc->tensors, *out);
  return TRUE;
}

static gboolean
load_weights (ScEncoder  *enc,
              GError    **error)
{
  ScEncoderHparams *hp = &enc->hp;
  const gint64 n_embd = hp->n_embd, n_ff = hp->n_ff;
  const ScGgufTensor *types, *cls;

  if (!load_weight (enc, "token_embd.weight", n_embd, 0, FALSE, &enc->tok_embd, error) ||
      !load_weight (enc, "position_embd.weight", n_embd, 0, FALSE, &enc->pos_embd, error) ||
      !load_weight (enc, "token_embd_norm.weight", n_embd, 1, TRUE, &enc->embd_norm_w, error) ||
      !load_weight (enc, "token_embd_norm.bias", n_embd, 1, TRUE, &enc->embd_norm_b, error))
    return FALSE;
  if (enc->tok_embd->ne[1] > G_MAXINT32)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("Tensor “%s” has too many rows"), "token_embd.weight");
      return FALSE;
    }
  hp->n_vocab = (guint) enc->tok_embd->ne[1];
  /* positions beyond the table have no embedding */
  hp->n_ctx = (guint) MIN ((gint64) hp->n_ctx, enc->pos_embd->ne[1]);

  /* A tagger trained with gazetteer-match features has a vector per feature id. */
  if (sc_gguf_find_tensor (enc->gguf, "gazetteer_embd.weight") != NULL)
    {
      if (!load_weight (enc, "gazetteer_embd.weight", n_embd, 0, FALSE, &enc->feat_embd, error))
        return FALSE;
      if (enc->feat_embd->ne[1] > 65536)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                       _("Tensor “%s” has too many rows"), "gazetteer_embd.weight");
          return FALSE;
        }
      hp->n_features = (guint) enc->feat_embd->ne[1];
    }

  /* Every token has type 0: only that row is used, as a bias. */
  types = sc_gguf_require_tensor (enc->gguf, "token_types.weight", error);
  if (types == NULL)
    return FALSE;
  if (types->ne[0] != n_embd || types->ne[1] < 1 || types->ne[2] != 1 || types->ne[3] != 1)
    {
      gint64 want[2] = { n_embd, 2 };
      g_autofree char *have_s = _sc_format_shape (types->ne, types->n_dims);
      g_autofree char *want_s = _sc_format_shape (want, 2);

      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("Tensor “%s” has the shape %s, expected %s"), types->name, have_s, want_s);
      return FALSE;
    }
  enc->type0 = _sc_weight_to_f32 (enc->backend, types, n_embd, error);
  if (enc->type0 == NULL)
    return FALSE;
  g_ptr_array_add (enc->tensors, enc->type0);

  /* An embedding model ends in its last layer's states; a tagger in its classifier. */
  if (enc->pooling != SC_POOLING_NONE && sc_gguf_find_tensor (enc->gguf, "cls.weight") == NULL)
    hp->n_out = hp->n_embd;
  else
    {
      cls = sc_gguf_require_tensor (enc->gguf, "cls.weight", error);
      if (cls == NULL)
        return FALSE;
      if (cls->ne[1] <= 0 || cls->ne[1] > 65536)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                       _("Tensor “%s” has an implausible number of classes"), "cls.weight");
          return FALSE;
        }
      hp->n_out = (guint) cls->ne[1];
      if (!load_weight (enc, "cls.weight", n_embd, hp->n_out, FALSE, &enc->cls_w, error) ||
          !load_weight (enc, "cls.bias", hp->n_out, 1, TRUE, &enc->cls_b, error))
        return FALSE;
    }

  enc->layers = g_new0 (ScEncoderLayer, hp->n_layer);
  for (guint l = 0; l < hp->n_layer; l++)
    {
      ScEncoderLayer *layer = &enc->layers[l];
      struct
      {
        const char *suffix;
        gint64      ne0, ne1;
        gboolean    want_f32;
        ScTensor  **out;
      } specs[] = {
        { "attn_q.weight", n_embd, n_embd, FALSE, &layer->wq },
        { "attn_q.bias", n_embd, 1, TRUE, &layer->bq },
        { "attn_k.weight", n_embd, n_embd, FALSE, &layer->wk },
        { "attn_k.bias", n_embd, 1, TRUE, &layer->bk },
        { "attn_v.weight", n_embd, n_embd, FALSE, &layer->wv },
        { "attn_v.bias", n_embd, 1, TRUE, &layer->bv },
        { "attn_output.weight", n_embd, n_embd, FALSE, &layer->wo },
        { "attn_output.bias", n_embd, 1, TRUE, &layer->bo },
        { "attn_output_norm.weight", n_embd, 1, TRUE, &layer->ln1_w },
        { "attn_output_norm.bias", n_embd, 1, TRUE, &layer->ln1_b },
        { "ffn_up.weight", n_embd, n_ff, FALSE, &layer->w_up },
        { "ffn_up.bias", n_ff, 1, TRUE, &layer->b_up },
        { "ffn_down.weight", n_ff, n_embd, FALSE, &layer->w_down },
        { "ffn_down.bias", n_embd, 1, TRUE, &layer->b_down },
        { "layer_output_norm.weight", n_embd, 1, TRUE, &layer->ln2_w },
        { "layer_output_norm.bias", n_embd, 1, TRUE, &layer->ln2_b },
      };

      for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
        {
          char name[96];

          g_snprintf (name, sizeof name, "blk.%u.%s", l, specs[i].suffix);
          if (!load_weight (enc, name, specs[i].ne0, specs[i].ne1, specs[i].want_f32,
                            specs[i].out, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* ---------------------------------------------------------------- loading */

/* Uncased models (most English sentence-embedding models) have no capital letter in any
 * piece; their input must be lower-cased as their tokenizer did in training. */
static gboolean
vocabulary_has_capitals (ScTokenizer *tok)
{
  guint n = sc_tokenizer_get_n_tokens (tok);

  for (guint i = 0; i < n; i++)
    {
      const char *text = sc_tokenizer_get_token_text (tok, (gint32) i);
      ScTokenType type = sc_tokenizer_get_token_type (tok, (gint32) i);

      if (text == NULL || type == SC_TOKEN_TYPE_CONTROL || type == SC_TOKEN_TYPE_UNKNOWN)
        continue;
      for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
        if (g_unichar_isupper (g_utf8_get_char (p)))
          return TRUE;
    }
  return FALSE;
}

static void
encoder_free (ScEncoder *enc)
{
  if (enc->tensors != NULL)
    {
      for (guint i = 0; i < enc->tensors->len; i++)
        sc_backend_tensor_free (enc->backend, g_ptr_array_index (enc->tensors, i));
      g_ptr_array_unref (enc->tensors);
    }
  g_free (enc->layers);
  g_clear_pointer (&enc->tokenizer, sc_tokenizer_unref);
  g_clear_object (&enc->backend);
  g_clear_pointer (&enc->gguf, sc_gguf_free);
  g_free (enc);
}

ScEncoder *
sc_encoder_load_gguf (ScGguf     *gguf,
                      ScBackend  *backend,
                      GError    **error)
{
  ScEncoder *enc;
  const char *arch;

  g_return_val_if_fail (gguf != NULL, NULL);
  g_return_val_if_fail (SC_IS_BACKEND (backend), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  enc = g_new0 (ScEncoder, 1);
  g_atomic_ref_count_init (&enc->ref_count);
  enc->gguf = gguf;
  enc->backend = g_object_ref (backend);
  enc->tensors = g_ptr_array_new ();

  arch = sc_gguf_get_arch (gguf, error);
  if (arch == NULL)
    goto fail;
  if (!g_str_equal (arch, "bert"))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   _("The model architecture “%s” is not an encoder Sichtung can run "
                     "(expected “bert”)"), arch);
      goto fail;
    }
  if (!read_hparams (enc, error))
    goto fail;

  enc->tokenizer = sc_tokenizer_new_from_gguf (gguf, error);
  if (enc->tokenizer == NULL)
    goto fail;
  if (sc_tokenizer_get_model (enc->tokenizer) != SC_TOKENIZER_MODEL_WPM)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   _("The encoder’s vocabulary is not a WordPiece vocabulary"));
      goto fail;
    }

  if (!load_weights (enc, error))
    goto fail;
  enc->lowercase = !vocabulary_has_capitals (enc->tokenizer);
  if (sc_tokenizer_get_n_tokens (enc->tokenizer) > enc->hp.n_vocab)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The vocabulary has %u tokens but the embeddings only %u rows"),
                   sc_tokenizer_get_n_tokens (enc->tokenizer), enc->hp.n_vocab);
      goto fail;
    }
  return enc;

fail:
  encoder_free (enc);
  return NULL;
}

ScEncoder *
sc_encoder_load (const char  *path,
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
  return sc_encoder_load_gguf (gguf, backend, error);
}

ScEncoder *
sc_encoder_ref (ScEncoder *encoder)
{
  g_return_val_if_fail (encoder != NULL, NULL);

  g_atomic_ref_count_inc (&encoder->ref_count);
  return encoder;
}

void
sc_encoder_unref (ScEncoder *encoder)
{
  if (encoder == NULL)
    return;
  if (g_atomic_ref_count_dec (&encoder->ref_count))
    encoder_free (encoder);
}

const ScEncoderHparams *
sc_encoder_get_hparams (ScEncoder *encoder)
{
  g_return_val_if_fail (encoder != NULL, NULL);

  return &encoder->hp;
}

ScBackend *
sc_encoder_get_backend (ScEncoder *encoder)
{
  g_return_val_if_fail (encoder != NULL, NULL);

  return encoder->backend;
}

ScGguf *
sc_encoder_get_gguf (ScEncoder *encoder)
{
  g_return_val_if_fail (encoder != NULL, NULL);

  return encoder->gguf;
}

ScTokenizer *
sc_encoder_get_tokenizer (ScEncoder *encoder)
{
  g_return_val_if_fail (encoder != NULL, NULL);

  return encoder->tokenizer;
}

/* ---------------------------------------------------------------- forward pass */

/* The per-call inputs and outputs, created for one evaluation so that several threads can
 * evaluate at once. */
typedef struct
{
  ScTensor *ids;      /* I32 [1, N] */
  ScTensor *pos;      /* I32 [1, N]: position of each token in its sequence */
  ScTensor *feat;     /* I32 [1, N]: feature id of each token (models with features) */
  ScTensor *attn;     /* F32 [n_embd, N]: the attention outputs of all sequences (several
                       * sequences only; reused by every layer) */
  ScTensor *logits;   /* F32 [n_out, N] */
} EvalTensors;

static void
eval_tensors_clear (ScBackend   *backend,
                    EvalTensors *t)
{
  sc_backend_tensor_free (backend, t->ids);
  sc_backend_tensor_free (backend, t->pos);
  sc_backend_tensor_free (backend, t->feat);
  sc_backend_tensor_free (backend, t->attn);
  sc_backend_tensor_free (backend, t->logits);
}

/* y = W x + b */
static ScTensor *
linear (ScGraph  *graph,
        ScTensor *w,
        ScTensor *b,
        ScTensor *x)
{
  return sc_graph_add (graph, sc_graph_matmul (graph, w, x), b);
}

static ScGraph *
build_graph (ScEncoder     *enc,
             EvalTensors   *t,
             const guint   *lengths,
             guint          n_seqs,
             gint64         n_tokens)
{
  const ScEncoderHparams *hp = &enc->hp;
  const gint64 D = hp->head_dim, N = n_tokens;
  const float kq_scale = 1.0f / sqrtf ((float) D);
  ScGraph *graph = sc_graph_new ();
  ScTensor *x;

  x = sc_graph_add (graph, sc_graph_get_rows (graph, enc->tok_embd, t->ids),
                    sc_graph_get_rows (graph, enc->pos_embd, t->pos));  /* [n_embd, N] */
  x = sc_graph_add (graph, x, enc->type0);
  if (enc->feat_embd != NULL)
    x = sc_graph_add (graph, x, sc_graph_get_rows (graph, enc->feat_embd, t->feat));
  x = sc_graph_layer_norm (graph, x, enc->embd_norm_w, enc->embd_norm_b, hp->norm_eps);

  for (guint l = 0; l < hp->n_layer; l++)
    {
      const ScEncoderLayer *layer = &enc->layers[l];
      ScTensor *q, *k, *v, *attn, *h;

      q = linear (graph, layer->wq, layer->bq, x);   /* [n_embd, N] */
      k = linear (graph, layer->wk, layer->bk, x);
      v = linear (graph, layer->wv, layer->bv, x);

      if (n_seqs == 1)
        {
          attn = sc_graph_attention (graph, sc_graph_reshape (graph, q, D, hp->n_head, N, 1),
                                     k, v, NULL, (int) N, FALSE, 0, kq_scale);
        }
      else
        {
          gint64 row0 = 0;

          /* Each sequence attends to its own rows only; the outputs meet in t->attn. */
          for (guint s = 0; s < n_seqs; s++)
            {
              const gint64 T = lengths[s];
              ScTensor *qs = sc_graph_view_rows (graph, q, row0, T);
              ScTensor *ks = sc_graph_view_rows (graph, k, row0, T);
              ScTensor *vs = sc_graph_view_rows (graph, v, row0, T);
              ScTensor *out;

              qs = sc_graph_reshape (graph, qs, D, hp->n_head, T, 1);
              out = sc_graph_attention (graph, qs, ks, vs, NULL, (int) T, FALSE, 0, kq_scale);
              sc_graph_copy_rows (graph, t->attn, out, row0);
              row0 += T;
            }
          attn = t->attn;
        }

      x = sc_graph_add (graph, x, linear (graph, layer->wo, layer->bo, attn));
      x = sc_graph_layer_norm (graph, x, layer->ln1_w, layer->ln1_b, hp->norm_eps);

      h = sc_graph_gelu (graph, linear (graph, layer->w_up, layer->b_up, x));   /* [n_ff, N] */
      x = sc_graph_add (graph, x, linear (graph, layer->w_down, layer->b_down, h));
      x = sc_graph_layer_norm (graph, x, layer->ln2_w, layer->ln2_b, hp->norm_eps);
    }

  /* Into a persistent tensor, so that reading it back cannot race another graph. */
  sc_graph_copy_rows (graph, t->logits,
                      enc->cls_w != NULL ? linear (graph, enc->cls_w, enc->cls_b, x) : x, 0);
  return graph;
}

gboolean
sc_encoder_eval (ScEncoder     *encoder,
                 const gint32  *ids,
                 const guint   *lengths,
                 guint          n_seqs,
                 float         *logits,
                 GError       **error)
{
  return sc_encoder_eval_features (encoder, ids, NULL, lengths, n_seqs, logits, error);
}

gboolean
sc_encoder_eval_features (ScEncoder     *encoder,
                          const gint32  *ids,
                          const gint32  *features,
                          const guint   *lengths,
                          guint          n_seqs,
                          float         *logits,
                          GError       **error)
{
  ScBackend *backend;
  const ScEncoderHparams *hp;
  EvalTensors t = { 0 };
  g_autoptr(ScGraph) graph = NULL;
  g_autofree gint32 *pos = NULL;
  gsize n_tokens = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (encoder != NULL, FALSE);
  g_return_val_if_fail (lengths != NULL || n_seqs == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  backend = encoder->backend;
  hp = &encoder->hp;
  if (n_seqs == 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT, _("No tokens to evaluate"));
      return FALSE;
    }
  for (guint s = 0; s < n_seqs; s++)
    {
      if (lengths[s] == 0 || lengths[s] > hp->n_ctx)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                       _("A sequence of %u tokens does not fit the encoder (1 to %u tokens)"),
                       lengths[s], hp->n_ctx);
          return FALSE;
        }
      n_tokens += lengths[s];
    }
  g_return_val_if_fail (ids != NULL && logits != NULL, FALSE);
  if (n_tokens > G_MAXINT32 / MAX (hp->n_ff, hp->n_out))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("Too many tokens for one evaluation (%zu)"), n_tokens);
      return FALSE;
    }
  for (gsize i = 0; i < n_tokens; i++)
    if (ids[i] < 0 || (guint) ids[i] >= hp->n_vocab)
      {
        g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                     _("Token id %d is outside the vocabulary (%zu tokens)"), ids[i],
                     (gsize) hp->n_vocab);
        return FALSE;
      }

  if (features != NULL && hp->n_features > 0)
    for (gsize i = 0; i < n_tokens; i++)
      if (features[i] < 0 || (guint) features[i] >= hp->n_features)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                       _("Feature id %d is outside the model’s %u features"), features[i],
                       hp->n_features);
          return FALSE;
        }

  pos = g_new (gint32, n_tokens);
  for (guint s = 0, i = 0; s < n_seqs; s++)
    for (guint p = 0; p < lengths[s]; p++)
      pos[i++] = (gint32) p;

  t.ids = sc_backend_tensor_new (backend, SC_TENSOR_TYPE_I32, 1, (gint64) n_tokens, 1, 1,
                                 "encoder_ids", error);
  if (t.ids == NULL)
    goto out;
  t.pos = sc_backend_tensor_new (backend, SC_TENSOR_TYPE_I32, 1, (gint64) n_tokens, 1, 1,
                                 "encoder_positions", error);
  if (t.pos == NULL)
    goto out;
  t.logits = sc_backend_tensor_new (backend, SC_TENSOR_TYPE_F32, hp->n_out, (gint64) n_tokens,
                                    1, 1, "encoder_logits", error);
  if (t.logits == NULL)
    goto out;
  if (n_seqs > 1)
    {
      t.attn = sc_backend_tensor_new (backend, SC_TENSOR_TYPE_F32, hp->n_embd,
                                      (gint64) n_tokens, 1, 1, "encoder_attention", error);
      if (t.attn == NULL)
        goto out;
    }
  if (!sc_backend_tensor_set (backend, t.ids, ids, 0, n_tokens * sizeof (gint32), error) ||
      !sc_backend_tensor_set (backend, t.pos, pos, 0, n_tokens * sizeof (gint32), error))
    goto out;
  if (encoder->feat_embd != NULL)
    {
      g_autofree gint32 *zeros = features == NULL ? g_new0 (gint32, n_tokens) : NULL;

      t.feat = sc_backend_tensor_new (backend, SC_TENSOR_TYPE_I32, 1, (gint64) n_tokens, 1, 1,
                                      "encoder_features", error);
      if (t.feat == NULL ||
          !sc_backend_tensor_set (backend, t.feat, features != NULL ? features : zeros, 0,
                                  n_tokens * sizeof (gint32), error))
        goto out;
    }

  graph = build_graph (encoder, &t, lengths, n_seqs, (gint64) n_tokens);
  if (!sc_backend_compute (backend, graph, error) ||
      !sc_backend_tensor_get (backend, t.logits, logits, 0,
                              n_tokens * hp->n_out * sizeof (float), error))
    goto out;
  ok = TRUE;

out:
  eval_tensors_clear (backend, &t);
  return ok;
}

/* ---------------------------------------------------------------- embeddings */

ScPooling
sc_encoder_get_pooling (ScEncoder *encoder)
{
  g_return_val_if_fail (encoder != NULL, SC_POOLING_NONE);
  return encoder->pooling;
}

/* Sequences per graph when embedding: enough to keep the matrix products wide. */
#define EMBED_BATCH 16

gboolean
sc_encoder_embed (ScEncoder          *encoder,
                  const char *const  *texts,
                  guint               n_texts,
                  float              *out,
                  GError            **error)
{
  g_return_val_if_fail (encoder != NULL, FALSE);
  g_return_val_if_fail (texts != NULL || n_texts == 0, FALSE);
  g_return_val_if_fail (out != NULL || n_texts == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  const ScEncoderHparams *hp = &encoder->hp;
  const guint n_embd = hp->n_embd;
  if (encoder->pooling == SC_POOLING_NONE)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   _("The encoder is not an embedding model (it has no pooling)"));
      return FALSE;
    }

  for (guint first = 0; first < n_texts; first += EMBED_BATCH)
    {
      guint n_seqs = MIN (EMBED_BATCH, n_texts - first);
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
      g_autofree guint *lengths = g_new (guint, n_seqs);

      for (guint s = 0; s < n_seqs; s++)
        {
          g_autoptr(GArray) seq = g_array_new (FALSE, FALSE, sizeof (gint32));
          g_autofree char *lower = encoder->lowercase ? g_utf8_strdown (texts[first + s], -1)
                                                      : NULL;
          const char *text = lower != NULL ? lower : texts[first + s];

          if (!sc_tokenizer_encode (encoder->tokenizer, text, -1, TRUE, FALSE, seq, error))
            return FALSE;
          /* Too long: the start of the text, still closed by [SEP]. */
          if (seq->len > hp->n_ctx)
            {
              gint32 last = g_array_index (seq, gint32, seq->len - 1);
              g_array_set_size (seq, hp->n_ctx);
              g_array_index (seq, gint32, hp->n_ctx - 1) = last;
            }
          lengths[s] = seq->len;
          g_array_append_vals (ids, seq->data, seq->len);
        }

      g_autofree float *states = g_new (float, (gsize) ids->len * n_embd);
      if (!sc_encoder_eval (encoder, (const gint32 *) ids->data, lengths, n_seqs, states, error))
        return FALSE;

      gsize row = 0;
      for (guint s = 0; s < n_seqs; s++)
        {
          float *v = out + (gsize) (first + s) * n_embd;
          if (encoder->pooling == SC_POOLING_CLS)
            memcpy (v, states + row * n_embd, n_embd * sizeof (float));
          else
            {
              memset (v, 0, n_embd * sizeof (float));
              for (guint t = 0; t < lengths[s]; t++)
                for (guint d = 0; d < n_embd; d++)
                  v[d] += states[(row + t) * n_embd + d];
              for (guint d = 0; d < n_embd; d++)
                v[d] /= (float) lengths[s];
            }
          double norm = 0;
          for (guint d = 0; d < n_embd; d++)
            norm += (double) v[d] * v[d];
          norm = sqrt (norm);
          if (norm > 0)
            for (guint d = 0; d < n_embd; d++)
              v[d] = (float) (v[d] / norm);
          row += lengths[s];
        }
    }
  return TRUE;
}
