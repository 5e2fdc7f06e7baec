/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-document-pane-changes.c: compare mode in a SichtungDocumentPane: the differences
 * to the other document, as tags in the text view and marks on the pages.
 *
 * The comparison's ranges are code-point offsets into sc_document_get_text(), the same as the
 * findings', so they reach the text buffer through the pane's TextPage table. The tags lie
 * under the findings' tags, which keep their look on top. The same table turns the text view's
 * scroll position into a code point and back, for following the other pane by paragraph.
 */
#define G_LOG_DOMAIN "sichtung-pane"

#include "config.h"

#include <string.h>

#include "sichtung-document-pane-private.h"

static GtkTextTag *
change_tag (SichtungDocumentPane *self,
            ScCompareChangeKind   kind)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GdkRGBA fill, line;

  g_assert (kind <= SC_COMPARE_CHANGED);

  if (self->change_tags[kind] != NULL)
    return self->change_tags[kind];

  /* The page view's colours; the lines say the same without them. */
  switch (kind)
    {
    case SC_COMPARE_ADDED:
      fill = (GdkRGBA) { 0.20, 0.82, 0.48, 0.25 };
      line = (GdkRGBA) { 0.15, 0.64, 0.41, 1.0 };
      self->change_tags[kind] =
        gtk_text_buffer_create_tag (buffer, "change-added",
                                    "background-rgba", &fill,
                                    "underline", PANGO_UNDERLINE_SINGLE,
                                    "underline-rgba", &line,
                                    NULL);
      break;

    case SC_COMPARE_REMOVED:
      fill = (GdkRGBA) { 0.88, 0.11, 0.14, 0.2 };
      line = (GdkRGBA) { 0.75, 0.11, 0.16, 1.0 };
      self->change_tags[kind] =
        gtk_text_buffer_create_tag (buffer, "change-removed",
                                    "background-rgba", &fill,
                                    "strikethrough", TRUE,
                                    "strikethrough-rgba", &line,
                                    NULL);
      break;

    case SC_COMPARE_CHANGED:
    default:
      fill = (GdkRGBA) { 1.0, 0.47, 0.0, 0.22 };
      line = (GdkRGBA) { 0.78, 0.27, 0.0, 1.0 };
      self->change_tags[kind] =
        gtk_text_buffer_create_tag (buffer, "change-changed",
                                    "background-rgba", &fill,
                                    "underline", PANGO_UNDERLINE_DOUBLE,
                                    "underline-rgba", &line,
                                    NULL);
      break;
    }

  /* Under every other tag: findings, search hits and the selection stay visible. */
  gtk_text_tag_set_priority (self->change_tags[kind], 0);
  return self->change_tags[kind];
}

/* The page of the text buffer that holds code point @cp of the document text. */
static guint
text_page_at (SichtungDocumentPane *self,
              gsize                 cp)
{
  guint lo = 0, hi = self->text_pages->len;

  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (self->text_pages, TextPage, mid).doc_start <= cp)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

/* The buffer offset of code point @cp of the document text on @page, clamped to the page's
 * text (the white space stripped around it is not in the buffer). */
static int
buffer_offset (const TextPage *page,
               gsize           cp)
{
  gssize rel = (gssize) cp - (gssize) page->doc_start - (gssize) page->lead;

  return page->buffer_start + (int) CLAMP (rel, 0, page->length);
}

void
_sichtung_document_pane_tag_changes (SichtungDocumentPane *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;
  GArray *changes;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  for (guint k = 0; k < G_N_ELEMENTS (self->change_tags); k++)
    if (self->change_tags[k] != NULL)
      gtk_text_buffer_remove_tag (buffer, self->change_tags[k], &start, &end);

  if (self->comparison == NULL || self->text_pages->len == 0)
    return;

  changes = sc_comparison_get_changes (self->comparison);
  for (guint i = 0; i < changes->len; i++)
    {
      const ScCompareChange *change = &g_array_index (changes, ScCompareChange, i);
      const ScCompareRange *range = self->compare_side == SC_COMPARE_SIDE_A ? &change->a
                                                                             : &change->b;

      if (range->cp_end <= range->cp_start)
        continue; /* the place of text the other side has: nothing to mark here */

      /* A range may cross a page break, which the buffer shows as a page line. */
      for (guint p = text_page_at (self, range->cp_start); p < self->text_pages->len; p++)
        {
          const TextPage *page = &g_array_index (self->text_pages, TextPage, p);
          int from, to;

          if (page->doc_start >= range->cp_end)
            break;
          from = buffer_offset (page, range->cp_start);
          to = buffer_offset (page, range->cp_end);
          if (to <= from)
            continue;
          gtk_text_buffer_get_iter_at_offset (buffer, &start, from);
          gtk_text_buffer_get_iter_at_offset (buffer, &end, to);
          gtk_text_buffer_apply_tag (buffer, change_tag (self, change->kind), &start, &end);
        }
    }
}

/* Following the other pane's text view right after a switch to text, GtkTextView has measured
 * only the lines on screen: it does the rest while idle, and until then its adjustment ends
 * short of the text's height, so a line further down cannot be scrolled to the top yet. Its own
 * scroll to a mark is animated towards where it could go when it started, and ends there. So the
 * view is scrolled here, at once when it has a size, and again whenever its adjustment changes
 * (grows, or is moved by such an animation), until the user scrolls, clicks or types there, the
 * pane scrolls its text elsewhere (a finding, a search hit, a page) or follows elsewhere, or the
 * line is at the top and the layout has been still for two seconds. The two seconds count from
 * the view's first size and from each time its layout grew; a line the view could not reach yet
 * is followed however long its layout takes, as on a slow machine. */
#define FOLLOW_PENDING_US (2 * G_USEC_PER_SEC)

static void
stop_follow (SichtungDocumentPane *self)
{
  if (self->follow_adjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->follow_adjustment, self);
  g_clear_object (&self->follow_adjustment);
}

void
_sichtung_document_pane_stop_follow (SichtungDocumentPane *self)
{
  stop_follow (self);
}

void
_sichtung_document_pane_dispose_changes (SichtungDocumentPane *self)
{
  stop_follow (self);
  g_clear_pointer (&self->comparison, sc_comparison_unref);
  /* The tags belong to the buffer's tag table. */
  memset (self->change_tags, 0, sizeof self->change_tags);
}

void
sichtung_document_pane_set_changes (SichtungDocumentPane *self,
                                    ScComparison         *comparison,
                                    ScCompareSide         side,
                                    GArray               *marks)
{
  g_return_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self));
  g_return_if_fail (side == SC_COMPARE_SIDE_A || side == SC_COMPARE_SIDE_B);

  if (comparison != NULL)
    sc_comparison_ref (comparison);
  g_clear_pointer (&self->comparison, sc_comparison_unref);
  self->comparison = comparison;
  self->compare_side = side;

  sichtung_document_view_set_changes (self->view, comparison != NULL ? marks : NULL);
  _sichtung_document_pane_tag_changes (self);
}

ScComparison *
sichtung_document_pane_get_comparison (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), NULL);

  return self->comparison;
}

gboolean
sichtung_document_pane_get_text_change_at (SichtungDocumentPane *self,
                                           gsize                 cp_offset,
                                           ScCompareChangeKind  *kind)
{
  GtkTextBuffer *buffer;
  const TextPage *page;
  GtkTextIter iter;
  gssize rel;

  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), FALSE);

  if (self->text_pages->len == 0)
    return FALSE;

  page = &g_array_index (self->text_pages, TextPage, text_page_at (self, cp_offset));
  rel = (gssize) cp_offset - (gssize) page->doc_start - (gssize) page->lead;
  if (rel < 0 || rel >= page->length)
    return FALSE;

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, page->buffer_start + (int) rel);
  for (guint k = 0; k < G_N_ELEMENTS (self->change_tags); k++)
    if (self->change_tags[k] != NULL && gtk_text_iter_has_tag (&iter, self->change_tags[k]))
      {
        if (kind != NULL)
          *kind = (ScCompareChangeKind) k;
        return TRUE;
      }
  return FALSE;
}

gboolean
sichtung_document_pane_get_text_top_offset (SichtungDocumentPane *self,
                                            gsize                *cp_offset)
{
  GdkRectangle visible;
  GtkTextIter iter;
  const TextPage *page = NULL;
  int offset;

  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), FALSE);
  g_return_val_if_fail (cp_offset != NULL, FALSE);

  if (self->text_pages->len == 0)
    return FALSE;

  gtk_text_view_get_visible_rect (self->text_view, &visible);
  gtk_text_view_get_iter_at_location (self->text_view, &iter, 0, visible.y);
  offset = gtk_text_iter_get_offset (&iter);

  /* The last page whose text starts at or before @offset; past its text (on the line that
   * heads the next page) the next one. */
  for (guint p = 0; p < self->text_pages->len; p++)
    {
      const TextPage *candidate = &g_array_index (self->text_pages, TextPage, p);

      if (page != NULL && candidate->buffer_start > offset
          && offset <= page->buffer_start + page->length)
        break;
      page = candidate;
      if (candidate->buffer_start > offset)
        break;
    }
  *cp_offset = page->doc_start + page->lead
               + (gsize) CLAMP (offset - page->buffer_start, 0, page->length);
  return TRUE;
}

/* Scrolls the text view so that the line of the "compare-follow" mark is at the top, or as
 * close to it as its adjustment allows, and notes whether it got there. */
static void
scroll_to_follow_mark (SichtungDocumentPane *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextMark *mark = gtk_text_buffer_get_mark (buffer, "compare-follow");
  GtkAdjustment *vadjustment = self->follow_adjustment;
  GtkTextIter iter;
  double last, top;
  int y;

  self->follow_reached = FALSE;
  if (mark == NULL || gtk_widget_get_height (GTK_WIDGET (self->text_view)) == 0)
    return;
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, mark);
  gtk_text_view_get_line_yrange (self->text_view, &iter, &y, NULL);
  last = gtk_adjustment_get_upper (vadjustment) - gtk_adjustment_get_page_size (vadjustment);
  top = y + gtk_text_view_get_top_margin (self->text_view);
  gtk_adjustment_set_value (vadjustment, MIN (top, last));
  self->follow_reached = top <= last;
}

/* The text view's adjustment changed (@layout_changed: its range or page size) or moved. Its
 * first size counts as a change of layout: the signal that brings it finds the height set. */
static void
follow_adjustment_cb (SichtungDocumentPane *self,
                      gboolean              layout_changed)
{
  gint64 now = g_get_monotonic_time ();
  gboolean sized = gtk_widget_get_height (GTK_WIDGET (self->text_view)) > 0;

  if (sized && self->follow_sized && self->follow_reached && now > self->follow_until)
    {
      stop_follow (self);
      return;
    }
  if (!sized || !self->follow_sized || layout_changed)
    self->follow_until = now + FOLLOW_PENDING_US;
  self->follow_sized = sized;
  scroll_to_follow_mark (self);
}

/* The adjustment's range or page size changed: the view got a size or measured more lines. */
static void
follow_adjustment_changed_cb (SichtungDocumentPane *self)
{
  follow_adjustment_cb (self, TRUE);
}

/* The adjustment was moved: by GtkTextView's own scrolling, or by scroll_to_follow_mark(). */
static void
follow_adjustment_value_cb (SichtungDocumentPane *self)
{
  follow_adjustment_cb (self, FALSE);
}

static gboolean
follow_scroll_cb (GtkEventControllerScroll *controller,
                  double                    dx,
                  double                    dy,
                  SichtungDocumentPane     *self)
{
  stop_follow (self);
  return FALSE; /* only watching: the view scrolls */
}

static void
follow_pressed_cb (GtkGestureClick      *gesture,
                   int                   n_press,
                   double                x,
                   double                y,
                   SichtungDocumentPane *self)
{
  stop_follow (self);
}

static gboolean
follow_key_cb (GtkEventControllerKey *controller,
               guint                  keyval,
               guint                  keycode,
               GdkModifierType        state,
               SichtungDocumentPane  *self)
{
  stop_follow (self);
  return FALSE;
}

void
_sichtung_document_pane_init_changes (SichtungDocumentPane *self)
{
  /* The scrolled window, scroll bars included. */
  GtkWidget *scroller = gtk_widget_get_parent (GTK_WIDGET (self->text_view));
  GtkEventController *controller;

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "scroll", G_CALLBACK (follow_scroll_cb), self);
  gtk_widget_add_controller (scroller, controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (controller), 0);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "pressed", G_CALLBACK (follow_pressed_cb), self);
  gtk_widget_add_controller (scroller, controller);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (follow_key_cb), self);
  gtk_widget_add_controller (scroller, controller);
}

void
sichtung_document_pane_scroll_text_to_offset (SichtungDocumentPane *self,
                                              gsize                 cp_offset)
{
  GtkTextBuffer *buffer;
  GtkTextMark *mark;
  GtkTextIter iter;

  g_return_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self));

  if (self->text_pages->len == 0)
    return;

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_iter_at_offset (buffer, &iter,
                                      buffer_offset (&g_array_index (self->text_pages, TextPage,
                                                                     text_page_at (self,
                                                                                   cp_offset)),
                                                     cp_offset));
  gtk_text_iter_set_line_offset (&iter, 0);
  mark = gtk_text_buffer_get_mark (buffer, "compare-follow");
  if (mark == NULL)
    mark = gtk_text_buffer_create_mark (buffer, "compare-follow", &iter, TRUE);
  else
    gtk_text_buffer_move_mark (buffer, mark, &iter);
  stop_follow (self);
  self->follow_adjustment =
    g_object_ref (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->text_view)));
  self->follow_until = g_get_monotonic_time () + FOLLOW_PENDING_US;
  self->follow_sized = gtk_widget_get_height (GTK_WIDGET (self->text_view)) > 0;
  g_signal_connect_swapped (self->follow_adjustment, "changed",
                            G_CALLBACK (follow_adjustment_changed_cb), self);
  g_signal_connect_swapped (self->follow_adjustment, "value-changed",
                            G_CALLBACK (follow_adjustment_value_cb), self);
  scroll_to_follow_mark (self);
}
