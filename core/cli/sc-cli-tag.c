/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cli-tag.c: the `tag` subcommand of sichtung-cli: tags a CoNLL file (one token per line,
 * the first column; blank lines between sentences) with the named-entity model and prints
 * "token<TAB>tag" in IOB2, the same tokens and sentence breaks, for scoring from outside
 * (tools/train/eval_cli.py).
 *
 * Tag sets: "ler", the 19 classes of the LER corpus (the model's other types are never chosen,
 * as tools/train/evaluate.py masks them); "coarse", LER's 7 coarse classes (the fine LER tags
 * mapped after the IOB2 repair, so spans are those evaluate.py scores); "all", every label of
 * the model. */
#define G_LOG_DOMAIN "sichtung-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "sichtung-core.h"
#include "sc-ner.h"
#include "sc-cli.h"

/* The LER fine types and their coarse class. */
static const struct
{
  const char *fine;
  const char *coarse;
} ler_types[] = {
  { "PER", "PER" }, { "RR", "PER" }, { "AN", "PER" },
  { "LD", "LOC" }, { "ST", "LOC" }, { "STR", "LOC" }, { "LDS", "LOC" },
  { "ORG", "ORG" }, { "UN", "ORG" }, { "INN", "ORG" }, { "GRT", "ORG" }, { "MRK", "ORG" },
  { "GS", "NRM" }, { "VO", "NRM" }, { "EUN", "NRM" },
  { "VS", "REG" }, { "VT", "REG" },
  { "RS", "RS" },
  { "LIT", "LIT" },
};

typedef enum
{
  TAGSET_LER,
  TAGSET_COARSE,
  TAGSET_ALL,
} Tagset;

/* The LER type of @label ("B-RR" → 1), -1 for "O" and non-LER types. */
static int
ler_type_of (const char *label)
{
  if (strlen (label) < 3 || label[1] != '-')
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS (ler_types); i++)
    if (g_str_equal (label + 2, ler_types[i].fine))
      return (int) i;
  return -1;
}

/* Reads the CoNLL text: every non-blank line's first column is a token, blank lines end
 * sentences. @tokens receives the tokens (owned), @lengths the words per sentence (gsize). */
static void
read_conll (char      *contents,
            GPtrArray *tokens,
            GArray    *lengths)
{
  gsize n = 0;
  char *line = contents;

  while (line != NULL && *line != '\0')
    {
      char *next = strchr (line, '\n');
      char *p = line, *end;

      if (next != NULL)
        *next++ = '\0';
      while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\v' || *p == '\f')
        p++;
      if (*p == '\0')
        {
          if (n > 0)
            g_array_append_val (lengths, n);
          n = 0;
        }
      else
        {
          end = p;
          while (*end != '\0' && *end != ' ' && *end != '\t' && *end != '\r' && *end != '\v' &&
                 *end != '\f')
            end++;
          g_ptr_array_add (tokens, g_strndup (p, (gsize) (end - p)));
          n++;
        }
      line = next;
    }
  if (n > 0)
    g_array_append_val (lengths, n);
}

int
sc_cli_tag (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScBackend) backend = NULL;
  g_autoptr(ScNer) ner = NULL;
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) lengths = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GString) out = NULL;
  g_autofree char *input_format = NULL;
  g_autofree char *tagset_name = NULL;
  g_autofree char *device = NULL;
  g_autofree char *model = NULL;
  g_autofree char *fallback = NULL;
  g_autofree char *contents = NULL;
  g_autofree guint *labels = NULL;
  g_autofree float *probs = NULL;
  g_autofree gboolean *allowed = NULL;
  g_autofree const char **tags = NULL;
  g_auto(GStrv) args = NULL;
  Tagset tagset = TAGSET_LER;
  int threads = 0;
  guint n_labels;
  gsize w = 0;
  GOptionEntry entries[] = {
    { "input-format", 'f', 0, G_OPTION_ARG_STRING, &input_format,
      N_("Input format: conll (one token per line, blank lines between sentences)"),
      N_("FORMAT") },
    { "tagset", 't', 0, G_OPTION_ARG_STRING, &tagset_name,
      N_("Tags to print: ler (19 classes, default), coarse (7 classes) or all"), N_("SET") },
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model,
      N_("GGUF model file (default: the installed tagging model)"), N_("FILE") },
    { "device", 'd', 0, G_OPTION_ARG_STRING, &device,
      N_("Compute device: cpu, vulkan, auto (default) or a Vulkan device"), N_("DEVICE") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads,
      N_("CPU threads (default: all cores)"), N_("N") },
    { NULL },
  };

  context = g_option_context_new (_("FILE"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Tag the tokens of a CoNLL file with the named-entity model "
                                  "(IOB2; “-” reads standard input)."));

  args = sc_cli_parse (context, argc, argv);
  if (args == NULL)
    return 2;
  if (g_strv_length (args) != 2)
    {
      sc_cli_fail (_("usage: sichtung-cli tag FILE --input-format conll "
                     "[--tagset ler|coarse|all] [--device D] [--model FILE]"));
      return 2;
    }
  if (input_format == NULL || !g_str_equal (input_format, "conll"))
    return sc_cli_fail (_("unknown input format “%s” (only conll is supported)"),
                        input_format != NULL ? input_format : "");
  if (tagset_name == NULL || g_str_equal (tagset_name, "ler"))
    tagset = TAGSET_LER;
  else if (g_str_equal (tagset_name, "coarse"))
    tagset = TAGSET_COARSE;
  else if (g_str_equal (tagset_name, "all"))
    tagset = TAGSET_ALL;
  else
    return sc_cli_fail (_("unknown tag set “%s” (ler, coarse or all)"), tagset_name);

  if (g_str_equal (args[1], "-"))
    {
      g_autoptr(GString) in = g_string_new (NULL);
      char buf[65536];
      size_t n;

      while ((n = fread (buf, 1, sizeof buf, stdin)) > 0)
        g_string_append_len (in, buf, (gssize) n);
      contents = g_string_free (g_steal_pointer (&in), FALSE);
    }
  else if (!g_file_get_contents (args[1], &contents, NULL, &error))
    return sc_cli_fail ("%s", error->message);
  read_conll (contents, tokens, lengths);

  if (model == NULL)
    {
      model = sc_ner_find_default_model ();
      if (model == NULL)
        return sc_cli_fail (_("no tagging model found (install sichtung-ner.gguf, set "
                              "SICHTUNG_MODEL_DIR or pass --model)"));
    }
  /* "vulkan": the best Vulkan device, failing rather than falling back to the CPU. */
  if (device != NULL && g_ascii_strcasecmp (device, "vulkan") == 0)
    backend = sc_backend_vulkan_new ("auto", &error);
  else
    backend = sc_backend_new (device, &fallback, &error);
  if (backend == NULL)
    return sc_cli_fail ("%s", error->message);
  if (fallback != NULL)
    fprintf (stderr, "sichtung-cli: %s\n", fallback);
  if (SC_IS_BACKEND_CPU (backend) && threads > 0)
    sc_backend_cpu_set_n_threads (SC_BACKEND_CPU (backend), threads);
  ner = sc_ner_load (model, backend, &error);
  if (ner == NULL)
    return sc_cli_fail ("%s", error->message);

  n_labels = sc_ner_get_n_labels (ner);
  allowed = g_new0 (gboolean, n_labels);
  for (guint k = 0; k < n_labels; k++)
    {
      const char *label = sc_ner_get_label (ner, k);

      allowed[k] = tagset == TAGSET_ALL || g_str_equal (label, "O") || ler_type_of (label) >= 0;
    }

  labels = g_new (guint, MAX (tokens->len, 1));
  probs = g_new (float, (gsize) MAX (tokens->len, 1) * n_labels);
  if (!sc_ner_tag_sentences (ner, (const char *const *) tokens->pdata,
                             (const gsize *) (void *) lengths->data, lengths->len, labels, probs,
                             NULL, &error))
    return sc_cli_fail ("%s", error->message);

  /* The best valid IOB2 sequence of allowed labels, sentence by sentence. */
  for (guint s = 0; s < lengths->len; s++)
    {
      const gsize n = g_array_index (lengths, gsize, s);

      sc_ner_decode (ner, probs + w * n_labels, n, allowed, labels + w);
      w += n;
    }
  w = 0;
  tags = g_new0 (const char *, MAX (tokens->len, 1));
  for (guint i = 0; i < tokens->len; i++)
    tags[i] = sc_ner_get_label (ner, labels[i]);

  out = g_string_new (NULL);
  for (guint s = 0; s < lengths->len; s++)
    {
      const gsize n = g_array_index (lengths, gsize, s);
      g_autofree char *prev = NULL;

      for (gsize i = 0; i < n; i++, w++)
        {
          const char *tag = tags[w];
          char *fixed;

          /* IOB2: an I- that does not continue its own type starts a name */
          if (tag[0] == 'I' && (prev == NULL || prev[0] == 'O' || !g_str_equal (prev + 1, tag + 1)))
            fixed = g_strdup_printf ("B%s", tag + 1);
          else
            fixed = g_strdup (tag);

          g_string_append (out, g_ptr_array_index (tokens, w));
          g_string_append_c (out, '\t');
          if (tagset == TAGSET_COARSE && fixed[0] != 'O')
            g_string_append_printf (out, "%c-%s", fixed[0], ler_types[ler_type_of (fixed)].coarse);
          else
            g_string_append (out, fixed);
          g_string_append_c (out, '\n');
          g_free (prev);
          prev = fixed;
        }
      g_string_append_c (out, '\n');
    }
  fwrite (out->str, 1, out->len, stdout);
  return fflush (stdout) == 0 ? 0 : sc_cli_fail (_("cannot write the output"));
}
