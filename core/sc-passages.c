/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-passages.c: documents cut into citable passages, BM25 retrieval over an in-memory FTS5
 * index (see sc-passages.h). */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "sc-error.h"
#include "sc-passages.h"
#include "sc-passages-private.h"

/* A passage collects whole sentences until it has PASSAGE_MIN_WORDS words and never takes one
 * that would bring it past PASSAGE_MAX_WORDS; a single sentence longer than that is cut every
 * PASSAGE_MAX_WORDS words. */
#define PASSAGE_MIN_WORDS 40
#define PASSAGE_MAX_WORDS 90

G_DEFINE_BOXED_TYPE (ScPassage, sc_passage, sc_passage_copy, sc_passage_free)

ScPassage *
sc_passage_copy (const ScPassage *passage)
{
  g_return_val_if_fail (passage != NULL, NULL);

  ScPassage *copy = g_new0 (ScPassage, 1);
  *copy = *passage;
  copy->text = g_strdup (passage->text);
  copy->boxes = g_array_new (FALSE, FALSE, sizeof (ScRect));
  if (passage->boxes != NULL && passage->boxes->len > 0)
    g_array_append_vals (copy->boxes, passage->boxes->data, passage->boxes->len);
  return copy;
}

void
sc_passage_free (ScPassage *passage)
{
  if (passage == NULL)
    return;
  g_free (passage->text);
  g_clear_pointer (&passage->boxes, g_array_unref);
  g_free (passage);
}

/* ------------------------------------------------------------------------------------------ */
/* Sentences                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/* Words that end in a period without ending the sentence. Compared without the period,
 * case-sensitively as they are written. */
static const char *const abbreviations[] = {
  "Abs", "Art", "Az", "Bd", "Bl", "bzgl", "bzw", "ca", "d", "Dr", "evtl", "f", "ff", "Frau",
  "geb", "gem", "ggf", "Hr", "h", "i", "inkl", "Kap", "lfd", "lit", "m", "Nr", "o", "S", "s",
  "Str", "str", "u", "usw", "v", "vgl", "z", "zit", "Ziff", "Prof", "Rn", "Rdnr", "a", "A",
  "Aufl", "Anl", "BGBl", "GVBl", "Hrsg", "jew", "mtl", "sog", "St", "Tel", "Verf",
};

gboolean
_sc_passages_is_abbreviation (const char *word,
                 gsize       len)
{
  for (gsize i = 0; i < G_N_ELEMENTS (abbreviations); i++)
    if (strlen (abbreviations[i]) == len && memcmp (abbreviations[i], word, len) == 0)
      return TRUE;
  return FALSE;
}

/* Whether the period (or ! ? :) at @p ends a sentence: white space follows, then something
 * that starts one, and the word before is no abbreviation or number ("14. März"). */
gboolean
_sc_passages_ends_sentence (const char *text,
               const char *p,
               const char *end)
{
  const char *next = p + 1;
  if (next < end && (*next == ')' || *next == '"' || *next == '\''))
    next++;
  if (next >= end)
    return TRUE;
  if (!g_ascii_isspace (*next))
    return FALSE;
  while (next < end && g_ascii_isspace (*next))
    next++;
  if (next >= end)
    return TRUE;

  gunichar c = g_utf8_get_char_validated (next, end - next);
  if (c == (gunichar) -1 || c == (gunichar) -2)
    return FALSE;
  if (!g_unichar_isupper (c) && c != 0x00a7 /* § */ && c != 0x201e /* „ */ && c != '"')
    return FALSE;
  if (*p != '.')
    return TRUE;

  const char *w = p;
  while (w > text && !g_ascii_isspace (w[-1]) && w[-1] != '(')
    w--;
  gsize len = (gsize) (p - w);
  if (len == 0)
    return TRUE;
  if (g_ascii_isdigit (p[-1]))
    return FALSE;
  if (memchr (w, '.', len) != NULL) /* "z.B", "i.V.m" */
    return FALSE;
  return !_sc_passages_is_abbreviation (w, len);
}

/* Whether the line break at @p ends a unit: the line before ends in sentence punctuation, is
 * short (a heading, an address line), or a blank line follows. */
static gboolean
ends_line_unit (const char *line_start,
                const char *p,
                const char *end,
                gsize       typical_line)
{
  const char *q = p;
  while (q > line_start && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\r'))
    q--;
  if (q == line_start)
    return TRUE;
  if (p + 1 < end && p[1] == '\n')
    return TRUE;
  if (q[-1] == ':' || q[-1] == ';')
    return TRUE;
  return (gsize) g_utf8_strlen (line_start, q - line_start) * 2 < typical_line;
}

typedef struct
{
  gsize    start;
  gsize    end;
  guint    n_words;
  gboolean paragraph_end; /* a blank line follows */
} Unit;

static guint
count_words (const char *s,
             gsize       len)
{
  guint n = 0;
  gboolean in_word = FALSE;
  for (gsize i = 0; i < len; i++)
    {
      gboolean space = g_ascii_isspace (s[i]);
      if (!space && !in_word)
        n++;
      in_word = !space;
    }
  return n;
}

/* The longest line of the page in characters stands for a full line. */
static gsize
typical_line_length (const char *text)
{
  gsize best = 0;
  const char *line = text;
  for (;;)
    {
      const char *nl = strchr (line, '\n');
      gsize len = (gsize) g_utf8_strlen (line, nl != NULL ? nl - line : -1);
      best = MAX (best, len);
      if (nl == NULL)
        break;
      line = nl + 1;
    }
  return best;
}

static void
add_unit (GArray     *units,
          const char *text,
          gsize       start,
          gsize       end)
{
  while (start < end && g_ascii_isspace (text[start]))
    start++;
  while (end > start && g_ascii_isspace (text[end - 1]))
    end--;
  if (end <= start)
    return;
  Unit unit = { start, end, count_words (text + start, end - start), FALSE };
  g_array_append_val (units, unit);
}

static GArray *
split_units (const char *text)
{
  GArray *units = g_array_new (FALSE, FALSE, sizeof (Unit));
  gsize len = strlen (text);
  const char *end = text + len;
  gsize typical = typical_line_length (text);
  gsize start = 0;
  const char *line_start = text;

  for (const char *p = text; p < end; p++)
    {
      if (*p == '\n')
        {
          if (ends_line_unit (line_start, p, end, typical))
            {
              guint before = units->len;
              add_unit (units, text, start, (gsize) (p - text));
              if (p + 1 < end && p[1] == '\n' && units->len > 0)
                g_array_index (units, Unit, units->len - 1).paragraph_end = TRUE;
              else if (p + 1 < end && p[1] == '\n' && units->len == before && before > 0)
                g_array_index (units, Unit, before - 1).paragraph_end = TRUE;
              start = (gsize) (p - text) + 1;
            }
          line_start = p + 1;
        }
      else if ((*p == '.' || *p == '!' || *p == '?') && _sc_passages_ends_sentence (text, p, end))
        {
          add_unit (units, text, start, (gsize) (p - text) + 1);
          start = (gsize) (p - text) + 1;
        }
    }
  add_unit (units, text, start, len);
  return units;
}

/* ------------------------------------------------------------------------------------------ */
/* Passages                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* The passage text: white space collapsed, a hyphen at a line end before a lower-case letter
 * joined ("Wider-\nspruch" → "Widerspruch"). */
static char *
clean_text (const char *s,
            gsize       len)
{
  GString *out = g_string_sized_new (len);
  gboolean space = FALSE;
  for (gsize i = 0; i < len; i++)
    {
      char c = s[i];
      if (c == '-' && i + 1 < len && s[i + 1] == '\n' && i + 2 < len &&
          g_unichar_islower (g_utf8_get_char_validated (s + i + 2, len - i - 2)) && i > 0 &&
          !g_ascii_isspace (s[i - 1]))
        {
          i++; /* drop the hyphen and the line break */
          continue;
        }
      if (g_ascii_isspace (c) || c == '\f')
        {
          space = TRUE;
          continue;
        }
      if (space && out->len > 0)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_c (out, c);
    }
  return g_string_free (out, FALSE);
}

/* One box per line: the union of the laid-out characters from code point @cp_start to
 * @cp_end, a new box where a character's vertical centre leaves the current box. */
static GArray *
line_boxes (GArray *layout,
            glong   cp_start,
            glong   cp_end)
{
  GArray *boxes = g_array_new (FALSE, FALSE, sizeof (ScRect));
  gboolean open = FALSE;
  ScRect cur = { 0 };

  for (glong i = cp_start; i < cp_end && i < (glong) layout->len; i++)
    {
      const ScRect *r = &g_array_index (layout, ScRect, i);
      if (r->width <= 0 || r->height <= 0)
        continue;
      double centre = r->y + r->height / 2;
      if (open && centre >= cur.y && centre <= cur.y + cur.height && r->x >= cur.x - 2)
        {
          double x1 = MAX (cur.x + cur.width, r->x + r->width);
          double y1 = MAX (cur.y + cur.height, r->y + r->height);
          cur.x = MIN (cur.x, r->x);
          cur.y = MIN (cur.y, r->y);
          cur.width = x1 - cur.x;
          cur.height = y1 - cur.y;
          continue;
        }
      if (open)
        g_array_append_val (boxes, cur);
      cur = *r;
      open = TRUE;
    }
  if (open)
    g_array_append_val (boxes, cur);
  return boxes;
}

static void
emit_passage (GPtrArray  *out,
              guint       document_index,
              guint       page,
              const char *text,
              GArray     *layout,
              gsize       start,
              gsize       end)
{
  ScPassage *passage = g_new0 (ScPassage, 1);
  passage->document = document_index;
  passage->page = page;
  passage->start = start;
  passage->end = end;
  passage->text = clean_text (text + start, end - start);
  passage->boxes = line_boxes (layout, g_utf8_pointer_to_offset (text, text + start),
                               g_utf8_pointer_to_offset (text, text + end));
  g_ptr_array_add (out, passage);
}

/* Cuts a unit longer than PASSAGE_MAX_WORDS at word boundaries. */
static void
emit_long_unit (GPtrArray  *out,
                guint       document_index,
                guint       page,
                const char *text,
                GArray     *layout,
                const Unit *unit)
{
  gsize start = unit->start;
  guint words = 0;
  gboolean in_word = FALSE;
  for (gsize i = unit->start; i < unit->end; i++)
    {
      gboolean space = g_ascii_isspace (text[i]);
      if (!space && !in_word && ++words > PASSAGE_MAX_WORDS)
        {
          gsize cut = i;
          while (cut > start && g_ascii_isspace (text[cut - 1]))
            cut--;
          emit_passage (out, document_index, page, text, layout, start, cut);
          start = i;
          words = 1;
        }
      in_word = !space;
    }
  emit_passage (out, document_index, page, text, layout, start, unit->end);
}

GPtrArray *
sc_passages_split (ScDocument    *document,
                   guint          document_index,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_return_val_if_fail (SC_IS_DOCUMENT (document), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_passage_free);
  guint n_pages = sc_document_get_n_pages (document);

  for (guint page = 0; page < n_pages; page++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      g_autofree char *text = NULL;
      g_autoptr(GArray) layout = sc_document_get_page_layout (document, page, &text);
      if (text == NULL || !g_utf8_validate (text, -1, NULL))
        continue;

      g_autoptr(GArray) units = split_units (text);
      gsize start = 0;
      guint words = 0;
      gboolean open = FALSE;
      gboolean after_paragraph = FALSE; /* the last passage ended with a paragraph */
      gsize last_end = 0;

      for (guint i = 0; i < units->len; i++)
        {
          const Unit *unit = &g_array_index (units, Unit, i);
          if (unit->n_words > PASSAGE_MAX_WORDS)
            {
              if (open)
                emit_passage (out, document_index, page, text, layout, start, last_end);
              open = FALSE;
              emit_long_unit (out, document_index, page, text, layout, unit);
              continue;
            }
          if (open && words + unit->n_words > PASSAGE_MAX_WORDS)
            {
              emit_passage (out, document_index, page, text, layout, start, last_end);
              open = FALSE;
            }
          if (!open)
            {
              start = unit->start;
              words = 0;
              open = TRUE;
            }
          words += unit->n_words;
          last_end = unit->end;
          /* A paragraph ends a passage that has half its usual length; a shorter rest of a
           * paragraph joins the passage before it in the same paragraph where that fits. */
          if (words >= PASSAGE_MIN_WORDS ||
              (unit->paragraph_end && words >= PASSAGE_MIN_WORDS / 2))
            {
              emit_passage (out, document_index, page, text, layout, start, last_end);
              open = FALSE;
              after_paragraph = unit->paragraph_end;
            }
          else if (unit->paragraph_end && !after_paragraph && out->len > 0)
            {
              ScPassage *prev = g_ptr_array_index (out, out->len - 1);
              if (prev->document == document_index && prev->page == page &&
                  count_words (prev->text, strlen (prev->text)) + words <= PASSAGE_MAX_WORDS)
                {
                  gsize prev_start = prev->start;
                  g_ptr_array_remove_index (out, out->len - 1);
                  emit_passage (out, document_index, page, text, layout, prev_start, last_end);
                  open = FALSE;
                  after_paragraph = TRUE;
                }
            }
        }
      /* A short rest joins the passage before it on the same page when both still fit. */
      if (open)
        {
          ScPassage *prev = out->len > 0 ? g_ptr_array_index (out, out->len - 1) : NULL;
          if (prev != NULL && !after_paragraph && prev->document == document_index &&
              prev->page == page &&
              count_words (prev->text, strlen (prev->text)) + words <= PASSAGE_MAX_WORDS)
            {
              gsize prev_start = prev->start;
              g_ptr_array_remove_index (out, out->len - 1);
              emit_passage (out, document_index, page, text, layout, prev_start, last_end);
            }
          else
            emit_passage (out, document_index, page, text, layout, start, last_end);
        }
    }

  return g_steal_pointer (&out);
}

/* ------------------------------------------------------------------------------------------ */
/* Retrieval                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/* German function words that say nothing about which passage answers a question. */
static const char *const stop_words[] = {
  "aber", "alle", "allem", "allen", "aller", "alles", "als", "also", "am", "an", "auch", "auf",
  "aus", "bei", "beim", "bin", "bis", "bitte", "da", "damit", "dann", "das", "dass", "dem", "den",
  "denn", "der", "des", "die", "dies", "diese", "diesem", "diesen", "dieser", "dieses", "doch",
  "dort", "du", "durch", "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "etwas",
  "für", "gegen", "gibt", "hat", "hatte", "haben", "hier", "ich", "ihm", "ihn", "ihr", "ihre",
  "im", "in", "ins", "ist", "ja", "kann", "kein", "keine", "man", "mit", "muss", "nach", "nicht",
  "noch", "nun", "nur", "ob", "oder", "ohne", "sein", "seine", "sich", "sie", "sind", "so",
  "soll", "über", "um", "und", "uns", "unter", "vom", "von", "vor", "war", "warum", "was",
  "welche", "welcher", "welches", "wenn", "wer", "werden", "wie", "wieso", "wird", "wo", "wurde",
  "zu", "zum", "zur", "wann", "worum", "womit", "wozu", "geht", "steht", "stehen", "mir", "mich",
  "the", "of", "and", "what", "when", "who", "is",
};

static gboolean
is_stop_word (const char *word)
{
  for (gsize i = 0; i < G_N_ELEMENTS (stop_words); i++)
    if (g_str_equal (stop_words[i], word))
      return TRUE;
  return FALSE;
}

/* The FTS5 query for @query: every content word, reduced to a prefix so that inflected forms
 * meet ("Fristen" → "frist"*), OR-ed; NULL when no word is left. */
static char *
build_match (const char *query)
{
  g_autoptr(GString) match = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *p = query;

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);
      if (!g_unichar_isalnum (c))
        {
          p = g_utf8_next_char (p);
          continue;
        }
      const char *start = p;
      while (*p != '\0' && (g_unichar_isalnum (g_utf8_get_char (p)) || *p == '-'))
        p = g_utf8_next_char (p);

      g_autofree char *word = g_utf8_strdown (start, p - start);
      glong n_chars = g_utf8_strlen (word, -1);
      gboolean digits = g_ascii_isdigit (word[0]);
      if ((!digits && n_chars < 3) || is_stop_word (word))
        continue;
      /* Hyphenated compounds ("Wohngeld-Bescheid"): the whole as a phrase is too strict, the
       * parts are searched. */
      if (strchr (word, '-') != NULL)
        {
          g_autofree char *rest = g_strdelimit (g_strdup (word), "-", ' ');
          g_autofree char *sub = build_match (rest);
          if (sub != NULL && !g_hash_table_contains (seen, sub))
            {
              g_string_append_printf (match, "%s%s", match->len > 0 ? " OR " : "", sub);
              g_hash_table_add (seen, g_strdup (sub));
            }
          continue;
        }

      glong keep = n_chars;
      if (!digits)
        {
          if (n_chars >= 7)
            keep = n_chars - 2;
          else if (n_chars >= 5)
            keep = n_chars - 1;
        }
      g_autofree char *stem = g_strndup (word, g_utf8_offset_to_pointer (word, keep) - word);
      if (g_hash_table_contains (seen, stem))
        continue;
      g_string_append_printf (match, "%s\"%s\"%s", match->len > 0 ? " OR " : "", stem,
                              digits ? "" : "*");
      g_hash_table_add (seen, g_steal_pointer (&stem));

      /* A compound also meets its first part: "Widerspruchsfrist" → "widerspruc"*. */
      if (!digits && n_chars >= 10)
        {
          glong head = MAX (6, n_chars * 3 / 5);
          g_autofree char *first = g_strndup (word, g_utf8_offset_to_pointer (word, head) - word);
          if (!g_hash_table_contains (seen, first))
            {
              g_string_append_printf (match, " OR \"%s\"*", first);
              g_hash_table_add (seen, g_steal_pointer (&first));
            }
        }
    }

  return match->len > 0 ? g_string_free (g_steal_pointer (&match), FALSE) : NULL;
}

static gboolean
sql_check (sqlite3  *db,
           int       rc,
           GError  **error)
{
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW)
    return TRUE;
  g_set_error (error, SC_ERROR, SC_ERROR_FAILED, "passage index: %s", sqlite3_errmsg (db));
  return FALSE;
}

GPtrArray *
sc_passages_rank (GPtrArray   *passages,
                  const char  *query,
                  guint        max,
                  GError     **error)
{
  g_return_val_if_fail (passages != NULL, NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_passage_free);
  g_autofree char *match = build_match (query);
  if (match == NULL || passages->len == 0 || max == 0)
    return g_steal_pointer (&out);

  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  if (!sql_check (db, sqlite3_open_v2 (":memory:", &db,
                                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                  error))
    goto out;
  if (!sql_check (db, sqlite3_exec (db,
                                    "CREATE VIRTUAL TABLE p USING fts5 (text, tokenize = "
                                    "'unicode61 remove_diacritics 0');"
                                    "BEGIN;",
                                    NULL, NULL, NULL),
                  error))
    goto out;
  if (!sql_check (db, sqlite3_prepare_v2 (db, "INSERT INTO p (rowid, text) VALUES (?, ?)", -1,
                                          &stmt, NULL),
                  error))
    goto out;
  for (guint i = 0; i < passages->len; i++)
    {
      const ScPassage *passage = g_ptr_array_index (passages, i);
      sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) i + 1);
      sqlite3_bind_text (stmt, 2, passage->text, -1, SQLITE_STATIC);
      if (!sql_check (db, sqlite3_step (stmt), error))
        goto out;
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (!sql_check (db, sqlite3_exec (db, "COMMIT;", NULL, NULL, NULL), error))
    goto out;

  if (!sql_check (db, sqlite3_prepare_v2 (db,
                                          "SELECT rowid, bm25 (p) FROM p WHERE p MATCH ? "
                                          "ORDER BY bm25 (p), rowid LIMIT ?",
                                          -1, &stmt, NULL),
                  error))
    goto out;
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, max);
  int rc;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      sqlite3_int64 row = sqlite3_column_int64 (stmt, 0);
      if (row < 1 || row > passages->len)
        continue;
      ScPassage *copy = sc_passage_copy (g_ptr_array_index (passages, row - 1));
      /* FTS5's bm25() is negated so that ORDER BY puts the best first. */
      copy->score = -sqlite3_column_double (stmt, 1);
      g_ptr_array_add (out, copy);
    }
  if (!sql_check (db, rc, error))
    goto out;
  ok = TRUE;

out:
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ok ? g_steal_pointer (&out) : NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Dense retrieval                                                                             */
/* ------------------------------------------------------------------------------------------ */

/* Reciprocal rank fusion's constant (Cormack et al. 2009). */
#define RRF_K 60.0

GHashTable *
sc_passages_new_embedding_cache (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

typedef struct
{
  guint  index;
  double score;
} Ranked;

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const Ranked *x = a, *y = b;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

GPtrArray *
sc_passages_rank_dense (GPtrArray   *passages,
                        const char  *query,
                        ScEncoder   *encoder,
                        GHashTable  *cache,
                        guint        max,
                        GError     **error)
{
  g_return_val_if_fail (passages != NULL, NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (encoder != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  const guint n = passages->len;
  const guint dim = sc_encoder_get_hparams (encoder)->n_embd;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_passage_free);
  if (n == 0 || max == 0)
    return g_steal_pointer (&out);

  /* BM25 ranks of all passages that match at all. */
  g_autoptr(GPtrArray) lexical = sc_passages_rank (passages, query, n, error);
  if (lexical == NULL)
    return NULL;

  /* Vectors: the query's and every passage's not cached yet, in one batch. */
  g_autoptr(GHashTable) local = cache == NULL ? sc_passages_new_embedding_cache () : NULL;
  GHashTable *vectors = cache != NULL ? cache : local;
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_ptr_array_add (missing, (gpointer) query);
  for (guint i = 0; i < n; i++)
    {
      const ScPassage *p = g_ptr_array_index (passages, i);
      if (!g_hash_table_contains (vectors, p->text))
        g_ptr_array_add (missing, p->text);
    }
  g_autofree float *fresh = g_new (float, (gsize) missing->len * dim);
  if (!sc_encoder_embed (encoder, (const char *const *) missing->pdata, missing->len, fresh,
                         error))
    return NULL;
  for (guint i = 1; i < missing->len; i++)
    if (!g_hash_table_contains (vectors, missing->pdata[i]))
      g_hash_table_insert (vectors, g_strdup (missing->pdata[i]),
                           g_memdup2 (fresh + (gsize) i * dim, dim * sizeof (float)));
  const float *q = fresh;

  g_autofree Ranked *dense = g_new (Ranked, n);
  for (guint i = 0; i < n; i++)
    {
      const ScPassage *p = g_ptr_array_index (passages, i);
      const float *v = g_hash_table_lookup (vectors, p->text);
      double dot = 0;
      for (guint d = 0; d < dim; d++)
        dot += (double) q[d] * v[d];
      dense[i] = (Ranked) { i, dot };
    }
  qsort (dense, n, sizeof (Ranked), compare_ranked);

  g_autofree Ranked *fused = g_new (Ranked, n);
  for (guint i = 0; i < n; i++)
    fused[i] = (Ranked) { i, 0 };
  for (guint r = 0; r < n; r++)
    fused[dense[r].index].score += 1.0 / (RRF_K + r + 1);
  for (guint r = 0; r < lexical->len; r++)
    {
      const ScPassage *hit = g_ptr_array_index (lexical, r);
      for (guint i = 0; i < n; i++)
        {
          const ScPassage *p = g_ptr_array_index (passages, i);
          if (p->document == hit->document && p->page == hit->page && p->start == hit->start)
            {
              fused[i].score += 1.0 / (RRF_K + r + 1);
              break;
            }
        }
    }
  qsort (fused, n, sizeof (Ranked), compare_ranked);

  for (guint r = 0; r < MIN (max, n); r++)
    {
      ScPassage *copy = sc_passage_copy (g_ptr_array_index (passages, fused[r].index));
      copy->score = fused[r].score;
      g_ptr_array_add (out, copy);
    }
  return g_steal_pointer (&out);
}
