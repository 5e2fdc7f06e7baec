/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-explain.c: the measuring half of tools/bench/bench-explain (the script builds and
 * drives it). ERASER-style faithfulness and the speed of the word attributions of
 * core/sc-explain.h on validation sentences: for every gold entity the tagging model also
 * predicts exactly, both methods explain it, and
 *
 *   comprehensiveness(k) = p(all words) − p(the k highest-scored context words hidden)
 *   sufficiency(k)       = p(all words) − p(only the span and those k context words kept)
 *
 * with p the target probability (exp of the mean log-probability of the span's tags) and k
 * = 1, 3, 5, next to the same for k context words drawn at random (mean of DRAWS draws).
 * Higher comprehensiveness and lower sufficiency mean a more faithful ranking. Context words
 * are the explained words outside the span (span words are never hidden here, so the
 * finding's own words cannot dominate). Milliseconds per explanation are wall-clock times of
 * sc_explain_words() per method, on the CPU backend with THREADS threads. */
#define G_LOG_DOMAIN "sichtung-bench"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sichtung-core.h"

static const guint ks[] = { 1, 3, 5 };
#define N_KS    G_N_ELEMENTS (ks)
#define RANDOM  2 /* the third "method" row */
#define N_ROWS  3

/* Sentences with gold tags for runs without validation files: "word/TAG" separated by
 * spaces, the same kinds of text the application sees. */
static const char *samples[] = {
  "Der/O Bescheid/O wurde/O Frau/O Erika/B-PER Mustermann/I-PER am/O 3./O März/O 2024/O "
  "zugestellt/O ./O",
  "Gegen/O den/O Bescheid/O hat/O Herr/O Jonas/B-PER Beispiel/I-PER am/O 12./O Mai/O "
  "fristgerecht/O Widerspruch/O eingelegt/O ./O",
  "Der/O Anspruch/O folgt/O aus/O §/B-GS 433/I-GS Abs./I-GS 2/I-GS BGB/I-GS in/O "
  "Verbindung/O mit/O den/O allgemeinen/O Vorschriften/O ./O",
  "Die/O Klägerin/O wohnt/O seit/O dem/O Jahr/O 2019/O mit/O ihren/O Kindern/O in/O "
  "Mainz/B-ST und/O arbeitet/O dort/O ./O",
  "Das/O Verwaltungsgericht/B-GRT Koblenz/I-GRT hat/O die/O Klage/O mit/O Urteil/O vom/O "
  "4./O Juni/O 2021/O abgewiesen/O ./O",
  "Nach/O Auskunft/O von/O Rechtsanwalt/O Dr./O Stefan/B-PER Hoffmann/I-PER ist/O die/O "
  "Frist/O bereits/O abgelaufen/O ./O",
  "Die/O Beschwerde/O gegen/O den/O Beschluss/O des/O Landgerichts/B-GRT Mainz/I-GRT vom/O "
  "7./O Juli/O 2020/O wird/O zurückgewiesen/O ./O",
  "Die/O Kosten/O trägt/O nach/O §/B-GS 154/I-GS Abs./I-GS 1/I-GS VwGO/I-GS die/O "
  "Beklagte/O ./O",
  "Frau/O Sabine/B-PER Schulz/I-PER ist/O am/O 1./O April/O von/O Trier/B-ST nach/O "
  "Koblenz/B-ST umgezogen/O ./O",
  "Der/O Antrag/O von/O Herrn/O Mehmet/B-PER Yilmaz/I-PER auf/O Wohngeld/O ging/O am/O "
  "2./O Januar/O bei/O der/O Kreisverwaltung/B-ORG Musterkreis/I-ORG ein/O ./O",
};

/* One sentence: words and gold tags. */
typedef struct
{
  GPtrArray *words; /* char* */
  GPtrArray *tags;  /* char* */
  guint      file;  /* which input it came from */
} Sentence;

static void
sentence_free (Sentence *s)
{
  g_ptr_array_unref (s->words);
  g_ptr_array_unref (s->tags);
  g_free (s);
}

static Sentence *
sentence_new (void)
{
  Sentence *s = g_new0 (Sentence, 1);

  s->words = g_ptr_array_new_with_free_func (g_free);
  s->tags = g_ptr_array_new_with_free_func (g_free);
  return s;
}

/* ---------------------------------------------------------------- reading JSONL */

/* A JSON string at *@p (at its opening quote); NULL on malformed input. */
static char *
read_string (const char **p)
{
  g_autoptr(GString) s = g_string_new (NULL);

  if (**p != '"')
    return NULL;
  (*p)++;
  while (**p != '"')
    {
      if (**p == '\0')
        return NULL;
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

            if (strlen (*p) < 4)
              return NULL;
            memcpy (hex, *p, 4);
            c = (gunichar) g_ascii_strtoull (hex, NULL, 16);
            *p += 4;
            if (c >= 0xd800 && c < 0xdc00 && (*p)[0] == '\\' && (*p)[1] == 'u' &&
                strlen (*p) >= 6)
              {
                memcpy (hex, *p + 2, 4);
                c = 0x10000 + ((c - 0xd800) << 10) +
                    ((gunichar) g_ascii_strtoull (hex, NULL, 16) - 0xdc00);
                *p += 6;
              }
            g_string_append_unichar (s, c);
          }
          break;
        case '\0':
          return NULL;
        default:
          g_string_append_c (s, (*p)[-1]);
          break;
        }
    }
  (*p)++;
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* The string array under "@key" of the one-line object @line, into @out. */
static gboolean
read_array (const char *line,
            const char *key,
            GPtrArray  *out)
{
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", key);
  const char *p = strstr (line, quoted);

  if (p == NULL)
    return FALSE;
  p += strlen (quoted);
  while (*p == ' ' || *p == ':')
    p++;
  if (*p++ != '[')
    return FALSE;
  for (;;)
    {
      char *s;

      while (*p == ' ' || *p == ',')
        p++;
      if (*p == ']')
        return TRUE;
      s = read_string (&p);
      if (s == NULL)
        return FALSE;
      g_ptr_array_add (out, s);
    }
}

static gboolean
read_jsonl (const char *path,
            guint       file,
            GPtrArray  *sentences)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    {
      fprintf (stderr, "bench-explain: %s\n", error->message);
      return FALSE;
    }
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      Sentence *s;

      if (*g_strstrip (lines[i]) == '\0')
        continue;
      s = sentence_new ();
      s->file = file;
      if (!read_array (lines[i], "tokens", s->words) || !read_array (lines[i], "tags", s->tags) ||
          s->words->len != s->tags->len)
        {
          fprintf (stderr, "bench-explain: %s:%u: not a {\"tokens\", \"tags\"} line\n", path,
                   i + 1);
          sentence_free (s);
          return FALSE;
        }
      g_ptr_array_add (sentences, s);
    }
  return TRUE;
}

static void
read_samples (GPtrArray *sentences)
{
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_auto(GStrv) items = g_strsplit (samples[i], " ", -1);
      Sentence *s = sentence_new ();

      for (guint j = 0; items[j] != NULL; j++)
        {
          const char *slash = strrchr (items[j], '/');

          g_ptr_array_add (s->words, g_strndup (items[j], (gsize) (slash - items[j])));
          g_ptr_array_add (s->tags, g_strdup (slash + 1));
        }
      g_ptr_array_add (sentences, s);
    }
}

/* ---------------------------------------------------------------- measuring */

typedef struct
{
  double comp[N_ROWS][N_KS];
  double suff[N_ROWS][N_KS];
  guint  n;
  GArray *ms_occlusion; /* double */
  GArray *ms_kernel_shap;
  GArray *ms_both;      /* the two together, per entity */
  double p_full;
} Totals;

static double
now_ms (void)
{
  return (double) g_get_monotonic_time () / 1000.0;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  const double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  q)
{
  gsize i;

  if (values->len == 0)
    return NAN;
  g_array_sort (values, compare_double);
  i = (gsize) ceil (q * values->len) - 1;
  return g_array_index (values, double, MIN (i, values->len - 1));
}

/* Appends two masks for the context words @chosen (@n_chosen of them): the words hidden
 * (comprehensiveness) and only the span and the words kept (sufficiency). */
static void
add_masks (ScExplanation *e,
           const guint   *chosen,
           guint          n_chosen,
           GArray        *masks)
{
  const guint n = e->n_words;
  const guint base = masks->len;
  gboolean *hide, *only;

  g_array_set_size (masks, base + 2 * n);
  hide = &g_array_index (masks, gboolean, base);
  only = hide + n;
  for (guint i = 0; i < n; i++)
    {
      hide[i] = TRUE;
      only[i] = e->words[i].in_span;
    }
  for (guint i = 0; i < n_chosen; i++)
    {
      hide[chosen[i]] = FALSE;
      only[chosen[i]] = TRUE;
    }
}

/* Explains the words [@w0, @w1) of @s as @type with both methods, timed, and adds the
 * faithfulness figures to @t. FALSE on an error (printed). */
static gboolean
measure_entity (ScNer            *ner,
                Sentence         *s,
                guint             w0,
                guint             w1,
                const char       *type,
                const ScExplainOptions *options,
                GRand            *rand,
                guint             n_draws,
                Totals           *t)
{
  const char *const *words = (const char *const *) s->words->pdata;
  g_autoptr(ScExplanation) occ = NULL;
  g_autoptr(ScExplanation) shap = NULL;
  g_autoptr(GArray) masks = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_autoptr(GError) error = NULL;
  g_autofree guint *context = NULL;
  g_autofree double *scores = NULL;
  ScExplanation *methods[2];
  guint n_context = 0, n_masks, m = 0;
  double start;

  start = now_ms ();
  occ = sc_explain_words (ner, words, s->words->len, w0, w1, type, SC_EXPLAIN_OCCLUSION,
                          options, NULL, &error);
  if (occ != NULL)
    {
      double ms_occ = now_ms () - start, ms_shap, ms_both;

      start = now_ms ();
      shap = sc_explain_words (ner, words, s->words->len, w0, w1, type, SC_EXPLAIN_KERNEL_SHAP,
                               options, NULL, &error);
      ms_shap = now_ms () - start;
      ms_both = ms_occ + ms_shap;
      g_array_append_val (t->ms_occlusion, ms_occ);
      g_array_append_val (t->ms_kernel_shap, ms_shap);
      g_array_append_val (t->ms_both, ms_both);
    }
  if (shap == NULL)
    {
      fprintf (stderr, "bench-explain: %s\n", error->message);
      return FALSE;
    }

  context = g_new (guint, occ->n_words);
  for (guint i = 0; i < occ->n_words; i++)
    if (!occ->words[i].in_span)
      context[n_context++] = i;
  if (n_context == 0)
    return TRUE;

  /* per k: occlusion, KernelSHAP, then n_draws random choices; two masks each */
  methods[0] = occ;
  methods[1] = shap;
  for (guint ki = 0; ki < N_KS; ki++)
    {
      const guint k = MIN (ks[ki], n_context);
      guint top[8];

      for (guint r = 0; r < 2; r++)
        {
          sc_explanation_get_top_words (methods[r], r == 0 ? SC_EXPLAIN_OCCLUSION
                                                           : SC_EXPLAIN_KERNEL_SHAP,
                                        k, TRUE, top);
          add_masks (occ, top, k, masks);
        }
      for (guint d = 0; d < n_draws; d++)
        {
          /* k distinct context words: a partial Fisher–Yates shuffle */
          for (guint i = 0; i < k; i++)
            {
              guint j = i + (guint) g_rand_int_range (rand, 0, (gint32) (n_context - i));
              guint tmp = context[i];

              context[i] = context[j];
              context[j] = tmp;
            }
          add_masks (occ, context, k, masks);
        }
    }

  n_masks = masks->len / occ->n_words;
  scores = g_new (double, n_masks);
  if (!sc_explanation_eval_masks (occ, (const gboolean *) (void *) masks->data, n_masks,
                                  scores, NULL, &error))
    {
      fprintf (stderr, "bench-explain: %s\n", error->message);
      return FALSE;
    }

  for (guint ki = 0; ki < N_KS; ki++)
    {
      for (guint r = 0; r < 2; r++, m += 2)
        {
          t->comp[r][ki] += occ->probability - exp (scores[m]);
          t->suff[r][ki] += occ->probability - exp (scores[m + 1]);
        }
      for (guint d = 0; d < n_draws; d++, m += 2)
        {
          t->comp[RANDOM][ki] += (occ->probability - exp (scores[m])) / n_draws;
          t->suff[RANDOM][ki] += (occ->probability - exp (scores[m + 1])) / n_draws;
        }
    }
  t->p_full += occ->probability;
  t->n++;
  return TRUE;
}

/* Whether the model's labels for words [@w0, @w1) of @labels (@n words) are exactly B-@type,
 * I-@type … with no I-@type after the span. */
static gboolean
predicted_exactly (ScNer       *ner,
                   const guint *labels,
                   guint        n,
                   guint        w0,
                   guint        w1,
                   const char  *type)
{
  for (guint w = w0; w < w1; w++)
    {
      const char *l = sc_ner_get_label (ner, labels[w]);

      if (l[0] != (w == w0 ? 'B' : 'I') || l[1] != '-' || !g_str_equal (l + 2, type))
        return FALSE;
    }
  if (w1 < n)
    {
      const char *l = sc_ner_get_label (ner, labels[w1]);

      if (l[0] == 'I' && g_str_equal (l + 2, type))
        return FALSE;
    }
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) sentences = g_ptr_array_new_with_free_func ((GDestroyNotify) sentence_free);
  g_autoptr(ScBackend) backend = NULL;
  g_autoptr(ScNer) ner = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (2024);
  g_autoptr(GPtrArray) all_words = g_ptr_array_new ();
  g_autofree gsize *lengths = NULL;
  g_autofree guint *labels = NULL;
  const char *env;
  ScExplainOptions options;
  Totals t = { 0 };
  guint threads = 2, limit = 0, n_draws = 5, n_gold = 0, n_exact = 0, file = G_MAXUINT;
  guint file_n = 0;
  gsize offset = 0;
  double start;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s MODEL.gguf [SENTENCES.jsonl …]\n", argv[0]);
      return 2;
    }
  if ((env = g_getenv ("THREADS")) != NULL)
    threads = (guint) MAX (1, atoi (env));
  if ((env = g_getenv ("LIMIT")) != NULL)
    limit = (guint) MAX (0, atoi (env));
  if ((env = g_getenv ("DRAWS")) != NULL)
    n_draws = (guint) MAX (1, atoi (env));
  sc_explain_options_init (&options);
  if ((env = g_getenv ("SAMPLES")) != NULL)
    options.n_samples = (guint) MAX (2, atoi (env));
  if ((env = g_getenv ("CONTEXT")) != NULL)
    options.context_words = (guint) MAX (0, atoi (env));

  for (int i = 2; i < argc; i++)
    if (!read_jsonl (argv[i], (guint) i, sentences))
      return 1;
  if (argc == 2)
    read_samples (sentences);

  backend = sc_backend_cpu_new ();
  sc_backend_cpu_set_n_threads (SC_BACKEND_CPU (backend), (int) threads);
  ner = sc_ner_load (argv[1], backend, &error);
  if (ner == NULL)
    {
      fprintf (stderr, "bench-explain: %s\n", error->message);
      return 1;
    }

  /* the model's own tags for every sentence, in one batched call */
  lengths = g_new (gsize, MAX (sentences->len, 1));
  for (guint i = 0; i < sentences->len; i++)
    {
      Sentence *s = g_ptr_array_index (sentences, i);

      lengths[i] = s->words->len;
      for (guint w = 0; w < s->words->len; w++)
        g_ptr_array_add (all_words, g_ptr_array_index (s->words, w));
    }
  labels = g_new (guint, MAX (all_words->len, 1));
  start = now_ms ();
  if (!sc_ner_tag_sentences (ner, (const char *const *) all_words->pdata, lengths,
                             sentences->len, labels, NULL, NULL, &error))
    {
      fprintf (stderr, "bench-explain: %s\n", error->message);
      return 1;
    }
  printf ("%u sentences, %u words, tagged in %.0f ms; %u threads, %u coalitions, "
          "%u words of context each side, %u random draws\n", sentences->len, all_words->len,
          now_ms () - start, threads, options.n_samples, options.context_words, n_draws);

  t.ms_occlusion = g_array_new (FALSE, FALSE, sizeof (double));
  t.ms_kernel_shap = g_array_new (FALSE, FALSE, sizeof (double));
  t.ms_both = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < sentences->len; i++)
    {
      Sentence *s = g_ptr_array_index (sentences, i);
      const guint n = s->words->len;
      guint w = 0;

      /* LIMIT counts per input file */
      if (s->file != file)
        {
          file = s->file;
          file_n = t.n;
        }
      while (w < n && (limit == 0 || t.n - file_n < limit))
        {
          const char *tag = g_ptr_array_index (s->tags, w);
          g_autofree char *type = NULL;
          guint e = w + 1;

          if (tag[0] != 'B' || tag[1] != '-')
            {
              w++;
              continue;
            }
          type = g_strdup (tag + 2);
          while (e < n && g_str_has_prefix (g_ptr_array_index (s->tags, e), "I-") &&
                 g_str_equal ((const char *) g_ptr_array_index (s->tags, e) + 2, type))
            e++;
          n_gold++;
          if (predicted_exactly (ner, labels + offset, n, w, e, type))
            {
              n_exact++;
              if (!measure_entity (ner, s, w, e, type, &options, rand, n_draws, &t))
                return 1;
            }
          w = e;
        }
      offset += n;
    }

  if (t.n == 0)
    {
      printf ("no gold entity was predicted exactly: nothing to explain\n");
      return 1;
    }
  printf ("%u gold entities seen, %u predicted exactly, %u with context explained (mean target "
          "probability %.3f)\n\n", n_gold, n_exact, t.n, t.p_full / t.n);
  printf ("%-14s %27s   %27s\n", "", "comprehensiveness (higher)", "sufficiency (lower)");
  printf ("%-14s %8s %8s %8s   %8s %8s %8s\n", "method", "k=1", "k=3", "k=5", "k=1", "k=3",
          "k=5");
  for (guint r = 0; r < N_ROWS; r++)
    {
      const char *names[] = { "occlusion", "kernel-shap", "random" };

      printf ("%-14s", names[r]);
      for (guint ki = 0; ki < N_KS; ki++)
        printf (" %8.4f", t.comp[r][ki] / t.n);
      printf ("  ");
      for (guint ki = 0; ki < N_KS; ki++)
        printf (" %8.4f", t.suff[r][ki] / t.n);
      printf ("\n");
    }
  printf ("\ncomprehensiveness top-3 / random-3: occlusion %.2f, kernel-shap %.2f\n",
          t.comp[0][1] / t.comp[RANDOM][1], t.comp[1][1] / t.comp[RANDOM][1]);
  printf ("ms per explanation (cpu, %u threads): occlusion median %.1f p95 %.1f; "
          "kernel-shap (%u coalitions) median %.1f p95 %.1f\n", threads,
          percentile (t.ms_occlusion, 0.5), percentile (t.ms_occlusion, 0.95), options.n_samples,
          percentile (t.ms_kernel_shap, 0.5), percentile (t.ms_kernel_shap, 0.95));
  printf ("ms per explanation with both methods: median %.1f p95 %.1f\n",
          percentile (t.ms_both, 0.5), percentile (t.ms_both, 0.95));
  g_array_unref (t.ms_occlusion);
  g_array_unref (t.ms_kernel_shap);
  g_array_unref (t.ms_both);
  return 0;
}
