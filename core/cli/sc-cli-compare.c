/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cli-compare.c: the `compare` subcommand of sichtung-cli: two PDF or text files
 * paragraph by paragraph, the words added, removed or changed, and (as JSON) the findings of
 * both linked where they name the same person, norm or case number. */
#define G_LOG_DOMAIN "sichtung-cli"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "sichtung-core.h"
#include "sc-cli.h"

/* Longest excerpt of a change in the summary, in characters. */
#define EXCERPT_WIDTH 60

static char *
range_text (ScComparison   *comparison,
            ScCompareSide   side,
            ScCompareRange *range)
{
  return g_strndup (sc_comparison_get_text (comparison, side) + range->start,
                    range->end - range->start);
}

/* ---- JSON -------------------------------------------------------------------------------- */

static void
write_range (ScJsonWriter   *w,
             ScComparison   *comparison,
             ScCompareSide   side,
             ScCompareRange *range,
             gboolean        with_text)
{
  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "page");
  sc_json_writer_int (w, range->page + 1);
  sc_json_writer_key (w, "start");
  sc_json_writer_int (w, (gint64) range->cp_start);
  sc_json_writer_key (w, "end");
  sc_json_writer_int (w, (gint64) range->cp_end);
  sc_json_writer_key (w, "byte_start");
  sc_json_writer_int (w, (gint64) range->start);
  sc_json_writer_key (w, "byte_end");
  sc_json_writer_int (w, (gint64) range->end);
  if (with_text)
    {
      g_autofree char *text = range_text (comparison, side, range);

      sc_json_writer_key (w, "text");
      sc_json_writer_string (w, text);
    }
  sc_json_writer_end_object (w);
}

static void
write_index_or_null (ScJsonWriter *w,
                     int           index)
{
  if (index >= 0)
    sc_json_writer_int (w, index);
  else
    sc_json_writer_null (w);
}

static void
write_side (ScJsonWriter  *w,
            ScComparison  *comparison,
            ScCompareSide  side,
            const char    *path,
            ScDocument    *document,
            ScAnalysis    *analysis)
{
  GArray *paragraphs = sc_comparison_get_paragraphs (comparison, side);
  GPtrArray *findings = sc_analysis_get_findings (analysis);

  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "file");
  sc_json_writer_string (w, path);
  sc_json_writer_key (w, "pages");
  sc_json_writer_int (w, sc_document_get_n_pages (document));
  sc_json_writer_key (w, "paragraphs");
  sc_json_writer_begin_array (w);
  for (guint i = 0; i < paragraphs->len; i++)
    {
      ScCompareParagraph *p = &g_array_index (paragraphs, ScCompareParagraph, i);

      sc_json_writer_begin_object (w);
      sc_json_writer_key (w, "range");
      write_range (w, comparison, side, &p->range, FALSE);
      sc_json_writer_key (w, "words");
      sc_json_writer_int (w, p->n_words);
      sc_json_writer_key (w, "row");
      sc_json_writer_int (w, p->row);
      sc_json_writer_key (w, "counterpart");
      write_index_or_null (w, p->counterpart);
      sc_json_writer_end_object (w);
    }
  sc_json_writer_end_array (w);

  sc_json_writer_key (w, "findings");
  sc_json_writer_begin_array (w);
  for (guint i = 0; i < findings->len; i++)
    {
      ScPageFinding *pf = g_ptr_array_index (findings, i);

      sc_json_writer_begin_object (w);
      sc_json_writer_key (w, "category");
      sc_json_writer_string (w, sc_finding_category_to_string (pf->finding->category));
      sc_json_writer_key (w, "text");
      sc_json_writer_string (w, pf->finding->text);
      sc_json_writer_key (w, "value");
      if (pf->finding->value != NULL)
        sc_json_writer_string (w, pf->finding->value);
      else
        sc_json_writer_null (w);
      sc_json_writer_key (w, "page");
      sc_json_writer_int (w, pf->page + 1);
      sc_json_writer_key (w, "start");
      sc_json_writer_int (w, (gint64) pf->doc_start);
      sc_json_writer_key (w, "end");
      sc_json_writer_int (w, (gint64) pf->doc_end);
      sc_json_writer_end_object (w);
    }
  sc_json_writer_end_array (w);
  sc_json_writer_end_object (w);
}

static void
write_json (ScComparison *comparison,
            const char   *const *paths,
            ScDocument  **documents,
            ScAnalysis  **analyses,
            const char   *device)
{
  GArray *rows = sc_comparison_get_alignment (comparison);
  GArray *changes = sc_comparison_get_changes (comparison);
  g_autoptr(GArray) links = sc_compare_link_findings (sc_analysis_get_findings (analyses[0]),
                                                      sc_analysis_get_findings (analyses[1]));
  GPtrArray *findings_a = sc_analysis_get_findings (analyses[0]);
  g_autofree char *json = NULL;
  ScCompareStats stats;
  ScJsonWriter *w = sc_json_writer_new (TRUE);

  sc_comparison_get_stats (comparison, &stats);
  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "a");
  write_side (w, comparison, SC_COMPARE_SIDE_A, paths[0], documents[0], analyses[0]);
  sc_json_writer_key (w, "b");
  write_side (w, comparison, SC_COMPARE_SIDE_B, paths[1], documents[1], analyses[1]);

  sc_json_writer_key (w, "model");
  if (sc_analysis_get_model_name (analyses[0]) != NULL)
    {
      sc_json_writer_begin_object (w);
      sc_json_writer_key (w, "name");
      sc_json_writer_string (w, sc_analysis_get_model_name (analyses[0]));
      sc_json_writer_key (w, "version");
      sc_json_writer_string (w, sc_analysis_get_model_version (analyses[0]));
      sc_json_writer_key (w, "device");
      sc_json_writer_string (w, device);
      sc_json_writer_end_object (w);
    }
  else
    {
      sc_json_writer_null (w);
    }

  sc_json_writer_key (w, "summary");
  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "paragraphs_matched");
  sc_json_writer_int (w, stats.paragraphs_matched);
  sc_json_writer_key (w, "paragraphs_identical");
  sc_json_writer_int (w, stats.paragraphs_identical);
  sc_json_writer_key (w, "paragraphs_removed");
  sc_json_writer_int (w, stats.paragraphs_removed);
  sc_json_writer_key (w, "paragraphs_added");
  sc_json_writer_int (w, stats.paragraphs_added);
  sc_json_writer_key (w, "paragraphs_moved");
  sc_json_writer_int (w, stats.paragraphs_moved);
  sc_json_writer_key (w, "words_removed");
  sc_json_writer_int (w, stats.words_removed);
  sc_json_writer_key (w, "words_added");
  sc_json_writer_int (w, stats.words_added);
  sc_json_writer_key (w, "words_changed");
  sc_json_writer_int (w, stats.words_changed);
  sc_json_writer_key (w, "words_changed_to");
  sc_json_writer_int (w, stats.words_changed_to);
  sc_json_writer_end_object (w);

  sc_json_writer_key (w, "alignment");
  sc_json_writer_begin_array (w);
  for (guint r = 0; r < rows->len; r++)
    {
      ScCompareRow *row = &g_array_index (rows, ScCompareRow, r);

      sc_json_writer_begin_object (w);
      sc_json_writer_key (w, "a");
      write_index_or_null (w, row->a);
      sc_json_writer_key (w, "b");
      write_index_or_null (w, row->b);
      sc_json_writer_key (w, "similarity");
      sc_json_writer_double (w, row->similarity);
      sc_json_writer_key (w, "moved");
      write_index_or_null (w, row->moved);
      sc_json_writer_end_object (w);
    }
  sc_json_writer_end_array (w);

  sc_json_writer_key (w, "changes");
  sc_json_writer_begin_array (w);
  for (guint c = 0; c < changes->len; c++)
    {
      ScCompareChange *change = &g_array_index (changes, ScCompareChange, c);

      sc_json_writer_begin_object (w);
      sc_json_writer_key (w, "kind");
      sc_json_writer_string (w, sc_compare_change_kind_to_string (change->kind));
      sc_json_writer_key (w, "row");
      sc_json_writer_int (w, change->row);
      sc_json_writer_key (w, "a");
      write_range (w, comparison, SC_COMPARE_SIDE_A, &change->a, TRUE);
      sc_json_writer_key (w, "b");
      write_range (w, comparison, SC_COMPARE_SIDE_B, &change->b, TRUE);
      sc_json_writer_key (w, "words_a");
      sc_json_writer_int (w, change->n_words_a);
      sc_json_writer_key (w, "words_b");
      sc_json_writer_int (w, change->n_words_b);
      sc_json_writer_end_object (w);
    }
  sc_json_writer_end_array (w);

  sc_json_writer_key (w, "links");
  sc_json_writer_begin_array (w);
  for (guint l = 0; l < links->len; l++)
    {
      ScCompareLink *link = &g_array_index (links, ScCompareLink, l);
      ScPageFinding *pf = g_ptr_array_index (findings_a, link->a);

      sc_json_writer_begin_object (w);
      sc_json_writer_key (w, "a");
      sc_json_writer_int (w, link->a);
      sc_json_writer_key (w, "b");
      sc_json_writer_int (w, link->b);
      sc_json_writer_key (w, "category");
      sc_json_writer_string (w, sc_finding_category_to_string (pf->finding->category));
      sc_json_writer_end_object (w);
    }
  sc_json_writer_end_array (w);
  sc_json_writer_end_object (w);

  json = sc_json_writer_free_to_string (w);
  fputs (json, stdout);
  fputc ('\n', stdout);
}

/* ---- Summary ----------------------------------------------------------------------------- */

/* @text on one line with blanks collapsed, cut to EXCERPT_WIDTH characters. */
static char *
excerpt (const char *text)
{
  GString *out = g_string_new (NULL);
  guint n = 0;
  gboolean blank = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          blank = out->len > 0;
          continue;
        }
      if (n >= EXCERPT_WIDTH - 1)
        {
          g_string_append (out, "…");
          break;
        }
      if (blank)
        {
          g_string_append_c (out, ' ');
          n++;
          blank = FALSE;
        }
      g_string_append_unichar (out, c);
      n++;
    }
  return g_string_free (out, FALSE);
}

static void
write_side_line (const char *label,
                 const char *path,
                 ScDocument *document,
                 guint       n_paragraphs)
{
  guint n_pages = sc_document_get_n_pages (document);

  printf ("%s: %s (", label, path);
  printf (g_dngettext (GETTEXT_PACKAGE, "%u page", "%u pages", n_pages), n_pages);
  printf (", ");
  printf (g_dngettext (GETTEXT_PACKAGE, "%u paragraph", "%u paragraphs", n_paragraphs),
          n_paragraphs);
  printf (")\n");
}

static void
write_summary (ScComparison       *comparison,
               const char *const  *paths,
               ScDocument        **documents)
{
  GArray *changes = sc_comparison_get_changes (comparison);
  ScCompareStats stats;

  sc_comparison_get_stats (comparison, &stats);
  write_side_line ("A", paths[0], documents[0], stats.paragraphs_a);
  write_side_line ("B", paths[1], documents[1], stats.paragraphs_b);
  printf ("\n");
  printf (_("Paragraphs: %u matched (%u unchanged), %u removed, %u added, %u moved"),
          stats.paragraphs_matched, stats.paragraphs_identical, stats.paragraphs_removed,
          stats.paragraphs_added, stats.paragraphs_moved);
  printf ("\n");
  printf (_("Words: %u removed, %u added, %u changed into %u"), stats.words_removed,
          stats.words_added, stats.words_changed, stats.words_changed_to);
  printf ("\n\n");

  if (changes->len == 0)
    {
      printf ("%s\n", _("No differences"));
      return;
    }
  for (guint c = 0; c < changes->len; c++)
    {
      ScCompareChange *change = &g_array_index (changes, ScCompareChange, c);
      g_autofree char *text_a = range_text (comparison, SC_COMPARE_SIDE_A, &change->a);
      g_autofree char *text_b = range_text (comparison, SC_COMPARE_SIDE_B, &change->b);
      g_autofree char *short_a = excerpt (text_a);
      g_autofree char *short_b = excerpt (text_b);
      const char *kind;

      switch (change->kind)
        {
        case SC_COMPARE_ADDED:
          kind = _("Added");
          break;
        case SC_COMPARE_REMOVED:
          kind = _("Removed");
          break;
        case SC_COMPARE_CHANGED:
        default:
          kind = _("Changed");
          break;
        }
      /* Translators: a change between two documents: its kind, then the page in A and in B. */
      printf (_("%s, page %u → %u:"), kind, change->a.page + 1, change->b.page + 1);
      if (change->kind == SC_COMPARE_CHANGED)
        printf (" “%s” → “%s”\n", short_a, short_b);
      else
        printf (" “%s”\n", change->kind == SC_COMPARE_ADDED ? short_b : short_a);
    }
}

/* ---- The command ------------------------------------------------------------------------- */

int
sc_cli_compare (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScDocument) document_a = NULL;
  g_autoptr(ScDocument) document_b = NULL;
  g_autoptr(ScComparison) comparison = NULL;
  g_autoptr(ScAnalyzer) analyzer = NULL;
  g_autoptr(ScAnalysis) analysis_a = NULL;
  g_autoptr(ScAnalysis) analysis_b = NULL;
  g_autofree char *model_path = NULL;
  g_autofree char *device = NULL;
  g_autofree char *backend_name = NULL;
  g_auto(GStrv) args = NULL;
  gboolean json = FALSE, no_model = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the comparison as JSON, with the findings of both files linked"), NULL },
    { "device", 'd', 0, G_OPTION_ARG_STRING, &device,
      N_("Compute device: cpu, vulkan, auto (default) or a Vulkan device"), N_("DEVICE") },
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path,
      N_("Findings model (default: the installed one)"), N_("FILE") },
    { "no-model", 0, 0, G_OPTION_ARG_NONE, &no_model,
      N_("Use the rules and gazetteers only"), NULL },
    { NULL },
  };

  context = g_option_context_new (_("FILE_A FILE_B"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Compare two PDF or text files paragraph by "
                                           "paragraph: the words removed, added or changed."));

  args = sc_cli_parse (context, argc, argv);
  if (args == NULL)
    return 2;
  if (g_strv_length (args) != 3)
    {
      sc_cli_fail (_("usage: sichtung-cli compare FILE_A FILE_B [--json] [--device D] "
                     "[--model FILE | --no-model]"));
      return 2;
    }
  if (no_model && model_path != NULL)
    return sc_cli_fail (_("--model and --no-model exclude each other"));

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (args[i + 1]);
      ScDocument *document = sc_document_new_from_file (file, NULL, NULL, &error);

      if (document == NULL)
        return sc_cli_fail ("%s", error->message);
      if (i == 0)
        document_a = document;
      else
        document_b = document;
    }

  comparison = sc_compare_documents (document_a, document_b, NULL, &error);
  if (comparison == NULL)
    return sc_cli_fail ("%s", error->message);

  if (!json)
    {
      write_summary (comparison, (const char *const *) args + 1,
                     (ScDocument *[]) { document_a, document_b });
    }
  else
    {
      /* The findings are linked in the JSON only: the summary stays quick. */
      analyzer = sc_cli_new_analyzer (model_path, no_model, device, 0, &backend_name);
      if (analyzer == NULL)
        return 1;
      analysis_a = sc_analyzer_run (analyzer, document_a, NULL, NULL, NULL, &error);
      if (analysis_a == NULL)
        return sc_cli_fail ("%s: %s", args[1], error->message);
      analysis_b = sc_analyzer_run (analyzer, document_b, NULL, NULL, NULL, &error);
      if (analysis_b == NULL)
        return sc_cli_fail ("%s: %s", args[2], error->message);
      write_json (comparison, (const char *const *) args + 1,
                  (ScDocument *[]) { document_a, document_b },
                  (ScAnalysis *[]) { analysis_a, analysis_b }, backend_name);
    }
  if (fflush (stdout) != 0)
    return sc_cli_fail (_("could not write the comparison: %s"), g_strerror (errno));
  return 0;
}
