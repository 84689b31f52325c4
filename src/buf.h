/* A growable byte buffer with a ceiling, for building field values. */
#ifndef CITECONV_SRC_BUF_H
#define CITECONV_SRC_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "copy.h"

typedef struct citeconv_buf {
  char *data; /* always NUL-terminated when not NULL */
  size_t len, cap;
  size_t max;    /* 0: no ceiling */
  bool overflow; /* an append was refused by the ceiling */
} citeconv_buf;

#define CITECONV_BUF_INIT {NULL, 0, 0, 0, false}

/* Append; returns 0, CITECONV_ENOMEM, or CITECONV_ELIMIT (ceiling; the
 * buffer keeps what fitted and `overflow` is set). Inline when it fits. */
int citeconv_buf_add_slow(citeconv_buf *b, const char *s, size_t n);
static inline int citeconv_buf_add(citeconv_buf *b, const char *s, size_t n)
{
  if (b->data && n < b->cap - b->len &&
      (!b->max || (b->len <= b->max && n <= b->max - b->len))) {
    citeconv_copy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
  }
  return citeconv_buf_add_slow(b, s, n);
}
/* One byte; inline, as readers call it for most of their input. */
static inline int citeconv_buf_addc(citeconv_buf *b, char c)
{
  if (b->len + 1 < b->cap && (!b->max || b->len < b->max)) {
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
    return 0;
  }
  return citeconv_buf_add_slow(b, &c, 1);
}
int citeconv_buf_adds(citeconv_buf *b, const char *s);
/* Append a code point as UTF-8. */
int citeconv_buf_add_cp(citeconv_buf *b, unsigned cp);
int citeconv_buf_printf(citeconv_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static inline void citeconv_buf_clear(citeconv_buf *b)
{
  b->len = 0;
  b->overflow = false;
  if (b->data)
    b->data[0] = '\0';
}
/* Room for n more bytes without growing again; 0 or CITECONV_ENOMEM. */
int citeconv_buf_reserve(citeconv_buf *b, size_t n);
void citeconv_buf_free(citeconv_buf *b);

#endif
