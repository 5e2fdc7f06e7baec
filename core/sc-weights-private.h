/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-weights-private.h: what the decoder (sc-model.c) and the encoder (sc-encoder.c) share
 * when they read a GGUF file: counts from the metadata and weights checked against the shape
 * the architecture expects, created on a backend. */
#pragma once

#include <glib.h>

#include "sc-backend.h"
#include "sc-gguf.h"

G_BEGIN_DECLS

/* The unsigned metadata value @key. Missing: an error when @required, else @fallback. Values
 * above G_MAXINT32 are rejected as implausible. */
gboolean  _sc_gguf_get_count (ScGguf       *gguf,
                              const char   *key,
                              gboolean      required,
                              guint         fallback,
                              guint        *value,
                              GError      **error);

/* "[4096, 32000]": @n_dims sizes for error messages. */
char     *_sc_format_shape   (const gint64 *ne,
                              guint         n_dims);

/* A new persistent F32 tensor on @backend holding the first @n values of @src (@src's shape
 * when @n is all of it, else a vector): norms and biases the graph reads as F32 whatever the
 * file stores, or one row of a table. */
ScTensor *_sc_weight_to_f32  (ScBackend          *backend,
                              const ScGgufTensor *src,
                              gint64              n,
                              GError            **error);

/* The weight @name of @gguf, which must have shape [@ne0, @ne1] (@ne1 = 1 for vectors, 0 for
 * any number of rows), created on @backend (as an F32 copy when @want_f32 and the file stores
 * another type). With @optional, a missing tensor gives TRUE and *@out = NULL. *@src (may be
 * NULL) is the file's tensor. */
gboolean  _sc_weight_load    (ScBackend           *backend,
                              ScGguf              *gguf,
                              const char          *name,
                              gint64               ne0,
                              gint64               ne1,
                              gboolean             optional,
                              gboolean             want_f32,
                              ScTensor           **out,
                              const ScGgufTensor **src,
                              GError             **error);

G_END_DECLS
