/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-vulkan-device.c: the Vulkan instance (with optional validation), device enumeration and
 * device selection; the context built on them lives in sc-vulkan.c. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-error.h"
#include "sc-vulkan-private.h"

#define VALIDATION_LAYER "VK_LAYER_KHRONOS_validation"

/* ================================================================ errors */

const char *
_sc_vk_result_name (VkResult result)
{
  switch (result)
    {
#define RESULT_CASE(r) case r: return #r
      RESULT_CASE (VK_SUCCESS);
      RESULT_CASE (VK_NOT_READY);
      RESULT_CASE (VK_TIMEOUT);
      RESULT_CASE (VK_INCOMPLETE);
      RESULT_CASE (VK_ERROR_OUT_OF_HOST_MEMORY);
      RESULT_CASE (VK_ERROR_OUT_OF_DEVICE_MEMORY);
      RESULT_CASE (VK_ERROR_INITIALIZATION_FAILED);
      RESULT_CASE (VK_ERROR_DEVICE_LOST);
      RESULT_CASE (VK_ERROR_MEMORY_MAP_FAILED);
      RESULT_CASE (VK_ERROR_LAYER_NOT_PRESENT);
      RESULT_CASE (VK_ERROR_EXTENSION_NOT_PRESENT);
      RESULT_CASE (VK_ERROR_FEATURE_NOT_PRESENT);
      RESULT_CASE (VK_ERROR_INCOMPATIBLE_DRIVER);
      RESULT_CASE (VK_ERROR_TOO_MANY_OBJECTS);
      RESULT_CASE (VK_ERROR_FORMAT_NOT_SUPPORTED);
      RESULT_CASE (VK_ERROR_FRAGMENTED_POOL);
      RESULT_CASE (VK_ERROR_UNKNOWN);
      RESULT_CASE (VK_ERROR_OUT_OF_POOL_MEMORY);
      RESULT_CASE (VK_ERROR_INVALID_EXTERNAL_HANDLE);
      RESULT_CASE (VK_ERROR_FRAGMENTATION);
      RESULT_CASE (VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS);
      RESULT_CASE (VK_PIPELINE_COMPILE_REQUIRED);
      RESULT_CASE (VK_ERROR_INVALID_SHADER_NV);
#undef RESULT_CASE
    default:
      return "VK_RESULT_UNKNOWN";
    }
}

gboolean
_sc_vk_check (VkResult    result,
              const char *function,
              GError    **error)
{
  if (result == VK_SUCCESS)
    return TRUE;
  g_set_error (error, SC_ERROR, SC_ERROR_DEVICE, _("The Vulkan call %s failed: %s (%d)"),
               function, _sc_vk_result_name (result), (int) result);
  return FALSE;
}

static void
set_no_vulkan_error (GError **error)
{
  g_set_error_literal (error, SC_ERROR, SC_ERROR_NO_DEVICE,
                       _("No Vulkan device found; computations run on the CPU"));
}

/* ================================================================ device info */

void
sc_vk_device_info_free (ScVkDeviceInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->driver_name);
  g_free (info->driver_info);
  g_free (info->api_version);
  g_free (info);
}

ScVkDeviceInfo *
sc_vk_device_info_copy (const ScVkDeviceInfo *info)
{
  ScVkDeviceInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_memdup2 (info, sizeof *info);
  copy->name = g_strdup (info->name);
  copy->driver_name = g_strdup (info->driver_name);
  copy->driver_info = g_strdup (info->driver_info);
  copy->api_version = g_strdup (info->api_version);
  return copy;
}

const char *
sc_vk_device_type_to_string (ScVkDeviceType type)
{
  switch (type)
    {
    case SC_VK_DEVICE_TYPE_DISCRETE:
      return "discrete";
    case SC_VK_DEVICE_TYPE_INTEGRATED:
      return "integrated";
    case SC_VK_DEVICE_TYPE_VIRTUAL:
      return "virtual";
    case SC_VK_DEVICE_TYPE_CPU:
      return "cpu";
    case SC_VK_DEVICE_TYPE_OTHER:
    default:
      return "other";
    }
}

static ScVkDeviceType
device_type_from_vk (VkPhysicalDeviceType type)
{
  switch (type)
    {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:
      return SC_VK_DEVICE_TYPE_DISCRETE;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU:
      return SC_VK_DEVICE_TYPE_INTEGRATED;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU:
      return SC_VK_DEVICE_TYPE_VIRTUAL;
    case VK_PHYSICAL_DEVICE_TYPE_CPU:
      return SC_VK_DEVICE_TYPE_CPU;
    case VK_PHYSICAL_DEVICE_TYPE_OTHER:
    default:
      return SC_VK_DEVICE_TYPE_OTHER;
    }
}

/* The set of device extension names of @device (keys only). */
GHashTable *
_sc_vk_device_extensions (VkPhysicalDevice device)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree VkExtensionProperties *props = NULL;
  uint32_t count = 0;

  if (vkEnumerateDeviceExtensionProperties (device, NULL, &count, NULL) != VK_SUCCESS)
    return set;
  props = g_new0 (VkExtensionProperties, MAX (count, 1));
  if (vkEnumerateDeviceExtensionProperties (device, NULL, &count, props) < 0)
    return set;
  for (uint32_t i = 0; i < count; i++)
    g_hash_table_add (set, g_strndup (props[i].extensionName, VK_MAX_EXTENSION_NAME_SIZE));
  return set;
}

/* The first queue family that can run compute work, preferring a compute-only family (it does
 * not compete with a compositor for the graphics queue); -1 if there is none. */
int
_sc_vk_find_compute_queue_family (VkPhysicalDevice device)
{
  g_autofree VkQueueFamilyProperties *families = NULL;
  uint32_t count = 0;
  int any = -1;

  vkGetPhysicalDeviceQueueFamilyProperties (device, &count, NULL);
  families = g_new0 (VkQueueFamilyProperties, MAX (count, 1));
  vkGetPhysicalDeviceQueueFamilyProperties (device, &count, families);
  for (uint32_t i = 0; i < count; i++)
    {
      if (families[i].queueCount == 0 || !(families[i].queueFlags & VK_QUEUE_COMPUTE_BIT))
        continue;
      if (!(families[i].queueFlags & VK_QUEUE_GRAPHICS_BIT))
        return (int) i;
      if (any < 0)
        any = (int) i;
    }
  return any;
}

static ScVkDeviceInfo *
query_device_info (VkPhysicalDevice device,
                   guint            index)
{
  ScVkDeviceInfo *info = g_new0 (ScVkDeviceInfo, 1);
  g_autoptr(GHashTable) extensions = _sc_vk_device_extensions (device);
  VkPhysicalDeviceProperties props;
  VkPhysicalDeviceMemoryProperties memory;
  guint32 api;

  vkGetPhysicalDeviceProperties (device, &props);
  vkGetPhysicalDeviceMemoryProperties (device, &memory);
  api = props.apiVersion;

  info->index = index;
  info->name = g_strndup (props.deviceName, VK_MAX_PHYSICAL_DEVICE_NAME_SIZE);
  info->type = device_type_from_vk (props.deviceType);
  info->vendor_id = props.vendorID;
  info->device_id = props.deviceID;
  info->api_version = g_strdup_printf ("%u.%u.%u", VK_API_VERSION_MAJOR (api),
                                       VK_API_VERSION_MINOR (api), VK_API_VERSION_PATCH (api));
  info->max_storage_buffer_range = props.limits.maxStorageBufferRange;
  info->min_storage_buffer_offset_alignment = props.limits.minStorageBufferOffsetAlignment;
  info->push_descriptor = g_hash_table_contains (extensions, "VK_KHR_push_descriptor");
  info->max_workgroup_count_x = props.limits.maxComputeWorkGroupCount[0];
  info->max_workgroup_size_x = MIN (props.limits.maxComputeWorkGroupSize[0],
                                    props.limits.maxComputeWorkGroupInvocations);
  for (uint32_t i = 0; i < memory.memoryHeapCount; i++)
    {
      if (memory.memoryHeaps[i].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT)
        info->device_local_memory_bytes += memory.memoryHeaps[i].size;
    }

  /* The *2 queries and the structures chained to them need a Vulkan 1.1 device (the instance
   * asks for 1.2); newer structures only where the device version or an extension has them. */
  if (api >= VK_API_VERSION_1_1)
    {
      VkPhysicalDeviceProperties2 props2 = { VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2 };
      VkPhysicalDeviceSubgroupProperties subgroup = {
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES };
      VkPhysicalDeviceMaintenance3Properties maintenance3 = {
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES };
      VkPhysicalDeviceDriverProperties driver = {
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES };
      VkPhysicalDeviceFeatures2 features2 = { VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2 };
      VkPhysicalDevice16BitStorageFeatures storage16 = {
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES };
      VkPhysicalDeviceShaderFloat16Int8Features float16_int8 = {
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_FLOAT16_INT8_FEATURES };
      VkPhysicalDeviceShaderIntegerDotProductFeatures dot_product = {
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_INTEGER_DOT_PRODUCT_FEATURES };
      gboolean has_driver = api >= VK_API_VERSION_1_2 ||
                            g_hash_table_contains (extensions, "VK_KHR_driver_properties");
      gboolean has_float16_int8 = api >= VK_API_VERSION_1_2 ||
                                  g_hash_table_contains (extensions,
                                                         "VK_KHR_shader_float16_int8");
      gboolean has_dot_product = api >= VK_API_VERSION_1_3 ||
                                 g_hash_table_contains (extensions,
                                                        "VK_KHR_shader_integer_dot_product");

      props2.pNext = &subgroup;
      subgroup.pNext = &maintenance3;
      if (has_driver)
        maintenance3.pNext = &driver;
      vkGetPhysicalDeviceProperties2 (device, &props2);

      features2.pNext = &storage16;
      if (has_float16_int8)
        {
          float16_int8.pNext = features2.pNext;
          features2.pNext = &float16_int8;
        }
      if (has_dot_product)
        {
          dot_product.pNext = features2.pNext;
          features2.pNext = &dot_product;
        }
      vkGetPhysicalDeviceFeatures2 (device, &features2);

      info->subgroup_size = subgroup.subgroupSize;
      info->subgroup_arithmetic =
        (subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT) &&
        (subgroup.supportedOperations & VK_SUBGROUP_FEATURE_BASIC_BIT) &&
        (subgroup.supportedOperations & VK_SUBGROUP_FEATURE_ARITHMETIC_BIT);
      info->max_memory_allocation_size = maintenance3.maxMemoryAllocationSize;
      if (has_driver)
        {
          info->driver_name = g_strndup (driver.driverName, VK_MAX_DRIVER_NAME_SIZE);
          info->driver_info = g_strndup (driver.driverInfo, VK_MAX_DRIVER_INFO_SIZE);
        }
      info->storage_buffer_16bit_access = storage16.storageBuffer16BitAccess;
      info->shader_float16 = has_float16_int8 && float16_int8.shaderFloat16;
      info->shader_int8 = has_float16_int8 && float16_int8.shaderInt8;
      info->integer_dot_product = has_dot_product && dot_product.shaderIntegerDotProduct;
    }

  if (info->driver_name == NULL)
    info->driver_name = g_strdup ("");
  if (info->driver_info == NULL)
    info->driver_info = g_strdup ("");
  info->supported = api >= SC_VK_REQUIRED_API_VERSION &&
                    _sc_vk_find_compute_queue_family (device) >= 0;
  return info;
}

/* ================================================================ instance */

static gboolean
instance_has_layer (const char *name)
{
  g_autofree VkLayerProperties *layers = NULL;
  uint32_t count = 0;

  if (vkEnumerateInstanceLayerProperties (&count, NULL) != VK_SUCCESS)
    return FALSE;
  layers = g_new0 (VkLayerProperties, MAX (count, 1));
  if (vkEnumerateInstanceLayerProperties (&count, layers) < 0)
    return FALSE;
  for (uint32_t i = 0; i < count; i++)
    {
      if (strncmp (layers[i].layerName, name, VK_MAX_EXTENSION_NAME_SIZE) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
instance_has_extension (const char *layer,
                        const char *name)
{
  g_autofree VkExtensionProperties *props = NULL;
  uint32_t count = 0;

  if (vkEnumerateInstanceExtensionProperties (layer, &count, NULL) != VK_SUCCESS)
    return FALSE;
  props = g_new0 (VkExtensionProperties, MAX (count, 1));
  if (vkEnumerateInstanceExtensionProperties (layer, &count, props) < 0)
    return FALSE;
  for (uint32_t i = 0; i < count; i++)
    {
      if (strncmp (props[i].extensionName, name, VK_MAX_EXTENSION_NAME_SIZE) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
validation_requested (void)
{
  const char *value = g_getenv ("SICHTUNG_VULKAN_VALIDATE");

  return value != NULL && g_strcmp0 (value, "") != 0 && g_strcmp0 (value, "0") != 0;
}

/* Counts validation errors and warnings into the gint @user_data points to. Layers may call
 * this from any thread, hence the atomic increment. */
static VKAPI_ATTR VkBool32 VKAPI_CALL
debug_messenger_cb (VkDebugUtilsMessageSeverityFlagBitsEXT      severity,
                    VkDebugUtilsMessageTypeFlagsEXT             types,
                    const VkDebugUtilsMessengerCallbackDataEXT *data,
                    void                                       *user_data)
{
  gint *count = user_data;
  const char *message = data != NULL && data->pMessage != NULL ? data->pMessage : "";
  gboolean serious = severity & (VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT |
                                 VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT);

  if (serious && (types & (VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                           VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT)))
    {
      g_atomic_int_inc (count);
      /* Not g_warning: tests run with fatal warnings and assert on the count instead. */
      g_message ("Vulkan validation: %s", message);
    }
  else
    {
      g_debug ("Vulkan: %s", message);
    }
  return VK_FALSE;
}

void
_sc_vk_instance_clear (ScVkInstance *inst)
{
  if (inst->messenger != VK_NULL_HANDLE)
    {
      PFN_vkDestroyDebugUtilsMessengerEXT destroy = (PFN_vkDestroyDebugUtilsMessengerEXT)
        vkGetInstanceProcAddr (inst->instance, "vkDestroyDebugUtilsMessengerEXT");

      if (destroy != NULL)
        destroy (inst->instance, inst->messenger, NULL);
      inst->messenger = VK_NULL_HANDLE;
    }
  if (inst->instance != VK_NULL_HANDLE)
    vkDestroyInstance (inst->instance, NULL);
  inst->instance = VK_NULL_HANDLE;
}

/* Creates a Vulkan 1.2 instance without any surface extension. With @validation_count, the
 * Khronos validation layer is enabled when $SICHTUNG_VULKAN_VALIDATE asks for it and it is
 * installed, and its messages are counted there. Any failure is SC_ERROR_NO_DEVICE: without an
 * instance there is no Vulkan to speak of. */
gboolean
_sc_vk_instance_init (ScVkInstance  *inst,
                      gint          *validation_count,
                      GError       **error)
{
  VkApplicationInfo app = { VK_STRUCTURE_TYPE_APPLICATION_INFO };
  VkInstanceCreateInfo create = { VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO };
  VkDebugUtilsMessengerCreateInfoEXT messenger = {
    VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT };
  VkValidationFeaturesEXT features = { VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT };
  static const VkValidationFeatureEnableEXT enabled_features[] = {
    VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT,
  };
  const char *extensions[3];
  const char *layers[1];
  uint32_t n_extensions = 0;
  uint32_t n_layers = 0;
  VkResult result;

  memset (inst, 0, sizeof *inst);

  app.pApplicationName = "Sichtung";
  app.applicationVersion = VK_MAKE_API_VERSION (0, 0, 1, 0);
  app.pEngineName = "sichtung-core";
  app.engineVersion = VK_MAKE_API_VERSION (0, 0, 1, 0);
  app.apiVersion = SC_VK_REQUIRED_API_VERSION;
  create.pApplicationInfo = &app;

  /* Lets the loader report devices that are only portability-conformant (MoltenVK). */
  if (instance_has_extension (NULL, VK_KHR_PORTABILITY_ENUMERATION_EXTENSION_NAME))
    {
      extensions[n_extensions++] = VK_KHR_PORTABILITY_ENUMERATION_EXTENSION_NAME;
      create.flags |= VK_INSTANCE_CREATE_ENUMERATE_PORTABILITY_BIT_KHR;
    }

  if (validation_count != NULL && validation_requested ())
    {
      if (!instance_has_layer (VALIDATION_LAYER))
        g_debug ("SICHTUNG_VULKAN_VALIDATE is set but %s is not installed", VALIDATION_LAYER);
      else if (!instance_has_extension (NULL, VK_EXT_DEBUG_UTILS_EXTENSION_NAME) &&
               !instance_has_extension (VALIDATION_LAYER, VK_EXT_DEBUG_UTILS_EXTENSION_NAME))
        g_debug ("SICHTUNG_VULKAN_VALIDATE is set but %s is missing",
                 VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
      else
        {
          layers[n_layers++] = VALIDATION_LAYER;
          extensions[n_extensions++] = VK_EXT_DEBUG_UTILS_EXTENSION_NAME;
          inst->validating = TRUE;
          /* Missing barriers are the mistake a compute engine makes most. */
          if (instance_has_extension (VALIDATION_LAYER,
                                      VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME))
            {
              extensions[n_extensions++] = VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME;
              features.enabledValidationFeatureCount = G_N_ELEMENTS (enabled_features);
              features.pEnabledValidationFeatures = enabled_features;
            }
        }
    }

  if (inst->validating)
    {
      messenger.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_VERBOSE_BIT_EXT |
                                  VK_DEBUG_UTILS_MESSAGE_SEVERITY_INFO_BIT_EXT |
                                  VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT |
                                  VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
      messenger.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                              VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                              VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
      messenger.pfnUserCallback = debug_messenger_cb;
      messenger.pUserData = validation_count;
      /* Chained so that vkCreateInstance and vkDestroyInstance are checked too. */
      create.pNext = &messenger;
      if (features.enabledValidationFeatureCount > 0)
        {
          features.pNext = create.pNext;
          create.pNext = &features;
        }
    }

  create.enabledExtensionCount = n_extensions;
  create.ppEnabledExtensionNames = extensions;
  create.enabledLayerCount = n_layers;
  create.ppEnabledLayerNames = layers;

  result = vkCreateInstance (&create, NULL, &inst->instance);
  if (result != VK_SUCCESS)
    {
      g_debug ("vkCreateInstance failed: %s", _sc_vk_result_name (result));
      inst->instance = VK_NULL_HANDLE;
      set_no_vulkan_error (error);
      return FALSE;
    }

  if (inst->validating)
    {
      PFN_vkCreateDebugUtilsMessengerEXT create_messenger = (PFN_vkCreateDebugUtilsMessengerEXT)
        vkGetInstanceProcAddr (inst->instance, "vkCreateDebugUtilsMessengerEXT");

      if (create_messenger == NULL ||
          create_messenger (inst->instance, &messenger, NULL, &inst->messenger) != VK_SUCCESS)
        {
          inst->messenger = VK_NULL_HANDLE;
          _sc_vk_instance_clear (inst);
          g_set_error (error, SC_ERROR, SC_ERROR_DEVICE,
                       _("The Vulkan validation messenger could not be created"));
          return FALSE;
        }
    }
  return TRUE;
}

/* Fills @out_infos (ScVkDeviceInfo) and @out_handles (VkPhysicalDevice) in enumeration order;
 * SC_ERROR_NO_DEVICE when there is no device at all. */
gboolean
_sc_vk_instance_enumerate (VkInstance   instance,
                           GPtrArray  **out_infos,
                           GArray     **out_handles,
                           GError     **error)
{
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GArray) handles = NULL;
  uint32_t count = 0;
  VkResult result;

  result = vkEnumeratePhysicalDevices (instance, &count, NULL);
  if (result != VK_SUCCESS || count == 0)
    {
      g_debug ("vkEnumeratePhysicalDevices: %s, %u devices", _sc_vk_result_name (result), count);
      set_no_vulkan_error (error);
      return FALSE;
    }
  handles = g_array_sized_new (FALSE, TRUE, sizeof (VkPhysicalDevice), count);
  g_array_set_size (handles, count);
  result = vkEnumeratePhysicalDevices (instance, &count, (VkPhysicalDevice *) handles->data);
  if (result < 0 || count == 0)
    {
      g_debug ("vkEnumeratePhysicalDevices: %s, %u devices", _sc_vk_result_name (result), count);
      set_no_vulkan_error (error);
      return FALSE;
    }
  g_array_set_size (handles, count);

  infos = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_vk_device_info_free);
  for (guint i = 0; i < count; i++)
    g_ptr_array_add (infos, query_device_info (g_array_index (handles, VkPhysicalDevice, i), i));

  *out_infos = g_steal_pointer (&infos);
  if (out_handles != NULL)
    *out_handles = g_steal_pointer (&handles);
  return TRUE;
}

GPtrArray *
sc_vk_enumerate_devices (GError **error)
{
  ScVkInstance inst;
  GPtrArray *infos = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_sc_vk_instance_init (&inst, NULL, error))
    return NULL;
  _sc_vk_instance_enumerate (inst.instance, &infos, NULL, error);
  _sc_vk_instance_clear (&inst);
  return infos;
}

/* ================================================================ selection */

const char *
sc_vk_resolve_selector (const char *selector)
{
  if (selector == NULL || g_ascii_strcasecmp (selector, "auto") == 0)
    {
      const char *env = g_getenv ("SICHTUNG_DEVICE");

      if (env != NULL && *env != '\0')
        return env;
      return "auto";
    }
  return selector;
}

static int
device_type_rank (ScVkDeviceType type)
{
  switch (type)
    {
    case SC_VK_DEVICE_TYPE_DISCRETE:
      return 0;
    case SC_VK_DEVICE_TYPE_INTEGRATED:
      return 1;
    case SC_VK_DEVICE_TYPE_VIRTUAL:
      return 2;
    case SC_VK_DEVICE_TYPE_CPU:
      return 3;
    case SC_VK_DEVICE_TYPE_OTHER:
    default:
      return 4;
    }
}

/* Whether @a is a better automatic choice than @b (NULL: anything is better). */
static gboolean
device_better (const ScVkDeviceInfo *a,
               const ScVkDeviceInfo *b)
{
  int rank_a, rank_b;

  if (b == NULL)
    return TRUE;
  rank_a = device_type_rank (a->type);
  rank_b = device_type_rank (b->type);
  if (rank_a != rank_b)
    return rank_a < rank_b;
  return a->device_local_memory_bytes > b->device_local_memory_bytes;
}

static gboolean
select_checked (const ScVkDeviceInfo *info,
                guint                *out_index,
                GError              **error)
{
  if (!info->supported)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NO_DEVICE,
                   _("The Vulkan device “%s” cannot be used: it lacks Vulkan 1.2 or compute "
                     "support"), info->name);
      return FALSE;
    }
  if (out_index != NULL)
    *out_index = info->index;
  return TRUE;
}

gboolean
sc_vk_select_device (GPtrArray  *devices,
                     const char *selector,
                     guint      *out_index,
                     GError    **error)
{
  const ScVkDeviceInfo *best = NULL;
  g_autofree char *folded = NULL;
  guint64 number;

  g_return_val_if_fail (devices != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  selector = sc_vk_resolve_selector (selector);

  if (g_ascii_strcasecmp (selector, "cpu") == 0)
    {
      g_set_error_literal (error, SC_ERROR, SC_ERROR_NO_DEVICE,
                           _("Vulkan is switched off (device “cpu”); computations run on the "
                             "CPU"));
      return FALSE;
    }

  if (g_ascii_strcasecmp (selector, "auto") == 0)
    {
      for (guint i = 0; i < devices->len; i++)
        {
          const ScVkDeviceInfo *info = g_ptr_array_index (devices, i);

          if (info->supported && device_better (info, best))
            best = info;
        }
      if (best == NULL)
        {
          if (devices->len == 0)
            set_no_vulkan_error (error);
          else
            g_set_error_literal (error, SC_ERROR, SC_ERROR_NO_DEVICE,
                                 _("No Vulkan device supports Vulkan 1.2 compute; computations "
                                   "run on the CPU"));
          return FALSE;
        }
      return select_checked (best, out_index, error);
    }

  /* A number in range is an index; otherwise it may still be part of a name ("580"). */
  if (g_ascii_string_to_unsigned (selector, 10, 0, G_MAXUINT, &number, NULL) &&
      number < devices->len)
    return select_checked (g_ptr_array_index (devices, number), out_index, error);

  folded = g_utf8_casefold (selector, -1);
  for (guint i = 0; i < devices->len; i++)
    {
      const ScVkDeviceInfo *info = g_ptr_array_index (devices, i);
      g_autofree char *name = g_utf8_casefold (info->name, -1);

      if (strstr (name, folded) != NULL)
        return select_checked (info, out_index, error);
    }

  if (devices->len == 0)
    g_set_error (error, SC_ERROR, SC_ERROR_NO_DEVICE,
                 _("No Vulkan device matches “%s”: this computer has no usable Vulkan device"),
                 selector);
  else
    g_set_error (error, SC_ERROR, SC_ERROR_NO_DEVICE, _("No Vulkan device matches “%s”"),
                 selector);
  return FALSE;
}
