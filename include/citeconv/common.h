/* Status codes, source positions and the export macro shared by every
 * public header of libciteconv. */
#ifndef CITECONV_COMMON_H
#define CITECONV_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "citeconv/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Status codes. A fallible function returns 0 or a negative code; a
 * reader's `next` also returns CITECONV_END (> 0) after the last record. */
enum {
  CITECONV_OK = 0,
  CITECONV_END = 1,
  CITECONV_ENOMEM = -1, /* an allocation failed */
  CITECONV_EIO = -2,    /* reading or writing a stream failed */
  CITECONV_EPARSE = -3, /* the input is broken beyond recovery */
  CITECONV_EUSAGE = -4, /* a bad argument, option or format name */
  CITECONV_ELIMIT = -5  /* a configured limit was exceeded */
};

/** A place in an input: lines and columns start at 1; columns count
 * characters (not bytes) of the original input. 0 means unknown. */
typedef struct citeconv_pos {
  uint32_t line;
  uint32_t col;
} citeconv_pos;

/** Fixed English text for a status code; never NULL, never to be freed. */
CITECONV_EXPORT const char *citeconv_strerror(int code);

#ifdef __cplusplus
}
#endif

#endif
