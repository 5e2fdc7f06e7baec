/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-compare.c: compare mode (ScComparison): paragraphs, their alignment, word-level
 * changes that turn one text into the other, findings linked across the draft and the final
 * Bescheid and across Bescheid and Widerspruch of the sample case, empty input, and the
 * `compare` subcommand of sichtung-cli. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <string.h>

#include "sichtung-core.h"
#include "sc-test-util.h"

/* ---- Helpers ----------------------------------------------------------------------------- */

static ScDocument *
open_sample (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = sc_test_sample_file (name);
  ScDocument *document = sc_document_new_from_file (file, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (document);
  return document;
}

static char *
range_text (ScComparison         *comparison,
            ScCompareSide         side,
            const ScCompareRange *range)
{
  return g_strndup (sc_comparison_get_text (comparison, side) + range->start,
                    range->end - range->start);
}

static char *
paragraph_text (ScComparison  *comparison,
                ScCompareSide  side,
                guint          index)
{
  GArray *paragraphs = sc_comparison_get_paragraphs (comparison, side);

  g_assert_cmpuint (index, <, paragraphs->len);
  return range_text (comparison, side,
                     &g_array_index (paragraphs, ScCompareParagraph, index).range);
}

/* @text without any blank. */
static char *
strip_blanks (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        g_string_append_unichar (out, g_utf8_get_char (p));
    }
  return g_string_free (out, FALSE);
}

/* Applies the changes to A's text: each range of A replaced by the range of B. The result,
 * blanks aside, must be B's text. Also checks the offsets (code points against bytes). */
static void
assert_changes_rebuild_b (ScComparison *comparison)
{
  const char *a = sc_comparison_get_text (comparison, SC_COMPARE_SIDE_A);
  const char *b = sc_comparison_get_text (comparison, SC_COMPARE_SIDE_B);
  GArray *changes = sc_comparison_get_changes (comparison);
  g_autoptr(GString) rebuilt = g_string_new (NULL);
  g_autofree char *expected = strip_blanks (b);
  g_autofree char *got = NULL;
  gsize at = 0;

  for (guint c = 0; c < changes->len; c++)
    {
      const ScCompareChange *change = &g_array_index (changes, ScCompareChange, c);

      g_assert_cmpuint (change->a.start, <=, change->a.end);
      g_assert_cmpuint (change->b.start, <=, change->b.end);
      g_assert_cmpuint ((gsize) g_utf8_strlen (a, (gssize) change->a.start), ==,
                        change->a.cp_start);
      g_assert_cmpuint ((gsize) g_utf8_strlen (b, (gssize) change->b.end), ==,
                        change->b.cp_end);
      switch (change->kind)
        {
        case SC_COMPARE_ADDED:
          g_assert_cmpuint (change->a.start, ==, change->a.end);
          g_assert_cmpuint (change->b.start, <, change->b.end);
          break;
        case SC_COMPARE_REMOVED:
          g_assert_cmpuint (change->a.start, <, change->a.end);
          g_assert_cmpuint (change->b.start, ==, change->b.end);
          break;
        case SC_COMPARE_CHANGED:
        default:
          g_assert_cmpuint (change->a.start, <, change->a.end);
          g_assert_cmpuint (change->b.start, <, change->b.end);
          break;
        }
      /* in the order of A */
      g_assert_cmpuint (change->a.start, >=, at);
      g_string_append_len (rebuilt, a + at, (gssize) (change->a.start - at));
      g_string_append_len (rebuilt, b + change->b.start,
                           (gssize) (change->b.end - change->b.start));
      at = change->a.end;
    }
  g_string_append (rebuilt, a + at);
  got = strip_blanks (rebuilt->str);
  g_assert_cmpstr (got, ==, expected);
}

/* The first change whose texts contain @in_a and @in_b (either may be NULL for any). */
static const ScCompareChange *
find_change (ScComparison        *comparison,
             ScCompareChangeKind  kind,
             const char          *in_a,
             const char          *in_b)
{
  GArray *changes = sc_comparison_get_changes (comparison);

  for (guint c = 0; c < changes->len; c++)
    {
      const ScCompareChange *change = &g_array_index (changes, ScCompareChange, c);
      g_autofree char *text_a = range_text (comparison, SC_COMPARE_SIDE_A, &change->a);
      g_autofree char *text_b = range_text (comparison, SC_COMPARE_SIDE_B, &change->b);

      if (change->kind == kind && (in_a == NULL || strstr (text_a, in_a) != NULL)
          && (in_b == NULL || strstr (text_b, in_b) != NULL))
        return change;
    }
  return NULL;
}

/* ---- Paragraphs -------------------------------------------------------------------------- */

static void
test_paragraphs (void)
{
  const char *text =
    "Kreisverwaltung Musterkreis\nAm Schlossplatz 7\n\n"
    "Sehr geehrte Frau Mustermann,\n\n"
    "Sie haben am 12. Dezember 2024 Wohngeld beantragt, geboren am\n"
    "14. März 2012 ist Ihr Sohn.\n"
    "1. Der Antrag wird abgelehnt.\n"
    "2. Dieser Bescheid ergeht kostenfrei.\n"
    "Begründung\n"
    "Das Einkommen ist zu hoch.\f"
    "Seite zwei beginnt hier.\n";
  g_autoptr(ScComparison) comparison = sc_compare_texts (text, text);
  GArray *paragraphs = sc_comparison_get_paragraphs (comparison, SC_COMPARE_SIDE_A);
  const char *const expected[] = {
    "Kreisverwaltung Musterkreis\nAm Schlossplatz 7",
    "Sehr geehrte Frau Mustermann,",
    "Sie haben am 12. Dezember 2024 Wohngeld beantragt, geboren am\n14. März 2012 ist Ihr Sohn.",
    "1. Der Antrag wird abgelehnt.",
    "2. Dieser Bescheid ergeht kostenfrei.",
    "Begründung",
    "Das Einkommen ist zu hoch.",
    "Seite zwei beginnt hier.",
  };
  ScCompareStats stats;

  g_assert_cmpuint (paragraphs->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < paragraphs->len; i++)
    {
      g_autofree char *got = paragraph_text (comparison, SC_COMPARE_SIDE_A, i);
      const ScCompareParagraph *p = &g_array_index (paragraphs, ScCompareParagraph, i);

      g_assert_cmpstr (got, ==, expected[i]);
      g_assert_cmpuint (p->range.page, ==, i == paragraphs->len - 1 ? 1 : 0);
      g_assert_cmpint (p->counterpart, ==, (int) i);
    }
  g_assert_cmpuint (g_array_index (paragraphs, ScCompareParagraph, 1).n_words, ==, 4);

  /* identical texts: every paragraph matched, nothing changed */
  sc_comparison_get_stats (comparison, &stats);
  g_assert_cmpuint (stats.paragraphs_matched, ==, paragraphs->len);
  g_assert_cmpuint (stats.paragraphs_identical, ==, paragraphs->len);
  g_assert_cmpuint (sc_comparison_get_changes (comparison)->len, ==, 0);

  /* scrolling: the paragraph at a code point */
  g_assert_cmpint (sc_comparison_find_paragraph (comparison, SC_COMPARE_SIDE_A, 0), ==, 0);
  g_assert_cmpint (sc_comparison_find_paragraph (comparison, SC_COMPARE_SIDE_A,
                                                 g_array_index (paragraphs, ScCompareParagraph,
                                                                3).range.cp_start + 2), ==, 3);
}

/* ---- Alignment --------------------------------------------------------------------------- */

static void
test_alignment (void)
{
  const char *a =
    "Erster Absatz über die Wohnung in der Lindenstraße und ihre Miete.\n\n"
    "Zweiter Absatz: das Einkommen des Haushalts wird nach dem Gesetz berechnet.\n\n"
    "Dritter Absatz, der im zweiten Text fehlt, weil er gestrichen wurde.\n\n"
    "Vierter Absatz mit der Rechtsbehelfsbelehrung und der Frist von einem Monat.\n\n"
    "Fünfter Absatz wandert ans Ende des Schreibens, ohne sich zu ändern.\n\n"
    "Sechster Absatz mit Grüßen und der Unterschrift der Sachbearbeitung.\n";
  const char *b =
    "Erster Absatz über die Wohnung in der Lindenstraße und ihre Miete.\n\n"
    "Zweiter Absatz: das monatliche Einkommen des Haushalts wird nach dem Wohngeldgesetz "
    "berechnet.\n\n"
    "Ganz neuer Absatz über Kinderbetreuungskosten, die abzuziehen sind.\n\n"
    "Vierter Absatz mit der Rechtsbehelfsbelehrung und der Frist von einem Monat.\n\n"
    "Sechster Absatz mit Grüßen und der Unterschrift der Sachbearbeitung.\n\n"
    "Fünfter Absatz wandert ans Ende des Schreibens, ohne sich zu ändern.\n";
  g_autoptr(ScComparison) comparison = sc_compare_texts (a, b);
  GArray *rows = sc_comparison_get_alignment (comparison);
  int last_a = -1, last_b = -1;
  guint seen_a = 0, seen_b = 0;
  gboolean moved = FALSE;
  ScCompareStats stats;

  /* monotone, every paragraph once */
  for (guint r = 0; r < rows->len; r++)
    {
      const ScCompareRow *row = &g_array_index (rows, ScCompareRow, r);

      g_assert_true (row->a >= 0 || row->b >= 0);
      if (row->a >= 0)
        {
          g_assert_cmpint (row->a, ==, last_a + 1);
          last_a = row->a;
          seen_a++;
        }
      if (row->b >= 0)
        {
          g_assert_cmpint (row->b, ==, last_b + 1);
          last_b = row->b;
          seen_b++;
        }
      if (row->a >= 0 && row->b >= 0)
        {
          g_assert_cmpfloat (row->similarity, >=, SC_COMPARE_MIN_SIMILARITY);
          g_assert_cmpfloat (row->similarity, <=, 1.0);
        }
      /* the fifth paragraph moved to the end */
      if (row->a == 4 && row->b < 0)
        {
          g_assert_cmpint (row->moved, ==, 5);
          moved = TRUE;
        }
    }
  g_assert_cmpuint (seen_a, ==, 6);
  g_assert_cmpuint (seen_b, ==, 6);
  g_assert_true (moved);

  /* first, second (changed), fourth and sixth matched */
  for (guint r = 0; r < rows->len; r++)
    {
      const ScCompareRow *row = &g_array_index (rows, ScCompareRow, r);

      if (row->a == 0 || row->a == 3)
        g_assert_cmpint (row->b, ==, row->a);
      if (row->a == 1)
        {
          g_assert_cmpint (row->b, ==, 1);
          g_assert_cmpfloat (row->similarity, <, 1.0);
        }
      if (row->a == 5)
        g_assert_cmpint (row->b, ==, 4);
      if (row->a == 2)
        g_assert_cmpint (row->b, ==, -1);
    }

  sc_comparison_get_stats (comparison, &stats);
  g_assert_cmpuint (stats.paragraphs_matched, ==, 4);
  g_assert_cmpuint (stats.paragraphs_identical, ==, 3);
  g_assert_cmpuint (stats.paragraphs_removed, ==, 2);
  g_assert_cmpuint (stats.paragraphs_added, ==, 2);
  g_assert_cmpuint (stats.paragraphs_moved, ==, 1);

  g_assert_nonnull (find_change (comparison, SC_COMPARE_ADDED, NULL, "monatliche"));
  g_assert_nonnull (find_change (comparison, SC_COMPARE_CHANGED, "Gesetz", "Wohngeldgesetz"));
  g_assert_nonnull (find_change (comparison, SC_COMPARE_REMOVED, "Dritter Absatz", NULL));
  g_assert_nonnull (find_change (comparison, SC_COMPARE_ADDED, NULL, "Ganz neuer Absatz"));
  assert_changes_rebuild_b (comparison);
}

/* ---- Word diff --------------------------------------------------------------------------- */

static void
test_word_diff (void)
{
  const char *a = "Das monatliche Gesamteinkommen beträgt 3.214,50 EUR. Es übersteigt die "
                  "Höchstbeträge nach § 14 Abs. 1 WoGG.\n";
  /* other line breaks and blanks, one amount changed, words added and removed */
  const char *b = "Das monatliche   Gesamteinkommen\nbeträgt 3.412,50 EUR. Es übersteigt damit "
                  "die Höchstbeträge nach § 14 WoGG.\n";
  g_autoptr(ScComparison) comparison = sc_compare_texts (a, b);
  GArray *changes = sc_comparison_get_changes (comparison);
  const ScCompareChange *change;
  g_autofree char *text = NULL;
  ScCompareStats stats;

  g_assert_cmpuint (changes->len, ==, 3);
  change = find_change (comparison, SC_COMPARE_CHANGED, NULL, NULL);
  g_assert_nonnull (change);
  text = range_text (comparison, SC_COMPARE_SIDE_A, &change->a);
  g_assert_cmpstr (text, ==, "3.214,50");
  g_clear_pointer (&text, g_free);
  text = range_text (comparison, SC_COMPARE_SIDE_B, &change->b);
  g_assert_cmpstr (text, ==, "3.412,50");
  g_clear_pointer (&text, g_free);

  change = find_change (comparison, SC_COMPARE_ADDED, NULL, NULL);
  text = range_text (comparison, SC_COMPARE_SIDE_B, &change->b);
  g_assert_cmpstr (text, ==, "damit");
  g_clear_pointer (&text, g_free);
  /* its place in A: right after "übersteigt" */
  g_assert_cmpuint (change->a.start, ==, strstr (a, "übersteigt") - a + strlen ("übersteigt"));

  change = find_change (comparison, SC_COMPARE_REMOVED, NULL, NULL);
  text = range_text (comparison, SC_COMPARE_SIDE_A, &change->a);
  g_assert_cmpstr (text, ==, "Abs. 1");

  sc_comparison_get_stats (comparison, &stats);
  g_assert_cmpuint (stats.words_added, ==, 1);
  g_assert_cmpuint (stats.words_removed, ==, 2);
  g_assert_cmpuint (stats.words_changed, ==, 1);
  g_assert_cmpuint (stats.words_changed_to, ==, 1);
  assert_changes_rebuild_b (comparison);
}

/* Random edits of a random text: the changes always turn A into B. */
static void
test_word_diff_random (void)
{
  const char *const words[] = { "der", "Antrag", "wird", "abgelehnt", "§", "14", "WoGG", ".",
                                ",", "Frau", "Mustermann", "3.412,50", "EUR", "(", ")" };
  GRand *rand = g_rand_new_with_seed (20250203);

  for (guint round = 0; round < 200; round++)
    {
      g_autoptr(GString) a = g_string_new (NULL);
      g_autoptr(GString) b = g_string_new (NULL);
      g_autoptr(ScComparison) comparison = NULL;
      guint n = (guint) g_rand_int_range (rand, 0, 60);

      for (guint i = 0; i < n; i++)
        {
          const char *word = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];
          int edit = g_rand_int_range (rand, 0, 10);
          const char *sep = g_rand_int_range (rand, 0, 12) == 0 ? "\n\n" : " ";

          if (edit != 0)
            g_string_append_printf (a, "%s%s", word, sep);
          if (edit != 1)
            g_string_append_printf (b, "%s%s", edit == 2 ? words[(i * 7) % G_N_ELEMENTS (words)]
                                                         : word, sep);
        }
      comparison = sc_compare_texts (a->str, b->str);
      assert_changes_rebuild_b (comparison);
    }
  g_rand_free (rand);
}

/* ---- The sample case --------------------------------------------------------------------- */

static ScAnalysis *
analyze (ScDocument *document)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScAnalyzer) analyzer = sc_analyzer_new ();
  ScAnalysis *analysis;

  sc_analyzer_set_ner (analyzer, NULL);
  analysis = sc_analyzer_run (analyzer, document, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return analysis;
}

/* Whether a link joins a finding of @category in A whose text contains @text_a with one in B
 * whose text contains @text_b. */
static gboolean
linked (GArray            *links,
        GPtrArray         *findings_a,
        GPtrArray         *findings_b,
        ScFindingCategory  category,
        const char        *text_a,
        const char        *text_b)
{
  for (guint l = 0; l < links->len; l++)
    {
      const ScCompareLink *link = &g_array_index (links, ScCompareLink, l);
      const ScPageFinding *fa = g_ptr_array_index (findings_a, link->a);
      const ScPageFinding *fb = g_ptr_array_index (findings_b, link->b);

      if (fa->finding->category == category && fb->finding->category == category
          && strstr (fa->finding->text, text_a) != NULL
          && strstr (fb->finding->text, text_b) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_sample_draft (void)
{
  g_autoptr(ScDocument) draft = open_sample ("03-bescheid-entwurf.txt");
  g_autoptr(ScDocument) final = open_sample ("03-bescheid.txt");
  g_autoptr(ScComparison) comparison = NULL;
  g_autoptr(ScAnalysis) analysis_a = NULL;
  g_autoptr(ScAnalysis) analysis_b = NULL;
  g_autoptr(GArray) links = NULL;
  g_autoptr(GError) error = NULL;
  const ScCompareChange *change;
  ScCompareStats stats;

  comparison = sc_compare_documents (draft, final, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (comparison);

  change = find_change (comparison, SC_COMPARE_CHANGED, "3.214,50", "3.412,50");
  g_assert_nonnull (change);
  g_assert_cmpuint (change->a.page, ==, 0);
  g_assert_nonnull (find_change (comparison, SC_COMPARE_CHANGED, "Musterman", "Mustermann"));
  g_assert_nonnull (find_change (comparison, SC_COMPARE_CHANGED, "28", "3"));
  change = find_change (comparison, SC_COMPARE_ADDED, NULL,
                        "Anspruch auf Wohngeld besteht daher nicht");
  g_assert_nonnull (change);
  assert_changes_rebuild_b (comparison);

  sc_comparison_get_stats (comparison, &stats);
  g_test_message ("draft → final: %u paragraphs matched (%u unchanged), %u removed, %u added; "
                  "words %u removed, %u added, %u changed", stats.paragraphs_matched,
                  stats.paragraphs_identical, stats.paragraphs_removed, stats.paragraphs_added,
                  stats.words_removed, stats.words_added, stats.words_changed);
  g_assert_cmpuint (stats.paragraphs_matched, >, stats.paragraphs_a / 2);

  /* the same people, norms and case number in both versions */
  analysis_a = analyze (draft);
  analysis_b = analyze (final);
  links = sc_compare_link_findings (sc_analysis_get_findings (analysis_a),
                                    sc_analysis_get_findings (analysis_b));
  g_assert_true (linked (links, sc_analysis_get_findings (analysis_a),
                         sc_analysis_get_findings (analysis_b), SC_FINDING_LEGAL_NORM,
                         "§ 14", "§ 14"));
  g_assert_true (linked (links, sc_analysis_get_findings (analysis_a),
                         sc_analysis_get_findings (analysis_b), SC_FINDING_CASE_NUMBER,
                         "4.2-WG-1187/2025", "4.2-WG-1187/2025"));
  g_assert_false (linked (links, sc_analysis_get_findings (analysis_a),
                          sc_analysis_get_findings (analysis_b), SC_FINDING_LEGAL_NORM,
                          "§ 14", "§ 4 "));
}

static void
test_sample_links (void)
{
  g_autoptr(ScDocument) bescheid = open_sample ("03-bescheid.txt");
  g_autoptr(ScDocument) widerspruch = open_sample ("04-widerspruch.txt");
  g_autoptr(ScAnalysis) analysis_a = analyze (bescheid);
  g_autoptr(ScAnalysis) analysis_b = analyze (widerspruch);
  GPtrArray *fa = sc_analysis_get_findings (analysis_a);
  GPtrArray *fb = sc_analysis_get_findings (analysis_b);
  g_autoptr(GArray) links = sc_compare_link_findings (fa, fb);

  for (guint l = 0; l < links->len; l++)
    {
      const ScCompareLink *link = &g_array_index (links, ScCompareLink, l);
      const ScPageFinding *a = g_ptr_array_index (fa, link->a);
      const ScPageFinding *b = g_ptr_array_index (fb, link->b);

      g_test_message ("%s: “%s” ↔ “%s”",
                      sc_finding_category_to_string (a->finding->category), a->finding->text,
                      b->finding->text);
      g_assert_cmpint (a->finding->category, ==, b->finding->category);
      if (l > 0)
        g_assert_cmpuint (g_array_index (links, ScCompareLink, l - 1).a, <=, link->a);
    }

  g_assert_true (linked (links, fa, fb, SC_FINDING_PERSON, "Erika Mustermann",
                         "Erika Mustermann"));
  g_assert_true (linked (links, fa, fb, SC_FINDING_CASE_NUMBER, "4.2-WG-1187/2025",
                         "4.2-WG-1187/2025"));
  g_assert_true (linked (links, fa, fb, SC_FINDING_IBAN, "DE89", "DE89"));
  /* "Herr Beispiel" in the Widerspruch is Jonas Beispiel of the Bescheid */
  g_assert_true (linked (links, fa, fb, SC_FINDING_PERSON, "Jonas Beispiel", "Beispiel"));

  /* every norm cited in both is linked; different norms are not */
  for (guint i = 0; i < fa->len; i++)
    {
      const ScPageFinding *a = g_ptr_array_index (fa, i);

      if (a->finding->category != SC_FINDING_LEGAL_NORM)
        continue;
      for (guint j = 0; j < fb->len; j++)
        {
          const ScPageFinding *b = g_ptr_array_index (fb, j);
          gboolean same, found = FALSE;

          if (b->finding->category != SC_FINDING_LEGAL_NORM)
            continue;
          same = g_strcmp0 (a->finding->value, b->finding->value) == 0;
          for (guint l = 0; l < links->len; l++)
            found |= g_array_index (links, ScCompareLink, l).a == i
                     && g_array_index (links, ScCompareLink, l).b == j;
          g_assert_cmpint (found, ==, same);
        }
    }
}

/* Surname alone on one side, the full name on the other; other categories never mix. */
static void
test_link_rules (void)
{
  static const char text_a[] = "Frau Erika  Mustermann wohnt in Mainz.\n"
                               "Aktenzeichen 4.2-WG-1187/2025\n";
  static const char text_b[] = "Sehr geehrte Frau Mustermann,\nAz. 4.2-WG-1187/2025\n";
  g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_page_finding_unref);
  g_autoptr(GPtrArray) b = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_page_finding_unref);
  g_autoptr(ScAnalysis) analysis_a = NULL;
  g_autoptr(ScAnalysis) analysis_b = NULL;
  g_autoptr(GArray) links = NULL;
  g_autoptr(GArray) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes_a = g_bytes_new_static (text_a, strlen (text_a));
  g_autoptr(GBytes) bytes_b = g_bytes_new_static (text_b, strlen (text_b));
  g_autoptr(ScDocument) doc_a = sc_document_new_from_bytes (bytes_a, "a.txt", NULL, &error);
  g_autoptr(ScDocument) doc_b = NULL;

  g_assert_no_error (error);
  doc_b = sc_document_new_from_bytes (bytes_b, "b.txt", NULL, &error);
  g_assert_no_error (error);
  analysis_a = analyze (doc_a);
  analysis_b = analyze (doc_b);
  links = sc_compare_link_findings (sc_analysis_get_findings (analysis_a),
                                    sc_analysis_get_findings (analysis_b));
  g_assert_true (linked (links, sc_analysis_get_findings (analysis_a),
                         sc_analysis_get_findings (analysis_b), SC_FINDING_PERSON,
                         "Erika", "Mustermann"));
  g_assert_true (linked (links, sc_analysis_get_findings (analysis_a),
                         sc_analysis_get_findings (analysis_b), SC_FINDING_CASE_NUMBER,
                         "1187", "1187"));

  none = sc_compare_link_findings (a, b);
  g_assert_cmpuint (none->len, ==, 0);
}

/* ---- Bad input --------------------------------------------------------------------------- */

static void
test_empty (void)
{
  const char *const texts[] = { NULL, "", " \n\n\f\f \n", "Nur ein Absatz.\n",
                                "\xff\xfe kaputt \xc3\n" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    for (guint j = 0; j < G_N_ELEMENTS (texts); j++)
      {
        g_autoptr(ScComparison) comparison = sc_compare_texts (texts[i], texts[j]);
        ScCompareStats stats;

        g_assert_nonnull (comparison);
        sc_comparison_get_stats (comparison, &stats);
        g_assert_cmpuint (stats.paragraphs_matched + stats.paragraphs_removed, ==,
                          stats.paragraphs_a);
        g_assert_cmpuint (stats.paragraphs_matched + stats.paragraphs_added, ==,
                          stats.paragraphs_b);
        g_assert_cmpint (sc_comparison_find_paragraph (comparison, SC_COMPARE_SIDE_A, 0), <=, 0);
        assert_changes_rebuild_b (comparison);
      }

  /* one side empty: all of the other added */
  {
    g_autoptr(ScComparison) comparison = sc_compare_texts ("", "Ein Absatz.\n\nNoch einer.\n");
    GArray *changes = sc_comparison_get_changes (comparison);

    g_assert_cmpuint (changes->len, ==, 2);
    g_assert_cmpint (g_array_index (changes, ScCompareChange, 0).kind, ==, SC_COMPARE_ADDED);
    g_assert_cmpuint (g_array_index (changes, ScCompareChange, 0).a.start, ==, 0);
  }
}

/* ---- Speed ------------------------------------------------------------------------------- */

static void
test_speed (void)
{
  g_autoptr(GString) a = g_string_new (NULL);
  g_autoptr(GString) b = g_string_new (NULL);
  g_autoptr(GBytes) bytes_a = NULL;
  g_autoptr(GBytes) bytes_b = NULL;
  g_autoptr(ScDocument) doc_a = NULL;
  g_autoptr(ScDocument) doc_b = NULL;
  g_autoptr(ScComparison) comparison = NULL;
  g_autoptr(GError) error = NULL;
  ScCompareStats stats;
  gint64 start;

  /* about 100 pages each: 1,500 paragraphs of 40 words, every 10th one edited */
  for (guint i = 0; i < 1500; i++)
    {
      g_autoptr(GString) p = g_string_new (NULL);

      for (guint w = 0; w < 40; w++)
        g_string_append_printf (p, "wort%u%s", (i * 31 + w * 17) % 997, w % 12 == 11 ? "\n" : " ");
      g_string_append_printf (a, "Absatz %u: %s.\n\n", i, p->str);
      if (i % 10 == 3)
        g_string_append_printf (b, "Absatz %u: %s geändert.\n\n", i, p->str);
      else if (i % 10 != 7)
        g_string_append_printf (b, "Absatz %u: %s.\n\n", i, p->str);
    }
  bytes_a = g_string_free_to_bytes (g_steal_pointer (&a));
  bytes_b = g_string_free_to_bytes (g_steal_pointer (&b));
  doc_a = sc_document_new_from_bytes (bytes_a, "a.txt", NULL, &error);
  g_assert_no_error (error);
  doc_b = sc_document_new_from_bytes (bytes_b, "b.txt", NULL, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  comparison = sc_compare_documents (doc_a, doc_b, NULL, &error);
  g_assert_no_error (error);
  sc_comparison_get_stats (comparison, &stats);
  g_test_message ("%u and %u pages, %u and %u paragraphs compared in %.0f ms",
                  sc_document_get_n_pages (doc_a), sc_document_get_n_pages (doc_b),
                  stats.paragraphs_a, stats.paragraphs_b,
                  (g_get_monotonic_time () - start) / 1000.0);
  /* at least the 150 paragraphs left out; paragraphs broken by a page at different places
   * in the two texts add some more */
  g_assert_cmpuint (stats.paragraphs_removed, >=, 150);
  g_assert_cmpuint (stats.paragraphs_matched, >=, 1200);
  assert_changes_rebuild_b (comparison);
}

static void
test_cancel (void)
{
  g_autoptr(ScDocument) a = open_sample ("03-bescheid-entwurf.txt");
  g_autoptr(ScDocument) b = open_sample ("03-bescheid.txt");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ScComparison) comparison = NULL;

  g_cancellable_cancel (cancellable);
  comparison = sc_compare_documents (a, b, cancellable, &error);
  g_assert_null (comparison);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ---- sichtung-cli compare ---------------------------------------------------------------- */

/* A strict JSON syntax check: TRUE when [*p, …) holds one value. */
static gboolean
json_value (const char **p)
{
  while (g_ascii_isspace (**p))
    (*p)++;
  if (**p == '{' || **p == '[')
    {
      char close = **p == '{' ? '}' : ']';
      gboolean object = **p == '{', first = TRUE;

      (*p)++;
      for (;;)
        {
          while (g_ascii_isspace (**p))
            (*p)++;
          if (**p == close)
            {
              (*p)++;
              return TRUE;
            }
          if (!first)
            {
              if (**p != ',')
                return FALSE;
              (*p)++;
              while (g_ascii_isspace (**p))
                (*p)++;
            }
          first = FALSE;
          if (object)
            {
              if (**p != '"' || !json_value (p))
                return FALSE;
              while (g_ascii_isspace (**p))
                (*p)++;
              if (**p != ':')
                return FALSE;
              (*p)++;
            }
          if (!json_value (p))
            return FALSE;
        }
    }
  if (**p == '"')
    {
      for ((*p)++; **p != '"'; (*p)++)
        {
          if (**p == '\0' || (guchar) **p < 0x20)
            return FALSE;
          if (**p == '\\')
            (*p)++;
        }
      (*p)++;
      return TRUE;
    }
  if (g_str_has_prefix (*p, "true") || g_str_has_prefix (*p, "null"))
    {
      *p += 4;
      return TRUE;
    }
  if (g_str_has_prefix (*p, "false"))
    {
      *p += 5;
      return TRUE;
    }
  {
    char *end = NULL;

    g_ascii_strtod (*p, &end);
    if (end == *p)
      return FALSE;
    *p = end;
    return TRUE;
  }
}

static void
run_cli (const char *const  *args,
         char              **out,
         char              **err,
         int                *status)
{
  *status = sc_test_run_cli ("compare", args, out, err);
}

static void
test_cli (void)
{
  g_autoptr(GFile) draft = sc_test_sample_file ("03-bescheid-entwurf.txt");
  g_autoptr(GFile) final = sc_test_sample_file ("03-bescheid.txt");
  g_autofree char *draft_path = g_file_get_path (draft);
  g_autofree char *final_path = g_file_get_path (final);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *p;
  int status = 0;

  run_cli ((const char *const[]) { draft_path, final_path, "--json", "--no-model", NULL },
           &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  p = out;
  g_assert_true (json_value (&p));
  while (g_ascii_isspace (*p))
    p++;
  g_assert_cmpint (*p, ==, '\0');
  g_assert_nonnull (strstr (out, "\"alignment\""));
  g_assert_nonnull (strstr (out, "\"changes\""));
  g_assert_nonnull (strstr (out, "\"links\""));
  g_assert_nonnull (strstr (out, "\"text\": \"3.412,50\""));
  g_assert_nonnull (strstr (out, "\"model\": null"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  run_cli ((const char *const[]) { draft_path, final_path, NULL }, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "“3.214,50” → “3.412,50”"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* one file only, and a missing one: one line on stderr */
  run_cli ((const char *const[]) { draft_path, NULL }, &out, &err, &status);
  g_assert_cmpint (status, !=, 0);
  g_assert_true (g_str_has_prefix (err, "sichtung-cli: "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  run_cli ((const char *const[]) { draft_path, "/nonexistent/fehlt.pdf", NULL }, &out, &err,
           &status);
  g_assert_cmpint (status, !=, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "sichtung-cli: "));
  g_assert_cmpuint (strchr (err, '\n') - err + 1, ==, strlen (err));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sichtung/compare/paragraphs", test_paragraphs);
  g_test_add_func ("/sichtung/compare/alignment", test_alignment);
  g_test_add_func ("/sichtung/compare/word-diff", test_word_diff);
  g_test_add_func ("/sichtung/compare/word-diff-random", test_word_diff_random);
  g_test_add_func ("/sichtung/compare/sample-draft", test_sample_draft);
  g_test_add_func ("/sichtung/compare/sample-links", test_sample_links);
  g_test_add_func ("/sichtung/compare/link-rules", test_link_rules);
  g_test_add_func ("/sichtung/compare/empty", test_empty);
  g_test_add_func ("/sichtung/compare/speed", test_speed);
  g_test_add_func ("/sichtung/compare/cancel", test_cancel);
  g_test_add_func ("/sichtung/compare/cli", test_cli);

  return g_test_run ();
}
