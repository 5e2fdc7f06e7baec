/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-sampler.h: choosing the next token from a model's logits.
 *
 * Greedy decoding takes the argmax. Sampling applies llama.cpp's default chain in its order —
 * top-k, top-p, min-p, temperature — and draws from what is left with a seeded PRNG
 * (xoshiro256**), so a seed always gives the same sequence on every machine.
 *
 *   ScSamplerParams params;
 *   sc_sampler_params_init (&params);
 *   params.seed = 42;
 *   g_autoptr(ScSampler) sampler = sc_sampler_new (&params);
 *   gint32 next = sc_sampler_sample (sampler, logits, n_vocab);
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  float   temperature; /* <= 0: greedy (the other settings are ignored) */
  int     top_k;       /* <= 0: off */
  float   top_p;       /* >= 1: off */
  float   min_p;       /* <= 0: off */
  guint64 seed;
} ScSamplerParams;

/* One token left after filtering: its id, logit (before temperature) and probability. */
typedef struct
{
  gint32 id;
  float  logit;
  float  p;
} ScSamplerCandidate;

typedef struct _ScSampler ScSampler;

/* llama.cpp's defaults: temperature 0.8, top-k 40, top-p 0.95, min-p 0.05; seed 0. */
void       sc_sampler_params_init (ScSamplerParams       *params);
ScSampler *sc_sampler_new         (const ScSamplerParams *params);
void       sc_sampler_free        (ScSampler             *sampler);

/* The next token for @logits ([n_vocab], finite or -inf). Advances the PRNG when sampling. */
gint32     sc_sampler_sample      (ScSampler             *sampler,
                                   const float           *logits,
                                   gsize                  n_vocab);

/* The index of the largest logit, the lowest one on ties. */
gint32     sc_sampler_argmax      (const float           *logits,
                                   gsize                  n_vocab);

/* The candidates top-k, top-p and min-p leave for @logits (temperature and the draw are not
 * applied), sorted by falling logit, with probabilities renormalised over the survivors.
 * Returns how many were written to @out, which must hold @n_vocab entries. */
gsize      sc_sampler_filter      (const ScSamplerParams *params,
                                   const float           *logits,
                                   gsize                  n_vocab,
                                   ScSamplerCandidate    *out);

/* The PRNG itself: a uniform double in [0, 1) from a xoshiro256** state seeded by splitmix64. */
typedef struct
{
  guint64 s[4];
} ScRng;

void       sc_rng_init            (ScRng                 *rng,
                                   guint64                seed);
guint64    sc_rng_next            (ScRng                 *rng);
double     sc_rng_uniform         (ScRng                 *rng);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScSampler, sc_sampler_free)

G_END_DECLS
