/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-analysis.c: the analysis pipeline (ScAnalyzer) on the sample case of data/samples, as
 * text files and as a PDF written with cairo; page layout boxes; documents without findings;
 * cancellation; rules-only runs; the model's findings when a model is installed; and the
 * `analyze` subcommand of sichtung-cli. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <string.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <glib/gstdio.h>

#include "sichtung-core.h"
#include "sc-analysis.h"
#include "sc-analysis-private.h"
#include "sc-test-util.h"

#define A4_WIDTH    595.276
#define A4_HEIGHT   841.89
#define PDF_LEFT    60.0   /* x of every line in write_pdf() */
#define PDF_TOP     70.0   /* baseline of the first line of a page */
#define PDF_LEADING 14.0
#define PDF_SIZE    10.0
#define PDF_LINES   50     /* lines per page */

static char *tmp_dir; /* one directory for the whole run, removed at the end */

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static char *
sample_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "samples", name, NULL);
}

static char *
read_sample (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = sample_path (name);
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static ScDocument *
open_path (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  ScDocument *document = sc_document_new_from_file (file, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (document);
  return document;
}

static ScDocument *
open_sample (const char *name)
{
  g_autofree char *path = sample_path (name);

  return open_path (path);
}

static ScDocument *
open_text (const char *name,
           const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return open_path (path);
}

/* Writes @text line by line into an A4 PDF, PDF_LINES lines a page, and returns its path. The
 * baseline of line i of a page is at PDF_TOP + i * PDF_LEADING from the top. */
static char *
write_pdf (const char *name,
           const char *text)
{
  char *path = g_build_filename (tmp_dir, name, NULL);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  cairo_surface_t *surface = cairo_pdf_surface_create (path, A4_WIDTH, A4_HEIGHT);
  cairo_t *cr = cairo_create (surface);
  guint line = 0;

  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, PDF_SIZE);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (line == PDF_LINES)
        {
          cairo_show_page (cr);
          line = 0;
        }
      if (*lines[i] != '\0')
        {
          cairo_move_to (cr, PDF_LEFT, PDF_TOP + line * PDF_LEADING);
          cairo_show_text (cr, lines[i]);
        }
      line++;
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return path;
}

static ScAnalysis *
analyze (ScDocument *document,
         ScNer      *ner)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScAnalyzer) analyzer = sc_analyzer_new ();
  ScAnalysis *analysis;

  sc_analyzer_set_ner (analyzer, ner);
  analysis = sc_analyzer_run (analyzer, document, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (analysis);
  g_assert_cmpuint (sc_analysis_get_n_pages (analysis), ==, sc_document_get_n_pages (document));
  return analysis;
}

/* The first finding of @category whose text (blanks folded) contains @text, or NULL. */
static ScPageFinding *
find (ScAnalysis        *analysis,
      ScFindingCategory  category,
      const char        *text)
{
  GPtrArray *findings = sc_analysis_get_findings (analysis);

  for (guint i = 0; i < findings->len; i++)
    {
      ScPageFinding *pf = g_ptr_array_index (findings, i);
      g_autofree char *folded = g_strdup (pf->finding->text);

      g_strdelimit (folded, "\n\t", ' ');
      if (pf->finding->category == category && strstr (folded, text) != NULL)
        return pf;
    }
  return NULL;
}

/* Every finding explains itself, its offsets agree with the document text, and its boxes lie
 * on its page. */
static void
assert_well_formed (ScDocument *document,
                    ScAnalysis *analysis)
{
  GPtrArray *findings = sc_analysis_get_findings (analysis);
  g_autofree char *doc_text = sc_document_get_text (document);
  g_autofree gunichar *chars = g_utf8_to_ucs4_fast (doc_text, -1, NULL);
  glong n_chars = g_utf8_strlen (doc_text, -1);

  for (guint i = 0; i < findings->len; i++)
    {
      ScPageFinding *pf = g_ptr_array_index (findings, i);
      ScFinding *f = pf->finding;
      g_autofree gunichar *expected = g_utf8_to_ucs4_fast (f->text, -1, NULL);
      double width, height;

      g_assert_nonnull (f->explanation);
      g_assert_cmpstr (f->explanation, !=, "");
      g_assert_cmpuint (pf->page, <, sc_analysis_get_n_pages (analysis));
      g_assert_cmpuint (pf->sources & (1u << f->source), !=, 0);
      g_assert_cmpfloat (f->confidence, >, 0);
      g_assert_cmpfloat (f->confidence, <=, 1);
      if (i > 0)
        {
          ScPageFinding *prev = g_ptr_array_index (findings, i - 1);

          g_assert_cmpuint (prev->doc_start, <=, pf->doc_start);
        }

      /* the same characters at the document offsets */
      g_assert_cmpuint (pf->doc_end, <=, (gsize) n_chars);
      g_assert_cmpuint (pf->doc_end - pf->doc_start, ==, g_utf8_strlen (f->text, -1));
      g_assert_cmpmem (chars + pf->doc_start, (pf->doc_end - pf->doc_start) * sizeof (gunichar),
                       expected, (pf->doc_end - pf->doc_start) * sizeof (gunichar));

      sc_document_get_page_size (document, pf->page, &width, &height);
      g_assert_cmpuint (pf->boxes->len, >=, 1);
      for (guint b = 0; b < pf->boxes->len; b++)
        {
          const ScRect *r = &g_array_index (pf->boxes, ScRect, b);

          g_assert_cmpfloat (r->x, >=, 0);
          g_assert_cmpfloat (r->y, >=, 0);
          g_assert_cmpfloat (r->width, >, 0);
          g_assert_cmpfloat (r->height, >, 0);
          g_assert_cmpfloat (r->x + r->width, <=, width);
          g_assert_cmpfloat (r->y + r->height, <=, height);
        }
    }
}

/* The personal data planted in 03-bescheid.txt, found by the rules alone. */
static void
assert_bescheid_rules (ScAnalysis *analysis)
{
  ScPageFinding *pf;

  pf = find (analysis, SC_FINDING_IBAN, "DE89 3704 0044 0532 0130 00");
  g_assert_nonnull (pf);
  g_assert_cmpstr (pf->finding->value, ==, "DE89370400440532013000");
  g_assert_cmpuint (pf->sources & (1u << SC_FINDING_SOURCE_RULE), !=, 0);

  pf = find (analysis, SC_FINDING_ADDRESS, "Lindenstraße 12 55118 Mainz");
  g_assert_nonnull (pf);
  /* two lines, two boxes, the second below the first */
  g_assert_cmpuint (pf->boxes->len, ==, 2);
  g_assert_cmpfloat (g_array_index (pf->boxes, ScRect, 1).y, >,
                     g_array_index (pf->boxes, ScRect, 0).y);

  g_assert_nonnull (find (analysis, SC_FINDING_CASE_NUMBER, "4.2-WG-1187/2025"));
  g_assert_nonnull (find (analysis, SC_FINDING_PHONE, "06131 987-6543"));
  g_assert_nonnull (find (analysis, SC_FINDING_EMAIL, "wohngeld@musterkreis.example.de"));
  g_assert_nonnull (find (analysis, SC_FINDING_LEGAL_NORM, "§ 4 WoGG"));
  g_assert_nonnull (find (analysis, SC_FINDING_MONEY, "3.412,50 EUR"));

  pf = find (analysis, SC_FINDING_BIRTH_DATE, "14. März 2012");
  g_assert_nonnull (pf);
  g_assert_cmpstr (pf->finding->value, ==, "2012-03-14");
  g_assert_nonnull (strstr (pf->finding->explanation, "geboren"));
  /* the date of birth is not also an ordinary date */
  g_assert_null (find (analysis, SC_FINDING_DATE, "14. März 2012"));

  pf = find (analysis, SC_FINDING_DEADLINE, "innerhalb eines Monats nach Bekanntgabe");
  g_assert_nonnull (pf);
  g_assert_nonnull (pf->finding->value);
  g_assert_nonnull (pf->finding->steps);
}

static void
assert_widerspruch_rules (ScAnalysis *analysis)
{
  ScPageFinding *pf;

  pf = find (analysis, SC_FINDING_TAX_ID, "86095742719");
  g_assert_nonnull (pf);
  g_assert_nonnull (find (analysis, SC_FINDING_IBAN, "DE89 3704 0044 0532 0130 00"));
  g_assert_nonnull (find (analysis, SC_FINDING_PHONE, "0151 23456789"));
  g_assert_nonnull (find (analysis, SC_FINDING_EMAIL, "erika.mustermann@example.org"));
  g_assert_nonnull (find (analysis, SC_FINDING_BIRTH_DATE, "14. März 2012"));
  g_assert_nonnull (find (analysis, SC_FINDING_LEGAL_NORM, "§ 25 SGB X"));
  g_assert_nonnull (find (analysis, SC_FINDING_ADDRESS, "Lindenstraße 12 55118 Mainz"));
  /* "Mainz, den 24. Februar 2025": the place of the letter, from the gazetteer */
  pf = find (analysis, SC_FINDING_LOCATION, "Mainz");
  g_assert_nonnull (pf);
  g_assert_cmpuint (pf->sources & (1u << SC_FINDING_SOURCE_GAZETTEER), !=, 0);
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

/* ------------------------------------------------------------------------------------------ */
/* Tests                                                                                       */
/* ------------------------------------------------------------------------------------------ */

static void
test_page_layout (void)
{
  g_autoptr(ScDocument) document = open_sample ("03-bescheid.txt");
  g_autofree char *text = NULL;
  g_autofree char *page_text = sc_document_get_page_text (document, 0);
  g_autoptr(GArray) boxes = sc_document_get_page_layout (document, 0, &text);
  guint i = 0;

  g_assert_cmpstr (text, ==, page_text);
  g_assert_cmpuint (boxes->len, ==, g_utf8_strlen (text, -1));
  /* blanks have no box, everything else has one, left of the right margin, line by line */
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), i++)
    {
      const ScRect *r = &g_array_index (boxes, ScRect, i);

      if (g_unichar_isspace (g_utf8_get_char (p)))
        {
          g_assert_cmpfloat (r->width, ==, 0);
          g_assert_cmpfloat (r->height, ==, 0);
        }
      else
        {
          g_assert_cmpfloat (r->width, >, 0);
          g_assert_cmpfloat (r->height, >, 0);
          g_assert_cmpfloat (r->x + r->width, <, A4_WIDTH);
        }
    }
  /* "Kreisverwaltung" starts the first line, top left */
  g_assert_cmpfloat (g_array_index (boxes, ScRect, 0).y, <, 100);
  g_assert_cmpfloat (g_array_index (boxes, ScRect, 0).x, <, 100);
}

static void
test_sample_text (void)
{
  g_autoptr(ScDocument) bescheid = open_sample ("03-bescheid.txt");
  g_autoptr(ScDocument) widerspruch = open_sample ("04-widerspruch.txt");
  g_autoptr(ScAnalysis) a1 = analyze (bescheid, NULL);
  g_autoptr(ScAnalysis) a2 = analyze (widerspruch, NULL);

  g_assert_null (sc_analysis_get_model_name (a1));
  assert_well_formed (bescheid, a1);
  assert_well_formed (widerspruch, a2);
  assert_bescheid_rules (a1);
  assert_widerspruch_rules (a2);
}

static void
test_sample_pdf (void)
{
  g_autofree char *bescheid = read_sample ("03-bescheid.txt");
  g_autofree char *widerspruch = read_sample ("04-widerspruch.txt");
  g_autofree char *both = g_strconcat (bescheid, "\n", widerspruch, NULL);
  g_autofree char *path = write_pdf ("vorgang.pdf", both);
  g_autoptr(ScDocument) document = open_path (path);
  g_autoptr(ScAnalysis) analysis = NULL;
  g_auto(GStrv) lines = g_strsplit (both, "\n", -1);
  ScPageFinding *pf;
  const ScRect *box;
  guint tax_line = 0;
  double baseline;

  g_assert_cmpint (sc_document_get_kind (document), ==, SC_DOCUMENT_KIND_PDF);
  g_assert_cmpuint (sc_document_get_n_pages (document), >=, 2);
  analysis = analyze (document, NULL);
  assert_well_formed (document, analysis);

  pf = find (analysis, SC_FINDING_IBAN, "DE89 3704 0044 0532 0130 00");
  g_assert_nonnull (pf);
  g_assert_cmpuint (pf->page, ==, 0);
  pf = find (analysis, SC_FINDING_ADDRESS, "Lindenstraße 12 55118 Mainz");
  g_assert_nonnull (pf);
  g_assert_cmpuint (pf->boxes->len, ==, 2);

  /* The tax identifier stands where write_pdf() put it: on the page and line of the
   * Widerspruch, behind "Meine Steuer-Identifikationsnummer lautet ". */
  pf = find (analysis, SC_FINDING_TAX_ID, "86095742719");
  g_assert_nonnull (pf);
  while (lines[tax_line] != NULL && strstr (lines[tax_line], "86095742719") == NULL)
    tax_line++;
  g_assert_nonnull (lines[tax_line]);
  g_assert_cmpuint (pf->page, ==, tax_line / PDF_LINES);
  g_assert_cmpuint (pf->boxes->len, ==, 1);
  box = &g_array_index (pf->boxes, ScRect, 0);
  baseline = PDF_TOP + (tax_line % PDF_LINES) * PDF_LEADING;
  g_assert_cmpfloat (box->y, <, baseline);
  g_assert_cmpfloat (box->y, >, baseline - 2 * PDF_SIZE);
  g_assert_cmpfloat (box->y + box->height, >, baseline - PDF_SIZE / 2);
  g_assert_cmpfloat (box->y + box->height, <, baseline + PDF_SIZE);
  g_assert_cmpfloat (box->x, >, PDF_LEFT + 100);
  /* eleven digits of DejaVu Sans at 10 pt: 11 × 6.36 pt */
  g_assert_cmpfloat (box->width, >, 60);
  g_assert_cmpfloat (box->width, <, 80);
}

static void
test_no_findings (void)
{
  g_autoptr(ScDocument) document =
    open_text ("leer.txt", "Dies ist ein kurzer Text.\nEr enthält nichts Besonderes.\n");
  g_autoptr(ScAnalysis) analysis = analyze (document, NULL);
  g_autoptr(ScNer) ner = load_default_ner ();

  g_assert_cmpuint (sc_analysis_get_findings (analysis)->len, ==, 0);
  if (ner != NULL)
    {
      g_autoptr(ScAnalysis) with_model = analyze (document, ner);

      g_assert_cmpuint (sc_analysis_get_findings (with_model)->len, ==, 0);
    }
}

static void
test_categories (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScDocument) document = open_sample ("04-widerspruch.txt");
  g_autoptr(ScAnalyzer) analyzer = sc_analyzer_new ();
  g_autoptr(ScAnalysis) analysis = NULL;
  GPtrArray *findings;

  for (guint c = 0; c < SC_FINDING_N_CATEGORIES; c++)
    sc_analyzer_set_category_enabled (analyzer, c, c == SC_FINDING_IBAN);
  analysis = sc_analyzer_run (analyzer, document, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  findings = sc_analysis_get_findings (analysis);
  g_assert_cmpuint (findings->len, ==, 1);
  g_assert_cmpint (((ScPageFinding *) g_ptr_array_index (findings, 0))->finding->category, ==,
                   SC_FINDING_IBAN);
}

/* A deadline on a page of its own counts from the letter's date on the page before. */
static void
test_deadline_later_page (void)
{
  g_autoptr(ScDocument) document =
    open_text ("frist.txt", "Mainz, den 3. Februar 2025\n\nBescheid\n\f"
                            "Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe "
                            "Widerspruch erhoben werden.\n");
  g_autoptr(ScAnalysis) analysis = analyze (document, NULL);
  ScPageFinding *pf = find (analysis, SC_FINDING_DEADLINE, "innerhalb eines Monats");

  g_assert_cmpuint (sc_document_get_n_pages (document), ==, 2);
  g_assert_nonnull (pf);
  g_assert_cmpuint (pf->page, ==, 1);
  g_assert_nonnull (pf->finding->value);
  g_assert_nonnull (pf->finding->steps);
  assert_well_formed (document, analysis);
}

static void
cancel_after_first_batch (guint    pages_done,
                          guint    n_pages,
                          double   words_per_second,
                          gpointer user_data)
{
  GCancellable *cancellable = user_data;

  g_assert_cmpuint (pages_done, <, n_pages);
  g_assert_cmpfloat (words_per_second, >=, 0);
  g_cancellable_cancel (cancellable);
}

static void
test_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(ScDocument) document = NULL;
  g_autoptr(ScAnalyzer) analyzer = sc_analyzer_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(ScAnalysis) analysis = NULL;

  for (guint i = 0; i < 30; i++)
    g_string_append_printf (text, "Seite %u: IBAN DE89 3704 0044 0532 0130 00\f", i + 1);
  document = open_text ("lang.txt", text->str);
  g_assert_cmpuint (sc_document_get_n_pages (document), ==, 30);

  /* cancelled before it starts */
  g_cancellable_cancel (cancellable);
  analysis = sc_analyzer_run (analyzer, document, NULL, NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (analysis);
  g_clear_error (&error);

  /* cancelled while it runs */
  g_cancellable_reset (cancellable);
  analysis = sc_analyzer_run (analyzer, document, cancel_after_first_batch, cancellable,
                              cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (analysis);
}

typedef struct
{
  GMainLoop  *loop;
  ScAnalysis *analysis;
  guint       n_progress;
  guint       last_done;
} AsyncData;

static void
on_progress (guint    pages_done,
             guint    n_pages,
             double   words_per_second,
             gpointer user_data)
{
  AsyncData *data = user_data;

  g_assert_cmpuint (pages_done, <=, n_pages);
  g_assert_cmpuint (pages_done, >, data->last_done);
  g_assert_null (data->analysis);
  data->last_done = pages_done;
  data->n_progress++;
}

static void
on_analyzed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AsyncData *data = user_data;

  data->analysis = sc_analyzer_run_finish (SC_ANALYZER (source), result, &error);
  g_assert_no_error (error);
  g_main_loop_quit (data->loop);
}

static void
test_async (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(ScDocument) document = NULL;
  g_autoptr(ScAnalyzer) analyzer = sc_analyzer_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncData data = { loop, NULL, 0, 0 };

  for (guint i = 0; i < 12; i++)
    g_string_append_printf (text, "Seite %u: Telefon 06131 987-6543\f", i + 1);
  document = open_text ("telefon.txt", text->str);

  sc_analyzer_run_async (analyzer, document, on_progress, &data, NULL, on_analyzed, &data);
  g_main_loop_run (loop);

  g_assert_nonnull (data.analysis);
  g_assert_cmpuint (data.n_progress, >=, 1);
  g_assert_cmpuint (sc_analysis_get_findings (data.analysis)->len, ==, 12);
  assert_well_formed (document, data.analysis);
  sc_analysis_unref (data.analysis);
}

/* With the shipped model: the people of the sample case are found by the model, and what the
 * rules find stays found. */
static void
test_model (void)
{
  g_autoptr(ScNer) ner = load_default_ner ();
  g_autoptr(ScDocument) bescheid = NULL;
  g_autoptr(ScDocument) widerspruch = NULL;
  g_autoptr(ScAnalysis) a1 = NULL;
  g_autoptr(ScAnalysis) a2 = NULL;
  const char *const people[] = { "Erika Mustermann", "Jonas Beispiel", NULL };

  if (ner == NULL)
    {
      g_test_skip ("no findings model is installed");
      return;
    }
  bescheid = open_sample ("03-bescheid.txt");
  widerspruch = open_sample ("04-widerspruch.txt");
  a1 = analyze (bescheid, ner);
  a2 = analyze (widerspruch, ner);
  g_assert_cmpstr (sc_analysis_get_model_name (a1), ==, sc_ner_get_name (ner));
  assert_well_formed (bescheid, a1);
  assert_well_formed (widerspruch, a2);
  assert_bescheid_rules (a1);
  assert_widerspruch_rules (a2);

  for (guint i = 0; people[i] != NULL; i++)
    {
      ScPageFinding *pf = find (a1, SC_FINDING_PERSON, people[i]);

      if (pf == NULL)
        g_test_message ("“%s” was not found in 03-bescheid.txt", people[i]);
      g_assert_nonnull (pf);
      g_assert_cmpuint (pf->boxes->len, ==, 1);
    }
  /* the model takes part: at least one person finding of the samples is (also) its own */
  {
    gboolean by_model = FALSE;
    ScAnalysis *both[] = { a1, a2 };

    for (guint d = 0; d < G_N_ELEMENTS (both); d++)
      for (guint i = 0; i < sc_analysis_get_findings (both[d])->len; i++)
        {
          const ScPageFinding *pf = g_ptr_array_index (sc_analysis_get_findings (both[d]), i);

          by_model |= pf->finding->category == SC_FINDING_PERSON &&
                      (pf->sources & (1u << SC_FINDING_SOURCE_MODEL)) != 0;
        }
    g_assert_true (by_model);
  }
  g_assert_nonnull (find (a2, SC_FINDING_PERSON, "Erika Mustermann"));
  /* a validated IBAN is never a name or an organisation */
  g_assert_null (find (a1, SC_FINDING_PERSON, "DE89"));
  g_assert_null (find (a1, SC_FINDING_ORGANISATION, "DE89"));
}

/* A model finding as the tagger hands it out, over the first occurrence of @span in @text. */
static ScFinding *
model_finding (const char        *text,
               const char        *span,
               ScFindingCategory  category,
               const char        *label,
               double             confidence)
{
  const char *at = strstr (text, span);
  ScFinding *f;

  g_assert_nonnull (at);
  f = sc_finding_new (category, label, span, (gsize) (at - text),
                      (gsize) (at - text) + strlen (span));
  f->source = SC_FINDING_SOURCE_MODEL;
  f->confidence = confidence;
  return f;
}

static ScPageFinding *
find_in (GPtrArray         *findings,
         ScFindingCategory  category,
         const char        *text)
{
  for (guint i = 0; i < findings->len; i++)
    {
      ScPageFinding *pf = g_ptr_array_index (findings, i);

      if (pf->finding->category == category && g_str_equal (pf->finding->text, text))
        return pf;
    }
  return NULL;
}

static gboolean
has_step_with_prefix (ScFinding  *f,
                      const char *prefix)
{
  for (guint i = 0; f->steps != NULL && i < f->steps->len; i++)
    {
      if (g_str_has_prefix (g_ptr_array_index (f->steps, i), prefix))
        return TRUE;
    }
  return FALSE;
}

/* The merge rules, with model findings the test chooses. */
static void
test_merge (void)
{
  g_autoptr(GError) error = NULL;
  const char *text = "Die Mieterin Erika Mustermann wohnt Zur alten Mühle 5,\n55118 Mainz. Ihr Konto "
                     "DE89 3704 0044 0532 0130 00 wurde nach § 4 WoGG geprüft. Sie zog aus "
                     "Koblenz zu. Ihr Sohn kam am 3. März 2020 in Trier zur Welt.";
  g_autoptr(GPtrArray) rules = sc_recognize (text, -1, NULL, SC_LAND_RP, SC_RECOGNIZE_DEFAULT,
                                             &error);
  g_autoptr(GPtrArray) model = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_finding_unref);
  g_autoptr(GPtrArray) merged = NULL;
  ScPageFinding *pf;
  guint n_rules;

  g_assert_no_error (error);
  n_rules = rules->len;
  g_ptr_array_add (model, model_finding (text, "Erika Mustermann", SC_FINDING_PERSON, "PER",
                                         0.97));
  g_ptr_array_add (model, model_finding (text, "Zur alten Mühle 5", SC_FINDING_ADDRESS, "STR",
                                         0.9));
  g_ptr_array_add (model, model_finding (text, "Mainz", SC_FINDING_LOCATION, "ST", 0.8));
  g_ptr_array_add (model, model_finding (text, "DE89 3704", SC_FINDING_ORGANISATION, "ORG",
                                         0.99));
  g_ptr_array_add (model, model_finding (text, "WoGG", SC_FINDING_LEGAL_NORM, "GS", 0.9));
  g_ptr_array_add (model, model_finding (text, "Koblenz", SC_FINDING_LOCATION, "ST", 0.6));
  g_ptr_array_add (model, model_finding (text, "Sohn", SC_FINDING_PERSON, "PER", 0.3));
  merged = _sc_analysis_merge (text, rules, model);

  /* the inputs stay as they were */
  g_assert_cmpuint (rules->len, ==, n_rules);
  g_assert_cmpfloat (((ScFinding *) g_ptr_array_index (model, 0))->confidence, ==, 0.97);

  /* a name only the model knows, explained */
  pf = find_in (merged, SC_FINDING_PERSON, "Erika Mustermann");
  g_assert_nonnull (pf);
  g_assert_cmpuint (pf->sources, ==, 1u << SC_FINDING_SOURCE_MODEL);
  g_assert_cmpint (pf->finding->source, ==, SC_FINDING_SOURCE_MODEL);
  g_assert_nonnull (pf->finding->explanation);
  g_assert_cmpuint (pf->doc_start, ==, 13);
  g_assert_cmpuint (pf->doc_end, ==, 29);

  /* the model's street and the rules' postal code and place: one address, the place in it */
  pf = find_in (merged, SC_FINDING_ADDRESS, "Zur alten Mühle 5,\n55118 Mainz");
  g_assert_nonnull (pf);
  g_assert_cmpuint (pf->sources & (1u << SC_FINDING_SOURCE_RULE), !=, 0);
  g_assert_cmpuint (pf->sources & (1u << SC_FINDING_SOURCE_MODEL), !=, 0);
  g_assert_cmpstr (pf->finding->value, ==, "Zur alten Mühle 5, 55118 Mainz");
  g_assert_true (has_step_with_prefix (pf->finding, "Model: STR"));
  g_assert_true (has_step_with_prefix (pf->finding, "Model: ST,"));
  g_assert_null (find_in (merged, SC_FINDING_LOCATION, "Mainz"));

  /* a validated IBAN beats the model's organisation */
  g_assert_nonnull (find_in (merged, SC_FINDING_IBAN, "DE89 3704 0044 0532 0130 00"));
  g_assert_null (find_in (merged, SC_FINDING_ORGANISATION, "DE89 3704"));

  /* rules and model agree on the norm: one finding, both sources in its steps */
  pf = find_in (merged, SC_FINDING_LEGAL_NORM, "§ 4 WoGG");
  g_assert_nonnull (pf);
  g_assert_cmpuint (pf->sources & (1u << SC_FINDING_SOURCE_RULE), !=, 0);
  g_assert_cmpuint (pf->sources & (1u << SC_FINDING_SOURCE_MODEL), !=, 0);
  g_assert_cmpint (pf->finding->source, ==, SC_FINDING_SOURCE_RULE);
  g_assert_true (has_step_with_prefix (pf->finding, "Rule: "));
  g_assert_true (has_step_with_prefix (pf->finding, "Model: GS"));
  g_assert_cmpfloat (pf->finding->confidence, >, 0.97);
  g_assert_null (find_in (merged, SC_FINDING_LEGAL_NORM, "WoGG"));

  /* the gazetteer confirms the model's place and makes it surer */
  pf = find_in (merged, SC_FINDING_LOCATION, "Koblenz");
  g_assert_nonnull (pf);
  g_assert_cmpuint (pf->sources, ==,
                    (1u << SC_FINDING_SOURCE_MODEL) | (1u << SC_FINDING_SOURCE_GAZETTEER));
  g_assert_cmpfloat (pf->finding->confidence, >, 0.6);
  g_assert_true (has_step_with_prefix (pf->finding, "Gazetteer: "));

  /* a place only the gazetteer knows, after "in" */
  pf = find_in (merged, SC_FINDING_LOCATION, "Trier");
  g_assert_nonnull (pf);
  g_assert_cmpuint (pf->sources, ==, 1u << SC_FINDING_SOURCE_GAZETTEER);

  /* a guess the model is unsure of is left out */
  g_assert_null (find_in (merged, SC_FINDING_PERSON, "Sohn"));

  /* sorted by start, offsets in code points */
  for (guint i = 1; i < merged->len; i++)
    {
      ScPageFinding *a = g_ptr_array_index (merged, i - 1);
      ScPageFinding *b = g_ptr_array_index (merged, i);

      g_assert_cmpuint (a->doc_start, <=, b->doc_start);
    }
}

/* ---- sichtung-cli analyze ---------------------------------------------------------------- */

static void
run_cli (const char *const  *args,
         char              **out,
         char              **err,
         int                *status)
{
  *status = sc_test_run_cli ("analyze", args, out, err);
}

static void
test_cli (void)
{
  g_autofree char *sample = sample_path ("04-widerspruch.txt");
  g_autofree char *missing = g_build_filename (tmp_dir, "fehlt.pdf", NULL);
  g_autofree char *broken = g_build_filename (tmp_dir, "kaputt.pdf", NULL);
  g_autoptr(GError) error = NULL;
  char *out = NULL, *err = NULL;
  int status = 0;

  run_cli ((const char *const[]) { sample, "--json", "--no-model", NULL }, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (out, "{"));
  g_assert_nonnull (strstr (out, "\"model\": null"));
  g_assert_nonnull (strstr (out, "\"category\""));
  g_assert_nonnull (strstr (out, "\"tax-id\""));
  g_assert_nonnull (strstr (out, "\"boxes\""));
  g_assert_nonnull (strstr (out, "\"sources\""));
  g_assert_nonnull (strstr (out, "86095742719"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* the table */
  run_cli ((const char *const[]) { sample, "--no-model", NULL }, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, sc_finding_category_get_display_name (SC_FINDING_TAX_ID)));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* a missing file and a damaged PDF: one line on stderr, non-zero status */
  run_cli ((const char *const[]) { missing, "--json", NULL }, &out, &err, &status);
  g_assert_cmpint (status, !=, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "sichtung-cli: "));
  g_assert_cmpuint (strchr (err, '\n') - err + 1, ==, strlen (err));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_file_set_contents (broken, "%PDF-1.7\nkaputt\n", -1, &error);
  g_assert_no_error (error);
  run_cli ((const char *const[]) { broken, "--no-model", NULL }, &out, &err, &status);
  g_assert_cmpint (status, !=, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "sichtung-cli: "));
  g_assert_cmpuint (strchr (err, '\n') - err + 1, ==, strlen (err));
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
  tmp_dir = g_dir_make_tmp ("sichtung-analysis-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/sichtung/analysis/page-layout", test_page_layout);
  g_test_add_func ("/sichtung/analysis/sample-text", test_sample_text);
  g_test_add_func ("/sichtung/analysis/sample-pdf", test_sample_pdf);
  g_test_add_func ("/sichtung/analysis/no-findings", test_no_findings);
  g_test_add_func ("/sichtung/analysis/categories", test_categories);
  g_test_add_func ("/sichtung/analysis/deadline-later-page", test_deadline_later_page);
  g_test_add_func ("/sichtung/analysis/cancel", test_cancel);
  g_test_add_func ("/sichtung/analysis/async", test_async);
  g_test_add_func ("/sichtung/analysis/merge", test_merge);
  g_test_add_func ("/sichtung/analysis/cli", test_cli);
  g_test_add_func ("/sichtung/analysis/model", test_model);

  result = g_test_run ();
  sc_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return result;
}
