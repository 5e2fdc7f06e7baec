/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-page-cache.h: rendered page textures of one ScDocument, bounded by bytes.
 *
 * The cache renders pages on a worker thread and keeps the results as GdkTextures in an LRU
 * list bounded by a byte budget. Its owner (the document view) says which (page, scale) pairs
 * it wants, highest priority first; that list replaces every earlier request, so pages that
 * scrolled away or were wanted at an old zoom are dropped before they are rendered. Results
 * arrive on the thread that created the cache, through the "page-rendered" signal. Every
 * function must be called from that thread.
 */
#pragma once

#include <gtk/gtk.h>

#include "sichtung-core.h"

G_BEGIN_DECLS

/* A render wish: @page at @scale device pixels per PDF point. */
typedef struct
{
  guint  page;
  double scale;
} SichtungPageRequest;

#define SICHTUNG_PAGE_CACHE_DEFAULT_MAX_BYTES ((gsize) 256 * 1024 * 1024)

#define SICHTUNG_TYPE_PAGE_CACHE (sichtung_page_cache_get_type ())
G_DECLARE_FINAL_TYPE (SichtungPageCache, sichtung_page_cache, SICHTUNG, PAGE_CACHE, GObject)

SichtungPageCache *sichtung_page_cache_new           (gsize                      max_bytes);

/* Property "document" (ScDocument, nullable). Changing it drops every texture and request. */
ScDocument        *sichtung_page_cache_get_document  (SichtungPageCache         *self);
void               sichtung_page_cache_set_document  (SichtungPageCache         *self,
                                                      ScDocument                *document);

/* Property "max-bytes": the budget. Textures named by the latest request are never evicted,
 * so the cache may exceed the budget by what is on screen (plus prefetch), never more. */
/* Why @page could not be rendered the last time it was tried (a sentence for the user), or
 * NULL. "page-rendered" is emitted for a failure too. */
const char        *sichtung_page_cache_get_failure   (SichtungPageCache         *self,
                                                      guint                      page);
gsize              sichtung_page_cache_get_max_bytes (SichtungPageCache         *self);
void               sichtung_page_cache_set_max_bytes (SichtungPageCache         *self,
                                                      gsize                      max_bytes);
/* Bytes held by cached textures now. */
gsize              sichtung_page_cache_get_size      (SichtungPageCache         *self);

/* Replaces all pending requests by @requests, highest priority first. Pairs already cached or
 * being rendered are skipped; the cached ones are protected from eviction until the next
 * call. Pass 0 requests to cancel everything not yet started. */
void               sichtung_page_cache_request       (SichtungPageCache         *self,
                                                      const SichtungPageRequest *requests,
                                                      guint                      n_requests);

/* Property "n-pending" (guint): requests queued or being rendered for the current document. */
guint              sichtung_page_cache_get_n_pending (SichtungPageCache         *self);

/* The texture of @page rendered at exactly @scale, or NULL (transfer none). Marks it as
 * recently used. */
GdkTexture        *sichtung_page_cache_lookup        (SichtungPageCache         *self,
                                                      guint                      page,
                                                      double                     scale);
/* As above, but when @scale is missing returns the texture of @page at the nearest other scale
 * (preferring sharper ones), to draw scaled until the exact one arrives. */
GdkTexture        *sichtung_page_cache_lookup_best   (SichtungPageCache         *self,
                                                      guint                      page,
                                                      double                     scale);

G_END_DECLS
