/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-store.c: libFuzzer target for the case store (sc-store*.c) on a damaged database file.
 *
 * The input is written as the store's file (any journal or WAL of the previous input removed
 * first), opened, and everything a user can see is listed: cases, their documents with page
 * texts and content, findings, the audit log and its verification, a search. Every step may
 * fail (a damaged file is expected) but only with a GError. */
#define G_LOG_DOMAIN "sichtung-fuzz"

#include "config.h"

#include <stdlib.h>

#include <glib/gstdio.h>

#include "fuzz-common.h"
#include "sc-error.h"
#include "sc-store.h"

/* A huge damaged store would make one input take seconds; the lists are bounded instead. */
#define MAX_ITEMS 8

static char *db_path;
static char *backup_path;

static void
remove_files (void)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *db = g_strconcat (db_path, suffixes[i], NULL);
      g_autofree char *backup = g_strconcat (backup_path, suffixes[i], NULL);

      g_unlink (db);
      g_unlink (backup);
    }
}

static void
walk_document (ScStore         *store,
               ScStoreDocument *document)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GBytes) content = NULL;
  g_auto(GStrv) pages = NULL;

  pages = sc_store_get_page_texts (store, document->id, &error);
  g_clear_error (&error);
  content = sc_store_get_document_content (store, document->id, &error);
  g_clear_error (&error);
  findings = sc_store_list_findings (store, document->id, &error);
}

static void
walk_case (ScStore     *store,
           ScStoreCase *store_case)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GPtrArray) hits = NULL;

  documents = sc_store_list_documents (store, store_case->id, &error);
  for (guint i = 0; documents != NULL && i < documents->len && i < MAX_ITEMS; i++)
    walk_document (store, g_ptr_array_index (documents, i));
  g_clear_error (&error);
  audit = sc_store_list_audit (store, store_case->id, &error);
  g_clear_error (&error);
  hits = sc_store_search (store, store_case->id, "Antrag Müller", &error);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  sc_fuzz_init ();
  db_path = g_build_filename (sc_fuzz_tmp_dir (), "faelle.sqlite", NULL);
  backup_path = g_build_filename (sc_fuzz_tmp_dir (), "backup.sqlite", NULL);
  atexit (remove_files);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScStore) store = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  guint64 n_entries = 0;

  remove_files ();
  if (!sc_fuzz_write_file (db_path, data, size))
    abort ();

  store = sc_store_open (db_path, &error);
  if (store == NULL)
    {
      if (error == NULL)
        abort ();
      return 0;
    }

  cases = sc_store_list_cases (store, &error);
  for (guint i = 0; cases != NULL && i < cases->len && i < MAX_ITEMS; i++)
    walk_case (store, g_ptr_array_index (cases, i));
  g_clear_error (&error);

  if (!sc_store_verify_audit (store, &n_entries, &error))
    g_clear_error (&error);
  audit = sc_store_list_audit (store, 0, &error);
  g_clear_error (&error);

  /* A new case and a backup must work on any store that opened. Failing is allowed (the
   * schema may be damaged in ways the integrity check does not see), crashing is not. */
  if (sc_store_create_case (store, "Fuzz", NULL, &error) == 0)
    g_clear_error (&error);
  if (!sc_store_backup (store, backup_path, &error))
    g_clear_error (&error);
  return 0;
}
