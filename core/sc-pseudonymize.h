/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-pseudonymize.h: a document's text with its findings replaced by consistent placeholders
 * ("[Person 1]", "[Adresse 2]"), and the key that maps each placeholder back to what it
 * replaced.
 *
 *   g_autoptr(ScPseudonymization) p =
 *     sc_pseudonymize (text, findings, sc_pseudonymize_default_categories (),
 *                      SC_PSEUDONYMIZE_DEFAULT, &error);
 *   sc_pseudonymization_get_text (p);          the text to hand on
 *   sc_pseudonymization_to_key_json (p);       the key, for the clerk's own file only
 *
 * One entity, one placeholder. Findings of the same category with the same normalised value
 * (IBAN without spaces, ISO date …) or, without a value, the same text (case folded, blanks
 * collapsed) are one entity. Persons link further: a surname alone ("Frau Mustermann") is the
 * person whose full name ends in it ("Erika Mustermann"), a first name alone the person whose
 * full name starts with it; where several persons share a surname, the one named after the
 * same form of address ("Frau", "Herr") wins, otherwise the one named first. The words of a
 * person's name are also replaced where they stand capitalised on their own without being a
 * finding ("Erika" alone, an unrecognised "Erika Mustermann" in a letterhead), except right
 * after "zum", "ein" and the like ("zum Beispiel" when "Herr Beispiel" is a person): a partial
 * name is never left behind. Identifiers (IBAN, telephone number, e-mail address, an address
 * with a house number …) are likewise replaced where their exact text recurs.
 *
 * Roles stay: forms of address, roles and articles at the edges of a person finding ("die
 * Klägerin Erika Mustermann", "Herr Beispiel (Sachbearbeiter)") are kept in the text and only
 * the name is replaced ("die Klägerin [Person 1]"); a finding that is nothing but a role ("der
 * Kläger") is left alone. "Frau" and "Herr" say nothing the grammar of the sentence does not
 * already say, so they stay too unless SC_PSEUDONYMIZE_REPLACE_HONORIFICS is given.
 *
 * Where findings overlap, the longest one decides the category and the placeholder covers
 * all of them; nothing is replaced twice.
 *
 * The placeholder labels are translated ("Person %u", "Address %u" …), so an export follows
 * the language of the user interface, as every other text Sichtung writes does; under a
 * German interface they are the German words ("[Adresse 1]", "[Telefon 1]" …). */
#pragma once

#include <glib.h>
#include <glib-object.h>

#include "sc-finding.h"
#include "sc-json.h"

G_BEGIN_DECLS

typedef enum
{
  SC_PSEUDONYMIZE_DEFAULT            = 0,
  SC_PSEUDONYMIZE_REPLACE_HONORIFICS = 1 << 0,  /* "Frau"/"Herr" go into the placeholder */
} ScPseudonymizeFlags;

/* Bit for @category in a set of categories. */
#define SC_PSEUDONYMIZE_CATEGORY(category) (1u << (category))

/* One entity of the text: the placeholder that stands for it and what it replaced. */
typedef struct _ScPseudonym ScPseudonym;

struct _ScPseudonym
{
  char              *placeholder;  /* "[Person 1]", exactly as in the text */
  ScFindingCategory  category;
  guint              number;       /* 1-based, per category, in order of first appearance */
  guint              occurrences;  /* how often the text shows the placeholder */
  GPtrArray         *originals;    /* char*: every distinct text it replaced, in order */
};

/* One replacement, in the order of the text. */
typedef struct
{
  gsize start;       /* code points into the original text, [start, end) */
  gsize end;
  gsize out_start;   /* code points into the pseudonymised text */
  gsize out_end;
  guint pseudonym;   /* index into sc_pseudonymization_get_pseudonyms () */
  guint original;    /* index into that pseudonym's originals: the text it replaced */
} ScPseudonymReplacement;

typedef struct _ScPseudonymization ScPseudonymization;

#define SC_TYPE_PSEUDONYMIZATION (sc_pseudonymization_get_type ())

GType               sc_pseudonymization_get_type (void) G_GNUC_CONST;

/* The categories replaced unless the caller chooses: persons, addresses, dates of birth and
 * every identifier (IBAN, BIC, tax identifier, social security and identity document numbers,
 * telephone, e-mail, vehicle registration). Places on their own are not among them: in an
 * administrative letter they are mostly the seat of the authority or court, and the place a
 * person lives in is part of the address, which is replaced. */
guint               sc_pseudonymize_default_categories (void);

/* Replaces in @text (UTF-8) the findings of @findings (ScPageFinding* as an ScAnalysis gives
 * them, doc_start/doc_end counting code points of @text; may be NULL, need not be sorted) whose
 * category is in @categories (SC_PSEUDONYMIZE_CATEGORY bits). Pass only the accepted findings
 * to replace only those. Fails with SC_ERROR_INVALID_ARGUMENT when @text is not UTF-8 or a
 * finding does not lie in @text as its offsets say (findings of another text). */
ScPseudonymization *sc_pseudonymize                (const char           *text,
                                                    GPtrArray            *findings,
                                                    guint                 categories,
                                                    ScPseudonymizeFlags   flags,
                                                    GError              **error);

ScPseudonymization *sc_pseudonymization_ref        (ScPseudonymization   *self);
void                sc_pseudonymization_unref      (ScPseudonymization   *self);

/* The pseudonymised text. */
const char         *sc_pseudonymization_get_text   (ScPseudonymization   *self);
/* ScPseudonym*, by category and number. The array belongs to @self. */
GPtrArray          *sc_pseudonymization_get_pseudonyms   (ScPseudonymization *self);
/* ScPseudonymReplacement, sorted by start. The array belongs to @self. */
GArray             *sc_pseudonymization_get_replacements (ScPseudonymization *self);

/* Writes the pseudonyms as a JSON array of objects (placeholder, category, number,
 * occurrences; with @originals also the texts they replaced). Without @originals the output
 * names nothing of the original text. */
void                sc_pseudonymization_write_json (ScPseudonymization   *self,
                                                    ScJsonWriter         *writer,
                                                    gboolean              originals);
/* The key as a JSON document: every pseudonym with its originals, and every replacement with
 * its offsets in both texts and the text it replaced, enough to restore the original text
 * from the pseudonymised one. Keep it apart from the pseudonymised text. */
char               *sc_pseudonymization_to_key_json (ScPseudonymization  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScPseudonymization, sc_pseudonymization_unref)

G_END_DECLS
