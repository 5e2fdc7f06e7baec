/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-what-if-window.h: the trainers' “What If?” editor — type a sentence and see live
 * what the findings model tags in it and which words made it sure. */
#pragma once

#include <adwaita.h>

#include "sichtung-core.h"

G_BEGIN_DECLS

#define SICHTUNG_TYPE_WHAT_IF_WINDOW (sichtung_what_if_window_get_type ())
G_DECLARE_FINAL_TYPE (SichtungWhatIfWindow, sichtung_what_if_window, SICHTUNG, WHAT_IF_WINDOW,
                      AdwWindow)

/* A new editor for @application (may be NULL), prefilled with a German sample sentence; it
 * loads the model (sichtung-model-loader.h) and tags the text at once. */
SichtungWhatIfWindow *sichtung_what_if_window_new          (GtkApplication       *application);

/* The text being edited (transfer full). Setting it schedules a new run, as typing does. */
char                 *sichtung_what_if_window_get_text     (SichtungWhatIfWindow *self);
void                  sichtung_what_if_window_set_text     (SichtungWhatIfWindow *self,
                                                            const char           *text);

/* The model findings (ScFinding*) shown, of the text last computed; NULL while nothing is
 * shown (model loading, no model, an error). */
GPtrArray            *sichtung_what_if_window_get_findings (SichtungWhatIfWindow *self);
/* Whether a run is scheduled or in progress, so the findings shown may be of an older text. */
gboolean              sichtung_what_if_window_is_busy      (SichtungWhatIfWindow *self);
/* The page shown below the text: "loading", "note" (no model), "error" or "result". */
const char           *sichtung_what_if_window_get_state    (SichtungWhatIfWindow *self);

/* The text with its findings tagged, and the word heatmap of the selected finding. */
GtkLabel             *sichtung_what_if_window_get_tagged_label  (SichtungWhatIfWindow *self);
GtkLabel             *sichtung_what_if_window_get_heatmap_label (SichtungWhatIfWindow *self);

G_END_DECLS
