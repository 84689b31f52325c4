/* Inputs (a refillable window over a file or a memory buffer) and outputs
 * (one buffered writer for every format). */
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "copy.h"
#include "text.h"

#define INPUT_CHUNK (64 * 1024)
#define OUTPUT_CHUNK (64 * 1024)

static int input_new(citeconv_input **out, const char *name)
{
  citeconv_input *in = calloc(1, sizeof(*in));
  *out = NULL;
  if (!in)
    return CITECONV_ENOMEM;
  in->fd = -1;
  in->name = strdup(name ? name : "<memory>");
  if (!in->name) {
    free(in);
    return CITECONV_ENOMEM;
  }
  *out = in;
  return 0;
}

int citeconv_input_open_file(citeconv_input **out, const char *path)
{
  citeconv_input *in;
  bool std = strcmp(path, "-") == 0;
  int rc = input_new(&in, std ? "<stdin>" : path);
  if (rc < 0)
    return rc;
  if (std) {
    in->fd = 0;
  } else {
    in->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (in->fd < 0) {
      int e = errno;
      citeconv_input_free(in);
      errno = e;
      return CITECONV_EIO;
    }
    in->owns_fd = true;
  }
  in->buf = malloc(INPUT_CHUNK);
  if (!in->buf) {
    citeconv_input_free(in);
    return CITECONV_ENOMEM;
  }
  in->cap = INPUT_CHUNK;
  *out = in;
  return 0;
}

int citeconv_input_open_memory(citeconv_input **out, const void *data,
                               size_t len, const char *name)
{
  citeconv_input *in;
  int rc = input_new(&in, name);
  if (rc < 0)
    return rc;
  in->mem = data;
  in->buf = (unsigned char *)data;
  in->cap = in->end = len;
  in->eof = true;
  *out = in;
  return 0;
}

void citeconv_input_free(citeconv_input *in)
{
  if (!in)
    return;
  if (in->owns_fd && in->fd >= 0)
    close(in->fd);
  if (!in->mem || in->buf != in->mem)
    free(in->buf);
  if (in->stash_owned)
    free((void *)in->stash);
  if (in->pull_free)
    in->pull_free(in->pull_state);
  free(in->name);
  free(in);
}

const char *citeconv_input_name(const citeconv_input *in)
{
  return in->name;
}

void citeconv_input_progress(const citeconv_input *in,
                             unsigned long long *done,
                             unsigned long long *total)
{
  struct stat st;
  off_t at;
  *done = in->offset;
  *total = 0;
  if (in->mem) {
    *total = in->cap;
    return;
  }
  /* A regular file: the kernel's offset counts raw bytes read, whatever
   * decoding sits between the file and the reader. */
  if (fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode)) {
    *total = (unsigned long long)st.st_size;
    at = lseek(in->fd, 0, SEEK_CUR);
    if (at >= 0)
      *done = (unsigned long long)at;
  }
}

size_t citeconv_input_fill(citeconv_input *in, size_t want)
{
  while (in->end - in->pos < want && !in->eof && !in->error) {
    ssize_t n;
    if (in->pos > 0 && (in->cap - in->end < INPUT_CHUNK / 2 ||
                        in->cap - in->pos < want)) {
      memmove(in->buf, in->buf + in->pos, in->end - in->pos);
      in->end -= in->pos;
      in->pos = 0;
    }
    if (in->cap - in->pos < want || in->cap == in->end) {
      size_t ncap = in->cap * 2;
      unsigned char *p;
      while (ncap - in->pos < want)
        ncap *= 2;
      p = realloc(in->buf, ncap);
      if (!p) {
        in->error = true;
        break;
      }
      in->buf = p;
      in->cap = ncap;
    }
    if (in->pull)
      n = in->pull(in, in->pull_state, in->buf + in->end, in->cap - in->end);
    else
      n = read(in->fd, in->buf + in->end, in->cap - in->end);
    if (n < 0) {
      if (in->pull) {
        in->error = true;
        break;
      }
      if (errno == EINTR)
        continue;
      in->error = true;
      break;
    }
    if (n == 0)
      in->eof = true;
    in->end += (size_t)n;
  }
  return in->end - in->pos;
}

long citeconv_input_read(citeconv_input *in, void *dst, size_t n)
{
  size_t avail = in->end - in->pos;
  if (avail == 0) {
    if (in->eof)
      return 0;
    /* Large reads go straight to the caller's buffer. */
    if (!in->mem && !in->pull && n >= INPUT_CHUNK) {
      ssize_t r;
      do
        r = read(in->fd, dst, n);
      while (r < 0 && errno == EINTR);
      if (r < 0) {
        in->error = true;
        return -1;
      }
      if (r == 0)
        in->eof = true;
      in->offset += (size_t)r;
      return (long)r;
    }
    avail = citeconv_input_fill(in, 1);
    if (avail == 0)
      return in->error ? -1 : 0;
  }
  if (n > avail)
    n = avail;
  memcpy(dst, in->buf + in->pos, n);
  citeconv_input_consume(in, n);
  return (long)n;
}

bool citeconv_input_skip_utf8_bom(citeconv_input *in)
{
  if (citeconv_input_fill(in, 3) >= 3 &&
      memcmp(citeconv_input_data(in), "\xEF\xBB\xBF", 3) == 0) {
    citeconv_input_consume(in, 3);
    return true;
  }
  return false;
}

int citeconv_input_set_filter(citeconv_input *in, citeconv_input_pull_fn pull,
                              void (*free_fn)(void *state), void *state)
{
  unsigned char *nbuf;
  if (in->pull)
    return CITECONV_EUSAGE;
  nbuf = malloc(INPUT_CHUNK);
  if (!nbuf)
    return CITECONV_ENOMEM;
  /* The unconsumed window becomes the first raw bytes the filter reads. */
  if (in->mem) {
    in->stash = in->buf;
    in->stash_owned = false;
  } else {
    in->stash = in->buf;
    in->stash_owned = true;
  }
  in->stash_pos = in->pos;
  in->stash_end = in->end;
  in->buf = nbuf;
  in->cap = INPUT_CHUNK;
  in->pos = in->end = 0;
  in->eof = false;
  in->pull = pull;
  in->pull_free = free_fn;
  in->pull_state = state;
  return 0;
}

long citeconv_input_read_raw(citeconv_input *in, unsigned char *dst, size_t n)
{
  ssize_t r;
  if (in->stash_pos < in->stash_end) {
    size_t k = in->stash_end - in->stash_pos;
    if (k > n)
      k = n;
    memcpy(dst, in->stash + in->stash_pos, k);
    in->stash_pos += k;
    return (long)k;
  }
  if (in->stash_owned) {
    free((void *)in->stash);
    in->stash = NULL;
    in->stash_owned = false;
  }
  if (in->mem || in->fd < 0)
    return 0;
  do
    r = read(in->fd, dst, n);
  while (r < 0 && errno == EINTR);
  return r < 0 ? -1 : (long)r;
}

void citeconv_linebuf_init(citeconv_linebuf *lb, size_t max)
{
  memset(lb, 0, sizeof(*lb));
  lb->max = max ? max : SIZE_MAX - 1;
}

void citeconv_linebuf_free(citeconv_linebuf *lb)
{
  free(lb->data);
  lb->data = NULL;
  lb->len = lb->cap = 0;
}

static int lb_append(citeconv_linebuf *lb, const unsigned char *s, size_t n)
{
  if (lb->len + n > lb->max) {
    n = lb->max - lb->len;
    lb->truncated = true;
  }
  if (lb->len + n + 1 > lb->cap) {
    size_t ncap = lb->cap ? lb->cap : 256;
    char *p;
    while (ncap < lb->len + n + 1)
      ncap *= 2;
    p = realloc(lb->data, ncap);
    if (!p)
      return CITECONV_ENOMEM;
    lb->data = p;
    lb->cap = ncap;
  }
  citeconv_copy(lb->data + lb->len, s, n);
  lb->len += n;
  lb->data[lb->len] = '\0';
  return 0;
}

/* Controls below 0x0E: the class of LF and CR, with tabs among them. */
static unsigned line_stops(citeconv_vec x)
{
  return citeconv_vec_mask(citeconv_vec_in(x, 0, 0x0D));
}

/* The first LF or CR in p[0..n), or NULL; whole vectors without a byte
 * below 0x0E are skipped a vector at a time. */
static const unsigned char *line_end(const unsigned char *p, size_t n)
{
  size_t i = 0, cont = 0;
  while (i < n) {
    i += citeconv_vec_run(p + i, n - i, line_stops, &cont);
    if (i == n)
      break;
    if (p[i] == '\n' || p[i] == '\r')
      return p + i;
    i++; /* a tab or another control, or the tail */
  }
  return NULL;
}

int citeconv_linebuf_next(citeconv_linebuf *lb, citeconv_input *in)
{
  bool any = false;
  lb->len = 0;
  lb->truncated = false;
  if (lb->data)
    lb->data[0] = '\0';
  for (;;) {
    const unsigned char *p, *nl;
    size_t avail = citeconv_input_avail(in);
    if (avail == 0)
      avail = citeconv_input_fill(in, 1);
    if (avail == 0) {
      if (in->error)
        return CITECONV_EIO;
      if (!any)
        return CITECONV_END;
      break;
    }
    any = true;
    p = citeconv_input_data(in);
    nl = line_end(p, avail);
    if (!nl) {
      if (lb_append(lb, p, avail) < 0)
        return CITECONV_ENOMEM;
      citeconv_input_consume(in, avail);
      continue;
    }
    if (lb_append(lb, p, (size_t)(nl - p)) < 0)
      return CITECONV_ENOMEM;
    citeconv_input_consume(in, (size_t)(nl - p) + 1);
    if (*nl == '\r') {
      /* CRLF is one line end; a lone CR is one too (old Mac files). */
      if (citeconv_input_avail(in) == 0)
        citeconv_input_fill(in, 1);
      if (citeconv_input_avail(in) > 0 && *citeconv_input_data(in) == '\n')
        citeconv_input_consume(in, 1);
    }
    break;
  }
  if (!lb->data && lb_append(lb, (const unsigned char *)"", 0) < 0)
    return CITECONV_ENOMEM;
  lb->lineno++;
  return 0;
}

/* ---- output ---- */

int citeconv_output_open_file(citeconv_output **out, const char *path)
{
  citeconv_output *o = calloc(1, sizeof(*o));
  *out = NULL;
  if (!o)
    return CITECONV_ENOMEM;
  if (strcmp(path, "-") == 0) {
    o->fd = 1;
  } else {
    o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (o->fd < 0) {
      int e = errno;
      free(o);
      errno = e;
      return CITECONV_EIO;
    }
    o->owns_fd = true;
  }
  o->buf = malloc(OUTPUT_CHUNK);
  if (!o->buf) {
    citeconv_output_close(o);
    return CITECONV_ENOMEM;
  }
  o->cap = OUTPUT_CHUNK;
  *out = o;
  return 0;
}

int citeconv_output_open_memory(citeconv_output **out)
{
  citeconv_output *o = calloc(1, sizeof(*o));
  *out = NULL;
  if (!o)
    return CITECONV_ENOMEM;
  o->fd = -1;
  o->memory = true;
  *out = o;
  return 0;
}

const char *citeconv_output_data(const citeconv_output *o, size_t *len)
{
  if (!o->memory) {
    *len = 0;
    return NULL;
  }
  *len = o->len;
  return o->buf ? o->buf : "";
}

static int write_all(int fd, const char *p, size_t n)
{
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return CITECONV_EIO;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

int citeconv_out_flush(citeconv_output *o)
{
  if (o->memory)
    return o->error ? CITECONV_EIO : 0;
  if (o->len && !o->error && write_all(o->fd, o->buf, o->len) < 0)
    o->error = true;
  o->len = 0;
  return o->error ? CITECONV_EIO : 0;
}

void citeconv_out_write_slow(citeconv_output *o, const char *s, size_t n)
{
  if (o->error)
    return;
  if (o->memory) {
    if (n > o->cap - o->len) {
      size_t ncap = o->cap ? o->cap : 4096;
      char *p;
      while (ncap - o->len < n) {
        if (ncap > SIZE_MAX / 2) {
          o->error = true;
          return;
        }
        ncap *= 2;
      }
      p = realloc(o->buf, ncap);
      if (!p) {
        o->error = true;
        return;
      }
      o->buf = p;
      o->cap = ncap;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    return;
  }
  if (n > o->cap - o->len) {
    citeconv_out_flush(o);
    if (n >= o->cap) {
      if (!o->error && write_all(o->fd, s, n) < 0)
        o->error = true;
      return;
    }
  }
  memcpy(o->buf + o->len, s, n);
  o->len += n;
}

void citeconv_out_puts(citeconv_output *o, const char *s)
{
  citeconv_out_write(o, s, strlen(s));
}

void citeconv_out_printf(citeconv_output *o, const char *fmt, ...)
{
  char small[512];
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) {
    o->error = true;
    return;
  }
  if ((size_t)n < sizeof small) {
    citeconv_out_write(o, small, (size_t)n);
    return;
  }
  {
    char *big = malloc((size_t)n + 1);
    if (!big) {
      o->error = true;
      return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    citeconv_out_write(o, big, (size_t)n);
    free(big);
  }
}

void citeconv_out_json_string(citeconv_output *o, const char *s, size_t n)
{
  citeconv_out_putc(o, '"');
  citeconv_out_json_chars(o, s, n);
  citeconv_out_putc(o, '"');
}

/* Bytes a JSON string does not hold as they are: controls, '"', '\\',
 * and (looked at one by one) those of multi-byte characters. */
static unsigned json_stops(citeconv_vec x)
{
  return citeconv_vec_mask(citeconv_vec_or(
      citeconv_vec_or(citeconv_vec_high(x), citeconv_vec_in(x, 0, 0x1F)),
      citeconv_vec_or(citeconv_vec_eq(x, '"'), citeconv_vec_eq(x, '\\'))));
}

/* The bytes a JSON string does not hold as they are when the text is
 * known to be valid UTF-8: controls, '"' and '\\'. */
static unsigned json_escapes(citeconv_vec x)
{
  return citeconv_vec_mask(
      citeconv_vec_or(citeconv_vec_in(x, 0, 0x1F),
                      citeconv_vec_or(citeconv_vec_eq(x, '"'),
                                      citeconv_vec_eq(x, '\\'))));
}

/* citeconv_out_json_chars, and citeconv_out_json_text when `valid`: then
 * the bytes of multi-byte characters go out in the runs, unchecked. */
static inline void json_chars(citeconv_output *o, const char *s, size_t n,
                              bool valid)
{
  static const char hex[] = "0123456789abcdef";
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, start = 0, adv;
  while (i < n) {
    unsigned char c;
    const char *esc = NULL;
    char u[6];
    /* Printable text other than '"' and '\\' goes out as it is. */
    i += valid ? citeconv_vec_span(p + i, n - i, json_escapes)
               : citeconv_vec_span(p + i, n - i, json_stops);
    if (i == n)
      break;
    c = p[i];
    if (c >= 0x80) {
      if (c >= 0xC2 && c <= 0xDF && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
        i += 2; /* a two-byte sequence, the common case in names */
        continue;
      }
      if (citeconv_utf8_decode(p + i, n - i, &adv) >= 0) {
        i += adv;
        continue;
      }
      citeconv_out_write(o, s + start, i - start);
      citeconv_out_write(o, "\xEF\xBF\xBD", 3);
      i++;
      start = i;
      continue;
    }
    citeconv_out_write(o, s + start, i - start);
    switch (c) {
    case '"':
      esc = "\\\"";
      break;
    case '\\':
      esc = "\\\\";
      break;
    case '\n':
      esc = "\\n";
      break;
    case '\r':
      esc = "\\r";
      break;
    case '\t':
      esc = "\\t";
      break;
    default:
      u[0] = '\\';
      u[1] = 'u';
      u[2] = '0';
      u[3] = '0';
      u[4] = hex[c >> 4];
      u[5] = hex[c & 15];
      citeconv_out_write(o, u, 6);
    }
    if (esc)
      citeconv_out_puts(o, esc);
    i++;
    start = i;
  }
  citeconv_out_write(o, s + start, i - start);
}

void citeconv_out_json_chars(citeconv_output *o, const char *s, size_t n)
{
  json_chars(o, s, n, false);
}

void citeconv_out_json_text(citeconv_output *o, const char *s, size_t n)
{
  json_chars(o, s, n, true);
}

static unsigned xml_text_stops(citeconv_vec x)
{
  return citeconv_vec_mask(citeconv_vec_or(
      citeconv_vec_or(citeconv_vec_eq(x, '&'), citeconv_vec_eq(x, '"')),
      citeconv_vec_or(citeconv_vec_eq(x, '<'), citeconv_vec_eq(x, '>'))));
}

void citeconv_out_xml_text(citeconv_output *o, const char *s, size_t n)
{
  size_t i = 0;
  while (i < n) {
    size_t k = i + citeconv_vec_span((const unsigned char *)s + i, n - i,
                                     xml_text_stops);
    citeconv_out_write(o, s + i, k - i);
    if (k == n)
      break;
    switch (s[k]) {
    case '&':
      citeconv_out_write(o, "&amp;", 5);
      break;
    case '<':
      citeconv_out_write(o, "&lt;", 4);
      break;
    case '>':
      citeconv_out_write(o, "&gt;", 4);
      break;
    default:
      citeconv_out_write(o, "&quot;", 6);
    }
    i = k + 1;
  }
}

void citeconv_out_xml_tag(citeconv_output *o, const char *name, bool close)
{
  citeconv_out_write(o, close ? "</" : "<", close ? 2 : 1);
  citeconv_out_puts(o, name);
  citeconv_out_putc(o, '>');
}

int citeconv_output_close(citeconv_output *o)
{
  int rc;
  if (!o)
    return 0;
  rc = citeconv_out_flush(o);
  if (o->owns_fd && close(o->fd) < 0)
    rc = CITECONV_EIO;
  free(o->buf);
  free(o);
  return rc;
}
