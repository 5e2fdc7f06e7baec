/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-gguf.c: libFuzzer target for the GGUF reader (sc-gguf.c) and the tokenizer built from
 * GGUF metadata (sc-tokenizer-gguf.c).
 *
 * The input is a whole GGUF file. When it opens, every key is read through the accessor of its
 * type (and through the wrong ones), every tensor's first row is dequantised, and a tokenizer is
 * built from the metadata and run on a short German sentence. */
#define G_LOG_DOMAIN "sichtung-fuzz"

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "sc-error.h"
#include "sc-gguf.h"
#include "sc-quant.h"
#include "sc-tokenizer.h"

/* Dequantising a row of a huge tensor would only measure memset; the reader has checked the
 * sizes already, so a bounded prefix is enough to catch a wrong data pointer. */
#define MAX_ROW_ELEMENTS 4096

static void
walk_value (ScGguf     *gguf,
            gsize       index)
{
  const char *key = sc_gguf_get_kv_key (gguf, index);
  ScGgufType type = sc_gguf_get_kv_type (gguf, index);
  guint64 u = 0;
  gint64 i = 0;
  double d = 0;
  float f = 0;
  gboolean b = FALSE;
  guint32 u32 = 0;
  gint32 i32 = 0;

  g_assert (key != NULL);
  if (sc_gguf_find_key (gguf, key) < 0)
    abort ();
  (void) sc_gguf_type_name (type);

  /* Every getter on every key: the wrong ones must fail cleanly. */
  {
    GError *error = NULL;

    (void) sc_gguf_get_u32 (gguf, key, &u32, &error);
    g_clear_error (&error);
    (void) sc_gguf_get_i32 (gguf, key, &i32, &error);
    g_clear_error (&error);
    (void) sc_gguf_get_u64 (gguf, key, &u, &error);
    g_clear_error (&error);
    (void) sc_gguf_get_i64 (gguf, key, &i, &error);
    g_clear_error (&error);
    (void) sc_gguf_get_f32 (gguf, key, &f, &error);
    g_clear_error (&error);
    (void) sc_gguf_get_f64 (gguf, key, &d, &error);
    g_clear_error (&error);
    (void) sc_gguf_get_bool (gguf, key, &b, &error);
    g_clear_error (&error);
    (void) sc_gguf_get_uint (gguf, key, &u, &error);
    g_clear_error (&error);
    (void) sc_gguf_get_int (gguf, key, &i, &error);
    g_clear_error (&error);
    {
      const char *s = sc_gguf_get_string (gguf, key, &error);

      if (s != NULL)
        (void) strlen (s);
      g_clear_error (&error);
    }
  }

  if (type == SC_GGUF_TYPE_ARRAY)
    {
      GError *error = NULL;
      ScGgufType elem_type;
      gsize n = 0;

      if (!sc_gguf_get_array (gguf, key, &elem_type, &n, &error))
        abort (); /* the key says it is an array */

      if (elem_type == SC_GGUF_TYPE_STRING)
        {
          const gsize *lengths = NULL;
          const char *const *strv = sc_gguf_get_string_array (gguf, key, &n, &lengths, &error);

          if (strv == NULL)
            abort ();
          for (gsize k = 0; k < n; k++)
            if (strv[k] == NULL || strv[k][lengths[k]] != '\0')
              abort ();
          if (strv[n] != NULL)
            abort ();
        }
      else if (elem_type == SC_GGUF_TYPE_ARRAY)
        {
          for (gsize k = 0; k < n && k < 64; k++)
            {
              ScGgufType inner_type;
              gsize inner_n = 0;
              gconstpointer elements = NULL;

              if (!sc_gguf_get_nested_array (gguf, key, k, &inner_type, &inner_n, &elements,
                                             &error))
                g_clear_error (&error);
            }
        }
      else
        {
          gconstpointer data = sc_gguf_get_array_data (gguf, key, elem_type, &n, &error);
          volatile guint8 sink = 0;

          if (data == NULL)
            abort ();
          if (n > 0)
            sink ^= ((const guint8 *) data)[0];
          (void) sink;
        }
      g_clear_error (&error);
      /* The typed accessors on the wrong element types. */
      (void) sc_gguf_get_i32_array (gguf, key, &n, &error);
      g_clear_error (&error);
      (void) sc_gguf_get_f32_array (gguf, key, &n, &error);
      g_clear_error (&error);
      (void) sc_gguf_get_string_array (gguf, key, &n, NULL, &error);
      g_clear_error (&error);
    }
}

static void
walk_tensor (ScGguf *gguf,
             gsize   index)
{
  const ScGgufTensor *t = sc_gguf_get_tensor (gguf, index);
  gint64 block, n;

  if (t == NULL || t->name == NULL || sc_gguf_find_tensor (gguf, t->name) == NULL)
    abort ();
  if (t->n_dims < 1 || t->n_dims > SC_GGUF_MAX_DIMS)
    abort ();
  if (!sc_tensor_type_is_supported (t->type) || t->n_bytes == 0)
    return;

  block = sc_tensor_type_block_size (t->type);
  n = MIN (t->ne[0], MAX_ROW_ELEMENTS);
  n -= n % block;
  if (n > 0)
    {
      g_autofree float *row = g_new (float, n);

      sc_dequantize_row (t->type, t->data, row, n);
    }
  /* The last byte must lie inside the mapping (ASan checks the read). */
  {
    volatile guint8 last = ((const guint8 *) t->data)[t->n_bytes - 1];

    (void) last;
  }
}

static void
run_tokenizer (ScGguf *gguf)
{
  static const char text[] = "Antrag auf Wohngeld vom 3. März 2025 – Frau Erika Müller, "
                             "IBAN DE89 3704 0044 0532 0130 00.";
  g_autoptr(GError) error = NULL;
  g_autoptr(ScTokenizer) tok = sc_tokenizer_new_from_gguf (gguf, &error);
  g_autoptr(GArray) ids = NULL;
  g_autofree char *decoded = NULL;

  if (tok == NULL)
    return;
  ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  if (!sc_tokenizer_encode (tok, text, -1, TRUE, TRUE, ids, &error))
    return;
  decoded = sc_tokenizer_decode (tok, (const gint32 *) (void *) ids->data, ids->len, TRUE,
                                 NULL, &error);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  sc_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ScGguf) gguf = NULL;
  GError *getter_error = NULL;

  /* A heap copy: the reader may rely on the mapping's alignment (as a mapped file has), and
   * libFuzzer's buffer has none to speak of. */
  bytes = g_bytes_new_take (sc_fuzz_copy (data, size), size);
  gguf = sc_gguf_new_from_bytes (bytes, &error);
  if (gguf == NULL)
    {
      if (error == NULL)
        abort ();
      return 0;
    }

  (void) sc_gguf_get_version (gguf);
  (void) sc_gguf_get_alignment (gguf);
  if (sc_gguf_get_data_offset (gguf) > size)
    abort ();
  for (gsize i = 0; i < sc_gguf_get_n_kv (gguf); i++)
    walk_value (gguf, i);
  for (gsize i = 0; i < sc_gguf_get_n_tensors (gguf); i++)
    walk_tensor (gguf, i);
  (void) sc_gguf_get_arch (gguf, &getter_error);
  g_clear_error (&getter_error);
  (void) sc_gguf_require_tensor (gguf, "token_embd.weight", &getter_error);
  g_clear_error (&getter_error);
  if (sc_gguf_get_n_kv (gguf) > 0)
    run_tokenizer (gguf);
  return 0;
}
