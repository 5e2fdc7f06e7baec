/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-model-loader.c: loads the default findings model once per process.
 *
 * Loading maps the GGUF file and, on Vulkan, uploads the weights and builds pipelines: slow,
 * so it runs on a GTask thread. The first successful load is kept for the life of the process
 * (an ScNer may be used from several threads at once); a failed one is tried again next time.
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

/* Guards the cache; held for a whole load, so a second pane waits for the first load. */
static GMutex cache_lock;
static LoadResult *cache;

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->ner, sc_ner_unref);
  g_free (result->device);
  g_free (result->note);
  g_free (result->sha256);
  g_free (result);
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

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&cache_lock);
  g_autofree char *path = NULL;
  g_autofree char *fallback = NULL;
  g_autoptr(ScBackend) backend = NULL;
  g_autoptr(GError) error = NULL;
  LoadResult *result;

  if (cache != NULL)
    {
      g_task_return_pointer (task, load_result_copy (cache), (GDestroyNotify) load_result_free);
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

  backend = sc_backend_new (NULL, &fallback, &error);
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
  result->note = g_steal_pointer (&fallback);
  cache = load_result_copy (result);
  g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
}

void
sichtung_model_loader_load_async (GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sichtung_model_loader_load_async);
  g_task_set_name (task, "sichtung_model_loader_load_async");
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
