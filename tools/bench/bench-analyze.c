/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-analyze.c: the generating half of tools/bench/bench-analyze (the script builds and
 * drives it). Writes a case file of N pages in the style of a German authority's letters —
 * Bescheide, Widersprüche, Vermerke, Anhörungen — with fictitious people, addresses, bank
 * details, telephone numbers, norms, case numbers, dates and deadlines varied from page to
 * page, typeset into a PDF with core's typesetter (one page of text per PDF page). */
#define G_LOG_DOMAIN "sichtung-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sichtung-core.h"
#include "sc-text-layout.h"

/* Words a page aims at, and the typeset lines it may fill before its closing lines (A4 at
 * 11 pt holds 50 lines of about 80 characters). */
#define MIN_WORDS  300
#define MAX_WORDS  400
#define MAX_LINES  42
#define LINE_CHARS 72

static const char *first_names[] = {
  "Erika", "Paul", "Jonas", "Sabine", "Mehmet", "Anna", "Thomas", "Katharina", "Lukas",
  "Fatma", "Michael", "Julia", "Stefan", "Monika", "Dirk", "Leonie", "Andreas", "Ursula",
};
static const char *last_names[] = {
  "Mustermann", "Beispiel", "Schneider", "Yilmaz", "Hoffmann", "Wagner", "Becker",
  "Schulz", "Kowalski", "Neumann", "Krüger", "Zimmermann", "Braun", "Hartmann", "Lange",
};
static const char *streets[] = {
  "Lindenstraße", "Am Schlossplatz", "Rheinallee", "Kaiserstraße", "Bahnhofstraße",
  "Gartenweg", "Mühlgasse", "Schillerplatz", "Am Rosengarten", "Goethestraße",
};
static const char *places[][2] = {
  { "55118", "Mainz" }, { "56068", "Koblenz" }, { "54290", "Trier" },
  { "67655", "Kaiserslautern" }, { "67547", "Worms" }, { "67346", "Speyer" },
  { "55543", "Bad Kreuznach" }, { "56564", "Neuwied" }, { "66482", "Zweibrücken" },
  { "55232", "Alzey" },
};
static const char *authorities[] = {
  "Kreisverwaltung Musterkreis", "Stadtverwaltung Mainz", "Jobcenter Musterstadt",
  "Landesamt für Soziales, Jugend und Versorgung", "Bauaufsichtsbehörde Musterkreis",
};
static const char *norms[] = {
  "§ 4 WoGG", "§ 14 Abs. 1 WoGG", "§ 20 Abs. 1 WoGG", "§ 3a Abs. 2 VwVfG", "§ 25 SGB X",
  "§ 35 VwVfG", "§ 41 Abs. 2 VwVfG", "§ 70 VwGO", "§ 48 Abs. 1 SGB X", "§ 28 Abs. 1 VwVfG",
  "Art. 3 Abs. 1 GG", "§ 15 Abs. 2 WoGG", "§ 80 Abs. 2 Nr. 4 VwGO",
};
static const char *months[] = {
  "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
  "Oktober", "November", "Dezember",
};
static const char *bodies[] = {
  "Nach Prüfung der vorgelegten Unterlagen ergeht folgende Entscheidung. Der Antrag wird "
  "abgelehnt, weil die Voraussetzungen nach %N nicht vorliegen. Das monatliche "
  "Gesamteinkommen des Haushalts übersteigt die maßgebliche Höchstgrenze.",
  "Bei der Berechnung wurden die Verdienstbescheinigungen der letzten zwölf Monate "
  "berücksichtigt. Einmalige Zahlungen sind nach %N nur anteilig anzusetzen. Die "
  "Kinderbetreuungskosten wurden in der nachgewiesenen Höhe abgezogen.",
  "Die Behörde hat das ihr eingeräumte Ermessen pflichtgemäß ausgeübt. Gründe, die eine "
  "abweichende Entscheidung rechtfertigen könnten, sind weder vorgetragen noch ersichtlich. "
  "Auf die Ausführungen im Bescheid vom %D wird verwiesen.",
  "Vor Erlass des Bescheides wurde Gelegenheit zur Stellungnahme gegeben (%N). Die "
  "Stellungnahme ist am %D eingegangen und wurde bei der Entscheidung berücksichtigt.",
  "Der Bewilligungszeitraum umfasst zwölf Monate. Änderungen der Einkommensverhältnisse "
  "oder der Zahl der Haushaltsmitglieder sind der Wohngeldstelle unverzüglich mitzuteilen. "
  "Eine Überzahlung ist nach %N zu erstatten.",
  "Die Unterlagen wurden vollständig vorgelegt. Eine persönliche Vorsprache ist nicht "
  "erforderlich. Rückfragen beantwortet die Sachbearbeitung werktags zwischen 8 und 12 Uhr "
  "unter der angegebenen Rufnummer.",
  "Mit Schreiben vom %D wurde mitgeteilt, dass die Miete ab dem %D erhöht wird. Die neue "
  "Miete wurde bei der Berechnung berücksichtigt; sie liegt innerhalb der Höchstbeträge "
  "nach %N.",
  "Hiermit lege ich gegen Ihren Bescheid fristgerecht Widerspruch ein. Die Berechnung des "
  "Einkommens ist fehlerhaft, weil die Weihnachtsgratifikation als laufendes Einkommen "
  "angesetzt wurde. Ich beantrage Akteneinsicht nach %N.",
};

typedef struct
{
  GRand   *rand;
  GString *out;
} Gen;

static const char *
pick (Gen               *g,
      const char *const *items,
      guint              n)
{
  return items[g_rand_int_range (g->rand, 0, (gint32) n)];
}

#define PICK(g, array) pick ((g), (array), G_N_ELEMENTS (array))

static void
append_date (Gen *g)
{
  g_string_append_printf (g->out, "%d. %s %d", g_rand_int_range (g->rand, 1, 29),
                          PICK (g, months), g_rand_int_range (g->rand, 2023, 2026));
}

static void
append_name (Gen *g)
{
  g_string_append_printf (g->out, "%s %s", PICK (g, first_names), PICK (g, last_names));
}

/* A German IBAN with a right check digit (ISO 13616, mod 97), grouped in fours. */
static void
append_iban (Gen *g)
{
  char bban[19];
  char digits[32];
  char compact[23];
  guint remainder = 0;

  for (guint i = 0; i < 18; i++)
    bban[i] = (char) ('0' + g_rand_int_range (g->rand, i == 0 ? 1 : 0, 10));
  bban[18] = '\0';
  /* BBAN, then "DE00" as digits (D = 13, E = 14) */
  g_snprintf (digits, sizeof digits, "%s131400", bban);
  for (const char *p = digits; *p != '\0'; p++)
    remainder = (remainder * 10 + (guint) (*p - '0')) % 97;
  g_snprintf (compact, sizeof compact, "DE%02u%s", 98 - remainder, bban);
  for (guint i = 0; compact[i] != '\0'; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (g->out, ' ');
      g_string_append_c (g->out, compact[i]);
    }
}

static void
append_body (Gen        *g,
             const char *body)
{
  for (const char *p = body; *p != '\0'; p++)
    {
      if (p[0] == '%' && p[1] == 'N')
        {
          g_string_append (g->out, PICK (g, norms));
          p++;
        }
      else if (p[0] == '%' && p[1] == 'D')
        {
          append_date (g);
          p++;
        }
      else
        {
          g_string_append_c (g->out, *p);
        }
    }
}

static gsize
count_words (const char *text)
{
  gsize n = 0;
  gboolean in_word = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      gboolean blank = g_ascii_isspace (*p);

      n += !blank && !in_word;
      in_word = !blank;
    }
  return n;
}

/* The lines @text fills when typeset, LINE_CHARS characters a line, rounded up. */
static guint
count_lines (const char *text)
{
  guint lines = 0;
  glong chars = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (*p == '\n')
        {
          lines += 1 + (guint) (chars / LINE_CHARS);
          chars = 0;
        }
      else
        {
          chars++;
        }
    }
  return lines + (guint) ((chars + LINE_CHARS - 1) / LINE_CHARS);
}

static void
append_page (Gen  *g,
             guint page,
             guint n_pages)
{
  gsize start = g->out->len;
  guint target = (guint) g_rand_int_range (g->rand, MIN_WORDS, MAX_WORDS);
  guint place = (guint) g_rand_int_range (g->rand, 0, G_N_ELEMENTS (places));
  gboolean letter = page % 3 == 1;

  if (letter)
    {
      g_string_append_printf (g->out, "%s\nAbteilung %d – Soziales\n\n%s\n",
                              PICK (g, authorities), g_rand_int_range (g->rand, 1, 9),
                              g_rand_boolean (g->rand) ? "Frau" : "Herrn");
      append_name (g);
      g_string_append_printf (g->out, "\n%s %d\n%s %s\n\n", PICK (g, streets),
                              g_rand_int_range (g->rand, 1, 120), places[place][0],
                              places[place][1]);
      g_string_append_printf (g->out, "Aktenzeichen: 4.%d-WG-%04d/%d\n",
                              g_rand_int_range (g->rand, 1, 9),
                              g_rand_int_range (g->rand, 100, 9999),
                              g_rand_int_range (g->rand, 2023, 2026));
      g_string_append (g->out, "Sachbearbeitung: ");
      append_name (g);
      g_string_append_printf (g->out, ", Telefon 0%d %d-%04d\n",
                              g_rand_int_range (g->rand, 6100, 6900),
                              g_rand_int_range (g->rand, 100, 999),
                              g_rand_int_range (g->rand, 0, 9999));
      g_string_append_printf (g->out, "\n%s, den ", places[place][1]);
      append_date (g);
      g_string_append (g->out, "\n\nSehr geehrte Damen und Herren,\n\n");
    }
  else
    {
      g_string_append_printf (g->out, "Seite %u von %u\n\n", page, n_pages);
    }

  while (count_words (g->out->str + start) < target)
    {
      guint kind = (guint) g_rand_int_range (g->rand, 0, 10);
      gsize before = g->out->len;

      if (kind == 0)
        {
          g_string_append (g->out, "Die Zahlung erfolgt auf das Konto IBAN ");
          append_iban (g);
          g_string_append (g->out, " bei der Sparkasse. ");
        }
      else if (kind == 1)
        {
          g_string_append (g->out, "Der Antragsteller ");
          append_name (g);
          g_string_append (g->out, ", geboren am ");
          append_date (g);
          g_string_append_printf (g->out, ", wohnhaft %s %d, %s %s, ist Mitglied des "
                                  "Haushalts. ", PICK (g, streets),
                                  g_rand_int_range (g->rand, 1, 120),
                                  places[place][0], places[place][1]);
        }
      else if (kind == 2)
        {
          g_string_append (g->out, "Rückfragen bitte an ");
          append_name (g);
          g_string_append_printf (g->out, ", E-Mail: sachbearbeitung%d@musterkreis.example.de. ",
                                  g_rand_int_range (g->rand, 1, 40));
        }
      else
        {
          append_body (g, PICK (g, bodies));
          g_string_append_c (g->out, ' ');
        }
      if (count_lines (g->out->str + start) > MAX_LINES)
        {
          /* the page is full: this sentence goes */
          g_string_truncate (g->out, before);
          break;
        }
      if (g_rand_int_range (g->rand, 0, 4) == 0)
        g_string_append (g->out, "\n\n");
    }

  if (letter)
    {
      g_string_append (g->out, "\n\nGegen diesen Bescheid kann innerhalb eines Monats nach "
                       "Bekanntgabe Widerspruch erhoben werden.\n\nMit freundlichen Grüßen\n"
                       "Im Auftrag\n");
      append_name (g);
      g_string_append_c (g->out, '\n');
    }
  g_string_append_c (g->out, '\f');
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) page_texts = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  Gen g;
  guint n_pages;

  if (argc != 3 || atoi (argv[2]) <= 0)
    {
      fprintf (stderr, "usage: %s OUT.pdf PAGES\n", argv[0]);
      return 2;
    }
  n_pages = (guint) atoi (argv[2]);
  g.rand = g_rand_new_with_seed (1187);
  g.out = text;
  for (guint page = 1; page <= n_pages; page++)
    append_page (&g, page, n_pages);
  g_rand_free (g.rand);

  pdf = sc_text_layout_typeset (text->str, &page_texts, &error);
  if (pdf == NULL || !g_file_set_contents (argv[1], g_bytes_get_data (pdf, NULL),
                                           (gssize) g_bytes_get_size (pdf), &error))
    {
      fprintf (stderr, "bench-analyze: %s\n", error->message);
      return 1;
    }
  if (page_texts->len != n_pages)
    {
      fprintf (stderr, "bench-analyze: the text ran over into %u pages, not %u\n",
               page_texts->len, n_pages);
      return 1;
    }
  printf ("words %zu\n", count_words (text->str));
  return 0;
}
