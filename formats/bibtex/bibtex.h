/* BibTeX and BibLaTeX module: what the reader, the writer and their helpers
 * (LaTeX conversion, names, field tables) share. Private to the module. */
#ifndef CITECONV_FORMATS_BIBTEX_H
#define CITECONV_FORMATS_BIBTEX_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "format.h"

/* ---- LaTeX to Unicode (bibtex_latex.c) -------------------------------- */

/* Flags for citeconv_bibtex_latex_to_text. */
enum {
  /* A title-like field: brace groups at the top level that do not start
   * with a command protect case and become <span class="nocase">. */
  CITECONV_BIBTEX_TITLE = 1u << 0,
  /* Keep TeX quotes and apostrophes as typed (' stays '). */
  CITECONV_BIBTEX_NO_QUOTES = 1u << 1
};

/* Called once per command the converter does not know; `name` is the
 * command without its backslash. */
typedef void (*citeconv_bibtex_unknown_cb)(const char *name, size_t len,
                                           void *payload);

/* Append the Unicode text (with the record's inline markup) for the LaTeX
 * value s[0..n) (outer delimiters already removed) to `out`. Nesting deeper
 * than `max_depth` is flattened. Returns 0, CITECONV_ENOMEM or
 * CITECONV_ELIMIT (out's ceiling). */
int citeconv_bibtex_latex_to_text(citeconv_buf *out, const char *s, size_t n,
                                  unsigned flags, size_t max_depth,
                                  citeconv_bibtex_unknown_cb unknown,
                                  void *payload);

/* Append a verbatim field (URL, DOI, file): braces dropped, backslash
 * escapes of special characters undone, nothing else changed. */
int citeconv_bibtex_verbatim(citeconv_buf *out, const char *s, size_t n);

/* Append UTF-8 text with inline markup as a LaTeX value for the inside of
 * a braced field: markup to commands, nocase spans to braces, specials
 * escaped. With `ascii`, non-ASCII characters become LaTeX commands where
 * there is one (others are copied and *unmapped is counted). `quotes`:
 * the value is read back with TeX quotes converted (' is then written as
 * \textquotesingle); false for names and extra fields. */
typedef struct citeconv_latex_cache citeconv_latex_cache;
int citeconv_bibtex_text_to_latex(citeconv_buf *out, const char *s, size_t n,
                                  bool ascii, bool quotes, size_t *unmapped,
                                  citeconv_latex_cache *cache);

/* What text_to_latex writes for non-ASCII code points, worked out the
 * first time each is met (one per writer; zeroed to start), by code point
 * modulo the size. The cache argument may be NULL. */
#define CITECONV_LATEX_CACHE_SLOTS 1024u
struct citeconv_latex_cache {
  struct {
    uint32_t cp;
    /* 0: empty; 1: no command; else 2 + the offset of its text in pool */
    uint16_t at;
  } slot[CITECONV_LATEX_CACHE_SLOTS];
  char pool[16384];
  size_t used;
};

/* Sixteen copies of x, for byte-class tables with ranges. */
#define CITECONV_SIXTEEN(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x

/* ---- names (bibtex_names.c) --------------------------------------------- */

/* One name split by BibTeX's rules into spans of the raw value. A part is
 * absent when its length is 0. */
typedef struct citeconv_bibtex_span {
  size_t off, len;
} citeconv_bibtex_span;

typedef struct citeconv_bibtex_name_parts {
  citeconv_bibtex_span first, von, last, jr;
  bool literal; /* the whole name is one brace group: an organisation */
  bool others;  /* the name is "others" */
  size_t extra_commas; /* commas beyond the second, folded into First */
} citeconv_bibtex_name_parts;

/* Split one name s[0..n) (no "and") into its parts. */
void citeconv_bibtex_split_name(const char *s, size_t n,
                                citeconv_bibtex_name_parts *out);

/* Split a name in BibLaTeX's extended format ("family=Hakim,
 * given=Tawfiq, prefix=al-, useprefix=true"); false when it is not one. */
bool citeconv_bibtex_split_extended(const char *s, size_t n,
                                    citeconv_bibtex_name_parts *out);

/* Find the next name in a list: from *pos, skip to the start of the next
 * name, and return its span (ending before " and " at brace depth 0 or
 * at the end). Returns false when there is no more name. */
bool citeconv_bibtex_next_name(const char *s, size_t n, size_t *pos,
                               citeconv_bibtex_span *name);

/* ---- field and type tables (bibtex_map.c) ------------------------------- */

typedef enum citeconv_bibtex_kind {
  CITECONV_BIBTEX_K_TEXT,     /* LaTeX converted */
  CITECONV_BIBTEX_K_TITLE,    /* LaTeX converted, case protection kept */
  CITECONV_BIBTEX_K_VERBATIM, /* URL, DOI: verbatim */
  CITECONV_BIBTEX_K_NAMES,    /* a name list */
  CITECONV_BIBTEX_K_DATE,     /* an ISO/EDTF date */
  CITECONV_BIBTEX_K_PAGES,    /* page range */
  CITECONV_BIBTEX_K_KEYWORDS, /* list split on ',' or ';' */
  CITECONV_BIBTEX_K_SPECIAL   /* handled in code (year, month, number...) */
} citeconv_bibtex_kind;

typedef struct citeconv_bibtex_field_map {
  const char *name; /* lower case */
  citeconv_var var;
  citeconv_bibtex_kind kind;
} citeconv_bibtex_field_map;

/* The map entry for a lower-case field name, or NULL. */
const citeconv_bibtex_field_map *citeconv_bibtex_field_find(const char *name);
/* The CSL type for a lower-case entry type; *known is false for a type
 * the table does not list (the result is then CITECONV_TYPE_DOCUMENT). */
citeconv_type citeconv_bibtex_type_find(const char *name, bool *known);
/* The entry type the writers use for a CSL type. */
const char *citeconv_bibtex_type_for(citeconv_type t, bool biblatex,
                                     const char *genre, bool has_container);

/* Parse a date value (BibLaTeX/EDTF subset: 2001, 2001-02-03, ranges with
 * '/', open ends, '~' and '?' qualifiers, seasons 21-24). Returns false
 * when the value is not such a date. */
bool citeconv_bibtex_parse_date(const char *s, size_t n, citeconv_date *d);
/* Month from a month field value: 1..12, English names and abbreviations;
 * 21..24 for seasons; 0 when not a month. */
int citeconv_bibtex_parse_month(const char *s, size_t n);

/* Extras ("bibtex:NAME") that hold a value verbatim, not LaTeX. */
bool citeconv_bibtex_is_verbatim(const char *name);

/* ---- writers (bibtex_writer.c) ------------------------------------------ */

int citeconv_bibtex_writer_begin(citeconv_writer **out, citeconv_session *s,
                                 citeconv_output *o);
int citeconv_biblatex_writer_begin(citeconv_writer **out,
                                   citeconv_session *s, citeconv_output *o);
int citeconv_bibtex_writer_record(citeconv_writer *w,
                                  const citeconv_record *rec);
int citeconv_bibtex_writer_end(citeconv_writer *w);
void citeconv_bibtex_writer_free(citeconv_writer *w);

#endif
