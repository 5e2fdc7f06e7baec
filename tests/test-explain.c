/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-explain.c: word attributions for the tagging model's findings (sc-explain.h) with the
 * shipped data/models/sichtung-ner.gguf on the CPU backend: scores for every word of the
 * window, the batched variants equal to the same variants run alone, occlusion that points
 * at words that matter (hiding its top three lowers the target more than hiding three random
 * words), a deterministic KernelSHAP that keeps the efficiency property, windows of long
 * texts, and bad input refused with an error.
 *
 * Tolerances: batched and lone variants may differ by the rounding of differently shaped
 * matrix products, 1e-4 in the target (a mean log-probability); the KernelSHAP fit satisfies
 * its efficiency constraint exactly, so its sum must match full − all-hidden within
 * 1e-6 × max (1, |full − all-hidden|), which only leaves room for the linear algebra's
 * rounding. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sichtung-core.h"
#include "sc-ner-private.h"

#define BATCH_TOLERANCE      1e-4
#define EFFICIENCY_TOLERANCE 1e-6

static const char *person_text =
  "Der Bescheid wurde Frau Erika Mustermann am 3. März 2024 zugestellt.";

/* Sentences with a finding of the given type and text, for the faithfulness check. */
static const struct
{
  const char *text;
  const char *label;
  const char *match;
} cases[] = {
  { "Der Bescheid wurde Frau Erika Mustermann am 3. März 2024 zugestellt.", "PER",
    "Erika Mustermann" },
  { "Gegen den Bescheid hat Herr Jonas Beispiel am 12. Mai fristgerecht Widerspruch "
    "eingelegt.", "PER", "Jonas Beispiel" },
  { "Der Anspruch folgt aus § 433 Abs. 2 BGB in Verbindung mit den allgemeinen Vorschriften.",
    "GS", "§ 433 Abs. 2 BGB" },
  { "Die Klägerin wohnt seit dem Jahr 2019 mit ihren Kindern in Mainz und arbeitet dort.",
    "ST", "Mainz" },
  { "Das Verwaltungsgericht Koblenz hat die Klage mit Urteil vom 4. Juni 2021 abgewiesen.",
    "GRT", "Verwaltungsgericht Koblenz" },
  { "Nach Auskunft von Rechtsanwalt Dr. Stefan Hoffmann ist die Frist bereits abgelaufen.",
    "PER", "Stefan Hoffmann" },
};

static ScNer *shared_ner;

/* The shipped model, found as the application finds it, loaded once for all tests. */
static ScNer *
get_ner (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(ScBackend) backend = NULL;
  g_autoptr(GError) error = NULL;

  if (shared_ner != NULL)
    return shared_ner;
  dir = g_test_build_filename (G_TEST_DIST, "..", "data", "models", NULL);
  g_setenv ("SICHTUNG_MODEL_DIR", dir, TRUE);
  path = sc_ner_find_default_model ();
  g_unsetenv ("SICHTUNG_MODEL_DIR");
  g_assert_nonnull (path);
  backend = sc_backend_cpu_new ();
  shared_ner = sc_ner_load (path, backend, &error);
  g_assert_no_error (error);
  g_assert_nonnull (shared_ner);
  return shared_ner;
}

/* The model's finding of type @label whose text is @match, in @text. */
static ScFinding *
find_finding (const char *text,
              const char *label,
              const char *match)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = sc_ner_find (get_ner (), text, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < findings->len; i++)
    {
      ScFinding *f = g_ptr_array_index (findings, i);

      if (g_str_equal (f->label, label) && g_str_equal (f->text, match))
        return sc_finding_ref (f);
    }
  g_test_fail_printf ("The model did not find %s “%s” in “%s”", label, match, text);
  return NULL;
}

/* For the faithfulness check: the finding of @label and @match when the model makes it, else
 * its first finding in @text (a retrained model may type a place differently), else NULL. */
static ScFinding *
pick_finding (const char *text,
              const char *label,
              const char *match)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = sc_ner_find (get_ner (), text, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < findings->len; i++)
    {
      ScFinding *f = g_ptr_array_index (findings, i);

      if (g_str_equal (f->label, label) && g_str_equal (f->text, match))
        return sc_finding_ref (f);
    }
  g_test_message ("The model did not find %s “%s” in “%s”", label, match, text);
  return findings->len > 0 ? sc_finding_ref (g_ptr_array_index (findings, 0)) : NULL;
}

/* The words of @text as the tokenizer splits them (the same words sc_ner_find() tags). */
static GPtrArray *
split_words (const char *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) split = g_array_new (FALSE, FALSE, sizeof (ScTokenizerWord));
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GError) error = NULL;

  sc_tokenizer_split_words (_sc_ner_get_tokenizer (get_ner ()), text, -1, split, ids, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < split->len; i++)
    {
      const ScTokenizerWord *w = &g_array_index (split, ScTokenizerWord, i);

      g_ptr_array_add (words, g_strndup (text + w->start, w->end - w->start));
    }
  return words;
}

/* Everything an explanation promises about its fields. */
static void
check_explanation (ScExplanation *e,
                   const char    *text)
{
  g_assert_nonnull (e);
  g_assert_cmpuint (e->n_words, >, 0);
  g_assert_cmpuint (e->span_start, <, e->span_end);
  g_assert_cmpuint (e->span_end, <=, e->n_words);
  g_assert_true (isfinite (e->score));
  g_assert_true (isfinite (e->masked_score));
  g_assert_cmpfloat (e->score, <=, 0.0);
  g_assert_cmpfloat_with_epsilon (e->probability, exp (e->score), 1e-12);
  g_assert_cmpstr (e->model_name, ==, sc_ner_get_name (get_ner ()));
  g_assert_cmpstr (e->model_version, ==, sc_ner_get_version (get_ner ()));
  for (guint i = 0; i < e->n_words; i++)
    {
      const ScExplainWord *w = &e->words[i];

      g_assert_nonnull (w->text);
      g_assert_cmpint (w->in_span, ==, i >= e->span_start && i < e->span_end);
      if (i > 0)
        g_assert_cmpuint (w->index, ==, e->words[i - 1].index + 1);
      if (text != NULL)
        {
          g_assert_true (e->has_offsets);
          g_assert_cmpuint (w->end, <=, strlen (text));
          g_assert_cmpmem (w->text, strlen (w->text), text + w->start, w->end - w->start);
        }
      if (e->occlusion != NULL)
        g_assert_true (isfinite (e->occlusion[i]));
      if (e->kernel_shap != NULL)
        g_assert_true (isfinite (e->kernel_shap[i]));
    }
  g_assert_cmpint (e->occlusion != NULL, ==, (e->methods & SC_EXPLAIN_OCCLUSION) != 0);
  g_assert_cmpint (e->kernel_shap != NULL, ==, (e->methods & SC_EXPLAIN_KERNEL_SHAP) != 0);
}

/* A finding of the model, explained: a score per word of the sentence, by both methods. */
static void
test_finding (void)
{
  g_autoptr(ScFinding) finding = find_finding (person_text, "PER", "Erika Mustermann");
  g_autoptr(GPtrArray) words = split_words (person_text);
  g_autoptr(ScExplanation) e = NULL;
  g_autoptr(ScExplanation) pre = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  guint top[3];

  g_assert_nonnull (finding);
  e = sc_explain_finding (get_ner (), person_text, finding, SC_EXPLAIN_ALL, NULL, &error);
  g_assert_no_error (error);
  check_explanation (e, person_text);
  g_assert_cmpstr (e->label, ==, "PER");
  g_assert_cmpint (e->methods, ==, SC_EXPLAIN_ALL);
  g_assert_cmpuint (e->n_samples, ==, 64);

  /* the whole sentence fits the window: every word is explained */
  g_assert_cmpuint (e->n_words, ==, words->len);
  g_assert_cmpuint (e->span_end - e->span_start, ==, 2);
  g_assert_cmpuint (e->words[e->span_start].start, ==, finding->start);
  g_assert_cmpuint (e->words[e->span_end - 1].end, ==, finding->end);
  g_assert_cmpstr (e->words[e->span_start].text, ==, "Erika");

  /* a geometric mean of the tags' probabilities, the finding's confidence their arithmetic
   * mean; the model is sure of this one */
  g_assert_cmpfloat (e->probability, <=, finding->confidence + 1e-6);
  g_assert_cmpfloat (e->probability, >, 0.5);
  g_assert_cmpfloat (e->masked_score, <, e->score);

  /* the same words given pre-split give the same scores, without offsets */
  pre = sc_explain_words (get_ner (), (const char *const *) words->pdata, words->len,
                          e->span_start, e->span_end, "PER", SC_EXPLAIN_ALL, NULL, NULL,
                          &error);
  g_assert_no_error (error);
  check_explanation (pre, NULL);
  g_assert_false (pre->has_offsets);
  g_assert_cmpuint (pre->n_words, ==, e->n_words);
  for (guint i = 0; i < e->n_words; i++)
    {
      g_assert_cmpstr (pre->words[i].text, ==, e->words[i].text);
      g_assert_cmpfloat_with_epsilon (pre->occlusion[i], e->occlusion[i], 1e-9);
      g_assert_cmpfloat_with_epsilon (pre->kernel_shap[i], e->kernel_shap[i], 1e-9);
    }

  g_assert_cmpuint (sc_explanation_get_top_words (e, SC_EXPLAIN_OCCLUSION, 3, TRUE, top), ==,
                    3);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_false (e->words[top[i]].in_span);
      if (i > 0)
        g_assert_cmpfloat (e->occlusion[top[i - 1]], >=, e->occlusion[top[i]]);
    }
  summary = sc_explanation_summarize (e, SC_EXPLAIN_OCCLUSION);
  g_assert_nonnull (summary);
  g_test_message ("%s", summary);
  for (guint i = 0; i < e->n_words; i++)
    g_test_message ("%-12s occlusion %+.4f  kernel-shap %+.4f%s", e->words[i].text,
                    e->occlusion[i], e->kernel_shap[i], e->words[i].in_span ? "  (span)" : "");
  if (e->occlusion[top[0]] > 0)
    {
      g_autofree char *quoted = g_strdup_printf ("“%s”", e->words[top[0]].text);

      g_assert_true (g_str_has_prefix (summary, "Most influential words: "));
      g_assert_nonnull (strstr (summary, quoted));
    }

  g_assert_cmpstr (sc_explain_method_to_string (SC_EXPLAIN_OCCLUSION), ==, "occlusion");
  g_assert_cmpstr (sc_explain_method_to_string (SC_EXPLAIN_KERNEL_SHAP), ==, "kernel-shap");
  g_assert_null (sc_explain_method_to_string (SC_EXPLAIN_ALL));
  g_assert_nonnull (sc_explain_method_get_display_name (SC_EXPLAIN_OCCLUSION));
  g_assert_true (sc_explanation_get_scores (e, SC_EXPLAIN_OCCLUSION) == e->occlusion);
  g_assert_true (sc_explanation_get_scores (e, SC_EXPLAIN_KERNEL_SHAP) == e->kernel_shap);
  g_assert_true (G_TYPE_IS_BOXED (SC_TYPE_EXPLANATION));
}

/* The deletion test hides the top words and random words in one batch; its figures are the
 * ones sc_explanation_eval_masks() gives for the same variants, the top words of the faithful
 * check lower the probability more than random ones do, and the two methods agree in rank. */
static void
test_deletion (void)
{
  double drop_top = 0, drop_random = 0, agreement_sum = 0;
  guint n_cases = 0;

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(ScFinding) finding = pick_finding (cases[c].text, cases[c].label,
                                                   cases[c].match);
      g_autoptr(ScExplanation) e = NULL;
      g_autoptr(ScExplanation) occlusion_only = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree gboolean *keep = NULL;
      double top[6], random[6], again_top[6], again_random[6], score, agreement;
      guint order[5], n;

      if (finding == NULL)
        continue;
      e = sc_explain_finding (get_ner (), cases[c].text, finding, SC_EXPLAIN_ALL, NULL, &error);
      g_assert_no_error (error);

      n = sc_explanation_deletion_test (e, SC_EXPLAIN_OCCLUSION, 5, 8, 7, top, random, NULL,
                                        &error);
      g_assert_no_error (error);
      g_assert_cmpuint (n, ==, 6);
      g_assert_cmpfloat (top[0], ==, e->probability);
      g_assert_cmpfloat (random[0], ==, e->probability);
      for (guint k = 0; k < n; k++)
        {
          g_assert_cmpfloat (top[k], >, 0.0);
          g_assert_cmpfloat (top[k], <=, 1.0);
          g_assert_cmpfloat (random[k], >, 0.0);
          g_assert_cmpfloat (random[k], <=, 1.0);
        }

      /* the same seed draws the same words */
      g_assert_cmpuint (sc_explanation_deletion_test (e, SC_EXPLAIN_OCCLUSION, 5, 8, 7,
                                                      again_top, again_random, NULL, &error),
                        ==, 6);
      g_assert_no_error (error);
      g_assert_cmpmem (top, sizeof top, again_top, sizeof again_top);
      g_assert_cmpmem (random, sizeof random, again_random, sizeof again_random);

      /* row k hides exactly the k best context words */
      g_assert_cmpuint (sc_explanation_get_top_words (e, SC_EXPLAIN_OCCLUSION, 5, TRUE, order),
                        ==, 5);
      keep = g_new (gboolean, e->n_words);
      for (guint i = 0; i < e->n_words; i++)
        keep[i] = TRUE;
      for (guint i = 0; i < 3; i++)
        keep[order[i]] = FALSE;
      g_assert_true (sc_explanation_eval_masks (e, keep, 1, &score, NULL, &error));
      g_assert_cmpfloat_with_epsilon (top[3], exp (score), 1e-9);

      drop_top += top[0] - top[3];
      drop_random += random[0] - random[3];

      agreement = sc_explanation_get_agreement (e);
      g_assert_true (isfinite (agreement));
      g_assert_cmpfloat (agreement, >=, -1.0 - 1e-9);
      g_assert_cmpfloat (agreement, <=, 1.0 + 1e-9);
      agreement_sum += agreement;
      g_test_message ("%s: top-3 hidden %.3f → %.3f, random-3 → %.3f, agreement %.2f",
                      cases[c].match, top[0], top[3], random[3], agreement);

      /* without the second method there is nothing to compare */
      occlusion_only = sc_explain_finding (get_ner (), cases[c].text, finding,
                                           SC_EXPLAIN_OCCLUSION, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (isnan (sc_explanation_get_agreement (occlusion_only)));
      g_assert_cmpuint (sc_explanation_deletion_test (occlusion_only, SC_EXPLAIN_KERNEL_SHAP,
                                                      3, 4, 1, top, random, NULL, &error),
                        ==, 0);
      g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
      n_cases++;
    }

  g_assert_cmpuint (n_cases, >=, 3);
  g_assert_cmpfloat (drop_top, >, drop_random);
  /* both methods measure the same model: on the whole they rank words alike */
  g_assert_cmpfloat (agreement_sum / n_cases, >, 0.0);
}

/* The occlusion scores come from one batched pass; each variant run alone gives the same. */
static void
test_batched (void)
{
  g_autoptr(ScFinding) finding = find_finding (person_text, "PER", "Erika Mustermann");
  g_autoptr(ScExplanation) e = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gboolean *keep = NULL;
  double full, hidden, worst = 0;

  g_assert_nonnull (finding);
  e = sc_explain_finding (get_ner (), person_text, finding, SC_EXPLAIN_OCCLUSION, NULL,
                          &error);
  g_assert_no_error (error);
  check_explanation (e, person_text);
  g_assert_null (e->kernel_shap);

  keep = g_new (gboolean, e->n_words);
  for (guint i = 0; i < e->n_words; i++)
    keep[i] = TRUE;
  sc_explanation_eval_masks (e, keep, 1, &full, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (full, e->score, BATCH_TOLERANCE);
  for (guint i = 0; i < e->n_words; i++)
    keep[i] = FALSE;
  sc_explanation_eval_masks (e, keep, 1, &hidden, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (hidden, e->masked_score, BATCH_TOLERANCE);

  for (guint j = 0; j < e->n_words; j++)
    {
      double alone;

      for (guint i = 0; i < e->n_words; i++)
        keep[i] = i != j;
      sc_explanation_eval_masks (e, keep, 1, &alone, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat_with_epsilon (full - alone, e->occlusion[j], BATCH_TOLERANCE);
      worst = MAX (worst, fabs (full - alone - e->occlusion[j]));
    }
  g_test_message ("largest difference batched vs alone: %.2e", worst);
}

/* Hiding the three context words occlusion ranks highest lowers the target probability more
 * than hiding three context words drawn at random (mean over the cases and 20 draws each). */
static void
test_faithful (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  double drop_top = 0, drop_random = 0, drop_shap = 0;
  guint n_cases = 0;

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(ScFinding) finding = pick_finding (cases[c].text, cases[c].label,
                                                   cases[c].match);
      g_autoptr(ScExplanation) e = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree gboolean *keep = NULL;
      g_autofree guint *context = NULL;
      const guint n_draws = 20;
      guint top[3], n_context = 0;
      double top_score, shap_score, random_sum = 0;

      if (finding == NULL)
        continue;
      e = sc_explain_finding (get_ner (), cases[c].text, finding, SC_EXPLAIN_ALL, NULL, &error);
      g_assert_no_error (error);
      check_explanation (e, cases[c].text);
      keep = g_new (gboolean, e->n_words);
      context = g_new (guint, e->n_words);
      for (guint i = 0; i < e->n_words; i++)
        if (!e->words[i].in_span)
          context[n_context++] = i;
      g_assert_cmpuint (n_context, >=, 6);

      g_assert_cmpuint (sc_explanation_get_top_words (e, SC_EXPLAIN_OCCLUSION, 3, TRUE, top),
                        ==, 3);
      for (guint i = 0; i < e->n_words; i++)
        keep[i] = TRUE;
      for (guint i = 0; i < 3; i++)
        keep[top[i]] = FALSE;
      sc_explanation_eval_masks (e, keep, 1, &top_score, NULL, &error);
      g_assert_no_error (error);

      sc_explanation_get_top_words (e, SC_EXPLAIN_KERNEL_SHAP, 3, TRUE, top);
      for (guint i = 0; i < e->n_words; i++)
        keep[i] = TRUE;
      for (guint i = 0; i < 3; i++)
        keep[top[i]] = FALSE;
      sc_explanation_eval_masks (e, keep, 1, &shap_score, NULL, &error);
      g_assert_no_error (error);

      for (guint d = 0; d < n_draws; d++)
        {
          double score;

          /* three distinct context words: a partial Fisher–Yates shuffle */
          for (guint i = 0; i < 3; i++)
            {
              guint j = i + (guint) g_rand_int_range (rand, 0, (gint32) (n_context - i));
              guint t = context[i];

              context[i] = context[j];
              context[j] = t;
            }
          for (guint i = 0; i < e->n_words; i++)
            keep[i] = TRUE;
          for (guint i = 0; i < 3; i++)
            keep[context[i]] = FALSE;
          sc_explanation_eval_masks (e, keep, 1, &score, NULL, &error);
          g_assert_no_error (error);
          random_sum += e->probability - exp (score);
        }

      g_test_message ("%s “%s”: probability %.4f, drop with the top 3 hidden %.4f "
                      "(KernelSHAP %.4f), 3 random %.4f", finding->label, finding->text,
                      e->probability, e->probability - exp (top_score),
                      e->probability - exp (shap_score), random_sum / n_draws);
      drop_top += e->probability - exp (top_score);
      drop_shap += e->probability - exp (shap_score);
      drop_random += random_sum / n_draws;
      n_cases++;
    }

  g_assert_cmpuint (n_cases, >=, 4);
  g_test_message ("mean drop: occlusion top 3 %.4f, KernelSHAP top 3 %.4f, random 3 %.4f",
                  drop_top / n_cases, drop_shap / n_cases, drop_random / n_cases);
  g_assert_cmpfloat (drop_top, >, drop_random);
}

/* The sampling method is deterministic for a seed and keeps Σ φ = full − all hidden. */
static void
test_kernel_shap (void)
{
  ScExplainOptions options;
  g_autoptr(ScExplanation) a = NULL;
  g_autoptr(ScExplanation) b = NULL;
  g_autoptr(ScExplanation) other = NULL;
  g_autoptr(ScExplanation) small = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) words = split_words (cases[1].text);
  gboolean differs = FALSE;

  sc_explain_options_init (&options);
  g_assert_cmpuint (options.context_words, ==, 40);
  g_assert_cmpuint (options.n_samples, ==, 64);

  /* "Jonas Beispiel" are words 5 and 6 */
  g_assert_cmpstr (g_ptr_array_index (words, 5), ==, "Jonas");
  a = sc_explain_words (get_ner (), (const char *const *) words->pdata, words->len, 5, 7, "PER",
                        SC_EXPLAIN_KERNEL_SHAP, &options, NULL, &error);
  g_assert_no_error (error);
  b = sc_explain_words (get_ner (), (const char *const *) words->pdata, words->len, 5, 7, "PER",
                        SC_EXPLAIN_KERNEL_SHAP, &options, NULL, &error);
  g_assert_no_error (error);
  check_explanation (a, NULL);
  g_assert_null (a->occlusion);
  g_assert_cmpuint (a->n_words, ==, words->len);
  g_assert_cmpmem (a->kernel_shap, a->n_words * sizeof (double),
                   b->kernel_shap, b->n_words * sizeof (double));

  options.seed = 7;
  other = sc_explain_words (get_ner (), (const char *const *) words->pdata, words->len, 5, 7,
                            "PER", SC_EXPLAIN_KERNEL_SHAP, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (other->seed, ==, 7);
  for (guint i = 0; i < a->n_words; i++)
    differs |= a->kernel_shap[i] != other->kernel_shap[i];
  g_assert_true (differs);

  /* an odd sample count is rounded up to whole pairs; fewer samples than words still fit */
  options.n_samples = 5;
  small = sc_explain_words (get_ner (), (const char *const *) words->pdata, words->len, 5, 7,
                            "PER", SC_EXPLAIN_KERNEL_SHAP, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (small->n_samples, ==, 6);
  check_explanation (small, NULL);

  for (guint k = 0; k < 3; k++)
    {
      ScExplanation *e = k == 0 ? a : k == 1 ? other : small;
      const double delta = e->score - e->masked_score;
      double sum = 0;

      for (guint i = 0; i < e->n_words; i++)
        sum += e->kernel_shap[i];
      g_test_message ("Σ φ %.6f, full − all hidden %.6f", sum, delta);
      g_assert_cmpfloat (fabs (sum - delta), <=, EFFICIENCY_TOLERANCE * MAX (1.0, fabs (delta)));
    }
}

/* A long text: the window is cut to the encoder's context and to context_words each side. */
static void
test_window (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(ScExplanation) e = NULL;
  g_autoptr(ScExplanation) narrow = NULL;
  g_autoptr(ScExplanation) alone = NULL;
  g_autoptr(GError) error = NULL;
  ScExplainOptions options;
  ScFinding *middle = NULL;
  gsize pieces = 0, w0, w1;

  for (guint i = 0; i < 30; i++)
    g_string_append_printf (text, "%s ", person_text);
  findings = sc_ner_find (get_ner (), text->str, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < findings->len; i++)
    {
      ScFinding *f = g_ptr_array_index (findings, i);

      if (g_str_equal (f->label, "PER") && f->start > text->len / 2 && middle == NULL)
        middle = f;
    }
  g_assert_nonnull (middle);

  e = sc_explain_finding (get_ner (), text->str, middle, SC_EXPLAIN_OCCLUSION, NULL, &error);
  g_assert_no_error (error);
  check_explanation (e, text->str);
  g_assert_cmpuint (e->span_start, ==, 40);
  for (guint i = 0; i < e->n_words; i++)
    {
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));

      sc_tokenizer_encode_word (_sc_ner_get_tokenizer (get_ner ()), e->words[i].text, -1, ids,
                                &error);
      g_assert_no_error (error);
      pieces += ids->len;
    }
  g_test_message ("window of %u words, %zu pieces", e->n_words, pieces);
  g_assert_cmpuint (pieces, <=, _sc_ner_get_max_pieces (get_ner ()));
  /* 40 words each side fit the shipped model's 254 pieces */
  g_assert_cmpuint (e->n_words, ==, 40 + 40 + (e->span_end - e->span_start));

  w0 = e->words[e->span_start].index;
  w1 = e->words[e->span_end - 1].index + 1;
  sc_explain_options_init (&options);
  options.context_words = 3;
  narrow = sc_explain_text (get_ner (), text->str, w0, w1, "PER", SC_EXPLAIN_ALL, &options,
                            NULL, &error);
  g_assert_no_error (error);
  check_explanation (narrow, text->str);
  g_assert_cmpuint (narrow->n_words, ==, 3 + 3 + (w1 - w0));
  g_assert_cmpuint (narrow->span_start, ==, 3);
  g_assert_cmpuint (narrow->words[3].start, ==, middle->start);

  options.context_words = 0;
  alone = sc_explain_text (get_ner (), text->str, w0, w1, "PER", SC_EXPLAIN_ALL, &options,
                           NULL, &error);
  g_assert_no_error (error);
  check_explanation (alone, text->str);
  g_assert_cmpuint (alone->n_words, ==, w1 - w0);
  g_assert_cmpuint (alone->words[0].index, ==, w0);
}

/* Bad requests give an error, never a crash. */
static void
test_bad_input (void)
{
  g_autoptr(ScFinding) finding = find_finding (person_text, "PER", "Erika Mustermann");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(ScFinding) rule = NULL;
  g_autoptr(ScFinding) inside = NULL;
  const char *words[] = { "Frau", "Erika", "Mustermann" };
  ScExplanation *e;

  g_assert_nonnull (finding);

#define EXPECT_ERROR(call, domain, code)                                                       \
  G_STMT_START                                                                                 \
  {                                                                                            \
    g_autoptr(GError) error = NULL;                                                            \
    ScExplanation *result = (call);                                                            \
                                                                                               \
    g_assert_null (result);                                                                    \
    g_assert_error (error, domain, code);                                                      \
    g_test_message ("%s", error->message);                                                     \
  }                                                                                            \
  G_STMT_END

  /* spans out of range or empty */
  EXPECT_ERROR (sc_explain_words (get_ner (), words, 3, 2, 4, "PER", SC_EXPLAIN_ALL, NULL, NULL,
                                  &error), SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  EXPECT_ERROR (sc_explain_words (get_ner (), words, 3, 1, 1, "PER", SC_EXPLAIN_ALL, NULL, NULL,
                                  &error), SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  EXPECT_ERROR (sc_explain_words (get_ner (), NULL, 0, 0, 1, "PER", SC_EXPLAIN_ALL, NULL, NULL,
                                  &error), SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  EXPECT_ERROR (sc_explain_text (get_ner (), person_text, 11, 99, "PER", SC_EXPLAIN_ALL, NULL,
                                 NULL, &error), SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  EXPECT_ERROR (sc_explain_text (get_ner (), "", 0, 1, "PER", SC_EXPLAIN_ALL, NULL, NULL,
                                 &error), SC_ERROR, SC_ERROR_INVALID_ARGUMENT);

  /* types the model does not have, no method */
  EXPECT_ERROR (sc_explain_words (get_ner (), words, 3, 1, 3, "XYZ", SC_EXPLAIN_ALL, NULL, NULL,
                                  &error), SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  EXPECT_ERROR (sc_explain_words (get_ner (), words, 3, 1, 3, "", SC_EXPLAIN_ALL, NULL, NULL,
                                  &error), SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  EXPECT_ERROR (sc_explain_words (get_ner (), words, 3, 1, 3, "B-PER", SC_EXPLAIN_ALL, NULL,
                                  NULL, &error), SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  EXPECT_ERROR (sc_explain_words (get_ner (), words, 3, 1, 3, "PER", 0, NULL, NULL, &error),
                SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  EXPECT_ERROR (sc_explain_words (get_ner (), words, 3, 1, 3, "PER", 1 << 5, NULL, NULL,
                                  &error), SC_ERROR, SC_ERROR_INVALID_ARGUMENT);

  /* cancelled before and during the work */
  g_cancellable_cancel (cancellable);
  EXPECT_ERROR (sc_explain_words (get_ner (), words, 3, 1, 3, "PER", SC_EXPLAIN_ALL, NULL,
                                  cancellable, &error), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  EXPECT_ERROR (sc_explain_text (get_ner (), person_text, 4, 6, "PER", SC_EXPLAIN_ALL, NULL,
                                 cancellable, &error), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  EXPECT_ERROR (sc_explain_finding (get_ner (), person_text, finding, SC_EXPLAIN_ALL,
                                    cancellable, &error), G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* findings that are not the model's or do not lie on words of the text */
  rule = sc_finding_new (SC_FINDING_PERSON, "PER", "Erika Mustermann", finding->start,
                         finding->end);
  EXPECT_ERROR (sc_explain_finding (get_ner (), person_text, rule, SC_EXPLAIN_ALL, NULL,
                                    &error), SC_ERROR, SC_ERROR_NOT_SUPPORTED);
  inside = sc_finding_new (SC_FINDING_PERSON, "PER", "rika Mustermann", finding->start + 1,
                           finding->end);
  inside->source = SC_FINDING_SOURCE_MODEL;
  EXPECT_ERROR (sc_explain_finding (get_ner (), person_text, inside, SC_EXPLAIN_ALL, NULL,
                                    &error), SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  inside->start = finding->start;
  inside->end = strlen (person_text) + 10;
  EXPECT_ERROR (sc_explain_finding (get_ner (), person_text, inside, SC_EXPLAIN_ALL, NULL,
                                    &error), SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  inside->end = finding->end;
  g_free (inside->label);
  inside->label = g_strdup ("IBAN");
  EXPECT_ERROR (sc_explain_finding (get_ner (), person_text, inside, SC_EXPLAIN_ALL, NULL,
                                    &error), SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
#undef EXPECT_ERROR

  /* a span of one word of a type is fine, and a one-word text */
  {
    g_autoptr(GError) error = NULL;

    e = sc_explain_words (get_ner (), words + 1, 1, 0, 1, "PER", SC_EXPLAIN_ALL, NULL, NULL,
                          &error);
    g_assert_no_error (error);
    check_explanation (e, NULL);
    g_assert_cmpuint (e->n_words, ==, 1);
    g_assert_cmpfloat (fabs (e->kernel_shap[0] - (e->score - e->masked_score)), <=,
                       EFFICIENCY_TOLERANCE * MAX (1.0, fabs (e->score - e->masked_score)));
    sc_explanation_unref (e);
  }
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sichtung/explain/finding", test_finding);
  g_test_add_func ("/sichtung/explain/batched", test_batched);
  g_test_add_func ("/sichtung/explain/faithful", test_faithful);
  g_test_add_func ("/sichtung/explain/deletion", test_deletion);
  g_test_add_func ("/sichtung/explain/kernel-shap", test_kernel_shap);
  g_test_add_func ("/sichtung/explain/window", test_window);
  g_test_add_func ("/sichtung/explain/bad-input", test_bad_input);

  ret = g_test_run ();
  g_clear_pointer (&shared_ner, sc_ner_unref);
  return ret;
}
