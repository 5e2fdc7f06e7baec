/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-redact-private.h: what the files of the redaction engine share (internal to core/).
 *
 * sc-redact.c rewrites pages, sc-redact-font.c measures glyphs, sc-redact-verify.c checks the
 * result. PDF objects are read and written through qpdf's C API; content streams through
 * sc-pdf-content.h. */
#pragma once

#include <qpdf/qpdf-c.h>

#include "sc-pdf-content.h"
#include "sc-redact.h"

G_BEGIN_DECLS

/* An affine map as PDF writes it: [a b c d e f], x' = a x + c y + e, y' = b x + d y + f. */
typedef struct
{
  double m[6];
} ScMatrix;

void     sc_matrix_identity   (ScMatrix       *m);
/* @result = @first, then @second (PDF order: first × second). */
void     sc_matrix_multiply   (ScMatrix       *result,
                               const ScMatrix *first,
                               const ScMatrix *second);
void     sc_matrix_apply      (const ScMatrix *m,
                               double          x,
                               double          y,
                               double         *out_x,
                               double         *out_y);
gboolean sc_matrix_invert     (const ScMatrix *m,
                               ScMatrix       *inverse);

/* An axis-aligned box in PDF user space (y up). */
typedef struct
{
  double x0, y0, x1, y1;
} ScBox;

/* The box around @box mapped by @m. */
void     sc_box_transform     (const ScBox    *box,
                               const ScMatrix *m,
                               ScBox          *result);
double   sc_box_area          (const ScBox    *box);
gboolean sc_box_contains_point (const ScBox   *box,
                                double         x,
                                double         y);
double   sc_box_intersection  (const ScBox    *a,
                               const ScBox    *b);

/* ---- Page geometry ------------------------------------------------------------------------ */

/* How a page is shown: crop box and rotation, as poppler lays it out. */
typedef struct
{
  ScBox    crop;
  int      rotate;          /* 0, 90, 180, 270 */
  ScMatrix display_to_user; /* points, origin top-left as shown → default user space */
} ScPageGeometry;

/* The page's inherited value of @key (MediaBox, CropBox, Rotate, Resources) or 0 (no handle). */
qpdf_oh  sc_redact_page_inherited (qpdf_data       qpdf,
                                   qpdf_oh         page,
                                   const char     *key);
void     sc_redact_page_geometry  (qpdf_data       qpdf,
                                   qpdf_oh         page,
                                   ScPageGeometry *geometry);
/* @rect (display space) as a box in default user space. */
void     sc_redact_rect_to_user   (const ScPageGeometry *geometry,
                                   const ScRect         *rect,
                                   ScBox                *box);

/* ---- Fonts -------------------------------------------------------------------------------- */

typedef struct _ScRedactFont ScRedactFont;

/* Never NULL: a font that cannot be measured is measured approximately (see is_approximate). */
ScRedactFont *sc_redact_font_load          (qpdf_data           qpdf,
                                            qpdf_oh             font_dict);
void          sc_redact_font_free          (ScRedactFont       *font);
/* Reads one character code of @data at @pos; returns how many bytes it took (≥ 1). */
gsize         sc_redact_font_next_code     (const ScRedactFont *font,
                                            const guint8       *data,
                                            gsize               length,
                                            gsize               pos,
                                            guint              *code);
/* The code's horizontal advance in text space for a font size of 1. */
double        sc_redact_font_get_advance   (const ScRedactFont *font,
                                            guint               code);
/* Vertical extent of glyphs in text space for a font size of 1 (descent < 0 < ascent). */
void          sc_redact_font_get_extent    (const ScRedactFont *font,
                                            double             *descent,
                                            double             *ascent);
gboolean      sc_redact_font_is_vertical   (const ScRedactFont *font);
/* TRUE when widths had to be guessed (no /Widths, an unknown CMap). */
gboolean      sc_redact_font_is_approximate (const ScRedactFont *font);

/* ---- qpdf helpers ------------------------------------------------------------------------- */

/* The number value of @oh, or @fallback when it is not a number. */
double        sc_qpdf_number          (qpdf_data    qpdf,
                                       qpdf_oh      oh,
                                       double       fallback);
/* Reads a rectangle array; FALSE when @oh is not one. */
gboolean      sc_qpdf_box             (qpdf_data    qpdf,
                                       qpdf_oh      oh,
                                       ScBox       *box);
/* FALSE with @error set when qpdf reports an error (which it then forgets): a password
 * missing or wrong (@password is the one tried), a system error, else a damaged file. */
gboolean      sc_qpdf_check           (qpdf_data    qpdf,
                                       const char  *password,
                                       GError     **error);
/* The decoded data of a stream (all filters but the lossy ones unless @lossy). NULL when the
 * stream cannot be decoded. */
GBytes       *sc_qpdf_stream_data     (qpdf_data    qpdf,
                                       qpdf_oh      stream,
                                       gboolean     lossy);

/* ---- Labels ------------------------------------------------------------------------------- */

/* @label in Windows-1252, what the label font shows; NULL when it does not convert. */
char    *sc_redact_label_to_latin1 (const char   *label);
/* Where the label of @rect goes (display space: left edge, baseline) and at what size; FALSE
 * when it does not fit at a readable size. */
gboolean sc_redact_label_layout    (const ScRect *rect,
                                    const char   *label_latin1,
                                    double       *size,
                                    double       *x,
                                    double       *baseline,
                                    double       *text_width);

G_END_DECLS
