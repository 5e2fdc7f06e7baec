/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-dates.c: date recognition, public holidays and deadline computation (§§ 187–193 BGB,
 * § 31 and § 41 Abs. 2 VwVfG). */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <string.h>
#include <glib.h>

#include "sichtung-core.h"

static GDate
dmy (guint d,
     guint m,
     guint y)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return date;
}

static char *
iso (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", (guint) g_date_get_year (date),
                          (guint) g_date_get_month (date), (guint) g_date_get_day (date));
}

/* The values of the dates in @text, joined by "|". */
static char *
date_values (const char  *text,
             const GDate *reference)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_finding_unref);
  GString *out = g_string_new (NULL);

  sc_dates_find (text, -1, reference, found);
  for (guint i = 0; i < found->len; i++)
    {
      ScFinding *f = g_ptr_array_index (found, i);
      g_autofree char *span = g_strndup (text + f->start, f->end - f->start);

      g_assert_cmpint (f->category, ==, SC_FINDING_DATE);
      g_assert_nonnull (f->explanation);
      g_assert_cmpstr (f->text, ==, span);
      g_string_append_printf (out, "%s%s=%s", i > 0 ? "|" : "", f->text, f->value);
    }
  return g_string_free (out, FALSE);
}

static void
check_dates (const char *text,
             const char *expected)
{
  g_autofree char *got = date_values (text, NULL);

  g_assert_cmpstr (got, ==, expected);
}

static void
test_forms (void)
{
  check_dates ("am 30. Juni 1990 geboren", "30. Juni 1990=1990-06-30");
  check_dates ("am 30.06.1990", "30.06.1990=1990-06-30");
  check_dates ("Stand 2024-03-01.", "2024-03-01=2024-03-01");
  check_dates ("seit Juli 2009", "Juli 2009=2009-07");
  check_dates ("im Jahr 2009 und 2010", "Jahr 2009=2009|2010=2010");
  check_dates ("TV Sonderzahlungen 2006", "");
  check_dates ("am 3. Jänner 2020", "3. Jänner 2020=2020-01-03");
  check_dates ("ab Sept. 2019", "Sept. 2019=2019-09");
  check_dates ("am 3. Feb. 2025", "3. Feb. 2025=2025-02-03");
  check_dates ("Anfang Mai 2015", "Anfang Mai 2015=2015-05");
  check_dates ("Mainz, Mai 2015", "Mai 2015=2015-05");
  /* not dates: versions, amounts, paragraphs, postal codes */
  check_dates ("Version 1.2.3.4, 1.000,50 EUR, § 2009 BGB, 55116 Mainz", "");
}

static void
test_validation (void)
{
  check_dates ("29. Februar 2024", "29. Februar 2024=2024-02-29");
  check_dates ("29. Februar 2023", "");
  check_dates ("31.02.2024", "");
  check_dates ("31. April 2024", "");
  check_dates ("31.12.1999", "31.12.1999=1999-12-31");
}

static void
test_two_digit_years (void)
{
  check_dates ("am 1.3.24", "1.3.24=2024-03-01");
  g_assert_cmpuint (sc_dates_expand_two_digit_year (35, 2025), ==, 2035);
  g_assert_cmpuint (sc_dates_expand_two_digit_year (36, 2025), ==, 1936);
  g_assert_cmpuint (sc_dates_expand_two_digit_year (0, 2025), ==, 2000);
  g_assert_cmpuint (sc_dates_expand_two_digit_year (99, 2025), ==, 1999);
}

static void
test_without_year (void)
{
  GDate reference = dmy (10, 5, 2025);
  g_autofree char *with = date_values ("am 3. Februar", &reference);

  check_dates ("am 3. Februar", "3. Februar=XXXX-02-03");
  g_assert_cmpstr (with, ==, "3. Februar=2025-02-03");
}

static void
test_ranges (void)
{
  check_dates ("vom 1. Januar 2025 bis 31. Dezember 2025",
               "1. Januar 2025=2025-01-01|31. Dezember 2025=2025-12-31");
  check_dates ("vom 1. Januar bis 31. Dezember 2025",
               "1. Januar=2025-01-01|31. Dezember 2025=2025-12-31");
  check_dates ("vom 1. Dezember bis 31. Januar 2025",
               "1. Dezember=2024-12-01|31. Januar 2025=2025-01-31");
  check_dates ("vom 1. bis 3. März 2025", "1.=2025-03-01|3. März 2025=2025-03-03");
}

static void
test_code_points (void)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_finding_unref);
  const char *text = "Äußerung vom 3. März 2025";
  ScFinding *f;

  sc_dates_find (text, -1, NULL, found);
  g_assert_cmpuint (found->len, ==, 1);
  f = g_ptr_array_index (found, 0);
  g_assert_cmpuint (f->start, ==, 15);
  g_assert_cmpuint (f->cp_start, ==, 13);
  g_assert_cmpuint (f->cp_end, ==, 25);
}

/* ---- Holidays ---------------------------------------------------------------------------- */

static void
test_holidays (void)
{
  GDate easter, d;

  sc_easter_sunday (2025, &easter);
  d = dmy (20, 4, 2025);
  g_assert_cmpint (g_date_compare (&easter, &d), ==, 0);
  sc_easter_sunday (2024, &easter);
  d = dmy (31, 3, 2024);
  g_assert_cmpint (g_date_compare (&easter, &d), ==, 0);

  d = dmy (21, 4, 2025);   /* Ostermontag */
  g_assert_nonnull (sc_holiday_name (&d, SC_LAND_RP));
  g_assert_nonnull (sc_holiday_name (&d, SC_LAND_BE));
  d = dmy (18, 4, 2025);   /* Karfreitag */
  g_assert_false (sc_is_working_day (&d, SC_LAND_HH));
  d = dmy (19, 6, 2025);   /* Fronleichnam: RP yes, Berlin no */
  g_assert_nonnull (sc_holiday_name (&d, SC_LAND_RP));
  g_assert_null (sc_holiday_name (&d, SC_LAND_BE));
  g_assert_true (sc_is_working_day (&d, SC_LAND_BE));
  d = dmy (29, 5, 2025);   /* Christi Himmelfahrt */
  g_assert_nonnull (sc_holiday_name (&d, SC_LAND_SH));
  d = dmy (9, 6, 2025);    /* Pfingstmontag */
  g_assert_nonnull (sc_holiday_name (&d, SC_LAND_NW));
  d = dmy (19, 11, 2025);  /* Buß- und Bettag: only Sachsen */
  g_assert_nonnull (sc_holiday_name (&d, SC_LAND_SN));
  g_assert_null (sc_holiday_name (&d, SC_LAND_BY));
  d = dmy (31, 10, 2025);  /* Reformationstag */
  g_assert_nonnull (sc_holiday_name (&d, SC_LAND_NI));
  g_assert_null (sc_holiday_name (&d, SC_LAND_RP));
  d = dmy (31, 10, 2017);  /* everywhere in 2017 */
  g_assert_nonnull (sc_holiday_name (&d, SC_LAND_RP));
  d = dmy (1, 11, 2025);   /* Allerheiligen */
  g_assert_nonnull (sc_holiday_name (&d, SC_LAND_RP));
  g_assert_null (sc_holiday_name (&d, SC_LAND_HE));
  d = dmy (6, 1, 2025);    /* Heilige Drei Könige */
  g_assert_nonnull (sc_holiday_name (&d, SC_LAND_BW));
  g_assert_null (sc_holiday_name (&d, SC_LAND_RP));
  d = dmy (8, 3, 2023);    /* Frauentag: Berlin, MV since 2023 */
  g_assert_nonnull (sc_holiday_name (&d, SC_LAND_BE));
  g_assert_nonnull (sc_holiday_name (&d, SC_LAND_MV));
  d = dmy (8, 3, 2022);
  g_assert_null (sc_holiday_name (&d, SC_LAND_MV));
  d = dmy (20, 9, 2025);   /* Weltkindertag */
  g_assert_nonnull (sc_holiday_name (&d, SC_LAND_TH));
  d = dmy (15, 8, 2025);   /* Mariä Himmelfahrt */
  g_assert_nonnull (sc_holiday_name (&d, SC_LAND_SL));
  g_assert_null (sc_holiday_name (&d, SC_LAND_RP));
  d = dmy (3, 10, 2025);
  g_assert_nonnull (sc_holiday_name (&d, SC_LAND_RP));
  d = dmy (7, 3, 2025);
  g_assert_true (sc_is_working_day (&d, SC_LAND_RP));
  g_assert_cmpint (sc_land_from_string ("DE-rp"), ==, SC_LAND_RP);
  g_assert_cmpint (sc_land_from_string ("XX"), ==, -1);
}

/* ---- Deadlines --------------------------------------------------------------------------- */

static char *
due (ScDeadlineUnit     unit,
     guint              amount,
     ScDeadlineTrigger  trigger,
     GDate              event,
     ScLand             land,
     GPtrArray         *steps)
{
  ScDeadlineSpec spec = { .unit = unit, .amount = amount, .trigger = trigger };
  g_autoptr(GError) error = NULL;
  GDate result;

  g_assert_true (sc_deadline_compute (&spec, &event, land, steps, &result, &error));
  g_assert_no_error (error);
  return iso (&result);
}

static gboolean
steps_contain (GPtrArray  *steps,
               const char *needle)
{
  for (guint i = 0; i < steps->len; i++)
    {
      if (strstr (g_ptr_array_index (steps, i), needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_deadline_month_end (void)
{
  g_autofree char *a = due (SC_DEADLINE_MONTHS, 1, SC_DEADLINE_TRIGGER_EVENT, dmy (31, 1, 2025),
                            SC_LAND_RP, NULL);
  g_autofree char *b = due (SC_DEADLINE_MONTHS, 1, SC_DEADLINE_TRIGGER_EVENT, dmy (31, 1, 2024),
                            SC_LAND_RP, NULL);
  g_autofree char *c = NULL;
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_free);

  /* 28 Feb 2025 is a Friday; 29 Feb 2024 a Thursday */
  g_assert_cmpstr (a, ==, "2025-02-28");
  g_assert_cmpstr (b, ==, "2024-02-29");
  c = due (SC_DEADLINE_MONTHS, 1, SC_DEADLINE_TRIGGER_EVENT, dmy (31, 3, 2025), SC_LAND_RP,
           steps);
  g_assert_cmpstr (c, ==, "2025-04-30");
  g_assert_true (steps_contain (steps, "§ 188 Abs. 2 and 3 BGB"));
}

static void
test_deadline_weeks_days (void)
{
  g_autofree char *w = due (SC_DEADLINE_WEEKS, 2, SC_DEADLINE_TRIGGER_EVENT, dmy (5, 3, 2025),
                            SC_LAND_RP, NULL);
  g_autofree char *d = due (SC_DEADLINE_DAYS, 14, SC_DEADLINE_TRIGGER_EVENT, dmy (5, 3, 2025),
                            SC_LAND_RP, NULL);
  g_autofree char *y = due (SC_DEADLINE_YEARS, 1, SC_DEADLINE_TRIGGER_EVENT, dmy (29, 2, 2024),
                            SC_LAND_RP, NULL);

  g_assert_cmpstr (w, ==, "2025-03-19");   /* Wednesday → Wednesday */
  g_assert_cmpstr (d, ==, "2025-03-19");
  g_assert_cmpstr (y, ==, "2025-02-28");   /* no 29 Feb 2025; a Friday */
}

static void
test_deadline_weekend_and_holiday (void)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sat = NULL;
  g_autofree char *easter = NULL;
  g_autofree char *corpus_rp = NULL;
  g_autofree char *corpus_be = NULL;

  /* event 15 Feb 2025 + 1 month = Sat 15 Mar → Mon 17 Mar */
  sat = due (SC_DEADLINE_MONTHS, 1, SC_DEADLINE_TRIGGER_EVENT, dmy (15, 2, 2025), SC_LAND_RP,
             steps);
  g_assert_cmpstr (sat, ==, "2025-03-17");
  g_assert_true (steps_contain (steps, "§ 193 BGB"));
  g_assert_true (steps_contain (steps, "Saturday"));
  /* 18 Mar + 1 month = Fri 18 Apr (Karfreitag) → Sat, Sun, Ostermontag → Tue 22 Apr */
  easter = due (SC_DEADLINE_MONTHS, 1, SC_DEADLINE_TRIGGER_EVENT, dmy (18, 3, 2025), SC_LAND_RP,
                NULL);
  g_assert_cmpstr (easter, ==, "2025-04-22");
  /* 19 May + 1 month = Thu 19 June (Fronleichnam): RP moves to Friday, Berlin does not */
  corpus_rp = due (SC_DEADLINE_MONTHS, 1, SC_DEADLINE_TRIGGER_EVENT, dmy (19, 5, 2025),
                   SC_LAND_RP, NULL);
  corpus_be = due (SC_DEADLINE_MONTHS, 1, SC_DEADLINE_TRIGGER_EVENT, dmy (19, 5, 2025),
                   SC_LAND_BE, NULL);
  g_assert_cmpstr (corpus_rp, ==, "2025-06-20");
  g_assert_cmpstr (corpus_be, ==, "2025-06-19");
}

static void
test_deadline_postal_fiction (void)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) old_steps = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *feb = NULL;
  g_autofree char *old_rule = NULL;
  g_autofree char *new_rule = NULL;
  ScDeadlineSpec spec = { .unit = SC_DEADLINE_MONTHS, .amount = 1,
                          .trigger = SC_DEADLINE_TRIGGER_POSTED };
  g_autoptr(GError) error = NULL;
  GDate event = dmy (3, 2, 2025), result;

  /* the example of the issue: posted Mon 3 Feb 2025 → notified Fri 7 Feb → ends Fri 7 Mar */
  feb = due (SC_DEADLINE_MONTHS, 1, SC_DEADLINE_TRIGGER_POSTED, dmy (3, 2, 2025), SC_LAND_RP,
             steps);
  g_assert_cmpstr (feb, ==, "2025-03-07");
  g_assert_cmpuint (steps->len, ==, 5);
  g_assert_true (steps_contain (steps, "3. Februar 2025"));
  g_assert_true (steps_contain (steps, "§ 41 Abs. 2 VwVfG"));
  g_assert_true (steps_contain (steps, "7. Februar 2025"));
  g_assert_true (steps_contain (steps, "fourth day"));
  g_assert_true (steps_contain (steps, "§ 187 Abs. 1 BGB: 8. Februar 2025"));
  g_assert_true (steps_contain (steps, "§ 188 Abs. 2 BGB: 7. März 2025 (Friday)"));
  g_assert_true (steps_contain (steps, "ends on 7. März 2025"));

  /* posted Mon 30 Dec 2024: old rule, third day = Thu 2 Jan 2025 → ends Sun 2 Feb → Mon 3 */
  old_rule = due (SC_DEADLINE_MONTHS, 1, SC_DEADLINE_TRIGGER_POSTED, dmy (30, 12, 2024),
                  SC_LAND_RP, old_steps);
  g_assert_true (steps_contain (old_steps, "third day"));
  g_assert_true (steps_contain (old_steps, "2. Januar 2025"));
  g_assert_cmpstr (old_rule, ==, "2025-02-03");
  /* posted Thu 2 Jan 2025: fourth day = Mon 6 Jan (not a holiday in RP) → ends Thu 6 Feb */
  new_rule = due (SC_DEADLINE_MONTHS, 1, SC_DEADLINE_TRIGGER_POSTED, dmy (2, 1, 2025),
                  SC_LAND_RP, NULL);
  g_assert_cmpstr (new_rule, ==, "2025-02-06");

  /* posted Wed 5 Mar 2025: fourth day Sun 9 Mar → moved to Mon 10 Mar by default */
  event = dmy (5, 3, 2025);
  g_assert_true (sc_deadline_compute (&spec, &event, SC_LAND_RP, NULL, &result, &error));
  {
    g_autofree char *moved = iso (&result);

    g_assert_cmpstr (moved, ==, "2025-04-10");
  }
  spec.no_fiction_shift = TRUE;
  g_assert_true (sc_deadline_compute (&spec, &event, SC_LAND_RP, NULL, &result, &error));
  {
    g_autofree char *kept = iso (&result);

    g_assert_cmpstr (kept, ==, "2025-04-09");
  }
}

static void
test_deadline_errors (void)
{
  ScDeadlineSpec spec = { .unit = SC_DEADLINE_MONTHS, .amount = 0 };
  g_autoptr(GError) error = NULL;
  GDate event = dmy (3, 2, 2025), result;

  g_assert_false (sc_deadline_compute (&spec, &event, SC_LAND_RP, NULL, &result, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
}

static void
test_deadline_phrases (void)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_finding_unref);
  const char *text =
    "Mainz, den 3. Februar 2025\n"
    "Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben "
    "werden. Bitte zahlen Sie binnen zwei Wochen nach Zustellung, spätestens am 15. März 2025. "
    "Es gilt eine Frist von einem Monat.";
  guint n = 0;

  sc_deadlines_find (text, -1, NULL, SC_LAND_RP, found);
  for (guint i = 0; i < found->len; i++)
    {
      ScFinding *f = g_ptr_array_index (found, i);

      g_assert_cmpint (f->category, ==, SC_FINDING_DEADLINE);
      g_assert_nonnull (f->explanation);
      if (g_str_equal (f->text, "innerhalb eines Monats nach Bekanntgabe"))
        {
          g_assert_cmpstr (f->value, ==, "2025-03-07");
          g_assert_nonnull (f->steps);
          g_assert_cmpuint (f->steps->len, ==, 5);
          n++;
        }
      else if (g_str_equal (f->text, "binnen zwei Wochen nach Zustellung"))
        {
          g_assert_cmpstr (f->value, ==, "2025-02-17");   /* Mon 3 Feb + 2 weeks */
          n++;
        }
      else if (g_str_equal (f->text, "spätestens am 15. März 2025"))
        {
          g_assert_cmpstr (f->value, ==, "2025-03-17");   /* Saturday → Monday */
          n++;
        }
      else if (g_str_equal (f->text, "Frist von einem Monat"))
        {
          g_assert_cmpstr (f->value, ==, "2025-03-03");
          n++;
        }
    }
  g_assert_cmpuint (n, ==, 4);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sichtung/dates/forms", test_forms);
  g_test_add_func ("/sichtung/dates/validation", test_validation);
  g_test_add_func ("/sichtung/dates/two-digit-years", test_two_digit_years);
  g_test_add_func ("/sichtung/dates/without-year", test_without_year);
  g_test_add_func ("/sichtung/dates/ranges", test_ranges);
  g_test_add_func ("/sichtung/dates/code-points", test_code_points);
  g_test_add_func ("/sichtung/dates/holidays", test_holidays);
  g_test_add_func ("/sichtung/deadlines/month-end", test_deadline_month_end);
  g_test_add_func ("/sichtung/deadlines/weeks-days-years", test_deadline_weeks_days);
  g_test_add_func ("/sichtung/deadlines/weekend-holiday", test_deadline_weekend_and_holiday);
  g_test_add_func ("/sichtung/deadlines/postal-fiction", test_deadline_postal_fiction);
  g_test_add_func ("/sichtung/deadlines/errors", test_deadline_errors);
  g_test_add_func ("/sichtung/deadlines/phrases", test_deadline_phrases);

  return g_test_run ();
}
