/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-document-worker.c: PDFs read in sichtung-document-worker (sc-document-worker.h): the
 * same results as in-process, and a worker that crashes, hangs, runs out of memory, is
 * killed or is missing costs one page or one document, never the application. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "sc-document-private.h"
#include "sc-error.h"
#include "sc-paths.h"
#include "sc-test-util.h"

/* How a crashing worker's end is reported: AddressSanitizer catches the signal and exits. */
#if defined(__SANITIZE_ADDRESS__)
# define CRASH_REASON "ended unexpectedly (exit status 1)"
#else
# define CRASH_REASON "crashed or went over its memory limit (signal 11)"
#endif

static char *tmp_dir;
static char *pdf_path; /* sc_test_write_pdf (tmp_dir, 3) */

static ScDocument *
open_isolated (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  ScDocument *document = sc_document_new_from_file (file, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (_sc_document_is_isolated (document));
  return document;
}

static ScDocument *
open_local (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GBytes) bytes = NULL;
  ScDocument *document;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  document = _sc_document_new_local (bytes, "lokal.pdf", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (_sc_document_is_isolated (document));
  return document;
}

static gboolean
process_exists (GPid pid)
{
  return pid > 0 && kill (pid, 0) == 0;
}

static void
assert_boxes_equal (GArray *a,
                    GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const ScRect *r = &g_array_index (a, ScRect, i), *s = &g_array_index (b, ScRect, i);

      g_assert_cmpfloat (r->x, ==, s->x);
      g_assert_cmpfloat (r->y, ==, s->y);
      g_assert_cmpfloat (r->width, ==, s->width);
      g_assert_cmpfloat (r->height, ==, s->height);
    }
}

static void
assert_surfaces_equal (cairo_surface_t *a,
                       cairo_surface_t *b)
{
  int height = cairo_image_surface_get_height (a);
  int stride = cairo_image_surface_get_stride (a);

  g_assert_cmpint (cairo_image_surface_get_width (a), ==, cairo_image_surface_get_width (b));
  g_assert_cmpint (height, ==, cairo_image_surface_get_height (b));
  g_assert_cmpint (stride, ==, cairo_image_surface_get_stride (b));
  g_assert_cmpint (memcmp (cairo_image_surface_get_data (a), cairo_image_surface_get_data (b),
                           (gsize) stride * height), ==, 0);
}

/* Page sizes, metadata, text, layout, search hits and pixels are exactly what poppler gives
 * in this process; the worker is a process of its own, and goes with the document. */
static void
test_same_as_local (void)
{
  g_autoptr(ScDocument) isolated = open_isolated (pdf_path);
  g_autoptr(ScDocument) local = open_local (pdf_path);
  g_autofree char *meta_isolated = sc_document_get_metadata_text (isolated);
  g_autofree char *meta_local = sc_document_get_metadata_text (local);
  GPid pid = _sc_document_get_worker_pid (isolated);

  g_assert_cmpint (pid, >, 0);
  g_assert_cmpint (pid, !=, getpid ());
  g_assert_cmpuint (sc_document_get_n_pages (isolated), ==, 3);
  g_assert_cmpuint (sc_document_get_n_pages (local), ==, 3);
  g_assert_cmpstr (sc_document_get_metadata_title (isolated), ==, "Testbescheid");
  g_assert_cmpstr (sc_document_get_author (isolated), ==, sc_document_get_author (local));
  g_assert_cmpstr (meta_isolated, ==, meta_local);
  g_assert_false (sc_document_get_encrypted (isolated));

  for (guint page = 0; page < 3; page++)
    {
      g_autofree char *text_isolated = sc_document_get_page_text (isolated, page);
      g_autofree char *text_local = sc_document_get_page_text (local, page);
      g_autofree char *layout_text_isolated = NULL, *layout_text_local = NULL;
      g_autoptr(GArray) layout_isolated = NULL, layout_local = NULL;
      g_autoptr(GArray) hits_isolated = NULL, hits_local = NULL;
      g_autoptr(GError) error = NULL;
      cairo_surface_t *a, *b;
      double wi, hi, wl, hl;

      sc_document_get_page_size (isolated, page, &wi, &hi);
      sc_document_get_page_size (local, page, &wl, &hl);
      g_assert_cmpfloat (wi, ==, wl);
      g_assert_cmpfloat (hi, ==, hl);

      g_assert_nonnull (strstr (text_isolated, "Gewährung gemäß § 35"));
      g_assert_cmpstr (text_isolated, ==, text_local);

      layout_isolated = sc_document_get_page_layout (isolated, page, &layout_text_isolated);
      layout_local = sc_document_get_page_layout (local, page, &layout_text_local);
      g_assert_cmpstr (layout_text_isolated, ==, layout_text_local);
      g_assert_cmpuint (layout_isolated->len, >, 50);
      assert_boxes_equal (layout_isolated, layout_local);

      hits_isolated = sc_document_find_text (isolated, page, "straße");
      hits_local = sc_document_find_text (local, page, "straße");
      g_assert_cmpuint (hits_isolated->len, ==, 1);
      assert_boxes_equal (hits_isolated, hits_local);

      a = sc_document_render_page (isolated, page, 0.75, &error);
      g_assert_no_error (error);
      b = sc_document_render_page (local, page, 0.75, &error);
      g_assert_no_error (error);
      assert_surfaces_equal (a, b);
      cairo_surface_destroy (a);
      cairo_surface_destroy (b);
    }

  /* One worker served all of that. */
  g_assert_cmpint (_sc_document_get_worker_pid (isolated), ==, pid);
  g_clear_object (&isolated);
  g_assert_false (process_exists (pid));
}

/* A worker killed from outside is replaced, transparently: the request that finds it dead is
 * tried again with a new one. */
static void
test_killed (void)
{
  g_autoptr(ScDocument) document = open_isolated (pdf_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  cairo_surface_t *surface;
  GPid pid = _sc_document_get_worker_pid (document);

  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  surface = sc_document_render_page (document, 1, 0.5, &error);
  g_assert_no_error (error);
  cairo_surface_destroy (surface);
  g_assert_cmpint (_sc_document_get_worker_pid (document), !=, pid);
  g_assert_cmpint (_sc_document_get_worker_pid (document), >, 0);

  pid = _sc_document_get_worker_pid (document);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  text = sc_document_get_page_text (document, 0);
  g_assert_nonnull (strstr (text, "Seite 1 von 3"));
  g_assert_cmpint (_sc_document_get_worker_pid (document), !=, pid);
}

/* A worker that crashes while rendering a page (twice: the request is tried once more): that
 * page reports it (and is not tried again, so a viewer asking for it repeatedly does not crash
 * worker after worker); the other pages and the text are still there. */
static void
test_crash (void)
{
  g_autoptr(ScDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  cairo_surface_t *surface;
  GPid pid;

  g_setenv ("SICHTUNG_DOCUMENT_WORKER_FAULT", "crash-render", TRUE);
  document = open_isolated (pdf_path);

  surface = sc_document_render_page (document, 0, 1.0, &error);
  g_assert_null (surface);
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "Page 1 could not be shown"));
  g_assert_nonnull (strstr (error->message, CRASH_REASON));
  g_clear_error (&error);
  g_assert_cmpint (_sc_document_get_worker_pid (document), ==, 0);

  text = sc_document_get_page_text (document, 0);
  g_assert_nonnull (strstr (text, "Seite 1 von 3"));
  pid = _sc_document_get_worker_pid (document);
  g_assert_cmpint (pid, >, 0);

  /* Page 1 fails at once now, without a new worker. */
  surface = sc_document_render_page (document, 0, 1.0, &error);
  g_assert_null (surface);
  g_assert_nonnull (strstr (error->message, CRASH_REASON));
  g_clear_error (&error);
  g_assert_cmpint (_sc_document_get_worker_pid (document), ==, pid);

  g_unsetenv ("SICHTUNG_DOCUMENT_WORKER_FAULT");
}

/* A worker that stops answering is stopped after the time limit. */
static void
test_hang (void)
{
  g_autoptr(ScDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  cairo_surface_t *surface;
  GPid pid;

  g_setenv ("SICHTUNG_DOCUMENT_WORKER_FAULT", "hang-render", TRUE);
  g_setenv ("SICHTUNG_DOCUMENT_WORKER_TIMEOUT_MS", "1000", TRUE);
  document = open_isolated (pdf_path);
  pid = _sc_document_get_worker_pid (document);

  surface = sc_document_render_page (document, 2, 1.0, &error);
  g_assert_null (surface);
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "Page 3 could not be shown"));
  g_assert_nonnull (strstr (error->message, "longer than 1 second and"));
  g_assert_false (process_exists (pid));

  text = sc_document_get_page_text (document, 2);
  g_assert_nonnull (strstr (text, "Seite 3 von 3"));

  g_unsetenv ("SICHTUNG_DOCUMENT_WORKER_FAULT");
  g_unsetenv ("SICHTUNG_DOCUMENT_WORKER_TIMEOUT_MS");
}

/* The worker is held to a memory limit: one that takes memory until the limit stops it costs
 * the page, and the application keeps its memory. An image just below the image-size check
 * (11,000 × 11,000 pixels from a few hundred kilobytes of zeros) renders within 256 MiB.
 * (Not under AddressSanitizer, where the worker has no memory limit.) */
static void
test_memory_limit (void)
{
  g_autofree char *path = sc_test_write_image_pdf (tmp_dir, "bild.pdf", 11000);
  g_autoptr(ScDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  cairo_surface_t *surface;

#if defined(__SANITIZE_ADDRESS__)
  g_test_skip ("the worker has no memory limit under AddressSanitizer");
  return;
#endif

  g_setenv ("SICHTUNG_DOCUMENT_WORKER_MEMORY_MB", "256", TRUE);
  document = open_isolated (path);
  surface = sc_document_render_page (document, 0, 1.0, &error);
  g_assert_no_error (error);
  cairo_surface_destroy (surface);
  g_clear_object (&document);

  g_setenv ("SICHTUNG_DOCUMENT_WORKER_FAULT", "hog-render", TRUE);
  document = open_isolated (path);
  surface = sc_document_render_page (document, 0, 1.0, &error);
  g_assert_null (surface);
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "Page 1 could not be shown"));
  g_assert_nonnull (strstr (error->message, "memory limit"));
  g_clear_error (&error);

  text = sc_document_get_page_text (document, 0);
  g_assert_nonnull (strstr (text, "Anlage mit Bild"));
  g_unsetenv ("SICHTUNG_DOCUMENT_WORKER_FAULT");
  g_unsetenv ("SICHTUNG_DOCUMENT_WORKER_MEMORY_MB");
}

/* The worker cannot open sockets: what a hostile PDF could take over has no network. */
static void
test_sandbox (void)
{
  const char *argv[] = { SC_WORKER_BUILD_PATH, "--check-sandbox", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = -1;

#if !defined(__x86_64__) && !defined(__aarch64__)
  g_test_skip ("the seccomp filter is built for x86-64 and AArch64 only");
  return;
#endif
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                &err, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

/* Without the worker program PDFs are refused with a message, never read in-process; text
 * files still open (they are typeset here). */
static void
test_missing (void)
{
  g_autofree char *text_path = sc_test_write_file ("notiz.txt", "Vermerk vom 3. März\n", -1);
  g_autoptr(GFile) pdf = g_file_new_for_path (pdf_path);
  g_autoptr(GFile) text = g_file_new_for_path (text_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(ScDocument) document = NULL;

  g_setenv ("SICHTUNG_DOCUMENT_WORKER", "/nonexistent/sichtung-document-worker", TRUE);
  document = sc_document_new_from_file (pdf, NULL, NULL, &error);
  g_assert_null (document);
  g_assert_error (error, SC_ERROR, SC_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "is missing"));
  g_clear_error (&error);

  document = sc_document_new_from_file (text, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (_sc_document_is_isolated (document));
  g_unsetenv ("SICHTUNG_DOCUMENT_WORKER");
  g_remove (text_path);
}

/* Errors the worker reports about the file arrive as they are. */
static void
test_errors (void)
{
  g_autofree char *damaged = sc_test_write_file ("kaputt.pdf", "%PDF-1.7\n1 0 obj <<", -1);
  g_autoptr(GFile) file = g_file_new_for_path (damaged);
  g_autoptr(GError) error = NULL;
  g_autoptr(ScDocument) document = sc_document_new_from_file (file, NULL, NULL, &error);

  g_assert_null (document);
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_assert_cmpstr (error->message, ==, "“kaputt.pdf” is damaged and cannot be opened");
  g_remove (damaged);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("sichtung-worker-XXXXXX", &error);
  g_assert_no_error (error);
  pdf_path = sc_test_write_pdf (tmp_dir, 3);

  g_test_add_func ("/sichtung/document/worker/same-as-local", test_same_as_local);
  g_test_add_func ("/sichtung/document/worker/killed", test_killed);
  g_test_add_func ("/sichtung/document/worker/crash", test_crash);
  g_test_add_func ("/sichtung/document/worker/hang", test_hang);
  g_test_add_func ("/sichtung/document/worker/memory-limit", test_memory_limit);
  g_test_add_func ("/sichtung/document/worker/sandbox", test_sandbox);
  g_test_add_func ("/sichtung/document/worker/missing", test_missing);
  g_test_add_func ("/sichtung/document/worker/errors", test_errors);

  status = g_test_run ();
  sc_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  g_free (pdf_path);
  return status;
}
