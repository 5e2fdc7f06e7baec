/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-tokenizer-bpe.c: byte-level BPE as llama.cpp runs it — the pre-tokenizer splits written
 * out by hand (llama.cpp's unicode_regex_split with its custom gpt2/llama3/qwen2 matchers and
 * the std::regex fallbacks of the "default" kind), GPT-2's byte-to-unicode alphabet and the
 * merge loop by rank. No regex library: Unicode categories come from GLib. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <string.h>

#include "sc-error.h"
#include "sc-tokenizer-private.h"

/* ------------------------------------------------------------------------------------------ */
/* Code points and their categories (unicode_cpt_flags)                                        */
/* ------------------------------------------------------------------------------------------ */

enum
{
  CPT_UNDEFINED  = 1 << 0, /* beyond U+10FFFF */
  CPT_NUMBER     = 1 << 1, /* \p{N} */
  CPT_LETTER     = 1 << 2, /* \p{L} */
  CPT_SEPARATOR  = 1 << 3, /* \p{Z} */
  CPT_MARK       = 1 << 4, /* \p{M} */
  CPT_PUNCT      = 1 << 5, /* \p{P} */
  CPT_SYMBOL     = 1 << 6, /* \p{S} */
  CPT_CONTROL    = 1 << 7, /* \p{C}, unassigned included */
  CPT_WHITESPACE = 1 << 8, /* White_Space, as Python's regex \s */
};

#define OUT_OF_RANGE 0xFFFFFFFFu

static gboolean
is_white_space (gunichar c)
{
  /* the 25 code points with the Unicode White_Space property */
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000;
}

static guint
cpt_category (gunichar c)
{
  if (c > 0x10FFFF)
    return CPT_UNDEFINED;

  switch (g_unichar_type (c))
    {
    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
    case G_UNICODE_UPPERCASE_LETTER:
      return CPT_LETTER;
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
      return CPT_NUMBER;
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_NON_SPACING_MARK:
      return CPT_MARK;
    case G_UNICODE_CONNECT_PUNCTUATION:
    case G_UNICODE_DASH_PUNCTUATION:
    case G_UNICODE_CLOSE_PUNCTUATION:
    case G_UNICODE_FINAL_PUNCTUATION:
    case G_UNICODE_INITIAL_PUNCTUATION:
    case G_UNICODE_OTHER_PUNCTUATION:
    case G_UNICODE_OPEN_PUNCTUATION:
      return CPT_PUNCT;
    case G_UNICODE_CURRENCY_SYMBOL:
    case G_UNICODE_MODIFIER_SYMBOL:
    case G_UNICODE_MATH_SYMBOL:
    case G_UNICODE_OTHER_SYMBOL:
      return CPT_SYMBOL;
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SPACE_SEPARATOR:
      return CPT_SEPARATOR;
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    default:
      return CPT_CONTROL;
    }
}

/* Never 0 for a real code point: 0 is reserved for "outside the current word". */
static guint
cpt_flags (gunichar c)
{
  static guint16 ascii[128];
  static gsize ascii_ready = 0;
  guint flags;

  if (c < 128)
    {
      if (g_once_init_enter (&ascii_ready))
        {
          for (gunichar a = 0; a < 128; a++)
            ascii[a] = (guint16) (cpt_category (a) | (is_white_space (a) ? CPT_WHITESPACE : 0));
          g_once_init_leave (&ascii_ready, 1);
        }
      return ascii[c];
    }
  flags = cpt_category (c);
  if (is_white_space (c))
    flags |= CPT_WHITESPACE;
  return flags;
}

/* unicode_cpt_from_utf8 with unicode_cpts_from_utf8's error handling: a bad sequence costs one
 * byte and yields U+FFFD. Overlong forms are accepted, as there. */
static gunichar
cpt_from_utf8 (const guint8 *s,
               gsize         len,
               gsize        *offset)
{
  gsize o = *offset;
  guint8 c = s[o];

  if (!(c & 0x80))
    {
      *offset = o + 1;
      return c;
    }
  if (!(c & 0x40))
    goto invalid;
  if (!(c & 0x20))
    {
      if (o + 1 >= len || (s[o + 1] & 0xc0) != 0x80)
        goto invalid;
      *offset = o + 2;
      return ((c & 0x1f) << 6) | (s[o + 1] & 0x3f);
    }
  if (!(c & 0x10))
    {
      if (o + 2 >= len || (s[o + 1] & 0xc0) != 0x80 || (s[o + 2] & 0xc0) != 0x80)
        goto invalid;
      *offset = o + 3;
      return ((c & 0x0f) << 12) | ((s[o + 1] & 0x3f) << 6) | (s[o + 2] & 0x3f);
    }
  if (!(c & 0x08))
    {
      if (o + 3 >= len || (s[o + 1] & 0xc0) != 0x80 || (s[o + 2] & 0xc0) != 0x80 ||
          (s[o + 3] & 0xc0) != 0x80)
        goto invalid;
      *offset = o + 4;
      return ((c & 0x07) << 18) | ((s[o + 1] & 0x3f) << 12) | ((s[o + 2] & 0x3f) << 6) |
             (s[o + 3] & 0x3f);
    }
invalid:
  *offset = o + 1;
  return 0xFFFD;
}

static GArray *
cpts_from_utf8 (const char *text,
                gsize       len)
{
  GArray *cpts = g_array_sized_new (FALSE, FALSE, sizeof (gunichar), len);
  gsize offset = 0;

  while (offset < len)
    {
      gunichar c = cpt_from_utf8 ((const guint8 *) text, len, &offset);

      g_array_append_val (cpts, c);
    }
  return cpts;
}

/* ------------------------------------------------------------------------------------------ */
/* Pre-tokenizer splits. Each takes the current split (lengths in code points, summing to the  */
/* text) and refines every part of it, as unicode_regex_split chains its expressions.          */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  const gunichar *cpts;
  gsize           ini;      /* the current part: [ini, end) */
  gsize           end;
  gsize           prev_end; /* where the last emitted word ended */
  GArray         *out;      /* gsize lengths */
} Splitter;

static inline gunichar
sp_cpt (const Splitter *sp,
        gsize           pos)
{
  return pos >= sp->ini && pos < sp->end ? sp->cpts[pos] : OUT_OF_RANGE;
}

static inline guint
sp_flags (const Splitter *sp,
          gsize           pos)
{
  return pos >= sp->ini && pos < sp->end ? cpt_flags (sp->cpts[pos]) : 0;
}

/* Ends a word at @end; returns its length (0 emits nothing). */
static gsize
sp_emit (Splitter *sp,
         gsize     end)
{
  gsize len = end - sp->prev_end;

  g_assert (sp->prev_end <= end && end <= sp->end);
  if (len > 0)
    g_array_append_val (sp->out, len);
  sp->prev_end = end;
  return len;
}

static inline gunichar
to_lower (gunichar c)
{
  return c == OUT_OF_RANGE ? c : g_unichar_tolower (c);
}

typedef void (*SplitPartFunc) (Splitter *sp, gpointer data);

static GArray *
split_each (const gunichar *cpts,
            GArray         *offsets,
            SplitPartFunc   func,
            gpointer        data)
{
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (gsize), offsets->len);
  gsize start = 0;

  for (guint i = 0; i < offsets->len; i++)
    {
      Splitter sp = { cpts, start, start + g_array_index (offsets, gsize, i), start, out };

      start = sp.end;
      func (&sp, data);
    }
  g_array_unref (offsets);
  return out;
}

/* 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
 * (unicode_regex_split_custom_gpt2) */
static void
split_gpt2 (Splitter *sp,
            gpointer  data)
{
  for (gsize pos = sp->ini; pos < sp->end;)
    {
      gunichar cpt = sp_cpt (sp, pos);
      guint flags = sp_flags (sp, pos);
      guint flags2;
      gsize n_ws = 0;

      if (cpt == '\'' && pos + 1 < sp->end)
        {
          gunichar next = sp_cpt (sp, pos + 1);

          if (next == 's' || next == 't' || next == 'm' || next == 'd')
            {
              pos += sp_emit (sp, pos + 2);
              continue;
            }
          if (pos + 2 < sp->end)
            {
              gunichar next2 = sp_cpt (sp, pos + 2);

              if ((next == 'r' && next2 == 'e') || (next == 'v' && next2 == 'e') ||
                  (next == 'l' && next2 == 'l'))
                {
                  pos += sp_emit (sp, pos + 3);
                  continue;
                }
            }
        }

      flags2 = cpt == ' ' ? sp_flags (sp, pos + 1) : flags;
      if (flags2 & CPT_LETTER)
        {
          pos += cpt == ' ';
          while (flags2 & CPT_LETTER)
            flags2 = sp_flags (sp, ++pos);
          sp_emit (sp, pos);
          continue;
        }
      if (flags2 & CPT_NUMBER)
        {
          pos += cpt == ' ';
          while (flags2 & CPT_NUMBER)
            flags2 = sp_flags (sp, ++pos);
          sp_emit (sp, pos);
          continue;
        }
      if (!(flags2 & (CPT_WHITESPACE | CPT_LETTER | CPT_NUMBER)) && flags2 != 0)
        {
          pos += cpt == ' ';
          while (!(flags2 & (CPT_WHITESPACE | CPT_LETTER | CPT_NUMBER)) && flags2 != 0)
            flags2 = sp_flags (sp, ++pos);
          sp_emit (sp, pos);
          continue;
        }

      while (sp_flags (sp, pos + n_ws) & CPT_WHITESPACE)
        n_ws++;
      /* \s+(?!\S): a run before a non-space leaves its last space to the next word */
      if (n_ws > 1 && sp_cpt (sp, pos + n_ws) != OUT_OF_RANGE)
        {
          pos += n_ws - 1;
          sp_emit (sp, pos);
          continue;
        }
      if (n_ws > 0)
        {
          pos += n_ws;
          sp_emit (sp, pos);
          continue;
        }
      sp_emit (sp, ++pos);
    }
}

/* (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,D}| ?[^\s\p{L}\p{N}]+[\r\n]*|
 * \s*[\r\n]+|\s+(?!\S)|\s+ with D = 3 for llama3 and 1 for qwen2
 * (unicode_regex_split_custom_llama3 and _qwen2) */
static void
split_llama3 (Splitter *sp,
              gpointer  data)
{
  gsize max_digits = GPOINTER_TO_SIZE (data);

  for (gsize pos = sp->ini; pos < sp->end;)
    {
      gunichar cpt = sp_cpt (sp, pos);
      guint flags = sp_flags (sp, pos);
      guint flags2;
      gsize n_ws = 0, last_rn = 0;

      if (cpt == '\'' && pos + 1 < sp->end)
        {
          gunichar next = to_lower (sp_cpt (sp, pos + 1));

          if (next == 's' || next == 't' || next == 'm' || next == 'd')
            {
              pos += sp_emit (sp, pos + 2);
              continue;
            }
          if (pos + 2 < sp->end)
            {
              gunichar next2 = to_lower (sp_cpt (sp, pos + 2));

              if ((next == 'r' && next2 == 'e') || (next == 'v' && next2 == 'e') ||
                  (next == 'l' && next2 == 'l'))
                {
                  pos += sp_emit (sp, pos + 3);
                  continue;
                }
            }
        }

      if (!(cpt == '\r' || cpt == '\n' || (flags & CPT_NUMBER)))
        {
          if ((flags & CPT_LETTER) || (sp_flags (sp, pos + 1) & CPT_LETTER))
            {
              pos++;
              while (sp_flags (sp, pos) & CPT_LETTER)
                pos++;
              sp_emit (sp, pos);
              continue;
            }
        }

      if (flags & CPT_NUMBER)
        {
          gsize ini = pos;

          while (sp_flags (sp, pos) & CPT_NUMBER)
            {
              if (++pos - ini >= max_digits)
                {
                  sp_emit (sp, pos);
                  ini = pos;
                }
            }
          sp_emit (sp, pos);
          continue;
        }

      /* the first test looks at this code point's own flags, not flags2, as llama.cpp does */
      flags2 = cpt == ' ' ? sp_flags (sp, pos + 1) : flags;
      if (!(flags2 & (CPT_WHITESPACE | CPT_LETTER | CPT_NUMBER)) && flags != 0)
        {
          gunichar c2;

          pos += cpt == ' ';
          while (!(flags2 & (CPT_WHITESPACE | CPT_LETTER | CPT_NUMBER)) && flags2 != 0)
            flags2 = sp_flags (sp, ++pos);
          c2 = sp_cpt (sp, pos);
          while (c2 == '\r' || c2 == '\n')
            c2 = sp_cpt (sp, ++pos);
          sp_emit (sp, pos);
          continue;
        }

      while (sp_flags (sp, pos + n_ws) & CPT_WHITESPACE)
        {
          gunichar c2 = sp_cpt (sp, pos + n_ws);

          if (c2 == '\r' || c2 == '\n')
            last_rn = pos + n_ws + 1;
          n_ws++;
        }
      /* \s*[\r\n]+ */
      if (last_rn > 0)
        {
          pos = last_rn;
          sp_emit (sp, pos);
          continue;
        }
      /* \s+(?!\S) */
      if (n_ws > 1 && sp_cpt (sp, pos + n_ws) != OUT_OF_RANGE)
        {
          pos += n_ws - 1;
          sp_emit (sp, pos);
          continue;
        }
      if (n_ws > 0)
        {
          pos += n_ws;
          sp_emit (sp, pos);
          continue;
        }
      sp_emit (sp, ++pos);
    }
}

/* "[\p{P}\$\+<=>\^~\|]+" and "\p{N}+" through std::regex: runs of the class become words, and
 * so do the stretches between them. */
typedef gboolean (*ClassFunc) (gunichar c);

static gboolean
class_default_punct (gunichar c)
{
  return (cpt_flags (c) & CPT_PUNCT) || (c < 128 && strchr ("$+<=>^~|", (int) c) != NULL);
}

static gboolean
class_number (gunichar c)
{
  return (cpt_flags (c) & CPT_NUMBER) != 0;
}

static void
split_runs (Splitter *sp,
            gpointer  data)
{
  ClassFunc in_class = (ClassFunc) data;
  gboolean prev = FALSE;

  for (gsize pos = sp->ini; pos < sp->end; pos++)
    {
      gboolean cur = in_class (sp->cpts[pos]);

      if (pos > sp->ini && cur != prev)
        sp_emit (sp, pos);
      prev = cur;
    }
  sp_emit (sp, sp->end);
}

/* "[0-9][0-9][0-9]" through std::wregex: each group of three ASCII digits, leftmost first. */
static void
split_digit_triples (Splitter *sp,
                     gpointer  data)
{
  gsize pos = sp->ini;

  while (pos < sp->end)
    {
      if (pos + 2 < sp->end &&
          g_ascii_isdigit (sp->cpts[pos] < 128 ? (char) sp->cpts[pos] : 'x') &&
          g_ascii_isdigit (sp->cpts[pos + 1] < 128 ? (char) sp->cpts[pos + 1] : 'x') &&
          g_ascii_isdigit (sp->cpts[pos + 2] < 128 ? (char) sp->cpts[pos + 2] : 'x'))
        {
          sp_emit (sp, pos);
          pos += 3;
          sp_emit (sp, pos);
        }
      else
        pos++;
    }
  sp_emit (sp, sp->end);
}

/* Word lengths in code points for @cpts under @pre. */
static GArray *
pre_tokenize (ScTokenizerPre  pre,
              GArray         *cpts)
{
  const gunichar *c = (const gunichar *) (void *) cpts->data;
  GArray *offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize whole = cpts->len;

  if (whole == 0)
    return offsets;
  g_array_append_val (offsets, whole);

  switch (pre)
    {
    case SC_TOKENIZER_PRE_GPT2:
      offsets = split_each (c, offsets, split_gpt2, NULL);
      break;
    case SC_TOKENIZER_PRE_LLAMA3:
      offsets = split_each (c, offsets, split_llama3, GSIZE_TO_POINTER (3));
      break;
    case SC_TOKENIZER_PRE_QWEN2:
      offsets = split_each (c, offsets, split_llama3, GSIZE_TO_POINTER (1));
      break;
    case SC_TOKENIZER_PRE_DEFAULT:
    default:
      offsets = split_each (c, offsets, split_runs, (gpointer) class_default_punct);
      offsets = split_each (c, offsets, split_gpt2, NULL);
      offsets = split_each (c, offsets, split_runs, (gpointer) class_number);
      offsets = split_each (c, offsets, split_digit_triples, NULL);
      break;
    }
  return offsets;
}

/* ------------------------------------------------------------------------------------------ */
/* GPT-2's byte alphabet                                                                      */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  char   utf8[256][3];  /* each byte as the UTF-8 of its stand-in code point */
  gint16 byte_of[324];  /* stand-in code point → byte, -1 where none */
} ByteAlphabet;

static const ByteAlphabet *
byte_alphabet (void)
{
  static ByteAlphabet alphabet;
  static gsize ready = 0;

  if (g_once_init_enter (&ready))
    {
      guint n = 0;

      for (guint i = 0; i < G_N_ELEMENTS (alphabet.byte_of); i++)
        alphabet.byte_of[i] = -1;
      for (guint b = 0; b < 256; b++)
        {
          gunichar c;

          if ((b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF))
            c = b;
          else
            c = 256 + n++;
          g_unichar_to_utf8 (c, alphabet.utf8[b]);
          alphabet.byte_of[c] = (gint16) b;
        }
      g_once_init_leave (&ready, 1);
    }
  return &alphabet;
}

const char *
_sc_bpe_byte_to_utf8 (guint8 byte)
{
  /* at most two bytes and NUL-padded: utf8[b] is a string when read with strlen up to 3 */
  static char strings[256][4];
  static gsize ready = 0;

  if (g_once_init_enter (&ready))
    {
      const ByteAlphabet *a = byte_alphabet ();

      for (guint b = 0; b < 256; b++)
        {
          gsize n = g_utf8_skip[(guint8) a->utf8[b][0]];

          memcpy (strings[b], a->utf8[b], n);
          strings[b][n] = '\0';
        }
      g_once_init_leave (&ready, 1);
    }
  return strings[byte];
}

/* llama_decode_text: each code point of a byte-level piece back to its byte. Code points
 * outside the alphabet (never in a well-formed vocabulary) are kept as UTF-8. */
void
_sc_bpe_decode_piece (const char *text,
                      gsize       len,
                      GString    *out)
{
  const ByteAlphabet *a = byte_alphabet ();
  gsize offset = 0;

  while (offset < len)
    {
      gsize start = offset;
      gunichar c = cpt_from_utf8 ((const guint8 *) text, len, &offset);

      if (c < G_N_ELEMENTS (a->byte_of) && a->byte_of[c] >= 0)
        g_string_append_c (out, (char) a->byte_of[c]);
      else
        g_string_append_len (out, text + start, offset - start);
    }
}

/* Appends @cpts re-encoded as UTF-8, each byte spelled in GPT-2's alphabet. */
static void
byte_encode (GString        *word,
             const gunichar *cpts,
             gsize           n)
{
  const ByteAlphabet *a = byte_alphabet ();

  g_string_truncate (word, 0);
  for (gsize i = 0; i < n; i++)
    {
      char utf8[6];
      gunichar c = cpts[i] <= 0x10FFFF ? cpts[i] : 0xFFFD;
      gint k = g_unichar_to_utf8 (c, utf8);

      for (gint j = 0; j < k; j++)
        {
          const char *enc = a->utf8[(guint8) utf8[j]];

          g_string_append_len (word, enc, g_utf8_skip[(guint8) enc[0]]);
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Merging (llm_tokenizer_bpe_session)                                                         */
/* ------------------------------------------------------------------------------------------ */

static void
bpe_add_bigram (ScTokenizer    *tok,
                const char     *word,
                const ScSymbol *symbols,
                gint            left,
                gint            right,
                GArray         *queue)
{
  ScBigram bigram;
  gint32 rank;

  if (left < 0 || right < 0)
    return;
  /* the two symbols are adjacent in the word: look the pair up as one span split at left */
  rank = _sc_piece_table_lookup (&tok->merges, word + symbols[left].off,
                                 symbols[left].n + symbols[right].n, (guint32) symbols[left].n);
  if (rank < 0)
    return;
  bigram.left = left;
  bigram.right = right;
  bigram.score = 0.0f;
  bigram.rank = rank;
  bigram.size = symbols[left].n + symbols[right].n;
  _sc_bigram_queue_push (queue, &bigram, FALSE);
}

static void
bpe_merge_word (ScTokenizer *tok,
                const char  *word,
                gsize        len,
                GArray      *symbols_arr,
                GArray      *queue,
                GArray      *out)
{
  ScSymbol *symbols;
  ScBigram bigram;
  gint32 id;

  if (tok->ignore_merges && (id = _sc_piece_table_lookup (&tok->vocab, word, len, 0)) >= 0)
    {
      g_array_append_val (out, id);
      return;
    }

  g_array_set_size (queue, 0);
  symbols = _sc_symbols_from_utf8 (symbols_arr, word, len);

  for (guint i = 1; i < symbols_arr->len; i++)
    bpe_add_bigram (tok, word, symbols, i - 1, i, queue);

  while (_sc_bigram_queue_pop (queue, &bigram, FALSE))
    {
      ScSymbol *left = &symbols[bigram.left];
      ScSymbol *right = &symbols[bigram.right];

      /* lengths only grow, so equal text is equal size */
      if (left->n == 0 || right->n == 0 || left->n + right->n != bigram.size)
        continue;

      left->n += right->n;
      right->n = 0;
      left->next = right->next;
      if (right->next >= 0)
        symbols[right->next].prev = bigram.left;

      bpe_add_bigram (tok, word, symbols, left->prev, bigram.left, queue);
      bpe_add_bigram (tok, word, symbols, bigram.left, left->next, queue);
    }

  for (guint i = 0; i < symbols_arr->len; i++)
    {
      const ScSymbol *sym = &symbols[i];

      if (sym->n == 0)
        continue;
      id = _sc_piece_table_lookup (&tok->vocab, word + sym->off, sym->n, 0);
      if (id >= 0)
        {
          g_array_append_val (out, id);
          continue;
        }
      /* A symbol that is no piece: llama.cpp looks up each of its bytes as a one-byte piece,
       * which only the printable ASCII part of the alphabet can be, and drops the rest. */
      for (gsize j = 0; j < sym->n; j++)
        {
          id = _sc_piece_table_lookup (&tok->vocab, word + sym->off + j, 1, 0);
          if (id >= 0)
            g_array_append_val (out, id);
        }
    }
}

gboolean
_sc_bpe_tokenize (ScTokenizer  *tok,
                  const char   *text,
                  gsize         len,
                  GArray       *out,
                  GError      **error)
{
  g_autoptr (GArray) cpts = cpts_from_utf8 (text, len);
  g_autoptr (GArray) offsets = pre_tokenize (tok->pre, cpts);
  g_autoptr (GArray) symbols = g_array_new (FALSE, FALSE, sizeof (ScSymbol));
  g_autoptr (GArray) queue = g_array_new (FALSE, FALSE, sizeof (ScBigram));
  g_autoptr (GString) word = g_string_new (NULL);
  const gunichar *c = (const gunichar *) (void *) cpts->data;
  gsize start = 0;

  for (guint i = 0; i < offsets->len; i++)
    {
      gsize n = g_array_index (offsets, gsize, i);

      byte_encode (word, c + start, n);
      start += n;
      bpe_merge_word (tok, word->str, word->len, symbols, queue, out);
    }
  return TRUE;
}

char **
_sc_bpe_pre_tokenize (ScTokenizerPre  pre,
                      const char     *text,
                      gsize           len)
{
  g_autoptr (GArray) cpts = cpts_from_utf8 (text, len);
  g_autoptr (GArray) offsets = pre_tokenize (pre, cpts);
  g_autoptr (GPtrArray) words = g_ptr_array_new ();
  const gunichar *c = (const gunichar *) (void *) cpts->data;
  gsize start = 0;

  for (guint i = 0; i < offsets->len; i++)
    {
      gsize n = g_array_index (offsets, gsize, i);
      GString *w = g_string_new (NULL);

      for (gsize j = 0; j < n; j++)
        g_string_append_unichar (w, c[start + j] <= 0x10FFFF ? c[start + j] : 0xFFFD);
      start += n;
      g_ptr_array_add (words, g_string_free (w, FALSE));
    }
  g_ptr_array_add (words, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&words), FALSE);
}
