/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-test-util.h: inputs the tests build themselves (PDFs written with cairo, files). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The line every page of sc_test_write_pdf() carries, with umlauts, ß and §. Page N (1-based)
 * additionally carries "Seite N von M" and, on odd pages only, the word "Widerspruch". */
#define SC_TEST_PDF_LINE "Bescheid über die Gewährung gemäß § 35 VwVfG – Straße in Mainz"

/* Writes an A4 PDF of @n_pages pages to a new file in @dir (or a fresh temporary directory
 * when NULL) and returns its path. Title "Testbescheid", author "Sichtung Test". */
char *sc_test_write_pdf  (const char *dir,
                          guint       n_pages);

/* Writes @contents (@length bytes, -1 for a NUL-terminated string) to @name in a fresh
 * temporary directory and returns the path. */
char *sc_test_write_file (const char *name,
                          const char *contents,
                          gssize      length);

/* Writes a PDF of @n_objects objects, built by hand for inputs cairo would never write:
 * object i + 1 is @objects[i] (without "obj"/"endobj"; @lengths[i] bytes, or NUL-terminated
 * when @lengths is NULL), object 1 the catalog, with a correct cross-reference table. Goes to
 * @dir/@name, or into a fresh temporary directory when @dir is NULL. Returns the path. */
char *sc_test_write_raw_pdf (const char        *dir,
                             const char        *name,
                             const char *const *objects,
                             const gsize       *lengths,
                             guint              n_objects);

/* Writes a one-page PDF with a line of text and an image of @side × @side grey pixels drawn
 * from zlib-compressed zeros (a fraction of a megabyte that decodes to side² bytes), to
 * @dir/@name or into a fresh temporary directory when @dir is NULL. Returns the path. */
char *sc_test_write_image_pdf (const char *dir,
                               const char *name,
                               guint       side);

/* Removes @path and, for a directory, everything below it; missing paths are fine. */
void  sc_test_remove_tree (const char *path);

/* Keeps g_main_context_iteration() from blocking when nothing else happens (a 10 ms timeout
 * source returns it). */
gboolean sc_test_wake_up      (gpointer    user_data);

/* Runs the default main context for @ms milliseconds, so pending idles and frames run. */
void     sc_test_spin         (guint       ms);

/* Runs `sichtung-cli @subcommand @args…` from the build tree (@args NULL-terminated) and
 * returns its exit status (-1 when it did not exit normally); @out and @err receive what it
 * printed. Fails the test when it cannot be started. */
int      sc_test_run_cli      (const char         *subcommand,
                               const char *const  *args,
                               char              **out,
                               char              **err);

/* data/samples/@name of the source tree (the fictitious sample case). */
GFile   *sc_test_sample_file  (const char *name);

/* How much longer waits may take than usual: SICHTUNG_TEST_TIME_SCALE (a number ≥ 1), for
 * slow builds such as the sanitizer one; 1 when unset. */
double   sc_test_time_scale   (void);

/* Spins the default main context until @condition holds; a test that waits longer than
 * @timeout_ms milliseconds (times sc_test_time_scale()) fails (no timing assertion: the limit
 * only ends a hung test). */
#define SC_TEST_WAIT_UNTIL(condition, timeout_ms)                                        \
  G_STMT_START {                                                                        \
    gint64 wait_end_ = g_get_monotonic_time ()                                          \
                       + (gint64) ((timeout_ms) * sc_test_time_scale ())                \
                         * G_TIME_SPAN_MILLISECOND;                                     \
    /* Low priority: the wake-up must not starve the idles of the code under test. */   \
    guint wake_id_ = g_timeout_add_full (G_PRIORITY_LOW, 10,                            \
                                         sc_test_wake_up, NULL, NULL);                  \
    while (!(condition))                                                                \
      {                                                                                 \
        if (g_get_monotonic_time () > wait_end_)                                        \
          g_error ("Timed out waiting for %s", #condition);                             \
        g_main_context_iteration (NULL, TRUE);                                          \
      }                                                                                 \
    g_source_remove (wake_id_);                                                         \
  } G_STMT_END

G_END_DECLS
