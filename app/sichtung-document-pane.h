/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-document-pane.h: one document with its toolbar, search, page and text views.
 *
 * A pane opens files asynchronously, asks for passwords, shows load errors inline, and offers
 * the pages (SichtungDocumentView) and the extracted text (a GtkTextView, the view screen
 * readers use) of the same document. Its actions live in the "pane." group, so the window can
 * forward its shortcuts with gtk_widget_activate_action().
 */
#pragma once

#include <adwaita.h>

#include "sichtung-core.h"
#include "sichtung-document-view.h"

G_BEGIN_DECLS

#define SICHTUNG_TYPE_DOCUMENT_PANE (sichtung_document_pane_get_type ())
G_DECLARE_FINAL_TYPE (SichtungDocumentPane, sichtung_document_pane, SICHTUNG, DOCUMENT_PANE,
                      AdwBin)

GtkWidget            *sichtung_document_pane_new               (void);

/* Starts loading @file; cancels any load in progress. Success sets "document", failures show
 * an inline message ("error-message"), encrypted files ask for a password first. */
void                  sichtung_document_pane_open              (SichtungDocumentPane *self,
                                                                GFile                *file);
/* Shows a file chooser and opens the chosen file in this pane. */
void                  sichtung_document_pane_choose_file       (SichtungDocumentPane *self);

/* Property "document" (ScDocument, read-only): the document shown, or NULL. */
ScDocument           *sichtung_document_pane_get_document      (SichtungDocumentPane *self);
/* Property "file" (GFile, read-only): the file of the document shown, or NULL. */
GFile                *sichtung_document_pane_get_file          (SichtungDocumentPane *self);
/* Property "title" (string, read-only): the document's title, or NULL without a document. */
const char           *sichtung_document_pane_get_title         (SichtungDocumentPane *self);
/* Property "loading" (gboolean, read-only): TRUE while a file is being opened. */
gboolean              sichtung_document_pane_get_loading       (SichtungDocumentPane *self);
/* Property "error-message" (string, read-only): the inline message shown, or NULL. */
const char           *sichtung_document_pane_get_error_message (SichtungDocumentPane *self);

/* Property "view-mode" (string): "page" for the rendered pages, "text" for the text view. */
const char           *sichtung_document_pane_get_view_mode     (SichtungDocumentPane *self);
void                  sichtung_document_pane_set_view_mode     (SichtungDocumentPane *self,
                                                                const char           *view_mode);

/* Properties "n-text-matches" (guint) and "current-text-match" (int, -1 for none), both
 * read-only: the search hits in the text view, and the one selected. */
guint                 sichtung_document_pane_get_n_text_matches (SichtungDocumentPane *self);
int                   sichtung_document_pane_get_current_text_match (SichtungDocumentPane *self);

SichtungDocumentView *sichtung_document_pane_get_view          (SichtungDocumentPane *self);
GtkTextView          *sichtung_document_pane_get_text_view     (SichtungDocumentPane *self);
GtkSearchEntry       *sichtung_document_pane_get_search_entry  (SichtungDocumentPane *self);

G_END_DECLS
