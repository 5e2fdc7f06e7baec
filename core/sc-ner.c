/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-ner.c: the named-entity tagger (see sc-ner.h): words to WordPiece ids, overlapping windows
 * of at most the encoder's context, batched through sc_encoder_eval(), each word's label from
 * the logits of its first piece in the window where it is most central, and IOB2 tags decoded
 * into ScFinding spans. A model trained with gazetteer-match features carries its name lists;
 * every piece of a word then has the word's feature id (sc-ner-gazetteer.c) beside its id. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-encoder.h"
#include "sc-error.h"
#include "sc-ner.h"
#include "sc-ner-private.h"
#include "sc-paths.h"

#define MODEL_FILE_NAME "sichtung-ner.gguf"
#define KEY_LABELS      "sichtung.labels"
#define KEY_TRANS       "sichtung.transitions"
#define KEY_TRANS_START "sichtung.transitions.start"

/* What one graph holds: enough to keep the matrix products efficient, little enough that the
 * activations stay small (about 4 KiB per token and layer for the shipped model). */
#define MAX_BATCH_TOKENS 4096
#define MAX_BATCH_SEQS   64

/* The LER / GermEval entity types, what they become as findings, and their names for people.
 * Types without a category (-1) are tagged but give no finding. */
static const struct
{
  const char *type;
  int         category;
  const char *name;
} entity_types[] = {
  { "PER", SC_FINDING_PERSON, N_("person") },
  { "RR", SC_FINDING_PERSON, N_("judge") },
  { "AN", SC_FINDING_PERSON, N_("lawyer") },
  { "LD", SC_FINDING_LOCATION, N_("country") },
  { "ST", SC_FINDING_LOCATION, N_("city") },
  { "STR", SC_FINDING_ADDRESS, N_("street") },
  { "LDS", SC_FINDING_LOCATION, N_("landscape") },
  { "LOC", SC_FINDING_LOCATION, N_("place") },
  { "ORG", SC_FINDING_ORGANISATION, N_("organisation") },
  { "UN", SC_FINDING_ORGANISATION, N_("company") },
  { "INN", SC_FINDING_ORGANISATION, N_("institution") },
  { "GRT", SC_FINDING_ORGANISATION, N_("court") },
  { "MRK", SC_FINDING_ORGANISATION, N_("brand") },
  { "GS", SC_FINDING_LEGAL_NORM, N_("law") },
  { "VO", SC_FINDING_LEGAL_NORM, N_("ordinance") },
  { "EUN", SC_FINDING_LEGAL_NORM, N_("EU legal norm") },
  { "VS", SC_FINDING_LEGAL_NORM, N_("regulation") },
  { "VT", SC_FINDING_LEGAL_NORM, N_("contract") },
  { "RS", SC_FINDING_COURT_DECISION, N_("court decision") },
  { "LIT", -1, N_("literature") },
  { "OTH", -1, N_("other name") },
};

typedef enum
{
  TAG_O,
  TAG_B,
  TAG_I,
} TagPrefix;

typedef struct
{
  TagPrefix prefix;
  char     *type;   /* "PER"; NULL for O */
  int       entity; /* index into entity_types, -1 when unknown */
  guint     group;  /* the label standing for the type: B- of an I- label's type, else itself */
} Label;

struct _ScNer
{
  gatomicrefcount  ref_count;
  ScEncoder       *encoder;
  char            *name;
  char            *version;
  guint            n_labels;
  char           **label_texts; /* [n_labels + 1], NULL-terminated */
  Label           *labels;      /* [n_labels] */
  float           *trans;       /* [from * n_labels + to] log-scores added in decoding, or NULL */
  float           *trans_start; /* [n_labels], with trans */
  ScNerGazetteer  *gazetteer;   /* the lists of the model's gazetteer features, or NULL */
};

/* ---------------------------------------------------------------- loading */

static void
ner_free (ScNer *ner)
{
  if (ner->labels != NULL)
    for (guint i = 0; i < ner->n_labels; i++)
      g_free (ner->labels[i].type);
  g_free (ner->labels);
  g_free (ner->trans);
  g_free (ner->trans_start);
  g_strfreev (ner->label_texts);
  g_free (ner->name);
  g_free (ner->version);
  g_clear_pointer (&ner->gazetteer, _sc_ner_gazetteer_free);
  g_clear_pointer (&ner->encoder, sc_encoder_unref);
  g_free (ner);
}

static int
find_entity_type (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (entity_types); i++)
    if (g_str_equal (entity_types[i].type, type))
      return (int) i;
  return -1;
}

static gboolean
read_labels (ScNer   *ner,
             GError **error)
{
  ScGguf *gguf = sc_encoder_get_gguf (ner->encoder);
  const ScEncoderHparams *hp = sc_encoder_get_hparams (ner->encoder);
  const char *const *texts;
  gboolean has_o = FALSE;
  gsize n = 0;

  if (!sc_gguf_has_key (gguf, KEY_LABELS))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model file lacks the metadata key “%s”"), KEY_LABELS);
      return FALSE;
    }
  texts = sc_gguf_get_string_array (gguf, KEY_LABELS, &n, NULL, error);
  if (texts == NULL)
    return FALSE;
  if (n != hp->n_out)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model names %zu labels but its classifier has %u outputs"),
                   n, hp->n_out);
      return FALSE;
    }

  ner->n_labels = (guint) n;
  ner->label_texts = g_new0 (char *, n + 1);
  ner->labels = g_new0 (Label, n);
  for (gsize i = 0; i < n; i++)
    {
      const char *t = texts[i];
      Label *label = &ner->labels[i];

      ner->label_texts[i] = g_strdup (t);
      if (g_str_equal (t, "O"))
        {
          label->prefix = TAG_O;
          label->entity = -1;
          has_o = TRUE;
          continue;
        }
      if ((t[0] != 'B' && t[0] != 'I') || t[1] != '-' || t[2] == '\0')
        {
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                       _("The model’s label “%s” is not an IOB2 tag"), t);
          return FALSE;
        }
      label->prefix = t[0] == 'B' ? TAG_B : TAG_I;
      label->type = g_strdup (t + 2);
      label->entity = find_entity_type (label->type);
    }
  for (gsize i = 0; i < n; i++)
    {
      Label *label = &ner->labels[i];

      label->group = (guint) i;
      if (label->prefix == TAG_I)
        for (gsize j = 0; j < n; j++)
          if (ner->labels[j].prefix == TAG_B && g_str_equal (ner->labels[j].type, label->type))
            label->group = (guint) j;
    }
  if (!has_o)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model’s labels lack “O” (outside any name)"));
      return FALSE;
    }
  return TRUE;
}

/* Optional label-transition scores (weighted log-probabilities of one label following another
 * in the training data), added to the per-word log-probabilities when decoding. */
static gboolean
read_transitions (ScNer   *ner,
                  GError **error)
{
  ScGguf *gguf = sc_encoder_get_gguf (ner->encoder);
  const gsize n = ner->n_labels;
  const float *trans, *start;
  gsize n_trans = 0, n_start = 0;

  if (!sc_gguf_has_key (gguf, KEY_TRANS))
    return TRUE;
  if (!sc_gguf_has_key (gguf, KEY_TRANS_START))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model file lacks the metadata key “%s”"), KEY_TRANS_START);
      return FALSE;
    }
  trans = sc_gguf_get_f32_array (gguf, KEY_TRANS, &n_trans, error);
  if (trans == NULL)
    return FALSE;
  start = sc_gguf_get_f32_array (gguf, KEY_TRANS_START, &n_start, error);
  if (start == NULL)
    return FALSE;
  if (n_trans != n * n || n_start != n)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model’s label transitions have %zu and %zu entries instead of %zu and %zu"),
                   n_trans, n_start, n * n, n);
      return FALSE;
    }
  for (gsize i = 0; i < n * n; i++)
    if (!isfinite (trans[i]) || (i < n && !isfinite (start[i])))
      {
        g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                     _("The model’s label transitions hold a value that is not a finite number"));
        return FALSE;
      }
  ner->trans = g_memdup2 (trans, n * n * sizeof (float));
  ner->trans_start = g_memdup2 (start, n * sizeof (float));
  return TRUE;
}

ScNer *
sc_ner_load (const char  *path,
             ScBackend   *backend,
             GError     **error)
{
  ScNer *ner;
  ScGguf *gguf;
  const ScEncoderHparams *hp;
  GError *local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (SC_IS_BACKEND (backend), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ner = g_new0 (ScNer, 1);
  g_atomic_ref_count_init (&ner->ref_count);
  ner->encoder = sc_encoder_load (path, backend, error);
  if (ner->encoder == NULL)
    goto fail;
  if (sc_encoder_get_pooling (ner->encoder) != SC_POOLING_NONE)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   _("The model is a sentence-embedding model, not a tagger"));
      goto fail;
    }
  hp = sc_encoder_get_hparams (ner->encoder);
  if (hp->n_ctx < 3)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model’s context of %u positions is too short"), hp->n_ctx);
      goto fail;
    }
  if (!read_labels (ner, error) || !read_transitions (ner, error))
    goto fail;

  gguf = sc_encoder_get_gguf (ner->encoder);
  ner->gazetteer = _sc_ner_gazetteer_load (gguf, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      goto fail;
    }
  if ((ner->gazetteer != NULL ? _sc_ner_gazetteer_get_n_features (ner->gazetteer) : 0) !=
      hp->n_features)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model’s gazetteers do not match its %u feature vectors"),
                   hp->n_features);
      goto fail;
    }
  if (sc_gguf_has_key (gguf, "general.name"))
    {
      const char *name = sc_gguf_get_string (gguf, "general.name", error);

      if (name == NULL)
        goto fail;
      ner->name = g_strdup (name);
    }
  else
    {
      ner->name = g_path_get_basename (path);
    }
  if (sc_gguf_has_key (gguf, "general.version"))
    {
      const char *version = sc_gguf_get_string (gguf, "general.version", error);

      if (version == NULL)
        goto fail;
      ner->version = g_strdup (version);
    }
  else
    {
      ner->version = g_strdup ("");
    }
  return ner;

fail:
  g_prefix_error (error, _("Cannot load the tagging model %s: "), path);
  ner_free (ner);
  return NULL;
}

static char *
model_in (const char *dir)
{
  char *path = g_build_filename (dir, MODEL_FILE_NAME, NULL);

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return path;
  g_free (path);
  return NULL;
}

char *
sc_ner_find_default_model (void)
{
  const char *env = g_getenv ("SICHTUNG_MODEL_DIR");
  g_autofree char *installed = g_build_filename (PKGDATADIR, "models", NULL);
  g_autofree char *source = g_build_filename (SC_SOURCE_DATADIR, "models", NULL);
  char *path = NULL;

  if (env != NULL && *env != '\0')
    path = model_in (env);
  if (path == NULL)
    path = model_in (installed);
  if (path == NULL)
    path = model_in (source);
  return path;
}

ScNer *
sc_ner_ref (ScNer *ner)
{
  g_return_val_if_fail (ner != NULL, NULL);

  g_atomic_ref_count_inc (&ner->ref_count);
  return ner;
}

void
sc_ner_unref (ScNer *ner)
{
  if (ner == NULL)
    return;
  if (g_atomic_ref_count_dec (&ner->ref_count))
    ner_free (ner);
}

const char *
sc_ner_get_name (ScNer *ner)
{
  g_return_val_if_fail (ner != NULL, NULL);

  return ner->name;
}

const char *
sc_ner_get_version (ScNer *ner)
{
  g_return_val_if_fail (ner != NULL, NULL);

  return ner->version;
}

guint
sc_ner_get_n_labels (ScNer *ner)
{
  g_return_val_if_fail (ner != NULL, 0);

  return ner->n_labels;
}

const char *
sc_ner_get_label (ScNer *ner,
                  guint  i)
{
  g_return_val_if_fail (ner != NULL, NULL);

  return i < ner->n_labels ? ner->label_texts[i] : NULL;
}

/* ---------------------------------------------------------------- windows and batches */

/* Words already turned into pieces: word w has n_ids[w] ids from ids[first[w]]. */
typedef struct
{
  const gint32 *ids;
  const guint  *first;
  const guint  *n_ids;
  const gint32 *features; /* gazetteer feature id of each word, or NULL */
  gsize         n_words;
} Encoded;

/* A run of whole words of one sentence that fits the encoder with [CLS] and [SEP]. */
typedef struct
{
  gsize    word0;    /* first word (index over all words) */
  gsize    n_words;
  gboolean at_start; /* the window begins its sentence: no context is missing on the left */
  gboolean at_end;
} Window;

/* Pieces of word @w that go into a window: a word longer than a whole window (only possible
 * with a tiny context) keeps its first pieces, which carry its label. */
static guint
clipped_pieces (const Encoded *enc,
                gsize          w,
                guint          max_pieces)
{
  return MIN (enc->n_ids[w], max_pieces);
}

/* Covers the words [@word0, @word0 + @n) with windows of at most @max_pieces pieces; each
 * window starts about three quarters of a window after the previous one, so neighbouring windows
 * share a quarter window and every word but those near the sentence edges sees at least an
 * eighth of a window (32 pieces for 256) of context on both sides in the window where it is
 * most central. Each piece is computed about 1.33 times. */
static void
make_windows (const Encoded *enc,
              gsize          word0,
              gsize          n,
              guint          max_pieces,
              GArray        *windows)
{
  const guint stride = MAX (1, max_pieces - max_pieces / 4);
  gsize s = 0;

  while (s < n)
    {
      gsize e = s, sum = 0, next, advanced = 0;
      Window win;

      while (e < n && sum + clipped_pieces (enc, word0 + e, max_pieces) <= max_pieces)
        sum += clipped_pieces (enc, word0 + e++, max_pieces);
      g_assert (e > s);
      win.word0 = word0 + s;
      win.n_words = e - s;
      win.at_start = s == 0;
      win.at_end = e == n;
      g_array_append_val (windows, win);
      if (e == n)
        break;

      for (next = s; next < e && advanced < stride; next++)
        advanced += clipped_pieces (enc, word0 + next, max_pieces);
      s = MAX (next, s + 1);
    }
}

/* The softmax of @logits into @out (both @n). */
static void
softmax (const float *logits,
         float       *out,
         guint        n)
{
  float max = logits[0];
  double sum = 0;

  for (guint i = 1; i < n; i++)
    max = MAX (max, logits[i]);
  for (guint i = 0; i < n; i++)
    sum += exp ((double) logits[i] - max);
  for (guint i = 0; i < n; i++)
    out[i] = (float) (exp ((double) logits[i] - max) / sum);
}


/* Runs the windows [@w0, @w1) as one batch and keeps, per word, the result of the window where
 * it is most central so far (@best: that centrality, -1 before any). */
static gboolean
run_batch (ScNer         *ner,
           const Encoded *enc,
           const Window  *windows,
           guint          n_windows,
           guint          max_pieces,
           gint64        *best,
           float         *probs,
           GError       **error)
{
  ScTokenizer *tok = sc_encoder_get_tokenizer (ner->encoder);
  const gint32 cls = sc_tokenizer_get_bos (tok), sep = sc_tokenizer_get_eos (tok);
  const guint n_labels = ner->n_labels;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) features = g_array_new (FALSE, TRUE, sizeof (gint32));
  g_autofree guint *lengths = g_new (guint, n_windows);
  g_autofree float *logits = NULL;
  gsize row = 0;

  for (guint i = 0; i < n_windows; i++)
    {
      const Window *win = &windows[i];
      guint before = ids->len;

      g_array_append_val (ids, cls);
      for (gsize w = win->word0; w < win->word0 + win->n_words; w++)
        {
          const guint n = clipped_pieces (enc, w, max_pieces);

          g_array_append_vals (ids, enc->ids + enc->first[w], n);
          /* every piece of a word carries the word's feature; [CLS] and [SEP] none */
          g_array_set_size (features, ids->len);
          if (enc->features != NULL)
            for (guint p = 0; p < n; p++)
              g_array_index (features, gint32, ids->len - n + p) = enc->features[w];
        }
      g_array_append_val (ids, sep);
      g_array_set_size (features, ids->len);
      lengths[i] = ids->len - before;
    }

  logits = g_try_new (float, (gsize) ids->len * n_labels);
  if (logits == NULL)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_FAILED,
                   _("Out of memory for the logits of %u tokens"), ids->len);
      return FALSE;
    }
  if (!sc_encoder_eval_features (ner->encoder, (const gint32 *) (void *) ids->data,
                                 (const gint32 *) (void *) features->data, lengths, n_windows,
                                 logits, error))
    return FALSE;

  for (guint i = 0; i < n_windows; i++)
    {
      const Window *win = &windows[i];
      const gsize n_pieces = lengths[i] - 2;
      gsize pos = 0; /* pieces before the current word */

      for (gsize w = win->word0; w < win->word0 + win->n_words; w++)
        {
          const guint n_word = clipped_pieces (enc, w, max_pieces);
          const gint64 left = win->at_start ? G_MAXINT64 : (gint64) pos;
          const gint64 right = win->at_end ? G_MAXINT64 : (gint64) (n_pieces - pos - n_word);
          const float *l = logits + (row + 1 + pos) * n_labels;
          const gint64 centrality = MIN (left, right);

          if (centrality > best[w])
            {
              best[w] = centrality;
              softmax (l, probs + w * n_labels, n_labels);
            }
          pos += n_word;
        }
      row += lengths[i];
    }
  return TRUE;
}

const float *
sc_ner_get_transitions (ScNer        *ner,
                        const float **start)
{
  g_return_val_if_fail (ner != NULL, NULL);

  if (start != NULL)
    *start = ner->trans_start;
  return ner->trans;
}

void
sc_ner_decode (ScNer          *ner,
               const float    *probs,
               gsize           n_words,
               const gboolean *allowed,
               guint          *labels)
{
  const guint n = ner->n_labels;
  const float *trans = ner->trans;
  g_autofree float *score = NULL;
  g_autofree float *next = NULL;
  g_autofree guint *back = NULL;
  guint o = 0, last = 0;

  g_return_if_fail (probs != NULL || n_words == 0);
  g_return_if_fail (labels != NULL || n_words == 0);
  if (n_words == 0)
    return;

  for (guint k = 0; k < n; k++)
    if (ner->labels[k].prefix == TAG_O)
      o = k;
  score = g_new (float, n);
  next = g_new (float, n);
  back = g_new (guint, n_words * n);

  /* Log-probabilities; -inf marks what no valid sequence reaches. An I- label continues its
   * own B- or I- label (Label.group is the B- label of its type); B- and O follow anything. */
#define LOGP(w, k) (allowed != NULL && !allowed[k] ? -INFINITY \
                    : logf (MAX (probs[(gsize) (w) * n + (k)], 1e-30f)))
  /* With transition scores (see read_transitions()) a label's predecessor is the best by score
   * plus transition; without, the best by score. */
#define TRANS(j, k) (trans != NULL ? trans[(j) * n + (k)] : 0.0f)
  for (guint k = 0; k < n; k++)
    score[k] = ner->labels[k].prefix == TAG_I ? -INFINITY
               : LOGP (0, k) + (trans != NULL ? ner->trans_start[k] : 0.0f);
  for (gsize w = 1; w < n_words; w++)
    {
      guint best = o;

      for (guint k = 0; k < n; k++)
        if (score[k] > score[best])
          best = k;
      for (guint k = 0; k < n; k++)
        {
          guint from = best;

          if (ner->labels[k].prefix == TAG_I)
            {
              const guint b = ner->labels[k].group;

              /* a type without a B- label (group == k) can only continue itself */
              from = score[b] + TRANS (b, k) > score[k] + TRANS (k, k) ? b : k;
            }
          else if (trans != NULL)
            {
              from = o;
              for (guint j = 0; j < n; j++)
                if (score[j] + TRANS (j, k) > score[from] + TRANS (from, k))
                  from = j;
            }
          next[k] = score[from] + TRANS (from, k) + LOGP (w, k);
          back[w * n + k] = from;
        }
      memcpy (score, next, n * sizeof (float));
    }
#undef TRANS
#undef LOGP

  for (guint k = 0; k < n; k++)
    if (score[k] > score[last])
      last = k;
  if (!isfinite (score[last]))
    last = o;
  for (gsize w = n_words; w-- > 0;)
    {
      labels[w] = last;
      if (w > 0)
        last = back[w * n + last];
    }
}

/* ---------------------------------------------------------------- gazetteer features */

gint32 *
_sc_ner_word_features (ScNer                  *ner,
                       const char             *text,
                       const ScTokenizerWord  *words,
                       gsize                   n_words)
{
  gint32 *features;
  g_autoptr(GPtrArray) texts = NULL;
  g_autofree gsize *owner = NULL;

  g_return_val_if_fail (ner != NULL, NULL);
  g_return_val_if_fail (text != NULL || n_words == 0, NULL);

  features = g_new0 (gint32, MAX (n_words, 1));
  if (ner->gazetteer == NULL || n_words == 0)
    return features;
  texts = g_ptr_array_new_full (n_words, g_free);
  owner = g_new (gsize, n_words);
  for (gsize w = 0; w < n_words; w++)
    {
      g_ptr_array_add (texts, _sc_ner_gazetteer_word (text + words[w].start,
                                                      words[w].end - words[w].start));
      owner[w] = w;
    }
  _sc_ner_gazetteer_match (ner->gazetteer, (const char *const *) texts->pdata, owner, n_words,
                           features);
  return features;
}

/* The feature ids of @n pre-split words (CoNLL tokens; each split as the tokenizer splits
 * it, so "z.B." is four words for the gazetteers) into @features (zeroed). */
static gboolean
split_features (ScNer              *ner,
                const char *const  *words,
                gsize               n,
                gint32             *features,
                GError            **error)
{
  ScTokenizer *tok = sc_encoder_get_tokenizer (ner->encoder);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) owner = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GArray) split = g_array_new (FALSE, FALSE, sizeof (ScTokenizerWord));
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));

  for (gsize w = 0; w < n; w++)
    {
      g_array_set_size (split, 0);
      g_array_set_size (ids, 0);
      if (!sc_tokenizer_split_words (tok, words[w], -1, split, ids, error))
        return FALSE;
      for (guint i = 0; i < split->len; i++)
        {
          const ScTokenizerWord *sw = &g_array_index (split, ScTokenizerWord, i);

          g_ptr_array_add (texts, _sc_ner_gazetteer_word (words[w] + sw->start,
                                                          sw->end - sw->start));
          g_array_append_val (owner, w);
        }
    }
  _sc_ner_gazetteer_match (ner->gazetteer, (const char *const *) texts->pdata,
                           (const gsize *) (void *) owner->data, texts->len, features);
  return TRUE;
}

gboolean
_sc_ner_split_features (ScNer              *ner,
                        const char *const  *words,
                        gsize               n_words,
                        gint32             *features,
                        GError            **error)
{
  g_return_val_if_fail (ner != NULL, FALSE);
  g_return_val_if_fail (words != NULL || n_words == 0, FALSE);

  memset (features, 0, n_words * sizeof (gint32));
  if (ner->gazetteer == NULL || n_words == 0)
    return TRUE;
  return split_features (ner, words, n_words, features, error);
}

/* Tags the encoded words, sentence by sentence (@sentence_lengths words each). */
static gboolean
tag_encoded (ScNer          *ner,
             const Encoded  *enc,
             const gsize    *sentence_lengths,
             gsize           n_sentences,
             guint          *labels,
             float          *probs,
             GCancellable   *cancellable,
             GError        **error)
{
  const guint max_pieces = sc_encoder_get_hparams (ner->encoder)->n_ctx - 2;
  g_autoptr(GArray) windows = g_array_new (FALSE, FALSE, sizeof (Window));
  g_autofree gint64 *best = NULL;
  g_autofree float *own_probs = NULL;
  gsize word0 = 0;
  guint i = 0;

  if (probs == NULL)
    {
      /* the decoder needs every word's distribution */
      probs = own_probs = g_try_new (float, enc->n_words * ner->n_labels);
      if (probs == NULL)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_FAILED,
                       _("Out of memory for the probabilities of %zu words"), enc->n_words);
          return FALSE;
        }
    }

  for (gsize s = 0; s < n_sentences; s++)
    {
      make_windows (enc, word0, sentence_lengths[s], max_pieces, windows);
      word0 += sentence_lengths[s];
    }
  g_assert (word0 == enc->n_words);

  best = g_new (gint64, MAX (enc->n_words, 1));
  for (gsize w = 0; w < enc->n_words; w++)
    best[w] = -1;

  while (i < windows->len)
    {
      const Window *batch = &g_array_index (windows, Window, i);
      guint n = 0;
      gsize tokens = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      /* windows in file order: neighbouring windows share words, later ones overwrite less */
      while (i + n < windows->len && n < MAX_BATCH_SEQS)
        {
          const Window *win = &batch[n];
          gsize len = 2;

          for (gsize w = win->word0; w < win->word0 + win->n_words; w++)
            len += clipped_pieces (enc, w, max_pieces);
          if (n > 0 && tokens + len > MAX_BATCH_TOKENS)
            break;
          tokens += len;
          n++;
        }
      if (!run_batch (ner, enc, batch, n, max_pieces, best, probs, error))
        return FALSE;
      i += n;
    }

  word0 = 0;
  for (gsize s = 0; s < n_sentences; s++)
    {
      sc_ner_decode (ner, probs + word0 * ner->n_labels, sentence_lengths[s], NULL,
                     labels + word0);
      word0 += sentence_lengths[s];
    }
  return TRUE;
}

gboolean
sc_ner_tag_sentences (ScNer              *ner,
                      const char *const  *words,
                      const gsize        *sentence_lengths,
                      gsize               n_sentences,
                      guint              *labels,
                      float              *probs,
                      GCancellable       *cancellable,
                      GError            **error)
{
  ScTokenizer *tok;
  g_autoptr(GArray) ids = NULL;
  g_autofree guint *first = NULL;
  g_autofree guint *n_ids = NULL;
  g_autofree gint32 *features = NULL;
  Encoded enc = { 0 };
  gsize n_words = 0;

  g_return_val_if_fail (ner != NULL, FALSE);
  g_return_val_if_fail (sentence_lengths != NULL || n_sentences == 0, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (gsize s = 0; s < n_sentences; s++)
    n_words += sentence_lengths[s];
  if (n_words == 0)
    return TRUE;
  g_return_val_if_fail (words != NULL && labels != NULL, FALSE);

  tok = sc_encoder_get_tokenizer (ner->encoder);
  ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  first = g_new (guint, n_words);
  n_ids = g_new (guint, n_words);
  for (gsize w = 0; w < n_words; w++)
    {
      g_return_val_if_fail (words[w] != NULL, FALSE);
      first[w] = ids->len;
      if (!sc_tokenizer_encode_word (tok, words[w], -1, ids, error))
        return FALSE;
      n_ids[w] = ids->len - first[w];
    }
  if (ner->gazetteer != NULL)
    {
      gsize word0 = 0;

      features = g_new0 (gint32, n_words);
      for (gsize s = 0; s < n_sentences; s++)
        {
          if (!split_features (ner, words + word0, sentence_lengths[s], features + word0, error))
            return FALSE;
          word0 += sentence_lengths[s];
        }
    }
  enc.ids = (const gint32 *) (void *) ids->data;
  enc.first = first;
  enc.n_ids = n_ids;
  enc.features = features;
  enc.n_words = n_words;
  return tag_encoded (ner, &enc, sentence_lengths, n_sentences, labels, probs, cancellable,
                      error);
}

gboolean
sc_ner_tag_words (ScNer              *ner,
                  const char *const  *words,
                  gsize               n_words,
                  guint              *labels,
                  float              *probs,
                  GCancellable       *cancellable,
                  GError            **error)
{
  return sc_ner_tag_sentences (ner, words, &n_words, 1, labels, probs, cancellable, error);
}

/* ---------------------------------------------------------------- findings */

static const char *
type_display_name (ScNer *ner,
                   guint  label)
{
  const Label *l = &ner->labels[label];

  if (l->prefix == TAG_O)
    return _("no name or reference");
  if (l->entity < 0)
    return l->type;
  return _(entity_types[l->entity].name);
}

static int
percent (double p)
{
  return (int) lround (CLAMP (p, 0.0, 1.0) * 100.0);
}

/* The finding for the words [@w0, @w1) tagged with the entity type of @label. */
/* The name lists the model read for the list @name, as people call them. */
static const char *
list_display_name (const char *name)
{
  static const struct
  {
    const char *name;
    const char *display;
  } known[] = {
    { "surname", N_("surname") },
    { "city", N_("place") },
    { "country", N_("state") },
    { "street", N_("street") },
    { "company", N_("company") },
    { "landscape", N_("landscape or water") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_str_equal (known[i].name, name))
      return _(known[i].display);
  return name;
}

/* A step naming the words of [@w0, @w1) that lie in the model's name lists, and which lists:
 * what the model read besides the words themselves. */
static void
gazetteer_step (ScNer                  *ner,
                const char             *text,
                const ScTokenizerWord  *words,
                gsize                   w0,
                gsize                   w1,
                const gint32           *features,
                ScFinding              *finding)
{
  g_autoptr(GString) found = NULL;
  g_autofree char *step = NULL;

  if (ner->gazetteer == NULL || features == NULL)
    return;
  found = g_string_new (NULL);
  for (gsize w = w0; w < w1 && w - w0 < 8; w++)
    {
      const guint n_lists = _sc_ner_gazetteer_get_n_lists (ner->gazetteer);
      gboolean first = TRUE;
      const char *list;

      if ((features[w] & ((1 << n_lists) - 1)) == 0)
        continue;
      g_string_append_printf (found, "%s%.*s (", found->len > 0 ? ", " : "",
                              (int) (words[w].end - words[w].start), text + words[w].start);
      for (guint k = 0; k < n_lists; k++)
        if (features[w] & (1 << k))
          {
            list = _sc_ner_gazetteer_get_list_name (ner->gazetteer, k);
            g_string_append_printf (found, "%s%s", first ? "" : ", ", list_display_name (list));
            first = FALSE;
          }
      g_string_append_c (found, ')');
    }
  if (found->len == 0)
    return;
  step = g_strdup_printf (_("Words in the model’s name lists: %s"), found->str);
  sc_finding_add_step (finding, step);
}

static ScFinding *
make_finding (ScNer                  *ner,
              const char             *text,
              const ScTokenizerWord  *words,
              gsize                   w0,
              gsize                   w1,
              const guint            *labels,
              const float            *probs,
              const gint32           *features)
{
  const guint n_labels = ner->n_labels;
  const Label *label = &ner->labels[labels[w0]];
  const int entity = label->entity;
  g_autofree double *type_mass = g_new0 (double, n_labels);
  g_autoptr(GString) tags = g_string_new (NULL);
  const gsize start = words[w0].start, end = words[w1 - 1].end;
  g_autofree char *matched = g_strndup (text + start, end - start);
  g_autofree char *explanation = NULL;
  g_autofree char *step = NULL;
  ScFinding *finding;
  double confidence = 0;

  finding = sc_finding_new ((ScFindingCategory) entity_types[entity].category, label->type,
                            matched, start, end);
  finding->source = SC_FINDING_SOURCE_MODEL;

  for (gsize w = w0; w < w1; w++)
    {
      const float *p = probs + w * n_labels;

      confidence += p[labels[w]];
      /* Alternatives by type: B- and I- of a type count together. */
      for (guint i = 0; i < n_labels; i++)
        type_mass[ner->labels[i].group] += p[i] / (double) (w1 - w0);
      if (w - w0 < 8)
        g_string_append_printf (tags, "%s%.*s %s (%d %%)", w > w0 ? ", " : "",
                                (int) (words[w].end - words[w].start), text + words[w].start,
                                ner->label_texts[labels[w]], percent (p[labels[w]]));
      else if (w - w0 == 8)
        g_string_append (tags, ", …");
    }
  finding->confidence = confidence / (double) (w1 - w0);

  explanation = g_strdup_printf (_("The tagging model “%s” classified this passage as “%s” "
                                   "(label %s), with a probability of %d %%."),
                                 ner->name, _(entity_types[entity].name), label->type,
                                 percent (finding->confidence));
  sc_finding_take_explanation (finding, g_steal_pointer (&explanation));
  step = g_strdup_printf (_("Words and their tags: %s"), tags->str);
  sc_finding_add_step (finding, step);
  gazetteer_step (ner, text, words, w0, w1, features, finding);

  /* The two most likely other types, when they are not negligible. */
  for (guint k = 0; k < 2; k++)
    {
      const Label *alt;
      gint best = -1;

      for (guint i = 0; i < n_labels; i++)
        {
          const Label *l = &ner->labels[i];

          if (l->prefix == TAG_I || (l->prefix == TAG_B && g_strcmp0 (l->type, label->type) == 0))
            continue;
          if (type_mass[i] >= 0.01 && (best < 0 || type_mass[i] > type_mass[best]))
            best = (gint) i;
        }
      if (best < 0)
        break;
      alt = &ner->labels[best];
      g_free (step);
      step = g_strdup_printf (_("Next most likely: “%s” (label %s), %d %%"),
                              type_display_name (ner, (guint) best),
                              alt->prefix == TAG_O ? "O" : alt->type, percent (type_mass[best]));
      sc_finding_add_step (finding, step);
      type_mass[best] = -1;
    }
  return finding;
}

GPtrArray *
sc_ner_find (ScNer         *ner,
             const char    *text,
             GCancellable  *cancellable,
             GError       **error)
{
  ScTokenizer *tok;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GArray) words = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree guint *first = NULL;
  g_autofree guint *n_ids = NULL;
  g_autofree guint *labels = NULL;
  g_autofree float *probs = NULL;
  g_autofree gint32 *features = NULL;
  const ScTokenizerWord *word;
  Encoded enc = { 0 };
  gsize n, w = 0;

  g_return_val_if_fail (ner != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  findings = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_finding_unref);
  tok = sc_encoder_get_tokenizer (ner->encoder);
  words = g_array_new (FALSE, FALSE, sizeof (ScTokenizerWord));
  ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  if (!sc_tokenizer_split_words (tok, text, -1, words, ids, error))
    return NULL;
  n = words->len;
  if (n == 0)
    return g_steal_pointer (&findings);

  word = (const ScTokenizerWord *) (void *) words->data;
  first = g_new (guint, n);
  n_ids = g_new (guint, n);
  for (gsize i = 0; i < n; i++)
    {
      first[i] = word[i].first_id;
      n_ids[i] = word[i].n_ids;
    }
  if (ner->gazetteer != NULL)
    features = _sc_ner_word_features (ner, text, word, n);
  enc.ids = (const gint32 *) (void *) ids->data;
  enc.first = first;
  enc.n_ids = n_ids;
  enc.features = features;
  enc.n_words = n;
  labels = g_new (guint, n);
  probs = g_try_new (float, n * ner->n_labels);
  if (probs == NULL)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_FAILED,
                   _("Out of memory for the probabilities of %zu words"), n);
      return NULL;
    }
  if (!tag_encoded (ner, &enc, &n, 1, labels, probs, cancellable, error))
    return NULL;

  /* IOB2 chunks as seqeval reads them: a chunk ends at O, at B- and where the type changes;
   * an I- after O or after another type starts one. */
  while (w < n)
    {
      const Label *l = &ner->labels[labels[w]];
      gsize e = w + 1;

      if (l->prefix == TAG_O)
        {
          w++;
          continue;
        }
      while (e < n && ner->labels[labels[e]].prefix == TAG_I &&
             g_str_equal (ner->labels[labels[e]].type, l->type))
        e++;
      if (l->entity >= 0 && entity_types[l->entity].category >= 0)
        g_ptr_array_add (findings, make_finding (ner, text, word, w, e, labels, probs, features));
      w = e;
    }

  sc_findings_sort (findings);
  sc_findings_compute_code_points (findings, text);
  return g_steal_pointer (&findings);
}

/* ---------------------------------------------------------------- raw passes (sc-ner-private.h) */

ScTokenizer *
_sc_ner_get_tokenizer (ScNer *ner)
{
  g_return_val_if_fail (ner != NULL, NULL);

  return sc_encoder_get_tokenizer (ner->encoder);
}

gint32
_sc_ner_get_mask_id (ScNer *ner)
{
  ScTokenizer *tok;
  gint32 id;

  g_return_val_if_fail (ner != NULL, -1);

  tok = sc_encoder_get_tokenizer (ner->encoder);
  id = sc_tokenizer_lookup (tok, "[MASK]");
  return id >= 0 ? id : sc_tokenizer_get_unk (tok);
}

guint
_sc_ner_get_max_pieces (ScNer *ner)
{
  g_return_val_if_fail (ner != NULL, 0);

  return sc_encoder_get_hparams (ner->encoder)->n_ctx - 2;
}

gint
_sc_ner_lookup_label (ScNer      *ner,
                      const char *label)
{
  g_return_val_if_fail (ner != NULL, -1);
  g_return_val_if_fail (label != NULL, -1);

  for (guint i = 0; i < ner->n_labels; i++)
    if (g_str_equal (ner->label_texts[i], label))
      return (gint) i;
  return -1;
}

gboolean
_sc_ner_eval_ids (ScNer         *ner,
                  const gint32  *ids,
                  const gint32  *features,
                  const guint   *lengths,
                  guint          n_seqs,
                  float         *probs,
                  GCancellable  *cancellable,
                  GError       **error)
{
  const guint n_labels = ner != NULL ? ner->n_labels : 0;
  g_autofree float *logits = NULL;
  gsize max_tokens = 0;
  guint s = 0;

  g_return_val_if_fail (ner != NULL, FALSE);
  g_return_val_if_fail (lengths != NULL || n_seqs == 0, FALSE);
  g_return_val_if_fail (ids != NULL || n_seqs == 0, FALSE);
  g_return_val_if_fail (probs != NULL || n_seqs == 0, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* one logits buffer for the largest graph: MAX_BATCH_TOKENS, or one longer sequence */
  for (guint i = 0; i < n_seqs; i++)
    max_tokens = MAX (max_tokens, lengths[i]);
  max_tokens = MAX (max_tokens, MIN (MAX_BATCH_TOKENS, max_tokens * n_seqs));
  if (n_seqs > 0)
    logits = g_try_new (float, max_tokens * n_labels);
  if (n_seqs > 0 && logits == NULL)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_FAILED,
                   _("Out of memory for the logits of %u tokens"), (guint) max_tokens);
      return FALSE;
    }

  while (s < n_seqs)
    {
      guint n = 0;
      gsize tokens = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      while (s + n < n_seqs && n < MAX_BATCH_SEQS &&
             (n == 0 || tokens + lengths[s + n] <= MAX_BATCH_TOKENS))
        tokens += lengths[s + n++];
      if (!sc_encoder_eval_features (ner->encoder, ids, features, lengths + s, n, logits, error))
        return FALSE;
      for (gsize row = 0; row < tokens; row++)
        softmax (logits + row * n_labels, probs + row * n_labels, n_labels);
      ids += tokens;
      if (features != NULL)
        features += tokens;
      probs += tokens * n_labels;
      s += n;
    }
  return TRUE;
}
