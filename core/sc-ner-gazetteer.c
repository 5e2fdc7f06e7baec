/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-ner-gazetteer.c: the gazetteer-match features of a tagging model (sc-ner-private.h), as
 * tools/train/gazfeat.py computes them in training. The lists travel in the model file:
 *
 *   sichtung.gazetteer.lists      string array: the names of the lists, at most 8
 *   sichtung.gazetteer.<name>     string array: the entries, each its basic-split words joined
 *                                 by single spaces, in strictly increasing byte order
 *   sichtung.gazetteer.max_words  the longest match, in words
 *
 * Per list, the longest entries are matched left to right over the words (the WordPiece basic
 * split: punctuation characters are words of their own); bit k of a word's feature id is set
 * when the word lies inside a match of list k, the bit above the lists' bits when a match of any
 * list starts at it. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-error.h"
#include "sc-ner-private.h"

#define KEY_LISTS     "sichtung.gazetteer.lists"
#define KEY_MAX_WORDS "sichtung.gazetteer.max_words"
#define MAX_LISTS     8
#define MAX_WORDS     32

typedef struct
{
  const char *const *entries; /* owned by the file */
  gsize              n;
} List;

struct _ScNerGazetteer
{
  const char *const *names; /* [n_lists], owned by the file */
  guint n_lists;
  guint64 max_words;
  List  lists[MAX_LISTS];
};

ScNerGazetteer *
_sc_ner_gazetteer_load (ScGguf  *gguf,
                        GError **error)
{
  g_autofree ScNerGazetteer *g = NULL;
  const char *const *names;
  gsize n_names;
  guint64 max_words;

  g_return_val_if_fail (gguf != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!sc_gguf_has_key (gguf, KEY_LISTS))
    return NULL;
  names = sc_gguf_get_string_array (gguf, KEY_LISTS, &n_names, NULL, error);
  if (names == NULL)
    return NULL;
  if (n_names == 0 || n_names > MAX_LISTS)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model has %zu gazetteers (1 to %u are possible)"), n_names, MAX_LISTS);
      return NULL;
    }
  if (!sc_gguf_get_uint (gguf, KEY_MAX_WORDS, &max_words, error))
    return NULL;
  if (max_words == 0 || max_words > MAX_WORDS)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("The model’s gazetteer entries have an implausible length limit"));
      return NULL;
    }

  g = g_new0 (ScNerGazetteer, 1);
  g->names = names;
  g->n_lists = (guint) n_names;
  g->max_words = (guint) max_words;
  for (guint k = 0; k < g->n_lists; k++)
    {
      g_autofree char *key = g_strconcat ("sichtung.gazetteer.", names[k], NULL);
      List *list = &g->lists[k];

      list->entries = sc_gguf_get_string_array (gguf, key, &list->n, NULL, error);
      if (list->entries == NULL)
        return NULL;
      /* the look-up below is a binary search: strictly increasing, no empty entry */
      for (gsize i = 0; i < list->n; i++)
        if (list->entries[i][0] == '\0' ||
            (i > 0 && strcmp (list->entries[i - 1], list->entries[i]) >= 0))
          {
            g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                         _("The model’s gazetteer “%s” is not sorted"), names[k]);
            return NULL;
          }
    }
  return g_steal_pointer (&g);
}

void
_sc_ner_gazetteer_free (ScNerGazetteer *g)
{
  g_free (g);
}

guint
_sc_ner_gazetteer_get_n_features (const ScNerGazetteer *g)
{
  g_return_val_if_fail (g != NULL, 0);

  return 1u << (g->n_lists + 1);
}

const char *
_sc_ner_gazetteer_get_list_name (const ScNerGazetteer *g,
                                 guint                 k)
{
  g_return_val_if_fail (g != NULL, NULL);
  g_return_val_if_fail (k < g->n_lists, NULL);

  return g->names[k];
}

guint
_sc_ner_gazetteer_get_n_lists (const ScNerGazetteer *g)
{
  g_return_val_if_fail (g != NULL, 0);

  return g->n_lists;
}

/* The first entry of @list not less than @key (list->n when none). */
static gsize
lower_bound (const List *list,
             const char *key)
{
  gsize lo = 0, hi = list->n;

  while (lo < hi)
    {
      const gsize mid = lo + (hi - lo) / 2;

      if (strcmp (list->entries[mid], key) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* The number of words of the longest entry of @list that @words [0, @n) begin with, 0 if none.
 * @key is scratch space. Entries that continue a key sort right after it (a space is the
 * smallest character an entry holds after a word), so the search stops as soon as no entry
 * continues the words so far. */
static guint
longest_match (const List         *list,
               const char *const  *words,
               gsize               n,
               GString            *key)
{
  guint best = 0;

  g_string_truncate (key, 0);
  for (gsize len = 1; len <= n; len++)
    {
      gsize i;

      if (len > 1)
        g_string_append_c (key, ' ');
      g_string_append (key, words[len - 1]);
      i = lower_bound (list, key->str);
      if (i < list->n && strcmp (list->entries[i], key->str) == 0)
        {
          best = (guint) len;
          i++;
        }
      if (i >= list->n || strncmp (list->entries[i], key->str, key->len) != 0 ||
          list->entries[i][key->len] != ' ')
        break;
    }
  return best;
}

void
_sc_ner_gazetteer_match (const ScNerGazetteer *g,
                         const char *const    *words,
                         const gsize          *owner,
                         gsize                 n_words,
                         gint32               *features)
{
  g_autoptr(GString) key = NULL;
  const gint32 start_bit = 1 << g->n_lists;

  g_return_if_fail (g != NULL);
  g_return_if_fail (words != NULL || n_words == 0);

  key = g_string_new (NULL);
  for (guint k = 0; k < g->n_lists; k++)
    {
      gsize i = 0;

      while (i < n_words)
        {
          const guint len = longest_match (&g->lists[k], words + i,
                                           MIN (n_words - i, g->max_words), key);

          if (len == 0)
            {
              i++;
              continue;
            }
          features[owner[i]] |= start_bit;
          for (gsize j = i; j < i + len; j++)
            features[owner[j]] |= 1 << k;
          i += len;
        }
    }
}

char *
_sc_ner_gazetteer_word (const char *text,
                        gsize       len)
{
  GString *out = g_string_sized_new (len);
  const char *p = text, *end = text + len;
  gboolean ascii = TRUE;
  char *nfc;

  /* the characters the basic split drops (controls, format characters such as soft hyphens) */
  while (p < end)
    {
      const gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);
      const GUnicodeType t = g_unichar_type (c);

      if (t != G_UNICODE_CONTROL && t != G_UNICODE_FORMAT)
        g_string_append_len (out, p, next - p);
      ascii = ascii && c < 0x80;
      p = next;
    }
  if (ascii)
    return g_string_free (out, FALSE);
  nfc = g_utf8_normalize (out->str, out->len, G_NORMALIZE_NFC);
  g_string_free (out, TRUE);
  return nfc != NULL ? nfc : g_strdup ("");
}
