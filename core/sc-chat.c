/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-chat.c: recognising a model's chat format and rendering conversations in it (see
 * sc-chat.h). The markers follow llama.cpp's llm_chat_detect_template(); the renderings follow
 * the formats the official templates produce, without their default system prompts. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <string.h>

#include "sc-chat.h"

static gboolean
contains (const char *haystack,
          const char *needle)
{
  return haystack != NULL && strstr (haystack, needle) != NULL;
}

static gboolean
has_token (ScTokenizer *tok,
           const char  *text)
{
  return tok != NULL && sc_tokenizer_lookup (tok, text) >= 0;
}

ScChatFormat
sc_chat_format_detect (const char  *template_text,
                       ScTokenizer *tok)
{
  if (template_text != NULL && *template_text != '\0')
    {
      if (contains (template_text, "<|im_start|>"))
        return SC_CHAT_FORMAT_CHATML;
      if (contains (template_text, "<|start_header_id|>") &&
          contains (template_text, "<|end_header_id|>"))
        return SC_CHAT_FORMAT_LLAMA3;
      if (contains (template_text, "[INST]"))
        return contains (template_text, "<<SYS>>") ? SC_CHAT_FORMAT_LLAMA2
                                                   : SC_CHAT_FORMAT_MISTRAL;
    }

  /* No template, or one of a family Sichtung does not render: the vocabulary's special tokens
   * still tell what the model was tuned on. */
  if (has_token (tok, "<|im_start|>") && has_token (tok, "<|im_end|>"))
    return SC_CHAT_FORMAT_CHATML;
  if (has_token (tok, "<|start_header_id|>") && has_token (tok, "<|eot_id|>"))
    return SC_CHAT_FORMAT_LLAMA3;
  if (has_token (tok, "[INST]"))
    return SC_CHAT_FORMAT_MISTRAL;
  return SC_CHAT_FORMAT_RAW;
}

ScChatFormat
sc_chat_format_for_model (ScModel *model)
{
  g_return_val_if_fail (model != NULL, SC_CHAT_FORMAT_RAW);

  ScGguf *gguf = sc_model_get_gguf (model);
  const char *template_text = NULL;
  if (gguf != NULL && sc_gguf_has_key (gguf, "tokenizer.chat_template"))
    template_text = sc_gguf_get_string (gguf, "tokenizer.chat_template", NULL);
  return sc_chat_format_detect (template_text, sc_model_get_tokenizer (model));
}

const char *
sc_chat_format_get_name (ScChatFormat format)
{
  switch (format)
    {
    case SC_CHAT_FORMAT_RAW:
      return "raw";
    case SC_CHAT_FORMAT_CHATML:
      return "chatml";
    case SC_CHAT_FORMAT_LLAMA3:
      return "llama3";
    case SC_CHAT_FORMAT_LLAMA2:
      return "llama2";
    case SC_CHAT_FORMAT_MISTRAL:
      return "mistral";
    default:
      return "raw";
    }
}

static const char *
role_name (ScChatRole role)
{
  switch (role)
    {
    case SC_CHAT_ROLE_SYSTEM:
      return "system";
    case SC_CHAT_ROLE_ASSISTANT:
      return "assistant";
    case SC_CHAT_ROLE_USER:
    default:
      return "user";
    }
}

/* Llama 2 and Mistral have turns of [INST] user [/INST] assistant; the system text goes into
 * the first user turn (Llama 2 inside <<SYS>>, Mistral before the text). */
static void
render_inst (GString             *out,
             gboolean             llama2,
             const ScChatMessage *messages,
             gsize                n_messages)
{
  const char *system = NULL;
  gboolean first_user = TRUE;
  gboolean after_assistant = FALSE;

  for (gsize i = 0; i < n_messages; i++)
    {
      const ScChatMessage *m = &messages[i];
      const char *content = m->content != NULL ? m->content : "";

      switch (m->role)
        {
        case SC_CHAT_ROLE_SYSTEM:
          system = content;
          break;
        case SC_CHAT_ROLE_USER:
          /* BOS opens the first turn through the tokenizer; later turns get it as text. */
          if (after_assistant)
            g_string_append (out, "<s>");
          g_string_append (out, "[INST] ");
          if (first_user && system != NULL && *system != '\0')
            {
              if (llama2)
                g_string_append_printf (out, "<<SYS>>\n%s\n<</SYS>>\n\n", system);
              else
                g_string_append_printf (out, "%s\n\n", system);
            }
          g_string_append_printf (out, "%s [/INST]", content);
          first_user = FALSE;
          after_assistant = FALSE;
          break;
        case SC_CHAT_ROLE_ASSISTANT:
          g_string_append_printf (out, " %s</s>", content);
          after_assistant = TRUE;
          break;
        default:
          break;
        }
    }
}

char *
sc_chat_format_render (ScChatFormat         format,
                       const ScChatMessage *messages,
                       gsize                n_messages)
{
  g_return_val_if_fail (messages != NULL || n_messages == 0, NULL);

  GString *out = g_string_new (NULL);

  switch (format)
    {
    case SC_CHAT_FORMAT_CHATML:
      for (gsize i = 0; i < n_messages; i++)
        g_string_append_printf (out, "<|im_start|>%s\n%s<|im_end|>\n",
                                role_name (messages[i].role),
                                messages[i].content != NULL ? messages[i].content : "");
      g_string_append (out, "<|im_start|>assistant\n");
      break;

    case SC_CHAT_FORMAT_LLAMA3:
      for (gsize i = 0; i < n_messages; i++)
        g_string_append_printf (out, "<|start_header_id|>%s<|end_header_id|>\n\n%s<|eot_id|>",
                                role_name (messages[i].role),
                                messages[i].content != NULL ? messages[i].content : "");
      g_string_append (out, "<|start_header_id|>assistant<|end_header_id|>\n\n");
      break;

    case SC_CHAT_FORMAT_LLAMA2:
    case SC_CHAT_FORMAT_MISTRAL:
      render_inst (out, format == SC_CHAT_FORMAT_LLAMA2, messages, n_messages);
      break;

    case SC_CHAT_FORMAT_RAW:
    default:
      for (gsize i = 0; i < n_messages; i++)
        {
          const char *content = messages[i].content != NULL ? messages[i].content : "";
          if (messages[i].role == SC_CHAT_ROLE_ASSISTANT)
            g_string_append_printf (out, "Antwort: %s\n\n", content);
          else
            g_string_append_printf (out, "%s\n\n", content);
        }
      g_string_append (out, "Antwort:");
      break;
    }

  return g_string_free (out, FALSE);
}
