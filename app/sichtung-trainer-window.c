/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-trainer-window.c: the trainers' window (Schulungsmodus).
 *
 * It follows the active document pane of one main window: every finding the model had a part
 * in is listed, and the word scores of each are computed on a worker thread, one finding after
 * the other (the selected one first), so the list fills while the trainer talks. The selected
 * finding shows both explanation methods side by side with how far they agree, and the
 * deletion test: the words with the highest scores hidden one after the other next to as many
 * words drawn at random, with the model's probability after each step. Nothing here is stored;
 * the explanations are dropped when the document changes.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "sichtung-explainer.h"
#include "sichtung-finding-style.h"
#include "sichtung-model-loader.h"
#include "sichtung-trainer-window.h"
#include "sichtung-what-if-window.h"

/* Words shown on each side of a finding in the list's heatmaps. */
#define ROW_CONTEXT_WORDS      8
/* Words on each side of the finding taken into the “What If?” editor. */
#define WHAT_IF_CONTEXT_WORDS  15
/* The deletion test hides up to this many words, and draws random words this many times. */
#define DELETION_MAX_K         5
#define DELETION_DRAWS         10
#define DELETION_SEED          1
/* Time between two steps when the deletion test is played to an audience. */
#define DELETION_STEP_MS       1000

typedef struct
{
  SichtungFindingItem *item;
  GtkListBoxRow       *row;
  GtkLabel            *heatmap;     /* in the row */
  ScExplanation       *explanation; /* NULL until computed, or when it failed */
  char                *text;        /* the page text the explanation's offsets point into */
  char                *error;       /* why there are no scores, or NULL */
  gboolean             done;
} Entry;

struct _SichtungTrainerWindow
{
  AdwWindow             parent_instance;

  /* Template children */
  AdwWindowTitle       *window_title;
  GtkLabel             *progress_label;
  GtkButton            *what_if_button;
  GtkStack             *stack;
  AdwStatusPage        *empty_page;
  GtkListBox           *findings_list;
  GtkLabel             *finding_title;
  GtkStack             *detail_stack;
  GtkSpinner           *detail_spinner;
  GtkLabel             *detail_error;
  GtkLabel             *occlusion_heading;
  GtkLabel             *occlusion_heatmap;
  GtkLabel             *occlusion_summary;
  GtkLabel             *kernel_shap_heading;
  GtkLabel             *kernel_shap_heatmap;
  GtkLabel             *kernel_shap_summary;
  GtkLabel             *agreement_label;
  GtkLabel             *deletion_sentence;
  GtkGrid              *deletion_grid;
  GtkLabel             *deletion_note;
  GtkButton            *deletion_button;

  SichtungWindow       *window;   /* weak */
  SichtungDocumentPane *pane;     /* followed; strong while connected */
  GListModel           *findings; /* the pane's, connected */

  GCancellable         *cancellable;          /* of the window: the model load */
  GCancellable         *work_cancellable;     /* of the explanations of the entries */
  GCancellable         *deletion_cancellable; /* of the deletion test being computed */
  ScNer                *ner;
  gboolean              loaded;   /* the model loader has answered */
  char                 *model_error;
  gboolean              running;  /* an explanation is being computed */

  GPtrArray            *entries;  /* Entry*, in the order of the pane's findings */
  Entry                *selected;
  gboolean              syncing;  /* selecting in step with the pane */

  /* The deletion test of the selected finding. */
  double                top[DELETION_MAX_K + 1];
  double                random[DELETION_MAX_K + 1];
  guint                 top_words[DELETION_MAX_K];
  guint                 n_steps;  /* 0 until computed */
  guint                 shown_steps;
  guint                 step_id;
  GPtrArray            *step_widgets; /* GPtrArray* of the widgets of each step's row */
};

G_DEFINE_FINAL_TYPE (SichtungTrainerWindow, sichtung_trainer_window, ADW_TYPE_WINDOW)

static void explain_next      (SichtungTrainerWindow *self);
static void show_detail       (SichtungTrainerWindow *self);
static void rebuild           (SichtungTrainerWindow *self);

static void
entry_free (Entry *entry)
{
  g_clear_object (&entry->item);
  g_clear_pointer (&entry->explanation, sc_explanation_unref);
  g_free (entry->text);
  g_free (entry->error);
  g_free (entry);
}

static gboolean
animations_enabled (SichtungTrainerWindow *self)
{
  gboolean enabled = TRUE;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-enable-animations", &enabled,
                NULL);
  return enabled;
}

/* ------------------------------------------------------------------------------------------ */
/* The list of findings                                                                        */

/* “Person · page 2 · 97 %” */
static char *
describe_item (SichtungFindingItem *item)
{
  ScPageFinding *page_finding = sichtung_finding_item_get_page_finding (item);

  /* Translators: a finding's category, page and confidence: “Person · page 2 · 97 %”. */
  return g_strdup_printf (_("%s · page %u · %d %%"),
                          sichtung_finding_item_get_category_name (item),
                          page_finding->page + 1,
                          (int) (sichtung_finding_item_get_confidence (item) * 100 + 0.5));
}

static void
update_progress (SichtungTrainerWindow *self)
{
  guint n = self->entries->len;
  guint done = sichtung_trainer_window_get_n_explained (self);
  g_autofree char *text = NULL;

  if (n == 0)
    {
      gtk_label_set_text (self->progress_label, "");
      return;
    }
  if (done < n)
    /* Translators: progress of the word scores: “Word scores: 12 of 40 findings”. */
    text = g_strdup_printf (ngettext ("Word scores: %u of %u finding",
                                      "Word scores: %u of %u findings", n),
                            done, n);
  else
    text = g_strdup_printf (ngettext ("Word scores of %u finding", "Word scores of all %u findings",
                                      n),
                            n);
  gtk_label_set_text (self->progress_label, text);
}

static void
update_row (SichtungTrainerWindow *self,
            Entry                 *entry)
{
  const double *scores;
  g_autofree char *markup = NULL;

  if (!entry->done)
    {
      gtk_label_set_text (entry->heatmap, _("Word scores follow…"));
      return;
    }
  if (entry->explanation == NULL)
    {
      gtk_label_set_text (entry->heatmap, entry->error != NULL ? entry->error : "");
      return;
    }

  scores = sc_explanation_get_scores (entry->explanation, SC_EXPLAIN_OCCLUSION);
  markup = sichtung_finding_style_heatmap_markup_full (entry->explanation, entry->text, scores,
                                                       ROW_CONTEXT_WORDS, NULL);
  gtk_label_set_markup (entry->heatmap, markup);
  gtk_widget_remove_css_class (GTK_WIDGET (entry->heatmap), "dim-label");
  {
    g_autofree char *summary = sc_explanation_summarize (entry->explanation,
                                                         SC_EXPLAIN_OCCLUSION);

    gtk_accessible_update_property (GTK_ACCESSIBLE (entry->row),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary, -1);
  }
}

static Entry *
entry_new (SichtungFindingItem *item)
{
  Entry *entry = g_new0 (Entry, 1);
  g_autofree char *description = describe_item (item);
  g_autofree char *accessible = NULL;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *title = gtk_label_new (sichtung_finding_item_get_text (item));
  GtkWidget *caption = gtk_label_new (description);
  GtkWidget *heatmap = gtk_label_new (NULL);

  entry->item = g_object_ref (item);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (heatmap), 0);
  gtk_label_set_wrap (GTK_LABEL (heatmap), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (heatmap), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (heatmap, "heatmap");
  gtk_widget_add_css_class (heatmap, "dim-label");

  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), caption);
  gtk_box_append (GTK_BOX (box), heatmap);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  entry->row = GTK_LIST_BOX_ROW (gtk_list_box_row_new ());
  gtk_list_box_row_set_child (entry->row, box);
  entry->heatmap = GTK_LABEL (heatmap);
  /* Translators: a finding in the trainers' list: its words, then “Person · page 2 · 97 %”. */
  accessible = g_strdup_printf (_("%s, %s"), sichtung_finding_item_get_text (item), description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry->row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  return entry;
}

static Entry *
find_entry (SichtungTrainerWindow *self,
            SichtungFindingItem   *item)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry->item == item)
        return entry;
    }
  return NULL;
}

static Entry *
find_entry_for_row (SichtungTrainerWindow *self,
                    GtkListBoxRow         *row)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry->row == row)
        return entry;
    }
  return NULL;
}

static void
show_empty (SichtungTrainerWindow *self,
            const char            *description)
{
  adw_status_page_set_description (self->empty_page, description);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* Lists the findings the model had a part in, of the document the pane shows, and starts
 * computing their word scores. */
static void
rebuild (SichtungTrainerWindow *self)
{
  GtkWidget *child;
  ScDocument *document = self->pane != NULL ? sichtung_document_pane_get_document (self->pane)
                                            : NULL;
  guint n_items;

  g_cancellable_cancel (self->work_cancellable);
  g_clear_object (&self->work_cancellable);
  g_cancellable_cancel (self->deletion_cancellable);
  g_clear_object (&self->deletion_cancellable);
  g_clear_handle_id (&self->step_id, g_source_remove);
  self->running = FALSE;
  self->selected = NULL;
  self->n_steps = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->findings_list))) != NULL)
    gtk_list_box_remove (self->findings_list, child);
  g_ptr_array_set_size (self->entries, 0);

  adw_window_title_set_subtitle (self->window_title,
                                 self->pane != NULL && document != NULL
                                   ? sichtung_document_pane_get_title (self->pane) : NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->what_if_button), FALSE);

  if (document == NULL)
    {
      show_empty (self, _("Open a document in the main window; its findings appear here."));
      update_progress (self);
      return;
    }
  if (sichtung_document_pane_get_analyzing (self->pane))
    {
      show_empty (self, _("The document is being analysed…"));
      update_progress (self);
      return;
    }

  n_items = g_list_model_get_n_items (self->findings);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(SichtungFindingItem) item = g_list_model_get_item (self->findings, i);
      ScPageFinding *page_finding = sichtung_finding_item_get_page_finding (item);
      Entry *entry;

      if ((page_finding->sources & (1u << SC_FINDING_SOURCE_MODEL)) == 0)
        continue;
      entry = entry_new (item);
      g_ptr_array_add (self->entries, entry);
      gtk_list_box_append (self->findings_list, GTK_WIDGET (entry->row));
      update_row (self, entry);
    }
  update_progress (self);

  if (self->entries->len == 0)
    {
      if (self->loaded && self->ner == NULL)
        show_empty (self, self->model_error != NULL
                            ? self->model_error
                            : _("No findings model is installed: word scores exist only for "
                                "findings of the model."));
      else
        show_empty (self, _("The model found nothing in this document; the rules’ findings "
                            "have no word scores."));
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "findings");
  self->work_cancellable = g_cancellable_new ();

  /* Start at the first person, in the main window too: what an audience knows best from the
   * documents, and where the words around a finding matter most. */
  {
    Entry *entry = NULL;

    for (guint i = 0; entry == NULL && i < self->entries->len; i++)
      {
        Entry *candidate = g_ptr_array_index (self->entries, i);

        if (sichtung_finding_item_get_category (candidate->item) == SC_FINDING_PERSON)
          entry = candidate;
      }
    if (entry == NULL)
      entry = g_ptr_array_index (self->entries, 0);
    gtk_list_box_select_row (self->findings_list, entry->row);
  }
  explain_next (self);
}

/* ------------------------------------------------------------------------------------------ */
/* Word scores, one finding after the other                                                   */

static void
explain_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  SichtungTrainerWindow *self = SICHTUNG_TRAINER_WINDOW (source_object);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  Entry *entry = user_data; /* valid while the cancellable is not cancelled */
  g_autoptr(GError) error = NULL;
  g_autoptr(ScExplanation) explanation = NULL;
  g_autofree char *text = NULL;

  explanation = sichtung_explain_page_finding_finish (result, &text, &error);
  /* A new document or the window's end cancelled it: its entry is gone. */
  if (g_cancellable_is_cancelled (cancellable) || cancellable != self->work_cancellable)
    return;

  self->running = FALSE;
  entry->done = TRUE;
  if (explanation != NULL)
    {
      entry->explanation = g_steal_pointer (&explanation);
      entry->text = g_steal_pointer (&text);
    }
  else
    entry->error = g_strdup (error->message);

  update_row (self, entry);
  update_progress (self);
  if (entry == self->selected)
    show_detail (self);
  explain_next (self);
}

/* Starts the word scores of the next finding without them: the selected one first. */
static void
explain_next (SichtungTrainerWindow *self)
{
  ScDocument *document;
  Entry *next = NULL;

  if (self->running || self->ner == NULL || self->work_cancellable == NULL || self->pane == NULL)
    return;
  document = sichtung_document_pane_get_document (self->pane);
  if (document == NULL)
    return;

  if (self->selected != NULL && !self->selected->done)
    next = self->selected;
  for (guint i = 0; next == NULL && i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (!entry->done)
        next = entry;
    }
  if (next == NULL)
    return;

  self->running = TRUE;
  sichtung_explain_page_finding_async (self, self->ner, document,
                                       sichtung_finding_item_get_page_finding (next->item),
                                       SC_EXPLAIN_ALL, self->work_cancellable, explain_cb, next);
}

static void
model_loaded_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SichtungTrainerWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  ScNer *ner;

  ner = sichtung_model_loader_load_finish (result, NULL, NULL, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_pointer (&ner, sc_ner_unref);
      return;
    }

  self->loaded = TRUE;
  self->ner = ner;
  if (error != NULL)
    self->model_error = g_strdup (error->message);
  rebuild (self);
}

/* ------------------------------------------------------------------------------------------ */
/* The selected finding: both methods and the deletion test                                   */

/* For screen readers: the words the method scored highest. */
static void
describe_heatmap (GtkLabel        *label,
                  ScExplanation   *explanation,
                  ScExplainMethod  method)
{
  g_autofree char *summary = sc_explanation_summarize (explanation, method);

  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  summary, -1);
}

static void
show_method (SichtungTrainerWindow *self,
             ScExplainMethod        method,
             GtkLabel              *heatmap,
             GtkLabel              *summary_label)
{
  Entry *entry = self->selected;
  const double *scores = sc_explanation_get_scores (entry->explanation, method);
  g_autofree char *markup = NULL;
  g_autofree char *summary = NULL;

  markup = sichtung_finding_style_heatmap_markup (entry->explanation, entry->text, scores);
  gtk_label_set_markup (heatmap, markup);
  describe_heatmap (heatmap, entry->explanation, method);
  summary = sc_explanation_summarize (entry->explanation, method);
  gtk_label_set_text (summary_label, summary);
}

static const char *
describe_agreement (double rho)
{
  if (rho >= 0.7)
    return _("high");
  if (rho >= 0.4)
    return _("moderate");
  if (rho >= 0.1)
    return _("low");
  return _("none to speak of");
}

static void
show_agreement (SichtungTrainerWindow *self)
{
  double rho = sc_explanation_get_agreement (self->selected->explanation);
  g_autofree char *text = NULL;

  if (isnan (rho))
    text = g_strdup (_("The two methods cannot be compared for this finding."));
  else
    /* Translators: %.2f is Spearman's rank correlation (−1 … 1), %s a word for how high it
     * is (“high”, “moderate”, …). */
    text = g_strdup_printf (_("Agreement of the two methods (rank correlation of the word "
                              "scores): %.2f, %s."),
                            rho, describe_agreement (rho));
  gtk_label_set_text (self->agreement_label, text);
}

static void
clear_deletion_grid (SichtungTrainerWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->deletion_grid))) != NULL)
    gtk_grid_remove (self->deletion_grid, child);
  g_ptr_array_set_size (self->step_widgets, 0);
}

/* The sentence of the deletion test with the words hidden at the step shown struck out. */
static void
update_deletion_sentence (SichtungTrainerWindow *self)
{
  Entry *entry = self->selected;
  g_autofree gboolean *hidden = NULL;
  g_autofree char *markup = NULL;
  guint k = self->shown_steps > 0 ? self->shown_steps - 1 : 0;

  if (entry == NULL || entry->explanation == NULL)
    return;
  hidden = g_new0 (gboolean, MAX (entry->explanation->n_words, 1));
  for (guint i = 0; i < k && i + 1 < self->n_steps; i++)
    hidden[self->top_words[i]] = TRUE;
  markup = sichtung_finding_style_heatmap_markup_full (
             entry->explanation, entry->text,
             sc_explanation_get_scores (entry->explanation, SC_EXPLAIN_OCCLUSION),
             ROW_CONTEXT_WORDS * 2, hidden);
  gtk_label_set_markup (self->deletion_sentence, markup);
}

static void
show_steps (SichtungTrainerWindow *self,
            guint                  n)
{
  self->shown_steps = MIN (n, self->n_steps);
  for (guint k = 0; k < self->step_widgets->len; k++)
    {
      GPtrArray *widgets = g_ptr_array_index (self->step_widgets, k);

      for (guint i = 0; i < widgets->len; i++)
        gtk_widget_set_visible (g_ptr_array_index (widgets, i), k < self->shown_steps);
    }
  update_deletion_sentence (self);
}

static GtkWidget *
new_level_bar (double      probability,
               const char *accessible_label)
{
  GtkWidget *bar = gtk_level_bar_new_for_interval (0, 1);

  gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), CLAMP (probability, 0, 1));
  /* One colour for all values: the length is what tells. */
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_widget_set_hexpand (bar, TRUE);
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (bar, 120, 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_label, -1);
  return bar;
}

static GtkWidget *
new_percent_label (double probability)
{
  g_autofree char *text = g_strdup_printf (_("%d %%"), (int) (probability * 100 + 0.5));
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_width_chars (GTK_LABEL (label), 5);
  gtk_widget_add_css_class (label, "numeric");
  return label;
}

static GtkWidget *
new_heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "caption-heading");
  return label;
}

static void
fill_deletion_grid (SichtungTrainerWindow *self)
{
  Entry *entry = self->selected;

  clear_deletion_grid (self);
  gtk_grid_attach (self->deletion_grid, new_heading (_("Hidden")), 0, 0, 1, 1);
  gtk_grid_attach (self->deletion_grid, new_heading (_("Words with the highest scores")), 1, 0, 2,
                   1);
  gtk_grid_attach (self->deletion_grid, new_heading (_("Words drawn at random")), 3, 0, 2, 1);

  for (guint k = 0; k < self->n_steps; k++)
    {
      GPtrArray *widgets = g_ptr_array_new ();
      g_autofree char *what = NULL;
      g_autofree char *top_label = NULL;
      g_autofree char *random_label = NULL;
      GtkWidget *label;
      GtkWidget *widget;

      if (k == 0)
        what = g_strdup (_("Nothing"));
      else
        /* Translators: step k of the deletion test, with the word hidden last: “3 words (+
         * “Frau”)”. */
        what = g_strdup_printf (ngettext ("%u word (+ “%s”)", "%u words (+ “%s”)", k), k,
                                entry->explanation->words[self->top_words[k - 1]].text);
      label = gtk_label_new (what);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
      gtk_grid_attach (self->deletion_grid, label, 0, k + 1, 1, 1);
      g_ptr_array_add (widgets, label);

      /* Translators: accessible name of a bar: the model's probability with k words of
       * the highest scores hidden. */
      top_label = g_strdup_printf (ngettext ("Probability with %u word of the highest scores "
                                             "hidden",
                                             "Probability with %u words of the highest scores "
                                             "hidden", k),
                                   k);
      widget = new_level_bar (self->top[k], top_label);
      gtk_grid_attach (self->deletion_grid, widget, 1, k + 1, 1, 1);
      g_ptr_array_add (widgets, widget);
      widget = new_percent_label (self->top[k]);
      gtk_grid_attach (self->deletion_grid, widget, 2, k + 1, 1, 1);
      g_ptr_array_add (widgets, widget);

      /* Translators: accessible name of a bar: the model's probability with k words drawn
       * at random hidden. */
      random_label = g_strdup_printf (ngettext ("Probability with %u word drawn at random "
                                                "hidden",
                                                "Probability with %u words drawn at random "
                                                "hidden", k),
                                      k);
      widget = new_level_bar (self->random[k], random_label);
      gtk_grid_attach (self->deletion_grid, widget, 3, k + 1, 1, 1);
      g_ptr_array_add (widgets, widget);
      widget = new_percent_label (self->random[k]);
      gtk_grid_attach (self->deletion_grid, widget, 4, k + 1, 1, 1);
      g_ptr_array_add (widgets, widget);

      g_ptr_array_add (self->step_widgets, widgets);
    }

  if (self->n_steps > 1)
    {
      guint last = self->n_steps - 1;
      g_autofree char *note = NULL;

      /* Translators: the deletion test's outcome; %u is the number of words hidden, the
       * first %d %% the probability before, the others after hiding them. */
      note = g_strdup_printf (ngettext ("With its %u word of highest score hidden the model’s "
                                        "probability goes from %d %% to %d %%; with as many "
                                        "words drawn at random to %d %% on average.",
                                        "With its %u words of highest score hidden the model’s "
                                        "probability goes from %d %% to %d %%; with as many "
                                        "words drawn at random to %d %% on average.", last),
                              last,
                              (int) (self->top[0] * 100 + 0.5),
                              (int) (self->top[last] * 100 + 0.5),
                              (int) (self->random[last] * 100 + 0.5));
      gtk_label_set_text (self->deletion_note, note);
    }
  else
    gtk_label_set_text (self->deletion_note,
                        _("There are no words around this finding to hide."));

  gtk_widget_set_sensitive (GTK_WIDGET (self->deletion_button), self->n_steps > 1);
  show_steps (self, self->n_steps);
}

typedef struct
{
  guint  n_steps;
  double top[DELETION_MAX_K + 1];
  double random[DELETION_MAX_K + 1];
} DeletionResult;

static void
deletion_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ScExplanation *explanation = task_data;
  g_autoptr(GError) error = NULL;
  DeletionResult *result = g_new0 (DeletionResult, 1);

  result->n_steps = sc_explanation_deletion_test (explanation, SC_EXPLAIN_OCCLUSION,
                                                  DELETION_MAX_K, DELETION_DRAWS, DELETION_SEED,
                                                  result->top, result->random, cancellable,
                                                  &error);
  if (result->n_steps == 0)
    {
      g_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, result, g_free);
}

static void
deletion_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SichtungTrainerWindow *self = SICHTUNG_TRAINER_WINDOW (source_object);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree DeletionResult *deletion = NULL;

  deletion = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_cancellable_is_cancelled (cancellable) || cancellable != self->deletion_cancellable)
    return;
  g_clear_object (&self->deletion_cancellable);

  if (deletion == NULL)
    {
      gtk_label_set_text (self->deletion_note, error->message);
      return;
    }

  self->n_steps = deletion->n_steps;
  memcpy (self->top, deletion->top, sizeof self->top);
  memcpy (self->random, deletion->random, sizeof self->random);
  sc_explanation_get_top_words (self->selected->explanation, SC_EXPLAIN_OCCLUSION,
                                self->n_steps - 1, TRUE, self->top_words);
  fill_deletion_grid (self);
}

static void
start_deletion_test (SichtungTrainerWindow *self)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->deletion_cancellable);
  g_clear_object (&self->deletion_cancellable);
  g_clear_handle_id (&self->step_id, g_source_remove);
  self->n_steps = 0;
  self->shown_steps = 0;
  clear_deletion_grid (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->deletion_button), FALSE);
  gtk_label_set_text (self->deletion_note, _("Hiding words…"));
  update_deletion_sentence (self);

  self->deletion_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->deletion_cancellable, deletion_cb, NULL);
  g_task_set_source_tag (task, start_deletion_test);
  g_task_set_task_data (task, sc_explanation_ref (self->selected->explanation),
                        (GDestroyNotify) sc_explanation_unref);
  g_task_run_in_thread (task, deletion_thread);
}

static void
show_detail (SichtungTrainerWindow *self)
{
  Entry *entry = self->selected;
  g_autofree char *title = NULL;

  g_cancellable_cancel (self->deletion_cancellable);
  g_clear_object (&self->deletion_cancellable);
  g_clear_handle_id (&self->step_id, g_source_remove);
  gtk_widget_set_sensitive (GTK_WIDGET (self->what_if_button),
                            entry != NULL && entry->explanation != NULL);
  if (entry == NULL)
    return;

  {
    g_autofree char *description = describe_item (entry->item);

    /* Translators: the selected finding's words and “Person · page 2 · 97 %”. */
    title = g_strdup_printf (_("%s — %s"), sichtung_finding_item_get_text (entry->item),
                             description);
  }
  gtk_label_set_text (self->finding_title, title);

  if (!entry->done)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "busy");
      gtk_spinner_start (self->detail_spinner);
      return;
    }
  gtk_spinner_stop (self->detail_spinner);
  if (entry->explanation == NULL)
    {
      gtk_label_set_text (self->detail_error, entry->error != NULL ? entry->error : "");
      gtk_stack_set_visible_child_name (self->detail_stack, "error");
      return;
    }

  show_method (self, SC_EXPLAIN_OCCLUSION, self->occlusion_heatmap, self->occlusion_summary);
  show_method (self, SC_EXPLAIN_KERNEL_SHAP, self->kernel_shap_heatmap,
               self->kernel_shap_summary);
  show_agreement (self);
  gtk_stack_set_visible_child_name (self->detail_stack, "result");
  start_deletion_test (self);
}

static gboolean
step_cb (gpointer user_data)
{
  SichtungTrainerWindow *self = user_data;

  show_steps (self, self->shown_steps + 1);
  if (self->shown_steps < self->n_steps)
    return G_SOURCE_CONTINUE;
  self->step_id = 0;
  return G_SOURCE_REMOVE;
}

static void
row_selected_cb (SichtungTrainerWindow *self,
                 GtkListBoxRow         *row)
{
  Entry *entry = row != NULL ? find_entry_for_row (self, row) : NULL;

  if (entry == self->selected)
    return;
  self->selected = entry;
  show_detail (self);
  explain_next (self);

  /* The main window shows the same finding on its page. */
  if (!self->syncing && entry != NULL && self->pane != NULL
      && sichtung_document_pane_get_selected_finding (self->pane) != entry->item)
    {
      self->syncing = TRUE;
      sichtung_document_pane_set_selected_finding (self->pane, entry->item);
      self->syncing = FALSE;
    }
}

static void
pane_selection_cb (SichtungTrainerWindow *self)
{
  SichtungFindingItem *item;
  Entry *entry;

  if (self->syncing || self->pane == NULL)
    return;
  item = sichtung_document_pane_get_selected_finding (self->pane);
  entry = item != NULL ? find_entry (self, item) : NULL;
  if (entry == NULL || entry == self->selected)
    return;
  self->syncing = TRUE;
  gtk_list_box_select_row (self->findings_list, entry->row);
  self->syncing = FALSE;
}

/* The words around the selected finding, with the page's line breaks made spaces. */
static char *
selected_sentence (SichtungTrainerWindow *self)
{
  ScExplanation *e = self->selected->explanation;
  guint first = e->span_start > WHAT_IF_CONTEXT_WORDS ? e->span_start - WHAT_IF_CONTEXT_WORDS : 0;
  guint last = MIN (e->span_end + WHAT_IF_CONTEXT_WORDS, e->n_words);
  g_autoptr(GString) sentence = g_string_new (NULL);

  for (guint i = first; i < last; i++)
    {
      if (i > first)
        {
          gboolean apart = !e->has_offsets || e->words[i].start > e->words[i - 1].end;

          if (apart)
            g_string_append_c (sentence, ' ');
        }
      g_string_append (sentence, e->words[i].text);
    }
  return g_string_free (g_steal_pointer (&sentence), FALSE);
}

static void
what_if_cb (SichtungTrainerWindow *self)
{
  SichtungWhatIfWindow *what_if;
  g_autofree char *sentence = NULL;

  if (self->selected == NULL || self->selected->explanation == NULL)
    return;
  sentence = selected_sentence (self);
  what_if = sichtung_what_if_window_new (gtk_window_get_application (GTK_WINDOW (self)));
  sichtung_what_if_window_set_text (what_if, sentence);
  gtk_window_present (GTK_WINDOW (what_if));
}

/* ------------------------------------------------------------------------------------------ */
/* Following the main window                                                                   */

static void
disconnect_pane (SichtungTrainerWindow *self)
{
  if (self->findings != NULL)
    g_signal_handlers_disconnect_by_data (self->findings, self);
  g_clear_object (&self->findings);
  if (self->pane != NULL)
    g_signal_handlers_disconnect_by_data (self->pane, self);
  g_clear_object (&self->pane);
}

static void
findings_changed_cb (SichtungTrainerWindow *self)
{
  if (self->findings != NULL)
    g_signal_handlers_disconnect_by_data (self->findings, self);
  g_clear_object (&self->findings);
  if (self->pane != NULL)
    {
      self->findings = g_object_ref (sichtung_document_pane_get_findings (self->pane));
      g_signal_connect_swapped (self->findings, "items-changed", G_CALLBACK (rebuild), self);
    }
  rebuild (self);
}

static void
follow_active_pane (SichtungTrainerWindow *self)
{
  SichtungDocumentPane *pane = self->window != NULL
                                 ? sichtung_window_get_active_pane (self->window) : NULL;

  if (pane == self->pane)
    return;
  disconnect_pane (self);
  if (pane != NULL)
    {
      self->pane = g_object_ref (pane);
      g_signal_connect_swapped (pane, "notify::findings", G_CALLBACK (findings_changed_cb),
                                self);
      g_signal_connect_swapped (pane, "notify::document", G_CALLBACK (rebuild), self);
      g_signal_connect_swapped (pane, "notify::analyzing", G_CALLBACK (rebuild), self);
      g_signal_connect_swapped (pane, "notify::selected-finding",
                                G_CALLBACK (pane_selection_cb), self);
    }
  findings_changed_cb (self);
}

/* The main window is closing: nothing left to follow. */
static void
window_destroy_cb (SichtungTrainerWindow *self)
{
  if (self->window != NULL)
    g_signal_handlers_disconnect_by_data (self->window, self);
  g_clear_weak_pointer (&self->window);
  disconnect_pane (self);
  rebuild (self);
}

/* ------------------------------------------------------------------------------------------ */

static void
sichtung_trainer_window_dispose (GObject *object)
{
  SichtungTrainerWindow *self = SICHTUNG_TRAINER_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->work_cancellable);
  g_cancellable_cancel (self->deletion_cancellable);
  g_clear_handle_id (&self->step_id, g_source_remove);
  disconnect_pane (self);
  if (self->window != NULL)
    g_signal_handlers_disconnect_by_data (self->window, self);
  g_clear_weak_pointer (&self->window);
  self->selected = NULL;
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->step_widgets, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), SICHTUNG_TYPE_TRAINER_WINDOW);

  G_OBJECT_CLASS (sichtung_trainer_window_parent_class)->dispose (object);
}

static void
sichtung_trainer_window_finalize (GObject *object)
{
  SichtungTrainerWindow *self = SICHTUNG_TRAINER_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->work_cancellable);
  g_clear_object (&self->deletion_cancellable);
  g_clear_pointer (&self->ner, sc_ner_unref);
  g_free (self->model_error);

  G_OBJECT_CLASS (sichtung_trainer_window_parent_class)->finalize (object);
}

static void
sichtung_trainer_window_class_init (SichtungTrainerWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sichtung_trainer_window_dispose;
  object_class->finalize = sichtung_trainer_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/sichtung-trainer-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SichtungTrainerWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SichtungTrainerWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungTrainerWindow, what_if_button);
  gtk_widget_class_bind_template_child (widget_class, SichtungTrainerWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SichtungTrainerWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SichtungTrainerWindow, findings_list);
  gtk_widget_class_bind_template_child (widget_class, SichtungTrainerWindow, finding_title);
  gtk_widget_class_bind_template_child (widget_class, SichtungTrainerWindow, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, SichtungTrainerWindow, detail_spinner);
  gtk_widget_class_bind_template_child (widget_class, SichtungTrainerWindow, detail_error);
  gtk_widget_class_bind_template_child (widget_class, SichtungTrainerWindow, occlusion_heading);
  gtk_widget_class_bind_template_child (widget_class, SichtungTrainerWindow, occlusion_heatmap);
  gtk_widget_class_bind_template_child (widget_class, SichtungTrainerWindow, occlusion_summary);
  gtk_widget_class_bind_template_child (widget_class, SichtungTrainerWindow,
                                        kernel_shap_heading);
  gtk_widget_class_bind_template_child (widget_class, SichtungTrainerWindow,
                                        kernel_shap_heatmap);
  gtk_widget_class_bind_template_child (widget_class, SichtungTrainerWindow,
                                        kernel_shap_summary);
  gtk_widget_class_bind_template_child (widget_class, SichtungTrainerWindow, agreement_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungTrainerWindow, deletion_sentence);
  gtk_widget_class_bind_template_child (widget_class, SichtungTrainerWindow, deletion_grid);
  gtk_widget_class_bind_template_child (widget_class, SichtungTrainerWindow, deletion_note);
  gtk_widget_class_bind_template_child (widget_class, SichtungTrainerWindow, deletion_button);
}

static void
sichtung_trainer_window_init (SichtungTrainerWindow *self)
{
  const char *occlusion = sc_explain_method_get_display_name (SC_EXPLAIN_OCCLUSION);
  const char *kernel_shap = sc_explain_method_get_display_name (SC_EXPLAIN_KERNEL_SHAP);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  self->step_widgets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  /* The method names come from the core, translated there. */
  gtk_label_set_text (self->occlusion_heading, occlusion);
  gtk_label_set_text (self->kernel_shap_heading, kernel_shap);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->occlusion_heatmap),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, occlusion, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->kernel_shap_heatmap),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, kernel_shap, -1);

  g_signal_connect_swapped (self->findings_list, "row-selected", G_CALLBACK (row_selected_cb),
                            self);
  g_signal_connect_swapped (self->what_if_button, "clicked", G_CALLBACK (what_if_cb), self);
  g_signal_connect_swapped (self->deletion_button, "clicked",
                            G_CALLBACK (sichtung_trainer_window_play_deletion_test), self);

  sichtung_model_loader_load_async (self->cancellable, model_loaded_cb, g_object_ref (self));
}

SichtungTrainerWindow *
sichtung_trainer_window_new (SichtungWindow *window)
{
  SichtungTrainerWindow *self;

  g_return_val_if_fail (SICHTUNG_IS_WINDOW (window), NULL);

  self = g_object_new (SICHTUNG_TYPE_TRAINER_WINDOW,
                       "application", gtk_window_get_application (GTK_WINDOW (window)),
                       NULL);
  g_set_weak_pointer (&self->window, window);
  g_signal_connect_object (window, "notify::active-pane", G_CALLBACK (follow_active_pane), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (window, "destroy", G_CALLBACK (window_destroy_cb), self,
                           G_CONNECT_SWAPPED);
  follow_active_pane (self);
  return self;
}

SichtungWindow *
sichtung_trainer_window_get_window (SichtungTrainerWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_TRAINER_WINDOW (self), NULL);

  return self->window;
}

guint
sichtung_trainer_window_get_n_findings (SichtungTrainerWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_TRAINER_WINDOW (self), 0);

  return self->entries->len;
}

guint
sichtung_trainer_window_get_n_explained (SichtungTrainerWindow *self)
{
  guint n = 0;

  g_return_val_if_fail (SICHTUNG_IS_TRAINER_WINDOW (self), 0);

  for (guint i = 0; i < self->entries->len; i++)
    n += ((Entry *) g_ptr_array_index (self->entries, i))->done;
  return n;
}

GtkListBox *
sichtung_trainer_window_get_findings_list (SichtungTrainerWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_TRAINER_WINDOW (self), NULL);

  return self->findings_list;
}

SichtungFindingItem *
sichtung_trainer_window_get_selected (SichtungTrainerWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_TRAINER_WINDOW (self), NULL);

  return self->selected != NULL ? self->selected->item : NULL;
}

void
sichtung_trainer_window_select (SichtungTrainerWindow *self,
                                SichtungFindingItem   *item)
{
  Entry *entry;

  g_return_if_fail (SICHTUNG_IS_TRAINER_WINDOW (self));

  entry = item != NULL ? find_entry (self, item) : NULL;
  if (entry != NULL)
    gtk_list_box_select_row (self->findings_list, entry->row);
  else
    gtk_list_box_unselect_all (self->findings_list);
}

const char *
sichtung_trainer_window_get_detail_state (SichtungTrainerWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_TRAINER_WINDOW (self), NULL);

  if (self->selected == NULL)
    return NULL;
  return gtk_stack_get_visible_child_name (self->detail_stack);
}

GtkLabel *
sichtung_trainer_window_get_heatmap_label (SichtungTrainerWindow *self,
                                           ScExplainMethod        method)
{
  g_return_val_if_fail (SICHTUNG_IS_TRAINER_WINDOW (self), NULL);

  return method == SC_EXPLAIN_KERNEL_SHAP ? self->kernel_shap_heatmap : self->occlusion_heatmap;
}

GtkLabel *
sichtung_trainer_window_get_agreement_label (SichtungTrainerWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_TRAINER_WINDOW (self), NULL);

  return self->agreement_label;
}

guint
sichtung_trainer_window_get_n_deletion_steps (SichtungTrainerWindow *self)
{
  g_return_val_if_fail (SICHTUNG_IS_TRAINER_WINDOW (self), 0);

  return self->n_steps;
}

double
sichtung_trainer_window_get_deletion_probability (SichtungTrainerWindow *self,
                                                  guint                  k,
                                                  gboolean               random)
{
  g_return_val_if_fail (SICHTUNG_IS_TRAINER_WINDOW (self), NAN);
  g_return_val_if_fail (k < self->n_steps, NAN);

  return random ? self->random[k] : self->top[k];
}

void
sichtung_trainer_window_play_deletion_test (SichtungTrainerWindow *self)
{
  g_return_if_fail (SICHTUNG_IS_TRAINER_WINDOW (self));

  if (self->n_steps == 0)
    return;
  g_clear_handle_id (&self->step_id, g_source_remove);
  if (!animations_enabled (self))
    {
      show_steps (self, self->n_steps);
      return;
    }
  show_steps (self, 1);
  self->step_id = g_timeout_add (DELETION_STEP_MS, step_cb, self);
}
