/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-pdf-content.c: libFuzzer target for the content-stream lexer and writer
 * (sc-pdf-content.c) and the redaction engine that uses them (sc-redact*.c).
 *
 * The first input byte selects the mode, the rest is a content stream:
 *   even: parse it; write every operator back and parse that again, which must succeed with
 *         the same operators, and writing those must give the same bytes (the writer's output
 *         is a fixed point). Inline images are copied as source bytes, as sc-redact.c does;
 *   odd:  put it as the content of page 1 of a small PDF (a Type 1 font, a form XObject and
 *         an image to draw) and redact one fixed area of that page with sc_redact_pdf(); a
 *         redacted file that comes out must open again. */
#define G_LOG_DOMAIN "sichtung-fuzz"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "sc-document.h"
#include "sc-error.h"
#include "sc-pdf-content.h"
#include "sc-redact.h"

/* Writes @ops as the redaction engine does: inline images (whose data the parser does not
 * keep) as their source bytes, everything else through sc_pdf_op_write(). */
static GString *
write_ops (GPtrArray    *ops,
           const guint8 *source,
           gboolean     *has_inline_image)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < ops->len; i++)
    {
      const ScPdfOp *op = g_ptr_array_index (ops, i);

      if (strcmp (op->name, "BI") == 0)
        {
          g_string_append_len (out, (const char *) source + op->start,
                               (gssize) (op->end - op->start));
          g_string_append_c (out, '\n');
          *has_inline_image = TRUE;
        }
      else
        sc_pdf_op_write (out, op);
    }
  return out;
}

static void
round_trip (const guint8 *data,
            gsize         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = sc_pdf_content_parse (data, size, &error);
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GString) written = NULL;
  g_autoptr(GString) rewritten = NULL;
  gboolean has_inline_image = FALSE;

  if (ops == NULL)
    {
      if (error == NULL)
        abort ();
      return;
    }
  for (guint i = 0; i < ops->len; i++)
    {
      const ScPdfOp *op = g_ptr_array_index (ops, i);

      if (op->start > op->end || op->end > size || memchr (op->name, '\0', 32) == NULL)
        abort ();
    }

  written = write_ops (ops, data, &has_inline_image);
  again = sc_pdf_content_parse ((const guint8 *) written->str, written->len, &error);
  /* Where an inline image's data ends is a guess (PDF gives no length): "EI" followed by
   * printable bytes. Written more compactly, the next image's binary data can move close
   * enough to change that guess, so with inline images only the absence of crashes counts. */
  if (has_inline_image)
    return;
  if (again == NULL)
    {
      fprintf (stderr, "written content does not parse: %s\n", error->message);
      abort ();
    }
  if (again->len != ops->len)
    {
      fprintf (stderr, "%u operators became %u:\n%s\n", ops->len, again->len, written->str);
      abort ();
    }
  for (guint i = 0; i < ops->len; i++)
    {
      const ScPdfOp *a = g_ptr_array_index (ops, i);
      const ScPdfOp *b = g_ptr_array_index (again, i);

      if (strcmp (a->name, b->name) != 0 || a->operands->len != b->operands->len)
        {
          fprintf (stderr, "operator %u changed: %s/%u became %s/%u\n", i, a->name,
                   a->operands->len, b->name, b->operands->len);
          abort ();
        }
    }

  rewritten = write_ops (again, (const guint8 *) written->str, &has_inline_image);
  if (!g_string_equal (written, rewritten))
    {
      fprintf (stderr, "writing is not a fixed point:\n%s\n---\n%s\n", written->str,
               rewritten->str);
      abort ();
    }
}

/* A one-page PDF around @content, in the manner of minimal_pdf() in tests/test-redact.c. */
static GBytes *
wrap_in_pdf (const guint8 *content,
             gsize         length)
{
  static const char form[] = "BT /F1 10 Tf 5 15 Td (Erika Mustermann) Tj ET";
  static const guint8 pixels[12] = { 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0, 255 };
  GString *pdf = g_string_new ("%PDF-1.4\n");
  gsize offsets[7];
  gsize xref;
  guint n = 0;

#define OBJECT_START() (offsets[n] = pdf->len, g_string_append_printf (pdf, "%u 0 obj\n", ++n))
  OBJECT_START ();
  g_string_append (pdf, "<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
  OBJECT_START ();
  g_string_append (pdf, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
  OBJECT_START ();
  g_string_append (pdf, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                        "/Resources << /Font << /F1 5 0 R >> "
                        "/XObject << /Fm1 6 0 R /Im1 7 0 R >> >> >>\nendobj\n");
  OBJECT_START ();
  g_string_append_printf (pdf, "<< /Length %" G_GSIZE_FORMAT " >>\nstream\n", length);
  g_string_append_len (pdf, (const char *) content, (gssize) length);
  g_string_append (pdf, "\nendstream\nendobj\n");
  OBJECT_START ();
  g_string_append (pdf, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                        "/Encoding /WinAnsiEncoding >>\nendobj\n");
  OBJECT_START ();
  g_string_append_printf (pdf, "<< /Type /XObject /Subtype /Form /BBox [0 0 300 40] "
                               "/Resources << /Font << /F1 5 0 R >> >> /Length %zu >>\n"
                               "stream\n%s\nendstream\nendobj\n", sizeof form, form);
  OBJECT_START ();
  g_string_append_printf (pdf, "<< /Type /XObject /Subtype /Image /Width 2 /Height 2 "
                               "/ColorSpace /DeviceRGB /BitsPerComponent 8 /Length %zu >>\n"
                               "stream\n", sizeof pixels);
  g_string_append_len (pdf, (const char *) pixels, sizeof pixels);
  g_string_append (pdf, "\nendstream\nendobj\n");
#undef OBJECT_START

  xref = pdf->len;
  g_string_append_printf (pdf, "xref\n0 %u\n0000000000 65535 f \n", n + 1);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (pdf, "%010" G_GSIZE_FORMAT " 00000 n \n", offsets[i]);
  g_string_append_printf (pdf, "trailer\n<< /Size %u /Root 1 0 R >>\nstartxref\n%"
                          G_GSIZE_FORMAT "\n%%%%EOF\n", n + 1, xref);
  return g_string_free_to_bytes (pdf);
}

static void
redact (const guint8 *data,
        gsize         size)
{
  /* Where "BT /F1 12 Tf 72 760 Td (…) Tj ET" draws: the seeds put text there. */
  static const ScRect area = { 70, 68, 200, 20 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) input = wrap_in_pdf (data, size);
  g_autoptr(GArray) redactions = sc_redactions_new ();
  g_autoptr(ScRedactionReport) report = NULL;
  g_autoptr(GBytes) output = NULL;
  g_autoptr(ScDocument) document = NULL;

  sc_redactions_add (redactions, 0, &area, "Erika Mustermann", "§ 12 LTranspG RLP");
  output = sc_redact_pdf (input, NULL, redactions, SC_REDACT_LABELS, &report, NULL, &error);
  if (output == NULL)
    {
      if (error == NULL)
        abort ();
      return;
    }
  if (report == NULL)
    abort ();
  document = sc_document_new_from_bytes (output, "redacted.pdf", NULL, &error);
  if (document == NULL)
    {
      fprintf (stderr, "the redacted file does not open: %s\n", error->message);
      abort ();
    }
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
  g_autofree guint8 *content = NULL;

  if (size == 0)
    return 0;
  content = sc_fuzz_copy (data + 1, size - 1);
  if ((data[0] & 1) == 0)
    round_trip (content, size - 1);
  else
    redact (content, size - 1);
  return 0;
}
