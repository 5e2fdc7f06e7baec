/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-trainer-window.h: the trainers' window (Schulungsmodus): the word scores of every
 * finding of the model in the document shown, the two explanation methods side by side and
 * the deletion test, large enough for a projector. */
#pragma once

#include <adwaita.h>

#include "sichtung-window.h"

G_BEGIN_DECLS

#define SICHTUNG_TYPE_TRAINER_WINDOW (sichtung_trainer_window_get_type ())
G_DECLARE_FINAL_TYPE (SichtungTrainerWindow, sichtung_trainer_window, SICHTUNG, TRAINER_WINDOW,
                      AdwWindow)

/* A trainers' window following @window: it shows the findings of @window's active document
 * pane and keeps the finding selected in step with it. */
SichtungTrainerWindow *sichtung_trainer_window_new (SichtungWindow *window);

/* The main window followed, or NULL once it is gone. */
SichtungWindow *sichtung_trainer_window_get_window       (SichtungTrainerWindow *self);

/* The findings of the model listed (one row each) and how many of them have their word
 * scores computed so far; the scores are computed one finding after the other. */
guint           sichtung_trainer_window_get_n_findings   (SichtungTrainerWindow *self);
guint           sichtung_trainer_window_get_n_explained  (SichtungTrainerWindow *self);
GtkListBox     *sichtung_trainer_window_get_findings_list (SichtungTrainerWindow *self);

/* The selected finding, whose methods and deletion test are shown; NULL without one.
 * Selecting one here selects it in the main window too, and the other way round. */
SichtungFindingItem *sichtung_trainer_window_get_selected (SichtungTrainerWindow *self);
void                 sichtung_trainer_window_select      (SichtungTrainerWindow *self,
                                                          SichtungFindingItem   *item);

/* The page shown for the selected finding: "busy", "error" or "result"; NULL without one. */
const char     *sichtung_trainer_window_get_detail_state (SichtungTrainerWindow *self);
/* The heatmaps of both methods and the sentence on their agreement. */
GtkLabel       *sichtung_trainer_window_get_heatmap_label (SichtungTrainerWindow *self,
                                                           ScExplainMethod        method);
GtkLabel       *sichtung_trainer_window_get_agreement_label (SichtungTrainerWindow *self);

/* The deletion test of the selected finding: the number of steps computed (0 while it is
 * computed or without one) and the model's probability at step @k (k words hidden) with the
 * words of highest score hidden (@random FALSE) or words drawn at random (@random TRUE). */
guint           sichtung_trainer_window_get_n_deletion_steps (SichtungTrainerWindow *self);
double          sichtung_trainer_window_get_deletion_probability (SichtungTrainerWindow *self,
                                                                  guint                  k,
                                                                  gboolean               random);
/* Shows the deletion test step by step, one more word hidden every second, for an audience;
 * the steps appear at once when animations are off. */
void            sichtung_trainer_window_play_deletion_test (SichtungTrainerWindow *self);

G_END_DECLS
