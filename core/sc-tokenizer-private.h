/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-tokenizer-private.h: what sc-tokenizer.c, sc-tokenizer-bpe.c and sc-tokenizer-gguf.c
 * share; not installed, not part of the core API. */
#pragma once

#include <glib.h>

#include "sc-tokenizer.h"

G_BEGIN_DECLS

/* llama_token_attr: what a token type means for matching and rendering. */
enum
{
  SC_TOKEN_ATTR_UNKNOWN      = 1 << 0,
  SC_TOKEN_ATTR_UNUSED       = 1 << 1,
  SC_TOKEN_ATTR_NORMAL       = 1 << 2,
  SC_TOKEN_ATTR_CONTROL      = 1 << 3,
  SC_TOKEN_ATTR_USER_DEFINED = 1 << 4,
  SC_TOKEN_ATTR_BYTE         = 1 << 5,
};

typedef struct
{
  char    *text;  /* NUL-terminated piece */
  guint32  len;
  float    score;
  guint8   type;  /* ScTokenType as in the file */
  guint8   attr;  /* SC_TOKEN_ATTR_*, after llama.cpp's fix-ups by text */
  gboolean eog;
} ScToken;

/* An open-addressing table from a byte string (split in two at @split for merges, 0 for
 * pieces) to an id or rank. Keys point into memory the tokenizer owns. */
typedef struct
{
  const char *s;
  guint32     len;
  guint32     split;
  gint32      value;
} ScPieceSlot;

typedef struct
{
  ScPieceSlot *slots;
  guint32      mask;
} ScPieceTable;

struct _ScTokenizer
{
  ScTokenizerModel model;
  ScTokenizerPre   pre;
  gboolean         ignore_merges;    /* llama3: a word that is a piece needs no merging */
  gboolean         add_bos;
  gboolean         add_eos;
  gboolean         add_space_prefix;
  gint32           bos_id, eos_id, unk_id, pad_id;

  guint            n_tokens;
  ScToken         *tokens;           /* [n_tokens] */
  ScPieceTable     vocab;            /* piece → id */
  ScPieceTable     merges;           /* (left, right) → rank */
  ScPieceTable     spm_pairs;        /* SPM: adjacent character pairs inside any piece */
  char           **merge_texts;      /* [n_merges] left and right joined; owned */
  guint            n_merges;
  gint32          *special_ids;      /* [n_special] control/user-defined/unknown, longest first */
  guint            n_special;
  gint32           byte_ids[256];    /* the token of each byte, -1 where none */
  guint32          max_token_len;    /* WPM: the longest piece in bytes */
};

/* A symbol of the merge loops: @n bytes at @off in the word, linked to its neighbours. */
typedef struct
{
  gint  prev;
  gint  next;
  gsize off;
  gsize n;
} ScSymbol;

typedef struct
{
  gint  left;
  gint  right;
  float score;  /* SPM */
  gint  rank;   /* BPE */
  gsize size;   /* bytes of left + right when queued; a mismatch later means stale */
} ScBigram;

void     _sc_piece_table_init   (ScPieceTable       *table,
                                 guint               n_entries);
void     _sc_piece_table_clear  (ScPieceTable       *table);
gboolean _sc_piece_table_insert (ScPieceTable       *table,
                                 const char         *s,
                                 gsize               len,
                                 guint32             split,
                                 gint32              value);
gint32   _sc_piece_table_lookup (const ScPieceTable *table,
                                 const char         *s,
                                 gsize               len,
                                 guint32             split);

void     _sc_bigram_queue_push  (GArray             *heap,
                                 const ScBigram     *bigram,
                                 gboolean            by_score);
gboolean _sc_bigram_queue_pop   (GArray             *heap,
                                 ScBigram           *out,
                                 gboolean            by_score);

gsize    _sc_utf8_len           (guint8              lead);
/* Fills @symbols (ScSymbol) with one linked symbol per UTF-8 character of @text, judged by
 * lead bytes only, as llama.cpp does; returns the first element. */
ScSymbol *_sc_symbols_from_utf8 (GArray             *symbols,
                                 const char         *text,
                                 gsize               len);

/* sc-tokenizer-bpe.c */
const char *_sc_bpe_byte_to_utf8 (guint8       byte);
void        _sc_bpe_decode_piece (const char  *text,
                                  gsize        len,
                                  GString     *out);
gboolean    _sc_bpe_tokenize     (ScTokenizer *tok,
                                  const char  *text,
                                  gsize        len,
                                  GArray      *out,
                                  GError     **error);
/* Splits @text as the pre-tokenizer @pre does; returns the words (not byte-encoded) as a
 * NULL-terminated array. For tests. */
char      **_sc_bpe_pre_tokenize (ScTokenizerPre pre,
                                  const char    *text,
                                  gsize          len);

/* sc-tokenizer-wpm.c */
gboolean    _sc_wpm_tokenize     (ScTokenizer *tok,
                                  const char  *text,
                                  gsize        len,
                                  GArray      *out,
                                  GError     **error);

G_END_DECLS
