/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-model-loader.h: loads the default findings model once per process, off the main
 * thread, for every pane to share. */
#pragma once

#include <gio/gio.h>

#include "sichtung-core.h"

G_BEGIN_DECLS

/* Finds the default model (sc_ner_find_default_model()), chooses a backend (Vulkan, else the
 * CPU) and loads the model on a worker thread; later calls get the same ScNer at once. */
void   sichtung_model_loader_load_async  (GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* The model (transfer full), or NULL: without @error when no model is installed. @device
 * receives the device the model runs on ("CPU", a GPU's name), @note a sentence for people
 * when the model is missing or the CPU stands in for an unusable GPU (else NULL), @sha256 the
 * SHA-256 of the model file in lower-case hex (NULL without a model). Each may be NULL. */
ScNer *sichtung_model_loader_load_finish (GAsyncResult        *result,
                                          char               **device,
                                          char               **note,
                                          char               **sha256,
                                          GError             **error);

G_END_DECLS
