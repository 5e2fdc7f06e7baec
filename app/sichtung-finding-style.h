/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-finding-style.h: how findings look wherever they are drawn — the page view, the
 * text view, the legend and the list — so the colours and marks agree everywhere. */
#pragma once

#include <gtk/gtk.h>

#include "sichtung-finding-item.h"

G_BEGIN_DECLS

/* The category's colour (opaque). Colour is never the only cue: marks also carry a short tag
 * and the decision's outline pattern. */
void        sichtung_finding_style_get_color (ScFindingCategory  category,
                                              GdkRGBA           *color);
/* A short translated tag drawn beside a mark on the page ("Name", "IBAN" …). */
const char *sichtung_finding_style_get_tag   (ScFindingCategory  category);

/* Draws the mark of a finding over @rect (user space of @cr): open findings are outlined,
 * accepted ones filled, rejected ones faded with a dashed outline, edited ones filled with a
 * double outline; @selected adds a thick outline around it. */
void        sichtung_finding_style_draw_mark (cairo_t           *cr,
                                              const graphene_rect_t *rect,
                                              ScFindingCategory  category,
                                              SichtungDecision   decision,
                                              gboolean           selected);
/* Draws the category's tag above @rect, when @rect is tall enough for it to be read. */
void        sichtung_finding_style_draw_tag  (cairo_t           *cr,
                                              PangoContext      *context,
                                              const graphene_rect_t *rect,
                                              ScFindingCategory  category,
                                              SichtungDecision   decision);

/* A small swatch widget showing @category's mark for @decision, for legends and headers. */
GtkWidget  *sichtung_finding_style_new_swatch (ScFindingCategory category,
                                               SichtungDecision  decision);

/* The explained words of @explanation as Pango markup: each word's background tinted by its
 * score (blue: made the model surer, orange: less sure), scaled to the largest magnitude of
 * @scores, the finding's own words bold and underlined. With @text (the text the offsets of
 * the explanation point into), words keep apart where the text has space between them and
 * "…" marks text before and after the window. */
char       *sichtung_finding_style_heatmap_markup (ScExplanation *explanation,
                                                  const char    *text,
                                                  const double  *scores);

/* The same, showing at most @context_words words on each side of the span (G_MAXUINT: all),
 * with "…" where words are left out, and the words flagged in @hidden (n_words flags, may be
 * NULL) struck through and faded, as the deletion test hides them. */
char       *sichtung_finding_style_heatmap_markup_full (ScExplanation  *explanation,
                                                        const char     *text,
                                                        const double   *scores,
                                                        guint           context_words,
                                                        const gboolean *hidden);

/* @text on one line (line breaks, tabs and form feeds as spaces), shortened to at most
 * @max_chars characters with a final "…", for lists, names and dialogs. */
char       *sichtung_finding_style_one_line (const char *text,
                                             guint       max_chars);

G_END_DECLS
