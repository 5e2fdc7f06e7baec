/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-document.c: libFuzzer target for opening documents (sc-document.c, sc-text-layout.c and
 * poppler behind them): the input is a whole file, a PDF or a text file.
 *
 * When it opens, the metadata and the text and layout of at most the first three pages are
 * read; the layout must hold exactly one box per character of the page text. Pages are not
 * rendered (fuzz time is better spent on parsing; the redaction target renders nothing
 * either). */
#define G_LOG_DOMAIN "sichtung-fuzz"

#include "config.h"

#include <stdlib.h>

#include "fuzz-common.h"
#include "sc-document-private.h"
#include "sc-error.h"

#define MAX_PAGES 3

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  sc_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(ScDocument) document = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *metadata = NULL;
  guint n_pages;

  /* In this process: the parser itself is what is fuzzed (the application reads PDFs in
   * sichtung-document-worker, which runs this same code). */
  document = _sc_document_new_local (bytes, "fuzz", NULL, &error);
  if (document == NULL)
    {
      if (error == NULL)
        abort ();
      return 0;
    }

  (void) sc_document_get_kind (document);
  (void) sc_document_get_title (document);
  (void) sc_document_get_metadata_title (document);
  (void) sc_document_get_author (document);
  (void) sc_document_get_encrypted (document);
  metadata = sc_document_get_metadata_text (document);
  pdf = sc_document_get_pdf_data (document);
  if (pdf == NULL)
    abort ();

  n_pages = sc_document_get_n_pages (document);
  for (guint page = 0; page < n_pages && page < MAX_PAGES; page++)
    {
      g_autofree char *text = NULL;
      g_autofree char *layout_text = NULL;
      g_autoptr(GArray) layout = NULL;
      g_autoptr(GArray) hits = NULL;
      double width = 0, height = 0;

      sc_document_get_page_size (document, page, &width, &height);
      text = sc_document_get_page_text (document, page);
      if (text == NULL || !g_utf8_validate (text, -1, NULL))
        abort ();
      layout = sc_document_get_page_layout (document, page, &layout_text);
      if (layout == NULL || layout_text == NULL)
        abort ();
      if ((glong) layout->len != g_utf8_strlen (layout_text, -1))
        abort ();
      hits = sc_document_find_text (document, page, "Antrag");
      if (hits == NULL)
        abort ();
    }
  return 0;
}
