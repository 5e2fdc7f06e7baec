/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-vulkan.h: Vulkan plumbing for the compute engine — device enumeration and selection, one
 * context per device (queue, command pool, pipeline cache), storage buffers, lazily built compute
 * pipelines and a synchronous dispatch helper.
 *
 * A context is not thread-safe: use it from one thread at a time (ScBackend serialises calls).
 * Environment:
 *   SICHTUNG_DEVICE=SELECTOR        overrides a NULL or "auto" selector (see sc_vk_select_device)
 *   SICHTUNG_VULKAN_VALIDATE=1      enables the Khronos validation layer when it is installed
 *   SICHTUNG_VULKAN_MAX_BUFFER=N    pretends maxStorageBufferRange is at most N bytes (tests use
 *                                   it to exercise weights split over several buffers)
 *   SICHTUNG_VULKAN_DISABLE=LIST    comma-separated device features not to use, so that tests
 *                                   cover the fallbacks: fp16-storage, subgroup,
 *                                   push-descriptor, host-visible (stage every upload) */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* ---------------------------------------------------------------- devices */

typedef enum
{
  SC_VK_DEVICE_TYPE_DISCRETE,
  SC_VK_DEVICE_TYPE_INTEGRATED,
  SC_VK_DEVICE_TYPE_VIRTUAL,
  SC_VK_DEVICE_TYPE_CPU,       /* a software rasteriser such as Mesa lavapipe */
  SC_VK_DEVICE_TYPE_OTHER,
} ScVkDeviceType;

typedef struct
{
  guint           index;                      /* position in the Vulkan enumeration */
  char           *name;
  ScVkDeviceType  type;
  guint32         vendor_id;
  guint32         device_id;
  char           *driver_name;                /* "" when the driver does not say */
  char           *driver_info;
  char           *api_version;                /* "1.3.230" */
  guint64         device_local_memory_bytes;  /* sum of the device-local heaps */
  guint64         max_storage_buffer_range;
  guint64         max_memory_allocation_size;
  guint32         max_workgroup_count_x;
  guint32         max_workgroup_size_x;
  guint32         subgroup_size;              /* 0 when unknown */
  guint64         min_storage_buffer_offset_alignment;
  gboolean        supported;                  /* Vulkan >= 1.2 with a compute queue */
  gboolean        shader_float16;
  gboolean        storage_buffer_16bit_access;
  gboolean        shader_int8;
  gboolean        integer_dot_product;
  gboolean        subgroup_arithmetic;        /* in compute shaders */
  gboolean        push_descriptor;            /* VK_KHR_push_descriptor */
} ScVkDeviceInfo;

void            sc_vk_device_info_free     (ScVkDeviceInfo *info);
ScVkDeviceInfo *sc_vk_device_info_copy     (const ScVkDeviceInfo *info);
/* "discrete", "integrated", "virtual", "cpu" or "other". */
const char     *sc_vk_device_type_to_string (ScVkDeviceType type);

/* Lists the Vulkan devices in enumeration order as a non-empty array of ScVkDeviceInfo (owned
 * by the array). Without a loader, driver or device: NULL and SC_ERROR_NO_DEVICE. */
GPtrArray      *sc_vk_enumerate_devices    (GError **error);

/* The selector actually in effect: $SICHTUNG_DEVICE when @selector is NULL or "auto" and the
 * variable is set, else @selector ("auto" for NULL). */
const char     *sc_vk_resolve_selector     (const char *selector);

/* Picks a device from @devices (as returned by sc_vk_enumerate_devices()):
 *   NULL / "auto"  the best supported device: discrete > integrated > virtual > CPU > other
 *                  ($SICHTUNG_DEVICE overrides, see sc_vk_resolve_selector())
 *   "cpu"          no Vulkan at all: fails with SC_ERROR_NO_DEVICE
 *   "2"            the device at that enumeration index
 *   anything else  the first device whose name contains it, ignoring case
 * Fails with SC_ERROR_NO_DEVICE when nothing (supported) matches. */
gboolean        sc_vk_select_device        (GPtrArray  *devices,
                                            const char *selector,
                                            guint      *out_index,
                                            GError    **error);

/* ---------------------------------------------------------------- shaders */

/* The embedded compute shaders; one per shaders/NAME.comp. */
typedef enum
{
  SC_VK_SHADER_ADD,  /* bindings: a, b (read), c (write); push: ScVkElementwisePush */
  SC_VK_N_SHADERS
} ScVkShader;

/* Specialisation constant ids shared by all shaders (see shaders/common.glsl). */
enum
{
  SC_VK_SPEC_LOCAL_SIZE_X = 0,
};

#define SC_VK_MAX_SPEC_CONSTANTS 8
#define SC_VK_MAX_BINDINGS 8

/* Push constants of the one-dimensional element-wise ops; mirrors ElementwisePush in
 * shaders/elementwise.glsl. */
typedef struct
{
  guint32 n;  /* number of elements in this dispatch */
} ScVkElementwisePush;

_Static_assert (sizeof (ScVkElementwisePush) == 4, "ScVkElementwisePush must match the GLSL block");

/* ---------------------------------------------------------------- context */

typedef struct _ScVkContext ScVkContext;
typedef struct _ScVkBuffer ScVkBuffer;

/* Creates an instance and a logical device for the device @selector picks (see
 * sc_vk_select_device()). SC_ERROR_NO_DEVICE when Vulkan is absent, switched off or nothing
 * matches; SC_ERROR_DEVICE when a Vulkan call fails. */
ScVkContext          *sc_vk_context_new                         (const char  *selector,
                                                                 GError     **error);
/* Saves the pipeline cache and destroys everything. Free all buffers of the context first. */
void                  sc_vk_context_free                        (ScVkContext *context);

const ScVkDeviceInfo *sc_vk_context_get_device_info             (ScVkContext *context);
/* Whether the Khronos validation layer is active ($SICHTUNG_VULKAN_VALIDATE=1 and installed). */
gboolean              sc_vk_context_is_validating               (ScVkContext *context);
/* The number of validation errors and warnings reported so far (0 without validation). */
guint                 sc_vk_context_get_validation_message_count (ScVkContext *context);
/* Where the pipeline cache is saved; NULL when it is not. */
const char           *sc_vk_context_get_pipeline_cache_path     (ScVkContext *context);

/* Records @shader over @buffers (bound to 0, 1, … of set 0), with @push_data as its push
 * constants and @spec_constants[i] as specialisation constant i, dispatches
 * @groups_x × @groups_y × @groups_z workgroups, submits and waits until the results are visible
 * to the host. The pipeline is built on first use of each (shader, constants) pair. */
gboolean              sc_vk_context_dispatch                    (ScVkContext    *context,
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
                                                                 GError        **error);

/* Counters since the context was created, for tests and tools/bench: queue submissions,
 * dispatches and compute-to-compute barriers recorded. */
void                  sc_vk_context_get_counters                (ScVkContext *context,
                                                                 guint64     *submissions,
                                                                 guint64     *dispatches,
                                                                 guint64     *barriers);

/* The context of a Vulkan backend (sc_backend_vulkan_new()); owned by the backend. */
struct _ScBackend;
ScVkContext          *sc_backend_vulkan_get_context             (struct _ScBackend *backend);

/* A storage buffer of at least @size bytes, persistently mapped and host-coherent (device-local
 * memory where the device has host-visible device-local memory). Fails with
 * SC_ERROR_INVALID_ARGUMENT past the device's limits, SC_ERROR_DEVICE when Vulkan fails. */
ScVkBuffer           *sc_vk_buffer_new                          (ScVkContext *context,
                                                                 gsize        size,
                                                                 GError     **error);
void                  sc_vk_buffer_free                         (ScVkBuffer  *buffer);
gpointer              sc_vk_buffer_get_data                     (ScVkBuffer  *buffer);
gsize                 sc_vk_buffer_get_size                     (ScVkBuffer  *buffer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScVkDeviceInfo, sc_vk_device_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScVkContext, sc_vk_context_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScVkBuffer, sc_vk_buffer_free)

G_END_DECLS
