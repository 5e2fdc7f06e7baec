/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-gazetteer.h: look-ups in the gazetteers compiled into the library (law abbreviations and
 * names, German place and street names, vehicle registration district codes; see
 * data/gazetteers/SOURCES.md). Thread-safe; loaded on first use. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The full name of the law or regulation abbreviated @abbreviation ("VwVfG" →
 * "Verwaltungsverfahrensgesetz"), or NULL. The string belongs to the library. */
const char *sc_gazetteer_law_name       (const char *abbreviation);
/* The abbreviation of the law named @name, in any case and with or without articles
 * ("Bürgerlichen Gesetzbuchs", "Zehnten Buches des Sozialgesetzbuches" → "SGB X"), or NULL.
 * Matches full titles and the common short titles. The string belongs to the library. */
const char *sc_gazetteer_law_by_name    (const char *name);
/* Whether @name (exact spelling) is a German place name. */
gboolean    sc_gazetteer_is_place       (const char *name);
/* Whether @name (exact spelling, single spaces) is a German street name that is not also an
 * ordinary word. */
gboolean    sc_gazetteer_is_street      (const char *name);
/* The district or authority of the vehicle registration district code @code ("MZ" →
 * "Mainz / Landkreis Mainz-Bingen"), or NULL. The string belongs to the library. */
const char *sc_gazetteer_plate_district (const char *code);

G_END_DECLS
