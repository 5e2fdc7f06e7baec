/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-backend.c: the ScBackend base class and sc_backend_new(), which picks a backend and falls
 * back to the CPU when Vulkan cannot be used. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-backend.h"
#include "sc-error.h"
#include "sc-vulkan.h"

G_DEFINE_ABSTRACT_TYPE (ScBackend, sc_backend, G_TYPE_OBJECT)

static void
sc_backend_class_init (ScBackendClass *klass)
{
}

static void
sc_backend_init (ScBackend *self)
{
}

ScBackend *
sc_backend_new (const char  *selector,
                char       **fallback_message,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *effective;
  ScBackend *backend;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (fallback_message != NULL)
    *fallback_message = NULL;

  effective = sc_vk_resolve_selector (selector);
  if (g_ascii_strcasecmp (effective, "cpu") == 0)
    return sc_backend_cpu_new ();
  /* A device the user named (here or in $SICHTUNG_DEVICE) must not silently become the CPU. */
  if (g_ascii_strcasecmp (effective, "auto") != 0)
    return sc_backend_vulkan_new (effective, error);

  /* A Vulkan driver that runs on the CPU (Mesa lavapipe) computes on the same cores as the
   * CPU backend, only slower: "auto" takes it only when asked for by name or index. */
  {
    g_autoptr(GPtrArray) devices = sc_vk_enumerate_devices (NULL);
    guint index = 0;

    if (devices != NULL && sc_vk_select_device (devices, "auto", &index, NULL) &&
        ((ScVkDeviceInfo *) g_ptr_array_index (devices, index))->type == SC_VK_DEVICE_TYPE_CPU)
      {
        if (fallback_message != NULL)
          *fallback_message = g_strdup_printf (_("The only Vulkan device, %s, runs on the "
                                                 "processor; computations use Sichtung’s own "
                                                 "CPU backend, which is faster there"),
                                               ((ScVkDeviceInfo *) g_ptr_array_index (devices, index))->name);
        return sc_backend_cpu_new ();
      }
  }

  backend = sc_backend_vulkan_new ("auto", &local_error);
  if (backend != NULL)
    return backend;

  g_debug ("Falling back to the CPU backend: %s", local_error->message);
  if (fallback_message != NULL)
    {
      /* The NO_DEVICE messages already say that the CPU takes over. */
      if (g_error_matches (local_error, SC_ERROR, SC_ERROR_NO_DEVICE))
        *fallback_message = g_strdup (local_error->message);
      else
        *fallback_message = g_strdup_printf (_("The Vulkan device could not be used, so "
                                               "computations run on the CPU (%s)"),
                                             local_error->message);
    }
  return sc_backend_cpu_new ();
}

const char *
sc_backend_get_name (ScBackend *backend)
{
  g_return_val_if_fail (SC_IS_BACKEND (backend), NULL);

  return SC_BACKEND_GET_CLASS (backend)->get_name (backend);
}

const char *
sc_backend_get_device_description (ScBackend *backend)
{
  g_return_val_if_fail (SC_IS_BACKEND (backend), NULL);

  return SC_BACKEND_GET_CLASS (backend)->get_device_description (backend);
}

gboolean
sc_backend_add_f32 (ScBackend   *backend,
                    const float *a,
                    const float *b,
                    float       *out,
                    gsize        n,
                    GError     **error)
{
  ScBackendClass *klass;

  g_return_val_if_fail (SC_IS_BACKEND (backend), FALSE);
  g_return_val_if_fail (n == 0 || (a != NULL && b != NULL && out != NULL), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n == 0)
    return TRUE;

  klass = SC_BACKEND_GET_CLASS (backend);
  if (klass->add_f32 == NULL)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   _("The %s backend cannot add vectors"), sc_backend_get_name (backend));
      return FALSE;
    }
  return klass->add_f32 (backend, a, b, out, n, error);
}

/* ---------------------------------------------------------------- tensors and graphs */

#define CALL_VFUNC(name, fallback, ...)                                                      \
  G_STMT_START                                                                                \
  {                                                                                           \
    ScBackendClass *klass = SC_BACKEND_GET_CLASS (backend);                                   \
    if (klass->name == NULL)                                                                  \
      {                                                                                       \
        g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,                                 \
                     "The %s backend cannot run %s", sc_backend_get_name (backend), #name);   \
        return fallback;                                                                      \
      }                                                                                       \
    return klass->name (backend, __VA_ARGS__);                                                \
  }                                                                                           \
  G_STMT_END

ScTensor *
sc_backend_tensor_from_gguf (ScBackend          *backend,
                             const ScGgufTensor *source,
                             GError            **error)
{
  g_return_val_if_fail (SC_IS_BACKEND (backend), NULL);
  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  CALL_VFUNC (tensor_from_gguf, NULL, source, error);
}

ScTensor *
sc_backend_tensor_new (ScBackend    *backend,
                       ScTensorType  type,
                       gint64        ne0,
                       gint64        ne1,
                       gint64        ne2,
                       gint64        ne3,
                       const char   *name,
                       GError      **error)
{
  gint64 ne[SC_MAX_DIMS] = { ne0, ne1, ne2, ne3 };

  g_return_val_if_fail (SC_IS_BACKEND (backend), NULL);
  g_return_val_if_fail (ne0 > 0 && ne1 > 0 && ne2 > 0 && ne3 > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  CALL_VFUNC (tensor_new, NULL, type, ne, name, error);
}

void
sc_backend_tensor_free (ScBackend *backend,
                        ScTensor  *tensor)
{
  g_return_if_fail (SC_IS_BACKEND (backend));

  if (tensor == NULL)
    return;
  g_return_if_fail (tensor->kind != SC_TENSOR_INTERMEDIATE);
  SC_BACKEND_GET_CLASS (backend)->tensor_free (backend, tensor);
}

gboolean
sc_backend_tensor_set (ScBackend  *backend,
                       ScTensor   *tensor,
                       const void *data,
                       gsize       offset,
                       gsize       size,
                       GError    **error)
{
  g_return_val_if_fail (SC_IS_BACKEND (backend), FALSE);
  g_return_val_if_fail (tensor != NULL && (data != NULL || size == 0), FALSE);
  g_return_val_if_fail (tensor->kind == SC_TENSOR_PERSISTENT, FALSE);
  g_return_val_if_fail (offset <= tensor->n_bytes && size <= tensor->n_bytes - offset, FALSE);

  CALL_VFUNC (tensor_set, FALSE, tensor, data, offset, size, error);
}

gboolean
sc_backend_tensor_get (ScBackend *backend,
                       ScTensor  *tensor,
                       void      *data,
                       gsize      offset,
                       gsize      size,
                       GError   **error)
{
  g_return_val_if_fail (SC_IS_BACKEND (backend), FALSE);
  g_return_val_if_fail (tensor != NULL && (data != NULL || size == 0), FALSE);
  g_return_val_if_fail (tensor->kind != SC_TENSOR_INTERMEDIATE || tensor->is_output, FALSE);
  g_return_val_if_fail (offset <= tensor->n_bytes && size <= tensor->n_bytes - offset, FALSE);

  CALL_VFUNC (tensor_get, FALSE, tensor, data, offset, size, error);
}

gboolean
sc_backend_compute (ScBackend *backend,
                    ScGraph   *graph,
                    GError   **error)
{
  g_return_val_if_fail (SC_IS_BACKEND (backend), FALSE);
  g_return_val_if_fail (graph != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  CALL_VFUNC (compute, FALSE, graph, error);
}
