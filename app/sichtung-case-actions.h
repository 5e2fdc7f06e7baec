/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-case-actions.h: managing the cases of the case store from the window: renaming
 * and deleting a case, removing a document from its case.
 *
 * The actions ask first (an AdwMessageDialog); the dialogs' responses call the functions
 * below, which tests call directly. */
#pragma once

#include "sichtung-window.h"

G_BEGIN_DECLS

/* Installs on the window class "win.rename-case" and "win.delete-case" (the current case of
 * the cases sidebar) and "win.remove-document" (int64: the document's id in the store). */
void     sichtung_case_actions_install         (GtkWidgetClass  *widget_class);
/* Enables them: a store, and for the first two a current case. */
void     sichtung_case_actions_update          (SichtungWindow  *window);

/* Gives case @case_id the title @title (surrounding white space removed; empty fails with
 * SC_ERROR_INVALID_ARGUMENT) and the reference @reference (NULL or "": none); the sidebar
 * shows it. The store records the renaming in its audit log. */
gboolean sichtung_case_actions_rename          (SichtungWindow  *window,
                                                gint64           case_id,
                                                const char      *title,
                                                const char      *reference,
                                                GError         **error);
/* Closes the panes that show a document of case @case_id, then deletes it with its
 * documents and decisions (the audit log keeps its record); the sidebar falls back to the
 * newest case left, or says there is none. */
gboolean sichtung_case_actions_delete          (SichtungWindow  *window,
                                                gint64           case_id,
                                                GError         **error);
/* Closes the panes that show document @document_id, then removes it from its case. */
gboolean sichtung_case_actions_remove_document (SichtungWindow  *window,
                                                gint64           document_id,
                                                GError         **error);

G_END_DECLS
