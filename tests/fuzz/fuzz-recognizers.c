/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-recognizers.c: libFuzzer target for the rule recognisers (sc-recognize*.c), the date
 * and deadline finders (sc-dates.c, sc-deadlines.c) and the check-digit validators.
 *
 * The input is the text itself, not NUL-terminated (a heap copy of exactly its bytes, so ASan
 * sees any read past the end). sc_recognize() must reject invalid UTF-8 with an error and
 * accept everything else; the finders take valid UTF-8 only, as documented. Each finding must
 * lie inside the text and carry exactly the text it spans. The Land varies with the input's
 * length so every holiday calendar is used. */
#define G_LOG_DOMAIN "sichtung-fuzz"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "sc-dates.h"
#include "sc-error.h"
#include "sc-recognizers.h"

static void
check_findings (GPtrArray  *findings,
                const char *text,
                gsize       len)
{
  glong n_chars = g_utf8_strlen (text, (gssize) len);

  for (guint i = 0; i < findings->len; i++)
    {
      const ScFinding *f = g_ptr_array_index (findings, i);

      if (f->start > f->end || f->end > len)
        abort ();
      if (f->text != NULL && (strlen (f->text) != f->end - f->start ||
                              memcmp (f->text, text + f->start, f->end - f->start) != 0))
        abort ();
      if (f->cp_start > f->cp_end || f->cp_end > (gsize) n_chars)
        abort ();
      if (f->value != NULL && !g_utf8_validate (f->value, -1, NULL))
        abort ();
    }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  sc_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *text = (char *) sc_fuzz_copy (data, size);
  g_autofree char *cstring = NULL;
  g_autoptr(GDate) reference = g_date_new_dmy (1, G_DATE_MARCH, 2025);
  ScLand land = (ScLand) (size % SC_LAND_N_LANDS);
  gboolean valid = g_utf8_validate (text, (gssize) size, NULL);

  findings = sc_recognize (text, (gssize) size, reference, land, SC_RECOGNIZE_DEFAULT, &error);
  if (findings == NULL)
    {
      /* Invalid UTF-8 is the only documented failure. */
      if (valid || error == NULL)
        abort ();
      return 0;
    }
  if (!valid)
    abort ();
  check_findings (findings, text, size);
  g_clear_pointer (&findings, g_ptr_array_unref);

  /* Without a reference date, and without dates and deadlines. */
  findings = sc_recognize (text, (gssize) size, NULL, land,
                           SC_RECOGNIZE_NO_DATES | SC_RECOGNIZE_NO_DEADLINES, &error);
  if (findings == NULL)
    abort ();
  check_findings (findings, text, size);
  g_clear_pointer (&findings, g_ptr_array_unref);

  findings = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_finding_unref);
  sc_dates_find_full (text, (gssize) size, NULL, SC_DATES_BARE_YEARS, findings);
  check_findings (findings, text, size);
  g_ptr_array_set_size (findings, 0);
  sc_deadlines_find (text, (gssize) size, NULL, land, findings);
  check_findings (findings, text, size);
  g_ptr_array_set_size (findings, 0);
  sc_deadlines_find (text, (gssize) size, reference, land, findings);
  check_findings (findings, text, size);

  /* The validators and the Land parser take NUL-terminated strings. */
  if (memchr (text, '\0', size) == NULL && size < 64)
    {
      cstring = g_strndup (text, size);
      (void) sc_iban_is_valid (cstring);
      (void) sc_tax_id_is_valid (cstring);
      (void) sc_social_security_number_is_valid (cstring);
      (void) sc_icao_check_digit_is_valid (cstring, size);
      (void) sc_land_from_string (cstring);
    }
  return 0;
}
