/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-case-sidebar.h: the cases (Vorgänge) of the case store with their documents and
 * open findings, creating a case, and full-text search in the current case.
 *
 * The sidebar shows the store's cases, newest first, the current one with its documents. Each
 * says how many of its findings are still open. Activating a document, or a search hit, emits
 * "document-activated" (ScStoreDocument, int page: 0-based, -1 for none); the window opens it.
 */
#pragma once

#include <adwaita.h>

#include "sichtung-core.h"

G_BEGIN_DECLS

#define SICHTUNG_TYPE_CASE_SIDEBAR (sichtung_case_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (SichtungCaseSidebar, sichtung_case_sidebar, SICHTUNG, CASE_SIDEBAR, AdwBin)

GtkWidget      *sichtung_case_sidebar_new             (void);

/* Property "store" (ScStore, nullable). Until a store or an error is set the sidebar says
 * the cases are being opened. */
ScStore        *sichtung_case_sidebar_get_store       (SichtungCaseSidebar *self);
void            sichtung_case_sidebar_set_store       (SichtungCaseSidebar *self,
                                                       ScStore             *store);
/* Shows why there are no cases (the store could not be opened) instead of them. */
void            sichtung_case_sidebar_set_error       (SichtungCaseSidebar *self,
                                                       const char          *message);

/* Property "case-id" (gint64): the current case, 0 only while there is none. An id the store
 * does not have gives way to the newest case. */
gint64          sichtung_case_sidebar_get_case_id     (SichtungCaseSidebar *self);
void            sichtung_case_sidebar_set_case_id     (SichtungCaseSidebar *self,
                                                       gint64               case_id);
/* Property "document-id" (gint64): the document shown in the active pane, marked in the list;
 * 0 for none. */
void            sichtung_case_sidebar_set_document_id (SichtungCaseSidebar *self,
                                                       gint64               document_id);

/* Creates a case and makes it the current one. Returns its id, 0 on error. */
gint64          sichtung_case_sidebar_create_case     (SichtungCaseSidebar *self,
                                                       const char          *title,
                                                       const char          *reference,
                                                       GError             **error);

/* Reads the cases, documents and counts from the store again, now or soon (several changes
 * in a row, such as decisions made quickly one after the other, read once). */
void            sichtung_case_sidebar_reload          (SichtungCaseSidebar *self);
void            sichtung_case_sidebar_queue_reload    (SichtungCaseSidebar *self);

GtkSearchEntry *sichtung_case_sidebar_get_search_entry (SichtungCaseSidebar *self);
GtkListBox     *sichtung_case_sidebar_get_case_list   (SichtungCaseSidebar *self);
GtkListBox     *sichtung_case_sidebar_get_results_list (SichtungCaseSidebar *self);
/* The name of the page shown: "loading", "cases", "empty", "results", "no-results" or
 * "unavailable". */
const char     *sichtung_case_sidebar_get_page        (SichtungCaseSidebar *self);

/* @snippet (from sc_store_search()) as Pango markup: the text escaped, the matches bold. */
char           *sichtung_case_sidebar_snippet_markup  (const char          *snippet);

G_END_DECLS
