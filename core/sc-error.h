/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-error.h: the error domain every core/ function reports through. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SC_ERROR (sc_error_quark ())

typedef enum
{
  SC_ERROR_FAILED,         /* anything without a better code */
  SC_ERROR_IO,             /* the file could not be read or written */
  SC_ERROR_NOT_SUPPORTED,  /* not a format Sichtung reads (e.g. not a PDF) */
  SC_ERROR_CORRUPT,        /* the format is right but the content is damaged */
  SC_ERROR_NEEDS_PASSWORD, /* the document is encrypted and no password was given */
  SC_ERROR_BAD_PASSWORD,   /* the document is encrypted and the password is wrong */
  SC_ERROR_EMPTY,          /* the document has no pages or no content */
  SC_ERROR_INVALID_ARGUMENT,
  SC_ERROR_NO_DEVICE,      /* no Vulkan device (the CPU path is used) */
  SC_ERROR_DEVICE,         /* a Vulkan call failed */
  SC_ERROR_LEAK,           /* a redacted file still shows what it should hide */
  SC_ERROR_NO_MEMORY,      /* the device has too little memory for the model */
} ScError;

GQuark sc_error_quark (void);

G_END_DECLS
