/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-what-if-window.c: the trainers' “What If?” editor.
 *
 * Every change to the text, once typing pauses for DEBOUNCE_MS, cancels the run in progress
 * and starts a new one on a worker thread: sc_ner_find() on the text and, for each finding,
 * the occlusion scores of sc_explain_finding() (the fast method; KernelSHAP would make the
 * editor lag). The results of the latest text replace those shown as they arrive; older runs
 * are dropped. Nothing is stored.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "sichtung-finding-style.h"
#include "sichtung-model-loader.h"
#include "sichtung-what-if-window.h"

/* Quiet time after a key press before the text is tagged again. */
#define DEBOUNCE_MS    150
/* The heatmap's tints, as in the explanation panel: Adwaita's blue 3 for words that support
 * the finding, orange 3 for words that speak against it. */
/* How strongly findings are tinted in the tagged text. */
#define TAG_ALPHA      25

#define SAMPLE_TEXT "Der Bescheid wurde Frau Erika Mustermann am 3. März 2024 zugestellt; " \
                    "zuständig ist das Verwaltungsgericht Mainz."

struct _SichtungWhatIfWindow
{
  AdwWindow      parent_instance;

  /* Template children */
  GtkTextView   *text_view;
  GtkLabel      *timing_label;
  GtkStack      *stack;
  GtkLabel      *note_label;
  GtkLabel      *error_label;
  GtkLabel      *tagged_label;
  GtkListBox    *findings_list;
  GtkLabel      *heatmap_label;
  GtkLabel      *summary_label;

  GCancellable  *cancellable;      /* of the window: the model load */
  GCancellable  *run_cancellable;  /* of the run in progress, or NULL */
  ScNer         *ner;              /* NULL until loaded, or when there is none */
  gboolean       loaded;           /* the loader has answered */
  guint          debounce_id;

  /* What is shown: the text computed, its findings and their explanations (entries may be
   * NULL where a finding could not be explained). */
  char          *text;
  GPtrArray     *findings;
  GPtrArray     *explanations;
};

G_DEFINE_FINAL_TYPE (SichtungWhatIfWindow, sichtung_what_if_window, ADW_TYPE_WINDOW)

/* ------------------------------------------------------------------------------------------ */
/* The worker                                                                                 */

typedef struct
{
  ScNer *ner;
  char  *text;
} RunData;

typedef struct
{
  char      *text;
  GPtrArray *findings;     /* ScFinding* */
  GPtrArray *explanations; /* ScExplanation*, NULL entries allowed */
  char      *error;        /* why the first finding without scores has none, or NULL */
  gint64     elapsed_us;
} RunResult;

static void
run_data_free (RunData *data)
{
  g_clear_pointer (&data->ner, sc_ner_unref);
  g_free (data->text);
  g_free (data);
}

static void
run_result_free (RunResult *result)
{
  g_free (result->text);
  g_clear_pointer (&result->findings, g_ptr_array_unref);
  g_clear_pointer (&result->explanations, g_ptr_array_unref);
  g_free (result->error);
  g_free (result);
}

static void
explanation_free (gpointer explanation)
{
  if (explanation != NULL)
    sc_explanation_unref (explanation);
}

/* Runs on a worker thread: the ScNer is immutable and may be shared. */
static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *data = task_data;
  gint64 begin = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;
  RunResult *result = g_new0 (RunResult, 1);

  result->text = g_strdup (data->text);
  result->explanations = g_ptr_array_new_with_free_func (explanation_free);
  result->findings = sc_ner_find (data->ner, data->text, cancellable, &error);
  if (result->findings == NULL)
    {
      run_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < result->findings->len; i++)
    {
      const ScFinding *finding = g_ptr_array_index (result->findings, i);
      g_autoptr(GError) explain_error = NULL;
      ScExplanation *explanation;

      explanation = sc_explain_finding (data->ner, data->text, finding, SC_EXPLAIN_OCCLUSION,
                                        cancellable, &explain_error);
      if (explanation == NULL)
        {
          if (g_error_matches (explain_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              run_result_free (result);
              g_task_return_error (task, g_steal_pointer (&explain_error));
              return;
            }
          /* One finding without scores does not spoil the others. */
          if (result->error == NULL)
            result->error = g_strdup (explain_error->message);
        }
      g_ptr_array_add (result->explanations, explanation);
    }

  result->elapsed_us = g_get_monotonic_time () - begin;
  g_task_return_pointer (task, result, (GDestroyNotify) run_result_free);
}

/* ------------------------------------------------------------------------------------------ */
/* Showing the results                                                                        */

/* “Person · PER · 97 %”, or without the label where it adds nothing. */
static char *
describe_finding (const ScFinding *finding)
{
  const char *category = sc_finding_category_get_display_name (finding->category);
  int percent = (int) (finding->confidence * 100 + 0.5);

  if (finding->label != NULL && finding->label[0] != '\0')
    /* Translators: category, fine label and probability of a finding: “Person · PER · 97 %”. */
    return g_strdup_printf (_("%s · %s · %d %%"), category, finding->label, percent);
  /* Translators: a finding's category and probability: “Person · 97 %”. */
  return g_strdup_printf (_("%s · %d %%"), category, percent);
}

static char *
color_to_hex (const GdkRGBA *color)
{
  return g_strdup_printf ("#%02x%02x%02x",
                          (int) (CLAMP (color->red, 0, 1) * 255 + 0.5),
                          (int) (CLAMP (color->green, 0, 1) * 255 + 0.5),
                          (int) (CLAMP (color->blue, 0, 1) * 255 + 0.5));
}

/* The text as Pango markup, each finding tinted in its category's colour and followed by its
 * tag in brackets, so the tags are read, not only seen. */
static char *
tagged_markup (const char *text,
               GPtrArray  *findings)
{
  g_autoptr(GString) markup = g_string_new (NULL);
  g_autofree char *after = NULL;
  gsize len = strlen (text);
  gsize cursor = 0;

  for (guint i = 0; i < findings->len; i++)
    {
      const ScFinding *finding = g_ptr_array_index (findings, i);
      g_autofree char *before = NULL;
      g_autofree char *span = NULL;
      g_autofree char *description = describe_finding (finding);
      g_autofree char *tag = NULL;
      g_autofree char *color = NULL;
      GdkRGBA rgba;

      if (finding->start < cursor || finding->end > len || finding->end <= finding->start)
        continue;

      before = g_markup_escape_text (text + cursor, finding->start - cursor);
      span = g_markup_escape_text (text + finding->start, finding->end - finding->start);
      tag = g_markup_escape_text (description, -1);
      sichtung_finding_style_get_color (finding->category, &rgba);
      color = color_to_hex (&rgba);

      g_string_append (markup, before);
      g_string_append_printf (markup,
                              "<span weight=\"bold\" background=\"%s\" bgalpha=\"%d%%\">%s</span>"
                              " <span size=\"small\">[%s]</span>",
                              color, TAG_ALPHA, span, tag);
      cursor = finding->end;
    }
  after = g_markup_escape_text (text + cursor, -1);
  g_string_append (markup, after);

  return g_string_free (g_steal_pointer (&markup), FALSE);
}

static void
show_explanation (SichtungWhatIfWindow *self,
                  int                   index)
{
  ScExplanation *explanation = NULL;
  const double *scores = NULL;
  g_autofree char *markup = NULL;
  g_autofree char *summary = NULL;

  if (self->explanations != NULL && index >= 0 && (guint) index < self->explanations->len)
    explanation = g_ptr_array_index (self->explanations, index);
  if (explanation != NULL)
    scores = sc_explanation_get_scores (explanation, SC_EXPLAIN_OCCLUSION);

  if (scores == NULL)
    {
      gtk_label_set_text (self->heatmap_label, "");
      gtk_label_set_text (self->summary_label,
                          self->findings != NULL && self->findings->len > 0
                            ? _("No word scores for this finding.")
                            : _("No finding to explain."));
      return;
    }

  markup = sichtung_finding_style_heatmap_markup (explanation, NULL, scores);
  gtk_label_set_markup (self->heatmap_label, markup);
  summary = sc_explanation_summarize (explanation, SC_EXPLAIN_OCCLUSION);
  gtk_label_set_text (self->summary_label, summary);
}

static void
row_selected_cb (SichtungWhatIfWindow *self,
                 GtkListBoxRow        *row)
{
  if (row != NULL)
    show_explanation (self, gtk_list_box_row_get_index (row));
}

static void
show_results (SichtungWhatIfWindow *self,
              int                   selected)
{
  g_autofree char *markup = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->findings_list))) != NULL)
    gtk_list_box_remove (self->findings_list, child);

  if (self->findings->len == 0)
    gtk_label_set_text (self->tagged_label, _("The model finds nothing in this text."));
  else
    {
      markup = tagged_markup (self->text, self->findings);
      gtk_label_set_markup (self->tagged_label, markup);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->findings_list), self->findings->len > 0);

  for (guint i = 0; i < self->findings->len; i++)
    {
      const ScFinding *finding = g_ptr_array_index (self->findings, i);
      g_autofree char *description = describe_finding (finding);
      /* Translators: a finding's words and its description, “Erika Mustermann — Person · …”. */
      g_autofree char *text = g_strdup_printf (_("%s — %s"), finding->text, description);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_list_box_append (self->findings_list, label);
    }

  /* Trainers edit around a finding: keep the same one selected where it still exists. */
  if (selected < 0 || (guint) selected >= self->findings->len)
    selected = 0;
  if (self->findings->len > 0)
    gtk_list_box_select_row (self->findings_list,
                             gtk_list_box_get_row_at_index (self->findings_list, selected));
  else
    show_explanation (self, -1);

  gtk_stack_set_visible_child_name (self->stack, "result");
}

static void
show_error (SichtungWhatIfWindow *self,
            const char           *message)
{
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_pointer (&self->explanations, g_ptr_array_unref);
  gtk_label_set_text (self->error_label, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
run_cb (GObject      *source_object,
        GAsyncResult *result,
        gpointer      user_data)
{
  SichtungWhatIfWindow *self = SICHTUNG_WHAT_IF_WINDOW (source_object);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *timing = NULL;
  GtkListBoxRow *row;
  RunResult *run;
  int selected;

  run = g_task_propagate_pointer (G_TASK (result), &error);
  /* A newer text (or closing the window) cancelled this run: nothing of it is shown. */
  if (g_cancellable_is_cancelled (cancellable) || cancellable != self->run_cancellable)
    {
      g_clear_pointer (&run, run_result_free);
      return;
    }
  g_clear_object (&self->run_cancellable);

  if (run == NULL)
    {
      show_error (self, error->message);
      return;
    }

  row = gtk_list_box_get_selected_row (self->findings_list);
  selected = row != NULL ? gtk_list_box_row_get_index (row) : 0;

  g_free (self->text);
  self->text = g_steal_pointer (&run->text);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  self->findings = g_steal_pointer (&run->findings);
  g_clear_pointer (&self->explanations, g_ptr_array_unref);
  self->explanations = g_steal_pointer (&run->explanations);

  /* Translators: how long tagging and scoring the text took, “computed in 42 ms”. */
  timing = g_strdup_printf (_("computed in %d ms"), (int) ((run->elapsed_us + 500) / 1000));
  gtk_label_set_text (self->timing_label, timing);
  show_results (self, selected);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->summary_label), run->error);
  run_result_free (run);
}

/* Cancels the run in progress and tags the current text anew, once the model is there. */
static void
start_run (SichtungWhatIfWindow *self)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_cancellable_cancel (self->run_cancellable);
  g_clear_object (&self->run_cancellable);
  if (self->ner == NULL)
    return;

  self->run_cancellable = g_cancellable_new ();
  data = g_new0 (RunData, 1);
  data->ner = sc_ner_ref (self->ner);
  data->text = sichtung_what_if_window_get_text (self);
  task = g_task_new (self, self->run_cancellable, run_cb, NULL);
  g_task_set_source_tag (task, start_run);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_thread);
}

static gboolean
debounce_cb (gpointer user_data)
{
  SichtungWhatIfWindow *self = user_data;

  self->debounce_id = 0;
  start_run (self);
  return G_SOURCE_REMOVE;
}

static void
text_changed_cb (SichtungWhatIfWindow *self)
{
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  if (self->loaded)
    self->debounce_id = g_timeout_add (DEBOUNCE_MS, debounce_cb, self);
}

static void
model_loaded_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SichtungWhatIfWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  ScNer *ner;

  ner = sichtung_model_loader_load_finish (result, NULL, &note, NULL, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_pointer (&ner, sc_ner_unref);
      return;
    }

  self->loaded = TRUE;
  self->ner = ner;
  if (ner == NULL && error != NULL)
    show_error (self, error->message);
  else if (ner == NULL)
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf ("%s%s%s",
                              _("No findings model is installed, so this editor has nothing to "
                                "show. It needs the file sichtung-ner.gguf in Sichtung’s models "
                                "folder."),
                              note != NULL ? "\n\n" : "", note != NULL ? note : "");
      gtk_label_set_text (self->note_label, text);
      gtk_stack_set_visible_child_name (self->stack, "note");
    }
  else
    start_run (self);
}

/* ------------------------------------------------------------------------------------------ */

static void
sichtung_what_if_window_dispose (GObject *object)
{
  SichtungWhatIfWindow *self = SICHTUNG_WHAT_IF_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->run_cancellable);
  g_clear_object (&self->run_cancellable);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  g_clear_pointer (&self->ner, sc_ner_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SICHTUNG_TYPE_WHAT_IF_WINDOW);

  G_OBJECT_CLASS (sichtung_what_if_window_parent_class)->dispose (object);
}

static void
sichtung_what_if_window_finalize (GObject *object)
{
  SichtungWhatIfWindow *self = SICHTUNG_WHAT_IF_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_free (self->text);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_pointer (&self->explanations, g_ptr_array_unref);

  G_OBJECT_CLASS (sichtung_what_if_window_parent_class)->finalize (object);
}

static void
sichtung_what_if_window_class_init (SichtungWhatIfWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sichtung_what_if_window_dispose;
  object_class->finalize = sichtung_what_if_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/sichtung-what-if-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SichtungWhatIfWindow, text_view);
  gtk_widget_class_bind_template_child (widget_class, SichtungWhatIfWindow, timing_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungWhatIfWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SichtungWhatIfWindow, note_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungWhatIfWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungWhatIfWindow, tagged_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungWhatIfWindow, findings_list);
  gtk_widget_class_bind_template_child (widget_class, SichtungWhatIfWindow, heatmap_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungWhatIfWindow, summary_label);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sichtung_what_if_window_init (SichtungWhatIfWindow *self)
{
  GtkTextBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_set_text (buffer, SAMPLE_TEXT, -1);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (text_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  self->cancellable = g_cancellable_new ();
  sichtung_model_loader_load_async (self->cancellable, model_loaded_cb, g_object_ref (self));
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

SichtungWhatIfWindow *
sichtung_what_if_window_new (GtkApplication *application)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (SICHTUNG_TYPE_WHAT_IF_WINDOW, "application", application, NULL);
}

char *
sichtung_what_if_window_get_text (SichtungWhatIfWindow *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (SICHTUNG_IS_WHAT_IF_WINDOW (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
sichtung_what_if_window_set_text (SichtungWhatIfWindow *self,
                                  const char           *text)
{
  g_return_if_fail (SICHTUNG_IS_WHAT_IF_WINDOW (self));
  g_return_if_fail (text != NULL);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text, -1);
}

GPtrArray *
sichtung_what_if_window_get_findings (SichtungWhatIfWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_WHAT_IF_WINDOW (self), NULL);

  return self->findings;
}

gboolean
sichtung_what_if_window_is_busy (SichtungWhatIfWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_WHAT_IF_WINDOW (self), FALSE);

  return self->debounce_id != 0 || self->run_cancellable != NULL;
}

const char *
sichtung_what_if_window_get_state (SichtungWhatIfWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_WHAT_IF_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

GtkLabel *
sichtung_what_if_window_get_tagged_label (SichtungWhatIfWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_WHAT_IF_WINDOW (self), NULL);

  return self->tagged_label;
}

GtkLabel *
sichtung_what_if_window_get_heatmap_label (SichtungWhatIfWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_WHAT_IF_WINDOW (self), NULL);

  return self->heatmap_label;
}
