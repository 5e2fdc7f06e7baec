/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-model-info.h: what a GGUF model file is, read from its header without loading weights —
 * for choosing a model: architecture, size, quantisation, context length, chat format and the
 * memory it will need.
 */
#pragma once

#include <gio/gio.h>

#include "sc-backend.h"
#include "sc-chat.h"

G_BEGIN_DECLS

typedef struct
{
  char         *path;
  char         *name;            /* general.name, else the file name without ".gguf" */
  char         *arch;            /* general.architecture */
  gboolean      supported;       /* Sichtung can run it as a chat model */
  char         *unsupported;     /* why not (translated), NULL when supported */
  guint64       n_params;        /* elements of all tensors */
  guint64       n_bytes;         /* bytes of all tensors as stored */
  guint64       file_size;
  char         *quantization;    /* "Q4_K_M", "Q8_0", "F16"…: general.file_type, else the type
                                  * most of the weight bytes have */
  guint         n_ctx_train;     /* {arch}.context_length, 0 when missing */
  guint         n_layer;
  guint         n_embd;
  guint         n_vocab;         /* tokens of the vocabulary, 0 without one */
  guint64       kv_bytes_per_token; /* F16 key/value cache bytes per token of context */
  ScChatFormat  chat_format;
  gboolean      has_chat_template;  /* tokenizer.chat_template present */
} ScModelInfo;

/* Reads @path's header. Fails like sc_gguf_open() for files that are not GGUF; an
 * architecture Sichtung cannot run is not an error (supported is FALSE). */
ScModelInfo *sc_model_info_new_from_file (const char  *path,
                                          GError     **error);
void         sc_model_info_free          (ScModelInfo *info);

/* Bytes the model needs with a context of @n_ctx tokens: weights, key/value cache and the
 * largest activations of a 512-token batch. */
guint64      sc_model_info_estimate_memory (const ScModelInfo *info,
                                            guint              n_ctx);

/* Whether @backend's device has room for the model with @n_ctx tokens of context: the CPU's
 * installed memory (weights stay in the page cache, so this is the hard limit) or the Vulkan
 * device's largest device-local heap. Fails with SC_ERROR_NO_MEMORY, saying how much is needed
 * and how much there is. */
gboolean     sc_model_info_check_memory  (const ScModelInfo *info,
                                          guint              n_ctx,
                                          ScBackend         *backend,
                                          GError           **error);

/* Lower-case hex SHA-256 of the file at @path (for the audit log), read in 1 MiB blocks;
 * cancellable. */
char        *sc_model_info_compute_sha256 (const char    *path,
                                           GCancellable  *cancellable,
                                           GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScModelInfo, sc_model_info_free)

G_END_DECLS
