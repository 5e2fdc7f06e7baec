/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-compare.c: compare mode (see sc-compare.h): paragraphs of two texts, their monotone
 * alignment, the word-level changes inside aligned pairs, and findings linked across both. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sc-compare.h"
#include "sc-error.h"

/* A line break before a line whose top lies this many usual line pitches below the top of the
 * line before starts a paragraph. */
#define GAP_PITCHES 1.15

/* Longest line, in characters and in words, that still counts as a heading. */
#define HEADING_MAX_CHARS 60
#define HEADING_MAX_WORDS 6

/* The largest paragraph alignment (paragraphs of A times paragraphs of B between two anchors)
 * and word diff (tokens times tokens, after the common start and end) worked out in full.
 * Beyond them the paragraphs count as removed and added, the tokens as changed as a whole:
 * a coarser but still exact answer in bounded time and memory. */
#define ALIGN_MAX_CELLS (16u * 1024 * 1024)
#define DIFF_MAX_CELLS  (4u * 1024 * 1024)

/* ------------------------------------------------------------------------------------------ */
/* Data                                                                                        */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  gsize start;     /* bytes into the side's text */
  gsize end;
  gsize cp_start;  /* code points into the same */
  gsize cp_end;
  guint page;
  guint exact;     /* id of the token as it stands */
  guint word;      /* id of the case-folded token when it has a letter or digit, else 0 */
} Token;

typedef struct
{
  gsize  start;       /* bytes, without the '\n' */
  gsize  end;
  gsize  cp_start;    /* code points into the side's text */
  gsize  page_cp;     /* code points into the page's text */
  guint  page;
  gboolean has_top;   /* whether the page layout places the line */
  double top;
} Line;

typedef struct
{
  char   *text;
  GArray *tokens;       /* Token */
  GArray *paragraphs;   /* ScCompareParagraph */
  GArray *first_token;  /* guint per paragraph, and one more: the end of the last */
  GArray *bag_start;    /* guint per paragraph, and one more: offsets into bags */
  GArray *bags;         /* guint: each paragraph's word ids, sorted */
  GArray *hashes;       /* guint per paragraph: of its word ids in order */
} Side;

struct _ScComparison
{
  gatomicrefcount ref_count;
  Side            sides[2];
  GArray         *rows;     /* ScCompareRow */
  GArray         *changes;  /* ScCompareChange */
  ScCompareStats  stats;
};

/* Token and word ids shared by both sides; 0 is never an id. */
typedef struct
{
  GHashTable *exact;
  GHashTable *words;
} Vocabulary;

G_DEFINE_BOXED_TYPE (ScComparison, sc_comparison, sc_comparison_ref, sc_comparison_unref)

static void
side_clear (Side *side)
{
  g_clear_pointer (&side->text, g_free);
  g_clear_pointer (&side->tokens, g_array_unref);
  g_clear_pointer (&side->paragraphs, g_array_unref);
  g_clear_pointer (&side->first_token, g_array_unref);
  g_clear_pointer (&side->bag_start, g_array_unref);
  g_clear_pointer (&side->bags, g_array_unref);
  g_clear_pointer (&side->hashes, g_array_unref);
}

ScComparison *
sc_comparison_ref (ScComparison *comparison)
{
  g_return_val_if_fail (comparison != NULL, NULL);

  g_atomic_ref_count_inc (&comparison->ref_count);
  return comparison;
}

void
sc_comparison_unref (ScComparison *comparison)
{
  g_return_if_fail (comparison != NULL);

  if (!g_atomic_ref_count_dec (&comparison->ref_count))
    return;
  side_clear (&comparison->sides[0]);
  side_clear (&comparison->sides[1]);
  g_clear_pointer (&comparison->rows, g_array_unref);
  g_clear_pointer (&comparison->changes, g_array_unref);
  g_free (comparison);
}

const char *
sc_compare_change_kind_to_string (ScCompareChangeKind kind)
{
  switch (kind)
    {
    case SC_COMPARE_ADDED:
      return "added";
    case SC_COMPARE_REMOVED:
      return "removed";
    case SC_COMPARE_CHANGED:
      return "changed";
    default:
      return "unknown";
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Lines and tokens                                                                            */
/* ------------------------------------------------------------------------------------------ */

static guint
intern (GHashTable *table,
        const char *text,
        gsize       length)
{
  g_autofree char *key = g_strndup (text, length);
  gpointer id;

  if (g_hash_table_lookup_extended (table, key, NULL, &id))
    return GPOINTER_TO_UINT (id);
  id = GUINT_TO_POINTER (g_hash_table_size (table) + 1);
  g_hash_table_insert (table, g_steal_pointer (&key), id);
  return GPOINTER_TO_UINT (id);
}

static gboolean
is_joiner (gunichar c)
{
  return c == '.' || c == ',' || c == '-' || c == '/' || c == '\'' || c == 0x2019;
}

/* Splits [line->start, line->end) of @text into tokens (see sc-compare.h). */
static void
tokenize_line (const char *text,
               const Line *line,
               Vocabulary *vocabulary,
               GArray     *tokens)
{
  const char *p = text + line->start;
  const char *end = text + line->end;
  gsize cp = line->cp_start;

  while (p < end)
    {
      gunichar c = g_utf8_get_char (p);
      Token token = { 0 };
      gboolean has_alnum = FALSE;

      if (g_unichar_isspace (c))
        {
          p = g_utf8_next_char (p);
          cp++;
          continue;
        }

      token.start = (gsize) (p - text);
      token.cp_start = cp;
      token.page = line->page;
      if (g_unichar_isalnum (c))
        {
          has_alnum = TRUE;
          while (p < end)
            {
              const char *next;

              c = g_utf8_get_char (p);
              if (g_unichar_isalnum (c))
                {
                  p = g_utf8_next_char (p);
                  cp++;
                  continue;
                }
              next = g_utf8_next_char (p);
              /* a joiner stays inside the token only between two letters or digits */
              if (is_joiner (c) && next < end && g_unichar_isalnum (g_utf8_get_char (next)))
                {
                  p = next;
                  cp++;
                  continue;
                }
              break;
            }
        }
      else
        {
          p = g_utf8_next_char (p);
          cp++;
        }
      token.end = (gsize) (p - text);
      token.cp_end = cp;
      token.exact = intern (vocabulary->exact, text + token.start, token.end - token.start);
      if (has_alnum)
        {
          g_autofree char *folded = g_utf8_casefold (text + token.start,
                                                     (gssize) (token.end - token.start));

          token.word = intern (vocabulary->words, folded, strlen (folded));
        }
      g_array_append_val (tokens, token);
    }
}

/* The lines of @text, pages separated by '\f'. */
static GArray *
split_lines (const char *text)
{
  GArray *lines = g_array_new (FALSE, TRUE, sizeof (Line));
  Line line = { 0 };
  gsize cp = 0, page_cp = 0;
  guint page = 0;

  for (const char *p = text;; p = g_utf8_next_char (p))
    {
      if (*p == '\n' || *p == '\f' || *p == '\0')
        {
          line.end = (gsize) (p - text);
          if (line.end > line.start || *p == '\n')
            g_array_append_val (lines, line);
          if (*p == '\0')
            break;
          cp++;
          page_cp++;
          if (*p == '\f')
            {
              page++;
              page_cp = 0;
            }
          memset (&line, 0, sizeof line);
          line.start = (gsize) (p - text) + 1;
          line.cp_start = cp;
          line.page_cp = page_cp;
          line.page = page;
          continue;
        }
      cp++;
      page_cp++;
    }
  return lines;
}

/* The top of each line on its page, where @layouts (one GArray of ScRect per page, indexed by
 * code point of the page text) places one of its characters. */
static void
place_lines (GArray    *lines,
             GPtrArray *layouts)
{
  for (guint i = 0; i < lines->len; i++)
    {
      Line *line = &g_array_index (lines, Line, i);
      GArray *boxes;
      gsize n = 0;

      if (line->page >= layouts->len)
        continue;
      boxes = g_ptr_array_index (layouts, line->page);
      n = line->end - line->start; /* an upper bound of the line's code points */
      for (gsize k = line->page_cp; k < line->page_cp + n && k < boxes->len; k++)
        {
          const ScRect *r = &g_array_index (boxes, ScRect, k);

          if (r->width > 0 && r->height > 0)
            {
              line->has_top = TRUE;
              line->top = r->y;
              break;
            }
        }
    }
}

/* The trimmed content of a line: first and last non-blank bytes, and its length in
 * characters. FALSE for a blank line. */
static gboolean
line_content (const char  *text,
              const Line  *line,
              const char **first,
              const char **last,
              glong       *n_chars)
{
  const char *p = text + line->start;
  const char *end = text + line->end;

  *first = NULL;
  *last = NULL;
  *n_chars = 0;
  for (; p < end; p = g_utf8_next_char (p))
    {
      if (g_unichar_isspace (g_utf8_get_char (p)))
        continue;
      if (*first == NULL)
        *first = p;
      *last = p;
    }
  if (*first == NULL)
    return FALSE;
  *n_chars = g_utf8_strlen (*first, g_utf8_next_char (*last) - *first);
  return TRUE;
}

/* "1. ", "12) ", "a) ", "- ", "– ", "• ", "* " at the start. */
static gboolean
starts_list_item (const char *first,
                  const char *end)
{
  const char *p = first;
  gunichar c = g_utf8_get_char (p);
  guint digits = 0;

  if (c == '-' || c == 0x2013 || c == 0x2022 || c == '*')
    {
      p = g_utf8_next_char (p);
      return p >= end || g_unichar_isspace (g_utf8_get_char (p));
    }
  while (p < end && g_ascii_isdigit (*p) && digits < 4)
    {
      p++;
      digits++;
    }
  if (digits == 0)
    {
      if (!g_ascii_islower (*p))
        return FALSE;
      p++;
      if (p >= end || *p != ')')
        return FALSE;
    }
  else if (digits > 3 || p >= end || (*p != '.' && *p != ')'))
    {
      return FALSE;
    }
  p++;
  return p >= end || *p == ' ' || *p == '\t';
}

static gboolean
ends_sentence (gunichar c)
{
  return c == '.' || c == ':' || c == ';' || c == '!' || c == '?';
}

/* Whether [first, last] (a trimmed line) looks like a heading: short, capitalised, without
 * closing punctuation, and followed by a blank line, the end of the page or a line that starts
 * with a capital or a digit (a wrapped sentence mostly goes on in lower case). */
static gboolean
looks_like_heading (const char *text,
                    GArray     *lines,
                    guint       i,
                    const char *first,
                    const char *last,
                    glong       n_chars)
{
  const Line *line = &g_array_index (lines, Line, i);
  const char *next_first, *next_last;
  glong next_chars;
  guint n_words = 1;

  if (n_chars > HEADING_MAX_CHARS || !g_unichar_isupper (g_utf8_get_char (first))
      || strchr (".,;:", *last) != NULL)
    return FALSE;
  for (const char *p = first; p < last; p++)
    n_words += (*p == ' ' || *p == '\t') && p[1] != ' ' && p[1] != '\t';
  if (n_words > HEADING_MAX_WORDS)
    return FALSE;
  if (i + 1 >= lines->len || g_array_index (lines, Line, i + 1).page != line->page
      || !line_content (text, &g_array_index (lines, Line, i + 1), &next_first, &next_last,
                        &next_chars))
    return TRUE;
  return g_unichar_isupper (g_utf8_get_char (next_first))
         || g_unichar_isdigit (g_utf8_get_char (next_first));
}


static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The median of the pitches between the tops of consecutive placed lines of @lines[from, to),
 * or 0 when the layout places fewer than two of them. */
static double
usual_pitch (GArray *lines,
             guint   from,
             guint   to)
{
  g_autoptr(GArray) pitches = g_array_new (FALSE, FALSE, sizeof (double));
  const Line *prev = NULL;

  for (guint i = from; i < to; i++)
    {
      const Line *line = &g_array_index (lines, Line, i);

      if (!line->has_top)
        continue;
      if (prev != NULL && line->top > prev->top)
        {
          double pitch = line->top - prev->top;

          g_array_append_val (pitches, pitch);
        }
      prev = line;
    }
  if (pitches->len == 0)
    return 0;
  g_array_sort (pitches, compare_doubles);
  return g_array_index (pitches, double, pitches->len / 2);
}

/* Marks the lines that start a paragraph (see sc-compare.h); blank lines start none. */
static void
mark_paragraph_starts (const char *text,
                       GArray     *lines,
                       gboolean   *starts)
{
  guint i = 0;

  while (i < lines->len)
    {
      guint page = g_array_index (lines, Line, i).page;
      guint page_end = i;
      gboolean pending = TRUE, prev_sentence = TRUE, prev_heading = FALSE;
      const Line *prev_placed = NULL;
      double pitch;

      while (page_end < lines->len && g_array_index (lines, Line, page_end).page == page)
        page_end++;
      pitch = usual_pitch (lines, i, page_end);

      for (; i < page_end; i++)
        {
          const Line *line = &g_array_index (lines, Line, i);
          const char *first, *last;
          glong n_chars;
          gboolean brk, list, heading = FALSE;

          starts[i] = FALSE;
          if (!line_content (text, line, &first, &last, &n_chars))
            {
              pending = TRUE;
              continue;
            }

          brk = pending || prev_heading;
          if (!brk && line->has_top && prev_placed != NULL && pitch > 0
              && (line->top - prev_placed->top > GAP_PITCHES * pitch
                  || line->top < prev_placed->top - pitch / 2))
            brk = TRUE;
          list = starts_list_item (first, text + line->end);
          if (!brk && list && prev_sentence)
            brk = TRUE;
          if (!brk && !list && prev_sentence
              && looks_like_heading (text, lines, i, first, last, n_chars))
            brk = heading = TRUE;

          starts[i] = brk;
          pending = FALSE;
          prev_heading = heading;
          prev_sentence = ends_sentence (g_utf8_get_char (last));
          if (line->has_top)
            prev_placed = line;
        }
    }
}

/* The word ids a paragraph is compared by: its words in order, or, for a paragraph of
 * punctuation only, its tokens (marked off from word ids by the top bit). */
static guint
paragraph_key (const Token *token,
               gboolean     has_words)
{
  if (has_words)
    return token->word;
  return token->exact | 0x80000000u;
}

static int
compare_uints (gconstpointer a,
               gconstpointer b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return (x > y) - (x < y);
}

/* Takes @text (pages separated by '\f'); @layouts (may be NULL) holds one GArray of ScRect per
 * page. */
static void
side_init (Side       *side,
           char       *text,
           GPtrArray  *layouts,
           Vocabulary *vocabulary)
{
  g_autoptr(GArray) lines = split_lines (text);
  g_autofree gboolean *starts = g_new0 (gboolean, lines->len + 1);
  gboolean begin = TRUE;
  guint n_paragraphs;

  side->text = text;
  side->tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  side->paragraphs = g_array_new (FALSE, TRUE, sizeof (ScCompareParagraph));
  side->first_token = g_array_new (FALSE, TRUE, sizeof (guint));
  side->bag_start = g_array_new (FALSE, TRUE, sizeof (guint));
  side->bags = g_array_new (FALSE, TRUE, sizeof (guint));
  side->hashes = g_array_new (FALSE, TRUE, sizeof (guint));

  if (layouts != NULL)
    place_lines (lines, layouts);
  mark_paragraph_starts (text, lines, starts);

  for (guint i = 0; i < lines->len; i++)
    {
      guint before = side->tokens->len;

      if (starts[i])
        begin = TRUE;
      tokenize_line (text, &g_array_index (lines, Line, i), vocabulary, side->tokens);
      if (side->tokens->len > before && begin)
        {
          g_array_append_val (side->first_token, before);
          begin = FALSE;
        }
    }
  n_paragraphs = side->first_token->len;
  g_array_append_val (side->first_token, side->tokens->len);

  for (guint p = 0; p < n_paragraphs; p++)
    {
      guint first = g_array_index (side->first_token, guint, p);
      guint end = g_array_index (side->first_token, guint, p + 1);
      const Token *head = &g_array_index (side->tokens, Token, first);
      const Token *tail = &g_array_index (side->tokens, Token, end - 1);
      ScCompareParagraph paragraph = { { 0 } };
      guint bag_start = side->bags->len;
      guint hash = 2166136261u;

      paragraph.range.page = head->page;
      paragraph.range.start = head->start;
      paragraph.range.end = tail->end;
      paragraph.range.cp_start = head->cp_start;
      paragraph.range.cp_end = tail->cp_end;
      paragraph.counterpart = -1;
      for (guint t = first; t < end; t++)
        paragraph.n_words += g_array_index (side->tokens, Token, t).word != 0;
      for (guint t = first; t < end; t++)
        {
          const Token *token = &g_array_index (side->tokens, Token, t);
          guint key = paragraph_key (token, paragraph.n_words > 0);

          if (paragraph.n_words > 0 && token->word == 0)
            continue;
          g_array_append_val (side->bags, key);
          hash = (hash ^ key) * 16777619u;
        }
      qsort (&g_array_index (side->bags, guint, bag_start), side->bags->len - bag_start,
             sizeof (guint), compare_uints);
      g_array_append_val (side->paragraphs, paragraph);
      g_array_append_val (side->bag_start, bag_start);
      g_array_append_val (side->hashes, hash);
    }
  g_array_append_val (side->bag_start, side->bags->len);
}

/* ------------------------------------------------------------------------------------------ */
/* Alignment                                                                                   */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  guint  a;
  guint  b;
  double similarity;
} Match;

static const guint *
paragraph_bag (const Side *side,
               guint       paragraph,
               guint      *n)
{
  guint start = g_array_index (side->bag_start, guint, paragraph);

  *n = g_array_index (side->bag_start, guint, paragraph + 1) - start;
  return &g_array_index (side->bags, guint, start);
}

/* The Dice coefficient of the word multisets of two paragraphs. */
static double
similarity (const Side *a,
            guint       i,
            const Side *b,
            guint       j)
{
  guint nx, ny, x = 0, y = 0, common = 0;
  const guint *bx = paragraph_bag (a, i, &nx);
  const guint *by = paragraph_bag (b, j, &ny);

  while (x < nx && y < ny)
    {
      if (bx[x] == by[y])
        {
          common++;
          x++;
          y++;
        }
      else if (bx[x] < by[y])
        {
          x++;
        }
      else
        {
          y++;
        }
    }
  return 2.0 * common / (nx + ny);
}

/* Whether the sizes of two paragraphs' bags leave room for SC_COMPARE_MIN_SIMILARITY. */
static gboolean
plausible (const Side *a,
           guint       i,
           const Side *b,
           guint       j)
{
  guint nx, ny;

  paragraph_bag (a, i, &nx);
  paragraph_bag (b, j, &ny);
  return 2.0 * MIN (nx, ny) / (nx + ny) >= SC_COMPARE_MIN_SIMILARITY;
}

/* Whether two paragraphs have the same words in the same order (case and blanks aside). */
static gboolean
same_words (const Side *a,
            guint       i,
            const Side *b,
            guint       j)
{
  guint ta = g_array_index (a->first_token, guint, i);
  guint ea = g_array_index (a->first_token, guint, i + 1);
  guint tb = g_array_index (b->first_token, guint, j);
  guint eb = g_array_index (b->first_token, guint, j + 1);
  gboolean words_a = g_array_index (a->paragraphs, ScCompareParagraph, i).n_words > 0;
  gboolean words_b = g_array_index (b->paragraphs, ScCompareParagraph, j).n_words > 0;

  if (g_array_index (a->hashes, guint, i) != g_array_index (b->hashes, guint, j)
      || words_a != words_b)
    return FALSE;
  for (;;)
    {
      while (words_a && ta < ea && g_array_index (a->tokens, Token, ta).word == 0)
        ta++;
      while (words_b && tb < eb && g_array_index (b->tokens, Token, tb).word == 0)
        tb++;
      if (ta == ea || tb == eb)
        return ta == ea && tb == eb;
      if (paragraph_key (&g_array_index (a->tokens, Token, ta), words_a)
          != paragraph_key (&g_array_index (b->tokens, Token, tb), words_b))
        return FALSE;
      ta++;
      tb++;
    }
}

typedef struct
{
  guint count_a;
  guint count_b;
  guint a;
  guint b;
} Occurrence;

/* Paragraphs with the same words that occur once in each text, as far as they keep their
 * order: the longest increasing run of them (patience sorting). */
static GArray *
find_anchors (const Side *a,
              const Side *b)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (Match));
  g_autofree guint *tails = NULL;
  g_autofree int *back = NULL;
  GArray *anchors = g_array_new (FALSE, FALSE, sizeof (Match));
  guint n_tails = 0;
  int last;

  for (guint s = 0; s < 2; s++)
    {
      const Side *side = s == 0 ? a : b;

      for (guint i = 0; i < side->paragraphs->len; i++)
        {
          gpointer key = GUINT_TO_POINTER (g_array_index (side->hashes, guint, i));
          Occurrence *o = g_hash_table_lookup (seen, key);

          if (o == NULL)
            {
              o = g_new0 (Occurrence, 1);
              g_hash_table_insert (seen, key, o);
            }
          if (s == 0)
            {
              o->count_a++;
              o->a = i;
            }
          else
            {
              o->count_b++;
              o->b = i;
            }
        }
    }
  /* in the order of A */
  for (guint i = 0; i < a->paragraphs->len; i++)
    {
      Occurrence *o = g_hash_table_lookup (seen,
                                           GUINT_TO_POINTER (g_array_index (a->hashes, guint, i)));

      if (o->count_a == 1 && o->count_b == 1 && same_words (a, o->a, b, o->b))
        {
          Match m = { o->a, o->b, 1.0 };

          g_array_append_val (candidates, m);
        }
    }

  /* tails[k]: the candidate ending the best increasing run of length k + 1 */
  tails = g_new (guint, candidates->len + 1);
  back = g_new (int, candidates->len + 1);
  for (guint c = 0; c < candidates->len; c++)
    {
      guint b_index = g_array_index (candidates, Match, c).b;
      guint lo = 0, hi = n_tails;

      while (lo < hi)
        {
          guint mid = (lo + hi) / 2;

          if (g_array_index (candidates, Match, tails[mid]).b < b_index)
            lo = mid + 1;
          else
            hi = mid;
        }
      back[c] = lo > 0 ? (int) tails[lo - 1] : -1;
      tails[lo] = c;
      if (lo == n_tails)
        n_tails++;
    }
  if (n_tails == 0)
    return anchors;
  g_array_set_size (anchors, n_tails);
  last = (int) tails[n_tails - 1];
  for (guint k = n_tails; k > 0; k--)
    {
      g_array_index (anchors, Match, k - 1) = g_array_index (candidates, Match, last);
      last = back[last];
    }
  return anchors;
}

enum
{
  STEP_SKIP_A,
  STEP_SKIP_B,
  STEP_MATCH,
};

/* Aligns paragraphs [a0, a1) of A with [b0, b1) of B: identical ones at either end first,
 * then the monotone matching of the largest summed similarity. Appends the matches to
 * @matches in order. */
static void
align_gap (const Side *a,
           const Side *b,
           guint       a0,
           guint       a1,
           guint       b0,
           guint       b1,
           GArray     *matches)
{
  g_autoptr(GArray) tail = g_array_new (FALSE, FALSE, sizeof (Match));
  g_autofree guint8 *steps = NULL;
  g_autofree double *prev = NULL;
  g_autofree double *cur = NULL;
  g_autoptr(GArray) found = NULL;
  guint n, m;

  while (a0 < a1 && b0 < b1 && same_words (a, a0, b, b0))
    {
      Match match = { a0++, b0++, 1.0 };

      g_array_append_val (matches, match);
    }
  while (a0 < a1 && b0 < b1 && same_words (a, a1 - 1, b, b1 - 1))
    {
      Match match = { --a1, --b1, 1.0 };

      g_array_prepend_val (tail, match);
    }

  n = a1 - a0;
  m = b1 - b0;
  if (n > 0 && m > 0 && (guint64) n * m <= ALIGN_MAX_CELLS)
    {
      int i, j;

      steps = g_malloc ((gsize) n * m);
      prev = g_new0 (double, m + 1);
      cur = g_new0 (double, m + 1);
      for (guint x = 0; x < n; x++)
        {
          double *swap;

          cur[0] = 0;
          for (guint y = 0; y < m; y++)
            {
              double best = prev[y + 1];
              guint8 step = STEP_SKIP_A;

              if (cur[y] > best)
                {
                  best = cur[y];
                  step = STEP_SKIP_B;
                }
              if (plausible (a, a0 + x, b, b0 + y))
                {
                  double s = similarity (a, a0 + x, b, b0 + y);

                  if (s >= SC_COMPARE_MIN_SIMILARITY && prev[y] + s > best)
                    {
                      best = prev[y] + s;
                      step = STEP_MATCH;
                    }
                }
              cur[y + 1] = best;
              steps[(gsize) x * m + y] = step;
            }
          swap = prev;
          prev = cur;
          cur = swap;
        }

      found = g_array_new (FALSE, FALSE, sizeof (Match));
      i = (int) n - 1;
      j = (int) m - 1;
      while (i >= 0 && j >= 0)
        {
          switch (steps[(gsize) i * m + (guint) j])
            {
            case STEP_MATCH:
              {
                Match match = { a0 + (guint) i, b0 + (guint) j,
                                similarity (a, a0 + (guint) i, b, b0 + (guint) j) };

                g_array_append_val (found, match);
                i--;
                j--;
              }
              break;
            case STEP_SKIP_A:
              i--;
              break;
            default:
              j--;
              break;
            }
        }
      for (guint k = found->len; k > 0; k--)
        g_array_append_val (matches, g_array_index (found, Match, k - 1));
    }
  g_array_append_vals (matches, tail->data, tail->len);
}

/* The matched paragraphs of A and B in order; FALSE when @cancellable was cancelled. */
static gboolean
align (const Side   *a,
       const Side   *b,
       GArray       *matches,
       GCancellable *cancellable)
{
  g_autoptr(GArray) anchors = find_anchors (a, b);
  guint a0 = 0, b0 = 0;

  for (guint k = 0; k <= anchors->len; k++)
    {
      guint a1 = k < anchors->len ? g_array_index (anchors, Match, k).a : a->paragraphs->len;
      guint b1 = k < anchors->len ? g_array_index (anchors, Match, k).b : b->paragraphs->len;

      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
      align_gap (a, b, a0, a1, b0, b1, matches);
      if (k < anchors->len)
        {
          g_array_append_val (matches, g_array_index (anchors, Match, k));
          a0 = a1 + 1;
          b0 = b1 + 1;
        }
    }
  return TRUE;
}

/* The rows of the side-by-side view from @matches: between two matches the paragraphs of A
 * that were removed, then those of B that were added. */
static void
build_rows (ScComparison *self,
            GArray       *matches)
{
  Side *a = &self->sides[SC_COMPARE_SIDE_A];
  Side *b = &self->sides[SC_COMPARE_SIDE_B];
  guint ia = 0, ib = 0;

  for (guint k = 0; k <= matches->len; k++)
    {
      guint ma = k < matches->len ? g_array_index (matches, Match, k).a : a->paragraphs->len;
      guint mb = k < matches->len ? g_array_index (matches, Match, k).b : b->paragraphs->len;

      for (; ia < ma; ia++)
        {
          ScCompareRow row = { (int) ia, -1, 0, -1 };

          g_array_index (a->paragraphs, ScCompareParagraph, ia).row = self->rows->len;
          g_array_append_val (self->rows, row);
        }
      for (; ib < mb; ib++)
        {
          ScCompareRow row = { -1, (int) ib, 0, -1 };

          g_array_index (b->paragraphs, ScCompareParagraph, ib).row = self->rows->len;
          g_array_append_val (self->rows, row);
        }
      if (k < matches->len)
        {
          ScCompareRow row = { (int) ma, (int) mb, g_array_index (matches, Match, k).similarity,
                               -1 };
          ScCompareParagraph *pa = &g_array_index (a->paragraphs, ScCompareParagraph, ma);
          ScCompareParagraph *pb = &g_array_index (b->paragraphs, ScCompareParagraph, mb);

          pa->row = pb->row = self->rows->len;
          pa->counterpart = (int) mb;
          pb->counterpart = (int) ma;
          g_array_append_val (self->rows, row);
          ia = ma + 1;
          ib = mb + 1;
        }
    }
}

/* Pairs removed paragraphs with added ones of (nearly) the same words, each at most once. */
static void
find_moves (ScComparison *self)
{
  Side *a = &self->sides[SC_COMPARE_SIDE_A];
  Side *b = &self->sides[SC_COMPARE_SIDE_B];
  g_autoptr(GArray) removed = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) added = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint r = 0; r < self->rows->len; r++)
    {
      const ScCompareRow *row = &g_array_index (self->rows, ScCompareRow, r);

      if (row->b < 0)
        g_array_append_val (removed, r);
      else if (row->a < 0)
        g_array_append_val (added, r);
    }
  if ((guint64) removed->len * added->len > ALIGN_MAX_CELLS)
    return;

  for (guint i = 0; i < removed->len; i++)
    {
      guint from_row = g_array_index (removed, guint, i);
      ScCompareRow *from = &g_array_index (self->rows, ScCompareRow, from_row);
      ScCompareRow *best = NULL;
      double best_similarity = SC_COMPARE_MOVED_SIMILARITY;

      for (guint j = 0; j < added->len; j++)
        {
          guint to_row = g_array_index (added, guint, j);
          ScCompareRow *to = &g_array_index (self->rows, ScCompareRow, to_row);
          double s;

          if (to->moved >= 0 || !plausible (a, (guint) from->a, b, (guint) to->b))
            continue;
          s = similarity (a, (guint) from->a, b, (guint) to->b);
          if (s >= best_similarity)
            {
              best = to;
              best_similarity = s;
            }
        }
      if (best != NULL)
        {
          from->moved = best->b;
          best->moved = from->a;
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Changes                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static ScCompareRange
tokens_range (const Side *side,
              guint       first,
              guint       end)
{
  const Token *head = &g_array_index (side->tokens, Token, first);
  const Token *tail = &g_array_index (side->tokens, Token, end - 1);
  ScCompareRange range = { head->page, head->start, tail->end, head->cp_start, tail->cp_end };

  return range;
}

/* The empty range at the end of token @token, or at the start of the text's first token when
 * @token is -1 (at 0 when the text has none). */
static ScCompareRange
place_after (const Side *side,
             int         token)
{
  ScCompareRange range = { 0 };
  const Token *t;

  if (token < 0)
    {
      if (side->tokens->len == 0)
        return range;
      t = &g_array_index (side->tokens, Token, 0);
      range.page = t->page;
      range.start = range.end = t->start;
      range.cp_start = range.cp_end = t->cp_start;
      return range;
    }
  t = &g_array_index (side->tokens, Token, token);
  range.page = t->page;
  range.start = range.end = t->end;
  range.cp_start = range.cp_end = t->cp_end;
  return range;
}

static guint
count_words (const Side *side,
             guint       first,
             guint       end)
{
  guint n = 0;

  for (guint t = first; t < end; t++)
    n += g_array_index (side->tokens, Token, t).word != 0;
  return n;
}

/* The empty range where a run of tokens starting at @first would go: right after token
 * @first - 1 when that lies at or after @para_first, else at the start of token @first. */
static ScCompareRange
empty_place (const Side *side,
             guint       para_first,
             guint       first)
{
  ScCompareRange range;

  if (first > para_first || first >= side->tokens->len)
    return place_after (side, (int) first - 1);
  range = tokens_range (side, first, first + 1);
  range.end = range.start;
  range.cp_end = range.cp_start;
  return range;
}

/* One change: tokens [a_first, a_end) of A replaced by [b_first, b_end) of B, either run
 * possibly empty (not both); an empty run gets its place from empty_place() with the first
 * token of its paragraph (@a_para_first, @b_para_first). */
static void
add_change (ScComparison *self,
            guint         row,
            guint         a_para_first,
            guint         a_first,
            guint         a_end,
            guint         b_para_first,
            guint         b_first,
            guint         b_end)
{
  const Side *a = &self->sides[SC_COMPARE_SIDE_A];
  const Side *b = &self->sides[SC_COMPARE_SIDE_B];
  ScCompareChange change = { 0 };

  g_assert (a_first < a_end || b_first < b_end);

  change.row = row;
  if (a_first < a_end && b_first < b_end)
    change.kind = SC_COMPARE_CHANGED;
  else if (a_first < a_end)
    change.kind = SC_COMPARE_REMOVED;
  else
    change.kind = SC_COMPARE_ADDED;

  change.a = a_first < a_end ? tokens_range (a, a_first, a_end)
                             : empty_place (a, a_para_first, a_first);
  change.b = b_first < b_end ? tokens_range (b, b_first, b_end)
                             : empty_place (b, b_para_first, b_first);
  change.n_words_a = count_words (a, a_first, a_end);
  change.n_words_b = count_words (b, b_first, b_end);
  g_array_append_val (self->changes, change);
}

static gboolean
same_token (const Side *a,
            guint       i,
            const Side *b,
            guint       j)
{
  return g_array_index (a->tokens, Token, i).exact == g_array_index (b->tokens, Token, j).exact;
}

/* A run of tokens only removed or only added that starts with a punctuation mark also found
 * right after it reads better one place on: "Gesetz. Ein Satz)." rather than "Gesetz. Ein
 * Satz)." with the first full stop taken as new. Slides [*first, *end) of @side and the empty
 * place @other_first on the other side along while that holds, up to @limit. */
static void
slide_run (const Side *side,
           guint      *first,
           guint      *end,
           guint       limit,
           guint      *other_first)
{
  while (*end < limit && g_array_index (side->tokens, Token, *first).word == 0
         && same_token (side, *first, side, *end))
    {
      (*first)++;
      (*end)++;
      (*other_first)++;
    }
}

static void
add_hunk (ScComparison *self,
          guint         row,
          guint         a_para,
          guint         a_first,
          guint         a_end,
          guint         a_limit,
          guint         b_para,
          guint         b_first,
          guint         b_end,
          guint         b_limit)
{
  if (a_first == a_end)
    {
      slide_run (&self->sides[SC_COMPARE_SIDE_B], &b_first, &b_end, b_limit, &a_first);
      a_end = a_first;
    }
  else if (b_first == b_end)
    {
      slide_run (&self->sides[SC_COMPARE_SIDE_A], &a_first, &a_end, a_limit, &b_first);
      b_end = b_first;
    }
  add_change (self, row, a_para, a_first, a_end, b_para, b_first, b_end);
}

/* The word-level changes between paragraph @pa of A and @pb of B: a longest common
 * subsequence of their tokens, its gaps the changes. */
static void
diff_pair (ScComparison *self,
           guint         row,
           guint         pa,
           guint         pb)
{
  const Side *a = &self->sides[SC_COMPARE_SIDE_A];
  const Side *b = &self->sides[SC_COMPARE_SIDE_B];
  guint a_para = g_array_index (a->first_token, guint, pa);
  guint as = a_para, ae = g_array_index (a->first_token, guint, pa + 1);
  guint b_para = g_array_index (b->first_token, guint, pb);
  guint bs = b_para, be = g_array_index (b->first_token, guint, pb + 1);
  guint a_limit = ae, b_limit = be;
  g_autofree guint32 *lcs = NULL;
  guint n, m, i = 0, j = 0;
  int open_a = -1, open_b = -1;

  while (as < ae && bs < be && same_token (a, as, b, bs))
    {
      as++;
      bs++;
    }
  while (as < ae && bs < be && same_token (a, ae - 1, b, be - 1))
    {
      ae--;
      be--;
    }
  if (as == ae && bs == be)
    return;
  n = ae - as;
  m = be - bs;
  if (n == 0 || m == 0 || (guint64) (n + 1) * (m + 1) > DIFF_MAX_CELLS)
    {
      add_hunk (self, row, a_para, as, ae, a_limit, b_para, bs, be, b_limit);
      return;
    }

  /* lcs[x * (m + 1) + y]: the longest common subsequence of A's tokens from x and B's from y */
  lcs = g_new0 (guint32, (gsize) (n + 1) * (m + 1));
  for (guint x = n; x-- > 0;)
    for (guint y = m; y-- > 0;)
      {
        guint32 *cell = &lcs[(gsize) x * (m + 1) + y];

        if (same_token (a, as + x, b, bs + y))
          *cell = lcs[(gsize) (x + 1) * (m + 1) + y + 1] + 1;
        else
          *cell = MAX (lcs[(gsize) (x + 1) * (m + 1) + y], lcs[(gsize) x * (m + 1) + y + 1]);
      }

  while (i < n || j < m)
    {
      if (i < n && j < m && same_token (a, as + i, b, bs + j))
        {
          if (open_a >= 0)
            add_hunk (self, row, a_para, as + (guint) open_a, as + i, a_limit, b_para,
                      bs + (guint) open_b, bs + j, b_limit);
          open_a = open_b = -1;
          i++;
          j++;
          continue;
        }
      if (open_a < 0)
        {
          open_a = (int) i;
          open_b = (int) j;
        }
      if (j >= m
          || (i < n && lcs[(gsize) (i + 1) * (m + 1) + j] >= lcs[(gsize) i * (m + 1) + j + 1]))
        i++;
      else
        j++;
    }
  if (open_a >= 0)
    add_hunk (self, row, a_para, as + (guint) open_a, as + n, a_limit, b_para,
              bs + (guint) open_b, bs + m, b_limit);
}

/* Every row's changes, in order; FALSE when @cancellable was cancelled. */
static gboolean
find_changes (ScComparison *self,
              GCancellable *cancellable)
{
  const Side *a = &self->sides[SC_COMPARE_SIDE_A];
  const Side *b = &self->sides[SC_COMPARE_SIDE_B];
  /* the last token of the last paragraph passed on each side, -1 before the first */
  int last_a = -1, last_b = -1;

  for (guint r = 0; r < self->rows->len; r++)
    {
      const ScCompareRow *row = &g_array_index (self->rows, ScCompareRow, r);
      guint a_first = 0, a_end = 0, b_first = 0, b_end = 0;

      if (r % 64 == 0 && g_cancellable_is_cancelled (cancellable))
        return FALSE;
      if (row->a >= 0)
        {
          a_first = g_array_index (a->first_token, guint, row->a);
          a_end = g_array_index (a->first_token, guint, row->a + 1);
        }
      if (row->b >= 0)
        {
          b_first = g_array_index (b->first_token, guint, row->b);
          b_end = g_array_index (b->first_token, guint, row->b + 1);
        }

      if (row->a >= 0 && row->b >= 0)
        diff_pair (self, r, (guint) row->a, (guint) row->b);
      else if (row->a >= 0)
        /* a removed paragraph leaves its place in B after the last paragraph passed there */
        add_change (self, r, a_first, a_first, a_end, 0, (guint) (last_b + 1),
                    (guint) (last_b + 1));
      else
        add_change (self, r, 0, (guint) (last_a + 1), (guint) (last_a + 1), b_first, b_first,
                    b_end);

      if (row->a >= 0)
        last_a = (int) a_end - 1;
      if (row->b >= 0)
        last_b = (int) b_end - 1;
    }
  return TRUE;
}

static void
count_stats (ScComparison *self)
{
  ScCompareStats *stats = &self->stats;

  memset (stats, 0, sizeof *stats);
  stats->paragraphs_a = self->sides[SC_COMPARE_SIDE_A].paragraphs->len;
  stats->paragraphs_b = self->sides[SC_COMPARE_SIDE_B].paragraphs->len;
  for (guint r = 0; r < self->rows->len; r++)
    {
      const ScCompareRow *row = &g_array_index (self->rows, ScCompareRow, r);

      if (row->a >= 0 && row->b >= 0)
        stats->paragraphs_matched++;
      else if (row->a >= 0)
        stats->paragraphs_removed++;
      else
        stats->paragraphs_added++;
      if (row->a >= 0 && row->b < 0 && row->moved >= 0)
        stats->paragraphs_moved++;
    }
  stats->paragraphs_identical = stats->paragraphs_matched;
  for (guint c = 0; c < self->changes->len; c++)
    {
      const ScCompareChange *change = &g_array_index (self->changes, ScCompareChange, c);
      const ScCompareRow *row = &g_array_index (self->rows, ScCompareRow, change->row);

      /* the first change of a matched row makes it not identical */
      if (row->a >= 0 && row->b >= 0
          && (c == 0 || g_array_index (self->changes, ScCompareChange, c - 1).row != change->row))
        stats->paragraphs_identical--;
      switch (change->kind)
        {
        case SC_COMPARE_ADDED:
          stats->words_added += change->n_words_b;
          break;
        case SC_COMPARE_REMOVED:
          stats->words_removed += change->n_words_a;
          break;
        case SC_COMPARE_CHANGED:
        default:
          stats->words_changed += change->n_words_a;
          stats->words_changed_to += change->n_words_b;
          break;
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/* Takes @text_a and @text_b; the layouts may be NULL. NULL when @cancellable was cancelled. */
static ScComparison *
compare (char         *text_a,
         GPtrArray    *layouts_a,
         char         *text_b,
         GPtrArray    *layouts_b,
         GCancellable *cancellable)
{
  g_autoptr(ScComparison) self = g_new0 (ScComparison, 1);
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (Match));
  Vocabulary vocabulary = {
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
  };
  gboolean done;

  g_atomic_ref_count_init (&self->ref_count);
  self->rows = g_array_new (FALSE, TRUE, sizeof (ScCompareRow));
  self->changes = g_array_new (FALSE, TRUE, sizeof (ScCompareChange));
  side_init (&self->sides[SC_COMPARE_SIDE_A], text_a, layouts_a, &vocabulary);
  side_init (&self->sides[SC_COMPARE_SIDE_B], text_b, layouts_b, &vocabulary);
  g_hash_table_unref (vocabulary.exact);
  g_hash_table_unref (vocabulary.words);

  done = align (&self->sides[SC_COMPARE_SIDE_A], &self->sides[SC_COMPARE_SIDE_B], matches,
                cancellable);
  if (!done)
    return NULL;
  build_rows (self, matches);
  find_moves (self);
  if (!find_changes (self, cancellable))
    return NULL;
  count_stats (self);
  return g_steal_pointer (&self);
}

ScComparison *
sc_compare_texts (const char *text_a,
                  const char *text_b)
{
  const char *a = text_a != NULL ? text_a : "";
  const char *b = text_b != NULL ? text_b : "";

  /* invalid UTF-8 is compared as what g_utf8_make_valid() makes of it */
  return compare (g_utf8_make_valid (a, -1), NULL, g_utf8_make_valid (b, -1), NULL, NULL);
}

/* The text of @document as sc_document_get_text() gives it, and its pages' layouts. */
static char *
read_document (ScDocument    *document,
               GPtrArray    **layouts,
               GCancellable  *cancellable)
{
  guint n_pages = sc_document_get_n_pages (document);
  g_autoptr(GString) text = g_string_new (NULL);

  *layouts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (guint i = 0; i < n_pages; i++)
    {
      g_autofree char *page_text = NULL;

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_clear_pointer (layouts, g_ptr_array_unref);
          return NULL;
        }
      g_ptr_array_add (*layouts, sc_document_get_page_layout (document, i, &page_text));
      g_string_append (text, page_text);
      g_string_append_c (text, '\f');
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

ScComparison *
sc_compare_documents (ScDocument    *a,
                      ScDocument    *b,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GPtrArray) layouts_a = NULL;
  g_autoptr(GPtrArray) layouts_b = NULL;
  char *text_a, *text_b;
  ScComparison *comparison = NULL;

  g_return_val_if_fail (SC_IS_DOCUMENT (a), NULL);
  g_return_val_if_fail (SC_IS_DOCUMENT (b), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text_a = read_document (a, &layouts_a, cancellable);
  text_b = text_a != NULL ? read_document (b, &layouts_b, cancellable) : NULL;
  if (text_a != NULL && text_b != NULL)
    comparison = compare (text_a, layouts_a, text_b, layouts_b, cancellable);
  else
    {
      g_free (text_a);
      g_free (text_b);
    }
  if (comparison == NULL)
    g_cancellable_set_error_if_cancelled (cancellable, error);
  return comparison;
}

const char *
sc_comparison_get_text (ScComparison  *comparison,
                        ScCompareSide  side)
{
  g_return_val_if_fail (comparison != NULL, NULL);
  g_return_val_if_fail (side == SC_COMPARE_SIDE_A || side == SC_COMPARE_SIDE_B, NULL);

  return comparison->sides[side].text;
}

GArray *
sc_comparison_get_paragraphs (ScComparison  *comparison,
                              ScCompareSide  side)
{
  g_return_val_if_fail (comparison != NULL, NULL);
  g_return_val_if_fail (side == SC_COMPARE_SIDE_A || side == SC_COMPARE_SIDE_B, NULL);

  return comparison->sides[side].paragraphs;
}

GArray *
sc_comparison_get_alignment (ScComparison *comparison)
{
  g_return_val_if_fail (comparison != NULL, NULL);

  return comparison->rows;
}

GArray *
sc_comparison_get_changes (ScComparison *comparison)
{
  g_return_val_if_fail (comparison != NULL, NULL);

  return comparison->changes;
}

void
sc_comparison_get_stats (ScComparison   *comparison,
                         ScCompareStats *stats)
{
  g_return_if_fail (comparison != NULL);
  g_return_if_fail (stats != NULL);

  *stats = comparison->stats;
}

int
sc_comparison_find_paragraph (ScComparison  *comparison,
                              ScCompareSide  side,
                              gsize          cp_offset)
{
  GArray *paragraphs;
  guint lo = 0, hi;

  g_return_val_if_fail (comparison != NULL, -1);
  g_return_val_if_fail (side == SC_COMPARE_SIDE_A || side == SC_COMPARE_SIDE_B, -1);

  paragraphs = comparison->sides[side].paragraphs;
  hi = paragraphs->len;
  /* the first paragraph that starts after @cp_offset */
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (paragraphs, ScCompareParagraph, mid).range.cp_start <= cp_offset)
        lo = mid + 1;
      else
        hi = mid;
    }
  return (int) lo - 1;
}

/* ------------------------------------------------------------------------------------------ */
/* Linked findings                                                                             */
/* ------------------------------------------------------------------------------------------ */

/* What a finding is matched by: its value, or its text case-folded with blanks collapsed. */
static char *
finding_key (const ScFinding *finding)
{
  const char *source = finding->value != NULL && *finding->value != '\0' ? finding->value
                                                                          : finding->text;
  g_autofree char *folded = g_utf8_casefold (source != NULL ? source : "", -1);
  GString *key = g_string_new (NULL);
  gboolean blank = FALSE;

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          blank = key->len > 0;
          continue;
        }
      if (blank)
        g_string_append_c (key, ' ');
      blank = FALSE;
      g_string_append_unichar (key, c);
    }
  return g_string_free (key, FALSE);
}

/* The last word of a person's key, or NULL when the key is that one word alone. */
static const char *
surname_of (const char *key)
{
  const char *space = strrchr (key, ' ');

  return space != NULL ? space + 1 : NULL;
}

static int
compare_links (gconstpointer a,
               gconstpointer b)
{
  const ScCompareLink *x = a;
  const ScCompareLink *y = b;

  if (x->a != y->a)
    return (x->a > y->a) - (x->a < y->a);
  return (x->b > y->b) - (x->b < y->b);
}

GArray *
sc_compare_link_findings (GPtrArray *findings_a,
                          GPtrArray *findings_b)
{
  GArray *links = g_array_new (FALSE, FALSE, sizeof (ScCompareLink));
  g_autoptr(GPtrArray) keys_b = NULL;
  g_autoptr(GHashTable) by_key = NULL;

  g_return_val_if_fail (findings_a != NULL, links);
  g_return_val_if_fail (findings_b != NULL, links);

  /* "category\x1fkey" → the indexes of B's findings with it, as a GArray of guint */
  by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                  (GDestroyNotify) g_array_unref);
  keys_b = g_ptr_array_new_full (findings_b->len, g_free);
  for (guint j = 0; j < findings_b->len; j++)
    {
      const ScPageFinding *pf = g_ptr_array_index (findings_b, j);
      char *key = finding_key (pf->finding);
      g_autofree char *full = g_strdup_printf ("%d\x1f%s", pf->finding->category, key);
      GArray *indexes = g_hash_table_lookup (by_key, full);

      g_ptr_array_add (keys_b, key);
      if (*key == '\0')
        continue;
      if (indexes == NULL)
        {
          indexes = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (by_key, g_steal_pointer (&full), indexes);
        }
      g_array_append_val (indexes, j);
    }

  for (guint i = 0; i < findings_a->len; i++)
    {
      const ScPageFinding *pf = g_ptr_array_index (findings_a, i);
      g_autofree char *key = finding_key (pf->finding);
      g_autofree char *full = g_strdup_printf ("%d\x1f%s", pf->finding->category, key);
      GArray *indexes = g_hash_table_lookup (by_key, full);

      if (*key == '\0')
        continue;
      for (guint k = 0; indexes != NULL && k < indexes->len; k++)
        {
          ScCompareLink link = { i, g_array_index (indexes, guint, k) };

          g_array_append_val (links, link);
        }

      /* a surname alone on one side, a full name ending in it on the other */
      if (pf->finding->category != SC_FINDING_PERSON)
        continue;
      for (guint j = 0; j < findings_b->len; j++)
        {
          const ScPageFinding *other = g_ptr_array_index (findings_b, j);
          const char *other_key = g_ptr_array_index (keys_b, j);
          const char *surname_a = surname_of (key);
          const char *surname_b = surname_of (other_key);

          if (other->finding->category != SC_FINDING_PERSON || *other_key == '\0'
              || (surname_a == NULL) == (surname_b == NULL))
            continue;
          if ((surname_a == NULL && g_str_equal (key, surname_b))
              || (surname_b == NULL && g_str_equal (other_key, surname_a)))
            {
              ScCompareLink link = { i, j };

              g_array_append_val (links, link);
            }
        }
    }
  g_array_sort (links, compare_links);
  return links;
}
