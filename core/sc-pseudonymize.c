/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-pseudonymize.c: consistent placeholders for the findings of a text, with roles kept and
 * the key kept apart (see sc-pseudonymize.h).
 *
 * The work runs in passes over byte spans of the text:
 *   1. each finding of a chosen category becomes a span; person findings shrink to the name
 *      (roles, forms of address and articles at their edges stay in the text);
 *   2. overlapping spans merge, the longest deciding the category;
 *   3. spans become entities: identical values, then persons linked by full name, surname
 *      or first name;
 *   4. the text is searched again for what the findings missed: the recurring text of
 *      identifiers and the capitalised words of every person's name;
 *   5. entities are numbered per category in order of first appearance and the output and the
 *      key are written. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-analysis.h"
#include "sc-error.h"
#include "sc-pseudonymize.h"
#include "sc-recognizers-private.h"

/* How far before a name a form of address may begin ("Frau Dr. med. "), in bytes. */
#define HONORIFIC_WINDOW 48
/* The shortest identifier text that is searched for again where no finding marked it. */
#define MIN_REPEAT_LENGTH 6

/* Roles a text gives a person, as a noun right before the name or in an apposition. */
#define ROLES \
  "Kläger(?:in)?|Beklagten?|Beklagter|Beigeladenen?|Beigeladener|Antragsteller(?:in)?|" \
  "Antragsgegner(?:in)?|Widerspruchsführer(?:in)?|Beschwerdeführer(?:in)?|Betroffenen?|" \
  "Betroffener|Beschuldigten?|Beschuldigter|Angeklagten?|Angeklagter|Zeug(?:e|in)|" \
  "Sachverständigen?|Sachverständiger|Sachbearbeiter(?:in)?|Bearbeiter(?:in)?|" \
  "Ansprechpartner(?:in)?|Rechtsanwalt|Rechtsanwältin|Bevollmächtigten?|Bevollmächtigter|" \
  "Prozessbevollmächtigten?|Prozessbevollmächtigter|Vertreter(?:in)?|Betreuer(?:in)?|" \
  "Vormund|Mieter(?:in)?|Vermieter(?:in)?|Eheleute|Familie|Ehemann|Ehefrau|" \
  "Ehegatten?|Ehegattin|Lebenspartner(?:in)?|Sohn(?:es)?|Tochter|Kind(?:es)?|Enkel(?:in)?|" \
  "Vater|Mutter|Bruder|Schwester|Richter(?:in)?|Vorsitzenden?|Vorsitzender"
#define HONORIFICS "Frau|Herrn?|Fr\\.|Hr\\."
#define ARTICLES "[Dd]er|[Dd]ie|[Dd]es|[Dd]em|[Dd]en"
#define TITLES \
  "(?:(?:Dr\\.|Prof\\.|Dipl\\.-\\p{L}+\\.?|med\\.|jur\\.|rer\\.|nat\\.)[ \\t]+)*"

/* Articles, roles and forms of address at the start of a person finding. */
static const char lead_pattern[] =
  "^(?:(?:" ARTICLES "|" ROLES "|" HONORIFICS ")(?![\\p{L}\\p{N}])[\\s,]*)+";
/* A role in brackets or after a comma at its end: "Beispiel (Sachbearbeiter)". A role word
 * right after the name without either is left in it: it may be the surname ("Erika Vater"). */
static const char trail_pattern[] =
  "(?:\\s*(?:\\(\\s*(?:(?:" ARTICLES ")\\s+)?(?:" ROLES ")\\s*\\)|"
  ",\\s*(?:(?:" ARTICLES ")\\s+)?(?:" ROLES ")(?![\\p{L}\\p{N}])))+[\\s,;:]*$";
/* A form of address, perhaps on the line before, and titles, right before a name. */
static const char honorific_pattern[] =
  "(?<![\\p{L}\\p{N}])(?<h>" HONORIFICS ")[ \\t]*(?:\\n[ \\t]*)?" TITLES "$";

/* Lower-case words after which a capitalised word is a noun rather than a name ("zum
 * Beispiel", "ein Koch"); only the search for missed name words heeds them. */
static const char *const noun_cues[] = {
  "zum", "zur", "beim", "vom", "im", "am", "ins", "ans", "ein", "eine", "einen", "einem",
  "einer", "eines", "kein", "keine", "keinen", "keinem", "keiner", "keines", NULL,
};

/* Name particles that may stand between the words of one name. */
static const char *const particles[] = {
  "von", "van", "de", "der", "den", "dem", "zu", "zur", "vom", "ter", "del", "di", "da", "du",
  "la", "le", NULL,
};

/* ------------------------------------------------------------------------------------------ */
/* The result                                                                                  */
/* ------------------------------------------------------------------------------------------ */

struct _ScPseudonymization
{
  gatomicrefcount  ref_count;
  char            *text;          /* the pseudonymised text */
  GPtrArray       *pseudonyms;    /* ScPseudonym* */
  GArray          *replacements;  /* ScPseudonymReplacement */
};

G_DEFINE_BOXED_TYPE (ScPseudonymization, sc_pseudonymization, sc_pseudonymization_ref,
                     sc_pseudonymization_unref)

static void
pseudonym_free (ScPseudonym *pseudonym)
{
  g_free (pseudonym->placeholder);
  g_ptr_array_unref (pseudonym->originals);
  g_free (pseudonym);
}

ScPseudonymization *
sc_pseudonymization_ref (ScPseudonymization *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
sc_pseudonymization_unref (ScPseudonymization *self)
{
  if (self == NULL)
    return;
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->text);
  g_ptr_array_unref (self->pseudonyms);
  g_array_unref (self->replacements);
  g_free (self);
}

const char *
sc_pseudonymization_get_text (ScPseudonymization *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->text;
}

GPtrArray *
sc_pseudonymization_get_pseudonyms (ScPseudonymization *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->pseudonyms;
}

GArray *
sc_pseudonymization_get_replacements (ScPseudonymization *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->replacements;
}

guint
sc_pseudonymize_default_categories (void)
{
  return SC_PSEUDONYMIZE_CATEGORY (SC_FINDING_PERSON) |
         SC_PSEUDONYMIZE_CATEGORY (SC_FINDING_ADDRESS) |
         SC_PSEUDONYMIZE_CATEGORY (SC_FINDING_BIRTH_DATE) |
         SC_PSEUDONYMIZE_CATEGORY (SC_FINDING_IBAN) |
         SC_PSEUDONYMIZE_CATEGORY (SC_FINDING_BIC) |
         SC_PSEUDONYMIZE_CATEGORY (SC_FINDING_TAX_ID) |
         SC_PSEUDONYMIZE_CATEGORY (SC_FINDING_SOCIAL_SECURITY_NUMBER) |
         SC_PSEUDONYMIZE_CATEGORY (SC_FINDING_ID_DOCUMENT_NUMBER) |
         SC_PSEUDONYMIZE_CATEGORY (SC_FINDING_PHONE) |
         SC_PSEUDONYMIZE_CATEGORY (SC_FINDING_EMAIL) |
         SC_PSEUDONYMIZE_CATEGORY (SC_FINDING_LICENSE_PLATE);
}

/* "[Person 1]": the translated label of @category with @number, in square brackets. */
static char *
placeholder_new (ScFindingCategory category,
                 guint             number)
{
  g_autofree char *label = NULL;

  switch (category)
    {
    case SC_FINDING_PERSON:
      /* Translators: this and the labels below stand in a pseudonymised document for the Nth
       * thing of their kind, in square brackets: "[Person 1]", "[Address 2]". */
      label = g_strdup_printf (_("Person %u"), number);
      break;
    case SC_FINDING_ORGANISATION:
      label = g_strdup_printf (_("Organisation %u"), number);
      break;
    case SC_FINDING_LOCATION:
      label = g_strdup_printf (_("Place %u"), number);
      break;
    case SC_FINDING_ADDRESS:
      label = g_strdup_printf (_("Address %u"), number);
      break;
    case SC_FINDING_BIRTH_DATE:
      label = g_strdup_printf (_("Date of birth %u"), number);
      break;
    case SC_FINDING_DATE:
      label = g_strdup_printf (_("Date %u"), number);
      break;
    case SC_FINDING_DEADLINE:
      label = g_strdup_printf (_("Deadline %u"), number);
      break;
    case SC_FINDING_IBAN:
      label = g_strdup_printf (_("IBAN %u"), number);
      break;
    case SC_FINDING_BIC:
      label = g_strdup_printf (_("BIC %u"), number);
      break;
    case SC_FINDING_TAX_ID:
      label = g_strdup_printf (_("Tax ID %u"), number);
      break;
    case SC_FINDING_SOCIAL_SECURITY_NUMBER:
      label = g_strdup_printf (_("Social security number %u"), number);
      break;
    case SC_FINDING_ID_DOCUMENT_NUMBER:
      label = g_strdup_printf (_("ID document number %u"), number);
      break;
    case SC_FINDING_PHONE:
      label = g_strdup_printf (_("Phone %u"), number);
      break;
    case SC_FINDING_EMAIL:
      label = g_strdup_printf (_("Email %u"), number);
      break;
    case SC_FINDING_URL:
      label = g_strdup_printf (_("Web address %u"), number);
      break;
    case SC_FINDING_LICENSE_PLATE:
      label = g_strdup_printf (_("Licence plate %u"), number);
      break;
    case SC_FINDING_MONEY:
      label = g_strdup_printf (_("Amount %u"), number);
      break;
    case SC_FINDING_CASE_NUMBER:
      label = g_strdup_printf (_("Case number %u"), number);
      break;
    case SC_FINDING_LEGAL_NORM:
      label = g_strdup_printf (_("Legal provision %u"), number);
      break;
    case SC_FINDING_COURT_DECISION:
      label = g_strdup_printf (_("Court decision %u"), number);
      break;
    case SC_FINDING_N_CATEGORIES:
    default:
      g_assert_not_reached ();
    }
  return g_strdup_printf ("[%s]", label);
}

/* ------------------------------------------------------------------------------------------ */
/* Spans and entities                                                                          */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  ScFindingCategory  category;
  GPtrArray         *words;      /* persons: char*, case-folded name words of the fullest name */
  GHashTable        *parts;      /* persons: those words split at hyphens (char* → itself) */
  const char        *honorific;  /* persons: "frau" or "herr" before a full name, or NULL */
  GPtrArray         *forms;      /* identifiers: char*, their texts, searched for again */
  gsize              first;      /* byte offset of the first occurrence */
  ScPseudonym       *pseudonym;
  guint              index;      /* of the pseudonym in the result */
} Entity;

typedef struct
{
  gsize              start;      /* bytes into the text, [start, end) */
  gsize              end;
  ScFindingCategory  category;
  char              *key;        /* others: the normalised value or text */
  GPtrArray         *words;      /* persons: char*, case-folded name words */
  const char        *honorific;  /* persons: "frau" or "herr" right before, or NULL */
  Entity            *entity;
} Span;

typedef struct
{
  const char  *text;
  gsize        length;
  GArray      *spans;      /* Span */
  GPtrArray   *entities;   /* Entity*, in order of creation */
  GPtrArray   *persons;    /* Entity*, the persons among them, in order of creation */
  GHashTable  *by_key;     /* "category\x1fkey" → Entity*, for all but persons */
  GHashTable  *name_parts; /* every person's parts, char* → itself */
  guint8      *covered;    /* one flag per byte of @text: inside a span */
} Pseudonymizer;

static void
span_clear (gpointer data)
{
  Span *span = data;

  g_free (span->key);
  g_clear_pointer (&span->words, g_ptr_array_unref);
}

static void
entity_free (gpointer data)
{
  Entity *entity = data;

  g_clear_pointer (&entity->words, g_ptr_array_unref);
  g_clear_pointer (&entity->parts, g_hash_table_unref);
  g_clear_pointer (&entity->forms, g_ptr_array_unref);
  g_free (entity);
}

/* @text[0, @length) case folded, blanks collapsed to single spaces, no blanks at the ends. */
static char *
normalise (const char *text,
           gssize      length)
{
  g_autofree char *nfc = g_utf8_normalize (text, length, G_NORMALIZE_NFC);
  g_autofree char *folded = NULL;
  GString *out = g_string_new (NULL);
  gboolean blank = FALSE;

  folded = nfc != NULL ? g_utf8_casefold (nfc, -1) : g_utf8_casefold (text, length);
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          blank = out->len > 0;
          continue;
        }
      if (blank)
        g_string_append_c (out, ' ');
      blank = FALSE;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static gboolean
in_list (const char *const *list,
         const char        *word,
         gsize              length)
{
  for (guint i = 0; list[i] != NULL; i++)
    {
      if (strlen (list[i]) == length && strncmp (list[i], word, length) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalpha (c) || g_unichar_ismark (c);
}

static gboolean
words_equal (GPtrArray *a,
             GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      if (!g_str_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
        return FALSE;
    }
  return TRUE;
}

/* The form of address ending right before @pos ("frau" or "herr"), allowing for titles and a
 * line break in between; sets *@from to where it starts. NULL when there is none. */
static const char *
honorific_before (const char *text,
                  gsize       pos,
                  gsize      *from)
{
  static GRegex *regex;
  g_autoptr(GMatchInfo) info = NULL;
  g_autofree char *word = NULL;
  gsize window = pos > HONORIFIC_WINDOW ? pos - HONORIFIC_WINDOW : 0;
  int s = 0, e = 0;

  /* the window starts on a character */
  while (window < pos && ((guchar) text[window] & 0xC0) == 0x80)
    window++;
  /* the subject ends at @pos, so "$" anchors there; the look-behind may still see before */
  if (!g_regex_match_full (_sc_regex_once (&regex, honorific_pattern), text, (gssize) pos,
                           (int) window, 0, &info, NULL) ||
      !g_match_info_fetch_named_pos (info, "h", &s, &e) || s < 0)
    return NULL;
  *from = (gsize) s;
  word = g_match_info_fetch_named (info, "h");
  return word[0] == 'F' ? "frau" : "herr";
}

/* Shrinks [*start, *end) of a person finding to the name: articles, roles and forms of
 * address before it and a role in brackets or after a comma behind it stay in the text.
 * FALSE when no name is left ("der Kläger"). */
static gboolean
trim_person (const char *text,
             gsize      *start,
             gsize      *end)
{
  static GRegex *lead, *trail;
  g_autofree char *span = g_strndup (text + *start, *end - *start);
  g_autoptr(GMatchInfo) info = NULL;
  gsize s = 0, e = strlen (span);
  int ms = 0, me = 0;

  if (g_regex_match (_sc_regex_once (&lead, lead_pattern), span, 0, &info) &&
      g_match_info_fetch_pos (info, 0, &ms, &me))
    s = (gsize) me;
  g_clear_pointer (&info, g_match_info_unref);
  if (g_regex_match_full (_sc_regex_once (&trail, trail_pattern), span, (gssize) e, (int) s, 0,
                          &info, NULL) &&
      g_match_info_fetch_pos (info, 0, &ms, &me))
    e = (gsize) ms;

  while (s < e && strchr (" \t\r\n\f,;:", span[s]) != NULL)
    s++;
  while (e > s && strchr (" \t\r\n\f,;:", span[e - 1]) != NULL)
    e--;
  if (s == e)
    return FALSE;
  *end = *start + e;
  *start += s;
  return TRUE;
}

/* The case-folded words of the name in @text[0, @length): capitalised words, without
 * particles ("von"), titles and initials ("Dr.", "E."). A name of none such (written all in
 * lower case, say) is one word, the whole of it. */
static GPtrArray *
name_words (const char *text,
            gsize       length)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  const char *end = text + length;
  const char *p = text;

  while (p < end)
    {
      const char *w, *we;

      while (p < end && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      w = p;
      while (p < end && !g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      we = p;
      /* punctuation around the word, but a final full stop marks a title or initial */
      while (w < we && !g_unichar_isalnum (g_utf8_get_char (w)))
        w = g_utf8_next_char (w);
      while (we > w)
        {
          const char *prev = g_utf8_prev_char (we);

          if (g_unichar_isalnum (g_utf8_get_char (prev)) || *prev == '.')
            break;
          we = prev;
        }
      if (w == we || we[-1] == '.' || g_unichar_islower (g_utf8_get_char (w)))
        continue;
      g_ptr_array_add (words, g_utf8_casefold (w, we - w));
    }
  if (words->len == 0)
    g_ptr_array_add (words, normalise (text, (gssize) length));
  return words;
}

static void
add_parts (GHashTable *parts,
           GHashTable *all,
           const char *word)
{
  const char *p = word;

  while (*p != '\0')
    {
      const char *w;

      while (*p != '\0' && !is_word_char (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      w = p;
      while (*p != '\0' && is_word_char (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      /* single letters would hit every initial */
      if (g_utf8_strlen (w, p - w) >= 2)
        {
          char *part = g_strndup (w, p - w);

          g_hash_table_add (all, g_strdup (part));
          g_hash_table_add (parts, part);
        }
    }
}

static Entity *
entity_new (Pseudonymizer     *ps,
            ScFindingCategory  category)
{
  Entity *entity = g_new0 (Entity, 1);

  entity->category = category;
  entity->first = G_MAXSIZE;
  g_ptr_array_add (ps->entities, entity);
  return entity;
}

/* Notes a name of @entity: its words (the fullest name wins), their parts and the form of
 * address it was seen with. */
static void
person_add_name (Pseudonymizer *ps,
                 Entity        *entity,
                 GPtrArray     *words,
                 const char    *honorific)
{
  if (entity->words == NULL || words->len > entity->words->len)
    {
      g_clear_pointer (&entity->words, g_ptr_array_unref);
      entity->words = g_ptr_array_new_full (words->len, g_free);
      for (guint i = 0; i < words->len; i++)
        g_ptr_array_add (entity->words, g_strdup (g_ptr_array_index (words, i)));
    }
  for (guint i = 0; i < words->len; i++)
    add_parts (entity->parts, ps->name_parts, g_ptr_array_index (words, i));
  if (entity->honorific == NULL && words->len >= 2)
    entity->honorific = honorific;
}

/* The first person with a full name whose last (@surname) or first word is @word; of
 * several, the first seen with @honorific. */
static Entity *
person_by_word (Pseudonymizer *ps,
                const char    *word,
                const char    *honorific,
                gboolean       surname)
{
  Entity *found = NULL;

  for (guint i = 0; i < ps->persons->len; i++)
    {
      Entity *e = g_ptr_array_index (ps->persons, i);
      const char *w;

      if (e->words->len < 2)
        continue;
      w = g_ptr_array_index (e->words, surname ? e->words->len - 1 : 0);
      if (!g_str_equal (w, word))
        continue;
      if (honorific != NULL && e->honorific == honorific)
        return e;
      if (found == NULL)
        found = e;
    }
  return found;
}

/* The person @words name. A single word links to a full name ending or, failing that,
 * starting with it; a genitive "s" is tried too. Otherwise a new person when @allow_new, or
 * the person most of @words belong to. */
static Entity *
resolve_person (Pseudonymizer *ps,
                GPtrArray     *words,
                const char    *honorific,
                gboolean       allow_new)
{
  Entity *entity = NULL, *best = NULL;
  guint best_score = 0;
  const char *first = g_ptr_array_index (words, 0);
  const char *last = g_ptr_array_index (words, words->len - 1);

  for (guint i = 0; i < ps->persons->len && entity == NULL; i++)
    {
      Entity *e = g_ptr_array_index (ps->persons, i);

      if (words_equal (e->words, words))
        entity = e;
    }
  for (guint i = 0; i < ps->persons->len && entity == NULL && words->len >= 2; i++)
    {
      Entity *e = g_ptr_array_index (ps->persons, i);

      if (e->words->len >= 2 && g_str_equal (g_ptr_array_index (e->words, 0), first) &&
          g_str_equal (g_ptr_array_index (e->words, e->words->len - 1), last))
        entity = e;
    }
  if (entity == NULL && words->len == 1)
    {
      gsize n = strlen (first);

      entity = person_by_word (ps, first, honorific, TRUE);
      if (entity == NULL)
        entity = person_by_word (ps, first, honorific, FALSE);
      if (entity == NULL && n > 3 && first[n - 1] == 's')
        {
          g_autofree char *stem = g_strndup (first, n - 1);

          entity = person_by_word (ps, stem, honorific, TRUE);
        }
    }
  if (entity != NULL)
    {
      person_add_name (ps, entity, words, honorific);
      return entity;
    }

  if (allow_new)
    {
      entity = entity_new (ps, SC_FINDING_PERSON);
      entity->parts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_ptr_array_add (ps->persons, entity);
      person_add_name (ps, entity, words, honorific);
      return entity;
    }

  for (guint i = 0; i < ps->persons->len; i++)
    {
      Entity *e = g_ptr_array_index (ps->persons, i);
      guint score = 0;

      for (guint w = 0; w < words->len; w++)
        score += g_hash_table_contains (e->parts, g_ptr_array_index (words, w)) ? 2 : 0;
      if (score > 0 && honorific != NULL && e->honorific == honorific)
        score++;
      if (score > best_score)
        {
          best = e;
          best_score = score;
        }
    }
  return best;
}

static Entity *
resolve_other (Pseudonymizer *ps,
               Span          *span)
{
  g_autofree char *key = g_strdup_printf ("%d\x1f%s", span->category, span->key);
  Entity *entity = g_hash_table_lookup (ps->by_key, key);

  if (entity == NULL)
    {
      entity = entity_new (ps, span->category);
      entity->forms = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (ps->by_key, g_steal_pointer (&key), entity);
    }
  return entity;
}

/* Notes the text of an identifier @span to search for it again; only texts with a digit or
 * an "@", which no ordinary word has ("WoGG" taken for an address must not take every
 * "WoGG" with it). */
static void
entity_add_form (Entity     *entity,
                 const char *text,
                 const Span *span)
{
  g_autofree char *form = NULL;

  if (span->end - span->start < MIN_REPEAT_LENGTH)
    return;
  form = g_strndup (text + span->start, span->end - span->start);
  if (strpbrk (form, "0123456789@") == NULL)
    return;
  for (guint i = 0; i < entity->forms->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (entity->forms, i), form))
        return;
    }
  g_ptr_array_add (entity->forms, g_steal_pointer (&form));
}

static gboolean
is_covered (Pseudonymizer *ps,
            gsize          start,
            gsize          end)
{
  for (gsize i = start; i < end; i++)
    {
      if (ps->covered[i])
        return TRUE;
    }
  return FALSE;
}

static void
add_span (Pseudonymizer *ps,
          Span          *span)
{
  memset (ps->covered + span->start, 1, span->end - span->start);
  g_array_append_vals (ps->spans, span, 1);
}

/* ------------------------------------------------------------------------------------------ */
/* Passes                                                                                      */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  gsize  cp;
  gsize *byte;
} Offset;

static int
compare_offsets (gconstpointer a,
                 gconstpointer b)
{
  const Offset *x = a, *y = b;

  return x->cp < y->cp ? -1 : x->cp > y->cp;
}

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const Span *x = a, *y = b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  /* the longer first */
  if (x->end != y->end)
    return x->end > y->end ? -1 : 1;
  return 0;
}

/* Pass 1: a span for each finding of @categories; its byte offsets from the code points. */
static gboolean
spans_from_findings (Pseudonymizer  *ps,
                     GPtrArray      *findings,
                     guint           categories,
                     GArray         *spans,
                     GError        **error)
{
  g_autofree gsize *bytes = NULL;
  g_autofree Offset *offsets = NULL;
  const char *p = ps->text;
  gsize cp = 0;
  guint n = findings != NULL ? findings->len : 0;

  bytes = g_new0 (gsize, 2 * (gsize) n + 1);
  offsets = g_new0 (Offset, 2 * (gsize) n + 1);
  for (guint i = 0; i < n; i++)
    {
      ScPageFinding *pf = g_ptr_array_index (findings, i);

      if (pf == NULL || pf->finding == NULL || pf->doc_start > pf->doc_end)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                       _("Finding %u has no valid position in the text"), i + 1);
          return FALSE;
        }
      offsets[2 * i] = (Offset) { pf->doc_start, &bytes[2 * i] };
      offsets[2 * i + 1] = (Offset) { pf->doc_end, &bytes[2 * i + 1] };
    }

  /* one walk over the text for every offset */
  qsort (offsets, 2 * (gsize) n, sizeof (Offset), compare_offsets);
  for (gsize i = 0; i < 2 * (gsize) n; i++)
    {
      while (cp < offsets[i].cp && *p != '\0')
        {
          p = g_utf8_next_char (p);
          cp++;
        }
      if (cp != offsets[i].cp)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                       _("A finding lies beyond the end of the text"));
          return FALSE;
        }
      *offsets[i].byte = (gsize) (p - ps->text);
    }

  for (guint i = 0; i < n; i++)
    {
      ScPageFinding *pf = g_ptr_array_index (findings, i);
      ScFinding *f = pf->finding;
      Span span = { bytes[2 * i], bytes[2 * i + 1], f->category, NULL, NULL, NULL, NULL };
      gsize from = 0;

      /* offsets that do not show the finding's text belong to another text */
      if (f->text == NULL || strlen (f->text) != span.end - span.start ||
          memcmp (ps->text + span.start, f->text, span.end - span.start) != 0)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                       _("The findings do not belong to this text"));
          return FALSE;
        }
      if ((guint) f->category >= SC_FINDING_N_CATEGORIES ||
          !(categories & SC_PSEUDONYMIZE_CATEGORY (f->category)) || span.start == span.end)
        continue;

      if (f->category == SC_FINDING_PERSON)
        {
          if (!trim_person (ps->text, &span.start, &span.end))
            continue;
          span.words = name_words (ps->text + span.start, span.end - span.start);
          span.honorific = honorific_before (ps->text, span.start, &from);
        }
      else if (f->value != NULL && *f->value != '\0')
        {
          span.key = normalise (f->value, -1);
        }
      else
        {
          span.key = normalise (ps->text + span.start, (gssize) (span.end - span.start));
        }
      g_array_append_val (spans, span);
    }
  return TRUE;
}

/* Pass 2: overlapping spans of @candidates become one, with the category and key of the
 * longest; the result goes to ps->spans. */
static void
merge_overlaps (Pseudonymizer *ps,
                GArray        *candidates)
{
  g_array_sort (candidates, compare_spans);
  for (guint i = 0; i < candidates->len;)
    {
      Span *first = &g_array_index (candidates, Span, i);
      Span *winner = first;
      Span merged;
      gsize end = first->end;
      guint j = i + 1;

      for (; j < candidates->len; j++)
        {
          Span *next = &g_array_index (candidates, Span, j);

          if (next->start >= end)
            break;
          if (next->end - next->start > winner->end - winner->start)
            winner = next;
          end = MAX (end, next->end);
        }
      merged = *winner;
      merged.start = first->start;
      merged.end = end;
      /* the winner's key and words move to the merged span */
      winner->key = NULL;
      winner->words = NULL;
      add_span (ps, &merged);
      i = j;
    }
}

/* Pass 3: the entity of every span; persons with a full name first, so that a surname alone
 * can link to them. */
static void
resolve_entities (Pseudonymizer *ps)
{
  for (guint round = 0; round < 2; round++)
    {
      for (guint i = 0; i < ps->spans->len; i++)
        {
          Span *span = &g_array_index (ps->spans, Span, i);

          if (span->category != SC_FINDING_PERSON)
            {
              if (round == 0)
                {
                  span->entity = resolve_other (ps, span);
                  entity_add_form (span->entity, ps->text, span);
                }
              continue;
            }
          if ((round == 0) != (span->words->len >= 2))
            continue;
          span->entity = resolve_person (ps, span->words, span->honorific, TRUE);
        }
    }
}

/* Pass 4a: the texts of identifiers where they recur without a finding. */
static void
find_repeated_forms (Pseudonymizer *ps)
{
  for (guint i = 0; i < ps->entities->len; i++)
    {
      Entity *entity = g_ptr_array_index (ps->entities, i);

      for (guint f = 0; entity->forms != NULL && f < entity->forms->len; f++)
        {
          const char *form = g_ptr_array_index (entity->forms, f);
          gsize n = strlen (form);

          for (const char *hit = strstr (ps->text, form); hit != NULL;
               hit = strstr (g_utf8_next_char (hit), form))
            {
              gsize start = (gsize) (hit - ps->text);
              Span span = { start, start + n, entity->category, NULL, NULL, NULL, entity };

              if (is_covered (ps, start, start + n) || _sc_alnum_before (ps->text, start) ||
                  _sc_alnum_at (ps->text, ps->length, start + n))
                continue;
              add_span (ps, &span);
            }
        }
    }
}

/* Whether the blanks (or a name particle) between two name words at @from and @to join them
 * into one name. */
static gboolean
joins_name (Pseudonymizer *ps,
            gsize          from,
            gsize          to)
{
  gsize s = from, e = to;

  if (is_covered (ps, from, to))
    return FALSE;
  while (s < e && strchr (" \t-", ps->text[s]) != NULL)
    s++;
  while (e > s && strchr (" \t-", ps->text[e - 1]) != NULL)
    e--;
  if (s == e)
    return TRUE;
  return s > from && e < to && in_list (particles, ps->text + s, e - s);
}

/* Whether the word before @pos is one after which a capitalised word is a noun. */
static gboolean
after_noun_cue (Pseudonymizer *ps,
                gsize          pos)
{
  gsize e = pos, s;

  while (e > 0 && (ps->text[e - 1] == ' ' || ps->text[e - 1] == '\t'))
    e--;
  s = e;
  while (s > 0 && g_ascii_isalpha (ps->text[s - 1]))
    s--;
  return e > s && e < pos && (s == 0 || !((guchar) ps->text[s - 1] & 0x80)) &&
         in_list (noun_cues, ps->text + s, e - s);
}

static void
flush_run (Pseudonymizer *ps,
           gsize          start,
           gsize          end,
           GPtrArray     *words)
{
  Span span = { start, end, SC_FINDING_PERSON, NULL, NULL, NULL, NULL };
  gsize from = 0;

  if (words->len == 0)
    return;
  span.honorific = honorific_before (ps->text, start, &from);
  span.entity = resolve_person (ps, words, span.honorific, FALSE);
  g_ptr_array_set_size (words, 0);
  if (span.entity != NULL)
    add_span (ps, &span);
}

/* Pass 4b: the capitalised words of persons' names standing on their own ("Erika" when
 * "Erika Mustermann" is a finding), adjacent ones as one name. */
static void
find_name_words (Pseudonymizer *ps)
{
  g_autoptr(GPtrArray) run = g_ptr_array_new_with_free_func (g_free);
  gsize run_start = 0, run_end = 0;
  const char *p = ps->text;

  if (g_hash_table_size (ps->name_parts) == 0)
    return;
  while (*p != '\0')
    {
      gsize start, end;
      gunichar c = g_utf8_get_char (p);
      g_autofree char *folded = NULL;
      gboolean genitive = FALSE;

      if (!is_word_char (c))
        {
          p = g_utf8_next_char (p);
          continue;
        }
      start = (gsize) (p - ps->text);
      while (*p != '\0' && is_word_char (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      end = (gsize) (p - ps->text);

      if (!g_unichar_isupper (c) && !g_unichar_istitle (c))
        continue;
      if (is_covered (ps, start, end))
        continue;
      folded = g_utf8_casefold (ps->text + start, (gssize) (end - start));
      if (!g_hash_table_contains (ps->name_parts, folded))
        {
          gsize n = strlen (folded);

          /* "Mustermanns Antrag" */
          if (n < 4 || folded[n - 1] != 's')
            continue;
          folded[n - 1] = '\0';
          if (!g_hash_table_contains (ps->name_parts, folded))
            continue;
          genitive = TRUE;
        }

      if (run->len > 0 && joins_name (ps, run_end, start))
        {
          run_end = end;
        }
      else
        {
          flush_run (ps, run_start, run_end, run);
          if (after_noun_cue (ps, start))
            continue;
          run_start = start;
          run_end = end;
        }
      g_ptr_array_add (run, g_steal_pointer (&folded));
      /* a genitive ends the name */
      if (genitive)
        flush_run (ps, run_start, run_end, run);
    }
  flush_run (ps, run_start, run_end, run);
}

/* With SC_PSEUDONYMIZE_REPLACE_HONORIFICS: "Frau", "Herr" and the titles after them go into
 * the placeholder of the name they precede. @ps->spans is sorted. */
static void
take_honorifics (Pseudonymizer *ps)
{
  for (guint i = 0; i < ps->spans->len; i++)
    {
      Span *span = &g_array_index (ps->spans, Span, i);
      gsize prev_end = i > 0 ? g_array_index (ps->spans, Span, i - 1).end : 0;
      gsize from = 0;

      if (span->category == SC_FINDING_PERSON &&
          honorific_before (ps->text, span->start, &from) != NULL && from >= prev_end)
        span->start = from;
    }
}

static int
compare_entities (gconstpointer a,
                  gconstpointer b)
{
  const Entity *x = *(Entity *const *) a, *y = *(Entity *const *) b;

  return x->first < y->first ? -1 : x->first > y->first;
}

/* Pass 5: numbers per category in order of first appearance, then the text. */
static ScPseudonymization *
write_result (Pseudonymizer *ps)
{
  ScPseudonymization *self = g_new0 (ScPseudonymization, 1);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  GString *out = g_string_sized_new (ps->length + 64);
  gsize pos = 0, cp_in = 0, cp_out = 0;

  g_atomic_ref_count_init (&self->ref_count);
  self->pseudonyms = g_ptr_array_new_with_free_func ((GDestroyNotify) pseudonym_free);
  self->replacements = g_array_sized_new (FALSE, FALSE, sizeof (ScPseudonymReplacement),
                                          ps->spans->len);

  for (guint i = 0; i < ps->spans->len; i++)
    {
      Span *span = &g_array_index (ps->spans, Span, i);

      span->entity->first = MIN (span->entity->first, span->start);
    }
  /* every entity has a span */
  for (guint i = 0; i < ps->entities->len; i++)
    g_ptr_array_add (order, g_ptr_array_index (ps->entities, i));
  g_ptr_array_sort (order, compare_entities);
  for (guint category = 0; category < SC_FINDING_N_CATEGORIES; category++)
    {
      guint number = 0;

      for (guint i = 0; i < order->len; i++)
        {
          Entity *entity = g_ptr_array_index (order, i);
          ScPseudonym *pseudonym;

          if (entity->category != category)
            continue;
          pseudonym = g_new0 (ScPseudonym, 1);
          pseudonym->category = entity->category;
          pseudonym->number = ++number;
          pseudonym->placeholder = placeholder_new (entity->category, number);
          pseudonym->originals = g_ptr_array_new_with_free_func (g_free);
          entity->pseudonym = pseudonym;
          entity->index = self->pseudonyms->len;
          g_ptr_array_add (self->pseudonyms, pseudonym);
        }
    }

  for (guint i = 0; i < ps->spans->len; i++)
    {
      Span *span = &g_array_index (ps->spans, Span, i);
      ScPseudonym *pseudonym = span->entity->pseudonym;
      ScPseudonymReplacement r = { 0 };
      g_autofree char *original = g_strndup (ps->text + span->start, span->end - span->start);
      gsize n = (gsize) g_utf8_strlen (ps->text + pos, (gssize) (span->start - pos));
      guint k;

      g_string_append_len (out, ps->text + pos, (gssize) (span->start - pos));
      cp_in += n;
      cp_out += n;
      r.start = cp_in;
      r.out_start = cp_out;
      cp_in += (gsize) g_utf8_strlen (original, -1);
      cp_out += (gsize) g_utf8_strlen (pseudonym->placeholder, -1);
      r.end = cp_in;
      r.out_end = cp_out;
      g_string_append (out, pseudonym->placeholder);
      pos = span->end;

      for (k = 0; k < pseudonym->originals->len; k++)
        {
          if (g_str_equal (g_ptr_array_index (pseudonym->originals, k), original))
            break;
        }
      if (k == pseudonym->originals->len)
        g_ptr_array_add (pseudonym->originals, g_steal_pointer (&original));
      r.original = k;
      r.pseudonym = span->entity->index;
      pseudonym->occurrences++;
      g_array_append_val (self->replacements, r);
    }
  g_string_append_len (out, ps->text + pos, (gssize) (ps->length - pos));
  self->text = g_string_free (out, FALSE);
  return self;
}

ScPseudonymization *
sc_pseudonymize (const char           *text,
                 GPtrArray            *findings,
                 guint                 categories,
                 ScPseudonymizeFlags   flags,
                 GError              **error)
{
  g_autoptr(GArray) candidates = NULL;
  ScPseudonymization *result = NULL;
  Pseudonymizer ps = { 0 };

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT, _("The text is not valid UTF-8"));
      return NULL;
    }

  ps.text = text;
  ps.length = strlen (text);
  ps.spans = g_array_new (FALSE, FALSE, sizeof (Span));
  g_array_set_clear_func (ps.spans, span_clear);
  ps.entities = g_ptr_array_new_with_free_func (entity_free);
  ps.persons = g_ptr_array_new ();
  ps.by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ps.name_parts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ps.covered = g_new0 (guint8, ps.length + 1);
  candidates = g_array_new (FALSE, FALSE, sizeof (Span));
  g_array_set_clear_func (candidates, span_clear);

  if (spans_from_findings (&ps, findings, categories, candidates, error))
    {
      merge_overlaps (&ps, candidates);
      resolve_entities (&ps);
      find_repeated_forms (&ps);
      find_name_words (&ps);
      g_array_sort (ps.spans, compare_spans);
      if (flags & SC_PSEUDONYMIZE_REPLACE_HONORIFICS)
        take_honorifics (&ps);
      result = write_result (&ps);
    }

  g_array_unref (ps.spans);
  g_ptr_array_unref (ps.entities);
  g_ptr_array_unref (ps.persons);
  g_hash_table_unref (ps.by_key);
  g_hash_table_unref (ps.name_parts);
  g_free (ps.covered);
  return result;
}

/* ------------------------------------------------------------------------------------------ */
/* JSON                                                                                        */
/* ------------------------------------------------------------------------------------------ */

void
sc_pseudonymization_write_json (ScPseudonymization *self,
                                ScJsonWriter       *writer,
                                gboolean            originals)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (writer != NULL);

  sc_json_writer_begin_array (writer);
  for (guint i = 0; i < self->pseudonyms->len; i++)
    {
      ScPseudonym *pseudonym = g_ptr_array_index (self->pseudonyms, i);

      sc_json_writer_begin_object (writer);
      sc_json_writer_key (writer, "placeholder");
      sc_json_writer_string (writer, pseudonym->placeholder);
      sc_json_writer_key (writer, "category");
      sc_json_writer_string (writer, sc_finding_category_to_string (pseudonym->category));
      sc_json_writer_key (writer, "number");
      sc_json_writer_int (writer, pseudonym->number);
      sc_json_writer_key (writer, "occurrences");
      sc_json_writer_int (writer, pseudonym->occurrences);
      if (originals)
        {
          sc_json_writer_key (writer, "originals");
          sc_json_writer_begin_array (writer);
          for (guint k = 0; k < pseudonym->originals->len; k++)
            sc_json_writer_string (writer, g_ptr_array_index (pseudonym->originals, k));
          sc_json_writer_end_array (writer);
        }
      sc_json_writer_end_object (writer);
    }
  sc_json_writer_end_array (writer);
}

char *
sc_pseudonymization_to_key_json (ScPseudonymization *self)
{
  ScJsonWriter *w;

  g_return_val_if_fail (self != NULL, NULL);

  w = sc_json_writer_new (TRUE);
  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "format");
  sc_json_writer_string (w, "sichtung-pseudonym-key");
  sc_json_writer_key (w, "version");
  sc_json_writer_int (w, 1);
  sc_json_writer_key (w, "pseudonyms");
  sc_pseudonymization_write_json (self, w, TRUE);
  sc_json_writer_key (w, "replacements");
  sc_json_writer_begin_array (w);
  for (guint i = 0; i < self->replacements->len; i++)
    {
      const ScPseudonymReplacement *r =
        &g_array_index (self->replacements, ScPseudonymReplacement, i);
      ScPseudonym *pseudonym = g_ptr_array_index (self->pseudonyms, r->pseudonym);

      sc_json_writer_begin_object (w);
      sc_json_writer_key (w, "placeholder");
      sc_json_writer_string (w, pseudonym->placeholder);
      sc_json_writer_key (w, "start");
      sc_json_writer_int (w, (gint64) r->out_start);
      sc_json_writer_key (w, "end");
      sc_json_writer_int (w, (gint64) r->out_end);
      sc_json_writer_key (w, "original_start");
      sc_json_writer_int (w, (gint64) r->start);
      sc_json_writer_key (w, "original_end");
      sc_json_writer_int (w, (gint64) r->end);
      sc_json_writer_key (w, "original");
      sc_json_writer_string (w, g_ptr_array_index (pseudonym->originals, r->original));
      sc_json_writer_end_object (w);
    }
  sc_json_writer_end_array (w);
  sc_json_writer_end_object (w);
  return sc_json_writer_free_to_string (w);
}
