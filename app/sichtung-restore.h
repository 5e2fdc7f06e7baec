/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-restore.h: restoring a backup of all cases (written by "win.backup", see
 * sichtung-export.h) into the case store.
 *
 * "win.restore" asks for the backup with a native file chooser, warns that the current cases
 * will be replaced, closes both panes, restores on a worker thread, reloads the cases and
 * says in a toast that it is done or why not. The core checks the backup first (integrity,
 * schema, audit chain) and changes nothing when it fails. */
#pragma once

#include "sichtung-window.h"

G_BEGIN_DECLS

/* Installs "win.restore" on the window class. */
void     sichtung_restore_install_action (GtkWidgetClass       *widget_class);
/* Enables it: a store, and no restore running. */
void     sichtung_restore_update_action  (SichtungWindow       *window);

/* Replaces the whole content of @store with the backup @file (a local file), on a worker
 * thread. */
void     sichtung_restore_async          (ScStore              *store,
                                          GFile                *file,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean sichtung_restore_finish         (GAsyncResult         *result,
                                          GError              **error);

/* What "win.restore" does once the clerk confirmed: closes both panes of @window (nothing
 * is written to the cases while they are replaced), restores @file, then reloads the cases
 * sidebar and shows a toast. */
void     sichtung_restore_start          (SichtungWindow       *window,
                                          GFile                *file);
/* Whether a restore started by sichtung_restore_start() is still running. */
gboolean sichtung_restore_is_running     (SichtungWindow       *window);

G_END_DECLS
