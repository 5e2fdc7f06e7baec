/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-document-view.c: SichtungDocumentView and SichtungPageCache on a real PDF, on screen.
 *
 * Runs under xvfb with GSK_RENDERER=cairo. Waits are bounded by a generous deadline so a
 * broken renderer fails instead of hanging; nothing asserts how fast anything is.
 */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <math.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "sichtung-document-view.h"
#include "sichtung-page-cache.h"
#include "sc-test-util.h"

#define N_PAGES 5
#define A4_WIDTH_PT 595.276

typedef struct
{
  char                 *path;
  ScDocument           *document;
  GtkWidget            *window;
  SichtungDocumentView *view;
} Fixture;

typedef gboolean (*Condition) (gpointer data);

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @condition holds or a deadline passes; returns the condition. */
static gboolean
wait_for (Condition condition,
          gpointer  data)
{
  gint64 deadline = g_get_monotonic_time ()
                    + (gint64) (20 * sc_test_time_scale ()) * G_USEC_PER_SEC;
  guint tick = g_timeout_add_full (G_PRIORITY_LOW, 10, tick_cb, NULL, NULL);

  while (!condition (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick);
  return condition (data);
}

static gboolean
view_allocated (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) > 0;
}

static gboolean
page_0_rendered (gpointer data)
{
  g_autoptr(GdkTexture) texture = sichtung_document_view_get_page_texture (data, 0);

  return texture != NULL;
}

static gboolean
renders_settled (gpointer data)
{
  return sichtung_document_view_get_pending_renders (data) == 0;
}

static gboolean
search_finished (gpointer data)
{
  return !sichtung_document_view_get_search_active (data);
}

static ScDocument *
open_document (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  ScDocument *document = sc_document_new_from_file (file, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (document);
  return document;
}

static void
remove_test_file (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *scrolled;

  fixture->path = sc_test_write_pdf (NULL, N_PAGES);
  fixture->document = open_document (fixture->path);
  g_assert_cmpuint (sc_document_get_n_pages (fixture->document), ==, N_PAGES);

  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 600, 800);
  scrolled = gtk_scrolled_window_new ();
  fixture->view = SICHTUNG_DOCUMENT_VIEW (sichtung_document_view_new ());
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (fixture->view));
  gtk_window_set_child (GTK_WINDOW (fixture->window), scrolled);

  sichtung_document_view_set_document (fixture->view, fixture->document);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (wait_for (view_allocated, fixture->view));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&fixture->document);
  remove_test_file (fixture->path);
  g_free (fixture->path);
}

/* Width in pixels of an A4 page at @zoom on this view. */
static double
a4_width_px (SichtungDocumentView *view,
             double                zoom)
{
  return ceil (A4_WIDTH_PT * zoom * 96.0 / 72.0 * gtk_widget_get_scale_factor (GTK_WIDGET (view)));
}

static void
assert_page_0_rendered (SichtungDocumentView *view)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  int width, height;
  gsize stride, n_dark = 0, n_white = 0;

  g_assert_true (wait_for (page_0_rendered, view));
  texture = sichtung_document_view_get_page_texture (view, 0);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  g_assert_cmpfloat_with_epsilon (width, a4_width_px (view, sichtung_document_view_get_zoom (view)),
                                  1.01);
  g_assert_cmpfloat_with_epsilon ((double) height / width, 841.89 / A4_WIDTH_PT, 0.01);

  stride = (gsize) width * 4;
  pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);
  for (gsize i = 0; i < stride * height; i += 4)
    {
      /* GDK_MEMORY_DEFAULT; for a test the channel order does not matter. */
      guchar a = pixels[i], b = pixels[i + 1], c = pixels[i + 2], d = pixels[i + 3];
      guint max = MAX (MAX (a, b), MAX (c, d)), min = MIN (MIN (a, b), MIN (c, d));

      if (max == 255 && min < 80)
        n_dark++;
      else if (min == 255)
        n_white++;
    }
  /* Text and the black bar are there, on white paper. */
  g_assert_cmpuint (n_dark, >, 500);
  g_assert_cmpuint (n_white, >, (gsize) width * height / 2);
}

static void
test_render (Fixture       *fixture,
             gconstpointer  data)
{
  g_assert_true (sichtung_document_view_get_document (fixture->view) == fixture->document);
  g_assert_cmpint (sichtung_document_view_get_zoom_mode (fixture->view), ==,
                   SICHTUNG_ZOOM_MODE_FIT_WIDTH);
  assert_page_0_rendered (fixture->view);

  /* Everything on screen and prefetched arrives, and then nothing is left to do. */
  g_assert_true (wait_for (renders_settled, fixture->view));
  g_assert_cmpuint (sichtung_document_view_get_current_page (fixture->view), ==, 0);
}

static void
test_zoom (Fixture       *fixture,
           gconstpointer  data)
{
  SichtungDocumentView *view = fixture->view;
  int view_width = gtk_widget_get_width (GTK_WIDGET (view));
  double fit_zoom, zoom, page_width;

  /* Fit width: the page spans the view but for the margins. */
  fit_zoom = sichtung_document_view_get_zoom (view);
  page_width = A4_WIDTH_PT * fit_zoom * 96.0 / 72.0;
  g_assert_cmpfloat (page_width, <=, view_width);
  g_assert_cmpfloat (page_width, >=, view_width - 40);

  sichtung_document_view_zoom_in (view);
  zoom = sichtung_document_view_get_zoom (view);
  g_assert_cmpfloat (zoom, >, fit_zoom);
  g_assert_cmpint (sichtung_document_view_get_zoom_mode (view), ==, SICHTUNG_ZOOM_MODE_FREE);
  /* The page is rendered again at the new zoom. */
  assert_page_0_rendered (view);

  sichtung_document_view_zoom_out (view);
  sichtung_document_view_zoom_out (view);
  g_assert_cmpfloat (sichtung_document_view_get_zoom (view), <, zoom);

  sichtung_document_view_set_zoom (view, 100);
  g_assert_cmpfloat (sichtung_document_view_get_zoom (view), ==, SICHTUNG_DOCUMENT_VIEW_MAX_ZOOM);
  sichtung_document_view_zoom_in (view);
  g_assert_cmpfloat (sichtung_document_view_get_zoom (view), ==, SICHTUNG_DOCUMENT_VIEW_MAX_ZOOM);
  sichtung_document_view_set_zoom (view, 0);
  g_assert_cmpfloat (sichtung_document_view_get_zoom (view), ==, SICHTUNG_DOCUMENT_VIEW_MIN_ZOOM);

  sichtung_document_view_set_zoom (view, 1.0);
  g_assert_cmpfloat (sichtung_document_view_get_zoom (view), ==, 1.0);
  assert_page_0_rendered (view);

  sichtung_document_view_set_zoom_mode (view, SICHTUNG_ZOOM_MODE_FIT_WIDTH);
  g_assert_cmpfloat_with_epsilon (sichtung_document_view_get_zoom (view), fit_zoom, 1e-9);

  sichtung_document_view_set_zoom_mode (view, SICHTUNG_ZOOM_MODE_FIT_PAGE);
  zoom = sichtung_document_view_get_zoom (view);
  g_assert_cmpfloat (zoom, <, fit_zoom);
  g_assert_cmpfloat (841.89 * zoom * 96.0 / 72.0, <=, gtk_widget_get_height (GTK_WIDGET (view)));
}

static void
test_navigation (Fixture       *fixture,
                 gconstpointer  data)
{
  SichtungDocumentView *view = fixture->view;

  g_assert_cmpfloat (sichtung_document_view_get_position (view), ==, 0);

  sichtung_document_view_go_to_page (view, 3);
  g_assert_cmpuint (sichtung_document_view_get_current_page (view), ==, 3);
  g_assert_cmpfloat_with_epsilon (sichtung_document_view_get_position (view), 3.0, 0.01);

  sichtung_document_view_set_position (view, 1.5);
  g_assert_cmpfloat_with_epsilon (sichtung_document_view_get_position (view), 1.5, 0.01);
  g_assert_cmpuint (sichtung_document_view_get_current_page (view), ==, 1);

  /* The position survives a zoom change (it is measured in pages, not pixels). */
  sichtung_document_view_set_zoom_mode (view, SICHTUNG_ZOOM_MODE_FIT_PAGE);
  g_assert_cmpuint (sichtung_document_view_get_current_page (view), ==, 1);

  /* The last page cannot reach the top of the view, but it becomes current. */
  sichtung_document_view_set_zoom_mode (view, SICHTUNG_ZOOM_MODE_FIT_WIDTH);
  sichtung_document_view_go_to_page (view, 100);
  g_assert_cmpuint (sichtung_document_view_get_current_page (view), ==, N_PAGES - 1);

  sichtung_document_view_go_to_page (view, 0);
  g_assert_cmpuint (sichtung_document_view_get_current_page (view), ==, 0);
  g_assert_cmpfloat (sichtung_document_view_get_position (view), ==, 0);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  SichtungDocumentView *view = fixture->view;

  /* A search replaced at once leaves no trace of the first. */
  sichtung_document_view_search (view, "Seite");
  sichtung_document_view_search (view, "widerspruch");
  g_assert_true (sichtung_document_view_get_search_active (view));
  g_assert_true (wait_for (search_finished, view));

  /* Odd pages only: 1, 3 and 5. */
  g_assert_cmpuint (sichtung_document_view_get_n_matches (view), ==, 3);
  g_assert_cmpint (sichtung_document_view_get_current_match (view), ==, 0);

  sichtung_document_view_next_match (view);
  g_assert_cmpint (sichtung_document_view_get_current_match (view), ==, 1);
  sichtung_document_view_next_match (view);
  g_assert_cmpint (sichtung_document_view_get_current_match (view), ==, 2);
  /* The hit on page 5 is scrolled into view. */
  g_assert_cmpuint (sichtung_document_view_get_current_page (view), >=, 3);
  sichtung_document_view_next_match (view);
  g_assert_cmpint (sichtung_document_view_get_current_match (view), ==, 0);
  g_assert_cmpuint (sichtung_document_view_get_current_page (view), ==, 0);
  sichtung_document_view_previous_match (view);
  g_assert_cmpint (sichtung_document_view_get_current_match (view), ==, 2);
  sichtung_document_view_previous_match (view);
  g_assert_cmpint (sichtung_document_view_get_current_match (view), ==, 1);

  sichtung_document_view_search (view, "Seite");
  g_assert_cmpuint (sichtung_document_view_get_n_matches (view), ==, 0);
  g_assert_true (wait_for (search_finished, view));
  g_assert_cmpuint (sichtung_document_view_get_n_matches (view), ==, N_PAGES);

  sichtung_document_view_search (view, "");
  g_assert_false (sichtung_document_view_get_search_active (view));
  g_assert_cmpuint (sichtung_document_view_get_n_matches (view), ==, 0);
  g_assert_cmpint (sichtung_document_view_get_current_match (view), ==, -1);

  sichtung_document_view_search (view, "kommt nirgends vor");
  g_assert_true (wait_for (search_finished, view));
  g_assert_cmpuint (sichtung_document_view_get_n_matches (view), ==, 0);
  g_assert_cmpint (sichtung_document_view_get_current_match (view), ==, -1);
  sichtung_document_view_next_match (view);
  g_assert_cmpint (sichtung_document_view_get_current_match (view), ==, -1);
}

static void
test_clear (Fixture       *fixture,
            gconstpointer  data)
{
  SichtungDocumentView *view = fixture->view;
  g_autoptr(GdkTexture) texture = NULL;

  assert_page_0_rendered (view);
  sichtung_document_view_search (view, "widerspruch");
  sichtung_document_view_go_to_page (view, 2);

  sichtung_document_view_set_document (view, NULL);
  g_assert_null (sichtung_document_view_get_document (view));
  texture = sichtung_document_view_get_page_texture (view, 0);
  g_assert_null (texture);
  g_assert_cmpuint (sichtung_document_view_get_n_matches (view), ==, 0);
  g_assert_cmpint (sichtung_document_view_get_current_match (view), ==, -1);
  g_assert_false (sichtung_document_view_get_search_active (view));
  g_assert_cmpuint (sichtung_document_view_get_current_page (view), ==, 0);
  g_assert_cmpfloat (sichtung_document_view_get_position (view), ==, 0);
  g_assert_cmpuint (sichtung_document_view_get_pending_renders (view), ==, 0);

  /* Late results of the cancelled search and renders change nothing, and it draws. */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (sichtung_document_view_get_n_matches (view), ==, 0);
  gtk_widget_queue_draw (GTK_WIDGET (view));

  /* And a document can be shown again. */
  sichtung_document_view_set_document (view, fixture->document);
  assert_page_0_rendered (view);
}

/* Destroying the view while renders and a search are running must not crash when their
 * results arrive. */
static void
test_destroy_while_busy (void)
{
  g_autofree char *path = sc_test_write_pdf (NULL, N_PAGES);
  g_autoptr(ScDocument) document = open_document (path);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = sichtung_document_view_new ();
  gint64 until;

  gtk_window_set_default_size (GTK_WINDOW (window), 600, 800);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  sichtung_document_view_set_document (SICHTUNG_DOCUMENT_VIEW (view), document);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (view_allocated, view));

  sichtung_document_view_set_zoom (SICHTUNG_DOCUMENT_VIEW (view), 4.0);
  sichtung_document_view_search (SICHTUNG_DOCUMENT_VIEW (view), "widerspruch");
  gtk_window_destroy (GTK_WINDOW (window));

  /* Let the worker finish and deliver into the void. */
  until = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }

  remove_test_file (path);
}

static gboolean
cache_settled (gpointer data)
{
  return sichtung_page_cache_get_n_pending (data) == 0;
}

/* A tight budget keeps only what was asked for last; older pages are evicted. */
static void
test_cache_bounded (void)
{
  g_autofree char *path = sc_test_write_pdf (NULL, N_PAGES);
  g_autoptr(ScDocument) document = open_document (path);
  const double scale = 0.5;
  /* A4 at 0.5 px/pt is 298 x 421 px, 4 bytes each: a budget of one and a half pages. */
  const gsize page_bytes = 298 * 421 * 4;
  g_autoptr(SichtungPageCache) cache = sichtung_page_cache_new (page_bytes * 3 / 2);

  sichtung_page_cache_set_document (cache, document);
  g_assert_true (sichtung_page_cache_get_document (cache) == document);

  for (guint page = 0; page < N_PAGES; page++)
    {
      SichtungPageRequest request = { page, scale };

      sichtung_page_cache_request (cache, &request, 1);
      g_assert_true (wait_for (cache_settled, cache));
      g_assert_nonnull (sichtung_page_cache_lookup (cache, page, scale));
      g_assert_cmpuint (sichtung_page_cache_get_size (cache), <=, page_bytes * 3 / 2);
    }
  g_assert_null (sichtung_page_cache_lookup (cache, 0, scale));
  /* The nearest other scale stands in for a missing one. */
  g_assert_nonnull (sichtung_page_cache_lookup_best (cache, N_PAGES - 1, 2 * scale));
  g_assert_null (sichtung_page_cache_lookup (cache, N_PAGES - 1, 2 * scale));

  /* A new document empties the cache. */
  sichtung_page_cache_set_document (cache, NULL);
  g_assert_cmpuint (sichtung_page_cache_get_size (cache), ==, 0);
  g_assert_null (sichtung_page_cache_lookup_best (cache, N_PAGES - 1, scale));

  remove_test_file (path);
}

/* Requests replaced before they start are never rendered; disposing with work in flight is
 * safe. */
static void
test_cache_replace_and_dispose (void)
{
  g_autofree char *path = sc_test_write_pdf (NULL, N_PAGES);
  g_autoptr(ScDocument) document = open_document (path);
  SichtungPageCache *cache = sichtung_page_cache_new (SICHTUNG_PAGE_CACHE_DEFAULT_MAX_BYTES);
  SichtungPageRequest requests[N_PAGES];
  SichtungPageRequest last = { N_PAGES - 1, 1.0 };
  gint64 until;
  guint n_cached = 0;

  sichtung_page_cache_set_document (cache, document);
  for (guint page = 0; page < N_PAGES; page++)
    requests[page] = (SichtungPageRequest) { page, 1.0 };
  sichtung_page_cache_request (cache, requests, N_PAGES);
  g_assert_cmpuint (sichtung_page_cache_get_n_pending (cache), ==, N_PAGES);
  sichtung_page_cache_request (cache, &last, 1);
  g_assert_cmpuint (sichtung_page_cache_get_n_pending (cache), <, N_PAGES);
  g_assert_true (wait_for (cache_settled, cache));
  g_assert_nonnull (sichtung_page_cache_lookup (cache, N_PAGES - 1, 1.0));
  for (guint page = 0; page < N_PAGES; page++)
    n_cached += sichtung_page_cache_lookup (cache, page, 1.0) != NULL;
  /* Only what the worker had already started besides the one still wanted. */
  g_assert_cmpuint (n_cached, <, N_PAGES);

  /* Dispose with renders queued and running. */
  sichtung_page_cache_request (cache, requests, N_PAGES);
  g_object_unref (cache);
  until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }

  remove_test_file (path);
}

static void
count_rendered (guint *counter)
{
  (*counter)++;
}

static gboolean
counter_positive (gpointer data)
{
  return *(guint *) data > 0;
}

/* A page whose image is too large to decode safely is not left blank: the cache keeps the
 * reason, which the view writes on the page. */
static void
test_cache_failure (void)
{
  static const char content[] =
    "BT /F1 12 Tf 72 800 Td (Anlage) Tj ET q 500 0 0 600 50 100 cm "
    "BI /W 40000 /H 40000 /CS /G /BPC 8 ID \x01\x02 EI Q";
  g_autofree char *page_content = g_strdup_printf ("<< /Length %zu >>\nstream\n%s\nendstream",
                                                   sizeof content - 1, content);
  const char *objects[] = {
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
    "/Resources << /Font << /F1 5 0 R >> >> >>",
    page_content,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  };
  g_autofree char *path = sc_test_write_raw_pdf (NULL, "bild.pdf", objects, NULL,
                                                 G_N_ELEMENTS (objects));
  g_autoptr(ScDocument) document = open_document (path);
  g_autoptr(SichtungPageCache) cache =
    sichtung_page_cache_new (SICHTUNG_PAGE_CACHE_DEFAULT_MAX_BYTES);
  SichtungPageRequest request = { 0, 1.0 };
  guint rendered = 0;

  g_signal_connect_swapped (cache, "page-rendered", G_CALLBACK (count_rendered), &rendered);
  sichtung_page_cache_set_document (cache, document);
  g_assert_null (sichtung_page_cache_get_failure (cache, 0));
  sichtung_page_cache_request (cache, &request, 1);
  g_assert_true (wait_for (counter_positive, &rendered));
  g_assert_nonnull (sichtung_page_cache_get_failure (cache, 0));
  g_assert_nonnull (strstr (sichtung_page_cache_get_failure (cache, 0), "40000 × 40000"));
  g_assert_null (sichtung_page_cache_lookup (cache, 0, 1.0));

  /* Another document: the failure goes with the old one. */
  sichtung_page_cache_set_document (cache, NULL);
  g_assert_null (sichtung_page_cache_get_failure (cache, 0));
  remove_test_file (path);
}

/* A PDF that crashes the process reading it costs the page, not the application: the page
 * says what happened. */
static void
test_cache_worker_crash (void)
{
  g_autofree char *path = sc_test_write_pdf (NULL, 2);
  g_autoptr(ScDocument) document = NULL;
  g_autoptr(SichtungPageCache) cache =
    sichtung_page_cache_new (SICHTUNG_PAGE_CACHE_DEFAULT_MAX_BYTES);
  SichtungPageRequest request = { 1, 1.0 };
  guint rendered = 0;

  g_setenv ("SICHTUNG_DOCUMENT_WORKER_FAULT", "crash-render", TRUE);
  document = open_document (path);
  g_signal_connect_swapped (cache, "page-rendered", G_CALLBACK (count_rendered), &rendered);
  sichtung_page_cache_set_document (cache, document);
  sichtung_page_cache_request (cache, &request, 1);
  g_assert_true (wait_for (counter_positive, &rendered));
  g_assert_nonnull (sichtung_page_cache_get_failure (cache, 1));
  g_assert_nonnull (strstr (sichtung_page_cache_get_failure (cache, 1),
                            "Page 2 could not be shown: the program reading the PDF"));
  g_assert_null (sichtung_page_cache_lookup (cache, 1, 1.0));
  g_unsetenv ("SICHTUNG_DOCUMENT_WORKER_FAULT");

  sichtung_page_cache_set_document (cache, NULL);
  remove_test_file (path);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/sichtung/document-view/render", Fixture, NULL,
              fixture_set_up, test_render, fixture_tear_down);
  g_test_add ("/sichtung/document-view/zoom", Fixture, NULL,
              fixture_set_up, test_zoom, fixture_tear_down);
  g_test_add ("/sichtung/document-view/navigation", Fixture, NULL,
              fixture_set_up, test_navigation, fixture_tear_down);
  g_test_add ("/sichtung/document-view/search", Fixture, NULL,
              fixture_set_up, test_search, fixture_tear_down);
  g_test_add ("/sichtung/document-view/clear", Fixture, NULL,
              fixture_set_up, test_clear, fixture_tear_down);
  g_test_add_func ("/sichtung/document-view/destroy-while-busy", test_destroy_while_busy);
  g_test_add_func ("/sichtung/page-cache/bounded", test_cache_bounded);
  g_test_add_func ("/sichtung/page-cache/replace-and-dispose", test_cache_replace_and_dispose);
  g_test_add_func ("/sichtung/page-cache/failure", test_cache_failure);
  g_test_add_func ("/sichtung/page-cache/worker-crash", test_cache_worker_crash);

  return g_test_run ();
}
