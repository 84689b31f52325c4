/* Growable byte buffers with a ceiling. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "citeconv/common.h"

static int grow(citeconv_buf *b, size_t extra)
{
  size_t need, cap;
  char *p;
  if (extra > SIZE_MAX - b->len - 1)
    return CITECONV_ENOMEM;
  need = b->len + extra + 1;
  if (need <= b->cap)
    return 0;
  cap = b->cap ? b->cap : 64;
  while (cap < need)
    cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  p = realloc(b->data, cap);
  if (!p)
    return CITECONV_ENOMEM;
  b->data = p;
  b->cap = cap;
  return 0;
}

int citeconv_buf_reserve(citeconv_buf *b, size_t n)
{
  int rc = grow(b, n);
  if (rc == 0 && b->len == 0)
    b->data[0] = '\0';
  return rc;
}

int citeconv_buf_add_slow(citeconv_buf *b, const char *s, size_t n)
{
  int rc = 0;
  if (b->max && n > b->max - (b->len < b->max ? b->len : b->max)) {
    n = b->len < b->max ? b->max - b->len : 0;
    b->overflow = true;
    rc = CITECONV_ELIMIT;
  }
  if ((n >= b->cap - b->len || !b->data) && grow(b, n) < 0)
    return CITECONV_ENOMEM;
  if (n)
    memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
  return rc;
}

int citeconv_buf_adds(citeconv_buf *b, const char *s)
{
  return citeconv_buf_add(b, s, strlen(s));
}

int citeconv_buf_add_cp(citeconv_buf *b, unsigned cp)
{
  char u[4];
  size_t n;
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    cp = 0xFFFD;
  if (cp < 0x80) {
    u[0] = (char)cp;
    n = 1;
  } else if (cp < 0x800) {
    u[0] = (char)(0xC0 | (cp >> 6));
    u[1] = (char)(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    u[0] = (char)(0xF0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  return citeconv_buf_add(b, u, n);
}

int citeconv_buf_printf(citeconv_buf *b, const char *fmt, ...)
{
  va_list ap;
  char small[256];
  int n;
  va_start(ap, fmt);
  n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0)
    return CITECONV_EUSAGE;
  if ((size_t)n < sizeof small)
    return citeconv_buf_add(b, small, (size_t)n);
  if (grow(b, (size_t)n) < 0)
    return CITECONV_ENOMEM;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
  return 0;
}

void citeconv_buf_free(citeconv_buf *b)
{
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
  b->overflow = false;
}
