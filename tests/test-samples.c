/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-samples.c: the sample case of data/samples as the build typesets it: every PDF opens
 * with ScDocument, holds the words of its text source in order and looks like a letter or a
 * decision; the analysis finds the planted data in the Antrag; sample-pdf is reproducible and
 * fails cleanly on bad input; sichtung_samples_get_documents() finds the seven PDFs. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "sichtung-core.h"
#include "sichtung-samples.h"
#include "sc-test-util.h"

#define MM(x)     ((x) * 72.0 / 25.4)
#define A4_WIDTH  595.276
#define A4_HEIGHT 841.89

/* What data/samples/meson.build typesets. */
typedef struct
{
  const char *name;
  const char *title;
  const char *author;
} Sample;

static const Sample samples[] = {
  { "01-antrag", "Antrag auf Wohngeld (Mietzuschuss)", "Erika Mustermann" },
  { "02-anhoerung", "Anhörung nach § 24 SGB X", "Kreisverwaltung Musterkreis" },
  { "03-bescheid-entwurf", "Entwurf: Bescheid über den Antrag auf Wohngeld",
    "Kreisverwaltung Musterkreis" },
  { "03-bescheid", "Bescheid über den Antrag auf Wohngeld", "Kreisverwaltung Musterkreis" },
  { "04-widerspruch", "Widerspruch gegen den Bescheid vom 3. Februar 2025", "Erika Mustermann" },
  { "05-vermerk", "Vermerk zur Abhilfeprüfung", "Kreisverwaltung Musterkreis" },
  { "06-urteil", "Urteil 5 K 1234/24 (Auszug)", "Verwaltungsgericht Musterstadt" },
};

static char *tmp_dir; /* one directory for the whole run, removed at the end */

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static char *
source_path (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".txt", NULL);

  return g_test_build_filename (G_TEST_DIST, "..", "data", "samples", file, NULL);
}

static char *
pdf_path (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".pdf", NULL);

  return g_test_build_filename (G_TEST_BUILT, "..", "data", "samples", file, NULL);
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

/* The words of @text: its runs of non-blank characters. */
static GPtrArray *
split_words (const char *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  const char *start = NULL;

  for (const char *p = text;; p = g_utf8_next_char (p))
    {
      gboolean blank = *p == '\0' || g_unichar_isspace (g_utf8_get_char (p));

      if (blank && start != NULL)
        {
          g_ptr_array_add (words, g_strndup (start, p - start));
          start = NULL;
        }
      else if (!blank && start == NULL)
        start = p;
      if (*p == '\0')
        break;
    }
  return words;
}

/* The share of the words of @source that appear in @typeset in the same order: the longest
 * common subsequence of the two word sequences over the number of words of @source. */
static double
words_in_order (const char *source,
                const char *typeset)
{
  g_autoptr(GPtrArray) a = split_words (source);
  g_autoptr(GPtrArray) b = split_words (typeset);
  g_autofree guint *previous = g_new0 (guint, b->len + 1);
  g_autofree guint *current = g_new0 (guint, b->len + 1);

  g_assert_cmpuint (a->len, >, 0);
  for (guint i = 0; i < a->len; i++)
    {
      guint *swap;

      for (guint j = 0; j < b->len; j++)
        {
          if (g_str_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, j)))
            current[j + 1] = previous[j] + 1;
          else
            current[j + 1] = MAX (previous[j + 1], current[j]);
        }
      swap = previous;
      previous = current;
      current = swap;
    }
  return (double) previous[b->len] / a->len;
}

/* The first hit of @text on @page, which must exist. */
static ScRect
find_on_page (ScDocument *document,
              guint       page,
              const char *text)
{
  g_autoptr(GArray) hits = sc_document_find_text (document, page, text);

  if (hits->len == 0)
    g_test_message ("“%s” is not on page %u", text, page + 1);
  g_assert_cmpuint (hits->len, >, 0);
  return g_array_index (hits, ScRect, 0);
}

static ScPageFinding *
find (ScAnalysis        *analysis,
      ScFindingCategory  category,
      const char        *text)
{
  GPtrArray *findings = sc_analysis_get_findings (analysis);

  for (guint i = 0; i < findings->len; i++)
    {
      ScPageFinding *pf = g_ptr_array_index (findings, i);

      if (pf->finding->category == category && g_str_equal (pf->finding->text, text))
        return pf;
    }
  return NULL;
}

/* Runs sample-pdf with @args (NULL-terminated); returns its exit status and its stderr. */
static int
run_generator (const char *const  *args,
               char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_ptr_array_add (argv, (char *) SAMPLE_PDF_PATH);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                err, &wait_status, &error);
  g_assert_no_error (error);
  return WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* ------------------------------------------------------------------------------------------ */
/* Tests                                                                                       */
/* ------------------------------------------------------------------------------------------ */

/* Each PDF opens, has one to three A4 pages with "Seite N von M", the metadata of the build,
 * and every word of its source in the same order: no line lost at a page break, no word
 * hyphenated or split. */
static void
test_pdf (gconstpointer data)
{
  const Sample *sample = data;
  g_autofree char *path = pdf_path (sample->name);
  g_autofree char *source_file = source_path (sample->name);
  g_autofree char *source = NULL;
  g_autofree char *text = NULL;
  g_autoptr(ScDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  guint n_pages;
  double share;

  g_file_get_contents (source_file, &source, NULL, &error);
  g_assert_no_error (error);
  document = open_path (path);

  g_assert_cmpint (sc_document_get_kind (document), ==, SC_DOCUMENT_KIND_PDF);
  g_assert_cmpstr (sc_document_get_metadata_title (document), ==, sample->title);
  g_assert_cmpstr (sc_document_get_author (document), ==, sample->author);
  n_pages = sc_document_get_n_pages (document);
  g_assert_cmpuint (n_pages, >=, 1);
  g_assert_cmpuint (n_pages, <=, 3);
  for (guint i = 0; i < n_pages; i++)
    {
      g_autofree char *page_text = sc_document_get_page_text (document, i);
      g_autofree char *footer = g_strdup_printf ("Seite %u von %u", i + 1, n_pages);
      double width, height;

      sc_document_get_page_size (document, i, &width, &height);
      g_assert_cmpfloat_with_epsilon (width, A4_WIDTH, 0.5);
      g_assert_cmpfloat_with_epsilon (height, A4_HEIGHT, 0.5);
      g_assert_nonnull (strstr (page_text, footer));
    }

  text = sc_document_get_text (document);
  share = words_in_order (source, text);
  g_test_message ("%s: %.2f %% of the words in order", sample->name, 100 * share);
  g_assert_cmpfloat (share, >=, 0.99);
}

/* The letter look: letterhead at the top, the address in the address field, the date flush
 * right, the footer centred at the bottom; text inside the 25 mm margins. */
static void
test_letter_layout (void)
{
  g_autofree char *path = pdf_path ("03-bescheid");
  g_autoptr(ScDocument) document = open_path (path);
  g_autofree char *page_text = NULL;
  g_autoptr(GArray) boxes = sc_document_get_page_layout (document, 0, &page_text);
  ScRect head = find_on_page (document, 0, "Kreisverwaltung Musterkreis");
  ScRect address = find_on_page (document, 0, "Lindenstraße 12");
  ScRect date = find_on_page (document, 0, "Mainz, den 3. Februar 2025");
  ScRect subject = find_on_page (document, 0, "BESCHEID über Ihren Antrag");
  ScRect footer = find_on_page (document, 0, "Seite 1 von 1");

  g_assert_cmpfloat (head.y, <, MM (30));
  g_assert_cmpfloat (address.y, >, MM (50));
  g_assert_cmpfloat (address.y, <, MM (90));
  g_assert_cmpfloat_with_epsilon (address.x, MM (25), 2);
  /* flush right against the right margin */
  g_assert_cmpfloat_with_epsilon (date.x + date.width, A4_WIDTH - MM (25), 3);
  g_assert_cmpfloat (subject.y, >, date.y);
  g_assert_cmpfloat_with_epsilon (footer.x + footer.width / 2, A4_WIDTH / 2, 3);
  g_assert_cmpfloat (footer.y, >, A4_HEIGHT - MM (25));

  for (guint i = 0; i < boxes->len; i++)
    {
      const ScRect *r = &g_array_index (boxes, ScRect, i);

      if (r->width == 0)
        continue;
      g_assert_cmpfloat (r->x, >, MM (25) - 1);
      g_assert_cmpfloat (r->x + r->width, <, A4_WIDTH - MM (25) + 1);
    }
}

/* The decision: the court and "URTEIL" centred, the Aktenzeichen on the left. */
static void
test_decision_layout (void)
{
  g_autofree char *path = pdf_path ("06-urteil");
  g_autoptr(ScDocument) document = open_path (path);
  ScRect court = find_on_page (document, 0, "VERWALTUNGSGERICHT MUSTERSTADT");
  ScRect judgment = find_on_page (document, 0, "URTEIL");
  ScRect reference = find_on_page (document, 0, "Aktenzeichen:");

  g_assert_cmpfloat_with_epsilon (court.x + court.width / 2, A4_WIDTH / 2, 3);
  g_assert_cmpfloat_with_epsilon (judgment.x + judgment.width / 2, A4_WIDTH / 2, 3);
  g_assert_cmpfloat (judgment.y, >, court.y);
  g_assert_cmpfloat_with_epsilon (reference.x, MM (25), 2);
  g_assert_cmpfloat (reference.y, <, court.y);
}

/* The analysis of the Antrag as a PDF finds what the text source plants, with boxes on the
 * page: both IBANs on one line each, the e-mail address, the tax identifiers, the birth date. */
static void
test_antrag_analysis (void)
{
  g_autofree char *path = pdf_path ("01-antrag");
  g_autoptr(ScDocument) document = open_path (path);
  g_autoptr(ScAnalyzer) analyzer = sc_analyzer_new ();
  g_autoptr(ScAnalysis) analysis = NULL;
  g_autoptr(GError) error = NULL;
  const char *const ibans[] = { "DE89 3704 0044 0532 0130 00", "DE02 1203 0000 0000 2020 51" };
  const char *const values[] = { "DE89370400440532013000", "DE02120300000000202051" };
  ScPageFinding *pf;

  sc_analyzer_set_ner (analyzer, NULL);
  analysis = sc_analyzer_run (analyzer, document, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (analysis);

  for (guint i = 0; i < G_N_ELEMENTS (ibans); i++)
    {
      pf = find (analysis, SC_FINDING_IBAN, ibans[i]);
      g_assert_nonnull (pf);
      g_assert_cmpstr (pf->finding->value, ==, values[i]);
      g_assert_cmpuint (pf->boxes->len, ==, 1);
      g_assert_cmpfloat (g_array_index (pf->boxes, ScRect, 0).width, >, 0);
    }

  pf = find (analysis, SC_FINDING_EMAIL, "erika.mustermann@example.org");
  g_assert_nonnull (pf);
  g_assert_cmpuint (pf->page, ==, 0);
  g_assert_cmpuint (pf->boxes->len, ==, 1);
  g_assert_nonnull (find (analysis, SC_FINDING_TAX_ID, "86095742719"));
  g_assert_nonnull (find (analysis, SC_FINDING_TAX_ID, "47036892816"));
  g_assert_nonnull (find (analysis, SC_FINDING_PHONE, "0151 23456789"));
  pf = find (analysis, SC_FINDING_BIRTH_DATE, "4. Juli 1986");
  g_assert_nonnull (pf);
  g_assert_cmpstr (pf->finding->value, ==, "1986-07-04");
}

/* Same input, same bytes; the creation date is the one given. A long letter breaks onto
 * further pages without losing a line. */
static void
test_generator_output (void)
{
  g_autoptr(GString) letter = g_string_new ("Kreisverwaltung Musterkreis\nAm Schlossplatz 7, "
                                            "55116 Mainz\n\nFrau\nErika Mustermann\n"
                                            "Lindenstraße 12\n55118 Mainz\n\n"
                                            "Mainz, den 3. Februar 2025\n\n\nLanger Brief\n\n");
  g_autofree char *input = g_build_filename (tmp_dir, "lang.txt", NULL);
  g_autofree char *first = g_build_filename (tmp_dir, "lang-1.pdf", NULL);
  g_autofree char *second = g_build_filename (tmp_dir, "lang-2.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) first_bytes = NULL;
  g_autoptr(GBytes) second_bytes = NULL;
  g_autoptr(ScDocument) document = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) pieces = NULL;
  g_autofree char *err = NULL;
  guint n_pages;

  for (guint i = 1; i <= 60; i++)
    g_string_append_printf (letter,
                            "Absatz %u: Die Angaben zu Ihrer Bankverbindung (IBAN DE89 3704 0044 "
                            "0532 0130 00)\nwurden nach § 14 Abs. 1 WoGG erfasst und werden nach "
                            "Bestandskraft dieses\nBescheides gelöscht.\n\n", i);
  g_file_set_contents (input, letter->str, -1, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 2; i++)
    {
      const char *output = i == 0 ? first : second;
      const char *const args[] = { "--title", "Langer Brief", "--author", "Kreisverwaltung",
                                   "--date", "2025-02-03", input, output, NULL };

      g_clear_pointer (&err, g_free);
      g_assert_cmpint (run_generator (args, &err), ==, 0);
      g_assert_cmpstr (err, ==, "");
    }
  first_bytes = read_bytes (first);
  second_bytes = read_bytes (second);
  g_assert_true (g_bytes_equal (first_bytes, second_bytes));

  document = open_path (first);
  n_pages = sc_document_get_n_pages (document);
  g_assert_cmpuint (n_pages, >=, 3);
  for (guint i = 0; i < n_pages; i++)
    {
      g_autofree char *page_text = sc_document_get_page_text (document, i);
      g_autofree char *footer = g_strdup_printf ("Seite %u von %u", i + 1, n_pages);

      g_assert_nonnull (strstr (page_text, footer));
    }
  text = sc_document_get_text (document);
  g_assert_cmpfloat (words_in_order (letter->str, text), ==, 1.0);
  /* the IBAN is tied: never split over two lines */
  pieces = g_strsplit (text, "DE89 3704 0044 0532 0130 00", -1);
  g_assert_cmpuint (g_strv_length (pieces), ==, 61);
}

/* Bad input: one line on stderr naming the problem, a non-zero status, no output file. */
static void
test_generator_errors (void)
{
  g_autofree char *missing = g_build_filename (tmp_dir, "fehlt.txt", NULL);
  g_autofree char *binary = g_build_filename (tmp_dir, "binaer.txt", NULL);
  g_autofree char *empty = g_build_filename (tmp_dir, "leer.txt", NULL);
  g_autofree char *good = g_build_filename (tmp_dir, "gut.txt", NULL);
  g_autofree char *output = g_build_filename (tmp_dir, "fehler.pdf", NULL);
  g_autofree char *unwritable = g_build_filename (tmp_dir, "kein", "ordner", "x.pdf", NULL);
  g_autoptr(GError) error = NULL;
  const struct
  {
    const char *date;
    const char *style;
    const char *input;
    const char *output;
    int         status;
    const char *message;
  } cases[] = {
    { "2025-02-03", "letter", missing, output, 1, "fehlt.txt" },
    { "2025-02-03", "letter", binary, output, 1, "not UTF-8" },
    { "2025-02-03", "letter", empty, output, 1, "no text" },
    { "2025-02-03", "letter", good, unwritable, 1, "cannot write" },
    { "2025-02-30", "letter", good, output, 2, "usage" },
    { "2025-02-03", "brief", good, output, 2, "unknown style" },
  };

  g_file_set_contents (binary, "Frau Mustermann\n\xff\xfe Mainz\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (empty, "\n \n\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (good, "Mainz\n\nText.\n", -1, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *const args[] = { "--style", cases[i].style, "--title", "T", "--author", "A",
                                   "--date", cases[i].date, cases[i].input, cases[i].output,
                                   NULL };
      g_autofree char *err = NULL;

      g_assert_cmpint (run_generator (args, &err), ==, cases[i].status);
      g_assert_nonnull (strstr (err, cases[i].message));
      g_assert_cmpuint (strchr (err, '\n') - err + 1, ==, strlen (err));
      g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
    }
}

/* sichtung_samples_get_documents(): the seven PDFs in order from $SICHTUNG_SAMPLES_DIR, each a
 * sample by sichtung_samples_contains(); none from a folder that lacks them. */
static void
test_get_documents (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("SICHTUNG_SAMPLES_DIR"));
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autofree char *empty_dir = g_build_filename (tmp_dir, "leer", NULL);
  g_autoptr(GFile) elsewhere = NULL;
  g_autofree char *elsewhere_path = g_build_filename (tmp_dir, "03-bescheid.pdf", NULL);

  g_assert_nonnull (saved);
  documents = sichtung_samples_get_documents ();
  g_assert_cmpuint (documents->len, ==, G_N_ELEMENTS (samples));
  for (guint i = 0; i < documents->len; i++)
    {
      GFile *file = g_ptr_array_index (documents, i);
      g_autofree char *basename = g_file_get_basename (file);
      g_autofree char *expected = g_strconcat (samples[i].name, ".pdf", NULL);
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *built = pdf_path (samples[i].name);
      g_autoptr(GFile) built_file = g_file_new_for_path (built);

      g_assert_cmpstr (basename, ==, expected);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      g_assert_true (g_file_equal (file, built_file));
      g_assert_true (sichtung_samples_contains (file));
    }

  /* a file of the same name elsewhere is no sample */
  elsewhere = g_file_new_for_path (elsewhere_path);
  g_assert_false (sichtung_samples_contains (elsewhere));

  g_assert_cmpint (g_mkdir (empty_dir, 0700), ==, 0);
  g_setenv ("SICHTUNG_SAMPLES_DIR", empty_dir, TRUE);
  none = sichtung_samples_get_documents ();
  g_setenv ("SICHTUNG_SAMPLES_DIR", saved, TRUE);
  g_assert_cmpuint (none->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("sichtung-samples-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *test_path = g_strconcat ("/sichtung/samples/pdf/", samples[i].name, NULL);

      g_test_add_data_func (test_path, &samples[i], test_pdf);
    }
  g_test_add_func ("/sichtung/samples/letter-layout", test_letter_layout);
  g_test_add_func ("/sichtung/samples/decision-layout", test_decision_layout);
  g_test_add_func ("/sichtung/samples/antrag-analysis", test_antrag_analysis);
  g_test_add_func ("/sichtung/samples/generator-output", test_generator_output);
  g_test_add_func ("/sichtung/samples/generator-errors", test_generator_errors);
  g_test_add_func ("/sichtung/samples/get-documents", test_get_documents);

  result = g_test_run ();
  sc_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return result;
}
