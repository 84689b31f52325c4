/* Buffered input and output for the modules: a refillable window over the
 * input, a bounded line reader, and a buffered writer with escaping. */
#ifndef CITECONV_SRC_IO_H
#define CITECONV_SRC_IO_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "citeconv/citeconv.h"
#include "copy.h"

/* A decoding filter (charset.c installs one): writes up to `cap` bytes of
 * decoded input to `dst` and returns the count, 0 only at the end, -1 on
 * an error. It takes the raw bytes with citeconv_input_read_raw. */
typedef long (*citeconv_input_pull_fn)(citeconv_input *in, void *state,
                                       unsigned char *dst, size_t cap);

struct citeconv_input {
  int fd;                   /* -1 for memory input */
  bool owns_fd;
  const unsigned char *mem; /* memory input */
  unsigned char *buf;       /* window: buf[pos..end) not yet consumed */
  size_t cap, pos, end;
  bool eof;
  bool error;
  unsigned long long offset; /* bytes consumed before buf[pos] */
  char *name;
  /* The decoding filter, when one is set: the window is then filled from
   * it, and `stash` holds the raw bytes that were in the window when it
   * was set (owned when `stash_owned`). */
  citeconv_input_pull_fn pull;
  void (*pull_free)(void *state);
  void *pull_state;
  const unsigned char *stash;
  size_t stash_pos, stash_end;
  bool stash_owned;
};

/* Make at least `want` unconsumed bytes available when the input has them
 * (fewer only at end of input) and return how many there are. */
size_t citeconv_input_fill(citeconv_input *in, size_t want);
/* Unconsumed bytes, without consuming (call fill first). */
static inline const unsigned char *citeconv_input_data(const citeconv_input *in)
{
  return in->buf + in->pos;
}
static inline size_t citeconv_input_avail(const citeconv_input *in)
{
  return in->end - in->pos;
}
static inline void citeconv_input_consume(citeconv_input *in, size_t n)
{
  in->pos += n;
  in->offset += n;
}
/* Next byte, or -1 at end of input. */
static inline int citeconv_input_getc(citeconv_input *in)
{
  if (in->pos == in->end && citeconv_input_fill(in, 1) == 0)
    return -1;
  in->offset++;
  return in->buf[in->pos++];
}
/* Give back the byte the last citeconv_input_getc returned (nothing may
 * have been read or filled since); false when there is none to give. */
static inline bool citeconv_input_unget(citeconv_input *in)
{
  if (in->pos == 0)
    return false;
  in->pos--;
  in->offset--;
  return true;
}
/* Copy up to `n` bytes to `dst`; returns the count, 0 at end of input,
 * -1 on a read error. */
long citeconv_input_read(citeconv_input *in, void *dst, size_t n);
/* Skip a UTF-8 byte order mark if the input starts with one; true if it
 * did. Call before consuming anything. */
bool citeconv_input_skip_utf8_bom(citeconv_input *in);

/* Put a decoding filter between the source and the window: the unconsumed
 * bytes of the window and everything after them are read again through
 * `pull`; `free_fn` (may be NULL) frees `state` with the input. At most one
 * filter per input. Returns 0, CITECONV_ENOMEM or CITECONV_EUSAGE (a filter
 * is already set); on failure `state` is not taken. */
int citeconv_input_set_filter(citeconv_input *in, citeconv_input_pull_fn pull,
                              void (*free_fn)(void *state), void *state);
/* For filters: up to `n` raw bytes of the source, past the window. Returns
 * the count, 0 at the end, -1 on a read error. */
long citeconv_input_read_raw(citeconv_input *in, unsigned char *dst,
                             size_t n);

/* A line of input: bytes without the line end (LF, CRLF or CR). `line` is
 * borrowed until the next call. Lines longer than `max` are cut: `len` is
 * `max` and `truncated` is set, and the rest of the line is skipped.
 * Returns 0, CITECONV_END at end of input, CITECONV_ENOMEM or
 * CITECONV_EIO. */
typedef struct citeconv_linebuf {
  char *data;
  size_t len, cap, max;
  bool truncated;
  unsigned long lineno; /* 1-based number of the line just read */
} citeconv_linebuf;
void citeconv_linebuf_init(citeconv_linebuf *lb, size_t max);
int citeconv_linebuf_next(citeconv_linebuf *lb, citeconv_input *in);
void citeconv_linebuf_free(citeconv_linebuf *lb);

struct citeconv_output {
  int fd;        /* -1 for memory */
  bool owns_fd;
  char *buf;
  size_t len, cap;
  bool error;
  bool memory;
};

/* Buffered writes; errors are remembered and reported by flush/close.
 * Inline when the bytes fit the buffer. */
void citeconv_out_write_slow(citeconv_output *o, const char *s, size_t n);
static inline void citeconv_out_write(citeconv_output *o, const char *s,
                                      size_t n)
{
  if (n <= o->cap - o->len && !o->error) {
    citeconv_copy(o->buf + o->len, s, n);
    o->len += n;
    return;
  }
  citeconv_out_write_slow(o, s, n);
}
static inline void citeconv_out_putc(citeconv_output *o, char c)
{
  if (o->len < o->cap)
    o->buf[o->len++] = c;
  else
    citeconv_out_write(o, &c, 1);
}
void citeconv_out_puts(citeconv_output *o, const char *s);
void citeconv_out_printf(citeconv_output *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A JSON string literal with quotes; invalid UTF-8 becomes U+FFFD. */
void citeconv_out_json_string(citeconv_output *o, const char *s, size_t n);
/* The same without the quotes. */
void citeconv_out_json_chars(citeconv_output *o, const char *s, size_t n);
/* citeconv_out_json_chars for text known to be valid UTF-8, as every text
 * a record holds is: its multi-byte characters are not looked at. */
void citeconv_out_json_text(citeconv_output *o, const char *s, size_t n);
/* Whether none of the eight bytes of x is a control, '"' or '\\': tests
 * on the whole word (a byte below 0x20, a byte equal to 0x22 or 0x5C),
 * exact, and false for no byte from 0x80 up. */
static inline bool citeconv_json_plain_word(uint64_t x)
{
  const uint64_t ones = UINT64_C(0x0101010101010101);
  const uint64_t high = UINT64_C(0x8080808080808080);
  uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
  uint64_t found = ((x - ones * 0x20) | (q - ones) | (b - ones)) & high &
                   ~x;
  return found == 0;
}
/* A JSON string literal of s[0..n), valid UTF-8, written at once when it
 * is 4 to 16 bytes long with nothing to escape and fits the buffer, as
 * most name parts and short values do: its first and last word are tested
 * and copied (they overlap below 16 bytes). false, with nothing written,
 * when it is not such a string. */
static inline bool citeconv_out_json_short(citeconv_output *o, const char *s,
                                           size_t n)
{
  uint64_t a, b;
  char *d;
  if (n < 4 || n > 16 || o->cap - o->len < 18 || o->error)
    return false;
  if (n >= 8) {
    citeconv_load_ends(s, n, 8, &a, &b);
  } else {
    /* four bytes each: the same four again fill the rest of the word */
    citeconv_load_ends(s, n, 4, &a, &b);
    memcpy((char *)&a + 4, &a, 4);
    memcpy((char *)&b + 4, &b, 4);
  }
  if (!citeconv_json_plain_word(a) || !citeconv_json_plain_word(b))
    return false;
  d = o->buf + o->len;
  d[0] = '"';
  if (n >= 8)
    citeconv_store_ends(d + 1, n, 8, a, b);
  else
    citeconv_store_ends(d + 1, n, 4, a, b);
  d[n + 1] = '"';
  o->len += n + 2;
  return true;
}
/* Text with &, <, >, " escaped for XML and HTML. */
void citeconv_out_xml_text(citeconv_output *o, const char *s, size_t n);
/* The tag <NAME>, or </NAME> with close. */
void citeconv_out_xml_tag(citeconv_output *o, const char *name, bool close);
/* Write out the buffer of a file output; returns 0 or CITECONV_EIO. */
int citeconv_out_flush(citeconv_output *o);

#endif
