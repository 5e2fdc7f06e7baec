/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: sets up gettext and runs the SichtungApplication. */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "sichtung-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SichtungApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Sichtung"));

  app = sichtung_application_new (APP_ID, G_APPLICATION_HANDLES_OPEN);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
