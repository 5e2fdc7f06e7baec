/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-recognizers.c: the rule recognisers: valid values, wrong check digits and look-alikes
 * that must not fire. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <stdarg.h>
#include <string.h>
#include <glib.h>

#include "sichtung-core.h"
#include "sc-gazetteer.h"

static GPtrArray *
recognize (const char *text)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *found = sc_recognize (text, -1, NULL, SC_LAND_RP,
                                   SC_RECOGNIZE_NO_DATES | SC_RECOGNIZE_NO_DEADLINES, &error);

  g_assert_no_error (error);
  g_assert_nonnull (found);
  for (guint i = 0; i < found->len; i++)
    {
      ScFinding *f = g_ptr_array_index (found, i);

      g_assert_nonnull (f->explanation);
      g_assert_cmpstr (f->explanation, !=, "");
      g_assert_cmpfloat (f->confidence, >, 0.0);
      g_assert_cmpfloat (f->confidence, <=, 1.0);
    }
  return found;
}

/* The first finding of @category in @text, or NULL; the caller unrefs it. */
static ScFinding *
first_of (const char        *text,
          ScFindingCategory  category)
{
  g_autoptr(GPtrArray) found = recognize (text);

  for (guint i = 0; i < found->len; i++)
    {
      ScFinding *f = g_ptr_array_index (found, i);

      if (f->category == category)
        return sc_finding_ref (f);
    }
  return NULL;
}

static void
expect (const char        *text,
        ScFindingCategory  category,
        const char        *span,
        const char        *value)
{
  g_autoptr(ScFinding) f = first_of (text, category);

  if (f == NULL)
    g_error ("no %s in “%s”", sc_finding_category_to_string (category), text);
  g_assert_cmpstr (f->text, ==, span);
  if (value != NULL)
    g_assert_cmpstr (f->value, ==, value);
}

static void
expect_none (const char        *text,
             ScFindingCategory  category)
{
  g_autoptr(ScFinding) f = first_of (text, category);

  if (f != NULL)
    g_error ("unexpected %s “%s” in “%s”", sc_finding_category_to_string (category), f->text,
             text);
}

/* Like expect(), and the explanation contains each of the NULL-terminated @words. */
static void
expect_explained (const char        *text,
                  ScFindingCategory  category,
                  const char        *span,
                  const char        *value,
                  ...)
{
  g_autoptr(ScFinding) f = first_of (text, category);
  va_list args;

  if (f == NULL)
    g_error ("no %s in “%s”", sc_finding_category_to_string (category), text);
  g_assert_cmpstr (f->text, ==, span);
  if (value != NULL)
    g_assert_cmpstr (f->value, ==, value);
  va_start (args, value);
  for (const char *word = va_arg (args, const char *); word != NULL;
       word = va_arg (args, const char *))
    {
      if (strstr (f->explanation, word) == NULL)
        g_error ("“%s” lacks “%s”", f->explanation, word);
    }
  va_end (args);
}

static void
test_finding (void)
{
  g_autoptr(ScFinding) f = sc_finding_new (SC_FINDING_IBAN, "IBAN", "x", 0, 1);

  for (int i = 0; i < SC_FINDING_N_CATEGORIES; i++)
    {
      const char *name = sc_finding_category_to_string (i);

      g_assert_cmpint (sc_finding_category_from_string (name), ==, i);
      g_assert_nonnull (sc_finding_category_get_display_name (i));
    }
  g_assert_cmpstr (sc_finding_category_to_string (SC_FINDING_SOCIAL_SECURITY_NUMBER), ==,
                   "social-security-number");
  g_assert_cmpint (sc_finding_category_from_string ("nonsense"), ==, -1);
  sc_finding_add_step (f, "one");
  g_assert_cmpuint (f->steps->len, ==, 1);
  g_assert_cmpstr (sc_finding_source_to_string (f->source), ==, "rule");
}

static void
test_iban (void)
{
  g_autoptr(ScFinding) f = NULL;

  g_assert_true (sc_iban_is_valid ("DE89370400440532013000"));
  g_assert_false (sc_iban_is_valid ("DE89370400440532013001"));
  g_assert_true (sc_iban_is_valid ("AT611904300234573201"));
  g_assert_true (sc_iban_is_valid ("FR1420041010050500013M02606"));
  g_assert_false (sc_iban_is_valid ("DE8937040044053201300"));   /* one short */
  expect ("IBAN: DE89 3704 0044 0532 0130 00.", SC_FINDING_IBAN,
          "DE89 3704 0044 0532 0130 00", "DE89370400440532013000");
  expect ("IBAN DE89370400440532013000 bei", SC_FINDING_IBAN, "DE89370400440532013000", NULL);
  expect ("NL91ABNA0417164300", SC_FINDING_IBAN, "NL91ABNA0417164300", NULL);
  f = first_of ("DE89 3704 0044 0532 0130 00", SC_FINDING_IBAN);
  g_assert_nonnull (strstr (f->explanation, "DE"));
  /* one digit changed: neither an IBAN nor a phone number */
  expect_none ("IBAN: DE89 3704 0044 0532 0130 01.", SC_FINDING_IBAN);
  expect_none ("IBAN: DE89 3704 0044 0532 0130 01.", SC_FINDING_PHONE);
}

static void
test_bic (void)
{
  expect ("BIC: COBADEFFXXX", SC_FINDING_BIC, "COBADEFFXXX", NULL);
  expect ("SWIFT MARKDEF1550", SC_FINDING_BIC, "MARKDEF1550", NULL);
  expect_none ("DIE VERWALTUNG", SC_FINDING_BIC);
  expect_none ("BIC: ABCDQQ22", SC_FINDING_BIC);   /* no such country */
}

static void
test_tax_id (void)
{
  g_assert_true (sc_tax_id_is_valid ("12345678995"));
  g_assert_false (sc_tax_id_is_valid ("12345678996"));  /* check digit */
  g_assert_false (sc_tax_id_is_valid ("02345678995"));  /* leading zero */
  g_assert_false (sc_tax_id_is_valid ("12345678905"));  /* no digit repeated */
  g_assert_false (sc_tax_id_is_valid ("11123456789"));  /* three in a row */
  expect ("Steuer-IdNr.: 12 345 678 995", SC_FINDING_TAX_ID, "12 345 678 995", "12345678995");
  expect ("ID 12345678995", SC_FINDING_TAX_ID, "12345678995", NULL);
  expect_none ("Nummer 12345678996", SC_FINDING_TAX_ID);
  expect_none ("Nummer 98765432101", SC_FINDING_TAX_ID);
  expect ("Steuernummer: 27/123/45678", SC_FINDING_TAX_ID, "27/123/45678", NULL);
  expect ("St.-Nr. 2712345678901", SC_FINDING_TAX_ID, "2712345678901", NULL);
  expect_none ("Vorgang 27/123/45678", SC_FINDING_TAX_ID);
}

static void
test_social_security (void)
{
  g_assert_true (sc_social_security_number_is_valid ("15070649C103"));
  g_assert_false (sc_social_security_number_is_valid ("15070649C104"));
  g_assert_false (sc_social_security_number_is_valid ("15073249C103"));  /* month 32 */
  expect ("Versicherungsnummer 15 070649 C 103", SC_FINDING_SOCIAL_SECURITY_NUMBER,
          "15 070649 C 103", "15070649C103");
  expect ("15070649C103", SC_FINDING_SOCIAL_SECURITY_NUMBER, "15070649C103", NULL);
  expect_none ("15 070649 C 104", SC_FINDING_SOCIAL_SECURITY_NUMBER);
}

static void
test_id_document (void)
{
  g_assert_true (sc_icao_check_digit_is_valid ("T220001293", 9));
  g_assert_false (sc_icao_check_digit_is_valid ("T220001294", 9));
  expect ("Nr. T220001293", SC_FINDING_ID_DOCUMENT_NUMBER, "T220001293", NULL);
  expect ("Personalausweis Nr. T22000129", SC_FINDING_ID_DOCUMENT_NUMBER, "T22000129", NULL);
  expect_none ("Nr. T220001294", SC_FINDING_ID_DOCUMENT_NUMBER);
  expect_none ("Nr. T22000129", SC_FINDING_ID_DOCUMENT_NUMBER);
}

static void
test_phone (void)
{
  expect ("Tel. 06131 987-6543", SC_FINDING_PHONE, "06131 987-6543", "+4961319876543");
  expect ("mobil 0151 23456789", SC_FINDING_PHONE, "0151 23456789", "+4915123456789");
  expect ("Ruf (0 61 31) 98 76 54", SC_FINDING_PHONE, "(0 61 31) 98 76 54", "+496131987654");
  expect ("+49 6131 9876543", SC_FINDING_PHONE, "+49 6131 9876543", "+4961319876543");
  expect ("0049 6131 9876543", SC_FINDING_PHONE, "0049 6131 9876543", "+4961319876543");
  expect ("+49 (0) 6131 9876543", SC_FINDING_PHONE, "+49 (0) 6131 9876543", "+4961319876543");
  /* not phone numbers: dates, amounts, case numbers, postal codes */
  expect_none ("am 03.02.2025", SC_FINDING_PHONE);
  expect_none ("3.412,50 EUR", SC_FINDING_PHONE);
  expect_none ("Az. 0815/2024", SC_FINDING_PHONE);
  expect_none ("8 AZR 418/15", SC_FINDING_PHONE);
  expect_none ("01067 Dresden", SC_FINDING_PHONE);
}

static void
test_email_url (void)
{
  expect ("an max.mustermann@example.de.", SC_FINDING_EMAIL, "max.mustermann@example.de", NULL);
  expect ("siehe https://www.mainz.de/service.", SC_FINDING_URL,
          "https://www.mainz.de/service", NULL);
  expect ("siehe www.rlp.de, dort", SC_FINDING_URL, "www.rlp.de", NULL);
  expect_none ("user at example dot de", SC_FINDING_EMAIL);
}

static void
test_address (void)
{
  expect ("wohnhaft Lindenstraße 12, 55116 Mainz.", SC_FINDING_ADDRESS,
          "Lindenstraße 12, 55116 Mainz", NULL);
  expect ("Am Schlossplatz 7", SC_FINDING_ADDRESS, "Am Schlossplatz 7", NULL);
  expect ("Kaiser-Wilhelm-Ring 3a", SC_FINDING_ADDRESS, "Kaiser-Wilhelm-Ring 3a", NULL);
  expect ("Mainzer Straße 5", SC_FINDING_ADDRESS, "Mainzer Straße 5", NULL);
  expect ("in 55116 Mainz", SC_FINDING_ADDRESS, "55116 Mainz", "55116 Mainz");
  expect_none ("Im Jahr 2009", SC_FINDING_ADDRESS);
  expect_none ("10000 Euro", SC_FINDING_ADDRESS);
}

static void
test_plate_money (void)
{
  expect ("Kennzeichen MZ-AB 1234", SC_FINDING_LICENSE_PLATE, "MZ-AB 1234", "MZ-AB 1234");
  expect ("B AB 123E", SC_FINDING_LICENSE_PLATE, "B AB 123E", NULL);
  expect_none ("§ 25 SGB X 12", SC_FINDING_LICENSE_PLATE);
  expect ("von 3.412,50 EUR", SC_FINDING_MONEY, "3.412,50 EUR", "3412.50 EUR");
  expect ("1.000 € Bußgeld", SC_FINDING_MONEY, "1.000 €", "1000 EUR");
  expect ("EUR 50,- Gebühr", SC_FINDING_MONEY, "EUR 50,-", "50 EUR");
  expect ("5 Mio. Euro", SC_FINDING_MONEY, "5 Mio. Euro", "5 Mio. EUR");
  expect_none ("8 AZR 418/15", SC_FINDING_MONEY);
}

static void
test_norms (void)
{
  g_autoptr(ScFinding) f = NULL;

  expect ("nach § 35 Satz 1 VwVfG", SC_FINDING_LEGAL_NORM, "§ 35 Satz 1 VwVfG", "§ 35 S. 1 VwVfG");
  expect ("§§ 187 ff. BGB", SC_FINDING_LEGAL_NORM, "§§ 187 ff. BGB", "§§ 187 ff. BGB");
  expect ("§ 14 Abs. 1 WoGG", SC_FINDING_LEGAL_NORM, "§ 14 Abs. 1 WoGG", NULL);
  expect ("Art. 6 Abs. 1 lit. e DSGVO", SC_FINDING_LEGAL_NORM, "Art. 6 Abs. 1 lit. e DSGVO",
          NULL);
  expect ("Artikel 3 Absatz 1 GG", SC_FINDING_LEGAL_NORM, "Artikel 3 Absatz 1 GG",
          "Art. 3 Abs. 1 GG");
  expect ("§ 3a Abs. 2 VwVfG", SC_FINDING_LEGAL_NORM, "§ 3a Abs. 2 VwVfG", NULL);
  expect ("§ 25 SGB X", SC_FINDING_LEGAL_NORM, "§ 25 SGB X", NULL);
  expect ("Verordnung (EU) 2016/679", SC_FINDING_LEGAL_NORM, "Verordnung (EU) 2016/679", NULL);
  expect_none ("nach § 35 entschieden", SC_FINDING_LEGAL_NORM);
  f = first_of ("§ 35 VwVfG", SC_FINDING_LEGAL_NORM);
  g_assert_nonnull (strstr (f->explanation, "Verwaltungsverfahrensgesetz"));
  g_assert_cmpfloat (f->confidence, >, 0.9);
  g_clear_pointer (&f, sc_finding_unref);
  f = first_of ("§ 3 XyzQG", SC_FINDING_LEGAL_NORM);
  g_assert_nonnull (f);
  g_assert_cmpfloat (f->confidence, <, 0.7);
}

static void
test_street_directory (void)
{
  g_assert_true (sc_gazetteer_is_street ("Zeil"));
  g_assert_true (sc_gazetteer_is_street ("Unter den Linden"));
  g_assert_false (sc_gazetteer_is_street ("Anlage"));   /* an ordinary word */
  g_assert_false (sc_gazetteer_is_street ("Haus"));

  /* only the directory knows these */
  expect_explained ("wohnhaft Zeil 12", SC_FINDING_ADDRESS, "Zeil 12", NULL,
                    "Zeil", "OpenStreetMap", NULL);
  expect_explained ("Unter den Linden 5", SC_FINDING_ADDRESS, "Unter den Linden 5", NULL,
                    "Unter den Linden", "OpenStreetMap", NULL);
  expect ("Platz der Deutschen Einheit 1", SC_FINDING_ADDRESS, "Platz der Deutschen Einheit 1",
          NULL);
  expect ("Zeil 12, 60313 Frankfurt", SC_FINDING_ADDRESS, "Zeil 12, 60313 Frankfurt",
          "Zeil 12, 60313 Frankfurt");
  /* the form and the directory agree */
  expect_explained ("Am Römerberg 3", SC_FINDING_ADDRESS, "Am Römerberg 3", NULL,
                    "OpenStreetMap", NULL);
  expect_explained ("Kaiserstraße 12a", SC_FINDING_ADDRESS, "Kaiserstraße 12a", NULL,
                    "Kaiserstraße", "OpenStreetMap", NULL);
  /* words that are also street names */
  expect_none ("siehe Anlage 3", SC_FINDING_ADDRESS);
  expect_none ("im Haus 2", SC_FINDING_ADDRESS);
  expect_none ("auf Seite 3", SC_FINDING_ADDRESS);
  expect_none ("Teil 2 des Bescheids", SC_FINDING_ADDRESS);
  expect_none ("zeil 12", SC_FINDING_ADDRESS);
  expect_none ("Zeil 12 Jahre", SC_FINDING_ADDRESS);
  expect_none ("Die Eremitage 3 ist", SC_FINDING_ADDRESS);
  expect_none ("Zeil 2024", SC_FINDING_ADDRESS);
}

static void
test_plates (void)
{
  g_autoptr(ScFinding) f = NULL;

  g_assert_cmpstr (sc_gazetteer_plate_district ("MZ"), ==, "Mainz / Landkreis Mainz-Bingen");
  g_assert_nonnull (sc_gazetteer_plate_district ("THW"));
  g_assert_nonnull (sc_gazetteer_plate_district ("AÖ"));
  g_assert_nonnull (sc_gazetteer_plate_district ("0"));
  g_assert_null (sc_gazetteer_plate_district ("QX"));

  expect_explained ("Kennzeichen MZ-AB 1234", SC_FINDING_LICENSE_PLATE, "MZ-AB 1234",
                    "MZ-AB 1234", "MZ", "Mainz / Landkreis Mainz-Bingen", NULL);
  expect ("Halter des AÖ-X 12", SC_FINDING_LICENSE_PLATE, "AÖ-X 12", "AÖ-X 12");
  expect ("Oldtimer TÖL-AB 12H", SC_FINDING_LICENSE_PLATE, "TÖL-AB 12H", "TÖL-AB 12H");
  expect ("HH XY 99E", SC_FINDING_LICENSE_PLATE, "HH XY 99E", "HH-XY 99E");
  expect ("Kennzeichen DIN-AB 12", SC_FINDING_LICENSE_PLATE, "DIN-AB 12", NULL);
  expect_explained ("Dienstfahrzeug Y-123 456", SC_FINDING_LICENSE_PLATE, "Y-123 456", NULL,
                    "Bundeswehr", NULL);
  expect ("Kennzeichen 0-166-12", SC_FINDING_LICENSE_PLATE, "0-166-12", NULL);
  expect ("Kennzeichen THW-84123", SC_FINDING_LICENSE_PLATE, "THW-84123", NULL);
  /* unknown district codes and look-alikes */
  expect_none ("QX CD 123", SC_FINDING_LICENSE_PLATE);
  expect_none ("XYZ-AB 12", SC_FINDING_LICENSE_PLATE);
  expect_none ("zertifiziert nach ISO 9001", SC_FINDING_LICENSE_PLATE);
  expect_none ("Papier DIN A4", SC_FINDING_LICENSE_PLATE);
  expect_none ("gemäß Art 12", SC_FINDING_LICENSE_PLATE);
  expect_none ("Nr 5", SC_FINDING_LICENSE_PLATE);
  expect_none ("Y-123 456", SC_FINDING_LICENSE_PLATE);   /* authority plates need a cue */
  expect_none ("Y-AB 12", SC_FINDING_LICENSE_PLATE);
  expect_none ("Bundesministerium der Verteidigung - R II 2 -", SC_FINDING_LICENSE_PLATE);
  expect_none ("ABl. EG L 344 vom", SC_FINDING_LICENSE_PLATE);
  expect_none ("BFH-Beschluss V S 12-13/05", SC_FINDING_LICENSE_PLATE);
  f = first_of ("MZ AB 12", SC_FINDING_LICENSE_PLATE);
  g_assert_nonnull (f);
  g_assert_cmpfloat (f->confidence, <, 0.8);
}

static void
test_norms_by_name (void)
{
  g_autoptr(ScFinding) f = NULL;

  g_assert_cmpstr (sc_gazetteer_law_by_name ("Bürgerlichen Gesetzbuches"), ==, "BGB");
  g_assert_cmpstr (sc_gazetteer_law_by_name ("Zehnten Buches des Sozialgesetzbuches"), ==,
                   "SGB X");
  g_assert_cmpstr (sc_gazetteer_law_by_name ("Baugesetzbuchs"), ==, "BauGB");
  g_assert_null (sc_gazetteer_law_by_name ("Gesetzes"));

  expect ("nach § 35 Satz 1 des Verwaltungsverfahrensgesetzes wird", SC_FINDING_LEGAL_NORM,
          "§ 35 Satz 1 des Verwaltungsverfahrensgesetzes", "§ 35 S. 1 VwVfG");
  expect ("§ 48 Abs. 1 des Zehnten Buches Sozialgesetzbuch", SC_FINDING_LEGAL_NORM,
          "§ 48 Abs. 1 des Zehnten Buches Sozialgesetzbuch", "§ 48 Abs. 1 SGB X");
  expect ("§ 44 des Sozialgesetzbuches Zehntes Buch", SC_FINDING_LEGAL_NORM,
          "§ 44 des Sozialgesetzbuches Zehntes Buch", "§ 44 SGB X");
  expect ("Art. 6 Abs. 1 der Datenschutz-Grundverordnung", SC_FINDING_LEGAL_NORM,
          "Art. 6 Abs. 1 der Datenschutz-Grundverordnung", "Art. 6 Abs. 1 DSGVO");
  expect ("§ 823 Abs. 1 des Bürgerlichen Gesetzbuches", SC_FINDING_LEGAL_NORM,
          "§ 823 Abs. 1 des Bürgerlichen Gesetzbuches", "§ 823 Abs. 1 BGB");
  expect ("Artikel 3 Absatz 1 Grundgesetz", SC_FINDING_LEGAL_NORM,
          "Artikel 3 Absatz 1 Grundgesetz", "Art. 3 Abs. 1 GG");
  expect ("§ 1 des Gesetzes über Ordnungswidrigkeiten", SC_FINDING_LEGAL_NORM,
          "§ 1 des Gesetzes über Ordnungswidrigkeiten", "§ 1 OWiG");
  expect ("§ 22 Aufenthaltsgesetz", SC_FINDING_LEGAL_NORM, "§ 22 Aufenthaltsgesetz",
          "§ 22 AufenthG");
  /* listed as "BBG 2009" */
  expect ("§ 164 Abs. 2 Bundesbeamtengesetz", SC_FINDING_LEGAL_NORM,
          "§ 164 Abs. 2 Bundesbeamtengesetz", "§ 164 Abs. 2 BBG");
  f = first_of ("§ 823 Abs. 1 des Bürgerlichen Gesetzbuchs", SC_FINDING_LEGAL_NORM);
  g_assert_nonnull (f);
  g_assert_cmpstr (f->value, ==, "§ 823 Abs. 1 BGB");
  g_assert_cmpstr (f->label, ==, "BGB");
  g_assert_nonnull (strstr (f->explanation, "Bürgerliches Gesetzbuch"));
  g_assert_cmpfloat (f->confidence, >, 0.9);
  /* no law, or not one law */
  expect_none ("nach § 5 des Gesetzes", SC_FINDING_LEGAL_NORM);
  expect_none ("§ 3 der Satzung", SC_FINDING_LEGAL_NORM);
  expect_none ("§ 2 des Sozialgesetzbuches", SC_FINDING_LEGAL_NORM);
  expect_none ("nach § 35 Die Behörde", SC_FINDING_LEGAL_NORM);
}

static void
test_case_numbers (void)
{
  expect ("BVerwG 1 C 2.17", SC_FINDING_CASE_NUMBER, "1 C 2.17", NULL);
  expect ("BSG B 4 RA 27/97 R", SC_FINDING_CASE_NUMBER, "B 4 RA 27/97 R", NULL);
  expect ("- 8 AZR 418/15 -", SC_FINDING_CASE_NUMBER, "8 AZR 418/15", NULL);
  expect ("XII ZR 12/19", SC_FINDING_CASE_NUMBER, "XII ZR 12/19", NULL);
  expect ("2 BvR 1234/18", SC_FINDING_CASE_NUMBER, "2 BvR 1234/18", NULL);
  expect ("Az. 12-345/2024", SC_FINDING_CASE_NUMBER, "12-345/2024", NULL);
  expect ("Aktenzeichen: 4.2-WG-1187/2025", SC_FINDING_CASE_NUMBER, "4.2-WG-1187/2025", NULL);
  expect ("Ihr Zeichen: ab-17", SC_FINDING_CASE_NUMBER, "ab-17", NULL);
  expect_none ("5 EUR 2.50", SC_FINDING_CASE_NUMBER);
  expect_none ("§ 5 Abs 3/4", SC_FINDING_CASE_NUMBER);
  expect_none ("3.412,50 EUR", SC_FINDING_CASE_NUMBER);
}

static void
test_decisions (void)
{
  expect ("vgl. BVerwG, Urteil vom 12. März 2019 – 1 C 2.17 – juris", SC_FINDING_COURT_DECISION,
          "BVerwG, Urteil vom 12. März 2019 – 1 C 2.17 –", NULL);
  expect ("BAG 27. Juli 2011 - 10 AZR 484/10 - Rn. 14", SC_FINDING_COURT_DECISION,
          "BAG 27. Juli 2011 - 10 AZR 484/10 -", NULL);
  expect ("BGHZ 123, 45", SC_FINDING_COURT_DECISION, "BGHZ 123, 45", NULL);
  expect ("NJW 2019, 1234", SC_FINDING_COURT_DECISION, "NJW 2019, 1234", NULL);
}

static void
test_whole_letter (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  const char *text = "Stadtverwaltung Mainz, den 3. Februar 2025\n"
                     "Herrn Max Müller, Lindenstraße 12, 55116 Mainz\n"
                     "Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe "
                     "Widerspruch erhoben werden (§ 70 VwGO).";
  gboolean deadline = FALSE, date = FALSE;

  found = sc_recognize (text, -1, NULL, SC_LAND_RP, SC_RECOGNIZE_DEFAULT, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < found->len; i++)
    {
      ScFinding *f = g_ptr_array_index (found, i);
      g_autofree char *span = g_utf8_substring (text, (glong) f->cp_start, (glong) f->cp_end);

      g_assert_cmpstr (span, ==, f->text);
      if (f->category == SC_FINDING_DEADLINE)
        {
          deadline = TRUE;
          g_assert_cmpstr (f->value, ==, "2025-03-07");
          g_assert_cmpuint (f->steps->len, ==, 5);
        }
      date = date || f->category == SC_FINDING_DATE;
    }
  g_assert_true (deadline);
  g_assert_true (date);

  g_assert_null (sc_recognize ("\xff\xfe", -1, NULL, SC_LAND_RP, 0, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
}

/* Names given away by a form of address, a role or the signature line. */
static void
test_persons (void)
{
  expect ("Sehr geehrte Frau Mustermann,", SC_FINDING_PERSON, "Mustermann", NULL);
  expect ("Frau\nErika Mustermann\nLindenstraße 12", SC_FINDING_PERSON, "Erika Mustermann", NULL);
  expect ("Sachbearbeitung: Herr Jonas Beispiel, Telefon 06131 987-6543", SC_FINDING_PERSON,
          "Jonas Beispiel", NULL);
  expect ("An Herrn Dr. Karl-Heinz von der Heide", SC_FINDING_PERSON, "Karl-Heinz von der Heide",
          NULL);
  expect ("für meinen Sohn Paul, geboren am 14. März 2012", SC_FINDING_PERSON, "Paul", NULL);
  expect ("vertreten durch Rechtsanwältin Özdemir-Schulz aus Mainz", SC_FINDING_PERSON,
          "Özdemir-Schulz", NULL);
  expect ("Mit freundlichen Grüßen\nIm Auftrag\n\nJonas Beispiel\n", SC_FINDING_PERSON,
          "Jonas Beispiel", NULL);
  expect ("Mit freundlichen Grüßen\n\nErika Mustermann", SC_FINDING_PERSON, "Erika Mustermann",
          NULL);
  /* offices, things and lower-case words are no names */
  expect_none ("Sehr geehrte Frau Bürgermeisterin,", SC_FINDING_PERSON);
  expect_none ("Herr Vorsitzender, meine Damen und Herren", SC_FINDING_PERSON);
  expect_none ("Ihr Sohn kam am 3. März zur Welt", SC_FINDING_PERSON);
  expect_none ("die Hausfrau Anna", SC_FINDING_PERSON);
  expect_none ("Frauen und Männer", SC_FINDING_PERSON);
  expect_none ("Mit freundlichen Grüßen\nIm Auftrag", SC_FINDING_PERSON);
  expect_none ("Der Antrag der Frau ist begründet.", SC_FINDING_PERSON);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sichtung/recognizers/finding", test_finding);
  g_test_add_func ("/sichtung/recognizers/iban", test_iban);
  g_test_add_func ("/sichtung/recognizers/bic", test_bic);
  g_test_add_func ("/sichtung/recognizers/tax-id", test_tax_id);
  g_test_add_func ("/sichtung/recognizers/social-security", test_social_security);
  g_test_add_func ("/sichtung/recognizers/id-document", test_id_document);
  g_test_add_func ("/sichtung/recognizers/phone", test_phone);
  g_test_add_func ("/sichtung/recognizers/email-url", test_email_url);
  g_test_add_func ("/sichtung/recognizers/address", test_address);
  g_test_add_func ("/sichtung/recognizers/plate-money", test_plate_money);
  g_test_add_func ("/sichtung/recognizers/street-directory", test_street_directory);
  g_test_add_func ("/sichtung/recognizers/plates", test_plates);
  g_test_add_func ("/sichtung/recognizers/norms", test_norms);
  g_test_add_func ("/sichtung/recognizers/norms-by-name", test_norms_by_name);
  g_test_add_func ("/sichtung/recognizers/case-numbers", test_case_numbers);
  g_test_add_func ("/sichtung/recognizers/decisions", test_decisions);
  g_test_add_func ("/sichtung/recognizers/whole-letter", test_whole_letter);
  g_test_add_func ("/sichtung/recognizers/persons", test_persons);

  return g_test_run ();
}
