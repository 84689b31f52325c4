/* MEDLINE (nbib) module: names shared by its reader and writer. */
#ifndef CITECONV_MEDLINE_H
#define CITECONV_MEDLINE_H

#include "format.h"

/* Tags with no record variable are kept as extras "medline:TAG". */
#define ML_PREFIX "medline:"

int citeconv_ml_write_begin(citeconv_writer **out, citeconv_session *s,
                            citeconv_output *o);
int citeconv_ml_write_record(citeconv_writer *w, const citeconv_record *rec);
int citeconv_ml_write_end(citeconv_writer *w);
void citeconv_ml_write_free(citeconv_writer *w);

#endif
