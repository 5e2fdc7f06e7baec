/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-preferences-window.h: the preferences: which device the findings model computes on.
 *
 * The choice is the "vulkan-device" setting, which sichtung-model-loader.c reads for each
 * analysis; $SICHTUNG_DEVICE overrides it, and the window then says so and offers no choice.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SICHTUNG_TYPE_PREFERENCES_WINDOW (sichtung_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (SichtungPreferencesWindow, sichtung_preferences_window, SICHTUNG,
                      PREFERENCES_WINDOW, AdwPreferencesWindow)

/* A window over @parent (may be NULL), in @parent's application when it has one. Lists the
 * Vulkan devices on a worker thread: until then only "Automatic" and the CPU are offered. */
SichtungPreferencesWindow *sichtung_preferences_window_new (GtkWindow *parent);

/* The combo row of devices; its model is a GtkStringList of the labels shown. */
AdwComboRow  *sichtung_preferences_window_get_device_row     (SichtungPreferencesWindow *self);
/* The row that says which device the loaded model runs on. */
AdwActionRow *sichtung_preferences_window_get_in_use_row     (SichtungPreferencesWindow *self);
/* The row of the assistant's sentence-embedding model. */
AdwActionRow *sichtung_preferences_window_get_embedder_row    (SichtungPreferencesWindow *self);
/* Whether the Vulkan devices have been listed (or found missing). */
gboolean      sichtung_preferences_window_get_devices_listed (SichtungPreferencesWindow *self);
/* The setting value the item at @position of the device row stands for ("auto", "cpu" or a
 * device name), or NULL when there is no such item. */
const char   *sichtung_preferences_window_get_selector       (SichtungPreferencesWindow *self,
                                                              guint                      position);

G_END_DECLS
