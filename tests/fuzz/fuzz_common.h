/* Shared body of the reader fuzz targets: read every record of the input
 * as one format and write each to a memory output in every writable
 * format, so readers and writers are exercised together. */
#ifndef CITECONV_FUZZ_COMMON_H
#define CITECONV_FUZZ_COMMON_H

#include <stdint.h>
#include <stdlib.h>

#include "citeconv/citeconv.h"

static void fuzz_ignore_diag(const citeconv_diag *d, void *payload)
{
  (void)d;
  (void)payload;
}

static inline int fuzz_read_format(const char *format, const uint8_t *data,
                                   size_t size)
{
  citeconv_session *s = NULL;
  citeconv_input *in = NULL;
  citeconv_reader *r = NULL;
  citeconv_output *outs[16] = {0};
  citeconv_writer *ws[16] = {0};
  size_t nw = 0;
  citeconv_record *rec;

  if (citeconv_session_new(&s) < 0)
    return 0;
  citeconv_session_set_diag_cb(s, fuzz_ignore_diag, NULL);
  /* Small limits, so the fuzzer reaches them. */
  citeconv_session_set_option(s, "max-depth", "64");
  citeconv_session_set_option(s, "max-field-bytes", "65536");
  citeconv_session_set_option(s, "max-names", "200");
  if (citeconv_input_open_memory(&in, data, size, "fuzz") < 0)
    goto done;
  for (size_t i = 0; i < citeconv_format_count() && nw < 16; i++) {
    const citeconv_format *f = citeconv_format_at(i);
    if (!citeconv_format_can_write(f))
      continue;
    if (citeconv_output_open_memory(&outs[nw]) < 0)
      break;
    if (citeconv_writer_begin(&ws[nw], s, f, outs[nw]) < 0) {
      citeconv_output_close(outs[nw]);
      outs[nw] = NULL;
      continue;
    }
    nw++;
  }
  if (citeconv_reader_open(&r, s, format ? citeconv_format_find(format) : NULL,
                           in) < 0)
    goto done;
  while (citeconv_reader_next(&rec, r) == 0) {
    for (size_t i = 0; i < nw; i++)
      citeconv_writer_record(ws[i], rec);
    citeconv_record_free(rec);
  }
  for (size_t i = 0; i < nw; i++)
    citeconv_writer_end(ws[i]);
done:
  for (size_t i = 0; i < nw; i++) {
    citeconv_writer_free(ws[i]);
    citeconv_output_close(outs[i]);
  }
  citeconv_reader_close(r);
  citeconv_input_free(in);
  citeconv_session_free(s);
  return 0;
}

#endif
