/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-compare.h: compare mode of the main window: the two panes' documents compared
 * paragraph by paragraph and word by word, their differences shown in both panes, their
 * findings linked, and one pane following the other by matched paragraphs.
 */
#pragma once

#include <gio/gio.h>

#include "sichtung-document-pane.h"

G_BEGIN_DECLS

#define SICHTUNG_TYPE_COMPARE (sichtung_compare_get_type ())
G_DECLARE_FINAL_TYPE (SichtungCompare, sichtung_compare, SICHTUNG, COMPARE, GObject)

/* Compares the document of @left (side A) with that of @right (side B) while "active". */
SichtungCompare *sichtung_compare_new            (SichtungDocumentPane *left,
                                                  SichtungDocumentPane *right);

/* The action "compare" (boolean state, no parameter) that switches compare mode; enabled
 * while both panes show a document. Meant for the window's action map. */
GAction         *sichtung_compare_get_action     (SichtungCompare      *self);

/* Property "active" (gboolean): whether compare mode is on. Switching it on compares the two
 * documents on a worker thread (again whenever one of them changes); switching it off, or a
 * pane losing its document, cancels that and removes the differences from both panes. */
gboolean         sichtung_compare_get_active     (SichtungCompare      *self);
void             sichtung_compare_set_active     (SichtungCompare      *self,
                                                  gboolean              active);

/* Property "comparison" (ScComparison, read-only): the finished comparison the panes show, or
 * NULL while none is (off, or still comparing). */
ScComparison    *sichtung_compare_get_comparison (SichtungCompare      *self);

/* Scrolls the other pane to the paragraph matched with the one at the top of @from's page
 * view, or of its text view in text mode; the other pane's page view, and its text view in
 * text mode. FALSE when it cannot (compare mode off or still comparing, or @from's position
 * lies before the first paragraph), so the caller can follow by page instead. The text views'
 * scrolling is followed here, while the window's active pane leads and scrolling is
 * synchronised; the page views' the window reports through this function. */
gboolean         sichtung_compare_follow         (SichtungCompare      *self,
                                                  SichtungDocumentPane *from);

G_END_DECLS
