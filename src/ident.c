/* Identifiers: DOI clean-up and syntax (ICU confusables for look-alike
 * characters), check digits of ISSN, ISBN and ORCID, forms of PMID, PMCID
 * and arXiv ids. */
#include "ident.h"

#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>

#include "citeconv/common.h"
#include "text.h"

static char lower(char c)
{
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}

/* Whether s[0..n) starts with the ASCII text p, ignoring case. */
static bool starts_ci(const char *s, size_t n, const char *p)
{
  size_t k = strlen(p);
  if (n < k)
    return false;
  for (size_t i = 0; i < k; i++)
    if (lower(s[i]) != p[i])
      return false;
  return true;
}

/* White space and invisible characters that are never part of a DOI. */
static bool is_uspace(long cp)
{
  return cp == 0xA0 || cp == 0xAD || (cp >= 0x2000 && cp <= 0x200D) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x2060 || cp == 0x3000 || cp == 0xFEFF || cp == 0x1680;
}

/* Dashes and hyphens that stand for '-' (hyphen-minus). */
static bool is_udash(long cp)
{
  return (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0x2043 ||
         cp == 0xFE58 || cp == 0xFE63 || cp == 0xFF0D || cp == 0x02D7;
}

static int hexval(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* The ASCII character that looks like code point cp, or 0: NFKC first
 * (full-width forms), then ICU's confusable skeleton (Cyrillic and Greek
 * letters). *sc is opened on first use. */
static char ascii_lookalike(long cp, USpoofChecker **sc)
{
  UErrorCode err = U_ZERO_ERROR;
  UChar in[2], out[16];
  int32_t inlen = 0, outlen;
  const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&err);
  U16_APPEND_UNSAFE(in, inlen, (UChar32)cp);
  if (U_SUCCESS(err)) {
    outlen = unorm2_normalize(nfkc, in, inlen, out, 16, &err);
    if (U_SUCCESS(err) && outlen == 1 && out[0] > 0x20 && out[0] < 0x7F)
      return (char)out[0];
  }
  err = U_ZERO_ERROR;
  if (!*sc) {
    *sc = uspoof_open(&err);
    if (U_FAILURE(err)) {
      *sc = NULL;
      return 0;
    }
  }
  outlen = uspoof_getSkeleton(*sc, 0, in, inlen, out, 16, &err);
  if (U_SUCCESS(err) && outlen == 1 && out[0] > 0x20 && out[0] < 0x7F)
    return (char)out[0];
  return 0;
}

/* Length of a URL or label prefix in front of a DOI, and which. */
static size_t doi_prefix(const char *s, size_t n, unsigned *kind)
{
  size_t i = 0;
  if (starts_ci(s, n, "https://") || starts_ci(s, n, "http://")) {
    size_t h = s[4] == ':' ? 7 : 8, e = h;
    while (e < n && s[e] != '/')
      e++;
    /* doi.org, dx.doi.org, www.doi.org, hdl.handle.net, or any resolver
     * whose path is the DOI itself (doi.acm.org/10.1145/...) */
    if (e < n && ((e - h >= 7 && starts_ci(s + e - 7, 7, "doi.org")) ||
                  (e - h >= 14 &&
                   starts_ci(s + e - 14, 14, "hdl.handle.net")) ||
                  (n - e > 4 && s[e + 1] == '1' && s[e + 2] == '0' &&
                   s[e + 3] == '.' && is_digit(s[e + 4])))) {
      *kind = CITECONV_DOI_URL;
      return e + 1;
    }
    return 0;
  }
  if (starts_ci(s, n, "dx.doi.org/")) {
    *kind = CITECONV_DOI_URL;
    return 11;
  }
  if (starts_ci(s, n, "doi.org/")) {
    *kind = CITECONV_DOI_URL;
    return 8;
  }
  if (starts_ci(s, n, "info:doi/"))
    i = 9;
  else if (starts_ci(s, n, "doi:") || starts_ci(s, n, "doi/"))
    i = 4;
  else if (starts_ci(s, n, "doi") && n > 3 && citeconv_is_space(s[3]))
    i = 3;
  else
    return 0;
  while (i < n && citeconv_is_space(s[i]))
    i++;
  *kind = CITECONV_DOI_LABEL;
  return i;
}

/* Whether the last character of b closes nothing opened before it. */
static bool unbalanced_close(const char *s, size_t n, char open, char close)
{
  long depth = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == open)
      depth++;
    else if (s[i] == close)
      depth--;
  }
  return depth < 0;
}

static size_t trim_trailing(const char *s, size_t n)
{
  while (n > 0) {
    char c = s[n - 1];
    if (c == '.' || c == ',' || c == ';' || c == ':' || c == '"' ||
        c == '\'')
      n--;
    else if (c == ')' && unbalanced_close(s, n, '(', ')'))
      n--;
    else if (c == ']' && unbalanced_close(s, n, '[', ']'))
      n--;
    else
      break;
  }
  return n;
}

int citeconv_doi_clean(citeconv_buf *out, const char *s, size_t n,
                       unsigned *problems)
{
  citeconv_buf tmp = CITECONV_BUF_INIT;
  USpoofChecker *sc = NULL;
  unsigned found = 0, kind;
  size_t i, k, start = out->len;
  int rc = 0;

  /* Ends first, so that a prefix after a stray space is still seen. */
  while (n > 0 && citeconv_is_space(s[n - 1])) {
    n--;
    found |= CITECONV_DOI_SPACE;
  }
  while (n > 0 && citeconv_is_space(*s)) {
    s++;
    n--;
    found |= CITECONV_DOI_SPACE;
  }
  while ((k = doi_prefix(s, n, &kind)) > 0) {
    found |= kind;
    s += k;
    n -= k;
  }
  /* Percent-encoding of printable ASCII: "10.1000%2F182". */
  for (i = 0; i < n && rc == 0; i++) {
    if (s[i] == '%' && i + 2 < n + 0 && hexval(s[i + 1]) >= 0 &&
        hexval(s[i + 2]) >= 0) {
      int v = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
      if (v > 0x20 && v < 0x7F) {
        rc = citeconv_buf_addc(&tmp, (char)v);
        found |= CITECONV_DOI_PERCENT;
        i += 2;
        continue;
      }
    }
    rc = citeconv_buf_addc(&tmp, s[i]);
  }
  if (rc < 0)
    goto done;
  /* White space and look-alike characters. */
  for (i = 0; i < tmp.len && rc == 0;) {
    const unsigned char *p = (const unsigned char *)tmp.data + i;
    size_t adv;
    long cp;
    char a;
    if (*p < 0x80) {
      if (citeconv_is_space((char)*p))
        found |= CITECONV_DOI_SPACE;
      else
        rc = citeconv_buf_addc(out, (char)*p);
      i++;
      continue;
    }
    cp = citeconv_utf8_decode(p, tmp.len - i, &adv);
    if (cp >= 0 && is_uspace(cp)) {
      found |= CITECONV_DOI_SPACE;
    } else if (cp >= 0 && is_udash(cp)) {
      found |= CITECONV_DOI_LOOKALIKE;
      rc = citeconv_buf_addc(out, '-');
    } else if (cp >= 0 && (a = ascii_lookalike(cp, &sc)) != 0) {
      found |= CITECONV_DOI_LOOKALIKE;
      rc = citeconv_buf_addc(out, a);
    } else {
      rc = citeconv_buf_add(out, tmp.data + i, adv);
    }
    i += adv;
  }
  if (rc < 0)
    goto done;
  k = trim_trailing(out->data ? out->data + start : "", out->len - start);
  if (k < out->len - start) {
    found |= CITECONV_DOI_TRAILING;
    out->len = start + k;
    out->data[out->len] = '\0';
  }
done:
  if (sc)
    uspoof_close(sc);
  citeconv_buf_free(&tmp);
  *problems = found;
  return rc;
}

/* Length of the "10.NNNN(.NNN)/" head at s, or 0. */
static size_t doi_head(const char *s, size_t n, size_t min_digits)
{
  size_t i = 3, d = 0;
  if (n < 5 || s[0] != '1' || s[1] != '0' || s[2] != '.')
    return 0;
  while (i < n && is_digit(s[i])) {
    i++;
    d++;
  }
  if (d < min_digits)
    return 0;
  while (i + 1 < n && s[i] == '.' && is_digit(s[i + 1])) {
    i++;
    while (i < n && is_digit(s[i]))
      i++;
  }
  if (i >= n || s[i] != '/')
    return 0;
  return i + 1;
}

bool citeconv_doi_is_valid(const char *s, size_t n)
{
  size_t i = doi_head(s, n, 1);
  /* A shortDOI ("10/abcd") is an alias the DOI resolver accepts. */
  if (n > 3 && memcmp(s, "10/", 3) == 0) {
    for (i = 3; i < n; i++)
      if (!is_digit(s[i]) && !(lower(s[i]) >= 'a' && lower(s[i]) <= 'z'))
        return false;
    return true;
  }
  if (i == 0 || i >= n)
    return false;
  while (i < n) {
    const unsigned char *p = (const unsigned char *)s + i;
    size_t adv;
    long cp = citeconv_utf8_decode(p, n - i, &adv);
    if (cp < 0 || cp <= 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
        is_uspace(cp))
      return false;
    i += adv;
  }
  return true;
}

bool citeconv_doi_find(const char *s, size_t n, size_t *off, size_t *len)
{
  for (size_t i = 0; i + 5 < n; i++) {
    size_t h, e;
    if (s[i] != '1' || s[i + 1] != '0' || s[i + 2] != '.')
      continue;
    if (i > 0 && (is_digit(s[i - 1]) || s[i - 1] == '.'))
      continue;
    h = doi_head(s + i, n - i, 4);
    if (!h)
      continue;
    e = i + h;
    while (e < n && !citeconv_is_space(s[e]) && s[e] != '"' && s[e] != '<' &&
           s[e] != '>' && s[e] != '?' && s[e] != '&' && s[e] != '#')
      e++;
    e = i + trim_trailing(s + i, e - i);
    if (e > i + h) {
      *off = i;
      *len = e - i;
      return true;
    }
  }
  return false;
}

/* Copy the digits (and a final X) of s[0..n) into d, skipping hyphens and
 * spaces; returns how many, or -1 for any other character. */
static int digits_of(const char *s, size_t n, char *d, int max)
{
  int k = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '-' || c == ' ')
      continue;
    if (c == 'x')
      c = 'X';
    if (!is_digit(c) && c != 'X')
      return -1;
    if (k == max)
      return -1;
    d[k++] = c;
  }
  return k;
}

int citeconv_issn_verify(const char *s, size_t n, char *want)
{
  char d[8];
  int sum = 0, c;
  /* The form is NNNN-NNNC or NNNNNNNC; nothing else. */
  if (!(n == 9 && s[4] == '-') && n != 8)
    return CITECONV_IDENT_FORM;
  if (digits_of(s, n, d, 8) != 8)
    return CITECONV_IDENT_FORM;
  for (int i = 0; i < 7; i++) {
    if (d[i] == 'X')
      return CITECONV_IDENT_FORM;
    sum += (d[i] - '0') * (8 - i);
  }
  c = (11 - sum % 11) % 11;
  *want = c == 10 ? 'X' : (char)('0' + c);
  return *want == d[7] ? CITECONV_IDENT_OK : CITECONV_IDENT_CHECKSUM;
}

int citeconv_isbn_verify(const char *s, size_t n, char *want)
{
  char d[13];
  int k = digits_of(s, n, d, 13), sum = 0, c;
  if (k == 10) {
    for (int i = 0; i < 9; i++) {
      if (d[i] == 'X')
        return CITECONV_IDENT_FORM;
      sum += (d[i] - '0') * (10 - i);
    }
    c = (11 - sum % 11) % 11;
    *want = c == 10 ? 'X' : (char)('0' + c);
  } else if (k == 13) {
    if (memcmp(d, "978", 3) != 0 && memcmp(d, "979", 3) != 0)
      return CITECONV_IDENT_FORM;
    for (int i = 0; i < 13; i++)
      if (d[i] == 'X')
        return CITECONV_IDENT_FORM;
    for (int i = 0; i < 12; i++)
      sum += (d[i] - '0') * (i % 2 ? 3 : 1);
    *want = (char)('0' + (10 - sum % 10) % 10);
  } else {
    return CITECONV_IDENT_FORM;
  }
  return *want == d[k - 1] ? CITECONV_IDENT_OK : CITECONV_IDENT_CHECKSUM;
}

int citeconv_orcid_verify(const char *s, size_t n, char *want)
{
  char d[16];
  int total = 0, c;
  if (starts_ci(s, n, "https://orcid.org/"))
    s += 18, n -= 18;
  else if (starts_ci(s, n, "http://orcid.org/"))
    s += 17, n -= 17;
  if (n != 19 || s[4] != '-' || s[9] != '-' || s[14] != '-')
    return CITECONV_IDENT_FORM;
  if (digits_of(s, n, d, 16) != 16)
    return CITECONV_IDENT_FORM;
  for (int i = 0; i < 15; i++) {
    if (d[i] == 'X')
      return CITECONV_IDENT_FORM;
    total = (total + d[i] - '0') * 2;
  }
  c = (12 - total % 11) % 11;
  *want = c == 10 ? 'X' : (char)('0' + c);
  return *want == d[15] ? CITECONV_IDENT_OK : CITECONV_IDENT_CHECKSUM;
}

static bool all_digits(const char *s, size_t n, size_t lo, size_t hi)
{
  if (n < lo || n > hi)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!is_digit(s[i]))
      return false;
  return true;
}

bool citeconv_pmid_is_valid(const char *s, size_t n)
{
  return all_digits(s, n, 1, 9) && s[0] != '0';
}

bool citeconv_pmcid_is_valid(const char *s, size_t n)
{
  return n > 3 && memcmp(s, "PMC", 3) == 0 &&
         all_digits(s + 3, n - 3, 1, 9) && s[3] != '0';
}

/* "v" + digits at the end of an arXiv id; returns the length without it. */
static size_t strip_version(const char *s, size_t n)
{
  size_t e = n;
  while (e > 0 && is_digit(s[e - 1]))
    e--;
  if (e < n && e > 0 && s[e - 1] == 'v')
    return e - 1;
  return n;
}

bool citeconv_arxiv_is_valid(const char *s, size_t n)
{
  size_t slash;
  int yy, mm;
  if (starts_ci(s, n, "arxiv:"))
    s += 6, n -= 6;
  n = strip_version(s, n);
  /* New scheme (April 2007 on): YYMM.NNNN, five digits from 2015. */
  if (n >= 9 && s[4] == '.' && all_digits(s, 4, 4, 4)) {
    yy = (s[0] - '0') * 10 + (s[1] - '0');
    mm = (s[2] - '0') * 10 + (s[3] - '0');
    if (mm < 1 || mm > 12 || (yy < 7) || (yy == 7 && mm < 4))
      return false;
    return all_digits(s + 5, n - 5, yy >= 15 ? 5 : 4, yy >= 15 ? 5 : 4);
  }
  /* Old scheme: archive(.SC)/YYMMNNN. */
  for (slash = 0; slash < n && s[slash] != '/'; slash++)
    ;
  if (slash == 0 || slash == n || !all_digits(s + slash + 1, n - slash - 1, 7,
                                              7))
    return false;
  mm = (s[slash + 3] - '0') * 10 + (s[slash + 4] - '0');
  if (mm < 1 || mm > 12)
    return false;
  for (size_t i = 0; i < slash; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || c == '-' ||
          (c == '.' && i + 3 == slash) || (i + 2 >= slash && c >= 'A' &&
                                           c <= 'Z')))
      return false;
  }
  return true;
}
