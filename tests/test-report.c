/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-report.c: the review report (ScReport) of a case store holding two sample documents,
 * analysed and reviewed: what it collects (decisions, reviewers, models from the audit log,
 * counts), its JSON validated against data/schemas/review-report.schema.json, its CSV parsed
 * back, masking, the PDF opened again and read, a report long enough for many pages, a broken
 * audit chain, and `sichtung-cli report`. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include "sichtung-core.h"
#include "sc-report.h"
#include "sc-test-util.h"

#define CASE_TITLE     "Widerspruch gegen Wohngeldbescheid"
#define CASE_REFERENCE "4.2-WG-1187/2025"
#define MODEL_NAME     "sichtung-ner"
#define MODEL_VERSION  "2025.1"
/* A reason with every character CSV must quote. */
#define TRICKY_REASON  "Personenbezug, \"eindeutig\"\nzweite Zeile"
#define LEGAL_BASIS    "Art. 6 Abs. 1 lit. e DSGVO"
/* A reason a spreadsheet would take for a formula. */
#define FORMULA_REASON "=SUMME(1;2) kein Personenbezug"
#define MANUAL_TEXT    "Erika Mustermann"
#define N_MANY         200

typedef struct
{
  char    *dir;
  char    *path;          /* the case database */
  ScStore *store;
  gint64   case_id;
  gint64   doc_ids[2];    /* 03-bescheid.txt, 01-antrag.txt */
  char    *model_sha256;  /* what the second analysis records as its model's hash */
  guint    n_findings;    /* over both documents */
} Fixture;

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* Adds @document (read from @bytes) to the case and stores an analysis of it by the rules and
 * gazetteers; the model fields are those the analysis records (NULL: none). */
static gint64
add_analysed (Fixture    *fx,
              const char *name,
              ScDocument *document,
              GBytes     *bytes,
              const char *model_name,
              const char *model_version,
              const char *model_sha256)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScAnalyzer) analyzer = sc_analyzer_new ();
  g_autoptr(ScAnalysis) analysis = NULL;
  gboolean added = FALSE;
  gint64 id;

  id = sc_store_import_document (fx->store, fx->case_id, name, document, bytes, &added, &error);
  g_assert_no_error (error);
  g_assert_true (added);
  analysis = sc_analyzer_run (analyzer, document, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sc_analysis_get_findings (analysis)->len, >, 3);
  sc_store_set_findings (fx->store, id, sc_analysis_get_findings (analysis), model_name,
                         model_version, model_sha256, &error);
  g_assert_no_error (error);
  return id;
}

static gint64
add_sample (Fixture    *fx,
            const char *name,
            const char *model_name,
            const char *model_version,
            const char *model_sha256)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = sc_test_sample_file (name);
  g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, &error);
  g_autoptr(ScDocument) document = NULL;

  g_assert_no_error (error);
  document = sc_document_new_from_bytes (bytes, name, NULL, &error);
  g_assert_no_error (error);
  return add_analysed (fx, name, document, bytes, model_name, model_version, model_sha256);
}

static GPtrArray *
list_findings (Fixture *fx,
               gint64   document_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *findings = sc_store_list_findings (fx->store, document_id, &error);

  g_assert_no_error (error);
  return findings;
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_auto(GStrv) pages = NULL;
  ScStoreFinding *f;
  ScStoreSpan span = { 0 };
  const char *at;

  fx->dir = g_dir_make_tmp ("sichtung-report-XXXXXX", &error);
  g_assert_no_error (error);
  fx->path = g_build_filename (fx->dir, "faelle.sqlite", NULL);
  fx->store = sc_store_open (fx->path, &error);
  g_assert_no_error (error);
  fx->case_id = sc_store_create_case (fx->store, CASE_TITLE, CASE_REFERENCE, &error);
  g_assert_no_error (error);

  fx->model_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "model file", -1);
  fx->doc_ids[0] = add_sample (fx, "03-bescheid.txt", NULL, NULL, NULL);
  fx->doc_ids[1] = add_sample (fx, "01-antrag.txt", MODEL_NAME, MODEL_VERSION,
                               fx->model_sha256);

  /* Decisions on the first document: accepted, rejected, edited, and one added by hand. */
  findings = list_findings (fx, fx->doc_ids[0]);
  f = g_ptr_array_index (findings, 0);
  sc_store_decide (fx->store, f->id, SC_STORE_DECISION_ACCEPTED, TRICKY_REASON, LEGAL_BASIS,
                   &error);
  g_assert_no_error (error);
  f = g_ptr_array_index (findings, 1);
  sc_store_decide (fx->store, f->id, SC_STORE_DECISION_REJECTED, FORMULA_REASON, NULL, &error);
  g_assert_no_error (error);
  f = g_ptr_array_index (findings, 2);
  sc_store_edit_finding (fx->store, f->id, f->finding->finding->category, NULL,
                         "Kategorie bestätigt", LEGAL_BASIS, &error);
  g_assert_no_error (error);

  pages = sc_store_get_page_texts (fx->store, fx->doc_ids[0], &error);
  g_assert_no_error (error);
  at = strstr (pages[0], MANUAL_TEXT);
  g_assert_nonnull (at);
  span.page = 0;
  span.start = (gsize) (at - pages[0]);
  span.end = span.start + strlen (MANUAL_TEXT);
  sc_store_add_manual_finding (fx->store, fx->doc_ids[0], SC_FINDING_PERSON, NULL, &span,
                               "Empfängerin", "§ 35 SGB I", &error);
  g_assert_no_error (error);

  /* One decision on the second document, so its model's hash is also in a decision entry. */
  g_clear_pointer (&findings, g_ptr_array_unref);
  findings = list_findings (fx, fx->doc_ids[1]);
  f = g_ptr_array_index (findings, 0);
  sc_store_decide (fx->store, f->id, SC_STORE_DECISION_ACCEPTED, NULL, LEGAL_BASIS, &error);
  g_assert_no_error (error);
  fx->n_findings = findings->len;
  g_clear_pointer (&findings, g_ptr_array_unref);
  findings = list_findings (fx, fx->doc_ids[0]);
  fx->n_findings += findings->len;
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_clear_object (&fx->store);
  sc_test_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->path);
  g_free (fx->model_sha256);
}

static ScReport *
case_report (Fixture       *fx,
             ScReportFlags  flags)
{
  g_autoptr(GError) error = NULL;
  ScReport *report = sc_report_new_for_case (fx->store, fx->case_id, flags, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static char *
write_text (Fixture    *fx,
            const char *name,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fx->dir, name, NULL);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* The text of the PDF at @path as poppler reads it, with its page count. */
static char *
pdf_text (const char  *path,
          guint       *n_pages,
          char       **title)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ScDocument) document = sc_document_new_from_file (file, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sc_document_get_kind (document), ==, SC_DOCUMENT_KIND_PDF);
  *n_pages = sc_document_get_n_pages (document);
  if (title != NULL)
    *title = g_strdup (sc_document_get_metadata_title (document));
  return sc_document_get_text (document);
}

static guint
count_occurrences (const char *haystack,
                   const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* Runs @python on the schema checker with the schema and @documents; returns its exit
 * status. */
static int
run_schema_check (const char *const *documents,
                  char             **err)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *python = g_find_program_in_path ("python3");
  int wait_status = 0;

  g_ptr_array_add (argv, python != NULL ? g_steal_pointer (&python)
                                        : g_strdup ("/usr/bin/python3"));
  g_ptr_array_add (argv, g_test_build_filename (G_TEST_DIST, "data", "check-json-schema.py",
                                                NULL));
  g_ptr_array_add (argv, g_test_build_filename (G_TEST_DIST, "..", "data", "schemas",
                                                "review-report.schema.json", NULL));
  for (guint i = 0; documents[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (documents[i]));
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, err, &wait_status, &error);
  g_assert_no_error (error);
  return WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

/* RFC 4180: the records of @csv, each a GPtrArray of fields. Fails the test on anything
 * malformed (a quote inside an unquoted field, an unterminated quote, a bare line end). */
static GPtrArray *
parse_csv (const char *csv,
           char        separator)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *row = NULL;
  const char *p = csv;

  while (*p != '\0')
    {
      GString *field = g_string_new (NULL);

      if (row == NULL)
        row = g_ptr_array_new_with_free_func (g_free);
      if (*p == '"')
        {
          for (p++;; p++)
            {
              g_assert_cmpint (*p, !=, '\0');
              if (*p == '"' && p[1] == '"')
                g_string_append_c (field, *p++);
              else if (*p == '"')
                break;
              else
                g_string_append_c (field, *p);
            }
          p++;
        }
      else
        {
          for (; *p != separator && *p != '\r' && *p != '\0'; p++)
            {
              g_assert_cmpint (*p, !=, '"');
              g_assert_cmpint (*p, !=, '\n');
              g_string_append_c (field, *p);
            }
        }
      g_ptr_array_add (row, g_string_free (field, FALSE));
      if (*p == separator)
        {
          p++;
          continue;
        }
      g_assert_cmpint (p[0], ==, '\r');
      g_assert_cmpint (p[1], ==, '\n');
      p += 2;
      g_ptr_array_add (rows, g_steal_pointer (&row));
    }
  g_assert_null (row);
  return rows;
}

/* ------------------------------------------------------------------------------------------ */
/* What is collected                                                                           */
/* ------------------------------------------------------------------------------------------ */

static void
test_collect (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(ScReport) report = case_report (fx, SC_REPORT_FLAGS_NONE);
  ScReportDocument *first, *second;
  guint n_model = 0, n_decided = 0, sum = 0;
  gboolean seen_tricky = FALSE, seen_manual = FALSE;

  g_assert_true (report->whole_case);
  g_assert_cmpstr (report->case_title, ==, CASE_TITLE);
  g_assert_cmpstr (report->case_reference, ==, CASE_REFERENCE);
  g_assert_cmpstr (report->app_version, ==, PACKAGE_VERSION);
  g_assert_cmpint (g_date_time_get_utc_offset (report->created), ==, 0);
  g_assert_true (report->audit_verified);
  g_assert_null (report->audit_message);
  /* case created, two documents added and analysed, five decisions */
  g_assert_cmpuint (report->audit_case_entries, ==, 10);
  g_assert_cmpuint (report->audit_entries, >=, report->audit_case_entries);

  g_assert_cmpuint (report->documents->len, ==, 2);
  first = g_ptr_array_index (report->documents, 0);
  second = g_ptr_array_index (report->documents, 1);
  g_assert_cmpstr (first->name, ==, "03-bescheid.txt");
  g_assert_cmpstr (first->media_type, ==, "text/plain");
  g_assert_true (g_regex_match_simple ("^[0-9a-f]{64}$", first->sha256, 0, 0));
  g_assert_cmpuint (first->n_pages, >=, 1);
  g_assert_nonnull (first->added);
  g_assert_cmpstr (second->name, ==, "01-antrag.txt");

  g_assert_cmpuint (report->n_findings, ==, fx->n_findings);
  g_assert_cmpuint (first->findings->len + second->findings->len, ==, fx->n_findings);
  g_assert_cmpuint (report->by_decision[SC_STORE_DECISION_ACCEPTED], ==, 2);
  g_assert_cmpuint (report->by_decision[SC_STORE_DECISION_REJECTED], ==, 1);
  g_assert_cmpuint (report->by_decision[SC_STORE_DECISION_EDITED], ==, 1);
  g_assert_cmpuint (report->by_decision[SC_STORE_DECISION_ADDED], ==, 1);
  g_assert_cmpuint (report->by_decision[SC_STORE_DECISION_OPEN], ==, fx->n_findings - 5);
  g_assert_cmpuint (first->by_decision[SC_STORE_DECISION_ACCEPTED], ==, 1);
  g_assert_cmpuint (second->by_decision[SC_STORE_DECISION_ACCEPTED], ==, 1);
  for (guint c = 0; c < SC_FINDING_N_CATEGORIES; c++)
    sum += report->by_category[c];
  g_assert_cmpuint (sum, ==, fx->n_findings);
  g_assert_cmpuint (report->by_category[SC_FINDING_PERSON], >=, 1);

  /* Rules only on the first document: no model; the second names the model and its hash,
   * which only the audit log knows. */
  g_assert_cmpuint (report->models->len, ==, 1);
  for (guint i = 0; i < first->findings->len; i++)
    {
      ScReportFinding *f = g_ptr_array_index (first->findings, i);

      g_assert_null (f->model);
      g_assert_nonnull (f->text);
      g_assert_cmpuint (f->page, >=, 1);
      g_assert_cmpuint (f->start, <, f->end);
      if (f->decision == SC_STORE_DECISION_OPEN)
        {
          g_assert_null (f->reviewer);
          g_assert_null (f->decided_at);
          continue;
        }
      n_decided++;
      g_assert_cmpstr (f->reviewer, ==, g_get_user_name ());
      g_assert_nonnull (f->decided_at);
      if (g_strcmp0 (f->reason, TRICKY_REASON) == 0)
        {
          seen_tricky = TRUE;
          g_assert_cmpint (f->decision, ==, SC_STORE_DECISION_ACCEPTED);
          g_assert_cmpstr (f->legal_basis, ==, LEGAL_BASIS);
        }
      if (f->manual)
        {
          seen_manual = TRUE;
          g_assert_cmpint (f->decision, ==, SC_STORE_DECISION_ADDED);
          g_assert_cmpstr (f->text, ==, MANUAL_TEXT);
          g_assert_cmpstr (f->legal_basis, ==, "§ 35 SGB I");
          g_assert_cmpuint (f->end - f->start, ==, g_utf8_strlen (MANUAL_TEXT, -1));
        }
    }
  g_assert_cmpuint (n_decided, ==, 4);
  g_assert_true (seen_tricky);
  g_assert_true (seen_manual);
  for (guint i = 0; i < second->findings->len; i++)
    {
      ScReportFinding *f = g_ptr_array_index (second->findings, i);

      g_assert_nonnull (f->model);
      g_assert_true (f->model == g_ptr_array_index (report->models, 0));
      n_model++;
    }
  g_assert_cmpuint (n_model, ==, second->findings->len);
  g_assert_cmpstr (((ScReportModel *) g_ptr_array_index (report->models, 0))->name, ==,
                   MODEL_NAME);
  g_assert_cmpstr (((ScReportModel *) g_ptr_array_index (report->models, 0))->version, ==,
                   MODEL_VERSION);
  g_assert_cmpstr (((ScReportModel *) g_ptr_array_index (report->models, 0))->sha256, ==,
                   fx->model_sha256);
}

static void
test_document_scope (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScReport) report = NULL;
  ScReportDocument *d;

  report = sc_report_new_for_document (fx->store, fx->doc_ids[1], SC_REPORT_FLAGS_NONE,
                                       &error);
  g_assert_no_error (error);
  g_assert_false (report->whole_case);
  g_assert_cmpstr (report->case_title, ==, CASE_TITLE);
  g_assert_cmpuint (report->documents->len, ==, 1);
  d = g_ptr_array_index (report->documents, 0);
  g_assert_cmpint (d->id, ==, fx->doc_ids[1]);
  g_assert_cmpuint (report->n_findings, ==, d->findings->len);
  g_assert_cmpuint (report->by_decision[SC_STORE_DECISION_ACCEPTED], ==, 1);
  g_clear_pointer (&report, sc_report_unref);

  report = sc_report_new_for_document (fx->store, 9999, SC_REPORT_FLAGS_NONE, &error);
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_assert_null (report);
  g_clear_error (&error);
  report = sc_report_new_for_case (fx->store, 9999, SC_REPORT_FLAGS_NONE, &error);
  g_assert_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT);
  g_assert_null (report);
}

/* ------------------------------------------------------------------------------------------ */
/* JSON                                                                                        */
/* ------------------------------------------------------------------------------------------ */

static void
test_json (Fixture       *fx,
           gconstpointer  data)
{
  g_autoptr(ScReport) report = case_report (fx, SC_REPORT_FLAGS_NONE);
  g_autofree char *json = sc_report_to_json (report);
  ScReportDocument *first = g_ptr_array_index (report->documents, 0);
  g_autofree char *sha = g_strdup_printf ("\"sha256\": \"%s\"", first->sha256);
  g_autofree char *model_sha = g_strdup_printf ("\"sha256\": \"%s\"", fx->model_sha256);
  g_autofree char *findings = g_strdup_printf ("\"findings\": %u,", fx->n_findings);
  g_autofree char *open = g_strdup_printf ("\"open\": %u,", fx->n_findings - 5);

  g_assert_true (g_utf8_validate (json, -1, NULL));
  g_assert_true (g_str_has_prefix (json, "{"));
  g_assert_true (g_str_has_suffix (json, "}\n"));
  g_assert_nonnull (strstr (json, "\"format\": \"sichtung-review-report\""));
  g_assert_nonnull (strstr (json, "\"format_version\": 1"));
  g_assert_nonnull (strstr (json, "\"scope\": \"case\""));
  g_assert_nonnull (strstr (json, "\"mask_text\": false"));
  g_assert_nonnull (strstr (json, "\"title\": \"" CASE_TITLE "\""));
  g_assert_nonnull (strstr (json, "\"reference\": \"" CASE_REFERENCE "\""));
  g_assert_nonnull (strstr (json, "\"version\": \"" PACKAGE_VERSION "\""));
  g_assert_nonnull (strstr (json, sha));
  g_assert_nonnull (strstr (json, model_sha));
  g_assert_nonnull (strstr (json, "\"name\": \"" MODEL_NAME "\""));
  g_assert_nonnull (strstr (json, findings));
  g_assert_nonnull (strstr (json, open));
  g_assert_nonnull (strstr (json, "\"accepted\": 2,"));
  g_assert_nonnull (strstr (json, "\"added\": 1"));
  g_assert_nonnull (strstr (json, "\"source\": \"manual\""));
  g_assert_nonnull (strstr (json, "\"source\": \"rule\""));
  g_assert_nonnull (strstr (json, "\"decision\": \"edited\""));
  g_assert_nonnull (strstr (json, "\"reason\": \"Personenbezug, \\\"eindeutig\\\"\\nzweite "
                                  "Zeile\""));
  g_assert_nonnull (strstr (json, "\"legal_basis\": \"" LEGAL_BASIS "\""));
  g_assert_nonnull (strstr (json, "\"text\": \"" MANUAL_TEXT "\""));
  g_assert_nonnull (strstr (json, "\"verified\": true"));
  g_assert_nonnull (strstr (json, "\"case_entries\": 10"));
  g_assert_nonnull (strstr (json, "\"message\": null"));
}

/* The JSON of real reports passes the schema kept in the repository; a report that breaks
 * it does not. */
static void
test_schema (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(ScReport) report = case_report (fx, SC_REPORT_FLAGS_NONE);
  g_autoptr(ScReport) masked = case_report (fx, SC_REPORT_MASK_TEXT);
  g_autoptr(ScReport) single = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = sc_report_to_json (report);
  g_autofree char *path = g_build_filename (fx->dir, "bericht.json", NULL);
  g_autofree char *masked_path = g_build_filename (fx->dir, "maskiert.json", NULL);
  g_autofree char *single_path = g_build_filename (fx->dir, "dokument.json", NULL);
  g_autofree char *bad_path = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *err = NULL;
  char *decision;

  g_assert_true (sc_report_write (report, SC_REPORT_FORMAT_JSON, path, &error));
  g_assert_no_error (error);
  g_assert_true (sc_report_write (masked, SC_REPORT_FORMAT_JSON, masked_path, &error));
  g_assert_no_error (error);
  single = sc_report_new_for_document (fx->store, fx->doc_ids[0], SC_REPORT_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (sc_report_write (single, SC_REPORT_FORMAT_JSON, single_path, &error));
  g_assert_no_error (error);

  g_assert_cmpint (run_schema_check ((const char *const[]) { path, masked_path, single_path,
                                                             NULL }, &err), ==, 0);
  g_clear_pointer (&err, g_free);

  /* An unknown decision must fail validation. */
  decision = strstr (json, "\"decision\": \"accepted\"");
  g_assert_nonnull (decision);
  memcpy (decision + strlen ("\"decision\": \""), "approved", strlen ("approved"));
  bad_path = write_text (fx, "falsch.json", json);
  g_assert_cmpint (run_schema_check ((const char *const[]) { bad_path, NULL }, &err), ==, 1);
  g_assert_nonnull (strstr (err, "approved"));
}

/* ------------------------------------------------------------------------------------------ */
/* CSV                                                                                         */
/* ------------------------------------------------------------------------------------------ */

static void
check_csv (ScReport *report,
           char      separator)
{
  g_autofree char *csv = sc_report_to_csv (report, separator);
  g_autoptr(GPtrArray) rows = parse_csv (csv, separator);
  GPtrArray *header;
  gboolean seen_tricky = FALSE;
  guint reason_column = 0, text_column = 0, confidence_column = 0;

  g_assert_true (g_utf8_validate (csv, -1, NULL));
  g_assert_cmpuint (rows->len, ==, 1 + report->n_findings);
  header = g_ptr_array_index (rows, 0);
  g_assert_cmpuint (header->len, ==, 20);
  g_assert_cmpstr (g_ptr_array_index (header, 0), ==, "document_id");
  for (guint c = 0; c < header->len; c++)
    {
      if (g_str_equal (g_ptr_array_index (header, c), "reason"))
        reason_column = c;
      if (g_str_equal (g_ptr_array_index (header, c), "text"))
        text_column = c;
      if (g_str_equal (g_ptr_array_index (header, c), "confidence"))
        confidence_column = c;
    }
  g_assert_cmpuint (reason_column, >, 0);
  g_assert_cmpuint (text_column, >, 0);
  for (guint r = 1; r < rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (rows, r);
      const char *confidence;

      g_assert_cmpuint (row->len, ==, header->len);
      if (g_str_equal (g_ptr_array_index (row, reason_column), TRICKY_REASON))
        seen_tricky = TRUE;
      /* a '.' as decimal mark even with ';' */
      confidence = g_ptr_array_index (row, confidence_column);
      g_assert_true (g_regex_match_simple ("^[01]\\.[0-9]{3}$", confidence, 0, 0));
    }
  g_assert_true (seen_tricky);
  g_assert_nonnull (strstr (csv, "\"Personenbezug, \"\"eindeutig\"\"\nzweite Zeile\""));
  /* a text that would be a formula is written as text */
  g_assert_nonnull (strstr (csv, "'" FORMULA_REASON));
  g_assert_null (strstr (csv, (const char[]) { separator, '=', 'S', '\0' }));
}

static void
test_csv (Fixture       *fx,
          gconstpointer  data)
{
  g_autoptr(ScReport) report = case_report (fx, SC_REPORT_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fx->dir, "bericht.csv", NULL);
  g_autofree char *written = NULL;
  g_autofree char *expected = sc_report_to_csv (report, ',');

  check_csv (report, ',');
  check_csv (report, ';');

  g_assert_true (sc_report_write (report, SC_REPORT_FORMAT_CSV, path, &error));
  g_assert_no_error (error);
  g_file_get_contents (path, &written, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (written, ==, expected);
}

/* ------------------------------------------------------------------------------------------ */
/* Masking                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static void
test_mask_text (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(ScReport) plain = case_report (fx, SC_REPORT_FLAGS_NONE);
  g_autoptr(ScReport) masked = case_report (fx, SC_REPORT_MASK_TEXT);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = sc_report_to_json (masked);
  g_autofree char *csv = sc_report_to_csv (masked, ',');
  g_autofree char *pdf_path = g_build_filename (fx->dir, "maskiert.pdf", NULL);
  g_autofree char *pdf = NULL;
  guint n_pages, n_checked = 0;

  g_assert_true (sc_report_write (masked, SC_REPORT_FORMAT_PDF, pdf_path, &error));
  g_assert_no_error (error);
  pdf = pdf_text (pdf_path, &n_pages, NULL);

  g_assert_nonnull (strstr (json, "\"mask_text\": true"));
  g_assert_cmpuint (count_occurrences (json, "\"text\": null"), ==, masked->n_findings);
  g_assert_cmpuint (count_occurrences (json, "\"label\": null"), ==, masked->n_findings);
  g_assert_cmpuint (masked->n_findings, ==, plain->n_findings);

  for (guint d = 0; d < plain->documents->len; d++)
    {
      ScReportDocument *pd = g_ptr_array_index (plain->documents, d);
      ScReportDocument *md = g_ptr_array_index (masked->documents, d);

      for (guint i = 0; i < pd->findings->len; i++)
        {
          ScReportFinding *pf = g_ptr_array_index (pd->findings, i);
          ScReportFinding *mf = g_ptr_array_index (md->findings, i);

          /* category and position stay */
          g_assert_null (mf->text);
          g_assert_null (mf->label);
          g_assert_cmpint (mf->category, ==, pf->category);
          g_assert_cmpuint (mf->page, ==, pf->page);
          g_assert_cmpuint (mf->start, ==, pf->start);
          g_assert_cmpuint (mf->end, ==, pf->end);
          /* Short texts (a year, a number) may occur elsewhere by chance, e.g. in a time;
           * the case's title and reference (found as a case number) are the case's. */
          if (g_utf8_strlen (pf->text, -1) < 6 || strstr (CASE_REFERENCE, pf->text) != NULL ||
              strstr (CASE_TITLE, pf->text) != NULL)
            continue;
          if (strstr (json, pf->text) != NULL)
            g_error ("“%s” is in the masked report", pf->text);
          g_assert_null (strstr (csv, pf->text));
          g_assert_null (strstr (pdf, pf->text));
          n_checked++;
        }
    }
  g_assert_cmpuint (n_checked, >, 5);
  g_assert_null (strstr (pdf, MANUAL_TEXT));
  g_assert_nonnull (strstr (pdf, "masked"));
}

/* ------------------------------------------------------------------------------------------ */
/* PDF                                                                                         */
/* ------------------------------------------------------------------------------------------ */

static void
test_pdf (Fixture       *fx,
          gconstpointer  data)
{
  g_autoptr(ScReport) report = case_report (fx, SC_REPORT_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fx->dir, "bericht.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;
  g_autofree char *last_page = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint n_pages = 0;

  bytes = sc_report_to_pdf (report, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (bytes, NULL), "%PDF-"));

  g_assert_true (sc_report_write (report, SC_REPORT_FORMAT_PDF, path, &error));
  g_assert_no_error (error);
  text = pdf_text (path, &n_pages, &title);
  g_assert_cmpuint (n_pages, >=, 1);
  g_assert_cmpstr (title, ==, "Review Report – " CASE_TITLE);
  g_assert_nonnull (strstr (text, "Review Report"));
  g_assert_nonnull (strstr (text, CASE_TITLE));
  g_assert_nonnull (strstr (text, CASE_REFERENCE));
  g_assert_nonnull (strstr (text, fx->model_sha256));
  g_assert_nonnull (strstr (text, MODEL_NAME));
  for (guint d = 0; d < report->documents->len; d++)
    {
      ScReportDocument *doc = g_ptr_array_index (report->documents, d);

      g_assert_nonnull (strstr (text, doc->sha256));
      g_assert_nonnull (strstr (text, doc->name));
    }
  g_assert_nonnull (strstr (text, MANUAL_TEXT));
  /* the reason column wraps the legal basis */
  g_assert_nonnull (strstr (text, "Legal basis: Art. 6"));
  g_assert_nonnull (strstr (text, "DSGVO"));
  g_assert_nonnull (strstr (text, "Page 1 of "));
  last_page = g_strdup_printf ("Page %u of %u", n_pages, n_pages);
  g_assert_nonnull (strstr (text, last_page));
  g_assert_nonnull (strstr (text, "Intact"));
}

/* A document with N_MANY findings and one reason longer than a page: the table runs over
 * several pages, repeats its header on each, and loses nothing. */
static void
test_pdf_many_pages (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) content = g_string_new (NULL);
  g_autoptr(GString) long_reason = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ScDocument) document = NULL;
  g_autoptr(ScReport) report = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *path = g_build_filename (fx->dir, "lang.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *last_page = NULL;
  ScReportDocument *d;
  ScStoreFinding *first;
  guint n_pages = 0;
  gint64 id;

  for (guint i = 1; i <= N_MANY; i++)
    g_string_append_printf (content, "Rückfragen an p%u@amt.example.de bitte.\n", i);
  bytes = g_bytes_new (content->str, content->len);
  document = sc_document_new_from_bytes (bytes, "viele.txt", NULL, &error);
  g_assert_no_error (error);
  id = add_analysed (fx, "viele.txt", document, bytes, NULL, NULL, NULL);

  for (guint i = 1; i <= 120; i++)
    g_string_append_printf (long_reason, "Begründung Zeile %03u\n", i);
  findings = list_findings (fx, id);
  g_assert_cmpuint (findings->len, ==, N_MANY);
  first = g_ptr_array_index (findings, 0);
  sc_store_decide (fx->store, first->id, SC_STORE_DECISION_ACCEPTED, long_reason->str,
                   LEGAL_BASIS, &error);
  g_assert_no_error (error);

  report = sc_report_new_for_document (fx->store, id, SC_REPORT_FLAGS_NONE, &error);
  g_assert_no_error (error);
  d = g_ptr_array_index (report->documents, 0);
  g_assert_cmpuint (d->findings->len, ==, N_MANY);
  g_assert_true (sc_report_write (report, SC_REPORT_FORMAT_PDF, path, &error));
  g_assert_no_error (error);
  text = pdf_text (path, &n_pages, NULL);

  g_assert_cmpuint (n_pages, >=, 4);
  for (guint i = 0; i < d->findings->len; i++)
    {
      ScReportFinding *f = g_ptr_array_index (d->findings, i);

      g_assert_cmpint (f->category, ==, SC_FINDING_EMAIL);
      if (strstr (text, f->text) == NULL)
        g_error ("“%s” is missing from the PDF", f->text);
    }
  for (guint i = 1; i <= 120; i++)
    {
      g_autofree char *line = g_strdup_printf ("Begründung Zeile %03u", i);

      if (strstr (text, line) == NULL)
        g_error ("“%s” is missing from the PDF", line);
    }
  /* the table header on every page */
  g_assert_cmpuint (count_occurrences (text, "Reviewer"), ==, n_pages);
  last_page = g_strdup_printf ("Page %u of %u", n_pages, n_pages);
  g_assert_nonnull (strstr (text, last_page));
  g_assert_cmpuint (count_occurrences (text, " of "), >=, n_pages);
}

/* ------------------------------------------------------------------------------------------ */
/* A broken audit log                                                                          */
/* ------------------------------------------------------------------------------------------ */

static void
test_audit_broken (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(ScReport) report = NULL;
  g_autofree char *json = NULL;
  g_autofree char *path = NULL;
  g_autofree char *err = NULL;
  sqlite3 *db = NULL;

  /* Another program removes the trigger that keeps the log append-only. */
  g_assert_cmpint (sqlite3_open (fx->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER audit_no_delete", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  report = case_report (fx, SC_REPORT_FLAGS_NONE);
  g_assert_false (report->audit_verified);
  g_assert_nonnull (report->audit_message);
  g_assert_cmpuint (report->n_findings, ==, fx->n_findings);
  json = sc_report_to_json (report);
  g_assert_nonnull (strstr (json, "\"verified\": false"));
  path = write_text (fx, "unsicher.json", json);
  g_assert_cmpint (run_schema_check ((const char *const[]) { path, NULL }, &err), ==, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* sichtung-cli report                                                                         */
/* ------------------------------------------------------------------------------------------ */

static int
run_cli (const char *const  *args,
         char              **out,
         char              **err)
{
  return sc_test_run_cli ("report", args, out, err);
}

static void
test_cli (Fixture       *fx,
          gconstpointer  data)
{
  g_autofree char *case_id = g_strdup_printf ("%" G_GINT64_FORMAT, fx->case_id);
  g_autofree char *doc_id = g_strdup_printf ("%" G_GINT64_FORMAT, fx->doc_ids[0]);
  g_autofree char *pdf_path = g_build_filename (fx->dir, "cli.pdf", NULL);
  g_autofree char *json_path = g_build_filename (fx->dir, "cli.json", NULL);
  g_autofree char *missing = g_build_filename (fx->dir, "fehlt.sqlite", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  char *out = NULL, *err = NULL;
  guint n_pages = 0;

  /* the store is shared with the child process; ours stays open, as the app's would */
  g_assert_cmpint (run_cli ((const char *const[]) { "--case-db", fx->path, "--case", case_id,
                                                    "--format", "csv", "--separator", ";",
                                                    NULL }, &out, &err), ==, 0);
  rows = parse_csv (out, ';');
  g_assert_cmpuint (rows->len, ==, 1 + fx->n_findings);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli ((const char *const[]) { "--case-db", fx->path, "--document",
                                                    doc_id, "--mask-text", NULL },
                            &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "\"scope\": \"document\""));
  g_assert_nonnull (strstr (out, "\"mask_text\": true"));
  g_assert_null (strstr (out, MANUAL_TEXT));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli ((const char *const[]) { "--case-db", fx->path, "--case", case_id,
                                                    "-o", json_path, NULL }, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_file_test (json_path, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli ((const char *const[]) { "--case-db", fx->path, "--case", case_id,
                                                    "--format", "pdf", "-o", pdf_path, NULL },
                            &out, &err), ==, 0);
  text = pdf_text (pdf_path, &n_pages, NULL);
  g_assert_nonnull (strstr (text, CASE_TITLE));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* a PDF needs -o; a missing database is not created; both or neither of --case and
   * --document is wrong */
  g_assert_cmpint (run_cli ((const char *const[]) { "--case-db", fx->path, "--case", case_id,
                                                    "--format", "pdf", NULL }, &out, &err),
                   !=, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "sichtung-cli: "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ((const char *const[]) { "--case-db", missing, "--case", case_id,
                                                    NULL }, &out, &err), !=, 0);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ((const char *const[]) { "--case-db", fx->path, "--case", case_id,
                                                    "--document", doc_id, NULL }, &out, &err),
                   !=, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ((const char *const[]) { "--case-db", fx->path, "--case", "9999",
                                                    NULL }, &out, &err), !=, 0);
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
}

int
main (int    argc,
      char **argv)
{
  /* The PDF is checked for the English source strings. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sichtung/report/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("collect", test_collect);
  ADD ("document-scope", test_document_scope);
  ADD ("json", test_json);
  ADD ("schema", test_schema);
  ADD ("csv", test_csv);
  ADD ("mask-text", test_mask_text);
  ADD ("pdf", test_pdf);
  ADD ("pdf-many-pages", test_pdf_many_pages);
  ADD ("audit-broken", test_audit_broken);
  ADD ("cli", test_cli);
#undef ADD

  return g_test_run ();
}
