/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-store.h: the case store, one SQLite database in which a clerk's cases (Vorgänge) live
 * self-contained: the documents' files, their page texts, the findings of every analysis, the
 * clerk's decisions on them and a hash-chained audit log of everything done.
 *
 *   g_autofree char *path = sc_store_get_default_path ();
 *   g_autoptr(ScStore) store = sc_store_open (path, error);
 *   gint64 case_id = sc_store_create_case (store, "Widerspruch Bauantrag", "63-2024-0815", error);
 *   gint64 doc_id = sc_store_add_document (store, case_id, "bescheid.pdf", "application/pdf",
 *                                          bytes, (const char *const *) page_texts, n_pages,
 *                                          error);
 *   sc_store_set_findings (store, doc_id, sc_analysis_get_findings (analysis),
 *                          model_name, model_version, model_sha256, error);
 *   sc_store_decide (store, finding_id, SC_STORE_DECISION_ACCEPTED, reason, "Art. 6 DSGVO",
 *                    error);
 *
 * Durability: the database runs in WAL mode with synchronous=FULL, so a call that returned
 * TRUE survives a crash of the process or the machine. Every change and its audit entry are
 * written in one transaction: after a crash both are there or neither.
 *
 * The audit log is append-only (triggers refuse UPDATE and DELETE) and each entry carries the
 * SHA-256 of its fields and of the entry before it, so sc_store_verify_audit() finds any entry
 * changed or removed in between. It outlives deleted cases and therefore holds no content of
 * them: ids, hashes, categories, decisions and the clerk's reason and legal basis, but no
 * titles, file names or found texts.
 *
 * Thread safety: an ScStore may be called from several threads; one connection serves them
 * in turn. Ids are positive; functions returning an id return 0 on error. */
#pragma once

#include <gio/gio.h>

#include "sc-analysis.h"
#include "sc-document.h"
#include "sc-finding.h"

G_BEGIN_DECLS

/* The schema version this build creates and reads (PRAGMA user_version). */
#define SC_STORE_SCHEMA_VERSION 1

/* What sc_store_search() puts around each match in a snippet: control characters that page
 * texts do not contain, so the UI escapes the snippet and then turns these into markup. */
#define SC_STORE_MATCH_START "\x02"
#define SC_STORE_MATCH_END   "\x03"

typedef enum
{
  SC_STORE_DECISION_OPEN,      /* not decided yet */
  SC_STORE_DECISION_ACCEPTED,  /* the finding is right (to be redacted, noted …) */
  SC_STORE_DECISION_REJECTED,  /* the finding is wrong or needs no action */
  SC_STORE_DECISION_EDITED,    /* accepted with a corrected span, category or text */
  SC_STORE_DECISION_ADDED,     /* added by hand */
} ScStoreDecision;

/* The stable, untranslated name ("open", "accepted" …) and back; -1 when unknown. */
const char *sc_store_decision_to_string   (ScStoreDecision decision);
int         sc_store_decision_from_string (const char     *name);

/* ---- Records handed out (reference counted, immutable) ----------------------------------- */

typedef struct
{
  /*< private >*/
  gatomicrefcount ref_count;

  /*< public >*/
  gint64          id;
  char           *title;
  char           *reference;         /* Aktenzeichen; "" when there is none */
  GDateTime      *created;           /* UTC */
  guint           n_documents;
  guint           n_open_findings;   /* over all its documents */
} ScStoreCase;

typedef struct
{
  /*< private >*/
  gatomicrefcount ref_count;

  /*< public >*/
  gint64          id;
  gint64          case_id;
  char           *name;              /* display name */
  char           *media_type;
  char           *sha256;            /* of the content, lower-case hex */
  guint64         size;              /* bytes of content */
  guint           n_pages;
  GDateTime      *added;             /* UTC */
  guint           n_findings;
  guint           n_open_findings;   /* decision SC_STORE_DECISION_OPEN */
} ScStoreDocument;

typedef struct
{
  /*< private >*/
  gatomicrefcount  ref_count;

  /*< public >*/
  gint64           id;
  gint64           document_id;
  ScPageFinding   *finding;          /* as stored; page offsets in bytes and code points */
  gboolean         manual;           /* added by hand rather than found by an analysis */
  char            *model_name;       /* of the analysis that found it; NULL when none */
  char            *model_version;
  ScStoreDecision  decision;
  char            *reason;           /* NULL while open or when none was given */
  char            *legal_basis;
  char            *decided_by;       /* OS user name */
  GDateTime       *decided_at;       /* UTC; NULL while open */
} ScStoreFinding;

typedef struct
{
  /*< private >*/
  gatomicrefcount ref_count;

  /*< public >*/
  guint64         seq;               /* 1, 2, 3 … */
  char           *time;              /* ISO 8601, UTC, exactly as hashed */
  char           *user;
  char           *action;            /* "case-created", "decision" … */
  gint64          case_id;           /* 0 when the entry concerns no case */
  gint64          document_id;       /* 0 when none */
  gint64          finding_id;        /* 0 when none */
  char           *details;           /* a JSON object */
  char           *document_sha256;   /* NULL when none */
  char           *model_sha256;
  char           *model_name;
  char           *model_version;
  char           *app_version;
  char           *prev_hash;         /* hex; 64 zeros for the first entry */
  char           *hash;
} ScStoreAuditEntry;

typedef struct
{
  /*< private >*/
  gatomicrefcount ref_count;

  /*< public >*/
  gint64          document_id;
  guint           page;              /* 0-based */
  char           *snippet;           /* matches between SC_STORE_MATCH_START and _END */
  double          rank;              /* bm25: lower is better */
} ScStoreSearchHit;

#define SC_TYPE_STORE_CASE        (sc_store_case_get_type ())
#define SC_TYPE_STORE_DOCUMENT    (sc_store_document_get_type ())
#define SC_TYPE_STORE_FINDING     (sc_store_finding_get_type ())
#define SC_TYPE_STORE_AUDIT_ENTRY (sc_store_audit_entry_get_type ())
#define SC_TYPE_STORE_SEARCH_HIT  (sc_store_search_hit_get_type ())

GType              sc_store_case_get_type          (void) G_GNUC_CONST;
ScStoreCase       *sc_store_case_ref               (ScStoreCase       *store_case);
void               sc_store_case_unref             (ScStoreCase       *store_case);
GType              sc_store_document_get_type      (void) G_GNUC_CONST;
ScStoreDocument   *sc_store_document_ref           (ScStoreDocument   *document);
void               sc_store_document_unref         (ScStoreDocument   *document);
GType              sc_store_finding_get_type       (void) G_GNUC_CONST;
ScStoreFinding    *sc_store_finding_ref            (ScStoreFinding    *finding);
void               sc_store_finding_unref          (ScStoreFinding    *finding);
GType              sc_store_audit_entry_get_type   (void) G_GNUC_CONST;
ScStoreAuditEntry *sc_store_audit_entry_ref        (ScStoreAuditEntry *entry);
void               sc_store_audit_entry_unref      (ScStoreAuditEntry *entry);
GType              sc_store_search_hit_get_type    (void) G_GNUC_CONST;
ScStoreSearchHit  *sc_store_search_hit_ref         (ScStoreSearchHit  *hit);
void               sc_store_search_hit_unref       (ScStoreSearchHit  *hit);

/* Where a finding added or corrected by hand lies. The text is the page's stored text between
 * @start and @end unless @text is given (for a box drawn where the page has no text, say). */
typedef struct
{
  guint       page;   /* 0-based */
  gsize       start;  /* bytes into the page's stored text, [start, end); equal for a box only */
  gsize       end;
  const char *text;   /* may be NULL */
  GArray     *boxes;  /* ScRect in points, origin top-left; may be NULL */
} ScStoreSpan;

/* ---- The store --------------------------------------------------------------------------- */

#define SC_TYPE_STORE (sc_store_get_type ())
G_DECLARE_FINAL_TYPE (ScStore, sc_store, SC, STORE, GObject)

/* g_get_user_data_dir()/sichtung/faelle.sqlite. Free with g_free(). */
char       *sc_store_get_default_path (void);

/* Opens the database at @path, creating it (and its directory, mode 0700) when missing, and
 * brings an older schema up to date, one transaction per step. Errors: SC_ERROR_NOT_SUPPORTED
 * for a file that is not a SQLite database or one created by a newer version of Sichtung (left
 * untouched), SC_ERROR_CORRUPT when the integrity check fails, SC_ERROR_IO. */
ScStore    *sc_store_open             (const char   *path,
                                       GError      **error);
const char *sc_store_get_path         (ScStore      *self);

/* ---- Cases ------------------------------------------------------------------------------- */

/* @reference may be NULL. Returns the new case's id. */
gint64      sc_store_create_case      (ScStore      *self,
                                       const char   *title,
                                       const char   *reference,
                                       GError      **error);
/* ScStoreCase*, newest first. */
GPtrArray  *sc_store_list_cases       (ScStore      *self,
                                       GError      **error);
/* @title or @reference NULL: unchanged. */
gboolean    sc_store_rename_case      (ScStore      *self,
                                       gint64        case_id,
                                       const char   *title,
                                       const char   *reference,
                                       GError      **error);
/* Deletes the case with its documents, pages and findings; the audit log keeps its entries. */
gboolean    sc_store_delete_case      (ScStore      *self,
                                       gint64        case_id,
                                       GError      **error);

/* ---- Documents --------------------------------------------------------------------------- */

/* Stores @content (the file itself) and its @n_pages page texts (valid UTF-8, as
 * sc_document_get_page_text() returns them) in case @case_id. Returns the document's id. */
gint64      sc_store_add_document     (ScStore            *self,
                                       gint64              case_id,
                                       const char         *name,
                                       const char         *media_type,
                                       GBytes             *content,
                                       const char *const  *page_texts,
                                       guint               n_pages,
                                       GError            **error);
/* The document of @case_id whose content is @content (same SHA-256), or else @document added
 * as @name with its page texts, its media type from its kind (PDF or plain text). Opening the
 * same file twice thus finds it again. @added (may be NULL) says whether it was added. Returns
 * its id, or 0 with @error set. */
gint64      sc_store_import_document  (ScStore            *self,
                                       gint64              case_id,
                                       const char         *name,
                                       ScDocument         *document,
                                       GBytes             *content,
                                       gboolean           *added,
                                       GError            **error);
/* ScStoreDocument*, in the order they were added. */
GPtrArray  *sc_store_list_documents   (ScStore      *self,
                                       gint64        case_id,
                                       GError      **error);
/* The file as added. Fails with SC_ERROR_CORRUPT when it no longer matches its SHA-256. */
GBytes     *sc_store_get_document_content (ScStore  *self,
                                           gint64    document_id,
                                           GError  **error);
/* The stored page texts, NULL-terminated; free with g_strfreev(). */
char      **sc_store_get_page_texts   (ScStore      *self,
                                       gint64        document_id,
                                       GError      **error);
gboolean    sc_store_remove_document  (ScStore      *self,
                                       gint64        document_id,
                                       GError      **error);

/* ---- Findings and decisions -------------------------------------------------------------- */

/* Stores the findings (ScPageFinding*) of an analysis of @document_id. Findings decided
 * earlier (and those added by hand) stay as they are and a new finding where one of them was
 * found is not added again; undecided findings of earlier analyses are replaced. The model
 * fields may be NULL (rules only). */
gboolean    sc_store_set_findings     (ScStore      *self,
                                       gint64        document_id,
                                       GPtrArray    *page_findings,
                                       const char   *model_name,
                                       const char   *model_version,
                                       const char   *model_sha256,
                                       GError      **error);
/* ScStoreFinding*, by page and position. */
GPtrArray  *sc_store_list_findings    (ScStore      *self,
                                       gint64        document_id,
                                       GError      **error);

/* Records the clerk's decision on @finding_id: SC_STORE_DECISION_ACCEPTED, _REJECTED, or _OPEN
 * to undo one. Corrections go through sc_store_edit_finding(), additions through
 * sc_store_add_manual_finding(). @reason and @legal_basis may be NULL. */
gboolean    sc_store_decide           (ScStore          *self,
                                       gint64            finding_id,
                                       ScStoreDecision   decision,
                                       const char       *reason,
                                       const char       *legal_basis,
                                       GError          **error);
/* Corrects @finding_id to @category at @span (NULL: the span stays) and marks it
 * SC_STORE_DECISION_EDITED. */
gboolean    sc_store_edit_finding     (ScStore            *self,
                                       gint64              finding_id,
                                       ScFindingCategory   category,
                                       const ScStoreSpan  *span,
                                       const char         *reason,
                                       const char         *legal_basis,
                                       GError            **error);
/* Adds a finding the analysis missed, from a text selection or a box drawn on a page, with
 * decision SC_STORE_DECISION_ADDED. @label may be NULL. Returns its id. */
gint64      sc_store_add_manual_finding (ScStore            *self,
                                         gint64              document_id,
                                         ScFindingCategory   category,
                                         const char         *label,
                                         const ScStoreSpan  *span,
                                         const char         *reason,
                                         const char         *legal_basis,
                                         GError            **error);

/* ---- Audit log --------------------------------------------------------------------------- */

/* Records an answer of the local assistant (action "assistant-answer"): @details is the
 * answer as JSON (sc_answer_to_json(): task, question, text and the passages it was given),
 * with the model's name and the SHA-256 of its file. @document_id is 0 for a question over the
 * whole case. */
gboolean    sc_store_record_answer    (ScStore      *self,
                                       gint64        case_id,
                                       gint64        document_id,
                                       const char   *details,
                                       const char   *model_name,
                                       const char   *model_sha256,
                                       GError      **error);
/* Recomputes the hash chain. On success @n_entries (may be NULL) receives the number of
 * entries; on SC_ERROR_CORRUPT the number that are intact, so the first broken entry has
 * sequence number *@n_entries + 1. Also fails when the triggers guarding the log are gone. */
gboolean    sc_store_verify_audit     (ScStore      *self,
                                       guint64      *n_entries,
                                       GError      **error);
/* ScStoreAuditEntry*, oldest first; @case_id 0: the whole log. */
GPtrArray  *sc_store_list_audit       (ScStore      *self,
                                       gint64        case_id,
                                       GError      **error);

/* ---- Search ------------------------------------------------------------------------------ */

/* Full-text search over the page texts of @case_id. @query is plain words (every word must
 * occur; no search syntax); upper and lower case are alike, umlauts and ß are letters of their
 * own. Returns ScStoreSearchHit*, best first; empty when @query has no words. */
GPtrArray  *sc_store_search           (ScStore      *self,
                                       gint64        case_id,
                                       const char   *query,
                                       GError      **error);

/* ---- Backup ------------------------------------------------------------------------------ */

/* Writes a consistent copy of the whole database to @dest (replacing it atomically when it
 * exists), a single file that sc_store_restore() reads back. */
gboolean    sc_store_backup           (ScStore      *self,
                                       const char   *dest,
                                       GError      **error);
/* Replaces the whole content of the store with the backup at @backup_path, after checking
 * it (integrity, schema version, audit chain). The backup's audit log continues with an
 * entry for the restore that names the log it replaced. */
gboolean    sc_store_restore          (ScStore      *self,
                                       const char   *backup_path,
                                       GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScStoreCase, sc_store_case_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScStoreDocument, sc_store_document_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScStoreFinding, sc_store_finding_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScStoreAuditEntry, sc_store_audit_entry_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScStoreSearchHit, sc_store_search_hit_unref)

G_END_DECLS
