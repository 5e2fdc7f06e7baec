/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-json.h: a small streaming JSON writer for the CLI's machine-readable output.
 *
 * The writer keeps track of nesting and commas so callers only say what comes next:
 *
 *   ScJsonWriter *w = sc_json_writer_new (TRUE);
 *   sc_json_writer_begin_object (w);
 *   sc_json_writer_key (w, "pages");
 *   sc_json_writer_int (w, 3);
 *   sc_json_writer_end_object (w);
 *   g_autofree char *json = sc_json_writer_free_to_string (w);
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ScJsonWriter ScJsonWriter;

ScJsonWriter *sc_json_writer_new            (gboolean      pretty);
void          sc_json_writer_free           (ScJsonWriter *writer);
char         *sc_json_writer_free_to_string (ScJsonWriter *writer);

void sc_json_writer_begin_object (ScJsonWriter *writer);
void sc_json_writer_end_object   (ScJsonWriter *writer);
void sc_json_writer_begin_array  (ScJsonWriter *writer);
void sc_json_writer_end_array    (ScJsonWriter *writer);
void sc_json_writer_key          (ScJsonWriter *writer,
                                  const char   *key);
void sc_json_writer_string       (ScJsonWriter *writer,
                                  const char   *value);
void sc_json_writer_int          (ScJsonWriter *writer,
                                  gint64        value);
void sc_json_writer_double       (ScJsonWriter *writer,
                                  double        value);
void sc_json_writer_bool         (ScJsonWriter *writer,
                                  gboolean      value);
void sc_json_writer_null         (ScJsonWriter *writer);

/* Appends @value to @out as a quoted JSON string; invalid UTF-8 becomes U+FFFD. */
void sc_json_escape_string (GString    *out,
                            const char *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScJsonWriter, sc_json_writer_free)

G_END_DECLS
