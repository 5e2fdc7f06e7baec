/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-pdf-std14.h: metrics of the PDF standard 14 fonts and the glyph names of the named
 * simple-font encodings. A PDF may use Helvetica, Times, Courier, Symbol or ZapfDingbats
 * without embedding them and without a /Widths array; the redaction engine then takes the
 * glyph advances from here to know where each shown glyph lies.
 *
 *   const ScPdfStd14Font *font = sc_pdf_std14_find (base_font);     (NULL: not standard 14)
 *   const char *glyph = sc_pdf_encoding_get_glyph ("WinAnsiEncoding", code);
 *   int width = sc_pdf_std14_get_width (font, glyph);               (1/1000 em, -1: none)
 *
 * The metrics are those of the URW base35 fonts, which are metric-compatible with Adobe's core
 * fonts and are what poppler draws in their place; the data is generated into
 * sc-pdf-std14-data.h by tools/pdf/gen-std14-metrics.py. All returned pointers are static. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ScPdfStd14Font ScPdfStd14Font; /* opaque, static data */

/* The standard-14 font a PDF /BaseFont names, or NULL. Accepts subset prefixes
 * ("ABCDEF+Helvetica") and the aliases PDF readers accept (Arial, Arial,Bold, ArialMT,
 * TimesNewRomanPS-BoldMT, CourierNew,Italic …). */
const ScPdfStd14Font *sc_pdf_std14_find              (const char *base_font);
const char           *sc_pdf_std14_get_name          (const ScPdfStd14Font *font);
/* Advance width in 1/1000 em of @glyph_name; -1 when the font has no such glyph. */
int                   sc_pdf_std14_get_width         (const ScPdfStd14Font *font,
                                                      const char           *glyph_name);
/* The glyph name of @code in the font's built-in encoding (StandardEncoding for the Latin
 * fonts, the AFM's codes for Symbol and ZapfDingbats); NULL when none. */
const char           *sc_pdf_std14_get_builtin_glyph (const ScPdfStd14Font *font,
                                                      guint8                code);
/* FontBBox in 1/1000 em: llx, lly, urx, ury. */
void                  sc_pdf_std14_get_bbox          (const ScPdfStd14Font *font,
                                                      double                bbox[4]);
/* Ascent (positive) and descent (negative) in 1/1000 em. */
double                sc_pdf_std14_get_ascent        (const ScPdfStd14Font *font);
double                sc_pdf_std14_get_descent       (const ScPdfStd14Font *font);

/* The glyph name of @code in a named simple-font encoding: "StandardEncoding",
 * "WinAnsiEncoding", "MacRomanEncoding", "PDFDocEncoding"; NULL for an unknown encoding or an
 * undefined code. */
const char           *sc_pdf_encoding_get_glyph      (const char *encoding,
                                                      guint8      code);

G_END_DECLS
