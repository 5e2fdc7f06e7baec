/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cli-tokenize.c: the `tokenize` subcommand of sichtung-cli: a model's token ids for a text,
 * as JSON, so tools/crosscheck/ can hold them against llama.cpp's. */
#define G_LOG_DOMAIN "sichtung-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "sichtung-core.h"
#include "sc-gguf.h"
#include "sc-tokenizer.h"
#include "sc-cli.h"

static gboolean
print_ids (ScTokenizer  *tok,
           const char   *text,
           gsize         len,
           gboolean      bos,
           gboolean      special,
           GError      **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GString) out = g_string_new ("[");

  if (!sc_tokenizer_encode (tok, text, (gssize) len, bos, special, ids, error))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (out, i > 0 ? ",%d" : "%d", g_array_index (ids, gint32, i));
  g_string_append (out, "]\n");
  fputs (out->str, stdout);
  return TRUE;
}

int
sc_cli_tokenize (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScGguf) gguf = NULL;
  g_autoptr(ScTokenizer) tok = NULL;
  g_autofree char *model = NULL;
  g_autofree char *text = NULL;
  g_autofree char *file = NULL;
  g_autofree char *lines_file = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) args = NULL;
  gboolean bos = FALSE;
  gboolean special = FALSE;
  gsize length = 0;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model, N_("GGUF model file"), N_("FILE") },
    { "text", 't', 0, G_OPTION_ARG_STRING, &text, N_("Text to tokenize"), N_("TEXT") },
    { "file", 'f', 0, G_OPTION_ARG_FILENAME, &file,
      N_("Tokenize the whole content of a file"), N_("FILE") },
    { "lines", 'l', 0, G_OPTION_ARG_FILENAME, &lines_file,
      N_("Tokenize each line of a file, one JSON array per line"), N_("FILE") },
    { "bos", 'b', 0, G_OPTION_ARG_NONE, &bos,
      N_("Add BOS/EOS as the model asks for"), NULL },
    { "special", 's', 0, G_OPTION_ARG_NONE, &special,
      N_("Recognise special-token texts such as <|im_start|>"), NULL },
    { NULL },
  };

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Print a model's token ids for a text as JSON."));

  args = sc_cli_parse (context, argc, argv);
  if (args == NULL)
    return 2;
  if (model == NULL || g_strv_length (args) != 1 ||
      (text != NULL) + (file != NULL) + (lines_file != NULL) != 1)
    {
      sc_cli_fail (_("usage: sichtung-cli tokenize --model FILE (--text TEXT | --file FILE | "
                     "--lines FILE) [--bos] [--special]"));
      return 2;
    }

  gguf = sc_gguf_open (model, &error);
  if (gguf == NULL)
    return sc_cli_fail ("%s", error->message);
  tok = sc_tokenizer_new_from_gguf (gguf, &error);
  if (tok == NULL)
    return sc_cli_fail ("%s: %s", model, error->message);

  if (text != NULL)
    {
      if (!print_ids (tok, text, strlen (text), bos, special, &error))
        return sc_cli_fail ("%s", error->message);
      return 0;
    }

  if (!g_file_get_contents (file != NULL ? file : lines_file, &contents, &length, &error))
    return sc_cli_fail ("%s", error->message);

  if (file != NULL)
    {
      if (!print_ids (tok, contents, length, bos, special, &error))
        return sc_cli_fail ("%s", error->message);
      return 0;
    }

  /* one array per line; a final newline does not start another line */
  for (gsize start = 0; start < length;)
    {
      const char *nl = memchr (contents + start, '\n', length - start);
      gsize end = nl != NULL ? (gsize) (nl - contents) : length;

      if (!print_ids (tok, contents + start, end - start, bos, special, &error))
        return sc_cli_fail ("%s", error->message);
      start = end + 1;
    }
  return 0;
}
