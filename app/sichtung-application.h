/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-application.h: the application object: app actions, accelerators, opening files,
 * and the case store every window saves in. */
#pragma once

#include <adwaita.h>

#include "sichtung-core.h"

G_BEGIN_DECLS

#define SICHTUNG_TYPE_APPLICATION (sichtung_application_get_type ())
G_DECLARE_FINAL_TYPE (SichtungApplication, sichtung_application, SICHTUNG, APPLICATION,
                      AdwApplication)

SichtungApplication *sichtung_application_new                 (const char          *application_id,
                                                               GApplicationFlags    flags);

/* Creates a new, empty main window for @self (not yet presented). */
GtkWindow           *sichtung_application_new_window          (SichtungApplication *self);

/* The case store, opened at startup; NULL while it opens or when it could not be opened. */
ScStore             *sichtung_application_get_store           (SichtungApplication *self);

/* Creates the About window, transient for @parent (may be NULL); the caller presents it. */
GtkWindow           *sichtung_application_create_about_window (SichtungApplication *self,
                                                               GtkWindow           *parent);

G_END_DECLS
