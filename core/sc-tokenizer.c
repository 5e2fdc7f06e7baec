/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-tokenizer.c: the vocabulary, special-token matching, encode/decode entry points and the
 * SentencePiece merge loop. The byte-level BPE side and its pre-tokenizers live in
 * sc-tokenizer-bpe.c, WordPiece in sc-tokenizer-wpm.c, the GGUF bridge in sc-tokenizer-gguf.c.
 *
 * The reference is llama.cpp (src/llama-vocab.cpp, src/unicode.cpp): the same input must give
 * the same ids, quirks included, because the models were trained and evaluated with it. Where
 * the code below does something surprising, llama.cpp does it too; tools/crosscheck/ compares
 * both on generated models. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sc-error.h"
#include "sc-tokenizer-private.h"

/* ------------------------------------------------------------------------------------------ */
/* Piece table: open addressing over (bytes, split) keys, no allocation per lookup.           */
/* ------------------------------------------------------------------------------------------ */

static guint32
piece_hash (const char *s,
            gsize       len,
            guint32     split)
{
  guint32 h = 2166136261u;

  for (gsize i = 0; i < len; i++)
    {
      h ^= (guint8) s[i];
      h *= 16777619u;
    }
  h ^= split * 0x9e3779b1u;
  return h ^ (h >> 15);
}

void
_sc_piece_table_init (ScPieceTable *table,
                      guint         n_entries)
{
  guint size = 16;

  while (size < n_entries * 2 && size < (1u << 30))
    size <<= 1;
  table->slots = g_new0 (ScPieceSlot, size);
  table->mask = size - 1;
}

void
_sc_piece_table_clear (ScPieceTable *table)
{
  g_clear_pointer (&table->slots, g_free);
  table->mask = 0;
}

/* Inserts unless the key is present; returns FALSE for a duplicate (the first value stays). */
gboolean
_sc_piece_table_insert (ScPieceTable *table,
                        const char   *s,
                        gsize         len,
                        guint32       split,
                        gint32        value)
{
  guint32 i = piece_hash (s, len, split) & table->mask;

  while (table->slots[i].s != NULL)
    {
      ScPieceSlot *slot = &table->slots[i];

      if (slot->len == len && slot->split == split && memcmp (slot->s, s, len) == 0)
        return FALSE;
      i = (i + 1) & table->mask;
    }
  table->slots[i].s = s;
  table->slots[i].len = (guint32) len;
  table->slots[i].split = split;
  table->slots[i].value = value;
  return TRUE;
}

gint32
_sc_piece_table_lookup (const ScPieceTable *table,
                        const char         *s,
                        gsize               len,
                        guint32             split)
{
  guint32 i;

  if (table->slots == NULL)
    return -1;
  i = piece_hash (s, len, split) & table->mask;
  while (table->slots[i].s != NULL)
    {
      const ScPieceSlot *slot = &table->slots[i];

      if (slot->len == len && slot->split == split && memcmp (slot->s, s, len) == 0)
        return slot->value;
      i = (i + 1) & table->mask;
    }
  return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* Bigram queue shared by the SPM and BPE merge loops                                         */
/* ------------------------------------------------------------------------------------------ */

/* SPM pops the highest score first, BPE the lowest rank; ties go to the leftmost pair. */
static inline gboolean
bigram_before (const ScBigram *a,
               const ScBigram *b,
               gboolean        by_score)
{
  if (by_score)
    return a->score > b->score || (a->score == b->score && a->left < b->left);
  return a->rank < b->rank || (a->rank == b->rank && a->left < b->left);
}

void
_sc_bigram_queue_push (GArray         *heap,
                       const ScBigram *bigram,
                       gboolean        by_score)
{
  ScBigram *items;
  guint i;

  g_array_append_val (heap, *bigram);
  items = (ScBigram *) (void *) heap->data;
  i = heap->len - 1;
  while (i > 0)
    {
      guint parent = (i - 1) / 2;
      ScBigram tmp;

      if (!bigram_before (&items[i], &items[parent], by_score))
        break;
      tmp = items[i];
      items[i] = items[parent];
      items[parent] = tmp;
      i = parent;
    }
}

gboolean
_sc_bigram_queue_pop (GArray   *heap,
                      ScBigram *out,
                      gboolean  by_score)
{
  ScBigram *items = (ScBigram *) (void *) heap->data;
  guint n = heap->len;
  guint i = 0;

  if (n == 0)
    return FALSE;
  *out = items[0];
  items[0] = items[n - 1];
  g_array_set_size (heap, --n);
  for (;;)
    {
      guint l = 2 * i + 1;
      guint r = l + 1;
      guint best = i;
      ScBigram tmp;

      if (l < n && bigram_before (&items[l], &items[best], by_score))
        best = l;
      if (r < n && bigram_before (&items[r], &items[best], by_score))
        best = r;
      if (best == i)
        break;
      tmp = items[i];
      items[i] = items[best];
      items[best] = tmp;
      i = best;
    }
  return TRUE;
}

/* The length of the UTF-8 sequence a byte starts, judged by its high nibble only (as
 * llama.cpp's unicode_len_utf8: continuation bytes count as 1). */
gsize
_sc_utf8_len (guint8 c)
{
  static const guint8 lookup[16] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4 };

  return lookup[c >> 4];
}

ScSymbol *
_sc_symbols_from_utf8 (GArray     *symbols,
                       const char *text,
                       gsize       len)
{
  gsize offs = 0;
  gint index = 0;

  g_array_set_size (symbols, 0);
  while (offs < len)
    {
      ScSymbol sym;

      sym.off = offs;
      sym.n = MIN (_sc_utf8_len ((guint8) text[offs]), len - offs);
      offs += sym.n;
      sym.prev = index - 1;
      sym.next = offs == len ? -1 : index + 1;
      index++;
      g_array_append_val (symbols, sym);
    }
  return (ScSymbol *) (void *) symbols->data;
}

/* ------------------------------------------------------------------------------------------ */
/* Construction                                                                               */
/* ------------------------------------------------------------------------------------------ */

/* Token texts llama.cpp turns into control tokens whatever the file says (end of turn,
 * fill-in-the-middle), and the subset that also ends generation. */
static const char *const forced_control_texts[] = {
  "<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<\xef\xbd\x9c" "fim\xe2\x96\x81" "begin\xef\xbd\x9c>",
  "<PRE>", "\xe2\x96\x81<PRE>", "<|code_prefix|>", "<|prefix|>",
  "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<\xef\xbd\x9c" "fim\xe2\x96\x81" "hole\xef\xbd\x9c>",
  "<SUF>", "\xe2\x96\x81<SUF>", "<|code_suffix|>", "<|suffix|>",
  "<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<\xef\xbd\x9c" "fim\xe2\x96\x81" "end\xef\xbd\x9c>",
  "<MID>", "\xe2\x96\x81<MID>", "<|code_middle|>", "<|middle|>",
  "<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]",
  "<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>",
  "<|file_sep|>",
};

static const char *const eog_texts[] = {
  "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
  "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
  "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>",
  "<\xef\xbd\x9c" "end\xe2\x96\x81" "of\xe2\x96\x81" "sentence\xef\xbd\x9c>", "[e~[",
};

/* gpt-oss: always rendered, so user-defined rather than control. */
static const char *const forced_user_defined_texts[] = {
  "<|channel|>", "<|message|>", "<|start|>", "<|constrain|>",
};

static guint8
attr_from_type (gint32 type)
{
  switch (type)
    {
    case SC_TOKEN_TYPE_NORMAL:       return SC_TOKEN_ATTR_NORMAL;
    case SC_TOKEN_TYPE_UNKNOWN:      return SC_TOKEN_ATTR_UNKNOWN;
    case SC_TOKEN_TYPE_CONTROL:      return SC_TOKEN_ATTR_CONTROL;
    case SC_TOKEN_TYPE_USER_DEFINED: return SC_TOKEN_ATTR_USER_DEFINED;
    case SC_TOKEN_TYPE_UNUSED:       return SC_TOKEN_ATTR_UNUSED;
    case SC_TOKEN_TYPE_BYTE:         return SC_TOKEN_ATTR_BYTE;
    default:                         return 0;
    }
}

static gboolean
check_id (gint32       id,
          guint        n_tokens,
          const char  *what,
          GError     **error)
{
  if (id < -1 || (id >= 0 && (guint) id >= n_tokens))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   "The %s token id %d is outside the vocabulary of %u tokens",
                   what, id, n_tokens);
      return FALSE;
    }
  return TRUE;
}

/* llama.cpp's load-time fix-ups by token text (llama_vocab::impl::load, "auto-detect special
 * tokens by text"): they change which texts parse_special recognises and what is EOG. */
static void
apply_text_fixups (ScTokenizer *tok)
{
  gint32 end_id = -1, s_id = -1;
  gboolean has_return = FALSE, has_call = FALSE, has_flush = FALSE, has_tool_response = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (forced_control_texts); i++)
    {
      gint32 id = sc_tokenizer_lookup (tok, forced_control_texts[i]);

      if (id >= 0)
        tok->tokens[id].attr |= SC_TOKEN_ATTR_CONTROL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (eog_texts); i++)
    {
      gint32 id = sc_tokenizer_lookup (tok, eog_texts[i]);

      if (id < 0)
        continue;
      tok->tokens[id].attr |= SC_TOKEN_ATTR_CONTROL;
      tok->tokens[id].eog = TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (forced_user_defined_texts); i++)
    {
      gint32 id = sc_tokenizer_lookup (tok, forced_user_defined_texts[i]);

      if (id >= 0)
        tok->tokens[id].attr = SC_TOKEN_ATTR_USER_DEFINED;
    }

  if (tok->eos_id >= 0)
    tok->tokens[tok->eos_id].eog = TRUE;

  for (guint id = 0; id < tok->n_tokens; id++)
    {
      const char *text = tok->tokens[id].text;

      if (!tok->tokens[id].eog)
        continue;
      if (g_str_equal (text, "<|return|>"))
        has_return = TRUE;
      else if (g_str_equal (text, "<|call|>") || g_str_equal (text, "<|calls|>"))
        has_call = TRUE;
      else if (g_str_equal (text, "<|flush|>"))
        has_flush = TRUE;
      else if (g_str_equal (text, "<|end|>"))
        end_id = (gint32) id;
      else if (g_str_equal (text, "<|tool_response>"))
        has_tool_response = TRUE;
      else if (g_str_equal (text, "</s>"))
        s_id = (gint32) id;
    }

  /* o200k_harmony and solar-open: "<|end|>" separates messages, it does not end generation */
  if (end_id >= 0 && ((has_return && has_call) || (has_call && has_flush)))
    {
      tok->tokens[end_id].eog = FALSE;
      tok->tokens[end_id].attr = SC_TOKEN_ATTR_USER_DEFINED;
    }
  /* gemma4 and paddleocr: "</s>" is ordinary text there */
  if (has_tool_response && s_id >= 0)
    {
      tok->tokens[s_id].eog = FALSE;
      tok->tokens[s_id].attr = SC_TOKEN_ATTR_NORMAL;
    }
}

static int
compare_special (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const ScTokenizer *tok = user_data;
  gint32 ia = *(const gint32 *) a;
  gint32 ib = *(const gint32 *) b;
  guint32 la = tok->tokens[ia].len;
  guint32 lb = tok->tokens[ib].len;

  if (la != lb)
    return la > lb ? -1 : 1;
  return ia < ib ? -1 : (ia > ib);
}

static void
build_special_cache (ScTokenizer *tok)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint32));

  for (guint id = 0; id < tok->n_tokens; id++)
    {
      guint8 attr = tok->tokens[id].attr;

      if (attr & (SC_TOKEN_ATTR_CONTROL | SC_TOKEN_ATTR_USER_DEFINED | SC_TOKEN_ATTR_UNKNOWN))
        {
          gint32 value = (gint32) id;

          g_array_append_val (ids, value);
        }
    }
  /* llama.cpp sorts by text length only (std::sort, unstable); equal lengths go by id here */
  g_array_sort_with_data (ids, compare_special, tok);
  tok->n_special = ids->len;
  tok->special_ids = (gint32 *) (void *) g_array_free (ids, FALSE);
}

static void
build_byte_ids (ScTokenizer *tok)
{
  for (guint b = 0; b < 256; b++)
    {
      char hex[8];
      char raw[1] = { (char) b };
      gint32 id;

      if (tok->model == SC_TOKENIZER_MODEL_WPM)
        {
          id = -1; /* unknown characters make the whole word unknown */
        }
      else if (tok->model == SC_TOKENIZER_MODEL_SPM)
        {
          g_snprintf (hex, sizeof hex, "<0x%02X>", b);
          id = _sc_piece_table_lookup (&tok->vocab, hex, strlen (hex), 0);
          if (id < 0)
            id = _sc_piece_table_lookup (&tok->vocab, raw, 1, 0);
        }
      else
        {
          const char *utf8 = _sc_bpe_byte_to_utf8 ((guint8) b);

          id = _sc_piece_table_lookup (&tok->vocab, utf8, strlen (utf8), 0);
        }
      tok->byte_ids[b] = id;
    }
}

/* Every pair of adjacent characters inside a piece. Where two neighbouring characters of a
 * text form no such pair, no merge can ever join them, so SentencePiece can work on the two
 * sides separately with the same result; spm_tokenize() uses that to keep its queue short. */
static void
build_spm_pairs (ScTokenizer *tok)
{
  gsize n = 0;

  for (guint i = 0; i < tok->n_tokens; i++)
    n += tok->tokens[i].len;
  _sc_piece_table_init (&tok->spm_pairs, MAX (n, 1));
  for (guint i = 0; i < tok->n_tokens; i++)
    {
      const ScToken *t = &tok->tokens[i];
      gsize prev = 0, prev_len = 0;

      for (gsize off = 0; off < t->len;)
        {
          gsize len = MIN (_sc_utf8_len ((guint8) t->text[off]), t->len - off);

          if (prev_len > 0)
            _sc_piece_table_insert (&tok->spm_pairs, t->text + prev, prev_len + len,
                                    (guint32) prev_len, 0);
          prev = off;
          prev_len = len;
          off += len;
        }
    }
}

static gboolean
build_merges (ScTokenizer      *tok,
              const ScVocab    *vocab,
              GError          **error)
{
  _sc_piece_table_init (&tok->merges, MAX (vocab->n_merges, 1));
  tok->merge_texts = g_new0 (char *, vocab->n_merges + 1);
  tok->n_merges = vocab->n_merges;

  for (guint i = 0; i < vocab->n_merges; i++)
    {
      const char *merge = vocab->merges[i];
      const char *space;
      gsize len;
      char *joined;

      if (merge == NULL)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT, "Merge %u is missing", i);
          return FALSE;
        }
      len = strlen (merge);
      /* llama.cpp splits at the first space after the first byte; without one the merge
       * pairs two empty strings and can never apply */
      space = len > 1 ? memchr (merge + 1, ' ', len - 1) : NULL;
      if (space == NULL)
        continue;
      joined = g_malloc (len);
      memcpy (joined, merge, space - merge);
      memcpy (joined + (space - merge), space + 1, len - (space - merge) - 1);
      joined[len - 1] = '\0';
      tok->merge_texts[i] = joined;
      _sc_piece_table_insert (&tok->merges, joined, len - 1, (guint32) (space - merge), (gint32) i);
    }
  return TRUE;
}

/**
 * sc_tokenizer_new:
 * @vocab: the vocabulary; copied
 * @error: return location for an error
 *
 * Builds a tokenizer. Fails with %SC_ERROR_CORRUPT on duplicate token texts, ids outside the
 * vocabulary, or add_bos/add_eos without a BOS/EOS id; with %SC_ERROR_INVALID_ARGUMENT on an
 * unknown model or pre-tokenizer kind.
 */
ScTokenizer *
sc_tokenizer_new (const ScVocab  *vocab,
                  GError        **error)
{
  g_autoptr (ScTokenizer) tok = NULL;

  g_return_val_if_fail (vocab != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (vocab->model != SC_TOKENIZER_MODEL_SPM && vocab->model != SC_TOKENIZER_MODEL_BPE &&
      vocab->model != SC_TOKENIZER_MODEL_WPM)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   "Unknown tokenizer model %d", (int) vocab->model);
      return NULL;
    }
  if (vocab->model == SC_TOKENIZER_MODEL_BPE && (vocab->pre < SC_TOKENIZER_PRE_DEFAULT ||
                                                 vocab->pre > SC_TOKENIZER_PRE_QWEN2))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   "Unknown pre-tokenizer kind %d", (int) vocab->pre);
      return NULL;
    }
  if (vocab->n_tokens == 0 || vocab->tokens == NULL || vocab->n_tokens > G_MAXINT32)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT, "The vocabulary has no tokens");
      return NULL;
    }
  if (vocab->n_merges > 0 && vocab->merges == NULL)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT, "Merges are missing");
      return NULL;
    }
  if (!check_id (vocab->bos_id, vocab->n_tokens, "BOS", error) ||
      !check_id (vocab->eos_id, vocab->n_tokens, "EOS", error) ||
      !check_id (vocab->unk_id, vocab->n_tokens, "unknown", error) ||
      !check_id (vocab->pad_id, vocab->n_tokens, "padding", error))
    return NULL;
  if (vocab->add_bos && vocab->bos_id < 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT, "add_bos is set but there is no BOS token");
      return NULL;
    }
  if (vocab->add_eos && vocab->eos_id < 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT, "add_eos is set but there is no EOS token");
      return NULL;
    }
  if (vocab->model == SC_TOKENIZER_MODEL_WPM && vocab->unk_id < 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   "A WordPiece vocabulary needs an unknown token");
      return NULL;
    }

  tok = g_atomic_rc_box_new0 (ScTokenizer);
  tok->model = vocab->model;
  tok->pre = vocab->model == SC_TOKENIZER_MODEL_BPE ? vocab->pre : SC_TOKENIZER_PRE_DEFAULT;
  tok->ignore_merges = tok->model == SC_TOKENIZER_MODEL_BPE && tok->pre == SC_TOKENIZER_PRE_LLAMA3;
  tok->n_tokens = vocab->n_tokens;
  tok->bos_id = vocab->bos_id;
  tok->eos_id = vocab->eos_id;
  tok->unk_id = vocab->unk_id;
  tok->pad_id = vocab->pad_id;
  tok->add_bos = vocab->add_bos;
  tok->add_eos = vocab->add_eos;
  tok->add_space_prefix = vocab->model == SC_TOKENIZER_MODEL_SPM && vocab->add_space_prefix;
  tok->tokens = g_new0 (ScToken, vocab->n_tokens);

  _sc_piece_table_init (&tok->vocab, vocab->n_tokens);
  for (guint i = 0; i < vocab->n_tokens; i++)
    {
      ScToken *t = &tok->tokens[i];
      const char *text = vocab->tokens[i];

      if (text == NULL)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT, "Token %u has no text", i);
          return NULL;
        }
      /* as llama.cpp: an empty piece could never be matched, name it so it stays unique */
      t->text = *text != '\0' ? g_strdup (text) : g_strdup_printf ("[EMPTY_%u]", i);
      t->len = (guint32) strlen (t->text);
      t->score = vocab->scores != NULL ? vocab->scores[i] : 0.0f;
      t->type = vocab->token_types != NULL ? (guint8) CLAMP (vocab->token_types[i], 0, 255)
                                           : SC_TOKEN_TYPE_NORMAL;
      t->attr = vocab->token_types != NULL ? attr_from_type (vocab->token_types[i])
                                           : SC_TOKEN_ATTR_NORMAL;
      tok->max_token_len = MAX (tok->max_token_len, t->len);
      if (!_sc_piece_table_insert (&tok->vocab, t->text, t->len, 0, (gint32) i))
        {
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                       "Duplicate token in the vocabulary: “%s” has ids %d and %u",
                       t->text, _sc_piece_table_lookup (&tok->vocab, t->text, t->len, 0), i);
          return NULL;
        }
    }

  if (tok->model == SC_TOKENIZER_MODEL_BPE && !build_merges (tok, vocab, error))
    return NULL;

  if (tok->model == SC_TOKENIZER_MODEL_SPM)
    build_spm_pairs (tok);

  apply_text_fixups (tok);
  build_special_cache (tok);
  build_byte_ids (tok);

  return g_steal_pointer (&tok);
}

static void
sc_tokenizer_clear (ScTokenizer *tok)
{
  if (tok->tokens != NULL)
    {
      for (guint i = 0; i < tok->n_tokens; i++)
        g_free (tok->tokens[i].text);
      g_free (tok->tokens);
    }
  if (tok->merge_texts != NULL)
    {
      /* one slot per merge, NULL where the merge had no space */
      for (guint i = 0; i < tok->n_merges; i++)
        g_free (tok->merge_texts[i]);
      g_free (tok->merge_texts);
    }
  _sc_piece_table_clear (&tok->vocab);
  _sc_piece_table_clear (&tok->merges);
  _sc_piece_table_clear (&tok->spm_pairs);
  g_free (tok->special_ids);
}

ScTokenizer *
sc_tokenizer_ref (ScTokenizer *tok)
{
  g_return_val_if_fail (tok != NULL, NULL);

  return g_atomic_rc_box_acquire (tok);
}

void
sc_tokenizer_unref (ScTokenizer *tok)
{
  if (tok == NULL)
    return;
  g_atomic_rc_box_release_full (tok, (GDestroyNotify) sc_tokenizer_clear);
}

/* ------------------------------------------------------------------------------------------ */
/* Special tokens: split the raw text on their texts, longest first                            */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  gint32 id;   /* the special token, or -1 for raw text */
  gsize  off;
  gsize  len;
} Fragment;

static const char *
find_bytes (const char *hay,
            gsize       hay_len,
            const char *needle,
            gsize       needle_len)
{
  const char *end;

  if (needle_len == 0 || needle_len > hay_len)
    return NULL;
  end = hay + hay_len - needle_len;
  for (const char *p = hay; p <= end;)
    {
      p = memchr (p, needle[0], end - p + 1);
      if (p == NULL)
        return NULL;
      if (memcmp (p, needle, needle_len) == 0)
        return p;
      p++;
    }
  return NULL;
}

/* tokenizer_st_partition: for each special token in turn, every raw fragment is cut at its
 * occurrences. Control and unknown tokens only count with @parse_special; user-defined ones
 * always (as Hugging Face tokenizers do). */
static GArray *
partition (ScTokenizer *tok,
           const char  *text,
           gsize        len,
           gboolean     parse_special)
{
  GArray *frags = g_array_new (FALSE, FALSE, sizeof (Fragment));
  GArray *next = g_array_new (FALSE, FALSE, sizeof (Fragment));

  if (len > 0)
    {
      Fragment whole = { -1, 0, len };

      g_array_append_val (frags, whole);
    }

  for (guint s = 0; s < tok->n_special; s++)
    {
      gint32 id = tok->special_ids[s];
      const ScToken *t = &tok->tokens[id];
      gboolean changed = FALSE;

      if (!parse_special && (t->attr & (SC_TOKEN_ATTR_CONTROL | SC_TOKEN_ATTR_UNKNOWN)))
        continue;

      g_array_set_size (next, 0);
      for (guint f = 0; f < frags->len; f++)
        {
          Fragment frag = g_array_index (frags, Fragment, f);
          gsize off = frag.off;
          gsize end = frag.off + frag.len;
          const char *match;

          if (frag.id >= 0)
            {
              g_array_append_val (next, frag);
              continue;
            }
          while ((match = find_bytes (text + off, end - off, t->text, t->len)) != NULL)
            {
              gsize at = match - text;
              Fragment left = { -1, off, at - off };
              Fragment special = { id, at, t->len };

              if (left.len > 0)
                g_array_append_val (next, left);
              g_array_append_val (next, special);
              off = at + t->len;
              changed = TRUE;
            }
          if (off < end)
            {
              Fragment rest = { -1, off, end - off };

              g_array_append_val (next, rest);
            }
        }
      if (changed)
        {
          GArray *tmp = frags;

          frags = next;
          next = tmp;
        }
    }

  g_array_unref (next);
  return frags;
}

/* ------------------------------------------------------------------------------------------ */
/* SentencePiece (llm_tokenizer_spm_session)                                                   */
/* ------------------------------------------------------------------------------------------ */

static gboolean
push_byte (ScTokenizer  *tok,
           guint8        byte,
           GArray       *out,
           GError      **error)
{
  gint32 id = tok->byte_ids[byte];

  /* llama.cpp throws here; an unknown token is the gentler answer */
  if (id < 0)
    id = tok->unk_id;
  if (id < 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   "The vocabulary has no token for the byte 0x%02X and no unknown token", byte);
      return FALSE;
    }
  g_array_append_val (out, id);
  return TRUE;
}

static void
spm_try_add_bigram (ScTokenizer    *tok,
                    const char     *text,
                    const ScSymbol *symbols,
                    gint            left,
                    gint            right,
                    GArray         *queue)
{
  ScBigram bigram;
  gsize size;
  gint32 id;

  if (left < 0 || right < 0)
    return;
  size = symbols[left].n + symbols[right].n;
  id = _sc_piece_table_lookup (&tok->vocab, text + symbols[left].off, size, 0);
  if (id < 0)
    return;
  bigram.left = left;
  bigram.right = right;
  bigram.score = tok->tokens[id].score;
  bigram.rank = 0;
  bigram.size = size;
  _sc_bigram_queue_push (queue, &bigram, TRUE);
}

/* llm_tokenizer_spm_session::tokenize on @len bytes at @text (spaces already "▁"); @symbols_arr
 * and @queue are scratch space. */
static gboolean
spm_tokenize_segment (ScTokenizer  *tok,
                      const char   *text,
                      gsize         len,
                      GArray       *symbols_arr,
                      GArray       *queue,
                      GArray       *out,
                      GError      **error)
{
  ScSymbol *symbols;
  ScBigram bigram;
  g_array_set_size (queue, 0);
  symbols = _sc_symbols_from_utf8 (symbols_arr, text, len);

  for (guint i = 1; i < symbols_arr->len; i++)
    spm_try_add_bigram (tok, text, symbols, i - 1, i, queue);

  while (_sc_bigram_queue_pop (queue, &bigram, TRUE))
    {
      ScSymbol *left = &symbols[bigram.left];
      ScSymbol *right = &symbols[bigram.right];

      /* one of them was merged since: the entry is stale */
      if (left->n == 0 || right->n == 0 || left->n + right->n != bigram.size)
        continue;

      left->n += right->n;
      right->n = 0;
      left->next = right->next;
      if (right->next >= 0)
        symbols[right->next].prev = bigram.left;

      spm_try_add_bigram (tok, text, symbols, left->prev, bigram.left, queue);
      spm_try_add_bigram (tok, text, symbols, bigram.left, left->next, queue);
    }

  /* Every merged symbol is a vocabulary piece; what is left over are single characters that
   * are not, and those go out as byte tokens. */
  for (gint i = symbols_arr->len > 0 ? 0 : -1; i != -1; i = symbols[i].next)
    {
      const ScSymbol *sym = &symbols[i];
      gint32 id = _sc_piece_table_lookup (&tok->vocab, text + sym->off, sym->n, 0);

      if (id >= 0)
        {
          g_array_append_val (out, id);
          continue;
        }
      for (gsize j = 0; j < sym->n; j++)
        if (!push_byte (tok, (guint8) text[sym->off + j], out, error))
          return FALSE;
    }
  return TRUE;
}

/* Cuts @text where no merge can reach across (see build_spm_pairs()) and tokenizes the pieces
 * one by one: the same ids as one pass over the whole, with a short queue. */
static gboolean
spm_tokenize (ScTokenizer  *tok,
              const char   *text,
              gsize         len,
              GArray       *out,
              GError      **error)
{
  g_autoptr (GArray) symbols = g_array_new (FALSE, FALSE, sizeof (ScSymbol));
  g_autoptr (GArray) queue = g_array_new (FALSE, FALSE, sizeof (ScBigram));
  gsize start = 0, prev = 0, prev_len = 0;

  for (gsize off = 0; off < len;)
    {
      gsize n = MIN (_sc_utf8_len ((guint8) text[off]), len - off);

      if (prev_len > 0 &&
          _sc_piece_table_lookup (&tok->spm_pairs, text + prev, prev_len + n, (guint32) prev_len) < 0)
        {
          if (!spm_tokenize_segment (tok, text + start, off - start, symbols, queue, out, error))
            return FALSE;
          start = off;
        }
      prev = off;
      prev_len = n;
      off += n;
    }
  if (start < len)
    return spm_tokenize_segment (tok, text + start, len - start, symbols, queue, out, error);
  return TRUE;
}

/* Prefixes a space when asked and replaces every space with "▁" (U+2581). */
static void
spm_escape (GString    *buf,
            const char *text,
            gsize       len,
            gboolean    prefix_space)
{
  g_string_truncate (buf, 0);
  if (prefix_space)
    g_string_append (buf, "\xe2\x96\x81");
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == ' ')
        g_string_append (buf, "\xe2\x96\x81");
      else
        g_string_append_c (buf, text[i]);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Encode / decode                                                                            */
/* ------------------------------------------------------------------------------------------ */

gboolean
sc_tokenizer_encode (ScTokenizer  *tok,
                     const char   *text,
                     gssize        len,
                     gboolean      add_special,
                     gboolean      parse_special,
                     GArray       *out_ids,
                     GError      **error)
{
  g_autoptr (GArray) frags = NULL;
  g_autoptr (GString) buf = NULL;
  gboolean is_prev_special = TRUE;
  guint start_len;

  g_return_val_if_fail (tok != NULL, FALSE);
  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (out_ids != NULL, FALSE);
  g_return_val_if_fail (g_array_get_element_size (out_ids) == sizeof (gint32), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (len < 0)
    len = strlen (text);
  start_len = out_ids->len;
  frags = partition (tok, text, (gsize) len, parse_special);
  buf = g_string_new (NULL);

  if (add_special && tok->add_bos)
    g_array_append_val (out_ids, tok->bos_id);

  for (guint f = 0; f < frags->len; f++)
    {
      const Fragment *frag = &g_array_index (frags, Fragment, f);
      gboolean ok;

      if (frag->id >= 0)
        {
          g_array_append_val (out_ids, frag->id);
          is_prev_special = TRUE;
          continue;
        }

      if (tok->model == SC_TOKENIZER_MODEL_SPM)
        {
          /* the leading space goes before the text and after every special token */
          spm_escape (buf, text + frag->off, frag->len, tok->add_space_prefix && is_prev_special);
          ok = spm_tokenize (tok, buf->str, buf->len, out_ids, error);
        }
      else if (tok->model == SC_TOKENIZER_MODEL_WPM)
        {
          ok = _sc_wpm_tokenize (tok, text + frag->off, frag->len, out_ids, error);
        }
      else
        {
          ok = _sc_bpe_tokenize (tok, text + frag->off, frag->len, out_ids, error);
        }
      if (!ok)
        {
          g_array_set_size (out_ids, start_len);
          return FALSE;
        }
      is_prev_special = FALSE;
    }

  if (add_special && tok->add_eos)
    g_array_append_val (out_ids, tok->eos_id);

  return TRUE;
}

static gboolean
check_token (ScTokenizer  *tok,
             gint32        id,
             GError      **error)
{
  if (id < 0 || (guint) id >= tok->n_tokens)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   "Token id %d is outside the vocabulary of %u tokens", id, tok->n_tokens);
      return FALSE;
    }
  return TRUE;
}

static void
append_piece (ScTokenizer *tok,
              gint32       id,
              gboolean     special,
              GString     *out)
{
  const ScToken *t = &tok->tokens[id];

  if (t->attr & (SC_TOKEN_ATTR_CONTROL | SC_TOKEN_ATTR_UNKNOWN))
    {
      if (special)
        g_string_append_len (out, t->text, t->len);
    }
  else if (t->attr & SC_TOKEN_ATTR_USER_DEFINED)
    {
      g_string_append_len (out, t->text, t->len);
    }
  else if (t->attr & SC_TOKEN_ATTR_NORMAL)
    {
      /* WordPiece stores word-initial pieces with the same "▁" */
      if (tok->model == SC_TOKENIZER_MODEL_SPM || tok->model == SC_TOKENIZER_MODEL_WPM)
        {
          for (guint32 i = 0; i < t->len; i++)
            {
              if (i + 2 < t->len && memcmp (t->text + i, "\xe2\x96\x81", 3) == 0)
                {
                  g_string_append_c (out, ' ');
                  i += 2;
                }
              else
                g_string_append_c (out, t->text[i]);
            }
        }
      else
        {
          _sc_bpe_decode_piece (t->text, t->len, out);
        }
    }
  else if (t->attr & SC_TOKEN_ATTR_BYTE)
    {
      /* "<0xXX>" in both models */
      if (t->len == 6 && g_ascii_isxdigit (t->text[3]) && g_ascii_isxdigit (t->text[4]))
        g_string_append_c (out, (char) (g_ascii_xdigit_value (t->text[3]) * 16 +
                                        g_ascii_xdigit_value (t->text[4])));
    }
  /* unused and undefined tokens render as nothing */
}

gboolean
sc_tokenizer_token_to_piece (ScTokenizer  *tok,
                             gint32        id,
                             gboolean      special,
                             GString      *out,
                             GError      **error)
{
  g_return_val_if_fail (tok != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_token (tok, id, error))
    return FALSE;
  append_piece (tok, id, special, out);
  return TRUE;
}

char *
sc_tokenizer_decode (ScTokenizer   *tok,
                     const gint32  *ids,
                     gsize          n_ids,
                     gboolean       special,
                     gsize         *out_len,
                     GError       **error)
{
  g_autoptr (GString) out = NULL;
  gboolean strip_space;

  g_return_val_if_fail (tok != NULL, NULL);
  g_return_val_if_fail (ids != NULL || n_ids == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  out = g_string_new (NULL);
  /* undo the space encode put at the start and after each special token (WordPiece: the
   * space of the first word-initial piece) */
  strip_space = tok->add_space_prefix || tok->model == SC_TOKENIZER_MODEL_WPM;
  for (gsize i = 0; i < n_ids; i++)
    {
      gsize before = out->len;
      guint8 attr;

      if (!check_token (tok, ids[i], error))
        return NULL;
      attr = tok->tokens[ids[i]].attr;
      append_piece (tok, ids[i], special, out);
      if (attr & (SC_TOKEN_ATTR_CONTROL | SC_TOKEN_ATTR_UNKNOWN | SC_TOKEN_ATTR_USER_DEFINED))
        {
          strip_space = tok->add_space_prefix || tok->model == SC_TOKENIZER_MODEL_WPM;
          continue;
        }
      if (strip_space && out->len > before && out->str[before] == ' ')
        g_string_erase (out, before, 1);
      strip_space = FALSE;
    }

  if (out_len != NULL)
    *out_len = out->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* Accessors                                                                                  */
/* ------------------------------------------------------------------------------------------ */

ScTokenizerModel
sc_tokenizer_get_model (ScTokenizer *tok)
{
  g_return_val_if_fail (tok != NULL, SC_TOKENIZER_MODEL_SPM);
  return tok->model;
}

ScTokenizerPre
sc_tokenizer_get_pre (ScTokenizer *tok)
{
  g_return_val_if_fail (tok != NULL, SC_TOKENIZER_PRE_DEFAULT);
  return tok->pre;
}

guint
sc_tokenizer_get_n_tokens (ScTokenizer *tok)
{
  g_return_val_if_fail (tok != NULL, 0);
  return tok->n_tokens;
}

gint32
sc_tokenizer_get_bos (ScTokenizer *tok)
{
  g_return_val_if_fail (tok != NULL, -1);
  return tok->bos_id;
}

gint32
sc_tokenizer_get_eos (ScTokenizer *tok)
{
  g_return_val_if_fail (tok != NULL, -1);
  return tok->eos_id;
}

gint32
sc_tokenizer_get_unk (ScTokenizer *tok)
{
  g_return_val_if_fail (tok != NULL, -1);
  return tok->unk_id;
}

gint32
sc_tokenizer_get_pad (ScTokenizer *tok)
{
  g_return_val_if_fail (tok != NULL, -1);
  return tok->pad_id;
}

gboolean
sc_tokenizer_get_add_bos (ScTokenizer *tok)
{
  g_return_val_if_fail (tok != NULL, FALSE);
  return tok->add_bos;
}

gboolean
sc_tokenizer_get_add_eos (ScTokenizer *tok)
{
  g_return_val_if_fail (tok != NULL, FALSE);
  return tok->add_eos;
}

const char *
sc_tokenizer_get_token_text (ScTokenizer *tok,
                             gint32       id)
{
  g_return_val_if_fail (tok != NULL, NULL);
  if (id < 0 || (guint) id >= tok->n_tokens)
    return NULL;
  return tok->tokens[id].text;
}

ScTokenType
sc_tokenizer_get_token_type (ScTokenizer *tok,
                             gint32       id)
{
  g_return_val_if_fail (tok != NULL, SC_TOKEN_TYPE_UNDEFINED);
  if (id < 0 || (guint) id >= tok->n_tokens)
    return SC_TOKEN_TYPE_UNDEFINED;
  return (ScTokenType) tok->tokens[id].type;
}

gint32
sc_tokenizer_lookup (ScTokenizer *tok,
                     const char  *text)
{
  g_return_val_if_fail (tok != NULL, -1);
  g_return_val_if_fail (text != NULL, -1);
  return _sc_piece_table_lookup (&tok->vocab, text, strlen (text), 0);
}

gboolean
sc_tokenizer_is_eog (ScTokenizer *tok,
                     gint32       id)
{
  g_return_val_if_fail (tok != NULL, FALSE);
  if (id < 0 || (guint) id >= tok->n_tokens)
    return FALSE;
  return tok->tokens[id].eog;
}
