/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-json.c: the streaming JSON writer behind sichtung-cli's machine-readable output. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "sichtung-core.h"

static char *
escape (const char *value)
{
  GString *out = g_string_new (NULL);

  sc_json_escape_string (out, value);
  return g_string_free (out, FALSE);
}

static void
test_empty_containers (void)
{
  for (int pretty = 0; pretty <= 1; pretty++)
    {
      ScJsonWriter *w = sc_json_writer_new (pretty);
      g_autofree char *json = NULL;

      sc_json_writer_begin_array (w);
      sc_json_writer_begin_object (w);
      sc_json_writer_end_object (w);
      sc_json_writer_begin_array (w);
      sc_json_writer_end_array (w);
      sc_json_writer_end_array (w);
      json = sc_json_writer_free_to_string (w);
      g_assert_cmpstr (json, ==, pretty ? "[\n  {},\n  []\n]\n" : "[{},[]]");
    }
}

static void
write_document (ScJsonWriter *w)
{
  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "file");
  sc_json_writer_string (w, "bescheid.pdf");
  sc_json_writer_key (w, "pages");
  sc_json_writer_int (w, 3);
  sc_json_writer_key (w, "title");
  sc_json_writer_null (w);
  sc_json_writer_key (w, "encrypted");
  sc_json_writer_bool (w, FALSE);
  sc_json_writer_key (w, "ok");
  sc_json_writer_bool (w, TRUE);
  sc_json_writer_key (w, "sizes");
  sc_json_writer_begin_array (w);
  for (int i = 0; i < 2; i++)
    {
      sc_json_writer_begin_object (w);
      sc_json_writer_key (w, "width");
      sc_json_writer_double (w, 595.5);
      sc_json_writer_key (w, "height");
      sc_json_writer_int (w, 842);
      sc_json_writer_end_object (w);
    }
  sc_json_writer_end_array (w);
  sc_json_writer_key (w, "nested");
  sc_json_writer_begin_array (w);
  sc_json_writer_begin_array (w);
  sc_json_writer_int (w, -1);
  sc_json_writer_int (w, G_MAXINT64);
  sc_json_writer_end_array (w);
  sc_json_writer_end_array (w);
  sc_json_writer_end_object (w);
}

static void
test_compact (void)
{
  ScJsonWriter *w = sc_json_writer_new (FALSE);
  g_autofree char *json = NULL;

  write_document (w);
  json = sc_json_writer_free_to_string (w);
  g_assert_cmpstr (json, ==,
                   "{\"file\":\"bescheid.pdf\",\"pages\":3,\"title\":null,\"encrypted\":false,"
                   "\"ok\":true,\"sizes\":[{\"width\":595.5,\"height\":842},"
                   "{\"width\":595.5,\"height\":842}],"
                   "\"nested\":[[-1,9223372036854775807]]}");
}

static void
test_pretty (void)
{
  ScJsonWriter *w = sc_json_writer_new (TRUE);
  g_autofree char *json = NULL;

  write_document (w);
  json = sc_json_writer_free_to_string (w);
  g_assert_cmpstr (json, ==,
                   "{\n"
                   "  \"file\": \"bescheid.pdf\",\n"
                   "  \"pages\": 3,\n"
                   "  \"title\": null,\n"
                   "  \"encrypted\": false,\n"
                   "  \"ok\": true,\n"
                   "  \"sizes\": [\n"
                   "    {\n"
                   "      \"width\": 595.5,\n"
                   "      \"height\": 842\n"
                   "    },\n"
                   "    {\n"
                   "      \"width\": 595.5,\n"
                   "      \"height\": 842\n"
                   "    }\n"
                   "  ],\n"
                   "  \"nested\": [\n"
                   "    [\n"
                   "      -1,\n"
                   "      9223372036854775807\n"
                   "    ]\n"
                   "  ]\n"
                   "}\n");
}

static void
test_top_level_scalar (void)
{
  ScJsonWriter *w = sc_json_writer_new (FALSE);
  g_autofree char *json = NULL;

  sc_json_writer_string (w, "allein");
  json = sc_json_writer_free_to_string (w);
  g_assert_cmpstr (json, ==, "\"allein\"");
}

static void
test_escape (void)
{
  const struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "", "\"\"" },
    { "plain", "\"plain\"" },
    { "\"quoted\"", "\"\\\"quoted\\\"\"" },
    { "back\\slash", "\"back\\\\slash\"" },
    { "a/b", "\"a/b\"" },
    { "tab\there\nnew\rret\bbs\fff", "\"tab\\there\\nnew\\rret\\bbs\\fff\"" },
    { "\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\"" },
    /* Non-ASCII UTF-8 passes through unchanged. */
    { "Gewährung gemäß § 35 – 5 €", "\"Gewährung gemäß § 35 – 5 €\"" },
    { "\xf0\x9f\x93\x84", "\"\xf0\x9f\x93\x84\"" },
    /* Invalid UTF-8 becomes U+FFFD, one per bad byte, and the rest survives. */
    { "Stra\xdf" "e", "\"Stra\\ufffde\"" },
    { "\xff\xfe", "\"\\ufffd\\ufffd\"" },
    { "ok\xe2\x82", "\"ok\\ufffd\\ufffd\"" },
    { "\xc0\xafx", "\"\\ufffd\\ufffdx\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = escape (cases[i].in);

      g_assert_cmpstr (json, ==, cases[i].out);
      g_assert_true (g_utf8_validate (json, -1, NULL));
    }

  {
    g_autofree char *json = escape (NULL);

    g_assert_cmpstr (json, ==, "null");
  }
}

static void
test_escape_keys_and_values (void)
{
  ScJsonWriter *w = sc_json_writer_new (FALSE);
  g_autofree char *json = NULL;

  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "schl\"üssel\n");
  sc_json_writer_string (w, "wert\x01");
  sc_json_writer_key (w, "leer");
  sc_json_writer_string (w, NULL);
  sc_json_writer_end_object (w);
  json = sc_json_writer_free_to_string (w);
  g_assert_cmpstr (json, ==, "{\"schl\\\"üssel\\n\":\"wert\\u0001\",\"leer\":null}");
}

static char *
doubles_to_json (void)
{
  const double values[] = { 0.0, -0.5, 1.25, 595.2755905511812, 1e-7, 3e20, 1.0 / 3.0 };
  ScJsonWriter *w = sc_json_writer_new (FALSE);

  sc_json_writer_begin_array (w);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    sc_json_writer_double (w, values[i]);
  sc_json_writer_double (w, NAN);
  sc_json_writer_double (w, INFINITY);
  sc_json_writer_double (w, -INFINITY);
  sc_json_writer_end_array (w);
  return sc_json_writer_free_to_string (w);
}

static void
test_doubles (void)
{
  g_autofree char *json = doubles_to_json ();

  /* Ten significant digits; JSON has no NaN or infinity, so they are null. */
  g_assert_cmpstr (json, ==,
                   "[0,-0.5,1.25,595.2755906,1e-07,3e+20,0.3333333333,null,null,null]");
}

/* A decimal comma in the user's locale must not reach the JSON. */
static void
test_doubles_locale (void)
{
  const char *locales[] = { "de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8" };
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
  g_autofree char *json = NULL;
  const char *found = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (locales) && found == NULL; i++)
    found = setlocale (LC_NUMERIC, locales[i]);
  if (found == NULL)
    {
      g_test_skip ("no locale with a decimal comma is installed");
      return;
    }

  json = doubles_to_json ();
  setlocale (LC_NUMERIC, saved);
  g_assert_cmpstr (json, ==,
                   "[0,-0.5,1.25,595.2755906,1e-07,3e+20,0.3333333333,null,null,null]");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sichtung/json/empty-containers", test_empty_containers);
  g_test_add_func ("/sichtung/json/compact", test_compact);
  g_test_add_func ("/sichtung/json/pretty", test_pretty);
  g_test_add_func ("/sichtung/json/top-level-scalar", test_top_level_scalar);
  g_test_add_func ("/sichtung/json/escape", test_escape);
  g_test_add_func ("/sichtung/json/escape-keys-and-values", test_escape_keys_and_values);
  g_test_add_func ("/sichtung/json/doubles", test_doubles);
  g_test_add_func ("/sichtung/json/doubles-locale", test_doubles_locale);

  return g_test_run ();
}
