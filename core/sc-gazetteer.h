/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-gazetteer.h: look-ups in the gazetteers compiled into the library (law abbreviations
 * and German place names; see data/gazetteers/SOURCES.md). Thread-safe; loaded on first use. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The full name of the law or regulation abbreviated @abbreviation ("VwVfG" →
 * "Verwaltungsverfahrensgesetz"), or NULL. The string belongs to the library. */
const char *sc_gazetteer_law_name   (const char *abbreviation);
/* Whether @name (exact spelling) is a German place name. */
gboolean    sc_gazetteer_is_place   (const char *name);

G_END_DECLS
