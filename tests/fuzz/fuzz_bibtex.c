/* libFuzzer target: the BibTeX reader (grammar, LaTeX, names, crossref
 * queue), every record also written in every writable format. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  return fuzz_read_format("bibtex", data, size);
}
