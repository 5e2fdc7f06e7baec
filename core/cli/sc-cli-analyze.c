/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cli-analyze.c: the `analyze` subcommand of sichtung-cli: every finding of a PDF or text
 * file (rules, gazetteers and the named-entity model, merged) with its page and boxes, as JSON
 * or as a table for reading. */
#define G_LOG_DOMAIN "sichtung-cli"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "sichtung-core.h"
#include "sc-analysis.h"
#include "sc-cli.h"

/* Longest excerpt of a finding's text in the table, in characters. */
#define TABLE_TEXT_WIDTH 40

static void
write_json (ScAnalysis *analysis,
            const char *path,
            const char *device)
{
  GPtrArray *findings = sc_analysis_get_findings (analysis);
  g_autofree char *json = NULL;
  ScJsonWriter *w = sc_json_writer_new (TRUE);

  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "file");
  sc_json_writer_string (w, path);
  sc_json_writer_key (w, "pages");
  sc_json_writer_int (w, sc_analysis_get_n_pages (analysis));
  sc_json_writer_key (w, "model");
  if (sc_analysis_get_model_name (analysis) != NULL)
    {
      sc_json_writer_begin_object (w);
      sc_json_writer_key (w, "name");
      sc_json_writer_string (w, sc_analysis_get_model_name (analysis));
      sc_json_writer_key (w, "version");
      sc_json_writer_string (w, sc_analysis_get_model_version (analysis));
      sc_json_writer_key (w, "device");
      sc_json_writer_string (w, device);
      sc_json_writer_end_object (w);
    }
  else
    {
      sc_json_writer_null (w);
    }

  sc_json_writer_key (w, "findings");
  sc_json_writer_begin_array (w);
  for (guint i = 0; i < findings->len; i++)
    {
      ScPageFinding *pf = g_ptr_array_index (findings, i);
      ScFinding *f = pf->finding;

      sc_json_writer_begin_object (w);
      sc_json_writer_key (w, "category");
      sc_json_writer_string (w, sc_finding_category_to_string (f->category));
      sc_json_writer_key (w, "label");
      if (f->label != NULL)
        sc_json_writer_string (w, f->label);
      else
        sc_json_writer_null (w);
      sc_json_writer_key (w, "text");
      sc_json_writer_string (w, f->text);
      sc_json_writer_key (w, "start");
      sc_json_writer_int (w, (gint64) pf->doc_start);
      sc_json_writer_key (w, "end");
      sc_json_writer_int (w, (gint64) pf->doc_end);
      sc_json_writer_key (w, "page");
      sc_json_writer_int (w, pf->page + 1);
      sc_json_writer_key (w, "boxes");
      sc_json_writer_begin_array (w);
      for (guint b = 0; b < pf->boxes->len; b++)
        {
          const ScRect *r = &g_array_index (pf->boxes, ScRect, b);

          sc_json_writer_begin_array (w);
          sc_json_writer_double (w, r->x);
          sc_json_writer_double (w, r->y);
          sc_json_writer_double (w, r->width);
          sc_json_writer_double (w, r->height);
          sc_json_writer_end_array (w);
        }
      sc_json_writer_end_array (w);
      sc_json_writer_key (w, "confidence");
      sc_json_writer_double (w, f->confidence);
      sc_json_writer_key (w, "source");
      sc_json_writer_string (w, sc_finding_source_to_string (f->source));
      sc_json_writer_key (w, "sources");
      sc_json_writer_begin_array (w);
      for (guint s = SC_FINDING_SOURCE_RULE; s <= SC_FINDING_SOURCE_GAZETTEER; s++)
        {
          if (pf->sources & (1u << s))
            sc_json_writer_string (w, sc_finding_source_to_string ((ScFindingSource) s));
        }
      sc_json_writer_end_array (w);
      sc_json_writer_key (w, "value");
      if (f->value != NULL)
        sc_json_writer_string (w, f->value);
      else
        sc_json_writer_null (w);
      sc_json_writer_key (w, "explanation");
      sc_json_writer_string (w, f->explanation);
      sc_json_writer_key (w, "steps");
      sc_json_writer_begin_array (w);
      for (guint s = 0; f->steps != NULL && s < f->steps->len; s++)
        sc_json_writer_string (w, g_ptr_array_index (f->steps, s));
      sc_json_writer_end_array (w);
      sc_json_writer_end_object (w);
    }
  sc_json_writer_end_array (w);
  sc_json_writer_end_object (w);

  json = sc_json_writer_free_to_string (w);
  fputs (json, stdout);
  fputc ('\n', stdout);
}

/* @text on one line, cut to TABLE_TEXT_WIDTH characters. */
static char *
table_excerpt (const char *text)
{
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (n == TABLE_TEXT_WIDTH - 1 && p[1] != '\0')
        {
          g_string_append (out, "…");
          break;
        }
      if (g_unichar_isspace (c))
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* printf pads by bytes; pads @text to @width characters. */
static void
print_padded (const char *text,
              guint       width)
{
  glong n = g_utf8_strlen (text, -1);

  fputs (text, stdout);
  for (glong i = n; i < (glong) width; i++)
    fputc (' ', stdout);
}

static void
write_table (ScAnalysis *analysis,
             const char *path)
{
  GPtrArray *findings = sc_analysis_get_findings (analysis);

  printf ("%s: ", path);
  printf (g_dngettext (GETTEXT_PACKAGE, "%u page", "%u pages", sc_analysis_get_n_pages (analysis)),
          sc_analysis_get_n_pages (analysis));
  printf (", ");
  printf (g_dngettext (GETTEXT_PACKAGE, "%u finding", "%u findings", findings->len),
          findings->len);
  if (sc_analysis_get_model_name (analysis) != NULL)
    {
      const char *version = sc_analysis_get_model_version (analysis);

      printf (" (%s%s%s)", sc_analysis_get_model_name (analysis),
              version != NULL && *version != '\0' ? " " : "", version != NULL ? version : "");
    }
  printf ("\n\n");

  print_padded (_("Page"), 6);
  print_padded (_("Category"), 28);
  print_padded (_("Text"), TABLE_TEXT_WIDTH + 2);
  print_padded (_("Sources"), 24);
  printf ("%s\n", _("Confidence"));
  for (guint i = 0; i < findings->len; i++)
    {
      ScPageFinding *pf = g_ptr_array_index (findings, i);
      ScFinding *f = pf->finding;
      g_autofree char *excerpt = table_excerpt (f->text);
      g_autofree char *page = g_strdup_printf ("%u", pf->page + 1);
      g_autoptr(GString) sources = g_string_new (NULL);

      for (guint s = SC_FINDING_SOURCE_RULE; s <= SC_FINDING_SOURCE_GAZETTEER; s++)
        {
          if (!(pf->sources & (1u << s)))
            continue;
          if (sources->len > 0)
            g_string_append_c (sources, '+');
          g_string_append (sources, sc_finding_source_to_string ((ScFindingSource) s));
        }
      print_padded (page, 6);
      print_padded (sc_finding_category_get_display_name (f->category), 28);
      print_padded (excerpt, TABLE_TEXT_WIDTH + 2);
      print_padded (sources->str, 24);
      printf ("%.2f\n", f->confidence);
    }
}

int
sc_cli_analyze (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(ScDocument) document = NULL;
  g_autoptr(ScAnalyzer) analyzer = NULL;
  g_autoptr(ScAnalysis) analysis = NULL;
  g_autofree char *model_path = NULL;
  g_autofree char *device = NULL;
  g_autofree char *backend_name = NULL;
  g_autofree char *land_name = NULL;
  g_autofree char *reference_text = NULL;
  g_autofree char *password = NULL;
  g_auto(GStrv) args = NULL;
  gboolean json = FALSE, no_model = FALSE;
  int threads = 0, land = -1;
  GDate reference;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the findings as JSON"), NULL },
    { "device", 'd', 0, G_OPTION_ARG_STRING, &device,
      N_("Compute device: cpu, vulkan, auto (default) or a Vulkan device"), N_("DEVICE") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads,
      N_("CPU threads (default: all cores)"), N_("N") },
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path,
      N_("Findings model (default: the installed one)"), N_("FILE") },
    { "no-model", 0, 0, G_OPTION_ARG_NONE, &no_model,
      N_("Use the rules and gazetteers only"), NULL },
    { "land", 'l', 0, G_OPTION_ARG_STRING, &land_name,
      N_("Federal state for public holidays (default RP)"), N_("CODE") },
    { "reference", 'r', 0, G_OPTION_ARG_STRING, &reference_text,
      N_("Reference date (YYYY-MM-DD) for dates without a year and for deadlines"),
      N_("DATE") },
    { "password", 'p', 0, G_OPTION_ARG_STRING, &password,
      N_("Password of an encrypted PDF"), N_("PASSWORD") },
    { NULL },
  };

  context = g_option_context_new (_("FILE"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Print all findings of a PDF or text file."));

  args = sc_cli_parse (context, argc, argv);
  if (args == NULL)
    return 2;
  if (g_strv_length (args) != 2)
    {
      sc_cli_fail (_("usage: sichtung-cli analyze FILE [--json] [--device D] [--threads N] "
                     "[--model FILE | --no-model] [--land CODE] [--reference YYYY-MM-DD]"));
      return 2;
    }

  if (land_name != NULL)
    {
      land = sc_land_from_string (land_name);
      if (land < 0)
        return sc_cli_fail (_("unknown federal state “%s”"), land_name);
    }
  if (reference_text != NULL)
    {
      guint y, m, d;

      if (sscanf (reference_text, "%4u-%2u-%2u", &y, &m, &d) != 3 ||
          !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
        return sc_cli_fail (_("invalid reference date “%s”"), reference_text);
      g_date_clear (&reference, 1);
      g_date_set_dmy (&reference, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
    }

  /* The document first: a missing file is reported before a model is loaded for nothing. */
  file = g_file_new_for_commandline_arg (args[1]);
  document = sc_document_new_from_file (file, password, NULL, &error);
  if (password != NULL)
    memset (password, 0, strlen (password));
  if (document == NULL)
    return sc_cli_fail ("%s", error->message);

  analyzer = sc_cli_new_analyzer (model_path, no_model, device, threads, &backend_name);
  if (analyzer == NULL)
    return 1;
  if (land >= 0)
    sc_analyzer_set_land (analyzer, (ScLand) land);
  if (reference_text != NULL)
    sc_analyzer_set_reference_date (analyzer, &reference);

  analysis = sc_analyzer_run (analyzer, document, NULL, NULL, NULL, &error);
  if (analysis == NULL)
    return sc_cli_fail ("%s: %s", args[1], error->message);

  if (json)
    write_json (analysis, args[1], backend_name);
  else
    write_table (analysis, args[1]);
  if (fflush (stdout) != 0)
    return sc_cli_fail (_("could not write the findings: %s"), g_strerror (errno));
  return 0;
}
