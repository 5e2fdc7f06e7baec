/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-common.c: logging and temporary files for the libFuzzer targets (see fuzz-common.h). */
#define G_LOG_DOMAIN "sichtung-fuzz"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "fuzz-common.h"

static gboolean verbose;
static char *tmp_dir;

static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if (verbose || (log_level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR)) != 0)
    g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
  if ((log_level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR)) != 0)
    abort ();
  return G_LOG_WRITER_HANDLED;
}

/* Old-style handlers (g_log_set_handler users) end up here too; keep them quiet. */
static void
fuzz_print_nothing (const char *string)
{
  if (verbose)
    fputs (string, stderr);
}

static void
remove_tmp_dir (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (tmp_dir == NULL)
    return;
  dir = g_dir_open (tmp_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
}

void
sc_fuzz_init (void)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;
  setlocale (LC_ALL, "C.UTF-8");
  verbose = g_strcmp0 (g_getenv ("SC_FUZZ_VERBOSE"), "1") == 0;
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
  g_set_print_handler (fuzz_print_nothing);
  g_set_printerr_handler (fuzz_print_nothing);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* PDFs are parsed in this process: the parsers are what is fuzzed, and the fuzz build has no
   * sichtung-document-worker (the application runs the same code in one). */
  g_setenv ("SICHTUNG_DOCUMENT_ISOLATION", "0", TRUE);
}

const char *
sc_fuzz_tmp_dir (void)
{
  if (tmp_dir == NULL)
    {
      g_autoptr(GError) error = NULL;

      tmp_dir = g_dir_make_tmp ("sichtung-fuzz-XXXXXX", &error);
      if (tmp_dir == NULL)
        {
          fprintf (stderr, "cannot make a temporary directory: %s\n", error->message);
          abort ();
        }
      atexit (remove_tmp_dir);
    }
  return tmp_dir;
}

guint8 *
sc_fuzz_copy (const uint8_t *data,
              size_t         size)
{
  guint8 *copy = g_malloc (size > 0 ? size : 1);

  if (size > 0)
    memcpy (copy, data, size);
  return copy;
}

gboolean
sc_fuzz_write_file (const char    *path,
                    const uint8_t *data,
                    size_t         size)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  if (fd < 0)
    return FALSE;
  while (size > 0)
    {
      ssize_t n = write (fd, data, size);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          close (fd);
          return FALSE;
        }
      data += n;
      size -= (size_t) n;
    }
  return close (fd) == 0;
}
