/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-model-loader.h: loads the default findings model off the main thread, once per
 * compute device choice, for every pane to share. */
#pragma once

#include <gio/gio.h>

#include "sichtung-core.h"

G_BEGIN_DECLS

/* Finds the default model (sc_ner_find_default_model()), chooses a backend for
 * sichtung_model_loader_dup_selector() (Vulkan, else the CPU) and loads the model on a worker
 * thread; later calls get the same ScNer at once while the selector stays the same. After a
 * change the next call loads the model on the new device; ScNers handed out before stay
 * valid. */
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

/* The device selector loads use now (see sc_backend_new()): $SICHTUNG_DEVICE when it is set,
 * with @from_environment TRUE, else the "vulkan-device" setting ("auto", "cpu", a device
 * index or (part of) a device name), "auto" without the settings schema. */
char    *sichtung_model_loader_dup_selector (gboolean            *from_environment);

/* Whether a model is loaded now; @device and @note then receive what
 * sichtung_model_loader_load_finish() reported for the latest load (each may be NULL). Never
 * waits for a load in progress, so the main thread may ask. */
gboolean sichtung_model_loader_get_loaded   (char               **device,
                                             char               **note);

G_END_DECLS
