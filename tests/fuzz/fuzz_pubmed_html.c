/* libFuzzer target: the pubmed-html reader (and every writer). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  return fuzz_read_format("pubmed-html", data, size);
}
