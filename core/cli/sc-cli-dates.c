/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cli-dates.c: the `dates` subcommand of sichtung-cli: the dates of a text as JSON, one
 * compact array per input line with --input-format lines (offsets in code points of the
 * line), so tools/eval/eval-dates can hold them against annotated corpora. */
#define G_LOG_DOMAIN "sichtung-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "sichtung-core.h"
#include "sc-cli.h"

static void
print_dates (const char   *text,
             gsize         length,
             const GDate  *reference,
             ScDatesFlags  flags,
             gboolean      deadlines,
             ScLand        land)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_finding_unref);
  ScJsonWriter *w = sc_json_writer_new (FALSE);
  g_autofree char *json = NULL;

  sc_dates_find_full (text, (gssize) length, reference, flags, found);
  if (deadlines)
    sc_deadlines_find (text, (gssize) length, reference, land, found);
  sc_findings_sort (found);

  sc_json_writer_begin_array (w);
  for (guint i = 0; i < found->len; i++)
    {
      ScFinding *f = g_ptr_array_index (found, i);

      sc_json_writer_begin_object (w);
      sc_json_writer_key (w, "start");
      sc_json_writer_int (w, (gint64) f->cp_start);
      sc_json_writer_key (w, "end");
      sc_json_writer_int (w, (gint64) f->cp_end);
      sc_json_writer_key (w, "text");
      sc_json_writer_string (w, f->text);
      sc_json_writer_key (w, "value");
      if (f->value != NULL)
        sc_json_writer_string (w, f->value);
      else
        sc_json_writer_null (w);
      if (deadlines)
        {
          sc_json_writer_key (w, "category");
          sc_json_writer_string (w, sc_finding_category_to_string (f->category));
          sc_json_writer_key (w, "explanation");
          sc_json_writer_string (w, f->explanation);
          if (f->steps != NULL)
            {
              sc_json_writer_key (w, "steps");
              sc_json_writer_begin_array (w);
              for (guint j = 0; j < f->steps->len; j++)
                sc_json_writer_string (w, g_ptr_array_index (f->steps, j));
              sc_json_writer_end_array (w);
            }
        }
      sc_json_writer_end_object (w);
    }
  sc_json_writer_end_array (w);
  json = sc_json_writer_free_to_string (w);
  printf ("%s\n", json);
}

int
sc_cli_dates (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input_format = NULL;
  g_autofree char *reference_text = NULL;
  g_autofree char *land_name = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) args = NULL;
  gboolean bare_years = FALSE;
  gboolean deadlines = FALSE;
  GDate reference;
  gboolean have_reference = FALSE;
  ScDatesFlags flags = SC_DATES_DEFAULT;
  ScLand land = SC_LAND_DEFAULT;
  gsize length = 0;
  GOptionEntry entries[] = {
    { "input-format", 'i', 0, G_OPTION_ARG_STRING, &input_format,
      N_("“text” (the whole file, default) or “lines” (one JSON array per line)"),
      N_("FORMAT") },
    { "reference", 'r', 0, G_OPTION_ARG_STRING, &reference_text,
      N_("Reference date (YYYY-MM-DD) for dates without a year and for deadlines"),
      N_("DATE") },
    { "bare-years", 0, 0, G_OPTION_ARG_NONE, &bare_years,
      N_("Also report years that stand alone"), NULL },
    { "deadlines", 'd', 0, G_OPTION_ARG_NONE, &deadlines,
      N_("Also report deadlines with their computation"), NULL },
    { "land", 'l', 0, G_OPTION_ARG_STRING, &land_name,
      N_("Federal state for public holidays (default RP)"), N_("CODE") },
    { NULL },
  };

  context = g_option_context_new (_("FILE"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Print the dates of a text as JSON."));

  args = sc_cli_parse (context, argc, argv);
  if (args == NULL)
    return 2;
  if (g_strv_length (args) != 2 ||
      (input_format != NULL && !g_str_equal (input_format, "lines") &&
       !g_str_equal (input_format, "text")))
    {
      sc_cli_fail (_("usage: sichtung-cli dates FILE [--input-format text|lines] "
                     "[--reference YYYY-MM-DD] [--bare-years] [--deadlines] [--land CODE]"));
      return 2;
    }
  if (bare_years)
    flags |= SC_DATES_BARE_YEARS;
  if (land_name != NULL)
    {
      int l = sc_land_from_string (land_name);

      if (l < 0)
        return sc_cli_fail (_("unknown federal state “%s”"), land_name);
      land = (ScLand) l;
    }
  if (reference_text != NULL)
    {
      guint y, m, d;

      if (sscanf (reference_text, "%4u-%2u-%2u", &y, &m, &d) != 3 ||
          !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
        return sc_cli_fail (_("invalid reference date “%s”"), reference_text);
      g_date_clear (&reference, 1);
      g_date_set_dmy (&reference, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
      have_reference = TRUE;
    }

  if (g_str_equal (args[1], "-"))
    {
      g_autoptr(GString) all = g_string_new (NULL);
      char buf[65536];
      size_t n;

      while ((n = fread (buf, 1, sizeof buf, stdin)) > 0)
        g_string_append_len (all, buf, (gssize) n);
      length = all->len;
      contents = g_string_free (g_steal_pointer (&all), FALSE);
    }
  else if (!g_file_get_contents (args[1], &contents, &length, &error))
    return sc_cli_fail ("%s", error->message);
  if (!g_utf8_validate (contents, (gssize) length, NULL))
    return sc_cli_fail (_("“%s” is not valid UTF-8"), args[1]);

  if (input_format == NULL || g_str_equal (input_format, "text"))
    {
      print_dates (contents, length, have_reference ? &reference : NULL, flags, deadlines, land);
      return 0;
    }

  /* one array per line; a final newline does not start another line */
  for (gsize start = 0; start < length;)
    {
      const char *nl = memchr (contents + start, '\n', length - start);
      gsize end = nl != NULL ? (gsize) (nl - contents) : length;
      gsize line_end = end;

      if (line_end > start && contents[line_end - 1] == '\r')
        line_end--;
      print_dates (contents + start, line_end - start, have_reference ? &reference : NULL,
                   flags, deadlines, land);
      start = end + 1;
    }
  return 0;
}
