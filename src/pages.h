/* Page ranges as the NLM abbreviates them ("4172-8" for 4172-4178). */
#ifndef CITECONV_SRC_PAGES_H
#define CITECONV_SRC_PAGES_H

#include <stddef.h>

#include "buf.h"

/* Append s[0..n) to `out` with every abbreviated range of a
 * comma-separated list written in full: "4172-8" becomes "4172-4178",
 * "R12-5" becomes "R12-R15"; "e123" or "123-130" are copied as they are,
 * and so is anything that is not a plain range. Returns 0,
 * CITECONV_ENOMEM or CITECONV_ELIMIT. */
int citeconv_pages_expand(citeconv_buf *out, const char *s, size_t n);

/* The reverse, as MEDLINE writes ranges: "4172-4178" becomes "4172-8",
 * "296-302" stays; only plain numeric ranges of equal length are
 * shortened. Same returns as citeconv_pages_expand. */
int citeconv_pages_abbreviate(citeconv_buf *out, const char *s, size_t n);

#endif
