/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-chat.h: chat formats of the instruction-tuned models Sichtung runs.
 *
 * A GGUF chat model carries its chat template as a Jinja program (tokenizer.chat_template).
 * Sichtung never executes it: it recognises the family by text markers the known templates
 * contain, as llama.cpp does, and renders the conversation with its own code for that family.
 * Models without a template get a format chosen from their special tokens (a ChatML or Llama 3
 * vocabulary) or, failing that, a plain text prompt.
 *
 * The rendered text contains special tokens as text ("<|im_start|>"); encode it with
 * sc_tokenizer_encode (tok, text, -1, TRUE, TRUE, ids, &error) so that BOS is added where the
 * vocabulary asks for it and the special texts become their tokens.
 */
#pragma once

#include <glib.h>

#include "sc-model.h"
#include "sc-tokenizer.h"

G_BEGIN_DECLS

typedef enum
{
  SC_CHAT_FORMAT_RAW,     /* no chat template: "system\n\nuser\n\nAntwort:" */
  SC_CHAT_FORMAT_CHATML,  /* <|im_start|>role\n…<|im_end|>\n (Qwen2 and many fine-tunes) */
  SC_CHAT_FORMAT_LLAMA3,  /* <|start_header_id|>role<|end_header_id|>\n\n…<|eot_id|> */
  SC_CHAT_FORMAT_LLAMA2,  /* [INST] <<SYS>>\n…\n<</SYS>>\n\n… [/INST] */
  SC_CHAT_FORMAT_MISTRAL, /* [INST] … [/INST], the system text before the first user turn */
} ScChatFormat;

typedef enum
{
  SC_CHAT_ROLE_SYSTEM,
  SC_CHAT_ROLE_USER,
  SC_CHAT_ROLE_ASSISTANT,
} ScChatRole;

typedef struct
{
  ScChatRole  role;
  const char *content;
} ScChatMessage;

/* The format for a template text (may be NULL), falling back on the vocabulary's special
 * tokens (@tok may be NULL) and then on SC_CHAT_FORMAT_RAW. */
ScChatFormat sc_chat_format_detect   (const char          *template_text,
                                      ScTokenizer         *tok);
/* sc_chat_format_detect() on the model's tokenizer.chat_template and vocabulary. */
ScChatFormat sc_chat_format_for_model (ScModel            *model);
/* "raw", "chatml", "llama3", "llama2", "mistral". */
const char  *sc_chat_format_get_name (ScChatFormat         format);

/* Renders @messages and opens the assistant's turn (the model continues from the end of the
 * returned text). A leading system message is folded into the first user turn where the
 * format has no system role. Free with g_free(). */
char        *sc_chat_format_render   (ScChatFormat         format,
                                      const ScChatMessage *messages,
                                      gsize                n_messages);

G_END_DECLS
