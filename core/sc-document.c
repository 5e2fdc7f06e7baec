/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-document.c: ScDocument, an opened PDF or typeset text file, on poppler-glib.
 *
 * This is the one file in core/ that calls poppler. Every poppler call happens under the
 * document's mutex; what the main thread asks often (page count, page sizes, title) is read
 * once at load time and is immutable afterwards, so it needs no lock.
 *
 * A PDF is not parsed in this process: an isolated document sends each request to its
 * sichtung-document-worker (sc-document-worker.h), which opens the same bytes with this very
 * code in local mode. A request during which the worker dies (not by running out of time) is
 * tried once more with a new worker, since it may have been killed from outside; one that
 * kills two (render page 3, say) fails at once from then on, so a viewer asking for that page
 * again does not crash a worker each time. At most MAX_WORKER_STARTS workers are started for
 * a document. Text documents are typeset here into a PDF of our own making and read locally.
 * $SICHTUNG_DOCUMENT_ISOLATION=0 reads PDFs in-process too (for debugging and fuzzing).
 */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <poppler.h>

#include "sc-document.h"
#include "sc-document-private.h"
#include "sc-document-worker.h"
#include "sc-pdf-images.h"
#include "sc-error.h"
#include "sc-text-layout.h"

/* Limits for render_page: a larger surface is an error, not a clamp, so callers notice. */
#define MAX_RENDER_SIDE  16384
#define MAX_RENDER_BYTES (256 * 1024 * 1024)
/* The largest image a page may draw to be shown: poppler decodes every pixel of an image
 * (about four bytes each) however small it appears, so a few kilobytes of compressed zeros
 * declaring 30,000 × 30,000 pixels would take gigabytes and minutes. 2^27 pixels still covers
 * an A3 page scanned at 800 dpi. */
#define MAX_IMAGE_PIXELS ((guint64) 1 << 27)

/* How far into a file "%PDF-" may start (Acrobat accepts junk before the header). */
#define PDF_SNIFF_LENGTH 1024

/* The largest files opened: a PDF is read into memory whole; a text file of 32 MB is already
 * some 15,000 typeset pages. Larger ones are refused before they are read. */
#define MAX_FILE_BYTES ((guint64) 1 << 30)
#define MAX_TEXT_BYTES ((guint64) 32 << 20)

/* How often an isolated document starts a worker (the first included) before giving up. */
#define MAX_WORKER_STARTS 8
/* The most pages a worker may report; far more than the 10,000-page documents we open. */
#define MAX_WORKER_PAGES 1000000

struct _ScDocument
{
  GObject          parent_instance;

  /* Immutable after load: readable from any thread without the lock. */
  GFile           *file;         /* nullable: documents opened from bytes have none */
  char            *display_name; /* for messages and as the title fallback */
  ScDocumentKind   kind;
  char            *title;        /* from the metadata, NULL when there is none */
  char            *author;       /* NULL when there is none */
  gboolean         encrypted;
  guint            n_pages;
  double          *page_sizes;   /* [n_pages][2]: width, height in points */
  GPtrArray       *page_texts;   /* text documents: char *, the source text of each page */

  /* Guarded by lock. */
  GMutex           lock;
  GBytes          *pdf_bytes;    /* what poppler reads from; lives as long as poppler_doc */
  PopplerDocument *poppler_doc;
  char            *password;     /* the one that opened it, for images; scrubbed at the end */
  ScPdfImages     *images;       /* the pages' image sizes, read on the first render */
  gboolean         images_read;  /* images was tried (it stays NULL when qpdf failed) */

  /* Isolated documents (poppler_doc stays NULL): the worker, guarded by lock too. */
  gboolean          isolated;
  char             *metadata_text;  /* as the worker read it at load time (immutable) */
  ScDocumentWorker *worker;         /* NULL until started and after it died */
  guint             n_worker_starts;
  GHashTable       *failed_pages;   /* failure_key() → char *, why a request killed a worker */
};

G_DEFINE_FINAL_TYPE (ScDocument, sc_document, G_TYPE_OBJECT)

static void password_free (char *password);

static void
sc_document_finalize (GObject *object)
{
  ScDocument *self = SC_DOCUMENT (object);

  /* The PopplerDocument reads from the bytes, so it goes first. */
  g_clear_object (&self->poppler_doc);
  g_clear_pointer (&self->worker, sc_document_worker_free);
  g_clear_pointer (&self->failed_pages, g_hash_table_unref);
  g_clear_pointer (&self->metadata_text, g_free);
  g_clear_pointer (&self->pdf_bytes, g_bytes_unref);
  g_clear_object (&self->file);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->author, g_free);
  g_clear_pointer (&self->page_sizes, g_free);
  g_clear_pointer (&self->page_texts, g_ptr_array_unref);
  g_clear_pointer (&self->images, sc_pdf_images_free);
  g_clear_pointer (&self->password, password_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (sc_document_parent_class)->finalize (object);
}

static void
sc_document_class_init (ScDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sc_document_finalize;
}

static void
sc_document_init (ScDocument *self)
{
  g_mutex_init (&self->lock);
}

/* ------------------------------------------------------------------------------------------ */
/* Loading                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* Overwrites a password before freeing it, so it does not linger in freed memory. */
static void
password_free (char *password)
{
  if (password == NULL)
    return;
  for (volatile char *p = password; *p != '\0'; p++)
    *p = '\0';
  g_free (password);
}

static char *
display_name_for_file (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  if (basename == NULL)
    return g_file_get_parse_name (file);
  return g_filename_display_name (basename);
}

/* Metadata strings: NULL for missing or blank values. */
static char *
take_metadata (char *value)
{
  if (value != NULL)
    {
      g_strstrip (value);
      if (*value == '\0')
        g_clear_pointer (&value, g_free);
    }
  return value;
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
looks_like_pdf (GBytes *bytes)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);
  gsize n = MIN (length, (gsize) PDF_SNIFF_LENGTH);

  for (gsize i = 0; i + 5 <= n; i++)
    {
      if (data[i] == '%' && memcmp (data + i, "%PDF-", 5) == 0)
        return TRUE;
    }
  return FALSE;
}

/* poppler-glib 22.12 crashes in poppler_document_new_from_bytes() when a password is given
 * and wrong: its retry with the UTF-8 form of the password copies a BytesStream into a null
 * pointer. The stream constructor's retry copies its stream correctly, so passwords go
 * through a memory stream over the same bytes. */
static PopplerDocument *
open_with_password (GBytes      *bytes,
                    const char  *password,
                    GError     **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);

  return poppler_document_new_from_stream (stream, (goffset) g_bytes_get_size (bytes),
                                           password, NULL, error);
}

/* Opens @bytes with poppler and fills in the page geometry and metadata of @self.
 *
 * Whether the document is encrypted: poppler 22.12 has no getter that covers every case, so
 * the document is first opened without a password. A document that needs one fails that
 * with POPPLER_ERROR_ENCRYPTED, and only then is the password tried; get_encrypted() is TRUE
 * exactly when a password was needed to open the file. (PDFs encrypted with an empty user
 * password, i.e. only restricted by an owner password, open without one and count as not
 * encrypted: nobody had to type anything.) */
static gboolean
load_pdf (ScDocument  *self,
          GBytes      *bytes,
          const char  *password,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  PopplerDocument *doc;
  int n_pages;

  g_assert (self->poppler_doc == NULL);

  /* poppler-glib 22.12 declares no g_autoptr cleanup for its types: unref by hand. */
  doc = poppler_document_new_from_bytes (bytes, NULL, &local_error);
  if (doc == NULL && g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
    {
      if (password == NULL)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_NEEDS_PASSWORD,
                       _("“%s” is protected by a password"), self->display_name);
          return FALSE;
        }
      g_clear_error (&local_error);
      doc = open_with_password (bytes, password, &local_error);
      if (doc == NULL && g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        {
          g_set_error (error, SC_ERROR, SC_ERROR_BAD_PASSWORD,
                       _("The password for “%s” is not correct"), self->display_name);
          return FALSE;
        }
      self->encrypted = doc != NULL;
      if (doc != NULL)
        self->password = g_strdup (password);
    }
  if (doc == NULL)
    {
      g_debug ("poppler could not open %s: %s", self->display_name, local_error->message);
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("“%s” is damaged and cannot be opened"), self->display_name);
      return FALSE;
    }

  n_pages = poppler_document_get_n_pages (doc);
  if (n_pages <= 0)
    {
      g_object_unref (doc);
      g_set_error (error, SC_ERROR, SC_ERROR_EMPTY,
                   _("“%s” has no pages"), self->display_name);
      return FALSE;
    }

  self->page_sizes = g_new (double, 2 * (gsize) n_pages);
  for (int i = 0; i < n_pages; i++)
    {
      PopplerPage *page = poppler_document_get_page (doc, i);
      double width = 0, height = 0;

      if (page == NULL)
        {
          g_object_unref (doc);
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                       _("“%s” is damaged and cannot be opened"), self->display_name);
          return FALSE;
        }
      poppler_page_get_size (page, &width, &height);
      g_object_unref (page);
      self->page_sizes[2 * i] = width;
      self->page_sizes[2 * i + 1] = height;
    }

  if (self->kind == SC_DOCUMENT_KIND_PDF)
    {
      self->title = take_metadata (poppler_document_get_title (doc));
      self->author = take_metadata (poppler_document_get_author (doc));
    }
  self->n_pages = (guint) n_pages;
  self->pdf_bytes = g_bytes_ref (bytes);
  self->poppler_doc = doc;
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* The worker process                                                                          */
/* ------------------------------------------------------------------------------------------ */

static gboolean
isolation_enabled (void)
{
  return g_strcmp0 (g_getenv ("SICHTUNG_DOCUMENT_ISOLATION"), "0") != 0;
}

static GVariant *
open_args (ScDocument *self)
{
  GVariant *password = NULL;

  /* The password as bytes: it need not be UTF-8 (PDF passwords are Latin-1 or UTF-8). */
  if (self->password != NULL)
    password = g_variant_new_bytestring (self->password);
  return g_variant_new ("(s@may)", self->display_name,
                        g_variant_new_maybe (G_VARIANT_TYPE_BYTESTRING, password));
}

/* Called with the lock held, or before the document is shared: starts a worker and opens
 * the document's bytes in it; @reply (may be NULL) receives its answer. */
static gboolean
start_worker (ScDocument  *self,
              GVariant   **reply,
              GError     **error)
{
  g_autoptr(GVariant) result = NULL;
  ScDocumentWorker *worker;

  g_assert (self->worker == NULL);
  if (self->n_worker_starts >= MAX_WORKER_STARTS)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("the program reading the PDF stopped too often"));
      return FALSE;
    }
  self->n_worker_starts++;
  worker = sc_document_worker_new (error);
  if (worker == NULL)
    return FALSE;
  result = sc_document_worker_call (worker, SC_WORKER_OP_OPEN, open_args (self),
                                    self->pdf_bytes, G_VARIANT_TYPE ("(ba(dd)msmss)"), 0,
                                    NULL, NULL, error);
  if (result == NULL)
    {
      /* What the worker reports (damaged, needs a password) is said as it is; that it died
       * is said about this file. */
      if (!sc_document_worker_is_alive (worker))
        /* Translators: the file name; a reason follows. */
        g_prefix_error (error, _("“%s” could not be opened: "), self->display_name);
      sc_document_worker_free (worker);
      return FALSE;
    }
  self->worker = worker;
  if (reply != NULL)
    *reply = g_steal_pointer (&result);
  return TRUE;
}

/* Requests that killed a worker are remembered by page and kind: a page that cannot be
 * rendered may still have its text. */
static gpointer
failure_key (guint      page,
             ScWorkerOp op)
{
  return GSIZE_TO_POINTER (((gsize) page << 4) + op);
}

/* Called with the lock held: one request about @page. A request that kills the worker is
 * tried again with a new one; when that dies too, the request is remembered as failed (and
 * *@crashed set). */
static GVariant *
call_worker (ScDocument          *self,
             guint                page,
             ScWorkerOp           op,
             GVariant            *args,
             const GVariantType  *reply_type,
             guint64              max_reply_data,
             guint8             **reply_data,
             guint64             *reply_data_size,
             gboolean            *crashed,
             GError             **error)
{
  g_autoptr(GVariant) request = g_variant_ref_sink (args);
  const char *failed = g_hash_table_lookup (self->failed_pages, failure_key (page, op));
  GError *local_error = NULL;
  GVariant *reply;
  gboolean retry;

  *crashed = FALSE;
  if (failed != NULL)
    {
      *crashed = TRUE;
      g_set_error_literal (error, SC_ERROR, SC_ERROR_CORRUPT, failed);
      return NULL;
    }
  if (self->worker == NULL && !start_worker (self, NULL, error))
    {
      *crashed = TRUE;
      return NULL;
    }
  for (guint attempt = 0;; attempt++)
    {
      reply = sc_document_worker_call (self->worker, op, request, NULL, reply_type,
                                       max_reply_data, reply_data, reply_data_size,
                                       &local_error);
      if (reply != NULL || sc_document_worker_is_alive (self->worker))
        break;
      /* A request that ran out of time would only do so again. */
      retry = attempt == 0 && !sc_document_worker_timed_out (self->worker);
      g_clear_pointer (&self->worker, sc_document_worker_free);
      if (retry && start_worker (self, NULL, NULL))
        {
          g_debug ("%s: the worker died (%s); trying again", self->display_name,
                   local_error->message);
          g_clear_error (&local_error);
          continue;
        }
      *crashed = TRUE;
      g_hash_table_insert (self->failed_pages, failure_key (page, op),
                           g_strdup (local_error->message));
      break;
    }
  if (reply == NULL)
    g_propagate_error (error, local_error);
  return reply;
}

/* Called with the lock held: a worker answered nonsense; it is not asked again. */
static void
drop_worker (ScDocument *self,
             guint       page,
             ScWorkerOp  op,
             GError    **error)
{
  g_clear_pointer (&self->worker, sc_document_worker_free);
  g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
               _("the program reading the PDF gave an invalid answer and was stopped"));
  g_hash_table_insert (self->failed_pages, failure_key (page, op),
                       g_strdup ((*error)->message));
}

static gboolean
valid_box (double x,
           double y,
           double width,
           double height)
{
  return isfinite (x) && isfinite (y) && isfinite (width) && isfinite (height) &&
         width >= 0 && height >= 0;
}

/* Reads an a(dddd) of boxes from a worker; FALSE if any is not a finite rectangle. */
static gboolean
read_boxes (GVariant *array,
            GArray   *boxes)
{
  GVariantIter iter;
  ScRect r;

  g_variant_iter_init (&iter, array);
  while (g_variant_iter_next (&iter, "(dddd)", &r.x, &r.y, &r.width, &r.height))
    {
      if (!valid_box (r.x, r.y, r.width, r.height))
        return FALSE;
      g_array_append_val (boxes, r);
    }
  return TRUE;
}

/* Opens @bytes in a worker and takes the page geometry and metadata from its answer. */
static gboolean
load_pdf_isolated (ScDocument  *self,
                   GBytes      *bytes,
                   const char  *password,
                   GError     **error)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariantIter) sizes = NULL;
  const char *title, *author, *metadata;
  gboolean encrypted;
  double width, height;
  gsize n_pages, i = 0;

  self->isolated = TRUE;
  self->pdf_bytes = g_bytes_ref (bytes);
  self->password = g_strdup (password);
  self->failed_pages = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  if (!start_worker (self, &reply, error))
    return FALSE;

  g_variant_get (reply, "(ba(dd)m&sm&s&s)", &encrypted, &sizes, &title, &author, &metadata);
  n_pages = g_variant_iter_n_children (sizes);
  if (n_pages == 0 || n_pages > MAX_WORKER_PAGES)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("“%s” is damaged and cannot be opened"), self->display_name);
      return FALSE;
    }
  self->page_sizes = g_new (double, 2 * n_pages);
  while (g_variant_iter_next (sizes, "(dd)", &width, &height))
    {
      if (!(isfinite (width) && isfinite (height) && width > 0 && height > 0))
        {
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                       _("“%s” is damaged and cannot be opened"), self->display_name);
          return FALSE;
        }
      self->page_sizes[2 * i] = width;
      self->page_sizes[2 * i + 1] = height;
      i++;
    }
  self->n_pages = (guint) n_pages;
  self->encrypted = encrypted;
  if (!encrypted)
    g_clear_pointer (&self->password, password_free);
  self->title = g_strdup (title);
  self->author = g_strdup (author);
  self->metadata_text = g_strdup (metadata);
  return TRUE;
}

static gboolean
load_text (ScDocument  *self,
           GBytes      *bytes,
           GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GPtrArray) page_texts = NULL;
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  text = sc_text_layout_decode (data, length);
  if (text == NULL)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   _("“%s” is not a PDF or text document"), self->display_name);
      return FALSE;
    }
  if (is_blank (text))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_EMPTY,
                   _("“%s” contains no text"), self->display_name);
      return FALSE;
    }

  self->kind = SC_DOCUMENT_KIND_TEXT;
  pdf = sc_text_layout_typeset (text, &page_texts, error);
  if (pdf == NULL)
    return FALSE;
  if (!load_pdf (self, pdf, NULL, error))
    return FALSE;

  /* Each typeset page holds exactly one page of source text; anything else is a bug. */
  if (page_texts->len != self->n_pages)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_FAILED,
                   "typesetting %s gave %u pages of text for %u PDF pages",
                   self->display_name, page_texts->len, self->n_pages);
      return FALSE;
    }
  self->page_texts = g_steal_pointer (&page_texts);
  return TRUE;
}

static void
set_too_large_error (GError     **error,
                     const char  *display_name,
                     guint64      size,
                     gboolean     any_kind)
{
  g_autofree char *have = g_format_size (size);
  g_autofree char *limit = g_format_size (any_kind ? MAX_FILE_BYTES : MAX_TEXT_BYTES);

  if (any_kind)
    /* Translators: a file name, its size, the largest size opened ("1,1 GB"). */
    g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                 _("“%s” is too large to open (%s; at most %s)"), display_name, have, limit);
  else
    g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                 _("“%s” is too large for a text document (%s; at most %s)"), display_name,
                 have, limit);
}

/* Refuses files too large to read before reading them: any file over MAX_FILE_BYTES, and one
 * over MAX_TEXT_BYTES whose start is no PDF header. Errors of the size query itself are left
 * to the read that follows. */
static gboolean
check_file_size (GFile         *file,
                 const char    *display_name,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                 G_FILE_QUERY_INFO_NONE, cancellable, NULL);
  g_autoptr(GFileInputStream) in = NULL;
  guint8 head[PDF_SNIFF_LENGTH];
  gsize n_read = 0;
  guint64 size;

  if (info == NULL || !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    return TRUE;
  size = (guint64) g_file_info_get_size (info);
  if (size > MAX_FILE_BYTES)
    {
      set_too_large_error (error, display_name, size, TRUE);
      return FALSE;
    }
  if (size <= MAX_TEXT_BYTES)
    return TRUE;

  in = g_file_read (file, cancellable, NULL);
  if (in == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (in), head, sizeof head, &n_read, cancellable,
                                NULL))
    return TRUE;
  {
    g_autoptr(GBytes) start = g_bytes_new_static (head, n_read);

    if (looks_like_pdf (start))
      return TRUE;
  }
  set_too_large_error (error, display_name, size, FALSE);
  return FALSE;
}

static ScDocument *
document_new_from_bytes (GBytes      *bytes,
                         GFile       *file,
                         const char  *display_name,
                         const char  *password,
                         gboolean     local,
                         GError     **error)
{
  g_autoptr(ScDocument) self = g_object_new (SC_TYPE_DOCUMENT, NULL);
  gboolean ok;

  self->file = file != NULL ? g_object_ref (file) : NULL;
  self->display_name = g_utf8_make_valid (display_name, -1);
  if (password != NULL && *password == '\0')
    password = NULL;

  if (g_bytes_get_size (bytes) == 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_EMPTY,
                   _("“%s” is empty"), self->display_name);
      return NULL;
    }

  if (looks_like_pdf (bytes))
    {
      self->kind = SC_DOCUMENT_KIND_PDF;
      if (!local && isolation_enabled ())
        ok = load_pdf_isolated (self, bytes, password, error);
      else
        ok = load_pdf (self, bytes, password, error);
    }
  else if (g_bytes_get_size (bytes) > MAX_TEXT_BYTES)
    {
      set_too_large_error (error, self->display_name, g_bytes_get_size (bytes), FALSE);
      ok = FALSE;
    }
  else
    {
      ok = load_text (self, bytes, error);
    }
  return ok ? g_steal_pointer (&self) : NULL;
}

/* Turns a GIO error from reading @display_name into an SC_ERROR_IO error with the operating
 * system's wording for the common cases. Cancellation stays G_IO_ERROR_CANCELLED. */
static void
propagate_read_error (GError      **error,
                      GError       *io_error,
                      const char   *display_name)
{
  const char *reason = io_error->message;

  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, io_error);
      return;
    }
  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    reason = g_strerror (ENOENT);
  else if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
    reason = g_strerror (EISDIR);
  else if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    reason = g_strerror (EACCES);

  g_set_error (error, SC_ERROR, SC_ERROR_IO, _("“%s” could not be read: %s"),
               display_name, reason);
  g_error_free (io_error);
}

ScDocument *
sc_document_new_from_file (GFile         *file,
                           const char    *password,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autofree char *display_name = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GError *io_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display_name = display_name_for_file (file);
  if (!check_file_size (file, display_name, cancellable, error))
    return NULL;
  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, &io_error))
    {
      propagate_read_error (error, io_error, display_name);
      return NULL;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return document_new_from_bytes (bytes, file, display_name, password, FALSE, error);
}

ScDocument *
sc_document_new_from_bytes (GBytes      *bytes,
                            const char  *name,
                            const char  *password,
                            GError     **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return document_new_from_bytes (bytes, NULL, name != NULL ? name : _("Untitled document"),
                                  password, FALSE, error);
}

ScDocument *
_sc_document_new_local (GBytes      *bytes,
                        const char  *name,
                        const char  *password,
                        GError     **error)
{
  g_return_val_if_fail (bytes != NULL && name != NULL, NULL);

  return document_new_from_bytes (bytes, NULL, name, password, TRUE, error);
}

gboolean
_sc_document_is_isolated (ScDocument *self)
{
  g_return_val_if_fail (SC_IS_DOCUMENT (self), FALSE);
  return self->isolated;
}

GPid
_sc_document_get_worker_pid (ScDocument *self)
{
  GPid pid = 0;

  g_return_val_if_fail (SC_IS_DOCUMENT (self), 0);

  g_mutex_lock (&self->lock);
  if (self->worker != NULL)
    pid = sc_document_worker_get_pid (self->worker);
  g_mutex_unlock (&self->lock);
  return pid;
}

typedef struct
{
  GFile *file;
  char  *password;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_clear_object (&data->file);
  g_clear_pointer (&data->password, password_free);
  g_free (data);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *data = task_data;
  GError *error = NULL;
  ScDocument *document;

  document = sc_document_new_from_file (data->file, data->password, cancellable, &error);
  /* The password is not needed any more: do not keep it until the task is freed. */
  g_clear_pointer (&data->password, password_free);
  if (document == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, document, g_object_unref);
}

void
sc_document_new_from_file_async (GFile               *file,
                                 const char          *password,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenData *data;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (OpenData, 1);
  data->file = g_object_ref (file);
  data->password = g_strdup (password);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sc_document_new_from_file_async);
  g_task_set_name (task, "sc_document_new_from_file_async");
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_thread);
}

ScDocument *
sc_document_new_from_file_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        sc_document_new_from_file_async, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* Properties read at load time                                                                */
/* ------------------------------------------------------------------------------------------ */

GFile *
sc_document_get_file (ScDocument *self)
{
  g_return_val_if_fail (SC_IS_DOCUMENT (self), NULL);
  return self->file;
}

ScDocumentKind
sc_document_get_kind (ScDocument *self)
{
  g_return_val_if_fail (SC_IS_DOCUMENT (self), SC_DOCUMENT_KIND_PDF);
  return self->kind;
}

const char *
sc_document_get_title (ScDocument *self)
{
  g_return_val_if_fail (SC_IS_DOCUMENT (self), NULL);
  return self->title != NULL ? self->title : self->display_name;
}

const char *
sc_document_get_metadata_title (ScDocument *self)
{
  g_return_val_if_fail (SC_IS_DOCUMENT (self), NULL);
  return self->title;
}

const char *
sc_document_get_author (ScDocument *self)
{
  g_return_val_if_fail (SC_IS_DOCUMENT (self), NULL);
  return self->author;
}

GBytes *
sc_document_get_pdf_data (ScDocument *self)
{
  GBytes *bytes;

  g_return_val_if_fail (SC_IS_DOCUMENT (self), NULL);

  g_mutex_lock (&self->lock);
  bytes = g_bytes_ref (self->pdf_bytes);
  g_mutex_unlock (&self->lock);
  return bytes;
}

char *
sc_document_get_metadata_text (ScDocument *self)
{
  GString *text = g_string_new (NULL);
  char *(*getters[]) (PopplerDocument *) = {
    poppler_document_get_title, poppler_document_get_author, poppler_document_get_subject,
    poppler_document_get_keywords, poppler_document_get_creator, poppler_document_get_producer,
    poppler_document_get_metadata,
  };

  g_return_val_if_fail (SC_IS_DOCUMENT (self), NULL);

  if (self->isolated)
    {
      g_string_append (text, self->metadata_text);
      return g_string_free (text, FALSE);
    }

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < G_N_ELEMENTS (getters); i++)
    {
      g_autofree char *value = getters[i] (self->poppler_doc);

      if (value != NULL)
        {
          g_string_append (text, value);
          g_string_append_c (text, '\n');
        }
    }
  g_mutex_unlock (&self->lock);
  return g_string_free (text, FALSE);
}

gboolean
sc_document_get_encrypted (ScDocument *self)
{
  g_return_val_if_fail (SC_IS_DOCUMENT (self), FALSE);
  return self->encrypted;
}

guint
sc_document_get_n_pages (ScDocument *self)
{
  g_return_val_if_fail (SC_IS_DOCUMENT (self), 0);
  return self->n_pages;
}

void
sc_document_get_page_size (ScDocument *self,
                           guint       page,
                           double     *width,
                           double     *height)
{
  if (width != NULL)
    *width = 0;
  if (height != NULL)
    *height = 0;

  g_return_if_fail (SC_IS_DOCUMENT (self));
  g_return_if_fail (page < self->n_pages);

  if (width != NULL)
    *width = self->page_sizes[2 * page];
  if (height != NULL)
    *height = self->page_sizes[2 * page + 1];
}

/* ------------------------------------------------------------------------------------------ */
/* Text, rendering and search: everything here takes the lock                                 */
/* ------------------------------------------------------------------------------------------ */

char *
sc_document_get_page_text (ScDocument *self,
                           guint       page)
{
  PopplerPage *poppler_page;
  char *text;

  g_return_val_if_fail (SC_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (page < self->n_pages, NULL);

  /* Text documents answer with their source, not what poppler reads back from the PDF. */
  if (self->page_texts != NULL)
    return g_strdup (g_ptr_array_index (self->page_texts, page));

  if (self->isolated)
    {
      g_autoptr(GVariant) reply = NULL;
      g_autoptr(GError) error = NULL;
      gboolean crashed;

      g_mutex_lock (&self->lock);
      reply = call_worker (self, page, SC_WORKER_OP_TEXT, g_variant_new ("(u)", page),
                           G_VARIANT_TYPE ("(s)"), 0, NULL, NULL, &crashed, &error);
      g_mutex_unlock (&self->lock);
      if (reply == NULL)
        {
          g_debug ("%s: no text for page %u: %s", self->display_name, page + 1, error->message);
          return g_strdup ("");
        }
      g_variant_get (reply, "(s)", &text);
      return text;
    }

  g_mutex_lock (&self->lock);
  poppler_page = poppler_document_get_page (self->poppler_doc, (int) page);
  text = poppler_page != NULL ? poppler_page_get_text (poppler_page) : NULL;
  g_clear_object (&poppler_page);
  g_mutex_unlock (&self->lock);

  return text != NULL ? text : g_strdup ("");
}

char *
sc_document_get_text (ScDocument *self)
{
  GString *text;

  g_return_val_if_fail (SC_IS_DOCUMENT (self), NULL);

  text = g_string_new (NULL);
  for (guint i = 0; i < self->n_pages; i++)
    {
      g_autofree char *page_text = sc_document_get_page_text (self, i);

      g_string_append (text, page_text);
      g_string_append_c (text, '\f');
    }
  return g_string_free (text, FALSE);
}

/* How far ahead in poppler's characters align_layout() looks for the next character of the
 * page text before it gives that character up as not laid out. */
#define LAYOUT_RESYNC_WINDOW 32

/* Gives each code point of @text the rectangle of the same character in poppler's text
 * @laid_out (whose k-th code point has rects[k], for k < n_rects). The two texts are the same
 * for PDFs; a text document's source keeps runs of spaces, tabs and line ends that its typeset
 * page shows differently, so the non-blank characters are matched in order and a character
 * poppler does not show is skipped without losing the place. Blanks get an empty rectangle. */
static GArray *
align_layout (const char             *text,
              const char             *laid_out,
              const PopplerRectangle *rects,
              guint                   n_rects,
              double                  page_width,
              double                  page_height)
{
  GArray *boxes = g_array_new (FALSE, TRUE, sizeof (ScRect));
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
  g_autoptr(GArray) where = g_array_new (FALSE, FALSE, sizeof (guint));
  guint k = 0, j = 0;

  /* poppler's non-blank characters that have a rectangle, with its index */
  for (const char *p = laid_out; *p != '\0' && k < n_rects; p = g_utf8_next_char (p), k++)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        continue;
      g_array_append_val (chars, c);
      g_array_append_val (where, k);
    }

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      ScRect box = { 0, 0, 0, 0 };

      if (!g_unichar_isspace (c))
        {
          guint limit = MIN (chars->len, j + LAYOUT_RESYNC_WINDOW);

          for (guint m = j; m < limit; m++)
            {
              if (g_array_index (chars, gunichar, m) == c)
                {
                  const PopplerRectangle *r = &rects[g_array_index (where, guint, m)];
                  double x1 = CLAMP (MIN (r->x1, r->x2), 0, page_width);
                  double x2 = CLAMP (MAX (r->x1, r->x2), 0, page_width);
                  double y1 = CLAMP (MIN (r->y1, r->y2), 0, page_height);
                  double y2 = CLAMP (MAX (r->y1, r->y2), 0, page_height);

                  box = (ScRect) { x1, y1, x2 - x1, y2 - y1 };
                  j = m + 1;
                  break;
                }
            }
        }
      g_array_append_val (boxes, box);
    }
  return boxes;
}

/* The layout as a worker read it: boxes must match the text one for one, and are kept on the
 * page. Anything else gives an empty page (the text is then unknown, not wrong). */
static GArray *
page_layout_isolated (ScDocument  *self,
                      guint        page,
                      char       **text)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) array = NULL;
  g_autoptr(GError) error = NULL;
  GArray *boxes = g_array_new (FALSE, TRUE, sizeof (ScRect));
  double page_width = self->page_sizes[2 * page];
  double page_height = self->page_sizes[2 * page + 1];
  const char *laid_out = "";
  gboolean crashed;

  g_mutex_lock (&self->lock);
  reply = call_worker (self, page, SC_WORKER_OP_LAYOUT, g_variant_new ("(u)", page),
                       G_VARIANT_TYPE ("(sa(dddd))"), 0, NULL, NULL, &crashed, &error);
  if (reply != NULL)
    {
      g_variant_get (reply, "(&s@a(dddd))", &laid_out, &array);
      if (!read_boxes (array, boxes) ||
          (glong) boxes->len != g_utf8_strlen (laid_out, -1))
        {
          drop_worker (self, page, SC_WORKER_OP_LAYOUT, &error);
          g_array_set_size (boxes, 0);
          laid_out = "";
        }
    }
  g_mutex_unlock (&self->lock);

  if (error != NULL)
    g_debug ("%s: no layout for page %u: %s", self->display_name, page + 1, error->message);
  for (guint i = 0; i < boxes->len; i++)
    {
      ScRect *r = &g_array_index (boxes, ScRect, i);
      double x1 = CLAMP (r->x, 0, page_width), y1 = CLAMP (r->y, 0, page_height);
      double x2 = CLAMP (r->x + r->width, 0, page_width);
      double y2 = CLAMP (r->y + r->height, 0, page_height);

      *r = (ScRect) { x1, y1, x2 - x1, y2 - y1 };
    }
  if (text != NULL)
    *text = g_strdup (laid_out);
  return boxes;
}

GArray *
sc_document_get_page_layout (ScDocument  *self,
                             guint        page,
                             char       **text)
{
  PopplerPage *poppler_page;
  PopplerRectangle *rects = NULL;
  g_autofree char *laid_out = NULL;
  g_autofree char *page_text = NULL;
  guint n_rects = 0;
  GArray *boxes;

  if (text != NULL)
    *text = NULL;

  g_return_val_if_fail (SC_IS_DOCUMENT (self), g_array_new (FALSE, TRUE, sizeof (ScRect)));
  g_return_val_if_fail (page < self->n_pages, g_array_new (FALSE, TRUE, sizeof (ScRect)));

  if (self->isolated)
    return page_layout_isolated (self, page, text);

  /* poppler's layout belongs to the text poppler extracts; reading both from one PopplerPage
   * lets poppler build its text page only once. */
  g_mutex_lock (&self->lock);
  poppler_page = poppler_document_get_page (self->poppler_doc, (int) page);
  if (poppler_page != NULL)
    {
      laid_out = poppler_page_get_text (poppler_page);
      if (!poppler_page_get_text_layout (poppler_page, &rects, &n_rects))
        {
          rects = NULL;
          n_rects = 0;
        }
    }
  g_clear_object (&poppler_page);
  g_mutex_unlock (&self->lock);

  if (laid_out == NULL)
    laid_out = g_strdup ("");
  if (self->page_texts != NULL)
    page_text = g_strdup (g_ptr_array_index (self->page_texts, page));
  else
    page_text = g_strdup (laid_out);

  boxes = align_layout (page_text, laid_out, rects, n_rects,
                        self->page_sizes[2 * page], self->page_sizes[2 * page + 1]);
  g_free (rects);
  if (text != NULL)
    *text = g_steal_pointer (&page_text);
  return boxes;
}

/* Called with the lock held: fails for a page that draws an image larger than
 * MAX_IMAGE_PIXELS. A file qpdf cannot read is not checked (poppler shows what it can). */
static gboolean
check_images (ScDocument  *self,
              guint        page,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *size = NULL;
  guint64 width = 0, height = 0;

  if (self->kind != SC_DOCUMENT_KIND_PDF)
    return TRUE;
  if (!self->images_read)
    {
      self->images_read = TRUE;
      self->images = sc_pdf_images_new (self->pdf_bytes, self->password, &local_error);
      if (self->images == NULL)
        g_debug ("%s: image sizes not checked: %s", self->display_name, local_error->message);
    }
  if (self->images == NULL ||
      !sc_pdf_images_get_largest (self->images, page, &width, &height, NULL))
    return TRUE;
  if (height == 0 || width <= MAX_IMAGE_PIXELS / height)
    return TRUE;
  size = g_strdup_printf ("%" G_GUINT64_FORMAT " × %" G_GUINT64_FORMAT, width, height);
  /* Translators: the second %s is the image's size, "30000 × 30000". */
  g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
               _("Page %u is not shown: it holds an image of %s pixels, more than can be "
                 "shown safely"),
               page + 1, size);
  return FALSE;
}

static const cairo_user_data_key_t pixels_key;

/* The page as a worker rendered it, which must be exactly the surface asked for. */
static cairo_surface_t *
render_page_isolated (ScDocument  *self,
                      guint        page,
                      double       scale,
                      int          width,
                      int          height,
                      int          stride,
                      GError     **error)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree guint8 *pixels = NULL;
  cairo_surface_t *surface;
  guint64 size = 0;
  gint32 w = 0, h = 0, s = 0;
  gboolean crashed;

  g_mutex_lock (&self->lock);
  reply = call_worker (self, page, SC_WORKER_OP_RENDER, g_variant_new ("(ud)", page, scale),
                       G_VARIANT_TYPE ("(iii)"), (guint64) stride * (guint64) height,
                       &pixels, &size, &crashed, &local_error);
  if (reply != NULL)
    {
      g_variant_get (reply, "(iii)", &w, &h, &s);
      if (w != width || h != height || s != stride || size != (guint64) stride * height)
        {
          drop_worker (self, page, SC_WORKER_OP_RENDER, &local_error);
          crashed = TRUE;
          g_clear_pointer (&reply, g_variant_unref);
        }
    }
  g_mutex_unlock (&self->lock);

  if (reply == NULL)
    {
      /* What the worker says about the page ("it holds an image of …") is complete; that it
       * died needs saying which page. */
      if (crashed)
        g_set_error (error, SC_ERROR, local_error->code,
                     _("Page %u could not be shown: %s"), page + 1, local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  surface = cairo_image_surface_create_for_data (pixels, CAIRO_FORMAT_ARGB32, width, height,
                                                 stride);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS ||
      cairo_surface_set_user_data (surface, &pixels_key, pixels, g_free) !=
      CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_FAILED, _("Page %u could not be shown: %s"),
                   page + 1, cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return NULL;
    }
  pixels = NULL;
  cairo_surface_mark_dirty (surface);
  return surface;
}

cairo_surface_t *
sc_document_render_page (ScDocument  *self,
                         guint        page,
                         double       scale,
                         GError     **error)
{
  PopplerPage *poppler_page;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  double width_px, height_px;
  int width, height, stride;

  g_return_val_if_fail (SC_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (page >= self->n_pages)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   "page %u does not exist (the document has %u)", page, self->n_pages);
      return NULL;
    }

  width_px = ceil (self->page_sizes[2 * page] * scale);
  height_px = ceil (self->page_sizes[2 * page + 1] * scale);
  if (!(scale > 0) || !isfinite (scale) ||
      !(width_px >= 1 && width_px <= MAX_RENDER_SIDE) ||
      !(height_px >= 1 && height_px <= MAX_RENDER_SIDE))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("Page %u cannot be shown at %g %%: the image would be too large"),
                   page + 1, scale * 100);
      return NULL;
    }
  width = (int) width_px;
  height = (int) height_px;
  stride = cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, width);
  if (stride <= 0 || (gint64) stride * height > MAX_RENDER_BYTES)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("Page %u cannot be shown at %g %%: the image would be too large"),
                   page + 1, scale * 100);
      return NULL;
    }

  if (self->isolated)
    return render_page_isolated (self, page, scale, width, height, stride, error);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  status = cairo_surface_status (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, SC_ERROR, SC_ERROR_FAILED,
                   _("Page %u could not be shown: %s"), page + 1,
                   cairo_status_to_string (status));
      return NULL;
    }

  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);

  g_mutex_lock (&self->lock);
  if (!check_images (self, page, error))
    {
      g_mutex_unlock (&self->lock);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      return NULL;
    }
  poppler_page = poppler_document_get_page (self->poppler_doc, (int) page);
  if (poppler_page != NULL)
    poppler_page_render (poppler_page, cr);
  g_clear_object (&poppler_page);
  g_mutex_unlock (&self->lock);

  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, SC_ERROR, SC_ERROR_FAILED,
                   _("Page %u could not be shown: %s"), page + 1,
                   cairo_status_to_string (status));
      return NULL;
    }
  cairo_surface_flush (surface);
  return surface;
}

GArray *
sc_document_find_text (ScDocument *self,
                       guint       page,
                       const char *text)
{
  PopplerPage *poppler_page;
  GArray *hits = g_array_new (FALSE, FALSE, sizeof (ScRect));
  GList *matches = NULL;
  double page_height;
  gboolean continued = FALSE;

  g_return_val_if_fail (SC_IS_DOCUMENT (self), hits);
  g_return_val_if_fail (page < self->n_pages, hits);
  g_return_val_if_fail (text != NULL, hits);

  if (*text == '\0')
    return hits;

  if (self->isolated)
    {
      g_autoptr(GVariant) reply = NULL;
      g_autoptr(GVariant) array = NULL;
      g_autoptr(GError) error = NULL;
      gboolean crashed;

      g_mutex_lock (&self->lock);
      reply = call_worker (self, page, SC_WORKER_OP_FIND, g_variant_new ("(us)", page, text),
                           G_VARIANT_TYPE ("(a(dddd))"), 0, NULL, NULL, &crashed, &error);
      if (reply != NULL)
        {
          g_variant_get (reply, "(@a(dddd))", &array);
          if (!read_boxes (array, hits))
            {
              drop_worker (self, page, SC_WORKER_OP_FIND, &error);
              g_array_set_size (hits, 0);
            }
        }
      g_mutex_unlock (&self->lock);
      if (error != NULL)
        g_debug ("%s: page %u not searched: %s", self->display_name, page + 1, error->message);
      return hits;
    }

  g_mutex_lock (&self->lock);
  poppler_page = poppler_document_get_page (self->poppler_doc, (int) page);
  if (poppler_page != NULL)
    matches = poppler_page_find_text_with_options (poppler_page, text, POPPLER_FIND_DEFAULT);
  g_clear_object (&poppler_page);
  g_mutex_unlock (&self->lock);

  /* poppler's rectangles have their origin at the bottom left; ours at the top left. A hit
   * that poppler reports in several pieces (one per line) is joined into one box. */
  page_height = self->page_sizes[2 * page + 1];
  for (GList *l = matches; l != NULL; l = l->next)
    {
      PopplerRectangle *r = l->data;
      double x1 = MIN (r->x1, r->x2), x2 = MAX (r->x1, r->x2);
      double y1 = MIN (r->y1, r->y2), y2 = MAX (r->y1, r->y2);
      ScRect rect = { x1, page_height - y2, x2 - x1, y2 - y1 };

      if (continued && hits->len > 0)
        {
          ScRect *prev = &g_array_index (hits, ScRect, hits->len - 1);
          double left = MIN (prev->x, rect.x);
          double top = MIN (prev->y, rect.y);
          double right = MAX (prev->x + prev->width, rect.x + rect.width);
          double bottom = MAX (prev->y + prev->height, rect.y + rect.height);

          *prev = (ScRect) { left, top, right - left, bottom - top };
        }
      else
        {
          g_array_append_val (hits, rect);
        }
      continued = poppler_rectangle_find_get_match_continued (r);
    }
  g_list_free_full (matches, (GDestroyNotify) poppler_rectangle_free);
  return hits;
}
