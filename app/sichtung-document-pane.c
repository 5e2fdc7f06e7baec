/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-document-pane.c: one document with its toolbar, search, page and text views.
 *
 * The pane owns the whole life of one opened file: the asynchronous load (cancelled when
 * another file is opened or the pane goes away), the password prompt, inline error messages,
 * the text extraction for the accessible text view, and search in both views.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sichtung-document-pane.h"

#define MAX_TEXT_MATCHES 10000

typedef enum
{
  VIEW_MODE_PAGE,
  VIEW_MODE_TEXT,
} ViewMode;

typedef struct
{
  int start; /* character offsets in the text buffer */
  int end;
} TextMatch;

struct _SichtungDocumentPane
{
  AdwBin                parent_instance;

  /* Template children */
  GtkWidget            *document_controls;
  GtkEntry             *page_entry;
  GtkLabel             *n_pages_label;
  GtkMenuButton        *zoom_button;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkLabel             *match_label;
  GtkRevealer          *error_revealer;
  GtkLabel             *error_label;
  GtkStack             *stack;
  GtkSpinner           *spinner;
  GtkLabel             *loading_label;
  GtkStack             *view_stack;
  SichtungDocumentView *view;
  GtkTextView          *text_view;

  /* State */
  ScDocument           *document;
  GFile                *file;
  GFile                *loading_file;
  GCancellable         *cancellable;      /* the load in flight */
  GCancellable         *text_cancellable; /* the text extraction of the document shown */
  char                 *title;
  char                 *error_message;
  ViewMode              view_mode;
  GtkNativeDialog      *chooser;
  GtkWindow            *password_dialog; /* weak */

  GtkTextTag           *separator_tag;
  GtkTextTag           *match_tag;
  GtkTextTag           *current_match_tag;
  GPtrArray            *page_marks;      /* GtkTextMark owned by the buffer, one per page */
  GArray               *text_matches;    /* TextMatch */
  int                   current_text_match;
  guint                 text_page;        /* the page last gone to in the text view */
  guint                 view_changed_id;  /* idle that follows the view's state */
};

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
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void sichtung_document_pane_update_actions (SichtungDocumentPane *self);
static void load_file                             (SichtungDocumentPane *self,
                                                   GFile                *file,
                                                   const char           *password);

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

static gboolean
is_loading (SichtungDocumentPane *self)
{
  return self->loading_file != NULL;
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
  self->current_text_match = -1;
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

  for (guint i = 0; pages[i] != NULL && i < n_pages; i++)
    {
      g_autofree char *separator = NULL;
      g_autofree char *page = g_strstrip (g_strdup (pages[i]));

      /* Translators: the line above the text of each page in the text view. */
      separator = g_strdup_printf (_("— Page %u —"), i + 1);
      if (i > 0)
        gtk_text_buffer_insert (buffer, &iter, "\n", 1);
      g_ptr_array_add (self->page_marks, gtk_text_buffer_create_mark (buffer, NULL, &iter, TRUE));
      gtk_text_buffer_insert_with_tags (buffer, &iter, separator, -1, self->separator_tag, NULL);
      gtk_text_buffer_insert (buffer, &iter, "\n", 1);
      gtk_text_buffer_insert (buffer, &iter, page, -1);
      gtk_text_buffer_insert (buffer, &iter, "\n", 1);
    }

  gtk_text_buffer_get_start_iter (buffer, &iter);
  gtk_text_buffer_place_cursor (buffer, &iter);

  update_text_matches (self);
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
  g_autofree char *uri = g_file_get_uri (self->file);
  GtkRecentData data = { 0 };

  data.mime_type = (char *) (sc_document_get_kind (self->document) == SC_DOCUMENT_KIND_PDF
                             ? "application/pdf" : "text/plain");
  data.app_name = (char *) "Sichtung";
  data.app_exec = (char *) "sichtung %u";
  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
}

static void
set_document (SichtungDocumentPane *self,
              ScDocument           *document,
              GFile                *file)
{
  g_object_freeze_notify (G_OBJECT (self));

  g_set_object (&self->document, document);
  g_set_object (&self->file, file);
  g_free (self->title);
  self->title = g_strdup (sc_document_get_title (document));

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
      set_document (self, document, data->file);
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
  g_clear_handle_id (&self->view_changed_id, g_source_remove);

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
  g_object_class_install_properties (object_class, N_PROPS, properties);

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
  gtk_widget_class_install_action (widget_class, "pane.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "pane.find-next", NULL, find_next_action);
  gtk_widget_class_install_action (widget_class, "pane.find-previous", NULL, find_next_action);
  gtk_widget_class_install_action (widget_class, "pane.dismiss-error", NULL,
                                   dismiss_error_action);

  gtk_widget_class_set_css_name (widget_class, "documentpane");

  g_type_ensure (SICHTUNG_TYPE_DOCUMENT_VIEW);
}

static void
sichtung_document_pane_init (SichtungDocumentPane *self)
{
  GtkEventController *controller;
  GtkTextBuffer *buffer;
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->view_mode = VIEW_MODE_PAGE;
  self->current_text_match = -1;
  self->cancellable = g_cancellable_new ();
  self->page_marks = g_ptr_array_new ();
  self->text_matches = g_array_new (FALSE, FALSE, sizeof (TextMatch));

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

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  controller = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (page_entry_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->page_entry), controller);

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, (GType[1]) { GDK_TYPE_FILE_LIST }, 1);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  update_page_controls (self);
  update_zoom_label (self);
  sichtung_document_pane_update_actions (self);
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
      if (page < self->page_marks->len)
        gtk_text_view_scroll_to_mark (self->text_view, g_ptr_array_index (self->page_marks, page),
                                      0.0, TRUE, 0.0, 0.0);
      if (self->current_text_match < 0 && self->text_matches->len > 0)
        select_text_match (self, 0);
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
