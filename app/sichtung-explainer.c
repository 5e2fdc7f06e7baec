/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-explainer.c: word scores for a finding shown on a page (see the header). */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <glib/gi18n.h>

#include "sichtung-explainer.h"

/* The model's own finding among @found (sc_ner_find() on the page) that shares the most of
 * @finding's span, preferring one of the same category; NULL when none overlaps. A merged
 * finding keeps the rules' span and label, while sc_explain_finding() needs the model's. */
static const ScFinding *
find_model_finding (GPtrArray       *found,
                    const ScFinding *finding)
{
  const ScFinding *best = NULL;
  gsize best_overlap = 0;
  gboolean best_same = FALSE;

  for (guint i = 0; i < found->len; i++)
    {
      const ScFinding *f = g_ptr_array_index (found, i);
      gsize start = MAX (f->start, finding->start);
      gsize end = MIN (f->end, finding->end);
      gboolean same = f->category == finding->category;
      gsize overlap = end > start ? end - start : 0;

      if (overlap == 0)
        continue;
      if (best == NULL || (same && !best_same)
          || (same == best_same && overlap > best_overlap))
        {
          best = f;
          best_overlap = overlap;
          best_same = same;
        }
    }
  return best;
}

ScExplanation *
sichtung_explain_page_finding (ScNer           *ner,
                               ScDocument      *document,
                               ScPageFinding   *page_finding,
                               ScExplainMethod  methods,
                               char           **text_out,
                               GCancellable    *cancellable,
                               GError         **error)
{
  const ScFinding *finding;
  const ScFinding *own;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(ScExplanation) explanation = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (ner != NULL, NULL);
  g_return_val_if_fail (SC_IS_DOCUMENT (document), NULL);
  g_return_val_if_fail (page_finding != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  finding = page_finding->finding;
  text = sc_document_get_page_text (document, page_finding->page);
  if (finding->source == SC_FINDING_SOURCE_MODEL)
    {
      explanation = sc_explain_finding (ner, text, finding, methods, cancellable, &local_error);
      /* A span the merge grew is not the model's: look for the model's own below. */
      if (explanation == NULL
          && !g_error_matches (local_error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  if (explanation == NULL)
    {
      found = sc_ner_find (ner, text, cancellable, error);
      if (found == NULL)
        return NULL;
      own = find_model_finding (found, finding);
      if (own == NULL)
        {
          g_set_error_literal (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                               _("The model no longer finds these words on the page, so "
                                 "their scores cannot be computed"));
          return NULL;
        }
      explanation = sc_explain_finding (ner, text, own, methods, cancellable, error);
      if (explanation == NULL)
        return NULL;
    }

  if (text_out != NULL)
    *text_out = g_steal_pointer (&text);
  return g_steal_pointer (&explanation);
}

typedef struct
{
  ScNer           *ner;
  ScDocument      *document;
  ScPageFinding   *finding;
  ScExplainMethod  methods;
} ExplainData;

typedef struct
{
  ScExplanation *explanation;
  char          *text; /* the page text the words' offsets point into */
} ExplainResult;

static void
explain_data_free (ExplainData *data)
{
  g_clear_pointer (&data->ner, sc_ner_unref);
  g_clear_object (&data->document);
  g_clear_pointer (&data->finding, sc_page_finding_unref);
  g_free (data);
}

static void
explain_result_free (ExplainResult *result)
{
  g_clear_pointer (&result->explanation, sc_explanation_unref);
  g_free (result->text);
  g_free (result);
}

static void
explain_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ExplainData *data = task_data;
  g_autoptr(GError) error = NULL;
  ExplainResult *result = g_new0 (ExplainResult, 1);

  result->explanation = sichtung_explain_page_finding (data->ner, data->document, data->finding,
                                                       data->methods, &result->text,
                                                       cancellable, &error);
  if (result->explanation == NULL)
    {
      explain_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) explain_result_free);
}

void
sichtung_explain_page_finding_async (gpointer             source_object,
                                     ScNer               *ner,
                                     ScDocument          *document,
                                     ScPageFinding       *finding,
                                     ScExplainMethod      methods,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExplainData *data;

  g_return_if_fail (ner != NULL);
  g_return_if_fail (SC_IS_DOCUMENT (document));
  g_return_if_fail (finding != NULL);

  data = g_new0 (ExplainData, 1);
  data->ner = sc_ner_ref (ner);
  data->document = g_object_ref (document);
  data->finding = sc_page_finding_ref (finding);
  data->methods = methods;

  task = g_task_new (source_object, cancellable, callback, user_data);
  g_task_set_source_tag (task, sichtung_explain_page_finding_async);
  g_task_set_task_data (task, data, (GDestroyNotify) explain_data_free);
  g_task_run_in_thread (task, explain_thread);
}

ScExplanation *
sichtung_explain_page_finding_finish (GAsyncResult  *result,
                                      char         **text,
                                      GError       **error)
{
  ExplainResult *explained;
  ScExplanation *explanation;

  g_return_val_if_fail (G_IS_TASK (result), NULL);

  explained = g_task_propagate_pointer (G_TASK (result), error);
  if (explained == NULL)
    return NULL;
  explanation = g_steal_pointer (&explained->explanation);
  if (text != NULL)
    *text = g_steal_pointer (&explained->text);
  explain_result_free (explained);
  return explanation;
}
