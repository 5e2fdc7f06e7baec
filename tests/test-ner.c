/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ner.c: the WordPiece tokenizer, the BERT encoder and the tagger against the reference
 * of tests/data/ner-golden.json (written by tools/train/export_gguf.py --golden from the
 * shipped data/models/sichtung-ner.gguf: the Python tokenizer's ids and torch's logits), on the
 * CPU backend and on Vulkan; windowing and batching; findings; and files that must be refused.
 *
 * Logits must agree within 1e-3 × max(1, largest |logit| of the sequence) absolute: the
 * weights are F16 in both, but the backends round activations to halves for F16 products as
 * ggml does, while torch multiplies in F32. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "sc-encoder.h"
#include "sc-ner.h"
#include "sc-ner-private.h"
#include "sichtung-core.h"
#include "sc-test-gguf.h"
#include "sc-test-util.h"

#define LOGIT_TOLERANCE 1e-3

/* ------------------------------------------------------------------------------------------ */
/* A minimal JSON reader for the golden file                                                  */
/* ------------------------------------------------------------------------------------------ */

typedef struct _Json Json;
struct _Json
{
  char       kind;  /* 'o' object, 'a' array, 's' string, 'n' number, 'b' bool, 'z' null */
  char      *str;
  double     num;
  GPtrArray *items; /* Json*: array elements or object values */
  GPtrArray *keys;  /* char*: object keys */
};

static void
json_free (Json *j)
{
  if (j == NULL)
    return;
  g_free (j->str);
  if (j->items != NULL)
    g_ptr_array_unref (j->items);
  if (j->keys != NULL)
    g_ptr_array_unref (j->keys);
  g_free (j);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Json, json_free)

static void
skip_ws (const char **p)
{
  while (**p == ' ' || **p == '\n' || **p == '\r' || **p == '\t')
    (*p)++;
}

static char *
parse_string (const char **p)
{
  GString *s = g_string_new (NULL);

  g_assert_cmpint (**p, ==, '"');
  (*p)++;
  while (**p != '"')
    {
      g_assert_cmpint (**p, !=, '\0');
      if (**p != '\\')
        {
          g_string_append_c (s, *(*p)++);
          continue;
        }
      (*p)++;
      switch (*(*p)++)
        {
        case 'n': g_string_append_c (s, '\n'); break;
        case 't': g_string_append_c (s, '\t'); break;
        case 'r': g_string_append_c (s, '\r'); break;
        case 'b': g_string_append_c (s, '\b'); break;
        case 'f': g_string_append_c (s, '\f'); break;
        case 'u':
          {
            char hex[5] = { 0 };
            gunichar c;

            memcpy (hex, *p, 4);
            c = (gunichar) g_ascii_strtoull (hex, NULL, 16);
            *p += 4;
            if (c >= 0xd800 && c < 0xdc00 && (*p)[0] == '\\' && (*p)[1] == 'u')
              {
                gunichar lo;

                memcpy (hex, *p + 2, 4);
                lo = (gunichar) g_ascii_strtoull (hex, NULL, 16);
                c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
                *p += 6;
              }
            g_string_append_unichar (s, c);
          }
          break;
        default: g_string_append_c (s, (*p)[-1]); break;
        }
    }
  (*p)++;
  return g_string_free (s, FALSE);
}

static Json *
parse_value (const char **p)
{
  Json *j = g_new0 (Json, 1);

  skip_ws (p);
  switch (**p)
    {
    case '{':
    case '[':
      {
        const char close = **p == '{' ? '}' : ']';

        j->kind = **p == '{' ? 'o' : 'a';
        j->items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_free);
        if (j->kind == 'o')
          j->keys = g_ptr_array_new_with_free_func (g_free);
        (*p)++;
        skip_ws (p);
        while (**p != close)
          {
            if (j->kind == 'o')
              {
                skip_ws (p);
                g_ptr_array_add (j->keys, parse_string (p));
                skip_ws (p);
                g_assert_cmpint (**p, ==, ':');
                (*p)++;
              }
            g_ptr_array_add (j->items, parse_value (p));
            skip_ws (p);
            if (**p == ',')
              (*p)++;
            skip_ws (p);
          }
        (*p)++;
      }
      break;
    case '"':
      j->kind = 's';
      j->str = parse_string (p);
      break;
    case 't':
    case 'f':
      j->kind = 'b';
      j->num = **p == 't';
      *p += **p == 't' ? 4 : 5;
      break;
    case 'n':
      j->kind = 'z';
      *p += 4;
      break;
    default:
      {
        char *end = NULL;

        j->kind = 'n';
        j->num = g_ascii_strtod (*p, &end);
        g_assert_true (end != *p);
        *p = end;
      }
      break;
    }
  return j;
}

static Json *
json_find (Json       *j,
           const char *key)
{
  g_assert_cmpint (j->kind, ==, 'o');
  for (guint i = 0; i < j->keys->len; i++)
    if (g_str_equal (g_ptr_array_index (j->keys, i), key))
      return g_ptr_array_index (j->items, i);
  return NULL;
}

static Json *
json_get (Json       *j,
          const char *key)
{
  Json *v = json_find (j, key);

  if (v == NULL)
    g_error ("key %s missing in the golden file", key);
  return v;
}

static Json *
json_at (Json  *j,
         guint  i)
{
  g_assert_cmpint (j->kind, ==, 'a');
  g_assert_cmpuint (i, <, j->items->len);
  return g_ptr_array_index (j->items, i);
}

static guint
json_len (Json *j)
{
  g_assert_true (j->kind == 'a' || j->kind == 'o');
  return j->items->len;
}

/* An array of integers. */
static GArray *
json_ids (Json *j)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint32));

  for (guint i = 0; i < json_len (j); i++)
    {
      gint32 v = (gint32) json_at (j, i)->num;

      g_array_append_val (ids, v);
    }
  return ids;
}

/* ------------------------------------------------------------------------------------------ */
/* Fixtures                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static char *
model_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "models", "sichtung-ner.gguf", NULL);
}

static Json *golden;

/* Loads the golden file once; checks that it belongs to the model file beside it. */
static Json *
get_golden (void)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *model = NULL;
  g_autofree char *model_bytes = NULL;
  g_autofree char *sha = NULL;
  g_autoptr(GError) error = NULL;
  const char *p;
  gsize n = 0;

  if (golden != NULL)
    return golden;
  path = g_test_build_filename (G_TEST_DIST, "data", "ner-golden.json", NULL);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  p = contents;
  golden = parse_value (&p);

  model = model_path ();
  g_file_get_contents (model, &model_bytes, &n, &error);
  g_assert_no_error (error);
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) model_bytes, n);
  if (!g_str_equal (sha, json_get (golden, "model_sha256")->str))
    g_test_fail_printf ("tests/data/ner-golden.json was written for another model than %s; "
                        "regenerate it with tools/train/export_gguf.py --no-export --out %s "
                        "--golden tests/data/ner-golden.json", model, model);
  return golden;
}

static ScNer *
load_ner (ScBackend *backend)
{
  g_autofree char *path = model_path ();
  g_autoptr(GError) error = NULL;
  ScNer *ner = sc_ner_load (path, backend, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ner);
  return ner;
}

/* A Vulkan backend, or NULL after skipping (or failing, with SICHTUNG_REQUIRE_VULKAN=1). */
static ScBackend *
vulkan_or_skip (void)
{
  g_autoptr(GError) error = NULL;
  ScBackend *backend = sc_backend_vulkan_new ("auto", &error);

  if (backend != NULL)
    return backend;
  if (!g_error_matches (error, SC_ERROR, SC_ERROR_NO_DEVICE))
    g_test_fail_printf ("The Vulkan device failed: %s", error->message);
  else if (g_strcmp0 (g_getenv ("SICHTUNG_REQUIRE_VULKAN"), "1") == 0)
    g_test_fail_printf ("SICHTUNG_REQUIRE_VULKAN=1 but no Vulkan device is usable: %s",
                        error->message);
  else
    g_test_skip (error->message);
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Tokenizer                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static void
assert_ids_equal (GArray     *got,
                  GArray     *want,
                  const char *what)
{
  if (got->len == want->len &&
      memcmp (got->data, want->data, got->len * sizeof (gint32)) == 0)
    return;
  g_test_message ("ids of “%s” differ", what);
  for (guint i = 0; i < MAX (got->len, want->len); i++)
    g_test_message ("  %u: got %d want %d", i,
                    i < got->len ? g_array_index (got, gint32, i) : -1,
                    i < want->len ? g_array_index (want, gint32, i) : -1);
  g_test_fail ();
}

static void
test_tokenizer (void)
{
  g_autofree char *path = model_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ScGguf) gguf = sc_gguf_open (path, &error);
  g_autoptr(ScTokenizer) tok = NULL;
  Json *g = get_golden ();
  Json *sentences = json_get (g, "sentences");
  Json *words = json_get (g, "words");
  Json *long_doc = json_get (g, "long");

  g_assert_no_error (error);
  tok = sc_tokenizer_new_from_gguf (gguf, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sc_tokenizer_get_model (tok), ==, SC_TOKENIZER_MODEL_WPM);

  for (guint s = 0; s < json_len (sentences); s++)
    {
      Json *sent = json_at (sentences, s);
      const char *text = json_get (sent, "text")->str;
      Json *want_words = json_get (sent, "words");
      g_autoptr(GArray) want = json_ids (json_get (sent, "ids"));
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
      g_autoptr(GArray) split_ids = g_array_new (FALSE, FALSE, sizeof (gint32));
      g_autoptr(GArray) split = g_array_new (FALSE, FALSE, sizeof (ScTokenizerWord));
      g_autofree char *decoded = NULL;

      /* [CLS] pieces [SEP] */
      sc_tokenizer_encode (tok, text, -1, TRUE, FALSE, ids, &error);
      g_assert_no_error (error);
      assert_ids_equal (ids, want, text);

      /* the same words, at their places in the text, with the same pieces */
      sc_tokenizer_split_words (tok, text, -1, split, split_ids, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (split->len, ==, json_len (want_words));
      g_assert_cmpuint (split_ids->len + 2, ==, want->len);
      g_assert_cmpmem (split_ids->data, split_ids->len * sizeof (gint32),
                       (gint32 *) (void *) want->data + 1, split_ids->len * sizeof (gint32));
      for (guint w = 0; w < split->len; w++)
        {
          const ScTokenizerWord *word = &g_array_index (split, ScTokenizerWord, w);
          g_autofree char *piece = g_strndup (text + word->start, word->end - word->start);
          Json *first = json_at (json_get (sent, "first"), w);

          g_assert_cmpstr (piece, ==, json_at (want_words, w)->str);
          g_assert_cmpuint (word->first_id + 1, ==, (guint) first->num);
          g_assert_cmpuint (word->n_ids, >=, 1);
        }

      /* decoding puts the spaces back between words, not inside them */
      decoded = sc_tokenizer_decode (tok, (gint32 *) (void *) ids->data, ids->len, FALSE, NULL,
                                     &error);
      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (decoded, "Der") || g_str_has_prefix (decoded, "Das") ||
                     g_str_has_prefix (decoded, "Frau") || g_str_has_prefix (decoded, "Nach"));
    }

  /* pre-split words as a CoNLL file has them */
  for (guint w = 0; w < json_len (words); w++)
    {
      Json *entry = json_at (words, w);
      const char *word = json_get (entry, "word")->str;
      g_autoptr(GArray) want = json_ids (json_get (entry, "ids"));
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));

      sc_tokenizer_encode_word (tok, word, -1, ids, &error);
      g_assert_no_error (error);
      assert_ids_equal (ids, want, word);
    }

  /* a long text, without specials */
  {
    g_autoptr(GArray) want = json_ids (json_get (long_doc, "ids"));
    g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));

    sc_tokenizer_encode (tok, json_get (long_doc, "text")->str, -1, FALSE, FALSE, ids, &error);
    g_assert_no_error (error);
    assert_ids_equal (ids, want, "long text");
  }
}

/* The basic split on its own: offsets past dropped characters, invalid UTF-8, no words. */
static void
test_tokenizer_split (void)
{
  g_autofree char *path = model_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ScGguf) gguf = sc_gguf_open (path, &error);
  g_autoptr(ScTokenizer) tok = NULL;
  g_autoptr(GArray) words = g_array_new (FALSE, FALSE, sizeof (ScTokenizerWord));
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  /* soft hyphen inside a word, a zero-width space alone, a no-break space, invalid bytes */
  const char *text = "  Ärzte\xc2\xad" "kammer \xe2\x80\x8b (Köln)\xc2\xa0z.B.\xff\xfe" "x\t";
  const char *want[] = { "Ärzte\xc2\xad" "kammer", "(", "Köln", ")", "z", ".", "B", ".",
                         "\xff\xfe" "x" };

  g_assert_no_error (error);
  tok = sc_tokenizer_new_from_gguf (gguf, &error);
  g_assert_no_error (error);
  sc_tokenizer_split_words (tok, text, -1, words, ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (words->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < words->len; i++)
    {
      const ScTokenizerWord *w = &g_array_index (words, ScTokenizerWord, i);

      g_assert_cmpmem (text + w->start, w->end - w->start, want[i], strlen (want[i]));
      g_assert_cmpuint (w->first_id + w->n_ids, <=, ids->len);
    }

  g_array_set_size (words, 0);
  g_array_set_size (ids, 0);
  sc_tokenizer_split_words (tok, " \t\xe2\x80\x8b\n", -1, words, ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (words->len, ==, 0);
  g_assert_cmpuint (ids->len, ==, 0);

  /* a word of only dropped characters still becomes [UNK], as encode_word does */
  sc_tokenizer_encode_word (tok, "\xe2\x80\x8b", -1, ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint32, 0), ==, sc_tokenizer_get_unk (tok));
}

/* ------------------------------------------------------------------------------------------ */
/* Golden logits                                                                              */
/* ------------------------------------------------------------------------------------------ */

/* Compares the logits of every golden sentence, all of them in one batch and each alone. */
static void
check_golden_logits (ScBackend *backend)
{
  g_autofree char *path = model_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ScEncoder) enc = sc_encoder_load (path, backend, &error);
  Json *sentences = json_get (get_golden (), "sentences");
  const guint n_seqs = json_len (sentences);
  g_autoptr(GArray) all_ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) all_features = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autofree guint *lengths = g_new (guint, n_seqs);
  g_autofree float *batch = NULL;
  guint n_out, row = 0;
  double worst = 0;

  g_assert_no_error (error);
  n_out = sc_encoder_get_hparams (enc)->n_out;
  g_assert_cmpuint (n_out, ==, json_len (json_get (get_golden (), "labels")));
  for (guint s = 0; s < n_seqs; s++)
    {
      g_autoptr(GArray) ids = json_ids (json_get (json_at (sentences, s), "ids"));
      Json *features = json_find (json_at (sentences, s), "features");

      lengths[s] = ids->len;
      g_array_append_vals (all_ids, ids->data, ids->len);
      /* a model with gazetteer features: the feature id of every piece */
      if (features != NULL)
        {
          g_autoptr(GArray) f = json_ids (features);

          g_assert_cmpuint (f->len, ==, ids->len);
          g_array_append_vals (all_features, f->data, f->len);
        }
      else
        {
          g_array_set_size (all_features, all_ids->len);
        }
    }
  batch = g_new (float, (gsize) all_ids->len * n_out);
  sc_encoder_eval_features (enc, (gint32 *) (void *) all_ids->data,
                            (gint32 *) (void *) all_features->data, lengths, n_seqs, batch,
                            &error);
  g_assert_no_error (error);

  for (guint s = 0; s < n_seqs; s++)
    {
      Json *want = json_get (json_at (sentences, s), "logits");
      g_autofree float *alone = g_new (float, (gsize) lengths[s] * n_out);
      double scale = 1, max_diff = 0, max_alone = 0;

      sc_encoder_eval_features (enc, (gint32 *) (void *) all_ids->data + row,
                                (gint32 *) (void *) all_features->data + row, &lengths[s], 1,
                                alone, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (json_len (want), ==, lengths[s]);
      for (guint t = 0; t < lengths[s]; t++)
        for (guint k = 0; k < n_out; k++)
          scale = MAX (scale, fabs (json_at (json_at (want, t), k)->num));
      for (guint t = 0; t < lengths[s]; t++)
        for (guint k = 0; k < n_out; k++)
          {
            double w = json_at (json_at (want, t), k)->num;
            double b = batch[(gsize) (row + t) * n_out + k];
            double a = alone[(gsize) t * n_out + k];

            max_diff = MAX (max_diff, MAX (fabs (b - w), fabs (a - w)));
            max_alone = MAX (max_alone, fabs (a - b));
          }
      g_test_message ("%s: sentence %u: max |logit - torch| %.2e (logit scale %.2f), "
                      "batch vs alone %.2e", sc_backend_get_name (backend), s, max_diff, scale,
                      max_alone);
      g_assert_cmpfloat (max_diff, <=, LOGIT_TOLERANCE * scale);
      g_assert_cmpfloat (max_alone, <=, LOGIT_TOLERANCE * scale);
      worst = MAX (worst, max_diff / scale);
      row += lengths[s];
    }
  g_test_message ("%s: worst relative logit difference %.2e", sc_backend_get_name (backend),
                  worst);
}

static void
test_golden_cpu (void)
{
  g_autoptr(ScBackend) backend = sc_backend_cpu_new ();

  check_golden_logits (backend);
}

static void
test_golden_vulkan (void)
{
  g_autoptr(ScBackend) backend = vulkan_or_skip ();

  if (backend != NULL)
    check_golden_logits (backend);
}

/* ------------------------------------------------------------------------------------------ */
/* Tagging                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static char **
golden_words (Json *words)
{
  char **out = g_new0 (char *, json_len (words) + 1);

  for (guint i = 0; i < json_len (words); i++)
    out[i] = g_strdup (json_at (words, i)->str);
  return out;
}

static guint
argmax_f (const float *v,
          guint        n)
{
  guint best = 0;

  for (guint i = 1; i < n; i++)
    if (v[i] > v[best])
      best = i;
  return best;
}

/* The best IOB2-valid label path by brute dynamic programming over label texts, with the
 * model's transition scores (if any) added: what sc_ner_decode() must find. */
static void
reference_decode (ScNer       *ner,
                  const float *probs,
                  gsize        n_words,
                  guint       *labels)
{
  const guint n = sc_ner_get_n_labels (ner);
  const float *start = NULL;
  const float *trans = sc_ner_get_transitions (ner, &start);
  g_autofree double *score = g_new (double, n_words * n);
  g_autofree guint *back = g_new0 (guint, n_words * n);
  guint last = 0;

  for (gsize w = 0; w < n_words; w++)
    for (guint k = 0; k < n; k++)
      {
        const char *lk = sc_ner_get_label (ner, k);
        const double lp = log (MAX (probs[w * n + k], 1e-30f));

        score[w * n + k] = -INFINITY;
        if (w == 0)
          {
            if (lk[0] != 'I')
              score[k] = lp + (trans != NULL ? start[k] : 0.0);
            continue;
          }
        for (guint j = 0; j < n; j++)
          {
            const char *lj = sc_ner_get_label (ner, j);
            double v;

            if (lk[0] == 'I' && (lj[0] == 'O' || !g_str_equal (lj + 1, lk + 1)))
              continue;
            v = score[(w - 1) * n + j] + (trans != NULL ? trans[j * n + k] : 0.0) + lp;
            if (v > score[w * n + k])
              {
                score[w * n + k] = v;
                back[w * n + k] = j;
              }
          }
      }
  for (guint k = 1; k < n; k++)
    if (score[(n_words - 1) * n + k] > score[(n_words - 1) * n + last])
      last = k;
  for (gsize w = n_words; w-- > 0;)
    {
      labels[w] = last;
      last = back[w * n + last];
    }
}

/* The labels of the golden sentences are the argmax of the golden logits at each word's first
 * piece, unless two labels are closer than the tolerance. */
static void
test_tag_words (void)
{
  g_autoptr(ScBackend) backend = sc_backend_cpu_new ();
  g_autoptr(ScNer) ner = load_ner (backend);
  g_autoptr(GError) error = NULL;
  Json *sentences = json_get (get_golden (), "sentences");
  const guint n_labels = sc_ner_get_n_labels (ner);

  g_assert_cmpuint (n_labels, ==, json_len (json_get (get_golden (), "labels")));
  g_assert_cmpstr (sc_ner_get_label (ner, 0), ==, "O");
  g_assert_null (sc_ner_get_label (ner, n_labels));
  g_assert_nonnull (sc_ner_get_name (ner));
  g_assert_nonnull (sc_ner_get_version (ner));

  for (guint s = 0; s < json_len (sentences); s++)
    {
      Json *sent = json_at (sentences, s);
      g_auto(GStrv) words = golden_words (json_get (sent, "words"));
      const gsize n = g_strv_length (words);
      g_autofree guint *labels = g_new (guint, n);
      g_autofree float *probs = g_new (float, n * n_labels);
      Json *logits = json_get (sent, "logits");

      g_autofree guint *want = g_new (guint, n);
      g_autofree guint *decoded = g_new (guint, n);
      g_autofree guint *reference = g_new (guint, n);
      gboolean argmax_valid = TRUE, clear = TRUE;

      sc_ner_tag_words (ner, (const char *const *) words, n, labels, probs, NULL, &error);
      g_assert_no_error (error);
      for (gsize w = 0; w < n; w++)
        {
          Json *row = json_at (logits, (guint) json_at (json_get (sent, "first"), w)->num);
          double sum = 0, second = -G_MAXDOUBLE;

          want[w] = 0;
          for (guint k = 1; k < n_labels; k++)
            if (json_at (row, k)->num > json_at (row, want[w])->num)
              want[w] = k;
          for (guint k = 0; k < n_labels; k++)
            {
              sum += probs[w * n_labels + k];
              if (k != want[w])
                second = MAX (second, json_at (row, k)->num);
            }
          g_assert_cmpfloat (fabs (sum - 1.0), <, 1e-4);
          if (json_at (row, want[w])->num - second > 0.05)
            g_assert_cmpuint (argmax_f (probs + w * n_labels, n_labels), ==, want[w]);
          else
            clear = FALSE;
        }
      /* the labels are the decoded probabilities, valid IOB2, the best path as the reference
       * finds it, and (for a model without transition scores) the plain argmax wherever that
       * is valid IOB2 already */
      sc_ner_decode (ner, probs, n, NULL, decoded);
      reference_decode (ner, probs, n, reference);
      for (gsize w = 0; w < n; w++)
        {
          const char *l = sc_ner_get_label (ner, labels[w]);

          g_assert_cmpuint (labels[w], ==, decoded[w]);
          g_assert_cmpuint (labels[w], ==, reference[w]);
          if (l[0] == 'I')
            g_assert_true (w > 0 &&
                           g_str_equal (sc_ner_get_label (ner, labels[w - 1]) + 1, l + 1));
          l = sc_ner_get_label (ner, want[w]);
          if (l[0] == 'I' && (w == 0 || !g_str_equal (sc_ner_get_label (ner, want[w - 1]) + 1,
                                                      l + 1)))
            argmax_valid = FALSE;
        }
      if (argmax_valid && clear && sc_ner_get_transitions (ner, NULL) == NULL)
        for (gsize w = 0; w < n; w++)
          g_assert_cmpuint (labels[w], ==, want[w]);
    }
}

/* Decoding never gives an I- label without its B-: the best valid path wins over a better
 * per-word argmax, labels left out by @allowed are never chosen. */
static void
test_decode (void)
{
  g_autoptr(ScBackend) backend = sc_backend_cpu_new ();
  g_autoptr(ScNer) ner = load_ner (backend);
  const guint n_labels = sc_ner_get_n_labels (ner);
  g_autofree float *probs = g_new0 (float, 4 * n_labels);
  g_autofree gboolean *allowed = g_new0 (gboolean, n_labels);
  guint o = 0, b_per = 0, i_per = 0, b_gs = 0, i_gs = 0, b_loc = 0, labels[4], reference[4];

  for (guint k = 0; k < n_labels; k++)
    {
      const char *l = sc_ner_get_label (ner, k);

      o = g_str_equal (l, "O") ? k : o;
      b_per = g_str_equal (l, "B-PER") ? k : b_per;
      i_per = g_str_equal (l, "I-PER") ? k : i_per;
      b_gs = g_str_equal (l, "B-GS") ? k : b_gs;
      i_gs = g_str_equal (l, "I-GS") ? k : i_gs;
      b_loc = g_str_equal (l, "B-LOC") ? k : b_loc;
      allowed[k] = !g_str_has_suffix (l, "-LOC");
    }
  g_assert_true (b_per && i_per && b_gs && i_gs && b_loc);

  /* word 0: O 0.5, B-PER 0.4; words 1-2: I-PER 0.6, O 0.4; word 3: I-GS 0.5, B-GS 0.45 */
  probs[0 * n_labels + o] = 0.5f;
  probs[0 * n_labels + b_per] = 0.4f;
  probs[1 * n_labels + i_per] = 0.6f;
  probs[1 * n_labels + o] = 0.4f;
  probs[2 * n_labels + i_per] = 0.6f;
  probs[2 * n_labels + o] = 0.4f;
  probs[3 * n_labels + i_gs] = 0.5f;
  probs[3 * n_labels + b_gs] = 0.45f;
  sc_ner_decode (ner, probs, 4, NULL, labels);
  reference_decode (ner, probs, 4, reference);
  for (guint w = 0; w < 4; w++)
    g_assert_cmpuint (labels[w], ==, reference[w]);
  g_assert_cmpuint (labels[3], !=, i_gs); /* I-GS cannot follow I-PER or O */
  if (sc_ner_get_transitions (ner, NULL) == NULL)
    {
      g_assert_cmpuint (labels[0], ==, b_per); /* 0.4·0.6·0.6 > 0.5·0.4·0.4 */
      g_assert_cmpuint (labels[1], ==, i_per);
      g_assert_cmpuint (labels[2], ==, i_per);
      g_assert_cmpuint (labels[3], ==, b_gs);
    }

  /* B-LOC is the best label of the first word but not allowed */
  probs[0 * n_labels + b_loc] = 0.9f;
  sc_ner_decode (ner, probs, 1, allowed, labels);
  g_assert_cmpuint (labels[0], ==, o);
  probs[0 * n_labels + b_loc] = 0.99f;
  probs[0 * n_labels + o] = 0.005f;
  probs[0 * n_labels + b_per] = 0.005f;
  sc_ner_decode (ner, probs, 1, NULL, labels);
  g_assert_cmpuint (labels[0], ==, b_loc);
}

/* A document longer than one window: every word gets a label, and mostly the type it gets in
 * its sentence alone. The context differs (the sentences run on without a break, and these are
 * dense with names, numbers and norms), so not always, and B-/I- may change where spans meet:
 * only the type (PER, GS, …, or O) is compared. A window mapped to the wrong words would
 * agree far less. */
static void
test_windows (void)
{
  g_autoptr(ScBackend) backend = sc_backend_cpu_new ();
  g_autoptr(ScNer) ner = load_ner (backend);
  g_autoptr(GError) error = NULL;
  Json *g = get_golden ();
  Json *sentences = json_get (g, "sentences");
  g_auto(GStrv) words = golden_words (json_get (json_get (g, "long"), "words"));
  const gsize n = g_strv_length (words);
  g_autofree guint *labels = g_new (guint, n);
  g_autoptr(GArray) alone = g_array_new (FALSE, FALSE, sizeof (guint));
  gsize same = 0;

  g_assert_cmpuint (json_len (json_get (json_get (g, "long"), "ids")), >,
                    2 * ((guint) json_get (g, "max_pos")->num - 2));
  for (gsize w = 0; w < n; w++)
    labels[w] = G_MAXUINT;
  sc_ner_tag_words (ner, (const char *const *) words, n, labels, NULL, NULL, &error);
  g_assert_no_error (error);

  /* The long text is the golden sentences over and over. */
  while (alone->len < n)
    for (guint s = 0; s < json_len (sentences) && alone->len < n; s++)
      {
        g_auto(GStrv) sw = golden_words (json_get (json_at (sentences, s), "words"));
        const gsize m = g_strv_length (sw);
        g_autofree guint *sl = g_new (guint, m);

        sc_ner_tag_words (ner, (const char *const *) sw, m, sl, NULL, NULL, &error);
        g_assert_no_error (error);
        g_array_append_vals (alone, sl, (guint) MIN (m, n - alone->len));
      }
  for (gsize w = 0; w < n; w++)
    {
      g_assert_cmpuint (labels[w], <, sc_ner_get_n_labels (ner));
      const char *a = sc_ner_get_label (ner, labels[w]);
      const char *b = sc_ner_get_label (ner, g_array_index (alone, guint, w));

      same += g_str_equal (a[0] == 'O' ? a : a + 2, b[0] == 'O' ? b : b + 2);
    }
  g_test_message ("windowed document: %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " words of the "
                  "same type as in their sentence alone", same, n);
  g_assert_cmpfloat ((double) same / (double) n, >=, 0.5);
}

/* Several sentences at once give what each gives alone; empty sentences are fine. */
static void
test_tag_sentences (void)
{
  g_autoptr(ScBackend) backend = sc_backend_cpu_new ();
  g_autoptr(ScNer) ner = load_ner (backend);
  g_autoptr(GError) error = NULL;
  Json *sentences = json_get (get_golden (), "sentences");
  const guint n_labels = sc_ner_get_n_labels (ner);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) lengths = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autofree guint *labels = NULL;
  g_autofree float *probs = NULL;
  gsize zero = 0, w0 = 0;

  g_array_append_val (lengths, zero);
  for (guint s = 0; s < json_len (sentences); s++)
    {
      Json *words = json_get (json_at (sentences, s), "words");
      gsize n = json_len (words);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (all, g_strdup (json_at (words, i)->str));
      g_array_append_val (lengths, n);
      g_array_append_val (lengths, zero);
    }
  labels = g_new (guint, all->len);
  probs = g_new (float, all->len * n_labels);
  sc_ner_tag_sentences (ner, (const char *const *) all->pdata,
                        (const gsize *) (void *) lengths->data, lengths->len, labels, probs, NULL,
                        &error);
  g_assert_no_error (error);

  for (guint s = 0; s < lengths->len; s++)
    {
      const gsize n = g_array_index (lengths, gsize, s);
      g_autofree guint *one = g_new (guint, MAX (n, 1));
      g_autofree float *one_probs = g_new (float, MAX (n, 1) * n_labels);

      sc_ner_tag_words (ner, (const char *const *) all->pdata + w0, n, one, one_probs, NULL,
                        &error);
      g_assert_no_error (error);
      for (gsize w = 0; w < n; w++)
        for (guint k = 0; k < n_labels; k++)
          g_assert_cmpfloat (fabs (one_probs[w * n_labels + k] -
                                   probs[(w0 + w) * n_labels + k]), <, 1e-3);
      w0 += n;
    }

  /* no words at all */
  sc_ner_tag_words (ner, NULL, 0, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
check_findings (ScNer      *ner,
                const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = sc_ner_find (ner, text, NULL, &error);
  gsize prev_end = 0;

  g_assert_no_error (error);
  g_assert_nonnull (findings);
  for (guint i = 0; i < findings->len; i++)
    {
      ScFinding *f = g_ptr_array_index (findings, i);

      g_test_message ("%s [%" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT ") “%s” %.2f: %s",
                      sc_finding_category_to_string (f->category), f->start, f->end, f->text,
                      f->confidence, f->explanation);
      g_assert_cmpuint (f->start, <, f->end);
      g_assert_cmpuint (f->end, <=, strlen (text));
      g_assert_cmpuint (f->start, >=, prev_end);  /* tags give disjoint spans */
      g_assert_cmpmem (f->text, strlen (f->text), text + f->start, f->end - f->start);
      g_assert_true (g_utf8_validate (f->text, -1, NULL));
      g_assert_cmpuint (f->cp_end - f->cp_start, ==, g_utf8_strlen (f->text, -1));
      g_assert_cmpint (f->source, ==, SC_FINDING_SOURCE_MODEL);
      g_assert_cmpfloat (f->confidence, >, 0.0);
      g_assert_cmpfloat (f->confidence, <=, 1.0);
      g_assert_nonnull (f->label);
      g_assert_nonnull (f->explanation);
      g_assert_nonnull (strstr (f->explanation, sc_ner_get_name (ner)));
      g_assert_nonnull (f->steps);
      g_assert_cmpuint (f->steps->len, >=, 1);
      g_assert_cmpstr (f->label, !=, "LIT");
      g_assert_cmpstr (f->label, !=, "OTH");
      prev_end = f->end;
    }
}

/* Free text to findings: spans on word boundaries, with offsets that hold in the text. */
static void
test_find (void)
{
  g_autoptr(ScBackend) backend = sc_backend_cpu_new ();
  g_autoptr(ScNer) ner = load_ner (backend);
  g_autoptr(GError) error = NULL;
  Json *sentences = json_get (get_golden (), "sentences");
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GString) text = g_string_new ("\xef\xbb\xbf  ");
  guint n_legal = 0;

  for (guint s = 0; s < json_len (sentences); s++)
    {
      check_findings (ner, json_get (json_at (sentences, s), "text")->str);
      g_string_append_printf (text, "%s\n\n", json_get (json_at (sentences, s), "text")->str);
    }
  check_findings (ner, text->str);
  check_findings (ner, json_get (json_get (get_golden (), "long"), "text")->str);
  check_findings (ner, "");
  check_findings (ner, " \n\t ");

  /* Citations of laws are the commonest entity of the training data. */
  findings = sc_ner_find (ner, "Der Anspruch folgt aus § 433 Abs. 2 BGB und § 280 Abs. 1 BGB.",
                          NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < findings->len; i++)
    n_legal += ((ScFinding *) g_ptr_array_index (findings, i))->category ==
               SC_FINDING_LEGAL_NORM;
  g_assert_cmpuint (n_legal, >=, 1);
}

static void
test_find_cancelled (void)
{
  g_autoptr(ScBackend) backend = sc_backend_cpu_new ();
  g_autoptr(ScNer) ner = load_ner (backend);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = NULL;

  g_cancellable_cancel (cancellable);
  findings = sc_ner_find (ner, "Herr Weiß wohnt in Berlin.", cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (findings);
}

static void
test_default_model (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "..", "data", "models", NULL);
  g_autofree char *path = NULL;

  g_setenv ("SICHTUNG_MODEL_DIR", dir, TRUE);
  path = sc_ner_find_default_model ();
  g_assert_nonnull (path);
  g_assert_true (g_str_has_suffix (path, "sichtung-ner.gguf"));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_unsetenv ("SICHTUNG_MODEL_DIR");
}

/* ------------------------------------------------------------------------------------------ */
/* Files that must be refused                                                                 */
/* ------------------------------------------------------------------------------------------ */

typedef enum
{
  TINY_OK,
  TINY_ARCH_LLAMA,
  TINY_BAD_SHAPE,
  TINY_NO_CLS,
  TINY_LABELS_MISMATCH,
  TINY_BAD_LABEL,
  TINY_CAUSAL,
  TINY_GAZETTEER,
  TINY_GAZETTEER_UNSORTED,
  TINY_GAZETTEER_NO_TENSOR,
  TINY_GAZETTEER_ROWS,
  TINY_TRANSITIONS,
  TINY_TRANSITIONS_SHORT,
  TINY_TRANSITIONS_NAN,
  TINY_TRANSITIONS_NO_START,
} TinyVariant;

#define TINY_EMBD 8
#define TINY_FF   16
#define TINY_CTX  6

static void
add_f32_tensor (ScTestGguf *w,
                const char *name,
                gint64      ne0,
                gint64      ne1,
                guint      *seed)
{
  const gsize n = (gsize) (ne0 * ne1);
  g_autofree float *data = g_new (float, n);
  gint64 ne[2] = { ne0, ne1 };

  for (gsize i = 0; i < n; i++)
    {
      *seed = *seed * 1103515245u + 12345u;
      data[i] = ((float) ((*seed >> 16) & 0x7fff) / 32768.0f - 0.5f) * 0.5f;
    }
  sc_test_gguf_add_tensor (w, name, 0, ne1 == 1 ? 1 : 2, ne, data, n * sizeof (float));
}

/* A tiny "bert" tagger with random weights, or one spoiled as @variant says. */
static char *
write_tiny (TinyVariant variant)
{
  g_autoptr(ScTestGguf) w = sc_test_gguf_new (3);
  const char *tokens[] = { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "\xe2\x96\x81" "a",
                           "b", "\xe2\x96\x81" "ab", "\xe2\x96\x81" "." };
  const char *labels[] = { "O", "B-PER", "I-PER", "B-ORG" };
  gint32 types[G_N_ELEMENTS (tokens)];
  const gsize n_labels = variant == TINY_LABELS_MISMATCH ? 3 : G_N_ELEMENTS (labels);
  guint seed = 7;

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    types[i] = i < 5 ? 3 : 1;
  if (variant == TINY_BAD_LABEL)
    labels[3] = "X-ORG";
  sc_test_gguf_add_string (w, "general.architecture",
                           variant == TINY_ARCH_LLAMA ? "llama" : "bert");
  sc_test_gguf_add_string (w, "general.name", "tiny");
  sc_test_gguf_add_u32 (w, "bert.context_length", TINY_CTX);
  sc_test_gguf_add_u32 (w, "bert.embedding_length", TINY_EMBD);
  sc_test_gguf_add_u32 (w, "bert.block_count", 1);
  sc_test_gguf_add_u32 (w, "bert.feed_forward_length", TINY_FF);
  sc_test_gguf_add_u32 (w, "bert.attention.head_count", 2);
  sc_test_gguf_add_f32 (w, "bert.attention.layer_norm_epsilon", 1e-12f);
  sc_test_gguf_add_bool (w, "bert.attention.causal", variant == TINY_CAUSAL);
  sc_test_gguf_add_string (w, "tokenizer.ggml.model", "bert");
  sc_test_gguf_add_string_array (w, "tokenizer.ggml.tokens", tokens, G_N_ELEMENTS (tokens));
  sc_test_gguf_add_array (w, "tokenizer.ggml.token_type", 5, types, G_N_ELEMENTS (types));
  sc_test_gguf_add_u32 (w, "tokenizer.ggml.unknown_token_id", 1);
  sc_test_gguf_add_u32 (w, "tokenizer.ggml.cls_token_id", 2);
  sc_test_gguf_add_u32 (w, "tokenizer.ggml.seperator_token_id", 3);
  sc_test_gguf_add_string_array (w, "sichtung.labels", labels, n_labels);
  if (variant >= TINY_TRANSITIONS)
    {
      /* [from][to] over O, B-PER, I-PER, B-ORG: a name never starts a sentence, and after a
       * name comes an organisation rather than anything else */
      float trans[16] = { 0 };
      const float start[4] = { 0, -5, 0, 0 };

      trans[1 * 4 + 3] = trans[2 * 4 + 3] = 2.0f;
      if (variant == TINY_TRANSITIONS_NAN)
        trans[5] = NAN;
      sc_test_gguf_add_array (w, "sichtung.transitions", 6 /* FLOAT32 */, trans,
                              variant == TINY_TRANSITIONS_SHORT ? 15 : 16);
      if (variant != TINY_TRANSITIONS_NO_START)
        sc_test_gguf_add_array (w, "sichtung.transitions.start", 6, start, 4);
    }

  add_f32_tensor (w, "token_embd.weight", TINY_EMBD, G_N_ELEMENTS (tokens), &seed);
  add_f32_tensor (w, "position_embd.weight", TINY_EMBD, TINY_CTX, &seed);
  add_f32_tensor (w, "token_types.weight", TINY_EMBD, 2, &seed);
  add_f32_tensor (w, "token_embd_norm.weight", TINY_EMBD, 1, &seed);
  add_f32_tensor (w, "token_embd_norm.bias", TINY_EMBD, 1, &seed);
  for (guint i = 0; i < 4; i++)
    {
      const char *names[] = { "attn_q", "attn_k", "attn_v", "attn_output" };
      g_autofree char *wn = g_strdup_printf ("blk.0.%s.weight", names[i]);
      g_autofree char *bn = g_strdup_printf ("blk.0.%s.bias", names[i]);

      add_f32_tensor (w, wn, TINY_EMBD, TINY_EMBD, &seed);
      add_f32_tensor (w, bn, TINY_EMBD, 1, &seed);
    }
  add_f32_tensor (w, "blk.0.attn_output_norm.weight", TINY_EMBD, 1, &seed);
  add_f32_tensor (w, "blk.0.attn_output_norm.bias", TINY_EMBD, 1, &seed);
  add_f32_tensor (w, "blk.0.ffn_up.weight", variant == TINY_BAD_SHAPE ? TINY_FF : TINY_EMBD,
                  variant == TINY_BAD_SHAPE ? TINY_EMBD : TINY_FF, &seed);
  add_f32_tensor (w, "blk.0.ffn_up.bias", TINY_FF, 1, &seed);
  add_f32_tensor (w, "blk.0.ffn_down.weight", TINY_FF, TINY_EMBD, &seed);
  add_f32_tensor (w, "blk.0.ffn_down.bias", TINY_EMBD, 1, &seed);
  add_f32_tensor (w, "blk.0.layer_output_norm.weight", TINY_EMBD, 1, &seed);
  add_f32_tensor (w, "blk.0.layer_output_norm.bias", TINY_EMBD, 1, &seed);
  if (variant != TINY_NO_CLS)
    {
      add_f32_tensor (w, "cls.weight", TINY_EMBD, G_N_ELEMENTS (labels), &seed);
      add_f32_tensor (w, "cls.bias", G_N_ELEMENTS (labels), 1, &seed);
    }
  if (variant >= TINY_GAZETTEER && variant <= TINY_GAZETTEER_ROWS)
    {
      /* one list: feature ids 0 .. 3 (inside a match: 1, a match starts here: 2) */
      const char *lists[] = { "names" };
      const char *sorted[] = { "a b", "b" };
      const char *unsorted[] = { "b", "a b" };

      sc_test_gguf_add_string_array (w, "sichtung.gazetteer.lists", lists, 1);
      sc_test_gguf_add_u32 (w, "sichtung.gazetteer.max_words", 8);
      sc_test_gguf_add_string_array (w, "sichtung.gazetteer.names",
                                     variant == TINY_GAZETTEER_UNSORTED ? unsorted : sorted, 2);
      if (variant != TINY_GAZETTEER_NO_TENSOR)
        add_f32_tensor (w, "gazetteer_embd.weight", TINY_EMBD,
                        variant == TINY_GAZETTEER_ROWS ? 8 : 4, &seed);
    }
  return sc_test_gguf_write (w, "tiny.gguf");
}

static void
expect_refused (ScBackend   *backend,
                TinyVariant  variant,
                gint         code)
{
  g_autofree char *path = write_tiny (variant);
  g_autoptr(GError) error = NULL;
  g_autoptr(ScNer) ner = sc_ner_load (path, backend, &error);

  g_assert_null (ner);
  g_assert_error (error, SC_ERROR, code);
  g_test_message ("variant %d: %s", variant, error->message);
}

static void
test_bad_files (void)
{
  g_autoptr(ScBackend) backend = sc_backend_cpu_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *tiny = write_tiny (TINY_OK);
  g_autoptr(ScNer) ner = sc_ner_load (tiny, backend, &error);
  const char *words[] = { "ab", "a", "b", "z.B.", "ab", "ab", "a", "ab", "ab", "ab" };
  guint labels[G_N_ELEMENTS (words)];
  g_autoptr(GPtrArray) findings = NULL;

  /* the tiny model itself works, windows of four pieces included */
  g_assert_no_error (error);
  sc_ner_tag_words (ner, words, G_N_ELEMENTS (words), labels, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    g_assert_cmpuint (labels[i], <, 4);
  findings = sc_ner_find (ner, "ab a b ab ab a b ab. ab a ab", NULL, &error);
  g_assert_no_error (error);

  /* a missing file */
  {
    g_autoptr(ScNer) none = sc_ner_load ("/nonexistent/sichtung-ner.gguf", backend, &error);

    g_assert_null (none);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  /* not a GGUF file at all */
  {
    g_autofree char *path = NULL;
    g_autoptr(ScNer) none = NULL;
    g_autoptr(GError) local_error = NULL;

    path = g_build_filename (g_get_tmp_dir (), "sichtung-test-ner-not-gguf.txt", NULL);
    g_file_set_contents (path, "Das ist kein Modell.", -1, &local_error);
    g_assert_no_error (local_error);
    none = sc_ner_load (path, backend, &local_error);
    g_assert_null (none);
    g_assert_nonnull (local_error);
    g_unlink (path);
  }

  expect_refused (backend, TINY_ARCH_LLAMA, SC_ERROR_NOT_SUPPORTED);
  expect_refused (backend, TINY_CAUSAL, SC_ERROR_NOT_SUPPORTED);
  expect_refused (backend, TINY_BAD_SHAPE, SC_ERROR_CORRUPT);
  expect_refused (backend, TINY_NO_CLS, SC_ERROR_CORRUPT);
  expect_refused (backend, TINY_LABELS_MISMATCH, SC_ERROR_CORRUPT);
  expect_refused (backend, TINY_BAD_LABEL, SC_ERROR_CORRUPT);
  expect_refused (backend, TINY_TRANSITIONS_SHORT, SC_ERROR_CORRUPT);
  expect_refused (backend, TINY_TRANSITIONS_NAN, SC_ERROR_CORRUPT);
  expect_refused (backend, TINY_TRANSITIONS_NO_START, SC_ERROR_CORRUPT);
  expect_refused (backend, TINY_GAZETTEER_UNSORTED, SC_ERROR_CORRUPT);
  expect_refused (backend, TINY_GAZETTEER_NO_TENSOR, SC_ERROR_CORRUPT);
  expect_refused (backend, TINY_GAZETTEER_ROWS, SC_ERROR_CORRUPT);
}

/* The shipped model's gazetteer features of the golden sentences are the training code's, from
 * the text and from its words given one by one. */
static void
test_gazetteer_golden (void)
{
  g_autoptr(ScBackend) backend = sc_backend_cpu_new ();
  g_autoptr(ScNer) ner = load_ner (backend);
  Json *sentences = json_get (get_golden (), "sentences");
  guint n_matched = 0;

  if (json_find (json_at (sentences, 0), "word_features") == NULL)
    {
      g_test_skip ("the shipped model has no gazetteer features");
      return;
    }
  for (guint s = 0; s < json_len (sentences); s++)
    {
      Json *sentence = json_at (sentences, s);
      const char *text = json_get (sentence, "text")->str;
      g_autoptr(GArray) want = json_ids (json_get (sentence, "word_features"));
      Json *words = json_get (sentence, "words");
      g_autoptr(GArray) split = g_array_new (FALSE, FALSE, sizeof (ScTokenizerWord));
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
      g_autoptr(GError) error = NULL;
      g_autofree gint32 *from_text = NULL;
      g_autofree gint32 *from_words = g_new (gint32, json_len (words));
      g_autofree const char **w = g_new (const char *, json_len (words));

      sc_tokenizer_split_words (_sc_ner_get_tokenizer (ner), text, -1, split, ids, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (split->len, ==, want->len);
      from_text = _sc_ner_word_features (ner, text,
                                         (const ScTokenizerWord *) (void *) split->data,
                                         split->len);
      for (guint i = 0; i < json_len (words); i++)
        w[i] = json_at (words, i)->str;
      _sc_ner_split_features (ner, w, json_len (words), from_words, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < want->len; i++)
        {
          g_assert_cmpint (from_text[i], ==, g_array_index (want, gint32, i));
          g_assert_cmpint (from_words[i], ==, g_array_index (want, gint32, i));
          n_matched += from_text[i] != 0;
        }
    }
  /* the sentences hold names, places and streets of the lists */
  g_assert_cmpuint (n_matched, >=, 4);

  /* a finding on a listed name says so in its explanation */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) findings = sc_ner_find (ner, "Herr Jürgen Weiß wohnt in München.", NULL,
                                                 &error);
    gboolean said = FALSE;

    g_assert_no_error (error);
    for (guint i = 0; i < findings->len; i++)
      {
        ScFinding *f = g_ptr_array_index (findings, i);

        for (guint k = 0; f->steps != NULL && k < f->steps->len; k++)
          {
            const char *step = g_ptr_array_index (f->steps, k);

            said = said || (g_str_has_prefix (step, "Words in the model’s name lists: ") &&
                            strstr (step, "München (place") != NULL);
          }
      }
    g_assert_true (said);
  }
}

/* Gazetteer-match features: the longest entry wins, matches run over the words of the basic
 * split (inside CoNLL tokens too), and the features change what the encoder computes. */
static void
test_gazetteer_features (void)
{
  g_autoptr(ScBackend) backend = sc_backend_cpu_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *tiny = write_tiny (TINY_GAZETTEER);
  g_autoptr(ScNer) ner = sc_ner_load (tiny, backend, &error);
  const char *words[] = { "ab", "a", "b", "b", "a.b", "a" };
  /* "a b": inside and start (3), inside (1); "b" alone (3), also as the last word of "a.b"
   * ("a", ".", "b"); "ab" and the last "a" none */
  const gint32 want[] = { 0, 3, 1, 3, 3, 0 };
  const char *split[] = { "x", "a" "\xc2\xad", "b" };
  const gint32 want_split[] = { 0, 3, 1 };
  gint32 got[G_N_ELEMENTS (words)];
  g_autoptr(ScEncoder) enc = NULL;
  const gint32 ids[] = { 2, 5, 6, 3 };
  const gint32 features[] = { 0, 3, 1, 0 };
  const guint length = G_N_ELEMENTS (ids);
  float plain[G_N_ELEMENTS (ids) * 4], with[G_N_ELEMENTS (ids) * 4];
  const gint32 bad[] = { 0, 4, 0, 0 };

  g_assert_no_error (error);
  _sc_ner_split_features (ner, words, G_N_ELEMENTS (words), got, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    g_assert_cmpint (got[i], ==, want[i]);
  /* a soft hyphen inside a word is not part of it */
  _sc_ner_split_features (ner, split, G_N_ELEMENTS (split), got, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (split); i++)
    g_assert_cmpint (got[i], ==, want_split[i]);

  enc = sc_encoder_load (tiny, backend, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sc_encoder_get_hparams (enc)->n_features, ==, 4);
  sc_encoder_eval (enc, ids, &length, 1, plain, &error);
  g_assert_no_error (error);
  sc_encoder_eval_features (enc, ids, features, &length, 1, with, &error);
  g_assert_no_error (error);
  g_assert_true (memcmp (plain, with, sizeof plain) != 0);
  sc_encoder_eval_features (enc, ids, bad, &length, 1, with, &error);
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
}

/* Transition scores change the best path exactly as their log-probabilities say; without them
 * the product of the per-word probabilities alone decides. */
static void
test_decode_transitions (void)
{
  g_autoptr(ScBackend) backend = sc_backend_cpu_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *plain_path = write_tiny (TINY_OK);
  g_autoptr(ScNer) plain = sc_ner_load (plain_path, backend, &error);
  g_autofree char *trans_path = NULL;
  g_autoptr(ScNer) with = NULL;
  const float *start = NULL;
  /* O, B-PER, I-PER, B-ORG per word */
  const float probs[] = {
    0.5f, 0.4f, 0.0f, 0.1f,
    0.4f, 0.0f, 0.6f, 0.0f,
    0.6f, 0.0f, 0.0f, 0.4f,
  };
  guint labels[3], reference[3];

  g_assert_no_error (error);
  g_assert_null (sc_ner_get_transitions (plain, &start));
  g_assert_null (start);
  sc_ner_decode (plain, probs, 3, NULL, labels);
  g_assert_cmpuint (labels[0], ==, 1); /* B-PER I-PER O: 0.4·0.6·0.6 > 0.5·0.4·0.6 */
  g_assert_cmpuint (labels[1], ==, 2);
  g_assert_cmpuint (labels[2], ==, 0);

  trans_path = write_tiny (TINY_TRANSITIONS);
  with = sc_ner_load (trans_path, backend, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sc_ner_get_transitions (with, &start));
  g_assert_cmpfloat (start[1], ==, -5.0f);
  sc_ner_decode (with, probs, 3, NULL, labels);
  reference_decode (with, probs, 3, reference);
  /* a name at the start costs e^-5 now: O O O (0.5·0.4·0.6) beats B-PER I-PER O
   * (0.4·0.6·0.6·e^-5) and B-PER I-PER B-ORG (0.4·0.6·0.4·e^-5·e^2) */
  g_assert_cmpuint (labels[0], ==, 0);
  g_assert_cmpuint (labels[1], ==, 0);
  g_assert_cmpuint (labels[2], ==, 0);
  for (guint w = 0; w < 3; w++)
    g_assert_cmpuint (labels[w], ==, reference[w]);

  /* O, B-PER, then O 0.6 or B-ORG 0.4: the organisation, e^2 more likely after a name, wins */
  {
    const float three[] = { 1.0f, 0.0f, 0.0f, 0.0f, 0.1f, 0.9f, 0.0f, 0.0f,
                            0.6f, 0.0f, 0.0f, 0.4f };

    sc_ner_decode (plain, three, 3, NULL, labels);
    g_assert_cmpuint (labels[1], ==, 1);
    g_assert_cmpuint (labels[2], ==, 0);
    sc_ner_decode (with, three, 3, NULL, labels);
    g_assert_cmpuint (labels[1], ==, 1);
    g_assert_cmpuint (labels[2], ==, 3);
    reference_decode (with, three, 3, reference);
    g_assert_cmpuint (reference[2], ==, 3);
  }
}

/* The encoder refuses what does not fit instead of computing garbage. */
static void
test_encoder_bad_input (void)
{
  g_autoptr(ScBackend) backend = sc_backend_cpu_new ();
  g_autofree char *tiny = write_tiny (TINY_OK);
  g_autoptr(GError) error = NULL;
  g_autoptr(ScEncoder) enc = sc_encoder_load (tiny, backend, &error);
  gint32 ids[TINY_CTX + 1] = { 2, 5, 6, 7, 8, 3, 3 };
  float logits[(TINY_CTX + 1) * 4];
  guint len = TINY_CTX + 1;

  g_assert_no_error (enc == NULL ? error : NULL);
  sc_encoder_eval (enc, ids, &len, 1, logits, &error);
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  len = 3;
  ids[1] = 99;
  sc_encoder_eval (enc, ids, &len, 1, logits, &error);
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  ids[1] = 5;
  sc_encoder_eval (enc, ids, &len, 1, logits, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3 * 4; i++)
    g_assert_true (isfinite (logits[i]));
}

/* ------------------------------------------------------------------------------------------ */
/* sichtung-cli tag                                                                           */
/* ------------------------------------------------------------------------------------------ */

/* Runs `sichtung-cli tag FILE --input-format conll --tagset @tagset` on @conll; returns the
 * output, or NULL after skipping when the CLI is not built. */
static char *
run_tag (const char *conll,
         const char *tagset)
{
  g_autofree char *cli = g_test_build_filename (G_TEST_BUILT, "..", "core", "cli",
                                                "sichtung-cli", NULL);
  g_autofree char *input = sc_test_write_file ("input.conll", conll, -1);
  g_autofree char *model = model_path ();
  const char *argv[] = { cli, "tag", input, "--input-format", "conll", "--tagset", tagset,
                         "--device", "cpu", "--model", model, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  if (!g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("sichtung-cli is not built");
      return NULL;
    }
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (err, ==, "");
  return out;
}

/* Same tokens and sentence breaks back, valid IOB2 tags of the tag set. */
static void
test_cli_tag (void)
{
  const char *conll = "Der DET O\nKläger\tNOUN\tO\nJürgen\nWeiß\n\n\n  §  \n433\nBGB\n.\n\n"
                      "Müller\r\nGmbH\r\n";
  const char *tokens[] = { "Der", "Kläger", "Jürgen", "Weiß", NULL, "§", "433", "BGB", ".",
                           NULL, "Müller", "GmbH", NULL };
  const char *sets[] = { "ler", "coarse", "all" };
  const char *coarse[] = { "PER", "LOC", "ORG", "NRM", "REG", "RS", "LIT" };

  for (guint k = 0; k < G_N_ELEMENTS (sets); k++)
    {
      g_autofree char *out = run_tag (conll, sets[k]);
      g_auto(GStrv) lines = NULL;
      const char *prev = "O";
      guint i = 0;

      if (out == NULL)
        return;
      lines = g_strsplit (out, "\n", -1);
      g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (tokens) + 1);
      g_assert_cmpstr (lines[G_N_ELEMENTS (tokens)], ==, "");
      for (i = 0; i < G_N_ELEMENTS (tokens); i++)
        {
          g_auto(GStrv) cols = NULL;
          const char *type;

          if (tokens[i] == NULL)
            {
              g_assert_cmpstr (lines[i], ==, "");
              prev = "O";
              continue;
            }
          cols = g_strsplit (lines[i], "\t", -1);
          g_assert_cmpuint (g_strv_length (cols), ==, 2);
          g_assert_cmpstr (cols[0], ==, tokens[i]);
          if (g_str_equal (cols[1], "O"))
            {
              prev = "O";
              continue;
            }
          g_assert_true (cols[1][0] == 'B' || cols[1][0] == 'I');
          g_assert_cmpint (cols[1][1], ==, '-');
          type = cols[1] + 2;
          if (cols[1][0] == 'I')
            g_assert_cmpstr (prev + 2, ==, type);
          if (g_str_equal (sets[k], "coarse"))
            g_assert_true (g_strv_contains (coarse, type));
          else if (g_str_equal (sets[k], "ler"))
            g_assert_true (!g_str_equal (type, "LOC") && !g_str_equal (type, "OTH"));
          prev = g_intern_string (cols[1]);
        }
    }

  /* nothing in, nothing out */
  {
    g_autofree char *out = run_tag ("\n \n", "ler");

    if (out != NULL)
      g_assert_cmpstr (out, ==, "");
  }
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sichtung/ner/default-model", test_default_model);
  g_test_add_func ("/sichtung/ner/tokenizer", test_tokenizer);
  g_test_add_func ("/sichtung/ner/tokenizer-split", test_tokenizer_split);
  g_test_add_func ("/sichtung/ner/golden-cpu", test_golden_cpu);
  g_test_add_func ("/sichtung/ner/golden-vulkan", test_golden_vulkan);
  g_test_add_func ("/sichtung/ner/tag-words", test_tag_words);
  g_test_add_func ("/sichtung/ner/decode", test_decode);
  g_test_add_func ("/sichtung/ner/decode-transitions", test_decode_transitions);
  g_test_add_func ("/sichtung/ner/tag-sentences", test_tag_sentences);
  g_test_add_func ("/sichtung/ner/windows", test_windows);
  g_test_add_func ("/sichtung/ner/find", test_find);
  g_test_add_func ("/sichtung/ner/find-cancelled", test_find_cancelled);
  g_test_add_func ("/sichtung/ner/bad-files", test_bad_files);
  g_test_add_func ("/sichtung/ner/gazetteer-features", test_gazetteer_features);
  g_test_add_func ("/sichtung/ner/gazetteer-golden", test_gazetteer_golden);
  g_test_add_func ("/sichtung/ner/encoder-bad-input", test_encoder_bad_input);
  g_test_add_func ("/sichtung/ner/cli-tag", test_cli_tag);

  ret = g_test_run ();
  g_clear_pointer (&golden, json_free);
  return ret;
}
