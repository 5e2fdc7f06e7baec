/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-gguf.c: the GGUF reader (see sc-gguf.h).
 *
 * Layout of a GGUF file (all integers little-endian):
 *
 *   "GGUF" u32 version  u64 n_tensors  u64 n_kv
 *   n_kv      × { string key, u32 value_type, value }
 *   n_tensors × { string name, u32 n_dims, u64 ne[n_dims], u32 type, u64 offset }
 *   padding to the alignment, then the data section that the tensor offsets point into.
 *
 * A string is a u64 byte length and the bytes (no NUL); an array is a u32 element type, a u64
 * count and the elements. Parsing runs once, in open: nothing is trusted until it has been
 * checked against the bytes that are actually there, always before it is used to allocate,
 * index or add.
 */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <inttypes.h>

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sc-error.h"
#include "sc-gguf.h"

#define GGUF_MAGIC "GGUF"
#define HEADER_SIZE (4 + 4 + 8 + 8)

/* The least a key/value pair can occupy: key length, a one-byte key, value type, a u8. Used to
 * reject counts the rest of the file cannot possibly hold before anything is allocated. */
#define MIN_KV_SIZE (8 + 1 + 4 + 1)
/* The least a tensor info can occupy: name length, a one-byte name, n_dims, one dimension,
 * type, offset. */
#define MIN_TENSOR_INFO_SIZE (8 + 1 + 4 + 8 + 4 + 8)

/* An array of arrays is allowed, an array of arrays of arrays is not: nothing needs it, and the
 * limit bounds the recursion. */
#define MAX_ARRAY_DEPTH 2

/* Real models have tens of keys and at most a few thousand tensors. The caps bound what a
 * large hostile file can make us allocate up front. */
#define MAX_KV 65536
#define MAX_TENSORS (1024 * 1024)

#define MAX_KEY_LENGTH 65535 /* the GGUF specification's limit */
#define MAX_TENSOR_NAME_LENGTH 256
#define MAX_ALIGNMENT (1024 * 1024)

#define N_VALUE_TYPES (SC_GGUF_TYPE_FLOAT64 + 1)

/* ================================================================================================
 * Parsed values
 * ============================================================================================== */

typedef struct _Array Array;

struct _Array
{
  ScGgufType type; /* of the elements */
  gsize      n;
  gpointer   data; /* fixed-size types: n packed host-order elements; STRING: char *[n + 1];
                    * ARRAY: Array[n] */
  gsize     *lengths; /* STRING only: the byte length of each string */
};

typedef struct
{
  const char *key;
  ScGgufType  type;
  union
  {
    guint64  u;   /* UINT8..UINT64 */
    gint64   i;   /* INT8..INT64 */
    float    f32;
    double   f64;
    gboolean b;
    struct
    {
      const char *str;
      gsize       len;
    } s;
    Array array;
  } v;
} Kv;

struct _ScGguf
{
  GBytes       *bytes;       /* the mapping (or the caller's bytes), kept for the tensor data */
  const guint8 *data;
  gsize         size;

  guint32       version;
  gsize         alignment;
  gsize         data_offset; /* start of the data section */

  Kv           *kvs;
  gsize         n_kv;
  GHashTable   *kv_index;    /* key → index + 1 */

  ScGgufTensor *tensors;
  gsize         n_tensors;
  GHashTable   *tensor_index; /* name → ScGgufTensor * */

  GStringChunk *strings;     /* NUL-terminated copies of every key, name and string value */
};

static const struct
{
  const char *name;
  gsize       size; /* of one value; 0 for STRING and ARRAY */
} value_types[N_VALUE_TYPES] = {
  [SC_GGUF_TYPE_UINT8] = { "u8", 1 },
  [SC_GGUF_TYPE_INT8] = { "i8", 1 },
  [SC_GGUF_TYPE_UINT16] = { "u16", 2 },
  [SC_GGUF_TYPE_INT16] = { "i16", 2 },
  [SC_GGUF_TYPE_UINT32] = { "u32", 4 },
  [SC_GGUF_TYPE_INT32] = { "i32", 4 },
  [SC_GGUF_TYPE_FLOAT32] = { "f32", 4 },
  [SC_GGUF_TYPE_BOOL] = { "bool", 1 },
  [SC_GGUF_TYPE_STRING] = { "string", 0 },
  [SC_GGUF_TYPE_ARRAY] = { "array", 0 },
  [SC_GGUF_TYPE_UINT64] = { "u64", 8 },
  [SC_GGUF_TYPE_INT64] = { "i64", 8 },
  [SC_GGUF_TYPE_FLOAT64] = { "f64", 8 },
};

const char *
sc_gguf_type_name (ScGgufType type)
{
  if ((guint) type >= N_VALUE_TYPES)
    return NULL;
  return value_types[type].name;
}

static void
array_clear (Array *array)
{
  if (array->type == SC_GGUF_TYPE_ARRAY && array->data != NULL)
    {
      Array *elements = array->data;

      for (gsize i = 0; i < array->n; i++)
        array_clear (&elements[i]);
    }
  g_clear_pointer (&array->data, g_free);
  g_clear_pointer (&array->lengths, g_free);
}

void
sc_gguf_free (ScGguf *gguf)
{
  if (gguf == NULL)
    return;
  for (gsize i = 0; i < gguf->n_kv; i++)
    if (gguf->kvs[i].type == SC_GGUF_TYPE_ARRAY)
      array_clear (&gguf->kvs[i].v.array);
  g_free (gguf->kvs);
  g_free (gguf->tensors);
  g_clear_pointer (&gguf->kv_index, g_hash_table_unref);
  g_clear_pointer (&gguf->tensor_index, g_hash_table_unref);
  g_clear_pointer (&gguf->strings, g_string_chunk_free);
  g_clear_pointer (&gguf->bytes, g_bytes_unref);
  g_free (gguf);
}

/* ================================================================================================
 * Reading primitives
 * ============================================================================================== */

typedef struct
{
  const guint8 *data;
  gsize         size;
  gsize         pos; /* always <= size */
} Cursor;

static inline gsize
cursor_left (const Cursor *c)
{
  return c->size - c->pos;
}

static gboolean
set_truncated (const Cursor *c,
               const char   *what,
               GError      **error)
{
  g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
               _("The model file is truncated: %s at byte %zu is cut off"),
               what, c->pos);
  return FALSE;
}

static gboolean
read_bytes (Cursor        *c,
            gsize          n,
            const guint8 **out,
            const char    *what,
            GError       **error)
{
  if (n > cursor_left (c))
    return set_truncated (c, what, error);
  *out = c->data + c->pos;
  c->pos += n;
  return TRUE;
}

static gboolean
read_u32 (Cursor     *c,
          guint32    *out,
          const char *what,
          GError    **error)
{
  const guint8 *p;

  if (!read_bytes (c, 4, &p, what, error))
    return FALSE;
  memcpy (out, p, 4);
  *out = GUINT32_FROM_LE (*out);
  return TRUE;
}

static gboolean
read_u64 (Cursor     *c,
          guint64    *out,
          const char *what,
          GError    **error)
{
  const guint8 *p;

  if (!read_bytes (c, 8, &p, what, error))
    return FALSE;
  memcpy (out, p, 8);
  *out = GUINT64_FROM_LE (*out);
  return TRUE;
}

/* A GGUF string: its length is checked against the bytes left before anything else. */
static gboolean
read_string (Cursor        *c,
             const guint8 **out,
             gsize         *len,
             const char    *what,
             GError       **error)
{
  guint64 n;

  if (!read_u64 (c, &n, what, error))
    return FALSE;
  if (n > cursor_left (c))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model file is damaged: %s at byte %zu claims %"
                     PRIu64 " bytes, but only %zu are left"),
                   what, c->pos - 8, n, cursor_left (c));
      return FALSE;
    }
  *len = (gsize) n;
  return read_bytes (c, (gsize) n, out, what, error);
}

static void
swap_to_host (guint8 *data,
              gsize   n,
              gsize   elem_size)
{
#if G_BYTE_ORDER == G_BIG_ENDIAN
  for (gsize i = 0; i < n; i++)
    for (gsize a = 0, b = elem_size - 1; a < b; a++, b--)
      {
        guint8 t = data[i * elem_size + a];
        data[i * elem_size + a] = data[i * elem_size + b];
        data[i * elem_size + b] = t;
      }
#else
  (void) data;
  (void) n;
  (void) elem_size;
#endif
}

/* ================================================================================================
 * Metadata
 * ============================================================================================== */

static gboolean
check_value_type (guint32     type,
                  const char *key,
                  gsize       pos,
                  GError    **error)
{
  if (type < N_VALUE_TYPES)
    return TRUE;
  g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
               _("The model file is damaged: key “%s” has the unknown value type %u (byte %zu)"),
               key, type, pos);
  return FALSE;
}

static gboolean
check_bools (const guint8 *p,
             gsize         n,
             const char   *key,
             GError      **error)
{
  for (gsize i = 0; i < n; i++)
    if (p[i] > 1)
      {
        g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                     _("The model file is damaged: key “%s” holds the boolean value %u"),
                     key, p[i]);
        return FALSE;
      }
  return TRUE;
}

static gboolean parse_array (ScGguf     *gguf,
                             Cursor     *c,
                             Array      *array,
                             int         depth,
                             const char *key,
                             GError    **error);

/* Parses the array's elements into @array, whose element type and count are already checked
 * to fit the bytes left. On failure @array holds whatever was allocated, for array_clear(). */
static gboolean
parse_array_elements (ScGguf     *gguf,
                      Cursor     *c,
                      Array      *array,
                      int         depth,
                      const char *key,
                      GError    **error)
{
  const gsize elem_size = value_types[array->type].size;

  if (array->type == SC_GGUF_TYPE_STRING)
    {
      char **strv = g_new0 (char *, array->n + 1);

      array->data = strv;
      array->lengths = g_new0 (gsize, MAX (array->n, 1));
      for (gsize i = 0; i < array->n; i++)
        {
          const guint8 *p;
          gsize len;

          if (!read_string (c, &p, &len, _("an array string"), error))
            return FALSE;
          strv[i] = g_string_chunk_insert_len (gguf->strings, (const char *) p, (gssize) len);
          array->lengths[i] = len;
        }
      return TRUE;
    }
  if (array->type == SC_GGUF_TYPE_ARRAY)
    {
      Array *elements = g_new0 (Array, MAX (array->n, 1));

      array->data = elements;
      for (gsize i = 0; i < array->n; i++)
        if (!parse_array (gguf, c, &elements[i], depth + 1, key, error))
          return FALSE;
      return TRUE;
    }

  {
    const guint8 *p;
    const gsize n_bytes = array->n * elem_size; /* fits: checked against the bytes left */

    if (!read_bytes (c, n_bytes, &p, _("an array"), error))
      return FALSE;
    if (array->type == SC_GGUF_TYPE_BOOL && !check_bools (p, array->n, key, error))
      return FALSE;
    /* Copied, not pointed to: array elements in the file are not aligned for their type. */
    array->data = g_malloc (MAX (n_bytes, 1));
    memcpy (array->data, p, n_bytes);
    swap_to_host (array->data, array->n, elem_size);
    return TRUE;
  }
}

/* An array value: element type, count, elements. @depth is 1 for a key's own array. */
static gboolean
parse_array (ScGguf     *gguf,
             Cursor     *c,
             Array      *array,
             int         depth,
             const char *key,
             GError    **error)
{
  guint32 type;
  guint64 n;
  gsize min_elem_size;

  if (!read_u32 (c, &type, _("an array type"), error))
    return FALSE;
  if (!check_value_type (type, key, c->pos - 4, error))
    return FALSE;
  if (type == SC_GGUF_TYPE_ARRAY && depth >= MAX_ARRAY_DEPTH)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model file is damaged: key “%s” nests arrays more than %d deep"),
                   key, MAX_ARRAY_DEPTH);
      return FALSE;
    }
  if (!read_u64 (c, &n, _("an array length"), error))
    return FALSE;

  /* Even an empty string takes its 8-byte length, an empty array its type and count. */
  min_elem_size = type == SC_GGUF_TYPE_STRING ? 8
                : type == SC_GGUF_TYPE_ARRAY ? 4 + 8
                : value_types[type].size;
  if (n > cursor_left (c) / min_elem_size)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model file is damaged: the array “%s” claims %" PRIu64
                     " elements, more than the %zu bytes left can hold"),
                   key, n, cursor_left (c));
      return FALSE;
    }
  array->type = type;
  array->n = (gsize) n;
  return parse_array_elements (gguf, c, array, depth, key, error);
}

/* A fixed-size scalar: integers widened to 64 bits (sign-extended when signed), floats as
 * they are. */
static void
decode_scalar (const guint8 *p,
               ScGgufType    type,
               Kv           *kv)
{
  const gsize size = value_types[type].size;
  guint64 raw = 0;

  for (gsize i = 0; i < size; i++)
    raw |= (guint64) p[i] << (8 * i);

  switch (type)
    {
    case SC_GGUF_TYPE_UINT8:
    case SC_GGUF_TYPE_UINT16:
    case SC_GGUF_TYPE_UINT32:
    case SC_GGUF_TYPE_UINT64:
      kv->v.u = raw;
      break;
    case SC_GGUF_TYPE_INT8:
      kv->v.i = (gint8) raw;
      break;
    case SC_GGUF_TYPE_INT16:
      kv->v.i = (gint16) raw;
      break;
    case SC_GGUF_TYPE_INT32:
      kv->v.i = (gint32) raw;
      break;
    case SC_GGUF_TYPE_INT64:
      kv->v.i = (gint64) raw;
      break;
    case SC_GGUF_TYPE_FLOAT32:
      {
        const guint32 bits = (guint32) raw;
        memcpy (&kv->v.f32, &bits, sizeof bits);
      }
      break;
    case SC_GGUF_TYPE_FLOAT64:
      memcpy (&kv->v.f64, &raw, sizeof raw);
      break;
    case SC_GGUF_TYPE_BOOL:
    case SC_GGUF_TYPE_STRING:
    case SC_GGUF_TYPE_ARRAY:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
parse_kv (ScGguf *gguf,
          Cursor *c,
          Kv     *kv,
          GError **error)
{
  const guint8 *p;
  gsize len;
  guint32 type;
  const gsize key_pos = c->pos;

  if (!read_string (c, &p, &len, _("a key"), error))
    return FALSE;
  if (len == 0 || len > MAX_KEY_LENGTH || !g_utf8_validate_len ((const char *) p, len, NULL))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model file is damaged: the key at byte %zu is empty, too long or not UTF-8"),
                   key_pos);
      return FALSE;
    }
  kv->key = g_string_chunk_insert_len (gguf->strings, (const char *) p, (gssize) len);
  if (g_hash_table_contains (gguf->kv_index, kv->key))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model file is damaged: the key “%s” appears twice"), kv->key);
      return FALSE;
    }

  if (!read_u32 (c, &type, _("a value type"), error))
    return FALSE;
  if (!check_value_type (type, kv->key, c->pos - 4, error))
    return FALSE;

  switch ((ScGgufType) type)
    {
    case SC_GGUF_TYPE_STRING:
      if (!read_string (c, &p, &len, _("a string value"), error))
        return FALSE;
      kv->v.s.str = g_string_chunk_insert_len (gguf->strings, (const char *) p, (gssize) len);
      kv->v.s.len = len;
      break;

    case SC_GGUF_TYPE_ARRAY:
      /* The type is set first so that sc_gguf_free() clears a half-parsed array. */
      kv->type = SC_GGUF_TYPE_ARRAY;
      if (!parse_array (gguf, c, &kv->v.array, 1, kv->key, error))
        return FALSE;
      break;

    case SC_GGUF_TYPE_BOOL:
      if (!read_bytes (c, 1, &p, _("a value"), error) || !check_bools (p, 1, kv->key, error))
        return FALSE;
      kv->v.b = p[0] != 0;
      break;

    default:
      if (!read_bytes (c, value_types[type].size, &p, _("a value"), error))
        return FALSE;
      decode_scalar (p, type, kv);
      break;
    }
  kv->type = type;
  return TRUE;
}

/* general.alignment, if present, must be a u32 power of two no larger than MAX_ALIGNMENT. */
static gboolean
read_alignment (ScGguf  *gguf,
                GError **error)
{
  gpointer index;
  const Kv *kv;

  gguf->alignment = SC_GGUF_DEFAULT_ALIGNMENT;
  index = g_hash_table_lookup (gguf->kv_index, "general.alignment");
  if (index == NULL)
    return TRUE;
  kv = &gguf->kvs[GPOINTER_TO_SIZE (index) - 1];
  if (kv->type != SC_GGUF_TYPE_UINT32)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model file is damaged: general.alignment is a %s, not a u32"),
                   sc_gguf_type_name (kv->type));
      return FALSE;
    }
  if (kv->v.u == 0 || (kv->v.u & (kv->v.u - 1)) != 0 || kv->v.u > MAX_ALIGNMENT)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model file is damaged: the alignment %" PRIu64
                     " is not a power of two between 1 and %d"),
                   kv->v.u, MAX_ALIGNMENT);
      return FALSE;
    }
  gguf->alignment = (gsize) kv->v.u;
  return TRUE;
}

/* ================================================================================================
 * Tensors
 * ============================================================================================== */

/* The alignment the type's fields need when read in place: floats, and the fp16 scales that
 * start every supported block. Types we cannot read need none. */
static gsize
host_alignment (ScTensorType type)
{
  if (type == SC_TENSOR_TYPE_F32)
    return 4;
  return sc_tensor_type_is_supported (type) ? 2 : 1;
}

static gboolean
parse_tensor_info (ScGguf       *gguf,
                   Cursor       *c,
                   ScGgufTensor *t,
                   GError      **error)
{
  const guint8 *p;
  gsize len;
  guint32 n_dims;
  guint32 type;
  guint64 n_elements = 1;
  gsize row_size;
  guint64 n_bytes;
  const gsize name_pos = c->pos;

  if (!read_string (c, &p, &len, _("a tensor name"), error))
    return FALSE;
  if (len == 0 || len > MAX_TENSOR_NAME_LENGTH
      || !g_utf8_validate_len ((const char *) p, len, NULL))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model file is damaged: the tensor name at byte %zu is empty, too long or not UTF-8"),
                   name_pos);
      return FALSE;
    }
  t->name = g_string_chunk_insert_len (gguf->strings, (const char *) p, (gssize) len);
  if (g_hash_table_contains (gguf->tensor_index, t->name))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model file is damaged: the tensor “%s” appears twice"), t->name);
      return FALSE;
    }

  if (!read_u32 (c, &n_dims, _("a tensor's dimension count"), error))
    return FALSE;
  if (n_dims == 0 || n_dims > SC_GGUF_MAX_DIMS)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model file is damaged: the tensor “%s” has %u dimensions (1 to %d "
                     "are possible)"),
                   t->name, n_dims, SC_GGUF_MAX_DIMS);
      return FALSE;
    }
  t->n_dims = n_dims;
  for (guint d = 0; d < SC_GGUF_MAX_DIMS; d++)
    t->ne[d] = 1;
  for (guint d = 0; d < n_dims; d++)
    {
      guint64 raw;
      gint64 ne;

      if (!read_u64 (c, &raw, _("a tensor dimension"), error))
        return FALSE;
      /* Stored unsigned, used signed (as ggml does): anything above G_MAXINT64 is negative. */
      ne = (gint64) raw;
      if (ne <= 0)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                       _("The model file is damaged: dimension %u of the tensor “%s” is %"
                         PRId64),
                       d, t->name, ne);
          return FALSE;
        }
      if (!g_uint64_checked_mul (&n_elements, n_elements, (guint64) ne)
          || n_elements > G_MAXINT64)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                       _("The model file is damaged: the element count of the tensor “%s” "
                         "overflows"),
                       t->name);
          return FALSE;
        }
      t->ne[d] = ne;
    }
  t->n_elements = (gint64) n_elements;

  if (!read_u32 (c, &type, _("a tensor type"), error))
    return FALSE;
  if (!sc_tensor_type_is_known (type))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   _("The tensor “%s” has the unknown type %u"), t->name, type);
      return FALSE;
    }
  t->type = type;

  if (!sc_tensor_row_size (t->type, t->ne[0], &row_size, error))
    {
      g_prefix_error (error, _("Tensor “%s”: "), t->name);
      return FALSE;
    }
  if (!g_uint64_checked_mul (&n_bytes, row_size, (guint64) (t->n_elements / t->ne[0]))
      || n_bytes > G_MAXSIZE || n_bytes > G_MAXINT64)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model file is damaged: the byte size of the tensor “%s” overflows"),
                   t->name);
      return FALSE;
    }
  t->n_bytes = (gsize) n_bytes;

  return read_u64 (c, &t->offset, _("a tensor offset"), error);
}

static int
compare_tensor_offsets (gconstpointer a,
                        gconstpointer b)
{
  const ScGgufTensor *ta = *(const ScGgufTensor *const *) a;
  const ScGgufTensor *tb = *(const ScGgufTensor *const *) b;

  return ta->offset < tb->offset ? -1 : ta->offset > tb->offset;
}

/* Places every tensor's data: aligned, inside the file, not overlapping another tensor. */
static gboolean
locate_tensor_data (ScGguf  *gguf,
                    gsize    infos_end,
                    GError **error)
{
  guint64 data_offset;
  g_autofree ScGgufTensor **sorted = NULL;

  /* Cannot overflow (infos_end <= size, alignment <= 1 MiB), but costs nothing to check. */
  if (!g_uint64_checked_add (&data_offset, infos_end, gguf->alignment - 1))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model file is damaged: its data section starts past any end"));
      return FALSE;
    }
  data_offset &= ~(guint64) (gguf->alignment - 1);
  gguf->data_offset = (gsize) MIN (data_offset, gguf->size);
  if (gguf->n_tensors == 0)
    return TRUE;

  for (gsize i = 0; i < gguf->n_tensors; i++)
    {
      ScGgufTensor *t = &gguf->tensors[i];
      guint64 end;

      if (t->offset % gguf->alignment != 0)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                       _("The model file is damaged: the data of the tensor “%s” at offset %"
                         PRIu64 " is not aligned to %zu bytes"),
                       t->name, t->offset, gguf->alignment);
          return FALSE;
        }
      if (data_offset > gguf->size || !g_uint64_checked_add (&end, t->offset, t->n_bytes)
          || end > gguf->size - data_offset)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                       _("The model file is truncated: the data of the tensor “%s” (%zu bytes at offset %" PRIu64
                         ") runs past its end"),
                       t->name, t->n_bytes, t->offset);
          return FALSE;
        }
      t->data = gguf->data + data_offset + t->offset;
      if ((guintptr) t->data % host_alignment (t->type) != 0)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                       _("The data of the tensor “%s” is not aligned for its type %s"),
                       t->name, sc_tensor_type_name (t->type));
          return FALSE;
        }
    }

  sorted = g_new (ScGgufTensor *, gguf->n_tensors);
  for (gsize i = 0; i < gguf->n_tensors; i++)
    sorted[i] = &gguf->tensors[i];
  qsort (sorted, gguf->n_tensors, sizeof *sorted, compare_tensor_offsets);
  for (gsize i = 1; i < gguf->n_tensors; i++)
    {
      /* offset + n_bytes cannot overflow: checked against the file size above. */
      if (sorted[i - 1]->offset + sorted[i - 1]->n_bytes > sorted[i]->offset)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                       _("The model file is damaged: the data of the tensors “%s” and “%s” "
                         "overlap"),
                       sorted[i - 1]->name, sorted[i]->name);
          return FALSE;
        }
    }
  return TRUE;
}

/* ================================================================================================
 * Opening
 * ============================================================================================== */

static gboolean
parse_header (ScGguf  *gguf,
              Cursor  *c,
              guint64 *n_tensors,
              guint64 *n_kv,
              GError **error)
{
  if (gguf->size < 4 || memcmp (gguf->data, GGUF_MAGIC, 4) != 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED, _("This is not a GGUF model file"));
      return FALSE;
    }
  c->pos = 4;
  if (!read_u32 (c, &gguf->version, _("the version"), error))
    return FALSE;
  if (gguf->version == 1)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   _("GGUF version 1 files are not supported; convert the model again"));
      return FALSE;
    }
  if (gguf->version != 2 && gguf->version != 3)
    {
      /* Big-endian GGUF stores the version byte-swapped too. */
      if (GUINT32_SWAP_LE_BE (gguf->version) == 2 || GUINT32_SWAP_LE_BE (gguf->version) == 3)
        g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                     _("Big-endian GGUF files are not supported"));
      else
        g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                     _("GGUF version %u is not supported"), gguf->version);
      return FALSE;
    }
  if (!read_u64 (c, n_tensors, _("the tensor count"), error)
      || !read_u64 (c, n_kv, _("the key count"), error))
    return FALSE;

  /* Reject counts the file cannot hold before allocating for them. */
  if (*n_kv > cursor_left (c) / MIN_KV_SIZE)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model file is damaged: it claims %" PRIu64
                     " keys, more than its size allows"),
                   *n_kv);
      return FALSE;
    }
  if (*n_tensors > cursor_left (c) / MIN_TENSOR_INFO_SIZE
      || *n_kv * MIN_KV_SIZE + *n_tensors * MIN_TENSOR_INFO_SIZE > cursor_left (c))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model file is damaged: it claims %" PRIu64
                     " tensors, more than its size allows"),
                   *n_tensors);
      return FALSE;
    }
  if (*n_kv > MAX_KV || *n_tensors > MAX_TENSORS)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   _("The model file has %" PRIu64 " keys and %" PRIu64
                     " tensors, more than Sichtung supports"),
                   *n_kv, *n_tensors);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse (ScGguf  *gguf,
       GError **error)
{
  Cursor c = { gguf->data, gguf->size, 0 };
  guint64 n_tensors, n_kv;

  if (!parse_header (gguf, &c, &n_tensors, &n_kv, error))
    return FALSE;

  gguf->kvs = g_new0 (Kv, MAX (n_kv, 1));
  for (gsize i = 0; i < n_kv; i++)
    {
      /* Counted before parsing so that sc_gguf_free() releases a half-parsed value. */
      gguf->n_kv = i + 1;
      if (!parse_kv (gguf, &c, &gguf->kvs[i], error))
        return FALSE;
      g_hash_table_insert (gguf->kv_index, (gpointer) gguf->kvs[i].key, GSIZE_TO_POINTER (i + 1));
    }
  if (!read_alignment (gguf, error))
    return FALSE;

  gguf->tensors = g_new0 (ScGgufTensor, MAX (n_tensors, 1));
  gguf->n_tensors = (gsize) n_tensors;
  for (gsize i = 0; i < n_tensors; i++)
    {
      if (!parse_tensor_info (gguf, &c, &gguf->tensors[i], error))
        return FALSE;
      g_hash_table_insert (gguf->tensor_index, (gpointer) gguf->tensors[i].name,
                           &gguf->tensors[i]);
    }
  return locate_tensor_data (gguf, c.pos, error);
}

ScGguf *
sc_gguf_new_from_bytes (GBytes  *bytes,
                        GError **error)
{
  g_autoptr(ScGguf) gguf = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  gguf = g_new0 (ScGguf, 1);
  gguf->bytes = g_bytes_ref (bytes);
  gguf->data = g_bytes_get_data (bytes, &gguf->size);
  gguf->kv_index = g_hash_table_new (g_str_hash, g_str_equal);
  gguf->tensor_index = g_hash_table_new (g_str_hash, g_str_equal);
  gguf->strings = g_string_chunk_new (4096);
  if (gguf->data == NULL)
    gguf->size = 0;

  if (!parse (gguf, error))
    return NULL;
  return g_steal_pointer (&gguf);
}

ScGguf *
sc_gguf_open (const char *path,
              GError    **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  ScGguf *gguf;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, SC_ERROR, SC_ERROR_IO, _("Could not open the model file “%s”: %s"),
                   display, local_error->message);
      return NULL;
    }
  bytes = g_mapped_file_get_bytes (mapped);
  gguf = sc_gguf_new_from_bytes (bytes, error);
  if (gguf == NULL)
    {
      g_autofree char *display = g_filename_display_basename (path);

      g_prefix_error (error, _("“%s”: "), display);
    }
  return gguf;
}

guint32
sc_gguf_get_version (ScGguf *gguf)
{
  g_return_val_if_fail (gguf != NULL, 0);
  return gguf->version;
}

gsize
sc_gguf_get_alignment (ScGguf *gguf)
{
  g_return_val_if_fail (gguf != NULL, 0);
  return gguf->alignment;
}

gsize
sc_gguf_get_data_offset (ScGguf *gguf)
{
  g_return_val_if_fail (gguf != NULL, 0);
  return gguf->data_offset;
}

gsize
sc_gguf_get_n_kv (ScGguf *gguf)
{
  g_return_val_if_fail (gguf != NULL, 0);
  return gguf->n_kv;
}

gsize
sc_gguf_get_n_tensors (ScGguf *gguf)
{
  g_return_val_if_fail (gguf != NULL, 0);
  return gguf->n_tensors;
}

/* ================================================================================================
 * Metadata access
 * ============================================================================================== */

const char *
sc_gguf_get_kv_key (ScGguf *gguf,
                    gsize   index)
{
  g_return_val_if_fail (gguf != NULL, NULL);
  g_return_val_if_fail (index < gguf->n_kv, NULL);
  return gguf->kvs[index].key;
}

ScGgufType
sc_gguf_get_kv_type (ScGguf *gguf,
                     gsize   index)
{
  g_return_val_if_fail (gguf != NULL, 0);
  g_return_val_if_fail (index < gguf->n_kv, 0);
  return gguf->kvs[index].type;
}

gssize
sc_gguf_find_key (ScGguf     *gguf,
                  const char *key)
{
  gpointer index;

  g_return_val_if_fail (gguf != NULL, -1);
  g_return_val_if_fail (key != NULL, -1);

  index = g_hash_table_lookup (gguf->kv_index, key);
  return index != NULL ? (gssize) GPOINTER_TO_SIZE (index) - 1 : -1;
}

gboolean
sc_gguf_has_key (ScGguf     *gguf,
                 const char *key)
{
  return sc_gguf_find_key (gguf, key) >= 0;
}

static const Kv *
lookup (ScGguf     *gguf,
        const char *key,
        GError    **error)
{
  gssize index = sc_gguf_find_key (gguf, key);

  if (index < 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model file lacks the key “%s”"), key);
      return NULL;
    }
  return &gguf->kvs[index];
}

static gboolean
set_wrong_type (const Kv   *kv,
                const char *expected,
                GError    **error)
{
  if (kv->type == SC_GGUF_TYPE_ARRAY)
    g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                 _("The model file's key “%s” is an array of %s, expected %s"),
                 kv->key, sc_gguf_type_name (kv->v.array.type), expected);
  else
    g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                 _("The model file's key “%s” is a %s, expected %s"),
                 kv->key, sc_gguf_type_name (kv->type), expected);
  return FALSE;
}

/* The key's value if it exists and has exactly @type. */
static const Kv *
lookup_typed (ScGguf     *gguf,
              const char *key,
              ScGgufType  type,
              GError    **error)
{
  const Kv *kv;

  g_return_val_if_fail (gguf != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  kv = lookup (gguf, key, error);
  if (kv == NULL)
    return NULL;
  if (kv->type != type)
    {
      set_wrong_type (kv, sc_gguf_type_name (type), error);
      return NULL;
    }
  return kv;
}

#define DEFINE_SCALAR_GETTER(fn, c_type, gguf_type, field)                  \
  gboolean                                                                  \
  fn (ScGguf     *gguf,                                                     \
      const char *key,                                                      \
      c_type     *value,                                                    \
      GError    **error)                                                    \
  {                                                                         \
    const Kv *kv;                                                           \
                                                                            \
    g_return_val_if_fail (value != NULL, FALSE);                            \
    kv = lookup_typed (gguf, key, gguf_type, error);                        \
    if (kv == NULL)                                                         \
      return FALSE;                                                         \
    *value = (c_type) kv->v.field;                                          \
    return TRUE;                                                            \
  }

DEFINE_SCALAR_GETTER (sc_gguf_get_u32, guint32, SC_GGUF_TYPE_UINT32, u)
DEFINE_SCALAR_GETTER (sc_gguf_get_i32, gint32, SC_GGUF_TYPE_INT32, i)
DEFINE_SCALAR_GETTER (sc_gguf_get_u64, guint64, SC_GGUF_TYPE_UINT64, u)
DEFINE_SCALAR_GETTER (sc_gguf_get_i64, gint64, SC_GGUF_TYPE_INT64, i)
DEFINE_SCALAR_GETTER (sc_gguf_get_f32, float, SC_GGUF_TYPE_FLOAT32, f32)
DEFINE_SCALAR_GETTER (sc_gguf_get_f64, double, SC_GGUF_TYPE_FLOAT64, f64)
DEFINE_SCALAR_GETTER (sc_gguf_get_bool, gboolean, SC_GGUF_TYPE_BOOL, b)

const char *
sc_gguf_get_string (ScGguf     *gguf,
                    const char *key,
                    GError    **error)
{
  const Kv *kv = lookup_typed (gguf, key, SC_GGUF_TYPE_STRING, error);

  return kv != NULL ? kv->v.s.str : NULL;
}

static gboolean
is_unsigned_type (ScGgufType type)
{
  return type == SC_GGUF_TYPE_UINT8 || type == SC_GGUF_TYPE_UINT16
      || type == SC_GGUF_TYPE_UINT32 || type == SC_GGUF_TYPE_UINT64;
}

static gboolean
is_signed_type (ScGgufType type)
{
  return type == SC_GGUF_TYPE_INT8 || type == SC_GGUF_TYPE_INT16
      || type == SC_GGUF_TYPE_INT32 || type == SC_GGUF_TYPE_INT64;
}

static gboolean
set_out_of_range (const Kv   *kv,
                  GError    **error)
{
  if (is_signed_type (kv->type))
    g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                 _("The model file's key “%s” holds %" PRId64 ", out of range"),
                 kv->key, kv->v.i);
  else
    g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                 _("The model file's key “%s” holds %" PRIu64 ", out of range"),
                 kv->key, kv->v.u);
  return FALSE;
}

gboolean
sc_gguf_get_uint (ScGguf     *gguf,
                  const char *key,
                  guint64    *value,
                  GError    **error)
{
  const Kv *kv;

  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  kv = lookup (gguf, key, error);
  if (kv == NULL)
    return FALSE;
  if (is_unsigned_type (kv->type))
    *value = kv->v.u;
  else if (is_signed_type (kv->type))
    {
      if (kv->v.i < 0)
        return set_out_of_range (kv, error);
      *value = (guint64) kv->v.i;
    }
  else
    return set_wrong_type (kv, _("an integer"), error);
  return TRUE;
}

gboolean
sc_gguf_get_int (ScGguf     *gguf,
                 const char *key,
                 gint64     *value,
                 GError    **error)
{
  const Kv *kv;

  g_return_val_if_fail (gguf != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  kv = lookup (gguf, key, error);
  if (kv == NULL)
    return FALSE;
  if (is_signed_type (kv->type))
    *value = kv->v.i;
  else if (is_unsigned_type (kv->type))
    {
      if (kv->v.u > G_MAXINT64)
        return set_out_of_range (kv, error);
      *value = (gint64) kv->v.u;
    }
  else
    return set_wrong_type (kv, _("an integer"), error);
  return TRUE;
}

const char *
sc_gguf_get_arch (ScGguf  *gguf,
                  GError **error)
{
  return sc_gguf_get_string (gguf, "general.architecture", error);
}

gboolean
sc_gguf_get_array (ScGguf     *gguf,
                   const char *key,
                   ScGgufType *elem_type,
                   gsize      *n,
                   GError    **error)
{
  const Kv *kv = lookup_typed (gguf, key, SC_GGUF_TYPE_ARRAY, error);

  if (kv == NULL)
    return FALSE;
  if (elem_type != NULL)
    *elem_type = kv->v.array.type;
  if (n != NULL)
    *n = kv->v.array.n;
  return TRUE;
}

/* The key's array if its elements have exactly @elem_type. */
static const Array *
lookup_array (ScGguf     *gguf,
              const char *key,
              ScGgufType  elem_type,
              GError    **error)
{
  const Kv *kv = lookup_typed (gguf, key, SC_GGUF_TYPE_ARRAY, error);

  if (kv == NULL)
    return NULL;
  if (kv->v.array.type != elem_type)
    {
      g_autofree char *expected = g_strdup_printf (_("an array of %s"),
                                                   sc_gguf_type_name (elem_type));

      set_wrong_type (kv, expected, error);
      return NULL;
    }
  return &kv->v.array;
}

gconstpointer
sc_gguf_get_array_data (ScGguf     *gguf,
                        const char *key,
                        ScGgufType  elem_type,
                        gsize      *n,
                        GError    **error)
{
  const Array *array;

  g_return_val_if_fail ((guint) elem_type < N_VALUE_TYPES, NULL);
  g_return_val_if_fail (value_types[elem_type].size > 0, NULL);

  array = lookup_array (gguf, key, elem_type, error);
  if (array == NULL)
    return NULL;
  if (n != NULL)
    *n = array->n;
  return array->data;
}

const gint32 *
sc_gguf_get_i32_array (ScGguf     *gguf,
                       const char *key,
                       gsize      *n,
                       GError    **error)
{
  return sc_gguf_get_array_data (gguf, key, SC_GGUF_TYPE_INT32, n, error);
}

const float *
sc_gguf_get_f32_array (ScGguf     *gguf,
                       const char *key,
                       gsize      *n,
                       GError    **error)
{
  return sc_gguf_get_array_data (gguf, key, SC_GGUF_TYPE_FLOAT32, n, error);
}

const char *const *
sc_gguf_get_string_array (ScGguf       *gguf,
                          const char   *key,
                          gsize        *n,
                          const gsize **lengths,
                          GError      **error)
{
  const Array *array = lookup_array (gguf, key, SC_GGUF_TYPE_STRING, error);

  if (array == NULL)
    return NULL;
  if (n != NULL)
    *n = array->n;
  if (lengths != NULL)
    *lengths = array->lengths;
  return (const char *const *) array->data;
}

gboolean
sc_gguf_get_nested_array (ScGguf        *gguf,
                          const char    *key,
                          gsize          index,
                          ScGgufType    *elem_type,
                          gsize         *n,
                          gconstpointer *elements,
                          GError       **error)
{
  const Array *array = lookup_array (gguf, key, SC_GGUF_TYPE_ARRAY, error);
  const Array *inner;

  if (array == NULL)
    return FALSE;
  if (index >= array->n)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("The array “%s” has no element %zu"), key, index);
      return FALSE;
    }
  inner = &((const Array *) array->data)[index];
  if (elem_type != NULL)
    *elem_type = inner->type;
  if (n != NULL)
    *n = inner->n;
  if (elements != NULL)
    *elements = inner->data;
  return TRUE;
}

/* ================================================================================================
 * Tensor access
 * ============================================================================================== */

const ScGgufTensor *
sc_gguf_get_tensor (ScGguf *gguf,
                    gsize   index)
{
  g_return_val_if_fail (gguf != NULL, NULL);
  g_return_val_if_fail (index < gguf->n_tensors, NULL);
  return &gguf->tensors[index];
}

const ScGgufTensor *
sc_gguf_find_tensor (ScGguf     *gguf,
                     const char *name)
{
  g_return_val_if_fail (gguf != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return g_hash_table_lookup (gguf->tensor_index, name);
}

const ScGgufTensor *
sc_gguf_require_tensor (ScGguf     *gguf,
                        const char *name,
                        GError    **error)
{
  const ScGgufTensor *tensor = sc_gguf_find_tensor (gguf, name);

  if (tensor == NULL)
    g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                 _("The model file lacks the tensor “%s”"), name);
  return tensor;
}
