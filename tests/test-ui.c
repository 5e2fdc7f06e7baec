/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui.c: the application shell: every template loads, documents open, render and are
 * searched, two panes scroll in step, and load errors show inline. Runs under xvfb-run. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "sc-test-ui.h"
#include "sc-test-util.h"
#include "sichtung-application.h"
#include "sichtung-document-pane.h"
#include "sichtung-document-view.h"
#include "sichtung-window.h"

#define WAIT_TIMEOUT_MS 20000

/* The “Widerspruch” in the test PDF is on odd pages only, so 4 pages hold 2 hits. */
#define N_PDF_PAGES 4

#define WAIT_UNTIL(condition) SC_TEST_WAIT_UNTIL (condition, WAIT_TIMEOUT_MS)

static GFile *
write_pdf (void)
{
  g_autofree char *path = sc_test_write_pdf (NULL, N_PDF_PAGES);

  return g_file_new_for_path (path);
}

/* A text file with umlauts, long enough to be typeset onto several pages. */
static GFile *
write_text (void)
{
  g_autoptr(GString) text = g_string_new ("Prüfvermerk zur Akte\n\n");
  g_autofree char *path = NULL;

  for (guint i = 1; i <= 300; i++)
    g_string_append_printf (text, "%u. Äußerung über Maßnahmen gemäß § 3 – Prüfung der "
                                  "Bürgerämter in Köln\n", i);

  path = sc_test_write_file ("prüfvermerk.txt", text->str, text->len);
  return g_file_new_for_path (path);
}

static GFile *
write_junk (void)
{
  guint8 junk[4096];
  g_autofree char *path = NULL;

  for (guint i = 0; i < sizeof junk; i++)
    junk[i] = (guint8) ((i * 7919u + 13u) % 251u);
  junk[0] = 0;
  junk[1] = 0xff;

  path = sc_test_write_file ("unbekannt.bin", (const char *) junk, sizeof junk);
  return g_file_new_for_path (path);
}

/* Every document any pane showed, as weak pointers (gpointer *), so a test can wait until
 * none is left: load, text and render threads hold references until they are done, and a
 * thread still inside poppler when the process exits would race poppler's teardown. */
static GPtrArray *documents_seen;

static void
pane_document_cb (SichtungDocumentPane *pane)
{
  ScDocument *document = sichtung_document_pane_get_document (pane);
  gpointer *slot;

  if (document == NULL)
    return;

  slot = g_new (gpointer, 1);
  *slot = document;
  g_object_add_weak_pointer (G_OBJECT (document), slot);
  g_ptr_array_add (documents_seen, slot);
}

static void
track_documents (SichtungWindow *window)
{
  for (SichtungPanePosition position = SICHTUNG_PANE_LEFT; position <= SICHTUNG_PANE_RIGHT;
       position++)
    g_signal_connect (sichtung_window_get_pane (window, position), "notify::document",
                      G_CALLBACK (pane_document_cb), NULL);
}

static gboolean
all_documents_gone (void)
{
  for (guint i = 0; i < documents_seen->len; i++)
    if (*(gpointer *) g_ptr_array_index (documents_seen, i) != NULL)
      return FALSE;

  return TRUE;
}

/* Destroys @window (or closes it, as a user does, when @close) and waits until its panes
 * and every document it showed are gone. */
static void
finish_window (SichtungWindow *window,
               gboolean        close)
{
  gpointer panes[2] = {
    sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT),
    sichtung_window_get_pane (window, SICHTUNG_PANE_RIGHT),
  };

  for (guint i = 0; i < G_N_ELEMENTS (panes); i++)
    g_object_add_weak_pointer (panes[i], &panes[i]);

  if (close)
    gtk_window_close (GTK_WINDOW (window));
  else
    gtk_window_destroy (GTK_WINDOW (window));

  WAIT_UNTIL (panes[0] == NULL && panes[1] == NULL);
  WAIT_UNTIL (all_documents_gone ());
}

static SichtungWindow *
new_window (void)
{
  SichtungWindow *window = sichtung_window_new (NULL);

  track_documents (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static gboolean
pane_settled (SichtungDocumentPane *pane)
{
  return !sichtung_document_pane_get_loading (pane);
}

static void
open_and_wait (SichtungDocumentPane *pane,
               GFile                *file)
{
  sichtung_document_pane_open (pane, file);
  g_assert_true (sichtung_document_pane_get_loading (pane));
  WAIT_UNTIL (pane_settled (pane));
}

static guint
count_dark_pixels (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guchar *data = g_malloc (stride * height);
  guint n_dark = 0;

  gdk_texture_download (texture, data, stride);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *p = data + y * stride + x * 4; /* B, G, R, A (premultiplied) */

        if (p[3] > 200 && p[0] < 96 && p[1] < 96 && p[2] < 96)
          n_dark++;
      }

  return n_dark;
}

/* ------------------------------------------------------------------------------------------ */

/* A .ui file can name a widget or property the runtime lacks: build every one of them. */
static void
test_templates (void)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWidget *pane;
  GtkWindow *about;
  SichtungWindow *window;
  GObject *overlay;

  pane = g_object_ref_sink (sichtung_document_pane_new ());
  g_assert_true (SICHTUNG_IS_DOCUMENT_PANE (pane));
  g_assert_null (sichtung_document_pane_get_document (SICHTUNG_DOCUMENT_PANE (pane)));
  g_assert_cmpstr (sichtung_document_pane_get_view_mode (SICHTUNG_DOCUMENT_PANE (pane)), ==,
                   "page");
  g_assert_true (SICHTUNG_IS_DOCUMENT_VIEW (
                   sichtung_document_pane_get_view (SICHTUNG_DOCUMENT_PANE (pane))));
  g_object_unref (pane);

  window = sichtung_window_new (NULL);
  g_assert_true (SICHTUNG_IS_WINDOW (window));
  g_assert_true (sichtung_window_get_active_pane (window) ==
                 sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT));
  g_assert_true (sichtung_window_is_empty (window));
  gtk_window_present (GTK_WINDOW (window));
  sc_test_spin (100);
  gtk_window_destroy (GTK_WINDOW (window));

  builder = gtk_builder_new_from_resource (RESOURCE_PATH "/gtk/help-overlay.ui");
  overlay = gtk_builder_get_object (builder, "help_overlay");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_present (GTK_WINDOW (overlay));
  sc_test_spin (50);
  gtk_window_destroy (GTK_WINDOW (overlay));

  about = sichtung_application_create_about_window (NULL, NULL);
  g_assert_true (ADW_IS_ABOUT_WINDOW (about));
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==,
                   PACKAGE_VERSION);
  gtk_window_present (about);
  sc_test_spin (50);
  gtk_window_destroy (about);
}

static gboolean
has_accel (GtkApplication *app,
           const char     *action,
           const char     *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (app, action);

  return accels != NULL && g_strv_contains ((const char * const *) accels, accel);
}

/* The app registers its actions and accelerators at startup, and files given to it open in
 * the left pane, then the right, side by side. */
static void
test_application (void)
{
  g_autoptr(SichtungApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) pdf = write_pdf ();
  g_autoptr(GFile) text = write_text ();
  GFile *files[] = { pdf, text };
  SichtungWindow *window;
  SichtungDocumentPane *left, *right;
  const char * const app_actions[] = { "quit", "about", "new-window", "shortcuts", "open" };

  app = sichtung_application_new ("io.github.sichtung.SichtungTest",
                                  G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (app_actions); i++)
    g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), app_actions[i]));
  g_assert_true (has_accel (GTK_APPLICATION (app), "app.quit", "<Control>q"));
  g_assert_true (has_accel (GTK_APPLICATION (app), "app.open", "<Control>o"));
  g_assert_true (has_accel (GTK_APPLICATION (app), "win.find", "<Control>f"));
  g_assert_true (has_accel (GTK_APPLICATION (app), "win.side-by-side", "F9"));

  g_application_open (G_APPLICATION (app), files, G_N_ELEMENTS (files), "");
  window = SICHTUNG_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  track_documents (window);
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_true (sichtung_window_get_side_by_side (window));

  left = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  right = sichtung_window_get_pane (window, SICHTUNG_PANE_RIGHT);
  WAIT_UNTIL (pane_settled (left) && pane_settled (right));
  g_assert_true (g_file_equal (sichtung_document_pane_get_file (left), pdf));
  g_assert_true (g_file_equal (sichtung_document_pane_get_file (right), text));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (right)));

  /* Closing saves the window state and must not warn. */
  finish_window (window, TRUE);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
}

static gboolean
matches_settled (SichtungDocumentView *view,
                 guint                 n_expected)
{
  return !sichtung_document_view_get_search_active (view)
         && sichtung_document_view_get_n_matches (view) == n_expected;
}

static gboolean
text_loaded (SichtungDocumentPane *pane)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (sichtung_document_pane_get_text_view (pane));

  return gtk_text_buffer_get_char_count (buffer) > 0;
}

/* A PDF opens, renders a page with ink on it, and is searched in both views. */
static void
test_open_and_search (void)
{
  g_autoptr(GFile) pdf = write_pdf ();
  SichtungWindow *window = new_window ();
  SichtungDocumentPane *pane = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  SichtungDocumentView *view = sichtung_document_pane_get_view (pane);
  GtkSearchEntry *entry = sichtung_document_pane_get_search_entry (pane);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (sichtung_document_pane_get_text_view (pane));
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  open_and_wait (pane, pdf);
  g_assert_null (sichtung_document_pane_get_error_message (pane));
  g_assert_nonnull (sichtung_document_pane_get_document (pane));
  g_assert_cmpuint (sc_document_get_n_pages (sichtung_document_pane_get_document (pane)), ==,
                    N_PDF_PAGES);
  g_assert_cmpstr (sichtung_document_pane_get_title (pane), ==, "Testbescheid");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Testbescheid");
  g_assert_false (sichtung_window_is_empty (window));

  /* Shortcuts for what cannot be done now (back from the first page) do nothing. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-page", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.first-page", NULL);
  g_assert_cmpuint (sichtung_document_view_get_current_page (view), ==, 0);

  /* The first page is rendered, and not blank. */
  WAIT_UNTIL ((texture = sichtung_document_view_get_page_texture (view, 0)) != NULL);
  g_assert_cmpuint (count_dark_pixels (texture), >, 50);

  /* Search in the page view: case-insensitive, two hits, next and previous move. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.find", NULL);
  gtk_editable_set_text (GTK_EDITABLE (entry), "widerspruch");
  WAIT_UNTIL (matches_settled (view, 2));
  WAIT_UNTIL (sichtung_document_view_get_current_match (view) == 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.find-next", NULL);
  g_assert_cmpint (sichtung_document_view_get_current_match (view), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.find-previous", NULL);
  g_assert_cmpint (sichtung_document_view_get_current_match (view), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.find-previous", NULL);
  g_assert_cmpint (sichtung_document_view_get_current_match (view), ==, 1);

  /* The text view holds every page's text under a page line, and is searched too. */
  WAIT_UNTIL (text_loaded (pane));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_nonnull (strstr (text, "— Page 1 —"));
  g_assert_nonnull (strstr (text, "— Page 4 —"));
  g_assert_nonnull (strstr (text, "Straße in Mainz"));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.view-mode", "s", "text");
  g_assert_cmpstr (sichtung_document_pane_get_view_mode (pane), ==, "text");
  g_assert_cmpuint (sichtung_document_pane_get_n_text_matches (pane), ==, 2);
  g_assert_cmpint (sichtung_document_pane_get_current_text_match (pane), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.find-next", NULL);
  g_assert_cmpint (sichtung_document_pane_get_current_text_match (pane), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.find-next", NULL);
  g_assert_cmpint (sichtung_document_pane_get_current_text_match (pane), ==, 0);

  /* Page navigation works from the text view and carries over to the pages. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.last-page", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.view-mode", "s", "page");
  WAIT_UNTIL (sichtung_document_view_get_current_page (view) == N_PDF_PAGES - 1);

  /* Keyboard page navigation in the page view. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.first-page", NULL);
  WAIT_UNTIL (sichtung_document_view_get_current_page (view) == 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.next-page", NULL);
  WAIT_UNTIL (sichtung_document_view_get_current_page (view) == 1);

  /* Clearing the search clears the hits. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  WAIT_UNTIL (sichtung_document_view_get_n_matches (view) == 0);
  g_assert_cmpuint (sichtung_document_pane_get_n_text_matches (pane), ==, 0);

  finish_window (window, FALSE);
}

static gboolean
positions_match (SichtungDocumentView *a,
                 SichtungDocumentView *b)
{
  return G_APPROX_VALUE (sichtung_document_view_get_position (a),
                         sichtung_document_view_get_position (b), 0.01);
}

/* Side by side shows a second pane; with synchronised scrolling it follows the first. */
static void
test_side_by_side (void)
{
  g_autoptr(GFile) pdf = write_pdf ();
  g_autoptr(GFile) text = write_text ();
  SichtungWindow *window = new_window ();
  SichtungDocumentPane *left = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  SichtungDocumentPane *right = sichtung_window_get_pane (window, SICHTUNG_PANE_RIGHT);
  SichtungDocumentView *left_view = sichtung_document_pane_get_view (left);
  SichtungDocumentView *right_view = sichtung_document_pane_get_view (right);
  ScDocument *document;

  sichtung_window_set_side_by_side (window, FALSE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (right)));

  open_and_wait (left, pdf);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.side-by-side", NULL);
  g_assert_true (sichtung_window_get_side_by_side (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (right)));

  open_and_wait (right, text);
  g_assert_null (sichtung_document_pane_get_error_message (right));
  document = sichtung_document_pane_get_document (right);
  g_assert_nonnull (document);
  g_assert_cmpint (sc_document_get_kind (document), ==, SC_DOCUMENT_KIND_TEXT);
  g_assert_cmpuint (sc_document_get_n_pages (document), >=, N_PDF_PAGES);
  g_assert_nonnull (sichtung_document_pane_get_document (left));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (right)));
  /* Opening made the right pane the active one. */
  g_assert_true (sichtung_window_get_active_pane (window) == right);

  /* Umlauts survive into the text view. */
  WAIT_UNTIL (text_loaded (right));
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (sichtung_document_pane_get_text_view (right));
    g_autofree char *contents = NULL;
    GtkTextIter start, end;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    contents = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_nonnull (strstr (contents, "Äußerung über Maßnahmen gemäß § 3"));
  }

  /* Synchronised scrolling: the inactive view follows the active one, not the reverse. */
  sichtung_window_set_active_pane (window, left);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-scroll", NULL);
  g_assert_true (sichtung_window_get_sync_scroll (window));
  sc_test_spin (200);
  sichtung_document_view_go_to_page (left_view, 2);
  WAIT_UNTIL (sichtung_document_view_get_current_page (left_view) == 2);
  WAIT_UNTIL (positions_match (left_view, right_view));

  /* Without it, the views move on their own. */
  sichtung_window_set_sync_scroll (window, FALSE);
  sichtung_document_view_go_to_page (left_view, 0);
  WAIT_UNTIL (sichtung_document_view_get_current_page (left_view) == 0);
  sc_test_spin (100);
  g_assert_cmpfloat_with_epsilon (sichtung_document_view_get_position (right_view), 2.0, 0.01);

  /* Leaving side by side hides the right pane and makes the left one active. */
  sichtung_window_set_active_pane (window, right);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.side-by-side", NULL);
  g_assert_false (sichtung_window_get_side_by_side (window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (right)));
  g_assert_true (sichtung_window_get_active_pane (window) == left);

  finish_window (window, FALSE);
}

/* Files that cannot be opened show an inline message naming them, and nothing else breaks:
 * an open document stays open. */
static void
test_errors (void)
{
  g_autoptr(GFile) junk = write_junk ();
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/sichtung/fehlt.pdf");
  g_autoptr(GFile) pdf = write_pdf ();
  SichtungWindow *window = new_window ();
  SichtungDocumentPane *pane = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  const char *message;

  open_and_wait (pane, junk);
  message = sichtung_document_pane_get_error_message (pane);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "unbekannt.bin"));
  g_assert_null (sichtung_document_pane_get_document (pane));

  gtk_widget_activate_action (GTK_WIDGET (pane), "pane.dismiss-error", NULL);
  g_assert_null (sichtung_document_pane_get_error_message (pane));

  open_and_wait (pane, missing);
  message = sichtung_document_pane_get_error_message (pane);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "fehlt.pdf"));
  g_assert_null (sichtung_document_pane_get_document (pane));

  /* A good file clears the message; a bad one after it keeps the document shown. */
  open_and_wait (pane, pdf);
  g_assert_null (sichtung_document_pane_get_error_message (pane));
  g_assert_nonnull (sichtung_document_pane_get_document (pane));
  open_and_wait (pane, junk);
  g_assert_nonnull (sichtung_document_pane_get_error_message (pane));
  g_assert_nonnull (sichtung_document_pane_get_document (pane));
  g_assert_true (g_file_equal (sichtung_document_pane_get_file (pane), pdf));

  /* A newer open replaces one in flight, and closing during a load is safe. */
  sichtung_document_pane_open (pane, junk);
  sichtung_document_pane_open (pane, pdf);
  WAIT_UNTIL (pane_settled (pane));
  g_assert_null (sichtung_document_pane_get_error_message (pane));
  sichtung_document_pane_open (pane, pdf);
  finish_window (window, FALSE);
}

/* The password-protected PDF the test makes with qpdf, or NULL when qpdf is missing (then the
 * test skips, unless SICHTUNG_REQUIRE_TOOLS asks for every tool). */
static GFile *
write_encrypted_pdf (void)
{
  g_autofree char *plain = sc_test_write_pdf (NULL, 2);
  g_autofree char *dir = g_path_get_dirname (plain);
  g_autofree char *encrypted = g_build_filename (dir, "geschuetzt.pdf", NULL);
  g_autofree char *qpdf = g_find_program_in_path ("qpdf");
  g_autoptr(GError) error = NULL;
  const char *argv[] = { NULL, "--encrypt", "geheim", "eigentuemer", "256", "--", NULL, NULL,
                         NULL };
  int status = 0;

  if (qpdf == NULL)
    {
      if (g_getenv ("SICHTUNG_REQUIRE_TOOLS") != NULL)
        g_error ("qpdf is needed to write an encrypted PDF");
      return NULL;
    }
  argv[0] = qpdf;
  argv[6] = plain;
  argv[7] = encrypted;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_file_new_for_path (encrypted);
}

/* The password dialog the pane shows, once it is there. */
static AdwMessageDialog *
find_password_dialog (void)
{
  return (AdwMessageDialog *) sc_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
}

static void
answer_password (const char *password,
                 const char *expected_heading)
{
  AdwMessageDialog *dialog;
  GtkEditable *entry;

  WAIT_UNTIL ((dialog = find_password_dialog ()) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, expected_heading);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "geschuetzt.pdf"));
  entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  gtk_editable_set_text (entry, password);
  /* What clicking “Unlock” does: the response, then the dialog closes. The entry is wiped
   * as soon as the password has been handed to the load. */
  adw_message_dialog_response (dialog, "unlock");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "");
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
test_password (void)
{
  g_autoptr(GFile) encrypted = write_encrypted_pdf ();
  SichtungWindow *window;
  SichtungDocumentPane *pane;

  if (encrypted == NULL)
    {
      g_test_skip ("qpdf is not installed");
      return;
    }

  window = new_window ();
  pane = sichtung_window_get_pane (window, SICHTUNG_PANE_LEFT);
  sichtung_document_pane_open (pane, encrypted);

  /* A wrong password asks again, saying so; the right one opens the document. */
  answer_password ("falsch", "Password Required");
  answer_password ("geheim", "Wrong Password");
  WAIT_UNTIL (sichtung_document_pane_get_document (pane) != NULL && pane_settled (pane));
  g_assert_true (sc_document_get_encrypted (sichtung_document_pane_get_document (pane)));
  g_assert_cmpuint (sc_document_get_n_pages (sichtung_document_pane_get_document (pane)), ==, 2);
  g_assert_null (sichtung_document_pane_get_error_message (pane));

  /* Cancelling the prompt leaves the pane as it was, without an error. */
  sichtung_document_pane_open (pane, encrypted);
  {
    AdwMessageDialog *dialog;

    WAIT_UNTIL ((dialog = find_password_dialog ()) != NULL);
    adw_message_dialog_response (dialog, "cancel");
    gtk_window_close (GTK_WINDOW (dialog));
  }
  WAIT_UNTIL (pane_settled (pane));
  g_assert_nonnull (sichtung_document_pane_get_document (pane));
  finish_window (window, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  char *data_home = sc_test_ui_init (&argc, &argv, "ui", SC_TEST_UI_NONE);
  GtkIconTheme *icon_theme;
  int status;

  documents_seen = g_ptr_array_new_with_free_func (g_free);

  /* Outside an application nothing adds the resources' icons to the theme. */
  icon_theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  gtk_icon_theme_add_resource_path (icon_theme, RESOURCE_PATH "/icons");

  g_test_add_func ("/sichtung/ui/templates", test_templates);
  g_test_add_func ("/sichtung/ui/application", test_application);
  g_test_add_func ("/sichtung/ui/open-and-search", test_open_and_search);
  g_test_add_func ("/sichtung/ui/side-by-side", test_side_by_side);
  g_test_add_func ("/sichtung/ui/errors", test_errors);
  g_test_add_func ("/sichtung/ui/password", test_password);

  /* and then recently-used.xbel and the case store of the application test go */
  status = sc_test_ui_run (data_home);
  g_ptr_array_unref (documents_seen);

  return status;
}
