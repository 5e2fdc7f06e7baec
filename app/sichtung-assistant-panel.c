/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-assistant-panel.c: the local assistant in the main window's sidebar.
 *
 * States: no model chosen (a status page says that none is bundled, which models work and
 * where to put them), loading (phase and progress, cancellable), ready, or failed (the status
 * page again, with an inline message saying why: an architecture Sichtung cannot run, too
 * little memory, an unreadable file). The model loads the first time the panel is mapped, so
 * a window whose assistant is never opened costs no memory for it.
 *
 * One job runs at a time on the model's assistant: an answer (streamed into the answer view,
 * stoppable; a stopped answer is kept, marked and recorded like any other) or its explanation
 * (attribution). The sources of an answer are remembered with it, so a citation can show its
 * passage even after the pane moved on: the pane opens the stored document first when it
 * shows another one.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sichtung-assistant-panel.h"

struct _SichtungAssistantPanel
{
  AdwBin                  parent_instance;

  /* Template children */
  GtkLabel               *model_label;
  GtkMenuButton          *model_button;
  GtkRevealer            *message_revealer;
  GtkLabel               *message_label;
  GtkStack               *stack;
  AdwStatusPage          *status_page;
  GtkSpinner             *load_spinner;
  GtkLabel               *load_label;
  GtkProgressBar         *load_progress;
  GtkLabel               *model_name_label;
  GtkLabel               *model_facts_label;
  GtkLabel               *model_note_label;
  GtkEntry               *question_entry;
  GtkWidget              *run_box;
  GtkSpinner             *run_spinner;
  GtkLabel               *run_label;
  SichtungAnswerView     *answer_view;

  GSettings              *settings;
  SichtungDocumentPane   *pane;           /* weak: the window owns it */
  ScStore                *store;
  gint64                  case_id;
  char                   *scope;          /* "document" or "case" */
  gboolean                disposed;

  /* The model */
  char                   *model_path;     /* as loaded or being loaded; NULL: none */
  SichtungAssistantModel *model;
  GCancellable           *load_cancellable;
  char                   *failed_path;    /* the path whose load failed */
  const char             *state;

  /* The job on the model */
  GCancellable           *job_cancellable;
  gboolean                busy;
  GArray                 *answer_sources; /* SichtungAssistantSource of the answer shown */
  GStrv                   answer_titles;

  /* A citation waiting for its document to open in the pane */
  gint64                  pending_document_id;
  guint                   pending_page;
  GArray                 *pending_boxes;
  gulong                  pane_document_handler;
};

G_DEFINE_FINAL_TYPE (SichtungAssistantPanel, sichtung_assistant_panel, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_PANE,
  PROP_STORE,
  PROP_CASE_ID,
  PROP_SCOPE,
  PROP_STATE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void ensure_model (SichtungAssistantPanel *self);

/* ------------------------------------------------------------------------------------------ */
/* State                                                                                      */

static GArray *
new_sources (void)
{
  GArray *sources = g_array_new (FALSE, TRUE, sizeof (SichtungAssistantSource));

  g_array_set_clear_func (sources, (GDestroyNotify) sichtung_assistant_source_clear);
  return sources;
}

static gboolean
has_document_scope_source (SichtungAssistantPanel *self)
{
  return self->pane != NULL && sichtung_document_pane_get_document (self->pane) != NULL;
}

static gboolean
has_case_scope_source (SichtungAssistantPanel *self)
{
  return self->store != NULL && self->case_id > 0;
}

static void
update_actions (SichtungAssistantPanel *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean ready = self->model != NULL && !self->busy;
  gboolean whole_case = g_strcmp0 (self->scope, "case") == 0;
  gboolean has_source = whole_case ? has_case_scope_source (self)
                                   : has_document_scope_source (self);
  const char *question = gtk_editable_get_text (GTK_EDITABLE (self->question_entry));
  ScAnswer *answer = sichtung_answer_view_get_answer (self->answer_view);

  gtk_widget_action_set_enabled (widget, "assistant.run", ready && has_source);
  gtk_widget_action_set_enabled (widget, "assistant.ask",
                                 ready && has_source
                                 && question[strspn (question, " \t\n")] != '\0');
  gtk_widget_action_set_enabled (widget, "assistant.stop", self->busy);
  gtk_widget_action_set_enabled (widget, "assistant.explain",
                                 ready && answer != NULL && answer->passages->len > 0
                                 && answer->sentences->len > 0 && answer->attribution == NULL);
  gtk_widget_action_set_enabled (widget, "assistant.cancel-load", self->load_cancellable != NULL);
  gtk_widget_action_set_enabled (widget, "assistant.dismiss-message",
                                 gtk_revealer_get_reveal_child (self->message_revealer));
}

static void
set_state (SichtungAssistantPanel *self,
           const char             *state)
{
  if (g_strcmp0 (self->state, state) == 0)
    return;

  self->state = g_intern_string (state);
  gtk_stack_set_visible_child_name (self->stack,
                                    g_str_equal (state, "failed") ? "none" : state);
  if (g_str_equal (state, "loading"))
    gtk_spinner_start (self->load_spinner);
  else
    gtk_spinner_stop (self->load_spinner);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_busy (SichtungAssistantPanel *self,
          gboolean                busy,
          const char             *label)
{
  gtk_widget_set_visible (self->run_box, busy);
  gtk_label_set_text (self->run_label, label != NULL ? label : "");
  if (busy)
    gtk_spinner_start (self->run_spinner);
  else
    gtk_spinner_stop (self->run_spinner);

  if (self->busy != busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
  update_actions (self);
}

static void
show_message (SichtungAssistantPanel *self,
              const char             *message)
{
  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->message_revealer, message != NULL);
  update_actions (self);
}

/* "1.2 billion parameters" and the like. */
static char *
format_parameters (guint64 n_params)
{
  if (n_params >= 1000000000)
    return g_strdup_printf (_("%.1f billion parameters"), n_params / 1e9);
  if (n_params >= 1000000)
    return g_strdup_printf (_("%.0f million parameters"), n_params / 1e6);
  return g_strdup_printf (_("%.0f thousand parameters"), n_params / 1e3);
}

static void
show_model (SichtungAssistantPanel *self)
{
  const ScModelInfo *info = sichtung_assistant_model_get_info (self->model);
  guint n_ctx = sichtung_assistant_model_get_n_ctx (self->model);
  const char *note = sichtung_assistant_model_get_note (self->model);
  g_autofree char *parameters = format_parameters (info->n_params);
  g_autofree char *memory = g_format_size (sc_model_info_estimate_memory (info, n_ctx));
  GString *facts = g_string_new (NULL);

  gtk_label_set_text (self->model_label, info->name);
  gtk_label_set_text (self->model_name_label, info->name);

  /* Translators: the model's architecture, e.g. “Architecture llama · 1.2 billion
   * parameters · Q4_K_M”. */
  g_string_append_printf (facts, _("Architecture %s · %s · %s"), info->arch, parameters,
                          info->quantization != NULL ? info->quantization : "?");
  g_string_append_c (facts, '\n');
  /* Translators: the context the assistant uses and the memory it needs with it. */
  g_string_append_printf (facts, _("Context %u tokens (trained for %u) · about %s of memory"),
                          n_ctx, info->n_ctx_train, memory);
  g_string_append_c (facts, '\n');
  /* Translators: the chat format, then the device the model runs on. */
  g_string_append_printf (facts, _("Chat format %s · runs on %s"),
                          sc_chat_format_get_name (info->chat_format),
                          sichtung_assistant_model_get_device (self->model));
  g_string_append_c (facts, '\n');
  if (sichtung_assistant_model_get_embedder_name (self->model) != NULL)
    /* Translators: %s is the name of a sentence-embedding model. */
    g_string_append_printf (facts, _("Passages found by words and meaning (%s)"),
                            sichtung_assistant_model_get_embedder_name (self->model));
  else
    g_string_append (facts, _("Passages found by words (BM25)"));
  gtk_label_set_text (self->model_facts_label, facts->str);
  g_string_free (facts, TRUE);

  gtk_label_set_text (self->model_note_label, note != NULL ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->model_note_label), note != NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Loading the model                                                                          */

static void
load_progress_cb (const char *phase,
                  double      fraction,
                  gpointer    user_data)
{
  SichtungAssistantPanel *self = user_data;

  gtk_label_set_text (self->load_label, phase);
  gtk_progress_bar_set_fraction (self->load_progress, fraction);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SichtungAssistantPanel) self = user_data;
  g_autoptr(SichtungAssistantModel) model = NULL;
  g_autoptr(GError) error = NULL;

  model = sichtung_assistant_model_load_finish (result, &error);
  /* A newer choice, a cancel or the end of the panel: this load is of no interest. */
  if (self->disposed || g_task_get_cancellable (G_TASK (result)) != self->load_cancellable)
    return;
  g_clear_object (&self->load_cancellable);

  if (model == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_state (self, "none");
          return;
        }
      g_free (self->failed_path);
      self->failed_path = g_strdup (self->model_path);
      gtk_label_set_text (self->model_label, "");
      show_message (self, error->message);
      set_state (self, "failed");
      return;
    }

  self->model = g_steal_pointer (&model);
  show_model (self);
  show_message (self, NULL);
  set_state (self, "ready");
}

static void
start_load (SichtungAssistantPanel *self,
            const char             *path)
{
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *label = NULL;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  /* A job on the previous model stops; its callback ends the busy state. */
  g_cancellable_cancel (self->job_cancellable);
  g_clear_object (&self->model);
  g_free (self->model_path);
  self->model_path = g_strdup (path);
  self->load_cancellable = g_cancellable_new ();

  /* Translators: %s is the model's file name. */
  label = g_strdup_printf (_("Loading “%s”…"), name);
  gtk_label_set_text (self->load_label, label);
  gtk_progress_bar_set_fraction (self->load_progress, 0);
  gtk_label_set_text (self->model_label, name);
  show_message (self, NULL);
  set_state (self, "loading");

  sichtung_assistant_model_load_async (path, load_progress_cb, self, self->load_cancellable,
                                       load_cb, g_object_ref (self));
}

/* Loads the chosen model when the panel shows and it is not loaded (nor failed) yet. */
static void
ensure_model (SichtungAssistantPanel *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "assistant-model");

  if (path[0] == '\0')
    {
      g_cancellable_cancel (self->load_cancellable);
      g_clear_object (&self->load_cancellable);
      g_clear_object (&self->model);
      g_clear_pointer (&self->model_path, g_free);
      gtk_label_set_text (self->model_label, "");
      show_message (self, NULL);
      set_state (self, "none");
      return;
    }

  if (g_strcmp0 (path, self->model_path) == 0
      && (self->model != NULL || self->load_cancellable != NULL))
    return;
  if (g_strcmp0 (path, self->failed_path) == 0 && g_strcmp0 (path, self->model_path) == 0)
    return;
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  start_load (self, path);
}

static void
settings_changed_cb (SichtungAssistantPanel *self)
{
  /* A new choice is tried even if it failed before: the file may have changed. */
  g_clear_pointer (&self->failed_path, g_free);
  ensure_model (self);
}

/* Another embedding model: the chat model (kept in memory) is taken up again with it. */
static void
embedder_changed_cb (SichtungAssistantPanel *self)
{
  g_autofree char *path = NULL;

  /* Only a model that is loaded or loading: otherwise the next load picks the setting up. */
  if (self->model_path == NULL || (self->model == NULL && self->load_cancellable == NULL))
    return;
  path = g_strdup (self->model_path);
  start_load (self, path);
}

/* ------------------------------------------------------------------------------------------ */
/* Choosing a model                                                                           */

static void
chooser_response_cb (GtkNativeDialog        *chooser,
                     int                     response,
                     SichtungAssistantPanel *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        sichtung_assistant_panel_set_model_path (self, path);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
choose_model_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SichtungAssistantPanel *self = SICHTUNG_ASSISTANT_PANEL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *dir = sc_assistant_get_models_dir ();
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Choose a Language Model"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("GGUF Models"));
  gtk_file_filter_add_pattern (filter, "*.gguf");
  gtk_file_filter_add_pattern (filter, "*.GGUF");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  /* The models folder is where the status page tells people to put models. */
  if (g_mkdir_with_parents (dir, 0700) == 0)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
use_model_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  sichtung_assistant_panel_set_model_path (SICHTUNG_ASSISTANT_PANEL (widget),
                                           g_variant_get_string (parameter, NULL));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_utf8_collate (*(const char **) a, *(const char **) b);
}

/* The menu lists the models in the models folder, read each time it opens (the folder is
 * small and local), and the file chooser. */
static void
create_model_menu_cb (GtkMenuButton *button,
                      gpointer       user_data)
{
  g_autofree char *dir_path = sc_assistant_get_models_dir ();
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) models = g_menu_new ();
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".gguf") || g_str_has_suffix (name, ".GGUF"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file_name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir_path, file_name, NULL);
      g_autofree char *display = g_filename_display_name (file_name);
      g_auto(GStrv) parts = g_strsplit (display, "_", -1);
      g_autofree char *label = g_strjoinv ("__", parts);  /* no mnemonics */
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "assistant.use-model",
                                               g_variant_new_string (path));
      g_menu_append_item (models, item);
    }
  if (names->len == 0)
    g_menu_append (models, _("No models in the models folder"), "assistant.none");

  g_menu_append_section (menu, _("Models Folder"), G_MENU_MODEL (models));
  g_menu_append (menu, _("_Choose Model File…"), "assistant.choose-model");
  gtk_menu_button_set_menu_model (button, G_MENU_MODEL (menu));
}

static void
cancel_load_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SichtungAssistantPanel *self = SICHTUNG_ASSISTANT_PANEL (widget);

  /* The choice stays; the panel offers to choose again, and showing it again does not
   * reload until the choice changes. */
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_free (self->failed_path);
  self->failed_path = g_strdup (self->model_path);
  gtk_label_set_text (self->model_label, "");
  set_state (self, "none");
}

static void
dismiss_message_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  show_message (SICHTUNG_ASSISTANT_PANEL (widget), NULL);
}

static void
none_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  /* The “No models” item of the menu; the action stays disabled. */
}

/* ------------------------------------------------------------------------------------------ */
/* Answers                                                                                    */

static void
text_cb (const char *text,
         guint       n_tokens,
         gpointer    user_data)
{
  SichtungAssistantPanel *self = user_data;

  sichtung_answer_view_set_streaming_text (self->answer_view, text);
  update_actions (self);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(SichtungAssistantPanel) self = user_data;
  g_autoptr(ScAnswer) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *record_error = NULL;

  answer = sichtung_assistant_model_run_finish (SICHTUNG_ASSISTANT_MODEL (object), result,
                                                &record_error, &error);
  if (self->disposed)
    return;
  g_clear_object (&self->job_cancellable);
  set_busy (self, FALSE, NULL);

  if (answer == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_widget_set_visible (GTK_WIDGET (self->answer_view), FALSE);
          return;
        }
      gtk_widget_set_visible (GTK_WIDGET (self->answer_view), FALSE);
      /* Translators: %s says why. */
      {
        g_autofree char *message = g_strdup_printf (_("The assistant could not answer: %s"),
                                                    error->message);

        show_message (self, message);
      }
      return;
    }

  sichtung_answer_view_set_answer (self->answer_view, answer,
                                   (const char *const *) self->answer_titles);
  gtk_widget_set_visible (GTK_WIDGET (self->answer_view), TRUE);
  if (record_error != NULL)
    {
      /* Translators: %s says why. */
      g_autofree char *message = g_strdup_printf (_("The answer could not be recorded in the "
                                                    "audit log: %s"), record_error);

      show_message (self, message);
    }
  update_actions (self);
}

/* The documents a job reads, as the scope says; FALSE (with a message) when there are none. */
static gboolean
collect_sources (SichtungAssistantPanel  *self,
                 GArray                  *sources,
                 gint64                  *document_id)
{
  *document_id = 0;

  if (g_strcmp0 (self->scope, "case") == 0)
    {
      g_autoptr(GPtrArray) documents = NULL;
      g_autoptr(GError) error = NULL;
      ScDocument *shown = self->pane != NULL ? sichtung_document_pane_get_document (self->pane)
                                             : NULL;
      gint64 shown_id = self->pane != NULL ? sichtung_document_pane_get_document_id (self->pane)
                                           : 0;

      if (!has_case_scope_source (self))
        return FALSE;
      documents = sc_store_list_documents (self->store, self->case_id, &error);
      if (documents == NULL)
        {
          show_message (self, error->message);
          return FALSE;
        }
      for (guint i = 0; i < documents->len; i++)
        {
          ScStoreDocument *stored = g_ptr_array_index (documents, i);
          SichtungAssistantSource source = { 0 };

          /* The document shown is open already; the others are read on the job's thread. */
          if (shown != NULL && stored->id == shown_id)
            source.document = g_object_ref (shown);
          source.id = stored->id;
          source.title = g_strdup (stored->name);
          g_array_append_val (sources, source);
        }
      return sources->len > 0;
    }
  else
    {
      SichtungAssistantSource source = { 0 };
      ScDocument *document;

      if (!has_document_scope_source (self))
        return FALSE;
      document = sichtung_document_pane_get_document (self->pane);
      source.document = g_object_ref (document);
      source.id = sichtung_document_pane_get_document_id (self->pane);
      source.title = g_strdup (sichtung_document_pane_get_title (self->pane));
      if (source.title == NULL)
        source.title = g_strdup (sc_document_get_title (document));
      g_array_append_val (sources, source);
      *document_id = source.id;
      return TRUE;
    }
}

static void
start_run (SichtungAssistantPanel *self,
           ScAssistTask            task,
           const char             *question)
{
  g_autoptr(GArray) sources = new_sources ();
  gint64 document_id = 0;
  gint64 case_id;

  if (self->model == NULL || self->busy || !collect_sources (self, sources, &document_id))
    return;

  case_id = self->case_id;
  if (g_strcmp0 (self->scope, "document") == 0 && self->pane != NULL
      && sichtung_document_pane_get_case_id (self->pane) > 0)
    case_id = sichtung_document_pane_get_case_id (self->pane);

  g_clear_pointer (&self->answer_sources, g_array_unref);
  g_clear_pointer (&self->answer_titles, g_strfreev);
  self->answer_sources = g_array_ref (sources);
  self->answer_titles = g_new0 (char *, sources->len + 1);
  for (guint i = 0; i < sources->len; i++)
    self->answer_titles[i] = g_strdup (g_array_index (sources, SichtungAssistantSource,
                                                      i).title);

  show_message (self, NULL);
  sichtung_answer_view_set_streaming_text (self->answer_view, "");
  gtk_widget_set_visible (GTK_WIDGET (self->answer_view), TRUE);
  self->job_cancellable = g_cancellable_new ();
  set_busy (self, TRUE, _("Reading the documents and generating…"));

  sichtung_assistant_model_run_async (self->model, task, question, sources,
                                      self->store, self->store != NULL ? case_id : 0,
                                      document_id, text_cb, self, self->job_cancellable,
                                      run_cb, g_object_ref (self));
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SichtungAssistantPanel *self = SICHTUNG_ASSISTANT_PANEL (widget);
  ScAssistTask task;

  if (!sc_assist_task_from_id (g_variant_get_string (parameter, NULL), &task)
      || task == SC_ASSIST_TASK_QUESTION)
    return;
  start_run (self, task, NULL);
}

static void
ask_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SichtungAssistantPanel *self = SICHTUNG_ASSISTANT_PANEL (widget);
  g_autofree char *question = g_strdup (gtk_editable_get_text (
                                          GTK_EDITABLE (self->question_entry)));

  g_strstrip (question);
  if (question[0] == '\0')
    return;
  start_run (self, SC_ASSIST_TASK_QUESTION, question);
}

static void
question_activate_cb (SichtungAssistantPanel *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "assistant.ask", NULL);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SichtungAssistantPanel *self = SICHTUNG_ASSISTANT_PANEL (widget);

  /* The job returns what it has; its callback ends the busy state. */
  g_cancellable_cancel (self->job_cancellable);
}

/* ------------------------------------------------------------------------------------------ */
/* Explaining an answer                                                                       */

static void
explain_progress_cb (const char *phase,
                     double      fraction,
                     gpointer    user_data)
{
  SichtungAssistantPanel *self = user_data;

  sichtung_answer_view_set_explain_progress (self->answer_view, phase, fraction);
}

static void
explain_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SichtungAssistantPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = sichtung_assistant_model_attribute_finish (SICHTUNG_ASSISTANT_MODEL (object), result,
                                                  &error);
  if (self->disposed)
    return;
  g_clear_object (&self->job_cancellable);
  sichtung_answer_view_set_explain_progress (self->answer_view, NULL, 0);
  set_busy (self, FALSE, NULL);

  if (!ok)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: %s says why. */
          g_autofree char *message = g_strdup_printf (_("The answer could not be explained: "
                                                        "%s"), error->message);

          show_message (self, message);
        }
      return;
    }

  /* Shown again, now with the attribution. */
  sichtung_answer_view_set_answer (self->answer_view,
                                   sichtung_answer_view_get_answer (self->answer_view),
                                   (const char *const *) self->answer_titles);
  update_actions (self);
}

static void
explain_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SichtungAssistantPanel *self = SICHTUNG_ASSISTANT_PANEL (widget);
  ScAnswer *answer = sichtung_answer_view_get_answer (self->answer_view);

  if (self->model == NULL || self->busy || answer == NULL)
    return;

  self->job_cancellable = g_cancellable_new ();
  set_busy (self, TRUE, _("Explaining the answer…"));
  sichtung_answer_view_set_explain_progress (self->answer_view, _("Explaining the answer…"), 0);
  sichtung_assistant_model_attribute_async (self->model, answer, explain_progress_cb, self,
                                            self->job_cancellable, explain_cb,
                                            g_object_ref (self));
}

/* ------------------------------------------------------------------------------------------ */
/* Showing a cited passage                                                                    */

static void
clear_pending (SichtungAssistantPanel *self)
{
  self->pending_document_id = 0;
  g_clear_pointer (&self->pending_boxes, g_array_unref);
}

static void
pane_document_cb (SichtungAssistantPanel *self)
{
  if (self->pane != NULL && self->pending_document_id != 0
      && sichtung_document_pane_get_document (self->pane) != NULL
      && sichtung_document_pane_get_document_id (self->pane) == self->pending_document_id)
    {
      sichtung_document_pane_show_passage (self->pane, self->pending_page, self->pending_boxes);
      clear_pending (self);
    }
  update_actions (self);
}

static void
passage_activated_cb (SichtungAssistantPanel *self,
                      guint                   index)
{
  ScAnswer *answer = sichtung_answer_view_get_answer (self->answer_view);
  const SichtungAssistantSource *source;
  ScPassage *passage;
  ScDocument *shown;

  if (answer == NULL || index >= answer->passages->len || self->pane == NULL
      || self->answer_sources == NULL)
    return;

  passage = g_ptr_array_index (answer->passages, index);
  if (passage->document >= self->answer_sources->len)
    return;
  source = &g_array_index (self->answer_sources, SichtungAssistantSource, passage->document);
  shown = sichtung_document_pane_get_document (self->pane);
  clear_pending (self);

  if (shown != NULL
      && ((source->document != NULL && source->document == shown)
          || (source->id > 0 && sichtung_document_pane_get_document_id (self->pane) == source->id)))
    {
      sichtung_document_pane_show_passage (self->pane, passage->page, passage->boxes);
      return;
    }

  /* Another document of the case: the pane opens it, then the passage is shown. */
  if (self->store != NULL && source->id > 0)
    {
      g_autoptr(GPtrArray) documents = NULL;
      gint64 case_id = self->case_id;

      documents = sc_store_list_documents (self->store, case_id, NULL);
      for (guint i = 0; documents != NULL && i < documents->len; i++)
        {
          ScStoreDocument *stored = g_ptr_array_index (documents, i);

          if (stored->id != source->id)
            continue;
          self->pending_document_id = stored->id;
          self->pending_page = passage->page;
          self->pending_boxes = passage->boxes != NULL ? g_array_ref (passage->boxes) : NULL;
          sichtung_document_pane_open_stored (self->pane, stored, (int) passage->page);
          /* Shown at once when the pane had it already. */
          pane_document_cb (self);
          return;
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* GtkWidget                                                                                  */

static void
sichtung_assistant_panel_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (sichtung_assistant_panel_parent_class)->map (widget);

  ensure_model (SICHTUNG_ASSISTANT_PANEL (widget));
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
sichtung_assistant_panel_dispose (GObject *object)
{
  SichtungAssistantPanel *self = SICHTUNG_ASSISTANT_PANEL (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_cancellable_cancel (self->job_cancellable);
  g_clear_object (&self->job_cancellable);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  sichtung_assistant_panel_set_pane (self, NULL);
  g_clear_object (&self->store);
  g_clear_object (&self->model);
  clear_pending (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), SICHTUNG_TYPE_ASSISTANT_PANEL);

  G_OBJECT_CLASS (sichtung_assistant_panel_parent_class)->dispose (object);
}

static void
sichtung_assistant_panel_finalize (GObject *object)
{
  SichtungAssistantPanel *self = SICHTUNG_ASSISTANT_PANEL (object);

  g_free (self->scope);
  g_free (self->model_path);
  g_free (self->failed_path);
  g_clear_pointer (&self->answer_sources, g_array_unref);
  g_clear_pointer (&self->answer_titles, g_strfreev);

  G_OBJECT_CLASS (sichtung_assistant_panel_parent_class)->finalize (object);
}

static void
sichtung_assistant_panel_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  SichtungAssistantPanel *self = SICHTUNG_ASSISTANT_PANEL (object);

  switch (prop_id)
    {
    case PROP_PANE:
      g_value_set_object (value, self->pane);
      break;

    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_CASE_ID:
      g_value_set_int64 (value, self->case_id);
      break;

    case PROP_SCOPE:
      g_value_set_string (value, self->scope);
      break;

    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_assistant_panel_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  SichtungAssistantPanel *self = SICHTUNG_ASSISTANT_PANEL (object);

  switch (prop_id)
    {
    case PROP_PANE:
      sichtung_assistant_panel_set_pane (self, g_value_get_object (value));
      break;

    case PROP_STORE:
      sichtung_assistant_panel_set_store (self, g_value_get_object (value));
      break;

    case PROP_CASE_ID:
      sichtung_assistant_panel_set_case_id (self, g_value_get_int64 (value));
      break;

    case PROP_SCOPE:
      sichtung_assistant_panel_set_scope (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_assistant_panel_class_init (SichtungAssistantPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sichtung_assistant_panel_dispose;
  object_class->finalize = sichtung_assistant_panel_finalize;
  object_class->get_property = sichtung_assistant_panel_get_property;
  object_class->set_property = sichtung_assistant_panel_set_property;

  widget_class->map = sichtung_assistant_panel_map;

  properties[PROP_PANE] =
    g_param_spec_object ("pane", NULL, NULL,
                         SICHTUNG_TYPE_DOCUMENT_PANE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         SC_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CASE_ID] =
    g_param_spec_int64 ("case-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SCOPE] =
    g_param_spec_string ("scope", NULL, NULL,
                         "document",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL,
                         "none",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/sichtung-assistant-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, SichtungAssistantPanel, model_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungAssistantPanel, model_button);
  gtk_widget_class_bind_template_child (widget_class, SichtungAssistantPanel, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, SichtungAssistantPanel, message_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungAssistantPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, SichtungAssistantPanel, status_page);
  gtk_widget_class_bind_template_child (widget_class, SichtungAssistantPanel, load_spinner);
  gtk_widget_class_bind_template_child (widget_class, SichtungAssistantPanel, load_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungAssistantPanel, load_progress);
  gtk_widget_class_bind_template_child (widget_class, SichtungAssistantPanel, model_name_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungAssistantPanel, model_facts_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungAssistantPanel, model_note_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungAssistantPanel, question_entry);
  gtk_widget_class_bind_template_child (widget_class, SichtungAssistantPanel, run_box);
  gtk_widget_class_bind_template_child (widget_class, SichtungAssistantPanel, run_spinner);
  gtk_widget_class_bind_template_child (widget_class, SichtungAssistantPanel, run_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungAssistantPanel, answer_view);
  gtk_widget_class_bind_template_callback (widget_class, question_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, passage_activated_cb);

  gtk_widget_class_install_action (widget_class, "assistant.choose-model", NULL,
                                   choose_model_action);
  gtk_widget_class_install_action (widget_class, "assistant.use-model", "s", use_model_action);
  gtk_widget_class_install_action (widget_class, "assistant.cancel-load", NULL,
                                   cancel_load_action);
  gtk_widget_class_install_action (widget_class, "assistant.dismiss-message", NULL,
                                   dismiss_message_action);
  gtk_widget_class_install_action (widget_class, "assistant.none", NULL, none_action);
  gtk_widget_class_install_action (widget_class, "assistant.run", "s", run_action);
  gtk_widget_class_install_action (widget_class, "assistant.ask", NULL, ask_action);
  gtk_widget_class_install_action (widget_class, "assistant.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "assistant.explain", NULL, explain_action);
  gtk_widget_class_install_property_action (widget_class, "assistant.scope", "scope");

  gtk_widget_class_set_css_name (widget_class, "assistantpanel");

  g_type_ensure (SICHTUNG_TYPE_ANSWER_VIEW);
}

static void
sichtung_assistant_panel_init (SichtungAssistantPanel *self)
{
  g_autofree char *dir = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *description = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->scope = g_strdup ("document");
  self->state = g_intern_static_string ("none");
  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::assistant-model",
                           G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::assistant-embedding-model",
                           G_CALLBACK (embedder_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->question_entry, "changed", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  gtk_menu_button_set_create_popup_func (self->model_button, create_model_menu_cb, NULL, NULL);

  dir = sc_assistant_get_models_dir ();
  escaped = g_markup_escape_text (dir, -1);
  /* Translators: %s is the models folder. The app never downloads anything. */
  description = g_strdup_printf (_("Sichtung brings no language model and downloads none: the "
                                   "assistant runs offline, on this computer only. Any GGUF "
                                   "chat model of the Llama 2, Llama 3, Mistral or Qwen2 "
                                   "families works. Put it in the models folder, %s, or choose "
                                   "it anywhere."),
                                 escaped);
  adw_status_page_set_description (self->status_page, description);

  gtk_stack_set_visible_child_name (self->stack, "none");
  update_actions (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

GtkWidget *
sichtung_assistant_panel_new (void)
{
  return g_object_new (SICHTUNG_TYPE_ASSISTANT_PANEL, NULL);
}

SichtungDocumentPane *
sichtung_assistant_panel_get_pane (SichtungAssistantPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ASSISTANT_PANEL (self), NULL);

  return self->pane;
}

void
sichtung_assistant_panel_set_pane (SichtungAssistantPanel *self,
                                   SichtungDocumentPane   *pane)
{
  g_return_if_fail (SICHTUNG_IS_ASSISTANT_PANEL (self));
  g_return_if_fail (pane == NULL || SICHTUNG_IS_DOCUMENT_PANE (pane));

  if (self->pane == pane)
    return;

  clear_pending (self);
  if (self->pane != NULL)
    {
      g_clear_signal_handler (&self->pane_document_handler, self->pane);
      g_object_remove_weak_pointer (G_OBJECT (self->pane), (gpointer *) &self->pane);
    }
  self->pane = pane;
  if (pane != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (pane), (gpointer *) &self->pane);
      self->pane_document_handler = g_signal_connect_swapped (pane, "notify::document",
                                                              G_CALLBACK (pane_document_cb),
                                                              self);
    }
  if (!self->disposed)
    update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PANE]);
}

void
sichtung_assistant_panel_set_store (SichtungAssistantPanel *self,
                                    ScStore                *store)
{
  g_return_if_fail (SICHTUNG_IS_ASSISTANT_PANEL (self));
  g_return_if_fail (store == NULL || SC_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

void
sichtung_assistant_panel_set_case_id (SichtungAssistantPanel *self,
                                      gint64                  case_id)
{
  g_return_if_fail (SICHTUNG_IS_ASSISTANT_PANEL (self));
  g_return_if_fail (case_id >= 0);

  if (self->case_id == case_id)
    return;

  self->case_id = case_id;
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE_ID]);
}

void
sichtung_assistant_panel_set_model_path (SichtungAssistantPanel *self,
                                         const char             *path)
{
  g_return_if_fail (SICHTUNG_IS_ASSISTANT_PANEL (self));

  /* The same choice again is a retry (the file may have been replaced). */
  g_clear_pointer (&self->failed_path, g_free);
  if (g_strcmp0 (path, self->model_path) == 0 && self->model == NULL
      && self->load_cancellable == NULL)
    g_clear_pointer (&self->model_path, g_free);
  g_settings_set_string (self->settings, "assistant-model", path != NULL ? path : "");
  ensure_model (self);
}

const char *
sichtung_assistant_panel_get_state (SichtungAssistantPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ASSISTANT_PANEL (self), NULL);

  return self->state;
}

const char *
sichtung_assistant_panel_get_message (SichtungAssistantPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ASSISTANT_PANEL (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->message_revealer))
    return NULL;
  return gtk_label_get_text (self->message_label);
}

SichtungAssistantModel *
sichtung_assistant_panel_get_model (SichtungAssistantPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ASSISTANT_PANEL (self), NULL);

  return self->model;
}

gboolean
sichtung_assistant_panel_get_busy (SichtungAssistantPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ASSISTANT_PANEL (self), FALSE);

  return self->busy;
}

const char *
sichtung_assistant_panel_get_scope (SichtungAssistantPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ASSISTANT_PANEL (self), NULL);

  return self->scope;
}

void
sichtung_assistant_panel_set_scope (SichtungAssistantPanel *self,
                                    const char             *scope)
{
  g_return_if_fail (SICHTUNG_IS_ASSISTANT_PANEL (self));

  if (g_strcmp0 (scope, "case") != 0)
    scope = "document";
  if (g_strcmp0 (self->scope, scope) == 0)
    return;

  g_free (self->scope);
  self->scope = g_strdup (scope);
  gtk_entry_set_placeholder_text (self->question_entry,
                                  g_str_equal (scope, "case") ? _("Ask about the case…")
                                                              : _("Ask about the document…"));
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCOPE]);
}

SichtungAnswerView *
sichtung_assistant_panel_get_answer_view (SichtungAssistantPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ASSISTANT_PANEL (self), NULL);

  return self->answer_view;
}

GtkEntry *
sichtung_assistant_panel_get_question_entry (SichtungAssistantPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ASSISTANT_PANEL (self), NULL);

  return self->question_entry;
}

AdwStatusPage *
sichtung_assistant_panel_get_status_page (SichtungAssistantPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ASSISTANT_PANEL (self), NULL);

  return self->status_page;
}

const char *
sichtung_assistant_panel_get_model_facts (SichtungAssistantPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ASSISTANT_PANEL (self), NULL);

  return gtk_label_get_text (self->model_facts_label);
}
