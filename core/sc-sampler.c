/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-sampler.c: greedy decoding and seeded sampling (top-k → top-p → min-p → temperature →
 * draw, llama.cpp's default order). */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "sc-sampler.h"

struct _ScSampler
{
  ScSamplerParams     params;
  ScRng               rng;
  ScSamplerCandidate *work;     /* [capacity] */
  gsize               capacity;
};

/* ---------------------------------------------------------------- PRNG */

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

void
sc_rng_init (ScRng   *rng,
             guint64  seed)
{
  g_return_if_fail (rng != NULL);
  for (int i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&seed);
}

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

guint64
sc_rng_next (ScRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

double
sc_rng_uniform (ScRng *rng)
{
  /* The top 53 bits as the mantissa of a double in [0, 1). */
  return (double) (sc_rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}

/* ---------------------------------------------------------------- filters */

gint32
sc_sampler_argmax (const float *logits,
                   gsize        n_vocab)
{
  gsize best = 0;

  g_return_val_if_fail (logits != NULL && n_vocab > 0, -1);
  for (gsize i = 1; i < n_vocab; i++)
    if (logits[i] > logits[best])
      best = i;
  return (gint32) best;
}

static int
compare_candidates (const void *a,
                    const void *b)
{
  const ScSamplerCandidate *x = a, *y = b;

  if (x->logit != y->logit)
    return x->logit > y->logit ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Probabilities of the (sorted) candidates at temperature @temp. */
static void
softmax (ScSamplerCandidate *c,
         gsize               n,
         float               temp)
{
  double sum = 0;

  for (gsize i = 0; i < n; i++)
    {
      c[i].p = expf ((c[i].logit - c[0].logit) / temp);
      sum += c[i].p;
    }
  for (gsize i = 0; i < n; i++)
    c[i].p = (float) (c[i].p / sum);
}

gsize
sc_sampler_filter (const ScSamplerParams *params,
                   const float           *logits,
                   gsize                  n_vocab,
                   ScSamplerCandidate    *out)
{
  gsize n = n_vocab;

  g_return_val_if_fail (params != NULL && logits != NULL && out != NULL && n_vocab > 0, 0);

  for (gsize i = 0; i < n_vocab; i++)
    {
      out[i].id = (gint32) i;
      out[i].logit = logits[i];
      out[i].p = 0;
    }
  qsort (out, n, sizeof *out, compare_candidates);

  if (params->top_k > 0 && (gsize) params->top_k < n)
    n = params->top_k;

  if (params->top_p < 1.0f)
    {
      double cum = 0;

      softmax (out, n, 1.0f);
      for (gsize i = 0; i < n; i++)
        {
          cum += out[i].p;
          if (cum >= params->top_p)
            {
              n = i + 1;
              break;
            }
        }
    }

  if (params->min_p > 0.0f)
    {
      /* p_i >= min_p * p_max, compared in logit space as llama.cpp does. */
      float min_logit = out[0].logit + logf (params->min_p);
      gsize keep = 1;

      while (keep < n && out[keep].logit >= min_logit)
        keep++;
      n = keep;
    }

  softmax (out, n, 1.0f);
  return n;
}

/* ---------------------------------------------------------------- sampler */

void
sc_sampler_params_init (ScSamplerParams *params)
{
  g_return_if_fail (params != NULL);
  params->temperature = 0.8f;
  params->top_k = 40;
  params->top_p = 0.95f;
  params->min_p = 0.05f;
  params->seed = 0;
}

ScSampler *
sc_sampler_new (const ScSamplerParams *params)
{
  ScSampler *sampler;

  g_return_val_if_fail (params != NULL, NULL);
  sampler = g_new0 (ScSampler, 1);
  sampler->params = *params;
  sc_rng_init (&sampler->rng, params->seed);
  return sampler;
}

void
sc_sampler_free (ScSampler *sampler)
{
  if (sampler == NULL)
    return;
  g_free (sampler->work);
  g_free (sampler);
}

gint32
sc_sampler_sample (ScSampler   *sampler,
                   const float *logits,
                   gsize        n_vocab)
{
  ScSamplerCandidate *c;
  gsize n;
  double u, cum = 0;

  g_return_val_if_fail (sampler != NULL && logits != NULL && n_vocab > 0, -1);

  if (sampler->params.temperature <= 0.0f)
    return sc_sampler_argmax (logits, n_vocab);

  if (sampler->capacity < n_vocab)
    {
      g_free (sampler->work);
      sampler->work = g_new (ScSamplerCandidate, n_vocab);
      sampler->capacity = n_vocab;
    }
  c = sampler->work;
  n = sc_sampler_filter (&sampler->params, logits, n_vocab, c);
  softmax (c, n, sampler->params.temperature);

  u = sc_rng_uniform (&sampler->rng);
  for (gsize i = 0; i < n; i++)
    {
      cum += c[i].p;
      if (u < cum)
        return c[i].id;
    }
  return c[n - 1].id; /* rounding left the sum just below u */
}
