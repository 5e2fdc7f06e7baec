/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-samples.h: the bundled sample case (data/samples): recognising its files, finding
 * its PDFs and keeping its Vorgang in the case store. */
#pragma once

#include <gio/gio.h>

#include "sichtung-core.h"

G_BEGIN_DECLS

/* The sample case's title and Aktenzeichen, as in its documents. */
#define SICHTUNG_SAMPLE_CASE_TITLE     "Beispielvorgang Wohngeld"
#define SICHTUNG_SAMPLE_CASE_REFERENCE "4.2-WG-1187/2025"

/* TRUE when @file lies in a folder of the bundled samples (followed through links): their text
 * sources in the source tree, their PDFs in the build tree, both installed, or
 * $SICHTUNG_SAMPLES_DIR. */
gboolean   sichtung_samples_contains      (GFile    *file);

/* The seven sample PDFs, in the order of the case: Antrag, Anhörung, the draft of the
 * Bescheid, Bescheid, Widerspruch, Vermerk, Urteil. They come from $SICHTUNG_SAMPLES_DIR when
 * it is set, else from the installed samples folder when it holds all of them, else from the
 * build tree. Returns (transfer full) an array of GFile (element free function
 * g_object_unref), empty when the chosen folder lacks any of them. */
GPtrArray *sichtung_samples_get_documents (void);

/* The id of the sample case in @store, created on first use and reused afterwards. */
gint64     sichtung_samples_ensure_case   (ScStore  *store,
                                           GError  **error);

G_END_DECLS
