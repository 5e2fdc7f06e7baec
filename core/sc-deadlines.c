/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-deadlines.c: deadline computation under §§ 187–193 BGB, § 31 VwVfG and the Bekanntgabe
 * fiction of § 41 Abs. 2 VwVfG, and recognition of deadline phrases (see sc-dates.h).
 *
 * § 41 Abs. 2 S. 1 VwVfG: a written administrative act posted within Germany counts as notified
 * on the third day after posting; since 1 January 2025 (Postrechtsmodernisierungsgesetz of
 * 15 July 2024) on the fourth day. The day of posting decides which rule applies. Whether that
 * day moves off a weekend or holiday is disputed (ScDeadlineSpec.no_fiction_shift); the default
 * moves it, which never yields an earlier end of the period. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-error.h"
#include "sc-dates.h"

static const char *
weekday_name (const GDate *date)
{
  switch (g_date_get_weekday (date))
    {
    case G_DATE_MONDAY: return _("Monday");
    case G_DATE_TUESDAY: return _("Tuesday");
    case G_DATE_WEDNESDAY: return _("Wednesday");
    case G_DATE_THURSDAY: return _("Thursday");
    case G_DATE_FRIDAY: return _("Friday");
    case G_DATE_SATURDAY: return _("Saturday");
    case G_DATE_SUNDAY: return _("Sunday");
    case G_DATE_BAD_WEEKDAY:
    default: break;
    }
  return "";
}

/* "Saturday", "Sunday" or the holiday's name; NULL on working days. */
static const char *
non_working_reason (const GDate *date,
                    ScLand       land)
{
  const char *holiday = sc_holiday_name (date, land);
  GDateWeekday weekday = g_date_get_weekday (date);

  if (holiday != NULL)
    return holiday;
  if (weekday == G_DATE_SATURDAY || weekday == G_DATE_SUNDAY)
    return weekday_name (date);
  return NULL;
}

static void
add_step (GPtrArray  *steps,
          const char *format,
          ...) G_GNUC_PRINTF (2, 3);

static void
add_step (GPtrArray  *steps,
          const char *format,
          ...)
{
  va_list args;

  if (steps == NULL)
    return;
  va_start (args, format);
  g_ptr_array_add (steps, g_strdup_vprintf (format, args));
  va_end (args);
}

/* Moves @date forward to the next working day; FALSE when the calendar ends first. */
static gboolean
next_working_day (GDate  *date,
                  ScLand  land)
{
  for (guint i = 0; i < 30 && !sc_is_working_day (date, land); i++)
    {
      if (g_date_get_julian (date) >= G_MAXUINT32 - 2 || g_date_get_year (date) >= 9999)
        return FALSE;
      g_date_add_days (date, 1);
    }
  return TRUE;
}

static gboolean
date_in_range (const GDate *date)
{
  return g_date_valid (date) && g_date_get_year (date) >= 1995 && g_date_get_year (date) <= 9000;
}

gboolean
sc_deadline_compute (const ScDeadlineSpec *spec,
                     const GDate          *event,
                     ScLand                land,
                     GPtrArray            *steps_out,
                     GDate                *due_out,
                     GError              **error)
{
  GDate start, end;
  g_autofree char *s1 = NULL;
  g_autofree char *s2 = NULL;
  const char *reason;

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (due_out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((guint) land >= SC_LAND_N_LANDS)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT, _("Unknown federal state"));
      return FALSE;
    }
  if (spec->unit == SC_DEADLINE_FIXED_DATE)
    {
      if (!date_in_range (&spec->fixed))
        {
          g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                       _("The deadline date is invalid or outside 1995–9000"));
          return FALSE;
        }
      end = spec->fixed;
      s1 = sc_date_format_long (&end);
      add_step (steps_out, _("The period ends on the fixed date %s (%s)"), s1,
                weekday_name (&end));
      goto shift_end;
    }

  if (event == NULL || !date_in_range (event))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("The event date is invalid or outside 1995–9000"));
      return FALSE;
    }
  if (spec->amount == 0 || spec->amount > 1200)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("The length of the period must be between 1 and 1200 units"));
      return FALSE;
    }

  start = *event;
  s1 = sc_date_format_long (&start);
  switch (spec->trigger)
    {
    case SC_DEADLINE_TRIGGER_POSTED:
      {
        GDate rule_change;
        guint days;
        g_autofree char *fiction = NULL;

        g_date_clear (&rule_change, 1);
        g_date_set_dmy (&rule_change, 1, G_DATE_JANUARY, 2025);
        days = g_date_compare (&start, &rule_change) >= 0 ? 4 : 3;
        add_step (steps_out, _("Letter dated %s (%s) and posted that day"), s1,
                  weekday_name (&start));
        g_date_add_days (&start, days);
        fiction = sc_date_format_long (&start);
        if (days == 4)
          add_step (steps_out, _("By § 41 Abs. 2 VwVfG the letter counts as notified on %s "
                                 "(%s), the fourth day after posting"),
                    fiction, weekday_name (&start));
        else
          add_step (steps_out, _("By § 41 Abs. 2 VwVfG as in force until 2024 the letter "
                                 "counts as notified on %s (%s), the third day after posting"),
                    fiction, weekday_name (&start));
        reason = non_working_reason (&start, land);
        if (reason != NULL && !spec->no_fiction_shift)
          {
            g_autofree char *moved = NULL;

            if (!next_working_day (&start, land))
              goto out_of_range;
            moved = sc_date_format_long (&start);
            add_step (steps_out, _("%s is a %s: notification is taken to happen on the next "
                                   "working day, %s (%s)"),
                      fiction, reason, moved, weekday_name (&start));
          }
        else if (reason != NULL)
          add_step (steps_out, _("%s is a %s, but the day of notification is not moved: "
                                 "§ 41 Abs. 2 VwVfG sets a day, not a period"),
                    fiction, reason);
        break;
      }
    case SC_DEADLINE_TRIGGER_DAY_START:
      add_step (steps_out, _("The period includes its first day, %s (§ 187 Abs. 2 BGB)"), s1);
      break;
    case SC_DEADLINE_TRIGGER_EVENT:
    default:
      add_step (steps_out, _("Triggering event on %s (%s)"), s1, weekday_name (&start));
      break;
    }

  /* § 187: the day of the event does not count (Abs. 1); the period begins the next day */
  end = start;
  if (spec->trigger != SC_DEADLINE_TRIGGER_DAY_START)
    {
      GDate begin = start;
      g_autofree char *b = NULL;

      g_date_add_days (&begin, 1);
      b = sc_date_format_long (&begin);
      add_step (steps_out, _("Start of the period by § 187 Abs. 1 BGB: %s"), b);
    }

  switch (spec->unit)
    {
    case SC_DEADLINE_DAYS:
      g_date_add_days (&end, spec->amount);
      if (spec->trigger == SC_DEADLINE_TRIGGER_DAY_START)
        g_date_subtract_days (&end, 1);
      s2 = sc_date_format_long (&end);
      add_step (steps_out,
                g_dngettext (GETTEXT_PACKAGE,
                             "End of the period of %u day by § 188 Abs. 1 BGB: %s (%s)",
                             "End of the period of %u days by § 188 Abs. 1 BGB: %s (%s)",
                             spec->amount),
                spec->amount, s2, weekday_name (&end));
      break;
    case SC_DEADLINE_WEEKS:
      g_date_add_days (&end, 7 * spec->amount);
      if (spec->trigger == SC_DEADLINE_TRIGGER_DAY_START)
        g_date_subtract_days (&end, 1);
      s2 = sc_date_format_long (&end);
      add_step (steps_out,
                g_dngettext (GETTEXT_PACKAGE,
                             "End of the period of %u week by § 188 Abs. 2 BGB: %s (%s)",
                             "End of the period of %u weeks by § 188 Abs. 2 BGB: %s (%s)",
                             spec->amount),
                spec->amount, s2, weekday_name (&end));
      break;
    case SC_DEADLINE_MONTHS:
    case SC_DEADLINE_YEARS:
      {
        guint months = spec->unit == SC_DEADLINE_YEARS ? 12 * spec->amount : spec->amount;
        guint day = g_date_get_day (&end);
        gboolean clamped;

        /* g_date_add_months clamps to the month's last day, which is § 188 Abs. 3 BGB */
        g_date_add_months (&end, months);
        clamped = g_date_get_day (&end) != day;
        if (spec->trigger == SC_DEADLINE_TRIGGER_DAY_START)
          g_date_subtract_days (&end, 1);
        s2 = sc_date_format_long (&end);
        if (clamped && spec->unit == SC_DEADLINE_MONTHS)
          add_step (steps_out,
                    g_dngettext (GETTEXT_PACKAGE,
                                 "End of the period of %u month by § 188 Abs. 2 and 3 BGB: %s "
                                 "(%s); the month has no day %u, so its last day counts",
                                 "End of the period of %u months by § 188 Abs. 2 and 3 BGB: %s "
                                 "(%s); the month has no day %u, so its last day counts",
                                 spec->amount),
                    spec->amount, s2, weekday_name (&end), day);
        else if (spec->unit == SC_DEADLINE_MONTHS)
          add_step (steps_out,
                    g_dngettext (GETTEXT_PACKAGE,
                                 "End of the period of %u month by § 188 Abs. 2 BGB: %s (%s)",
                                 "End of the period of %u months by § 188 Abs. 2 BGB: %s (%s)",
                                 spec->amount),
                    spec->amount, s2, weekday_name (&end));
        else
          add_step (steps_out,
                    g_dngettext (GETTEXT_PACKAGE,
                                 "End of the period of %u year by § 188 Abs. 2 and 3 BGB: %s "
                                 "(%s)",
                                 "End of the period of %u years by § 188 Abs. 2 and 3 BGB: %s "
                                 "(%s)",
                                 spec->amount),
                    spec->amount, s2, weekday_name (&end));
        break;
      }
    case SC_DEADLINE_FIXED_DATE:
    default:
      g_assert_not_reached ();
    }

shift_end:
  if (!date_in_range (&end))
    goto out_of_range;
  reason = non_working_reason (&end, land);
  if (reason != NULL)
    {
      g_autofree char *before = sc_date_format_long (&end);
      g_autofree char *after = NULL;

      if (!next_working_day (&end, land))
        goto out_of_range;
      after = sc_date_format_long (&end);
      add_step (steps_out, _("%s is a %s: by § 193 BGB and § 31 Abs. 3 VwVfG the period ends "
                             "on the next working day, %s (%s)"),
                before, reason, after, weekday_name (&end));
    }
  else
    {
      g_autofree char *s = sc_date_format_long (&end);

      add_step (steps_out, _("Not a weekend or public holiday in %s: the period ends on %s"),
                sc_land_to_string (land), s);
    }
  *due_out = end;
  return TRUE;

out_of_range:
  g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
               _("The deadline falls outside the supported calendar"));
  return FALSE;
}

/* ---- Recognition ------------------------------------------------------------------------- */

#define NUMBER_RE \
  "(\\d{1,3}|eine[mnrs]?|ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|" \
  "vierzehn|einundzwanzig|achtundzwanzig|dreißig|sechzig|neunzig)"
#define UNIT_RE "(Tag(?:e|en|es)?|Woche(?:n)?|Monat(?:s|e|en)?|Jahr(?:es|s|e|en)?)"

enum
{
  RE_PERIOD,
  RE_FIXED_BEFORE,
  RE_LETTER_DATE_BEFORE,
  N_RES
};

static GRegex *regexes[N_RES];

static gpointer
compile_regexes (gpointer data)
{
  static const char *const patterns[N_RES] = {
    /* 1 number, 2 unit, 3 triggering event */
    [RE_PERIOD] =
      "(?<![\\p{L}])(?:(?:[Ii]nnerhalb|[Bb]innen)\\s+(?:von\\s+|einer\\s+Frist\\s+von\\s+)?|"
      "(?:[Ff]rist|Ausschlussfrist|Widerspruchsfrist|Klagefrist|Antragsfrist|Äußerungsfrist)"
      "\\s+von\\s+)" NUMBER_RE "\\s+" UNIT_RE
      "(?:\\s+(?:nach|ab|seit)\\s+(?:der\\s+|dem\\s+|ihrer\\s+|seiner\\s+)?"
      "(Bekanntgabe|Zustellung|Zugang|Erhalt|Eingang|Empfang|Zugehen)"
      "(?:\\s+(?:dieses|diese[sr]|des|der)\\s+\\p{Lu}\\p{L}+)?)?",
    [RE_FIXED_BEFORE] =
      "(?<![\\p{L}])(?:[Ss]pätestens(?:\\s+(?:am|bis(?:\\s+(?:zum|am))?))?|"
      "bis\\s+(?:spätestens\\s+)?(?:zum|am)|bis\\s+einschließlich|bis\\s+zum\\s+Ablauf\\s+des)"
      "\\s+(?:den\\s+|dem\\s+)?$",
    [RE_LETTER_DATE_BEFORE] =
      "(?:(?:^|\\n)\\s*\\p{Lu}[\\p{L}\\-. ]{1,40},\\s*(?:den\\s+|am\\s+)?|Datum:?\\s*|"
      "(?:Bescheid|Schreiben|Brief|Verfügung)\\s+vom\\s+)$",
  };

  for (guint i = 0; i < N_RES; i++)
    {
      g_autoptr(GError) error = NULL;

      regexes[i] = g_regex_new (patterns[i], G_REGEX_OPTIMIZE, 0, &error);
      if (regexes[i] == NULL)
        g_critical ("deadline pattern %u: %s", i, error->message);
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

static guint
parse_number (const char *word)
{
  static const struct { const char *word; guint n; } words[] = {
    { "ein", 1 }, { "eine", 1 }, { "einem", 1 }, { "einen", 1 }, { "einer", 1 }, { "eines", 1 },
    { "zwei", 2 }, { "drei", 3 }, { "vier", 4 }, { "fünf", 5 }, { "sechs", 6 }, { "sieben", 7 },
    { "acht", 8 }, { "neun", 9 }, { "zehn", 10 }, { "elf", 11 }, { "zwölf", 12 },
    { "vierzehn", 14 }, { "einundzwanzig", 21 }, { "achtundzwanzig", 28 }, { "dreißig", 30 },
    { "sechzig", 60 }, { "neunzig", 90 },
  };

  if (g_ascii_isdigit (word[0]))
    return (guint) strtoul (word, NULL, 10);
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      if (g_str_equal (word, words[i].word))
        return words[i].n;
    }
  return 0;
}

/* Whether the @window bytes of @text before @pos end with a match of @regex. */
static gboolean
preceded_by (GRegex     *regex,
             const char *text,
             gsize       pos,
             gsize       window,
             gsize      *match_start)
{
  gsize from = pos > window ? pos - window : 0;
  g_autoptr(GMatchInfo) info = NULL;
  int s = 0;

  while (from < pos && (text[from] & 0xC0) == 0x80)
    from++;
  if (!g_regex_match_full (regex, text + from, (gssize) (pos - from), 0, 0, &info, NULL))
    return FALSE;
  g_match_info_fetch_pos (info, 0, &s, NULL);
  if (match_start != NULL)
    *match_start = from + (gsize) s;
  return TRUE;
}

static gboolean
date_from_value (const char *value,
                 GDate      *date)
{
  guint y, m, d;

  if (value == NULL || sscanf (value, "%4u-%2u-%2u", &y, &m, &d) != 3)
    return FALSE;
  if (!g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

static void
attach_computation (ScFinding            *finding,
                    const ScDeadlineSpec *spec,
                    const GDate          *event,
                    ScLand                land,
                    const char           *what)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GDate due;

  if ((spec->unit != SC_DEADLINE_FIXED_DATE && event == NULL) ||
      !sc_deadline_compute (spec, event, land, steps, &due, &error))
    {
      sc_finding_take_explanation (finding,
        g_strdup_printf (_("Deadline: %s; without a reference date no end is computed"), what));
      finding->confidence = 0.8;
      return;
    }
  {
    g_autofree char *iso = g_strdup_printf ("%04u-%02u-%02u", (guint) g_date_get_year (&due),
                                            (guint) g_date_get_month (&due),
                                            (guint) g_date_get_day (&due));
    g_autofree char *end = sc_date_format_long (&due);

    sc_finding_set_value (finding, iso);
    sc_finding_take_explanation (finding,
      g_strdup_printf (_("Deadline: %s; it ends on %s"), what, end));
  }
  for (guint i = 0; i < steps->len; i++)
    sc_finding_add_step (finding, g_ptr_array_index (steps, i));
  finding->confidence = 0.9;
}

void
sc_deadlines_find (const char  *text,
                   gssize       length,
                   const GDate *event,
                   ScLand       land,
                   GPtrArray   *out)
{
  g_autoptr(GPtrArray) dates = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_finding_unref);
  g_autoptr(GMatchInfo) info = NULL;
  GDate letter_date;
  gboolean have_letter_date = FALSE;
  const GDate *reference = event;
  gsize len;
  guint first_new;

  g_return_if_fail (text != NULL);
  g_return_if_fail (out != NULL);
  g_return_if_fail ((guint) land < SC_LAND_N_LANDS);

  len = length < 0 ? strlen (text) : (gsize) length;
  if (!ensure_regexes () || !g_utf8_validate (text, (gssize) len, NULL))
    return;
  first_new = out->len;

  sc_dates_find (text, (gssize) len, event, dates);

  /* the letter's own date: "Mainz, den 3. Februar 2025", "Datum: 03.02.2025" */
  for (guint i = 0; i < dates->len && !have_letter_date; i++)
    {
      ScFinding *d = g_ptr_array_index (dates, i);

      if (preceded_by (regexes[RE_LETTER_DATE_BEFORE], text, d->start, 60, NULL) &&
          date_from_value (d->value, &letter_date))
        have_letter_date = TRUE;
    }
  if (reference == NULL && have_letter_date)
    reference = &letter_date;

  /* fixed dates: "bis zum 15. März 2025", "spätestens am 3. März 2025" */
  for (guint i = 0; i < dates->len; i++)
    {
      ScFinding *d = g_ptr_array_index (dates, i);
      ScDeadlineSpec spec = { .unit = SC_DEADLINE_FIXED_DATE };
      gsize phrase_start = 0;
      g_autofree char *span = NULL;
      g_autofree char *what = NULL;
      ScFinding *finding;

      if (!date_from_value (d->value, &spec.fixed) ||
          !preceded_by (regexes[RE_FIXED_BEFORE], text, d->start, 48, &phrase_start))
        continue;
      span = g_strndup (text + phrase_start, d->end - phrase_start);
      finding = sc_finding_new (SC_FINDING_DEADLINE, NULL, span, phrase_start, d->end);
      what = g_strdup_printf (_("a fixed date, %s"), d->text);
      attach_computation (finding, &spec, NULL, land, what);
      g_ptr_array_add (out, finding);
    }

  /* periods: "innerhalb eines Monats nach Bekanntgabe", "binnen zwei Wochen" */
  g_regex_match_full (regexes[RE_PERIOD], text, (gssize) len, 0, 0, &info, NULL);
  for (; g_match_info_matches (info); g_match_info_next (info, NULL))
    {
      g_autofree char *number = g_match_info_fetch (info, 1);
      g_autofree char *unit = g_match_info_fetch (info, 2);
      g_autofree char *trigger = g_match_info_fetch (info, 3);
      g_autofree char *span = g_match_info_fetch (info, 0);
      g_autofree char *what = NULL;
      ScDeadlineSpec spec = { 0, };
      ScFinding *finding;
      int s = 0, e = 0;

      g_match_info_fetch_pos (info, 0, &s, &e);
      spec.amount = parse_number (number);
      if (spec.amount == 0)
        continue;
      if (g_str_has_prefix (unit, "Tag"))
        spec.unit = SC_DEADLINE_DAYS;
      else if (g_str_has_prefix (unit, "Woche"))
        spec.unit = SC_DEADLINE_WEEKS;
      else if (g_str_has_prefix (unit, "Monat"))
        spec.unit = SC_DEADLINE_MONTHS;
      else
        spec.unit = SC_DEADLINE_YEARS;
      /* Bekanntgabe of a letter whose date we know: posted that day, § 41 Abs. 2 VwVfG */
      spec.trigger = trigger != NULL && g_str_equal (trigger, "Bekanntgabe") && event == NULL &&
                     have_letter_date ? SC_DEADLINE_TRIGGER_POSTED : SC_DEADLINE_TRIGGER_EVENT;

      finding = sc_finding_new (SC_FINDING_DEADLINE, NULL, span, (gsize) s, (gsize) e);
      what = g_strdup_printf ("„%s“", span);
      attach_computation (finding, &spec, reference, land, what);
      g_ptr_array_add (out, finding);
    }

  for (guint i = first_new; i < out->len; i++)
    sc_finding_compute_code_points (g_ptr_array_index (out, i), text);
}
