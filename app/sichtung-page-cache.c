/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-page-cache.c: renders pages off the main thread and keeps them in a bounded LRU.
 *
 * Threading: the cache object lives on the main thread. Everything the worker needs sits in a
 * ref-counted RenderShared guarded by its mutex: the priority queue of jobs, the jobs in
 * flight, the document and its generation. The worker pops the first job, renders it without
 * the lock, and posts it back with an idle source on the owner's main context; there the job
 * leaves the in-flight list and, when it still belongs to the current document, becomes a
 * cache entry. After dispose the shared block outlives the cache until the last job is back,
 * and results for a dead cache are simply freed.
 */
#define G_LOG_DOMAIN "sichtung-view"

#include "config.h"

#include <math.h>

#include "sichtung-page-cache.h"

/* A render job. Owned by the queue, then by the in-flight list (which does not free), then by
 * the idle source that delivers it. */
typedef struct _RenderShared RenderShared;

typedef struct
{
  guint         page;
  double        scale;
  guint         generation;
  ScDocument   *document;   /* set when the worker takes the job */
  RenderShared *shared;     /* ref, set when the worker takes the job */
  GdkTexture   *texture;    /* the result, NULL when rendering failed */
  char         *failure;    /* why rendering failed, for the page to say */
} RenderJob;

struct _RenderShared
{
  gatomicrefcount    ref_count;
  GMutex             mutex;
  /* Protected by mutex: */
  GPtrArray         *queue;      /* RenderJob*, highest priority first; owns them */
  GPtrArray         *in_flight;  /* RenderJob*, taken by the worker, not yet delivered */
  guint              n_ticks;    /* pool pushes the worker has not picked up yet */
  ScDocument        *document;
  guint              generation;
  /* Main thread only: */
  GMainContext      *context;
  SichtungPageCache *owner;      /* NULL once the cache is disposed */
};

typedef struct
{
  guint       page;
  double      scale;
  GdkTexture *texture;
  gsize       bytes;
  guint       pin_serial;  /* == the cache's request_serial while the owner wants it */
  GList       lru_link;    /* data points back to this entry; head is most recently used */
} CacheEntry;

struct _SichtungPageCache
{
  GObject       parent_instance;

  RenderShared *shared;
  GThreadPool  *pool;
  GHashTable   *pages;          /* page → GPtrArray of CacheEntry* (owning) */
  GHashTable   *failures;       /* page → why it could not be rendered (char *) */
  GQueue        lru;            /* links embedded in CacheEntry */
  gsize         size;           /* bytes of all entries */
  gsize         max_bytes;
  guint         request_serial;
  guint         n_pending;      /* last value notified */
};

G_DEFINE_FINAL_TYPE (SichtungPageCache, sichtung_page_cache, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_DOCUMENT,
  PROP_MAX_BYTES,
  PROP_N_PENDING,
  N_PROPS
};

enum
{
  PAGE_RENDERED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Results are delivered before GTK's next frame is drawn (GDK_PRIORITY_REDRAW is +20). */
#define DELIVERY_PRIORITY (G_PRIORITY_HIGH_IDLE + 10)

static gboolean
same_scale (double a,
            double b)
{
  return fabs (a - b) <= 1e-9 * MAX (fabs (a), fabs (b));
}

/* ------------------------------------------------------------------------------------------ */
/* Shared state and the worker                                                                */
/* ------------------------------------------------------------------------------------------ */

static void render_shared_unref (RenderShared *shared);

static void
render_job_free (gpointer data)
{
  RenderJob *job = data;

  g_clear_object (&job->document);
  g_clear_object (&job->texture);
  g_clear_pointer (&job->shared, render_shared_unref);
  g_free (job->failure);
  g_free (job);
}

static RenderShared *
render_shared_new (void)
{
  RenderShared *shared = g_new0 (RenderShared, 1);

  g_atomic_ref_count_init (&shared->ref_count);
  g_mutex_init (&shared->mutex);
  shared->queue = g_ptr_array_new_with_free_func (render_job_free);
  shared->in_flight = g_ptr_array_new ();
  shared->context = g_main_context_ref_thread_default ();
  return shared;
}

static RenderShared *
render_shared_ref (RenderShared *shared)
{
  g_atomic_ref_count_inc (&shared->ref_count);
  return shared;
}

static void
render_shared_unref (RenderShared *shared)
{
  if (!g_atomic_ref_count_dec (&shared->ref_count))
    return;

  /* Jobs in flight hold a reference, so none can be left. */
  g_assert (shared->in_flight->len == 0);
  g_ptr_array_unref (shared->queue);
  g_ptr_array_unref (shared->in_flight);
  g_clear_object (&shared->document);
  g_main_context_unref (shared->context);
  g_mutex_clear (&shared->mutex);
  g_free (shared);
}

/* CAIRO_FORMAT_ARGB32 is premultiplied native-endian ARGB, which is what GDK_MEMORY_DEFAULT
 * names; the texture takes the surface's pixels without a copy. */
static GdkTexture *
texture_from_surface (cairo_surface_t *surface)
{
  g_autoptr(GBytes) bytes = NULL;
  int width, height, stride;

  cairo_surface_flush (surface);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  stride = cairo_image_surface_get_stride (surface);
  if (width <= 0 || height <= 0)
    {
      cairo_surface_destroy (surface);
      return NULL;
    }

  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) stride * (gsize) height,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, (gsize) stride);
}

static gboolean deliver_job (gpointer data);

/* One pool task per queued job ("tick"); it renders whatever is most wanted when it runs, so a
 * request that replaced the queue meanwhile is honoured. @data is a reference on the shared
 * block. */
static void
render_worker (gpointer data,
               gpointer user_data)
{
  RenderShared *shared = data;
  RenderJob *job = NULL;

  g_mutex_lock (&shared->mutex);
  g_assert (shared->n_ticks > 0);
  shared->n_ticks--;
  if (shared->queue->len > 0 && shared->document != NULL)
    {
      job = g_ptr_array_steal_index (shared->queue, 0);
      job->document = g_object_ref (shared->document);
      job->shared = render_shared_ref (shared);
      g_ptr_array_add (shared->in_flight, job);
    }
  g_mutex_unlock (&shared->mutex);

  if (job != NULL)
    {
      g_autoptr(GError) error = NULL;
      cairo_surface_t *surface;
      GSource *source;

      surface = sc_document_render_page (job->document, job->page, job->scale, &error);
      if (surface == NULL)
        {
          g_debug ("Rendering page %u failed: %s", job->page, error->message);
          job->failure = g_strdup (error->message);
        }
      else if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
        {
          g_debug ("Rendering page %u failed: %s", job->page,
                   cairo_status_to_string (cairo_surface_status (surface)));
          cairo_surface_destroy (surface);
        }
      else
        job->texture = texture_from_surface (surface);

      /* Not g_main_context_invoke(): from a thread without a thread-default context it may run
       * the callback right here when the main context happens to be free. */
      source = g_idle_source_new ();
      g_source_set_priority (source, DELIVERY_PRIORITY);
      g_source_set_callback (source, deliver_job, job, render_job_free);
      g_source_set_static_name (source, "[sichtung] deliver page");
      g_source_attach (source, shared->context);
      g_source_unref (source);
    }

  render_shared_unref (shared);
}

/* ------------------------------------------------------------------------------------------ */
/* Entries                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void
cache_entry_free (gpointer data)
{
  CacheEntry *entry = data;

  g_clear_object (&entry->texture);
  g_free (entry);
}

static CacheEntry *
find_entry (SichtungPageCache *self,
            guint              page,
            double             scale)
{
  GPtrArray *entries = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));

  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      CacheEntry *entry = g_ptr_array_index (entries, i);

      if (same_scale (entry->scale, scale))
        return entry;
    }
  return NULL;
}

static void
touch_entry (SichtungPageCache *self,
             CacheEntry        *entry)
{
  g_queue_unlink (&self->lru, &entry->lru_link);
  g_queue_push_head_link (&self->lru, &entry->lru_link);
}

static void
remove_entry (SichtungPageCache *self,
              CacheEntry        *entry)
{
  GPtrArray *entries = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (entry->page));
  guint page = entry->page;

  g_queue_unlink (&self->lru, &entry->lru_link);
  self->size -= entry->bytes;
  g_ptr_array_remove_fast (entries, entry);
  if (entries->len == 0)
    g_hash_table_remove (self->pages, GUINT_TO_POINTER (page));
}

/* Evicts least recently used entries until the budget holds, sparing those the owner wants
 * now and @keep. */
static void
trim (SichtungPageCache *self,
      CacheEntry        *keep)
{
  GList *link = self->lru.tail;

  while (self->size > self->max_bytes && link != NULL)
    {
      CacheEntry *entry = link->data;

      link = link->prev;
      if (entry != keep && entry->pin_serial != self->request_serial)
        remove_entry (self, entry);
    }
}

static void
clear_entries (SichtungPageCache *self)
{
  g_hash_table_remove_all (self->pages);
  g_queue_init (&self->lru);
  self->size = 0;
}

static void
update_n_pending (SichtungPageCache *self)
{
  guint n_pending = sichtung_page_cache_get_n_pending (self);

  if (n_pending == self->n_pending)
    return;
  self->n_pending = n_pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
}

/* Main thread: a job came back from the worker. */
static gboolean
deliver_job (gpointer data)
{
  RenderJob *job = data;
  RenderShared *shared = job->shared;
  SichtungPageCache *self = shared->owner;
  CacheEntry *entry;
  gboolean current;

  g_mutex_lock (&shared->mutex);
  g_ptr_array_remove_fast (shared->in_flight, job);
  current = job->generation == shared->generation;
  g_mutex_unlock (&shared->mutex);

  if (self == NULL)
    return G_SOURCE_REMOVE;

  /* A page that cannot be shown says why (a hostile image, say) instead of staying blank. */
  if (current && job->texture == NULL && job->failure != NULL)
    {
      g_hash_table_insert (self->failures, GUINT_TO_POINTER (job->page),
                           g_steal_pointer (&job->failure));
      g_object_ref (self);
      g_signal_emit (self, signals[PAGE_RENDERED], 0, job->page, job->scale);
      update_n_pending (self);
      g_object_unref (self);
      return G_SOURCE_REMOVE;
    }
  if (current && job->texture != NULL)
    g_hash_table_remove (self->failures, GUINT_TO_POINTER (job->page));

  if (current && job->texture != NULL && find_entry (self, job->page, job->scale) == NULL)
    {
      GPtrArray *entries;

      entry = g_new0 (CacheEntry, 1);
      entry->page = job->page;
      entry->scale = job->scale;
      entry->texture = g_steal_pointer (&job->texture);
      entry->bytes = (gsize) gdk_texture_get_width (entry->texture)
                     * (gsize) gdk_texture_get_height (entry->texture) * 4;
      entry->pin_serial = self->request_serial;
      entry->lru_link.data = entry;

      entries = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (job->page));
      if (entries == NULL)
        {
          entries = g_ptr_array_new_with_free_func (cache_entry_free);
          g_hash_table_insert (self->pages, GUINT_TO_POINTER (job->page), entries);
        }
      g_ptr_array_add (entries, entry);
      g_queue_push_head_link (&self->lru, &entry->lru_link);
      self->size += entry->bytes;
      trim (self, entry);

      g_object_ref (self);
      g_signal_emit (self, signals[PAGE_RENDERED], 0, job->page, job->scale);
      update_n_pending (self);
      g_object_unref (self);
    }
  else
    update_n_pending (self);

  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void
sichtung_page_cache_dispose (GObject *object)
{
  SichtungPageCache *self = SICHTUNG_PAGE_CACHE (object);

  if (self->shared != NULL)
    {
      g_mutex_lock (&self->shared->mutex);
      g_ptr_array_set_size (self->shared->queue, 0);
      g_mutex_unlock (&self->shared->mutex);
      self->shared->owner = NULL;
    }

  /* Not immediate, but waiting: the ticks still queued run and find the queue empty (which
   * releases their references), and a render in progress is waited for. That costs at most one
   * page render, and no worker is left inside poppler when the application exits. */
  if (self->pool != NULL)
    {
      g_thread_pool_free (self->pool, FALSE, TRUE);
      self->pool = NULL;
    }
  g_clear_pointer (&self->shared, render_shared_unref);

  if (self->pages != NULL)
    clear_entries (self);

  G_OBJECT_CLASS (sichtung_page_cache_parent_class)->dispose (object);
}

static void
sichtung_page_cache_finalize (GObject *object)
{
  SichtungPageCache *self = SICHTUNG_PAGE_CACHE (object);

  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->failures, g_hash_table_unref);

  G_OBJECT_CLASS (sichtung_page_cache_parent_class)->finalize (object);
}

static void
sichtung_page_cache_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SichtungPageCache *self = SICHTUNG_PAGE_CACHE (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, sichtung_page_cache_get_document (self));
      break;
    case PROP_MAX_BYTES:
      g_value_set_uint64 (value, self->max_bytes);
      break;
    case PROP_N_PENDING:
      g_value_set_uint (value, sichtung_page_cache_get_n_pending (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_page_cache_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SichtungPageCache *self = SICHTUNG_PAGE_CACHE (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      sichtung_page_cache_set_document (self, g_value_get_object (value));
      break;
    case PROP_MAX_BYTES:
      sichtung_page_cache_set_max_bytes (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_page_cache_class_init (SichtungPageCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sichtung_page_cache_dispose;
  object_class->finalize = sichtung_page_cache_finalize;
  object_class->get_property = sichtung_page_cache_get_property;
  object_class->set_property = sichtung_page_cache_set_property;

  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL,
                         SC_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MAX_BYTES] =
    g_param_spec_uint64 ("max-bytes", NULL, NULL,
                         0, G_MAXUINT64, SICHTUNG_PAGE_CACHE_DEFAULT_MAX_BYTES,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted on the cache's thread when @page has been rendered at @scale and is cached. */
  signals[PAGE_RENDERED] =
    g_signal_new ("page-rendered",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_DOUBLE);
}

static void
sichtung_page_cache_init (SichtungPageCache *self)
{
  g_autoptr(GError) error = NULL;

  self->max_bytes = SICHTUNG_PAGE_CACHE_DEFAULT_MAX_BYTES;
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->failures = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_queue_init (&self->lru);
  self->shared = render_shared_new ();
  self->shared->owner = self;

  /* One thread per cache: the document serialises poppler calls behind its lock anyway, and a
   * single worker keeps the priority order. Non-exclusive, so threads are shared and exit
   * when idle. */
  self->pool = g_thread_pool_new (render_worker, NULL, 1, FALSE, &error);
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */
/* ------------------------------------------------------------------------------------------ */

SichtungPageCache *
sichtung_page_cache_new (gsize max_bytes)
{
  return g_object_new (SICHTUNG_TYPE_PAGE_CACHE, "max-bytes", (guint64) max_bytes, NULL);
}

ScDocument *
sichtung_page_cache_get_document (SichtungPageCache *self)
{
  g_return_val_if_fail (SICHTUNG_IS_PAGE_CACHE (self), NULL);

  /* Only the main thread writes it, so reading without the lock is fine here. */
  return self->shared->document;
}

void
sichtung_page_cache_set_document (SichtungPageCache *self,
                                  ScDocument        *document)
{
  g_return_if_fail (SICHTUNG_IS_PAGE_CACHE (self));
  g_return_if_fail (document == NULL || SC_IS_DOCUMENT (document));

  if (self->shared->document == document)
    return;

  g_mutex_lock (&self->shared->mutex);
  g_set_object (&self->shared->document, document);
  self->shared->generation++;
  g_ptr_array_set_size (self->shared->queue, 0);
  g_mutex_unlock (&self->shared->mutex);

  clear_entries (self);
  g_hash_table_remove_all (self->failures);
  update_n_pending (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}

const char *
sichtung_page_cache_get_failure (SichtungPageCache *self,
                                 guint              page)
{
  g_return_val_if_fail (SICHTUNG_IS_PAGE_CACHE (self), NULL);

  return g_hash_table_lookup (self->failures, GUINT_TO_POINTER (page));
}

gsize
sichtung_page_cache_get_max_bytes (SichtungPageCache *self)
{
  g_return_val_if_fail (SICHTUNG_IS_PAGE_CACHE (self), 0);

  return self->max_bytes;
}

void
sichtung_page_cache_set_max_bytes (SichtungPageCache *self,
                                   gsize              max_bytes)
{
  g_return_if_fail (SICHTUNG_IS_PAGE_CACHE (self));

  if (self->max_bytes == max_bytes)
    return;

  self->max_bytes = max_bytes;
  trim (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_BYTES]);
}

gsize
sichtung_page_cache_get_size (SichtungPageCache *self)
{
  g_return_val_if_fail (SICHTUNG_IS_PAGE_CACHE (self), 0);

  return self->size;
}

void
sichtung_page_cache_request (SichtungPageCache         *self,
                             const SichtungPageRequest *requests,
                             guint                      n_requests)
{
  RenderShared *shared;
  guint n_push = 0;

  g_return_if_fail (SICHTUNG_IS_PAGE_CACHE (self));
  g_return_if_fail (requests != NULL || n_requests == 0);

  shared = self->shared;
  self->request_serial++;

  g_mutex_lock (&shared->mutex);
  g_ptr_array_set_size (shared->queue, 0);
  for (guint i = 0; i < n_requests && shared->document != NULL; i++)
    {
      const SichtungPageRequest *req = &requests[i];
      CacheEntry *entry = find_entry (self, req->page, req->scale);
      gboolean skip = FALSE;
      RenderJob *job;

      if (entry != NULL)
        {
          entry->pin_serial = self->request_serial;
          continue;
        }

      for (guint j = 0; j < shared->in_flight->len && !skip; j++)
        {
          RenderJob *other = g_ptr_array_index (shared->in_flight, j);

          skip = other->generation == shared->generation && other->page == req->page
                 && same_scale (other->scale, req->scale);
        }
      for (guint j = 0; j < shared->queue->len && !skip; j++)
        {
          RenderJob *other = g_ptr_array_index (shared->queue, j);

          skip = other->page == req->page && same_scale (other->scale, req->scale);
        }
      if (skip)
        continue;

      job = g_new0 (RenderJob, 1);
      job->page = req->page;
      job->scale = req->scale;
      job->generation = shared->generation;
      g_ptr_array_add (shared->queue, job);
    }
  if (shared->queue->len > shared->n_ticks)
    {
      n_push = shared->queue->len - shared->n_ticks;
      shared->n_ticks += n_push;
    }
  g_mutex_unlock (&shared->mutex);

  for (guint i = 0; i < n_push; i++)
    g_thread_pool_push (self->pool, render_shared_ref (shared), NULL);

  trim (self, NULL);
  update_n_pending (self);
}

guint
sichtung_page_cache_get_n_pending (SichtungPageCache *self)
{
  RenderShared *shared;
  guint n_pending;

  g_return_val_if_fail (SICHTUNG_IS_PAGE_CACHE (self), 0);

  shared = self->shared;
  g_mutex_lock (&shared->mutex);
  n_pending = shared->queue->len;
  for (guint i = 0; i < shared->in_flight->len; i++)
    {
      RenderJob *job = g_ptr_array_index (shared->in_flight, i);

      if (job->generation == shared->generation)
        n_pending++;
    }
  g_mutex_unlock (&shared->mutex);

  return n_pending;
}

GdkTexture *
sichtung_page_cache_lookup (SichtungPageCache *self,
                            guint              page,
                            double             scale)
{
  CacheEntry *entry;

  g_return_val_if_fail (SICHTUNG_IS_PAGE_CACHE (self), NULL);

  entry = find_entry (self, page, scale);
  if (entry == NULL)
    return NULL;

  touch_entry (self, entry);
  return entry->texture;
}

GdkTexture *
sichtung_page_cache_lookup_best (SichtungPageCache *self,
                                 guint              page,
                                 double             scale)
{
  GPtrArray *entries;
  CacheEntry *best = NULL;
  double best_cost = G_MAXDOUBLE;

  g_return_val_if_fail (SICHTUNG_IS_PAGE_CACHE (self), NULL);
  g_return_val_if_fail (scale > 0, NULL);

  entries = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      CacheEntry *entry = g_ptr_array_index (entries, i);
      /* Distance in zoom steps; being too coarse costs twice as much as being too fine. */
      double cost = log (entry->scale / scale);

      cost = cost < 0 ? -2 * cost : cost;
      if (cost < best_cost)
        {
          best = entry;
          best_cost = cost;
        }
    }
  if (best == NULL)
    return NULL;

  touch_entry (self, best);
  return best->texture;
}
