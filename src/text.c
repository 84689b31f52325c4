/* UTF-8 decoding, Unicode normalisation and case folding through ICU, and
 * the record's small markup. */
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ucasemap.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "citeconv/common.h"

long citeconv_utf8_decode(const unsigned char *s, size_t n, size_t *adv)
{
  unsigned c = s[0];
  long cp;
  size_t len, i;
  *adv = 1;
  if (c < 0x80)
    return c;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return -1;
  }
  if (n < len)
    return -1;
  for (i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return -1;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return -1;
  *adv = len;
  return cp;
}

/* Length of the all-ASCII prefix of p[0..n): a vector at a time. */
static unsigned high_stops(citeconv_vec x)
{
  return citeconv_vec_mask(citeconv_vec_high(x));
}

static size_t ascii_prefix(const unsigned char *p, size_t n)
{
  return citeconv_vec_span(p, n, high_stops);
}

/* The end of the ASCII run that starts at p[i]: a vector at a time while
 * a vector is left, then byte by byte, which costs less than a vector
 * test for the few bytes between two accented letters of a name. */
static size_t ascii_end(const unsigned char *p, size_t i, size_t n)
{
  if (n - i >= CITECONV_VEC)
    return i + ascii_prefix(p + i, n - i);
  while (i < n && p[i] < 0x80)
    i++;
  return i;
}

bool citeconv_utf8_valid(const char *s, size_t n, size_t *bad)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, adv;
  while (i < n) {
    if (p[i] < 0x80) {
      i = ascii_end(p, i, n);
      continue;
    }
    if (citeconv_utf8_decode(p + i, n - i, &adv) < 0) {
      if (bad)
        *bad = i;
      return false;
    }
    i += adv;
  }
  return true;
}

size_t citeconv_utf8_count(const char *s, size_t n)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t count = n, i = 0;
  for (; n - i >= CITECONV_VEC; i += CITECONV_VEC) {
    citeconv_vec x = citeconv_vec_load(p + i);
    if (citeconv_vec_mask(citeconv_vec_high(x)))
      count -= citeconv_mask_count(citeconv_vec_mask(citeconv_vec_cont(x)));
  }
  for (; i < n; i++)
    count -= (p[i] & 0xC0) == 0x80;
  return count;
}

bool citeconv_text_is_ascii(const char *s, size_t n)
{
  return ascii_prefix((const unsigned char *)s, n) == n;
}

bool citeconv_text_quick_nfc(const char *s, size_t n)
{
  /* UAX #15's quick check: text is NFC when every code point has
   * NFC_Quick_Check=Yes and the non-zero combining classes never go down.
   * Every code point below U+0300 is Yes with class 0: no lookup. */
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, adv;
  uint8_t last = 0;
  while (i < n) {
    long cp;
    uint8_t ccc;
    if (p[i] < 0x80) {
      i = ascii_end(p, i, n);
      last = 0;
      continue;
    }
    if (p[i] >= 0xC2 && p[i] < 0xCC && i + 1 < n &&
        (p[i + 1] & 0xC0) == 0x80) {
      /* Two bytes below U+0300, such as the accented Latin letters. */
      i += 2;
      last = 0;
      continue;
    }
    cp = citeconv_utf8_decode(p + i, n - i, &adv);
    if (cp < 0)
      return false;
    i += adv;
    if (cp < 0x300) {
      last = 0;
      continue;
    }
    if (u_getIntPropertyValue((UChar32)cp, UCHAR_NFC_QUICK_CHECK) !=
        UNORM_YES)
      return false;
    ccc = u_getCombiningClass((UChar32)cp);
    if (ccc != 0 && last > ccc)
      return false;
    last = ccc;
  }
  return true;
}

/* s[0..n) as UTF-16 in a malloc'd buffer; invalid UTF-8 becomes U+FFFD. */
static UChar *to_utf16(const char *s, size_t n, int32_t *ulen)
{
  UErrorCode err = U_ZERO_ERROR;
  UChar *u;
  int32_t cap;
  if (n > INT32_MAX / 2)
    return NULL;
  cap = (int32_t)n + 1;
  u = malloc(sizeof(UChar) * (size_t)cap);
  if (!u)
    return NULL;
  u_strFromUTF8WithSub(u, cap, ulen, s, (int32_t)n, 0xFFFD, NULL, &err);
  if (U_FAILURE(err)) {
    free(u);
    return NULL;
  }
  return u;
}

static int add_utf16(citeconv_buf *out, const UChar *u, int32_t ulen)
{
  UErrorCode err = U_ZERO_ERROR;
  int32_t need = 0;
  char *tmp;
  int rc;
  u_strToUTF8(NULL, 0, &need, u, ulen, &err);
  if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
    return CITECONV_ENOMEM;
  err = U_ZERO_ERROR;
  tmp = malloc((size_t)need + 1);
  if (!tmp)
    return CITECONV_ENOMEM;
  u_strToUTF8(tmp, need + 1, NULL, u, ulen, &err);
  rc = U_FAILURE(err) ? CITECONV_ENOMEM
                      : citeconv_buf_add(out, tmp, (size_t)need);
  free(tmp);
  return rc;
}

int citeconv_text_nfc(citeconv_buf *out, const char *s, size_t n)
{
  /* One pass each way and one normalisation, in stack buffers when the
   * text is short (the usual case: a name or a title with an accent
   * written as a LaTeX command). Normalising text that is NFC already
   * gives it back unchanged. */
  UErrorCode err = U_ZERO_ERROR;
  const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
  UChar ustack[512], vstack[1024];
  char cstack[2048];
  UChar *u = ustack, *v = vstack;
  char *c = cstack;
  int32_t ulen = 0, vlen, clen = 0, vcap, ccap;
  int rc = CITECONV_ENOMEM;
  if (U_FAILURE(err) || n > INT32_MAX / 8)
    return CITECONV_ENOMEM;
  if (n + 1 > sizeof ustack / sizeof *ustack &&
      !(u = malloc(sizeof(UChar) * (n + 1))))
    goto done;
  u_strFromUTF8WithSub(u, (int32_t)n + 1, &ulen, s, (int32_t)n, 0xFFFD, NULL,
                       &err);
  if (U_FAILURE(err))
    goto done;
  /* NFC is at most three times as long as its input. */
  vcap = 3 * ulen + 1;
  if ((size_t)vcap > sizeof vstack / sizeof *vstack &&
      !(v = malloc(sizeof(UChar) * (size_t)vcap)))
    goto done;
  vlen = unorm2_normalize(nfc, u, ulen, v, vcap, &err);
  if (U_FAILURE(err))
    goto done;
  ccap = 3 * vlen + 1;
  if ((size_t)ccap > sizeof cstack && !(c = malloc((size_t)ccap)))
    goto done;
  u_strToUTF8(c, ccap, &clen, v, vlen, &err);
  if (U_FAILURE(err))
    goto done;
  rc = citeconv_buf_add(out, c, (size_t)clen);
done:
  if (u != ustack)
    free(u);
  if (v != vstack)
    free(v);
  if (c != cstack)
    free(c);
  return rc;
}

int citeconv_text_casefold(citeconv_buf *out, const char *s, size_t n)
{
  UErrorCode err = U_ZERO_ERROR;
  UChar *u, *v;
  int32_t ulen, vlen;
  int rc;
  u = to_utf16(s, n, &ulen);
  if (!u)
    return CITECONV_ENOMEM;
  vlen = u_strFoldCase(NULL, 0, u, ulen, U_FOLD_CASE_DEFAULT, &err);
  err = U_ZERO_ERROR;
  v = malloc(sizeof(UChar) * ((size_t)vlen + 1));
  if (!v) {
    free(u);
    return CITECONV_ENOMEM;
  }
  u_strFoldCase(v, vlen + 1, u, ulen, U_FOLD_CASE_DEFAULT, &err);
  free(u);
  if (U_FAILURE(err)) {
    free(v);
    return CITECONV_ENOMEM;
  }
  {
    citeconv_buf tmp = CITECONV_BUF_INIT;
    rc = add_utf16(&tmp, v, vlen);
    if (rc >= 0)
      rc = citeconv_text_nfc(out, tmp.data ? tmp.data : "", tmp.len);
    citeconv_buf_free(&tmp);
  }
  free(v);
  return rc;
}

static const char *const markup_tags[] = {
    "<i>", "</i>", "<b>", "</b>", "<sup>", "</sup>", "<sub>", "</sub>",
    "<sc>", "</sc>", "<span class=\"nocase\">", "<span class=\"nodecor\">",
    "<span style=\"font-variant:small-caps;\">", "</span>", NULL};

int citeconv_text_strip_markup(citeconv_buf *out, const char *s, size_t n)
{
  size_t i = 0, start = 0, spans = 0;
  int rc;
  while (i < n) {
    if (s[i] == '<') {
      for (size_t t = 0; markup_tags[t]; t++) {
        size_t tl = strlen(markup_tags[t]);
        bool close_span = markup_tags[t][1] == '/' && markup_tags[t][2] == 's'
                          && markup_tags[t][3] == 'p';
        if (tl <= n - i && memcmp(s + i, markup_tags[t], tl) == 0) {
          /* A </span> closes one of the spans above, or it is text. */
          if (close_span && spans == 0)
            break;
          if (close_span)
            spans--;
          else if (markup_tags[t][1] == 's' && markup_tags[t][2] == 'p')
            spans++;
          if ((rc = citeconv_buf_add(out, s + start, i - start)) < 0)
            return rc;
          i += tl;
          start = i;
          goto next;
        }
      }
    }
    i++;
  next:;
  }
  return citeconv_buf_add(out, s + start, n - start);
}

int citeconv_text_squeeze(citeconv_buf *out, const char *s, size_t n)
{
  bool space = false, any = false;
  int rc;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (citeconv_is_space(c)) {
      space = true;
      continue;
    }
    if (space && any && (rc = citeconv_buf_addc(out, ' ')) < 0)
      return rc;
    space = false;
    any = true;
    if ((rc = citeconv_buf_addc(out, (char)c)) < 0)
      return rc;
  }
  return 0;
}

/* The bytes citeconv_text_xml_escape stops at: the five that may be
 * escaped and the control characters (tab and line ends come along). */
static unsigned xml_stops(citeconv_vec x)
{
  citeconv_vec quote = citeconv_vec_or(citeconv_vec_eq(x, '"'),
                                       citeconv_vec_eq(x, '\''));
  citeconv_vec angle = citeconv_vec_or(citeconv_vec_eq(x, '<'),
                                       citeconv_vec_eq(x, '>'));
  return citeconv_vec_mask(citeconv_vec_or(
      citeconv_vec_or(citeconv_vec_in(x, 0, 0x1F), citeconv_vec_eq(x, '&')),
      citeconv_vec_or(quote, angle)));
}

int citeconv_text_xml_escape(citeconv_buf *out, const char *s, size_t n,
                             bool html)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  int rc = 0;
  while (i < n && rc == 0) {
    size_t k = i + citeconv_vec_span(p + i, n - i, xml_stops);
    if (k > i && (rc = citeconv_buf_add(out, s + i, k - i)) != 0)
      break;
    if (k == n)
      break;
    switch (p[k]) {
    case '&':
      rc = citeconv_buf_adds(out, "&amp;");
      break;
    case '<':
      rc = citeconv_buf_adds(out, "&lt;");
      break;
    case '>':
      rc = citeconv_buf_adds(out, "&gt;");
      break;
    case '"':
      rc = citeconv_buf_adds(out, "&quot;");
      break;
    case '\'':
      rc = html ? citeconv_buf_adds(out, "&#39;") : citeconv_buf_addc(out, '\'');
      break;
    case '\t':
    case '\n':
      rc = citeconv_buf_addc(out, (char)p[k]);
      break;
    case '\r':
      rc = citeconv_buf_addc(out, html ? ' ' : '\r');
      break;
    default:
      rc = citeconv_buf_addc(out, ' ');
    }
    i = k + 1;
  }
  return rc;
}
