/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sampler.c: greedy decoding, the seeded PRNG and the top-k / top-p / min-p filters on
 * hand-made distributions whose surviving sets can be worked out on paper. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <math.h>

#include "sc-sampler.h"

#define N_VOCAB 64

/* Logits whose softmax is @probs exactly (up to rounding). */
static void
logits_from_probs (const double *probs,
                   gsize         n,
                   float        *logits)
{
  for (gsize i = 0; i < n; i++)
    logits[i] = probs[i] > 0 ? (float) log (probs[i]) : -INFINITY;
}

static void
random_logits (guint32 seed,
               float  *logits,
               gsize   n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (gsize i = 0; i < n; i++)
    logits[i] = (float) g_rand_double_range (rand, -4, 4);
}

static void
test_argmax (void)
{
  float logits[N_VOCAB];
  float ties[4] = { 1, 3, 3, 2 };
  ScSamplerParams params;
  g_autoptr(ScSampler) greedy = NULL;

  random_logits (1, logits, N_VOCAB);
  logits[17] = 10;
  g_assert_cmpint (sc_sampler_argmax (logits, N_VOCAB), ==, 17);
  /* ties go to the lowest id */
  g_assert_cmpint (sc_sampler_argmax (ties, 4), ==, 1);

  sc_sampler_params_init (&params);
  params.temperature = 0;
  greedy = sc_sampler_new (&params);
  for (guint32 seed = 0; seed < 20; seed++)
    {
      random_logits (seed, logits, N_VOCAB);
      g_assert_cmpint (sc_sampler_sample (greedy, logits, N_VOCAB), ==,
                       sc_sampler_argmax (logits, N_VOCAB));
    }
}

static void
test_top_k_one_is_greedy (void)
{
  ScSamplerParams params;
  g_autoptr(ScSampler) sampler = NULL;
  float logits[N_VOCAB];

  sc_sampler_params_init (&params);
  params.temperature = 1.5f;
  params.top_k = 1;
  params.top_p = 1;
  params.min_p = 0;
  params.seed = 7;
  sampler = sc_sampler_new (&params);
  for (guint32 seed = 0; seed < 50; seed++)
    {
      random_logits (seed, logits, N_VOCAB);
      g_assert_cmpint (sc_sampler_sample (sampler, logits, N_VOCAB), ==,
                       sc_sampler_argmax (logits, N_VOCAB));
    }
}

static void
sample_sequence (guint64 seed,
                 gint32 *out,
                 gsize   n)
{
  ScSamplerParams params;
  g_autoptr(ScSampler) sampler = NULL;
  float logits[N_VOCAB];

  sc_sampler_params_init (&params);
  params.temperature = 1.0f;
  params.top_k = 0;
  params.top_p = 1;
  params.min_p = 0;
  params.seed = seed;
  sampler = sc_sampler_new (&params);
  for (gsize i = 0; i < n; i++)
    {
      random_logits ((guint32) i, logits, N_VOCAB);
      out[i] = sc_sampler_sample (sampler, logits, N_VOCAB);
    }
}

static void
test_seed_reproducible (void)
{
  gint32 a[200], b[200], c[200];
  guint same = 0, differs_from_greedy = 0;

  sample_sequence (42, a, G_N_ELEMENTS (a));
  sample_sequence (42, b, G_N_ELEMENTS (b));
  sample_sequence (43, c, G_N_ELEMENTS (c));
  for (guint i = 0; i < G_N_ELEMENTS (a); i++)
    {
      float logits[N_VOCAB];

      g_assert_cmpint (a[i], ==, b[i]);
      g_assert_cmpint (a[i], >=, 0);
      g_assert_cmpint (a[i], <, N_VOCAB);
      same += a[i] == c[i];
      random_logits (i, logits, N_VOCAB);
      differs_from_greedy += a[i] != sc_sampler_argmax (logits, N_VOCAB);
    }
  /* another seed gives another sequence, and sampling is not greedy in disguise */
  g_assert_cmpuint (same, <, G_N_ELEMENTS (a));
  g_assert_cmpuint (differs_from_greedy, >, 0);
}

static void
test_rng (void)
{
  ScRng rng;
  double sum = 0;

  sc_rng_init (&rng, 1);
  for (int i = 0; i < 10000; i++)
    {
      double u = sc_rng_uniform (&rng);

      g_assert_cmpfloat (u, >=, 0.0);
      g_assert_cmpfloat (u, <, 1.0);
      sum += u;
    }
  g_assert_cmpfloat (fabs (sum / 10000 - 0.5), <, 0.02);
}

/* The frequency with which each token is drawn follows the probabilities. */
static void
test_distribution (void)
{
  static const double probs[4] = { 0.5, 0.25, 0.125, 0.125 };
  float logits[4];
  ScSamplerParams params;
  g_autoptr(ScSampler) sampler = NULL;
  guint counts[4] = { 0 };
  const guint n = 40000;

  logits_from_probs (probs, 4, logits);
  sc_sampler_params_init (&params);
  params.temperature = 1;
  params.top_k = 0;
  params.top_p = 1;
  params.min_p = 0;
  params.seed = 3;
  sampler = sc_sampler_new (&params);
  for (guint i = 0; i < n; i++)
    counts[sc_sampler_sample (sampler, logits, 4)]++;
  for (guint i = 0; i < 4; i++)
    g_assert_cmpfloat (fabs ((double) counts[i] / n - probs[i]), <, 0.01);
}

static gsize
filter (float          top_p,
        float          min_p,
        int            top_k,
        const double  *probs,
        gsize          n,
        ScSamplerCandidate *out)
{
  ScSamplerParams params;
  float logits[16];

  g_assert (n <= G_N_ELEMENTS (logits));
  logits_from_probs (probs, n, logits);
  sc_sampler_params_init (&params);
  params.top_p = top_p;
  params.min_p = min_p;
  params.top_k = top_k;
  return sc_sampler_filter (&params, logits, n, out);
}

static void
test_top_p (void)
{
  /* sorted: 3 (0.4), 0 (0.3), 4 (0.15), 1 (0.1), 2 (0.05) */
  static const double probs[5] = { 0.3, 0.1, 0.05, 0.4, 0.15 };
  ScSamplerCandidate c[5];
  gsize n;

  /* 0.4 + 0.3 = 0.7 reaches 0.7: the token crossing the threshold is kept, no more */
  n = filter (0.69f, 0, 0, probs, 5, c);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (c[0].id, ==, 3);
  g_assert_cmpint (c[1].id, ==, 0);
  g_assert_cmpfloat_with_epsilon (c[0].p, 0.4 / 0.7, 1e-5);
  g_assert_cmpfloat_with_epsilon (c[1].p, 0.3 / 0.7, 1e-5);

  n = filter (0.8f, 0, 0, probs, 5, c);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (c[2].id, ==, 4);

  /* a tiny p still keeps the most likely token */
  n = filter (0.01f, 0, 0, probs, 5, c);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (c[0].id, ==, 3);

  /* p = 1 is off */
  g_assert_cmpuint (filter (1.0f, 0, 0, probs, 5, c), ==, 5);
}

static void
test_min_p (void)
{
  static const double probs[6] = { 0.02, 0.4, 0.2, 0.19, 0.09, 0.1 };
  ScSamplerCandidate c[6];
  gsize n;

  /* min_p 0.5: p >= 0.2 → tokens 1 (0.4) and 2 (0.2) */
  n = filter (1, 0.5f, 0, probs, 6, c);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (c[0].id, ==, 1);
  g_assert_cmpint (c[1].id, ==, 2);
  g_assert_cmpfloat_with_epsilon (c[1].p, 0.2 / 0.6, 1e-5);

  /* min_p 0.24: p >= 0.096 → 1, 2, 3, 5 */
  n = filter (1, 0.24f, 0, probs, 6, c);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpint (c[3].id, ==, 5);

  /* min_p 1 keeps only the maximum */
  g_assert_cmpuint (filter (1, 1.0f, 0, probs, 6, c), ==, 1);
}

static void
test_chain_order (void)
{
  static const double probs[6] = { 0.02, 0.4, 0.2, 0.19, 0.09, 0.1 };
  ScSamplerCandidate c[6];
  gsize n;

  /* top-k 3 first (1, 2, 3), then top-p 0.9 of the renormalised 0.508/0.254/0.241: all
   * three are needed, then min-p 0.55 drops 2 and 3 (0.2 / 0.4 < 0.55) */
  n = filter (0.9f, 0, 3, probs, 6, c);
  g_assert_cmpuint (n, ==, 3);
  n = filter (0.9f, 0.55f, 3, probs, 6, c);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (c[0].id, ==, 1);
  g_assert_cmpfloat_with_epsilon (c[0].p, 1.0, 1e-6);

  /* top-k 2 then top-p 0.6: 0.4/0.6 = 0.667 >= 0.6 keeps one */
  n = filter (0.6f, 0, 2, probs, 6, c);
  g_assert_cmpuint (n, ==, 1);
}

static void
test_temperature (void)
{
  static const double probs[3] = { 0.7, 0.2, 0.1 };
  float logits[3];
  ScSamplerParams params;
  g_autoptr(ScSampler) cold = NULL;
  guint counts[3] = { 0 };

  logits_from_probs (probs, 3, logits);
  sc_sampler_params_init (&params);
  params.top_k = 0;
  params.top_p = 1;
  params.min_p = 0;
  params.temperature = 0.05f; /* (0.2/0.7)^20 ≈ 1e-11: practically greedy */
  cold = sc_sampler_new (&params);
  for (guint i = 0; i < 2000; i++)
    counts[sc_sampler_sample (cold, logits, 3)]++;
  g_assert_cmpuint (counts[0], ==, 2000);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sichtung/sampler/argmax", test_argmax);
  g_test_add_func ("/sichtung/sampler/top-k-one-is-greedy", test_top_k_one_is_greedy);
  g_test_add_func ("/sichtung/sampler/seed-reproducible", test_seed_reproducible);
  g_test_add_func ("/sichtung/sampler/rng", test_rng);
  g_test_add_func ("/sichtung/sampler/distribution", test_distribution);
  g_test_add_func ("/sichtung/sampler/top-p", test_top_p);
  g_test_add_func ("/sichtung/sampler/min-p", test_min_p);
  g_test_add_func ("/sichtung/sampler/chain-order", test_chain_order);
  g_test_add_func ("/sichtung/sampler/temperature", test_temperature);

  return g_test_run ();
}
