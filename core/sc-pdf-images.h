/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-pdf-images.h: how large the images a PDF page draws are, read with qpdf from the image
 * dictionaries without decoding a single pixel (internal to core/).
 *
 * A few kilobytes of compressed zeros can declare an image of 30,000 × 30,000 pixels; poppler
 * decodes every pixel to show it, which takes minutes and gigabytes. ScDocument asks here
 * before rendering a page and refuses pages whose images are larger than it decodes safely.
 * Images count wherever the page can draw them from: its resources (inherited ones too), form
 * XObjects and patterns inside them (to a fixed depth), soft masks, and inline images of its
 * content streams.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ScPdfImages ScPdfImages;

/* Reads @pdf (kept referenced) with @password (may be NULL). Errors like qpdf's: SC_ERROR_CORRUPT,
 * SC_ERROR_NEEDS_PASSWORD, SC_ERROR_BAD_PASSWORD. */
ScPdfImages *sc_pdf_images_new         (GBytes       *pdf,
                                        const char   *password,
                                        GError      **error);
void         sc_pdf_images_free        (ScPdfImages  *images);

/* The largest image (by pixel count) page @page (0-based) can draw: its width and height, 0 × 0
 * when there is none. Results are kept per page. Not thread-safe: callers hold a lock. */
gboolean     sc_pdf_images_get_largest (ScPdfImages  *images,
                                        guint         page,
                                        guint64      *width,
                                        guint64      *height,
                                        GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScPdfImages, sc_pdf_images_free)

G_END_DECLS
