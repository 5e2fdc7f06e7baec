/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-answer-view.h: one answer of the local assistant, labelled as AI-generated: its
 * text as it streams in, then with its citations as links, the timing, the passages it was
 * given and, once explained, which passage each sentence rests on. */
#pragma once

#include <adwaita.h>

#include "sichtung-core.h"
#include "sc-assistant.h"

G_BEGIN_DECLS

#define SICHTUNG_TYPE_ANSWER_VIEW (sichtung_answer_view_get_type ())
G_DECLARE_FINAL_TYPE (SichtungAnswerView, sichtung_answer_view, SICHTUNG, ANSWER_VIEW, AdwBin)

GtkWidget  *sichtung_answer_view_new                 (void);

/* Shows @text (the answer so far) while it is generated, plainly and with a note saying so;
 * the passages and the explanation are hidden until the answer is set. */
void        sichtung_answer_view_set_streaming_text  (SichtungAnswerView *self,
                                                      const char         *text);
/* Shows the finished @answer (NULL: nothing) with its citations as links, its timing, the
 * passages with @titles (document names by ScPassage.document, NULL-terminated; may be NULL)
 * and, once sc_assistant_attribute() filled it, the attribution. Call it again after the
 * attribution to show it. */
void        sichtung_answer_view_set_answer          (SichtungAnswerView *self,
                                                      ScAnswer           *answer,
                                                      const char *const  *titles);
ScAnswer   *sichtung_answer_view_get_answer          (SichtungAnswerView *self);
/* Shows the explanation's progress (@phase, @fraction 0 to 1); a NULL @phase hides it. */
void        sichtung_answer_view_set_explain_progress (SichtungAnswerView *self,
                                                       const char         *phase,
                                                       double              fraction);

/* The plain text shown (without markup), for tests and copying. */
const char *sichtung_answer_view_get_text            (SichtungAnswerView *self);
/* The label that says the text is AI-generated. */
GtkWidget  *sichtung_answer_view_get_ai_label        (SichtungAnswerView *self);
/* The label with the answer's text and its links ("passage:N", N the index of the passage). */
GtkLabel   *sichtung_answer_view_get_text_label      (SichtungAnswerView *self);
/* The state shown next to the AI label ("Stopped …", "Generating …"), or NULL. */
const char *sichtung_answer_view_get_status          (SichtungAnswerView *self);
/* The sentences explaining the attribution, or NULL before it. */
const char *sichtung_answer_view_get_attribution_text (SichtungAnswerView *self);
GtkListBox *sichtung_answer_view_get_passages_list   (SichtungAnswerView *self);

/* Signal "passage-activated" (guint index into ScAnswer.passages): a citation or a passage in
 * the list was clicked or activated with the keyboard. */

G_END_DECLS
