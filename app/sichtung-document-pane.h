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
#include "sichtung-finding-item.h"

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

/* Analysis. Every document shown is analysed in the background: with the default findings
 * model where one is installed, with the rules and name lists only otherwise. */

/* Property "findings" (GListModel of SichtungFindingItem, read-only, never NULL): the findings
 * of the document shown; empty until its analysis is done. */
GListModel           *sichtung_document_pane_get_findings      (SichtungDocumentPane *self);
/* Property "analysis" (ScAnalysis, read-only): the finished analysis, or NULL. */
ScAnalysis           *sichtung_document_pane_get_analysis      (SichtungDocumentPane *self);
/* Property "analyzing" (gboolean, read-only): TRUE while the document is being analysed. */
gboolean              sichtung_document_pane_get_analyzing     (SichtungDocumentPane *self);
/* Property "analysis-note" (string, read-only): the inline note about the analysis (no model
 * installed, a CPU standing in for the GPU, cancelled), or NULL. */
const char           *sichtung_document_pane_get_analysis_note (SichtungDocumentPane *self);
/* Property "use-model" (gboolean, default TRUE): whether analyses use the findings model.
 * Takes effect with the next analysis. */
gboolean              sichtung_document_pane_get_use_model     (SichtungDocumentPane *self);
void                  sichtung_document_pane_set_use_model     (SichtungDocumentPane *self,
                                                                gboolean              use_model);
/* Starts the analysis again (cancelling one in progress). */
void                  sichtung_document_pane_analyze           (SichtungDocumentPane *self);
/* Stops the analysis in progress; the findings stay empty. */
void                  sichtung_document_pane_cancel_analysis   (SichtungDocumentPane *self);

/* Property "selected-finding" (SichtungFindingItem, nullable): the finding highlighted and
 * scrolled to in both views. Signal "finding-activated" (SichtungFindingItem): a finding was
 * clicked in the page view. */
SichtungFindingItem  *sichtung_document_pane_get_selected_finding (SichtungDocumentPane *self);
void                  sichtung_document_pane_set_selected_finding (SichtungDocumentPane *self,
                                                                   SichtungFindingItem  *item);

/* The case store. Property "store" (ScStore, nullable): with a store, each file opened is
 * added to the case "case-id" (gint64; 0: a new case named after the file, which then becomes
 * "case-id"), unless the case has it already, and its findings are stored and read from there.
 * Property "document-id" (gint64, read-only): the stored document shown, or 0. Signals
 * "store-error" (string): a decision could not be stored; "decisions-changed": findings were
 * stored or decided, so counts of open findings changed. */
ScStore              *sichtung_document_pane_get_store         (SichtungDocumentPane *self);
void                  sichtung_document_pane_set_store         (SichtungDocumentPane *self,
                                                                ScStore              *store);
gint64                sichtung_document_pane_get_case_id       (SichtungDocumentPane *self);
void                  sichtung_document_pane_set_case_id       (SichtungDocumentPane *self,
                                                                gint64                case_id);
gint64                sichtung_document_pane_get_document_id   (SichtungDocumentPane *self);
/* Shows @document from the store with its stored findings (analysing it when it has none),
 * at @page (0-based; -1: the first). When it is shown already, only goes to @page. */
void                  sichtung_document_pane_open_stored       (SichtungDocumentPane *self,
                                                                ScStoreDocument      *document,
                                                                int                   page);

/* Shows @document, which exists in memory only (the preview of a redaction), titled @title,
 * with an inline @note (may be NULL) saying what it is. It is not added to the case store, not
 * analysed (its findings stay empty) and not remembered among the recent documents; opening
 * another document ends it. Property "preview" (gboolean, read-only): whether such a document
 * is shown. */
void                  sichtung_document_pane_show_preview      (SichtungDocumentPane *self,
                                                                ScDocument           *document,
                                                                const char           *title,
                                                                const char           *note);
gboolean              sichtung_document_pane_get_preview       (SichtungDocumentPane *self);
/* Closes the document shown (and cancels a load, its analysis and any store work for it):
 * the pane shows its empty state, "document" and "document-id" are unset. For a document
 * about to leave the case store. */
void                  sichtung_document_pane_close             (SichtungDocumentPane *self);

/* Goes to @page (0-based) in both views and marks the passage with the boxes @boxes (ScRect,
 * points; may be NULL) on it, as an assistant's citation shows its source. Nothing happens
 * without a document or for a page it lacks; another document clears the mark. */
void                  sichtung_document_pane_show_passage      (SichtungDocumentPane *self,
                                                                guint                 page,
                                                                GArray               *boxes);

/* Compare mode (sichtung-document-pane-changes.c). Shows the changes of @side of
 * @comparison (NULL: none), whose text must be this document's: in the text view as tags
 * (added: green and underlined, removed: red and struck through, changed: orange with a
 * double underline) and on the pages as @marks (SichtungChangeMark, may be NULL; see
 * sichtung_document_view_set_changes()). */
void                  sichtung_document_pane_set_changes       (SichtungDocumentPane *self,
                                                                ScComparison         *comparison,
                                                                ScCompareSide         side,
                                                                GArray               *marks);
/* The comparison whose changes are shown, or NULL. */
ScComparison         *sichtung_document_pane_get_comparison    (SichtungDocumentPane *self);
/* The code point of the document text at the top of the text view; FALSE before its text is
 * there. */
gboolean              sichtung_document_pane_get_text_top_offset (SichtungDocumentPane *self,
                                                                  gsize                *cp_offset);
/* Scrolls the text view so that code point @cp_offset of the document text is at its top. */
void                  sichtung_document_pane_scroll_text_to_offset (SichtungDocumentPane *self,
                                                                    gsize               cp_offset);
/* Whether the text view marks the code point @cp_offset of the document text as changed;
 * the change's kind goes to @kind (may be NULL). */
gboolean              sichtung_document_pane_get_text_change_at (SichtungDocumentPane *self,
                                                                 gsize                 cp_offset,
                                                                 ScCompareChangeKind  *kind);

G_END_DECLS
