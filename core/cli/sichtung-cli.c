/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-cli.c: the headless front end of the core library; dispatches to subcommands. */
#define G_LOG_DOMAIN "sichtung-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <glib/gi18n.h>

#include "sc-cli.h"

typedef struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "text", sc_cli_text, N_("Print the extracted text, pages separated by form feeds") },
  { "info", sc_cli_info, N_("Print document information as JSON") },
  { "devices", sc_cli_devices, N_("List the compute devices as JSON") },
  { "tokenize", sc_cli_tokenize, N_("Print a model's token ids for a text as JSON") },
  { "generate", sc_cli_generate, N_("Continue a prompt with a language model") },
  { "ask", sc_cli_ask, N_("Answer a question about documents with citations (chat model)") },
  { "summarize", sc_cli_summarize, N_("Summarise documents (chat model)") },
  { "rewrite", sc_cli_rewrite, N_("Rewrite documents in plain or easy language (chat model)") },
  { "draft", sc_cli_draft, N_("Draft a memo or a reply letter (chat model)") },
  { "score", sc_cli_score, N_("Score a token sequence with a language model (JSON)") },
  { "bench", sc_cli_bench, N_("Measure prompt processing and generation speed (JSON)") },
  { "recognize", sc_cli_recognize, N_("Print the rule findings of a text as JSON") },
  { "dates", sc_cli_dates, N_("Print the dates (and deadlines) of a text as JSON") },
  { "tag", sc_cli_tag, N_("Tag the tokens of a CoNLL file with the findings model") },
  { "analyze", sc_cli_analyze, N_("Print all findings of a PDF or text file as JSON") },
  { "pseudonymize", sc_cli_pseudonymize,
    N_("Replace the personal data of a PDF or text file by placeholders") },
  { "compare", sc_cli_compare, N_("Compare two PDF or text files paragraph by paragraph") },
  { "redact", sc_cli_redact,
    N_("Redact the personal data of a PDF and check the result for leaks") },
  { "report", sc_cli_report,
    N_("Write the review report of a case or document (JSON, CSV or PDF)") },
};

char **
sc_cli_parse (GOptionContext *context,
              int             argc,
              char          **argv)
{
  g_autoptr(GError) error = NULL;
  /* g_option_context_parse_strv wants an owned copy it may rearrange. */
  g_auto(GStrv) args = g_new0 (char *, argc + 1);

  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);
  g_free (args[0]);
  args[0] = g_strdup_printf ("sichtung-cli %s", argv[0]);
  g_set_prgname (args[0]);

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      sc_cli_fail ("%s", error->message);
      return NULL;
    }
  return g_steal_pointer (&args);
}

int
sc_cli_fail (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "sichtung-cli: %s\n", message);
  return 1;
}

gboolean
sc_cli_parse_categories (const char *list,
                         guint      *categories)
{
  g_auto(GStrv) names = g_strsplit (list, ",", -1);

  *categories = 0;
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);
      int category;

      if (*name == '\0')
        continue;
      category = sc_finding_category_from_string (name);
      if (category < 0)
        {
          sc_cli_fail (_("unknown category “%s”"), name);
          return FALSE;
        }
      *categories |= 1u << category;
    }
  if (*categories == 0)
    {
      sc_cli_fail (_("--categories names no category"));
      return FALSE;
    }
  return TRUE;
}

ScAnalyzer *
sc_cli_new_analyzer (const char  *model_path,
                     gboolean     no_model,
                     const char  *device,
                     int          threads,
                     char       **backend_name)
{
  g_autoptr(ScAnalyzer) analyzer = sc_analyzer_new ();
  g_autoptr(ScBackend) backend = NULL;
  g_autoptr(ScNer) ner = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *default_path = NULL;
  g_autofree char *fallback = NULL;

  if (backend_name != NULL)
    *backend_name = NULL;
  if (no_model && model_path != NULL)
    {
      sc_cli_fail (_("--model and --no-model exclude each other"));
      return NULL;
    }
  if (no_model)
    return g_steal_pointer (&analyzer);
  if (model_path == NULL)
    {
      model_path = default_path = sc_ner_find_default_model ();
      if (model_path == NULL)
        {
          fprintf (stderr, "sichtung-cli: %s\n",
                   _("no findings model is installed; using the rules and gazetteers only"));
          return g_steal_pointer (&analyzer);
        }
    }

  /* "vulkan": the best Vulkan device, failing rather than falling back to the CPU. */
  if (device != NULL && g_ascii_strcasecmp (device, "vulkan") == 0)
    backend = sc_backend_vulkan_new ("auto", &error);
  else
    backend = sc_backend_new (device, &fallback, &error);
  if (backend == NULL)
    {
      sc_cli_fail ("%s: %s", model_path, error->message);
      return NULL;
    }
  if (fallback != NULL)
    fprintf (stderr, "sichtung-cli: %s\n", fallback);
  if (SC_IS_BACKEND_CPU (backend) && threads > 0)
    sc_backend_cpu_set_n_threads (SC_BACKEND_CPU (backend), threads);

  ner = sc_ner_load (model_path, backend, &error);
  if (ner == NULL)
    {
      sc_cli_fail ("%s: %s", model_path, error->message);
      return NULL;
    }
  if (backend_name != NULL)
    *backend_name = g_strdup (sc_backend_get_name (backend));
  sc_analyzer_set_ner (analyzer, ner);
  return g_steal_pointer (&analyzer);
}

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n", _("Usage: sichtung-cli COMMAND [OPTION…]"));
  fprintf (out, "\n%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n  --version  %s\n", _("Print the version"));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return 2;
    }

  if (g_str_equal (argv[1], "--version") || g_str_equal (argv[1], "version"))
    {
      printf ("sichtung-cli %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (stdout);
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (argv[1], commands[i].name))
        return commands[i].run (argc - 1, argv + 1);
    }

  return sc_cli_fail (_("unknown command “%s” (see sichtung-cli --help)"), argv[1]);
}
