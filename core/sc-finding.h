/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-finding.h: one thing found in a text (a person, an IBAN, a deadline …), with where it is,
 * its normalised value and a plain-language explanation of why it was found.
 *
 * Rule recognisers (sc-recognizers.h), the date and deadline recogniser (sc-dates.h), the
 * model-based recogniser and gazetteer look-ups all produce ScFinding, so the analysis pipeline
 * and the app handle them alike. Findings are reference counted and immutable once handed out. */
#pragma once

#include <glib.h>
#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  SC_FINDING_PERSON,
  SC_FINDING_ORGANISATION,
  SC_FINDING_LOCATION,
  SC_FINDING_ADDRESS,
  SC_FINDING_BIRTH_DATE,
  SC_FINDING_DATE,
  SC_FINDING_DEADLINE,
  SC_FINDING_IBAN,
  SC_FINDING_BIC,
  SC_FINDING_TAX_ID,
  SC_FINDING_SOCIAL_SECURITY_NUMBER,
  SC_FINDING_ID_DOCUMENT_NUMBER,
  SC_FINDING_PHONE,
  SC_FINDING_EMAIL,
  SC_FINDING_URL,
  SC_FINDING_LICENSE_PLATE,
  SC_FINDING_MONEY,
  SC_FINDING_CASE_NUMBER,
  SC_FINDING_LEGAL_NORM,
  SC_FINDING_COURT_DECISION,
  SC_FINDING_N_CATEGORIES
} ScFindingCategory;

typedef enum
{
  SC_FINDING_SOURCE_RULE,
  SC_FINDING_SOURCE_MODEL,
  SC_FINDING_SOURCE_GAZETTEER,
} ScFindingSource;

typedef struct _ScFinding ScFinding;

struct _ScFinding
{
  /*< private >*/
  gatomicrefcount   ref_count;

  /*< public >*/
  ScFindingCategory category;
  char             *label;        /* fine label, e.g. "IBAN", "Steuer-IdNr.", "GS"; may be NULL */
  char             *text;         /* the matched text, exactly as in the input */
  gsize             start;        /* byte offsets into the scanned text, [start, end) */
  gsize             end;
  gsize             cp_start;     /* the same span in Unicode code points */
  gsize             cp_end;
  char             *value;        /* normalised value (IBAN without spaces, ISO date …); may be NULL */
  double            confidence;   /* 0..1 */
  ScFindingSource   source;
  char             *explanation;  /* translated, plain language; never NULL once handed out */
  GPtrArray        *steps;        /* char*: explanation steps (deadline computations); may be NULL */
};

#define SC_TYPE_FINDING (sc_finding_get_type ())

GType       sc_finding_get_type          (void) G_GNUC_CONST;

ScFinding  *sc_finding_new               (ScFindingCategory  category,
                                          const char        *label,
                                          const char        *text,
                                          gsize              start,
                                          gsize              end);
ScFinding  *sc_finding_ref               (ScFinding         *finding);
void        sc_finding_unref             (ScFinding         *finding);

void        sc_finding_set_value         (ScFinding         *finding,
                                          const char        *value);
/* Takes ownership of @explanation. */
void        sc_finding_take_explanation  (ScFinding         *finding,
                                          char              *explanation);
void        sc_finding_set_explanation   (ScFinding         *finding,
                                          const char        *explanation);
/* Appends one step; the finding owns the copy. */
void        sc_finding_add_step          (ScFinding         *finding,
                                          const char        *step);

/* Sets cp_start/cp_end from the byte offsets; @text is the whole scanned text. */
void        sc_finding_compute_code_points (ScFinding       *finding,
                                            const char      *text);
/* Same for every finding of @findings, in one pass when they are sorted by start. */
void        sc_findings_compute_code_points (GPtrArray      *findings,
                                             const char     *text);

/* Sorts by start offset, longer first at equal starts. */
void        sc_findings_sort             (GPtrArray         *findings);

/* The stable, untranslated name ("iban", "tax-id" …) and back; -1 when unknown. */
const char *sc_finding_category_to_string   (ScFindingCategory  category);
int         sc_finding_category_from_string (const char        *name);
/* A translated, human-readable name for the category ("Bankverbindung (IBAN)" in German). */
const char *sc_finding_category_get_display_name (ScFindingCategory category);

const char *sc_finding_source_to_string  (ScFindingSource    source);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScFinding, sc_finding_unref)

G_END_DECLS
