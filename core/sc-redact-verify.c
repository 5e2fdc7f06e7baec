/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-redact-verify.c: checks a redacted PDF the way someone trying to read what was removed
 * would (see sc_redact_verify() in sc-redact.h).
 *
 * Four independent checks, each on the written bytes, not on what the engine believes it did:
 *   1. poppler's text: no character inside an area (but the label printed there), and no
 *      redacted text more often in the whole file than it occurs outside the areas;
 *   2. the document's metadata as poppler reads it (Info dictionary, XMP);
 *   3. every string and every decoded stream of every object (what `qpdf --qdf` shows), searched
 *      for redacted text in UTF-8, Windows-1252 and UTF-16;
 *   4. the rendered pages: every area opaque black except its label, so OCR finds nothing;
 *   5. where tesseract is installed, OCR of the rendered pages: no redacted text readable.
 * It also counts the words outside the areas that are still extractable. */
#define G_LOG_DOMAIN "sichtung-redact"

#include "config.h"

#include <string.h>

#include <cairo.h>
#include <glib/gi18n-lib.h>

#include "sc-document.h"
#include "sc-error.h"
#include "sc-redact-private.h"

#define RENDER_SCALE 2.0

typedef struct
{
  char  *display;   /* the text as given, for messages and the raw search */
  char  *normal;    /* lower case, no white space */
  guint  allowed;   /* occurrences outside every area in the input */
  guint  found;     /* occurrences in the output */
} Term;

static void
term_free (gpointer data)
{
  Term *term = data;

  g_free (term->display);
  g_free (term->normal);
  g_free (term);
}

static void
add_leak (ScRedactionReport *report,
          char              *message)
{
  for (guint i = 0; i < report->leaks->len; i++)
    if (strcmp (g_ptr_array_index (report->leaks, i), message) == 0)
      {
        g_free (message);
        return;
      }
  g_ptr_array_add (report->leaks, message);
}

/* Text without white space, in lower case, with the index in @text (code points) of each
 * character kept in @map. */
static GString *
normalise (const char *text,
           GArray     *map)
{
  GString *out = g_string_new (NULL);
  guint index = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), index++)
    {
      gunichar c = g_utf8_get_char (p);

      gunichar parts[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
      gsize n_parts;

      if (g_unichar_isspace (c) || c == 0x00AD)
        continue;
      /* Compatibility forms count as what they stand for (the ligature "ﬁ" as "fi") and
       * accents are dropped, so however a file encodes a name, it matches. */
      n_parts = g_unichar_fully_decompose (c, TRUE, parts, G_N_ELEMENTS (parts));
      for (gsize k = 0; k < n_parts; k++)
        {
          if (g_unichar_ismark (parts[k]))
            continue;
          g_string_append_unichar (out, g_unichar_tolower (parts[k]));
          if (map != NULL)
            g_array_append_val (map, index);
        }
    }
  return out;
}

static gboolean
rect_contains_centre (const ScRect *area,
                      const ScRect *glyph)
{
  double cx = glyph->x + glyph->width / 2, cy = glyph->y + glyph->height / 2;

  if (glyph->width <= 0 && glyph->height <= 0)
    return FALSE;
  return cx > area->x && cx < area->x + area->width && cy > area->y &&
         cy < area->y + area->height;
}

static gboolean
in_any_area (GArray       *redactions,
             guint         page,
             const ScRect *glyph)
{
  for (guint i = 0; i < redactions->len; i++)
    {
      const ScRedaction *redaction = &g_array_index (redactions, ScRedaction, i);

      if (redaction->page == page && rect_contains_centre (&redaction->rect, glyph))
        return TRUE;
    }
  return FALSE;
}

/* ---- 1. Text ------------------------------------------------------------------------------ */

static void
check_text_in_areas (ScRedactionReport *report,
                     GArray            *redactions,
                     guint              page,
                     const char        *text,
                     GArray            *layout)
{
  g_autoptr(GString) inside = g_string_new (NULL);
  guint index = 0;

  for (const char *p = text; *p != '\0' && index < layout->len; p = g_utf8_next_char (p), index++)
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c) &&
          in_any_area (redactions, page, &g_array_index (layout, ScRect, index)))
        g_string_append_unichar (inside, c);
    }
  /* The labels printed on the boxes are the only text allowed there. */
  for (guint i = 0; i < redactions->len && inside->len > 0; i++)
    {
      const ScRedaction *redaction = &g_array_index (redactions, ScRedaction, i);
      g_autoptr(GString) label = NULL;
      char *hit;

      if (redaction->page != page || redaction->label == NULL)
        continue;
      label = g_string_new (NULL);
      for (const char *p = redaction->label; *p != '\0'; p = g_utf8_next_char (p))
        if (!g_unichar_isspace (g_utf8_get_char (p)))
          g_string_append_unichar (label, g_utf8_get_char (p));
      while (label->len > 0 && (hit = strstr (inside->str, label->str)) != NULL)
        g_string_erase (inside, hit - inside->str, label->len);
    }
  if (inside->len > 0)
    add_leak (report, g_strdup_printf (_("Page %u still has text under a redaction: “%s”."),
                                       page + 1, inside->str));
}

/* Counts non-overlapping occurrences of every term on one page; for the input only those
 * outside the areas. */
static void
count_terms (GPtrArray  *terms,
             GArray     *redactions,
             guint       page,
             const char *text,
             GArray     *layout,
             gboolean    input)
{
  g_autoptr(GArray) map = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GString) normal = normalise (text, map);
  g_autofree gunichar *chars = g_utf8_to_ucs4_fast (normal->str, -1, NULL);
  glong n_chars = g_utf8_strlen (normal->str, -1);

  for (guint t = 0; t < terms->len; t++)
    {
      Term *term = g_ptr_array_index (terms, t);
      g_autofree gunichar *needle = g_utf8_to_ucs4_fast (term->normal, -1, NULL);
      glong n_needle = g_utf8_strlen (term->normal, -1);

      for (glong i = 0; n_needle > 0 && i + n_needle <= n_chars;)
        {
          guint inside = 0;

          if (memcmp (chars + i, needle, n_needle * sizeof (gunichar)) != 0)
            {
              i++;
              continue;
            }
          if (!input)
            term->found++;
          else
            {
              for (glong k = i; k < i + n_needle; k++)
                {
                  guint index = g_array_index (map, guint, k);

                  if (index < layout->len &&
                      in_any_area (redactions, page, &g_array_index (layout, ScRect, index)))
                    inside++;
                }
              if (inside * 2 < (guint) n_needle)
                term->allowed++;
            }
          i += n_needle;
        }
    }
}

/* Words of the page, as a multiset; for the input only those wholly outside the areas. */
static GHashTable *
count_words (GArray     *redactions,
             guint       page,
             const char *text,
             GArray     *layout,
             gboolean    input,
             guint      *total)
{
  GHashTable *words = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) word = g_string_new (NULL);
  gboolean word_inside = FALSE;
  guint index = 0;

  for (const char *p = text;; p = g_utf8_next_char (p), index++)
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0 || g_unichar_isspace (c))
        {
          if (word->len > 0 && !word_inside)
            {
              gpointer count = g_hash_table_lookup (words, word->str);

              g_hash_table_replace (words, g_strdup (word->str),
                                    GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
              (*total)++;
            }
          g_string_truncate (word, 0);
          word_inside = FALSE;
          if (c == 0)
            break;
          continue;
        }
      g_string_append_unichar (word, c);
      if (input && index < layout->len &&
          in_any_area (redactions, page, &g_array_index (layout, ScRect, index)))
        word_inside = TRUE;
    }
  return words;
}

/* ---- 3. Objects --------------------------------------------------------------------------- */

typedef struct
{
  GPtrArray *needles;  /* GBytes: each term in each encoding */
  GPtrArray *owners;   /* Term *, parallel to needles */
} Needles;

static void
add_needle (Needles    *needles,
            Term       *term,
            const char *data,
            gsize       length)
{
  if (data == NULL || length < 3)
    return;
  g_ptr_array_add (needles->needles, g_bytes_new (data, length));
  g_ptr_array_add (needles->owners, term);
}

static gboolean
contains_bytes (const guint8 *data,
                gsize         length,
                const guint8 *needle,
                gsize         n)
{
  for (gsize i = 0; n > 0 && i + n <= length; i++)
    {
      const guint8 *p = memchr (data + i, needle[0], length - n + 1 - i);

      if (p == NULL)
        return FALSE;
      i = (gsize) (p - data);
      if (memcmp (p, needle, n) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
search_bytes (ScRedactionReport *report,
              Needles           *needles,
              const guint8      *data,
              gsize              length,
              int                object)
{
  for (guint i = 0; i < needles->needles->len; i++)
    {
      gsize n;
      const guint8 *needle = g_bytes_get_data (g_ptr_array_index (needles->needles, i), &n);
      Term *term = g_ptr_array_index (needles->owners, i);

      if (contains_bytes (data, length, needle, n))
        add_leak (report, g_strdup_printf (_("“%s” is still in the file’s data (object %d)."),
                                           term->display, object));
    }
}

static void
check_objects (ScRedactionReport *report,
               GBytes            *output,
               Needles           *needles)
{
  qpdf_data qpdf = qpdf_init ();
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) queue = g_array_new (FALSE, FALSE, sizeof (qpdf_oh));
  qpdf_oh trailer;

  qpdf_silence_errors (qpdf);
  qpdf_set_suppress_warnings (qpdf, QPDF_TRUE);
  qpdf_read_memory (qpdf, "redacted.pdf", g_bytes_get_data (output, NULL),
                    g_bytes_get_size (output), NULL);
  if (qpdf_has_error (qpdf))
    {
      add_leak (report, g_strdup (_("The redacted file cannot be read back.")));
      qpdf_cleanup (&qpdf);
      return;
    }
  trailer = qpdf_get_trailer (qpdf);
  g_array_append_val (queue, trailer);
  /* Breadth first over everything the file references, each indirect object once. */
  for (guint head = 0; head < queue->len; head++)
    {
      qpdf_oh oh = g_array_index (queue, qpdf_oh, head);
      int id = qpdf_oh_is_indirect (qpdf, oh) ? qpdf_oh_get_object_id (qpdf, oh) : 0;
      qpdf_oh container = oh;

      if (id != 0)
        {
          if (g_hash_table_contains (seen, GINT_TO_POINTER (id)))
            continue;
          g_hash_table_add (seen, GINT_TO_POINTER (id));
        }
      if (qpdf_oh_is_string (qpdf, oh))
        {
          size_t length = 0;
          const char *value = qpdf_oh_get_binary_string_value (qpdf, oh, &length);
          g_autofree char *copy = g_memdup2 (value, length);
          const char *utf8;

          search_bytes (report, needles, (const guint8 *) copy, length, id);
          utf8 = qpdf_oh_get_utf8_value (qpdf, oh);
          search_bytes (report, needles, (const guint8 *) utf8, strlen (utf8), id);
          continue;
        }
      if (qpdf_oh_is_stream (qpdf, oh))
        {
          g_autoptr(GBytes) data = sc_qpdf_stream_data (qpdf, oh, FALSE);

          if (data != NULL)
            search_bytes (report, needles, g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                          id);
          container = qpdf_oh_get_dict (qpdf, oh);
        }
      if (qpdf_oh_is_array (qpdf, container))
        for (int i = 0, n = qpdf_oh_get_array_n_items (qpdf, container); i < n; i++)
          {
            qpdf_oh item = qpdf_oh_get_array_item (qpdf, container, i);

            g_array_append_val (queue, item);
          }
      else if (qpdf_oh_is_dictionary (qpdf, container))
        {
          g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);

          qpdf_oh_begin_dict_key_iter (qpdf, container);
          while (qpdf_oh_dict_more_keys (qpdf))
            g_ptr_array_add (keys, g_strdup (qpdf_oh_dict_next_key (qpdf)));
          for (guint i = 0; i < keys->len; i++)
            {
              qpdf_oh item = qpdf_oh_get_key (qpdf, container, g_ptr_array_index (keys, i));

              /* Names of keys can hold text too, but not text Sichtung redacts. */
              if (strcmp (g_ptr_array_index (keys, i), "/Parent") != 0)
                g_array_append_val (queue, item);
            }
        }
    }
  while (qpdf_more_warnings (qpdf))
    qpdf_next_warning (qpdf);
  qpdf_cleanup (&qpdf);
}

/* ---- 4. Pixels ---------------------------------------------------------------------------- */

/* Returns the rendered page for the OCR check; NULL when it cannot be rendered. */
static cairo_surface_t *
check_pixels (ScRedactionReport *report,
              ScDocument        *output,
              GArray            *redactions,
              guint              page)
{
  g_autoptr(GError) local_error = NULL;
  cairo_surface_t *surface = sc_document_render_page (output, page, RENDER_SCALE, &local_error);
  const guint8 *pixels;
  int width, height, stride;

  if (surface == NULL)
    {
      add_leak (report, g_strdup_printf (_("Page %u of the redacted file cannot be rendered."),
                                         page + 1));
      return NULL;
    }
  cairo_surface_flush (surface);
  pixels = cairo_image_surface_get_data (surface);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  stride = cairo_image_surface_get_stride (surface);

  for (guint i = 0; i < redactions->len; i++)
    {
      const ScRedaction *redaction = &g_array_index (redactions, ScRedaction, i);
      double lx0 = 0, lx1 = 0, ly0 = 0, ly1 = 0;
      int x0, x1, y0, y1;
      guint not_black = 0;

      if (redaction->page != page)
        continue;
      if (redaction->label != NULL)
        {
          g_autofree char *latin1 = sc_redact_label_to_latin1 (redaction->label);
          double size, x, baseline, text_width;

          if (latin1 != NULL && sc_redact_label_layout (&redaction->rect, latin1, &size, &x,
                                                        &baseline, &text_width))
            {
              lx0 = (x - 1) * RENDER_SCALE;
              lx1 = (x + text_width + 1) * RENDER_SCALE;
              ly0 = (baseline - size * 1.1) * RENDER_SCALE;
              ly1 = (baseline + size * 0.4) * RENDER_SCALE;
            }
        }
      /* One point in from every edge, where anti-aliasing blends the box with the page. */
      x0 = MAX ((int) ((redaction->rect.x + 1) * RENDER_SCALE), 0);
      y0 = MAX ((int) ((redaction->rect.y + 1) * RENDER_SCALE), 0);
      x1 = MIN ((int) ((redaction->rect.x + redaction->rect.width - 1) * RENDER_SCALE), width);
      y1 = MIN ((int) ((redaction->rect.y + redaction->rect.height - 1) * RENDER_SCALE), height);
      for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
          {
            guint32 argb = *(const guint32 *) (pixels + (gsize) y * stride + (gsize) x * 4);
            guint r = argb >> 16 & 0xff, g = argb >> 8 & 0xff, b = argb & 0xff;

            if (x >= lx0 && x < lx1 && y >= ly0 && y < ly1)
              continue;
            if (r > 48 || g > 48 || b > 48)
              not_black++;
          }
      if (not_black > 0)
        add_leak (report, g_strdup_printf (_("A redaction on page %u is not opaque black "
                                             "(%u pixels show through)."),
                                           page + 1, not_black));
    }
  return surface;
}

/* ---- 5. OCR ------------------------------------------------------------------------------- */

/* The tesseract language to read German with, or NULL when tesseract (or any of its languages)
 * is not installed: the check is then left to the pixels. */
static const char *
ocr_language (void)
{
  static gsize once = 0;
  static const char *language = NULL;

  if (g_once_init_enter (&once))
    {
      g_autofree char *program = g_find_program_in_path ("tesseract");
      g_autofree char *out = NULL;
      const char *argv[] = { "tesseract", "--list-langs", NULL };
      int status = 0;

      if (program != NULL &&
          g_spawn_sync (NULL, (char **) argv, NULL,
                        G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                        NULL, &status, NULL) &&
          g_spawn_check_wait_status (status, NULL) && out != NULL)
        {
          g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

          for (guint i = 1; lines[i] != NULL && language == NULL; i++)
            if (strcmp (g_strstrip (lines[i]), "deu") == 0)
              language = "deu";
          for (guint i = 1; lines[i] != NULL && language == NULL; i++)
            if (strcmp (lines[i], "eng") == 0)
              language = "eng";
        }
      g_once_init_leave (&once, 1);
    }
  return language;
}

static cairo_status_t
append_png (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* What tesseract reads on @surface; NULL when it could not run. */
static char *
ocr_page (cairo_surface_t *surface,
          GCancellable    *cancellable)
{
  const char *language = ocr_language ();
  g_autoptr(GByteArray) png = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) input = NULL;
  g_autoptr(GBytes) output = NULL;
  g_autoptr(GError) error = NULL;

  if (language == NULL)
    return NULL;
  png = g_byte_array_new ();
  if (cairo_surface_write_to_png_stream (surface, append_png, png) != CAIRO_STATUS_SUCCESS)
    return NULL;
  input = g_byte_array_free_to_bytes (g_steal_pointer (&png));
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  /* One page at a time: its OpenMP threads would only contend with each other. */
  g_subprocess_launcher_setenv (launcher, "OMP_THREAD_LIMIT", "1", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, "tesseract", "stdin", "stdout",
                                         "-l", language, NULL);
  if (process == NULL ||
      !g_subprocess_communicate (process, input, cancellable, &output, NULL, &error) ||
      !g_subprocess_get_successful (process) || output == NULL)
    {
      g_debug ("OCR failed: %s", error != NULL ? error->message : "tesseract failed");
      return NULL;
    }
  return g_strndup (g_bytes_get_data (output, NULL), g_bytes_get_size (output));
}

/* ---- All checks --------------------------------------------------------------------------- */

gboolean
sc_redact_verify (GBytes             *input,
                  const char         *password,
                  GBytes             *output,
                  GArray             *redactions,
                  ScRedactionReport  *report,
                  GCancellable       *cancellable,
                  GError            **error)
{
  g_autoptr(ScDocument) in_doc = NULL;
  g_autoptr(ScDocument) out_doc = NULL;
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func (term_free);
  g_autoptr(GHashTable) by_normal = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *metadata = NULL;
  g_autoptr(GString) metadata_normal = NULL;
  Needles needles = { NULL, NULL };
  g_autoptr(GPtrArray) ocr_texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ocr_pages = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n_pages;

  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (output != NULL, FALSE);
  g_return_val_if_fail (redactions != NULL, FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  in_doc = sc_document_new_from_bytes (input, NULL, password, error);
  if (in_doc == NULL)
    return FALSE;
  out_doc = sc_document_new_from_bytes (output, NULL, NULL, error);
  if (out_doc == NULL)
    {
      g_prefix_error (error, _("The redacted file cannot be opened: "));
      return FALSE;
    }
  g_ptr_array_set_size (report->leaks, 0);
  report->n_words_outside = report->n_words_surviving = 0;
  report->ocr_checked = FALSE;
  n_pages = sc_document_get_n_pages (in_doc);
  if (sc_document_get_n_pages (out_doc) != n_pages)
    add_leak (report, g_strdup (_("The redacted file has a different number of pages.")));

  for (guint i = 0; i < redactions->len; i++)
    {
      const char *text = g_array_index (redactions, ScRedaction, i).text;
      g_autoptr(GString) normal = NULL;
      Term *term;

      if (text == NULL)
        continue;
      normal = normalise (text, NULL);
      /* Shorter texts (a house number, an initial) occur everywhere by chance. */
      if (g_utf8_strlen (normal->str, -1) < 3 || g_hash_table_contains (by_normal, normal->str))
        continue;
      term = g_new0 (Term, 1);
      term->display = g_strdup (text);
      term->normal = g_string_free (g_steal_pointer (&normal), FALSE);
      g_hash_table_add (by_normal, term->normal);
      g_ptr_array_add (terms, term);
    }

  for (guint page = 0; page < MIN (n_pages, sc_document_get_n_pages (out_doc)); page++)
    {
      g_autofree char *in_text = NULL;
      g_autofree char *out_text = NULL;
      g_autoptr(GArray) in_layout = NULL;
      g_autoptr(GArray) out_layout = NULL;
      g_autoptr(GHashTable) in_words = NULL;
      g_autoptr(GHashTable) out_words = NULL;
      GHashTableIter iter;
      gpointer word, count;
      guint ignored = 0;
      gboolean has_area = FALSE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      in_layout = sc_document_get_page_layout (in_doc, page, &in_text);
      out_layout = sc_document_get_page_layout (out_doc, page, &out_text);
      for (guint i = 0; i < redactions->len; i++)
        has_area |= g_array_index (redactions, ScRedaction, i).page == page;

      if (has_area)
        check_text_in_areas (report, redactions, page, out_text, out_layout);
      count_terms (terms, redactions, page, in_text, in_layout, TRUE);
      count_terms (terms, redactions, page, out_text, out_layout, FALSE);

      in_words = count_words (redactions, page, in_text, in_layout, TRUE,
                              &report->n_words_outside);
      out_words = count_words (redactions, page, out_text, out_layout, FALSE, &ignored);
      g_hash_table_iter_init (&iter, in_words);
      while (g_hash_table_iter_next (&iter, &word, &count))
        report->n_words_surviving += MIN (GPOINTER_TO_UINT (count),
                                          GPOINTER_TO_UINT (g_hash_table_lookup (out_words,
                                                                                 word)));
      if (has_area)
        {
          cairo_surface_t *surface = check_pixels (report, out_doc, redactions, page);
          char *read = NULL;

          if (surface != NULL)
            {
              read = ocr_page (surface, cancellable);
              cairo_surface_destroy (surface);
            }
          if (read != NULL)
            {
              g_autoptr(GString) normal = normalise (read, NULL);

              report->ocr_checked = TRUE;
              g_ptr_array_add (ocr_texts, g_string_free (g_steal_pointer (&normal), FALSE));
              g_array_append_val (ocr_pages, page);
              g_free (read);
            }
        }
    }

  metadata = sc_document_get_metadata_text (out_doc);
  metadata_normal = normalise (metadata, NULL);
  needles.needles = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  needles.owners = g_ptr_array_new ();
  for (guint t = 0; t < terms->len; t++)
    {
      Term *term = g_ptr_array_index (terms, t);

      if (term->found > term->allowed)
        add_leak (report, g_strdup_printf (_("“%s” can still be found in the text of the "
                                             "redacted file."),
                                           term->display));
      if (strstr (metadata_normal->str, term->normal) != NULL)
        add_leak (report, g_strdup_printf (_("“%s” is still in the document’s metadata."),
                                           term->display));
      /* Where the text also stands unredacted, finding it in the file's data proves nothing. */
      if (term->allowed == 0)
        {
          for (guint k = 0; k < ocr_texts->len; k++)
            if (strstr (g_ptr_array_index (ocr_texts, k), term->normal) != NULL)
              add_leak (report, g_strdup_printf (_("Text recognition reads “%s” on page %u of "
                                                   "the redacted file."),
                                                 term->display,
                                                 g_array_index (ocr_pages, guint, k) + 1));
          g_autofree char *latin1 = g_convert (term->display, -1, "WINDOWS-1252", "UTF-8", NULL,
                                               NULL, NULL);
          gsize utf16_length = 0;
          g_autofree char *utf16 = g_convert (term->display, -1, "UTF-16BE", "UTF-8", NULL,
                                              &utf16_length, NULL);

          add_needle (&needles, term, term->display, strlen (term->display));
          if (latin1 != NULL && strcmp (latin1, term->display) != 0)
            add_needle (&needles, term, latin1, strlen (latin1));
          add_needle (&needles, term, utf16, utf16_length);
        }
    }
  if (needles.needles->len > 0)
    check_objects (report, output, &needles);
  g_ptr_array_unref (needles.needles);
  g_ptr_array_unref (needles.owners);

  report->verified = TRUE;
  return TRUE;
}
