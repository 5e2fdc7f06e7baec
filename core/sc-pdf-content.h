/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-pdf-content.h: PDF content streams as operators and operands (internal to core/).
 *
 * The redaction engine reads a page's drawing instructions, changes a few and writes the rest
 * back byte for byte. This is the lexer and writer for that: objects as in ISO 32000-1 §7.3
 * (no indirect references: content streams cannot hold them), operators with their operands and
 * the span of source bytes they came from, inline images kept whole. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SC_PDF_NULL,
  SC_PDF_BOOL,
  SC_PDF_INT,
  SC_PDF_REAL,
  SC_PDF_NAME,
  SC_PDF_STRING,
  SC_PDF_ARRAY,
  SC_PDF_DICT,
} ScPdfType;

typedef struct _ScPdfObj ScPdfObj;

struct _ScPdfObj
{
  ScPdfType   type;
  double      number;  /* SC_PDF_BOOL (0 or 1), SC_PDF_INT, SC_PDF_REAL */
  GByteArray *bytes;   /* SC_PDF_NAME (without the slash, escapes resolved), SC_PDF_STRING */
  GPtrArray  *items;   /* ScPdfObj *: SC_PDF_ARRAY elements; SC_PDF_DICT key, value, key … */
};

typedef struct
{
  char       name[32];  /* "Tj", "cm", "BI" (an inline image: operands[0] is its dictionary) */
  GPtrArray *operands;  /* ScPdfObj * */
  gsize      start;     /* source bytes of the operands and the operator (through "EI") */
  gsize      end;
} ScPdfOp;

ScPdfObj   *sc_pdf_obj_new_number    (double          value);
ScPdfObj   *sc_pdf_obj_new_name      (const char     *name);
ScPdfObj   *sc_pdf_obj_new_string    (const guint8   *data,
                                      gsize           length);
ScPdfObj   *sc_pdf_obj_new_array     (void);
void        sc_pdf_obj_free          (ScPdfObj       *obj);
gboolean    sc_pdf_obj_is_number     (const ScPdfObj *obj);
/* The value of @key in the dictionary @dict, or NULL. */
ScPdfObj   *sc_pdf_obj_dict_get      (const ScPdfObj *dict,
                                      const char     *key);
/* Removes @key from @dict; TRUE when it was there. */
gboolean    sc_pdf_obj_dict_remove   (ScPdfObj       *dict,
                                      const char     *key);
gboolean    sc_pdf_obj_name_is       (const ScPdfObj *obj,
                                      const char     *name);
/* Appends @obj in PDF syntax (strings as hex, names escaped). */
void        sc_pdf_obj_write         (GString        *out,
                                      const ScPdfObj *obj);
/* Appends a number the way PDF wants it: no exponent, at most 5 decimals. */
void        sc_pdf_write_number      (GString        *out,
                                      double          value);

void        sc_pdf_op_free           (ScPdfOp        *op);
/* Appends the operands and the operator, each followed by a space or newline. */
void        sc_pdf_op_write          (GString        *out,
                                      const ScPdfOp  *op);

/* Splits @data into operators (ScPdfOp *). Unbalanced or damaged syntax that PDF readers skip
 * is skipped too (a stray ')' or '>', operands without an operator at the end); only what would
 * make the rest unreadable fails: an unterminated string, array, dictionary or inline image,
 * nesting deeper than 64. Errors: SC_ERROR_CORRUPT. */
GPtrArray  *sc_pdf_content_parse     (const guint8   *data,
                                      gsize           length,
                                      GError        **error);

G_END_DECLS
