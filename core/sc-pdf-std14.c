/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-pdf-std14.c: look-ups in the generated standard-14 metrics and encoding tables (see
 * sc-pdf-std14.h). */
#define G_LOG_DOMAIN "sichtung-pdf"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sc-pdf-std14.h"

/* One glyph's advance; each font's array is sorted by name (strcmp order) for bsearch. */
typedef struct
{
  const char *name;
  int width; /* 1/1000 em */
} ScPdfStd14Width;

struct _ScPdfStd14Font
{
  const char *name; /* PostScript name, e.g. "Times-Roman" */
  int bbox[4];      /* FontBBox: llx, lly, urx, ury */
  int ascent;
  int descent;
  const ScPdfStd14Width *widths; /* [n_widths], sorted by name */
  gsize n_widths;
  const char *const *builtin; /* [256] code -> glyph name or NULL */
};

#include "sc-pdf-std14-data.h"

/* ---- Font names -------------------------------------------------------------------------- */

/* Names other than the PostScript ones under which PDF writers refer to the standard 14 and
 * which readers (Acrobat, pdf.js, poppler) map onto them: the Windows core fonts, which are
 * metric-compatible, and the ",Bold" style suffixes of TrueType names. Spaces are dropped
 * before the comparison, so "Times New Roman,Bold" matches "TimesNewRoman,Bold". */
static const struct
{
  const char *alias;
  const char *name;
} aliases[] = {
  { "Arial", "Helvetica" },
  { "ArialMT", "Helvetica" },
  { "Arial-Regular", "Helvetica" },
  { "Helvetica-Regular", "Helvetica" },
  { "Arial,Bold", "Helvetica-Bold" },
  { "Arial-Bold", "Helvetica-Bold" },
  { "Arial-BoldMT", "Helvetica-Bold" },
  { "Helvetica,Bold", "Helvetica-Bold" },
  { "Arial,Italic", "Helvetica-Oblique" },
  { "Arial-Italic", "Helvetica-Oblique" },
  { "Arial-ItalicMT", "Helvetica-Oblique" },
  { "Helvetica,Italic", "Helvetica-Oblique" },
  { "Helvetica-Italic", "Helvetica-Oblique" },
  { "Arial,BoldItalic", "Helvetica-BoldOblique" },
  { "Arial-BoldItalic", "Helvetica-BoldOblique" },
  { "Arial-BoldItalicMT", "Helvetica-BoldOblique" },
  { "Helvetica,BoldItalic", "Helvetica-BoldOblique" },
  { "Helvetica-BoldItalic", "Helvetica-BoldOblique" },
  { "Times", "Times-Roman" },
  { "Times-Regular", "Times-Roman" },
  { "Times,Roman", "Times-Roman" },
  { "TimesNewRoman", "Times-Roman" },
  { "TimesNewRomanPS", "Times-Roman" },
  { "TimesNewRomanPSMT", "Times-Roman" },
  { "Times,Bold", "Times-Bold" },
  { "TimesNewRoman,Bold", "Times-Bold" },
  { "TimesNewRoman-Bold", "Times-Bold" },
  { "TimesNewRomanPS-Bold", "Times-Bold" },
  { "TimesNewRomanPS-BoldMT", "Times-Bold" },
  { "Times,Italic", "Times-Italic" },
  { "TimesNewRoman,Italic", "Times-Italic" },
  { "TimesNewRoman-Italic", "Times-Italic" },
  { "TimesNewRomanPS-Italic", "Times-Italic" },
  { "TimesNewRomanPS-ItalicMT", "Times-Italic" },
  { "Times,BoldItalic", "Times-BoldItalic" },
  { "TimesNewRoman,BoldItalic", "Times-BoldItalic" },
  { "TimesNewRoman-BoldItalic", "Times-BoldItalic" },
  { "TimesNewRomanPS-BoldItalic", "Times-BoldItalic" },
  { "TimesNewRomanPS-BoldItalicMT", "Times-BoldItalic" },
  { "Courier-Regular", "Courier" },
  { "CourierNew", "Courier" },
  { "CourierNewPS", "Courier" },
  { "CourierNewPSMT", "Courier" },
  { "Courier,Bold", "Courier-Bold" },
  { "CourierNew,Bold", "Courier-Bold" },
  { "CourierNew-Bold", "Courier-Bold" },
  { "CourierNewPS-Bold", "Courier-Bold" },
  { "CourierNewPS-BoldMT", "Courier-Bold" },
  { "Courier,Italic", "Courier-Oblique" },
  { "Courier-Italic", "Courier-Oblique" },
  { "CourierNew,Italic", "Courier-Oblique" },
  { "CourierNew-Italic", "Courier-Oblique" },
  { "CourierNewPS-Italic", "Courier-Oblique" },
  { "CourierNewPS-ItalicMT", "Courier-Oblique" },
  { "Courier,BoldItalic", "Courier-BoldOblique" },
  { "Courier-BoldItalic", "Courier-BoldOblique" },
  { "CourierNew,BoldItalic", "Courier-BoldOblique" },
  { "CourierNew-BoldItalic", "Courier-BoldOblique" },
  { "CourierNewPS-BoldItalic", "Courier-BoldOblique" },
  { "CourierNewPS-BoldItalicMT", "Courier-BoldOblique" },
  { "SymbolMT", "Symbol" },
  { "Symbol,Bold", "Symbol" },
  { "Symbol,Italic", "Symbol" },
  { "Symbol,BoldItalic", "Symbol" },
  { "ZapfDingbatsITC", "ZapfDingbats" },
  { "ITCZapfDingbats", "ZapfDingbats" },
};

/* Longest /BaseFont considered; no standard-14 name or alias comes near it. */
#define MAX_NAME 64

static const ScPdfStd14Font *
font_by_name (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (sc_pdf_std14_fonts); i++)
    if (strcmp (sc_pdf_std14_fonts[i].name, name) == 0)
      return &sc_pdf_std14_fonts[i];
  return NULL;
}

const ScPdfStd14Font *
sc_pdf_std14_find (const char *base_font)
{
  char name[MAX_NAME];
  const ScPdfStd14Font *font;
  gsize len = 0;

  g_return_val_if_fail (base_font != NULL, NULL);

  /* A subset font's name is six capital letters and '+' before the font's own (PDF 1.7,
   * 9.6.4); the subset still has the full font's metrics. */
  if (strlen (base_font) > 7 && base_font[6] == '+')
    {
      gboolean prefix = TRUE;

      for (int i = 0; i < 6; i++)
        prefix = prefix && g_ascii_isupper (base_font[i]);
      if (prefix)
        base_font += 7;
    }

  for (const char *p = base_font; *p != '\0'; p++)
    {
      if (*p == ' ')
        continue;
      if (len + 1 >= sizeof name)
        return NULL;
      name[len++] = *p;
    }
  name[len] = '\0';

  font = font_by_name (name);
  if (font != NULL)
    return font;

  for (gsize i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (strcmp (aliases[i].alias, name) == 0)
      return font_by_name (aliases[i].name);

  return NULL;
}

/* ---- Metrics ----------------------------------------------------------------------------- */

const char *
sc_pdf_std14_get_name (const ScPdfStd14Font *font)
{
  g_return_val_if_fail (font != NULL, NULL);

  return font->name;
}

static int
compare_width (const void *key,
               const void *member)
{
  return strcmp (key, ((const ScPdfStd14Width *) member)->name);
}

int
sc_pdf_std14_get_width (const ScPdfStd14Font *font,
                        const char           *glyph_name)
{
  const ScPdfStd14Width *entry;

  g_return_val_if_fail (font != NULL, -1);
  g_return_val_if_fail (glyph_name != NULL, -1);

  entry = bsearch (glyph_name, font->widths, font->n_widths, sizeof *font->widths,
                   compare_width);
  return entry != NULL ? entry->width : -1;
}

const char *
sc_pdf_std14_get_builtin_glyph (const ScPdfStd14Font *font,
                                guint8                code)
{
  g_return_val_if_fail (font != NULL, NULL);

  return font->builtin[code];
}

void
sc_pdf_std14_get_bbox (const ScPdfStd14Font *font,
                       double                bbox[4])
{
  g_return_if_fail (font != NULL);
  g_return_if_fail (bbox != NULL);

  for (int i = 0; i < 4; i++)
    bbox[i] = font->bbox[i];
}

double
sc_pdf_std14_get_ascent (const ScPdfStd14Font *font)
{
  g_return_val_if_fail (font != NULL, 0.0);

  return font->ascent;
}

double
sc_pdf_std14_get_descent (const ScPdfStd14Font *font)
{
  g_return_val_if_fail (font != NULL, 0.0);

  return font->descent;
}

/* ---- Encodings --------------------------------------------------------------------------- */

const char *
sc_pdf_encoding_get_glyph (const char *encoding,
                           guint8      code)
{
  static const struct
  {
    const char *name;
    const char *const *glyphs;
  } encodings[] = {
    { "StandardEncoding", sc_pdf_enc_StandardEncoding },
    { "WinAnsiEncoding", sc_pdf_enc_WinAnsiEncoding },
    { "MacRomanEncoding", sc_pdf_enc_MacRomanEncoding },
    { "PDFDocEncoding", sc_pdf_enc_PDFDocEncoding },
  };

  g_return_val_if_fail (encoding != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (encodings); i++)
    if (strcmp (encodings[i].name, encoding) == 0)
      return encodings[i].glyphs[code];
  return NULL;
}
