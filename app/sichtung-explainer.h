/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-explainer.h: word scores for a finding shown on a page, for every view that draws a
 * heatmap (the explanation panel, the trainers' window). */
#pragma once

#include <gio/gio.h>

#include "sichtung-core.h"

G_BEGIN_DECLS

/* Explains @finding on its page of @document with @methods, on the calling thread (call it
 * from a worker: the encoder runs several batched passes). A finding the merge of rules and
 * model changed (a street joined with its postal code) is explained through the model's own
 * finding that overlaps it most. @text receives the page text the words' offsets point into.
 * Fails with SC_ERROR_NOT_SUPPORTED when the model finds nothing there any more. */
ScExplanation *sichtung_explain_page_finding (ScNer           *ner,
                                              ScDocument      *document,
                                              ScPageFinding   *finding,
                                              ScExplainMethod  methods,
                                              char           **text,
                                              GCancellable    *cancellable,
                                              GError         **error);

/* The same on a worker thread (the ScNer is immutable and the document takes its own lock);
 * @source_object (may be NULL) is the source of the GAsyncResult, a GTask with @cancellable. */
void           sichtung_explain_page_finding_async  (gpointer             source_object,
                                                     ScNer               *ner,
                                                     ScDocument          *document,
                                                     ScPageFinding       *finding,
                                                     ScExplainMethod      methods,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
ScExplanation *sichtung_explain_page_finding_finish (GAsyncResult        *result,
                                                     char               **text,
                                                     GError             **error);

G_END_DECLS
