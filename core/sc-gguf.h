/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-gguf.h: a defensive reader for GGUF model files (versions 2 and 3).
 *
 * The file is memory-mapped and every count, length, size and offset in it is checked against
 * the mapping before use, so a damaged or hostile file fails with a GError (SC_ERROR_CORRUPT, or
 * SC_ERROR_NOT_SUPPORTED for what is valid but not read here, such as more than 65536 keys or
 * 2^20 tensors) instead of crashing. Metadata is parsed and validated completely in
 * sc_gguf_open(); afterwards the object is read-only and may be read from several threads.
 * Tensor data is never copied: ScGgufTensor.data points into the mapping, which stays alive as
 * long as the ScGguf.
 *
 *   g_autoptr(ScGguf) gguf = sc_gguf_open (path, error);
 *   const char *arch = sc_gguf_get_arch (gguf, error);
 *   guint64 n_layer;
 *   sc_gguf_get_uint (gguf, "llama.block_count", &n_layer, error);
 *   const ScGgufTensor *wq = sc_gguf_require_tensor (gguf, "blk.0.attn_q.weight", error);
 */
#pragma once

#include <glib.h>

#include "sc-quant.h"

G_BEGIN_DECLS

#define SC_GGUF_MAX_DIMS 4
#define SC_GGUF_DEFAULT_ALIGNMENT 32

/* Metadata value types, as stored in the file. */
typedef enum
{
  SC_GGUF_TYPE_UINT8 = 0,
  SC_GGUF_TYPE_INT8 = 1,
  SC_GGUF_TYPE_UINT16 = 2,
  SC_GGUF_TYPE_INT16 = 3,
  SC_GGUF_TYPE_UINT32 = 4,
  SC_GGUF_TYPE_INT32 = 5,
  SC_GGUF_TYPE_FLOAT32 = 6,
  SC_GGUF_TYPE_BOOL = 7,
  SC_GGUF_TYPE_STRING = 8,
  SC_GGUF_TYPE_ARRAY = 9,
  SC_GGUF_TYPE_UINT64 = 10,
  SC_GGUF_TYPE_INT64 = 11,
  SC_GGUF_TYPE_FLOAT64 = 12,
} ScGgufType;

typedef struct _ScGguf ScGguf;

/* One tensor. ne[0] is the contiguous dimension (a row); dimensions past n_dims are 1. */
typedef struct
{
  const char  *name;
  ScTensorType type;       /* a known type; check sc_tensor_type_is_supported() before use */
  guint        n_dims;     /* 1..SC_GGUF_MAX_DIMS */
  gint64       ne[SC_GGUF_MAX_DIMS];
  gint64       n_elements; /* ne[0] * ne[1] * ne[2] * ne[3] */
  gsize        n_bytes;    /* n_elements / block size * type size */
  guint64      offset;     /* from the start of the data section; a multiple of the alignment */
  const void  *data;       /* n_bytes bytes inside the mapping, aligned for the type's fields */
} ScGgufTensor;

ScGguf *sc_gguf_open           (const char *path,
                                GError    **error);
ScGguf *sc_gguf_new_from_bytes (GBytes     *bytes,
                                GError    **error);
void    sc_gguf_free           (ScGguf     *gguf);

guint32 sc_gguf_get_version     (ScGguf *gguf);
gsize   sc_gguf_get_alignment   (ScGguf *gguf);
gsize   sc_gguf_get_data_offset (ScGguf *gguf);
gsize   sc_gguf_get_n_kv        (ScGguf *gguf);
gsize   sc_gguf_get_n_tensors   (ScGguf *gguf);

const char *sc_gguf_type_name (ScGgufType type);

/* ---- Metadata ----
 *
 * Keys are iterated by index (0..n_kv-1, file order) or looked up by name. Every getter fails
 * with SC_ERROR_CORRUPT when the key is missing or holds another type, naming the key. Strings
 * and arrays returned are owned by @gguf, NUL-terminated (strings) and suitably aligned
 * (numeric arrays). */

const char *sc_gguf_get_kv_key  (ScGguf     *gguf,
                                 gsize       index);
ScGgufType  sc_gguf_get_kv_type (ScGguf     *gguf,
                                 gsize       index);
gssize      sc_gguf_find_key    (ScGguf     *gguf,
                                 const char *key);
gboolean    sc_gguf_has_key     (ScGguf     *gguf,
                                 const char *key);

gboolean    sc_gguf_get_u32    (ScGguf      *gguf,
                                const char  *key,
                                guint32     *value,
                                GError     **error);
gboolean    sc_gguf_get_i32    (ScGguf      *gguf,
                                const char  *key,
                                gint32      *value,
                                GError     **error);
gboolean    sc_gguf_get_u64    (ScGguf      *gguf,
                                const char  *key,
                                guint64     *value,
                                GError     **error);
gboolean    sc_gguf_get_i64    (ScGguf      *gguf,
                                const char  *key,
                                gint64      *value,
                                GError     **error);
gboolean    sc_gguf_get_f32    (ScGguf      *gguf,
                                const char  *key,
                                float       *value,
                                GError     **error);
gboolean    sc_gguf_get_f64    (ScGguf      *gguf,
                                const char  *key,
                                double      *value,
                                GError     **error);
gboolean    sc_gguf_get_bool   (ScGguf      *gguf,
                                const char  *key,
                                gboolean    *value,
                                GError     **error);
const char *sc_gguf_get_string (ScGguf      *gguf,
                                const char  *key,
                                GError     **error);

/* Any integer type (writers disagree on u32/i32/u64), failing when the value does not fit. */
gboolean sc_gguf_get_uint (ScGguf      *gguf,
                           const char  *key,
                           guint64     *value,
                           GError     **error);
gboolean sc_gguf_get_int  (ScGguf      *gguf,
                           const char  *key,
                           gint64      *value,
                           GError     **error);

/* general.architecture ("llama", "qwen2", "bert", …). */
const char *sc_gguf_get_arch (ScGguf  *gguf,
                              GError **error);

/* Arrays. sc_gguf_get_array() reports any array's element type and length (either out
 * argument may be NULL). The typed accessors fail unless the elements have exactly that type;
 * sc_gguf_get_array_data() returns the elements of any fixed-size type (not STRING or ARRAY)
 * as a packed host-endian C array. sc_gguf_get_string_array() returns a NULL-terminated vector;
 * @lengths (may be NULL) receives the byte lengths, for strings holding NUL bytes. Empty arrays
 * return a valid non-NULL pointer. */
gboolean            sc_gguf_get_array        (ScGguf       *gguf,
                                              const char   *key,
                                              ScGgufType   *elem_type,
                                              gsize        *n,
                                              GError      **error);
gconstpointer       sc_gguf_get_array_data   (ScGguf       *gguf,
                                              const char   *key,
                                              ScGgufType    elem_type,
                                              gsize        *n,
                                              GError      **error);
const gint32       *sc_gguf_get_i32_array    (ScGguf       *gguf,
                                              const char   *key,
                                              gsize        *n,
                                              GError      **error);
const float        *sc_gguf_get_f32_array    (ScGguf       *gguf,
                                              const char   *key,
                                              gsize        *n,
                                              GError      **error);
const char *const  *sc_gguf_get_string_array (ScGguf       *gguf,
                                              const char   *key,
                                              gsize        *n,
                                              const gsize **lengths,
                                              GError      **error);

/* Element @index of an array of arrays (nesting is limited to two levels): its element type,
 * length and elements as sc_gguf_get_array_data() or sc_gguf_get_string_array() return them. */
gboolean sc_gguf_get_nested_array (ScGguf        *gguf,
                                   const char    *key,
                                   gsize          index,
                                   ScGgufType    *elem_type,
                                   gsize         *n,
                                   gconstpointer *elements,
                                   GError       **error);

/* ---- Tensors ---- */

const ScGgufTensor *sc_gguf_get_tensor     (ScGguf     *gguf,
                                            gsize       index);
const ScGgufTensor *sc_gguf_find_tensor    (ScGguf     *gguf,
                                            const char *name);
const ScGgufTensor *sc_gguf_require_tensor (ScGguf     *gguf,
                                            const char *name,
                                            GError    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScGguf, sc_gguf_free)

G_END_DECLS
