/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cli-pseudonymize.c: the `pseudonymize` subcommand of sichtung-cli: a PDF or text file
 * analysed as `analyze` does it, its text with every finding of the chosen categories replaced
 * by a consistent placeholder ("[Person 1]"), and the key to those placeholders in a file of
 * its own. Neither the text nor the JSON summary ever carries the originals. */
#define G_LOG_DOMAIN "sichtung-cli"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sichtung-core.h"
#include "sc-analysis.h"
#include "sc-pseudonymize.h"
#include "sc-cli.h"

static void
write_json (ScPseudonymization *result,
            const char         *path,
            const char         *out_path,
            const char         *key_path)
{
  g_autofree char *json = NULL;
  ScJsonWriter *w = sc_json_writer_new (TRUE);

  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "file");
  sc_json_writer_string (w, path);
  sc_json_writer_key (w, "output");
  if (out_path != NULL)
    sc_json_writer_string (w, out_path);
  else
    sc_json_writer_null (w);
  sc_json_writer_key (w, "key");
  if (key_path != NULL)
    sc_json_writer_string (w, key_path);
  else
    sc_json_writer_null (w);
  sc_json_writer_key (w, "text");
  sc_json_writer_string (w, sc_pseudonymization_get_text (result));
  sc_json_writer_key (w, "replacements");
  sc_json_writer_int (w, sc_pseudonymization_get_replacements (result)->len);
  sc_json_writer_key (w, "pseudonyms");
  sc_pseudonymization_write_json (result, w, FALSE);
  sc_json_writer_end_object (w);

  json = sc_json_writer_free_to_string (w);
  fputs (json, stdout);
  fputc ('\n', stdout);
}

int
sc_cli_pseudonymize (int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(ScDocument) document = NULL;
  g_autoptr(ScAnalyzer) analyzer = NULL;
  g_autoptr(ScAnalysis) analysis = NULL;
  g_autoptr(ScPseudonymization) result = NULL;
  g_autofree char *model_path = NULL;
  g_autofree char *device = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *category_list = NULL;
  g_autofree char *password = NULL;
  g_autofree char *text = NULL;
  g_autofree char *key = NULL;
  g_auto(GStrv) args = NULL;
  gboolean json = FALSE, no_model = FALSE, replace_honorifics = FALSE;
  guint categories = sc_pseudonymize_default_categories ();
  int threads = 0;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out_path,
      N_("Write the pseudonymised text to FILE instead of printing it"), N_("FILE") },
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &key_path,
      N_("Write the key (placeholders and the original texts) to FILE"), N_("FILE") },
    { "categories", 'c', 0, G_OPTION_ARG_STRING, &category_list,
      N_("Categories to replace, separated by commas (default: persons, addresses, dates of "
         "birth and identifiers)"), N_("LIST") },
    { "replace-honorifics", 0, 0, G_OPTION_ARG_NONE, &replace_honorifics,
      N_("Replace “Frau” and “Herr” along with the name"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the text and the placeholders as JSON, without the originals"), NULL },
    { "device", 'd', 0, G_OPTION_ARG_STRING, &device,
      N_("Compute device: cpu, vulkan, auto (default) or a Vulkan device"), N_("DEVICE") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads,
      N_("CPU threads (default: all cores)"), N_("N") },
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path,
      N_("Findings model (default: the installed one)"), N_("FILE") },
    { "no-model", 0, 0, G_OPTION_ARG_NONE, &no_model,
      N_("Use the rules and gazetteers only"), NULL },
    { "password", 'p', 0, G_OPTION_ARG_STRING, &password,
      N_("Password of an encrypted PDF"), N_("PASSWORD") },
    { NULL },
  };

  context = g_option_context_new (_("FILE"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Replace the persons, addresses and identifiers of a PDF or "
                                  "text file by placeholders such as “[Person 1]”."));

  args = sc_cli_parse (context, argc, argv);
  if (args == NULL)
    return 2;
  if (g_strv_length (args) != 2)
    {
      sc_cli_fail (_("usage: sichtung-cli pseudonymize FILE [-o OUT.txt] [--key KEY.json] "
                     "[--categories a,b] [--model FILE | --no-model] [--json]"));
      return 2;
    }
  if (category_list != NULL && !sc_cli_parse_categories (category_list, &categories))
    return 2;
  if (no_model && model_path != NULL)
    return sc_cli_fail (_("--model and --no-model exclude each other"));
  /* the key must never take the place of the text, nor the text of the document */
  if (key_path != NULL && out_path != NULL && g_str_equal (key_path, out_path))
    return sc_cli_fail (_("the key and the pseudonymised text need different files"));

  file = g_file_new_for_commandline_arg (args[1]);
  document = sc_document_new_from_file (file, password, NULL, &error);
  if (password != NULL)
    memset (password, 0, strlen (password));
  if (document == NULL)
    return sc_cli_fail ("%s", error->message);

  analyzer = sc_cli_new_analyzer (model_path, no_model, device, threads, NULL);
  if (analyzer == NULL)
    return 1;

  analysis = sc_analyzer_run (analyzer, document, NULL, NULL, NULL, &error);
  if (analysis == NULL)
    return sc_cli_fail ("%s: %s", args[1], error->message);

  text = sc_document_get_text (document);
  result = sc_pseudonymize (text, sc_analysis_get_findings (analysis), categories,
                            replace_honorifics ? SC_PSEUDONYMIZE_REPLACE_HONORIFICS
                                               : SC_PSEUDONYMIZE_DEFAULT,
                            &error);
  if (result == NULL)
    return sc_cli_fail ("%s: %s", args[1], error->message);

  /* the key first and readable by its owner only: without it the text cannot be traced back,
   * with it everything can */
  if (key_path != NULL)
    {
      key = sc_pseudonymization_to_key_json (result);
      if (!g_file_set_contents_full (key_path, key, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                     &error))
        return sc_cli_fail ("%s", error->message);
    }
  if (out_path != NULL &&
      !g_file_set_contents (out_path, sc_pseudonymization_get_text (result), -1, &error))
    return sc_cli_fail ("%s", error->message);

  if (json)
    write_json (result, args[1], out_path, key_path);
  else if (out_path == NULL)
    fputs (sc_pseudonymization_get_text (result), stdout);
  if (fflush (stdout) != 0)
    return sc_cli_fail (_("could not write the pseudonymised text: %s"), g_strerror (errno));
  return 0;
}
