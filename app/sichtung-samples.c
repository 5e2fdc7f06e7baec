/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-samples.c: the bundled sample case (data/samples): recognising its files, finding
 * its PDFs and keeping its Vorgang in the case store.
 *
 * `tools/sichtung run` opens the sample documents from the source tree; the build typesets
 * them into PDFs in the build tree; an installed build finds both under its data directory,
 * and $SICHTUNG_SAMPLES_DIR points elsewhere (the tests). A file counts as a sample by where
 * it lies, not by its name, so a clerk's own "03-bescheid.txt" never lands in the sample case.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <stdlib.h>

#include "sichtung-samples.h"

/* The folder's real path, without links and "..", or NULL when it does not exist. */
static char *
canonical_dir (const char *path)
{
  char *real = realpath (path, NULL);
  char *copy;

  if (real == NULL)
    return NULL;
  copy = g_strdup (real);
  free (real);
  return copy;
}

/* The sample PDFs in the order of the case (data/samples/meson.build). */
static const char *const sample_documents[] = {
  "01-antrag.pdf",
  "02-anhoerung.pdf",
  "03-bescheid-entwurf.pdf",
  "03-bescheid.pdf",
  "04-widerspruch.pdf",
  "05-vermerk.pdf",
  "06-urteil.pdf",
};

/* $SICHTUNG_SAMPLES_DIR, or NULL when it is unset or empty. */
static const char *
samples_dir_from_environment (void)
{
  const char *dir = g_getenv ("SICHTUNG_SAMPLES_DIR");

  return dir != NULL && *dir != '\0' ? dir : NULL;
}

/* Whether every sample PDF is a regular file in @dir. */
static gboolean
holds_documents (const char *dir)
{
  for (guint i = 0; i < G_N_ELEMENTS (sample_documents); i++)
    {
      g_autofree char *path = g_build_filename (dir, sample_documents[i], NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return FALSE;
    }
  return TRUE;
}

gboolean
sichtung_samples_contains (GFile *file)
{
  const char *const folders[] = {
    SICHTUNG_SOURCE_SAMPLES_DIR,
    SICHTUNG_BUILD_SAMPLES_DIR,
    SICHTUNG_INSTALLED_SAMPLES_DIR,
    samples_dir_from_environment (),
  };
  g_autoptr(GFile) parent = NULL;
  g_autofree char *parent_path = NULL;
  g_autofree char *real_parent = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  parent = g_file_get_parent (file);
  parent_path = parent != NULL ? g_file_get_path (parent) : NULL;
  real_parent = parent_path != NULL ? canonical_dir (parent_path) : NULL;
  if (real_parent == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *real_folder = folders[i] != NULL ? canonical_dir (folders[i]) : NULL;

      if (real_folder != NULL && g_str_equal (real_folder, real_parent))
        return TRUE;
    }
  return FALSE;
}

GPtrArray *
sichtung_samples_get_documents (void)
{
  GPtrArray *documents = g_ptr_array_new_with_free_func (g_object_unref);
  const char *dir = samples_dir_from_environment ();

  /* Installed PDFs first, so an installed build never reads a build tree; the build tree for
   * uninstalled runs. The environment overrides both. */
  if (dir == NULL)
    dir = holds_documents (SICHTUNG_INSTALLED_SAMPLES_DIR) ? SICHTUNG_INSTALLED_SAMPLES_DIR
                                                           : SICHTUNG_BUILD_SAMPLES_DIR;
  if (!holds_documents (dir))
    return documents;

  for (guint i = 0; i < G_N_ELEMENTS (sample_documents); i++)
    {
      g_autofree char *path = g_build_filename (dir, sample_documents[i], NULL);

      g_ptr_array_add (documents, g_file_new_for_path (path));
    }
  return documents;
}

gint64
sichtung_samples_ensure_case (ScStore  *store,
                              GError  **error)
{
  g_autoptr(GPtrArray) cases = NULL;

  g_return_val_if_fail (SC_IS_STORE (store), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  cases = sc_store_list_cases (store, error);
  if (cases == NULL)
    return 0;

  /* Found by title and Aktenzeichen together: a case the clerk renamed is theirs now. */
  for (guint i = 0; i < cases->len; i++)
    {
      ScStoreCase *store_case = g_ptr_array_index (cases, i);

      if (g_str_equal (store_case->title, SICHTUNG_SAMPLE_CASE_TITLE)
          && g_str_equal (store_case->reference, SICHTUNG_SAMPLE_CASE_REFERENCE))
        return store_case->id;
    }

  return sc_store_create_case (store, SICHTUNG_SAMPLE_CASE_TITLE,
                               SICHTUNG_SAMPLE_CASE_REFERENCE, error);
}
