/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-backend.h: ScBackend, the one interface both compute backends implement — the scalar CPU
 * reference (sc-backend-cpu.c) and Vulkan (sc-backend-vulkan.c). Callers pick one with
 * sc_backend_new() and never look at which; tests compare the two op by op.
 *
 * Backends are safe to call from several threads (the Vulkan one serialises its device use);
 * buffers passed to an op are host memory and stay owned by the caller. */
#pragma once

#include <glib-object.h>

#include "sc-gguf.h"
#include "sc-graph.h"

G_BEGIN_DECLS

#define SC_TYPE_BACKEND (sc_backend_get_type ())
G_DECLARE_DERIVABLE_TYPE (ScBackend, sc_backend, SC, BACKEND, GObject)

struct _ScBackendClass
{
  GObjectClass parent_class;

  /*< public >*/
  const char *(*get_name)               (ScBackend   *backend);
  const char *(*get_device_description) (ScBackend   *backend);
  /* Called with n > 0 and valid pointers; @out may alias @a or @b. */
  gboolean    (*add_f32)                (ScBackend   *backend,
                                         const float *a,
                                         const float *b,
                                         float       *out,
                                         gsize        n,
                                         GError     **error);

  /* Tensors and graphs (see sc-graph.h and the public wrappers below). */
  ScTensor   *(*tensor_from_gguf)       (ScBackend          *backend,
                                         const ScGgufTensor *source,
                                         GError            **error);
  ScTensor   *(*tensor_new)             (ScBackend          *backend,
                                         ScTensorType        type,
                                         const gint64       *ne,
                                         const char         *name,
                                         GError            **error);
  void        (*tensor_free)            (ScBackend          *backend,
                                         ScTensor           *tensor);
  gboolean    (*tensor_set)             (ScBackend          *backend,
                                         ScTensor           *tensor,
                                         const void         *data,
                                         gsize               offset,
                                         gsize               size,
                                         GError            **error);
  gboolean    (*tensor_get)             (ScBackend          *backend,
                                         ScTensor           *tensor,
                                         void               *data,
                                         gsize               offset,
                                         gsize               size,
                                         GError            **error);
  gboolean    (*compute)                (ScBackend          *backend,
                                         ScGraph            *graph,
                                         GError            **error);

  /*< private >*/
  gpointer padding[6];
};

/* Chooses a backend from @selector:
 *   "cpu"          the CPU backend
 *   NULL / "auto"  Vulkan on the best device ($SICHTUNG_DEVICE overrides, see sc-vulkan.h);
 *                  when Vulkan cannot be used, the CPU backend, with a sentence for the user
 *                  saying so in @fallback_message (set to NULL otherwise)
 *   anything else  Vulkan on the device it selects (an index or part of a name); failing
 *                  that, an error (SC_ERROR_NO_DEVICE or SC_ERROR_DEVICE), no fallback */
ScBackend  *sc_backend_new                    (const char  *selector,
                                               char       **fallback_message,
                                               GError     **error);

/* "cpu" or "vulkan". */
const char *sc_backend_get_name               (ScBackend   *backend);
/* For people: "llvmpipe (LLVM 15.0.6, 256 bits), Mesa 22.3.6 (LLVM 15.0.6)" or "CPU". */
const char *sc_backend_get_device_description (ScBackend   *backend);

/* out[i] = a[i] + b[i] for i < @n (IEEE single precision, so exact across backends). @out may
 * alias @a or @b. */
gboolean    sc_backend_add_f32                (ScBackend   *backend,
                                               const float *a,
                                               const float *b,
                                               float       *out,
                                               gsize        n,
                                               GError     **error);

/* ---------------------------------------------------------------- tensors and graphs */

/* A WEIGHT tensor for @source. The CPU backend uses the mapped file in place (the ScGguf must
 * outlive the tensor); Vulkan copies to device memory. Unsupported types: SC_ERROR_NOT_SUPPORTED. */
ScTensor   *sc_backend_tensor_from_gguf       (ScBackend          *backend,
                                               const ScGgufTensor *source,
                                               GError            **error);
/* A zero-filled PERSISTENT tensor (KV caches, inputs such as token ids, positions, masks). */
ScTensor   *sc_backend_tensor_new             (ScBackend          *backend,
                                               ScTensorType        type,
                                               gint64              ne0,
                                               gint64              ne1,
                                               gint64              ne2,
                                               gint64              ne3,
                                               const char         *name,
                                               GError            **error);
void        sc_backend_tensor_free            (ScBackend          *backend,
                                               ScTensor           *tensor);
/* Copies @size bytes at byte @offset into or out of a PERSISTENT tensor, or out of an
 * intermediate marked as output after the graph that made it was computed (valid until the
 * next compute on this backend). */
gboolean    sc_backend_tensor_set             (ScBackend          *backend,
                                               ScTensor           *tensor,
                                               const void         *data,
                                               gsize               offset,
                                               gsize               size,
                                               GError            **error);
gboolean    sc_backend_tensor_get             (ScBackend          *backend,
                                               ScTensor           *tensor,
                                               void               *data,
                                               gsize               offset,
                                               gsize               size,
                                               GError            **error);
/* Runs every op of @graph. Blocks until the results are available. */
gboolean    sc_backend_compute                (ScBackend          *backend,
                                               ScGraph            *graph,
                                               GError            **error);

/* ---------------------------------------------------------------- implementations */

#define SC_TYPE_BACKEND_CPU (sc_backend_cpu_get_type ())
G_DECLARE_FINAL_TYPE (ScBackendCpu, sc_backend_cpu, SC, BACKEND_CPU, ScBackend)

ScBackend  *sc_backend_cpu_new                (void);
/* Threads used by compute (default: the number of CPU cores). */
void        sc_backend_cpu_set_n_threads      (ScBackendCpu *self,
                                               int           n_threads);
int         sc_backend_cpu_get_n_threads      (ScBackendCpu *self);

#define SC_TYPE_BACKEND_VULKAN (sc_backend_vulkan_get_type ())
G_DECLARE_FINAL_TYPE (ScBackendVulkan, sc_backend_vulkan, SC, BACKEND_VULKAN, ScBackend)

/* Vulkan on the device @selector picks (see sc_vk_select_device()); no CPU fallback. */
ScBackend  *sc_backend_vulkan_new             (const char  *selector,
                                               GError     **error);

G_END_DECLS
