/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-i18n.c: under a German locale every string the window, its panes, its menus and the
 * shortcuts window show is German. A string counts as untranslated when it is one of the
 * English source strings that the catalogue translates: then gettext would return something
 * else for it. Runs under xvfb-run with the catalogue built in the build tree. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "sc-test-ui.h"
#include "sc-test-util.h"
#include "sichtung-application.h"
#include "sichtung-document-pane.h"
#include "sichtung-window.h"

static GPtrArray *untranslated;
static guint n_checked;

static void
spin_until_loaded (SichtungDocumentPane *pane)
{
  gint64 end = g_get_monotonic_time ()
               + (gint64) (20 * sc_test_time_scale ()) * G_TIME_SPAN_SECOND;
  guint id = g_timeout_add_full (G_PRIORITY_LOW, 10, sc_test_wake_up, NULL, NULL);

  while (sichtung_document_pane_get_document (pane) == NULL ||
         sichtung_document_pane_get_loading (pane))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
  /* Let idles relabel the toolbar. */
  end = g_get_monotonic_time () + 300 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static void
check_string (const char *where,
              const char *text)
{
  const char *translated;

  if (text == NULL || *text == '\0')
    return;
  /* Numbers, percentages and symbols are the same in every language. */
  if (strpbrk (text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") == NULL)
    return;

  n_checked++;
  translated = g_dgettext (GETTEXT_PACKAGE, text);
  if (translated != text && strcmp (translated, text) != 0)
    g_ptr_array_add (untranslated, g_strdup_printf ("%s: “%s”", where, text));
}

static void
check_menu (GMenuModel *model)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *label = NULL;
      GMenuLinkIter *links;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        check_string ("menu item", label);

      links = g_menu_model_iterate_item_links (model, i);
      while (g_menu_link_iter_next (links))
        {
          g_autoptr(GMenuModel) link = g_menu_link_iter_get_value (links);

          check_menu (link);
        }
      g_object_unref (links);
    }
}

/* Checks the user-visible string properties of @widget and everything below it. */
static void
check_widget (GtkWidget *widget)
{
  const char *type = G_OBJECT_TYPE_NAME (widget);
  static const char *const properties[] = {
    "label", "tooltip-text", "placeholder-text", "title", "description", "text",
    "subtitle", "accelerator-title",
  };

  for (guint i = 0; i < G_N_ELEMENTS (properties); i++)
    {
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (widget),
                                                        properties[i]);
      g_autofree char *value = NULL;

      if (pspec == NULL || pspec->value_type != G_TYPE_STRING ||
          !(pspec->flags & G_PARAM_READABLE))
        continue;
      /* Document titles and the user's text are content, not UI. */
      if (ADW_IS_WINDOW_TITLE (widget) || GTK_IS_EDITABLE (widget))
        if (g_str_equal (properties[i], "title") || g_str_equal (properties[i], "subtitle") ||
            g_str_equal (properties[i], "text"))
          continue;
      g_object_get (widget, properties[i], &value, NULL);
      check_string (type, value);
    }

  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)))
    check_menu (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_widget (child);
}

static void
report (void)
{
  for (guint i = 0; i < untranslated->len; i++)
    g_printerr ("untranslated %s\n", (char *) g_ptr_array_index (untranslated, i));
  g_assert_cmpuint (untranslated->len, ==, 0);
}

static void
test_window_german (void)
{
  g_autoptr(SichtungApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = sc_test_write_pdf (NULL, 3);
  g_autoptr(GFile) file = g_file_new_for_path (pdf);
  SichtungWindow *window;
  SichtungDocumentPane *left;

  /* The catalogue really is in use. */
  g_assert_cmpstr (_("Open a Document"), !=, "Open a Document");

  app = sichtung_application_new ("io.github.sichtung.SichtungI18nTest",
                                  G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  window = sichtung_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));

  /* The empty state first, then with documents in both panes. */
  n_checked = 0;
  check_widget (GTK_WIDGET (window));
  g_assert_cmpuint (n_checked, >, 5);

  sichtung_window_open (window, file, SICHTUNG_PANE_LEFT);
  sichtung_window_open (window, file, SICHTUNG_PANE_RIGHT);
  left = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  spin_until_loaded (left);
  spin_until_loaded (sichtung_window_get_pane (window, SICHTUNG_PANE_RIGHT));
  check_widget (GTK_WIDGET (window));
  report ();

  /* Nothing left running when the test ends: the analyses finish first. */
  SC_TEST_WAIT_UNTIL (sc_test_ui_pane_analysed (left)
                      && sc_test_ui_pane_analysed (sichtung_window_get_pane (
                           window, SICHTUNG_PANE_RIGHT)), 60000);
  gtk_window_destroy (GTK_WINDOW (window));
  sc_test_spin (100);
}

static void
test_shortcuts_german (void)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWidget *shortcuts;

  builder = gtk_builder_new_from_resource (RESOURCE_PATH "/gtk/help-overlay.ui");
  shortcuts = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  g_assert_nonnull (shortcuts);
  n_checked = 0;
  check_widget (shortcuts);
  g_assert_cmpuint (n_checked, >, 10);
  report ();
  gtk_window_destroy (GTK_WINDOW (shortcuts));
}

int
main (int   argc,
      char *argv[])
{
  char *data_home;

  g_setenv ("LANGUAGE", "de", TRUE);
  g_setenv ("LC_ALL", "de_DE.UTF-8", TRUE);
  if (setlocale (LC_ALL, "") == NULL)
    {
      /* tools/install-deps generates the locale; without it German cannot be shown. */
      if (g_getenv ("SICHTUNG_REQUIRE_TOOLS") != NULL)
        {
          g_printerr ("The de_DE.UTF-8 locale is missing (run tools/install-deps)\n");
          return 1;
        }
      g_print ("1..0 # SKIP the de_DE.UTF-8 locale is missing\n");
      return 0;
    }
  bindtextdomain (GETTEXT_PACKAGE, TEST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  data_home = sc_test_ui_init (&argc, &argv, "i18n", SC_TEST_UI_NONE);

  untranslated = g_ptr_array_new_with_free_func (g_free);
  g_test_add_func ("/sichtung/i18n/window", test_window_german);
  g_test_add_func ("/sichtung/i18n/shortcuts", test_shortcuts_german);
  return sc_test_ui_run (data_home);
}
