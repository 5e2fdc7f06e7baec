/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cli-report.c: the `report` subcommand of sichtung-cli: the review report of a case or of
 * one document from a case database, as JSON, CSV or PDF (see sc-report.h). */
#define G_LOG_DOMAIN "sichtung-cli"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "sichtung-core.h"
#include "sc-report.h"
#include "sc-cli.h"

int
sc_cli_report (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScStore) store = NULL;
  g_autoptr(ScReport) report = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *separator = NULL;
  g_autofree char *output = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) args = NULL;
  gint64 case_id = 0, document_id = 0;
  gboolean mask_text = FALSE;
  ScReportFlags flags = SC_REPORT_FLAGS_NONE;
  int format = SC_REPORT_FORMAT_JSON;
  GOptionEntry entries[] = {
    { "case-db", 0, 0, G_OPTION_ARG_FILENAME, &db_path,
      N_("Case database (default: the one the app uses)"), N_("FILE") },
    { "case", 'c', 0, G_OPTION_ARG_INT64, &case_id,
      N_("Report on every document of the case with this number"), N_("ID") },
    { "document", 0, 0, G_OPTION_ARG_INT64, &document_id,
      N_("Report on the document with this number"), N_("ID") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      N_("Output format: json (default), csv or pdf"), N_("FORMAT") },
    { "separator", 0, 0, G_OPTION_ARG_STRING, &separator,
      N_("CSV field separator: “,” (default) or “;” (for spreadsheets set to German)"),
      N_("CHAR") },
    { "mask-text", 0, 0, G_OPTION_ARG_NONE, &mask_text,
      N_("Leave out the found texts: show only category and position"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the report to FILE (required for PDF; default for JSON and CSV: standard "
         "output)"), N_("FILE") },
    { NULL },
  };

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Write the review report of a case or a document: document "
                                  "hashes, models, and every finding with its decision."));

  args = sc_cli_parse (context, argc, argv);
  if (args == NULL)
    return 2;
  if (g_strv_length (args) != 1 || (case_id > 0) == (document_id > 0) ||
      case_id < 0 || document_id < 0)
    {
      sc_cli_fail (_("usage: sichtung-cli report [--case-db FILE] (--case ID | --document ID) "
                     "[--format json|csv|pdf] [--separator ,|;] [--mask-text] [-o FILE]"));
      return 2;
    }
  if (format_name != NULL && (format = sc_report_format_from_string (format_name)) < 0)
    return sc_cli_fail (_("unknown report format “%s” (json, csv or pdf)"), format_name);
  if (separator != NULL && !g_str_equal (separator, ",") && !g_str_equal (separator, ";"))
    return sc_cli_fail (_("the CSV separator must be “,” or “;”"));
  if (separator != NULL && format != SC_REPORT_FORMAT_CSV)
    return sc_cli_fail (_("--separator applies to the CSV format only"));
  if (format == SC_REPORT_FORMAT_PDF && output == NULL)
    return sc_cli_fail (_("a PDF report needs an output file (-o FILE)"));
  if (mask_text)
    flags |= SC_REPORT_MASK_TEXT;

  /* Opening a missing path would create an empty database; a report never should. */
  if (db_path == NULL)
    db_path = sc_store_get_default_path ();
  if (!g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *display = g_filename_display_name (db_path);

      return sc_cli_fail (_("there is no case database at “%s”"), display);
    }
  store = sc_store_open (db_path, &error);
  if (store == NULL)
    return sc_cli_fail ("%s", error->message);

  if (case_id > 0)
    report = sc_report_new_for_case (store, case_id, flags, &error);
  else
    report = sc_report_new_for_document (store, document_id, flags, &error);
  if (report == NULL)
    return sc_cli_fail ("%s", error->message);

  if (format == SC_REPORT_FORMAT_PDF)
    {
      if (!sc_report_write (report, (ScReportFormat) format, output, &error))
        return sc_cli_fail ("%s", error->message);
      return 0;
    }

  if (format == SC_REPORT_FORMAT_CSV)
    text = sc_report_to_csv (report, separator != NULL ? separator[0] : ',');
  else
    text = sc_report_to_json (report);
  if (output != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));

      if (!sc_report_save_bytes (bytes, output, &error))
        return sc_cli_fail ("%s", error->message);
      return 0;
    }
  fputs (text, stdout);
  if (fflush (stdout) != 0)
    return sc_cli_fail (_("could not write the report: %s"), g_strerror (errno));
  return 0;
}
