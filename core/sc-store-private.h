/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-store-private.h: what the files of the case store share (sc-store.c, sc-store-findings.c,
 * sc-store-audit.c, sc-store-backup.c): the object, SQLite helpers that turn every failure into
 * a GError, opening and migrating, and the audit log's append and verify steps. Internal to
 * core/ and its tests. */
#pragma once

#include <sqlite3.h>

#include "sc-store.h"

G_BEGIN_DECLS

struct _ScStore
{
  GObject  parent_instance;

  GMutex   lock;  /* guards db: every public call holds it throughout */
  sqlite3 *db;
  char    *path;
};

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* ---- SQLite helpers ---------------------------------------------------------------------- */

/* Sets @error from @rc and sqlite3_errmsg (@db); always returns FALSE. */
/* Reads the id in @column; FALSE with SC_ERROR_CORRUPT when it is NULL or not positive. */
gboolean      _sc_store_column_id  (sqlite3_stmt *stmt,
                                    int           column,
                                    gint64       *id,
                                    GError      **error);
gboolean      _sc_store_fail       (sqlite3     *db,
                                    int          rc,
                                    GError     **error);
sqlite3_stmt *_sc_store_prepare    (sqlite3     *db,
                                    const char  *sql,
                                    GError     **error);
gboolean      _sc_store_exec       (sqlite3     *db,
                                    const char  *sql,
                                    GError     **error);
/* Steps @stmt expecting SQLITE_DONE. */
gboolean      _sc_store_step_done  (sqlite3_stmt *stmt,
                                    GError      **error);
/* Steps @stmt expecting SQLITE_ROW (*@found TRUE) or SQLITE_DONE (*@found FALSE). */
gboolean      _sc_store_step_row   (sqlite3_stmt *stmt,
                                    gboolean     *found,
                                    GError      **error);
/* Binds @value, or NULL when @value is NULL. */
void          _sc_store_bind_text  (sqlite3_stmt *stmt,
                                    int           index,
                                    const char   *value);
/* Binds @value, or NULL when @value is 0 (ids are positive). */
void          _sc_store_bind_id    (sqlite3_stmt *stmt,
                                    int           index,
                                    gint64        value);
/* A column as a new string, NULL for SQL NULL. */
char         *_sc_store_column_dup (sqlite3_stmt *stmt,
                                    int           column);

/* BEGIN IMMEDIATE: the write lock is taken up front, so a transaction never fails half-way
 * for want of it. Commit rolls back when it fails; rollback never fails visibly. */
gboolean      _sc_store_begin      (sqlite3     *db,
                                    GError     **error);
gboolean      _sc_store_commit     (sqlite3     *db,
                                    GError     **error);
void          _sc_store_rollback   (sqlite3     *db);

/* The current time as stored: ISO 8601 in UTC with microseconds. */
char         *_sc_store_now        (void);
/* A stored time back, or NULL. */
GDateTime    *_sc_store_parse_time (const char  *text);
/* Sets SC_ERROR_INVALID_ARGUMENT naming what @kind (e.g. "case") with @id does not exist. */
gboolean      _sc_store_not_found  (const char  *kind,
                                    gint64       id,
                                    GError     **error);

/* The details of an audit entry: a compact JSON object built from (key, "s" or "i", value)
 * triples ending in NULL; "s" values are strings (NULL: null), "i" values gint64. */
char         *_sc_store_details_json (const char *key,
                                      ...) G_GNUC_NULL_TERMINATED;

/* ---- Opening (sc-store.c), shared with restoring (sc-store-backup.c) ---------------------- */

/* sqlite3_open_v2() with extended result codes, the busy timeout and defensive mode. */
sqlite3      *_sc_store_open_connection (const char  *path,
                                         int          flags,
                                         GError     **error);
/* Checks, before anything writes to @db, that it is a Sichtung case database (or an empty
 * one) of a version this build reads, and that it passes PRAGMA quick_check. Sets *@version
 * to its schema version. */
gboolean      _sc_store_check_database  (sqlite3     *db,
                                         const char  *path,
                                         int         *version,
                                         GError     **error);
/* Brings @db from its schema version to SC_STORE_SCHEMA_VERSION, one transaction per step. */
gboolean      _sc_store_migrate         (sqlite3     *db,
                                         GError     **error);

/* ---- Audit log --------------------------------------------------------------------------- */

typedef struct
{
  const char *action;
  gint64      case_id;      /* 0: none */
  gint64      document_id;  /* 0: none */
  gint64      finding_id;   /* 0: none */
  const char *details;      /* a JSON object; NULL: {} */
  const char *document_sha256;
  const char *model_sha256;
  const char *model_name;
  const char *model_version;
} ScAuditRecord;

/* Appends @record with the next sequence number, chained to the last entry. Call inside the
 * transaction of the change it records. */
gboolean      _sc_store_audit_append (sqlite3              *db,
                                      const ScAuditRecord  *record,
                                      GError              **error);
/* sc_store_verify_audit() on any connection (the live one or a backup being restored). */
gboolean      _sc_store_audit_verify (sqlite3              *db,
                                      guint64              *n_entries,
                                      GError              **error);
/* The last entry's sequence number and hash (0 and 64 zeros when the log is empty). */
gboolean      _sc_store_audit_head   (sqlite3              *db,
                                      guint64              *seq,
                                      char                **hash,
                                      GError              **error);

G_END_DECLS
