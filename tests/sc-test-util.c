/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-test-util.c: inputs the tests build themselves. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "sc-test-util.h"

#define A4_WIDTH  595.276
#define A4_HEIGHT 841.89

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sichtung-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

char *
sc_test_write_pdf (const char *dir,
                   guint       n_pages)
{
  g_autofree char *tmp = NULL;
  char *path;
  cairo_surface_t *surface;
  cairo_t *cr;

  if (dir == NULL)
    dir = tmp = make_temp_dir ();
  path = g_build_filename (dir, "testbescheid.pdf", NULL);

  surface = cairo_pdf_surface_create (path, A4_WIDTH, A4_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, "Testbescheid");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, "Sichtung Test");
  cr = cairo_create (surface);

  for (guint page = 1; page <= n_pages; page++)
    {
      g_autofree char *footer = g_strdup_printf ("Seite %u von %u", page, n_pages);

      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                              CAIRO_FONT_WEIGHT_NORMAL);
      cairo_set_font_size (cr, 14);
      cairo_move_to (cr, 72, 100);
      cairo_show_text (cr, SC_TEST_PDF_LINE);
      cairo_move_to (cr, 72, 130);
      cairo_show_text (cr, footer);
      if (page % 2 == 1)
        {
          cairo_move_to (cr, 72, 160);
          cairo_show_text (cr, "Widerspruch");
        }
      /* A filled shape so a render is never blank even without fonts. */
      cairo_rectangle (cr, 72, 200, 200, 20);
      cairo_fill (cr);
      cairo_show_page (cr);
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return path;
}

char *
sc_test_write_file (const char *name,
                    const char *contents,
                    gssize      length)
{
  g_autofree char *dir = make_temp_dir ();
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

char *
sc_test_write_raw_pdf (const char        *dir,
                       const char        *name,
                       const char *const *objects,
                       const gsize       *lengths,
                       guint              n_objects)
{
  g_autoptr(GString) out = g_string_new ("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
  g_autofree gsize *offsets = g_new (gsize, n_objects);
  g_autofree char *fresh = dir == NULL ? make_temp_dir () : NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir != NULL ? dir : fresh, name, NULL);
  gsize xref;

  for (guint i = 0; i < n_objects; i++)
    {
      offsets[i] = out->len;
      g_string_append_printf (out, "%u 0 obj\n", i + 1);
      g_string_append_len (out, objects[i], lengths != NULL ? (gssize) lengths[i] : -1);
      g_string_append (out, "\nendobj\n");
    }
  xref = out->len;
  g_string_append_printf (out, "xref\n0 %u\n0000000000 65535 f \n", n_objects + 1);
  for (guint i = 0; i < n_objects; i++)
    g_string_append_printf (out, "%010" G_GSIZE_FORMAT " 00000 n \n", offsets[i]);
  g_string_append_printf (out, "trailer\n<< /Size %u /Root 1 0 R >>\nstartxref\n%"
                          G_GSIZE_FORMAT "\n%%%%EOF\n", n_objects + 1, xref);
  g_file_set_contents (path, out->str, (gssize) out->len, &error);
  g_assert_no_error (error);
  return path;
}

/* An image of @side × @side grey pixels, zlib-compressed zeros: a fraction of a megabyte that
 * would decode to side² bytes. */
static char *
image_object (guint  side,
              gsize *length)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB,
                                                                 9);
  g_autofree guint8 *zeros = g_malloc0 (1 << 20);
  g_autoptr(GByteArray) packed = g_byte_array_new ();
  guint64 left = (guint64) side * side;
  guint8 buffer[1 << 16];

  for (;;)
    {
      gsize in = (gsize) MIN (left, (guint64) (1 << 20)), read = 0, written = 0;
      GConverterResult result;

      result = g_converter_convert (G_CONVERTER (compressor), zeros, in, buffer, sizeof buffer,
                                    in == left ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                    &read, &written, NULL);
      g_assert_cmpint (result, !=, G_CONVERTER_ERROR);
      g_byte_array_append (packed, buffer, written);
      left -= read;
      if (result == G_CONVERTER_FINISHED)
        break;
    }

  g_autoptr(GString) object = g_string_new (NULL);
  g_string_append_printf (object, "<< /Type /XObject /Subtype /Image /Width %u /Height %u "
                          "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode "
                          "/Length %u >>\nstream\n", side, side, packed->len);
  g_string_append_len (object, (const char *) packed->data, packed->len);
  g_string_append (object, "\nendstream");
  *length = object->len;
  return g_string_free (g_steal_pointer (&object), FALSE);
}

char *
sc_test_write_image_pdf (const char *dir,
                         const char *name,
                         guint       side)
{
  static const char content[] =
    "BT /F1 12 Tf 72 800 Td (Anlage mit Bild) Tj ET q 500 0 0 600 50 100 cm /Im1 Do Q";
  g_autofree char *page_content = g_strdup_printf ("<< /Length %zu >>\nstream\n%s\nendstream",
                                                   strlen (content), content);
  gsize image_length = 0;
  g_autofree char *image = image_object (side, &image_length);
  const char *objects[] = {
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /XObject << /Im1 5 0 R >> "
    "/Font << /F1 6 0 R >> >> >>",
    /* The resources come from the page tree: inherited ones count as well. */
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
    page_content,
    image,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  };
  gsize lengths[G_N_ELEMENTS (objects)];

  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    lengths[i] = i == 4 ? image_length : strlen (objects[i]);
  return sc_test_write_raw_pdf (dir, name, objects, lengths, G_N_ELEMENTS (objects));
}

void
sc_test_remove_tree (const char *path)
{
  GDir *dir = NULL;
  const char *name;

  /* a link is removed, never followed */
  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      sc_test_remove_tree (child);
    }
  if (dir != NULL)
    {
      g_dir_close (dir);
      g_rmdir (path);
    }
  else
    g_remove (path);
}

gboolean
sc_test_wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
sc_test_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  guint id = g_timeout_add_full (G_PRIORITY_LOW, 10, sc_test_wake_up, NULL, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

GFile *
sc_test_sample_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "samples", name,
                                                 NULL);

  return g_file_new_for_path (path);
}

int
sc_test_run_cli (const char         *subcommand,
                 const char *const  *args,
                 char              **out,
                 char              **err)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  int wait_status = 0;

  g_ptr_array_add (argv, g_test_build_filename (G_TEST_BUILT, "..", "core", "cli",
                                                "sichtung-cli", NULL));
  g_ptr_array_add (argv, g_strdup (subcommand));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                &wait_status, &error);
  g_assert_no_error (error);
  return WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

double
sc_test_time_scale (void)
{
  const char *value = g_getenv ("SICHTUNG_TEST_TIME_SCALE");
  double scale = value != NULL ? g_ascii_strtod (value, NULL) : 1.0;

  return scale >= 1.0 ? scale : 1.0;
}
