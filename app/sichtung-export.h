/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-export.h: what leaves the workbench as a file: the review report (Prüfbericht) of
 * the current case, the pseudonymised text of the document shown and a backup of the cases.
 * The redacted PDF is saved by sichtung-redaction.c, with the file chooser shared here. */
#pragma once

#include "sichtung-window.h"

G_BEGIN_DECLS

/* Installs "win.export-report", "win.export-pseudonymized" and "win.backup" on the window
 * class: each asks
 * for a file, writes it on a worker thread and says in a toast where it went or why not. */
void     sichtung_export_install_actions     (GtkWidgetClass       *widget_class);
/* Enables them: the report needs a case in the store, the pseudonymised text a document
 * whose analysis is done. */
void     sichtung_export_update_actions      (SichtungWindow       *window);

/* What a save action does once a file is chosen. */
typedef void (*SichtungExportSaveFunc) (SichtungWindow *window,
                                        GFile          *file);
/* Asks for a file to save to with a native file chooser titled @title, suggesting @name, and
 * hands the chosen file to @save; nothing when the chooser is cancelled. */
void     sichtung_export_choose_file         (SichtungWindow       *window,
                                              const char           *title,
                                              const char           *name,
                                              SichtungExportSaveFunc save);

/* The report of case @case_id in the format of @file's extension (".pdf", ".json", ".csv";
 * anything else: PDF), written atomically. */
void     sichtung_export_report_async        (ScStore              *store,
                                              gint64                case_id,
                                              GFile                *file,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean sichtung_export_report_finish       (GAsyncResult         *result,
                                              GError              **error);

/* A consistent copy of the whole case store (every case, document, decision and the audit
 * log) to @file, which sc_store_restore() reads back. */
void     sichtung_export_backup_async        (ScStore              *store,
                                              GFile                *file,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean sichtung_export_backup_finish       (GAsyncResult         *result,
                                              GError              **error);

/* The text of @document with the findings in @findings (SichtungFindingItem) that were not
 * rejected replaced by placeholders, written to @file; the key (placeholders and originals)
 * to @key_file, readable by the owner only. */
void     sichtung_export_pseudonymized_async (ScDocument           *document,
                                              GListModel           *findings,
                                              GFile                *file,
                                              GFile                *key_file,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean sichtung_export_pseudonymized_finish (GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
