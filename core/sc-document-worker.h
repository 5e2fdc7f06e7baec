/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-document-worker.h: the separate process that parses and renders PDF files (private).
 *
 * PDFs come from outside (citizens, other authorities) and poppler and qpdf are large parsers.
 * An ScDocument for a PDF therefore does its poppler work in `sichtung-document-worker`, a
 * process of its own with a memory limit, no network (a seccomp filter refuses socket()) and a
 * time limit per request enforced from here: a crash, a decompression bomb or an endless loop
 * ends the worker, and the application gets an error instead.
 *
 * The two sides talk over a socket pair in frames: a header (tag, length of the GVariant
 * arguments, length of raw data that follows them) and the parts. Requests carry an
 * ScWorkerOp tag; replies SC_WORKER_REPLY_OK with the result, or SC_WORKER_REPLY_ERROR with
 * "(is)", an SC_ERROR code and its message. The parent checks every reply against what it
 * asked for: a worker that parsed a hostile file is not trusted either.
 *
 *   OPEN    (smay)  + the PDF's bytes      →  (ba(dd)msmss)  encrypted, page sizes, title,
 *                                                            author, metadata text
 *   TEXT    (u)  page                      →  (s)
 *   LAYOUT  (u)  page                      →  (sa(dddd))     text, one box per character
 *   RENDER  (ud) page, scale               →  (iii) width, height, stride + the pixels
 *                                                            (CAIRO_FORMAT_ARGB32)
 *   FIND    (us) page, text                →  (a(dddd))
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SC_WORKER_OP_OPEN = 1,
  SC_WORKER_OP_TEXT,
  SC_WORKER_OP_LAYOUT,
  SC_WORKER_OP_RENDER,
  SC_WORKER_OP_FIND,
} ScWorkerOp;

#define SC_WORKER_REPLY_OK    0x4f4bu
#define SC_WORKER_REPLY_ERROR 0x4552u

typedef struct
{
  guint32 tag;        /* an ScWorkerOp or SC_WORKER_REPLY_* */
  guint32 args_size;  /* bytes of serialised GVariant that follow */
  guint64 data_size;  /* raw bytes after the arguments */
} ScWorkerHeader;

G_STATIC_ASSERT (sizeof (ScWorkerHeader) == 16);

/* The largest argument block either side accepts (a page's text and boxes fit easily). */
#define SC_WORKER_MAX_ARGS ((guint32) 256 << 20)

typedef struct _ScDocumentWorker ScDocumentWorker;

/* Starts a worker. Fails with SC_ERROR_FAILED when the program cannot be found or started. */
ScDocumentWorker *sc_document_worker_new       (GError            **error);
/* Ends the worker (it is killed if it does not go by itself) and frees @self. */
void              sc_document_worker_free      (ScDocumentWorker   *self);

/* Sends a request and waits for the reply, at most the worker's time limit. @args is consumed
 * if floating. @data (may be NULL) follows the arguments raw. On success returns the reply's
 * arguments (of @reply_type) and, when @reply_data is not NULL, stores the raw part there
 * (a buffer of *@reply_data_size bytes, free with g_free()); replies with more raw data than
 * @max_reply_data fail. An error the worker reports comes back with its code and message; when
 * the worker crashed, ran out of memory or time, or answered nonsense, the error says so
 * (SC_ERROR_CORRUPT) and the worker is dead from then on (see _is_alive()). */
GVariant         *sc_document_worker_call      (ScDocumentWorker   *self,
                                                ScWorkerOp          op,
                                                GVariant           *args,
                                                GBytes             *data,
                                                const GVariantType *reply_type,
                                                guint64             max_reply_data,
                                                guint8            **reply_data,
                                                guint64            *reply_data_size,
                                                GError            **error);
gboolean          sc_document_worker_is_alive  (ScDocumentWorker   *self);
/* Whether it was stopped because a request took longer than the time limit. */
gboolean          sc_document_worker_timed_out (ScDocumentWorker   *self);
/* The worker's process id (for tests). */
GPid              sc_document_worker_get_pid   (ScDocumentWorker   *self);

/* Frame input/output shared with the worker program: every byte or an error. A time limit
 * of -1 waits for ever. */
gboolean          _sc_worker_read_all          (int                 fd,
                                                void               *buffer,
                                                gsize               size,
                                                gint64              deadline_us,
                                                gboolean           *timed_out);
gboolean          _sc_worker_write_all         (int                 fd,
                                                const void         *buffer,
                                                gsize               size,
                                                gint64              deadline_us,
                                                gboolean           *timed_out);

G_END_DECLS
