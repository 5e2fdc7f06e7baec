/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-document-pane-manual.c: findings the person marks by hand, where the analysis missed
 * something.
 *
 * Two ways lead to the same dialog (SichtungFindingDialog): text selected in the text view
 * ("Mark as Finding…" in its context menu, Ctrl+M), and a box drawn on a page of the page view
 * (box mode, or Shift+drag). Either becomes a span of one page: byte offsets into the page's
 * text as the case store keeps it, the text, and the boxes it covers on the page, one per
 * line, as the analysis computes them. A box over no text (a stamp, a signature) is a finding
 * too: it has its box and no text.
 *
 * The finding is stored first (sichtung_finding_item_new_manual()) and only then shown, like
 * every decision; a store that refuses it is reported as decisions are. Marking by hand needs
 * the document to be in a case.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <glib/gi18n.h>

#include "sichtung-document-pane-private.h"

/* Where a finding marked by hand lies: one page, byte offsets into its text. */
typedef struct
{
  guint   page;
  gsize   start;   /* [start, end); equal for a box without text */
  gsize   end;
  char   *text;    /* NULL for a box without text */
  GArray *boxes;   /* ScRect in points */
} ManualSpan;

static void
manual_span_clear (ManualSpan *span)
{
  g_clear_pointer (&span->text, g_free);
  g_clear_pointer (&span->boxes, g_array_unref);
}

/* One box per line, as the analysis makes them: the rectangles of consecutive characters
 * on the same line, joined; characters laid out nowhere are skipped. */
static GArray *
boxes_for_span (GArray *layout,
                glong   cp_start,
                glong   cp_end)
{
  GArray *boxes = g_array_new (FALSE, FALSE, sizeof (ScRect));

  for (glong i = cp_start; i < cp_end && (guint) i < layout->len; i++)
    {
      const ScRect *r = &g_array_index (layout, ScRect, i);
      ScRect *last = boxes->len > 0 ? &g_array_index (boxes, ScRect, boxes->len - 1) : NULL;

      if (r->width <= 0 && r->height <= 0)
        continue;

      if (last != NULL
          && ABS ((r->y + r->height / 2) - (last->y + last->height / 2))
             <= MAX (r->height, last->height) / 2
          && r->x >= last->x - 1)
        {
          double left = MIN (last->x, r->x);
          double top = MIN (last->y, r->y);
          double right = MAX (last->x + last->width, r->x + r->width);
          double bottom = MAX (last->y + last->height, r->y + r->height);

          *last = (ScRect) { left, top, right - left, bottom - top };
          continue;
        }
      g_array_append_val (boxes, *r);
    }
  return boxes;
}

/* Fills @span with code points [@cp_start, @cp_end) of @text, the text of @page laid out as
 * @layout, without white space at either end. FALSE when nothing but white space is left. */
static gboolean
span_from_code_points (const char *text,
                       GArray     *layout,
                       guint       page,
                       glong       cp_start,
                       glong       cp_end,
                       ManualSpan *span)
{
  glong n_chars = g_utf8_strlen (text, -1);
  const char *from, *to;

  cp_start = CLAMP (cp_start, 0, n_chars);
  cp_end = CLAMP (cp_end, cp_start, n_chars);
  from = g_utf8_offset_to_pointer (text, cp_start);
  to = g_utf8_offset_to_pointer (text, cp_end);

  while (cp_start < cp_end && g_unichar_isspace (g_utf8_get_char (from)))
    {
      from = g_utf8_next_char (from);
      cp_start++;
    }
  while (cp_end > cp_start && g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (to))))
    {
      to = g_utf8_prev_char (to);
      cp_end--;
    }
  if (cp_start == cp_end)
    return FALSE;

  span->page = page;
  span->start = (gsize) (from - text);
  span->end = (gsize) (to - text);
  span->text = g_strndup (from, span->end - span->start);
  span->boxes = boxes_for_span (layout, cp_start, cp_end);
  return TRUE;
}

/* The text selected in the text view as a span of the page where the selection starts; a
 * selection running over a page break ends there. */
static gboolean
span_from_selection (SichtungDocumentPane *self,
                     ManualSpan           *span)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;
  int from, to;

  if (self->document == NULL || !gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    return FALSE;

  from = gtk_text_iter_get_offset (&start);
  to = gtk_text_iter_get_offset (&end);
  for (guint i = 0; i < self->text_pages->len; i++)
    {
      const TextPage *page = &g_array_index (self->text_pages, TextPage, i);
      g_autofree char *text = NULL;
      g_autoptr(GArray) layout = NULL;
      int page_end = page->buffer_start + page->length;

      if (to <= page->buffer_start || from >= page_end)
        continue;

      layout = sc_document_get_page_layout (self->document, i, &text);
      return span_from_code_points (text, layout, i,
                                    (glong) page->lead + MAX (from, page->buffer_start)
                                    - page->buffer_start,
                                    (glong) page->lead + MIN (to, page_end) - page->buffer_start,
                                    span);
    }
  return FALSE;
}

/* The words in @rect on @page as a span: every word with a character whose middle lies in the
 * box, from the first to the last in reading order. Without any, the box alone. */
static void
span_from_box (SichtungDocumentPane *self,
               guint                 page,
               const ScRect         *rect,
               ManualSpan           *span)
{
  g_autofree char *text = NULL;
  g_autoptr(GArray) layout = sc_document_get_page_layout (self->document, page, &text);
  g_autofree gunichar *chars = g_utf8_to_ucs4_fast (text, -1, NULL);
  glong first = -1, last = -1;

  for (guint i = 0; i < layout->len && chars[i] != 0; i++)
    {
      const ScRect *r = &g_array_index (layout, ScRect, i);
      double x = r->x + r->width / 2;
      double y = r->y + r->height / 2;

      if ((r->width <= 0 && r->height <= 0) || g_unichar_isspace (chars[i]))
        continue;
      if (x >= rect->x && x <= rect->x + rect->width
          && y >= rect->y && y <= rect->y + rect->height)
        {
          if (first < 0)
            first = i;
          last = i;
        }
    }

  if (first >= 0)
    {
      /* A box cutting through a word takes all of it. */
      while (first > 0 && !g_unichar_isspace (chars[first - 1]))
        first--;
      while (chars[last + 1] != 0 && !g_unichar_isspace (chars[last + 1]))
        last++;
      if (span_from_code_points (text, layout, page, first, last + 1, span))
        return;
    }

  span->page = page;
  span->start = span->end = 0;
  span->text = NULL;
  span->boxes = g_array_new (FALSE, FALSE, sizeof (ScRect));
  g_array_append_val (span->boxes, *rect);
}

/* ------------------------------------------------------------------------------------------ */
/* The dialog                                                                                 */

/* What storing the finding needs once the dialog answers. The pane is held weakly. */
typedef struct
{
  GWeakRef   pane;
  gint64     document_id;
  ManualSpan span;
} MarkData;

static void
mark_data_free (MarkData *data)
{
  g_weak_ref_clear (&data->pane);
  manual_span_clear (&data->span);
  g_free (data);
}

static void
mark_response_cb (SichtungFindingDialog *dialog,
                  const char            *response,
                  MarkData              *data)
{
  g_autoptr(SichtungDocumentPane) self = g_weak_ref_get (&data->pane);
  g_autoptr(SichtungFindingItem) item = NULL;
  g_autoptr(GError) error = NULL;
  ScStoreSpan span = { 0 };

  if (self == NULL || g_strcmp0 (response, SICHTUNG_FINDING_DIALOG_RESPONSE_CONFIRM) != 0)
    return;
  /* Another document is shown by now. */
  if (self->store == NULL || self->document_id != data->document_id)
    return;

  /* The store takes the text of a span from its own copy of the page. */
  span.page = data->span.page;
  span.start = data->span.start;
  span.end = data->span.end;
  span.boxes = data->span.boxes;
  item = sichtung_finding_item_new_manual (self->store, data->document_id,
                                           sichtung_finding_dialog_get_category (dialog), &span,
                                           sichtung_finding_dialog_get_reason (dialog),
                                           sichtung_finding_dialog_get_legal_basis (dialog),
                                           &error);
  if (item == NULL)
    {
      _sichtung_document_pane_report_store_error (self, error->message);
      return;
    }

  _sichtung_document_pane_add_finding (self, item);
}

/* Asks how to mark @span (taken) as a finding. */
static void
open_dialog (SichtungDocumentPane *self,
             ManualSpan           *span)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  SichtungFindingDialog *dialog;
  MarkData *data;

  if (self->finding_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->finding_dialog));

  dialog = sichtung_finding_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, FALSE);
  sichtung_finding_dialog_set_subject (dialog, span->text, span->page);

  data = g_new0 (MarkData, 1);
  g_weak_ref_init (&data->pane, self);
  data->document_id = self->document_id;
  data->span = *span;
  *span = (ManualSpan) { 0 };
  g_signal_connect_data (dialog, "response", G_CALLBACK (mark_response_cb),
                         data, (GClosureNotify) (void (*) (void)) mark_data_free, 0);

  self->finding_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->finding_dialog);

  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------------------------ */
/* Selections and boxes                                                                       */

static gboolean
can_mark (SichtungDocumentPane *self)
{
  return self->document != NULL && self->store != NULL && self->document_id > 0;
}

static void
mark_selection_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SichtungDocumentPane *self = SICHTUNG_DOCUMENT_PANE (widget);
  ManualSpan span = { 0 };

  if (!can_mark (self) || !span_from_selection (self, &span))
    return;

  open_dialog (self, &span);
}

static void
box_drawn_cb (SichtungDocumentPane *self,
              guint                 page,
              double                x,
              double                y,
              double                width,
              double                height)
{
  ScRect rect = { x, y, width, height };
  ManualSpan span = { 0 };

  if (!can_mark (self) || page >= sc_document_get_n_pages (self->document))
    return;

  span_from_box (self, page, &rect, &span);
  open_dialog (self, &span);
}

static void
selection_changed_cb (SichtungDocumentPane *self)
{
  _sichtung_document_pane_update_manual_actions (self);
}

void
_sichtung_document_pane_update_manual_actions (SichtungDocumentPane *self)
{
  GtkTextBuffer *buffer;
  gboolean page_mode = self->view_mode == VIEW_MODE_PAGE;

  /* Disposed. */
  if (self->text_view == NULL)
    return;

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pane.mark-selection",
                                 can_mark (self) && !page_mode
                                 && gtk_text_buffer_get_has_selection (buffer));

  /* Boxes are drawn on pages. */
  if (!can_mark (self) || !page_mode)
    sichtung_document_view_set_box_mode (self->view, FALSE);
  gtk_widget_set_sensitive (self->box_button, can_mark (self) && page_mode);
}

void
_sichtung_document_pane_class_init_manual (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "pane.mark-selection", NULL,
                                   mark_selection_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK,
                                       "pane.mark-selection", NULL);
}

void
_sichtung_document_pane_init_manual (SichtungDocumentPane *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);

  g_menu_append (menu, _("_Mark as Finding…"), "pane.mark-selection");
  gtk_text_view_set_extra_menu (self->text_view, G_MENU_MODEL (menu));

  g_signal_connect_object (buffer, "notify::has-selection", G_CALLBACK (selection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "box-drawn", G_CALLBACK (box_drawn_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self, "notify::document-id", G_CALLBACK (selection_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

void
_sichtung_document_pane_dispose_manual (SichtungDocumentPane *self)
{
  if (self->finding_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->finding_dialog));
}
