/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-test-ui.h: what the UI test programs share: their set-up, widget-tree searches, keyboard
 * shortcuts, and looking at the window's panes, findings and case store. */
#pragma once

#include <adwaita.h>

#include "sichtung-core.h"
#include "sichtung-document-pane.h"
#include "sichtung-finding-item.h"
#include "sichtung-window.h"

G_BEGIN_DECLS

typedef enum
{
  SC_TEST_UI_NONE          = 0,
  /* GTK_A11Y=test: the test AT context records accessible properties without a session bus
   * (otherwise GTK_A11Y=none: xvfb-run has no bus the AT-SPI bridge could use). */
  SC_TEST_UI_ACCESSIBILITY = 1 << 0,
  /* SICHTUNG_DEVICE=cpu: the model runs on the CPU, where lavapipe would only be slower. */
  SC_TEST_UI_CPU           = 1 << 1,
} ScTestUiFlags;

/* Sets up a UI test program: makes a temporary directory named after @name
 * ("sichtung-test-@name-XXXXXX") and exports it as XDG_DATA_HOME, so nothing of the test goes
 * to the user's data dir; sets GTK_A11Y and SICHTUNG_DEVICE as @flags say; then runs
 * g_test_init() on @argc and @argv and sc_test_ui_init_toolkit(). Returns the directory, to
 * be handed to sc_test_ui_run(). Call it after the program's own environment settings (a
 * locale, say), since GTK reads them when it starts. */
char          *sc_test_ui_init                (int                  *argc,
                                               char               ***argv,
                                               const char           *name,
                                               ScTestUiFlags         flags);

/* Starts GTK and libadwaita and registers the application's resources where the compiler
 * did not do so already. For a child process that runs the window without the test
 * framework; sc_test_ui_init() calls it. */
void           sc_test_ui_init_toolkit        (void);

/* Runs the tests added since sc_test_ui_init(), then removes @data_home with everything
 * below it (the case store, recently-used.xbel) and frees it. Returns g_test_run()'s
 * status, for main() to return. */
int            sc_test_ui_run                 (char                 *data_home);

/* data/samples of the source tree: the file named "NN-@word" (".txt" or ".pdf"; a draft such
 * as "03-bescheid-entwurf" is another document), preferring the text version and, among
 * equals, the name that sorts first. The samples are looked up by name so
 * that renumbering or adding PDF versions keeps a test working; none fails the test. */
GFile         *sc_test_ui_find_sample         (const char           *word);

/* ---- Widget trees ------------------------------------------------------------------- */

typedef gboolean (*ScTestUiWidgetMatch) (GtkWidget     *widget,
                                         gconstpointer  data);

/* The first widget, depth first from @widget itself, for which @match returns TRUE, or
 * NULL. Visibility does not matter. */
GtkWidget     *sc_test_ui_find_widget         (GtkWidget            *widget,
                                               ScTestUiWidgetMatch   match,
                                               gconstpointer         data);

/* The first of @widget and its descendants that has the CSS class @css_class, or NULL. */
GtkWidget     *sc_test_ui_find_with_class     (GtkWidget            *widget,
                                               const char           *css_class);

/* The first of @widget and its descendants that is a @type, or NULL. */
GtkWidget     *sc_test_ui_find_of_type        (GtkWidget            *widget,
                                               GType                 type);

/* The first visible toplevel window that is a @type (a dialog the window opened), or NULL. */
GtkWindow     *sc_test_ui_find_toplevel       (GType                 type);

/* Activates the shortcut @widget's class binds to @keyval with exactly @modifiers, as the
 * key would, and returns what the action returned: FALSE when it is disabled. A key without
 * such a shortcut fails the test. */
gboolean       sc_test_ui_activate_shortcut   (GtkWidget            *widget,
                                               guint                 keyval,
                                               GdkModifierType       modifiers);

/* sc_test_ui_activate_shortcut(), asserting that the action ran. */
void           sc_test_ui_press_key           (GtkWidget            *widget,
                                               guint                 keyval,
                                               GdkModifierType       modifiers);

/* The text the tag @name covers first in @buffer, or NULL. */
char          *sc_test_ui_tagged_text         (GtkTextBuffer        *buffer,
                                               const char           *name);

/* ---- The window, its panes and findings ---------------------------------------------- */

/* A presented 1400×900 window on @store (NULL for none) whose panes analyse with the rules
 * only: quick, and the same on every machine. */
SichtungWindow *sc_test_ui_new_window         (ScStore              *store);

/* Destroys @window and lets the main loop run for 100 ms, so its idles and frames finish. */
void           sc_test_ui_destroy_window      (gpointer              window);

/* Whether @pane has loaded and analysed its document (an analysis is shown). */
gboolean       sc_test_ui_pane_analysed       (SichtungDocumentPane *pane);

/* Whether @pane shows its stored document with findings that all know their id in the
 * store. */
gboolean       sc_test_ui_pane_shows_stored   (SichtungDocumentPane *pane);

/* The item in @model (of SichtungFindingItem) with the store id @id, or NULL. The model
 * keeps the item alive. */
SichtungFindingItem *sc_test_ui_find_item_by_id (GListModel         *model,
                                                 gint64              id);

/* The item in @model of @category whose text is @text, or NULL. The model keeps the item
 * alive. */
SichtungFindingItem *sc_test_ui_find_item     (GListModel           *model,
                                               ScFindingCategory     category,
                                               const char           *text);

/* The document @document_id as @store lists it in its case; one not in the store fails the
 * test. */
ScStoreDocument *sc_test_ui_stored_document   (ScStore              *store,
                                               gint64                document_id);

G_END_DECLS
