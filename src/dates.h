/* Reading dates written as text: ISO 8601 / EDTF ("2005-06-01",
 * "2005-06", "2003-21" seasons, "1998/1999" ranges, "~1990" circa), and
 * the common written forms ("2005 Jun 15", "15 June 2005", "June 2005",
 * "Spring 2003", "1998 Dec-1999 Jan"). */
#ifndef CITECONV_SRC_DATES_H
#define CITECONV_SRC_DATES_H

#include <stdbool.h>
#include <stddef.h>

#include "citeconv/record.h"

/* Parse s[0..n) into *out (zeroed first; strings are not set). Returns true
 * when the whole text was understood as a date; false leaves what could be
 * read in *out (possibly nothing) so the caller can keep the text as a
 * literal. */
bool citeconv_date_parse(const char *s, size_t n, citeconv_date *out);
/* Month number 1..12 for an English month name or abbreviation
 * ("jan", "Sept.", "December"), 21..24 for a season name; 0 if none. */
int citeconv_month_from_name(const char *s, size_t n);
/* Whether a date's parts are possible (month 1..12, day within month). */
bool citeconv_date_is_valid(const citeconv_date *d);

#endif
