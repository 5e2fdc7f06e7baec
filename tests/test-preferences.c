/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-preferences.c: the compute device in the preferences: the row offers Automatic, the CPU
 * and every usable Vulkan device (lavapipe marked as running on the processor), writes the
 * "vulkan-device" setting and follows it, names every control, and the model loader loads the
 * model on the device chosen, again after a change, while $SICHTUNG_DEVICE overrides the
 * setting. Runs under xvfb-run. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "sc-test-ui.h"
#include "sc-test-util.h"
#include "sichtung-model-loader.h"
#include "sichtung-preferences-window.h"

#define WAIT_UNTIL(condition) SC_TEST_WAIT_UNTIL (condition, 60000)

static const char *
item_label (AdwComboRow *row,
            guint        position)
{
  g_autoptr(GtkStringObject) item = g_list_model_get_item (adw_combo_row_get_model (row),
                                                           position);

  g_assert_nonnull (item);
  /* The list keeps the item, and with it the string, alive. */
  return gtk_string_object_get_string (item);
}

static void
assert_setting (GSettings  *settings,
                const char *expected)
{
  g_autofree char *value = g_settings_get_string (settings, "vulkan-device");

  g_assert_cmpstr (value, ==, expected);
}

/* The position of the item that stands for @selector, or G_MAXUINT. */
static guint
find_selector (SichtungPreferencesWindow *window,
               const char                *selector)
{
  const char *s;

  for (guint i = 0; (s = sichtung_preferences_window_get_selector (window, i)) != NULL; i++)
    if (g_str_equal (s, selector))
      return i;
  return G_MAXUINT;
}

static SichtungPreferencesWindow *
new_listed_window (void)
{
  SichtungPreferencesWindow *window = sichtung_preferences_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (sichtung_preferences_window_get_devices_listed (window));
  return window;
}

/* The usable Vulkan devices, as the core lists them: none without Vulkan. */
static GPtrArray *
usable_devices (void)
{
  g_autoptr(GPtrArray) all = sc_vk_enumerate_devices (NULL);
  GPtrArray *usable = g_ptr_array_new ();

  for (guint i = 0; all != NULL && i < all->len; i++)
    if (((ScVkDeviceInfo *) g_ptr_array_index (all, i))->supported)
      g_ptr_array_add (usable, sc_vk_device_info_copy (g_ptr_array_index (all, i)));
  g_ptr_array_set_free_func (usable, (GDestroyNotify) sc_vk_device_info_free);
  return usable;
}

/* Whether @widget has a name a screen reader can say: an accessible label, a relation to a
 * label, or visible text inside it. */
static gboolean
has_name (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

  if (gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL))
    {
      g_autofree char *differs = gtk_test_accessible_check_property (
                                   accessible, GTK_ACCESSIBLE_PROPERTY_LABEL, "");

      if (differs != NULL)
        return TRUE;
    }
  if (gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_visible (child))
        continue;
      if (GTK_IS_LABEL (child) && gtk_label_get_text (GTK_LABEL (child))[0] != '\0')
        return TRUE;
      if (has_name (child))
        return TRUE;
    }
  return FALSE;
}

/* Adds the type of every visible, activatable control below @widget without a name. */
static void
collect_unnamed (GtkWidget *widget,
                 GPtrArray *offenders,
                 guint     *n_checked)
{
  GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));

  if (!gtk_widget_get_visible (widget))
    return;
  if ((GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_DROP_DOWN (widget)
       || GTK_IS_SWITCH (widget) || GTK_IS_CHECK_BUTTON (widget)
       || (GTK_IS_LIST_BOX_ROW (widget)
           && gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (widget))))
      && role != GTK_ACCESSIBLE_ROLE_NONE && role != GTK_ACCESSIBLE_ROLE_PRESENTATION)
    {
      (*n_checked)++;
      if (!has_name (widget))
        g_ptr_array_add (offenders, g_strdup (G_OBJECT_TYPE_NAME (widget)));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_unnamed (child, offenders, n_checked);
}

/* ------------------------------------------------------------------------------------------ */

static void
test_devices (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GPtrArray) devices = usable_devices ();
  g_autoptr(GPtrArray) offenders = g_ptr_array_new_with_free_func (g_free);
  SichtungPreferencesWindow *window;
  AdwComboRow *row;
  guint n_checked = 0;
  guint position;

  g_settings_reset (settings, "vulkan-device");
  window = sichtung_preferences_window_new (NULL);
  row = sichtung_preferences_window_get_device_row (window);
  gtk_window_present (GTK_WINDOW (window));

  /* Before the devices are listed: Automatic, selected, and the CPU. */
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (row)), >=, 2);
  g_assert_cmpstr (item_label (row, 0), ==, "Automatic");
  g_assert_cmpstr (item_label (row, 1), ==, "Processor (CPU)");
  g_assert_cmpstr (sichtung_preferences_window_get_selector (window, 0), ==, "auto");
  g_assert_cmpstr (sichtung_preferences_window_get_selector (window, 1), ==, "cpu");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (row)));

  /* Then one item for every usable Vulkan device, lavapipe said to run on the processor. */
  WAIT_UNTIL (sichtung_preferences_window_get_devices_listed (window));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (row)), ==,
                    2 + devices->len);
  for (guint i = 0; i < devices->len; i++)
    {
      const ScVkDeviceInfo *info = g_ptr_array_index (devices, i);

      position = find_selector (window, info->name);
      g_assert_cmpuint (position, !=, G_MAXUINT);
      g_assert_nonnull (strstr (item_label (row, position), info->name));
      if (info->type == SC_VK_DEVICE_TYPE_CPU)
        g_assert_nonnull (strstr (item_label (row, position), "emulated on the processor"));
      g_test_message ("device %u: %s", position, item_label (row, position));
    }
  if (devices->len == 0)
    g_test_message ("no usable Vulkan device: the row offers Automatic and the CPU only");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);

  /* Choosing writes the setting… */
  adw_combo_row_set_selected (row, 1);
  assert_setting (settings, "cpu");
  for (guint i = 0; i < devices->len; i++)
    {
      const ScVkDeviceInfo *info = g_ptr_array_index (devices, i);

      adw_combo_row_set_selected (row, find_selector (window, info->name));
      assert_setting (settings, info->name);
    }

  /* …and the row follows the setting, also to a device that is not there. */
  g_settings_set_string (settings, "vulkan-device", "auto");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);
  g_settings_set_string (settings, "vulkan-device", "Nirgendwo GPU 9000");
  position = adw_combo_row_get_selected (row);
  g_assert_cmpstr (sichtung_preferences_window_get_selector (window, position), ==,
                   "Nirgendwo GPU 9000");
  g_assert_nonnull (strstr (item_label (row, position), "Nirgendwo GPU 9000"));
  assert_setting (settings, "Nirgendwo GPU 9000");
  g_settings_set_string (settings, "vulkan-device", "cpu");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (row)), ==,
                    2 + devices->len);

  /* Every control has a name a screen reader can say. */
  sc_test_spin (100);
  collect_unnamed (GTK_WIDGET (window), offenders, &n_checked);
  g_assert_cmpuint (n_checked, >=, 1);
  if (offenders->len > 0)
    {
      g_ptr_array_add (offenders, NULL);
      g_autofree char *list = g_strjoinv (", ", (char **) offenders->pdata);

      g_error ("%u of %u visible controls have no accessible name: %s", offenders->len - 1,
               n_checked, list);
    }

  sc_test_ui_destroy_window (window);
}

static void
loaded_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Loads the model as a document pane does; returns it and the device it runs on. */
static ScNer *
load_model (char **device)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ScNer *ner;

  sichtung_model_loader_load_async (NULL, loaded_cb, &result);
  WAIT_UNTIL (result != NULL);
  ner = sichtung_model_loader_load_finish (result, device, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ner);
  return ner;
}

/* The model runs where the row says, and on another device after a change, while the model
 * loaded before keeps working for the analyses that hold it. */
static void
test_loader (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GPtrArray) devices = usable_devices ();
  g_autofree char *models = g_test_build_filename (G_TEST_DIST, "..", "data", "models", NULL);
  g_autofree char *device = NULL;
  g_autofree char *loaded = NULL;
  g_autoptr(ScNer) cpu_ner = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  const ScVkDeviceInfo *lavapipe = NULL;
  SichtungPreferencesWindow *window;
  AdwComboRow *row;

  g_setenv ("SICHTUNG_MODEL_DIR", models, TRUE);
  g_settings_reset (settings, "vulkan-device");

  window = new_listed_window ();
  row = sichtung_preferences_window_get_device_row (window);
  adw_combo_row_set_selected (row, find_selector (window, "cpu"));
  assert_setting (settings, "cpu");
  sc_test_ui_destroy_window (window);

  cpu_ner = load_model (&device);
  g_assert_cmpstr (device, ==, "CPU");
  g_assert_true (sichtung_model_loader_get_loaded (&loaded, NULL));
  g_assert_cmpstr (loaded, ==, "CPU");
  g_clear_pointer (&device, g_free);
  g_clear_pointer (&loaded, g_free);

  /* The preferences say where it runs. */
  window = new_listed_window ();
  g_assert_cmpstr (adw_action_row_get_subtitle (sichtung_preferences_window_get_in_use_row (
                                                  window)), ==, "CPU");

  /* On lavapipe, where there is one: the next load uses the device chosen now. */
  for (guint i = 0; i < devices->len; i++)
    if (((ScVkDeviceInfo *) g_ptr_array_index (devices, i))->type == SC_VK_DEVICE_TYPE_CPU)
      lavapipe = g_ptr_array_index (devices, i);
  if (lavapipe != NULL)
    {
      g_autoptr(ScNer) vulkan_ner = NULL;

      row = sichtung_preferences_window_get_device_row (window);
      adw_combo_row_set_selected (row, find_selector (window, lavapipe->name));
      vulkan_ner = load_model (&device);
      g_assert_true (vulkan_ner != cpu_ner);
      g_assert_nonnull (strstr (device, "llvmpipe"));
      g_clear_pointer (&device, g_free);
    }
  else
    {
      g_test_message ("no lavapipe: the model is not loaded on Vulkan");
    }
  sc_test_ui_destroy_window (window);

  /* Back to the CPU: the model loaded first still finds what it found. */
  g_settings_set_string (settings, "vulkan-device", "cpu");
  findings = sc_ner_find (cpu_ner, "Herr Jonas Beispiel wohnt in Mainz.", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (findings);
  {
    g_autoptr(ScNer) again = load_model (&device);

    g_assert_cmpstr (device, ==, "CPU");
  }

  g_unsetenv ("SICHTUNG_MODEL_DIR");
}

/* $SICHTUNG_DEVICE decides: the window says so and offers no choice. */
static void
test_environment (void)
{
  SichtungPreferencesWindow *window;
  AdwComboRow *row;
  const char *subtitle;

  g_setenv ("SICHTUNG_DEVICE", "cpu", TRUE);
  window = new_listed_window ();
  row = sichtung_preferences_window_get_device_row (window);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (row)));
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_assert_nonnull (subtitle);
  g_assert_nonnull (strstr (subtitle, "SICHTUNG_DEVICE=cpu"));
  sc_test_ui_destroy_window (window);
  g_unsetenv ("SICHTUNG_DEVICE");
}

static gboolean
is_clear_button (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                       "preferences.clear-embedder") == 0;
}

/* The assistant's embedding model: the row names the file, the clear button empties the
 * setting and is off when there is nothing to clear. */
static void
test_embedder (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *value = NULL;
  SichtungPreferencesWindow *window;
  AdwActionRow *row;
  GtkWidget *clear;

  g_settings_set_string (settings, "assistant-embedding-model", "");
  window = new_listed_window ();
  row = sichtung_preferences_window_get_embedder_row (window);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "words"));
  clear = sc_test_ui_find_widget (GTK_WIDGET (row), is_clear_button, NULL);
  g_assert_nonnull (clear);
  g_assert_false (gtk_widget_get_sensitive (clear));

  g_settings_set_string (settings, "assistant-embedding-model", "/modelle/e5-klein.gguf");
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "e5-klein.gguf");
  g_assert_true (gtk_widget_get_sensitive (clear));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "preferences.clear-embedder",
                                             NULL));
  value = g_settings_get_string (settings, "assistant-embedding-model");
  g_assert_cmpstr (value, ==, "");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "words"));
  sc_test_ui_destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  char *data_home;

  /* The setting is under test: only test_environment sets the variable. */
  g_unsetenv ("SICHTUNG_DEVICE");
  data_home = sc_test_ui_init (&argc, &argv, "preferences", SC_TEST_UI_ACCESSIBILITY);

  g_test_add_func ("/sichtung/preferences/devices", test_devices);
  g_test_add_func ("/sichtung/preferences/loader", test_loader);
  g_test_add_func ("/sichtung/preferences/environment", test_environment);
  g_test_add_func ("/sichtung/preferences/embedder", test_embedder);

  return sc_test_ui_run (data_home);
}
