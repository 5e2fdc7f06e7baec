/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-tokenizer.c: SentencePiece and byte-level BPE tokenization on small hand-built
 * vocabularies, with the ids worked out by hand from llama.cpp's algorithm (and confirmed
 * against llama.cpp by tools/crosscheck/ on generated models), the pre-tokenizer splits,
 * special tokens, decoding, and the GGUF bridge's errors. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <string.h>

#include "sc-error.h"
#include "sc-gguf.h"
#include "sc-tokenizer.h"
#include "sc-tokenizer-private.h"
#include "sc-test-gguf.h"

/* ------------------------------------------------------------------------------------------ */
/* Vocabularies                                                                               */
/* ------------------------------------------------------------------------------------------ */

/* SPM: 0 <unk>, 1 <s>, 2 </s>, 3…258 <0x00>…<0xFF>, then these pieces. */
enum
{
  SPM_SPACE = 259, SPM_M, SPM_A, SPM_SZ, SPM_PARA, SPM_5, SPM_SPACE_M, SPM_MA, SPM_ASZ,
  SPM_SPACE_MASZ, SPM_SPACE_PARA, SPM_IM_START, SPM_ABS, SPM_N
};
#define SPM_BYTE(b) (3 + (b))

static const struct
{
  const char *text;
  float       score;
  gint32      type;
} spm_pieces[] = {
  { "\xe2\x96\x81", -10, SC_TOKEN_TYPE_NORMAL },           /* ▁ */
  { "M", -10, SC_TOKEN_TYPE_NORMAL },
  { "a", -10, SC_TOKEN_TYPE_NORMAL },
  { "\xc3\x9f", -10, SC_TOKEN_TYPE_NORMAL },               /* ß */
  { "\xc2\xa7", -10, SC_TOKEN_TYPE_NORMAL },               /* § */
  { "5", -10, SC_TOKEN_TYPE_NORMAL },
  { "\xe2\x96\x81M", -3, SC_TOKEN_TYPE_NORMAL },           /* ▁M */
  { "Ma", -1, SC_TOKEN_TYPE_NORMAL },
  { "a\xc3\x9f", -2, SC_TOKEN_TYPE_NORMAL },               /* aß */
  { "\xe2\x96\x81Ma\xc3\x9f", -4, SC_TOKEN_TYPE_NORMAL },  /* ▁Maß: never reached, ▁Ma is no piece */
  { "\xe2\x96\x81\xc2\xa7", -5, SC_TOKEN_TYPE_NORMAL },    /* ▁§ */
  { "<|im_start|>", 0, SC_TOKEN_TYPE_CONTROL },
  { "[ABS]", 0, SC_TOKEN_TYPE_USER_DEFINED },
};

static ScTokenizer *
make_spm (gboolean add_bos)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) scores = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(GArray) types = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GError) error = NULL;
  ScVocab vocab = { 0 };
  ScTokenizer *tok;

#define ADD(t, s, ty) G_STMT_START { float s_ = (s); gint32 ty_ = (ty); \
    g_ptr_array_add (texts, (t)); g_array_append_val (scores, s_); g_array_append_val (types, ty_); \
  } G_STMT_END
  ADD (g_strdup ("<unk>"), 0, SC_TOKEN_TYPE_UNKNOWN);
  ADD (g_strdup ("<s>"), 0, SC_TOKEN_TYPE_CONTROL);
  ADD (g_strdup ("</s>"), 0, SC_TOKEN_TYPE_CONTROL);
  for (guint b = 0; b < 256; b++)
    ADD (g_strdup_printf ("<0x%02X>", b), 0, SC_TOKEN_TYPE_BYTE);
  for (guint i = 0; i < G_N_ELEMENTS (spm_pieces); i++)
    ADD (g_strdup (spm_pieces[i].text), spm_pieces[i].score, spm_pieces[i].type);
#undef ADD
  g_assert_cmpuint (texts->len, ==, SPM_N);

  vocab.model = SC_TOKENIZER_MODEL_SPM;
  vocab.n_tokens = texts->len;
  vocab.tokens = (const char *const *) texts->pdata;
  vocab.scores = (const float *) (void *) scores->data;
  vocab.token_types = (const gint32 *) (void *) types->data;
  vocab.bos_id = 1;
  vocab.eos_id = 2;
  vocab.unk_id = 0;
  vocab.pad_id = -1;
  vocab.add_bos = add_bos;
  vocab.add_space_prefix = TRUE;

  tok = sc_tokenizer_new (&vocab, &error);
  g_assert_no_error (error);
  return tok;
}

/* BPE: 0…255 the bytes in GPT-2's alphabet (id = byte value), then these merges' results. */
enum
{
  BPE_SZ = 256, BPE_ASZ, BPE_MASZ, BPE_SPACE_I, BPE_ST, BPE_SPACE_IST, BPE_12, BPE_123,
  BPE_APOS_S, BPE_IM_START, BPE_IM_END, BPE_ABS, BPE_N
};

static const char *const bpe_merges[] = {
  "\xc3\x83 \xc5\x81",              /* Ã Ł → ÃŁ (ß) */
  "a \xc3\x83\xc5\x81",             /* a ÃŁ */
  "M a\xc3\x83\xc5\x81",            /* M aÃŁ */
  "\xc4\xa0 i",                     /* Ġ i */
  "s t",
  "\xc4\xa0i st",                   /* Ġi st */
  "1 2",
  "12 3",
  "' s",
};

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
  g_assert_cmpuint (texts->len, ==, BPE_N);

  vocab.model = SC_TOKENIZER_MODEL_BPE;
  vocab.pre = pre;
  vocab.n_tokens = texts->len;
  vocab.tokens = (const char *const *) texts->pdata;
  vocab.token_types = (const gint32 *) (void *) types->data;
  vocab.n_merges = G_N_ELEMENTS (bpe_merges);
  vocab.merges = bpe_merges;
  vocab.bos_id = BPE_IM_START;
  vocab.eos_id = BPE_IM_END;
  vocab.unk_id = -1;
  vocab.pad_id = -1;
  vocab.add_bos = TRUE;
  vocab.add_eos = TRUE;

  tok = sc_tokenizer_new (&vocab, &error);
  g_assert_no_error (error);
  return tok;
}

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void
assert_ids (ScTokenizer  *tok,
            const char   *text,
            gboolean      add_special,
            gboolean      parse_special,
            const gint32 *expected,
            gsize         n_expected)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) got = g_string_new (NULL);
  g_autoptr(GString) want = g_string_new (NULL);

  g_assert_true (sc_tokenizer_encode (tok, text, -1, add_special, parse_special, ids, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (got, " %d", g_array_index (ids, gint32, i));
  for (gsize i = 0; i < n_expected; i++)
    g_string_append_printf (want, " %d", expected[i]);
  if (!g_str_equal (got->str, want->str))
    g_test_message ("text “%s”", text);
  g_assert_cmpstr (got->str, ==, want->str);
}

#define ASSERT_IDS(tok, text, add, parse, ...) G_STMT_START { \
    const gint32 expected_[] = { __VA_ARGS__ }; \
    assert_ids ((tok), (text), (add), (parse), expected_, G_N_ELEMENTS (expected_)); \
  } G_STMT_END

#define ASSERT_NO_IDS(tok, text, add, parse) \
  assert_ids ((tok), (text), (add), (parse), NULL, 0)

static char *
decode_all (ScTokenizer *tok,
            GArray      *ids,
            gboolean     special)
{
  g_autoptr(GError) error = NULL;
  char *text = sc_tokenizer_decode (tok, (const gint32 *) (void *) ids->data, ids->len,
                                    special, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (text);
  return text;
}

static void
assert_round_trip (ScTokenizer *tok,
                   const char  *text,
                   gboolean     add_special)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GError) error = NULL;
  g_autofree char *back = NULL;

  g_assert_true (sc_tokenizer_encode (tok, text, -1, add_special, FALSE, ids, &error));
  g_assert_no_error (error);
  back = decode_all (tok, ids, FALSE);
  g_assert_cmpstr (back, ==, text);
}

static void
assert_split (ScTokenizerPre      pre,
              const char         *text,
              const char *const  *expected)
{
  g_auto(GStrv) words = _sc_bpe_pre_tokenize (pre, text, strlen (text));
  g_autofree char *got = g_strjoinv ("|", words);
  g_autofree char *want = g_strjoinv ("|", (char **) expected);

  g_assert_cmpstr (got, ==, want);
}

#define ASSERT_SPLIT(pre, text, ...) G_STMT_START { \
    const char *const expected_[] = { __VA_ARGS__, NULL }; \
    assert_split ((pre), (text), expected_); \
  } G_STMT_END

/* ------------------------------------------------------------------------------------------ */
/* SentencePiece                                                                              */
/* ------------------------------------------------------------------------------------------ */

static void
test_spm_merges (void)
{
  g_autoptr(ScTokenizer) tok = make_spm (TRUE);

  /* "▁Maß▁§▁5": "Ma" (-1) wins over "aß" (-2) and "▁M" (-3); "▁Ma" is no piece, so "▁Maß"
   * is never formed even though it is in the vocabulary */
  ASSERT_IDS (tok, "Ma\xc3\x9f \xc2\xa7 5", FALSE, FALSE,
              SPM_SPACE, SPM_MA, SPM_SZ, SPM_SPACE_PARA, SPM_SPACE, SPM_5);
  /* add_special puts BOS first */
  ASSERT_IDS (tok, "Ma\xc3\x9f \xc2\xa7 5", TRUE, FALSE,
              1, SPM_SPACE, SPM_MA, SPM_SZ, SPM_SPACE_PARA, SPM_SPACE, SPM_5);
  /* runs of spaces stay one ▁ each; newlines have no piece and become a byte token */
  ASSERT_IDS (tok, "Ma\xc3\x9f  5", FALSE, FALSE,
              SPM_SPACE, SPM_MA, SPM_SZ, SPM_SPACE, SPM_SPACE, SPM_5);
  ASSERT_IDS (tok, "5\n5", FALSE, FALSE, SPM_SPACE, SPM_5, SPM_BYTE (0x0A), SPM_5);
  ASSERT_NO_IDS (tok, "", FALSE, FALSE);
  ASSERT_IDS (tok, "", TRUE, FALSE, 1);
}

static void
test_spm_byte_fallback (void)
{
  g_autoptr(ScTokenizer) tok = make_spm (FALSE);

  /* € (E2 82 AC) and 😀 (F0 9F 98 80) are no pieces: their UTF-8 bytes are emitted */
  ASSERT_IDS (tok, "5\xe2\x82\xac", FALSE, FALSE,
              SPM_SPACE, SPM_5, SPM_BYTE (0xE2), SPM_BYTE (0x82), SPM_BYTE (0xAC));
  ASSERT_IDS (tok, "\xf0\x9f\x98\x80", FALSE, FALSE,
              SPM_SPACE, SPM_BYTE (0xF0), SPM_BYTE (0x9F), SPM_BYTE (0x98), SPM_BYTE (0x80));
  /* German letters without pieces, and digits, likewise */
  ASSERT_IDS (tok, "\xc3\xbc" "7", FALSE, FALSE,
              SPM_SPACE, SPM_BYTE (0xC3), SPM_BYTE (0xBC), SPM_BYTE ('7'));
}

static void
test_spm_special (void)
{
  g_autoptr(ScTokenizer) tok = make_spm (FALSE);

  /* parsed: the control token, then the text with its own leading space */
  ASSERT_IDS (tok, "<|im_start|>Ma\xc3\x9f", FALSE, TRUE,
              SPM_IM_START, SPM_SPACE, SPM_MA, SPM_SZ);
  /* not parsed: plain characters, bytes for those without pieces ("a" of "start" has one) */
  ASSERT_IDS (tok, "<|im_start|>Ma\xc3\x9f", FALSE, FALSE,
              SPM_SPACE, SPM_BYTE ('<'), SPM_BYTE ('|'), SPM_BYTE ('i'), SPM_BYTE ('m'),
              SPM_BYTE ('_'), SPM_BYTE ('s'), SPM_BYTE ('t'), SPM_A, SPM_BYTE ('r'),
              SPM_BYTE ('t'), SPM_BYTE ('|'), SPM_BYTE ('>'), SPM_MA, SPM_SZ);
  /* user-defined tokens are matched either way, and the text after them gets a space */
  ASSERT_IDS (tok, "Ma\xc3\x9f[ABS]5", FALSE, FALSE,
              SPM_SPACE, SPM_MA, SPM_SZ, SPM_ABS, SPM_SPACE, SPM_5);
  /* <s> and <unk> are control/unknown: text unless parse_special */
  ASSERT_IDS (tok, "<s>", FALSE, TRUE, 1);
  ASSERT_IDS (tok, "<unk>5", FALSE, TRUE, 0, SPM_SPACE, SPM_5);
}

static void
test_spm_decode (void)
{
  g_autoptr(ScTokenizer) tok = make_spm (TRUE);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GString) piece = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *with = NULL;
  g_autofree char *without = NULL;

  assert_round_trip (tok, "Ma\xc3\x9f \xc2\xa7 5", FALSE);
  assert_round_trip (tok, "Ma\xc3\x9f \xc2\xa7 5", TRUE);
  assert_round_trip (tok, "  Stra\xc3\x9f" "e 5 \xe2\x82\xac \xf0\x9f\x98\x80\n\nEnde  ", TRUE);
  assert_round_trip (tok, "Ma\xc3\x9f[ABS]5", FALSE);

  g_assert_true (sc_tokenizer_encode (tok, "<|im_start|>Ma\xc3\x9f", -1, FALSE, TRUE, ids,
                                      &error));
  g_assert_no_error (error);
  with = decode_all (tok, ids, TRUE);
  without = decode_all (tok, ids, FALSE);
  g_assert_cmpstr (with, ==, "<|im_start|>Ma\xc3\x9f");
  g_assert_cmpstr (without, ==, "Ma\xc3\x9f");

  g_assert_true (sc_tokenizer_token_to_piece (tok, SPM_SPACE_PARA, FALSE, piece, &error));
  g_assert_cmpstr (piece->str, ==, " \xc2\xa7");
  g_string_truncate (piece, 0);
  g_assert_true (sc_tokenizer_token_to_piece (tok, SPM_BYTE (0x0A), FALSE, piece, &error));
  g_assert_cmpstr (piece->str, ==, "\n");
  g_string_truncate (piece, 0);
  g_assert_true (sc_tokenizer_token_to_piece (tok, 1, FALSE, piece, &error));
  g_assert_cmpuint (piece->len, ==, 0);
  g_assert_true (sc_tokenizer_token_to_piece (tok, 1, TRUE, piece, &error));
  g_assert_cmpstr (piece->str, ==, "<s>");
  g_assert_no_error (error);

  g_assert_false (sc_tokenizer_token_to_piece (tok, SPM_N, FALSE, piece, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
}

/* ------------------------------------------------------------------------------------------ */
/* Byte-level BPE                                                                             */
/* ------------------------------------------------------------------------------------------ */

static void
test_bpe_pre_tokenizers (void)
{
  /* qwen2: single digits; a run of spaces before a word leaves it one */
  ASSERT_SPLIT (SC_TOKENIZER_PRE_QWEN2, "Ma\xc3\x9f 12345 ist's",
                "Ma\xc3\x9f", " ", "1", "2", "3", "4", "5", " ist", "'s");
  ASSERT_SPLIT (SC_TOKENIZER_PRE_QWEN2, "a   b", "a", "  ", " b");
  ASSERT_SPLIT (SC_TOKENIZER_PRE_QWEN2, "a  \n\nb", "a", "  \n\n", "b");
  /* llama3: digits in threes, punctuation with its space, case-insensitive contractions */
  ASSERT_SPLIT (SC_TOKENIZER_PRE_LLAMA3, "Jahr 2024: 12345 \xe2\x82\xac",
                "Jahr", " ", "202", "4", ":", " ", "123", "45", " \xe2\x82\xac");
  ASSERT_SPLIT (SC_TOKENIZER_PRE_LLAMA3, "IT'S \xc2\xa7\xc2\xa7 195,199 BGB.\n",
                "IT", "'S", " \xc2\xa7\xc2\xa7", " ", "195", ",", "199", " BGB", ".\n");
  ASSERT_SPLIT (SC_TOKENIZER_PRE_LLAMA3, "\xe2\x80\x9eZitat\xe2\x80\x9c",
                "\xe2\x80\x9eZitat", "\xe2\x80\x9c");
  /* gpt-2: " ?\p{L}+", " ?\p{N}+", no lower-casing of contractions */
  ASSERT_SPLIT (SC_TOKENIZER_PRE_GPT2, "Hallo  Welt!!\n", "Hallo", " ", " Welt", "!!", "\n");
  ASSERT_SPLIT (SC_TOKENIZER_PRE_GPT2, "IT'S it's", "IT", "'", "S", " it", "'s");
  /* default: punctuation runs first, then gpt-2, then numbers, then ASCII digit triples */
  ASSERT_SPLIT (SC_TOKENIZER_PRE_DEFAULT, "Preis: 1.000\xe2\x82\xac",
                "Preis", ":", " ", "1", ".", "000", "\xe2\x82\xac");
  ASSERT_SPLIT (SC_TOKENIZER_PRE_DEFAULT, "Ma\xc3\x9f 12345 ist's",
                "Ma\xc3\x9f", " ", "123", "45", " ist", "'", "s");
}

static void
test_bpe_merges (void)
{
  g_autoptr(ScTokenizer) qwen2 = make_bpe (SC_TOKENIZER_PRE_QWEN2);
  g_autoptr(ScTokenizer) llama3 = make_bpe (SC_TOKENIZER_PRE_LLAMA3);
  g_autoptr(ScTokenizer) gpt2 = make_bpe (SC_TOKENIZER_PRE_GPT2);
  g_autoptr(ScTokenizer) def = make_bpe (SC_TOKENIZER_PRE_DEFAULT);
  const char *text = "Ma\xc3\x9f 12345 ist's";

  ASSERT_IDS (qwen2, text, FALSE, FALSE,
              BPE_MASZ, ' ', '1', '2', '3', '4', '5', BPE_SPACE_IST, BPE_APOS_S);
  /* llama3 looks whole words up first ("123", "Ġist"), the others merge up to them */
  ASSERT_IDS (llama3, text, FALSE, FALSE,
              BPE_MASZ, ' ', BPE_123, '4', '5', BPE_SPACE_IST, BPE_APOS_S);
  ASSERT_IDS (gpt2, text, FALSE, FALSE,
              BPE_MASZ, ' ', BPE_123, '4', '5', BPE_SPACE_IST, BPE_APOS_S);
  ASSERT_IDS (def, text, FALSE, FALSE,
              BPE_MASZ, ' ', BPE_123, '4', '5', BPE_SPACE_IST, '\'', 's');
  /* add_special: BOS and EOS as the flags say */
  ASSERT_IDS (qwen2, "5", TRUE, FALSE, BPE_IM_START, '5', BPE_IM_END);
  /* € in " €" stays three bytes (E2 82 AC) after its space */
  ASSERT_IDS (qwen2, "5 \xe2\x82\xac", FALSE, FALSE, '5', ' ', 0xE2, 0x82, 0xAC);
  /* ß on its own merges to ÃŁ, ä (C3 A4) has no merge */
  ASSERT_IDS (qwen2, "\xc3\x9f\xc3\xa4", FALSE, FALSE, BPE_SZ, 0xC3, 0xA4);
  ASSERT_IDS (qwen2, "a  \n\nb", FALSE, FALSE, 'a', ' ', ' ', '\n', '\n', 'b');
}

static void
test_bpe_special (void)
{
  g_autoptr(ScTokenizer) tok = make_bpe (SC_TOKENIZER_PRE_QWEN2);

  ASSERT_IDS (tok, "<|im_start|>Ma\xc3\x9f<|im_end|>", FALSE, TRUE,
              BPE_IM_START, BPE_MASZ, BPE_IM_END);
  /* as text: "<|", "im", "_start", "|>", "Maß", "<|", "im", "_end", "|>" */
  ASSERT_IDS (tok, "<|im_start|>Ma\xc3\x9f<|im_end|>", FALSE, FALSE,
              '<', '|', 'i', 'm', '_', BPE_ST, 'a', 'r', 't', '|', '>', BPE_MASZ,
              '<', '|', 'i', 'm', '_', 'e', 'n', 'd', '|', '>');
  ASSERT_IDS (tok, "Ma\xc3\x9f[ABS]", FALSE, FALSE, BPE_MASZ, BPE_ABS);
  ASSERT_IDS (tok, "[ABS]<|im_end|>", TRUE, TRUE, BPE_IM_START, BPE_ABS, BPE_IM_END, BPE_IM_END);
}

static void
test_bpe_decode (void)
{
  ScTokenizerPre pres[] = { SC_TOKENIZER_PRE_DEFAULT, SC_TOKENIZER_PRE_GPT2,
                            SC_TOKENIZER_PRE_LLAMA3, SC_TOKENIZER_PRE_QWEN2 };

  for (guint i = 0; i < G_N_ELEMENTS (pres); i++)
    {
      g_autoptr(ScTokenizer) tok = make_bpe (pres[i]);
      g_autoptr(GString) piece = g_string_new (NULL);
      g_autoptr(GError) error = NULL;

      assert_round_trip (tok, "Gem\xc3\xa4\xc3\x9f \xc2\xa7 35: 1.250,00 \xe2\x82\xac \xe2\x80\x93 "
                         "Stra\xc3\x9f" "e\n\n  Ende \xf0\x9f\x98\x80  ", FALSE);
      assert_round_trip (tok, "Ma\xc3\x9f[ABS]5", TRUE);
      g_assert_true (sc_tokenizer_token_to_piece (tok, BPE_SPACE_IST, FALSE, piece, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (piece->str, ==, " ist");
    }
}

/* Invalid UTF-8 costs one byte per bad sequence and reads as U+FFFD (EF BF BD). */
static void
test_bpe_invalid_utf8 (void)
{
  g_autoptr(ScTokenizer) tok = make_bpe (SC_TOKENIZER_PRE_QWEN2);

  ASSERT_IDS (tok, "a\xff" "b\xc3", FALSE, FALSE, 'a', 0xEF, 0xBF, 0xBD, 'b', 0xEF, 0xBF, 0xBD);
}

/* ------------------------------------------------------------------------------------------ */
/* Construction errors and the GGUF bridge                                                     */
/* ------------------------------------------------------------------------------------------ */

static void
test_new_errors (void)
{
  const char *const tokens[] = { "a", "b", "a" };
  ScVocab vocab = { 0 };
  g_autoptr(GError) error = NULL;
  ScTokenizer *tok;

  vocab.model = SC_TOKENIZER_MODEL_SPM;
  vocab.n_tokens = 3;
  vocab.tokens = tokens;
  vocab.bos_id = vocab.eos_id = vocab.unk_id = vocab.pad_id = -1;
  tok = sc_tokenizer_new (&vocab, &error);
  g_assert_null (tok);
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_clear_error (&error);

  vocab.n_tokens = 2;
  vocab.bos_id = 2;
  tok = sc_tokenizer_new (&vocab, &error);
  g_assert_null (tok);
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_clear_error (&error);

  vocab.bos_id = -1;
  vocab.add_bos = TRUE;
  tok = sc_tokenizer_new (&vocab, &error);
  g_assert_null (tok);
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_clear_error (&error);

  vocab.add_bos = FALSE;
  vocab.model = 7;
  tok = sc_tokenizer_new (&vocab, &error);
  g_assert_null (tok);
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
}

static ScTestGguf *
spm_gguf (void)
{
  static const char *const tokens[] = { "<unk>", "<s>", "</s>", "\xe2\x96\x81", "5",
                                        "\xe2\x96\x81" "5" };
  const float scores[] = { 0, 0, 0, -2, -2, -1 };
  const gint32 types[] = { 2, 3, 3, 1, 1, 1 };
  ScTestGguf *w = sc_test_gguf_new (3);

  sc_test_gguf_add_string (w, "general.architecture", "llama");
  sc_test_gguf_add_string (w, "tokenizer.ggml.model", "llama");
  sc_test_gguf_add_string_array (w, "tokenizer.ggml.tokens", tokens, G_N_ELEMENTS (tokens));
  sc_test_gguf_add_array (w, "tokenizer.ggml.scores", SC_GGUF_TYPE_FLOAT32, scores,
                          G_N_ELEMENTS (scores));
  sc_test_gguf_add_array (w, "tokenizer.ggml.token_type", SC_GGUF_TYPE_INT32, types,
                          G_N_ELEMENTS (types));
  return w;
}

static ScTokenizer *
tokenizer_from (ScTestGguf *w,
                GError    **error)
{
  g_autoptr(GBytes) bytes = sc_test_gguf_to_bytes (w);
  g_autoptr(ScGguf) gguf = NULL;
  g_autoptr(GError) local = NULL;

  gguf = sc_gguf_new_from_bytes (bytes, &local);
  g_assert_no_error (local);
  return sc_tokenizer_new_from_gguf (gguf, error);
}

static void
test_gguf (void)
{
  g_autoptr(ScTestGguf) w = spm_gguf ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ScTokenizer) tok = tokenizer_from (w, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sc_tokenizer_get_model (tok), ==, SC_TOKENIZER_MODEL_SPM);
  g_assert_cmpuint (sc_tokenizer_get_n_tokens (tok), ==, 6);
  /* llama.cpp's SPM defaults: BOS 1, EOS 2, unknown 0, add_bos, space prefix */
  g_assert_cmpint (sc_tokenizer_get_bos (tok), ==, 1);
  g_assert_cmpint (sc_tokenizer_get_eos (tok), ==, 2);
  g_assert_cmpint (sc_tokenizer_get_unk (tok), ==, 0);
  g_assert_true (sc_tokenizer_get_add_bos (tok));
  g_assert_true (sc_tokenizer_is_eog (tok, 2));
  g_assert_cmpint (sc_tokenizer_get_token_type (tok, 0), ==, SC_TOKEN_TYPE_UNKNOWN);
  g_assert_cmpstr (sc_tokenizer_get_token_text (tok, 5), ==, "\xe2\x96\x81" "5");
  g_assert_cmpint (sc_tokenizer_lookup (tok, "5"), ==, 4);
  ASSERT_IDS (tok, "5 5", TRUE, FALSE, 1, 5, 5);
  /* no byte tokens: an unknown character becomes <unk> */
  ASSERT_IDS (tok, "5x", FALSE, FALSE, 5, 0);
}

static void
test_gguf_flags (void)
{
  g_autoptr(ScTestGguf) w = spm_gguf ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ScTokenizer) tok = NULL;

  sc_test_gguf_add_bool (w, "tokenizer.ggml.add_bos_token", FALSE);
  sc_test_gguf_add_bool (w, "tokenizer.ggml.add_eos_token", TRUE);
  sc_test_gguf_add_bool (w, "tokenizer.ggml.add_space_prefix", FALSE);
  sc_test_gguf_add_u32 (w, "tokenizer.ggml.eos_token_id", 1);
  sc_test_gguf_add_u32 (w, "tokenizer.ggml.padding_token_id", 99);  /* ignored */
  tok = tokenizer_from (w, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sc_tokenizer_get_pad (tok), ==, -1);
  ASSERT_IDS (tok, "5 5", TRUE, FALSE, 4, 5, 1);
}

static void
test_gguf_errors (void)
{
  static const char *const tokens[] = { "a", "b" };
  const gint32 ints[] = { 1, 1 };
  const float floats[] = { 0, 0 };
  g_autoptr(GError) error = NULL;
  ScTokenizer *tok;

  /* no tokenizer at all */
  {
    g_autoptr(ScTestGguf) w = sc_test_gguf_new (3);

    sc_test_gguf_add_string (w, "general.architecture", "llama");
    tok = tokenizer_from (w, &error);
    g_assert_null (tok);
    g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
    g_assert_nonnull (strstr (error->message, "tokenizer.ggml.model"));
    g_clear_error (&error);
  }
  /* an unknown tokenizer model */
  {
    g_autoptr(ScTestGguf) w = sc_test_gguf_new (3);

    sc_test_gguf_add_string (w, "tokenizer.ggml.model", "t5");
    sc_test_gguf_add_string_array (w, "tokenizer.ggml.tokens", tokens, 2);
    tok = tokenizer_from (w, &error);
    g_assert_null (tok);
    g_assert_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED);
    g_clear_error (&error);
  }
  /* the tokens array missing, or holding integers */
  {
    g_autoptr(ScTestGguf) w = sc_test_gguf_new (3);

    sc_test_gguf_add_string (w, "tokenizer.ggml.model", "llama");
    tok = tokenizer_from (w, &error);
    g_assert_null (tok);
    g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
    g_assert_nonnull (strstr (error->message, "tokenizer.ggml.tokens"));
    g_clear_error (&error);
  }
  {
    g_autoptr(ScTestGguf) w = sc_test_gguf_new (3);

    sc_test_gguf_add_string (w, "tokenizer.ggml.model", "llama");
    sc_test_gguf_add_array (w, "tokenizer.ggml.tokens", SC_GGUF_TYPE_INT32, ints, 2);
    tok = tokenizer_from (w, &error);
    g_assert_null (tok);
    g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
    g_clear_error (&error);
  }
  /* token types of the wrong element type */
  {
    g_autoptr(ScTestGguf) w = sc_test_gguf_new (3);

    sc_test_gguf_add_string (w, "tokenizer.ggml.model", "llama");
    sc_test_gguf_add_string_array (w, "tokenizer.ggml.tokens", tokens, 2);
    sc_test_gguf_add_array (w, "tokenizer.ggml.token_type", SC_GGUF_TYPE_FLOAT32, floats, 2);
    tok = tokenizer_from (w, &error);
    g_assert_null (tok);
    g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
    g_assert_nonnull (strstr (error->message, "token_type"));
    g_clear_error (&error);
  }
  /* a BOS id outside the vocabulary */
  {
    g_autoptr(ScTestGguf) w = sc_test_gguf_new (3);

    sc_test_gguf_add_string (w, "tokenizer.ggml.model", "llama");
    sc_test_gguf_add_string_array (w, "tokenizer.ggml.tokens", tokens, 2);
    sc_test_gguf_add_u32 (w, "tokenizer.ggml.bos_token_id", 2);
    tok = tokenizer_from (w, &error);
    g_assert_null (tok);
    g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
    g_assert_nonnull (strstr (error->message, "bos_token_id"));
    g_clear_error (&error);
  }
  /* BPE without merges, and an unknown pre-tokenizer */
  {
    g_autoptr(ScTestGguf) w = sc_test_gguf_new (3);

    sc_test_gguf_add_string (w, "tokenizer.ggml.model", "gpt2");
    sc_test_gguf_add_string (w, "tokenizer.ggml.pre", "qwen2");
    sc_test_gguf_add_string_array (w, "tokenizer.ggml.tokens", tokens, 2);
    tok = tokenizer_from (w, &error);
    g_assert_null (tok);
    g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
    g_assert_nonnull (strstr (error->message, "merges"));
    g_clear_error (&error);
  }
  {
    g_autoptr(ScTestGguf) w = sc_test_gguf_new (3);

    sc_test_gguf_add_string (w, "tokenizer.ggml.model", "gpt2");
    sc_test_gguf_add_string (w, "tokenizer.ggml.pre", "tekken");
    sc_test_gguf_add_string_array (w, "tokenizer.ggml.tokens", tokens, 2);
    sc_test_gguf_add_string_array (w, "tokenizer.ggml.merges", tokens, 0);
    tok = tokenizer_from (w, &error);
    g_assert_null (tok);
    g_assert_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED);
    g_clear_error (&error);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sichtung/tokenizer/spm/merges", test_spm_merges);
  g_test_add_func ("/sichtung/tokenizer/spm/byte-fallback", test_spm_byte_fallback);
  g_test_add_func ("/sichtung/tokenizer/spm/special", test_spm_special);
  g_test_add_func ("/sichtung/tokenizer/spm/decode", test_spm_decode);
  g_test_add_func ("/sichtung/tokenizer/bpe/pre-tokenizers", test_bpe_pre_tokenizers);
  g_test_add_func ("/sichtung/tokenizer/bpe/merges", test_bpe_merges);
  g_test_add_func ("/sichtung/tokenizer/bpe/special", test_bpe_special);
  g_test_add_func ("/sichtung/tokenizer/bpe/decode", test_bpe_decode);
  g_test_add_func ("/sichtung/tokenizer/bpe/invalid-utf8", test_bpe_invalid_utf8);
  g_test_add_func ("/sichtung/tokenizer/new-errors", test_new_errors);
  g_test_add_func ("/sichtung/tokenizer/gguf", test_gguf);
  g_test_add_func ("/sichtung/tokenizer/gguf/flags", test_gguf_flags);
  g_test_add_func ("/sichtung/tokenizer/gguf/errors", test_gguf_errors);

  return g_test_run ();
}
