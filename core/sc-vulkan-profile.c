/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-vulkan-profile.c: per-shader GPU timing for $SICHTUNG_VULKAN_PROFILE=1.
 *
 * A recording writes a timestamp before its first dispatch and after each one; the difference
 * between consecutive stamps is charged to the dispatch's shader variant. Where dispatches may
 * overlap (no barrier between them) the split is approximate, but the total is exact. Host time
 * is measured as well: recording (begin to submit) and waiting (submit to fence). The table goes
 * to stderr when the context is freed. Devices without compute timestamps still get the host
 * figures and per-variant dispatch counts. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <string.h>

#include "sc-vulkan-private.h"

#define INITIAL_QUERIES 1024u

typedef struct
{
  const char *name;  /* interned */
  guint64     count;
  guint64     ticks;
} Entry;

struct _ScVkProfile
{
  VkDevice     device;
  VkQueryPool  pool;         /* VK_NULL_HANDLE without timestamp support */
  guint32      n_queries;    /* capacity of @pool */
  guint32      n_used;       /* stamps written in the current recording */
  double       period_ns;    /* timestampPeriod */
  guint64      valid_mask;
  GPtrArray   *labels;       /* interned names of the current recording's dispatches */
  GHashTable  *entries;      /* interned name → Entry */
  gint64       t_begin;      /* monotonic µs */
  gint64       t_submit;
  guint64      n_recordings;
  gint64       host_record_us;
  gint64       host_wait_us;
  guint32      grow_to;      /* capacity wanted for the next recording */
};

ScVkProfile *
_sc_vk_profile_new (VkDevice                          device,
                    VkPhysicalDevice                  physical_device,
                    const VkPhysicalDeviceProperties *properties,
                    guint32                           queue_family)
{
  const char *env = g_getenv ("SICHTUNG_VULKAN_PROFILE");
  ScVkProfile *profile;
  VkQueueFamilyProperties *families;
  uint32_t n_families = 0;
  guint32 valid_bits = 0;

  if (env == NULL || *env == '\0' || strcmp (env, "0") == 0)
    return NULL;

  profile = g_new0 (ScVkProfile, 1);
  profile->device = device;
  profile->labels = g_ptr_array_new ();
  profile->entries = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  profile->period_ns = properties->limits.timestampPeriod;
  profile->grow_to = INITIAL_QUERIES;

  vkGetPhysicalDeviceQueueFamilyProperties (physical_device, &n_families, NULL);
  families = g_new0 (VkQueueFamilyProperties, n_families);
  vkGetPhysicalDeviceQueueFamilyProperties (physical_device, &n_families, families);
  if (queue_family < n_families)
    valid_bits = families[queue_family].timestampValidBits;
  g_free (families);
  if (valid_bits == 0 || profile->period_ns <= 0)
    g_printerr ("SICHTUNG_VULKAN_PROFILE: no compute timestamps; host times only\n");
  else
    profile->valid_mask = valid_bits >= 64 ? G_MAXUINT64 : ((guint64) 1 << valid_bits) - 1;
  return profile;
}

static gboolean
ensure_pool (ScVkProfile *profile)
{
  VkQueryPoolCreateInfo create = { VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO };

  if (profile->valid_mask == 0)
    return FALSE;
  if (profile->pool != VK_NULL_HANDLE && profile->n_queries >= profile->grow_to)
    return TRUE;
  if (profile->pool != VK_NULL_HANDLE)
    vkDestroyQueryPool (profile->device, profile->pool, NULL);
  profile->pool = VK_NULL_HANDLE;
  create.queryType = VK_QUERY_TYPE_TIMESTAMP;
  create.queryCount = profile->grow_to;
  if (vkCreateQueryPool (profile->device, &create, NULL, &profile->pool) != VK_SUCCESS)
    {
      profile->valid_mask = 0;
      return FALSE;
    }
  profile->n_queries = profile->grow_to;
  return TRUE;
}

void
_sc_vk_profile_begin (ScVkProfile     *profile,
                      VkCommandBuffer  cmd)
{
  profile->t_begin = g_get_monotonic_time ();
  profile->n_used = 0;
  g_ptr_array_set_size (profile->labels, 0);
  if (!ensure_pool (profile))
    return;
  vkCmdResetQueryPool (cmd, profile->pool, 0, profile->n_queries);
  vkCmdWriteTimestamp (cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, profile->pool, 0);
  profile->n_used = 1;
}

void
_sc_vk_profile_mark (ScVkProfile     *profile,
                     VkCommandBuffer  cmd,
                     const char      *label)
{
  g_ptr_array_add (profile->labels, (gpointer) g_intern_string (label));
  if (profile->n_used == 0)
    return;  /* no timestamps */
  if (profile->n_used >= profile->n_queries)
    {
      profile->grow_to = MAX (profile->grow_to, profile->n_queries * 2);
      return;  /* this recording's tail goes uncounted; the next one fits */
    }
  vkCmdWriteTimestamp (cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, profile->pool,
                       profile->n_used++);
}

void
_sc_vk_profile_submitted (ScVkProfile *profile)
{
  profile->t_submit = g_get_monotonic_time ();
}

static Entry *
entry_for (ScVkProfile *profile,
           const char  *name)
{
  Entry *entry = g_hash_table_lookup (profile->entries, name);

  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->name = name;
      g_hash_table_insert (profile->entries, (gpointer) name, entry);
    }
  return entry;
}

void
_sc_vk_profile_collect (ScVkProfile *profile)
{
  g_autofree guint64 *stamps = NULL;
  gint64 now = g_get_monotonic_time ();

  profile->n_recordings++;
  profile->host_record_us += profile->t_submit - profile->t_begin;
  profile->host_wait_us += now - profile->t_submit;
  for (guint i = 0; i < profile->labels->len; i++)
    entry_for (profile, g_ptr_array_index (profile->labels, i))->count++;
  if (profile->n_used < 2)
    return;
  stamps = g_new (guint64, profile->n_used);
  if (vkGetQueryPoolResults (profile->device, profile->pool, 0, profile->n_used,
                             profile->n_used * sizeof (guint64), stamps, sizeof (guint64),
                             VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT) != VK_SUCCESS)
    return;
  for (guint i = 1; i < profile->n_used; i++)
    {
      Entry *entry = entry_for (profile, g_ptr_array_index (profile->labels, i - 1));

      entry->ticks += (stamps[i] - stamps[i - 1]) & profile->valid_mask;
    }
}

static gint
compare_ticks (gconstpointer a,
               gconstpointer b)
{
  const Entry *x = *(const Entry *const *) a, *y = *(const Entry *const *) b;

  if (x->ticks != y->ticks)
    return x->ticks < y->ticks ? 1 : -1;
  return x->count < y->count ? 1 : (x->count > y->count ? -1 : 0);
}

void
_sc_vk_profile_free (ScVkProfile *profile)
{
  g_autoptr(GPtrArray) sorted = NULL;
  GHashTableIter iter;
  gpointer value;
  double total_ms = 0;
  guint64 dispatches = 0;

  if (profile == NULL)
    return;
  sorted = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, profile->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const Entry *entry = value;

      g_ptr_array_add (sorted, value);
      total_ms += entry->ticks * profile->period_ns / 1e6;
      dispatches += entry->count;
    }
  g_ptr_array_sort (sorted, compare_ticks);
  g_printerr ("SICHTUNG_VULKAN_PROFILE: %" G_GUINT64_FORMAT " recordings, %" G_GUINT64_FORMAT
              " dispatches; host: recording %.1f ms, waiting %.1f ms; GPU %.1f ms\n",
              profile->n_recordings, dispatches, profile->host_record_us / 1e3,
              profile->host_wait_us / 1e3, total_ms);
  g_printerr ("%-34s %9s %11s %9s %6s\n", "shader", "count", "total ms", "avg us", "%");
  for (guint i = 0; i < sorted->len; i++)
    {
      const Entry *entry = g_ptr_array_index (sorted, i);
      double ms = entry->ticks * profile->period_ns / 1e6;

      g_printerr ("%-34s %9" G_GUINT64_FORMAT " %11.2f %9.1f %6.1f\n", entry->name,
                  entry->count, ms, entry->count ? ms * 1e3 / entry->count : 0.0,
                  total_ms > 0 ? 100.0 * ms / total_ms : 0.0);
    }
  if (profile->pool != VK_NULL_HANDLE)
    vkDestroyQueryPool (profile->device, profile->pool, NULL);
  g_ptr_array_unref (profile->labels);
  g_hash_table_unref (profile->entries);
  g_free (profile);
}
