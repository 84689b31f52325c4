/* RIS module: the tag and type tables shared by the reader and the
 * writer. */
#ifndef CITECONV_FORMATS_RIS_H
#define CITECONV_FORMATS_RIS_H

#include <stdbool.h>
#include <stddef.h>

#include "citeconv/record.h"

/* Groups of RIS types whose tags mean something else (T2 of a book is its
 * series, M1 of a patent its number). */
enum {
  RIS_G_BOOK = 1 << 0,     /* whole books: T2 is the series, SN an ISBN */
  RIS_G_NUMBERED = 1 << 1, /* reports, bills: M1 is the number */
  RIS_G_PATENT = 1 << 2,   /* patents: A2 the issuing organisation, PB the
                              assignee, M1 the application number, SN the
                              patent number */
  RIS_G_ALL = (1 << 3) - 1
};

/* What the reader does with a tag's value. */
typedef enum ris_action {
  RIS_A_TEXT,   /* a single-valued variable; later values become extras */
  RIS_A_MULTI,  /* a variable with one value per tag (keywords, notes) */
  RIS_A_NOTE,   /* N1: a note, or "variable: value" the writer made */
  RIS_A_NAME,   /* a name in `var`'s role */
  RIS_A_DATE,   /* a date variable */
  RIS_A_DATE_PRIMARY, /* DA: wins over PY/Y1 */
  RIS_A_SP,     /* start page, or the whole range */
  RIS_A_EP,     /* end page */
  RIS_A_SN,     /* ISSN or ISBN, by content and type */
  RIS_A_DOI,    /* a DOI, maybe as a URL or with "doi:" */
  RIS_A_URL,    /* the URL; a doi.org URL also gives the DOI */
  RIS_A_LINK,   /* L1-L4: kept as an extra; a DOI in it gives the DOI */
  RIS_A_BT,     /* book title: the title of a book, else the container */
  RIS_A_JO,     /* JO: the journal's abbreviation (Zotero), and its name
                   when no other tag gives one */
  RIS_A_AD,     /* author address: an author's affiliation, or an extra */
  RIS_A_EXTRA   /* known tag with no variable: an extra "ris:TAG" */
} ris_action;

/* How a continuation line (a line with no tag) joins the value. */
typedef enum ris_join {
  RIS_J_SPACE,   /* wrapped text: one space */
  RIS_J_NEWLINE, /* abstracts and notes: a new line */
  RIS_J_SPLIT    /* keywords: a value of its own */
} ris_join;

typedef struct ris_tag {
  const char *tag;
  ris_action action;
  citeconv_var var;
  ris_join join;
  citeconv_var book_var;     /* for RIS_G_BOOK types; NONE: same as var */
  citeconv_var numbered_var; /* for RIS_G_NUMBERED types; NONE: same */
} ris_tag;

typedef struct ris_type {
  const char *ris;
  citeconv_type csl;
  unsigned groups;
} ris_type;

/* The tag for a spelling (2 to 4 characters), or NULL. */
const ris_tag *citeconv_ris_tag_find(const char *tag, size_t len);
/* The same lookup through an index of the two-character tags ([A-Z0-9]
 * twice), built once per reader. */
typedef struct ris_tag_index {
  unsigned char slot[36 * 36]; /* the table entry plus one; 0: none */
} ris_tag_index;
void citeconv_ris_tag_index_build(ris_tag_index *idx);
const ris_tag *citeconv_ris_tag_lookup(const ris_tag_index *idx,
                                       const char *tag, size_t len);
/* Tags a patent (TY PAT) reads its own way: true with the variable, or
 * NONE for a tag kept as an extra; false for a tag read as elsewhere. */
bool citeconv_ris_patent_var(const char *tag, citeconv_var *var);
/* The variable a tag gives for a type group. */
citeconv_var citeconv_ris_tag_var(const ris_tag *t, unsigned groups);
/* The RIS type of a spelling ("JOUR"), or NULL. */
const ris_type *citeconv_ris_type_find(const char *s, size_t len);
/* The RIS type the writer uses for a CSL type. */
const ris_type *citeconv_ris_type_for_csl(citeconv_type t);

/* The writer's tag for a TEXT or NUMBER variable, or a name role, or a
 * date, in a type group; NULL when RIS has none (the writer then puts
 * "variable: value" in N1, which the reader reads back). */
const char *citeconv_ris_var_tag(citeconv_var v, unsigned groups);

/* The writer's steps, for the format table in ris_reader.c. */
struct citeconv_writer;
struct citeconv_session;
struct citeconv_output;
int citeconv_ris_write_begin(struct citeconv_writer **out,
                             struct citeconv_session *s,
                             struct citeconv_output *o);
int citeconv_ris_write_record(struct citeconv_writer *w,
                              const citeconv_record *rec);
int citeconv_ris_write_end(struct citeconv_writer *w);
void citeconv_ris_write_free(struct citeconv_writer *w);

#endif
