/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-json.c: a small streaming JSON writer (see sc-json.h). */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sc-json.h"

struct _ScJsonWriter
{
  GString  *out;
  GArray   *counts;     /* gint: number of values written at each open nesting level */
  gboolean  pretty;
  gboolean  after_key;  /* a key was written; the next value belongs to it */
};

ScJsonWriter *
sc_json_writer_new (gboolean pretty)
{
  ScJsonWriter *writer = g_new0 (ScJsonWriter, 1);

  writer->out = g_string_new (NULL);
  writer->counts = g_array_new (FALSE, TRUE, sizeof (int));
  writer->pretty = pretty;
  return writer;
}

void
sc_json_writer_free (ScJsonWriter *writer)
{
  if (writer == NULL)
    return;
  g_string_free (writer->out, TRUE);
  g_array_unref (writer->counts);
  g_free (writer);
}

char *
sc_json_writer_free_to_string (ScJsonWriter *writer)
{
  char *result;

  g_return_val_if_fail (writer != NULL, NULL);

  if (writer->pretty)
    g_string_append_c (writer->out, '\n');
  result = g_string_free (writer->out, FALSE);
  writer->out = NULL;
  g_array_unref (writer->counts);
  g_free (writer);
  return result;
}

static void
newline_indent (ScJsonWriter *writer)
{
  if (!writer->pretty)
    return;
  g_string_append_c (writer->out, '\n');
  for (guint i = 0; i < writer->counts->len; i++)
    g_string_append (writer->out, "  ");
}

/* Writes the separator that has to come before a value or key at the current level. */
static void
before_value (ScJsonWriter *writer)
{
  int *count;

  if (writer->after_key)
    {
      writer->after_key = FALSE;
      return;
    }
  if (writer->counts->len == 0)
    return;
  count = &g_array_index (writer->counts, int, writer->counts->len - 1);
  if (*count > 0)
    g_string_append_c (writer->out, ',');
  (*count)++;
  newline_indent (writer);
}

static void
open_level (ScJsonWriter *writer,
            char          c)
{
  int zero = 0;

  before_value (writer);
  g_string_append_c (writer->out, c);
  g_array_append_val (writer->counts, zero);
}

static void
close_level (ScJsonWriter *writer,
             char          c)
{
  int count;

  g_return_if_fail (writer->counts->len > 0);
  count = g_array_index (writer->counts, int, writer->counts->len - 1);
  g_array_set_size (writer->counts, writer->counts->len - 1);
  if (count > 0)
    newline_indent (writer);
  g_string_append_c (writer->out, c);
}

void
sc_json_writer_begin_object (ScJsonWriter *writer)
{
  g_return_if_fail (writer != NULL);
  open_level (writer, '{');
}

void
sc_json_writer_end_object (ScJsonWriter *writer)
{
  g_return_if_fail (writer != NULL);
  close_level (writer, '}');
}

void
sc_json_writer_begin_array (ScJsonWriter *writer)
{
  g_return_if_fail (writer != NULL);
  open_level (writer, '[');
}

void
sc_json_writer_end_array (ScJsonWriter *writer)
{
  g_return_if_fail (writer != NULL);
  close_level (writer, ']');
}

void
sc_json_escape_string (GString    *out,
                       const char *value)
{
  const char *p = value;
  const char *end;

  g_return_if_fail (out != NULL);

  if (value == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  end = value + strlen (value);
  g_string_append_c (out, '"');
  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append (out, "\\ufffd");
          p++;
          continue;
        }
      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
          break;
        }
      p = g_utf8_next_char (p);
    }
  g_string_append_c (out, '"');
}

void
sc_json_writer_key (ScJsonWriter *writer,
                    const char   *key)
{
  g_return_if_fail (writer != NULL);
  g_return_if_fail (key != NULL);

  before_value (writer);
  sc_json_escape_string (writer->out, key);
  g_string_append (writer->out, writer->pretty ? ": " : ":");
  writer->after_key = TRUE;
}

void
sc_json_writer_string (ScJsonWriter *writer,
                       const char   *value)
{
  g_return_if_fail (writer != NULL);
  before_value (writer);
  sc_json_escape_string (writer->out, value);
}

void
sc_json_writer_int (ScJsonWriter *writer,
                    gint64        value)
{
  g_return_if_fail (writer != NULL);
  before_value (writer);
  g_string_append_printf (writer->out, "%" G_GINT64_FORMAT, value);
}

void
sc_json_writer_double (ScJsonWriter *writer,
                       double        value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_if_fail (writer != NULL);
  before_value (writer);
  if (!isfinite (value))
    {
      g_string_append (writer->out, "null");
      return;
    }
  /* Ten significant digits are plenty for sizes and rates; g_ascii_ keeps the decimal point independent of the locale. */
  g_ascii_formatd (buf, sizeof buf, "%.10g", value);
  g_string_append (writer->out, buf);
}

void
sc_json_writer_bool (ScJsonWriter *writer,
                     gboolean      value)
{
  g_return_if_fail (writer != NULL);
  before_value (writer);
  g_string_append (writer->out, value ? "true" : "false");
}

void
sc_json_writer_null (ScJsonWriter *writer)
{
  g_return_if_fail (writer != NULL);
  before_value (writer);
  g_string_append (writer->out, "null");
}
