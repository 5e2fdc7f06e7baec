/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-tokenizer-gguf.c: builds an ScTokenizer from a GGUF file's tokenizer.ggml.* metadata,
 * with llama.cpp's defaults for what a file leaves out (llama_vocab::impl::load). */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <string.h>

#include "sc-error.h"
#include "sc-gguf.h"
#include "sc-tokenizer-private.h"

#define KEY_MODEL       "tokenizer.ggml.model"
#define KEY_PRE         "tokenizer.ggml.pre"
#define KEY_TOKENS      "tokenizer.ggml.tokens"
#define KEY_SCORES      "tokenizer.ggml.scores"
#define KEY_TOKEN_TYPE  "tokenizer.ggml.token_type"
#define KEY_MERGES      "tokenizer.ggml.merges"
#define KEY_BOS         "tokenizer.ggml.bos_token_id"
#define KEY_EOS         "tokenizer.ggml.eos_token_id"
#define KEY_UNK         "tokenizer.ggml.unknown_token_id"
#define KEY_PAD         "tokenizer.ggml.padding_token_id"
#define KEY_ADD_BOS     "tokenizer.ggml.add_bos_token"
#define KEY_ADD_EOS     "tokenizer.ggml.add_eos_token"
#define KEY_ADD_PREFIX  "tokenizer.ggml.add_space_prefix"
#define KEY_CLS         "tokenizer.ggml.cls_token_id"
#define KEY_SEP         "tokenizer.ggml.seperator_token_id"

/* tokenizer.ggml.pre values whose splitting Sichtung reproduces exactly, and as which kind.
 * Other names llama.cpp knows use other expressions or normalisations and are refused. */
static const struct
{
  const char     *name;
  ScTokenizerPre  pre;
} pre_names[] = {
  { "default", SC_TOKENIZER_PRE_DEFAULT },
  { "gpt-2", SC_TOKENIZER_PRE_GPT2 },
  { "phi-2", SC_TOKENIZER_PRE_GPT2 },
  { "mpt", SC_TOKENIZER_PRE_GPT2 },
  { "olmo", SC_TOKENIZER_PRE_GPT2 },
  { "jina-es", SC_TOKENIZER_PRE_GPT2 },
  { "jina-de", SC_TOKENIZER_PRE_GPT2 },
  { "jina-v2-es", SC_TOKENIZER_PRE_GPT2 },
  { "jina-v2-de", SC_TOKENIZER_PRE_GPT2 },
  { "llama3", SC_TOKENIZER_PRE_LLAMA3 },
  { "llama-v3", SC_TOKENIZER_PRE_LLAMA3 },
  { "llama-bpe", SC_TOKENIZER_PRE_LLAMA3 },
  { "falcon3", SC_TOKENIZER_PRE_LLAMA3 },
  { "falcon-h1", SC_TOKENIZER_PRE_LLAMA3 },
  { "pixtral", SC_TOKENIZER_PRE_LLAMA3 },
  { "midm-2.0", SC_TOKENIZER_PRE_LLAMA3 },
  { "lfm2", SC_TOKENIZER_PRE_LLAMA3 },
  { "qwen2", SC_TOKENIZER_PRE_QWEN2 },
  { "deepseek-r1-qwen", SC_TOKENIZER_PRE_QWEN2 },
  { "megrez", SC_TOKENIZER_PRE_QWEN2 },
  { "stablelm2", SC_TOKENIZER_PRE_QWEN2 },
  { "hunyuan", SC_TOKENIZER_PRE_QWEN2 },
};

/* An optional numeric array of at least @n_tokens elements; *@data is NULL when absent. */
static gboolean
get_optional_array (ScGguf         *gguf,
                    const char     *key,
                    ScGgufType      want1,
                    ScGgufType      want2,
                    guint           n_tokens,
                    gconstpointer  *data,
                    ScGgufType     *got,
                    GError        **error)
{
  ScGgufType type;
  gsize n;

  *data = NULL;
  if (!sc_gguf_has_key (gguf, key))
    return TRUE;
  if (!sc_gguf_get_array (gguf, key, &type, &n, error))
    return FALSE;
  if (type != want1 && type != want2)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   "%s holds %s elements, expected %s", key, sc_gguf_type_name (type),
                   sc_gguf_type_name (want1));
      return FALSE;
    }
  if (n < n_tokens)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   "%s has %" G_GSIZE_FORMAT " elements for %u tokens", key, n, n_tokens);
      return FALSE;
    }
  *got = type;
  *data = sc_gguf_get_array_data (gguf, key, type, &n, error);
  return *data != NULL;
}

/* Reads an id key into @id when present; @id keeps its default otherwise. */
static gboolean
get_token_id (ScGguf      *gguf,
              const char  *key,
              guint        n_tokens,
              gint32      *id,
              GError     **error)
{
  guint64 value;

  if (!sc_gguf_has_key (gguf, key))
    return TRUE;
  if (!sc_gguf_get_uint (gguf, key, &value, error))
    return FALSE;
  if (value >= n_tokens)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   "%s is %" G_GUINT64_FORMAT ", outside the vocabulary of %u tokens",
                   key, value, n_tokens);
      return FALSE;
    }
  *id = (gint32) value;
  return TRUE;
}

static gboolean
get_optional_bool (ScGguf      *gguf,
                   const char  *key,
                   gboolean    *value,
                   GError     **error)
{
  if (!sc_gguf_has_key (gguf, key))
    return TRUE;
  return sc_gguf_get_bool (gguf, key, value, error);
}

/**
 * sc_tokenizer_new_from_gguf:
 * @gguf: an open model file
 * @error: return location for an error
 *
 * Reads tokenizer.ggml.model ("llama", "gpt2" or "bert"), .pre, .tokens, .scores, .token_type,
 * .merges, the BOS/EOS/unknown/padding ids and the add_bos/add_eos/add_space_prefix flags.
 * Missing optional keys take llama.cpp's defaults (SPM: BOS 1, EOS 2, unknown 0, add_bos and a
 * space prefix; BPE: add_bos only for llama3; WordPiece: [CLS] and [SEP] as BOS and EOS, from
 * .cls_token_id and .seperator_token_id, as llama.cpp reads BERT files). Fails with
 * %SC_ERROR_CORRUPT when keys are missing, hold the wrong types, or name ids outside the vocabulary (a padding id outside it is
 * ignored), and with %SC_ERROR_NOT_SUPPORTED for other tokenizer models or pre-tokenizers.
 */
ScTokenizer *
sc_tokenizer_new_from_gguf (ScGguf  *gguf,
                            GError **error)
{
  ScVocab vocab = { 0 };
  const char *model;
  const char *pre = NULL;
  const char *const *tokens;
  const gsize *lengths = NULL;
  gsize n_tokens, n_merges = 0;
  ScGgufType type;
  gconstpointer scores_raw, types_raw;
  g_autofree float *scores = NULL;
  gint32 pad_id = -1;

  g_return_val_if_fail (gguf != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!sc_gguf_has_key (gguf, KEY_MODEL))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   "The model file has no tokenizer (" KEY_MODEL " is missing)");
      return NULL;
    }
  model = sc_gguf_get_string (gguf, KEY_MODEL, error);
  if (model == NULL)
    return NULL;
  if (g_str_equal (model, "llama"))
    vocab.model = SC_TOKENIZER_MODEL_SPM;
  else if (g_str_equal (model, "gpt2"))
    vocab.model = SC_TOKENIZER_MODEL_BPE;
  else if (g_str_equal (model, "bert"))
    vocab.model = SC_TOKENIZER_MODEL_WPM;
  else
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   "Tokenizer model “%s” is not supported (only “llama”, “gpt2” and “bert”)",
                   model);
      return NULL;
    }

  if (sc_gguf_has_key (gguf, KEY_PRE))
    {
      pre = sc_gguf_get_string (gguf, KEY_PRE, error);
      if (pre == NULL)
        return NULL;
    }
  vocab.pre = SC_TOKENIZER_PRE_DEFAULT;
  if (vocab.model == SC_TOKENIZER_MODEL_BPE && pre != NULL)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (pre_names) && !found; i++)
        {
          if (g_str_equal (pre, pre_names[i].name))
            {
              vocab.pre = pre_names[i].pre;
              found = TRUE;
            }
        }
      if (!found)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                       "Pre-tokenizer “%s” is not supported", pre);
          return NULL;
        }
    }

  if (!sc_gguf_has_key (gguf, KEY_TOKENS))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   "The model file has no vocabulary (" KEY_TOKENS " is missing)");
      return NULL;
    }
  if (!sc_gguf_get_array (gguf, KEY_TOKENS, &type, &n_tokens, error))
    return NULL;
  if (type != SC_GGUF_TYPE_STRING)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   KEY_TOKENS " holds %s elements, expected strings", sc_gguf_type_name (type));
      return NULL;
    }
  if (n_tokens == 0 || n_tokens > G_MAXINT32)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   KEY_TOKENS " has %" G_GSIZE_FORMAT " tokens", n_tokens);
      return NULL;
    }
  tokens = sc_gguf_get_string_array (gguf, KEY_TOKENS, &n_tokens, &lengths, error);
  if (tokens == NULL)
    return NULL;
  for (gsize i = 0; i < n_tokens; i++)
    {
      if (lengths != NULL && lengths[i] != strlen (tokens[i]))
        {
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                       "Token %" G_GSIZE_FORMAT " contains a NUL byte", i);
          return NULL;
        }
    }
  vocab.n_tokens = (guint) n_tokens;
  vocab.tokens = tokens;

  if (!get_optional_array (gguf, KEY_SCORES, SC_GGUF_TYPE_FLOAT32, SC_GGUF_TYPE_INT32,
                           vocab.n_tokens, &scores_raw, &type, error))
    return NULL;
  if (scores_raw != NULL && type == SC_GGUF_TYPE_INT32)
    {
      /* llama.cpp accepts integer scores too */
      scores = g_new (float, vocab.n_tokens);
      for (guint i = 0; i < vocab.n_tokens; i++)
        scores[i] = (float) ((const gint32 *) scores_raw)[i];
      vocab.scores = scores;
    }
  else
    vocab.scores = scores_raw;

  if (!get_optional_array (gguf, KEY_TOKEN_TYPE, SC_GGUF_TYPE_INT32, SC_GGUF_TYPE_INT32,
                           vocab.n_tokens, &types_raw, &type, error))
    return NULL;
  vocab.token_types = types_raw;

  if (vocab.model == SC_TOKENIZER_MODEL_BPE)
    {
      if (!sc_gguf_has_key (gguf, KEY_MERGES))
        {
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                       "The BPE vocabulary has no merges (" KEY_MERGES " is missing)");
          return NULL;
        }
      if (!sc_gguf_get_array (gguf, KEY_MERGES, &type, &n_merges, error))
        return NULL;
      if (type != SC_GGUF_TYPE_STRING)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                       KEY_MERGES " holds %s elements, expected strings",
                       sc_gguf_type_name (type));
          return NULL;
        }
      vocab.merges = sc_gguf_get_string_array (gguf, KEY_MERGES, &n_merges, NULL, error);
      if (vocab.merges == NULL)
        return NULL;
      if (n_merges > G_MAXINT32)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT, "Too many merges");
          return NULL;
        }
      vocab.n_merges = (guint) n_merges;
    }

  /* llama.cpp's defaults, dropped when outside the vocabulary */
  if (vocab.model == SC_TOKENIZER_MODEL_SPM)
    {
      vocab.bos_id = 1;
      vocab.eos_id = 2;
      vocab.unk_id = 0;
      vocab.add_bos = TRUE;
      vocab.add_space_prefix = TRUE;
    }
  else if (vocab.model == SC_TOKENIZER_MODEL_WPM)
    {
      /* llama.cpp's BERT defaults: [UNK] 100, [CLS] 101, [SEP] 102 */
      vocab.bos_id = 101;
      vocab.eos_id = 102;
      vocab.unk_id = 100;
      vocab.add_bos = TRUE;
      vocab.add_eos = TRUE;
      vocab.add_space_prefix = FALSE;
    }
  else
    {
      vocab.bos_id = 11;
      vocab.eos_id = 11;
      vocab.unk_id = -1;
      vocab.add_bos = vocab.pre == SC_TOKENIZER_PRE_LLAMA3;
      vocab.add_space_prefix = FALSE;
    }
  if (vocab.bos_id >= (gint32) vocab.n_tokens)
    vocab.bos_id = -1;
  if (vocab.eos_id >= (gint32) vocab.n_tokens)
    vocab.eos_id = -1;
  if (vocab.unk_id >= (gint32) vocab.n_tokens)
    vocab.unk_id = -1;
  vocab.pad_id = -1;

  if (vocab.model == SC_TOKENIZER_MODEL_WPM &&
      (!get_token_id (gguf, KEY_CLS, vocab.n_tokens, &vocab.bos_id, error) ||
       !get_token_id (gguf, KEY_SEP, vocab.n_tokens, &vocab.eos_id, error)))
    return NULL;
  if (!get_token_id (gguf, KEY_BOS, vocab.n_tokens, &vocab.bos_id, error) ||
      !get_token_id (gguf, KEY_EOS, vocab.n_tokens, &vocab.eos_id, error) ||
      !get_token_id (gguf, KEY_UNK, vocab.n_tokens, &vocab.unk_id, error))
    return NULL;
  /* converters do write padding ids one past the vocabulary; nothing here depends on it */
  if (!get_token_id (gguf, KEY_PAD, vocab.n_tokens, &pad_id, NULL))
    pad_id = -1;
  vocab.pad_id = pad_id;

  if (!get_optional_bool (gguf, KEY_ADD_BOS, &vocab.add_bos, error) ||
      !get_optional_bool (gguf, KEY_ADD_EOS, &vocab.add_eos, error) ||
      !get_optional_bool (gguf, KEY_ADD_PREFIX, &vocab.add_space_prefix, error))
    return NULL;
  if (vocab.model == SC_TOKENIZER_MODEL_WPM)
    vocab.add_space_prefix = FALSE;

  return sc_tokenizer_new (&vocab, error);
}
