/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-gguf.c: the GGUF reader on files the tests write themselves: valid ones round-trip, and
 * each class of damaged or hostile file fails with the right GError instead of crashing. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sc-error.h"
#include "sc-gguf.h"
#include "sc-test-gguf.h"

#define F32 SC_TENSOR_TYPE_F32
#define GGUF_U8 SC_GGUF_TYPE_UINT8
#define GGUF_ARRAY SC_GGUF_TYPE_ARRAY

/* ---- Helpers ---- */

static void
remove_temp_file (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Writes @len bytes to a file of its own and opens it. The mapping outlives the unlink. */
static ScGguf *
open_data (const guint8 *data,
           gsize         len,
           GError      **error)
{
  g_autofree char *path = sc_test_gguf_write_data ("test.gguf", data, len);
  ScGguf *gguf = sc_gguf_open (path, error);

  remove_temp_file (path);
  return gguf;
}

static ScGguf *
open_writer (ScTestGguf *writer,
             GError    **error)
{
  g_autoptr(GByteArray) bytes = sc_test_gguf_build (writer);

  return open_data (bytes->data, bytes->len, error);
}

/* The bytes must be rejected with @code, from a file and from memory alike. The in-memory copy
 * has exactly the file's size, so AddressSanitizer sees any read past its end. */
static void
assert_rejected_data (const guint8 *data,
                      gsize         len,
                      gint          code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) bytes_error = NULL;
  g_autoptr(ScGguf) gguf = open_data (data, len, &error);
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);
  g_autoptr(ScGguf) from_bytes = sc_gguf_new_from_bytes (bytes, &bytes_error);

  g_assert_null (gguf);
  g_assert_error (error, SC_ERROR, code);
  g_test_message ("rejected: %s", error->message);
  g_assert_null (from_bytes);
  g_assert_error (bytes_error, SC_ERROR, code);
}

static void
assert_rejected (GByteArray *bytes,
                 gint        code)
{
  assert_rejected_data (bytes->data, bytes->len, code);
}

static void
assert_writer_rejected (ScTestGguf *writer,
                        gint        code)
{
  g_autoptr(GByteArray) bytes = sc_test_gguf_build (writer);

  assert_rejected (bytes, code);
}

static void
fill_pattern (guint8 *data,
              gsize   n,
              guint   seed)
{
  for (gsize i = 0; i < n; i++)
    data[i] = (guint8) (i * 7 + seed);
}

/* A small valid model: metadata as a tokenizer has it and two tensors, the second ending
 * exactly on the alignment so that every proper prefix of the file is damaged. */
static ScTestGguf *
new_small_writer (guint32 version)
{
  static const char *const tokens[] = { "<s>", "</s>", "Straße" };
  static const float scores[] = { 0.0f, -1.0f, -2.5f };
  static const gint32 token_types[] = { 3, 3, 1 };
  ScTestGguf *writer = sc_test_gguf_new (version);
  guint8 q8[2 * 34];
  float f[8];

  sc_test_gguf_add_string (writer, "general.architecture", "llama");
  sc_test_gguf_add_u32 (writer, "llama.block_count", 2);
  sc_test_gguf_add_string_array (writer, "tokenizer.ggml.tokens", tokens, 3);
  sc_test_gguf_add_array (writer, "tokenizer.ggml.scores", SC_GGUF_TYPE_FLOAT32, scores, 3);
  sc_test_gguf_add_array (writer, "tokenizer.ggml.token_type", SC_GGUF_TYPE_INT32,
                          token_types, 3);
  fill_pattern (q8, sizeof q8, 1);
  for (guint i = 0; i < 8; i++)
    f[i] = i * 0.5f;
  sc_test_gguf_add_tensor (writer, "blk.0.w", SC_TENSOR_TYPE_Q8_0, 2, (gint64[]) { 32, 2 },
                           q8, sizeof q8);
  sc_test_gguf_add_tensor (writer, "norm", F32, 1, (gint64[]) { 8 }, f, sizeof f);
  return writer;
}

/* ---- Valid files ---- */

static void
test_roundtrip_v3 (void)
{
  static const char *const strings[] = { "", "eins", "zwei – ß", "drei" };
  static const gint32 i32s[] = { -1, 0, 7, G_MAXINT32 };
  static const float f32s[] = { 1.5f, -0.25f };
  static const guint8 u8s[] = { 1, 2, 255 };
  static const guint64 u64s[] = { G_MAXUINT64 };
  g_autoptr(ScTestGguf) writer = sc_test_gguf_new (3);
  g_autoptr(GByteArray) nested = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ScGguf) gguf = NULL;
  g_autofree guint8 *data_f16 = g_malloc (6 * 2);
  g_autofree guint8 *data_q4k = g_malloc (2 * 144);
  g_autofree guint8 *data_bf16 = g_malloc (3 * 2 * 2 * 2);
  g_autofree guint8 *data_q4_0 = g_malloc (18);
  const ScGgufTensor *t;
  const char *const *strv;
  const gsize *lengths;
  const gint32 *i32_out;
  const float *f32_out;
  gconstpointer elements;
  ScGgufType elem_type;
  gsize n;
  guint32 u32;
  gint32 i32;
  guint64 u64;
  gint64 i64;
  float f32;
  double f64;
  gboolean b;

  sc_test_gguf_add_u8 (writer, "test.u8", 200);
  sc_test_gguf_add_i8 (writer, "test.i8", -100);
  sc_test_gguf_add_u16 (writer, "test.u16", 60000);
  sc_test_gguf_add_i16 (writer, "test.i16", -30000);
  sc_test_gguf_add_u32 (writer, "test.u32", 4000000000u);
  sc_test_gguf_add_i32 (writer, "test.i32", -2000000000);
  sc_test_gguf_add_f32 (writer, "test.f32", 0.125f);
  sc_test_gguf_add_bool (writer, "test.bool", TRUE);
  sc_test_gguf_add_string (writer, "general.architecture", "qwen2");
  sc_test_gguf_add_u64 (writer, "test.u64", G_MAXUINT64);
  sc_test_gguf_add_i64 (writer, "test.i64", G_MININT64);
  sc_test_gguf_add_f64 (writer, "test.f64", -1e300);
  sc_test_gguf_add_string_array (writer, "test.strings", strings, G_N_ELEMENTS (strings));
  sc_test_gguf_add_array (writer, "test.i32s", SC_GGUF_TYPE_INT32, i32s, G_N_ELEMENTS (i32s));
  sc_test_gguf_add_array (writer, "test.f32s", SC_GGUF_TYPE_FLOAT32, f32s, G_N_ELEMENTS (f32s));
  sc_test_gguf_add_array (writer, "test.u8s", GGUF_U8, u8s, G_N_ELEMENTS (u8s));
  sc_test_gguf_add_array (writer, "test.u64s", SC_GGUF_TYPE_UINT64, u64s, 1);
  sc_test_gguf_add_array (writer, "test.empty", SC_GGUF_TYPE_INT32, NULL, 0);
  /* An array of two arrays: [u8 1, 2] and ["x"]. */
  sc_test_gguf_put_array_header (nested, GGUF_ARRAY, 2);
  sc_test_gguf_put_array_header (nested, GGUF_U8, 2);
  g_byte_array_append (nested, (const guint8 *) "\x01\x02", 2);
  sc_test_gguf_put_array_header (nested, SC_GGUF_TYPE_STRING, 1);
  sc_test_gguf_put_string (nested, "x");
  sc_test_gguf_add_raw (writer, "test.nested", GGUF_ARRAY, nested);

  fill_pattern (data_f16, 12, 3);
  fill_pattern (data_q4k, 288, 5);
  fill_pattern (data_bf16, 24, 7);
  fill_pattern (data_q4_0, 18, 9);
  sc_test_gguf_add_tensor (writer, "a.f16", SC_TENSOR_TYPE_F16, 2, (gint64[]) { 3, 2 },
                           data_f16, 12);
  sc_test_gguf_add_tensor (writer, "b.q4_k", SC_TENSOR_TYPE_Q4_K, 2, (gint64[]) { 256, 2 },
                           data_q4k, 288);
  sc_test_gguf_add_tensor (writer, "c.bf16", SC_TENSOR_TYPE_BF16, 3, (gint64[]) { 3, 2, 2 },
                           data_bf16, 24);
  sc_test_gguf_add_tensor (writer, "d.q4_0", SC_TENSOR_TYPE_Q4_0, 4, (gint64[]) { 32, 1, 1, 1 },
                           data_q4_0, 18);

  gguf = open_writer (writer, &error);
  g_assert_no_error (error);
  g_assert_nonnull (gguf);

  g_assert_cmpuint (sc_gguf_get_version (gguf), ==, 3);
  g_assert_cmpuint (sc_gguf_get_alignment (gguf), ==, 32);
  g_assert_cmpuint (sc_gguf_get_n_kv (gguf), ==, 19);
  g_assert_cmpuint (sc_gguf_get_n_tensors (gguf), ==, 4);
  g_assert_cmpuint (sc_gguf_get_data_offset (gguf), ==,
                    sc_test_gguf_get_offset (writer, SC_TEST_GGUF_FIELD_DATA, 0));
  g_assert_cmpuint (sc_gguf_get_data_offset (gguf) % 32, ==, 0);

  /* Iteration keeps file order and types. */
  g_assert_cmpstr (sc_gguf_get_kv_key (gguf, 0), ==, "test.u8");
  g_assert_cmpint (sc_gguf_get_kv_type (gguf, 0), ==, SC_GGUF_TYPE_UINT8);
  g_assert_cmpstr (sc_gguf_get_kv_key (gguf, 18), ==, "test.nested");
  g_assert_cmpint (sc_gguf_get_kv_type (gguf, 18), ==, SC_GGUF_TYPE_ARRAY);
  for (gsize i = 0; i < sc_gguf_get_n_kv (gguf); i++)
    g_assert_cmpint (sc_gguf_find_key (gguf, sc_gguf_get_kv_key (gguf, i)), ==, (gssize) i);
  g_assert_cmpint (sc_gguf_find_key (gguf, "missing"), ==, -1);
  g_assert_false (sc_gguf_has_key (gguf, "test"));

  /* Scalars, through the exact and the any-integer getters. */
  g_assert_true (sc_gguf_get_uint (gguf, "test.u8", &u64, &error));
  g_assert_cmpuint (u64, ==, 200);
  g_assert_true (sc_gguf_get_int (gguf, "test.i8", &i64, &error));
  g_assert_cmpint (i64, ==, -100);
  g_assert_true (sc_gguf_get_uint (gguf, "test.u16", &u64, &error));
  g_assert_cmpuint (u64, ==, 60000);
  g_assert_true (sc_gguf_get_int (gguf, "test.i16", &i64, &error));
  g_assert_cmpint (i64, ==, -30000);
  g_assert_true (sc_gguf_get_u32 (gguf, "test.u32", &u32, &error));
  g_assert_cmpuint (u32, ==, 4000000000u);
  g_assert_true (sc_gguf_get_i32 (gguf, "test.i32", &i32, &error));
  g_assert_cmpint (i32, ==, -2000000000);
  g_assert_true (sc_gguf_get_int (gguf, "test.u32", &i64, &error));
  g_assert_cmpint (i64, ==, 4000000000);
  g_assert_true (sc_gguf_get_f32 (gguf, "test.f32", &f32, &error));
  g_assert_cmpfloat (f32, ==, 0.125f);
  g_assert_true (sc_gguf_get_bool (gguf, "test.bool", &b, &error));
  g_assert_true (b);
  g_assert_cmpstr (sc_gguf_get_arch (gguf, &error), ==, "qwen2");
  g_assert_true (sc_gguf_get_u64 (gguf, "test.u64", &u64, &error));
  g_assert_cmpuint (u64, ==, G_MAXUINT64);
  g_assert_true (sc_gguf_get_i64 (gguf, "test.i64", &i64, &error));
  g_assert_cmpint (i64, ==, G_MININT64);
  g_assert_true (sc_gguf_get_f64 (gguf, "test.f64", &f64, &error));
  g_assert_cmpfloat (f64, ==, -1e300);
  g_assert_no_error (error);

  /* Arrays. */
  strv = sc_gguf_get_string_array (gguf, "test.strings", &n, &lengths, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 4);
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpstr (strv[i], ==, strings[i]);
      g_assert_cmpuint (lengths[i], ==, strlen (strings[i]));
    }
  g_assert_null (strv[n]);
  i32_out = sc_gguf_get_i32_array (gguf, "test.i32s", &n, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (i32_out, n * sizeof (gint32), i32s, sizeof i32s);
  f32_out = sc_gguf_get_f32_array (gguf, "test.f32s", &n, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (f32_out, n * sizeof (float), f32s, sizeof f32s);
  elements = sc_gguf_get_array_data (gguf, "test.u8s", GGUF_U8, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (elements, n, u8s, sizeof u8s);
  elements = sc_gguf_get_array_data (gguf, "test.u64s", SC_GGUF_TYPE_UINT64, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (elements, n * 8, u64s, sizeof u64s);
  i32_out = sc_gguf_get_i32_array (gguf, "test.empty", &n, &error);
  g_assert_no_error (error);
  g_assert_nonnull (i32_out);
  g_assert_cmpuint (n, ==, 0);

  g_assert_true (sc_gguf_get_array (gguf, "test.nested", &elem_type, &n, &error));
  g_assert_cmpint (elem_type, ==, SC_GGUF_TYPE_ARRAY);
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (sc_gguf_get_nested_array (gguf, "test.nested", 0, &elem_type, &n, &elements,
                                           &error));
  g_assert_cmpint (elem_type, ==, GGUF_U8);
  g_assert_cmpmem (elements, n, "\x01\x02", 2);
  g_assert_true (sc_gguf_get_nested_array (gguf, "test.nested", 1, &elem_type, &n, &elements,
                                           &error));
  g_assert_cmpint (elem_type, ==, SC_GGUF_TYPE_STRING);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (((const char *const *) elements)[0], ==, "x");
  g_assert_false (sc_gguf_get_nested_array (gguf, "test.nested", 2, NULL, NULL, NULL, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Tensors: shape, sizes, and data pointing at the bytes that were written. */
  t = sc_gguf_require_tensor (gguf, "a.f16", &error);
  g_assert_no_error (error);
  g_assert_cmpint (t->type, ==, SC_TENSOR_TYPE_F16);
  g_assert_cmpuint (t->n_dims, ==, 2);
  g_assert_cmpint (t->ne[0], ==, 3);
  g_assert_cmpint (t->ne[1], ==, 2);
  g_assert_cmpint (t->ne[2], ==, 1);
  g_assert_cmpint (t->ne[3], ==, 1);
  g_assert_cmpint (t->n_elements, ==, 6);
  g_assert_cmpuint (t->n_bytes, ==, 12);
  g_assert_cmpmem (t->data, t->n_bytes, data_f16, 12);

  t = sc_gguf_find_tensor (gguf, "b.q4_k");
  g_assert_nonnull (t);
  g_assert_true (t == sc_gguf_get_tensor (gguf, 1));
  g_assert_cmpint (t->type, ==, SC_TENSOR_TYPE_Q4_K);
  g_assert_cmpint (t->n_elements, ==, 512);
  g_assert_cmpuint (t->n_bytes, ==, 288);
  g_assert_cmpuint (t->offset % 32, ==, 0);
  g_assert_cmpmem (t->data, t->n_bytes, data_q4k, 288);

  t = sc_gguf_find_tensor (gguf, "c.bf16");
  g_assert_cmpuint (t->n_dims, ==, 3);
  g_assert_cmpint (t->n_elements, ==, 12);
  g_assert_cmpmem (t->data, t->n_bytes, data_bf16, 24);

  t = sc_gguf_find_tensor (gguf, "d.q4_0");
  g_assert_cmpuint (t->n_dims, ==, 4);
  g_assert_cmpuint (t->n_bytes, ==, 18);
  g_assert_cmpmem (t->data, t->n_bytes, data_q4_0, 18);

  g_assert_null (sc_gguf_find_tensor (gguf, "missing"));
  g_assert_null (sc_gguf_require_tensor (gguf, "missing", &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
}

static void
test_roundtrip_v2 (void)
{
  g_autoptr(ScTestGguf) writer = new_small_writer (2);
  g_autoptr(GError) error = NULL;
  g_autoptr(ScGguf) gguf = open_writer (writer, &error);
  const ScGgufTensor *t;
  const float *f;
  gsize n;

  g_assert_no_error (error);
  g_assert_cmpuint (sc_gguf_get_version (gguf), ==, 2);
  g_assert_cmpstr (sc_gguf_get_arch (gguf, &error), ==, "llama");
  g_assert_cmpstr (sc_gguf_get_string_array (gguf, "tokenizer.ggml.tokens", &n, NULL,
                                             &error)[2], ==, "Straße");
  g_assert_no_error (error);
  t = sc_gguf_find_tensor (gguf, "norm");
  g_assert_cmpint (t->type, ==, F32);
  f = t->data;
  for (guint i = 0; i < 8; i++)
    g_assert_cmpfloat (f[i], ==, i * 0.5f);
}

static void
test_alignment_custom (void)
{
  g_autoptr(ScTestGguf) writer = new_small_writer (3);
  g_autoptr(GError) error = NULL;
  g_autoptr(ScGguf) gguf = NULL;
  guint8 data[40];

  fill_pattern (data, sizeof data, 11);
  sc_test_gguf_set_alignment (writer, 64);
  sc_test_gguf_add_u32 (writer, "general.alignment", 64);
  sc_test_gguf_add_tensor (writer, "third", SC_TENSOR_TYPE_I8, 1, (gint64[]) { 40 }, data, 40);
  gguf = open_writer (writer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sc_gguf_get_alignment (gguf), ==, 64);
  g_assert_cmpuint (sc_gguf_get_data_offset (gguf) % 64, ==, 0);
  for (gsize i = 0; i < sc_gguf_get_n_tensors (gguf); i++)
    {
      const ScGgufTensor *t = sc_gguf_get_tensor (gguf, i);

      g_assert_cmpuint (t->offset % 64, ==, 0);
      g_assert_cmpuint ((guintptr) t->data % 64, ==, 0); /* the mapping is page-aligned */
    }
  /* A known type that cannot be dequantised still opens; callers check support. */
  g_assert_false (sc_tensor_type_is_supported (sc_gguf_get_tensor (gguf, 2)->type));
  g_assert_cmpmem (sc_gguf_get_tensor (gguf, 2)->data, 40, data, 40);
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScGguf) gguf = sc_gguf_open ("/nonexistent/sichtung/model.gguf", &error);

  g_assert_null (gguf);
  g_assert_error (error, SC_ERROR, SC_ERROR_IO);
}

/* ---- Hostile files: one test per class ---- */

static void
test_bad_magic (void)
{
  g_autoptr(ScTestGguf) writer = new_small_writer (3);

  sc_test_gguf_set_magic (writer, "GGML");
  assert_writer_rejected (writer, SC_ERROR_NOT_SUPPORTED);
  assert_rejected_data ((const guint8 *) "%PDF-1.7\n", 9, SC_ERROR_NOT_SUPPORTED);
}

static void
test_bad_version (void)
{
  static const guint32 versions[] = { 0, 1, 4, 0x03000000 /* big-endian 3 */, G_MAXUINT32 };

  for (guint i = 0; i < G_N_ELEMENTS (versions); i++)
    {
      g_autoptr(ScTestGguf) writer = new_small_writer (versions[i]);

      assert_writer_rejected (writer, SC_ERROR_NOT_SUPPORTED);
    }
}

static void
test_kv_count_too_large (void)
{
  static const guint64 counts[] = { 6, 1000, G_GUINT64_CONSTANT (1) << 40, G_MAXUINT64 };

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      g_autoptr(ScTestGguf) writer = new_small_writer (3);

      sc_test_gguf_set_n_kv (writer, counts[i]);
      assert_writer_rejected (writer, SC_ERROR_CORRUPT);
    }
}

static void
test_tensor_count_too_large (void)
{
  static const guint64 counts[] = { 1000, G_GUINT64_CONSTANT (1) << 62, G_MAXUINT64 };

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      g_autoptr(ScTestGguf) writer = new_small_writer (3);

      sc_test_gguf_set_n_tensors (writer, counts[i]);
      assert_writer_rejected (writer, SC_ERROR_CORRUPT);
    }
}

/* Counts the file could hold but no model has are refused before anything is allocated. */
static void
test_too_many_keys (void)
{
  g_autoptr(ScTestGguf) writer = new_small_writer (3);

  for (guint i = 0; i < 65536; i++)
    {
      char key[16];

      g_snprintf (key, sizeof key, "k%05u", i);
      sc_test_gguf_add_u8 (writer, key, 1);
    }
  assert_writer_rejected (writer, SC_ERROR_NOT_SUPPORTED);
}

static void
test_string_longer_than_file (void)
{
  g_autoptr(ScTestGguf) writer = new_small_writer (3);
  g_autoptr(GByteArray) bytes = sc_test_gguf_build (writer);
  const guint64 lengths[] = { bytes->len, G_MAXUINT64, G_MAXUINT64 - 7 };

  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      g_autoptr(GByteArray) value = sc_test_gguf_build (writer);
      g_autoptr(GByteArray) key = sc_test_gguf_build (writer);
      g_autoptr(GByteArray) name = sc_test_gguf_build (writer);

      /* A string value, a key and a tensor name that claim more bytes than there are. */
      sc_test_gguf_patch_u64 (value, sc_test_gguf_get_offset (writer,
                                                              SC_TEST_GGUF_FIELD_KV_VALUE, 0),
                              lengths[i]);
      assert_rejected (value, SC_ERROR_CORRUPT);
      sc_test_gguf_patch_u64 (key, sc_test_gguf_get_offset (writer, SC_TEST_GGUF_FIELD_KV_KEY, 1),
                              lengths[i]);
      assert_rejected (key, SC_ERROR_CORRUPT);
      sc_test_gguf_patch_u64 (name, sc_test_gguf_get_offset (writer,
                                                             SC_TEST_GGUF_FIELD_TENSOR_NAME, 1),
                              lengths[i]);
      assert_rejected (name, SC_ERROR_CORRUPT);
    }
}

static void
test_array_longer_than_file (void)
{
  static const guint64 counts[] = { 4, 1000, G_GUINT64_CONSTANT (1) << 61, G_MAXUINT64 / 4 + 1,
                                    G_MAXUINT64 };

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      g_autoptr(ScTestGguf) writer = new_small_writer (3);
      g_autoptr(GByteArray) strings = sc_test_gguf_build (writer);
      g_autoptr(GByteArray) floats = sc_test_gguf_build (writer);
      /* Key 2 is the string array, key 3 the f32 array; the count follows the u32 type. */
      gsize strings_count = sc_test_gguf_get_offset (writer, SC_TEST_GGUF_FIELD_KV_VALUE, 2) + 4;
      gsize floats_count = sc_test_gguf_get_offset (writer, SC_TEST_GGUF_FIELD_KV_VALUE, 3) + 4;

      sc_test_gguf_patch_u64 (strings, strings_count, counts[i]);
      assert_rejected (strings, SC_ERROR_CORRUPT);
      sc_test_gguf_patch_u64 (floats, floats_count, counts[i]);
      assert_rejected (floats, SC_ERROR_CORRUPT);
    }
}

static void
test_array_nesting_too_deep (void)
{
  g_autoptr(ScTestGguf) writer = new_small_writer (3);
  g_autoptr(GByteArray) value = g_byte_array_new ();

  /* [[[1]]]: an array of arrays of arrays of u8. */
  sc_test_gguf_put_array_header (value, GGUF_ARRAY, 1);
  sc_test_gguf_put_array_header (value, GGUF_ARRAY, 1);
  sc_test_gguf_put_array_header (value, GGUF_U8, 1);
  g_byte_array_append (value, (const guint8 *) "\x01", 1);
  sc_test_gguf_add_raw (writer, "test.deep", GGUF_ARRAY, value);
  assert_writer_rejected (writer, SC_ERROR_CORRUPT);
}

static void
test_unknown_value_type (void)
{
  static const guint32 types[] = { 13, 255, G_MAXUINT32 };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(ScTestGguf) writer = new_small_writer (3);
      g_autoptr(GByteArray) scalar = NULL;
      g_autoptr(GByteArray) element = NULL;

      sc_test_gguf_add_u32 (writer, "test.value", 1);
      scalar = sc_test_gguf_build (writer);
      element = sc_test_gguf_build (writer);
      /* The value type of a key, and the element type of an array. */
      sc_test_gguf_patch_u32 (scalar, sc_test_gguf_get_offset (writer,
                                                               SC_TEST_GGUF_FIELD_KV_TYPE, 5),
                              types[i]);
      assert_rejected (scalar, SC_ERROR_CORRUPT);
      sc_test_gguf_patch_u32 (element, sc_test_gguf_get_offset (writer,
                                                                SC_TEST_GGUF_FIELD_KV_VALUE, 4),
                              types[i]);
      assert_rejected (element, SC_ERROR_CORRUPT);
    }
}

static void
test_unknown_tensor_type (void)
{
  /* 4 and 5 were removed from ggml, 31 too; 40 and up do not exist (yet). */
  static const guint32 types[] = { 4, 5, 31, 40, 1000, G_MAXUINT32 };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(ScTestGguf) writer = new_small_writer (3);
      g_autoptr(GByteArray) bytes = sc_test_gguf_build (writer);

      sc_test_gguf_patch_u32 (bytes, sc_test_gguf_get_offset (writer,
                                                              SC_TEST_GGUF_FIELD_TENSOR_TYPE, 1),
                              types[i]);
      assert_rejected (bytes, SC_ERROR_NOT_SUPPORTED);
    }
}

static void
test_duplicate_key (void)
{
  g_autoptr(ScTestGguf) writer = new_small_writer (3);

  sc_test_gguf_add_string (writer, "general.architecture", "bert");
  assert_writer_rejected (writer, SC_ERROR_CORRUPT);
}

static void
test_duplicate_tensor_name (void)
{
  g_autoptr(ScTestGguf) writer = new_small_writer (3);
  float f[8] = { 0 };

  sc_test_gguf_add_tensor (writer, "norm", F32, 1, (gint64[]) { 8 }, f, sizeof f);
  assert_writer_rejected (writer, SC_ERROR_CORRUPT);
}

static void
test_invalid_key (void)
{
  static const char *const keys[] = { "", "general.\xff\xfe", "a\xc3" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(ScTestGguf) writer = new_small_writer (3);

      sc_test_gguf_add_u32 (writer, keys[i], 1);
      assert_writer_rejected (writer, SC_ERROR_CORRUPT);
    }
}

static void
test_invalid_bool (void)
{
  g_autoptr(ScTestGguf) writer = new_small_writer (3);
  g_autoptr(GByteArray) value = g_byte_array_new ();

  g_byte_array_append (value, (const guint8 *) "\x02", 1);
  sc_test_gguf_add_raw (writer, "test.bool", SC_GGUF_TYPE_BOOL, value);
  assert_writer_rejected (writer, SC_ERROR_CORRUPT);
}

static void
test_n_dims_too_large (void)
{
  g_autoptr(ScTestGguf) writer = new_small_writer (3);
  float f[32] = { 0 };

  sc_test_gguf_add_tensor (writer, "five", F32, 5, (gint64[]) { 2, 2, 2, 2, 2 }, f, sizeof f);
  assert_writer_rejected (writer, SC_ERROR_CORRUPT);
}

static void
test_n_dims_zero (void)
{
  g_autoptr(ScTestGguf) writer = new_small_writer (3);
  float f = 0;

  sc_test_gguf_add_tensor (writer, "scalar", F32, 0, NULL, &f, sizeof f);
  assert_writer_rejected (writer, SC_ERROR_CORRUPT);
}

static void
test_zero_dimension (void)
{
  g_autoptr(ScTestGguf) writer = new_small_writer (3);

  sc_test_gguf_add_tensor (writer, "empty", F32, 2, (gint64[]) { 8, 0 }, NULL, 0);
  assert_writer_rejected (writer, SC_ERROR_CORRUPT);
}

static void
test_negative_dimension (void)
{
  static const gint64 shapes[][2] = { { 8, -1 }, { -8, 1 }, { G_MININT64, 1 } };

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autoptr(ScTestGguf) writer = new_small_writer (3);
      float f[8] = { 0 };

      sc_test_gguf_add_tensor (writer, "negative", F32, 2, shapes[i], f, sizeof f);
      assert_writer_rejected (writer, SC_ERROR_CORRUPT);
    }
}

static void
test_element_count_overflow (void)
{
  static const gint64 shapes[][4] = {
    { G_GINT64_CONSTANT (1) << 32, G_GINT64_CONSTANT (1) << 32, 1, 1 },
    { G_MAXINT64, 2, 1, 1 },
    { 1 << 16, 1 << 16, 1 << 16, 1 << 16 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autoptr(ScTestGguf) writer = new_small_writer (3);
      float f[8] = { 0 };

      sc_test_gguf_add_tensor (writer, "huge", F32, 4, shapes[i], f, sizeof f);
      assert_writer_rejected (writer, SC_ERROR_CORRUPT);
    }
}

static void
test_byte_size_overflow (void)
{
  /* The element counts fit in int64, the byte sizes do not. */
  static const struct
  {
    guint32 type;
    gint64  ne[2];
  } cases[] = {
    { SC_TENSOR_TYPE_F32, { G_GINT64_CONSTANT (1) << 31, G_GINT64_CONSTANT (1) << 31 } },
    { SC_TENSOR_TYPE_Q8_0, { G_GINT64_CONSTANT (1) << 40, (1 << 23) - 1 } },
    { SC_TENSOR_TYPE_F16, { G_MAXINT64, 1 } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ScTestGguf) writer = new_small_writer (3);
      float f[8] = { 0 };

      sc_test_gguf_add_tensor (writer, "huge", cases[i].type, 2, cases[i].ne, f, sizeof f);
      assert_writer_rejected (writer, SC_ERROR_CORRUPT);
    }
}

static void
test_alignment_not_power_of_two (void)
{
  g_autoptr(ScTestGguf) writer = new_small_writer (3);

  sc_test_gguf_set_alignment (writer, 48);
  sc_test_gguf_add_u32 (writer, "general.alignment", 48);
  assert_writer_rejected (writer, SC_ERROR_CORRUPT);
}

static void
test_alignment_zero (void)
{
  g_autoptr(ScTestGguf) writer = new_small_writer (3);

  sc_test_gguf_add_u32 (writer, "general.alignment", 0);
  assert_writer_rejected (writer, SC_ERROR_CORRUPT);
}

static void
test_alignment_huge (void)
{
  static const guint32 alignments[] = { 1u << 21, 1u << 31 };

  for (guint i = 0; i < G_N_ELEMENTS (alignments); i++)
    {
      g_autoptr(ScTestGguf) writer = new_small_writer (3);

      sc_test_gguf_add_u32 (writer, "general.alignment", alignments[i]);
      assert_writer_rejected (writer, SC_ERROR_CORRUPT);
    }
}

static void
test_alignment_wrong_type (void)
{
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(ScTestGguf) writer = new_small_writer (3);

      if (i == 0)
        sc_test_gguf_add_u64 (writer, "general.alignment", 32);
      else if (i == 1)
        sc_test_gguf_add_i32 (writer, "general.alignment", 32);
      else
        sc_test_gguf_add_string (writer, "general.alignment", "32");
      assert_writer_rejected (writer, SC_ERROR_CORRUPT);
    }
}

static void
test_offset_misaligned (void)
{
  static const guint64 offsets[] = { 1, 16, 96 + 8 };

  for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
    {
      g_autoptr(ScTestGguf) writer = new_small_writer (3);

      sc_test_gguf_set_tensor_offset (writer, 1, offsets[i]);
      assert_writer_rejected (writer, SC_ERROR_CORRUPT);
    }
}

static void
test_offset_overlap (void)
{
  /* Tensor 0 occupies bytes 0..67 of the data section; tensor 1 (32 bytes) sits at 96. */
  static const guint64 offsets[] = { 0, 32, 64 };

  for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
    {
      g_autoptr(ScTestGguf) writer = new_small_writer (3);

      sc_test_gguf_set_tensor_offset (writer, 1, offsets[i]);
      assert_writer_rejected (writer, SC_ERROR_CORRUPT);
    }
  /* The other way round: the earlier tensor claims the later one's place. */
  {
    g_autoptr(ScTestGguf) writer = new_small_writer (3);

    sc_test_gguf_set_tensor_offset (writer, 0, 32);
    assert_writer_rejected (writer, SC_ERROR_CORRUPT);
  }
}

static void
test_offset_past_end (void)
{
  static const guint64 offsets[] = { 128, G_GUINT64_CONSTANT (1) << 40,
                                     G_MAXUINT64 - 31 /* aligned; offset + size wraps */ };

  for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
    {
      g_autoptr(ScTestGguf) writer = new_small_writer (3);

      sc_test_gguf_set_tensor_offset (writer, 1, offsets[i]);
      assert_writer_rejected (writer, SC_ERROR_CORRUPT);
    }
}

static void
test_truncated_file (void)
{
  g_autoptr(ScTestGguf) writer = new_small_writer (3);
  g_autoptr(GByteArray) bytes = sc_test_gguf_build (writer);
  g_autoptr(GError) error = NULL;
  g_autoptr(ScGguf) whole = NULL;

  /* The whole file is fine: the damage below is the truncation alone. */
  whole = open_data (bytes->data, bytes->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (whole);

  for (gsize len = 0; len < bytes->len; len++)
    {
      g_autoptr(GBytes) prefix = g_bytes_new (bytes->data, len);
      g_autoptr(ScGguf) gguf = sc_gguf_new_from_bytes (prefix, &error);

      /* Shorter than the magic, it cannot be recognised; after that it is damaged. */
      const gint code = len < 4 ? SC_ERROR_NOT_SUPPORTED : SC_ERROR_CORRUPT;

      g_assert_null (gguf);
      g_assert_error (error, SC_ERROR, code);
      g_clear_error (&error);
    }
  /* And some of them as files, including the empty one. */
  for (gsize len = 0; len < bytes->len; len += 41)
    assert_rejected_data (bytes->data, len, len < 4 ? SC_ERROR_NOT_SUPPORTED : SC_ERROR_CORRUPT);
}

static void
test_wrong_metadata_type (void)
{
  static const gint32 ids[] = { 1, 2, 3 };
  g_autoptr(ScTestGguf) writer = sc_test_gguf_new (3);
  g_autoptr(GError) error = NULL;
  g_autoptr(ScGguf) gguf = NULL;
  guint32 u32;
  guint64 u64;
  gint64 i64;
  float f32;
  gsize n;

  sc_test_gguf_add_array (writer, "tokenizer.ggml.tokens", SC_GGUF_TYPE_INT32, ids, 3);
  sc_test_gguf_add_u32 (writer, "general.architecture", 7);
  sc_test_gguf_add_i32 (writer, "llama.block_count", 2);
  sc_test_gguf_add_i8 (writer, "negative", -1);
  sc_test_gguf_add_u64 (writer, "huge", G_MAXUINT64);
  sc_test_gguf_add_string (writer, "text", "x");
  gguf = open_writer (writer, &error);
  g_assert_no_error (error);

  g_assert_null (sc_gguf_get_string_array (gguf, "tokenizer.ggml.tokens", &n, NULL, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_null (sc_gguf_get_f32_array (gguf, "tokenizer.ggml.tokens", &n, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_null (sc_gguf_get_arch (gguf, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_null (sc_gguf_get_string (gguf, "general.architecture", &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_clear_error (&error);
  /* The exact getters want the exact type; the any-integer ones take what fits. */
  g_assert_false (sc_gguf_get_u32 (gguf, "llama.block_count", &u32, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_true (sc_gguf_get_uint (gguf, "llama.block_count", &u64, &error));
  g_assert_cmpuint (u64, ==, 2);
  g_assert_false (sc_gguf_get_uint (gguf, "negative", &u64, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_false (sc_gguf_get_int (gguf, "huge", &i64, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_false (sc_gguf_get_uint (gguf, "text", &u64, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_false (sc_gguf_get_f32 (gguf, "general.architecture", &f32, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_false (sc_gguf_get_array (gguf, "text", NULL, NULL, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_false (sc_gguf_get_u32 (gguf, "missing", &u32, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
}

static void
test_row_not_multiple_of_block (void)
{
  static const struct
  {
    guint32 type;
    gint64  ne0;
  } cases[] = {
    { SC_TENSOR_TYPE_Q8_0, 48 },
    { SC_TENSOR_TYPE_Q4_0, 1 },
    { SC_TENSOR_TYPE_Q4_K, 128 },
    { SC_TENSOR_TYPE_Q6_K, 257 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ScTestGguf) writer = new_small_writer (3);
      guint8 data[256] = { 0 };

      sc_test_gguf_add_tensor (writer, "odd", cases[i].type, 2, (gint64[]) { cases[i].ne0, 2 },
                               data, sizeof data);
      assert_writer_rejected (writer, SC_ERROR_CORRUPT);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sichtung/gguf/roundtrip-v3", test_roundtrip_v3);
  g_test_add_func ("/sichtung/gguf/roundtrip-v2", test_roundtrip_v2);
  g_test_add_func ("/sichtung/gguf/alignment-custom", test_alignment_custom);
  g_test_add_func ("/sichtung/gguf/missing-file", test_missing_file);

  g_test_add_func ("/sichtung/gguf/bad-magic", test_bad_magic);
  g_test_add_func ("/sichtung/gguf/bad-version", test_bad_version);
  g_test_add_func ("/sichtung/gguf/kv-count-too-large", test_kv_count_too_large);
  g_test_add_func ("/sichtung/gguf/tensor-count-too-large", test_tensor_count_too_large);
  g_test_add_func ("/sichtung/gguf/too-many-keys", test_too_many_keys);
  g_test_add_func ("/sichtung/gguf/string-longer-than-file", test_string_longer_than_file);
  g_test_add_func ("/sichtung/gguf/array-longer-than-file", test_array_longer_than_file);
  g_test_add_func ("/sichtung/gguf/array-nesting-too-deep", test_array_nesting_too_deep);
  g_test_add_func ("/sichtung/gguf/unknown-value-type", test_unknown_value_type);
  g_test_add_func ("/sichtung/gguf/unknown-tensor-type", test_unknown_tensor_type);
  g_test_add_func ("/sichtung/gguf/duplicate-key", test_duplicate_key);
  g_test_add_func ("/sichtung/gguf/duplicate-tensor-name", test_duplicate_tensor_name);
  g_test_add_func ("/sichtung/gguf/invalid-key", test_invalid_key);
  g_test_add_func ("/sichtung/gguf/invalid-bool", test_invalid_bool);
  g_test_add_func ("/sichtung/gguf/n-dims-too-large", test_n_dims_too_large);
  g_test_add_func ("/sichtung/gguf/n-dims-zero", test_n_dims_zero);
  g_test_add_func ("/sichtung/gguf/zero-dimension", test_zero_dimension);
  g_test_add_func ("/sichtung/gguf/negative-dimension", test_negative_dimension);
  g_test_add_func ("/sichtung/gguf/element-count-overflow", test_element_count_overflow);
  g_test_add_func ("/sichtung/gguf/byte-size-overflow", test_byte_size_overflow);
  g_test_add_func ("/sichtung/gguf/alignment-not-power-of-two", test_alignment_not_power_of_two);
  g_test_add_func ("/sichtung/gguf/alignment-zero", test_alignment_zero);
  g_test_add_func ("/sichtung/gguf/alignment-huge", test_alignment_huge);
  g_test_add_func ("/sichtung/gguf/alignment-wrong-type", test_alignment_wrong_type);
  g_test_add_func ("/sichtung/gguf/offset-misaligned", test_offset_misaligned);
  g_test_add_func ("/sichtung/gguf/offset-overlap", test_offset_overlap);
  g_test_add_func ("/sichtung/gguf/offset-past-end", test_offset_past_end);
  g_test_add_func ("/sichtung/gguf/truncated-file", test_truncated_file);
  g_test_add_func ("/sichtung/gguf/wrong-metadata-type", test_wrong_metadata_type);
  g_test_add_func ("/sichtung/gguf/row-not-multiple-of-block", test_row_not_multiple_of_block);

  return g_test_run ();
}
