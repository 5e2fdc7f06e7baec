/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-dates.h: dates, public holidays and deadlines in German administrative texts.
 *
 * Dates: sc_dates_find() recognises and validates "30. Juni 1990", "30.06.1990", "1.3.24",
 * "2024-03-01", "Juli 2009", "im Jahr 2009", "3. Februar" and ranges ("vom 1. Januar 2025 bis
 * 31. Dezember 2025" gives two date findings, one per end, so spans stay simple). Values are
 * ISO 8601 prefixes: "YYYY-MM-DD", "YYYY-MM" or "YYYY".
 *
 * Two-digit years: 00 … (current year % 100 + 10) mean 20xx, the others 19xx (in 2025: "35"
 * is 2035, "36" is 1936). A day and month without a year ("3. Februar") takes the year of the
 * reference date when one is given; without one the value is "XXXX-02-03" (TIMEX3's notation
 * for an unknown year).
 *
 * Holidays: the public holidays of the Federation and each of the 16 Länder (see
 * sc-holidays.c for the choices where a holiday holds only in some municipalities).
 *
 * Deadlines: sc_deadline_compute() applies §§ 187–193 BGB (through § 31 VwVfG) and the
 * Bekanntgabe fiction of § 41 Abs. 2 VwVfG; sc_deadlines_find() recognises deadline phrases
 * and computes their due dates with the explanation steps attached to the finding. */
#pragma once

#include <glib.h>

#include "sc-finding.h"

G_BEGIN_DECLS

/* The Länder, in the order and with the codes of ISO 3166-2:DE. */
typedef enum
{
  SC_LAND_BW,  /* Baden-Württemberg */
  SC_LAND_BY,  /* Bayern */
  SC_LAND_BE,  /* Berlin */
  SC_LAND_BB,  /* Brandenburg */
  SC_LAND_HB,  /* Bremen */
  SC_LAND_HH,  /* Hamburg */
  SC_LAND_HE,  /* Hessen */
  SC_LAND_MV,  /* Mecklenburg-Vorpommern */
  SC_LAND_NI,  /* Niedersachsen */
  SC_LAND_NW,  /* Nordrhein-Westfalen */
  SC_LAND_RP,  /* Rheinland-Pfalz */
  SC_LAND_SL,  /* Saarland */
  SC_LAND_SN,  /* Sachsen */
  SC_LAND_ST,  /* Sachsen-Anhalt */
  SC_LAND_SH,  /* Schleswig-Holstein */
  SC_LAND_TH,  /* Thüringen */
  SC_LAND_N_LANDS
} ScLand;

#define SC_LAND_DEFAULT SC_LAND_RP

const char *sc_land_to_string   (ScLand      land);   /* "RP" */
/* Accepts "RP", "rp", "DE-RP"; -1 when unknown. */
int         sc_land_from_string (const char *name);

/* ---- Holidays ---------------------------------------------------------------------------- */

/* Easter Sunday of @year (Gregorian, 1583 … 9999) into @out. */
void        sc_easter_sunday    (guint       year,
                                 GDate      *out);
/* The translated name of the public holiday on @date in @land, or NULL on other days.
 * Public holidays are counted from 1995 on (Buß- und Bettag stopped elsewhere in 1995). */
const char *sc_holiday_name     (const GDate *date,
                                 ScLand       land);
/* FALSE on Saturdays, Sundays and public holidays of @land. */
gboolean    sc_is_working_day   (const GDate *date,
                                 ScLand       land);

/* ---- Dates ------------------------------------------------------------------------------- */

/* Finds the dates in @text (UTF-8, @length bytes or -1 when NUL-terminated) and appends
 * ScFinding of category SC_FINDING_DATE to @out. @reference (may be NULL) supplies the year of
 * dates written without one. Offsets in bytes and code points refer to @text. */
void        sc_dates_find       (const char  *text,
                                 gssize       length,
                                 const GDate *reference,
                                 GPtrArray   *out);

typedef enum
{
  SC_DATES_DEFAULT    = 0,
  /* also years standing alone without a date word before them ("TV Sonderzahlungen 2006",
   * "NJW 2019, 1234"): more recall, less precision */
  SC_DATES_BARE_YEARS = 1 << 0,
} ScDatesFlags;

/* sc_dates_find() with @flags. */
void        sc_dates_find_full  (const char   *text,
                                 gssize        length,
                                 const GDate  *reference,
                                 ScDatesFlags  flags,
                                 GPtrArray    *out);

/* Formats @date as "7. März 2025" (German month names, for explanations). */
char       *sc_date_format_long (const GDate *date);

/* Resolves a two-digit year as documented above, relative to @current_year. */
guint       sc_dates_expand_two_digit_year (guint two_digit,
                                            guint current_year);

/* ---- Deadlines --------------------------------------------------------------------------- */

typedef enum
{
  SC_DEADLINE_DAYS,
  SC_DEADLINE_WEEKS,
  SC_DEADLINE_MONTHS,
  SC_DEADLINE_YEARS,
  SC_DEADLINE_FIXED_DATE,  /* "bis zum 15. März 2025": the date itself, shifted per § 193 BGB */
} ScDeadlineUnit;

typedef enum
{
  /* the event (e.g. "Zustellung", "Zugang") happened on the event date: § 187 Abs. 1 BGB */
  SC_DEADLINE_TRIGGER_EVENT,
  /* the event date is the day the letter was posted; Bekanntgabe by § 41 Abs. 2 VwVfG */
  SC_DEADLINE_TRIGGER_POSTED,
  /* the period starts at the beginning of the event date: § 187 Abs. 2 BGB */
  SC_DEADLINE_TRIGGER_DAY_START,
} ScDeadlineTrigger;

typedef struct
{
  ScDeadlineUnit    unit;
  guint             amount;      /* number of units; ignored for SC_DEADLINE_FIXED_DATE */
  ScDeadlineTrigger trigger;
  GDate             fixed;       /* for SC_DEADLINE_FIXED_DATE */
  /* The wording of § 41 Abs. 2 S. 1 VwVfG (old and new) does not move the fictitious day of
   * Bekanntgabe off a weekend or holiday, and the BSG does not move it (§ 37 SGB X); the BFH
   * does (§ 122 AO, IX R 68/98) and so do many authorities' guides. By default Sichtung moves
   * it, because that yields the later, safe date; set this to keep the fourth day as it is. */
  gboolean          no_fiction_shift;
} ScDeadlineSpec;

/* Computes the last day of the period described by @spec, counted from @event (the day of
 * the triggering event or of posting), for the public holidays of @land. Appends one
 * translated sentence per step to @steps_out (char*, may be NULL) and stores the last day in
 * @due_out. Fails with SC_ERROR_INVALID_ARGUMENT on an invalid date or amount, or when the
 * result would fall outside the calendar GDate supports. */
gboolean    sc_deadline_compute (const ScDeadlineSpec *spec,
                                 const GDate          *event,
                                 ScLand                land,
                                 GPtrArray            *steps_out,
                                 GDate                *due_out,
                                 GError              **error);

/* Finds deadline phrases ("innerhalb eines Monats nach Bekanntgabe", "binnen zwei Wochen",
 * "bis zum 15. März 2025", "Frist von einem Monat" …) and appends SC_FINDING_DEADLINE findings
 * to @out. The reference event is @event when given, otherwise the letter's date as found in
 * the text ("Mainz, den 3. Februar 2025"); a period without either is reported without value.
 * Where the phrase speaks of Bekanntgabe of a letter, the event date counts as the day of
 * posting (§ 41 Abs. 2 VwVfG). */
void        sc_deadlines_find   (const char  *text,
                                 gssize       length,
                                 const GDate *event,
                                 ScLand       land,
                                 GPtrArray   *out);

G_END_DECLS
