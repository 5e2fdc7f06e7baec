/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-document-worker.c: starting and talking to sichtung-document-worker (see the header).
 *
 * Where the program is: $SICHTUNG_DOCUMENT_WORKER when set; the build tree's copy when the
 * running program itself lives in the build tree (tests, tools); else the installed one in
 * libexecdir. Its memory limit (MiB) and the time limit per request (ms) can be changed with
 * $SICHTUNG_DOCUMENT_WORKER_MEMORY_MB and $SICHTUNG_DOCUMENT_WORKER_TIMEOUT_MS.
 */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

#include "sc-document-worker.h"
#include "sc-error.h"
#include "sc-paths.h"

/* Generous for one page of a real document on a slow laptop; an endless loop ends here. */
#define DEFAULT_TIMEOUT_MS (60 * 1000)
/* Rendering the largest page image allowed (256 MB) plus poppler's own needs. */
#define DEFAULT_MEMORY_MB  2048

struct _ScDocumentWorker
{
  GPid      pid;
  int       fd;        /* our end of the socket pair; -1 once the worker is dead */
  gint64    timeout_us;
  gboolean  timed_out; /* it died because a request ran out of time */
};

/* ------------------------------------------------------------------------------------------ */
/* Frames                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* Waits until @fd is ready for @events or @deadline_us (monotonic; -1: never) has passed. */
static gboolean
wait_fd (int       fd,
         short     events,
         gint64    deadline_us,
         gboolean *timed_out)
{
  for (;;)
    {
      struct pollfd p = { .fd = fd, .events = events };
      int timeout_ms = -1;
      int n;

      if (deadline_us >= 0)
        {
          gint64 left = deadline_us - g_get_monotonic_time ();

          if (left <= 0)
            {
              *timed_out = TRUE;
              return FALSE;
            }
          timeout_ms = (int) MIN ((left + 999) / 1000, G_MAXINT);
        }
      n = poll (&p, 1, timeout_ms);
      if (n > 0)
        return TRUE;
      if (n < 0 && errno != EINTR)
        return FALSE;
    }
}

/* Sends or receives all @size bytes of @buffer before @deadline_us. */
static gboolean
transfer_all (int       fd,
              guint8   *buffer,
              gsize     size,
              gboolean  sending,
              gint64    deadline_us,
              gboolean *timed_out)
{
  gboolean dummy = FALSE;

  if (timed_out == NULL)
    timed_out = &dummy;
  *timed_out = FALSE;
  while (size > 0)
    {
      gsize chunk = MIN (size, (gsize) 1 << 24);
      ssize_t n;

      if (!wait_fd (fd, sending ? POLLOUT : POLLIN, deadline_us, timed_out))
        return FALSE;
      /* MSG_NOSIGNAL: a worker that died must not take the application down with SIGPIPE. */
      n = sending ? send (fd, buffer, chunk, MSG_NOSIGNAL) : recv (fd, buffer, chunk, 0);
      if (n == 0 && !sending)
        return FALSE;
      if (n < 0)
        {
          if (errno == EINTR || errno == EAGAIN)
            continue;
          return FALSE;
        }
      buffer += n;
      size -= (gsize) n;
    }
  return TRUE;
}

gboolean
_sc_worker_read_all (int       fd,
                     void     *buffer,
                     gsize     size,
                     gint64    deadline_us,
                     gboolean *timed_out)
{
  return transfer_all (fd, buffer, size, FALSE, deadline_us, timed_out);
}

gboolean
_sc_worker_write_all (int         fd,
                      const void *buffer,
                      gsize       size,
                      gint64      deadline_us,
                      gboolean   *timed_out)
{
  /* transfer_all() only reads from the buffer when sending. */
  return transfer_all (fd, (guint8 *) buffer, size, TRUE, deadline_us, timed_out);
}

/* ------------------------------------------------------------------------------------------ */
/* Starting and ending                                                                         */
/* ------------------------------------------------------------------------------------------ */

static gint64
env_number (const char *name,
            gint64      fallback,
            gint64      min,
            gint64      max)
{
  const char *value = g_getenv (name);
  gint64 n;
  char *end = NULL;

  if (value == NULL || *value == '\0')
    return fallback;
  n = g_ascii_strtoll (value, &end, 10);
  if (end == value || *end != '\0' || n < min || n > max)
    {
      g_debug ("ignoring %s=%s", name, value);
      return fallback;
    }
  return n;
}

/* Whether the running program is one of the build tree's (a test, the CLI in _build). */
static gboolean
running_from_build_tree (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *root = g_strconcat (SC_BUILD_ROOT, G_DIR_SEPARATOR_S, NULL);

  return exe != NULL && g_str_has_prefix (exe, root);
}

static char *
find_program (void)
{
  const char *path = g_getenv ("SICHTUNG_DOCUMENT_WORKER");

  if (path != NULL && *path != '\0')
    return g_strdup (path);
  if (running_from_build_tree () && g_file_test (SC_WORKER_BUILD_PATH, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (SC_WORKER_BUILD_PATH);
  return g_strdup (SC_WORKER_INSTALL_PATH);
}

ScDocumentWorker *
sc_document_worker_new (GError **error)
{
  g_autofree char *program = find_program ();
  g_autofree char *memory = NULL;
  g_autoptr(GError) spawn_error = NULL;
  ScDocumentWorker *self;
  int fds[2];
  GPid pid = 0;
  gboolean ok;

  if (!g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    {
      /* Translators: %s is the path of a program that belongs to the installation. */
      g_set_error (error, SC_ERROR, SC_ERROR_FAILED,
                   _("PDF files cannot be opened: the program that reads them, “%s”, is "
                     "missing. Please reinstall Sichtung."), program);
      return NULL;
    }
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved = errno;

      g_set_error (error, SC_ERROR, SC_ERROR_FAILED,
                   _("PDF files cannot be opened: the program that reads them could not be "
                     "started (%s)"), g_strerror (saved));
      return NULL;
    }

  memory = g_strdup_printf ("%" G_GINT64_FORMAT,
                            env_number ("SICHTUNG_DOCUMENT_WORKER_MEMORY_MB", DEFAULT_MEMORY_MB,
                                        64, 1 << 20));
  {
    const char *argv[] = { program, "--fd", "3", "--memory-mb", memory, NULL };
    int source_fds[] = { fds[1] };
    int target_fds[] = { 3 };

    ok = g_spawn_async_with_pipes_and_fds (NULL, argv, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD |
                                           G_SPAWN_STDIN_FROM_DEV_NULL |
                                           G_SPAWN_STDOUT_TO_DEV_NULL,
                                           NULL, NULL, -1, -1, -1,
                                           source_fds, target_fds, 1,
                                           &pid, NULL, NULL, NULL, &spawn_error);
  }
  close (fds[1]);
  if (!ok)
    {
      close (fds[0]);
      g_set_error (error, SC_ERROR, SC_ERROR_FAILED,
                   _("PDF files cannot be opened: the program that reads them could not be "
                     "started (%s)"), spawn_error->message);
      return NULL;
    }

  self = g_new0 (ScDocumentWorker, 1);
  self->pid = pid;
  self->fd = fds[0];
  self->timeout_us = 1000 * env_number ("SICHTUNG_DOCUMENT_WORKER_TIMEOUT_MS",
                                        DEFAULT_TIMEOUT_MS, 1, (gint64) 24 * 3600 * 1000);
  return self;
}

/* Ends the worker for good and returns how it ended (a waitpid() status), or -1. */
static int
reap (ScDocumentWorker *self,
      gboolean          kill_now)
{
  int status = -1;

  if (self->fd >= 0)
    {
      close (self->fd);
      self->fd = -1;
    }
  if (self->pid <= 0)
    return -1;

  /* Without its socket the worker leaves by itself; give a crashing one a moment to finish
   * dying, then make sure. */
  if (!kill_now)
    {
      for (int i = 0; i < 100; i++)
        {
          pid_t r = waitpid (self->pid, &status, WNOHANG);

          if (r == self->pid)
            {
              self->pid = 0;
              return status;
            }
          if (r < 0 && errno != EINTR)
            {
              self->pid = 0;
              return -1;
            }
          g_usleep (10 * 1000);
        }
    }
  kill (self->pid, SIGKILL);
  while (waitpid (self->pid, &status, 0) < 0 && errno == EINTR)
    ;
  self->pid = 0;
  return status;
}

void
sc_document_worker_free (ScDocumentWorker *self)
{
  if (self == NULL)
    return;
  reap (self, TRUE);
  g_free (self);
}

gboolean
sc_document_worker_is_alive (ScDocumentWorker *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->fd >= 0;
}

gboolean
sc_document_worker_timed_out (ScDocumentWorker *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->timed_out;
}

GPid
sc_document_worker_get_pid (ScDocumentWorker *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->pid;
}

/* The worker failed to answer: end it and say why. */
static void
fail (ScDocumentWorker  *self,
      gboolean           timed_out,
      gboolean           nonsense,
      GError           **error)
{
  int status = reap (self, timed_out || nonsense);

  self->timed_out = timed_out;
  if (timed_out)
    {
      guint seconds = (guint) MAX (1, self->timeout_us / G_USEC_PER_SEC);

      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "reading the PDF took longer than %u second and was stopped",
                                "reading the PDF took longer than %u seconds and was stopped",
                                seconds),
                   seconds);
    }
  else if (nonsense)
    g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                 _("the program reading the PDF gave an invalid answer and was stopped"));
  else if (status != -1 && WIFSIGNALED (status))
    /* Translators: %d is a signal number, 11 for a segmentation fault, 6 for an abort. */
    g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                 _("the program reading the PDF crashed or went over its memory limit "
                   "(signal %d); the file may be damaged or made to attack PDF readers"),
                 WTERMSIG (status));
  else
    g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                 _("the program reading the PDF ended unexpectedly (exit status %d)"),
                 status != -1 && WIFEXITED (status) ? WEXITSTATUS (status) : -1);
}

/* ------------------------------------------------------------------------------------------ */
/* Requests                                                                                    */
/* ------------------------------------------------------------------------------------------ */

GVariant *
sc_document_worker_call (ScDocumentWorker    *self,
                         ScWorkerOp           op,
                         GVariant            *args,
                         GBytes              *data,
                         const GVariantType  *reply_type,
                         guint64              max_reply_data,
                         guint8             **reply_data,
                         guint64             *reply_data_size,
                         GError             **error)
{
  g_autoptr(GVariant) request = g_variant_ref_sink (args);
  g_autoptr(GVariant) reply = NULL;
  g_autofree guint8 *reply_args = NULL;
  g_autofree guint8 *raw = NULL;
  ScWorkerHeader header = { 0 };
  gsize data_size = data != NULL ? g_bytes_get_size (data) : 0;
  gboolean timed_out = FALSE;
  gint64 deadline;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (reply_data != NULL)
    *reply_data = NULL;
  if (reply_data_size != NULL)
    *reply_data_size = 0;
  if (self->fd < 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("the program reading the PDF has stopped"));
      return NULL;
    }

  deadline = g_get_monotonic_time () + self->timeout_us;
  header.tag = op;
  header.args_size = (guint32) g_variant_get_size (request);
  header.data_size = data_size;
  if (!_sc_worker_write_all (self->fd, &header, sizeof header, deadline, &timed_out) ||
      !_sc_worker_write_all (self->fd, g_variant_get_data (request), header.args_size,
                             deadline, &timed_out) ||
      (data_size > 0 &&
       !_sc_worker_write_all (self->fd, g_bytes_get_data (data, NULL), data_size, deadline,
                              &timed_out)))
    {
      fail (self, timed_out, FALSE, error);
      return NULL;
    }

  if (!_sc_worker_read_all (self->fd, &header, sizeof header, deadline, &timed_out))
    {
      fail (self, timed_out, FALSE, error);
      return NULL;
    }
  if ((header.tag != SC_WORKER_REPLY_OK && header.tag != SC_WORKER_REPLY_ERROR) ||
      header.args_size > SC_WORKER_MAX_ARGS ||
      header.data_size > (header.tag == SC_WORKER_REPLY_OK ? max_reply_data : 0))
    {
      fail (self, FALSE, TRUE, error);
      return NULL;
    }
  reply_args = g_malloc (MAX (header.args_size, 1));
  if (!_sc_worker_read_all (self->fd, reply_args, header.args_size, deadline, &timed_out))
    {
      fail (self, timed_out, FALSE, error);
      return NULL;
    }
  if (header.data_size > 0)
    {
      raw = g_try_malloc (header.data_size);
      if (raw == NULL)
        {
          fail (self, FALSE, TRUE, error);
          return NULL;
        }
      if (!_sc_worker_read_all (self->fd, raw, header.data_size, deadline, &timed_out))
        {
          fail (self, timed_out, FALSE, error);
          return NULL;
        }
    }

  /* GVariant reads serialised data of any content safely; normal form rules out the
   * ambiguous encodings a hostile worker could use to confuse us. */
  reply = g_variant_new_from_data (header.tag == SC_WORKER_REPLY_OK ?
                                   reply_type : G_VARIANT_TYPE ("(is)"),
                                   reply_args, header.args_size, FALSE,
                                   g_free, reply_args);
  reply_args = NULL;
  g_variant_ref_sink (reply);
  if (!g_variant_is_normal_form (reply))
    {
      fail (self, FALSE, TRUE, error);
      return NULL;
    }

  if (header.tag == SC_WORKER_REPLY_ERROR)
    {
      gint32 code;
      const char *message;

      g_variant_get (reply, "(i&s)", &code, &message);
      if (code < 0 || code > SC_ERROR_NO_MEMORY || !g_utf8_validate (message, -1, NULL))
        {
          fail (self, FALSE, TRUE, error);
          return NULL;
        }
      g_set_error_literal (error, SC_ERROR, code, message);
      return NULL;
    }

  if (reply_data != NULL)
    *reply_data = g_steal_pointer (&raw);
  if (reply_data_size != NULL)
    *reply_data_size = header.data_size;
  return g_steal_pointer (&reply);
}
