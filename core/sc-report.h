/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-report.h: the review report (Prüfbericht) of a case or of one document, the record of a
 * review that goes into the file (Akte): the documents with their SHA-256, the model that
 * found each finding, and every finding with the clerk's decision, reviewer, time, reason and
 * legal basis, plus the state of the audit log.
 *
 *   g_autoptr(ScReport) report = sc_report_new_for_case (store, case_id, SC_REPORT_MASK_TEXT,
 *                                                        error);
 *   sc_report_write (report, SC_REPORT_FORMAT_PDF, "pruefbericht.pdf", error);
 *
 * The report is collected once from the store and is immutable afterwards, so its JSON, CSV
 * and PDF say the same. Three formats:
 *
 *   JSON: described exactly by data/schemas/review-report.schema.json. Field names are stable
 *         English identifiers; times are ISO 8601 in UTC ("2025-02-03T09:15:00.123456Z");
 *         pages are 1-based; "start"/"end" count Unicode code points into the page's text.
 *   CSV:  RFC 4180: one header row, then one row per finding, CRLF line ends, UTF-8 without a
 *         byte order mark; fields holding the separator, a quote, CR or LF are quoted and their
 *         quotes doubled; a text starting with '=', '+', '-', '@', tab or CR gets a leading "'"
 *         so spreadsheets do not take it for a formula. The separator is ',' or, for
 *         spreadsheet programs set to German,
 *         where ',' is the decimal mark, ';'. Columns: see sc_report_to_csv().
 *   PDF:  A4, set with Pango in DejaVu Sans, in the language of the user interface: a header
 *         block with the case, the models and the documents' hashes, then a table of findings
 *         per document whose header repeats on each new page, and "Page N of M" in the footer.
 *
 * With SC_REPORT_MASK_TEXT the report leaves out what was found (text and label): a finding
 * shows only its category and position, since the report itself goes into the file. */
#pragma once

#include <gio/gio.h>

#include "sc-finding.h"
#include "sc-store.h"

G_BEGIN_DECLS

/* The value of "format_version" in the JSON; raised with any incompatible change. */
#define SC_REPORT_FORMAT_VERSION 1

typedef enum
{
  SC_REPORT_FLAGS_NONE = 0,
  SC_REPORT_MASK_TEXT  = 1 << 0,  /* leave out each finding's text and label */
} ScReportFlags;

typedef enum
{
  SC_REPORT_FORMAT_JSON,
  SC_REPORT_FORMAT_CSV,
  SC_REPORT_FORMAT_PDF,
} ScReportFormat;

/* The stable name ("json", "csv", "pdf") and back; -1 when unknown. */
const char *sc_report_format_to_string   (ScReportFormat  format);
int         sc_report_format_from_string (const char     *name);

/* ---- What a report holds (read-only) ------------------------------------------------------ */

/* The model an analysis ran with. */
typedef struct
{
  char *name;
  char *version;  /* may be NULL */
  char *sha256;   /* of the model file, lower-case hex; NULL when the log does not name it */
} ScReportModel;

typedef struct
{
  gint64             id;
  ScFindingCategory  category;
  char              *label;        /* NULL when none or masked */
  char              *text;         /* NULL when masked */
  guint              page;         /* 1-based */
  gsize              start;        /* code points into the page's text, [start, end) */
  gsize              end;
  gboolean           manual;       /* added by hand; source is then meaningless */
  ScFindingSource    source;       /* the source that decided the category */
  double             confidence;   /* 0..1 */
  ScStoreDecision    decision;
  char              *reviewer;     /* OS user who decided; NULL while open */
  GDateTime         *decided_at;   /* UTC; NULL while open */
  char              *reason;       /* may be NULL */
  char              *legal_basis;  /* may be NULL */
  ScReportModel     *model;        /* the model of the analysis that found it; NULL: none */
} ScReportFinding;

typedef struct
{
  gint64      id;
  char       *name;
  char       *media_type;
  char       *sha256;      /* lower-case hex */
  guint64     size;        /* bytes */
  guint       n_pages;
  GDateTime  *added;       /* UTC */
  GPtrArray  *findings;    /* ScReportFinding*, by page and position */
  guint       by_decision[SC_STORE_DECISION_ADDED + 1];
} ScReportDocument;

typedef struct _ScReport ScReport;

struct _ScReport
{
  /*< private >*/
  gatomicrefcount  ref_count;

  /*< public >*/
  ScReportFlags    flags;
  gboolean         whole_case;         /* FALSE: a report on one document */
  GDateTime       *created;            /* UTC: when the report was collected */
  char            *app_version;
  gint64           case_id;
  char            *case_title;
  char            *case_reference;     /* Aktenzeichen; "" when there is none */
  GDateTime       *case_created;       /* UTC */
  GPtrArray       *documents;          /* ScReportDocument*, in the order they were added */
  GPtrArray       *models;             /* ScReportModel*, each model once, as first used */
  guint            n_findings;
  guint            by_decision[SC_STORE_DECISION_ADDED + 1];
  guint            by_category[SC_FINDING_N_CATEGORIES];
  gboolean         audit_verified;     /* sc_store_verify_audit() succeeded */
  guint64          audit_entries;      /* entries of the whole log (the intact ones when not
                                        * verified) */
  guint            audit_case_entries; /* entries that concern the case */
  char            *audit_message;      /* why verification failed; NULL when it succeeded */
};

#define SC_TYPE_REPORT (sc_report_get_type ())

GType     sc_report_get_type            (void) G_GNUC_CONST;
ScReport *sc_report_ref                 (ScReport       *report);
void      sc_report_unref               (ScReport       *report);

/* ---- Collecting -------------------------------------------------------------------------- */

/* The report on every document of case @case_id. The reviewer of a decision and the SHA-256
 * of the model that found a finding come from the audit log. A broken audit chain does not
 * fail the report: the report says so (audit_verified, audit_message). Errors: the store's,
 * SC_ERROR_INVALID_ARGUMENT when there is no such case. */
ScReport *sc_report_new_for_case        (ScStore        *store,
                                         gint64          case_id,
                                         ScReportFlags   flags,
                                         GError        **error);
/* The same on one document (and its case's title and reference). */
ScReport *sc_report_new_for_document    (ScStore        *store,
                                         gint64          document_id,
                                         ScReportFlags   flags,
                                         GError        **error);

/* ---- Writing ----------------------------------------------------------------------------- */

/* The JSON text, pretty-printed, ending in a newline. */
char     *sc_report_to_json             (ScReport       *report);
/* The CSV text with @separator ',' or ';'. Columns: document_id, document_name,
 * document_sha256, finding_id, page, start, end, category, label, text, source, confidence,
 * decision, reviewer, decided_at, reason, legal_basis, model_name, model_version,
 * model_sha256 (the JSON's fields of the same name; empty for null; confidence with a '.'
 * whatever the locale). */
char     *sc_report_to_csv              (ScReport       *report,
                                         char            separator);
/* The PDF file. Errors: SC_ERROR_FAILED when cairo fails. */
GBytes   *sc_report_to_pdf              (ScReport       *report,
                                         GError        **error);

/* Writes the report as @format to @path atomically (a temporary file renamed over @path) and
 * durably; CSV with ','. Errors: SC_ERROR_IO, or those of the format. */
gboolean  sc_report_write               (ScReport       *report,
                                         ScReportFormat  format,
                                         const char     *path,
                                         GError        **error);
/* Writes @bytes to @path as sc_report_write() does. */
gboolean  sc_report_save_bytes          (GBytes         *bytes,
                                         const char     *path,
                                         GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScReport, sc_report_unref)

G_END_DECLS
