/* MEDLINE writer (stub). */
#include <stdlib.h>

#include "medline.h"

int citeconv_ml_write_begin(citeconv_writer **out, citeconv_session *s,
                            citeconv_output *o)
{
  citeconv_writer *w = calloc(1, sizeof(*w));
  *out = NULL;
  if (!w)
    return CITECONV_ENOMEM;
  citeconv_writer_init(w, &citeconv_format_medline, s, o);
  *out = w;
  return 0;
}

int citeconv_ml_write_record(citeconv_writer *w, const citeconv_record *rec)
{
  (void)w;
  (void)rec;
  return 0;
}

int citeconv_ml_write_end(citeconv_writer *w)
{
  return citeconv_out_flush(w->out);
}

void citeconv_ml_write_free(citeconv_writer *w)
{
  free(w);
}
