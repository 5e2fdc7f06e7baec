/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-tokenizer-wpm.c: WordPiece ("bert" in GGUF), exactly as Sichtung's tagger was trained with
 * it (tools/train/tokenizer.py, the reference): BERT's basic split without lower-casing or
 * accent stripping, then greedy longest-match-first pieces.
 *
 * The basic split works on the text as given, so that every word keeps its byte offsets; each
 * word's characters are NFC-normalised on their own before the piece look-up. The reference
 * normalises the whole text first; both agree except for a combining mark separated from its
 * base by a dropped format character. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <string.h>

#include "sc-error.h"
#include "sc-tokenizer-private.h"

#define MAX_CHARS_PER_WORD 100
#define PHANTOM_SPACE "\xe2\x96\x81" /* ▁, the mark of a word-initial piece */
#define PHANTOM_SPACE_LEN 3

/* ------------------------------------------------------------------------------------------ */
/* Character classes                                                                          */
/* ------------------------------------------------------------------------------------------ */

/* Python's str.isspace(), which str.split() splits on: category Zs and the bidirectional
 * classes WS, B and S. */
static gboolean
is_space (gunichar c)
{
  if (c < 0x80)
    return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20);
  switch (c)
    {
    case 0x85: case 0xa0: case 0x1680: case 0x2028: case 0x2029: case 0x202f: case 0x205f:
    case 0x3000:
      return TRUE;
    default:
      return c >= 0x2000 && c <= 0x200a;
    }
}

/* The ASCII symbols and every Unicode punctuation category (P*). */
static gboolean
is_punct (gunichar c)
{
  if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
      (c >= 123 && c <= 126))
    return TRUE;
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONNECT_PUNCTUATION:
    case G_UNICODE_DASH_PUNCTUATION:
    case G_UNICODE_CLOSE_PUNCTUATION:
    case G_UNICODE_FINAL_PUNCTUATION:
    case G_UNICODE_INITIAL_PUNCTUATION:
    case G_UNICODE_OTHER_PUNCTUATION:
    case G_UNICODE_OPEN_PUNCTUATION:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Control (Cc) and format (Cf) characters, dropped from words. */
static gboolean
is_dropped (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  return type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT;
}

/* ------------------------------------------------------------------------------------------ */
/* Pieces of one word                                                                         */
/* ------------------------------------------------------------------------------------------ */

/* Scratch reused across the words of one text. */
typedef struct
{
  GString *word;    /* the word's kept characters, UTF-8 */
  GString *lookup;  /* "▁" + the normalised word */
  GArray  *offsets; /* gsize: byte offset of each character in lookup, past the "▁" */
} WpmScratch;

static void
scratch_init (WpmScratch *scratch)
{
  scratch->word = g_string_new (NULL);
  scratch->lookup = g_string_new (NULL);
  scratch->offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
}

static void
scratch_clear (WpmScratch *scratch)
{
  g_string_free (scratch->word, TRUE);
  g_string_free (scratch->lookup, TRUE);
  g_array_unref (scratch->offsets);
}

/* Appends the pieces of scratch->word (valid UTF-8, not empty) to @out: greedy longest match
 * from the left, the first piece in its word-initial form; the unknown token alone when some
 * rest matches no piece or the word has more than MAX_CHARS_PER_WORD characters. */
static void
word_pieces (ScTokenizer *tok,
             WpmScratch  *scratch,
             GArray      *out)
{
  g_autofree char *nfc = g_utf8_normalize (scratch->word->str, (gssize) scratch->word->len,
                                           G_NORMALIZE_NFC);
  const char *base;
  const gsize *off;
  guint n_chars, start = 0, out_len = out->len;
  gsize end_off;

  g_assert (nfc != NULL);
  g_string_assign (scratch->lookup, PHANTOM_SPACE);
  g_string_append (scratch->lookup, nfc);
  g_array_set_size (scratch->offsets, 0);
  for (const char *p = nfc; *p != '\0'; p = g_utf8_next_char (p))
    {
      gsize o = PHANTOM_SPACE_LEN + (gsize) (p - nfc);

      g_array_append_val (scratch->offsets, o);
    }
  n_chars = scratch->offsets->len;
  end_off = scratch->lookup->len;
  g_array_append_val (scratch->offsets, end_off);

  if (n_chars == 0 || n_chars > MAX_CHARS_PER_WORD)
    goto unknown;

  base = scratch->lookup->str;
  off = (const gsize *) (void *) scratch->offsets->data;
  while (start < n_chars)
    {
      /* word-initial pieces include the "▁" in front */
      gsize from = start == 0 ? 0 : off[start];
      gint32 id = -1;
      guint end;

      for (end = n_chars; end > start; end--)
        {
          gsize n = off[end] - from;

          if (n > tok->max_token_len)
            continue;
          id = _sc_piece_table_lookup (&tok->vocab, base + from, n, 0);
          if (id >= 0)
            break;
        }
      if (id < 0)
        goto unknown;
      g_array_append_val (out, id);
      start = end;
    }
  return;

unknown:
  g_array_set_size (out, out_len);
  g_array_append_val (out, tok->unk_id);
}

/* ------------------------------------------------------------------------------------------ */
/* Basic split                                                                                */
/* ------------------------------------------------------------------------------------------ */

/* Splits @text into words, appending each word's ids to @out_ids and, when @out_words is not
 * NULL, an ScTokenizerWord. */
static void
split (ScTokenizer *tok,
       const char  *text,
       gsize        len,
       GArray      *out_words,
       GArray      *out_ids)
{
  WpmScratch scratch;
  ScTokenizerWord word = { 0 };
  gsize i = 0;

  scratch_init (&scratch);

#define FLUSH()                                                         \
  G_STMT_START {                                                        \
    if (scratch.word->len > 0)                                          \
      {                                                                 \
        word.first_id = out_ids->len;                                   \
        word_pieces (tok, &scratch, out_ids);                           \
        word.n_ids = out_ids->len - word.first_id;                      \
        if (out_words != NULL)                                          \
          g_array_append_val (out_words, word);                         \
        g_string_truncate (scratch.word, 0);                            \
      }                                                                 \
  } G_STMT_END

  while (i < len)
    {
      gunichar c = g_utf8_get_char_validated (text + i, (gssize) (len - i));
      gsize n;

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          c = 0xfffd; /* an invalid byte stands for a replacement character */
          n = 1;
        }
      else
        {
          n = (gsize) g_utf8_skip[(guchar) text[i]];
        }

      if (is_space (c))
        {
          FLUSH ();
        }
      else if (is_punct (c))
        {
          FLUSH ();
          g_string_append_unichar (scratch.word, c);
          word.start = i;
          word.end = i + n;
          FLUSH ();
        }
      else if (!is_dropped (c))
        {
          if (scratch.word->len == 0)
            word.start = i;
          g_string_append_unichar (scratch.word, c);
          word.end = i + n;
        }
      i += n;
    }
  FLUSH ();

#undef FLUSH

  scratch_clear (&scratch);
}

gboolean
_sc_wpm_tokenize (ScTokenizer  *tok,
                  const char   *text,
                  gsize         len,
                  GArray       *out,
                  GError      **error)
{
  g_assert (tok->model == SC_TOKENIZER_MODEL_WPM);

  split (tok, text, len, NULL, out);
  return TRUE;
}

static gboolean
check_wpm (ScTokenizer  *tok,
           GError      **error)
{
  if (tok->model != SC_TOKENIZER_MODEL_WPM)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   "Splitting into words needs a WordPiece vocabulary");
      return FALSE;
    }
  return TRUE;
}

gboolean
sc_tokenizer_split_words (ScTokenizer  *tok,
                          const char   *text,
                          gssize        len,
                          GArray       *out_words,
                          GArray       *out_ids,
                          GError      **error)
{
  g_return_val_if_fail (tok != NULL, FALSE);
  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (out_words != NULL, FALSE);
  g_return_val_if_fail (g_array_get_element_size (out_words) == sizeof (ScTokenizerWord), FALSE);
  g_return_val_if_fail (out_ids != NULL, FALSE);
  g_return_val_if_fail (g_array_get_element_size (out_ids) == sizeof (gint32), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_wpm (tok, error))
    return FALSE;
  if (len < 0)
    len = (gssize) strlen (text);
  split (tok, text, (gsize) len, out_words, out_ids);
  return TRUE;
}

gboolean
sc_tokenizer_encode_word (ScTokenizer  *tok,
                          const char   *word,
                          gssize        len,
                          GArray       *out_ids,
                          GError      **error)
{
  guint start_len;

  g_return_val_if_fail (tok != NULL, FALSE);
  g_return_val_if_fail (word != NULL || len == 0, FALSE);
  g_return_val_if_fail (out_ids != NULL, FALSE);
  g_return_val_if_fail (g_array_get_element_size (out_ids) == sizeof (gint32), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_wpm (tok, error))
    return FALSE;
  if (len < 0)
    len = (gssize) strlen (word);
  start_len = out_ids->len;
  split (tok, word, (gsize) len, NULL, out_ids);
  if (out_ids->len == start_len)
    g_array_append_val (out_ids, tok->unk_id);
  return TRUE;
}
