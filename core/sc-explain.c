/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-explain.c: per-word attributions for the tagging model's findings (see sc-explain.h):
 * a window of whole words around the span that fits one encoder sequence, variants of it with
 * words hidden behind [MASK], all variants through the encoder in one batched call, and from
 * their target scores the leave-one-out (occlusion) and KernelSHAP scores. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-error.h"
#include "sc-explain.h"
#include "sc-ner-private.h"

#define DEFAULT_CONTEXT_WORDS 40
#define DEFAULT_N_SAMPLES     64
#define DEFAULT_SEED          1
#define MAX_N_SAMPLES         65536

/* The floor of a tag probability before its logarithm: a word the model is certain is not
 * the type still gives a finite target. */
#define MIN_PROBABILITY 1e-30

/* Ridge term of the KernelSHAP fit, relative to the mean diagonal of the weighted normal
 * matrix: small enough to leave a well-determined fit alone, large enough to make the fit
 * unique when there are more words than coalitions. */
#define KERNEL_SHAP_RIDGE 0.01

/* Scores below this round to "+0.00" in the summary and are left out of it. */
#define SUMMARY_MIN_SCORE 0.005

struct _ScExplanationPrivate
{
  ScNer  *ner;
  gint32 *ids;      /* [n_ids]: [CLS], the pieces of the explained words, [SEP] */
  gint32 *features; /* [n_ids]: the gazetteer feature id of each */
  guint   n_ids;
  guint  *first;    /* [n_words]: position of each word's first piece in ids */
  guint  *n_pieces; /* [n_words] */
  guint   label_b;  /* B-<label> */
  guint   label_i;  /* I-<label>, or label_b for a type without I- (spans of one word only) */
  gint32  mask_id;
};

G_DEFINE_BOXED_TYPE (ScExplanation, sc_explanation, sc_explanation_ref, sc_explanation_unref)

/* ---------------------------------------------------------------- the explanation object */

static void
explanation_free (ScExplanation *e)
{
  ScExplanationPrivate *priv = e->priv;

  if (priv != NULL)
    {
      g_clear_pointer (&priv->ner, sc_ner_unref);
      g_free (priv->ids);
      g_free (priv->features);
      g_free (priv->first);
      g_free (priv->n_pieces);
      g_free (priv);
    }
  if (e->words != NULL)
    for (guint i = 0; i < e->n_words; i++)
      g_free (e->words[i].text);
  g_free (e->words);
  g_free (e->label);
  g_free (e->occlusion);
  g_free (e->kernel_shap);
  g_free (e->model_name);
  g_free (e->model_version);
  g_free (e);
}

ScExplanation *
sc_explanation_ref (ScExplanation *explanation)
{
  g_return_val_if_fail (explanation != NULL, NULL);

  g_atomic_ref_count_inc (&explanation->ref_count);
  return explanation;
}

void
sc_explanation_unref (ScExplanation *explanation)
{
  if (explanation == NULL)
    return;
  if (g_atomic_ref_count_dec (&explanation->ref_count))
    explanation_free (explanation);
}

void
sc_explain_options_init (ScExplainOptions *options)
{
  g_return_if_fail (options != NULL);

  options->context_words = DEFAULT_CONTEXT_WORDS;
  options->n_samples = DEFAULT_N_SAMPLES;
  options->seed = DEFAULT_SEED;
}

/* ---------------------------------------------------------------- evaluating variants */

/* Target scores of @n_masks variants: @keep has n_masks rows of n_words flags (0 hides the
 * word). Every variant is the window's ids with the pieces of hidden words replaced by the
 * mask id, so all have the same length and the same positions. */
static gboolean
eval_keep (ScExplanation  *e,
           const guint8   *keep,
           guint           n_masks,
           double         *scores,
           GCancellable   *cancellable,
           GError        **error)
{
  ScExplanationPrivate *priv = e->priv;
  const guint n_ids = priv->n_ids;
  const guint n_labels = sc_ner_get_n_labels (priv->ner);
  g_autofree gint32 *ids = NULL;
  g_autofree gint32 *features = NULL;
  g_autofree guint *lengths = NULL;
  g_autofree float *probs = NULL;

  if (n_masks == 0)
    return TRUE;
  ids = g_try_new (gint32, (gsize) n_masks * n_ids);
  features = g_try_new (gint32, (gsize) n_masks * n_ids);
  probs = g_try_new (float, (gsize) n_masks * n_ids * n_labels);
  if (ids == NULL || features == NULL || probs == NULL)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_FAILED,
                   _("Out of memory for the logits of %u tokens"),
                   (guint) MIN ((gsize) n_masks * n_ids, G_MAXUINT));
      return FALSE;
    }
  lengths = g_new (guint, n_masks);

  for (guint m = 0; m < n_masks; m++)
    {
      gint32 *row = ids + (gsize) m * n_ids;
      gint32 *frow = features + (gsize) m * n_ids;

      /* a hidden word is the mask token without the word's gazetteer match */
      memcpy (row, priv->ids, n_ids * sizeof (gint32));
      memcpy (frow, priv->features, n_ids * sizeof (gint32));
      for (guint w = 0; w < e->n_words; w++)
        if (!keep[(gsize) m * e->n_words + w])
          for (guint p = 0; p < priv->n_pieces[w]; p++)
            {
              row[priv->first[w] + p] = priv->mask_id;
              frow[priv->first[w] + p] = 0;
            }
      lengths[m] = n_ids;
    }

  if (!_sc_ner_eval_ids (priv->ner, ids, features, lengths, n_masks, probs, cancellable, error))
    return FALSE;

  for (guint m = 0; m < n_masks; m++)
    {
      double sum = 0;

      for (guint w = e->span_start; w < e->span_end; w++)
        {
          const gsize row = (gsize) m * n_ids + priv->first[w];
          const guint label = w == e->span_start ? priv->label_b : priv->label_i;

          sum += log (MAX ((double) probs[row * n_labels + label], MIN_PROBABILITY));
        }
      scores[m] = sum / (double) (e->span_end - e->span_start);
    }
  return TRUE;
}

gboolean
sc_explanation_eval_masks (ScExplanation   *explanation,
                           const gboolean  *keep,
                           guint            n_masks,
                           double          *scores,
                           GCancellable    *cancellable,
                           GError         **error)
{
  g_autofree guint8 *flags = NULL;
  gsize n;

  g_return_val_if_fail (explanation != NULL, FALSE);
  g_return_val_if_fail (keep != NULL || n_masks == 0, FALSE);
  g_return_val_if_fail (scores != NULL || n_masks == 0, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  n = (gsize) n_masks * explanation->n_words;
  flags = g_new (guint8, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    flags[i] = keep[i] != FALSE;
  return eval_keep (explanation, flags, n_masks, scores, cancellable, error);
}

/* ---------------------------------------------------------------- KernelSHAP */

/* splitmix64: a small generator whose sequence is the same everywhere for a seed. */
static guint64
next_random (guint64 *state)
{
  guint64 z = (*state += 0x9e3779b97f4a7c15ull);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* Fills @keep (@n_samples rows of @n flags, @n_samples even) with coalitions: each word kept
 * with probability ½, every second row the complement of the one before (paired sampling:
 * the pair shares its kernel weight and cancels much of the sampling noise). */
static void
draw_coalitions (guint8  *keep,
                 guint    n_samples,
                 guint    n,
                 guint64  seed)
{
  guint64 state = seed;

  for (guint s = 0; s < n_samples; s += 2)
    {
      guint8 *row = keep + (gsize) s * n;
      guint64 bits = 0;

      for (guint w = 0; w < n; w++)
        {
          if (w % 64 == 0)
            bits = next_random (&state);
          row[w] = (guint8) (bits & 1);
          bits >>= 1;
          row[n + w] = (guint8) !row[w];
        }
    }
}

/* In-place Cholesky factorisation of the symmetric positive definite @a (n × n, row-major;
 * the lower triangle becomes L). FALSE if @a is not positive definite. */
static gboolean
cholesky (double *a,
          guint   n)
{
  for (guint j = 0; j < n; j++)
    {
      double d = a[(gsize) j * n + j];

      for (guint k = 0; k < j; k++)
        d -= a[(gsize) j * n + k] * a[(gsize) j * n + k];
      if (!(d > 0))
        return FALSE;
      d = sqrt (d);
      a[(gsize) j * n + j] = d;
      for (guint i = j + 1; i < n; i++)
        {
          double v = a[(gsize) i * n + j];

          for (guint k = 0; k < j; k++)
            v -= a[(gsize) i * n + k] * a[(gsize) j * n + k];
          a[(gsize) i * n + j] = v / d;
        }
    }
  return TRUE;
}

/* Solves L Lᵀ x = @b in place (@l from cholesky()). */
static void
cholesky_solve (const double *l,
                guint         n,
                double       *b)
{
  for (guint i = 0; i < n; i++)
    {
      for (guint k = 0; k < i; k++)
        b[i] -= l[(gsize) i * n + k] * b[k];
      b[i] /= l[(gsize) i * n + i];
    }
  for (guint i = n; i-- > 0;)
    {
      for (guint k = i + 1; k < n; k++)
        b[i] -= l[(gsize) k * n + i] * b[k];
      b[i] /= l[(gsize) i * n + i];
    }
}

/* The KernelSHAP scores @phi (@n) from the targets @f of the coalitions @keep (@n_samples
 * rows), the full target @full and the all-hidden target @empty:
 *
 *   minimise Σ_k w_k (f_k − empty − z_k·φ)² + λ |φ|²  subject to  Σ_i φ_i = full − empty
 *
 * with w_k the Shapley kernel (n − 1) / (C(n, s) s (n − s)) of the coalition size s divided
 * by the (uniform) probability of drawing it, which makes the sample sum an unbiased estimate
 * of the kernel-weighted objective. Coalitions of size 0 and n have infinite kernel weight;
 * the constraint and the offset take their place. Solved through the Lagrangian: with
 * A = Σ w z zᵀ + λI, b = Σ w z (f − empty), φ = A⁻¹b − ν A⁻¹1 where ν makes the sum right. */
static gboolean
kernel_shap_fit (const guint8  *keep,
                 const double  *f,
                 guint          n_samples,
                 guint          n,
                 double         full,
                 double         empty,
                 double        *phi,
                 GError       **error)
{
  g_autofree double *a = g_new0 (double, (gsize) n * n);
  g_autofree double *b = g_new0 (double, n);
  g_autofree double *v = g_new (double, n);
  g_autofree double *log_w = g_new (double, n_samples);
  g_autofree guint *size = g_new (guint, n_samples);
  g_autofree double *log_binom = g_new (double, n + 1);
  double max_log_w = -INFINITY, trace = 0, lambda, sum_u = 0, sum_v = 0, nu;

  /* log C(n, s), by C(n, s) = C(n, s − 1) (n − s + 1) / s (lgamma() is not thread-safe) */
  log_binom[0] = 0;
  for (guint s = 1; s <= n; s++)
    log_binom[s] = log_binom[s - 1] + log ((double) (n - s + 1)) - log ((double) s);

  for (guint k = 0; k < n_samples; k++)
    {
      const guint8 *z = keep + (gsize) k * n;
      guint s = 0;

      for (guint i = 0; i < n; i++)
        s += z[i];
      size[k] = s;
      log_w[k] = -INFINITY;
      if (s == 0 || s == n)
        continue;
      log_w[k] = -log_binom[s] - log ((double) s) - log ((double) (n - s));
      max_log_w = MAX (max_log_w, log_w[k]);
    }

  for (guint k = 0; k < n_samples; k++)
    {
      const guint8 *z = keep + (gsize) k * n;
      double w;

      if (size[k] == 0 || size[k] == n)
        continue;
      /* scaled so the heaviest coalition weighs 1: only ratios matter, and λ follows */
      w = exp (log_w[k] - max_log_w);
      for (guint i = 0; i < n; i++)
        {
          if (!z[i])
            continue;
          b[i] += w * (f[k] - empty);
          for (guint j = 0; j < n; j++)
            if (z[j])
              a[(gsize) i * n + j] += w;
        }
    }

  for (guint i = 0; i < n; i++)
    trace += a[(gsize) i * n + i];
  lambda = MAX (KERNEL_SHAP_RIDGE * trace / n, 1e-9);
  for (guint i = 0; i < n; i++)
    a[(gsize) i * n + i] += lambda;
  if (!cholesky (a, n))
    {
      /* cannot happen for λ > 0 short of NaN targets; refuse rather than give noise */
      g_set_error (error, SC_ERROR, SC_ERROR_FAILED,
                   _("The word scores could not be computed (the model gave invalid values)"));
      return FALSE;
    }

  memcpy (phi, b, n * sizeof (double));
  cholesky_solve (a, n, phi);
  for (guint i = 0; i < n; i++)
    v[i] = 1;
  cholesky_solve (a, n, v);
  for (guint i = 0; i < n; i++)
    {
      sum_u += phi[i];
      sum_v += v[i];
    }
  nu = (sum_u - (full - empty)) / sum_v;
  for (guint i = 0; i < n; i++)
    phi[i] -= nu * v[i];
  return TRUE;
}

/* ---------------------------------------------------------------- explaining */

/* The words to explain, whatever they came from: per word its pieces (ids[first_id ..
 * first_id + n_ids)), its text (@text at start .. end, or @words[i]) and offsets. */
typedef struct
{
  const gint32          *ids;
  const ScTokenizerWord *words;  /* [n_words] */
  gsize                  n_words;
  gsize                  index0; /* index of words[0] in the caller's input */
  const char            *text;   /* NULL for pre-split words */
  const char *const     *split;  /* the pre-split words, from index0 on; NULL for @text */
  const gint32          *features; /* [n_words]: each word's gazetteer feature id */
} Input;

static gboolean
check_span (gsize    n_words,
            gsize    w0,
            gsize    w1,
            GError **error)
{
  if (w0 < w1 && w1 <= n_words)
    return TRUE;
  g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
               _("The words %zu to %zu do not form a span within the %zu words of the text"),
               w0, w1, n_words);
  return FALSE;
}

/* Looks up B-@label and I-@label; a span of one word needs only the first. */
static gboolean
find_labels (ScNer       *ner,
             const char  *label,
             gsize        span_len,
             guint       *label_b,
             guint       *label_i,
             GError     **error)
{
  g_autofree char *b = g_strconcat ("B-", label, NULL);
  g_autofree char *i = g_strconcat ("I-", label, NULL);
  const gint kb = _sc_ner_lookup_label (ner, b);
  const gint ki = _sc_ner_lookup_label (ner, i);

  if (kb < 0 || (ki < 0 && span_len > 1))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("The tagging model does not know the entity type “%s”"), label);
      return FALSE;
    }
  *label_b = (guint) kb;
  *label_i = ki >= 0 ? (guint) ki : (guint) kb;
  return TRUE;
}

/* Explains words [@w0, @w1) of @in (indices into in->words; the span already checked). */
static ScExplanation *
explain (ScNer                   *ner,
         const Input             *in,
         gsize                    w0,
         gsize                    w1,
         const char              *label,
         ScExplainMethod          methods,
         const ScExplainOptions  *options,
         GCancellable            *cancellable,
         GError                 **error)
{
  const guint max_pieces = _sc_ner_get_max_pieces (ner);
  g_autoptr(ScExplanation) e = NULL;
  ScExplanationPrivate *priv;
  g_autofree guint8 *keep = NULL;
  g_autofree double *f = NULL;
  gsize c0 = w0, c1 = w1, lo, hi, span_pieces = 0, total;
  gboolean grow_left = TRUE, grow_right = TRUE;
  guint n, n_variants, n_samples = 0, row;

#define CLIPPED(w) MIN (in->words[w].n_ids, max_pieces)
  for (gsize w = w0; w < w1; w++)
    span_pieces += CLIPPED (w);
  if (span_pieces > max_pieces)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("The passage has %u word pieces, more than the tagging model reads at "
                     "once (%u)"), (guint) MIN (span_pieces, G_MAXUINT), max_pieces);
      return NULL;
    }

  /* The window: whole words, alternately one more on the left and on the right, as long as
   * they fit the encoder and lie within context_words of the span. */
  lo = w0 - MIN (w0, options->context_words);
  hi = w1 + MIN (in->n_words - w1, options->context_words);
  total = span_pieces;
  while (grow_left || grow_right)
    {
      if (grow_left)
        {
          grow_left = c0 > lo && total + CLIPPED (c0 - 1) <= max_pieces;
          if (grow_left)
            total += CLIPPED (c0 - 1);
          c0 -= grow_left;
        }
      if (grow_right)
        {
          grow_right = c1 < hi && total + CLIPPED (c1) <= max_pieces;
          if (grow_right)
            total += CLIPPED (c1);
          c1 += grow_right;
        }
    }
  n = (guint) (c1 - c0);

  e = g_new0 (ScExplanation, 1);
  g_atomic_ref_count_init (&e->ref_count);
  e->priv = priv = g_new0 (ScExplanationPrivate, 1);
  priv->ner = sc_ner_ref (ner);
  priv->mask_id = _sc_ner_get_mask_id (ner);
  e->label = g_strdup (label);
  e->n_words = n;
  e->span_start = (guint) (w0 - c0);
  e->span_end = (guint) (w1 - c0);
  e->has_offsets = in->text != NULL;
  e->methods = methods;
  e->seed = options->seed;
  e->model_name = g_strdup (sc_ner_get_name (ner));
  e->model_version = g_strdup (sc_ner_get_version (ner));
  if (!find_labels (ner, label, w1 - w0, &priv->label_b, &priv->label_i, error))
    return NULL;

  e->words = g_new0 (ScExplainWord, n);
  priv->first = g_new (guint, n);
  priv->n_pieces = g_new (guint, n);
  priv->n_ids = (guint) total + 2;
  priv->ids = g_new (gint32, priv->n_ids);
  priv->features = g_new0 (gint32, priv->n_ids);
  priv->ids[0] = sc_tokenizer_get_bos (_sc_ner_get_tokenizer (ner));
  row = 1;
  for (guint i = 0; i < n; i++)
    {
      const ScTokenizerWord *tw = &in->words[c0 + i];
      ScExplainWord *word = &e->words[i];

      if (in->text != NULL)
        {
          word->text = g_strndup (in->text + tw->start, tw->end - tw->start);
          word->start = tw->start;
          word->end = tw->end;
        }
      else
        {
          word->text = g_strdup (in->split[c0 + i]);
        }
      word->index = in->index0 + c0 + i;
      word->in_span = c0 + i >= w0 && c0 + i < w1;
      priv->first[i] = row;
      priv->n_pieces[i] = CLIPPED (c0 + i);
      memcpy (priv->ids + row, in->ids + tw->first_id, priv->n_pieces[i] * sizeof (gint32));
      for (guint p = 0; p < priv->n_pieces[i]; p++)
        priv->features[row + p] = in->features[c0 + i];
      row += priv->n_pieces[i];
    }
  priv->ids[row] = sc_tokenizer_get_eos (_sc_ner_get_tokenizer (ner));
  g_assert (row + 1 == priv->n_ids);
#undef CLIPPED

  /* The variants, in one batch: all words, all hidden, one hidden per word, coalitions. */
  if (methods & SC_EXPLAIN_KERNEL_SHAP)
    {
      n_samples = CLAMP (options->n_samples, 2, MAX_N_SAMPLES);
      n_samples += n_samples % 2;
    }
  n_variants = 2 + ((methods & SC_EXPLAIN_OCCLUSION) ? n : 0) + n_samples;
  keep = g_new (guint8, (gsize) n_variants * n);
  memset (keep, 1, n);
  memset (keep + n, 0, n);
  row = 2;
  if (methods & SC_EXPLAIN_OCCLUSION)
    {
      memset (keep + (gsize) row * n, 1, (gsize) n * n);
      for (guint j = 0; j < n; j++)
        keep[(gsize) (row + j) * n + j] = 0;
      row += n;
    }
  if (n_samples > 0)
    draw_coalitions (keep + (gsize) row * n, n_samples, n, options->seed);

  f = g_new (double, n_variants);
  if (!eval_keep (e, keep, n_variants, f, cancellable, error))
    return NULL;

  e->score = f[0];
  e->probability = exp (f[0]);
  e->masked_score = f[1];
  row = 2;
  if (methods & SC_EXPLAIN_OCCLUSION)
    {
      e->occlusion = g_new (double, n);
      for (guint j = 0; j < n; j++)
        e->occlusion[j] = f[0] - f[row + j];
      row += n;
    }
  if (n_samples > 0)
    {
      e->kernel_shap = g_new (double, n);
      e->n_samples = n_samples;
      if (!kernel_shap_fit (keep + (gsize) row * n, f + row, n_samples, n, f[0], f[1],
                            e->kernel_shap, error))
        return NULL;
    }
  return g_steal_pointer (&e);
}

static gboolean
check_request (const char       *label,
               ScExplainMethod   methods,
               GError          **error)
{
  if ((methods & SC_EXPLAIN_ALL) == 0 || (methods & ~SC_EXPLAIN_ALL) != 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("No valid method to explain the finding was chosen"));
      return FALSE;
    }
  if (*label == '\0')
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("The tagging model does not know the entity type “%s”"), label);
      return FALSE;
    }
  return TRUE;
}

ScExplanation *
sc_explain_words (ScNer                   *ner,
                  const char *const       *words,
                  gsize                    n_words,
                  gsize                    w0,
                  gsize                    w1,
                  const char              *label,
                  ScExplainMethod          methods,
                  const ScExplainOptions  *options,
                  GCancellable            *cancellable,
                  GError                 **error)
{
  ScExplainOptions defaults;
  ScTokenizer *tok;
  g_autoptr(GArray) ids = NULL;
  g_autofree ScTokenizerWord *tw = NULL;
  g_autofree gint32 *features = NULL;
  Input in = { 0 };
  gsize lo, hi;

  g_return_val_if_fail (ner != NULL, NULL);
  g_return_val_if_fail (words != NULL || n_words == 0, NULL);
  g_return_val_if_fail (label != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    {
      sc_explain_options_init (&defaults);
      options = &defaults;
    }
  if (!check_span (n_words, w0, w1, error) || !check_request (label, methods, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* only the words that can enter the window need pieces */
  lo = w0 - MIN (w0, options->context_words);
  hi = w1 + MIN (n_words - w1, options->context_words);
  tok = _sc_ner_get_tokenizer (ner);
  ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  tw = g_new0 (ScTokenizerWord, hi - lo);
  for (gsize w = lo; w < hi; w++)
    {
      g_return_val_if_fail (words[w] != NULL, NULL);
      tw[w - lo].first_id = ids->len;
      if (!sc_tokenizer_encode_word (tok, words[w], -1, ids, error))
        return NULL;
      tw[w - lo].n_ids = ids->len - tw[w - lo].first_id;
    }
  /* the gazetteer matches as the tagger sees them: over all the words */
  features = g_new (gint32, MAX (n_words, 1));
  if (!_sc_ner_split_features (ner, words, n_words, features, error))
    return NULL;
  in.ids = (const gint32 *) (void *) ids->data;
  in.words = tw;
  in.n_words = hi - lo;
  in.index0 = lo;
  in.split = words + lo;
  in.features = features + lo;
  return explain (ner, &in, w0 - lo, w1 - lo, label, methods, options, cancellable, error);
}

/* Splits @text as sc_ner_find() does. */
static gboolean
split_text (ScNer       *ner,
            const char  *text,
            GArray     **words,
            GArray     **ids,
            GError     **error)
{
  *words = g_array_new (FALSE, FALSE, sizeof (ScTokenizerWord));
  *ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  return sc_tokenizer_split_words (_sc_ner_get_tokenizer (ner), text, -1, *words, *ids, error);
}

ScExplanation *
sc_explain_text (ScNer                   *ner,
                 const char              *text,
                 gsize                    w0,
                 gsize                    w1,
                 const char              *label,
                 ScExplainMethod          methods,
                 const ScExplainOptions  *options,
                 GCancellable            *cancellable,
                 GError                 **error)
{
  ScExplainOptions defaults;
  g_autoptr(GArray) words = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree gint32 *features = NULL;
  Input in = { 0 };

  g_return_val_if_fail (ner != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (label != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    {
      sc_explain_options_init (&defaults);
      options = &defaults;
    }
  if (!check_request (label, methods, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (!split_text (ner, text, &words, &ids, error))
    return NULL;
  if (!check_span (words->len, w0, w1, error))
    return NULL;

  features = _sc_ner_word_features (ner, text, (const ScTokenizerWord *) (void *) words->data,
                                    words->len);
  in.ids = (const gint32 *) (void *) ids->data;
  in.words = (const ScTokenizerWord *) (void *) words->data;
  in.n_words = words->len;
  in.text = text;
  in.features = features;
  return explain (ner, &in, w0, w1, label, methods, options, cancellable, error);
}

ScExplanation *
sc_explain_finding (ScNer            *ner,
                    const char       *text,
                    const ScFinding  *finding,
                    ScExplainMethod   methods,
                    GCancellable     *cancellable,
                    GError          **error)
{
  ScExplainOptions options;
  g_autoptr(GArray) words = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree gint32 *features = NULL;
  const ScTokenizerWord *tw;
  Input in = { 0 };
  gsize w0 = 0, w1;

  g_return_val_if_fail (ner != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (finding != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (finding->source != SC_FINDING_SOURCE_MODEL || finding->label == NULL)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   _("Only findings of the tagging model can be explained word by word"));
      return NULL;
    }
  if (!check_request (finding->label, methods, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (!split_text (ner, text, &words, &ids, error))
    return NULL;

  /* the finding's words: the first that starts at its start up to the one ending at its end */
  tw = (const ScTokenizerWord *) (void *) words->data;
  while (w0 < words->len && tw[w0].start < finding->start)
    w0++;
  w1 = w0;
  while (w1 < words->len && tw[w1].end <= finding->end)
    w1++;
  if (w0 == w1 || tw[w0].start != finding->start || tw[w1 - 1].end != finding->end)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("The finding does not begin and end on word boundaries of the text"));
      return NULL;
    }

  sc_explain_options_init (&options);
  features = _sc_ner_word_features (ner, text, tw, words->len);
  in.ids = (const gint32 *) (void *) ids->data;
  in.words = tw;
  in.n_words = words->len;
  in.text = text;
  in.features = features;
  return explain (ner, &in, w0, w1, finding->label, methods, &options, cancellable, error);
}

/* ---------------------------------------------------------------- reading the result */

const double *
sc_explanation_get_scores (ScExplanation   *explanation,
                           ScExplainMethod  method)
{
  g_return_val_if_fail (explanation != NULL, NULL);

  switch (method)
    {
    case SC_EXPLAIN_OCCLUSION:
      return explanation->occlusion;
    case SC_EXPLAIN_KERNEL_SHAP:
      return explanation->kernel_shap;
    default:
      return NULL;
    }
}

static int
compare_by_score (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  const double *scores = user_data;
  const guint i = *(const guint *) a, j = *(const guint *) b;

  if (scores[i] != scores[j])
    return scores[i] > scores[j] ? -1 : 1;
  return i < j ? -1 : i > j;
}

guint
sc_explanation_get_top_words (ScExplanation   *explanation,
                              ScExplainMethod  method,
                              guint            k,
                              gboolean         context_only,
                              guint           *out)
{
  const double *scores;
  g_autofree guint *order = NULL;
  guint n = 0;

  g_return_val_if_fail (explanation != NULL, 0);
  g_return_val_if_fail (out != NULL || k == 0, 0);

  scores = sc_explanation_get_scores (explanation, method);
  if (scores == NULL || k == 0)
    return 0;
  order = g_new (guint, explanation->n_words);
  for (guint i = 0; i < explanation->n_words; i++)
    if (!context_only || !explanation->words[i].in_span)
      order[n++] = i;
  g_qsort_with_data (order, (gint) n, sizeof (guint), compare_by_score, (gpointer) scores);
  n = MIN (n, k);
  memcpy (out, order, n * sizeof (guint));
  return n;
}

guint
sc_explanation_deletion_test (ScExplanation    *explanation,
                              ScExplainMethod   method,
                              guint             max_k,
                              guint             n_draws,
                              guint64           seed,
                              double           *top,
                              double           *random,
                              GCancellable     *cancellable,
                              GError          **error)
{
  g_autofree guint *order = NULL;
  g_autofree guint *context = NULL;
  g_autofree guint8 *keep = NULL;
  g_autofree double *scores = NULL;
  guint64 state = seed;
  guint n_context = 0;
  guint n_masks;

  g_return_val_if_fail (explanation != NULL, 0);
  g_return_val_if_fail (top != NULL && random != NULL, 0);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (sc_explanation_get_scores (explanation, method) == NULL)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("The word scores of this method were not computed"));
      return 0;
    }

  context = g_new (guint, MAX (explanation->n_words, 1));
  for (guint w = 0; w < explanation->n_words; w++)
    if (!explanation->words[w].in_span)
      context[n_context++] = w;
  max_k = MIN (max_k, n_context);
  n_draws = MAX (n_draws, 1);

  order = g_new (guint, MAX (max_k, 1));
  max_k = sc_explanation_get_top_words (explanation, method, max_k, TRUE, order);

  /* Rows: k = 1 .. max_k of the top words, then n_draws rows for each k of random words. */
  n_masks = max_k * (1 + n_draws);
  keep = g_new (guint8, MAX ((gsize) n_masks * explanation->n_words, 1));
  memset (keep, 1, (gsize) n_masks * explanation->n_words);
  for (guint k = 1; k <= max_k; k++)
    {
      guint8 *row = keep + (gsize) (k - 1) * explanation->n_words;

      for (guint i = 0; i < k; i++)
        row[order[i]] = 0;
    }
  for (guint k = 1; k <= max_k; k++)
    for (guint d = 0; d < n_draws; d++)
      {
        guint8 *row = keep + ((gsize) max_k + (gsize) (k - 1) * n_draws + d)
                             * explanation->n_words;

        /* A partial Fisher–Yates shuffle of the context words picks k of them. */
        for (guint i = 0; i < k; i++)
          {
            guint j = i + (guint) (next_random (&state) % (n_context - i));
            guint tmp = context[i];

            context[i] = context[j];
            context[j] = tmp;
            row[context[i]] = 0;
          }
      }

  scores = g_new (double, MAX (n_masks, 1));
  if (!eval_keep (explanation, keep, n_masks, scores, cancellable, error))
    return 0;

  top[0] = random[0] = explanation->probability;
  for (guint k = 1; k <= max_k; k++)
    {
      double sum = 0;

      top[k] = exp (scores[k - 1]);
      for (guint d = 0; d < n_draws; d++)
        sum += exp (scores[max_k + (k - 1) * n_draws + d]);
      random[k] = sum / n_draws;
    }
  return max_k + 1;
}

/* Ranks of @values (1-based; ties get their mean rank) into @ranks. */
static void
rank_values (const double *values,
             guint         n,
             double       *ranks)
{
  g_autofree guint *order = g_new (guint, n);
  guint i = 0;

  for (guint j = 0; j < n; j++)
    order[j] = j;
  /* Highest first, as get_top_words orders; the direction does not change the correlation. */
  g_qsort_with_data (order, (gint) n, sizeof (guint), compare_by_score, (gpointer) values);
  while (i < n)
    {
      guint j = i;

      while (j + 1 < n && values[order[j + 1]] == values[order[i]])
        j++;
      for (guint t = i; t <= j; t++)
        ranks[order[t]] = (i + j) / 2.0 + 1;
      i = j + 1;
    }
}

double
sc_explanation_get_agreement (ScExplanation *explanation)
{
  const guint n = explanation != NULL ? explanation->n_words : 0;
  g_autofree double *a = NULL;
  g_autofree double *b = NULL;
  double mean = (n + 1) / 2.0;
  double sab = 0, saa = 0, sbb = 0;

  g_return_val_if_fail (explanation != NULL, NAN);

  if (explanation->occlusion == NULL || explanation->kernel_shap == NULL || n < 2)
    return NAN;

  a = g_new (double, n);
  b = g_new (double, n);
  rank_values (explanation->occlusion, n, a);
  rank_values (explanation->kernel_shap, n, b);
  for (guint i = 0; i < n; i++)
    {
      sab += (a[i] - mean) * (b[i] - mean);
      saa += (a[i] - mean) * (a[i] - mean);
      sbb += (b[i] - mean) * (b[i] - mean);
    }
  if (saa == 0 || sbb == 0)
    return NAN;
  return sab / sqrt (saa * sbb);
}

char *
sc_explanation_summarize (ScExplanation   *explanation,
                          ScExplainMethod  method)
{
  const double *scores;
  g_autoptr(GString) list = g_string_new (NULL);
  guint top[3];
  guint n;

  g_return_val_if_fail (explanation != NULL, NULL);

  scores = sc_explanation_get_scores (explanation, method);
  n = sc_explanation_get_top_words (explanation, method, G_N_ELEMENTS (top), TRUE, top);
  for (guint i = 0; i < n && scores[top[i]] >= SUMMARY_MIN_SCORE; i++)
    {
      if (list->len > 0)
        g_string_append (list, ", ");
      /* Translators: one word and its score in the list of "Most influential words: %s." */
      g_string_append_printf (list, _("“%s” (%+.2f)"), explanation->words[top[i]].text,
                              scores[top[i]]);
    }
  if (list->len == 0)
    return g_strdup (_("No word around the finding made the model more certain of it."));
  /* Translators: %s is a list of words with scores, such as “Frau” (+0.42), “am” (+0.10) */
  return g_strdup_printf (_("Most influential words: %s."), list->str);
}

const char *
sc_explain_method_to_string (ScExplainMethod method)
{
  switch (method)
    {
    case SC_EXPLAIN_OCCLUSION:
      return "occlusion";
    case SC_EXPLAIN_KERNEL_SHAP:
      return "kernel-shap";
    default:
      return NULL;
    }
}

const char *
sc_explain_method_get_display_name (ScExplainMethod method)
{
  switch (method)
    {
    case SC_EXPLAIN_OCCLUSION:
      return _("Leaving out one word at a time");
    case SC_EXPLAIN_KERNEL_SHAP:
      return _("Random word combinations (Shapley values)");
    default:
      return NULL;
    }
}
