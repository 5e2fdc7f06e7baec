/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-test-chat-model.h: a tiny hand-built chat model for the assistant's tests.
 *
 * The file is a real GGUF of architecture "llama" that core/ loads like any other: a
 * SentencePiece vocabulary (byte tokens <0x00>…<0xFF>, <|im_start|> and <|im_end|> as control
 * tokens, EOS <|im_end|>, no BOS added, the ChatML chat template Qwen2 ships as
 * tokenizer.chat_template) and one transformer block whose weights are set by hand so that:
 *
 *   - greedy decoding after a prompt that ends in "\n" (as "<|im_start|>assistant\n" does)
 *     produces exactly the pieces of @answer_pieces, then <|im_end|>, whatever else the
 *     context holds;
 *   - an attention head finds the @key_piece token anywhere in the context and, when it is
 *     there, raises the probability of every answer piece (and of <|im_end|>): leaving out the
 *     passage holding the key lowers the answer's log-probability clearly, leaving out any
 *     other passage changes it by (almost) nothing. Teacher-forced, each answer piece has
 *     probability ≈ 1/2 without the key and ≈ 0.97 with it (about 0.65 nats per piece).
 *
 * Words of @answer_pieces and @key_piece are tokenized to those pieces by the model's own
 * tokenizer (the vocabulary holds the merge chain to reach them): " Widerspruchsfrist" in
 * running text, after a space, is the one piece "▁Widerspruchsfrist". The vocabulary has no
 * space prefix, so the decoded answer starts with a space (" Die Frist …").
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *const *answer_pieces; /* NULL-terminated SentencePiece pieces: "▁Die", "▁[1]." */
  const char        *key_piece;     /* "▁Widerspruchsfrist"; may be NULL (no attention head) */
  guint              n_ctx_train;   /* 0: 4096 */
} ScTestChatModelSpec;

/* Writes the model to @dir/@name (@dir NULL: a fresh temporary directory) and returns its
 * path (free with g_free()). NULL with @error set (G_IO_ERROR_INVALID_ARGUMENT) when the
 * answer has no pieces, a piece repeats (each answer piece must be unique, the key piece must
 * not be one of them), or a piece is empty, not UTF-8, or the text of a special or byte token;
 * with the file error when it cannot be written. */
char *sc_test_chat_model_write (const char                *dir,
                                const char                *name,
                                const ScTestChatModelSpec *spec,
                                GError                   **error);

/* What the assistant's tests use: a model written with these answer pieces (and the key
 * piece "▁" SC_TEST_CHAT_KEY_WORD) answers SC_TEST_CHAT_ANSWER, two sentences citing [1] and
 * [2]; sc_test_chat_notice is a notice of three paragraphs, only the second of which holds the
 * key word. */
#define SC_TEST_CHAT_ANSWER \
  "Die Frist endet am 14. März 2025 [1]. Der Antrag ist vollständig [2]."
#define SC_TEST_CHAT_KEY_WORD "Widerspruchsfrist"
extern const char *const sc_test_chat_answer_pieces[];
extern const char        sc_test_chat_notice[];

/* A hand-made uncased sentence-embedding model ("bert", mean pooling, no head) written to
 * @dir/@name, its path returned: "frist" and "termin" share one direction, "antrag",
 * "wohngeld" and "konto" have one each, every other word is unknown, and the layers pass the
 * embeddings through (all their weights zero), so a text's vector is the average of its known
 * words' directions. Its general.name is "Testeinbettung". */
char *sc_test_embedding_model_write (const char *dir,
                                     const char *name);

G_END_DECLS
