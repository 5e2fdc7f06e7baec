/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-store-backup.c: backup and restore of the case store (see sc-store.h). A backup is a
 * compacted snapshot in one self-contained file; a restore checks a private copy of it
 * (integrity, schema version, audit chain), brings it up to date, appends its own audit entry
 * and only then replaces the live database in one step. */
#define G_LOG_DOMAIN "sichtung-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sc-error.h"
#include "sc-store-private.h"

/* ------------------------------------------------------------------------------------------ */
/* Backup and restore                                                                          */
/* ------------------------------------------------------------------------------------------ */

static char *
file_sha256 (const char  *path,
             GError     **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guchar *buf = g_malloc (1 << 16);
  FILE *file = g_fopen (path, "rb");
  size_t n;

  if (file == NULL)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, SC_ERROR, SC_ERROR_IO, _("Could not read “%s”: %s"), display,
                   g_strerror (saved_errno));
      return NULL;
    }
  while ((n = fread (buf, 1, 1 << 16, file)) > 0)
    g_checksum_update (sum, buf, (gssize) n);
  if (ferror (file))
    {
      g_autofree char *display = g_filename_display_name (path);

      fclose (file);
      g_set_error (error, SC_ERROR, SC_ERROR_IO, _("Could not read “%s”: %s"), display,
                   g_strerror (EIO));
      return NULL;
    }
  fclose (file);
  return g_strdup (g_checksum_get_string (sum));
}

/* Whether @a and @b name the same existing file. */
static gboolean
same_file (const char *a,
           const char *b)
{
  GStatBuf sa, sb;

  return g_stat (a, &sa) == 0 && g_stat (b, &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* A new empty file beside @path, for a copy to be renamed over it or read from. */
static char *
make_temp_beside (const char  *path,
                  GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *template = g_strdup_printf (".%s.XXXXXX", base);
  char *temp = g_build_filename (dir, template, NULL);
  int fd = g_mkstemp_full (temp, O_RDWR | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, SC_ERROR, SC_ERROR_IO, _("Could not write to the folder “%s”: %s"),
                   display, g_strerror (saved_errno));
      g_free (temp);
      return NULL;
    }
  close (fd);
  return temp;
}

static void
remove_temp_database (const char *path)
{
  static const char *const suffixes[] = { "", "-journal", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);

      g_unlink (name);
    }
}

static gboolean
fsync_path (const char  *path,
            GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0 || g_fsync (fd) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (path);

      if (fd >= 0)
        close (fd);
      g_set_error (error, SC_ERROR, SC_ERROR_IO, _("Could not write “%s”: %s"), display,
                   g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* Makes the finished copy at @temp a self-contained file in rollback-journal mode (no -wal
 * beside it) and flushes it to disk. */
static gboolean
finish_copy (const char  *temp,
             GError     **error)
{
  sqlite3 *db = _sc_store_open_connection (temp, SQLITE_OPEN_READWRITE, error);
  gboolean ok;

  if (db == NULL)
    return FALSE;
  ok = _sc_store_exec (db, "PRAGMA journal_mode = DELETE", error);
  sqlite3_close_v2 (db);
  return ok && fsync_path (temp, error);
}

gboolean
sc_store_backup (ScStore     *self,
                 const char  *dest,
                 GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *temp = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *details = NULL;
  g_autofree char *display = NULL;
  g_autofree char *dir = NULL;
  ScAuditRecord record = { .action = "backup" };
  GStatBuf st;

  g_return_val_if_fail (SC_IS_STORE (self), FALSE);
  g_return_val_if_fail (dest != NULL && dest[0] != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display = g_filename_display_name (dest);
  if (same_file (dest, self->path))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("A backup cannot replace the case database itself"));
      return FALSE;
    }

  locker = g_mutex_locker_new (&self->lock);
  temp = make_temp_beside (dest, error);
  if (temp == NULL)
    return FALSE;

  /* One consistent snapshot, compacted, while other threads and processes may go on. */
  stmt = _sc_store_prepare (self->db, "VACUUM INTO ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, temp, -1, SQLITE_STATIC);
  if (!_sc_store_step_done (stmt, error) || !finish_copy (temp, error))
    goto fail;
  if (g_rename (temp, dest) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, SC_ERROR, SC_ERROR_IO, _("Could not write “%s”: %s"), display,
                   g_strerror (saved_errno));
      goto fail;
    }
  dir = g_path_get_dirname (dest);
  fsync_path (dir, NULL);

  sha256 = file_sha256 (dest, error);
  if (sha256 == NULL || g_stat (dest, &st) != 0)
    return FALSE;
  details = _sc_store_details_json ("sha256", "s", sha256, "size", "i", (gint64) st.st_size, NULL);
  record.details = details;
  if (!_sc_store_begin (self->db, error))
    return FALSE;
  if (!_sc_store_audit_append (self->db, &record, error) || !_sc_store_commit (self->db, error))
    {
      _sc_store_rollback (self->db);
      return FALSE;
    }
  return TRUE;

fail:
  remove_temp_database (temp);
  g_prefix_error (error, _("Could not write the backup “%s”: "), display);
  return FALSE;
}

/* Copies the database at @source into the new, empty database file @temp and checks the copy
 * as sc_store_open() checks a database, and its audit log. Returns the open copy. */
static sqlite3 *
copy_and_check_backup (const char  *source,
                       const char  *temp,
                       GError     **error)
{
  g_autofree char *display = g_filename_display_name (source);
  g_autoptr(GError) local_error = NULL;
  sqlite3 *src, *copy;
  sqlite3_backup *backup;
  int rc, version;

  src = _sc_store_open_connection (source, SQLITE_OPEN_READONLY, error);
  if (src == NULL)
    return NULL;
  copy = _sc_store_open_connection (temp, SQLITE_OPEN_READWRITE, error);
  if (copy == NULL)
    {
      sqlite3_close_v2 (src);
      return NULL;
    }
  backup = sqlite3_backup_init (copy, "main", src, "main");
  if (backup == NULL)
    rc = sqlite3_errcode (copy);
  else
    {
      sqlite3_backup_step (backup, -1);
      rc = sqlite3_backup_finish (backup);
    }
  sqlite3_close_v2 (src);
  if (rc != SQLITE_OK)
    {
      _sc_store_fail (copy, rc, &local_error);
      if (g_error_matches (local_error, SC_ERROR, SC_ERROR_NOT_SUPPORTED))
        g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                     _("“%s” is not a Sichtung case database"), display);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      sqlite3_close_v2 (copy);
      return NULL;
    }

  if (!_sc_store_check_database (copy, source, &version, error))
    {
      sqlite3_close_v2 (copy);
      return NULL;
    }
  if (version == 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   _("“%s” is not a Sichtung case database"), display);
      sqlite3_close_v2 (copy);
      return NULL;
    }
  if (!_sc_store_audit_verify (copy, NULL, error))
    {
      sqlite3_close_v2 (copy);
      return NULL;
    }
  return copy;
}

gboolean
sc_store_restore (ScStore     *self,
                  const char  *backup_path,
                  GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *temp = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *live_hash = NULL;
  g_autofree char *details = NULL;
  g_autofree char *display = NULL;
  ScAuditRecord record = { .action = "restore" };
  sqlite3 *copy = NULL;
  sqlite3_backup *backup;
  guint64 live_seq;
  int rc;

  g_return_val_if_fail (SC_IS_STORE (self), FALSE);
  g_return_val_if_fail (backup_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display = g_filename_display_name (backup_path);
  if (same_file (backup_path, self->path))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("The case database cannot be restored from itself"));
      return FALSE;
    }
  sha256 = file_sha256 (backup_path, error);
  if (sha256 == NULL)
    return FALSE;

  locker = g_mutex_locker_new (&self->lock);
  /* Checked, migrated and completed with the restore's audit entry on a private copy, so the
   * live database changes in one step or not at all. */
  temp = make_temp_beside (self->path, error);
  if (temp == NULL)
    return FALSE;
  copy = copy_and_check_backup (backup_path, temp, error);
  if (copy == NULL ||
      !_sc_store_exec (copy, "PRAGMA foreign_keys = ON", error) ||
      !_sc_store_migrate (copy, error) ||
      !_sc_store_audit_head (self->db, &live_seq, &live_hash, error))
    goto fail;

  details = _sc_store_details_json ("backup_sha256", "s", sha256,
                          "replaced_entries", "i", (gint64) live_seq,
                          "replaced_hash", "s", live_hash, NULL);
  record.details = details;
  if (!_sc_store_begin (copy, error))
    goto fail;
  if (!_sc_store_audit_append (copy, &record, error) || !_sc_store_commit (copy, error))
    {
      _sc_store_rollback (copy);
      goto fail;
    }

  backup = sqlite3_backup_init (self->db, "main", copy, "main");
  if (backup == NULL)
    rc = sqlite3_errcode (self->db);
  else
    {
      sqlite3_backup_step (backup, -1);
      rc = sqlite3_backup_finish (backup);
    }
  if (rc != SQLITE_OK)
    {
      _sc_store_fail (self->db, rc, error);
      goto fail;
    }

  sqlite3_close_v2 (copy);
  remove_temp_database (temp);
  return TRUE;

fail:
  if (copy != NULL)
    sqlite3_close_v2 (copy);
  remove_temp_database (temp);
  g_prefix_error (error, _("Could not restore the backup “%s”: "), display);
  return FALSE;
}
