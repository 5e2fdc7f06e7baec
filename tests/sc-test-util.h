/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-test-util.h: inputs the tests build themselves (PDFs written with cairo, files). */
#pragma once

#include <glib.h>

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

/* Removes @path and, for a directory, everything below it; missing paths are fine. */
void  sc_test_remove_tree (const char *path);

G_END_DECLS
