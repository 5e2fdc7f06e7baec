/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-store.c: the case store (see sc-store.h): opening and migrating the database, cases,
 * documents and their pages, and full-text search. Findings and decisions live in
 * sc-store-findings.c, the audit log in sc-store-audit.c, backup and restore in
 * sc-store-backup.c. */
#define G_LOG_DOMAIN "sichtung-store"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-error.h"
#include "sc-json.h"
#include "sc-store-private.h"

/* How long a call waits for another process's write transaction before it fails. */
#define BUSY_TIMEOUT_MS 10000

/* PRAGMA application_id of a Sichtung case database ("ScFa"), so a SQLite file of another
 * program is never taken for one of ours and altered. */
#define APPLICATION_ID 0x53634661

/* ------------------------------------------------------------------------------------------ */
/* Schema                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* Version 1. Times are ISO 8601 in UTC; hashes lower-case hex SHA-256. The file content is the
 * last column of documents, so listing them never reads through it. */
static const char schema_1[] =
  "CREATE TABLE cases ("
  "  id          INTEGER PRIMARY KEY,"
  "  title       TEXT NOT NULL,"
  "  reference   TEXT NOT NULL DEFAULT '',"
  "  created_at  TEXT NOT NULL"
  ");"
  "CREATE TABLE documents ("
  "  id          INTEGER PRIMARY KEY,"
  "  case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,"
  "  name        TEXT NOT NULL,"
  "  media_type  TEXT NOT NULL,"
  "  sha256      TEXT NOT NULL,"
  "  size        INTEGER NOT NULL,"
  "  n_pages     INTEGER NOT NULL,"
  "  added_at    TEXT NOT NULL,"
  "  content     BLOB NOT NULL"
  ");"
  "CREATE INDEX documents_by_case ON documents (case_id);"
  /* cp_offset: code points before the page in sc_document_get_text () (pages end in '\f'). */
  "CREATE TABLE pages ("
  "  id          INTEGER PRIMARY KEY,"
  "  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,"
  "  page        INTEGER NOT NULL,"
  "  cp_offset   INTEGER NOT NULL,"
  "  text        TEXT NOT NULL,"
  "  UNIQUE (document_id, page)"
  ");"
  /* Umlauts and ß stay letters of their own: "Müller" is not "Muller". */
  "CREATE VIRTUAL TABLE pages_fts USING fts5 (text, content = 'pages', content_rowid = 'id',"
  "  tokenize = 'unicode61 remove_diacritics 0');"
  "CREATE TRIGGER pages_fts_insert AFTER INSERT ON pages BEGIN"
  "  INSERT INTO pages_fts (rowid, text) VALUES (new.id, new.text);"
  "END;"
  "CREATE TRIGGER pages_fts_delete AFTER DELETE ON pages BEGIN"
  "  INSERT INTO pages_fts (pages_fts, rowid, text) VALUES ('delete', old.id, old.text);"
  "END;"
  "CREATE TRIGGER pages_fts_update AFTER UPDATE ON pages BEGIN"
  "  INSERT INTO pages_fts (pages_fts, rowid, text) VALUES ('delete', old.id, old.text);"
  "  INSERT INTO pages_fts (rowid, text) VALUES (new.id, new.text);"
  "END;"
  /* fingerprint: "category:page:start:end" as an analysis found it (NULL for manual ones);
   * kept through edits, so a rerun does not add again what the clerk has decided on. */
  "CREATE TABLE findings ("
  "  id            INTEGER PRIMARY KEY,"
  "  document_id   INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,"
  "  manual        INTEGER NOT NULL DEFAULT 0,"
  "  fingerprint   TEXT,"
  "  category      TEXT NOT NULL,"
  "  label         TEXT,"
  "  text          TEXT NOT NULL,"
  "  value         TEXT,"
  "  page          INTEGER NOT NULL,"
  "  doc_start     INTEGER NOT NULL,"
  "  doc_end       INTEGER NOT NULL,"
  "  byte_start    INTEGER NOT NULL,"
  "  byte_end      INTEGER NOT NULL,"
  "  cp_start      INTEGER NOT NULL,"
  "  cp_end        INTEGER NOT NULL,"
  "  confidence    REAL NOT NULL,"
  "  source        TEXT,"
  "  sources       INTEGER NOT NULL,"
  "  explanation   TEXT,"
  "  steps         TEXT NOT NULL DEFAULT '[]',"
  "  boxes         TEXT NOT NULL DEFAULT '[]',"
  "  model_name    TEXT,"
  "  model_version TEXT,"
  "  model_sha256  TEXT,"
  "  decision      TEXT NOT NULL DEFAULT 'open'"
  "                CHECK (decision IN ('open', 'accepted', 'rejected', 'edited', 'added')),"
  "  reason        TEXT,"
  "  legal_basis   TEXT,"
  "  decided_by    TEXT,"
  "  decided_at    TEXT"
  ");"
  "CREATE INDEX findings_by_document ON findings (document_id, fingerprint);"
  /* No foreign keys: entries outlive what they name. */
  "CREATE TABLE audit ("
  "  seq             INTEGER PRIMARY KEY,"
  "  at              TEXT NOT NULL,"
  "  os_user         TEXT NOT NULL,"
  "  action          TEXT NOT NULL,"
  "  case_id         INTEGER,"
  "  document_id     INTEGER,"
  "  finding_id      INTEGER,"
  "  details         TEXT NOT NULL,"
  "  document_sha256 TEXT,"
  "  model_sha256    TEXT,"
  "  model_name      TEXT,"
  "  model_version   TEXT,"
  "  app_version     TEXT NOT NULL,"
  "  prev_hash       TEXT NOT NULL,"
  "  hash            TEXT NOT NULL"
  ");"
  "CREATE INDEX audit_by_case ON audit (case_id);"
  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN"
  "  SELECT RAISE (ABORT, 'the audit log is append-only');"
  "END;"
  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN"
  "  SELECT RAISE (ABORT, 'the audit log is append-only');"
  "END;";

/* migrations[i] takes the schema from version i to i + 1, in one transaction with the
 * user_version bump and an audit entry. Append only; never change a released step. */
static const char *const migrations[] = {
  schema_1,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == SC_STORE_SCHEMA_VERSION);

/* ------------------------------------------------------------------------------------------ */
/* SQLite helpers                                                                              */
/* ------------------------------------------------------------------------------------------ */

gboolean
_sc_store_fail (sqlite3  *db,
                int       rc,
                GError  **error)
{
  int code;

  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
      code = SC_ERROR_CORRUPT;
      break;
    case SQLITE_NOTADB:
      code = SC_ERROR_NOT_SUPPORTED;
      break;
    case SQLITE_FULL:
      /* Said plainly: the clerk can act on it, and nothing half-written stays behind. */
      g_set_error_literal (error, SC_ERROR, SC_ERROR_IO,
                           _("The disk is full: the change was not saved. Free some space "
                             "and try again."));
      return FALSE;
    case SQLITE_IOERR:
      g_set_error (error, SC_ERROR, SC_ERROR_IO,
                   _("The case database could not be written or read (%s): the change was "
                     "not saved."),
                   db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      return FALSE;
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_NOLFS:
      code = SC_ERROR_IO;
      break;
    default:
      code = SC_ERROR_FAILED;
      break;
    }
  g_set_error (error, SC_ERROR, code, _("Database error: %s"),
               db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  return FALSE;
}

sqlite3_stmt *
_sc_store_prepare (sqlite3     *db,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      sqlite3_finalize (stmt);
      _sc_store_fail (db, rc, error);
      return NULL;
    }
  return stmt;
}

gboolean
_sc_store_exec (sqlite3     *db,
                const char  *sql,
                GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  return rc == SQLITE_OK ? TRUE : _sc_store_fail (db, rc, error);
}

gboolean
_sc_store_step_done (sqlite3_stmt *stmt,
                     GError      **error)
{
  int rc = sqlite3_step (stmt);

  return rc == SQLITE_DONE ? TRUE : _sc_store_fail (sqlite3_db_handle (stmt), rc, error);
}

gboolean
_sc_store_step_row (sqlite3_stmt *stmt,
                    gboolean     *found,
                    GError      **error)
{
  int rc = sqlite3_step (stmt);

  *found = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return TRUE;
  return _sc_store_fail (sqlite3_db_handle (stmt), rc, error);
}

void
_sc_store_bind_text (sqlite3_stmt *stmt,
                     int           index,
                     const char   *value)
{
  if (value == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

void
_sc_store_bind_id (sqlite3_stmt *stmt,
                   int           index,
                   gint64        value)
{
  if (value == 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, value);
}

char *
_sc_store_column_dup (sqlite3_stmt *stmt,
                      int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

gboolean
_sc_store_column_id (sqlite3_stmt *stmt,
                     int           column,
                     gint64       *id,
                     GError      **error)
{
  /* A damaged file can pass the integrity check and still hold a row whose key reads back
   * as NULL; handing out id 0 would only fail later, further from the cause. */
  *id = sqlite3_column_type (stmt, column) == SQLITE_INTEGER ? sqlite3_column_int64 (stmt, column)
                                                             : 0;
  if (*id > 0)
    return TRUE;
  g_set_error_literal (error, SC_ERROR, SC_ERROR_CORRUPT,
                       _("The case store is damaged: a record has no valid number."));
  return FALSE;
}

gboolean
_sc_store_begin (sqlite3  *db,
                 GError  **error)
{
  return _sc_store_exec (db, "BEGIN IMMEDIATE", error);
}

gboolean
_sc_store_commit (sqlite3  *db,
                  GError  **error)
{
  if (_sc_store_exec (db, "COMMIT", error))
    return TRUE;
  _sc_store_rollback (db);
  return FALSE;
}

void
_sc_store_rollback (sqlite3 *db)
{
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
}

char *
_sc_store_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
}

GDateTime *
_sc_store_parse_time (const char *text)
{
  return text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

gboolean
_sc_store_not_found (const char  *kind,
                     gint64       id,
                     GError     **error)
{
  if (g_str_equal (kind, "case"))
    g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                 _("There is no case with the number %lld"), (long long) id);
  else if (g_str_equal (kind, "document"))
    g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                 _("There is no document with the number %lld"), (long long) id);
  else
    g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                 _("There is no finding with the number %lld"), (long long) id);
  return FALSE;
}

static gboolean
query_int (sqlite3     *db,
           const char  *sql,
           gint64      *value,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _sc_store_prepare (db, sql, error);
  gboolean found;

  if (stmt == NULL || !_sc_store_step_row (stmt, &found, error))
    return FALSE;
  *value = found ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

char *
_sc_store_details_json (const char *key,
                        ...)
{
  g_autoptr(ScJsonWriter) w = sc_json_writer_new (FALSE);
  va_list args;

  sc_json_writer_begin_object (w);
  va_start (args, key);
  for (; key != NULL; key = va_arg (args, const char *))
    {
      const char *type = va_arg (args, const char *);

      sc_json_writer_key (w, key);
      if (type[0] == 'i')
        sc_json_writer_int (w, va_arg (args, gint64));
      else
        {
          const char *value = va_arg (args, const char *);

          if (value != NULL)
            sc_json_writer_string (w, value);
          else
            sc_json_writer_null (w);
        }
    }
  va_end (args);
  sc_json_writer_end_object (w);
  return sc_json_writer_free_to_string (g_steal_pointer (&w));
}

/* ------------------------------------------------------------------------------------------ */
/* Records                                                                                     */
/* ------------------------------------------------------------------------------------------ */

G_DEFINE_BOXED_TYPE (ScStoreCase, sc_store_case, sc_store_case_ref, sc_store_case_unref)
G_DEFINE_BOXED_TYPE (ScStoreDocument, sc_store_document, sc_store_document_ref,
                     sc_store_document_unref)
G_DEFINE_BOXED_TYPE (ScStoreSearchHit, sc_store_search_hit, sc_store_search_hit_ref,
                     sc_store_search_hit_unref)

ScStoreCase *
sc_store_case_ref (ScStoreCase *store_case)
{
  g_return_val_if_fail (store_case != NULL, NULL);

  g_atomic_ref_count_inc (&store_case->ref_count);
  return store_case;
}

void
sc_store_case_unref (ScStoreCase *store_case)
{
  if (store_case == NULL || !g_atomic_ref_count_dec (&store_case->ref_count))
    return;
  g_free (store_case->title);
  g_free (store_case->reference);
  g_clear_pointer (&store_case->created, g_date_time_unref);
  g_free (store_case);
}

ScStoreDocument *
sc_store_document_ref (ScStoreDocument *document)
{
  g_return_val_if_fail (document != NULL, NULL);

  g_atomic_ref_count_inc (&document->ref_count);
  return document;
}

void
sc_store_document_unref (ScStoreDocument *document)
{
  if (document == NULL || !g_atomic_ref_count_dec (&document->ref_count))
    return;
  g_free (document->name);
  g_free (document->media_type);
  g_free (document->sha256);
  g_clear_pointer (&document->added, g_date_time_unref);
  g_free (document);
}

ScStoreSearchHit *
sc_store_search_hit_ref (ScStoreSearchHit *hit)
{
  g_return_val_if_fail (hit != NULL, NULL);

  g_atomic_ref_count_inc (&hit->ref_count);
  return hit;
}

void
sc_store_search_hit_unref (ScStoreSearchHit *hit)
{
  if (hit == NULL || !g_atomic_ref_count_dec (&hit->ref_count))
    return;
  g_free (hit->snippet);
  g_free (hit);
}

/* ------------------------------------------------------------------------------------------ */
/* The object                                                                                  */
/* ------------------------------------------------------------------------------------------ */

G_DEFINE_FINAL_TYPE (ScStore, sc_store, G_TYPE_OBJECT)

static void
sc_store_finalize (GObject *object)
{
  ScStore *self = SC_STORE (object);

  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (sc_store_parent_class)->finalize (object);
}

static void
sc_store_class_init (ScStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sc_store_finalize;
}

static void
sc_store_init (ScStore *self)
{
  g_mutex_init (&self->lock);
}

char *
sc_store_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "sichtung", "faelle.sqlite", NULL);
}

const char *
sc_store_get_path (ScStore *self)
{
  g_return_val_if_fail (SC_IS_STORE (self), NULL);

  return self->path;
}

/* ------------------------------------------------------------------------------------------ */
/* Opening                                                                                     */
/* ------------------------------------------------------------------------------------------ */

sqlite3 *
_sc_store_open_connection (const char  *path,
                           int          flags,
                           GError     **error)
{
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2 (path, &db, flags | SQLITE_OPEN_EXRESCODE, NULL);

  if (rc != SQLITE_OK)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, SC_ERROR, SC_ERROR_IO, _("Could not open “%s”: %s"), display,
                   db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close_v2 (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  /* No writable_schema and similar ways of corrupting the file from SQL. */
  sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  return db;
}

gboolean
_sc_store_check_database (sqlite3     *db,
                          const char  *path,
                          int         *version,
                          GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 app_id, user_version, n_objects;
  g_autoptr(GError) local_error = NULL;
  int rc;

  if (!query_int (db, "PRAGMA application_id", &app_id, &local_error) ||
      !query_int (db, "PRAGMA user_version", &user_version, &local_error) ||
      !query_int (db, "SELECT count(*) FROM sqlite_master", &n_objects, &local_error))
    {
      if (g_error_matches (local_error, SC_ERROR, SC_ERROR_NOT_SUPPORTED))
        g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                     _("“%s” is not a Sichtung case database"), display);
      else
        g_set_error (error, SC_ERROR, local_error->code, _("“%s” is damaged: %s"), display,
                     local_error->message);
      return FALSE;
    }
  if ((app_id != 0 && app_id != APPLICATION_ID) ||
      (app_id == 0 && (user_version != 0 || n_objects != 0)))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   _("“%s” is not a Sichtung case database"), display);
      return FALSE;
    }
  if (user_version > SC_STORE_SCHEMA_VERSION || user_version < 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                   _("“%s” was created by a newer version of Sichtung and cannot be opened "
                     "with this one"), display);
      return FALSE;
    }

  stmt = _sc_store_prepare (db, "PRAGMA quick_check", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const char *result = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (result, "ok") != 0)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT, _("“%s” is damaged: %s"), display,
                       result != NULL ? result : "");
          return FALSE;
        }
    }
  else
    {
      _sc_store_fail (db, rc, &local_error);
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT, _("“%s” is damaged: %s"), display,
                   local_error->message);
      return FALSE;
    }

  *version = (int) user_version;
  return TRUE;
}

/* The version is read again inside each transaction, so two processes opening a new file at
 * once do not both migrate. */
gboolean
_sc_store_migrate (sqlite3  *db,
                   GError  **error)
{
  for (;;)
    {
      g_autofree char *bump = NULL;
      g_autofree char *details = NULL;
      ScAuditRecord record = { .action = "schema-migrated" };
      gint64 version;

      if (!_sc_store_begin (db, error))
        return FALSE;
      if (!query_int (db, "PRAGMA user_version", &version, error))
        goto fail;
      if (version >= SC_STORE_SCHEMA_VERSION)
        return _sc_store_commit (db, error);

      bump = g_strdup_printf ("PRAGMA user_version = %d; PRAGMA application_id = %d;",
                              (int) version + 1, APPLICATION_ID);
      details = _sc_store_details_json ("from", "i", version, "to", "i", version + 1, NULL);
      record.details = details;
      if (!_sc_store_exec (db, migrations[version], error) ||
          !_sc_store_exec (db, bump, error) ||
          !_sc_store_audit_append (db, &record, error))
        goto fail;
      if (!_sc_store_commit (db, error))
        return FALSE;
      continue;

    fail:
      _sc_store_rollback (db);
      g_prefix_error (error, _("Could not update the case database to version %d: "),
                      (int) version + 1);
      return FALSE;
    }
}

ScStore *
sc_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(ScStore) self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *display = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *mode;
  int version;

  g_return_val_if_fail (path != NULL && path[0] != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display = g_filename_display_name (path);
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *dir_display = g_filename_display_name (dir);

      g_set_error (error, SC_ERROR, SC_ERROR_IO, _("Could not create the folder “%s”: %s"),
                   dir_display, g_strerror (saved_errno));
      return NULL;
    }

  self = g_object_new (SC_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->db = _sc_store_open_connection (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error);
  if (self->db == NULL || !_sc_store_check_database (self->db, path, &version, error))
    return NULL;

  /* Only now may anything write: the journal mode is part of the file. */
  stmt = _sc_store_prepare (self->db, "PRAGMA journal_mode = WAL", error);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    {
      if (stmt != NULL)
        _sc_store_fail (self->db, sqlite3_errcode (self->db), error);
      return NULL;
    }
  mode = (const char *) sqlite3_column_text (stmt, 0);
  if (g_ascii_strcasecmp (mode != NULL ? mode : "", "wal") != 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_IO,
                   _("“%s” cannot be opened in write-ahead log mode (the folder may be on a "
                     "network drive)"), display);
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!_sc_store_exec (self->db, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;", error) ||
      !_sc_store_migrate (self->db, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* ------------------------------------------------------------------------------------------ */
/* Cases                                                                                       */
/* ------------------------------------------------------------------------------------------ */

/* Sets *@found to whether @sql, given @id, returns a row. */
static gboolean
row_exists (sqlite3     *db,
            const char  *sql,
            gint64       id,
            gboolean    *found,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _sc_store_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return _sc_store_step_row (stmt, found, error);
}

gint64
sc_store_create_case (ScStore     *self,
                      const char  *title,
                      const char  *reference,
                      GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = NULL;
  g_autofree char *details = NULL;
  ScAuditRecord record = { .action = "case-created" };
  gint64 id;

  g_return_val_if_fail (SC_IS_STORE (self), 0);
  g_return_val_if_fail (title != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!g_utf8_validate (title, -1, NULL) ||
      (reference != NULL && !g_utf8_validate (reference, -1, NULL)))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("The title or file reference is not valid text"));
      return 0;
    }

  locker = g_mutex_locker_new (&self->lock);
  if (!_sc_store_begin (self->db, error))
    return 0;
  now = _sc_store_now ();
  stmt = _sc_store_prepare (self->db, "INSERT INTO cases (title, reference, created_at) "
                                      "VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  _sc_store_bind_text (stmt, 1, title);
  _sc_store_bind_text (stmt, 2, reference != NULL ? reference : "");
  _sc_store_bind_text (stmt, 3, now);
  if (!_sc_store_step_done (stmt, error))
    goto fail;
  id = sqlite3_last_insert_rowid (self->db);

  details = _sc_store_details_json ("reference", "s", reference != NULL ? reference : "", NULL);
  record.case_id = id;
  record.details = details;
  if (!_sc_store_audit_append (self->db, &record, error) || !_sc_store_commit (self->db, error))
    goto fail;
  return id;

fail:
  _sc_store_rollback (self->db);
  return 0;
}

GPtrArray *
sc_store_list_cases (ScStore  *self,
                     GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  int rc;

  g_return_val_if_fail (SC_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  stmt = _sc_store_prepare (self->db,
    "SELECT c.id, c.title, c.reference, c.created_at,"
    "  (SELECT count(*) FROM documents d WHERE d.case_id = c.id),"
    "  (SELECT count(*) FROM findings f JOIN documents d ON d.id = f.document_id"
    "   WHERE d.case_id = c.id AND f.decision = 'open')"
    " FROM cases c ORDER BY c.created_at DESC, c.id DESC", error);
  if (stmt == NULL)
    return NULL;
  cases = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_store_case_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ScStoreCase *c = g_new0 (ScStoreCase, 1);

      g_atomic_ref_count_init (&c->ref_count);
      g_ptr_array_add (cases, c);
      if (!_sc_store_column_id (stmt, 0, &c->id, error))
        return NULL;
      c->title = _sc_store_column_dup (stmt, 1);
      c->reference = _sc_store_column_dup (stmt, 2);
      c->created = _sc_store_parse_time ((const char *) sqlite3_column_text (stmt, 3));
      c->n_documents = (guint) sqlite3_column_int64 (stmt, 4);
      c->n_open_findings = (guint) sqlite3_column_int64 (stmt, 5);
    }
  if (rc != SQLITE_DONE)
    {
      _sc_store_fail (self->db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&cases);
}

gboolean
sc_store_rename_case (ScStore     *self,
                      gint64       case_id,
                      const char  *title,
                      const char  *reference,
                      GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *details = NULL;
  ScAuditRecord record = { .action = "case-renamed", .case_id = case_id };

  g_return_val_if_fail (SC_IS_STORE (self), FALSE);
  g_return_val_if_fail (case_id > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((title != NULL && !g_utf8_validate (title, -1, NULL)) ||
      (reference != NULL && !g_utf8_validate (reference, -1, NULL)))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("The title or file reference is not valid text"));
      return FALSE;
    }

  locker = g_mutex_locker_new (&self->lock);
  if (!_sc_store_begin (self->db, error))
    return FALSE;
  stmt = _sc_store_prepare (self->db, "UPDATE cases SET title = coalesce (?, title),"
                                      " reference = coalesce (?, reference) WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  _sc_store_bind_text (stmt, 1, title);
  _sc_store_bind_text (stmt, 2, reference);
  sqlite3_bind_int64 (stmt, 3, case_id);
  if (!_sc_store_step_done (stmt, error))
    goto fail;
  if (sqlite3_changes (self->db) == 0)
    {
      _sc_store_not_found ("case", case_id, error);
      goto fail;
    }

  /* The title may name people; the log that outlives the case only notes that it changed. */
  details = _sc_store_details_json ("title_changed", "i", (gint64) (title != NULL),
                          "reference", "s", reference, NULL);
  record.details = details;
  if (!_sc_store_audit_append (self->db, &record, error) || !_sc_store_commit (self->db, error))
    goto fail;
  return TRUE;

fail:
  _sc_store_rollback (self->db);
  return FALSE;
}

gboolean
sc_store_delete_case (ScStore  *self,
                      gint64    case_id,
                      GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) count = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *details = NULL;
  ScAuditRecord record = { .action = "case-deleted", .case_id = case_id };
  gboolean found;

  g_return_val_if_fail (SC_IS_STORE (self), FALSE);
  g_return_val_if_fail (case_id > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (!_sc_store_begin (self->db, error))
    return FALSE;
  count = _sc_store_prepare (self->db,
    "SELECT (SELECT count(*) FROM documents WHERE case_id = ?1),"
    "  (SELECT count(*) FROM findings f JOIN documents d ON d.id = f.document_id"
    "   WHERE d.case_id = ?1),"
    "  (SELECT count(*) FROM findings f JOIN documents d ON d.id = f.document_id"
    "   WHERE d.case_id = ?1 AND f.decision <> 'open')"
    " FROM cases WHERE id = ?1", error);
  if (count == NULL)
    goto fail;
  sqlite3_bind_int64 (count, 1, case_id);
  if (!_sc_store_step_row (count, &found, error))
    goto fail;
  if (!found)
    {
      _sc_store_not_found ("case", case_id, error);
      goto fail;
    }
  details = _sc_store_details_json ("documents", "i", (gint64) sqlite3_column_int64 (count, 0),
                          "findings", "i", (gint64) sqlite3_column_int64 (count, 1),
                          "decided", "i", (gint64) sqlite3_column_int64 (count, 2), NULL);

  stmt = _sc_store_prepare (self->db, "DELETE FROM cases WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, case_id);
  record.details = details;
  if (!_sc_store_step_done (stmt, error) ||
      !_sc_store_audit_append (self->db, &record, error) ||
      !_sc_store_commit (self->db, error))
    goto fail;
  return TRUE;

fail:
  _sc_store_rollback (self->db);
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* Documents                                                                                   */
/* ------------------------------------------------------------------------------------------ */

gint64
sc_store_add_document (ScStore            *self,
                       gint64              case_id,
                       const char         *name,
                       const char         *media_type,
                       GBytes             *content,
                       const char *const  *page_texts,
                       guint               n_pages,
                       GError            **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) page_stmt = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *now = NULL;
  g_autofree char *details = NULL;
  ScAuditRecord record = { .action = "document-added", .case_id = case_id };
  gconstpointer data;
  gsize size;
  gint64 id, cp_offset = 0;
  gboolean found;

  g_return_val_if_fail (SC_IS_STORE (self), 0);
  g_return_val_if_fail (case_id > 0, 0);
  g_return_val_if_fail (name != NULL, 0);
  g_return_val_if_fail (content != NULL, 0);
  g_return_val_if_fail (page_texts != NULL || n_pages == 0, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("The document name is not valid text"));
      return 0;
    }
  for (guint i = 0; i < n_pages; i++)
    if (page_texts[i] == NULL || !g_utf8_validate (page_texts[i], -1, NULL))
      {
        g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                     _("The text of page %u is missing or not valid UTF-8"), i + 1);
        return 0;
      }

  data = g_bytes_get_data (content, &size);
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, content);
  if (media_type == NULL)
    media_type = "application/octet-stream";

  locker = g_mutex_locker_new (&self->lock);
  if (!_sc_store_begin (self->db, error))
    return 0;
  if (!row_exists (self->db, "SELECT 1 FROM cases WHERE id = ?", case_id, &found, error))
    goto fail;
  if (!found)
    {
      _sc_store_not_found ("case", case_id, error);
      goto fail;
    }

  now = _sc_store_now ();
  stmt = _sc_store_prepare (self->db,
    "INSERT INTO documents (case_id, name, media_type, sha256, size, n_pages, added_at, content)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, case_id);
  _sc_store_bind_text (stmt, 2, name);
  _sc_store_bind_text (stmt, 3, media_type);
  _sc_store_bind_text (stmt, 4, sha256);
  sqlite3_bind_int64 (stmt, 5, (sqlite3_int64) size);
  sqlite3_bind_int64 (stmt, 6, n_pages);
  _sc_store_bind_text (stmt, 7, now);
  /* A zero-length blob, not NULL, for an empty file. */
  sqlite3_bind_blob64 (stmt, 8, size > 0 ? data : "", size, SQLITE_STATIC);
  if (!_sc_store_step_done (stmt, error))
    goto fail;
  id = sqlite3_last_insert_rowid (self->db);

  page_stmt = _sc_store_prepare (self->db, "INSERT INTO pages (document_id, page, cp_offset, text)"
                                           " VALUES (?, ?, ?, ?)", error);
  if (page_stmt == NULL)
    goto fail;
  for (guint i = 0; i < n_pages; i++)
    {
      sqlite3_reset (page_stmt);
      sqlite3_bind_int64 (page_stmt, 1, id);
      sqlite3_bind_int64 (page_stmt, 2, i);
      sqlite3_bind_int64 (page_stmt, 3, cp_offset);
      sqlite3_bind_text (page_stmt, 4, page_texts[i], -1, SQLITE_STATIC);
      if (!_sc_store_step_done (page_stmt, error))
        goto fail;
      cp_offset += g_utf8_strlen (page_texts[i], -1) + 1;
    }

  details = _sc_store_details_json ("media_type", "s", media_type, "size", "i", (gint64) size,
                          "pages", "i", (gint64) n_pages, NULL);
  record.document_id = id;
  record.document_sha256 = sha256;
  record.details = details;
  if (!_sc_store_audit_append (self->db, &record, error) || !_sc_store_commit (self->db, error))
    goto fail;
  return id;

fail:
  _sc_store_rollback (self->db);
  return 0;
}

gint64
sc_store_import_document (ScStore     *self,
                          gint64       case_id,
                          const char  *name,
                          ScDocument  *document,
                          GBytes      *content,
                          gboolean    *added,
                          GError     **error)
{
  g_autoptr(GPtrArray) documents = NULL;
  g_autofree char *sha256 = NULL;
  g_auto(GStrv) texts = NULL;
  guint n_pages;

  g_return_val_if_fail (SC_IS_STORE (self), 0);
  g_return_val_if_fail (SC_IS_DOCUMENT (document), 0);
  g_return_val_if_fail (content != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (added != NULL)
    *added = FALSE;

  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, content);
  documents = sc_store_list_documents (self, case_id, error);
  if (documents == NULL)
    return 0;
  for (guint i = 0; i < documents->len; i++)
    {
      ScStoreDocument *stored = g_ptr_array_index (documents, i);

      if (g_str_equal (stored->sha256, sha256))
        return stored->id;
    }

  n_pages = sc_document_get_n_pages (document);
  texts = g_new0 (char *, n_pages + 1);
  for (guint page = 0; page < n_pages; page++)
    texts[page] = sc_document_get_page_text (document, page);
  if (added != NULL)
    *added = TRUE;
  return sc_store_add_document (self, case_id, name,
                                sc_document_get_kind (document) == SC_DOCUMENT_KIND_PDF
                                  ? "application/pdf" : "text/plain",
                                content, (const char *const *) texts, n_pages, error);
}

GPtrArray *
sc_store_list_documents (ScStore  *self,
                         gint64    case_id,
                         GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  int rc;

  g_return_val_if_fail (SC_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  stmt = _sc_store_prepare (self->db,
    "SELECT d.id, d.case_id, d.name, d.media_type, d.sha256, d.size, d.n_pages, d.added_at,"
    "  (SELECT count(*) FROM findings f WHERE f.document_id = d.id),"
    "  (SELECT count(*) FROM findings f WHERE f.document_id = d.id AND f.decision = 'open')"
    " FROM documents d WHERE d.case_id = ? ORDER BY d.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, case_id);
  documents = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_store_document_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ScStoreDocument *d = g_new0 (ScStoreDocument, 1);

      g_atomic_ref_count_init (&d->ref_count);
      g_ptr_array_add (documents, d);
      if (!_sc_store_column_id (stmt, 0, &d->id, error) ||
          !_sc_store_column_id (stmt, 1, &d->case_id, error))
        return NULL;
      d->name = _sc_store_column_dup (stmt, 2);
      d->media_type = _sc_store_column_dup (stmt, 3);
      d->sha256 = _sc_store_column_dup (stmt, 4);
      d->size = (guint64) sqlite3_column_int64 (stmt, 5);
      d->n_pages = (guint) sqlite3_column_int64 (stmt, 6);
      d->added = _sc_store_parse_time ((const char *) sqlite3_column_text (stmt, 7));
      d->n_findings = (guint) sqlite3_column_int64 (stmt, 8);
      d->n_open_findings = (guint) sqlite3_column_int64 (stmt, 9);
    }
  if (rc != SQLITE_DONE)
    {
      _sc_store_fail (self->db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&documents);
}

GBytes *
sc_store_get_document_content (ScStore  *self,
                               gint64    document_id,
                               GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sha256 = NULL;
  gboolean found;

  g_return_val_if_fail (SC_IS_STORE (self), NULL);
  g_return_val_if_fail (document_id > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  stmt = _sc_store_prepare (self->db, "SELECT content, sha256 FROM documents WHERE id = ?",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, document_id);
  if (!_sc_store_step_row (stmt, &found, error))
    return NULL;
  if (!found)
    {
      _sc_store_not_found ("document", document_id, error);
      return NULL;
    }
  bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), (gsize) sqlite3_column_bytes (stmt, 0));
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  if (g_strcmp0 (sha256, (const char *) sqlite3_column_text (stmt, 1)) != 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The stored file of document %lld is damaged (its checksum does not "
                     "match)"), (long long) document_id);
      return NULL;
    }
  return g_steal_pointer (&bytes);
}

char **
sc_store_get_page_texts (ScStore  *self,
                         gint64    document_id,
                         GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStrvBuilder) texts = g_strv_builder_new ();
  gboolean found;
  int rc;

  g_return_val_if_fail (SC_IS_STORE (self), NULL);
  g_return_val_if_fail (document_id > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (!row_exists (self->db, "SELECT 1 FROM documents WHERE id = ?", document_id, &found,
                   error))
    return NULL;
  if (!found)
    {
      _sc_store_not_found ("document", document_id, error);
      return NULL;
    }
  stmt = _sc_store_prepare (self->db, "SELECT text FROM pages WHERE document_id = ?"
                                      " ORDER BY page", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, document_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (texts, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      _sc_store_fail (self->db, rc, error);
      return NULL;
    }
  return g_strv_builder_end (texts);
}

gboolean
sc_store_remove_document (ScStore  *self,
                          gint64    document_id,
                          GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) info = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *details = NULL;
  g_autofree char *sha256 = NULL;
  ScAuditRecord record = { .action = "document-removed", .document_id = document_id };
  gboolean found;

  g_return_val_if_fail (SC_IS_STORE (self), FALSE);
  g_return_val_if_fail (document_id > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (!_sc_store_begin (self->db, error))
    return FALSE;
  info = _sc_store_prepare (self->db,
    "SELECT case_id, sha256,"
    "  (SELECT count(*) FROM findings WHERE document_id = ?1),"
    "  (SELECT count(*) FROM findings WHERE document_id = ?1 AND decision <> 'open')"
    " FROM documents WHERE id = ?1", error);
  if (info == NULL)
    goto fail;
  sqlite3_bind_int64 (info, 1, document_id);
  if (!_sc_store_step_row (info, &found, error))
    goto fail;
  if (!found)
    {
      _sc_store_not_found ("document", document_id, error);
      goto fail;
    }
  record.case_id = sqlite3_column_int64 (info, 0);
  sha256 = _sc_store_column_dup (info, 1);
  details = _sc_store_details_json ("findings", "i", (gint64) sqlite3_column_int64 (info, 2),
                          "decided", "i", (gint64) sqlite3_column_int64 (info, 3), NULL);

  stmt = _sc_store_prepare (self->db, "DELETE FROM documents WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, document_id);
  record.document_sha256 = sha256;
  record.details = details;
  if (!_sc_store_step_done (stmt, error) ||
      !_sc_store_audit_append (self->db, &record, error) ||
      !_sc_store_commit (self->db, error))
    goto fail;
  return TRUE;

fail:
  _sc_store_rollback (self->db);
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* Search                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* The user's words as an FTS5 query: each whitespace-separated word becomes a quoted string
 * (quotes inside doubled), so nothing the user types is search syntax; words without a letter
 * or digit match nothing and are left out. NULL when no word is left. */
static char *
fts_query (const char *query)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) words = g_regex_split_simple ("\\s+", query, G_REGEX_DEFAULT,
                                              G_REGEX_MATCH_DEFAULT);

  for (guint i = 0; words[i] != NULL; i++)
    {
      gboolean has_alnum = FALSE;

      for (const char *p = words[i]; *p != '\0'; p = g_utf8_next_char (p))
        if (g_unichar_isalnum (g_utf8_get_char (p)))
          {
            has_alnum = TRUE;
            break;
          }
      if (!has_alnum)
        continue;

      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, '"');
      for (const char *p = words[i]; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

GPtrArray *
sc_store_search (ScStore     *self,
                 gint64       case_id,
                 const char  *query,
                 GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *match = NULL;
  int rc;

  g_return_val_if_fail (SC_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  hits = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_store_search_hit_unref);
  if (!g_utf8_validate (query, -1, NULL) || (match = fts_query (query)) == NULL)
    return g_steal_pointer (&hits);

  locker = g_mutex_locker_new (&self->lock);
  stmt = _sc_store_prepare (self->db,
    "SELECT p.document_id, p.page,"
    "  snippet (pages_fts, 0, '" SC_STORE_MATCH_START "', '" SC_STORE_MATCH_END "', '…', 16),"
    "  bm25 (pages_fts)"
    " FROM pages_fts JOIN pages p ON p.id = pages_fts.rowid"
    "  JOIN documents d ON d.id = p.document_id"
    " WHERE pages_fts MATCH ? AND d.case_id = ?"
    " ORDER BY bm25 (pages_fts), p.document_id, p.page", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, case_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ScStoreSearchHit *hit = g_new0 (ScStoreSearchHit, 1);

      g_atomic_ref_count_init (&hit->ref_count);
      g_ptr_array_add (hits, hit);
      if (!_sc_store_column_id (stmt, 0, &hit->document_id, error))
        return NULL;
      hit->page = (guint) sqlite3_column_int64 (stmt, 1);
      hit->snippet = _sc_store_column_dup (stmt, 2);
      hit->rank = sqlite3_column_double (stmt, 3);
    }
  if (rc != SQLITE_DONE)
    {
      _sc_store_fail (self->db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&hits);
}
