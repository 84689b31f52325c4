/* The online DOI check: what the registries' answers are parsed into, and
 * the comparisons with a record, for src/resolve.c and its unit tests. */
#ifndef CITECONV_SRC_RESOLVE_H
#define CITECONV_SRC_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* What a registry says about a DOI, as far as the comparison needs it.
 * Every string is malloc'ed and NULL when the registry has none. */
typedef struct citeconv_doi_meta {
  char *title;     /* the first (main) title */
  char *subtitle;  /* the first subtitle */
  char *family;    /* first author's family name, or an organisation */
  char *container; /* container titles and abbreviations, one per line */
  int year;        /* year of publication; 0 when unknown */
  int year_last;   /* latest year of its other dates (print, online) */
} citeconv_doi_meta;

/* Free the strings of *m and set them to NULL. */
void citeconv_doi_meta_clear(citeconv_doi_meta *m);

/* Read an answer of the DOI resolver's handle API
 * ({"responseCode":1,"handle":"10.1000/1","values":[...]}) with its HTTP
 * status. Returns 1 when the DOI is registered, 0 when the handle does not
 * exist (responseCode 100), -1 when the answer is not of that shape. */
int citeconv_resolve_parse_handle(const char *body, size_t len, long http);

/* Read an answer of doi.org/doiRA/DOI ([{"DOI":"...","RA":"Crossref"}])
 * and append the registration agency's name to `out`. Returns 1 with a
 * name, 0 when the answer names none ("DOI does not exist"), -1 when it is
 * malformed, or CITECONV_ENOMEM. */
int citeconv_resolve_parse_ra(citeconv_buf *out, const char *body,
                              size_t len);

/* Fill *m (cleared first) from a Crossref REST API work
 * ({"status":"ok","message":{"title":[...],...}}) or a DataCite REST API
 * DOI ({"data":{"attributes":{"titles":[...],...}}}). Returns 0,
 * CITECONV_EPARSE when the text is not JSON of that shape, or
 * CITECONV_ENOMEM. */
int citeconv_resolve_parse_crossref(citeconv_doi_meta *m, const char *body,
                                    size_t len);
int citeconv_resolve_parse_datacite(citeconv_doi_meta *m, const char *body,
                                    size_t len);

/* Append s[0..n) in the form titles are compared in: tags and character
 * references removed, case folded (ICU), compatibility decomposed with the
 * accents dropped, punctuation turned into white space, white space folded
 * to single spaces. Returns 0 or CITECONV_ENOMEM. */
int citeconv_resolve_normalise(citeconv_buf *out, const char *s, size_t n);

/* 1 minus the edit distance over the longer length, of two normalised
 * texts (their first 400 characters). */
double citeconv_resolve_similarity(const char *a, const char *b);

/* Comparisons of a record's value (first) with a registry's, both as
 * given (they are normalised here). Each answers true when it cannot tell,
 * so that only clear differences are reported. */
bool citeconv_resolve_title_matches(const char *rec, const char *title,
                                    const char *subtitle);
bool citeconv_resolve_family_matches(const char *rec, const char *reg);
/* `reg` may hold several titles, one per line; any of them may match, in
 * full or abbreviated ("J. Biol. Chem."). */
bool citeconv_resolve_container_matches(const char *rec, const char *reg);

#endif
