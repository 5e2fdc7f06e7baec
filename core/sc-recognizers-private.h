/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-recognizers-private.h: what the recogniser files share: the scan state, adding a
 * finding, looking at the words before a match, and cached regular expressions. */
#pragma once

#include <glib.h>

#include "sc-finding.h"

G_BEGIN_DECLS

typedef struct
{
  const char *text;
  gsize       length;
  GPtrArray  *out;     /* ScFinding */
} ScScan;

/* Adds a finding for [start, end); takes @explanation. Returns it (owned by the scan). */
ScFinding *_sc_scan_add            (ScScan            *scan,
                                    ScFindingCategory  category,
                                    const char        *label,
                                    gsize              start,
                                    gsize              end,
                                    const char        *value,
                                    double             confidence,
                                    char              *explanation);
/* Whether one of @words (NULL-terminated, compared case-insensitively) occurs in the @window
 * bytes before @pos. */
gboolean   _sc_scan_context_before (ScScan            *scan,
                                    gsize              pos,
                                    gsize              window,
                                    const char *const *words);
/* Compiles @pattern once into *@slot (thread-safe); a broken pattern warns and never matches. */
GRegex    *_sc_regex_once          (GRegex           **slot,
                                    const char        *pattern);
/* Whether the character before @pos / at @pos is a letter or digit. */
gboolean   _sc_alnum_before        (const char        *text,
                                    gsize              pos);
gboolean   _sc_alnum_at            (const char        *text,
                                    gsize              length,
                                    gsize              pos);

void       _sc_recognize_ids       (ScScan            *scan);
void       _sc_recognize_contact   (ScScan            *scan);
void       _sc_recognize_legal     (ScScan            *scan);
void       _sc_recognize_persons   (ScScan            *scan);

G_END_DECLS
