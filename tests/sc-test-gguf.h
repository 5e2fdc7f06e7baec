/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-test-gguf.h: a small GGUF writer for tests, able to write files that lie.
 *
 * It knows the container format only (type ids are plain numbers, so it needs nothing from
 * core/): the caller supplies tensor bytes, and the writer lays out header, metadata, tensor
 * infos, padding and data as ggml does. Knobs override what the header and tensor infos claim
 * while the real layout stays as it was, and sc_test_gguf_get_offset() tells where each field
 * ended up so a test can patch the built bytes.
 *
 *   g_autoptr(ScTestGguf) w = sc_test_gguf_new (3);
 *   sc_test_gguf_add_string (w, "general.architecture", "llama");
 *   sc_test_gguf_add_tensor (w, "t", 0, 1, (gint64[]) { 8 }, floats, sizeof floats);
 *   g_autofree char *path = sc_test_gguf_write (w, "model.gguf");
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ScTestGguf ScTestGguf;

/* Where sc_test_gguf_get_offset() finds a field in the built bytes. @index selects the key or
 * tensor (in order of addition) for the KV_ and TENSOR_ fields. */
typedef enum
{
  SC_TEST_GGUF_FIELD_MAGIC,
  SC_TEST_GGUF_FIELD_VERSION,       /* u32 */
  SC_TEST_GGUF_FIELD_N_TENSORS,     /* u64 */
  SC_TEST_GGUF_FIELD_N_KV,          /* u64 */
  SC_TEST_GGUF_FIELD_KV_KEY,        /* u64 key length, then the key */
  SC_TEST_GGUF_FIELD_KV_TYPE,       /* u32 value type */
  SC_TEST_GGUF_FIELD_KV_VALUE,      /* the value (a string's u64 length, an array's u32 type) */
  SC_TEST_GGUF_FIELD_TENSOR_NAME,   /* u64 name length, then the name */
  SC_TEST_GGUF_FIELD_TENSOR_N_DIMS, /* u32 */
  SC_TEST_GGUF_FIELD_TENSOR_NE,     /* n_dims × u64 */
  SC_TEST_GGUF_FIELD_TENSOR_TYPE,   /* u32 */
  SC_TEST_GGUF_FIELD_TENSOR_OFFSET, /* u64 */
  SC_TEST_GGUF_FIELD_DATA,          /* the start of the data section */
} ScTestGgufField;

ScTestGguf *sc_test_gguf_new  (guint32     version);
void        sc_test_gguf_free (ScTestGguf *writer);

/* Layout knobs. The alignment only places the data; add "general.alignment" yourself (or leave
 * it out, or give it another type) to say what the file claims. */
void sc_test_gguf_set_alignment (ScTestGguf *writer,
                                 gsize       alignment);
void sc_test_gguf_set_magic     (ScTestGguf *writer,
                                 const char *magic);
void sc_test_gguf_set_n_tensors (ScTestGguf *writer,
                                 guint64     n_tensors);
void sc_test_gguf_set_n_kv      (ScTestGguf *writer,
                                 guint64     n_kv);

/* Metadata, in file order. Value types are GGUF's ids (0 = u8 … 12 = f64). */
void sc_test_gguf_add_u8     (ScTestGguf *writer, const char *key, guint8 value);
void sc_test_gguf_add_i8     (ScTestGguf *writer, const char *key, gint8 value);
void sc_test_gguf_add_u16    (ScTestGguf *writer, const char *key, guint16 value);
void sc_test_gguf_add_i16    (ScTestGguf *writer, const char *key, gint16 value);
void sc_test_gguf_add_u32    (ScTestGguf *writer, const char *key, guint32 value);
void sc_test_gguf_add_i32    (ScTestGguf *writer, const char *key, gint32 value);
void sc_test_gguf_add_u64    (ScTestGguf *writer, const char *key, guint64 value);
void sc_test_gguf_add_i64    (ScTestGguf *writer, const char *key, gint64 value);
void sc_test_gguf_add_f32    (ScTestGguf *writer, const char *key, float value);
void sc_test_gguf_add_f64    (ScTestGguf *writer, const char *key, double value);
void sc_test_gguf_add_bool   (ScTestGguf *writer, const char *key, gboolean value);
void sc_test_gguf_add_string (ScTestGguf *writer, const char *key, const char *value);

/* An array of a fixed-size type: @elements holds @n host-order values of @elem_type. */
void sc_test_gguf_add_array        (ScTestGguf        *writer,
                                    const char        *key,
                                    guint32            elem_type,
                                    gconstpointer      elements,
                                    gsize              n);
void sc_test_gguf_add_string_array (ScTestGguf        *writer,
                                    const char        *key,
                                    const char *const *strv,
                                    gsize              n);
/* Any value: @type is written as given and @value (as built with the sc_test_gguf_put_*
 * encoders) follows verbatim, which is how nested arrays and lies are written. */
void sc_test_gguf_add_raw          (ScTestGguf        *writer,
                                    const char        *key,
                                    guint32            type,
                                    const GByteArray  *value);

/* Little-endian encoders for raw values. */
void sc_test_gguf_put_u32          (GByteArray        *out,
                                    guint32            value);
void sc_test_gguf_put_u64          (GByteArray        *out,
                                    guint64            value);
void sc_test_gguf_put_string       (GByteArray        *out,
                                    const char        *value);
void sc_test_gguf_put_array_header (GByteArray        *out,
                                    guint32            elem_type,
                                    guint64            n);

/* A tensor with @n_dims dimensions @ne (written as given, even when they lie) of ggml type
 * @type, and @n_bytes bytes of data placed at the next aligned offset. Returns its index. */
gsize sc_test_gguf_add_tensor        (ScTestGguf    *writer,
                                      const char    *name,
                                      guint32        type,
                                      guint          n_dims,
                                      const gint64  *ne,
                                      gconstpointer  data,
                                      gsize          n_bytes);
/* Makes tensor @index claim @offset while its data stays where the layout put it. */
void  sc_test_gguf_set_tensor_offset (ScTestGguf    *writer,
                                      gsize          index,
                                      guint64        offset);

/* Output. The offsets refer to the most recent build. */
GByteArray *sc_test_gguf_build      (ScTestGguf      *writer);
GBytes     *sc_test_gguf_to_bytes   (ScTestGguf      *writer);
char       *sc_test_gguf_write      (ScTestGguf      *writer,
                                     const char      *name);
gsize       sc_test_gguf_get_offset (ScTestGguf      *writer,
                                     ScTestGgufField  field,
                                     gsize            index);

/* Patching built bytes, and writing any bytes to a fresh temporary file. */
void  sc_test_gguf_patch_u32  (GByteArray   *bytes,
                               gsize         offset,
                               guint32       value);
void  sc_test_gguf_patch_u64  (GByteArray   *bytes,
                               gsize         offset,
                               guint64       value);
char *sc_test_gguf_write_data (const char   *name,
                               const guint8 *data,
                               gsize         length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScTestGguf, sc_test_gguf_free)

G_END_DECLS
