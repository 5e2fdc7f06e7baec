/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-preferences-window.c: the preferences: which device the findings model runs on, and
 * the sentence-embedding model the assistant's search may use.
 *
 * The device row offers "Automatic", the CPU and every usable Vulkan device, and writes the
 * "vulkan-device" setting ("auto", "cpu" or the device's name, as sc_backend_new() takes it).
 * Listing the devices creates a Vulkan instance, which takes a moment, so it runs on a GTask
 * thread and the row grows when it is done. The row below says where the model loaded last
 * runs: sichtung-model-loader.c reads the setting for each analysis, so a change shows there
 * with the next one.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <glib/gi18n.h>

#include "sichtung-core.h"
#include "sichtung-model-loader.h"
#include "sichtung-preferences-window.h"

#define DEVICE_KEY   "vulkan-device"
#define EMBEDDER_KEY "assistant-embedding-model"

struct _SichtungPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template children */
  AdwComboRow          *device_row;
  GtkStringList        *device_strings;
  AdwActionRow         *in_use_row;
  AdwActionRow         *embedder_row;

  GtkFileChooserNative *chooser;
  GSettings            *settings;
  GCancellable         *cancellable;
  /* The setting value of each item of device_strings (char *). */
  GPtrArray            *selectors;
  /* ScVkDeviceInfo of the usable Vulkan devices; NULL until listed. */
  GPtrArray            *devices;
  /* Set while the list is rebuilt: selection changes then are ours, not the user's. */
  gboolean              rebuilding;
  /* $SICHTUNG_DEVICE is set: the setting does not count, the row offers no choice. */
  gboolean              overridden;
};

G_DEFINE_FINAL_TYPE (SichtungPreferencesWindow, sichtung_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

/* ------------------------------------------------------------------------------------------ */
/* The device list                                                                            */

/* What the row shows for @info: a software rasteriser such as Mesa lavapipe runs on the
 * processor, which its name alone does not tell. */
static char *
device_label (const ScVkDeviceInfo *info)
{
  if (info->type == SC_VK_DEVICE_TYPE_CPU)
    return g_strdup_printf (_("%s (emulated on the processor)"), info->name);
  return g_strdup (info->name);
}

/* The position in the list for the setting @value: "auto", "cpu", a device's name or its
 * index (the CLI's --device takes both), or G_MAXUINT. */
static guint
find_position (SichtungPreferencesWindow *self,
               const char                *value)
{
  guint64 number;

  if (g_ascii_strcasecmp (value, "auto") == 0 || value[0] == '\0')
    return 0;
  if (g_ascii_strcasecmp (value, "cpu") == 0)
    return 1;
  for (guint i = 2; i < self->selectors->len; i++)
    if (g_str_equal (g_ptr_array_index (self->selectors, i), value))
      return i;
  if (self->devices != NULL && g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &number,
                                                           NULL))
    for (guint i = 0; i < self->devices->len; i++)
      if (((ScVkDeviceInfo *) g_ptr_array_index (self->devices, i))->index == number)
        return i + 2;
  return G_MAXUINT;
}

static void
append_choice (SichtungPreferencesWindow *self,
               const char                *label,
               const char                *selector)
{
  gtk_string_list_append (self->device_strings, label);
  g_ptr_array_add (self->selectors, g_strdup (selector));
}

/* Fills the row from the devices known so far and selects what the setting says. A setting
 * naming a device that is not there (unplugged, or not listed yet) gets an item of its own,
 * so the row never claims another choice than the one in effect. */
static void
rebuild_choices (SichtungPreferencesWindow *self)
{
  g_autofree char *value = g_settings_get_string (self->settings, DEVICE_KEY);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->device_strings));
  guint position;

  g_strstrip (value);
  self->rebuilding = TRUE;

  gtk_string_list_splice (self->device_strings, 0, n_items, NULL);
  g_ptr_array_set_size (self->selectors, 0);
  append_choice (self, _("Automatic"), "auto");
  append_choice (self, _("Processor (CPU)"), "cpu");
  for (guint i = 0; self->devices != NULL && i < self->devices->len; i++)
    {
      const ScVkDeviceInfo *info = g_ptr_array_index (self->devices, i);
      g_autofree char *label = device_label (info);

      append_choice (self, label, info->name);
    }

  position = find_position (self, value);
  if (position == G_MAXUINT)
    {
      g_autofree char *label = NULL;

      if (self->devices != NULL)
        label = g_strdup_printf (_("%s (not found)"), value);
      append_choice (self, label != NULL ? label : value, value);
      position = self->selectors->len - 1;
    }
  adw_combo_row_set_selected (self->device_row, position);
  /* After the model changed: AdwComboRow decides its sensitivity by the number of items. */
  if (self->overridden)
    gtk_widget_set_sensitive (GTK_WIDGET (self->device_row), FALSE);

  self->rebuilding = FALSE;
}

static void
device_selected_cb (SichtungPreferencesWindow *self)
{
  const char *selector;

  if (self->rebuilding)
    return;
  selector = sichtung_preferences_window_get_selector (
               self, adw_combo_row_get_selected (self->device_row));
  if (selector != NULL)
    g_settings_set_string (self->settings, DEVICE_KEY, selector);
}

/* The setting changed elsewhere (dconf, another window): show it, unless the row shows it
 * already, as after the user picked it here. */
static void
setting_changed_cb (SichtungPreferencesWindow *self)
{
  g_autofree char *value = g_settings_get_string (self->settings, DEVICE_KEY);
  const char *shown = sichtung_preferences_window_get_selector (
                        self, adw_combo_row_get_selected (self->device_row));

  if (g_strcmp0 (g_strstrip (value), shown) != 0)
    rebuild_choices (self);
}

static void
list_devices_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = sc_vk_enumerate_devices (&error);
  GPtrArray *usable = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_vk_device_info_free);

  /* No Vulkan at all is an ordinary state of affairs: the CPU is always there. */
  if (all == NULL)
    g_debug ("No Vulkan devices: %s", error->message);
  for (guint i = 0; all != NULL && i < all->len; i++)
    {
      const ScVkDeviceInfo *info = g_ptr_array_index (all, i);

      /* Not usable for computing: sc_backend_new() would refuse it. */
      if (info->supported)
        g_ptr_array_add (usable, sc_vk_device_info_copy (info));
    }
  g_task_return_pointer (task, usable, (GDestroyNotify) g_ptr_array_unref);
}

static void
list_devices_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SichtungPreferencesWindow *self = SICHTUNG_PREFERENCES_WINDOW (object);
  g_autoptr(GPtrArray) devices = g_task_propagate_pointer (G_TASK (result), NULL);

  /* NULL: cancelled, the window is going. */
  if (devices == NULL)
    return;
  self->devices = g_steal_pointer (&devices);
  rebuild_choices (self);
}

/* ------------------------------------------------------------------------------------------ */
/* What the model runs on                                                                     */

/* Called on construction and whenever the window becomes active, so that coming back from an
 * analysis shows where it ran. */
static void
update_in_use (SichtungPreferencesWindow *self)
{
  g_autofree char *device = NULL;
  g_autofree char *note = NULL;

  if (!sichtung_model_loader_get_loaded (&device, &note))
    adw_action_row_set_subtitle (self->in_use_row, _("No analysis has used the model yet"));
  else if (note != NULL)
    {
      g_autofree char *subtitle = g_strdup_printf ("%s\n%s", device, note);

      adw_action_row_set_subtitle (self->in_use_row, subtitle);
    }
  else
    adw_action_row_set_subtitle (self->in_use_row, device);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

/* ------------------------------------------------------------------------------------------ */
/* The embedding model                                                                        */

static void
update_embedder (SichtungPreferencesWindow *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, EMBEDDER_KEY);

  if (path[0] == '\0')
    adw_action_row_set_subtitle (self->embedder_row,
                                 _("None: passages are found by their words"));
  else
    {
      g_autofree char *name = g_filename_display_basename (path);
      g_autofree char *escaped = g_markup_escape_text (name, -1);

      adw_action_row_set_subtitle (self->embedder_row, escaped);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.clear-embedder",
                                 path[0] != '\0');
}

static void
embedder_chosen_cb (GtkNativeDialog           *chooser,
                    int                        response,
                    SichtungPreferencesWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        g_settings_set_string (self->settings, EMBEDDER_KEY, path);
    }
  g_clear_object (&self->chooser);
}

static void
choose_embedder_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SichtungPreferencesWindow *self = SICHTUNG_PREFERENCES_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *dir = sc_assistant_get_models_dir ();
  g_autoptr(GFile) folder = g_file_new_for_path (dir);

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Choose an Embedding Model"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"),
                                               NULL);
  gtk_file_filter_set_name (filter, _("GGUF Models"));
  gtk_file_filter_add_pattern (filter, "*.gguf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  if (g_file_query_exists (folder, NULL))
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);
  g_signal_connect (self->chooser, "response", G_CALLBACK (embedder_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
clear_embedder_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SichtungPreferencesWindow *self = SICHTUNG_PREFERENCES_WINDOW (widget);

  g_settings_set_string (self->settings, EMBEDDER_KEY, "");
}

static void
sichtung_preferences_window_dispose (GObject *object)
{
  SichtungPreferencesWindow *self = SICHTUNG_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), SICHTUNG_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (sichtung_preferences_window_parent_class)->dispose (object);
}

static void
sichtung_preferences_window_finalize (GObject *object)
{
  SichtungPreferencesWindow *self = SICHTUNG_PREFERENCES_WINDOW (object);

  g_clear_pointer (&self->selectors, g_ptr_array_unref);
  g_clear_pointer (&self->devices, g_ptr_array_unref);

  G_OBJECT_CLASS (sichtung_preferences_window_parent_class)->finalize (object);
}

static void
sichtung_preferences_window_class_init (SichtungPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sichtung_preferences_window_dispose;
  object_class->finalize = sichtung_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH
                                               "/sichtung-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SichtungPreferencesWindow, device_row);
  gtk_widget_class_bind_template_child (widget_class, SichtungPreferencesWindow,
                                        device_strings);
  gtk_widget_class_bind_template_child (widget_class, SichtungPreferencesWindow, in_use_row);
  gtk_widget_class_bind_template_child (widget_class, SichtungPreferencesWindow, embedder_row);
  gtk_widget_class_install_action (widget_class, "preferences.choose-embedder", NULL,
                                   choose_embedder_action);
  gtk_widget_class_install_action (widget_class, "preferences.clear-embedder", NULL,
                                   clear_embedder_action);
  gtk_widget_class_bind_template_callback (widget_class, device_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_in_use);
}

static void
sichtung_preferences_window_init (SichtungPreferencesWindow *self)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *selector = NULL;

  self->selectors = g_ptr_array_new_with_free_func (g_free);
  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();

  /* The template's notify::selected handler needs the fields above. */
  gtk_widget_init_template (GTK_WIDGET (self));

  /* $SICHTUNG_DEVICE decides for every analysis: the setting does not count then. */
  selector = sichtung_model_loader_dup_selector (&self->overridden);
  if (self->overridden)
    {
      g_autofree char *subtitle = NULL;

      subtitle = g_strdup_printf (_("The environment variable SICHTUNG_DEVICE=%s overrides "
                                    "this setting"), selector);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->device_row), subtitle);
    }

  rebuild_choices (self);
  g_signal_connect_swapped (self->settings, "changed::" DEVICE_KEY,
                            G_CALLBACK (setting_changed_cb), self);

  update_in_use (self);
  g_signal_connect_swapped (self->settings, "changed::" EMBEDDER_KEY,
                            G_CALLBACK (update_embedder), self);
  update_embedder (self);

  task = g_task_new (self, self->cancellable, list_devices_cb, NULL);
  g_task_set_source_tag (task, sichtung_preferences_window_init);
  g_task_set_name (task, "sichtung_preferences_window_list_devices");
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, list_devices_thread);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

SichtungPreferencesWindow *
sichtung_preferences_window_new (GtkWindow *parent)
{
  GtkApplication *application = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  if (parent != NULL)
    application = gtk_window_get_application (parent);
  return g_object_new (SICHTUNG_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "application", application,
                       NULL);
}

AdwComboRow *
sichtung_preferences_window_get_device_row (SichtungPreferencesWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_PREFERENCES_WINDOW (self), NULL);

  return self->device_row;
}

AdwActionRow *
sichtung_preferences_window_get_in_use_row (SichtungPreferencesWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_PREFERENCES_WINDOW (self), NULL);

  return self->in_use_row;
}

AdwActionRow *
sichtung_preferences_window_get_embedder_row (SichtungPreferencesWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_PREFERENCES_WINDOW (self), NULL);

  return self->embedder_row;
}

gboolean
sichtung_preferences_window_get_devices_listed (SichtungPreferencesWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_PREFERENCES_WINDOW (self), FALSE);

  return self->devices != NULL;
}

const char *
sichtung_preferences_window_get_selector (SichtungPreferencesWindow *self,
                                          guint                      position)
{
  g_return_val_if_fail (SICHTUNG_IS_PREFERENCES_WINDOW (self), NULL);

  if (position >= self->selectors->len)
    return NULL;
  return g_ptr_array_index (self->selectors, position);
}
