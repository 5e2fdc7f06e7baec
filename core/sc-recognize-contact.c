/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-recognize-contact.c: ways to reach or locate a person: phone numbers, e-mail and web
 * addresses, postal addresses (street and house number, postal code and place), vehicle
 * registrations; and amounts of money.
 *
 * Streets are recognised by form (a suffix such as -straße, or "Am/An der … N") and by the
 * street directory (sc-gazetteer.h) where the form says nothing ("Zeil 12", "Unter den
 * Linden 5"); the directory leaves out names that are ordinary words ("Anlage 3").
 *
 * Vehicle registrations are recognised by form (1–3 letters of the district, 1–2 letters,
 * 1–4 digits, optional E or H; at most 8 characters) and reported only when the district
 * code is in Anlage 1 FZV; letter groups that are law abbreviations ("SGB X") are skipped.
 * Authority plates without letters ("Y-123 456", "THW-84123", "0-166-12") need a word like
 * "Kennzeichen" before them. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-gazetteer.h"
#include "sc-recognizers.h"
#include "sc-recognizers-private.h"

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

/* ---- Phone numbers ----------------------------------------------------------------------- */

static void
on_phone (ScScan     *scan,
          GMatchInfo *info)
{
  static const char *const not_phone[] = {
    "Az.", "Aktenzeichen", "Zeichen", "Gz.", "Nr.", "Rn.", "IBAN", "Konto", "BLZ", NULL,
  };
  static const char *const phone_words[] = {
    "Tel", "Telefon", "Fax", "Mobil", "Handy", "Ruf", "☎", NULL,
  };
  g_autofree char *raw = g_match_info_fetch (info, 0);
  GString *value = g_string_new (NULL);
  int s, e;
  guint n_digits = 0;
  gboolean international = raw[0] == '+' || g_str_has_prefix (raw, "00");
  gboolean near;

  g_match_info_fetch_pos (info, 0, &s, &e);
  /* the tail of an IBAN whose check digits failed ("DE89 3704 0044 0532 0130 01") */
  {
    gsize k = (gsize) s;

    while (k >= 5 && scan->text[k - 1] == ' ' && g_ascii_isalnum (scan->text[k - 2]) &&
           g_ascii_isalnum (scan->text[k - 5]) && (k == 5 || !g_ascii_isalnum (scan->text[k - 6])))
      {
        k -= 5;
        if (g_ascii_isupper (scan->text[k]) && g_ascii_isupper (scan->text[k + 1]) &&
            g_ascii_isdigit (scan->text[k + 2]) && g_ascii_isdigit (scan->text[k + 3]))
          {
            g_string_free (value, TRUE);
            return;
          }
      }
  }
  for (const char *p = raw; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          n_digits++;
          g_string_append_c (value, *p);
        }
    }
  near = _sc_scan_context_before (scan, (gsize) s, 16, phone_words);
  if (n_digits < 7 || n_digits > 15 ||
      (!near && _sc_scan_context_before (scan, (gsize) s, 16, not_phone)))
    {
      g_string_free (value, TRUE);
      return;
    }
  /* E.164: +49 and the number without its leading 0 */
  if (international)
    {
      const char *digits = value->str;
      g_autofree char *e164 = NULL;

      if (g_str_has_prefix (digits, "0049"))
        digits += 4;
      else if (g_str_has_prefix (digits, "49"))
        digits += 2;
      if (digits[0] == '0')   /* "+49 (0) 6131" */
        digits++;
      e164 = g_strconcat ("+49", digits, NULL);
      g_string_assign (value, e164);
    }
  else
    {
      g_autofree char *e164 = g_strconcat ("+49", value->str + 1, NULL);

      g_string_assign (value, e164);
    }
  _sc_scan_add (scan, SC_FINDING_PHONE, near ? "Telefon" : NULL, (gsize) s, (gsize) e,
                value->str, near ? 0.95 : international ? 0.85 : 0.7,
                international ? g_strdup (_("Phone number with the German country code +49"))
                              : g_strdup (_("German phone number: an area code starting with 0, "
                                            "then the subscriber number")));
  g_string_free (value, TRUE);
}

static void
find_phones (ScScan *scan)
{
  static GRegex *regex;

  each_match (scan, &regex,
              "(?<![\\p{L}\\p{N}+/.,:-])"
              "(?:(?:\\+|00)\\s?49\\s?(?:\\(0\\)\\s?)?[1-9]\\d{1,4}"
              "|\\(0\\s?[1-9](?:\\s?\\d){1,4}\\)"
              "|0[1-9]\\d{1,4})"
              "(?:[ \\t]?[-/][ \\t]?|[ \\t])?"
              "\\d{1,8}(?:[ \\t]\\d{2,4}){0,4}(?:[ \\t]?-[ \\t]?\\d{1,6})?"
              "(?![\\p{L}\\p{N}]|[.,/]\\d)",
              on_phone);
}

/* ---- E-mail and web addresses ------------------------------------------------------------ */

static void
on_email (ScScan     *scan,
          GMatchInfo *info)
{
  g_autofree char *raw = g_match_info_fetch (info, 0);
  g_autofree char *value = g_utf8_strdown (raw, -1);
  int s, e;

  g_match_info_fetch_pos (info, 0, &s, &e);
  _sc_scan_add (scan, SC_FINDING_EMAIL, NULL, (gsize) s, (gsize) e, value, 0.99,
                g_strdup (_("E-mail address: a name, “@” and a domain")));
}

static void
on_url (ScScan     *scan,
        GMatchInfo *info)
{
  g_autofree char *raw = g_match_info_fetch (info, 0);
  int s, e;
  gsize len;

  g_match_info_fetch_pos (info, 0, &s, &e);
  /* sentence punctuation after an address is not part of it */
  len = strlen (raw);
  while (len > 0 && strchr (".,;:!?)]'\"", raw[len - 1]) != NULL)
    raw[--len] = '\0';
  e = s + (int) len;
  if (len < 8)
    return;
  _sc_scan_add (scan, SC_FINDING_URL, NULL, (gsize) s, (gsize) e, raw, 0.97,
                g_strdup (_("Web address starting with http://, https:// or www.")));
}

static void
find_email_and_urls (ScScan *scan)
{
  static GRegex *email, *url;

  each_match (scan, &email,
              "(?<![\\p{L}\\p{N}._%+-])[A-Za-z0-9._%+-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*"
              "\\.[A-Za-z]{2,}(?![\\p{L}\\p{N}])",
              on_email);
  each_match (scan, &url, "(?<![\\p{L}\\p{N}@./])(?:https?://|www\\.)[^\\s<>\"„“”]+", on_url);
}

/* ---- Addresses --------------------------------------------------------------------------- */

static void
on_postal_code (ScScan     *scan,
                GMatchInfo *info)
{
  g_autofree char *code = g_match_info_fetch (info, 1);
  g_autofree char *place = g_match_info_fetch (info, 2);
  g_autofree char *value = NULL;
  guint n = (guint) atoi (code);
  int s, e;

  g_match_info_fetch_pos (info, 0, &s, &e);
  if (n < 1001 || n > 99998 || !sc_gazetteer_is_place (place))
    return;
  value = g_strdup_printf ("%s %s", code, place);
  _sc_scan_add (scan, SC_FINDING_ADDRESS, "PLZ Ort", (gsize) s, (gsize) e, value, 0.9,
                g_strdup_printf (_("Postal code followed by the place name “%s”, which is in "
                                   "the list of German places"), place));
}

/* Street, house number, postal code and place next to each other become one address. */
static void
join_addresses (ScScan *scan,
                guint   first)
{
  g_autoptr(GPtrArray) joined = g_ptr_array_new ();

  for (guint i = first; i < scan->out->len; i++)
    {
      ScFinding *street = g_ptr_array_index (scan->out, i);

      if (street->category != SC_FINDING_ADDRESS || g_strcmp0 (street->label, "Straße") != 0)
        continue;
      for (guint j = first; j < scan->out->len; j++)
        {
          ScFinding *place = g_ptr_array_index (scan->out, j);
          gsize gap_end = place->start;
          gboolean adjacent = place->start >= street->end && place->start - street->end <= 4;

          if (place->category != SC_FINDING_ADDRESS || g_strcmp0 (place->label, "PLZ Ort") != 0)
            continue;
          for (gsize k = street->end; adjacent && k < gap_end; k++)
            adjacent = strchr (" ,\n\t", scan->text[k]) != NULL;
          if (adjacent)
            {
              g_ptr_array_add (joined, street);
              g_ptr_array_add (joined, place);
              break;
            }
        }
    }
  for (guint i = 0; i < joined->len; i += 2)
    {
      ScFinding *street = g_ptr_array_index (joined, i);
      ScFinding *place = g_ptr_array_index (joined, i + 1);
      g_autofree char *value = g_strdup_printf ("%s, %s", street->text, place->value);

      _sc_scan_add (scan, SC_FINDING_ADDRESS, "Anschrift", street->start, place->end, value,
                    0.95, g_strdup (_("Postal address: street and house number followed by "
                                      "postal code and place")));
    }
  /* the parts now live in the joined address */
  for (guint i = 0; i < joined->len; i++)
    g_ptr_array_remove_fast (scan->out, g_ptr_array_index (joined, i));
}

/* Whether @word (@len bytes) is one of the NULL-terminated @words, ignoring ASCII case. */
static gboolean
word_is_one_of (const char        *word,
                gsize              len,
                const char *const *words)
{
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (strlen (words[i]) == len && g_ascii_strncasecmp (word, words[i], len) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Where the word ending at @end starts: letters and the . - ' of names ("St.-Martin-Str."). */
static gsize
word_start (const char *text,
            gsize       end)
{
  gsize p = end;

  while (p > 0)
    {
      const char *prev = g_utf8_find_prev_char (text, text + p);
      gunichar c = g_utf8_get_char (prev);

      if (!g_unichar_isalpha (c) && c != '.' && c != '-' && c != '\'' && c != 0x2019)
        break;
      p = (gsize) (prev - text);
    }
  return p;
}

/* The street finding of the suffix rules at [start, end), or NULL; @overlap says whether
 * another address finding overlaps that span. */
static ScFinding *
street_at (ScScan   *scan,
           guint     first,
           gsize     start,
           gsize     end,
           gboolean *overlap)
{
  *overlap = FALSE;
  for (guint i = first; i < scan->out->len; i++)
    {
      ScFinding *f = g_ptr_array_index (scan->out, i);

      if (f->category != SC_FINDING_ADDRESS || f->start >= end || f->end <= start)
        continue;
      if (f->start == start && f->end == end)
        return f;
      *overlap = TRUE;
    }
  return NULL;
}

/* Street names from the street directory before a house number, up to six words ("Platz der
 * Deutschen Einheit 1"), the longest name that is listed. A name the suffix rules found
 * already gains the directory as a second reason. */
static void
find_directory_streets (ScScan *scan,
                        guint   first)
{
  static const char *const articles[] = {
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "einem", "einen",
    NULL,
  };
  static const char *const units[] = {
    "Jahr", "Jahre", "Jahren", "Monat", "Monate", "Monaten", "Woche", "Wochen", "Tag", "Tage",
    "Tagen", "Stunde", "Stunden", "Minuten", "Prozent", "Euro", "EUR", "Cent", "Mio", "Mrd",
    "Stück", "Mal", "Personen", "Seiten", NULL,
  };
  static GRegex *number;
  g_autoptr(GMatchInfo) info = NULL;

  _sc_regex_once (&number,
                  "(?<=[\\p{L}.]) (\\d{1,3})(?:\\s?[a-zA-Z](?![\\p{L}]))?"
                  "(?:\\s?[-–/]\\s?\\d{1,3}[a-z]?)?(?![\\p{L}\\p{N}]|[.,]\\d|\\s?%)");
  g_regex_match_full (number, scan->text, (gssize) scan->length, 0, 0, &info, NULL);
  for (; g_match_info_matches (info); g_match_info_next (info, NULL))
    {
      gsize starts[6];
      guint n = 0;
      int s, e;
      gsize p, after;

      g_match_info_fetch_pos (info, 0, &s, &e);
      /* the words before the number, nearest first */
      for (p = (gsize) s; n < G_N_ELEMENTS (starts);)
        {
          gsize w = word_start (scan->text, p);

          if (w == p)
            break;
          starts[n++] = w;
          if (w < 2 || scan->text[w - 1] != ' ' || scan->text[w - 2] == ' ')
            break;
          p = w - 1;
        }
      /* "Zeil 12 Jahre" is no address */
      after = (gsize) e;
      if (after < scan->length && scan->text[after] == ' ')
        after++;
      p = after;
      while (p < scan->length && g_ascii_isalpha (scan->text[p]))
        p++;
      if (p > after && word_is_one_of (scan->text + after, p - after, units))
        continue;

      while (n > 0)
        {
          gsize start = starts[--n];
          g_autofree char *name = g_strndup (scan->text + start, (gsize) s - start);
          ScFinding *known;
          gboolean overlap;
          gsize before;

          if (!g_unichar_isupper (g_utf8_get_char (name)) || !sc_gazetteer_is_street (name))
            continue;
          /* an article before a single word makes it a noun: "die Eremitage 3" */
          before = start > 1 && scan->text[start - 1] == ' ' ? word_start (scan->text, start - 1)
                                                           : start;
          if (strchr (name, ' ') == NULL && before < start &&
              word_is_one_of (scan->text + before, start - 1 - before, articles))
            break;
          /* a place name and a number ("Hannover 96") is a street only where an address
           * would end: at a comma, a line end or the end of the sentence */
          if (strchr (name, ' ') == NULL && sc_gazetteer_is_place (name) &&
              (gsize) e < scan->length && strchr (",;.\n\r", scan->text[e]) == NULL)
            break;
          known = street_at (scan, first, start, (gsize) e, &overlap);
          if (known != NULL)
            {
              char *why = g_strdup_printf (_("Street and house number: “%s” has the form of a "
                                             "street name and is in the street directory "
                                             "(OpenStreetMap)"), name);

              known->confidence = MAX (known->confidence, 0.9);
              sc_finding_take_explanation (known, why);
            }
          else if (!overlap)
            _sc_scan_add (scan, SC_FINDING_ADDRESS, "Straße", start, (gsize) e, NULL,
                          strchr (name, ' ') != NULL ? 0.8 : 0.7,
                          g_strdup_printf (_("Street and house number: “%s” is a street name "
                                             "from the street directory (OpenStreetMap)"),
                                           name));
          break;
        }
    }
}

static void
find_addresses (ScScan *scan)
{
  static GRegex *street, *postal;
  guint first = scan->out->len;

  _sc_regex_once (&street,
              "(?<![\\p{L}\\p{N}])("
              /* one word ending in a street suffix: Lindenstraße, Kaiser-Wilhelm-Ring */
              "(?:(?:Am|An der|An den|Auf der|Auf dem|Im|In der|In den|Unter den|Zum|Zur|Alte|"
              "Alter|Neue|Neuer|Große|Kleine|Obere|Untere)\\s)?"
              "\\p{Lu}[\\p{L}-]*(?:straße|strasse|str\\.|Straße|Str\\.|weg|Weg|allee|Allee|platz|"
              "Platz|ring|Ring|gasse|Gasse|damm|Damm|ufer|Ufer|chaussee|Chaussee|pfad|Pfad|steig|"
              "markt|Markt|graben|Graben|wall|Wall|stieg|kamp|promenade|Promenade|anger|Anger|"
              "zeile|bogen|steg)"
              /* an adjective and a street noun: Mainzer Straße, Alte Gasse */
              "|\\p{Lu}\\p{L}+(?:er|e)\\s(?:Straße|Str\\.|Weg|Allee|Platz|Ring|Gasse|Damm|Ufer|"
              "Chaussee|Landstraße|Markt)"
              /* a preposition and a noun: Am Schlossberg, In der Au */
              "|(?:Am|An der|An den|Auf der|Auf dem|Im|In der|Zum|Zur)\\s(\\p{Lu}\\p{L}+)"
              ")\\s(\\d{1,3})(?:\\s?[a-zA-Z](?![\\p{L}]))?(?:\\s?[-–/]\\s?\\d{1,3}[a-z]?)?"
              "(?![\\p{L}\\p{N}]|[.,]\\d)");
  /* groups: 1 the street name, 2 the noun after a preposition, 3 the house number */
  {
    g_autoptr(GMatchInfo) info = NULL;

    g_regex_match_full (street, scan->text, (gssize) scan->length, 0, 0, &info, NULL);
    for (; g_match_info_matches (info); g_match_info_next (info, NULL))
      {
        g_autofree char *name = g_match_info_fetch (info, 1);
        g_autofree char *noun = g_match_info_fetch (info, 2);
        g_autofree char *number = g_match_info_fetch (info, 3);
        static const char *const stop[] = {
          "Jahr", "Jahre", "Tag", "Tage", "Ende", "Anfang", "Rande", "Rahmen", "Fall", "Falle",
          "Übrigen", "Einzelnen", "Ergebnis", "Hinblick", "Sinne", "Wege", "Namen", "Auftrag",
          "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag",
          "Abs", "Absatz", "Artikel", "Satz", "Monat", "Anschluss", "Verfahren", "Termin",
          "Vorfeld", "Jahres",
        };
        int s, e;
        gboolean stopped = FALSE;

        g_match_info_fetch_pos (info, 0, &s, &e);
        if (atoi (number) == 0)
          continue;
        for (guint i = 0; noun != NULL && *noun != '\0' && i < G_N_ELEMENTS (stop); i++)
          stopped = stopped || g_str_equal (noun, stop[i]);
        if (stopped)
          continue;
        _sc_scan_add (scan, SC_FINDING_ADDRESS, "Straße", (gsize) s, (gsize) e, NULL,
                      noun != NULL && *noun != '\0' ? 0.7 : 0.85,
                      g_strdup_printf (_("Street and house number: “%s” has the form of a "
                                         "street name"), name));
      }
  }
  find_directory_streets (scan, first);
  each_match (scan, &postal,
              "(?<![\\p{L}\\p{N}.,/-])(?:D-\\s?)?(\\d{5})\\s(\\p{Lu}[\\p{L}]+(?:-\\p{Lu}?[\\p{L}]+)*"
              ")(?![\\p{L}])",
              on_postal_code);
  join_addresses (scan, first);
}

/* ---- Vehicle registrations --------------------------------------------------------------- */

/* Codes of authorities whose plates carry digits only (§ 8 Abs. 2 FZV and Anlage 1 FZV). */
static const char *const authority_codes[] = {
  "0", "BD", "BP", "BW", "THW", "X", "Y", "BBL", "BWL", "BYL", "LSA", "LSN", "MVL", "NRW",
  "RPL", "SAL", "THL", NULL,
};

static const char *const plate_words[] = {
  "Kennzeichen", "Kfz", "Fahrzeug", "Dienstwagen", "Pkw", "Lkw", "Krad", "amtl.", NULL,
};

static void
on_plate (ScScan     *scan,
          GMatchInfo *info)
{
  g_autofree char *district = g_match_info_fetch (info, 1);
  g_autofree char *letters = g_match_info_fetch (info, 2);
  g_autofree char *digits = g_match_info_fetch (info, 3);
  g_autofree char *suffix = g_match_info_fetch (info, 4);
  g_autofree char *both = g_strdup_printf ("%s %s", district, letters);
  g_autofree char *value = NULL;
  int s, e, ds, de, ls, le;
  const char *name;
  gboolean near;

  g_match_info_fetch_pos (info, 0, &s, &e);
  g_match_info_fetch_pos (info, 1, &ds, &de);
  g_match_info_fetch_pos (info, 2, &ls, &le);
  name = sc_gazetteer_plate_district (district);
  if (name == NULL || g_strv_contains (authority_codes, district) ||
      (gsize) g_utf8_strlen (district, -1) + strlen (letters) + strlen (digits) +
      strlen (suffix) > 8 ||
      sc_gazetteer_law_name (district) != NULL || sc_gazetteer_law_name (both) != NULL)
    return;
  near = _sc_scan_context_before (scan, (gsize) s, 40, plate_words);
  /* "DIN A4": with a space after the district code and the letters run into the digits it
   * takes a word like "Kennzeichen" to read it as a plate */
  if (!near && scan->text[de] == ' ' && g_ascii_isdigit (scan->text[le]))
    return;
  /* outline numbering and units of ministries ("Referat R II 2"), the Official Journal
   * ("ABl. EG L 344") */
  if (!near && scan->text[de] != '-' &&
      (strspn (letters, "IVX") == strlen (letters) ||
       ((g_str_equal (district, "EG") || g_str_equal (district, "EU")) &&
        (g_str_equal (letters, "L") || g_str_equal (letters, "C")))))
    return;
  value = g_strdup_printf ("%s-%s %s%s", district, letters, digits, suffix);
  _sc_scan_add (scan, SC_FINDING_LICENSE_PLATE, "Kfz-Kennzeichen", (gsize) s, (gsize) e, value,
                near ? 0.95 : scan->text[de] == '-' ? 0.85 : 0.7,
                g_strdup_printf (_("Vehicle registration, district code %s: %s"),
                                 district, name));
}

static void
on_authority_plate (ScScan     *scan,
                    GMatchInfo *info)
{
  g_autofree char *code = g_match_info_fetch (info, 1);
  g_autofree char *number = g_match_info_fetch (info, 2);
  g_autofree char *value = NULL;
  const char *name = sc_gazetteer_plate_district (code);
  int s, e;

  g_match_info_fetch_pos (info, 0, &s, &e);
  if (name == NULL || !_sc_scan_context_before (scan, (gsize) s, 40, plate_words))
    return;
  value = g_strdup_printf ("%s-%s", code, number);
  _sc_scan_add (scan, SC_FINDING_LICENSE_PLATE, "Kfz-Kennzeichen", (gsize) s, (gsize) e, value,
                0.85, g_strdup_printf (_("Vehicle registration, district code %s: %s"),
                                       code, name));
}

static void
find_plates (ScScan *scan)
{
  static GRegex *regex, *authority;

  each_match (scan, &regex,
              "(?<![\\p{L}\\p{N}-])([A-ZÄÖÜ]{1,3})[- ]([A-Z]{1,2}) ?(\\d{1,4})([EH]?)"
              "(?![\\p{L}\\p{N}/]|[.,]\\d|\\s?[-–]\\s?\\d)",
              on_plate);
  each_match (scan, &authority,
              "(?<![\\p{L}\\p{N}-])(0|BD|BP|BW|THW|X|Y|BBL|BWL|BYL|LSA|LSN|MVL|NRW|RPL|SAL|THL)"
              "[- ](\\d{1,3}(?:[- ]\\d{1,4})?|\\d{4,6})(?![\\p{L}\\p{N}]|[.,/-]\\d)",
              on_authority_plate);
}

/* ---- Money ------------------------------------------------------------------------------- */

static void
on_money (ScScan     *scan,
          GMatchInfo *info)
{
  g_autofree char *raw = g_match_info_fetch (info, 0);
  g_autofree char *amount = g_match_info_fetch (info, 1);
  g_autofree char *amount2 = g_match_info_fetch (info, 2);
  g_autofree char *scale = g_match_info_fetch (info, 4);
  GString *value = g_string_new (NULL);
  const char *a = amount != NULL && *amount != '\0' ? amount : amount2;
  const char *currency = strstr (raw, "DM") != NULL ? "DEM" : "EUR";
  int s, e;

  g_match_info_fetch_pos (info, 0, &s, &e);
  for (const char *p = a; p != NULL && *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (value, *p);
      else if (*p == ',')
        g_string_append_c (value, '.');
    }
  if (value->len > 0 && value->str[value->len - 1] == '.')
    g_string_truncate (value, value->len - 1);
  if (scale != NULL && *scale != '\0')
    g_string_append_printf (value, " %s", scale);
  g_string_append_printf (value, " %s", currency);
  _sc_scan_add (scan, SC_FINDING_MONEY, NULL, (gsize) s, (gsize) e, value->str, 0.95,
                g_strdup (_("Amount of money with a currency (EUR, €, Euro or DM)")));
  g_string_free (value, TRUE);
}

static void
find_money (ScScan *scan)
{
  static GRegex *regex;

  each_match (scan, &regex,
              "(?<![\\p{L}\\p{N}.,])(?:"
              "(?:EUR|€|Euro|DM)\\s?(\\d{1,3}(?:\\.\\d{3})+(?:,(?:\\d{2}|-{1,2}|–))?|"
              "\\d+(?:,(?:\\d{2}|-{1,2}|–))?)(?![\\p{N}])"
              "|((\\d{1,3}(?:\\.\\d{3})+|\\d+)(?:,(?:\\d{1,2}|-{1,2}|–))?)\\s?"
              "(?:(Mio\\.|Mrd\\.|Millionen|Milliarden|Tsd\\.|Tausend)\\s)?"
              "(?:EUR|€|Euro|Cent|DM)(?![\\p{L}]))",
              on_money);
}

void
_sc_recognize_contact (ScScan *scan)
{
  find_phones (scan);
  find_email_and_urls (scan);
  find_addresses (scan);
  find_plates (scan);
  find_money (scan);
}
