/* JATS module: names shared by its reader, writer and mapping tables. */
#ifndef CITECONV_JATS_H
#define CITECONV_JATS_H

#include "format.h"

/* Extras this module keeps under its own prefix. */
#define JATS_PREFIX "jats:"
#define JATS_PUBTYPE JATS_PREFIX "publication-type" /* when not canonical */
#define JATS_ELOCATION JATS_PREFIX "elocation-id"   /* page is an e-locator */
#define JATS_ISSN_TYPE JATS_PREFIX "issn-type"      /* one per ISSN, in order */
#define JATS_JOURNAL_ID JATS_PREFIX "journal-id-"   /* + journal-id-type */
#define JATS_ARTICLE_ID JATS_PREFIX "article-id-"   /* + pub-id-type */
#define JATS_PUB_ID JATS_PREFIX "pub-id-"           /* + pub-id-type */
#define JATS_PUB_DATE JATS_PREFIX "pub-date"        /* "type\tYYYY-MM-DD" */
#define JATS_DATE_TYPE JATS_PREFIX "issued-type"    /* pub-type of issued */
#define JATS_SUBTITLE JATS_PREFIX "subtitle"
#define JATS_ARTICLE_TYPE JATS_PREFIX "article-type"
#define JATS_LABEL JATS_PREFIX "label"
#define JATS_ASSIGNEE JATS_PREFIX "assignee"
#define JATS_SECTION JATS_PREFIX "abstract-section" /* a section's title */
/* Links from a reference to the article that cites it (format-neutral,
 * the names the other readers use). */
#define JATS_CITING_DOI "citing-doi"
#define JATS_CITING_PMID "citing-pmid"
#define JATS_CITING_PMCID "citing-pmcid"

/* The CSL type for a publication-type / citation-type value, or -1 when
 * the value is unknown. */
int citeconv_jats_type_from_pubtype(const char *s);
/* The publication-type the writer uses for a CSL type. */
const char *citeconv_jats_pubtype_of(int type);
/* The record role for a person-group-type or contrib-type value, or
 * CITECONV_VAR_NONE when unknown. */
citeconv_var citeconv_jats_role_from_group(const char *s);
/* The person-group-type for a record role, or NULL when JATS has none. */
const char *citeconv_jats_group_of_role(citeconv_var role);

int citeconv_jats_write_begin(citeconv_writer **out, citeconv_session *s,
                              citeconv_output *o);
int citeconv_jats_write_record(citeconv_writer *w, const citeconv_record *rec);
int citeconv_jats_write_end(citeconv_writer *w);
void citeconv_jats_write_free(citeconv_writer *w);

#endif
