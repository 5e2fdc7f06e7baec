/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-error.c: the core error domain. */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include "sc-error.h"

G_DEFINE_QUARK (sc-error-quark, sc_error)
