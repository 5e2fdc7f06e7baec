/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-redact-areas.c: what the redaction engine works with: areas (ScRedaction) and where they
 * lie in a page's user space, the areas of findings and decisions, and the report. */
#define G_LOG_DOMAIN "sichtung-redact"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sc-json.h"
#include "sc-redact-private.h"

/* ---- Geometry ----------------------------------------------------------------------------- */

void
sc_matrix_identity (ScMatrix *m)
{
  static const ScMatrix identity = { { 1, 0, 0, 1, 0, 0 } };

  *m = identity;
}

void
sc_matrix_multiply (ScMatrix       *result,
                    const ScMatrix *a,
                    const ScMatrix *b)
{
  ScMatrix r;

  r.m[0] = a->m[0] * b->m[0] + a->m[1] * b->m[2];
  r.m[1] = a->m[0] * b->m[1] + a->m[1] * b->m[3];
  r.m[2] = a->m[2] * b->m[0] + a->m[3] * b->m[2];
  r.m[3] = a->m[2] * b->m[1] + a->m[3] * b->m[3];
  r.m[4] = a->m[4] * b->m[0] + a->m[5] * b->m[2] + b->m[4];
  r.m[5] = a->m[4] * b->m[1] + a->m[5] * b->m[3] + b->m[5];
  *result = r;
}

void
sc_matrix_apply (const ScMatrix *m,
                 double          x,
                 double          y,
                 double         *out_x,
                 double         *out_y)
{
  *out_x = m->m[0] * x + m->m[2] * y + m->m[4];
  *out_y = m->m[1] * x + m->m[3] * y + m->m[5];
}

gboolean
sc_matrix_invert (const ScMatrix *m,
                  ScMatrix       *inverse)
{
  double det = m->m[0] * m->m[3] - m->m[1] * m->m[2];

  if (fabs (det) < 1e-12 || !isfinite (det))
    return FALSE;
  inverse->m[0] = m->m[3] / det;
  inverse->m[1] = -m->m[1] / det;
  inverse->m[2] = -m->m[2] / det;
  inverse->m[3] = m->m[0] / det;
  inverse->m[4] = (m->m[2] * m->m[5] - m->m[3] * m->m[4]) / det;
  inverse->m[5] = (m->m[1] * m->m[4] - m->m[0] * m->m[5]) / det;
  return TRUE;
}

void
sc_box_transform (const ScBox    *box,
                  const ScMatrix *m,
                  ScBox          *result)
{
  double xs[4], ys[4];

  sc_matrix_apply (m, box->x0, box->y0, &xs[0], &ys[0]);
  sc_matrix_apply (m, box->x1, box->y0, &xs[1], &ys[1]);
  sc_matrix_apply (m, box->x0, box->y1, &xs[2], &ys[2]);
  sc_matrix_apply (m, box->x1, box->y1, &xs[3], &ys[3]);
  result->x0 = MIN (MIN (xs[0], xs[1]), MIN (xs[2], xs[3]));
  result->x1 = MAX (MAX (xs[0], xs[1]), MAX (xs[2], xs[3]));
  result->y0 = MIN (MIN (ys[0], ys[1]), MIN (ys[2], ys[3]));
  result->y1 = MAX (MAX (ys[0], ys[1]), MAX (ys[2], ys[3]));
}

double
sc_box_area (const ScBox *box)
{
  return MAX (box->x1 - box->x0, 0) * MAX (box->y1 - box->y0, 0);
}

double
sc_box_intersection (const ScBox *a,
                     const ScBox *b)
{
  ScBox r = { MAX (a->x0, b->x0), MAX (a->y0, b->y0), MIN (a->x1, b->x1), MIN (a->y1, b->y1) };

  return sc_box_area (&r);
}

gboolean
sc_box_contains_point (const ScBox *box,
                    double       x,
                    double       y)
{
  return x >= box->x0 && x <= box->x1 && y >= box->y0 && y <= box->y1;
}

/* ---- Page geometry ------------------------------------------------------------------------ */

qpdf_oh
sc_redact_page_inherited (qpdf_data   qpdf,
                          qpdf_oh     page,
                          const char *key)
{
  qpdf_oh node = page;

  /* Page-tree attributes inherit from /Parent (ISO 32000-1 §7.7.3.4); the depth is bounded
   * because a damaged file can loop. */
  for (int depth = 0; depth < 64 && node != 0 && qpdf_oh_is_dictionary (qpdf, node); depth++)
    {
      if (qpdf_oh_has_key (qpdf, node, key))
        {
          qpdf_oh value = qpdf_oh_get_key (qpdf, node, key);

          if (!qpdf_oh_is_null (qpdf, value))
            return value;
        }
      node = qpdf_oh_get_key (qpdf, node, "/Parent");
    }
  return 0;
}

void
sc_redact_page_geometry (qpdf_data       qpdf,
                         qpdf_oh         page,
                         ScPageGeometry *g)
{
  ScBox media = { 0, 0, 612, 792 }, crop;
  int rotate;
  double x0, y0, x1, y1;

  sc_qpdf_box (qpdf, sc_redact_page_inherited (qpdf, page, "/MediaBox"), &media);
  if (sc_qpdf_box (qpdf, sc_redact_page_inherited (qpdf, page, "/CropBox"), &crop))
    {
      /* Poppler clips the crop box to the media box. */
      crop.x0 = MAX (crop.x0, media.x0);
      crop.y0 = MAX (crop.y0, media.y0);
      crop.x1 = MIN (crop.x1, media.x1);
      crop.y1 = MIN (crop.y1, media.y1);
      if (crop.x1 <= crop.x0 || crop.y1 <= crop.y0)
        crop = media;
    }
  else
    crop = media;
  rotate = (int) sc_qpdf_number (qpdf, sc_redact_page_inherited (qpdf, page, "/Rotate"), 0);
  rotate = ((rotate % 360) + 360) % 360;
  rotate = rotate - rotate % 90;

  g->crop = crop;
  g->rotate = rotate;
  x0 = crop.x0, y0 = crop.y0, x1 = crop.x1, y1 = crop.y1;
  /* The inverse of poppler's GfxState device matrix for each rotation (72 dpi, origin top-left). */
  switch (rotate)
    {
    case 90:
      g->display_to_user = (ScMatrix) { { 0, 1, 1, 0, x0, y0 } };
      break;
    case 180:
      g->display_to_user = (ScMatrix) { { -1, 0, 0, 1, x1, y0 } };
      break;
    case 270:
      g->display_to_user = (ScMatrix) { { 0, -1, -1, 0, x1, y1 } };
      break;
    default:
      g->display_to_user = (ScMatrix) { { 1, 0, 0, -1, x0, y1 } };
      break;
    }
}

void
sc_redact_rect_to_user (const ScPageGeometry *geometry,
                        const ScRect         *rect,
                        ScBox                *box)
{
  ScBox display = { rect->x, rect->y, rect->x + rect->width, rect->y + rect->height };

  sc_box_transform (&display, &geometry->display_to_user, box);
}

/* ---- Redactions and reports --------------------------------------------------------------- */

static void
redaction_clear (gpointer data)
{
  ScRedaction *redaction = data;

  g_clear_pointer (&redaction->text, g_free);
  g_clear_pointer (&redaction->label, g_free);
}

GArray *
sc_redactions_new (void)
{
  GArray *redactions = g_array_new (FALSE, TRUE, sizeof (ScRedaction));

  g_array_set_clear_func (redactions, redaction_clear);
  return redactions;
}

void
sc_redactions_add (GArray       *redactions,
                   guint         page,
                   const ScRect *rect,
                   const char   *text,
                   const char   *label)
{
  ScRedaction redaction = { page, *rect, g_strdup (text), g_strdup (label) };

  g_return_if_fail (redactions != NULL);
  g_return_if_fail (rect != NULL);

  g_array_append_val (redactions, redaction);
}

guint
sc_redact_default_categories (void)
{
  return SC_REDACT_CATEGORY (SC_FINDING_PERSON) | SC_REDACT_CATEGORY (SC_FINDING_ADDRESS) |
         SC_REDACT_CATEGORY (SC_FINDING_BIRTH_DATE) | SC_REDACT_CATEGORY (SC_FINDING_IBAN) |
         SC_REDACT_CATEGORY (SC_FINDING_BIC) | SC_REDACT_CATEGORY (SC_FINDING_TAX_ID) |
         SC_REDACT_CATEGORY (SC_FINDING_SOCIAL_SECURITY_NUMBER) |
         SC_REDACT_CATEGORY (SC_FINDING_ID_DOCUMENT_NUMBER) |
         SC_REDACT_CATEGORY (SC_FINDING_PHONE) | SC_REDACT_CATEGORY (SC_FINDING_EMAIL) |
         SC_REDACT_CATEGORY (SC_FINDING_LICENSE_PLATE);
}

/* Line boxes are as tall as the font's ascent and descent; a little more covers accents and
 * anti-aliasing without reaching the neighbouring lines. */
static void
add_padded (GArray       *redactions,
            guint         page,
            const ScRect *box,
            const char   *text,
            const char   *label)
{
  ScRect padded = { box->x - 0.75, box->y - 0.5, box->width + 1.5, box->height + 1.0 };

  if (box->width <= 0 || box->height <= 0)
    return;
  sc_redactions_add (redactions, page, &padded, text, label);
}

void
sc_redactions_add_findings (GArray     *redactions,
                            GPtrArray  *page_findings,
                            guint       categories,
                            const char *label)
{
  g_return_if_fail (redactions != NULL);
  g_return_if_fail (page_findings != NULL);

  for (guint i = 0; i < page_findings->len; i++)
    {
      ScPageFinding *finding = g_ptr_array_index (page_findings, i);

      if ((categories & SC_REDACT_CATEGORY (finding->finding->category)) == 0 ||
          finding->boxes == NULL)
        continue;
      for (guint b = 0; b < finding->boxes->len; b++)
        add_padded (redactions, finding->page, &g_array_index (finding->boxes, ScRect, b),
                    finding->finding->text, label);
    }
}

void
sc_redactions_add_decisions (GArray    *redactions,
                             GPtrArray *store_findings,
                             gboolean   labels)
{
  g_return_if_fail (redactions != NULL);
  g_return_if_fail (store_findings != NULL);

  for (guint i = 0; i < store_findings->len; i++)
    {
      ScStoreFinding *stored = g_ptr_array_index (store_findings, i);
      ScPageFinding *finding = stored->finding;

      if (stored->decision != SC_STORE_DECISION_ACCEPTED &&
          stored->decision != SC_STORE_DECISION_EDITED &&
          stored->decision != SC_STORE_DECISION_ADDED)
        continue;
      if (finding->boxes == NULL)
        continue;
      for (guint b = 0; b < finding->boxes->len; b++)
        add_padded (redactions, finding->page, &g_array_index (finding->boxes, ScRect, b),
                    finding->finding->text,
                    labels && stored->legal_basis != NULL && stored->legal_basis[0] != '\0'
                      ? stored->legal_basis : NULL);
    }
}

G_DEFINE_BOXED_TYPE (ScRedactionReport, sc_redaction_report, sc_redaction_report_ref,
                     sc_redaction_report_unref)

ScRedactionReport *
sc_redaction_report_new (void)
{
  ScRedactionReport *report = g_new0 (ScRedactionReport, 1);

  g_atomic_ref_count_init (&report->ref_count);
  report->leaks = g_ptr_array_new_with_free_func (g_free);
  return report;
}

ScRedactionReport *
sc_redaction_report_ref (ScRedactionReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  g_atomic_ref_count_inc (&report->ref_count);
  return report;
}

void
sc_redaction_report_unref (ScRedactionReport *report)
{
  g_return_if_fail (report != NULL);

  if (!g_atomic_ref_count_dec (&report->ref_count))
    return;
  g_ptr_array_unref (report->leaks);
  g_free (report);
}

double
sc_redaction_report_get_surviving_ratio (const ScRedactionReport *report)
{
  g_return_val_if_fail (report != NULL, 0);

  if (report->n_words_outside == 0)
    return 1.0;
  return (double) report->n_words_surviving / report->n_words_outside;
}

char *
sc_redaction_report_to_json (const ScRedactionReport *report)
{
  g_autoptr(ScJsonWriter) json = sc_json_writer_new (TRUE);

  g_return_val_if_fail (report != NULL, NULL);

  sc_json_writer_begin_object (json);
  sc_json_writer_key (json, "redactions");
  sc_json_writer_int (json, report->n_redactions);
  sc_json_writer_key (json, "pages");
  sc_json_writer_int (json, report->n_pages);
  sc_json_writer_key (json, "glyphs_removed");
  sc_json_writer_int (json, report->n_glyphs_removed);
  sc_json_writer_key (json, "images_changed");
  sc_json_writer_int (json, report->n_images_changed);
  sc_json_writer_key (json, "images_removed");
  sc_json_writer_int (json, report->n_images_removed);
  sc_json_writer_key (json, "shapes_removed");
  sc_json_writer_int (json, report->n_shapes_removed);
  sc_json_writer_key (json, "annotations_removed");
  sc_json_writer_int (json, report->n_annotations_removed);
  sc_json_writer_key (json, "metadata_removed");
  sc_json_writer_bool (json, report->metadata_removed);
  sc_json_writer_key (json, "verification");
  sc_json_writer_begin_object (json);
  sc_json_writer_key (json, "ran");
  sc_json_writer_bool (json, report->verified);
  sc_json_writer_key (json, "passed");
  sc_json_writer_bool (json, report->verified && report->leaks->len == 0);
  sc_json_writer_key (json, "ocr");
  sc_json_writer_bool (json, report->ocr_checked);
  sc_json_writer_key (json, "leaks");
  sc_json_writer_begin_array (json);
  for (guint i = 0; i < report->leaks->len; i++)
    sc_json_writer_string (json, g_ptr_array_index (report->leaks, i));
  sc_json_writer_end_array (json);
  sc_json_writer_key (json, "words_outside");
  sc_json_writer_int (json, report->n_words_outside);
  sc_json_writer_key (json, "words_surviving");
  sc_json_writer_int (json, report->n_words_surviving);
  sc_json_writer_key (json, "surviving_ratio");
  sc_json_writer_double (json, sc_redaction_report_get_surviving_ratio (report));
  sc_json_writer_end_object (json);
  sc_json_writer_end_object (json);
  return sc_json_writer_free_to_string (g_steal_pointer (&json));
}
