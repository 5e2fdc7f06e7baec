/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store-faults.c: the case store when the disk fails. A SQLite VFS shim around the
 * system's VFS makes the n-th write (or sync) of the database, its journal or its WAL fail
 * with "disk full" or an I/O error. For every n until the change goes through, the test checks
 * that the store reports a clear error, that a fresh connection finds an intact database
 * (integrity check, audit chain) holding exactly the changes that were acknowledged, and that
 * the same store works again once the disk does. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "sichtung-core.h"
#include "sc-test-util.h"

/* ---- The faulty VFS ------------------------------------------------------------------------- */

typedef enum
{
  FAULT_NONE,
  FAULT_FULL,  /* writes fail with SQLITE_FULL, syncs succeed */
  FAULT_IOERR, /* writes and syncs fail with an I/O error */
} FaultKind;

static struct
{
  FaultKind kind;
  guint     after;    /* writes and syncs that still succeed once armed */
  guint     count;    /* writes and syncs seen since armed */
  guint     failures; /* how often a fault was injected */
} fault;

typedef struct
{
  sqlite3_file  base;
  sqlite3_file *real; /* the system VFS's file, right after this struct */
} FaultFile;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs  fault_vfs;

static void
arm (FaultKind kind,
     guint     after)
{
  fault.kind = kind;
  fault.after = after;
  fault.count = 0;
  fault.failures = 0;
}

static int
inject (gboolean is_sync)
{
  if (fault.kind == FAULT_NONE || fault.count++ < fault.after)
    return SQLITE_OK;
  if (fault.kind == FAULT_FULL)
    {
      if (is_sync)
        return SQLITE_OK;
      fault.failures++;
      return SQLITE_FULL;
    }
  fault.failures++;
  return is_sync ? SQLITE_IOERR_FSYNC : SQLITE_IOERR_WRITE;
}

#define REAL(file) (((FaultFile *) (file))->real)

static int
fault_close (sqlite3_file *file)
{
  return REAL (file)->pMethods->xClose (REAL (file));
}

static int
fault_read (sqlite3_file *file, void *buffer, int amount, sqlite3_int64 offset)
{
  return REAL (file)->pMethods->xRead (REAL (file), buffer, amount, offset);
}

static int
fault_write (sqlite3_file *file, const void *buffer, int amount, sqlite3_int64 offset)
{
  int rc = inject (FALSE);

  return rc != SQLITE_OK ? rc : REAL (file)->pMethods->xWrite (REAL (file), buffer, amount,
                                                               offset);
}

static int
fault_truncate (sqlite3_file *file, sqlite3_int64 size)
{
  int rc = inject (FALSE);

  return rc != SQLITE_OK ? rc : REAL (file)->pMethods->xTruncate (REAL (file), size);
}

static int
fault_sync (sqlite3_file *file, int flags)
{
  int rc = inject (TRUE);

  return rc != SQLITE_OK ? rc : REAL (file)->pMethods->xSync (REAL (file), flags);
}

static int
fault_file_size (sqlite3_file *file, sqlite3_int64 *size)
{
  return REAL (file)->pMethods->xFileSize (REAL (file), size);
}

static int
fault_lock (sqlite3_file *file, int level)
{
  return REAL (file)->pMethods->xLock (REAL (file), level);
}

static int
fault_unlock (sqlite3_file *file, int level)
{
  return REAL (file)->pMethods->xUnlock (REAL (file), level);
}

static int
fault_check_reserved_lock (sqlite3_file *file, int *out)
{
  return REAL (file)->pMethods->xCheckReservedLock (REAL (file), out);
}

static int
fault_file_control (sqlite3_file *file, int op, void *arg)
{
  return REAL (file)->pMethods->xFileControl (REAL (file), op, arg);
}

static int
fault_sector_size (sqlite3_file *file)
{
  return REAL (file)->pMethods->xSectorSize (REAL (file));
}

static int
fault_device_characteristics (sqlite3_file *file)
{
  return REAL (file)->pMethods->xDeviceCharacteristics (REAL (file));
}

static int
fault_shm_map (sqlite3_file *file, int page, int size, int extend, void volatile **out)
{
  return REAL (file)->pMethods->xShmMap (REAL (file), page, size, extend, out);
}

static int
fault_shm_lock (sqlite3_file *file, int offset, int n, int flags)
{
  return REAL (file)->pMethods->xShmLock (REAL (file), offset, n, flags);
}

static void
fault_shm_barrier (sqlite3_file *file)
{
  REAL (file)->pMethods->xShmBarrier (REAL (file));
}

static int
fault_shm_unmap (sqlite3_file *file, int delete_flag)
{
  return REAL (file)->pMethods->xShmUnmap (REAL (file), delete_flag);
}

/* Version 2: shared memory for WAL, no memory-mapped I/O (which would bypass xWrite). */
static const sqlite3_io_methods fault_io = {
  2,
  fault_close,
  fault_read,
  fault_write,
  fault_truncate,
  fault_sync,
  fault_file_size,
  fault_lock,
  fault_unlock,
  fault_check_reserved_lock,
  fault_file_control,
  fault_sector_size,
  fault_device_characteristics,
  fault_shm_map,
  fault_shm_lock,
  fault_shm_barrier,
  fault_shm_unmap,
  NULL,
  NULL,
};

static int
fault_open (sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
  FaultFile *f = (FaultFile *) file;
  int rc;

  f->real = (sqlite3_file *) (f + 1);
  rc = real_vfs->xOpen (real_vfs, name, f->real, flags, out_flags);
  file->pMethods = f->real->pMethods != NULL ? &fault_io : NULL;
  return rc;
}

static int
fault_delete (sqlite3_vfs *vfs, const char *name, int sync_dir)
{
  return real_vfs->xDelete (real_vfs, name, sync_dir);
}

static int
fault_access (sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
  return real_vfs->xAccess (real_vfs, name, flags, out);
}

static int
fault_full_pathname (sqlite3_vfs *vfs, const char *name, int n, char *out)
{
  return real_vfs->xFullPathname (real_vfs, name, n, out);
}

static int
fault_randomness (sqlite3_vfs *vfs, int n, char *out)
{
  return real_vfs->xRandomness (real_vfs, n, out);
}

static int
fault_sleep (sqlite3_vfs *vfs, int microseconds)
{
  return real_vfs->xSleep (real_vfs, microseconds);
}

static int
fault_current_time (sqlite3_vfs *vfs, double *out)
{
  return real_vfs->xCurrentTime (real_vfs, out);
}

static int
fault_get_last_error (sqlite3_vfs *vfs, int n, char *out)
{
  return real_vfs->xGetLastError (real_vfs, n, out);
}

static int
fault_current_time_int64 (sqlite3_vfs *vfs, sqlite3_int64 *out)
{
  return real_vfs->xCurrentTimeInt64 (real_vfs, out);
}

/* Makes the shim the default VFS, so that sc_store_open() goes through it. */
static void
install_fault_vfs (void)
{
  real_vfs = sqlite3_vfs_find (NULL);
  g_assert_nonnull (real_vfs);
  fault_vfs = (sqlite3_vfs) {
    .iVersion = 2,
    .szOsFile = (int) sizeof (FaultFile) + real_vfs->szOsFile,
    .mxPathname = real_vfs->mxPathname,
    .zName = "sichtung-faulty",
    .xOpen = fault_open,
    .xDelete = fault_delete,
    .xAccess = fault_access,
    .xFullPathname = fault_full_pathname,
    .xRandomness = fault_randomness,
    .xSleep = fault_sleep,
    .xCurrentTime = fault_current_time,
    .xGetLastError = fault_get_last_error,
    .xCurrentTimeInt64 = fault_current_time_int64,
  };
  g_assert_cmpint (sqlite3_vfs_register (&fault_vfs, 1), ==, SQLITE_OK);
}

/* ---- Tests -------------------------------------------------------------------------------- */

typedef struct
{
  char    *dir;
  char    *path;
  ScStore *store;
  gint64   case_id;
  gint64   doc_id;
} Fixture;

static const char *const page_texts[] = {
  "Bescheid über Wohngeld für Frau Erika Mustermann, Lindenstraße 12, 55118 Mainz.",
  "Rechtsbehelfsbelehrung: Widerspruch innerhalb eines Monats.",
};

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("Bescheid", 8);

  arm (FAULT_NONE, 0);
  f->dir = g_dir_make_tmp ("sichtung-faults-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "faelle.sqlite", NULL);
  f->store = sc_store_open (f->path, &error);
  g_assert_no_error (error);
  f->case_id = sc_store_create_case (f->store, "Wohngeld Mustermann", "4.2-WG-1187/2025",
                                     &error);
  g_assert_no_error (error);
  f->doc_id = sc_store_add_document (f->store, f->case_id, "bescheid.txt", "text/plain",
                                     content, page_texts, G_N_ELEMENTS (page_texts), &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  arm (FAULT_NONE, 0);
  g_clear_object (&f->store);
  sc_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* A fresh connection, as after a restart: the database opens (sc_store_open() runs the
 * integrity check) and its audit chain is whole. Returns the number of audit entries. */
static guint64
check_reopened (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScStore) again = sc_store_open (f->path, &error);
  guint64 n_entries = 0;

  g_assert_no_error (error);
  g_assert_true (sc_store_verify_audit (again, &n_entries, &error));
  g_assert_no_error (error);
  return n_entries;
}

static guint
count_findings (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScStore) again = sc_store_open (f->path, &error);
  g_autoptr(GPtrArray) findings = sc_store_list_findings (again, f->doc_id, &error);

  g_assert_no_error (error);
  return findings->len;
}

static void
check_error (const GError *error,
             FaultKind     kind)
{
  g_assert_error (error, SC_ERROR, SC_ERROR_IO);
  if (kind == FAULT_FULL)
    g_assert_nonnull (strstr (error->message, "disk is full"));
  else
    g_assert_nonnull (strstr (error->message, "not saved"));
}

/* Adding findings by hand, each write failing in turn: a finding and its audit entry are
 * there together or not at all. */
static void
test_add_finding (Fixture       *f,
                  gconstpointer  data)
{
  FaultKind kind = GPOINTER_TO_INT (data);
  guint64 n_audit = check_reopened (f);
  guint n_findings = 0, n_failed = 0;
  gboolean done = FALSE;

  for (guint after = 0; !done && after < 64; after++)
    {
      g_autoptr(GError) error = NULL;
      ScStoreSpan span = { .page = 0, .start = 27, .end = 43 };
      guint failures;
      gint64 id;

      arm (kind, after);
      id = sc_store_add_manual_finding (f->store, f->doc_id, SC_FINDING_PERSON, NULL, &span,
                                        "Name", NULL, &error);
      failures = fault.failures;
      arm (FAULT_NONE, 0);
      if (id > 0)
        {
          g_assert_no_error (error);
          n_findings++;
          n_audit++;
          done = failures == 0;
        }
      else
        {
          check_error (error, kind);
          n_failed++;
        }
      /* Exactly what was acknowledged, nothing half-written. */
      g_assert_cmpuint (check_reopened (f), ==, n_audit);
      g_assert_cmpuint (count_findings (f), ==, n_findings);
    }
  g_assert_true (done);
  g_assert_cmpuint (n_failed, >, 0);
  g_test_message ("%u failed attempts before a write went through", n_failed);

  /* The same store goes on once the disk does. */
  {
    g_autoptr(GError) error = NULL;
    ScStoreSpan span = { .page = 1, .start = 0, .end = 23 };

    g_assert_cmpint (sc_store_add_manual_finding (f->store, f->doc_id, SC_FINDING_DATE, NULL,
                                                  &span, NULL, NULL, &error), >, 0);
    g_assert_no_error (error);
    g_assert_cmpuint (count_findings (f), ==, n_findings + 1);
  }
}

/* Decisions, each write failing in turn: the decision stands as acknowledged. */
static void
test_decide (Fixture       *f,
             gconstpointer  data)
{
  FaultKind kind = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  ScStoreSpan span = { .page = 0, .start = 27, .end = 43 };
  gint64 id = sc_store_add_manual_finding (f->store, f->doc_id, SC_FINDING_PERSON, NULL, &span,
                                           NULL, NULL, &error);
  ScStoreDecision expected = SC_STORE_DECISION_ADDED;
  guint n_failed = 0;
  gboolean done = FALSE;

  g_assert_no_error (error);
  for (guint after = 0; !done && after < 64; after++)
    {
      ScStoreDecision wanted = expected == SC_STORE_DECISION_REJECTED
                                 ? SC_STORE_DECISION_ACCEPTED
                                 : SC_STORE_DECISION_REJECTED;
      g_autoptr(ScStore) again = NULL;
      g_autoptr(GPtrArray) findings = NULL;
      guint failures;
      gboolean ok;

      arm (kind, after);
      ok = sc_store_decide (f->store, id, wanted, "geprüft", NULL, &error);
      failures = fault.failures;
      arm (FAULT_NONE, 0);
      if (ok)
        {
          expected = wanted;
          done = failures == 0;
        }
      else
        {
          check_error (error, kind);
          g_clear_error (&error);
          n_failed++;
        }
      check_reopened (f);
      again = sc_store_open (f->path, &error);
      g_assert_no_error (error);
      findings = sc_store_list_findings (again, f->doc_id, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (findings->len, ==, 1);
      g_assert_cmpint (((ScStoreFinding *) g_ptr_array_index (findings, 0))->decision, ==,
                       expected);
    }
  g_assert_true (done);
  g_assert_cmpuint (n_failed, >, 0);
}

/* A document of a megabyte, each write failing in turn: it is stored whole or not at all. */
static void
test_add_document (Fixture       *f,
                   gconstpointer  data)
{
  FaultKind kind = GPOINTER_TO_INT (data);
  g_autofree char *large = g_malloc (1 << 20);
  g_autoptr(GBytes) content = NULL;
  guint n_documents = 1, n_failed = 0;
  gboolean done = FALSE;

  for (gsize i = 0; i < (1 << 20); i++)
    large[i] = (char) ('a' + (i * 7919) % 26);
  content = g_bytes_new_static (large, 1 << 20);

  /* The document's pages span many database pages: step through the writes in strides. */
  for (guint after = 0; !done && after < 4096; after += 1 + after / 4)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ScStore) again = NULL;
      g_autoptr(GPtrArray) documents = NULL;
      guint failures;
      gint64 id;

      arm (kind, after);
      id = sc_store_add_document (f->store, f->case_id, "gross.txt", "text/plain", content,
                                  page_texts, G_N_ELEMENTS (page_texts), &error);
      failures = fault.failures;
      arm (FAULT_NONE, 0);
      if (id > 0)
        {
          n_documents++;
          done = failures == 0;
        }
      else
        {
          check_error (error, kind);
          g_clear_error (&error);
          n_failed++;
        }
      check_reopened (f);
      again = sc_store_open (f->path, &error);
      g_assert_no_error (error);
      documents = sc_store_list_documents (again, f->case_id, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (documents->len, ==, n_documents);
      /* Every stored copy is whole: its SHA-256 still matches. */
      for (guint i = 1; i < documents->len; i++)
        {
          const ScStoreDocument *doc = g_ptr_array_index (documents, i);
          g_autoptr(GBytes) stored = sc_store_get_document_content (again, doc->id, &error);

          g_assert_no_error (error);
          g_assert_true (g_bytes_equal (stored, content));
        }
    }
  g_assert_true (done);
  g_assert_cmpuint (n_failed, >, 0);
  g_test_message ("%u failed attempts before the document went through", n_failed);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  install_fault_vfs ();

#define ADD(path, kind, func) \
  g_test_add ("/sichtung/store-faults/" path, Fixture, GINT_TO_POINTER (kind), fixture_setup, \
              func, fixture_teardown)

  ADD ("add-finding/disk-full", FAULT_FULL, test_add_finding);
  ADD ("add-finding/io-error", FAULT_IOERR, test_add_finding);
  ADD ("decide/disk-full", FAULT_FULL, test_decide);
  ADD ("decide/io-error", FAULT_IOERR, test_decide);
  ADD ("add-document/disk-full", FAULT_FULL, test_add_document);
  ADD ("add-document/io-error", FAULT_IOERR, test_add_document);

#undef ADD

  return g_test_run ();
}
