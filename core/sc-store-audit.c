/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-store-audit.c: the case store's audit log (see sc-store.h): appending hash-chained
 * entries, verifying the chain and listing it.
 *
 * Each entry's hash is the SHA-256 of a canonical serialisation of its fields and the hash of
 * the entry before it. The serialisation tags every field and prefixes strings with their
 * length ("s5:Mainz", "i42;", "n" for NULL), so no two different entries serialise alike
 * whatever their texts contain. */
#define G_LOG_DOMAIN "sichtung-store"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-error.h"
#include "sc-store-private.h"

/* Bumped only with a new serialisation; old entries keep verifying under the old one. */
#define AUDIT_HASH_PREFIX "sichtung-audit-1\n"
#define ZERO_HASH         "0000000000000000000000000000000000000000000000000000000000000000"

/* ------------------------------------------------------------------------------------------ */
/* ScStoreAuditEntry                                                                           */
/* ------------------------------------------------------------------------------------------ */

G_DEFINE_BOXED_TYPE (ScStoreAuditEntry, sc_store_audit_entry, sc_store_audit_entry_ref,
                     sc_store_audit_entry_unref)

ScStoreAuditEntry *
sc_store_audit_entry_ref (ScStoreAuditEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);

  g_atomic_ref_count_inc (&entry->ref_count);
  return entry;
}

void
sc_store_audit_entry_unref (ScStoreAuditEntry *entry)
{
  if (entry == NULL || !g_atomic_ref_count_dec (&entry->ref_count))
    return;
  g_free (entry->time);
  g_free (entry->user);
  g_free (entry->action);
  g_free (entry->details);
  g_free (entry->document_sha256);
  g_free (entry->model_sha256);
  g_free (entry->model_name);
  g_free (entry->model_version);
  g_free (entry->app_version);
  g_free (entry->prev_hash);
  g_free (entry->hash);
  g_free (entry);
}

/* ------------------------------------------------------------------------------------------ */
/* The hash                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static void
put_text (GChecksum  *sum,
          const char *value)
{
  char head[32];

  if (value == NULL)
    {
      g_checksum_update (sum, (const guchar *) "n", 1);
      return;
    }
  g_snprintf (head, sizeof head, "s%zu:", strlen (value));
  g_checksum_update (sum, (const guchar *) head, -1);
  g_checksum_update (sum, (const guchar *) value, (gssize) strlen (value));
}

static void
put_int (GChecksum *sum,
         gint64     value)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "i%" G_GINT64_FORMAT ";", value);
  g_checksum_update (sum, (const guchar *) buf, -1);
}

/* Ids are positive; 0 stands for SQL NULL. */
static void
put_id (GChecksum *sum,
        gint64     value)
{
  if (value == 0)
    g_checksum_update (sum, (const guchar *) "n", 1);
  else
    put_int (sum, value);
}

/* The hash of @entry's fields and prev_hash (its own hash field is ignored). */
static char *
entry_hash (const ScStoreAuditEntry *entry)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (sum, (const guchar *) AUDIT_HASH_PREFIX, -1);
  put_int (sum, (gint64) entry->seq);
  put_text (sum, entry->time);
  put_text (sum, entry->user);
  put_text (sum, entry->action);
  put_id (sum, entry->case_id);
  put_id (sum, entry->document_id);
  put_id (sum, entry->finding_id);
  put_text (sum, entry->details);
  put_text (sum, entry->document_sha256);
  put_text (sum, entry->model_sha256);
  put_text (sum, entry->model_name);
  put_text (sum, entry->model_version);
  put_text (sum, entry->app_version);
  put_text (sum, entry->prev_hash);
  return g_strdup (g_checksum_get_string (sum));
}

/* ------------------------------------------------------------------------------------------ */
/* Append and verify                                                                           */
/* ------------------------------------------------------------------------------------------ */

#define ENTRY_COLUMNS "seq, at, os_user, action, case_id, document_id, finding_id, details, " \
                      "document_sha256, model_sha256, model_name, model_version, app_version, " \
                      "prev_hash, hash"

static gint64
column_id (sqlite3_stmt *stmt,
           int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return 0;
  return sqlite3_column_int64 (stmt, column);
}

static ScStoreAuditEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  ScStoreAuditEntry *entry = g_new0 (ScStoreAuditEntry, 1);

  g_atomic_ref_count_init (&entry->ref_count);
  entry->seq = (guint64) sqlite3_column_int64 (stmt, 0);
  entry->time = _sc_store_column_dup (stmt, 1);
  entry->user = _sc_store_column_dup (stmt, 2);
  entry->action = _sc_store_column_dup (stmt, 3);
  entry->case_id = column_id (stmt, 4);
  entry->document_id = column_id (stmt, 5);
  entry->finding_id = column_id (stmt, 6);
  entry->details = _sc_store_column_dup (stmt, 7);
  entry->document_sha256 = _sc_store_column_dup (stmt, 8);
  entry->model_sha256 = _sc_store_column_dup (stmt, 9);
  entry->model_name = _sc_store_column_dup (stmt, 10);
  entry->model_version = _sc_store_column_dup (stmt, 11);
  entry->app_version = _sc_store_column_dup (stmt, 12);
  entry->prev_hash = _sc_store_column_dup (stmt, 13);
  entry->hash = _sc_store_column_dup (stmt, 14);
  return entry;
}

gboolean
_sc_store_audit_head (sqlite3  *db,
                      guint64  *seq,
                      char    **hash,
                      GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found;

  stmt = _sc_store_prepare (db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL || !_sc_store_step_row (stmt, &found, error))
    return FALSE;
  *seq = found ? (guint64) sqlite3_column_int64 (stmt, 0) : 0;
  *hash = found ? _sc_store_column_dup (stmt, 1) : g_strdup (ZERO_HASH);
  if (*hash == NULL)
    *hash = g_strdup ("");
  return TRUE;
}

gboolean
_sc_store_audit_append (sqlite3              *db,
                        const ScAuditRecord  *record,
                        GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *prev_hash = NULL;
  g_autofree char *time = NULL;
  g_autofree char *hash = NULL;
  ScStoreAuditEntry entry = { 0 };
  guint64 last_seq;

  g_assert (record != NULL && record->action != NULL);

  if (!_sc_store_audit_head (db, &last_seq, &prev_hash, error))
    return FALSE;

  time = _sc_store_now ();
  entry.seq = last_seq + 1;
  entry.time = time;
  entry.user = (char *) g_get_user_name ();
  entry.action = (char *) record->action;
  entry.case_id = record->case_id;
  entry.document_id = record->document_id;
  entry.finding_id = record->finding_id;
  entry.details = (char *) (record->details != NULL ? record->details : "{}");
  entry.document_sha256 = (char *) record->document_sha256;
  entry.model_sha256 = (char *) record->model_sha256;
  entry.model_name = (char *) record->model_name;
  entry.model_version = (char *) record->model_version;
  entry.app_version = (char *) PACKAGE_VERSION;
  entry.prev_hash = prev_hash;
  hash = entry_hash (&entry);

  stmt = _sc_store_prepare (db, "INSERT INTO audit (" ENTRY_COLUMNS ") "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) entry.seq);
  _sc_store_bind_text (stmt, 2, entry.time);
  _sc_store_bind_text (stmt, 3, entry.user);
  _sc_store_bind_text (stmt, 4, entry.action);
  _sc_store_bind_id (stmt, 5, entry.case_id);
  _sc_store_bind_id (stmt, 6, entry.document_id);
  _sc_store_bind_id (stmt, 7, entry.finding_id);
  _sc_store_bind_text (stmt, 8, entry.details);
  _sc_store_bind_text (stmt, 9, entry.document_sha256);
  _sc_store_bind_text (stmt, 10, entry.model_sha256);
  _sc_store_bind_text (stmt, 11, entry.model_name);
  _sc_store_bind_text (stmt, 12, entry.model_version);
  _sc_store_bind_text (stmt, 13, entry.app_version);
  _sc_store_bind_text (stmt, 14, entry.prev_hash);
  _sc_store_bind_text (stmt, 15, hash);
  return _sc_store_step_done (stmt, error);
}

typedef enum
{
  BROKEN_MISSING,
  BROKEN_CHAIN,
  BROKEN_HASH,
} Broken;

static gboolean
audit_broken (guint64      seq,
              Broken       how,
              GError     **error)
{
  unsigned long long n = seq;

  switch (how)
    {
    case BROKEN_MISSING:
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The audit log has been altered: entry %llu is missing"), n);
      break;
    case BROKEN_CHAIN:
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The audit log has been altered: entry %llu does not follow the entry "
                     "before it"), n);
      break;
    case BROKEN_HASH:
    default:
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The audit log has been altered: entry %llu does not match its checksum"),
                   n);
      break;
    }
  return FALSE;
}

gboolean
_sc_store_audit_verify (sqlite3  *db,
                        guint64  *n_entries,
                        GError  **error)
{
  static const char *const guards[] = { "audit_no_update", "audit_no_delete" };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *prev_hash = g_strdup (ZERO_HASH);
  guint64 n_good = 0;
  int rc;

  if (n_entries != NULL)
    *n_entries = 0;

  stmt = _sc_store_prepare (db, "SELECT " ENTRY_COLUMNS " FROM audit ORDER BY seq", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(ScStoreAuditEntry) entry = entry_from_row (stmt);
      g_autofree char *hash = NULL;
      guint64 expected = n_good + 1;

      if (entry->seq != expected)
        return audit_broken (expected, BROKEN_MISSING, error);
      if (g_strcmp0 (entry->prev_hash, prev_hash) != 0)
        return audit_broken (expected, BROKEN_CHAIN, error);
      hash = entry_hash (entry);
      if (g_strcmp0 (entry->hash, hash) != 0)
        return audit_broken (expected, BROKEN_HASH, error);

      g_free (prev_hash);
      prev_hash = g_steal_pointer (&hash);
      n_good++;
      if (n_entries != NULL)
        *n_entries = n_good;
    }
  if (rc != SQLITE_DONE)
    return _sc_store_fail (db, rc, error);

  for (guint i = 0; i < G_N_ELEMENTS (guards); i++)
    {
      g_autoptr(sqlite3_stmt) check = NULL;
      gboolean found;

      check = _sc_store_prepare (db, "SELECT 1 FROM sqlite_master "
                                     "WHERE type = 'trigger' AND name = ? AND tbl_name = 'audit'",
                                 error);
      if (check == NULL)
        return FALSE;
      sqlite3_bind_text (check, 1, guards[i], -1, SQLITE_STATIC);
      if (!_sc_store_step_row (check, &found, error))
        return FALSE;
      if (!found)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                       _("The audit log is no longer protected against changes (trigger “%s” "
                         "is missing)"), guards[i]);
          return FALSE;
        }
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                  */
/* ------------------------------------------------------------------------------------------ */

gboolean
sc_store_verify_audit (ScStore  *self,
                       guint64  *n_entries,
                       GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (SC_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  /* One read transaction, so the chain is checked on one snapshot while others append. */
  if (!_sc_store_exec (self->db, "BEGIN", error))
    return FALSE;
  if (!_sc_store_audit_verify (self->db, n_entries, error))
    {
      _sc_store_rollback (self->db);
      return FALSE;
    }
  return _sc_store_commit (self->db, error);
}

GPtrArray *
sc_store_list_audit (ScStore  *self,
                     gint64    case_id,
                     GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  int rc;

  g_return_val_if_fail (SC_IS_STORE (self), NULL);
  g_return_val_if_fail (case_id >= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  stmt = _sc_store_prepare (self->db, "SELECT " ENTRY_COLUMNS " FROM audit "
                                      "WHERE ?1 = 0 OR case_id = ?1 ORDER BY seq", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, case_id);
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_store_audit_entry_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _sc_store_fail (self->db, rc, error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

gboolean
sc_store_record_answer (ScStore     *self,
                        gint64       case_id,
                        gint64       document_id,
                        const char  *details,
                        const char  *model_name,
                        const char  *model_sha256,
                        GError     **error)
{
  g_return_val_if_fail (SC_IS_STORE (self), FALSE);
  g_return_val_if_fail (case_id >= 0 && document_id >= 0, FALSE);
  g_return_val_if_fail (details != NULL && details[0] == '{', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_autofree char *document_sha256 = NULL;
  ScAuditRecord record = {
    .action = "assistant-answer",
    .case_id = case_id,
    .document_id = document_id,
    .details = details,
    .model_sha256 = model_sha256,
    .model_name = model_name,
  };

  if (!_sc_store_begin (self->db, error))
    return FALSE;
  if (document_id > 0)
    {
      g_autoptr(sqlite3_stmt) stmt = _sc_store_prepare (self->db,
                                                         "SELECT sha256 FROM documents "
                                                         "WHERE id = ?", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, document_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        document_sha256 = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    }
  record.document_sha256 = document_sha256;
  if (!_sc_store_audit_append (self->db, &record, error) || !_sc_store_commit (self->db, error))
    goto fail;
  return TRUE;

fail:
  _sc_store_rollback (self->db);
  return FALSE;
}
