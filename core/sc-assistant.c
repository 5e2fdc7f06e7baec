/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-assistant.c: the local assistant (see sc-assistant.h): passage choice, prompts, streamed
 * generation, citations and attribution by ablation. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sc-assistant.h"
#include "sc-error.h"
#include "sc-json.h"
#include "sc-passages-private.h"
#include "sc-sampler.h"

/* Passages a question gets by default, and the tokens kept free after the prompt beyond the
 * answer's limit. */
#define QUESTION_PASSAGES 6
#define PROMPT_MARGIN     8
/* Rows of logits computed at once when scoring an answer (each n_vocab floats). */
#define SCORE_CHUNK 64

/* ------------------------------------------------------------------------------------------ */
/* Tasks                                                                                       */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  const char *id;
  const char *instruction; /* German: the model is asked in the users' language */
  guint       max_tokens;
} TaskInfo;

static const TaskInfo tasks[SC_ASSIST_N_TASKS] = {
  [SC_ASSIST_TASK_QUESTION] = { "question", NULL, 300 },
  [SC_ASSIST_TASK_SUMMARY_SHORT] = {
    "summary-short",
    "Fasse die Auszüge in zwei bis drei Sätzen zusammen.", 120 },
  [SC_ASSIST_TASK_SUMMARY_MEDIUM] = {
    "summary-medium",
    "Fasse die Auszüge in einem Absatz von etwa sechs Sätzen zusammen: Worum geht es, wer ist "
    "beteiligt, was wurde beantragt oder entschieden, welche Fristen gelten?", 250 },
  [SC_ASSIST_TASK_SUMMARY_LONG] = {
    "summary-long",
    "Fasse die Auszüge ausführlich und gegliedert zusammen, mit Stichpunkten zu Sachverhalt, "
    "Beteiligten, Anträgen und Entscheidungen, Begründung, Fristen und nächsten Schritten.",
    600 },
  [SC_ASSIST_TASK_PLAIN_LANGUAGE] = {
    "plain-language",
    "Gib den Inhalt der Auszüge in Einfacher Sprache wieder: kurze Sätze, gebräuchliche "
    "Wörter, Fachbegriffe erklärt, die Leserin oder den Leser direkt angesprochen.", 450 },
  [SC_ASSIST_TASK_EASY_LANGUAGE] = {
    "easy-language",
    "Gib den Inhalt der Auszüge in Leichter Sprache wieder: sehr kurze Sätze, in jedem Satz "
    "nur eine Aussage, keine Fremdwörter, schwierige Wörter erklärt, jeder Satz in einer "
    "eigenen Zeile.", 450 },
  [SC_ASSIST_TASK_DRAFT_MEMO] = {
    "draft-memo",
    "Entwirf einen Vermerk für die Akte mit Betreff, Sachverhalt, rechtlicher Würdigung mit "
    "den genannten Vorschriften, Ergebnis und Verfügung.", 600 },
  [SC_ASSIST_TASK_DRAFT_REPLY] = {
    "draft-reply",
    "Entwirf ein Antwortschreiben der Behörde an die Antragstellerin oder den Antragsteller: "
    "höflich und klar, mit Bezug auf das Schreiben, der Entscheidung oder dem nächsten Schritt "
    "und gegebenenfalls einer Frist.", 500 },
};

static const char system_prompt[] =
  "Du bist ein sorgfältiger Assistent in einer deutschen Behörde. Du arbeitest nur mit den "
  "nummerierten Auszügen aus der Akte, die dir gegeben werden. Belege jede Aussage mit der "
  "Nummer des Auszugs in eckigen Klammern, zum Beispiel [1] oder [2]. Erfinde nichts. Wenn "
  "die Auszüge eine Frage nicht beantworten, sage das. Antworte auf Deutsch.";

const char *
sc_assist_task_get_id (ScAssistTask task)
{
  g_return_val_if_fail ((guint) task < SC_ASSIST_N_TASKS, NULL);
  return tasks[task].id;
}

gboolean
sc_assist_task_from_id (const char   *id,
                        ScAssistTask *task)
{
  g_return_val_if_fail (id != NULL, FALSE);
  for (guint i = 0; i < SC_ASSIST_N_TASKS; i++)
    if (g_str_equal (tasks[i].id, id))
      {
        if (task != NULL)
          *task = (ScAssistTask) i;
        return TRUE;
      }
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* Answers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

G_DEFINE_BOXED_TYPE (ScAnswer, sc_answer, sc_answer_ref, sc_answer_unref)

static ScAnswer *
answer_new (void)
{
  ScAnswer *answer = g_new0 (ScAnswer, 1);
  answer->ref_count = 1;
  answer->passages = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_passage_free);
  answer->titles = g_ptr_array_new_with_free_func (g_free);
  answer->citations = g_array_new (FALSE, FALSE, sizeof (ScCitation));
  answer->sentences = g_array_new (FALSE, FALSE, sizeof (ScAnswerSentence));
  answer->tokens = g_array_new (FALSE, FALSE, sizeof (gint32));
  answer->prompt_ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  return answer;
}

ScAnswer *
sc_answer_ref (ScAnswer *answer)
{
  g_return_val_if_fail (answer != NULL, NULL);
  g_atomic_int_inc (&answer->ref_count);
  return answer;
}

void
sc_answer_unref (ScAnswer *answer)
{
  g_return_if_fail (answer != NULL);
  if (!g_atomic_int_dec_and_test (&answer->ref_count))
    return;
  g_free (answer->question);
  g_free (answer->text);
  g_ptr_array_unref (answer->passages);
  g_ptr_array_unref (answer->titles);
  g_array_unref (answer->citations);
  g_array_unref (answer->sentences);
  g_array_unref (answer->tokens);
  g_array_unref (answer->prompt_ids);
  g_free (answer->chat_format);
  g_free (answer->attribution);
  g_free (answer->sentence_logprob);
  g_free (answer);
}

double
sc_answer_get_tokens_per_second (ScAnswer *answer)
{
  g_return_val_if_fail (answer != NULL, 0);
  if (answer->tokens->len < 2 || answer->generation_ms <= 0)
    return 0;
  return (answer->tokens->len - 1) / (answer->generation_ms / 1000.0);
}

GArray *
sc_answer_get_cited_passages (ScAnswer *answer)
{
  g_return_val_if_fail (answer != NULL, NULL);

  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree gboolean *cited = g_new0 (gboolean, answer->passages->len + 1);
  for (guint i = 0; i < answer->citations->len; i++)
    {
      const ScCitation *c = &g_array_index (answer->citations, ScCitation, i);
      if (c->passage >= 0)
        cited[c->passage] = TRUE;
    }
  for (guint i = 0; i < answer->passages->len; i++)
    if (cited[i])
      g_array_append_val (out, i);
  return out;
}

gint
sc_answer_get_top_passage (ScAnswer *answer,
                           guint     sentence)
{
  g_return_val_if_fail (answer != NULL, -1);
  if (answer->attribution == NULL || sentence >= answer->sentences->len)
    return -1;

  gint best = -1;
  double best_score = 0;
  guint n = answer->passages->len;
  for (guint j = 0; j < n; j++)
    {
      double score = answer->attribution[(gsize) sentence * n + j];
      if (score > best_score)
        {
          best_score = score;
          best = (gint) j;
        }
    }
  return best;
}

char *
sc_answer_to_json (ScAnswer *answer,
                   gboolean  pretty)
{
  g_return_val_if_fail (answer != NULL, NULL);

  static const char *const stops[] = { "end", "length", "cancelled" };
  ScJsonWriter *w = sc_json_writer_new (pretty);
  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "task");
  sc_json_writer_string (w, sc_assist_task_get_id (answer->task));
  sc_json_writer_key (w, "question");
  if (answer->question != NULL)
    sc_json_writer_string (w, answer->question);
  else
    sc_json_writer_null (w);
  sc_json_writer_key (w, "text");
  sc_json_writer_string (w, answer->text);
  sc_json_writer_key (w, "ai_generated");
  sc_json_writer_bool (w, TRUE);
  sc_json_writer_key (w, "stop");
  sc_json_writer_string (w, stops[answer->stop]);
  sc_json_writer_key (w, "chat_format");
  sc_json_writer_string (w, answer->chat_format);

  sc_json_writer_key (w, "timing");
  sc_json_writer_begin_object (w);
  sc_json_writer_key (w, "prompt_tokens");
  sc_json_writer_int (w, answer->n_prompt_tokens);
  sc_json_writer_key (w, "generated_tokens");
  sc_json_writer_int (w, answer->tokens->len);
  sc_json_writer_key (w, "retrieval_ms");
  sc_json_writer_double (w, answer->retrieval_ms);
  sc_json_writer_key (w, "prompt_ms");
  sc_json_writer_double (w, answer->prompt_ms);
  sc_json_writer_key (w, "first_token_ms");
  sc_json_writer_double (w, answer->first_token_ms);
  sc_json_writer_key (w, "generation_ms");
  sc_json_writer_double (w, answer->generation_ms);
  sc_json_writer_key (w, "tokens_per_second");
  sc_json_writer_double (w, sc_answer_get_tokens_per_second (answer));
  sc_json_writer_end_object (w);

  sc_json_writer_key (w, "passages_total");
  sc_json_writer_int (w, answer->n_passages_total);
  sc_json_writer_key (w, "passages");
  sc_json_writer_begin_array (w);
  for (guint i = 0; i < answer->passages->len; i++)
    {
      const ScPassage *p = g_ptr_array_index (answer->passages, i);
      sc_json_writer_begin_object (w);
      sc_json_writer_key (w, "number");
      sc_json_writer_int (w, i + 1);
      sc_json_writer_key (w, "document");
      sc_json_writer_int (w, p->document);
      sc_json_writer_key (w, "title");
      sc_json_writer_string (w, p->document < answer->titles->len
                                  ? g_ptr_array_index (answer->titles, p->document)
                                  : "");
      sc_json_writer_key (w, "page");
      sc_json_writer_int (w, p->page + 1);
      sc_json_writer_key (w, "start");
      sc_json_writer_int (w, (gint64) p->start);
      sc_json_writer_key (w, "end");
      sc_json_writer_int (w, (gint64) p->end);
      sc_json_writer_key (w, "score");
      sc_json_writer_double (w, p->score);
      sc_json_writer_key (w, "text");
      sc_json_writer_string (w, p->text);
      sc_json_writer_key (w, "boxes");
      sc_json_writer_begin_array (w);
      for (guint b = 0; p->boxes != NULL && b < p->boxes->len; b++)
        {
          const ScRect *r = &g_array_index (p->boxes, ScRect, b);
          sc_json_writer_begin_array (w);
          sc_json_writer_double (w, r->x);
          sc_json_writer_double (w, r->y);
          sc_json_writer_double (w, r->width);
          sc_json_writer_double (w, r->height);
          sc_json_writer_end_array (w);
        }
      sc_json_writer_end_array (w);
      sc_json_writer_end_object (w);
    }
  sc_json_writer_end_array (w);

  sc_json_writer_key (w, "citations");
  sc_json_writer_begin_array (w);
  for (guint i = 0; i < answer->citations->len; i++)
    {
      const ScCitation *c = &g_array_index (answer->citations, ScCitation, i);
      sc_json_writer_begin_object (w);
      sc_json_writer_key (w, "number");
      sc_json_writer_int (w, c->number);
      sc_json_writer_key (w, "start");
      sc_json_writer_int (w, (gint64) c->start);
      sc_json_writer_key (w, "end");
      sc_json_writer_int (w, (gint64) c->end);
      sc_json_writer_key (w, "sentence");
      sc_json_writer_int (w, c->sentence);
      sc_json_writer_key (w, "resolved");
      sc_json_writer_bool (w, c->passage >= 0);
      if (c->passage >= 0)
        {
          const ScPassage *p = g_ptr_array_index (answer->passages, c->passage);
          sc_json_writer_key (w, "document");
          sc_json_writer_int (w, p->document);
          sc_json_writer_key (w, "page");
          sc_json_writer_int (w, p->page + 1);
          sc_json_writer_key (w, "passage_start");
          sc_json_writer_int (w, (gint64) p->start);
          sc_json_writer_key (w, "passage_end");
          sc_json_writer_int (w, (gint64) p->end);
        }
      sc_json_writer_end_object (w);
    }
  sc_json_writer_end_array (w);

  sc_json_writer_key (w, "sentences");
  sc_json_writer_begin_array (w);
  guint n_passages = answer->passages->len;
  for (guint s = 0; s < answer->sentences->len; s++)
    {
      const ScAnswerSentence *sentence = &g_array_index (answer->sentences, ScAnswerSentence, s);
      sc_json_writer_begin_object (w);
      sc_json_writer_key (w, "start");
      sc_json_writer_int (w, (gint64) sentence->start);
      sc_json_writer_key (w, "end");
      sc_json_writer_int (w, (gint64) sentence->end);
      sc_json_writer_key (w, "tokens");
      sc_json_writer_int (w, sentence->n_tokens);
      if (answer->attribution != NULL)
        {
          sc_json_writer_key (w, "logprob");
          sc_json_writer_double (w, answer->sentence_logprob[s]);
          sc_json_writer_key (w, "attribution");
          sc_json_writer_begin_array (w);
          for (guint j = 0; j < n_passages; j++)
            sc_json_writer_double (w, answer->attribution[(gsize) s * n_passages + j]);
          sc_json_writer_end_array (w);
          sc_json_writer_key (w, "top_passage");
          gint top = sc_answer_get_top_passage (answer, s);
          if (top >= 0)
            sc_json_writer_int (w, top + 1);
          else
            sc_json_writer_null (w);
        }
      sc_json_writer_end_object (w);
    }
  sc_json_writer_end_array (w);

  sc_json_writer_end_object (w);
  return sc_json_writer_free_to_string (w);
}

/* ------------------------------------------------------------------------------------------ */
/* Sentences and citations of an answer                                                        */
/* ------------------------------------------------------------------------------------------ */

/* If a citation bracket "[1]", "[1, 2]", "[1–3]" starts at @p, its end (one past ']');
 * else NULL. */
static const char *
citation_end (const char *p,
              const char *end)
{
  if (p >= end || *p != '[')
    return NULL;
  const char *q = p + 1;
  gboolean digit = FALSE;
  while (q < end && q - p < 40)
    {
      if (g_ascii_isdigit (*q))
        digit = TRUE;
      else if (*q == ']')
        return digit ? q + 1 : NULL;
      else if (*q != ',' && *q != ';' && *q != ' ' && *q != '-' && (guchar) *q < 0x80)
        return NULL;
      else if ((guchar) *q >= 0x80 && !g_str_has_prefix (q, "–"))
        return NULL;
      q++;
    }
  return NULL;
}

static void
add_sentence (GArray     *sentences,
              const char *text,
              gsize       start,
              gsize       end)
{
  while (start < end && g_ascii_isspace (text[start]))
    start++;
  while (end > start && g_ascii_isspace (text[end - 1]))
    end--;
  if (end <= start)
    return;
  ScAnswerSentence s = { start, end, 0, 0 };
  g_array_append_val (sentences, s);
}

/* Sentences end at line breaks and at ". ", "! ", "? " before a capital letter (a citation
 * right after the period stays with its sentence). */
static void
split_answer_sentences (ScAnswer *answer)
{
  const char *text = answer->text;
  gsize len = strlen (text);
  const char *end = text + len;
  gsize start = 0;

  for (const char *p = text; p < end; p++)
    {
      if (*p == '\n')
        {
          add_sentence (answer->sentences, text, start, (gsize) (p - text));
          start = (gsize) (p - text) + 1;
          continue;
        }
      if (*p != '.' && *p != '!' && *p != '?')
        continue;

      /* "… vollständig. [1] Der …": the citation belongs to the sentence before. */
      const char *q = p + 1;
      while (q < end && *q == ' ')
        q++;
      const char *after = q;
      const char *cit;
      while ((cit = citation_end (after, end)) != NULL)
        {
          after = cit;
          while (after < end && *after == ' ')
            after++;
        }
      if (after != q)
        {
          /* After the citations: a capital letter or the end starts the next sentence. */
          gunichar c = after < end ? g_utf8_get_char_validated (after, end - after) : 0;
          if (after >= end || (c != (gunichar) -1 && c != (gunichar) -2 && g_unichar_isupper (c)))
            {
              add_sentence (answer->sentences, text, start, (gsize) (after - text));
              start = (gsize) (after - text);
              p = after - 1;
            }
          continue;
        }
      if (_sc_passages_ends_sentence (text, p, end))
        {
          add_sentence (answer->sentences, text, start, (gsize) (p - text) + 1);
          start = (gsize) (p - text) + 1;
        }
    }
  add_sentence (answer->sentences, text, start, len);
}

static guint
sentence_at (ScAnswer *answer,
             gsize     offset)
{
  guint found = 0;
  for (guint s = 0; s < answer->sentences->len; s++)
    if (g_array_index (answer->sentences, ScAnswerSentence, s).start <= offset)
      found = s;
  return found;
}

static void
add_citation (ScAnswer *answer,
              gsize     start,
              gsize     end,
              guint     number,
              gsize     bracket)
{
  ScCitation c = {
    .start = start,
    .end = end,
    .number = number,
    .passage = number >= 1 && number <= answer->passages->len ? (gint) number - 1 : -1,
    .sentence = sentence_at (answer, bracket),
  };
  g_array_append_val (answer->citations, c);
}

static void
parse_citations (ScAnswer *answer)
{
  const char *text = answer->text;
  const char *end = text + strlen (text);

  for (const char *p = text; p < end; p++)
    {
      const char *close = citation_end (p, end);
      if (close == NULL)
        continue;

      gsize bracket = (gsize) (p - text);
      /* One number: the whole bracket is the link. */
      const char *q = p + 1;
      guint n_numbers = 0;
      for (const char *r = q; r < close; r++)
        if (g_ascii_isdigit (*r) && !g_ascii_isdigit (r[-1]))
          n_numbers++;

      guint prev = 0;
      gboolean range = FALSE;
      while (q < close - 1)
        {
          if (!g_ascii_isdigit (*q))
            {
              if (*q == '-' || g_str_has_prefix (q, "–"))
                range = TRUE;
              q++;
              continue;
            }
          const char *digits = q;
          guint64 number = 0;
          while (q < close && g_ascii_isdigit (*q))
            {
              number = number * 10 + (guint) (*q - '0');
              q++;
              if (number > 100000)
                number = 100000;
            }
          gsize start = n_numbers == 1 ? bracket : (gsize) (digits - text);
          gsize stop = n_numbers == 1 ? (gsize) (close - text) : (gsize) (q - text);
          if (range && prev > 0 && number > prev && number - prev <= 10)
            for (guint k = prev + 1; k < number; k++)
              add_citation (answer, start, stop, k, bracket);
          add_citation (answer, start, stop, (guint) number, bracket);
          prev = (guint) number;
          range = FALSE;
        }
      p = close - 1;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The assistant                                                                               */
/* ------------------------------------------------------------------------------------------ */

struct _ScAssistant
{
  ScModel      *model;
  ScContext    *ctx;
  ScTokenizer  *tok;
  ScChatFormat  format;
  GArray       *cached;    /* gint32: the tokens in ctx's KV cache, in order */
  GPtrArray    *specials;  /* char*: texts of the vocabulary's control tokens */
  ScEncoder    *embedder;  /* optional sentence-embedding model */
  GHashTable   *vectors;   /* passage text → its embedding, for embedder */
};

ScAssistant *
sc_assistant_new (ScModel  *model,
                  guint     n_ctx,
                  GError  **error)
{
  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ScTokenizer *tok = sc_model_get_tokenizer (model);
  if (tok == NULL)
    {
      g_set_error_literal (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                           _("The model file has no usable vocabulary"));
      return NULL;
    }

  ScContextParams params;
  sc_context_params_init (&params);
  params.n_ctx = n_ctx;
  ScContext *ctx = sc_context_new (model, &params, error);
  if (ctx == NULL)
    return NULL;

  ScAssistant *assistant = g_new0 (ScAssistant, 1);
  assistant->model = sc_model_ref (model);
  assistant->ctx = ctx;
  assistant->tok = tok;
  assistant->format = sc_chat_format_for_model (model);
  assistant->cached = g_array_new (FALSE, FALSE, sizeof (gint32));
  assistant->specials = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < sc_tokenizer_get_n_tokens (tok); i++)
    {
      ScTokenType type = sc_tokenizer_get_token_type (tok, (gint32) i);
      const char *text = sc_tokenizer_get_token_text (tok, (gint32) i);
      if ((type == SC_TOKEN_TYPE_CONTROL || type == SC_TOKEN_TYPE_UNKNOWN) && text != NULL &&
          strlen (text) >= 2)
        g_ptr_array_add (assistant->specials, g_strdup (text));
    }
  return assistant;
}

void
sc_assistant_free (ScAssistant *assistant)
{
  if (assistant == NULL)
    return;
  sc_context_free (assistant->ctx);
  sc_model_unref (assistant->model);
  g_array_unref (assistant->cached);
  g_ptr_array_unref (assistant->specials);
  g_clear_pointer (&assistant->embedder, sc_encoder_unref);
  g_clear_pointer (&assistant->vectors, g_hash_table_unref);
  g_free (assistant);
}

gboolean
sc_assistant_set_embedder (ScAssistant  *assistant,
                           ScEncoder    *encoder,
                           GError      **error)
{
  g_return_val_if_fail (assistant != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (encoder != NULL && sc_encoder_get_pooling (encoder) == SC_POOLING_NONE)
    {
      g_set_error_literal (error, SC_ERROR, SC_ERROR_NOT_SUPPORTED,
                           _("The encoder is not an embedding model (it has no pooling)"));
      return FALSE;
    }
  if (encoder == assistant->embedder)
    return TRUE;
  g_clear_pointer (&assistant->embedder, sc_encoder_unref);
  g_clear_pointer (&assistant->vectors, g_hash_table_unref);
  if (encoder != NULL)
    {
      assistant->embedder = sc_encoder_ref (encoder);
      assistant->vectors = sc_passages_new_embedding_cache ();
    }
  return TRUE;
}

ScEncoder *
sc_assistant_get_embedder (ScAssistant *assistant)
{
  g_return_val_if_fail (assistant != NULL, NULL);
  return assistant->embedder;
}

ScModel *
sc_assistant_get_model (ScAssistant *assistant)
{
  g_return_val_if_fail (assistant != NULL, NULL);
  return assistant->model;
}

ScChatFormat
sc_assistant_get_format (ScAssistant *assistant)
{
  g_return_val_if_fail (assistant != NULL, SC_CHAT_FORMAT_RAW);
  return assistant->format;
}

guint
sc_assistant_get_n_ctx (ScAssistant *assistant)
{
  g_return_val_if_fail (assistant != NULL, 0);
  return sc_context_get_n_ctx (assistant->ctx);
}

char *
sc_assistant_get_models_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "sichtung", "modelle", NULL);
}

/* ---- Prompts --------------------------------------------------------------------------------- */

/* Document text and questions must never become control tokens: a file that contains
 * "<|im_end|>" would otherwise end the user's turn and speak as the system. A zero-width space
 * after the first character of every such text keeps it readable but unmatched. */
static char *
neutralize (ScAssistant *assistant,
            const char  *text)
{
  g_autoptr(GString) out = g_string_new (text);
  for (guint i = 0; i < assistant->specials->len; i++)
    {
      const char *special = g_ptr_array_index (assistant->specials, i);
      gsize len = strlen (special);
      gsize first = (gsize) (g_utf8_next_char (special) - special);
      char *hit;
      gsize from = 0;
      while ((hit = strstr (out->str + from, special)) != NULL)
        {
          gsize at = (gsize) (hit - out->str);
          g_string_insert (out, (gssize) (at + first), "\u200b");
          from = at + len + 3;
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
append_passage_block (ScAssistant     *assistant,
                      GString         *out,
                      guint            number,
                      const ScPassage *passage,
                      GPtrArray       *titles)
{
  g_autofree char *title = neutralize (assistant, passage->document < titles->len
                                                    ? g_ptr_array_index (titles, passage->document)
                                                    : "");
  g_autofree char *text = neutralize (assistant, passage->text);
  g_string_append_printf (out, "[%u] (%s, Seite %u): %s\n\n", number, title, passage->page + 1,
                          text);
}

/* The prompt text for @answer's task over its passages, those with @keep[i] FALSE left out
 * (the others keep their numbers). */
static char *
build_prompt (ScAssistant    *assistant,
              ScAnswer       *answer,
              const gboolean *keep)
{
  g_autoptr(GString) user = g_string_new ("Auszüge aus der Akte:\n\n");
  for (guint i = 0; i < answer->passages->len; i++)
    if (keep == NULL || keep[i])
      append_passage_block (assistant, user, i + 1, g_ptr_array_index (answer->passages, i),
                            answer->titles);

  g_autofree char *question = answer->question != NULL ? neutralize (assistant, answer->question)
                                                        : NULL;
  if (answer->task == SC_ASSIST_TASK_QUESTION)
    g_string_append_printf (user, "Frage: %s", question);
  else
    {
      g_string_append (user, tasks[answer->task].instruction);
      if (question != NULL && *question != '\0')
        g_string_append_printf (user, "\nZusätzliche Hinweise: %s", question);
    }

  ScChatMessage messages[] = {
    { SC_CHAT_ROLE_SYSTEM, system_prompt },
    { SC_CHAT_ROLE_USER, user->str },
  };
  return sc_chat_format_render (assistant->format, messages, G_N_ELEMENTS (messages));
}

static GArray *
encode_prompt (ScAssistant *assistant,
               const char  *text,
               GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  if (!sc_tokenizer_encode (assistant->tok, text, -1, TRUE, TRUE, ids, error))
    return NULL;
  return g_steal_pointer (&ids);
}

static guint
count_tokens (ScAssistant *assistant,
              const char  *text)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
  if (!sc_tokenizer_encode (assistant->tok, text, -1, FALSE, FALSE, ids, NULL))
    return G_MAXUINT / 4;
  return ids->len;
}

/* Chooses the passages for @answer's task within @budget prompt tokens and returns the encoded
 * prompt. */
static GArray *
choose_passages (ScAssistant           *assistant,
                 ScAnswer              *answer,
                 const ScAssistRequest *request,
                 GPtrArray             *all,
                 guint                  budget,
                 GError               **error)
{
  g_autoptr(GPtrArray) candidates = NULL;

  if (answer->task == SC_ASSIST_TASK_QUESTION)
    {
      guint max = request->max_passages > 0 ? request->max_passages : QUESTION_PASSAGES;
      if (assistant->embedder != NULL)
        candidates = sc_passages_rank_dense (all, request->question, assistant->embedder,
                                             assistant->vectors, max, error);
      else
        candidates = sc_passages_rank (all, request->question, max, error);
      if (candidates == NULL)
        return NULL;
      /* Fewer matches than room: the other passages follow in reading order, so that a
       * short document is seen whole and a question sharing no word with the documents still
       * gets their beginning. */
      for (guint i = 0; i < all->len && candidates->len < max; i++)
        {
          const ScPassage *p = g_ptr_array_index (all, i);
          gboolean taken = FALSE;
          for (guint k = 0; k < candidates->len && !taken; k++)
            {
              const ScPassage *c = g_ptr_array_index (candidates, k);
              taken = c->document == p->document && c->page == p->page && c->start == p->start;
            }
          if (!taken)
            g_ptr_array_add (candidates, sc_passage_copy (p));
        }
    }
  else
    {
      candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_passage_free);
      guint max = request->max_passages > 0 ? request->max_passages : G_MAXUINT;
      for (guint i = 0; i < all->len && i < max; i++)
        g_ptr_array_add (candidates, sc_passage_copy (g_ptr_array_index (all, i)));
    }

  /* Take candidates in order while their blocks fit beside the frame of the prompt. */
  g_autofree char *frame = build_prompt (assistant, answer, NULL);
  guint used = count_tokens (assistant, frame);
  for (guint i = 0; i < candidates->len; i++)
    {
      ScPassage *p = g_ptr_array_index (candidates, i);
      g_autoptr(GString) block = g_string_new (NULL);
      append_passage_block (assistant, block, i + 1, p, answer->titles);
      guint n = count_tokens (assistant, block->str);
      if (used + n > budget)
        break;
      used += n;
      g_ptr_array_add (answer->passages, sc_passage_copy (p));
    }

  /* Tokenizing the whole may differ slightly from the sum of the parts: drop passages from
   * the end until it fits. */
  for (;;)
    {
      g_autofree char *text = build_prompt (assistant, answer, NULL);
      g_autoptr(GArray) ids = encode_prompt (assistant, text, error);
      if (ids == NULL)
        return NULL;
      if (ids->len <= budget)
        return g_steal_pointer (&ids);
      if (answer->passages->len == 0)
        {
          g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                       _("The request does not fit the model’s context of %u tokens"),
                       sc_context_get_n_ctx (assistant->ctx));
          return NULL;
        }
      g_ptr_array_remove_index (answer->passages, answer->passages->len - 1);
    }
}

/* ---- Evaluation with a shared prefix --------------------------------------------------------- */

/* Makes the KV cache hold @ids[0 .. @n): keeps the prefix it shares with what is cached and
 * evaluates the rest (without logits). At least the last token is always evaluated when
 * @need_logits, so that its logits are available. */
static gboolean
feed (ScAssistant  *assistant,
      const gint32 *ids,
      guint         n,
      gboolean      need_logits,
      GError      **error)
{
  guint common = 0;
  guint n_cached = assistant->cached->len;
  const gint32 *cached = (const gint32 *) assistant->cached->data;
  while (common < n && common < n_cached && cached[common] == ids[common])
    common++;
  if (need_logits && common == n && n > 0)
    common = n - 1;

  sc_context_truncate (assistant->ctx, common);
  g_array_set_size (assistant->cached, common);
  if (common == n)
    return TRUE;

  gboolean ok = sc_model_eval (assistant->ctx, ids + common, n - common, FALSE, error);
  guint n_past = sc_context_get_n_past (assistant->ctx);
  g_array_set_size (assistant->cached, 0);
  g_array_append_vals (assistant->cached, ids, MIN (n_past, n));
  return ok;
}

static double
log_softmax_at (const float *logits,
                gsize        n_vocab,
                gint32       id)
{
  float max = -INFINITY;
  for (gsize i = 0; i < n_vocab; i++)
    max = MAX (max, logits[i]);
  double sum = 0;
  for (gsize i = 0; i < n_vocab; i++)
    sum += exp ((double) logits[i] - max);
  return (double) logits[id] - max - log (sum);
}

/* ---- Running a request ----------------------------------------------------------------------- */

/* The longest prefix of @s (@len bytes) that is valid UTF-8. */
static gsize
valid_prefix (const char *s,
              gsize       len)
{
  const char *end = NULL;
  if (g_utf8_validate (s, len, &end))
    return len;
  return (gsize) (end - s);
}

static void
finish_answer (ScAnswer *answer,
               GString  *raw,
               GArray   *token_ends)
{
  /* Leading and trailing white space go; token offsets move with the text. */
  gsize lead = 0;
  while (lead < raw->len && g_ascii_isspace (raw->str[lead]))
    lead++;
  gsize tail = raw->len;
  while (tail > lead && g_ascii_isspace (raw->str[tail - 1]))
    tail--;
  g_autofree char *trimmed = g_strndup (raw->str + lead, tail - lead);
  if (!g_utf8_validate (trimmed, -1, NULL))
    answer->text = g_utf8_make_valid (trimmed, -1);
  else
    answer->text = g_steal_pointer (&trimmed);

  split_answer_sentences (answer);
  parse_citations (answer);

  /* Each token belongs to the sentence its last byte falls in (white space between sentences
   * to the next one). */
  gsize text_len = strlen (answer->text);
  for (guint i = 0; i < token_ends->len; i++)
    {
      gsize token_end = g_array_index (token_ends, gsize, i);
      gsize at = token_end > lead ? MIN (token_end - lead - 1, text_len) : 0;
      if (answer->sentences->len == 0)
        break;
      guint s = sentence_at (answer, at);
      ScAnswerSentence *sentence = &g_array_index (answer->sentences, ScAnswerSentence, s);
      if (sentence->n_tokens == 0)
        sentence->first_token = i;
      sentence->n_tokens = i + 1 - sentence->first_token;
    }
}

ScAnswer *
sc_assistant_run (ScAssistant           *assistant,
                  const ScAssistRequest *request,
                  ScAssistTextFunc       text_func,
                  gpointer               user_data,
                  GCancellable          *cancellable,
                  GError               **error)
{
  g_return_val_if_fail (assistant != NULL, NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail ((guint) request->task < SC_ASSIST_N_TASKS, NULL);
  g_return_val_if_fail (request->documents != NULL || request->n_documents == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  gint64 t_start = g_get_monotonic_time ();

  g_autofree char *question = request->question != NULL ? g_strstrip (g_strdup (request->question))
                                                         : NULL;
  if (request->task == SC_ASSIST_TASK_QUESTION && (question == NULL || *question == '\0'))
    {
      g_set_error_literal (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT, _("No question was asked"));
      return NULL;
    }

  g_autoptr(ScAnswer) answer = answer_new ();
  answer->task = request->task;
  answer->question = question != NULL && *question != '\0' ? g_strdup (question) : NULL;
  answer->chat_format = g_strdup (sc_chat_format_get_name (assistant->format));

  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_passage_free);
  for (guint d = 0; d < request->n_documents; d++)
    {
      ScDocument *doc = request->documents[d];
      const char *title = request->titles != NULL && request->titles[d] != NULL
                            ? request->titles[d]
                            : sc_document_get_title (doc);
      g_ptr_array_add (answer->titles, g_strdup (title != NULL ? title : ""));
      g_autoptr(GPtrArray) passages = sc_passages_split (doc, d, cancellable, error);
      if (passages == NULL)
        return NULL;
      g_ptr_array_extend_and_steal (all, g_steal_pointer (&passages));
    }
  answer->n_passages_total = all->len;
  if (all->len == 0)
    {
      g_set_error_literal (error, SC_ERROR, SC_ERROR_EMPTY,
                           _("The documents contain no text the assistant could read"));
      return NULL;
    }

  guint n_ctx = sc_context_get_n_ctx (assistant->ctx);
  guint max_tokens = request->max_tokens > 0 ? request->max_tokens
                                             : tasks[request->task].max_tokens;
  max_tokens = MIN (max_tokens, n_ctx / 2);
  guint budget = n_ctx - max_tokens - PROMPT_MARGIN;

  g_autoptr(GArray) prompt = choose_passages (assistant, answer, request, all, budget, error);
  if (prompt == NULL)
    return NULL;
  answer->n_prompt_tokens = prompt->len;
  g_array_append_vals (answer->prompt_ids, prompt->data, prompt->len);
  gint64 t_retrieved = g_get_monotonic_time ();
  answer->retrieval_ms = (t_retrieved - t_start) / 1000.0;

  if (!feed (assistant, (const gint32 *) prompt->data, prompt->len, TRUE, error))
    return NULL;
  answer->prompt_ms = (g_get_monotonic_time () - t_retrieved) / 1000.0;

  ScSamplerParams sampler_params;
  sc_sampler_params_init (&sampler_params);
  sampler_params.temperature = request->temperature;
  sampler_params.seed = request->seed;
  g_autoptr(ScSampler) sampler = sc_sampler_new (&sampler_params);
  gsize n_vocab = sc_tokenizer_get_n_tokens (assistant->tok);

  g_autoptr(GString) raw = g_string_new (NULL);
  g_autoptr(GArray) token_ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  gint64 t_first = 0;
  answer->stop = SC_ANSWER_STOP_LENGTH;

  for (guint i = 0; i < max_tokens; i++)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          answer->stop = SC_ANSWER_STOP_CANCELLED;
          break;
        }
      const float *logits = sc_context_get_logits (assistant->ctx, NULL);
      gint32 next = request->temperature > 0 ? sc_sampler_sample (sampler, logits, n_vocab)
                                             : sc_sampler_argmax (logits, n_vocab);
      if (i == 0)
        t_first = g_get_monotonic_time ();
      if (sc_tokenizer_is_eog (assistant->tok, next))
        {
          answer->stop = SC_ANSWER_STOP_END;
          break;
        }

      g_array_append_val (answer->tokens, next);
      if (!sc_tokenizer_token_to_piece (assistant->tok, next, FALSE, raw, error))
        return NULL;
      g_array_append_val (token_ends, raw->len);

      if (text_func != NULL)
        {
          gsize lead = 0;
          while (lead < raw->len && g_ascii_isspace (raw->str[lead]))
            lead++;
          gsize n = valid_prefix (raw->str + lead, raw->len - lead);
          g_autofree char *so_far = g_strndup (raw->str + lead, n);
          text_func (so_far, answer->tokens->len, user_data);
        }

      if (i + 1 == max_tokens || sc_context_get_n_past (assistant->ctx) >= n_ctx)
        break;
      if (!sc_model_eval (assistant->ctx, &next, 1, FALSE, error))
        return NULL;
      g_array_append_val (assistant->cached, next);
    }

  gint64 t_end = g_get_monotonic_time ();
  answer->first_token_ms = t_first > 0 ? (t_first - t_start) / 1000.0 : 0;
  answer->generation_ms = t_first > 0 ? (t_end - t_first) / 1000.0 : 0;

  finish_answer (answer, raw, token_ends);
  return g_steal_pointer (&answer);
}

/* ---- Scoring and attribution ----------------------------------------------------------------- */

gboolean
sc_assistant_score (ScAssistant     *assistant,
                    ScAnswer        *answer,
                    const gboolean  *keep,
                    double          *out,
                    GCancellable    *cancellable,
                    GError         **error)
{
  g_return_val_if_fail (assistant != NULL, FALSE);
  g_return_val_if_fail (answer != NULL, FALSE);
  g_return_val_if_fail (out != NULL || answer->sentences->len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint s = 0; s < answer->sentences->len; s++)
    out[s] = 0;
  guint n_answer = answer->tokens->len;
  if (n_answer == 0)
    return TRUE;

  g_autofree char *text = build_prompt (assistant, answer, keep);
  g_autoptr(GArray) seq = encode_prompt (assistant, text, error);
  if (seq == NULL)
    return FALSE;
  guint n_prompt = seq->len;
  g_array_append_vals (seq, answer->tokens->data, n_answer);
  if (seq->len > sc_context_get_n_ctx (assistant->ctx))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT,
                   _("The request does not fit the model’s context of %u tokens"),
                   sc_context_get_n_ctx (assistant->ctx));
      return FALSE;
    }
  const gint32 *ids = (const gint32 *) seq->data;

  /* The prompt but its last token from the cache where possible; then the last prompt token
   * and the answer but its last token with logits: row k predicts answer token k. */
  if (!feed (assistant, ids, n_prompt - 1, FALSE, error))
    return FALSE;

  gsize n_vocab = sc_tokenizer_get_n_tokens (assistant->tok);
  g_autofree double *token_logprob = g_new0 (double, n_answer);
  for (guint k0 = 0; k0 < n_answer; k0 += SCORE_CHUNK)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      guint n = MIN (SCORE_CHUNK, n_answer - k0);
      if (!sc_model_eval (assistant->ctx, ids + n_prompt - 1 + k0, n, TRUE, error))
        return FALSE;
      g_array_append_vals (assistant->cached, ids + n_prompt - 1 + k0, n);
      gsize n_rows = 0;
      const float *logits = sc_context_get_logits (assistant->ctx, &n_rows);
      if (logits == NULL || n_rows != n)
        {
          g_set_error_literal (error, SC_ERROR, SC_ERROR_FAILED,
                               "the model returned no logits for the answer");
          return FALSE;
        }
      for (guint k = 0; k < n; k++)
        token_logprob[k0 + k] = log_softmax_at (logits + (gsize) k * n_vocab, n_vocab,
                                                ids[n_prompt + k0 + k]);
    }

  for (guint s = 0; s < answer->sentences->len; s++)
    {
      const ScAnswerSentence *sentence = &g_array_index (answer->sentences, ScAnswerSentence, s);
      double sum = 0;
      for (guint k = sentence->first_token; k < sentence->first_token + sentence->n_tokens; k++)
        sum += token_logprob[k];
      out[s] = sum;
    }
  return TRUE;
}

gboolean
sc_assistant_attribute (ScAssistant           *assistant,
                        ScAnswer              *answer,
                        ScAssistProgressFunc   progress_func,
                        gpointer               user_data,
                        GCancellable          *cancellable,
                        GError               **error)
{
  g_return_val_if_fail (assistant != NULL, FALSE);
  g_return_val_if_fail (answer != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  guint n_sentences = answer->sentences->len;
  guint n_passages = answer->passages->len;
  g_autofree double *full = g_new0 (double, MAX (n_sentences, 1u));
  g_autofree double *scores = g_new0 (double, MAX ((gsize) n_sentences * n_passages, 1u));
  g_autofree double *ablated = g_new0 (double, MAX (n_sentences, 1u));
  g_autofree gboolean *keep = g_new (gboolean, MAX (n_passages, 1u));

  if (!sc_assistant_score (assistant, answer, NULL, full, cancellable, error))
    return FALSE;
  if (progress_func != NULL)
    progress_func (1, n_passages + 1, user_data);

  /* From the last passage to the first: variant j shares the prompt with the one before it
   * (which lacked passage j + 1) up to passage j, so the cache saves about half of each. */
  for (guint v = 0; v < n_passages; v++)
    {
      guint j = n_passages - 1 - v;
      for (guint i = 0; i < n_passages; i++)
        keep[i] = i != j;
      if (!sc_assistant_score (assistant, answer, keep, ablated, cancellable, error))
        return FALSE;
      for (guint s = 0; s < n_sentences; s++)
        scores[(gsize) s * n_passages + j] = full[s] - ablated[s];
      if (progress_func != NULL)
        progress_func (v + 2, n_passages + 1, user_data);
    }

  g_free (answer->attribution);
  g_free (answer->sentence_logprob);
  answer->attribution = g_steal_pointer (&scores);
  answer->sentence_logprob = g_steal_pointer (&full);
  return TRUE;
}
