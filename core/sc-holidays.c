/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-holidays.c: public holidays of the Federation and the 16 Länder, for § 193 BGB and
 * § 31 Abs. 3 VwVfG.
 *
 * Choices where a holiday holds only in part of a Land:
 * - Fronleichnam counts in BW, BY, HE, NW, RP and SL; its observance in some Catholic
 *   municipalities of Sachsen and Thüringen is not modelled.
 * - Mariä Himmelfahrt (15 August) counts in SL and in BY. In Bayern it is a holiday only in
 *   municipalities with a mainly Catholic population, which are most of them (Munich included);
 *   counting it for all of Bayern can only make a computed deadline later, never earlier.
 * - The Augsburger Friedensfest (8 August, city of Augsburg only) is not modelled.
 * - One-off holidays: Reformationstag 2017 everywhere; 8 May 2020 and 2025 in Berlin.
 * Sundays and Saturdays are not holidays here; sc_is_working_day() handles them. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-dates.h"

static const char *const land_codes[SC_LAND_N_LANDS] = {
  "BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH",
};

const char *
sc_land_to_string (ScLand land)
{
  g_return_val_if_fail ((guint) land < SC_LAND_N_LANDS, NULL);

  return land_codes[land];
}

int
sc_land_from_string (const char *name)
{
  g_return_val_if_fail (name != NULL, -1);

  if (g_ascii_strncasecmp (name, "DE-", 3) == 0)
    name += 3;
  for (int i = 0; i < SC_LAND_N_LANDS; i++)
    {
      if (g_ascii_strcasecmp (name, land_codes[i]) == 0)
        return i;
    }
  return -1;
}

void
sc_easter_sunday (guint  year,
                  GDate *out)
{
  guint a, b, c, d, e, f, g, h, i, k, l, m, month, day;

  g_return_if_fail (out != NULL);
  g_return_if_fail (year >= 1583 && year <= 9999);

  /* the anonymous Gregorian algorithm (Meeus/Jones/Butcher) */
  a = year % 19;
  b = year / 100;
  c = year % 100;
  d = b / 4;
  e = b % 4;
  f = (b + 8) / 25;
  g = (b - f + 1) / 3;
  h = (19 * a + b - d - g + 15) % 30;
  i = c / 4;
  k = c % 4;
  l = (32 + 2 * e + 2 * i - h - k) % 7;
  m = (a + 11 * h + 22 * l) / 451;
  month = (h + l - 7 * m + 114) / 31;
  day = (h + l - 7 * m + 114) % 31 + 1;
  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

static gboolean
land_in (ScLand        land,
         const ScLand *lands,
         gsize         n)
{
  for (gsize i = 0; i < n; i++)
    {
      if (lands[i] == land)
        return TRUE;
    }
  return FALSE;
}

#define LAND_IN(land, ...) \
  land_in ((land), (const ScLand[]) { __VA_ARGS__ }, \
           sizeof ((const ScLand[]) { __VA_ARGS__ }) / sizeof (ScLand))

/* The Wednesday before 23 November. */
static gboolean
is_buss_und_bettag (const GDate *date)
{
  guint day = g_date_get_day (date);

  return g_date_get_month (date) == G_DATE_NOVEMBER && day >= 16 && day <= 22 &&
         g_date_get_weekday (date) == G_DATE_WEDNESDAY;
}

const char *
sc_holiday_name (const GDate *date,
                 ScLand       land)
{
  GDate easter;
  guint year, month, day;
  int from_easter;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);
  g_return_val_if_fail ((guint) land < SC_LAND_N_LANDS, NULL);

  year = g_date_get_year (date);
  month = g_date_get_month (date);
  day = g_date_get_day (date);
  if (year < 1995 || year > 9999)
    return NULL;

  /* fixed dates */
  if (month == 1 && day == 1)
    return _("New Year's Day");
  if (month == 1 && day == 6 && LAND_IN (land, SC_LAND_BW, SC_LAND_BY, SC_LAND_ST))
    return _("Epiphany");
  if (month == 3 && day == 8 &&
      ((land == SC_LAND_BE && year >= 2019) || (land == SC_LAND_MV && year >= 2023)))
    return _("International Women's Day");
  if (month == 5 && day == 1)
    return _("Labour Day");
  if (month == 5 && day == 8 && land == SC_LAND_BE && (year == 2020 || year == 2025))
    return _("Day of Liberation");
  if (month == 8 && day == 15 && LAND_IN (land, SC_LAND_SL, SC_LAND_BY))
    return _("Assumption Day");
  if (month == 9 && day == 20 && land == SC_LAND_TH && year >= 2019)
    return _("World Children's Day");
  if (month == 10 && day == 3)
    return _("Day of German Unity");
  if (month == 10 && day == 31 &&
      (year == 2017 ||
       LAND_IN (land, SC_LAND_BB, SC_LAND_MV, SC_LAND_SN, SC_LAND_ST, SC_LAND_TH) ||
       (year >= 2018 && LAND_IN (land, SC_LAND_HB, SC_LAND_HH, SC_LAND_NI, SC_LAND_SH))))
    return _("Reformation Day");
  if (month == 11 && day == 1 &&
      LAND_IN (land, SC_LAND_BW, SC_LAND_BY, SC_LAND_NW, SC_LAND_RP, SC_LAND_SL))
    return _("All Saints' Day");
  if (land == SC_LAND_SN && is_buss_und_bettag (date))
    return _("Day of Repentance and Prayer");
  if (month == 12 && day == 25)
    return _("Christmas Day");
  if (month == 12 && day == 26)
    return _("Second Day of Christmas");

  /* moveable feasts */
  sc_easter_sunday (year, &easter);
  from_easter = g_date_days_between (&easter, date);
  switch (from_easter)
    {
    case -2:
      return _("Good Friday");
    case 1:
      return _("Easter Monday");
    case 39:
      return _("Ascension Day");
    case 50:
      return _("Whit Monday");
    case 60:
      if (LAND_IN (land, SC_LAND_BW, SC_LAND_BY, SC_LAND_HE, SC_LAND_NW, SC_LAND_RP,
                   SC_LAND_SL))
        return _("Corpus Christi");
      break;
    default:
      break;
    }
  return NULL;
}

gboolean
sc_is_working_day (const GDate *date,
                   ScLand       land)
{
  GDateWeekday weekday;

  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);

  weekday = g_date_get_weekday (date);
  if (weekday == G_DATE_SATURDAY || weekday == G_DATE_SUNDAY)
    return FALSE;
  return sc_holiday_name (date, land) == NULL;
}
