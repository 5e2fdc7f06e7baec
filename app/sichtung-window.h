/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-window.h: the main window: a header bar, the cases, two document panes side by
 * side, and the findings of the active document with their explanation, or the assistant. */
#pragma once

#include <adwaita.h>

#include "sichtung-assistant-panel.h"
#include "sichtung-case-sidebar.h"
#include "sichtung-document-pane.h"
#include "sichtung-explanation-panel.h"
#include "sichtung-findings-panel.h"

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

/* Opens @file in the pane at @position; the right pane turns side by side on. With a case
 * store, the file goes to the sample case when it is one of the bundled samples, else to the
 * current case, else to a new case named after it; that case becomes the current one. */
void                  sichtung_window_open             (SichtungWindow       *self,
                                                        GFile                *file,
                                                        SichtungPanePosition  position);
/* Opens the bundled sample case (Beispielvorgang): all its documents go to the sample case of
 * the store (once it is open), and the Bescheid and the Widerspruch are shown side by side.
 * A toast says so when the samples are not installed. */
void                  sichtung_window_open_sample_case (SichtungWindow      *self);
/* TRUE when the left pane shows (or is about to show) a document of the sample case. */
gboolean              sichtung_window_shows_sample_case (SichtungWindow     *self);

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

/* Property "show-findings": whether the sidebar with the findings and their explanation is
 * shown (default TRUE). */
gboolean              sichtung_window_get_show_findings (SichtungWindow      *self);
void                  sichtung_window_set_show_findings (SichtungWindow      *self,
                                                         gboolean             show_findings);
SichtungFindingsPanel *sichtung_window_get_findings_panel (SichtungWindow    *self);
SichtungExplanationPanel *sichtung_window_get_explanation_panel (SichtungWindow *self);

/* Property "show-assistant" (action "win.show-assistant", Ctrl+Shift+A): whether the sidebar
 * shows the local assistant rather than the findings. Setting it shows the sidebar; unsetting
 * it goes back to the findings. */
gboolean              sichtung_window_get_show_assistant (SichtungWindow     *self);
void                  sichtung_window_set_show_assistant (SichtungWindow     *self,
                                                          gboolean            show_assistant);
SichtungAssistantPanel *sichtung_window_get_assistant_panel (SichtungWindow  *self);

/* Property "show-cases": whether the cases sidebar is shown (default TRUE). */
gboolean              sichtung_window_get_show_cases   (SichtungWindow       *self);
void                  sichtung_window_set_show_cases   (SichtungWindow       *self,
                                                        gboolean              show_cases);
SichtungCaseSidebar  *sichtung_window_get_case_sidebar (SichtungWindow       *self);

/* Property "store" (ScStore, nullable): the case store the window saves documents, findings
 * and decisions in. Until one is set the cases sidebar says they are being opened. */
ScStore              *sichtung_window_get_store        (SichtungWindow       *self);
void                  sichtung_window_set_store        (SichtungWindow       *self,
                                                        ScStore              *store);
/* The case store could not be opened (@error says why): an inline message says so and that
 * documents can still be viewed; nothing is saved. */
void                  sichtung_window_set_store_error  (SichtungWindow       *self,
                                                        const GError         *error);
/* The inline message about the case store, or NULL when none is shown. */
const char           *sichtung_window_get_store_error  (SichtungWindow       *self);

G_END_DECLS
