/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cli-devices.c: the `devices` subcommand of sichtung-cli: lists the Vulkan devices and says
 * which one computations would use, or that they run on the CPU and why, as JSON. */
#define G_LOG_DOMAIN "sichtung-cli"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <glib/gi18n.h>

#include "sichtung-core.h"
#include "sc-cli.h"

static void
write_device (ScJsonWriter         *writer,
              const ScVkDeviceInfo *info)
{
  sc_json_writer_begin_object (writer);
  sc_json_writer_key (writer, "index");
  sc_json_writer_int (writer, info->index);
  sc_json_writer_key (writer, "name");
  sc_json_writer_string (writer, info->name);
  sc_json_writer_key (writer, "type");
  sc_json_writer_string (writer, sc_vk_device_type_to_string (info->type));
  sc_json_writer_key (writer, "vendor_id");
  sc_json_writer_int (writer, info->vendor_id);
  sc_json_writer_key (writer, "device_id");
  sc_json_writer_int (writer, info->device_id);
  sc_json_writer_key (writer, "driver_name");
  sc_json_writer_string (writer, info->driver_name);
  sc_json_writer_key (writer, "driver_info");
  sc_json_writer_string (writer, info->driver_info);
  sc_json_writer_key (writer, "api_version");
  sc_json_writer_string (writer, info->api_version);
  sc_json_writer_key (writer, "memory_bytes");
  sc_json_writer_int (writer, (gint64) MIN (info->device_local_memory_bytes, G_MAXINT64));
  sc_json_writer_key (writer, "max_storage_buffer_range");
  sc_json_writer_int (writer, (gint64) MIN (info->max_storage_buffer_range, G_MAXINT64));
  sc_json_writer_key (writer, "max_memory_allocation_size");
  sc_json_writer_int (writer, (gint64) MIN (info->max_memory_allocation_size, G_MAXINT64));
  sc_json_writer_key (writer, "subgroup_size");
  sc_json_writer_int (writer, info->subgroup_size);
  sc_json_writer_key (writer, "supported");
  sc_json_writer_bool (writer, info->supported);
  sc_json_writer_key (writer, "features");
  sc_json_writer_begin_object (writer);
  sc_json_writer_key (writer, "shader_float16");
  sc_json_writer_bool (writer, info->shader_float16);
  sc_json_writer_key (writer, "storage_buffer_16bit_access");
  sc_json_writer_bool (writer, info->storage_buffer_16bit_access);
  sc_json_writer_key (writer, "shader_int8");
  sc_json_writer_bool (writer, info->shader_int8);
  sc_json_writer_key (writer, "integer_dot_product");
  sc_json_writer_bool (writer, info->integer_dot_product);
  sc_json_writer_end_object (writer);
  sc_json_writer_end_object (writer);
}

int
sc_cli_devices (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(ScJsonWriter) writer = NULL;
  g_autofree char *device = NULL;
  g_autofree char *json = NULL;
  g_autofree char *message = NULL;
  g_auto(GStrv) args = NULL;
  const char *selector;
  gboolean explicit_device;
  gboolean have_selected = FALSE;
  guint selected = 0;
  GOptionEntry entries[] = {
    { "device", 'd', 0, G_OPTION_ARG_STRING, &device,
      N_("Device to select: auto, cpu, an index or part of a name"), N_("DEVICE") },
    { NULL },
  };

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, TRUE);

  args = sc_cli_parse (context, argc, argv);
  if (args == NULL)
    return 1;
  if (g_strv_length (args) != 1)
    return sc_cli_fail (_("usage: sichtung-cli devices [--device DEVICE]"));

  selector = sc_vk_resolve_selector (device);
  explicit_device = g_ascii_strcasecmp (selector, "auto") != 0 &&
                    g_ascii_strcasecmp (selector, "cpu") != 0;

  devices = sc_vk_enumerate_devices (&error);
  if (devices == NULL)
    {
      /* No Vulkan at all is a normal state of affairs, not a failure, unless a device was
       * asked for by name. */
      devices = g_ptr_array_new ();
      if (explicit_device)
        {
          /* Worded for the device asked for, as sc_backend_new() would. */
          g_clear_error (&error);
          sc_vk_select_device (devices, selector, NULL, &error);
          return sc_cli_fail ("%s", error->message);
        }
      message = g_strdup (error->message);
      g_clear_error (&error);
    }
  else if (sc_vk_select_device (devices, selector, &selected, &error))
    {
      have_selected = TRUE;
    }
  else
    {
      if (explicit_device)
        return sc_cli_fail ("%s", error->message);
      message = g_strdup (error->message);
      g_clear_error (&error);
    }

  writer = sc_json_writer_new (TRUE);
  sc_json_writer_begin_object (writer);
  sc_json_writer_key (writer, "devices");
  sc_json_writer_begin_array (writer);
  for (guint i = 0; i < devices->len; i++)
    write_device (writer, g_ptr_array_index (devices, i));
  sc_json_writer_end_array (writer);
  sc_json_writer_key (writer, "selected");
  if (have_selected)
    sc_json_writer_int (writer, selected);
  else
    sc_json_writer_null (writer);
  sc_json_writer_key (writer, "fallback");
  sc_json_writer_string (writer, have_selected ? NULL : "cpu");
  sc_json_writer_key (writer, "message");
  sc_json_writer_string (writer, message);
  sc_json_writer_end_object (writer);

  json = sc_json_writer_free_to_string (g_steal_pointer (&writer));
  fputs (json, stdout);
  if (fflush (stdout) != 0)
    return sc_cli_fail (_("could not write the device list: %s"), g_strerror (errno));
  if (message != NULL)
    fprintf (stderr, "sichtung-cli: %s\n", message);
  return 0;
}
