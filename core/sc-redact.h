/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-redact.h: true redaction of PDF files, with a leak check of the written result.
 *
 * Redacting is not drawing boxes. sc_redact_pdf() removes what lies under each area from the
 * page content itself: the glyphs of every text-showing operator (in every font type, in form
 * XObjects at any depth, visible or not), the pixels of images, inline images and vector shapes
 * that lie inside an area. It then paints an opaque black box, optionally labelled with the legal
 * basis, strips the document metadata (Info dictionary, XMP), annotations, form fields,
 * attachments, JavaScript, outlines and the structure tree, and writes a new file from scratch
 * (never an incremental update, no unreferenced objects).
 *
 * sc_redact_verify() then checks the written bytes the way someone trying to undo the redaction
 * would: poppler's text of every page (nothing inside an area; no redacted text more often than it
 * survives outside the areas), the document metadata, every string and decoded stream of the file
 * (what `qpdf --qdf` shows), the rendered pages (every area opaque black, so OCR has nothing to
 * read) and, where tesseract is installed, what OCR reads on them. It also measures how many
 * words outside the areas are still extractable. */
#pragma once

#include <gio/gio.h>

#include "sc-analysis.h"
#include "sc-document.h"
#include "sc-store.h"

G_BEGIN_DECLS

/* One area to redact. */
typedef struct
{
  guint   page;   /* 0-based */
  ScRect  rect;   /* points, origin top-left of the page as shown (rotation and crop applied),
                   * the same space as sc_document_get_page_layout() */
  char   *text;   /* what lies under it, for the leak check; may be NULL */
  char   *label;  /* printed on the box, e.g. "§ 12 LTranspG RLP"; may be NULL */
} ScRedaction;

/* A GArray of ScRedaction that frees the strings of its elements. */
GArray *sc_redactions_new    (void);
/* Appends a copy of @text and @label. */
void    sc_redactions_add    (GArray       *redactions,
                              guint         page,
                              const ScRect *rect,
                              const char   *text,
                              const char   *label);

/* 1 << ScFindingCategory for each category redacted unless asked otherwise: persons, addresses,
 * dates of birth, IBAN, BIC, tax and social security numbers, ID documents, phone numbers,
 * e-mail addresses and vehicle registrations. */
#define SC_REDACT_CATEGORY(category) (1u << (category))
guint   sc_redact_default_categories   (void);
/* One area per line box of each finding (ScPageFinding) whose category is in @categories,
 * a little larger than the glyphs, labelled with @label (may be NULL). */
void    sc_redactions_add_findings     (GArray       *redactions,
                                        GPtrArray    *page_findings,
                                        guint         categories,
                                        const char   *label);
/* The same for the stored findings (ScStoreFinding) a clerk accepted, corrected or added by
 * hand, labelled with their legal basis when @labels is TRUE. */
void    sc_redactions_add_decisions    (GArray       *redactions,
                                        GPtrArray    *store_findings,
                                        gboolean      labels);

typedef enum
{
  SC_REDACT_NONE         = 0,
  SC_REDACT_LABELS       = 1 << 0,  /* print each ScRedaction.label on its box */
} ScRedactFlags;

/* What a redaction did and what its verification found. */
typedef struct
{
  /*< private >*/
  gatomicrefcount ref_count;

  /*< public >*/
  guint      n_redactions;        /* areas asked for */
  guint      n_pages;             /* pages with at least one area */
  guint      n_glyphs_removed;
  guint      n_images_changed;    /* image XObjects whose pixels were blacked out */
  guint      n_images_removed;    /* images that could not be decoded, dropped where they meet an area */
  guint      n_shapes_removed;    /* vector paths wholly inside an area */
  guint      n_annotations_removed;
  gboolean   metadata_removed;    /* the input had an Info dictionary or XMP metadata */

  /* Filled by sc_redact_verify(). */
  gboolean   verified;            /* the checks ran */
  gboolean   ocr_checked;         /* tesseract read the redacted pages too (when installed) */
  GPtrArray *leaks;               /* char *: one translated sentence per leak found; empty when none */
  guint      n_words_outside;     /* words of the input's text outside every area */
  guint      n_words_surviving;   /* of those, words still in the output's text */
} ScRedactionReport;

#define SC_TYPE_REDACTION_REPORT (sc_redaction_report_get_type ())
GType              sc_redaction_report_get_type (void) G_GNUC_CONST;
ScRedactionReport *sc_redaction_report_new      (void);
ScRedactionReport *sc_redaction_report_ref      (ScRedactionReport *report);
void               sc_redaction_report_unref    (ScRedactionReport *report);
/* n_words_surviving / n_words_outside, 1.0 when there are no words outside. */
double             sc_redaction_report_get_surviving_ratio (const ScRedactionReport *report);
/* The summary as a JSON object (counts, leaks, surviving words). */
char              *sc_redaction_report_to_json  (const ScRedactionReport *report);

/* Redacts @redactions (ScRedaction) out of the PDF @input and returns the new file's bytes.
 * @report (may be NULL) receives what was done; it is not verified yet.
 * Errors: SC_ERROR_NOT_SUPPORTED (not a PDF), SC_ERROR_CORRUPT, SC_ERROR_NEEDS_PASSWORD,
 * SC_ERROR_BAD_PASSWORD, SC_ERROR_INVALID_ARGUMENT (an area on a page the file lacks),
 * SC_ERROR_CANCELLED via G_IO_ERROR when @cancellable fires. */
GBytes  *sc_redact_pdf          (GBytes             *input,
                                 const char         *password,
                                 GArray             *redactions,
                                 ScRedactFlags       flags,
                                 ScRedactionReport **report,
                                 GCancellable       *cancellable,
                                 GError            **error);

/* Checks @output, the redaction of @input by @redactions, and records the result in @report
 * (verified, leaks, word counts). Returns FALSE with an error only when the checks could not
 * run (e.g. @output does not open); a leak is a result, not an error. */
gboolean sc_redact_verify       (GBytes             *input,
                                 const char         *password,
                                 GBytes             *output,
                                 GArray             *redactions,
                                 ScRedactionReport  *report,
                                 GCancellable       *cancellable,
                                 GError            **error);

/* sc_redact_pdf(), sc_redact_verify(), and only when no leak was found, writes @output
 * (atomically, replacing it). When the verification finds a leak nothing is written and the
 * error is SC_ERROR_LEAK with the first leak in the message; @report still says everything. */
gboolean sc_redact_pdf_to_file  (GBytes             *input,
                                 const char         *password,
                                 GArray             *redactions,
                                 ScRedactFlags       flags,
                                 GFile              *output,
                                 ScRedactionReport **report,
                                 GCancellable       *cancellable,
                                 GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScRedactionReport, sc_redaction_report_unref)

G_END_DECLS
