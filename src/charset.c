/* Character-set decoding of text inputs: BOMs, UTF-16/32, legacy sets
 * detected with ICU (ucsdet) and converted as the input streams (ucnv),
 * and invalid UTF-8 replaced by U+FFFD with a positioned warning. */
#include "charset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include "text.h"

#define RAW_CAP (64 * 1024) /* raw bytes read ahead; also the sample size */
#define PIVOT_CAP 1024
#define MAX_WARNINGS 20

enum { MODE_UNDECIDED, MODE_UTF8, MODE_ICU };

typedef struct {
  citeconv_session *s;
  const char *file; /* the input's name, borrowed */
  int mode;
  bool started;     /* the BOM has been looked for */
  bool explicit_enc;
  bool raw_eof;
  size_t raw_pos, raw_end;
  /* Where the next byte of input is, for diagnostics (UTF-8 modes). */
  unsigned long line, col;
  bool after_cr;
  bool in_bad_run;
  unsigned nwarn;
  /* Decoded bytes that did not fit the caller's buffer. */
  unsigned char pend[8];
  size_t pend_pos, pend_len;
  /* ICU conversion (MODE_ICU). */
  UConverter *src, *utf8;
  UChar pivot[PIVOT_CAP];
  UChar *psrc, *ptgt;
  bool icu_started, icu_done, first_out;
  char name[64];
  unsigned char raw[RAW_CAP];
} decoder;

static void decoder_free(void *state)
{
  decoder *d = state;
  if (!d)
    return;
  if (d->src)
    ucnv_close(d->src);
  if (d->utf8)
    ucnv_close(d->utf8);
  free(d);
}

/* Make at least `want` raw bytes available at raw_pos (fewer at the end of
 * the source). Returns the count available, or -1 on a read error. */
static long raw_fill(decoder *d, citeconv_input *in, size_t want)
{
  if (want > RAW_CAP)
    want = RAW_CAP;
  if (d->raw_end - d->raw_pos >= want || d->raw_eof)
    return (long)(d->raw_end - d->raw_pos);
  if (d->raw_pos > 0) {
    memmove(d->raw, d->raw + d->raw_pos, d->raw_end - d->raw_pos);
    d->raw_end -= d->raw_pos;
    d->raw_pos = 0;
  }
  while (d->raw_end < want && !d->raw_eof) {
    long n = citeconv_input_read_raw(in, d->raw + d->raw_end,
                                     RAW_CAP - d->raw_end);
    if (n < 0)
      return -1;
    if (n == 0)
      d->raw_eof = true;
    d->raw_end += (size_t)n;
  }
  return (long)(d->raw_end - d->raw_pos);
}

static int open_icu(decoder *d, const char *name)
{
  UErrorCode e = U_ZERO_ERROR;
  d->src = ucnv_open(name, &e);
  if (U_FAILURE(e)) {
    d->src = NULL;
    return CITECONV_EUSAGE;
  }
  e = U_ZERO_ERROR;
  d->utf8 = ucnv_open("UTF-8", &e);
  if (U_FAILURE(e)) {
    ucnv_close(d->src);
    d->src = NULL;
    d->utf8 = NULL;
    return CITECONV_ENOMEM;
  }
  snprintf(d->name, sizeof d->name, "%s", name);
  d->mode = MODE_ICU;
  d->first_out = true;
  return 0;
}

/* Track line and column over one byte of UTF-8 output; continuation bytes
 * do not start a character. */
static inline void advance(decoder *d, unsigned char c)
{
  if (c == '\n') {
    if (!d->after_cr) {
      d->line++;
      d->col = 1;
    }
    d->after_cr = false;
  } else if (c == '\r') {
    d->line++;
    d->col = 1;
    d->after_cr = true;
  } else {
    d->after_cr = false;
    if ((c & 0xC0) != 0x80)
      d->col++;
  }
}

static bool is_one_of(const char *name, const char *const *list)
{
  for (; *list; list++)
    if (strcmp(name, *list) == 0)
      return true;
  return false;
}

/* The character set of a sample that is not UTF-8: ICU's guess among the
 * sets a reference list is plausibly written in, with Latin-1 and
 * windows-1252 as the default. */
static const char *detect(const unsigned char *p, size_t n)
{
  static const char *const latin[] = {"ISO-8859-1", "windows-1252", NULL};
  static const char *const others[] = {
      "ISO-8859-2", "windows-1250", "ISO-8859-5", "windows-1251", "KOI8-R",
      "ISO-8859-7", "windows-1253", "ISO-8859-9", "windows-1254",
      "ISO-8859-8", "windows-1255", "ISO-8859-6", "windows-1256",
      "Shift_JIS", "EUC-JP", "EUC-KR", "GB18030", "Big5", NULL};
  bool c1 = false;
  int latin_conf = 0, other_conf = 0;
  const char *other = NULL;
  UErrorCode e = U_ZERO_ERROR;
  UCharsetDetector *csd;
  const UCharsetMatch **m;
  int32_t nm = 0;

  for (size_t i = 0; i < n; i++)
    if (p[i] >= 0x80 && p[i] <= 0x9F) {
      c1 = true;
      break;
    }
  csd = ucsdet_open(&e);
  if (U_SUCCESS(e))
    ucsdet_setText(csd, (const char *)p, (int32_t)n, &e);
  m = U_SUCCESS(e) ? ucsdet_detectAll(csd, &nm, &e) : NULL;
  for (int32_t i = 0; m && U_SUCCESS(e) && i < nm; i++) {
    const char *name = ucsdet_getName(m[i], &e);
    int conf = ucsdet_getConfidence(m[i], &e);
    if (U_FAILURE(e) || !name)
      break;
    if (is_one_of(name, latin)) {
      if (conf > latin_conf)
        latin_conf = conf;
    } else if (is_one_of(name, others) && conf > other_conf) {
      /* ICU names 8859-8 by direction; either converts the same. */
      other = name;
      other_conf = conf;
    }
  }
  if (csd)
    ucsdet_close(csd);
  /* Short Western texts often score a little higher as Central European
   * or Turkish: another set must win clearly. */
  if (other && other_conf >= 30 && other_conf > latin_conf + 10) {
    static const char *const keep[] = {
        "ISO-8859-2", "windows-1250", "ISO-8859-5", "windows-1251", "KOI8-R",
        "ISO-8859-7", "windows-1253", "ISO-8859-9", "windows-1254",
        "ISO-8859-8", "windows-1255", "ISO-8859-6", "windows-1256",
        "Shift_JIS", "EUC-JP", "EUC-KR", "GB18030", "Big5", NULL};
    /* Return a static string, not ICU's. */
    for (size_t i = 0; keep[i]; i++)
      if (strcmp(keep[i], other) == 0)
        return keep[i];
  }
  return c1 ? "windows-1252" : "ISO-8859-1";
}

/* Where UTF-8 that may be cut at the end of the sample ends whole. */
static size_t whole_prefix(const unsigned char *p, size_t n)
{
  size_t cut = n;
  while (cut > 0 && n - cut < 3 && (p[cut - 1] & 0xC0) == 0x80)
    cut--;
  if (cut > 0 && p[cut - 1] >= 0xC0)
    cut--;
  else if (cut < n && (cut == 0 || p[cut - 1] < 0x80))
    cut = n; /* stray continuation bytes: let validation see them */
  return cut;
}

/* Whether a sample is UTF-8 with a few bad bytes rather than a legacy
 * set: legacy text almost never forms valid multi-byte sequences, so count
 * them against the runs of invalid bytes. */
static bool mostly_utf8(const unsigned char *p, size_t n)
{
  size_t good = 0, bad_runs = 0, i = 0;
  bool in_bad = false;
  while (i < n) {
    size_t adv;
    if (p[i] < 0x80) {
      in_bad = false;
      i++;
      continue;
    }
    if (citeconv_utf8_decode(p + i, n - i, &adv) >= 0) {
      good++;
      in_bad = false;
      i += adv;
      continue;
    }
    if (!in_bad)
      bad_runs++;
    in_bad = true;
    i++;
  }
  return good > 0 && good >= bad_runs;
}

/* At the first non-ASCII byte: UTF-8, or a legacy set? */
static int decide(decoder *d, citeconv_input *in)
{
  long n = raw_fill(d, in, RAW_CAP);
  const unsigned char *p = d->raw + d->raw_pos;
  size_t len, cut;
  const char *name;
  citeconv_pos pos;
  int rc;
  if (n < 0)
    return CITECONV_EIO;
  len = (size_t)n;
  cut = d->raw_eof ? len : whole_prefix(p, len);
  if (mostly_utf8(p, cut)) {
    d->mode = MODE_UTF8;
    snprintf(d->name, sizeof d->name, "UTF-8");
    return 0;
  }
  name = detect(p, len);
  /* Latin-1 text is read as windows-1252, its superset for everything
   * but the C1 controls, which text never holds (as the WHATWG Encoding
   * Standard does): a curly quote after the sample still comes out
   * right. */
  rc = open_icu(d, strcmp(name, "ISO-8859-1") == 0 ? "windows-1252" : name);
  if (rc < 0)
    return rc == CITECONV_EUSAGE ? CITECONV_ENOMEM : rc;
  d->first_out = false; /* no BOM here: it would have been seen */
  pos.line = (uint32_t)d->line;
  pos.col = (uint32_t)d->col;
  if (strcmp(name, "windows-1252") == 0)
    citeconv_diag_emit(d->s, d->file, &pos, 0, CITECONV_D_ENCODING_ASSUMED,
                       "the input is not UTF-8 (byte 0x%02X); read as "
                       "windows-1252, since bytes 0x80-0x9F occur; set the "
                       "input-encoding option if that is wrong",
                       (unsigned)p[0]);
  else if (strcmp(name, "ISO-8859-1") == 0)
    citeconv_diag_emit(d->s, d->file, &pos, 0, CITECONV_D_ENCODING_ASSUMED,
                       "the input is not UTF-8 (byte 0x%02X); read as "
                       "ISO-8859-1 (bytes 0x80-0x9F, if any, as "
                       "windows-1252); set the input-encoding option if "
                       "that is wrong",
                       (unsigned)p[0]);
  else
    citeconv_diag_emit(d->s, d->file, &pos, 0, CITECONV_D_ENCODING_ASSUMED,
                       "the input is not UTF-8 (byte 0x%02X); read as %s; "
                       "set the input-encoding option if that is wrong",
                       (unsigned)p[0], name);
  return 0;
}

/* Copy decoded bytes to the caller, keeping what does not fit. */
static size_t put(decoder *d, unsigned char *dst, size_t cap, size_t out,
                  const unsigned char *b, size_t n)
{
  size_t k = cap - out < n ? cap - out : n;
  memcpy(dst + out, b, k);
  if (k < n) {
    memcpy(d->pend, b + k, n - k);
    d->pend_pos = 0;
    d->pend_len = n - k;
  }
  return out + k;
}

static void bad_byte(decoder *d, unsigned char c)
{
  citeconv_pos pos;
  if (d->in_bad_run)
    return;
  d->in_bad_run = true;
  d->nwarn++;
  pos.line = (uint32_t)d->line;
  pos.col = (uint32_t)d->col;
  if (d->nwarn <= MAX_WARNINGS)
    citeconv_diag_emit(d->s, d->file, &pos, 0, CITECONV_D_ENCODING,
                       "byte 0x%02X is not valid UTF-8; replaced by U+FFFD "
                       "(set the input-encoding option if the input is in "
                       "another character set)",
                       (unsigned)c);
  else if (d->nwarn == MAX_WARNINGS + 1)
    citeconv_diag_emit_sev(d->s, d->file, &pos, 0, CITECONV_D_ENCODING,
                           CITECONV_SEV_NOTE,
                           "more bytes that are not valid UTF-8 follow; they "
                           "are replaced by U+FFFD and not reported");
}

/* The length of the run of printable ASCII, tabs and line feeds at
 * p[0..n) (p[0] is one of them), a vector at a time; the line and column
 * move past it. */
static size_t plain_run(decoder *d, const unsigned char *p, size_t n)
{
  size_t k = 0, base = 0; /* the column counts from base */
  size_t line_start = (size_t)-1;
  if (p[0] == '\n' && d->after_cr)
    k = base = 1; /* the LF of a CR LF: the CR moved the line */
  d->after_cr = false;
  while (n - k >= CITECONV_VEC) {
    citeconv_vec x = citeconv_vec_load(p + k);
    unsigned lf = citeconv_vec_mask(citeconv_vec_eq(x, '\n'));
    unsigned tab = citeconv_vec_mask(citeconv_vec_eq(x, '\t'));
    unsigned stop = citeconv_vec_mask(citeconv_vec_or(
                        citeconv_vec_high(x), citeconv_vec_in(x, 0, 0x1F))) &
                    ~(lf | tab);
    unsigned len = stop ? citeconv_mask_first(stop) : CITECONV_VEC;
    lf &= (1u << len) - 1u;
    if (lf) {
      d->line += citeconv_mask_count(lf);
      line_start = k + citeconv_mask_last(lf) + 1;
    }
    k += len;
    if (stop)
      break;
  }
  if (n - k < CITECONV_VEC)
    for (; k < n; k++) {
      unsigned char c = p[k];
      if (c == '\n') {
        d->line++;
        line_start = k + 1;
      } else if ((c < 0x20 && c != '\t') || c >= 0x80) {
        break;
      }
    }
  if (line_start != (size_t)-1)
    d->col = 1 + (k - line_start);
  else
    d->col += k - base;
  return k;
}

/* UTF-8 (and the ASCII start of undecided input), checked as it goes. */
static long pull_utf8(decoder *d, citeconv_input *in, unsigned char *dst,
                      size_t cap)
{
  size_t out = 0;
  while (out < cap && d->pend_len == 0) {
    const unsigned char *p;
    size_t i, avail;
    long n = raw_fill(d, in, 1);
    if (n < 0)
      return -1;
    if (n == 0)
      break;
    p = d->raw;
    i = d->raw_pos;
    avail = d->raw_end;
    while (i < avail && out < cap) {
      unsigned char c = p[i];
      size_t adv;
      if ((c >= 0x20 && c < 0x80) || c == '\n' || c == '\t') {
        /* Printable ASCII and the line ends of Unix text, the common
         * case: as they are. */
        size_t room = cap - out, left = avail - i;
        size_t k = plain_run(d, p + i, room < left ? room : left);
        memcpy(dst + out, p + i, k);
        out += k;
        i += k;
        d->in_bad_run = false;
        continue;
      }
      if (c == 0) {
        /* A NUL byte is no text: replaced, and said so. */
        citeconv_pos pos = {(uint32_t)d->line, (uint32_t)d->col};
        if (!d->in_bad_run && ++d->nwarn <= MAX_WARNINGS)
          citeconv_diag_emit(d->s, d->file, &pos, 0, CITECONV_D_ENCODING,
                             "a NUL byte in text; replaced by U+FFFD");
        d->in_bad_run = true;
        out = put(d, dst, cap, out, (const unsigned char *)"\xEF\xBF\xBD", 3);
        d->col++;
        d->after_cr = false;
        i++;
        if (d->pend_len)
          break;
        continue;
      }
      if (c < 0x80) {
        dst[out++] = c;
        advance(d, c);
        d->in_bad_run = false;
        i++;
        continue;
      }
      if (d->mode == MODE_UNDECIDED) {
        int rc;
        d->raw_pos = i;
        rc = decide(d, in);
        if (rc < 0)
          return -1;
        if (d->mode != MODE_UTF8 || out > 0)
          return (long)out;
        p = d->raw;
        i = d->raw_pos;
        avail = d->raw_end;
        continue;
      }
      if (avail - i < 4 && !d->raw_eof) {
        /* A sequence may be cut at the end of the raw buffer. */
        size_t want = avail - i;
        d->raw_pos = i;
        if (raw_fill(d, in, want + 4) < 0)
          return -1;
        p = d->raw;
        i = d->raw_pos;
        avail = d->raw_end;
        if (avail - i <= want && !d->raw_eof)
          continue;
      }
      if (citeconv_utf8_decode(p + i, avail - i, &adv) >= 0) {
        out = put(d, dst, cap, out, p + i, adv);
        advance(d, c);
        d->in_bad_run = false;
        i += adv;
      } else {
        bad_byte(d, c);
        out = put(d, dst, cap, out, (const unsigned char *)"\xEF\xBF\xBD", 3);
        d->col++;
        d->after_cr = false;
        i++;
      }
      if (d->pend_len)
        break;
    }
    d->raw_pos = i;
  }
  return (long)out;
}

static long pull_icu(decoder *d, citeconv_input *in, unsigned char *dst,
                     size_t cap)
{
  for (;;) {
    UErrorCode e = U_ZERO_ERROR;
    char *t = (char *)dst;
    const char *sp, *sl;
    bool flush;
    long n;
    size_t produced;
    if (d->icu_done)
      return 0;
    n = raw_fill(d, in, 1);
    if (n < 0)
      return -1;
    flush = d->raw_eof;
    sp = (const char *)d->raw + d->raw_pos;
    sl = (const char *)d->raw + d->raw_end;
    if (!d->icu_started)
      d->psrc = d->ptgt = d->pivot;
    ucnv_convertEx(d->utf8, d->src, &t, (char *)dst + cap, &sp, sl, d->pivot,
                   &d->psrc, &d->ptgt, d->pivot + PIVOT_CAP,
                   !d->icu_started, flush, &e);
    d->icu_started = true;
    d->raw_pos = (size_t)((const unsigned char *)sp - d->raw);
    produced = (size_t)((unsigned char *)t - dst);
    if (d->first_out && produced > 0) {
      d->first_out = false;
      if (produced >= 3 && memcmp(dst, "\xEF\xBB\xBF", 3) == 0) {
        memmove(dst, dst + 3, produced - 3);
        produced -= 3;
      }
    }
    if (e == U_BUFFER_OVERFLOW_ERROR) {
      if (produced > 0)
        return (long)produced;
      continue;
    }
    if (U_FAILURE(e))
      return -1;
    if (flush)
      d->icu_done = true;
    if (produced > 0)
      return (long)produced;
  }
}

static long pull(citeconv_input *in, void *state, unsigned char *dst,
                 size_t cap)
{
  decoder *d = state;
  long n;
  if (cap == 0)
    return 0;
  if (d->pend_len) {
    size_t k = d->pend_len < cap ? d->pend_len : cap;
    memcpy(dst, d->pend + d->pend_pos, k);
    d->pend_pos += k;
    d->pend_len -= k;
    return (long)k;
  }
  if (!d->started) {
    long avail = raw_fill(d, in, 4);
    const unsigned char *p = d->raw;
    d->started = true;
    if (avail < 0)
      return -1;
    if (avail >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
      d->raw_pos += 3;
      if (!d->explicit_enc) {
        d->mode = MODE_UTF8;
        snprintf(d->name, sizeof d->name, "UTF-8");
      }
    } else if (!d->explicit_enc) {
      const char *name = NULL;
      size_t skip = 0;
      if (avail >= 4 && memcmp(p, "\xFF\xFE\0\0", 4) == 0)
        name = "UTF-32LE", skip = 4;
      else if (avail >= 4 && memcmp(p, "\0\0\xFE\xFF", 4) == 0)
        name = "UTF-32BE", skip = 4;
      else if (avail >= 2 && memcmp(p, "\xFF\xFE", 2) == 0)
        name = "UTF-16LE", skip = 2;
      else if (avail >= 2 && memcmp(p, "\xFE\xFF", 2) == 0)
        name = "UTF-16BE", skip = 2;
      if (name) {
        int rc = open_icu(d, name);
        if (rc < 0)
          return -1;
        d->first_out = false;
        d->raw_pos += skip;
      }
    }
  }
  if (d->mode == MODE_ICU)
    n = pull_icu(d, in, dst, cap);
  else
    n = pull_utf8(d, in, dst, cap);
  /* A decision made inside pull_utf8 may leave nothing decoded yet. */
  if (n == 0 && d->mode == MODE_ICU && !d->icu_done)
    n = pull_icu(d, in, dst, cap);
  return n;
}

int citeconv_charset_decode(citeconv_input *in, citeconv_session *s,
                            const char *encoding)
{
  decoder *d;
  int rc;
  if (!encoding)
    encoding = citeconv_session_option(s, "input-encoding");
  if (!encoding || !*encoding)
    encoding = "auto";
  d = calloc(1, sizeof(*d));
  if (!d)
    return CITECONV_ENOMEM;
  d->s = s;
  d->file = citeconv_input_name(in);
  d->line = 1;
  d->col = 1;
  if (strcmp(encoding, "auto") != 0) {
    d->explicit_enc = true;
    if (ucnv_compareNames(encoding, "UTF-8") == 0) {
      d->mode = MODE_UTF8;
      snprintf(d->name, sizeof d->name, "UTF-8");
    } else {
      rc = open_icu(d, encoding);
      if (rc < 0) {
        decoder_free(d);
        if (rc == CITECONV_EUSAGE)
          return citeconv_session_fail(
              s, CITECONV_EUSAGE,
              "unknown input encoding '%s' (try UTF-8, windows-1252, "
              "ISO-8859-1, UTF-16LE)",
              encoding);
        return rc;
      }
    }
  }
  rc = citeconv_input_set_filter(in, pull, decoder_free, d);
  if (rc < 0) {
    decoder_free(d);
    return rc;
  }
  return 0;
}

const char *citeconv_charset_of(const citeconv_input *in)
{
  const decoder *d;
  if (!in->pull || in->pull != pull)
    return NULL;
  d = in->pull_state;
  return d->name[0] ? d->name : NULL;
}
