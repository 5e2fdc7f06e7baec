/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-redaction.h: true redaction from the workbench: what the clerk accepted, corrected or
 * added by hand in a stored document, redacted out of its PDF (sc_redact_pdf()), either saved as
 * a file once the check found no leak, or shown as a preview beside the original. */
#pragma once

#include "sichtung-window.h"

G_BEGIN_DECLS

/* Installs "win.export-redacted" (asks for a file, saves the redacted PDF on a worker thread,
 * says in a toast what was done, and in a dialog why nothing was saved when the check found a
 * leak) and "win.redaction-preview" (shows the redacted version of the active document in the
 * other pane). */
void      sichtung_redaction_install_actions (GtkWidgetClass       *widget_class);
/* Enables them while the active pane shows a stored document, not being loaded or analysed,
 * with at least one finding to redact. */
void      sichtung_redaction_update_actions  (SichtungWindow       *window);
/* Whether @pane shows such a document. */
gboolean  sichtung_redaction_can_redact      (SichtungDocumentPane *pane);

/* What "win.export-redacted" does once @file is chosen: redacts the active document to @file
 * and reports the outcome in a toast, or in a dialog on a leak. */
void      sichtung_redaction_save            (SichtungWindow       *window,
                                              GFile                *file);

/* Redacts from the PDF @document is shown from (sc_document_get_pdf_data(), in whose
 * coordinates the stored page boxes lie) every finding of the stored document @document_id
 * that was accepted, corrected or added by hand, labelled with its legal basis; checks the
 * result and writes it to @file only when no leak was found. @file must not be @document's
 * own file. */
void      sichtung_redaction_save_async      (ScStore              *store,
                                              gint64                document_id,
                                              ScDocument           *document,
                                              GFile                *file,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
/* @report (may be NULL) receives what was done and checked, also when the error is
 * SC_ERROR_LEAK (then its leaks say what); NULL when the redaction did not run. */
gboolean  sichtung_redaction_save_finish     (GAsyncResult         *result,
                                              ScRedactionReport   **report,
                                              GError              **error);

/* The same redaction in memory only, neither checked nor written: the redacted document,
 * named @name (for messages). */
void        sichtung_redaction_preview_async  (ScStore             *store,
                                               gint64               document_id,
                                               ScDocument          *document,
                                               const char          *name,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
ScDocument *sichtung_redaction_preview_finish (GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
