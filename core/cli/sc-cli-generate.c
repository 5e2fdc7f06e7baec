/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cli-generate.c: the language-model subcommands of sichtung-cli:
 *
 *   generate  continue a prompt (greedy or sampled), print the text and token ids as JSON
 *   score     teacher-forced pass over given token ids: argmax after each position and the
 *             summed log-probability of the sequence (tools/crosscheck/ compares it with
 *             llama.cpp)
 *   bench     prompt-processing and generation speed (tools/bench/)
 */
#define G_LOG_DOMAIN "sichtung-cli"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <glib/gi18n.h>

#include "sichtung-core.h"
#include "sc-model.h"
#include "sc-sampler.h"
#include "sc-cli.h"

/* ---------------------------------------------------------------- shared */

typedef struct
{
  char *model;
  char *device;
  int   threads;
  int   n_ctx;
} CommonOptions;

static void
common_options_clear (CommonOptions *o)
{
  g_clear_pointer (&o->model, g_free);
  g_clear_pointer (&o->device, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CommonOptions, common_options_clear)

static void
add_common_entries (GOptionContext *context,
                    CommonOptions  *o)
{
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &o->model, N_("GGUF model file"), N_("FILE") },
    { "device", 'd', 0, G_OPTION_ARG_STRING, &o->device,
      N_("Compute device: cpu, vulkan, auto (default) or a Vulkan device"), N_("DEVICE") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &o->threads,
      N_("CPU threads (default: all cores)"), N_("N") },
    { "ctx", 0, 0, G_OPTION_ARG_INT, &o->n_ctx,
      N_("Context size in tokens (default: what the command needs)"), N_("N") },
    { NULL },
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

/* Parses @argv (argv[0] is the subcommand) with @context; on failure prints the message and
 * returns FALSE. */
static gboolean
parse_args (GOptionContext *context,
            int             argc,
            char          **argv)
{
  g_auto(GStrv) args = sc_cli_parse (context, argc, argv);

  if (args == NULL)
    return FALSE;
  if (g_strv_length (args) != 1)
    {
      sc_cli_fail (_("unexpected argument “%s”"), args[1]);
      return FALSE;
    }
  return TRUE;
}

static ScModel *
open_model (const CommonOptions *o,
            GError             **error)
{
  g_autoptr(ScBackend) backend = NULL;
  g_autofree char *fallback = NULL;

  /* "vulkan": the best Vulkan device, failing rather than falling back to the CPU. */
  if (o->device != NULL && g_ascii_strcasecmp (o->device, "vulkan") == 0)
    backend = sc_backend_vulkan_new ("auto", error);
  else
    backend = sc_backend_new (o->device, &fallback, error);
  if (backend == NULL)
    return NULL;
  if (fallback != NULL)
    fprintf (stderr, "sichtung-cli: %s\n", fallback);
  if (SC_IS_BACKEND_CPU (backend) && o->threads > 0)
    sc_backend_cpu_set_n_threads (SC_BACKEND_CPU (backend), o->threads);
  return sc_model_load (o->model, backend, error);
}

static ScContext *
new_context (ScModel  *model,
             guint     n_needed,
             int       n_ctx_option,
             GError  **error)
{
  ScContextParams params;

  sc_context_params_init (&params);
  params.n_ctx = n_ctx_option > 0 ? (guint) n_ctx_option : MAX (n_needed, 1);
  return sc_context_new (model, &params, error);
}

/* Whitespace-separated token ids. */
static GArray *
read_ids (const char  *path,
          GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) words = NULL;
  GArray *ids;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  words = g_strsplit_set (contents, " \t\r\n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      gint64 v;

      if (words[i][0] == '\0')
        continue;
      if (!g_ascii_string_to_signed (words[i], 10, 0, G_MAXINT32, &v, NULL))
        {
          g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                       _("“%s” in %s is not a token id"), words[i], path);
          g_array_unref (ids);
          return NULL;
        }
      g_array_append_vals (ids, &(gint32) { (gint32) v }, 1);
    }
  if (ids->len == 0)
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT, _("%s holds no token ids"),
                   path);
      g_array_unref (ids);
      return NULL;
    }
  return ids;
}

static void
write_ids (ScJsonWriter *w,
           const gint32 *ids,
           gsize         n)
{
  sc_json_writer_begin_array (w);
  for (gsize i = 0; i < n; i++)
    sc_json_writer_int (w, ids[i]);
  sc_json_writer_end_array (w);
}

static void
print_json (ScJsonWriter *w)
{
  g_autofree char *json = sc_json_writer_free_to_string (w);

  printf ("%s\n", json);
}

/* ---------------------------------------------------------------- generate */

int
sc_cli_generate (int    argc,
                 char **argv)
{
  g_auto(CommonOptions) o = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScModel) model = NULL;
  g_autoptr(ScContext) ctx = NULL;
  g_autoptr(ScSampler) sampler = NULL;
  g_autoptr(GArray) prompt_ids = NULL;
  g_autoptr(GArray) out_ids = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *text = NULL;
  ScSamplerParams sp;
  ScTokenizer *tok;
  ScJsonWriter *w;
  const char *stop = "length";
  int n_predict = 64;
  gint64 seed = 0;
  double temp, top_p, min_p;
  int top_k;
  gboolean stream = FALSE;
  GOptionEntry entries[] = {
    { "prompt", 'p', 0, G_OPTION_ARG_STRING, &prompt, N_("Text to continue"), N_("TEXT") },
    { "n", 'n', 0, G_OPTION_ARG_INT, &n_predict, N_("Tokens to generate (default 64)"),
      N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Random seed (default 0)"), N_("S") },
    { "temp", 0, 0, G_OPTION_ARG_DOUBLE, &temp,
      N_("Temperature; 0 is greedy (default 0.8)"), N_("X") },
    { "top-k", 0, 0, G_OPTION_ARG_INT, &top_k, N_("Top-k, 0 = off (default 40)"), N_("K") },
    { "top-p", 0, 0, G_OPTION_ARG_DOUBLE, &top_p, N_("Top-p, 1 = off (default 0.95)"),
      N_("P") },
    { "min-p", 0, 0, G_OPTION_ARG_DOUBLE, &min_p, N_("Min-p, 0 = off (default 0.05)"),
      N_("P") },
    { "stream", 's', 0, G_OPTION_ARG_NONE, &stream,
      N_("Also write the text to stderr as it is generated"), NULL },
    { NULL },
  };

  sc_sampler_params_init (&sp);
  temp = sp.temperature;
  top_k = sp.top_k;
  top_p = sp.top_p;
  min_p = sp.min_p;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Continue a prompt with a language model."));
  add_common_entries (context, &o);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_args (context, argc, argv))
    return 2;
  if (o.model == NULL || prompt == NULL || n_predict < 0)
    {
      sc_cli_fail (_("usage: sichtung-cli generate --model FILE --prompt TEXT [--n N] "
                     "[--device D] [--threads N] [--seed S] [--temp X] [--top-k K] "
                     "[--top-p P] [--min-p P] [--stream]"));
      return 2;
    }
  sp.temperature = (float) temp;
  sp.top_k = top_k;
  sp.top_p = (float) top_p;
  sp.min_p = (float) min_p;
  sp.seed = (guint64) seed;

  model = open_model (&o, &error);
  if (model == NULL)
    return sc_cli_fail ("%s", error->message);
  tok = sc_model_get_tokenizer (model);
  if (tok == NULL)
    return sc_cli_fail (_("%s has no vocabulary"), o.model);

  prompt_ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  if (!sc_tokenizer_encode (tok, prompt, -1, TRUE, FALSE, prompt_ids, &error))
    return sc_cli_fail ("%s", error->message);
  if (prompt_ids->len == 0)
    return sc_cli_fail (_("the prompt is empty"));

  ctx = new_context (model, prompt_ids->len + n_predict, o.n_ctx, &error);
  if (ctx == NULL)
    return sc_cli_fail ("%s", error->message);
  if (!sc_model_eval (ctx, (const gint32 *) prompt_ids->data, prompt_ids->len, FALSE, &error))
    return sc_cli_fail ("%s", error->message);

  sampler = sc_sampler_new (&sp);
  out_ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  for (int i = 0; i < n_predict; i++)
    {
      const float *logits = sc_context_get_logits (ctx, NULL);
      gint32 next = sc_sampler_sample (sampler, logits, sc_model_get_hparams (model)->n_vocab);

      if (sc_tokenizer_is_eog (tok, next))
        {
          stop = "eog";
          break;
        }
      g_array_append_val (out_ids, next);
      if (stream)
        {
          g_autoptr(GString) piece = g_string_new (NULL);

          if (sc_tokenizer_token_to_piece (tok, next, FALSE, piece, NULL))
            {
              fwrite (piece->str, 1, piece->len, stderr);
              fflush (stderr);
            }
        }
      if (i + 1 < n_predict && !sc_model_eval (ctx, &next, 1, FALSE, &error))
        return sc_cli_fail ("%s", error->message);
    }
  if (stream)
    fputc ('\n', stderr);

  text = sc_tokenizer_decode (tok, (const gint32 *) out_ids->data, out_ids->len, FALSE, NULL,
                              &error);
  if (text == NULL)
    return sc_cli_fail ("%s", error->message);

  w = sc_json_writer_new (FALSE);
  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "text");
  sc_json_writer_string (w, text);
  sc_json_writer_key (w, "tokens");
  write_ids (w, (const gint32 *) out_ids->data, out_ids->len);
  sc_json_writer_key (w, "prompt_tokens");
  write_ids (w, (const gint32 *) prompt_ids->data, prompt_ids->len);
  sc_json_writer_key (w, "stop");
  sc_json_writer_string (w, stop);
  sc_json_writer_key (w, "device");
  sc_json_writer_string (w, sc_backend_get_name (sc_model_get_backend (model)));
  sc_json_writer_end_object (w);
  print_json (w);
  return 0;
}

/* ---------------------------------------------------------------- score */

int
sc_cli_score (int    argc,
              char **argv)
{
  g_auto(CommonOptions) o = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScModel) model = NULL;
  g_autoptr(ScContext) ctx = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *ids_file = NULL;
  const gint32 *tokens;
  const float *logits;
  gsize n_vocab;
  double logprob_sum = 0;
  g_autofree double *logprobs = NULL;
  gboolean want_logprobs = FALSE;
  ScJsonWriter *w;
  GOptionEntry entries[] = {
    { "tokens-file", 'f', 0, G_OPTION_ARG_FILENAME, &ids_file,
      N_("Whitespace-separated token ids, used as they are (no BOS is added)"), N_("FILE") },
    { "logprobs", 0, 0, G_OPTION_ARG_NONE, &want_logprobs,
      N_("Also print log p(token[i+1] | prefix) for every position"), NULL },
    { NULL },
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Score a token sequence: the most likely next token after "
                                  "each position and the sequence’s log-probability."));
  add_common_entries (context, &o);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_args (context, argc, argv))
    return 2;
  if (o.model == NULL || ids_file == NULL)
    {
      sc_cli_fail (_("usage: sichtung-cli score --model FILE --tokens-file IDS [--device D] "
                     "[--threads N]"));
      return 2;
    }

  ids = read_ids (ids_file, &error);
  if (ids == NULL)
    return sc_cli_fail ("%s", error->message);
  model = open_model (&o, &error);
  if (model == NULL)
    return sc_cli_fail ("%s", error->message);
  ctx = new_context (model, ids->len, o.n_ctx, &error);
  if (ctx == NULL)
    return sc_cli_fail ("%s", error->message);
  tokens = (const gint32 *) ids->data;
  if (!sc_model_eval (ctx, tokens, ids->len, TRUE, &error))
    return sc_cli_fail ("%s", error->message);

  logits = sc_context_get_logits (ctx, NULL);
  n_vocab = sc_model_get_hparams (model)->n_vocab;
  logprobs = g_new0 (double, ids->len);

  w = sc_json_writer_new (FALSE);
  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "n");
  sc_json_writer_int (w, ids->len);
  sc_json_writer_key (w, "argmax");
  sc_json_writer_begin_array (w);
  for (guint i = 0; i < ids->len; i++)
    {
      const float *row = logits + (gsize) i * n_vocab;
      gint32 best = sc_sampler_argmax (row, n_vocab);

      sc_json_writer_int (w, best);
      if (i + 1 < ids->len)
        {
          /* log softmax(row)[next], in double */
          double sum = 0;

          for (gsize j = 0; j < n_vocab; j++)
            sum += exp ((double) row[j] - row[best]);
          logprobs[i] = (double) row[tokens[i + 1]] - row[best] - log (sum);
          logprob_sum += logprobs[i];
        }
    }
  sc_json_writer_end_array (w);
  if (want_logprobs)
    {
      sc_json_writer_key (w, "logprobs");
      sc_json_writer_begin_array (w);
      for (guint i = 0; i + 1 < ids->len; i++)
        sc_json_writer_double (w, logprobs[i]);
      sc_json_writer_end_array (w);
    }
  sc_json_writer_key (w, "logprob_sum");
  sc_json_writer_double (w, logprob_sum);
  sc_json_writer_key (w, "device");
  sc_json_writer_string (w, sc_backend_get_name (sc_model_get_backend (model)));
  sc_json_writer_end_object (w);
  print_json (w);
  return 0;
}

/* ---------------------------------------------------------------- bench */

int
sc_cli_bench (int    argc,
              char **argv)
{
  g_auto(CommonOptions) o = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScModel) model = NULL;
  g_autoptr(ScContext) ctx = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) out_ids = NULL;
  g_autofree char *ids_file = NULL;
  struct rusage usage;
  gint64 t0, t1, t2;
  int n_gen = 32;
  gsize n_vocab;
  ScJsonWriter *w;
  GOptionEntry entries[] = {
    { "tokens-file", 'f', 0, G_OPTION_ARG_FILENAME, &ids_file,
      N_("Prompt as whitespace-separated token ids"), N_("FILE") },
    { "gen", 'g', 0, G_OPTION_ARG_INT, &n_gen, N_("Tokens to generate (default 32)"),
      N_("N") },
    { NULL },
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Measure prompt processing and greedy generation speed."));
  add_common_entries (context, &o);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_args (context, argc, argv))
    return 2;
  if (o.model == NULL || ids_file == NULL || n_gen < 0)
    {
      sc_cli_fail (_("usage: sichtung-cli bench --model FILE --tokens-file IDS --gen N "
                     "[--device D] [--threads N]"));
      return 2;
    }

  ids = read_ids (ids_file, &error);
  if (ids == NULL)
    return sc_cli_fail ("%s", error->message);
  model = open_model (&o, &error);
  if (model == NULL)
    return sc_cli_fail ("%s", error->message);
  ctx = new_context (model, ids->len + n_gen, o.n_ctx, &error);
  if (ctx == NULL)
    return sc_cli_fail ("%s", error->message);
  n_vocab = sc_model_get_hparams (model)->n_vocab;

  t0 = g_get_monotonic_time ();
  if (!sc_model_eval (ctx, (const gint32 *) ids->data, ids->len, FALSE, &error))
    return sc_cli_fail ("%s", error->message);
  t1 = g_get_monotonic_time ();

  out_ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  for (int i = 0; i < n_gen; i++)
    {
      gint32 next = sc_sampler_argmax (sc_context_get_logits (ctx, NULL), n_vocab);

      g_array_append_val (out_ids, next);
      if (!sc_model_eval (ctx, &next, 1, FALSE, &error))
        return sc_cli_fail ("%s", error->message);
    }
  t2 = g_get_monotonic_time ();
  getrusage (RUSAGE_SELF, &usage);

  w = sc_json_writer_new (FALSE);
  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "device");
  sc_json_writer_string (w, sc_backend_get_name (sc_model_get_backend (model)));
  sc_json_writer_key (w, "n_prompt");
  sc_json_writer_int (w, ids->len);
  sc_json_writer_key (w, "n_gen");
  sc_json_writer_int (w, n_gen);
  sc_json_writer_key (w, "pp_tok_s");
  sc_json_writer_double (w, ids->len / MAX ((t1 - t0) / 1e6, 1e-9));
  sc_json_writer_key (w, "tg_tok_s");
  sc_json_writer_double (w, n_gen > 0 ? n_gen / MAX ((t2 - t1) / 1e6, 1e-9) : 0.0);
  sc_json_writer_key (w, "tokens");
  write_ids (w, (const gint32 *) out_ids->data, out_ids->len);
  sc_json_writer_key (w, "peak_rss_mb");
  sc_json_writer_double (w, usage.ru_maxrss / 1024.0);
  sc_json_writer_end_object (w);
  print_json (w);
  return 0;
}
