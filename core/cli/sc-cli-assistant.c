/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cli-assistant.c: the local assistant's subcommands of sichtung-cli:
 *
 *   ask        answer a question over documents, with citations
 *   summarize  a summary in three lengths
 *   rewrite    the documents in Einfache or Leichte Sprache
 *   draft      a Vermerk or a reply letter
 *
 * All take --model FILE (a GGUF chat model) and one or more --document FILE (PDF or text);
 * --json prints the whole answer (text, passages with page and boxes, citations with offsets,
 * timing and, with --attribute, the attribution of every sentence to every passage).
 */
#define G_LOG_DOMAIN "sichtung-cli"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "sichtung-core.h"
#include "sc-cli.h"

typedef struct
{
  char    *model;
  char    *embedder;
  char   **documents;
  char    *device;
  int      threads;
  int      n_ctx;
  int      max_tokens;
  int      passages;
  double   temperature;
  gint64   seed;
  gboolean json;
  gboolean attribute;
  gboolean quiet;
  gboolean show_prompt;
} AssistOptions;

static void
assist_options_clear (AssistOptions *o)
{
  g_clear_pointer (&o->model, g_free);
  g_clear_pointer (&o->embedder, g_free);
  g_clear_pointer (&o->documents, g_strfreev);
  g_clear_pointer (&o->device, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AssistOptions, assist_options_clear)

static void
add_assist_entries (GOptionContext *context,
                    AssistOptions  *o)
{
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &o->model, N_("GGUF chat model file"),
      N_("FILE") },
    { "embedding-model", 'e', 0, G_OPTION_ARG_FILENAME, &o->embedder,
      N_("GGUF sentence-embedding model (BERT, mean or CLS pooling) for dense retrieval"),
      N_("FILE") },
    { "document", 'f', 0, G_OPTION_ARG_FILENAME_ARRAY, &o->documents,
      N_("PDF or text file (repeat for several)"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json,
      N_("Print the answer with passages, citations and timing as JSON"), NULL },
    { "attribute", 0, 0, G_OPTION_ARG_NONE, &o->attribute,
      N_("Also measure how much each sentence depends on each passage"), NULL },
    { "device", 'd', 0, G_OPTION_ARG_STRING, &o->device,
      N_("Compute device: cpu, vulkan, auto (default) or a Vulkan device"), N_("DEVICE") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &o->threads,
      N_("CPU threads (default: all cores)"), N_("N") },
    { "ctx", 0, 0, G_OPTION_ARG_INT, &o->n_ctx,
      N_("Context size in tokens (default: the model’s, at most 4096)"), N_("N") },
    { "max-tokens", 'n', 0, G_OPTION_ARG_INT, &o->max_tokens,
      N_("Most tokens to generate (default: the task’s limit)"), N_("N") },
    { "passages", 0, 0, G_OPTION_ARG_INT, &o->passages,
      N_("Most passages to give the model (default: 6 for a question, else all that fit)"),
      N_("N") },
    { "temp", 0, 0, G_OPTION_ARG_DOUBLE, &o->temperature,
      N_("Temperature; 0 is greedy (default 0)"), N_("X") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o->seed, N_("Random seed (default 0)"), N_("S") },
    { "show-prompt", 0, 0, G_OPTION_ARG_NONE, &o->show_prompt,
      N_("With --json, also print the prompt's token ids"), NULL },
    { "quiet", 0, 0, G_OPTION_ARG_NONE, &o->quiet,
      N_("Do not write the text to stderr as it is generated"), NULL },
    { NULL },
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

static void
on_text (const char *text,
         guint       n_tokens,
         gpointer    user_data)
{
  gsize *printed = user_data;
  gsize len = strlen (text);

  if (len > *printed)
    {
      fputs (text + *printed, stderr);
      fflush (stderr);
      *printed = len;
    }
}

static void
print_text (ScAnswer *answer)
{
  printf ("%s\n", answer->text);
  if (answer->stop == SC_ANSWER_STOP_CANCELLED)
    printf ("\n%s\n", _("(stopped)"));
  else if (answer->stop == SC_ANSWER_STOP_LENGTH)
    printf ("\n%s\n", _("(the token limit was reached)"));

  printf ("\n%s\n", _("AI-generated text: check it against the sources."));
  printf ("\n%s\n", _("Sources:"));
  for (guint i = 0; i < answer->passages->len; i++)
    {
      const ScPassage *p = g_ptr_array_index (answer->passages, i);
      const char *title = g_ptr_array_index (answer->titles, p->document);
      g_autofree char *start = g_utf8_substring (p->text, 0,
                                                 MIN (g_utf8_strlen (p->text, -1), 70));
      /* TRANSLATORS: a source of an answer: number, document, page, the passage's first words */
      printf (_("[%u] %s, page %u: %s…\n"), i + 1, title, p->page + 1, start);
    }

  if (answer->attribution != NULL)
    {
      printf ("\n%s\n", _("What each sentence rests on (log-probability drop without the "
                          "passage):"));
      for (guint s = 0; s < answer->sentences->len; s++)
        {
          gint top = sc_answer_get_top_passage (answer, s);
          if (top < 0)
            printf (_("Sentence %u: no passage raises its probability\n"), s + 1);
          else
            printf (_("Sentence %u: [%d] (%.2f nats)\n"), s + 1, top + 1,
                    answer->attribution[(gsize) s * answer->passages->len + top]);
        }
    }

  fprintf (stderr, _("%u prompt tokens, first token after %.0f ms, %.1f tokens/s\n"),
           answer->n_prompt_tokens, answer->first_token_ms,
           sc_answer_get_tokens_per_second (answer));
}

/* Loads the model and the documents, runs @task and prints the answer. */
static int
run_task (AssistOptions *o,
          ScAssistTask   task,
          const char    *question,
          char         **extra_documents)
{
  g_autoptr(GError) error = NULL;

  if (o->model == NULL)
    return sc_cli_fail (_("no model given (--model FILE)"));

  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  for (guint i = 0; o->documents != NULL && o->documents[i] != NULL; i++)
    g_ptr_array_add (paths, o->documents[i]);
  for (guint i = 0; extra_documents != NULL && extra_documents[i] != NULL; i++)
    g_ptr_array_add (paths, extra_documents[i]);
  if (paths->len == 0)
    return sc_cli_fail (_("no document given (--document FILE)"));

  g_autoptr(ScModelInfo) info = sc_model_info_new_from_file (o->model, &error);
  if (info == NULL)
    return sc_cli_fail ("%s: %s", o->model, error->message);
  if (!info->supported)
    return sc_cli_fail ("%s: %s", o->model, info->unsupported);

  g_autoptr(ScBackend) backend = NULL;
  g_autofree char *fallback = NULL;
  if (o->device != NULL && g_ascii_strcasecmp (o->device, "vulkan") == 0)
    backend = sc_backend_vulkan_new ("auto", &error);
  else
    backend = sc_backend_new (o->device, &fallback, &error);
  if (backend == NULL)
    return sc_cli_fail ("%s", error->message);
  if (fallback != NULL)
    fprintf (stderr, "sichtung-cli: %s\n", fallback);
  if (SC_IS_BACKEND_CPU (backend) && o->threads > 0)
    sc_backend_cpu_set_n_threads (SC_BACKEND_CPU (backend), o->threads);

  guint n_ctx = o->n_ctx > 0 ? (guint) o->n_ctx : 0;
  if (!sc_model_info_check_memory (info, n_ctx, backend, &error))
    return sc_cli_fail ("%s", error->message);

  g_autoptr(ScModel) model = sc_model_load (o->model, backend, &error);
  if (model == NULL)
    return sc_cli_fail ("%s: %s", o->model, error->message);
  g_autoptr(ScAssistant) assistant = sc_assistant_new (model, n_ctx, &error);
  if (assistant == NULL)
    return sc_cli_fail ("%s: %s", o->model, error->message);

  if (o->embedder != NULL)
    {
      g_autoptr(ScEncoder) encoder = sc_encoder_load (o->embedder, backend, &error);
      if (encoder == NULL || !sc_assistant_set_embedder (assistant, encoder, &error))
        return sc_cli_fail ("%s: %s", o->embedder, error->message);
    }

  g_autoptr(GPtrArray) documents = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
      ScDocument *doc = sc_document_new_from_file (file, NULL, NULL, &error);
      if (doc == NULL)
        return sc_cli_fail ("%s: %s", path, error->message);
      g_ptr_array_add (documents, doc);
    }

  ScAssistRequest request = {
    .task = task,
    .question = question,
    .documents = (ScDocument **) documents->pdata,
    .n_documents = documents->len,
    .max_passages = o->passages > 0 ? (guint) o->passages : 0,
    .max_tokens = o->max_tokens > 0 ? (guint) o->max_tokens : 0,
    .temperature = (float) o->temperature,
    .seed = (guint64) o->seed,
  };
  gsize printed = 0;
  gboolean stream = !o->quiet && !o->json;
  g_autoptr(ScAnswer) answer = sc_assistant_run (assistant, &request, stream ? on_text : NULL,
                                                 &printed, NULL, &error);
  if (answer == NULL)
    return sc_cli_fail ("%s", error->message);
  if (stream)
    fputs ("\n\n", stderr);

  if (o->attribute && !sc_assistant_attribute (assistant, answer, NULL, NULL, NULL, &error))
    return sc_cli_fail ("%s", error->message);

  if (!o->json)
    {
      print_text (answer);
      return 0;
    }

  /* The answer's JSON inside an object that also names the model and the device. */
  g_autofree char *answer_json = sc_answer_to_json (answer, TRUE);
  ScJsonWriter *w = sc_json_writer_new (FALSE);
  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "path");
  sc_json_writer_string (w, o->model);
  sc_json_writer_key (w, "name");
  sc_json_writer_string (w, info->name);
  sc_json_writer_key (w, "architecture");
  sc_json_writer_string (w, info->arch);
  sc_json_writer_key (w, "quantization");
  sc_json_writer_string (w, info->quantization);
  sc_json_writer_key (w, "parameters");
  sc_json_writer_int (w, (gint64) info->n_params);
  sc_json_writer_key (w, "context");
  sc_json_writer_int (w, sc_assistant_get_n_ctx (assistant));
  sc_json_writer_key (w, "backend");
  sc_json_writer_string (w, sc_backend_get_name (backend));
  sc_json_writer_key (w, "device");
  sc_json_writer_string (w, sc_backend_get_device_description (backend));
  if (o->show_prompt)
    {
      sc_json_writer_key (w, "prompt_ids");
      sc_json_writer_begin_array (w);
      for (guint i = 0; i < answer->prompt_ids->len; i++)
        sc_json_writer_int (w, g_array_index (answer->prompt_ids, gint32, i));
      sc_json_writer_end_array (w);
    }
  sc_json_writer_end_object (w);
  g_autofree char *model_json = sc_json_writer_free_to_string (w);

  /* Splice: {"model": {...}, <the answer's members>}. */
  const char *members = strchr (answer_json, '{') + 1;
  printf ("{\n  \"model\": %s,%s\n", model_json, members);
  return 0;
}

static char **
parse (GOptionContext *context,
       AssistOptions  *o,
       int             argc,
       char          **argv)
{
  add_assist_entries (context, o);
  return sc_cli_parse (context, argc, argv);
}

int
sc_cli_ask (int    argc,
            char **argv)
{
  g_auto(AssistOptions) o = { 0 };
  g_autofree char *question = NULL;
  GOptionEntry entries[] = {
    { "question", 'q', 0, G_OPTION_ARG_STRING, &question, N_("The question"), N_("TEXT") },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("[FILE…]"));
  g_option_context_set_summary (context, _("Answer a question about documents with a local "
                                           "chat model, citing the passages it rests on."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_auto(GStrv) args = parse (context, &o, argc, argv);
  if (args == NULL)
    return 2;
  if (question == NULL || *question == '\0')
    return sc_cli_fail (_("no question given (--question TEXT)"));
  return run_task (&o, SC_ASSIST_TASK_QUESTION, question, args + 1);
}

/* summarize, rewrite and draft: one option picks the task among a few choices. */
typedef struct
{
  const char *option;       /* "length" */
  char        short_name;
  const char *description;  /* N_(): the choices, the default marked */
  const char *arg;          /* N_(): "LENGTH" */
  const char *summary;      /* N_() */
  const char *values;       /* N_(): the choices for the message on another value */
  struct
  {
    const char   *name;
    ScAssistTask  task;
  } choices[4];             /* the first is the default; NULL-terminated */
} TaskCommand;

static const TaskCommand summarize_command = {
  "length", 'l', N_("short, medium (default) or long"), N_("LENGTH"),
  N_("Summarise documents with a local chat model."),
  N_("short, medium or long"),
  { { "medium", SC_ASSIST_TASK_SUMMARY_MEDIUM }, { "short", SC_ASSIST_TASK_SUMMARY_SHORT },
    { "long", SC_ASSIST_TASK_SUMMARY_LONG }, { NULL, 0 } },
};

static const TaskCommand rewrite_command = {
  "level", 'l', N_("plain (Einfache Sprache, default) or easy (Leichte Sprache)"), N_("LEVEL"),
  N_("Rewrite documents in plain or easy language with a local chat model."),
  N_("plain or easy"),
  { { "plain", SC_ASSIST_TASK_PLAIN_LANGUAGE }, { "easy", SC_ASSIST_TASK_EASY_LANGUAGE },
    { NULL, 0 } },
};

static const TaskCommand draft_command = {
  "kind", 'k', N_("memo (Vermerk, default) or reply (a reply letter)"), N_("KIND"),
  N_("Draft a memo or a reply letter from documents with a local chat model."),
  N_("memo or reply"),
  { { "memo", SC_ASSIST_TASK_DRAFT_MEMO }, { "reply", SC_ASSIST_TASK_DRAFT_REPLY },
    { NULL, 0 } },
};

static int
run_task_command (const TaskCommand *command,
                  int                argc,
                  char             **argv)
{
  g_auto(AssistOptions) o = { 0 };
  g_autofree char *choice = NULL;
  g_autofree char *instruction = NULL;
  GOptionEntry entries[] = {
    { command->option, command->short_name, 0, G_OPTION_ARG_STRING, &choice,
      command->description, command->arg },
    { "instruction", 'i', 0, G_OPTION_ARG_STRING, &instruction,
      N_("Additional instructions for the model"), N_("TEXT") },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("[FILE…]"));
  g_option_context_set_summary (context, _(command->summary));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_auto(GStrv) args = parse (context, &o, argc, argv);
  if (args == NULL)
    return 2;

  for (guint i = 0; command->choices[i].name != NULL; i++)
    if (choice == NULL || g_str_equal (choice, command->choices[i].name))
      return run_task (&o, command->choices[i].task, instruction, args + 1);
  /* Translators: an option, the value given, the values it takes ("short, medium or long"). */
  return sc_cli_fail (_("--%s does not take “%s”: use %s"), command->option, choice,
                      _(command->values));
}

int
sc_cli_summarize (int    argc,
                  char **argv)
{
  return run_task_command (&summarize_command, argc, argv);
}

int
sc_cli_rewrite (int    argc,
                char **argv)
{
  return run_task_command (&rewrite_command, argc, argv);
}

int
sc_cli_draft (int    argc,
              char **argv)
{
  return run_task_command (&draft_command, argc, argv);
}
