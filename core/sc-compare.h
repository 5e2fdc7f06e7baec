/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-compare.h: compare mode. Two documents (or two versions of one) are split into
 * paragraphs, the paragraphs aligned in reading order, the words of each aligned pair diffed,
 * and the findings of both linked where they name the same person, norm, case number …
 *
 *   g_autoptr(ScComparison) comparison = sc_compare_documents (a, b, cancellable, &error);
 *   GArray *rows = sc_comparison_get_alignment (comparison);     (scroll both panes by row)
 *   GArray *changes = sc_comparison_get_changes (comparison);    (highlight them)
 *   g_autoptr(GArray) links = sc_compare_link_findings (findings_a, findings_b);
 *
 * Offsets: every range holds byte offsets and code-point offsets into the document text as
 * sc_document_get_text() returns it (pages each followed by '\f'), so code-point offsets
 * compare directly with ScPageFinding.doc_start/doc_end, and the page its start lies on.
 *
 * Paragraphs. A paragraph ends at a blank line and at a page break. Inside a block of lines
 * a new paragraph also starts
 *   - where the page layout leaves a gap between two lines of more than 1.15 times the page's
 *     usual line pitch (PDFs carry no blank lines; their spacing shows the paragraphs);
 *   - at a list item ("1.", "2)", "a)", "-", "–", "•") when the line before ends a sentence
 *     (".", ":", ";", "!", "?"), so "geboren am\n14. März" stays one paragraph;
 *   - before and after a heading: a line of at most 60 characters and six words that starts
 *     with a capital, does not end in ".", ",", ";" or ":", follows a line that ends a
 *     sentence and comes before a blank line or a line that starts with a capital or digit.
 *
 * Alignment. Paragraphs with the same words (case and blanks aside) are matched first where
 * they occur once on each side; between such anchors a dynamic programme picks the monotone
 * matching with the largest summed similarity, the similarity being the Dice coefficient of
 * the two paragraphs' word multisets (words case-folded, punctuation dropped). Pairs below
 * SC_COMPARE_MIN_SIMILARITY never match: those paragraphs count as removed and added. A
 * removed paragraph whose text reappears elsewhere in the other document (similarity at
 * least SC_COMPARE_MOVED_SIMILARITY) is marked as moved there.
 *
 * Changes. The tokens of a matched pair (runs of letters and digits, joined by ".", ",", "-",
 * "/", "'" between them as in "3.412,50" or "4.2-WG-1187/2025", and single other characters
 * such as "§" or "(") are diffed as they stand: blanks and line breaks alone are no change.
 * A run of removed tokens directly followed or preceded by added ones is one CHANGED
 * change. Unmatched paragraphs are removed or added as a whole. */
#pragma once

#include <gio/gio.h>

#include "sc-analysis.h"
#include "sc-document.h"

G_BEGIN_DECLS

/* Below this Dice similarity two paragraphs are never aligned. */
#define SC_COMPARE_MIN_SIMILARITY   0.4
/* From this similarity on an unmatched paragraph counts as moved to its counterpart. */
#define SC_COMPARE_MOVED_SIMILARITY 0.8

typedef enum
{
  SC_COMPARE_SIDE_A,
  SC_COMPARE_SIDE_B,
} ScCompareSide;

typedef enum
{
  SC_COMPARE_ADDED,    /* only in B; the range in A is the empty place it would go */
  SC_COMPARE_REMOVED,  /* only in A; the range in B is the empty place it was */
  SC_COMPARE_CHANGED,  /* removed tokens directly replaced by added ones */
} ScCompareChangeKind;

/* A span of a document's text. Empty (start == end) for the place of an insertion. */
typedef struct
{
  guint page;      /* 0-based page of start */
  gsize start;     /* bytes into the document text, [start, end) */
  gsize end;
  gsize cp_start;  /* the same span in code points */
  gsize cp_end;
} ScCompareRange;

typedef struct
{
  ScCompareRange range;        /* from its first token to its last */
  guint          n_words;      /* tokens with a letter or digit */
  guint          row;          /* index into sc_comparison_get_alignment () */
  int            counterpart;  /* the paragraph of the other side aligned with it, or -1 */
} ScCompareParagraph;

/* One row of the side-by-side view, in reading order of both documents. */
typedef struct
{
  int    a;           /* paragraph of A, or -1 when the row is a paragraph added in B */
  int    b;           /* paragraph of B, or -1 when the row is a paragraph removed from A */
  double similarity;  /* Dice similarity 0..1 of a matched pair; 0 otherwise */
  int    moved;       /* unmatched rows: the paragraph of the other side with the same text
                       * (similarity >= SC_COMPARE_MOVED_SIMILARITY), or -1 */
} ScCompareRow;

typedef struct
{
  ScCompareChangeKind kind;
  ScCompareRange      a;
  ScCompareRange      b;
  guint               n_words_a;  /* tokens with a letter or digit in each range */
  guint               n_words_b;
  guint               row;        /* the row of the alignment it belongs to */
} ScCompareChange;

typedef struct
{
  guint paragraphs_a;
  guint paragraphs_b;
  guint paragraphs_matched;    /* rows with a paragraph on both sides */
  guint paragraphs_identical;  /* matched pairs without a change */
  guint paragraphs_removed;
  guint paragraphs_added;
  guint paragraphs_moved;      /* removed paragraphs that reappear elsewhere in B */
  guint words_removed;         /* words of A in REMOVED changes */
  guint words_added;           /* words of B in ADDED changes */
  guint words_changed;         /* words of A that CHANGED changes replace */
  guint words_changed_to;      /* words of B that replace them */
} ScCompareStats;

/* A finding of A (index into its array) naming the same thing as one of B. */
typedef struct
{
  guint a;
  guint b;
} ScCompareLink;

typedef struct _ScComparison ScComparison;

#define SC_TYPE_COMPARISON (sc_comparison_get_type ())

GType         sc_comparison_get_type       (void) G_GNUC_CONST;
ScComparison *sc_comparison_ref            (ScComparison  *comparison);
void          sc_comparison_unref          (ScComparison  *comparison);

/* Compares the text of @a with that of @b, using their page layouts to find paragraphs.
 * Blocks; fails only with G_IO_ERROR_CANCELLED. Documents without text compare as empty. */
ScComparison *sc_compare_documents         (ScDocument    *a,
                                            ScDocument    *b,
                                            GCancellable  *cancellable,
                                            GError       **error);
/* The same for two texts with pages separated by '\f' (no layout: blank lines, list items
 * and headings alone make paragraphs). NULL counts as empty. Never fails. */
ScComparison *sc_compare_texts             (const char    *text_a,
                                            const char    *text_b);

/* The text the offsets refer to. */
const char   *sc_comparison_get_text       (ScComparison  *comparison,
                                            ScCompareSide  side);
/* ScCompareParagraph, in reading order. The arrays belong to @comparison. */
GArray       *sc_comparison_get_paragraphs (ScComparison  *comparison,
                                            ScCompareSide  side);
/* ScCompareRow: every paragraph of A and of B once, in the order of both. */
GArray       *sc_comparison_get_alignment  (ScComparison  *comparison);
/* ScCompareChange, in the order of the rows they belong to. */
GArray       *sc_comparison_get_changes    (ScComparison  *comparison);
void          sc_comparison_get_stats      (ScComparison  *comparison,
                                            ScCompareStats *stats);
/* The paragraph of @side that holds (or, between paragraphs, precedes) the code point
 * @cp_offset, for scrolling the other pane along; -1 before the first paragraph. */
int           sc_comparison_find_paragraph (ScComparison  *comparison,
                                            ScCompareSide  side,
                                            gsize          cp_offset);

/* Links the findings of two documents (ScPageFinding*, as sc_analysis_get_findings() gives
 * them) that name the same thing: same category and same key, the key being the normalised
 * value where the finding has one (IBAN, date, norm …) and otherwise its text case-folded
 * with blanks collapsed. One fuzzy rule: a person named by one word only ("Herr Beispiel")
 * also links to every person of the other document whose last name that is ("Jonas
 * Beispiel"). Returns ScCompareLink sorted by a, then b; a finding may link to several. */
GArray       *sc_compare_link_findings     (GPtrArray     *findings_a,
                                            GPtrArray     *findings_b);

const char   *sc_compare_change_kind_to_string (ScCompareChangeKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScComparison, sc_comparison_unref)

G_END_DECLS
