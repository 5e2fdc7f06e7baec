/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-case-sidebar.c: the cases (Vorgänge) of the case store with their documents and
 * open findings, creating a case, and full-text search in the current case.
 *
 * The list is read from the store on the main thread: a few small queries over indexed
 * tables, done again after changes (coalesced, see queue_reload). Searching runs on a GTask
 * thread, a newer search cancelling the one before. The list is one GtkListBox: a row per
 * case, and below the current case a row per document of it.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sichtung-case-sidebar.h"

/* Search hits listed at most; the best come first. */
#define MAX_HITS 200
/* How long changes are collected before the list is read again. */
#define RELOAD_DELAY_MS 250

struct _SichtungCaseSidebar
{
  AdwBin          parent_instance;

  /* Template children */
  GtkMenuButton  *new_case_button;
  GMenuModel     *case_menu;
  GtkPopover     *new_case_popover;
  GtkEntry       *title_entry;
  GtkEntry       *reference_entry;
  GtkSearchEntry *search_entry;
  GtkStack       *stack;
  GtkListBox     *case_list;
  GtkListBox     *results_list;
  AdwStatusPage  *unavailable_page;

  /* State */
  ScStore        *store;
  gint64          case_id;
  gint64          document_id;
  gboolean        has_cases;
  guint           reload_id;
  GCancellable   *search_cancellable;
  GtkPopover     *context_menu;  /* parented to the sidebar, pointing at a row */
};

G_DEFINE_FINAL_TYPE (SichtungCaseSidebar, sichtung_case_sidebar, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CASE_ID,
  N_PROPS
};

enum {
  DOCUMENT_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void run_search (SichtungCaseSidebar *self);

/* ------------------------------------------------------------------------------------------ */
/* Rows                                                                                       */

/* A count of open findings, as a badge; none when nothing is open. */
static GtkWidget *
new_badge (guint n_open)
{
  g_autofree char *text = g_strdup_printf ("%u", n_open);
  GtkWidget *badge = gtk_label_new (text);

  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (badge, "open-badge");
  gtk_widget_add_css_class (badge, "numeric");
  gtk_widget_set_visible (badge, n_open > 0);
  /* The row's accessible name says it in words. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (badge),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "",
                                  -1);
  return badge;
}

static char *
describe_open (guint n_open)
{
  if (n_open == 0)
    return g_strdup (_("no open findings"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u open finding", "%u open findings",
                                       n_open),
                          n_open);
}

static GtkWidget *
new_case_row (ScStoreCase *store_case)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *title = gtk_label_new (store_case->title);
  g_autofree char *open = describe_open (store_case->n_open_findings);
  g_autofree char *name = NULL;

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (labels), title);
  if (store_case->reference[0] != '\0')
    {
      GtkWidget *reference = gtk_label_new (store_case->reference);

      gtk_label_set_xalign (GTK_LABEL (reference), 0);
      gtk_label_set_ellipsize (GTK_LABEL (reference), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (reference, "caption");
      gtk_widget_add_css_class (reference, "dim-label");
      gtk_box_append (GTK_BOX (labels), reference);
      /* Translators: a case in the sidebar, for screen readers: title, reference (Aktenzeichen)
       * and e.g. “3 open findings”. */
      name = g_strdup_printf (_("%s, reference %s, %s"), store_case->title,
                              store_case->reference, open);
    }
  else
    {
      /* Translators: a case without a reference, for screen readers: title and
       * “3 open findings”. */
      name = g_strdup_printf (_("%s, %s"), store_case->title, open);
    }
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_box_append (GTK_BOX (box), new_badge (store_case->n_open_findings));

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_add_css_class (row, "case-row");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  g_object_set_data_full (G_OBJECT (row), "sichtung-case", sc_store_case_ref (store_case),
                          (GDestroyNotify) sc_store_case_unref);
  return row;
}

/* Delete on a document row: asks to remove it from its case (the window's action). */
static gboolean
remove_document_cb (GtkWidget *row,
                    GVariant  *args,
                    gpointer   user_data)
{
  ScStoreDocument *document = g_object_get_data (G_OBJECT (row), "sichtung-document");

  return gtk_widget_activate_action (row, "win.remove-document", "x", document->id);
}

static GtkWidget *
new_document_row (ScStoreDocument *document)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon;
  GtkWidget *label = gtk_label_new (document->name);
  g_autofree char *open = describe_open (document->n_open_findings);
  g_autofree char *name = NULL;
  static const guint delete_keys[] = { GDK_KEY_Delete, GDK_KEY_KP_Delete };
  GtkEventController *controller;

  icon = gtk_image_new_from_icon_name (g_str_equal (document->media_type, "application/pdf")
                                       ? "x-office-document-symbolic"
                                       : "text-x-generic-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "",
                                  -1);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), new_badge (document->n_open_findings));
  gtk_widget_set_margin_start (box, 18);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_add_css_class (row, "document-row");
  gtk_widget_set_tooltip_text (row, document->name);
  /* Translators: a document of a case, for screen readers: its name and “3 open findings”. */
  name = g_strdup_printf (_("%s, %s"), document->name, open);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  g_object_set_data_full (G_OBJECT (row), "sichtung-document", sc_store_document_ref (document),
                          (GDestroyNotify) sc_store_document_unref);

  controller = gtk_shortcut_controller_new ();
  for (guint i = 0; i < G_N_ELEMENTS (delete_keys); i++)
    {
      GtkShortcutAction *action = gtk_callback_action_new (remove_document_cb, NULL, NULL);

      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                            gtk_shortcut_new (gtk_keyval_trigger_new (
                                                                delete_keys[i], 0),
                                                              action));
    }
  gtk_widget_add_controller (row, controller);
  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* ------------------------------------------------------------------------------------------ */
/* The list                                                                                   */

static void
show_page (SichtungCaseSidebar *self,
           const char          *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
}

static void
set_case_id (SichtungCaseSidebar *self,
             gint64               case_id)
{
  if (self->case_id == case_id)
    return;

  self->case_id = case_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE_ID]);
}

static void
show_error (SichtungCaseSidebar *self,
            const char          *message)
{
  adw_status_page_set_description (self->unavailable_page, message);
  show_page (self, "unavailable");
}

static gboolean
searching (SichtungCaseSidebar *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] != '\0';
}

/* Reads the cases, and the documents of the current one, and rebuilds the list. A current
 * case that is gone gives way to the newest. */
static void
fill (SichtungCaseSidebar *self)
{
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GError) error = NULL;
  gint64 case_id = 0;
  GtkListBoxRow *select = NULL;

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->store == NULL)
    return;

  cases = sc_store_list_cases (self->store, &error);
  if (cases == NULL)
    {
      show_error (self, error->message);
      return;
    }

  for (guint i = 0; i < cases->len; i++)
    if (((ScStoreCase *) g_ptr_array_index (cases, i))->id == self->case_id)
      case_id = self->case_id;
  if (case_id == 0 && cases->len > 0)
    case_id = ((ScStoreCase *) g_ptr_array_index (cases, 0))->id;
  if (case_id != 0)
    {
      documents = sc_store_list_documents (self->store, case_id, &error);
      if (documents == NULL)
        {
          show_error (self, error->message);
          return;
        }
    }

  clear_list (self->case_list);
  for (guint i = 0; i < cases->len; i++)
    {
      ScStoreCase *store_case = g_ptr_array_index (cases, i);
      GtkWidget *row = new_case_row (store_case);

      gtk_list_box_append (self->case_list, row);
      if (store_case->id != case_id)
        continue;

      if (select == NULL)
        select = GTK_LIST_BOX_ROW (row);
      for (guint j = 0; j < documents->len; j++)
        {
          ScStoreDocument *document = g_ptr_array_index (documents, j);
          GtkWidget *document_row = new_document_row (document);

          gtk_list_box_append (self->case_list, document_row);
          if (document->id == self->document_id)
            select = GTK_LIST_BOX_ROW (document_row);
        }
    }
  if (select != NULL)
    gtk_list_box_select_row (self->case_list, select);

  self->has_cases = cases->len > 0;
  if (!searching (self))
    show_page (self, self->has_cases ? "cases" : "empty");
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_entry), case_id != 0);
  set_case_id (self, case_id);
}

static gboolean
reload_timeout (gpointer user_data)
{
  SichtungCaseSidebar *self = user_data;

  self->reload_id = 0;
  fill (self);
  return G_SOURCE_REMOVE;
}

static void
row_activated_cb (SichtungCaseSidebar *self,
                  GtkListBoxRow       *row)
{
  ScStoreCase *store_case = g_object_get_data (G_OBJECT (row), "sichtung-case");
  ScStoreDocument *document = g_object_get_data (G_OBJECT (row), "sichtung-document");

  if (store_case != NULL && store_case->id != self->case_id)
    {
      set_case_id (self, store_case->id);
      /* Not while the list box is still busy with this row. */
      g_clear_handle_id (&self->reload_id, g_source_remove);
      self->reload_id = g_idle_add (reload_timeout, self);
      if (searching (self))
        run_search (self);
    }
  else if (document != NULL)
    {
      g_signal_emit (self, signals[DOCUMENT_ACTIVATED], 0, document, -1);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Context menus                                                                              */

/* Shows the menu of @row at (@x, @y) in the sidebar's coordinates: the current case's menu,
 * or a document's. Other cases have none (they become current on activation). */
static void
popup_context_menu (SichtungCaseSidebar *self,
                    GtkListBoxRow       *row,
                    double               x,
                    double               y)
{
  ScStoreCase *store_case = g_object_get_data (G_OBJECT (row), "sichtung-case");
  ScStoreDocument *document = g_object_get_data (G_OBJECT (row), "sichtung-document");
  GdkRectangle rect = { (int) x, (int) y, 1, 1 };
  g_autoptr(GMenu) menu = NULL;

  if (store_case != NULL && store_case->id == self->case_id)
    {
      gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->context_menu), self->case_menu);
    }
  else if (document != NULL)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_("Re_move From the Case…"), NULL);

      g_menu_item_set_action_and_target_value (item, "win.remove-document",
                                               g_variant_new_int64 (document->id));
      menu = g_menu_new ();
      g_menu_append_item (menu, item);
      gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->context_menu),
                                       G_MENU_MODEL (menu));
    }
  else
    {
      return;
    }

  gtk_popover_set_pointing_to (self->context_menu, &rect);
  gtk_popover_popup (self->context_menu);
}

static void
list_pressed_cb (GtkGestureClick     *gesture,
                 int                  n_press,
                 double               x,
                 double               y,
                 SichtungCaseSidebar *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_y (self->case_list, (int) y);
  double sx, sy;

  if (row == NULL)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_translate_coordinates (GTK_WIDGET (self->case_list), GTK_WIDGET (self), x, y,
                                    &sx, &sy);
  popup_context_menu (self, row, sx, sy);
}

/* Menu or Shift+F10: the context menu of the focused row. */
static void
context_menu_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SichtungCaseSidebar *self = SICHTUNG_CASE_SIDEBAR (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row = focus != NULL ? gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW)
                                 : NULL;
  double x, y;

  if (row == NULL || gtk_widget_get_parent (row) != GTK_WIDGET (self->case_list))
    return;
  gtk_widget_translate_coordinates (row, widget, gtk_widget_get_width (row) / 2.0,
                                    gtk_widget_get_height (row) / 2.0, &x, &y);
  popup_context_menu (self, GTK_LIST_BOX_ROW (row), x, y);
}

/* ------------------------------------------------------------------------------------------ */
/* New case                                                                                   */

static void
sichtung_case_sidebar_update_actions (SichtungCaseSidebar *self)
{
  const char *title = gtk_editable_get_text (GTK_EDITABLE (self->title_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (title));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.create",
                                 self->store != NULL && stripped[0] != '\0');
  gtk_widget_set_sensitive (GTK_WIDGET (self->new_case_button), self->store != NULL);
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SichtungCaseSidebar *self = SICHTUNG_CASE_SIDEBAR (widget);
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (
                                                   GTK_EDITABLE (self->title_entry))));
  g_autofree char *reference = g_strstrip (g_strdup (gtk_editable_get_text (
                                                       GTK_EDITABLE (self->reference_entry))));
  g_autoptr(GError) error = NULL;

  if (title[0] == '\0')
    return;

  if (sichtung_case_sidebar_create_case (self, title, reference, &error) == 0)
    {
      /* Stays open with what was typed, saying why. */
      gtk_widget_add_css_class (GTK_WIDGET (self->title_entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_entry), error->message);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->title_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->reference_entry), "");
  gtk_popover_popdown (self->new_case_popover);
}

static void
title_changed_cb (SichtungCaseSidebar *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->title_entry), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_entry), NULL);
  sichtung_case_sidebar_update_actions (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Search                                                                                     */

char *
sichtung_case_sidebar_snippet_markup (const char *snippet)
{
  g_autoptr(GString) markup = NULL;
  const char *p;

  g_return_val_if_fail (snippet != NULL, NULL);

  /* Piece by piece: escaping would turn the match marks (control characters) into entities. */
  markup = g_string_new (NULL);
  for (p = snippet; *p != '\0';)
    {
      const char *mark = strpbrk (p, SC_STORE_MATCH_START SC_STORE_MATCH_END);
      gsize length = mark != NULL ? (gsize) (mark - p) : strlen (p);
      g_autofree char *escaped = g_markup_escape_text (p, (gssize) length);

      g_string_append (markup, escaped);
      if (mark == NULL)
        break;
      g_string_append (markup, *mark == SC_STORE_MATCH_START[0] ? "<b>" : "</b>");
      p = mark + 1;
    }
  return g_string_free (g_steal_pointer (&markup), FALSE);
}

typedef struct
{
  ScStore   *store;
  gint64     case_id;
  char      *query;
  GPtrArray *hits;       /* ScStoreSearchHit */
  GPtrArray *documents;  /* ScStoreDocument of the case */
} SearchData;

static void
search_data_free (SearchData *data)
{
  g_clear_object (&data->store);
  g_free (data->query);
  g_clear_pointer (&data->hits, g_ptr_array_unref);
  g_clear_pointer (&data->documents, g_ptr_array_unref);
  g_free (data);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SearchData *data = task_data;
  GError *error = NULL;

  data->hits = sc_store_search (data->store, data->case_id, data->query, &error);
  if (data->hits != NULL)
    data->documents = sc_store_list_documents (data->store, data->case_id, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static GtkWidget *
new_hit_row (ScStoreSearchHit *hit,
             ScStoreDocument  *document)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *where, *snippet;
  g_autofree char *place = NULL;
  g_autofree char *flat = g_strdup (hit->snippet);
  g_autofree char *markup = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) parts = NULL;

  /* Translators: where a search hit is: document name and page, “bescheid.pdf, page 2”. */
  place = g_strdup_printf (_("%s, page %u"), document->name, hit->page + 1);
  where = gtk_label_new (place);
  gtk_label_set_xalign (GTK_LABEL (where), 0);
  gtk_label_set_ellipsize (GTK_LABEL (where), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (where, "caption-heading");
  gtk_box_append (GTK_BOX (box), where);

  /* A snippet runs over line ends of the page; in a narrow list it reads as one line. */
  g_strdelimit (flat, "\n\r\t\f", ' ');
  markup = sichtung_case_sidebar_snippet_markup (flat);
  snippet = gtk_label_new (NULL);
  gtk_label_set_markup (GTK_LABEL (snippet), markup);
  gtk_label_set_xalign (GTK_LABEL (snippet), 0);
  gtk_label_set_wrap (GTK_LABEL (snippet), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (snippet), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (snippet), 3);
  gtk_label_set_ellipsize (GTK_LABEL (snippet), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (snippet, "caption");
  gtk_box_append (GTK_BOX (box), snippet);

  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_add_css_class (row, "search-hit");

  parts = g_strsplit_set (flat, SC_STORE_MATCH_START SC_STORE_MATCH_END, -1);
  plain = g_strjoinv ("", parts);
  /* Translators: a search hit, for screen readers: “bescheid.pdf, page 2: …the text…”. */
  name = g_strdup_printf (_("%s: %s"), place, plain);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  g_object_set_data_full (G_OBJECT (row), "sichtung-document", sc_store_document_ref (document),
                          (GDestroyNotify) sc_store_document_unref);
  g_object_set_data (G_OBJECT (row), "sichtung-page", GUINT_TO_POINTER (hit->page));
  return row;
}

static void
search_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  SichtungCaseSidebar *self = SICHTUNG_CASE_SIDEBAR (object);
  SearchData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  guint n_rows = 0;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }

  clear_list (self->results_list);
  for (guint i = 0; i < data->hits->len && n_rows < MAX_HITS; i++)
    {
      ScStoreSearchHit *hit = g_ptr_array_index (data->hits, i);

      for (guint j = 0; j < data->documents->len; j++)
        {
          ScStoreDocument *document = g_ptr_array_index (data->documents, j);

          if (document->id != hit->document_id)
            continue;
          gtk_list_box_append (self->results_list, new_hit_row (hit, document));
          n_rows++;
          break;
        }
    }
  show_page (self, n_rows > 0 ? "results" : "no-results");
}

static void
run_search (SichtungCaseSidebar *self)
{
  g_autoptr(GTask) task = NULL;
  SearchData *data;

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);

  if (self->store == NULL || self->case_id == 0)
    return;
  if (!searching (self))
    {
      clear_list (self->results_list);
      show_page (self, self->has_cases ? "cases" : "empty");
      return;
    }

  self->search_cancellable = g_cancellable_new ();
  data = g_new0 (SearchData, 1);
  data->store = g_object_ref (self->store);
  data->case_id = self->case_id;
  data->query = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));

  /* The task holds the sidebar; dispose cancels it, and a cancelled search shows nothing. */
  task = g_task_new (self, self->search_cancellable, search_done_cb, NULL);
  g_task_set_source_tag (task, run_search);
  g_task_set_task_data (task, data, (GDestroyNotify) search_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, search_thread);
}

static void
stop_search_cb (SichtungCaseSidebar *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
hit_activated_cb (SichtungCaseSidebar *self,
                  GtkListBoxRow       *row)
{
  ScStoreDocument *document = g_object_get_data (G_OBJECT (row), "sichtung-document");
  guint page = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "sichtung-page"));

  g_signal_emit (self, signals[DOCUMENT_ACTIVATED], 0, document, (int) page);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
sichtung_case_sidebar_dispose (GObject *object)
{
  SichtungCaseSidebar *self = SICHTUNG_CASE_SIDEBAR (object);

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_object (&self->store);
  g_clear_pointer ((GtkWidget **) &self->context_menu, gtk_widget_unparent);

  gtk_widget_dispose_template (GTK_WIDGET (self), SICHTUNG_TYPE_CASE_SIDEBAR);

  G_OBJECT_CLASS (sichtung_case_sidebar_parent_class)->dispose (object);
}

static void
sichtung_case_sidebar_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SichtungCaseSidebar *self = SICHTUNG_CASE_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_CASE_ID:
      g_value_set_int64 (value, self->case_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_case_sidebar_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SichtungCaseSidebar *self = SICHTUNG_CASE_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      sichtung_case_sidebar_set_store (self, g_value_get_object (value));
      break;

    case PROP_CASE_ID:
      sichtung_case_sidebar_set_case_id (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_case_sidebar_class_init (SichtungCaseSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sichtung_case_sidebar_dispose;
  object_class->get_property = sichtung_case_sidebar_get_property;
  object_class->set_property = sichtung_case_sidebar_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         SC_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CASE_ID] =
    g_param_spec_int64 ("case-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[DOCUMENT_ACTIVATED] =
    g_signal_new ("document-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, SC_TYPE_STORE_DOCUMENT, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/sichtung-case-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, SichtungCaseSidebar, new_case_button);
  gtk_widget_class_bind_template_child (widget_class, SichtungCaseSidebar, new_case_popover);
  gtk_widget_class_bind_template_child (widget_class, SichtungCaseSidebar, case_menu);
  gtk_widget_class_bind_template_child (widget_class, SichtungCaseSidebar, title_entry);
  gtk_widget_class_bind_template_child (widget_class, SichtungCaseSidebar, reference_entry);
  gtk_widget_class_bind_template_child (widget_class, SichtungCaseSidebar, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SichtungCaseSidebar, stack);
  gtk_widget_class_bind_template_child (widget_class, SichtungCaseSidebar, case_list);
  gtk_widget_class_bind_template_child (widget_class, SichtungCaseSidebar, results_list);
  gtk_widget_class_bind_template_child (widget_class, SichtungCaseSidebar, unavailable_page);

  gtk_widget_class_install_action (widget_class, "cases.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "cases.context-menu", NULL,
                                   context_menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "cases.context-menu",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "cases.context-menu", NULL);
  /* The window's actions on the current case, while the focus is in the sidebar. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "win.rename-case", NULL);

  gtk_widget_class_set_css_name (widget_class, "casesidebar");
}

static void
sichtung_case_sidebar_init (SichtungCaseSidebar *self)
{
  GtkGesture *gesture;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->case_list, "row-activated", G_CALLBACK (row_activated_cb),
                            self);
  g_signal_connect_swapped (self->results_list, "row-activated", G_CALLBACK (hit_activated_cb),
                            self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (run_search), self);
  g_signal_connect_swapped (self->search_entry, "stop-search", G_CALLBACK (stop_search_cb), self);
  g_signal_connect_swapped (self->title_entry, "changed", G_CALLBACK (title_changed_cb), self);

  self->context_menu = GTK_POPOVER (gtk_popover_menu_new_from_model (NULL));
  gtk_popover_set_has_arrow (self->context_menu, FALSE);
  gtk_popover_set_position (self->context_menu, GTK_POS_BOTTOM);
  gtk_widget_set_halign (GTK_WIDGET (self->context_menu), GTK_ALIGN_START);
  gtk_widget_set_parent (GTK_WIDGET (self->context_menu), GTK_WIDGET (self));
  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (list_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->case_list), GTK_EVENT_CONTROLLER (gesture));

  gtk_widget_set_sensitive (GTK_WIDGET (self->search_entry), FALSE);
  show_page (self, "loading");
  sichtung_case_sidebar_update_actions (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

GtkWidget *
sichtung_case_sidebar_new (void)
{
  return g_object_new (SICHTUNG_TYPE_CASE_SIDEBAR, NULL);
}

ScStore *
sichtung_case_sidebar_get_store (SichtungCaseSidebar *self)
{
  g_return_val_if_fail (SICHTUNG_IS_CASE_SIDEBAR (self), NULL);

  return self->store;
}

void
sichtung_case_sidebar_set_store (SichtungCaseSidebar *self,
                                 ScStore             *store)
{
  g_return_if_fail (SICHTUNG_IS_CASE_SIDEBAR (self));
  g_return_if_fail (store == NULL || SC_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  clear_list (self->case_list);
  if (store != NULL)
    fill (self);
  else
    show_page (self, "loading");
  sichtung_case_sidebar_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

void
sichtung_case_sidebar_set_error (SichtungCaseSidebar *self,
                                 const char          *message)
{
  g_return_if_fail (SICHTUNG_IS_CASE_SIDEBAR (self));
  g_return_if_fail (message != NULL);

  sichtung_case_sidebar_set_store (self, NULL);
  show_error (self, message);
}

gint64
sichtung_case_sidebar_get_case_id (SichtungCaseSidebar *self)
{
  g_return_val_if_fail (SICHTUNG_IS_CASE_SIDEBAR (self), 0);

  return self->case_id;
}

void
sichtung_case_sidebar_set_case_id (SichtungCaseSidebar *self,
                                   gint64               case_id)
{
  g_return_if_fail (SICHTUNG_IS_CASE_SIDEBAR (self));
  g_return_if_fail (case_id >= 0);

  if (self->case_id == case_id)
    return;

  /* Searching goes on in the new case. */
  set_case_id (self, case_id);
  fill (self);
  if (searching (self))
    run_search (self);
}

void
sichtung_case_sidebar_set_document_id (SichtungCaseSidebar *self,
                                       gint64               document_id)
{
  g_return_if_fail (SICHTUNG_IS_CASE_SIDEBAR (self));

  if (self->document_id == document_id)
    return;

  self->document_id = document_id;
  sichtung_case_sidebar_queue_reload (self);
}

gint64
sichtung_case_sidebar_create_case (SichtungCaseSidebar  *self,
                                   const char           *title,
                                   const char           *reference,
                                   GError              **error)
{
  gint64 case_id;

  g_return_val_if_fail (SICHTUNG_IS_CASE_SIDEBAR (self), 0);
  g_return_val_if_fail (title != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (self->store == NULL)
    {
      g_set_error_literal (error, SC_ERROR, SC_ERROR_IO, _("The cases are not available"));
      return 0;
    }

  case_id = sc_store_create_case (self->store, title,
                                  reference != NULL && reference[0] != '\0' ? reference : NULL,
                                  error);
  if (case_id == 0)
    return 0;

  sichtung_case_sidebar_set_case_id (self, case_id);
  return case_id;
}

void
sichtung_case_sidebar_reload (SichtungCaseSidebar *self)
{
  g_return_if_fail (SICHTUNG_IS_CASE_SIDEBAR (self));

  fill (self);
}

void
sichtung_case_sidebar_queue_reload (SichtungCaseSidebar *self)
{
  g_return_if_fail (SICHTUNG_IS_CASE_SIDEBAR (self));

  if (self->reload_id == 0 && self->store != NULL)
    self->reload_id = g_timeout_add (RELOAD_DELAY_MS, reload_timeout, self);
}

GtkSearchEntry *
sichtung_case_sidebar_get_search_entry (SichtungCaseSidebar *self)
{
  g_return_val_if_fail (SICHTUNG_IS_CASE_SIDEBAR (self), NULL);

  return self->search_entry;
}

GtkListBox *
sichtung_case_sidebar_get_case_list (SichtungCaseSidebar *self)
{
  g_return_val_if_fail (SICHTUNG_IS_CASE_SIDEBAR (self), NULL);

  return self->case_list;
}

GtkListBox *
sichtung_case_sidebar_get_results_list (SichtungCaseSidebar *self)
{
  g_return_val_if_fail (SICHTUNG_IS_CASE_SIDEBAR (self), NULL);

  return self->results_list;
}

const char *
sichtung_case_sidebar_get_page (SichtungCaseSidebar *self)
{
  g_return_val_if_fail (SICHTUNG_IS_CASE_SIDEBAR (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}
