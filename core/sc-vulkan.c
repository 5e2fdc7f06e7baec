/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-vulkan.c: the Vulkan compute context — device, queue, buffers, pipelines, dispatch (see
 * sc-vulkan.h; instance and device selection are in sc-vulkan-device.c).
 *
 * Everything here is synchronous and deliberately plain: one queue, one command buffer, one
 * fence. A recording (used for a whole graph) collects many dispatches into that command buffer
 * and inserts a barrier only where a dispatch touches what an earlier one wrote, or writes what
 * an earlier one read, since the last barrier (see _sc_vk_recording_dispatch()). Descriptors are
 * pushed (VK_KHR_push_descriptor) or come from pools reset per recording. Device buffers are
 * device-local; where that memory is host-visible (UMA, lavapipe) they are simply mapped,
 * elsewhere uploads and downloads go through a staging buffer. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <vulkan/vulkan.h>

#include "sc-error.h"
#include "sc-vulkan-private.h"

#include "sc-shaders.h"

#define PORTABILITY_SUBSET_EXTENSION "VK_KHR_portability_subset"

/* ================================================================ embedded shaders */

/* The shaders of the public sc_vk_context_dispatch(); graph ops name their variants directly. */
typedef struct
{
  const char *name;        /* variant in sc_shader_blobs */
  guint       n_bindings;  /* storage buffers at bindings 0 … n_bindings - 1 of set 0 */
  guint       push_size;   /* bytes of push constants; 0 for none */
} ShaderDesc;

static const ShaderDesc shader_descs[SC_VK_N_SHADERS] = {
  [SC_VK_SHADER_ADD] = { "add", 3, sizeof (ScVkElementwisePush) },
};

#define DESCRIPTOR_POOL_SETS 256
#define STAGING_SIZE ((gsize) 16 * 1024 * 1024)

/* ================================================================ context */

typedef struct
{
  VkDescriptorSetLayout set_layout;
  VkPipelineLayout      layout;
  VkPipeline            pipeline;
  guint                 n_bindings;
  guint                 push_size;
} Pipeline;

typedef struct
{
  ScVkBuffer *buffer;
  gsize       begin;
  gsize       end;
} Range;

struct _ScVkRecording
{
  ScVkContext *context;
  GArray      *reads;   /* Range: read since the last barrier */
  GArray      *writes;  /* Range: written since the last barrier */
  guint        n_dispatches;
};

struct _ScVkContext
{
  ScVkInstance                     inst;
  gint                             validation_messages;  /* atomic, see debug_messenger_cb */

  ScVkDeviceInfo                  *info;
  VkPhysicalDevice                 physical_device;
  VkPhysicalDeviceProperties       properties;
  VkPhysicalDeviceMemoryProperties memory_properties;

  VkDevice                         device;
  guint32                          queue_family;
  VkQueue                          queue;
  VkCommandPool                    command_pool;
  VkCommandBuffer                  command_buffer;
  VkFence                          fence;
  GArray                          *descriptor_pools;  /* VkDescriptorPool */
  guint                            n_pools_used;      /* in the current recording */
  PFN_vkCmdPushDescriptorSetKHR    push_descriptor_set;
  ScVkLimits                       limits;
  ScVkBuffer                      *staging;           /* host-visible, STAGING_SIZE */
  gboolean                         recording;         /* a recording is open */
  guint64                          n_submissions;
  guint64                          n_dispatches;
  guint64                          n_barriers;

  VkPipelineCache                  pipeline_cache;
  char                            *pipeline_cache_path;
  GHashTable                      *shader_modules;  /* variant name → VkShaderModule */
  GHashTable                      *pipelines;  /* "shader:spec,spec,…" → Pipeline, owned */
  ScVkProfile                     *profile;    /* $SICHTUNG_VULKAN_PROFILE; usually NULL */
};

struct _ScVkBuffer
{
  ScVkContext    *context;
  VkBuffer        buffer;
  VkDeviceMemory  memory;
  gsize           size;
  gpointer        data;  /* mapped for the buffer's lifetime; NULL for unmapped device memory */
};

static void
pipeline_destroy (ScVkContext *context,
                  Pipeline    *pipeline)
{
  vkDestroyPipeline (context->device, pipeline->pipeline, NULL);
  vkDestroyPipelineLayout (context->device, pipeline->layout, NULL);
  vkDestroyDescriptorSetLayout (context->device, pipeline->set_layout, NULL);
  g_free (pipeline);
}

/* ---------------------------------------------------------------- pipeline cache */

static char *
pipeline_cache_path (const VkPhysicalDeviceProperties *props)
{
  g_autoptr(GString) name = g_string_new ("vulkan-pipelines-");

  for (guint i = 0; i < VK_UUID_SIZE; i++)
    g_string_append_printf (name, "%02x", props->pipelineCacheUUID[i]);
  g_string_append (name, ".bin");
  return g_build_filename (g_get_user_cache_dir (), "sichtung", name->str, NULL);
}

/* Whether @data starts with a version-one pipeline cache header for this very device; a
 * driver should reject foreign data itself, but not every driver is that careful. */
static gboolean
pipeline_cache_header_valid (const ScVkContext *context,
                             const guint8      *data,
                             gsize              length)
{
  guint32 header_size, header_version, vendor_id, device_id;

  if (length < 16 + VK_UUID_SIZE)
    return FALSE;
  memcpy (&header_size, data, 4);
  memcpy (&header_version, data + 4, 4);
  memcpy (&vendor_id, data + 8, 4);
  memcpy (&device_id, data + 12, 4);
  header_size = GUINT32_FROM_LE (header_size);
  header_version = GUINT32_FROM_LE (header_version);
  vendor_id = GUINT32_FROM_LE (vendor_id);
  device_id = GUINT32_FROM_LE (device_id);
  return header_size >= 16 + VK_UUID_SIZE && header_size <= length &&
         header_version == VK_PIPELINE_CACHE_HEADER_VERSION_ONE &&
         vendor_id == context->properties.vendorID &&
         device_id == context->properties.deviceID &&
         memcmp (data + 16, context->properties.pipelineCacheUUID, VK_UUID_SIZE) == 0;
}

/* Creates the pipeline cache, seeded from the file when it holds usable data. A missing or
 * foreign file is no error: the cache only saves compile time. */
static gboolean
pipeline_cache_init (ScVkContext *context,
                     GError     **error)
{
  VkPipelineCacheCreateInfo create = { VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO };
  g_autofree char *contents = NULL;
  gsize length = 0;

  context->pipeline_cache_path = pipeline_cache_path (&context->properties);
  if (g_file_get_contents (context->pipeline_cache_path, &contents, &length, NULL) &&
      pipeline_cache_header_valid (context, (const guint8 *) contents, length))
    {
      create.initialDataSize = length;
      create.pInitialData = contents;
      if (vkCreatePipelineCache (context->device, &create, NULL,
                                 &context->pipeline_cache) == VK_SUCCESS)
        return TRUE;
      g_debug ("Ignoring the unusable pipeline cache %s", context->pipeline_cache_path);
      create.initialDataSize = 0;
      create.pInitialData = NULL;
    }
  return SC_VK_TRY (vkCreatePipelineCache,
                    (context->device, &create, NULL, &context->pipeline_cache), error);
}

static void
pipeline_cache_save (ScVkContext *context)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree guint8 *data = NULL;
  size_t size = 0;

  if (context->pipeline_cache == VK_NULL_HANDLE || context->pipeline_cache_path == NULL)
    return;
  if (vkGetPipelineCacheData (context->device, context->pipeline_cache, &size,
                              NULL) != VK_SUCCESS || size == 0)
    return;
  data = g_malloc (size);
  if (vkGetPipelineCacheData (context->device, context->pipeline_cache, &size,
                              data) != VK_SUCCESS)
    return;

  dir = g_path_get_dirname (context->pipeline_cache_path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_debug ("Cannot create %s; the pipeline cache is not saved", dir);
      return;
    }
  if (!g_file_set_contents (context->pipeline_cache_path, (const char *) data, size, &error))
    g_debug ("The pipeline cache is not saved: %s", error->message);
}

/* ---------------------------------------------------------------- creation */

/* Whether $SICHTUNG_VULKAN_DISABLE lists @feature. */
static gboolean
feature_disabled (const char *feature)
{
  const char *value = g_getenv ("SICHTUNG_VULKAN_DISABLE");
  g_auto(GStrv) items = NULL;

  if (value == NULL || *value == '\0')
    return FALSE;
  items = g_strsplit (value, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (g_strstrip (items[i]), feature) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Decides which optional features the context uses and what its limits are. */
static void
init_limits (ScVkContext *context)
{
  const VkPhysicalDeviceLimits *vk = &context->properties.limits;
  ScVkLimits *limits = &context->limits;
  const char *max_buffer = g_getenv ("SICHTUNG_VULKAN_MAX_BUFFER");
  guint64 forced = 0;

  limits->fp16_storage = context->info->storage_buffer_16bit_access &&
                         !feature_disabled ("fp16-storage");
  limits->subgroup_arithmetic = context->info->subgroup_arithmetic &&
                                !feature_disabled ("subgroup");
  limits->push_descriptors = context->info->push_descriptor &&
                             !feature_disabled ("push-descriptor");
  /* Until a device buffer turns out not to be mappable. */
  limits->host_visible = !feature_disabled ("host-visible");
  limits->storage_alignment = MAX (vk->minStorageBufferOffsetAlignment, 4);
  limits->max_binding_range = vk->maxStorageBufferRange;
  limits->max_buffer_size = context->info->max_memory_allocation_size != 0
                              ? context->info->max_memory_allocation_size
                              : vk->maxStorageBufferRange;
  if (max_buffer != NULL &&
      g_ascii_string_to_unsigned (max_buffer, 10, 4096, G_MAXUINT64, &forced, NULL))
    {
      limits->max_binding_range = MIN (limits->max_binding_range, forced);
      g_debug ("Storage buffer bindings limited to %" G_GUINT64_FORMAT " bytes", forced);
    }
  /* Bindings sizes and offsets travel as 32-bit words in push constants. */
  limits->max_binding_range = MIN (limits->max_binding_range, G_MAXUINT32 & ~(guint64) 255);
  memcpy (limits->max_groups, vk->maxComputeWorkGroupCount, sizeof limits->max_groups);
  limits->max_local_size_x = MIN (vk->maxComputeWorkGroupSize[0],
                                  vk->maxComputeWorkGroupInvocations);
}

static gboolean
create_device (ScVkContext *context,
               GError     **error)
{
  g_autoptr(GHashTable) extensions = _sc_vk_device_extensions (context->physical_device);
  VkDeviceQueueCreateInfo queue = { VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO };
  VkDeviceCreateInfo create = { VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO };
  VkPhysicalDevice16BitStorageFeatures storage16 = {
    VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES };
  const char *device_extensions_enabled[2];
  float priority = 1.0f;
  int family = _sc_vk_find_compute_queue_family (context->physical_device);

  g_assert (family >= 0);  /* info->supported says so */
  context->queue_family = (guint32) family;
  queue.queueFamilyIndex = context->queue_family;
  queue.queueCount = 1;
  queue.pQueuePriorities = &priority;
  create.queueCreateInfoCount = 1;
  create.pQueueCreateInfos = &queue;
  create.ppEnabledExtensionNames = device_extensions_enabled;

  /* A portability implementation must have this enabled when it offers it. */
  if (g_hash_table_contains (extensions, PORTABILITY_SUBSET_EXTENSION))
    device_extensions_enabled[create.enabledExtensionCount++] = PORTABILITY_SUBSET_EXTENSION;
  if (context->limits.push_descriptors)
    device_extensions_enabled[create.enabledExtensionCount++] =
      VK_KHR_PUSH_DESCRIPTOR_EXTENSION_NAME;
  if (context->limits.fp16_storage)
    {
      storage16.storageBuffer16BitAccess = VK_TRUE;
      create.pNext = &storage16;
    }

  if (!SC_VK_TRY (vkCreateDevice,
                  (context->physical_device, &create, NULL, &context->device), error))
    {
      context->device = VK_NULL_HANDLE;
      return FALSE;
    }
  vkGetDeviceQueue (context->device, context->queue_family, 0, &context->queue);
  if (context->limits.push_descriptors)
    {
      context->push_descriptor_set = (PFN_vkCmdPushDescriptorSetKHR)
        vkGetDeviceProcAddr (context->device, "vkCmdPushDescriptorSetKHR");
      context->limits.push_descriptors = context->push_descriptor_set != NULL;
    }
  return TRUE;
}

static gboolean
create_submission_objects (ScVkContext *context,
                           GError     **error)
{
  VkCommandPoolCreateInfo pool = { VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO };
  VkCommandBufferAllocateInfo alloc = { VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO };
  VkFenceCreateInfo fence = { VK_STRUCTURE_TYPE_FENCE_CREATE_INFO };

  pool.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  pool.queueFamilyIndex = context->queue_family;
  if (!SC_VK_TRY (vkCreateCommandPool,
                  (context->device, &pool, NULL, &context->command_pool), error))
    return FALSE;

  alloc.commandPool = context->command_pool;
  alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  alloc.commandBufferCount = 1;
  if (!SC_VK_TRY (vkAllocateCommandBuffers,
                  (context->device, &alloc, &context->command_buffer), error))
    return FALSE;

  return SC_VK_TRY (vkCreateFence, (context->device, &fence, NULL, &context->fence), error);
}

ScVkContext *
sc_vk_context_new (const char *selector,
                   GError    **error)
{
  g_autoptr(ScVkContext) context = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GArray) handles = NULL;
  g_autoptr(GError) local_error = NULL;
  guint index = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  selector = sc_vk_resolve_selector (selector);
  if (g_ascii_strcasecmp (selector, "cpu") == 0)
    {
      /* No instance needed to say no; sc_vk_select_device words the message. */
      g_autoptr(GPtrArray) none = g_ptr_array_new ();

      sc_vk_select_device (none, selector, NULL, error);
      return NULL;
    }

  context = g_new0 (ScVkContext, 1);
  context->pipelines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  context->shader_modules = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  context->descriptor_pools = g_array_new (FALSE, FALSE, sizeof (VkDescriptorPool));

  if (!_sc_vk_instance_init (&context->inst, &context->validation_messages, &local_error) ||
      !_sc_vk_instance_enumerate (context->inst.instance, &infos, &handles, &local_error))
    {
      /* "No Vulkan device found; computations run on the CPU" is only true for "auto". */
      if (g_ascii_strcasecmp (selector, "auto") != 0 &&
          g_error_matches (local_error, SC_ERROR, SC_ERROR_NO_DEVICE))
        {
          g_autoptr(GPtrArray) none = g_ptr_array_new ();

          g_debug ("%s", local_error->message);
          sc_vk_select_device (none, selector, NULL, error);
        }
      else
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
        }
      return NULL;
    }
  if (!sc_vk_select_device (infos, selector, &index, error))
    return NULL;

  context->info = sc_vk_device_info_copy (g_ptr_array_index (infos, index));
  context->physical_device = g_array_index (handles, VkPhysicalDevice, index);
  vkGetPhysicalDeviceProperties (context->physical_device, &context->properties);
  vkGetPhysicalDeviceMemoryProperties (context->physical_device, &context->memory_properties);
  g_debug ("Using Vulkan device %u: %s (%s)", index, context->info->name,
           context->info->driver_info);

  init_limits (context);
  if (!create_device (context, error) ||
      !create_submission_objects (context, error) ||
      !pipeline_cache_init (context, error))
    return NULL;
  context->profile = _sc_vk_profile_new (context->device, context->physical_device,
                                         &context->properties, context->queue_family);

  return g_steal_pointer (&context);
}

void
sc_vk_context_free (ScVkContext *context)
{
  GHashTableIter iter;
  gpointer value;

  if (context == NULL)
    return;

  if (context->device != VK_NULL_HANDLE)
    {
      /* Teardown goes ahead whatever this says (a lost device included). */
      (void) vkDeviceWaitIdle (context->device);
      pipeline_cache_save (context);
      g_clear_pointer (&context->profile, _sc_vk_profile_free);

      g_clear_pointer (&context->staging, sc_vk_buffer_free);
      g_hash_table_iter_init (&iter, context->pipelines);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        pipeline_destroy (context, value);
      g_hash_table_iter_init (&iter, context->shader_modules);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        vkDestroyShaderModule (context->device, *(VkShaderModule *) value, NULL);
      vkDestroyPipelineCache (context->device, context->pipeline_cache, NULL);
      for (guint i = 0; i < context->descriptor_pools->len; i++)
        vkDestroyDescriptorPool (context->device,
                                 g_array_index (context->descriptor_pools, VkDescriptorPool, i),
                                 NULL);
      vkDestroyFence (context->device, context->fence, NULL);
      vkDestroyCommandPool (context->device, context->command_pool, NULL);
      vkDestroyDevice (context->device, NULL);
    }
  _sc_vk_instance_clear (&context->inst);

  g_hash_table_unref (context->pipelines);
  g_hash_table_unref (context->shader_modules);
  g_array_unref (context->descriptor_pools);
  g_free (context->pipeline_cache_path);
  sc_vk_device_info_free (context->info);
  g_free (context);
}

const ScVkDeviceInfo *
sc_vk_context_get_device_info (ScVkContext *context)
{
  g_return_val_if_fail (context != NULL, NULL);

  return context->info;
}

gboolean
sc_vk_context_is_validating (ScVkContext *context)
{
  g_return_val_if_fail (context != NULL, FALSE);

  return context->inst.validating;
}

guint
sc_vk_context_get_validation_message_count (ScVkContext *context)
{
  g_return_val_if_fail (context != NULL, 0);

  return (guint) g_atomic_int_get (&context->validation_messages);
}

const char *
sc_vk_context_get_pipeline_cache_path (ScVkContext *context)
{
  g_return_val_if_fail (context != NULL, NULL);

  return context->pipeline_cache_path;
}

void
sc_vk_context_get_counters (ScVkContext *context,
                            guint64     *submissions,
                            guint64     *dispatches,
                            guint64     *barriers)
{
  g_return_if_fail (context != NULL);

  if (submissions != NULL)
    *submissions = context->n_submissions;
  if (dispatches != NULL)
    *dispatches = context->n_dispatches;
  if (barriers != NULL)
    *barriers = context->n_barriers;
}

const ScVkLimits *
_sc_vk_context_get_limits (ScVkContext *context)
{
  g_assert (context != NULL);

  return &context->limits;
}

/* ================================================================ buffers */

/* Tries each memory type that has @flags and fits @requirements until an allocation works;
 * running out of one heap (a small BAR, say) moves on to the next candidate. */
static VkResult
allocate_memory (ScVkContext                *context,
                 const VkMemoryRequirements *requirements,
                 VkMemoryPropertyFlags       flags,
                 VkDeviceMemory             *out_memory,
                 VkMemoryPropertyFlags      *out_flags)
{
  const VkPhysicalDeviceMemoryProperties *memory = &context->memory_properties;
  VkResult result = VK_ERROR_OUT_OF_DEVICE_MEMORY;

  for (uint32_t i = 0; i < memory->memoryTypeCount; i++)
    {
      VkMemoryAllocateInfo alloc = { VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO };
      const VkMemoryType *type = &memory->memoryTypes[i];

      if (!(requirements->memoryTypeBits & (1u << i)) || (type->propertyFlags & flags) != flags ||
          memory->memoryHeaps[type->heapIndex].size < requirements->size)
        continue;
      alloc.allocationSize = requirements->size;
      alloc.memoryTypeIndex = i;
      result = vkAllocateMemory (context->device, &alloc, NULL, out_memory);
      *out_flags = type->propertyFlags;
      if (result == VK_SUCCESS ||
          (result != VK_ERROR_OUT_OF_DEVICE_MEMORY && result != VK_ERROR_OUT_OF_HOST_MEMORY))
        return result;
    }
  return result;
}

/* A buffer whose memory has the first of @preferences that works; mapped when the memory is
 * host-visible and coherent and @map allows it. */
static ScVkBuffer *
buffer_create (ScVkContext                 *context,
               gsize                        size,
               guint64                      max_size,
               const VkMemoryPropertyFlags *preferences,
               guint                        n_preferences,
               gboolean                     map,
               GError                     **error)
{
  const VkMemoryPropertyFlags mappable = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                                         VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
  VkBufferCreateInfo create = { VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO };
  VkMemoryRequirements requirements;
  g_autoptr(ScVkBuffer) buffer = NULL;
  VkResult result = VK_ERROR_OUT_OF_DEVICE_MEMORY;
  VkMemoryPropertyFlags flags = 0;

  /* Vulkan has no empty buffers; a word keeps zero-length work valid. Shaders read whole
   * words, so the size is rounded up to one. */
  size = MAX ((size + 3) & ~(gsize) 3, 4);
  if (size > max_size)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("A buffer of %zu bytes exceeds the limits of the Vulkan "
                     "device"), size);
      return NULL;
    }

  buffer = g_new0 (ScVkBuffer, 1);
  buffer->context = context;
  buffer->size = size;

  create.size = size;
  create.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                 VK_BUFFER_USAGE_TRANSFER_DST_BIT;
  create.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  if (!SC_VK_TRY (vkCreateBuffer, (context->device, &create, NULL, &buffer->buffer), error))
    {
      buffer->buffer = VK_NULL_HANDLE;
      return NULL;
    }

  vkGetBufferMemoryRequirements (context->device, buffer->buffer, &requirements);
  for (guint i = 0; i < n_preferences; i++)
    {
      result = allocate_memory (context, &requirements, preferences[i], &buffer->memory,
                                &flags);
      if (result == VK_SUCCESS ||
          (result != VK_ERROR_OUT_OF_DEVICE_MEMORY && result != VK_ERROR_OUT_OF_HOST_MEMORY))
        break;
    }
  if (!_sc_vk_check (result, "vkAllocateMemory", error))
    {
      buffer->memory = VK_NULL_HANDLE;
      return NULL;
    }

  if (!SC_VK_TRY (vkBindBufferMemory,
                  (context->device, buffer->buffer, buffer->memory, 0), error))
    return NULL;
  if (map && (flags & mappable) == mappable &&
      !SC_VK_TRY (vkMapMemory,
                  (context->device, buffer->memory, 0, VK_WHOLE_SIZE, 0, &buffer->data),
                  error))
    {
      buffer->data = NULL;
      return NULL;
    }

  return g_steal_pointer (&buffer);
}

ScVkBuffer *
sc_vk_buffer_new (ScVkContext *context,
                  gsize        size,
                  GError     **error)
{
  static const VkMemoryPropertyFlags preferences[] = {
    VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT | VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
    VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
    VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
  };

  g_return_val_if_fail (context != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return buffer_create (context, size,
                        MIN (context->limits.max_binding_range, context->limits.max_buffer_size),
                        preferences, G_N_ELEMENTS (preferences), TRUE, error);
}

ScVkBuffer *
_sc_vk_buffer_new_device (ScVkContext *context,
                          gsize        size,
                          GError     **error)
{
  static const VkMemoryPropertyFlags preferences[] = {
    VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT,
    0,
  };
  ScVkBuffer *buffer;

  buffer = buffer_create (context, size, context->limits.max_buffer_size, preferences,
                          G_N_ELEMENTS (preferences), !feature_disabled ("host-visible"),
                          error);
  /* Only informative (ScVkLimits.host_visible): every transfer checks its own buffer. */
  if (buffer != NULL && buffer->data == NULL)
    context->limits.host_visible = FALSE;
  return buffer;
}

void
sc_vk_buffer_free (ScVkBuffer *buffer)
{
  VkDevice device;

  if (buffer == NULL)
    return;
  device = buffer->context->device;
  if (buffer->data != NULL)
    vkUnmapMemory (device, buffer->memory);
  vkDestroyBuffer (device, buffer->buffer, NULL);
  vkFreeMemory (device, buffer->memory, NULL);
  g_free (buffer);
}

gpointer
sc_vk_buffer_get_data (ScVkBuffer *buffer)
{
  g_return_val_if_fail (buffer != NULL, NULL);

  return buffer->data;
}

gsize
sc_vk_buffer_get_size (ScVkBuffer *buffer)
{
  g_return_val_if_fail (buffer != NULL, 0);

  return buffer->size;
}

/* ---------------------------------------------------------------- transfers */

/* Begins a one-off command buffer for transfers, ordered after everything submitted before. */
static gboolean
transfer_begin (ScVkContext *context,
                GError     **error)
{
  VkCommandBufferBeginInfo begin = { VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO };
  VkMemoryBarrier barrier = { VK_STRUCTURE_TYPE_MEMORY_BARRIER };

  g_assert (!context->recording);
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  if (!SC_VK_TRY (vkResetCommandBuffer, (context->command_buffer, 0), error) ||
      !SC_VK_TRY (vkBeginCommandBuffer, (context->command_buffer, &begin), error))
    return FALSE;
  barrier.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_SHADER_READ_BIT |
                          VK_ACCESS_TRANSFER_WRITE_BIT;
  barrier.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
  vkCmdPipelineBarrier (context->command_buffer,
                        VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                        VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1, &barrier, 0, NULL, 0, NULL);
  return TRUE;
}

/* Ends the command buffer with the host (and later work) able to see the transfer, submits it
 * and waits. */
static gboolean
end_submit_wait (ScVkContext         *context,
                 VkPipelineStageFlags src_stages,
                 VkAccessFlags        src_access,
                 GError             **error)
{
  VkMemoryBarrier barrier = { VK_STRUCTURE_TYPE_MEMORY_BARRIER };
  VkSubmitInfo submit = { VK_STRUCTURE_TYPE_SUBMIT_INFO };
  VkCommandBuffer cmd = context->command_buffer;

  /* Host writes before the submission are visible to it implicitly; device writes need this
   * barrier (plus the fence wait) to become visible to the host and to transfers. */
  barrier.srcAccessMask = src_access;
  barrier.dstAccessMask = VK_ACCESS_HOST_READ_BIT | VK_ACCESS_TRANSFER_READ_BIT;
  vkCmdPipelineBarrier (cmd, src_stages,
                        VK_PIPELINE_STAGE_HOST_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1,
                        &barrier, 0, NULL, 0, NULL);
  if (!SC_VK_TRY (vkEndCommandBuffer, (cmd), error))
    return FALSE;

  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &cmd;
  context->n_submissions++;
  return SC_VK_TRY (vkResetFences, (context->device, 1, &context->fence), error) &&
         SC_VK_TRY (vkQueueSubmit, (context->queue, 1, &submit, context->fence), error) &&
         SC_VK_TRY (vkWaitForFences,
                    (context->device, 1, &context->fence, VK_TRUE, UINT64_MAX), error);
}

static gboolean
ensure_staging (ScVkContext *context,
                GError     **error)
{
  if (context->staging == NULL)
    context->staging = sc_vk_buffer_new (context, MIN (STAGING_SIZE,
                                                       context->limits.max_binding_range),
                                         error);
  return context->staging != NULL;
}

/* Copies between @buffer and the host through the staging buffer, one staging-full at a
 * time. */
static gboolean
staged_copy (ScVkBuffer *buffer,
             gsize       offset,
             guint8     *host,
             gsize       size,
             gboolean    upload,
             GError    **error)
{
  ScVkContext *context = buffer->context;

  if (!ensure_staging (context, error))
    return FALSE;
  for (gsize done = 0; done < size;)
    {
      VkBufferCopy region = { 0 };
      gsize count = MIN (size - done, context->staging->size);

      if (upload)
        memcpy (context->staging->data, host + done, count);
      region.size = count;
      region.srcOffset = upload ? 0 : offset + done;
      region.dstOffset = upload ? offset + done : 0;
      if (!transfer_begin (context, error))
        return FALSE;
      vkCmdCopyBuffer (context->command_buffer,
                       upload ? context->staging->buffer : buffer->buffer,
                       upload ? buffer->buffer : context->staging->buffer, 1, &region);
      if (!end_submit_wait (context, VK_PIPELINE_STAGE_TRANSFER_BIT,
                            VK_ACCESS_TRANSFER_WRITE_BIT, error))
        return FALSE;
      if (!upload)
        memcpy (host + done, context->staging->data, count);
      done += count;
    }
  return TRUE;
}

gboolean
_sc_vk_buffer_write (ScVkBuffer *buffer,
                     gsize       offset,
                     const void *data,
                     gsize       size,
                     GError    **error)
{
  g_assert (offset <= buffer->size && size <= buffer->size - offset);

  if (size == 0)
    return TRUE;
  if (buffer->data != NULL)
    {
      memcpy ((guint8 *) buffer->data + offset, data, size);
      return TRUE;
    }
  return staged_copy (buffer, offset, (guint8 *) data, size, TRUE, error);
}

gboolean
_sc_vk_buffer_read (ScVkBuffer *buffer,
                    gsize       offset,
                    void       *data,
                    gsize       size,
                    GError    **error)
{
  g_assert (offset <= buffer->size && size <= buffer->size - offset);

  if (size == 0)
    return TRUE;
  if (buffer->data != NULL)
    {
      memcpy (data, (const guint8 *) buffer->data + offset, size);
      return TRUE;
    }
  return staged_copy (buffer, offset, data, size, FALSE, error);
}

gboolean
_sc_vk_buffer_zero (ScVkBuffer *buffer,
                    GError    **error)
{
  ScVkContext *context = buffer->context;

  if (buffer->data != NULL)
    {
      memset (buffer->data, 0, buffer->size);
      return TRUE;
    }
  if (!transfer_begin (context, error))
    return FALSE;
  vkCmdFillBuffer (context->command_buffer, buffer->buffer, 0, VK_WHOLE_SIZE, 0);
  return end_submit_wait (context, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT,
                          error);
}

/* ================================================================ pipelines */

static const ScShaderBlob *
find_shader_blob (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (sc_shader_blobs); i++)
    {
      if (strcmp (sc_shader_blobs[i].name, name) == 0)
        return &sc_shader_blobs[i];
    }
  return NULL;
}

static VkShaderModule
get_shader_module (ScVkContext *context,
                   const char  *name,
                   GError     **error)
{
  VkShaderModuleCreateInfo create = { VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO };
  const ScShaderBlob *blob;
  VkShaderModule *module = g_hash_table_lookup (context->shader_modules, name);

  if (module != NULL)
    return *module;
  blob = find_shader_blob (name);
  if (blob == NULL)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   "No shader “%s” is built into this program", name);
      return VK_NULL_HANDLE;
    }
  module = g_new0 (VkShaderModule, 1);
  create.codeSize = blob->size;
  create.pCode = blob->code;
  if (!SC_VK_TRY (vkCreateShaderModule, (context->device, &create, NULL, module), error))
    {
      g_free (module);
      return VK_NULL_HANDLE;
    }
  /* The blob's name is static, so it can key the table. */
  g_hash_table_insert (context->shader_modules, (gpointer) blob->name, module);
  return *module;
}

/* The pipeline of @shader with @spec_constants, built on first use. */
static Pipeline *
get_pipeline (ScVkContext   *context,
              const char    *shader,
              const guint32 *spec_constants,
              guint          n_spec_constants,
              guint          n_bindings,
              guint          push_size,
              GError       **error)
{
  g_autoptr(GString) key = g_string_new (shader);
  VkDescriptorSetLayoutBinding bindings[SC_VK_MAX_BINDINGS];
  VkSpecializationMapEntry entries[SC_VK_MAX_SPEC_CONSTANTS];
  VkSpecializationInfo specialization = { 0 };
  VkDescriptorSetLayoutCreateInfo set_layout = {
    VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO };
  VkPushConstantRange push_range = { VK_SHADER_STAGE_COMPUTE_BIT, 0, push_size };
  VkPipelineLayoutCreateInfo layout = { VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO };
  VkComputePipelineCreateInfo create = { VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO };
  VkShaderModule module;
  Pipeline *pipeline;

  g_string_append_c (key, ':');
  for (guint i = 0; i < n_spec_constants; i++)
    g_string_append_printf (key, "%s%u", i > 0 ? "," : "", spec_constants[i]);
  pipeline = g_hash_table_lookup (context->pipelines, key->str);
  if (pipeline != NULL)
    {
      g_assert (pipeline->n_bindings == n_bindings && pipeline->push_size == push_size);
      return pipeline;
    }

  module = get_shader_module (context, shader, error);
  if (module == VK_NULL_HANDLE)
    return NULL;

  pipeline = g_new0 (Pipeline, 1);
  pipeline->n_bindings = n_bindings;
  pipeline->push_size = push_size;

  for (guint i = 0; i < n_bindings; i++)
    {
      bindings[i] = (VkDescriptorSetLayoutBinding) {
        .binding = i,
        .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
        .descriptorCount = 1,
        .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT,
      };
    }
  if (context->limits.push_descriptors)
    set_layout.flags = VK_DESCRIPTOR_SET_LAYOUT_CREATE_PUSH_DESCRIPTOR_BIT_KHR;
  set_layout.bindingCount = n_bindings;
  set_layout.pBindings = bindings;
  if (!SC_VK_TRY (vkCreateDescriptorSetLayout,
                  (context->device, &set_layout, NULL, &pipeline->set_layout), error))
    goto fail;

  layout.setLayoutCount = 1;
  layout.pSetLayouts = &pipeline->set_layout;
  if (push_size > 0)
    {
      layout.pushConstantRangeCount = 1;
      layout.pPushConstantRanges = &push_range;
    }
  if (!SC_VK_TRY (vkCreatePipelineLayout,
                  (context->device, &layout, NULL, &pipeline->layout), error))
    goto fail;

  for (guint i = 0; i < n_spec_constants; i++)
    entries[i] = (VkSpecializationMapEntry) { i, i * sizeof (guint32), sizeof (guint32) };
  specialization.mapEntryCount = n_spec_constants;
  specialization.pMapEntries = entries;
  specialization.dataSize = n_spec_constants * sizeof (guint32);
  specialization.pData = spec_constants;

  create.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
  create.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
  create.stage.module = module;
  create.stage.pName = "main";
  create.stage.pSpecializationInfo = n_spec_constants > 0 ? &specialization : NULL;
  create.layout = pipeline->layout;
  if (!SC_VK_TRY (vkCreateComputePipelines,
                  (context->device, context->pipeline_cache, 1, &create, NULL,
                   &pipeline->pipeline), error))
    goto fail;

  g_hash_table_insert (context->pipelines, g_string_free (g_steal_pointer (&key), FALSE),
                       pipeline);
  return pipeline;

fail:
  pipeline_destroy (context, pipeline);
  return NULL;
}

/* ================================================================ recording */

/* A descriptor set for @pipeline from the context's pools, adding a pool when all are full. */
static gboolean
allocate_descriptor_set (ScVkContext     *context,
                         Pipeline        *pipeline,
                         VkDescriptorSet *out_set,
                         GError         **error)
{
  VkDescriptorSetAllocateInfo alloc = { VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO };

  alloc.descriptorSetCount = 1;
  alloc.pSetLayouts = &pipeline->set_layout;
  while (context->n_pools_used > 0)
    {
      VkResult result;

      alloc.descriptorPool = g_array_index (context->descriptor_pools, VkDescriptorPool,
                                            context->n_pools_used - 1);
      result = vkAllocateDescriptorSets (context->device, &alloc, out_set);
      if (result == VK_SUCCESS)
        return TRUE;
      if (result != VK_ERROR_OUT_OF_POOL_MEMORY && result != VK_ERROR_FRAGMENTED_POOL)
        return _sc_vk_check (result, "vkAllocateDescriptorSets", error);
      if (context->n_pools_used == context->descriptor_pools->len)
        break;
      context->n_pools_used++;  /* a pool from an earlier recording, reset and free */
    }
  if (context->n_pools_used == context->descriptor_pools->len)
    {
      VkDescriptorPoolSize pool_size = { VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                                         DESCRIPTOR_POOL_SETS * SC_VK_MAX_BINDINGS };
      VkDescriptorPoolCreateInfo create = { VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO };
      VkDescriptorPool pool;

      create.maxSets = DESCRIPTOR_POOL_SETS;
      create.poolSizeCount = 1;
      create.pPoolSizes = &pool_size;
      if (!SC_VK_TRY (vkCreateDescriptorPool, (context->device, &create, NULL, &pool), error))
        return FALSE;
      g_array_append_val (context->descriptor_pools, pool);
    }
  context->n_pools_used++;
  alloc.descriptorPool = g_array_index (context->descriptor_pools, VkDescriptorPool,
                                        context->n_pools_used - 1);
  return SC_VK_TRY (vkAllocateDescriptorSets, (context->device, &alloc, out_set), error);
}

ScVkRecording *
_sc_vk_recording_begin (ScVkContext *context,
                        GError     **error)
{
  VkCommandBufferBeginInfo begin = { VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO };
  VkMemoryBarrier barrier = { VK_STRUCTURE_TYPE_MEMORY_BARRIER };
  ScVkRecording *recording;

  g_assert (!context->recording);

  /* The previous submission has completed (we waited for its fence), so its sets can go. */
  for (guint i = 0; i < context->n_pools_used; i++)
    {
      if (!SC_VK_TRY (vkResetDescriptorPool,
                      (context->device,
                       g_array_index (context->descriptor_pools, VkDescriptorPool, i), 0),
                      error))
        return NULL;
    }
  context->n_pools_used = 0;

  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  if (!SC_VK_TRY (vkResetCommandBuffer, (context->command_buffer, 0), error) ||
      !SC_VK_TRY (vkBeginCommandBuffer, (context->command_buffer, &begin), error))
    return NULL;
  /* Earlier submissions (uploads, the previous graph) come first. */
  barrier.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
  barrier.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT;
  vkCmdPipelineBarrier (context->command_buffer,
                        VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                        VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0, 1, &barrier, 0, NULL, 0, NULL);

  if (context->profile != NULL)
    _sc_vk_profile_begin (context->profile, context->command_buffer);
  context->recording = TRUE;
  recording = g_new0 (ScVkRecording, 1);
  recording->context = context;
  recording->reads = g_array_new (FALSE, FALSE, sizeof (Range));
  recording->writes = g_array_new (FALSE, FALSE, sizeof (Range));
  return recording;
}

static void
recording_free (ScVkRecording *recording)
{
  recording->context->recording = FALSE;
  g_array_unref (recording->reads);
  g_array_unref (recording->writes);
  g_free (recording);
}

void
_sc_vk_recording_discard (ScVkRecording *recording)
{
  if (recording == NULL)
    return;
  (void) vkEndCommandBuffer (recording->context->command_buffer);
  recording_free (recording);
}

static gboolean
overlaps (GArray      *ranges,
          const Range *range)
{
  for (guint i = 0; i < ranges->len; i++)
    {
      const Range *r = &g_array_index (ranges, Range, i);

      if (r->buffer == range->buffer && r->begin < range->end && range->begin < r->end)
        return TRUE;
    }
  return FALSE;
}

/* Records a barrier before a dispatch with these @bindings when it conflicts with what was
 * read or written since the last one, then notes the dispatch's own accesses. */
static void
track_hazards (ScVkRecording     *recording,
               const ScVkBinding *bindings,
               guint              n_bindings)
{
  ScVkContext *context = recording->context;
  gboolean hazard = FALSE;

  for (guint i = 0; i < n_bindings && !hazard; i++)
    {
      Range range = { bindings[i].buffer, bindings[i].offset,
                      bindings[i].offset + bindings[i].range };

      if (bindings[i].access & SC_VK_ACCESS_CONSTANT)
        continue;
      /* Read after write and write after write need the data, write after read only the
       * ordering; one memory barrier covers all three. */
      hazard = overlaps (recording->writes, &range) ||
               ((bindings[i].access & SC_VK_ACCESS_WRITE) && overlaps (recording->reads, &range));
    }
  if (hazard)
    {
      VkMemoryBarrier barrier = { VK_STRUCTURE_TYPE_MEMORY_BARRIER };

      barrier.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT;
      barrier.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT;
      vkCmdPipelineBarrier (context->command_buffer, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                            VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0, 1, &barrier, 0, NULL, 0,
                            NULL);
      context->n_barriers++;
      g_array_set_size (recording->reads, 0);
      g_array_set_size (recording->writes, 0);
    }
  for (guint i = 0; i < n_bindings; i++)
    {
      Range range = { bindings[i].buffer, bindings[i].offset,
                      bindings[i].offset + bindings[i].range };

      if (bindings[i].access & SC_VK_ACCESS_CONSTANT)
        continue;
      if (bindings[i].access & SC_VK_ACCESS_WRITE)
        g_array_append_val (recording->writes, range);
      if (bindings[i].access & SC_VK_ACCESS_READ)
        g_array_append_val (recording->reads, range);
    }
}

gboolean
_sc_vk_recording_dispatch (ScVkRecording     *recording,
                           const char        *shader,
                           const guint32     *spec_constants,
                           guint              n_spec_constants,
                           const ScVkBinding *bindings,
                           guint              n_bindings,
                           const void        *push_data,
                           gsize              push_size,
                           guint32            groups_x,
                           guint32            groups_y,
                           guint32            groups_z,
                           GError           **error)
{
  ScVkContext *context = recording->context;
  const guint32 *max_groups = context->limits.max_groups;
  VkDescriptorBufferInfo buffer_infos[SC_VK_MAX_BINDINGS];
  VkWriteDescriptorSet writes[SC_VK_MAX_BINDINGS];
  VkCommandBuffer cmd = context->command_buffer;
  VkDescriptorSet set = VK_NULL_HANDLE;
  Pipeline *pipeline;

  g_assert (n_bindings <= SC_VK_MAX_BINDINGS && n_spec_constants <= SC_VK_MAX_SPEC_CONSTANTS);

  if (groups_x > max_groups[0] || groups_y > max_groups[1] || groups_z > max_groups[2])
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("The Vulkan device cannot run %u × %u × %u workgroups at once"),
                   groups_x, groups_y, groups_z);
      return FALSE;
    }
  if (groups_x == 0 || groups_y == 0 || groups_z == 0)
    return TRUE;

  pipeline = get_pipeline (context, shader, spec_constants, n_spec_constants, n_bindings,
                           (guint) push_size, error);
  if (pipeline == NULL)
    return FALSE;

  for (guint i = 0; i < n_bindings; i++)
    {
      g_assert (bindings[i].buffer != NULL && bindings[i].buffer->context == context);
      g_assert (bindings[i].offset % context->limits.storage_alignment == 0);
      g_assert (bindings[i].range > 0 && bindings[i].range <= context->limits.max_binding_range);
      g_assert (bindings[i].offset + bindings[i].range <= bindings[i].buffer->size);
      buffer_infos[i] = (VkDescriptorBufferInfo) { bindings[i].buffer->buffer,
                                                   bindings[i].offset, bindings[i].range };
      writes[i] = (VkWriteDescriptorSet) {
        .sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
        .dstBinding = i,
        .descriptorCount = 1,
        .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
        .pBufferInfo = &buffer_infos[i],
      };
    }
  if (!context->limits.push_descriptors)
    {
      if (!allocate_descriptor_set (context, pipeline, &set, error))
        return FALSE;
      for (guint i = 0; i < n_bindings; i++)
        writes[i].dstSet = set;
      vkUpdateDescriptorSets (context->device, n_bindings, writes, 0, NULL);
    }

  track_hazards (recording, bindings, n_bindings);
  vkCmdBindPipeline (cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline->pipeline);
  if (context->limits.push_descriptors)
    context->push_descriptor_set (cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline->layout, 0,
                                  n_bindings, writes);
  else
    vkCmdBindDescriptorSets (cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline->layout, 0, 1, &set,
                             0, NULL);
  if (push_size > 0)
    vkCmdPushConstants (cmd, pipeline->layout, VK_SHADER_STAGE_COMPUTE_BIT, 0,
                        (uint32_t) push_size, push_data);
  vkCmdDispatch (cmd, groups_x, groups_y, groups_z);
  if (context->profile != NULL)
    _sc_vk_profile_mark (context->profile, cmd, shader);
  recording->n_dispatches++;
  context->n_dispatches++;
  return TRUE;
}

gboolean
_sc_vk_recording_submit (ScVkRecording *recording,
                         GError       **error)
{
  ScVkContext *context = recording->context;
  gboolean ok;

  if (context->profile != NULL)
    _sc_vk_profile_submitted (context->profile);
  ok = end_submit_wait (context, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                        VK_ACCESS_SHADER_WRITE_BIT, error);
  if (ok && context->profile != NULL)
    _sc_vk_profile_collect (context->profile);
  recording_free (recording);
  return ok;
}

/* ================================================================ dispatch */

gboolean
sc_vk_context_dispatch (ScVkContext    *context,
                        ScVkShader      shader,
                        const guint32  *spec_constants,
                        guint           n_spec_constants,
                        ScVkBuffer    **buffers,
                        guint           n_buffers,
                        const void     *push_data,
                        gsize           push_size,
                        guint32         groups_x,
                        guint32         groups_y,
                        guint32         groups_z,
                        GError        **error)
{
  ScVkBinding bindings[SC_VK_MAX_BINDINGS];
  const guint32 *max_groups;
  ScVkRecording *recording;

  g_return_val_if_fail (context != NULL, FALSE);
  g_return_val_if_fail ((guint) shader < SC_VK_N_SHADERS, FALSE);
  g_return_val_if_fail (n_spec_constants <= SC_VK_MAX_SPEC_CONSTANTS, FALSE);
  g_return_val_if_fail (n_spec_constants == 0 || spec_constants != NULL, FALSE);
  g_return_val_if_fail (n_buffers == shader_descs[shader].n_bindings, FALSE);
  g_return_val_if_fail (n_buffers == 0 || buffers != NULL, FALSE);
  g_return_val_if_fail (push_size == shader_descs[shader].push_size, FALSE);
  g_return_val_if_fail (push_size == 0 || push_data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  max_groups = context->limits.max_groups;
  if (groups_x > max_groups[0] || groups_y > max_groups[1] || groups_z > max_groups[2])
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("The Vulkan device cannot run %u × %u × %u workgroups at once"),
                   groups_x, groups_y, groups_z);
      return FALSE;
    }
  if (groups_x == 0 || groups_y == 0 || groups_z == 0)
    return TRUE;

  for (guint i = 0; i < n_buffers; i++)
    {
      g_return_val_if_fail (buffers[i] != NULL && buffers[i]->context == context, FALSE);
      bindings[i] = (ScVkBinding) { buffers[i], 0, buffers[i]->size,
                                    SC_VK_ACCESS_READ | SC_VK_ACCESS_WRITE };
    }

  recording = _sc_vk_recording_begin (context, error);
  if (recording == NULL)
    return FALSE;
  if (!_sc_vk_recording_dispatch (recording, shader_descs[shader].name, spec_constants,
                                  n_spec_constants, bindings, n_buffers, push_data, push_size,
                                  groups_x, groups_y, groups_z, error))
    {
      _sc_vk_recording_discard (recording);
      return FALSE;
    }
  return _sc_vk_recording_submit (recording, error);
}
