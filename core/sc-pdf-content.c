/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-pdf-content.c: lexer and writer for PDF content streams (see sc-pdf-content.h). */
#define G_LOG_DOMAIN "sichtung-pdf"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sc-error.h"
#include "sc-pdf-content.h"

#define MAX_DEPTH 64

/* ---- Objects ----------------------------------------------------------------------------- */

static ScPdfObj *
obj_new (ScPdfType type)
{
  ScPdfObj *obj = g_new0 (ScPdfObj, 1);

  obj->type = type;
  if (type == SC_PDF_NAME || type == SC_PDF_STRING)
    obj->bytes = g_byte_array_new ();
  else if (type == SC_PDF_ARRAY || type == SC_PDF_DICT)
    obj->items = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_pdf_obj_free);
  return obj;
}

ScPdfObj *
sc_pdf_obj_new_number (double value)
{
  ScPdfObj *obj = obj_new (value == floor (value) && fabs (value) < 1e9 ? SC_PDF_INT
                                                                         : SC_PDF_REAL);

  obj->number = value;
  return obj;
}

ScPdfObj *
sc_pdf_obj_new_name (const char *name)
{
  ScPdfObj *obj = obj_new (SC_PDF_NAME);

  g_byte_array_append (obj->bytes, (const guint8 *) name, strlen (name));
  return obj;
}

ScPdfObj *
sc_pdf_obj_new_string (const guint8 *data,
                       gsize         length)
{
  ScPdfObj *obj = obj_new (SC_PDF_STRING);

  g_byte_array_append (obj->bytes, data, length);
  return obj;
}

ScPdfObj *
sc_pdf_obj_new_array (void)
{
  return obj_new (SC_PDF_ARRAY);
}

void
sc_pdf_obj_free (ScPdfObj *obj)
{
  if (obj == NULL)
    return;
  if (obj->bytes != NULL)
    g_byte_array_unref (obj->bytes);
  if (obj->items != NULL)
    g_ptr_array_unref (obj->items);
  g_free (obj);
}

gboolean
sc_pdf_obj_is_number (const ScPdfObj *obj)
{
  return obj != NULL && (obj->type == SC_PDF_INT || obj->type == SC_PDF_REAL);
}

gboolean
sc_pdf_obj_name_is (const ScPdfObj *obj,
                    const char     *name)
{
  gsize length = strlen (name);

  return obj != NULL && obj->type == SC_PDF_NAME && obj->bytes->len == length &&
         memcmp (obj->bytes->data, name, length) == 0;
}

ScPdfObj *
sc_pdf_obj_dict_get (const ScPdfObj *dict,
                     const char     *key)
{
  if (dict == NULL || dict->type != SC_PDF_DICT)
    return NULL;
  for (guint i = 0; i + 1 < dict->items->len; i += 2)
    if (sc_pdf_obj_name_is (g_ptr_array_index (dict->items, i), key))
      return g_ptr_array_index (dict->items, i + 1);
  return NULL;
}

gboolean
sc_pdf_obj_dict_remove (ScPdfObj   *dict,
                        const char *key)
{
  if (dict == NULL || dict->type != SC_PDF_DICT)
    return FALSE;
  for (guint i = 0; i + 1 < dict->items->len; i += 2)
    if (sc_pdf_obj_name_is (g_ptr_array_index (dict->items, i), key))
      {
        g_ptr_array_remove_range (dict->items, i, 2);
        return TRUE;
      }
  return FALSE;
}

/* ---- Writing ----------------------------------------------------------------------------- */

static gboolean
is_whitespace (guint8 c)
{
  return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static gboolean
is_delimiter (guint8 c)
{
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
         c == '}' || c == '/' || c == '%';
}

static gboolean
is_regular (guint8 c)
{
  return !is_whitespace (c) && !is_delimiter (c);
}

void
sc_pdf_write_number (GString *out,
                     double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  gsize length;

  if (!isfinite (value))
    value = 0;
  /* Whole numbers in full, however large (every double of 2^53 or more is one): the buffer
   * below would cut their digits off. "%.0f" has no decimal point, so no locale matters. */
  if (value == floor (value))
    {
      g_string_append_printf (out, "%.0f", value == 0 ? 0.0 : value);
      return;
    }
  g_ascii_formatd (buffer, sizeof buffer, "%.5f", value);
  length = strlen (buffer);
  while (length > 0 && buffer[length - 1] == '0')
    buffer[--length] = '\0';
  if (length > 0 && buffer[length - 1] == '.')
    buffer[--length] = '\0';
  if (strcmp (buffer, "-0") == 0 || length == 0)
    g_string_append_c (out, '0');
  else
    g_string_append (out, buffer);
}

void
sc_pdf_obj_write (GString        *out,
                  const ScPdfObj *obj)
{
  switch (obj->type)
    {
    case SC_PDF_NULL:
      g_string_append (out, "null");
      break;
    case SC_PDF_BOOL:
      g_string_append (out, obj->number != 0 ? "true" : "false");
      break;
    case SC_PDF_INT:
    case SC_PDF_REAL:
      sc_pdf_write_number (out, obj->number);
      break;
    case SC_PDF_NAME:
      g_string_append_c (out, '/');
      for (guint i = 0; i < obj->bytes->len; i++)
        {
          guint8 c = obj->bytes->data[i];

          if (is_regular (c) && c > 32 && c < 127 && c != '#')
            g_string_append_c (out, (char) c);
          else
            g_string_append_printf (out, "#%02X", c);
        }
      break;
    case SC_PDF_STRING:
      g_string_append_c (out, '<');
      for (guint i = 0; i < obj->bytes->len; i++)
        g_string_append_printf (out, "%02X", obj->bytes->data[i]);
      g_string_append_c (out, '>');
      break;
    case SC_PDF_ARRAY:
      g_string_append_c (out, '[');
      for (guint i = 0; i < obj->items->len; i++)
        {
          if (i > 0)
            g_string_append_c (out, ' ');
          sc_pdf_obj_write (out, g_ptr_array_index (obj->items, i));
        }
      g_string_append_c (out, ']');
      break;
    case SC_PDF_DICT:
      g_string_append (out, "<<");
      for (guint i = 0; i < obj->items->len; i++)
        {
          if (i > 0)
            g_string_append_c (out, ' ');
          sc_pdf_obj_write (out, g_ptr_array_index (obj->items, i));
        }
      g_string_append (out, ">>");
      break;
    default:
      g_assert_not_reached ();
    }
}

void
sc_pdf_op_free (ScPdfOp *op)
{
  if (op == NULL)
    return;
  g_clear_pointer (&op->operands, g_ptr_array_unref);
  g_free (op);
}

void
sc_pdf_op_write (GString       *out,
                 const ScPdfOp *op)
{
  for (guint i = 0; i < op->operands->len; i++)
    {
      sc_pdf_obj_write (out, g_ptr_array_index (op->operands, i));
      g_string_append_c (out, ' ');
    }
  g_string_append (out, op->name);
  g_string_append_c (out, '\n');
}

/* ---- Lexing ------------------------------------------------------------------------------ */

typedef struct
{
  const guint8 *data;
  gsize         length;
  gsize         pos;
} Lexer;

typedef enum
{
  TOKEN_END,
  TOKEN_OBJECT,       /* a complete object, in *obj */
  TOKEN_KEYWORD,      /* an operator, in keyword */
  TOKEN_ARRAY_END,
  TOKEN_DICT_END,
  TOKEN_SKIP,         /* something readers ignore: a stray ')', '>', '{' or '}' */
  TOKEN_BAD_KEYWORD,  /* a keyword too long to be an operator: ignored with its operands */
} TokenKind;

static void
skip_space (Lexer *lx)
{
  while (lx->pos < lx->length)
    {
      guint8 c = lx->data[lx->pos];

      if (is_whitespace (c))
        lx->pos++;
      else if (c == '%')
        {
          while (lx->pos < lx->length && lx->data[lx->pos] != '\n' && lx->data[lx->pos] != '\r')
            lx->pos++;
        }
      else
        break;
    }
}

static int
hex_value (guint8 c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
lex_literal_string (Lexer      *lx,
                    GByteArray *out)
{
  int depth = 1;

  lx->pos++; /* ( */
  while (lx->pos < lx->length)
    {
      guint8 c = lx->data[lx->pos++];

      if (c == '(')
        depth++;
      else if (c == ')' && --depth == 0)
        return TRUE;
      else if (c == '\\')
        {
          if (lx->pos >= lx->length)
            return FALSE;
          c = lx->data[lx->pos++];
          switch (c)
            {
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case '\r':
              if (lx->pos < lx->length && lx->data[lx->pos] == '\n')
                lx->pos++;
              continue;
            case '\n':
              continue;
            default:
              if (c >= '0' && c <= '7')
                {
                  guint value = c - '0';

                  for (int k = 0; k < 2 && lx->pos < lx->length; k++)
                    {
                      guint8 d = lx->data[lx->pos];

                      if (d < '0' || d > '7')
                        break;
                      value = value * 8 + (d - '0');
                      lx->pos++;
                    }
                  c = (guint8) (value & 0xff);
                }
              break;
            }
        }
      else if (c == '\r')
        {
          /* An end of line inside a string reads as one line feed, whichever it was. */
          if (lx->pos < lx->length && lx->data[lx->pos] == '\n')
            lx->pos++;
          c = '\n';
        }
      g_byte_array_append (out, &c, 1);
    }
  return FALSE;
}

static gboolean
lex_hex_string (Lexer      *lx,
                GByteArray *out)
{
  int high = -1;

  lx->pos++; /* < */
  while (lx->pos < lx->length)
    {
      guint8 c = lx->data[lx->pos++];
      int value;

      if (c == '>')
        {
          if (high >= 0)
            {
              guint8 b = (guint8) (high << 4);
              g_byte_array_append (out, &b, 1);
            }
          return TRUE;
        }
      if (is_whitespace (c) || (value = hex_value (c)) < 0)
        continue;
      if (high < 0)
        high = value;
      else
        {
          guint8 b = (guint8) (high << 4 | value);

          g_byte_array_append (out, &b, 1);
          high = -1;
        }
    }
  return FALSE;
}

static void
lex_name (Lexer      *lx,
          GByteArray *out)
{
  lx->pos++; /* / */
  while (lx->pos < lx->length && is_regular (lx->data[lx->pos]))
    {
      guint8 c = lx->data[lx->pos++];

      if (c == '#' && lx->pos + 1 < lx->length && hex_value (lx->data[lx->pos]) >= 0 &&
          hex_value (lx->data[lx->pos + 1]) >= 0)
        {
          c = (guint8) (hex_value (lx->data[lx->pos]) << 4 | hex_value (lx->data[lx->pos + 1]));
          lx->pos += 2;
        }
      g_byte_array_append (out, &c, 1);
    }
}

/* A PDF number: signs, digits and at most one point, nothing else (no exponent, "inf" or hex,
 * which strtod would take). The value is the correctly rounded one, so that a number written
 * by sc_pdf_write_number() reads back as the same double however many digits it has. */
static gboolean
parse_number (const guint8 *s,
              gsize         length,
              double       *value,
              gboolean     *is_int)
{
  g_autofree char *long_text = NULL;
  char short_text[64];
  char *text = short_text;
  gboolean negative = FALSE, digits = FALSE, point = FALSE;
  gsize i = 0, start;

  /* Readers accept doubled signs ("--5") from sloppy writers; so do we. */
  while (i < length && (s[i] == '+' || s[i] == '-'))
    negative ^= s[i++] == '-';
  start = i;
  for (; i < length; i++)
    {
      if (s[i] >= '0' && s[i] <= '9')
        digits = TRUE;
      else if (s[i] == '.' && !point)
        point = TRUE;
      else
        return FALSE;
    }
  if (!digits && !point)
    return FALSE;
  *is_int = !point;
  if (!digits)
    {
      *value = 0;
      return TRUE;
    }
  /* Numbers are most of a content stream: the usual ones are copied on the stack. */
  if (length - start < sizeof short_text)
    {
      memcpy (short_text, s + start, length - start);
      short_text[length - start] = '\0';
    }
  else
    text = long_text = g_strndup ((const char *) s + start, length - start);
  *value = g_ascii_strtod (text, NULL);
  if (negative)
    *value = -*value;
  return TRUE;
}

static TokenKind lex_token (Lexer     *lx,
                            ScPdfObj **obj,
                            char      *keyword,
                            gsize      keyword_size,
                            int        depth,
                            GError   **error);

static gboolean
lex_container (Lexer     *lx,
               ScPdfObj  *container,
               TokenKind  end_kind,
               int        depth,
               GError   **error)
{
  char keyword[32];

  if (depth > MAX_DEPTH)
    {
      g_set_error_literal (error, SC_ERROR, SC_ERROR_CORRUPT,
                           _("The page content is nested too deeply."));
      return FALSE;
    }
  for (;;)
    {
      ScPdfObj *item = NULL;
      TokenKind kind = lex_token (lx, &item, keyword, sizeof keyword, depth + 1, error);

      if (kind == end_kind)
        return TRUE;
      switch (kind)
        {
        case TOKEN_OBJECT:
          g_ptr_array_add (container->items, item);
          break;
        case TOKEN_END:
          if (error != NULL && *error == NULL)
            g_set_error_literal (error, SC_ERROR, SC_ERROR_CORRUPT,
                                 _("The page content is damaged: a list does not end."));
          return FALSE;
        default:
          /* Keywords inside arrays (old writers put them there) and stray closers are skipped. */
          break;
        }
    }
}

static TokenKind
lex_token (Lexer     *lx,
           ScPdfObj **obj,
           char      *keyword,
           gsize      keyword_size,
           int        depth,
           GError   **error)
{
  guint8 c;

  skip_space (lx);
  if (lx->pos >= lx->length)
    return TOKEN_END;
  c = lx->data[lx->pos];
  switch (c)
    {
    case '(':
      *obj = obj_new (SC_PDF_STRING);
      if (!lex_literal_string (lx, (*obj)->bytes))
        {
          g_clear_pointer (obj, sc_pdf_obj_free);
          g_set_error_literal (error, SC_ERROR, SC_ERROR_CORRUPT,
                               _("The page content is damaged: a text does not end."));
          return TOKEN_END;
        }
      return TOKEN_OBJECT;
    case '<':
      if (lx->pos + 1 < lx->length && lx->data[lx->pos + 1] == '<')
        {
          lx->pos += 2;
          *obj = obj_new (SC_PDF_DICT);
          if (!lex_container (lx, *obj, TOKEN_DICT_END, depth, error))
            {
              g_clear_pointer (obj, sc_pdf_obj_free);
              return TOKEN_END;
            }
          return TOKEN_OBJECT;
        }
      *obj = obj_new (SC_PDF_STRING);
      if (!lex_hex_string (lx, (*obj)->bytes))
        {
          g_clear_pointer (obj, sc_pdf_obj_free);
          g_set_error_literal (error, SC_ERROR, SC_ERROR_CORRUPT,
                               _("The page content is damaged: a text does not end."));
          return TOKEN_END;
        }
      return TOKEN_OBJECT;
    case '>':
      lx->pos++;
      if (lx->pos < lx->length && lx->data[lx->pos] == '>')
        {
          lx->pos++;
          return TOKEN_DICT_END;
        }
      return TOKEN_SKIP;
    case '[':
      lx->pos++;
      *obj = obj_new (SC_PDF_ARRAY);
      if (!lex_container (lx, *obj, TOKEN_ARRAY_END, depth, error))
        {
          g_clear_pointer (obj, sc_pdf_obj_free);
          return TOKEN_END;
        }
      return TOKEN_OBJECT;
    case ']':
      lx->pos++;
      return TOKEN_ARRAY_END;
    case ')':
    case '{':
    case '}':
      lx->pos++;
      return TOKEN_SKIP;
    case '/':
      *obj = obj_new (SC_PDF_NAME);
      lex_name (lx, (*obj)->bytes);
      return TOKEN_OBJECT;
    default:
      {
        gsize start = lx->pos;
        gsize length;
        double value;
        gboolean is_int;

        while (lx->pos < lx->length && is_regular (lx->data[lx->pos]))
          lx->pos++;
        length = lx->pos - start;
        if (parse_number (lx->data + start, length, &value, &is_int))
          {
            *obj = obj_new (is_int ? SC_PDF_INT : SC_PDF_REAL);
            (*obj)->number = value;
            return TOKEN_OBJECT;
          }
        if (length == 4 && memcmp (lx->data + start, "true", 4) == 0)
          {
            *obj = obj_new (SC_PDF_BOOL);
            (*obj)->number = 1;
            return TOKEN_OBJECT;
          }
        if (length == 5 && memcmp (lx->data + start, "false", 5) == 0)
          {
            *obj = obj_new (SC_PDF_BOOL);
            return TOKEN_OBJECT;
          }
        if (length == 4 && memcmp (lx->data + start, "null", 4) == 0)
          {
            *obj = obj_new (SC_PDF_NULL);
            return TOKEN_OBJECT;
          }
        /* No operator is that long; cut short, "1222…2x" could even read back as a number. */
        if (length >= keyword_size)
          return TOKEN_BAD_KEYWORD;
        memcpy (keyword, lx->data + start, length);
        keyword[length] = '\0';
        return TOKEN_KEYWORD;
      }
    }
}

/* Finds the end of an inline image's data: "EI" after white space, followed by white space or
 * the end. Binary data can hold "EI" by chance; what follows must then still look like content
 * (an operator or operand, not binary bytes), as poppler and qpdf check too. */
static gboolean
find_inline_image_end (Lexer *lx,
                       gsize *end)
{
  for (gsize i = lx->pos; i + 1 < lx->length; i++)
    {
      gboolean after_ok;

      if (lx->data[i] != 'E' || lx->data[i + 1] != 'I')
        continue;
      if (i > lx->pos && !is_whitespace (lx->data[i - 1]))
        continue;
      after_ok = i + 2 >= lx->length || is_whitespace (lx->data[i + 2]);
      if (!after_ok)
        continue;
      /* The next few bytes must be printable. */
      {
        gsize j = i + 2, checked = 0;
        gboolean printable = TRUE;

        while (j < lx->length && checked < 16)
          {
            guint8 c = lx->data[j++];

            if (c < 32 && !is_whitespace (c))
              {
                printable = FALSE;
                break;
              }
            if (c > 126)
              {
                printable = FALSE;
                break;
              }
            checked++;
          }
        if (!printable)
          continue;
      }
      *end = i + 2;
      return TRUE;
    }
  return FALSE;
}

GPtrArray *
sc_pdf_content_parse (const guint8 *data,
                      gsize         length,
                      GError      **error)
{
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_pdf_op_free);
  g_autoptr(GPtrArray) operands = NULL;
  Lexer lx = { data, length, 0 };
  gsize op_start = 0;
  char keyword[32];

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  for (;;)
    {
      ScPdfObj *obj = NULL;
      g_autoptr(GError) local_error = NULL;
      TokenKind kind;

      skip_space (&lx);
      if (operands == NULL)
        {
          operands = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_pdf_obj_free);
          op_start = lx.pos;
        }
      kind = lex_token (&lx, &obj, keyword, sizeof keyword, 0, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (kind == TOKEN_END)
        break;
      if (kind == TOKEN_OBJECT)
        {
          g_ptr_array_add (operands, obj);
          continue;
        }
      /* Readers drop an unknown operator's operands as well. */
      if (kind == TOKEN_BAD_KEYWORD)
        {
          g_clear_pointer (&operands, g_ptr_array_unref);
          continue;
        }
      if (kind != TOKEN_KEYWORD)
        continue;

      {
        ScPdfOp *op = g_new0 (ScPdfOp, 1);

        g_strlcpy (op->name, keyword, sizeof op->name);
        op->start = op_start;
        if (strcmp (keyword, "BI") == 0)
          {
            ScPdfObj *dict = obj_new (SC_PDF_DICT);
            gsize end;

            /* Key-value pairs up to ID, then one white-space byte and the data. */
            for (;;)
              {
                ScPdfObj *item = NULL;

                kind = lex_token (&lx, &item, keyword, sizeof keyword, 1, &local_error);
                if (kind == TOKEN_OBJECT)
                  g_ptr_array_add (dict->items, item);
                else if (kind == TOKEN_KEYWORD && strcmp (keyword, "ID") == 0)
                  break;
                else if (kind == TOKEN_END)
                  break;
              }
            if (local_error != NULL || kind != TOKEN_KEYWORD ||
                (lx.pos++, !find_inline_image_end (&lx, &end)))
              {
                sc_pdf_obj_free (dict);
                sc_pdf_op_free (op);
                if (local_error != NULL)
                  g_propagate_error (error, g_steal_pointer (&local_error));
                else
                  g_set_error_literal (error, SC_ERROR, SC_ERROR_CORRUPT,
                                       _("The page content is damaged: an image does not "
                                         "end."));
                return NULL;
              }
            lx.pos = end;
            g_ptr_array_set_size (operands, 0);
            g_ptr_array_add (operands, dict);
          }
        op->operands = g_steal_pointer (&operands);
        op->end = lx.pos;
        g_ptr_array_add (ops, op);
      }
    }
  return g_steal_pointer (&ops);
}
