/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-samples.h: the bundled sample case (data/samples): recognising its files and
 * keeping its Vorgang in the case store. */
#pragma once

#include <gio/gio.h>

#include "sichtung-core.h"

G_BEGIN_DECLS

/* The sample case's title and Aktenzeichen, as in its documents. */
#define SICHTUNG_SAMPLE_CASE_TITLE     "Beispielvorgang Wohngeld"
#define SICHTUNG_SAMPLE_CASE_REFERENCE "4.2-WG-1187/2025"

/* TRUE when @file lies in the folder of the bundled samples (followed through links). */
gboolean sichtung_samples_contains     (GFile    *file);

/* The id of the sample case in @store, created on first use and reused afterwards. */
gint64   sichtung_samples_ensure_case  (ScStore  *store,
                                        GError  **error);

G_END_DECLS
