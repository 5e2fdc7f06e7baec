/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-recognize-legal.c: legal norms ("§ 35 Satz 1 VwVfG", "Art. 6 Abs. 1 lit. e DSGVO"),
 * case numbers of courts and authorities ("8 AZR 418/15", "Az. 12-345/2024") and court
 * decisions ("BVerwG, Urteil vom 12. März 2019 – 1 C 2.17 –", "BGHZ 123, 45").
 *
 * Norms are reported only with the law they belong to: "§ 35" alone is no finding. The law
 * is looked up in the embedded list of federal laws and regulations (sc-gazetteer.h); an
 * abbreviation not in it lowers the confidence. A law cited by its name ("§ 823 Abs. 1 des
 * Bürgerlichen Gesetzbuchs") is resolved to its abbreviation, in any case ending. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-gazetteer.h"
#include "sc-recognizers.h"
#include "sc-recognizers-private.h"

#define MONTH_RE \
  "(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|" \
  "Dezember|(?:Jan|Feb|Mär|Apr|Jun|Jul|Aug|Sept|Sep|Okt|Nov|Dez)\\.)"

#define EU_ACT_RE \
  "(?:(?:Verordnung|VO|Richtlinie|RL|Durchführungsverordnung|Beschluss)\\s?\\((?:EU|EG|EWG)\\)" \
  "\\s?(?:Nr\\.\\s?)?\\d{1,4}/\\d{1,4}|Richtlinie\\s\\d{2,4}\\s?/\\s?\\d{1,4}\\s?/\\s?(?:EU|EG|EWG))"

#define LAW_RE \
  "(SGB\\s(?:[IVX]{1,4}|\\d{1,2})(?![\\p{L}\\p{N}])|" EU_ACT_RE "|" \
  "\\p{Lu}[\\p{L}-]{0,18}\\p{Lu}[\\p{L}-]{0,18}(?:\\s\\d{4}(?![\\p{N}]))?(?![\\p{L}\\p{N}]))"

#define CASE_COURT_RE \
  "(?:B\\s\\d{1,2}\\s[A-Z]{1,2}\\s\\d{1,4}/\\d{2}\\s[A-Z]{1,2}(?![\\p{L}])" \
  "|\\d{1,2}\\s(?!EUR|DM)[A-Z]{1,3}\\s\\d{1,4}\\.\\d{2}(?![\\p{N}]|[.,]\\d)" \
  "|(?:[IVX]{1,5}|\\d{1,3})\\s?(?!Abs|Nr|Art|Rn|Az|EUR|DM|S\\s|Satz)" \
  "[A-Z][A-Za-z]{0,4}(?:-[A-Za-z]+)?(?:\\s\\([A-Za-z]+\\))?\\s\\d{1,5}/\\d{2,4}" \
  "(?:\\s[A-Z](?![\\p{L}]))?(?![\\p{N}]|/\\d))"

#define COURT_RE \
  "(?:BVerfG|BVerwG|BGH|BAG|BSG|BFH|EuGH|EuG|EGMR|BPatG|" \
  "(?:OVG|VGH|VG|LSG|SG|LAG|ArbG|OLG|LG|AG|FG|KG)(?:\\s\\p{Lu}[\\p{L}.-]+)?)"

typedef void (*MatchFunc) (ScScan *scan, GMatchInfo *info);

static void
each_match (ScScan     *scan,
            GRegex    **slot,
            const char *pattern,
            MatchFunc   func)
{
  g_autoptr(GMatchInfo) info = NULL;
  GRegex *regex = _sc_regex_once (slot, pattern);

  g_regex_match_full (regex, scan->text, (gssize) scan->length, 0, 0, &info, NULL);
  for (; g_match_info_matches (info); g_match_info_next (info, NULL))
    func (scan, info);
}

/* ---- Legal norms ------------------------------------------------------------------------- */

/* "§ 35 Satz 1 des VwVfG" → "§ 35 S. 1 VwVfG": the customary abbreviations, single spaces. */
static char *
normalise_norm (const char *span)
{
  static const struct { const char *from, *to; } words[] = {
    { "Absatz", "Abs." }, { "Abs", "Abs." }, { "Satz", "S." }, { "Nummer", "Nr." },
    { "Buchstabe", "lit." }, { "Buchst.", "lit." }, { "Halbsatz", "Hs." }, { "HS", "Hs." },
    { "Artikel", "Art." }, { "Unterabs.", "UAbs." }, { "Alternative", "Alt." },
    { "ff", "ff." }, { "f", "f." },
  };
  g_autoptr(GString) spaced = g_string_new (NULL);
  g_auto(GStrv) tokens = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  /* "§3a" → "§ 3a" */
  for (const char *p = span; *p != '\0'; p++)
    {
      g_string_append_c (spaced, g_ascii_isspace (*p) ? ' ' : *p);
      if (g_str_has_prefix (p, "§") && !g_str_has_prefix (p + 2, "§") && p[2] != ' ')
        {
          g_string_append_c (spaced, *++p);
          g_string_append_c (spaced, ' ');
        }
    }
  tokens = g_strsplit (spaced->str, " ", -1);
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      const char *t = tokens[i];

      if (*t == '\0' || g_str_equal (t, "des") || g_str_equal (t, "der") ||
          g_str_equal (t, "dieses"))
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (words); k++)
        {
          if (g_str_equal (t, words[k].from))
            {
              t = words[k].to;
              break;
            }
        }
      /* "3 a" → "3a" after a paragraph number */
      if (strlen (t) == 1 && g_ascii_islower (t[0]) && kept->len >= 2 &&
          g_ascii_isdigit (((char *) g_ptr_array_index (kept, kept->len - 1))[0]) &&
          (g_str_has_prefix (g_ptr_array_index (kept, kept->len - 2), "§") ||
           g_str_equal (g_ptr_array_index (kept, kept->len - 2), "Art.")))
        {
          g_string_append (out, t);
          continue;
        }
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, t);
      g_ptr_array_add (kept, (gpointer) t);
    }
  return g_string_free (out, FALSE);
}

/* The longest run of up to 12 words from @pos that names a law ("Zehnten Buches
 * Sozialgesetzbuch"): its abbreviation, with the end of the name in @end_out; or NULL. */
static const char *
law_named_at (ScScan *scan,
              gsize   pos,
              gsize  *end_out)
{
  gsize ends[12];
  guint n = 0;
  gsize p = pos;

  if (pos >= scan->length || !g_unichar_isupper (g_utf8_get_char (scan->text + pos)))
    return NULL;
  while (n < G_N_ELEMENTS (ends))
    {
      gsize start = p;

      while (p < scan->length)
        {
          gunichar c = g_utf8_get_char (scan->text + p);

          if (!g_unichar_isalpha (c) && c != '-')
            break;
          p = (gsize) (g_utf8_next_char (scan->text + p) - scan->text);
        }
      if (p == start)
        break;
      ends[n++] = p;
      if (p + 1 >= scan->length || (scan->text[p] != ' ' && scan->text[p] != '\n'))
        break;
      p++;
    }
  while (n > 0)
    {
      g_autofree char *name = g_strndup (scan->text + pos, ends[n - 1] - pos);
      const char *abbreviation = sc_gazetteer_law_by_name (name);

      if (abbreviation != NULL)
        {
          *end_out = ends[n - 1];
          return abbreviation;
        }
      n--;
    }
  return NULL;
}

static void
on_norm (ScScan     *scan,
         GMatchInfo *info)
{
  g_autofree char *law = g_match_info_fetch (info, 1);
  g_autofree char *span = NULL;
  g_autofree char *value = NULL;
  const char *full;
  const char *named;
  int s, e, ls, le;
  gsize name_end = 0;
  gboolean eu;

  g_match_info_fetch_pos (info, 0, &s, &e);
  g_match_info_fetch_pos (info, 1, &ls, &le);
  /* a law cited by its name; the pattern stops before a name that is no abbreviation */
  named = law_named_at (scan, ls >= 0 ? (gsize) ls : (gsize) e, &name_end);
  if (named != NULL)
    {
      g_autofree char *head = g_strndup (scan->text + s, (gsize) (ls >= 0 ? ls : e) - (gsize) s);
      g_autofree char *norm = normalise_norm (head);
      g_autofree char *abbreviation = g_strdup (named);
      char *space = strrchr (abbreviation, ' ');

      /* "BBG 2009" tells the version apart in the list; a citation by name is cited "BBG" */
      if (space != NULL && strlen (space + 1) == 4 && strspn (space + 1, "0123456789") == 4)
        *space = '\0';
      value = g_strdup_printf ("%s %s", norm, abbreviation);
      _sc_scan_add (scan, SC_FINDING_LEGAL_NORM, abbreviation, (gsize) s, name_end, value, 0.95,
                    g_strdup_printf (_("Citation of a provision of the %s (%s), named in full"),
                                     sc_gazetteer_law_name (named), abbreviation));
      return;
    }
  if (ls < 0 || law == NULL || *law == '\0')
    return;
  full = sc_gazetteer_law_name (law);
  /* "BDSG 2018" is listed, "BGB 2019" is the BGB and a year */
  if (full == NULL && strchr (law, ' ') != NULL && g_ascii_isdigit (law[strlen (law) - 1]) &&
      !g_str_has_prefix (law, "SGB"))
    {
      char *space = strrchr (law, ' ');

      e = ls + (int) (space - law);
      *space = '\0';
      full = sc_gazetteer_law_name (law);
    }
  eu = strchr (law, '(') != NULL || g_str_has_prefix (law, "Richtlinie");
  span = g_strndup (scan->text + s, (gsize) (e - s));
  value = normalise_norm (span);
  if (full != NULL)
    _sc_scan_add (scan, SC_FINDING_LEGAL_NORM, law, (gsize) s, (gsize) e, value, 0.97,
                  g_strdup_printf (_("Citation of a provision of the %s (%s)"), full, law));
  else if (eu)
    _sc_scan_add (scan, SC_FINDING_LEGAL_NORM, law, (gsize) s, (gsize) e, value, 0.9,
                  g_strdup_printf (_("Citation of a provision of the European Union act %s"),
                                   law));
  else
    _sc_scan_add (scan, SC_FINDING_LEGAL_NORM, law, (gsize) s, (gsize) e, value, 0.6,
                  g_strdup_printf (_("Citation of a provision of a law abbreviated %s, which "
                                     "is not in the list of federal laws"), law));
}

static void
on_eu_act (ScScan     *scan,
           GMatchInfo *info)
{
  g_autofree char *act = g_match_info_fetch (info, 0);
  int s, e;

  g_match_info_fetch_pos (info, 0, &s, &e);
  _sc_scan_add (scan, SC_FINDING_LEGAL_NORM, "EU", (gsize) s, (gsize) e, act, 0.9,
                g_strdup (_("Citation of a regulation or directive of the European Union by "
                            "its number")));
}

static void
find_norms (ScScan *scan)
{
  static GRegex *norm, *eu_act;

  each_match (scan, &norm,
              "(?<![\\p{L}\\p{N}])(?:§§?|Art\\.|Artikel|Artt\\.)\\s?\\d{1,4}(?:\\s?[a-z](?![\\p{L}]))?"
              "(?:\\s?(?:,|und|bis|-|–)\\s?(?:§\\s?)?\\d{1,4}[a-z]?(?![\\p{L}]))*"
              "(?:\\s?ff?\\.)?"
              "(?:\\s(?:Abs\\.|Absatz|Abs|Satz|S\\.|Nr\\.|Nummer|Halbsatz|Hs\\.|HS|lit\\.|Buchst\\.|"
              "Buchstabe|Unterabs\\.|UAbs\\.|Alt\\.|Alternative|Var\\.)\\s?"
              "(?:\\d{1,4}[a-z]?|[a-z]\\)?|[IVX]{1,4})(?![\\p{L}\\p{N}])"
              "(?:\\s?(?:,|und|bis|oder|-)\\s?(?:\\d{1,4}|[a-z]\\)?)(?![\\p{L}\\p{N}]))*"
              "(?:\\s?ff?\\.)?)*"
              "\\s(?:(?:des|der|dieses)\\s)?(?:" LAW_RE "|(?=\\p{Lu}))",
              on_norm);
  each_match (scan, &eu_act, "(?<![\\p{L}\\p{N}])" EU_ACT_RE "(?![\\p{N}])", on_eu_act);
}

/* ---- Case numbers ------------------------------------------------------------------------ */

static void
on_court_case (ScScan     *scan,
               GMatchInfo *info)
{
  g_autofree char *raw = g_match_info_fetch (info, 0);
  int s, e;

  g_match_info_fetch_pos (info, 0, &s, &e);
  _sc_scan_add (scan, SC_FINDING_CASE_NUMBER, "Aktenzeichen", (gsize) s, (gsize) e, raw, 0.85,
                g_strdup (_("Court case number: chamber or senate, register code, serial "
                            "number and year")));
}

static void
on_file_reference (ScScan     *scan,
                   GMatchInfo *info)
{
  g_autofree char *raw = g_match_info_fetch (info, 1);
  g_autofree char *word = g_match_info_fetch (info, 0);
  int s, e;

  g_match_info_fetch_pos (info, 1, &s, &e);
  if (strpbrk (raw, "0123456789") == NULL)
    return;
  _sc_scan_add (scan, SC_FINDING_CASE_NUMBER, "Geschäftszeichen", (gsize) s, (gsize) e, raw,
                0.9, g_strdup (_("File reference after “Aktenzeichen”, “Az.”, “Ihr Zeichen” or "
                                 "“Geschäftszeichen”")));
}

static void
find_case_numbers (ScScan *scan)
{
  static GRegex *court, *file;

  each_match (scan, &court, "(?<![\\p{L}\\p{N}.,/§-])" CASE_COURT_RE, on_court_case);
  each_match (scan, &file,
              "(?<![\\p{L}])(?:Aktenzeichen|Az\\.|AZ|Az|Ihr Zeichen|Unser Zeichen|Mein Zeichen|"
              "Geschäftszeichen|Gz\\.|GZ|Ihr Az\\.|Unser Az\\.)\\s?:?\\s*(?:-\\s?)?"
              "([\\p{L}\\p{N}](?:[\\p{L}\\p{N}.\\-/]*[\\p{L}\\p{N}])?)",
              on_file_reference);
}

/* ---- Court decisions --------------------------------------------------------------------- */

static void
on_decision (ScScan     *scan,
             GMatchInfo *info)
{
  g_autofree char *court = g_match_info_fetch (info, 1);
  g_autofree char *raw = g_match_info_fetch (info, 0);
  int s, e;

  g_match_info_fetch_pos (info, 0, &s, &e);
  /* the closing dash of "– 1 C 2.17 –" belongs to the citation */
  _sc_scan_add (scan, SC_FINDING_COURT_DECISION, court, (gsize) s, (gsize) e, raw, 0.9,
                g_strdup_printf (_("Decision of the court %s, cited with its date"), court));
}

static void
on_reporter (ScScan     *scan,
             GMatchInfo *info)
{
  g_autofree char *reporter = g_match_info_fetch (info, 1);
  g_autofree char *raw = g_match_info_fetch (info, 0);
  int s, e;

  g_match_info_fetch_pos (info, 0, &s, &e);
  _sc_scan_add (scan, SC_FINDING_COURT_DECISION, reporter, (gsize) s, (gsize) e, raw, 0.85,
                g_strdup_printf (_("Decision cited by where it is published: %s, volume or "
                                   "year, and page"), reporter));
}

static void
find_decisions (ScScan *scan)
{
  static GRegex *decision, *reporter;

  each_match (scan, &decision,
              "(?<![\\p{L}])(" COURT_RE ")(?:,\\s?|\\s)"
              "(?:(?:Urteil|Urt\\.|Beschluss|Beschl\\.|Gerichtsbescheid|Entscheidung|"
              "Vorlagebeschluss)\\s)?(?:vom\\s|v\\.\\s)?"
              "\\d{1,2}\\.\\s?(?:\\d{1,2}\\.\\s?\\d{2,4}|" MONTH_RE "\\s?\\d{4}|"
              "(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|"
              "Dezember)\\s\\d{4})"
              "(?:\\s?[-–,]\\s?(?:Az\\.\\s?)?" CASE_COURT_RE "(?:\\s?[-–])?)?",
              on_decision);
  each_match (scan, &reporter,
              "(?<![\\p{L}])(BVerfGE|BVerwGE|BGHZ|BGHSt|BAGE|BSGE|BFHE|BVerfGK|NJW-RR|NJW|"
              "NVwZ-RR|NVwZ|NZA-RR|NZA|DVBl\\.?|DÖV|JZ|NZS|DStR|ZfBR|BauR|NZM|ZIP|MDR|VersR|"
              "FamRZ|NStZ|LKV|NuR|UPR|ZUR)\\s(\\d{1,4}),\\s(?:S\\.\\s)?(\\d{1,5})"
              "(?:\\s?\\(\\d{1,5}\\)|,\\s\\d{1,5}(?![\\p{N}]))?(?![\\p{N}])",
              on_reporter);
}

void
_sc_recognize_legal (ScScan *scan)
{
  find_norms (scan);
  find_case_numbers (scan);
  find_decisions (scan);
}
