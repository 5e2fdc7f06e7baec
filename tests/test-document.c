/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-document.c: ScDocument on PDFs written with cairo, on text files, on broken and
 * encrypted input, and the `text` and `info` subcommands of sichtung-cli. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "sichtung-core.h"
#include "sc-test-util.h"

#define N_PAGES   4
#define A4_WIDTH  595.276
#define A4_HEIGHT 841.89

static char *tmp_dir; /* one directory for the whole run, removed at the end */
static char *pdf_path; /* sc_test_write_pdf (tmp_dir, N_PAGES) */

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static char *
write_tmp_file (const char *name,
                const char *contents,
                gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmp_dir, name, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

static ScDocument *
open_path (const char  *path,
           const char  *password,
           GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return sc_document_new_from_file (file, password, NULL, error);
}

static ScDocument *
open_test_pdf (void)
{
  g_autoptr(GError) error = NULL;
  ScDocument *document = open_path (pdf_path, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (document);
  return document;
}

static ScDocument *
open_text (const char *name,
           const char *contents,
           gssize      length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_tmp_file (name, contents, length);
  ScDocument *document = open_path (path, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (document);
  g_assert_cmpint (sc_document_get_kind (document), ==, SC_DOCUMENT_KIND_TEXT);
  return document;
}

static void
assert_open_fails (const char *path,
                   const char *password,
                   ScError     code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScDocument) document = open_path (path, password, &error);
  g_autofree char *basename = g_path_get_basename (path);

  g_assert_error (error, SC_ERROR, (int) code);
  g_assert_null (document);
  /* Messages are for people: they name the file, not its whole path. */
  g_assert_nonnull (strstr (error->message, basename));
}

static guint
count_non_white (cairo_surface_t *surface)
{
  const guint8 *data;
  int width, height, stride;
  guint count = 0;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < height; y++)
    {
      const guint32 *row = (const guint32 *) (data + (gsize) y * stride);

      for (int x = 0; x < width; x++)
        {
          if ((row[x] & 0xFFFFFF) != 0xFFFFFF)
            count++;
        }
    }
  return count;
}

static guint
count_char (const char *text,
            char        c)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == c;
  return n;
}

/* ------------------------------------------------------------------------------------------ */
/* PDF documents                                                                               */
/* ------------------------------------------------------------------------------------------ */

static void
test_pdf_metadata (void)
{
  g_autoptr(ScDocument) document = open_test_pdf ();
  g_autoptr(GFile) expected = g_file_new_for_path (pdf_path);

  g_assert_cmpint (sc_document_get_kind (document), ==, SC_DOCUMENT_KIND_PDF);
  g_assert_cmpuint (sc_document_get_n_pages (document), ==, N_PAGES);
  g_assert_cmpstr (sc_document_get_title (document), ==, "Testbescheid");
  g_assert_cmpstr (sc_document_get_metadata_title (document), ==, "Testbescheid");
  g_assert_cmpstr (sc_document_get_author (document), ==, "Sichtung Test");
  g_assert_false (sc_document_get_encrypted (document));
  g_assert_true (g_file_equal (sc_document_get_file (document), expected));
}

static void
test_pdf_page_size (void)
{
  g_autoptr(ScDocument) document = open_test_pdf ();

  for (guint i = 0; i < N_PAGES; i++)
    {
      double width = 0, height = 0;

      sc_document_get_page_size (document, i, &width, &height);
      g_assert_cmpfloat_with_epsilon (width, A4_WIDTH, 0.5);
      g_assert_cmpfloat_with_epsilon (height, A4_HEIGHT, 0.5);
    }
}

static void
test_pdf_page_text (void)
{
  g_autoptr(ScDocument) document = open_test_pdf ();

  for (guint i = 0; i < N_PAGES; i++)
    {
      g_autofree char *text = sc_document_get_page_text (document, i);
      g_autofree char *footer = g_strdup_printf ("Seite %u von %u", i + 1, N_PAGES);

      g_assert_true (g_utf8_validate (text, -1, NULL));
      g_assert_nonnull (strstr (text, "Gewährung"));
      g_assert_nonnull (strstr (text, "§ 35 VwVfG"));
      g_assert_nonnull (strstr (text, "Straße"));
      g_assert_nonnull (strstr (text, footer));
      g_assert_true ((strstr (text, "Widerspruch") != NULL) == (i % 2 == 0));
    }
}

static void
test_pdf_text (void)
{
  g_autoptr(ScDocument) document = open_test_pdf ();
  g_autofree char *text = sc_document_get_text (document);
  g_auto(GStrv) pages = NULL;

  g_assert_cmpuint (count_char (text, '\f'), ==, N_PAGES);
  g_assert_true (g_str_has_suffix (text, "\f"));
  pages = g_strsplit (text, "\f", -1);
  g_assert_cmpuint (g_strv_length (pages), ==, N_PAGES + 1);
  for (guint i = 0; i < N_PAGES; i++)
    {
      g_autofree char *page_text = sc_document_get_page_text (document, i);

      g_assert_cmpstr (pages[i], ==, page_text);
    }
}

static void
test_pdf_render (void)
{
  g_autoptr(ScDocument) document = open_test_pdf ();
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  double width, height;
  guint inked;

  sc_document_get_page_size (document, 1, &width, &height);
  surface = sc_document_render_page (document, 1, 2.0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (surface);
  g_assert_cmpint (cairo_surface_get_type (surface), ==, CAIRO_SURFACE_TYPE_IMAGE);
  g_assert_cmpint (cairo_image_surface_get_format (surface), ==, CAIRO_FORMAT_ARGB32);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, (int) ceil (width * 2));
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, (int) ceil (height * 2));
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 1191);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 1684);

  /* The filled 200 × 20 pt bar alone is 400 × 40 px at this scale; text adds more. */
  inked = count_non_white (surface);
  g_assert_cmpuint (inked, >, 16000);
  /* A white background, not a transparent one, and the page is mostly white. */
  g_assert_cmpuint (inked, <, 1191 * 1684 / 4);
  g_assert_cmphex (((guint32 *) cairo_image_surface_get_data (surface))[0], ==, 0xFFFFFFFF);
  cairo_surface_destroy (surface);

  /* A fractional scale rounds up. */
  surface = sc_document_render_page (document, 0, 0.3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, (int) ceil (width * 0.3));
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, (int) ceil (height * 0.3));
  cairo_surface_destroy (surface);
}

static void
test_pdf_render_bad_arguments (void)
{
  g_autoptr(ScDocument) document = open_test_pdf ();
  const double bad_scales[] = { 0, -1, NAN, INFINITY, 30.0, 1e9 };

  for (guint i = 0; i < G_N_ELEMENTS (bad_scales); i++)
    {
      g_autoptr(GError) error = NULL;
      cairo_surface_t *surface = sc_document_render_page (document, 0, bad_scales[i], &error);

      g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
      g_assert_null (surface);
    }

  {
    g_autoptr(GError) error = NULL;
    cairo_surface_t *surface = sc_document_render_page (document, N_PAGES, 1.0, &error);

    g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
    g_assert_null (surface);
  }
}

static void
assert_rect_on_page (const ScRect *rect)
{
  g_assert_cmpfloat (rect->width, >, 0);
  g_assert_cmpfloat (rect->height, >, 0);
  g_assert_cmpfloat (rect->x, >=, 0);
  g_assert_cmpfloat (rect->y, >=, 0);
  g_assert_cmpfloat (rect->x + rect->width, <=, A4_WIDTH);
  g_assert_cmpfloat (rect->y + rect->height, <=, A4_HEIGHT);
}

static void
test_pdf_find (void)
{
  g_autoptr(ScDocument) document = open_test_pdf ();

  for (guint i = 0; i < N_PAGES; i++)
    {
      g_autoptr(GArray) hits = sc_document_find_text (document, i, "widerspruch");
      g_autoptr(GArray) upper = sc_document_find_text (document, i, "WIDERSPRUCH");
      g_autoptr(GArray) umlaut = sc_document_find_text (document, i, "gewährung");
      g_autoptr(GArray) none = sc_document_find_text (document, i, "Baugenehmigung");
      g_autoptr(GArray) empty = sc_document_find_text (document, i, "");

      g_assert_nonnull (hits);
      g_assert_cmpuint (none->len, ==, 0);
      g_assert_cmpuint (empty->len, ==, 0);
      g_assert_cmpuint (umlaut->len, ==, 1);
      assert_rect_on_page (&g_array_index (umlaut, ScRect, 0));

      if (i % 2 == 1)
        {
          /* Page i + 1 is even: no "Widerspruch" there. */
          g_assert_cmpuint (hits->len, ==, 0);
          g_assert_cmpuint (upper->len, ==, 0);
          continue;
        }

      g_assert_cmpuint (hits->len, ==, 1);
      g_assert_cmpuint (upper->len, ==, 1);
      {
        const ScRect *rect = &g_array_index (hits, ScRect, 0);
        const ScRect *rect_upper = &g_array_index (upper, ScRect, 0);

        assert_rect_on_page (rect);
        /* Drawn at x = 72 with its baseline at y = 160 (from the top), 14 pt. */
        g_assert_cmpfloat_with_epsilon (rect->x, 72, 2);
        g_assert_cmpfloat (rect->y, <, 160);
        g_assert_cmpfloat (rect->y, >, 135);
        g_assert_cmpfloat (rect->y + rect->height, >, 155);
        g_assert_cmpfloat (rect->y + rect->height, <, 170);
        g_assert_cmpfloat (rect->width, >, 50);
        g_assert_cmpfloat (rect->width, <, 150);
        g_assert_cmpfloat_with_epsilon (rect->x, rect_upper->x, 0.01);
        g_assert_cmpfloat_with_epsilon (rect->y, rect_upper->y, 0.01);
      }
    }
}

static void
open_async_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  gpointer *out = user_data;
  g_autoptr(GError) error = NULL;

  out[0] = sc_document_new_from_file_finish (result, &error);
  g_assert_no_error (error);
  g_main_loop_quit (out[1]);
}

static void
test_pdf_async (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GFile) file = g_file_new_for_path (pdf_path);
  g_autoptr(ScDocument) document = NULL;
  gpointer out[2] = { NULL, loop };

  sc_document_new_from_file_async (file, NULL, NULL, open_async_done, out);
  g_main_loop_run (loop);
  document = out[0];
  g_assert_true (SC_IS_DOCUMENT (document));
  g_assert_cmpuint (sc_document_get_n_pages (document), ==, N_PAGES);
}

static void
open_async_error_done (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  gpointer *out = user_data;
  GError *error = NULL;
  ScDocument *document = sc_document_new_from_file_finish (result, &error);

  g_assert_null (document);
  out[0] = error;
  g_main_loop_quit (out[1]);
}

static void
test_pdf_async_error (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *path = g_build_filename (tmp_dir, "fehlt.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  gpointer out[2] = { NULL, loop };

  sc_document_new_from_file_async (file, NULL, NULL, open_async_error_done, out);
  g_main_loop_run (loop);
  error = out[0];
  g_assert_error (error, SC_ERROR, SC_ERROR_IO);
}

static void
test_pdf_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GFile) file = g_file_new_for_path (pdf_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(ScDocument) document = NULL;

  g_cancellable_cancel (cancellable);
  document = sc_document_new_from_file (file, NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (document);
}

static void
test_pdf_from_bytes (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ScDocument) document = NULL;
  gsize length;

  g_file_get_contents (pdf_path, &contents, &length, &error);
  g_assert_no_error (error);
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  document = sc_document_new_from_bytes (bytes, "bescheid.pdf", NULL, &error);
  g_assert_no_error (error);
  /* The document keeps what it needs: the caller's reference can go. */
  g_clear_pointer (&bytes, g_bytes_unref);
  g_assert_null (sc_document_get_file (document));
  g_assert_cmpuint (sc_document_get_n_pages (document), ==, N_PAGES);
  {
    g_autofree char *text = sc_document_get_page_text (document, N_PAGES - 1);

    g_assert_nonnull (strstr (text, "Gewährung"));
  }
}

/* Junk before the header is allowed, as in other readers; sniffing looks at 1 KiB. */
static void
test_pdf_leading_junk (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GString) junk = g_string_new (NULL);
  g_autoptr(ScDocument) document = NULL;
  gsize length;

  g_file_get_contents (pdf_path, &contents, &length, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 20; i++)
    g_string_append (junk, "Kopfzeile eines Mailprogramms\n");
  g_string_append_len (junk, contents, length);
  path = write_tmp_file ("mit-kopf.pdf", junk->str, junk->len);

  document = open_path (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sc_document_get_kind (document), ==, SC_DOCUMENT_KIND_PDF);
  g_assert_cmpuint (sc_document_get_n_pages (document), ==, N_PAGES);
}

typedef struct
{
  ScDocument *document;
  guint       first_page;
} ThreadData;

static gpointer
render_thread (gpointer user_data)
{
  ThreadData *data = user_data;

  for (guint round = 0; round < 3; round++)
    {
      for (guint i = 0; i < N_PAGES; i++)
        {
          guint page = (data->first_page + i) % N_PAGES;
          g_autoptr(GError) error = NULL;
          cairo_surface_t *surface = sc_document_render_page (data->document, page, 0.5,
                                                              &error);
          g_autoptr(GArray) hits = sc_document_find_text (data->document, page, "Mainz");
          g_autofree char *text = sc_document_get_page_text (data->document, page);

          g_assert_no_error (error);
          g_assert_cmpuint (count_non_white (surface), >, 0);
          cairo_surface_destroy (surface);
          g_assert_cmpuint (hits->len, ==, 1);
          g_assert_nonnull (strstr (text, "Mainz"));
        }
    }
  return NULL;
}

/* Render threads and the main thread use one document at once (run under a sanitizer or
 * valgrind to make this test meaningful; here it checks that nothing deadlocks or mixes up). */
static void
test_pdf_threads (void)
{
  g_autoptr(ScDocument) document = open_test_pdf ();
  ThreadData data[4];
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      data[i] = (ThreadData) { document, i };
      threads[i] = g_thread_new ("render", render_thread, &data[i]);
    }
  for (guint n = 0; n < 1000; n++)
    {
      double width, height;

      sc_document_get_page_size (document, n % N_PAGES, &width, &height);
      g_assert_cmpfloat_with_epsilon (width, A4_WIDTH, 0.5);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

/* ------------------------------------------------------------------------------------------ */
/* Files that do not open                                                                      */
/* ------------------------------------------------------------------------------------------ */

static void
test_error_missing (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "gibt-es-nicht.pdf", NULL);

  assert_open_fails (path, NULL, SC_ERROR_IO);
}

static void
test_error_directory (void)
{
  assert_open_fails (tmp_dir, NULL, SC_ERROR_IO);
}

static void
test_error_binary (void)
{
  static const char junk[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\xff\xfe\x00\x13";
  g_autofree char *path = write_tmp_file ("bild.pdf", junk, sizeof junk - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(ScDocument) document = open_path (path, NULL, &error);

  g_assert_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED);
  g_assert_null (document);
  g_assert_nonnull (strstr (error->message, "bild.pdf"));
}

static void
test_error_corrupt (void)
{
  static const char damaged[] = "%PDF-1.7\n\x01\x02 das ist kein PDF, nur Müll\n%%EOF\n";
  g_autofree char *path = write_tmp_file ("kaputt.pdf", damaged, sizeof damaged - 1);
  g_autofree char *truncated = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  assert_open_fails (path, NULL, SC_ERROR_CORRUPT);

  /* The first few hundred bytes of a real PDF: the header is right, the rest is gone. */
  g_file_get_contents (pdf_path, &contents, &length, &error);
  g_assert_no_error (error);
  truncated = write_tmp_file ("abgeschnitten.pdf", contents, MIN (length, 300));
  assert_open_fails (truncated, NULL, SC_ERROR_CORRUPT);
}

/* ---- Hostile PDFs, written object by object --------------------------------------------- */

static char *
write_raw_pdf (const char        *name,
               const char *const *objects,
               const gsize       *lengths,
               guint              n_objects)
{
  return sc_test_write_raw_pdf (tmp_dir, name, objects, lengths, n_objects);
}

/* A page tree whose node lists itself among its kids. */
static void
test_hostile_recursive_pages (void)
{
  const char *objects[] = {
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
  };
  g_autofree char *path = write_raw_pdf ("rekursiv.pdf", objects, NULL, G_N_ELEMENTS (objects));
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(ScDocument) doc = sc_document_new_from_file (file, NULL, NULL, &error);

  /* Refused with a message, or read without the loop: never a hang or a crash. */
  if (doc == NULL)
    {
      g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
      g_assert_nonnull (strstr (error->message, "rekursiv.pdf"));
    }
  else
    g_assert_cmpuint (sc_document_get_n_pages (doc), <=, 2);
}

/* 10,000 pages sharing one content stream: all there, the last one readable. */
static void
test_hostile_many_pages (void)
{
  const guint n = 10000;
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) kids = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  static const char content[] = "BT /F1 12 Tf 72 720 Td (Seite) Tj ET";

  g_ptr_array_add (objects, g_strdup ("<< /Type /Catalog /Pages 2 0 R >>"));
  g_ptr_array_add (objects, NULL); /* the page tree, below */
  g_ptr_array_add (objects, g_strdup_printf ("<< /Length %zu >>\nstream\n%s\nendstream",
                                             strlen (content), content));
  g_ptr_array_add (objects, g_strdup ("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"));
  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (objects, g_strdup ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                                          "/Contents 3 0 R /Resources << /Font << /F1 4 0 R >> "
                                          ">> >>"));
      g_string_append_printf (kids, "%u 0 R ", objects->len);
    }
  objects->pdata[1] = g_strdup_printf ("<< /Type /Pages /Kids [%s] /Count %u >>", kids->str, n);

  g_autofree char *path = write_raw_pdf ("seiten.pdf", (const char *const *) objects->pdata,
                                         NULL, objects->len);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ScDocument) doc = sc_document_new_from_file (file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sc_document_get_n_pages (doc), ==, n);
  g_autofree char *last = sc_document_get_page_text (doc, n - 1);
  g_assert_nonnull (strstr (last, "Seite"));
  cairo_surface_t *surface = sc_document_render_page (doc, n - 1, 0.5, &error);
  g_assert_no_error (error);
  cairo_surface_destroy (surface);
}

/* A decompression bomb: 12,000 × 12,000 pixels from a fraction of a megabyte. The page is not
 * rendered (which would take gigabytes), with a message saying why; its text still reads. An
 * ordinary image of 1,000 × 1,000 pixels is shown. */
static void
test_hostile_image_bomb (void)
{
  g_autofree char *bomb = sc_test_write_image_pdf (tmp_dir, "bombe.pdf", 12000);
  g_autofree char *normal = sc_test_write_image_pdf (tmp_dir, "bild.pdf", 1000);
  g_autoptr(GFile) bomb_file = g_file_new_for_path (bomb);
  g_autoptr(GFile) normal_file = g_file_new_for_path (normal);
  g_autoptr(GError) error = NULL;
  g_autoptr(ScDocument) doc = sc_document_new_from_file (bomb_file, NULL, NULL, &error);
  g_autoptr(ScDocument) ok = NULL;
  g_autofree char *text = NULL;
  cairo_surface_t *surface;

  g_assert_no_error (error);
  surface = sc_document_render_page (doc, 0, 1.0, &error);
  g_assert_null (surface);
  g_assert_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "12000 × 12000"));
  g_clear_error (&error);
  text = sc_document_get_page_text (doc, 0);
  g_assert_nonnull (strstr (text, "Anlage mit Bild"));

  ok = sc_document_new_from_file (normal_file, NULL, NULL, &error);
  g_assert_no_error (error);
  surface = sc_document_render_page (ok, 0, 0.5, &error);
  g_assert_no_error (error);
  cairo_surface_destroy (surface);
}

/* The same as an inline image in the content stream (its data need not even be there). */
static void
test_hostile_inline_bomb (void)
{
  static const char content[] =
    "q 500 0 0 600 50 100 cm BI /W 40000 /H 40000 /CS /G /BPC 8 /F /Fl ID \x78\x9c\x03\x00"
    "\x00\x00\x00\x01 EI Q";
  g_autoptr(GString) page_content = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_string_append_printf (page_content, "<< /Length %zu >>\nstream\n", sizeof content - 1);
  g_string_append_len (page_content, content, sizeof content - 1);
  g_string_append (page_content, "\nendstream");

  const char *objects[] = {
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
    page_content->str,
  };
  gsize lengths[G_N_ELEMENTS (objects)];
  for (guint i = 0; i < 3; i++)
    lengths[i] = strlen (objects[i]);
  lengths[3] = page_content->len;

  g_autofree char *path = write_raw_pdf ("inline.pdf", objects, lengths, G_N_ELEMENTS (objects));
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ScDocument) doc = sc_document_new_from_file (file, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_null (sc_document_render_page (doc, 0, 1.0, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "40000 × 40000"));
}

/* A cross-reference table whose offsets are wrong: read by reconstruction. */
static void
test_hostile_broken_xref (void)
{
  const char *objects[] = {
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
  };
  g_autofree char *path = write_raw_pdf ("xref.pdf", objects, NULL, G_N_ELEMENTS (objects));
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  char *xref;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  /* Every offset points nowhere near its object. */
  xref = strstr (contents, "xref\n");
  for (char *p = strstr (xref, " 00000 n"); p != NULL; p = strstr (p + 1, " 00000 n"))
    memcpy (p - 10, "0000099999", 10);
  g_assert_true (g_file_set_contents (path, contents, (gssize) length, NULL));

  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ScDocument) doc = sc_document_new_from_file (file, NULL, NULL, &error);
  if (doc == NULL)
    g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  else
    {
      cairo_surface_t *surface = sc_document_render_page (doc, 0, 0.5, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (sc_document_get_n_pages (doc), ==, 1);
      cairo_surface_destroy (surface);
    }
}

/* Files too large to read are refused before they are read: any file over 1 GiB, and a text
 * file over 32 MiB. Sparse files, so the test writes almost nothing. */
static void
test_hostile_too_large (void)
{
  g_autofree char *huge = g_build_filename (tmp_dir, "riesig.txt", NULL);
  g_autofree char *large = g_build_filename (tmp_dir, "gross.txt", NULL);
  g_autoptr(GError) error = NULL;
  FILE *f;

  f = g_fopen (huge, "wb");
  g_assert_nonnull (f);
  g_assert_cmpint (fputs ("Bescheid", f), >=, 0);
  g_assert_cmpint (ftruncate (fileno (f), (off_t) 3 << 30), ==, 0);
  fclose (f);
  assert_open_fails (huge, NULL, SC_ERROR_NOT_SUPPORTED);
  {
    g_autoptr(GFile) file = g_file_new_for_path (huge);
    g_assert_null (sc_document_new_from_file (file, NULL, NULL, &error));
    g_assert_nonnull (strstr (error->message, "riesig.txt"));
    g_assert_nonnull (strstr (error->message, "too large to open"));
    g_clear_error (&error);
  }

  f = g_fopen (large, "wb");
  g_assert_nonnull (f);
  g_assert_cmpint (fputs ("Sehr geehrte Frau Mustermann,\n", f), >=, 0);
  g_assert_cmpint (ftruncate (fileno (f), (off_t) 40 << 20), ==, 0);
  fclose (f);
  {
    g_autoptr(GFile) file = g_file_new_for_path (large);
    g_assert_null (sc_document_new_from_file (file, NULL, NULL, &error));
    g_assert_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED);
    g_assert_nonnull (strstr (error->message, "too large for a text document"));
  }
  g_unlink (huge);
  g_unlink (large);
}

static void
test_error_empty (void)
{
  g_autofree char *empty = write_tmp_file ("leer.pdf", "", 0);
  g_autofree char *blank = write_tmp_file ("leer.txt", " \n\t\r\n\f  \n", -1);

  assert_open_fails (empty, NULL, SC_ERROR_EMPTY);
  assert_open_fails (blank, NULL, SC_ERROR_EMPTY);
}

/* A well-formed PDF whose page tree is empty. */
static void
test_error_no_pages (void)
{
  static const char *objects[] = {
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [] /Count 0 >>",
  };
  g_autoptr(GString) pdf = g_string_new ("%PDF-1.4\n");
  g_autofree char *path = NULL;
  gsize offsets[G_N_ELEMENTS (objects)];
  gsize xref;

  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    {
      offsets[i] = pdf->len;
      g_string_append_printf (pdf, "%u 0 obj\n%s\nendobj\n", i + 1, objects[i]);
    }
  xref = pdf->len;
  g_string_append_printf (pdf, "xref\n0 %u\n0000000000 65535 f \n",
                          (guint) G_N_ELEMENTS (objects) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    g_string_append_printf (pdf, "%010" G_GSIZE_FORMAT " 00000 n \n", offsets[i]);
  g_string_append_printf (pdf, "trailer\n<< /Size %u /Root 1 0 R >>\nstartxref\n%"
                          G_GSIZE_FORMAT "\n%%%%EOF\n",
                          (guint) G_N_ELEMENTS (objects) + 1, xref);

  path = write_tmp_file ("ohne-seiten.pdf", pdf->str, pdf->len);
  assert_open_fails (path, NULL, SC_ERROR_EMPTY);
}

/* Encrypts the test PDF with qpdf; NULL (and the test skipped or failed) without qpdf. */
static char *
encrypt_test_pdf (const char *user_password,
                  const char *name)
{
  g_autofree char *qpdf = g_find_program_in_path ("qpdf");
  g_autofree char *out = g_build_filename (tmp_dir, name, NULL);
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (qpdf == NULL)
    {
      if (g_strcmp0 (g_getenv ("SICHTUNG_REQUIRE_TOOLS"), "1") == 0)
        g_test_fail_printf ("qpdf is needed for this test (SICHTUNG_REQUIRE_TOOLS=1)");
      else
        g_test_skip ("qpdf is not installed");
      return NULL;
    }

  {
    const char *argv[] = {
      qpdf, "--encrypt", user_password, "Eigentümer", "256", "--", pdf_path, out, NULL
    };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                  &err, &status, &error);
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("qpdf failed: %s\n%s", error->message, err);
  return g_steal_pointer (&out);
}

static void
test_error_encrypted (void)
{
  g_autofree char *path = encrypt_test_pdf ("geheim", "verschluesselt.pdf");
  g_autoptr(GError) error = NULL;
  g_autoptr(ScDocument) document = NULL;

  if (path == NULL)
    return;

  assert_open_fails (path, NULL, SC_ERROR_NEEDS_PASSWORD);
  assert_open_fails (path, "", SC_ERROR_NEEDS_PASSWORD);
  assert_open_fails (path, "falsch", SC_ERROR_BAD_PASSWORD);
  assert_open_fails (path, "Geheim", SC_ERROR_BAD_PASSWORD);

  document = open_path (path, "geheim", &error);
  g_assert_no_error (error);
  g_assert_true (sc_document_get_encrypted (document));
  g_assert_cmpuint (sc_document_get_n_pages (document), ==, N_PAGES);
  g_assert_cmpstr (sc_document_get_title (document), ==, "Testbescheid");
  {
    g_autofree char *text = sc_document_get_page_text (document, 0);
    g_autoptr(GArray) hits = sc_document_find_text (document, 0, "widerspruch");

    g_assert_nonnull (strstr (text, "§ 35 VwVfG"));
    g_assert_cmpuint (hits->len, ==, 1);
  }
}

/* Only an owner password (restrictions, no password to open): opens without one, and is
 * reported as not encrypted because nobody has to type a password. */
static void
test_owner_password_only (void)
{
  g_autofree char *path = encrypt_test_pdf ("", "nur-eigentuemer.pdf");
  g_autoptr(GError) error = NULL;
  g_autoptr(ScDocument) document = NULL;

  if (path == NULL)
    return;

  document = open_path (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (sc_document_get_encrypted (document));
  g_assert_cmpuint (sc_document_get_n_pages (document), ==, N_PAGES);
}

/* ------------------------------------------------------------------------------------------ */
/* Text documents                                                                              */
/* ------------------------------------------------------------------------------------------ */

static void
test_text_utf8 (void)
{
  static const char text[] =
    "Bescheid über die Gewährung gemäß § 35 VwVfG\n"
    "\tEingerückt mit Tab,   drei Leerzeichen und 5 €.\n"
    "Straße in Mainz\n";
  g_autoptr(ScDocument) document = open_text ("bescheid.txt", text, -1);
  g_autofree char *page_text = NULL;
  g_autofree char *all = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  double width, height;

  g_assert_cmpuint (sc_document_get_n_pages (document), ==, 1);
  g_assert_cmpstr (sc_document_get_title (document), ==, "bescheid.txt");
  g_assert_null (sc_document_get_metadata_title (document));
  g_assert_null (sc_document_get_author (document));
  g_assert_false (sc_document_get_encrypted (document));
  sc_document_get_page_size (document, 0, &width, &height);
  g_assert_cmpfloat_with_epsilon (width, A4_WIDTH, 0.5);
  g_assert_cmpfloat_with_epsilon (height, A4_HEIGHT, 0.5);

  /* The source text, not what poppler reads back: tabs and runs of spaces survive. */
  page_text = sc_document_get_page_text (document, 0);
  g_assert_cmpstr (page_text, ==, text);
  all = sc_document_get_text (document);
  g_assert_true (g_str_has_prefix (all, text));
  g_assert_cmpstr (all + strlen (text), ==, "\f");

  surface = sc_document_render_page (document, 0, 1.0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_non_white (surface), >, 500);
  cairo_surface_destroy (surface);
}

static void
test_text_search (void)
{
  g_autoptr(ScDocument) document =
    open_text ("suche.txt", "Erste Zeile\nHier steht der Widerspruch gegen den Bescheid.\n"
               "Noch ein widerspruch, und Größe mit Umlaut.\n", -1);
  g_autoptr(GArray) hits = sc_document_find_text (document, 0, "WIDERSPRUCH");
  g_autoptr(GArray) umlaut = sc_document_find_text (document, 0, "größe");

  g_assert_cmpuint (hits->len, ==, 2);
  g_assert_cmpuint (umlaut->len, ==, 1);
  for (guint i = 0; i < hits->len; i++)
    assert_rect_on_page (&g_array_index (hits, ScRect, i));
  /* Reading order: the second hit is on the line below the first. */
  g_assert_cmpfloat (g_array_index (hits, ScRect, 0).y, <, g_array_index (hits, ScRect, 1).y);
  /* Inside the 2 cm margins. */
  g_assert_cmpfloat (g_array_index (hits, ScRect, 0).y, >, 56);
  g_assert_cmpfloat (g_array_index (hits, ScRect, 0).x, >, 56);
}

static void
test_text_many_pages (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autoptr(ScDocument) document = NULL;
  g_autoptr(GArray) first = NULL;
  g_autoptr(GArray) last = NULL;
  guint n_pages;

  for (guint i = 1; i <= 400; i++)
    g_string_append_printf (text, "Zeile %u: Gewährung gemäß § %u VwVfG\n", i, i);
  document = open_text ("lang.txt", text->str, text->len);
  n_pages = sc_document_get_n_pages (document);
  g_assert_cmpuint (n_pages, >=, 5);
  g_assert_cmpuint (n_pages, <=, 12);

  /* Every line is on exactly one page, in order. */
  for (guint i = 0; i < n_pages; i++)
    {
      g_autofree char *page_text = sc_document_get_page_text (document, i);

      g_assert_cmpuint (strlen (page_text), >, 0);
      g_string_append (joined, page_text);
    }
  g_assert_cmpstr (joined->str, ==, text->str);

  first = sc_document_find_text (document, 0, "zeile 1:");
  last = sc_document_find_text (document, n_pages - 1, "Zeile 400:");
  g_assert_cmpuint (first->len, ==, 1);
  g_assert_cmpuint (last->len, ==, 1);
}

static void
test_text_wrapping (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(ScDocument) document = NULL;
  g_autofree char *page_text = NULL;
  g_autoptr(GArray) hits = NULL;

  /* One paragraph far wider than the page and a word wider than a line. */
  for (guint i = 0; i < 60; i++)
    g_string_append (text, "Verwaltungsverfahrensgesetz ");
  g_string_append_c (text, '\n');
  for (guint i = 0; i < 300; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, "\nEnde");

  document = open_text ("umbruch.txt", text->str, -1);
  g_assert_cmpuint (sc_document_get_n_pages (document), ==, 1);
  page_text = sc_document_get_page_text (document, 0);
  g_assert_cmpstr (page_text, ==, text->str);
  /* Wrapped at the spaces, each word whole on its line. */
  hits = sc_document_find_text (document, 0, "verwaltungsverfahrensgesetz");
  g_assert_cmpuint (hits->len, ==, 60);
  for (guint i = 0; i < hits->len; i++)
    assert_rect_on_page (&g_array_index (hits, ScRect, i));
}

static void
test_text_form_feed (void)
{
  g_autoptr(ScDocument) document = open_text ("seiten.txt", "Seite eins\n\fSeite zwei\n\f", -1);
  g_autofree char *one = sc_document_get_page_text (document, 0);
  g_autofree char *two = sc_document_get_page_text (document, 1);
  g_autofree char *all = sc_document_get_text (document);

  /* A form feed at the very end adds no empty page. */
  g_assert_cmpuint (sc_document_get_n_pages (document), ==, 2);
  g_assert_cmpstr (one, ==, "Seite eins\n");
  g_assert_cmpstr (two, ==, "Seite zwei\n");
  g_assert_cmpstr (all, ==, "Seite eins\n\fSeite zwei\n\f");
}

static void
test_text_windows_1252 (void)
{
  /* "Straße, März, 5 €, „Zitat“" in Windows-1252; 0xE4 is ä. */
  static const char cp1252[] = "Stra\xdf" "e, M\xe4rz, 5 \x80, \x84Zitat\x93\r\nZweite Zeile\r\n";
  g_autoptr(ScDocument) document = open_text ("alt.txt", cp1252, -1);
  g_autofree char *page_text = sc_document_get_page_text (document, 0);
  g_autoptr(GArray) hits = sc_document_find_text (document, 0, "märz");

  g_assert_cmpstr (page_text, ==, "Straße, März, 5 €, „Zitat“\nZweite Zeile\n");
  g_assert_cmpuint (hits->len, ==, 1);
}

static void
test_text_bom_and_crlf (void)
{
  g_autoptr(ScDocument) document = open_text ("bom.txt", "\xef\xbb\xbfÄrger\r\nÖl\rÜbel", -1);
  g_autofree char *page_text = sc_document_get_page_text (document, 0);

  g_assert_cmpstr (page_text, ==, "Ärger\nÖl\nÜbel");
}

static void
test_text_utf16 (void)
{
  /* "Gemäß §" as UTF-16LE with a byte-order mark, as Windows Notepad saves "Unicode". */
  static const char utf16[] = "\xff\xfeG\0e\0m\0\xe4\0\xdf\0 \0\xa7\0\n\0";
  g_autoptr(ScDocument) document = open_text ("utf16.txt", utf16, sizeof utf16 - 1);
  g_autofree char *page_text = sc_document_get_page_text (document, 0);

  g_assert_cmpstr (page_text, ==, "Gemäß §\n");
}

/* ------------------------------------------------------------------------------------------ */
/* sichtung-cli                                                                                */
/* ------------------------------------------------------------------------------------------ */

/* Runs sichtung-cli with @args; returns FALSE (and skips the test) when it is not built. */
static gboolean
run_cli (const char * const *args,
         char              **out,
         char              **err,
         int                *exit_status)
{
  g_autofree char *cli = g_test_build_filename (G_TEST_BUILT, "..", "core", "cli",
                                                "sichtung-cli", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  if (!g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("sichtung-cli is not built");
      return FALSE;
    }

  g_ptr_array_add (argv, cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  *exit_status = WEXITSTATUS (wait_status);
  return TRUE;
}

static void
test_cli_text (void)
{
  const char *args[] = { "text", pdf_path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  if (!run_cli (args, &out, &err, &status))
    return;
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpuint (count_char (out, '\f'), ==, N_PAGES);
  g_assert_nonnull (strstr (out, "Gewährung gemäß § 35 VwVfG"));
  g_assert_nonnull (strstr (out, "Seite 4 von 4"));
}

static void
test_cli_info (void)
{
  const char *args[] = { "info", pdf_path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  if (!run_cli (args, &out, &err, &status))
    return;
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (out, "{\n  \"file\": \""));
  g_assert_nonnull (strstr (out, "\"kind\": \"pdf\""));
  g_assert_nonnull (strstr (out, "\"pages\": 4,"));
  g_assert_nonnull (strstr (out, "\"title\": \"Testbescheid\""));
  g_assert_nonnull (strstr (out, "\"author\": \"Sichtung Test\""));
  g_assert_nonnull (strstr (out, "\"encrypted\": false"));
  g_assert_nonnull (strstr (out, "\"page_sizes\": ["));
  g_assert_nonnull (strstr (out, "\"width\": 595.27"));
  g_assert_nonnull (strstr (out, "\"height\": 841.89"));
  g_assert_true (g_str_has_suffix (out, "}\n"));
}

static void
test_cli_info_text (void)
{
  g_autofree char *path = write_tmp_file ("notiz.txt", "Kurze Notiz über § 1\n", -1);
  const char *args[] = { "info", path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  if (!run_cli (args, &out, &err, &status))
    return;
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "\"kind\": \"text\""));
  g_assert_nonnull (strstr (out, "\"pages\": 1,"));
  g_assert_nonnull (strstr (out, "\"title\": null"));
  g_assert_nonnull (strstr (out, "\"author\": null"));
}

static void
test_cli_errors (void)
{
  g_autofree char *junk = write_tmp_file ("junk.bin", "\x7f" "ELF\x02\x01\x01\0\0\0", 10);
  g_autofree char *missing = g_build_filename (tmp_dir, "fehlt.pdf", NULL);
  const char *cases[][4] = {
    { "info", junk, NULL },
    { "text", missing, NULL },
    { "text", NULL },
    { "info", pdf_path, "--unbekannt", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      if (!run_cli (cases[i], &out, &err, &status))
        return;
      g_assert_cmpint (status, !=, 0);
      g_assert_cmpstr (out, ==, "");
      g_assert_true (g_str_has_prefix (err, "sichtung-cli: "));
      g_assert_true (g_str_has_suffix (err, "\n"));
      g_assert_cmpuint (count_char (err, '\n'), ==, 1);
    }
}

static void
test_cli_password (void)
{
  g_autofree char *path = encrypt_test_pdf ("geheim", "cli-verschluesselt.pdf");
  const char *without[] = { "info", path, NULL };
  const char *wrong[] = { "info", path, "--password", "falsch", NULL };
  const char *right[] = { "info", path, "--password", "geheim", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  if (path == NULL)
    return;
  if (!run_cli (without, &out, &err, &status))
    return;
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "password"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  run_cli (wrong, &out, &err, &status);
  g_assert_cmpint (status, !=, 0);
  g_assert_cmpuint (count_char (err, '\n'), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  run_cli (right, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "\"encrypted\": true"));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("sichtung-test-document-XXXXXX", &error);
  g_assert_no_error (error);
  pdf_path = sc_test_write_pdf (tmp_dir, N_PAGES);

  g_test_add_func ("/sichtung/document/pdf/metadata", test_pdf_metadata);
  g_test_add_func ("/sichtung/document/pdf/page-size", test_pdf_page_size);
  g_test_add_func ("/sichtung/document/pdf/page-text", test_pdf_page_text);
  g_test_add_func ("/sichtung/document/pdf/text", test_pdf_text);
  g_test_add_func ("/sichtung/document/pdf/render", test_pdf_render);
  g_test_add_func ("/sichtung/document/pdf/render-bad-arguments", test_pdf_render_bad_arguments);
  g_test_add_func ("/sichtung/document/pdf/find", test_pdf_find);
  g_test_add_func ("/sichtung/document/pdf/async", test_pdf_async);
  g_test_add_func ("/sichtung/document/pdf/async-error", test_pdf_async_error);
  g_test_add_func ("/sichtung/document/pdf/cancelled", test_pdf_cancelled);
  g_test_add_func ("/sichtung/document/pdf/from-bytes", test_pdf_from_bytes);
  g_test_add_func ("/sichtung/document/pdf/leading-junk", test_pdf_leading_junk);
  g_test_add_func ("/sichtung/document/pdf/threads", test_pdf_threads);
  g_test_add_func ("/sichtung/document/error/missing", test_error_missing);
  g_test_add_func ("/sichtung/document/error/directory", test_error_directory);
  g_test_add_func ("/sichtung/document/error/binary", test_error_binary);
  g_test_add_func ("/sichtung/document/error/corrupt", test_error_corrupt);
  g_test_add_func ("/sichtung/document/error/empty", test_error_empty);
  g_test_add_func ("/sichtung/document/error/no-pages", test_error_no_pages);
  g_test_add_func ("/sichtung/document/error/encrypted", test_error_encrypted);
  g_test_add_func ("/sichtung/document/hostile/recursive-pages", test_hostile_recursive_pages);
  g_test_add_func ("/sichtung/document/hostile/many-pages", test_hostile_many_pages);
  g_test_add_func ("/sichtung/document/hostile/image-bomb", test_hostile_image_bomb);
  g_test_add_func ("/sichtung/document/hostile/inline-bomb", test_hostile_inline_bomb);
  g_test_add_func ("/sichtung/document/hostile/broken-xref", test_hostile_broken_xref);
  g_test_add_func ("/sichtung/document/hostile/too-large", test_hostile_too_large);
  g_test_add_func ("/sichtung/document/pdf/owner-password-only", test_owner_password_only);
  g_test_add_func ("/sichtung/document/text/utf8", test_text_utf8);
  g_test_add_func ("/sichtung/document/text/search", test_text_search);
  g_test_add_func ("/sichtung/document/text/many-pages", test_text_many_pages);
  g_test_add_func ("/sichtung/document/text/wrapping", test_text_wrapping);
  g_test_add_func ("/sichtung/document/text/form-feed", test_text_form_feed);
  g_test_add_func ("/sichtung/document/text/windows-1252", test_text_windows_1252);
  g_test_add_func ("/sichtung/document/text/bom-and-crlf", test_text_bom_and_crlf);
  g_test_add_func ("/sichtung/document/text/utf16", test_text_utf16);
  g_test_add_func ("/sichtung/document/cli/text", test_cli_text);
  g_test_add_func ("/sichtung/document/cli/info", test_cli_info);
  g_test_add_func ("/sichtung/document/cli/info-text", test_cli_info_text);
  g_test_add_func ("/sichtung/document/cli/errors", test_cli_errors);
  g_test_add_func ("/sichtung/document/cli/password", test_cli_password);

  result = g_test_run ();

  sc_test_remove_tree (tmp_dir);
  g_free (pdf_path);
  g_free (tmp_dir);
  return result;
}
