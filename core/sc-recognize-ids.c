/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-recognize-ids.c: numbers with a check digit or a fixed format: IBAN, BIC, Steuer-IdNr.,
 * Steuernummer, Sozialversicherungsnummer, Personalausweis- and Reisepassnummer. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-recognizers.h"
#include "sc-recognizers-private.h"

/* ---- IBAN -------------------------------------------------------------------------------- */

/* IBAN lengths of the SEPA countries (EPC409-09, IBAN registry of SWIFT). */
static const struct { char cc[3]; guint8 length; } iban_lengths[] = {
  { "AD", 24 }, { "AT", 20 }, { "BE", 16 }, { "BG", 22 }, { "CH", 21 }, { "CY", 28 },
  { "CZ", 24 }, { "DE", 22 }, { "DK", 18 }, { "EE", 20 }, { "ES", 24 }, { "FI", 18 },
  { "FR", 27 }, { "GB", 22 }, { "GI", 23 }, { "GR", 27 }, { "HR", 21 }, { "HU", 28 },
  { "IE", 22 }, { "IS", 26 }, { "IT", 27 }, { "LI", 21 }, { "LT", 20 }, { "LU", 20 },
  { "LV", 21 }, { "MC", 27 }, { "MT", 31 }, { "NL", 18 }, { "NO", 15 }, { "PL", 28 },
  { "PT", 25 }, { "RO", 24 }, { "SE", 24 }, { "SI", 19 }, { "SK", 24 }, { "SM", 27 },
  { "VA", 22 },
};

static guint
iban_length (const char *cc)
{
  for (guint i = 0; i < G_N_ELEMENTS (iban_lengths); i++)
    {
      if (cc[0] == iban_lengths[i].cc[0] && cc[1] == iban_lengths[i].cc[1])
        return iban_lengths[i].length;
    }
  return 0;
}

gboolean
sc_iban_is_valid (const char *iban)
{
  gsize len;
  guint rem = 0;

  g_return_val_if_fail (iban != NULL, FALSE);

  len = strlen (iban);
  if (len < 15 || len > 34 || !g_ascii_isupper (iban[0]) || !g_ascii_isupper (iban[1]) ||
      !g_ascii_isdigit (iban[2]) || !g_ascii_isdigit (iban[3]) || iban_length (iban) != len)
    return FALSE;
  /* move the first four characters to the end, letters become 10 … 35, then mod 97 */
  for (gsize k = 0; k < len; k++)
    {
      char c = iban[(k + 4) % len];

      if (g_ascii_isdigit (c))
        rem = (rem * 10 + (guint) (c - '0')) % 97;
      else if (g_ascii_isupper (c))
        rem = (rem * 100 + (guint) (c - 'A' + 10)) % 97;
      else
        return FALSE;
    }
  return rem == 1;
}

static void
find_ibans (ScScan *scan)
{
  const char *t = scan->text;

  for (gsize i = 0; i + 15 <= scan->length; i++)
    {
      char compact[35];
      guint want, n = 0;
      gsize j;

      if (!g_ascii_isupper (t[i]) || !g_ascii_isupper (t[i + 1]) ||
          !g_ascii_isdigit (t[i + 2]) || !g_ascii_isdigit (t[i + 3]) ||
          _sc_alnum_before (t, i) || (want = iban_length (t + i)) == 0)
        continue;
      /* the characters, in groups separated by single spaces */
      for (j = i; j < scan->length && n < want; j++)
        {
          if (g_ascii_isalnum (t[j]))
            compact[n++] = g_ascii_toupper (t[j]);
          else if (t[j] == ' ' && j > i && g_ascii_isalnum (t[j - 1]) && j + 1 < scan->length &&
                   g_ascii_isalnum (t[j + 1]))
            continue;
          else
            break;
        }
      compact[n] = '\0';
      if (n != want || _sc_alnum_at (t, scan->length, j) || !sc_iban_is_valid (compact))
        continue;
      {
        char cc[3] = { compact[0], compact[1], '\0' };

        _sc_scan_add (scan, SC_FINDING_IBAN, "IBAN", i, j, compact, 0.99,
                      g_strdup_printf (_("IBAN with country code %s; the ISO 13616 check digits "
                                         "(mod 97) are valid"), cc));
      }
      i = j - 1;
    }
}

/* ---- BIC --------------------------------------------------------------------------------- */

static gboolean
known_country (const char *cc)
{
  static const char *const others[] = {
    "US", "CA", "AU", "JP", "CN", "TR", "RU", "UA", "RS", "BA", "ME", "MK", "AL", "XK", "MD",
    "BY", "IL", "IN", "BR", "ZA", "SG", "HK", "AE", "KR", "MX", "NZ", "TN", "MA", "EG",
  };

  if (iban_length (cc) != 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      if (cc[0] == others[i][0] && cc[1] == others[i][1])
        return TRUE;
    }
  return FALSE;
}

static void
find_bics (ScScan *scan)
{
  static GRegex *regex;
  static const char *const context[] = { "BIC", "SWIFT", NULL };
  g_autoptr(GMatchInfo) info = NULL;

  _sc_regex_once (&regex, "(?<![\\p{L}\\p{N}])[A-Z]{4}([A-Z]{2})[A-Z0-9]{2}(?:[A-Z0-9]{3})?"
                          "(?![\\p{L}\\p{N}])");
  g_regex_match_full (regex, scan->text, (gssize) scan->length, 0, 0, &info, NULL);
  for (; g_match_info_matches (info); g_match_info_next (info, NULL))
    {
      int s, e;
      g_autofree char *cc = g_match_info_fetch (info, 1);
      g_autofree char *bic = g_match_info_fetch (info, 0);
      gboolean near = FALSE, has_digit = strpbrk (bic, "0123456789") != NULL;

      g_match_info_fetch_pos (info, 0, &s, &e);
      if (!known_country (cc))
        continue;
      near = _sc_scan_context_before (scan, (gsize) s, 24, context);
      /* eight or eleven capitals are often just a word in capitals: demand a hint */
      if (!near && !has_digit && strlen (bic) != 11)
        continue;
      _sc_scan_add (scan, SC_FINDING_BIC, "BIC", (gsize) s, (gsize) e, bic, near ? 0.95 : 0.5,
                    near ? g_strdup_printf (_("Bank identifier code (BIC) after “BIC” or “SWIFT”; "
                                              "country code %s"), cc)
                         : g_strdup_printf (_("Has the form of a bank identifier code (BIC) "
                                              "with country code %s"), cc));
    }
}

/* ---- Steuer-IdNr. and Steuernummer ------------------------------------------------------- */

gboolean
sc_tax_id_is_valid (const char *digits)
{
  guint counts[10] = { 0, };
  guint product = 10, check, repeated = 0;

  g_return_val_if_fail (digits != NULL, FALSE);

  if (strlen (digits) != 11 || digits[0] == '0')
    return FALSE;
  for (guint i = 0; i < 11; i++)
    {
      if (!g_ascii_isdigit (digits[i]))
        return FALSE;
    }
  /* in the first ten digits exactly one digit occurs twice or three times (since 2016), the
   * others at most once, and no digit three times in a row */
  for (guint i = 0; i < 10; i++)
    counts[digits[i] - '0']++;
  for (guint d = 0; d < 10; d++)
    {
      if (counts[d] > 3)
        return FALSE;
      if (counts[d] >= 2)
        repeated++;
    }
  if (repeated != 1)
    return FALSE;
  for (guint i = 0; i + 2 < 10; i++)
    {
      if (digits[i] == digits[i + 1] && digits[i] == digits[i + 2])
        return FALSE;
    }
  /* ISO 7064 MOD 11,10 */
  for (guint i = 0; i < 10; i++)
    {
      guint sum = ((guint) (digits[i] - '0') + product) % 10;

      if (sum == 0)
        sum = 10;
      product = (2 * sum) % 11;
    }
  check = 11 - product;
  if (check == 10)
    check = 0;
  return check == (guint) (digits[10] - '0');
}

static void
find_tax_ids (ScScan *scan)
{
  static GRegex *regex, *st_regex;
  static const char *const id_context[] = {
    "Identifikationsnummer", "IdNr", "Id-Nr", "Steuer-ID", "Steuer-Id", "TIN", NULL,
  };
  static const char *const st_context[] = {
    "Steuernummer", "St.-Nr", "StNr", "St-Nr", "Steuer-Nr", NULL,
  };
  g_autoptr(GMatchInfo) info = NULL;

  _sc_regex_once (&regex, "(?<![\\p{L}\\p{N}/.,-])(\\d{2} ?\\d{3} ?\\d{3} ?\\d{3})"
                          "(?![\\p{L}\\p{N}]|[/.,-]\\d)");
  g_regex_match_full (regex, scan->text, (gssize) scan->length, 0, 0, &info, NULL);
  for (; g_match_info_matches (info); g_match_info_next (info, NULL))
    {
      int s, e;
      g_autofree char *raw = g_match_info_fetch (info, 1);
      GString *digits = g_string_new (NULL);
      gboolean near;

      for (const char *p = raw; *p != '\0'; p++)
        {
          if (g_ascii_isdigit (*p))
            g_string_append_c (digits, *p);
        }
      g_match_info_fetch_pos (info, 1, &s, &e);
      if (sc_tax_id_is_valid (digits->str))
        {
          near = _sc_scan_context_before (scan, (gsize) s, 40, id_context);
          _sc_scan_add (scan, SC_FINDING_TAX_ID, "Steuer-IdNr.", (gsize) s, (gsize) e,
                        digits->str, near ? 0.99 : 0.9,
                        g_strdup (_("Tax identification number (Steuer-IdNr.): 11 digits, one "
                                    "digit repeated as the rules require, and the ISO 7064 "
                                    "MOD 11,10 check digit is valid")));
        }
      g_string_free (digits, TRUE);
    }

  /* Steuernummer: the 13-digit federal form or a Land's form, only after its name */
  g_clear_pointer (&info, g_match_info_free);
  _sc_regex_once (&st_regex, "(?<![\\p{L}\\p{N}/.-])(\\d{2,3}/\\d{3,4}/\\d{4,5}|\\d{13}|"
                             "\\d{3} \\d{3} \\d{5}|\\d{5}/\\d{5})(?![\\p{L}\\p{N}]|[/.-]\\d)");
  g_regex_match_full (st_regex, scan->text, (gssize) scan->length, 0, 0, &info, NULL);
  for (; g_match_info_matches (info); g_match_info_next (info, NULL))
    {
      int s, e;
      g_autofree char *raw = g_match_info_fetch (info, 1);

      g_match_info_fetch_pos (info, 1, &s, &e);
      if (!_sc_scan_context_before (scan, (gsize) s, 32, st_context))
        continue;
      _sc_scan_add (scan, SC_FINDING_TAX_ID, "Steuernummer", (gsize) s, (gsize) e, raw, 0.9,
                    g_strdup (_("Tax number (Steuernummer) in one of the forms the tax offices "
                                "use, after the word “Steuernummer”")));
    }
}

/* ---- Sozialversicherungsnummer ----------------------------------------------------------- */

static guint
cross_sum (guint n)
{
  return n / 10 + n % 10;
}

gboolean
sc_social_security_number_is_valid (const char *svnr)
{
  static const guint weights[12] = { 2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1 };
  guint digits[12], sum = 0, day, month, letter;

  g_return_val_if_fail (svnr != NULL, FALSE);

  if (strlen (svnr) != 12 || !g_ascii_isupper (svnr[8]))
    return FALSE;
  for (guint i = 0; i < 12; i++)
    {
      if (i != 8 && !g_ascii_isdigit (svnr[i]))
        return FALSE;
    }
  /* birth date DDMMYY; days above 31 are not issued in this form */
  day = (guint) (svnr[2] - '0') * 10 + (guint) (svnr[3] - '0');
  month = (guint) (svnr[4] - '0') * 10 + (guint) (svnr[5] - '0');
  if (day < 1 || day > 31 || month < 1 || month > 12)
    return FALSE;
  /* area and date, the letter as its two-digit place in the alphabet, the serial number */
  letter = (guint) (svnr[8] - 'A') + 1;
  for (guint i = 0; i < 8; i++)
    digits[i] = (guint) (svnr[i] - '0');
  digits[8] = letter / 10;
  digits[9] = letter % 10;
  digits[10] = (guint) (svnr[9] - '0');
  digits[11] = (guint) (svnr[10] - '0');
  for (guint i = 0; i < 12; i++)
    sum += cross_sum (digits[i] * weights[i]);
  return sum % 10 == (guint) (svnr[11] - '0');
}

static void
find_social_security_numbers (ScScan *scan)
{
  static GRegex *regex;
  g_autoptr(GMatchInfo) info = NULL;

  _sc_regex_once (&regex, "(?<![\\p{L}\\p{N}])(\\d{2}) ?(\\d{6}) ?([A-Z]) ?(\\d{2}) ?(\\d)"
                          "(?![\\p{L}\\p{N}])");
  g_regex_match_full (regex, scan->text, (gssize) scan->length, 0, 0, &info, NULL);
  for (; g_match_info_matches (info); g_match_info_next (info, NULL))
    {
      int s, e;
      g_autofree char *compact = NULL;
      char *parts[5];

      for (int i = 0; i < 5; i++)
        parts[i] = g_match_info_fetch (info, i + 1);
      compact = g_strconcat (parts[0], parts[1], parts[2], parts[3], parts[4], NULL);
      for (int i = 0; i < 5; i++)
        g_free (parts[i]);
      g_match_info_fetch_pos (info, 0, &s, &e);
      if (!sc_social_security_number_is_valid (compact))
        continue;
      _sc_scan_add (scan, SC_FINDING_SOCIAL_SECURITY_NUMBER, "SV-Nummer", (gsize) s,
                    (gsize) e, compact, 0.97,
                    g_strdup (_("Social security number (Rentenversicherungsnummer): area, "
                                "date of birth, initial letter and serial number; the check "
                                "digit of the Deutsche Rentenversicherung is valid")));
    }
}

/* ---- Personalausweis and Reisepass ------------------------------------------------------- */

static guint
icao_value (char c)
{
  if (g_ascii_isdigit (c))
    return (guint) (c - '0');
  if (g_ascii_isupper (c))
    return (guint) (c - 'A') + 10;
  return 0;  /* the filler '<' */
}

gboolean
sc_icao_check_digit_is_valid (const char *chars,
                              gsize       n)
{
  static const guint weights[3] = { 7, 3, 1 };
  guint sum = 0;

  g_return_val_if_fail (chars != NULL, FALSE);

  if (strlen (chars) < n + 1 || !g_ascii_isdigit (chars[n]))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    sum += icao_value (chars[i]) * weights[i % 3];
  return sum % 10 == (guint) (chars[n] - '0');
}

static void
find_id_documents (ScScan *scan)
{
  static GRegex *regex;
  static const char *const context[] = {
    "Personalausweis", "Ausweisnummer", "Ausweis-Nr", "Ausweisnr", "Reisepass", "Passnummer",
    "Pass-Nr", "Dokumentennummer", NULL,
  };
  g_autoptr(GMatchInfo) info = NULL;

  /* the serial number of German ID cards and passports since 2010: nine characters from
   * C F G H J K L M N P R T V W X Y Z and digits, a letter first; optionally the check digit */
  _sc_regex_once (&regex, "(?<![\\p{L}\\p{N}])([CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8})"
                          "(\\d)?(?![\\p{L}\\p{N}])");
  g_regex_match_full (regex, scan->text, (gssize) scan->length, 0, 0, &info, NULL);
  for (; g_match_info_matches (info); g_match_info_next (info, NULL))
    {
      int s, e;
      g_autofree char *all = g_match_info_fetch (info, 0);
      g_autofree char *serial = g_match_info_fetch (info, 1);
      gboolean has_check = strlen (all) == 10;
      gboolean near, valid;
      guint n_digits = 0;

      g_match_info_fetch_pos (info, 0, &s, &e);
      for (const char *p = serial; *p != '\0'; p++)
        n_digits += g_ascii_isdigit (*p) ? 1 : 0;
      if (n_digits < 3)
        continue;
      near = _sc_scan_context_before (scan, (gsize) s, 48, context);
      valid = has_check && sc_icao_check_digit_is_valid (all, 9);
      /* a wrong check digit rules the number out; without one the context must say it */
      if (has_check ? !valid : !near)
        continue;
      _sc_scan_add (scan, SC_FINDING_ID_DOCUMENT_NUMBER, "Ausweisnummer", (gsize) s, (gsize) e,
                    all, valid && near ? 0.98 : valid ? 0.8 : 0.75,
                    valid ? g_strdup (_("Serial number of an ID card or passport; the ICAO 9303 "
                                        "check digit (weights 7, 3, 1) is valid"))
                          : g_strdup (_("Serial number of an ID card or passport, after a word "
                                        "such as “Personalausweis” or “Reisepass”")));
    }
}

void
_sc_recognize_ids (ScScan *scan)
{
  find_ibans (scan);
  find_bics (scan);
  find_tax_ids (scan);
  find_social_security_numbers (scan);
  find_id_documents (scan);
}
