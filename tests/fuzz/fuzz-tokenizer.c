/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-tokenizer.c: libFuzzer target for the tokenizers (SPM, byte-level BPE with every
 * pre-tokenizer, WordPiece) on arbitrary bytes.
 *
 * The vocabularies are small and built once: every byte is reachable (SPM byte tokens, BPE's
 * 256-symbol alphabet), a few merges and German pieces exercise the merge loops, and control
 * and user-defined tokens exercise special-token parsing. The first input byte picks the BPE
 * pre-tokenizer and the add/parse-special flags; the rest is the text. Every encoding is
 * decoded again, piece by piece and as a whole. */
#define G_LOG_DOMAIN "sichtung-fuzz"

#include "config.h"

#include <stdlib.h>

#include "fuzz-common.h"
#include "sc-error.h"
#include "sc-tokenizer.h"
#include "sc-tokenizer-private.h"

static ScTokenizer *spm;
static ScTokenizer *bpe[SC_TOKENIZER_PRE_QWEN2 + 1];
static ScTokenizer *wpm;

static const char *const spm_pieces[] = {
  "\xe2\x96\x81", "\xe2\x96\x81" "Antrag", "\xe2\x96\x81" "auf", "\xe2\x96\x81" "Wohn", "geld",
  "\xe2\x96\x81" "M\xc3\xbc" "ller", "\xe2\x96\x81" "Frist", "en", "er", "st", "\xc3\xa4",
  "\xc3\xb6", "\xc3\xbc", "\xc3\x9f", "a", "e", "n", "r", "s", "t", "1", "2", "3",
  "<|user|>",
};

static const char *const bpe_merges[] = {
  "\xc3\x83 \xc5\x81",            /* the two symbols of ß */
  "a \xc3\x83\xc5\x81",
  "M a\xc3\x83\xc5\x81",
  "\xc4\xa0 i",                   /* Ġ i */
  "s t",
  "\xc4\xa0i st",
  "1 2",
  "12 3",
  "' s",
  "e n",
  "e r",
  "\xc4\xa0 A",
  "\xc4\xa0\x41 n",
};

static const char *const wpm_words[] = {
  "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
  "antrag", "auf", "wohn", "##geld", "frau", "erika", "m", "##ull", "##er", "##ü", "mü",
  "iban", "de", "##89", "3", "##7", "##04", ".", ",", "-", "§", "abs", "bgb", "ä", "ö", "ü",
  "ß", "a", "##a", "e", "##e", "##n", "##s", "##t", "1", "##1", "2", "##2",
};

static ScTokenizer *
make_spm (void)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) scores = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(GArray) types = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GError) error = NULL;
  ScVocab vocab = { 0 };
  ScTokenizer *tok;

#define ADD(t, s, ty) G_STMT_START { float s_ = (s); gint32 ty_ = (ty); \
    g_ptr_array_add (texts, (t)); g_array_append_val (scores, s_); \
    g_array_append_val (types, ty_); } G_STMT_END
  ADD (g_strdup ("<unk>"), 0, SC_TOKEN_TYPE_UNKNOWN);
  ADD (g_strdup ("<s>"), 0, SC_TOKEN_TYPE_CONTROL);
  ADD (g_strdup ("</s>"), 0, SC_TOKEN_TYPE_CONTROL);
  for (guint b = 0; b < 256; b++)
    ADD (g_strdup_printf ("<0x%02X>", b), 0, SC_TOKEN_TYPE_BYTE);
  for (guint i = 0; i < G_N_ELEMENTS (spm_pieces); i++)
    ADD (g_strdup (spm_pieces[i]), -(float) i,
         g_str_has_prefix (spm_pieces[i], "<|") ? SC_TOKEN_TYPE_USER_DEFINED
                                                : SC_TOKEN_TYPE_NORMAL);
#undef ADD

  vocab.model = SC_TOKENIZER_MODEL_SPM;
  vocab.n_tokens = texts->len;
  vocab.tokens = (const char *const *) texts->pdata;
  vocab.scores = (const float *) (void *) scores->data;
  vocab.token_types = (const gint32 *) (void *) types->data;
  vocab.bos_id = 1;
  vocab.eos_id = 2;
  vocab.unk_id = 0;
  vocab.pad_id = -1;
  vocab.add_bos = TRUE;
  vocab.add_space_prefix = TRUE;
  tok = sc_tokenizer_new (&vocab, &error);
  if (tok == NULL)
    g_error ("SPM vocabulary: %s", error->message);
  return tok;
}

static ScTokenizer *
make_bpe (ScTokenizerPre pre)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) types = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GError) error = NULL;
  ScVocab vocab = { 0 };
  ScTokenizer *tok;
  gint32 normal = SC_TOKEN_TYPE_NORMAL, control = SC_TOKEN_TYPE_CONTROL;
  gint32 user = SC_TOKEN_TYPE_USER_DEFINED;

  for (guint b = 0; b < 256; b++)
    {
      g_ptr_array_add (texts, g_strdup (_sc_bpe_byte_to_utf8 ((guint8) b)));
      g_array_append_val (types, normal);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bpe_merges); i++)
    {
      g_auto(GStrv) parts = g_strsplit (bpe_merges[i], " ", 2);

      g_ptr_array_add (texts, g_strconcat (parts[0], parts[1], NULL));
      g_array_append_val (types, normal);
    }
  g_ptr_array_add (texts, g_strdup ("<|im_start|>"));
  g_array_append_val (types, control);
  g_ptr_array_add (texts, g_strdup ("<|im_end|>"));
  g_array_append_val (types, control);
  g_ptr_array_add (texts, g_strdup ("[ABS]"));
  g_array_append_val (types, user);

  vocab.model = SC_TOKENIZER_MODEL_BPE;
  vocab.pre = pre;
  vocab.n_tokens = texts->len;
  vocab.tokens = (const char *const *) texts->pdata;
  vocab.token_types = (const gint32 *) (void *) types->data;
  vocab.n_merges = G_N_ELEMENTS (bpe_merges);
  vocab.merges = bpe_merges;
  vocab.bos_id = (gint32) texts->len - 3;
  vocab.eos_id = (gint32) texts->len - 2;
  vocab.unk_id = -1;
  vocab.pad_id = -1;
  vocab.add_bos = TRUE;
  vocab.add_eos = TRUE;
  tok = sc_tokenizer_new (&vocab, &error);
  if (tok == NULL)
    g_error ("BPE vocabulary: %s", error->message);
  return tok;
}

static ScTokenizer *
make_wpm (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) types = g_array_new (FALSE, FALSE, sizeof (gint32));
  ScVocab vocab = { 0 };
  ScTokenizer *tok;

  for (guint i = 0; i < G_N_ELEMENTS (wpm_words); i++)
    {
      gint32 type = wpm_words[i][0] == '[' ? SC_TOKEN_TYPE_CONTROL : SC_TOKEN_TYPE_NORMAL;

      g_array_append_val (types, type);
    }
  vocab.model = SC_TOKENIZER_MODEL_WPM;
  vocab.n_tokens = G_N_ELEMENTS (wpm_words);
  vocab.tokens = wpm_words;
  vocab.token_types = (const gint32 *) (void *) types->data;
  vocab.bos_id = 2;
  vocab.eos_id = 3;
  vocab.unk_id = 1;
  vocab.pad_id = 0;
  vocab.add_bos = TRUE;
  vocab.add_eos = TRUE;
  tok = sc_tokenizer_new (&vocab, &error);
  if (tok == NULL)
    g_error ("WordPiece vocabulary: %s", error->message);
  return tok;
}

/* Decodes @ids whole and piece by piece; every id came from the tokenizer, so both succeed. */
static void
decode_all (ScTokenizer *tok,
            GArray      *ids,
            gboolean     special)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) piece = g_string_new (NULL);
  g_autofree char *text = NULL;
  gsize len = 0;

  for (guint i = 0; i < ids->len; i++)
    {
      gint32 id = g_array_index (ids, gint32, i);

      if (id < 0 || (guint) id >= sc_tokenizer_get_n_tokens (tok))
        abort ();
      if (!sc_tokenizer_token_to_piece (tok, id, special, piece, &error))
        abort ();
      (void) sc_tokenizer_get_token_text (tok, id);
      (void) sc_tokenizer_is_eog (tok, id);
    }
  text = sc_tokenizer_decode (tok, (const gint32 *) (void *) ids->data, ids->len, special, &len,
                              &error);
  if (text == NULL)
    abort ();
}

static void
encode (ScTokenizer *tok,
        const char  *text,
        gsize        len,
        gboolean     add_special,
        gboolean     parse_special)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));

  if (sc_tokenizer_encode (tok, text, (gssize) len, add_special, parse_special, ids, &error))
    decode_all (tok, ids, parse_special);
}

static void
wordpiece (const char *text,
           gsize       len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) words = g_array_new (FALSE, FALSE, sizeof (ScTokenizerWord));
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));

  if (!sc_tokenizer_split_words (wpm, text, (gssize) len, words, ids, &error))
    return;
  for (guint i = 0; i < words->len; i++)
    {
      const ScTokenizerWord *w = &g_array_index (words, ScTokenizerWord, i);
      g_autoptr(GArray) word_ids = g_array_new (FALSE, FALSE, sizeof (gint32));

      if (w->start > w->end || w->end > len || w->n_ids == 0 ||
          w->first_id + w->n_ids > ids->len)
        abort ();
      if (!sc_tokenizer_encode_word (wpm, text + w->start, (gssize) (w->end - w->start),
                                     word_ids, &error))
        g_clear_error (&error);
    }
  decode_all (wpm, ids, FALSE);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  sc_fuzz_init ();
  spm = make_spm ();
  for (guint p = 0; p < G_N_ELEMENTS (bpe); p++)
    bpe[p] = make_bpe ((ScTokenizerPre) p);
  wpm = make_wpm ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text;
  gsize len;
  guint8 mode;

  if (size == 0)
    return 0;
  mode = data[0];
  len = size - 1;
  text = (const char *) sc_fuzz_copy (data + 1, len);

  encode (spm, text, len, mode & 0x10, mode & 0x20);
  encode (bpe[mode & 3], text, len, mode & 0x10, mode & 0x20);
  encode (wpm, text, len, mode & 0x10, mode & 0x20);
  wordpiece (text, len);
  g_free ((char *) text);
  return 0;
}
