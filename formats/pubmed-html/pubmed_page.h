/* Helpers shared by the PubMed page readers (HTML and text) and the HTML
 * writer: PubMed's citation line, its dates, author names, and the note
 * for uncertain fields of a parsed reference. Module-private. */
#ifndef CITECONV_PUBMED_PAGE_H
#define CITECONV_PUBMED_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "format.h"
#include "refparse.h"

/* "Jan".."Dec" for 1..12 and "Spring".."Winter" for CITECONV_SEASON_*;
 * NULL out of range. */
const char *citeconv_pubmed_month_abbr(int m);
const char *citeconv_pubmed_season_name(int season);

/* A PubMed date: "2005 Jan", "2023 Sep 8", "2005 Jan-Feb", "2000 Spring",
 * "2006 August 1", "2005/08", "2012 Nov 26". False if no year. */
bool citeconv_pubmed_date(citeconv_date *d, const char *s, size_t n);

/* The citation line after the journal: "2005 Jan;79(2):884-95. doi: X.
 * Epub 2004 Dec 5. eCollection 2005. Online ahead of print." Sets issued,
 * volume, issue, page, DOI, available-date (Epub), status and the extra
 * `prefix`:ecollection. */
int citeconv_pubmed_citation(citeconv_record *rec, const char *s, size_t n,
                             citeconv_pos pos, const char *prefix);

/* Add an author written "Family Initials" ("Meno H", "Woo PC") or, when
 * there are no initials, as an organisation. With `name_out` the name is
 * filled in there (strings in the record's arena) instead of added. */
int citeconv_pubmed_name_vancouver(citeconv_record *rec, const char *s,
                                   size_t n, citeconv_pos pos,
                                   citeconv_name *name_out);
/* Add an author written "Given Family" ("Thomas M. Burbacher"); when
 * `family` is given (from PubMed's search term) it decides the split. */
int citeconv_pubmed_name_given_first(citeconv_record *rec, const char *s,
                                     size_t n, const char *family,
                                     size_t family_len, citeconv_pos pos,
                                     citeconv_name *name_out);

/* Append s[0..n) with runs of white space (also no-break spaces) folded to
 * one space and none at either end. */
int citeconv_pubmed_squeeze(citeconv_buf *out, const char *s, size_t n);

/* Parse one reference string into `rec` (whose link identifiers are
 * already set) and report uncertain fields as notes through `r`. */
int citeconv_pubmed_reference(citeconv_reader *r, citeconv_record *rec,
                              const char *s, size_t n, citeconv_pos pos);

/* The writer's steps, in pubmed_html_writer.c; the format table is in the
 * reader's file. */
int citeconv_pubmed_html_begin(citeconv_writer **out, citeconv_session *s,
                               citeconv_output *o);
int citeconv_pubmed_html_record(citeconv_writer *w,
                                const citeconv_record *rec);
int citeconv_pubmed_html_end(citeconv_writer *w);
void citeconv_pubmed_html_free(citeconv_writer *w);

#endif
