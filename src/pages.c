/* Page ranges: expanding the NLM's abbreviated ranges (MedlinePgn, PG). */
#include <string.h>

#include "pages.h"

static bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* One "[prefix]digits-[prefix]digits" item; false when it is anything
 * else or needs no expansion. */
static bool expand_one(citeconv_buf *out, const char *s, size_t n, int *rc)
{
  size_t i = 0, p1, d1, d1len, p2, p2len, d2, d2len;
  while (i < n && is_alpha(s[i]))
    i++;
  p1 = 0;
  d1 = i;
  while (i < n && is_digit(s[i]))
    i++;
  d1len = i - d1;
  if (d1len == 0 || i >= n || s[i] != '-')
    return false;
  i++;
  p2 = i;
  while (i < n && is_alpha(s[i]))
    i++;
  p2len = i - p2;
  d2 = i;
  while (i < n && is_digit(s[i]))
    i++;
  d2len = i - d2;
  if (i != n || d2len == 0 || d2len > d1len)
    return false;
  /* Equal lengths: already in full, unless the start's letter prefix is
   * to be carried over ("S1-8" is S1-S8). */
  if (d2len == d1len && (p2len || d1 == p1))
    return false;
  if (p2len && (p2len != d1 - p1 || memcmp(s + p1, s + p2, p2len) != 0))
    return false;
  /* The end must come after the start: "45-3" is no abbreviation. */
  if (memcmp(s + d1 + d1len - d2len, s + d2, d2len) >= 0)
    return false;
  if ((*rc = citeconv_buf_add(out, s, d1 + d1len + 1)) < 0 ||
      (*rc = citeconv_buf_add(out, s + p1, d1 - p1)) < 0 ||
      (*rc = citeconv_buf_add(out, s + d1, d1len - d2len)) < 0 ||
      (*rc = citeconv_buf_add(out, s + d2, d2len)) < 0)
    return true;
  return true;
}

int citeconv_pages_expand(citeconv_buf *out, const char *s, size_t n)
{
  size_t i = 0;
  int rc = 0;
  while (i < n && rc == 0) {
    size_t j = i, a, b;
    while (j < n && s[j] != ',')
      j++;
    a = i;
    b = j;
    while (a < b && s[a] == ' ')
      a++;
    while (b > a && s[b - 1] == ' ')
      b--;
    if ((rc = citeconv_buf_add(out, s + i, a - i)) < 0)
      break;
    if (!expand_one(out, s + a, b - a, &rc))
      rc = citeconv_buf_add(out, s + a, b - a);
    if (rc < 0)
      break;
    rc = citeconv_buf_add(out, s + b, j - b);
    if (rc == 0 && j < n)
      rc = citeconv_buf_addc(out, ',');
    i = j + 1;
  }
  return rc < 0 ? rc : 0;
}

/* One "digits-digits" item shortened; false when it is anything else. */
static bool abbreviate_one(citeconv_buf *out, const char *s, size_t n,
                           int *rc)
{
  size_t i = 0, d1len, common = 0;
  while (i < n && is_digit(s[i]))
    i++;
  d1len = i;
  if (d1len == 0 || i >= n || s[i] != '-' || n - i - 1 != d1len)
    return false;
  for (size_t k = i + 1; k < n; k++)
    if (!is_digit(s[k]))
      return false;
  if (memcmp(s, s + i + 1, d1len) >= 0)
    return false; /* not increasing */
  while (common < d1len && s[common] == s[i + 1 + common])
    common++;
  *rc = citeconv_buf_add(out, s, d1len + 1);
  if (*rc == 0)
    *rc = citeconv_buf_add(out, s + i + 1 + common, d1len - common);
  return true;
}

int citeconv_pages_abbreviate(citeconv_buf *out, const char *s, size_t n)
{
  size_t i = 0;
  int rc = 0;
  while (i < n && rc == 0) {
    size_t j = i, a, b;
    while (j < n && s[j] != ',')
      j++;
    a = i;
    b = j;
    while (a < b && s[a] == ' ')
      a++;
    while (b > a && s[b - 1] == ' ')
      b--;
    if ((rc = citeconv_buf_add(out, s + i, a - i)) < 0)
      break;
    if (!abbreviate_one(out, s + a, b - a, &rc))
      rc = citeconv_buf_add(out, s + a, b - a);
    if (rc < 0)
      break;
    rc = citeconv_buf_add(out, s + b, j - b);
    if (rc == 0 && j < n)
      rc = citeconv_buf_addc(out, ',');
    i = j + 1;
  }
  return rc < 0 ? rc : 0;
}
