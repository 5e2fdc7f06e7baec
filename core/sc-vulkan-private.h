/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-vulkan-private.h: what sc-vulkan.c (the context), sc-vulkan-device.c (instance,
 * enumeration, selection), sc-vulkan-ops.c (recording graph ops) and sc-backend-vulkan.c
 * share; not part of the core API. */
#pragma once

#include <vulkan/vulkan.h>

#include "sc-graph.h"
#include "sc-vulkan.h"

G_BEGIN_DECLS

/* The device version our SPIR-V (--target-env=vulkan1.2) and the instance ask for. */
#define SC_VK_REQUIRED_API_VERSION VK_API_VERSION_1_2

typedef struct
{
  VkInstance               instance;
  VkDebugUtilsMessengerEXT messenger;
  gboolean                 validating;
} ScVkInstance;

const char *_sc_vk_result_name                (VkResult          result);
/* Turns a failed Vulkan call into SC_ERROR_DEVICE naming @function; TRUE on success. */
gboolean    _sc_vk_check                      (VkResult          result,
                                               const char       *function,
                                               GError          **error);
/* SC_VK_TRY (vkCreateFence, (device, &info, NULL, &fence), error) */
#define SC_VK_TRY(function, args, error) _sc_vk_check (function args, #function, error)

/* The set of device extension names of @device (keys only). */
GHashTable *_sc_vk_device_extensions          (VkPhysicalDevice  device);
/* A queue family that runs compute work, preferring compute-only; -1 if there is none. */
int         _sc_vk_find_compute_queue_family  (VkPhysicalDevice  device);

/* Creates a Vulkan 1.2 instance without surface extensions. With @validation_count, the Khronos
 * validation layer is enabled when $SICHTUNG_VULKAN_VALIDATE asks for it and it is installed;
 * its errors and warnings are counted (atomically) there. Any failure is SC_ERROR_NO_DEVICE. */
gboolean    _sc_vk_instance_init              (ScVkInstance     *inst,
                                               gint             *validation_count,
                                               GError          **error);
void        _sc_vk_instance_clear             (ScVkInstance     *inst);
/* Fills @out_infos (ScVkDeviceInfo) and, unless NULL, @out_handles (VkPhysicalDevice) in
 * enumeration order; SC_ERROR_NO_DEVICE when there is no device at all. */
gboolean    _sc_vk_instance_enumerate         (VkInstance        instance,
                                               GPtrArray       **out_infos,
                                               GArray          **out_handles,
                                               GError          **error);

/* ---------------------------------------------------------------- context limits */

/* What the context decided to use, after $SICHTUNG_VULKAN_DISABLE and $SICHTUNG_VULKAN_MAX_BUFFER
 * (see sc-vulkan.h). */
typedef struct
{
  gboolean fp16_storage;         /* storageBuffer16BitAccess enabled: *_fp16s shader variants */
  gboolean subgroup_arithmetic;  /* *_subgroup shader variants */
  gboolean push_descriptors;     /* VK_KHR_push_descriptor enabled */
  gboolean host_visible;         /* device buffers are mapped (UMA, lavapipe); else staging */
  gsize    storage_alignment;    /* minStorageBufferOffsetAlignment, a power of two */
  guint64  max_binding_range;    /* bytes one storage-buffer binding may cover */
  guint64  max_buffer_size;      /* bytes one buffer (one allocation) may hold */
  guint32  max_groups[3];        /* maxComputeWorkGroupCount */
  guint32  max_local_size_x;
} ScVkLimits;

const ScVkLimits *_sc_vk_context_get_limits (ScVkContext *context);

/* ---------------------------------------------------------------- device buffers */

/* A storage buffer in device-local memory (host-mapped only where the device's device-local
 * memory is host-visible and coherent and staging is not forced). @size may exceed
 * max_binding_range, up to max_buffer_size; bindings then cover parts of it. */
ScVkBuffer *_sc_vk_buffer_new_device   (ScVkContext *context,
                                        gsize        size,
                                        GError     **error);
/* Host ↔ buffer copies: a memcpy when the buffer is mapped, else through a staging buffer and a
 * transfer submission the call waits for. */
gboolean    _sc_vk_buffer_write        (ScVkBuffer  *buffer,
                                        gsize        offset,
                                        const void  *data,
                                        gsize        size,
                                        GError     **error);
gboolean    _sc_vk_buffer_read         (ScVkBuffer  *buffer,
                                        gsize        offset,
                                        void        *data,
                                        gsize        size,
                                        GError     **error);
gboolean    _sc_vk_buffer_zero         (ScVkBuffer  *buffer,
                                        GError     **error);

/* ---------------------------------------------------------------- recording */

/* How a dispatch uses a binding. CONSTANT (weights) is read-only for the whole recording and
 * needs no hazard tracking. */
typedef enum
{
  SC_VK_ACCESS_READ = 1 << 0,
  SC_VK_ACCESS_WRITE = 1 << 1,
  SC_VK_ACCESS_CONSTANT = 1 << 2,
} ScVkAccess;

typedef struct
{
  ScVkBuffer *buffer;
  gsize       offset;  /* a multiple of ScVkLimits.storage_alignment */
  gsize       range;   /* bytes from @offset the shader may touch; <= max_binding_range */
  ScVkAccess  access;
} ScVkBinding;

typedef struct _ScVkRecording ScVkRecording;

/* Starts recording into the context's command buffer; one recording at a time. */
ScVkRecording *_sc_vk_recording_begin    (ScVkContext        *context,
                                          GError            **error);
/* Records one dispatch of the shader variant @shader (a name from shaders/meson.build). Before
 * it, a compute-to-compute memory barrier is recorded when, since the last barrier, an earlier
 * dispatch wrote a range this one reads or writes, or read a range this one writes; otherwise
 * the dispatches may overlap. On failure the recording must be discarded. */
gboolean       _sc_vk_recording_dispatch (ScVkRecording      *recording,
                                          const char         *shader,
                                          const guint32      *spec_constants,
                                          guint               n_spec_constants,
                                          const ScVkBinding  *bindings,
                                          guint               n_bindings,
                                          const void         *push_data,
                                          gsize               push_size,
                                          guint32             groups_x,
                                          guint32             groups_y,
                                          guint32             groups_z,
                                          GError            **error);
/* Ends, submits, waits for the fence and frees @recording; its writes are then visible to the
 * host and to later recordings and transfers. */
gboolean       _sc_vk_recording_submit   (ScVkRecording      *recording,
                                          GError            **error);
void           _sc_vk_recording_discard  (ScVkRecording      *recording);

/* ---------------------------------------------------------------- profiling (sc-vulkan-profile.c)
 *
 * With $SICHTUNG_VULKAN_PROFILE set (and not "0"), each recording times its dispatches with
 * timestamp queries (where the queue has them) and the host times recording and waiting; the
 * totals per shader variant are printed to stderr when the profile is freed. */

typedef struct _ScVkProfile ScVkProfile;

/* NULL unless $SICHTUNG_VULKAN_PROFILE asks for profiling. */
ScVkProfile *_sc_vk_profile_new       (VkDevice                          device,
                                       VkPhysicalDevice                  physical_device,
                                       const VkPhysicalDeviceProperties *properties,
                                       guint32                           queue_family);
/* Right after vkBeginCommandBuffer() of a recording. */
void         _sc_vk_profile_begin     (ScVkProfile     *profile,
                                       VkCommandBuffer  cmd);
/* Right after each vkCmdDispatch(); @label names the shader variant. */
void         _sc_vk_profile_mark      (ScVkProfile     *profile,
                                       VkCommandBuffer  cmd,
                                       const char      *label);
/* Just before the recording is submitted, and once its fence has signalled. */
void         _sc_vk_profile_submitted (ScVkProfile     *profile);
void         _sc_vk_profile_collect   (ScVkProfile     *profile);
/* Prints the table and frees @profile (NULL is fine). */
void         _sc_vk_profile_free      (ScVkProfile     *profile);

/* Specialisation constants of particular shaders, past the shared ones of sc-vulkan.h (ids 1
 * and 2 stay reserved for the workgroup's y and z sizes). */
enum
{
  SC_VK_SPEC_MATVEC_ROWS = 3,  /* mul_mat_vec: rows of w per workgroup */
  SC_VK_SPEC_MATVEC_COLS = 4,  /* mul_mat_vec: columns of x, N */
  SC_VK_SPEC_MATVEC_LANE_ROWS = 5,  /* mul_mat_vec: whole rows per invocation */
  SC_VK_SPEC_MATVEC_X_VEC4 = 6,  /* mul_mat_vec: x loaded as vec4s (columns aligned to 4) */
  SC_VK_SPEC_MATVEC_W_VEC4 = 7,  /* mul_mat_vec: float weights four at a time */
  SC_VK_SPEC_ATTENTION_LANE_QUERIES = 5,  /* attention: one token per invocation */
};

/* ---------------------------------------------------------------- push constants
 *
 * Each mirrors the structure of the same name without "ScVk" in shaders/push.glsl. */

typedef struct
{
  guint32 n, nb, off_a, off_b, off_d;
  float   f;
  guint32 pad0, pad1;
} ScVkEltPush;

typedef struct
{
  guint32 ne0, n_rows, off_a, off_d, off_w, off_b, w_rows, b_rows;
  float   f;
  guint32 pad0, pad1, pad2;
} ScVkRowPush;

typedef struct
{
  guint32 ne0, ne1, ne2, n_rot, mode, off_a, off_pos, off_d;
  float   freq_base, freq_scale;
  guint32 pad0, pad1;
} ScVkRopePush;

typedef struct
{
  guint32 ne0, n_ids, row_bytes, off_t_byte, off_ids, off_d, row_begin, row_count;
} ScVkGetRowsPush;

typedef struct
{
  guint32 k, m_count, n, row_bytes, off_w_byte, off_x, x_stride, off_d, d_stride, m0;
  guint32 pad0, pad1;
} ScVkMatmulPush;

typedef struct
{
  guint32 d, n_head, n_head_kv, n_tokens, n_kv, causal, pos0, off_q, off_k, off_v, off_mask;
  guint32 mask_stride, off_d, kv_stride;
  float   scale;
  guint32 pad0;
} ScVkAttentionPush;

typedef struct
{
  guint32 n, off_a, off_d, pad0;
} ScVkCopyPush;

_Static_assert (sizeof (ScVkEltPush) == 32, "ScVkEltPush must match EltPush in push.glsl");
_Static_assert (sizeof (ScVkRowPush) == 48, "ScVkRowPush must match RowPush in push.glsl");
_Static_assert (sizeof (ScVkRopePush) == 48, "ScVkRopePush must match RopePush in push.glsl");
_Static_assert (sizeof (ScVkGetRowsPush) == 32,
                "ScVkGetRowsPush must match GetRowsPush in push.glsl");
_Static_assert (sizeof (ScVkMatmulPush) == 48,
                "ScVkMatmulPush must match MatmulPush in push.glsl");
_Static_assert (sizeof (ScVkAttentionPush) == 64,
                "ScVkAttentionPush must match AttentionPush in push.glsl");
_Static_assert (sizeof (ScVkCopyPush) == 16, "ScVkCopyPush must match CopyPush in push.glsl");

/* ---------------------------------------------------------------- graph ops (sc-vulkan-ops.c) */

/* Where a tensor's bytes live on the device. A weight larger than one binding is split by rows
 * into chunks, each its own buffer; everything else is one chunk. */
typedef struct
{
  ScVkBuffer *buffer;
  gsize       offset;     /* byte offset of the chunk's first row in @buffer */
  gint64      row_begin;  /* rows [row_begin, row_begin + n_rows) of the tensor */
  gint64      n_rows;
} ScVkChunk;

typedef struct
{
  ScVkContext *context;  /* whose buffers these are */
  guint        n_chunks;
  ScVkChunk    chunks[];
} ScVkStorage;

/* Records @op. Intermediates resolve to @arena at their planned offsets; weights and persistent
 * tensors to the ScVkStorage in their backend_priv. SC_ERROR_NOT_SUPPORTED for shapes beyond
 * what the shaders handle (e.g. attention with D > 256). */
gboolean _sc_vk_record_op (ScVkRecording *recording,
                           ScVkContext   *context,
                           ScVkBuffer    *arena,
                           const ScOp    *op,
                           GError       **error);

G_END_DECLS
