/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-finding.c: the finding record shared by every recogniser (see sc-finding.h). */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-finding.h"

G_DEFINE_BOXED_TYPE (ScFinding, sc_finding, sc_finding_ref, sc_finding_unref)

static const char *const category_names[SC_FINDING_N_CATEGORIES] = {
  [SC_FINDING_PERSON] = "person",
  [SC_FINDING_ORGANISATION] = "organisation",
  [SC_FINDING_LOCATION] = "location",
  [SC_FINDING_ADDRESS] = "address",
  [SC_FINDING_BIRTH_DATE] = "birth-date",
  [SC_FINDING_DATE] = "date",
  [SC_FINDING_DEADLINE] = "deadline",
  [SC_FINDING_IBAN] = "iban",
  [SC_FINDING_BIC] = "bic",
  [SC_FINDING_TAX_ID] = "tax-id",
  [SC_FINDING_SOCIAL_SECURITY_NUMBER] = "social-security-number",
  [SC_FINDING_ID_DOCUMENT_NUMBER] = "id-document-number",
  [SC_FINDING_PHONE] = "phone",
  [SC_FINDING_EMAIL] = "email",
  [SC_FINDING_URL] = "url",
  [SC_FINDING_LICENSE_PLATE] = "license-plate",
  [SC_FINDING_MONEY] = "money",
  [SC_FINDING_CASE_NUMBER] = "case-number",
  [SC_FINDING_LEGAL_NORM] = "legal-norm",
  [SC_FINDING_COURT_DECISION] = "court-decision",
};

ScFinding *
sc_finding_new (ScFindingCategory  category,
                const char        *label,
                const char        *text,
                gsize              start,
                gsize              end)
{
  ScFinding *finding;

  g_return_val_if_fail ((guint) category < SC_FINDING_N_CATEGORIES, NULL);
  g_return_val_if_fail (start <= end, NULL);

  finding = g_new0 (ScFinding, 1);
  g_atomic_ref_count_init (&finding->ref_count);
  finding->category = category;
  finding->label = g_strdup (label);
  finding->text = g_strdup (text != NULL ? text : "");
  finding->start = start;
  finding->end = end;
  finding->cp_start = start;
  finding->cp_end = end;
  finding->confidence = 1.0;
  finding->source = SC_FINDING_SOURCE_RULE;
  return finding;
}

ScFinding *
sc_finding_ref (ScFinding *finding)
{
  g_return_val_if_fail (finding != NULL, NULL);

  g_atomic_ref_count_inc (&finding->ref_count);
  return finding;
}

void
sc_finding_unref (ScFinding *finding)
{
  if (finding == NULL)
    return;
  if (!g_atomic_ref_count_dec (&finding->ref_count))
    return;
  g_free (finding->label);
  g_free (finding->text);
  g_free (finding->value);
  g_free (finding->explanation);
  g_clear_pointer (&finding->steps, g_ptr_array_unref);
  g_free (finding);
}

void
sc_finding_set_value (ScFinding  *finding,
                      const char *value)
{
  g_return_if_fail (finding != NULL);

  if (finding->value == value)
    return;
  g_free (finding->value);
  finding->value = g_strdup (value);
}

void
sc_finding_take_explanation (ScFinding *finding,
                             char      *explanation)
{
  g_return_if_fail (finding != NULL);

  g_free (finding->explanation);
  finding->explanation = explanation;
}

void
sc_finding_set_explanation (ScFinding  *finding,
                            const char *explanation)
{
  g_return_if_fail (finding != NULL);

  sc_finding_take_explanation (finding, g_strdup (explanation));
}

void
sc_finding_add_step (ScFinding  *finding,
                     const char *step)
{
  g_return_if_fail (finding != NULL);
  g_return_if_fail (step != NULL);

  if (finding->steps == NULL)
    finding->steps = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (finding->steps, g_strdup (step));
}

void
sc_finding_compute_code_points (ScFinding  *finding,
                                const char *text)
{
  g_return_if_fail (finding != NULL);
  g_return_if_fail (text != NULL);

  finding->cp_start = (gsize) g_utf8_pointer_to_offset (text, text + finding->start);
  finding->cp_end = finding->cp_start +
    (gsize) g_utf8_pointer_to_offset (text + finding->start, text + finding->end);
}

void
sc_findings_compute_code_points (GPtrArray  *findings,
                                 const char *text)
{
  gsize byte = 0, cp = 0;

  g_return_if_fail (findings != NULL);
  g_return_if_fail (text != NULL);

  /* walks forward from the previous finding, so sorted findings cost one pass */
  for (guint i = 0; i < findings->len; i++)
    {
      ScFinding *f = g_ptr_array_index (findings, i);

      if (f->start < byte)
        byte = cp = 0;
      cp += (gsize) g_utf8_pointer_to_offset (text + byte, text + f->start);
      byte = f->start;
      f->cp_start = cp;
      f->cp_end = cp + (gsize) g_utf8_pointer_to_offset (text + f->start, text + f->end);
    }
}

static int
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  const ScFinding *fa = *(ScFinding *const *) a;
  const ScFinding *fb = *(ScFinding *const *) b;

  if (fa->start != fb->start)
    return fa->start < fb->start ? -1 : 1;
  if (fa->end != fb->end)
    return fa->end > fb->end ? -1 : 1;
  return (int) fa->category - (int) fb->category;
}

void
sc_findings_sort (GPtrArray *findings)
{
  g_return_if_fail (findings != NULL);

  g_ptr_array_sort (findings, compare_findings);
}

const char *
sc_finding_category_to_string (ScFindingCategory category)
{
  g_return_val_if_fail ((guint) category < SC_FINDING_N_CATEGORIES, NULL);

  return category_names[category];
}

int
sc_finding_category_from_string (const char *name)
{
  g_return_val_if_fail (name != NULL, -1);

  for (int i = 0; i < SC_FINDING_N_CATEGORIES; i++)
    {
      if (g_str_equal (name, category_names[i]))
        return i;
    }
  return -1;
}

const char *
sc_finding_category_get_display_name (ScFindingCategory category)
{
  switch (category)
    {
    case SC_FINDING_PERSON: return _("Person");
    case SC_FINDING_ORGANISATION: return _("Organisation");
    case SC_FINDING_LOCATION: return _("Place");
    case SC_FINDING_ADDRESS: return _("Address");
    case SC_FINDING_BIRTH_DATE: return _("Date of birth");
    case SC_FINDING_DATE: return _("Date");
    case SC_FINDING_DEADLINE: return _("Deadline");
    case SC_FINDING_IBAN: return _("Bank account (IBAN)");
    case SC_FINDING_BIC: return _("Bank code (BIC)");
    case SC_FINDING_TAX_ID: return _("Tax identification");
    case SC_FINDING_SOCIAL_SECURITY_NUMBER: return _("Social security number");
    case SC_FINDING_ID_DOCUMENT_NUMBER: return _("ID card or passport number");
    case SC_FINDING_PHONE: return _("Phone number");
    case SC_FINDING_EMAIL: return _("E-mail address");
    case SC_FINDING_URL: return _("Web address");
    case SC_FINDING_LICENSE_PLATE: return _("Vehicle registration");
    case SC_FINDING_MONEY: return _("Amount of money");
    case SC_FINDING_CASE_NUMBER: return _("Case number");
    case SC_FINDING_LEGAL_NORM: return _("Legal norm");
    case SC_FINDING_COURT_DECISION: return _("Court decision");
    case SC_FINDING_N_CATEGORIES:
    default:
      break;
    }
  g_return_val_if_reached (NULL);
}

const char *
sc_finding_source_to_string (ScFindingSource source)
{
  switch (source)
    {
    case SC_FINDING_SOURCE_RULE: return "rule";
    case SC_FINDING_SOURCE_MODEL: return "model";
    case SC_FINDING_SOURCE_GAZETTEER: return "gazetteer";
    default: break;
    }
  g_return_val_if_reached (NULL);
}
