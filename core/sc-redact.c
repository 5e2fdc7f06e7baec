/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-redact.c: removes what lies under redaction areas from PDF pages and writes a new file
 * (see sc-redact.h; the checks of the result are in sc-redact-verify.c).
 *
 * Each page with areas is interpreted operator by operator, tracking the graphics and text state
 * (ISO 32000-1 §8.4, §9.3–9.4). Every glyph of every text-showing operator is placed with its
 * font's metrics; a glyph inside an area is dropped and replaced by the same displacement in a
 * TJ array, so the glyphs around it stay where they were and remain extractable. Form XObjects
 * that reach into an area are rewritten as per-use copies (so other pages keep the original);
 * images that reach into one get their pixels blacked out; vector paths wholly inside one are not
 * painted. The areas are then painted black on top. Everything that can carry text besides the
 * page content (metadata, annotations, form fields, attachments, scripts, bookmarks, the
 * structure tree) is removed from the whole document. */
#define G_LOG_DOMAIN "sichtung-redact"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sc-error.h"
#include "sc-pdf-std14.h"
#include "sc-redact-private.h"

#define MAX_FORM_DEPTH 12
#define LABEL_FONT_RESOURCE "ScRedactionLabel"

/* ---- The redactor ------------------------------------------------------------------------- */

typedef struct
{
  qpdf_data          qpdf;
  ScRedactionReport *report;
  GHashTable        *fonts;      /* char *key → ScRedactFont * */
  guint              n_names;    /* for fresh resource names */
} Redactor;

typedef struct
{
  ScMatrix      ctm;
  double        char_spacing, word_spacing, scale, leading, font_size, rise;
  ScRedactFont *font;  /* owned by Redactor.fonts; NULL until Tf */
} GState;

/* One content stream being rewritten: the page's, or a form XObject's. */
typedef struct
{
  Redactor    *r;
  const ScBox *boxes;        /* the page's areas in default user space */
  guint        n_boxes;
  qpdf_oh      resources;    /* as read; 0 when there are none */
  qpdf_oh      new_resources; /* a copy made on the first change to the resources; 0 before */
  int          depth;        /* of form XObjects */
  GHashTable  *replaced;     /* XObject names drawn somewhere as a redacted copy, or dropped */
  GHashTable  *kept;         /* XObject names still drawn as they are */
} Context;

static qpdf_oh
copy_dictionary (qpdf_data qpdf,
                 qpdf_oh   source,
                 qpdf_oh   target)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);

  /* Keys first: qpdf's key iterator is shared state that get_key calls would disturb. */
  if (source != 0 && qpdf_oh_is_dictionary (qpdf, source))
    {
      qpdf_oh_begin_dict_key_iter (qpdf, source);
      while (qpdf_oh_dict_more_keys (qpdf))
        g_ptr_array_add (keys, g_strdup (qpdf_oh_dict_next_key (qpdf)));
    }
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);

      qpdf_oh_replace_key (qpdf, target, key, qpdf_oh_get_key (qpdf, source, key));
    }
  g_ptr_array_unref (keys);
  return target;
}

/* The context's resources, copied so they can change without touching shared objects. */
static qpdf_oh
context_writable_subdict (Context    *ctx,
                          const char *category)
{
  qpdf_data qpdf = ctx->r->qpdf;
  qpdf_oh sub, copy;

  if (ctx->new_resources == 0)
    ctx->new_resources = copy_dictionary (qpdf, ctx->resources, qpdf_oh_new_dictionary (qpdf));
  sub = qpdf_oh_get_key (qpdf, ctx->new_resources, category);
  if (qpdf_oh_is_dictionary (qpdf, sub) && !qpdf_oh_is_indirect (qpdf, sub))
    return sub;
  copy = copy_dictionary (qpdf, sub, qpdf_oh_new_dictionary (qpdf));
  qpdf_oh_replace_key (qpdf, ctx->new_resources, category, copy);
  return copy;
}

/* Registers @object under a fresh name in the context's /XObject resources; returns the name
 * without its slash. */
static char *
context_add_xobject (Context *ctx,
                     qpdf_oh  object)
{
  qpdf_oh xobjects = context_writable_subdict (ctx, "/XObject");
  char *name = g_strdup_printf ("ScRedacted%u", ++ctx->r->n_names);
  g_autofree char *key = g_strconcat ("/", name, NULL);

  qpdf_oh_replace_key (ctx->r->qpdf, xobjects, key, object);
  return name;
}

static qpdf_oh
context_lookup (Context    *ctx,
                const char *category,
                const char *name)
{
  qpdf_data qpdf = ctx->r->qpdf;
  g_autofree char *key = g_strconcat ("/", name, NULL);
  qpdf_oh sub;

  if (ctx->resources == 0 || !qpdf_oh_is_dictionary (qpdf, ctx->resources))
    return 0;
  sub = qpdf_oh_get_key (qpdf, ctx->resources, category);
  if (!qpdf_oh_is_dictionary (qpdf, sub) || !qpdf_oh_has_key (qpdf, sub, key))
    return 0;
  return qpdf_oh_get_key (qpdf, sub, key);
}

static ScRedactFont *
context_font (Context    *ctx,
              const char *name)
{
  qpdf_data qpdf = ctx->r->qpdf;
  qpdf_oh dict = context_lookup (ctx, "/Font", name);
  g_autofree char *key = NULL;
  ScRedactFont *font;

  if (dict != 0 && qpdf_oh_is_indirect (qpdf, dict))
    key = g_strdup_printf ("%d %d", qpdf_oh_get_object_id (qpdf, dict),
                           qpdf_oh_get_generation (qpdf, dict));
  else if (dict != 0)
    key = g_strdup (qpdf_oh_unparse (qpdf, dict));
  else
    key = g_strdup ("");
  font = g_hash_table_lookup (ctx->r->fonts, key);
  if (font == NULL)
    {
      font = sc_redact_font_load (qpdf, dict);
      g_hash_table_insert (ctx->r->fonts, g_steal_pointer (&key), font);
    }
  return font;
}

/* TRUE when the glyph (or shape) with user-space box @box belongs to an area: its centre lies
 * in one, or most of it does. */
static gboolean
context_hits (Context     *ctx,
              const ScBox *box)
{
  double cx = (box->x0 + box->x1) / 2, cy = (box->y0 + box->y1) / 2;
  double area = sc_box_area (box);

  for (guint i = 0; i < ctx->n_boxes; i++)
    {
      if (sc_box_contains_point (&ctx->boxes[i], cx, cy))
        return TRUE;
      if (area > 0 && sc_box_intersection (&ctx->boxes[i], box) >= 0.4 * area)
        return TRUE;
    }
  return FALSE;
}

static gboolean
context_touches (Context     *ctx,
                 const ScBox *box)
{
  for (guint i = 0; i < ctx->n_boxes; i++)
    if (box->x0 <= ctx->boxes[i].x1 && box->x1 >= ctx->boxes[i].x0 &&
        box->y0 <= ctx->boxes[i].y1 && box->y1 >= ctx->boxes[i].y0)
      return TRUE;
  return FALSE;
}

/* ---- Text --------------------------------------------------------------------------------- */

typedef struct
{
  ScMatrix tm;   /* text matrix */
  ScMatrix tlm;  /* text line matrix */
} TextState;

/* Flushes kept glyphs and the displacement of dropped ones into the TJ array @out. */
static void
tj_flush (ScPdfObj   *out,
          GByteArray *kept,
          double     *pending)
{
  if (*pending != 0)
    {
      g_ptr_array_add (out->items, sc_pdf_obj_new_number (*pending));
      *pending = 0;
    }
  if (kept->len > 0)
    {
      g_ptr_array_add (out->items, sc_pdf_obj_new_string (kept->data, kept->len));
      g_byte_array_set_size (kept, 0);
    }
}

/* Shows the strings and numbers of @items (a TJ array's elements, or one string) the way the
 * reader would, advancing @ts. Returns a rewritten TJ array when a glyph fell into an area,
 * otherwise NULL. */
static ScPdfObj *
show_text (Context   *ctx,
           GState    *gs,
           TextState *ts,
           GPtrArray *items)
{
  ScRedactFont *font = gs->font;
  g_autoptr(GByteArray) kept = g_byte_array_new ();
  ScPdfObj *out = sc_pdf_obj_new_array ();
  double descent = -0.2, ascent = 0.8;
  double per_unit = gs->font_size * gs->scale; /* TJ numbers are thousandths of this */
  double pending = 0;
  gboolean changed = FALSE, vertical = FALSE;

  if (font == NULL)
    font = context_font (ctx, "");
  sc_redact_font_get_extent (font, &descent, &ascent);
  vertical = sc_redact_font_is_vertical (font);

  for (guint i = 0; i < items->len; i++)
    {
      ScPdfObj *item = g_ptr_array_index (items, i);

      if (sc_pdf_obj_is_number (item))
        {
          double t = -item->number / 1000 * gs->font_size;

          if (vertical)
            {
              ts->tm.m[4] += t * ts->tm.m[2];
              ts->tm.m[5] += t * ts->tm.m[3];
            }
          else
            {
              ts->tm.m[4] += t * gs->scale * ts->tm.m[0];
              ts->tm.m[5] += t * gs->scale * ts->tm.m[1];
            }
          /* Merged with the displacement of dropped glyphs before it, if any. */
          if (kept->len > 0)
            tj_flush (out, kept, &(double) { 0 });
          pending += item->number;
          continue;
        }
      if (item->type != SC_PDF_STRING)
        continue;

      for (gsize pos = 0; pos < item->bytes->len;)
        {
          guint code;
          gsize n = sc_redact_font_next_code (font, item->bytes->data, item->bytes->len, pos,
                                              &code);
          double w0 = sc_redact_font_get_advance (font, code);
          gboolean space = n == 1 && code == 32;
          ScMatrix trm, size_matrix;
          ScBox glyph, box;
          double tx, ty = 0;

          size_matrix = (ScMatrix) { { gs->font_size * gs->scale, 0, 0, gs->font_size, 0,
                                       gs->rise } };
          sc_matrix_multiply (&trm, &size_matrix, &ts->tm);
          sc_matrix_multiply (&trm, &trm, &gs->ctm);
          if (vertical)
            glyph = (ScBox) { -0.5, -1.0, 0.5, 0.0 };
          else
            glyph = (ScBox) { 0, descent, MAX (w0, 0.05), ascent };
          sc_box_transform (&glyph, &trm, &box);

          if (vertical)
            ty = -gs->font_size + gs->char_spacing + (space ? gs->word_spacing : 0);
          tx = vertical ? 0 : (w0 * gs->font_size + gs->char_spacing +
                               (space ? gs->word_spacing : 0)) * gs->scale;

          if (context_hits (ctx, &box))
            {
              changed = TRUE;
              ctx->r->report->n_glyphs_removed++;
              if (kept->len > 0)
                tj_flush (out, kept, &(double) { 0 });
              if (per_unit != 0)
                pending -= (vertical ? ty / gs->font_size : tx / per_unit) * 1000;
            }
          else
            {
              if (pending != 0)
                tj_flush (out, kept, &pending);
              g_byte_array_append (kept, item->bytes->data + pos, n);
            }
          ts->tm.m[4] += tx * ts->tm.m[0] + ty * ts->tm.m[2];
          ts->tm.m[5] += tx * ts->tm.m[1] + ty * ts->tm.m[3];
          pos += n;
        }
    }
  tj_flush (out, kept, &pending);
  if (!changed)
    {
      sc_pdf_obj_free (out);
      return NULL;
    }
  return out;
}

/* ---- Images ------------------------------------------------------------------------------- */

/* Components per sample and the sample values that paint black, or 0 when the colour space is
 * not one Sichtung can edit. */
static guint
image_black (qpdf_data qpdf,
             qpdf_oh   space,
             guint8    black[4])
{
  const char *name = NULL;

  memset (black, 0, 4);
  if (qpdf_oh_is_array (qpdf, space) && qpdf_oh_get_array_n_items (qpdf, space) > 0)
    {
      qpdf_oh family = qpdf_oh_get_array_item (qpdf, space, 0);
      g_autofree char *family_name = NULL;

      if (!qpdf_oh_is_name (qpdf, family))
        return 0;
      family_name = g_strdup (qpdf_oh_get_name (qpdf, family));
      if (strcmp (family_name, "/ICCBased") == 0)
        {
          qpdf_oh stream = qpdf_oh_get_array_item (qpdf, space, 1);
          int n = (int) sc_qpdf_number (qpdf, qpdf_oh_get_key (qpdf, qpdf_oh_get_dict (qpdf, stream),
                                                               "/N"), 0);

          if (n == 4)
            black[3] = 255;
          return n == 1 || n == 3 || n == 4 ? (guint) n : 0;
        }
      if (strcmp (family_name, "/CalRGB") == 0)
        return 3;
      if (strcmp (family_name, "/CalGray") == 0)
        return 1;
      if (strcmp (family_name, "/Indexed") == 0 || strcmp (family_name, "/I") == 0)
        {
          qpdf_oh lookup = qpdf_oh_get_array_item (qpdf, space, 3);
          guint8 base_black[4];
          guint base_n = image_black (qpdf, qpdf_oh_get_array_item (qpdf, space, 1), base_black);
          int hival = (int) sc_qpdf_number (qpdf, qpdf_oh_get_array_item (qpdf, space, 2), -1);
          g_autoptr(GBytes) table = NULL;
          const guint8 *entries;
          gsize length;
          double best = G_MAXDOUBLE;

          if (base_n == 0 || hival < 0 || hival > 255)
            return 0;
          if (qpdf_oh_is_stream (qpdf, lookup))
            table = sc_qpdf_stream_data (qpdf, lookup, FALSE);
          else if (qpdf_oh_is_string (qpdf, lookup))
            {
              size_t n = 0;
              const char *data = qpdf_oh_get_binary_string_value (qpdf, lookup, &n);

              table = g_bytes_new (data, n);
            }
          if (table == NULL)
            return 0;
          entries = g_bytes_get_data (table, &length);
          /* The palette entry nearest to the base space's black. */
          for (int index = 0; index <= hival && (gsize) (index + 1) * base_n <= length; index++)
            {
              double distance = 0;

              for (guint c = 0; c < base_n; c++)
                distance += fabs ((double) entries[index * base_n + c] - base_black[c]);
              if (distance < best)
                {
                  best = distance;
                  black[0] = (guint8) index;
                }
            }
          return best < G_MAXDOUBLE ? 1 : 0;
        }
      return 0;
    }
  if (qpdf_oh_is_name (qpdf, space))
    name = qpdf_oh_get_name (qpdf, space);
  if (g_strcmp0 (name, "/DeviceGray") == 0 || g_strcmp0 (name, "/G") == 0)
    return 1;
  if (g_strcmp0 (name, "/DeviceRGB") == 0 || g_strcmp0 (name, "/RGB") == 0)
    return 3;
  if (g_strcmp0 (name, "/DeviceCMYK") == 0 || g_strcmp0 (name, "/CMYK") == 0)
    {
      black[3] = 255;
      return 4;
    }
  return 0;
}

/* Returns a copy of the image XObject @image with every pixel under an area black, or 0 when
 * the image cannot be decoded or edited (JBIG2, JPEG 2000, 16-bit samples …). */
static qpdf_oh
redact_image (Context        *ctx,
              qpdf_oh         image,
              const ScMatrix *ctm)
{
  qpdf_data qpdf = ctx->r->qpdf;
  qpdf_oh dict = qpdf_oh_get_dict (qpdf, image);
  int width = (int) sc_qpdf_number (qpdf, qpdf_oh_get_key (qpdf, dict, "/Width"), 0);
  int height = (int) sc_qpdf_number (qpdf, qpdf_oh_get_key (qpdf, dict, "/Height"), 0);
  QPDF_BOOL mask = QPDF_FALSE;
  int bpc = (int) sc_qpdf_number (qpdf, qpdf_oh_get_key (qpdf, dict, "/BitsPerComponent"), 8);
  qpdf_oh decode = qpdf_oh_get_key (qpdf, dict, "/Decode");
  gboolean inverted = qpdf_oh_is_array (qpdf, decode) &&
                      qpdf_oh_get_array_n_items (qpdf, decode) >= 2 &&
                      sc_qpdf_number (qpdf, qpdf_oh_get_array_item (qpdf, decode, 0), 0) >
                      sc_qpdf_number (qpdf, qpdf_oh_get_array_item (qpdf, decode, 1), 0);
  guint8 black[4];
  guint n;
  gsize stride;
  g_autoptr(GBytes) data = NULL;
  g_autofree guint8 *pixels = NULL;
  gsize length;
  ScMatrix inverse;
  qpdf_oh copy, copy_dict;

  /* Not decoded past this size (gigabytes from a few kilobytes): such an image is dropped
   * where it meets an area, like one that cannot be decoded. */
  if (width <= 0 || height <= 0 || (guint64) width * (guint64) height > ((guint64) 1 << 27))
    return 0;

  qpdf_oh_get_value_as_bool (qpdf, qpdf_oh_get_key (qpdf, dict, "/ImageMask"), &mask);
  if (mask)
    {
      bpc = 1;
      n = 1;
    }
  else
    n = image_black (qpdf, qpdf_oh_get_key (qpdf, dict, "/ColorSpace"), black);
  if (n == 0 || width <= 0 || height <= 0 || width > 1 << 16 || height > 1 << 16 ||
      (bpc != 8 && !(bpc == 1 && n == 1)) || !sc_matrix_invert (ctm, &inverse))
    return 0;
  stride = ((gsize) width * n * bpc + 7) / 8;
  data = sc_qpdf_stream_data (qpdf, image, TRUE);
  if (data == NULL || g_bytes_get_size (data) < stride * height)
    return 0;
  pixels = g_memdup2 (g_bytes_get_data (data, &length), g_bytes_get_size (data));

  for (guint b = 0; b < ctx->n_boxes; b++)
    {
      ScBox unit, image_box = { 0, 0, 1, 1 }, hit;
      int px0, px1, py0, py1;

      sc_box_transform (&ctx->boxes[b], &inverse, &unit);
      hit = (ScBox) { MAX (unit.x0, image_box.x0), MAX (unit.y0, image_box.y0),
                      MIN (unit.x1, image_box.x1), MIN (unit.y1, image_box.y1) };
      if (hit.x1 <= hit.x0 || hit.y1 <= hit.y0)
        continue;
      /* Image row 0 is the top of the unit square (y = 1); one pixel more on every side. */
      px0 = MAX ((int) floor (hit.x0 * width) - 1, 0);
      px1 = MIN ((int) ceil (hit.x1 * width) + 1, width);
      py0 = MAX ((int) floor ((1 - hit.y1) * height) - 1, 0);
      py1 = MIN ((int) ceil ((1 - hit.y0) * height) + 1, height);
      for (int y = py0; y < py1; y++)
        {
          guint8 *row = pixels + (gsize) y * stride;

          for (int x = px0; x < px1; x++)
            {
              if (bpc == 1)
                {
                  /* A stencil mask paints where the sample is 0 (1 when inverted): paint
                   * nothing there; a 1-bit grey image is black at 0 (1 when inverted). */
                  gboolean one = mask ? !inverted : inverted;

                  if (one)
                    row[x / 8] |= (guint8) (0x80 >> (x % 8));
                  else
                    row[x / 8] &= (guint8) ~(0x80 >> (x % 8));
                }
              else
                for (guint c = 0; c < n; c++)
                  row[(gsize) x * n + c] = inverted ? (guint8) (255 - black[c]) : black[c];
            }
        }
    }

  copy = qpdf_oh_new_stream (qpdf);
  copy_dict = copy_dictionary (qpdf, dict, qpdf_oh_get_dict (qpdf, copy));
  qpdf_oh_remove_key (qpdf, copy_dict, "/Filter");
  qpdf_oh_remove_key (qpdf, copy_dict, "/DecodeParms");
  qpdf_oh_remove_key (qpdf, copy_dict, "/Length");
  qpdf_oh_remove_key (qpdf, copy_dict, "/Metadata");
  qpdf_oh_replace_stream_data (qpdf, copy, (const unsigned char *) pixels, stride * height,
                               qpdf_oh_new_null (qpdf), qpdf_oh_new_null (qpdf));
  return copy;
}

/* ---- Content streams ---------------------------------------------------------------------- */

static GString *rewrite_content (Context        *ctx,
                                 const guint8   *data,
                                 gsize           length,
                                 const ScMatrix *ctm,
                                 gboolean       *changed,
                                 GError        **error);

/* Rewrites the form XObject @form drawn with @ctm; returns the new stream, or 0 when nothing in
 * it changed. */
static qpdf_oh
redact_form (Context        *ctx,
             qpdf_oh         form,
             const ScMatrix *ctm,
             GError        **error)
{
  qpdf_data qpdf = ctx->r->qpdf;
  qpdf_oh dict = qpdf_oh_get_dict (qpdf, form);
  qpdf_oh matrix_oh = qpdf_oh_get_key (qpdf, dict, "/Matrix");
  qpdf_oh resources = qpdf_oh_get_key (qpdf, dict, "/Resources");
  ScMatrix matrix, form_ctm;
  Context inner = { ctx->r, ctx->boxes, ctx->n_boxes, 0, 0, ctx->depth + 1, NULL, NULL };
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GString) content = NULL;
  gboolean changed = FALSE;
  qpdf_oh copy, copy_dict;

  sc_matrix_identity (&matrix);
  if (qpdf_oh_is_array (qpdf, matrix_oh) && qpdf_oh_get_array_n_items (qpdf, matrix_oh) == 6)
    for (int i = 0; i < 6; i++)
      matrix.m[i] = sc_qpdf_number (qpdf, qpdf_oh_get_array_item (qpdf, matrix_oh, i),
                                    matrix.m[i]);
  sc_matrix_multiply (&form_ctm, &matrix, ctm);
  /* Old files leave a form's resources to the page (ISO 32000-1 §7.8.3). */
  inner.resources = qpdf_oh_is_dictionary (qpdf, resources) ? resources : ctx->resources;

  data = sc_qpdf_stream_data (qpdf, form, FALSE);
  if (data == NULL)
    {
      g_set_error_literal (error, SC_ERROR, SC_ERROR_CORRUPT,
                           _("A form object of the page cannot be decoded."));
      return 0;
    }
  content = rewrite_content (&inner, g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                             &form_ctm, &changed, error);
  if (content == NULL || !changed)
    return 0;

  copy = qpdf_oh_new_stream (qpdf);
  copy_dict = copy_dictionary (qpdf, dict, qpdf_oh_get_dict (qpdf, copy));
  qpdf_oh_remove_key (qpdf, copy_dict, "/Filter");
  qpdf_oh_remove_key (qpdf, copy_dict, "/DecodeParms");
  qpdf_oh_remove_key (qpdf, copy_dict, "/Length");
  qpdf_oh_remove_key (qpdf, copy_dict, "/Metadata");
  qpdf_oh_remove_key (qpdf, copy_dict, "/PieceInfo");
  if (inner.new_resources != 0)
    qpdf_oh_replace_key (qpdf, copy_dict, "/Resources", inner.new_resources);
  qpdf_oh_replace_stream_data (qpdf, copy, (const unsigned char *) content->str, content->len,
                               qpdf_oh_new_null (qpdf), qpdf_oh_new_null (qpdf));
  return copy;
}

static double
operand_number (const ScPdfOp *op,
                guint          index)
{
  ScPdfObj *obj;

  if (index >= op->operands->len)
    return 0;
  obj = g_ptr_array_index (op->operands, index);
  return sc_pdf_obj_is_number (obj) && isfinite (obj->number) ? obj->number : 0;
}

static const char *
operand_name (const ScPdfOp *op,
              guint          index,
              char          *buffer,
              gsize          size)
{
  ScPdfObj *obj;

  if (index >= op->operands->len)
    return NULL;
  obj = g_ptr_array_index (op->operands, index);
  if (obj->type != SC_PDF_NAME || obj->bytes->len >= size)
    return NULL;
  if (obj->bytes->len > 0)
    memcpy (buffer, obj->bytes->data, obj->bytes->len);
  buffer[obj->bytes->len] = '\0';
  return buffer;
}

static void
path_add_point (ScBox          *path,
                gboolean       *empty,
                const ScMatrix *ctm,
                double          x,
                double          y)
{
  double ux, uy;

  sc_matrix_apply (ctm, x, y, &ux, &uy);
  if (*empty)
    *path = (ScBox) { ux, uy, ux, uy };
  else
    *path = (ScBox) { MIN (path->x0, ux), MIN (path->y0, uy), MAX (path->x1, ux),
                      MAX (path->y1, uy) };
  *empty = FALSE;
}

static gboolean
box_inside_area (Context     *ctx,
                 const ScBox *box)
{
  for (guint i = 0; i < ctx->n_boxes; i++)
    if (box->x0 >= ctx->boxes[i].x0 - 0.5 && box->x1 <= ctx->boxes[i].x1 + 0.5 &&
        box->y0 >= ctx->boxes[i].y0 - 0.5 && box->y1 <= ctx->boxes[i].y1 + 0.5)
      return TRUE;
  return FALSE;
}

static void
write_text_op (GString    *out,
               ScPdfObj   *array)
{
  sc_pdf_obj_write (out, array);
  g_string_append (out, " TJ\n");
}

/* An open marked-content sequence: where its BDC went in the output. */
typedef struct
{
  gsize    offset;
  gsize    length;
  guint    glyphs_before;  /* n_glyphs_removed when it began */
  ScPdfOp *op;             /* BDC with a property dictionary; NULL otherwise */
} MarkedContent;

static GString *
rewrite_content (Context        *ctx,
                 const guint8   *data,
                 gsize           length,
                 const ScMatrix *ctm,
                 gboolean       *changed,
                 GError        **error)
{
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (GState));
  g_autoptr(GArray) marked = g_array_new (FALSE, FALSE, sizeof (MarkedContent));
  g_autoptr(GHashTable) replaced = NULL;
  g_autoptr(GHashTable) kept = NULL;
  GHashTableIter iter;
  gpointer key;
  GString *out;
  GState gs = { 0 };
  TextState ts;
  ScBox path = { 0 };
  gboolean path_empty = TRUE;
  char name[128];

  if (ctx->depth > MAX_FORM_DEPTH)
    {
      g_set_error_literal (error, SC_ERROR, SC_ERROR_CORRUPT,
                           _("Form objects are nested too deeply."));
      return NULL;
    }
  ops = sc_pdf_content_parse (data, length, error);
  if (ops == NULL)
    return NULL;
  replaced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ctx->replaced = replaced;
  ctx->kept = kept;

  gs.ctm = *ctm;
  gs.scale = 1;
  sc_matrix_identity (&ts.tm);
  sc_matrix_identity (&ts.tlm);
  out = g_string_sized_new (length + 256);

  for (guint i = 0; i < ops->len; i++)
    {
      ScPdfOp *op = g_ptr_array_index (ops, i);
      const char *o = op->name;
      gboolean keep = TRUE;

      if (strcmp (o, "q") == 0)
        g_array_append_val (stack, gs);
      else if (strcmp (o, "Q") == 0)
        {
          if (stack->len == 0)
            keep = FALSE; /* unbalanced: readers ignore it, and it would pop our own q */
          else
            {
              gs = g_array_index (stack, GState, stack->len - 1);
              g_array_set_size (stack, stack->len - 1);
            }
        }
      else if (strcmp (o, "cm") == 0 && op->operands->len >= 6)
        {
          ScMatrix m;

          for (int k = 0; k < 6; k++)
            m.m[k] = operand_number (op, k);
          sc_matrix_multiply (&gs.ctm, &m, &gs.ctm);
        }
      else if (strcmp (o, "BT") == 0)
        {
          sc_matrix_identity (&ts.tm);
          sc_matrix_identity (&ts.tlm);
        }
      else if (strcmp (o, "Tc") == 0)
        gs.char_spacing = operand_number (op, 0);
      else if (strcmp (o, "Tw") == 0)
        gs.word_spacing = operand_number (op, 0);
      else if (strcmp (o, "Tz") == 0)
        gs.scale = operand_number (op, 0) / 100;
      else if (strcmp (o, "TL") == 0)
        gs.leading = operand_number (op, 0);
      else if (strcmp (o, "Ts") == 0)
        gs.rise = operand_number (op, 0);
      else if (strcmp (o, "Tf") == 0)
        {
          const char *font = operand_name (op, 0, name, sizeof name);

          gs.font = context_font (ctx, font != NULL ? font : "");
          gs.font_size = operand_number (op, 1);
        }
      else if (strcmp (o, "Td") == 0 || strcmp (o, "TD") == 0 || strcmp (o, "T*") == 0)
        {
          double tx = 0, ty = -gs.leading;

          if (o[1] != '*')
            {
              tx = operand_number (op, 0);
              ty = operand_number (op, 1);
              if (o[1] == 'D')
                gs.leading = -ty;
            }
          ts.tlm.m[4] += tx * ts.tlm.m[0] + ty * ts.tlm.m[2];
          ts.tlm.m[5] += tx * ts.tlm.m[1] + ty * ts.tlm.m[3];
          ts.tm = ts.tlm;
        }
      else if (strcmp (o, "Tm") == 0 && op->operands->len >= 6)
        {
          for (int k = 0; k < 6; k++)
            ts.tlm.m[k] = operand_number (op, k);
          ts.tm = ts.tlm;
        }
      else if (strcmp (o, "Tj") == 0 || strcmp (o, "'") == 0 || strcmp (o, "\"") == 0 ||
               strcmp (o, "TJ") == 0)
        {
          g_autoptr(GPtrArray) items = g_ptr_array_new ();
          ScPdfObj *last = op->operands->len > 0 ? g_ptr_array_index (op->operands,
                                                                      op->operands->len - 1)
                                                 : NULL;
          ScPdfObj *rewritten;

          if (o[0] == '"')
            {
              gs.word_spacing = operand_number (op, 0);
              gs.char_spacing = operand_number (op, 1);
            }
          if (o[0] == '\'' || o[0] == '"')
            {
              ts.tlm.m[4] += -gs.leading * ts.tlm.m[2];
              ts.tlm.m[5] += -gs.leading * ts.tlm.m[3];
              ts.tm = ts.tlm;
            }
          if (last != NULL && last->type == SC_PDF_ARRAY && o[1] == 'J')
            for (guint k = 0; k < last->items->len; k++)
              g_ptr_array_add (items, g_ptr_array_index (last->items, k));
          else if (last != NULL && last->type == SC_PDF_STRING)
            g_ptr_array_add (items, last);
          rewritten = show_text (ctx, &gs, &ts, items);
          if (rewritten != NULL)
            {
              keep = FALSE;
              *changed = TRUE;
              if (o[0] == '"')
                {
                  sc_pdf_write_number (out, gs.word_spacing);
                  g_string_append (out, " Tw ");
                  sc_pdf_write_number (out, gs.char_spacing);
                  g_string_append (out, " Tc ");
                }
              if (o[0] == '\'' || o[0] == '"')
                g_string_append (out, "T* ");
              write_text_op (out, rewritten);
              sc_pdf_obj_free (rewritten);
            }
        }
      else if (strcmp (o, "m") == 0 || strcmp (o, "l") == 0)
        path_add_point (&path, &path_empty, &gs.ctm, operand_number (op, 0),
                        operand_number (op, 1));
      else if (strcmp (o, "c") == 0 || strcmp (o, "v") == 0 || strcmp (o, "y") == 0)
        for (guint k = 0; k + 1 < op->operands->len; k += 2)
          path_add_point (&path, &path_empty, &gs.ctm, operand_number (op, k),
                          operand_number (op, k + 1));
      else if (strcmp (o, "re") == 0)
        {
          double x = operand_number (op, 0), y = operand_number (op, 1);

          path_add_point (&path, &path_empty, &gs.ctm, x, y);
          path_add_point (&path, &path_empty, &gs.ctm, x + operand_number (op, 2),
                          y + operand_number (op, 3));
          path_add_point (&path, &path_empty, &gs.ctm, x, y + operand_number (op, 3));
          path_add_point (&path, &path_empty, &gs.ctm, x + operand_number (op, 2), y);
        }
      else if (strchr ("SsfFBb", o[0]) != NULL && (o[1] == '\0' || (o[1] == '*' && o[2] == 0)))
        {
          /* A shape wholly inside an area (text drawn as outlines, a signature) is not
           * painted; the path still ends here, so a pending clip still applies. */
          if (!path_empty && box_inside_area (ctx, &path))
            {
              keep = FALSE;
              *changed = TRUE;
              ctx->r->report->n_shapes_removed++;
              g_string_append (out, "n\n");
            }
          path_empty = TRUE;
        }
      else if (strcmp (o, "n") == 0)
        path_empty = TRUE;
      else if (strcmp (o, "BI") == 0)
        {
          ScBox unit = { 0, 0, 1, 1 }, placed;

          sc_box_transform (&unit, &gs.ctm, &placed);
          if (context_touches (ctx, &placed))
            {
              keep = FALSE;
              *changed = TRUE;
              ctx->r->report->n_images_removed++;
            }
        }
      else if (strcmp (o, "BDC") == 0 || strcmp (o, "BMC") == 0)
        {
          MarkedContent mc = { out->len, 0, ctx->r->report->n_glyphs_removed, NULL };

          keep = FALSE;
          g_string_append_len (out, (const char *) data + op->start, op->end - op->start);
          g_string_append_c (out, '\n');
          mc.length = out->len - mc.offset;
          if (o[1] == 'D' && op->operands->len == 2)
            mc.op = op;
          g_array_append_val (marked, mc);
        }
      else if (strcmp (o, "EMC") == 0 && marked->len > 0)
        {
          MarkedContent *mc = &g_array_index (marked, MarkedContent, marked->len - 1);

          /* Replacement and alternate texts repeat what the sequence shows: where a glyph of
           * it was removed, they must go too (elsewhere they keep ligatures extractable). */
          if (mc->op != NULL && ctx->r->report->n_glyphs_removed > mc->glyphs_before)
            {
              ScPdfObj *props = g_ptr_array_index (mc->op->operands, 1);
              gboolean stripped = FALSE;

              stripped |= sc_pdf_obj_dict_remove (props, "ActualText");
              stripped |= sc_pdf_obj_dict_remove (props, "Alt");
              stripped |= sc_pdf_obj_dict_remove (props, "E");
              if (stripped)
                {
                  g_autoptr(GString) replacement = g_string_new (NULL);

                  sc_pdf_op_write (replacement, mc->op);
                  g_string_erase (out, mc->offset, mc->length);
                  g_string_insert_len (out, mc->offset, replacement->str, replacement->len);
                  *changed = TRUE;
                }
            }
          g_array_set_size (marked, marked->len - 1);
        }
      else if (strcmp (o, "Do") == 0 && operand_name (op, 0, name, sizeof name) != NULL)
        {
          qpdf_data qpdf = ctx->r->qpdf;
          qpdf_oh xobject = context_lookup (ctx, "/XObject", name);
          qpdf_oh dict = xobject != 0 && qpdf_oh_is_stream (qpdf, xobject)
                         ? qpdf_oh_get_dict (qpdf, xobject) : 0;
          qpdf_oh subtype = dict != 0 ? qpdf_oh_get_key (qpdf, dict, "/Subtype") : 0;
          qpdf_oh replacement = 0;
          gboolean is_image = subtype != 0 && qpdf_oh_is_name_and_equals (qpdf, subtype, "/Image");
          gboolean is_form = subtype != 0 && qpdf_oh_is_name_and_equals (qpdf, subtype, "/Form");
          ScBox placed;

          if (is_image)
            {
              ScBox unit = { 0, 0, 1, 1 };

              sc_box_transform (&unit, &gs.ctm, &placed);
              if (context_touches (ctx, &placed))
                {
                  keep = FALSE;
                  *changed = TRUE;
                  replacement = redact_image (ctx, xobject, &gs.ctm);
                  if (replacement != 0)
                    ctx->r->report->n_images_changed++;
                  else
                    ctx->r->report->n_images_removed++;
                }
            }
          else if (is_form)
            {
              ScBox bbox = { -1e6, -1e6, 1e6, 1e6 };
              qpdf_oh matrix_oh = qpdf_oh_get_key (qpdf, dict, "/Matrix");
              ScMatrix matrix, full;

              sc_qpdf_box (qpdf, qpdf_oh_get_key (qpdf, dict, "/BBox"), &bbox);
              sc_matrix_identity (&matrix);
              if (qpdf_oh_is_array (qpdf, matrix_oh) &&
                  qpdf_oh_get_array_n_items (qpdf, matrix_oh) == 6)
                for (int k = 0; k < 6; k++)
                  matrix.m[k] = sc_qpdf_number (qpdf, qpdf_oh_get_array_item (qpdf, matrix_oh, k),
                                                matrix.m[k]);
              sc_matrix_multiply (&full, &matrix, &gs.ctm);
              sc_box_transform (&bbox, &full, &placed);
              if (context_touches (ctx, &placed))
                {
                  g_autoptr(GError) local_error = NULL;

                  replacement = redact_form (ctx, xobject, &gs.ctm, &local_error);
                  if (local_error != NULL)
                    {
                      g_propagate_error (error, g_steal_pointer (&local_error));
                      g_string_free (out, TRUE);
                      ctx->replaced = ctx->kept = NULL;
                      return NULL;
                    }
                  if (replacement != 0)
                    {
                      keep = FALSE;
                      *changed = TRUE;
                    }
                }
            }
          if (!keep)
            g_hash_table_add (ctx->replaced, g_strdup (name));
          else
            g_hash_table_add (ctx->kept, g_strdup (name));
          if (replacement != 0)
            {
              g_autofree char *new_name = context_add_xobject (ctx, replacement);
              ScPdfObj *operand = sc_pdf_obj_new_name (new_name);

              sc_pdf_obj_write (out, operand);
              sc_pdf_obj_free (operand);
              g_string_append (out, " Do\n");
            }
        }

      if (keep)
        {
          g_string_append_len (out, (const char *) data + op->start, op->end - op->start);
          g_string_append_c (out, '\n');
        }
    }
  /* Close what the stream left open, so what follows draws in a known state. */
  for (guint k = 0; k < stack->len; k++)
    g_string_append (out, "Q\n");

  /* An original that is no longer drawn must not stay in the resources: it would stay in the
   * file, and with it what was redacted. */
  g_hash_table_iter_init (&iter, replaced);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (kept, key))
      {
        qpdf_oh xobjects = context_writable_subdict (ctx, "/XObject");
        g_autofree char *resource = g_strconcat ("/", (const char *) key, NULL);

        qpdf_oh_remove_key (ctx->r->qpdf, xobjects, resource);
      }
  ctx->replaced = ctx->kept = NULL;
  return out;
}

/* ---- Boxes and labels --------------------------------------------------------------------- */

char *
sc_redact_label_to_latin1 (const char *label)
{
  return g_convert_with_fallback (label, -1, "WINDOWS-1252", "UTF-8", "?", NULL, NULL, NULL);
}

gboolean
sc_redact_label_layout (const ScRect *rect,
                        const char   *label_latin1,
                        double       *size,
                        double       *x,
                        double       *baseline,
                        double       *text_width)
{
  const ScPdfStd14Font *helvetica = sc_pdf_std14_find ("Helvetica");
  double width = 0;

  for (const guint8 *p = (const guint8 *) label_latin1; *p != '\0'; p++)
    {
      const char *glyph = sc_pdf_encoding_get_glyph ("WinAnsiEncoding", *p);
      int w = glyph != NULL ? sc_pdf_std14_get_width (helvetica, glyph) : -1;

      width += (w >= 0 ? w : 556) / 1000.0;
    }
  if (width <= 0)
    return FALSE;
  *size = MIN (MIN (rect->height * 0.7, 9.0), (rect->width - 2) / width);
  if (*size < 4)
    return FALSE;
  *x = rect->x + (rect->width - width * *size) / 2;
  *baseline = rect->y + rect->height / 2 + *size * 0.35;
  *text_width = width * *size;
  return TRUE;
}

static void
append_boxes (GString              *out,
              const ScPageGeometry *geometry,
              GArray               *redactions,
              guint                 page,
              gboolean              labels,
              gboolean             *used_font)
{
  const ScMatrix *m = &geometry->display_to_user;

  g_string_append (out, "q 0 0 0 rg 0 0 0 RG\n");
  for (guint i = 0; i < redactions->len; i++)
    {
      const ScRedaction *redaction = &g_array_index (redactions, ScRedaction, i);
      ScBox box;

      if (redaction->page != page)
        continue;
      sc_redact_rect_to_user (geometry, &redaction->rect, &box);
      sc_pdf_write_number (out, box.x0);
      g_string_append_c (out, ' ');
      sc_pdf_write_number (out, box.y0);
      g_string_append_c (out, ' ');
      sc_pdf_write_number (out, box.x1 - box.x0);
      g_string_append_c (out, ' ');
      sc_pdf_write_number (out, box.y1 - box.y0);
      g_string_append (out, " re f\n");
    }
  if (labels)
    for (guint i = 0; i < redactions->len; i++)
      {
        const ScRedaction *redaction = &g_array_index (redactions, ScRedaction, i);
        g_autofree char *latin1 = NULL;
        double size, x, baseline, text_width;
        ScMatrix text, tm;
        ScPdfObj *string;

        if (redaction->page != page || redaction->label == NULL || redaction->label[0] == '\0')
          continue;
        latin1 = sc_redact_label_to_latin1 (redaction->label);
        if (latin1 == NULL || !sc_redact_label_layout (&redaction->rect, latin1, &size, &x,
                                                       &baseline, &text_width))
          continue;
        /* Upright as the page is shown: glyph space y up is display y down. */
        text = (ScMatrix) { { size, 0, 0, -size, x, baseline } };
        sc_matrix_multiply (&tm, &text, m);
        g_string_append (out, "BT 1 1 1 rg /" LABEL_FONT_RESOURCE " 1 Tf ");
        for (int k = 0; k < 6; k++)
          {
            sc_pdf_write_number (out, tm.m[k]);
            g_string_append_c (out, ' ');
          }
        g_string_append (out, "Tm ");
        string = sc_pdf_obj_new_string ((const guint8 *) latin1, strlen (latin1));
        sc_pdf_obj_write (out, string);
        sc_pdf_obj_free (string);
        g_string_append (out, " Tj ET\n");
        *used_font = TRUE;
      }
  g_string_append (out, "Q\n");
}

/* ---- Documents ---------------------------------------------------------------------------- */

static const char *const catalog_keys[] = {
  "/Metadata", "/AcroForm", "/Names", "/OpenAction", "/AA", "/Outlines", "/StructTreeRoot",
  "/MarkInfo", "/PieceInfo", "/Threads", "/SpiderInfo", "/Perms", "/Legal", "/Collection",
  "/URI", "/Dests", "/AF",
};

static const char *const page_keys[] = {
  "/Annots", "/AA", "/Metadata", "/PieceInfo", "/Thumb", "/B", "/StructParents", "/AF",
};

static void
drain_warnings (qpdf_data qpdf)
{
  while (qpdf_more_warnings (qpdf))
    g_debug ("qpdf warning: %s", qpdf_get_error_full_text (qpdf, qpdf_next_warning (qpdf)));
}

static gboolean
redact_page (Redactor  *r,
             qpdf_oh    page,
             guint      index,
             GArray    *redactions,
             gboolean   labels,
             GError   **error)
{
  qpdf_data qpdf = r->qpdf;
  ScPageGeometry geometry;
  g_autoptr(GArray) boxes = g_array_new (FALSE, FALSE, sizeof (ScBox));
  Context ctx = { r, NULL, 0, 0, 0, 0, NULL, NULL };
  unsigned char *data = NULL;
  size_t length = 0;
  g_autoptr(GString) content = NULL;
  GString *rewritten;
  gboolean changed = FALSE, used_font = FALSE;
  ScMatrix identity;
  qpdf_oh stream;

  sc_redact_page_geometry (qpdf, page, &geometry);
  for (guint i = 0; i < redactions->len; i++)
    {
      const ScRedaction *redaction = &g_array_index (redactions, ScRedaction, i);
      ScBox box;

      if (redaction->page != index)
        continue;
      sc_redact_rect_to_user (&geometry, &redaction->rect, &box);
      g_array_append_val (boxes, box);
    }
  if (boxes->len == 0)
    return TRUE;
  r->report->n_pages++;
  ctx.boxes = (const ScBox *) boxes->data;
  ctx.n_boxes = boxes->len;
  ctx.resources = sc_redact_page_inherited (qpdf, page, "/Resources");

  if ((qpdf_oh_get_page_content_data (qpdf, page, &data, &length) & QPDF_ERRORS) != 0)
    {
      free (data);
      return sc_qpdf_check (qpdf, NULL, error);
    }
  sc_matrix_identity (&identity);
  rewritten = rewrite_content (&ctx, data, length, &identity, &changed, error);
  free (data);
  if (rewritten == NULL)
    {
      g_prefix_error (error, _("Page %u: "), index + 1);
      return FALSE;
    }
  content = g_string_new ("q\n");
  g_string_append_len (content, rewritten->str, rewritten->len);
  g_string_free (rewritten, TRUE);
  g_string_append (content, "Q\n");
  append_boxes (content, &geometry, redactions, index, labels, &used_font);
  if (used_font)
    {
      qpdf_oh fonts = context_writable_subdict (&ctx, "/Font");

      qpdf_oh_replace_key (qpdf, fonts, "/" LABEL_FONT_RESOURCE,
                           qpdf_oh_parse (qpdf, "<< /Type /Font /Subtype /Type1 "
                                                "/BaseFont /Helvetica "
                                                "/Encoding /WinAnsiEncoding >>"));
    }
  if (ctx.new_resources != 0)
    qpdf_oh_replace_key (qpdf, page, "/Resources", ctx.new_resources);
  else if (ctx.resources != 0)
    qpdf_oh_replace_key (qpdf, page, "/Resources", ctx.resources);

  stream = qpdf_oh_new_stream (qpdf);
  qpdf_oh_replace_stream_data (qpdf, stream, (const unsigned char *) content->str, content->len,
                               qpdf_oh_new_null (qpdf), qpdf_oh_new_null (qpdf));
  qpdf_oh_replace_key (qpdf, page, "/Contents", stream);
  return sc_qpdf_check (qpdf, NULL, error);
}

static void
strip_document (Redactor *r)
{
  qpdf_data qpdf = r->qpdf;
  qpdf_oh root = qpdf_get_root (qpdf);
  qpdf_oh trailer = qpdf_get_trailer (qpdf);

  if (qpdf_oh_has_key (qpdf, trailer, "/Info") || qpdf_oh_has_key (qpdf, root, "/Metadata"))
    r->report->metadata_removed = TRUE;
  qpdf_oh_remove_key (qpdf, trailer, "/Info");
  for (guint i = 0; i < G_N_ELEMENTS (catalog_keys); i++)
    qpdf_oh_remove_key (qpdf, root, catalog_keys[i]);
  for (int p = 0, n = qpdf_get_num_pages (qpdf); p < n; p++)
    {
      qpdf_oh page = qpdf_get_page_n (qpdf, (size_t) p);
      qpdf_oh annots = qpdf_oh_get_key (qpdf, page, "/Annots");

      if (qpdf_oh_is_array (qpdf, annots))
        r->report->n_annotations_removed += qpdf_oh_get_array_n_items (qpdf, annots);
      for (guint i = 0; i < G_N_ELEMENTS (page_keys); i++)
        qpdf_oh_remove_key (qpdf, page, page_keys[i]);
    }
  /* Who made the file is all it says about itself now. */
  qpdf_set_info_key (qpdf, "/Producer", "Sichtung " PACKAGE_VERSION);
}

GBytes *
sc_redact_pdf (GBytes             *input,
               const char         *password,
               GArray             *redactions,
               ScRedactFlags       flags,
               ScRedactionReport **report_out,
               GCancellable       *cancellable,
               GError            **error)
{
  g_autoptr(ScRedactionReport) report = NULL;
  Redactor r = { 0 };
  const guint8 *bytes;
  gsize length;
  GBytes *result = NULL;
  int n_pages;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (redactions != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = g_bytes_get_data (input, &length);
  if (length < 8 || g_strstr_len ((const char *) bytes, MIN (length, 1024), "%PDF-") == NULL)
    {
      g_set_error_literal (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                           _("The file is not a PDF document."));
      return NULL;
    }

  report = sc_redaction_report_new ();
  report->n_redactions = redactions->len;
  r.report = report;
  r.fonts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) sc_redact_font_free);
  r.qpdf = qpdf_init ();
  qpdf_silence_errors (r.qpdf);
  qpdf_set_suppress_warnings (r.qpdf, QPDF_TRUE);

  qpdf_read_memory (r.qpdf, "input.pdf", (const char *) bytes, length, password);
  if (!sc_qpdf_check (r.qpdf, password, error))
    goto out;
  n_pages = qpdf_get_num_pages (r.qpdf);
  if (!sc_qpdf_check (r.qpdf, password, error))
    goto out;
  for (guint i = 0; i < redactions->len; i++)
    if (g_array_index (redactions, ScRedaction, i).page >= (guint) n_pages)
      {
        g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                     _("The document has no page %u."),
                     g_array_index (redactions, ScRedaction, i).page + 1);
        goto out;
      }

  for (int p = 0; p < n_pages; p++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      if (!redact_page (&r, qpdf_get_page_n (r.qpdf, (size_t) p), (guint) p, redactions,
                        (flags & SC_REDACT_LABELS) != 0, error))
        goto out;
    }
  strip_document (&r);

  qpdf_init_write_memory (r.qpdf);
  qpdf_set_preserve_encryption (r.qpdf, QPDF_FALSE);
  qpdf_set_preserve_unreferenced_objects (r.qpdf, QPDF_FALSE);
  qpdf_set_stream_data_mode (r.qpdf, qpdf_s_compress);
  qpdf_set_object_stream_mode (r.qpdf, qpdf_o_generate);
  qpdf_set_suppress_original_object_IDs (r.qpdf, QPDF_TRUE);
  qpdf_set_deterministic_ID (r.qpdf, QPDF_TRUE);
  qpdf_write (r.qpdf);
  if (!sc_qpdf_check (r.qpdf, NULL, error))
    goto out;
  result = g_bytes_new (qpdf_get_buffer (r.qpdf), qpdf_get_buffer_length (r.qpdf));

out:
  drain_warnings (r.qpdf);
  /* Fonts hold no qpdf handles, but free them before the document they were read from. */
  g_hash_table_unref (r.fonts);
  qpdf_cleanup (&r.qpdf);
  if (result != NULL && report_out != NULL)
    *report_out = g_steal_pointer (&report);
  return result;
}

gboolean
sc_redact_pdf_to_file (GBytes             *input,
                       const char         *password,
                       GArray             *redactions,
                       ScRedactFlags       flags,
                       GFile              *output,
                       ScRedactionReport **report_out,
                       GCancellable       *cancellable,
                       GError            **error)
{
  g_autoptr(ScRedactionReport) report = NULL;
  g_autoptr(GBytes) redacted = NULL;

  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (redactions != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (output), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  redacted = sc_redact_pdf (input, password, redactions, flags, &report, cancellable, error);
  if (redacted == NULL)
    return FALSE;
  if (!sc_redact_verify (input, password, redacted, redactions, report, cancellable, error))
    return FALSE;
  if (report->leaks->len > 0)
    {
      if (report_out != NULL)
        *report_out = sc_redaction_report_ref (report);
      g_set_error (error, SC_ERROR, SC_ERROR_LEAK,
                   _("The redacted file was not saved because the check found text that should "
                     "be removed: %s"),
                   (const char *) g_ptr_array_index (report->leaks, 0));
      return FALSE;
    }
  if (!g_file_replace_contents (output, g_bytes_get_data (redacted, NULL),
                                g_bytes_get_size (redacted), NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, error))
    return FALSE;
  if (report_out != NULL)
    *report_out = g_steal_pointer (&report);
  return TRUE;
}
