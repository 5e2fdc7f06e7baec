/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-passages-private.h: the sentence rules of sc-passages.c, shared with the assistant's
 * answer splitting. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether the ".", "!" or "?" at @p (inside [@text, @end)) ends a sentence: white space
 * follows, then something that starts one, and the word before is no abbreviation or number. */
gboolean _sc_passages_ends_sentence    (const char *text,
                                        const char *p,
                                        const char *end);
/* Whether @word (@len bytes, without its period) is a German abbreviation ("Abs", "Nr"). */
gboolean _sc_passages_is_abbreviation  (const char *word,
                                        gsize       len);

G_END_DECLS
