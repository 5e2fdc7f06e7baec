/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-document-view-private.h: what the parts of SichtungDocumentView share.
 *
 * sichtung-document-view.c owns the geometry; sichtung-document-view-box.c draws boxes on
 * pages with it, to mark findings by hand.
 */
#pragma once

#include "sichtung-document-view.h"

G_BEGIN_DECLS

/* sichtung-document-view.c */

/* Where the top-left corner of @page is drawn, in view coordinates, and the logical pixels
 * per point it is drawn at. FALSE before the first allocation or for no such page. */
gboolean         _sichtung_document_view_get_page_origin (SichtungDocumentView *self,
                                                          guint                 page,
                                                          double               *x,
                                                          double               *y,
                                                          double               *px_per_pt);
/* The page under view coordinates @x, @y and the point there; FALSE off every page. */
gboolean         _sichtung_document_view_get_page_at     (SichtungDocumentView *self,
                                                          double                x,
                                                          double                y,
                                                          guint                *page,
                                                          double               *x_pt,
                                                          double               *y_pt);
/* The size of @page, which must exist, in points. */
void             _sichtung_document_view_get_page_size   (SichtungDocumentView *self,
                                                          guint                 page,
                                                          double               *width,
                                                          double               *height);

/* sichtung-document-view-box.c */

typedef struct _SichtungViewBox SichtungViewBox;

/* Adds the gesture and keys that draw boxes to @view; freed with the view. */
SichtungViewBox *_sichtung_view_box_new                  (SichtungDocumentView *view);
void             _sichtung_view_box_free                 (SichtungViewBox      *box);
/* Drops a box being drawn; @box may be NULL. */
void             _sichtung_view_box_cancel               (SichtungViewBox      *box);
/* Draws the box being drawn when it lies on @page, whose top-left corner is at @x, @y and
 * which is drawn at @px_per_pt. */
void             _sichtung_view_box_snapshot             (SichtungViewBox      *box,
                                                          GtkSnapshot          *snapshot,
                                                          guint                 page,
                                                          double                x,
                                                          double                y,
                                                          double                px_per_pt);

/* sichtung-document-view-changes.c */

/* Draws the change marks of @page (compare mode) under its findings; as
 * _sichtung_view_box_snapshot(). */
void             _sichtung_view_changes_snapshot         (SichtungDocumentView *view,
                                                          GtkSnapshot          *snapshot,
                                                          guint                 page,
                                                          double                x,
                                                          double                y,
                                                          double                px_per_pt);

G_END_DECLS
