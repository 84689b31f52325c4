/* Identifiers: DOI clean-up and syntax, ISSN, ISBN-10/13 and ORCID check
 * digits, PMID, PMCID and arXiv forms. Pure functions over UTF-8 text. */
#ifndef CITECONV_SRC_IDENT_H
#define CITECONV_SRC_IDENT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Damage citeconv_doi_clean found and removed, as bits. */
enum {
  CITECONV_DOI_URL = 1 << 0,       /* https://doi.org/, dx.doi.org, ... */
  CITECONV_DOI_LABEL = 1 << 1,     /* "doi:", "DOI ", "info:doi/" */
  CITECONV_DOI_SPACE = 1 << 2,     /* white space (also no-break, zero-width) */
  CITECONV_DOI_TRAILING = 1 << 3,  /* '.', ',', ';', ':' or unbalanced ')' */
  CITECONV_DOI_PERCENT = 1 << 4,   /* %2F and friends */
  CITECONV_DOI_LOOKALIKE = 1 << 5  /* en dash, Cyrillic a, full-width 1 ... */
};

/* Append to `out` the DOI in s[0..n) with prefixes, white space, trailing
 * punctuation, percent-encoding and look-alike characters removed or
 * replaced, and set *problems to what was found (0: nothing changed).
 * Look-alikes are mapped with ICU's confusable skeletons (uspoof) after
 * NFKC; a character with no ASCII look-alike is kept. Returns 0,
 * CITECONV_ENOMEM or CITECONV_ELIMIT. */
int citeconv_doi_clean(citeconv_buf *out, const char *s, size_t n,
                       unsigned *problems);

/* Whether s[0..n) is a DOI by syntax: "10." + registrant code (digits and
 * dots) + "/" + a non-empty suffix of printable ASCII-or-Unicode
 * characters without white space or control characters. */
bool citeconv_doi_is_valid(const char *s, size_t n);

/* Find a DOI in free text (a URL, a note): "10.NNNN/..." up to white space
 * or a quote or angle bracket, trailing sentence punctuation excluded.
 * Returns true and its offset and length. */
bool citeconv_doi_find(const char *s, size_t n, size_t *off, size_t *len);

/* Verdicts of the checksum functions. */
enum {
  CITECONV_IDENT_OK = 0,
  CITECONV_IDENT_FORM = 1,    /* wrong length or characters */
  CITECONV_IDENT_CHECKSUM = 2 /* right form, wrong check digit */
};

/* ISSN "1234-567X" (the hyphen may be missing). On CITECONV_IDENT_CHECKSUM
 * *want is the check digit the first seven digits call for. */
int citeconv_issn_verify(const char *s, size_t n, char *want);
/* ISBN-10 or ISBN-13, with or without hyphens or spaces between groups. */
int citeconv_isbn_verify(const char *s, size_t n, char *want);
/* ORCID iD "0000-0002-1825-0097" (ISO 7064 MOD 11-2), optionally as an
 * https://orcid.org/ URL. */
int citeconv_orcid_verify(const char *s, size_t n, char *want);

/* PMID: 1 to 9 digits, not starting with 0. */
bool citeconv_pmid_is_valid(const char *s, size_t n);
/* PMCID: "PMC" + 1 to 9 digits. */
bool citeconv_pmcid_is_valid(const char *s, size_t n);
/* arXiv identifier, new ("2101.01234v2", "0704.0001") or old
 * ("hep-th/9901001", "math.AG/0309136") scheme, optionally "arXiv:". */
bool citeconv_arxiv_is_valid(const char *s, size_t n);

#endif
