/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-compare.c: compare mode of the main window.
 *
 * While active, the documents of the left pane (side A) and the right pane (side B) are
 * compared on a worker thread with sc_compare_documents(), which also lays out the pages to
 * turn each change into boxes on its page and to note where each line of text lies, for
 * scrolling by paragraph. The finished comparison goes to both panes, each showing its side,
 * and a toast says how many differences there are.
 *
 * Findings are linked across the panes with sc_compare_link_findings(): selecting one in a
 * pane selects (and so scrolls to) its counterpart in the other, the one nearest to the matched
 * paragraph. Only the pane's own selection is touched, never the window's findings list, which
 * follows the active pane; a flag keeps the counterpart's selection from linking back.
 */
#define G_LOG_DOMAIN "sichtung-compare"

#include "config.h"

#include <glib/gi18n.h>

#include "sichtung-compare.h"
#include "sichtung-window.h"

/* Where a line of text starts, to turn a scroll position into a code point and back. */
typedef struct
{
  guint  page;
  double y;     /* top of the line, points from the top of the page */
  gsize  cp;    /* its first code point in the document text */
} LineStart;

struct _SichtungCompare
{
  GObject               parent_instance;

  SichtungDocumentPane *panes[2];     /* by ScCompareSide */
  GSimpleAction        *action;
  gboolean              active;
  gboolean              linking;      /* selecting a counterpart: do not link back */
  gboolean              following;    /* scrolling the other text view: do not follow back */

  GCancellable         *cancellable;  /* the comparison in flight */
  ScComparison         *comparison;   /* the finished one, or NULL */
  GArray               *lines[2];     /* LineStart per side, in reading order */
};

G_DEFINE_FINAL_TYPE (SichtungCompare, sichtung_compare, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ACTIVE,
  PROP_COMPARISON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------------------------ */
/* The comparison, on a worker thread                                                         */

typedef struct
{
  ScDocument   *documents[2];
} CompareInput;

typedef struct
{
  ScComparison *comparison;
  GArray       *marks[2];  /* SichtungChangeMark, in page order */
  GArray       *lines[2];  /* LineStart */
} CompareResult;

static void
compare_input_free (CompareInput *input)
{
  g_clear_object (&input->documents[0]);
  g_clear_object (&input->documents[1]);
  g_free (input);
}

static void
compare_result_free (CompareResult *result)
{
  g_clear_pointer (&result->comparison, sc_comparison_unref);
  for (guint s = 0; s < 2; s++)
    {
      g_clear_pointer (&result->marks[s], g_array_unref);
      g_clear_pointer (&result->lines[s], g_array_unref);
    }
  g_free (result);
}

static gboolean
has_area (const ScRect *r)
{
  return r->width > 0 || r->height > 0;
}

/* Appends one box per line to @marks for the code points [@from, @to) of a page laid out as
 * @char_boxes: the rectangles of consecutive characters on one line, joined. */
static void
append_boxes (GArray                   *marks,
              GArray                   *char_boxes,
              gsize                     from,
              gsize                     to,
              const SichtungChangeMark *template,
              gboolean                 *first)
{
  SichtungChangeMark *last = NULL;

  for (gsize i = from; i < to && i < char_boxes->len; i++)
    {
      const ScRect *r = &g_array_index (char_boxes, ScRect, i);

      if (!has_area (r))
        continue;
      if (last != NULL)
        {
          double mid = r->y + r->height / 2;
          double last_mid = last->rect.y + last->rect.height / 2;

          if (ABS (mid - last_mid) <= MAX (r->height, last->rect.height) / 2
              && r->x >= last->rect.x - 1)
            {
              double left = MIN (last->rect.x, r->x);
              double top = MIN (last->rect.y, r->y);
              double right = MAX (last->rect.x + last->rect.width, r->x + r->width);
              double bottom = MAX (last->rect.y + last->rect.height, r->y + r->height);

              last->rect = (ScRect) { left, top, right - left, bottom - top };
              continue;
            }
        }
      g_array_append_val (marks, *template);
      last = &g_array_index (marks, SichtungChangeMark, marks->len - 1);
      last->rect = *r;
      last->first = *first;
      *first = FALSE;
    }
}

/* The code point where each page starts in @text (pages each followed by '\f'). */
static GArray *
page_starts (const char *text)
{
  GArray *starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize cp = 0;

  g_array_append_val (starts, cp);
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      cp++;
      if (*p == '\f')
        g_array_append_val (starts, cp);
    }
  return starts;
}

/* Lays out the pages of @side's @document once for the boxes of its changes and the starts
 * of its lines. FALSE when cancelled. */
static gboolean
lay_out_side (CompareResult *result,
              ScCompareSide  side,
              ScDocument    *document,
              GCancellable  *cancellable)
{
  guint n_pages = sc_document_get_n_pages (document);
  g_autoptr(GArray) starts = page_starts (sc_comparison_get_text (result->comparison, side));
  g_autoptr(GPtrArray) layouts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  GArray *changes = sc_comparison_get_changes (result->comparison);
  GArray *marks = g_array_new (FALSE, FALSE, sizeof (SichtungChangeMark));
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (LineStart));

  result->marks[side] = marks;
  result->lines[side] = lines;
  n_pages = MIN (n_pages, starts->len);

  for (guint p = 0; p < n_pages; p++)
    {
      GArray *boxes;
      double line_mid = 0, line_height = 0;
      gboolean in_line = FALSE;

      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;

      boxes = sc_document_get_page_layout (document, p, NULL);
      g_ptr_array_add (layouts, boxes);
      for (guint i = 0; i < boxes->len; i++)
        {
          const ScRect *r = &g_array_index (boxes, ScRect, i);
          double mid = r->y + r->height / 2;

          if (!has_area (r))
            continue;
          if (!in_line || ABS (mid - line_mid) > MAX (r->height, line_height) / 2)
            {
              LineStart line = { p, r->y, g_array_index (starts, gsize, p) + i };

              g_array_append_val (lines, line);
              in_line = TRUE;
            }
          line_mid = mid;
          line_height = r->height;
        }
    }

  for (guint i = 0; i < changes->len; i++)
    {
      const ScCompareChange *change = &g_array_index (changes, ScCompareChange, i);
      const ScCompareRange *range = side == SC_COMPARE_SIDE_A ? &change->a : &change->b;
      SichtungChangeMark template = { 0 };
      gboolean first = TRUE;

      if (range->cp_end <= range->cp_start)
        continue; /* the place of text only the other side has */

      template.kind = change->kind;
      template.cp_start = range->cp_start;
      template.cp_end = range->cp_end;
      for (guint p = range->page; p < n_pages; p++)
        {
          gsize page_start = g_array_index (starts, gsize, p);
          gsize from, to;

          if (page_start >= range->cp_end)
            break;
          from = MAX (range->cp_start, page_start) - page_start;
          to = range->cp_end - page_start;
          template.page = p;
          append_boxes (marks, g_ptr_array_index (layouts, p), from, to, &template, &first);
        }
    }
  return TRUE;
}

static int
compare_marks (gconstpointer a,
               gconstpointer b)
{
  const SichtungChangeMark *ma = a;
  const SichtungChangeMark *mb = b;

  return (ma->page > mb->page) - (ma->page < mb->page);
}

static void
compare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CompareInput *input = task_data;
  CompareResult *result = g_new0 (CompareResult, 1);
  GError *error = NULL;

  result->comparison = sc_compare_documents (input->documents[0], input->documents[1],
                                             cancellable, &error);
  if (result->comparison == NULL)
    {
      compare_result_free (result);
      g_task_return_error (task, error);
      return;
    }

  for (guint s = 0; s < 2; s++)
    {
      if (!lay_out_side (result, s, input->documents[s], cancellable))
        {
          compare_result_free (result);
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
          return;
        }
      /* Changes come in the order of the alignment, which is reading order on each side;
       * sorting only guards the page order the view relies on. */
      g_array_sort (result->marks[s], compare_marks);
    }
  g_task_return_pointer (task, result, (GDestroyNotify) compare_result_free);
}

static void
show_changes (SichtungCompare *self,
              CompareResult   *result)
{
  for (guint s = 0; s < 2; s++)
    sichtung_document_pane_set_changes (self->panes[s],
                                        result != NULL ? result->comparison : NULL,
                                        s,
                                        result != NULL ? result->marks[s] : NULL);
}

/* A finished comparison is completed work: a toast in the panes' window says what it found. */
static void
announce (SichtungCompare *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self->panes[0]));
  guint n = sc_comparison_get_changes (self->comparison)->len;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (!SICHTUNG_IS_WINDOW (root))
    return;

  if (n == 0)
    title = g_strdup (_("The two documents have the same text"));
  else
    /* Translators: a toast once two documents are compared; a difference is a word or
     * passage added, removed or changed. */
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u difference between the documents",
                                          "%u differences between the documents", n),
                             n);
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 3);
  sichtung_window_add_toast (SICHTUNG_WINDOW (root), toast);
}

static void
compare_cb (GObject      *object,
            GAsyncResult *async_result,
            gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(SichtungCompare) self = g_weak_ref_get (ref);
  g_autoptr(GError) error = NULL;
  CompareResult *result = g_task_propagate_pointer (G_TASK (async_result), &error);

  g_weak_ref_clear (ref);
  g_free (ref);

  /* A newer comparison, or none, is wanted now. */
  if (self == NULL || g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (async_result))))
    {
      g_clear_pointer (&result, compare_result_free);
      return;
    }
  g_clear_object (&self->cancellable);
  if (result == NULL)
    {
      g_warning ("The documents could not be compared: %s", error->message);
      return;
    }

  self->comparison = sc_comparison_ref (result->comparison);
  for (guint s = 0; s < 2; s++)
    self->lines[s] = g_array_ref (result->lines[s]);
  show_changes (self, result);
  compare_result_free (result);
  announce (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPARISON]);
}

/* Drops the comparison shown or in flight and the differences in both panes. */
static void
clear_comparison (SichtungCompare *self)
{
  gboolean had = self->comparison != NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->comparison, sc_comparison_unref);
  for (guint s = 0; s < 2; s++)
    g_clear_pointer (&self->lines[s], g_array_unref);
  if (self->panes[0] != NULL)
    show_changes (self, NULL);
  if (had)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPARISON]);
}

static gboolean
both_documents (SichtungCompare *self)
{
  return sichtung_document_pane_get_document (self->panes[0]) != NULL
         && sichtung_document_pane_get_document (self->panes[1]) != NULL;
}

static void
start_comparison (SichtungCompare *self)
{
  g_autoptr(GTask) task = NULL;
  CompareInput *input;
  GWeakRef *ref;

  clear_comparison (self);
  if (!self->active || !both_documents (self))
    return;

  input = g_new0 (CompareInput, 1);
  for (guint s = 0; s < 2; s++)
    input->documents[s] = g_object_ref (sichtung_document_pane_get_document (self->panes[s]));

  /* Held weakly: closing the window drops the result of a comparison still running. */
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->cancellable, compare_cb, ref);
  g_task_set_source_tag (task, start_comparison);
  g_task_set_task_data (task, input, (GDestroyNotify) compare_input_free);
  g_task_run_in_thread (task, compare_thread);
}

static void
pane_document_cb (SichtungCompare *self)
{
  g_simple_action_set_enabled (self->action, both_documents (self));
  if (!both_documents (self))
    sichtung_compare_set_active (self, FALSE);
  else if (self->active)
    start_comparison (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Linked findings                                                                            */

/* The findings of @pane as ScPageFinding, in the order of its model. */
static GPtrArray *
page_findings (SichtungDocumentPane *pane)
{
  GListModel *model = sichtung_document_pane_get_findings (pane);
  guint n = g_list_model_get_n_items (model);
  GPtrArray *findings = g_ptr_array_sized_new (n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SichtungFindingItem) item = g_list_model_get_item (model, i);

      g_ptr_array_add (findings, sichtung_finding_item_get_page_finding (item));
    }
  return findings;
}

static gboolean counterpart_cp (ScComparison  *comparison,
                                ScCompareSide  side,
                                int            index,
                                gsize          cp,
                                gsize         *target);

/* The finding of the pane opposite @side that @item of @side links to, or NULL: the one the
 * other pane has selected already, else the one nearest to where the matched paragraph puts
 * @item (the same person in the corresponding sentence, not the first mention), else the
 * first. */
static SichtungFindingItem *
find_counterpart (SichtungCompare     *self,
                  ScCompareSide        side,
                  SichtungFindingItem *item)
{
  g_autoptr(GPtrArray) findings_a = page_findings (self->panes[0]);
  g_autoptr(GPtrArray) findings_b = page_findings (self->panes[1]);
  ScPageFinding *finding = sichtung_finding_item_get_page_finding (item);
  SichtungDocumentPane *other = self->panes[1 - side];
  GListModel *other_model = sichtung_document_pane_get_findings (other);
  SichtungFindingItem *selected = sichtung_document_pane_get_selected_finding (other);
  GPtrArray *theirs_findings = side == SC_COMPARE_SIDE_A ? findings_b : findings_a;
  g_autoptr(GArray) links = NULL;
  gboolean have_target = FALSE;
  gsize target = 0;
  guint index;
  int best = -1;
  gsize best_distance = G_MAXSIZE;

  if (!g_ptr_array_find (side == SC_COMPARE_SIDE_A ? findings_a : findings_b, finding, &index))
    return NULL;
  if (self->comparison != NULL)
    {
      int paragraph = sc_comparison_find_paragraph (self->comparison, side, finding->doc_start);

      have_target = paragraph >= 0 && counterpart_cp (self->comparison, side, paragraph,
                                                      finding->doc_start, &target);
    }

  links = sc_compare_link_findings (findings_a, findings_b);
  for (guint i = 0; i < links->len; i++)
    {
      const ScCompareLink *link = &g_array_index (links, ScCompareLink, i);
      guint mine = side == SC_COMPARE_SIDE_A ? link->a : link->b;
      guint theirs = side == SC_COMPARE_SIDE_A ? link->b : link->a;
      g_autoptr(SichtungFindingItem) candidate = NULL;
      gsize distance;

      if (mine != index)
        continue;
      candidate = g_list_model_get_item (other_model, theirs);
      if (candidate == selected)
        return g_steal_pointer (&candidate);
      if (have_target && theirs < theirs_findings->len)
        {
          gsize start = ((ScPageFinding *) g_ptr_array_index (theirs_findings, theirs))->doc_start;

          distance = start > target ? start - target : target - start;
        }
      else
        distance = theirs;
      if (best < 0 || distance < best_distance)
        {
          best = (int) theirs;
          best_distance = distance;
        }
    }
  return best >= 0 ? g_list_model_get_item (other_model, best) : NULL;
}

static void
pane_selected_finding_cb (SichtungCompare      *self,
                          GParamSpec           *pspec,
                          SichtungDocumentPane *pane)
{
  ScCompareSide side = pane == self->panes[0] ? SC_COMPARE_SIDE_A : SC_COMPARE_SIDE_B;
  SichtungFindingItem *item = sichtung_document_pane_get_selected_finding (pane);
  g_autoptr(SichtungFindingItem) counterpart = NULL;

  if (!self->active || self->linking || item == NULL)
    return;

  counterpart = find_counterpart (self, side, item);
  if (counterpart == NULL
      || counterpart == sichtung_document_pane_get_selected_finding (self->panes[1 - side]))
    return;

  self->linking = TRUE;
  sichtung_document_pane_set_selected_finding (self->panes[1 - side], counterpart);
  self->linking = FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* Scrolling by paragraph                                                                     */

/* The code point of the last line that starts at or above @y on @page, or FALSE when no line
 * does. */
static gboolean
cp_at_position (GArray *lines,
                guint   page,
                double  y,
                gsize  *cp)
{
  guint lo = 0, hi = lines->len;

  /* The first line after (page, y). */
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      const LineStart *line = &g_array_index (lines, LineStart, mid);

      if (line->page < page || (line->page == page && line->y <= y + 0.5))
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == 0)
    return FALSE;
  *cp = g_array_index (lines, LineStart, lo - 1).cp;
  return TRUE;
}

/* The line that holds code point @cp. Needs a line. */
static const LineStart *
line_at_cp (GArray *lines,
            gsize   cp)
{
  guint lo = 0, hi = lines->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (lines, LineStart, mid).cp <= cp)
        lo = mid + 1;
      else
        hi = mid;
    }
  return &g_array_index (lines, LineStart, lo > 0 ? lo - 1 : 0);
}

/* The code point of the other side to show for code point @cp of paragraph @index of @side:
 * the same share into the matched paragraph, or, for a paragraph only @side has, the end of
 * the matched paragraph before it (the start of the next, when none is before). */
static gboolean
counterpart_cp (ScComparison  *comparison,
                ScCompareSide  side,
                int            index,
                gsize          cp,
                gsize         *target)
{
  GArray *mine = sc_comparison_get_paragraphs (comparison, side);
  GArray *theirs = sc_comparison_get_paragraphs (comparison, 1 - side);
  GArray *rows = sc_comparison_get_alignment (comparison);
  const ScCompareParagraph *paragraph = &g_array_index (mine, ScCompareParagraph, index);
  const ScCompareParagraph *other;
  double share = 0;

  if (paragraph->counterpart >= 0)
    {
      gsize length = paragraph->range.cp_end - paragraph->range.cp_start;

      other = &g_array_index (theirs, ScCompareParagraph, paragraph->counterpart);
      if (length > 0 && cp > paragraph->range.cp_start)
        share = MIN ((double) (cp - paragraph->range.cp_start) / length, 1.0);
      *target = other->range.cp_start
                + (gsize) (share * (other->range.cp_end - other->range.cp_start));
      return TRUE;
    }

  for (int r = (int) paragraph->row - 1; r >= 0; r--)
    {
      const ScCompareRow *row = &g_array_index (rows, ScCompareRow, r);
      int there = side == SC_COMPARE_SIDE_A ? row->b : row->a;

      if (there >= 0)
        {
          *target = g_array_index (theirs, ScCompareParagraph, there).range.cp_end;
          return TRUE;
        }
    }
  for (guint r = paragraph->row + 1; r < rows->len; r++)
    {
      const ScCompareRow *row = &g_array_index (rows, ScCompareRow, r);
      int there = side == SC_COMPARE_SIDE_A ? row->b : row->a;

      if (there >= 0)
        {
          *target = g_array_index (theirs, ScCompareParagraph, there).range.cp_start;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
in_text_mode (SichtungDocumentPane *pane)
{
  return g_strcmp0 (sichtung_document_pane_get_view_mode (pane), "text") == 0;
}

gboolean
sichtung_compare_follow (SichtungCompare      *self,
                         SichtungDocumentPane *from)
{
  ScCompareSide side;
  SichtungDocumentPane *to;
  ScDocument *document;
  const LineStart *line;
  double position, width, height, other_height;
  guint page;
  gsize cp, target;
  int index;

  g_return_val_if_fail (SICHTUNG_IS_COMPARE (self), FALSE);
  g_return_val_if_fail (from == self->panes[0] || from == self->panes[1], FALSE);

  if (!self->active || self->comparison == NULL)
    return FALSE;

  side = from == self->panes[0] ? SC_COMPARE_SIDE_A : SC_COMPARE_SIDE_B;
  to = self->panes[1 - side];
  document = sichtung_document_pane_get_document (from);
  if (document == NULL || sichtung_document_pane_get_document (to) == NULL
      || self->lines[1 - side]->len == 0)
    return FALSE;

  if (in_text_mode (from))
    {
      if (!sichtung_document_pane_get_text_top_offset (from, &cp))
        return FALSE;
    }
  else
    {
      /* The position counts pages and the share of a page scrolled past. */
      position = sichtung_document_view_get_position (sichtung_document_pane_get_view (from));
      page = MIN ((guint) position, sc_document_get_n_pages (document) - 1);
      sc_document_get_page_size (document, page, &width, &height);
      if (!cp_at_position (self->lines[side], page, (position - page) * height, &cp))
        return FALSE;
    }

  index = sc_comparison_find_paragraph (self->comparison, side, cp);
  if (index < 0 || !counterpart_cp (self->comparison, side, index, cp, &target))
    return FALSE;

  /* The page view follows in text mode as well, so switching back stays in step. */
  line = line_at_cp (self->lines[1 - side], target);
  sc_document_get_page_size (sichtung_document_pane_get_document (to), line->page,
                             &width, &other_height);
  sichtung_document_view_set_position (sichtung_document_pane_get_view (to),
                                       line->page + (other_height > 0 ? line->y / other_height
                                                                      : 0));
  if (in_text_mode (to))
    sichtung_document_pane_scroll_text_to_offset (to, target);
  return TRUE;
}

/* The window keeps the page views in step; the text views' scrolling only compare mode follows,
 * under the same conditions: the active pane leads while scrolling is synchronised. */
static void
text_scrolled_cb (SichtungCompare *self,
                  GtkAdjustment   *adjustment)
{
  SichtungDocumentPane *pane = NULL;
  GtkRoot *root;

  for (guint s = 0; s < 2; s++)
    if (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (
          sichtung_document_pane_get_text_view (self->panes[s]))) == adjustment)
      pane = self->panes[s];

  root = pane != NULL ? gtk_widget_get_root (GTK_WIDGET (pane)) : NULL;
  if (self->following || !SICHTUNG_IS_WINDOW (root) || !in_text_mode (pane)
      || sichtung_window_get_active_pane (SICHTUNG_WINDOW (root)) != pane
      || !sichtung_window_get_sync_scroll (SICHTUNG_WINDOW (root))
      || !sichtung_window_get_side_by_side (SICHTUNG_WINDOW (root)))
    return;

  self->following = TRUE;
  sichtung_compare_follow (self, pane);
  self->following = FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
change_state_cb (SichtungCompare *self,
                 GVariant        *value)
{
  sichtung_compare_set_active (self, g_variant_get_boolean (value));
}

static void
sichtung_compare_dispose (GObject *object)
{
  SichtungCompare *self = SICHTUNG_COMPARE (object);

  clear_comparison (self);
  for (guint s = 0; s < 2; s++)
    {
      if (self->panes[s] != NULL)
        g_signal_handlers_disconnect_by_data (self->panes[s], self);
      g_clear_object (&self->panes[s]);
    }
  if (self->action != NULL)
    g_signal_handlers_disconnect_by_data (self->action, self);
  g_clear_object (&self->action);

  G_OBJECT_CLASS (sichtung_compare_parent_class)->dispose (object);
}

static void
sichtung_compare_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SichtungCompare *self = SICHTUNG_COMPARE (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;

    case PROP_COMPARISON:
      g_value_set_boxed (value, self->comparison);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_compare_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SichtungCompare *self = SICHTUNG_COMPARE (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      sichtung_compare_set_active (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_compare_class_init (SichtungCompareClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sichtung_compare_dispose;
  object_class->get_property = sichtung_compare_get_property;
  object_class->set_property = sichtung_compare_set_property;

  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COMPARISON] =
    g_param_spec_boxed ("comparison", NULL, NULL,
                        SC_TYPE_COMPARISON,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sichtung_compare_init (SichtungCompare *self)
{
  self->action = g_simple_action_new_stateful ("compare", NULL, g_variant_new_boolean (FALSE));
  g_simple_action_set_enabled (self->action, FALSE);
  g_signal_connect_object (self->action, "change-state", G_CALLBACK (change_state_cb), self,
                           G_CONNECT_SWAPPED);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

SichtungCompare *
sichtung_compare_new (SichtungDocumentPane *left,
                      SichtungDocumentPane *right)
{
  SichtungCompare *self;

  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (left), NULL);
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (right), NULL);

  self = g_object_new (SICHTUNG_TYPE_COMPARE, NULL);
  self->panes[SC_COMPARE_SIDE_A] = g_object_ref (left);
  self->panes[SC_COMPARE_SIDE_B] = g_object_ref (right);
  for (guint s = 0; s < 2; s++)
    {
      g_signal_connect_object (self->panes[s], "notify::document",
                               G_CALLBACK (pane_document_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->panes[s], "notify::selected-finding",
                               G_CALLBACK (pane_selected_finding_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (
                                 sichtung_document_pane_get_text_view (self->panes[s]))),
                               "value-changed", G_CALLBACK (text_scrolled_cb), self,
                               G_CONNECT_SWAPPED);
    }
  g_simple_action_set_enabled (self->action, both_documents (self));
  return self;
}

GAction *
sichtung_compare_get_action (SichtungCompare *self)
{
  g_return_val_if_fail (SICHTUNG_IS_COMPARE (self), NULL);

  return G_ACTION (self->action);
}

gboolean
sichtung_compare_get_active (SichtungCompare *self)
{
  g_return_val_if_fail (SICHTUNG_IS_COMPARE (self), FALSE);

  return self->active;
}

void
sichtung_compare_set_active (SichtungCompare *self,
                             gboolean         active)
{
  g_return_if_fail (SICHTUNG_IS_COMPARE (self));

  active = !!active && self->panes[0] != NULL && both_documents (self);
  if (self->active == active)
    return;

  self->active = active;
  g_simple_action_set_state (self->action, g_variant_new_boolean (active));
  if (active)
    start_comparison (self);
  else
    clear_comparison (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

ScComparison *
sichtung_compare_get_comparison (SichtungCompare *self)
{
  g_return_val_if_fail (SICHTUNG_IS_COMPARE (self), NULL);

  return self->comparison;
}
