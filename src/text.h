/* Text helpers: UTF-8, Unicode normalisation and case (ICU), markup. */
#ifndef CITECONV_SRC_TEXT_H
#define CITECONV_SRC_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "vec.h"

/* ASCII white space: space, tab, LF, VT, FF and CR. One test of a bit in
 * a mask of the bytes up to the space; -1 (the end of input) and bytes
 * from 0x80 are not. */
static inline bool citeconv_is_space(int c)
{
  return (unsigned)c <= ' ' &&
         ((UINT64_C(1) << ' ' | UINT64_C(0x3E00)) >> c & 1u);
}

/* Decode one UTF-8 sequence at s[0..n); returns the code point and sets
 * *adv to its length, or returns -1 (and *adv = 1) for an invalid one. */
long citeconv_utf8_decode(const unsigned char *s, size_t n, size_t *adv);
/* Whether s[0..n) is well-formed UTF-8 (no surrogates, no overlongs). When
 * not, *bad (if given) is the byte offset of the first bad sequence. */
bool citeconv_utf8_valid(const char *s, size_t n, size_t *bad);
/* Number of code points in s[0..n) (invalid bytes count as one each). */
size_t citeconv_utf8_count(const char *s, size_t n);
/* Whether s[0..n) is all ASCII. */
bool citeconv_text_is_ascii(const char *s, size_t n);

/* Append s[0..n) to `out` in NFC, invalid UTF-8 replaced by U+FFFD.
 * Returns 0, CITECONV_ENOMEM or CITECONV_ELIMIT. */
int citeconv_text_nfc(citeconv_buf *out, const char *s, size_t n);
/* Whether s[0..n) needs no change to be valid UTF-8 in NFC (a quick
 * test: false means "maybe not"). */
bool citeconv_text_quick_nfc(const char *s, size_t n);
/* Append s[0..n) case-folded (ICU full case folding), NFC. */
int citeconv_text_casefold(citeconv_buf *out, const char *s, size_t n);
/* Append s[0..n) with the record's markup tags (<i>, <b>, <sup>, <sub>,
 * <sc>, nocase, nodecor and small-caps spans) removed; a </span> that
 * closes none of those spans is text. */
int citeconv_text_strip_markup(citeconv_buf *out, const char *s, size_t n);
/* Append s[0..n) with runs of white space folded to one space and the
 * ends trimmed. */
int citeconv_text_squeeze(citeconv_buf *out, const char *s, size_t n);
/* Append s[0..n) as XML text: &, <, > and " as entities, and control
 * characters other than tab, line feed and carriage return, which XML 1.0
 * does not allow, as spaces. With html, ' is &#39; and a carriage return
 * a space too. */
int citeconv_text_xml_escape(citeconv_buf *out, const char *s, size_t n,
                             bool html);

/* n in decimal at buf (room for 21 bytes), NUL-terminated; returns the
 * length. For numbers in hot output paths, where printf costs more than
 * the rest of the line. */
static inline size_t citeconv_decimal(char *buf, long long n)
{
  char t[20];
  size_t k = 0, len = 0;
  unsigned long long u = n < 0 ? 0ull - (unsigned long long)n
                               : (unsigned long long)n;
  do {
    t[k++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (n < 0)
    buf[len++] = '-';
  while (k)
    buf[len++] = t[--k];
  buf[len] = '\0';
  return len;
}

#endif
