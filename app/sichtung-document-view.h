/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-document-view.h: a continuously scrolling view of all pages of an ScDocument.
 *
 * The view implements GtkScrollable and belongs inside a GtkScrolledWindow. Pages are rendered
 * off the main thread into a bounded page cache and drawn as textures at the widget's scale
 * factor, so they stay sharp on HiDPI screens. Ctrl+scroll and pinch zoom around the pointer.
 */
#pragma once

#include <gtk/gtk.h>

#include "sichtung-core.h"
#include "sichtung-finding-item.h"

G_BEGIN_DECLS

typedef enum
{
  SICHTUNG_ZOOM_MODE_FREE,
  SICHTUNG_ZOOM_MODE_FIT_WIDTH,
  SICHTUNG_ZOOM_MODE_FIT_PAGE,
} SichtungZoomMode;

#define SICHTUNG_TYPE_ZOOM_MODE (sichtung_zoom_mode_get_type ())
GType sichtung_zoom_mode_get_type (void);

#define SICHTUNG_TYPE_DOCUMENT_VIEW (sichtung_document_view_get_type ())
G_DECLARE_FINAL_TYPE (SichtungDocumentView, sichtung_document_view, SICHTUNG, DOCUMENT_VIEW,
                      GtkWidget)

GtkWidget        *sichtung_document_view_new                (void);

/* Property "document" (ScDocument, nullable). Setting it resets zoom mode to fit-width,
 * scrolls to the first page and clears the search. */
ScDocument       *sichtung_document_view_get_document       (SichtungDocumentView *self);
void              sichtung_document_view_set_document       (SichtungDocumentView *self,
                                                             ScDocument           *document);

/* Property "zoom": CSS pixels per PDF point (1.0 = 100 %, i.e. 72 dpi at scale 1 is shown as
 * 96/72 so that 100 % looks like paper size). Clamped to [0.1, 8.0]. Setting it switches the
 * zoom mode to FREE. */
double            sichtung_document_view_get_zoom           (SichtungDocumentView *self);
void              sichtung_document_view_set_zoom           (SichtungDocumentView *self,
                                                             double                zoom);
/* Property "zoom-mode" (SichtungZoomMode). FIT_WIDTH and FIT_PAGE follow the widget size. */
SichtungZoomMode  sichtung_document_view_get_zoom_mode      (SichtungDocumentView *self);
void              sichtung_document_view_set_zoom_mode      (SichtungDocumentView *self,
                                                             SichtungZoomMode      mode);
void              sichtung_document_view_zoom_in            (SichtungDocumentView *self);
void              sichtung_document_view_zoom_out           (SichtungDocumentView *self);

/* Property "current-page" (guint, 0-based): the page at the top of the viewport. */
guint             sichtung_document_view_get_current_page   (SichtungDocumentView *self);
void              sichtung_document_view_go_to_page         (SichtungDocumentView *self,
                                                             guint                 page);

/* Property "position" (double): the page index at the top of the viewport plus the fraction
 * of that page scrolled past. Independent of zoom, so two views of documents with different
 * page sizes can scroll in step by copying it. */
double            sichtung_document_view_get_position       (SichtungDocumentView *self);
void              sichtung_document_view_set_position       (SichtungDocumentView *self,
                                                             double                position);

/* Searches all pages off the main thread and highlights every hit; an empty or NULL @text
 * clears the search. Properties "n-matches" (guint) and "current-match" (int, -1 for none)
 * change as results arrive; the first hit is selected and scrolled to when it is found. */
void              sichtung_document_view_search             (SichtungDocumentView *self,
                                                             const char           *text);
guint             sichtung_document_view_get_n_matches      (SichtungDocumentView *self);
int               sichtung_document_view_get_current_match  (SichtungDocumentView *self);
/* Property "search-active" (gboolean): TRUE while a search is still running. */
gboolean          sichtung_document_view_get_search_active  (SichtungDocumentView *self);
void              sichtung_document_view_next_match         (SichtungDocumentView *self);
void              sichtung_document_view_previous_match     (SichtungDocumentView *self);

/* For tests and screenshots: the rendered texture of @page at the current zoom if it is in the
 * page cache, else NULL (transfer full). */
GdkTexture       *sichtung_document_view_get_page_texture   (SichtungDocumentView *self,
                                                             guint                 page);

/* Additions. */

/* The zoom range; zoom_in() and zoom_out() move along a ladder of presets inside it. */
#define SICHTUNG_DOCUMENT_VIEW_MIN_ZOOM 0.1
#define SICHTUNG_DOCUMENT_VIEW_MAX_ZOOM 8.0

/* Property "pending-renders" (guint): page renders queued or running for the pages on screen
 * and the ones prefetched around them; 0 once everything visible is drawn sharp. Signal
 * "page-rendered" (guint page) is emitted whenever a page arrives at the current zoom. Meant
 * for tests and screenshots that must wait for the view to settle. */
guint             sichtung_document_view_get_pending_renders (SichtungDocumentView *self);

/* Findings. */

/* Draws the boxes of every finding of @items (a GListModel of SichtungFindingItem, or NULL
 * for none) on its page, in its category's colour and its decision's pattern, with a short
 * category tag; follows the model and each item's decision. Hovering a finding shows its
 * category, text and confidence; clicking it emits "finding-activated" (SichtungFindingItem). */
void              sichtung_document_view_set_findings       (SichtungDocumentView *self,
                                                             GListModel           *items);
GListModel       *sichtung_document_view_get_findings       (SichtungDocumentView *self);
/* Marks @item (nullable) as the selected finding and scrolls to it. */
void              sichtung_document_view_set_selected_finding (SichtungDocumentView *self,
                                                               SichtungFindingItem  *item);
SichtungFindingItem *sichtung_document_view_get_selected_finding (SichtungDocumentView *self);
/* The finding drawn at view coordinates @x, @y, or NULL (for tests and input handling). */
SichtungFindingItem *sichtung_document_view_get_finding_at  (SichtungDocumentView *self,
                                                             double                x,
                                                             double                y);

/* Marking by hand. */

/* Property "box-mode" (gboolean): while TRUE, dragging on a page draws a box instead of
 * clicking findings; Shift+drag draws one in any mode. Escape cancels a box being drawn and
 * then leaves box mode. Signal "box-drawn" (guint page, double x, double y, double width,
 * double height; points, origin top-left) is emitted for each box drawn. */
gboolean          sichtung_document_view_get_box_mode       (SichtungDocumentView *self);
void              sichtung_document_view_set_box_mode       (SichtungDocumentView *self,
                                                             gboolean              box_mode);
/* Emits "box-drawn" for @rect (points) on @page as a box drawn with the pointer would, after
 * normalising it and cutting it to the page; nothing for a box with no area. */
void              sichtung_document_view_draw_box           (SichtungDocumentView *self,
                                                             guint                 page,
                                                             const ScRect         *rect);

/* Passages. */

/* Marks the passage with the boxes @boxes (ScRect, points, origin top-left; the view keeps a
 * reference) on @page and scrolls to its first box: where an assistant's answer cites it.
 * NULL (or a page the document lacks) clears the mark; a new document clears it too. */
void              sichtung_document_view_set_passage        (SichtungDocumentView *self,
                                                             guint                 page,
                                                             GArray               *boxes);
/* The boxes of the passage marked (transfer none) and its page, or NULL. */
GArray           *sichtung_document_view_get_passage        (SichtungDocumentView *self,
                                                             guint                *page);

/* Compare mode (sichtung-document-view-changes.c). */

/* One box of a difference to the other document, as compare mode marks it on a page. */
typedef struct
{
  guint               page;
  ScRect              rect;      /* points, origin top-left */
  ScCompareChangeKind kind;
  gsize               cp_start;  /* the whole change, in code points of the document text */
  gsize               cp_end;
  gboolean            first;     /* the change's first box, which carries its tag */
} SichtungChangeMark;

/* Draws @marks (SichtungChangeMark, in page order; NULL for none) under the findings: added
 * text with a green fill, removed text with a red fill struck through, changed text with an
 * orange fill and a dashed outline, each change tagged "+", "−" or "~" so colour is not the
 * only cue. The view keeps a reference to @marks. */
void              sichtung_document_view_set_changes        (SichtungDocumentView *self,
                                                             GArray               *marks);
/* Whether a change mark covers the code point @cp_offset of the document text; its kind
 * goes to @kind (may be NULL). */
gboolean          sichtung_document_view_get_change_at      (SichtungDocumentView *self,
                                                             gsize                 cp_offset,
                                                             ScCompareChangeKind  *kind);

G_END_DECLS
