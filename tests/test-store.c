/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store.c: the case store (ScStore): creating and reopening the database, refusing files
 * it must not touch, cases, documents and findings round trips, decisions that survive a new
 * analysis, the hash-chained audit log and its tamper detection, full-text search, backup and
 * restore, calls from several threads, and a crash test that kills a writer process at random
 * moments. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "sichtung-core.h"
#include "sc-store-private.h"
#include "sc-test-util.h"

/* SHA-256 of DOC_CONTENT, computed with sha256sum. */
#define DOC_CONTENT "Bescheid vom 1. März 2024\n"
#define DOC_SHA256  "fab285f97834c7770d1ab62d4da18218af6125f693a80bcc44b95f3c2c107e6e"

static const char *const page_texts[] = {
  "Sehr geehrter Herr Müller,\nIhre IBAN DE02 1203 0000 0000 2020 51 wurde geprüft.\n"
  "Mainz, den 3. März 2024",
  "Die Frist endet am 2. April 2024.\nAnschrift: Große Bleiche 12, 55116 Mainz",
};

#define DEFAULT_KILL_ITERATIONS 200

/* ------------------------------------------------------------------------------------------ */
/* Fixture and helpers                                                                         */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  char *dir;   /* a fresh temporary directory, removed afterwards */
  char *path;  /* dir/faelle.sqlite, not yet created */
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->dir = g_dir_make_tmp ("sichtung-store-XXXXXX", &error);
  g_assert_no_error (error);
  fx->path = g_build_filename (fx->dir, "faelle.sqlite", NULL);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  sc_test_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->path);
}

static ScStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  ScStore *store = sc_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

/* Runs @sql on a connection of its own, as another program would. */
static void
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_exec (db, sql, NULL, NULL, &message);
  g_assert_cmpstr (message, ==, NULL);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

/* The first column of the first row of @sql on @db, as text (NULL for none). */
static char *
query_text (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return result;
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  g_autofree char *text = query_text (db, sql);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : -1;
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static void
write_file (const char *path,
            GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  g_file_set_contents (path, data, (gssize) length, &error);
  g_assert_no_error (error);
}

static gint64
code_point_offset (guint page)
{
  gint64 offset = 0;

  for (guint i = 0; i < page; i++)
    offset += g_utf8_strlen (page_texts[i], -1) + 1;
  return offset;
}

/* An analysis finding of @match on @page, built the way the analyser anchors them. */
static ScPageFinding *
make_finding (ScFindingCategory  category,
              const char        *label,
              guint              page,
              const char        *match,
              guint              sources)
{
  const char *text = page_texts[page];
  const char *at = strstr (text, match);
  ScPageFinding *pf = g_new0 (ScPageFinding, 1);
  ScFinding *f;

  g_assert_nonnull (at);
  f = sc_finding_new (category, label, match, (gsize) (at - text),
                      (gsize) (at - text) + strlen (match));
  sc_finding_compute_code_points (f, text);
  sc_finding_set_explanation (f, "Erkannt als „Beispiel“.");
  g_atomic_ref_count_init (&pf->ref_count);
  pf->finding = f;
  pf->page = page;
  pf->doc_start = (gsize) code_point_offset (page) + f->cp_start;
  pf->doc_end = (gsize) code_point_offset (page) + f->cp_end;
  pf->sources = sources;
  pf->boxes = g_array_new (FALSE, FALSE, sizeof (ScRect));
  return pf;
}

static GPtrArray *
sample_findings (void)
{
  GPtrArray *findings = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_page_finding_unref);
  ScPageFinding *pf;
  ScRect boxes[] = { { 72.0, 100.25, 180.5, 12.0 }, { 72.0, 114.25, 40.125, 12.0 } };

  pf = make_finding (SC_FINDING_PERSON, NULL, 0, "Herr Müller", 1u << SC_FINDING_SOURCE_MODEL);
  pf->finding->source = SC_FINDING_SOURCE_MODEL;
  pf->finding->confidence = 0.875;
  g_array_append_val (pf->boxes, boxes[0]);
  g_ptr_array_add (findings, pf);

  pf = make_finding (SC_FINDING_IBAN, "IBAN", 0, "DE02 1203 0000 0000 2020 51",
                     1u << SC_FINDING_SOURCE_RULE);
  sc_finding_set_value (pf->finding, "DE02120300000000202051");
  g_array_append_vals (pf->boxes, boxes, G_N_ELEMENTS (boxes));
  g_ptr_array_add (findings, pf);

  pf = make_finding (SC_FINDING_DEADLINE, NULL, 1, "2. April 2024",
                     1u << SC_FINDING_SOURCE_RULE);
  sc_finding_set_value (pf->finding, "2024-04-02");
  sc_finding_add_step (pf->finding, "Zugang: 3. März 2024");
  sc_finding_add_step (pf->finding, "Frist „ein Monat“ \\ endet am 2. April 2024");
  g_ptr_array_add (findings, pf);

  pf = make_finding (SC_FINDING_LOCATION, NULL, 1, "Mainz",
                     (1u << SC_FINDING_SOURCE_MODEL) | (1u << SC_FINDING_SOURCE_GAZETTEER));
  pf->finding->source = SC_FINDING_SOURCE_GAZETTEER;
  pf->finding->confidence = 0.5;
  g_ptr_array_add (findings, pf);
  return findings;
}

/* A case with one document of DOC_CONTENT and page_texts. */
static gint64
add_sample_document (ScStore *store,
                     gint64  *case_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static (DOC_CONTENT, strlen (DOC_CONTENT));
  gint64 doc_id;

  *case_id = sc_store_create_case (store, "Widerspruch Müller", "63-2024-0815", &error);
  g_assert_no_error (error);
  g_assert_cmpint (*case_id, >, 0);
  doc_id = sc_store_add_document (store, *case_id, "bescheid.txt", "text/plain", content,
                                  page_texts, G_N_ELEMENTS (page_texts), &error);
  g_assert_no_error (error);
  g_assert_cmpint (doc_id, >, 0);
  return doc_id;
}

static ScStoreFinding *
find_by_id (GPtrArray *findings,
            gint64     id)
{
  for (guint i = 0; i < findings->len; i++)
    {
      ScStoreFinding *sf = g_ptr_array_index (findings, i);

      if (sf->id == id)
        return sf;
    }
  return NULL;
}

static ScStoreFinding *
find_by_text (GPtrArray  *findings,
              const char *text)
{
  for (guint i = 0; i < findings->len; i++)
    {
      ScStoreFinding *sf = g_ptr_array_index (findings, i);

      if (g_str_equal (sf->finding->finding->text, text))
        return sf;
    }
  return NULL;
}

static ScStoreAuditEntry *
last_audit (ScStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = sc_store_list_audit (store, 0, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, >, 0);
  return sc_store_audit_entry_ref (g_ptr_array_index (entries, entries->len - 1));
}

static guint64
audit_length (ScStore *store)
{
  g_autoptr(GError) error = NULL;
  guint64 n = 0;

  g_assert_true (sc_store_verify_audit (store, &n, &error));
  g_assert_no_error (error);
  return n;
}

/* ------------------------------------------------------------------------------------------ */
/* Opening                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static void
test_open_create (Fixture       *fx,
                  gconstpointer  data)
{
  g_autofree char *nested_dir = g_build_filename (fx->dir, "daten", "sichtung", NULL);
  g_autofree char *nested = g_build_filename (nested_dir, "faelle.sqlite", NULL);
  g_autofree char *default_path = sc_store_get_default_path ();
  g_autofree char *expected_default = g_build_filename (g_get_user_data_dir (), "sichtung",
                                                        "faelle.sqlite", NULL);
  g_autofree char *mode = NULL;
  g_autoptr(ScStore) store = NULL;
  g_autoptr(ScStoreAuditEntry) entry = NULL;
  GStatBuf st;

  g_assert_cmpstr (default_path, ==, expected_default);

  store = open_store (nested);
  g_assert_cmpstr (sc_store_get_path (store), ==, nested);
  g_assert_true (g_file_test (nested, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_stat (nested_dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* Read back on the store's own connection: these are per-connection settings. */
  mode = query_text (store->db, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (query_int (store->db, "PRAGMA synchronous"), ==, 2); /* FULL */
  g_assert_cmpint (query_int (store->db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (query_int (store->db, "PRAGMA busy_timeout"), >, 0);
  g_assert_cmpint (query_int (store->db, "PRAGMA user_version"), ==, SC_STORE_SCHEMA_VERSION);

  /* Creating the schema is the first audit entry. */
  g_assert_cmpuint (audit_length (store), ==, 1);
  entry = last_audit (store);
  g_assert_cmpstr (entry->action, ==, "schema-migrated");
  g_assert_cmpstr (entry->details, ==, "{\"from\":0,\"to\":1}");
  g_assert_cmpstr (entry->app_version, ==, PACKAGE_VERSION);
  g_assert_cmpstr (entry->user, ==, g_get_user_name ());
  g_clear_object (&store);

  /* Reopening migrates nothing. */
  store = open_store (nested);
  g_assert_cmpuint (audit_length (store), ==, 1);
  g_assert_cmpint (query_int (store->db, "PRAGMA user_version"), ==, SC_STORE_SCHEMA_VERSION);
}

static void
test_newer_version (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autofree char *wal = g_strconcat (fx->path, "-wal", NULL);
  ScStore *store;

  store = open_store (fx->path);
  g_object_unref (store);
  raw_exec (fx->path, "PRAGMA user_version = 999");
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  before = read_file (fx->path);

  store = sc_store_open (fx->path, &error);
  g_assert_null (store);
  g_assert_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "newer version of Sichtung"));

  after = read_file (fx->path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_not_a_database (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *foreign = g_build_filename (fx->dir, "andere.sqlite", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  ScStore *store;

  /* A text file larger than a database header. */
  for (int i = 0; i < 200; i++)
    g_string_append_printf (text, "Zeile %d: Dies ist keine Datenbank, sondern ein Brief.\n", i);
  before = g_bytes_new (text->str, text->len);
  write_file (fx->path, before);

  store = sc_store_open (fx->path, &error);
  g_assert_null (store);
  g_assert_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "not a Sichtung case database"));
  after = read_file (fx->path);
  g_assert_true (g_bytes_equal (before, after));
  g_clear_error (&error);
  g_clear_pointer (&before, g_bytes_unref);
  g_clear_pointer (&after, g_bytes_unref);

  /* Another program's SQLite database is not taken over either. */
  raw_exec (foreign, "CREATE TABLE kontakte (name TEXT); INSERT INTO kontakte VALUES ('A');");
  before = read_file (foreign);
  store = sc_store_open (foreign, &error);
  g_assert_null (store);
  g_assert_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED);
  after = read_file (foreign);
  g_assert_true (g_bytes_equal (before, after));
  g_clear_error (&error);

  /* A directory in place of the file. */
  store = sc_store_open (fx->dir, &error);
  g_assert_null (store);
  g_assert_error (error, SC_ERROR, SC_ERROR_IO);
}

/* Opens @path and, if that works, uses the store a little: any outcome but a crash is fine. */
static void
poke_damaged (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScStore) store = sc_store_open (path, &error);
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GPtrArray) hits = NULL;

  if (store == NULL)
    {
      g_assert_true (error->domain == SC_ERROR);
      return;
    }
  cases = sc_store_list_cases (store, &error);
  g_clear_error (&error);
  hits = sc_store_search (store, 1, "Müller", &error);
  g_clear_error (&error);
  sc_store_verify_audit (store, NULL, &error);
  g_clear_error (&error);
  sc_store_create_case (store, "Neu", NULL, &error);
  g_clear_error (&error);
}

static void
test_corrupt (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(GBytes) pristine = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) big = g_byte_array_new ();
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  ScStore *store;
  gint64 case_id, doc_id;
  gsize size;

  /* Enough content that the file has many pages. */
  for (guint i = 0; i < 40000; i++)
    g_byte_array_append (big, (const guint8 *) "0123456789abcdef", 16);
  content = g_byte_array_free_to_bytes (g_steal_pointer (&big));
  store = open_store (fx->path);
  doc_id = add_sample_document (store, &case_id);
  sc_store_add_document (store, case_id, "gross.bin", NULL, content, page_texts, 2, &error);
  g_assert_no_error (error);
  findings = sample_findings ();
  sc_store_set_findings (store, doc_id, findings, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (store);
  pristine = read_file (fx->path);
  size = g_bytes_get_size (pristine);
  g_assert_cmpuint (size, >, 16 * 4096);

  /* Page 2 (the root of the cases table) overwritten. */
  {
    g_autoptr(GByteArray) bytes = g_bytes_unref_to_array (g_bytes_ref (pristine));
    g_autoptr(GBytes) damaged = NULL;

    memset (bytes->data + 4096, 0xa5, 4096);
    damaged = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
    write_file (fx->path, damaged);
    store = sc_store_open (fx->path, &error);
    g_assert_null (store);
    g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
    g_assert_nonnull (strstr (error->message, "is damaged"));
    g_clear_error (&error);
  }

  /* Truncated to half. */
  {
    g_autoptr(GBytes) half = g_bytes_new_from_bytes (pristine, 0, size / 2);

    write_file (fx->path, half);
    store = sc_store_open (fx->path, &error);
    g_assert_null (store);
    g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
    g_clear_error (&error);
  }

  /* Header destroyed. */
  {
    g_autoptr(GByteArray) bytes = g_bytes_unref_to_array (g_bytes_ref (pristine));
    g_autoptr(GBytes) damaged = NULL;

    memset (bytes->data, 0, 100);
    damaged = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
    write_file (fx->path, damaged);
    store = sc_store_open (fx->path, &error);
    g_assert_null (store);
    g_assert_true (error->domain == SC_ERROR);
    g_clear_error (&error);
  }

  /* Random bytes anywhere past the header: an error or a working store, never a crash. */
  for (guint round = 0; round < 30; round++)
    {
      g_autoptr(GByteArray) bytes = g_bytes_unref_to_array (g_bytes_ref (pristine));
      g_autoptr(GBytes) damaged = NULL;
      g_autofree char *wal = g_strconcat (fx->path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (fx->path, "-shm", NULL);

      for (guint k = 0; k < 24; k++)
        bytes->data[g_test_rand_int_range (100, (gint32) size)] = (guint8) g_test_rand_int ();
      damaged = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
      g_remove (wal);
      g_remove (shm);
      write_file (fx->path, damaged);
      poke_damaged (fx->path);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Cases and documents                                                                         */
/* ------------------------------------------------------------------------------------------ */

/* Importing a file finds it again by its SHA-256 in the same case, never in another. */
static void
test_import_document (Fixture       *fx,
                      gconstpointer  data)
{
  const char *text = "Bescheid\n\nFrau Erika Mustermann, Lindenstraße 12, 55118 Mainz.\n";
  g_autoptr(ScStore) store = open_store (fx->path);
  g_autoptr(GBytes) content = g_bytes_new_static (text, strlen (text));
  g_autoptr(ScDocument) document = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_auto(GStrv) texts = NULL;
  g_autoptr(GError) error = NULL;
  gint64 case_id, other_case, id, again, elsewhere;
  gboolean added = FALSE;

  document = sc_document_new_from_bytes (content, "bescheid.txt", NULL, &error);
  g_assert_no_error (error);
  case_id = sc_store_create_case (store, "Wohngeld", "4.2-WG-1/2025", &error);
  g_assert_no_error (error);
  other_case = sc_store_create_case (store, "Anderer Vorgang", NULL, &error);
  g_assert_no_error (error);

  id = sc_store_import_document (store, case_id, "bescheid.txt", document, content, &added,
                                 &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_true (added);

  again = sc_store_import_document (store, case_id, "kopie.txt", document, content, &added,
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpint (again, ==, id);
  g_assert_false (added);

  elsewhere = sc_store_import_document (store, other_case, "bescheid.txt", document, content,
                                        &added, &error);
  g_assert_no_error (error);
  g_assert_cmpint (elsewhere, !=, id);
  g_assert_true (added);

  documents = sc_store_list_documents (store, case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (documents->len, ==, 1);
  g_assert_cmpstr (((ScStoreDocument *) g_ptr_array_index (documents, 0))->media_type, ==,
                   "text/plain");
  texts = sc_store_get_page_texts (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (texts), ==, 1);
  g_assert_nonnull (strstr (texts[0], "Erika Mustermann"));

  /* a case that does not exist is an error, not a crash */
  g_assert_cmpint (sc_store_import_document (store, 9999, "x.txt", document, content, NULL,
                                             &error), ==, 0);
  g_assert_nonnull (error);
}

static void
test_cases_documents (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(ScStore) store = open_store (fx->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_auto(GStrv) texts = NULL;
  g_autoptr(ScStoreAuditEntry) entry = NULL;
  const char *bad_pages[] = { "gut", "kaputt \xc3" };
  ScStoreCase *c;
  ScStoreDocument *d;
  gint64 case_id, other_case, doc_id, empty_id;

  doc_id = add_sample_document (store, &case_id);
  other_case = sc_store_create_case (store, "Bauantrag Schulz", NULL, &error);
  g_assert_no_error (error);

  cases = sc_store_list_cases (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cases->len, ==, 2);
  c = g_ptr_array_index (cases, 0); /* newest first */
  g_assert_cmpint (c->id, ==, other_case);
  g_assert_cmpstr (c->reference, ==, "");
  g_assert_cmpuint (c->n_documents, ==, 0);
  c = g_ptr_array_index (cases, 1);
  g_assert_cmpint (c->id, ==, case_id);
  g_assert_cmpstr (c->title, ==, "Widerspruch Müller");
  g_assert_cmpstr (c->reference, ==, "63-2024-0815");
  g_assert_nonnull (c->created);
  g_assert_cmpuint (c->n_documents, ==, 1);
  g_assert_cmpuint (c->n_open_findings, ==, 0);
  g_clear_pointer (&cases, g_ptr_array_unref);

  /* The content comes back byte for byte, with the SHA-256 of those bytes. */
  content = sc_store_get_document_content (store, doc_id, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content),
                   DOC_CONTENT, strlen (DOC_CONTENT));
  documents = sc_store_list_documents (store, case_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (documents->len, ==, 1);
  d = g_ptr_array_index (documents, 0);
  g_assert_cmpint (d->id, ==, doc_id);
  g_assert_cmpint (d->case_id, ==, case_id);
  g_assert_cmpstr (d->name, ==, "bescheid.txt");
  g_assert_cmpstr (d->media_type, ==, "text/plain");
  g_assert_cmpstr (d->sha256, ==, DOC_SHA256);
  g_assert_cmpuint (d->size, ==, strlen (DOC_CONTENT));
  g_assert_cmpuint (d->n_pages, ==, 2);
  g_assert_nonnull (d->added);
  g_clear_pointer (&documents, g_ptr_array_unref);
  texts = sc_store_get_page_texts (store, doc_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (texts), ==, 2);
  g_assert_cmpstr (texts[0], ==, page_texts[0]);
  g_assert_cmpstr (texts[1], ==, page_texts[1]);

  {
    g_autoptr(GPtrArray) entries = sc_store_list_audit (store, case_id, &error);
    ScStoreAuditEntry *e = g_ptr_array_index (entries, 1);

    g_assert_cmpstr (e->action, ==, "document-added");
    g_assert_cmpint (e->case_id, ==, case_id);
    g_assert_cmpint (e->document_id, ==, doc_id);
    g_assert_cmpstr (e->document_sha256, ==, DOC_SHA256);
    g_assert_cmpstr (e->details, ==, "{\"media_type\":\"text/plain\",\"size\":27,\"pages\":2}");
  }

  /* An empty file without pages is a document too. */
  empty_id = sc_store_add_document (store, other_case, "leer.txt", NULL, empty, NULL, 0, &error);
  g_assert_no_error (error);
  g_clear_pointer (&content, g_bytes_unref);
  content = sc_store_get_document_content (store, empty_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (content), ==, 0);

  /* Refused: no such case, invalid page text, no such document. */
  g_assert_cmpint (sc_store_add_document (store, 999, "x", NULL, empty, NULL, 0, &error), ==, 0);
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpint (sc_store_add_document (store, case_id, "x", NULL, empty, bad_pages, 2, &error),
                   ==, 0);
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (sc_store_get_document_content (store, 999, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* A damaged stored file is reported, not handed out. */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE documents SET content = x'00' WHERE id = %"
                                            G_GINT64_FORMAT, doc_id);

    g_assert_cmpint (sqlite3_exec (store->db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  }
  g_assert_null (sc_store_get_document_content (store, doc_id, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_clear_error (&error);

  /* Rename. */
  g_assert_true (sc_store_rename_case (store, case_id, "Widerspruch M.", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (sc_store_rename_case (store, 999, "x", NULL, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  cases = sc_store_list_cases (store, &error);
  c = g_ptr_array_index (cases, 1);
  g_assert_cmpstr (c->title, ==, "Widerspruch M.");
  g_assert_cmpstr (c->reference, ==, "63-2024-0815");
  g_clear_pointer (&cases, g_ptr_array_unref);
  entry = last_audit (store);
  g_assert_cmpstr (entry->action, ==, "case-renamed");
  g_assert_null (strstr (entry->details, "Widerspruch"));
  g_clear_pointer (&entry, sc_store_audit_entry_unref);

  /* Remove a document, delete a case: everything under it goes, the log stays. */
  g_assert_true (sc_store_remove_document (store, empty_id, &error));
  g_assert_no_error (error);
  documents = sc_store_list_documents (store, other_case, &error);
  g_assert_cmpuint (documents->len, ==, 0);
  g_clear_pointer (&documents, g_ptr_array_unref);
  g_assert_false (sc_store_remove_document (store, empty_id, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  {
    g_autoptr(GPtrArray) findings = sample_findings ();

    sc_store_set_findings (store, doc_id, findings, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
  }
  g_assert_true (sc_store_delete_case (store, case_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store->db, "SELECT count(*) FROM documents"), ==, 0);
  g_assert_cmpint (query_int (store->db, "SELECT count(*) FROM pages"), ==, 0);
  g_assert_cmpint (query_int (store->db, "SELECT count(*) FROM findings"), ==, 0);
  g_assert_false (sc_store_delete_case (store, case_id, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  cases = sc_store_list_cases (store, &error);
  g_assert_cmpuint (cases->len, ==, 1);
  entry = last_audit (store);
  g_assert_cmpstr (entry->action, ==, "case-deleted");
  g_assert_cmpint (entry->case_id, ==, case_id);
  g_assert_cmpstr (entry->details, ==, "{\"documents\":1,\"findings\":4,\"decided\":0}");
  /* 1 schema + 2 cases + 2 documents + rename + removal + analysis + deletion */
  g_assert_cmpuint (audit_length (store), ==, 9);
}

/* ------------------------------------------------------------------------------------------ */
/* Findings and decisions                                                                      */
/* ------------------------------------------------------------------------------------------ */

static void
assert_same_finding (const ScPageFinding *a,
                     const ScPageFinding *b)
{
  const ScFinding *fa = a->finding, *fb = b->finding;

  g_assert_cmpint (fa->category, ==, fb->category);
  g_assert_cmpstr (fa->label, ==, fb->label);
  g_assert_cmpstr (fa->text, ==, fb->text);
  g_assert_cmpstr (fa->value, ==, fb->value);
  g_assert_cmpuint (fa->start, ==, fb->start);
  g_assert_cmpuint (fa->end, ==, fb->end);
  g_assert_cmpuint (fa->cp_start, ==, fb->cp_start);
  g_assert_cmpuint (fa->cp_end, ==, fb->cp_end);
  g_assert_cmpfloat (fa->confidence, ==, fb->confidence);
  g_assert_cmpint (fa->source, ==, fb->source);
  g_assert_cmpstr (fa->explanation, ==, fb->explanation);
  g_assert_cmpuint (fa->steps != NULL ? fa->steps->len : 0, ==,
                    fb->steps != NULL ? fb->steps->len : 0);
  for (guint i = 0; fa->steps != NULL && i < fa->steps->len; i++)
    g_assert_cmpstr (g_ptr_array_index (fa->steps, i), ==, g_ptr_array_index (fb->steps, i));
  g_assert_cmpuint (a->page, ==, b->page);
  g_assert_cmpuint (a->doc_start, ==, b->doc_start);
  g_assert_cmpuint (a->doc_end, ==, b->doc_end);
  g_assert_cmpuint (a->sources, ==, b->sources);
  g_assert_cmpuint (a->boxes->len, ==, b->boxes->len);
  for (guint i = 0; i < a->boxes->len; i++)
    {
      const ScRect *ra = &g_array_index (a->boxes, ScRect, i);
      const ScRect *rb = &g_array_index (b->boxes, ScRect, i);

      g_assert_cmpfloat (ra->x, ==, rb->x);
      g_assert_cmpfloat (ra->y, ==, rb->y);
      g_assert_cmpfloat (ra->width, ==, rb->width);
      g_assert_cmpfloat (ra->height, ==, rb->height);
    }
}

static void
test_findings_round_trip (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(ScStore) store = open_store (fx->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = sample_findings ();
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(ScStoreAuditEntry) entry = NULL;
  ScStoreDocument *d;
  gint64 case_id, doc_id;

  doc_id = add_sample_document (store, &case_id);
  g_assert_true (sc_store_set_findings (store, doc_id, findings, "sichtung-ner", "0.3",
                                        "ab12cd", &error));
  g_assert_no_error (error);

  stored = sc_store_list_findings (store, doc_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, findings->len);
  /* Same order: by page and position. */
  for (guint i = 0; i < findings->len; i++)
    {
      ScStoreFinding *sf = g_ptr_array_index (stored, i);

      assert_same_finding (sf->finding, g_ptr_array_index (findings, i));
      g_assert_cmpint (sf->document_id, ==, doc_id);
      g_assert_cmpint (sf->decision, ==, SC_STORE_DECISION_OPEN);
      g_assert_false (sf->manual);
      g_assert_cmpstr (sf->model_name, ==, "sichtung-ner");
      g_assert_cmpstr (sf->model_version, ==, "0.3");
      g_assert_null (sf->reason);
      g_assert_null (sf->decided_at);
    }

  documents = sc_store_list_documents (store, case_id, &error);
  d = g_ptr_array_index (documents, 0);
  g_assert_cmpuint (d->n_findings, ==, 4);
  g_assert_cmpuint (d->n_open_findings, ==, 4);

  entry = last_audit (store);
  g_assert_cmpstr (entry->action, ==, "analysis");
  g_assert_cmpstr (entry->model_name, ==, "sichtung-ner");
  g_assert_cmpstr (entry->model_version, ==, "0.3");
  g_assert_cmpstr (entry->model_sha256, ==, "ab12cd");
  g_assert_cmpstr (entry->document_sha256, ==, DOC_SHA256);
  g_assert_cmpint (entry->document_id, ==, doc_id);
  g_assert_cmpint (entry->case_id, ==, case_id);

  /* Unknown document. */
  g_assert_false (sc_store_set_findings (store, 999, findings, NULL, NULL, NULL, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
}

static void
test_rerun_keeps_decisions (Fixture       *fx,
                            gconstpointer  data)
{
  g_autoptr(ScStore) store = open_store (fx->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = sample_findings ();
  g_autoptr(GPtrArray) second = sample_findings ();
  g_autoptr(GPtrArray) stored = NULL;
  ScStoreSpan span = { .page = 0 };
  ScStoreFinding *person, *iban, *deadline, *place, *sf;
  gint64 case_id, doc_id, person_id, iban_id, deadline_id, place_id, manual_id;

  doc_id = add_sample_document (store, &case_id);
  sc_store_set_findings (store, doc_id, first, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  stored = sc_store_list_findings (store, doc_id, &error);
  person_id = find_by_text (stored, "Herr Müller")->id;
  iban_id = find_by_text (stored, "DE02 1203 0000 0000 2020 51")->id;
  deadline_id = find_by_text (stored, "2. April 2024")->id;
  place_id = find_by_text (stored, "Mainz")->id;
  g_clear_pointer (&stored, g_ptr_array_unref);

  /* Decide on three, correct one, add one by hand; the place stays open. */
  g_assert_true (sc_store_decide (store, person_id, SC_STORE_DECISION_ACCEPTED, "Name",
                                  "Art. 6 Abs. 1 lit. e DSGVO", &error));
  g_assert_true (sc_store_decide (store, iban_id, SC_STORE_DECISION_REJECTED, NULL, NULL,
                                  &error));
  span.page = 1;
  span.start = strstr (page_texts[1], "2. April") - page_texts[1];
  span.end = span.start + strlen ("2. April");
  g_assert_true (sc_store_edit_finding (store, deadline_id, SC_FINDING_DATE, &span, "Nur Datum",
                                        NULL, &error));
  span.page = 0;
  span.start = strstr (page_texts[0], "3. März 2024") - page_texts[0];
  span.end = span.start + strlen ("3. März 2024");
  manual_id = sc_store_add_manual_finding (store, doc_id, SC_FINDING_DATE, NULL, &span, NULL, NULL,
                                           &error);
  g_assert_no_error (error);

  /* The same analysis again, plus one new finding. */
  g_ptr_array_add (second, make_finding (SC_FINDING_ADDRESS, NULL, 1,
                                         "Große Bleiche 12, 55116 Mainz",
                                         1u << SC_FINDING_SOURCE_RULE));
  g_assert_true (sc_store_set_findings (store, doc_id, second, "m", "2", "ff", &error));
  g_assert_no_error (error);

  stored = sc_store_list_findings (store, doc_id, &error);
  g_assert_no_error (error);
  /* person, iban, deadline (edited), manual date, place (new run), address (new) */
  g_assert_cmpuint (stored->len, ==, 6);
  person = find_by_id (stored, person_id);
  iban = find_by_id (stored, iban_id);
  deadline = find_by_id (stored, deadline_id);
  g_assert_nonnull (person);
  g_assert_nonnull (iban);
  g_assert_nonnull (deadline);
  g_assert_nonnull (find_by_id (stored, manual_id));
  g_assert_cmpint (person->decision, ==, SC_STORE_DECISION_ACCEPTED);
  g_assert_cmpstr (person->legal_basis, ==, "Art. 6 Abs. 1 lit. e DSGVO");
  g_assert_cmpint (iban->decision, ==, SC_STORE_DECISION_REJECTED);
  g_assert_cmpint (deadline->decision, ==, SC_STORE_DECISION_EDITED);
  g_assert_cmpstr (deadline->finding->finding->text, ==, "2. April");
  /* The undecided place was replaced by the new run's. */
  g_assert_null (find_by_id (stored, place_id));
  place = find_by_text (stored, "Mainz");
  g_assert_nonnull (place);
  g_assert_cmpint (place->decision, ==, SC_STORE_DECISION_OPEN);
  g_assert_cmpstr (place->model_name, ==, "m");
  sf = find_by_text (stored, "Große Bleiche 12, 55116 Mainz");
  g_assert_nonnull (sf);
  g_assert_cmpint (sf->decision, ==, SC_STORE_DECISION_OPEN);
  g_clear_pointer (&stored, g_ptr_array_unref);

  /* A run that finds nothing drops only what is undecided. */
  g_ptr_array_set_size (second, 0);
  g_assert_true (sc_store_set_findings (store, doc_id, second, NULL, NULL, NULL, &error));
  stored = sc_store_list_findings (store, doc_id, &error);
  g_assert_cmpuint (stored->len, ==, 4);
  for (guint i = 0; i < stored->len; i++)
    g_assert_cmpint (((ScStoreFinding *) g_ptr_array_index (stored, i))->decision, !=,
                     SC_STORE_DECISION_OPEN);
  /* 1 schema, case, document, 3 analyses, 2 decisions, 1 edit, 1 addition */
  g_assert_cmpuint (audit_length (store), ==, 10);
}

static void
test_decisions (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(ScStore) store = open_store (fx->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = sample_findings ();
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(ScStoreAuditEntry) entry = NULL;
  g_autoptr(GArray) boxes = g_array_new (FALSE, FALSE, sizeof (ScRect));
  ScRect box = { 70.0, 98.5, 60.0, 13.0 };
  ScStoreSpan span = { 0 };
  ScStoreFinding *sf;
  gint64 case_id, doc_id, id;
  guint64 n_before;

  doc_id = add_sample_document (store, &case_id);
  sc_store_set_findings (store, doc_id, findings, NULL, NULL, "cafe", &error);
  g_assert_no_error (error);
  stored = sc_store_list_findings (store, doc_id, &error);
  id = find_by_text (stored, "Herr Müller")->id;
  g_clear_pointer (&stored, g_ptr_array_unref);

  g_assert_true (sc_store_decide (store, id, SC_STORE_DECISION_ACCEPTED, "Name der Person",
                                  "Art. 6 Abs. 1 lit. e DSGVO", &error));
  g_assert_no_error (error);
  stored = sc_store_list_findings (store, doc_id, &error);
  sf = find_by_id (stored, id);
  g_assert_cmpint (sf->decision, ==, SC_STORE_DECISION_ACCEPTED);
  g_assert_cmpstr (sf->reason, ==, "Name der Person");
  g_assert_cmpstr (sf->legal_basis, ==, "Art. 6 Abs. 1 lit. e DSGVO");
  g_assert_cmpstr (sf->decided_by, ==, g_get_user_name ());
  g_assert_nonnull (sf->decided_at);
  g_clear_pointer (&stored, g_ptr_array_unref);

  entry = last_audit (store);
  g_assert_cmpstr (entry->action, ==, "decision");
  g_assert_cmpint (entry->finding_id, ==, id);
  g_assert_cmpint (entry->document_id, ==, doc_id);
  g_assert_cmpint (entry->case_id, ==, case_id);
  g_assert_cmpstr (entry->document_sha256, ==, DOC_SHA256);
  g_assert_cmpstr (entry->model_sha256, ==, "cafe");
  g_assert_cmpstr (entry->details, ==,
                   "{\"decision\":\"accepted\",\"previous\":\"open\",\"category\":\"person\","
                   "\"page\":0,\"reason\":\"Name der Person\","
                   "\"legal_basis\":\"Art. 6 Abs. 1 lit. e DSGVO\"}");
  /* The log names no found text. */
  g_assert_null (strstr (entry->details, "Müller"));
  g_clear_pointer (&entry, sc_store_audit_entry_unref);

  /* Undo. */
  g_assert_true (sc_store_decide (store, id, SC_STORE_DECISION_OPEN, "versehentlich", NULL,
                                  &error));
  stored = sc_store_list_findings (store, doc_id, &error);
  sf = find_by_id (stored, id);
  g_assert_cmpint (sf->decision, ==, SC_STORE_DECISION_OPEN);
  g_assert_null (sf->reason);
  g_assert_null (sf->decided_by);
  g_assert_null (sf->decided_at);
  g_clear_pointer (&stored, g_ptr_array_unref);

  /* Refused calls change nothing and log nothing. */
  n_before = audit_length (store);
  g_assert_false (sc_store_decide (store, id, SC_STORE_DECISION_EDITED, NULL, NULL, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (sc_store_decide (store, 999, SC_STORE_DECISION_ACCEPTED, NULL, NULL, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  span.page = 0;
  span.start = strstr (page_texts[0], "Müller") - page_texts[0] + 2; /* inside "ü" */
  span.end = span.start + 3;
  g_assert_false (sc_store_edit_finding (store, id, SC_FINDING_PERSON, &span, NULL, NULL,
                                         &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  span.start = 0;
  span.end = strlen (page_texts[0]) + 1;
  g_assert_false (sc_store_edit_finding (store, id, SC_FINDING_PERSON, &span, NULL, NULL,
                                         &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpuint (audit_length (store), ==, n_before);

  /* Correct the span to the name only, on a box of its own, and change the category. */
  span.start = strstr (page_texts[0], "Müller") - page_texts[0];
  span.end = span.start + strlen ("Müller");
  g_array_append_val (boxes, box);
  span.boxes = boxes;
  g_assert_true (sc_store_edit_finding (store, id, SC_FINDING_PERSON, &span, "nur Nachname",
                                        NULL, &error));
  g_assert_no_error (error);
  stored = sc_store_list_findings (store, doc_id, &error);
  sf = find_by_id (stored, id);
  g_assert_cmpint (sf->decision, ==, SC_STORE_DECISION_EDITED);
  g_assert_cmpstr (sf->finding->finding->text, ==, "Müller");
  g_assert_cmpuint (sf->finding->finding->start, ==, span.start);
  g_assert_cmpuint (sf->finding->finding->cp_end - sf->finding->finding->cp_start, ==, 6);
  g_assert_cmpuint (sf->finding->doc_start, ==, sf->finding->finding->cp_start);
  g_assert_cmpuint (sf->finding->boxes->len, ==, 1);
  g_assert_cmpfloat (g_array_index (sf->finding->boxes, ScRect, 0).y, ==, 98.5);
  g_clear_pointer (&stored, g_ptr_array_unref);

  /* Only the category. */
  id = 0;
  stored = sc_store_list_findings (store, doc_id, &error);
  id = find_by_text (stored, "Mainz")->id;
  g_clear_pointer (&stored, g_ptr_array_unref);
  g_assert_true (sc_store_edit_finding (store, id, SC_FINDING_ORGANISATION, NULL, NULL, NULL,
                                        &error));
  stored = sc_store_list_findings (store, doc_id, &error);
  sf = find_by_id (stored, id);
  g_assert_cmpint (sf->finding->finding->category, ==, SC_FINDING_ORGANISATION);
  g_assert_cmpstr (sf->finding->finding->text, ==, "Mainz");
  g_assert_cmpuint (sf->finding->page, ==, 1);
  entry = last_audit (store);
  g_assert_cmpstr (entry->action, ==, "finding-edited");
  g_assert_nonnull (strstr (entry->details, "\"previous_category\":\"location\""));
  g_assert_cmpuint (audit_length (store), ==, n_before + 2);
}

static void
test_manual_findings (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(ScStore) store = open_store (fx->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GArray) boxes = g_array_new (FALSE, FALSE, sizeof (ScRect));
  g_autoptr(ScStoreAuditEntry) entry = NULL;
  g_autofree char *doc_text = g_strconcat (page_texts[0], "\f", page_texts[1], "\f", NULL);
  ScRect box = { 400.0, 700.0, 120.5, 40.25 };
  ScStoreSpan span = { 0 };
  ScStoreFinding *sf;
  const char *at;
  gint64 case_id, doc_id, text_id, box_id;

  doc_id = add_sample_document (store, &case_id);

  /* A text selection on the second page. */
  span.page = 1;
  span.start = strstr (page_texts[1], "Große Bleiche 12") - page_texts[1];
  span.end = span.start + strlen ("Große Bleiche 12");
  text_id = sc_store_add_manual_finding (store, doc_id, SC_FINDING_ADDRESS, "Straße", &span,
                                         "Anschrift", "§ 3 LDSG", &error);
  g_assert_no_error (error);
  g_assert_cmpint (text_id, >, 0);

  /* A box drawn over a signature the text does not contain. */
  g_array_append_val (boxes, box);
  span.page = 0;
  span.start = span.end = 0;
  span.text = "Unterschrift";
  span.boxes = boxes;
  box_id = sc_store_add_manual_finding (store, doc_id, SC_FINDING_PERSON, NULL, &span, NULL,
                                        NULL, &error);
  g_assert_no_error (error);

  stored = sc_store_list_findings (store, doc_id, &error);
  g_assert_cmpuint (stored->len, ==, 2);
  sf = find_by_id (stored, text_id);
  g_assert_true (sf->manual);
  g_assert_cmpint (sf->decision, ==, SC_STORE_DECISION_ADDED);
  g_assert_cmpstr (sf->reason, ==, "Anschrift");
  g_assert_cmpstr (sf->legal_basis, ==, "§ 3 LDSG");
  g_assert_cmpstr (sf->decided_by, ==, g_get_user_name ());
  g_assert_cmpint (sf->finding->finding->category, ==, SC_FINDING_ADDRESS);
  g_assert_cmpstr (sf->finding->finding->label, ==, "Straße");
  g_assert_cmpstr (sf->finding->finding->text, ==, "Große Bleiche 12");
  g_assert_cmpuint (sf->finding->sources, ==, 0);
  g_assert_cmpuint (sf->finding->page, ==, 1);
  /* Code points into the document text, pages separated by form feeds. */
  at = strstr (doc_text, "Große Bleiche 12");
  g_assert_cmpuint (sf->finding->doc_start, ==, g_utf8_pointer_to_offset (doc_text, at));
  g_assert_cmpuint (sf->finding->doc_end, ==, sf->finding->doc_start + 16);
  g_assert_cmpstr (sf->finding->finding->explanation, !=, "");

  sf = find_by_id (stored, box_id);
  g_assert_cmpstr (sf->finding->finding->text, ==, "Unterschrift");
  g_assert_cmpuint (sf->finding->finding->start, ==, sf->finding->finding->end);
  g_assert_cmpuint (sf->finding->boxes->len, ==, 1);
  g_assert_cmpfloat (g_array_index (sf->finding->boxes, ScRect, 0).width, ==, 120.5);
  g_assert_cmpfloat (g_array_index (sf->finding->boxes, ScRect, 0).height, ==, 40.25);

  entry = last_audit (store);
  g_assert_cmpstr (entry->action, ==, "finding-added");
  g_assert_cmpint (entry->finding_id, ==, box_id);
  g_assert_cmpstr (entry->document_sha256, ==, DOC_SHA256);

  /* Decided by hand, so they count as decided. */
  documents = sc_store_list_documents (store, case_id, &error);
  g_assert_cmpuint (((ScStoreDocument *) g_ptr_array_index (documents, 0))->n_open_findings,
                    ==, 0);

  /* No such page; no such document. */
  span.page = 7;
  g_assert_cmpint (sc_store_add_manual_finding (store, doc_id, SC_FINDING_PERSON, NULL, &span,
                                                NULL, NULL, &error), ==, 0);
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  span.page = 0;
  g_assert_cmpint (sc_store_add_manual_finding (store, 999, SC_FINDING_PERSON, NULL, &span,
                                                NULL, NULL, &error), ==, 0);
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpuint (audit_length (store), ==, 5);
}

/* ------------------------------------------------------------------------------------------ */
/* Audit log                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/* Builds a store with some history: 1 schema, 1 case, 1 document, 1 analysis, 2 decisions. */
static void
make_history (const char *path)
{
  g_autoptr(ScStore) store = open_store (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = sample_findings ();
  g_autoptr(GPtrArray) stored = NULL;
  gint64 case_id, doc_id;

  doc_id = add_sample_document (store, &case_id);
  sc_store_set_findings (store, doc_id, findings, NULL, NULL, NULL, &error);
  stored = sc_store_list_findings (store, doc_id, &error);
  for (guint i = 0; i < 2; i++)
    sc_store_decide (store, ((ScStoreFinding *) g_ptr_array_index (stored, i))->id,
                     SC_STORE_DECISION_ACCEPTED, "Grund", NULL, &error);
  g_assert_no_error (error);
}

static void
test_audit_chain (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GBytes) pristine = NULL;
  ScStore *store;
  guint64 n = 0;
  gint64 case_id;

  make_history (fx->path);
  store = open_store (fx->path);
  g_assert_true (sc_store_verify_audit (store, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 6);

  entries = sc_store_list_audit (store, 0, &error);
  g_assert_cmpuint (entries->len, ==, 6);
  for (guint i = 0; i < entries->len; i++)
    {
      ScStoreAuditEntry *e = g_ptr_array_index (entries, i);
      g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (e->time, NULL);

      g_assert_cmpuint (e->seq, ==, i + 1);
      g_assert_cmpuint (strlen (e->hash), ==, 64);
      g_assert_nonnull (time);
      g_assert_true (g_str_has_suffix (e->time, "Z"));
      if (i == 0)
        g_assert_cmpstr (e->prev_hash, ==, "0000000000000000000000000000000000000000000000000000"
                                           "000000000000");
      else
        g_assert_cmpstr (e->prev_hash, ==,
                         ((ScStoreAuditEntry *) g_ptr_array_index (entries, i - 1))->hash);
    }
  case_id = ((ScStoreAuditEntry *) g_ptr_array_index (entries, 1))->case_id;
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = sc_store_list_audit (store, case_id, &error);
  g_assert_cmpuint (entries->len, ==, 5); /* all but the schema's entry */
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* The triggers refuse changes through SQL. */
  g_assert_cmpint (sqlite3_exec (store->db, "UPDATE audit SET action = 'x' WHERE seq = 2", NULL,
                                 NULL, NULL), ==, SQLITE_CONSTRAINT_TRIGGER);
  g_assert_cmpint (sqlite3_exec (store->db, "DELETE FROM audit WHERE seq = 6", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT_TRIGGER);
  g_assert_cmpuint (audit_length (store), ==, 6);
  g_object_unref (store);
  pristine = read_file (fx->path);

  /* Someone drops the guard and rewrites entry 3: found at entry 3. */
  raw_exec (fx->path, "DROP TRIGGER audit_no_update;"
                      "UPDATE audit SET details = '{\"forged\":1}' WHERE seq = 3;");
  store = open_store (fx->path);
  g_assert_false (sc_store_verify_audit (store, &n, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_assert_cmpuint (n, ==, 2);
  g_assert_nonnull (strstr (error->message, "entry 3 "));
  g_clear_error (&error);
  g_object_unref (store);

  /* An entry removed from the middle: entry 4 is missing. */
  write_file (fx->path, pristine);
  raw_exec (fx->path, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 4;");
  store = open_store (fx->path);
  g_assert_false (sc_store_verify_audit (store, &n, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_assert_cmpuint (n, ==, 3);
  g_assert_nonnull (strstr (error->message, "entry 4 "));
  g_clear_error (&error);
  g_object_unref (store);

  /* Entry 5 chained to another predecessor. */
  write_file (fx->path, pristine);
  raw_exec (fx->path, "DROP TRIGGER audit_no_update;"
                      "UPDATE audit SET prev_hash = '" DOC_SHA256 "' WHERE seq = 5;");
  store = open_store (fx->path);
  g_assert_false (sc_store_verify_audit (store, &n, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_assert_cmpuint (n, ==, 4);
  g_assert_nonnull (strstr (error->message, "entry 5 does not follow"));
  g_clear_error (&error);
  g_object_unref (store);

  /* The chain intact but the guard gone. */
  write_file (fx->path, pristine);
  raw_exec (fx->path, "DROP TRIGGER audit_no_delete;");
  store = open_store (fx->path);
  g_assert_false (sc_store_verify_audit (store, &n, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_assert_cmpuint (n, ==, 6);
  g_assert_nonnull (strstr (error->message, "audit_no_delete"));
  g_object_unref (store);
}

/* ------------------------------------------------------------------------------------------ */
/* Search                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static GPtrArray *
search (ScStore    *store,
        gint64      case_id,
        const char *query)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *hits = sc_store_search (store, case_id, query, &error);

  g_assert_no_error (error);
  g_assert_nonnull (hits);
  return hits;
}

static void
test_search (Fixture       *fx,
             gconstpointer  data)
{
  static const char *const texts_a[] = {
    "Herr Müller wohnt in der Hauptstraße 5 in Mainz.",
    "Frau Muller ohne Umlaut wohnt nebenan.",
    "Müller, Müller und nochmals Müller: die Straße ist gesperrt.",
  };
  static const char *const texts_b[] = { "Ein anderer Fall über Herrn Müller." };
  static const char *const hostile[] = {
    "\"", "*", "NEAR(", "-", ":", "\"Müller", "Müller\"", "NEAR(Müller", "Müller*",
    "text:Müller", "AND", "OR NOT", "(", ")", "^", "{text}", "'", "", "   ", "\"\"\"",
    "Müller -Straße", "a\"b", "NEAR(\"Müller\" \"Straße\", 2)", "Stra\xc3",
  };
  g_autoptr(ScStore) store = open_store (fx->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("x", 1);
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *integrity = NULL;
  ScStoreSearchHit *hit;
  gint64 case_a, case_b, doc_a, doc_b;

  case_a = sc_store_create_case (store, "A", NULL, &error);
  case_b = sc_store_create_case (store, "B", NULL, &error);
  doc_a = sc_store_add_document (store, case_a, "a.txt", NULL, content, texts_a, 3, &error);
  doc_b = sc_store_add_document (store, case_b, "b.txt", NULL, content, texts_b, 1, &error);
  g_assert_no_error (error);

  /* Umlauts are letters of their own, case does not matter, and the case is kept apart. The
   * page with three Müllers ranks first. */
  hits = search (store, case_a, "Müller");
  g_assert_cmpuint (hits->len, ==, 2);
  hit = g_ptr_array_index (hits, 0);
  g_assert_cmpint (hit->document_id, ==, doc_a);
  g_assert_cmpuint (hit->page, ==, 2);
  g_assert_nonnull (strstr (hit->snippet, SC_STORE_MATCH_START "Müller" SC_STORE_MATCH_END));
  g_assert_cmpfloat (hit->rank, <=, ((ScStoreSearchHit *) g_ptr_array_index (hits, 1))->rank);
  g_assert_cmpuint (((ScStoreSearchHit *) g_ptr_array_index (hits, 1))->page, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);

  hits = search (store, case_a, "MÜLLER");
  g_assert_cmpuint (hits->len, ==, 2);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (store, case_a, "Muller");
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpuint (((ScStoreSearchHit *) g_ptr_array_index (hits, 0))->page, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (store, case_a, "Straße");
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpuint (((ScStoreSearchHit *) g_ptr_array_index (hits, 0))->page, ==, 2);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (store, case_a, "hauptstraße mainz");
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpuint (((ScStoreSearchHit *) g_ptr_array_index (hits, 0))->page, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (store, case_b, "Müller");
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (((ScStoreSearchHit *) g_ptr_array_index (hits, 0))->document_id, ==, doc_b);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Search syntax typed by the user is plain text. */
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      hits = sc_store_search (store, case_a, hostile[i], &error);
      g_assert_no_error (error);
      g_assert_nonnull (hits);
      g_clear_pointer (&hits, g_ptr_array_unref);
    }
  hits = search (store, case_a, "-Müller");
  g_assert_cmpuint (hits->len, ==, 2);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (store, case_a, "\"Müller\"");
  g_assert_cmpuint (hits->len, ==, 2);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (store, case_a, "Müller -Straße");
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (store, case_a, "*");
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Removed documents are no longer found. */
  g_assert_true (sc_store_remove_document (store, doc_a, &error));
  hits = search (store, case_a, "Müller");
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  g_assert_true (sc_store_delete_case (store, case_b, &error));
  hits = search (store, case_b, "Müller");
  g_assert_cmpuint (hits->len, ==, 0);
  integrity = query_text (store->db, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
}

/* ------------------------------------------------------------------------------------------ */
/* Backup and restore                                                                          */
/* ------------------------------------------------------------------------------------------ */

static void
test_backup_restore (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (fx->dir, "sicherung.sqlite", NULL);
  g_autofree char *backup_wal = g_strconcat (backup, "-wal", NULL);
  g_autofree char *forged = g_build_filename (fx->dir, "gefaelscht.sqlite", NULL);
  g_autofree char *text = g_build_filename (fx->dir, "brief.txt", NULL);
  g_autofree char *mode = NULL;
  g_autofree char *integrity = NULL;
  g_autoptr(GBytes) letter = g_bytes_new_static ("Kein Backup", 11);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(ScStoreAuditEntry) entry = NULL;
  g_autoptr(GBytes) content = NULL;
  ScStore *store;
  sqlite3 *db;
  gint64 case_id, doc_id, decided_id;
  guint64 n_at_backup;

  make_history (fx->path);
  store = open_store (fx->path);
  g_assert_true (sc_store_backup (store, backup, &error));
  g_assert_no_error (error);
  n_at_backup = audit_length (store);
  entry = last_audit (store);
  g_assert_cmpstr (entry->action, ==, "backup");
  g_clear_pointer (&entry, sc_store_audit_entry_unref);

  /* A single self-contained file. */
  g_assert_false (g_file_test (backup_wal, G_FILE_TEST_EXISTS));
  g_assert_cmpint (sqlite3_open_v2 (backup, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  mode = query_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "delete");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM findings"), ==, 4);
  sqlite3_close (db);

  /* A backup never overwrites the database itself. */
  g_assert_false (sc_store_backup (store, fx->path, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Work goes on after the backup. */
  cases = sc_store_list_cases (store, &error);
  case_id = ((ScStoreCase *) g_ptr_array_index (cases, 0))->id;
  g_clear_pointer (&cases, g_ptr_array_unref);
  sc_store_create_case (store, "Nach der Sicherung", NULL, &error);
  doc_id = 1;
  stored = sc_store_list_findings (store, doc_id, &error);
  decided_id = ((ScStoreFinding *) g_ptr_array_index (stored, 3))->id;
  g_clear_pointer (&stored, g_ptr_array_unref);
  sc_store_decide (store, decided_id, SC_STORE_DECISION_REJECTED, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (audit_length (store), ==, n_at_backup + 2);

  /* Refused backups leave the live store as it is. */
  write_file (text, letter);
  g_assert_false (sc_store_restore (store, text, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  {
    g_autoptr(GBytes) bytes = read_file (backup);

    write_file (forged, bytes);
    raw_exec (forged, "PRAGMA journal_mode = DELETE; DROP TRIGGER audit_no_update;"
                      "UPDATE audit SET os_user = 'mallory' WHERE seq = 2;");
  }
  g_assert_false (sc_store_restore (store, forged, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "entry 2 "));
  g_clear_error (&error);
  g_assert_false (sc_store_restore (store, fx->path, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpuint (audit_length (store), ==, n_at_backup + 2);
  cases = sc_store_list_cases (store, &error);
  g_assert_cmpuint (cases->len, ==, 2);
  g_clear_pointer (&cases, g_ptr_array_unref);

  /* The restore brings back the state of the backup, plus an entry saying so. */
  g_assert_true (sc_store_restore (store, backup, &error));
  g_assert_no_error (error);
  cases = sc_store_list_cases (store, &error);
  g_assert_cmpuint (cases->len, ==, 1);
  g_assert_cmpint (((ScStoreCase *) g_ptr_array_index (cases, 0))->id, ==, case_id);
  stored = sc_store_list_findings (store, doc_id, &error);
  g_assert_cmpint (find_by_id (stored, decided_id)->decision, ==, SC_STORE_DECISION_OPEN);
  content = sc_store_get_document_content (store, doc_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (content), ==, strlen (DOC_CONTENT));
  /* The backup was made before its own "backup" entry. */
  g_assert_cmpuint (audit_length (store), ==, n_at_backup);
  entry = last_audit (store);
  g_assert_cmpstr (entry->action, ==, "restore");
  g_assert_nonnull (strstr (entry->details, "\"replaced_entries\":9"));
  g_clear_pointer (&entry, sc_store_audit_entry_unref);
  g_free (mode);
  mode = query_text (store->db, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  integrity = query_text (store->db, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
  g_object_unref (store);

  /* And it is all still there when opened again, with no temporary files left over. */
  store = open_store (fx->path);
  g_assert_cmpuint (audit_length (store), ==, n_at_backup);
  entries = sc_store_list_audit (store, 0, &error);
  g_assert_cmpuint (entries->len, ==, n_at_backup);
  g_object_unref (store);
  {
    GDir *dir = g_dir_open (fx->dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_false (name[0] == '.');
    g_dir_close (dir);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Threads                                                                                     */
/* ------------------------------------------------------------------------------------------ */

#define N_THREADS 4

typedef struct
{
  ScStore *store;
  GArray  *ids;
  guint    index;
} ThreadData;

static gpointer
decide_thread (gpointer data)
{
  ThreadData *td = data;

  for (guint i = td->index; i < td->ids->len; i += N_THREADS)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) hits = NULL;

      sc_store_decide (td->store, g_array_index (td->ids, gint64, i),
                       SC_STORE_DECISION_ACCEPTED, "Thread", NULL, &error);
      g_assert_no_error (error);
      hits = sc_store_search (td->store, 1, "Müller", &error);
      g_assert_no_error (error);
    }
  return NULL;
}

static void
test_threads (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(ScStore) store = open_store (fx->path);
  g_autoptr(ScStore) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) stored = NULL;
  GThread *threads[N_THREADS];
  ThreadData td[N_THREADS];
  ScStoreSpan span = { .page = 0, .start = 0, .end = 4 };
  gint64 case_id, doc_id;

  doc_id = add_sample_document (store, &case_id);
  for (guint i = 0; i < 40; i++)
    {
      gint64 id = sc_store_add_manual_finding (store, doc_id, SC_FINDING_PERSON, NULL, &span,
                                               NULL, NULL, &error);

      g_assert_no_error (error);
      g_array_append_val (ids, id);
    }
  /* A second connection to the same file appends to the same chain meanwhile. */
  second = open_store (fx->path);
  for (guint t = 0; t < N_THREADS; t++)
    {
      td[t] = (ThreadData) { .store = t % 2 ? second : store, .ids = ids, .index = t };
      threads[t] = g_thread_new ("decide", decide_thread, &td[t]);
    }
  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);

  stored = sc_store_list_findings (store, doc_id, &error);
  g_assert_cmpuint (stored->len, ==, 40);
  for (guint i = 0; i < stored->len; i++)
    g_assert_cmpint (((ScStoreFinding *) g_ptr_array_index (stored, i))->decision, ==,
                     SC_STORE_DECISION_ACCEPTED);
  /* 1 schema + case + document + 40 additions + 40 decisions */
  g_assert_cmpuint (audit_length (store), ==, 83);
  g_assert_cmpuint (audit_length (second), ==, 83);
}

/* ------------------------------------------------------------------------------------------ */
/* Crash safety                                                                                */
/* ------------------------------------------------------------------------------------------ */

/* The child: decides in a loop and reports each decision once sc_store_decide() has returned,
 * as "FINDING-ID COUNTER\n" (the reason is "kill COUNTER"). Never returns. */
static void G_GNUC_NORETURN
kill_child (const char *path,
            GArray     *ids,
            guint       iteration,
            int         fd,
            pid_t       parent)
{
  g_autoptr(GError) error = NULL;
  ScStore *store = sc_store_open (path, &error);
  char line[128];

  if (store == NULL)
    {
      int n = g_snprintf (line, sizeof line, "E %s\n", error->message);

      if (write (fd, line, (size_t) MIN (n, (int) sizeof line - 1)) < 0)
        _exit (3);
      _exit (1);
    }
  for (guint i = 0; i < 100000 && getppid () == parent; i++)
    {
      gint64 id = g_array_index (ids, gint64, (iteration * 7 + i) % ids->len);
      guint64 counter = (guint64) iteration * 1000000 + i;
      char reason[64];
      int n;

      g_snprintf (reason, sizeof reason, "kill %" G_GUINT64_FORMAT, counter);
      if (!sc_store_decide (store, id, i % 2 ? SC_STORE_DECISION_ACCEPTED
                                              : SC_STORE_DECISION_REJECTED,
                            reason, "Art. 6 DSGVO", &error))
        {
          n = g_snprintf (line, sizeof line, "E %s\n", error->message);
          if (write (fd, line, (size_t) MIN (n, (int) sizeof line - 1)) < 0)
            _exit (3);
          _exit (1);
        }
      n = g_snprintf (line, sizeof line, "%" G_GINT64_FORMAT " %" G_GUINT64_FORMAT "\n", id,
                      counter);
      /* One write of less than PIPE_BUF bytes: never torn by the kill. */
      if (write (fd, line, (size_t) n) != n)
        _exit (3);
    }
  _exit (0);
}

/* Reads what the child reported until it is gone; appends "ID COUNTER" pairs to @acks. */
static void
read_acks (int      fd,
           GString *buffer,
           GArray  *acks)
{
  char chunk[4096];
  ssize_t n;
  char *line, *nl;

  while ((n = read (fd, chunk, sizeof chunk)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >, 0);
      g_string_append_len (buffer, chunk, n);
    }
  line = buffer->str;
  while ((nl = strchr (line, '\n')) != NULL)
    {
      gint64 pair[2];

      *nl = '\0';
      if (line[0] == 'E')
        g_test_message ("the writer failed: %s", line + 2);
      g_assert_cmpint (line[0], !=, 'E');
      g_assert_cmpint (sscanf (line, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT, &pair[0],
                               &pair[1]), ==, 2);
      g_array_append_vals (acks, pair, 2);
      line = nl + 1;
    }
  g_assert_cmpstr (line, ==, ""); /* no torn line */
}

/* Waits until the child has reported its first decision (or died). */
static void
wait_first_ack (int      fd,
                GString *buffer)
{
  while (strchr (buffer->str, '\n') == NULL)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      char chunk[256];
      ssize_t n;

      g_assert_cmpint (poll (&pfd, 1, 30000), ==, 1);
      n = read (fd, chunk, sizeof chunk);
      if (n <= 0)
        return;
      g_string_append_len (buffer, chunk, n);
    }
}

/* Every acknowledged decision has its audit entry, and each finding's current decision is the
 * one its latest audit entry records: a decision and its entry were written together. */
static void
check_after_kill (ScStore *store,
                  GArray  *acks,
                  guint    from)
{
  g_autofree char *integrity = query_text (store->db, "PRAGMA integrity_check");
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpstr (integrity, ==, "ok");
  audit_length (store);

  g_assert_cmpint (sqlite3_prepare_v2 (store->db,
                                       "SELECT count(*) FROM audit WHERE action = 'decision'"
                                       " AND finding_id = ? AND json_extract (details, '$.reason')"
                                       " = ?", -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = from; i < acks->len; i += 2)
    {
      g_autofree char *reason = g_strdup_printf ("kill %" G_GINT64_FORMAT,
                                                 g_array_index (acks, gint64, i + 1));

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, g_array_index (acks, gint64, i));
      sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    }
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (store->db,
                                       "SELECT f.id, f.reason, (SELECT json_extract (a.details,"
                                       "   '$.reason') FROM audit a WHERE a.finding_id = f.id"
                                       "   AND a.action = 'decision' ORDER BY a.seq DESC LIMIT 1)"
                                       " FROM findings f", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==,
                     (const char *) sqlite3_column_text (stmt, 2));
  sqlite3_finalize (stmt);
}

static void
test_kill (Fixture       *fx,
           gconstpointer  data)
{
  const char *env = g_getenv ("SICHTUNG_KILL_ITERATIONS");
  guint iterations = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10)
                                 : DEFAULT_KILL_ITERATIONS;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) acks = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = sample_findings ();
  g_autoptr(GPtrArray) stored = NULL;
  ScStore *store;
  gint64 case_id, doc_id, start_time;
  guint n_early = 0;

  store = open_store (fx->path);
  doc_id = add_sample_document (store, &case_id);
  sc_store_set_findings (store, doc_id, findings, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  stored = sc_store_list_findings (store, doc_id, &error);
  for (guint i = 0; i < stored->len; i++)
    g_array_append_val (ids, ((ScStoreFinding *) g_ptr_array_index (stored, i))->id);
  /* The writer must open no connection inherited across fork(). */
  g_object_unref (store);

  start_time = g_get_monotonic_time ();
  for (guint it = 0; it < iterations; it++)
    {
      g_autoptr(GString) buffer = g_string_new (NULL);
      pid_t parent = getpid ();
      guint from = acks->len;
      int fds[2], status;
      pid_t pid;

      g_assert_cmpint (pipe (fds), ==, 0);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          close (fds[0]);
          kill_child (fx->path, ids, it, fds[1], parent);
        }
      close (fds[1]);

      /* One kill in four may land while the writer opens the store; the rest while it is
       * deciding. */
      if (g_test_rand_int_range (0, 4) == 0)
        {
          g_usleep ((gulong) g_test_rand_int_range (0, 4000));
          n_early++;
        }
      else
        {
          wait_first_ack (fds[0], buffer);
          g_usleep ((gulong) g_test_rand_int_range (0, 15000));
        }
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
      read_acks (fds[0], buffer, acks);
      close (fds[0]);

      store = open_store (fx->path);
      check_after_kill (store, acks, from);
      g_object_unref (store);
    }

  /* Nothing acknowledged in any round went missing later. */
  store = open_store (fx->path);
  check_after_kill (store, acks, 0);
  g_object_unref (store);
  g_test_message ("%u kills (%u while opening), %u acknowledged decisions, %.1f s", iterations,
                  n_early, acks->len / 2,
                  (double) (g_get_monotonic_time () - start_time) / G_USEC_PER_SEC);
}

/* ------------------------------------------------------------------------------------------ */

/* A file the fuzzer damaged so that it passes the integrity check, yet a document's id reads
 * back as NULL: the store reports the damage instead of handing out id 0. */
static void
test_null_id (Fixture       *fx,
              gconstpointer  data)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "fuzz", "crashes",
                                                   "fuzz-store-1", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ScStore) store = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autofree char *contents = NULL;
  gboolean damage_seen = FALSE;
  gsize length;

  g_file_get_contents (source, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (fx->path, contents, (gssize) length, &error);
  g_assert_no_error (error);
  store = sc_store_open (fx->path, &error);
  if (store == NULL)
    {
      g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
      return;
    }
  cases = sc_store_list_cases (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < cases->len; i++)
    {
      ScStoreCase *c = g_ptr_array_index (cases, i);
      g_autoptr(GPtrArray) documents = sc_store_list_documents (store, c->id, &error);

      if (documents == NULL)
        {
          g_assert_error (error, SC_ERROR, SC_ERROR_CORRUPT);
          g_clear_error (&error);
          damage_seen = TRUE;
          continue;
        }
      for (guint k = 0; k < documents->len; k++)
        g_assert_cmpint (((ScStoreDocument *) g_ptr_array_index (documents, k))->id, >, 0);
    }
  g_assert_true (damage_seen);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sichtung/store/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("open-create", test_open_create);
  ADD ("newer-version", test_newer_version);
  ADD ("not-a-database", test_not_a_database);
  ADD ("corrupt", test_corrupt);
  ADD ("cases-documents", test_cases_documents);
  ADD ("import-document", test_import_document);
  ADD ("findings-round-trip", test_findings_round_trip);
  ADD ("rerun-keeps-decisions", test_rerun_keeps_decisions);
  ADD ("decisions", test_decisions);
  ADD ("manual-findings", test_manual_findings);
  ADD ("audit-chain", test_audit_chain);
  ADD ("search", test_search);
  ADD ("backup-restore", test_backup_restore);
  ADD ("threads", test_threads);
  ADD ("crash-safety", test_kill);
  ADD ("null-id", test_null_id);

#undef ADD

  return g_test_run ();
}
