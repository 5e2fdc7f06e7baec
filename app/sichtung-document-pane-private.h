/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-document-pane-private.h: what the parts of SichtungDocumentPane share.
 *
 * sichtung-document-pane.c opens, shows, analyses and stores a document;
 * sichtung-document-pane-manual.c lets the person mark findings by hand, from a text selection
 * or a box drawn on a page.
 */
#pragma once

#include "sichtung-document-pane.h"
#include "sichtung-finding-dialog.h"

G_BEGIN_DECLS

typedef enum
{
  VIEW_MODE_PAGE,
  VIEW_MODE_TEXT,
} ViewMode;

typedef struct
{
  int start; /* character offsets in the text buffer */
  int end;
} TextMatch;

/* Where the text of one page lies in the text buffer, to map the analysis' code-point offsets
 * (into sc_document_get_text ()) onto it. The buffer shows each page stripped of leading and
 * trailing white space, under a page line of its own. */
typedef struct
{
  gsize doc_start;     /* code point where the page starts in the document text */
  gsize lead;          /* code points stripped at its start */
  int   buffer_start;  /* character offset of the stripped text in the buffer */
  int   length;        /* its length in characters */
} TextPage;

struct _SichtungDocumentPane
{
  AdwBin                parent_instance;

  /* Template children */
  GtkWidget            *document_controls;
  GtkEntry             *page_entry;
  GtkLabel             *n_pages_label;
  GtkMenuButton        *zoom_button;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkLabel             *match_label;
  GtkRevealer          *error_revealer;
  GtkLabel             *error_label;
  GtkStack             *stack;
  GtkSpinner           *spinner;
  GtkLabel             *loading_label;
  GtkStack             *view_stack;
  SichtungDocumentView *view;
  GtkTextView          *text_view;
  GtkRevealer          *analysis_revealer;
  GtkLabel             *analysis_label;
  GtkProgressBar       *analysis_progress;
  GtkRevealer          *note_revealer;
  GtkLabel             *note_label;
  GtkWidget            *restart_button;
  GtkWidget            *box_button;

  /* State */
  ScDocument           *document;
  GFile                *file;
  GFile                *loading_file;
  gboolean              loading_stored;   /* a document is being read from the case store */
  GCancellable         *cancellable;      /* the load in flight */
  GCancellable         *text_cancellable; /* the text extraction of the document shown */
  char                 *title;
  char                 *error_message;
  ViewMode              view_mode;
  GtkNativeDialog      *chooser;
  GtkWindow            *password_dialog; /* weak */

  GtkTextTag           *separator_tag;
  GtkTextTag           *match_tag;
  GtkTextTag           *current_match_tag;
  GPtrArray            *page_marks;      /* GtkTextMark owned by the buffer, one per page */
  GArray               *text_matches;    /* TextMatch */
  int                   current_text_match;
  guint                 text_page;        /* the page last gone to in the text view */
  guint                 view_changed_id;  /* idle that follows the view's state */

  /* Analysis */
  GListStore           *findings;         /* SichtungFindingItem */
  ScAnalysis           *analysis;
  GCancellable         *analysis_cancellable;
  gboolean              analyzing;
  gboolean              use_model;
  char                 *analysis_note;
  SichtungFindingItem  *selected_finding;
  GArray               *text_pages;       /* TextPage, one per page in the text buffer */
  GPtrArray            *finding_tags;     /* GtkTextTag owned by the buffer's tag table */
  GtkTextTag           *selected_finding_tag;
  guint                 retag_id;         /* idle that redoes the finding tags */
  SichtungFindingItem  *caret_finding;    /* the finding the text view's caret is on, or NULL */
  char                 *caret_description; /* the text view's accessible description, or NULL */

  /* Case store */
  ScStore              *store;
  gint64                case_id;          /* where opened files are added; 0: a new case */
  gint64                document_id;      /* the stored document shown, or 0 */
  gboolean              preview;          /* shows a document of no file nor case (preview) */
  guint                 pending_page;     /* to go to once shown; G_MAXUINT: none */

  /* Compare mode (sichtung-document-pane-changes.c) */
  ScComparison         *comparison;       /* whose changes are shown, or NULL */
  ScCompareSide         compare_side;     /* which side of it this document is */
  GtkTextTag           *change_tags[3];   /* by ScCompareChangeKind; owned by the tag table */
  GtkAdjustment        *follow_adjustment; /* the text view's, while a follow is pending */
  gint64                follow_until;     /* monotonic time a pending follow may end at */
  gboolean              follow_sized;     /* whether the text view had a size at the last look */
  gboolean              follow_reached;   /* whether its last scroll brought the line to the top */

  /* Findings marked by hand (sichtung-document-pane-manual.c) */
  SichtungFindingDialog *finding_dialog;  /* weak */
};

/* sichtung-document-pane.c */

/* Shows @item, a finding just stored by hand, among the findings (following its decisions and
 * corrections like every stored one), selects it and says that decisions changed. */
void _sichtung_document_pane_add_finding          (SichtungDocumentPane *self,
                                                   SichtungFindingItem  *item);
/* Reports that @message could not be stored, as the window shows store errors. */
void _sichtung_document_pane_report_store_error   (SichtungDocumentPane *self,
                                                   const char           *message);

/* sichtung-document-pane-manual.c */

/* Installs the actions of marking by hand ("pane.mark-selection", Ctrl+M). */
void _sichtung_document_pane_class_init_manual    (GtkWidgetClass       *widget_class);
/* Adds the text view's context menu entry and follows the selection and the page view. */
void _sichtung_document_pane_init_manual          (SichtungDocumentPane *self);
void _sichtung_document_pane_dispose_manual       (SichtungDocumentPane *self);
/* Part of sichtung_document_pane_update_actions(). */
void _sichtung_document_pane_update_manual_actions (SichtungDocumentPane *self);

/* sichtung-document-pane-changes.c */

/* Tags the changes of the comparison shown in the text view again, after it was refilled. */
void _sichtung_document_pane_tag_changes          (SichtungDocumentPane *self);
void _sichtung_document_pane_init_changes         (SichtungDocumentPane *self);
void _sichtung_document_pane_dispose_changes      (SichtungDocumentPane *self);
void _sichtung_document_pane_stop_follow          (SichtungDocumentPane *self);

G_END_DECLS
