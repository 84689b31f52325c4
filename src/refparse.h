/* The reference-string parser: one formatted reference (Vancouver/NLM,
 * AMA, APA/Frontiers, Harvard, Chicago author-date, books, chapters,
 * theses, web pages, preprints) into the fields of a record. */
#ifndef CITECONV_SRC_REFPARSE_H
#define CITECONV_SRC_REFPARSE_H

#include <stddef.h>

#include "citeconv/citeconv.h"

/* The style a reference string was recognised as. */
typedef enum citeconv_refstyle {
  CITECONV_REFSTYLE_UNKNOWN = 0,
  CITECONV_REFSTYLE_VANCOUVER, /* Smith J, Jones K. Title. J. 2005;1:2-3. */
  CITECONV_REFSTYLE_APA,       /* Smith, J., & Jones, K. (2005). Title. */
  CITECONV_REFSTYLE_HARVARD,   /* Smith, J. and Jones, K. (2005) 'Title' */
  CITECONV_REFSTYLE_CHICAGO    /* Smith, John, and Karen Jones. 2005. */
} citeconv_refstyle;

/* Confidence levels of a field: below CITECONV_REFPARSE_SURE the caller
 * should say, with a note, that the field is a guess. */
enum { CITECONV_REFPARSE_GUESS = 30, CITECONV_REFPARSE_SURE = 60 };

/* What the parser found: the style, and per variable a confidence 0..100
 * (0: the variable was not set by the parser). Names are reported under
 * CITECONV_VAR_AUTHOR / CITECONV_VAR_EDITOR, the date under
 * CITECONV_VAR_ISSUED, the item type under CITECONV_VAR_NONE's slot
 * `type_confidence`. */
typedef struct citeconv_refparse_result {
  citeconv_refstyle style;
  unsigned char confidence[CITECONV_VAR__COUNT];
  unsigned char type_confidence;
} citeconv_refparse_result;

/* Parse the reference string s[0..len) (UTF-8, may contain HTML-free
 * plain text only) and add what it finds to `rec`: type, authors and
 * editors, issued date, title, container-title, volume, issue, page,
 * publisher, publisher-place, DOI, PMID, PMCID, URL, accessed, genre.
 * Every field gets position `pos`. Variables that `rec` already has are
 * not overwritten (so a caller can set link identifiers first). Runs in
 * time linear in `len`; any input is accepted. Returns 0 or
 * CITECONV_ENOMEM. `res` may be NULL. */
int citeconv_refparse(citeconv_record *rec, const char *s, size_t len,
                      citeconv_pos pos, citeconv_refparse_result *res);

/* Lower-case name of a style ("vancouver"), for notes. */
const char *citeconv_refstyle_name(citeconv_refstyle style);

#endif
