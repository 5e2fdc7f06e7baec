/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-pdf-images.c: the declared sizes of the images of PDF pages (see sc-pdf-images.h). */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <stdlib.h>
#include <qpdf/qpdf-c.h>

#include "sc-pdf-content.h"
#include "sc-pdf-images.h"
#include "sc-redact-private.h"

/* Forms inside forms inside …: deeper than this is not followed (poppler stops earlier). */
#define MAX_DEPTH 12

struct _ScPdfImages
{
  qpdf_data  qpdf;
  GBytes    *pdf;
  int        n_pages;
  guint64   *largest;  /* [n_pages][2]: width, height; G_MAXUINT64 while unknown */
};

typedef struct
{
  qpdf_data   qpdf;
  guint64     width;
  guint64     height;
  GHashTable *seen;   /* object ids of forms and images looked at */
} Scan;

static void
consider (Scan    *scan,
          guint64  width,
          guint64  height)
{
  /* Compared by pixels; a product that would overflow counts as the largest there is. */
  guint64 pixels = height != 0 && width > G_MAXUINT64 / height ? G_MAXUINT64 : width * height;
  guint64 best = scan->height != 0 && scan->width > G_MAXUINT64 / scan->height
                   ? G_MAXUINT64
                   : scan->width * scan->height;

  if (pixels > best)
    {
      scan->width = width;
      scan->height = height;
    }
}

static guint64
dimension (qpdf_data   qpdf,
           qpdf_oh     dict,
           const char *key,
           const char *abbreviation)
{
  qpdf_oh value = qpdf_oh_get_key (qpdf, dict, key);
  double number;

  if (!qpdf_oh_is_number (qpdf, value) && abbreviation != NULL)
    value = qpdf_oh_get_key (qpdf, dict, abbreviation);
  number = sc_qpdf_number (qpdf, value, 0);
  if (!(number > 0))
    return 0;
  return number >= 1e15 ? (guint64) 1e15 : (guint64) number;
}

static void scan_resources (Scan *scan, qpdf_oh resources, guint depth);

/* The inline images (BI … ID … EI) of a content stream. */
static void
scan_inline_images (Scan         *scan,
                    const guint8 *data,
                    gsize         length)
{
  g_autoptr(GPtrArray) ops = sc_pdf_content_parse (data, length, NULL);

  if (ops == NULL)
    return;
  for (guint i = 0; i < ops->len; i++)
    {
      const ScPdfOp *op = g_ptr_array_index (ops, i);
      const ScPdfObj *dict, *w, *h;

      if (g_strcmp0 (op->name, "BI") != 0 || op->operands->len == 0)
        continue;
      dict = g_ptr_array_index (op->operands, 0);
      w = sc_pdf_obj_dict_get (dict, "W");
      if (w == NULL)
        w = sc_pdf_obj_dict_get (dict, "Width");
      h = sc_pdf_obj_dict_get (dict, "H");
      if (h == NULL)
        h = sc_pdf_obj_dict_get (dict, "Height");
      if (w != NULL && h != NULL && sc_pdf_obj_is_number (w) && sc_pdf_obj_is_number (h) &&
          w->number > 0 && h->number > 0)
        consider (scan, w->number >= 1e15 ? (guint64) 1e15 : (guint64) w->number,
                  h->number >= 1e15 ? (guint64) 1e15 : (guint64) h->number);
    }
}

static gboolean
first_visit (Scan    *scan,
             qpdf_oh  oh)
{
  int id = qpdf_oh_get_object_id (scan->qpdf, oh);

  if (id == 0)
    return TRUE; /* a direct object cannot form a cycle */
  if (g_hash_table_contains (scan->seen, GINT_TO_POINTER (id)))
    return FALSE;
  g_hash_table_add (scan->seen, GINT_TO_POINTER (id));
  return TRUE;
}

/* An XObject (image or form) or a pattern. */
static void
scan_object (Scan    *scan,
             qpdf_oh  oh,
             guint    depth)
{
  qpdf_data qpdf = scan->qpdf;
  qpdf_oh dict;

  if (depth > MAX_DEPTH || !qpdf_oh_is_stream (qpdf, oh) || !first_visit (scan, oh))
    return;
  dict = qpdf_oh_get_dict (qpdf, oh);
  if (qpdf_oh_is_name_and_equals (qpdf, qpdf_oh_get_key (qpdf, dict, "/Subtype"), "/Image"))
    {
      qpdf_oh smask = qpdf_oh_get_key (qpdf, dict, "/SMask");

      consider (scan, dimension (qpdf, dict, "/Width", NULL),
                dimension (qpdf, dict, "/Height", NULL));
      if (qpdf_oh_is_stream (qpdf, smask))
        scan_object (scan, smask, depth + 1);
      return;
    }

  /* A form or a tiling pattern: its own resources and inline images. */
  scan_resources (scan, qpdf_oh_get_key (qpdf, dict, "/Resources"), depth + 1);
  {
    g_autoptr(GBytes) data = sc_qpdf_stream_data (qpdf, oh, FALSE);

    if (data != NULL)
      scan_inline_images (scan, g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  }
}

static void
scan_dict_values (Scan       *scan,
                  qpdf_oh     dict,
                  guint       depth)
{
  qpdf_data qpdf = scan->qpdf;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);

  if (!qpdf_oh_is_dictionary (qpdf, dict))
    return;
  /* The key iterator is per qpdf_data: collect the keys before descending. */
  qpdf_oh_begin_dict_key_iter (qpdf, dict);
  while (qpdf_oh_dict_more_keys (qpdf))
    g_ptr_array_add (keys, g_strdup (qpdf_oh_dict_next_key (qpdf)));
  for (guint i = 0; i < keys->len; i++)
    scan_object (scan, qpdf_oh_get_key (qpdf, dict, g_ptr_array_index (keys, i)), depth);
}

static void
scan_resources (Scan    *scan,
                qpdf_oh  resources,
                guint    depth)
{
  qpdf_data qpdf = scan->qpdf;

  if (depth > MAX_DEPTH || !qpdf_oh_is_dictionary (qpdf, resources))
    return;
  scan_dict_values (scan, qpdf_oh_get_key (qpdf, resources, "/XObject"), depth);
  scan_dict_values (scan, qpdf_oh_get_key (qpdf, resources, "/Pattern"), depth);
}

ScPdfImages *
sc_pdf_images_new (GBytes      *pdf,
                   const char  *password,
                   GError     **error)
{
  g_autoptr(ScPdfImages) images = g_new0 (ScPdfImages, 1);
  gsize length;
  const char *bytes = g_bytes_get_data (pdf, &length);

  images->pdf = g_bytes_ref (pdf);
  images->qpdf = qpdf_init ();
  qpdf_silence_errors (images->qpdf);
  qpdf_set_suppress_warnings (images->qpdf, QPDF_TRUE);
  qpdf_read_memory (images->qpdf, "document.pdf", bytes, length, password);
  if (!sc_qpdf_check (images->qpdf, password, error))
    return NULL;
  qpdf_push_inherited_attributes_to_page (images->qpdf);
  images->n_pages = qpdf_get_num_pages (images->qpdf);
  if (!sc_qpdf_check (images->qpdf, password, error))
    return NULL;
  images->n_pages = MAX (images->n_pages, 0);
  images->largest = g_new (guint64, 2 * (gsize) images->n_pages + 1);
  for (int i = 0; i < 2 * images->n_pages; i++)
    images->largest[i] = G_MAXUINT64;
  return g_steal_pointer (&images);
}

void
sc_pdf_images_free (ScPdfImages *images)
{
  if (images == NULL)
    return;
  if (images->qpdf != NULL)
    qpdf_cleanup (&images->qpdf);
  g_clear_pointer (&images->pdf, g_bytes_unref);
  g_free (images->largest);
  g_free (images);
}

gboolean
sc_pdf_images_get_largest (ScPdfImages  *images,
                           guint         page,
                           guint64      *width,
                           guint64      *height,
                           GError      **error)
{
  qpdf_data qpdf;
  qpdf_oh page_oh;
  Scan scan = { 0 };

  g_return_val_if_fail (images != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (page >= (guint) images->n_pages)
    {
      /* poppler and qpdf may count a damaged page tree differently: nothing known here. */
      *width = *height = 0;
      return TRUE;
    }
  if (images->largest[2 * page] != G_MAXUINT64)
    {
      *width = images->largest[2 * page];
      *height = images->largest[2 * page + 1];
      return TRUE;
    }

  qpdf = images->qpdf;
  scan.qpdf = qpdf;
  scan.seen = g_hash_table_new (NULL, NULL);
  page_oh = qpdf_get_page_n (qpdf, page);
  scan_resources (&scan, qpdf_oh_get_key (qpdf, page_oh, "/Resources"), 0);
  {
    char *data = NULL;
    size_t length = 0;

    if (qpdf_oh_get_page_content_data (qpdf, page_oh, (unsigned char **) &data, &length) ==
        QPDF_SUCCESS && data != NULL)
      scan_inline_images (&scan, (const guint8 *) data, length);
    free (data);
  }
  g_hash_table_unref (scan.seen);
  qpdf_oh_release_all (qpdf);
  /* A page qpdf cannot read is no reason to refuse it: poppler may still show it. */
  if (qpdf_has_error (qpdf))
    qpdf_get_error (qpdf);

  images->largest[2 * page] = *width = scan.width;
  images->largest[2 * page + 1] = *height = scan.height;
  return TRUE;
}
