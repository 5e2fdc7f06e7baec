/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-assistant-model.c: loads the assistant's chat model and runs its jobs, each on a
 * GTask thread.
 *
 * Loading reads the GGUF header first (cheap), so a model Sichtung cannot run or one too
 * large for the device is refused before any weight is mapped. The loaded ScModel is kept,
 * keyed by file, size, modification time and device selector, as long as the selector stays
 * the same: a second window asks for the same model and gets it at once (the weights are
 * immutable and may be shared; each SichtungAssistantModel makes its own ScAssistant, since
 * an assistant runs one request at a time).
 *
 * Progress, streamed text and attribution progress come from worker threads and reach the
 * main thread through idles that carry only the latest state, so a fast model cannot flood
 * the main loop.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sichtung-assistant-model.h"
#include "sichtung-model-loader.h"

/* The context the assistant gets: what the model was trained for, at most this. */
#define MAX_N_CTX 4096

struct _SichtungAssistantModel
{
  GObject      parent_instance;

  ScModelInfo *info;
  ScAssistant *assistant;
  char        *sha256;
  char        *device;
  char        *note;
  char        *embedder_name;  /* the sentence-embedding model's name, NULL without one */
  guint        n_ctx;
};

G_DEFINE_FINAL_TYPE (SichtungAssistantModel, sichtung_assistant_model, G_TYPE_OBJECT)

/* ------------------------------------------------------------------------------------------ */
/* Main-thread updates from workers                                                           */

/* The latest progress or text of a job, handed to the main thread by at most one idle at a
 * time. Reference counted: the worker and the idle each hold one. The idle has the default
 * priority, as GTask's result has: the text posted before the result arrives first. */
typedef struct
{
  gatomicrefcount  ref_count;
  GMutex           lock;
  GMainContext    *context;        /* the main thread's */
  GCancellable    *cancellable;    /* nothing reaches the main thread once it is cancelled */
  gboolean         idle_pending;
  gboolean         done;           /* the job returned: later updates are stale */
  char            *text;           /* the phase or the answer so far */
  double           fraction;
  guint            n_tokens;
  SichtungAssistantProgressFunc progress_func;
  SichtungAssistantTextFunc     text_func;
  gpointer         user_data;
} Updates;

static Updates *
updates_new (GCancellable *cancellable)
{
  Updates *updates = g_new0 (Updates, 1);

  g_atomic_ref_count_init (&updates->ref_count);
  g_mutex_init (&updates->lock);
  updates->context = g_main_context_ref_thread_default ();
  updates->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  return updates;
}

static Updates *
updates_ref (Updates *updates)
{
  g_atomic_ref_count_inc (&updates->ref_count);
  return updates;
}

static void
updates_unref (Updates *updates)
{
  if (!g_atomic_ref_count_dec (&updates->ref_count))
    return;

  g_mutex_clear (&updates->lock);
  g_main_context_unref (updates->context);
  g_clear_object (&updates->cancellable);
  g_free (updates->text);
  g_free (updates);
}

static gboolean
updates_dispatch (gpointer user_data)
{
  Updates *updates = user_data;
  g_autofree char *text = NULL;
  double fraction;
  guint n_tokens;
  gboolean done;

  g_mutex_lock (&updates->lock);
  updates->idle_pending = FALSE;
  text = g_steal_pointer (&updates->text);
  fraction = updates->fraction;
  n_tokens = updates->n_tokens;
  done = updates->done;
  g_mutex_unlock (&updates->lock);

  if (done || text == NULL || g_cancellable_is_cancelled (updates->cancellable))
    return G_SOURCE_REMOVE;

  if (updates->progress_func != NULL)
    updates->progress_func (text, fraction, updates->user_data);
  else if (updates->text_func != NULL)
    updates->text_func (text, n_tokens, updates->user_data);
  return G_SOURCE_REMOVE;
}

/* Called on the worker: keeps @text as the latest and makes sure an idle will show it. */
static void
updates_post (Updates    *updates,
              const char *text,
              double      fraction,
              guint       n_tokens)
{
  gboolean schedule;

  g_mutex_lock (&updates->lock);
  g_free (updates->text);
  updates->text = g_strdup (text);
  updates->fraction = fraction;
  updates->n_tokens = n_tokens;
  schedule = !updates->idle_pending;
  updates->idle_pending = TRUE;
  g_mutex_unlock (&updates->lock);

  if (schedule)
    g_main_context_invoke_full (updates->context, G_PRIORITY_DEFAULT, updates_dispatch,
                                updates_ref (updates), (GDestroyNotify) updates_unref);
}

/* Called on the main thread when the job's result arrives: an update still queued is stale
 * (the result carries everything). */
static void
updates_finish (Updates *updates)
{
  g_mutex_lock (&updates->lock);
  updates->done = TRUE;
  g_mutex_unlock (&updates->lock);
}

/* ------------------------------------------------------------------------------------------ */
/* Loading                                                                                    */

typedef struct
{
  char      *key;     /* path, size, mtime and device selector */
  ScModel   *model;
  char      *sha256;
  char      *device;
  char      *note;
} CachedModel;

/* Guards cache; held only briefly (never during a load, which may take minutes). */
static GMutex cache_lock;
static CachedModel *cache;

static void
cached_model_free (CachedModel *cached)
{
  g_free (cached->key);
  g_clear_pointer (&cached->model, sc_model_unref);
  g_free (cached->sha256);
  g_free (cached->device);
  g_free (cached->note);
  g_free (cached);
}

typedef struct
{
  char     *path;
  char     *embedder_path;  /* "" for none */
  char     *selector;
  gboolean  from_environment;
  Updates  *updates;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->path);
  g_free (data->embedder_path);
  g_free (data->selector);
  g_clear_pointer (&data->updates, updates_unref);
  g_free (data);
}

/* What identifies a loaded model: the same file unchanged, on the same device choice. */
static char *
cache_key (const char *path,
           const char *selector)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return NULL;
  return g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT "\n%s", path,
                          (gint64) st.st_size, (gint64) st.st_mtime, selector);
}

/* The backend for @selector; as the findings model's loader, a device the preferences name
 * that is gone gives way to the automatic choice with a sentence in @note. */
static ScBackend *
new_backend (const char  *selector,
             gboolean     from_environment,
             char       **note,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *ignored = NULL;
  ScBackend *backend;

  backend = sc_backend_new (selector, note, &local_error);
  if (backend != NULL || from_environment || g_ascii_strcasecmp (selector, "auto") == 0)
    {
      if (backend == NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return backend;
    }

  g_clear_pointer (note, g_free);
  backend = sc_backend_new ("auto", &ignored, error);
  if (backend != NULL)
    *note = g_strdup_printf (_("The compute device chosen in the preferences, “%s”, cannot "
                               "be used (%s); the model runs on the device chosen "
                               "automatically instead."),
                             selector, local_error->message);
  return backend;
}

static guint
choose_n_ctx (const ScModelInfo *info)
{
  return info->n_ctx_train > 0 ? MIN (info->n_ctx_train, MAX_N_CTX) : MAX_N_CTX;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(SichtungAssistantModel) self = NULL;
  g_autoptr(ScModelInfo) info = NULL;
  g_autoptr(ScBackend) backend = NULL;
  g_autoptr(ScModel) model = NULL;
  g_autofree char *key = NULL;
  g_autofree char *name = g_filename_display_basename (data->path);
  g_autofree char *sha256 = NULL;
  g_autofree char *device = NULL;
  g_autofree char *note = NULL;
  GError *error = NULL;
  guint n_ctx;

  updates_post (data->updates, _("Reading the model’s description…"), 0.05, 0);
  info = sc_model_info_new_from_file (data->path, &error);
  if (info == NULL)
    {
      /* Translators: %s is a file name, then why it could not be read. */
      g_prefix_error (&error, _("The model “%s” could not be read: "), name);
      g_task_return_error (task, error);
      return;
    }
  g_free (name);
  name = g_strdup (info->name);

  if (!info->supported)
    {
      /* Translators: the first %s is the model's name, the second says why. */
      g_task_return_new_error (task, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                               _("“%s” cannot be used as an assistant: %s"), name,
                               info->unsupported != NULL ? info->unsupported : "");
      return;
    }
  n_ctx = choose_n_ctx (info);

  key = cache_key (data->path, data->selector);
  g_mutex_lock (&cache_lock);
  if (key != NULL && cache != NULL && g_str_equal (cache->key, key))
    {
      model = sc_model_ref (cache->model);
      sha256 = g_strdup (cache->sha256);
      device = g_strdup (cache->device);
      note = g_strdup (cache->note);
    }
  g_mutex_unlock (&cache_lock);

  if (model == NULL)
    {
      if (g_task_return_error_if_cancelled (task))
        return;

      updates_post (data->updates, _("Checking the memory…"), 0.1, 0);
      backend = new_backend (data->selector, data->from_environment, &note, &error);
      if (backend == NULL || !sc_model_info_check_memory (info, n_ctx, backend, &error))
        {
          /* Translators: %s is the model's name, then why it cannot be loaded. */
          g_prefix_error (&error, _("“%s” cannot be loaded: "), name);
          g_task_return_error (task, error);
          return;
        }
      device = g_strdup (sc_backend_get_device_description (backend));
      if (g_task_return_error_if_cancelled (task))
        return;

      updates_post (data->updates, _("Loading the model…"), 0.2, 0);
      model = sc_model_load (data->path, backend, &error);
      if (model == NULL)
        {
          g_prefix_error (&error, _("“%s” cannot be loaded: "), name);
          g_task_return_error (task, error);
          return;
        }
      if (g_task_return_error_if_cancelled (task))
        return;

      /* The audit log names the exact file every answer came from. */
      updates_post (data->updates, _("Computing the model’s checksum…"), 0.6, 0);
      sha256 = sc_model_info_compute_sha256 (data->path, cancellable, &error);
      if (sha256 == NULL)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_prefix_error (&error, _("The model “%s” could not be read: "), name);
          g_task_return_error (task, error);
          return;
        }

      if (key != NULL)
        {
          CachedModel *cached = g_new0 (CachedModel, 1);

          cached->key = g_strdup (key);
          cached->model = sc_model_ref (model);
          cached->sha256 = g_strdup (sha256);
          cached->device = g_strdup (device);
          cached->note = g_strdup (note);
          g_mutex_lock (&cache_lock);
          g_clear_pointer (&cache, cached_model_free);
          cache = cached;
          g_mutex_unlock (&cache_lock);
        }
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  updates_post (data->updates, _("Preparing the assistant…"), 0.9, 0);
  self = g_object_new (SICHTUNG_TYPE_ASSISTANT_MODEL, NULL);
  self->assistant = sc_assistant_new (model, n_ctx, &error);
  if (self->assistant == NULL)
    {
      g_prefix_error (&error, _("“%s” cannot be used as an assistant: "), name);
      g_task_return_error (task, error);
      return;
    }
  /* The embedding model is optional: when it cannot be used, questions are matched by their
   * words and a note says why. */
  if (data->embedder_path[0] != '\0')
    {
      g_autoptr(GError) embedder_error = NULL;
      g_autoptr(ScEncoder) encoder = NULL;
      g_autofree char *embedder_name = g_filename_display_basename (data->embedder_path);

      updates_post (data->updates, _("Loading the embedding model…"), 0.95, 0);
      encoder = sc_encoder_load (data->embedder_path, sc_model_get_backend (model),
                                 &embedder_error);
      if (encoder != NULL &&
          sc_assistant_set_embedder (self->assistant, encoder, &embedder_error))
        {
          ScGguf *gguf = sc_encoder_get_gguf (encoder);
          const char *general_name = sc_gguf_has_key (gguf, "general.name")
                                       ? sc_gguf_get_string (gguf, "general.name", NULL)
                                       : NULL;
          self->embedder_name = g_strdup (general_name != NULL && *general_name != '\0'
                                            ? general_name
                                            : embedder_name);
        }
      else
        {
          /* Translators: the first %s is a file name, the second why it cannot be used. */
          g_autofree char *sentence = g_strdup_printf (_("The embedding model “%s” cannot be "
                                                         "used (%s); passages are found by "
                                                         "their words alone."),
                                                       embedder_name, embedder_error->message);
          char *joined = note != NULL ? g_strconcat (note, "\n", sentence, NULL)
                                      : g_strdup (sentence);
          g_free (note);
          note = joined;
        }
    }

  self->info = g_steal_pointer (&info);
  self->sha256 = g_steal_pointer (&sha256);
  self->device = g_steal_pointer (&device);
  self->note = g_steal_pointer (&note);
  self->n_ctx = sc_assistant_get_n_ctx (self->assistant);
  g_task_return_pointer (task, g_steal_pointer (&self), g_object_unref);
}

void
sichtung_assistant_model_load_async (const char                    *path,
                                     SichtungAssistantProgressFunc  progress_func,
                                     gpointer                       progress_data,
                                     GCancellable                  *cancellable,
                                     GAsyncReadyCallback            callback,
                                     gpointer                       user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSettings) settings = NULL;
  LoadData *data;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sichtung_assistant_model_load_async);
  g_task_set_name (task, "sichtung_assistant_model_load_async");
  data = g_new0 (LoadData, 1);
  data->path = g_strdup (path);
  settings = g_settings_new (APP_ID);
  data->embedder_path = g_settings_get_string (settings, "assistant-embedding-model");
  /* Read here: the choice in effect when the model was asked for. */
  data->selector = sichtung_model_loader_dup_selector (&data->from_environment);
  data->updates = updates_new (cancellable);
  data->updates->progress_func = progress_func;
  data->updates->user_data = progress_data;
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

SichtungAssistantModel *
sichtung_assistant_model_load_finish (GAsyncResult  *result,
                                      GError       **error)
{
  LoadData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_task_get_task_data (G_TASK (result));
  updates_finish (data->updates);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* Answers                                                                                    */

void
sichtung_assistant_source_clear (SichtungAssistantSource *source)
{
  g_clear_object (&source->document);
  g_clear_pointer (&source->title, g_free);
}

typedef struct
{
  SichtungAssistantModel *model;
  ScAssistTask            task;
  char                   *question;
  GArray                 *sources;
  ScStore                *store;
  gint64                  case_id;
  gint64                  document_id;
  Updates                *updates;
  char                   *record_error;  /* set by the thread */
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->model);
  g_free (data->question);
  g_clear_pointer (&data->sources, g_array_unref);
  g_clear_object (&data->store);
  g_clear_pointer (&data->updates, updates_unref);
  g_free (data->record_error);
  g_free (data);
}

static void
run_text_cb (const char *text,
             guint       n_tokens,
             gpointer    user_data)
{
  RunData *data = user_data;

  updates_post (data->updates, text, 0, n_tokens);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *data = task_data;
  g_autoptr(GPtrArray) documents = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree const char **titles = g_new0 (const char *, data->sources->len + 1);
  g_autoptr(ScAnswer) answer = NULL;
  g_autofree char *details = NULL;
  ScAssistRequest request = { 0 };
  GError *error = NULL;

  /* The case's other documents come from the store, as the panes read them. */
  for (guint i = 0; i < data->sources->len; i++)
    {
      SichtungAssistantSource *source = &g_array_index (data->sources,
                                                        SichtungAssistantSource, i);
      ScDocument *document = source->document != NULL ? g_object_ref (source->document) : NULL;

      if (document == NULL && data->store != NULL && source->id > 0)
        {
          g_autoptr(GBytes) content = NULL;

          content = sc_store_get_document_content (data->store, source->id, &error);
          if (content != NULL)
            document = sc_document_new_from_bytes (content, source->title, NULL, &error);
          if (document == NULL)
            {
              g_task_return_error (task, error);
              return;
            }
        }
      if (document == NULL)
        continue;
      g_ptr_array_add (documents, document);
      titles[documents->len - 1] = source->title;
      if (g_task_return_error_if_cancelled (task))
        return;
    }

  request.task = data->task;
  request.question = data->question;
  request.documents = (ScDocument **) documents->pdata;
  request.titles = titles;
  request.n_documents = documents->len;
  answer = sc_assistant_run (data->model->assistant, &request, run_text_cb, data, cancellable,
                             &error);
  if (answer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Every answer, a stopped one too, goes to the audit log with the model it came from. */
  if (data->store != NULL)
    {
      details = sc_answer_to_json (answer, FALSE);
      if (!sc_store_record_answer (data->store, data->case_id, data->document_id, details,
                                   data->model->info->name, data->model->sha256, &error))
        {
          data->record_error = g_strdup (error->message);
          g_clear_error (&error);
        }
    }

  g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) sc_answer_unref);
}

void
sichtung_assistant_model_run_async (SichtungAssistantModel    *self,
                                    ScAssistTask               task_kind,
                                    const char                *question,
                                    GArray                    *sources,
                                    ScStore                   *store,
                                    gint64                     case_id,
                                    gint64                     document_id,
                                    SichtungAssistantTextFunc  text_func,
                                    gpointer                   text_data,
                                    GCancellable              *cancellable,
                                    GAsyncReadyCallback        callback,
                                    gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (SICHTUNG_IS_ASSISTANT_MODEL (self));
  g_return_if_fail (sources != NULL);
  g_return_if_fail (store == NULL || SC_IS_STORE (store));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sichtung_assistant_model_run_async);
  g_task_set_name (task, "sichtung_assistant_model_run_async");
  /* Stop is no failure: the answer so far comes back (the thread reports a cancellation
   * before the generation itself). */
  g_task_set_check_cancellable (task, FALSE);
  data = g_new0 (RunData, 1);
  data->model = g_object_ref (self);
  data->task = task_kind;
  data->question = g_strdup (question);
  data->sources = g_array_ref (sources);
  data->store = store != NULL ? g_object_ref (store) : NULL;
  data->case_id = case_id;
  data->document_id = document_id;
  data->updates = updates_new (cancellable);
  data->updates->text_func = text_func;
  data->updates->user_data = text_data;
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_thread);
}

ScAnswer *
sichtung_assistant_model_run_finish (SichtungAssistantModel  *self,
                                     GAsyncResult            *result,
                                     char                   **record_error,
                                     GError                 **error)
{
  RunData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_task_get_task_data (G_TASK (result));
  updates_finish (data->updates);
  if (record_error != NULL)
    *record_error = g_strdup (data->record_error);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* Attribution                                                                                */

typedef struct
{
  SichtungAssistantModel *model;
  ScAnswer               *answer;
  Updates                *updates;
} AttributeData;

static void
attribute_data_free (AttributeData *data)
{
  g_clear_object (&data->model);
  g_clear_pointer (&data->answer, sc_answer_unref);
  g_clear_pointer (&data->updates, updates_unref);
  g_free (data);
}

static void
attribute_progress_cb (guint    done,
                       guint    total,
                       gpointer user_data)
{
  AttributeData *data = user_data;
  g_autofree char *phase = NULL;

  /* Translators: progress of the explanation: “Leaving out passage 2 of 6…”. */
  phase = g_strdup_printf (_("Leaving out passage %u of %u…"), MIN (done + 1, total), total);
  updates_post (data->updates, phase, total > 0 ? (double) done / total : 0, 0);
}

static void
attribute_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  AttributeData *data = task_data;
  GError *error = NULL;

  if (!sc_assistant_attribute (data->model->assistant, data->answer, attribute_progress_cb, data,
                               cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
sichtung_assistant_model_attribute_async (SichtungAssistantModel        *self,
                                          ScAnswer                      *answer,
                                          SichtungAssistantProgressFunc  progress_func,
                                          gpointer                       progress_data,
                                          GCancellable                  *cancellable,
                                          GAsyncReadyCallback            callback,
                                          gpointer                       user_data)
{
  g_autoptr(GTask) task = NULL;
  AttributeData *data;

  g_return_if_fail (SICHTUNG_IS_ASSISTANT_MODEL (self));
  g_return_if_fail (answer != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sichtung_assistant_model_attribute_async);
  g_task_set_name (task, "sichtung_assistant_model_attribute_async");
  data = g_new0 (AttributeData, 1);
  data->model = g_object_ref (self);
  data->answer = sc_answer_ref (answer);
  data->updates = updates_new (cancellable);
  data->updates->progress_func = progress_func;
  data->updates->user_data = progress_data;
  g_task_set_task_data (task, data, (GDestroyNotify) attribute_data_free);
  g_task_run_in_thread (task, attribute_thread);
}

gboolean
sichtung_assistant_model_attribute_finish (SichtungAssistantModel  *self,
                                           GAsyncResult            *result,
                                           GError                 **error)
{
  AttributeData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  updates_finish (data->updates);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
sichtung_assistant_model_finalize (GObject *object)
{
  SichtungAssistantModel *self = SICHTUNG_ASSISTANT_MODEL (object);

  g_clear_pointer (&self->assistant, sc_assistant_free);
  g_clear_pointer (&self->info, sc_model_info_free);
  g_free (self->sha256);
  g_free (self->device);
  g_free (self->note);
  g_free (self->embedder_name);

  G_OBJECT_CLASS (sichtung_assistant_model_parent_class)->finalize (object);
}

static void
sichtung_assistant_model_class_init (SichtungAssistantModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sichtung_assistant_model_finalize;
}

static void
sichtung_assistant_model_init (SichtungAssistantModel *self)
{
}

const ScModelInfo *
sichtung_assistant_model_get_info (SichtungAssistantModel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ASSISTANT_MODEL (self), NULL);

  return self->info;
}

ScAssistant *
sichtung_assistant_model_get_assistant (SichtungAssistantModel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ASSISTANT_MODEL (self), NULL);

  return self->assistant;
}

const char *
sichtung_assistant_model_get_sha256 (SichtungAssistantModel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ASSISTANT_MODEL (self), NULL);

  return self->sha256;
}

const char *
sichtung_assistant_model_get_device (SichtungAssistantModel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ASSISTANT_MODEL (self), NULL);

  return self->device;
}

const char *
sichtung_assistant_model_get_note (SichtungAssistantModel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ASSISTANT_MODEL (self), NULL);

  return self->note;
}

const char *
sichtung_assistant_model_get_embedder_name (SichtungAssistantModel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ASSISTANT_MODEL (self), NULL);

  return self->embedder_name;
}

guint
sichtung_assistant_model_get_n_ctx (SichtungAssistantModel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ASSISTANT_MODEL (self), 0);

  return self->n_ctx;
}
