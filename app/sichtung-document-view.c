/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-document-view.c: a continuously scrolling, zoomable view of all pages of a document.
 *
 * Geometry: pages are stacked vertically with GAP logical pixels around them and centred
 * horizontally. A page is zoom * 96/72 logical pixels per point, rounded up to whole device
 * pixels so that a texture rendered at that scale maps 1:1 onto the screen. The "band" of page
 * p runs from GAP above its top edge to GAP above the next page; "position" and "current-page"
 * are measured in bands, so going to a page shows the gap above it, as in Papers.
 *
 * Rendering never happens here: the view tells its SichtungPageCache which pages it wants
 * (on screen first, nearest the centre first, then a little ahead and behind) and draws
 * whatever texture the cache has, scaled if it is from another zoom, over a white page.
 *
 * Drawing a box on a page to mark a finding by hand lives in sichtung-document-view-box.c.
 */
#define G_LOG_DOMAIN "sichtung-view"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "sichtung-document-view.h"
#include "sichtung-document-view-private.h"
#include "sichtung-finding-style.h"
#include "sichtung-page-cache.h"

#define GAP               12.0                  /* logical px between and around pages */
#define CSS_PX_PER_POINT  (96.0 / 72.0)
#define PREFETCH_PAGES    2                     /* ahead and behind the visible ones */
/* Whole pages are rendered (ScDocument has no tiles), so beyond this a page is drawn
 * upscaled rather than eating the cache: 16 Mpx is 64 MiB. */
#define MAX_TEXTURE_PIXELS (4096.0 * 4096.0)
#define MAX_TEXTURE_SIDE   8192.0

G_DEFINE_ENUM_TYPE (SichtungZoomMode, sichtung_zoom_mode,
                    G_DEFINE_ENUM_VALUE (SICHTUNG_ZOOM_MODE_FREE, "free"),
                    G_DEFINE_ENUM_VALUE (SICHTUNG_ZOOM_MODE_FIT_WIDTH, "fit-width"),
                    G_DEFINE_ENUM_VALUE (SICHTUNG_ZOOM_MODE_FIT_PAGE, "fit-page"))

typedef struct
{
  double w_pt;  /* page size in points */
  double h_pt;
  double w;     /* on-screen size in logical px at the current zoom */
  double h;
  double top;   /* content y of the top edge */
} PageGeometry;

/* A point of the document, to keep under the pointer (or at the top) across a zoom. */
typedef struct
{
  guint  page;
  double x_pt;
  double y_pt;
} DocPoint;

typedef struct
{
  guint  page;
  ScRect rect;  /* points, origin top-left */
} SearchHit;

struct _SichtungDocumentView
{
  GtkWidget            parent_instance;

  ScDocument          *document;
  SichtungPageCache   *cache;

  PageGeometry        *pages;             /* [n_pages] */
  guint                n_pages;
  double               max_w_pt;
  double               max_h_pt;
  double               content_w;         /* logical px */
  double               content_h;

  double               zoom;
  SichtungZoomMode     zoom_mode;
  guint                current_page;
  double               pending_position;  /* applied at the first allocation; < 0: none */
  int                  view_w;
  int                  view_h;
  guint                allocated : 1;
  guint                has_pointer : 1;
  guint                has_gesture_anchor : 1;
  double               pointer_x;
  double               pointer_y;
  double               gesture_start_zoom;
  DocPoint             gesture_anchor;

  GtkAdjustment       *hadjustment;
  GtkAdjustment       *vadjustment;
  GtkScrollablePolicy  hscroll_policy;
  GtkScrollablePolicy  vscroll_policy;

  char                *search_text;
  GCancellable        *search_cancellable;
  guint                search_serial;     /* results of other serials are stale */
  guint                thaw_notify_id;    /* idle that ends a freeze begun in size_allocate */
  GArray              *hits;              /* SearchHit, in document order */
  int                  current_match;
  gboolean             search_active;

  GListModel          *findings;          /* SichtungFindingItem */
  GPtrArray          **page_findings;     /* [n_pages] SichtungFindingItem*, unowned; NULL
                                           * until needed after a change */
  SichtungFindingItem *selected_finding;

  SichtungViewBox     *box;               /* draws boxes to mark findings by hand */
  gboolean             box_mode;          /* a drag draws a box, without Shift too */

  guint                passage_page;      /* the page of passage_boxes */
  GArray              *passage_boxes;     /* ScRect of the passage shown (an assistant's
                                           * citation), or NULL */
};

static void sichtung_document_view_scrollable_init (GtkScrollableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SichtungDocumentView, sichtung_document_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE,
                                                      sichtung_document_view_scrollable_init))

enum
{
  PROP_0,
  PROP_DOCUMENT,
  PROP_ZOOM,
  PROP_ZOOM_MODE,
  PROP_CURRENT_PAGE,
  PROP_POSITION,
  PROP_N_MATCHES,
  PROP_CURRENT_MATCH,
  PROP_SEARCH_ACTIVE,
  PROP_PENDING_RENDERS,
  PROP_BOX_MODE,
  N_PROPS,

  /* GtkScrollable */
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

enum
{
  PAGE_RENDERED,
  FINDING_ACTIVATED,
  BOX_DRAWN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const double zoom_ladder[] = {
  0.1, 0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75,
  2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0,
};

/* ------------------------------------------------------------------------------------------ */
/* Geometry                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static double
px_per_point (SichtungDocumentView *self)
{
  return self->zoom * CSS_PX_PER_POINT;
}

/* The height of the pages stacked with their gaps at @zoom. */
static double
content_height_at (SichtungDocumentView *self,
                   double                zoom)
{
  int scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double device_scale = zoom * CSS_PX_PER_POINT * scale_factor;
  double y = GAP;

  if (self->n_pages == 0)
    return 0;

  /* Same rounding as relayout(). */
  for (guint i = 0; i < self->n_pages; i++)
    y += ceil (self->pages[i].h_pt * device_scale) / scale_factor + GAP;
  return y;
}

static void
relayout (SichtungDocumentView *self)
{
  int scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double device_scale = px_per_point (self) * scale_factor;
  double y = GAP;
  double max_w = 0;

  for (guint i = 0; i < self->n_pages; i++)
    {
      PageGeometry *g = &self->pages[i];

      /* Same rounding as sc_document_render_page(), so the texture fits exactly. */
      g->w = ceil (g->w_pt * device_scale) / scale_factor;
      g->h = ceil (g->h_pt * device_scale) / scale_factor;
      g->top = y;
      y += g->h + GAP;
      max_w = MAX (max_w, g->w);
    }

  self->content_w = self->n_pages > 0 ? max_w + 2 * GAP : 0;
  self->content_h = self->n_pages > 0 ? y : 0;
}

/* Where page @page's band starts: GAP above its top edge. */
static double
band_start (SichtungDocumentView *self,
            guint                 page)
{
  return self->pages[page].top - GAP;
}

static double
band_end (SichtungDocumentView *self,
          guint                 page)
{
  return page + 1 < self->n_pages ? band_start (self, page + 1) : self->content_h;
}

/* The page whose band contains content coordinate @y. Needs n_pages > 0. */
static guint
page_at_y (SichtungDocumentView *self,
           double                y)
{
  guint lo = 0, hi = self->n_pages;

  g_assert (self->n_pages > 0);

  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (band_start (self, mid) <= y)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

/* Content x of the left edge of @page, on whole device pixels. */
static double
page_left (SichtungDocumentView *self,
           guint                 page)
{
  int scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double width = MAX (self->content_w, (double) self->view_w);

  return floor ((width - self->pages[page].w) / 2 * scale_factor) / scale_factor;
}

/* Device pixels per point at which @page is rendered: the zoom, unless that would make a
 * texture unreasonably large. */
static double
page_render_scale (SichtungDocumentView *self,
                   guint                 page)
{
  const PageGeometry *g = &self->pages[page];
  double scale = px_per_point (self) * gtk_widget_get_scale_factor (GTK_WIDGET (self));

  if (g->w_pt > 0 && g->h_pt > 0)
    {
      scale = MIN (scale, sqrt (MAX_TEXTURE_PIXELS / (g->w_pt * g->h_pt)));
      scale = MIN (scale, MAX_TEXTURE_SIDE / MAX (g->w_pt, g->h_pt));
    }
  return scale;
}

static double
snap_to_device (SichtungDocumentView *self,
                double                value)
{
  int scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  return round (value * scale_factor) / scale_factor;
}

static gboolean
has_layout (SichtungDocumentView *self)
{
  return self->n_pages > 0 && self->allocated;
}

static DocPoint
doc_point_at (SichtungDocumentView *self,
              double                x,
              double                y)
{
  double cx = gtk_adjustment_get_value (self->hadjustment) + x;
  double cy = gtk_adjustment_get_value (self->vadjustment) + y;
  DocPoint point = { 0 };
  const PageGeometry *g;
  double ppp;

  g_assert (self->n_pages > 0);

  /* Split the gaps in the middle, so a pointer in a gap sticks to the nearer page. */
  point.page = page_at_y (self, cy - GAP / 2);
  g = &self->pages[point.page];
  ppp = g->w_pt > 0 ? g->w / g->w_pt : px_per_point (self);
  point.x_pt = (cx - page_left (self, point.page)) / ppp;
  point.y_pt = (cy - g->top) / ppp;
  return point;
}

static void
scroll_doc_point_to (SichtungDocumentView *self,
                     const DocPoint       *point,
                     double                x,
                     double                y)
{
  const PageGeometry *g;
  double ppp;

  g_assert (point->page < self->n_pages);

  g = &self->pages[point->page];
  ppp = g->w_pt > 0 ? g->w / g->w_pt : px_per_point (self);
  gtk_adjustment_set_value (self->hadjustment,
                            page_left (self, point->page) + point->x_pt * ppp - x);
  gtk_adjustment_set_value (self->vadjustment, g->top + point->y_pt * ppp - y);
}

gboolean
_sichtung_document_view_get_page_origin (SichtungDocumentView *self,
                                         guint                 page,
                                         double               *x,
                                         double               *y,
                                         double               *px_per_pt)
{
  const PageGeometry *g;

  if (!has_layout (self) || page >= self->n_pages)
    return FALSE;

  /* As drawn: on whole device pixels, like the snapshot. */
  g = &self->pages[page];
  *x = page_left (self, page) - snap_to_device (self, gtk_adjustment_get_value (self->hadjustment));
  *y = g->top - snap_to_device (self, gtk_adjustment_get_value (self->vadjustment));
  *px_per_pt = g->w_pt > 0 ? g->w / g->w_pt : px_per_point (self);
  return TRUE;
}

gboolean
_sichtung_document_view_get_page_at (SichtungDocumentView *self,
                                     double                x,
                                     double                y,
                                     guint                *page,
                                     double               *x_pt,
                                     double               *y_pt)
{
  DocPoint point;
  const PageGeometry *g;

  if (!has_layout (self))
    return FALSE;

  point = doc_point_at (self, x, y);
  g = &self->pages[point.page];
  if (point.x_pt < 0 || point.y_pt < 0 || point.x_pt > g->w_pt || point.y_pt > g->h_pt)
    return FALSE;

  *page = point.page;
  *x_pt = point.x_pt;
  *y_pt = point.y_pt;
  return TRUE;
}

void
_sichtung_document_view_get_page_size (SichtungDocumentView *self,
                                       guint                 page,
                                       double               *width,
                                       double               *height)
{
  g_assert (page < self->n_pages);

  *width = self->pages[page].w_pt;
  *height = self->pages[page].h_pt;
}

static void
configure_adjustment (GtkAdjustment *adjustment,
                      double         upper,
                      double         page_size)
{
  double value;

  upper = MAX (upper, page_size);
  value = CLAMP (gtk_adjustment_get_value (adjustment), 0, upper - page_size);
  gtk_adjustment_configure (adjustment, value, 0, upper,
                            MAX (1, MIN (48, page_size * 0.25)), MAX (1, page_size * 0.9),
                            page_size);
}

static void
configure_adjustments (SichtungDocumentView *self)
{
  if (!self->allocated)
    return;

  configure_adjustment (self->hadjustment, self->content_w, self->view_w);
  configure_adjustment (self->vadjustment, self->content_h, self->view_h);
}

static double
fit_zoom_for (SichtungDocumentView *self,
              SichtungZoomMode      mode,
              double                view_w,
              double                view_h)
{
  double zoom;

  if (mode == SICHTUNG_ZOOM_MODE_FREE || self->n_pages == 0 || self->max_w_pt <= 0)
    return self->zoom;

  zoom = (view_w - 2 * GAP) / (self->max_w_pt * CSS_PX_PER_POINT);
  /* Before the first allocation the height is not known yet: the width alone decides. */
  if (mode == SICHTUNG_ZOOM_MODE_FIT_PAGE && self->max_h_pt > 0 && view_h > 2 * GAP)
    zoom = MIN (zoom, (view_h - 2 * GAP) / (self->max_h_pt * CSS_PX_PER_POINT));

  return CLAMP (zoom, SICHTUNG_DOCUMENT_VIEW_MIN_ZOOM, SICHTUNG_DOCUMENT_VIEW_MAX_ZOOM);
}

static double
compute_fit_zoom (SichtungDocumentView *self,
                  SichtungZoomMode      mode)
{
  if (!has_layout (self))
    return self->zoom;

  return fit_zoom_for (self, mode, self->view_w, self->view_h);
}

/* ------------------------------------------------------------------------------------------ */
/* State that follows the scroll position                                                     */
/* ------------------------------------------------------------------------------------------ */

static void
update_accessible_label (SichtungDocumentView *self)
{
  g_autofree char *label = NULL;

  if (self->n_pages == 0)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
      return;
    }

  /* Translators: the accessible name of the document view; page number and page count. */
  label = g_strdup_printf (_("Page %u of %u"), self->current_page + 1, self->n_pages);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
set_current_page (SichtungDocumentView *self,
                  guint                 page)
{
  if (self->current_page == page)
    return;

  self->current_page = page;
  update_accessible_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_PAGE]);
}

static void
update_current_page (SichtungDocumentView *self)
{
  if (!has_layout (self))
    return;

  /* Half a pixel of slack: keeping the position across a zoom change may land a hair above
   * the page's top edge, which must not count as still being on the previous page. */
  set_current_page (self,
                    page_at_y (self, gtk_adjustment_get_value (self->vadjustment) + 0.5));
}

/* Tells the cache what to render, most wanted first: the visible pages from the centre of
 * the viewport outwards, then PREFETCH_PAGES below and above. */
static void
update_render_requests (SichtungDocumentView *self)
{
  g_autofree SichtungPageRequest *requests = NULL;
  guint n_requests = 0;
  guint first, last, centre;
  double top;

  if (!has_layout (self) || self->document == NULL)
    {
      sichtung_page_cache_request (self->cache, NULL, 0);
      return;
    }

  top = gtk_adjustment_get_value (self->vadjustment);
  first = page_at_y (self, top);
  if (self->pages[first].top + self->pages[first].h <= top && first + 1 < self->n_pages)
    first++;
  last = page_at_y (self, top + self->view_h);
  centre = CLAMP (page_at_y (self, top + self->view_h / 2.0), first, last);

  requests = g_new (SichtungPageRequest, (last - first + 1) + 2 * PREFETCH_PAGES);

  for (guint d = 0; centre + d <= last || centre >= first + d; d++)
    {
      if (centre + d <= last)
        requests[n_requests++] = (SichtungPageRequest) { centre + d, 0 };
      if (d > 0 && centre >= first + d)
        requests[n_requests++] = (SichtungPageRequest) { centre - d, 0 };
    }
  for (guint d = 1; d <= PREFETCH_PAGES; d++)
    {
      if (last + d < self->n_pages)
        requests[n_requests++] = (SichtungPageRequest) { last + d, 0 };
      if (first >= d)
        requests[n_requests++] = (SichtungPageRequest) { first - d, 0 };
    }
  for (guint i = 0; i < n_requests; i++)
    requests[i].scale = page_render_scale (self, requests[i].page);

  sichtung_page_cache_request (self->cache, requests, n_requests);
}

static void
adjustment_value_changed_cb (GtkAdjustment        *adjustment,
                             SichtungDocumentView *self)
{
  if (adjustment == self->vadjustment)
    {
      update_current_page (self);
      update_render_requests (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
scroll_to_position (SichtungDocumentView *self,
                    double                position)
{
  guint page;
  double fraction;

  g_assert (has_layout (self));

  position = CLAMP (position, 0, self->n_pages);
  page = MIN ((guint) position, self->n_pages - 1);
  fraction = position - page;
  gtk_adjustment_set_value (self->vadjustment,
                            band_start (self, page)
                            + fraction * (band_end (self, page) - band_start (self, page)));
}

/* Changes zoom and zoom mode, keeping @anchor (or, when NULL, the document point now at view
 * coordinates @x, @y) at @x, @y. */
static void
change_zoom (SichtungDocumentView *self,
             double                zoom,
             SichtungZoomMode      mode,
             const DocPoint       *anchor,
             double                x,
             double                y)
{
  DocPoint point = { 0 };

  zoom = CLAMP (zoom, SICHTUNG_DOCUMENT_VIEW_MIN_ZOOM, SICHTUNG_DOCUMENT_VIEW_MAX_ZOOM);

  g_object_freeze_notify (G_OBJECT (self));

  if (self->zoom_mode != mode)
    {
      self->zoom_mode = mode;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_MODE]);
      /* The request mode follows the zoom mode. */
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }

  if (self->zoom != zoom || anchor != NULL)
    {
      if (has_layout (self))
        {
          if (anchor == NULL)
            point = doc_point_at (self, x, y);
          else
            point = *anchor;
        }

      if (self->zoom != zoom)
        {
          self->zoom = zoom;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
          relayout (self);
          configure_adjustments (self);
        }

      if (has_layout (self))
        scroll_doc_point_to (self, &point, x, y);

      update_current_page (self);
      update_render_requests (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }

  g_object_thaw_notify (G_OBJECT (self));
}

/* ------------------------------------------------------------------------------------------ */
/* Search                                                                                     */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  ScDocument   *document;
  char         *text;
  guint         serial;
  GMainContext *context;
} SearchData;

typedef struct
{
  GWeakRef  view;
  guint     serial;
  GArray   *hits;  /* SearchHit */
} SearchBatch;

static void
search_data_free (gpointer data)
{
  SearchData *search = data;

  g_clear_object (&search->document);
  g_free (search->text);
  g_main_context_unref (search->context);
  g_free (search);
}

static void
search_batch_free (gpointer data)
{
  SearchBatch *batch = data;

  g_weak_ref_clear (&batch->view);
  g_array_unref (batch->hits);
  g_free (batch);
}

static void
scroll_to_hit (SichtungDocumentView *self,
               const SearchHit      *hit)
{
  const PageGeometry *g = &self->pages[hit->page];
  double ppp, x, y, w, h, hvalue, vvalue;

  if (!has_layout (self))
    {
      self->pending_position = hit->page + (g->h_pt > 0 ? hit->rect.y / g->h_pt : 0);
      return;
    }

  ppp = g->w_pt > 0 ? g->w / g->w_pt : px_per_point (self);
  x = page_left (self, hit->page) + hit->rect.x * ppp;
  y = g->top + hit->rect.y * ppp;
  w = hit->rect.width * ppp;
  h = hit->rect.height * ppp;
  hvalue = gtk_adjustment_get_value (self->hadjustment);
  vvalue = gtk_adjustment_get_value (self->vadjustment);

  /* Only scroll when the hit is not fully visible; then put it a third down the view, where
   * the eye looks first, and centre it horizontally. */
  if (y < vvalue || y + h > vvalue + self->view_h)
    gtk_adjustment_set_value (self->vadjustment, y - self->view_h / 3.0);
  if (x < hvalue || x + w > hvalue + self->view_w)
    gtk_adjustment_set_value (self->hadjustment, x + w / 2 - self->view_w / 2.0);
}

static void
set_current_match (SichtungDocumentView *self,
                   int                   match)
{
  if (self->current_match == match)
    return;

  self->current_match = match;
  if (match >= 0)
    scroll_to_hit (self, &g_array_index (self->hits, SearchHit, match));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_MATCH]);
}

static gboolean
apply_search_batch (gpointer data)
{
  SearchBatch *batch = data;
  g_autoptr(SichtungDocumentView) self = g_weak_ref_get (&batch->view);

  if (self == NULL || batch->serial != self->search_serial)
    return G_SOURCE_REMOVE;

  g_array_append_vals (self->hits, batch->hits->data, batch->hits->len);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MATCHES]);
  if (self->current_match < 0 && self->hits->len > 0)
    set_current_match (self, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  return G_SOURCE_REMOVE;
}

static void
post_search_batch (GObject    *view,
                   SearchData *search,
                   GArray     *hits)
{
  SearchBatch *batch = g_new0 (SearchBatch, 1);
  GSource *source;

  /* The task holds a reference on @view, so it is alive while we take the weak ref. */
  g_weak_ref_init (&batch->view, view);
  batch->serial = search->serial;
  batch->hits = hits;

  /* The same priority as the task's own completion, so batches arrive before it. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, apply_search_batch, batch, search_batch_free);
  g_source_set_static_name (source, "[sichtung] search results");
  g_source_attach (source, search->context);
  g_source_unref (source);
}

/* Worker thread: searches page after page and sends hits home at most every 100 ms, so a
 * long document shows its first hit at once without flooding the main loop. */
static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SearchData *search = task_data;
  guint n_pages = sc_document_get_n_pages (search->document);
  GArray *pending = g_array_new (FALSE, FALSE, sizeof (SearchHit));
  gint64 last_post = 0;

  for (guint page = 0; page < n_pages; page++)
    {
      g_autoptr(GArray) rects = NULL;
      gint64 now;

      if (g_cancellable_is_cancelled (cancellable))
        break;

      rects = sc_document_find_text (search->document, page, search->text);
      for (guint i = 0; rects != NULL && i < rects->len; i++)
        {
          SearchHit hit = { page, g_array_index (rects, ScRect, i) };

          g_array_append_val (pending, hit);
        }

      now = g_get_monotonic_time ();
      if (pending->len > 0 && (last_post == 0 || now - last_post >= 100 * G_TIME_SPAN_MILLISECOND))
        {
          post_search_batch (source_object, search, pending);
          pending = g_array_new (FALSE, FALSE, sizeof (SearchHit));
          last_post = now;
        }
    }

  if (pending->len > 0 && !g_cancellable_is_cancelled (cancellable))
    post_search_batch (source_object, search, pending);
  else
    g_array_unref (pending);

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
}

static void
search_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  SichtungDocumentView *self = SICHTUNG_DOCUMENT_VIEW (object);
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  if (GPOINTER_TO_UINT (user_data) != self->search_serial)
    return;

  g_clear_object (&self->search_cancellable);
  if (self->search_active)
    {
      self->search_active = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_ACTIVE]);
    }
}

/* Stops a running search and forgets its results (not the text). */
static void
cancel_search (SichtungDocumentView *self)
{
  self->search_serial++;
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);

  if (self->hits->len > 0)
    {
      g_array_set_size (self->hits, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MATCHES]);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  if (self->current_match != -1)
    {
      self->current_match = -1;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_MATCH]);
    }
  if (self->search_active)
    {
      self->search_active = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_ACTIVE]);
    }
}

static void
start_search (SichtungDocumentView *self)
{
  g_autoptr(GTask) task = NULL;
  SearchData *search;

  g_assert (self->search_cancellable == NULL);

  if (self->document == NULL || self->search_text == NULL)
    return;

  search = g_new0 (SearchData, 1);
  search->document = g_object_ref (self->document);
  search->text = g_strdup (self->search_text);
  search->serial = self->search_serial;
  search->context = g_main_context_ref_thread_default ();

  self->search_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->search_cancellable, search_done_cb,
                     GUINT_TO_POINTER (search->serial));
  g_task_set_source_tag (task, start_search);
  g_task_set_priority (task, G_PRIORITY_DEFAULT);
  g_task_set_task_data (task, search, search_data_free);
  g_task_run_in_thread (task, search_thread);

  self->search_active = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_ACTIVE]);
}

/* First hit on @page, or hits->len. */
static guint
first_hit_on_page (SichtungDocumentView *self,
                   guint                 page)
{
  guint lo = 0, hi = self->hits->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->hits, SearchHit, mid).page < page)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* ------------------------------------------------------------------------------------------ */
/* Findings                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static void
clear_page_findings (SichtungDocumentView *self)
{
  if (self->page_findings == NULL)
    return;

  for (guint i = 0; i < self->n_pages; i++)
    g_clear_pointer (&self->page_findings[i], g_ptr_array_unref);
  g_clear_pointer (&self->page_findings, g_free);
}

/* The findings of each page, for drawing and hit tests; the model holds the items. */
static void
ensure_page_findings (SichtungDocumentView *self)
{
  guint n;

  if (self->page_findings != NULL || self->findings == NULL || self->n_pages == 0)
    return;

  self->page_findings = g_new0 (GPtrArray *, self->n_pages);
  n = g_list_model_get_n_items (self->findings);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SichtungFindingItem) item = g_list_model_get_item (self->findings, i);
      guint page = sichtung_finding_item_get_page (item);

      if (page >= self->n_pages)
        continue;
      if (self->page_findings[page] == NULL)
        self->page_findings[page] = g_ptr_array_new ();
      g_ptr_array_add (self->page_findings[page], item);
    }
}

static void
finding_decision_cb (SichtungDocumentView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
findings_items_changed_cb (SichtungDocumentView *self,
                           guint                 position,
                           guint                 removed,
                           guint                 added,
                           GListModel           *model)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(SichtungFindingItem) item = g_list_model_get_item (model, i);

      g_signal_connect_object (item, "notify::decision", G_CALLBACK (finding_decision_cb), self,
                               G_CONNECT_SWAPPED);
    }

  clear_page_findings (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static graphene_rect_t
finding_box_rect (SichtungDocumentView *self,
                  guint                 page,
                  const ScRect         *box,
                  double                x,
                  double                y)
{
  const PageGeometry *g = &self->pages[page];
  double ppp = g->w_pt > 0 ? g->w / g->w_pt : px_per_point (self);

  return GRAPHENE_RECT_INIT (x + box->x * ppp, y + box->y * ppp,
                             box->width * ppp, box->height * ppp);
}

/* Draws the findings of @page, whose top-left corner is at @x, @y; one cairo node over the
 * page, as dashes and tags need cairo. */
static void
snapshot_page_findings (SichtungDocumentView *self,
                        GtkSnapshot          *snapshot,
                        guint                 page,
                        double                x,
                        double                y)
{
  const PageGeometry *g = &self->pages[page];
  PangoContext *context;
  GPtrArray *items;
  cairo_t *cr;

  ensure_page_findings (self);
  if (self->page_findings == NULL || (items = self->page_findings[page]) == NULL)
    return;

  context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  /* Tags sit above the first line of a finding: leave room for them at the top edge. */
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (x - 8, y - 16,
                                                                 g->w + 16, g->h + 24));

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < items->len; i++)
      {
        SichtungFindingItem *item = g_ptr_array_index (items, i);
        ScPageFinding *finding = sichtung_finding_item_get_page_finding (item);
        ScFindingCategory category = sichtung_finding_item_get_category (item);
        SichtungDecision decision = sichtung_finding_item_get_decision (item);
        gboolean selected = item == self->selected_finding;

        if (finding->boxes == NULL)
          continue;

        /* Marks first, then the tags over them, so no mark hides a tag. */
        for (guint b = 0; b < finding->boxes->len; b++)
          {
            graphene_rect_t rect = finding_box_rect (self, page,
                                                     &g_array_index (finding->boxes, ScRect, b),
                                                     x, y);

            if (pass == 0)
              sichtung_finding_style_draw_mark (cr, &rect, category, decision, selected);
            else if (b == 0)
              sichtung_finding_style_draw_tag (cr, context, &rect, category, decision);
          }
      }

  cairo_destroy (cr);
}

/* The finding under view coordinates @x, @y; the smallest, when findings nest. */
static SichtungFindingItem *
finding_at (SichtungDocumentView *self,
            double                x,
            double                y)
{
  double hvalue, vvalue, best_area = G_MAXDOUBLE;
  SichtungFindingItem *best = NULL;
  graphene_point_t point = GRAPHENE_POINT_INIT (x, y);
  GPtrArray *items;
  guint page;

  if (!has_layout (self))
    return NULL;
  ensure_page_findings (self);
  if (self->page_findings == NULL)
    return NULL;

  hvalue = snap_to_device (self, gtk_adjustment_get_value (self->hadjustment));
  vvalue = snap_to_device (self, gtk_adjustment_get_value (self->vadjustment));
  page = page_at_y (self, vvalue + y);
  items = self->page_findings[page];
  if (items == NULL)
    return NULL;

  for (guint i = 0; i < items->len; i++)
    {
      SichtungFindingItem *item = g_ptr_array_index (items, i);
      ScPageFinding *finding = sichtung_finding_item_get_page_finding (item);

      for (guint b = 0; finding->boxes != NULL && b < finding->boxes->len; b++)
        {
          graphene_rect_t rect = finding_box_rect (self, page,
                                                   &g_array_index (finding->boxes, ScRect, b),
                                                   page_left (self, page) - hvalue,
                                                   self->pages[page].top - vvalue);
          double area = rect.size.width * rect.size.height;

          /* A little slack around thin boxes. */
          graphene_rect_inset (&rect, -2, -2);
          if (graphene_rect_contains_point (&rect, &point) && area < best_area)
            {
              best = item;
              best_area = area;
            }
        }
    }

  return best;
}

static gboolean
query_tooltip_cb (GtkWidget            *widget,
                  int                   x,
                  int                   y,
                  gboolean              keyboard_mode,
                  GtkTooltip           *tooltip,
                  SichtungDocumentView *self)
{
  SichtungFindingItem *item;
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;

  if (keyboard_mode)
    item = self->selected_finding;
  else
    item = finding_at (self, x, y);
  if (item == NULL)
    return FALSE;

  escaped = g_markup_escape_text (sichtung_finding_item_get_display_text (item), -1);
  /* Translators: the tooltip of a finding on the page: category, text, confidence and
   * decision, e.g. “Person: Erika Mustermann\n92 % · Open”. */
  text = g_strdup_printf (_("<b>%s</b>: %s\n%d %% · %s"),
                          sichtung_finding_item_get_category_name (item), escaped,
                          (int) (sichtung_finding_item_get_confidence (item) * 100 + 0.5),
                          sichtung_finding_item_get_status_name (item));
  gtk_tooltip_set_markup (tooltip, text);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Cache and input callbacks                                                                  */
/* ------------------------------------------------------------------------------------------ */

static void
cache_page_rendered_cb (SichtungPageCache    *cache,
                        guint                 page,
                        double                scale,
                        SichtungDocumentView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));

  if (page < self->n_pages && fabs (scale - page_render_scale (self, page)) < 1e-9 * scale)
    g_signal_emit (self, signals[PAGE_RENDERED], 0, page);
}

static void
cache_n_pending_cb (SichtungPageCache    *cache,
                    GParamSpec           *pspec,
                    SichtungDocumentView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_RENDERS]);
}

static void
scale_factor_changed_cb (SichtungDocumentView *self,
                         GParamSpec           *pspec,
                         gpointer              user_data)
{
  double position = sichtung_document_view_get_position (self);

  relayout (self);
  configure_adjustments (self);
  if (has_layout (self))
    scroll_to_position (self, position);
  update_render_requests (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           SichtungDocumentView     *self)
{
  self->has_pointer = TRUE;
  self->pointer_x = x;
  self->pointer_y = y;
}

static void
leave_cb (GtkEventControllerMotion *controller,
          SichtungDocumentView     *self)
{
  self->has_pointer = FALSE;
}

/* Ctrl+scroll zooms around the pointer; plain scrolling is left to the GtkScrolledWindow. */
static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           SichtungDocumentView     *self)
{
  GdkModifierType state;
  double factor, x, y;

  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  if ((state & GDK_CONTROL_MASK) == 0 || self->n_pages == 0 || dy == 0)
    return GDK_EVENT_PROPAGATE;

  if (gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL)
    factor = pow (1.2, -dy);
  else
    factor = exp (-dy * 0.01);

  x = self->has_pointer ? self->pointer_x : self->view_w / 2.0;
  y = self->has_pointer ? self->pointer_y : self->view_h / 2.0;
  change_zoom (self, self->zoom * factor, SICHTUNG_ZOOM_MODE_FREE, NULL, x, y);

  return GDK_EVENT_STOP;
}

static void
zoom_gesture_begin_cb (GtkGesture           *gesture,
                       GdkEventSequence     *sequence,
                       SichtungDocumentView *self)
{
  double x, y;

  self->gesture_start_zoom = self->zoom;
  self->has_gesture_anchor = has_layout (self)
                             && gtk_gesture_get_bounding_box_center (gesture, &x, &y);
  if (self->has_gesture_anchor)
    self->gesture_anchor = doc_point_at (self, x, y);
}

/* Pinch: the document point that was under the fingers at the start stays under them. */
static void
zoom_gesture_scale_changed_cb (GtkGestureZoom       *gesture,
                               double                scale,
                               SichtungDocumentView *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    {
      x = self->view_w / 2.0;
      y = self->view_h / 2.0;
    }
  change_zoom (self, self->gesture_start_zoom * scale, SICHTUNG_ZOOM_MODE_FREE,
               self->has_gesture_anchor ? &self->gesture_anchor : NULL, x, y);
}

static void
click_pressed_cb (GtkGestureClick      *gesture,
                  int                   n_press,
                  double                x,
                  double                y,
                  SichtungDocumentView *self)
{
  SichtungFindingItem *item = finding_at (self, x, y);

  gtk_widget_grab_focus (GTK_WIDGET (self));

  if (item != NULL && n_press == 1)
    {
      g_autoptr(SichtungFindingItem) activated = g_object_ref (item);

      sichtung_document_view_set_selected_finding (self, activated);
      g_signal_emit (self, signals[FINDING_ACTIVATED], 0, activated);
    }
}

/* Key bindings: args are (GtkScrollType, horizontal). */
static gboolean
scroll_binding_cb (GtkWidget *widget,
                   GVariant  *args,
                   gpointer   user_data)
{
  SichtungDocumentView *self = SICHTUNG_DOCUMENT_VIEW (widget);
  GtkAdjustment *adjustment;
  gboolean horizontal;
  int type;
  double value;

  if (self->n_pages == 0)
    return FALSE;

  g_variant_get (args, "(ib)", &type, &horizontal);
  adjustment = horizontal ? self->hadjustment : self->vadjustment;
  value = gtk_adjustment_get_value (adjustment);

  switch (type)
    {
    case GTK_SCROLL_STEP_BACKWARD:
      value -= gtk_adjustment_get_step_increment (adjustment);
      break;
    case GTK_SCROLL_STEP_FORWARD:
      value += gtk_adjustment_get_step_increment (adjustment);
      break;
    case GTK_SCROLL_PAGE_BACKWARD:
      value -= gtk_adjustment_get_page_increment (adjustment);
      break;
    case GTK_SCROLL_PAGE_FORWARD:
      value += gtk_adjustment_get_page_increment (adjustment);
      break;
    case GTK_SCROLL_START:
      value = gtk_adjustment_get_lower (adjustment);
      break;
    case GTK_SCROLL_END:
      value = gtk_adjustment_get_upper (adjustment);
      break;
    default:
      g_assert_not_reached ();
    }

  gtk_adjustment_set_value (adjustment, value);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* GtkWidget                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static void
sichtung_document_view_measure (GtkWidget      *widget,
                                GtkOrientation  orientation,
                                int             for_size,
                                int            *minimum,
                                int            *natural,
                                int            *minimum_baseline,
                                int            *natural_baseline)
{
  SichtungDocumentView *self = SICHTUNG_DOCUMENT_VIEW (widget);

  *minimum = 0;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = self->zoom_mode == SICHTUNG_ZOOM_MODE_FREE ? (int) ceil (self->content_w) : 0;
  else if (for_size >= 0 && self->zoom_mode != SICHTUNG_ZOOM_MODE_FREE)
    /* In a fit mode the height follows the width: the scrolled window decides on its scrollbar
     * from this, so it must be the height the allocation at @for_size will lay out. Otherwise
     * the adjustments configured in size_allocate() would turn the scrollbar on or off and
     * queue a resize in the middle of the frame's layout. */
    *natural = (int) ceil (content_height_at (self, fit_zoom_for (self, self->zoom_mode, for_size,
                                                                  self->view_h)));
  else
    *natural = (int) ceil (self->content_h);
}

static GtkSizeRequestMode
sichtung_document_view_get_request_mode (GtkWidget *widget)
{
  SichtungDocumentView *self = SICHTUNG_DOCUMENT_VIEW (widget);

  return self->zoom_mode == SICHTUNG_ZOOM_MODE_FREE ? GTK_SIZE_REQUEST_CONSTANT_SIZE
                                                    : GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static gboolean
thaw_notify_cb (gpointer data)
{
  SichtungDocumentView *self = data;

  self->thaw_notify_id = 0;
  g_object_thaw_notify (G_OBJECT (self));
  return G_SOURCE_REMOVE;
}

static void
sichtung_document_view_size_allocate (GtkWidget *widget,
                                      int        width,
                                      int        height,
                                      int        baseline)
{
  SichtungDocumentView *self = SICHTUNG_DOCUMENT_VIEW (widget);
  gboolean resized = !self->allocated || width != self->view_w || height != self->view_h;
  gboolean keep_anchor = resized && has_layout (self);
  double old_w = self->view_w;
  DocPoint anchor = { 0 };

  /* On a resize the point at the top centre stays put, so the reader keeps their place. */
  if (keep_anchor)
    anchor = doc_point_at (self, old_w / 2, 0);

  /* Fit modes change "zoom" here, and scrolling changes "current-page" and "position". A
   * handler that relabels a toolbar would queue a resize of widgets GTK has already allocated
   * in this frame, so the notifications wait until the frame is done: an idle added while the
   * frame is drawn runs right after it, and before the next one (a lower priority than the
   * frame clock's would wait for as long as an animation keeps drawing on a slow machine). */
  if (self->thaw_notify_id == 0)
    {
      g_object_freeze_notify (G_OBJECT (self));
      self->thaw_notify_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, thaw_notify_cb, self, NULL);
      g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->thaw_notify_id),
                                "[sichtung] view notify");
    }

  self->view_w = width;
  self->view_h = height;
  self->allocated = TRUE;

  if (self->zoom_mode != SICHTUNG_ZOOM_MODE_FREE && self->n_pages > 0)
    {
      double zoom = compute_fit_zoom (self, self->zoom_mode);

      if (zoom != self->zoom)
        {
          self->zoom = zoom;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
        }
    }

  relayout (self);
  configure_adjustments (self);

  if (self->pending_position >= 0 && self->n_pages > 0)
    {
      scroll_to_position (self, self->pending_position);
      self->pending_position = -1;
    }
  else if (keep_anchor)
    scroll_doc_point_to (self, &anchor, width / 2.0, 0);

  update_current_page (self);
  update_render_requests (self);
}

static void
append_outline (GtkSnapshot           *snapshot,
                const graphene_rect_t *rect,
                float                  width,
                const GdkRGBA         *color)
{
  GskRoundedRect outline;
  const float widths[4] = { width, width, width, width };
  const GdkRGBA colors[4] = { *color, *color, *color, *color };

  gsk_rounded_rect_init_from_rect (&outline,
                                   &GRAPHENE_RECT_INIT (rect->origin.x - width,
                                                        rect->origin.y - width,
                                                        rect->size.width + 2 * width,
                                                        rect->size.height + 2 * width),
                                   0);
  gtk_snapshot_append_border (snapshot, &outline, widths, colors);
}

/* The passage a citation points to: a blue tint with an outline, so colour is not the only
 * cue and findings under it stay readable. */
static void
snapshot_page_passage (SichtungDocumentView *self,
                       GtkSnapshot          *snapshot,
                       guint                 page,
                       double                x,
                       double                y)
{
  static const GdkRGBA fill = { 0.21, 0.52, 0.89, 0.18 };
  static const GdkRGBA edge = { 0.11, 0.36, 0.75, 0.9 };
  const PageGeometry *g = &self->pages[page];
  double ppp;

  if (self->passage_boxes == NULL || page != self->passage_page)
    return;

  ppp = g->w_pt > 0 ? g->w / g->w_pt : px_per_point (self);
  for (guint i = 0; i < self->passage_boxes->len; i++)
    {
      const ScRect *box = &g_array_index (self->passage_boxes, ScRect, i);
      graphene_rect_t rect = GRAPHENE_RECT_INIT (x + box->x * ppp, y + box->y * ppp,
                                                 box->width * ppp, box->height * ppp);

      gtk_snapshot_append_color (snapshot, &fill, &rect);
      append_outline (snapshot, &rect, 1, &edge);
    }
}

/* The reason a page cannot be shown, written on the blank page, so it is not taken for an
 * empty one. */
static void
snapshot_page_failure (SichtungDocumentView  *self,
                       GtkSnapshot           *snapshot,
                       const graphene_rect_t *rect,
                       const char            *message)
{
  static const GdkRGBA ink = { 0.75, 0.11, 0.16, 1.0 };
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), message);
  double margin = MIN (rect->size.width, rect->size.height) * 0.1;
  int width, height;

  if (rect->size.width <= 2 * margin)
    return;
  pango_layout_set_width (layout, (int) ((rect->size.width - 2 * margin) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (rect->origin.x + margin,
                                                rect->origin.y + MAX (margin,
                                                                      (rect->size.height - height)
                                                                      / 2)));
  gtk_snapshot_append_layout (snapshot, layout, &ink);
  gtk_snapshot_restore (snapshot);
}

static void
snapshot_page (SichtungDocumentView *self,
               GtkSnapshot          *snapshot,
               guint                 page,
               double                x,
               double                y)
{
  /* Pages are paper: white whatever the theme, with a soft shadow and a hairline edge that
   * still shows on a light background. */
  static const GdkRGBA white = { 1, 1, 1, 1 };
  static const GdkRGBA shadow = { 0, 0, 0, 0.25 };
  static const GdkRGBA edge = { 0, 0, 0, 0.12 };
  static const GdkRGBA hit_fill = { 1.0, 0.86, 0.0, 0.35 };
  static const GdkRGBA current_fill = { 1.0, 0.55, 0.0, 0.45 };
  static const GdkRGBA current_edge = { 0.75, 0.3, 0.0, 1.0 };
  const PageGeometry *g = &self->pages[page];
  graphene_rect_t rect = GRAPHENE_RECT_INIT (x, y, g->w, g->h);
  GskRoundedRect outline;
  GdkTexture *texture;
  double ppp;

  gsk_rounded_rect_init_from_rect (&outline, &rect, 0);
  gtk_snapshot_append_outset_shadow (snapshot, &outline, &shadow, 0, 1, 0, 4);
  append_outline (snapshot, &rect, 1, &edge);
  gtk_snapshot_append_color (snapshot, &white, &rect);

  /* The exact texture, or one from another zoom stretched over the page until it arrives. */
  texture = sichtung_page_cache_lookup_best (self->cache, page, page_render_scale (self, page));
  if (texture != NULL)
    gtk_snapshot_append_texture (snapshot, texture, &rect);
  else if (sichtung_page_cache_get_failure (self->cache, page) != NULL)
    snapshot_page_failure (self, snapshot, &rect,
                           sichtung_page_cache_get_failure (self->cache, page));

  _sichtung_view_changes_snapshot (self, snapshot, page, x, y,
                                   g->w_pt > 0 ? g->w / g->w_pt : px_per_point (self));
  snapshot_page_findings (self, snapshot, page, x, y);
  snapshot_page_passage (self, snapshot, page, x, y);
  _sichtung_view_box_snapshot (self->box, snapshot, page, x, y,
                               g->w_pt > 0 ? g->w / g->w_pt : px_per_point (self));

  if (self->hits->len == 0)
    return;

  ppp = g->w_pt > 0 ? g->w / g->w_pt : px_per_point (self);
  for (guint i = first_hit_on_page (self, page); i < self->hits->len; i++)
    {
      const SearchHit *hit = &g_array_index (self->hits, SearchHit, i);
      graphene_rect_t hit_rect;

      if (hit->page != page)
        break;

      hit_rect = GRAPHENE_RECT_INIT (x + hit->rect.x * ppp, y + hit->rect.y * ppp,
                                     hit->rect.width * ppp, hit->rect.height * ppp);
      if ((int) i == self->current_match)
        {
          /* Colour is not the only cue: the current hit also has an outline. */
          gtk_snapshot_append_color (snapshot, &current_fill, &hit_rect);
          append_outline (snapshot, &hit_rect, 2, &current_edge);
        }
      else
        gtk_snapshot_append_color (snapshot, &hit_fill, &hit_rect);
    }
}

static void
sichtung_document_view_snapshot (GtkWidget   *widget,
                                 GtkSnapshot *snapshot)
{
  SichtungDocumentView *self = SICHTUNG_DOCUMENT_VIEW (widget);
  double hvalue, vvalue;
  int height = gtk_widget_get_height (widget);

  if (!has_layout (self))
    return;

  /* Whole device pixels, so textures are not resampled while scrolling smoothly. */
  hvalue = snap_to_device (self, gtk_adjustment_get_value (self->hadjustment));
  vvalue = snap_to_device (self, gtk_adjustment_get_value (self->vadjustment));

  for (guint page = page_at_y (self, vvalue);
       page < self->n_pages && self->pages[page].top < vvalue + height;
       page++)
    snapshot_page (self, snapshot, page, page_left (self, page) - hvalue,
                   self->pages[page].top - vvalue);
}

/* ------------------------------------------------------------------------------------------ */
/* GtkScrollable                                                                              */
/* ------------------------------------------------------------------------------------------ */

/* Returns TRUE when the adjustment changed. NULL installs a fresh one. */
static gboolean
set_adjustment (SichtungDocumentView  *self,
                GtkAdjustment        **slot,
                GtkAdjustment         *adjustment)
{
  if (adjustment != NULL && *slot == adjustment)
    return FALSE;

  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);

  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_func (*slot, adjustment_value_changed_cb, self);
      g_object_unref (*slot);
    }
  *slot = g_object_ref_sink (adjustment);
  g_signal_connect (adjustment, "value-changed", G_CALLBACK (adjustment_value_changed_cb), self);

  configure_adjustments (self);
  return TRUE;
}

static void
sichtung_document_view_scrollable_init (GtkScrollableInterface *iface)
{
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void
sichtung_document_view_dispose (GObject *object)
{
  SichtungDocumentView *self = SICHTUNG_DOCUMENT_VIEW (object);

  /* Still frozen then; finalize drops the queued notifications without emitting them. */
  g_clear_handle_id (&self->thaw_notify_id, g_source_remove);

  /* Late search batches and renders then find nothing to update. */
  self->search_serial++;
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);

  if (self->cache != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->cache, self);
      g_clear_object (&self->cache);
    }
  g_clear_object (&self->document);
  if (self->findings != NULL)
    g_signal_handlers_disconnect_by_data (self->findings, self);
  clear_page_findings (self);
  g_clear_object (&self->findings);
  g_clear_object (&self->selected_finding);
  g_clear_pointer (&self->box, _sichtung_view_box_free);

  if (self->hadjustment != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->hadjustment, adjustment_value_changed_cb, self);
      g_clear_object (&self->hadjustment);
    }
  if (self->vadjustment != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->vadjustment, adjustment_value_changed_cb, self);
      g_clear_object (&self->vadjustment);
    }

  G_OBJECT_CLASS (sichtung_document_view_parent_class)->dispose (object);
}

static void
sichtung_document_view_finalize (GObject *object)
{
  SichtungDocumentView *self = SICHTUNG_DOCUMENT_VIEW (object);

  g_clear_pointer (&self->pages, g_free);
  g_clear_pointer (&self->hits, g_array_unref);
  g_clear_pointer (&self->search_text, g_free);
  g_clear_pointer (&self->passage_boxes, g_array_unref);

  G_OBJECT_CLASS (sichtung_document_view_parent_class)->finalize (object);
}

static void
sichtung_document_view_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SichtungDocumentView *self = SICHTUNG_DOCUMENT_VIEW (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_ZOOM_MODE:
      g_value_set_enum (value, self->zoom_mode);
      break;
    case PROP_CURRENT_PAGE:
      g_value_set_uint (value, self->current_page);
      break;
    case PROP_POSITION:
      g_value_set_double (value, sichtung_document_view_get_position (self));
      break;
    case PROP_N_MATCHES:
      g_value_set_uint (value, self->hits->len);
      break;
    case PROP_CURRENT_MATCH:
      g_value_set_int (value, self->current_match);
      break;
    case PROP_SEARCH_ACTIVE:
      g_value_set_boolean (value, self->search_active);
      break;
    case PROP_PENDING_RENDERS:
      g_value_set_uint (value, sichtung_document_view_get_pending_renders (self));
      break;
    case PROP_BOX_MODE:
      g_value_set_boolean (value, self->box_mode);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_document_view_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  SichtungDocumentView *self = SICHTUNG_DOCUMENT_VIEW (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      sichtung_document_view_set_document (self, g_value_get_object (value));
      break;
    case PROP_ZOOM:
      sichtung_document_view_set_zoom (self, g_value_get_double (value));
      break;
    case PROP_ZOOM_MODE:
      sichtung_document_view_set_zoom_mode (self, g_value_get_enum (value));
      break;
    case PROP_CURRENT_PAGE:
      sichtung_document_view_go_to_page (self, g_value_get_uint (value));
      break;
    case PROP_POSITION:
      sichtung_document_view_set_position (self, g_value_get_double (value));
      break;
    case PROP_BOX_MODE:
      sichtung_document_view_set_box_mode (self, g_value_get_boolean (value));
      break;
    case PROP_HADJUSTMENT:
      if (set_adjustment (self, &self->hadjustment, g_value_get_object (value)))
        g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_VADJUSTMENT:
      if (set_adjustment (self, &self->vadjustment, g_value_get_object (value)))
        g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_HSCROLL_POLICY:
      if (self->hscroll_policy != (GtkScrollablePolicy) g_value_get_enum (value))
        {
          self->hscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_VSCROLL_POLICY:
      if (self->vscroll_policy != (GtkScrollablePolicy) g_value_get_enum (value))
        {
          self->vscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
add_scroll_binding (GtkWidgetClass  *widget_class,
                    guint            keyval,
                    GdkModifierType  mods,
                    GtkScrollType    type,
                    gboolean         horizontal)
{
  gtk_widget_class_add_binding (widget_class, keyval, mods, scroll_binding_cb,
                                "(ib)", (int) type, horizontal);
}

static void
sichtung_document_view_class_init (SichtungDocumentViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sichtung_document_view_dispose;
  object_class->finalize = sichtung_document_view_finalize;
  object_class->get_property = sichtung_document_view_get_property;
  object_class->set_property = sichtung_document_view_set_property;

  widget_class->measure = sichtung_document_view_measure;
  widget_class->get_request_mode = sichtung_document_view_get_request_mode;
  widget_class->size_allocate = sichtung_document_view_size_allocate;
  widget_class->snapshot = sichtung_document_view_snapshot;

  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL,
                         SC_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         SICHTUNG_DOCUMENT_VIEW_MIN_ZOOM, SICHTUNG_DOCUMENT_VIEW_MAX_ZOOM, 1.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ZOOM_MODE] =
    g_param_spec_enum ("zoom-mode", NULL, NULL,
                       SICHTUNG_TYPE_ZOOM_MODE, SICHTUNG_ZOOM_MODE_FIT_WIDTH,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CURRENT_PAGE] =
    g_param_spec_uint ("current-page", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_POSITION] =
    g_param_spec_double ("position", NULL, NULL,
                         0, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_MATCHES] =
    g_param_spec_uint ("n-matches", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CURRENT_MATCH] =
    g_param_spec_int ("current-match", NULL, NULL,
                      -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SEARCH_ACTIVE] =
    g_param_spec_boolean ("search-active", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PENDING_RENDERS] =
    g_param_spec_uint ("pending-renders", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BOX_MODE] =
    g_param_spec_boolean ("box-mode", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  /* Emitted when @page has been rendered at the current zoom and can be drawn sharp. */
  signals[PAGE_RENDERED] =
    g_signal_new ("page-rendered",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  /* Emitted when a finding on a page is clicked. */
  signals[FINDING_ACTIVATED] =
    g_signal_new ("finding-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, SICHTUNG_TYPE_FINDING_ITEM);

  /* Emitted when a box has been drawn on a page: page, then x, y, width and height in
   * points (origin top-left). */
  signals[BOX_DRAWN] =
    g_signal_new ("box-drawn",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 5, G_TYPE_UINT, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_DOUBLE,
                  G_TYPE_DOUBLE);

  add_scroll_binding (widget_class, GDK_KEY_Up, 0, GTK_SCROLL_STEP_BACKWARD, FALSE);
  add_scroll_binding (widget_class, GDK_KEY_KP_Up, 0, GTK_SCROLL_STEP_BACKWARD, FALSE);
  add_scroll_binding (widget_class, GDK_KEY_Down, 0, GTK_SCROLL_STEP_FORWARD, FALSE);
  add_scroll_binding (widget_class, GDK_KEY_KP_Down, 0, GTK_SCROLL_STEP_FORWARD, FALSE);
  add_scroll_binding (widget_class, GDK_KEY_Left, 0, GTK_SCROLL_STEP_BACKWARD, TRUE);
  add_scroll_binding (widget_class, GDK_KEY_KP_Left, 0, GTK_SCROLL_STEP_BACKWARD, TRUE);
  add_scroll_binding (widget_class, GDK_KEY_Right, 0, GTK_SCROLL_STEP_FORWARD, TRUE);
  add_scroll_binding (widget_class, GDK_KEY_KP_Right, 0, GTK_SCROLL_STEP_FORWARD, TRUE);
  add_scroll_binding (widget_class, GDK_KEY_Page_Up, 0, GTK_SCROLL_PAGE_BACKWARD, FALSE);
  add_scroll_binding (widget_class, GDK_KEY_KP_Page_Up, 0, GTK_SCROLL_PAGE_BACKWARD, FALSE);
  add_scroll_binding (widget_class, GDK_KEY_Page_Down, 0, GTK_SCROLL_PAGE_FORWARD, FALSE);
  add_scroll_binding (widget_class, GDK_KEY_KP_Page_Down, 0, GTK_SCROLL_PAGE_FORWARD, FALSE);
  add_scroll_binding (widget_class, GDK_KEY_space, 0, GTK_SCROLL_PAGE_FORWARD, FALSE);
  add_scroll_binding (widget_class, GDK_KEY_space, GDK_SHIFT_MASK, GTK_SCROLL_PAGE_BACKWARD,
                      FALSE);
  add_scroll_binding (widget_class, GDK_KEY_Home, 0, GTK_SCROLL_START, FALSE);
  add_scroll_binding (widget_class, GDK_KEY_KP_Home, 0, GTK_SCROLL_START, FALSE);
  add_scroll_binding (widget_class, GDK_KEY_Home, GDK_CONTROL_MASK, GTK_SCROLL_START, FALSE);
  add_scroll_binding (widget_class, GDK_KEY_End, 0, GTK_SCROLL_END, FALSE);
  add_scroll_binding (widget_class, GDK_KEY_KP_End, 0, GTK_SCROLL_END, FALSE);
  add_scroll_binding (widget_class, GDK_KEY_End, GDK_CONTROL_MASK, GTK_SCROLL_END, FALSE);

  gtk_widget_class_set_css_name (widget_class, "documentview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_DOCUMENT);
}

static void
sichtung_document_view_init (SichtungDocumentView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *controller;
  GtkGesture *gesture;

  self->zoom = 1.0;
  self->zoom_mode = SICHTUNG_ZOOM_MODE_FIT_WIDTH;
  /* The natural size is the laid-out pages: the scrolled window shows a scrollbar when they
   * do not fit (the minimum is zero, so a minimum policy would never show one up front). */
  self->hscroll_policy = GTK_SCROLL_NATURAL;
  self->vscroll_policy = GTK_SCROLL_NATURAL;
  self->pending_position = -1;
  self->current_match = -1;
  self->hits = g_array_new (FALSE, FALSE, sizeof (SearchHit));
  /* The marks are drawn thicker with the high-contrast style. */
  g_signal_connect_object (adw_style_manager_get_default (), "notify::high-contrast",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);

  set_adjustment (self, &self->hadjustment, NULL);
  set_adjustment (self, &self->vadjustment, NULL);

  self->cache = sichtung_page_cache_new (SICHTUNG_PAGE_CACHE_DEFAULT_MAX_BYTES);
  g_signal_connect (self->cache, "page-rendered", G_CALLBACK (cache_page_rendered_cb), self);
  g_signal_connect (self->cache, "notify::n-pending", G_CALLBACK (cache_n_pending_cb), self);

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (scale_factor_changed_cb), NULL);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (widget, controller);

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (zoom_gesture_begin_cb), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (zoom_gesture_scale_changed_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  g_signal_connect (gesture, "pressed", G_CALLBACK (click_pressed_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gtk_widget_set_has_tooltip (widget, TRUE);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);

  /* Its drag gesture runs in the capture phase: a box drawn is no click on a finding. */
  self->box = _sichtung_view_box_new (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */
/* ------------------------------------------------------------------------------------------ */

GtkWidget *
sichtung_document_view_new (void)
{
  return g_object_new (SICHTUNG_TYPE_DOCUMENT_VIEW, NULL);
}

ScDocument *
sichtung_document_view_get_document (SichtungDocumentView *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self), NULL);

  return self->document;
}

void
sichtung_document_view_set_document (SichtungDocumentView *self,
                                     ScDocument           *document)
{
  double zoom;

  g_return_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self));
  g_return_if_fail (document == NULL || SC_IS_DOCUMENT (document));

  if (self->document == document)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  cancel_search (self);
  g_clear_pointer (&self->search_text, g_free);

  clear_page_findings (self);
  g_clear_pointer (&self->passage_boxes, g_array_unref);
  g_set_object (&self->document, document);
  sichtung_page_cache_set_document (self->cache, document);

  g_clear_pointer (&self->pages, g_free);
  self->n_pages = document != NULL ? sc_document_get_n_pages (document) : 0;
  self->pages = g_new0 (PageGeometry, self->n_pages);
  self->max_w_pt = self->max_h_pt = 0;
  for (guint i = 0; i < self->n_pages; i++)
    {
      PageGeometry *g = &self->pages[i];

      sc_document_get_page_size (document, i, &g->w_pt, &g->h_pt);
      self->max_w_pt = MAX (self->max_w_pt, g->w_pt);
      self->max_h_pt = MAX (self->max_h_pt, g->h_pt);
    }

  if (self->zoom_mode != SICHTUNG_ZOOM_MODE_FIT_WIDTH)
    {
      self->zoom_mode = SICHTUNG_ZOOM_MODE_FIT_WIDTH;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_MODE]);
    }
  zoom = compute_fit_zoom (self, self->zoom_mode);
  if (zoom != self->zoom)
    {
      self->zoom = zoom;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }

  relayout (self);
  configure_adjustments (self);
  gtk_adjustment_set_value (self->hadjustment, 0);
  gtk_adjustment_set_value (self->vadjustment, 0);
  self->pending_position = self->allocated ? -1 : 0;

  self->current_page = G_MAXUINT;
  set_current_page (self, 0);
  update_render_requests (self);

  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);

  g_object_thaw_notify (G_OBJECT (self));
}

double
sichtung_document_view_get_zoom (SichtungDocumentView *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self), 1.0);

  return self->zoom;
}

static void
change_zoom_at_centre (SichtungDocumentView *self,
                       double                zoom,
                       SichtungZoomMode      mode)
{
  change_zoom (self, zoom, mode, NULL, self->view_w / 2.0, self->view_h / 2.0);
}

void
sichtung_document_view_set_zoom (SichtungDocumentView *self,
                                 double                zoom)
{
  g_return_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self));
  g_return_if_fail (!isnan (zoom));

  change_zoom_at_centre (self, zoom, SICHTUNG_ZOOM_MODE_FREE);
}

SichtungZoomMode
sichtung_document_view_get_zoom_mode (SichtungDocumentView *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self), SICHTUNG_ZOOM_MODE_FREE);

  return self->zoom_mode;
}

void
sichtung_document_view_set_zoom_mode (SichtungDocumentView *self,
                                      SichtungZoomMode      mode)
{
  g_return_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self));
  g_return_if_fail (mode <= SICHTUNG_ZOOM_MODE_FIT_PAGE);

  if (self->zoom_mode == mode)
    return;

  /* Fitting keeps the top of the view where it is, like a resize does. */
  change_zoom (self, compute_fit_zoom (self, mode), mode, NULL, self->view_w / 2.0, 0);
}

void
sichtung_document_view_zoom_in (SichtungDocumentView *self)
{
  double zoom = SICHTUNG_DOCUMENT_VIEW_MAX_ZOOM;

  g_return_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self));

  for (guint i = 0; i < G_N_ELEMENTS (zoom_ladder); i++)
    if (zoom_ladder[i] > self->zoom * 1.001)
      {
        zoom = zoom_ladder[i];
        break;
      }

  change_zoom_at_centre (self, zoom, SICHTUNG_ZOOM_MODE_FREE);
}

void
sichtung_document_view_zoom_out (SichtungDocumentView *self)
{
  double zoom = SICHTUNG_DOCUMENT_VIEW_MIN_ZOOM;

  g_return_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self));

  for (guint i = G_N_ELEMENTS (zoom_ladder); i > 0; i--)
    if (zoom_ladder[i - 1] < self->zoom / 1.001)
      {
        zoom = zoom_ladder[i - 1];
        break;
      }

  change_zoom_at_centre (self, zoom, SICHTUNG_ZOOM_MODE_FREE);
}

guint
sichtung_document_view_get_current_page (SichtungDocumentView *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self), 0);

  return self->current_page;
}

void
sichtung_document_view_go_to_page (SichtungDocumentView *self,
                                   guint                 page)
{
  g_return_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self));

  if (self->n_pages == 0)
    return;

  page = MIN (page, self->n_pages - 1);
  g_object_freeze_notify (G_OBJECT (self));
  if (has_layout (self))
    scroll_to_position (self, page);
  else
    {
      self->pending_position = page;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
    }
  /* Near the end the view may not scroll that far; the page asked for is current anyway. */
  set_current_page (self, page);
  g_object_thaw_notify (G_OBJECT (self));
}

double
sichtung_document_view_get_position (SichtungDocumentView *self)
{
  double value;
  guint page;

  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self), 0);

  if (!has_layout (self))
    return MAX (self->pending_position, 0);

  value = gtk_adjustment_get_value (self->vadjustment);
  page = page_at_y (self, value);
  return page + CLAMP ((value - band_start (self, page))
                       / (band_end (self, page) - band_start (self, page)), 0, 1);
}

void
sichtung_document_view_set_position (SichtungDocumentView *self,
                                     double                position)
{
  g_return_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self));

  position = MAX (position, 0);
  if (fabs (position - sichtung_document_view_get_position (self)) < 1e-9)
    return;

  if (has_layout (self))
    scroll_to_position (self, position);
  else
    {
      self->pending_position = position;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
    }
}

void
sichtung_document_view_search (SichtungDocumentView *self,
                               const char           *text)
{
  g_return_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self));

  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (text, self->search_text) == 0)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  cancel_search (self);
  g_free (self->search_text);
  self->search_text = g_strdup (text);
  start_search (self);
  g_object_thaw_notify (G_OBJECT (self));
}

guint
sichtung_document_view_get_n_matches (SichtungDocumentView *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self), 0);

  return self->hits->len;
}

int
sichtung_document_view_get_current_match (SichtungDocumentView *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self), -1);

  return self->current_match;
}

gboolean
sichtung_document_view_get_search_active (SichtungDocumentView *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self), FALSE);

  return self->search_active;
}

void
sichtung_document_view_next_match (SichtungDocumentView *self)
{
  g_return_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self));

  if (self->hits->len == 0)
    return;

  set_current_match (self, (guint) (self->current_match + 1) % self->hits->len);
}

void
sichtung_document_view_previous_match (SichtungDocumentView *self)
{
  g_return_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self));

  if (self->hits->len == 0)
    return;

  set_current_match (self, self->current_match <= 0 ? (int) self->hits->len - 1
                                                    : self->current_match - 1);
}

GdkTexture *
sichtung_document_view_get_page_texture (SichtungDocumentView *self,
                                         guint                 page)
{
  GdkTexture *texture;

  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self), NULL);

  if (self->document == NULL || page >= self->n_pages)
    return NULL;

  texture = sichtung_page_cache_lookup (self->cache, page, page_render_scale (self, page));
  return texture != NULL ? g_object_ref (texture) : NULL;
}

guint
sichtung_document_view_get_pending_renders (SichtungDocumentView *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self), 0);

  return sichtung_page_cache_get_n_pending (self->cache);
}

void
sichtung_document_view_set_findings (SichtungDocumentView *self,
                                     GListModel           *items)
{
  g_return_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self));
  g_return_if_fail (items == NULL || G_IS_LIST_MODEL (items));

  if (self->findings == items)
    return;

  if (self->findings != NULL)
    g_signal_handlers_disconnect_by_data (self->findings, self);
  clear_page_findings (self);
  g_set_object (&self->findings, items);
  g_clear_object (&self->selected_finding);

  if (items != NULL)
    {
      g_signal_connect_object (items, "items-changed", G_CALLBACK (findings_items_changed_cb),
                               self, G_CONNECT_SWAPPED);
      findings_items_changed_cb (self, 0, 0, g_list_model_get_n_items (items), items);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GListModel *
sichtung_document_view_get_findings (SichtungDocumentView *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self), NULL);

  return self->findings;
}

void
sichtung_document_view_set_selected_finding (SichtungDocumentView *self,
                                             SichtungFindingItem  *item)
{
  ScPageFinding *finding;

  g_return_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self));
  g_return_if_fail (item == NULL || SICHTUNG_IS_FINDING_ITEM (item));

  if (!g_set_object (&self->selected_finding, item))
    return;

  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (item == NULL)
    return;

  finding = sichtung_finding_item_get_page_finding (item);
  if (finding->page < self->n_pages)
    {
      SearchHit hit = { finding->page, { 0, 0, 0, 0 } };

      if (finding->boxes != NULL && finding->boxes->len > 0)
        hit.rect = g_array_index (finding->boxes, ScRect, 0);
      scroll_to_hit (self, &hit);
    }
}

SichtungFindingItem *
sichtung_document_view_get_selected_finding (SichtungDocumentView *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self), NULL);

  return self->selected_finding;
}

SichtungFindingItem *
sichtung_document_view_get_finding_at (SichtungDocumentView *self,
                                       double                x,
                                       double                y)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self), NULL);

  return finding_at (self, x, y);
}

gboolean
sichtung_document_view_get_box_mode (SichtungDocumentView *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self), FALSE);

  return self->box_mode;
}

void
sichtung_document_view_set_box_mode (SichtungDocumentView *self,
                                     gboolean              box_mode)
{
  g_return_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self));

  box_mode = !!box_mode;
  if (self->box_mode == box_mode)
    return;

  self->box_mode = box_mode;
  _sichtung_view_box_cancel (self->box);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), box_mode ? "crosshair" : NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOX_MODE]);
}

void
sichtung_document_view_draw_box (SichtungDocumentView *self,
                                 guint                 page,
                                 const ScRect         *rect)
{
  double width, height;
  ScRect box;

  g_return_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self));
  g_return_if_fail (page < self->n_pages);
  g_return_if_fail (rect != NULL);

  /* Normalised and within the page. */
  _sichtung_document_view_get_page_size (self, page, &width, &height);
  box.x = CLAMP (MIN (rect->x, rect->x + rect->width), 0, width);
  box.y = CLAMP (MIN (rect->y, rect->y + rect->height), 0, height);
  box.width = CLAMP (MAX (rect->x, rect->x + rect->width), 0, width) - box.x;
  box.height = CLAMP (MAX (rect->y, rect->y + rect->height), 0, height) - box.y;
  if (box.width <= 0 || box.height <= 0)
    return;

  g_signal_emit (self, signals[BOX_DRAWN], 0, page, box.x, box.y, box.width, box.height);
}

void
sichtung_document_view_set_passage (SichtungDocumentView *self,
                                    guint                 page,
                                    GArray               *boxes)
{
  g_return_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self));

  g_clear_pointer (&self->passage_boxes, g_array_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (boxes == NULL || page >= self->n_pages)
    return;

  self->passage_page = page;
  self->passage_boxes = g_array_ref (boxes);
  if (boxes->len > 0)
    {
      SearchHit hit = { page, g_array_index (boxes, ScRect, 0) };

      scroll_to_hit (self, &hit);
    }
  else
    {
      sichtung_document_view_go_to_page (self, page);
    }
}

GArray *
sichtung_document_view_get_passage (SichtungDocumentView *self,
                                    guint                *page)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_VIEW (self), NULL);

  if (page != NULL)
    *page = self->passage_boxes != NULL ? self->passage_page : 0;
  return self->passage_boxes;
}
