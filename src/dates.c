/* Dates written as text into the record's structured form. */
#include "dates.h"

#include <string.h>

static const struct {
  const char *name;
  int month;
} month_names[] = {
    {"january", 1}, {"february", 2}, {"march", 3},     {"april", 4},
    {"may", 5},     {"june", 6},     {"july", 7},      {"august", 8},
    {"september", 9}, {"october", 10}, {"november", 11}, {"december", 12},
    {"sept", 9},    {"spring", 21},  {"summer", 22},   {"autumn", 23},
    {"fall", 23},   {"winter", 24},  {NULL, 0}};

static char lower(char c)
{
  return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

int citeconv_month_from_name(const char *s, size_t n)
{
  char w[16];
  size_t len = 0;
  for (size_t i = 0; i < n && len < sizeof w - 1; i++) {
    if (s[i] == '.')
      break;
    w[len++] = lower(s[i]);
  }
  w[len] = '\0';
  if (len < 3)
    return 0;
  for (size_t i = 0; month_names[i].name; i++) {
    const char *m = month_names[i].name;
    size_t ml = strlen(m);
    /* A full name, or an abbreviation of at least three letters. */
    if (len <= ml && strncmp(m, w, len) == 0 &&
        (len == ml || len == 3 || (len == 4 && month_names[i].month == 9)))
      return month_names[i].month;
  }
  return 0;
}

static int days_in_month(int y, int m)
{
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return (m >= 1 && m <= 12) ? days[m - 1] : 0;
}

static bool ymd_valid(int y, int m, int d)
{
  if (m < 0 || m > 12 || d < 0)
    return false;
  if (d && !m)
    return false;
  if (d && d > days_in_month(y ? y : 2000, m))
    return false;
  return true;
}

bool citeconv_date_is_valid(const citeconv_date *d)
{
  return ymd_valid(d->year, d->month, d->day) &&
         ymd_valid(d->end_year, d->end_month, d->end_day);
}

/* A token of the date text: a number, a word, or one punctuation mark. */
typedef struct {
  enum { T_NUM, T_WORD, T_PUNCT } kind;
  const char *s;
  size_t n;
  long num;
} token;

#define MAX_TOKENS 16

static size_t tokenize(const char *s, size_t n, token *t, bool *circa)
{
  size_t i = 0, nt = 0;
  while (i < n && nt < MAX_TOKENS) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == ',' || c == '\n' || c == '\r') {
      i++;
      continue;
    }
    /* EDTF qualifiers inside a range ("2011-05-25~/2012"). */
    if (c == '~' || c == '?' || c == '%') {
      *circa = true;
      i++;
      continue;
    }
    t[nt].s = s + i;
    if (c >= '0' && c <= '9') {
      long v = 0;
      size_t j = i;
      while (j < n && s[j] >= '0' && s[j] <= '9') {
        if (v < 100000000)
          v = v * 10 + (s[j] - '0');
        j++;
      }
      t[nt].kind = T_NUM;
      t[nt].num = v;
      t[nt].n = j - i;
      i = j;
    } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
      size_t j = i;
      while (j < n && ((s[j] >= 'A' && s[j] <= 'Z') ||
                       (s[j] >= 'a' && s[j] <= 'z')))
        j++;
      if (j < n && s[j] == '.')
        j++;
      t[nt].kind = T_WORD;
      t[nt].n = j - i;
      i = j;
    } else {
      t[nt].kind = T_PUNCT;
      t[nt].n = 1;
      /* An en dash (U+2013) counts as a range mark. */
      if ((unsigned char)c == 0xE2 && i + 2 < n &&
          (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x93) {
        t[nt].s = "-";
        i += 3;
      } else {
        i++;
      }
    }
    nt++;
  }
  return i < n ? 0 : nt;
}

/* One date (no range) from tokens t[0..nt): fills y/m/d/season. */
static bool one_date(const token *t, size_t nt, int *y, int *m, int *d,
                     int *season)
{
  int year = 0, month = 0, day = 0;
  bool have_year = false;
  *season = 0;
  if (nt == 0)
    return false;
  /* ISO: Y-M-D, Y-M, Y (numbers joined by '-'). */
  if (t[0].kind == T_NUM && t[0].n == 4) {
    year = (int)t[0].num;
    have_year = true;
    if (nt == 1)
      goto ok;
    if (nt >= 3 && t[1].kind == T_PUNCT && (*t[1].s == '-' || *t[1].s == '/') &&
        t[2].kind == T_NUM && t[2].n <= 2) {
      month = (int)t[2].num;
      if (nt == 3)
        goto ok;
      if (nt == 5 && t[3].kind == T_PUNCT && *t[3].s == *t[1].s &&
          t[4].kind == T_NUM && t[4].n <= 2) {
        day = (int)t[4].num;
        goto ok;
      }
      return false;
    }
    /* "2005 Jun 15", "2005 Jun", "2005 Spring" */
    if (t[1].kind == T_WORD) {
      month = citeconv_month_from_name(t[1].s, t[1].n);
      if (!month)
        return false;
      if (nt == 2)
        goto ok;
      if (nt == 3 && t[2].kind == T_NUM && t[2].n <= 2) {
        day = (int)t[2].num;
        goto ok;
      }
    }
    return false;
  }
  /* "June 2005", "June 15 2005", "Spring 2003" */
  if (t[0].kind == T_WORD) {
    month = citeconv_month_from_name(t[0].s, t[0].n);
    if (!month)
      return false;
    if (nt == 2 && t[1].kind == T_NUM && t[1].n == 4) {
      year = (int)t[1].num;
      have_year = true;
      goto ok;
    }
    if (nt == 3 && t[1].kind == T_NUM && t[1].n <= 2 && t[2].kind == T_NUM &&
        t[2].n == 4) {
      day = (int)t[1].num;
      year = (int)t[2].num;
      have_year = true;
      goto ok;
    }
    return false;
  }
  /* "15 June 2005", "15/06/2005" is ambiguous and not read. */
  if (t[0].kind == T_NUM && t[0].n <= 2 && nt == 3 && t[1].kind == T_WORD &&
      t[2].kind == T_NUM && t[2].n == 4) {
    day = (int)t[0].num;
    month = citeconv_month_from_name(t[1].s, t[1].n);
    year = (int)t[2].num;
    have_year = true;
    if (month)
      goto ok;
  }
  return false;
ok:
  if (!have_year)
    return false;
  if (month >= 21 && month <= 24) {
    *season = month - 20;
    month = 0;
    if (day)
      return false;
  } else if (month > 12) {
    return false;
  }
  *y = year;
  *m = month;
  *d = day;
  return ymd_valid(year, month, day);
}

bool citeconv_date_parse(const char *s, size_t n, citeconv_date *out)
{
  token t[MAX_TOKENS];
  size_t nt, split = 0;
  memset(out, 0, sizeof(*out));
  /* EDTF qualifiers: "~" circa (leading or trailing), "?" uncertain. */
  while (n && (*s == ' ' || *s == '~' || *s == '[')) {
    if (*s == '~')
      out->circa = true;
    s++;
    n--;
  }
  while (n && (s[n - 1] == ' ' || s[n - 1] == '~' || s[n - 1] == '?' ||
               s[n - 1] == ']' || s[n - 1] == '.')) {
    if (s[n - 1] == '~' || s[n - 1] == '?')
      out->circa = true;
    n--;
  }
  if (n >= 4 && (strncmp(s, "ca. ", 4) == 0 || strncmp(s, "c. ", 3) == 0)) {
    size_t skip = s[1] == 'a' ? 4 : 3;
    out->circa = true;
    s += skip;
    n -= skip;
  }
  /* EDTF open start: "../2004-01-01" or "/2004-01-01". */
  if ((n > 2 && s[0] == '.' && s[1] == '.' && s[2] == '/') ||
      (n > 1 && s[0] == '/')) {
    size_t skip = s[0] == '/' ? 1 : 3;
    int y, m, d, se;
    nt = tokenize(s + skip, n - skip, t, &out->circa);
    if (nt && one_date(t, nt, &y, &m, &d, &se)) {
      out->end_year = y;
      out->end_month = m;
      out->end_day = d;
      out->end_season = se;
      return true;
    }
    return false;
  }
  nt = tokenize(s, n, t, &out->circa);
  if (nt == 0)
    return false;
  /* A range: "/" (EDTF) or "-" between two dates that each parse. */
  for (size_t i = 1; i + 1 < nt; i++) {
    if (t[i].kind == T_PUNCT && (*t[i].s == '/' || *t[i].s == '-')) {
      int y, m, d, se;
      int y2, m2, d2, se2;
      if (one_date(t, i, &y, &m, &d, &se) &&
          one_date(t + i + 1, nt - i - 1, &y2, &m2, &d2, &se2)) {
        out->year = y;
        out->month = m;
        out->day = d;
        out->season = se;
        out->end_year = y2;
        out->end_month = m2;
        out->end_day = d2;
        out->end_season = se2;
        return true;
      }
      /* "1998 Dec-1999 Jan" handled above; "2005 Jun-Jul": end month
       * borrows the year. */
      if (one_date(t, i, &y, &m, &d, &se) && nt - i - 1 == 1 &&
          t[i + 1].kind == T_WORD) {
        int mm = citeconv_month_from_name(t[i + 1].s, t[i + 1].n);
        if (mm && (m || se)) {
          out->year = out->end_year = y;
          out->month = m;
          out->season = se;
          if (mm > 20)
            out->end_season = mm - 20;
          else
            out->end_month = mm;
          return true;
        }
      }
      /* "2005 Jun 1-15" or "1999-2000" style: a bare number after the
       * mark extends the last part. */
      if (one_date(t, i, &y, &m, &d, &se) && nt - i - 1 == 1 &&
          t[i + 1].kind == T_NUM) {
        long v = t[i + 1].num;
        if (d && v >= 1 && v <= 31) {
          out->year = out->end_year = y;
          out->month = out->end_month = m;
          out->day = d;
          out->end_day = (int)v;
          return ymd_valid(y, m, (int)v);
        }
        if (!m && !d && t[i + 1].n == 4) {
          out->year = y;
          out->end_year = (int)v;
          return true;
        }
      }
      split = i;
    }
  }
  (void)split;
  {
    int y, m, d, se;
    if (one_date(t, nt, &y, &m, &d, &se)) {
      out->year = y;
      out->month = m;
      out->day = d;
      out->season = se;
      return true;
    }
  }
  /* Keep at least a year when one stands alone at the start or end. */
  if (t[0].kind == T_NUM && t[0].n == 4)
    out->year = (int)t[0].num;
  else if (t[nt - 1].kind == T_NUM && t[nt - 1].n == 4)
    out->year = (int)t[nt - 1].num;
  return false;
}
