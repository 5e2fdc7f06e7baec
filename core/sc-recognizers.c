/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-recognizers.c: runs the rule recognisers over a text and settles overlaps between them
 * (see sc-recognizers.h); the shared helpers of sc-recognizers-private.h. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-error.h"
#include "sc-recognizers.h"
#include "sc-recognizers-private.h"

/* ---- Helpers ----------------------------------------------------------------------------- */

ScFinding *
_sc_scan_add (ScScan            *scan,
              ScFindingCategory  category,
              const char        *label,
              gsize              start,
              gsize              end,
              const char        *value,
              double             confidence,
              char              *explanation)
{
  g_autofree char *span = NULL;
  ScFinding *finding;

  g_assert (start <= end && end <= scan->length);

  span = g_strndup (scan->text + start, end - start);
  finding = sc_finding_new (category, label, span, start, end);
  sc_finding_set_value (finding, value);
  finding->confidence = CLAMP (confidence, 0.0, 1.0);
  sc_finding_take_explanation (finding, explanation);
  g_ptr_array_add (scan->out, finding);
  return finding;
}

gboolean
_sc_scan_context_before (ScScan            *scan,
                         gsize              pos,
                         gsize              window,
                         const char *const *words)
{
  gsize from = pos > window ? pos - window : 0;
  g_autofree char *chunk = NULL;
  g_autofree char *folded = NULL;

  while (from < pos && ((guchar) scan->text[from] & 0xC0) == 0x80)
    from++;
  chunk = g_strndup (scan->text + from, pos - from);
  folded = g_utf8_strdown (chunk, -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *word = g_utf8_strdown (words[i], -1);

      if (strstr (folded, word) != NULL)
        return TRUE;
    }
  return FALSE;
}

GRegex *
_sc_regex_once (GRegex    **slot,
                const char *pattern)
{
  if (g_once_init_enter (slot))
    {
      g_autoptr(GError) error = NULL;
      GRegex *regex = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, &error);

      if (regex == NULL)
        {
          g_critical ("recogniser pattern “%s”: %s", pattern, error->message);
          regex = g_regex_new ("(?!)", 0, 0, NULL);
        }
      g_once_init_leave (slot, regex);
    }
  return *slot;
}

gboolean
_sc_alnum_before (const char *text,
                  gsize       pos)
{
  const char *prev;

  if (pos == 0)
    return FALSE;
  prev = g_utf8_find_prev_char (text, text + pos);
  return prev != NULL && g_unichar_isalnum (g_utf8_get_char (prev));
}

gboolean
_sc_alnum_at (const char *text,
              gsize       length,
              gsize       pos)
{
  return pos < length && g_unichar_isalnum (g_utf8_get_char (text + pos));
}

/* ---- Overlaps ---------------------------------------------------------------------------- */

/* Higher wins where two findings overlap; 0: a container, which neither wins nor loses. */
static int
priority (const ScFinding *f)
{
  switch (f->category)
    {
    case SC_FINDING_ADDRESS:
      return f->label != NULL && g_str_equal (f->label, "Anschrift") ? 0 : 5;
    case SC_FINDING_COURT_DECISION:
    case SC_FINDING_DEADLINE:
      return 0;
    case SC_FINDING_IBAN:
    case SC_FINDING_EMAIL:
    case SC_FINDING_URL:
      return 10;
    case SC_FINDING_TAX_ID:
    case SC_FINDING_SOCIAL_SECURITY_NUMBER:
      return 9;
    case SC_FINDING_LEGAL_NORM:
    case SC_FINDING_CASE_NUMBER:
      return 8;
    case SC_FINDING_DATE:
    case SC_FINDING_BIRTH_DATE:
      return f->value != NULL && strlen (f->value) == 4 ? 3 : 7;
    case SC_FINDING_ID_DOCUMENT_NUMBER:
      return 6;
    case SC_FINDING_MONEY:
      return 5;
    case SC_FINDING_PHONE:
      return 4;
    case SC_FINDING_BIC:
    case SC_FINDING_LICENSE_PLATE:
      return 2;
    default:
      return 1;
    }
}

static void
drop_weaker_overlaps (GPtrArray *findings)
{
  g_autofree gboolean *drop = g_new0 (gboolean, findings->len + 1);

  for (guint i = 0; i < findings->len; i++)
    {
      ScFinding *a = g_ptr_array_index (findings, i);
      int pa = priority (a);

      if (pa == 0)
        continue;
      for (guint j = i + 1; j < findings->len; j++)
        {
          ScFinding *b = g_ptr_array_index (findings, j);
          int pb = priority (b);

          if (b->start >= a->end)
            break;
          if (pb == 0 || drop[j] || drop[i])
            continue;
          if (pa > pb || (pa == pb && a->end - a->start >= b->end - b->start))
            drop[j] = TRUE;
          else
            drop[i] = TRUE;
        }
    }
  for (guint i = findings->len; i-- > 0;)
    {
      if (drop[i])
        g_ptr_array_remove_index (findings, i);
    }
}

/* ---- Entry point ------------------------------------------------------------------------- */

GPtrArray *
sc_recognize (const char        *text,
              gssize             length,
              const GDate       *reference,
              ScLand             land,
              ScRecognizeFlags   flags,
              GError           **error)
{
  g_autoptr(GPtrArray) out = NULL;
  ScScan scan;
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail ((guint) land < SC_LAND_N_LANDS, NULL);
  g_return_val_if_fail (reference == NULL || g_date_valid (reference), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = length < 0 ? strlen (text) : (gsize) length;
  if (!g_utf8_validate (text, (gssize) len, NULL))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("The text is not valid UTF-8"));
      return NULL;
    }

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_finding_unref);
  scan.text = text;
  scan.length = len;
  scan.out = out;

  _sc_recognize_ids (&scan);
  _sc_recognize_contact (&scan);
  _sc_recognize_legal (&scan);
  _sc_recognize_persons (&scan);
  if (!(flags & SC_RECOGNIZE_NO_DATES))
    sc_dates_find (text, (gssize) len, reference, out);
  if (!(flags & SC_RECOGNIZE_NO_DEADLINES))
    sc_deadlines_find (text, (gssize) len, reference, land, out);

  sc_findings_sort (out);
  drop_weaker_overlaps (out);
  sc_findings_compute_code_points (out, text);
  return g_steal_pointer (&out);
}
