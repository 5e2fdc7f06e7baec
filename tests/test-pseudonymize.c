/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-pseudonymize.c: pseudonymised text (sc_pseudonymize()) on the sample case, with and
 * without the findings model; one placeholder per entity, surnames and first names linked to
 * full names, roles kept, overlapping findings, names at the edges of the text, umlauts, the
 * key; and the `pseudonymize` subcommand of sichtung-cli. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "sichtung-core.h"
#include "sc-analysis.h"
#include "sc-pseudonymize.h"
#include "sc-test-util.h"

static char *tmp_dir; /* one directory for the whole run, removed at the end */

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static char *
sample_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "samples", name, NULL);
}

static ScNer *
load_default_ner (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = sc_ner_find_default_model ();
  g_autoptr(ScBackend) backend = NULL;
  ScNer *ner;

  if (path == NULL)
    return NULL;
  backend = sc_backend_cpu_new ();
  ner = sc_ner_load (path, backend, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ner);
  return ner;
}

/* The text and the analysis of sample @name. */
static ScAnalysis *
analyze_sample (const char  *name,
                ScNer       *ner,
                char       **text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = sample_path (name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ScDocument) document = sc_document_new_from_file (file, NULL, NULL, &error);
  g_autoptr(ScAnalyzer) analyzer = sc_analyzer_new ();
  ScAnalysis *analysis;

  g_assert_no_error (error);
  sc_analyzer_set_ner (analyzer, ner);
  analysis = sc_analyzer_run (analyzer, document, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  *text = sc_document_get_text (document);
  return analysis;
}

/* A finding of @category over the @nth (0-based) occurrence of @span in @text, positioned as
 * the analysis positions findings. */
static void
add_finding (GPtrArray         *findings,
             const char        *text,
             const char        *span,
             guint              nth,
             ScFindingCategory  category,
             const char        *value)
{
  const char *at = strstr (text, span);
  ScPageFinding *pf;

  for (guint i = 0; i < nth && at != NULL; i++)
    at = strstr (at + 1, span);
  g_assert_nonnull (at);
  pf = g_new0 (ScPageFinding, 1);
  g_atomic_ref_count_init (&pf->ref_count);
  pf->finding = sc_finding_new (category, NULL, span, (gsize) (at - text),
                                (gsize) (at - text) + strlen (span));
  sc_finding_set_value (pf->finding, value);
  sc_finding_compute_code_points (pf->finding, text);
  pf->doc_start = pf->finding->cp_start;
  pf->doc_end = pf->finding->cp_end;
  pf->sources = 1u << SC_FINDING_SOURCE_MODEL;
  pf->boxes = g_array_new (FALSE, FALSE, sizeof (ScRect));
  g_ptr_array_add (findings, pf);
}

static GPtrArray *
findings_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) sc_page_finding_unref);
}

static ScPseudonymization *
pseudonymize (const char          *text,
              GPtrArray           *findings,
              guint                categories,
              ScPseudonymizeFlags  flags)
{
  g_autoptr(GError) error = NULL;
  ScPseudonymization *result = sc_pseudonymize (text, findings, categories, flags, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

/* The @number-th entity of @category. */
static ScPseudonym *
pseudonym (ScPseudonymization *result,
           ScFindingCategory   category,
           guint               number)
{
  GPtrArray *pseudonyms = sc_pseudonymization_get_pseudonyms (result);

  for (guint i = 0; i < pseudonyms->len; i++)
    {
      ScPseudonym *p = g_ptr_array_index (pseudonyms, i);

      if (p->category == category && p->number == number)
        return p;
    }
  g_assert_not_reached ();
}

static const char *
placeholder (ScPseudonymization *result,
             ScFindingCategory   category,
             guint               number)
{
  return pseudonym (result, category, number)->placeholder;
}

/* The placeholder that replaced @original somewhere, or NULL. */
static const char *
placeholder_of (ScPseudonymization *result,
                const char         *original)
{
  GPtrArray *pseudonyms = sc_pseudonymization_get_pseudonyms (result);

  for (guint i = 0; i < pseudonyms->len; i++)
    {
      ScPseudonym *p = g_ptr_array_index (pseudonyms, i);

      for (guint k = 0; k < p->originals->len; k++)
        {
          if (g_str_equal (g_ptr_array_index (p->originals, k), original))
            return p->placeholder;
        }
    }
  return NULL;
}

/* @format with each "%s" taken in turn from the NULL-terminated placeholders. */
static char *
expand (const char *format,
        ...)
{
  GString *out = g_string_new (NULL);
  va_list args;

  va_start (args, format);
  for (const char *p = format; *p != '\0'; p++)
    {
      if (p[0] == '%' && p[1] == 's')
        {
          g_string_append (out, va_arg (args, const char *));
          p++;
        }
      else
        {
          g_string_append_c (out, *p);
        }
    }
  va_end (args);
  return g_string_free (out, FALSE);
}

/* The replacements lie where they say, in both texts, and the key's originals put back in
 * their places give @text again; the key names every original, the summary none. */
static void
assert_maps_back (const char         *text,
                  ScPseudonymization *result)
{
  const char *out = sc_pseudonymization_get_text (result);
  GArray *replacements = sc_pseudonymization_get_replacements (result);
  GPtrArray *pseudonyms = sc_pseudonymization_get_pseudonyms (result);
  g_autoptr(GString) restored = g_string_new (NULL);
  g_autofree char *key = sc_pseudonymization_to_key_json (result);
  g_autofree char *summary = NULL;
  ScJsonWriter *w = sc_json_writer_new (FALSE);
  gsize out_cp = 0, in_cp = 0;
  const char *p = out;

  for (guint i = 0; i < replacements->len; i++)
    {
      const ScPseudonymReplacement *r = &g_array_index (replacements, ScPseudonymReplacement, i);
      ScPseudonym *pseudonym = g_ptr_array_index (pseudonyms, r->pseudonym);
      const char *original = g_ptr_array_index (pseudonym->originals, r->original);
      const char *at = g_utf8_offset_to_pointer (out, (glong) r->out_start);
      const char *in_at = g_utf8_offset_to_pointer (text, (glong) r->start);

      g_assert_cmpuint (r->out_start, >=, out_cp);
      g_assert_cmpuint (r->start - in_cp, ==, r->out_start - out_cp);
      g_assert_cmpuint (r->out_end - r->out_start, ==, g_utf8_strlen (pseudonym->placeholder, -1));
      g_assert_cmpuint (r->end - r->start, ==, g_utf8_strlen (original, -1));
      g_assert_true (strncmp (at, pseudonym->placeholder, strlen (pseudonym->placeholder)) == 0);
      g_assert_true (strncmp (in_at, original, strlen (original)) == 0);

      g_string_append_len (restored, p, at - p);
      g_string_append (restored, original);
      p = at + strlen (pseudonym->placeholder);
      out_cp = r->out_end;
      in_cp = r->end;
    }
  g_string_append (restored, p);
  g_assert_cmpstr (restored->str, ==, text);

  g_assert_true (g_str_has_prefix (key, "{"));
  for (guint i = 0; i < pseudonyms->len; i++)
    {
      ScPseudonym *pseudonym = g_ptr_array_index (pseudonyms, i);

      g_assert_cmpuint (pseudonym->occurrences, >=, 1);
      g_assert_nonnull (strstr (key, pseudonym->placeholder));
      for (guint k = 0; k < pseudonym->originals->len; k++)
        {
          g_autoptr(GString) quoted = g_string_new (NULL);

          sc_json_escape_string (quoted, g_ptr_array_index (pseudonym->originals, k));
          g_assert_nonnull (strstr (key, quoted->str));
        }
    }

  sc_pseudonymization_write_json (result, w, FALSE);
  summary = sc_json_writer_free_to_string (w);
  for (guint i = 0; i < pseudonyms->len; i++)
    {
      ScPseudonym *pseudonym = g_ptr_array_index (pseudonyms, i);

      g_assert_nonnull (strstr (summary, pseudonym->placeholder));
      for (guint k = 0; k < pseudonym->originals->len; k++)
        g_assert_null (strstr (summary, g_ptr_array_index (pseudonym->originals, k)));
    }
}

/* Every person, address and IBAN finding of @analysis is replaced where it was found, and
 * its text is nowhere in the output, nor any word of a person's name. (An "address" the model
 * takes from an ordinary word such as "WoGG" is replaced where it was found, not everywhere:
 * the check of the text leaves addresses without a digit out.) */
static void
assert_nothing_left (ScAnalysis         *analysis,
                     ScPseudonymization *result)
{
  GPtrArray *findings = sc_analysis_get_findings (analysis);
  GArray *replacements = sc_pseudonymization_get_replacements (result);
  const char *out = sc_pseudonymization_get_text (result);

  for (guint i = 0; i < findings->len; i++)
    {
      ScPageFinding *pf = g_ptr_array_index (findings, i);
      ScFinding *f = pf->finding;
      g_auto(GStrv) words = NULL;
      gboolean replaced = FALSE;

      if (f->category != SC_FINDING_PERSON && f->category != SC_FINDING_ADDRESS &&
          f->category != SC_FINDING_IBAN)
        continue;
      for (guint r = 0; r < replacements->len && !replaced; r++)
        {
          const ScPseudonymReplacement *rep =
            &g_array_index (replacements, ScPseudonymReplacement, r);

          /* a name is replaced without the role or form of address around it */
          replaced = rep->start < pf->doc_end && rep->end > pf->doc_start;
        }
      if (!replaced)
        g_error ("“%s” was not replaced", f->text);
      if (f->category == SC_FINDING_ADDRESS && strpbrk (f->text, "0123456789") == NULL)
        continue;
      if (g_strstr_len (out, -1, f->text) != NULL)
        g_error ("“%s” is still in the text", f->text);
      if (f->category != SC_FINDING_PERSON)
        continue;
      words = g_strsplit_set (f->text, " \n", -1);
      for (guint w = 0; words[w] != NULL; w++)
        {
          if (strlen (words[w]) > 2 && g_strstr_len (out, -1, words[w]) != NULL)
            g_error ("the name word “%s” is still in the text", words[w]);
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The sample case                                                                             */
/* ------------------------------------------------------------------------------------------ */

static void
check_samples (ScNer *ner)
{
  g_autofree char *text3 = NULL, *text4 = NULL, *expected = NULL;
  g_autoptr(ScAnalysis) analysis3 = analyze_sample ("03-bescheid.txt", ner, &text3);
  g_autoptr(ScAnalysis) analysis4 = analyze_sample ("04-widerspruch.txt", ner, &text4);
  g_autoptr(ScPseudonymization) result3 =
    pseudonymize (text3, sc_analysis_get_findings (analysis3),
                  sc_pseudonymize_default_categories (), SC_PSEUDONYMIZE_DEFAULT);
  g_autoptr(ScPseudonymization) result4 =
    pseudonymize (text4, sc_analysis_get_findings (analysis4),
                  sc_pseudonymize_default_categories (), SC_PSEUDONYMIZE_DEFAULT);
  const char *out3 = sc_pseudonymization_get_text (result3);
  const char *out4 = sc_pseudonymization_get_text (result4);
  const char *erika, *jonas, *paul, *iban;

  assert_nothing_left (analysis3, result3);
  assert_nothing_left (analysis4, result4);
  assert_maps_back (text3, result3);
  assert_maps_back (text4, result4);

  /* nothing of the persons, their address, account and tax identifier is left */
  for (guint i = 0; i < 2; i++)
    {
      const char *out = i == 0 ? out3 : out4;

      g_assert_null (strstr (out, "Erika"));
      g_assert_null (strstr (out, "Mustermann"));
      g_assert_null (strstr (out, "Jonas"));
      g_assert_null (strstr (out, "Paul"));
      g_assert_null (strstr (out, "Lindenstraße"));
      g_assert_null (strstr (out, "DE89"));
      g_assert_null (strstr (out, "86095742719"));
      g_assert_null (strstr (out, "14. März 2012"));
      /* what is not personal stays */
      g_assert_nonnull (strstr (out, "WoGG"));
      g_assert_nonnull (strstr (out, "Wohngeld"));
      g_assert_nonnull (strstr (out, "4.2-WG-1187/2025"));
    }

  /* 03: one placeholder for Erika Mustermann, in the address block and in the salutation;
   * roles and forms of address kept */
  erika = placeholder_of (result3, "Erika Mustermann");
  jonas = placeholder_of (result3, "Jonas Beispiel");
  paul = placeholder_of (result3, "Paul Mustermann");
  g_assert_nonnull (erika);
  g_assert_nonnull (jonas);
  g_assert_nonnull (paul);
  g_assert_cmpstr (erika, !=, paul);
  g_assert_cmpstr (erika, ==, placeholder (result3, SC_FINDING_PERSON, 1));
  g_assert_cmpstr (placeholder_of (result3, "Mustermann"), ==, erika);
  g_free (expected);
  expected = expand ("Frau\n%s\n", erika, NULL);
  g_assert_nonnull (strstr (out3, expected));
  g_free (expected);
  expected = expand ("Sehr geehrte Frau %s,", erika, NULL);
  g_assert_nonnull (strstr (out3, expected));
  g_free (expected);
  expected = expand ("Sachbearbeitung: Herr %s, Telefon", jonas, NULL);
  g_assert_nonnull (strstr (out3, expected));
  g_free (expected);
  expected = expand ("Ihren Sohn %s,", paul, NULL);
  g_assert_nonnull (strstr (out3, expected));
  g_free (expected);
  expected = expand ("Im Auftrag\n\n%s\n", jonas, NULL);
  g_assert_nonnull (strstr (out3, expected));
  /* the authority's address twice, once behind a line break: one placeholder */
  g_assert_cmpuint (pseudonym (result3, SC_FINDING_ADDRESS, 1)->occurrences, ==, 2);
  iban = placeholder (result3, SC_FINDING_IBAN, 1);
  g_free (expected);
  expected = expand ("(IBAN %s)", iban, NULL);
  g_assert_nonnull (strstr (out3, expected));

  /* 04: the name at the very start (a finding only with the model, a name word of the
   * signature without it) and in the signature: the same placeholder */
  erika = placeholder_of (result4, "Erika Mustermann");
  g_assert_nonnull (erika);
  g_assert_true (g_str_has_prefix (out4, erika));
  g_free (expected);
  expected = expand ("Mit freundlichen Grüßen\n\n%s\n", erika, NULL);
  g_assert_nonnull (strstr (out4, expected));
  g_assert_nonnull (strstr (out4, "sehr geehrter Herr ["));
  g_assert_nonnull (strstr (out4, "meinen Sohn ["));
  g_free (expected);
  expected = expand ("Konto IBAN %s.", placeholder (result4, SC_FINDING_IBAN, 1), NULL);
  g_assert_nonnull (strstr (out4, expected));
}

static void
test_samples (void)
{
  check_samples (NULL);
}

static void
test_samples_model (void)
{
  g_autoptr(ScNer) ner = load_default_ner ();

  if (ner == NULL)
    {
      g_test_skip ("no findings model is installed");
      return;
    }
  check_samples (ner);
}

/* ------------------------------------------------------------------------------------------ */
/* Hand-made texts                                                                             */
/* ------------------------------------------------------------------------------------------ */

/* A surname alone, a first name alone, a genitive and roles in and around the findings. */
static void
test_linking (void)
{
  const char *text = "Die Klägerin Erika Mustermann beantragt Wohngeld. Frau Mustermann, die "
                     "Antragstellerin, wohnt mit Herrn Paul Mustermann zusammen. Erika "
                     "unterschreibt. Herr Beispiel (Sachbearbeiter) prüft zum Beispiel die "
                     "Mustermanns Unterlagen. Der Kläger schweigt.";
  g_autoptr(GPtrArray) findings = findings_new ();
  g_autoptr(ScPseudonymization) result = NULL;
  g_autoptr(ScPseudonymization) without = NULL;
  g_autofree char *expected = NULL;
  const char *p1, *p2, *p3;

  /* roles inside the findings, as a model may give them */
  add_finding (findings, text, "Klägerin Erika Mustermann", 0, SC_FINDING_PERSON, NULL);
  add_finding (findings, text, "Mustermann", 1, SC_FINDING_PERSON, NULL);
  add_finding (findings, text, "Paul Mustermann", 0, SC_FINDING_PERSON, NULL);
  add_finding (findings, text, "Beispiel (Sachbearbeiter)", 0, SC_FINDING_PERSON, NULL);
  add_finding (findings, text, "Kläger", 1, SC_FINDING_PERSON, NULL);

  result = pseudonymize (text, findings, sc_pseudonymize_default_categories (),
                         SC_PSEUDONYMIZE_DEFAULT);
  p1 = placeholder (result, SC_FINDING_PERSON, 1);
  p2 = placeholder (result, SC_FINDING_PERSON, 2);
  p3 = placeholder (result, SC_FINDING_PERSON, 3);
  expected = expand ("Die Klägerin %s beantragt Wohngeld. Frau %s, die Antragstellerin, wohnt "
                     "mit Herrn %s zusammen. %s unterschreibt. Herr %s (Sachbearbeiter) prüft "
                     "zum Beispiel die %s Unterlagen. Der Kläger schweigt.",
                     p1, p1, p2, p1, p3, p1, NULL);
  g_assert_cmpstr (sc_pseudonymization_get_text (result), ==, expected);
  g_assert_cmpuint (sc_pseudonymization_get_pseudonyms (result)->len, ==, 3);
  g_assert_cmpuint (pseudonym (result, SC_FINDING_PERSON, 1)->occurrences, ==, 4);
  assert_maps_back (text, result);

  /* "Frau" and "Herr" replaced too, on request; roles still kept */
  without = pseudonymize (text, findings, sc_pseudonymize_default_categories (),
                          SC_PSEUDONYMIZE_REPLACE_HONORIFICS);
  g_free (expected);
  expected = expand ("Die Klägerin %s beantragt Wohngeld. %s, die Antragstellerin, wohnt "
                     "mit %s zusammen. %s unterschreibt. %s (Sachbearbeiter) prüft "
                     "zum Beispiel die %s Unterlagen. Der Kläger schweigt.",
                     p1, p1, p2, p1, p3, p1, NULL);
  g_assert_cmpstr (sc_pseudonymization_get_text (without), ==, expected);
  assert_maps_back (text, without);
}

/* Where several persons share a surname, the form of address decides. */
static void
test_shared_surname (void)
{
  const char *text = "Herr Max Mustermann und Frau Erika Mustermann. Später schrieb "
                     "Frau Mustermann an Herrn Mustermann.";
  g_autoptr(GPtrArray) findings = findings_new ();
  g_autoptr(ScPseudonymization) result = NULL;
  g_autofree char *expected = NULL;

  add_finding (findings, text, "Max Mustermann", 0, SC_FINDING_PERSON, NULL);
  add_finding (findings, text, "Erika Mustermann", 0, SC_FINDING_PERSON, NULL);
  add_finding (findings, text, "Mustermann", 2, SC_FINDING_PERSON, NULL);
  add_finding (findings, text, "Mustermann", 3, SC_FINDING_PERSON, NULL);
  result = pseudonymize (text, findings, sc_pseudonymize_default_categories (),
                         SC_PSEUDONYMIZE_DEFAULT);
  expected = expand ("Herr %s und Frau %s. Später schrieb Frau %s an Herrn %s.",
                     placeholder (result, SC_FINDING_PERSON, 1),
                     placeholder (result, SC_FINDING_PERSON, 2),
                     placeholder (result, SC_FINDING_PERSON, 2),
                     placeholder (result, SC_FINDING_PERSON, 1), NULL);
  g_assert_cmpstr (sc_pseudonymization_get_text (result), ==, expected);
}

/* Overlapping findings: one placeholder for the merged span, the longest decides. */
static void
test_overlap (void)
{
  const char *text = "Konto DE89 3704 0044 0532 0130 00 von Erika Mustermann, Lindenstraße 12, "
                     "55118 Mainz. Erneut: DE89 3704 0044 0532 0130 00.";
  g_autoptr(GPtrArray) findings = findings_new ();
  g_autoptr(ScPseudonymization) result = NULL;
  g_autofree char *expected = NULL;
  guint categories = sc_pseudonymize_default_categories () |
                     SC_PSEUDONYMIZE_CATEGORY (SC_FINDING_LOCATION);

  add_finding (findings, text, "DE89 3704 0044 0532 0130 00", 0, SC_FINDING_IBAN,
               "DE89370400440532013000");
  add_finding (findings, text, "DE89 3704", 0, SC_FINDING_ORGANISATION, NULL);
  add_finding (findings, text, "3704 0044", 0, SC_FINDING_PHONE, NULL);
  add_finding (findings, text, "Erika Mustermann", 0, SC_FINDING_PERSON, NULL);
  add_finding (findings, text, "Mustermann", 0, SC_FINDING_PERSON, NULL);
  add_finding (findings, text, "Lindenstraße 12", 0, SC_FINDING_ADDRESS, NULL);
  add_finding (findings, text, "12, 55118 Mainz", 0, SC_FINDING_ADDRESS, NULL);
  add_finding (findings, text, "Mainz", 0, SC_FINDING_LOCATION, NULL);

  result = pseudonymize (text, findings, categories, SC_PSEUDONYMIZE_DEFAULT);
  /* the second IBAN was no finding: found again by its text */
  expected = expand ("Konto %s von %s, %s. Erneut: %s.",
                     placeholder (result, SC_FINDING_IBAN, 1),
                     placeholder (result, SC_FINDING_PERSON, 1),
                     placeholder (result, SC_FINDING_ADDRESS, 1),
                     placeholder (result, SC_FINDING_IBAN, 1), NULL);
  g_assert_cmpstr (sc_pseudonymization_get_text (result), ==, expected);
  g_assert_cmpuint (sc_pseudonymization_get_pseudonyms (result)->len, ==, 3);
  g_assert_cmpuint (sc_pseudonymization_get_replacements (result)->len, ==, 4);
  assert_maps_back (text, result);
}

/* Names at the very start and end, multibyte characters, and an unfound full name. */
static void
test_edges (void)
{
  const char *text = "Jürgen Müller-Lüdenscheidt grüßt Frau Ölçek. Die Ölçeks danken "
                     "Herrn Müller-Lüdenscheidt.\nJürgen Müller-Lüdenscheidt";
  g_autoptr(GPtrArray) findings = findings_new ();
  g_autoptr(ScPseudonymization) result = NULL;
  g_autofree char *expected = NULL;
  const char *p1, *p2;

  add_finding (findings, text, "Jürgen Müller-Lüdenscheidt", 1, SC_FINDING_PERSON, NULL);
  add_finding (findings, text, "Ölçek", 0, SC_FINDING_PERSON, NULL);
  result = pseudonymize (text, findings, sc_pseudonymize_default_categories (),
                         SC_PSEUDONYMIZE_DEFAULT);
  p1 = placeholder (result, SC_FINDING_PERSON, 1);
  p2 = placeholder (result, SC_FINDING_PERSON, 2);
  expected = expand ("%s grüßt Frau %s. Die %s danken Herrn %s.\n%s", p1, p2, p2, p1, p1, NULL);
  g_assert_cmpstr (sc_pseudonymization_get_text (result), ==, expected);
  assert_maps_back (text, result);
}

/* Only the chosen categories; no findings; empty text; bad input is an error, not a crash. */
static void
test_inputs (void)
{
  const char *text = "Erika Mustermann, IBAN DE89 3704 0044 0532 0130 00";
  g_autoptr(GPtrArray) findings = findings_new ();
  g_autoptr(GPtrArray) none = findings_new ();
  g_autoptr(ScPseudonymization) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  add_finding (findings, text, "Erika Mustermann", 0, SC_FINDING_PERSON, NULL);
  add_finding (findings, text, "DE89 3704 0044 0532 0130 00", 0, SC_FINDING_IBAN,
               "DE89370400440532013000");
  result = pseudonymize (text, findings, SC_PSEUDONYMIZE_CATEGORY (SC_FINDING_IBAN),
                         SC_PSEUDONYMIZE_DEFAULT);
  expected = expand ("Erika Mustermann, IBAN %s", placeholder (result, SC_FINDING_IBAN, 1),
                     NULL);
  g_assert_cmpstr (sc_pseudonymization_get_text (result), ==, expected);
  g_clear_pointer (&result, sc_pseudonymization_unref);

  result = pseudonymize (text, NULL, sc_pseudonymize_default_categories (),
                         SC_PSEUDONYMIZE_DEFAULT);
  g_assert_cmpstr (sc_pseudonymization_get_text (result), ==, text);
  g_clear_pointer (&result, sc_pseudonymization_unref);

  result = pseudonymize ("", none, sc_pseudonymize_default_categories (),
                         SC_PSEUDONYMIZE_DEFAULT);
  g_assert_cmpstr (sc_pseudonymization_get_text (result), ==, "");
  g_assert_cmpuint (sc_pseudonymization_get_pseudonyms (result)->len, ==, 0);
  g_assert_cmpuint (sc_pseudonymization_get_replacements (result)->len, ==, 0);
  g_clear_pointer (&result, sc_pseudonymization_unref);

  /* findings of another text */
  result = sc_pseudonymize ("", findings, sc_pseudonymize_default_categories (),
                            SC_PSEUDONYMIZE_DEFAULT, &error);
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_assert_null (result);
  g_clear_error (&error);
  result = sc_pseudonymize ("Max Mustermann, IBAN DE89 3704 0044 0532 0130 00", findings,
                            sc_pseudonymize_default_categories (), SC_PSEUDONYMIZE_DEFAULT,
                            &error);
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_assert_null (result);
  g_clear_error (&error);

  /* not UTF-8 */
  result = sc_pseudonymize ("M\xfcller", NULL, sc_pseudonymize_default_categories (),
                            SC_PSEUDONYMIZE_DEFAULT, &error);
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_assert_null (result);
}

/* ------------------------------------------------------------------------------------------ */
/* sichtung-cli pseudonymize                                                                   */
/* ------------------------------------------------------------------------------------------ */

static void
run_cli (const char *const  *args,
         char              **out,
         char              **err,
         int                *status)
{
  *status = sc_test_run_cli ("pseudonymize", args, out, err);
}

static void
test_cli (void)
{
  g_autofree char *sample = sample_path ("04-widerspruch.txt");
  g_autofree char *out_path = g_build_filename (tmp_dir, "pseudonym.txt", NULL);
  g_autofree char *key_path = g_build_filename (tmp_dir, "key.json", NULL);
  g_autofree char *written = NULL, *key = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL, *err = NULL;
  GStatBuf st;
  int status = 0;

  /* the text on stdout */
  run_cli ((const char *const[]) { sample, "--no-model", NULL }, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Nachzahlung auf mein Konto IBAN ["));
  g_assert_null (strstr (out, "Mustermann"));
  g_assert_null (strstr (out, "DE89"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* text and key to files, the summary as JSON: originals only in the key */
  run_cli ((const char *const[]) { sample, "--no-model", "-o", out_path, "--key", key_path,
                                   "--json", NULL }, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (out, "{"));
  g_assert_nonnull (strstr (out, "\"pseudonyms\""));
  g_assert_nonnull (strstr (out, "\"category\": \"person\""));
  g_assert_nonnull (strstr (out, "\"occurrences\""));
  g_assert_null (strstr (out, "Mustermann"));
  g_assert_null (strstr (out, "\"originals\""));
  g_file_get_contents (out_path, &written, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (written, "Mustermann"));
  g_assert_nonnull (strstr (written, "Widerspruch gegen den Bescheid"));
  g_file_get_contents (key_path, &key, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (key, "\"Erika Mustermann\""));
  g_assert_nonnull (strstr (key, "\"originals\""));
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* only the IBAN */
  run_cli ((const char *const[]) { sample, "--no-model", "--categories", "iban", NULL },
           &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Erika Mustermann"));
  g_assert_null (strstr (out, "DE89"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* mistakes: one line on stderr, non-zero status, nothing on stdout */
  run_cli ((const char *const[]) { sample, "--no-model", "--categories", "persons", NULL },
           &out, &err, &status);
  g_assert_cmpint (status, !=, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "sichtung-cli: "));
  g_assert_cmpuint (strchr (err, '\n') - err + 1, ==, strlen (err));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  run_cli ((const char *const[]) { sample, "--no-model", "-o", key_path, "--key", key_path,
                                   NULL }, &out, &err, &status);
  g_assert_cmpint (status, !=, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "sichtung-cli: "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("sichtung-pseudonymize-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/sichtung/pseudonymize/samples", test_samples);
  g_test_add_func ("/sichtung/pseudonymize/samples-model", test_samples_model);
  g_test_add_func ("/sichtung/pseudonymize/linking", test_linking);
  g_test_add_func ("/sichtung/pseudonymize/shared-surname", test_shared_surname);
  g_test_add_func ("/sichtung/pseudonymize/overlap", test_overlap);
  g_test_add_func ("/sichtung/pseudonymize/edges", test_edges);
  g_test_add_func ("/sichtung/pseudonymize/inputs", test_inputs);
  g_test_add_func ("/sichtung/pseudonymize/cli", test_cli);

  result = g_test_run ();
  sc_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return result;
}
