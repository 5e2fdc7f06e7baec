/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-document.c: the measuring half of tools/bench/bench-document (the script builds and
 * drives it). "generate" writes a text-heavy PDF of N pages with core's typesetter; "measure"
 * opens a PDF with ScDocument, renders page 1 and then every page in scroll order, and prints
 * "key value" lines for the script to compare with pdftoppm. */
#define G_LOG_DOMAIN "sichtung-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sichtung-core.h"
#include "sc-text-layout.h"

#define LINES_PER_PAGE 46 /* short lines that never wrap, so N form feeds make N pages */

static const char *words[] = {
  "Bescheid", "über", "die", "Gewährung", "gemäß", "§", "35", "VwVfG", "Straße", "Mainz",
  "Widerspruch", "Antrag", "Behörde", "Verwaltungsakt", "Frist", "Anhörung", "der", "und",
  "nach", "Absatz", "Satz", "2", "Begründung", "Ermessen", "zugestellt", "Rechtsbehelf",
  "€", "1.250,00", "Nr.", "vom", "01.03.2024", "Aktenzeichen", "III/4-7", "Zuständigkeit",
};

static int
generate (const char *path,
          guint       n_pages)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) page_texts = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (35);

  for (guint page = 1; page <= n_pages; page++)
    {
      g_string_append_printf (text, "Seite %u von %u — Aktenzeichen 35-%04u\n\n",
                              page, n_pages, page);
      for (guint line = 0; line < LINES_PER_PAGE; line++)
        {
          gsize start = text->len;

          while (text->len - start < 60)
            {
              g_string_append (text, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
              g_string_append_c (text, ' ');
            }
          g_string_append_c (text, '\n');
        }
      g_string_append_c (text, '\f');
    }
  g_rand_free (rand);

  pdf = sc_text_layout_typeset (text->str, &page_texts, &error);
  if (pdf == NULL || !g_file_set_contents (path, g_bytes_get_data (pdf, NULL),
                                           g_bytes_get_size (pdf), &error))
    {
      fprintf (stderr, "bench-document: %s\n", error->message);
      return 1;
    }
  if (page_texts->len != n_pages)
    {
      fprintf (stderr, "bench-document: typeset %u pages, not %u\n", page_texts->len, n_pages);
      return 1;
    }
  return 0;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
measure (const char *path,
         double      dpi)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(ScDocument) document = NULL;
  g_autofree double *times = NULL;
  cairo_surface_t *surface;
  double scale = dpi / 72.0;
  double open_ms, first_ms, total_ms = 0;
  guint n_pages, stalls = 0;
  gint64 start;

  start = g_get_monotonic_time ();
  document = sc_document_new_from_file (file, NULL, NULL, &error);
  if (document == NULL)
    {
      fprintf (stderr, "bench-document: %s\n", error->message);
      return 1;
    }
  open_ms = ms_since (start);
  surface = sc_document_render_page (document, 0, scale, &error);
  if (surface == NULL)
    {
      fprintf (stderr, "bench-document: %s\n", error->message);
      return 1;
    }
  first_ms = ms_since (start);
  cairo_surface_destroy (surface);

  /* Scrolling: every page once, in order, as the view's render thread would. */
  n_pages = sc_document_get_n_pages (document);
  times = g_new (double, n_pages);
  for (guint i = 0; i < n_pages; i++)
    {
      start = g_get_monotonic_time ();
      surface = sc_document_render_page (document, i, scale, &error);
      if (surface == NULL)
        {
          fprintf (stderr, "bench-document: %s\n", error->message);
          return 1;
        }
      cairo_surface_destroy (surface);
      times[i] = ms_since (start);
      total_ms += times[i];
      if (times[i] > 100)
        stalls++;
    }
  qsort (times, n_pages, sizeof (double), compare_double);

  printf ("pages %u\n", n_pages);
  printf ("open_ms %.2f\n", open_ms);
  printf ("first_page_ms %.2f\n", first_ms);
  printf ("render_median_ms %.2f\n", times[n_pages / 2]);
  printf ("render_p95_ms %.2f\n", times[MIN (n_pages - 1, (guint) (n_pages * 0.95))]);
  printf ("render_max_ms %.2f\n", times[n_pages - 1]);
  printf ("render_total_ms %.2f\n", total_ms);
  printf ("stalls_over_100ms %u\n", stalls);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  if (argc == 4 && g_str_equal (argv[1], "generate"))
    return generate (argv[2], (guint) atoi (argv[3]));
  if (argc == 4 && g_str_equal (argv[1], "measure"))
    return measure (argv[2], g_ascii_strtod (argv[3], NULL));

  fprintf (stderr, "usage: %s generate OUT.pdf PAGES | measure FILE.pdf DPI\n", argv[0]);
  return 2;
}
