/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-analysis.h: the analysis pipeline. ScAnalyzer runs the rule recognisers, the gazetteers
 * and (when it has one) the named-entity model over every page of an ScDocument, merges what
 * they find and anchors each finding on its page: page number, offsets into the page text and
 * into the document text, and the boxes it covers on the page.
 *
 *   g_autoptr(ScAnalyzer) analyzer = sc_analyzer_new ();
 *   sc_analyzer_set_ner (analyzer, ner);                      (optional)
 *   g_autoptr(ScAnalysis) analysis = sc_analyzer_run (analyzer, document, NULL, NULL,
 *                                                      cancellable, &error);
 *
 * Merging, where findings overlap:
 *   - findings of the same category merge into one, which names every source that found it
 *     (in ScPageFinding.sources and one explanation step per source);
 *   - a rule finding beats a model finding of another category (a validated IBAN, tax
 *     identifier … always does; a BIC or vehicle registration only when the model is not at
 *     least as sure);
 *   - a street the model finds right before a postal code and place the rules find becomes
 *     one address; a place the model finds inside an address becomes part of it;
 *   - gazetteer places confirm the model's places (raising their confidence) or, after words
 *     such as "in" or before ", den", stand as findings of their own; they yield to anything
 *     else;
 *   - a date after "geb.", "geboren am", "Geburtsdatum" … is a date of birth;
 *   - containers (addresses, deadlines, court decisions) keep the findings inside them. */
#pragma once

#include <gio/gio.h>

#include "sc-dates.h"
#include "sc-document.h"
#include "sc-finding.h"
#include "sc-ner.h"

G_BEGIN_DECLS

/* ---- Findings on a page ------------------------------------------------------------------ */

typedef struct _ScPageFinding ScPageFinding;

struct _ScPageFinding
{
  /*< private >*/
  gatomicrefcount  ref_count;

  /*< public >*/
  ScFinding       *finding;    /* offsets (bytes, code points) into the page's text */
  guint            page;       /* 0-based */
  gsize            doc_start;  /* code points into sc_document_get_text () */
  gsize            doc_end;
  guint            sources;    /* 1 << ScFindingSource for every source that found it */
  GArray          *boxes;      /* ScRect in points, one per line the finding runs over; empty
                                * when the page does not show the text */
};

#define SC_TYPE_PAGE_FINDING (sc_page_finding_get_type ())

GType          sc_page_finding_get_type (void) G_GNUC_CONST;
ScPageFinding *sc_page_finding_ref      (ScPageFinding *finding);
void           sc_page_finding_unref    (ScPageFinding *finding);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScPageFinding, sc_page_finding_unref)

/* ---- The result -------------------------------------------------------------------------- */

typedef struct _ScAnalysis ScAnalysis;

#define SC_TYPE_ANALYSIS (sc_analysis_get_type ())

GType       sc_analysis_get_type          (void) G_GNUC_CONST;
ScAnalysis *sc_analysis_ref               (ScAnalysis *analysis);
void        sc_analysis_unref             (ScAnalysis *analysis);

guint       sc_analysis_get_n_pages       (ScAnalysis *analysis);
/* ScPageFinding*, sorted by page and start. The array belongs to @analysis. */
GPtrArray  *sc_analysis_get_findings      (ScAnalysis *analysis);
/* The model's name and version, or NULL when the analysis ran without a model. */
const char *sc_analysis_get_model_name    (ScAnalysis *analysis);
const char *sc_analysis_get_model_version (ScAnalysis *analysis);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScAnalysis, sc_analysis_unref)

/* ---- The analyser ------------------------------------------------------------------------ */

/* Called after each batch of pages, on the thread that runs the analysis. @words_per_second
 * counts the words of page text analysed per second so far (0 before the first batch). */
typedef void (*ScAnalysisProgressFunc) (guint    pages_done,
                                        guint    n_pages,
                                        double   words_per_second,
                                        gpointer user_data);

#define SC_TYPE_ANALYZER (sc_analyzer_get_type ())
G_DECLARE_FINAL_TYPE (ScAnalyzer, sc_analyzer, SC, ANALYZER, GObject)

/* Rules and gazetteers only, every category, Land SC_LAND_DEFAULT, no reference date. */
ScAnalyzer *sc_analyzer_new                  (void);

/* The named-entity model, or NULL for rules and gazetteers only. */
void        sc_analyzer_set_ner              (ScAnalyzer        *self,
                                              ScNer             *ner);
ScNer      *sc_analyzer_get_ner              (ScAnalyzer        *self);
/* The Land whose public holidays deadlines skip. */
void        sc_analyzer_set_land             (ScAnalyzer        *self,
                                              ScLand             land);
ScLand      sc_analyzer_get_land             (ScAnalyzer        *self);
/* The event date deadlines count from and the year of dates written without one; NULL: the
 * date of the letter as found in the document. */
void        sc_analyzer_set_reference_date   (ScAnalyzer        *self,
                                              const GDate       *date);
/* Whether findings of @category are reported (all are by default). */
void        sc_analyzer_set_category_enabled (ScAnalyzer        *self,
                                              ScFindingCategory  category,
                                              gboolean           enabled);
gboolean    sc_analyzer_get_category_enabled (ScAnalyzer        *self,
                                              ScFindingCategory  category);

/* Analyses every page of @document. Blocks; call it from a worker thread (or use the _async
 * form). Fails with G_IO_ERROR_CANCELLED when @cancellable is cancelled, or with the model's
 * error. An ScAnalyzer may run several documents at once. */
ScAnalysis *sc_analyzer_run                  (ScAnalyzer              *self,
                                              ScDocument              *document,
                                              ScAnalysisProgressFunc   progress,
                                              gpointer                 progress_data,
                                              GCancellable            *cancellable,
                                              GError                 **error);
/* sc_analyzer_run() on a worker thread. @progress (may be NULL) is called in the thread-default
 * main context of the caller, never after @callback. */
void        sc_analyzer_run_async            (ScAnalyzer              *self,
                                              ScDocument              *document,
                                              ScAnalysisProgressFunc   progress,
                                              gpointer                 progress_data,
                                              GCancellable            *cancellable,
                                              GAsyncReadyCallback      callback,
                                              gpointer                 user_data);
ScAnalysis *sc_analyzer_run_finish           (ScAnalyzer              *self,
                                              GAsyncResult            *result,
                                              GError                 **error);

G_END_DECLS
