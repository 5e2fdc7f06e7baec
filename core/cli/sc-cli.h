/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-cli.h: the subcommands of sichtung-cli. Each takes the arguments after its own name
 * (argv[0] is the subcommand), prints its result on stdout and returns the exit status. On bad
 * input it prints one line "sichtung-cli: MESSAGE" on stderr and returns a non-zero status. */
#pragma once

#include <glib.h>

#include "sichtung-core.h"

G_BEGIN_DECLS

int  sc_cli_devices (int argc, char **argv);
int  sc_cli_generate (int argc, char **argv);
int  sc_cli_score   (int argc, char **argv);
int  sc_cli_bench   (int argc, char **argv);
int  sc_cli_text    (int argc, char **argv);
int  sc_cli_info    (int argc, char **argv);
int  sc_cli_tokenize (int argc, char **argv);
int  sc_cli_dates   (int argc, char **argv);
int  sc_cli_recognize (int argc, char **argv);
int  sc_cli_tag     (int argc, char **argv);
int  sc_cli_analyze (int argc, char **argv);
int  sc_cli_pseudonymize (int argc, char **argv);
int  sc_cli_compare (int argc, char **argv);
int  sc_cli_report  (int argc, char **argv);
int  sc_cli_redact  (int argc, char **argv);
int  sc_cli_ask     (int argc, char **argv);
int  sc_cli_summarize (int argc, char **argv);
int  sc_cli_rewrite (int argc, char **argv);
int  sc_cli_draft   (int argc, char **argv);

/* Parses the options of the subcommand argv[0] with @context (--help then says "Usage:
 * sichtung-cli NAME …"). Returns the remaining arguments, the subcommand first; on bad options
 * prints the message and returns NULL. */
char **sc_cli_parse (GOptionContext *context,
                     int             argc,
                     char          **argv);

/* An analyzer for the subcommands that analyse documents: with the findings model at
 * @model_path, else the default model (saying on stderr when none is installed), or none with
 * @no_model; @device ("cpu", "vulkan", a GPU's name or index; NULL: automatic) and @threads
 * (0: all) choose where it runs. @backend_name (may be NULL) receives the backend's name, NULL
 * without a model. On failure prints why and returns NULL. */
ScAnalyzer *sc_cli_new_analyzer (const char  *model_path,
                                 gboolean     no_model,
                                 const char  *device,
                                 int          threads,
                                 char       **backend_name);

/* "person,iban" → 1 << ScFindingCategory for each name (SC_PSEUDONYMIZE_CATEGORY and
 * SC_REDACT_CATEGORY bits alike); FALSE, with the message printed, on an unknown name or an
 * empty list. */
gboolean sc_cli_parse_categories (const char *list,
                                  guint      *categories);

/* Prints "sichtung-cli: MESSAGE" on stderr; returns 1 for `return sc_cli_fail (...)`. */
int  sc_cli_fail    (const char *format, ...) G_GNUC_PRINTF (1, 2);

G_END_DECLS
