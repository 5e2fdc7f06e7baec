/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-window.c: the main window: a header bar, the cases, two document panes side by
 * side, and the findings of the active document with their explanation.
 *
 * The window decides which pane is active (focus, click, scroll or opening a file), forwards
 * its shortcuts to that pane's "pane." actions, keeps the inactive pane in step while
 * scrolling is synchronised, shows the active pane's findings in the sidebar (selecting a
 * finding there highlights it in the document, clicking one in the document selects it
 * there), and saves its state in GSettings. In compare mode (sichtung-compare.c) the panes show
 * their differences and the inactive pane follows the active one by matched paragraphs.
 *
 * With a case store, the case chosen in the cases sidebar is where the panes add the files
 * opened; the window opens the sidebar's documents and search hits in the active pane, keeps
 * the sidebar's counts in step with decisions, and says when decisions cannot be saved.
 *
 * The right sidebar has two pages: the findings with their explanation, and the local
 * assistant (sichtung-assistant-panel.c), which works on the active pane's document or the
 * current case and shows the passages it cites in the active pane.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sichtung-assistant-panel.h"
#include "sichtung-case-actions.h"
#include "sichtung-case-sidebar.h"
#include "sichtung-compare.h"
#include "sichtung-explanation-panel.h"
#include "sichtung-export.h"
#include "sichtung-findings-panel.h"
#include "sichtung-redaction.h"
#include "sichtung-restore.h"
#include "sichtung-samples.h"
#include "sichtung-window.h"

#define MAX_RECENT_ITEMS 10

struct _SichtungWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template children */
  AdwWindowTitle       *window_title;
  AdwToastOverlay      *toast_overlay;
  GtkPaned             *paned;
  SichtungDocumentPane *left_pane;
  SichtungDocumentPane *right_pane;
  GMenu                *recent_menu;
  GtkWidget            *sidebar;
  GtkStack             *sidebar_stack;
  SichtungAssistantPanel *assistant_panel;
  SichtungFindingsPanel *findings_panel;
  SichtungExplanationPanel *explanation_panel;
  SichtungCaseSidebar  *case_sidebar;
  GtkRevealer          *store_error_revealer;
  GtkLabel             *store_error_label;

  GSettings            *settings;
  SichtungDocumentPane *active_pane;   /* one of the two panes, never NULL */
  gboolean              side_by_side;
  gboolean              sync_scroll;
  gboolean              syncing;       /* guards against copying a position back */
  gboolean              show_findings;
  gboolean              show_cases;
  ScStore              *store;
  gboolean              store_failed;
  GPtrArray            *early_files;   /* GFile opened before the store was there */
  gboolean              sample_pending; /* the sample case waits for the store */
  GCancellable         *cancellable;   /* of work that ends with the window */
  SichtungCompare      *compare;       /* compare mode, "win.compare" */
};

G_DEFINE_FINAL_TYPE (SichtungWindow, sichtung_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_ACTIVE_PANE,
  PROP_SIDE_BY_SIDE,
  PROP_SYNC_SCROLL,
  PROP_SHOW_FINDINGS,
  PROP_SHOW_CASES,
  PROP_SHOW_ASSISTANT,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Window actions that act on the active pane: "win.NAME" activates "pane.NAME". */
static const char * const pane_actions[] = {
  "find",
  "find-next",
  "find-previous",
  "zoom-in",
  "zoom-out",
  "zoom-fit-width",
  "zoom-fit-page",
  "first-page",
  "last-page",
  "previous-page",
  "next-page",
};

static SichtungDocumentPane *
other_pane (SichtungWindow       *self,
            SichtungDocumentPane *pane)
{
  return pane == self->left_pane ? self->right_pane : self->left_pane;
}

static gboolean
pane_is_busy (SichtungDocumentPane *pane)
{
  return sichtung_document_pane_get_document (pane) != NULL
         || sichtung_document_pane_get_loading (pane);
}

/* Whether the positions of both views are being kept in step right now. */
static gboolean
sync_is_effective (SichtungWindow *self)
{
  return self->sync_scroll
         && self->side_by_side
         && sichtung_document_pane_get_document (self->left_pane) != NULL
         && sichtung_document_pane_get_document (self->right_pane) != NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* State                                                                                      */

static void
sichtung_window_update_actions (SichtungWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_document = sichtung_document_pane_get_document (self->active_pane) != NULL;

  for (guint i = 0; i < G_N_ELEMENTS (pane_actions); i++)
    {
      g_autofree char *name = g_strconcat ("win.", pane_actions[i], NULL);

      gtk_widget_action_set_enabled (widget, name, has_document);
    }
  gtk_widget_action_set_enabled (widget, "win.view-mode", has_document);
  gtk_widget_action_set_enabled (widget, "win.focus-other-pane", self->side_by_side);
  gtk_widget_action_set_enabled (widget, "win.sync-scroll",
                                 self->side_by_side
                                 && sichtung_document_pane_get_document (self->left_pane)
                                 && sichtung_document_pane_get_document (self->right_pane));
  gtk_widget_action_set_enabled (widget, "win.no-recent", FALSE);
  gtk_widget_action_set_enabled (widget, "win.dismiss-store-error",
                                 gtk_revealer_get_reveal_child (self->store_error_revealer));
  sichtung_export_update_actions (self);
  sichtung_redaction_update_actions (self);
  sichtung_case_actions_update (self);
  sichtung_restore_update_action (self);
}

static void
update_title (SichtungWindow *self)
{
  const char *title = sichtung_document_pane_get_title (self->active_pane);
  GFile *file = sichtung_document_pane_get_file (self->active_pane);
  g_autofree char *name = NULL;

  if (title == NULL)
    {
      adw_window_title_set_title (self->window_title, _("Sichtung"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_window_set_title (GTK_WINDOW (self), _("Sichtung"));
      return;
    }

  if (file != NULL)
    {
      g_autofree char *path = g_file_get_path (file);

      name = path ? g_filename_display_basename (path) : g_file_get_uri (file);
    }

  adw_window_title_set_title (self->window_title, title);
  /* The file name tells documents with the same metadata title apart. */
  adw_window_title_set_subtitle (self->window_title,
                                 g_strcmp0 (name, title) != 0 ? name : NULL);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

/* Copies the active view's position to the other view. */
static void
sync_positions (SichtungWindow *self)
{
  SichtungDocumentView *from;
  SichtungDocumentView *to;

  if (self->syncing || !sync_is_effective (self))
    return;

  from = sichtung_document_pane_get_view (self->active_pane);
  to = sichtung_document_pane_get_view (other_pane (self, self->active_pane));

  self->syncing = TRUE;
  /* In compare mode by matched paragraphs, where the comparison has them. */
  if (!sichtung_compare_follow (self->compare, self->active_pane))
    sichtung_document_view_set_position (to, sichtung_document_view_get_position (from));
  self->syncing = FALSE;
}

/* Without a position of its own, GtkPaned shares its width by the panes' natural widths, and
 * the divider would move whenever a toolbar label changes: start in the middle instead. */
static void
ensure_paned_position (SichtungWindow *self)
{
  gboolean position_set;
  int min_position, max_position;

  g_object_get (self->paned,
                "position-set", &position_set,
                "min-position", &min_position,
                "max-position", &max_position,
                NULL);
  if (!self->side_by_side || position_set)
    return;

  /* Both panes have the same minimum width, so this is the middle. */
  if (max_position > min_position && max_position < G_MAXINT)
    gtk_paned_set_position (self->paned, min_position + (max_position - min_position) / 2);
}

/* The sidebar shows the active pane's findings and follows its analysis. */
static void
bind_findings (SichtungWindow *self)
{
  SichtungDocumentPane *pane = self->active_pane;
  /* Read first: a new model clears the panel's selection, and with it the pane's. */
  g_autoptr(SichtungFindingItem) selected = NULL;

  g_set_object (&selected, sichtung_document_pane_get_selected_finding (pane));
  sichtung_explanation_panel_set_document (self->explanation_panel,
                                           sichtung_document_pane_get_document (pane));
  sichtung_findings_panel_set_model (self->findings_panel,
                                     sichtung_document_pane_get_findings (pane));
  sichtung_findings_panel_set_analyzing (self->findings_panel,
                                         sichtung_document_pane_get_analyzing (pane));
  sichtung_findings_panel_set_selected_item (self->findings_panel, selected);
  sichtung_explanation_panel_set_analysis (self->explanation_panel,
                                           sichtung_document_pane_get_analysis (pane));
}

static void
selected_item_cb (SichtungWindow *self)
{
  SichtungFindingItem *item = sichtung_findings_panel_get_selected_item (self->findings_panel);

  sichtung_explanation_panel_set_item (self->explanation_panel, item);
  sichtung_document_pane_set_selected_finding (self->active_pane, item);
}

static void
set_active_pane (SichtungWindow       *self,
                 SichtungDocumentPane *pane)
{
  g_assert (pane == self->left_pane || pane == self->right_pane);

  if (self->active_pane == pane)
    return;

  gtk_widget_remove_css_class (GTK_WIDGET (self->active_pane), "active");
  self->active_pane = pane;
  if (self->side_by_side)
    gtk_widget_add_css_class (GTK_WIDGET (pane), "active");

  update_title (self);
  bind_findings (self);
  sichtung_assistant_panel_set_pane (self->assistant_panel, pane);
  sichtung_case_sidebar_set_document_id (self->case_sidebar,
                                         sichtung_document_pane_get_document_id (pane));
  sichtung_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_PANE]);
}

/* ------------------------------------------------------------------------------------------ */
/* Pane signals                                                                               */

static void
pane_document_cb (SichtungWindow       *self,
                  GParamSpec           *pspec,
                  SichtungDocumentPane *pane)
{
  if (pane == self->active_pane)
    {
      update_title (self);
      sichtung_explanation_panel_set_document (self->explanation_panel,
                                               sichtung_document_pane_get_document (pane));
    }
  sichtung_window_update_actions (self);
}

static void
pane_loading_cb (SichtungWindow       *self,
                 GParamSpec           *pspec,
                 SichtungDocumentPane *pane)
{
  /* Opening a file, by drop or button, is the strongest sign of where the user works. */
  if (sichtung_document_pane_get_loading (pane))
    set_active_pane (self, pane);
}

static void
pane_analysis_cb (SichtungWindow       *self,
                  GParamSpec           *pspec,
                  SichtungDocumentPane *pane)
{
  if (pane == self->active_pane)
    bind_findings (self);
  sichtung_export_update_actions (self);
  sichtung_redaction_update_actions (self);
}

/* A finished analysis is completed work: a toast says what it found. */
static void
pane_analyzing_cb (SichtungWindow       *self,
                   GParamSpec           *pspec,
                   SichtungDocumentPane *pane)
{
  ScAnalysis *analysis = sichtung_document_pane_get_analysis (pane);
  g_autoptr(AdwToast) toast = NULL;
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;
  guint n;

  if (pane == self->active_pane)
    sichtung_findings_panel_set_analyzing (self->findings_panel,
                                           sichtung_document_pane_get_analyzing (pane));
  sichtung_export_update_actions (self);
  sichtung_redaction_update_actions (self);

  if (sichtung_document_pane_get_analyzing (pane) || analysis == NULL)
    return;

  n = g_list_model_get_n_items (sichtung_document_pane_get_findings (pane));
  /* Toast titles are markup. */
  name = g_markup_escape_text (sichtung_document_pane_get_title (pane), -1);
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u finding in “%s”",
                                        "%u findings in “%s”", n),
                           n, name);
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, g_steal_pointer (&toast));
}

static void
pane_finding_activated_cb (SichtungWindow       *self,
                           SichtungFindingItem  *item,
                           SichtungDocumentPane *pane)
{
  set_active_pane (self, pane);
  sichtung_findings_panel_set_selected_item (self->findings_panel, item);
}

/* A finding selected in the active pane from elsewhere (the trainers' window) is the one the
 * findings list and the explanation show. */
static void
pane_selected_finding_cb (SichtungWindow       *self,
                          GParamSpec           *pspec,
                          SichtungDocumentPane *pane)
{
  SichtungFindingItem *item = sichtung_document_pane_get_selected_finding (pane);

  if (pane == self->active_pane
      && sichtung_findings_panel_get_selected_item (self->findings_panel) != item)
    sichtung_findings_panel_set_selected_item (self->findings_panel, item);
}

/* A pane added its document to a new case: that case is the current one now. */
static void
pane_case_id_cb (SichtungWindow       *self,
                 GParamSpec           *pspec,
                 SichtungDocumentPane *pane)
{
  gint64 case_id = sichtung_document_pane_get_case_id (pane);

  if (case_id != 0)
    sichtung_case_sidebar_set_case_id (self->case_sidebar, case_id);
}

static void
pane_document_id_cb (SichtungWindow       *self,
                     GParamSpec           *pspec,
                     SichtungDocumentPane *pane)
{
  if (pane == self->active_pane)
    sichtung_case_sidebar_set_document_id (self->case_sidebar,
                                           sichtung_document_pane_get_document_id (pane));
  /* A document added to the case shows up in the list. */
  sichtung_case_sidebar_queue_reload (self->case_sidebar);
}

static void
pane_decisions_changed_cb (SichtungWindow *self)
{
  sichtung_case_sidebar_queue_reload (self->case_sidebar);
  /* The first finding accepted makes a redaction possible, the last one reopened not. */
  sichtung_redaction_update_actions (self);
}

/* A decision could not be saved: the finding kept its state, a toast says why. */
static void
pane_store_error_cb (SichtungWindow *self,
                     const char     *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  g_autofree char *title = NULL;
  AdwToast *toast;

  /* Translators: %s is the reason. Toast titles are markup. */
  title = g_strdup_printf (_("The decision could not be saved: %s"), escaped);
  toast = adw_toast_new (title);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* The page of the right sidebar changed: the assistant is shown, or no longer. */
static void
sidebar_page_cb (SichtungWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_ASSISTANT]);
}

/* ------------------------------------------------------------------------------------------ */
/* Cases sidebar                                                                              */

static void
sidebar_case_id_cb (SichtungWindow *self)
{
  gint64 case_id = sichtung_case_sidebar_get_case_id (self->case_sidebar);

  sichtung_document_pane_set_case_id (self->left_pane, case_id);
  sichtung_document_pane_set_case_id (self->right_pane, case_id);
  sichtung_assistant_panel_set_case_id (self->assistant_panel, case_id);
  sichtung_export_update_actions (self);
  sichtung_case_actions_update (self);
}

static void
sidebar_document_activated_cb (SichtungWindow      *self,
                               ScStoreDocument     *document,
                               int                  page,
                               SichtungCaseSidebar *sidebar)
{
  if (self->store == NULL)
    return;

  sichtung_document_pane_open_stored (self->active_pane, document, page);
}

/* The case a file opened from outside (command line, Open) goes to: the sample case for the
 * bundled samples, else the current case, else a new case named after the file. Returns 0
 * (and shows why) when there is no store or the case could not be made. */
static gint64
case_for_file (SichtungWindow *self,
               GFile          *file)
{
  g_autoptr(GError) error = NULL;
  gint64 case_id = sichtung_case_sidebar_get_case_id (self->case_sidebar);

  if (self->store == NULL)
    return 0;

  if (sichtung_samples_contains (file))
    {
      case_id = sichtung_samples_ensure_case (self->store, &error);
    }
  else if (case_id == 0)
    {
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *name = path != NULL ? g_filename_display_basename (path)
                                           : g_file_get_uri (file);

      case_id = sc_store_create_case (self->store, name, NULL, &error);
    }

  if (case_id == 0)
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);
      g_autofree char *title = NULL;

      /* Translators: %s is the reason. Toast titles are markup. */
      title = g_strdup_printf (_("No case could be made for the document: %s"), escaped);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
      return 0;
    }

  sichtung_case_sidebar_set_case_id (self->case_sidebar, case_id);
  return case_id;
}

static void
view_position_cb (SichtungWindow       *self,
                  GParamSpec           *pspec,
                  SichtungDocumentView *view)
{
  if (view == sichtung_document_pane_get_view (self->active_pane))
    sync_positions (self);
}

static void
focus_enter_cb (GtkEventControllerFocus *controller,
                SichtungWindow          *self)
{
  GtkWidget *pane = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  set_active_pane (self, SICHTUNG_DOCUMENT_PANE (pane));
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            SichtungWindow  *self)
{
  GtkWidget *pane = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  set_active_pane (self, SICHTUNG_DOCUMENT_PANE (pane));
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           SichtungWindow           *self)
{
  GtkWidget *pane = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  set_active_pane (self, SICHTUNG_DOCUMENT_PANE (pane));
  return FALSE; /* only watching: the view scrolls */
}

/* Watches @pane in the capture phase, without claiming anything, to learn which pane the
 * user works in even when the focus stays elsewhere (scrolling does not move the focus). */
static void
track_pane (SichtungWindow       *self,
            SichtungDocumentPane *pane)
{
  GtkEventController *controller;

  controller = gtk_event_controller_focus_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (focus_enter_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (pane), controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (controller), 0);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (pane), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (pane), controller);

  g_signal_connect_object (pane, "notify::document", G_CALLBACK (pane_document_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (pane, "notify::title", G_CALLBACK (pane_document_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (pane, "notify::loading", G_CALLBACK (pane_loading_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (pane, "notify::analysis", G_CALLBACK (pane_analysis_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (pane, "notify::analyzing", G_CALLBACK (pane_analyzing_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (pane, "notify::selected-finding",
                           G_CALLBACK (pane_selected_finding_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pane, "finding-activated", G_CALLBACK (pane_finding_activated_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sichtung_document_pane_get_view (pane), "notify::position",
                           G_CALLBACK (view_position_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pane, "notify::case-id", G_CALLBACK (pane_case_id_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (pane, "notify::document-id", G_CALLBACK (pane_document_id_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (pane, "decisions-changed", G_CALLBACK (pane_decisions_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pane, "store-error", G_CALLBACK (pane_store_error_cb), self,
                           G_CONNECT_SWAPPED);
}

/* ------------------------------------------------------------------------------------------ */
/* Recent documents                                                                           */

static int
compare_recent (gconstpointer a,
                gconstpointer b)
{
  GtkRecentInfo *info_a = *(GtkRecentInfo **) a;
  GtkRecentInfo *info_b = *(GtkRecentInfo **) b;

  /* Newest first. */
  return g_date_time_compare (gtk_recent_info_get_modified (info_b),
                              gtk_recent_info_get_modified (info_a));
}

static gboolean
is_document_mime_type (const char *mime_type)
{
  return g_strcmp0 (mime_type, "application/pdf") == 0
         || g_strcmp0 (mime_type, "text/plain") == 0;
}

/* Rebuilds the “Recent Documents” submenu from the recent manager: the newest PDF and text
 * files that still exist. */
static void
update_recent_menu (SichtungWindow *self)
{
  GtkRecentManager *manager = gtk_recent_manager_get_default ();
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                gtk_recent_info_unref);
  GList *items = gtk_recent_manager_get_items (manager);
  guint n_items = 0;

  for (GList *l = items; l != NULL; l = l->next)
    {
      GtkRecentInfo *info = l->data;

      if (is_document_mime_type (gtk_recent_info_get_mime_type (info))
          && gtk_recent_info_exists (info))
        g_ptr_array_add (infos, gtk_recent_info_ref (info));
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);

  g_ptr_array_sort (infos, compare_recent);

  g_menu_remove_all (self->recent_menu);
  for (guint i = 0; i < infos->len && n_items < MAX_RECENT_ITEMS; i++)
    {
      GtkRecentInfo *info = g_ptr_array_index (infos, i);
      g_autoptr(GMenuItem) item = NULL;
      g_auto(GStrv) parts = NULL;
      g_autofree char *label = NULL;

      /* Menu labels take mnemonics: an underscore in a file name must stay one. */
      parts = g_strsplit (gtk_recent_info_get_display_name (info), "_", -1);
      label = g_strjoinv ("__", parts);

      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, "win.open-recent",
                                               g_variant_new_string (
                                                 gtk_recent_info_get_uri (info)));
      g_menu_append_item (self->recent_menu, item);
      n_items++;
    }

  if (n_items == 0)
    g_menu_append (self->recent_menu, _("No Recent Documents"), "win.no-recent");
}

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                    */

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SichtungWindow *self = SICHTUNG_WINDOW (widget);

  sichtung_document_pane_choose_file (self->active_pane);
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SichtungWindow *self = SICHTUNG_WINDOW (widget);
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  sichtung_document_pane_open (self->active_pane, file);
}

static void
no_recent_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  /* The “No Recent Documents” item of the menu; the action stays disabled. */
}

static void
pane_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SichtungWindow *self = SICHTUNG_WINDOW (widget);
  g_autofree char *name = NULL;

  g_assert (g_str_has_prefix (action_name, "win."));

  name = g_strconcat ("pane.", action_name + strlen ("win."), NULL);
  gtk_widget_activate_action_variant (GTK_WIDGET (self->active_pane), name, parameter);
}

static void
view_mode_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SichtungWindow *self = SICHTUNG_WINDOW (widget);
  const char *mode = g_variant_get_string (parameter, NULL);

  if (g_str_equal (mode, "page") || g_str_equal (mode, "text"))
    sichtung_document_pane_set_view_mode (self->active_pane, mode);
}

static void
dismiss_store_error_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  SichtungWindow *self = SICHTUNG_WINDOW (widget);

  gtk_revealer_set_reveal_child (self->store_error_revealer, FALSE);
  sichtung_window_update_actions (self);
}

static void
focus_other_pane_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SichtungWindow *self = SICHTUNG_WINDOW (widget);
  SichtungDocumentPane *pane = other_pane (self, self->active_pane);

  set_active_pane (self, pane);
  gtk_widget_child_focus (GTK_WIDGET (pane), GTK_DIR_TAB_FORWARD);
}

/* ------------------------------------------------------------------------------------------ */
/* GtkWindow                                                                                  */

static gboolean
sichtung_window_close_request (GtkWindow *window)
{
  SichtungWindow *self = SICHTUNG_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (self->side_by_side)
    g_settings_set_int (self->settings, "paned-position", gtk_paned_get_position (self->paned));

  return GTK_WINDOW_CLASS (sichtung_window_parent_class)->close_request (window);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
sichtung_window_dispose (GObject *object)
{
  SichtungWindow *self = SICHTUNG_WINDOW (object);

  g_clear_object (&self->compare);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_pointer (&self->early_files, g_ptr_array_unref);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_signal_handlers_disconnect_by_data (gtk_recent_manager_get_default (), self);

  gtk_widget_dispose_template (GTK_WIDGET (self), SICHTUNG_TYPE_WINDOW);

  G_OBJECT_CLASS (sichtung_window_parent_class)->dispose (object);
}

static void
sichtung_window_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SichtungWindow *self = SICHTUNG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ACTIVE_PANE:
      g_value_set_object (value, self->active_pane);
      break;

    case PROP_SIDE_BY_SIDE:
      g_value_set_boolean (value, self->side_by_side);
      break;

    case PROP_SYNC_SCROLL:
      g_value_set_boolean (value, self->sync_scroll);
      break;

    case PROP_SHOW_FINDINGS:
      g_value_set_boolean (value, self->show_findings);
      break;

    case PROP_SHOW_CASES:
      g_value_set_boolean (value, self->show_cases);
      break;

    case PROP_SHOW_ASSISTANT:
      g_value_set_boolean (value, sichtung_window_get_show_assistant (self));
      break;

    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_window_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SichtungWindow *self = SICHTUNG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ACTIVE_PANE:
      sichtung_window_set_active_pane (self, g_value_get_object (value));
      break;

    case PROP_SIDE_BY_SIDE:
      sichtung_window_set_side_by_side (self, g_value_get_boolean (value));
      break;

    case PROP_SYNC_SCROLL:
      sichtung_window_set_sync_scroll (self, g_value_get_boolean (value));
      break;

    case PROP_SHOW_FINDINGS:
      sichtung_window_set_show_findings (self, g_value_get_boolean (value));
      break;

    case PROP_SHOW_CASES:
      sichtung_window_set_show_cases (self, g_value_get_boolean (value));
      break;

    case PROP_SHOW_ASSISTANT:
      sichtung_window_set_show_assistant (self, g_value_get_boolean (value));
      break;

    case PROP_STORE:
      sichtung_window_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_window_class_init (SichtungWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sichtung_window_dispose;
  object_class->get_property = sichtung_window_get_property;
  object_class->set_property = sichtung_window_set_property;

  window_class->close_request = sichtung_window_close_request;

  properties[PROP_ACTIVE_PANE] =
    g_param_spec_object ("active-pane", NULL, NULL,
                         SICHTUNG_TYPE_DOCUMENT_PANE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SIDE_BY_SIDE] =
    g_param_spec_boolean ("side-by-side", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SYNC_SCROLL] =
    g_param_spec_boolean ("sync-scroll", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOW_FINDINGS] =
    g_param_spec_boolean ("show-findings", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOW_CASES] =
    g_param_spec_boolean ("show-cases", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOW_ASSISTANT] =
    g_param_spec_boolean ("show-assistant", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         SC_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/sichtung-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SichtungWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SichtungWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SichtungWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, SichtungWindow, left_pane);
  gtk_widget_class_bind_template_child (widget_class, SichtungWindow, right_pane);
  gtk_widget_class_bind_template_child (widget_class, SichtungWindow, recent_menu);
  gtk_widget_class_bind_template_child (widget_class, SichtungWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, SichtungWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, SichtungWindow, assistant_panel);
  gtk_widget_class_bind_template_child (widget_class, SichtungWindow, findings_panel);
  gtk_widget_class_bind_template_child (widget_class, SichtungWindow, explanation_panel);
  gtk_widget_class_bind_template_child (widget_class, SichtungWindow, case_sidebar);
  gtk_widget_class_bind_template_child (widget_class, SichtungWindow, store_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, SichtungWindow, store_error_label);
  gtk_widget_class_bind_template_callback (widget_class, selected_item_cb);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_page_cb);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.no-recent", NULL, no_recent_action);
  gtk_widget_class_install_property_action (widget_class, "win.side-by-side", "side-by-side");
  gtk_widget_class_install_property_action (widget_class, "win.sync-scroll", "sync-scroll");
  gtk_widget_class_install_property_action (widget_class, "win.show-findings", "show-findings");
  gtk_widget_class_install_property_action (widget_class, "win.show-cases", "show-cases");
  gtk_widget_class_install_property_action (widget_class, "win.show-assistant", "show-assistant");
  /* A class binding rather than an application accelerator: it belongs to this window. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.show-assistant", NULL);
  gtk_widget_class_install_action (widget_class, "win.dismiss-store-error", NULL,
                                   dismiss_store_error_action);
  gtk_widget_class_install_action (widget_class, "win.view-mode", "s", view_mode_action);
  gtk_widget_class_install_action (widget_class, "win.focus-other-pane", NULL,
                                   focus_other_pane_action);
  sichtung_export_install_actions (widget_class);
  sichtung_redaction_install_actions (widget_class);
  sichtung_case_actions_install (widget_class);
  sichtung_restore_install_action (widget_class);
  for (guint i = 0; i < G_N_ELEMENTS (pane_actions); i++)
    {
      g_autofree char *name = g_strconcat ("win.", pane_actions[i], NULL);

      gtk_widget_class_install_action (widget_class, name, NULL, pane_action);
    }

  g_type_ensure (SICHTUNG_TYPE_DOCUMENT_PANE);
  g_type_ensure (SICHTUNG_TYPE_FINDINGS_PANEL);
  g_type_ensure (SICHTUNG_TYPE_EXPLANATION_PANEL);
  g_type_ensure (SICHTUNG_TYPE_CASE_SIDEBAR);
  g_type_ensure (SICHTUNG_TYPE_ASSISTANT_PANEL);
}

static void
sichtung_window_init (SichtungWindow *self)
{
  int width, height, position;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->active_pane = self->left_pane;
  sichtung_assistant_panel_set_pane (self->assistant_panel, self->left_pane);
  self->show_findings = TRUE;
  self->show_cases = TRUE;
  self->early_files = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  track_pane (self, self->left_pane);
  track_pane (self, self->right_pane);
  self->compare = sichtung_compare_new (self->left_pane, self->right_pane);
  g_action_map_add_action (G_ACTION_MAP (self), sichtung_compare_get_action (self->compare));
  g_signal_connect_object (self->case_sidebar, "notify::case-id",
                           G_CALLBACK (sidebar_case_id_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->case_sidebar, "document-activated",
                           G_CALLBACK (sidebar_document_activated_cb), self, G_CONNECT_SWAPPED);

  self->settings = g_settings_new (APP_ID);

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  position = g_settings_get_int (self->settings, "paned-position");
  if (position > 0)
    gtk_paned_set_position (self->paned, position);

  /* Read once and written on change, but not followed: another window toggling side by
   * side must not rearrange this one. */
  g_settings_bind (self->settings, "side-by-side", self, "side-by-side",
                   G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_GET_NO_CHANGES);
  g_settings_bind (self->settings, "sync-scroll", self, "sync-scroll",
                   G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_GET_NO_CHANGES);

  g_signal_connect_object (gtk_recent_manager_get_default (), "changed",
                           G_CALLBACK (update_recent_menu), self, G_CONNECT_SWAPPED);
  update_recent_menu (self);

  g_signal_connect_object (self->paned, "notify::max-position",
                           G_CALLBACK (ensure_paned_position), self, G_CONNECT_SWAPPED);

  update_title (self);
  bind_findings (self);
  sichtung_window_update_actions (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

SichtungWindow *
sichtung_window_new (GtkApplication *application)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (SICHTUNG_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

SichtungDocumentPane *
sichtung_window_get_pane (SichtungWindow       *self,
                          SichtungPanePosition  position)
{
  g_return_val_if_fail (SICHTUNG_IS_WINDOW (self), NULL);

  return position == SICHTUNG_PANE_RIGHT ? self->right_pane : self->left_pane;
}

SichtungDocumentPane *
sichtung_window_get_active_pane (SichtungWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_WINDOW (self), NULL);

  return self->active_pane;
}

void
sichtung_window_set_active_pane (SichtungWindow       *self,
                                 SichtungDocumentPane *pane)
{
  g_return_if_fail (SICHTUNG_IS_WINDOW (self));
  g_return_if_fail (pane == self->left_pane || pane == self->right_pane);
  g_return_if_fail (pane == self->left_pane || self->side_by_side);

  set_active_pane (self, pane);
}

void
sichtung_window_open (SichtungWindow       *self,
                      GFile                *file,
                      SichtungPanePosition  position)
{
  SichtungDocumentPane *pane;

  g_return_if_fail (SICHTUNG_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (position == SICHTUNG_PANE_RIGHT)
    sichtung_window_set_side_by_side (self, TRUE);

  /* Decided here, before the load: two files opened together go to the same case. Before
   * the store is open, once it is. */
  if (self->store != NULL)
    case_for_file (self, file);
  else if (!self->store_failed)
    g_ptr_array_add (self->early_files, g_object_ref (file));

  pane = sichtung_window_get_pane (self, position);
  sichtung_document_pane_open (pane, file);
}

/* Adds every sample document to the sample case, in the order of the case, on a worker thread
 * (each is read and its text extracted); documents the case has already are found again. */
static void
import_samples_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  ScStore *store = SC_STORE (source_object);
  GPtrArray *files = task_data;
  GError *error = NULL;
  gint64 case_id;

  case_id = sichtung_samples_ensure_case (store, &error);
  if (case_id == 0)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < files->len; i++)
    {
      GFile *file = g_ptr_array_index (files, i);
      g_autoptr(GBytes) content = NULL;
      g_autoptr(ScDocument) document = NULL;
      g_autofree char *name = g_file_get_basename (file);

      content = g_file_load_bytes (file, cancellable, NULL, &error);
      if (content != NULL)
        document = sc_document_new_from_bytes (content, name, NULL, &error);
      if (document == NULL
          || sc_store_import_document (store, case_id, name, document, content, NULL,
                                       &error) == 0)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_int (task, case_id);
}

typedef struct
{
  GWeakRef   window;
  GPtrArray *files;
} SampleData;

static void
sample_data_free (SampleData *data)
{
  g_weak_ref_clear (&data->window);
  g_ptr_array_unref (data->files);
  g_free (data);
}

/* Shows the Bescheid and the Widerspruch side by side, the documents a clerk compares first. */
static void
show_sample_documents (SichtungWindow *self,
                       GPtrArray      *files)
{
  /* the Bescheid on the left, the Widerspruch against it on the right */
  for (guint i = 0; i < files->len; i++)
    {
      GFile *file = g_ptr_array_index (files, i);
      g_autofree char *basename = g_file_get_basename (file);

      if (g_str_has_prefix (basename, "03-bescheid."))
        sichtung_window_open (self, file, SICHTUNG_PANE_LEFT);
      else if (g_str_has_prefix (basename, "04-widerspruch."))
        sichtung_window_open (self, file, SICHTUNG_PANE_RIGHT);
    }
  sichtung_window_set_active_pane (self, self->left_pane);
}

static void
import_samples_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SampleData *data = user_data;
  g_autoptr(SichtungWindow) self = g_weak_ref_get (&data->window);
  g_autoptr(GError) error = NULL;
  gint64 case_id;

  case_id = g_task_propagate_int (G_TASK (result), &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      sample_data_free (data);
      return;
    }

  if (error != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);
      g_autofree char *title = NULL;

      /* Translators: %s is the reason. Toast titles are markup. */
      title = g_strdup_printf (_("The sample case could not be set up: %s"), escaped);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
    }
  else
    {
      sichtung_case_sidebar_set_case_id (self->case_sidebar, case_id);
      sichtung_case_sidebar_queue_reload (self->case_sidebar);
    }
  show_sample_documents (self, data->files);
  sample_data_free (data);
}

void
sichtung_window_open_sample_case (SichtungWindow *self)
{
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GTask) task = NULL;
  SampleData *data;

  g_return_if_fail (SICHTUNG_IS_WINDOW (self));

  self->sample_pending = FALSE;
  files = sichtung_samples_get_documents ();
  if (files->len < 4)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("The sample case is not installed")));
      return;
    }

  if (self->store == NULL)
    {
      /* Once the store is open, or without it when it cannot be. */
      if (!self->store_failed)
        {
          self->sample_pending = TRUE;
          return;
        }
      show_sample_documents (self, files);
      return;
    }

  data = g_new0 (SampleData, 1);
  g_weak_ref_init (&data->window, self);
  data->files = g_ptr_array_ref (files);
  task = g_task_new (self->store, self->cancellable, import_samples_cb, data);
  g_task_set_source_tag (task, sichtung_window_open_sample_case);
  g_task_set_task_data (task, g_ptr_array_ref (files), (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, import_samples_thread);
}

gboolean
sichtung_window_shows_sample_case (SichtungWindow *self)
{
  GFile *file;

  g_return_val_if_fail (SICHTUNG_IS_WINDOW (self), FALSE);

  if (self->sample_pending)
    return TRUE;
  file = sichtung_document_pane_get_file (self->left_pane);
  return file != NULL && sichtung_samples_contains (file);
}

gboolean
sichtung_window_is_empty (SichtungWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_WINDOW (self), FALSE);

  return !pane_is_busy (self->left_pane) && !pane_is_busy (self->right_pane);
}

gboolean
sichtung_window_get_side_by_side (SichtungWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_WINDOW (self), FALSE);

  return self->side_by_side;
}

void
sichtung_window_set_side_by_side (SichtungWindow *self,
                                  gboolean        side_by_side)
{
  g_return_if_fail (SICHTUNG_IS_WINDOW (self));

  side_by_side = !!side_by_side;
  if (self->side_by_side == side_by_side)
    return;

  self->side_by_side = side_by_side;
  gtk_widget_set_visible (GTK_WIDGET (self->right_pane), side_by_side);

  if (side_by_side)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->active_pane), "active");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->active_pane), "active");
      set_active_pane (self, self->left_pane);
    }

  ensure_paned_position (self);
  sync_positions (self);
  sichtung_window_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIDE_BY_SIDE]);
}

gboolean
sichtung_window_get_sync_scroll (SichtungWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_WINDOW (self), FALSE);

  return self->sync_scroll;
}

void
sichtung_window_set_sync_scroll (SichtungWindow *self,
                                 gboolean        sync_scroll)
{
  g_return_if_fail (SICHTUNG_IS_WINDOW (self));

  sync_scroll = !!sync_scroll;
  if (self->sync_scroll == sync_scroll)
    return;

  self->sync_scroll = sync_scroll;
  sync_positions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_SCROLL]);
}

void
sichtung_window_add_toast (SichtungWindow *self,
                           AdwToast       *toast)
{
  g_return_if_fail (SICHTUNG_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

gboolean
sichtung_window_get_show_findings (SichtungWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_WINDOW (self), FALSE);

  return self->show_findings;
}

void
sichtung_window_set_show_findings (SichtungWindow *self,
                                   gboolean        show_findings)
{
  g_return_if_fail (SICHTUNG_IS_WINDOW (self));

  show_findings = !!show_findings;
  if (self->show_findings == show_findings)
    return;

  self->show_findings = show_findings;
  gtk_widget_set_visible (self->sidebar, show_findings);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_FINDINGS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_ASSISTANT]);
}

gboolean
sichtung_window_get_show_assistant (SichtungWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_WINDOW (self), FALSE);

  return self->show_findings
         && g_strcmp0 (gtk_stack_get_visible_child_name (self->sidebar_stack), "assistant") == 0;
}

void
sichtung_window_set_show_assistant (SichtungWindow *self,
                                    gboolean        show_assistant)
{
  g_return_if_fail (SICHTUNG_IS_WINDOW (self));

  if (sichtung_window_get_show_assistant (self) == !!show_assistant)
    return;

  /* Showing it opens the sidebar; hiding it goes back to the findings there. */
  g_object_freeze_notify (G_OBJECT (self));
  if (show_assistant)
    sichtung_window_set_show_findings (self, TRUE);
  gtk_stack_set_visible_child_name (self->sidebar_stack,
                                    show_assistant ? "assistant" : "findings");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_ASSISTANT]);
  g_object_thaw_notify (G_OBJECT (self));
  if (show_assistant)
    gtk_widget_child_focus (GTK_WIDGET (self->assistant_panel), GTK_DIR_TAB_FORWARD);
}

SichtungAssistantPanel *
sichtung_window_get_assistant_panel (SichtungWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_WINDOW (self), NULL);

  return self->assistant_panel;
}

SichtungFindingsPanel *
sichtung_window_get_findings_panel (SichtungWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_WINDOW (self), NULL);

  return self->findings_panel;
}

SichtungExplanationPanel *
sichtung_window_get_explanation_panel (SichtungWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_WINDOW (self), NULL);

  return self->explanation_panel;
}

gboolean
sichtung_window_get_show_cases (SichtungWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_WINDOW (self), FALSE);

  return self->show_cases;
}

void
sichtung_window_set_show_cases (SichtungWindow *self,
                                gboolean        show_cases)
{
  g_return_if_fail (SICHTUNG_IS_WINDOW (self));

  show_cases = !!show_cases;
  if (self->show_cases == show_cases)
    return;

  self->show_cases = show_cases;
  gtk_widget_set_visible (GTK_WIDGET (self->case_sidebar), show_cases);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_CASES]);
}

SichtungCaseSidebar *
sichtung_window_get_case_sidebar (SichtungWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_WINDOW (self), NULL);

  return self->case_sidebar;
}

ScStore *
sichtung_window_get_store (SichtungWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_WINDOW (self), NULL);

  return self->store;
}

void
sichtung_window_set_store (SichtungWindow *self,
                           ScStore        *store)
{
  g_return_if_fail (SICHTUNG_IS_WINDOW (self));
  g_return_if_fail (store == NULL || SC_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  /* The case first, then the panes: a document they show already is added to it. */
  sichtung_case_sidebar_set_store (self->case_sidebar, store);
  if (store != NULL)
    {
      self->store_failed = FALSE;
      for (guint i = 0; i < self->early_files->len; i++)
        case_for_file (self, g_ptr_array_index (self->early_files, i));
      g_ptr_array_set_size (self->early_files, 0);
      gtk_revealer_set_reveal_child (self->store_error_revealer, FALSE);
      sichtung_window_update_actions (self);
    }
  sichtung_document_pane_set_store (self->left_pane, store);
  sichtung_document_pane_set_store (self->right_pane, store);
  sichtung_assistant_panel_set_store (self->assistant_panel, store);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  if (store != NULL && self->sample_pending)
    sichtung_window_open_sample_case (self);
}

void
sichtung_window_set_store_error (SichtungWindow *self,
                                 const GError   *error)
{
  g_autofree char *message = NULL;

  g_return_if_fail (SICHTUNG_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  sichtung_window_set_store (self, NULL);
  self->store_failed = TRUE;
  g_ptr_array_set_size (self->early_files, 0);
  if (self->sample_pending)
    sichtung_window_open_sample_case (self);

  /* Translators: %s says what is wrong with the case database, e.g. ““faelle.sqlite” is
   * damaged: …”. */
  message = g_strdup_printf (_("Your cases could not be opened, so decisions will not be saved. "
                               "Documents can still be viewed and analysed. The case database "
                               "was left as it is: %s"), error->message);
  gtk_label_set_text (self->store_error_label, message);
  gtk_revealer_set_reveal_child (self->store_error_revealer, TRUE);
  sichtung_case_sidebar_set_error (self->case_sidebar, error->message);
  sichtung_window_update_actions (self);
}

const char *
sichtung_window_get_store_error (SichtungWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->store_error_revealer))
    return NULL;
  return gtk_label_get_text (self->store_error_label);
}
