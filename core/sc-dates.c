/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-dates.c: recognition and normalisation of German date expressions (see sc-dates.h).
 *
 * A handful of regular expressions propose candidates (day + month name + year, numeric
 * dates, ISO dates, month + year, years after a date word, the first day of a day range);
 * each candidate is validated as a calendar date, and overlapping candidates are resolved in
 * favour of the longest, then the earliest. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-dates.h"

/* A month name or abbreviation; never followed by a letter, so "Mai" does not match "Mainz". */
#define MONTH_RE \
  "(?:Januar|Jänner|Jaenner|Februar|Feber|März|Maerz|April|Mai|Juni|Juli|August|September|" \
  "Oktober|November|Dezember|(?:Jan|Jän|Feb|Mär|Mrz|Apr|Jun|Jul|Aug|Sept|Sep|Okt|Nov|Dez)\\.?)" \
  "(?![\\p{L}])"

/* Words kept in a year's span, as TIMEX3 annotators do ("im Jahr 2009" -> "Jahr 2009"). */
#define YEAR_WORD_RE "(?:Jahr(?:es|e|s)?|Anfang|Ende|Mitte)"

typedef enum
{
  KIND_DAY_MONTH_NAME,
  KIND_NUMERIC,
  KIND_ISO,
  KIND_MONTH_YEAR,
  KIND_YEAR,
  KIND_RANGE_START,
} Kind;

typedef struct
{
  gsize start, end;
  Kind  kind;
  guint day, month, year;   /* 0 when absent */
  gboolean invalid;         /* not in the calendar ("31.02.2024"): blocks shorter readings */
} Candidate;

static const char *const month_names[13] = {
  NULL, "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
  "Oktober", "November", "Dezember",
};

/* ---- Helpers ----------------------------------------------------------------------------- */

static guint
month_from_name (const char *name)
{
  static const struct { const char *prefix; guint month; } prefixes[] = {
    { "Jan", 1 }, { "Jän", 1 }, { "Jae", 1 }, { "Feb", 2 }, { "Mär", 3 }, { "Mae", 3 },
    { "Mrz", 3 }, { "Apr", 4 }, { "Mai", 5 }, { "Jun", 6 }, { "Jul", 7 }, { "Aug", 8 },
    { "Sep", 9 }, { "Okt", 10 }, { "Nov", 11 }, { "Dez", 12 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      if (g_str_has_prefix (name, prefixes[i].prefix))
        return prefixes[i].month;
    }
  return 0;
}

guint
sc_dates_expand_two_digit_year (guint two_digit,
                                guint current_year)
{
  g_return_val_if_fail (two_digit < 100, two_digit);

  if (two_digit <= current_year % 100 + 10)
    return 2000 + two_digit;
  return 1900 + two_digit;
}

static guint
current_year (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return (guint) g_date_time_get_year (now);
}

static gboolean
valid_dmy (guint day,
           guint month,
           guint year)
{
  if (month < 1 || month > 12 || day < 1)
    return FALSE;
  if (year == 0)
    return day <= (month == 2 ? 29 : g_date_get_days_in_month ((GDateMonth) month, 2001));
  return year <= 9999 && g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

char *
sc_date_format_long (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  return g_strdup_printf ("%u. %s %u", (guint) g_date_get_day (date),
                          month_names[g_date_get_month (date)], (guint) g_date_get_year (date));
}

static guint
fetch_uint (GMatchInfo *info,
            int         group)
{
  g_autofree char *s = g_match_info_fetch (info, group);

  return s != NULL && *s != '\0' ? (guint) strtoul (s, NULL, 10) : 0;
}

static gboolean
group_matched (GMatchInfo *info,
               int         group,
               gsize      *start,
               gsize      *end)
{
  int s = -1, e = -1;

  if (!g_match_info_fetch_pos (info, group, &s, &e) || s < 0)
    return FALSE;
  if (start != NULL)
    *start = (gsize) s;
  if (end != NULL)
    *end = (gsize) e;
  return TRUE;
}

/* ---- Patterns ---------------------------------------------------------------------------- */

enum
{
  RE_DAY_MONTH_NAME,
  RE_NUMERIC,
  RE_ISO,
  RE_MONTH_YEAR,
  RE_YEAR,
  RE_RANGE_START,
  N_RES
};

static GRegex *regexes[N_RES];

static gpointer
compile_regexes (gpointer data)
{
  static const char *const patterns[N_RES] = {
    /* 1 day, 2 month name, 3 year */
    [RE_DAY_MONTH_NAME] =
      "(?<![\\p{L}\\p{N}.,])(\\d{1,2})\\.\\s?(" MONTH_RE ")(?:\\s?(\\d{4})(?![\\p{N}]))?",
    /* 1 day, 2 month, 3 year (two or four digits) */
    [RE_NUMERIC] =
      "(?<![\\p{L}\\p{N}.,/-])(\\d{1,2})\\.\\s?(\\d{1,2})\\.\\s?(\\d{4}|\\d{2})"
      "(?![\\p{N}]|[.,/-]\\d)",
    [RE_ISO] = "(?<![\\p{L}\\p{N}./-])(\\d{4})-(\\d{2})-(\\d{2})(?![\\p{N}]|[-/]\\d)",
    /* 1 month name, 2 year */
    [RE_MONTH_YEAR] = "(?<![\\p{L}\\p{N}])(?:(?:Anfang|Ende|Mitte)\\s)?(" MONTH_RE ")\\s?(\\d{4})(?![\\p{N}]|[.,/-]\\d)",
    /* 1 year word (optional), 2 year */
    [RE_YEAR] = "(?<![\\p{L}\\p{N}])(?:(" YEAR_WORD_RE ")\\s)?((?:19|20)\\d\\d)"
                "(?![\\p{L}\\p{N}]|[./-]\\d|,\\d)",
    /* "1. bis 3. März 2025": 1 first day, 2 second day, 3 month name, 4 year */
    [RE_RANGE_START] =
      "(?<![\\p{L}\\p{N}.,])(\\d{1,2})\\.(?=\\s?(?:bis|und|–|-)\\s?(?:zum\\s)?(\\d{1,2})\\.\\s?("
      MONTH_RE ")\\s?(\\d{4})(?![\\p{N}]))",
  };

  for (guint i = 0; i < N_RES; i++)
    {
      g_autoptr(GError) error = NULL;

      regexes[i] = g_regex_new (patterns[i], G_REGEX_OPTIMIZE, 0, &error);
      if (regexes[i] == NULL)
        g_critical ("date pattern %u: %s", i, error->message);
    }
  return NULL;
}

static gboolean
ensure_regexes (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, compile_regexes, NULL);
  for (guint i = 0; i < N_RES; i++)
    {
      if (regexes[i] == NULL)
        return FALSE;
    }
  return TRUE;
}

/* The word that ends right before @pos (skipping spaces), into @buf. */
static void
previous_word (const char *text,
               gsize       pos,
               char       *buf,
               gsize       size)
{
  gsize end = pos, start;

  while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t'))
    end--;
  start = end;
  while (start > 0 && (g_ascii_isalpha (text[start - 1]) || (guchar) text[start - 1] >= 0x80 ||
                       text[start - 1] == '.' || text[start - 1] == '\xc2'))
    start--;
  if (end - start >= size)
    start = end - (size - 1);
  memcpy (buf, text + start, end - start);
  buf[end - start] = '\0';
}

/* Whether the bare year at @pos stands in a date context: after a preposition or word that
 * takes a point in time. */
static gboolean
year_has_date_context (const char *text,
                       gsize       pos)
{
  static const char *const words[] = {
    "seit", "Seit", "bis", "Bis", "ab", "Ab", "im", "Im", "vom", "zum", "um", "Ende", "Anfang",
    "Mitte", "Frühjahr", "Sommer", "Herbst", "Winter", "Frühling", "Laufe", "Beginn", "Stand",
    "Jahrgang", "Jahrgangs", "von", "Von", "nach", "vor", "zwischen", "und", "Oktober",
    "Sommersemester", "Wintersemester", "Januar", "Dezember", "ab dem",
  };
  char word[32];

  previous_word (text, pos, word, sizeof word);
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      if (g_str_equal (word, words[i]))
        return TRUE;
    }
  /* "Kalenderjahr 2014", "Geschäftsjahres 2015", "in den Jahren 2013" */
  {
    g_autofree char *lower = g_utf8_strdown (word, -1);

    return g_str_has_suffix (lower, "jahr") || g_str_has_suffix (lower, "jahre") ||
           g_str_has_suffix (lower, "jahres") || g_str_has_suffix (lower, "jahrs") ||
           g_str_has_suffix (lower, "jahren");
  }
}

/* Whether the bare year at @pos is a number of something else: a paragraph, a page, a case. */
static gboolean
year_is_other_number (const char *text,
                      gsize       pos)
{
  static const char *const words[] = {
    "§", "§§", "Art.", "Artikel", "Nr.", "Nrn.", "Abs.", "S.", "Satz", "Rn.", "Rdnr.", "Rz.",
    "Az.", "Seite", "Seiten", "Anlage", "Ziff.", "Ziffer", "Kap.", "Randnummer", "lit.",
    "Buchst.", "Tz.", "Tab.", "Fn.", "Postfach", "Drs.", "Drucks.", "EUR", "Euro", "€", "ca.",
    "insgesamt", "von", "Nummer", "BR-Drs.", "BT-Drs.",
  };
  char word[32];

  previous_word (text, pos, word, sizeof word);
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      if (g_str_equal (word, words[i]))
        return TRUE;
    }
  /* a postal code or part of a longer number: "55116 Mainz", "1 234" */
  if (pos > 0 && (text[pos - 1] == '/' || text[pos - 1] == '-'))
    return TRUE;
  return FALSE;
}

static void
collect (GRegex     *regex,
         Kind        kind,
         const char *text,
         gsize       length,
         guint       this_year,
         gboolean    bare_years,
         GArray     *candidates)
{
  g_autoptr(GMatchInfo) info = NULL;

  g_regex_match_full (regex, text, (gssize) length, 0, 0, &info, NULL);
  for (; g_match_info_matches (info); g_match_info_next (info, NULL))
    {
      Candidate c = { 0, };
      gsize s = 0, e = 0;
      g_autofree char *name = NULL;

      group_matched (info, 0, &c.start, &c.end);
      c.kind = kind;
      switch (kind)
        {
        case KIND_DAY_MONTH_NAME:
          c.day = fetch_uint (info, 1);
          name = g_match_info_fetch (info, 2);
          c.month = month_from_name (name);
          c.year = fetch_uint (info, 3);
          break;
        case KIND_NUMERIC:
          c.day = fetch_uint (info, 1);
          c.month = fetch_uint (info, 2);
          c.year = fetch_uint (info, 3);
          if (group_matched (info, 3, &s, &e) && e - s == 2)
            c.year = sc_dates_expand_two_digit_year (c.year, this_year);
          else if (c.year < 1000)
            continue;
          break;
        case KIND_ISO:
          c.year = fetch_uint (info, 1);
          c.month = fetch_uint (info, 2);
          c.day = fetch_uint (info, 3);
          break;
        case KIND_MONTH_YEAR:
          name = g_match_info_fetch (info, 1);
          c.month = month_from_name (name);
          c.year = fetch_uint (info, 2);
          break;
        case KIND_YEAR:
          c.year = fetch_uint (info, 2);
          if (!group_matched (info, 1, NULL, NULL))
            {
              group_matched (info, 2, &s, NULL);
              if (year_is_other_number (text, s))
                continue;
              if (!bare_years && !year_has_date_context (text, s))
                continue;
            }
          break;
        case KIND_RANGE_START:
          c.day = fetch_uint (info, 1);
          name = g_match_info_fetch (info, 3);
          c.month = month_from_name (name);
          c.year = fetch_uint (info, 4);
          if (c.day >= fetch_uint (info, 2))
            continue;
          break;
        default:
          g_assert_not_reached ();
        }
      if (c.day != 0 && !valid_dmy (c.day, c.month, c.year))
        c.invalid = TRUE;
      if (c.day == 0 && c.month != 0 && (c.month > 12 || c.year == 0))
        continue;
      g_array_append_val (candidates, c);
    }
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *ca = a, *cb = b;

  if (ca->start != cb->start)
    return ca->start < cb->start ? -1 : 1;
  if (ca->end != cb->end)
    return ca->end > cb->end ? -1 : 1;
  return (int) ca->kind - (int) cb->kind;
}

/* "vom 1. Dezember bis 31. Januar 2025": a day and month without year borrows the year of
 * the date it is joined to by "bis", "und" or a dash. */
static void
borrow_range_year (const char *text,
                   GArray     *kept)
{
  static GRegex *joiner = NULL;

  if (g_once_init_enter (&joiner))
    g_once_init_leave (&joiner, g_regex_new ("^\\s*(?:bis(?:\\s+(?:zum|einschließlich))?|und|"
                                             "–|-|—)\\s*$", G_REGEX_OPTIMIZE, 0, NULL));
  if (joiner == NULL)
    return;
  for (guint i = 0; i + 1 < kept->len; i++)
    {
      Candidate *c = &g_array_index (kept, Candidate, i);
      Candidate *next = &g_array_index (kept, Candidate, i + 1);
      g_autofree char *between = NULL;

      if (c->year != 0 || c->day == 0 || c->invalid || next->year == 0 ||
          next->start - c->end > 40)
        continue;
      between = g_strndup (text + c->end, next->start - c->end);
      if (!g_regex_match (joiner, between, 0, NULL))
        continue;
      c->year = c->month > next->month ? next->year - 1 : next->year;
      if (!valid_dmy (c->day, c->month, c->year))
        c->year = 0;
    }
}

static char *
explain (const Candidate *c,
         gboolean         year_from_reference)
{
  switch (c->kind)
    {
    case KIND_DAY_MONTH_NAME:
      if (c->year == 0)
        return g_strdup (_("Day and month name without a year"));
      if (year_from_reference)
        return g_strdup (_("Day and month name; the year is taken from the document's date"));
      return g_strdup (_("Date written with day, month name and year; it exists in the "
                         "calendar"));
    case KIND_NUMERIC:
      return g_strdup (_("Date written as day.month.year; it exists in the calendar"));
    case KIND_ISO:
      return g_strdup (_("Date in ISO 8601 form (year-month-day); it exists in the calendar"));
    case KIND_MONTH_YEAR:
      return g_strdup (_("Month name followed by a year"));
    case KIND_YEAR:
      return g_strdup (_("A year after a word that refers to a point in time"));
    case KIND_RANGE_START:
      return g_strdup (_("First day of a range of days; month and year come from the end of "
                         "the range"));
    default:
      break;
    }
  return NULL;
}

void
sc_dates_find_full (const char   *text,
                    gssize        length,
                    const GDate  *reference,
                    ScDatesFlags  flags,
                    GPtrArray    *out)
{
  g_autoptr(GArray) candidates = NULL;
  g_autoptr(GArray) kept = NULL;
  guint this_year, first_new;
  gsize len;

  g_return_if_fail (text != NULL);
  g_return_if_fail (out != NULL);
  g_return_if_fail (reference == NULL || g_date_valid (reference));

  len = length < 0 ? strlen (text) : (gsize) length;
  if (!ensure_regexes () || !g_utf8_validate (text, (gssize) len, NULL))
    return;

  this_year = current_year ();
  candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  collect (regexes[RE_DAY_MONTH_NAME], KIND_DAY_MONTH_NAME, text, len, this_year, FALSE,
           candidates);
  collect (regexes[RE_NUMERIC], KIND_NUMERIC, text, len, this_year, FALSE, candidates);
  collect (regexes[RE_ISO], KIND_ISO, text, len, this_year, FALSE, candidates);
  collect (regexes[RE_MONTH_YEAR], KIND_MONTH_YEAR, text, len, this_year, FALSE, candidates);
  collect (regexes[RE_YEAR], KIND_YEAR, text, len, this_year,
           (flags & SC_DATES_BARE_YEARS) != 0, candidates);
  collect (regexes[RE_RANGE_START], KIND_RANGE_START, text, len, this_year, FALSE, candidates);
  g_array_sort (candidates, compare_candidates);

  /* longest first at each start; drop everything overlapping what is kept */
  kept = g_array_new (FALSE, FALSE, sizeof (Candidate));
  for (guint i = 0; i < candidates->len; i++)
    {
      const Candidate *c = &g_array_index (candidates, Candidate, i);

      if (kept->len > 0 && c->start < g_array_index (kept, Candidate, kept->len - 1).end)
        continue;
      g_array_append_val (kept, *c);
    }
  borrow_range_year (text, kept);

  first_new = out->len;
  for (guint i = 0; i < kept->len; i++)
    {
      Candidate *c = &g_array_index (kept, Candidate, i);
      g_autofree char *span = g_strndup (text + c->start, c->end - c->start);
      g_autofree char *value = NULL;
      gboolean from_reference = FALSE;
      ScFinding *finding;

      if (c->invalid)
        continue;
      if (c->year == 0 && c->day != 0 && reference != NULL &&
          valid_dmy (c->day, c->month, g_date_get_year (reference)))
        {
          c->year = g_date_get_year (reference);
          from_reference = TRUE;
        }
      if (c->day != 0 && c->year != 0)
        value = g_strdup_printf ("%04u-%02u-%02u", c->year, c->month, c->day);
      else if (c->day != 0)
        value = g_strdup_printf ("XXXX-%02u-%02u", c->month, c->day);
      else if (c->month != 0)
        value = g_strdup_printf ("%04u-%02u", c->year, c->month);
      else
        value = g_strdup_printf ("%04u", c->year);

      finding = sc_finding_new (SC_FINDING_DATE, NULL, span, c->start, c->end);
      sc_finding_set_value (finding, value);
      sc_finding_take_explanation (finding, explain (c, from_reference));
      finding->confidence = c->kind == KIND_YEAR ? 0.7 :
                            c->kind == KIND_MONTH_YEAR || c->year == 0 ? 0.85 : 0.97;
      g_ptr_array_add (out, finding);
    }

  /* code points for the findings just added, in one pass */
  {
    gsize byte = 0, cp = 0;

    for (guint i = first_new; i < out->len; i++)
      {
        ScFinding *f = g_ptr_array_index (out, i);

        cp += (gsize) g_utf8_pointer_to_offset (text + byte, text + f->start);
        f->cp_start = cp;
        f->cp_end = cp + (gsize) g_utf8_pointer_to_offset (text + f->start, text + f->end);
        byte = f->start;
      }
  }
}

void
sc_dates_find (const char  *text,
               gssize       length,
               const GDate *reference,
               GPtrArray   *out)
{
  sc_dates_find_full (text, length, reference, SC_DATES_DEFAULT, out);
}
