/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-document.h: an opened document (PDF, or plain text typeset into pages).
 *
 * Every document is a sequence of pages measured in PDF points (1/72 inch) with the origin at
 * the top-left corner of each page. Plain-text files are typeset into A4 pages when they are
 * opened, so the viewer, search and later page boxes treat both kinds alike.
 *
 * PDFs are parsed and rendered in a separate process, sichtung-document-worker, held to a
 * memory and time limit and without network access: a hostile or broken file can crash it, not
 * the caller (see sc-document-worker.h). Such a failure comes back as an error for the page
 * (rendering) or as an empty page (text, layout, search).
 *
 * Thread safety: an ScDocument may be used from several threads at once. Calls that touch
 * poppler (rendering, text extraction, search) take the document's own lock, so a render
 * thread and the main thread never use poppler objects at the same time.
 */
#pragma once

#include <gio/gio.h>
#include <cairo.h>

G_BEGIN_DECLS

typedef enum
{
  SC_DOCUMENT_KIND_PDF,
  SC_DOCUMENT_KIND_TEXT,
} ScDocumentKind;

/* A rectangle on a page, in points, origin top-left. */
typedef struct
{
  double x;
  double y;
  double width;
  double height;
} ScRect;

#define SC_TYPE_DOCUMENT (sc_document_get_type ())
G_DECLARE_FINAL_TYPE (ScDocument, sc_document, SC, DOCUMENT, GObject)

/* Opens @file. PDFs are recognised by content, not by name; anything else that is valid UTF-8
 * text (or Latin-1/Windows-1252, converted) opens as a text document. @password may be NULL.
 * Errors: SC_ERROR_IO, SC_ERROR_NOT_SUPPORTED, SC_ERROR_CORRUPT (also when the worker
 * crashed or ran out of time), SC_ERROR_NEEDS_PASSWORD, SC_ERROR_BAD_PASSWORD, SC_ERROR_EMPTY,
 * SC_ERROR_FAILED (the worker program is missing or cannot be started). */
ScDocument     *sc_document_new_from_file        (GFile               *file,
                                                  const char          *password,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
void            sc_document_new_from_file_async  (GFile               *file,
                                                  const char          *password,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
ScDocument     *sc_document_new_from_file_finish (GAsyncResult        *result,
                                                  GError             **error);
/* As above, from bytes already in memory; @name is used in messages and as the title
 * fallback and may be NULL. */
ScDocument     *sc_document_new_from_bytes       (GBytes              *bytes,
                                                  const char          *name,
                                                  const char          *password,
                                                  GError             **error);

GFile          *sc_document_get_file             (ScDocument          *self);
ScDocumentKind  sc_document_get_kind             (ScDocument          *self);
/* Title from the metadata, or the file's display name when there is none. */
const char     *sc_document_get_title            (ScDocument          *self);
/* The title from the metadata only: NULL when there is none, as for every text document. */
const char     *sc_document_get_metadata_title   (ScDocument          *self);
const char     *sc_document_get_author           (ScDocument          *self);
/* The PDF the pages are shown from: the file itself, or for a text document the PDF it was
 * typeset into (the page boxes of findings refer to it). Free with g_bytes_unref(). */
GBytes         *sc_document_get_pdf_data         (ScDocument          *self);
/* Every text the document says about itself: title, author, subject, keywords, creator,
 * producer and the XMP metadata, one after the other. Free with g_free(). */
char           *sc_document_get_metadata_text    (ScDocument          *self);
/* TRUE when the file was password-protected (it is open now, so a password was right). */
gboolean        sc_document_get_encrypted        (ScDocument          *self);
guint           sc_document_get_n_pages          (ScDocument          *self);
void            sc_document_get_page_size        (ScDocument          *self,
                                                  guint                page,
                                                  double              *width,
                                                  double              *height);

/* The text of one page, in reading order. Free with g_free(). */
char           *sc_document_get_page_text        (ScDocument          *self,
                                                  guint                page);
/* The text of all pages, each page followed by a form feed ('\f'). Free with g_free(). */
char           *sc_document_get_text             (ScDocument          *self);

/* Where each character of @page's text lies: one ScRect per Unicode character (code point) of
 * sc_document_get_page_text (@page), in points with the origin at the top left of the page.
 * Characters that are laid out nowhere (line ends, and spaces or characters of a text
 * document's source that its typeset page does not show) get an empty rectangle (width and
 * height 0). When @text is not NULL it receives the page text itself (free with g_free()), so
 * callers that need both extract the page once. Never NULL. */
GArray         *sc_document_get_page_layout      (ScDocument          *self,
                                                  guint                page,
                                                  char               **text);

/* Renders @page at @scale device pixels per point on a white background. The surface is
 * CAIRO_FORMAT_ARGB32 of ceil(width * scale) x ceil(height * scale) pixels. */
cairo_surface_t *sc_document_render_page         (ScDocument          *self,
                                                  guint                page,
                                                  double               scale,
                                                  GError             **error);

/* Case-insensitive search for @text on @page. Returns an array of ScRect, one per hit, in
 * reading order (possibly empty, never NULL). */
GArray         *sc_document_find_text            (ScDocument          *self,
                                                  guint                page,
                                                  const char          *text);

G_END_DECLS
