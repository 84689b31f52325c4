/* Byte scanning a vector at a time: the tests that let scanners skip
 * plain text without looking at each byte.
 *
 * A vector is sixteen bytes where the compiler targets SSE2 (every x86-64
 * compiler does), and eight bytes in a 64-bit word elsewhere or when
 * CITECONV_NO_SIMD is defined. Both give the same answers: a test flags
 * exactly the bytes that pass it, and citeconv_vec_mask turns the flags
 * into one bit per byte, bit 0 for the first byte. */
#ifndef CITECONV_SRC_VEC_H
#define CITECONV_SRC_VEC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__) && !defined(CITECONV_NO_SIMD)
#include <emmintrin.h>

#define CITECONV_VEC 16
typedef __m128i citeconv_vec;

static inline citeconv_vec citeconv_vec_load(const unsigned char *p)
{
  return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* Bytes equal to c. */
static inline citeconv_vec citeconv_vec_eq(citeconv_vec x, unsigned char c)
{
  return _mm_cmpeq_epi8(x, _mm_set1_epi8((char)c));
}

/* Bytes from lo to hi, both included. */
static inline citeconv_vec citeconv_vec_in(citeconv_vec x, unsigned char lo,
                                           unsigned char hi)
{
  __m128i t = _mm_sub_epi8(x, _mm_set1_epi8((char)lo));
  return _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8((char)(hi - lo))), t);
}

/* Bytes from 0x80 up: their top bit is the flag. */
static inline citeconv_vec citeconv_vec_high(citeconv_vec x)
{
  return x;
}

static inline citeconv_vec citeconv_vec_or(citeconv_vec a, citeconv_vec b)
{
  return _mm_or_si128(a, b);
}

/* Each byte with the bits of c set: with 0x20, ASCII letters in lower
 * case, and the five bytes 0x5B to 0x5F on the five from 0x7B. */
static inline citeconv_vec citeconv_vec_set_bits(citeconv_vec x,
                                                 unsigned char c)
{
  return _mm_or_si128(x, _mm_set1_epi8((char)c));
}

static inline unsigned citeconv_vec_mask(citeconv_vec t)
{
  return (unsigned)_mm_movemask_epi8(t);
}

/* UTF-8 continuation bytes (10xxxxxx). */
static inline citeconv_vec citeconv_vec_cont(citeconv_vec x)
{
  return _mm_cmpeq_epi8(_mm_and_si128(x, _mm_set1_epi8((char)0xC0)),
                        _mm_set1_epi8((char)0x80));
}

#else

#define CITECONV_VEC 8
typedef uint64_t citeconv_vec;

#define CITECONV_VEC_ONES 0x0101010101010101ull
#define CITECONV_VEC_LOW7 0x7F7F7F7F7F7F7F7Full
#define CITECONV_VEC_HIGH 0x8080808080808080ull

static inline citeconv_vec citeconv_vec_load(const unsigned char *p)
{
  uint64_t x;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  memcpy(&x, p, 8);
#else
  /* Byte i in bits 8i to 8i + 7, whatever the machine's byte order. */
  x = 0;
  for (int i = 7; i >= 0; i--)
    x = x << 8 | p[i];
#endif
  return x;
}

/* The top bit of each zero byte of t: the low seven bits are added so
 * that no carry crosses into the next byte, which keeps the test exact. */
static inline citeconv_vec citeconv_vec_zero(uint64_t t)
{
  return ~(((t & CITECONV_VEC_LOW7) + CITECONV_VEC_LOW7) | t) &
         CITECONV_VEC_HIGH;
}

static inline citeconv_vec citeconv_vec_eq(citeconv_vec x, unsigned char c)
{
  return citeconv_vec_zero(x ^ (CITECONV_VEC_ONES * c));
}

/* Whether a >= b in each byte, as top-bit flags: the low seven bits are
 * compared with the top bit set on a's side, so no borrow leaves a byte,
 * and the top bits decide where they differ. */
static inline citeconv_vec citeconv_vec_ge_(uint64_t a, uint64_t b)
{
  uint64_t ah = a & CITECONV_VEC_HIGH, bh = b & CITECONV_VEC_HIGH;
  uint64_t low = ((a | CITECONV_VEC_HIGH) - (b & CITECONV_VEC_LOW7)) &
                 CITECONV_VEC_HIGH;
  return (ah & ~bh) | (~(ah ^ bh) & low & CITECONV_VEC_HIGH);
}

static inline citeconv_vec citeconv_vec_in(citeconv_vec x, unsigned char lo,
                                           unsigned char hi)
{
  return citeconv_vec_ge_(x, CITECONV_VEC_ONES * lo) &
         citeconv_vec_ge_(CITECONV_VEC_ONES * hi, x);
}

static inline citeconv_vec citeconv_vec_high(citeconv_vec x)
{
  return x & CITECONV_VEC_HIGH;
}

static inline citeconv_vec citeconv_vec_or(citeconv_vec a, citeconv_vec b)
{
  return a | b;
}

static inline citeconv_vec citeconv_vec_set_bits(citeconv_vec x,
                                                 unsigned char c)
{
  return x | (CITECONV_VEC_ONES * c);
}

static inline unsigned citeconv_vec_mask(citeconv_vec t)
{
  /* Bit 7 of byte i goes to bit 56 + i; no two products meet. */
  return (unsigned)(((t >> 7) * 0x0102040810204080ull) >> 56);
}

static inline citeconv_vec citeconv_vec_cont(citeconv_vec x)
{
  return citeconv_vec_eq(x & (CITECONV_VEC_ONES * 0xC0), 0x80);
}

#endif

/* The position of the lowest bit set in m (m not zero). */
static inline unsigned citeconv_mask_first(unsigned m)
{
#if defined(__GNUC__) || defined(__clang__)
  return (unsigned)__builtin_ctz(m);
#else
  unsigned k = 0;
  while (!(m & 1u)) {
    m >>= 1;
    k++;
  }
  return k;
#endif
}

/* The position of the highest bit set in m (m not zero). */
static inline unsigned citeconv_mask_last(unsigned m)
{
#if defined(__GNUC__) || defined(__clang__)
  return 31u - (unsigned)__builtin_clz(m);
#else
  unsigned k = 0;
  while (m >>= 1)
    k++;
  return k;
#endif
}

/* The number of bits set in m (at most sixteen of them). */
static inline unsigned citeconv_mask_count(unsigned m)
{
  m = m - ((m >> 1) & 0x5555u);
  m = (m & 0x3333u) + ((m >> 2) & 0x3333u);
  m = (m + (m >> 4)) & 0x0F0Fu;
  return (m + (m >> 8)) & 0x1Fu;
}

/* The length of the run at p[0..n) before the first byte in the mask
 * that `stops` gives, a vector at a time; *cont counts the UTF-8
 * continuation bytes in it. The last n % CITECONV_VEC bytes are left to
 * the caller. */
static inline size_t citeconv_vec_run(const unsigned char *p, size_t n,
                                      unsigned (*stops)(citeconv_vec),
                                      size_t *cont)
{
  size_t k = 0;
  while (n - k >= CITECONV_VEC) {
    citeconv_vec x = citeconv_vec_load(p + k);
    unsigned m = stops(x);
    unsigned high = citeconv_vec_mask(citeconv_vec_high(x));
    if (m) {
      unsigned f = citeconv_mask_first(m);
      if (high)
        *cont += citeconv_mask_count(citeconv_vec_mask(citeconv_vec_cont(x)) &
                                     ((1u << f) - 1u));
      return k + f;
    }
    if (high)
      *cont += citeconv_mask_count(citeconv_vec_mask(citeconv_vec_cont(x)));
    k += CITECONV_VEC;
  }
  return k;
}

/* citeconv_vec_span for text shorter than a vector (n below
 * CITECONV_VEC): one vector made of its first and last eight or four bytes
 * (which overlap when n is below twice that), or of its first, middle and
 * last byte when n is below four. */
static inline size_t citeconv_vec_short(const unsigned char *p, size_t n,
                                        unsigned (*stops)(citeconv_vec))
{
  unsigned char t[CITECONV_VEC];
  unsigned m;
  memset(t, 0, sizeof t);
#if CITECONV_VEC == 16
  if (n >= 8) {
    memcpy(t, p, 8);
    memcpy(t + 8, p + n - 8, 8);
    m = stops(citeconv_vec_load(t));
    if (m & 0xFFu)
      return citeconv_mask_first(m);
    return m ? n - 8 + citeconv_mask_first(m >> 8) : n;
  }
#endif
  if (n >= 4) {
    memcpy(t, p, 4);
    memcpy(t + 4, p + n - 4, 4);
    m = stops(citeconv_vec_load(t)) & 0xFFu;
    if (m & 0xFu)
      return citeconv_mask_first(m);
    return m ? n - 4 + citeconv_mask_first(m >> 4) : n;
  }
  if (n == 0)
    return 0;
  t[0] = p[0];
  t[1] = p[n / 2];
  t[2] = p[n - 1];
  m = stops(citeconv_vec_load(t)) & 7u;
  if (!m)
    return n;
  return m & 1u ? 0 : m & 2u ? n / 2 : n - 1;
}

/* The length of the prefix of p[0..n) before the first byte that `stops`
 * flags, or n when there is none: citeconv_vec_run, and then the rest of
 * fewer than CITECONV_VEC bytes in one more vector, taken so that it ends
 * at p + n (the bytes it shares with the run were found clean already). */
static inline size_t citeconv_vec_span(const unsigned char *p, size_t n,
                                       unsigned (*stops)(citeconv_vec))
{
  size_t cont = 0, k = citeconv_vec_run(p, n, stops, &cont), rest = n - k;
  unsigned m;
  if (rest >= CITECONV_VEC || rest == 0)
    return k; /* a stop byte at k, or the end */
  if (n >= CITECONV_VEC) {
    m = stops(citeconv_vec_load(p + n - CITECONV_VEC)) >>
        (CITECONV_VEC - rest);
  } else {
    return citeconv_vec_short(p, n, stops);
  }
  return m ? k + citeconv_mask_first(m) : n;
}

#endif
