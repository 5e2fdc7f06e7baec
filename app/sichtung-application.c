/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-application.c: the application object: app actions, accelerators, opening files,
 * and the case store every window saves in.
 *
 * The store is opened on a GTask thread at startup (the integrity check reads the whole file).
 * Windows open their documents meanwhile and add them to their case once the store is there.
 * A store that cannot be opened is left untouched and every window says so, while documents
 * can still be viewed. */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <glib/gi18n.h>

#include "sichtung-application.h"
#include "sichtung-core.h"
#include "sichtung-preferences-window.h"
#include "sichtung-trainer-window.h"
#include "sichtung-what-if-window.h"
#include "sichtung-window.h"

/* Files from one command line fill at most this many windows, two documents each. */
#define MAX_WINDOWS_PER_OPEN 3

struct _SichtungApplication
{
  AdwApplication  parent_instance;

  ScStore        *store;
  GError         *store_error;
  gboolean        open_sample;  /* --sample-case: open it with the first window */
  gboolean        open_trainer; /* --trainer: open the trainers' window too */
};

G_DEFINE_FINAL_TYPE (SichtungApplication, sichtung_application, ADW_TYPE_APPLICATION)

static const struct
{
  const char *action;
  const char *accels[4];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.new-window", { "<Control>n", NULL } },
  { "app.open", { "<Control>o", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "win.side-by-side", { "F9", NULL } },
  { "win.sync-scroll", { "<Shift>F9", NULL } },
  { "win.compare", { "<Control>d", NULL } },
  { "win.redaction-preview", { "<Control><Shift>r", NULL } },
  { "win.focus-other-pane", { "F6", NULL } },
  { "win.find", { "<Control>f", NULL } },
  { "win.find-next", { "<Control>g", NULL } },
  { "win.find-previous", { "<Control><Shift>g", NULL } },
  { "win.zoom-in", { "<Control>plus", "<Control>equal", "<Control>KP_Add", NULL } },
  { "win.zoom-out", { "<Control>minus", "<Control>KP_Subtract", NULL } },
  { "win.zoom-fit-width", { "<Control>0", "<Control>KP_0", NULL } },
  { "win.first-page", { "<Control>Home", NULL } },
  { "win.last-page", { "<Control>End", NULL } },
  { "win.previous-page", { "<Control>Page_Up", NULL } },
  { "win.next-page", { "<Control>Page_Down", NULL } },
  { "win.view-mode::page", { "<Alt>1", NULL } },
  { "win.view-mode::text", { "<Alt>2", NULL } },
};

/* The main window the user worked in last (the list is ordered by focus; the “What If?”
 * editor is no main window), or NULL. */
static GtkWindow *
get_last_main_window (SichtungApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (SICHTUNG_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

/* The window the user works in, or a new one. */
static GtkWindow *
get_active_window (SichtungApplication *self)
{
  GtkWindow *window = get_last_main_window (self);

  if (window == NULL)
    window = sichtung_application_new_window (self);

  return window;
}

/* Gives @window the store, or says why there is none; nothing while it is being opened. */
static void
apply_store (SichtungApplication *self,
             SichtungWindow      *window)
{
  if (self->store != NULL)
    sichtung_window_set_store (window, self->store);
  else if (self->store_error != NULL)
    sichtung_window_set_store_error (window, self->store_error);
}

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                    */

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GApplication *app = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));

  g_list_foreach (windows, (GFunc) (void (*) (void)) g_object_ref, NULL);

  /* Closing (rather than g_application_quit) lets each window save its state. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free_full (windows, g_object_unref);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  SichtungApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (sichtung_application_create_about_window (self, parent));
}

/* One preferences window per application: a second request brings it forward. */
static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  SichtungApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (SICHTUNG_IS_PREFERENCES_WINDOW (l->data))
      {
        gtk_window_present (l->data);
        return;
      }
  gtk_window_present (GTK_WINDOW (sichtung_preferences_window_new (parent)));
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  gtk_window_present (sichtung_application_new_window (user_data));
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  GtkWindow *window = get_active_window (user_data);

  gtk_window_present (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
open_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkWindow *window = get_active_window (user_data);

  gtk_window_present (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open", NULL);
}

/* The trainers' “What If?” editor: a window of its own, to put on a projector. */
static void
what_if_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  gtk_window_present (GTK_WINDOW (sichtung_what_if_window_new (user_data)));
}

/* The main window the sample case opens in: the one in use when it is empty or shows the
 * sample case already, else a new one, so the clerk's documents stay where they are. */
static GtkWindow *
window_for_sample_case (SichtungApplication *self)
{
  GtkWindow *window = get_last_main_window (self);

  if (window == NULL
      || (!sichtung_window_is_empty (SICHTUNG_WINDOW (window))
          && !sichtung_window_shows_sample_case (SICHTUNG_WINDOW (window))))
    window = sichtung_application_new_window (self);
  if (!sichtung_window_shows_sample_case (SICHTUNG_WINDOW (window)))
    sichtung_window_open_sample_case (SICHTUNG_WINDOW (window));
  return window;
}

static void
sample_case_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  gtk_window_present (window_for_sample_case (user_data));
}

/* The trainers' window (Schulungsmodus) on the sample case: one per main window, kept apart so
 * it can go on a projector. */
static void
trainer_mode_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  SichtungApplication *self = user_data;
  GtkWindow *window = window_for_sample_case (self);
  GtkWindow *trainer = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (SICHTUNG_IS_TRAINER_WINDOW (l->data)
        && sichtung_trainer_window_get_window (l->data) == SICHTUNG_WINDOW (window))
      trainer = l->data;

  gtk_window_present (window);
  if (trainer == NULL)
    trainer = GTK_WINDOW (sichtung_trainer_window_new (SICHTUNG_WINDOW (window)));
  gtk_window_present (trainer);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "new-window", new_window_action },
  { "shortcuts", shortcuts_action },
  { "open", open_action },
  { "what-if", what_if_action },
  { "sample-case", sample_case_action },
  { "trainer-mode", trainer_mode_action },
};

/* ------------------------------------------------------------------------------------------ */
/* Opening files, the case store                                                              */

static void open_requested (SichtungApplication *self);

/* The first file opens in the left pane, the second beside it; further pairs get windows of
 * their own, up to MAX_WINDOWS_PER_OPEN, and a toast says what was left out. */
static void
sichtung_application_open (GApplication  *app,
                           GFile        **files,
                           int            n_files,
                           const char    *hint)
{
  SichtungApplication *self = SICHTUNG_APPLICATION (app);
  GtkWindow *window = get_last_main_window (self);
  int n_opened = MIN (n_files, 2 * MAX_WINDOWS_PER_OPEN);

  if (window == NULL || !sichtung_window_is_empty (SICHTUNG_WINDOW (window)))
    window = sichtung_application_new_window (self);

  for (int i = 0; i < n_opened; i += 2)
    {
      if (i > 0)
        window = sichtung_application_new_window (self);

      sichtung_window_open (SICHTUNG_WINDOW (window), files[i], SICHTUNG_PANE_LEFT);
      if (i + 1 < n_opened)
        sichtung_window_open (SICHTUNG_WINDOW (window), files[i + 1], SICHTUNG_PANE_RIGHT);
      /* Read from the left, like the command line. */
      sichtung_window_set_active_pane (SICHTUNG_WINDOW (window),
                                       sichtung_window_get_pane (SICHTUNG_WINDOW (window),
                                                                 SICHTUNG_PANE_LEFT));
      gtk_window_present (window);
    }

  if (n_files > n_opened)
    {
      guint n_left = n_files - n_opened;
      g_autofree char *title = NULL;

      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u more document was not opened",
                                            "%u more documents were not opened",
                                            n_left),
                               n_left);
      sichtung_window_add_toast (SICHTUNG_WINDOW (window), adw_toast_new (title));
    }

  if (self->open_trainer || self->open_sample)
    open_requested (self);
}

static void
open_store_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  g_autofree char *path = sc_store_get_default_path ();
  GError *error = NULL;
  ScStore *store = sc_store_open (path, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

static void
open_store_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SichtungApplication *self = SICHTUNG_APPLICATION (object);

  self->store = g_task_propagate_pointer (G_TASK (result), &self->store_error);
  if (self->store_error != NULL)
    g_message ("The case store could not be opened: %s", self->store_error->message);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (SICHTUNG_IS_WINDOW (l->data))
      apply_store (self, l->data);
}

/* ------------------------------------------------------------------------------------------ */
/* GApplication                                                                               */

static void
sichtung_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (sichtung_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action,
                                           accels[i].accels);

  {
    g_autoptr(GTask) task = g_task_new (app, NULL, open_store_cb, NULL);

    g_task_set_source_tag (task, sichtung_application_startup);
    g_task_run_in_thread (task, open_store_thread);
  }
}

/* What --sample-case and --trainer asked for, once the windows are there. */
static void
open_requested (SichtungApplication *self)
{
  const char *action = self->open_trainer ? "trainer-mode" : "sample-case";

  self->open_trainer = self->open_sample = FALSE;
  g_action_group_activate_action (G_ACTION_GROUP (self), action, NULL);
}

static void
sichtung_application_activate (GApplication *app)
{
  SichtungApplication *self = SICHTUNG_APPLICATION (app);

  if (self->open_trainer || self->open_sample)
    open_requested (self);
  else
    gtk_window_present (get_active_window (self));
}

static int
sichtung_application_handle_local_options (GApplication *app,
                                           GVariantDict *options)
{
  SichtungApplication *self = SICHTUNG_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  gboolean trainer = g_variant_dict_contains (options, "trainer");
  gboolean sample = g_variant_dict_contains (options, "sample-case");

  if (!trainer && !sample)
    return -1;

  if (!g_application_register (app, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (g_application_get_is_remote (app))
    {
      /* The running instance opens them. */
      g_action_group_activate_action (G_ACTION_GROUP (app), trainer ? "trainer-mode"
                                                                    : "sample-case", NULL);
      return -1;
    }
  self->open_trainer = trainer;
  self->open_sample = sample;
  return -1;
}

static void
sichtung_application_dispose (GObject *object)
{
  SichtungApplication *self = SICHTUNG_APPLICATION (object);

  g_clear_object (&self->store);
  g_clear_error (&self->store_error);

  G_OBJECT_CLASS (sichtung_application_parent_class)->dispose (object);
}

static void
sichtung_application_class_init (SichtungApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = sichtung_application_dispose;

  app_class->startup = sichtung_application_startup;
  app_class->activate = sichtung_application_activate;
  app_class->open = sichtung_application_open;
  app_class->handle_local_options = sichtung_application_handle_local_options;
}

static void
sichtung_application_init (SichtungApplication *self)
{
  const GOptionEntry options[] = {
    { "sample-case", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Open the bundled sample case"), NULL },
    { "trainer", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Open the sample case in trainer mode"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

SichtungApplication *
sichtung_application_new (const char        *application_id,
                          GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  return g_object_new (SICHTUNG_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

GtkWindow *
sichtung_application_new_window (SichtungApplication *self)
{
  SichtungWindow *window;

  g_return_val_if_fail (SICHTUNG_IS_APPLICATION (self), NULL);

  window = sichtung_window_new (GTK_APPLICATION (self));
  apply_store (self, window);
  return GTK_WINDOW (window);
}

ScStore *
sichtung_application_get_store (SichtungApplication *self)
{
  g_return_val_if_fail (SICHTUNG_IS_APPLICATION (self), NULL);

  return self->store;
}

GtkWindow *
sichtung_application_create_about_window (SichtungApplication *self,
                                          GtkWindow           *parent)
{
  const char *developers[] = { _("The Sichtung authors"), NULL };

  g_return_val_if_fail (self == NULL || SICHTUNG_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (ADW_TYPE_ABOUT_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "application-name", _("Sichtung"),
                       "application-icon", APP_ID,
                       "version", PACKAGE_VERSION,
                       "developer-name", _("The Sichtung authors"),
                       "developers", developers,
                       "copyright", _("© The Sichtung authors"),
                       "license-type", GTK_LICENSE_GPL_3_0,
                       "website", "https://github.com/sichtung/sichtung",
                       "issue-url", "https://github.com/sichtung/sichtung/issues",
                       "comments", _("Review case files offline: read PDFs and text documents "
                                     "side by side, search them and compare them."),
                       /* Translators: your names, one per line. */
                       "translator-credits", _("translator-credits"),
                       NULL);
}
