/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cli-document.c: the `text` and `info` subcommands of sichtung-cli: open one document
 * (PDF or plain text) and print its text, or its page geometry and metadata as JSON. */
#define G_LOG_DOMAIN "sichtung-cli"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "sichtung-core.h"
#include "sc-cli.h"

/* Parses "SUBCOMMAND FILE [--password PW]" and opens FILE. On failure prints one line and
 * stores the exit status in @status. */
static ScDocument *
open_from_args (int    argc,
                char **argv,
                char **path_out,
                int   *status)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *password = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(ScDocument) document = NULL;
  GOptionEntry entries[] = {
    { "password", 'p', 0, G_OPTION_ARG_STRING, &password,
      N_("Password of an encrypted PDF"), N_("PASSWORD") },
    { NULL },
  };

  context = g_option_context_new (_("FILE"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, TRUE);

  args = sc_cli_parse (context, argc, argv);
  if (args == NULL)
    {
      *status = 2;
      return NULL;
    }
  if (g_strv_length (args) != 2)
    {
      *status = 2;
      sc_cli_fail (_("usage: sichtung-cli %s FILE [--password PASSWORD]"), argv[0]);
      return NULL;
    }

  file = g_file_new_for_commandline_arg (args[1]);
  document = sc_document_new_from_file (file, password, NULL, &error);
  if (password != NULL)
    memset (password, 0, strlen (password));
  if (document == NULL)
    {
      *status = 1;
      sc_cli_fail ("%s", error->message);
      return NULL;
    }

  if (path_out != NULL)
    *path_out = g_strdup (args[1]);
  *status = 0;
  return g_steal_pointer (&document);
}

int
sc_cli_text (int    argc,
             char **argv)
{
  g_autoptr(ScDocument) document = NULL;
  g_autofree char *text = NULL;
  int status = 0;

  document = open_from_args (argc, argv, NULL, &status);
  if (document == NULL)
    return status;

  text = sc_document_get_text (document);
  if (fwrite (text, 1, strlen (text), stdout) != strlen (text) || fflush (stdout) != 0)
    return sc_cli_fail (_("could not write the text: %s"), g_strerror (errno));
  return 0;
}

int
sc_cli_info (int    argc,
             char **argv)
{
  g_autoptr(ScDocument) document = NULL;
  g_autoptr(ScJsonWriter) writer = NULL;
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;
  const char *title, *author;
  guint n_pages;
  int status = 0;

  document = open_from_args (argc, argv, &path, &status);
  if (document == NULL)
    return status;

  n_pages = sc_document_get_n_pages (document);
  title = sc_document_get_metadata_title (document);
  author = sc_document_get_author (document);

  writer = sc_json_writer_new (TRUE);
  sc_json_writer_begin_object (writer);
  sc_json_writer_key (writer, "file");
  sc_json_writer_string (writer, path);
  sc_json_writer_key (writer, "kind");
  sc_json_writer_string (writer, sc_document_get_kind (document) == SC_DOCUMENT_KIND_PDF
                                   ? "pdf" : "text");
  sc_json_writer_key (writer, "pages");
  sc_json_writer_int (writer, n_pages);
  sc_json_writer_key (writer, "title");
  sc_json_writer_string (writer, title); /* NULL is written as null */
  sc_json_writer_key (writer, "author");
  sc_json_writer_string (writer, author);
  sc_json_writer_key (writer, "encrypted");
  sc_json_writer_bool (writer, sc_document_get_encrypted (document));
  sc_json_writer_key (writer, "page_sizes");
  sc_json_writer_begin_array (writer);
  for (guint i = 0; i < n_pages; i++)
    {
      double width, height;

      sc_document_get_page_size (document, i, &width, &height);
      sc_json_writer_begin_object (writer);
      sc_json_writer_key (writer, "width");
      sc_json_writer_double (writer, width);
      sc_json_writer_key (writer, "height");
      sc_json_writer_double (writer, height);
      sc_json_writer_end_object (writer);
    }
  sc_json_writer_end_array (writer);
  sc_json_writer_end_object (writer);

  json = sc_json_writer_free_to_string (g_steal_pointer (&writer));
  fputs (json, stdout);
  if (fflush (stdout) != 0)
    return sc_cli_fail (_("could not write the information: %s"), g_strerror (errno));
  return 0;
}
