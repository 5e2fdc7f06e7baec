/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-recognize-person.c: names that the layout of a German letter gives away: after a form of
 * address or a role ("Frau Erika Mustermann", "Herrn Dr. Jonas Beispiel", "Ihr Sohn Paul",
 * "Rechtsanwältin Meyer") and the signature line under a closing formula ("Im Auftrag" …).
 *
 * A name is one to three capitalised words on the same line, each optionally hyphenated,
 * with particles such as "von" or "van der" between them; academic titles after the trigger
 * are skipped. Words that name an office or a thing rather than a person ("Frau
 * Bürgermeisterin", "Herr Vorsitzender", "Sohn Antrag") end the name or, first, prevent it. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-recognizers-private.h"

#define NAME_WORD "\\p{Lu}[\\p{Ll}\\x{00DF}]+(?:-\\p{Lu}[\\p{Ll}\\x{00DF}]+)?"
#define PARTICLE "(?:von der|von dem|van der|van den|von|van|de|zu|vom|zur|ter)"
#define TITLES "(?:(?:Dr\\.|Prof\\.|Dipl\\.-[\\p{L}]+\\.?|med\\.|jur\\.|rer\\.|nat\\.|h\\.\\s?c\\.)[ \\t]+)*"
/* Trigger (alone at a line's end in an address block, or followed by a blank), titles, then up
 * to three name words on one line. */
#define NAME_AFTER(trigger) \
  "(?<![\\p{L}\\p{N}])(?<trigger>" trigger ")(?:[ \\t]+|[ \\t]*\\n[ \\t]*)" TITLES \
  "(?<name>" NAME_WORD "(?:[ \\t]+(?:" PARTICLE "[ \\t]+)?" NAME_WORD "){0,2})"

/* Forms of address and roles that precede a person's name. */
static const char trigger_pattern[] = NAME_AFTER (
  "Frau|Herrn?|Eheleute|Familie|Sohn|Sohnes|Tochter|Ehemann|Ehefrau|Ehegatten?|Ehegattin|"
  "Lebenspartner(?:in)?|Kind(?:es)?|Enkel(?:in)?|Vater|Mutter|Bruder|Schwester|"
  "Antragsteller(?:in)?|Widerspruchsführer(?:in)?|Kläger(?:in)?|Zeug(?:e|in)|"
  "Rechtsanwalt|Rechtsanwältin|Sachbearbeiter(?:in)?|Bearbeiter(?:in)?|Ansprechpartner(?:in)?");

/* A closing formula, blank lines, then a line that is nothing but a name. */
static const char signature_pattern[] =
  "(?<trigger>Mit freundlichen Grüßen|Hochachtungsvoll|Im Auftrag|In Vertretung|i\\.\\s?A\\.|"
  "i\\.\\s?V\\.|gez\\.)[ \\t]*\\n(?:[ \\t]*\\n)*[ \\t]*"
  "(?!(?:Im|In|Mit|Der|Die|Das)\\b)"
  "(?<name>" NAME_WORD "(?:[ \\t]+(?:" PARTICLE "[ \\t]+)?" NAME_WORD "){1,2})[ \\t]*(?=\\n|$)";

/* Capitalised words that follow a trigger without being a name. */
static const char *const not_names[] = {
  "Abgeordnete", "Abgeordneter", "Amtsleiter", "Amtsleiterin", "Antrag", "Antragsteller",
  "Antragstellerin", "Beigeordnete", "Beigeordneter", "Bundeskanzler", "Bundeskanzlerin",
  "Bürgermeister", "Bürgermeisterin", "Direktor", "Direktorin", "Doktor", "Kollege", "Kollegin",
  "Landrat", "Landrätin", "Minister", "Ministerin", "Oberbürgermeister", "Oberbürgermeisterin",
  "Pfarrer", "Pfarrerin", "Präsident", "Präsidentin", "Professor", "Professorin", "Rechtsanwalt",
  "Rechtsanwältin", "Richter", "Richterin", "Staatsanwalt", "Staatsanwältin", "Vorsitzende",
  "Vorsitzender", "Telefon", "Tel", "Telefax", "Fax", "Zimmer", "Raum", "Datum", "Aktenzeichen",
  "Geburtsdatum", "Straße", "Wohnung", "Anschrift", "Sie", "Ihr", "Ihre", "Ihren", "Ihrem",
  "Ihres", "Wir", "Der", "Die", "Das", "Den", "Dem", "Des", "Ein", "Eine", "Einen", "Für", "Mit",
  "Auf", "Aus", "Bei", "Nach", "Von", "Zur", "Zum", "Und", "Oder", "Als", "Am", "Im", "In",
  "Bitte", "Sehr", NULL,
};

static gboolean
is_name_word (const char *word,
              gsize       len)
{
  for (guint i = 0; not_names[i] != NULL; i++)
    {
      if (strlen (not_names[i]) == len && strncmp (not_names[i], word, len) == 0)
        return FALSE;
    }
  return TRUE;
}

/* Shortens [*start, *end) to the words before the first one that is not a name; FALSE when
 * nothing is left. */
static gboolean
trim_name (const char *text,
           gsize       start,
           gsize      *end)
{
  gsize pos = start, last_end = start;

  while (pos < *end)
    {
      gsize w = pos;

      while (w < *end && text[w] != ' ' && text[w] != '\t')
        w++;
      if (g_ascii_islower (text[pos]))
        ; /* a particle: kept only when a name word follows */
      else if (!is_name_word (text + pos, w - pos))
        break;
      else
        last_end = w;
      pos = w;
      while (pos < *end && (text[pos] == ' ' || text[pos] == '\t'))
        pos++;
    }
  *end = last_end;
  return last_end > start;
}

static void
find_names (ScScan     *scan,
            GRegex    **slot,
            const char *pattern,
            gboolean    signature)
{
  g_autoptr(GMatchInfo) info = NULL;
  GRegex *regex = _sc_regex_once (slot, pattern);

  g_regex_match_full (regex, scan->text, (gssize) scan->length, 0, 0, &info, NULL);
  for (; g_match_info_matches (info); g_match_info_next (info, NULL))
    {
      g_autofree char *trigger = g_match_info_fetch_named (info, "trigger");
      int s = 0, e = 0;
      gsize end;

      if (!g_match_info_fetch_named_pos (info, "name", &s, &e) || s < 0)
        continue;
      end = (gsize) e;
      if (!trim_name (scan->text, (gsize) s, &end))
        continue;
      if (signature)
        _sc_scan_add (scan, SC_FINDING_PERSON, "Name", (gsize) s, end, NULL, 0.75,
                      g_strdup_printf (_("Name on the signature line under the closing formula "
                                         "“%s”"), trigger));
      else
        _sc_scan_add (scan, SC_FINDING_PERSON, "Name", (gsize) s, end, NULL, 0.85,
                      g_strdup_printf (_("Name after the form of address or role “%s”"),
                                       trigger));
    }
}

void
_sc_recognize_persons (ScScan *scan)
{
  static GRegex *after_trigger, *signature;

  find_names (scan, &after_trigger, trigger_pattern, FALSE);
  find_names (scan, &signature, signature_pattern, TRUE);
}
