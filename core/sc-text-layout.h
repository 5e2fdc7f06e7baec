/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-text-layout.h: turns plain text into an in-memory A4 PDF (internal to core/).
 *
 * ScDocument opens plain-text files by typesetting them here and handing the PDF to poppler,
 * so viewer, search and page boxes treat text and PDF alike. Only cairo is used: no poppler.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Page geometry of typeset text, in points. */
#define SC_TEXT_LAYOUT_PAGE_WIDTH  595.276 /* A4 */
#define SC_TEXT_LAYOUT_PAGE_HEIGHT 841.89
#define SC_TEXT_LAYOUT_MARGIN      56.693  /* 2 cm */
#define SC_TEXT_LAYOUT_FONT        "DejaVu Sans"
#define SC_TEXT_LAYOUT_FONT_SIZE   11.0

/* Decodes the bytes of a text file into UTF-8 with '\n' line ends: UTF-8 (a BOM is dropped),
 * UTF-16 with a BOM, otherwise Windows-1252. Returns NULL when the data is not text (it holds
 * NUL bytes, or is UTF-16 that does not convert). */
char   *sc_text_layout_decode   (const guint8  *data,
                                 gsize          length);

/* Typesets @text (UTF-8, '\n' line ends; a form feed starts a new page) into A4 pages: greedy
 * word wrap, runs of spaces kept, tabs as spaces, over-long words broken between characters.
 * Returns the PDF, and in @page_texts (char *, one per page) the part of @text on each page:
 * its lines and their line ends, without the form feeds. At least one page is produced.
 * Errors: SC_ERROR_FAILED when cairo fails (e.g. out of memory). */
GBytes *sc_text_layout_typeset  (const char    *text,
                                 GPtrArray    **page_texts,
                                 GError       **error);

G_END_DECLS
