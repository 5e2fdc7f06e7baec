/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-assistant.h: the local assistant — summaries, plain-language rewrites, drafts and
 * questions over documents, answered by a GGUF chat model with citations of the passages the
 * answer rests on.
 *
 * A request names a task and the documents. The assistant picks passages (sc-passages.h): for
 * a question the best BM25 matches, for the other tasks the documents' passages in reading
 * order as far as the context allows (ScAnswer.n_passages_total says how many there were).
 * They go into the prompt numbered [1], [2], … with their document and page; the model is told
 * to answer in German from these passages only and to cite them by number. Generation streams
 * through a callback and stops at the model's end-of-turn token, at the task's token limit or
 * when cancelled (the text so far is kept). Citations "[n]" (also "[1, 3]" and "[2][4]") in the
 * answer are mapped to the passages; numbers no passage has are reported as unresolved.
 * Questions are matched by BM25, fused with dense similarity when a sentence-embedding model
 * is set (sc_assistant_set_embedder()).
 *
 * Attribution (sc_assistant_attribute()) tells how much each sentence of the answer depends on
 * each passage, by ablation: the passage is removed from the prompt (the others keep their
 * numbers) and the drop of the sentence's log-probability under the model is measured,
 * teacher-forced, in nats. A large positive score means the sentence leans on that passage.
 * The key/value cache is reused for the prompt prefix all variants share.
 *
 *   g_autoptr(ScAssistant) assistant = sc_assistant_new (model, 0, &error);
 *   ScAssistRequest request = { .task = SC_ASSIST_TASK_QUESTION, .question = "Wann endet die
 *                               Frist?", .documents = docs, .n_documents = 1 };
 *   g_autoptr(ScAnswer) answer = sc_assistant_run (assistant, &request, NULL, NULL, NULL, &error);
 *   sc_assistant_attribute (assistant, answer, NULL, NULL, NULL, &error);
 *
 * An ScAssistant runs one request at a time; use it from one thread at a time.
 */
#pragma once

#include <gio/gio.h>

#include "sc-chat.h"
#include "sc-document.h"
#include "sc-model.h"
#include "sc-passages.h"

G_BEGIN_DECLS

typedef enum
{
  SC_ASSIST_TASK_QUESTION,       /* a free question (ScAssistRequest.question) */
  SC_ASSIST_TASK_SUMMARY_SHORT,  /* two or three sentences */
  SC_ASSIST_TASK_SUMMARY_MEDIUM, /* one paragraph */
  SC_ASSIST_TASK_SUMMARY_LONG,   /* a structured summary with points */
  SC_ASSIST_TASK_PLAIN_LANGUAGE, /* Einfache Sprache */
  SC_ASSIST_TASK_EASY_LANGUAGE,  /* Leichte Sprache */
  SC_ASSIST_TASK_DRAFT_MEMO,     /* a Vermerk for the file */
  SC_ASSIST_TASK_DRAFT_REPLY,    /* a reply letter to the applicant */
} ScAssistTask;

#define SC_ASSIST_N_TASKS (SC_ASSIST_TASK_DRAFT_REPLY + 1)

/* "question", "summary-short", "summary-medium", "summary-long", "plain-language",
 * "easy-language", "draft-memo", "draft-reply". */
const char *sc_assist_task_get_id    (ScAssistTask  task);
/* FALSE for an unknown id. */
gboolean    sc_assist_task_from_id   (const char   *id,
                                      ScAssistTask *task);

typedef struct
{
  ScAssistTask  task;
  const char   *question;     /* the question (QUESTION); an optional instruction otherwise */
  ScDocument  **documents;    /* [n_documents] */
  const char  **titles;       /* [n_documents] names shown to the model, or NULL for the
                               * documents' titles */
  guint         n_documents;
  guint         max_passages; /* 0: 6 for a question, as many as fit for the other tasks */
  guint         max_tokens;   /* 0: the task's limit (120 to 700 tokens) */
  float         temperature;  /* <= 0: greedy (the default) */
  guint64       seed;         /* of the sampler when temperature > 0 */
} ScAssistRequest;

typedef enum
{
  SC_ANSWER_STOP_END,       /* the model ended its turn */
  SC_ANSWER_STOP_LENGTH,    /* the token limit or the end of the context was reached */
  SC_ANSWER_STOP_CANCELLED, /* stopped by the user; the text is what was generated so far */
} ScAnswerStop;

/* "[n]" in the answer: @start and @end are the bytes of the number (or of the whole bracket
 * for a single number) in ScAnswer.text. @passage is the index into ScAnswer.passages, -1 when
 * no passage has that number. */
typedef struct
{
  gsize start;
  gsize end;
  guint number;
  gint  passage;
  guint sentence; /* index into ScAnswer.sentences */
} ScCitation;

/* A sentence of the answer: bytes [start, end) of ScAnswer.text and its generated tokens. */
typedef struct
{
  gsize start;
  gsize end;
  guint first_token;
  guint n_tokens;
} ScAnswerSentence;

typedef struct
{
  ScAssistTask  task;
  char         *question;          /* as asked, or NULL */
  char         *text;              /* the answer, valid UTF-8, trimmed */
  GPtrArray    *passages;          /* ScPassage*, prompt order: passage i is number i + 1 */
  GPtrArray    *titles;            /* char*: the documents' names as the model saw them, by
                                    * ScPassage.document */
  guint         n_passages_total;  /* passages the documents have */
  GArray       *citations;         /* ScCitation, in text order */
  GArray       *sentences;         /* ScAnswerSentence, in text order */
  GArray       *tokens;            /* gint32: the generated ids (end-of-turn excluded) */
  ScAnswerStop  stop;
  char         *chat_format;       /* sc_chat_format_get_name() of the prompt */
  guint         n_prompt_tokens;
  GArray       *prompt_ids;        /* gint32: the prompt as the model read it */
  double        retrieval_ms;      /* cutting the documents into passages, choosing them and
                                    * tokenizing the prompt */
  double        prompt_ms;         /* evaluating the prompt */
  double        first_token_ms;    /* from the start of the run to the first generated token */
  double        generation_ms;     /* from the first to the last generated token */
  /* [n_sentences * n_passages] (row-major by sentence): log-probability drop of the sentence
   * in nats when the passage is left out; NULL until sc_assistant_attribute(). */
  double       *attribution;
  double       *sentence_logprob;  /* [n_sentences] with every passage; NULL until then */
  gint          ref_count;
} ScAnswer;

#define SC_TYPE_ANSWER (sc_answer_get_type ())

GType      sc_answer_get_type          (void) G_GNUC_CONST;
ScAnswer  *sc_answer_ref               (ScAnswer *answer);
void       sc_answer_unref             (ScAnswer *answer);
/* Generated tokens per second (0 before two tokens). */
double     sc_answer_get_tokens_per_second (ScAnswer *answer);
/* Passages cited anywhere in the answer, as indices into passages, ascending (guint). */
GArray    *sc_answer_get_cited_passages (ScAnswer *answer);
/* The passage with the largest attribution score for @sentence, or -1 (no attribution yet,
 * or no passage with a positive score). */
gint       sc_answer_get_top_passage   (ScAnswer *answer,
                                        guint     sentence);
/* The answer as JSON: task, question, text, stop, chat_format, timing, passages (document,
 * page, start, end, text, boxes, score), citations, sentences and the attribution matrix. */
char      *sc_answer_to_json           (ScAnswer *answer,
                                        gboolean  pretty);

typedef struct _ScAssistant ScAssistant;

/* A context of @n_ctx tokens (0: min (n_ctx_train, 4096)) on @model, which needs a
 * tokenizer (SC_ERROR_NOT_SUPPORTED otherwise). */
ScAssistant  *sc_assistant_new        (ScModel       *model,
                                       guint          n_ctx,
                                       GError       **error);
void          sc_assistant_free       (ScAssistant   *assistant);
ScModel      *sc_assistant_get_model  (ScAssistant   *assistant);
ScChatFormat  sc_assistant_get_format (ScAssistant   *assistant);
guint         sc_assistant_get_n_ctx  (ScAssistant   *assistant);

/* Questions are matched to passages by BM25 alone, or, with a sentence-embedding model set
 * here (sc_encoder_get_pooling() not NONE), by BM25 fused with dense similarity
 * (sc_passages_rank_dense()); passage vectors are cached while the encoder stays. NULL drops
 * it. Fails with SC_ERROR_NOT_SUPPORTED for an encoder that is no embedding model. */
gboolean      sc_assistant_set_embedder (ScAssistant *assistant,
                                         ScEncoder   *encoder,
                                         GError     **error);
ScEncoder    *sc_assistant_get_embedder (ScAssistant *assistant);

/* Called on the running thread after every generated token with the answer so far (valid
 * UTF-8, not yet trimmed). */
typedef void (*ScAssistTextFunc) (const char *text,
                                  guint       n_tokens,
                                  gpointer    user_data);

/* Runs @request. Fails with SC_ERROR_EMPTY when the documents have no text, with
 * SC_ERROR_INVALID_ARGUMENT for a question task without a question or a prompt that does not
 * fit the context; cancellation is not an error (ScAnswer.stop says so). */
ScAnswer     *sc_assistant_run        (ScAssistant           *assistant,
                                       const ScAssistRequest *request,
                                       ScAssistTextFunc       text_func,
                                       gpointer               user_data,
                                       GCancellable          *cancellable,
                                       GError               **error);

/* Called after each ablated variant: @done of @total. */
typedef void (*ScAssistProgressFunc) (guint    done,
                                      guint    total,
                                      gpointer user_data);

/* Fills @answer's attribution and sentence_logprob (see above); one teacher-forced pass with
 * all passages and one per passage. @answer must come from this assistant. Cancelled with
 * G_IO_ERROR_CANCELLED, leaving @answer unchanged. */
gboolean      sc_assistant_attribute  (ScAssistant           *assistant,
                                       ScAnswer              *answer,
                                       ScAssistProgressFunc   progress_func,
                                       gpointer               user_data,
                                       GCancellable          *cancellable,
                                       GError               **error);

/* The log-probability (nats) of @answer's generated tokens after the prompt built from the
 * passages whose @keep entry is TRUE ([n_passages]; NULL keeps all), per sentence into
 * @out ([n_sentences]). The building block of attribution, public for benchmarks. */
gboolean      sc_assistant_score      (ScAssistant           *assistant,
                                       ScAnswer              *answer,
                                       const gboolean        *keep,
                                       double                *out,
                                       GCancellable          *cancellable,
                                       GError               **error);

/* g_get_user_data_dir()/sichtung/modelle: where the app looks for the user's GGUF models. */
char         *sc_assistant_get_models_dir (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScAnswer, sc_answer_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScAssistant, sc_assistant_free)

G_END_DECLS
