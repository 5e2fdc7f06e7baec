/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-assistant-ui.c: the local assistant in the main window, on a tiny hand-built chat model
 * (sc-test-chat-model.h) and a notice the test writes: the status page without a model, the
 * model loaded in the background with its facts, a question answered with the model's exact
 * text, labelled as AI-generated, its citation and its listed passages shown on the page, the
 * explanation, the answer in the audit log with the model's SHA-256, Stop keeping the answer
 * so far, and the messages for a model of another architecture and a file that is no model.
 * Runs under xvfb-run. */
#define G_LOG_DOMAIN "sichtung-test"

#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "sichtung-answer-view.h"
#include "sichtung-assistant-panel.h"
#include "sichtung-document-pane.h"
#include "sichtung-window.h"
#include "sc-test-chat-model.h"
#include "sc-test-gguf.h"
#include "sc-test-ui.h"
#include "sc-test-util.h"

#define WAIT_TIMEOUT_MS 60000

#define WAIT_UNTIL(condition) SC_TEST_WAIT_UNTIL (condition, WAIT_TIMEOUT_MS)

/* Without the key word: the passage holding it is what the answer rests on. */
#define QUESTION    "Bis wann kann ich Widerspruch einlegen?"

typedef struct
{
  char                   *dir;
  ScStore                *store;
  SichtungWindow         *window;
  SichtungDocumentPane   *pane;
  SichtungAssistantPanel *panel;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *notice = NULL;
  g_autoptr(GFile) file = NULL;

  f->dir = g_dir_make_tmp ("sichtung-assistant-ui-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (f->dir, "faelle.sqlite", NULL);
  f->store = sc_store_open (db, &error);
  g_assert_no_error (error);

  notice = g_build_filename (f->dir, "bescheid.txt", NULL);
  g_assert_true (g_file_set_contents (notice, sc_test_chat_notice, -1, NULL));
  file = g_file_new_for_path (notice);

  /* No model chosen: the memory settings backend starts empty for every test program, and
   * each test starts from there. */
  f->window = sc_test_ui_new_window (f->store);
  f->pane = sichtung_window_get_pane (f->window, SICHTUNG_PANE_LEFT);
  f->panel = sichtung_window_get_assistant_panel (f->window);
  sichtung_assistant_panel_set_model_path (f->panel, NULL);
  sichtung_window_open (f->window, file, SICHTUNG_PANE_LEFT);
  WAIT_UNTIL (sc_test_ui_pane_analysed (f->pane) && sc_test_ui_pane_shows_stored (f->pane));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  sc_test_ui_destroy_window (f->window);
  g_clear_object (&f->store);
  sc_test_remove_tree (f->dir);
  g_free (f->dir);
}

static char *
write_chat_model (Fixture           *f,
                  const char        *name,
                  const char *const *pieces)
{
  g_autoptr(GError) error = NULL;
  ScTestChatModelSpec spec = { pieces, "▁" SC_TEST_CHAT_KEY_WORD, 0 };
  char *path = sc_test_chat_model_write (f->dir, name, &spec, &error);

  g_assert_no_error (error);
  return path;
}

/* Shows the assistant with Ctrl+Shift+A, as a person would, and waits for the model. */
static void
show_assistant (Fixture *f)
{
  sc_test_ui_press_key (GTK_WIDGET (f->window), GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
  g_assert_true (sichtung_window_get_show_assistant (f->window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (f->panel)));
}

static void
wait_ready (Fixture *f)
{
  WAIT_UNTIL (g_strcmp0 (sichtung_assistant_panel_get_state (f->panel), "loading") != 0);
  if (g_strcmp0 (sichtung_assistant_panel_get_state (f->panel), "ready") != 0)
    g_error ("The model did not load: %s", sichtung_assistant_panel_get_message (f->panel));
}

/* Each text the answer label showed while the answer was generated. */
static void
label_changed_cb (GtkLabel   *label,
                  GParamSpec *pspec,
                  GPtrArray  *texts)
{
  const char *text = gtk_label_get_text (label);

  if (text[0] != '\0' && (texts->len == 0
                          || g_strcmp0 (g_ptr_array_index (texts, texts->len - 1), text) != 0))
    g_ptr_array_add (texts, g_strdup (text));
}

static void
ask (Fixture    *f,
     const char *question)
{
  GtkEntry *entry = sichtung_assistant_panel_get_question_entry (f->panel);

  gtk_editable_set_text (GTK_EDITABLE (entry), question);
  /* Enter in the entry asks. */
  g_signal_emit_by_name (entry, "activate");
  g_assert_true (sichtung_assistant_panel_get_busy (f->panel));
  WAIT_UNTIL (!sichtung_assistant_panel_get_busy (f->panel));
}

/* The audit entries of the assistant, oldest first. */
static GPtrArray *
answer_entries (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = sc_store_list_audit (f->store, 0, &error);
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                       sc_store_audit_entry_unref);

  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      ScStoreAuditEntry *entry = g_ptr_array_index (all, i);

      if (g_strcmp0 (entry->action, "assistant-answer") == 0)
        g_ptr_array_add (entries, sc_store_audit_entry_ref (entry));
    }
  return entries;
}

/* ---- Without a model ------------------------------------------------------------------ */

static void
test_no_model (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *models_dir = sc_assistant_get_models_dir ();
  AdwStatusPage *status_page = sichtung_assistant_panel_get_status_page (f->panel);

  g_assert_false (sichtung_window_get_show_assistant (f->window));
  show_assistant (f);
  g_assert_cmpstr (sichtung_assistant_panel_get_state (f->panel), ==, "none");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (status_page)));
  /* It says where models go and that none is downloaded. */
  g_assert_nonnull (strstr (adw_status_page_get_description (status_page), models_dir));
  g_assert_nonnull (strstr (adw_status_page_get_description (status_page), "offline"));
  g_assert_null (sichtung_assistant_panel_get_message (f->panel));
  /* Nothing to ask without a model. */
  gtk_editable_set_text (GTK_EDITABLE (sichtung_assistant_panel_get_question_entry (f->panel)),
                         QUESTION);
  g_signal_emit_by_name (sichtung_assistant_panel_get_question_entry (f->panel), "activate");
  g_assert_false (sichtung_assistant_panel_get_busy (f->panel));

  /* The shortcut toggles back to the findings. */
  sc_test_ui_press_key (GTK_WIDGET (f->window), GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
  g_assert_false (sichtung_window_get_show_assistant (f->window));
  g_assert_true (sichtung_window_get_show_findings (f->window));
}

/* ---- A question, its citations, the explanation and the audit log ------------------------ */

static void
test_question (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *model_path = write_chat_model (f, "chat.gguf", sc_test_chat_answer_pieces);
  g_autofree char *sha256 = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  SichtungAnswerView *view = sichtung_assistant_panel_get_answer_view (f->panel);
  SichtungDocumentView *page_view = sichtung_document_pane_get_view (f->pane);
  SichtungAssistantModel *model;
  ScStoreAuditEntry *entry;
  const ScPassage *passage;
  GtkListBoxRow *row;
  const char *facts;
  const char *explanation;
  ScAnswer *answer;
  GArray *boxes;
  gboolean handled = FALSE;
  guint page = G_MAXUINT;
  gulong handler;

  /* Chosen before the assistant is shown: it loads once it is. */
  sichtung_assistant_panel_set_model_path (f->panel, model_path);
  g_assert_cmpstr (sichtung_assistant_panel_get_state (f->panel), ==, "none");
  show_assistant (f);
  wait_ready (f);

  model = sichtung_assistant_panel_get_model (f->panel);
  g_assert_nonnull (model);
  sha256 = sc_model_info_compute_sha256 (model_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sichtung_assistant_model_get_sha256 (model), ==, sha256);
  facts = sichtung_assistant_panel_get_model_facts (f->panel);
  g_assert_nonnull (strstr (facts, "llama"));
  g_assert_nonnull (strstr (facts, "chatml"));
  g_assert_nonnull (strstr (facts, sichtung_assistant_model_get_device (model)));

  /* The answer streams in, and is the model's answer exactly. */
  handler = g_signal_connect (sichtung_answer_view_get_text_label (view), "notify::label",
                              G_CALLBACK (label_changed_cb), texts);
  ask (f, QUESTION);
  g_signal_handler_disconnect (sichtung_answer_view_get_text_label (view), handler);
  g_assert_null (sichtung_assistant_panel_get_message (f->panel));
  answer = sichtung_answer_view_get_answer (view);
  g_assert_nonnull (answer);
  g_assert_cmpstr (answer->text, ==, SC_TEST_CHAT_ANSWER);
  g_assert_cmpstr (sichtung_answer_view_get_text (view), ==, SC_TEST_CHAT_ANSWER);
  g_assert_cmpint (answer->stop, ==, SC_ANSWER_STOP_END);
  g_assert_null (sichtung_answer_view_get_status (view));
  g_assert_cmpuint (texts->len, >=, 1);
  for (guint i = 0; i < texts->len; i++)
    g_assert_true (g_str_has_prefix (SC_TEST_CHAT_ANSWER, g_ptr_array_index (texts, i)));
  g_test_message ("%u texts shown while streaming", texts->len);

  /* Labelled as machine-made, on screen. */
  WAIT_UNTIL (gtk_widget_get_mapped (sichtung_answer_view_get_ai_label (view)));

  /* [1] is the passage with the key word; activating it marks that passage on its page. */
  g_assert_cmpuint (answer->citations->len, ==, 2);
  g_assert_cmpint (g_array_index (answer->citations, ScCitation, 0).passage, ==, 0);
  passage = g_ptr_array_index (answer->passages, 0);
  g_assert_nonnull (strstr (passage->text, SC_TEST_CHAT_KEY_WORD));
  g_assert_cmpuint (passage->boxes->len, >, 0);
  g_assert_nonnull (strstr (gtk_label_get_label (sichtung_answer_view_get_text_label (view)),
                            "href=\"passage:0\""));
  g_assert_null (sichtung_document_view_get_passage (page_view, NULL));
  g_signal_emit_by_name (sichtung_answer_view_get_text_label (view), "activate-link",
                         "passage:0", &handled);
  g_assert_true (handled);
  boxes = sichtung_document_view_get_passage (page_view, &page);
  g_assert_true (boxes == passage->boxes);
  g_assert_cmpuint (page, ==, passage->page);
  g_assert_cmpuint (sichtung_document_view_get_current_page (page_view), ==, passage->page);

  /* The passages used are listed, and each one shows its passage too. */
  g_assert_cmpuint (answer->passages->len, >=, 2);
  row = gtk_list_box_get_row_at_index (sichtung_answer_view_get_passages_list (view), 1);
  g_assert_nonnull (row);
  g_signal_emit_by_name (sichtung_answer_view_get_passages_list (view), "row-activated", row);
  passage = g_ptr_array_index (answer->passages, 1);
  boxes = sichtung_document_view_get_passage (page_view, &page);
  g_assert_true (boxes == passage->boxes);
  g_assert_cmpuint (page, ==, passage->page);

  /* Recorded with the model's name and the SHA-256 of its file, for this document. */
  entries = answer_entries (f);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->model_sha256, ==, sha256);
  g_assert_cmpstr (entry->model_name, ==, sichtung_assistant_model_get_info (model)->name);
  g_assert_cmpint (entry->document_id, ==, sichtung_document_pane_get_document_id (f->pane));
  g_assert_cmpint (entry->case_id, ==, sichtung_document_pane_get_case_id (f->pane));
  g_assert_nonnull (strstr (entry->details, "Die Frist endet am 14. M"));
  g_assert_true (sc_store_verify_audit (f->store, NULL, &error));
  g_assert_no_error (error);

  /* Explained: both sentences rest on the passage with the key word; the second cites [2],
   * which it does not rest on. */
  g_assert_null (sichtung_answer_view_get_attribution_text (view));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), "assistant.explain", NULL));
  g_assert_true (sichtung_assistant_panel_get_busy (f->panel));
  WAIT_UNTIL (!sichtung_assistant_panel_get_busy (f->panel));
  g_assert_null (sichtung_assistant_panel_get_message (f->panel));
  g_assert_nonnull (answer->attribution);
  explanation = sichtung_answer_view_get_attribution_text (view);
  g_assert_nonnull (explanation);
  g_test_message ("explanation: %s", explanation);
  g_assert_nonnull (strstr (explanation, "Sentence 1 rests mainly on [1]"));
  g_assert_nonnull (strstr (explanation, "Sentence 2 rests mainly on [1]"));
  g_assert_nonnull (strstr (explanation, "Sentence 2 cites [2], but"));
  g_assert_null (strstr (explanation, "Sentence 1 cites [1], but"));
  /* Once is enough. */
  gtk_widget_activate_action (GTK_WIDGET (f->panel), "assistant.explain", NULL);
  g_assert_false (sichtung_assistant_panel_get_busy (f->panel));

  /* Over the whole case: recorded for the case, for no single document; the citation still
   * finds its passage in the pane. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), "assistant.scope", "s",
                                             "case"));
  g_assert_cmpstr (sichtung_assistant_panel_get_scope (f->panel), ==, "case");
  ask (f, QUESTION);
  answer = sichtung_answer_view_get_answer (view);
  g_assert_nonnull (answer);
  g_assert_cmpstr (answer->text, ==, SC_TEST_CHAT_ANSWER);
  g_ptr_array_unref (entries);
  entries = answer_entries (f);
  g_assert_cmpuint (entries->len, ==, 2);
  entry = g_ptr_array_index (entries, 1);
  g_assert_cmpint (entry->document_id, ==, 0);
  g_assert_cmpint (entry->case_id, ==, sichtung_document_pane_get_case_id (f->pane));
  sichtung_document_view_set_passage (page_view, 0, NULL);
  g_signal_emit_by_name (sichtung_answer_view_get_text_label (view), "activate-link",
                         "passage:0", &handled);
  passage = g_ptr_array_index (answer->passages, 0);
  g_assert_true (sichtung_document_view_get_passage (page_view, NULL) == passage->boxes);
}

/* ---- The embedding model ------------------------------------------------------------------ */

static void
test_embedding (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *model_path = write_chat_model (f, "chat.gguf", sc_test_chat_answer_pieces);
  g_autofree char *embedder = sc_test_embedding_model_write (f->dir, "einbettung.gguf");
  g_autofree char *junk = g_build_filename (f->dir, "kaputt.gguf", NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  SichtungAssistantModel *model;
  ScAnswer *answer;

  /* Chosen in the preferences: loaded with the chat model, named in its facts. */
  g_settings_set_string (settings, "assistant-embedding-model", embedder);
  sichtung_assistant_panel_set_model_path (f->panel, model_path);
  show_assistant (f);
  wait_ready (f);
  model = sichtung_assistant_panel_get_model (f->panel);
  g_assert_cmpstr (sichtung_assistant_model_get_embedder_name (model), ==, "Testeinbettung");
  g_assert_nonnull (sc_assistant_get_embedder (sichtung_assistant_model_get_assistant (model)));
  g_assert_nonnull (strstr (sichtung_assistant_panel_get_model_facts (f->panel),
                            "Testeinbettung"));
  g_assert_null (sichtung_assistant_model_get_note (model));

  /* Another choice takes effect at once. A file that is no model leaves a note naming it, and
   * questions are answered with the search by words. */
  g_assert_true (g_file_set_contents (junk, "kein Modell", -1, NULL));
  g_settings_set_string (settings, "assistant-embedding-model", junk);
  wait_ready (f);
  model = sichtung_assistant_panel_get_model (f->panel);
  g_assert_null (sichtung_assistant_model_get_embedder_name (model));
  g_assert_null (sc_assistant_get_embedder (sichtung_assistant_model_get_assistant (model)));
  g_assert_nonnull (strstr (sichtung_assistant_model_get_note (model), "kaputt.gguf"));
  g_assert_nonnull (strstr (sichtung_assistant_panel_get_model_facts (f->panel), "BM25"));
  ask (f, QUESTION);
  answer = sichtung_answer_view_get_answer (sichtung_assistant_panel_get_answer_view (f->panel));
  g_assert_nonnull (answer);
  g_assert_cmpstr (answer->text, ==, SC_TEST_CHAT_ANSWER);

  g_settings_set_string (settings, "assistant-embedding-model", "");
  wait_ready (f);
}

/* ---- Stop ------------------------------------------------------------------------------- */

static void
stop_on_first_text_cb (GtkLabel               *label,
                       GParamSpec             *pspec,
                       SichtungAssistantPanel *panel)
{
  if (gtk_label_get_text (label)[0] != '\0' && sichtung_assistant_panel_get_busy (panel))
    gtk_widget_activate_action (GTK_WIDGET (panel), "assistant.stop", NULL);
}

static void
test_stop (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) full = g_string_new (NULL);
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *model_path = NULL;
  SichtungAnswerView *view = sichtung_assistant_panel_get_answer_view (f->panel);
  ScStoreAuditEntry *entry;
  ScAnswer *answer;
  gulong handler;

  /* A long answer, so that Stop comes while it is being written. */
  for (guint i = 0; i < 200; i++)
    {
      g_ptr_array_add (pieces, g_strdup_printf ("▁wort%03u", i));
      g_string_append_printf (full, "%swort%03u", i > 0 ? " " : "", i);
    }
  g_ptr_array_add (pieces, NULL);
  model_path = write_chat_model (f, "long.gguf", (const char *const *) pieces->pdata);

  sichtung_assistant_panel_set_model_path (f->panel, model_path);
  show_assistant (f);
  wait_ready (f);

  handler = g_signal_connect (sichtung_answer_view_get_text_label (view), "notify::label",
                              G_CALLBACK (stop_on_first_text_cb), f->panel);
  ask (f, QUESTION);
  g_signal_handler_disconnect (sichtung_answer_view_get_text_label (view), handler);

  answer = sichtung_answer_view_get_answer (view);
  if (answer == NULL)
    g_error ("No answer: %s", sichtung_assistant_panel_get_message (f->panel));
  g_assert_true (g_str_has_prefix (full->str, answer->text));
  if (answer->stop == SC_ANSWER_STOP_CANCELLED)
    {
      /* Kept, marked as incomplete, and recorded like any answer. */
      g_assert_cmpuint (strlen (answer->text), <, full->len);
      g_assert_cmpstr (sichtung_answer_view_get_text (view), ==, answer->text);
      g_assert_nonnull (sichtung_answer_view_get_status (view));
      g_assert_nonnull (strstr (sichtung_answer_view_get_status (view), "Stopped"));
    }
  else
    {
      /* Not a failure: this machine wrote the whole answer before Stop arrived. */
      g_test_message ("the answer was complete before Stop (stop %d)", answer->stop);
    }
  WAIT_UNTIL (gtk_widget_get_mapped (sichtung_answer_view_get_ai_label (view)));

  entries = answer_entries (f);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  if (answer->stop == SC_ANSWER_STOP_CANCELLED)
    g_assert_nonnull (strstr (entry->details, "\"cancelled\""));
}

/* ---- Models that cannot be used ------------------------------------------------------------ */

static void
test_unusable (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *first_message = NULL;
  g_autoptr(ScTestGguf) w = sc_test_gguf_new (3);
  float weights[8] = { 0 };
  g_autofree char *falcon = NULL;
  g_autofree char *junk = g_build_filename (f->dir, "kaputt.gguf", NULL);
  g_autofree char *model_path = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  const char *message;

  show_assistant (f);

  /* Another architecture: refused before anything loads, with the reason. */
  sc_test_gguf_add_string (w, "general.architecture", "falcon");
  sc_test_gguf_add_tensor (w, "token_embd.weight", 0, 1, (gint64[]) { 8 }, weights,
                           sizeof weights);
  falcon = sc_test_gguf_write (w, "falcon.gguf");
  sichtung_assistant_panel_set_model_path (f->panel, falcon);
  WAIT_UNTIL (g_strcmp0 (sichtung_assistant_panel_get_state (f->panel), "failed") == 0);
  message = sichtung_assistant_panel_get_message (f->panel);
  g_assert_nonnull (message);
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "falcon"));
  g_assert_nonnull (strstr (message, "cannot be used"));
  g_assert_null (sichtung_assistant_panel_get_model (f->panel));
  /* The status page stays, to choose another one. */
  g_assert_true (gtk_widget_get_mapped (
                   GTK_WIDGET (sichtung_assistant_panel_get_status_page (f->panel))));
  g_unlink (falcon);
  /* The label's text goes when the message changes: keep a copy to compare. */
  first_message = g_strdup (message);

  /* No model at all. */
  g_assert_true (g_file_set_contents (junk, "kein Modell", -1, NULL));
  sichtung_assistant_panel_set_model_path (f->panel, junk);
  WAIT_UNTIL (g_strcmp0 (sichtung_assistant_panel_get_message (f->panel), first_message) != 0
              && g_strcmp0 (sichtung_assistant_panel_get_state (f->panel), "failed") == 0);
  message = sichtung_assistant_panel_get_message (f->panel);
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "kaputt.gguf"));
  g_assert_nonnull (strstr (message, "could not be read"));

  /* A usable one afterwards clears the message. */
  model_path = write_chat_model (f, "chat.gguf", sc_test_chat_answer_pieces);
  sichtung_assistant_panel_set_model_path (f->panel, model_path);
  wait_ready (f);
  g_assert_null (sichtung_assistant_panel_get_message (f->panel));
  entries = answer_entries (f);
  g_assert_cmpuint (entries->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  char *data_home = sc_test_ui_init (&argc, &argv, "assistant", SC_TEST_UI_CPU);

  g_test_add ("/sichtung/assistant-ui/no-model", Fixture, NULL, fixture_set_up, test_no_model,
              fixture_tear_down);
  g_test_add ("/sichtung/assistant-ui/question", Fixture, NULL, fixture_set_up, test_question,
              fixture_tear_down);
  g_test_add ("/sichtung/assistant-ui/embedding", Fixture, NULL, fixture_set_up,
              test_embedding, fixture_tear_down);
  g_test_add ("/sichtung/assistant-ui/stop", Fixture, NULL, fixture_set_up, test_stop,
              fixture_tear_down);
  g_test_add ("/sichtung/assistant-ui/unusable", Fixture, NULL, fixture_set_up, test_unusable,
              fixture_tear_down);

  return sc_test_ui_run (data_home);
}
