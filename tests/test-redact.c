/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-redact.c: true redaction on generated PDFs with personal data planted in the hard cases
 * (every font type, kerning, ligatures, rotated pages, form XObjects, metadata and attachments,
 * a scanned page with an OCR layer, a fake redaction), checked by the built-in verification and
 * independently: poppler, pdftotext, a raw search of `qpdf --qdf` output and tesseract OCR of the
 * rendered pages, where those tools are installed. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sichtung-core.h"
#include "sc-pdf-content.h"
#include "sc-test-util.h"

typedef struct
{
  guint page;
  char *text;
} Entry;

typedef struct
{
  char      *file;
  GPtrArray *planted;  /* Entry * */
  GPtrArray *control;  /* Entry * */
  GStrv      hidden;
  GBytes    *output;   /* the redacted file, once its case test ran */
} Case;

static char *cases_dir;
static GPtrArray *cases;  /* Case * */
/* Over all cases, for the summary line. */
static guint total_outside, total_surviving;

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->text);
  g_free (entry);
}

static void
case_free (gpointer data)
{
  Case *c = data;

  g_free (c->file);
  g_ptr_array_unref (c->planted);
  g_ptr_array_unref (c->control);
  g_strfreev (c->hidden);
  g_clear_pointer (&c->output, g_bytes_unref);
  g_free (c);
}

static GPtrArray *
read_entries (GKeyFile   *keyfile,
              const char *group,
              const char *key)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func (entry_free);
  g_auto(GStrv) items = g_key_file_get_string_list (keyfile, group, key, NULL, NULL);

  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      Entry *entry = g_new0 (Entry, 1);
      const char *colon = strchr (items[i], ':');

      g_assert_nonnull (colon);
      entry->page = (guint) g_ascii_strtoull (items[i], NULL, 10);
      entry->text = g_strdup (colon + 1);
      g_ptr_array_add (entries, entry);
    }
  return entries;
}

/* Writes the cases with the generator built next to this test. */
static void
generate_cases (void)
{
  g_autofree char *generator = g_test_build_filename (G_TEST_BUILT, "redact-cases", NULL);
  g_autofree char *manifest = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) groups = NULL;
  const char *argv[] = { generator, NULL, NULL };
  int status = 0;

  cases_dir = g_dir_make_tmp ("sichtung-redact-XXXXXX", &error);
  g_assert_no_error (error);
  argv[1] = cases_dir;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  manifest = g_build_filename (cases_dir, "cases.ini", NULL);
  g_key_file_load_from_file (keyfile, manifest, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  cases = g_ptr_array_new_with_free_func (case_free);
  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      Case *c = g_new0 (Case, 1);

      c->file = g_strdup (groups[i]);
      c->planted = read_entries (keyfile, groups[i], "planted");
      c->control = read_entries (keyfile, groups[i], "control");
      c->hidden = g_key_file_get_string_list (keyfile, groups[i], "hidden", NULL, NULL);
      if (c->hidden == NULL)
        c->hidden = g_new0 (char *, 1);
      g_ptr_array_add (cases, c);
    }
  g_assert_cmpuint (cases->len, >=, 11);
}

/* Lower case without white space, so line breaks and spacing do not hide a match. */
static char *
squash (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0xFB01)
        g_string_append (out, "fi");
      else if (c == 0xFB02)
        g_string_append (out, "fl");
      else if (!g_unichar_isspace (c) && c != 0x00AD)
        g_string_append_unichar (out, g_unichar_tolower (c));
    }
  return g_string_free (out, FALSE);
}

static gboolean
text_contains (const char *haystack,
               const char *needle)
{
  g_autofree char *h = squash (haystack);
  g_autofree char *n = squash (needle);

  return strstr (h, n) != NULL;
}

static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle,
               gssize      length)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  gsize n = length < 0 ? strlen (needle) : (gsize) length;

  for (gsize i = 0; n > 0 && i + n <= size; i++)
    if (data[i] == (guint8) needle[0] && memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* The text in the encodings a PDF writer would store it in. */
static gboolean
raw_contains (GBytes     *bytes,
              const char *text)
{
  g_autofree char *latin1 = g_convert (text, -1, "WINDOWS-1252", "UTF-8", NULL, NULL, NULL);
  gsize utf16_length = 0;
  g_autofree char *utf16 = g_convert (text, -1, "UTF-16BE", "UTF-8", NULL, &utf16_length, NULL);

  return bytes_contain (bytes, text, -1) ||
         (latin1 != NULL && bytes_contain (bytes, latin1, -1)) ||
         (utf16 != NULL && bytes_contain (bytes, utf16, (gssize) utf16_length));
}

static gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  return path != NULL;
}

static char *
run_tool (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_auto(GStrv) env = g_get_environ ();

  /* tesseract's OpenMP threads only contend with each other on a small machine. */
  env = g_environ_setenv (env, "OMP_THREAD_LIMIT", "1", TRUE);
  g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  return out;
}

typedef struct
{
  Case   *c;
  GBytes *input;
  GBytes *output;
  guint   n_words_outside;
  guint   n_words_surviving;
} Redacted;

static void
redacted_clear (Redacted *r)
{
  g_clear_pointer (&r->input, g_bytes_unref);
  g_clear_pointer (&r->output, g_bytes_unref);
}

/* Redacts every hit of every planted text of @c and runs the built-in verification. */
static void
redact_case (Case     *c,
             Redacted *r)
{
  g_autofree char *path = g_build_filename (cases_dir, c->file, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ScDocument) document = NULL;
  g_autoptr(GArray) redactions = sc_redactions_new ();
  g_autoptr(ScRedactionReport) report = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  r->c = c;
  r->input = g_bytes_new_take (g_steal_pointer (&contents), length);
  document = sc_document_new_from_bytes (r->input, c->file, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < c->planted->len; i++)
    {
      Entry *entry = g_ptr_array_index (c->planted, i);
      g_autoptr(GArray) hits = sc_document_find_text (document, entry->page, entry->text);

      if (hits->len == 0)
        g_error ("%s: “%s” not found on page %u", c->file, entry->text, entry->page + 1);
      for (guint h = 0; h < hits->len; h++)
        {
          ScRect rect = g_array_index (hits, ScRect, h);

          rect.x -= 0.75;
          rect.y -= 0.5;
          rect.width += 1.5;
          rect.height += 1.0;
          sc_redactions_add (redactions, entry->page, &rect, entry->text,
                             i % 2 == 0 ? "§ 12 LTranspG RLP" : NULL);
        }
    }

  r->output = sc_redact_pdf (r->input, NULL, redactions, SC_REDACT_LABELS, &report, NULL,
                             &error);
  g_assert_no_error (error);
  g_assert_nonnull (r->output);
  sc_redact_verify (r->input, NULL, r->output, redactions, report, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s: %u areas, %u glyphs removed, %u images changed, %u removed, "
                  "%u shapes, %u annotations; %u of %u words outside survive",
                  c->file, report->n_redactions, report->n_glyphs_removed,
                  report->n_images_changed, report->n_images_removed, report->n_shapes_removed,
                  report->n_annotations_removed, report->n_words_surviving,
                  report->n_words_outside);
  for (guint i = 0; i < report->leaks->len; i++)
    g_test_message ("%s: leak: %s", c->file, (char *) g_ptr_array_index (report->leaks, i));
  g_assert_true (report->verified);
  /* With tesseract installed the built-in check reads the pages too. */
  if (have_program ("tesseract"))
    g_assert_true (report->ocr_checked);
  g_assert_cmpuint (report->leaks->len, ==, 0);
  g_assert_cmpuint (report->n_glyphs_removed + report->n_images_changed, >, 0);
  r->n_words_outside = report->n_words_outside;
  r->n_words_surviving = report->n_words_surviving;
  g_assert_cmpfloat (sc_redaction_report_get_surviving_ratio (report), >=, 0.99);
}

/* poppler on the output, without the engine's own checks. */
static void
check_with_poppler (Redacted *r)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScDocument) document = sc_document_new_from_bytes (r->output, NULL, NULL, &error);
  g_autofree char *text = NULL;
  g_autofree char *metadata = NULL;

  g_assert_no_error (error);
  text = sc_document_get_text (document);
  metadata = sc_document_get_metadata_text (document);
  for (guint i = 0; i < r->c->planted->len; i++)
    {
      Entry *entry = g_ptr_array_index (r->c->planted, i);

      if (text_contains (text, entry->text))
        g_error ("%s: poppler still finds “%s”", r->c->file, entry->text);
    }
  for (guint i = 0; r->c->hidden[i] != NULL; i++)
    {
      g_assert_false (text_contains (text, r->c->hidden[i]));
      g_assert_false (text_contains (metadata, r->c->hidden[i]));
    }
  for (guint i = 0; i < r->c->control->len; i++)
    {
      Entry *entry = g_ptr_array_index (r->c->control, i);
      g_autofree char *page = sc_document_get_page_text (document, entry->page);

      if (!text_contains (page, entry->text))
        g_error ("%s: “%s” no longer on page %u", r->c->file, entry->text, entry->page + 1);
    }
}

static char *
write_output (Redacted *r)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_strdelimit (g_strdup (r->c->file), ".", '_');
  char *path = g_strdup_printf ("%s/%s-redacted.pdf", cases_dir, base);

  g_file_set_contents (path, g_bytes_get_data (r->output, NULL),
                       (gssize) g_bytes_get_size (r->output), &error);
  g_assert_no_error (error);
  return path;
}

static void
check_with_tools (Redacted *r)
{
  g_autofree char *path = write_output (r);

  if (have_program ("pdftotext"))
    {
      const char *argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
      g_autofree char *text = run_tool (argv);

      for (guint i = 0; i < r->c->planted->len; i++)
        {
          Entry *entry = g_ptr_array_index (r->c->planted, i);

          if (text_contains (text, entry->text))
            g_error ("%s: pdftotext still finds “%s”", r->c->file, entry->text);
        }
      for (guint i = 0; r->c->hidden[i] != NULL; i++)
        g_assert_false (text_contains (text, r->c->hidden[i]));
    }
  if (have_program ("qpdf"))
    {
      g_autofree char *qdf = g_strconcat (path, ".qdf", NULL);
      const char *argv[] = { "qpdf", "--qdf", "--object-streams=disable",
                             "--decode-level=generalized", path, qdf, NULL };
      g_autofree char *ignored = run_tool (argv);
      g_autofree char *contents = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;

      g_file_get_contents (qdf, &contents, &length, &error);
      g_assert_no_error (error);
      bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
      for (guint i = 0; i < r->c->planted->len; i++)
        {
          Entry *entry = g_ptr_array_index (r->c->planted, i);

          if (raw_contains (bytes, entry->text))
            g_error ("%s: qpdf --qdf output still holds “%s”", r->c->file, entry->text);
        }
      for (guint i = 0; r->c->hidden[i] != NULL; i++)
        if (raw_contains (bytes, r->c->hidden[i]))
          g_error ("%s: qpdf --qdf output still holds “%s”", r->c->file, r->c->hidden[i]);
      g_unlink (qdf);
    }
  g_unlink (path);
}

static void
test_case (gconstpointer data)
{
  Case *c = (Case *) data;
  Redacted r = { 0 };

  redact_case (c, &r);
  total_outside += r.n_words_outside;
  total_surviving += r.n_words_surviving;
  check_with_poppler (&r);
  check_with_tools (&r);
  /* Kept for the OCR test, which reads the same files. */
  c->output = g_bytes_ref (r.output);
  redacted_clear (&r);
}

/* What OCR reads on the rendered pages: none of the planted texts, but the ordinary words. */
static void
test_ocr (void)
{
  guint read_controls = 0, n_controls = 0;

  if (!have_program ("tesseract") || !have_program ("pdftoppm"))
    {
      g_test_skip ("tesseract or pdftoppm is not installed");
      return;
    }
  for (guint i = 0; i < cases->len; i++)
    {
      Case *c = g_ptr_array_index (cases, i);
      Redacted r = { 0 };
      g_autofree char *path = NULL;
      g_autofree char *prefix = NULL;
      g_autoptr(GHashTable) pages = g_hash_table_new (NULL, NULL);
      GHashTableIter iter;
      gpointer key;

      /* The case tests come first and keep their outputs; run alone, this redacts itself. */
      if (c->output == NULL)
        {
          redact_case (c, &r);
          c->output = g_bytes_ref (r.output);
          redacted_clear (&r);
        }
      r.c = c;
      r.output = c->output;
      path = write_output (&r);
      prefix = g_strconcat (path, "-page", NULL);
      for (guint k = 0; k < c->planted->len; k++)
        g_hash_table_add (pages, GUINT_TO_POINTER (((Entry *) g_ptr_array_index (c->planted, k))->page + 1));
      g_hash_table_iter_init (&iter, pages);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          guint page = GPOINTER_TO_UINT (key);
          g_autofree char *number = g_strdup_printf ("%u", page);
          g_autofree char *image = g_strconcat (prefix, ".png", NULL);
          const char *render[] = { "pdftoppm", "-r", "150", "-gray", "-png", "-singlefile",
                                   "-f", number, "-l", number, path, prefix, NULL };
          const char *ocr[] = { "tesseract", image, "stdout", "-l", "deu", NULL };
          g_autofree char *rendered = run_tool (render);
          g_autofree char *text = run_tool (ocr);

          for (guint k = 0; k < c->planted->len; k++)
            {
              Entry *entry = g_ptr_array_index (c->planted, k);

              if (entry->page + 1 == page && text_contains (text, entry->text))
                g_error ("%s: OCR reads “%s” on page %u", c->file, entry->text, page);
            }
          for (guint k = 0; k < c->control->len; k++)
            {
              Entry *entry = g_ptr_array_index (c->control, k);

              if (entry->page + 1 != page)
                continue;
              n_controls++;
              read_controls += text_contains (text, entry->text);
            }
          g_unlink (image);
        }
      g_unlink (path);
    }
  /* OCR is not exact, but it must read most ordinary words, or it proved nothing above. */
  g_test_message ("OCR read %u of %u control texts", read_controls, n_controls);
  g_assert_cmpuint (read_controls * 10, >=, n_controls * 7);
}

static void
test_summary (void)
{
  g_test_message ("words outside the redactions: %u, still extractable: %u (%.2f %%)",
                  total_outside, total_surviving,
                  total_outside > 0 ? 100.0 * total_surviving / total_outside : 100.0);
  g_assert_cmpuint (total_outside, >, 500);
  g_assert_cmpuint (total_surviving * 100, >=, total_outside * 99);
}

/* A PDF with @content as its page and @pattern as the content of a tiling pattern /P1; objects
 * laid out with a correct cross-reference table. */
static GBytes *
minimal_pdf (const char *content,
             const char *pattern)
{
  const char *objects[] = {
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
    "/Resources << /Font << /F1 5 0 R >> /Pattern << /P1 6 0 R >> >> >>",
    NULL, /* page content */
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    NULL, /* pattern */
  };
  g_autofree char *page = g_strdup_printf ("<< /Length %zu >>\nstream\n%s\nendstream",
                                           strlen (content) + 1, content);
  g_autofree char *tile = g_strdup_printf ("<< /PatternType 1 /PaintType 1 /TilingType 1 "
                                           "/BBox [0 0 300 40] /XStep 300 /YStep 40 "
                                           "/Resources << /Font << /F1 5 0 R >> >> "
                                           "/Length %zu >>\nstream\n%s\nendstream",
                                           strlen (pattern) + 1, pattern);
  GString *pdf = g_string_new ("%PDF-1.4\n");
  gsize offsets[G_N_ELEMENTS (objects)];
  gsize xref;

  objects[3] = page;
  objects[5] = tile;
  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    {
      offsets[i] = pdf->len;
      g_string_append_printf (pdf, "%u 0 obj\n%s\nendobj\n", i + 1, objects[i]);
    }
  xref = pdf->len;
  g_string_append_printf (pdf, "xref\n0 %zu\n0000000000 65535 f \n", G_N_ELEMENTS (objects) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    g_string_append_printf (pdf, "%010zu 00000 n \n", offsets[i]);
  g_string_append_printf (pdf, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                          G_N_ELEMENTS (objects) + 1, xref);
  return g_string_free_to_bytes (pdf);
}

/* The engine does not look inside tiling patterns; a name drawn there stays in the file. The
 * check must see it in the file's data and refuse to write it. */
static void
test_refuses_leak (void)
{
  g_autofree char *out_path = g_build_filename (cases_dir, "leak.pdf", NULL);
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) redactions = sc_redactions_new ();
  g_autoptr(ScRedactionReport) report = NULL;
  g_autoptr(ScDocument) document = NULL;
  g_autoptr(GArray) hits = NULL;
  g_autoptr(GBytes) input = minimal_pdf ("BT /F1 12 Tf 72 760 Td (Antrag von Erika Mustermann "
                                         "auf Wohngeld) Tj ET\n"
                                         "/Pattern cs /P1 scn 72 500 300 40 re f",
                                         "BT /F1 10 Tf 5 15 Td (Erika Mustermann) Tj ET");

  document = sc_document_new_from_bytes (input, "leak.pdf", NULL, &error);
  g_assert_no_error (error);
  hits = sc_document_find_text (document, 0, "Erika Mustermann");
  g_assert_cmpuint (hits->len, ==, 1);
  sc_redactions_add (redactions, 0, &g_array_index (hits, ScRect, 0), "Erika Mustermann", NULL);

  g_assert_false (sc_redact_pdf_to_file (input, NULL, redactions, SC_REDACT_NONE, out, &report,
                                         NULL, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_LEAK);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->leaks->len, >, 0);
  g_assert_cmpuint (report->n_glyphs_removed, ==, 16);
  g_assert_false (g_file_test (out_path, G_FILE_TEST_EXISTS));
}

/* The unredacted file fails every check: text under the areas, the planted text in the text
 * and in the file's data, areas that are not black. */
static void
test_verify_detects (void)
{
  Case *c = g_ptr_array_index (cases, 0);
  g_autofree char *path = g_build_filename (cases_dir, c->file, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) redactions = sc_redactions_new ();
  g_autoptr(ScRedactionReport) report = sc_redaction_report_new ();
  g_autoptr(ScDocument) document = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) input = NULL;
  gboolean under = FALSE, text = FALSE, black = FALSE, ocr = FALSE;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  input = g_bytes_new_take (g_steal_pointer (&contents), length);
  document = sc_document_new_from_bytes (input, c->file, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < c->planted->len; i++)
    {
      Entry *entry = g_ptr_array_index (c->planted, i);
      g_autoptr(GArray) hits = sc_document_find_text (document, entry->page, entry->text);

      for (guint h = 0; h < hits->len; h++)
        sc_redactions_add (redactions, entry->page, &g_array_index (hits, ScRect, h),
                           entry->text, NULL);
    }
  g_assert_true (sc_redact_verify (input, NULL, input, redactions, report, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < report->leaks->len; i++)
    {
      const char *leak = g_ptr_array_index (report->leaks, i);

      under |= strstr (leak, "under a redaction") != NULL;
      text |= strstr (leak, "text of the redacted file") != NULL;
      black |= strstr (leak, "not opaque black") != NULL;
      ocr |= strstr (leak, "Text recognition reads") != NULL;
    }
  g_assert_true (under);
  g_assert_true (text);
  g_assert_true (black);
  g_assert_true (ocr == report->ocr_checked);
}

/* Numbers in rewritten content: written the way PDF wants them (no exponent, at most five
 * decimals), whole numbers in full however large, and read back as the same value. */
static void
test_numbers (void)
{
  static const struct { double value; const char *text; } numbers[] = {
    { 0, "0" }, { -0.0, "0" }, { 12, "12" }, { -3.5, "-3.5" }, { 0.333333, "0.33333" },
    { 1e15, "1000000000000000" }, { -1152921504606846976.0, "-1152921504606846976" },
    { 5.5555555555555556e61,
      "55555555555555558769886663484831657077409927176391135454035968" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(GString) again = g_string_new (NULL);
      g_autoptr(GPtrArray) ops = NULL;
      g_autoptr(GError) error = NULL;
      const ScPdfOp *op;
      const ScPdfObj *operand;

      sc_pdf_write_number (out, numbers[i].value);
      g_assert_cmpstr (out->str, ==, numbers[i].text);
      g_string_append (out, " w");
      ops = sc_pdf_content_parse ((const guint8 *) out->str, out->len, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (ops->len, ==, 1);
      op = g_ptr_array_index (ops, 0);
      g_assert_cmpstr (op->name, ==, "w");
      g_assert_cmpuint (op->operands->len, ==, 1);
      operand = g_ptr_array_index (op->operands, 0);
      g_assert_true (sc_pdf_obj_is_number (operand));
      sc_pdf_write_number (again, operand->number);
      g_assert_cmpstr (again->str, ==, numbers[i].text);
    }
}

/* Damaged and hostile page content: an error or a result, never a crash or a hang. */
static void
test_hostile_content (void)
{
  static const char *const contents[] = {
    "BT /F1 12 Tf 72 760 Td (Erika Mustermann unterminated",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ BT ET",
    "Q Q Q BT /F1 12 Tf 72 760 Td (Erika Mustermann) Tj Q ET Q",
    "BT /Nope 12 Tf 72 760 Td (Erika Mustermann) Tj",
    "BT /F1 0 Tf 0 Tz 72 760 Td (Erika Mustermann) Tj ET",
    "BT /F1 12 Tf 1e999 2 3 4 5 6 Tm 72 760 Td (Erika Mustermann) Tj ET",
    "BT /F1 12 Tf 72 760 Td 5 TJ (Erika) 7 ' [/x (Mustermann) <<>>] TJ ET cm re l m",
    "q 0 0 0 0 0 0 cm BT /F1 12 Tf 72 760 Td (Erika Mustermann) Tj ET Q",
    "BI /W 4 /H 4 /CS /G /BPC 8 ID \x01\x02\x03 no end",
    "BT /F1 12 Tf 72 760 Td <4572696B61204D75737465726D616E6E Tj ET",
    "72 500 300 40 re W n /X0 Do /P1 sh BMC BDC EMC EMC EMC",
    "/ Tf BT / 12 Tf 72 760 Td (Erika Mustermann) Tj ET / Do",
    "BT /F1 12 Tf 72 760 Td (\\\\\\) \\(\\377\\400) Tj ) ] >> } { ET",
  };
  g_autoptr(GBytes) base = NULL;
  ScRect area = { 60, 60, 300, 40 };

  for (guint i = 0; i < G_N_ELEMENTS (contents); i++)
    {
      g_autoptr(GBytes) input = minimal_pdf (contents[i], "BT ET");
      g_autoptr(GArray) redactions = sc_redactions_new ();
      g_autoptr(ScRedactionReport) report = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) output = NULL;

      sc_redactions_add (redactions, 0, &area, "Erika Mustermann", "§ 12 LTranspG RLP");
      output = sc_redact_pdf (input, NULL, redactions, SC_REDACT_LABELS, &report, NULL, &error);
      g_test_message ("content %u: %s", i, output != NULL ? "redacted" : error->message);
      g_assert_true ((output != NULL) != (error != NULL));
      if (output != NULL)
        {
          g_autoptr(ScRedactionReport) check = sc_redaction_report_new ();

          g_assert_true (sc_redact_verify (input, NULL, output, redactions, check, NULL,
                                           &error));
          g_assert_no_error (error);
        }
    }

  /* Random damage to a real page. */
  base = minimal_pdf ("BT /F1 12 Tf 72 760 Td (Antrag von Erika Mustermann) Tj 0 -14 Td "
                      "[(IBAN DE02) -250 (1203 0000 0000 2020 51)] TJ ET "
                      "q 100 0 0 20 72 700 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\x00\xff EI Q",
                      "BT ET");
  for (guint round = 0; round < 200; round++)
    {
      gsize length;
      const guint8 *data = g_bytes_get_data (base, &length);
      g_autofree guint8 *copy = g_memdup2 (data, length);
      g_autoptr(GBytes) input = NULL;
      g_autoptr(GArray) redactions = sc_redactions_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) output = NULL;
      ScRect line = { 60, 70, 400, 30 };
      /* Only the page content (object 4): the cross-reference table stays usable. */
      const char *start = g_strstr_len ((const char *) copy, (gssize) length, "stream\n");
      gsize offset = (gsize) (start - (const char *) copy) + 7;

      for (int k = 0; k < 4; k++)
        copy[offset + (gsize) g_test_rand_int_range (0, 120)] = (guint8) g_test_rand_int_range (0, 256);
      input = g_bytes_new (copy, length);
      sc_redactions_add (redactions, 0, &line, "Erika Mustermann", NULL);
      output = sc_redact_pdf (input, NULL, redactions, SC_REDACT_NONE, NULL, NULL, &error);
      g_assert_true ((output != NULL) != (error != NULL));
    }
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* `sichtung-cli redact`: from the analysis (rules only here) and from a case database. */
static void
test_cli (void)
{
  g_autofree char *input = g_build_filename (cases_dir, "truetype.pdf", NULL);
  g_autofree char *output = g_build_filename (cases_dir, "cli-redacted.pdf", NULL);
  g_autofree char *db = g_build_filename (cases_dir, "faelle.sqlite", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = read_bytes (input);
  g_autoptr(ScDocument) redacted = NULL;
  g_autoptr(GBytes) redacted_bytes = NULL;
  g_autofree char *text = NULL;
  const char *analyse[] = { input, "-o", output, "--no-model", "--categories", "iban,email,phone",
                            "--label", "§ 12 LTranspG RLP", NULL };
  const char *same[] = { input, "-o", input, "--no-model", NULL };
  const char *unknown[] = { input, "-o", output, "--categories", "iban,nonsense", NULL };
  int status;

  status = sc_test_run_cli ("redact", analyse, &out, &err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "\"passed\": true"));
  g_assert_nonnull (strstr (out, "\"written\": true"));
  redacted_bytes = read_bytes (output);
  redacted = sc_document_new_from_bytes (redacted_bytes, NULL, NULL, &error);
  g_assert_no_error (error);
  text = sc_document_get_text (redacted);
  g_assert_false (text_contains (text, "DE02 1203 0000 0000 2020 51"));
  g_assert_false (text_contains (text, "j.weissgerber@example.org"));
  g_assert_true (text_contains (text, "Wohngeldbehörde"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Never over the original. */
  g_assert_cmpint (sc_test_run_cli ("redact", same, &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "original"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (sc_test_run_cli ("redact", unknown, &out, &err), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The accepted decisions of a stored document, labelled with their legal basis. */
  {
    g_autoptr(ScStore) store = sc_store_open (db, &error);
    g_autoptr(ScDocument) document = sc_document_new_from_bytes (bytes, "truetype.pdf", NULL,
                                                                 &error);
    g_autoptr(ScAnalyzer) analyzer = sc_analyzer_new ();
    g_autoptr(ScAnalysis) analysis = NULL;
    g_autoptr(GPtrArray) findings = NULL;
    g_autofree char *doc_id = NULL;
    g_autofree char *page = NULL;
    gboolean added = FALSE;
    gint64 case_id, id;
    guint accepted = 0;
    const char *from_db[] = { input, "-o", output, "--case-db", db, "--document", NULL, "--labels",
                              NULL };

    g_assert_no_error (error);
    case_id = sc_store_create_case (store, "Wohngeld", "", &error);
    g_assert_no_error (error);
    id = sc_store_import_document (store, case_id, "truetype.pdf", document, bytes, &added,
                                   &error);
    g_assert_no_error (error);
    analysis = sc_analyzer_run (analyzer, document, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    sc_store_set_findings (store, id, sc_analysis_get_findings (analysis), NULL, NULL, NULL,
                           &error);
    g_assert_no_error (error);
    findings = sc_store_list_findings (store, id, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < findings->len; i++)
      {
        ScStoreFinding *f = g_ptr_array_index (findings, i);

        if (f->finding->finding->category != SC_FINDING_IBAN)
          continue;
        sc_store_decide (store, f->id, SC_STORE_DECISION_ACCEPTED, NULL, "§ 12 LTranspG RLP",
                         &error);
        g_assert_no_error (error);
        accepted++;
      }
    g_assert_cmpuint (accepted, >, 0);
    g_clear_object (&store);

    doc_id = g_strdup_printf ("%" G_GINT64_FORMAT, id);
    from_db[6] = doc_id;
    g_unlink (output);
    status = sc_test_run_cli ("redact", from_db, &out, &err);
    g_assert_cmpint (status, ==, 0);
    g_clear_pointer (&redacted_bytes, g_bytes_unref);
    g_clear_object (&redacted);
    redacted_bytes = read_bytes (output);
    redacted = sc_document_new_from_bytes (redacted_bytes, NULL, NULL, &error);
    g_assert_no_error (error);
    page = sc_document_get_page_text (redacted, 0);
    g_assert_false (text_contains (page, "DE02 1203 0000 0000 2020 51"));
    /* Only the decisions: the e-mail address was not accepted and stays. */
    g_assert_true (text_contains (page, "j.weissgerber@example.org"));
    g_assert_true (text_contains (page, "§ 12 LTranspG RLP"));
  }
}

static void
test_bad_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) redactions = sc_redactions_new ();
  g_autoptr(GBytes) text = g_bytes_new_static ("not a pdf at all", 16);
  g_autoptr(GBytes) broken = g_bytes_new_static ("%PDF-1.4\n1 0 obj << /Type /Catalog", 34);
  GBytes *result;

  result = sc_redact_pdf (text, NULL, redactions, SC_REDACT_NONE, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  result = sc_redact_pdf (broken, NULL, redactions, SC_REDACT_NONE, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_nonnull (error);
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* The leak messages are checked in English. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_unsetenv ("LANGUAGE");
  g_test_init (&argc, &argv, NULL);
  generate_cases ();
  for (guint i = 0; i < cases->len; i++)
    {
      Case *c = g_ptr_array_index (cases, i);
      g_autofree char *name = g_strdelimit (g_strdup (c->file), ".", '\0');
      g_autofree char *test_path = g_strdup_printf ("/sichtung/redact/case/%s", name);

      g_test_add_data_func (test_path, c, test_case);
    }
  g_test_add_func ("/sichtung/redact/case/surviving-words", test_summary);
  g_test_add_func ("/sichtung/redact/case/ocr", test_ocr);
  g_test_add_func ("/sichtung/redact/refuses-leak", test_refuses_leak);
  g_test_add_func ("/sichtung/redact/verify-detects", test_verify_detects);
  g_test_add_func ("/sichtung/redact/bad-input", test_bad_input);
  g_test_add_func ("/sichtung/redact/hostile-content", test_hostile_content);
  g_test_add_func ("/sichtung/redact/numbers", test_numbers);
  g_test_add_func ("/sichtung/redact/cli", test_cli);
  status = g_test_run ();
  g_ptr_array_unref (cases);
  sc_test_remove_tree (cases_dir);
  g_free (cases_dir);
  return status;
}
