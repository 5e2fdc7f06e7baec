/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-window.h: the main window: a header bar and two document panes side by side. */
#pragma once

#include <adwaita.h>

#include "sichtung-document-pane.h"

G_BEGIN_DECLS

#define SICHTUNG_TYPE_WINDOW (sichtung_window_get_type ())
G_DECLARE_FINAL_TYPE (SichtungWindow, sichtung_window, SICHTUNG, WINDOW, AdwApplicationWindow)

typedef enum
{
  SICHTUNG_PANE_LEFT,
  SICHTUNG_PANE_RIGHT,
} SichtungPanePosition;

/* @application may be NULL (tests). */
SichtungWindow       *sichtung_window_new              (GtkApplication       *application);

SichtungDocumentPane *sichtung_window_get_pane         (SichtungWindow       *self,
                                                        SichtungPanePosition  position);
/* Property "active-pane": the pane that shortcuts, Open and search act on, and whose position
 * the other pane follows when scrolling is synchronised — the one last focused, clicked,
 * scrolled or opened in. A hidden right pane is never active. */
SichtungDocumentPane *sichtung_window_get_active_pane  (SichtungWindow       *self);
void                  sichtung_window_set_active_pane  (SichtungWindow       *self,
                                                        SichtungDocumentPane *pane);

/* Opens @file in the pane at @position; the right pane turns side by side on. */
void                  sichtung_window_open             (SichtungWindow       *self,
                                                        GFile                *file,
                                                        SichtungPanePosition  position);
/* TRUE when no pane shows or loads a document, so the window can be reused. */
gboolean              sichtung_window_is_empty         (SichtungWindow       *self);

/* Property "side-by-side": whether the right pane is shown. */
gboolean              sichtung_window_get_side_by_side (SichtungWindow       *self);
void                  sichtung_window_set_side_by_side (SichtungWindow       *self,
                                                        gboolean              side_by_side);
/* Property "sync-scroll": whether the inactive pane follows the active pane's position. It
 * only takes effect while both panes show a document side by side. */
gboolean              sichtung_window_get_sync_scroll  (SichtungWindow       *self);
void                  sichtung_window_set_sync_scroll  (SichtungWindow       *self,
                                                        gboolean              sync_scroll);

void                  sichtung_window_add_toast        (SichtungWindow       *self,
                                                        AdwToast             *toast);

G_END_DECLS
