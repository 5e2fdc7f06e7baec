/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-recognizers.h: rule-based recognisers for German administrative texts.
 *
 * sc_recognize() finds IBANs, BICs, tax identifiers, social security numbers, ID card and
 * passport numbers, phone numbers, e-mail and web addresses, postal addresses, vehicle
 * registrations, amounts of money, case numbers, court decisions, legal norms, dates and
 * deadlines. Every finding says why it fired. Numbers with a check digit are reported only
 * when the check digit is right: a mistyped IBAN is not reported as an IBAN. */
#pragma once

#include <glib.h>

#include "sc-finding.h"
#include "sc-dates.h"

G_BEGIN_DECLS

typedef enum
{
  SC_RECOGNIZE_DEFAULT      = 0,
  SC_RECOGNIZE_NO_DATES     = 1 << 0,  /* leave out dates */
  SC_RECOGNIZE_NO_DEADLINES = 1 << 1,  /* leave out deadlines */
} ScRecognizeFlags;

/* Scans @text (UTF-8; @length bytes or -1) and returns the findings (ScFinding, sorted by
 * start) with byte and code-point offsets into @text. @reference (may be NULL) is the event
 * date for deadlines and the year for dates without one; @land chooses the public holidays.
 * Where findings of different kinds overlap, the weaker one (a phone-like number inside an
 * IBAN) is dropped; containers (addresses, court decisions, deadlines) keep their parts.
 * Fails only on invalid UTF-8. */
GPtrArray *sc_recognize (const char        *text,
                         gssize             length,
                         const GDate       *reference,
                         ScLand             land,
                         ScRecognizeFlags   flags,
                         GError           **error);

/* Check-digit validators, on the compact form (no spaces). */
gboolean   sc_iban_is_valid             (const char *iban);     /* ISO 13616, mod 97, lengths */
gboolean   sc_tax_id_is_valid           (const char *digits);   /* Steuer-IdNr., 11 digits */
gboolean   sc_social_security_number_is_valid (const char *svnr); /* 12 chars, DRV */
/* ICAO 9303 check digit (weights 7, 3, 1; A = 10 … Z = 35) of the first @n characters of
 * @chars compared with chars[n]. */
gboolean   sc_icao_check_digit_is_valid (const char *chars,
                                         gsize       n);

G_END_DECLS
