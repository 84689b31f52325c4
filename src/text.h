/* Text helpers: UTF-8, Unicode normalisation and case (ICU), markup. */
#ifndef CITECONV_SRC_TEXT_H
#define CITECONV_SRC_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"

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

/* Whether the eight bytes of x hold a byte equal to c (exact as to
 * whether there is one; which byte is not told). For scanners that skip
 * plain text a word at a time. */
static inline uint64_t citeconv_word_has_byte(uint64_t x, unsigned char c)
{
  const uint64_t ones = 0x0101010101010101ull;
  uint64_t t = x ^ (ones * c);
  return (t - ones) & ~t & (ones * 0x80);
}

/* Whether x holds a byte below c (c at most 0x80; exact as to whether
 * there is one). */
static inline uint64_t citeconv_word_has_less(uint64_t x, unsigned char c)
{
  const uint64_t ones = 0x0101010101010101ull;
  return (x - ones * c) & ~x & (ones * 0x80);
}

/* How many of the eight bytes of x are UTF-8 continuation bytes
 * (10xxxxxx: the top bit set, the next clear). */
static inline size_t citeconv_word_utf8_cont(uint64_t x)
{
  const uint64_t ones = 0x0101010101010101ull;
  return (size_t)(((((x & ~(x << 1)) & (ones * 0x80)) >> 7) * ones) >> 56);
}

/* How many bytes of a word loaded from memory come before the first byte
 * flagged in mask (a non-zero result of the tests above, whose lowest
 * flag is always exact); 0 where that cannot be told cheaply, which
 * callers take as "look at the bytes one by one from here". */
static inline size_t citeconv_word_first(uint64_t mask)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && \
    (defined(__GNUC__) || defined(__clang__))
  return (size_t)__builtin_ctzll(mask) >> 3;
#else
  (void)mask;
  return 0;
#endif
}

/* The first k bytes (k < 8) of a word from citeconv_word_first, the others
 * cleared: for counting within them. */
static inline uint64_t citeconv_word_head(uint64_t x, size_t k)
{
  return x & ((1ull << (8 * k)) - 1);
}

/* The length of the run at p[0..n) before the first byte that `stops`
 * flags (a mask from the tests above), eight bytes at a time; *cont
 * counts the UTF-8 continuation bytes in it. The last n % 8 bytes, and
 * what citeconv_word_first cannot place, are left to the caller. */
static inline size_t citeconv_word_run(const unsigned char *p, size_t n,
                                       uint64_t (*stops)(uint64_t),
                                       size_t *cont)
{
  size_t k = 0;
  while (n - k >= 8) {
    uint64_t x, m;
    memcpy(&x, p + k, 8);
    m = stops(x);
    if (m) {
      size_t f = citeconv_word_first(m);
      *cont += citeconv_word_utf8_cont(citeconv_word_head(x, f));
      return k + f;
    }
    if (x & 0x8080808080808080ull) /* ASCII has none to count */
      *cont += citeconv_word_utf8_cont(x);
    k += 8;
  }
  return k;
}

#endif
