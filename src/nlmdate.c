/* NLM date strings (PubMed XML MedlineDate, MEDLINE DP) to record dates. */
#include <string.h>
#include <strings.h>

#include "nlmdate.h"

static const char *const months[] = {"jan", "feb", "mar", "apr",
                                     "may", "jun", "jul", "aug",
                                     "sep", "oct", "nov", "dec"};
static const char *const month_abbr[] = {"Jan", "Feb", "Mar", "Apr",
                                         "May", "Jun", "Jul", "Aug",
                                         "Sep", "Oct", "Nov", "Dec"};

int citeconv_nlmdate_month(const char *s, size_t n)
{
  static const char *const full[] = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  if (n >= 1 && n <= 2 && s[0] >= '0' && s[0] <= '9') {
    int v = s[0] - '0';
    if (n == 2) {
      if (s[1] < '0' || s[1] > '9')
        return 0;
      v = v * 10 + (s[1] - '0');
    }
    return v >= 1 && v <= 12 ? v : 0;
  }
  for (int i = 0; i < 12; i++) {
    if (n == 3 && strncasecmp(s, months[i], 3) == 0)
      return i + 1;
    if (n == strlen(full[i]) && strncasecmp(s, full[i], n) == 0)
      return i + 1;
  }
  /* "Sept" appears in older records. */
  if (n == 4 && strncasecmp(s, "sept", 4) == 0)
    return 9;
  return 0;
}

int citeconv_nlmdate_season(const char *s, size_t n)
{
  if (n == 6 && strncasecmp(s, "spring", 6) == 0)
    return CITECONV_SEASON_SPRING;
  if (n == 6 && strncasecmp(s, "summer", 6) == 0)
    return CITECONV_SEASON_SUMMER;
  if ((n == 4 && strncasecmp(s, "fall", 4) == 0) ||
      (n == 6 && strncasecmp(s, "autumn", 6) == 0))
    return CITECONV_SEASON_AUTUMN;
  if (n == 6 && strncasecmp(s, "winter", 6) == 0)
    return CITECONV_SEASON_WINTER;
  return 0;
}

const char *citeconv_nlmdate_month_abbr(int m)
{
  return m >= 1 && m <= 12 ? month_abbr[m - 1] : NULL;
}

const char *citeconv_nlmdate_season_name(int season)
{
  static const char *const names[] = {"Spring", "Summer", "Fall", "Winter"};
  return season >= 1 && season <= 4 ? names[season - 1] : NULL;
}

bool citeconv_nlmdate_valid(int y, int m, int d)
{
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 0 || m > 12 || d < 0 || d > 31 || (d && !m))
    return false;
  if (m && d) {
    if (d > mdays[m - 1])
      return false;
    if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
      return false;
  }
  return true;
}

/* Tokens: a number, a word, or a dash. */
typedef struct {
  const char *s;
  size_t n;
  char kind; /* 'n' number, 'w' word, '-' dash */
} token;

#define MAX_TOKENS 12

static size_t tokenize(token *t, const char *s, size_t n)
{
  size_t i = 0, k = 0;
  while (i < n) {
    char c = s[i];
    size_t j = i;
    if (c == ' ' || c == ',' || c == '.' || c == '\t') {
      i++;
      continue;
    }
    if (k == MAX_TOKENS)
      return MAX_TOKENS + 1;
    if (c >= '0' && c <= '9') {
      while (j < n && s[j] >= '0' && s[j] <= '9')
        j++;
      t[k].kind = 'n';
    } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
      while (j < n && ((s[j] >= 'A' && s[j] <= 'Z') ||
                       (s[j] >= 'a' && s[j] <= 'z')))
        j++;
      t[k].kind = 'w';
    } else if (c == '-' || c == '/') {
      j++;
      t[k].kind = '-';
    } else {
      return MAX_TOKENS + 1;
    }
    t[k].s = s + i;
    t[k].n = j - i;
    k++;
    i = j;
  }
  return k;
}

static int number(const token *t)
{
  int v = 0;
  if (t->kind != 'n' || t->n > 4)
    return -1;
  for (size_t i = 0; i < t->n; i++)
    v = v * 10 + (t->s[i] - '0');
  return v;
}

/* Read "[YEAR] [MONTH|SEASON] [DAY]" from t[*i..k); `need_year` for the
 * first part. Returns false on anything else. */
static bool read_part(const token *t, size_t k, size_t *i, bool need_year,
                      int *y, int *m, int *d, int *season)
{
  size_t j = *i;
  bool any = false;
  if (j < k && t[j].kind == 'n' && t[j].n == 4) {
    *y = number(&t[j++]);
    any = true;
  } else if (need_year) {
    return false;
  }
  if (j < k && t[j].kind == 'w') {
    int v = citeconv_nlmdate_month(t[j].s, t[j].n);
    int sv = v ? 0 : citeconv_nlmdate_season(t[j].s, t[j].n);
    if (!v && !sv)
      return false;
    *m = v;
    *season = sv;
    j++;
    any = true;
    if (v && j < k && t[j].kind == 'n' && t[j].n <= 2) {
      *d = number(&t[j++]);
    }
  } else if (need_year && j < k && t[j].kind == 'n' && t[j].n <= 2 &&
             citeconv_nlmdate_month(t[j].s, t[j].n)) {
    /* "2013 06 10": numeric month and day */
    *m = citeconv_nlmdate_month(t[j].s, t[j].n);
    j++;
    if (j < k && t[j].kind == 'n' && t[j].n <= 2)
      *d = number(&t[j++]);
  } else if (!need_year && !any && j < k && t[j].kind == 'n' &&
             t[j].n <= 2) {
    *d = number(&t[j++]); /* "2001 Jan 5-12": the end is a day */
    any = true;
  }
  *i = j;
  return any;
}

bool citeconv_nlmdate_parse(citeconv_date *d, const char *s, size_t n)
{
  token t[MAX_TOKENS];
  size_t k = tokenize(t, s, n), i = 0;
  int y = 0, m = 0, day = 0, season = 0;
  int ey = 0, em = 0, ed = 0, es = 0;
  if (k == 0 || k > MAX_TOKENS)
    return false;
  if (!read_part(t, k, &i, true, &y, &m, &day, &season))
    return false;
  d->year = y;
  d->month = m;
  d->day = day;
  d->season = season;
  if (i == k)
    return citeconv_nlmdate_valid(y, m, day);
  if (t[i].kind != '-')
    return false;
  i++;
  if (!read_part(t, k, &i, false, &ey, &em, &ed, &es) || i != k)
    return false;
  /* Carry the parts the end leaves out: "2001 Jan 5-12", "Jan-Feb". */
  if (!ey)
    ey = y;
  if (!em && !es && ed)
    em = m;
  d->end_year = ey;
  d->end_month = em;
  d->end_day = ed;
  d->end_season = es;
  return citeconv_nlmdate_valid(y, m, day) &&
         citeconv_nlmdate_valid(ey, em, ed);
}

int citeconv_nlm_pubtype_to_type(const char *pt)
{
  static const struct {
    const char *pt;
    citeconv_type type;
  } map[] = {{"Dataset", CITECONV_TYPE_DATASET},
             {"Preprint", CITECONV_TYPE_ARTICLE},
             {"Congress", CITECONV_TYPE_PAPER_CONFERENCE},
             {"Clinical Conference", CITECONV_TYPE_PAPER_CONFERENCE},
             {"Consensus Development Conference",
              CITECONV_TYPE_PAPER_CONFERENCE},
             {"Newspaper Article", CITECONV_TYPE_ARTICLE_NEWSPAPER},
             {"Patent", CITECONV_TYPE_PATENT},
             {"Legislation", CITECONV_TYPE_LEGISLATION},
             {"Webcast", CITECONV_TYPE_BROADCAST},
             {"Interview", CITECONV_TYPE_INTERVIEW},
             {"Software", CITECONV_TYPE_SOFTWARE}};
  for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
    if (strcmp(map[i].pt, pt) == 0)
      return (int)map[i].type;
  return -1;
}
