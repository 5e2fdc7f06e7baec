/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-common.h: what every libFuzzer target of tests/fuzz shares.
 *
 * Targets call sc_fuzz_init() from LLVMFuzzerInitialize: it drops GLib's log output (poppler
 * and the core warn about every broken file, which would drown libFuzzer's own output) but
 * turns criticals and errors into aborts, because a g_return_if_fail() that fires on some input
 * is a bug the fuzzer must report. SC_FUZZ_VERBOSE=1 in the environment prints every message. */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

int  LLVMFuzzerInitialize   (int       *argc,
                             char    ***argv);
int  LLVMFuzzerTestOneInput (const uint8_t *data,
                             size_t         size);

void  sc_fuzz_init          (void);

/* A private directory for this process, removed at exit. */
const char *sc_fuzz_tmp_dir (void);

/* A heap copy of exactly @size bytes (one byte for an empty input, never NULL), so ASan sees
 * any read past the end and APIs that take a pointer get a valid one. Free with g_free(). */
guint8  *sc_fuzz_copy       (const uint8_t *data,
                             size_t         size);

/* Writes @size bytes to @path, replacing it; FALSE on any failure. */
gboolean sc_fuzz_write_file (const char    *path,
                             const uint8_t *data,
                             size_t         size);

G_END_DECLS
