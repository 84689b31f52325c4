/* libFuzzer target: the RIS reader (with charset detection), every record
 * also written in every writable format. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  return fuzz_read_format("ris", data, size);
}
