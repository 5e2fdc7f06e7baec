/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-test-chat-model.c: the hand-built chat model of sc-test-chat-model.h.
 *
 * The residual stream has one dimension per token (its embedding is that one-hot direction
 * plus a constant dimension every token shares) and one retrieval dimension:
 *
 *   x = e[token] + e[CONST]
 *   attention (one head, head_dim 8, RoPE on dimensions 0–3 only):
 *       q[4] = constant, k[4] = large for the key piece only, v[5] = 1 for the key piece only
 *       x[RETR] += RETRIEVAL · v[5]            (softmax weight of the key piece: ≈ 1 or absent)
 *   feed-forward: all zero
 *   logits: output row of a chain token reads its predecessor's dimension (a bigram table
 *       "\n" → piece 0 → … → piece n-1 → <|im_end|>), and the rows of the answer pieces and of
 *       <|im_end|> also read x[RETR].
 *
 * Query and key live in head dimensions RoPE leaves alone (rope.dimension_count 4 < head_dim
 * 8), so the key token is found at any distance. Every token has the same embedding norm, so
 * the RMS norms scale every position alike, and the retrieval value is small enough to move
 * the final norm by well under a thousandth. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <math.h>
#include <gio/gio.h>

#include "sc-test-chat-model.h"
#include "sc-test-gguf.h"

#define GGUF_TYPE_INT32   5
#define GGUF_TYPE_FLOAT32 6
#define GGML_TYPE_F32     0

/* tokenizer.ggml.token_type values */
#define TOKEN_NORMAL  1
#define TOKEN_UNKNOWN 2
#define TOKEN_CONTROL 3
#define TOKEN_BYTE    6

#define ID_UNK      0
#define ID_IM_START 1
#define ID_IM_END   2
#define ID_BYTE_0   3

#define SPM_SPACE "\xe2\x96\x81" /* "▁" */

#define HEAD_DIM  8
#define N_ROT     4     /* dimensions 0–3 rotate; 4 and up keep their values at any position */
#define QK_DIM    4     /* head dimension of the constant query and the key piece's key */
#define VALUE_DIM 5     /* head dimension of the key piece's value */
#define N_FF      8
#define NORM_EPS  1e-6f

/* The attention score of the key piece (the others score 0): with e^20 ≈ 5·10^8 the key gets
 * all but n/5·10^8 of the weight in a context of n tokens. */
#define KEY_SCORE 20.0
/* What the head adds to the residual's retrieval dimension (the embedding norm is √2). */
#define RETRIEVAL 0.05
/* Logit added to the answer pieces and <|im_end|> when the key is in the context. */
#define BOOST     4.0

static const char chatml_template[] =
  "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
  "{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}"
  "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
  "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

/* Single characters in the vocabulary, so that German prompt text takes one token per
 * character instead of one per byte (ASCII 0x21–0x7E is added as well). */
static const char *const german_letters[] = { "ä", "ö", "ü", "Ä", "Ö", "Ü", "ß", NULL };

/* ---------------------------------------------------------------- vocabulary */

typedef struct
{
  GPtrArray  *texts;  /* char *, owned */
  GArray     *scores; /* float */
  GArray     *types;  /* gint32 */
  GHashTable *ids;    /* text (borrowed from texts) → id + 1 */
} Vocab;

static void
vocab_clear (Vocab *vocab)
{
  g_clear_pointer (&vocab->ids, g_hash_table_unref);
  g_clear_pointer (&vocab->texts, g_ptr_array_unref);
  g_clear_pointer (&vocab->scores, g_array_unref);
  g_clear_pointer (&vocab->types, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Vocab, vocab_clear)

static void
vocab_init (Vocab *vocab)
{
  vocab->texts = g_ptr_array_new_with_free_func (g_free);
  vocab->scores = g_array_new (FALSE, FALSE, sizeof (float));
  vocab->types = g_array_new (FALSE, FALSE, sizeof (gint32));
  vocab->ids = g_hash_table_new (g_str_hash, g_str_equal);
}

static gint32
vocab_lookup (const Vocab *vocab,
              const char  *text)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (vocab->ids, text)) - 1;
}

/* The id of @text, added with @score and @type unless it is there already. */
static gint32
vocab_add (Vocab      *vocab,
           const char *text,
           float       score,
           gint32      type)
{
  gint32 id = vocab_lookup (vocab, text);
  char *copy;

  if (id >= 0)
    return id;
  id = (gint32) vocab->texts->len;
  copy = g_strdup (text);
  g_ptr_array_add (vocab->texts, copy);
  g_array_append_val (vocab->scores, score);
  g_array_append_val (vocab->types, type);
  g_hash_table_insert (vocab->ids, copy, GINT_TO_POINTER (id + 1));
  return id;
}

/* Adds every prefix of @piece of two or more characters, so that SentencePiece's merges
 * (which only join neighbours whose concatenation is a piece) grow the word from its first
 * character to the whole piece. Only such chains hold pieces of several characters, so a
 * chain joins nothing but the start of a word that begins like it. */
static gint32
vocab_add_chain (Vocab      *vocab,
                 const char *piece)
{
  gint32 id = -1;
  guint n_chars = 1;

  for (const char *p = g_utf8_next_char (piece); ; p = g_utf8_next_char (p))
    {
      g_autofree char *prefix = g_strndup (piece, p - piece);

      if (n_chars > 1 || *p == '\0')
        id = vocab_add (vocab, prefix, -(float) n_chars, TOKEN_NORMAL);
      if (*p == '\0')
        break;
      n_chars++;
    }
  return id;
}

/* Whether @piece may be an answer or key piece: non-empty UTF-8 that is not one of the fixed
 * special and byte tokens (ids below the first normal token). */
static gboolean
check_piece (const Vocab  *vocab,
             gint32        first_normal,
             const char   *piece,
             GError      **error)
{
  gint32 id;

  if (piece[0] == '\0' || !g_utf8_validate (piece, -1, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The piece “%s” is empty or not UTF-8", piece);
      return FALSE;
    }
  id = vocab_lookup (vocab, piece);
  if (id >= 0 && id < first_normal)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The piece “%s” is a special or byte token", piece);
      return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------- weights */

/* Adds an F32 tensor of @ne0 × @ne1 values; row r (of @ne0 values) starts at data + r * ne0. */
static void
add_f32 (ScTestGguf  *writer,
         const char  *name,
         gint64       ne0,
         gint64       ne1,
         const float *data)
{
  gint64 ne[2] = { ne0, ne1 };

  sc_test_gguf_add_tensor (writer, name, GGML_TYPE_F32, ne1 == 1 ? 1 : 2, ne, data,
                           (gsize) (ne0 * ne1) * sizeof (float));
}

static void
add_const (ScTestGguf *writer,
           const char *name,
           gint64      ne0,
           gint64      ne1,
           float       value)
{
  g_autofree float *data = g_new (float, ne0 * ne1);

  for (gint64 i = 0; i < ne0 * ne1; i++)
    data[i] = value;
  add_f32 (writer, name, ne0, ne1, data);
}

/* ---------------------------------------------------------------- the model */

char *
sc_test_chat_model_write (const char                *dir,
                          const char                *name,
                          const ScTestChatModelSpec *spec,
                          GError                   **error)
{
  g_auto (Vocab) vocab = { 0 };
  g_autoptr(ScTestGguf) writer = NULL;
  g_autoptr(GByteArray) bytes = NULL;
  g_autoptr(GArray) chain = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autofree char *tmp_dir = NULL;
  g_autofree float *embd = NULL;
  g_autofree float *wq = NULL;
  g_autofree float *wk = NULL;
  g_autofree float *wv = NULL;
  g_autofree float *wo = NULL;
  g_autofree float *output = NULL;
  g_autofree char *path = NULL;
  gint32 first_normal, key_id = -1, nl_id;
  guint n_vocab, n_embd, n_answer = 0, dim_const, dim_retr;
  double h_unit, bigram, boost;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (spec != NULL && spec->answer_pieces != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Vocabulary: specials, bytes, single characters, then the answer and key chains. */
  vocab_init (&vocab);
  vocab_add (&vocab, "<unk>", 0, TOKEN_UNKNOWN);
  vocab_add (&vocab, "<|im_start|>", 0, TOKEN_CONTROL);
  vocab_add (&vocab, "<|im_end|>", 0, TOKEN_CONTROL);
  for (guint b = 0; b < 256; b++)
    {
      char hex[8];

      g_snprintf (hex, sizeof hex, "<0x%02X>", b);
      vocab_add (&vocab, hex, 0, TOKEN_BYTE);
    }
  first_normal = (gint32) vocab.texts->len;
  vocab_add (&vocab, SPM_SPACE, -1, TOKEN_NORMAL);
  for (char c = 0x21; c < 0x7f; c++)
    vocab_add (&vocab, (char[]) { c, '\0' }, -1, TOKEN_NORMAL);
  for (guint i = 0; german_letters[i] != NULL; i++)
    vocab_add (&vocab, german_letters[i], -1, TOKEN_NORMAL);

  nl_id = ID_BYTE_0 + '\n';
  g_array_append_val (chain, nl_id);
  for (guint i = 0; spec->answer_pieces[i] != NULL; i++)
    {
      const char *piece = spec->answer_pieces[i];
      gint32 id;

      if (!check_piece (&vocab, first_normal, piece, error))
        return NULL;
      id = vocab_add_chain (&vocab, piece);
      for (guint j = 0; j < chain->len; j++)
        if (g_array_index (chain, gint32, j) == id)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         "The answer piece “%s” repeats", piece);
            return NULL;
          }
      g_array_append_val (chain, id);
      n_answer++;
    }
  if (n_answer == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "The answer has no pieces");
      return NULL;
    }
  if (spec->key_piece != NULL)
    {
      if (!check_piece (&vocab, first_normal, spec->key_piece, error))
        return NULL;
      key_id = vocab_add_chain (&vocab, spec->key_piece);
      for (guint j = 1; j < chain->len; j++)
        if (g_array_index (chain, gint32, j) == key_id)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         "The key piece “%s” repeats an answer piece", spec->key_piece);
            return NULL;
          }
    }
  {
    gint32 eos = ID_IM_END;

    g_array_append_val (chain, eos);
  }

  n_vocab = vocab.texts->len;
  dim_const = n_vocab;
  dim_retr = n_vocab + 1;
  n_embd = (n_vocab + 2 + 31) / 32 * 32;
  /* Every embedding is e[token] + e[CONST]: after the attention norm each position holds
   * h_unit in both of its dimensions. */
  h_unit = 1.0 / sqrt (2.0 / n_embd + NORM_EPS);
  /* The bigram logit log(n_vocab): without the key the next piece has probability ≈ 1/2
   * (every other token scores 0), greedy picks it by a margin of log(n_vocab). */
  bigram = log ((double) n_vocab);
  /* After the final norm the retrieval dimension holds RETRIEVAL * h_unit (to a part in
   * 10^3): the output weight that turns it into BOOST. */
  boost = BOOST / (RETRIEVAL * h_unit);

  embd = g_new0 (float, (gsize) n_vocab * n_embd);
  for (guint t = 0; t < n_vocab; t++)
    {
      embd[(gsize) t * n_embd + t] = 1;
      embd[(gsize) t * n_embd + dim_const] = 1;
    }

  /* Attention weights: rows are head dimensions (q, k, v) or residual dimensions (wo). The
   * key piece's score is q·k / √HEAD_DIM = KEY_SCORE; its value is 1. */
  wq = g_new0 (float, (gsize) HEAD_DIM * n_embd);
  wk = g_new0 (float, (gsize) HEAD_DIM * n_embd);
  wv = g_new0 (float, (gsize) HEAD_DIM * n_embd);
  wo = g_new0 (float, (gsize) n_embd * HEAD_DIM);
  if (key_id >= 0)
    {
      wq[QK_DIM * n_embd + dim_const] = (float) (1.0 / h_unit);
      wk[QK_DIM * n_embd + key_id] = (float) (KEY_SCORE * sqrt ((double) HEAD_DIM) / h_unit);
      wv[VALUE_DIM * n_embd + key_id] = (float) (1.0 / h_unit);
      wo[(gsize) dim_retr * HEAD_DIM + VALUE_DIM] = (float) RETRIEVAL;
    }

  /* Output: the bigram chain, and the boost on every answer piece and the end of the turn. */
  output = g_new0 (float, (gsize) n_vocab * n_embd);
  for (guint i = 1; i < chain->len; i++)
    {
      gint32 prev = g_array_index (chain, gint32, i - 1);
      gint32 cur = g_array_index (chain, gint32, i);

      output[(gsize) cur * n_embd + prev] = (float) (bigram / h_unit);
      output[(gsize) cur * n_embd + dim_retr] = (float) boost;
    }

  writer = sc_test_gguf_new (3);
  sc_test_gguf_add_string (writer, "general.architecture", "llama");
  sc_test_gguf_add_string (writer, "general.name", "Sichtung Testmodell");
  sc_test_gguf_add_u32 (writer, "llama.context_length",
                        spec->n_ctx_train > 0 ? spec->n_ctx_train : 4096);
  sc_test_gguf_add_u32 (writer, "llama.embedding_length", n_embd);
  sc_test_gguf_add_u32 (writer, "llama.block_count", 1);
  sc_test_gguf_add_u32 (writer, "llama.feed_forward_length", N_FF);
  sc_test_gguf_add_u32 (writer, "llama.attention.head_count", 1);
  sc_test_gguf_add_u32 (writer, "llama.attention.head_count_kv", 1);
  sc_test_gguf_add_u32 (writer, "llama.attention.key_length", HEAD_DIM);
  sc_test_gguf_add_u32 (writer, "llama.attention.value_length", HEAD_DIM);
  sc_test_gguf_add_u32 (writer, "llama.rope.dimension_count", N_ROT);
  sc_test_gguf_add_f32 (writer, "llama.rope.freq_base", 10000.0f);
  sc_test_gguf_add_f32 (writer, "llama.attention.layer_norm_rms_epsilon", NORM_EPS);

  sc_test_gguf_add_string (writer, "tokenizer.ggml.model", "llama");
  sc_test_gguf_add_string_array (writer, "tokenizer.ggml.tokens",
                                 (const char *const *) vocab.texts->pdata, n_vocab);
  sc_test_gguf_add_array (writer, "tokenizer.ggml.scores", GGUF_TYPE_FLOAT32,
                          vocab.scores->data, n_vocab);
  sc_test_gguf_add_array (writer, "tokenizer.ggml.token_type", GGUF_TYPE_INT32,
                          vocab.types->data, n_vocab);
  sc_test_gguf_add_u32 (writer, "tokenizer.ggml.bos_token_id", ID_IM_START);
  sc_test_gguf_add_u32 (writer, "tokenizer.ggml.eos_token_id", ID_IM_END);
  sc_test_gguf_add_u32 (writer, "tokenizer.ggml.unknown_token_id", ID_UNK);
  sc_test_gguf_add_bool (writer, "tokenizer.ggml.add_bos_token", FALSE);
  sc_test_gguf_add_bool (writer, "tokenizer.ggml.add_eos_token", FALSE);
  sc_test_gguf_add_bool (writer, "tokenizer.ggml.add_space_prefix", FALSE);
  sc_test_gguf_add_string (writer, "tokenizer.chat_template", chatml_template);

  add_f32 (writer, "token_embd.weight", n_embd, n_vocab, embd);
  add_const (writer, "blk.0.attn_norm.weight", n_embd, 1, 1);
  add_f32 (writer, "blk.0.attn_q.weight", n_embd, HEAD_DIM, wq);
  add_f32 (writer, "blk.0.attn_k.weight", n_embd, HEAD_DIM, wk);
  add_f32 (writer, "blk.0.attn_v.weight", n_embd, HEAD_DIM, wv);
  add_f32 (writer, "blk.0.attn_output.weight", HEAD_DIM, n_embd, wo);
  add_const (writer, "blk.0.ffn_norm.weight", n_embd, 1, 1);
  add_const (writer, "blk.0.ffn_gate.weight", n_embd, N_FF, 0);
  add_const (writer, "blk.0.ffn_up.weight", n_embd, N_FF, 0);
  add_const (writer, "blk.0.ffn_down.weight", N_FF, n_embd, 0);
  add_const (writer, "output_norm.weight", n_embd, 1, 1);
  add_f32 (writer, "output.weight", n_embd, n_vocab, output);

  if (dir == NULL)
    {
      tmp_dir = g_dir_make_tmp ("sichtung-chat-model-XXXXXX", error);
      if (tmp_dir == NULL)
        return NULL;
      dir = tmp_dir;
    }
  bytes = sc_test_gguf_build (writer);
  path = g_build_filename (dir, name, NULL);
  if (!g_file_set_contents (path, (const char *) bytes->data, (gssize) bytes->len, error))
    return NULL;
  return g_steal_pointer (&path);
}

/* ---- A sentence-embedding model ----------------------------------------------------------- */

char *
sc_test_embedding_model_write (const char *dir,
                               const char *name)
{
  enum { EMBD = 8, CTX = 64, FF = 8 };
  const char *tokens[] = { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "▁frist", "▁termin",
                           "▁antrag", "▁wohngeld", "▁konto", "▁." };
  /* word → direction; the specials stay zero */
  const int direction[G_N_ELEMENTS (tokens)] = { -1, -1, -1, -1, -1, 0, 0, 1, 2, 3, 4 };
  gint32 types[G_N_ELEMENTS (tokens)];
  g_autoptr(ScTestGguf) w = sc_test_gguf_new (3);
  g_autofree float *embd = g_new0 (float, EMBD * G_N_ELEMENTS (tokens));
  g_autofree float *zeros = g_new0 (float, EMBD * MAX (CTX, FF));
  g_autofree float *ones = g_new (float, EMBD);

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      types[i] = i < 5 ? 3 : 1;
      if (direction[i] >= 0)
        embd[i * EMBD + direction[i]] = 1.0f;
    }
  for (guint d = 0; d < EMBD; d++)
    ones[d] = 1.0f;

  sc_test_gguf_add_string (w, "general.architecture", "bert");
  sc_test_gguf_add_string (w, "general.name", "Testeinbettung");
  sc_test_gguf_add_u32 (w, "bert.context_length", CTX);
  sc_test_gguf_add_u32 (w, "bert.embedding_length", EMBD);
  sc_test_gguf_add_u32 (w, "bert.block_count", 1);
  sc_test_gguf_add_u32 (w, "bert.feed_forward_length", FF);
  sc_test_gguf_add_u32 (w, "bert.attention.head_count", 2);
  sc_test_gguf_add_f32 (w, "bert.attention.layer_norm_epsilon", 1e-12f);
  sc_test_gguf_add_bool (w, "bert.attention.causal", FALSE);
  sc_test_gguf_add_u32 (w, "bert.pooling_type", 1);
  sc_test_gguf_add_string (w, "tokenizer.ggml.model", "bert");
  sc_test_gguf_add_string_array (w, "tokenizer.ggml.tokens", tokens, G_N_ELEMENTS (tokens));
  sc_test_gguf_add_array (w, "tokenizer.ggml.token_type", 5, types, G_N_ELEMENTS (types));
  sc_test_gguf_add_u32 (w, "tokenizer.ggml.unknown_token_id", 1);
  sc_test_gguf_add_u32 (w, "tokenizer.ggml.cls_token_id", 2);
  sc_test_gguf_add_u32 (w, "tokenizer.ggml.seperator_token_id", 3);

#define T2(name, a, b, data) \
  sc_test_gguf_add_tensor (w, name, 0, 2, (gint64[]) { a, b }, data, (gsize) (a) * (b) * 4)
#define T1(name, a, data) \
  sc_test_gguf_add_tensor (w, name, 0, 1, (gint64[]) { a }, data, (gsize) (a) * 4)
  T2 ("token_embd.weight", EMBD, (gint64) G_N_ELEMENTS (tokens), embd);
  T2 ("position_embd.weight", EMBD, CTX, zeros);
  T2 ("token_types.weight", EMBD, 2, zeros);
  T1 ("token_embd_norm.weight", EMBD, ones);
  T1 ("token_embd_norm.bias", EMBD, zeros);
  const char *square[] = { "attn_q", "attn_k", "attn_v", "attn_output" };
  for (guint i = 0; i < G_N_ELEMENTS (square); i++)
    {
      g_autofree char *wn = g_strdup_printf ("blk.0.%s.weight", square[i]);
      g_autofree char *bn = g_strdup_printf ("blk.0.%s.bias", square[i]);
      T2 (wn, EMBD, EMBD, zeros);
      T1 (bn, EMBD, zeros);
    }
  T1 ("blk.0.attn_output_norm.weight", EMBD, ones);
  T1 ("blk.0.attn_output_norm.bias", EMBD, zeros);
  T2 ("blk.0.ffn_up.weight", EMBD, FF, zeros);
  T1 ("blk.0.ffn_up.bias", FF, zeros);
  T2 ("blk.0.ffn_down.weight", FF, EMBD, zeros);
  T1 ("blk.0.ffn_down.bias", EMBD, zeros);
  T1 ("blk.0.layer_output_norm.weight", EMBD, ones);
  T1 ("blk.0.layer_output_norm.bias", EMBD, zeros);
#undef T1
#undef T2

  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GBytes) bytes = sc_test_gguf_to_bytes (w);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), NULL));
  return g_steal_pointer (&path);
}

/* ---- What the tests ask ---------------------------------------------------------------- */

/* What the test model answers, piece by piece: two sentences citing [1] and [2]. */
const char *const sc_test_chat_answer_pieces[] = {
  "▁Die", "▁Frist", "▁endet", "▁am", "▁14.", "▁März", "▁2025", "▁[1].",
  "▁Der", "▁Antrag", "▁ist", "▁vollständig", "▁[2].", NULL,
};

/* Three paragraphs of a notice; only the second names the key word. Each is one passage. */
const char sc_test_chat_notice[] =
  "Kreisverwaltung Musterkreis, Wohngeldstelle. Bescheid über Ihren Antrag auf Wohngeld vom "
  "12. Dezember 2024. Sehr geehrte Frau Mustermann, auf Ihren Antrag bewilligen wir Ihnen für "
  "die Zeit vom 1. Januar 2025 bis zum 31. Dezember 2025 Wohngeld in Höhe von monatlich 212 "
  "Euro. Das Wohngeld wird monatlich im Voraus auf Ihr Konto überwiesen.\n"
  "\n"
  "Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe "
  "Widerspruch erhoben werden. Die " SC_TEST_CHAT_KEY_WORD " endet mit Ablauf des 14. März "
  "2025. Der "
  "Widerspruch ist schriftlich oder zur Niederschrift bei der Kreisverwaltung Musterkreis, "
  "Am Schlossplatz 7, 55116 Mainz, einzulegen. Bitte geben Sie dabei das Aktenzeichen an.\n"
  "\n"
  "Hinweise: Ändern sich Ihr Einkommen oder die Zahl der Haushaltsmitglieder, teilen Sie uns "
  "dies bitte unverzüglich mit. Zu Unrecht erhaltenes Wohngeld muss erstattet werden. Ihre "
  "Unterlagen sind vollständig eingegangen; weitere Nachweise benötigen wir derzeit nicht. Mit "
  "freundlichen Grüßen, im Auftrag Jonas Beispiel, Sachbearbeitung Wohngeld.\n";
