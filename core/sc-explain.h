/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-explain.h: why the tagging model (sc-ner.h) gave a span of words its entity type — a
 * score per context word, for a heatmap beside the finding.
 *
 * The target is the model's belief in the finding: the mean over the span's words of
 * log P(B-X) at the first word and log P(I-X) at the others (X the entity type, "PER"). The
 * words around the span (up to ScExplainOptions.context_words each side, the span's own words
 * included, within one encoder window) are the "players"; hiding a word means replacing all its
 * word pieces by [MASK] ([UNK] where the vocabulary has no mask token). Two methods:
 *
 *   SC_EXPLAIN_OCCLUSION    leave-one-out: score of word j = target(all words) − target(word
 *                           j hidden). Exact, one variant per word.
 *   SC_EXPLAIN_KERNEL_SHAP  KernelSHAP: n_samples random coalitions (each word kept with
 *                           probability ½, drawn in complementary pairs from a fixed seed), a
 *                           Shapley-kernel weighted least-squares fit of the target on the keep
 *                           indicators under the efficiency constraint (the scores sum to
 *                           target(all words) − target(all hidden)), with a light ridge term
 *                           (there may be more words than coalitions).
 *
 * Positive scores mean the word made the model more sure of the type. All variants of one
 * explanation go through the encoder in one batched call. Scores are in units of mean
 * log-probability (nats). The model sees only the explained words (with [CLS] and [SEP]), so
 * in a long text the target may differ slightly from the probabilities sc_ner_find() reports,
 * which come from its own windows.
 *
 *   g_autoptr(ScExplanation) e = sc_explain_finding (ner, text, finding, SC_EXPLAIN_ALL,
 *                                                    NULL, &error);
 *   g_autofree char *summary = sc_explanation_summarize (e, SC_EXPLAIN_OCCLUSION);
 */
#pragma once

#include <gio/gio.h>

#include "sc-finding.h"
#include "sc-ner.h"

G_BEGIN_DECLS

typedef enum
{
  SC_EXPLAIN_OCCLUSION   = 1 << 0,
  SC_EXPLAIN_KERNEL_SHAP = 1 << 1,
} ScExplainMethod;

#define SC_EXPLAIN_ALL (SC_EXPLAIN_OCCLUSION | SC_EXPLAIN_KERNEL_SHAP)

typedef struct
{
  guint   context_words; /* words explained on each side of the span (40) */
  guint   n_samples;     /* coalitions of SC_EXPLAIN_KERNEL_SHAP (64; made even, 2 .. 65536) */
  guint64 seed;          /* of the coalitions (1): equal seeds give equal scores */
} ScExplainOptions;

/* One word of an explanation. */
typedef struct
{
  char     *text;    /* the word as it stands in the text (or as given) */
  gsize     start;   /* bytes in the text, [start, end); both 0 for pre-split words */
  gsize     end;
  gsize     index;   /* the word's index among all words of the input */
  gboolean  in_span; /* one of the finding's own words */
} ScExplainWord;

typedef struct _ScExplanation ScExplanation;
typedef struct _ScExplanationPrivate ScExplanationPrivate;

/* Immutable once returned; reference counted. */
struct _ScExplanation
{
  /*< private >*/
  gatomicrefcount        ref_count;
  ScExplanationPrivate  *priv;

  /*< public >*/
  char            *label;          /* the entity type, "PER" */
  ScExplainWord   *words;          /* [n_words]: the explained words in text order */
  guint            n_words;
  guint            span_start;     /* the finding's words: words[span_start .. span_end) */
  guint            span_end;
  gboolean         has_offsets;    /* whether start/end of the words point into a text */
  ScExplainMethod  methods;        /* the methods computed */
  double          *occlusion;      /* [n_words], or NULL when not computed */
  double          *kernel_shap;    /* [n_words], or NULL when not computed */
  double           score;          /* target with every word present (mean log-probability) */
  double           probability;    /* exp (score): geometric mean of the span's tag probabilities */
  double           masked_score;   /* target with every explained word hidden */
  guint            n_samples;      /* coalitions used by SC_EXPLAIN_KERNEL_SHAP, else 0 */
  guint64          seed;
  char            *model_name;     /* general.name of the tagging model */
  char            *model_version;  /* general.version, or "" */
};

#define SC_TYPE_EXPLANATION (sc_explanation_get_type ())

GType          sc_explanation_get_type     (void) G_GNUC_CONST;
ScExplanation *sc_explanation_ref          (ScExplanation           *explanation);
void           sc_explanation_unref        (ScExplanation           *explanation);

/* context_words 40, n_samples 64, seed 1 */
void           sc_explain_options_init     (ScExplainOptions        *options);

/* Explains the words [@w0, @w1) of the pre-split @words (@n_words; a sentence or a document,
 * split as for sc_ner_tag_words()) as entity type @label ("PER"; B-@label and, for spans of
 * several words, I-@label must be model labels). @options may be NULL for the defaults.
 * Fails with SC_ERROR_INVALID_ARGUMENT for an empty or out-of-range span, an unknown type, no
 * method or a span longer than the model's context; G_IO_ERROR_CANCELLED when cancelled. */
ScExplanation *sc_explain_words            (ScNer                   *ner,
                                            const char *const       *words,
                                            gsize                    n_words,
                                            gsize                    w0,
                                            gsize                    w1,
                                            const char              *label,
                                            ScExplainMethod          methods,
                                            const ScExplainOptions  *options,
                                            GCancellable            *cancellable,
                                            GError                 **error);
/* The same for the words [@w0, @w1) of @text as the tokenizer splits it (as sc_ner_find()
 * does); the words carry byte offsets into @text. */
ScExplanation *sc_explain_text             (ScNer                   *ner,
                                            const char              *text,
                                            gsize                    w0,
                                            gsize                    w1,
                                            const char              *label,
                                            ScExplainMethod          methods,
                                            const ScExplainOptions  *options,
                                            GCancellable            *cancellable,
                                            GError                 **error);
/* A finding sc_ner_find() made in @text (source SC_FINDING_SOURCE_MODEL, label the entity
 * type), with the default options. Fails with SC_ERROR_INVALID_ARGUMENT when the finding does
 * not begin and end on words of @text and SC_ERROR_NOT_SUPPORTED for findings of other
 * sources. */
ScExplanation *sc_explain_finding          (ScNer                   *ner,
                                            const char              *text,
                                            const ScFinding         *finding,
                                            ScExplainMethod          methods,
                                            GCancellable            *cancellable,
                                            GError                 **error);

/* The scores of one computed @method (a single flag), or NULL. */
const double  *sc_explanation_get_scores   (ScExplanation           *explanation,
                                            ScExplainMethod          method);
/* The indices into words[] of at most @k words with the highest scores of @method, best
 * first (ties by position), written to @out; with @context_only, the span's own words are
 * left out. Returns how many were written. */
guint          sc_explanation_get_top_words (ScExplanation          *explanation,
                                             ScExplainMethod         method,
                                             guint                   k,
                                             gboolean                context_only,
                                             guint                  *out);
/* Evaluates the target for @n_masks variants of the explained words: @keep holds n_masks rows
 * of n_words flags (FALSE hides the word). Writes @n_masks mean log-probabilities to @scores.
 * Gives the same values the methods saw, for checks such as comprehensiveness. */
gboolean       sc_explanation_eval_masks   (ScExplanation           *explanation,
                                            const gboolean          *keep,
                                            guint                    n_masks,
                                            double                  *scores,
                                            GCancellable            *cancellable,
                                            GError                 **error);

/* The deletion test, for showing an audience how much the words with the highest scores carry
 * the finding: the model's probability of the finding (as ScExplanation.probability) after
 * hiding the k context words (outside the span) with the highest scores of @method, for k = 0
 * .. @max_k, next to hiding k context words drawn at random (the mean probability over
 * @n_draws draws from @seed; the same seed gives the same draws). @max_k is capped at the
 * number of context words. Writes the capped @max_k + 1 probabilities to @top and @random
 * (entry 0 has nothing hidden) and returns that count, or 0 with @error set (@method not
 * computed or not a single flag: SC_ERROR_INVALID_ARGUMENT; G_IO_ERROR_CANCELLED). All
 * variants go through the encoder in one batched call. */
guint          sc_explanation_deletion_test (ScExplanation          *explanation,
                                             ScExplainMethod         method,
                                             guint                   max_k,
                                             guint                   n_draws,
                                             guint64                 seed,
                                             double                 *top,
                                             double                 *random,
                                             GCancellable           *cancellable,
                                             GError                **error);
/* How far the two methods agree: Spearman's rank correlation of their scores over the
 * explained words (ties share their mean rank), from −1 to 1. NAN when either method was
 * not computed or there are fewer than two words or all scores of one method are equal. */
double         sc_explanation_get_agreement (ScExplanation          *explanation);

/* A translated sentence naming the (at most) three words outside the span with the highest
 * scores of @method, with their scores, leaving out scores under 0.005 (which would show as
 * +0.00): "Most influential words: “Frau” (+0.42), …"; another sentence when no word is
 * left. */
char          *sc_explanation_summarize    (ScExplanation           *explanation,
                                            ScExplainMethod          method);

/* "occlusion", "kernel-shap"; NULL for anything but a single flag. */
const char    *sc_explain_method_to_string (ScExplainMethod          method);
/* A translated name for people. */
const char    *sc_explain_method_get_display_name (ScExplainMethod   method);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScExplanation, sc_explanation_unref)

G_END_DECLS
