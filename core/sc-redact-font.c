/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-redact-font.c: glyph advances and extents of PDF fonts, so the redaction engine knows where
 * every glyph of a text-showing operator lands (ISO 32000-1 §9.2–9.7).
 *
 * Simple fonts (Type 1, TrueType, Type 3) take one byte per code and /Widths (the standard 14
 * fonts may omit them: their metrics are built in, sc-pdf-std14.c). Composite fonts (Type 0) read
 * codes through their CMap's code space ranges (Identity-H/V or an embedded CMap) and widths from
 * the descendant font's /W and /DW. What cannot be known is guessed and flagged, so the caller can
 * be generous with the areas it removes. */
#define G_LOG_DOMAIN "sichtung-redact"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-error.h"
#include "sc-pdf-std14.h"
#include "sc-redact-private.h"

typedef enum
{
  FONT_SIMPLE,
  FONT_TYPE3,
  FONT_COMPOSITE,
} FontKind;

typedef struct
{
  guint lo, hi;
  guint n_bytes;
} CodeSpace;

typedef struct
{
  guint lo, hi;
  guint cid;
} CidRange;

typedef struct
{
  guint  lo, hi;
  double width;
} WidthRange;

struct _ScRedactFont
{
  FontKind kind;
  double   widths[256];     /* simple fonts: glyph units */
  double   scale;           /* glyph units → text space: 1/1000, or FontMatrix[0] for Type 3 */
  double   ascent, descent; /* text space for size 1 */
  gboolean approximate;

  /* Composite fonts. */
  GArray  *code_spaces;     /* CodeSpace; empty: two bytes per code */
  GArray  *cid_ranges;      /* CidRange; NULL: CID = code */
  GArray  *cid_widths;      /* WidthRange */
  double   default_width;
  gboolean vertical;
};

/* ---- qpdf helpers ------------------------------------------------------------------------- */

double
sc_qpdf_number (qpdf_data qpdf,
                qpdf_oh   oh,
                double    fallback)
{
  double value;

  if (oh == 0 || !qpdf_oh_is_number (qpdf, oh))
    return fallback;
  value = qpdf_oh_get_numeric_value (qpdf, oh);
  return isfinite (value) ? value : fallback;
}

gboolean
sc_qpdf_box (qpdf_data qpdf,
             qpdf_oh   oh,
             ScBox    *box)
{
  double v[4];

  if (oh == 0 || !qpdf_oh_is_array (qpdf, oh) || qpdf_oh_get_array_n_items (qpdf, oh) < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      qpdf_oh item = qpdf_oh_get_array_item (qpdf, oh, i);

      if (!qpdf_oh_is_number (qpdf, item))
        return FALSE;
      v[i] = qpdf_oh_get_numeric_value (qpdf, item);
    }
  box->x0 = MIN (v[0], v[2]);
  box->x1 = MAX (v[0], v[2]);
  box->y0 = MIN (v[1], v[3]);
  box->y1 = MAX (v[1], v[3]);
  return TRUE;
}

GBytes *
sc_qpdf_stream_data (qpdf_data qpdf,
                     qpdf_oh   stream,
                     gboolean  lossy)
{
  unsigned char *buffer = NULL;
  size_t length = 0;
  QPDF_BOOL filtered = QPDF_FALSE;
  GBytes *bytes;

  if (stream == 0 || !qpdf_oh_is_stream (qpdf, stream))
    return NULL;
  /* The result carries QPDF_WARNINGS while earlier warnings are unread: only errors count. */
  if ((qpdf_oh_get_stream_data (qpdf, stream, lossy ? qpdf_dl_all : qpdf_dl_generalized,
                                &filtered, &buffer, &length) & QPDF_ERRORS) != 0 ||
      !filtered)
    {
      free (buffer);
      while (qpdf_more_warnings (qpdf))
        g_debug ("qpdf warning: %s", qpdf_get_error_full_text (qpdf, qpdf_next_warning (qpdf)));
      if (qpdf_has_error (qpdf))
        g_debug ("qpdf: %s", qpdf_get_error_full_text (qpdf, qpdf_get_error (qpdf)));
      return NULL;
    }
  bytes = g_bytes_new (buffer, length);
  free (buffer);
  return bytes;
}

static const char *
name_of (qpdf_data qpdf,
         qpdf_oh   oh)
{
  return oh != 0 && qpdf_oh_is_name (qpdf, oh) ? qpdf_oh_get_name (qpdf, oh) : NULL;
}

/* ---- Simple fonts ------------------------------------------------------------------------- */

static void
read_extent (ScRedactFont *font,
             qpdf_data     qpdf,
             qpdf_oh       descriptor)
{
  double ascent = sc_qpdf_number (qpdf, qpdf_oh_get_key (qpdf, descriptor, "/Ascent"), 0);
  double descent = sc_qpdf_number (qpdf, qpdf_oh_get_key (qpdf, descriptor, "/Descent"), 0);

  /* Many files carry 0 or nonsense here; poppler then falls back the same way. */
  if (ascent > 400 && ascent < 1500)
    font->ascent = ascent / 1000;
  if (descent < 0 && descent > -600)
    font->descent = descent / 1000;
}

static void
load_std14_widths (ScRedactFont *font,
                   qpdf_data     qpdf,
                   qpdf_oh       dict,
                   const char   *base_font)
{
  const ScPdfStd14Font *std14 = sc_pdf_std14_find (base_font);
  const char *glyphs[256] = { NULL };
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *base_encoding = NULL;
  qpdf_oh encoding = qpdf_oh_get_key (qpdf, dict, "/Encoding");

  if (std14 == NULL)
    {
      font->approximate = TRUE;
      return;
    }
  /* qpdf's strings last only until its next call: keep copies. */
  if (name_of (qpdf, encoding) != NULL)
    base_encoding = g_strdup (name_of (qpdf, encoding) + 1);
  else if (qpdf_oh_is_dictionary (qpdf, encoding))
    {
      const char *name = name_of (qpdf, qpdf_oh_get_key (qpdf, encoding, "/BaseEncoding"));

      base_encoding = name != NULL ? g_strdup (name + 1) : NULL;
    }
  for (guint code = 0; code < 256; code++)
    glyphs[code] = base_encoding != NULL ? sc_pdf_encoding_get_glyph (base_encoding, code)
                                         : sc_pdf_std14_get_builtin_glyph (std14, code);
  if (qpdf_oh_is_dictionary (qpdf, encoding))
    {
      qpdf_oh differences = qpdf_oh_get_key (qpdf, encoding, "/Differences");
      int n = qpdf_oh_is_array (qpdf, differences) ? qpdf_oh_get_array_n_items (qpdf, differences)
                                                   : 0;
      int code = 0;

      for (int i = 0; i < n; i++)
        {
          qpdf_oh item = qpdf_oh_get_array_item (qpdf, differences, i);

          if (qpdf_oh_is_number (qpdf, item))
            code = (int) qpdf_oh_get_numeric_value (qpdf, item);
          else if (name_of (qpdf, item) != NULL && code >= 0 && code < 256)
            {
              char *glyph = g_strdup (name_of (qpdf, item) + 1);

              g_ptr_array_add (owned, glyph);
              glyphs[code++] = glyph;
            }
        }
    }
  for (guint code = 0; code < 256; code++)
    {
      int width = glyphs[code] != NULL ? sc_pdf_std14_get_width (std14, glyphs[code]) : -1;

      font->widths[code] = width >= 0 ? width : 0;
    }
  font->ascent = sc_pdf_std14_get_ascent (std14) / 1000;
  font->descent = sc_pdf_std14_get_descent (std14) / 1000;
}

static void
load_simple (ScRedactFont *font,
             qpdf_data     qpdf,
             qpdf_oh       dict)
{
  qpdf_oh widths = qpdf_oh_get_key (qpdf, dict, "/Widths");
  qpdf_oh descriptor = qpdf_oh_get_key (qpdf, dict, "/FontDescriptor");
  double missing = qpdf_oh_is_dictionary (qpdf, descriptor)
                   ? sc_qpdf_number (qpdf, qpdf_oh_get_key (qpdf, descriptor, "/MissingWidth"), 0)
                   : 0;
  int first = (int) sc_qpdf_number (qpdf, qpdf_oh_get_key (qpdf, dict, "/FirstChar"), 0);
  g_autofree char *base_font = g_strdup (name_of (qpdf, qpdf_oh_get_key (qpdf, dict,
                                                                         "/BaseFont")));

  if (qpdf_oh_is_dictionary (qpdf, descriptor))
    read_extent (font, qpdf, descriptor);
  if (!qpdf_oh_is_array (qpdf, widths))
    {
      if (base_font != NULL)
        load_std14_widths (font, qpdf, dict, base_font + 1);
      else
        font->approximate = TRUE;
      if (font->approximate)
        for (guint code = 0; code < 256; code++)
          font->widths[code] = missing > 0 ? missing : 600;
      return;
    }
  for (guint code = 0; code < 256; code++)
    font->widths[code] = missing;
  for (int i = 0, n = qpdf_oh_get_array_n_items (qpdf, widths); i < n; i++)
    {
      int code = first + i;

      if (code >= 0 && code < 256)
        font->widths[code] = sc_qpdf_number (qpdf, qpdf_oh_get_array_item (qpdf, widths, i),
                                             missing);
    }
}

static void
load_type3 (ScRedactFont *font,
            qpdf_data     qpdf,
            qpdf_oh       dict)
{
  qpdf_oh matrix = qpdf_oh_get_key (qpdf, dict, "/FontMatrix");
  double fm[6] = { 0.001, 0, 0, 0.001, 0, 0 };
  ScBox bbox;

  if (qpdf_oh_is_array (qpdf, matrix) && qpdf_oh_get_array_n_items (qpdf, matrix) == 6)
    for (int i = 0; i < 6; i++)
      fm[i] = sc_qpdf_number (qpdf, qpdf_oh_get_array_item (qpdf, matrix, i), fm[i]);
  load_simple (font, qpdf, dict);
  font->scale = fm[0] != 0 ? fm[0] : 0.001;
  if (sc_qpdf_box (qpdf, qpdf_oh_get_key (qpdf, dict, "/FontBBox"), &bbox) &&
      bbox.y1 > bbox.y0 && fm[3] != 0)
    {
      double a = bbox.y1 * fm[3], b = bbox.y0 * fm[3];

      font->ascent = MAX (MAX (a, b), 0.5);
      font->descent = MIN (MIN (a, b), 0);
    }
}

/* ---- Composite fonts ---------------------------------------------------------------------- */

static guint
bytes_to_code (const GByteArray *bytes)
{
  guint code = 0;

  for (guint i = 0; i < bytes->len && i < 4; i++)
    code = code << 8 | bytes->data[i];
  return code;
}

/* Reads codespace, cidrange and cidchar sections of an embedded CMap. */
static void
load_cmap_stream (ScRedactFont *font,
                  qpdf_data     qpdf,
                  qpdf_oh       stream)
{
  g_autoptr(GBytes) data = sc_qpdf_stream_data (qpdf, stream, FALSE);
  g_autoptr(GPtrArray) ops = NULL;
  gsize length;
  const guint8 *bytes;

  if (data == NULL)
    {
      font->approximate = TRUE;
      return;
    }
  bytes = g_bytes_get_data (data, &length);
  ops = sc_pdf_content_parse (bytes, length, NULL);
  if (ops == NULL)
    {
      font->approximate = TRUE;
      return;
    }
  font->cid_ranges = g_array_new (FALSE, FALSE, sizeof (CidRange));
  for (guint i = 0; i < ops->len; i++)
    {
      ScPdfOp *op = g_ptr_array_index (ops, i);
      GPtrArray *args = op->operands;

      if (strcmp (op->name, "endcodespacerange") == 0)
        for (guint k = 0; k + 1 < args->len; k += 2)
          {
            ScPdfObj *lo = g_ptr_array_index (args, k), *hi = g_ptr_array_index (args, k + 1);
            CodeSpace space;

            if (lo->type != SC_PDF_STRING || hi->type != SC_PDF_STRING || lo->bytes->len == 0 ||
                lo->bytes->len > 4)
              continue;
            space.lo = bytes_to_code (lo->bytes);
            space.hi = bytes_to_code (hi->bytes);
            space.n_bytes = lo->bytes->len;
            g_array_append_val (font->code_spaces, space);
          }
      else if (strcmp (op->name, "endcidrange") == 0)
        for (guint k = 0; k + 2 < args->len; k += 3)
          {
            ScPdfObj *lo = g_ptr_array_index (args, k), *hi = g_ptr_array_index (args, k + 1);
            ScPdfObj *cid = g_ptr_array_index (args, k + 2);
            CidRange range;

            if (lo->type != SC_PDF_STRING || hi->type != SC_PDF_STRING ||
                !sc_pdf_obj_is_number (cid))
              continue;
            range.lo = bytes_to_code (lo->bytes);
            range.hi = bytes_to_code (hi->bytes);
            range.cid = (guint) MAX (cid->number, 0);
            g_array_append_val (font->cid_ranges, range);
          }
      else if (strcmp (op->name, "endcidchar") == 0)
        for (guint k = 0; k + 1 < args->len; k += 2)
          {
            ScPdfObj *code = g_ptr_array_index (args, k), *cid = g_ptr_array_index (args, k + 1);
            CidRange range;

            if (code->type != SC_PDF_STRING || !sc_pdf_obj_is_number (cid))
              continue;
            range.lo = range.hi = bytes_to_code (code->bytes);
            range.cid = (guint) MAX (cid->number, 0);
            g_array_append_val (font->cid_ranges, range);
          }
      else if (strcmp (op->name, "def") == 0 && args->len == 2 &&
               sc_pdf_obj_name_is (g_ptr_array_index (args, 0), "WMode"))
        font->vertical = ((ScPdfObj *) g_ptr_array_index (args, 1))->number == 1;
      else if (strcmp (op->name, "usecmap") == 0)
        font->approximate = TRUE; /* the parent CMap's ranges are not known here */
    }
}

static void
load_cid_widths (ScRedactFont *font,
                 qpdf_data     qpdf,
                 qpdf_oh       cid_font)
{
  qpdf_oh w = qpdf_oh_get_key (qpdf, cid_font, "/W");
  int n = qpdf_oh_is_array (qpdf, w) ? qpdf_oh_get_array_n_items (qpdf, w) : 0;

  font->default_width = sc_qpdf_number (qpdf, qpdf_oh_get_key (qpdf, cid_font, "/DW"), 1000);
  for (int i = 0; i + 1 < n;)
    {
      qpdf_oh first = qpdf_oh_get_array_item (qpdf, w, i);
      qpdf_oh second = qpdf_oh_get_array_item (qpdf, w, i + 1);
      guint start = (guint) MAX (sc_qpdf_number (qpdf, first, 0), 0);

      if (qpdf_oh_is_array (qpdf, second))
        {
          for (int k = 0, m = qpdf_oh_get_array_n_items (qpdf, second); k < m; k++)
            {
              WidthRange range = { start + k, start + k, 0 };

              range.width = sc_qpdf_number (qpdf, qpdf_oh_get_array_item (qpdf, second, k),
                                            font->default_width);
              g_array_append_val (font->cid_widths, range);
            }
          i += 2;
        }
      else if (i + 2 < n)
        {
          WidthRange range;

          range.lo = start;
          range.hi = (guint) MAX (sc_qpdf_number (qpdf, second, 0), 0);
          range.width = sc_qpdf_number (qpdf, qpdf_oh_get_array_item (qpdf, w, i + 2),
                                        font->default_width);
          g_array_append_val (font->cid_widths, range);
          i += 3;
        }
      else
        break;
    }
}

static void
load_composite (ScRedactFont *font,
                qpdf_data     qpdf,
                qpdf_oh       dict)
{
  qpdf_oh encoding = qpdf_oh_get_key (qpdf, dict, "/Encoding");
  qpdf_oh descendants = qpdf_oh_get_key (qpdf, dict, "/DescendantFonts");
  const char *name = name_of (qpdf, encoding);

  font->code_spaces = g_array_new (FALSE, FALSE, sizeof (CodeSpace));
  font->cid_widths = g_array_new (FALSE, FALSE, sizeof (WidthRange));
  font->default_width = 1000;
  if (name != NULL)
    {
      /* Predefined CMaps other than Identity map codes to CIDs through tables Sichtung does
       * not carry; the UCS-2 and UTF-16 ones are two bytes per code, which is what matters. */
      font->vertical = g_str_has_suffix (name, "-V");
      if (strcmp (name, "/Identity-H") != 0 && strcmp (name, "/Identity-V") != 0)
        font->approximate = TRUE;
    }
  else if (qpdf_oh_is_stream (qpdf, encoding))
    load_cmap_stream (font, qpdf, encoding);
  else
    font->approximate = TRUE;

  if (qpdf_oh_is_array (qpdf, descendants) && qpdf_oh_get_array_n_items (qpdf, descendants) > 0)
    {
      qpdf_oh cid_font = qpdf_oh_get_array_item (qpdf, descendants, 0);
      qpdf_oh descriptor = qpdf_oh_get_key (qpdf, cid_font, "/FontDescriptor");

      load_cid_widths (font, qpdf, cid_font);
      if (qpdf_oh_is_dictionary (qpdf, descriptor))
        read_extent (font, qpdf, descriptor);
    }
  else
    font->approximate = TRUE;
}

/* ---- Public ------------------------------------------------------------------------------- */

ScRedactFont *
sc_redact_font_load (qpdf_data qpdf,
                     qpdf_oh   font_dict)
{
  ScRedactFont *font = g_new0 (ScRedactFont, 1);
  const char *subtype;

  font->scale = 0.001;
  font->ascent = 0.8;
  font->descent = -0.2;
  if (font_dict == 0 || !qpdf_oh_is_dictionary (qpdf, font_dict))
    {
      font->approximate = TRUE;
      for (guint code = 0; code < 256; code++)
        font->widths[code] = 600;
      return font;
    }
  subtype = name_of (qpdf, qpdf_oh_get_key (qpdf, font_dict, "/Subtype"));
  if (g_strcmp0 (subtype, "/Type0") == 0)
    {
      font->kind = FONT_COMPOSITE;
      load_composite (font, qpdf, font_dict);
    }
  else if (g_strcmp0 (subtype, "/Type3") == 0)
    {
      font->kind = FONT_TYPE3;
      load_type3 (font, qpdf, font_dict);
    }
  else
    {
      font->kind = FONT_SIMPLE;
      load_simple (font, qpdf, font_dict);
    }
  return font;
}

void
sc_redact_font_free (ScRedactFont *font)
{
  if (font == NULL)
    return;
  g_clear_pointer (&font->code_spaces, g_array_unref);
  g_clear_pointer (&font->cid_ranges, g_array_unref);
  g_clear_pointer (&font->cid_widths, g_array_unref);
  g_free (font);
}

gsize
sc_redact_font_next_code (const ScRedactFont *font,
                          const guint8       *data,
                          gsize               length,
                          gsize               pos,
                          guint              *code)
{
  g_assert (pos < length);

  if (font->kind != FONT_COMPOSITE)
    {
      *code = data[pos];
      return 1;
    }
  if (font->code_spaces->len > 0)
    {
      guint value = 0;

      /* ISO 32000-1 §9.7.6.2: take bytes until the code matches a range of that length. */
      for (guint n = 1; n <= 4 && pos + n <= length; n++)
        {
          value = value << 8 | data[pos + n - 1];
          for (guint i = 0; i < font->code_spaces->len; i++)
            {
              const CodeSpace *space = &g_array_index (font->code_spaces, CodeSpace, i);

              if (space->n_bytes == n && value >= space->lo && value <= space->hi)
                {
                  *code = value;
                  return n;
                }
            }
        }
    }
  if (pos + 1 < length)
    {
      *code = (guint) data[pos] << 8 | data[pos + 1];
      return 2;
    }
  *code = data[pos];
  return 1;
}

double
sc_redact_font_get_advance (const ScRedactFont *font,
                            guint               code)
{
  guint cid = code;

  if (font->kind != FONT_COMPOSITE)
    return font->widths[code & 0xff] * font->scale;
  if (font->vertical)
    return 0;
  if (font->cid_ranges != NULL)
    for (guint i = 0; i < font->cid_ranges->len; i++)
      {
        const CidRange *range = &g_array_index (font->cid_ranges, CidRange, i);

        if (code >= range->lo && code <= range->hi)
          {
            cid = range->cid + (code - range->lo);
            break;
          }
      }
  for (guint i = 0; i < font->cid_widths->len; i++)
    {
      const WidthRange *range = &g_array_index (font->cid_widths, WidthRange, i);

      if (cid >= range->lo && cid <= range->hi)
        return range->width * font->scale;
    }
  return font->default_width * font->scale;
}

void
sc_redact_font_get_extent (const ScRedactFont *font,
                           double             *descent,
                           double             *ascent)
{
  *descent = font->descent;
  *ascent = font->ascent;
}

gboolean
sc_redact_font_is_vertical (const ScRedactFont *font)
{
  return font->vertical;
}

gboolean
sc_redact_font_is_approximate (const ScRedactFont *font)
{
  return font->approximate;
}

gboolean
sc_qpdf_check (qpdf_data    qpdf,
               const char  *password,
               GError     **error)
{
  qpdf_error e;
  int code;
  g_autofree char *detail = NULL;

  if (!qpdf_has_error (qpdf))
    return TRUE;
  e = qpdf_get_error (qpdf);
  code = qpdf_get_error_code (qpdf, e);
  detail = g_strdup (qpdf_get_error_full_text (qpdf, e));
  g_debug ("qpdf: %s", detail);
  if (code == qpdf_e_password)
    g_set_error_literal (error, SC_ERROR,
                         password == NULL ? SC_ERROR_NEEDS_PASSWORD : SC_ERROR_BAD_PASSWORD,
                         password == NULL ? _("The document is protected by a password.")
                                          : _("The password is not correct."));
  else if (code == qpdf_e_system)
    g_set_error (error, SC_ERROR, SC_ERROR_IO, _("The document could not be written: %s"),
                 detail);
  else
    g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT, _("The PDF file is damaged: %s"), detail);
  return FALSE;
}
