/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cli-recognize.c: the `recognize` subcommand of sichtung-cli: every rule finding of a
 * text as JSON (category, span, value, confidence, explanation and steps), for checking the
 * recognisers by hand and in scripts. */
#define G_LOG_DOMAIN "sichtung-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "sichtung-core.h"
#include "sc-cli.h"

static void
write_finding (ScJsonWriter *w,
               ScFinding    *f)
{
  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "category");
  sc_json_writer_string (w, sc_finding_category_to_string (f->category));
  if (f->label != NULL)
    {
      sc_json_writer_key (w, "label");
      sc_json_writer_string (w, f->label);
    }
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
  sc_json_writer_key (w, "confidence");
  sc_json_writer_double (w, f->confidence);
  sc_json_writer_key (w, "source");
  sc_json_writer_string (w, sc_finding_source_to_string (f->source));
  sc_json_writer_key (w, "explanation");
  sc_json_writer_string (w, f->explanation != NULL ? f->explanation : "");
  if (f->steps != NULL)
    {
      sc_json_writer_key (w, "steps");
      sc_json_writer_begin_array (w);
      for (guint j = 0; j < f->steps->len; j++)
        sc_json_writer_string (w, g_ptr_array_index (f->steps, j));
      sc_json_writer_end_array (w);
    }
  sc_json_writer_end_object (w);
}

int
sc_cli_recognize (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *reference_text = NULL;
  g_autofree char *land_name = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *json = NULL;
  g_auto(GStrv) args = NULL;
  ScJsonWriter *w;
  GDate reference;
  gboolean have_reference = FALSE;
  ScLand land = SC_LAND_DEFAULT;
  gsize length = 0;
  GOptionEntry entries[] = {
    { "reference", 'r', 0, G_OPTION_ARG_STRING, &reference_text,
      N_("Reference date (YYYY-MM-DD) for dates without a year and for deadlines"),
      N_("DATE") },
    { "land", 'l', 0, G_OPTION_ARG_STRING, &land_name,
      N_("Federal state for public holidays (default RP)"), N_("CODE") },
    { NULL },
  };

  context = g_option_context_new (_("FILE"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Print the rule findings of a text as JSON."));

  args = sc_cli_parse (context, argc, argv);
  if (args == NULL)
    return 2;
  if (g_strv_length (args) != 2)
    {
      sc_cli_fail (_("usage: sichtung-cli recognize FILE [--reference YYYY-MM-DD] "
                     "[--land CODE]"));
      return 2;
    }
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
  if (!g_file_get_contents (args[1], &contents, &length, &error))
    return sc_cli_fail ("%s", error->message);

  found = sc_recognize (contents, (gssize) length, have_reference ? &reference : NULL, land,
                        SC_RECOGNIZE_DEFAULT, &error);
  if (found == NULL)
    return sc_cli_fail ("%s: %s", args[1], error->message);

  w = sc_json_writer_new (TRUE);
  sc_json_writer_begin_array (w);
  for (guint i = 0; i < found->len; i++)
    write_finding (w, g_ptr_array_index (found, i));
  sc_json_writer_end_array (w);
  json = sc_json_writer_free_to_string (w);
  fputs (json, stdout);
  return 0;
}
