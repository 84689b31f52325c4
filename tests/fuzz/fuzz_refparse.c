/* libFuzzer target: the reference-string parser on one string. */
#include <stdint.h>
#include <stdlib.h>

#include "refparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  citeconv_record *rec;
  citeconv_refparse_result res;
  citeconv_pos pos = {1, 1};
  if (citeconv_record_new(&rec) < 0)
    return 0;
  citeconv_refparse(rec, (const char *)data, size, pos, &res);
  citeconv_record_free(rec);
  return 0;
}
