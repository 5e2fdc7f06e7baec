/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-finding-item.c: one finding of an analysis as a list item, with a person's decision.
 *
 * Everything but the decision, its reason and legal basis is fixed when the item is made, so
 * list rows, sorters and filters may read it freely; the decision notifies on every change. A
 * correction (sichtung_finding_item_edit()) is the exception: it replaces the finding with the
 * one stored and notifies "category", so whoever sorts or groups by it looks again. A stored
 * item writes each decision synchronously: one small transaction, which keeps decisions in
 * the order they were made and lets every view show a decision only once it is safe.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <glib/gi18n.h>

#include "sichtung-finding-item.h"
#include "sichtung-finding-style.h"

/* The longest snippet, in characters; the rest is in the explanation
 * (tests/atspi/test-atspi.py knows it too). */
#define MAX_SNIPPET_CHARS 60

struct _SichtungFindingItem
{
  GObject           parent_instance;

  ScPageFinding    *finding;
  ScStore          *store;   /* NULL for an item of no store */
  ScStoreFinding   *stored;
  char             *source_names;
  char             *key;
  SichtungDecision  decision;
  char             *reason;
  char             *legal_basis;
};

G_DEFINE_FINAL_TYPE (SichtungFindingItem, sichtung_finding_item, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (SichtungDecision, sichtung_decision,
                    G_DEFINE_ENUM_VALUE (SICHTUNG_DECISION_OPEN, "open"),
                    G_DEFINE_ENUM_VALUE (SICHTUNG_DECISION_ACCEPTED, "accepted"),
                    G_DEFINE_ENUM_VALUE (SICHTUNG_DECISION_REJECTED, "rejected"),
                    G_DEFINE_ENUM_VALUE (SICHTUNG_DECISION_EDITED, "edited"))

enum {
  PROP_0,
  PROP_CATEGORY,
  PROP_CATEGORY_NAME,
  PROP_LABEL,
  PROP_TEXT,
  PROP_PAGE,
  PROP_CONFIDENCE,
  PROP_SOURCES,
  PROP_SOURCE_NAMES,
  PROP_DECISION,
  PROP_REASON,
  PROP_STORE_ID,
  PROP_MANUAL,
  PROP_LEGAL_BASIS,
  N_PROPS
};

enum {
  DECISION_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

const char *
sichtung_decision_get_display_name (SichtungDecision decision)
{
  switch (decision)
    {
    case SICHTUNG_DECISION_OPEN: return _("Open");
    case SICHTUNG_DECISION_ACCEPTED: return _("Accepted");
    case SICHTUNG_DECISION_REJECTED: return _("Rejected");
    case SICHTUNG_DECISION_EDITED: return _("Edited");
    default: break;
    }
  g_return_val_if_reached (NULL);
}

static const char *
source_display_name (ScFindingSource source)
{
  switch (source)
    {
    case SC_FINDING_SOURCE_RULE: return _("Rule");
    case SC_FINDING_SOURCE_MODEL: return _("Model");
    /* Translators: a finding confirmed by a list of known names (places, courts …). */
    case SC_FINDING_SOURCE_GAZETTEER: return _("Name list");
    default: break;
    }
  g_return_val_if_reached (NULL);
}

char *
sichtung_finding_sources_to_string (guint sources)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (ScFindingSource source = SC_FINDING_SOURCE_RULE; source <= SC_FINDING_SOURCE_GAZETTEER;
       source++)
    {
      if ((sources & (1u << source)) == 0)
        continue;
      if (names->len > 0)
        /* Translators: separates the sources of one finding: “Rule, Model”. */
        g_string_append (names, _(", "));
      g_string_append (names, source_display_name (source));
    }

  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* Case-folded, white space collapsed: “Erika  Mustermann” and “ERIKA\nMUSTERMANN” agree. */
static char *
make_key (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_autoptr(GString) key = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          space = key->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (key, ' ');
      space = FALSE;
      g_string_append_unichar (key, c);
    }

  return g_string_free (g_steal_pointer (&key), FALSE);
}

static void
set_legal_basis (SichtungFindingItem *self,
                 const char          *legal_basis)
{
  if (g_strcmp0 (self->legal_basis, legal_basis) == 0)
    return;

  g_free (self->legal_basis);
  self->legal_basis = g_strdup (legal_basis);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEGAL_BASIS]);
}

static void
sichtung_finding_item_finalize (GObject *object)
{
  SichtungFindingItem *self = SICHTUNG_FINDING_ITEM (object);

  g_clear_pointer (&self->finding, sc_page_finding_unref);
  g_clear_pointer (&self->stored, sc_store_finding_unref);
  g_clear_object (&self->store);
  g_clear_pointer (&self->source_names, g_free);
  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->legal_basis, g_free);

  G_OBJECT_CLASS (sichtung_finding_item_parent_class)->finalize (object);
}

static void
sichtung_finding_item_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SichtungFindingItem *self = SICHTUNG_FINDING_ITEM (object);

  switch (prop_id)
    {
    case PROP_CATEGORY:
      g_value_set_uint (value, sichtung_finding_item_get_category (self));
      break;

    case PROP_CATEGORY_NAME:
      g_value_set_string (value, sichtung_finding_item_get_category_name (self));
      break;

    case PROP_LABEL:
      g_value_set_string (value, sichtung_finding_item_get_label (self));
      break;

    case PROP_TEXT:
      g_value_set_string (value, sichtung_finding_item_get_text (self));
      break;

    case PROP_PAGE:
      g_value_set_uint (value, sichtung_finding_item_get_page (self));
      break;

    case PROP_CONFIDENCE:
      g_value_set_double (value, sichtung_finding_item_get_confidence (self));
      break;

    case PROP_SOURCES:
      g_value_set_uint (value, self->finding->sources);
      break;

    case PROP_SOURCE_NAMES:
      g_value_set_string (value, self->source_names);
      break;

    case PROP_DECISION:
      g_value_set_enum (value, self->decision);
      break;

    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;

    case PROP_STORE_ID:
      g_value_set_int64 (value, sichtung_finding_item_get_store_id (self));
      break;

    case PROP_MANUAL:
      g_value_set_boolean (value, sichtung_finding_item_get_manual (self));
      break;

    case PROP_LEGAL_BASIS:
      g_value_set_string (value, self->legal_basis);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_finding_item_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SichtungFindingItem *self = SICHTUNG_FINDING_ITEM (object);

  switch (prop_id)
    {
    case PROP_DECISION:
      sichtung_finding_item_set_decision (self, g_value_get_enum (value));
      break;

    case PROP_REASON:
      sichtung_finding_item_set_reason (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_finding_item_class_init (SichtungFindingItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = sichtung_finding_item_finalize;
  object_class->get_property = sichtung_finding_item_get_property;
  object_class->set_property = sichtung_finding_item_set_property;

  properties[PROP_CATEGORY] =
    g_param_spec_uint ("category", NULL, NULL, 0, SC_FINDING_N_CATEGORIES - 1, 0, ro);
  properties[PROP_CATEGORY_NAME] =
    g_param_spec_string ("category-name", NULL, NULL, NULL, ro);
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL, ro);
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL, ro);
  properties[PROP_PAGE] =
    g_param_spec_uint ("page", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_CONFIDENCE] =
    g_param_spec_double ("confidence", NULL, NULL, 0, 1, 0, ro);
  properties[PROP_SOURCES] =
    g_param_spec_uint ("sources", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_SOURCE_NAMES] =
    g_param_spec_string ("source-names", NULL, NULL, NULL, ro);
  properties[PROP_DECISION] =
    g_param_spec_enum ("decision", NULL, NULL,
                       SICHTUNG_TYPE_DECISION, SICHTUNG_DECISION_OPEN, rw);
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL, rw);
  properties[PROP_STORE_ID] =
    g_param_spec_int64 ("store-id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_MANUAL] =
    g_param_spec_boolean ("manual", NULL, NULL, FALSE, ro);
  properties[PROP_LEGAL_BASIS] =
    g_param_spec_string ("legal-basis", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A decision could not be stored: the item kept its state. */
  signals[DECISION_FAILED] =
    g_signal_new ("decision-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
sichtung_finding_item_init (SichtungFindingItem *self)
{
  self->decision = SICHTUNG_DECISION_OPEN;
}

SichtungFindingItem *
sichtung_finding_item_new (ScPageFinding *finding)
{
  SichtungFindingItem *self;

  g_return_val_if_fail (finding != NULL && finding->finding != NULL, NULL);

  self = g_object_new (SICHTUNG_TYPE_FINDING_ITEM, NULL);
  self->finding = sc_page_finding_ref (finding);
  self->source_names = sichtung_finding_sources_to_string (finding->sources);
  self->key = make_key (finding->finding->text ? finding->finding->text : "");
  return self;
}

static SichtungDecision
decision_from_store (ScStoreDecision decision)
{
  switch (decision)
    {
    case SC_STORE_DECISION_OPEN: return SICHTUNG_DECISION_OPEN;
    case SC_STORE_DECISION_ACCEPTED: return SICHTUNG_DECISION_ACCEPTED;
    case SC_STORE_DECISION_REJECTED: return SICHTUNG_DECISION_REJECTED;
    case SC_STORE_DECISION_EDITED: return SICHTUNG_DECISION_EDITED;
    /* Marked by hand: a finding the person confirmed. */
    case SC_STORE_DECISION_ADDED: return SICHTUNG_DECISION_ACCEPTED;
    default: break;
    }
  g_return_val_if_reached (SICHTUNG_DECISION_OPEN);
}

SichtungFindingItem *
sichtung_finding_item_new_stored (ScStore        *store,
                                  ScStoreFinding *finding)
{
  SichtungFindingItem *self;

  g_return_val_if_fail (SC_IS_STORE (store), NULL);
  g_return_val_if_fail (finding != NULL && finding->id > 0, NULL);

  self = sichtung_finding_item_new (finding->finding);
  self->store = g_object_ref (store);
  self->stored = sc_store_finding_ref (finding);
  self->decision = decision_from_store (finding->decision);
  self->reason = g_strdup (finding->reason);
  self->legal_basis = g_strdup (finding->legal_basis);
  if (finding->manual)
    {
      g_free (self->source_names);
      /* Translators: the source of a finding the person marked by hand. */
      self->source_names = g_strdup (_("By hand"));
    }
  return self;
}

/* The finding @id of @document_id as stored now. */
static ScStoreFinding *
read_stored (ScStore  *store,
             gint64    document_id,
             gint64    id,
             GError  **error)
{
  g_autoptr(GPtrArray) findings = sc_store_list_findings (store, document_id, error);

  if (findings == NULL)
    return NULL;

  for (guint i = 0; i < findings->len; i++)
    {
      ScStoreFinding *finding = g_ptr_array_index (findings, i);

      if (finding->id == id)
        return sc_store_finding_ref (finding);
    }

  g_set_error (error, SC_ERROR, SC_ERROR_FAILED,
               _("The finding could not be read back from the case"));
  return NULL;
}

SichtungFindingItem *
sichtung_finding_item_new_manual (ScStore            *store,
                                  gint64              document_id,
                                  ScFindingCategory   category,
                                  const ScStoreSpan  *span,
                                  const char         *reason,
                                  const char         *legal_basis,
                                  GError            **error)
{
  g_autoptr(ScStoreFinding) stored = NULL;
  gint64 id;

  g_return_val_if_fail (SC_IS_STORE (store), NULL);
  g_return_val_if_fail (document_id > 0, NULL);
  g_return_val_if_fail ((guint) category < SC_FINDING_N_CATEGORIES, NULL);
  g_return_val_if_fail (span != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (reason != NULL && reason[0] == '\0')
    reason = NULL;
  if (legal_basis != NULL && legal_basis[0] == '\0')
    legal_basis = NULL;

  id = sc_store_add_manual_finding (store, document_id, category, NULL, span, reason,
                                    legal_basis, error);
  if (id == 0)
    return NULL;

  stored = read_stored (store, document_id, id, error);
  if (stored == NULL)
    return NULL;

  return sichtung_finding_item_new_stored (store, stored);
}

ScStoreFinding *
sichtung_finding_item_get_stored (SichtungFindingItem *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), NULL);

  return self->stored;
}

gint64
sichtung_finding_item_get_store_id (SichtungFindingItem *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), 0);

  return self->stored != NULL ? self->stored->id : 0;
}

gboolean
sichtung_finding_item_get_manual (SichtungFindingItem *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), FALSE);

  return self->stored != NULL && self->stored->manual;
}

gboolean
sichtung_finding_item_decide (SichtungFindingItem  *self,
                              SichtungDecision      decision,
                              const char           *reason,
                              GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *new_reason = NULL;

  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), FALSE);
  g_return_val_if_fail (decision <= SICHTUNG_DECISION_EDITED, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (reason != NULL && reason[0] == '\0')
    reason = NULL;
  /* The store keeps no reason for an open finding. */
  new_reason = g_strdup (self->store != NULL && decision == SICHTUNG_DECISION_OPEN
                         ? NULL : reason);
  if (decision == self->decision && g_strcmp0 (new_reason, self->reason) == 0)
    return TRUE;

  if (self->store != NULL)
    {
      if (decision == SICHTUNG_DECISION_EDITED)
        g_set_error (&local_error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                     _("A corrected finding cannot be saved as a plain decision"));
      else
        /* The legal basis given with an earlier decision or correction stays. */
        sc_store_decide (self->store, self->stored->id,
                         decision == SICHTUNG_DECISION_ACCEPTED ? SC_STORE_DECISION_ACCEPTED
                         : decision == SICHTUNG_DECISION_REJECTED ? SC_STORE_DECISION_REJECTED
                         : SC_STORE_DECISION_OPEN,
                         new_reason, self->legal_basis, &local_error);

      if (local_error != NULL)
        {
          g_signal_emit (self, signals[DECISION_FAILED], 0, local_error);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  g_object_freeze_notify (G_OBJECT (self));
  sichtung_finding_item_set_reason (self, new_reason);
  /* The store keeps no legal basis for an open finding either. */
  if (self->store != NULL && decision == SICHTUNG_DECISION_OPEN)
    set_legal_basis (self, NULL);
  sichtung_finding_item_set_decision (self, decision);
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

/* Shows @stored, the item's finding as stored after a correction. */
static void
set_stored (SichtungFindingItem *self,
            ScStoreFinding      *stored)
{
  ScFinding *old = self->finding->finding;
  gboolean category_changed = old->category != stored->finding->finding->category;
  gboolean label_changed = g_strcmp0 (old->label, stored->finding->finding->label) != 0;
  gboolean text_changed = g_strcmp0 (old->text, stored->finding->finding->text) != 0;
  gboolean page_changed = self->finding->page != stored->finding->page;

  g_object_freeze_notify (G_OBJECT (self));

  g_clear_pointer (&self->stored, sc_store_finding_unref);
  self->stored = sc_store_finding_ref (stored);
  g_clear_pointer (&self->finding, sc_page_finding_unref);
  self->finding = sc_page_finding_ref (stored->finding);
  g_free (self->key);
  self->key = make_key (self->finding->finding->text ? self->finding->finding->text : "");

  if (category_changed)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY_NAME]);
    }
  if (label_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
  if (text_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
  if (page_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
  sichtung_finding_item_set_reason (self, stored->reason);
  set_legal_basis (self, stored->legal_basis);
  sichtung_finding_item_set_decision (self, decision_from_store (stored->decision));

  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
sichtung_finding_item_edit (SichtungFindingItem  *self,
                            ScFindingCategory     category,
                            const char           *reason,
                            const char           *legal_basis,
                            GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(ScStoreFinding) stored = NULL;

  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), FALSE);
  g_return_val_if_fail ((guint) category < SC_FINDING_N_CATEGORIES, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (reason != NULL && reason[0] == '\0')
    reason = NULL;
  if (legal_basis != NULL && legal_basis[0] == '\0')
    legal_basis = NULL;

  if (self->store == NULL)
    g_set_error (&local_error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                 _("Only a finding saved in a case can be corrected"));
  else if (sc_store_edit_finding (self->store, self->stored->id, category, NULL, reason,
                                  legal_basis, &local_error))
    stored = read_stored (self->store, self->stored->document_id, self->stored->id,
                          &local_error);

  if (stored == NULL)
    {
      g_signal_emit (self, signals[DECISION_FAILED], 0, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  set_stored (self, stored);
  return TRUE;
}

ScPageFinding *
sichtung_finding_item_get_page_finding (SichtungFindingItem *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), NULL);

  return self->finding;
}

ScFindingCategory
sichtung_finding_item_get_category (SichtungFindingItem *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), 0);

  return self->finding->finding->category;
}

const char *
sichtung_finding_item_get_category_name (SichtungFindingItem *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), NULL);

  return sc_finding_category_get_display_name (self->finding->finding->category);
}

const char *
sichtung_finding_item_get_label (SichtungFindingItem *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), NULL);

  return self->finding->finding->label;
}

const char *
sichtung_finding_item_get_text (SichtungFindingItem *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), NULL);

  return self->finding->finding->text;
}

const char *
sichtung_finding_item_get_display_text (SichtungFindingItem *self)
{
  const char *text;

  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), NULL);

  text = self->finding->finding->text;
  if (text == NULL || text[0] == '\0')
    /* Translators: a finding marked as a box over a part of a page that holds no text. */
    return _("Area without text");
  return text;
}

guint
sichtung_finding_item_get_page (SichtungFindingItem *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), 0);

  return self->finding->page;
}

double
sichtung_finding_item_get_confidence (SichtungFindingItem *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), 0);

  return CLAMP (self->finding->finding->confidence, 0.0, 1.0);
}

guint
sichtung_finding_item_get_sources (SichtungFindingItem *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), 0);

  return self->finding->sources;
}

const char *
sichtung_finding_item_get_source_names (SichtungFindingItem *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), NULL);

  return self->source_names;
}

const char *
sichtung_finding_item_get_key (SichtungFindingItem *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), NULL);

  return self->key;
}

SichtungDecision
sichtung_finding_item_get_decision (SichtungFindingItem *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), SICHTUNG_DECISION_OPEN);

  return self->decision;
}

void
sichtung_finding_item_set_decision (SichtungFindingItem *self,
                                    SichtungDecision     decision)
{
  g_return_if_fail (SICHTUNG_IS_FINDING_ITEM (self));
  g_return_if_fail (decision <= SICHTUNG_DECISION_EDITED);

  if (self->decision == decision)
    return;

  self->decision = decision;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DECISION]);
}

const char *
sichtung_finding_item_get_reason (SichtungFindingItem *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), NULL);

  return self->reason;
}

const char *
sichtung_finding_item_get_legal_basis (SichtungFindingItem *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), NULL);

  return self->legal_basis;
}

const char *
sichtung_finding_item_get_status_name (SichtungFindingItem *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), NULL);

  if (sichtung_finding_item_get_manual (self) && self->decision == SICHTUNG_DECISION_ACCEPTED)
    return _("Added by hand");
  return sichtung_decision_get_display_name (self->decision);
}

char *
sichtung_finding_item_dup_snippet (SichtungFindingItem *self)
{
  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), NULL);

  return sichtung_finding_style_one_line (sichtung_finding_item_get_display_text (self),
                                          MAX_SNIPPET_CHARS);
}

char *
sichtung_finding_item_dup_summary (SichtungFindingItem *self)
{
  g_autofree char *snippet = NULL;

  g_return_val_if_fail (SICHTUNG_IS_FINDING_ITEM (self), NULL);

  snippet = sichtung_finding_item_dup_snippet (self);
  /* Translators: the accessible name of a row of the findings list: category, text, page,
   * confidence and decision, e.g. “Person: Erika Mustermann, page 1, 92 %, Open”. */
  return g_strdup_printf (_("%s: %s, page %u, %d %%, %s"),
                          sichtung_finding_item_get_category_name (self), snippet,
                          sichtung_finding_item_get_page (self) + 1,
                          (int) (sichtung_finding_item_get_confidence (self) * 100 + 0.5),
                          sichtung_finding_item_get_status_name (self));
}

void
sichtung_finding_item_set_reason (SichtungFindingItem *self,
                                  const char          *reason)
{
  g_return_if_fail (SICHTUNG_IS_FINDING_ITEM (self));

  if (g_strcmp0 (self->reason, reason) == 0)
    return;

  g_free (self->reason);
  self->reason = g_strdup (reason);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
}
