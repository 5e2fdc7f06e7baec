/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-assistant-panel.h: the local assistant in the main window's sidebar: a GGUF chat
 * model the person chose summarises, rewrites, drafts and answers questions over the active
 * document or the whole case, with citations that show their passage in the document pane.
 *
 * The model's path is the "assistant-model" setting; it loads in the background the first
 * time the panel is shown (or when another model is chosen there). Every answer is recorded in
 * the case store's audit log.
 */
#pragma once

#include <adwaita.h>

#include "sichtung-answer-view.h"
#include "sichtung-assistant-model.h"
#include "sichtung-document-pane.h"

G_BEGIN_DECLS

#define SICHTUNG_TYPE_ASSISTANT_PANEL (sichtung_assistant_panel_get_type ())
G_DECLARE_FINAL_TYPE (SichtungAssistantPanel, sichtung_assistant_panel, SICHTUNG,
                      ASSISTANT_PANEL, AdwBin)

GtkWidget              *sichtung_assistant_panel_new            (void);

/* Property "pane" (SichtungDocumentPane, nullable): the document pane "This Document" means
 * and where citations are shown. */
SichtungDocumentPane   *sichtung_assistant_panel_get_pane       (SichtungAssistantPanel *self);
void                    sichtung_assistant_panel_set_pane       (SichtungAssistantPanel *self,
                                                                 SichtungDocumentPane   *pane);
/* Properties "store" (ScStore, nullable) and "case-id" (gint64): the case "Whole Case" means
 * and where answers are recorded. */
void                    sichtung_assistant_panel_set_store      (SichtungAssistantPanel *self,
                                                                 ScStore                *store);
void                    sichtung_assistant_panel_set_case_id    (SichtungAssistantPanel *self,
                                                                 gint64                  case_id);

/* Chooses the model at @path (NULL or "": none) by setting "assistant-model"; it loads at
 * once while the panel is shown. */
void                    sichtung_assistant_panel_set_model_path (SichtungAssistantPanel *self,
                                                                 const char             *path);

/* Property "state" (string, read-only): "none" (no model chosen), "loading", "ready" or
 * "failed" (the inline message says why). */
const char             *sichtung_assistant_panel_get_state      (SichtungAssistantPanel *self);
/* The inline message shown, or NULL. */
const char             *sichtung_assistant_panel_get_message    (SichtungAssistantPanel *self);
/* The model loaded, or NULL. */
SichtungAssistantModel *sichtung_assistant_panel_get_model      (SichtungAssistantPanel *self);
/* Property "busy" (gboolean, read-only): an answer is generated or explained. */
gboolean                sichtung_assistant_panel_get_busy       (SichtungAssistantPanel *self);
/* Property "scope" (string): "document" or "case"; action "assistant.scope". */
const char             *sichtung_assistant_panel_get_scope      (SichtungAssistantPanel *self);
void                    sichtung_assistant_panel_set_scope      (SichtungAssistantPanel *self,
                                                                 const char             *scope);

SichtungAnswerView     *sichtung_assistant_panel_get_answer_view (SichtungAssistantPanel *self);
GtkEntry               *sichtung_assistant_panel_get_question_entry (SichtungAssistantPanel *self);
AdwStatusPage          *sichtung_assistant_panel_get_status_page (SichtungAssistantPanel *self);
/* The facts about the model shown (architecture, size, memory, device …). */
const char             *sichtung_assistant_panel_get_model_facts (SichtungAssistantPanel *self);

G_END_DECLS
