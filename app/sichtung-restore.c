/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-restore.c: restoring a backup of all cases (see the header).
 *
 * The panes close before the restore starts, not after: a decision saved while the store is
 * replaced would go to the old content or, afterwards, to a finding of the backup that has
 * the same id. The store stays the same object; only its content changes, so the window and
 * its panes keep it and the sidebar reads it again.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <glib/gi18n.h>

#include "sichtung-restore.h"

/* Set on the window while a restore runs. */
#define RESTORING_KEY "sichtung-restoring"

/* ------------------------------------------------------------------------------------------ */
/* The worker                                                                                 */

static void
restore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autofree char *path = g_file_get_path (file);
  GError *error = NULL;

  if (path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s",
                               _("A backup can only be restored from a local folder"));
      return;
    }
  if (!sc_store_restore (SC_STORE (source_object), path, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
sichtung_restore_async (ScStore             *store,
                        GFile               *file,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SC_IS_STORE (store));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, sichtung_restore_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, restore_thread);
}

gboolean
sichtung_restore_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------ */
/* The window's action                                                                        */

typedef struct
{
  GWeakRef  window;
  GFile    *file;
} Restoring;

static Restoring *
restoring_new (SichtungWindow *window,
               GFile          *file)
{
  Restoring *restoring = g_new0 (Restoring, 1);

  g_weak_ref_init (&restoring->window, window);
  restoring->file = g_object_ref (file);
  return restoring;
}

static void
restoring_free (Restoring *restoring)
{
  g_weak_ref_clear (&restoring->window);
  g_object_unref (restoring->file);
  g_free (restoring);
}

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Restoring *restoring = user_data;
  g_autoptr(SichtungWindow) window = g_weak_ref_get (&restoring->window);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (!sichtung_restore_finish (result, &error) && window != NULL)
    {
      /* The core's messages are sentences that name the backup and the reason. */
      title = g_markup_escape_text (error->message, -1);
      toast = adw_toast_new (title);
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      adw_toast_set_timeout (toast, 0);
      sichtung_window_add_toast (window, toast);
    }
  else if (window != NULL)
    {
      g_autofree char *name = g_file_get_basename (restoring->file);
      g_autofree char *escaped = g_markup_escape_text (name, -1);

      /* Translators: %s is the backup's file name. */
      title = g_strdup_printf (_("The cases of the backup “%s” are restored"), escaped);
      sichtung_window_add_toast (window, adw_toast_new (title));
    }

  if (window != NULL)
    {
      g_object_set_data (G_OBJECT (window), RESTORING_KEY, NULL);
      /* Also after a failure: nothing changed then, but the panes are closed. */
      sichtung_case_sidebar_reload (sichtung_window_get_case_sidebar (window));
      sichtung_restore_update_action (window);
    }
  restoring_free (restoring);
}

void
sichtung_restore_start (SichtungWindow *window,
                        GFile          *file)
{
  ScStore *store;

  g_return_if_fail (SICHTUNG_IS_WINDOW (window));
  g_return_if_fail (G_IS_FILE (file));

  store = sichtung_window_get_store (window);
  if (store == NULL || sichtung_restore_is_running (window))
    return;

  sichtung_document_pane_close (sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT));
  sichtung_document_pane_close (sichtung_window_get_pane (window, SICHTUNG_PANE_RIGHT));
  g_object_set_data (G_OBJECT (window), RESTORING_KEY, GINT_TO_POINTER (TRUE));
  sichtung_restore_update_action (window);
  sichtung_restore_async (store, file, NULL, restored_cb, restoring_new (window, file));
}

gboolean
sichtung_restore_is_running (SichtungWindow *window)
{
  g_return_val_if_fail (SICHTUNG_IS_WINDOW (window), FALSE);

  return g_object_get_data (G_OBJECT (window), RESTORING_KEY) != NULL;
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     Restoring        *restoring)
{
  g_autoptr(SichtungWindow) window = g_weak_ref_get (&restoring->window);

  if (window != NULL && g_strcmp0 (response, "restore") == 0)
    sichtung_restore_start (window, restoring->file);
}

static void
confirm (SichtungWindow *window,
         GFile          *file)
{
  g_autofree char *name = g_file_get_basename (file);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (window), _("Replace All Cases?"), NULL);
  /* Translators: %s is the backup's file name. */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("All cases now in Sichtung are replaced by those in the "
                                    "backup “%s”, with their documents and decisions. What was "
                                    "done since the backup is lost. The backup is checked "
                                    "first; the audit log records the restore."), name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "restore",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  g_signal_connect_data (dialog, "response", G_CALLBACK (confirm_response_cb),
                         restoring_new (window, file),
                         (GClosureNotify) (void (*) (void)) restoring_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     GWeakRef        *window_ref)
{
  g_autoptr(SichtungWindow) window = g_weak_ref_get (window_ref);

  if (response == GTK_RESPONSE_ACCEPT && window != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        confirm (window, file);
    }
  g_weak_ref_clear (window_ref);
  g_free (window_ref);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
restore_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) backups = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GWeakRef *window_ref = g_new0 (GWeakRef, 1);

  chooser = gtk_file_chooser_native_new (_("Restore a Backup of All Cases"), GTK_WINDOW (widget),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (backups, _("Backups of Cases"));
  gtk_file_filter_add_pattern (backups, "*.sqlite");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), backups);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);

  g_weak_ref_init (window_ref, widget);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), window_ref);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
sichtung_restore_install_action (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.restore", NULL, restore_action);
}

void
sichtung_restore_update_action (SichtungWindow *window)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (window), "win.restore",
                                 sichtung_window_get_store (window) != NULL
                                 && !sichtung_restore_is_running (window));
}
