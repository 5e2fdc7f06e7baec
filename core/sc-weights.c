/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-weights.c: metadata counts and shape-checked weights for the model loaders (see
 * sc-weights-private.h). */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "sc-error.h"
#include "sc-weights-private.h"

gboolean
_sc_gguf_get_count (ScGguf      *gguf,
                    const char  *key,
                    gboolean     required,
                    guint        fallback,
                    guint       *value,
                    GError     **error)
{
  guint64 v = 0;

  if (!sc_gguf_has_key (gguf, key))
    {
      if (required)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                       _("The model file lacks the metadata key “%s”"), key);
          return FALSE;
        }
      *value = fallback;
      return TRUE;
    }
  if (!sc_gguf_get_uint (gguf, key, &v, error))
    return FALSE;
  if (v > G_MAXINT32)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The metadata key “%s” holds an implausible value "
                     "(%" PRIu64 ")"),
                   key, (guint64) v);
      return FALSE;
    }
  *value = (guint) v;
  return TRUE;
}

char *
_sc_format_shape (const gint64 *ne,
                  guint         n_dims)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; i < n_dims; i++)
    g_string_append_printf (s, i > 0 ? ", %" G_GINT64_FORMAT : "%" G_GINT64_FORMAT, ne[i]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

ScTensor *
_sc_weight_to_f32 (ScBackend           *backend,
                   const ScGgufTensor  *src,
                   gint64               n,
                   GError             **error)
{
  g_autofree float *values = NULL;
  gsize size = 0;
  ScTensor *t;

  if (!sc_tensor_type_is_supported (src->type))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   _("Tensor “%s” has the unsupported type %s"), src->name,
                   sc_tensor_type_name (src->type));
      return NULL;
    }
  if (!sc_tensor_row_size (src->type, n, &size, error))
    return NULL;
  values = g_new (float, n);
  sc_dequantize_row (src->type, src->data, values, n);
  if (n == src->n_elements)
    t = sc_backend_tensor_new (backend, SC_TENSOR_TYPE_F32, src->ne[0], src->ne[1], src->ne[2],
                               src->ne[3], src->name, error);
  else
    t = sc_backend_tensor_new (backend, SC_TENSOR_TYPE_F32, n, 1, 1, 1, src->name, error);
  if (t == NULL)
    return NULL;
  if (!sc_backend_tensor_set (backend, t, values, 0, t->n_bytes, error))
    {
      sc_backend_tensor_free (backend, t);
      return NULL;
    }
  return t;
}

gboolean
_sc_weight_load (ScBackend           *backend,
                 ScGguf              *gguf,
                 const char          *name,
                 gint64               ne0,
                 gint64               ne1,
                 gboolean             optional,
                 gboolean             want_f32,
                 ScTensor           **out,
                 const ScGgufTensor **src_out,
                 GError             **error)
{
  const ScGgufTensor *src = sc_gguf_find_tensor (gguf, name);
  ScTensor *t;

  *out = NULL;
  if (src_out != NULL)
    *src_out = src;
  if (src == NULL)
    {
      if (optional)
        return TRUE;
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model file lacks the tensor “%s”"), name);
      return FALSE;
    }
  if (src->ne[0] != ne0 || (ne1 > 0 && src->ne[1] != ne1) || src->ne[2] != 1 || src->ne[3] != 1)
    {
      gint64 want[2] = { ne0, ne1 };
      g_autofree char *have_s = _sc_format_shape (src->ne, src->n_dims);
      g_autofree char *want_s = _sc_format_shape (want, ne1 == 1 ? 1 : 2);

      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("Tensor “%s” has the shape %s, expected %s"), name, have_s, want_s);
      return FALSE;
    }
  if (want_f32 && src->type != SC_TENSOR_TYPE_F32)
    t = _sc_weight_to_f32 (backend, src, src->n_elements, error);
  else
    t = sc_backend_tensor_from_gguf (backend, src, error);
  if (t == NULL)
    {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  *out = t;
  return TRUE;
}
