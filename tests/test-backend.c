/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-backend.c: choosing a compute backend (CPU, Vulkan, the fallback from one to the other)
 * and the CPU reference ops. Runs with or without a Vulkan device. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <string.h>

#include "sichtung-core.h"

/* Exactly representable inputs and sums, so the expected values need no float reasoning. */
static void
check_add (ScBackend *backend,
           gsize      n)
{
  g_autoptr(GError) error = NULL;
  g_autofree float *a = g_new (float, MAX (n, 1));
  g_autofree float *b = g_new (float, MAX (n, 1));
  g_autofree float *out = g_new0 (float, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    {
      a[i] = (float) i;
      b[i] = -0.5f * (float) (i % 1024);
    }
  g_assert_true (sc_backend_add_f32 (backend, a, b, out, n, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (out[i], ==, (float) i - 0.5f * (float) (i % 1024));

  /* In place. */
  g_assert_true (sc_backend_add_f32 (backend, a, b, b, n, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (b, n * sizeof (float), out, n * sizeof (float));
}

static void
test_cpu (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autoptr(ScBackend) backend = sc_backend_new ("cpu", &message, &error);
  g_autoptr(ScBackend) direct = sc_backend_cpu_new ();
  const float one = 1.0f, two = 2.0f;
  float sum = 0.0f;

  g_assert_no_error (error);
  g_assert_true (SC_IS_BACKEND_CPU (backend));
  g_assert_null (message);
  g_assert_cmpstr (sc_backend_get_name (backend), ==, "cpu");
  g_assert_cmpstr (sc_backend_get_device_description (backend), !=, "");

  check_add (backend, 1);
  check_add (backend, 1000003);
  check_add (direct, 7);

  /* Nothing to do is no error, and touches nothing. */
  g_assert_true (sc_backend_add_f32 (backend, NULL, NULL, NULL, 0, &error));
  g_assert_no_error (error);
  g_assert_true (sc_backend_add_f32 (backend, &one, &two, &sum, 1, &error));
  g_assert_cmpfloat (sum, ==, 3.0f);
}

static void
test_fallback (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *message = NULL;
      g_autoptr(ScBackend) backend = NULL;
      g_autoptr(GPtrArray) devices = NULL;

      /* Before any Vulkan call: the loader finds no driver at all. */
      g_setenv ("VK_ICD_FILENAMES", "/nonexistent.json", TRUE);
      g_setenv ("VK_DRIVER_FILES", "/nonexistent.json", TRUE);
      g_unsetenv ("SICHTUNG_DEVICE");

      devices = sc_vk_enumerate_devices (&error);
      g_assert_null (devices);
      g_assert_error (error, SC_ERROR, SC_ERROR_NO_DEVICE);
      g_clear_error (&error);

      backend = sc_backend_new ("auto", &message, &error);
      g_assert_no_error (error);
      g_assert_nonnull (backend);
      g_assert_cmpstr (sc_backend_get_name (backend), ==, "cpu");
      g_assert_nonnull (message);
      g_assert_cmpstr (message, !=, "");
      g_test_message ("fallback message: %s", message);
      check_add (backend, 1000);
      g_clear_object (&backend);
      g_clear_pointer (&message, g_free);

      /* NULL means "auto" too. */
      backend = sc_backend_new (NULL, &message, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (sc_backend_get_name (backend), ==, "cpu");
      g_assert_nonnull (message);
      g_clear_object (&backend);

      /* A device asked for by name does not quietly become the CPU. */
      backend = sc_backend_new ("0", NULL, &error);
      g_assert_error (error, SC_ERROR, SC_ERROR_NO_DEVICE);
      g_assert_null (backend);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_env_cpu (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *message = NULL;
      g_autoptr(ScBackend) backend = NULL;

      g_setenv ("SICHTUNG_DEVICE", "cpu", TRUE);
      backend = sc_backend_new ("auto", &message, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (sc_backend_get_name (backend), ==, "cpu");
      /* Asked for, so not a fallback. */
      g_assert_null (message);

      g_assert_null (sc_vk_context_new (NULL, &error));
      g_assert_error (error, SC_ERROR, SC_ERROR_NO_DEVICE);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_no_such_device (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autoptr(ScBackend) backend = sc_backend_new ("no-such-gpu-xyz", &message, &error);

  g_assert_null (backend);
  g_assert_error (error, SC_ERROR, SC_ERROR_NO_DEVICE);
  g_assert_null (message);
}

/* Whatever this machine has, "auto" gives a working backend, and says why when it is the CPU. */
static void
test_auto (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autoptr(ScBackend) backend = sc_backend_new ("auto", &message, &error);

  g_assert_no_error (error);
  g_assert_nonnull (backend);
  g_test_message ("auto: %s on %s%s%s", sc_backend_get_name (backend),
                  sc_backend_get_device_description (backend), message ? "; " : "",
                  message ? message : "");
  if (g_str_equal (sc_backend_get_name (backend), "vulkan"))
    g_assert_null (message);
  else
    g_assert_nonnull (message);
  check_add (backend, 1000003);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* The tests choose devices themselves. */
  g_unsetenv ("SICHTUNG_DEVICE");

  g_test_add_func ("/sichtung/backend/cpu", test_cpu);
  g_test_add_func ("/sichtung/backend/fallback", test_fallback);
  g_test_add_func ("/sichtung/backend/env-cpu", test_env_cpu);
  g_test_add_func ("/sichtung/backend/no-such-device", test_no_such_device);
  g_test_add_func ("/sichtung/backend/auto", test_auto);

  return g_test_run ();
}
