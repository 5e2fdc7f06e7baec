/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-window.c: the main window: a header bar and two document panes side by side.
 *
 * The window decides which pane is active (focus, click, scroll or opening a file), forwards
 * its shortcuts to that pane's "pane." actions, keeps the inactive pane in step while
 * scrolling is synchronised, and saves its state in GSettings.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

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

  GSettings            *settings;
  SichtungDocumentPane *active_pane;   /* one of the two panes, never NULL */
  gboolean              side_by_side;
  gboolean              sync_scroll;
  gboolean              syncing;       /* guards against copying a position back */
};

G_DEFINE_FINAL_TYPE (SichtungWindow, sichtung_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_ACTIVE_PANE,
  PROP_SIDE_BY_SIDE,
  PROP_SYNC_SCROLL,
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
    update_title (self);
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
  g_signal_connect_object (sichtung_document_pane_get_view (pane), "notify::position",
                           G_CALLBACK (view_position_cb), self, G_CONNECT_SWAPPED);
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

  g_clear_object (&self->settings);
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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/sichtung-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SichtungWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SichtungWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SichtungWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, SichtungWindow, left_pane);
  gtk_widget_class_bind_template_child (widget_class, SichtungWindow, right_pane);
  gtk_widget_class_bind_template_child (widget_class, SichtungWindow, recent_menu);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.no-recent", NULL, no_recent_action);
  gtk_widget_class_install_property_action (widget_class, "win.side-by-side", "side-by-side");
  gtk_widget_class_install_property_action (widget_class, "win.sync-scroll", "sync-scroll");
  gtk_widget_class_install_action (widget_class, "win.view-mode", "s", view_mode_action);
  gtk_widget_class_install_action (widget_class, "win.focus-other-pane", NULL,
                                   focus_other_pane_action);
  for (guint i = 0; i < G_N_ELEMENTS (pane_actions); i++)
    {
      g_autofree char *name = g_strconcat ("win.", pane_actions[i], NULL);

      gtk_widget_class_install_action (widget_class, name, NULL, pane_action);
    }

  g_type_ensure (SICHTUNG_TYPE_DOCUMENT_PANE);
}

static void
sichtung_window_init (SichtungWindow *self)
{
  int width, height, position;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->active_pane = self->left_pane;
  track_pane (self, self->left_pane);
  track_pane (self, self->right_pane);

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

  pane = sichtung_window_get_pane (self, position);
  sichtung_document_pane_open (pane, file);
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
