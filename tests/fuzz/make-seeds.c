/* SPDX-License-Identifier: GPL-3.0-or-later */
/* make-seeds.c: writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/).
 *
 *   make-seeds DIR
 *
 * The seeds are small valid inputs, built with the same helpers the tests use (the GGUF writer
 * of tests/sc-test-gguf.c, cairo for a real PDF, the store API for a case store), so a format
 * change only needs a rerun. The output is committed; the fuzzers mutate from there. */
#define G_LOG_DOMAIN "sichtung-fuzz"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sc-document.h"
#include "sc-store.h"
#include "sc-test-gguf.h"
#include "sc-tokenizer-private.h"

static const char *out_dir;

static void
put (const char   *target,
     const char   *name,
     const void   *data,
     gsize         length)
{
  g_autofree char *dir = g_build_filename (out_dir, target, NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (dir, 0755) != 0 ||
      !g_file_set_contents (path, data, (gssize) length, &error))
    {
      fprintf (stderr, "make-seeds: %s: %s\n", path, error != NULL ? error->message : "mkdir");
      exit (1);
    }
}

static void
put_string (const char *target,
            const char *name,
            const char *text)
{
  put (target, name, text, strlen (text));
}

/* A seed whose first byte selects the target's mode. */
static void
put_mode (const char *target,
          const char *name,
          guint8      mode,
          const char *text)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();

  g_byte_array_append (bytes, &mode, 1);
  g_byte_array_append (bytes, (const guint8 *) text, strlen (text));
  put (target, name, bytes->data, bytes->len);
}

static void
put_gguf (const char *name,
          ScTestGguf *writer)
{
  g_autoptr(GBytes) bytes = sc_test_gguf_to_bytes (writer);
  gsize length;
  gconstpointer data = g_bytes_get_data (bytes, &length);

  put ("fuzz-gguf", name, data, length);
}

/* ---------------------------------------------------------------- GGUF */

static void
gguf_seeds (void)
{
  static const char *const spm_tokens[] = {
    "<unk>", "<s>", "</s>", "<0x0A>", "<0x41>", "\xe2\x96\x81", "\xe2\x96\x81" "Antrag",
    "\xe2\x96\x81" "auf", "\xe2\x96\x81" "Wohn", "geld", "a", "e", "n", "<|user|>",
  };
  static const gint32 spm_types[] = { 2, 3, 3, 6, 6, 1, 1, 1, 1, 1, 1, 1, 1, 4 };
  static const float spm_scores[] = { 0, 0, 0, 0, 0, -1, -2, -3, -4, -5, -6, -7, -8, 0 };
  static const char *const wpm_tokens[] = {
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "antrag", "auf", "wohn", "##geld", "frau",
    "m", "##ü", "##ller", ".", ",",
  };
  static const char *const nested_a[] = { "eins", "zwei" };
  float f32[64];
  guint16 f16[64];
  guint8 q8_0[2 * 34];
  guint8 q4_0[2 * 18];

  for (guint i = 0; i < G_N_ELEMENTS (f32); i++)
    f32[i] = sinf ((float) i);
  for (guint i = 0; i < G_N_ELEMENTS (f16); i++)
    f16[i] = (guint16) (0x3c00 + i);  /* 1.0 and up */
  for (guint i = 0; i < sizeof q8_0; i++)
    q8_0[i] = (guint8) (i * 7);
  for (guint i = 0; i < sizeof q4_0; i++)
    q4_0[i] = (guint8) (i * 13);
  /* sane block scales (fp16 0.5) */
  q8_0[0] = 0x00, q8_0[1] = 0x38, q8_0[34] = 0x00, q8_0[35] = 0x38;
  q4_0[0] = 0x00, q4_0[1] = 0x38, q4_0[18] = 0x00, q4_0[19] = 0x38;

  /* A llama-like model with an SPM vocabulary and tensors of several types. */
  {
    g_autoptr(ScTestGguf) w = sc_test_gguf_new (3);

    sc_test_gguf_add_string (w, "general.architecture", "llama");
    sc_test_gguf_add_string (w, "general.name", "fuzz-seed");
    sc_test_gguf_add_u32 (w, "general.alignment", 32);
    sc_test_gguf_add_u32 (w, "llama.block_count", 1);
    sc_test_gguf_add_u32 (w, "llama.context_length", 64);
    sc_test_gguf_add_u32 (w, "llama.embedding_length", 64);
    sc_test_gguf_add_f32 (w, "llama.attention.layer_norm_rms_epsilon", 1e-5f);
    sc_test_gguf_add_string (w, "tokenizer.ggml.model", "llama");
    sc_test_gguf_add_string_array (w, "tokenizer.ggml.tokens", spm_tokens,
                                   G_N_ELEMENTS (spm_tokens));
    sc_test_gguf_add_array (w, "tokenizer.ggml.scores", 6, spm_scores, G_N_ELEMENTS (spm_scores));
    sc_test_gguf_add_array (w, "tokenizer.ggml.token_type", 5, spm_types,
                            G_N_ELEMENTS (spm_types));
    sc_test_gguf_add_u32 (w, "tokenizer.ggml.bos_token_id", 1);
    sc_test_gguf_add_u32 (w, "tokenizer.ggml.eos_token_id", 2);
    sc_test_gguf_add_u32 (w, "tokenizer.ggml.unknown_token_id", 0);
    sc_test_gguf_add_bool (w, "tokenizer.ggml.add_bos_token", TRUE);
    sc_test_gguf_add_tensor (w, "token_embd.weight", 0, 2, (gint64[]) { 32, 2 }, f32,
                             sizeof f32);
    sc_test_gguf_add_tensor (w, "output_norm.weight", 1, 1, (gint64[]) { 64 }, f16, sizeof f16);
    sc_test_gguf_add_tensor (w, "blk.0.attn_q.weight", 8, 2, (gint64[]) { 32, 2 }, q8_0,
                             sizeof q8_0);
    sc_test_gguf_add_tensor (w, "blk.0.attn_k.weight", 2, 2, (gint64[]) { 32, 2 }, q4_0,
                             sizeof q4_0);
    put_gguf ("llama-spm.gguf", w);
  }

  /* A qwen2-like model with a byte-level BPE vocabulary and merges. */
  {
    g_autoptr(ScTestGguf) w = sc_test_gguf_new (3);
    g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
    static const char *const merges[] = { "s t", "e n", "\xc4\xa0 A", "\xc4\xa0\x41 n", "1 2" };

    for (guint b = 0; b < 256; b++)
      g_ptr_array_add (tokens, g_strdup (_sc_bpe_byte_to_utf8 ((guint8) b)));
    g_ptr_array_add (tokens, g_strdup ("st"));
    g_ptr_array_add (tokens, g_strdup ("en"));
    g_ptr_array_add (tokens, g_strdup ("\xc4\xa0" "A"));
    g_ptr_array_add (tokens, g_strdup ("\xc4\xa0" "An"));
    g_ptr_array_add (tokens, g_strdup ("12"));
    g_ptr_array_add (tokens, g_strdup ("<|im_start|>"));
    g_ptr_array_add (tokens, g_strdup ("<|im_end|>"));
    sc_test_gguf_add_string (w, "general.architecture", "qwen2");
    sc_test_gguf_add_string (w, "tokenizer.ggml.model", "gpt2");
    sc_test_gguf_add_string (w, "tokenizer.ggml.pre", "qwen2");
    sc_test_gguf_add_string_array (w, "tokenizer.ggml.tokens",
                                   (const char *const *) tokens->pdata, tokens->len);
    sc_test_gguf_add_string_array (w, "tokenizer.ggml.merges", merges, G_N_ELEMENTS (merges));
    sc_test_gguf_add_u32 (w, "tokenizer.ggml.bos_token_id", tokens->len - 2);
    sc_test_gguf_add_u32 (w, "tokenizer.ggml.eos_token_id", tokens->len - 1);
    sc_test_gguf_add_bool (w, "tokenizer.ggml.add_bos_token", FALSE);
    sc_test_gguf_add_tensor (w, "token_embd.weight", 0, 1, (gint64[]) { 16 }, f32,
                             16 * sizeof (float));
    put_gguf ("qwen2-bpe.gguf", w);
  }

  /* A BERT-like model with a WordPiece vocabulary. */
  {
    g_autoptr(ScTestGguf) w = sc_test_gguf_new (3);

    sc_test_gguf_add_string (w, "general.architecture", "bert");
    sc_test_gguf_add_string (w, "tokenizer.ggml.model", "bert");
    sc_test_gguf_add_string_array (w, "tokenizer.ggml.tokens", wpm_tokens,
                                   G_N_ELEMENTS (wpm_tokens));
    sc_test_gguf_add_u32 (w, "tokenizer.ggml.unknown_token_id", 1);
    sc_test_gguf_add_u32 (w, "tokenizer.ggml.cls_token_id", 2);
    sc_test_gguf_add_u32 (w, "tokenizer.ggml.seperator_token_id", 3);
    sc_test_gguf_add_u32 (w, "tokenizer.ggml.padding_token_id", 0);
    sc_test_gguf_add_u32 (w, "bert.block_count", 1);
    sc_test_gguf_add_tensor (w, "token_embd.weight", 1, 2, (gint64[]) { 16, 2 }, f16,
                             32 * sizeof (guint16));
    put_gguf ("bert-wpm.gguf", w);
  }

  /* Version 2, every scalar type, a nested array and an unusual alignment. */
  {
    g_autoptr(ScTestGguf) w = sc_test_gguf_new (2);
    g_autoptr(GByteArray) nested = g_byte_array_new ();
    static const gint32 ints[] = { -1, 0, 1, 2147483647 };

    sc_test_gguf_set_alignment (w, 64);
    sc_test_gguf_add_u32 (w, "general.alignment", 64);
    sc_test_gguf_add_u8 (w, "u8", 200);
    sc_test_gguf_add_i8 (w, "i8", -100);
    sc_test_gguf_add_u16 (w, "u16", 60000);
    sc_test_gguf_add_i16 (w, "i16", -30000);
    sc_test_gguf_add_u32 (w, "u32", 4000000000u);
    sc_test_gguf_add_i32 (w, "i32", -2000000000);
    sc_test_gguf_add_u64 (w, "u64", G_MAXUINT64);
    sc_test_gguf_add_i64 (w, "i64", G_MININT64);
    sc_test_gguf_add_f32 (w, "f32", 0.5f);
    sc_test_gguf_add_f64 (w, "f64", -0.25);
    sc_test_gguf_add_bool (w, "bool", TRUE);
    sc_test_gguf_add_string (w, "string", "Müller ß");
    sc_test_gguf_add_array (w, "i32s", 5, ints, G_N_ELEMENTS (ints));
    sc_test_gguf_put_array_header (nested, 9, 2);
    sc_test_gguf_put_array_header (nested, 8, 2);
    sc_test_gguf_put_string (nested, nested_a[0]);
    sc_test_gguf_put_string (nested, nested_a[1]);
    sc_test_gguf_put_array_header (nested, 4, 1);
    sc_test_gguf_put_u32 (nested, 7);
    sc_test_gguf_add_raw (w, "nested", 9, nested);
    sc_test_gguf_add_tensor (w, "a", 0, 3, (gint64[]) { 4, 2, 2 }, f32, 16 * sizeof (float));
    sc_test_gguf_add_tensor (w, "b", 0, 4, (gint64[]) { 2, 2, 2, 2 }, f32, 16 * sizeof (float));
    put_gguf ("v2-all-types.gguf", w);
  }

  /* No metadata and no tensors: the smallest valid file. */
  {
    g_autoptr(ScTestGguf) w = sc_test_gguf_new (3);

    put_gguf ("empty.gguf", w);
  }
}

/* ---------------------------------------------------------------- Text */

static const char *const german[] = {
  "Sehr geehrte Frau Müller,\n\nIhr Antrag auf Wohngeld vom 3. März 2025 ist eingegangen. "
  "Bitte überweisen Sie die Gebühr von 25,00 EUR auf das Konto IBAN DE89 3704 0044 0532 0130 00 "
  "(BIC COBADEFFXXX) bis zum 15.04.2025.\n",

  "Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben "
  "werden. Mainz, den 3. Februar 2025\nAktenzeichen: 4 K 123/24.MZ\n",

  "Steuer-IdNr.: 86095742719, Sozialversicherungsnummer 65 180539 W 00 1, "
  "Personalausweis L01X00T47, geb. am 12.08.1964 in Koblenz.\n",

  "Nach § 41 Abs. 2 VwVfG gilt der Bescheid am dritten Tag nach der Aufgabe zur Post als "
  "bekannt gegeben; vgl. Art. 6 Abs. 1 lit. e DSGVO, §§ 187, 188 BGB und BVerwG, Urteil vom "
  "12.03.2020 - 3 C 17.19.\n",

  "Erreichbar unter +49 6131 16-0 oder erika.mustermann@example.de, https://www.rlp.de/. "
  "Kfz-Kennzeichen MZ-AB 1234. Anschrift: Hauptstraße 12a, 55116 Mainz.\n",

  "Die Frist beträgt zwei Wochen ab Zustellung; binnen 14 Tagen nach Zugang; spätestens "
  "am 31.12.25; TV Sonderzahlungen 2006; NJW 2019, 1234; am 29. Februar 2024.\n",
};

static void
text_seeds (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (german); i++)
    {
      g_autofree char *name = g_strdup_printf ("german-%u.txt", i);

      put_string ("fuzz-recognizers", name, german[i]);
      /* tokenizer: mode byte 0x30 = add and parse special tokens, pre-tokenizer i % 4 */
      put_mode ("fuzz-tokenizer", name, (guint8) (0x30 | (i & 3)), german[i]);
    }
  put_mode ("fuzz-tokenizer", "special.txt", 0x21,
            "<|im_start|>user\nAntrag [ABS] auf Wohngeld<|im_end|><s>\xe2\x96\x81</s>");
  put_mode ("fuzz-tokenizer", "bytes.txt", 0x02, "\x01\x7f\xc3\x28\xe2\x82\xff 12345 'Ss");
  put_string ("fuzz-recognizers", "latin1.txt", "Stra\xdf" "e 1, 55116 Mainz");
  put_string ("fuzz-document", "bescheid.txt", german[0]);
  put_string ("fuzz-document", "frist.txt", german[1]);
}

/* ---------------------------------------------------------------- PDF */

static GBytes *
minimal_pdf (const char *content)
{
  const char *objects[] = {
    "<< /Type /Catalog /Pages 2 0 R /Info 6 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
    "/Resources << /Font << /F1 5 0 R >> >> >>",
    NULL,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    "<< /Title (Bescheid) /Author (Stadtverwaltung Mainz) >>",
  };
  g_autofree char *page = g_strdup_printf ("<< /Length %zu >>\nstream\n%s\nendstream",
                                           strlen (content) + 1, content);
  GString *pdf = g_string_new ("%PDF-1.4\n");
  gsize offsets[G_N_ELEMENTS (objects)];
  gsize xref;

  objects[3] = page;
  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    {
      offsets[i] = pdf->len;
      g_string_append_printf (pdf, "%u 0 obj\n%s\nendobj\n", i + 1, objects[i]);
    }
  xref = pdf->len;
  g_string_append_printf (pdf, "xref\n0 %zu\n0000000000 65535 f \n", G_N_ELEMENTS (objects) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    g_string_append_printf (pdf, "%010zu 00000 n \n", offsets[i]);
  g_string_append_printf (pdf, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                          G_N_ELEMENTS (objects) + 1, xref);
  return g_string_free_to_bytes (pdf);
}

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A PDF as real writers make them: compressed streams, an embedded font subset. */
static GBytes *
cairo_pdf (void)
{
  GByteArray *out = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_bytes, out, 595, 842);
  cairo_t *cr = cairo_create (surface);

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, "Antrag");
  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 11);
  cairo_move_to (cr, 72, 100);
  cairo_show_text (cr, "Antrag von Erika Müller, IBAN DE89 3704 0044 0532 0130 00");
  cairo_move_to (cr, 72, 120);
  cairo_show_text (cr, "Mainz, den 3. März 2025");
  cairo_rectangle (cr, 72, 140, 100, 20);
  cairo_fill (cr);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (out);
}

static const char *const content_streams[] = {
  "BT /F1 12 Tf 72 760 Td (Antrag von Erika Mustermann auf Wohngeld) Tj ET",
  "q 1 0 0 1 0 0 cm BT /F1 12 Tf 14 TL 72 760 Td [(Er) -20 (ika) 250 (Mustermann)] TJ "
  "T* (IBAN DE89 3704 0044 0532 0130 00) ' 2 0 (Zeile) \" ET Q",
  "BT /F1 12 Tf 1 0 0 1 72 760 Tm 0.5 Tc 2 Tw 110 Tz 3 Ts 0 Tr <45726B6120> Tj ET "
  "0 0 1 rg 70 750 200 20 re f 72 700 m 300 700 l S",
  "q 100 0 0 20 72 755 cm BI /W 4 /H 2 /CS /G /BPC 8 ID \x10\x20\x30\x40\x50\x60\x70\x80 EI Q "
  "q 50 0 0 50 72 740 cm /Im1 Do Q",
  "q 1 0 0 1 72 745 cm /Fm1 Do Q /Span << /ActualText (Erika) /MCID 0 >> BDC "
  "BT /F1 12 Tf 72 760 Td (\\(Erika\\) \\344\\366\\374) Tj ET EMC",
  "BT /F1 12 Tf 72 760 Td (unbalanced ) ] > Tj ET [1 2 [3 [4]] << /A /B#20C /D [true false "
  "null] >> ] 1.5e3 -.5 +7 /Name#41 sh",
};

static void
pdf_seeds (void)
{
  g_autoptr(GBytes) simple = minimal_pdf (content_streams[0]);
  g_autoptr(GBytes) rich = minimal_pdf (content_streams[1]);
  g_autoptr(GBytes) real = cairo_pdf ();
  gsize length;
  gconstpointer data;

  data = g_bytes_get_data (simple, &length);
  put ("fuzz-document", "minimal.pdf", data, length);
  data = g_bytes_get_data (rich, &length);
  put ("fuzz-document", "tj.pdf", data, length);
  data = g_bytes_get_data (real, &length);
  put ("fuzz-document", "cairo.pdf", data, length);

  for (guint i = 0; i < G_N_ELEMENTS (content_streams); i++)
    {
      g_autofree char *parse = g_strdup_printf ("parse-%u", i);
      g_autofree char *redact = g_strdup_printf ("redact-%u", i);

      put_mode ("fuzz-pdf-content", parse, 0, content_streams[i]);
      put_mode ("fuzz-pdf-content", redact, 1, content_streams[i]);
    }
}

/* ---------------------------------------------------------------- Case store */

static void
store_seed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sichtung-seeds-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(ScStore) store = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static (german[0], strlen (german[0]));
  const char *pages[] = { german[0], german[1] };
  ScStoreSpan span = { 0, 19, 31, NULL, NULL };
  gint64 case_id, doc_id, finding_id;
  sqlite3 *db;
  gsize length;

  if (dir == NULL)
    goto fail;
  path = g_build_filename (dir, "faelle.sqlite", NULL);
  store = sc_store_open (path, &error);
  if (store == NULL)
    goto fail;
  case_id = sc_store_create_case (store, "Wohngeld Müller", "WG-2025-0815", &error);
  if (case_id == 0)
    goto fail;
  doc_id = sc_store_add_document (store, case_id, "bescheid.txt", "text/plain", content,
                                  pages, G_N_ELEMENTS (pages), &error);
  if (doc_id == 0)
    goto fail;
  finding_id = sc_store_add_manual_finding (store, doc_id, SC_FINDING_PERSON, NULL, &span,
                                            "Name der Antragstellerin", "§ 12 LTranspG RLP",
                                            &error);
  if (finding_id == 0)
    goto fail;
  span.start = 120;
  span.end = 150;
  finding_id = sc_store_add_manual_finding (store, doc_id, SC_FINDING_IBAN, "IBAN", &span,
                                            NULL, NULL, &error);
  if (finding_id == 0 ||
      !sc_store_decide (store, finding_id, SC_STORE_DECISION_REJECTED, "öffentlich", NULL,
                        &error))
    goto fail;
  g_clear_object (&store);

  /* Pack it: a seed should be small, and free pages are nothing to fuzz. */
  if (sqlite3_open (path, &db) != SQLITE_OK ||
      sqlite3_exec (db, "PRAGMA journal_mode=DELETE; VACUUM;", NULL, NULL, NULL) != SQLITE_OK)
    {
      fprintf (stderr, "make-seeds: VACUUM: %s\n", sqlite3_errmsg (db));
      exit (1);
    }
  sqlite3_close (db);
  if (!g_file_get_contents (path, &contents, &length, &error))
    goto fail;
  put ("fuzz-store", "case.sqlite", contents, length);
  g_unlink (path);
  g_rmdir (dir);
  return;

fail:
  fprintf (stderr, "make-seeds: case store: %s\n", error != NULL ? error->message : "?");
  exit (1);
}

int
main (int   argc,
      char *argv[])
{
  if (argc != 2)
    {
      fprintf (stderr, "usage: make-seeds DIR\n");
      return 2;
    }
  out_dir = argv[1];
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gguf_seeds ();
  text_seeds ();
  pdf_seeds ();
  store_seed ();
  return 0;
}
