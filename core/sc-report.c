/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-report.c: the review report (see sc-report.h): collecting it from the case store and the
 * audit log, and writing it as JSON, CSV and PDF (A4, laid out with Pango on cairo's PDF
 * surface). */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <math.h>
#include <string.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <glib/gi18n-lib.h>

#include "sc-error.h"
#include "sc-json.h"
#include "sc-report.h"

/* ------------------------------------------------------------------------------------------ */
/* Names                                                                                       */
/* ------------------------------------------------------------------------------------------ */

static const char *const format_names[] = {
  [SC_REPORT_FORMAT_JSON] = "json",
  [SC_REPORT_FORMAT_CSV] = "csv",
  [SC_REPORT_FORMAT_PDF] = "pdf",
};

const char *
sc_report_format_to_string (ScReportFormat format)
{
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (format_names), NULL);

  return format_names[format];
}

int
sc_report_format_from_string (const char *name)
{
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_ascii_strcasecmp (format_names[i], name) == 0)
      return (int) i;
  return -1;
}

/* "manual" for findings added by hand, else the finding's source ("rule", "model" …). */
static const char *
finding_source_name (const ScReportFinding *f)
{
  return f->manual ? "manual" : sc_finding_source_to_string (f->source);
}

/* ISO 8601 in UTC with a 'Z', microseconds only when there are any. */
static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  if (time == NULL)
    return NULL;
  utc = g_date_time_to_utc (time);
  return g_date_time_format_iso8601 (utc);
}

/* ------------------------------------------------------------------------------------------ */
/* Records                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static void
report_model_free (ScReportModel *model)
{
  if (model == NULL)
    return;
  g_free (model->name);
  g_free (model->version);
  g_free (model->sha256);
  g_free (model);
}

static void
report_finding_free (ScReportFinding *f)
{
  g_free (f->label);
  g_free (f->text);
  g_free (f->reviewer);
  g_clear_pointer (&f->decided_at, g_date_time_unref);
  g_free (f->reason);
  g_free (f->legal_basis);
  /* f->model belongs to the report's list of models. */
  g_free (f);
}

static void
report_document_free (ScReportDocument *d)
{
  g_free (d->name);
  g_free (d->media_type);
  g_free (d->sha256);
  g_clear_pointer (&d->added, g_date_time_unref);
  g_clear_pointer (&d->findings, g_ptr_array_unref);
  g_free (d);
}

G_DEFINE_BOXED_TYPE (ScReport, sc_report, sc_report_ref, sc_report_unref)

ScReport *
sc_report_ref (ScReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  g_atomic_ref_count_inc (&report->ref_count);
  return report;
}

void
sc_report_unref (ScReport *report)
{
  if (report == NULL || !g_atomic_ref_count_dec (&report->ref_count))
    return;
  g_clear_pointer (&report->created, g_date_time_unref);
  g_free (report->app_version);
  g_free (report->case_title);
  g_free (report->case_reference);
  g_clear_pointer (&report->case_created, g_date_time_unref);
  g_clear_pointer (&report->documents, g_ptr_array_unref);
  g_clear_pointer (&report->models, g_ptr_array_unref);
  g_free (report->audit_message);
  g_free (report);
}

/* ------------------------------------------------------------------------------------------ */
/* Collecting                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/* What the audit log of the case adds to the findings table: who decided (for a finding whose
 * row lost it) and the SHA-256 of the model of each analysis. */
typedef struct
{
  GPtrArray  *entries;        /* ScStoreAuditEntry* of the case, oldest first */
  GHashTable *finding_entry;  /* finding id -> its latest entry with a model SHA-256 */
  GHashTable *decider;        /* finding id -> its latest decision entry */
} AuditIndex;

static void
audit_index_clear (AuditIndex *index)
{
  g_clear_pointer (&index->finding_entry, g_hash_table_unref);
  g_clear_pointer (&index->decider, g_hash_table_unref);
  g_clear_pointer (&index->entries, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AuditIndex, audit_index_clear)

static gboolean
audit_index_init (AuditIndex  *index,
                  ScStore     *store,
                  gint64       case_id,
                  GError     **error)
{
  index->entries = sc_store_list_audit (store, case_id, error);
  if (index->entries == NULL)
    return FALSE;
  index->finding_entry = g_hash_table_new (g_int64_hash, g_int64_equal);
  index->decider = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < index->entries->len; i++)
    {
      ScStoreAuditEntry *e = g_ptr_array_index (index->entries, i);

      if (e->finding_id == 0)
        continue;
      if (e->model_sha256 != NULL)
        g_hash_table_insert (index->finding_entry, &e->finding_id, e);
      if (g_str_equal (e->action, "decision") || g_str_equal (e->action, "finding-edited") ||
          g_str_equal (e->action, "finding-added"))
        g_hash_table_insert (index->decider, &e->finding_id, e);
    }
  return TRUE;
}

/* The SHA-256 of the model @name @version that found @finding_id in @document_id: recorded
 * with the finding's own decisions, else with the latest analysis of the document by that
 * model. NULL when the log does not say. */
static const char *
audit_model_sha256 (AuditIndex *index,
                    gint64      document_id,
                    gint64      finding_id,
                    const char *name,
                    const char *version)
{
  ScStoreAuditEntry *own = g_hash_table_lookup (index->finding_entry, &finding_id);

  if (own != NULL && g_strcmp0 (own->model_name, name) == 0 &&
      g_strcmp0 (own->model_version, version) == 0)
    return own->model_sha256;
  for (guint i = index->entries->len; i > 0; i--)
    {
      ScStoreAuditEntry *e = g_ptr_array_index (index->entries, i - 1);

      if (e->document_id == document_id && g_str_equal (e->action, "analysis") &&
          e->model_sha256 != NULL && g_strcmp0 (e->model_name, name) == 0 &&
          g_strcmp0 (e->model_version, version) == 0)
        return e->model_sha256;
    }
  return NULL;
}

/* The report's one ScReportModel for (@name, @version, @sha256), added when new. */
static ScReportModel *
intern_model (ScReport   *report,
              const char *name,
              const char *version,
              const char *sha256)
{
  ScReportModel *model;

  for (guint i = 0; i < report->models->len; i++)
    {
      model = g_ptr_array_index (report->models, i);
      if (g_str_equal (model->name, name) && g_strcmp0 (model->version, version) == 0 &&
          g_strcmp0 (model->sha256, sha256) == 0)
        return model;
    }
  model = g_new0 (ScReportModel, 1);
  model->name = g_strdup (name);
  model->version = g_strdup (version);
  model->sha256 = g_strdup (sha256);
  g_ptr_array_add (report->models, model);
  return model;
}

static ScReportFinding *
collect_finding (ScReport        *report,
                 AuditIndex      *index,
                 ScStoreFinding  *sf)
{
  ScReportFinding *f = g_new0 (ScReportFinding, 1);
  const ScFinding *finding = sf->finding->finding;
  gboolean mask = (report->flags & SC_REPORT_MASK_TEXT) != 0;

  f->id = sf->id;
  f->category = finding->category;
  f->label = mask ? NULL : g_strdup (finding->label);
  f->text = mask ? NULL : g_strdup (finding->text);
  f->page = sf->finding->page + 1;
  f->start = finding->cp_start;
  f->end = MAX (finding->cp_start, finding->cp_end);
  f->manual = sf->manual;
  f->source = finding->source;
  f->confidence = isfinite (finding->confidence) ? CLAMP (finding->confidence, 0.0, 1.0) : 0.0;
  f->decision = sf->decision;
  if (sf->decision != SC_STORE_DECISION_OPEN)
    {
      ScStoreAuditEntry *entry = g_hash_table_lookup (index->decider, &sf->id);

      f->reviewer = g_strdup (sf->decided_by != NULL ? sf->decided_by
                                                     : entry != NULL ? entry->user : NULL);
      if (sf->decided_at != NULL)
        f->decided_at = g_date_time_to_utc (sf->decided_at);
      else if (entry != NULL)
        f->decided_at = g_date_time_new_from_iso8601 (entry->time, NULL);
      f->reason = g_strdup (sf->reason);
      f->legal_basis = g_strdup (sf->legal_basis);
    }
  if (sf->model_name != NULL && !sf->manual)
    f->model = intern_model (report, sf->model_name, sf->model_version,
                             audit_model_sha256 (index, sf->document_id, sf->id,
                                                 sf->model_name, sf->model_version));
  return f;
}

static gboolean
collect_document (ScReport         *report,
                  ScStore          *store,
                  AuditIndex       *index,
                  ScStoreDocument  *document,
                  GError          **error)
{
  g_autoptr(GPtrArray) findings = sc_store_list_findings (store, document->id, error);
  ScReportDocument *d;

  if (findings == NULL)
    return FALSE;

  d = g_new0 (ScReportDocument, 1);
  d->id = document->id;
  d->name = g_strdup (document->name);
  d->media_type = g_strdup (document->media_type);
  d->sha256 = g_strdup (document->sha256);
  d->size = document->size;
  d->n_pages = document->n_pages;
  d->added = document->added != NULL ? g_date_time_to_utc (document->added) : NULL;
  d->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) report_finding_free);
  for (guint i = 0; i < findings->len; i++)
    {
      ScReportFinding *f = collect_finding (report, index, g_ptr_array_index (findings, i));

      g_ptr_array_add (d->findings, f);
      d->by_decision[f->decision]++;
      report->by_decision[f->decision]++;
      report->by_category[f->category]++;
      report->n_findings++;
    }
  g_ptr_array_add (report->documents, d);
  return TRUE;
}

/* Finds the case @case_id, or the case holding @document_id when @case_id is 0. */
static ScStoreCase *
find_case (ScStore          *store,
           gint64            case_id,
           gint64            document_id,
           ScStoreDocument **document,
           GError          **error)
{
  g_autoptr(GPtrArray) cases = sc_store_list_cases (store, error);

  if (cases == NULL)
    return NULL;
  for (guint i = 0; i < cases->len; i++)
    {
      ScStoreCase *c = g_ptr_array_index (cases, i);
      g_autoptr(GPtrArray) documents = NULL;

      if (case_id != 0)
        {
          if (c->id == case_id)
            return sc_store_case_ref (c);
          continue;
        }
      documents = sc_store_list_documents (store, c->id, error);
      if (documents == NULL)
        return NULL;
      for (guint j = 0; j < documents->len; j++)
        {
          ScStoreDocument *d = g_ptr_array_index (documents, j);

          if (d->id == document_id)
            {
              *document = sc_store_document_ref (d);
              return sc_store_case_ref (c);
            }
        }
    }
  if (case_id != 0)
    g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                 _("There is no case with the number %lld"), (long long) case_id);
  else
    g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                 _("There is no document with the number %lld"), (long long) document_id);
  return NULL;
}

static ScReport *
collect (ScStore        *store,
         gint64          case_id,
         gint64          document_id,
         ScReportFlags   flags,
         GError        **error)
{
  g_autoptr(ScReport) report = g_new0 (ScReport, 1);
  g_autoptr(ScStoreCase) store_case = NULL;
  g_autoptr(ScStoreDocument) document = NULL;
  g_autoptr(GError) audit_error = NULL;
  g_auto(AuditIndex) index = { 0 };

  g_atomic_ref_count_init (&report->ref_count);
  report->flags = flags;
  report->whole_case = document_id == 0;
  report->created = g_date_time_new_now_utc ();
  report->app_version = g_strdup (PACKAGE_VERSION);
  report->documents = g_ptr_array_new_with_free_func ((GDestroyNotify) report_document_free);
  report->models = g_ptr_array_new_with_free_func ((GDestroyNotify) report_model_free);

  store_case = find_case (store, case_id, document_id, &document, error);
  if (store_case == NULL)
    return NULL;
  report->case_id = store_case->id;
  report->case_title = g_strdup (store_case->title);
  report->case_reference = g_strdup (store_case->reference != NULL ? store_case->reference : "");
  report->case_created = store_case->created != NULL ? g_date_time_to_utc (store_case->created)
                                                     : NULL;

  /* The chain is verified before the findings are read: what the report shows was then
   * covered by the check. */
  report->audit_verified = sc_store_verify_audit (store, &report->audit_entries, &audit_error);
  if (!report->audit_verified)
    {
      if (!g_error_matches (audit_error, SC_ERROR, SC_ERROR_CORRUPT))
        {
          g_propagate_error (error, g_steal_pointer (&audit_error));
          return NULL;
        }
      report->audit_message = g_strdup (audit_error->message);
    }
  if (!audit_index_init (&index, store, report->case_id, error))
    return NULL;
  report->audit_case_entries = index.entries->len;

  if (document != NULL)
    {
      if (!collect_document (report, store, &index, document, error))
        return NULL;
    }
  else
    {
      g_autoptr(GPtrArray) documents = sc_store_list_documents (store, report->case_id, error);

      if (documents == NULL)
        return NULL;
      for (guint i = 0; i < documents->len; i++)
        if (!collect_document (report, store, &index, g_ptr_array_index (documents, i), error))
          return NULL;
    }
  return g_steal_pointer (&report);
}

ScReport *
sc_report_new_for_case (ScStore        *store,
                        gint64          case_id,
                        ScReportFlags   flags,
                        GError        **error)
{
  g_return_val_if_fail (SC_IS_STORE (store), NULL);
  g_return_val_if_fail (case_id > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return collect (store, case_id, 0, flags, error);
}

ScReport *
sc_report_new_for_document (ScStore        *store,
                            gint64          document_id,
                            ScReportFlags   flags,
                            GError        **error)
{
  g_return_val_if_fail (SC_IS_STORE (store), NULL);
  g_return_val_if_fail (document_id > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return collect (store, 0, document_id, flags, error);
}

/* ------------------------------------------------------------------------------------------ */
/* JSON                                                                                        */
/* ------------------------------------------------------------------------------------------ */

static void
json_string_or_null (ScJsonWriter *w,
                     const char   *key,
                     const char   *value)
{
  sc_json_writer_key (w, key);
  if (value != NULL)
    sc_json_writer_string (w, value);
  else
    sc_json_writer_null (w);
}

static void
json_time (ScJsonWriter *w,
           const char   *key,
           GDateTime    *time)
{
  g_autofree char *text = format_time (time);

  json_string_or_null (w, key, text);
}

static void
json_by_decision (ScJsonWriter *w,
                  const guint  *counts)
{
  sc_json_writer_key (w, "by_decision");
  sc_json_writer_begin_object (w);
  for (guint i = 0; i <= SC_STORE_DECISION_ADDED; i++)
    {
      sc_json_writer_key (w, sc_store_decision_to_string ((ScStoreDecision) i));
      sc_json_writer_int (w, counts[i]);
    }
  sc_json_writer_end_object (w);
}

static void
json_model (ScJsonWriter        *w,
            const ScReportModel *model)
{
  sc_json_writer_begin_object (w);
  json_string_or_null (w, "name", model->name);
  json_string_or_null (w, "version", model->version);
  json_string_or_null (w, "sha256", model->sha256);
  sc_json_writer_end_object (w);
}

static void
json_finding (ScJsonWriter          *w,
              const ScReportFinding *f)
{
  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "id");
  sc_json_writer_int (w, f->id);
  sc_json_writer_key (w, "category");
  sc_json_writer_string (w, sc_finding_category_to_string (f->category));
  json_string_or_null (w, "label", f->label);
  json_string_or_null (w, "text", f->text);
  sc_json_writer_key (w, "page");
  sc_json_writer_int (w, f->page);
  sc_json_writer_key (w, "start");
  sc_json_writer_int (w, (gint64) f->start);
  sc_json_writer_key (w, "end");
  sc_json_writer_int (w, (gint64) f->end);
  sc_json_writer_key (w, "source");
  sc_json_writer_string (w, finding_source_name (f));
  sc_json_writer_key (w, "confidence");
  sc_json_writer_double (w, f->confidence);
  sc_json_writer_key (w, "decision");
  sc_json_writer_string (w, sc_store_decision_to_string (f->decision));
  json_string_or_null (w, "reviewer", f->reviewer);
  json_time (w, "decided_at", f->decided_at);
  json_string_or_null (w, "reason", f->reason);
  json_string_or_null (w, "legal_basis", f->legal_basis);
  sc_json_writer_key (w, "model");
  if (f->model != NULL)
    json_model (w, f->model);
  else
    sc_json_writer_null (w);
  sc_json_writer_end_object (w);
}

char *
sc_report_to_json (ScReport *report)
{
  g_autoptr(ScJsonWriter) w = NULL;

  g_return_val_if_fail (report != NULL, NULL);

  w = sc_json_writer_new (TRUE);
  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "format");
  sc_json_writer_string (w, "sichtung-review-report");
  sc_json_writer_key (w, "format_version");
  sc_json_writer_int (w, SC_REPORT_FORMAT_VERSION);
  json_time (w, "created_at", report->created);
  sc_json_writer_key (w, "generator");
  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "name");
  sc_json_writer_string (w, PACKAGE_NAME);
  sc_json_writer_key (w, "version");
  sc_json_writer_string (w, report->app_version);
  sc_json_writer_end_object (w);
  sc_json_writer_key (w, "scope");
  sc_json_writer_string (w, report->whole_case ? "case" : "document");
  sc_json_writer_key (w, "mask_text");
  sc_json_writer_bool (w, (report->flags & SC_REPORT_MASK_TEXT) != 0);

  sc_json_writer_key (w, "case");
  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "id");
  sc_json_writer_int (w, report->case_id);
  sc_json_writer_key (w, "title");
  sc_json_writer_string (w, report->case_title);
  sc_json_writer_key (w, "reference");
  sc_json_writer_string (w, report->case_reference);
  json_time (w, "created_at", report->case_created);
  sc_json_writer_end_object (w);

  sc_json_writer_key (w, "models");
  sc_json_writer_begin_array (w);
  for (guint i = 0; i < report->models->len; i++)
    json_model (w, g_ptr_array_index (report->models, i));
  sc_json_writer_end_array (w);

  sc_json_writer_key (w, "documents");
  sc_json_writer_begin_array (w);
  for (guint i = 0; i < report->documents->len; i++)
    {
      ScReportDocument *d = g_ptr_array_index (report->documents, i);

      sc_json_writer_begin_object (w);
      sc_json_writer_key (w, "id");
      sc_json_writer_int (w, d->id);
      sc_json_writer_key (w, "name");
      sc_json_writer_string (w, d->name);
      sc_json_writer_key (w, "media_type");
      sc_json_writer_string (w, d->media_type);
      sc_json_writer_key (w, "sha256");
      sc_json_writer_string (w, d->sha256);
      sc_json_writer_key (w, "size");
      sc_json_writer_int (w, (gint64) d->size);
      sc_json_writer_key (w, "pages");
      sc_json_writer_int (w, d->n_pages);
      json_time (w, "added_at", d->added);
      sc_json_writer_key (w, "summary");
      sc_json_writer_begin_object (w);
      sc_json_writer_key (w, "findings");
      sc_json_writer_int (w, d->findings->len);
      json_by_decision (w, d->by_decision);
      sc_json_writer_end_object (w);
      sc_json_writer_key (w, "findings");
      sc_json_writer_begin_array (w);
      for (guint j = 0; j < d->findings->len; j++)
        json_finding (w, g_ptr_array_index (d->findings, j));
      sc_json_writer_end_array (w);
      sc_json_writer_end_object (w);
    }
  sc_json_writer_end_array (w);

  sc_json_writer_key (w, "summary");
  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "documents");
  sc_json_writer_int (w, report->documents->len);
  sc_json_writer_key (w, "findings");
  sc_json_writer_int (w, report->n_findings);
  json_by_decision (w, report->by_decision);
  sc_json_writer_key (w, "by_category");
  sc_json_writer_begin_object (w);
  for (guint i = 0; i < SC_FINDING_N_CATEGORIES; i++)
    {
      if (report->by_category[i] == 0)
        continue;
      sc_json_writer_key (w, sc_finding_category_to_string ((ScFindingCategory) i));
      sc_json_writer_int (w, report->by_category[i]);
    }
  sc_json_writer_end_object (w);
  sc_json_writer_end_object (w);

  sc_json_writer_key (w, "audit");
  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "verified");
  sc_json_writer_bool (w, report->audit_verified);
  sc_json_writer_key (w, "entries");
  sc_json_writer_int (w, (gint64) report->audit_entries);
  sc_json_writer_key (w, "case_entries");
  sc_json_writer_int (w, report->audit_case_entries);
  json_string_or_null (w, "message", report->audit_message);
  sc_json_writer_end_object (w);

  sc_json_writer_end_object (w);
  return sc_json_writer_free_to_string (g_steal_pointer (&w));
}

/* ------------------------------------------------------------------------------------------ */
/* CSV                                                                                         */
/* ------------------------------------------------------------------------------------------ */

static const char *const csv_columns[] = {
  "document_id", "document_name", "document_sha256", "finding_id", "page", "start", "end",
  "category", "label", "text", "source", "confidence", "decision", "reviewer", "decided_at",
  "reason", "legal_basis", "model_name", "model_version", "model_sha256",
};

/* Appends one field (NULL: empty), quoted when RFC 4180 asks for it, and the separator unless
 * it is the last of the row. A text a spreadsheet would take for a formula (it starts with
 * '=', '+', '-', '@', a tab or CR: a name or a reason can be made to) gets a leading "'", so
 * opening the report never runs anything; no number written here starts like that. */
static void
csv_field (GString    *out,
           const char *value,
           char        separator,
           gboolean    last)
{
  const char special[] = { separator, '"', '\r', '\n', '\0' };
  g_autofree char *guarded = NULL;

  if (value != NULL && value[0] != '\0' && strchr ("=+-@\t\r", value[0]) != NULL)
    value = guarded = g_strconcat ("'", value, NULL);

  if (value != NULL && strpbrk (value, special) != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = value; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else if (value != NULL)
    {
      g_string_append (out, value);
    }
  g_string_append (out, last ? "\r\n" : (const char[]) { separator, '\0' });
}

char *
sc_report_to_csv (ScReport *report,
                  char      separator)
{
  GString *out;

  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (separator == ',' || separator == ';', NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (csv_columns); i++)
    csv_field (out, csv_columns[i], separator, i + 1 == G_N_ELEMENTS (csv_columns));

  for (guint i = 0; i < report->documents->len; i++)
    {
      ScReportDocument *d = g_ptr_array_index (report->documents, i);
      g_autofree char *document_id = g_strdup_printf ("%" G_GINT64_FORMAT, d->id);

      for (guint j = 0; j < d->findings->len; j++)
        {
          ScReportFinding *f = g_ptr_array_index (d->findings, j);
          g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, f->id);
          g_autofree char *page = g_strdup_printf ("%u", f->page);
          g_autofree char *start = g_strdup_printf ("%zu", f->start);
          g_autofree char *end = g_strdup_printf ("%zu", f->end);
          g_autofree char *decided_at = format_time (f->decided_at);
          char confidence[G_ASCII_DTOSTR_BUF_SIZE];
          const char *row[G_N_ELEMENTS (csv_columns)];
          guint n = 0;

          g_ascii_formatd (confidence, sizeof confidence, "%.3f", f->confidence);
          row[n++] = document_id;
          row[n++] = d->name;
          row[n++] = d->sha256;
          row[n++] = id;
          row[n++] = page;
          row[n++] = start;
          row[n++] = end;
          row[n++] = sc_finding_category_to_string (f->category);
          row[n++] = f->label;
          row[n++] = f->text;
          row[n++] = finding_source_name (f);
          row[n++] = confidence;
          row[n++] = sc_store_decision_to_string (f->decision);
          row[n++] = f->reviewer;
          row[n++] = decided_at;
          row[n++] = f->reason;
          row[n++] = f->legal_basis;
          row[n++] = f->model != NULL ? f->model->name : NULL;
          row[n++] = f->model != NULL ? f->model->version : NULL;
          row[n++] = f->model != NULL ? f->model->sha256 : NULL;
          g_assert (n == G_N_ELEMENTS (csv_columns));
          for (guint c = 0; c < n; c++)
            csv_field (out, row[c], separator, c + 1 == n);
        }
    }
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* PDF: page geometry and fonts                                                                */
/* ------------------------------------------------------------------------------------------ */

/* A4 in points. */
#define PAGE_WIDTH    595.276
#define PAGE_HEIGHT   841.890
#define MARGIN_LEFT   45.0
#define MARGIN_RIGHT  45.0
#define MARGIN_TOP    50.0
#define MARGIN_BOTTOM 55.0
#define CONTENT_WIDTH (PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)
#define CONTENT_BOTTOM (PAGE_HEIGHT - MARGIN_BOTTOM)

#define FONT_FAMILY   "DejaVu Sans, Sans"
#define MONO_FAMILY   "DejaVu Sans Mono, Monospace"
#define CELL_PAD      2.5   /* points inside each table cell */
#define LABEL_WIDTH   120.0 /* the label column of the header block */
#define MIN_SPLIT_ROOM 40.0 /* a row split over pages starts on a page with this much room */

typedef enum
{
  COL_NUMBER,
  COL_PAGE,
  COL_CATEGORY,
  COL_TEXT,
  COL_SOURCE,
  COL_DECISION,
  COL_REVIEWER,
  COL_REASON,
  N_COLUMNS
} Column;

/* Widths in points; they add up to CONTENT_WIDTH (505.3). */
static const double column_widths[N_COLUMNS] = {
  [COL_NUMBER] = 22.0,
  [COL_PAGE] = 30.0,
  [COL_CATEGORY] = 72.0,
  [COL_TEXT] = 105.0,
  [COL_SOURCE] = 62.0,
  [COL_DECISION] = 52.0,
  [COL_REVIEWER] = 66.0,
  [COL_REASON] = 96.276,
};

/* The state of one pass over the report. Pass one only measures, to count the pages; pass
 * two draws, with the same layouts and so the same page breaks. */
typedef struct
{
  ScReport             *report;
  cairo_t              *cr;
  PangoContext         *context;  /* at 72 dpi, so a font's size is in points */
  PangoFontDescription *body;     /* 9 pt */
  PangoFontDescription *bold;     /* 9 pt bold */
  PangoFontDescription *small;    /* 7.5 pt, the table */
  PangoFontDescription *small_bold;
  PangoFontDescription *mono;     /* 8 pt, hashes */
  PangoFontDescription *title;    /* 18 pt bold */
  PangoFontDescription *heading;  /* 12 pt bold */
  gboolean              drawing;
  guint                 page;     /* 1-based, the page being laid out */
  guint                 n_pages;  /* known in pass two */
  double                y;        /* where the next block starts on the page */
  const ScReportDocument *table;  /* the document whose findings table is open, or NULL */
} Pdf;

static PangoLayout *
pdf_layout (Pdf                        *pdf,
            const PangoFontDescription *font,
            const char                 *text,
            double                      width)
{
  PangoLayout *layout = pango_layout_new (pdf->context);

  pango_layout_set_font_description (layout, font);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  if (width > 0)
    pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

static void
pdf_show (Pdf         *pdf,
          PangoLayout *layout,
          double       x,
          double       y)
{
  if (!pdf->drawing)
    return;
  cairo_move_to (pdf->cr, x, y);
  pango_cairo_show_layout (pdf->cr, layout);
}

/* ------------------------------------------------------------------------------------------ */
/* PDF: pages                                                                                  */
/* ------------------------------------------------------------------------------------------ */

static void pdf_table_header (Pdf *pdf);

/* The footer of the current page: the report's title and case on the left, "Page N of M" on
 * the right. */
static void
pdf_footer (Pdf *pdf)
{
  g_autofree char *page_text = NULL;
  g_autofree char *left = NULL;
  g_autoptr(PangoLayout) left_layout = NULL;
  g_autoptr(PangoLayout) page_layout = NULL;
  double y = PAGE_HEIGHT - MARGIN_BOTTOM + 18.0;

  if (!pdf->drawing)
    return;
  /* Translators: the footer of each page of the review report. */
  page_text = g_strdup_printf (_("Page %u of %u"), pdf->page, pdf->n_pages);
  if (pdf->report->case_reference[0] != '\0')
    left = g_strdup_printf ("%s – %s (%s)", _("Review Report"), pdf->report->case_title,
                            pdf->report->case_reference);
  else
    left = g_strdup_printf ("%s – %s", _("Review Report"), pdf->report->case_title);

  page_layout = pdf_layout (pdf, pdf->small, page_text, 0);
  left_layout = pdf_layout (pdf, pdf->small, left, CONTENT_WIDTH - 90.0);
  pango_layout_set_ellipsize (left_layout, PANGO_ELLIPSIZE_END);

  cairo_set_line_width (pdf->cr, 0.5);
  cairo_move_to (pdf->cr, MARGIN_LEFT, y - 4.0);
  cairo_line_to (pdf->cr, PAGE_WIDTH - MARGIN_RIGHT, y - 4.0);
  cairo_stroke (pdf->cr);
  pdf_show (pdf, left_layout, MARGIN_LEFT, y);
  {
    int width;

    pango_layout_get_size (page_layout, &width, NULL);
    pdf_show (pdf, page_layout, PAGE_WIDTH - MARGIN_RIGHT - (double) width / PANGO_SCALE, y);
  }
}

/* Ends the current page and starts the next; an open findings table gets its header again. */
static void
pdf_new_page (Pdf *pdf)
{
  pdf_footer (pdf);
  if (pdf->drawing)
    cairo_show_page (pdf->cr);
  pdf->page++;
  pdf->y = MARGIN_TOP;
  if (pdf->table != NULL)
    pdf_table_header (pdf);
}

/* Starts a new page unless @height more points fit on this one. */
static void
pdf_need (Pdf    *pdf,
          double  height)
{
  if (pdf->y + height > CONTENT_BOTTOM && pdf->y > MARGIN_TOP)
    pdf_new_page (pdf);
}

/* A paragraph over the whole width. */
static void
pdf_paragraph (Pdf                        *pdf,
               const PangoFontDescription *font,
               const char                 *text,
               double                      space_after)
{
  g_autoptr(PangoLayout) layout = pdf_layout (pdf, font, text, CONTENT_WIDTH);
  double height = layout_height (layout);

  pdf_need (pdf, height);
  pdf_show (pdf, layout, MARGIN_LEFT, pdf->y);
  pdf->y += height + space_after;
}

/* One line of a header block: a label and its value beside it. */
static void
pdf_field (Pdf                        *pdf,
           const char                 *label,
           const char                 *value,
           const PangoFontDescription *value_font)
{
  g_autoptr(PangoLayout) label_layout = pdf_layout (pdf, pdf->bold, label, LABEL_WIDTH - 6.0);
  g_autoptr(PangoLayout) value_layout = NULL;
  double height;

  value_layout = pdf_layout (pdf, value_font != NULL ? value_font : pdf->body, value,
                             CONTENT_WIDTH - LABEL_WIDTH);
  height = MAX (layout_height (label_layout), layout_height (value_layout));
  pdf_need (pdf, height);
  pdf_show (pdf, label_layout, MARGIN_LEFT, pdf->y);
  pdf_show (pdf, value_layout, MARGIN_LEFT + LABEL_WIDTH, pdf->y);
  pdf->y += height + 2.0;
}

/* ------------------------------------------------------------------------------------------ */
/* PDF: the findings table                                                                     */
/* ------------------------------------------------------------------------------------------ */

static double
column_x (Column column)
{
  double x = MARGIN_LEFT;

  for (guint c = 0; c < column; c++)
    x += column_widths[c];
  return x;
}

static PangoLayout *
cell_layout (Pdf                        *pdf,
             const PangoFontDescription *font,
             Column                      column,
             const char                 *text)
{
  return pdf_layout (pdf, font, text, column_widths[column] - 2 * CELL_PAD);
}

/* Lines between the columns and below the row, from @top to @bottom. */
static void
pdf_row_rules (Pdf    *pdf,
               double  top,
               double  bottom)
{
  if (!pdf->drawing)
    return;
  cairo_set_line_width (pdf->cr, 0.4);
  for (guint c = 0; c <= N_COLUMNS; c++)
    {
      double x = c < N_COLUMNS ? column_x ((Column) c) : MARGIN_LEFT + CONTENT_WIDTH;

      cairo_move_to (pdf->cr, x, top);
      cairo_line_to (pdf->cr, x, bottom);
    }
  cairo_move_to (pdf->cr, MARGIN_LEFT, bottom);
  cairo_line_to (pdf->cr, MARGIN_LEFT + CONTENT_WIDTH, bottom);
  cairo_stroke (pdf->cr);
}

static void
pdf_table_header (Pdf *pdf)
{
  const char *labels[N_COLUMNS] = {
    [COL_NUMBER] = _("No."),
    [COL_PAGE] = _("Page"),
    [COL_CATEGORY] = _("Category"),
    [COL_TEXT] = _("Text"),
    [COL_SOURCE] = _("Source"),
    [COL_DECISION] = _("Decision"),
    [COL_REVIEWER] = _("Reviewer"),
    [COL_REASON] = _("Reason and legal basis"),
  };
  PangoLayout *layouts[N_COLUMNS];
  double height = 0;

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      layouts[c] = cell_layout (pdf, pdf->small_bold, (Column) c, labels[c]);
      height = MAX (height, layout_height (layouts[c]));
    }
  height += 2 * CELL_PAD;

  if (pdf->drawing)
    {
      cairo_save (pdf->cr);
      cairo_set_source_rgb (pdf->cr, 0.88, 0.88, 0.88);
      cairo_rectangle (pdf->cr, MARGIN_LEFT, pdf->y, CONTENT_WIDTH, height);
      cairo_fill (pdf->cr);
      cairo_restore (pdf->cr);
      cairo_set_line_width (pdf->cr, 0.4);
      cairo_move_to (pdf->cr, MARGIN_LEFT, pdf->y);
      cairo_line_to (pdf->cr, MARGIN_LEFT + CONTENT_WIDTH, pdf->y);
      cairo_stroke (pdf->cr);
    }
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      pdf_show (pdf, layouts[c], column_x ((Column) c) + CELL_PAD, pdf->y + CELL_PAD);
      g_object_unref (layouts[c]);
    }
  pdf_row_rules (pdf, pdf->y, pdf->y + height);
  pdf->y += height;
}

static const char *
decision_display_name (ScStoreDecision decision)
{
  switch (decision)
    {
    case SC_STORE_DECISION_OPEN: return _("Open");
    case SC_STORE_DECISION_ACCEPTED: return _("Accepted");
    case SC_STORE_DECISION_REJECTED: return _("Rejected");
    case SC_STORE_DECISION_EDITED: return _("Edited");
    case SC_STORE_DECISION_ADDED: return _("Added by hand");
    default: break;
    }
  g_return_val_if_reached ("");
}

static const char *
source_display_name (const ScReportFinding *f)
{
  if (f->manual)
    return _("By hand");
  switch (f->source)
    {
    case SC_FINDING_SOURCE_RULE: return _("Rule");
    case SC_FINDING_SOURCE_MODEL: return _("Model");
    case SC_FINDING_SOURCE_GAZETTEER: return _("Name list");
    default: break;
    }
  g_return_val_if_reached ("");
}

/* The texts of one row of the findings table. */
static void
finding_cells (const ScReportFinding  *f,
               guint                   number,
               gboolean                masked,
               char                  **cells)
{
  GString *source = g_string_new (source_display_name (f));
  GString *reason = g_string_new (NULL);
  g_autofree char *time = NULL;

  cells[COL_NUMBER] = g_strdup_printf ("%u", number);
  cells[COL_PAGE] = g_strdup_printf ("%u", f->page);
  cells[COL_CATEGORY] = g_strdup (sc_finding_category_get_display_name (f->category));
  if (masked)
    /* Translators: in a review report whose found texts are masked: where the text was, as
     * characters of the page. */
    cells[COL_TEXT] = g_strdup_printf (_("(masked, characters %zu–%zu)"), f->start + 1,
                                       f->end);
  else
    cells[COL_TEXT] = g_strdup (f->text);

  if (!f->manual)
    {
      char confidence[G_ASCII_DTOSTR_BUF_SIZE];

      g_snprintf (confidence, sizeof confidence, "%.2f", f->confidence);
      g_string_append_printf (source, ", %s", confidence);
    }
  if (f->model != NULL)
    g_string_append_printf (source, "\n%s%s%s", f->model->name,
                            f->model->version != NULL ? " " : "",
                            f->model->version != NULL ? f->model->version : "");
  cells[COL_SOURCE] = g_string_free (source, FALSE);
  cells[COL_DECISION] = g_strdup (decision_display_name (f->decision));

  if (f->decided_at != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (f->decided_at);

      /* Translators: when a finding was decided, in the review report (UTC); a
       * g_date_time_format() string. */
      time = g_date_time_format (utc, _("%Y-%m-%d %H:%M UTC"));
    }
  cells[COL_REVIEWER] = g_strdup_printf ("%s%s%s", f->reviewer != NULL ? f->reviewer : "",
                                         f->reviewer != NULL && time != NULL ? "\n" : "",
                                         time != NULL ? time : "");

  if (f->reason != NULL && f->reason[0] != '\0')
    g_string_append (reason, f->reason);
  if (f->legal_basis != NULL && f->legal_basis[0] != '\0')
    {
      if (reason->len > 0)
        g_string_append_c (reason, '\n');
      /* Translators: the legal basis of a decision in the review report, e.g.
       * "Rechtsgrundlage: Art. 6 DSGVO". */
      g_string_append_printf (reason, _("Legal basis: %s"), f->legal_basis);
    }
  cells[COL_REASON] = g_string_free (reason, FALSE);
}

/* Draws the lines of @layout whose tops lie in [@from, @to) (points into the layout) at
 * @y_top, and returns where the first line left out starts (or the layout's height when none
 * is). A line taller than the whole range is shown all the same, so every call advances. */
static double
pdf_show_lines (Pdf         *pdf,
                PangoLayout *layout,
                double       x,
                double       y_top,
                double       from,
                double       to)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  double next = layout_height (layout);
  double shown_from = -1;

  do
    {
      PangoRectangle rect;
      double top, bottom;

      pango_layout_iter_get_line_extents (iter, NULL, &rect);
      top = (double) rect.y / PANGO_SCALE;
      bottom = (double) (rect.y + rect.height) / PANGO_SCALE;
      if (top < from - 0.01)
        continue;
      if (bottom - from > to - from + 0.01 && shown_from >= 0)
        {
          next = top;
          break;
        }
      if (shown_from < 0)
        shown_from = top;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);

  if (pdf->drawing && shown_from >= 0)
    {
      cairo_save (pdf->cr);
      cairo_rectangle (pdf->cr, x, y_top, PAGE_WIDTH, next - shown_from);
      cairo_clip (pdf->cr);
      cairo_move_to (pdf->cr, x, y_top - shown_from);
      pango_cairo_show_layout (pdf->cr, layout);
      cairo_restore (pdf->cr);
    }
  return shown_from >= 0 ? next : from;
}

static void
pdf_finding_row (Pdf                   *pdf,
                 const ScReportFinding *f,
                 guint                  number)
{
  char *cells[N_COLUMNS];
  PangoLayout *layouts[N_COLUMNS];
  double done[N_COLUMNS] = { 0 };
  double height = 0;
  gboolean masked = (pdf->report->flags & SC_REPORT_MASK_TEXT) != 0;

  finding_cells (f, number, masked, cells);
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      layouts[c] = cell_layout (pdf, pdf->small, (Column) c, cells[c]);
      height = MAX (height, layout_height (layouts[c]));
    }

  /* A row that fits on a page is never split; a longer one (a reason of many paragraphs)
   * continues on the next pages, cut between lines. */
  if (pdf->y + height + 2 * CELL_PAD > CONTENT_BOTTOM &&
      (height + 2 * CELL_PAD <= CONTENT_BOTTOM - MARGIN_TOP - 40.0 ||
       CONTENT_BOTTOM - pdf->y < MIN_SPLIT_ROOM))
    pdf_new_page (pdf);

  for (;;)
    {
      double room = CONTENT_BOTTOM - pdf->y - 2 * CELL_PAD;
      double used = 0;
      gboolean finished = TRUE;

      for (guint c = 0; c < N_COLUMNS; c++)
        {
          double next = pdf_show_lines (pdf, layouts[c], column_x ((Column) c) + CELL_PAD,
                                        pdf->y + CELL_PAD, done[c], done[c] + room);

          used = MAX (used, next - done[c]);
          done[c] = next;
          if (done[c] < layout_height (layouts[c]) - 0.01)
            finished = FALSE;
        }
      pdf_row_rules (pdf, pdf->y, pdf->y + used + 2 * CELL_PAD);
      pdf->y += used + 2 * CELL_PAD;
      if (finished)
        break;
      pdf_new_page (pdf);
    }

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      g_object_unref (layouts[c]);
      g_free (cells[c]);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* PDF: the report                                                                             */
/* ------------------------------------------------------------------------------------------ */

static char *
decision_summary (const guint *counts)
{
  /* Translators: the findings of a document or case by decision in the review report. */
  return g_strdup_printf (_("%u open, %u accepted, %u rejected, %u edited, %u added by hand"),
                          counts[SC_STORE_DECISION_OPEN], counts[SC_STORE_DECISION_ACCEPTED],
                          counts[SC_STORE_DECISION_REJECTED], counts[SC_STORE_DECISION_EDITED],
                          counts[SC_STORE_DECISION_ADDED]);
}

static char *
display_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  if (time == NULL)
    return g_strdup ("–");
  utc = g_date_time_to_utc (time);
  /* Translators: a date and time in the review report (UTC); a g_date_time_format() string. */
  return g_date_time_format (utc, _("%Y-%m-%d %H:%M:%S UTC"));
}

static void
pdf_header_block (Pdf *pdf)
{
  ScReport *r = pdf->report;
  g_autofree char *created = display_time (r->created);
  g_autofree char *case_created = display_time (r->case_created);
  g_autofree char *summary = decision_summary (r->by_decision);
  g_autofree char *audit = NULL;
  g_autofree char *findings = NULL;
  g_autoptr(GString) categories = g_string_new (NULL);

  pdf_paragraph (pdf, pdf->title, _("Review Report"), 4.0);
  pdf_paragraph (pdf, pdf->body, r->whole_case ? _("Review of all documents of the case")
                                               : _("Review of one document of the case"),
                 12.0);

  pdf_field (pdf, _("Case"), r->case_title, NULL);
  pdf_field (pdf, _("File reference"), r->case_reference[0] != '\0' ? r->case_reference : "–",
             NULL);
  pdf_field (pdf, _("Case created"), case_created, NULL);
  pdf_field (pdf, _("Report created"), created, NULL);
  pdf_field (pdf, _("Created with"), "Sichtung " PACKAGE_VERSION, NULL);
  if (r->audit_verified)
    /* Translators: the audit log's state in the review report. */
    audit = g_strdup_printf (_("Intact: %llu entries checked, %u of them on this case"),
                             (unsigned long long) r->audit_entries, r->audit_case_entries);
  else
    /* Translators: the audit log's state in the review report; %s says what is wrong. */
    audit = g_strdup_printf (_("NOT INTACT: %s"), r->audit_message);
  pdf_field (pdf, _("Audit log"), audit, NULL);
  if (r->flags & SC_REPORT_MASK_TEXT)
    pdf_field (pdf, _("Found texts"),
               _("Masked: this report shows only the category and position of each finding"),
               NULL);

  if (r->models->len == 0)
    pdf_field (pdf, _("Models"), _("None (rules and name lists only)"), NULL);
  for (guint i = 0; i < r->models->len; i++)
    {
      ScReportModel *m = g_ptr_array_index (r->models, i);
      g_autofree char *name = g_strdup_printf ("%s%s%s", m->name, m->version != NULL ? " " : "",
                                               m->version != NULL ? m->version : "");

      pdf_field (pdf, i == 0 ? _("Models") : "", name, NULL);
      pdf_field (pdf, "", m->sha256 != NULL ? m->sha256 : _("SHA-256 not recorded"),
                 pdf->mono);
    }

  /* Translators: the number of findings in the review report. */
  findings = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u finding", "%u findings",
                                           r->n_findings), r->n_findings);
  pdf_field (pdf, _("Findings"), findings, NULL);
  pdf_field (pdf, _("Decisions"), summary, NULL);
  for (guint i = 0; i < SC_FINDING_N_CATEGORIES; i++)
    {
      if (r->by_category[i] == 0)
        continue;
      if (categories->len > 0)
        g_string_append (categories, ", ");
      g_string_append_printf (categories, "%s: %u",
                              sc_finding_category_get_display_name ((ScFindingCategory) i),
                              r->by_category[i]);
    }
  if (categories->len > 0)
    pdf_field (pdf, _("Categories"), categories->str, NULL);
  pdf->y += 8.0;

  /* All documents with their hashes first, so the header block identifies them together. */
  pdf_paragraph (pdf, pdf->heading, _("Documents"), 4.0);
  for (guint i = 0; i < r->documents->len; i++)
    {
      ScReportDocument *d = g_ptr_array_index (r->documents, i);
      g_autofree char *name = g_strdup_printf ("%u. %s", i + 1, d->name);

      pdf_field (pdf, _("Document"), name, NULL);
      pdf_field (pdf, _("SHA-256"), d->sha256, pdf->mono);
    }
}

static void
pdf_document (Pdf                    *pdf,
              const ScReportDocument *d,
              guint                   index)
{
  g_autofree char *heading = g_strdup_printf ("%u. %s", index + 1, d->name);
  g_autofree char *added = display_time (d->added);
  g_autofree char *pages = g_strdup_printf ("%u", d->n_pages);
  g_autofree char *size = g_format_size_full (d->size, G_FORMAT_SIZE_LONG_FORMAT);
  g_autofree char *summary = decision_summary (d->by_decision);

  /* A document's heading never stands alone at the foot of a page. */
  pdf->y += 10.0;
  pdf_need (pdf, 120.0);
  pdf_paragraph (pdf, pdf->heading, heading, 4.0);
  pdf_field (pdf, _("Media type"), d->media_type, NULL);
  pdf_field (pdf, _("SHA-256"), d->sha256, pdf->mono);
  pdf_field (pdf, _("Size"), size, NULL);
  pdf_field (pdf, _("Pages"), pages, NULL);
  pdf_field (pdf, _("Added"), added, NULL);
  pdf_field (pdf, _("Decisions"), summary, NULL);
  pdf->y += 6.0;

  if (d->findings->len == 0)
    {
      pdf_paragraph (pdf, pdf->body, _("No findings."), 4.0);
      return;
    }
  pdf_table_header (pdf);
  pdf->table = d;
  for (guint i = 0; i < d->findings->len; i++)
    pdf_finding_row (pdf, g_ptr_array_index (d->findings, i), i + 1);
  pdf->table = NULL;
}

static void
pdf_pass (Pdf *pdf)
{
  pdf->page = 1;
  pdf->y = MARGIN_TOP;
  pdf->table = NULL;
  pdf_header_block (pdf);
  for (guint i = 0; i < pdf->report->documents->len; i++)
    pdf_document (pdf, g_ptr_array_index (pdf->report->documents, i), i);
  pdf_footer (pdf);
  if (pdf->drawing)
    cairo_show_page (pdf->cr);
}

static PangoFontDescription *
font_new (const char  *family,
          double       size,
          PangoWeight  weight)
{
  PangoFontDescription *font = pango_font_description_new ();

  pango_font_description_set_family (font, family);
  pango_font_description_set_size (font, (int) (size * PANGO_SCALE));
  pango_font_description_set_weight (font, weight);
  return font;
}

static cairo_status_t
append_to_byte_array (void                *closure,
                      const unsigned char *data,
                      unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
sc_report_to_pdf (ScReport  *report,
                  GError   **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autofree char *title = NULL;
  g_autofree char *created = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  Pdf pdf = { 0 };

  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  surface = cairo_pdf_surface_create_for_stream (append_to_byte_array, bytes, PAGE_WIDTH,
                                                 PAGE_HEIGHT);
  title = g_strdup_printf ("%s – %s", _("Review Report"), report->case_title);
  created = format_time (report->created);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, g_get_user_name ());
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR,
                                  "Sichtung " PACKAGE_VERSION);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT,
                                  report->case_reference[0] != '\0' ? report->case_reference
                                                                    : report->case_title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, created);

  pdf.report = report;
  pdf.cr = cairo_create (surface);
  /* pangocairo assumes 96 dpi; on the PDF surface one user unit is one point. */
  pdf.context = pango_cairo_create_context (pdf.cr);
  pango_cairo_context_set_resolution (pdf.context, 72.0);
  pdf.body = font_new (FONT_FAMILY, 9.0, PANGO_WEIGHT_NORMAL);
  pdf.bold = font_new (FONT_FAMILY, 9.0, PANGO_WEIGHT_BOLD);
  pdf.small = font_new (FONT_FAMILY, 7.5, PANGO_WEIGHT_NORMAL);
  pdf.small_bold = font_new (FONT_FAMILY, 7.5, PANGO_WEIGHT_BOLD);
  pdf.mono = font_new (MONO_FAMILY, 8.0, PANGO_WEIGHT_NORMAL);
  pdf.title = font_new (FONT_FAMILY, 18.0, PANGO_WEIGHT_BOLD);
  pdf.heading = font_new (FONT_FAMILY, 12.0, PANGO_WEIGHT_BOLD);
  cairo_set_source_rgb (pdf.cr, 0, 0, 0);

  pdf.drawing = FALSE;
  pdf_pass (&pdf);
  pdf.n_pages = pdf.page;
  pdf.drawing = TRUE;
  pdf_pass (&pdf);

  status = cairo_status (pdf.cr);
  g_object_unref (pdf.context);
  cairo_destroy (pdf.cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  pango_font_description_free (pdf.body);
  pango_font_description_free (pdf.bold);
  pango_font_description_free (pdf.small);
  pango_font_description_free (pdf.small_bold);
  pango_font_description_free (pdf.mono);
  pango_font_description_free (pdf.title);
  pango_font_description_free (pdf.heading);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_FAILED, _("Could not write the PDF: %s"),
                   cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

/* ------------------------------------------------------------------------------------------ */
/* Files                                                                                       */
/* ------------------------------------------------------------------------------------------ */

gboolean
sc_report_save_bytes (GBytes      *bytes,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize length;
  const char *data;

  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = g_bytes_get_data (bytes, &length);
  /* CONSISTENT: written to a temporary file in the same directory and renamed over @path,
   * so a reader never sees half a report; DURABLE: synced before the rename. */
  if (!g_file_set_contents_full (path, data, (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0644, &local_error))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, SC_ERROR, SC_ERROR_IO, _("Could not write “%s”: %s"), display,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
sc_report_write (ScReport        *report,
                 ScReportFormat   format,
                 const char      *path,
                 GError         **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (format_names), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  switch (format)
    {
    case SC_REPORT_FORMAT_JSON:
      {
        char *json = sc_report_to_json (report);

        bytes = g_bytes_new_take (json, strlen (json));
      }
      break;
    case SC_REPORT_FORMAT_CSV:
      {
        char *csv = sc_report_to_csv (report, ',');

        bytes = g_bytes_new_take (csv, strlen (csv));
      }
      break;
    case SC_REPORT_FORMAT_PDF:
    default:
      bytes = sc_report_to_pdf (report, error);
      if (bytes == NULL)
        return FALSE;
      break;
    }
  return sc_report_save_bytes (bytes, path, error);
}
