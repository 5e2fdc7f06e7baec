/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-analysis.c: the analysis pipeline (see sc-analysis.h): rules, gazetteers and the
 * named-entity model over the pages of a document, merged into page-anchored findings. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-analysis.h"
#include "sc-analysis-private.h"
#include "sc-error.h"
#include "sc-gazetteer.h"
#include "sc-recognizers.h"

/* Pages handed to the model in one call: its windows are batched within a call, so more pages
 * per call keep the backend busier, fewer give finer progress and cancellation. */
#define PAGES_PER_BATCH 8

/* What joins the pages of a batch for the model: a break no entity runs across. */
#define PAGE_SEPARATOR "\n\f\n"

/* Model findings less sure than this are left out unless a rule or gazetteer backs them:
 * below it the model's best guess is often only a little ahead of "no entity". */
#define MODEL_MIN_CONFIDENCE 0.5

/* How far before a date its "geboren am" may start, in bytes. */
#define BIRTH_CUE_WINDOW 24

#define SOURCE_BIT(s) (1u << (s))

/* ------------------------------------------------------------------------------------------ */
/* ScPageFinding and ScAnalysis                                                                */
/* ------------------------------------------------------------------------------------------ */

G_DEFINE_BOXED_TYPE (ScPageFinding, sc_page_finding, sc_page_finding_ref, sc_page_finding_unref)

static ScPageFinding *
page_finding_new (ScFinding *finding,
                  guint      page,
                  guint      sources)
{
  ScPageFinding *pf = g_new0 (ScPageFinding, 1);

  g_atomic_ref_count_init (&pf->ref_count);
  pf->finding = finding;
  pf->page = page;
  pf->sources = sources;
  pf->boxes = g_array_new (FALSE, FALSE, sizeof (ScRect));
  return pf;
}

ScPageFinding *
sc_page_finding_ref (ScPageFinding *finding)
{
  g_return_val_if_fail (finding != NULL, NULL);

  g_atomic_ref_count_inc (&finding->ref_count);
  return finding;
}

void
sc_page_finding_unref (ScPageFinding *finding)
{
  if (finding == NULL)
    return;
  if (!g_atomic_ref_count_dec (&finding->ref_count))
    return;
  g_clear_pointer (&finding->finding, sc_finding_unref);
  g_clear_pointer (&finding->boxes, g_array_unref);
  g_free (finding);
}

struct _ScAnalysis
{
  gatomicrefcount  ref_count;
  guint            n_pages;
  GPtrArray       *findings;      /* ScPageFinding* */
  char            *model_name;    /* NULL without a model */
  char            *model_version;
};

G_DEFINE_BOXED_TYPE (ScAnalysis, sc_analysis, sc_analysis_ref, sc_analysis_unref)

ScAnalysis *
sc_analysis_ref (ScAnalysis *analysis)
{
  g_return_val_if_fail (analysis != NULL, NULL);

  g_atomic_ref_count_inc (&analysis->ref_count);
  return analysis;
}

void
sc_analysis_unref (ScAnalysis *analysis)
{
  if (analysis == NULL)
    return;
  if (!g_atomic_ref_count_dec (&analysis->ref_count))
    return;
  g_clear_pointer (&analysis->findings, g_ptr_array_unref);
  g_free (analysis->model_name);
  g_free (analysis->model_version);
  g_free (analysis);
}

guint
sc_analysis_get_n_pages (ScAnalysis *analysis)
{
  g_return_val_if_fail (analysis != NULL, 0);
  return analysis->n_pages;
}

GPtrArray *
sc_analysis_get_findings (ScAnalysis *analysis)
{
  g_return_val_if_fail (analysis != NULL, NULL);
  return analysis->findings;
}

const char *
sc_analysis_get_model_name (ScAnalysis *analysis)
{
  g_return_val_if_fail (analysis != NULL, NULL);
  return analysis->model_name;
}

const char *
sc_analysis_get_model_version (ScAnalysis *analysis)
{
  g_return_val_if_fail (analysis != NULL, NULL);
  return analysis->model_version;
}

/* ------------------------------------------------------------------------------------------ */
/* ScAnalyzer                                                                                  */
/* ------------------------------------------------------------------------------------------ */

struct _ScAnalyzer
{
  GObject   parent_instance;

  ScNer    *ner;        /* nullable */
  ScLand    land;
  GDate     reference;  /* invalid (cleared) when there is none */
  gboolean  enabled[SC_FINDING_N_CATEGORIES];
};

G_DEFINE_FINAL_TYPE (ScAnalyzer, sc_analyzer, G_TYPE_OBJECT)

static void
sc_analyzer_finalize (GObject *object)
{
  ScAnalyzer *self = SC_ANALYZER (object);

  g_clear_pointer (&self->ner, sc_ner_unref);

  G_OBJECT_CLASS (sc_analyzer_parent_class)->finalize (object);
}

static void
sc_analyzer_class_init (ScAnalyzerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sc_analyzer_finalize;
}

static void
sc_analyzer_init (ScAnalyzer *self)
{
  self->land = SC_LAND_DEFAULT;
  g_date_clear (&self->reference, 1);
  for (guint i = 0; i < SC_FINDING_N_CATEGORIES; i++)
    self->enabled[i] = TRUE;
}

ScAnalyzer *
sc_analyzer_new (void)
{
  return g_object_new (SC_TYPE_ANALYZER, NULL);
}

void
sc_analyzer_set_ner (ScAnalyzer *self,
                     ScNer      *ner)
{
  g_return_if_fail (SC_IS_ANALYZER (self));

  if (self->ner == ner)
    return;
  if (ner != NULL)
    sc_ner_ref (ner);
  g_clear_pointer (&self->ner, sc_ner_unref);
  self->ner = ner;
}

ScNer *
sc_analyzer_get_ner (ScAnalyzer *self)
{
  g_return_val_if_fail (SC_IS_ANALYZER (self), NULL);
  return self->ner;
}

void
sc_analyzer_set_land (ScAnalyzer *self,
                      ScLand      land)
{
  g_return_if_fail (SC_IS_ANALYZER (self));
  g_return_if_fail ((guint) land < SC_LAND_N_LANDS);

  self->land = land;
}

ScLand
sc_analyzer_get_land (ScAnalyzer *self)
{
  g_return_val_if_fail (SC_IS_ANALYZER (self), SC_LAND_DEFAULT);
  return self->land;
}

void
sc_analyzer_set_reference_date (ScAnalyzer  *self,
                                const GDate *date)
{
  g_return_if_fail (SC_IS_ANALYZER (self));
  g_return_if_fail (date == NULL || g_date_valid (date));

  if (date != NULL)
    self->reference = *date;
  else
    g_date_clear (&self->reference, 1);
}

void
sc_analyzer_set_category_enabled (ScAnalyzer        *self,
                                  ScFindingCategory  category,
                                  gboolean           enabled)
{
  g_return_if_fail (SC_IS_ANALYZER (self));
  g_return_if_fail ((guint) category < SC_FINDING_N_CATEGORIES);

  self->enabled[category] = !!enabled;
}

gboolean
sc_analyzer_get_category_enabled (ScAnalyzer        *self,
                                  ScFindingCategory  category)
{
  g_return_val_if_fail (SC_IS_ANALYZER (self), FALSE);
  g_return_val_if_fail ((guint) category < SC_FINDING_N_CATEGORIES, FALSE);

  return self->enabled[category];
}

/* ------------------------------------------------------------------------------------------ */
/* Candidates: findings of one page while they are merged                                      */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  ScFinding *finding;   /* owned; offsets into the page text */
  guint      sources;   /* SOURCE_BIT of each source that found it */
  GPtrArray *evidence;  /* char*: one explanation step per source, once there are several */
  gboolean   dropped;
} Candidate;

static void
candidate_free (Candidate *c)
{
  g_clear_pointer (&c->finding, sc_finding_unref);
  g_clear_pointer (&c->evidence, g_ptr_array_unref);
  g_free (c);
}

static Candidate *
candidate_new (ScFinding *finding)
{
  Candidate *c = g_new0 (Candidate, 1);

  c->finding = finding;
  c->sources = SOURCE_BIT (finding->source);
  c->evidence = g_ptr_array_new_with_free_func (g_free);
  return c;
}

/* A new finding like @f over [@start, @end) of @text. */
static ScFinding *
finding_copy_span (const ScFinding *f,
                   const char      *text,
                   gsize            start,
                   gsize            end)
{
  g_autofree char *span = g_strndup (text + start, end - start);
  ScFinding *copy = sc_finding_new (f->category, f->label, span, start, end);

  sc_finding_set_value (copy, f->value);
  copy->confidence = f->confidence;
  copy->source = f->source;
  sc_finding_set_explanation (copy, f->explanation);
  for (guint i = 0; f->steps != NULL && i < f->steps->len; i++)
    sc_finding_add_step (copy, g_ptr_array_index (f->steps, i));
  return copy;
}

static void
candidate_replace (Candidate *c,
                   ScFinding *finding)
{
  sc_finding_unref (c->finding);
  c->finding = finding;
}

/* One line saying what @f's own source found. */
static char *
evidence_for (const ScFinding *f)
{
  switch (f->source)
    {
    case SC_FINDING_SOURCE_RULE:
      return g_strdup_printf (_("Rule: %s"), f->explanation);
    case SC_FINDING_SOURCE_MODEL:
      return g_strdup_printf (_("Model: %s, confidence %.2f"),
                              f->label != NULL ? f->label : "?", f->confidence);
    case SC_FINDING_SOURCE_GAZETTEER:
    default:
      return g_strdup_printf (_("Gazetteer: %s"), f->explanation);
    }
}

static gboolean
candidate_has_evidence (Candidate  *c,
                        const char *line)
{
  for (guint i = 0; i < c->evidence->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (c->evidence, i), line))
        return TRUE;
    }
  return FALSE;
}

static void
candidate_add_evidence (Candidate *c,
                        char      *line)
{
  if (candidate_has_evidence (c, line))
    g_free (line);
  else
    g_ptr_array_add (c->evidence, line);
}

/* Two independent sources that agree are surer than either. */
static double
combine_confidence (double a,
                    double b)
{
  return CLAMP (1.0 - (1.0 - a) * (1.0 - b), 0.0, 1.0);
}

/* @winner takes in @loser: the loser's source joins the winner's, and with it one line of
 * evidence each. When @extend, the winner's span grows to cover both. */
static void
candidate_absorb (Candidate  *winner,
                  Candidate  *loser,
                  const char *text,
                  gboolean    extend)
{
  ScFinding *w = winner->finding;
  ScFinding *l = loser->finding;
  gboolean new_source = (loser->sources & ~winner->sources) != 0;

  if (extend && (l->start < w->start || l->end > w->end))
    {
      candidate_replace (winner, finding_copy_span (w, text, MIN (w->start, l->start),
                                                    MAX (w->end, l->end)));
      w = winner->finding;
    }
  if (new_source)
    {
      if (winner->evidence->len == 0)
        candidate_add_evidence (winner, evidence_for (w));
      if (loser->evidence->len == 0)
        candidate_add_evidence (winner, evidence_for (l));
      for (guint i = 0; i < loser->evidence->len; i++)
        candidate_add_evidence (winner, g_strdup (g_ptr_array_index (loser->evidence, i)));
      w->confidence = combine_confidence (w->confidence, l->confidence);
      winner->sources |= loser->sources;
    }
  loser->dropped = TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Merge rules                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static gboolean
only_from (Candidate       *c,
           ScFindingSource  source)
{
  return c->sources == SOURCE_BIT (source);
}

/* Rule > model > gazetteer: whose label, value and explanation a merged finding keeps. */
static int
authority (Candidate *c)
{
  if (c->sources & SOURCE_BIT (SC_FINDING_SOURCE_RULE))
    return 3;
  if (c->sources & SOURCE_BIT (SC_FINDING_SOURCE_MODEL))
    return 2;
  return 1;
}

static gboolean
is_container (const ScFinding *f)
{
  return f->category == SC_FINDING_ADDRESS || f->category == SC_FINDING_DEADLINE ||
         f->category == SC_FINDING_COURT_DECISION;
}

static gboolean
contains (const ScFinding *outer,
          const ScFinding *inner)
{
  return outer->start <= inner->start && inner->end <= outer->end;
}

/* Rule findings a confident model may overrule: patterns without a check digit that names and
 * words in capitals can look like. */
static gboolean
is_weak_rule (const ScFinding *f)
{
  return f->category == SC_FINDING_BIC || f->category == SC_FINDING_LICENSE_PLATE;
}

/* Settles one overlapping pair; @a starts first. */
static void
resolve_pair (Candidate  *a,
              Candidate  *b,
              const char *text)
{
  ScFinding *fa = a->finding, *fb = b->finding;
  Candidate *rule, *model;

  if (fa->category == fb->category)
    {
      /* the rule recognisers settle their own overlaps (addresses keep their parts) */
      if (only_from (a, SC_FINDING_SOURCE_RULE) && only_from (b, SC_FINDING_SOURCE_RULE))
        return;
      if (authority (a) > authority (b) ||
          (authority (a) == authority (b) && fa->confidence >= fb->confidence))
        candidate_absorb (a, b, text, TRUE);
      else
        candidate_absorb (b, a, text, TRUE);
      return;
    }

  /* a gazetteer place on its own yields to anything else */
  if (only_from (a, SC_FINDING_SOURCE_GAZETTEER) || only_from (b, SC_FINDING_SOURCE_GAZETTEER))
    {
      (only_from (a, SC_FINDING_SOURCE_GAZETTEER) ? a : b)->dropped = TRUE;
      return;
    }

  /* a place inside an address is part of it */
  if (fa->category == SC_FINDING_ADDRESS && fb->category == SC_FINDING_LOCATION &&
      contains (fa, fb))
    {
      candidate_absorb (a, b, text, FALSE);
      return;
    }
  if (fb->category == SC_FINDING_ADDRESS && fa->category == SC_FINDING_LOCATION &&
      contains (fb, fa))
    {
      candidate_absorb (b, a, text, FALSE);
      return;
    }

  /* containers keep what lies inside them */
  if ((is_container (fa) && contains (fa, fb)) || (is_container (fb) && contains (fb, fa)))
    return;

  if (a->sources & SOURCE_BIT (SC_FINDING_SOURCE_RULE))
    {
      if (b->sources & SOURCE_BIT (SC_FINDING_SOURCE_RULE))
        return;
      rule = a, model = b;
    }
  else if (b->sources & SOURCE_BIT (SC_FINDING_SOURCE_RULE))
    {
      rule = b, model = a;
    }
  else
    {
      /* two model findings: the surer one */
      (fa->confidence >= fb->confidence ? b : a)->dropped = TRUE;
      return;
    }

  if (is_weak_rule (rule->finding) && model->finding->confidence >= rule->finding->confidence)
    rule->dropped = TRUE;
  else
    model->dropped = TRUE;
}

static int
compare_candidates (gconstpointer pa,
                    gconstpointer pb)
{
  const Candidate *a = *(Candidate *const *) pa;
  const Candidate *b = *(Candidate *const *) pb;

  if (a->finding->start != b->finding->start)
    return a->finding->start < b->finding->start ? -1 : 1;
  if (a->finding->end != b->finding->end)
    return a->finding->end > b->finding->end ? -1 : 1;
  return (int) a->finding->category - (int) b->finding->category;
}

static void
remove_dropped (GPtrArray *candidates)
{
  for (guint i = candidates->len; i-- > 0;)
    {
      Candidate *c = g_ptr_array_index (candidates, i);

      if (c->dropped)
        g_ptr_array_remove_index (candidates, i);
    }
}

/* Resolves every overlap. A merge can widen a finding, so the pass repeats until nothing
 * changes (twice in practice). */
static void
resolve_overlaps (GPtrArray  *candidates,
                  const char *text)
{
  for (guint round = 0; round < 4; round++)
    {
      gboolean changed = FALSE;

      g_ptr_array_sort (candidates, compare_candidates);
      for (guint i = 0; i < candidates->len; i++)
        {
          Candidate *a = g_ptr_array_index (candidates, i);

          for (guint j = i + 1; j < candidates->len && !a->dropped; j++)
            {
              Candidate *b = g_ptr_array_index (candidates, j);
              gsize a_end = a->finding->end;

              if (b->finding->start >= a_end)
                break;
              if (b->dropped)
                continue;
              resolve_pair (a, b, text);
              if (a->dropped || b->dropped)
                changed = TRUE;
            }
        }
      remove_dropped (candidates);
      if (!changed)
        break;
    }
}

/* Only blanks and commas between @from and @to, and at most four of them. */
static gboolean
only_separators (const char *text,
                 gsize       from,
                 gsize       to)
{
  if (to < from || to - from > 4)
    return FALSE;
  for (gsize k = from; k < to; k++)
    {
      if (strchr (" ,\n\t", text[k]) == NULL)
        return FALSE;
    }
  return TRUE;
}

/* A street the model finds followed by a postal code and place the rules find: one address. */
static void
join_model_streets (GPtrArray  *candidates,
                    const char *text)
{
  guint n = candidates->len;

  for (guint i = 0; i < n; i++)
    {
      Candidate *street = g_ptr_array_index (candidates, i);

      if (street->dropped || !only_from (street, SC_FINDING_SOURCE_MODEL) ||
          street->finding->category != SC_FINDING_ADDRESS)
        continue;
      for (guint j = 0; j < n; j++)
        {
          Candidate *place = g_ptr_array_index (candidates, j);
          ScFinding *s = street->finding, *p = place->finding;
          g_autofree char *span = NULL;
          g_autofree char *value = NULL;
          ScFinding *joined;
          Candidate *c;

          if (place->dropped || !only_from (place, SC_FINDING_SOURCE_RULE) ||
              p->category != SC_FINDING_ADDRESS || g_strcmp0 (p->label, "PLZ Ort") != 0 ||
              !only_separators (text, s->end, p->start))
            continue;

          span = g_strndup (text + s->start, p->end - s->start);
          value = g_strdup_printf ("%s, %s", s->text, p->value != NULL ? p->value : p->text);
          joined = sc_finding_new (SC_FINDING_ADDRESS, "Anschrift", span, s->start, p->end);
          sc_finding_set_value (joined, value);
          joined->confidence = combine_confidence (s->confidence, p->confidence);
          joined->source = SC_FINDING_SOURCE_RULE;
          sc_finding_take_explanation (joined,
            g_strdup_printf (_("Postal address: the model recognises the street “%s”, the "
                               "rules the postal code and place “%s”"), s->text, p->text));
          c = candidate_new (joined);
          c->sources = street->sources | place->sources;
          candidate_add_evidence (c, evidence_for (s));
          candidate_add_evidence (c, evidence_for (p));
          street->dropped = place->dropped = TRUE;
          g_ptr_array_add (candidates, c);
          break;
        }
    }
  remove_dropped (candidates);
}

/* ------------------------------------------------------------------------------------------ */
/* Birth dates, gazetteers, model findings                                                     */
/* ------------------------------------------------------------------------------------------ */

static const char *const birth_cues[] = {
  "geboren am", "geboren", "geb. am", "geb.", "geburtsdatum", "geb.-datum", "geburtstag", NULL,
};

/* A full date right after "geboren am", "geb.", "Geburtsdatum:" … is a date of birth. */
static void
mark_birth_dates (GPtrArray  *candidates,
                  const char *text)
{
  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *c = g_ptr_array_index (candidates, i);
      ScFinding *f = c->finding;
      gsize from = f->start > BIRTH_CUE_WINDOW ? f->start - BIRTH_CUE_WINDOW : 0;
      g_autofree char *before = NULL;
      g_autofree char *folded = NULL;
      ScFinding *birth;

      if (f->category != SC_FINDING_DATE || f->value == NULL || strlen (f->value) != 10)
        continue;
      while (from < f->start && ((guchar) text[from] & 0xC0) == 0x80)
        from++;
      before = g_strndup (text + from, f->start - from);
      folded = g_utf8_strdown (before, -1);
      for (guint k = 0; birth_cues[k] != NULL; k++)
        {
          const char *cue = g_strrstr (folded, birth_cues[k]);
          const char *rest;

          if (cue == NULL)
            continue;
          /* nothing but " am", ":" and blanks between the cue and the date */
          rest = cue + strlen (birth_cues[k]);
          while (*rest == ' ' || *rest == ':' || *rest == '\n')
            rest++;
          if (g_str_has_prefix (rest, "am "))
            rest += 3;
          if (*rest != '\0')
            continue;

          birth = finding_copy_span (f, text, f->start, f->end);
          birth->category = SC_FINDING_BIRTH_DATE;
          g_free (birth->label);
          birth->label = g_strdup ("Geburtsdatum");
          sc_finding_take_explanation (birth,
            g_strdup_printf (_("A date after “%s”: a date of birth (%s)"),
                             birth_cues[k], f->explanation));
          candidate_replace (c, birth);
          break;
        }
    }
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalpha (c) || c == '-';
}

static const char *const place_cues[] = { "in", "aus", "nach", "bei", "nahe", NULL };

/* Whether the word right before @pos (and one blank) is one of place_cues. */
static gboolean
word_before_is_cue (const char *text,
                    gsize       pos)
{
  const char *end = text + pos;
  const char *start;
  g_autofree char *word = NULL;

  if (pos == 0 || (end[-1] != ' '))
    return FALSE;
  end--;
  start = end;
  while (start > text)
    {
      const char *prev = g_utf8_prev_char (start);

      if (!g_unichar_isalpha (g_utf8_get_char (prev)))
        break;
      start = prev;
    }
  if (start == end || end - start > 8)
    return FALSE;
  word = g_strndup (start, end - start);
  return g_strv_contains (place_cues, word);
}

/* German place names in running text, where the words around them say they are places
 * ("in Mainz", "aus Bad Kreuznach", "Mainz, den 3. Februar 2025"): many place names are also
 * ordinary words (Essen, Halle, Hof), so a name on its own is not enough. */
static void
find_gazetteer_places (const char *text,
                       GPtrArray  *candidates)
{
  const char *p = text;

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);
      const char *ends[3];
      guint n_ends = 0;
      const char *q = p;
      gboolean at_word_start = p == text ||
        !is_word_char (g_utf8_get_char (g_utf8_prev_char (p)));

      if (!at_word_start || !g_unichar_isupper (c))
        {
          p = g_utf8_next_char (p);
          continue;
        }

      /* up to three words: "Bad Kreuznach", "Frankfurt am Main" */
      while (n_ends < 3)
        {
          while (*q != '\0' && is_word_char (g_utf8_get_char (q)))
            q = g_utf8_next_char (q);
          ends[n_ends++] = q;
          if (*q != ' ' || !g_unichar_isalpha (g_utf8_get_char (q + 1)))
            break;
          q++;
        }

      for (guint k = n_ends; k-- > 0;)
        {
          gsize start = (gsize) (p - text), end = (gsize) (ends[k] - text);
          g_autofree char *name = g_strndup (p, end - start);
          gboolean letter_place = g_str_has_prefix (ends[k], ", den ");
          ScFinding *f;

          if (!(letter_place || word_before_is_cue (text, start)) ||
              !sc_gazetteer_is_place (name))
            continue;
          f = sc_finding_new (SC_FINDING_LOCATION, "Ort", name, start, end);
          f->source = SC_FINDING_SOURCE_GAZETTEER;
          f->confidence = letter_place ? 0.8 : 0.6;
          sc_finding_take_explanation (f,
            g_strdup_printf (_("“%s” is in the list of German places"), name));
          g_ptr_array_add (candidates, candidate_new (f));
          ends[0] = ends[k];
          break;
        }
      p = ends[0];
    }
}

/* The model's places that the gazetteer knows, and its legal norms that name a law the
 * gazetteer knows, are surer. */
static void
confirm_with_gazetteers (GPtrArray *candidates)
{
  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *c = g_ptr_array_index (candidates, i);
      ScFinding *f = c->finding;
      g_autofree char *line = NULL;

      if (!only_from (c, SC_FINDING_SOURCE_MODEL))
        continue;
      if (f->category == SC_FINDING_LOCATION && sc_gazetteer_is_place (f->text))
        {
          line = g_strdup_printf (_("Gazetteer: “%s” is in the list of German places"),
                                  f->text);
        }
      else if (f->category == SC_FINDING_LEGAL_NORM)
        {
          g_auto(GStrv) words = g_strsplit_set (f->text, " \n\t,;()", -1);

          for (guint k = 0; words[k] != NULL && line == NULL; k++)
            {
              const char *law = sc_gazetteer_law_name (words[k]);

              if (law != NULL)
                line = g_strdup_printf (_("Gazetteer: “%s” is the abbreviation of “%s”"),
                                        words[k], law);
            }
        }
      if (line == NULL)
        continue;

      candidate_add_evidence (c, evidence_for (f));
      candidate_add_evidence (c, g_steal_pointer (&line));
      c->sources |= SOURCE_BIT (SC_FINDING_SOURCE_GAZETTEER);
      f->confidence = combine_confidence (f->confidence, 0.5);
    }
}

/* Model findings come from the model with its own wording or none; every finding handed out
 * explains itself. */
static void
explain_model_finding (ScFinding *f)
{
  if (f->explanation != NULL && *f->explanation != '\0')
    return;
  sc_finding_take_explanation (f,
    g_strdup_printf (_("The language model recognises “%s” as %s (%s), with confidence %.2f"),
                     f->text, sc_finding_category_get_display_name (f->category),
                     f->label != NULL ? f->label : "?", f->confidence));
}

/* ------------------------------------------------------------------------------------------ */
/* Pages                                                                                       */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  guint      index;
  char      *text;        /* the page text */
  gsize      length;      /* bytes */
  GArray    *char_boxes;  /* ScRect per code point of text */
  gsize      doc_offset;  /* code points of the document text before this page */
  gsize      n_chars;
  GPtrArray *rules;       /* ScFinding*, offsets into text */
  GPtrArray *model;       /* ScFinding*, offsets into text */
} Page;

static void
page_clear (Page *page)
{
  g_clear_pointer (&page->text, g_free);
  g_clear_pointer (&page->char_boxes, g_array_unref);
  g_clear_pointer (&page->rules, g_ptr_array_unref);
  g_clear_pointer (&page->model, g_ptr_array_unref);
}

static gsize
count_words (const char *text)
{
  gsize n = 0;
  gboolean in_word = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      gboolean blank = g_ascii_isspace (*p);

      if (!blank && !in_word)
        n++;
      in_word = !blank;
    }
  return n;
}

/* The full date of the letter ("Mainz, den 3. Februar 2025", "Datum: 03.02.2025") among
 * @findings, so that deadlines on later pages can count from it. */
static gboolean
find_letter_date (const char *text,
                  GPtrArray  *findings,
                  GDate      *date)
{
  for (guint i = 0; i < findings->len; i++)
    {
      ScFinding *f = g_ptr_array_index (findings, i);
      guint y, m, d;

      if (f->category != SC_FINDING_DATE || f->value == NULL || strlen (f->value) != 10)
        continue;
      if (!((f->start >= 6 && strncmp (text + f->start - 6, ", den ", 6) == 0) ||
            (f->start >= 7 && strncmp (text + f->start - 7, "Datum: ", 7) == 0)))
        continue;
      if (sscanf (f->value, "%4u-%2u-%2u", &y, &m, &d) != 3 ||
          !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
        continue;
      g_date_clear (date, 1);
      g_date_set_dmy (date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
      return TRUE;
    }
  return FALSE;
}

/* Deadlines on a page without a letter date count from the letter's date on an earlier page. */
static void
date_open_deadlines (Page        *page,
                     const GDate *letter_date,
                     guint        letter_page,
                     ScLand       land)
{
  g_autoptr(GPtrArray) redone = NULL;
  g_autofree char *long_date = NULL;
  g_autofree char *step = NULL;
  gboolean open = FALSE;

  for (guint i = 0; i < page->rules->len && !open; i++)
    {
      ScFinding *f = g_ptr_array_index (page->rules, i);

      open = f->category == SC_FINDING_DEADLINE && f->value == NULL;
    }
  if (!open)
    return;

  redone = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_finding_unref);
  sc_deadlines_find (page->text, (gssize) page->length, letter_date, land, redone);
  long_date = sc_date_format_long (letter_date);
  step = g_strdup_printf (_("Counted from the date of the letter on page %u, %s"),
                          letter_page + 1, long_date);
  for (guint i = 0; i < page->rules->len; i++)
    {
      ScFinding *f = g_ptr_array_index (page->rules, i);

      if (f->category != SC_FINDING_DEADLINE || f->value != NULL)
        continue;
      for (guint j = 0; j < redone->len; j++)
        {
          ScFinding *r = g_ptr_array_index (redone, j);

          if (r->start == f->start && r->end == f->end && r->value != NULL)
            {
              sc_finding_add_step (r, step);
              g_ptr_array_index (page->rules, i) = sc_finding_ref (r);
              sc_finding_unref (f);
              break;
            }
        }
    }
}

/* One box per line: the rectangles of consecutive characters on the same line, joined. */
static GArray *
boxes_for_span (GArray *char_boxes,
                gsize   cp_start,
                gsize   cp_end,
                GArray *out)
{
  gboolean open = FALSE;

  for (gsize i = cp_start; i < cp_end && i < char_boxes->len; i++)
    {
      const ScRect *r = &g_array_index (char_boxes, ScRect, i);
      ScRect *last;

      if (r->width <= 0 && r->height <= 0)
        continue;
      last = open ? &g_array_index (out, ScRect, out->len - 1) : NULL;
      if (last != NULL)
        {
          double mid = r->y + r->height / 2;
          double last_mid = last->y + last->height / 2;
          double tolerance = MAX (r->height, last->height) / 2;

          if (ABS (mid - last_mid) <= tolerance && r->x >= last->x - 1)
            {
              double left = MIN (last->x, r->x);
              double top = MIN (last->y, r->y);
              double right = MAX (last->x + last->width, r->x + r->width);
              double bottom = MAX (last->y + last->height, r->y + r->height);

              *last = (ScRect) { left, top, right - left, bottom - top };
              continue;
            }
        }
      g_array_append_val (out, *r);
      open = TRUE;
    }
  return out;
}

static gboolean
has_alnum (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_isalnum (g_utf8_get_char (p)))
        return TRUE;
    }
  return FALSE;
}

/* Merges @rules and @model (ScFinding*, offsets into @text; @model may be NULL) into
 * ScPageFinding* of @page with code-point offsets into @text, sorted by start; neither
 * array nor its findings change. Categories not in @enabled (NULL: all) are left out. */
static GPtrArray *
merge_findings (const char     *text,
                GPtrArray      *rules,
                GPtrArray      *model,
                const gboolean *enabled,
                guint           page)
{
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GPtrArray) findings = g_ptr_array_new ();
  GPtrArray *result;

  candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  result = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_page_finding_unref);
  for (guint i = 0; i < rules->len; i++)
    {
      ScFinding *f = g_ptr_array_index (rules, i);

      /* copies: merging changes confidences and spans */
      g_ptr_array_add (candidates, candidate_new (finding_copy_span (f, text, f->start, f->end)));
    }
  mark_birth_dates (candidates, text);
  for (guint i = 0; model != NULL && i < model->len; i++)
    {
      ScFinding *f = g_ptr_array_index (model, i);
      ScFinding *copy = finding_copy_span (f, text, f->start, f->end);

      explain_model_finding (copy);
      g_ptr_array_add (candidates, candidate_new (copy));
    }
  confirm_with_gazetteers (candidates);
  for (guint i = candidates->len; i-- > 0;)
    {
      Candidate *c = g_ptr_array_index (candidates, i);

      if (only_from (c, SC_FINDING_SOURCE_MODEL) &&
          (c->finding->confidence < MODEL_MIN_CONFIDENCE || !has_alnum (c->finding->text)))
        g_ptr_array_remove_index (candidates, i);
    }
  find_gazetteer_places (text, candidates);

  join_model_streets (candidates, text);
  resolve_overlaps (candidates, text);

  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *c = g_ptr_array_index (candidates, i);
      ScFinding *f;

      if (enabled != NULL && !enabled[c->finding->category])
        continue;

      /* a fresh finding, with the evidence of every source among its steps */
      f = finding_copy_span (c->finding, text, c->finding->start, c->finding->end);
      if (c->evidence->len > 1)
        {
          const char *agree;

          if ((c->sources & SOURCE_BIT (SC_FINDING_SOURCE_RULE)) &&
              (c->sources & SOURCE_BIT (SC_FINDING_SOURCE_MODEL)))
            agree = _("Rules and model agree.");
          else if (c->sources & SOURCE_BIT (SC_FINDING_SOURCE_MODEL))
            agree = _("The gazetteer confirms the model.");
          else
            agree = _("The gazetteer confirms the rules.");
          sc_finding_take_explanation (f,
            g_strdup_printf (g_str_has_suffix (f->explanation, ".") ? "%s %s" : "%s. %s",
                             f->explanation, agree));
          for (guint k = 0; k < c->evidence->len; k++)
            sc_finding_add_step (f, g_ptr_array_index (c->evidence, k));
        }
      g_ptr_array_add (result, page_finding_new (f, page, c->sources));
      g_ptr_array_add (findings, f);
    }

  /* code points, in one pass over the text */
  sc_findings_compute_code_points (findings, text);
  for (guint i = 0; i < result->len; i++)
    {
      ScPageFinding *pf = g_ptr_array_index (result, i);

      pf->doc_start = pf->finding->cp_start;
      pf->doc_end = pf->finding->cp_end;
    }
  return result;
}

GPtrArray *
_sc_analysis_merge (const char *text,
                    GPtrArray  *rules,
                    GPtrArray  *model)
{
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (rules != NULL, NULL);

  return merge_findings (text, rules, model, NULL, 0);
}

/* Merges the findings of @page and appends them to @out, placed in the document. */
static void
merge_page (ScAnalyzer *self,
            Page       *page,
            GPtrArray  *out)
{
  g_autoptr(GPtrArray) merged = merge_findings (page->text, page->rules, page->model,
                                                self->enabled, page->index);

  for (guint i = 0; i < merged->len; i++)
    {
      ScPageFinding *pf = g_ptr_array_index (merged, i);

      pf->doc_start += page->doc_offset;
      pf->doc_end += page->doc_offset;
      boxes_for_span (page->char_boxes, pf->finding->cp_start, pf->finding->cp_end, pf->boxes);
      g_ptr_array_add (out, sc_page_finding_ref (pf));
    }
}

/* Runs the model once over the pages of a batch, joined, and hands each page its findings
 * with offsets into its own text. An entity cannot run across PAGE_SEPARATOR; one that
 * reached into it anyway is cut at the page's end. */
static gboolean
run_model (ScNer         *ner,
           Page          *pages,
           guint          n,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autoptr(GPtrArray) found = NULL;
  g_autofree gsize *starts = g_new (gsize, n);
  guint p = 0;

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (joined, PAGE_SEPARATOR);
      starts[i] = joined->len;
      g_string_append_len (joined, pages[i].text, (gssize) pages[i].length);
      pages[i].model = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_finding_unref);
    }

  found = sc_ner_find (ner, joined->str, cancellable, error);
  if (found == NULL)
    return FALSE;

  for (guint i = 0; i < found->len; i++)
    {
      ScFinding *f = g_ptr_array_index (found, i);
      gsize start, end;
      ScFinding *copy;

      while (p + 1 < n && f->start >= starts[p + 1])
        p++;
      while (p > 0 && f->start < starts[p])
        p--;
      if (f->start < starts[p] || f->start >= starts[p] + pages[p].length)
        continue;
      start = f->start - starts[p];
      end = MIN (f->end - starts[p], pages[p].length);
      while (end > start && g_ascii_isspace (pages[p].text[end - 1]))
        end--;
      if (end <= start)
        continue;
      copy = finding_copy_span (f, pages[p].text, start, end);
      g_ptr_array_add (pages[p].model, copy);
    }
  return TRUE;
}

ScAnalysis *
sc_analyzer_run (ScAnalyzer              *self,
                 ScDocument              *document,
                 ScAnalysisProgressFunc   progress,
                 gpointer                 progress_data,
                 GCancellable            *cancellable,
                 GError                 **error)
{
  g_autoptr(ScAnalysis) analysis = NULL;
  g_autoptr(GTimer) timer = NULL;
  const GDate *reference;
  GDate letter_date;
  guint letter_page = 0;
  guint n_pages;
  gsize doc_offset = 0, n_words = 0;

  g_return_val_if_fail (SC_IS_ANALYZER (self), NULL);
  g_return_val_if_fail (SC_IS_DOCUMENT (document), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n_pages = sc_document_get_n_pages (document);
  analysis = g_new0 (ScAnalysis, 1);
  g_atomic_ref_count_init (&analysis->ref_count);
  analysis->n_pages = n_pages;
  analysis->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_page_finding_unref);
  if (self->ner != NULL)
    {
      analysis->model_name = g_strdup (sc_ner_get_name (self->ner));
      analysis->model_version = g_strdup (sc_ner_get_version (self->ner));
    }

  reference = g_date_valid (&self->reference) ? &self->reference : NULL;
  g_date_clear (&letter_date, 1);
  timer = g_timer_new ();

  for (guint first = 0; first < n_pages; first += PAGES_PER_BATCH)
    {
      guint n = MIN (PAGES_PER_BATCH, n_pages - first);
      Page pages[PAGES_PER_BATCH] = { { 0 } };
      gboolean ok = TRUE;

      for (guint i = 0; i < n && ok; i++)
        {
          Page *page = &pages[i];

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            {
              ok = FALSE;
              break;
            }
          page->index = first + i;
          page->char_boxes = sc_document_get_page_layout (document, page->index, &page->text);
          page->length = strlen (page->text);
          page->n_chars = page->char_boxes->len;
          page->doc_offset = doc_offset;
          /* each page is followed by a form feed in the document text */
          doc_offset += page->n_chars + 1;
          n_words += count_words (page->text);

          page->rules = sc_recognize (page->text, (gssize) page->length, reference, self->land,
                                      SC_RECOGNIZE_DEFAULT, error);
          if (page->rules == NULL)
            {
              g_prefix_error (error, _("Page %u: "), page->index + 1);
              ok = FALSE;
              break;
            }
          if (reference == NULL)
            {
              if (find_letter_date (page->text, page->rules, &letter_date))
                letter_page = page->index;
              else if (g_date_valid (&letter_date))
                date_open_deadlines (page, &letter_date, letter_page, self->land);
            }
        }

      if (ok && self->ner != NULL)
        ok = run_model (self->ner, pages, n, cancellable, error);

      for (guint i = 0; i < n && ok; i++)
        merge_page (self, &pages[i], analysis->findings);
      for (guint i = 0; i < n; i++)
        page_clear (&pages[i]);
      if (!ok)
        return NULL;

      if (progress != NULL)
        progress (first + n, n_pages, n_words / MAX (g_timer_elapsed (timer, NULL), 1e-6),
                  progress_data);
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return g_steal_pointer (&analysis);
}

/* ------------------------------------------------------------------------------------------ */
/* Async                                                                                       */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  ScDocument             *document;
  ScAnalysisProgressFunc  progress;
  gpointer                progress_data;
  GMainContext           *context;     /* the caller's, where progress is reported */
  GTask                  *task;        /* unowned */
} RunData;

typedef struct
{
  GTask *task;
  guint  pages_done;
  guint  n_pages;
  double words_per_second;
} ProgressReport;

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->document);
  g_clear_pointer (&data->context, g_main_context_unref);
  g_free (data);
}

static gboolean
report_progress (gpointer user_data)
{
  ProgressReport *report = user_data;
  RunData *data = g_task_get_task_data (report->task);

  /* a report still queued when the task finished is old news */
  if (!g_task_get_completed (report->task))
    data->progress (report->pages_done, report->n_pages, report->words_per_second,
                    data->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_report_free (ProgressReport *report)
{
  g_object_unref (report->task);
  g_free (report);
}

static void
forward_progress (guint    pages_done,
                  guint    n_pages,
                  double   words_per_second,
                  gpointer user_data)
{
  RunData *data = user_data;
  ProgressReport *report = g_new0 (ProgressReport, 1);

  report->task = g_object_ref (data->task);
  report->pages_done = pages_done;
  report->n_pages = n_pages;
  report->words_per_second = words_per_second;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, report_progress, report,
                              (GDestroyNotify) progress_report_free);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *data = task_data;
  GError *error = NULL;
  ScAnalysis *analysis;

  analysis = sc_analyzer_run (SC_ANALYZER (source_object), data->document,
                              data->progress != NULL ? forward_progress : NULL, data,
                              cancellable, &error);
  if (analysis == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, analysis, (GDestroyNotify) sc_analysis_unref);
}

void
sc_analyzer_run_async (ScAnalyzer             *self,
                       ScDocument             *document,
                       ScAnalysisProgressFunc  progress,
                       gpointer                progress_data,
                       GCancellable           *cancellable,
                       GAsyncReadyCallback     callback,
                       gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (SC_IS_ANALYZER (self));
  g_return_if_fail (SC_IS_DOCUMENT (document));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_analyzer_run_async);
  g_task_set_name (task, "sc_analyzer_run_async");

  data = g_new0 (RunData, 1);
  data->document = g_object_ref (document);
  data->progress = progress;
  data->progress_data = progress_data;
  data->context = g_main_context_ref_thread_default ();
  data->task = task;
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_thread);
}

ScAnalysis *
sc_analyzer_run_finish (ScAnalyzer    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (SC_IS_ANALYZER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sc_analyzer_run_async, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
