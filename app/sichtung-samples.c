/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-samples.c: the bundled sample case (data/samples): recognising its files and
 * keeping its Vorgang in the case store.
 *
 * `tools/sichtung run` opens the sample documents from the source tree; an installed build
 * finds them under its data directory. A file counts as a sample by where it lies, not by its
 * name, so a clerk's own "01-bescheid.txt" never lands in the sample case.
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

gboolean
sichtung_samples_contains (GFile *file)
{
  const char *const folders[] = { SICHTUNG_SOURCE_SAMPLES_DIR, SICHTUNG_INSTALLED_SAMPLES_DIR };
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
      g_autofree char *real_folder = canonical_dir (folders[i]);

      if (real_folder != NULL && g_str_equal (real_folder, real_parent))
        return TRUE;
    }
  return FALSE;
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
