/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cli-redact.c: the `redact` subcommand of sichtung-cli: a PDF redacted for batch use, from
 * its findings of the chosen categories or from the decisions stored for it in a case database,
 * then checked for leaks. Prints a JSON summary; exits 3 when the check found a leak, and the
 * output file is then not written. */
#define G_LOG_DOMAIN "sichtung-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "sichtung-core.h"
#include "sc-cli.h"

#define EXIT_LEAK 3

static void
print_summary (const char        *input,
               const char        *output,
               gboolean           written,
               ScRedactionReport *report)
{
  g_autofree char *report_json = sc_redaction_report_to_json (report);
  g_autoptr(GString) json = g_string_new ("{\n  \"input\": ");

  sc_json_escape_string (json, input);
  g_string_append (json, ",\n  \"output\": ");
  sc_json_escape_string (json, output);
  g_string_append_printf (json, ",\n  \"written\": %s,\n  \"report\": ", written ? "true"
                                                                                  : "false");
  /* The report is an object of its own; indent it one level. */
  for (const char *p = report_json; *p != '\0'; p++)
    {
      g_string_append_c (json, *p);
      if (*p == '\n')
        g_string_append (json, "  ");
    }
  g_string_append (json, "\n}\n");
  fputs (json->str, stdout);
  fflush (stdout);
}

int
sc_cli_redact (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) redactions = sc_redactions_new ();
  g_autoptr(ScRedactionReport) report = NULL;
  g_autoptr(GBytes) input = NULL;
  g_autoptr(GFile) output = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *category_list = NULL;
  g_autofree char *case_db = NULL;
  g_autofree char *model_path = NULL;
  g_autofree char *device = NULL;
  g_autofree char *password = NULL;
  g_autofree char *label = NULL;
  g_auto(GStrv) args = NULL;
  gint64 document_id = 0;
  gboolean no_model = FALSE, labels = FALSE;
  guint categories = sc_redact_default_categories ();
  int threads = 0;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out_path,
      N_("Write the redacted PDF to FILE"), N_("FILE") },
    { "categories", 'c', 0, G_OPTION_ARG_STRING, &category_list,
      N_("Categories to redact, separated by commas (default: persons, addresses, dates of "
         "birth, identifiers, phone numbers, e-mail addresses, vehicle registrations)"),
      N_("LIST") },
    { "label", 0, 0, G_OPTION_ARG_STRING, &label,
      N_("Print TEXT (e.g. the legal basis) on every box"), N_("TEXT") },
    { "case-db", 0, 0, G_OPTION_ARG_FILENAME, &case_db,
      N_("Redact what was accepted for a document of this case database"), N_("FILE") },
    { "document", 0, 0, G_OPTION_ARG_INT64, &document_id,
      N_("The document's id in the case database"), N_("ID") },
    { "labels", 0, 0, G_OPTION_ARG_NONE, &labels,
      N_("With --case-db: print each decision's legal basis on its box"), NULL },
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

  context = g_option_context_new (_("IN.pdf"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Remove personal data from a PDF: the text, images and "
                                  "shapes under each finding are deleted from the page, black "
                                  "boxes drawn, metadata, annotations, form fields and "
                                  "attachments removed. The result is checked for leaks before "
                                  "it is written."));

  args = sc_cli_parse (context, argc, argv);
  if (args == NULL)
    return 2;
  if (g_strv_length (args) != 2 || out_path == NULL)
    {
      sc_cli_fail (_("usage: sichtung-cli redact IN.pdf -o OUT.pdf [--categories a,b,…] "
                     "[--case-db FILE --document ID]"));
      return 2;
    }
  if (category_list != NULL && !sc_cli_parse_categories (category_list, &categories))
    return 2;
  if ((case_db != NULL) != (document_id != 0))
    return sc_cli_fail (_("--case-db and --document go together"));
  if (case_db != NULL && category_list != NULL)
    return sc_cli_fail (_("--categories does not apply to the decisions of a case database"));
  if (no_model && model_path != NULL)
    return sc_cli_fail (_("--model and --no-model exclude each other"));
  {
    g_autoptr(GFile) in_file = g_file_new_for_commandline_arg (args[1]);

    output = g_file_new_for_commandline_arg (out_path);
    if (g_file_equal (in_file, output))
      return sc_cli_fail (_("the redacted file must not replace the original"));
  }

  if (case_db != NULL)
    {
      g_autoptr(ScStore) store = sc_store_open (case_db, &error);
      g_autoptr(GPtrArray) findings = NULL;

      if (store == NULL)
        return sc_cli_fail ("%s: %s", case_db, error->message);
      findings = sc_store_list_findings (store, document_id, &error);
      if (findings == NULL)
        return sc_cli_fail ("%s", error->message);
      sc_redactions_add_decisions (redactions, findings, labels || label != NULL);
      if (label != NULL)
        for (guint i = 0; i < redactions->len; i++)
          {
            ScRedaction *redaction = &g_array_index (redactions, ScRedaction, i);

            if (redaction->label == NULL)
              redaction->label = g_strdup (label);
          }
      /* The file the decisions were made on, not one of the same name elsewhere. */
      input = sc_store_get_document_content (store, document_id, &error);
      if (input == NULL)
        return sc_cli_fail ("%s", error->message);
      {
        g_autoptr(GBytes) given = NULL;
        g_autoptr(GFile) in_file = g_file_new_for_commandline_arg (args[1]);
        g_autofree char *contents = NULL;
        gsize length;

        if (!g_file_load_contents (in_file, NULL, &contents, &length, NULL, &error))
          return sc_cli_fail ("%s", error->message);
        given = g_bytes_new_take (g_steal_pointer (&contents), length);
        if (!g_bytes_equal (given, input))
          {
            g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, document_id);

            return sc_cli_fail (_("%s is not the file stored as document %s"), args[1], id);
          }
      }
    }
  else
    {
      g_autoptr(GFile) in_file = g_file_new_for_commandline_arg (args[1]);
      g_autoptr(ScDocument) document = NULL;
      g_autoptr(ScAnalyzer) analyzer = NULL;
      g_autoptr(ScAnalysis) analysis = NULL;
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_load_contents (in_file, NULL, &contents, &length, NULL, &error))
        return sc_cli_fail ("%s", error->message);
      input = g_bytes_new_take (g_steal_pointer (&contents), length);
      document = sc_document_new_from_bytes (input, args[1], password, &error);
      if (document == NULL)
        return sc_cli_fail ("%s: %s", args[1], error->message);
      if (sc_document_get_kind (document) != SC_DOCUMENT_KIND_PDF)
        return sc_cli_fail (_("%s is not a PDF file"), args[1]);
      analyzer = sc_cli_new_analyzer (model_path, no_model, device, threads, NULL);
      if (analyzer == NULL)
        return 1;
      analysis = sc_analyzer_run (analyzer, document, NULL, NULL, NULL, &error);
      if (analysis == NULL)
        return sc_cli_fail ("%s: %s", args[1], error->message);
      sc_redactions_add_findings (redactions, sc_analysis_get_findings (analysis), categories,
                                  label);
    }

  if (!sc_redact_pdf_to_file (input, password, redactions, SC_REDACT_LABELS, output, &report,
                              NULL, &error))
    {
      if (g_error_matches (error, SC_ERROR, SC_ERROR_LEAK) && report != NULL)
        {
          print_summary (args[1], out_path, FALSE, report);
          sc_cli_fail ("%s", error->message);
          return EXIT_LEAK;
        }
      return sc_cli_fail ("%s: %s", args[1], error->message);
    }
  if (password != NULL)
    memset (password, 0, strlen (password));
  print_summary (args[1], out_path, TRUE, report);
  return 0;
}
