/* CSL-JSON module: private declarations shared by its reader and writer. */
#ifndef CITECONV_CSL_JSON_H
#define CITECONV_CSL_JSON_H

#include "format.h"

/* The custom-object key under which truncated name lists travel, so that
 * "et al." survives a round trip (CSL has no variable for it). */
#define CSL_JSON_TRUNCATED_KEY "citeconv:truncated"
/* The custom-object key for what CSL names cannot hold: ORCID and
 * affiliations, as [{"role": "author", "index": 0, "ORCID": "...",
 * "affiliation": ["..."]}, ...] (index counts names within the role). */
#define CSL_JSON_NAME_DETAILS_KEY "citeconv:name-details"

int citeconv_csl_json_open(citeconv_reader **out, citeconv_session *s,
                  citeconv_input *in, const citeconv_format *f);
int citeconv_csl_json_next(citeconv_record **out, citeconv_reader *r);
void citeconv_csl_json_close(citeconv_reader *r);
int citeconv_csl_json_detect(const unsigned char *head, size_t len);

#endif
