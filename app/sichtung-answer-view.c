/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-answer-view.c: one answer of the local assistant.
 *
 * The text is a selectable GtkLabel: while the answer streams in it shows the plain text, once
 * it is finished markup with each resolved citation "[n]" as a link ("passage:INDEX"), which
 * a click or the keyboard (Tab to the link, Enter) activates. After attribution each sentence
 * is tinted by how strongly it rests on its main passage, and a short text says which passage
 * that is and by how much the sentence's log-probability drops without it; a citation whose
 * passage hardly matters for its sentence is pointed out, since it may not support it.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "sichtung-answer-view.h"

/* A cited passage whose removal changes its sentence by less than this (nats) is pointed out:
 * the citation may not be supported by it. */
#define WEAK_ATTRIBUTION 0.1
/* Words of a passage shown in the list. */
#define PREVIEW_WORDS 14

struct _SichtungAnswerView
{
  AdwBin          parent_instance;

  /* Template children */
  GtkWidget      *ai_label;
  GtkLabel       *status_label;
  GtkLabel       *text_label;
  GtkLabel       *timing_label;
  GtkWidget      *explain_box;
  GtkWidget      *explain_button;
  GtkProgressBar *explain_progress;
  GtkLabel       *attribution_label;
  GtkWidget      *passages_heading;
  GtkListBox     *passages_list;

  ScAnswer       *answer;
  GStrv           titles;
  char           *text;            /* plain */
};

G_DEFINE_FINAL_TYPE (SichtungAnswerView, sichtung_answer_view, ADW_TYPE_BIN)

enum
{
  PASSAGE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static double
attribution_at (ScAnswer *answer,
                guint     sentence,
                guint     passage)
{
  return answer->attribution[(gsize) sentence * answer->passages->len + passage];
}

static const char *
title_of (SichtungAnswerView *self,
          guint               document)
{
  if (self->titles != NULL && document < g_strv_length (self->titles))
    return self->titles[document];
  return NULL;
}

/* The first words of @text, with an ellipsis when there are more. */
static char *
first_words (const char *text,
             guint       n_words)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \n\t", -1);
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;
      if (n == n_words)
        {
          g_string_append (out, " …");
          break;
        }
      if (n > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
      n++;
    }
  return g_string_free (out, FALSE);
}

/* "Bescheid, page 2" for passage @index. */
static char *
passage_source (SichtungAnswerView *self,
                guint               index)
{
  ScPassage *passage = g_ptr_array_index (self->answer->passages, index);
  const char *title = title_of (self, passage->document);

  if (title != NULL)
    /* Translators: where a passage is: the document's name and the page number. */
    return g_strdup_printf (_("%s, page %u"), title, passage->page + 1);
  /* Translators: where a passage is, by page number. */
  return g_strdup_printf (_("Page %u"), passage->page + 1);
}

/* Appends the escaped text @answer->text[@from, @to) with the citations lying wholly inside it
 * as links. */
static void
append_with_citations (GString  *markup,
                       ScAnswer *answer,
                       gsize     from,
                       gsize     to)
{
  gsize pos = from;

  for (guint i = 0; i < answer->citations->len; i++)
    {
      const ScCitation *citation = &g_array_index (answer->citations, ScCitation, i);
      g_autofree char *before = NULL;
      g_autofree char *number = NULL;

      if (citation->start < pos || citation->end > to || citation->passage < 0)
        continue;

      before = g_markup_escape_text (answer->text + pos, citation->start - pos);
      number = g_markup_escape_text (answer->text + citation->start,
                                     citation->end - citation->start);
      /* Translators: the tooltip of a citation link. */
      g_string_append_printf (markup, "%s<a href=\"passage:%d\" title=\"%s\">%s</a>", before,
                              citation->passage, _("Show this passage in the document"),
                              number);
      pos = citation->end;
    }
  if (pos < to)
    {
      g_autofree char *rest = g_markup_escape_text (answer->text + pos, to - pos);

      g_string_append (markup, rest);
    }
}

/* The answer as label markup: citations as links, sentences tinted by their attribution. */
static char *
answer_markup (ScAnswer *answer)
{
  GString *markup = g_string_new (NULL);
  gsize len = strlen (answer->text);
  double max_score = 0;
  gsize pos = 0;

  if (answer->attribution != NULL)
    for (guint s = 0; s < answer->sentences->len; s++)
      {
        gint top = sc_answer_get_top_passage (answer, s);

        if (top >= 0)
          max_score = MAX (max_score, attribution_at (answer, s, top));
      }

  for (guint s = 0; s < answer->sentences->len; s++)
    {
      const ScAnswerSentence *sentence = &g_array_index (answer->sentences, ScAnswerSentence,
                                                         s);
      gint top = answer->attribution != NULL ? sc_answer_get_top_passage (answer, s) : -1;
      gsize start = MIN (MAX (sentence->start, pos), len);
      gsize end = MIN (MAX (sentence->end, start), len);

      append_with_citations (markup, answer, pos, start);
      if (top >= 0 && max_score > 0)
        {
          /* Stronger reliance, stronger tint; some tint always, so it shows. */
          double share = CLAMP (attribution_at (answer, s, top) / max_score, 0.15, 1.0);

          g_string_append_printf (markup, "<span bgcolor=\"#3584e4\" bgalpha=\"%d%%\">",
                                  (int) round (share * 35));
          append_with_citations (markup, answer, start, end);
          g_string_append (markup, "</span>");
        }
      else
        {
          append_with_citations (markup, answer, start, end);
        }
      pos = end;
    }
  append_with_citations (markup, answer, pos, len);
  return g_string_free (markup, FALSE);
}

/* The sentences that explain the attribution: which passage each sentence rests on most, and
 * citations of passages that do not matter for their sentence. */
static char *
attribution_text (ScAnswer *answer)
{
  GString *text = g_string_new (NULL);

  for (guint s = 0; s < answer->sentences->len; s++)
    {
      gint top = sc_answer_get_top_passage (answer, s);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      if (top >= 0)
        /* Translators: “Sentence 2 rests mainly on [1] (−3.2 nats without this passage).”:
         * leaving the passage out of the prompt lowers the sentence's log-probability by
         * that much. */
        g_string_append_printf (text, _("Sentence %u rests mainly on [%d] (−%.1f nats without "
                                        "this passage)."),
                                s + 1, top + 1, fabs (attribution_at (answer, s, top)));
      else
        g_string_append_printf (text, _("Sentence %u rests on no single passage."), s + 1);
    }

  for (guint i = 0; i < answer->citations->len; i++)
    {
      const ScCitation *citation = &g_array_index (answer->citations, ScCitation, i);

      if (citation->passage < 0)
        {
          g_string_append_c (text, '\n');
          /* Translators: %u is the number the answer cites. */
          g_string_append_printf (text, _("[%u] is cited, but no passage has this number."),
                                  citation->number);
          continue;
        }
      if (citation->sentence >= answer->sentences->len
          || attribution_at (answer, citation->sentence, citation->passage) >= WEAK_ATTRIBUTION)
        continue;

      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Sentence %u cites [%d], but leaving that passage out "
                                      "hardly changes the sentence: the citation may not be "
                                      "supported."),
                              citation->sentence + 1, citation->passage + 1);
    }
  return g_string_free (text, FALSE);
}

static double
passage_max_attribution (ScAnswer *answer,
                         guint     passage)
{
  double best = 0;

  for (guint s = 0; s < answer->sentences->len; s++)
    best = MAX (best, attribution_at (answer, s, passage));
  return best;
}

static void
fill_passages (SichtungAnswerView *self)
{
  GtkWidget *child;
  g_autoptr(GArray) cited = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->passages_list))) != NULL)
    gtk_list_box_remove (self->passages_list, child);

  if (self->answer == NULL)
    return;

  cited = sc_answer_get_cited_passages (self->answer);
  for (guint i = 0; i < self->answer->passages->len; i++)
    {
      ScPassage *passage = g_ptr_array_index (self->answer->passages, i);
      g_autofree char *source = passage_source (self, i);
      g_autofree char *heading = g_strdup_printf ("[%u] %s", i + 1, source);
      g_autofree char *words = first_words (passage->text, PREVIEW_WORDS);
      g_autofree char *accessible = NULL;
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *label;
      gboolean is_cited = FALSE;

      for (guint c = 0; cited != NULL && c < cited->len; c++)
        is_cited |= g_array_index (cited, guint, c) == i;

      gtk_widget_set_margin_start (box, 10);
      gtk_widget_set_margin_end (box, 10);
      gtk_widget_set_margin_top (box, 6);
      gtk_widget_set_margin_bottom (box, 6);

      label = gtk_label_new (heading);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "heading");
      gtk_box_append (GTK_BOX (box), label);

      label = gtk_label_new (words);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (box), label);

      if (self->answer->attribution != NULL || is_cited)
        {
          GString *facts = g_string_new (NULL);

          if (is_cited)
            g_string_append (facts, _("Cited in the answer"));
          if (self->answer->attribution != NULL)
            {
              if (facts->len > 0)
                g_string_append (facts, " · ");
              /* Translators: the largest drop of a sentence's log-probability without
               * this passage. */
              g_string_append_printf (facts, _("up to −%.1f nats without it"),
                                      passage_max_attribution (self->answer, i));
            }
          label = gtk_label_new (facts->str);
          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_widget_add_css_class (label, "caption");
          gtk_box_append (GTK_BOX (box), label);
          g_string_free (facts, TRUE);
        }

      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      /* Translators: a passage in the list, for screen readers: “Passage 1, Bescheid,
       * page 2: Die Frist …”. */
      accessible = g_strdup_printf (_("Passage %u, %s: %s"), i + 1, source, words);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      accessible, -1);
      gtk_widget_set_tooltip_text (row, _("Show this passage in the document"));
      gtk_list_box_append (self->passages_list, row);
    }
}

/* How much of the documents the model saw, when not all of it. */
static char *
coverage_text (ScAnswer *answer)
{
  guint used = answer->passages->len, total = answer->n_passages_total;

  if (used >= total)
    return NULL;
  if (answer->task == SC_ASSIST_TASK_QUESTION)
    return g_strdup_printf (_("Based on the %u of %u passages that match the question best"),
                            used, total);
  return g_strdup_printf (_("Based on the first %u of %u passages: the documents are longer "
                            "than the model’s context"), used, total);
}

static char *
timing_text (ScAnswer *answer)
{
  double tps = sc_answer_get_tokens_per_second (answer);
  g_autofree char *coverage = coverage_text (answer);
  g_autofree char *timing = NULL;

  if (answer->tokens->len == 0)
    return g_steal_pointer (&coverage);
  if (tps > 0)
    /* Translators: speed of the generation and the wait for the first word. */
    timing = g_strdup_printf (_("%.1f tokens/s · first token after %.1f s · %u tokens"), tps,
                              answer->first_token_ms / 1000.0, answer->tokens->len);
  else
    timing = g_strdup_printf (_("First token after %.1f s · %u tokens"),
                              answer->first_token_ms / 1000.0, answer->tokens->len);
  if (coverage == NULL)
    return g_steal_pointer (&timing);
  return g_strconcat (coverage, "\n", timing, NULL);
}

static void
set_status (SichtungAnswerView *self,
            const char         *status)
{
  gtk_label_set_text (self->status_label, status != NULL ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

static gboolean
activate_link_cb (SichtungAnswerView *self,
                  const char         *uri,
                  GtkLabel           *label)
{
  guint64 index;

  if (!g_str_has_prefix (uri, "passage:"))
    return FALSE;

  if (self->answer != NULL
      && g_ascii_string_to_unsigned (uri + strlen ("passage:"), 10, 0,
                                     self->answer->passages->len - 1, &index, NULL)
      && self->answer->passages->len > 0)
    g_signal_emit (self, signals[PASSAGE_ACTIVATED], 0, (guint) index);
  /* Never handed to the system: these are no addresses. */
  return TRUE;
}

static void
passage_row_activated_cb (SichtungAnswerView *self,
                          GtkListBoxRow      *row,
                          GtkListBox         *list)
{
  int index = gtk_list_box_row_get_index (row);

  if (self->answer != NULL && index >= 0 && (guint) index < self->answer->passages->len)
    g_signal_emit (self, signals[PASSAGE_ACTIVATED], 0, (guint) index);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                    */

static void
sichtung_answer_view_dispose (GObject *object)
{
  SichtungAnswerView *self = SICHTUNG_ANSWER_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SICHTUNG_TYPE_ANSWER_VIEW);

  G_OBJECT_CLASS (sichtung_answer_view_parent_class)->dispose (object);
}

static void
sichtung_answer_view_finalize (GObject *object)
{
  SichtungAnswerView *self = SICHTUNG_ANSWER_VIEW (object);

  g_clear_pointer (&self->answer, sc_answer_unref);
  g_clear_pointer (&self->titles, g_strfreev);
  g_free (self->text);

  G_OBJECT_CLASS (sichtung_answer_view_parent_class)->finalize (object);
}

static void
sichtung_answer_view_class_init (SichtungAnswerViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sichtung_answer_view_dispose;
  object_class->finalize = sichtung_answer_view_finalize;

  signals[PASSAGE_ACTIVATED] =
    g_signal_new ("passage-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/sichtung-answer-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SichtungAnswerView, ai_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungAnswerView, status_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungAnswerView, text_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungAnswerView, timing_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungAnswerView, explain_box);
  gtk_widget_class_bind_template_child (widget_class, SichtungAnswerView, explain_button);
  gtk_widget_class_bind_template_child (widget_class, SichtungAnswerView, explain_progress);
  gtk_widget_class_bind_template_child (widget_class, SichtungAnswerView, attribution_label);
  gtk_widget_class_bind_template_child (widget_class, SichtungAnswerView, passages_heading);
  gtk_widget_class_bind_template_child (widget_class, SichtungAnswerView, passages_list);
  gtk_widget_class_bind_template_callback (widget_class, activate_link_cb);
  gtk_widget_class_bind_template_callback (widget_class, passage_row_activated_cb);

  gtk_widget_class_set_css_name (widget_class, "answerview");
}

static void
sichtung_answer_view_init (SichtungAnswerView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */

GtkWidget *
sichtung_answer_view_new (void)
{
  return g_object_new (SICHTUNG_TYPE_ANSWER_VIEW, NULL);
}

void
sichtung_answer_view_set_streaming_text (SichtungAnswerView *self,
                                         const char         *text)
{
  g_return_if_fail (SICHTUNG_IS_ANSWER_VIEW (self));

  g_clear_pointer (&self->answer, sc_answer_unref);
  g_free (self->text);
  self->text = g_strdup (text != NULL ? text : "");
  /* Plain text: the citations become links once the answer is whole. */
  gtk_label_set_use_markup (self->text_label, FALSE);
  gtk_label_set_text (self->text_label, self->text);
  set_status (self, _("Generating…"));
  gtk_widget_set_visible (GTK_WIDGET (self->timing_label), FALSE);
  gtk_widget_set_visible (self->explain_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->attribution_label), FALSE);
  gtk_widget_set_visible (self->passages_heading, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->passages_list), FALSE);
  fill_passages (self);
}

void
sichtung_answer_view_set_answer (SichtungAnswerView *self,
                                 ScAnswer           *answer,
                                 const char *const  *titles)
{
  g_autofree char *markup = NULL;
  g_autofree char *timing = NULL;
  gboolean has_passages;

  g_return_if_fail (SICHTUNG_IS_ANSWER_VIEW (self));

  if (answer != self->answer)
    {
      g_clear_pointer (&self->answer, sc_answer_unref);
      self->answer = answer != NULL ? sc_answer_ref (answer) : NULL;
    }
  if (titles != (const char *const *) self->titles)
    {
      g_clear_pointer (&self->titles, g_strfreev);
      self->titles = g_strdupv ((char **) titles);
    }
  g_free (self->text);
  self->text = g_strdup (answer != NULL ? answer->text : "");

  if (answer == NULL)
    {
      gtk_label_set_text (self->text_label, "");
      set_status (self, NULL);
    }
  else
    {
      markup = answer_markup (answer);
      gtk_label_set_markup (self->text_label, markup);
      switch (answer->stop)
        {
        case SC_ANSWER_STOP_CANCELLED:
          set_status (self, _("Stopped: the answer is incomplete"));
          break;
        case SC_ANSWER_STOP_LENGTH:
          set_status (self, _("Cut off at the length limit"));
          break;
        case SC_ANSWER_STOP_END:
        default:
          set_status (self, NULL);
          break;
        }
      timing = timing_text (answer);
    }

  gtk_label_set_text (self->timing_label, timing != NULL ? timing : "");
  gtk_widget_set_visible (GTK_WIDGET (self->timing_label), timing != NULL);

  has_passages = answer != NULL && answer->passages->len > 0;
  gtk_widget_set_visible (self->explain_box, has_passages && answer->sentences->len > 0);
  if (has_passages && answer->attribution != NULL)
    {
      g_autofree char *text = attribution_text (answer);

      gtk_label_set_text (self->attribution_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->attribution_label), TRUE);
    }
  else
    {
      gtk_label_set_text (self->attribution_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->attribution_label), FALSE);
    }
  fill_passages (self);
  gtk_widget_set_visible (self->passages_heading, has_passages);
  gtk_widget_set_visible (GTK_WIDGET (self->passages_list), has_passages);
}

ScAnswer *
sichtung_answer_view_get_answer (SichtungAnswerView *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ANSWER_VIEW (self), NULL);

  return self->answer;
}

void
sichtung_answer_view_set_explain_progress (SichtungAnswerView *self,
                                           const char         *phase,
                                           double              fraction)
{
  g_return_if_fail (SICHTUNG_IS_ANSWER_VIEW (self));

  gtk_widget_set_visible (GTK_WIDGET (self->explain_progress), phase != NULL);
  if (phase == NULL)
    return;
  gtk_progress_bar_set_text (self->explain_progress, phase);
  gtk_progress_bar_set_fraction (self->explain_progress, CLAMP (fraction, 0.0, 1.0));
}

const char *
sichtung_answer_view_get_text (SichtungAnswerView *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ANSWER_VIEW (self), NULL);

  return self->text != NULL ? self->text : "";
}

GtkWidget *
sichtung_answer_view_get_ai_label (SichtungAnswerView *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ANSWER_VIEW (self), NULL);

  return self->ai_label;
}

GtkLabel *
sichtung_answer_view_get_text_label (SichtungAnswerView *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ANSWER_VIEW (self), NULL);

  return self->text_label;
}

const char *
sichtung_answer_view_get_status (SichtungAnswerView *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ANSWER_VIEW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->status_label)))
    return NULL;
  return gtk_label_get_text (self->status_label);
}

const char *
sichtung_answer_view_get_attribution_text (SichtungAnswerView *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ANSWER_VIEW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->attribution_label)))
    return NULL;
  return gtk_label_get_text (self->attribution_label);
}

GtkListBox *
sichtung_answer_view_get_passages_list (SichtungAnswerView *self)
{
  g_return_val_if_fail (SICHTUNG_IS_ANSWER_VIEW (self), NULL);

  return self->passages_list;
}
