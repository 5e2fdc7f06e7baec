/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-store-findings.c: findings and the clerk's decisions in the case store (see sc-store.h):
 * storing an analysis without losing a decision, reading findings back as ScPageFinding, and
 * deciding, correcting and adding findings, each change in one transaction with its audit
 * entry. */
#define G_LOG_DOMAIN "sichtung-store"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-error.h"
#include "sc-json.h"
#include "sc-store-private.h"

static const char *const decision_names[] = {
  [SC_STORE_DECISION_OPEN] = "open",
  [SC_STORE_DECISION_ACCEPTED] = "accepted",
  [SC_STORE_DECISION_REJECTED] = "rejected",
  [SC_STORE_DECISION_EDITED] = "edited",
  [SC_STORE_DECISION_ADDED] = "added",
};

const char *
sc_store_decision_to_string (ScStoreDecision decision)
{
  g_return_val_if_fail ((guint) decision < G_N_ELEMENTS (decision_names), NULL);

  return decision_names[decision];
}

int
sc_store_decision_from_string (const char *name)
{
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < G_N_ELEMENTS (decision_names); i++)
    if (g_str_equal (decision_names[i], name))
      return (int) i;
  return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* ScStoreFinding                                                                              */
/* ------------------------------------------------------------------------------------------ */

G_DEFINE_BOXED_TYPE (ScStoreFinding, sc_store_finding, sc_store_finding_ref,
                     sc_store_finding_unref)

ScStoreFinding *
sc_store_finding_ref (ScStoreFinding *finding)
{
  g_return_val_if_fail (finding != NULL, NULL);

  g_atomic_ref_count_inc (&finding->ref_count);
  return finding;
}

void
sc_store_finding_unref (ScStoreFinding *finding)
{
  if (finding == NULL || !g_atomic_ref_count_dec (&finding->ref_count))
    return;
  g_clear_pointer (&finding->finding, sc_page_finding_unref);
  g_free (finding->model_name);
  g_free (finding->model_version);
  g_free (finding->reason);
  g_free (finding->legal_basis);
  g_free (finding->decided_by);
  g_clear_pointer (&finding->decided_at, g_date_time_unref);
  g_free (finding);
}

/* sc-analysis.h offers no constructor for ScPageFinding; this fills it the way sc-analysis.c
 * does, so that sc_page_finding_unref() frees it. Takes @finding and @boxes. */
static ScPageFinding *
page_finding_new (ScFinding *finding,
                  guint      page,
                  gsize      doc_start,
                  gsize      doc_end,
                  guint      sources,
                  GArray    *boxes)
{
  ScPageFinding *pf = g_new0 (ScPageFinding, 1);

  g_atomic_ref_count_init (&pf->ref_count);
  pf->finding = finding;
  pf->page = page;
  pf->doc_start = doc_start;
  pf->doc_end = doc_end;
  pf->sources = sources;
  pf->boxes = boxes;
  return pf;
}

static int
source_from_string (const char *name)
{
  for (int s = SC_FINDING_SOURCE_RULE; s <= SC_FINDING_SOURCE_GAZETTEER; s++)
    if (g_strcmp0 (sc_finding_source_to_string ((ScFindingSource) s), name) == 0)
      return s;
  return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static char *
steps_json (GPtrArray *steps)
{
  g_autoptr(ScJsonWriter) w = sc_json_writer_new (FALSE);

  sc_json_writer_begin_array (w);
  for (guint i = 0; steps != NULL && i < steps->len; i++)
    sc_json_writer_string (w, g_ptr_array_index (steps, i));
  sc_json_writer_end_array (w);
  return sc_json_writer_free_to_string (g_steal_pointer (&w));
}

/* [[x, y, width, height], …] */
static char *
boxes_json (GArray *boxes)
{
  g_autoptr(ScJsonWriter) w = sc_json_writer_new (FALSE);

  sc_json_writer_begin_array (w);
  for (guint i = 0; boxes != NULL && i < boxes->len; i++)
    {
      const ScRect *r = &g_array_index (boxes, ScRect, i);

      sc_json_writer_begin_array (w);
      sc_json_writer_double (w, r->x);
      sc_json_writer_double (w, r->y);
      sc_json_writer_double (w, r->width);
      sc_json_writer_double (w, r->height);
      sc_json_writer_end_array (w);
    }
  sc_json_writer_end_array (w);
  return sc_json_writer_free_to_string (g_steal_pointer (&w));
}

/* What the audit log and a decision need to know about a finding. */
typedef struct
{
  gint64           case_id;
  gint64           document_id;
  char            *document_sha256;
  ScStoreDecision  decision;
  char            *category;
  guint            page;
  char            *model_name;
  char            *model_version;
  char            *model_sha256;
} FindingInfo;

static void
finding_info_clear (FindingInfo *info)
{
  g_free (info->document_sha256);
  g_free (info->category);
  g_free (info->model_name);
  g_free (info->model_version);
  g_free (info->model_sha256);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FindingInfo, finding_info_clear)

static gboolean
get_finding_info (sqlite3      *db,
                  gint64        finding_id,
                  FindingInfo  *info,
                  GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found;
  int decision;

  stmt = _sc_store_prepare (db,
    "SELECT d.case_id, d.id, d.sha256, f.decision, f.category, f.page,"
    "  f.model_name, f.model_version, f.model_sha256"
    " FROM findings f JOIN documents d ON d.id = f.document_id WHERE f.id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, finding_id);
  if (!_sc_store_step_row (stmt, &found, error))
    return FALSE;
  if (!found)
    return _sc_store_not_found ("finding", finding_id, error);
  decision = sc_store_decision_from_string ((const char *) sqlite3_column_text (stmt, 3));
  info->case_id = sqlite3_column_int64 (stmt, 0);
  info->document_id = sqlite3_column_int64 (stmt, 1);
  info->document_sha256 = _sc_store_column_dup (stmt, 2);
  info->decision = decision >= 0 ? (ScStoreDecision) decision : SC_STORE_DECISION_OPEN;
  info->category = _sc_store_column_dup (stmt, 4);
  info->page = (guint) sqlite3_column_int64 (stmt, 5);
  info->model_name = _sc_store_column_dup (stmt, 6);
  info->model_version = _sc_store_column_dup (stmt, 7);
  info->model_sha256 = _sc_store_column_dup (stmt, 8);
  return TRUE;
}

/* A span checked against the page's stored text, with everything a row needs. */
typedef struct
{
  guint  page;
  gsize  start, end;          /* bytes */
  gsize  cp_start, cp_end;    /* code points into the page text */
  gsize  doc_start, doc_end;  /* code points into the document text */
  char  *text;
  char  *boxes;               /* JSON */
} Resolved;

static void
resolved_clear (Resolved *r)
{
  g_free (r->text);
  g_free (r->boxes);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Resolved, resolved_clear)

static gboolean
resolve_span (sqlite3            *db,
              gint64              document_id,
              const ScStoreSpan  *span,
              Resolved           *out,
              GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *text;
  gsize len;
  gint64 cp_offset;
  gboolean found;

  if (span->text != NULL && !g_utf8_validate (span->text, -1, NULL))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("The text of the finding is not valid UTF-8"));
      return FALSE;
    }

  stmt = _sc_store_prepare (db, "SELECT text, cp_offset FROM pages"
                                " WHERE document_id = ? AND page = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_int64 (stmt, 2, span->page);
  if (!_sc_store_step_row (stmt, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("The document has no page %u"), span->page + 1);
      return FALSE;
    }
  text = (const char *) sqlite3_column_text (stmt, 0);
  len = (gsize) sqlite3_column_bytes (stmt, 0);
  cp_offset = sqlite3_column_int64 (stmt, 1);

  /* Byte offsets must lie on character boundaries of the stored text. */
  if (span->start > span->end || span->end > len ||
      (span->start < len && (((guchar) text[span->start]) & 0xc0) == 0x80) ||
      (span->end < len && (((guchar) text[span->end]) & 0xc0) == 0x80))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("The selection does not lie within the text of page %u"), span->page + 1);
      return FALSE;
    }

  out->page = span->page;
  out->start = span->start;
  out->end = span->end;
  out->cp_start = (gsize) g_utf8_pointer_to_offset (text, text + span->start);
  out->cp_end = (gsize) g_utf8_pointer_to_offset (text, text + span->end);
  out->doc_start = (gsize) cp_offset + out->cp_start;
  out->doc_end = (gsize) cp_offset + out->cp_end;
  out->text = span->text != NULL ? g_strdup (span->text)
                                 : g_strndup (text + span->start, span->end - span->start);
  out->boxes = boxes_json (span->boxes);
  return TRUE;
}

static gboolean
check_category (ScFindingCategory   category,
                GError            **error)
{
  if ((guint) category < SC_FINDING_N_CATEGORIES)
    return TRUE;
  g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT, _("Unknown finding category %d"),
               (int) category);
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* Analyses                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static gboolean
check_page_finding (const ScPageFinding  *pf,
                    guint                 index,
                    GError              **error)
{
  const ScFinding *f = pf != NULL ? pf->finding : NULL;

  if (f == NULL || (guint) f->category >= SC_FINDING_N_CATEGORIES || f->start > f->end ||
      f->text == NULL || !g_utf8_validate (f->text, -1, NULL) ||
      (f->label != NULL && !g_utf8_validate (f->label, -1, NULL)) ||
      (f->value != NULL && !g_utf8_validate (f->value, -1, NULL)) ||
      (f->explanation != NULL && !g_utf8_validate (f->explanation, -1, NULL)))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("Finding %u of the analysis is incomplete or not valid text"), index + 1);
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_analysis_finding (sqlite3_stmt         *stmt,
                         gint64                document_id,
                         const ScPageFinding  *pf,
                         const char           *model_name,
                         const char           *model_version,
                         const char           *model_sha256,
                         GError              **error)
{
  const ScFinding *f = pf->finding;
  const char *category = sc_finding_category_to_string (f->category);
  g_autofree char *fingerprint = NULL;
  g_autofree char *steps = steps_json (f->steps);
  g_autofree char *boxes = boxes_json (pf->boxes);

  fingerprint = g_strdup_printf ("%s:%u:%zu:%zu", category, pf->page, f->start, f->end);
  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, document_id);
  _sc_store_bind_text (stmt, 2, fingerprint);
  _sc_store_bind_text (stmt, 3, category);
  _sc_store_bind_text (stmt, 4, f->label);
  _sc_store_bind_text (stmt, 5, f->text);
  _sc_store_bind_text (stmt, 6, f->value);
  sqlite3_bind_int64 (stmt, 7, pf->page);
  sqlite3_bind_int64 (stmt, 8, (sqlite3_int64) pf->doc_start);
  sqlite3_bind_int64 (stmt, 9, (sqlite3_int64) pf->doc_end);
  sqlite3_bind_int64 (stmt, 10, (sqlite3_int64) f->start);
  sqlite3_bind_int64 (stmt, 11, (sqlite3_int64) f->end);
  sqlite3_bind_int64 (stmt, 12, (sqlite3_int64) f->cp_start);
  sqlite3_bind_int64 (stmt, 13, (sqlite3_int64) f->cp_end);
  sqlite3_bind_double (stmt, 14, f->confidence);
  _sc_store_bind_text (stmt, 15, sc_finding_source_to_string (f->source));
  sqlite3_bind_int64 (stmt, 16, pf->sources);
  _sc_store_bind_text (stmt, 17, f->explanation);
  _sc_store_bind_text (stmt, 18, steps);
  _sc_store_bind_text (stmt, 19, boxes);
  _sc_store_bind_text (stmt, 20, model_name);
  _sc_store_bind_text (stmt, 21, model_version);
  _sc_store_bind_text (stmt, 22, model_sha256);
  return _sc_store_step_done (stmt, error);
}

gboolean
sc_store_set_findings (ScStore     *self,
                       gint64       document_id,
                       GPtrArray   *page_findings,
                       const char  *model_name,
                       const char  *model_version,
                       const char  *model_sha256,
                       GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) doc = NULL;
  g_autoptr(sqlite3_stmt) del = NULL;
  g_autoptr(sqlite3_stmt) ins = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *details = NULL;
  ScAuditRecord record = { .action = "analysis", .document_id = document_id };
  gint64 replaced, added = 0;
  gboolean found;

  g_return_val_if_fail (SC_IS_STORE (self), FALSE);
  g_return_val_if_fail (document_id > 0, FALSE);
  g_return_val_if_fail (page_findings != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < page_findings->len; i++)
    if (!check_page_finding (g_ptr_array_index (page_findings, i), i, error))
      return FALSE;

  locker = g_mutex_locker_new (&self->lock);
  if (!_sc_store_begin (self->db, error))
    return FALSE;
  doc = _sc_store_prepare (self->db, "SELECT case_id, sha256 FROM documents WHERE id = ?",
                           error);
  if (doc == NULL)
    goto fail;
  sqlite3_bind_int64 (doc, 1, document_id);
  if (!_sc_store_step_row (doc, &found, error))
    goto fail;
  if (!found)
    {
      _sc_store_not_found ("document", document_id, error);
      goto fail;
    }
  record.case_id = sqlite3_column_int64 (doc, 0);
  sha256 = _sc_store_column_dup (doc, 1);

  /* Decided and hand-made findings stay; the undecided ones of earlier runs go. */
  del = _sc_store_prepare (self->db, "DELETE FROM findings"
                                     " WHERE document_id = ? AND decision = 'open' AND manual = 0",
                           error);
  if (del == NULL)
    goto fail;
  sqlite3_bind_int64 (del, 1, document_id);
  if (!_sc_store_step_done (del, error))
    goto fail;
  replaced = sqlite3_changes (self->db);

  /* What is left was decided; where a finding is found again it is not added a second time. */
  ins = _sc_store_prepare (self->db,
    "INSERT INTO findings (document_id, fingerprint, category, label, text, value, page,"
    "  doc_start, doc_end, byte_start, byte_end, cp_start, cp_end, confidence, source, sources,"
    "  explanation, steps, boxes, model_name, model_version, model_sha256)"
    " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
    "  ?19, ?20, ?21, ?22"
    " WHERE NOT EXISTS (SELECT 1 FROM findings WHERE document_id = ?1 AND fingerprint = ?2)",
    error);
  if (ins == NULL)
    goto fail;
  for (guint i = 0; i < page_findings->len; i++)
    {
      if (!insert_analysis_finding (ins, document_id, g_ptr_array_index (page_findings, i),
                                    model_name, model_version, model_sha256, error))
        goto fail;
      added += sqlite3_changes (self->db);
    }

  details = _sc_store_details_json ("findings", "i", (gint64) page_findings->len,
                                    "added", "i", added,
                                    "replaced", "i", replaced,
                                    "already_decided", "i", (gint64) page_findings->len - added,
                                    NULL);
  record.details = details;
  record.document_sha256 = sha256;
  record.model_name = model_name;
  record.model_version = model_version;
  record.model_sha256 = model_sha256;
  if (!_sc_store_audit_append (self->db, &record, error) || !_sc_store_commit (self->db, error))
    goto fail;
  return TRUE;

fail:
  _sc_store_rollback (self->db);
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* Reading findings back                                                                       */
/* ------------------------------------------------------------------------------------------ */

static ScStoreFinding *
finding_from_row (sqlite3_stmt  *stmt,
                  GError       **error)
{
  g_autoptr(ScStoreFinding) sf = g_new0 (ScStoreFinding, 1);
  const char *category_name = (const char *) sqlite3_column_text (stmt, 3);
  const char *explanation = (const char *) sqlite3_column_text (stmt, 17);
  int category = category_name != NULL ? sc_finding_category_from_string (category_name) : -1;
  int source = source_from_string ((const char *) sqlite3_column_text (stmt, 15));
  int decision = sc_store_decision_from_string ((const char *) sqlite3_column_text (stmt, 20));
  ScFinding *f;

  g_atomic_ref_count_init (&sf->ref_count);
  if (!_sc_store_column_id (stmt, 0, &sf->id, error) ||
      !_sc_store_column_id (stmt, 1, &sf->document_id, error))
    return NULL;
  if (category < 0 || decision < 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_CORRUPT,
                   _("Finding %lld has an unknown category or decision"),
                   (long long) sqlite3_column_int64 (stmt, 0));
      return NULL;
    }

  f = sc_finding_new ((ScFindingCategory) category, (const char *) sqlite3_column_text (stmt, 4),
                      (const char *) sqlite3_column_text (stmt, 5),
                      (gsize) sqlite3_column_int64 (stmt, 10),
                      (gsize) MAX (sqlite3_column_int64 (stmt, 10),
                                   sqlite3_column_int64 (stmt, 11)));
  sc_finding_set_value (f, (const char *) sqlite3_column_text (stmt, 6));
  f->cp_start = (gsize) sqlite3_column_int64 (stmt, 12);
  f->cp_end = (gsize) sqlite3_column_int64 (stmt, 13);
  f->confidence = sqlite3_column_double (stmt, 14);
  f->source = source >= 0 ? (ScFindingSource) source : SC_FINDING_SOURCE_RULE;
  if (explanation == NULL && sqlite3_column_int (stmt, 2))
    explanation = _("Marked by hand.");
  sc_finding_set_explanation (f, explanation != NULL ? explanation : "");

  sf->manual = sqlite3_column_int (stmt, 2) != 0;
  sf->finding = page_finding_new (f, (guint) sqlite3_column_int64 (stmt, 7),
                                  (gsize) sqlite3_column_int64 (stmt, 8),
                                  (gsize) sqlite3_column_int64 (stmt, 9),
                                  (guint) sqlite3_column_int64 (stmt, 16),
                                  g_array_new (FALSE, FALSE, sizeof (ScRect)));
  sf->model_name = _sc_store_column_dup (stmt, 18);
  sf->model_version = _sc_store_column_dup (stmt, 19);
  sf->decision = (ScStoreDecision) decision;
  sf->reason = _sc_store_column_dup (stmt, 21);
  sf->legal_basis = _sc_store_column_dup (stmt, 22);
  sf->decided_by = _sc_store_column_dup (stmt, 23);
  sf->decided_at = _sc_store_parse_time ((const char *) sqlite3_column_text (stmt, 24));
  return g_steal_pointer (&sf);
}

/* Fills the steps and boxes of @findings (keyed by id) from their JSON, parsed by SQLite. */
static gboolean
read_steps_and_boxes (sqlite3     *db,
                      gint64       document_id,
                      GHashTable  *by_id,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) steps = NULL;
  g_autoptr(sqlite3_stmt) boxes = NULL;
  int rc;

  steps = _sc_store_prepare (db, "SELECT f.id, j.value FROM findings f, json_each (f.steps) j"
                                 " WHERE f.document_id = ? ORDER BY f.id, j.key", error);
  if (steps == NULL)
    return FALSE;
  sqlite3_bind_int64 (steps, 1, document_id);
  while ((rc = sqlite3_step (steps)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (steps, 0);
      ScStoreFinding *sf = g_hash_table_lookup (by_id, &id);
      const char *step = (const char *) sqlite3_column_text (steps, 1);

      if (sf != NULL && step != NULL)
        sc_finding_add_step (sf->finding->finding, step);
    }
  if (rc != SQLITE_DONE)
    return _sc_store_fail (db, rc, error);

  boxes = _sc_store_prepare (db,
    "SELECT f.id, json_extract (j.value, '$[0]'), json_extract (j.value, '$[1]'),"
    "  json_extract (j.value, '$[2]'), json_extract (j.value, '$[3]')"
    " FROM findings f, json_each (f.boxes) j WHERE f.document_id = ? ORDER BY f.id, j.key",
    error);
  if (boxes == NULL)
    return FALSE;
  sqlite3_bind_int64 (boxes, 1, document_id);
  while ((rc = sqlite3_step (boxes)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (boxes, 0);
      ScStoreFinding *sf = g_hash_table_lookup (by_id, &id);
      ScRect r = {
        sqlite3_column_double (boxes, 1), sqlite3_column_double (boxes, 2),
        sqlite3_column_double (boxes, 3), sqlite3_column_double (boxes, 4),
      };

      if (sf != NULL)
        g_array_append_val (sf->finding->boxes, r);
    }
  if (rc != SQLITE_DONE)
    return _sc_store_fail (db, rc, error);
  return TRUE;
}

GPtrArray *
sc_store_list_findings (ScStore  *self,
                        gint64    document_id,
                        GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GHashTable) by_id = NULL;
  int rc;

  g_return_val_if_fail (SC_IS_STORE (self), NULL);
  g_return_val_if_fail (document_id > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  /* One snapshot for the three queries. */
  if (!_sc_store_exec (self->db, "BEGIN", error))
    return NULL;
  stmt = _sc_store_prepare (self->db,
    "SELECT id, document_id, manual, category, label, text, value, page, doc_start, doc_end,"
    "  byte_start, byte_end, cp_start, cp_end, confidence, source, sources, explanation,"
    "  model_name, model_version, decision, reason, legal_basis, decided_by, decided_at"
    " FROM findings WHERE document_id = ? ORDER BY page, byte_start, byte_end DESC, id", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, document_id);
  findings = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_store_finding_unref);
  by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ScStoreFinding *sf = finding_from_row (stmt, error);

      if (sf == NULL)
        goto fail;
      g_ptr_array_add (findings, sf);
      g_hash_table_insert (by_id, &sf->id, sf);
    }
  if (rc != SQLITE_DONE)
    {
      _sc_store_fail (self->db, rc, error);
      goto fail;
    }
  if (!read_steps_and_boxes (self->db, document_id, by_id, error) ||
      !_sc_store_commit (self->db, error))
    goto fail;
  return g_steal_pointer (&findings);

fail:
  _sc_store_rollback (self->db);
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Decisions                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static gboolean
check_texts (const char  *reason,
             const char  *legal_basis,
             GError     **error)
{
  if ((reason == NULL || g_utf8_validate (reason, -1, NULL)) &&
      (legal_basis == NULL || g_utf8_validate (legal_basis, -1, NULL)))
    return TRUE;
  g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
               _("The reason or legal basis is not valid text"));
  return FALSE;
}

gboolean
sc_store_decide (ScStore          *self,
                 gint64            finding_id,
                 ScStoreDecision   decision,
                 const char       *reason,
                 const char       *legal_basis,
                 GError          **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_auto(FindingInfo) info = { 0 };
  g_autofree char *now = NULL;
  g_autofree char *details = NULL;
  ScAuditRecord record = { .action = "decision", .finding_id = finding_id };
  gboolean reopen = decision == SC_STORE_DECISION_OPEN;

  g_return_val_if_fail (SC_IS_STORE (self), FALSE);
  g_return_val_if_fail (finding_id > 0, FALSE);
  g_return_val_if_fail ((guint) decision <= SC_STORE_DECISION_ADDED, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (decision == SC_STORE_DECISION_EDITED || decision == SC_STORE_DECISION_ADDED)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("A corrected or added finding needs its position; it cannot be recorded "
                     "as a plain decision"));
      return FALSE;
    }
  if (!check_texts (reason, legal_basis, error))
    return FALSE;

  locker = g_mutex_locker_new (&self->lock);
  if (!_sc_store_begin (self->db, error))
    return FALSE;
  if (!get_finding_info (self->db, finding_id, &info, error))
    goto fail;

  now = _sc_store_now ();
  stmt = _sc_store_prepare (self->db, "UPDATE findings SET decision = ?, reason = ?,"
                                      " legal_basis = ?, decided_by = ?, decided_at = ?"
                                      " WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  _sc_store_bind_text (stmt, 1, sc_store_decision_to_string (decision));
  _sc_store_bind_text (stmt, 2, reopen ? NULL : reason);
  _sc_store_bind_text (stmt, 3, reopen ? NULL : legal_basis);
  _sc_store_bind_text (stmt, 4, reopen ? NULL : g_get_user_name ());
  _sc_store_bind_text (stmt, 5, reopen ? NULL : now);
  sqlite3_bind_int64 (stmt, 6, finding_id);
  if (!_sc_store_step_done (stmt, error))
    goto fail;

  details = _sc_store_details_json ("decision", "s", sc_store_decision_to_string (decision),
                                    "previous", "s", sc_store_decision_to_string (info.decision),
                                    "category", "s", info.category,
                                    "page", "i", (gint64) info.page,
                                    "reason", "s", reason,
                                    "legal_basis", "s", legal_basis, NULL);
  record.case_id = info.case_id;
  record.document_id = info.document_id;
  record.details = details;
  record.document_sha256 = info.document_sha256;
  record.model_name = info.model_name;
  record.model_version = info.model_version;
  record.model_sha256 = info.model_sha256;
  if (!_sc_store_audit_append (self->db, &record, error) || !_sc_store_commit (self->db, error))
    goto fail;
  return TRUE;

fail:
  _sc_store_rollback (self->db);
  return FALSE;
}

gboolean
sc_store_edit_finding (ScStore            *self,
                       gint64              finding_id,
                       ScFindingCategory   category,
                       const ScStoreSpan  *span,
                       const char         *reason,
                       const char         *legal_basis,
                       GError            **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_auto(FindingInfo) info = { 0 };
  g_auto(Resolved) resolved = { 0 };
  g_autofree char *now = NULL;
  g_autofree char *details = NULL;
  ScAuditRecord record = { .action = "finding-edited", .finding_id = finding_id };
  const char *category_name;

  g_return_val_if_fail (SC_IS_STORE (self), FALSE);
  g_return_val_if_fail (finding_id > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_category (category, error) || !check_texts (reason, legal_basis, error))
    return FALSE;
  category_name = sc_finding_category_to_string (category);

  locker = g_mutex_locker_new (&self->lock);
  if (!_sc_store_begin (self->db, error))
    return FALSE;
  if (!get_finding_info (self->db, finding_id, &info, error) ||
      (span != NULL && !resolve_span (self->db, info.document_id, span, &resolved, error)))
    goto fail;

  now = _sc_store_now ();
  /* A new span drops the normalised value and a new category the fine label: neither fits
   * any more. ?2 IS NULL: the span stays. */
  stmt = _sc_store_prepare (self->db,
    "UPDATE findings SET"
    "  label = CASE WHEN category = ?1 THEN label ELSE NULL END,"
    "  value = CASE WHEN ?2 IS NULL AND category = ?1 THEN value ELSE NULL END,"
    "  category = ?1,"
    "  text = coalesce (?2, text), page = coalesce (?3, page),"
    "  byte_start = coalesce (?4, byte_start), byte_end = coalesce (?5, byte_end),"
    "  cp_start = coalesce (?6, cp_start), cp_end = coalesce (?7, cp_end),"
    "  doc_start = coalesce (?8, doc_start), doc_end = coalesce (?9, doc_end),"
    "  boxes = coalesce (?10, boxes),"
    "  decision = 'edited', reason = ?11, legal_basis = ?12, decided_by = ?13, decided_at = ?14"
    " WHERE id = ?15", error);
  if (stmt == NULL)
    goto fail;
  _sc_store_bind_text (stmt, 1, category_name);
  if (span != NULL)
    {
      _sc_store_bind_text (stmt, 2, resolved.text);
      sqlite3_bind_int64 (stmt, 3, resolved.page);
      sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) resolved.start);
      sqlite3_bind_int64 (stmt, 5, (sqlite3_int64) resolved.end);
      sqlite3_bind_int64 (stmt, 6, (sqlite3_int64) resolved.cp_start);
      sqlite3_bind_int64 (stmt, 7, (sqlite3_int64) resolved.cp_end);
      sqlite3_bind_int64 (stmt, 8, (sqlite3_int64) resolved.doc_start);
      sqlite3_bind_int64 (stmt, 9, (sqlite3_int64) resolved.doc_end);
      _sc_store_bind_text (stmt, 10, resolved.boxes);
    }
  _sc_store_bind_text (stmt, 11, reason);
  _sc_store_bind_text (stmt, 12, legal_basis);
  _sc_store_bind_text (stmt, 13, g_get_user_name ());
  _sc_store_bind_text (stmt, 14, now);
  sqlite3_bind_int64 (stmt, 15, finding_id);
  if (!_sc_store_step_done (stmt, error))
    goto fail;

  details = _sc_store_details_json ("decision", "s", "edited",
                                    "previous", "s", sc_store_decision_to_string (info.decision),
                                    "previous_category", "s", info.category,
                                    "category", "s", category_name,
                                    "span_changed", "i", (gint64) (span != NULL),
                                    "page", "i", (gint64) (span != NULL ? span->page : info.page),
                                    "reason", "s", reason,
                                    "legal_basis", "s", legal_basis, NULL);
  record.case_id = info.case_id;
  record.document_id = info.document_id;
  record.details = details;
  record.document_sha256 = info.document_sha256;
  record.model_name = info.model_name;
  record.model_version = info.model_version;
  record.model_sha256 = info.model_sha256;
  if (!_sc_store_audit_append (self->db, &record, error) || !_sc_store_commit (self->db, error))
    goto fail;
  return TRUE;

fail:
  _sc_store_rollback (self->db);
  return FALSE;
}

gint64
sc_store_add_manual_finding (ScStore            *self,
                             gint64              document_id,
                             ScFindingCategory   category,
                             const char         *label,
                             const ScStoreSpan  *span,
                             const char         *reason,
                             const char         *legal_basis,
                             GError            **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) doc = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_auto(Resolved) resolved = { 0 };
  g_autofree char *now = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *details = NULL;
  ScAuditRecord record = { .action = "finding-added", .document_id = document_id };
  const char *category_name;
  gboolean found;
  gint64 id;

  g_return_val_if_fail (SC_IS_STORE (self), 0);
  g_return_val_if_fail (document_id > 0, 0);
  g_return_val_if_fail (span != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!check_category (category, error) || !check_texts (reason, legal_basis, error) ||
      !check_texts (label, NULL, error))
    return 0;
  category_name = sc_finding_category_to_string (category);

  locker = g_mutex_locker_new (&self->lock);
  if (!_sc_store_begin (self->db, error))
    return 0;
  doc = _sc_store_prepare (self->db, "SELECT case_id, sha256 FROM documents WHERE id = ?",
                           error);
  if (doc == NULL)
    goto fail;
  sqlite3_bind_int64 (doc, 1, document_id);
  if (!_sc_store_step_row (doc, &found, error))
    goto fail;
  if (!found)
    {
      _sc_store_not_found ("document", document_id, error);
      goto fail;
    }
  record.case_id = sqlite3_column_int64 (doc, 0);
  sha256 = _sc_store_column_dup (doc, 1);
  if (!resolve_span (self->db, document_id, span, &resolved, error))
    goto fail;

  now = _sc_store_now ();
  stmt = _sc_store_prepare (self->db,
    "INSERT INTO findings (document_id, manual, category, label, text, page, doc_start, doc_end,"
    "  byte_start, byte_end, cp_start, cp_end, confidence, sources, boxes, decision, reason,"
    "  legal_basis, decided_by, decided_at)"
    " VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1.0, 0, ?, 'added', ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, document_id);
  _sc_store_bind_text (stmt, 2, category_name);
  _sc_store_bind_text (stmt, 3, label);
  _sc_store_bind_text (stmt, 4, resolved.text);
  sqlite3_bind_int64 (stmt, 5, resolved.page);
  sqlite3_bind_int64 (stmt, 6, (sqlite3_int64) resolved.doc_start);
  sqlite3_bind_int64 (stmt, 7, (sqlite3_int64) resolved.doc_end);
  sqlite3_bind_int64 (stmt, 8, (sqlite3_int64) resolved.start);
  sqlite3_bind_int64 (stmt, 9, (sqlite3_int64) resolved.end);
  sqlite3_bind_int64 (stmt, 10, (sqlite3_int64) resolved.cp_start);
  sqlite3_bind_int64 (stmt, 11, (sqlite3_int64) resolved.cp_end);
  _sc_store_bind_text (stmt, 12, resolved.boxes);
  _sc_store_bind_text (stmt, 13, reason);
  _sc_store_bind_text (stmt, 14, legal_basis);
  _sc_store_bind_text (stmt, 15, g_get_user_name ());
  _sc_store_bind_text (stmt, 16, now);
  if (!_sc_store_step_done (stmt, error))
    goto fail;
  id = sqlite3_last_insert_rowid (self->db);

  details = _sc_store_details_json ("decision", "s", "added",
                                    "category", "s", category_name,
                                    "page", "i", (gint64) span->page,
                                    "boxes", "i", (gint64) (span->boxes != NULL
                                                            ? span->boxes->len : 0),
                                    "reason", "s", reason,
                                    "legal_basis", "s", legal_basis, NULL);
  record.finding_id = id;
  record.details = details;
  record.document_sha256 = sha256;
  if (!_sc_store_audit_append (self->db, &record, error) || !_sc_store_commit (self->db, error))
    goto fail;
  return id;

fail:
  _sc_store_rollback (self->db);
  return 0;
}
