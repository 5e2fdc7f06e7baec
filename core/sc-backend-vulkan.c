/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-backend-vulkan.c: the Vulkan backend. Weights and persistent tensors live in device-local
 * buffers (a weight larger than one storage-buffer binding is split by rows over several);
 * intermediates share one arena buffer laid out by sc_graph_plan(). compute() records the whole
 * graph into one command buffer (sc-vulkan-ops.c), submits it once and waits. add_f32 is the
 * older host-array path: it uploads, dispatches and copies back per call. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <inttypes.h>

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-backend.h"
#include "sc-error.h"
#include "sc-vulkan-private.h"

/* The default workgroup size of the element-wise shaders (specialisation constant 0). */
#define ELEMENTWISE_LOCAL_SIZE 256u
/* Upper bound for one chunk of element-wise work: 16 MiB per float buffer. */
#define MAX_CHUNK_ELEMENTS ((gsize) 4 * 1024 * 1024)

enum
{
  SCRATCH_A,
  SCRATCH_B,
  SCRATCH_OUT,
  N_SCRATCH
};

struct _ScBackendVulkan
{
  ScBackend    parent_instance;

  GMutex       lock;      /* guards everything below: a context is single-threaded */
  ScVkContext *context;
  char        *description;
  ScVkBuffer  *scratch[N_SCRATCH];  /* reused between calls, grown on demand */
  ScVkBuffer  *arena;               /* intermediates of the last graph, grown on demand */
};

/* The arena grows in steps of this much, so slowly growing graphs do not reallocate often. */
#define ARENA_GRANULE ((gsize) 1 << 20)

G_DEFINE_FINAL_TYPE (ScBackendVulkan, sc_backend_vulkan, SC_TYPE_BACKEND)

static const char *
sc_backend_vulkan_get_name (ScBackend *backend)
{
  return "vulkan";
}

static const char *
sc_backend_vulkan_get_device_description (ScBackend *backend)
{
  return SC_BACKEND_VULKAN (backend)->description;
}

/* Makes each scratch buffer hold at least @size bytes. Called with the lock held. */
static gboolean
ensure_scratch (ScBackendVulkan *self,
                gsize            size,
                GError         **error)
{
  for (guint i = 0; i < N_SCRATCH; i++)
    {
      if (self->scratch[i] != NULL && sc_vk_buffer_get_size (self->scratch[i]) >= size)
        continue;
      g_clear_pointer (&self->scratch[i], sc_vk_buffer_free);
      self->scratch[i] = sc_vk_buffer_new (self->context, size, error);
      if (self->scratch[i] == NULL)
        return FALSE;
    }
  return TRUE;
}

/* The most elements one element-wise dispatch over float32 buffers may cover on this device. */
static gsize
elementwise_chunk_limit (ScVkContext          *context,
                         const ScVkDeviceInfo *info,
                         guint32               local_size)
{
  gsize limit = MAX_CHUNK_ELEMENTS;

  limit = MIN (limit, _sc_vk_context_get_limits (context)->max_binding_range / sizeof (float));
  if (info->max_memory_allocation_size != 0)
    limit = MIN (limit, info->max_memory_allocation_size / sizeof (float));
  limit = MIN (limit, (guint64) info->max_workgroup_count_x * local_size);
  /* The element count travels as a 32-bit push constant. */
  limit = MIN (limit, (gsize) G_MAXUINT32);
  return MAX (limit, 1);
}

static gboolean
sc_backend_vulkan_add_f32 (ScBackend   *backend,
                           const float *a,
                           const float *b,
                           float       *out,
                           gsize        n,
                           GError     **error)
{
  ScBackendVulkan *self = SC_BACKEND_VULKAN (backend);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  const ScVkDeviceInfo *info = sc_vk_context_get_device_info (self->context);
  guint32 local_size = MIN (ELEMENTWISE_LOCAL_SIZE, MAX (info->max_workgroup_size_x, 1));
  gsize chunk = MIN (n, elementwise_chunk_limit (self->context, info, local_size));
  float *data_a, *data_b, *data_out;

  if (!ensure_scratch (self, chunk * sizeof (float), error))
    return FALSE;
  data_a = sc_vk_buffer_get_data (self->scratch[SCRATCH_A]);
  data_b = sc_vk_buffer_get_data (self->scratch[SCRATCH_B]);
  data_out = sc_vk_buffer_get_data (self->scratch[SCRATCH_OUT]);

  for (gsize done = 0; done < n; done += chunk)
    {
      gsize count = MIN (chunk, n - done);
      ScVkElementwisePush push = { .n = (guint32) count };
      guint32 spec[] = { [SC_VK_SPEC_LOCAL_SIZE_X] = local_size };

      memcpy (data_a, a + done, count * sizeof (float));
      memcpy (data_b, b + done, count * sizeof (float));
      if (!sc_vk_context_dispatch (self->context, SC_VK_SHADER_ADD, spec, G_N_ELEMENTS (spec),
                                   self->scratch, N_SCRATCH, &push, sizeof push,
                                   (guint32) ((count + local_size - 1) / local_size), 1, 1,
                                   error))
        return FALSE;
      /* @out may alias @a or @b: they were copied above, before it is written. */
      memcpy (out + done, data_out, count * sizeof (float));
    }
  return TRUE;
}

/* ================================================================ tensors */

static void
storage_free (ScVkStorage *storage)
{
  if (storage == NULL)
    return;
  for (guint i = 0; i < storage->n_chunks; i++)
    sc_vk_buffer_free (storage->chunks[i].buffer);
  g_free (storage);
}

/* Device memory for @t; only weights may be split over several buffers. */
static gboolean
create_storage (ScBackendVulkan *self,
                ScTensor        *t,
                GError         **error)
{
  const ScVkLimits *limits = _sc_vk_context_get_limits (self->context);
  const guint64 limit = MIN (limits->max_binding_range, limits->max_buffer_size);
  const gint64 n_rows = sc_tensor_n_rows (t);
  gsize row_bytes = 0;
  gint64 rows_per_chunk;
  guint n_chunks;
  ScVkStorage *storage;

  if (!sc_tensor_row_size (t->type, t->ne[0], &row_bytes, error))
    return FALSE;
  rows_per_chunk = t->n_bytes <= limit ? n_rows : (gint64) (limit / row_bytes);
  if (rows_per_chunk == 0 || (rows_per_chunk < n_rows && t->kind != SC_TENSOR_WEIGHT))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   _("The tensor “%s” (%zu bytes) exceeds what one storage "
                     "buffer of the Vulkan device holds (%" PRIu64 " bytes)"),
                   t->name, t->n_bytes, (guint64) limit);
      return FALSE;
    }
  n_chunks = (guint) ((n_rows + rows_per_chunk - 1) / rows_per_chunk);
  storage = g_malloc0 (sizeof (ScVkStorage) + n_chunks * sizeof (ScVkChunk));
  storage->context = self->context;
  storage->n_chunks = n_chunks;
  t->backend_priv = storage;
  for (guint i = 0; i < n_chunks; i++)
    {
      ScVkChunk *chunk = &storage->chunks[i];

      chunk->row_begin = i * rows_per_chunk;
      chunk->n_rows = MIN (rows_per_chunk, n_rows - chunk->row_begin);
      chunk->buffer = _sc_vk_buffer_new_device (self->context, chunk->n_rows * row_bytes, error);
      if (chunk->buffer == NULL)
        return FALSE;
    }
  t->buffer = storage->chunks[0].buffer;
  t->offset = 0;
  if (n_chunks > 1)
    g_debug ("%s: %u buffers of up to %" G_GINT64_FORMAT " rows", t->name, n_chunks,
             rows_per_chunk);
  return TRUE;
}

static void
tensor_destroy (ScTensor *t)
{
  storage_free (t->backend_priv);
  g_free (t);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScTensor, tensor_destroy)

static ScTensor *
tensor_alloc (ScTensorType  type,
              const gint64 *ne,
              ScTensorKind  kind,
              const char   *name,
              GError      **error)
{
  g_autoptr(ScTensor) t = g_new0 (ScTensor, 1);
  gsize row_bytes = 0;

  if (!sc_tensor_row_size (type, ne[0], &row_bytes, error))
    return NULL;
  t->type = type;
  memcpy (t->ne, ne, sizeof t->ne);
  t->kind = kind;
  t->last_use = -1;
  t->n_bytes = row_bytes * (gsize) (ne[1] * ne[2] * ne[3]);
  g_strlcpy (t->name, name != NULL ? name : "", sizeof t->name);
  return g_steal_pointer (&t);
}

static ScTensor *
sc_backend_vulkan_tensor_from_gguf (ScBackend          *backend,
                                    const ScGgufTensor *source,
                                    GError            **error)
{
  ScBackendVulkan *self = SC_BACKEND_VULKAN (backend);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(ScTensor) t = NULL;
  const ScVkStorage *storage;
  gsize row_bytes = 0;

  if (!sc_tensor_type_is_supported (source->type))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   _("The tensor “%s” has the type %s, which Sichtung cannot compute with"),
                   source->name, sc_tensor_type_name (source->type));
      return NULL;
    }
  t = tensor_alloc (source->type, source->ne, SC_TENSOR_WEIGHT, source->name, error);
  if (t == NULL)
    return NULL;
  g_assert (t->n_bytes == source->n_bytes);
  if (!create_storage (self, t, error))
    return NULL;
  sc_tensor_row_size (t->type, t->ne[0], &row_bytes, NULL);
  storage = t->backend_priv;
  for (guint i = 0; i < storage->n_chunks; i++)
    {
      const ScVkChunk *chunk = &storage->chunks[i];

      if (!_sc_vk_buffer_write (chunk->buffer, 0,
                                (const guint8 *) source->data + chunk->row_begin * row_bytes,
                                chunk->n_rows * row_bytes, error))
        return NULL;
    }
  return g_steal_pointer (&t);
}

static ScTensor *
sc_backend_vulkan_tensor_new (ScBackend    *backend,
                              ScTensorType  type,
                              const gint64 *ne,
                              const char   *name,
                              GError      **error)
{
  ScBackendVulkan *self = SC_BACKEND_VULKAN (backend);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(ScTensor) t = NULL;
  const ScVkStorage *storage;

  if (!sc_tensor_type_is_supported (type) && type != SC_TENSOR_TYPE_I32)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   _("The Vulkan backend has no tensors of type %s"), sc_tensor_type_name (type));
      return NULL;
    }
  t = tensor_alloc (type, ne, SC_TENSOR_PERSISTENT, name, error);
  if (t == NULL || !create_storage (self, t, error))
    return NULL;
  storage = t->backend_priv;
  if (!_sc_vk_buffer_zero (storage->chunks[0].buffer, error))
    return NULL;
  return g_steal_pointer (&t);
}

static void
sc_backend_vulkan_tensor_free (ScBackend *backend,
                               ScTensor  *tensor)
{
  ScBackendVulkan *self = SC_BACKEND_VULKAN (backend);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  tensor_destroy (tensor);
}

/* Copies @size bytes at @offset of @tensor to or from the host, chunk by chunk. */
static gboolean
tensor_transfer (ScBackendVulkan *self,
                 ScTensor        *tensor,
                 guint8          *host,
                 gsize            offset,
                 gsize            size,
                 gboolean         upload,
                 GError         **error)
{
  gsize view_offset;
  ScTensor *root = sc_tensor_root (tensor, &view_offset);
  const ScVkStorage *storage = root->backend_priv;
  gsize row_bytes = 0;

  offset += view_offset;
  if (root->kind == SC_TENSOR_INTERMEDIATE)
    {
      if (self->arena == NULL || root->buffer != self->arena)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                       _("The tensor “%s” has not been computed on this backend"), tensor->name);
          return FALSE;
        }
      return upload ? _sc_vk_buffer_write (self->arena, root->arena_offset + offset, host, size,
                                           error)
                    : _sc_vk_buffer_read (self->arena, root->arena_offset + offset, host, size,
                                          error);
    }
  if (storage == NULL || storage->context != self->context)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("The tensor “%s” does not belong to this backend"), tensor->name);
      return FALSE;
    }
  sc_tensor_row_size (root->type, root->ne[0], &row_bytes, NULL);
  for (guint i = 0; i < storage->n_chunks && size > 0; i++)
    {
      const ScVkChunk *chunk = &storage->chunks[i];
      gsize begin = chunk->row_begin * row_bytes;
      gsize end = begin + chunk->n_rows * row_bytes;
      gsize count;

      if (offset >= end)
        continue;
      count = MIN (size, end - offset);
      if (!(upload ? _sc_vk_buffer_write (chunk->buffer, offset - begin, host, count, error)
                   : _sc_vk_buffer_read (chunk->buffer, offset - begin, host, count, error)))
        return FALSE;
      host += count;
      offset += count;
      size -= count;
    }
  return TRUE;
}

static gboolean
sc_backend_vulkan_tensor_set (ScBackend  *backend,
                              ScTensor   *tensor,
                              const void *data,
                              gsize       offset,
                              gsize       size,
                              GError    **error)
{
  ScBackendVulkan *self = SC_BACKEND_VULKAN (backend);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return tensor_transfer (self, tensor, (guint8 *) data, offset, size, TRUE, error);
}

static gboolean
sc_backend_vulkan_tensor_get (ScBackend *backend,
                              ScTensor  *tensor,
                              void      *data,
                              gsize      offset,
                              gsize      size,
                              GError   **error)
{
  ScBackendVulkan *self = SC_BACKEND_VULKAN (backend);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return tensor_transfer (self, tensor, data, offset, size, FALSE, error);
}

/* ================================================================ compute */

static void
place_intermediate (ScBackendVulkan *self,
                    ScTensor        *t)
{
  gsize view_offset;
  ScTensor *root;

  if (t == NULL)
    return;
  root = sc_tensor_root (t, &view_offset);
  if (root->kind != SC_TENSOR_INTERMEDIATE)
    return;
  root->buffer = self->arena;
  root->offset = root->arena_offset;
  t->buffer = self->arena;
  t->offset = root->arena_offset + view_offset;
}

static gboolean
sc_backend_vulkan_compute (ScBackend *backend,
                           ScGraph   *graph,
                           GError   **error)
{
  ScBackendVulkan *self = SC_BACKEND_VULKAN (backend);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  const ScVkLimits *limits = _sc_vk_context_get_limits (self->context);
  guint n_ops = sc_graph_get_n_ops (graph);
  gsize alignment = 16;
  gsize arena_size;
  ScVkRecording *recording;

  if (n_ops == 0)
    return TRUE;
  /* Every planned offset can then start a binding. */
  while (alignment < limits->storage_alignment)
    alignment <<= 1;
  arena_size = sc_graph_plan (graph, alignment);
  if (self->arena == NULL || sc_vk_buffer_get_size (self->arena) < arena_size)
    {
      gsize size = (arena_size + ARENA_GRANULE - 1) / ARENA_GRANULE * ARENA_GRANULE;

      g_clear_pointer (&self->arena, sc_vk_buffer_free);
      if (size > limits->max_buffer_size)
        size = arena_size;
      self->arena = _sc_vk_buffer_new_device (self->context, size, error);
      if (self->arena == NULL)
        return FALSE;
    }

  for (guint i = 0; i < n_ops; i++)
    {
      const ScOp *op = sc_graph_get_op (graph, i);

      place_intermediate (self, op->dst);
      for (guint s = 0; s < SC_MAX_SRC; s++)
        place_intermediate (self, op->src[s]);
    }

  recording = _sc_vk_recording_begin (self->context, error);
  if (recording == NULL)
    return FALSE;
  for (guint i = 0; i < n_ops; i++)
    {
      if (!_sc_vk_record_op (recording, self->context, self->arena, sc_graph_get_op (graph, i),
                             error))
        {
          _sc_vk_recording_discard (recording);
          return FALSE;
        }
    }
  return _sc_vk_recording_submit (recording, error);
}

ScVkContext *
sc_backend_vulkan_get_context (struct _ScBackend *backend)
{
  g_return_val_if_fail (SC_IS_BACKEND_VULKAN (backend), NULL);

  return SC_BACKEND_VULKAN (backend)->context;
}

/* ================================================================ object */

static void
sc_backend_vulkan_finalize (GObject *object)
{
  ScBackendVulkan *self = SC_BACKEND_VULKAN (object);

  for (guint i = 0; i < N_SCRATCH; i++)
    g_clear_pointer (&self->scratch[i], sc_vk_buffer_free);
  g_clear_pointer (&self->arena, sc_vk_buffer_free);
  g_clear_pointer (&self->context, sc_vk_context_free);
  g_free (self->description);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (sc_backend_vulkan_parent_class)->finalize (object);
}

static void
sc_backend_vulkan_class_init (ScBackendVulkanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ScBackendClass *backend_class = SC_BACKEND_CLASS (klass);

  object_class->finalize = sc_backend_vulkan_finalize;

  backend_class->get_name = sc_backend_vulkan_get_name;
  backend_class->get_device_description = sc_backend_vulkan_get_device_description;
  backend_class->add_f32 = sc_backend_vulkan_add_f32;
  backend_class->tensor_from_gguf = sc_backend_vulkan_tensor_from_gguf;
  backend_class->tensor_new = sc_backend_vulkan_tensor_new;
  backend_class->tensor_free = sc_backend_vulkan_tensor_free;
  backend_class->tensor_set = sc_backend_vulkan_tensor_set;
  backend_class->tensor_get = sc_backend_vulkan_tensor_get;
  backend_class->compute = sc_backend_vulkan_compute;
}

static void
sc_backend_vulkan_init (ScBackendVulkan *self)
{
  g_mutex_init (&self->lock);
}

ScBackend *
sc_backend_vulkan_new (const char  *selector,
                       GError     **error)
{
  g_autoptr(ScVkContext) context = NULL;
  const ScVkDeviceInfo *info;
  ScBackendVulkan *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  context = sc_vk_context_new (selector, error);
  if (context == NULL)
    return NULL;

  info = sc_vk_context_get_device_info (context);
  self = g_object_new (SC_TYPE_BACKEND_VULKAN, NULL);
  self->context = g_steal_pointer (&context);
  if (info->driver_info[0] != '\0')
    self->description = g_strdup_printf ("%s, %s", info->name, info->driver_info);
  else
    self->description = g_strdup (info->name);
  return SC_BACKEND (self);
}
