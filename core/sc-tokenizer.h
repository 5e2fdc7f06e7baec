/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-tokenizer.h: text ⇄ token ids for the local models, bit-for-bit like llama.cpp.
 *
 * Three tokenizer models are supported, as GGUF files name them in tokenizer.ggml.model:
 *
 *   "llama"  SentencePiece-style: spaces become "▁", an optional leading space, pieces merged
 *            greedily by the highest score, unknown characters as byte tokens "<0xXX>".
 *   "gpt2"   byte-level BPE: a pre-tokenizer splits the text into words (tokenizer.ggml.pre:
 *            "default", "gpt-2", "llama3", "qwen2" and their aliases), each word's bytes are
 *            mapped to GPT-2's printable alphabet and merged by merge rank.
 *   "bert"   WordPiece, cased, as Sichtung's own tagger was trained (tools/train/tokenizer.py):
 *            NFC, split on whitespace, every punctuation character (Unicode P* and the ASCII
 *            symbols) a word of its own, control and format characters dropped; each word then
 *            greedily longest-match-first into pieces, word-initial pieces stored as "▁x" and
 *            continuations as "x" (llama.cpp's form), a word of no pieces or over 100
 *            characters as the unknown token. BOS/EOS are [CLS]/[SEP].
 *
 * Control, unknown and user-defined tokens are matched in the raw text before that, longest
 * token text first; control and unknown tokens only when the caller asks for it (parse_special),
 * user-defined tokens always. A tokenizer is immutable once built and may be used from several
 * threads at once.
 *
 *   g_autoptr (ScTokenizer) tok = sc_tokenizer_new_from_gguf (gguf, &error);
 *   g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint32));
 *   sc_tokenizer_encode (tok, "Bescheid gemäß § 35", -1, FALSE, FALSE, ids, &error);
 */
#pragma once

#include <glib.h>

#include "sc-gguf.h"

G_BEGIN_DECLS

typedef enum
{
  SC_TOKENIZER_MODEL_SPM, /* "llama" */
  SC_TOKENIZER_MODEL_BPE, /* "gpt2" */
  SC_TOKENIZER_MODEL_WPM, /* "bert" (WordPiece) */
} ScTokenizerModel;

typedef enum
{
  SC_TOKENIZER_PRE_DEFAULT, /* "default" or missing: llama.cpp's four-regex fallback */
  SC_TOKENIZER_PRE_GPT2,    /* "gpt-2" and aliases */
  SC_TOKENIZER_PRE_LLAMA3,  /* "llama3", "llama-bpe"…: digits in threes, whole-word lookup first */
  SC_TOKENIZER_PRE_QWEN2,   /* "qwen2"…: like llama3 but single digits, merges always applied */
} ScTokenizerPre;

/* The values of tokenizer.ggml.token_type. */
typedef enum
{
  SC_TOKEN_TYPE_UNDEFINED    = 0,
  SC_TOKEN_TYPE_NORMAL       = 1,
  SC_TOKEN_TYPE_UNKNOWN      = 2,
  SC_TOKEN_TYPE_CONTROL      = 3,
  SC_TOKEN_TYPE_USER_DEFINED = 4,
  SC_TOKEN_TYPE_UNUSED       = 5,
  SC_TOKEN_TYPE_BYTE         = 6,
} ScTokenType;

/* A vocabulary spelled out, so a tokenizer can be built without a GGUF file. Nothing is
 * taken over: sc_tokenizer_new() copies what it needs. Ids of -1 mean "none". */
typedef struct
{
  ScTokenizerModel     model;
  ScTokenizerPre       pre;              /* BPE only */
  guint                n_tokens;
  const char *const   *tokens;           /* [n_tokens] UTF-8 piece texts */
  const float         *scores;           /* [n_tokens] or NULL (all 0) */
  const gint32        *token_types;      /* [n_tokens] ScTokenType values or NULL (all normal) */
  guint                n_merges;
  const char *const   *merges;           /* [n_merges] "left right", rank = index; BPE only */
  gint32               bos_id;
  gint32               eos_id;
  gint32               unk_id;
  gint32               pad_id;
  gboolean             add_bos;
  gboolean             add_eos;
  gboolean             add_space_prefix; /* SPM: prefix the text (and text after a special token) with a space */
} ScVocab;

typedef struct _ScTokenizer ScTokenizer;

ScTokenizer *sc_tokenizer_new          (const ScVocab *vocab,
                                        GError       **error);
ScTokenizer *sc_tokenizer_new_from_gguf (ScGguf       *gguf,
                                         GError      **error);
ScTokenizer *sc_tokenizer_ref          (ScTokenizer   *tok);
void         sc_tokenizer_unref        (ScTokenizer   *tok);

/* Appends the ids of @text (@len bytes, -1 for NUL-terminated; any bytes, invalid UTF-8 is
 * handled as llama.cpp does) to @out_ids, a GArray of gint32. With @add_special, BOS and EOS
 * are added as the vocabulary's add_bos/add_eos flags say. With @parse_special, the texts of
 * control and unknown tokens (e.g. "<|im_start|>") become those tokens. */
gboolean     sc_tokenizer_encode       (ScTokenizer   *tok,
                                        const char    *text,
                                        gssize         len,
                                        gboolean       add_special,
                                        gboolean       parse_special,
                                        GArray        *out_ids,
                                        GError       **error);

/* Appends the bytes @id stands for to @out: byte tokens as their byte, byte-level BPE mapped
 * back to bytes, SPM "▁" as a space. Control and unknown tokens give their text only with
 * @special, nothing otherwise. A piece may be part of a UTF-8 sequence. */
gboolean     sc_tokenizer_token_to_piece (ScTokenizer *tok,
                                          gint32       id,
                                          gboolean     special,
                                          GString     *out,
                                          GError     **error);

/* The text of @n_ids ids: the pieces concatenated, the leading space an SPM vocabulary with
 * add_space_prefix put in front removed. Incomplete UTF-8 sequences stay as they are; *@out_len
 * (optional) receives the length in bytes. NULL with @error set on an id out of range. */
char        *sc_tokenizer_decode       (ScTokenizer   *tok,
                                        const gint32  *ids,
                                        gsize          n_ids,
                                        gboolean       special,
                                        gsize         *out_len,
                                        GError       **error);

/* ---------------------------------------------------------------- WordPiece words */

/* A word of the WordPiece basic split, where it lies in the text and which ids it became. */
typedef struct
{
  gsize start;    /* bytes of the word in the text, [start, end) (dropped characters at its
                   * edges excluded) */
  gsize end;
  guint first_id; /* index of its first id in the ids array */
  guint n_ids;    /* at least 1 */
} ScTokenizerWord;

/* WordPiece only (SC_ERROR_NOT_SUPPORTED otherwise): splits @text (@len bytes or -1) into words
 * as the tokenizer does, appending one ScTokenizerWord per word to @out_words and the word's
 * ids to @out_ids (gint32; no [CLS]/[SEP], no special-token parsing). The ids are exactly
 * those sc_tokenizer_encode() gives without specials. Invalid UTF-8 counts as U+FFFD. */
gboolean     sc_tokenizer_split_words  (ScTokenizer   *tok,
                                        const char    *text,
                                        gssize         len,
                                        GArray        *out_words,
                                        GArray        *out_ids,
                                        GError       **error);
/* WordPiece only: appends the ids of one pre-split word (a CoNLL token): the basic split
 * applied inside it (so "z.B." gives four words' pieces), the unknown token when nothing
 * remains. Always appends at least one id. */
gboolean     sc_tokenizer_encode_word  (ScTokenizer   *tok,
                                        const char    *word,
                                        gssize         len,
                                        GArray        *out_ids,
                                        GError       **error);

ScTokenizerModel sc_tokenizer_get_model      (ScTokenizer *tok);
ScTokenizerPre   sc_tokenizer_get_pre        (ScTokenizer *tok);
guint            sc_tokenizer_get_n_tokens   (ScTokenizer *tok);
gint32           sc_tokenizer_get_bos        (ScTokenizer *tok);
gint32           sc_tokenizer_get_eos        (ScTokenizer *tok);
gint32           sc_tokenizer_get_unk        (ScTokenizer *tok);
gint32           sc_tokenizer_get_pad        (ScTokenizer *tok);
gboolean         sc_tokenizer_get_add_bos    (ScTokenizer *tok);
gboolean         sc_tokenizer_get_add_eos    (ScTokenizer *tok);
/* The piece text as stored in the vocabulary ("▁Antrag", "Ġgem", "<0x0A>"), or NULL. */
const char      *sc_tokenizer_get_token_text (ScTokenizer *tok,
                                              gint32       id);
ScTokenType      sc_tokenizer_get_token_type (ScTokenizer *tok,
                                              gint32       id);
/* The id of the token whose piece text is exactly @text, or -1. */
gint32           sc_tokenizer_lookup         (ScTokenizer *tok,
                                              const char  *text);
/* Whether generation ends at @id: EOS and the end-of-turn tokens llama.cpp recognises by text
 * ("<|im_end|>", "<|eot_id|>", "<|end_of_text|>"…). */
gboolean         sc_tokenizer_is_eog         (ScTokenizer *tok,
                                              gint32       id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScTokenizer, sc_tokenizer_unref)

G_END_DECLS
