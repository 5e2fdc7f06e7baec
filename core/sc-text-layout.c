/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-text-layout.c: decodes plain text files and typesets them into an in-memory A4 PDF with
 * cairo's PDF surface and toy text API (see sc-text-layout.h).
 *
 * The toy API applies no kerning or shaping, so the width of a run is exactly the sum of its
 * characters' advances. Advances are measured once per distinct character and cached, which
 * keeps a megabyte of text well under a second: cairo only sees one show_text call per line.
 */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <string.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>

#include "sc-error.h"
#include "sc-text-layout.h"

#define LINE_SPACING 1.3 /* line height as a multiple of the font size */
#define TAB_WIDTH    4   /* a tab is typeset as this many spaces */

/* ------------------------------------------------------------------------------------------ */
/* Decoding                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* Windows-1252 code points for the bytes 0x80..0x9F; the five unassigned bytes become U+FFFD.
 * Bytes 0xA0..0xFF are the same as in Latin-1. */
static const gunichar cp1252_high[32] = {
  0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
  0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0xFFFD,
};

/* Appends @data to @out with "\r\n" and lone "\r" turned into "\n". */
static void
append_normalized (GString    *out,
                   const char *data,
                   gsize       length)
{
  const char *p = data;
  const char *end = data + length;

  while (p < end)
    {
      const char *cr = memchr (p, '\r', end - p);

      if (cr == NULL)
        {
          g_string_append_len (out, p, end - p);
          break;
        }
      g_string_append_len (out, p, cr - p);
      g_string_append_c (out, '\n');
      p = cr + 1;
      if (p < end && *p == '\n')
        p++;
    }
}

char *
sc_text_layout_decode (const guint8 *data,
                       gsize         length)
{
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  /* UTF-16 only with a byte-order mark: without one it cannot be told from binary data. */
  if (length >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF)))
    {
      const char *from = data[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
      gsize written = 0;
      g_autofree char *utf8 = g_convert ((const char *) data + 2, length - 2, "UTF-8", from,
                                         NULL, &written, NULL);

      if (utf8 == NULL || memchr (utf8, '\0', written) != NULL)
        return NULL;
      out = g_string_sized_new (written);
      append_normalized (out, utf8, written);
      return g_string_free (g_steal_pointer (&out), FALSE);
    }

  if (memchr (data, '\0', length) != NULL)
    return NULL;

  if (length >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    {
      data += 3;
      length -= 3;
    }

  out = g_string_sized_new (length + length / 16 + 1);
  if (g_utf8_validate_len ((const char *) data, length, NULL))
    {
      append_normalized (out, (const char *) data, length);
    }
  else
    {
      /* Not UTF-8: read it as Windows-1252, the usual encoding of older German files. */
      g_autoptr(GString) utf8 = g_string_sized_new (length + length / 8);

      for (gsize i = 0; i < length; i++)
        {
          guint8 b = data[i];

          if (b < 0x80)
            g_string_append_c (utf8, (char) b);
          else if (b < 0xA0)
            g_string_append_unichar (utf8, cp1252_high[b - 0x80]);
          else
            g_string_append_unichar (utf8, b);
        }
      append_normalized (out, utf8->str, utf8->len);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* Typesetting                                                                                 */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  cairo_t             *cr;
  cairo_scaled_font_t *font;
  double               ascii_advance[128]; /* x advance of each ASCII character, points */
  GHashTable          *advances;           /* gunichar → double *, for everything else */
  double               max_width;          /* width of the text column */
  double               line_height;
  double               ascent;
  guint                lines_per_page;

  const char          *text;               /* the whole source text */
  gboolean             page_open;
  guint                lines_on_page;
  const char          *page_start;         /* first source byte on the page, or NULL */
  const char          *page_end;           /* end of the last line on the page */
  GPtrArray           *page_texts;
  GString             *display;            /* scratch: the line as drawn */
} Layout;

static double
measure_char (Layout   *l,
              gunichar  c)
{
  char buf[8];
  cairo_text_extents_t extents;
  int n = g_unichar_to_utf8 (c, buf);

  buf[n] = '\0';
  cairo_scaled_font_text_extents (l->font, buf, &extents);
  return extents.x_advance;
}

/* Characters that are drawn as a space: tabs are widened separately. */
static inline gboolean
is_control (gunichar c)
{
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0);
}

static double
advance (Layout   *l,
         gunichar  c)
{
  double *cached;

  if (c == '\t')
    return TAB_WIDTH * l->ascii_advance[' '];
  if (is_control (c))
    return l->ascii_advance[' '];
  if (c < 128)
    return l->ascii_advance[c];

  cached = g_hash_table_lookup (l->advances, GUINT_TO_POINTER (c));
  if (cached == NULL)
    {
      cached = g_new (double, 1);
      *cached = measure_char (l, c);
      g_hash_table_insert (l->advances, GUINT_TO_POINTER (c), cached);
    }
  return *cached;
}

static void
finish_page (Layout *l)
{
  char *page_text;

  g_assert (l->page_open);

  cairo_show_page (l->cr);
  if (l->page_start == NULL)
    {
      page_text = g_strdup ("");
    }
  else
    {
      const char *end = l->page_end;

      /* The page keeps the line end of its last line, so concatenated pages give the text. */
      if (*end == '\n')
        end++;
      page_text = g_strndup (l->page_start, end - l->page_start);
    }
  g_ptr_array_add (l->page_texts, page_text);
  l->page_open = FALSE;
  l->page_start = NULL;
  l->page_end = NULL;
  l->lines_on_page = 0;
}

/* Draws the source bytes [@start, @end) as the next line, starting a new page when needed. */
static void
emit_line (Layout     *l,
           const char *start,
           const char *end)
{
  gboolean visible = FALSE;

  if (l->page_open && l->lines_on_page == l->lines_per_page)
    finish_page (l);
  if (!l->page_open)
    {
      l->page_open = TRUE;
      l->lines_on_page = 0;
    }

  g_string_truncate (l->display, 0);
  for (const char *p = start; p < end; p++)
    {
      guchar b = (guchar) *p;

      if (b == '\t')
        {
          g_string_append (l->display, "    ");
        }
      else if (b < 0x20 || b == 0x7F)
        {
          g_string_append_c (l->display, ' ');
        }
      else if (b == 0xC2 && p + 1 < end && (guchar) p[1] >= 0x80 && (guchar) p[1] < 0xA0)
        {
          /* A C1 control character (U+0080..U+009F). */
          g_string_append_c (l->display, ' ');
          p++;
        }
      else
        {
          g_string_append_c (l->display, (char) b);
          if (b != ' ')
            visible = TRUE;
        }
    }

  if (visible)
    {
      cairo_move_to (l->cr, SC_TEXT_LAYOUT_MARGIN,
                     SC_TEXT_LAYOUT_MARGIN + l->ascent + l->lines_on_page * l->line_height);
      cairo_show_text (l->cr, l->display->str);
    }

  if (l->page_start == NULL)
    l->page_start = start;
  l->page_end = end;
  l->lines_on_page++;
}

/* Emits [@start, @end) broken between characters into lines that fit, all but the last one.
 * Returns where the last (unfinished) line starts and its width in @width. */
static const char *
break_chars (Layout     *l,
             const char *start,
             const char *end,
             double     *width)
{
  const char *p = start;
  double w = 0;

  while (p < end)
    {
      double a = advance (l, g_utf8_get_char (p));

      if (w + a > l->max_width && p > start)
        {
          emit_line (l, start, p);
          start = p;
          w = 0;
        }
      w += a;
      p = g_utf8_next_char (p);
    }
  *width = w;
  return start;
}

/* Lays out one source line [@s, @e) (no '\n' or '\f' inside) with greedy word wrap. Blanks
 * inside a line are kept; blanks where the line wraps are dropped. */
static void
layout_line (Layout     *l,
             const char *s,
             const char *e)
{
  const char *line = s;      /* start of the current output line */
  const char *line_end = s;  /* end of what is placed on it so far */
  double width = 0;          /* width of [line, line_end) */
  const char *p = s;

  while (p < e)
    {
      const char *word;
      double blank_w = 0;
      double word_w = 0;

      while (p < e && (*p == ' ' || *p == '\t'))
        blank_w += advance (l, (guchar) *p++);
      word = p;
      while (p < e && *p != ' ' && *p != '\t')
        {
          guchar b = (guchar) *p;

          if (b < 0x80)
            {
              word_w += advance (l, b);
              p++;
            }
          else
            {
              word_w += advance (l, g_utf8_get_char (p));
              p = g_utf8_next_char (p);
            }
        }

      if (width + blank_w + word_w <= l->max_width)
        {
          width += blank_w + word_w;
          line_end = p;
          continue;
        }
      if (word == p)
        break; /* trailing blanks that do not fit: drop them */

      if (line_end > line)
        {
          /* Wrap before the word. */
          emit_line (l, line, line_end);
          line = word;
          if (word_w <= l->max_width)
            {
              width = word_w;
              line_end = p;
              continue;
            }
        }
      /* Nothing fits on an empty line: break the word (with any indentation) by characters. */
      line = break_chars (l, line, p, &width);
      line_end = p;
    }

  emit_line (l, line, line_end);
}

static cairo_status_t
write_to_array (void                *closure,
                const unsigned char *data,
                unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
sc_text_layout_typeset (const char  *text,
                        GPtrArray  **page_texts,
                        GError     **error)
{
  g_autoptr(GByteArray) pdf = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(GHashTable) advances = NULL;
  g_autoptr(GString) display = NULL;
  cairo_surface_t *surface;
  cairo_font_extents_t font_extents;
  cairo_status_t status;
  Layout l = { 0 };
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (page_texts != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Typeset text compresses to about half its size: reserve that to avoid regrowing. */
  pdf = g_byte_array_sized_new (MIN (strlen (text) / 2, (gsize) G_MAXUINT32 / 2) + 65536);
  pages = g_ptr_array_new_with_free_func (g_free);
  advances = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  display = g_string_sized_new (256);

  surface = cairo_pdf_surface_create_for_stream (write_to_array, pdf,
                                                 SC_TEXT_LAYOUT_PAGE_WIDTH,
                                                 SC_TEXT_LAYOUT_PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Sichtung");
  l.cr = cairo_create (surface);
  cairo_select_font_face (l.cr, SC_TEXT_LAYOUT_FONT, CAIRO_FONT_SLANT_NORMAL,
                          CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (l.cr, SC_TEXT_LAYOUT_FONT_SIZE);
  cairo_set_source_rgb (l.cr, 0, 0, 0);
  l.font = cairo_get_scaled_font (l.cr);
  cairo_scaled_font_extents (l.font, &font_extents);

  l.advances = advances;
  l.max_width = SC_TEXT_LAYOUT_PAGE_WIDTH - 2 * SC_TEXT_LAYOUT_MARGIN;
  l.line_height = LINE_SPACING * SC_TEXT_LAYOUT_FONT_SIZE;
  l.ascent = font_extents.ascent;
  l.lines_per_page = (guint) ((SC_TEXT_LAYOUT_PAGE_HEIGHT - 2 * SC_TEXT_LAYOUT_MARGIN -
                               l.ascent) / l.line_height) + 1;
  l.text = text;
  l.page_texts = pages;
  l.display = display;
  for (guint c = 0; c < 128; c++)
    l.ascii_advance[c] = is_control (c) ? 0 : measure_char (&l, c);

  p = text;
  while (*p != '\0')
    {
      const char *e = p + strcspn (p, "\n\f");

      if (e > p || *e != '\f')
        layout_line (&l, p, e);
      if (*e == '\f')
        {
          /* A form feed ends the page, even an empty one; a final one adds no page. */
          if (!l.page_open)
            {
              l.page_open = TRUE;
              l.lines_on_page = 0;
            }
          finish_page (&l);
        }
      if (*e == '\0')
        break;
      p = e + 1;
    }
  if (l.page_open || pages->len == 0)
    {
      l.page_open = TRUE;
      finish_page (&l);
    }

  cairo_destroy (l.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_FAILED, _("The text could not be typeset: %s"),
                   cairo_status_to_string (status));
      return NULL;
    }

  *page_texts = g_steal_pointer (&pages);
  return g_byte_array_free_to_bytes (g_steal_pointer (&pdf));
}
