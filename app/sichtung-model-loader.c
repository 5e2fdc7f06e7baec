/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-model-loader.c: loads the default findings model once per compute device.
 *
 * Loading maps the GGUF file and, on Vulkan, uploads the weights and builds pipelines: slow,
 * so it runs on a GTask thread. The device comes from $SICHTUNG_DEVICE, else the
 * "vulkan-device" setting; the last successful load is kept, keyed by that selector, for as
 * long as the selector stays the same (an ScNer may be used from several threads at once, and
 * analyses still running keep theirs when the choice changes); a failed one is tried again
 * next time.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <glib/gi18n.h>

#include "sichtung-model-loader.h"

typedef struct
{
  ScNer *ner;
  char  *device;
  char  *note;
  char  *sha256;  /* of the model file, lower-case hex */
} LoadResult;

/* What one load asks for, read when it is asked for. */
typedef struct
{
  char     *selector;          /* "auto", "cpu", a device index or (part of) a name */
  gboolean  from_environment;  /* $SICHTUNG_DEVICE, not the setting */
} LoadRequest;

/* Held for a whole load, so a second pane waits for the first load rather than loading the
 * model twice. */
static GMutex load_lock;
/* Guards cache and cache_selector, only briefly: the preferences read them on the main
 * thread while a load may be running. */
static GMutex cache_lock;
static LoadResult *cache;
static char *cache_selector;  /* the selector the cached model was loaded for */

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->ner, sc_ner_unref);
  g_free (result->device);
  g_free (result->note);
  g_free (result->sha256);
  g_free (result);
}

static void
load_request_free (LoadRequest *request)
{
  g_free (request->selector);
  g_free (request);
}

static LoadResult *
load_result_copy (const LoadResult *result)
{
  LoadResult *copy = g_new0 (LoadResult, 1);

  copy->ner = result->ner != NULL ? sc_ner_ref (result->ner) : NULL;
  copy->device = g_strdup (result->device);
  copy->note = g_strdup (result->note);
  copy->sha256 = g_strdup (result->sha256);
  return copy;
}

/* The SHA-256 of the file at @path, read in blocks: the case store records which model
 * found a finding by this hash, so it is computed once, here, with the model loaded. */
static char *
file_sha256 (const char    *path,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guchar *buffer = g_malloc (1 << 20);
  gssize n;

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;
  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, 1 << 20, cancellable,
                                   error)) > 0)
    g_checksum_update (checksum, buffer, n);
  if (n < 0)
    return NULL;

  return g_strdup (g_checksum_get_string (checksum));
}

/* The backend for @selector. A device the preferences name that is gone or fails gives way
 * to the automatic choice, with a sentence in @note saying so; one $SICHTUNG_DEVICE names
 * does not (a developer asked for it), as sc_backend_new() has it. */
static ScBackend *
new_backend (const char  *selector,
             gboolean     from_environment,
             char       **note,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *fallback = NULL;
  ScBackend *backend;

  g_assert (selector != NULL);

  backend = sc_backend_new (selector, note, &local_error);
  if (backend != NULL || from_environment || g_ascii_strcasecmp (selector, "auto") == 0)
    {
      if (backend == NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return backend;
    }

  g_debug ("The device “%s” cannot be used: %s", selector, local_error->message);
  backend = sc_backend_new ("auto", &fallback, error);
  if (backend != NULL)
    *note = g_strdup_printf (_("The compute device chosen in the preferences, “%s”, cannot "
                               "be used (%s); the model runs on the device chosen "
                               "automatically instead."),
                             selector, local_error->message);
  return backend;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(GMutexLocker) load_locker = g_mutex_locker_new (&load_lock);
  LoadRequest *request = task_data;
  const char *selector = request->selector;
  g_autofree char *path = NULL;
  g_autoptr(ScBackend) backend = NULL;
  g_autoptr(GError) error = NULL;
  LoadResult *result = NULL;

  g_mutex_lock (&cache_lock);
  if (cache != NULL && g_strcmp0 (cache_selector, selector) == 0)
    result = load_result_copy (cache);
  g_mutex_unlock (&cache_lock);
  if (result != NULL)
    {
      g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  result = g_new0 (LoadResult, 1);
  path = sc_ner_find_default_model ();
  if (path == NULL)
    {
      result->note = g_strdup (_("No findings model is installed: only the rules and name "
                                 "lists looked for findings. Names in unusual places may "
                                 "be missing."));
      g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
      return;
    }

  backend = new_backend (selector, request->from_environment, &result->note, &error);
  if (backend != NULL)
    result->ner = sc_ner_load (path, backend, &error);
  if (result->ner != NULL)
    {
      result->sha256 = file_sha256 (path, cancellable, &error);
      if (result->sha256 == NULL)
        g_clear_pointer (&result->ner, sc_ner_unref);
    }
  if (result->ner == NULL)
    {
      load_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result->device = g_strdup (sc_backend_get_device_description (backend));

  /* The model for the previous selector goes: analyses still using it hold references. */
  g_mutex_lock (&cache_lock);
  g_clear_pointer (&cache, load_result_free);
  g_free (cache_selector);
  cache = load_result_copy (result);
  cache_selector = g_strdup (selector);
  g_mutex_unlock (&cache_lock);

  g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
}

char *
sichtung_model_loader_dup_selector (gboolean *from_environment)
{
  const char *env = g_getenv ("SICHTUNG_DEVICE");
  GSettingsSchemaSource *source;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *selector = NULL;

  if (from_environment != NULL)
    *from_environment = env != NULL && *env != '\0';
  if (env != NULL && *env != '\0')
    return g_strdup (env);

  /* Without the schema (a program that links the app but installs nothing) the choice is
   * automatic, as before there was a setting. */
  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "vulkan-device"))
    return g_strdup ("auto");

  settings = g_settings_new_full (schema, NULL, NULL);
  selector = g_strstrip (g_settings_get_string (settings, "vulkan-device"));
  if (selector[0] == '\0')
    return g_strdup ("auto");
  return g_steal_pointer (&selector);
}

gboolean
sichtung_model_loader_get_loaded (char **device,
                                  char **note)
{
  gboolean loaded;

  g_mutex_lock (&cache_lock);
  loaded = cache != NULL;
  if (device != NULL)
    *device = loaded ? g_strdup (cache->device) : NULL;
  if (note != NULL)
    *note = loaded ? g_strdup (cache->note) : NULL;
  g_mutex_unlock (&cache_lock);
  return loaded;
}

void
sichtung_model_loader_load_async (GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadRequest *request;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sichtung_model_loader_load_async);
  g_task_set_name (task, "sichtung_model_loader_load_async");
  /* Read here, not on the thread: the choice in effect when the analysis was asked for. */
  request = g_new0 (LoadRequest, 1);
  request->selector = sichtung_model_loader_dup_selector (&request->from_environment);
  g_task_set_task_data (task, request, (GDestroyNotify) load_request_free);
  g_task_run_in_thread (task, load_thread);
}

ScNer *
sichtung_model_loader_load_finish (GAsyncResult  *result,
                                   char         **device,
                                   char         **note,
                                   char         **sha256,
                                   GError       **error)
{
  LoadResult *loaded;
  ScNer *ner;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  loaded = g_task_propagate_pointer (G_TASK (result), error);
  if (loaded == NULL)
    return NULL;

  ner = g_steal_pointer (&loaded->ner);
  if (device != NULL)
    *device = g_steal_pointer (&loaded->device);
  if (note != NULL)
    *note = g_steal_pointer (&loaded->note);
  if (sha256 != NULL)
    *sha256 = g_steal_pointer (&loaded->sha256);
  load_result_free (loaded);
  return ner;
}
