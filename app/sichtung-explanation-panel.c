/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-explanation-panel.c: why the selected finding was found, in plain language.
 *
 * Everything shown comes from the finding itself (its explanation and steps: the rule trace,
 * a checksum that held, how a deadline was counted) and from the analysis (which model, which
 * version). The reason a person gives for a finding not decided yet is kept on the item and
 * stored with the decision; a new reason for a decided finding is stored when the entry is
 * activated or left, not with every key typed (each store write is an audit entry).
 *
 * For findings of the tagging model, the panel also shows which words around the finding made
 * the model sure of it (sc-explain.h): computed on a worker thread for each selection, held
 * only while the finding is shown, and never stored.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "sichtung-explainer.h"
#include "sichtung-explanation-panel.h"
#include "sichtung-finding-style.h"
#include "sichtung-model-loader.h"

/* The heatmap's tints: Adwaita's blue 3 for words that support the finding, orange 3 for
 * words that speak against it, at most this opaque so the text stays readable. */
/* Words in the accessible description of the heatmap. */
#define N_TOP_WORDS    5

struct _SichtungExplanationPanel
{
  AdwBin               parent_instance;

  /* Template children */
  GtkStack            *stack;
  GtkLabel            *category_label;
  GtkLabel            *text_label;
  GtkLabel            *explanation_label;
  GtkWidget           *steps_heading;
  GtkBox              *steps_box;
  GtkLabel            *confidence_label;
  GtkLabel            *sources_label;
  GtkLabel            *model_label;
  GtkLabel            *decision_label;
  GtkEntry            *reason_entry;
  GtkBox              *heatmap_box;
  GtkWidget           *method_box;
  GtkToggleButton     *occlusion_button;
  GtkLabel            *occlusion_label;
  GtkToggleButton     *kernel_shap_button;
  GtkLabel            *kernel_shap_label;
  GtkStack            *heatmap_stack;
  GtkLabel            *heatmap_note;
  GtkSpinner          *heatmap_spinner;
  GtkLabel            *heatmap_error;
  GtkLabel            *heatmap_label;
  GtkLabel            *summary_label;
  GtkLabel            *probability_label;

  SichtungFindingItem *item;
  ScAnalysis          *analysis;
  ScDocument          *document;

  GCancellable        *heatmap_cancellable; /* of the explanation being computed */
  ScExplanation       *explanation;         /* of the item shown, or NULL */
  char                *explained_text;      /* the page text @explanation points into */
  gboolean             updating;     /* filling the reason entry from the item */
  gboolean             reason_dirty; /* the entry holds a reason not stored yet */
};

G_DEFINE_FINAL_TYPE (SichtungExplanationPanel, sichtung_explanation_panel, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ITEM,
  PROP_ANALYSIS,
  PROP_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A plain-language reading of a confidence, so the number is not all people see. */
static const char *
describe_confidence (double confidence)
{
  if (confidence >= 0.95)
    return _("very sure");
  if (confidence >= 0.8)
    return _("fairly sure");
  if (confidence >= 0.5)
    return _("unsure");
  return _("doubtful");
}

static void
update_model (SichtungExplanationPanel *self)
{
  ScStoreFinding *stored = self->item ? sichtung_finding_item_get_stored (self->item) : NULL;
  const char *name = self->analysis ? sc_analysis_get_model_name (self->analysis) : NULL;
  const char *version = self->analysis ? sc_analysis_get_model_version (self->analysis) : NULL;
  g_autofree char *text = NULL;

  /* Findings shown from the case store name the model that found them. */
  if (self->analysis == NULL && stored != NULL)
    {
      name = stored->model_name;
      version = stored->model_version;
    }

  if (name == NULL)
    text = g_strdup (_("None: only rules and name lists were used"));
  else if (version != NULL && version[0] != '\0')
    /* Translators: the model's name and version, “sichtung-ner, version 1.0”. */
    text = g_strdup_printf (_("%s, version %s"), name, version);
  else
    text = g_strdup (name);

  gtk_label_set_text (self->model_label, text);
}

static void
update_decision (SichtungExplanationPanel *self)
{
  const char *reason;

  if (self->item == NULL)
    return;

  gtk_label_set_text (self->decision_label,
                      sichtung_decision_get_display_name (
                        sichtung_finding_item_get_decision (self->item)));

  reason = sichtung_finding_item_get_reason (self->item);
  self->reason_dirty = FALSE;
  if (g_strcmp0 (reason ? reason : "", gtk_editable_get_text (GTK_EDITABLE (self->reason_entry)))
      != 0)
    {
      self->updating = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->reason_entry), reason ? reason : "");
      self->updating = FALSE;
    }
}

static void
update_item (SichtungExplanationPanel *self)
{
  ScPageFinding *page_finding;
  ScFinding *finding;
  GtkWidget *child;
  g_autofree char *category = NULL;
  g_autofree char *confidence = NULL;
  guint n_steps;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->steps_box))) != NULL)
    gtk_box_remove (self->steps_box, child);

  if (self->item == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  page_finding = sichtung_finding_item_get_page_finding (self->item);
  finding = page_finding->finding;

  if (finding->label != NULL && finding->label[0] != '\0'
      && g_strcmp0 (finding->label, sichtung_finding_item_get_category_name (self->item)) != 0)
    /* Translators: category and fine label of a finding, e.g. “Legal norm (GS) · page 2”. */
    category = g_strdup_printf (_("%s (%s) · page %u"),
                                sichtung_finding_item_get_category_name (self->item),
                                finding->label, page_finding->page + 1);
  else
    /* Translators: category of a finding and its page, e.g. “Person · page 1”. */
    category = g_strdup_printf (_("%s · page %u"),
                                sichtung_finding_item_get_category_name (self->item),
                                page_finding->page + 1);
  gtk_label_set_text (self->category_label, category);
  gtk_label_set_text (self->text_label, finding->text);
  gtk_label_set_text (self->explanation_label, finding->explanation ? finding->explanation : "");

  n_steps = finding->steps != NULL ? finding->steps->len : 0;
  for (guint i = 0; i < n_steps; i++)
    {
      /* Translators: one numbered step of how a finding was found: “1. IBAN checksum valid”. */
      g_autofree char *text = g_strdup_printf (_("%u. %s"), i + 1,
                                               (const char *) g_ptr_array_index (finding->steps,
                                                                                 i));
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_box_append (self->steps_box, label);
    }
  gtk_widget_set_visible (self->steps_heading, n_steps > 0);

  /* Translators: a confidence in percent and in words, “92 % (fairly sure)”. */
  confidence = g_strdup_printf (_("%d %% (%s)"),
                                (int) (sichtung_finding_item_get_confidence (self->item) * 100
                                       + 0.5),
                                describe_confidence (
                                  sichtung_finding_item_get_confidence (self->item)));
  gtk_label_set_text (self->confidence_label, confidence);
  gtk_label_set_text (self->sources_label, sichtung_finding_item_get_source_names (self->item));

  update_model (self);
  update_decision (self);
  gtk_stack_set_visible_child_name (self->stack, "finding");
}

/* ------------------------------------------------------------------------------------------ */
/* The word-attribution heatmap                                                                */

static ScExplainMethod
get_method (SichtungExplanationPanel *self)
{
  return gtk_toggle_button_get_active (self->kernel_shap_button) ? SC_EXPLAIN_KERNEL_SHAP
                                                                 : SC_EXPLAIN_OCCLUSION;
}

static void
show_heatmap_page (SichtungExplanationPanel *self,
                   const char               *name)
{
  gboolean busy = g_str_equal (name, "busy");

  gtk_stack_set_visible_child_name (self->heatmap_stack, name);
  gtk_widget_set_visible (self->method_box, g_str_equal (name, "result"));
  if (busy)
    gtk_spinner_start (self->heatmap_spinner);
  else
    gtk_spinner_stop (self->heatmap_spinner);
}

static void
show_heatmap_note (SichtungExplanationPanel *self,
                   const char               *note)
{
  gtk_label_set_text (self->heatmap_note, note);
  show_heatmap_page (self, "note");
}

/* For screen readers: the words with the highest scores, with their scores. */
static char *
heatmap_description (ScExplanation   *explanation,
                     ScExplainMethod  method,
                     const double    *scores)
{
  guint top[N_TOP_WORDS];
  guint n = sc_explanation_get_top_words (explanation, method, N_TOP_WORDS, FALSE, top);
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      /* Translators: a word and its score, “Frau” (+0.42); words are joined by ", ". */
      g_autofree char *item = g_strdup_printf (_("“%s” (%+.2f)"),
                                               explanation->words[top[i]].text, scores[top[i]]);

      if (i > 0)
        g_string_append (list, ", ");
      g_string_append (list, item);
    }

  /* Translators: %s lists words with their scores, “Frau” (+0.42), “Erika” (+0.30). */
  return g_strdup_printf (_("Words with the highest scores: %s"), list->str);
}

static void
render_heatmap (SichtungExplanationPanel *self)
{
  ScExplainMethod method = get_method (self);
  const double *scores;
  g_autofree char *markup = NULL;
  g_autofree char *description = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *probability = NULL;

  if (self->explanation == NULL)
    return;

  scores = sc_explanation_get_scores (self->explanation, method);
  if (scores == NULL)
    return;

  markup = sichtung_finding_style_heatmap_markup (self->explanation, self->explained_text, scores);
  gtk_label_set_markup (self->heatmap_label, markup);
  description = heatmap_description (self->explanation, method, scores);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->heatmap_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);

  summary = sc_explanation_summarize (self->explanation, method);
  gtk_label_set_text (self->summary_label, summary);

  /* Translators: how sure the model is of the finding's type, “Model probability: 97 %”. */
  probability = g_strdup_printf (_("Model probability: %d %%"),
                                 (int) (self->explanation->probability * 100 + 0.5));
  gtk_label_set_text (self->probability_label, probability);
}

static void
explain_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  SichtungExplanationPanel *self = SICHTUNG_EXPLANATION_PANEL (source_object);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(ScExplanation) explanation = NULL;
  g_autofree char *text = NULL;

  explanation = sichtung_explain_page_finding_finish (result, &text, &error);
  /* Dispose and every new selection cancel: nothing of this one is shown then. */
  if (g_cancellable_is_cancelled (cancellable) || cancellable != self->heatmap_cancellable)
    return;
  g_clear_object (&self->heatmap_cancellable);

  if (explanation == NULL)
    {
      gtk_label_set_text (self->heatmap_error, error->message);
      show_heatmap_page (self, "error");
      return;
    }

  self->explanation = g_steal_pointer (&explanation);
  self->explained_text = g_steal_pointer (&text);
  render_heatmap (self);
  show_heatmap_page (self, "result");
}

typedef struct
{
  SichtungExplanationPanel *self;
  GCancellable             *cancellable;
  ScDocument               *document;
  ScPageFinding            *finding;
} ModelRequest;

static void
model_loaded_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ModelRequest *request = user_data;
  SichtungExplanationPanel *self = request->self;
  g_autoptr(ScNer) ner = NULL;
  g_autofree char *note = NULL;
  g_autoptr(GError) error = NULL;

  ner = sichtung_model_loader_load_finish (result, NULL, &note, NULL, &error);
  if (g_cancellable_is_cancelled (request->cancellable))
    goto out;

  if (ner == NULL)
    {
      g_clear_object (&self->heatmap_cancellable);
      if (error != NULL)
        {
          gtk_label_set_text (self->heatmap_error, error->message);
          show_heatmap_page (self, "error");
        }
      else
        show_heatmap_note (self, _("No findings model is installed, so the words cannot be "
                                   "scored."));
      goto out;
    }

  sichtung_explain_page_finding_async (self, ner, request->document, request->finding,
                                       SC_EXPLAIN_ALL, request->cancellable, explain_cb, NULL);

out:
  g_object_unref (request->cancellable);
  g_object_unref (request->document);
  sc_page_finding_unref (request->finding);
  g_object_unref (request->self);
  g_free (request);
}

/* Starts over for the item shown: cancels the explanation in progress and, for a finding of
 * the model, loads the model (at once when a pane has loaded it already) and computes a new
 * one on a worker thread. */
static void
update_heatmap (SichtungExplanationPanel *self)
{
  ScPageFinding *finding;
  ModelRequest *request;

  g_cancellable_cancel (self->heatmap_cancellable);
  g_clear_object (&self->heatmap_cancellable);
  g_clear_pointer (&self->explanation, sc_explanation_unref);
  g_clear_pointer (&self->explained_text, g_free);

  gtk_widget_set_visible (GTK_WIDGET (self->heatmap_box), self->item != NULL);
  if (self->item == NULL)
    return;

  finding = sichtung_finding_item_get_page_finding (self->item);
  if ((finding->sources & (1u << SC_FINDING_SOURCE_MODEL)) == 0)
    {
      show_heatmap_note (self, _("Word scores exist only for findings of the model."));
      return;
    }
  if (self->document == NULL || finding->page >= sc_document_get_n_pages (self->document))
    {
      show_heatmap_note (self, _("Word scores need the finding’s document to be open."));
      return;
    }

  self->heatmap_cancellable = g_cancellable_new ();
  show_heatmap_page (self, "busy");

  request = g_new0 (ModelRequest, 1);
  request->self = g_object_ref (self);
  request->cancellable = g_object_ref (self->heatmap_cancellable);
  request->document = g_object_ref (self->document);
  request->finding = sc_page_finding_ref (finding);
  sichtung_model_loader_load_async (self->heatmap_cancellable, model_loaded_cb, request);
}

/* ------------------------------------------------------------------------------------------ */

static void
reason_changed_cb (SichtungExplanationPanel *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->reason_entry));

  if (self->updating || self->item == NULL)
    return;

  if (sichtung_finding_item_get_stored (self->item) != NULL
      && sichtung_finding_item_get_decision (self->item) != SICHTUNG_DECISION_OPEN)
    self->reason_dirty = TRUE;
  else
    sichtung_finding_item_set_reason (self->item, text[0] != '\0' ? text : NULL);
}

/* Stores the reason typed for a decided finding. When that fails, the item reports why and
 * the entry shows the stored reason again. */
static void
commit_reason (SichtungExplanationPanel *self)
{
  if (!self->reason_dirty || self->item == NULL)
    return;

  self->reason_dirty = FALSE;
  if (!sichtung_finding_item_decide (self->item, sichtung_finding_item_get_decision (self->item),
                                     gtk_editable_get_text (GTK_EDITABLE (self->reason_entry)),
                                     NULL))
    update_decision (self);
}

static void
sichtung_explanation_panel_dispose (GObject *object)
{
  SichtungExplanationPanel *self = SICHTUNG_EXPLANATION_PANEL (object);

  commit_reason (self);
  if (self->item != NULL)
    g_signal_handlers_disconnect_by_data (self->item, self);
  g_clear_object (&self->item);
  g_clear_pointer (&self->analysis, sc_analysis_unref);
  g_clear_object (&self->document);
  g_cancellable_cancel (self->heatmap_cancellable);
  g_clear_object (&self->heatmap_cancellable);
  g_clear_pointer (&self->explanation, sc_explanation_unref);
  g_clear_pointer (&self->explained_text, g_free);

  /* The stack is the bin's child and a template child: the bin lets go of it first. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SICHTUNG_TYPE_EXPLANATION_PANEL);

  G_OBJECT_CLASS (sichtung_explanation_panel_parent_class)->dispose (object);
}

static void
sichtung_explanation_panel_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  SichtungExplanationPanel *self = SICHTUNG_EXPLANATION_PANEL (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;

    case PROP_ANALYSIS:
      g_value_set_boxed (value, self->analysis);
      break;

    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_explanation_panel_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  SichtungExplanationPanel *self = SICHTUNG_EXPLANATION_PANEL (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      sichtung_explanation_panel_set_item (self, g_value_get_object (value));
      break;

    case PROP_ANALYSIS:
      sichtung_explanation_panel_set_analysis (self, g_value_get_boxed (value));
      break;

    case PROP_DOCUMENT:
      sichtung_explanation_panel_set_document (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sichtung_explanation_panel_class_init (SichtungExplanationPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sichtung_explanation_panel_dispose;
  object_class->get_property = sichtung_explanation_panel_get_property;
  object_class->set_property = sichtung_explanation_panel_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL,
                         SICHTUNG_TYPE_FINDING_ITEM,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ANALYSIS] =
    g_param_spec_boxed ("analysis", NULL, NULL,
                        SC_TYPE_ANALYSIS,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL,
                         SC_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/sichtung-explanation-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel, category_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel, text_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel,
                                        explanation_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel, steps_heading);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel, steps_box);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel,
                                        confidence_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel, sources_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel, model_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel, decision_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel, reason_entry);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel, heatmap_box);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel, method_box);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel,
                                        occlusion_button);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel,
                                        occlusion_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel,
                                        kernel_shap_button);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel,
                                        kernel_shap_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel, heatmap_stack);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel, heatmap_note);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel,
                                        heatmap_spinner);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel, heatmap_error);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel, heatmap_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungExplanationPanel,
                                        probability_label);

  gtk_widget_class_set_css_name (widget_class, "explanationpanel");
}

static void
sichtung_explanation_panel_init (SichtungExplanationPanel *self)
{
  GtkEventController *focus;
  const char *occlusion = sc_explain_method_get_display_name (SC_EXPLAIN_OCCLUSION);
  const char *kernel_shap = sc_explain_method_get_display_name (SC_EXPLAIN_KERNEL_SHAP);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The names come from the core, translated there. */
  gtk_label_set_text (self->occlusion_label, occlusion);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->occlusion_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, occlusion, -1);
  gtk_label_set_text (self->kernel_shap_label, kernel_shap);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->kernel_shap_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, kernel_shap, -1);
  /* The second button toggles with every switch of the grouped pair: one redraw each. */
  g_signal_connect_swapped (self->kernel_shap_button, "toggled", G_CALLBACK (render_heatmap),
                            self);

  g_signal_connect_swapped (self->reason_entry, "changed", G_CALLBACK (reason_changed_cb), self);
  g_signal_connect_swapped (self->reason_entry, "activate", G_CALLBACK (commit_reason), self);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (commit_reason), self);
  gtk_widget_add_controller (GTK_WIDGET (self->reason_entry), focus);
  update_item (self);
  update_heatmap (self);
}

GtkWidget *
sichtung_explanation_panel_new (void)
{
  return g_object_new (SICHTUNG_TYPE_EXPLANATION_PANEL, NULL);
}

SichtungFindingItem *
sichtung_explanation_panel_get_item (SichtungExplanationPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_EXPLANATION_PANEL (self), NULL);

  return self->item;
}

void
sichtung_explanation_panel_set_item (SichtungExplanationPanel *self,
                                     SichtungFindingItem      *item)
{
  g_return_if_fail (SICHTUNG_IS_EXPLANATION_PANEL (self));
  g_return_if_fail (item == NULL || SICHTUNG_IS_FINDING_ITEM (item));

  if (self->item == item)
    return;

  commit_reason (self);
  if (self->item != NULL)
    g_signal_handlers_disconnect_by_data (self->item, self);
  g_set_object (&self->item, item);
  if (item != NULL)
    {
      g_signal_connect_swapped (item, "notify::decision", G_CALLBACK (update_decision), self);
      g_signal_connect_swapped (item, "notify::reason", G_CALLBACK (update_decision), self);
    }

  update_item (self);
  update_heatmap (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

ScAnalysis *
sichtung_explanation_panel_get_analysis (SichtungExplanationPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_EXPLANATION_PANEL (self), NULL);

  return self->analysis;
}

void
sichtung_explanation_panel_set_analysis (SichtungExplanationPanel *self,
                                         ScAnalysis               *analysis)
{
  g_return_if_fail (SICHTUNG_IS_EXPLANATION_PANEL (self));

  if (self->analysis == analysis)
    return;

  g_clear_pointer (&self->analysis, sc_analysis_unref);
  self->analysis = analysis != NULL ? sc_analysis_ref (analysis) : NULL;
  update_model (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANALYSIS]);
}

ScDocument *
sichtung_explanation_panel_get_document (SichtungExplanationPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_EXPLANATION_PANEL (self), NULL);

  return self->document;
}

void
sichtung_explanation_panel_set_document (SichtungExplanationPanel *self,
                                         ScDocument               *document)
{
  g_return_if_fail (SICHTUNG_IS_EXPLANATION_PANEL (self));
  g_return_if_fail (document == NULL || SC_IS_DOCUMENT (document));

  if (!g_set_object (&self->document, document))
    return;

  update_heatmap (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}

GtkBox *
sichtung_explanation_panel_get_heatmap_box (SichtungExplanationPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_EXPLANATION_PANEL (self), NULL);

  return self->heatmap_box;
}

GtkLabel *
sichtung_explanation_panel_get_heatmap_label (SichtungExplanationPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_EXPLANATION_PANEL (self), NULL);

  return self->heatmap_label;
}

const char *
sichtung_explanation_panel_get_heatmap_state (SichtungExplanationPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_EXPLANATION_PANEL (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->heatmap_box)))
    return NULL;
  return gtk_stack_get_visible_child_name (self->heatmap_stack);
}

GtkLabel *
sichtung_explanation_panel_get_heatmap_note (SichtungExplanationPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_EXPLANATION_PANEL (self), NULL);

  return self->heatmap_note;
}

GtkEntry *
sichtung_explanation_panel_get_reason_entry (SichtungExplanationPanel *self)
{
  g_return_val_if_fail (SICHTUNG_IS_EXPLANATION_PANEL (self), NULL);

  return self->reason_entry;
}
