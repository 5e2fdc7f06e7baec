/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-document-view-changes.c: compare mode's layer of SichtungDocumentView: the
 * differences to the other document, drawn on the pages under the findings.
 *
 * The marks hang off the view as object data, so the view itself only calls
 * _sichtung_view_changes_snapshot() for each page it draws. Colour is never the only cue:
 * removed text is struck through, changed text has a dashed outline, and the first box of each
 * change carries a "+", "−" or "~" tag beside it, and hovering one names its kind (findings'
 * tooltips come first).
 */
#define G_LOG_DOMAIN "sichtung-view"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "sichtung-document-view.h"
#include "sichtung-document-view-private.h"

#define CHANGES_KEY "sichtung-view-changes"
#define TOOLTIP_KEY "sichtung-view-changes-tooltip"

typedef struct
{
  GArray *marks;        /* SichtungChangeMark, in page order */
  guint  *page_first;   /* [n_pages + 1]: marks of page p are [page_first[p], page_first[p+1]) */
  guint   n_pages;
} ViewChanges;

static void
view_changes_free (gpointer data)
{
  ViewChanges *changes = data;

  g_clear_pointer (&changes->marks, g_array_unref);
  g_free (changes->page_first);
  g_free (changes);
}

static ViewChanges *
get_changes (SichtungDocumentView *view)
{
  return g_object_get_data (G_OBJECT (view), CHANGES_KEY);
}

/* The colours follow libadwaita's palette: green 3, red 3, orange 3. */
static void
change_color (ScCompareChangeKind  kind,
              GdkRGBA             *color)
{
  switch (kind)
    {
    case SC_COMPARE_ADDED:
      *color = (GdkRGBA) { 0.20, 0.82, 0.48, 1.0 };
      break;
    case SC_COMPARE_REMOVED:
      *color = (GdkRGBA) { 0.88, 0.11, 0.14, 1.0 };
      break;
    case SC_COMPARE_CHANGED:
    default:
      *color = (GdkRGBA) { 1.00, 0.47, 0.00, 1.0 };
      break;
    }
}

static const char *
change_tag (ScCompareChangeKind kind)
{
  switch (kind)
    {
    case SC_COMPARE_ADDED:
      return "+";
    case SC_COMPARE_REMOVED:
      return "−";
    case SC_COMPARE_CHANGED:
    default:
      return "~";
    }
}

static void
draw_mark (cairo_t                  *cr,
           PangoContext             *context,
           const SichtungChangeMark *mark,
           const graphene_rect_t    *rect)
{
  GdkRGBA color;

  change_color (mark->kind, &color);
  cairo_save (cr);
  cairo_rectangle (cr, rect->origin.x, rect->origin.y, rect->size.width, rect->size.height);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.28);
  cairo_fill (cr);

  cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.95);
  cairo_set_line_width (cr, 1.5);
  switch (mark->kind)
    {
    case SC_COMPARE_REMOVED:
      /* struck through, as removed text is in print */
      cairo_move_to (cr, rect->origin.x, rect->origin.y + rect->size.height / 2);
      cairo_rel_line_to (cr, rect->size.width, 0);
      cairo_stroke (cr);
      break;

    case SC_COMPARE_CHANGED:
      {
        static const double dashes[] = { 3.0, 2.0 };

        cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
        cairo_rectangle (cr, rect->origin.x - 0.5, rect->origin.y - 0.5,
                         rect->size.width + 1, rect->size.height + 1);
        cairo_stroke (cr);
      }
      break;

    case SC_COMPARE_ADDED:
    default:
      /* a solid line under it */
      cairo_move_to (cr, rect->origin.x, rect->origin.y + rect->size.height + 0.75);
      cairo_rel_line_to (cr, rect->size.width, 0);
      cairo_stroke (cr);
      break;
    }

  if (mark->first)
    {
      g_autoptr(PangoLayout) layout = pango_layout_new (context);
      PangoFontDescription *font = pango_font_description_from_string ("Sans Bold");
      double size = CLAMP (rect->size.height * 0.6, 6.0, 10.0);
      PangoRectangle extents;
      double tag_x, tag_y;

      pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
      pango_layout_set_font_description (layout, font);
      pango_font_description_free (font);
      pango_layout_set_text (layout, change_tag (mark->kind), -1);
      pango_layout_get_pixel_extents (layout, NULL, &extents);

      /* Left of the box, where the findings' tags (above it) do not go. */
      tag_x = rect->origin.x - extents.width - 4;
      tag_y = rect->origin.y + (rect->size.height - extents.height) / 2;
      cairo_set_dash (cr, NULL, 0, 0);
      cairo_rectangle (cr, tag_x, tag_y, extents.width + 3, extents.height);
      cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.95);
      cairo_fill (cr);
      cairo_move_to (cr, tag_x + 1.5 - extents.x, tag_y - extents.y);
      cairo_set_source_rgb (cr, 1, 1, 1);
      pango_cairo_show_layout (cr, layout);
    }
  cairo_restore (cr);
}

void
_sichtung_view_changes_snapshot (SichtungDocumentView *view,
                                 GtkSnapshot          *snapshot,
                                 guint                 page,
                                 double                x,
                                 double                y,
                                 double                px_per_pt)
{
  ViewChanges *changes = get_changes (view);
  PangoContext *context;
  double width, height;
  cairo_t *cr;

  if (changes == NULL || page >= changes->n_pages
      || changes->page_first[page] == changes->page_first[page + 1])
    return;

  _sichtung_document_view_get_page_size (view, page, &width, &height);
  context = gtk_widget_get_pango_context (GTK_WIDGET (view));
  /* Tags sit left of the boxes: leave room for them at the left edge. */
  cr = gtk_snapshot_append_cairo (snapshot,
                                  &GRAPHENE_RECT_INIT (x - 16, y - 4,
                                                       width * px_per_pt + 20,
                                                       height * px_per_pt + 8));
  for (guint i = changes->page_first[page]; i < changes->page_first[page + 1]; i++)
    {
      const SichtungChangeMark *mark = &g_array_index (changes->marks, SichtungChangeMark, i);
      graphene_rect_t rect = GRAPHENE_RECT_INIT (x + mark->rect.x * px_per_pt,
                                                 y + mark->rect.y * px_per_pt,
                                                 mark->rect.width * px_per_pt,
                                                 mark->rect.height * px_per_pt);

      draw_mark (cr, context, mark, &rect);
    }
  cairo_destroy (cr);
}

/* The mark under view coordinates @x, @y, or NULL. */
static const SichtungChangeMark *
mark_at (SichtungDocumentView *view,
         double                x,
         double                y)
{
  ViewChanges *changes = get_changes (view);
  double x_pt, y_pt;
  guint page;

  if (changes == NULL || !_sichtung_document_view_get_page_at (view, x, y, &page, &x_pt, &y_pt)
      || page >= changes->n_pages)
    return NULL;

  for (guint i = changes->page_first[page]; i < changes->page_first[page + 1]; i++)
    {
      const SichtungChangeMark *mark = &g_array_index (changes->marks, SichtungChangeMark, i);

      if (x_pt >= mark->rect.x && x_pt < mark->rect.x + mark->rect.width
          && y_pt >= mark->rect.y && y_pt < mark->rect.y + mark->rect.height)
        return mark;
    }
  return NULL;
}

/* Connected after the view's own handler, which answers for findings. */
static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  const SichtungChangeMark *mark;

  if (keyboard_mode || (mark = mark_at (SICHTUNG_DOCUMENT_VIEW (widget), x, y)) == NULL)
    return FALSE;

  switch (mark->kind)
    {
    case SC_COMPARE_ADDED:
      /* Translators: the tooltip of text the right document of the two compared has and the
       * left one lacks. */
      gtk_tooltip_set_text (tooltip, _("Added"));
      break;
    case SC_COMPARE_REMOVED:
      /* Translators: the tooltip of text the left document of the two compared has and the
       * right one lacks. */
      gtk_tooltip_set_text (tooltip, _("Removed"));
      break;
    case SC_COMPARE_CHANGED:
    default:
      /* Translators: the tooltip of text the other document of the two compared words
       * differently. */
      gtk_tooltip_set_text (tooltip, _("Changed"));
      break;
    }
  return TRUE;
}

void
sichtung_document_view_set_changes (SichtungDocumentView *self,
                                    GArray               *marks)
{
  ScDocument *document;
  ViewChanges *changes;
  guint n_pages;

  g_return_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self));

  document = sichtung_document_view_get_document (self);
  if (marks == NULL || marks->len == 0 || document == NULL)
    {
      if (get_changes (self) != NULL)
        {
          g_object_set_data (G_OBJECT (self), CHANGES_KEY, NULL);
          gtk_widget_queue_draw (GTK_WIDGET (self));
        }
      return;
    }

  n_pages = sc_document_get_n_pages (document);
  changes = g_new0 (ViewChanges, 1);
  changes->marks = g_array_ref (marks);
  changes->n_pages = n_pages;
  changes->page_first = g_new0 (guint, n_pages + 1);
  /* The marks are in page order: those of page p start at the first one not before it.
   * Marks of pages the document lacks are left out. */
  for (guint p = 0, i = 0; p <= n_pages; p++)
    {
      while (i < marks->len && g_array_index (marks, SichtungChangeMark, i).page < p)
        i++;
      changes->page_first[p] = i;
    }

  g_object_set_data_full (G_OBJECT (self), CHANGES_KEY, changes, view_changes_free);
  if (g_object_get_data (G_OBJECT (self), TOOLTIP_KEY) == NULL)
    {
      g_signal_connect_after (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
      g_object_set_data (G_OBJECT (self), TOOLTIP_KEY, GINT_TO_POINTER (TRUE));
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
sichtung_document_view_get_change_at (SichtungDocumentView *self,
                                      gsize                 cp_offset,
                                      ScCompareChangeKind  *kind)
{
  ViewChanges *changes;

  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self), FALSE);

  changes = get_changes (self);
  if (changes == NULL)
    return FALSE;

  for (guint i = 0; i < changes->marks->len; i++)
    {
      const SichtungChangeMark *mark = &g_array_index (changes->marks, SichtungChangeMark, i);

      if (mark->cp_start <= cp_offset && cp_offset < mark->cp_end)
        {
          if (kind != NULL)
            *kind = mark->kind;
          return TRUE;
        }
    }
  return FALSE;
}
