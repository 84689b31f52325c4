/* PubMed/MEDLINE XML module: names shared by its reader and writer. */
#ifndef CITECONV_PUBMED_XML_H
#define CITECONV_PUBMED_XML_H

#include "format.h"

/* Extras this module keeps under its own prefix. */
#define PX_PREFIX "pubmed-xml:"
/* MeSH headings as MEDLINE writes them: Descriptor/Qualifier, with an
 * asterisk before each major topic. */
#define PX_MESH PX_PREFIX "mesh"
#define PX_PUBTYPE PX_PREFIX "PublicationType"
#define PX_SECTION PX_PREFIX "abstract-section"  /* "Label\tNlmCategory" */
#define PX_COPYRIGHT PX_PREFIX "CopyrightInformation"
#define PX_CITATION PX_PREFIX "Citation"         /* a Reference's text */
#define PX_ISSN_TYPE PX_PREFIX "IssnType"
#define PX_STATUS PX_PREFIX "PublicationStatus"
#define PX_ARTICLEID PX_PREFIX "articleid-"      /* + IdType */
#define PX_ELOCATION PX_PREFIX "elocation-"      /* + EIdType */
#define PX_CITING "citing-pmid"                  /* format-neutral */

/* Element names whose whole XML the reader keeps verbatim in an extra
 * "pubmed-xml:NAME" and the writer puts back in its place. */
int citeconv_px_is_verbatim(const char *name);

int citeconv_px_write_begin(citeconv_writer **out, citeconv_session *s,
                            citeconv_output *o);
int citeconv_px_write_record(citeconv_writer *w, const citeconv_record *rec);
int citeconv_px_write_end(citeconv_writer *w);
void citeconv_px_write_free(citeconv_writer *w);

#endif
