/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-finding-style.c: colours, tags and marks of findings, shared by every view.
 *
 * The palette is GNOME's, with hues far enough apart to tell neighbours apart; categories that
 * rarely appear together share a colour, and their tags tell them apart.
 */
#define G_LOG_DOMAIN "sichtung"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include <adwaita.h>

#include "sichtung-finding-style.h"

static const char *const palette[] = {
  "#1c71d8", /* blue */
  "#c01c28", /* red */
  "#26a269", /* green */
  "#e66100", /* orange */
  "#813d9c", /* purple */
  "#986a44", /* brown */
  "#0e8a8a", /* teal */
  "#c64600", /* dark orange */
  "#613583", /* dark purple */
  "#1a5fb4", /* dark blue */
};

static const guint8 category_colors[SC_FINDING_N_CATEGORIES] = {
  [SC_FINDING_PERSON] = 0,
  [SC_FINDING_ORGANISATION] = 4,
  [SC_FINDING_LOCATION] = 2,
  [SC_FINDING_ADDRESS] = 6,
  [SC_FINDING_BIRTH_DATE] = 1,
  [SC_FINDING_DATE] = 5,
  [SC_FINDING_DEADLINE] = 3,
  [SC_FINDING_IBAN] = 1,
  [SC_FINDING_BIC] = 7,
  [SC_FINDING_TAX_ID] = 1,
  [SC_FINDING_SOCIAL_SECURITY_NUMBER] = 1,
  [SC_FINDING_ID_DOCUMENT_NUMBER] = 1,
  [SC_FINDING_PHONE] = 8,
  [SC_FINDING_EMAIL] = 8,
  [SC_FINDING_URL] = 9,
  [SC_FINDING_LICENSE_PLATE] = 7,
  [SC_FINDING_MONEY] = 5,
  [SC_FINDING_CASE_NUMBER] = 9,
  [SC_FINDING_LEGAL_NORM] = 6,
  [SC_FINDING_COURT_DECISION] = 4,
};

void
sichtung_finding_style_get_color (ScFindingCategory  category,
                                  GdkRGBA           *color)
{
  g_return_if_fail (color != NULL);

  if ((guint) category >= SC_FINDING_N_CATEGORIES)
    category = SC_FINDING_PERSON;
  gdk_rgba_parse (color, palette[category_colors[category]]);
}

const char *
sichtung_finding_style_get_tag (ScFindingCategory category)
{
  /* Translators: the short tags drawn beside findings on the page; keep them very short. */
  switch (category)
    {
    case SC_FINDING_PERSON: return C_("finding tag", "Name");
    case SC_FINDING_ORGANISATION: return C_("finding tag", "Org");
    case SC_FINDING_LOCATION: return C_("finding tag", "Place");
    case SC_FINDING_ADDRESS: return C_("finding tag", "Addr");
    case SC_FINDING_BIRTH_DATE: return C_("finding tag", "Born");
    case SC_FINDING_DATE: return C_("finding tag", "Date");
    case SC_FINDING_DEADLINE: return C_("finding tag", "Due");
    case SC_FINDING_IBAN: return C_("finding tag", "IBAN");
    case SC_FINDING_BIC: return C_("finding tag", "BIC");
    case SC_FINDING_TAX_ID: return C_("finding tag", "Tax");
    case SC_FINDING_SOCIAL_SECURITY_NUMBER: return C_("finding tag", "SSN");
    case SC_FINDING_ID_DOCUMENT_NUMBER: return C_("finding tag", "ID");
    case SC_FINDING_PHONE: return C_("finding tag", "Tel");
    case SC_FINDING_EMAIL: return C_("finding tag", "Mail");
    case SC_FINDING_URL: return C_("finding tag", "Web");
    case SC_FINDING_LICENSE_PLATE: return C_("finding tag", "Car");
    case SC_FINDING_MONEY: return C_("finding tag", "Sum");
    case SC_FINDING_CASE_NUMBER: return C_("finding tag", "Ref");
    case SC_FINDING_LEGAL_NORM: return C_("finding tag", "Law");
    case SC_FINDING_COURT_DECISION: return C_("finding tag", "Court");
    case SC_FINDING_N_CATEGORIES:
    default:
      break;
    }
  return "?";
}

/* With the high-contrast style, marks are drawn thicker and without faint tints. */
static gboolean
high_contrast (void)
{
  return adw_style_manager_get_high_contrast (adw_style_manager_get_default ());
}

static void
set_source (cairo_t       *cr,
            const GdkRGBA *color,
            double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, alpha);
}

void
sichtung_finding_style_draw_mark (cairo_t               *cr,
                                  const graphene_rect_t *rect,
                                  ScFindingCategory      category,
                                  SichtungDecision       decision,
                                  gboolean               selected)
{
  static const double dashes[] = { 4.0, 3.0 };
  double x = rect->origin.x, y = rect->origin.y;
  double w = rect->size.width, h = rect->size.height;
  gboolean hc = high_contrast ();
  GdkRGBA color;

  sichtung_finding_style_get_color (category, &color);
  cairo_save (cr);
  cairo_set_line_width (cr, hc ? 2.5 : 1.5);
  cairo_rectangle (cr, x, y, w, h);

  switch (decision)
    {
    case SICHTUNG_DECISION_ACCEPTED:
      set_source (cr, &color, 0.35);
      cairo_fill_preserve (cr);
      set_source (cr, &color, 1.0);
      cairo_stroke (cr);
      break;

    case SICHTUNG_DECISION_REJECTED:
      /* The dashes tell it apart; high contrast keeps them opaque. */
      set_source (cr, &color, hc ? 1.0 : 0.45);
      cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
      cairo_stroke (cr);
      break;

    case SICHTUNG_DECISION_EDITED:
      set_source (cr, &color, 0.25);
      cairo_fill_preserve (cr);
      set_source (cr, &color, 1.0);
      cairo_stroke (cr);
      cairo_rectangle (cr, x - 2.5, y - 2.5, w + 5, h + 5);
      cairo_set_line_width (cr, 1.0);
      cairo_stroke (cr);
      break;

    case SICHTUNG_DECISION_OPEN:
    default:
      set_source (cr, &color, 0.08);
      cairo_fill_preserve (cr);
      set_source (cr, &color, 1.0);
      cairo_stroke (cr);
      break;
    }

  if (selected)
    {
      cairo_set_dash (cr, NULL, 0, 0);
      cairo_set_line_width (cr, 3.0);
      cairo_set_source_rgba (cr, 0, 0, 0, 0.85);
      cairo_rectangle (cr, x - 4, y - 4, w + 8, h + 8);
      cairo_stroke (cr);
    }

  cairo_restore (cr);
}

void
sichtung_finding_style_draw_tag (cairo_t               *cr,
                                 PangoContext          *context,
                                 const graphene_rect_t *rect,
                                 ScFindingCategory      category,
                                 SichtungDecision       decision)
{
  g_autoptr(PangoLayout) layout = NULL;
  PangoFontDescription *font;
  double size = MIN (rect->size.height * 0.55, 9.0);
  PangoRectangle extents;
  GdkRGBA color;

  if (size < 5.0)
    return;

  layout = pango_layout_new (context);
  font = pango_font_description_from_string ("Sans Bold");
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_text (layout, sichtung_finding_style_get_tag (category), -1);
  pango_layout_get_pixel_extents (layout, NULL, &extents);

  sichtung_finding_style_get_color (category, &color);
  cairo_save (cr);
  /* Above the box's top-left corner, on a label of the category's colour. */
  cairo_rectangle (cr, rect->origin.x, rect->origin.y - extents.height - 1,
                   extents.width + 4, extents.height + 1);
  set_source (cr, &color,
              high_contrast () ? 1.0 : decision == SICHTUNG_DECISION_REJECTED ? 0.45 : 0.9);
  cairo_fill (cr);
  cairo_move_to (cr, rect->origin.x + 2, rect->origin.y - extents.height - 1 - extents.y);
  cairo_set_source_rgb (cr, 1, 1, 1);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

typedef struct
{
  ScFindingCategory category;
  SichtungDecision  decision;
} SwatchData;

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  SwatchData *data = user_data;
  graphene_rect_t rect = GRAPHENE_RECT_INIT (2, 3, width - 4, height - 6);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  sichtung_finding_style_draw_mark (cr, &rect, data->category, data->decision, FALSE);
}

GtkWidget *
sichtung_finding_style_new_swatch (ScFindingCategory category,
                                   SichtungDecision  decision)
{
  /* Decoration: the label beside it names the category. */
  GtkWidget *area = g_object_new (GTK_TYPE_DRAWING_AREA,
                                  "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                  NULL);
  SwatchData *data = g_new (SwatchData, 1);

  data->category = category;
  data->decision = decision;
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), 28);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), 16);
  gtk_widget_set_valign (area, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_swatch, data, g_free);
  gtk_widget_add_css_class (area, "finding-swatch");
  return area;
}

/* ---- word heatmaps ------------------------------------------------------------------- */

#define HEAT_POSITIVE  "#3584e4" /* the word made the model surer */
#define HEAT_NEGATIVE  "#ff7800" /* less sure */
#define HEAT_MAX_ALPHA 0.6

/* Whether the text between two words (or before the first, after the last) holds anything but
 * white space. */
static gboolean
has_text (const char *start,
          const char *end)
{
  for (const char *p = start; p < end; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* The words as Pango markup: each word tinted by its score, scaled to the largest magnitude
 * of the method, the span's own words bold and underlined; the text's own spacing is kept
 * only as far as whether words are apart, so line breaks of the page do not break the label. */
char *
sichtung_finding_style_heatmap_markup_full (ScExplanation  *explanation,
                                            const char     *text,
                                            const double   *scores,
                                            guint           context_words,
                                            const gboolean *hidden)
{
  g_autoptr(GString) markup = g_string_new (NULL);
  gsize text_len = text != NULL ? strlen (text) : 0;
  gboolean offsets = explanation->has_offsets && text != NULL;
  double max_abs = 0;
  guint first = 0, last = explanation->n_words;

  if (explanation->n_words == 0)
    return g_strdup ("");

  if (context_words != G_MAXUINT)
    {
      first = explanation->span_start > context_words ? explanation->span_start - context_words
                                                      : 0;
      last = MIN ((gsize) explanation->span_end + context_words, explanation->n_words);
    }

  for (guint i = 0; i < explanation->n_words; i++)
    max_abs = MAX (max_abs, fabs (scores[i]));

  if (first > 0 || (offsets && has_text (text, text + MIN (explanation->words[0].start,
                                                           text_len))))
    g_string_append (markup, "… ");

  for (guint i = first; i < last; i++)
    {
      const ScExplainWord *word = &explanation->words[i];
      g_autofree char *escaped = g_markup_escape_text (word->text, -1);
      double strength = max_abs > 0 ? fabs (scores[i]) / max_abs : 0;
      int alpha = (int) (strength * HEAT_MAX_ALPHA * 100 + 0.5);

      if (i > first && (!offsets || word->start > explanation->words[i - 1].end))
        g_string_append_c (markup, ' ');

      g_string_append (markup, "<span");
      if (alpha > 0)
        g_string_append_printf (markup, " background=\"%s\" bgalpha=\"%d%%\"",
                                scores[i] > 0 ? HEAT_POSITIVE : HEAT_NEGATIVE, alpha);
      if (word->in_span)
        g_string_append (markup, " weight=\"bold\" underline=\"single\"");
      if (hidden != NULL && hidden[i])
        g_string_append (markup, " strikethrough=\"true\" alpha=\"50%\"");
      g_string_append_printf (markup, ">%s</span>", escaped);
    }

  if (last < explanation->n_words
      || (offsets && has_text (text + MIN (explanation->words[explanation->n_words - 1].end,
                                           text_len),
                               text + text_len)))
    g_string_append (markup, " …");

  return g_string_free (g_steal_pointer (&markup), FALSE);
}

char *
sichtung_finding_style_heatmap_markup (ScExplanation *explanation,
                                       const char    *text,
                                       const double  *scores)
{
  return sichtung_finding_style_heatmap_markup_full (explanation, text, scores, G_MAXUINT, NULL);
}

char *
sichtung_finding_style_one_line (const char *text,
                                 guint       max_chars)
{
  g_autofree char *line = g_strdup (text != NULL ? text : "");

  g_return_val_if_fail (max_chars > 0, NULL);

  g_strdelimit (line, "\n\r\t\f", ' ');
  if ((gulong) g_utf8_strlen (line, -1) > max_chars)
    {
      g_autofree char *head = g_utf8_substring (line, 0, max_chars - 1);

      return g_strconcat (head, "…", NULL);
    }
  return g_steal_pointer (&line);
}
