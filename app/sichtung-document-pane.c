/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-document-pane.c: one document with its toolbar, search, page and text views.
 *
 * The pane owns the whole life of one opened file: the asynchronous load (cancelled when
 * another file is opened or the pane goes away), the password prompt, inline error messages,
 * the text extraction for the accessible text view, search in both views, and the analysis
 * that finds what a person reviews: the model loads and the analyser runs on worker threads,
 * progress shows in a bar with a cancel button, and the findings are drawn in both views.
 *
 * With a case store, an opened file is added to the current case (or found there by its
 * SHA-256), findings already stored for it are shown at once instead of analysing again, and
 * a finished analysis is stored before its findings are shown, so every item knows its id in
 * the store and writes its decisions there. The store work runs on GTask threads as well.
 *
 * Marking findings by hand, from the text view's selection or a box drawn on a page, lives in
 * sichtung-document-pane-manual.c.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sichtung-document-pane.h"
#include "sichtung-document-pane-private.h"
#include "sichtung-finding-style.h"
#include "sichtung-model-loader.h"

#define MAX_TEXT_MATCHES 10000

G_DEFINE_FINAL_TYPE (SichtungDocumentPane, sichtung_document_pane, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_DOCUMENT,
  PROP_FILE,
  PROP_TITLE,
  PROP_LOADING,
  PROP_ERROR_MESSAGE,
  PROP_VIEW_MODE,
  PROP_N_TEXT_MATCHES,
  PROP_CURRENT_TEXT_MATCH,
  PROP_FINDINGS,
  PROP_ANALYSIS,
  PROP_ANALYZING,
  PROP_ANALYSIS_NOTE,
  PROP_USE_MODEL,
  PROP_SELECTED_FINDING,
  PROP_STORE,
  PROP_CASE_ID,
  PROP_DOCUMENT_ID,
  PROP_PREVIEW,
  N_PROPS
};

enum {
  FINDING_ACTIVATED,
  STORE_ERROR,
  DECISIONS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void sichtung_document_pane_update_actions (SichtungDocumentPane *self);
static void load_file                             (SichtungDocumentPane *self,
                                                   GFile                *file,
                                                   const char           *password);
static void queue_retag                           (SichtungDocumentPane *self);
static void update_caret_finding                  (SichtungDocumentPane *self);
static void start_analysis                        (SichtungDocumentPane *self);
static void go_to_page                            (SichtungDocumentPane *self,
                                                   guint                 page);
static void finish_loading                        (SichtungDocumentPane *self);
static void set_document                          (SichtungDocumentPane *self,
                                                   ScDocument           *document,
                                                   GFile                *file,
                                                   gint64                document_id,
                                                   GPtrArray            *stored,
                                                   const char           *preview_title);

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

/* The name users know the file by, for messages. */
static char *
file_display_name (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *uri = NULL;

  if (path != NULL)
    return g_filename_display_basename (path);

  uri = g_file_get_uri (file);
  return g_uri_unescape_string (strrchr (uri, '/') ? strrchr (uri, '/') + 1 : uri, NULL);
}

static const char *
media_type (ScDocument *document)
{
  return sc_document_get_kind (document) == SC_DOCUMENT_KIND_PDF ? "application/pdf"
                                                                   : "text/plain";
}

static gboolean
is_loading (SichtungDocumentPane *self)
{
  return self->loading_file != NULL || self->loading_stored;
}

static void
set_error_message (SichtungDocumentPane *self,
                   const char           *message)
{
  if (g_strcmp0 (self->error_message, message) == 0)
    return;

  g_free (self->error_message);
  self->error_message = g_strdup (message);

  if (message != NULL)
    gtk_label_set_text (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

/* Shows the page that fits the current state: the document, or the empty state. */
static void
show_content (SichtungDocumentPane *self)
{
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, self->document ? "document" : "empty");
}

static void
update_zoom_label (SichtungDocumentPane *self)
{
  g_autofree char *label = NULL;
  double zoom = sichtung_document_view_get_zoom (self->view);

  /* Translators: a zoom level, e.g. “150 %”. */
  label = g_strdup_printf (_("%d %%"), (int) (zoom * 100.0 + 0.5));
  gtk_menu_button_set_label (self->zoom_button, label);
}

static guint
current_page (SichtungDocumentPane *self)
{
  if (self->view_mode == VIEW_MODE_PAGE)
    return sichtung_document_view_get_current_page (self->view);

  return self->text_page;
}

static void
update_page_entry (SichtungDocumentPane *self)
{
  g_autofree char *text = NULL;

  if (self->document != NULL)
    text = g_strdup_printf ("%u", current_page (self) + 1);

  gtk_editable_set_text (GTK_EDITABLE (self->page_entry), text ? text : "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->page_entry), "error");
}

static void
update_page_controls (SichtungDocumentPane *self)
{
  guint n_pages = self->document ? sc_document_get_n_pages (self->document) : 0;
  g_autofree char *label = NULL;

  self->text_page = 0;
  update_page_entry (self);

  /* Translators: follows the page number entry: “[3] of 12”. */
  label = n_pages > 0 ? g_strdup_printf (_("of %u"), n_pages) : g_strdup ("");
  gtk_label_set_text (self->n_pages_label, label);
}

/* ------------------------------------------------------------------------------------------ */
/* Search                                                                                     */

static void
update_match_label (SichtungDocumentPane *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *label = NULL;
  gboolean searching = FALSE;
  guint n;
  int current;

  if (text == NULL || text[0] == '\0' || self->document == NULL)
    {
      gtk_label_set_text (self->match_label, "");
      gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
      return;
    }

  if (self->view_mode == VIEW_MODE_TEXT)
    {
      n = self->text_matches->len;
      current = self->current_text_match;
    }
  else
    {
      n = sichtung_document_view_get_n_matches (self->view);
      current = sichtung_document_view_get_current_match (self->view);
      searching = sichtung_document_view_get_search_active (self->view);
    }

  if (n == 0)
    label = g_strdup (searching ? _("Searching…") : _("No matches"));
  else if (current < 0)
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u match", "%u matches", n), n);
  else
    /* Translators: the current search hit and the number of hits: “2 of 7”. */
    label = g_strdup_printf (_("%d of %u"), current + 1, n);

  gtk_label_set_text (self->match_label, label);

  if (n == 0 && !searching)
    gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
}

static void
select_text_match (SichtungDocumentPane *self,
                   int                   index)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;
  const TextMatch *match;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->current_match_tag, &start, &end);

  if (index < 0 || (guint) index >= self->text_matches->len)
    {
      self->current_text_match = -1;
    }
  else
    {
      match = &g_array_index (self->text_matches, TextMatch, index);
      self->current_text_match = index;
      gtk_text_buffer_get_iter_at_offset (buffer, &start, match->start);
      gtk_text_buffer_get_iter_at_offset (buffer, &end, match->end);
      gtk_text_buffer_apply_tag (buffer, self->current_match_tag, &start, &end);
      /* The caret moves to the hit, so screen readers follow it; not a selection, which
       * would claim the PRIMARY clipboard for every search step. */
      gtk_text_buffer_place_cursor (buffer, &start);
      _sichtung_document_pane_stop_follow (self);
      gtk_text_view_scroll_to_iter (self->text_view, &start, 0.1, FALSE, 0.0, 0.0);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_TEXT_MATCH]);
  update_match_label (self);
}

/* Finds every hit of the search text in the text buffer and tags it; page separators are
 * our own text and never match. */
static void
update_text_matches (SichtungDocumentPane *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  GtkTextIter start, end, match_start, match_end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->match_tag, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->current_match_tag, &start, &end);
  g_array_set_size (self->text_matches, 0);
  self->current_text_match = -1;

  if (text != NULL && text[0] != '\0')
    {
      GtkTextIter iter = start;

      while (self->text_matches->len < MAX_TEXT_MATCHES
             && gtk_text_iter_forward_search (&iter, text,
                                              GTK_TEXT_SEARCH_CASE_INSENSITIVE |
                                              GTK_TEXT_SEARCH_TEXT_ONLY,
                                              &match_start, &match_end, NULL))
        {
          if (!gtk_text_iter_has_tag (&match_start, self->separator_tag))
            {
              TextMatch match = {
                gtk_text_iter_get_offset (&match_start),
                gtk_text_iter_get_offset (&match_end),
              };

              g_array_append_val (self->text_matches, match);
              gtk_text_buffer_apply_tag (buffer, self->match_tag, &match_start, &match_end);
            }
          iter = match_end;
        }
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TEXT_MATCHES]);

  if (self->text_matches->len > 0 && self->view_mode == VIEW_MODE_TEXT)
    select_text_match (self, 0);
  else
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_TEXT_MATCH]);

  update_match_label (self);
}

static void
search_changed_cb (SichtungDocumentPane *self,
                   GtkSearchEntry       *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  if (self->document == NULL)
    return;

  sichtung_document_view_search (self->view, text);
  update_text_matches (self);
}

static void
find_next (SichtungDocumentPane *self)
{
  if (self->view_mode == VIEW_MODE_TEXT)
    {
      guint n = self->text_matches->len;

      if (n > 0)
        select_text_match (self, (self->current_text_match + 1) % (int) n);
    }
  else
    {
      sichtung_document_view_next_match (self->view);
    }
}

static void
find_previous (SichtungDocumentPane *self)
{
  if (self->view_mode == VIEW_MODE_TEXT)
    {
      int n = (int) self->text_matches->len;

      if (n > 0)
        select_text_match (self, self->current_text_match <= 0 ? n - 1
                                                                : self->current_text_match - 1);
    }
  else
    {
      sichtung_document_view_previous_match (self->view);
    }
}

static void
search_activate_cb (SichtungDocumentPane *self)
{
  find_next (self);
}

static void
search_next_match_cb (SichtungDocumentPane *self)
{
  find_next (self);
}

static void
search_previous_match_cb (SichtungDocumentPane *self)
{
  find_previous (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Text view                                                                                  */

static void
clear_text (SichtungDocumentPane *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);

  for (guint i = 0; i < self->page_marks->len; i++)
    gtk_text_buffer_delete_mark (buffer, g_ptr_array_index (self->page_marks, i));
  g_ptr_array_set_size (self->page_marks, 0);
  g_array_set_size (self->text_matches, 0);
  g_array_set_size (self->text_pages, 0);
  self->current_text_match = -1;
  _sichtung_document_pane_stop_follow (self);
  gtk_text_buffer_set_text (buffer, "", 0);
}

/* Fills the buffer with @text as sc_document_get_text() returns it: each page ends with a
 * form feed. Every page starts with a visible “— Page N —” line, so readers of the text
 * (and screen readers) know where they are. */
static void
fill_text (SichtungDocumentPane *self,
           const char           *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_auto(GStrv) pages = g_strsplit (text, "\f", -1);
  guint n_pages = sc_document_get_n_pages (self->document);
  GtkTextIter iter;

  clear_text (self);
  gtk_text_buffer_get_end_iter (buffer, &iter);

  gsize doc_start = 0;

  for (guint i = 0; pages[i] != NULL && i < n_pages; i++)
    {
      g_autofree char *separator = NULL;
      g_autofree char *page = g_strchug (g_strdup (pages[i]));
      TextPage text_page = { 0 };

      text_page.doc_start = doc_start;
      text_page.lead = g_utf8_strlen (pages[i], -1) - g_utf8_strlen (page, -1);
      g_strchomp (page);
      doc_start += g_utf8_strlen (pages[i], -1) + 1;

      /* Translators: the line above the text of each page in the text view. */
      separator = g_strdup_printf (_("— Page %u —"), i + 1);
      if (i > 0)
        gtk_text_buffer_insert (buffer, &iter, "\n", 1);
      g_ptr_array_add (self->page_marks, gtk_text_buffer_create_mark (buffer, NULL, &iter, TRUE));
      gtk_text_buffer_insert_with_tags (buffer, &iter, separator, -1, self->separator_tag, NULL);
      gtk_text_buffer_insert (buffer, &iter, "\n", 1);
      text_page.buffer_start = gtk_text_iter_get_offset (&iter);
      text_page.length = (int) g_utf8_strlen (page, -1);
      g_array_append_val (self->text_pages, text_page);
      gtk_text_buffer_insert (buffer, &iter, page, -1);
      gtk_text_buffer_insert (buffer, &iter, "\n", 1);
    }

  gtk_text_buffer_get_start_iter (buffer, &iter);
  gtk_text_buffer_place_cursor (buffer, &iter);

  update_text_matches (self);
  queue_retag (self);
}

static void
extract_text_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  ScDocument *document = task_data;

  g_task_return_pointer (task, sc_document_get_text (document), g_free);
}

static void
extract_text_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GWeakRef *pane_ref = user_data;
  g_autoptr(SichtungDocumentPane) self = g_weak_ref_get (pane_ref);
  GTask *task = G_TASK (result);
  g_autofree char *text = g_task_propagate_pointer (task, NULL);

  g_weak_ref_clear (pane_ref);
  g_free (pane_ref);

  if (self == NULL
      || text == NULL
      || g_cancellable_is_cancelled (g_task_get_cancellable (task))
      || g_task_get_task_data (task) != (gpointer) self->document)
    return;

  fill_text (self, text);
}

/* Text extraction walks every page, so it runs on a thread, like rendering. The task holds
 * the pane weakly: a closed window is not kept alive by a long extraction. */
static void
extract_text_async (SichtungDocumentPane *self)
{
  g_autoptr(GTask) task = NULL;
  GWeakRef *pane_ref = g_new0 (GWeakRef, 1);

  g_cancellable_cancel (self->text_cancellable);
  g_clear_object (&self->text_cancellable);
  self->text_cancellable = g_cancellable_new ();

  g_weak_ref_init (pane_ref, self);
  task = g_task_new (NULL, self->text_cancellable, extract_text_cb, pane_ref);
  g_task_set_source_tag (task, extract_text_async);
  g_task_set_task_data (task, g_object_ref (self->document), g_object_unref);
  g_task_run_in_thread (task, extract_text_thread);
}

/* ------------------------------------------------------------------------------------------ */
/* Findings in the text view                                                                  */

/* The buffer offsets of @item's text, or FALSE when the text view does not show it (yet). */
static gboolean
finding_buffer_range (SichtungDocumentPane *self,
                      SichtungFindingItem  *item,
                      int                  *start,
                      int                  *end)
{
  ScPageFinding *finding = sichtung_finding_item_get_page_finding (item);
  const TextPage *page;
  gssize rel_start, rel_end;

  if (finding->page >= self->text_pages->len)
    return FALSE;

  page = &g_array_index (self->text_pages, TextPage, finding->page);
  rel_start = (gssize) finding->doc_start - (gssize) page->doc_start - (gssize) page->lead;
  rel_end = (gssize) finding->doc_end - (gssize) page->doc_start - (gssize) page->lead;
  rel_start = CLAMP (rel_start, 0, page->length);
  rel_end = CLAMP (rel_end, 0, page->length);
  if (rel_end <= rel_start)
    return FALSE;

  *start = page->buffer_start + (int) rel_start;
  *end = page->buffer_start + (int) rel_end;
  return TRUE;
}

/* One tag per category and decision, made when first needed; the look matches the page view's
 * marks as far as text attributes can: open underlined, accepted filled, rejected faded with a
 * wavy line, edited filled with a double line. */
static GtkTextTag *
finding_tag (SichtungDocumentPane *self,
             ScFindingCategory     category,
             SichtungDecision      decision)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  g_autofree char *name = g_strdup_printf ("finding-%u-%u", category, decision);
  GtkTextTag *tag = gtk_text_tag_table_lookup (table, name);
  GdkRGBA color, fill;

  if (tag != NULL)
    return tag;

  sichtung_finding_style_get_color (category, &color);
  fill = color;
  switch (decision)
    {
    case SICHTUNG_DECISION_ACCEPTED:
      fill.alpha = 0.3;
      tag = gtk_text_buffer_create_tag (buffer, name,
                                        "background-rgba", &fill,
                                        "underline", PANGO_UNDERLINE_SINGLE,
                                        "underline-rgba", &color,
                                        NULL);
      break;

    case SICHTUNG_DECISION_REJECTED:
      tag = gtk_text_buffer_create_tag (buffer, name,
                                        "underline", PANGO_UNDERLINE_ERROR,
                                        "underline-rgba", &color,
                                        "foreground", "#77767b",
                                        NULL);
      break;

    case SICHTUNG_DECISION_EDITED:
      fill.alpha = 0.2;
      tag = gtk_text_buffer_create_tag (buffer, name,
                                        "background-rgba", &fill,
                                        "underline", PANGO_UNDERLINE_DOUBLE,
                                        "underline-rgba", &color,
                                        NULL);
      break;

    case SICHTUNG_DECISION_OPEN:
    default:
      fill.alpha = 0.08;
      tag = gtk_text_buffer_create_tag (buffer, name,
                                        "background-rgba", &fill,
                                        "underline", PANGO_UNDERLINE_SINGLE,
                                        "underline-rgba", &color,
                                        NULL);
      break;
    }

  g_ptr_array_add (self->finding_tags, tag);
  /* The selection and search hits stay on top of every finding. */
  gtk_text_tag_set_priority (self->selected_finding_tag, gtk_text_tag_table_get_size (table) - 1);
  gtk_text_tag_set_priority (self->current_match_tag, gtk_text_tag_table_get_size (table) - 1);
  return tag;
}

static void
tag_selected_finding (SichtungDocumentPane *self,
                      gboolean              scroll)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;
  int from, to;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->selected_finding_tag, &start, &end);

  if (self->selected_finding == NULL
      || !finding_buffer_range (self, self->selected_finding, &from, &to))
    return;

  gtk_text_buffer_get_iter_at_offset (buffer, &start, from);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, to);
  gtk_text_buffer_apply_tag (buffer, self->selected_finding_tag, &start, &end);
  if (scroll)
    {
      GtkTextMark *mark = gtk_text_buffer_get_mark (buffer, "finding-selected");

      /* The caret follows, so screen readers read the finding. A mark, unlike an iter, is
       * scrolled to once the lines are laid out: the view may have just been switched to. */
      gtk_text_buffer_place_cursor (buffer, &start);
      if (mark == NULL)
        mark = gtk_text_buffer_create_mark (buffer, "finding-selected", &start, TRUE);
      else
        gtk_text_buffer_move_mark (buffer, mark, &start);
      _sichtung_document_pane_stop_follow (self);
      gtk_text_view_scroll_to_mark (self->text_view, mark, 0.1, FALSE, 0.0, 0.0);
    }
}

static gboolean
retag_idle (gpointer user_data)
{
  SichtungDocumentPane *self = user_data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->findings));
  GtkTextIter start, end;

  self->retag_id = 0;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  for (guint i = 0; i < self->finding_tags->len; i++)
    gtk_text_buffer_remove_tag (buffer, g_ptr_array_index (self->finding_tags, i), &start, &end);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SichtungFindingItem) item = g_list_model_get_item (G_LIST_MODEL (self->findings),
                                                                   i);
      int from, to;

      if (!finding_buffer_range (self, item, &from, &to))
        continue;

      gtk_text_buffer_get_iter_at_offset (buffer, &start, from);
      gtk_text_buffer_get_iter_at_offset (buffer, &end, to);
      gtk_text_buffer_apply_tag (buffer,
                                 finding_tag (self, sichtung_finding_item_get_category (item),
                                              sichtung_finding_item_get_decision (item)),
                                 &start, &end);
    }

  tag_selected_finding (self, FALSE);
  _sichtung_document_pane_tag_changes (self);
  update_caret_finding (self);
  return G_SOURCE_REMOVE;
}

/* Decisions may change many at once ("every occurrence"): the tags follow once, from an idle
 * that runs before the next frame is drawn. */
static void
queue_retag (SichtungDocumentPane *self)
{
  if (self->retag_id == 0)
    self->retag_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, retag_idle, self, NULL);
}

static void
set_selected_finding (SichtungDocumentPane *self,
                      SichtungFindingItem  *item,
                      gboolean              scroll_text)
{
  if (!g_set_object (&self->selected_finding, item))
    return;

  sichtung_document_view_set_selected_finding (self->view, item);
  if (item != NULL)
    self->text_page = sichtung_finding_item_get_page (item);
  tag_selected_finding (self, scroll_text && self->view_mode == VIEW_MODE_TEXT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FINDING]);
}

/* The smallest finding that covers buffer offset @offset, or NULL. */
static SichtungFindingItem *
finding_at_offset (SichtungDocumentPane *self,
                   int                   offset)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->findings));
  SichtungFindingItem *best = NULL;
  int best_length = G_MAXINT;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SichtungFindingItem) item = g_list_model_get_item (G_LIST_MODEL (self->findings),
                                                                   i);
      int from, to;

      if (finding_buffer_range (self, item, &from, &to)
          && from <= offset && offset < to && to - from < best_length)
        {
          best = item;
          best_length = to - from;
        }
    }
  return best;
}

static void
activate_finding (SichtungDocumentPane *self,
                  SichtungFindingItem  *item)
{
  g_autoptr(SichtungFindingItem) activated = g_object_ref (item);

  set_selected_finding (self, activated, FALSE);
  g_signal_emit (self, signals[FINDING_ACTIVATED], 0, activated);
}

static void
text_view_released_cb (GtkGestureClick      *gesture,
                       int                   n_press,
                       double                x,
                       double                y,
                       SichtungDocumentPane *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  SichtungFindingItem *item;
  GtkTextIter iter;
  int bx, by;

  /* A click, not the end of a selection: those belong to copying. */
  if (n_press != 1 || gtk_text_buffer_get_has_selection (buffer))
    return;

  gtk_text_view_window_to_buffer_coords (self->text_view, GTK_TEXT_WINDOW_WIDGET,
                                         (int) x, (int) y, &bx, &by);
  if (!gtk_text_view_get_iter_at_location (self->text_view, &iter, bx, by))
    return;

  item = finding_at_offset (self, gtk_text_iter_get_offset (&iter));
  if (item != NULL)
    activate_finding (self, item);
}

static void
view_finding_activated_cb (SichtungDocumentPane *self,
                           SichtungFindingItem  *item)
{
  activate_finding (self, item);
}

/* GTK 4.8 tells screen readers only the look of a text view's tags (colour, underline), not
 * what they mark. So the text view's description names the finding the caret is on, and
 * screen readers announce it when it changes on the focused text view; Enter then selects the
 * finding, as a click does. */
static void
update_caret_finding (SichtungDocumentPane *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter iter;
  SichtungFindingItem *item;
  g_autofree char *summary = NULL;
  g_autofree char *description = NULL;

  if (self->text_view == NULL)
    return;

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  item = finding_at_offset (self, gtk_text_iter_get_offset (&iter));
  g_set_object (&self->caret_finding, item);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pane.show-caret-finding", item != NULL);

  if (item != NULL)
    {
      summary = sichtung_finding_item_dup_summary (item);
      /* Translators: the text view's accessible description while the caret is on a
       * finding; %s is the finding as the findings list names it, e.g. “Person: Erika
       * Mustermann, page 1, 92 %, Open”. */
      description = g_strdup_printf (_("Finding at the caret: %s. Enter selects it."), summary);
    }
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->findings)) > 0)
    {
      /* Short: it is said every time the caret leaves a finding. */
      description = g_strdup (_("No finding at the caret."));
    }

  /* The caret moves within a finding without a new description to announce. */
  if (g_strcmp0 (description, self->caret_description) == 0)
    return;
  g_free (self->caret_description);
  self->caret_description = g_strdup (description);

  if (description != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->text_view),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
show_caret_finding_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  SichtungDocumentPane *self = SICHTUNG_DOCUMENT_PANE (widget);

  if (self->caret_finding != NULL)
    activate_finding (self, self->caret_finding);
}

/* ------------------------------------------------------------------------------------------ */
/* Analysis                                                                                   */

/* What one analysis needs across its steps (model, then analyser). The pane is held weakly:
 * closing the window during an analysis frees the pane at once, and the result is dropped. */
typedef struct
{
  GWeakRef      pane;
  GCancellable *cancellable;
  ScDocument   *document;
  ScAnalyzer   *analyzer;
  char         *device;
  char         *model_sha256;
  ScStore      *store;        /* where the findings go, or NULL */
  gint64        document_id;
  ScAnalysis   *analysis;     /* the result, while it is being stored */
} AnalysisData;

static void
analysis_data_free (AnalysisData *data)
{
  g_weak_ref_clear (&data->pane);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->document);
  g_clear_object (&data->analyzer);
  g_free (data->device);
  g_free (data->model_sha256);
  g_clear_object (&data->store);
  g_clear_pointer (&data->analysis, sc_analysis_unref);
  g_free (data);
}

/* The pane of @data, while its analysis is still the current one. */
static SichtungDocumentPane *
analysis_data_get_pane (AnalysisData *data)
{
  SichtungDocumentPane *self = g_weak_ref_get (&data->pane);

  if (self != NULL && g_cancellable_is_cancelled (data->cancellable))
    g_clear_object (&self);
  return self;
}

static void
set_analysis_note (SichtungDocumentPane *self,
                   const char           *note,
                   gboolean              can_restart)
{
  gtk_widget_set_visible (self->restart_button, can_restart);
  if (g_strcmp0 (self->analysis_note, note) == 0)
    return;

  g_free (self->analysis_note);
  self->analysis_note = g_strdup (note);
  if (note != NULL)
    gtk_label_set_text (self->note_label, note);
  gtk_revealer_set_reveal_child (self->note_revealer, note != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANALYSIS_NOTE]);
}

static void
set_analyzing (SichtungDocumentPane *self,
               gboolean              analyzing)
{
  gtk_revealer_set_reveal_child (self->analysis_revealer, analyzing);
  if (self->analyzing == analyzing)
    return;

  self->analyzing = analyzing;
  sichtung_document_pane_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANALYZING]);
}

static void
show_progress (SichtungDocumentPane *self,
               guint                 pages_done,
               guint                 n_pages,
               const char           *device)
{
  g_autofree char *label = NULL;

  if (device != NULL)
    /* Translators: progress of the analysis: pages done, page count and the device the model
     * runs on, e.g. “Looking for findings: page 2 of 5 (CPU)”. */
    label = g_strdup_printf (_("Looking for findings: page %u of %u (%s)"),
                             pages_done, n_pages, device);
  else
    /* Translators: progress of the analysis without a model: pages done and page count. */
    label = g_strdup_printf (_("Looking for findings: page %u of %u (rules only)"),
                             pages_done, n_pages);
  gtk_label_set_text (self->analysis_label, label);
  gtk_progress_bar_set_fraction (self->analysis_progress,
                                 n_pages > 0 ? (double) pages_done / n_pages : 0.0);
}

static void
analysis_progress_cb (guint    pages_done,
                      guint    n_pages,
                      double   words_per_second,
                      gpointer user_data)
{
  AnalysisData *data = user_data;
  g_autoptr(SichtungDocumentPane) self = analysis_data_get_pane (data);

  if (self != NULL)
    show_progress (self, pages_done, n_pages, data->device);
}

static void
item_decision_failed_cb (SichtungDocumentPane *self,
                         const GError         *error)
{
  g_signal_emit (self, signals[STORE_ERROR], 0, error->message);
}

/* The text view's tags show each finding's decision. */
static void
item_decision_cb (SichtungDocumentPane *self)
{
  queue_retag (self);
  g_signal_emit (self, signals[DECISIONS_CHANGED], 0);
}

/* A correction changed the category of @item: it is put back in its place, so that lists
 * sorted and grouped by category, the marks and the tags all look at it again. */
static void
item_category_cb (SichtungDocumentPane *self,
                  GParamSpec           *pspec,
                  SichtungFindingItem  *item)
{
  /* The splice drops the store's reference before it takes a new one. */
  g_autoptr(SichtungFindingItem) kept = g_object_ref (item);
  guint position;

  if (g_list_store_find (self->findings, kept, &position))
    g_list_store_splice (self->findings, position, 1, (gpointer *) &kept, 1);
}

/* Every item reports each decision and correction; a stored one also the decisions it could not
 * store. */
static void
watch_item (SichtungDocumentPane *self,
            SichtungFindingItem  *item)
{
  g_signal_connect_object (item, "decision-failed", G_CALLBACK (item_decision_failed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::decision", G_CALLBACK (item_decision_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::category", G_CALLBACK (item_category_cb), self,
                           G_CONNECT_SWAPPED);
}

/* Shows @stored (ScStoreFinding*, from the store) or else the findings of @analysis, and
 * @analysis itself (may be NULL for findings read from the store). */
static void
show_findings (SichtungDocumentPane *self,
               ScAnalysis           *analysis,
               GPtrArray            *stored)
{
  g_autoptr(GPtrArray) items = NULL;

  if (stored != NULL)
    {
      items = g_ptr_array_new_full (stored->len, g_object_unref);
      for (guint i = 0; i < stored->len; i++)
        {
          SichtungFindingItem *item =
            sichtung_finding_item_new_stored (self->store, g_ptr_array_index (stored, i));

          watch_item (self, item);
          g_ptr_array_add (items, item);
        }
    }
  else
    {
      GPtrArray *findings = sc_analysis_get_findings (analysis);

      items = g_ptr_array_new_full (findings->len, g_object_unref);
      for (guint i = 0; i < findings->len; i++)
        {
          SichtungFindingItem *item = sichtung_finding_item_new (g_ptr_array_index (findings, i));

          watch_item (self, item);
          g_ptr_array_add (items, item);
        }
    }
  g_list_store_splice (self->findings, 0, g_list_model_get_n_items (G_LIST_MODEL (self->findings)),
                       items->pdata, items->len);

  if (analysis != NULL)
    {
      self->analysis = sc_analysis_ref (analysis);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANALYSIS]);
    }
  queue_retag (self);
  /* Last: whoever follows "analyzing" finds the findings there. */
  set_analyzing (self, FALSE);
  g_signal_emit (self, signals[DECISIONS_CHANGED], 0);
}

static void
save_findings_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  AnalysisData *data = task_data;
  GPtrArray *stored;
  GError *error = NULL;

  /* Decided findings stay as they are; the list read back has them with the new ones. */
  if (!sc_store_set_findings (data->store, data->document_id,
                              sc_analysis_get_findings (data->analysis),
                              sc_analysis_get_model_name (data->analysis),
                              sc_analysis_get_model_version (data->analysis),
                              data->model_sha256, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  stored = sc_store_list_findings (data->store, data->document_id, &error);
  if (stored == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, stored, (GDestroyNotify) g_ptr_array_unref);
}

static void
save_findings_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AnalysisData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(SichtungDocumentPane) self = analysis_data_get_pane (data);
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;

  stored = g_task_propagate_pointer (G_TASK (result), &error);
  if (self == NULL)
    return;

  if (stored == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the reason. The findings are shown, but decisions are not kept. */
      message = g_strdup_printf (_("The findings could not be saved in the case, so decisions "
                                   "on them will not be kept: %s"), error->message);
      set_error_message (self, message);
    }
  show_findings (self, data->analysis, stored);
}

static void
analysis_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AnalysisData *data = user_data;
  g_autoptr(SichtungDocumentPane) self = analysis_data_get_pane (data);
  g_autoptr(ScAnalysis) analysis = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  analysis = sc_analyzer_run_finish (SC_ANALYZER (object), result, &error);
  if (self == NULL)
    {
      analysis_data_free (data);
      return;
    }

  if (analysis == NULL)
    {
      g_autofree char *message = NULL;

      analysis_data_free (data);
      set_analyzing (self, FALSE);
      /* Translators: %s is the reason. */
      message = g_strdup_printf (_("Looking for findings failed: %s"), error->message);
      set_error_message (self, message);
      return;
    }

  if (data->store == NULL)
    {
      analysis_data_free (data);
      show_findings (self, analysis, NULL);
      return;
    }

  /* Stored before shown: each item then knows its id in the store. */
  gtk_label_set_text (self->analysis_label, _("Saving the findings in the case…"));
  data->analysis = g_steal_pointer (&analysis);
  task = g_task_new (NULL, data->cancellable, save_findings_cb, NULL);
  g_task_set_source_tag (task, analysis_done_cb);
  g_task_set_task_data (task, data, (GDestroyNotify) analysis_data_free);
  g_task_run_in_thread (task, save_findings_thread);
}

static void
run_analysis (SichtungDocumentPane *self,
              AnalysisData         *data,
              ScNer                *ner)
{
  data->analyzer = sc_analyzer_new ();
  if (ner != NULL)
    sc_analyzer_set_ner (data->analyzer, ner);

  show_progress (self, 0, sc_document_get_n_pages (data->document), data->device);
  sc_analyzer_run_async (data->analyzer, data->document, analysis_progress_cb, data,
                         data->cancellable, analysis_done_cb, data);
}

static void
model_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AnalysisData *data = user_data;
  g_autoptr(SichtungDocumentPane) self = analysis_data_get_pane (data);
  g_autoptr(ScNer) ner = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;

  ner = sichtung_model_loader_load_finish (result, &data->device, &note, &data->model_sha256,
                                           &error);
  if (self == NULL)
    {
      analysis_data_free (data);
      return;
    }

  /* A model that does not load is no reason to find nothing: the rules still run. */
  if (error != NULL)
    {
      g_free (note);
      /* Translators: %s is the reason. */
      note = g_strdup_printf (_("The findings model could not be loaded (%s): only the rules "
                                "and name lists looked for findings."), error->message);
    }
  set_analysis_note (self, note, FALSE);

  run_analysis (self, data, ner);
}

static void
cancel_analysis (SichtungDocumentPane *self)
{
  g_cancellable_cancel (self->analysis_cancellable);
  g_clear_object (&self->analysis_cancellable);
}

/* Drops the findings and analysis of the document shown before. */
static void
clear_findings (SichtungDocumentPane *self)
{
  set_selected_finding (self, NULL, FALSE);
  g_list_store_remove_all (self->findings);
  if (self->analysis != NULL)
    {
      g_clear_pointer (&self->analysis, sc_analysis_unref);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANALYSIS]);
    }
  queue_retag (self);
}

static void
start_analysis (SichtungDocumentPane *self)
{
  AnalysisData *data;

  cancel_analysis (self);
  clear_findings (self);
  set_analysis_note (self, NULL, FALSE);

  /* A preview is no document of the case: its findings would be nobody's to decide. */
  if (self->document == NULL || self->preview)
    {
      set_analyzing (self, FALSE);
      return;
    }

  self->analysis_cancellable = g_cancellable_new ();
  data = g_new0 (AnalysisData, 1);
  g_weak_ref_init (&data->pane, self);
  data->cancellable = g_object_ref (self->analysis_cancellable);
  data->document = g_object_ref (self->document);
  if (self->store != NULL && self->document_id > 0)
    {
      data->store = g_object_ref (self->store);
      data->document_id = self->document_id;
    }

  gtk_progress_bar_set_fraction (self->analysis_progress, 0.0);
  set_analyzing (self, TRUE);

  if (self->use_model)
    {
      gtk_label_set_text (self->analysis_label, _("Loading the findings model…"));
      sichtung_model_loader_load_async (data->cancellable, model_loaded_cb, data);
    }
  else
    {
      run_analysis (self, data, NULL);
    }
}

static void
set_document_id (SichtungDocumentPane *self,
                 gint64                document_id)
{
  if (self->document_id == document_id)
    return;

  self->document_id = document_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT_ID]);
}

/* ------------------------------------------------------------------------------------------ */
/* Case store                                                                                 */

/* What adding a document to the store, or reading one from it, needs and gives. The pane is
 * held weakly, as for a load. */
typedef struct
{
  GWeakRef      pane;
  GCancellable *cancellable;
  ScStore      *store;
  ScDocument   *document;     /* to add; or the one read */
  GFile        *file;         /* to add, or NULL */
  char         *name;
  gint64        case_id;      /* 0: a new case named after the document */
  gint64        document_id;
  GPtrArray    *findings;     /* ScStoreFinding, as stored */
} StoreData;

static void
store_data_free (StoreData *data)
{
  g_weak_ref_clear (&data->pane);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->store);
  g_clear_object (&data->document);
  g_clear_object (&data->file);
  g_free (data->name);
  g_clear_pointer (&data->findings, g_ptr_array_unref);
  g_free (data);
}

static StoreData *
store_data_new (SichtungDocumentPane *self,
                GCancellable         *cancellable)
{
  StoreData *data = g_new0 (StoreData, 1);

  g_weak_ref_init (&data->pane, self);
  data->cancellable = g_object_ref (cancellable);
  data->store = g_object_ref (self->store);
  return data;
}

/* Finds the file in the case by its SHA-256, or adds it with its page texts. */
static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  StoreData *data = task_data;
  g_autoptr(GBytes) content = NULL;
  GError *error = NULL;

  content = g_file_load_bytes (data->file, cancellable, NULL, &error);
  if (content == NULL)
    goto fail;

  if (data->case_id == 0)
    {
      data->case_id = sc_store_create_case (data->store, data->name, NULL, &error);
      if (data->case_id == 0)
        goto fail;
    }

  data->document_id = sc_store_import_document (data->store, data->case_id, data->name,
                                                data->document, content, NULL, &error);
  if (data->document_id == 0)
    goto fail;

  data->findings = sc_store_list_findings (data->store, data->document_id, &error);
  if (data->findings == NULL)
    goto fail;

  g_task_return_boolean (task, TRUE);
  return;

fail:
  g_task_return_error (task, error);
}

static void
import_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  StoreData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(SichtungDocumentPane) self = g_weak_ref_get (&data->pane);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *message = NULL;

      if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: the first %s is a file name, the second the reason. The document is
       * shown and analysed anyway. */
      message = g_strdup_printf (_("“%s” could not be added to the case, so decisions on its "
                                   "findings will not be kept: %s"), data->name,
                                 error->message);
      set_error_message (self, message);
      start_analysis (self);
      return;
    }
  if (self == NULL || g_cancellable_is_cancelled (data->cancellable))
    return;

  set_document_id (self, data->document_id);
  sichtung_document_pane_set_case_id (self, data->case_id);
  if (data->findings->len > 0)
    show_findings (self, NULL, data->findings);
  else
    start_analysis (self);
}

/* Adds the document just opened from @file to the current case, then shows its stored
 * findings or analyses it. */
static void
import_document (SichtungDocumentPane *self,
                 GFile                *file)
{
  g_autoptr(GTask) task = NULL;
  StoreData *data;

  cancel_analysis (self);
  clear_findings (self);
  set_analysis_note (self, NULL, FALSE);

  self->analysis_cancellable = g_cancellable_new ();
  data = store_data_new (self, self->analysis_cancellable);
  data->document = g_object_ref (self->document);
  data->file = g_object_ref (file);
  data->name = file_display_name (file);
  data->case_id = self->case_id;

  gtk_label_set_text (self->analysis_label, _("Adding the document to the case…"));
  gtk_progress_bar_set_fraction (self->analysis_progress, 0.0);
  set_analyzing (self, TRUE);

  task = g_task_new (NULL, self->analysis_cancellable, import_cb, NULL);
  g_task_set_source_tag (task, import_document);
  g_task_set_task_data (task, data, (GDestroyNotify) store_data_free);
  g_task_run_in_thread (task, import_thread);
}


static void
read_stored_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  StoreData *data = task_data;
  g_autoptr(GBytes) content = NULL;
  GError *error = NULL;

  content = sc_store_get_document_content (data->store, data->document_id, &error);
  if (content != NULL)
    data->document = sc_document_new_from_bytes (content, data->name, NULL, &error);
  if (data->document != NULL)
    data->findings = sc_store_list_findings (data->store, data->document_id, &error);

  if (data->findings == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
read_stored_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  StoreData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(SichtungDocumentPane) self = g_weak_ref_get (&data->pane);
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  /* A newer open or dispose cancelled this one: its result is of no interest. */
  if (self == NULL || g_cancellable_is_cancelled (data->cancellable))
    return;

  finish_loading (self);
  if (!ok)
    {
      self->pending_page = G_MAXUINT;
      show_content (self);
      /* The core's messages are sentences that name the document. */
      set_error_message (self, error->message);
      sichtung_document_pane_update_actions (self);
      return;
    }

  set_document (self, data->document, NULL, data->document_id, data->findings, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Loading                                                                                    */

/* What a load and a password prompt need. The pane is held weakly: closing the window
 * during a slow load frees the pane at once, and the result is dropped. */
typedef struct
{
  GWeakRef      pane;
  GFile        *file;
  GCancellable *cancellable;
} LoadData;

static LoadData *
load_data_new (SichtungDocumentPane *self,
               GFile                *file)
{
  LoadData *data = g_new0 (LoadData, 1);

  g_weak_ref_init (&data->pane, self);
  data->file = g_object_ref (file);
  data->cancellable = g_object_ref (self->cancellable);
  return data;
}

static void
load_data_free (LoadData *data)
{
  g_weak_ref_clear (&data->pane);
  g_clear_object (&data->file);
  g_clear_object (&data->cancellable);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadData, load_data_free)

static void
add_to_recent (SichtungDocumentPane *self)
{
  g_autofree char *uri = NULL;
  GtkRecentData data = { 0 };

  /* A document read from the case store has no file of its own. */
  if (self->file == NULL)
    return;

  uri = g_file_get_uri (self->file);

  data.mime_type = (char *) media_type (self->document);
  data.app_name = (char *) "Sichtung";
  data.app_exec = (char *) "sichtung %u";
  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
}

/* Shows @document. @document_id is its id in the case store when it was read from there, with
 * its stored findings @stored (may be NULL); 0 for a document opened from @file, or for a
 * preview (@preview_title not NULL, @file NULL), which is neither stored nor analysed. */
static void
set_document (SichtungDocumentPane *self,
              ScDocument           *document,
              GFile                *file,
              gint64                document_id,
              GPtrArray            *stored,
              const char           *preview_title)
{
  guint page = self->pending_page;
  gboolean preview = preview_title != NULL;

  g_assert (!preview || (file == NULL && document_id == 0));

  self->pending_page = G_MAXUINT;
  g_object_freeze_notify (G_OBJECT (self));

  g_set_object (&self->document, document);
  g_set_object (&self->file, file);
  g_free (self->title);
  self->title = g_strdup (preview ? preview_title : sc_document_get_title (document));
  if (self->preview != preview)
    {
      self->preview = preview;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEW]);
    }

  /* The old search would be stale; the view clears its own when the document changes. */
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  clear_text (self);
  sichtung_document_view_set_document (self->view, document);
  update_page_controls (self);
  update_zoom_label (self);
  update_match_label (self);
  set_error_message (self, NULL);
  show_content (self);

  extract_text_async (self);
  add_to_recent (self);

  set_document_id (self, document_id);
  if (document_id > 0 && stored != NULL && stored->len > 0)
    {
      cancel_analysis (self);
      clear_findings (self);
      set_analysis_note (self, NULL, FALSE);
      show_findings (self, NULL, stored);
    }
  else if (document_id == 0 && self->store != NULL && file != NULL)
    {
      import_document (self, file);
    }
  else
    {
      start_analysis (self);
    }
  if (page != G_MAXUINT)
    go_to_page (self, page);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  g_object_thaw_notify (G_OBJECT (self));

  sichtung_document_pane_update_actions (self);
}

static void
finish_loading (SichtungDocumentPane *self)
{
  g_clear_object (&self->loading_file);
  self->loading_stored = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* A message for each failure users can act on, naming the file. The core's messages already
 * are such sentences (and translated), with the reason where there is one. */
static char *
describe_error (GFile        *file,
                const GError *error)
{
  g_autofree char *name = file_display_name (file);

  if (g_error_matches (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED))
    return g_strdup_printf (_("“%s” is neither a PDF nor a text document"), name);
  if (error->domain == SC_ERROR)
    return g_strdup (error->message);

  /* Translators: the second %s is the reason, e.g. “No such file or directory”. */
  return g_strdup_printf (_("“%s” could not be read: %s"), name, error->message);
}

static void
password_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  LoadData *data = user_data;
  g_autoptr(SichtungDocumentPane) self = g_weak_ref_get (&data->pane);
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));

  if (self != NULL
      && g_strcmp0 (response, "unlock") == 0
      && !g_cancellable_is_cancelled (data->cancellable))
    {
      /* The core copies the password for the load; the entry's own (non-pageable) buffer
       * is wiped by clearing it, so no copy stays behind here. */
      load_file (self, data->file, gtk_editable_get_text (entry));
    }

  gtk_editable_set_text (entry, "");
}

/* Asks for the password of @file and loads it again with it; @wrong says the last try
 * failed. Cancelling leaves the pane as it was before the open. */
static void
ask_password (SichtungDocumentPane *self,
              GFile                *file,
              gboolean              wrong)
{
  g_autofree char *name = file_display_name (file);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkEntryBuffer *buffer;
  GtkWidget *dialog;
  GtkWidget *entry;
  LoadData *data;

  if (self->password_dialog != NULL)
    gtk_window_destroy (self->password_dialog);

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   wrong ? _("Wrong Password") : _("Password Required"),
                                   NULL);
  if (wrong)
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    _("The password was wrong. Enter the password of “%s” "
                                      "again."), name);
  else
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    _("“%s” is password-protected. Enter its password to "
                                      "open it."), name);

  /* A GtkEntry on a GtkPasswordEntryBuffer keeps the text in non-pageable memory like
   * GtkPasswordEntry does; GtkPasswordEntry itself warns about an invalid cast in GTK 4.8 when
   * an AdwMessageDialog holding it is closed. */
  buffer = gtk_password_entry_buffer_new ();
  entry = gtk_entry_new_with_buffer (buffer);
  g_object_unref (buffer);
  gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PASSWORD);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Password"),
                                  -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "unlock", _("_Unlock"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "unlock",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "unlock");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);

  data = load_data_new (self, file);
  g_signal_connect_data (dialog, "response", G_CALLBACK (password_response_cb),
                         data, (GClosureNotify) (void (*) (void)) load_data_free, 0);

  self->password_dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->password_dialog);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  g_autoptr(SichtungDocumentPane) self = g_weak_ref_get (&data->pane);
  g_autoptr(ScDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  document = sc_document_new_from_file_finish (result, &error);

  /* A newer open or dispose cancelled this one: its result is of no interest. */
  if (self == NULL || g_cancellable_is_cancelled (data->cancellable))
    return;

  finish_loading (self);

  if (document != NULL)
    {
      set_document (self, document, data->file, 0, NULL, NULL);
      return;
    }

  show_content (self);

  if (g_error_matches (error, SC_ERROR, SC_ERROR_NEEDS_PASSWORD)
      || g_error_matches (error, SC_ERROR, SC_ERROR_BAD_PASSWORD))
    {
      ask_password (self, data->file,
                    g_error_matches (error, SC_ERROR, SC_ERROR_BAD_PASSWORD));
      return;
    }

  message = describe_error (data->file, error);
  set_error_message (self, message);
  sichtung_document_pane_update_actions (self);
}

static void
load_file (SichtungDocumentPane *self,
           GFile                *file,
           const char           *password)
{
  g_autofree char *name = file_display_name (file);
  g_autofree char *label = NULL;
  LoadData *data;

  g_assert (SICHTUNG_IS_DOCUMENT_PANE (self));
  g_assert (G_IS_FILE (file));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_set_object (&self->loading_file, file);
  set_error_message (self, NULL);

  label = g_strdup_printf (_("Opening “%s”…"), name);
  gtk_label_set_text (self->loading_label, label);
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  data = load_data_new (self, file);
  sc_document_new_from_file_async (file, password, self->cancellable, load_cb, data);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  sichtung_document_pane_update_actions (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Navigation and zoom                                                                        */

static void
go_to_page (SichtungDocumentPane *self,
            guint                 page)
{
  guint n_pages;

  if (self->document == NULL)
    return;

  n_pages = sc_document_get_n_pages (self->document);
  page = MIN (page, n_pages - 1);

  if (self->view_mode == VIEW_MODE_TEXT && page < self->page_marks->len)
    {
      _sichtung_document_pane_stop_follow (self);
      gtk_text_view_scroll_to_mark (self->text_view, g_ptr_array_index (self->page_marks, page),
                                    0.0, TRUE, 0.0, 0.0);
    }

  /* The page view follows in text mode as well, so switching back stays on the page. */
  self->text_page = page;
  sichtung_document_view_go_to_page (self->view, page);

  update_page_entry (self);
  sichtung_document_pane_update_actions (self);
}

/* Goes to the page number typed into the entry; anything else is marked and undone on
 * leaving the entry. */
static void
page_entry_activate_cb (SichtungDocumentPane *self,
                        GtkEntry             *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  guint n_pages = self->document ? sc_document_get_n_pages (self->document) : 0;
  guint64 page;

  if (n_pages == 0)
    return;

  if (g_ascii_string_to_unsigned (text, 10, 1, n_pages, &page, NULL))
    go_to_page (self, (guint) page - 1);
  else
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
}

static void
page_entry_leave_cb (SichtungDocumentPane *self)
{
  update_page_entry (self);
}

static gboolean
view_changed_idle (gpointer user_data)
{
  SichtungDocumentPane *self = user_data;

  self->view_changed_id = 0;
  if (self->view_mode == VIEW_MODE_PAGE)
    update_page_entry (self);
  update_zoom_label (self);
  if (self->view_mode == VIEW_MODE_PAGE)
    update_match_label (self);
  sichtung_document_pane_update_actions (self);

  return G_SOURCE_REMOVE;
}

/* The view changes page and zoom while it is being allocated (fit-width, scrolling to a
 * page); resizing the toolbar right then would leave it unallocated for the frame, so the
 * toolbar follows from an idle. */
static void
view_changed_cb (SichtungDocumentPane *self)
{
  if (self->view_changed_id == 0)
    self->view_changed_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, view_changed_idle, self, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                    */

static void
sichtung_document_pane_update_actions (SichtungDocumentPane *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_document = self->document != NULL;
  gboolean page_mode = self->view_mode == VIEW_MODE_PAGE;
  guint n_pages = has_document ? sc_document_get_n_pages (self->document) : 0;
  guint page = has_document ? current_page (self) : 0;

  gtk_widget_action_set_enabled (widget, "pane.previous-page", has_document && page > 0);
  gtk_widget_action_set_enabled (widget, "pane.first-page", has_document && page > 0);
  gtk_widget_action_set_enabled (widget, "pane.next-page", has_document && page + 1 < n_pages);
  gtk_widget_action_set_enabled (widget, "pane.last-page", has_document && page + 1 < n_pages);
  gtk_widget_action_set_enabled (widget, "pane.zoom-in", has_document && page_mode);
  gtk_widget_action_set_enabled (widget, "pane.zoom-out", has_document && page_mode);
  gtk_widget_action_set_enabled (widget, "pane.zoom", has_document && page_mode);
  gtk_widget_action_set_enabled (widget, "pane.zoom-fit-width", has_document && page_mode);
  gtk_widget_action_set_enabled (widget, "pane.zoom-fit-page", has_document && page_mode);
  gtk_widget_action_set_enabled (widget, "pane.view-mode", has_document);
  gtk_widget_action_set_enabled (widget, "pane.find", has_document);
  gtk_widget_action_set_enabled (widget, "pane.find-next", has_document);
  gtk_widget_action_set_enabled (widget, "pane.find-previous", has_document);
  gtk_widget_action_set_enabled (widget, "pane.analyze",
                                 has_document && !self->analyzing && !self->preview);
  gtk_widget_action_set_enabled (widget, "pane.cancel-analysis", self->analyzing);
  _sichtung_document_pane_update_manual_actions (self);

  gtk_widget_set_visible (self->document_controls, has_document);
  gtk_widget_set_sensitive (GTK_WIDGET (self->zoom_button), has_document && page_mode);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  sichtung_document_pane_choose_file (SICHTUNG_DOCUMENT_PANE (widget));
}

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SichtungDocumentPane *self = SICHTUNG_DOCUMENT_PANE (widget);
  guint page = current_page (self);

  if (self->document == NULL)
    return;

  if (g_str_equal (action_name, "pane.previous-page"))
    go_to_page (self, page > 0 ? page - 1 : 0);
  else if (g_str_equal (action_name, "pane.next-page"))
    go_to_page (self, page + 1);
  else if (g_str_equal (action_name, "pane.first-page"))
    go_to_page (self, 0);
  else if (g_str_equal (action_name, "pane.last-page"))
    go_to_page (self, sc_document_get_n_pages (self->document) - 1);
  else
    g_assert_not_reached ();
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SichtungDocumentPane *self = SICHTUNG_DOCUMENT_PANE (widget);

  if (g_str_equal (action_name, "pane.zoom-in"))
    sichtung_document_view_zoom_in (self->view);
  else if (g_str_equal (action_name, "pane.zoom-out"))
    sichtung_document_view_zoom_out (self->view);
  else if (g_str_equal (action_name, "pane.zoom"))
    sichtung_document_view_set_zoom (self->view, g_variant_get_double (parameter));
  else if (g_str_equal (action_name, "pane.zoom-fit-width"))
    sichtung_document_view_set_zoom_mode (self->view, SICHTUNG_ZOOM_MODE_FIT_WIDTH);
  else if (g_str_equal (action_name, "pane.zoom-fit-page"))
    sichtung_document_view_set_zoom_mode (self->view, SICHTUNG_ZOOM_MODE_FIT_PAGE);
  else
    g_assert_not_reached ();
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SichtungDocumentPane *self = SICHTUNG_DOCUMENT_PANE (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

static void
find_next_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SichtungDocumentPane *self = SICHTUNG_DOCUMENT_PANE (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  if (g_str_equal (action_name, "pane.find-next"))
    find_next (self);
  else
    find_previous (self);
}

static void
analysis_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SichtungDocumentPane *self = SICHTUNG_DOCUMENT_PANE (widget);

  if (g_str_equal (action_name, "pane.analyze"))
    sichtung_document_pane_analyze (self);
  else if (g_str_equal (action_name, "pane.cancel-analysis"))
    sichtung_document_pane_cancel_analysis (self);
  else if (g_str_equal (action_name, "pane.dismiss-note"))
    set_analysis_note (self, NULL, FALSE);
  else
    g_assert_not_reached ();
}

static void
dismiss_error_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  set_error_message (SICHTUNG_DOCUMENT_PANE (widget), NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Drag and drop, file chooser                                                                */

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         gpointer       user_data)
{
  SichtungDocumentPane *self = user_data;
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  /* One pane shows one document: the first of several dropped files. */
  files = g_value_get_boxed (value);
  if (files == NULL)
    return FALSE;

  sichtung_document_pane_open (self, files->data);
  return TRUE;
}

static void
chooser_response_cb (GtkNativeDialog      *chooser,
                     int                   response,
                     SichtungDocumentPane *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        sichtung_document_pane_open (self, file);
    }

  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
sichtung_document_pane_dispose (GObject *object)
{
  SichtungDocumentPane *self = SICHTUNG_DOCUMENT_PANE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->text_cancellable);
  cancel_analysis (self);
  g_clear_handle_id (&self->view_changed_id, g_source_remove);
  g_clear_handle_id (&self->retag_id, g_source_remove);
  _sichtung_document_pane_dispose_manual (self);
  _sichtung_document_pane_dispose_changes (self);

  if (self->password_dialog != NULL)
    gtk_window_destroy (self->password_dialog);

  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (self->chooser);
      g_clear_object (&self->chooser);
    }

  g_clear_object (&self->cancellable);
  g_clear_object (&self->text_cancellable);
  g_clear_object (&self->document);
  g_clear_object (&self->file);
  g_clear_object (&self->loading_file);
  g_clear_object (&self->selected_finding);
  g_clear_object (&self->caret_finding);
  g_clear_pointer (&self->analysis, sc_analysis_unref);
  g_clear_object (&self->store);
  if (self->finding_tags != NULL)
    g_ptr_array_set_size (self->finding_tags, 0);
  /* The marks belong to the text buffer, which goes away with the template. */
  if (self->page_marks != NULL)
    g_ptr_array_set_size (self->page_marks, 0);

  /* A load in flight keeps the pane alive after dispose; the template children must not
   * stay alive with it (a disposed GtkTextView's idle would still run, without a buffer). */
  gtk_widget_dispose_template (GTK_WIDGET (self), SICHTUNG_TYPE_DOCUMENT_PANE);

  G_OBJECT_CLASS (sichtung_document_pane_parent_class)->dispose (object);
}

static void
sichtung_document_pane_finalize (GObject *object)
{
  SichtungDocumentPane *self = SICHTUNG_DOCUMENT_PANE (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->page_marks, g_ptr_array_unref);
  g_clear_pointer (&self->text_matches, g_array_unref);
  g_clear_pointer (&self->text_pages, g_array_unref);
  g_clear_pointer (&self->finding_tags, g_ptr_array_unref);
  g_clear_pointer (&self->analysis_note, g_free);
  g_clear_pointer (&self->caret_description, g_free);
  g_clear_object (&self->findings);

  G_OBJECT_CLASS (sichtung_document_pane_parent_class)->finalize (object);
}

static void
sichtung_document_pane_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SichtungDocumentPane *self = SICHTUNG_DOCUMENT_PANE (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;

    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, is_loading (self));
      break;

    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;

    case PROP_VIEW_MODE:
      g_value_set_string (value, sichtung_document_pane_get_view_mode (self));
      break;

    case PROP_N_TEXT_MATCHES:
      g_value_set_uint (value, self->text_matches->len);
      break;

    case PROP_CURRENT_TEXT_MATCH:
      g_value_set_int (value, self->current_text_match);
      break;

    case PROP_FINDINGS:
      g_value_set_object (value, self->findings);
      break;

    case PROP_ANALYSIS:
      g_value_set_boxed (value, self->analysis);
      break;

    case PROP_ANALYZING:
      g_value_set_boolean (value, self->analyzing);
      break;

    case PROP_ANALYSIS_NOTE:
      g_value_set_string (value, self->analysis_note);
      break;

    case PROP_USE_MODEL:
      g_value_set_boolean (value, self->use_model);
      break;

    case PROP_SELECTED_FINDING:
      g_value_set_object (value, self->selected_finding);
      break;

    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_CASE_ID:
      g_value_set_int64 (value, self->case_id);
      break;

    case PROP_DOCUMENT_ID:
      g_value_set_int64 (value, self->document_id);
      break;

    case PROP_PREVIEW:
      g_value_set_boolean (value, self->preview);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_document_pane_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  SichtungDocumentPane *self = SICHTUNG_DOCUMENT_PANE (object);

  switch (prop_id)
    {
    case PROP_VIEW_MODE:
      sichtung_document_pane_set_view_mode (self, g_value_get_string (value));
      break;

    case PROP_USE_MODEL:
      sichtung_document_pane_set_use_model (self, g_value_get_boolean (value));
      break;

    case PROP_SELECTED_FINDING:
      sichtung_document_pane_set_selected_finding (self, g_value_get_object (value));
      break;

    case PROP_STORE:
      sichtung_document_pane_set_store (self, g_value_get_object (value));
      break;

    case PROP_CASE_ID:
      sichtung_document_pane_set_case_id (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_document_pane_class_init (SichtungDocumentPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sichtung_document_pane_dispose;
  object_class->finalize = sichtung_document_pane_finalize;
  object_class->get_property = sichtung_document_pane_get_property;
  object_class->set_property = sichtung_document_pane_set_property;

  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL,
                         SC_TYPE_DOCUMENT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VIEW_MODE] =
    g_param_spec_string ("view-mode", NULL, NULL,
                         "page",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_TEXT_MATCHES] =
    g_param_spec_uint ("n-text-matches", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CURRENT_TEXT_MATCH] =
    g_param_spec_int ("current-text-match", NULL, NULL,
                      -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FINDINGS] =
    g_param_spec_object ("findings", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ANALYSIS] =
    g_param_spec_boxed ("analysis", NULL, NULL,
                        SC_TYPE_ANALYSIS,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ANALYZING] =
    g_param_spec_boolean ("analyzing", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ANALYSIS_NOTE] =
    g_param_spec_string ("analysis-note", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_USE_MODEL] =
    g_param_spec_boolean ("use-model", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SELECTED_FINDING] =
    g_param_spec_object ("selected-finding", NULL, NULL,
                         SICHTUNG_TYPE_FINDING_ITEM,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         SC_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CASE_ID] =
    g_param_spec_int64 ("case-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DOCUMENT_ID] =
    g_param_spec_int64 ("document-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PREVIEW] =
    g_param_spec_boolean ("preview", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A decision on a finding could not be stored; the argument says why. */
  signals[STORE_ERROR] =
    g_signal_new ("store-error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  /* Findings were stored or a decision on one was: counts of open findings changed. */
  signals[DECISIONS_CHANGED] =
    g_signal_new ("decisions-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /* Emitted when a finding is clicked in the page or the text view. */
  signals[FINDING_ACTIVATED] =
    g_signal_new ("finding-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, SICHTUNG_TYPE_FINDING_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/sichtung-document-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, document_controls);
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, page_entry);
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, n_pages_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, zoom_button);
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, search_bar);
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, match_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, error_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, stack);
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, spinner);
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, loading_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, view);
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, text_view);
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, analysis_revealer);
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, analysis_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, analysis_progress);
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, note_revealer);
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, note_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, restart_button);
  gtk_widget_class_bind_template_child (widget_class, SichtungDocumentPane, box_button);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_next_match_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_previous_match_cb);
  gtk_widget_class_bind_template_callback (widget_class, view_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_entry_activate_cb);

  gtk_widget_class_install_action (widget_class, "pane.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "pane.previous-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "pane.next-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "pane.first-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "pane.last-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "pane.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "pane.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "pane.zoom", "d", zoom_action);
  gtk_widget_class_install_action (widget_class, "pane.zoom-fit-width", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "pane.zoom-fit-page", NULL, zoom_action);
  gtk_widget_class_install_property_action (widget_class, "pane.view-mode", "view-mode");
  gtk_widget_class_install_action (widget_class, "pane.show-caret-finding", NULL,
                                   show_caret_finding_action);
  gtk_widget_class_install_action (widget_class, "pane.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "pane.find-next", NULL, find_next_action);
  gtk_widget_class_install_action (widget_class, "pane.find-previous", NULL, find_next_action);
  gtk_widget_class_install_action (widget_class, "pane.dismiss-error", NULL,
                                   dismiss_error_action);
  gtk_widget_class_install_action (widget_class, "pane.analyze", NULL, analysis_action);
  gtk_widget_class_install_action (widget_class, "pane.cancel-analysis", NULL, analysis_action);
  gtk_widget_class_install_action (widget_class, "pane.dismiss-note", NULL, analysis_action);
  _sichtung_document_pane_class_init_manual (widget_class);

  gtk_widget_class_set_css_name (widget_class, "documentpane");

  g_type_ensure (SICHTUNG_TYPE_DOCUMENT_VIEW);
}

static void
sichtung_document_pane_init (SichtungDocumentPane *self)
{
  GtkEventController *controller;
  GtkTextBuffer *buffer;
  GtkDropTarget *target;
  GtkShortcutTrigger *trigger;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->view_mode = VIEW_MODE_PAGE;
  self->current_text_match = -1;
  self->cancellable = g_cancellable_new ();
  self->page_marks = g_ptr_array_new ();
  self->text_matches = g_array_new (FALSE, FALSE, sizeof (TextMatch));
  self->text_pages = g_array_new (FALSE, FALSE, sizeof (TextPage));
  self->finding_tags = g_ptr_array_new ();
  self->findings = g_list_store_new (SICHTUNG_TYPE_FINDING_ITEM);
  self->use_model = TRUE;
  self->pending_page = G_MAXUINT;

  buffer = gtk_text_view_get_buffer (self->text_view);
  self->separator_tag = gtk_text_buffer_create_tag (buffer, "page-separator",
                                                    "justification", GTK_JUSTIFY_CENTER,
                                                    "weight", PANGO_WEIGHT_BOLD,
                                                    "foreground", "#77767b",
                                                    "pixels-above-lines", 12,
                                                    "pixels-below-lines", 6,
                                                    NULL);
  self->match_tag = gtk_text_buffer_create_tag (buffer, "search-match",
                                                "background", "rgba(246,211,45,0.45)",
                                                NULL);
  self->current_match_tag = gtk_text_buffer_create_tag (buffer, "search-current-match",
                                                        "background", "#f6d32d",
                                                        "foreground", "#000000",
                                                        NULL);
  self->selected_finding_tag = gtk_text_buffer_create_tag (buffer, "finding-selected",
                                                           "background", "#99c1f1",
                                                           "foreground", "#000000",
                                                           "weight", PANGO_WEIGHT_BOLD,
                                                           NULL);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  /* GTK 4.8 leaves the search bar's close button (the end of its centre box) unnamed. */
  {
    GtkWidget *revealer = gtk_widget_get_first_child (GTK_WIDGET (self->search_bar));
    GtkWidget *box = revealer != NULL ? gtk_widget_get_first_child (revealer) : NULL;
    GtkWidget *close_button = GTK_IS_CENTER_BOX (box)
                              ? gtk_center_box_get_end_widget (GTK_CENTER_BOX (box)) : NULL;

    if (GTK_IS_BUTTON (close_button))
      gtk_accessible_update_property (GTK_ACCESSIBLE (close_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Close the Search"), -1);
  }
  controller = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (page_entry_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->page_entry), controller);

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, (GType[1]) { GDK_TYPE_FILE_LIST }, 1);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  g_signal_connect (controller, "released", G_CALLBACK (text_view_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), controller);
  g_signal_connect_object (buffer, "notify::cursor-position",
                           G_CALLBACK (update_caret_finding), self, G_CONNECT_SWAPPED);
  /* Enter on a finding selects it; elsewhere (the action is disabled there) it goes on. */
  trigger = gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Return, 0),
                                         gtk_keyval_trigger_new (GDK_KEY_KP_Enter, 0));
  controller = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (trigger,
                                                          gtk_named_action_new ("pane.show-caret-finding")));
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), controller);
  update_caret_finding (self);

  sichtung_document_view_set_findings (self->view, G_LIST_MODEL (self->findings));
  g_signal_connect_swapped (self->view, "finding-activated",
                            G_CALLBACK (view_finding_activated_cb), self);
  g_signal_connect_swapped (self->findings, "items-changed", G_CALLBACK (queue_retag), self);
  _sichtung_document_pane_init_manual (self);
  _sichtung_document_pane_init_changes (self);

  update_page_controls (self);
  update_zoom_label (self);
  sichtung_document_pane_update_actions (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Private API                                                                                */

void
_sichtung_document_pane_add_finding (SichtungDocumentPane *self,
                                     SichtungFindingItem  *item)
{
  g_assert (SICHTUNG_IS_DOCUMENT_PANE (self));
  g_assert (SICHTUNG_IS_FINDING_ITEM (item));

  watch_item (self, item);
  g_list_store_append (self->findings, item);
  activate_finding (self, item);
  g_signal_emit (self, signals[DECISIONS_CHANGED], 0);
}

void
_sichtung_document_pane_report_store_error (SichtungDocumentPane *self,
                                            const char           *message)
{
  g_assert (SICHTUNG_IS_DOCUMENT_PANE (self));

  g_signal_emit (self, signals[STORE_ERROR], 0, message);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

GtkWidget *
sichtung_document_pane_new (void)
{
  return g_object_new (SICHTUNG_TYPE_DOCUMENT_PANE, NULL);
}

void
sichtung_document_pane_open (SichtungDocumentPane *self,
                             GFile                *file)
{
  g_return_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self));
  g_return_if_fail (G_IS_FILE (file));

  load_file (self, file, NULL);
}

void
sichtung_document_pane_choose_file (SichtungDocumentPane *self)
{
  GtkFileChooserNative *chooser;
  GtkRoot *root;
  g_autoptr(GtkFileFilter) documents = NULL;
  g_autoptr(GtkFileFilter) all = NULL;

  g_return_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self));

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (self->chooser);
      return;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  chooser = gtk_file_chooser_native_new (_("Open a Document"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  documents = gtk_file_filter_new ();
  gtk_file_filter_set_name (documents, _("PDF and text documents"));
  gtk_file_filter_add_mime_type (documents, "application/pdf");
  gtk_file_filter_add_mime_type (documents, "text/plain");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), documents);

  all = gtk_file_filter_new ();
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);

  if (self->file != NULL)
    {
      g_autoptr(GFile) folder = g_file_get_parent (self->file);

      if (folder != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }

  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (self->chooser);
}

ScDocument *
sichtung_document_pane_get_document (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), NULL);

  return self->document;
}

GFile *
sichtung_document_pane_get_file (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), NULL);

  return self->file;
}

const char *
sichtung_document_pane_get_title (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), NULL);

  return self->title;
}

gboolean
sichtung_document_pane_get_loading (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), FALSE);

  return is_loading (self);
}

const char *
sichtung_document_pane_get_error_message (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), NULL);

  return self->error_message;
}

const char *
sichtung_document_pane_get_view_mode (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), NULL);

  return self->view_mode == VIEW_MODE_TEXT ? "text" : "page";
}

void
sichtung_document_pane_set_view_mode (SichtungDocumentPane *self,
                                      const char           *view_mode)
{
  ViewMode mode;

  g_return_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self));
  g_return_if_fail (g_strcmp0 (view_mode, "page") == 0 || g_strcmp0 (view_mode, "text") == 0);

  mode = g_str_equal (view_mode, "text") ? VIEW_MODE_TEXT : VIEW_MODE_PAGE;
  if (mode == self->view_mode)
    return;

  self->view_mode = mode;
  gtk_stack_set_visible_child_name (self->view_stack, view_mode);

  if (mode == VIEW_MODE_TEXT)
    {
      guint page = sichtung_document_view_get_current_page (self->view);

      /* Start reading where the page view was. */
      _sichtung_document_pane_stop_follow (self);
      if (page < self->page_marks->len)
        gtk_text_view_scroll_to_mark (self->text_view, g_ptr_array_index (self->page_marks, page),
                                      0.0, TRUE, 0.0, 0.0);
      if (self->current_text_match < 0 && self->text_matches->len > 0)
        select_text_match (self, 0);
      if (self->selected_finding != NULL)
        tag_selected_finding (self, TRUE);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
    }
  else
    {
      update_page_entry (self);
    }

  update_match_label (self);
  sichtung_document_pane_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_MODE]);
}

guint
sichtung_document_pane_get_n_text_matches (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), 0);

  return self->text_matches->len;
}

int
sichtung_document_pane_get_current_text_match (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), -1);

  return self->current_text_match;
}

SichtungDocumentView *
sichtung_document_pane_get_view (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), NULL);

  return self->view;
}

GtkTextView *
sichtung_document_pane_get_text_view (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), NULL);

  return self->text_view;
}

GtkSearchEntry *
sichtung_document_pane_get_search_entry (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), NULL);

  return self->search_entry;
}

GListModel *
sichtung_document_pane_get_findings (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), NULL);

  return G_LIST_MODEL (self->findings);
}

ScAnalysis *
sichtung_document_pane_get_analysis (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), NULL);

  return self->analysis;
}

gboolean
sichtung_document_pane_get_analyzing (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), FALSE);

  return self->analyzing;
}

const char *
sichtung_document_pane_get_analysis_note (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), NULL);

  return self->analysis_note;
}

gboolean
sichtung_document_pane_get_use_model (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), FALSE);

  return self->use_model;
}

void
sichtung_document_pane_set_use_model (SichtungDocumentPane *self,
                                      gboolean              use_model)
{
  g_return_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self));

  use_model = !!use_model;
  if (self->use_model == use_model)
    return;

  self->use_model = use_model;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USE_MODEL]);
}

void
sichtung_document_pane_analyze (SichtungDocumentPane *self)
{
  g_return_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self));

  start_analysis (self);
}

void
sichtung_document_pane_cancel_analysis (SichtungDocumentPane *self)
{
  g_return_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self));

  if (!self->analyzing)
    return;

  cancel_analysis (self);
  set_analyzing (self, FALSE);
  set_analysis_note (self, _("The analysis was cancelled: no findings are shown."), TRUE);
}

SichtungFindingItem *
sichtung_document_pane_get_selected_finding (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), NULL);

  return self->selected_finding;
}

void
sichtung_document_pane_set_selected_finding (SichtungDocumentPane *self,
                                             SichtungFindingItem  *item)
{
  g_return_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self));
  g_return_if_fail (item == NULL || SICHTUNG_IS_FINDING_ITEM (item));

  set_selected_finding (self, item, TRUE);
}

ScStore *
sichtung_document_pane_get_store (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), NULL);

  return self->store;
}

void
sichtung_document_pane_set_store (SichtungDocumentPane *self,
                                  ScStore              *store)
{
  g_return_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self));
  g_return_if_fail (store == NULL || SC_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  /* A document opened before the store was there joins its case now. */
  if (store != NULL && self->document != NULL && self->file != NULL && self->document_id == 0
      && !is_loading (self))
    import_document (self, self->file);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

gint64
sichtung_document_pane_get_case_id (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), 0);

  return self->case_id;
}

void
sichtung_document_pane_set_case_id (SichtungDocumentPane *self,
                                    gint64                case_id)
{
  g_return_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self));
  g_return_if_fail (case_id >= 0);

  if (self->case_id == case_id)
    return;

  self->case_id = case_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE_ID]);
}

gint64
sichtung_document_pane_get_document_id (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), 0);

  return self->document_id;
}

void
sichtung_document_pane_open_stored (SichtungDocumentPane *self,
                                    ScStoreDocument      *document,
                                    int                   page)
{
  g_autofree char *label = NULL;
  g_autoptr(GTask) task = NULL;
  StoreData *data;

  g_return_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self));
  g_return_if_fail (document != NULL);
  g_return_if_fail (self->store != NULL);

  if (self->document != NULL && self->document_id == document->id && !is_loading (self))
    {
      if (page >= 0)
        go_to_page (self, (guint) page);
      return;
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_object (&self->loading_file);
  self->loading_stored = TRUE;
  self->pending_page = page >= 0 ? (guint) page : G_MAXUINT;
  set_error_message (self, NULL);

  label = g_strdup_printf (_("Opening “%s”…"), document->name);
  gtk_label_set_text (self->loading_label, label);
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  data = store_data_new (self, self->cancellable);
  data->document_id = document->id;
  data->case_id = document->case_id;
  data->name = g_strdup (document->name);
  task = g_task_new (NULL, self->cancellable, read_stored_cb, NULL);
  g_task_set_source_tag (task, sichtung_document_pane_open_stored);
  g_task_set_task_data (task, data, (GDestroyNotify) store_data_free);
  g_task_run_in_thread (task, read_stored_thread);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  sichtung_document_pane_update_actions (self);
}

void
sichtung_document_pane_show_preview (SichtungDocumentPane *self,
                                     ScDocument           *document,
                                     const char           *title,
                                     const char           *note)
{
  g_return_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self));
  g_return_if_fail (SC_IS_DOCUMENT (document));
  g_return_if_fail (title != NULL);

  /* A load still running would replace the preview when it ends. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (is_loading (self))
    finish_loading (self);
  self->pending_page = G_MAXUINT;

  set_document (self, document, NULL, 0, NULL, title);
  set_analysis_note (self, note, FALSE);
}

void
sichtung_document_pane_close (SichtungDocumentPane *self)
{
  g_return_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self));

  /* Whatever is still on its way for this document (a load, its import into the store,
   * findings being saved) must not arrive after it is gone. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_cancellable_cancel (self->text_cancellable);
  cancel_analysis (self);
  set_analyzing (self, FALSE);
  if (self->password_dialog != NULL)
    gtk_window_destroy (self->password_dialog);
  if (is_loading (self))
    finish_loading (self);
  self->pending_page = G_MAXUINT;

  g_object_freeze_notify (G_OBJECT (self));
  clear_findings (self);
  set_analysis_note (self, NULL, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  clear_text (self);
  sichtung_document_view_set_document (self->view, NULL);
  g_clear_object (&self->document);
  g_clear_object (&self->file);
  g_clear_pointer (&self->title, g_free);
  if (self->preview)
    {
      self->preview = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEW]);
    }
  set_document_id (self, 0);
  set_error_message (self, NULL);
  show_content (self);
  update_page_controls (self);
  update_zoom_label (self);
  update_match_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  g_object_thaw_notify (G_OBJECT (self));

  sichtung_document_pane_update_actions (self);
}

gboolean
sichtung_document_pane_get_preview (SichtungDocumentPane *self)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self), FALSE);

  return self->preview;
}

void
sichtung_document_pane_show_passage (SichtungDocumentPane *self,
                                     guint                 page,
                                     GArray               *boxes)
{
  g_return_if_fail (SICHTUNG_IS_DOCUMENT_PANE (self));

  if (self->document == NULL || page >= sc_document_get_n_pages (self->document))
    return;

  /* The page first (the text view goes there too), then the passage on it. */
  go_to_page (self, page);
  sichtung_document_view_set_passage (self->view, page, boxes);
}
