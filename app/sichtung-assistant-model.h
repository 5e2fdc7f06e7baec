/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-assistant-model.h: the local assistant's chat model, loaded off the main thread, and
 * the work that runs on it (answers, attribution), each on a GTask thread.
 *
 * A SichtungAssistantModel is what a load produced: the file's description (ScModelInfo), an
 * ScAssistant on it, the SHA-256 of the file (for the audit log) and the device it runs on.
 * Its ScAssistant runs one job at a time: the caller starts the next job only once the last
 * one finished. Loaded models are shared between windows (one ScModel per file and device);
 * each SichtungAssistantModel has its own ScAssistant.
 */
#pragma once

#include <gio/gio.h>

#include "sichtung-core.h"
#include "sc-assistant.h"
#include "sc-model-info.h"

G_BEGIN_DECLS

#define SICHTUNG_TYPE_ASSISTANT_MODEL (sichtung_assistant_model_get_type ())
G_DECLARE_FINAL_TYPE (SichtungAssistantModel, sichtung_assistant_model, SICHTUNG,
                      ASSISTANT_MODEL, GObject)

/* Called on the main thread while a load goes on: a sentence saying what happens now and the
 * share done so far (0 to 1). Not called after the load was cancelled. */
typedef void (*SichtungAssistantProgressFunc) (const char *phase,
                                               double      fraction,
                                               gpointer    user_data);

/* Loads the GGUF chat model at @path on the device sichtung_model_loader_dup_selector()
 * names: reads its description, refuses architectures Sichtung cannot run
 * (SC_ERROR_NOT_SUPPORTED) and devices without room for it (SC_ERROR_NO_MEMORY), loads the
 * weights, hashes the file and makes an assistant, with the sentence-embedding model the
 * "assistant-embedding-model" setting names (one that cannot be used leaves a note, not an
 * error). Error messages are sentences for people
 * that name the model. */
void         sichtung_assistant_model_load_async  (const char                    *path,
                                                   SichtungAssistantProgressFunc  progress_func,
                                                   gpointer                       progress_data,
                                                   GCancellable                  *cancellable,
                                                   GAsyncReadyCallback            callback,
                                                   gpointer                       user_data);
SichtungAssistantModel *
             sichtung_assistant_model_load_finish (GAsyncResult                  *result,
                                                   GError                       **error);

const ScModelInfo      *sichtung_assistant_model_get_info    (SichtungAssistantModel        *self);
ScAssistant            *sichtung_assistant_model_get_assistant (SichtungAssistantModel      *self);
/* Lower-case hex SHA-256 of the model file. */
const char             *sichtung_assistant_model_get_sha256  (SichtungAssistantModel        *self);
/* The device the model runs on ("CPU", a GPU's name). */
const char             *sichtung_assistant_model_get_device  (SichtungAssistantModel        *self);
/* A sentence when the device chosen in the preferences could not be used, else NULL. */
const char             *sichtung_assistant_model_get_note    (SichtungAssistantModel        *self);
/* The name of the sentence-embedding model questions are matched with besides their words
 * (the "assistant-embedding-model" setting at load time), NULL without one. */
const char             *sichtung_assistant_model_get_embedder_name (SichtungAssistantModel *self);
/* The context the assistant runs with, in tokens. */
guint                   sichtung_assistant_model_get_n_ctx   (SichtungAssistantModel        *self);

/* ---- Jobs -------------------------------------------------------------------------------- */

/* One document a job reads: open already (@document), or read from the case store by @id on
 * the job's thread. */
typedef struct
{
  ScDocument *document;  /* nullable: then read from the store */
  gint64      id;        /* in the case store; 0 when it is not stored */
  char       *title;     /* shown to the model and in the list of passages */
} SichtungAssistantSource;

/* Called on the main thread with the answer so far while it is generated; updates are
 * coalesced (a slow main loop sees fewer of them). Not called after the job was cancelled
 * or finished. */
typedef void (*SichtungAssistantTextFunc) (const char *text,
                                           guint       n_tokens,
                                           gpointer    user_data);

/* Runs @task (with @question, may be NULL for other tasks) over @sources
 * (SichtungAssistantSource, which the job keeps a reference to) on a worker thread. With
 * @store, the finished answer (a stopped one too) is recorded in its audit log for @case_id
 * and @document_id (0 for the whole case). Cancelling @cancellable stops the generation; the
 * answer so far is still returned, with stop SC_ANSWER_STOP_CANCELLED. */
void      sichtung_assistant_model_run_async        (SichtungAssistantModel        *self,
                                                     ScAssistTask                   task,
                                                     const char                    *question,
                                                     GArray                        *sources,
                                                     ScStore                       *store,
                                                     gint64                         case_id,
                                                     gint64                         document_id,
                                                     SichtungAssistantTextFunc      text_func,
                                                     gpointer                       text_data,
                                                     GCancellable                  *cancellable,
                                                     GAsyncReadyCallback            callback,
                                                     gpointer                       user_data);
/* The answer, or NULL with @error set. @record_error receives why the answer could not be
 * recorded in the audit log (NULL when it was, or without a store); may be NULL. */
ScAnswer *sichtung_assistant_model_run_finish       (SichtungAssistantModel        *self,
                                                     GAsyncResult                  *result,
                                                     char                         **record_error,
                                                     GError                       **error);

/* Fills @answer's attribution (sc_assistant_attribute()) on a worker thread; @progress_func
 * is called on the main thread with the share of the variants done. @answer must not be
 * touched elsewhere until the job finished. */
void      sichtung_assistant_model_attribute_async  (SichtungAssistantModel        *self,
                                                     ScAnswer                      *answer,
                                                     SichtungAssistantProgressFunc  progress_func,
                                                     gpointer                       progress_data,
                                                     GCancellable                  *cancellable,
                                                     GAsyncReadyCallback            callback,
                                                     gpointer                       user_data);
gboolean  sichtung_assistant_model_attribute_finish (SichtungAssistantModel        *self,
                                                     GAsyncResult                  *result,
                                                     GError                       **error);

/* The sources @sources holds (for g_array_set_clear_func()). */
void      sichtung_assistant_source_clear           (SichtungAssistantSource       *source);

G_END_DECLS
