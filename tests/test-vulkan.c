/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-vulkan.c: the Vulkan plumbing on a real device (Mesa lavapipe in CI): enumeration and
 * selection, the add shader against the scalar CPU reference (bit for bit: IEEE addition is
 * correctly rounded on both), the pipeline cache and a run under the Khronos validation layer.
 *
 * Without a usable device or the validation layer the tests skip, unless
 * SICHTUNG_REQUIRE_VULKAN=1 (set by meson), in which case they fail: CI must never pass by
 * skipping the GPU path or its validation. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <vulkan/vulkan.h>

#include "sichtung-core.h"

#define LARGE_N 1000003  /* deliberately not a multiple of any workgroup size */

static gboolean
vulkan_required (void)
{
  return g_strcmp0 (g_getenv ("SICHTUNG_REQUIRE_VULKAN"), "1") == 0;
}

/* Skips the test, or fails it under SICHTUNG_REQUIRE_VULKAN=1, because of @error. */
static void
no_device (const GError *error)
{
  if (!g_error_matches (error, SC_ERROR, SC_ERROR_NO_DEVICE))
    g_test_fail_printf ("The Vulkan device failed: %s", error->message);
  else if (vulkan_required ())
    g_test_fail_printf ("SICHTUNG_REQUIRE_VULKAN=1 but no Vulkan device is usable: %s "
                        "(install mesa-vulkan-drivers for lavapipe)", error->message);
  else
    g_test_skip (error->message);
}

static ScVkContext *
context_or_skip (void)
{
  g_autoptr(GError) error = NULL;
  ScVkContext *context = sc_vk_context_new ("auto", &error);

  if (context == NULL)
    no_device (error);
  return context;
}

/* Finite, normal inputs over a wide range of exponents; sums never become subnormal, whose
 * handling (flush to zero or not) Vulkan leaves to the implementation. */
static float *
random_floats (gsize n)
{
  float *values = g_new (float, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    values[i] = (float) ldexp (g_test_rand_double_range (-1.0, 1.0),
                               g_test_rand_int_range (-20, 21));
  return values;
}

static void
assert_same_floats (const float *expected,
                    const float *actual,
                    gsize        n)
{
  for (gsize i = 0; i < n; i++)
    {
      if (memcmp (&expected[i], &actual[i], sizeof (float)) != 0)
        g_error ("element %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT ": expected %.9g, got %.9g",
                 i, n, expected[i], actual[i]);
    }
}

/* Runs add.comp through the context directly and compares with the CPU loop. */
static void
check_context_add (ScVkContext *context,
                   gsize        n,
                   guint32      local_size)
{
  g_autoptr(GError) error = NULL;
  g_autofree float *a = random_floats (n);
  g_autofree float *b = random_floats (n);
  g_autofree float *expected = g_new (float, MAX (n, 1));
  g_autoptr(ScVkBuffer) buf_a = sc_vk_buffer_new (context, n * sizeof (float), &error);
  g_autoptr(ScVkBuffer) buf_b = sc_vk_buffer_new (context, n * sizeof (float), &error);
  g_autoptr(ScVkBuffer) buf_c = sc_vk_buffer_new (context, n * sizeof (float), &error);
  ScVkBuffer *buffers[3];
  ScVkElementwisePush push = { .n = (guint32) n };
  guint32 spec[] = { [SC_VK_SPEC_LOCAL_SIZE_X] = local_size };

  g_assert_no_error (error);
  g_assert_cmpuint (sc_vk_buffer_get_size (buf_c), >=, n * sizeof (float));
  for (gsize i = 0; i < n; i++)
    expected[i] = a[i] + b[i];
  memcpy (sc_vk_buffer_get_data (buf_a), a, n * sizeof (float));
  memcpy (sc_vk_buffer_get_data (buf_b), b, n * sizeof (float));
  /* A sentinel past the end shows that the bounds check in the shader holds. */
  if (sc_vk_buffer_get_size (buf_c) > n * sizeof (float))
    ((float *) sc_vk_buffer_get_data (buf_c))[n] = 42.0f;

  buffers[0] = buf_a;
  buffers[1] = buf_b;
  buffers[2] = buf_c;
  g_assert_true (sc_vk_context_dispatch (context, SC_VK_SHADER_ADD, spec, G_N_ELEMENTS (spec),
                                         buffers, 3, &push, sizeof push,
                                         (guint32) ((n + local_size - 1) / local_size), 1, 1,
                                         &error));
  g_assert_no_error (error);
  assert_same_floats (expected, sc_vk_buffer_get_data (buf_c), n);
  if (sc_vk_buffer_get_size (buf_c) > n * sizeof (float))
    g_assert_cmpfloat (((float *) sc_vk_buffer_get_data (buf_c))[n], ==, 42.0f);
}

static void
test_enumerate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = sc_vk_enumerate_devices (&error);
  g_autofree char *upper = NULL;
  g_autofree char *index = NULL;
  const ScVkDeviceInfo *best;
  guint selected = G_MAXUINT;

  if (devices == NULL)
    {
      no_device (error);
      return;
    }
  g_assert_cmpuint (devices->len, >, 0);
  for (guint i = 0; i < devices->len; i++)
    {
      const ScVkDeviceInfo *info = g_ptr_array_index (devices, i);

      g_test_message ("device %u: %s (%s), Vulkan %s, %s", i, info->name,
                      sc_vk_device_type_to_string (info->type), info->api_version,
                      info->driver_info);
      g_assert_cmpuint (info->index, ==, i);
      g_assert_cmpstr (info->name, !=, "");
      g_assert_nonnull (info->driver_name);
      g_assert_nonnull (info->api_version);
      g_assert_cmpuint (info->max_storage_buffer_range, >=, 1u << 27);  /* spec minimum */
    }

  if (!sc_vk_select_device (devices, "auto", &selected, &error))
    {
      no_device (error);
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (selected, <, devices->len);
  best = g_ptr_array_index (devices, selected);
  g_assert_true (best->supported);
  for (guint i = 0; i < devices->len; i++)
    {
      const ScVkDeviceInfo *info = g_ptr_array_index (devices, i);

      /* Nothing of a preferred kind is passed over: discrete < integrated < … < other. */
      if (info->supported)
        g_assert_cmpint (MIN (info->type, SC_VK_DEVICE_TYPE_OTHER), >=, best->type);
    }

  /* By index and by part of the name, in another case. */
  index = g_strdup_printf ("%u", best->index);
  g_assert_true (sc_vk_select_device (devices, index, &selected, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (selected, ==, best->index);
  upper = g_utf8_strup (best->name, -1);
  g_assert_true (sc_vk_select_device (devices, upper, &selected, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (((ScVkDeviceInfo *) g_ptr_array_index (devices, selected))->name, ==,
                   best->name);

  g_assert_false (sc_vk_select_device (devices, "cpu", &selected, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_NO_DEVICE);
  g_clear_error (&error);
  g_assert_false (sc_vk_select_device (devices, "no-such-gpu-xyz", &selected, &error));
  g_assert_error (error, SC_ERROR, SC_ERROR_NO_DEVICE);
}

static void
test_add (void)
{
  g_autoptr(ScVkContext) context = context_or_skip ();

  if (context == NULL)
    return;
  g_test_message ("device: %s", sc_vk_context_get_device_info (context)->name);
  check_context_add (context, LARGE_N, 256);
  /* Another specialisation of the same shader gets its own pipeline. */
  check_context_add (context, LARGE_N, 64);
}

static void
test_add_small (void)
{
  g_autoptr(ScVkContext) context = context_or_skip ();
  static const gsize sizes[] = { 1, 7, 255, 256, 257 };

  if (context == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    check_context_add (context, sizes[i], 256);
}

static void
check_backend_add (ScBackend *vulkan,
                   ScBackend *cpu,
                   gsize      n)
{
  g_autoptr(GError) error = NULL;
  g_autofree float *a = random_floats (n);
  g_autofree float *b = random_floats (n);
  g_autofree float *expected = g_new (float, MAX (n, 1));
  g_autofree float *actual = g_new (float, MAX (n, 1));

  g_assert_true (sc_backend_add_f32 (cpu, a, b, expected, n, &error));
  g_assert_no_error (error);
  g_assert_true (sc_backend_add_f32 (vulkan, a, b, actual, n, &error));
  g_assert_no_error (error);
  assert_same_floats (expected, actual, n);

  /* In place: the output may be one of the inputs. */
  g_assert_true (sc_backend_add_f32 (vulkan, a, b, a, n, &error));
  g_assert_no_error (error);
  assert_same_floats (expected, a, n);
}

static void
test_backend (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScBackend) vulkan = sc_backend_vulkan_new ("auto", &error);
  g_autoptr(ScBackend) cpu = sc_backend_cpu_new ();

  if (vulkan == NULL)
    {
      no_device (error);
      return;
    }
  g_assert_cmpstr (sc_backend_get_name (vulkan), ==, "vulkan");
  g_assert_cmpstr (sc_backend_get_device_description (vulkan), !=, "");
  check_backend_add (vulkan, cpu, 7);
  check_backend_add (vulkan, cpu, LARGE_N);
  /* More than one chunk (4 Mi elements), and the scratch buffers shrink back to fit. */
  check_backend_add (vulkan, cpu, 4 * 1024 * 1024 + 5);
  check_backend_add (vulkan, cpu, 1);
}

static void
test_pipeline_cache (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *cache_dir = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  {
    g_autoptr(ScVkContext) context = context_or_skip ();

    if (context == NULL)
      return;
    path = g_strdup (sc_vk_context_get_pipeline_cache_path (context));
    g_assert_nonnull (path);
    g_unlink (path);
    check_context_add (context, 1000, 256);
  }
  /* The cache lives in the user cache dir (a temporary one here) and is written on free. */
  g_assert_nonnull (path);
  cache_dir = g_build_filename (g_get_user_cache_dir (), "sichtung", NULL);
  g_assert_true (g_str_has_prefix (path, cache_dir));
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >=, 16 + VK_UUID_SIZE);

  /* A valid cache is loaded again, and damaged ones are ignored without a word. */
  {
    g_autoptr(ScVkContext) context = sc_vk_context_new ("auto", &error);

    g_assert_no_error (error);
    check_context_add (context, 1000, 256);
  }
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(ScVkContext) context = NULL;

      if (round == 0)
        g_assert_true (g_file_set_contents (path, "not a pipeline cache", -1, &error));
      else
        g_assert_true (g_file_set_contents (path, contents, MIN (length, 40), &error));
      g_assert_no_error (error);
      context = sc_vk_context_new ("auto", &error);
      g_assert_no_error (error);
      check_context_add (context, 1000, 256);
    }
}

static void
test_validation (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(ScVkContext) context = NULL;
      g_autoptr(ScBackend) backend = NULL;
      g_autoptr(ScBackend) cpu = sc_backend_cpu_new ();
      g_autoptr(GError) error = NULL;

      g_setenv ("SICHTUNG_VULKAN_VALIDATE", "1", TRUE);
      context = sc_vk_context_new ("auto", &error);
      g_assert_no_error (error);
      g_assert_true (sc_vk_context_is_validating (context));
      check_context_add (context, LARGE_N, 256);
      check_context_add (context, 7, 256);
      check_context_add (context, 1, 64);
      g_assert_cmpuint (sc_vk_context_get_validation_message_count (context), ==, 0);

      backend = sc_backend_vulkan_new ("auto", &error);
      g_assert_no_error (error);
      check_backend_add (backend, cpu, 4 * 1024 * 1024 + 5);
      return;
    }

  {
    g_autoptr(ScVkContext) context = context_or_skip ();
    uint32_t count = 0;
    g_autofree VkLayerProperties *layers = NULL;
    gboolean found = FALSE;

    if (context == NULL)
      return;
    g_assert_cmpint (vkEnumerateInstanceLayerProperties (&count, NULL), ==, VK_SUCCESS);
    layers = g_new0 (VkLayerProperties, MAX (count, 1));
    g_assert_cmpint (vkEnumerateInstanceLayerProperties (&count, layers), >=, VK_SUCCESS);
    for (uint32_t i = 0; i < count; i++)
      found |= g_str_equal (layers[i].layerName, "VK_LAYER_KHRONOS_validation");
    if (!found)
      {
        /* CI installs it (vulkan-validationlayers): there the suite must not pass unchecked. */
        if (vulkan_required ())
          g_test_fail_printf ("SICHTUNG_REQUIRE_VULKAN=1 but the Khronos validation layer is "
                              "not installed");
        else
          g_test_skip ("the Khronos validation layer is not installed");
        return;
      }
  }

  /* A child process, so that messages from tearing everything down are seen too: each one
   * is logged as "Vulkan validation: …" on stderr. */
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr_unmatched ("*Vulkan validation*");
  g_test_trap_assert_stdout_unmatched ("*Validation Error*");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
          !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *cache_home = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* Pipeline caches go to a scratch directory, not the user's; subprocesses inherit it. */
  if (!g_test_subprocess ())
    {
      cache_home = g_dir_make_tmp ("sichtung-test-vulkan-XXXXXX", NULL);
      g_assert_nonnull (cache_home);
      g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);
    }
  g_unsetenv ("SICHTUNG_VULKAN_VALIDATE");

  g_test_add_func ("/sichtung/vulkan/enumerate", test_enumerate);
  g_test_add_func ("/sichtung/vulkan/add", test_add);
  g_test_add_func ("/sichtung/vulkan/add-small", test_add_small);
  g_test_add_func ("/sichtung/vulkan/backend", test_backend);
  g_test_add_func ("/sichtung/vulkan/pipeline-cache", test_pipeline_cache);
  g_test_add_func ("/sichtung/vulkan/validation", test_validation);

  status = g_test_run ();
  if (cache_home != NULL)
    remove_tree (cache_home);
  return status;
}
