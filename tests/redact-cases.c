/* SPDX-License-Identifier: GPL-3.0-or-later */
/* redact-cases.c: writes PDF fixtures for the redaction engine: fictitious personal data planted
 * where redaction goes wrong (kerned TJ arrays, CID, Type 1, Type 3 and unembedded standard-14
 * fonts, ligatures, rotated and offset pages, form XObjects, metadata and annotations, OCR layers
 * under scanned images, split strings, fake redactions), plus OUTDIR/cases.json saying what must
 * vanish and which ordinary words must survive.
 *
 *   redact-cases OUTDIR
 *
 * It is built on its own, without config.h, so that the fixtures can be regenerated and inspected
 * with poppler-utils while the engine is still in pieces. */
#define G_LOG_DOMAIN "sichtung-redact-cases"

#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <string.h>

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <gio/gio.h>
#include <glib.h>
#include <pango/pangocairo.h>
#include <qpdf/qpdf-c.h>

#define PAGE_W 595.0
#define PAGE_H 842.0
#define MARGIN 60.0
#define TEXT_W (PAGE_W - 2 * MARGIN)

#define FONT_DEJAVU "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define FONT_NIMBUS_SANS "/usr/share/fonts/type1/urw-base35/NimbusSans-Regular.t1"
#define FONT_NIMBUS_ROMAN "/usr/share/fonts/type1/urw-base35/NimbusRoman-Regular.t1"
#define FONT_NIMBUS_MONO "/usr/share/fonts/type1/urw-base35/NimbusMonoPS-Regular.t1"

/* The planted data: all fictitious; the IBANs are the published German test IBANs. */
#define ERIKA "Erika Mustermann"
#define JUERGEN "Jürgen Weißgerber"
#define SOFIE "Sofie Fischer"
#define GRETE "Grete Lindqvist"
#define KOEHLER "Hans-Peter Köhler"
#define IBAN_A "DE02 1203 0000 0000 2020 51"
#define IBAN_B "DE89 3704 0044 0532 0130 00"
#define BIRTH_A "14.03.1981"
#define BIRTH_B "02.11.1975"
#define MAIL_ERIKA "erika.mustermann@example.de"
#define MAIL_JUERGEN "j.weissgerber@example.org"
#define PHONE_A "+49 30 1234567"
#define PHONE_B "0221 987654"
#define ADDR_A "Heidestraße 17, 51147 Köln"
#define ADDR_B "Lindenallee 4, 10115 Berlin"

/* Ordinary administrative German; every page carries at least one of these (each over 60 words),
 * and the control words of the manifest are taken from them. */
static const char *const FILLER[] = {
  "Die Wohngeldbehörde der Stadtverwaltung bestätigt hiermit den Eingang Ihres Antrags vom "
  "vergangenen Monat. Für die weitere Bearbeitung benötigen wir noch eine aktuelle Bescheinigung "
  "des Arbeitgebers über das monatliche Bruttoeinkommen sowie eine Kopie des gültigen "
  "Mietvertrags. Bitte reichen Sie die fehlenden Unterlagen innerhalb von vier Wochen nach Zugang "
  "dieses Schreibens ein, damit der Bescheid ohne weitere Verzögerung erstellt werden kann. "
  "Rückfragen beantwortet das Bürgerbüro während der üblichen Sprechzeiten am Vormittag.",

  "Nach Prüfung der eingereichten Nachweise ergibt sich ein monatlicher Anspruch, der rückwirkend "
  "ab dem Ersten des Antragsmonats gewährt wird. Die Zahlung erfolgt jeweils zum Monatsanfang auf "
  "das angegebene Konto. Änderungen der Haushaltsgröße, des Einkommens oder der Miete sind der "
  "Behörde unverzüglich schriftlich mitzuteilen. Gegen diesen Bescheid kann innerhalb eines Monats "
  "nach Bekanntgabe Widerspruch erhoben werden. Der Widerspruch ist schriftlich oder zur "
  "Niederschrift bei der oben genannten Stelle einzulegen.",

  "Das Ordnungsamt weist darauf hin, dass die Sondernutzung öffentlicher Verkehrsflächen einer "
  "Erlaubnis bedarf. Dies gilt insbesondere für Baugerüste, Container und Verkaufsstände vor "
  "Geschäften. Die Gebühr richtet sich nach der beanspruchten Fläche und der Dauer der Nutzung. "
  "Ein vollständiger Antrag sollte mindestens zwei Wochen vor Beginn der Maßnahme vorliegen, damit "
  "die Stellungnahmen der beteiligten Fachdienststellen rechtzeitig eingeholt werden können. "
  "Unvollständige Anträge führen regelmäßig zu Verzögerungen.",

  "Im Rahmen der jährlichen Überprüfung wurden die Unterlagen zur Grundsteuer vollständig "
  "erfasst. Die Berechnung beruht auf dem festgestellten Grundsteuerwert, der Steuermesszahl "
  "und dem von der Gemeinde beschlossenen Hebesatz. Die Beträge werden vierteljährlich fällig, "
  "und zwar jeweils zur Mitte des Quartals. Wer am Lastschriftverfahren teilnimmt, muss sich um "
  "die Termine nicht weiter kümmern. Eine Erstattung zu viel gezahlter Beträge erfolgt "
  "automatisch, sobald der geänderte Bescheid bestandskräftig geworden ist.",

  "Die Pilzberatungsstelle des Gesundheitsamtes bietet in der Saison offizielle Sprechstunden an. "
  "Wer Pfifferlinge, Steinpilze oder andere Speisepilze gesammelt hat, kann den Fund dort "
  "kostenlos prüfen lassen. Ein Zertifikat über die Prüfung wird nicht ausgestellt, doch die "
  "Beraterinnen geben gern Auskunft über Verwechslungsgefahren. Die Grafik im Anhang zeigt die "
  "häufigsten giftigen Doppelgänger. Bitte bringen Sie die Pilze vollständig und unzerschnitten "
  "in einem luftigen Korb mit, damit eine sichere Bestimmung möglich ist.",
};

/* ------------------------------------------------------------------------------------------ */
/* Manifest                                                                                   */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  int page;
  char *text;
} Entry;

typedef struct
{
  char *file;
  char *description;
  GArray *planted;  /* of Entry */
  GArray *control;  /* of Entry */
  GPtrArray *hidden; /* of char * */
} Case;

static GPtrArray *all_cases; /* of Case *, in manifest order */

static void
entry_clear (gpointer data)
{
  Entry *e = data;

  g_free (e->text);
}

static Case *
case_new (const char *file, const char *description)
{
  Case *c = g_new0 (Case, 1);

  c->file = g_strdup (file);
  c->description = g_strdup (description);
  c->planted = g_array_new (FALSE, FALSE, sizeof (Entry));
  c->control = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_array_set_clear_func (c->planted, entry_clear);
  g_array_set_clear_func (c->control, entry_clear);
  c->hidden = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (all_cases, c);
  return c;
}

static void
case_free (gpointer data)
{
  Case *c = data;

  g_free (c->file);
  g_free (c->description);
  g_array_unref (c->planted);
  g_array_unref (c->control);
  g_ptr_array_unref (c->hidden);
  g_free (c);
}

static void
case_plant (Case *c, int page, const char *text)
{
  Entry e = { page, g_strdup (text) };

  g_array_append_val (c->planted, e);
}

static void
case_control (Case *c, int page, const char *text)
{
  Entry e = { page, g_strdup (text) };

  g_array_append_val (c->control, e);
}

static void
case_hide (Case *c, const char *text)
{
  g_ptr_array_add (c->hidden, g_strdup (text));
}

static void
json_string (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) s; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if (*p < 0x20)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
json_entries (GString *out, const char *key, GArray *entries)
{
  g_string_append_printf (out, "      \"%s\": [", key);
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *e = &g_array_index (entries, Entry, i);

      g_string_append_printf (out, "%s\n        {\"page\": %d, \"text\": ", i ? "," : "", e->page);
      json_string (out, e->text);
      g_string_append_c (out, '}');
    }
  g_string_append (out, entries->len ? "\n      ]" : "]");
}

static char *
manifest_to_json (void)
{
  GString *out = g_string_new ("{\n  \"cases\": [");

  for (guint i = 0; i < all_cases->len; i++)
    {
      Case *c = all_cases->pdata[i];

      g_string_append_printf (out, "%s\n    {\n      \"file\": ", i ? "," : "");
      json_string (out, c->file);
      g_string_append (out, ",\n      \"description\": ");
      json_string (out, c->description);
      g_string_append (out, ",\n");
      json_entries (out, "planted", c->planted);
      g_string_append (out, ",\n      \"hidden\": [");
      for (guint j = 0; j < c->hidden->len; j++)
        {
          g_string_append (out, j ? ", " : "");
          json_string (out, c->hidden->pdata[j]);
        }
      g_string_append (out, "],\n");
      json_entries (out, "control", c->control);
      g_string_append (out, "\n    }");
    }
  g_string_append (out, "\n  ]\n}\n");
  return g_string_free (out, FALSE);
}

/* The same manifest as a key file, which the C tests read with GLib alone: one group per case,
 * entries as "PAGE:TEXT" string lists. */
static char *
manifest_to_keyfile (void)
{
  g_autoptr (GKeyFile) keyfile = g_key_file_new ();

  for (guint i = 0; i < all_cases->len; i++)
    {
      Case *c = all_cases->pdata[i];
      GArray *lists[] = { c->planted, c->control };
      const char *keys[] = { "planted", "control" };

      g_key_file_set_string (keyfile, c->file, "description", c->description);
      for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
        {
          g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_free);

          for (guint j = 0; j < lists[l]->len; j++)
            {
              Entry *e = &g_array_index (lists[l], Entry, j);

              g_ptr_array_add (items, g_strdup_printf ("%d:%s", e->page, e->text));
            }
          g_key_file_set_string_list (keyfile, c->file, keys[l],
                                      (const char *const *) items->pdata, items->len);
        }
      g_key_file_set_string_list (keyfile, c->file, "hidden",
                                  (const char *const *) c->hidden->pdata, c->hidden->len);
    }
  return g_key_file_to_data (keyfile, NULL, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Fonts and cairo helpers                                                                    */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  cairo_font_face_t *dejavu;
  cairo_font_face_t *nimbus_sans;  /* metric twin of Helvetica */
  cairo_font_face_t *nimbus_roman; /* metric twin of Times-Roman */
  cairo_font_face_t *nimbus_mono;  /* metric twin of Courier */
} Fonts;

static FT_Library ft_library;
static Fonts fonts;

static void
done_ft_face (void *data)
{
  FT_Done_Face (data);
}

/* Faces are loaded from fixed files rather than through fontconfig, because which font cairo
 * embeds (TrueType, Type 1) is what the case is about. */
static cairo_font_face_t *
load_face (const char *path, GError **error)
{
  static const cairo_user_data_key_t key;
  cairo_font_face_t *face;
  FT_Face ft_face;

  if (FT_New_Face (ft_library, path, 0, &ft_face) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "cannot load font %s", path);
      return NULL;
    }
  face = cairo_ft_font_face_create_for_ft_face (ft_face, 0);
  cairo_font_face_set_user_data (face, &key, ft_face, done_ft_face);
  return face;
}

static cairo_status_t
append_to_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A context on a 1×1 image, only for measuring text in @face at @size. */
static cairo_t *
measure_context (cairo_font_face_t *face, double size)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
  cairo_t *cr = cairo_create (surface);
  cairo_font_options_t *options = cairo_font_options_create ();

  /* Unhinted metrics, as in a PDF, so that measured widths match what poppler computes. */
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_set_font_options (cr, options);
  cairo_font_options_destroy (options);
  cairo_surface_destroy (surface);
  cairo_set_font_face (cr, face);
  cairo_set_font_size (cr, size);
  return cr;
}

static double
text_width (cairo_t *cr, const char *text)
{
  cairo_text_extents_t ext;

  cairo_text_extents (cr, text, &ext);
  return ext.x_advance;
}

/* Greedy word wrap with the font set on @cr; returns a NULL-terminated array of lines. */
static char **
wrap_words (cairo_t *cr, const char *text, double width)
{
  g_auto (GStrv) words = g_strsplit (text, " ", -1);
  GPtrArray *lines = g_ptr_array_new ();
  GString *line = g_string_new (NULL);

  for (guint i = 0; words[i]; i++)
    {
      g_autofree char *trial = NULL;

      if (!*words[i])
        continue;
      trial = line->len ? g_strconcat (line->str, " ", words[i], NULL) : g_strdup (words[i]);
      if (line->len && text_width (cr, trial) > width)
        {
          g_ptr_array_add (lines, g_strdup (line->str));
          g_string_assign (line, words[i]);
        }
      else
        g_string_assign (line, trial);
    }
  if (line->len)
    g_ptr_array_add (lines, g_strdup (line->str));
  g_string_free (line, TRUE);
  g_ptr_array_add (lines, NULL);
  return (char **) g_ptr_array_free (lines, FALSE);
}

typedef void (*ShowFunc) (cairo_t *cr, const char *text);

/* Draws @text wrapped at @width from baseline @y on, with the font set on @cr; returns the
 * baseline after the paragraph. */
static double
cairo_paragraph (cairo_t *cr, const char *text, double x, double y, double width, double leading,
                 ShowFunc show)
{
  g_auto (GStrv) lines = wrap_words (cr, text, width);

  for (guint i = 0; lines[i]; i++)
    {
      cairo_move_to (cr, x, y);
      if (show)
        show (cr, lines[i]);
      else
        cairo_show_text (cr, lines[i]);
      y += leading;
    }
  return y + leading * 0.5;
}

/* A single line that must not wrap: planted items have to stay on one line for poppler's
 * search, so an over-wide line is a bug in this generator. */
static double
cairo_line (cairo_t *cr, const char *text, double x, double y, double leading, ShowFunc show)
{
  if (text_width (cr, text) > TEXT_W + 1)
    g_warning ("line too wide: %s", text);
  cairo_move_to (cr, x, y);
  if (show)
    show (cr, text);
  else
    cairo_show_text (cr, text);
  return y + leading;
}

/* HarfBuzz would otherwise turn "fl" and "ff" into ligature glyphs, which cairo can only put in a
 * CID font and poppler extracts as U+FB02 and U+FB00; the ligature case does that on purpose,
 * the other pango cases keep to one simple TrueType font. Kerning stays on. */
static void
no_ligatures (PangoLayout *layout)
{
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_font_features_new ("liga 0, clig 0"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
}

/* Lays out @text with pango in @font (e.g. "DejaVu Sans 11") with its top at @y; wraps at
 * @width when @wrap, else warns when the line does not fit. Returns the y below it. */
static double
pango_text (cairo_t *cr, const char *font, const char *text, double x, double y, gboolean wrap)
{
  PangoContext *context = pango_cairo_create_context (cr);
  PangoLayout *layout;
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int w, h;

  /* Point sizes in the font description mean PDF points only at 72 dpi. */
  pango_cairo_context_set_resolution (context, 72);
  layout = pango_layout_new (context);
  pango_layout_set_font_description (layout, desc);
  no_ligatures (layout);
  if (wrap)
    pango_layout_set_width (layout, pango_units_from_double (TEXT_W));
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, &w, &h);
  if (!wrap && pango_units_to_double (w) > TEXT_W + 1)
    g_warning ("line too wide: %s", text);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (desc);
  g_object_unref (layout);
  g_object_unref (context);
  return y + pango_units_to_double (h) + (wrap ? 8 : 2);
}

static gboolean
cairo_check (cairo_surface_t *surface, const char *what, GError **error)
{
  cairo_status_t status = cairo_surface_status (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Hand-written PDFs and qpdf                                                                 */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  GPtrArray *objects; /* of GString *: object bodies; object number = index + 1 */
} HandPdf;

static HandPdf *
hand_new (void)
{
  HandPdf *hp = g_new0 (HandPdf, 1);

  hp->objects = g_ptr_array_new ();
  return hp;
}

static void
hand_free (HandPdf *hp)
{
  for (guint i = 0; i < hp->objects->len; i++)
    g_string_free (hp->objects->pdata[i], TRUE);
  g_ptr_array_unref (hp->objects);
  g_free (hp);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HandPdf, hand_free)

/* Reserves an object number, so that objects can refer to each other before they are written. */
static int
hand_reserve (HandPdf *hp)
{
  g_ptr_array_add (hp->objects, g_string_new (NULL));
  return (int) hp->objects->len;
}

static void G_GNUC_PRINTF (3, 4)
hand_set (HandPdf *hp, int num, const char *fmt, ...)
{
  GString *body = hp->objects->pdata[num - 1];
  va_list ap;

  va_start (ap, fmt);
  g_string_truncate (body, 0);
  g_string_append_vprintf (body, fmt, ap);
  va_end (ap);
}

static int G_GNUC_PRINTF (2, 3)
hand_add (HandPdf *hp, const char *fmt, ...)
{
  int num = hand_reserve (hp);
  va_list ap;

  va_start (ap, fmt);
  g_string_append_vprintf (hp->objects->pdata[num - 1], fmt, ap);
  va_end (ap);
  return num;
}

/* @dict holds the stream dictionary's entries other than /Length. The data stays unfiltered
 * here; qpdf compresses it when it rewrites the file. */
static void
hand_set_stream (HandPdf *hp, int num, const char *dict, const void *data, gsize len)
{
  GString *body = hp->objects->pdata[num - 1];

  g_string_printf (body, "<< %s /Length %" G_GSIZE_FORMAT " >>\nstream\n", dict, len);
  g_string_append_len (body, data, (gssize) len);
  g_string_append (body, "\nendstream");
}

static int
hand_add_stream (HandPdf *hp, const char *dict, const void *data, gsize len)
{
  int num = hand_reserve (hp);

  hand_set_stream (hp, num, dict, data, len);
  return num;
}

static int
hand_add_text_stream (HandPdf *hp, const char *dict, const GString *content)
{
  return hand_add_stream (hp, dict, content->str, content->len);
}

/* Serialises with a correct xref table, so qpdf reads it without falling back to recovery. */
static GBytes *
hand_serialize (HandPdf *hp, int root, int info)
{
  GString *out = g_string_new ("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
  g_autofree gsize *offsets = g_new0 (gsize, hp->objects->len + 1);
  gsize xref;

  for (guint i = 0; i < hp->objects->len; i++)
    {
      GString *body = hp->objects->pdata[i];

      offsets[i + 1] = out->len;
      g_string_append_printf (out, "%u 0 obj\n", i + 1);
      g_string_append_len (out, body->str, (gssize) body->len);
      g_string_append (out, "\nendobj\n");
    }
  xref = out->len;
  g_string_append_printf (out, "xref\n0 %u\n0000000000 65535 f \n", hp->objects->len + 1);
  for (guint i = 1; i <= hp->objects->len; i++)
    g_string_append_printf (out, "%010" G_GSIZE_FORMAT " 00000 n \n", offsets[i]);
  g_string_append_printf (out, "trailer\n<< /Size %u /Root %d 0 R", hp->objects->len + 1, root);
  if (info > 0)
    g_string_append_printf (out, " /Info %d 0 R", info);
  g_string_append_printf (out, " >>\nstartxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n", xref);
  return g_string_free_to_bytes (out);
}

/* qpdf's C API reports errors and warnings per handle; a fixture qpdf had to repair is not the
 * fixture we meant to write, so warnings fail too. */
static gboolean
qpdf_ok (qpdf_data q, const char *what, GError **error)
{
  gboolean ok = TRUE;

  while (qpdf_more_warnings (q))
    {
      qpdf_error w = qpdf_next_warning (q);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: qpdf warning: %s", what,
                   qpdf_get_error_full_text (q, w));
      return FALSE;
    }
  if (qpdf_has_error (q))
    {
      qpdf_error e = qpdf_get_error (q);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what,
                   qpdf_get_error_full_text (q, e));
      ok = FALSE;
    }
  return ok;
}

/* Opens @data (which must outlive the handle: qpdf does not copy it). */
static qpdf_data
qpdf_open (GBytes *data, const char *what, GError **error)
{
  qpdf_data q = qpdf_init ();
  gsize len;
  const char *buf = g_bytes_get_data (data, &len);

  qpdf_silence_errors (q);
  qpdf_read_memory (q, what, buf, len, NULL);
  if (!qpdf_ok (q, what, error))
    {
      qpdf_cleanup (&q);
      return NULL;
    }
  return q;
}

/* Writes @q to @path, compressing unfiltered streams, and frees @q. */
static gboolean
qpdf_save (qpdf_data q, const char *path, GError **error)
{
  gboolean ok;

  qpdf_init_write (q, path);
  if (!qpdf_ok (q, path, error))
    {
      qpdf_cleanup (&q);
      return FALSE;
    }
  qpdf_set_compress_streams (q, QPDF_TRUE);
  qpdf_set_deterministic_ID (q, QPDF_TRUE);
  qpdf_write (q);
  ok = qpdf_ok (q, path, error);
  qpdf_cleanup (&q);
  return ok;
}

static gboolean
hand_save (HandPdf *hp, int root, int info, const char *path, GError **error)
{
  g_autoptr (GBytes) bytes = hand_serialize (hp, root, info);
  qpdf_data q = qpdf_open (bytes, path, error);

  return q != NULL && qpdf_save (q, path, error);
}

/* Converts a content stream written in UTF-8 into WinAnsi bytes, writing each non-ASCII
 * character as an octal escape. Only strings hold non-ASCII text, so the escapes land inside
 * string literals, where they are valid. */
static void
append_winansi (GString *out, const char *utf8)
{
  for (const char *p = utf8; *p; p = g_utf8_next_char (p))
    {
      const char *next = g_utf8_next_char (p);
      g_autofree char *byte = NULL;
      gsize len = 0;

      if ((guchar) *p < 0x80)
        {
          g_string_append_c (out, *p);
          continue;
        }
      byte = g_convert (p, next - p, "WINDOWS-1252", "UTF-8", NULL, &len, NULL);
      if (byte == NULL || len != 1)
        g_error ("no WinAnsi code for %.*s", (int) (next - p), p);
      g_string_append_printf (out, "\\%03o", (guchar) byte[0]);
    }
}

/* A PDF text string (Info, annotations, outlines) as UTF-16BE hex with byte-order mark. */
static char *
pdf_text (const char *utf8)
{
  g_autofree gunichar2 *u = g_utf8_to_utf16 (utf8, -1, NULL, NULL, NULL);
  GString *out = g_string_new ("<FEFF");

  for (guint i = 0; u[i]; i++)
    g_string_append_printf (out, "%04X", u[i]);
  g_string_append_c (out, '>');
  return g_string_free (out, FALSE);
}

/* The /Widths of Helvetica for WinAnsi codes 32–255, measured on its metric twin. */
static char *
helvetica_widths (void)
{
  cairo_t *cr = measure_context (fonts.nimbus_sans, 1000);
  GString *out = g_string_new ("[");

  for (int code = 32; code <= 255; code++)
    {
      char byte = (char) code;
      g_autofree char *utf8 = g_convert (&byte, 1, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);

      /* Advances are positive, so adding one half rounds. */
      g_string_append_printf (out, "%s%d", code > 32 ? " " : "",
                              utf8 ? (int) (text_width (cr, utf8) + 0.5) : 0);
    }
  g_string_append_c (out, ']');
  cairo_destroy (cr);
  return g_string_free (out, FALSE);
}

/* Appends one text line positioned absolutely with Tm; must be inside BT … ET. */
static void
hand_line (GString *c, double x, double y, const char *text)
{
  g_assert (strpbrk (text, "()\\") == NULL);
  g_string_append_printf (c, "1 0 0 1 %.2f %.2f Tm (%s) Tj\n", x, y, text);
}

/* Appends @text wrapped for the font measured by @m, one Tm-positioned line per row; returns
 * the next baseline. */
static double
hand_paragraph (GString *c, cairo_t *m, const char *text, double x, double y, double leading)
{
  g_auto (GStrv) lines = wrap_words (m, text, TEXT_W);

  for (guint i = 0; lines[i]; i++, y -= leading)
    hand_line (c, x, y, lines[i]);
  return y - leading * 0.5;
}

/* A one-page-per-content document tree: catalog @root, page tree @pages over @n_pages pages. */
static void
hand_page_tree (HandPdf *hp, int root, int pages, const int *page_nums, int n_pages,
                const char *catalog_extra)
{
  GString *kids = g_string_new (NULL);

  for (int i = 0; i < n_pages; i++)
    g_string_append_printf (kids, "%s%d 0 R", i ? " " : "", page_nums[i]);
  hand_set (hp, pages, "<< /Type /Pages /Kids [%s] /Count %d >>", kids->str, n_pages);
  hand_set (hp, root, "<< /Type /Catalog /Pages %d 0 R %s >>", pages, catalog_extra);
  g_string_free (kids, TRUE);
}

#define HELVETICA                                                                          \
  "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"

/* ------------------------------------------------------------------------------------------ */
/* 1. truetype: pango kerning into TJ arrays, one line crossing several planted items          */
/* ------------------------------------------------------------------------------------------ */

static gboolean
case_truetype (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "truetype.pdf", NULL);
  cairo_surface_t *surface = cairo_pdf_surface_create (path, PAGE_W, PAGE_H);
  cairo_t *cr = cairo_create (surface);
  Case *c = case_new ("truetype.pdf",
                      "DejaVu Sans via pango, embedded by cairo as a simple TrueType subset "
                      "(WinAnsi); pango kerning (AV, To, Wa, Ty) makes cairo write TJ arrays with "
                      "offsets; page 0 has one line crossing four planted items with ordinary "
                      "words between them; page 1 names Erika Mustermann twice.");
  double y = MARGIN;
  gboolean ok;

  y = pango_text (cr, "DejaVu Sans Bold 16", "Stadt Musterstadt – Wohngeldbehörde", MARGIN, y,
                  FALSE);
  y = pango_text (cr, "DejaVu Sans 11",
                  "AVUS-Tor, Wasserwerk, Typenschild: To-do-Liste für das Verkehrsamt Wanne",
                  MARGIN, y + 6, FALSE);
  y = pango_text (cr, "DejaVu Sans 11", FILLER[0], MARGIN, y + 8, TRUE);
  y = pango_text (cr, "DejaVu Sans 9",
                  "Herr " JUERGEN ", IBAN " IBAN_A ", geboren am " BIRTH_A ", wohnt", MARGIN, y,
                  FALSE);
  y = pango_text (cr, "DejaVu Sans 9",
                  "seit Mai in der " ADDR_A ", Telefon " PHONE_A ", " MAIL_JUERGEN ".", MARGIN,
                  y, FALSE);
  pango_text (cr, "DejaVu Sans 11", FILLER[1], MARGIN, y + 10, TRUE);
  cairo_show_page (cr);

  y = MARGIN;
  y = pango_text (cr, "DejaVu Sans 11", FILLER[2], MARGIN, y, TRUE);
  y = pango_text (cr, "DejaVu Sans 11",
                  "Rückfragen an Frau " ERIKA ", Telefon " PHONE_B ", bitte bis Freitag.",
                  MARGIN, y, FALSE);
  y = pango_text (cr, "DejaVu Sans 11", "E-Mail " MAIL_ERIKA, MARGIN, y, FALSE);
  y = pango_text (cr, "DejaVu Sans 11", FILLER[3], MARGIN, y + 8, TRUE);
  y = pango_text (cr, "DejaVu Sans 11", "Mit freundlichen Grüßen", MARGIN, y + 10, FALSE);
  pango_text (cr, "DejaVu Sans 11", ERIKA, MARGIN, y + 16, FALSE);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  ok = cairo_check (surface, path, error);
  cairo_surface_destroy (surface);

  case_plant (c, 0, JUERGEN);
  case_plant (c, 0, IBAN_A);
  case_plant (c, 0, BIRTH_A);
  case_plant (c, 0, ADDR_A);
  case_plant (c, 0, PHONE_A);
  case_plant (c, 0, MAIL_JUERGEN);
  case_plant (c, 1, ERIKA);
  case_plant (c, 1, PHONE_B);
  case_plant (c, 1, MAIL_ERIKA);
  case_control (c, 0, "Wohngeldbehörde");
  case_control (c, 0, "Wasserwerk");
  case_control (c, 0, "Typenschild");
  case_control (c, 0, "AVUS-Tor");
  case_control (c, 0, "Bescheinigung");
  case_control (c, 0, "geboren am");
  case_control (c, 0, "wohnt");
  case_control (c, 0, "seit Mai in der");
  case_control (c, 0, "Widerspruch");
  case_control (c, 1, "Sondernutzung");
  case_control (c, 1, "Hebesatz");
  case_control (c, 1, "Rückfragen an Frau");
  case_control (c, 1, "Mit freundlichen Grüßen");
  return ok;
}

/* ------------------------------------------------------------------------------------------ */
/* 2. cid: characters outside WinAnsi force a CID font with Identity-H                         */
/* ------------------------------------------------------------------------------------------ */

static gboolean
case_cid (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "cid.pdf", NULL);
  cairo_surface_t *surface = cairo_pdf_surface_create (path, PAGE_W, PAGE_H);
  cairo_t *cr = cairo_create (surface);
  Case *c = case_new ("cid.pdf",
                      "DejaVu Sans via pango with Ł, ó, ř, ł, ě: cairo writes the glyphs outside "
                      "WinAnsi into a CID TrueType font (Identity-H) and the rest into a simple "
                      "TrueType subset of the same face, so one name can mix two PDF fonts.");
  double y = MARGIN;
  gboolean ok;

  y = pango_text (cr, "DejaVu Sans Bold 16", "Ausländerbehörde — Aufenthaltstitel", MARGIN, y,
                  FALSE);
  y = pango_text (cr, "DejaVu Sans 11", FILLER[2], MARGIN, y + 8, TRUE);
  y = pango_text (cr, "DejaVu Sans 10",
                  "Antragsteller Łukasz Wróbel, geboren am " BIRTH_B " in Wrocław, Gebühr 100 € —"
                  " bezahlt.", MARGIN, y, FALSE);
  y = pango_text (cr, "DejaVu Sans 10",
                  "Dolmetscher Pavel Dvořák, Telefon " PHONE_A ", Anschrift " ADDR_B ".",
                  MARGIN, y, FALSE);
  y = pango_text (cr, "DejaVu Sans 10",
                  "Zeugin Zdeňka Nováková, E-Mail " MAIL_ERIKA ", Rückruf erbeten.", MARGIN, y,
                  FALSE);
  pango_text (cr, "DejaVu Sans 11", FILLER[3], MARGIN, y + 10, TRUE);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  ok = cairo_check (surface, path, error);
  cairo_surface_destroy (surface);

  case_plant (c, 0, "Łukasz Wróbel");
  case_plant (c, 0, BIRTH_B);
  case_plant (c, 0, "Pavel Dvořák");
  case_plant (c, 0, PHONE_A);
  case_plant (c, 0, ADDR_B);
  case_plant (c, 0, "Zdeňka Nováková");
  case_plant (c, 0, MAIL_ERIKA);
  case_control (c, 0, "Aufenthaltstitel");
  case_control (c, 0, "Sondernutzung");
  case_control (c, 0, "Wrocław");
  case_control (c, 0, "100 €");
  case_control (c, 0, "Dolmetscher");
  case_control (c, 0, "Rückruf erbeten");
  case_control (c, 0, "Hebesatz");
  return ok;
}

/* ------------------------------------------------------------------------------------------ */
/* 3. type1: URW Type 1 fonts through cairo-ft                                                 */
/* ------------------------------------------------------------------------------------------ */

static gboolean
case_type1 (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "type1.pdf", NULL);
  cairo_surface_t *surface = cairo_pdf_surface_create (path, PAGE_W, PAGE_H);
  cairo_t *cr = cairo_create (surface);
  Case *c = case_new ("type1.pdf",
                      "NimbusSans-Regular and NimbusRoman-Regular (.t1) loaded with FreeType and "
                      "embedded by cairo as Type 1 subsets with a custom encoding.");
  double y = MARGIN + 16;
  gboolean ok;

  cairo_set_font_face (cr, fonts.nimbus_sans);
  cairo_set_font_size (cr, 16);
  y = cairo_line (cr, "Wohngeldstelle – Bescheid über Wohngeld", MARGIN, y, 28, NULL);
  cairo_set_font_size (cr, 11);
  y = cairo_paragraph (cr, FILLER[0], MARGIN, y, TEXT_W, 14, NULL);
  cairo_set_font_size (cr, 10);
  y = cairo_line (cr, "Antragstellerin " ERIKA ", geboren am " BIRTH_A ", IBAN " IBAN_B ".",
                  MARGIN, y, 14, NULL);
  y = cairo_line (cr, "Kontakt: " MAIL_ERIKA ", Telefon " PHONE_B ", Mobil erreichbar.", MARGIN,
                  y, 21, NULL);
  cairo_set_font_face (cr, fonts.nimbus_roman);
  cairo_set_font_size (cr, 11);
  y = cairo_paragraph (cr, FILLER[1], MARGIN, y, TEXT_W, 14, NULL);
  cairo_line (cr, "Vermieter " JUERGEN ", " ADDR_A ", hat den Mietvertrag bestätigt.", MARGIN, y,
              14, NULL);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  ok = cairo_check (surface, path, error);
  cairo_surface_destroy (surface);

  case_plant (c, 0, ERIKA);
  case_plant (c, 0, BIRTH_A);
  case_plant (c, 0, IBAN_B);
  case_plant (c, 0, MAIL_ERIKA);
  case_plant (c, 0, PHONE_B);
  case_plant (c, 0, JUERGEN);
  case_plant (c, 0, ADDR_A);
  case_control (c, 0, "Wohngeldstelle");
  case_control (c, 0, "Bescheinigung");
  case_control (c, 0, "Antragstellerin");
  case_control (c, 0, "Mobil erreichbar");
  case_control (c, 0, "Widerspruch");
  case_control (c, 0, "Mietvertrag bestätigt");
  return ok;
}

/* ------------------------------------------------------------------------------------------ */
/* 4. standard14: hand-written content with every text-state operator                         */
/* ------------------------------------------------------------------------------------------ */

static gboolean
case_standard14 (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "standard14.pdf", NULL);
  g_autoptr (HandPdf) hp = hand_new ();
  g_autofree char *widths = helvetica_widths ();
  cairo_t *helv = measure_context (fonts.nimbus_sans, 10);
  cairo_t *times = measure_context (fonts.nimbus_roman, 11);
  GString *a = g_string_new (NULL);
  GString *b = g_string_new (NULL);
  GString *raw = g_string_new (NULL);
  g_auto (GStrv) lines = NULL;
  int root = hand_reserve (hp), pages = hand_reserve (hp), page;
  int f1, f2, f3, sa, sb;
  Case *c = case_new ("standard14.pdf",
                      "Hand-written, no embedded fonts: Helvetica (WinAnsi, with /Widths), "
                      "Times-Roman without /Widths (built-in metrics), Courier; Tj, TJ with "
                      "kerning numbers, ' and \", Tc, Tw, Tz 80, Ts, TL/T*, Td, a scaling Tm, "
                      "umlauts as WinAnsi octal escapes; /Contents is an array of two streams "
                      "split inside one BT … ET.");
  gboolean ok;

  f1 = hand_add (hp, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding "
                 "/WinAnsiEncoding /FirstChar 32 /LastChar 255 /Widths %s >>", widths);
  f2 = hand_add (hp, "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding "
                 "/WinAnsiEncoding >>");
  f3 = hand_add (hp, "<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding "
                 "/WinAnsiEncoding >>");

  /* First stream: ends in the middle of the text object, with text state still set. */
  g_string_append (raw, "BT\n/F1 16 Tf\n18 TL\n60 780 Td\n"
                   "(Stadtverwaltung Musterstadt — Bürgeramt) Tj\n"
                   "/F1 10 Tf\n14 TL\n0 -28 Td\n");
  lines = wrap_words (helv, FILLER[0], TEXT_W);
  for (guint i = 0; lines[i]; i++)
    g_string_append_printf (raw, "(%s) Tj T*\n", lines[i]);
  g_string_append (raw, "T*\n[(Antrag von) -278 (" ERIKA ", geboren am " BIRTH_A ", V) 80 "
                   "(organg W) 60 (ohngeld.)] TJ\n"
                   "(Die Ehefrau " SOFIE " ist mitversichert.) '\n"
                   "2 Tw\n(Wortabstand erweitert: " JUERGEN " wohnt in der " ADDR_A ".) '\n"
                   "0 Tw\n"
                   "0.5 0.4 (Zeichenabstand: IBAN " IBAN_A " laut Mitteilung.) \"\n"
                   "0 Tw 0 Tc\n");
  append_winansi (a, raw->str);

  g_string_truncate (raw, 0);
  g_string_append (raw, "/F2 11 Tf\nT*\n");
  g_strfreev (lines);
  lines = wrap_words (times, FILLER[1], TEXT_W);
  for (guint i = 0; lines[i]; i++)
    g_string_append_printf (raw, "T* (%s) Tj\n", lines[i]);
  g_string_append (raw, "(Telefonisch erreichbar unter " PHONE_A " von Montag bis Freitag.) '\n"
                   "80 Tz\n(Schmal gesetzt: Frau " GRETE ", E-Mail " MAIL_ERIKA
                   ", ohne Gewähr.) '\n100 Tz\n"
                   "(Fußnote zur Anlage) ' 3 Ts (1) Tj 0 Ts\n"
                   "/F3 9 Tf\n1.3 0 0 1.1 60 250 Tm\n"
                   "(Aktenzeichen 2024/0815, Kontoinhaber " KOEHLER ") Tj\n"
                   "0 -12 Td (Bescheid ergeht gebührenfrei.) Tj\n"
                   "ET\n");
  append_winansi (b, raw->str);

  sa = hand_add_text_stream (hp, "", a);
  sb = hand_add_text_stream (hp, "", b);
  page = hand_add (hp, "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents "
                   "[%d 0 R %d 0 R] /Resources << /Font << /F1 %d 0 R /F2 %d 0 R /F3 %d 0 R >> "
                   ">> >>", pages, sa, sb, f1, f2, f3);
  hand_page_tree (hp, root, pages, &page, 1, "");
  ok = hand_save (hp, root, 0, path, error);
  g_string_free (a, TRUE);
  g_string_free (b, TRUE);
  g_string_free (raw, TRUE);
  cairo_destroy (helv);
  cairo_destroy (times);

  case_plant (c, 0, ERIKA);
  case_plant (c, 0, BIRTH_A);
  case_plant (c, 0, SOFIE);
  case_plant (c, 0, JUERGEN);
  case_plant (c, 0, ADDR_A);
  case_plant (c, 0, IBAN_A);
  case_plant (c, 0, PHONE_A);
  case_plant (c, 0, GRETE);
  case_plant (c, 0, MAIL_ERIKA);
  case_plant (c, 0, KOEHLER);
  case_control (c, 0, "Bürgeramt");
  case_control (c, 0, "Wohngeldbehörde");
  case_control (c, 0, "Vorgang Wohngeld");
  case_control (c, 0, "mitversichert");
  case_control (c, 0, "Wortabstand erweitert");
  case_control (c, 0, "Zeichenabstand");
  case_control (c, 0, "Widerspruch");
  case_control (c, 0, "Schmal gesetzt");
  case_control (c, 0, "Fußnote");
  case_control (c, 0, "Aktenzeichen");
  case_control (c, 0, "gebührenfrei");
  return ok;
}

/* ------------------------------------------------------------------------------------------ */
/* 5. type3: a cairo user font, glyphs drawn as paths                                          */
/* ------------------------------------------------------------------------------------------ */

static cairo_status_t
type3_init (cairo_scaled_font_t *scaled_font G_GNUC_UNUSED, cairo_t *cr G_GNUC_UNUSED,
            cairo_font_extents_t *extents)
{
  extents->ascent = 0.93;
  extents->descent = 0.24;
  extents->height = 1.17;
  extents->max_x_advance = 1.0;
  return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t
type3_unicode_to_glyph (cairo_scaled_font_t *scaled_font G_GNUC_UNUSED, unsigned long unicode,
                        unsigned long *glyph)
{
  *glyph = unicode;
  return CAIRO_STATUS_SUCCESS;
}

/* Draws the glyph's DejaVu outline. The outline is taken at 1000 units and scaled down, since
 * at the user font's 1-unit em any hinting or rounding would destroy it. */
static cairo_status_t
type3_render (cairo_scaled_font_t *scaled_font G_GNUC_UNUSED, unsigned long glyph, cairo_t *cr,
              cairo_text_extents_t *extents)
{
  cairo_font_options_t *options = cairo_font_options_create ();
  char utf8[8] = { 0 };

  g_unichar_to_utf8 ((gunichar) glyph, utf8);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_set_font_options (cr, options);
  cairo_font_options_destroy (options);
  cairo_scale (cr, 0.001, 0.001);
  cairo_set_font_face (cr, fonts.dejavu);
  cairo_set_font_size (cr, 1000);
  extents->x_advance = text_width (cr, utf8) * 0.001;
  cairo_move_to (cr, 0, 0);
  cairo_text_path (cr, utf8);
  cairo_fill (cr);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
case_type3 (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "type3.pdf", NULL);
  cairo_surface_t *surface = cairo_pdf_surface_create (path, PAGE_W, PAGE_H);
  cairo_t *cr = cairo_create (surface);
  cairo_font_face_t *face = cairo_user_font_face_create ();
  Case *c = case_new ("type3.pdf",
                      "A cairo user font: cairo writes a Type 3 font whose glyph procedures are "
                      "filled DejaVu outlines, with a ToUnicode CMap so the text is extractable.");
  double y = MARGIN + 16;
  gboolean ok;

  cairo_user_font_face_set_init_func (face, type3_init);
  cairo_user_font_face_set_unicode_to_glyph_func (face, type3_unicode_to_glyph);
  cairo_user_font_face_set_render_glyph_func (face, type3_render);
  cairo_set_font_face (cr, face);
  cairo_set_font_size (cr, 16);
  y = cairo_line (cr, "Ordnungsamt – Vollmacht", MARGIN, y, 28, NULL);
  cairo_set_font_size (cr, 11);
  y = cairo_paragraph (cr, FILLER[2], MARGIN, y, TEXT_W, 14, NULL);
  cairo_set_font_size (cr, 10);
  y = cairo_line (cr, "Vollmacht für " SOFIE ", IBAN " IBAN_A ", gültig bis Jahresende.",
                  MARGIN, y, 21, NULL);
  cairo_set_font_size (cr, 11);
  y = cairo_paragraph (cr, FILLER[3], MARGIN, y, TEXT_W, 14, NULL);
  cairo_line (cr, "Bevollmächtigt ist außerdem " KOEHLER " als Vertreter.", MARGIN, y, 14, NULL);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  ok = cairo_check (surface, path, error);
  cairo_surface_destroy (surface);
  cairo_font_face_destroy (face);

  case_plant (c, 0, SOFIE);
  case_plant (c, 0, IBAN_A);
  case_plant (c, 0, KOEHLER);
  case_control (c, 0, "Ordnungsamt");
  case_control (c, 0, "Sondernutzung");
  case_control (c, 0, "gültig bis Jahresende");
  case_control (c, 0, "Hebesatz");
  case_control (c, 0, "als Vertreter");
  return ok;
}

/* ------------------------------------------------------------------------------------------ */
/* 6. ligature: one fi glyph standing for two characters                                       */
/* ------------------------------------------------------------------------------------------ */

/* Shows @text with every "fi" drawn as DejaVu's U+FB01 glyph, and a cluster that maps that one
 * glyph back to the two characters, so cairo writes a ToUnicode entry "fi" for it. */
static void
show_with_fi_ligature (cairo_t *cr, const char *text)
{
  g_autoptr (GString) shaped = g_string_new (NULL);
  GArray *clusters = g_array_new (FALSE, FALSE, sizeof (cairo_text_cluster_t));
  cairo_scaled_font_t *sf = cairo_get_scaled_font (cr);
  cairo_glyph_t *glyphs = NULL;
  int n_glyphs = 0;
  double x, y;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      cairo_text_cluster_t cl = { (int) (g_utf8_next_char (p) - p), 1 };

      if (p[0] == 'f' && p[1] == 'i')
        {
          g_string_append_unichar (shaped, 0xFB01);
          cl.num_bytes = 2;
          p++;
        }
      else
        g_string_append_len (shaped, p, cl.num_bytes);
      g_array_append_val (clusters, cl);
    }
  cairo_get_current_point (cr, &x, &y);
  cairo_scaled_font_text_to_glyphs (sf, x, y, shaped->str, (int) shaped->len, &glyphs, &n_glyphs,
                                    NULL, NULL, NULL);
  g_assert ((guint) n_glyphs == clusters->len);
  cairo_show_text_glyphs (cr, text, -1, glyphs, n_glyphs, (cairo_text_cluster_t *) clusters->data,
                          (int) clusters->len, 0);
  cairo_glyph_free (glyphs);
  g_array_unref (clusters);
}

static gboolean
case_ligature (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "ligature.pdf", NULL);
  cairo_surface_t *surface = cairo_pdf_surface_create (path, PAGE_W, PAGE_H);
  cairo_t *cr = cairo_create (surface);
  Case *c = case_new ("ligature.pdf",
                      "DejaVu Sans (cairo-ft) with every \"fi\" drawn as the single glyph U+FB01 "
                      "mapped to \"fi\" by a text cluster. Cairo 1.16 puts the glyph in a CID "
                      "font whose ToUnicode says U+FB01 and wraps each use in /Span "
                      "<</ActualText (fi)>> BDC … EMC. Planted Sofie Fischer and Josefine "
                      "Hoffmann contain the ligature, as do ordinary words that must survive "
                      "(Pfifferlinge, offizielle, Zertifikat).");
  double y = MARGIN + 16;
  gboolean ok;

  cairo_set_font_face (cr, fonts.dejavu);
  cairo_set_font_size (cr, 16);
  y = cairo_line (cr, "Gesundheitsamt – Pilzberatung", MARGIN, y, 28, show_with_fi_ligature);
  cairo_set_font_size (cr, 11);
  y = cairo_paragraph (cr, FILLER[4], MARGIN, y, TEXT_W, 14, show_with_fi_ligature);
  y = cairo_line (cr, "Beraterin " SOFIE ", Telefon " PHONE_B ", prüft auch Pfifferlinge.",
                  MARGIN, y, 14, show_with_fi_ligature);
  y = cairo_line (cr, "Vertretung: Josefine Hoffmann, offizielle Sprechzeit donnerstags.", MARGIN,
                  y, 21, show_with_fi_ligature);
  cairo_paragraph (cr, FILLER[0], MARGIN, y, TEXT_W, 14, show_with_fi_ligature);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  ok = cairo_check (surface, path, error);
  cairo_surface_destroy (surface);

  case_plant (c, 0, SOFIE);
  case_plant (c, 0, PHONE_B);
  case_plant (c, 0, "Josefine Hoffmann");
  case_control (c, 0, "Pfifferlinge");
  case_control (c, 0, "offizielle");
  case_control (c, 0, "Zertifikat");
  case_control (c, 0, "Pilzberatung");
  case_control (c, 0, "Beraterin");
  case_control (c, 0, "Sprechzeit donnerstags");
  case_control (c, 0, "Wohngeldbehörde");
  return ok;
}

/* ------------------------------------------------------------------------------------------ */
/* 7. rotated: /Rotate 90, 180, 270 and a MediaBox away from the origin                        */
/* ------------------------------------------------------------------------------------------ */

/* Writes a portrait page's text in a frame of @width at the current transformation. */
static void
rotated_page_text (cairo_t *cr, const char *filler, const char *line1, const char *line2,
                   double width)
{
  PangoContext *context = pango_cairo_create_context (cr);
  PangoLayout *layout;
  PangoFontDescription *desc = pango_font_description_from_string ("DejaVu Sans 11");
  g_autofree char *text = g_strconcat (filler, "\n\n", line1, "\n", line2, NULL);

  pango_cairo_context_set_resolution (context, 72);
  layout = pango_layout_new (context);
  pango_layout_set_font_description (layout, desc);
  no_ligatures (layout);
  pango_layout_set_width (layout, pango_units_from_double (width));
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, 0, 0);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (desc);
  g_object_unref (layout);
  g_object_unref (context);
}

static gboolean
case_rotated (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "rotated.pdf", NULL);
  g_autoptr (GByteArray) pdf = g_byte_array_new ();
  g_autoptr (GBytes) bytes = NULL;
  cairo_surface_t *surface =
    cairo_pdf_surface_create_for_stream (append_to_bytes, pdf, PAGE_W, PAGE_H);
  cairo_t *cr = cairo_create (surface);
  Case *c = case_new ("rotated.pdf",
                      "Cairo pages post-processed with qpdf. Page 0: /Rotate 90, text drawn "
                      "rotated so it reads upright on screen. Page 1: /Rotate 180, text drawn "
                      "normally (upside down on screen). Page 2: /Rotate 270, upright on screen. "
                      "Page 3: MediaBox [100 200 695 1042] with CropBox [120 230 675 1022].");
  qpdf_data q;
  static const int rotate[] = { 90, 180, 270 };

  /* /Rotate 90 turns the page clockwise on screen, so text running up the portrait page reads
   * left to right there. */
  cairo_save (cr);
  cairo_translate (cr, MARGIN, PAGE_H - MARGIN);
  cairo_rotate (cr, -G_PI / 2);
  rotated_page_text (cr, FILLER[0], "Antragstellerin " ERIKA ", Konto " IBAN_A ".",
                     "Der Antrag ist vollständig.", PAGE_H - 2 * MARGIN);
  cairo_restore (cr);
  cairo_show_page (cr);

  cairo_save (cr);
  cairo_translate (cr, MARGIN, MARGIN);
  rotated_page_text (cr, FILLER[1], "Vermieter " JUERGEN ", geboren am " BIRTH_A ".",
                     "Die Zahlung ist angewiesen.", TEXT_W);
  cairo_restore (cr);
  cairo_show_page (cr);

  cairo_save (cr);
  cairo_translate (cr, PAGE_W - MARGIN, MARGIN);
  cairo_rotate (cr, G_PI / 2);
  rotated_page_text (cr, FILLER[2], "Bauherrin " SOFIE ", E-Mail " MAIL_ERIKA ".",
                     "Die Genehmigung folgt.", PAGE_H - 2 * MARGIN);
  cairo_restore (cr);
  cairo_show_page (cr);

  /* The last page is drawn 100 pt further right on a taller page; qpdf then moves the MediaBox
   * origin to (100, 200), which keeps exactly the drawn area visible. */
  cairo_pdf_surface_set_size (surface, 695, 1042);
  cairo_save (cr);
  cairo_translate (cr, 100 + MARGIN, MARGIN);
  rotated_page_text (cr, FILLER[3], "Eigentümerin " GRETE ", Telefon " PHONE_A ".",
                     "Der Hebesatz bleibt unverändert.", TEXT_W);
  cairo_restore (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (!cairo_check (surface, path, error))
    {
      cairo_surface_destroy (surface);
      return FALSE;
    }
  cairo_surface_destroy (surface);

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&pdf));
  q = qpdf_open (bytes, path, error);
  if (q == NULL)
    return FALSE;
  for (int i = 0; i < 3; i++)
    qpdf_oh_replace_key (q, qpdf_get_page_n (q, (size_t) i), "/Rotate",
                         qpdf_oh_new_integer (q, rotate[i]));
  qpdf_oh_replace_key (q, qpdf_get_page_n (q, 3), "/MediaBox",
                       qpdf_oh_parse (q, "[100 200 695 1042]"));
  qpdf_oh_replace_key (q, qpdf_get_page_n (q, 3), "/CropBox",
                       qpdf_oh_parse (q, "[120 230 675 1022]"));
  if (!qpdf_ok (q, path, error) || !qpdf_save (q, path, error))
    return FALSE;

  case_plant (c, 0, ERIKA);
  case_plant (c, 0, IBAN_A);
  case_plant (c, 1, JUERGEN);
  case_plant (c, 1, BIRTH_A);
  case_plant (c, 2, SOFIE);
  case_plant (c, 2, MAIL_ERIKA);
  case_plant (c, 3, GRETE);
  case_plant (c, 3, PHONE_A);
  case_control (c, 0, "Wohngeldbehörde");
  case_control (c, 0, "vollständig");
  case_control (c, 1, "Widerspruch");
  case_control (c, 1, "angewiesen");
  case_control (c, 2, "Sondernutzung");
  case_control (c, 2, "Genehmigung");
  case_control (c, 3, "Grundsteuerwert");
  case_control (c, 3, "unverändert");
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* 8. xobject: text inside form XObjects, nested and shared between pages                     */
/* ------------------------------------------------------------------------------------------ */

/* Adds the content in @raw (UTF-8) as a WinAnsi stream with the entries @dict (taken), and
 * empties @raw for the next stream. */
static int
flush_stream (HandPdf *hp, GString *raw, char *dict)
{
  GString *s = g_string_new (NULL);
  int num;

  append_winansi (s, raw->str);
  num = hand_add_text_stream (hp, dict, s);
  g_string_truncate (raw, 0);
  g_string_free (s, TRUE);
  g_free (dict);
  return num;
}

static gboolean
case_xobject (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "xobject.pdf", NULL);
  g_autoptr (HandPdf) hp = hand_new ();
  cairo_t *m = measure_context (fonts.nimbus_sans, 10);
  GString *raw = g_string_new (NULL);
  int root = hand_reserve (hp), pages = hand_reserve (hp), font, lh, fm1, fm2, fm3, content;
  int page[2];
  g_autofree char *fres = NULL;
  double y;
  Case *c = case_new ("xobject.pdf",
                      "Hand-written, Helvetica. A letterhead form XObject naming Erika "
                      "Mustermann is drawn on both pages; page 0 also draws a form with "
                      "/Matrix [0.8 0 0 0.8 60 380] (IBAN inside) and a form (/Matrix "
                      "[1 0 0 1 60 200]) that draws a nested form (/Matrix [1.1 0 0 1.1 0 20]) "
                      "under a further 0.9 cm, plus text directly on the pages.");
  gboolean ok;

  font = hand_add (hp, HELVETICA);
  fres = g_strdup_printf ("/Resources << /Font << /F1 %d 0 R >> >>", font);

  g_string_append (raw, "0.92 g 0 0 595 110 re f 0 g\nBT /F1 16 Tf 60 70 Td "
                   "(Rechtsanwaltskanzlei " ERIKA ") Tj\n/F1 9 Tf 0 -16 Td "
                   "(" ADDR_B " · Telefon " PHONE_B ") Tj ET\n");
  lh = flush_stream (hp, raw, g_strdup_printf ("/Type /XObject /Subtype /Form "
                                                "/BBox [0 0 595 110] %s", fres));

  g_string_append (raw, "BT /F1 10 Tf\n");
  hand_line (raw, 0, 150, "Überweisung an " SOFIE ", IBAN " IBAN_B ", Verwendungszweck Kaution.");
  hand_line (raw, 0, 136, "Die Kaution wird nach dem Auszug ohne Abzüge erstattet.");
  g_string_append (raw, "ET\n");
  fm1 = flush_stream (hp, raw, g_strdup_printf ("/Type /XObject /Subtype /Form /BBox "
                                                 "[0 0 600 200] /Matrix [0.8 0 0 0.8 60 380] %s",
                                                 fres));

  g_string_append (raw, "BT /F1 10 Tf\n");
  hand_line (raw, 0, 60, "Mieter " JUERGEN ", geboren am " BIRTH_A ", " ADDR_A ".");
  g_string_append (raw, "ET\n");
  fm3 = flush_stream (hp, raw, g_strdup_printf ("/Type /XObject /Subtype /Form /BBox "
                                                 "[0 0 500 100] /Matrix [1.1 0 0 1.1 0 20] %s",
                                                 fres));

  g_string_append (raw, "BT /F1 10 Tf\n");
  hand_line (raw, 0, 120, "Anlage zum Mietvertrag, Seite 2");
  g_string_append (raw, "ET\nq 0.9 0 0 0.9 0 0 cm /Fm3 Do Q\n");
  fm2 = flush_stream (hp, raw, g_strdup_printf ("/Type /XObject /Subtype /Form /BBox "
                                                 "[0 0 500 150] /Matrix [1 0 0 1 60 200] "
                                                 "/Resources << /Font << /F1 %d 0 R >> "
                                                 "/XObject << /Fm3 %d 0 R >> >>", font, fm3));

  g_string_append (raw, "q 1 0 0 1 0 732 cm /Lh Do Q\nBT /F1 10 Tf\n");
  y = hand_paragraph (raw, m, FILLER[0], MARGIN, 700, 13);
  g_string_append (raw, "ET\n/Fm1 Do\nq /Fm2 Do Q\nBT /F1 10 Tf\n");
  hand_paragraph (raw, m, FILLER[1], MARGIN, 175, 13);
  g_string_append (raw, "ET\n");
  content = flush_stream (hp, raw, g_strdup (""));
  page[0] = hand_add (hp, "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents "
                      "%d 0 R /Resources << /Font << /F1 %d 0 R >> /XObject << /Lh %d 0 R "
                      "/Fm1 %d 0 R /Fm2 %d 0 R >> >> >>", pages, content, font, lh, fm1, fm2);

  g_string_append (raw, "q 1 0 0 1 0 732 cm /Lh Do Q\nBT /F1 10 Tf\n");
  y = hand_paragraph (raw, m, FILLER[2], MARGIN, 700, 13);
  hand_line (raw, MARGIN, y, "Die Akte wurde an das Ordnungsamt abgegeben.");
  hand_paragraph (raw, m, FILLER[3], MARGIN, y - 26, 13);
  g_string_append (raw, "ET\n");
  content = flush_stream (hp, raw, g_strdup (""));
  page[1] = hand_add (hp, "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents "
                      "%d 0 R /Resources << /Font << /F1 %d 0 R >> /XObject << /Lh %d 0 R >> "
                      ">> >>", pages, content, font, lh);

  hand_page_tree (hp, root, pages, page, 2, "");
  ok = hand_save (hp, root, 0, path, error);
  g_string_free (raw, TRUE);
  cairo_destroy (m);

  for (int p = 0; p < 2; p++)
    {
      case_plant (c, p, ERIKA);
      case_plant (c, p, ADDR_B);
      case_plant (c, p, PHONE_B);
      case_control (c, p, "Rechtsanwaltskanzlei");
    }
  case_plant (c, 0, SOFIE);
  case_plant (c, 0, IBAN_B);
  case_plant (c, 0, JUERGEN);
  case_plant (c, 0, BIRTH_A);
  case_plant (c, 0, ADDR_A);
  case_control (c, 0, "Verwendungszweck Kaution");
  case_control (c, 0, "Auszug ohne Abzüge");
  case_control (c, 0, "Anlage zum Mietvertrag");
  case_control (c, 0, "Mieter");
  case_control (c, 0, "Bescheinigung");
  case_control (c, 0, "Widerspruch");
  case_control (c, 1, "Sondernutzung");
  case_control (c, 1, "Ordnungsamt abgegeben");
  case_control (c, 1, "Hebesatz");
  return ok;
}

/* ------------------------------------------------------------------------------------------ */
/* 9. extras: the same data everywhere else a PDF can hold text                               */
/* ------------------------------------------------------------------------------------------ */

static const char XMP[] =
  "<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
  "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
  " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
  "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
  "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
  "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">Wohngeldakte " ERIKA
  "</rdf:li></rdf:Alt></dc:title>\n"
  "   <dc:creator><rdf:Seq><rdf:li>" JUERGEN "</rdf:li></rdf:Seq></dc:creator>\n"
  "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">Konto " IBAN_A
  "</rdf:li></rdf:Alt></dc:description>\n"
  "   <pdf:Keywords>" SOFIE ", " GRETE "</pdf:Keywords>\n"
  "  </rdf:Description>\n"
  " </rdf:RDF>\n"
  "</x:xmpmeta>\n"
  "<?xpacket end=\"w\"?>";

static const char ATTACHMENT[] =
  "Aktennotiz: Rückfrage bei " GRETE ", geboren am " BIRTH_B ", Telefon " PHONE_A ".\n";

static gboolean
case_extras (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "extras.pdf", NULL);
  g_autoptr (HandPdf) hp = hand_new ();
  cairo_t *m = measure_context (fonts.nimbus_sans, 10);
  GString *raw = g_string_new (NULL);
  GString *s = g_string_new (NULL);
  int root = hand_reserve (hp), pages = hand_reserve (hp), page = hand_reserve (hp);
  int font, content, info, xmp, text_annot, freetext, freetext_ap, link, field, field_ap;
  int file, filespec, js, outlines, outline_item;
  g_autofree char *t_title = pdf_text ("Wohngeldakte " ERIKA);
  g_autofree char *t_author = pdf_text (JUERGEN);
  g_autofree char *t_subject = pdf_text ("Konto " IBAN_A);
  g_autofree char *t_keywords = pdf_text (SOFIE ", " GRETE);
  g_autofree char *t_note = pdf_text ("Bitte IBAN " IBAN_B " prüfen");
  g_autofree char *t_freetext = pdf_text ("Rückruf an " KOEHLER);
  g_autofree char *t_value = pdf_text (SOFIE);
  g_autofree char *t_file = pdf_text ("aktennotiz.txt");
  g_autofree char *t_js = pdf_text ("app.alert('Akte " GRETE ", Rückruf " KOEHLER "');");
  g_autofree char *t_outline = pdf_text ("Akte " JUERGEN);
  g_autofree char *t_actual = pdf_text (JUERGEN);
  double y;
  Case *c = case_new ("extras.pdf",
                      "Hand-written, Helvetica. Planted data on the page (one name inside "
                      "/Span <</ActualText …>> BDC … EMC), and hidden data in the Info "
                      "dictionary, an XMP /Metadata stream, a Text annotation (/Contents, /T), a "
                      "FreeText annotation, a Link with a mailto URI, an embedded file, document "
                      "JavaScript that is also the /OpenAction, an AcroForm text field value with "
                      "its widget, and an outline title. The widget and FreeText appearance "
                      "streams also draw their text, so poppler's search may find those hidden "
                      "strings on page 0 as well.");
  gboolean ok;

  font = hand_add (hp, HELVETICA);

  g_string_append (raw, "BT /F1 16 Tf\n");
  hand_line (raw, MARGIN, 780, "Wohngeldstelle – Aktenvermerk");
  g_string_append (raw, "/F1 10 Tf\n");
  y = hand_paragraph (raw, m, FILLER[0], MARGIN, 750, 13);
  hand_line (raw, MARGIN, y, "Antragstellerin " ERIKA ", E-Mail " MAIL_ERIKA ", geboren am "
             BIRTH_A ".");
  y -= 13;
  hand_line (raw, MARGIN, y, "Überweisung auf IBAN " IBAN_A " wurde veranlasst.");
  y -= 13;
  g_string_append_printf (raw, "1 0 0 1 %.2f %.2f Tm (Zuständig: ) Tj\n"
                          "/Span << /ActualText %s >> BDC (" JUERGEN ") Tj EMC\n"
                          "( im Sachgebiet Wohngeld.) Tj\n", MARGIN, y, t_actual);
  y = hand_paragraph (raw, m, FILLER[1], MARGIN, y - 20, 13);
  g_string_append (raw, "ET\n");
  append_winansi (s, raw->str);
  content = hand_add_text_stream (hp, "", s);

  info = hand_add (hp, "<< /Title %s /Author %s /Subject %s /Keywords %s /Creator "
                   "(redact-cases) /Producer (redact-cases) >>", t_title, t_author, t_subject,
                   t_keywords);
  xmp = hand_add_stream (hp, "/Type /Metadata /Subtype /XML", XMP, strlen (XMP));
  text_annot = hand_add (hp, "<< /Type /Annot /Subtype /Text /Rect [520 760 540 780] /F 4 "
                         "/Contents %s /T %s /Name /Comment >>", t_note, t_author);

  g_string_truncate (raw, 0);
  g_string_truncate (s, 0);
  g_string_append (raw, "q 1 1 0.8 rg 0 0 340 24 re f 0 g BT /F1 11 Tf 4 8 Td (Rückruf an "
                   KOEHLER ") Tj ET Q\n");
  append_winansi (s, raw->str);
  freetext_ap = hand_reserve (hp);
  {
    g_autofree char *d = g_strdup_printf ("/Type /XObject /Subtype /Form /BBox [0 0 340 24] "
                                          "/Resources << /Font << /F1 %d 0 R >> >>", font);
    hand_set_stream (hp, freetext_ap, d, s->str, s->len);
  }
  freetext = hand_add (hp, "<< /Type /Annot /Subtype /FreeText /Rect [60 190 400 214] /F 4 "
                       "/Contents %s /DA (/Helv 11 Tf 0 g) /AP << /N %d 0 R >> >>", t_freetext,
                       freetext_ap);
  link = hand_add (hp, "<< /Type /Annot /Subtype /Link /Rect [60 160 300 176] /Border [0 0 0] "
                   "/A << /S /URI /URI (mailto:sofie.fischer@example.net) >> >>");

  g_string_truncate (raw, 0);
  g_string_append (raw, "/Tx BMC q BT /Helv 10 Tf 2 6 Td (" SOFIE ") Tj ET Q EMC\n");
  field_ap = hand_reserve (hp);
  {
    g_autofree char *d = g_strdup_printf ("/Type /XObject /Subtype /Form /BBox [0 0 240 20] "
                                          "/Resources << /Font << /Helv %d 0 R >> >>", font);
    hand_set_stream (hp, field_ap, d, raw->str, raw->len);
  }
  field = hand_add (hp, "<< /Type /Annot /Subtype /Widget /FT /Tx /T (Bevollmaechtigte) /V %s "
                    "/DA (/Helv 10 Tf 0 g) /Rect [60 120 300 140] /F 4 /P %d 0 R "
                    "/AP << /N %d 0 R >> >>", t_value, page, field_ap);

  file = hand_add_stream (hp, "/Type /EmbeddedFile /Subtype /text#2Fplain", ATTACHMENT,
                          strlen (ATTACHMENT));
  filespec = hand_add (hp, "<< /Type /Filespec /F (aktennotiz.txt) /UF %s /EF << /F %d 0 R >> "
                       "/Desc (Aktennotiz) >>", t_file, file);
  js = hand_add (hp, "<< /Type /Action /S /JavaScript /JS %s >>", t_js);
  outlines = hand_reserve (hp);
  outline_item = hand_add (hp, "<< /Title %s /Parent %d 0 R /Dest [%d 0 R /XYZ 0 842 0] >>",
                           t_outline, outlines, page);
  hand_set (hp, outlines, "<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count 1 >>",
            outline_item, outline_item);

  hand_set (hp, page, "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            "/Resources << /Font << /F1 %d 0 R >> >> /Annots [%d 0 R %d 0 R %d 0 R %d 0 R] >>",
            pages, content, font, text_annot, freetext, link, field);
  {
    g_autofree char *extra = g_strdup_printf (
      "/Metadata %d 0 R /Outlines %d 0 R /PageMode /UseOutlines /OpenAction %d 0 R "
      "/Names << /EmbeddedFiles << /Names [(aktennotiz.txt) %d 0 R] >> "
      "/JavaScript << /Names [(init) %d 0 R] >> >> "
      "/AcroForm << /Fields [%d 0 R] /DA (/Helv 0 Tf 0 g) /DR << /Font << /Helv %d 0 R >> >> >>",
      xmp, outlines, js, filespec, js, field, font);

    hand_page_tree (hp, root, pages, &page, 1, extra);
  }
  ok = hand_save (hp, root, info, path, error);
  g_string_free (raw, TRUE);
  g_string_free (s, TRUE);
  cairo_destroy (m);

  case_plant (c, 0, ERIKA);
  case_plant (c, 0, MAIL_ERIKA);
  case_plant (c, 0, BIRTH_A);
  case_plant (c, 0, IBAN_A);
  case_plant (c, 0, JUERGEN);
  case_hide (c, ERIKA);
  case_hide (c, JUERGEN);
  case_hide (c, IBAN_A);
  case_hide (c, SOFIE);
  case_hide (c, GRETE);
  case_hide (c, IBAN_B);
  case_hide (c, KOEHLER);
  case_hide (c, "sofie.fischer@example.net");
  case_hide (c, BIRTH_B);
  case_hide (c, PHONE_A);
  case_control (c, 0, "Aktenvermerk");
  case_control (c, 0, "Wohngeldbehörde");
  case_control (c, 0, "Antragstellerin");
  case_control (c, 0, "wurde veranlasst");
  case_control (c, 0, "Sachgebiet Wohngeld");
  case_control (c, 0, "Widerspruch");
  return ok;
}

/* ------------------------------------------------------------------------------------------ */
/* 10. scan: an image of text under an invisible OCR layer                                     */
/* ------------------------------------------------------------------------------------------ */

#define SCAN_DPI 100.0

typedef struct
{
  double size;
  double y; /* baseline, from the top in points */
  char *text;
} ScanLine;

static gboolean
case_scan (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "scan.pdf", NULL);
  g_autoptr (HandPdf) hp = hand_new ();
  const int w = (int) (PAGE_W * SCAN_DPI / 72 + 0.99), h = (int) (PAGE_H * SCAN_DPI / 72 + 0.99);
  cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cairo_t *cr = cairo_create (img);
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (ScanLine));
  GString *raw = g_string_new (NULL);
  GString *s = g_string_new (NULL);
  g_autofree guchar *rgb = g_malloc ((gsize) w * h * 3);
  int root = hand_reserve (hp), pages = hand_reserve (hp), page, font, image, content;
  double y = MARGIN + 16;
  Case *c = case_new ("scan.pdf",
                      "Hand-written: one 100 dpi RGB image (Flate) of rendered text covering the "
                      "page, and an invisible OCR layer (3 Tr, Helvetica, one Tm per word) with "
                      "the same words at the same positions. The planted data is in the pixels "
                      "as well as in the OCR text.");
  gboolean ok;

  /* Lay the lines out once in points; the same layout drives the pixels and the OCR layer. */
  {
    cairo_t *m = measure_context (fonts.nimbus_sans, 11);
    const char *const singles[] = {
      "Meldebescheinigung für " ERIKA ", wohnhaft " ADDR_A ".",
      "Erstattung auf IBAN " IBAN_B " veranlasst.",
    };
    ScanLine l = { 16, y, g_strdup ("Einwohnermeldeamt Musterstadt") };
    g_auto (GStrv) p2 = wrap_words (m, FILLER[1], TEXT_W);
    g_auto (GStrv) p4 = wrap_words (m, FILLER[3], TEXT_W);

    g_array_append_val (lines, l);
    y += 28;
    for (guint i = 0; p2[i]; i++, y += 14)
      {
        ScanLine pl = { 11, y, g_strdup (p2[i]) };
        g_array_append_val (lines, pl);
      }
    y += 7;
    for (guint i = 0; i < G_N_ELEMENTS (singles); i++, y += 14)
      {
        ScanLine pl = { 11, y, g_strdup (singles[i]) };
        g_array_append_val (lines, pl);
      }
    y += 7;
    for (guint i = 0; p4[i]; i++, y += 14)
      {
        ScanLine pl = { 11, y, g_strdup (p4[i]) };
        g_array_append_val (lines, pl);
      }
    cairo_destroy (m);
  }

  cairo_set_source_rgb (cr, 0.97, 0.96, 0.93);
  cairo_paint (cr);
  cairo_scale (cr, SCAN_DPI / 72, SCAN_DPI / 72);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.12);
  cairo_set_font_face (cr, fonts.nimbus_sans);
  font = hand_add (hp, HELVETICA);
  g_string_append (raw, "q 595 0 0 842 0 0 cm /Im0 Do Q\nBT 3 Tr\n");
  for (guint i = 0; i < lines->len; i++)
    {
      ScanLine *l = &g_array_index (lines, ScanLine, i);
      g_auto (GStrv) words = g_strsplit (l->text, " ", -1);
      double x = MARGIN;

      cairo_set_font_size (cr, l->size);
      cairo_move_to (cr, MARGIN, l->y);
      cairo_show_text (cr, l->text);
      g_string_append_printf (raw, "/F1 %.0f Tf\n", l->size);
      /* OCR engines place each word on its own, at the word's box in the image. */
      for (guint j = 0; words[j]; j++)
        {
          hand_line (raw, x, PAGE_H - l->y, words[j]);
          x += text_width (cr, words[j]) + text_width (cr, " ");
        }
    }
  g_string_append (raw, "ET\n");
  cairo_destroy (cr);
  cairo_surface_flush (img);

  {
    const guchar *data = cairo_image_surface_get_data (img);
    int stride = cairo_image_surface_get_stride (img);

    for (int row = 0; row < h; row++)
      for (int col = 0; col < w; col++)
        {
          guint32 px = *(const guint32 *) (data + (gsize) row * stride + (gsize) col * 4);
          guchar *out = rgb + ((gsize) row * w + col) * 3;

          out[0] = (px >> 16) & 0xff;
          out[1] = (px >> 8) & 0xff;
          out[2] = px & 0xff;
        }
  }
  cairo_surface_destroy (img);
  {
    g_autofree char *d = g_strdup_printf ("/Type /XObject /Subtype /Image /Width %d /Height %d "
                                          "/ColorSpace /DeviceRGB /BitsPerComponent 8", w, h);

    image = hand_add_stream (hp, d, rgb, (gsize) w * h * 3);
  }
  append_winansi (s, raw->str);
  content = hand_add_text_stream (hp, "", s);
  page = hand_add (hp, "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                   "/Resources << /Font << /F1 %d 0 R >> /XObject << /Im0 %d 0 R >> >> >>",
                   pages, content, font, image);
  hand_page_tree (hp, root, pages, &page, 1, "");
  ok = hand_save (hp, root, 0, path, error);
  for (guint i = 0; i < lines->len; i++)
    g_free (g_array_index (lines, ScanLine, i).text);
  g_array_unref (lines);
  g_string_free (raw, TRUE);
  g_string_free (s, TRUE);

  case_plant (c, 0, ERIKA);
  case_plant (c, 0, ADDR_A);
  case_plant (c, 0, IBAN_B);
  case_control (c, 0, "Einwohnermeldeamt");
  case_control (c, 0, "Meldebescheinigung");
  case_control (c, 0, "Widerspruch");
  case_control (c, 0, "Hebesatz");
  case_control (c, 0, "veranlasst");
  return ok;
}

/* ------------------------------------------------------------------------------------------ */
/* 11. tricky: sizes, spacing, split strings and a fake redaction                             */
/* ------------------------------------------------------------------------------------------ */

static gboolean
case_tricky (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "tricky.pdf", NULL);
  g_autoptr (HandPdf) hp = hand_new ();
  cairo_t *m = measure_context (fonts.nimbus_sans, 10);
  GString *raw = g_string_new (NULL);
  GString *s = g_string_new (NULL);
  int root = hand_reserve (hp), pages = hand_reserve (hp), page, font, content;
  double y, x_name, w_name;
  const char *const covered = "Max Mustermann";
  Case *c = case_new ("tricky.pdf",
                      "Hand-written, Helvetica: a 6 pt line, a 28 pt line, letter spacing "
                      "(0.8 Tc), horizontal scaling (70 and 140 Tz), an e-mail address split "
                      "over three Tj, an IBAN and a name split by TJ kerning gaps, and a white "
                      "rectangle painted over the name Max Mustermann (a fake redaction: the "
                      "text is still underneath).");
  gboolean ok;

  font = hand_add (hp, HELVETICA);
  g_string_append (raw, "BT /F1 10 Tf\n");
  y = hand_paragraph (raw, m, FILLER[2], MARGIN, 780, 13);
  g_string_append (raw, "/F1 6 Tf\n");
  hand_line (raw, MARGIN, y, "Kleingedrucktes: Kontoinhaberin " ERIKA ", Kundennummer 4711, "
             "es gelten die Vertragsbedingungen.");
  y -= 34;
  g_string_append (raw, "/F1 28 Tf\n");
  hand_line (raw, MARGIN, y, "Akte " JUERGEN);
  y -= 22;
  g_string_append (raw, "/F1 10 Tf 0.8 Tc\n");
  hand_line (raw, MARGIN, y, "Gesperrt gesetzt: " SOFIE);
  y -= 15;
  g_string_append (raw, "0 Tc 70 Tz\n");
  hand_line (raw, MARGIN, y, "Gestaucht: Telefon " PHONE_A " rund um die Uhr");
  y -= 15;
  g_string_append (raw, "140 Tz\n");
  hand_line (raw, MARGIN, y, "Gedehnt: " GRETE);
  y -= 15;
  g_string_append_printf (raw, "100 Tz\n1 0 0 1 %.2f %.2f Tm (E-Mail-Adresse: ) Tj (j.weiss) Tj "
                          "(gerber@exa) Tj (mple.org) Tj ( bitte verwenden.) Tj\n", MARGIN, y);
  y -= 15;
  g_string_append_printf (raw, "1 0 0 1 %.2f %.2f Tm [(Konto: IBAN DE02 1203 00) 120 "
                          "(00 0000 2020 51 bei der Sparkasse.)] TJ\n", MARGIN, y);
  y -= 15;
  g_string_append_printf (raw, "1 0 0 1 %.2f %.2f Tm [(Gutachter Hans-Peter K) 60 "
                          "(öhler, Termin am " BIRTH_A ".)] TJ\n", MARGIN, y);
  y -= 15;
  hand_line (raw, MARGIN, y, "Geschwärzt: Max Mustermann, danach folgt normaler Text.");
  x_name = MARGIN + text_width (m, "Geschwärzt: ");
  w_name = text_width (m, covered);
  hand_paragraph (raw, m, FILLER[3], MARGIN, y - 22, 13);
  g_string_append_printf (raw, "ET\n1 1 1 rg %.2f %.2f %.2f %.2f re f\n", x_name - 1, y - 3,
                          w_name + 2, 13.0);
  append_winansi (s, raw->str);
  content = hand_add_text_stream (hp, "", s);
  page = hand_add (hp, "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                   "/Resources << /Font << /F1 %d 0 R >> >> >>", pages, content, font);
  hand_page_tree (hp, root, pages, &page, 1, "");
  ok = hand_save (hp, root, 0, path, error);
  g_string_free (raw, TRUE);
  g_string_free (s, TRUE);
  cairo_destroy (m);

  case_plant (c, 0, ERIKA);
  case_plant (c, 0, JUERGEN);
  case_plant (c, 0, SOFIE);
  case_plant (c, 0, PHONE_A);
  case_plant (c, 0, GRETE);
  case_plant (c, 0, MAIL_JUERGEN);
  case_plant (c, 0, IBAN_A);
  case_plant (c, 0, KOEHLER);
  case_plant (c, 0, BIRTH_A);
  case_plant (c, 0, covered);
  case_control (c, 0, "Sondernutzung");
  case_control (c, 0, "Kleingedrucktes");
  case_control (c, 0, "Vertragsbedingungen");
  case_control (c, 0, "Akte");
  case_control (c, 0, "Gesperrt gesetzt");
  case_control (c, 0, "rund um die Uhr");
  case_control (c, 0, "Gedehnt");
  case_control (c, 0, "bitte verwenden");
  case_control (c, 0, "Sparkasse");
  case_control (c, 0, "Gutachter");
  case_control (c, 0, "danach folgt normaler Text");
  case_control (c, 0, "Hebesatz");
  return ok;
}

/* ------------------------------------------------------------------------------------------ */

typedef gboolean (*CaseFunc) (const char *dir, GError **error);

int
main (int argc, char **argv)
{
  static const CaseFunc funcs[] = {
    case_truetype, case_cid,    case_type1,  case_standard14, case_type3,  case_ligature,
    case_rotated,  case_xobject, case_extras, case_scan,       case_tricky,
  };
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *manifest = NULL;
  gint64 start = g_get_monotonic_time ();
  int status = 0;

  setlocale (LC_ALL, "");
  if (argc != 2)
    {
      g_printerr ("usage: %s OUTDIR\n", argv[0]);
      return 2;
    }
  if (g_mkdir_with_parents (argv[1], 0755) != 0)
    {
      g_printerr ("cannot create %s: %s\n", argv[1], g_strerror (errno));
      return 1;
    }
  if (FT_Init_FreeType (&ft_library) != 0)
    {
      g_printerr ("cannot initialise FreeType\n");
      return 1;
    }
  all_cases = g_ptr_array_new_with_free_func (case_free);
  if (!(fonts.dejavu = load_face (FONT_DEJAVU, &error))
      || !(fonts.nimbus_sans = load_face (FONT_NIMBUS_SANS, &error))
      || !(fonts.nimbus_roman = load_face (FONT_NIMBUS_ROMAN, &error))
      || !(fonts.nimbus_mono = load_face (FONT_NIMBUS_MONO, &error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (guint i = 0; i < G_N_ELEMENTS (funcs) && status == 0; i++)
    if (!funcs[i] (argv[1], &error))
      {
        g_printerr ("%s\n", error->message);
        status = 1;
      }

  if (status == 0)
    {
      g_autofree char *keyfile = manifest_to_keyfile ();
      g_autofree char *keyfile_path = g_build_filename (argv[1], "cases.ini", NULL);

      json = manifest_to_json ();
      manifest = g_build_filename (argv[1], "cases.json", NULL);
      if (!g_file_set_contents (manifest, json, -1, &error) ||
          !g_file_set_contents (keyfile_path, keyfile, -1, &error))
        {
          g_printerr ("%s\n", error->message);
          status = 1;
        }
      else
        g_print ("wrote %u cases to %s in %.2f s\n", all_cases->len, argv[1],
                 (g_get_monotonic_time () - start) / 1e6);
    }

  g_ptr_array_unref (all_cases);
  cairo_font_face_destroy (fonts.dejavu);
  cairo_font_face_destroy (fonts.nimbus_sans);
  cairo_font_face_destroy (fonts.nimbus_roman);
  cairo_font_face_destroy (fonts.nimbus_mono);
  FT_Done_FreeType (ft_library);
  return status;
}
