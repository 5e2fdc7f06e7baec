/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-test-gguf.c: a small GGUF writer for tests (see sc-test-gguf.h). */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <string.h>

#include "sc-test-gguf.h"
#include "sc-test-util.h"

#define GGUF_TYPE_STRING 8
#define GGUF_TYPE_ARRAY 9
#define MAX_DIMS_WRITTEN 8

typedef struct
{
  char       *key;
  guint32     type;
  GByteArray *value;
  gsize       key_offset;   /* in the last build */
  gsize       type_offset;
  gsize       value_offset;
} Kv;

typedef struct
{
  char       *name;
  guint32     type;
  guint       n_dims;
  gint64      ne[MAX_DIMS_WRITTEN];
  GByteArray *data;
  gboolean    offset_set;
  guint64     offset;       /* claimed, when offset_set */
  gsize       name_offset;  /* in the last build */
  gsize       n_dims_offset;
  gsize       ne_offset;
  gsize       type_offset;
  gsize       offset_offset;
} Tensor;

struct _ScTestGguf
{
  char      magic[4];
  guint32   version;
  gsize     alignment;
  gboolean  n_tensors_set;
  guint64   n_tensors;
  gboolean  n_kv_set;
  guint64   n_kv;
  GPtrArray *kvs;     /* Kv */
  GPtrArray *tensors; /* Tensor */
  gsize     data_offset; /* in the last build */
};

/* Bytes per value of GGUF value types 0..12 (0 for string and array). */
static const gsize value_sizes[] = { 1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8 };

static void
kv_free (gpointer data)
{
  Kv *kv = data;

  g_free (kv->key);
  g_byte_array_unref (kv->value);
  g_free (kv);
}

static void
tensor_free (gpointer data)
{
  Tensor *tensor = data;

  g_free (tensor->name);
  g_byte_array_unref (tensor->data);
  g_free (tensor);
}

ScTestGguf *
sc_test_gguf_new (guint32 version)
{
  ScTestGguf *writer = g_new0 (ScTestGguf, 1);

  memcpy (writer->magic, "GGUF", 4);
  writer->version = version;
  writer->alignment = 32;
  writer->kvs = g_ptr_array_new_with_free_func (kv_free);
  writer->tensors = g_ptr_array_new_with_free_func (tensor_free);
  return writer;
}

void
sc_test_gguf_free (ScTestGguf *writer)
{
  if (writer == NULL)
    return;
  g_ptr_array_unref (writer->kvs);
  g_ptr_array_unref (writer->tensors);
  g_free (writer);
}

void
sc_test_gguf_set_alignment (ScTestGguf *writer,
                            gsize       alignment)
{
  g_assert (alignment > 0);
  writer->alignment = alignment;
}

void
sc_test_gguf_set_magic (ScTestGguf *writer,
                        const char *magic)
{
  g_assert (strlen (magic) == 4);
  memcpy (writer->magic, magic, 4);
}

void
sc_test_gguf_set_n_tensors (ScTestGguf *writer,
                            guint64     n_tensors)
{
  writer->n_tensors_set = TRUE;
  writer->n_tensors = n_tensors;
}

void
sc_test_gguf_set_n_kv (ScTestGguf *writer,
                       guint64     n_kv)
{
  writer->n_kv_set = TRUE;
  writer->n_kv = n_kv;
}

/* ---- Encoders ---- */

static void
put_le (GByteArray *out,
        guint64     value,
        gsize       size)
{
  guint8 bytes[8];

  for (gsize i = 0; i < size; i++)
    bytes[i] = (guint8) (value >> (8 * i));
  g_byte_array_append (out, bytes, (guint) size);
}

void
sc_test_gguf_put_u32 (GByteArray *out,
                      guint32     value)
{
  put_le (out, value, 4);
}

void
sc_test_gguf_put_u64 (GByteArray *out,
                      guint64     value)
{
  put_le (out, value, 8);
}

void
sc_test_gguf_put_string (GByteArray *out,
                         const char *value)
{
  gsize len = strlen (value);

  put_le (out, len, 8);
  g_byte_array_append (out, (const guint8 *) value, (guint) len);
}

void
sc_test_gguf_put_array_header (GByteArray *out,
                               guint32     elem_type,
                               guint64     n)
{
  put_le (out, elem_type, 4);
  put_le (out, n, 8);
}

/* Appends @n host-order values of @size bytes each as little-endian. */
static void
put_elements (GByteArray   *out,
              gconstpointer elements,
              gsize         n,
              gsize         size)
{
  const guint8 *p = elements;

  for (gsize i = 0; i < n; i++)
    {
      guint64 value = 0;

      switch (size)
        {
        case 1: value = p[i]; break;
        case 2: { guint16 v; memcpy (&v, p + 2 * i, 2); value = v; break; }
        case 4: { guint32 v; memcpy (&v, p + 4 * i, 4); value = v; break; }
        case 8: memcpy (&value, p + 8 * i, 8); break;
        default: g_assert_not_reached ();
        }
      put_le (out, value, size);
    }
}

/* ---- Metadata ---- */

static GByteArray *
add_kv (ScTestGguf *writer,
        const char *key,
        guint32     type)
{
  Kv *kv = g_new0 (Kv, 1);

  kv->key = g_strdup (key);
  kv->type = type;
  kv->value = g_byte_array_new ();
  g_ptr_array_add (writer->kvs, kv);
  return kv->value;
}

static void
add_scalar (ScTestGguf   *writer,
            const char   *key,
            guint32       type,
            gconstpointer value)
{
  put_elements (add_kv (writer, key, type), value, 1, value_sizes[type]);
}

void
sc_test_gguf_add_u8 (ScTestGguf *writer, const char *key, guint8 value)
{
  add_scalar (writer, key, 0, &value);
}

void
sc_test_gguf_add_i8 (ScTestGguf *writer, const char *key, gint8 value)
{
  add_scalar (writer, key, 1, &value);
}

void
sc_test_gguf_add_u16 (ScTestGguf *writer, const char *key, guint16 value)
{
  add_scalar (writer, key, 2, &value);
}

void
sc_test_gguf_add_i16 (ScTestGguf *writer, const char *key, gint16 value)
{
  add_scalar (writer, key, 3, &value);
}

void
sc_test_gguf_add_u32 (ScTestGguf *writer, const char *key, guint32 value)
{
  add_scalar (writer, key, 4, &value);
}

void
sc_test_gguf_add_i32 (ScTestGguf *writer, const char *key, gint32 value)
{
  add_scalar (writer, key, 5, &value);
}

void
sc_test_gguf_add_f32 (ScTestGguf *writer, const char *key, float value)
{
  add_scalar (writer, key, 6, &value);
}

void
sc_test_gguf_add_bool (ScTestGguf *writer, const char *key, gboolean value)
{
  guint8 byte = value ? 1 : 0;

  add_scalar (writer, key, 7, &byte);
}

void
sc_test_gguf_add_u64 (ScTestGguf *writer, const char *key, guint64 value)
{
  add_scalar (writer, key, 10, &value);
}

void
sc_test_gguf_add_i64 (ScTestGguf *writer, const char *key, gint64 value)
{
  add_scalar (writer, key, 11, &value);
}

void
sc_test_gguf_add_f64 (ScTestGguf *writer, const char *key, double value)
{
  add_scalar (writer, key, 12, &value);
}

void
sc_test_gguf_add_string (ScTestGguf *writer,
                         const char *key,
                         const char *value)
{
  sc_test_gguf_put_string (add_kv (writer, key, GGUF_TYPE_STRING), value);
}

void
sc_test_gguf_add_array (ScTestGguf   *writer,
                        const char   *key,
                        guint32       elem_type,
                        gconstpointer elements,
                        gsize         n)
{
  GByteArray *value;

  g_assert (elem_type < G_N_ELEMENTS (value_sizes) && value_sizes[elem_type] > 0);
  value = add_kv (writer, key, GGUF_TYPE_ARRAY);
  sc_test_gguf_put_array_header (value, elem_type, n);
  put_elements (value, elements, n, value_sizes[elem_type]);
}

void
sc_test_gguf_add_string_array (ScTestGguf        *writer,
                               const char        *key,
                               const char *const *strv,
                               gsize              n)
{
  GByteArray *value = add_kv (writer, key, GGUF_TYPE_ARRAY);

  sc_test_gguf_put_array_header (value, GGUF_TYPE_STRING, n);
  for (gsize i = 0; i < n; i++)
    sc_test_gguf_put_string (value, strv[i]);
}

void
sc_test_gguf_add_raw (ScTestGguf       *writer,
                      const char       *key,
                      guint32           type,
                      const GByteArray *value)
{
  g_byte_array_append (add_kv (writer, key, type), value->data, value->len);
}

/* ---- Tensors ---- */

gsize
sc_test_gguf_add_tensor (ScTestGguf   *writer,
                         const char   *name,
                         guint32       type,
                         guint         n_dims,
                         const gint64 *ne,
                         gconstpointer data,
                         gsize         n_bytes)
{
  Tensor *tensor = g_new0 (Tensor, 1);

  g_assert (n_dims <= MAX_DIMS_WRITTEN);
  tensor->name = g_strdup (name);
  tensor->type = type;
  tensor->n_dims = n_dims;
  if (n_dims > 0)
    memcpy (tensor->ne, ne, n_dims * sizeof (gint64));
  tensor->data = g_byte_array_new ();
  g_byte_array_append (tensor->data, data, (guint) n_bytes);
  g_ptr_array_add (writer->tensors, tensor);
  return writer->tensors->len - 1;
}

void
sc_test_gguf_set_tensor_offset (ScTestGguf *writer,
                                gsize       index,
                                guint64     offset)
{
  Tensor *tensor;

  g_assert (index < writer->tensors->len);
  tensor = g_ptr_array_index (writer->tensors, index);
  tensor->offset_set = TRUE;
  tensor->offset = offset;
}

/* ---- Output ---- */

static void
pad_to (GByteArray *out,
        gsize       alignment)
{
  static const guint8 zero = 0;

  while (out->len % alignment != 0)
    g_byte_array_append (out, &zero, 1);
}

GByteArray *
sc_test_gguf_build (ScTestGguf *writer)
{
  GByteArray *out = g_byte_array_new ();
  g_autofree guint64 *offsets = g_new0 (guint64, MAX (writer->tensors->len, 1));
  guint64 data_size = 0;

  /* The data layout first, so the tensor infos can name the offsets. */
  for (guint i = 0; i < writer->tensors->len; i++)
    {
      Tensor *tensor = g_ptr_array_index (writer->tensors, i);

      offsets[i] = data_size;
      data_size += tensor->data->len;
      data_size = (data_size + writer->alignment - 1) / writer->alignment * writer->alignment;
    }

  g_byte_array_append (out, (const guint8 *) writer->magic, 4);
  sc_test_gguf_put_u32 (out, writer->version);
  sc_test_gguf_put_u64 (out, writer->n_tensors_set ? writer->n_tensors : writer->tensors->len);
  sc_test_gguf_put_u64 (out, writer->n_kv_set ? writer->n_kv : writer->kvs->len);

  for (guint i = 0; i < writer->kvs->len; i++)
    {
      Kv *kv = g_ptr_array_index (writer->kvs, i);

      kv->key_offset = out->len;
      sc_test_gguf_put_string (out, kv->key);
      kv->type_offset = out->len;
      sc_test_gguf_put_u32 (out, kv->type);
      kv->value_offset = out->len;
      g_byte_array_append (out, kv->value->data, kv->value->len);
    }

  for (guint i = 0; i < writer->tensors->len; i++)
    {
      Tensor *tensor = g_ptr_array_index (writer->tensors, i);

      tensor->name_offset = out->len;
      sc_test_gguf_put_string (out, tensor->name);
      tensor->n_dims_offset = out->len;
      sc_test_gguf_put_u32 (out, tensor->n_dims);
      tensor->ne_offset = out->len;
      for (guint d = 0; d < tensor->n_dims; d++)
        sc_test_gguf_put_u64 (out, (guint64) tensor->ne[d]);
      tensor->type_offset = out->len;
      sc_test_gguf_put_u32 (out, tensor->type);
      tensor->offset_offset = out->len;
      sc_test_gguf_put_u64 (out, tensor->offset_set ? tensor->offset : offsets[i]);
    }

  if (writer->tensors->len > 0)
    pad_to (out, writer->alignment);
  writer->data_offset = out->len;
  for (guint i = 0; i < writer->tensors->len; i++)
    {
      Tensor *tensor = g_ptr_array_index (writer->tensors, i);

      g_assert_cmpuint (out->len, ==, writer->data_offset + offsets[i]);
      g_byte_array_append (out, tensor->data->data, tensor->data->len);
      pad_to (out, writer->alignment);
    }
  return out;
}

GBytes *
sc_test_gguf_to_bytes (ScTestGguf *writer)
{
  return g_byte_array_free_to_bytes (sc_test_gguf_build (writer));
}

char *
sc_test_gguf_write (ScTestGguf *writer,
                    const char *name)
{
  g_autoptr(GByteArray) bytes = sc_test_gguf_build (writer);

  return sc_test_gguf_write_data (name, bytes->data, bytes->len);
}

gsize
sc_test_gguf_get_offset (ScTestGguf      *writer,
                         ScTestGgufField  field,
                         gsize            index)
{
  const Kv *kv = NULL;
  const Tensor *tensor = NULL;

  if (field >= SC_TEST_GGUF_FIELD_KV_KEY && field <= SC_TEST_GGUF_FIELD_KV_VALUE)
    {
      g_assert (index < writer->kvs->len);
      kv = g_ptr_array_index (writer->kvs, index);
    }
  if (field >= SC_TEST_GGUF_FIELD_TENSOR_NAME && field <= SC_TEST_GGUF_FIELD_TENSOR_OFFSET)
    {
      g_assert (index < writer->tensors->len);
      tensor = g_ptr_array_index (writer->tensors, index);
    }

  switch (field)
    {
    case SC_TEST_GGUF_FIELD_MAGIC: return 0;
    case SC_TEST_GGUF_FIELD_VERSION: return 4;
    case SC_TEST_GGUF_FIELD_N_TENSORS: return 8;
    case SC_TEST_GGUF_FIELD_N_KV: return 16;
    case SC_TEST_GGUF_FIELD_KV_KEY: return kv->key_offset;
    case SC_TEST_GGUF_FIELD_KV_TYPE: return kv->type_offset;
    case SC_TEST_GGUF_FIELD_KV_VALUE: return kv->value_offset;
    case SC_TEST_GGUF_FIELD_TENSOR_NAME: return tensor->name_offset;
    case SC_TEST_GGUF_FIELD_TENSOR_N_DIMS: return tensor->n_dims_offset;
    case SC_TEST_GGUF_FIELD_TENSOR_NE: return tensor->ne_offset;
    case SC_TEST_GGUF_FIELD_TENSOR_TYPE: return tensor->type_offset;
    case SC_TEST_GGUF_FIELD_TENSOR_OFFSET: return tensor->offset_offset;
    case SC_TEST_GGUF_FIELD_DATA: return writer->data_offset;
    default: g_assert_not_reached ();
    }
}

void
sc_test_gguf_patch_u32 (GByteArray *bytes,
                        gsize       offset,
                        guint32     value)
{
  g_assert (offset + 4 <= bytes->len);
  for (gsize i = 0; i < 4; i++)
    bytes->data[offset + i] = (guint8) (value >> (8 * i));
}

void
sc_test_gguf_patch_u64 (GByteArray *bytes,
                        gsize       offset,
                        guint64     value)
{
  g_assert (offset + 8 <= bytes->len);
  for (gsize i = 0; i < 8; i++)
    bytes->data[offset + i] = (guint8) (value >> (8 * i));
}

char *
sc_test_gguf_write_data (const char   *name,
                         const guint8 *data,
                         gsize         length)
{
  return sc_test_write_file (name, (const char *) data, (gssize) length);
}
