/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-document-view-box.c: drawing a box on a page of SichtungDocumentView, to mark a
 * finding by hand where selecting text does not reach (a stamp, a signature, a scanned line).
 *
 * A drag that starts on a page draws a box there in box mode, or with Shift held in any mode;
 * the box stays on its page (it is kept in points, so scrolling during the drag does not move
 * it) and is cut at the page's edges. Releasing emits the view's "box-drawn"; Escape drops the
 * box being drawn, and pressed again leaves box mode. The gesture runs in the capture phase
 * and claims the press, so the view's click gesture never takes a box for a click.
 */
#define G_LOG_DOMAIN "sichtung-view"

#include "config.h"

#include <math.h>

#include "sichtung-document-view-private.h"

/* Smaller than this on either side, in logical pixels, a drag was meant as a click. */
#define MIN_BOX_PX 4.0

struct _SichtungViewBox
{
  SichtungDocumentView *view;     /* owns the box */
  GtkGesture           *drag;     /* owned by the view */
  GtkEventController   *keys;     /* owned by the view */

  gboolean              drawing;
  guint                 page;
  double                x0, y0;   /* where the drag started, in points on page */
  double                x1, y1;   /* where it is now */
};

/* Follows the pointer, @offset_x, @offset_y from the start of the drag. */
static void
update_end (SichtungViewBox *box,
            double           offset_x,
            double           offset_y)
{
  double start_x, start_y, origin_x, origin_y, px_per_pt, width, height;

  if (!gtk_gesture_drag_get_start_point (GTK_GESTURE_DRAG (box->drag), &start_x, &start_y)
      || !_sichtung_document_view_get_page_origin (box->view, box->page, &origin_x, &origin_y,
                                                   &px_per_pt))
    return;

  _sichtung_document_view_get_page_size (box->view, box->page, &width, &height);
  box->x1 = CLAMP ((start_x + offset_x - origin_x) / px_per_pt, 0, width);
  box->y1 = CLAMP ((start_y + offset_y - origin_y) / px_per_pt, 0, height);
  gtk_widget_queue_draw (GTK_WIDGET (box->view));
}

static void
drag_begin_cb (GtkGestureDrag  *gesture,
               double           x,
               double           y,
               SichtungViewBox *box)
{
  GdkModifierType state;
  double x_pt, y_pt;
  guint page;

  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  if ((!sichtung_document_view_get_box_mode (box->view) && (state & GDK_SHIFT_MASK) == 0)
      || !_sichtung_document_view_get_page_at (box->view, x, y, &page, &x_pt, &y_pt))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  /* For Escape. */
  gtk_widget_grab_focus (GTK_WIDGET (box->view));

  box->drawing = TRUE;
  box->page = page;
  box->x0 = box->x1 = x_pt;
  box->y0 = box->y1 = y_pt;
  gtk_widget_queue_draw (GTK_WIDGET (box->view));
}

static void
drag_update_cb (GtkGestureDrag  *gesture,
                double           offset_x,
                double           offset_y,
                SichtungViewBox *box)
{
  if (box->drawing)
    update_end (box, offset_x, offset_y);
}

static void
drag_end_cb (GtkGestureDrag  *gesture,
             double           offset_x,
             double           offset_y,
             SichtungViewBox *box)
{
  double origin_x, origin_y, px_per_pt;
  ScRect rect;

  if (!box->drawing)
    return;

  update_end (box, offset_x, offset_y);
  box->drawing = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (box->view));

  if (!_sichtung_document_view_get_page_origin (box->view, box->page, &origin_x, &origin_y,
                                                &px_per_pt)
      || fabs (box->x1 - box->x0) * px_per_pt < MIN_BOX_PX
      || fabs (box->y1 - box->y0) * px_per_pt < MIN_BOX_PX)
    return;

  rect.x = MIN (box->x0, box->x1);
  rect.y = MIN (box->y0, box->y1);
  rect.width = fabs (box->x1 - box->x0);
  rect.height = fabs (box->y1 - box->y0);
  sichtung_document_view_draw_box (box->view, box->page, &rect);
}

static void
drag_cancel_cb (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                SichtungViewBox  *box)
{
  box->drawing = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (box->view));
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SichtungViewBox       *box)
{
  if (keyval != GDK_KEY_Escape)
    return GDK_EVENT_PROPAGATE;

  if (box->drawing)
    {
      _sichtung_view_box_cancel (box);
      return GDK_EVENT_STOP;
    }
  if (sichtung_document_view_get_box_mode (box->view))
    {
      sichtung_document_view_set_box_mode (box->view, FALSE);
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

SichtungViewBox *
_sichtung_view_box_new (SichtungDocumentView *view)
{
  SichtungViewBox *box = g_new0 (SichtungViewBox, 1);

  box->view = view;

  box->drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (box->drag), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (box->drag),
                                              GTK_PHASE_CAPTURE);
  g_signal_connect (box->drag, "drag-begin", G_CALLBACK (drag_begin_cb), box);
  g_signal_connect (box->drag, "drag-update", G_CALLBACK (drag_update_cb), box);
  g_signal_connect (box->drag, "drag-end", G_CALLBACK (drag_end_cb), box);
  g_signal_connect (box->drag, "cancel", G_CALLBACK (drag_cancel_cb), box);
  gtk_widget_add_controller (GTK_WIDGET (view), GTK_EVENT_CONTROLLER (box->drag));

  box->keys = gtk_event_controller_key_new ();
  g_signal_connect (box->keys, "key-pressed", G_CALLBACK (key_pressed_cb), box);
  gtk_widget_add_controller (GTK_WIDGET (view), box->keys);

  return box;
}

void
_sichtung_view_box_free (SichtungViewBox *box)
{
  /* The view keeps its controllers until it is finalized. */
  g_signal_handlers_disconnect_by_data (box->drag, box);
  g_signal_handlers_disconnect_by_data (box->keys, box);
  g_free (box);
}

void
_sichtung_view_box_cancel (SichtungViewBox *box)
{
  if (box == NULL || !box->drawing)
    return;

  box->drawing = FALSE;
  gtk_event_controller_reset (GTK_EVENT_CONTROLLER (box->drag));
  gtk_widget_queue_draw (GTK_WIDGET (box->view));
}

void
_sichtung_view_box_snapshot (SichtungViewBox *box,
                             GtkSnapshot     *snapshot,
                             guint            page,
                             double           x,
                             double           y,
                             double           px_per_pt)
{
  /* The accent blue of the selection, filled lightly so the text stays readable. */
  static const GdkRGBA fill = { 0.21, 0.52, 0.89, 0.2 };
  static const GdkRGBA edge = { 0.21, 0.52, 0.89, 1.0 };
  const float widths[4] = { 1, 1, 1, 1 };
  const GdkRGBA colors[4] = { edge, edge, edge, edge };
  graphene_rect_t rect;
  GskRoundedRect outline;

  if (box == NULL || !box->drawing || box->page != page)
    return;

  rect = GRAPHENE_RECT_INIT (x + MIN (box->x0, box->x1) * px_per_pt,
                             y + MIN (box->y0, box->y1) * px_per_pt,
                             fabs (box->x1 - box->x0) * px_per_pt,
                             fabs (box->y1 - box->y0) * px_per_pt);
  gtk_snapshot_append_color (snapshot, &fill, &rect);
  gsk_rounded_rect_init_from_rect (&outline, &rect, 0);
  gtk_snapshot_append_border (snapshot, &outline, widths, colors);
}
