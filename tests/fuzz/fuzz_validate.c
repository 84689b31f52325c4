/* Fuzz target for the validator: read the input as CSL-JSON, where any
 * string can sit in any field, then check every record, fix it, check it
 * again, and finish the list. (Readers have fuzz targets of their own.) */
#include <stdint.h>
#include <stdlib.h>

#include "citeconv/citeconv.h"
#include "citeconv/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore_diag(const citeconv_diag *d, void *payload)
{
  (void)d;
  (void)payload;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  citeconv_session *s = NULL;
  citeconv_input *in = NULL;
  citeconv_reader *r = NULL;
  citeconv_check *ck = NULL;
  citeconv_record *rec;

  if (citeconv_session_new(&s) < 0)
    return 0;
  citeconv_session_set_diag_cb(s, ignore_diag, NULL);
  citeconv_session_set_option(s, "max-depth", "64");
  citeconv_session_set_option(s, "max-field-bytes", "65536");
  citeconv_session_set_option(s, "max-names", "200");
  if (citeconv_check_new(&ck, s) < 0 ||
      citeconv_input_open_memory(&in, data, size, "fuzz") < 0 ||
      citeconv_reader_open(&r, s, citeconv_format_find("csl-json"), in) < 0)
    goto done;
  while (citeconv_reader_next(&rec, r) == 0) {
    /* Check the record as read, then fix it and check it again. */
    citeconv_check_record(ck, rec);
    citeconv_check_fix(ck, rec);
    citeconv_check_record(ck, rec);
    citeconv_record_free(rec);
  }
  citeconv_check_finish(ck);
done:
  citeconv_reader_close(r);
  citeconv_input_free(in);
  citeconv_check_free(ck);
  citeconv_session_free(s);
  return 0;
}
