/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-chat-model.c: the hand-built chat model of sc-test-chat-model.h does what its header
 * promises, seen through core's own loader, tokenizer and forward pass on the CPU backend:
 * greedy decoding after a ChatML prompt gives the answer, the key word is one token, and
 * leaving out the passage with the key lowers the answer's log-probability clearly while
 * leaving out an unrelated passage does not. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <math.h>
#include <string.h>
#include <gio/gio.h>

#include "sc-backend.h"
#include "sc-model.h"
#include "sc-sampler.h"
#include "sc-test-chat-model.h"
#include "sc-test-util.h"

#define KEY_PIECE "\xe2\x96\x81Widerspruchsfrist"
/* Decoded, the answer starts with the first piece's space (no space prefix to strip). */
#define ANSWER    " Die Frist endet am 14. März [2]."

static const char *const answer_pieces[] = {
  "▁Die", "▁Frist", "▁endet", "▁am", "▁14.", "▁März", "▁[2].", NULL,
};

#define SYSTEM_TEXT                                                                        \
  "Du bist ein sorgfältiger Assistent für Behördenschreiben. Antworte auf Deutsch, nur "  \
  "aus den Auszügen, und nenne die Nummer des Auszugs in eckigen Klammern."
#define PASSAGE_DELIVERY                                                                   \
  "[1] Der Bescheid über die Gewährung gemäß § 35 VwVfG wurde am 14. Februar zugestellt."
#define PASSAGE_KEY "[2] Die Widerspruchsfrist endet am 14. März."
/* Unrelated text of a few hundred tokens. */
#define PASSAGE_UNRELATED                                                                  \
  "[3] Die Straße in Mainz wird im Frühjahr neu gepflastert; während der Bauarbeiten ist "  \
  "die Zufahrt über die Goethestraße möglich. Anlieger erhalten eine Übersicht der "       \
  "Bauabschnitte, die Müllabfuhr kommt zu den üblichen Zeiten. Für Rückfragen steht das "  \
  "Tiefbauamt werktags zwischen 8 und 12 Uhr zur Verfügung. Größere Fahrzeuge müssen die " \
  "Umleitung über die Brückenstraße nehmen, Fußgänger können den Gehweg weiter nutzen."
#define QUESTION "Frage: Wann endet die Frist?"

typedef struct
{
  char        *dir;
  ScBackend   *backend;
  ScModel     *model;
  ScContext   *ctx;
  ScTokenizer *tok;        /* the model's */
  GArray      *answer_ids; /* gint32: the answer pieces' ids */
} Fixture;

static void
fixture_set_up_with_key (Fixture    *f,
                         const char *key_piece)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  ScTestChatModelSpec spec = { answer_pieces, key_piece, 0 };

  f->dir = g_dir_make_tmp ("sichtung-chat-model-XXXXXX", &error);
  g_assert_no_error (error);
  path = sc_test_chat_model_write (f->dir, "testmodell.gguf", &spec, &error);
  g_assert_no_error (error);
  g_assert_nonnull (path);

  f->backend = sc_backend_cpu_new ();
  f->model = sc_model_load (path, f->backend, &error);
  g_assert_no_error (error);
  f->ctx = sc_context_new (f->model, NULL, &error);
  g_assert_no_error (error);
  f->tok = sc_model_get_tokenizer (f->model);
  g_assert_nonnull (f->tok);

  f->answer_ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  for (guint i = 0; answer_pieces[i] != NULL; i++)
    {
      gint32 id = sc_tokenizer_lookup (f->tok, answer_pieces[i]);

      g_assert_cmpint (id, >=, 0);
      g_array_append_val (f->answer_ids, id);
    }
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  fixture_set_up_with_key (f, KEY_PIECE);
}

static void
fixture_set_up_no_key (Fixture       *f,
                       gconstpointer  data)
{
  fixture_set_up_with_key (f, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->answer_ids, g_array_unref);
  g_clear_pointer (&f->ctx, sc_context_free);
  g_clear_pointer (&f->model, sc_model_unref);
  g_clear_object (&f->backend);
  sc_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* ---------------------------------------------------------------- prompts */

enum
{
  WITH_DELIVERY = 1 << 0,
  WITH_KEY = 1 << 1,
  WITH_UNRELATED = 1 << 2,
  KEY_LAST = 1 << 3, /* the key passage after the unrelated one */
  ALL = WITH_DELIVERY | WITH_KEY | WITH_UNRELATED,
};

/* A ChatML conversation written out by hand, opening the assistant's turn. */
static char *
build_prompt (guint passages)
{
  g_autoptr(GString) user = g_string_new ("Auszüge:\n");

  if (passages & WITH_DELIVERY)
    g_string_append (user, PASSAGE_DELIVERY "\n");
  if ((passages & WITH_KEY) && !(passages & KEY_LAST))
    g_string_append (user, PASSAGE_KEY "\n");
  if (passages & WITH_UNRELATED)
    g_string_append (user, PASSAGE_UNRELATED "\n");
  if ((passages & WITH_KEY) && (passages & KEY_LAST))
    g_string_append (user, PASSAGE_KEY "\n");
  g_string_append (user, "\n" QUESTION);

  return g_strdup_printf ("<|im_start|>system\n%s<|im_end|>\n"
                          "<|im_start|>user\n%s<|im_end|>\n"
                          "<|im_start|>assistant\n",
                          SYSTEM_TEXT, user->str);
}

static GArray *
encode_prompt (Fixture *f,
               guint    passages)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = build_prompt (passages);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint32));

  g_assert_true (sc_tokenizer_encode (f->tok, text, -1, TRUE, TRUE, ids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, >, 2);
  g_assert_cmpint (g_array_index (ids, gint32, ids->len - 1), ==,
                   sc_tokenizer_lookup (f->tok, "<0x0A>"));
  return ids;
}

/* Greedy decoding after @prompt until the end of the turn (at most 32 tokens); returns the
 * generated ids, the end-of-turn token excluded. */
static GArray *
greedy (Fixture      *f,
        const GArray *prompt,
        gboolean     *ended)
{
  g_autoptr(GError) error = NULL;
  const guint n_vocab = sc_model_get_hparams (f->model)->n_vocab;
  GArray *out = g_array_new (FALSE, FALSE, sizeof (gint32));

  sc_context_reset (f->ctx);
  g_assert_true (sc_model_eval (f->ctx, (const gint32 *) (const void *) prompt->data,
                                prompt->len, FALSE, &error));
  g_assert_no_error (error);
  *ended = FALSE;
  while (out->len < 32)
    {
      gint32 id = sc_sampler_argmax (sc_context_get_logits (f->ctx, NULL), n_vocab);

      if (sc_tokenizer_is_eog (f->tok, id))
        {
          *ended = TRUE;
          break;
        }
      g_array_append_val (out, id);
      g_assert_true (sc_model_eval (f->ctx, &id, 1, FALSE, &error));
      g_assert_no_error (error);
    }
  return out;
}

/* The teacher-forced log-probability (nats) of the answer pieces after @prompt. */
static double
answer_logprob (Fixture      *f,
                const GArray *prompt)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint32),
                                             prompt->len + f->answer_ids->len);
  const gsize n_vocab = sc_model_get_hparams (f->model)->n_vocab;
  const float *logits;
  gsize n_rows = 0;
  double sum = 0;

  g_array_append_vals (ids, prompt->data, prompt->len);
  g_array_append_vals (ids, f->answer_ids->data, f->answer_ids->len);
  sc_context_reset (f->ctx);
  g_assert_true (sc_model_eval (f->ctx, (const gint32 *) (const void *) ids->data, ids->len,
                                TRUE, &error));
  g_assert_no_error (error);
  logits = sc_context_get_logits (f->ctx, &n_rows);
  g_assert_cmpuint (n_rows, ==, ids->len);

  for (guint i = 0; i < f->answer_ids->len; i++)
    {
      /* row j predicts token j + 1 */
      const float *row = logits + (gsize) (prompt->len - 1 + i) * n_vocab;
      gint32 target = g_array_index (f->answer_ids, gint32, i);
      double max = -INFINITY, z = 0;

      for (gsize v = 0; v < n_vocab; v++)
        max = MAX (max, row[v]);
      for (gsize v = 0; v < n_vocab; v++)
        z += exp (row[v] - max);
      sum += row[target] - max - log (z);
    }
  return sum;
}

static double
prompt_logprob (Fixture *f,
                guint    passages)
{
  g_autoptr(GArray) prompt = encode_prompt (f, passages);

  return answer_logprob (f, prompt);
}

/* ---------------------------------------------------------------- tests */

static void
test_vocabulary (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  ScGguf *gguf = sc_model_get_gguf (f->model);
  const char *template_text, *name;
  gint32 eos = sc_tokenizer_get_eos (f->tok);
  g_autofree char *decoded = NULL;

  g_assert_cmpstr (sc_model_get_arch_name (f->model), ==, "llama");
  g_assert_cmpuint (sc_model_get_hparams (f->model)->n_ctx_train, ==, 4096);
  g_assert_cmpuint (sc_model_get_hparams (f->model)->n_vocab, <, 1000);
  name = sc_gguf_get_string (gguf, "general.name", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "Sichtung Testmodell");
  template_text = sc_gguf_get_string (gguf, "tokenizer.chat_template", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (template_text, "{% for message in messages %}"));
  g_assert_nonnull (strstr (template_text, "'<|im_start|>assistant\n'"));

  /* EOS is <|im_end|>, a control token; no BOS is added. */
  g_assert_cmpstr (sc_tokenizer_get_token_text (f->tok, eos), ==, "<|im_end|>");
  g_assert_true (sc_tokenizer_is_eog (f->tok, eos));
  g_assert_cmpint (sc_tokenizer_get_token_type (f->tok, eos), ==, SC_TOKEN_TYPE_CONTROL);
  g_assert_false (sc_tokenizer_get_add_bos (f->tok));

  /* The key word, after a space as in running text, is the single key piece. */
  g_assert_true (sc_tokenizer_encode (f->tok, " Widerspruchsfrist", -1, TRUE, TRUE, ids,
                                      &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpstr (sc_tokenizer_get_token_text (f->tok, g_array_index (ids, gint32, 0)), ==,
                   KEY_PIECE);

  /* The answer text is exactly the answer pieces, and they decode back to it. */
  g_array_set_size (ids, 0);
  g_assert_true (sc_tokenizer_encode (f->tok, ANSWER, -1, TRUE, TRUE, ids, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (ids->data, ids->len * sizeof (gint32),
                   f->answer_ids->data, f->answer_ids->len * sizeof (gint32));
  decoded = sc_tokenizer_decode (f->tok, (const gint32 *) (const void *) ids->data, ids->len,
                                 FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (decoded, ==, ANSWER);

  /* The special texts of the prompt become their tokens. */
  g_array_set_size (ids, 0);
  g_assert_true (sc_tokenizer_encode (f->tok, "<|im_start|>user\nGrüße<|im_end|>\n", -1, TRUE,
                                      TRUE, ids, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_array_index (ids, gint32, 0), ==,
                   sc_tokenizer_lookup (f->tok, "<|im_start|>"));
  g_assert_cmpint (g_array_index (ids, gint32, ids->len - 2), ==, eos);
}

static void
check_greedy_answer (Fixture *f,
                     guint    passages)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) prompt = encode_prompt (f, passages);
  g_autoptr(GArray) out = NULL;
  g_autofree char *text = NULL;
  gboolean ended = FALSE;

  out = greedy (f, prompt, &ended);
  g_assert_true (ended);
  text = sc_tokenizer_decode (f->tok, (const gint32 *) (const void *) out->data, out->len,
                              FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, ANSWER);
  g_assert_cmpmem (out->data, out->len * sizeof (gint32),
                   f->answer_ids->data, f->answer_ids->len * sizeof (gint32));
}

static void
test_greedy (Fixture       *f,
             gconstpointer  data)
{
  check_greedy_answer (f, ALL);
  check_greedy_answer (f, ALL & ~WITH_KEY);
  check_greedy_answer (f, ALL & ~WITH_UNRELATED);
  check_greedy_answer (f, ALL | KEY_LAST);
  check_greedy_answer (f, 0);
}

static void
test_key (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GArray) full = encode_prompt (f, ALL);
  g_autoptr(GArray) without_unrelated = encode_prompt (f, ALL & ~WITH_UNRELATED);
  double all = answer_logprob (f, full);
  double no_key = prompt_logprob (f, ALL & ~WITH_KEY);
  double no_unrelated = answer_logprob (f, without_unrelated);
  double no_delivery = prompt_logprob (f, ALL & ~WITH_DELIVERY);
  double key_last = prompt_logprob (f, ALL | KEY_LAST);
  double none = prompt_logprob (f, WITH_UNRELATED);

  g_test_message ("answer log-probability: all %.4f, without key %.4f, without unrelated "
                  "%.4f (%u tokens fewer), without delivery %.4f, key last %.4f, "
                  "unrelated only %.4f", all, no_key, no_unrelated,
                  full->len - without_unrelated->len, no_delivery, key_last, none);
  g_assert_cmpuint (full->len - without_unrelated->len, >=, 200);
  g_assert_cmpfloat (all - no_key, >, 1.0);
  g_assert_cmpfloat (fabs (all - no_unrelated), <, 0.05);
  g_assert_cmpfloat (fabs (all - no_delivery), <, 0.05);
  /* wherever the key stands */
  g_assert_cmpfloat (fabs (all - key_last), <, 0.05);
  /* without the key, the rest of the context does not matter either */
  g_assert_cmpfloat (fabs (no_key - none), <, 0.05);
}

/* Without a key piece there is no retrieval head: the key word changes nothing. */
static void
test_no_key_head (Fixture       *f,
                  gconstpointer  data)
{
  double all = prompt_logprob (f, ALL);
  double no_key = prompt_logprob (f, ALL & ~WITH_KEY);

  g_test_message ("without a head: all %.4f, without key passage %.4f", all, no_key);
  g_assert_cmpfloat (fabs (all - no_key), <, 0.05);
  check_greedy_answer (f, ALL);
}

static void
test_bad_spec (void)
{
  static const char *const repeated[] = { "▁Die", "▁Frist", "▁Die", NULL };
  static const char *const special[] = { "▁Die", "<|im_end|>", NULL };
  static const char *const empty[] = { NULL };
  g_autofree char *dir = g_dir_make_tmp ("sichtung-chat-model-XXXXXX", NULL);
  const ScTestChatModelSpec cases[] = {
    { repeated, NULL, 0 },
    { special, NULL, 0 },
    { empty, NULL, 0 },
    { answer_pieces, "▁Frist", 0 }, /* the key repeats an answer piece */
  };

  g_assert_nonnull (dir);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = sc_test_chat_model_write (dir, "bad.gguf", &cases[i],
                                                        &error);

      g_assert_null (path);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
  sc_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sichtung/chat-model/vocabulary", Fixture, NULL, fixture_set_up,
              test_vocabulary, fixture_tear_down);
  g_test_add ("/sichtung/chat-model/greedy", Fixture, NULL, fixture_set_up, test_greedy,
              fixture_tear_down);
  g_test_add ("/sichtung/chat-model/key", Fixture, NULL, fixture_set_up, test_key,
              fixture_tear_down);
  g_test_add ("/sichtung/chat-model/no-key-head", Fixture, NULL, fixture_set_up_no_key,
              test_no_key_head, fixture_tear_down);
  g_test_add_func ("/sichtung/chat-model/bad-spec", test_bad_spec);

  return g_test_run ();
}
