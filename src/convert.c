/* Readers, writers and the pipeline that pulls one record at a time from a
 * reader and hands it to a writer. */
#include <stdio.h>
#include <string.h>

#include "format.h"

#define DETECT_BYTES 8192

void citeconv_reader_init(citeconv_reader *r, const citeconv_format *f,
                          citeconv_session *s, citeconv_input *in)
{
  r->format = f;
  r->session = s;
  r->in = in;
  r->file = citeconv_input_name(in);
  r->nrecords = 0;
  r->max_records = citeconv_session_option_size(s, "max-records");
  r->past_limit = false;
}

void citeconv_writer_init(citeconv_writer *w, const citeconv_format *f,
                          citeconv_session *s, citeconv_output *o)
{
  w->format = f;
  w->session = s;
  w->out = o;
  w->nrecords = 0;
}

void citeconv_reader_diag(citeconv_reader *r, const citeconv_pos *pos,
                          citeconv_diag_code code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  citeconv_diag_emitv(r->session, r->file, pos, r->nrecords + 1, code,
                      citeconv_diag_code_severity(code), fmt, ap);
  va_end(ap);
}

void citeconv_writer_not_carried(citeconv_writer *w,
                                 const citeconv_record *rec, const char *what)
{
  const char *id = citeconv_record_text(rec, CITECONV_VAR_ID);
  citeconv_pos pos = citeconv_record_pos(rec);
  citeconv_diag_emit(w->session, citeconv_record_file(rec), &pos,
                     w->nrecords + 1, CITECONV_D_NOT_CARRIED,
                     "%s has no place in %s output%s%s%s; it was left out",
                     what, w->format->name, id ? " (record '" : "",
                     id ? id : "", id ? "')" : "");
}

int citeconv_reader_open(citeconv_reader **out, citeconv_session *s,
                         const citeconv_format *f, citeconv_input *in)
{
  *out = NULL;
  if (!f) {
    size_t n = citeconv_input_fill(in, DETECT_BYTES);
    if (in->error)
      return citeconv_session_fail(s, CITECONV_EIO, "%s: cannot read input",
                                   citeconv_input_name(in));
    f = citeconv_format_detect(citeconv_input_data(in), n);
    if (!f) {
      citeconv_pos pos = {1, 1};
      citeconv_diag_emit(s, citeconv_input_name(in), &pos, 0,
                         CITECONV_D_UNKNOWN_FORMAT,
                         n ? "cannot tell the input's format; name it with -f"
                           : "the input is empty; name its format with -f");
      return citeconv_session_fail(
          s, CITECONV_EPARSE, "%s: the input is in no format citeconv reads",
          citeconv_input_name(in));
    }
  }
  if (!f->open)
    return citeconv_session_fail(s, CITECONV_EUSAGE,
                                 "format '%s' cannot be read", f->name);
  return f->open(out, s, in);
}

int citeconv_reader_next(citeconv_record **out, citeconv_reader *r)
{
  int rc;
  *out = NULL;
  if (r->past_limit)
    return CITECONV_END;
  rc = r->format->next(out, r);
  if (rc == 0 && r->max_records && r->nrecords >= r->max_records) {
    /* One record too many: say where the limit struck and read no more,
     * so what was read so far still makes a complete output. */
    citeconv_pos pos = citeconv_record_pos(*out);
    citeconv_reader_diag(r, &pos, CITECONV_D_LIMIT,
                         "more than max-records (%zu) records in this input; "
                         "this record and the rest are not read",
                         r->max_records);
    citeconv_record_free(*out);
    *out = NULL;
    r->past_limit = true;
    return CITECONV_END;
  }
  if (rc == 0)
    r->nrecords++;
  return rc;
}

const citeconv_format *citeconv_reader_format(const citeconv_reader *r)
{
  return r->format;
}

void citeconv_reader_close(citeconv_reader *r)
{
  if (r)
    r->format->close(r);
}

int citeconv_writer_begin(citeconv_writer **out, citeconv_session *s,
                          const citeconv_format *f, citeconv_output *o)
{
  *out = NULL;
  if (!f->begin)
    return citeconv_session_fail(s, CITECONV_EUSAGE,
                                 "format '%s' cannot be written", f->name);
  return f->begin(out, s, o);
}

int citeconv_writer_record(citeconv_writer *w, const citeconv_record *rec)
{
  int rc = w->format->record(w, rec);
  if (rc == 0)
    w->nrecords++;
  return rc;
}

int citeconv_writer_end(citeconv_writer *w)
{
  return w->format->end(w);
}

void citeconv_writer_free(citeconv_writer *w)
{
  if (w)
    w->format->free(w);
}

int citeconv_convert(citeconv_reader *r, citeconv_writer *w)
{
  citeconv_record *rec;
  int rc;
  while ((rc = citeconv_reader_next(&rec, r)) == 0) {
    rc = citeconv_writer_record(w, rec);
    citeconv_record_free(rec);
    if (rc < 0)
      return rc;
  }
  return rc == CITECONV_END ? 0 : rc;
}
