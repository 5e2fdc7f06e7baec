/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sample-pdf.c: typesets one text source of the sample case (data/samples) into an A4 PDF,
 * as a letter or as a court decision. Run at build time; never installed.
 *
 *   sample-pdf [--style letter|decision] --title TITLE --author AUTHOR --date YYYY-MM-DD \
 *       INPUT.txt OUTPUT.pdf
 *
 * The text sources stay plain text that reads naturally and is analysed as it is, so the
 * layout follows from their shape alone (README.md describes the conventions):
 *
 *   - Paragraphs are separated by blank lines; more blank lines give more space.
 *   - Lines are reflowed the way a reader would: a line break is kept when the first word of
 *     the next line would still have fitted onto the line within SOURCE_WIDTH characters
 *     (addresses, lists, signatures), and dropped otherwise (running text wrapped at 76).
 *   - Words are never hyphenated or broken, and a space is tied (no line break) after "§",
 *     "Abs.", "Nr." …, between groups of digits and in dates, so IBANs, phone numbers, norms
 *     and dates stay on one line.
 *   - A paragraph whose every line reads "Label: value" is a table of fields.
 *   - A paragraph starting with "1.", "a)" or a dash is a list item with a hanging indent.
 *
 * Letters (DejaVu Sans): the first paragraph is the letterhead (its first line set large and
 * bold), the single line "Place, den DATE" the right-aligned date line; between them the
 * recipient's address (in the address field) and fields (the reference block, on the right).
 * The paragraph after the date line is the subject, in bold. A single short line without
 * closing punctuation is a heading, "Mit freundlichen Grüßen" starts the closing, and a
 * single line at the very end is a signature.
 *
 * Decisions (DejaVu Serif): a single short line without closing punctuation is centred, in
 * bold when it is written in capitals or is one capitalised word ("URTEIL", "Tatbestand").
 *
 * Every page carries "Seite N von M". The creation and modification dates are the given date,
 * so the output depends on the input and the installed fonts only.
 */
#define G_LOG_DOMAIN "sichtung-samples"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#define MM(x) ((x) * 72.0 / 25.4)

#define PAGE_WIDTH    595.276 /* A4 in points */
#define PAGE_HEIGHT   841.89
#define MARGIN_LEFT   MM (25)
#define MARGIN_RIGHT  MM (25)
#define MARGIN_TOP    MM (20)
#define MARGIN_BOTTOM MM (25)
#define FOOTER_Y      (PAGE_HEIGHT - MM (14)) /* baseline of "Seite N von M" */
#define TEXT_WIDTH    (PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)
#define ADDRESS_TOP   MM (50) /* the address field of a letter, from the top of the page */
#define INFO_INDENT   (TEXT_WIDTH * 0.35) /* the reference block of a letter */
#define ITEM_INDENT   18.0    /* hanging indent of list items */

#define SOURCE_WIDTH  76      /* characters a source line may hold */
#define HEADING_CHARS 60      /* a heading or centred line is at most this long */
#define LABEL_CHARS   40      /* a field label is at most this long */

typedef enum
{
  STYLE_LETTER,
  STYLE_DECISION,
} Style;

typedef enum
{
  BLOCK_LETTERHEAD,
  BLOCK_ADDRESS,
  BLOCK_FIELDS,
  BLOCK_DATE,
  BLOCK_SUBJECT,
  BLOCK_HEADING,
  BLOCK_CENTERED,
  BLOCK_BODY,
  BLOCK_ITEM,
  BLOCK_LINES,
} BlockKind;

/* One paragraph of the source: its lines as written and the blank lines before it. */
typedef struct
{
  GPtrArray *lines; /* char *, without line end or trailing blanks */
  guint      blank_before;
} Paragraph;

/* One paragraph as it is typeset. */
typedef struct
{
  BlockKind kind;
  char     *text;           /* hard line breaks as '\n', fields as "Label:\tvalue" */
  double    indent;         /* from the left margin, in points */
  double    space_before;   /* in points; dropped at the top of a page */
  double    min_top;        /* the block starts no higher than this (0: anywhere) */
  gboolean  bold;
  gboolean  keep_with_next; /* never the last thing on a page */
  gboolean  rule_after;     /* a hairline under the block (the letterhead) */
} Block;

typedef struct
{
  PangoContext         *context;
  PangoFontDescription *font;      /* body text */
  PangoFontDescription *small;     /* letterhead, reference block, footer */
  double                font_size; /* of font, in points */
} Typesetter;

/* Where typesetting stands: the page, the next free y, and the output (NULL while counting). */
typedef struct
{
  cairo_t *cr;
  guint    page;     /* 1-based */
  guint    n_pages;  /* known in the second pass only */
  double   y;
  gboolean page_empty;
} Cursor;

static const char *const months[] = {
  "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
  "Oktober", "November", "Dezember", NULL,
};

static const char *const tie_after[] = {
  "§", "§§", "Abs.", "Nr.", "Art.", "Satz", "SGB", "Az.", NULL,
};

static const char *const closings[] = {
  "Mit freundlichen Grüßen", "Mit freundlichem Gruß", "Hochachtungsvoll", NULL,
};

static void
block_free (Block *block)
{
  g_free (block->text);
  g_free (block);
}

static void
paragraph_free (Paragraph *paragraph)
{
  g_ptr_array_unref (paragraph->lines);
  g_free (paragraph);
}

/* ---- Reading the source ------------------------------------------------------------------ */

static gboolean
is_blank (const char *line)
{
  for (const char *p = line; *p != '\0'; p++)
    {
      if (!g_ascii_isspace (*p))
        return FALSE;
    }
  return TRUE;
}

/* Splits @contents into paragraphs. Fails on text that is not UTF-8 or holds control
 * characters other than tab and line ends; tabs become spaces. */
static GPtrArray *
read_paragraphs (const char  *name,
                 const char  *contents,
                 gsize        length,
                 GError     **error)
{
  g_autoptr(GPtrArray) paragraphs = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  const char *bad = NULL;
  Paragraph *current = NULL;
  guint blank = 0;

  paragraphs = g_ptr_array_new_with_free_func ((GDestroyNotify) paragraph_free);
  if (!g_utf8_validate_len (contents, length, &bad))
    {
      guint line = 1;

      for (const char *p = contents; p < bad; p++)
        line += *p == '\n';
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%u: not UTF-8 text", name, line);
      return NULL;
    }

  text = g_strndup (contents, length);
  for (char *p = text; *p != '\0'; p++)
    {
      if (*p == '\t')
        *p = ' ';
      else if (*p == '\r' && p[1] == '\n')
        *p = ' ';
    }
  lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strchomp (lines[i]);

      for (const char *p = line; *p != '\0'; p++)
        {
          if ((guchar) *p < 0x20 || *p == 0x7f)
            {
              g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                           "%s:%u: control character 0x%02x in the text", name, i + 1,
                           (guint) (guchar) *p);
              return NULL;
            }
        }
      if (is_blank (line))
        {
          current = NULL;
          blank++;
          continue;
        }
      if (current == NULL)
        {
          current = g_new0 (Paragraph, 1);
          current->lines = g_ptr_array_new_with_free_func (g_free);
          current->blank_before = blank;
          g_ptr_array_add (paragraphs, current);
          blank = 0;
        }
      g_ptr_array_add (current->lines, g_strdup (line));
    }

  if (paragraphs->len == 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: there is no text to typeset",
                   name);
      return NULL;
    }
  return g_steal_pointer (&paragraphs);
}

/* ---- Classifying paragraphs -------------------------------------------------------------- */

static gboolean
in_list (const char *const *list,
         const char        *word,
         gsize              length)
{
  for (guint i = 0; list[i] != NULL; i++)
    {
      if (strlen (list[i]) == length && strncmp (list[i], word, length) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Whether @word (@length bytes) is a month name, punctuation after it aside. */
static gboolean
is_month (const char *word,
          gsize       length)
{
  while (length > 0 && strchr (".,;:)", word[length - 1]) != NULL)
    length--;
  return in_list (months, word, length);
}

/* Whether @word (@length bytes) is one to three capitals: "K" of "5 K 1234/24", "EUR". */
static gboolean
is_short_capitals (const char *word,
                   gsize       length)
{
  if (length < 1 || length > 3)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isupper (word[i]))
        return FALSE;
    }
  return TRUE;
}

/* Whether the space between @a and @b (words of @a_len and @b_len bytes) is tied: after "§",
 * "Abs." and the like; between a number and a number, a month or capitals ("3704 0044",
 * "3. Februar", "5 K", "3.950,00 EUR"); between capitals and a number ("K 1234/24"); and
 * between a month and a year. */
static gboolean
is_tied (const char *a,
         gsize       a_len,
         const char *b,
         gsize       b_len)
{
  gboolean a_number;

  if (in_list (tie_after, a, a_len))
    return TRUE;
  a_number = g_ascii_isdigit (a[a_len - 1])
             || (a_len > 1 && a[a_len - 1] == '.' && g_ascii_isdigit (a[a_len - 2]));
  if (a_number
      && (g_ascii_isdigit (b[0]) || is_month (b, b_len) || is_short_capitals (b, b_len)))
    return TRUE;
  return (is_month (a, a_len) || is_short_capitals (a, a_len)) && g_ascii_isdigit (b[0]);
}

/* The length in characters of the first unit (words joined by tied spaces) of @line. */
static glong
first_unit_chars (const char *line)
{
  const char *start = line;
  const char *end;

  while (*start == ' ')
    start++;
  end = start;
  for (;;)
    {
      const char *word = end;
      const char *next;

      while (*end != '\0' && *end != ' ')
        end++;
      if (*end != ' ' || end[1] == ' ' || end[1] == '\0')
        break;
      next = end + 1;
      {
        const char *next_end = next;

        while (*next_end != '\0' && *next_end != ' ')
          next_end++;
        if (!is_tied (word, end - word, next, next_end - next))
          break;
      }
      end = next;
    }
  return g_utf8_strlen (start, end - start);
}

/* Whether the break after @line, followed by @next, is one a reader would reflow: the first
 * word of @next would not have fitted onto @line. */
static gboolean
is_soft_break (const char *line,
               const char *next)
{
  return g_utf8_strlen (line, -1) + 1 + first_unit_chars (next) > SOURCE_WIDTH;
}

/* The length of a list marker ("1. ", "a) ", "– ") at the start of @line, or 0. */
static gsize
item_marker_length (const char *line)
{
  const char *p = line;

  while (*p == ' ')
    p++;
  if (g_ascii_isdigit (*p))
    {
      const char *digits = p;

      while (g_ascii_isdigit (*p))
        p++;
      if (p - digits > 2 || *p != '.')
        return 0;
      p++;
    }
  else if (g_ascii_islower (*p) && p[1] == ')')
    p += 2;
  else if (*p == '-')
    p++;
  else if (g_str_has_prefix (p, "–") || g_str_has_prefix (p, "•"))
    p += strlen ("–");
  else
    return 0;
  return *p == ' ' && p[1] != ' ' && p[1] != '\0' ? (gsize) (p + 1 - line) : 0;
}

/* Whether @line reads "Label: value" with a short label. */
static gboolean
is_field_line (const char *line)
{
  const char *colon = strstr (line, ": ");
  gboolean letter = FALSE;

  if (colon == NULL || colon == line || colon[-1] == ' ' || colon[2] == ' ' || colon[2] == '\0')
    return FALSE;
  if (g_utf8_strlen (line, colon - line) > LABEL_CHARS)
    return FALSE;
  for (const char *p = line; p < colon; p++)
    {
      /* a sentence before the colon is no label */
      if ((*p == '.' && p[1] == ' ') || *p == ';' || *p == '(')
        return FALSE;
      letter |= g_ascii_isalpha (*p) || (guchar) *p >= 0x80;
    }
  return letter;
}

static gboolean
is_fields (const Paragraph *paragraph)
{
  for (guint i = 0; i < paragraph->lines->len; i++)
    {
      if (!is_field_line (g_ptr_array_index (paragraph->lines, i)))
        return FALSE;
    }
  return TRUE;
}

static const char *
single_line (const Paragraph *paragraph)
{
  return paragraph->lines->len == 1 ? g_ptr_array_index (paragraph->lines, 0) : NULL;
}

/* A single short line without closing punctuation: a heading, or a centred line. */
static gboolean
is_heading_line (const char *line,
                 const char *closing_marks)
{
  gsize length;

  if (line == NULL || g_utf8_strlen (line, -1) > HEADING_CHARS)
    return FALSE;
  length = strlen (line);
  return strchr (closing_marks, line[length - 1]) == NULL;
}

/* "Mainz, den 3. Februar 2025" */
static gboolean
is_date_line (const char *line)
{
  const char *den;

  if (line == NULL)
    return FALSE;
  den = strstr (line, ", den ");
  return den != NULL && den != line && g_ascii_isdigit (den[strlen (", den ")]);
}

static gboolean
is_closing (const Paragraph *paragraph)
{
  const char *first = g_ptr_array_index (paragraph->lines, 0);

  for (guint i = 0; closings[i] != NULL; i++)
    {
      if (g_str_has_prefix (first, closings[i]))
        return TRUE;
    }
  return FALSE;
}

/* Whether every letter of @line is a capital and there are at least two. */
static gboolean
is_capitals (const char *line)
{
  guint n_letters = 0;

  for (const char *p = line; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_islower (c))
        return FALSE;
      n_letters += g_unichar_isupper (c);
    }
  return n_letters >= 2;
}

/* The lines of @paragraph from @from to @to (exclusive) with hard breaks kept and soft ones
 * turned into spaces; continuation lines lose their indentation. */
static char *
reflow (const Paragraph *paragraph,
        guint            from,
        guint            to)
{
  GString *text = g_string_new (NULL);

  for (guint i = from; i < to; i++)
    {
      const char *line = g_ptr_array_index (paragraph->lines, i);

      if (i > from)
        {
          const char *previous = g_ptr_array_index (paragraph->lines, i - 1);

          g_string_append_c (text, is_soft_break (previous, line) ? ' ' : '\n');
          while (*line == ' ')
            line++;
        }
      g_string_append (text, line);
    }
  return g_string_free (text, FALSE);
}

/* The lines of @paragraph as they are, one a line. */
static char *
join_lines (const Paragraph *paragraph)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < paragraph->lines->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, g_ptr_array_index (paragraph->lines, i));
    }
  return g_string_free (text, FALSE);
}

/* "Label: value" lines as "\tLabel:\tvalue", for the tab stops of the label column (flush
 * right) and the value column. */
static char *
fields_text (const Paragraph *paragraph)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < paragraph->lines->len; i++)
    {
      const char *line = g_ptr_array_index (paragraph->lines, i);
      const char *colon = strstr (line, ": ");
      const char *value = colon + 2;

      while (*value == ' ')
        value++;
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append_c (text, '\t');
      g_string_append_len (text, line, colon + 1 - line);
      g_string_append_c (text, '\t');
      g_string_append (text, value);
    }
  return g_string_free (text, FALSE);
}

static Block *
block_new (BlockKind        kind,
           char            *text,
           const Paragraph *paragraph,
           double           line_height)
{
  Block *block = g_new0 (Block, 1);

  block->kind = kind;
  block->text = text;
  /* one blank line is half a line of space, more give more, up to two lines */
  block->space_before = MIN (paragraph->blank_before, 4) * 0.5 * line_height;
  return block;
}

/* Adds the list items of @paragraph (it starts with a marker), one block each. */
static void
add_items (GPtrArray       *blocks,
           const Paragraph *paragraph,
           double           line_height)
{
  guint start = 0;

  while (start < paragraph->lines->len)
    {
      guint end = start + 1;
      g_autofree char *text = NULL;
      const char *first;
      gsize marker;
      Block *block;

      /* a marker starts the next item after a hard break only ("Termin am\n19. März") */
      while (end < paragraph->lines->len
             && (item_marker_length (g_ptr_array_index (paragraph->lines, end)) == 0
                 || is_soft_break (g_ptr_array_index (paragraph->lines, end - 1),
                                   g_ptr_array_index (paragraph->lines, end))))
        end++;
      text = reflow (paragraph, start, end);
      first = text;
      while (*first == ' ')
        first++;
      marker = item_marker_length (first);
      block = block_new (BLOCK_ITEM, NULL, paragraph, line_height);
      if (marker > 0)
        {
          g_autofree char *mark = g_strndup (first, marker);

          block->text = g_strconcat (g_strchomp (mark), "\t", first + marker, NULL);
        }
      else
        block->text = g_strdup (first);
      if (start > 0)
        block->space_before = 0;
      g_ptr_array_add (blocks, block);
      start = end;
    }
}

static GPtrArray *
classify_letter (GPtrArray *paragraphs,
                 double     line_height)
{
  GPtrArray *blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  guint date_index = 0;
  gboolean closing = FALSE;
  gboolean address_seen = FALSE;

  for (guint i = 1; i < paragraphs->len && date_index == 0; i++)
    {
      if (is_date_line (single_line (g_ptr_array_index (paragraphs, i))))
        date_index = i;
    }

  for (guint i = 0; i < paragraphs->len; i++)
    {
      const Paragraph *paragraph = g_ptr_array_index (paragraphs, i);
      const char *line = single_line (paragraph);
      gboolean last = i + 1 == paragraphs->len;
      Block *block;

      if (i == 0)
        {
          block = block_new (BLOCK_LETTERHEAD, join_lines (paragraph), paragraph, line_height);
          block->rule_after = TRUE;
        }
      else if (i < date_index && is_fields (paragraph))
        {
          block = block_new (BLOCK_FIELDS, fields_text (paragraph), paragraph, line_height);
          block->indent = INFO_INDENT;
        }
      else if (i < date_index)
        {
          block = block_new (BLOCK_ADDRESS, join_lines (paragraph), paragraph, line_height);
          if (!address_seen)
            block->min_top = ADDRESS_TOP;
          address_seen = TRUE;
        }
      else if (i == date_index)
        {
          block = block_new (BLOCK_DATE, join_lines (paragraph), paragraph, line_height);
          block->space_before = MAX (block->space_before, line_height);
        }
      else if (date_index > 0 && i == date_index + 1)
        {
          block = block_new (BLOCK_SUBJECT, join_lines (paragraph), paragraph, line_height);
          block->bold = TRUE;
          block->keep_with_next = TRUE;
        }
      else if (closing || is_closing (paragraph))
        {
          block = block_new (BLOCK_LINES, join_lines (paragraph), paragraph, line_height);
          /* room for the handwritten signature after the greeting */
          if (closing && i > 0 && is_closing (g_ptr_array_index (paragraphs, i - 1)))
            block->space_before = MAX (block->space_before, 2.5 * line_height);
          else if (!closing)
            block->keep_with_next = TRUE;
          closing = TRUE;
        }
      else if (last && line != NULL && is_heading_line (line, ".,;:"))
        {
          /* a single line at the end: the signature */
          block = block_new (BLOCK_LINES, join_lines (paragraph), paragraph, line_height);
          block->space_before = MAX (block->space_before, 2.5 * line_height);
        }
      else if (is_heading_line (line, ".,;"))
        {
          block = block_new (BLOCK_HEADING, g_strdup (line), paragraph, line_height);
          block->bold = TRUE;
          block->keep_with_next = TRUE;
        }
      else if (item_marker_length (g_ptr_array_index (paragraph->lines, 0)) > 0)
        {
          add_items (blocks, paragraph, line_height);
          continue;
        }
      else if (is_fields (paragraph))
        block = block_new (BLOCK_FIELDS, fields_text (paragraph), paragraph, line_height);
      else
        block = block_new (BLOCK_BODY, reflow (paragraph, 0, paragraph->lines->len), paragraph,
                           line_height);
      g_ptr_array_add (blocks, block);
    }
  return blocks;
}

static GPtrArray *
classify_decision (GPtrArray *paragraphs,
                   double     line_height)
{
  GPtrArray *blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);

  for (guint i = 0; i < paragraphs->len; i++)
    {
      const Paragraph *paragraph = g_ptr_array_index (paragraphs, i);
      const char *line = single_line (paragraph);
      Block *block;

      if (is_fields (paragraph))
        block = block_new (BLOCK_FIELDS, fields_text (paragraph), paragraph, line_height);
      else if (is_heading_line (line, ".,;:"))
        {
          block = block_new (BLOCK_CENTERED, g_strdup (line), paragraph, line_height);
          block->bold = is_capitals (line) || (strchr (line, ' ') == NULL
                                               && g_unichar_isupper (g_utf8_get_char (line)));
          block->keep_with_next = block->bold;
        }
      else if (item_marker_length (g_ptr_array_index (paragraph->lines, 0)) > 0)
        {
          add_items (blocks, paragraph, line_height);
          continue;
        }
      else
        block = block_new (BLOCK_BODY, reflow (paragraph, 0, paragraph->lines->len), paragraph,
                           line_height);
      g_ptr_array_add (blocks, block);
    }
  return blocks;
}

/* ---- Typesetting ------------------------------------------------------------------------- */

/* Pango attributes that keep every word, and words joined by tied spaces, on one line, and
 * never hyphenate. */
static PangoAttrList *
no_break_attributes (const char *text)
{
  PangoAttrList *attrs = pango_attr_list_new ();
  const char *p = text;
  PangoAttribute *attr;

  attr = pango_attr_insert_hyphens_new (FALSE);
  pango_attr_list_insert (attrs, attr);

  while (*p != '\0')
    {
      const char *start;
      const char *end;

      while (*p == ' ' || *p == '\n' || *p == '\t')
        p++;
      if (*p == '\0')
        break;
      start = end = p;
      for (;;)
        {
          const char *word = end;
          const char *next;
          const char *next_end;

          while (*end != '\0' && *end != ' ' && *end != '\n' && *end != '\t')
            end++;
          if (*end != ' ')
            break;
          next = end + 1;
          next_end = next;
          while (*next_end != '\0' && *next_end != ' ' && *next_end != '\n' && *next_end != '\t')
            next_end++;
          if (next == next_end || !is_tied (word, end - word, next, next_end - next))
            break;
          end = next;
        }
      attr = pango_attr_allow_breaks_new (FALSE);
      attr->start_index = start - text;
      attr->end_index = end - text;
      pango_attr_list_insert (attrs, attr);
      p = end;
    }
  return attrs;
}

/* The width of the widest "Label:" of a fields text, in points. */
static double
widest_label (Typesetter           *ts,
              const char           *text,
              PangoFontDescription *font)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(PangoLayout) layout = pango_layout_new (ts->context);
  double widest = 0;

  pango_layout_set_font_description (layout, font);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *label = lines[i] + 1;
      const char *tab = strchr (label, '\t');
      PangoRectangle logical;

      pango_layout_set_text (layout, label, tab - label);
      pango_layout_get_extents (layout, NULL, &logical);
      widest = MAX (widest, pango_units_to_double (logical.width));
    }
  return widest;
}

/* Tab stops for "\tLabel:\tvalue": the labels flush right against one column, the values
 * half an em after it; a value that wraps continues under itself. The gap stays that narrow
 * so text extraction reads label and value as one line, not as two columns. */
static void
set_field_columns (PangoLayout *layout,
                   double       label_width,
                   double       gap)
{
  PangoTabArray *tabs = pango_tab_array_new (2, FALSE);

  pango_tab_array_set_tab (tabs, 0, PANGO_TAB_RIGHT, pango_units_from_double (label_width));
  pango_tab_array_set_tab (tabs, 1, PANGO_TAB_LEFT,
                           pango_units_from_double (label_width + gap));
  pango_layout_set_tabs (layout, tabs);
  pango_layout_set_indent (layout, -pango_units_from_double (label_width + gap));
  pango_tab_array_free (tabs);
}

/* A tab stop for "1.\ttext" and a hanging indent to it. */
static void
set_hanging_indent (PangoLayout *layout,
                    double       indent)
{
  PangoTabArray *tabs = pango_tab_array_new_with_positions (1, FALSE, PANGO_TAB_LEFT,
                                                            pango_units_from_double (indent));

  pango_layout_set_tabs (layout, tabs);
  pango_layout_set_indent (layout, -pango_units_from_double (indent));
  pango_tab_array_free (tabs);
}

static PangoLayout *
block_layout (Typesetter  *ts,
              const Block *block)
{
  PangoLayout *layout = pango_layout_new (ts->context);
  g_autoptr(PangoFontDescription) font = NULL;
  PangoAttrList *attrs = no_break_attributes (block->text);
  double width = TEXT_WIDTH - block->indent;

  font = pango_font_description_copy (block->kind == BLOCK_LETTERHEAD
                                      || (block->kind == BLOCK_FIELDS && block->indent > 0)
                                      ? ts->small : ts->font);
  if (block->bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, pango_units_from_double (width));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_set_spacing (layout, pango_units_from_double (
                              pango_font_description_get_size (font) / (double) PANGO_SCALE
                              * 0.3));
  pango_layout_set_text (layout, block->text, -1);

  switch (block->kind)
    {
    case BLOCK_LETTERHEAD:
      {
        /* the first line is the sender's name, large and bold */
        const char *end = strchr (block->text, '\n');
        PangoAttribute *attr;
        guint first_end = end != NULL ? (guint) (end - block->text) : strlen (block->text);

        attr = pango_attr_weight_new (PANGO_WEIGHT_BOLD);
        attr->end_index = first_end;
        pango_attr_list_insert (attrs, attr);
        attr = pango_attr_size_new_absolute (pango_units_from_double (15));
        attr->end_index = first_end;
        pango_attr_list_insert (attrs, attr);
        break;
      }
    case BLOCK_FIELDS:
      set_field_columns (layout, MIN (widest_label (ts, block->text, font), width * 0.45),
                         pango_font_description_get_size (font) / (double) PANGO_SCALE / 2);
      break;
    case BLOCK_ITEM:
      set_hanging_indent (layout, ITEM_INDENT);
      pango_layout_set_justify (layout, TRUE);
      break;
    case BLOCK_DATE:
      pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
      break;
    case BLOCK_CENTERED:
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      break;
    case BLOCK_BODY:
      pango_layout_set_justify (layout, TRUE);
      break;
    case BLOCK_ADDRESS:
    case BLOCK_SUBJECT:
    case BLOCK_HEADING:
    case BLOCK_LINES:
    default:
      break;
    }

  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

static void
show_footer (Typesetter *ts,
             Cursor     *cursor)
{
  g_autoptr(PangoLayout) layout = NULL;
  g_autofree char *text = NULL;
  PangoRectangle logical;

  if (cursor->cr == NULL)
    return;
  text = g_strdup_printf ("Seite %u von %u", cursor->page, cursor->n_pages);
  layout = pango_layout_new (ts->context);
  pango_layout_set_font_description (layout, ts->small);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_extents (layout, NULL, &logical);
  cairo_move_to (cursor->cr,
                 MARGIN_LEFT + (TEXT_WIDTH - pango_units_to_double (logical.width)) / 2,
                 FOOTER_Y - pango_units_to_double (pango_layout_get_baseline (layout)));
  pango_cairo_show_layout (cursor->cr, layout);
}

static void
new_page (Typesetter *ts,
          Cursor     *cursor)
{
  show_footer (ts, cursor);
  if (cursor->cr != NULL)
    cairo_show_page (cursor->cr);
  cursor->page++;
  cursor->y = MARGIN_TOP;
  cursor->page_empty = TRUE;
}

/* The height of the first @n_lines lines of @layout, in points. */
static double
lines_height (PangoLayout *layout,
              int          n_lines)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  int bottom = 0;

  for (int i = 0; i < n_lines; i++)
    {
      int y0, y1;

      pango_layout_iter_get_line_yrange (iter, &y0, &y1);
      bottom = y1;
      if (!pango_layout_iter_next_line (iter))
        break;
    }
  pango_layout_iter_free (iter);
  return pango_units_to_double (bottom);
}

/* Places the lines of @layout from the cursor on, onto further pages where needed. */
static void
place_block (Typesetter  *ts,
             Cursor      *cursor,
             const Block *block,
             PangoLayout *layout,
             double       keep_height)
{
  double bottom = PAGE_HEIGHT - MARGIN_BOTTOM;
  int n_lines = pango_layout_get_line_count (layout);
  PangoLayoutIter *iter;
  double origin; /* page y of the layout's y 0 */
  int *y0, *y1;  /* [n_lines] the lines' tops and bottoms in the layout */
  gboolean *break_before; /* [n_lines] */

  if (!cursor->page_empty)
    cursor->y += block->space_before;
  cursor->y = MAX (cursor->y, block->min_top);
  /* no orphaned first line, and headings stay with what follows them */
  if (!cursor->page_empty
      && (cursor->y + lines_height (layout, MIN (n_lines, 2)) > bottom
          || (keep_height > 0
              && cursor->y + lines_height (layout, n_lines) + keep_height > bottom)))
    {
      new_page (ts, cursor);
      cursor->y = MAX (cursor->y, block->min_top);
    }

  /* where the block goes onto the next page; never a single line of it alone there */
  y0 = g_new (int, n_lines);
  y1 = g_new (int, n_lines);
  break_before = g_new0 (gboolean, n_lines);
  iter = pango_layout_get_iter (layout);
  for (int i = 0; i < n_lines; i++)
    {
      pango_layout_iter_get_line_yrange (iter, &y0[i], &y1[i]);
      pango_layout_iter_next_line (iter);
    }
  pango_layout_iter_free (iter);
  origin = cursor->y;
  for (int i = 0, first = 0; i < n_lines; i++)
    {
      gboolean page_empty = i == first ? cursor->page_empty || i > 0 : FALSE;
      int at = i;

      if (origin + pango_units_to_double (y1[i]) <= bottom || page_empty)
        continue;
      if (at == n_lines - 1 && at - first >= 3)
        at--;
      break_before[at] = TRUE;
      origin = MARGIN_TOP - pango_units_to_double (y0[at]);
      first = i = at;
    }

  origin = cursor->y;
  iter = pango_layout_get_iter (layout);
  for (int i = 0; i < n_lines; i++, pango_layout_iter_next_line (iter))
    {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
      PangoRectangle logical;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      if (break_before[i])
        {
          new_page (ts, cursor);
          origin = cursor->y - pango_units_to_double (y0[i]);
        }
      if (cursor->cr != NULL)
        {
          cairo_move_to (cursor->cr,
                         MARGIN_LEFT + block->indent + pango_units_to_double (logical.x),
                         origin + pango_units_to_double (pango_layout_iter_get_baseline (iter)));
          pango_cairo_show_layout_line (cursor->cr, line);
        }
      cursor->y = origin + pango_units_to_double (y1[i]);
      cursor->page_empty = FALSE;
    }
  pango_layout_iter_free (iter);
  g_free (y0);
  g_free (y1);
  g_free (break_before);

  if (block->rule_after)
    {
      cursor->y += 4;
      if (cursor->cr != NULL)
        {
          cairo_set_line_width (cursor->cr, 0.5);
          cairo_move_to (cursor->cr, MARGIN_LEFT, cursor->y);
          cairo_line_to (cursor->cr, MARGIN_LEFT + TEXT_WIDTH, cursor->y);
          cairo_stroke (cursor->cr);
        }
      cursor->y += 4;
    }
}

/* Typesets @blocks onto @cr (NULL: only counts) and returns the number of pages. */
static guint
typeset (Typesetter *ts,
         GPtrArray  *blocks,
         cairo_t    *cr,
         guint       n_pages)
{
  g_autoptr(GPtrArray) layouts = g_ptr_array_new_with_free_func (g_object_unref);
  Cursor cursor = { cr, 1, n_pages, MARGIN_TOP, TRUE };

  for (guint i = 0; i < blocks->len; i++)
    g_ptr_array_add (layouts, block_layout (ts, g_ptr_array_index (blocks, i)));

  if (cr != NULL)
    cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint i = 0; i < blocks->len; i++)
    {
      const Block *block = g_ptr_array_index (blocks, i);
      double keep = 0;

      if (block->keep_with_next && i + 1 < blocks->len)
        {
          const Block *next = g_ptr_array_index (blocks, i + 1);
          PangoLayout *next_layout = g_ptr_array_index (layouts, i + 1);

          keep = next->space_before
                 + lines_height (next_layout, MIN (pango_layout_get_line_count (next_layout), 2));
        }
      place_block (ts, &cursor, block, g_ptr_array_index (layouts, i), keep);
    }
  show_footer (ts, &cursor);
  if (cr != NULL)
    cairo_show_page (cr);
  return cursor.page;
}

/* @family at @size points, after checking that fontconfig has it: another font would change
 * the layout of the sample documents from machine to machine. */
static PangoFontDescription *
load_font (PangoContext  *context,
           const char    *family,
           double         size,
           GError       **error)
{
  PangoFontDescription *font = pango_font_description_new ();
  const PangoWeight weights[] = { PANGO_WEIGHT_NORMAL, PANGO_WEIGHT_BOLD };

  pango_font_description_set_family (font, family);
  pango_font_description_set_absolute_size (font, pango_units_from_double (size));
  for (guint i = 0; i < G_N_ELEMENTS (weights); i++)
    {
      g_autoptr(PangoFontDescription) wanted = pango_font_description_copy (font);
      g_autoptr(PangoFont) loaded = NULL;
      g_autoptr(PangoFontDescription) got = NULL;

      pango_font_description_set_weight (wanted, weights[i]);
      loaded = pango_context_load_font (context, wanted);
      got = loaded != NULL ? pango_font_describe (loaded) : NULL;
      if (got == NULL || g_strcmp0 (pango_font_description_get_family (got), family) != 0
          || pango_font_description_get_weight (got) != weights[i])
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                       "the font “%s”%s is not installed (fonts-dejavu-core on Debian)", family,
                       weights[i] == PANGO_WEIGHT_BOLD ? " (bold)" : "");
          pango_font_description_free (font);
          return NULL;
        }
    }
  return font;
}

/* ---- main -------------------------------------------------------------------------------- */

static gboolean
write_pdf (Style        style,
           const char  *input,
           const char  *output,
           const char  *title,
           const char  *author,
           const char  *date,
           GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *tmp_path = g_strconcat (output, ".tmp", NULL);
  g_autofree char *timestamp = g_strdup_printf ("%sT12:00:00", date);
  g_autoptr(GPtrArray) paragraphs = NULL;
  g_autoptr(GPtrArray) blocks = NULL;
  PangoContext *context;
  cairo_font_options_t *options;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  Typesetter ts = { NULL, NULL, NULL, 0 };
  gsize length = 0;
  guint n_pages;

  if (!g_file_get_contents (input, &contents, &length, error))
    return FALSE;
  paragraphs = read_paragraphs (input, contents, length, error);
  if (paragraphs == NULL)
    return FALSE;

  context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  pango_cairo_context_set_resolution (context, 72);
  /* as the PDF surface renders: outlines, unhinted metrics */
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  pango_context_set_language (context, pango_language_from_string ("de-de"));

  ts.context = context;
  ts.font_size = style == STYLE_DECISION ? 11 : 10;
  ts.font = load_font (context, style == STYLE_DECISION ? "DejaVu Serif" : "DejaVu Sans",
                       ts.font_size, error);
  if (ts.font == NULL)
    {
      g_object_unref (context);
      return FALSE;
    }
  ts.small = pango_font_description_copy (ts.font);
  pango_font_description_set_absolute_size (ts.small, pango_units_from_double (8.5));

  blocks = style == STYLE_DECISION ? classify_decision (paragraphs, ts.font_size * 1.3)
                                   : classify_letter (paragraphs, ts.font_size * 1.3);
  n_pages = typeset (&ts, blocks, NULL, 0);

  surface = cairo_pdf_surface_create (tmp_path, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, author);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, timestamp);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_MOD_DATE, timestamp);
  cr = cairo_create (surface);
  typeset (&ts, blocks, cr, n_pages);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  pango_font_description_free (ts.font);
  pango_font_description_free (ts.small);
  g_object_unref (context);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot write %s: %s", tmp_path,
                   cairo_status_to_string (status));
      g_remove (tmp_path);
      return FALSE;
    }
  if (g_rename (tmp_path, output) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "cannot write %s: %s", output, g_strerror (saved_errno));
      g_remove (tmp_path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_valid_date (const char *date)
{
  guint year, month, day;
  char end;

  if (date == NULL || strlen (date) != 10
      || sscanf (date, "%4u-%2u-%2u%c", &year, &month, &day, &end) != 3)
    return FALSE;
  return g_date_valid_dmy (day, month, year);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) option_context = g_option_context_new ("INPUT.txt OUTPUT.pdf");
  g_autoptr(GError) error = NULL;
  g_autofree char *style_name = NULL;
  g_autofree char *title = NULL;
  g_autofree char *author = NULL;
  g_autofree char *date = NULL;
  Style style;
  GOptionEntry entries[] = {
    { "style", 0, 0, G_OPTION_ARG_STRING, &style_name, "letter (default) or decision", "STYLE" },
    /* FILENAME: taken as given, never converted from the locale's encoding (often ASCII
     * while building), and checked for UTF-8 below */
    { "title", 0, 0, G_OPTION_ARG_FILENAME, &title, "Document title (PDF metadata)", "TITLE" },
    { "author", 0, 0, G_OPTION_ARG_FILENAME, &author, "Author (PDF metadata)", "AUTHOR" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, "Creation date (PDF metadata)", "YYYY-MM-DD" },
    { NULL },
  };

  g_option_context_add_main_entries (option_context, entries, NULL);
  g_option_context_set_summary (option_context,
                                "Typeset a text source of the sample case as an A4 PDF.");
  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    {
      g_printerr ("sample-pdf: %s\n", error->message);
      return 2;
    }
  if (argc != 3 || title == NULL || author == NULL || !is_valid_date (date))
    {
      g_printerr ("usage: sample-pdf [--style letter|decision] --title TITLE --author AUTHOR "
                  "--date YYYY-MM-DD INPUT.txt OUTPUT.pdf\n");
      return 2;
    }
  if (!g_utf8_validate (title, -1, NULL) || !g_utf8_validate (author, -1, NULL))
    {
      g_printerr ("sample-pdf: the title and the author must be UTF-8 text\n");
      return 2;
    }
  if (style_name == NULL || g_str_equal (style_name, "letter"))
    style = STYLE_LETTER;
  else if (g_str_equal (style_name, "decision"))
    style = STYLE_DECISION;
  else
    {
      g_printerr ("sample-pdf: unknown style “%s” (letter or decision)\n", style_name);
      return 2;
    }

  if (!write_pdf (style, argv[1], argv[2], title, author, date, &error))
    {
      g_printerr ("sample-pdf: %s\n", error->message);
      return 1;
    }
  return 0;
}
