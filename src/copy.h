/* Copying short byte strings without a call: most of what readers and
 * writers append is a few bytes long (a name, a key, a run of text between
 * two characters that need escaping). */
#ifndef CITECONV_SRC_COPY_H
#define CITECONV_SRC_COPY_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* memcpy(dst, src, n): up to sixteen bytes as the first and the last
 * word of the text (which overlap when it is shorter than two words),
 * both read before either is written; longer ones through memcpy. */
static inline void citeconv_copy(void *to, const void *from, size_t n)
{
  unsigned char *dst = to;
  const unsigned char *src = from;
  if (n > 16) {
    memcpy(dst, src, n);
  } else if (n >= 8) {
    uint64_t a, b;
    memcpy(&a, src, 8);
    memcpy(&b, src + n - 8, 8);
    memcpy(dst, &a, 8);
    memcpy(dst + n - 8, &b, 8);
  } else if (n >= 4) {
    uint32_t a, b;
    memcpy(&a, src, 4);
    memcpy(&b, src + n - 4, 4);
    memcpy(dst, &a, 4);
    memcpy(dst + n - 4, &b, 4);
  } else if (n > 0) {
    unsigned char a = src[0], b = src[n / 2], c = src[n - 1];
    dst[0] = a;
    dst[n / 2] = b;
    dst[n - 1] = c;
  }
}

#endif
