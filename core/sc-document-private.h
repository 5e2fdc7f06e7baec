/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-document-private.h: ScDocument internals for the document worker and the tests. */
#pragma once

#include "sc-document.h"

G_BEGIN_DECLS

/* Opens @bytes in this process, with poppler, whatever the isolation setting: what
 * sichtung-document-worker does on its side. @name is the name messages use. */
ScDocument *_sc_document_new_local      (GBytes      *bytes,
                                         const char  *name,
                                         const char  *password,
                                         GError     **error);
/* Whether the document's PDF is read in a worker process, and that process's id (0 while
 * none runs). */
gboolean    _sc_document_is_isolated    (ScDocument  *self);
GPid        _sc_document_get_worker_pid (ScDocument  *self);

G_END_DECLS
