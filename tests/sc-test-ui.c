/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-test-ui.c: what the UI test programs share (set-up, widget trees, the window). */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <string.h>
#ifdef __GLIBC__
#include <execinfo.h>
#endif

#include "sichtung-resources.h"
#include "sc-test-ui.h"
#include "sc-test-util.h"

/* ---- Set-up ------------------------------------------------------------------------- */

/* GTK warns when it is asked to draw a widget that has a resize pending, and names only its
 * type and address; which widget it was can only be told while the warning is being written.
 * Prints where the widget sits in the tree, how it and its children stand, and the call
 * stack, before the warning (fatal in the tests) ends the program. */
static void
describe_unallocated (const char *message)
{
  const char *address = strstr (message, " 0x");
  GtkWidget *widget;

  if (address == NULL)
    return;
  widget = GSIZE_TO_POINTER ((gsize) g_ascii_strtoull (address + 3, NULL, 16));
  if (widget == NULL)
    return;

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    g_printerr ("  %s %p \"%s\" visible %d child-visible %d mapped %d, %d × %d\n",
                G_OBJECT_TYPE_NAME (w), (void *) w,
                GTK_IS_BUILDABLE (w) && gtk_buildable_get_buildable_id (GTK_BUILDABLE (w)) != NULL
                  ? gtk_buildable_get_buildable_id (GTK_BUILDABLE (w)) : "",
                gtk_widget_get_visible (w), gtk_widget_get_child_visible (w),
                gtk_widget_get_mapped (w), gtk_widget_get_width (w), gtk_widget_get_height (w));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    g_printerr ("  child %s %p visible %d child-visible %d, %d × %d\n",
                G_OBJECT_TYPE_NAME (child), (void *) child, gtk_widget_get_visible (child),
                gtk_widget_get_child_visible (child), gtk_widget_get_width (child),
                gtk_widget_get_height (child));
#ifdef __GLIBC__
  {
    void *frames[64];

    backtrace_symbols_fd (frames, backtrace (frames, G_N_ELEMENTS (frames)), 2);
  }
#endif
}

/* GTK 4.8 loses track of a widget that needs an allocation when a widget below it queues a
 * resize while GTK allocates it: GtkWidget skips the allocation of a child whose size did not
 * change, walks into its subtree instead, and does not clear the flags that resize set on the
 * way up, while the parent, which was allocated in full, clears its own. GtkTextView (whose
 * line heights settle as it allocates) and GtkScrolledWindow (whose scrollbar follows the
 * adjustments its child configures while being allocated) do that by themselves; the toast
 * overlay reallocates its child on every frame of a toast's animation. The widget is then
 * drawn before it is allocated again, and GTK warns. With
 * SICHTUNG_TEST_ALLOCATION_WARNINGS=log that warning alone is written and counted instead of
 * ending the test: tools/sanitize-test sets it, where the sanitizers slow every frame down
 * enough for a toast to overlap a text view's first allocation. */
static gboolean allocation_warnings_logged;
static guint n_allocation_warnings;

static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      const char *message = fields[i].value;

      if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0
          && g_str_has_prefix (message, "Trying to snapshot ")
          && strstr (message, "without a current allocation") != NULL)
        {
          describe_unallocated (message);
          if (allocation_warnings_logged && (log_level & G_LOG_LEVEL_WARNING) != 0)
            {
              n_allocation_warnings++;
              g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
              return G_LOG_WRITER_HANDLED;
            }
        }
    }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

void
sc_test_ui_init_toolkit (void)
{
  gtk_init ();
  adw_init ();

  /* The resources are linked in and register themselves where the compiler has
   * constructors. */
  if (!g_resources_get_info (RESOURCE_PATH "/sichtung-window.ui", 0, NULL, NULL, NULL))
    g_resources_register (sichtung_get_resource ());
}

char *
sc_test_ui_init (int           *argc,
                 char        ***argv,
                 const char    *name,
                 ScTestUiFlags  flags)
{
  g_autofree char *template = NULL;
  g_autoptr(GError) error = NULL;
  char *data_home;

  g_return_val_if_fail (name != NULL, NULL);

  /* A data dir of the test's own. Not G_TEST_OPTION_ISOLATE_DIRS: that also hides
   * XDG_DATA_DIRS, and with it the icon theme and the MIME database SVG icons need. */
  template = g_strdup_printf ("sichtung-test-%s-XXXXXX", name);
  data_home = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_setenv ("GTK_A11Y", (flags & SC_TEST_UI_ACCESSIBILITY) != 0 ? "test" : "none", TRUE);
  if ((flags & SC_TEST_UI_CPU) != 0)
    g_setenv ("SICHTUNG_DEVICE", "cpu", TRUE);

  allocation_warnings_logged = g_strcmp0 (g_getenv ("SICHTUNG_TEST_ALLOCATION_WARNINGS"), "log") == 0;
  g_log_set_writer_func (log_writer, NULL, NULL);
  g_test_init (argc, argv, NULL);
  sc_test_ui_init_toolkit ();

  return data_home;
}

int
sc_test_ui_run (char *data_home)
{
  int status = g_test_run ();

  if (n_allocation_warnings > 0)
    g_printerr ("GTK warned %u times of a widget drawn without its allocation (see above)\n",
                n_allocation_warnings);

  if (data_home != NULL)
    sc_test_remove_tree (data_home);
  g_free (data_home);
  return status;
}

GFile *
sc_test_ui_find_sample (const char *word)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "..", "data", "samples",
                                                     NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autofree char *best = NULL;
  const char *name;

  g_return_val_if_fail (word != NULL, NULL);

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      const char *dash = strchr (name, '-');
      const char *dot = strrchr (name, '.');

      /* "NN-WORD.txt": the word is the whole name after the number (no draft of it). */
      if (dash == NULL || dot == NULL || dot < dash
          || (gsize) (dot - dash - 1) != strlen (word)
          || strncmp (dash + 1, word, dot - dash - 1) != 0
          || !(g_str_has_suffix (name, ".txt") || g_str_has_suffix (name, ".pdf")))
        continue;
      /* Text first, then the name that sorts first: the same choice on every machine. */
      if (best == NULL
          || (g_str_has_suffix (name, ".txt") && !g_str_has_suffix (best, ".txt"))
          || (g_str_has_suffix (name, ".txt") == g_str_has_suffix (best, ".txt")
              && strcmp (name, best) < 0))
        {
          g_free (best);
          best = g_strdup (name);
        }
    }
  if (best == NULL)
    g_error ("No sample document named like “%s” in %s", word, dir_path);
  return g_file_new_build_filename (dir_path, best, NULL);
}

/* ---- Widget trees ------------------------------------------------------------------- */

GtkWidget *
sc_test_ui_find_widget (GtkWidget           *widget,
                        ScTestUiWidgetMatch  match,
                        gconstpointer        data)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (match != NULL, NULL);

  if (match (widget, data))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = sc_test_ui_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_class (GtkWidget     *widget,
           gconstpointer  css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

GtkWidget *
sc_test_ui_find_with_class (GtkWidget  *widget,
                            const char *css_class)
{
  g_return_val_if_fail (css_class != NULL, NULL);

  return sc_test_ui_find_widget (widget, has_class, css_class);
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, *(const GType *) type);
}

GtkWidget *
sc_test_ui_find_of_type (GtkWidget *widget,
                         GType      type)
{
  return sc_test_ui_find_widget (widget, is_of_type, &type);
}

GtkWindow *
sc_test_ui_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WINDOW (window); /* GTK keeps it alive */
    }
  return NULL;
}

gboolean
sc_test_ui_activate_shortcut (GtkWidget       *widget,
                              guint            keyval,
                              GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = NULL;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);

  controllers = gtk_widget_observe_controllers (widget);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger)
              && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval
              && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE, widget, NULL);
        }
    }
  g_error ("No shortcut for %s", gdk_keyval_name (keyval));
}

void
sc_test_ui_press_key (GtkWidget       *widget,
                      guint            keyval,
                      GdkModifierType  modifiers)
{
  g_assert_true (sc_test_ui_activate_shortcut (widget, keyval, modifiers));
}

char *
sc_test_ui_tagged_text (GtkTextBuffer *buffer,
                        const char    *name)
{
  GtkTextTag *tag;
  GtkTextIter start, end;

  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), name);
  if (tag == NULL)
    return NULL;

  gtk_text_buffer_get_start_iter (buffer, &start);
  if (!gtk_text_iter_starts_tag (&start, tag) && !gtk_text_iter_forward_to_tag_toggle (&start, tag))
    return NULL;
  end = start;
  gtk_text_iter_forward_to_tag_toggle (&end, tag);
  return gtk_text_iter_get_text (&start, &end);
}

/* ---- The window, its panes and findings ---------------------------------------------- */

SichtungWindow *
sc_test_ui_new_window (ScStore *store)
{
  SichtungWindow *window = sichtung_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  sichtung_document_pane_set_use_model (sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT),
                                        FALSE);
  sichtung_document_pane_set_use_model (sichtung_window_get_pane (window, SICHTUNG_PANE_RIGHT),
                                        FALSE);
  if (store != NULL)
    sichtung_window_set_store (window, store);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

void
sc_test_ui_destroy_window (gpointer window)
{
  g_return_if_fail (GTK_IS_WINDOW (window));

  gtk_window_destroy (GTK_WINDOW (window));
  sc_test_spin (100);
}

gboolean
sc_test_ui_pane_analysed (SichtungDocumentPane *pane)
{
  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (pane), FALSE);

  return !sichtung_document_pane_get_loading (pane)
         && !sichtung_document_pane_get_analyzing (pane)
         && sichtung_document_pane_get_analysis (pane) != NULL;
}

gboolean
sc_test_ui_pane_shows_stored (SichtungDocumentPane *pane)
{
  GListModel *findings;
  guint n;

  g_return_val_if_fail (SICHTUNG_IS_DOCUMENT_PANE (pane), FALSE);

  findings = sichtung_document_pane_get_findings (pane);
  n = g_list_model_get_n_items (findings);
  if (sichtung_document_pane_get_loading (pane) || sichtung_document_pane_get_analyzing (pane)
      || sichtung_document_pane_get_document_id (pane) == 0 || n == 0)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SichtungFindingItem) item = g_list_model_get_item (findings, i);

      if (sichtung_finding_item_get_store_id (item) == 0)
        return FALSE;
    }
  return TRUE;
}

SichtungFindingItem *
sc_test_ui_find_item_by_id (GListModel *model,
                            gint64      id)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SichtungFindingItem) item = g_list_model_get_item (model, i);

      if (sichtung_finding_item_get_store_id (item) == id)
        return item; /* the model keeps it alive */
    }
  return NULL;
}

SichtungFindingItem *
sc_test_ui_find_item (GListModel        *model,
                      ScFindingCategory  category,
                      const char        *text)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SichtungFindingItem) item = g_list_model_get_item (model, i);

      if (sichtung_finding_item_get_category (item) == category
          && g_strcmp0 (sichtung_finding_item_get_text (item), text) == 0)
        return item; /* the model keeps it alive */
    }
  return NULL;
}

ScStoreDocument *
sc_test_ui_stored_document (ScStore *store,
                            gint64   document_id)
{
  g_autoptr(GPtrArray) cases = NULL;

  g_return_val_if_fail (store != NULL, NULL);

  cases = sc_store_list_cases (store, NULL);
  for (guint i = 0; cases != NULL && i < cases->len; i++)
    {
      ScStoreCase *store_case = g_ptr_array_index (cases, i);
      g_autoptr(GPtrArray) documents = sc_store_list_documents (store, store_case->id, NULL);

      for (guint j = 0; documents != NULL && j < documents->len; j++)
        {
          ScStoreDocument *document = g_ptr_array_index (documents, j);

          if (document->id == document_id)
            return sc_store_document_ref (document);
        }
    }
  g_error ("Document %" G_GINT64_FORMAT " is not in the store", document_id);
}
