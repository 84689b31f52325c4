/* PubMed's citation line, dates and author names, shared by the page
 * readers and the writer. */
#include <stdio.h>
#include <string.h>

#include "pubmed_page.h"
#include "text.h"

static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static bool is_lower(int c) { return c >= 'a' && c <= 'z'; }
static int lower(int c) { return is_upper(c) ? c + 32 : c; }

static bool eq_ci(const char *s, size_t n, const char *p)
{
  size_t k = strlen(p);
  if (k != n)
    return false;
  for (size_t i = 0; i < n; i++)
    if (lower((unsigned char)s[i]) != lower((unsigned char)p[i]))
      return false;
  return true;
}

static bool starts_ci(const char *s, size_t n, const char *p)
{
  size_t k = strlen(p);
  return k <= n && eq_ci(s, k, p);
}

int citeconv_pubmed_squeeze(citeconv_buf *out, const char *s, size_t n)
{
  bool sp = false, any = false;
  int rc = 0;
  for (size_t i = 0; i < n && rc == 0; i++) {
    unsigned char c = (unsigned char)s[i];
    bool white = citeconv_is_space(c);
    if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
      white = true;
      i++;
    }
    if (white) {
      sp = any;
      continue;
    }
    if (sp)
      rc = citeconv_buf_addc(out, ' ');
    sp = false;
    any = true;
    if (rc == 0)
      rc = citeconv_buf_addc(out, (char)c);
  }
  return rc;
}

static int month_of(const char *s, size_t n)
{
  static const char *const full[] = {
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december"};
  if (n == 4 && s[3] == '.')
    n = 3;
  for (int m = 0; m < 12; m++)
    if (eq_ci(s, n, full[m]) || (n == 3 && starts_ci(full[m], 3, "") &&
                                 lower((unsigned char)s[0]) == full[m][0] &&
                                 lower((unsigned char)s[1]) == full[m][1] &&
                                 lower((unsigned char)s[2]) == full[m][2]))
      return m + 1;
  if (eq_ci(s, n, "sept"))
    return 9;
  return 0;
}

const char *citeconv_pubmed_month_abbr(int m)
{
  static const char *const abbr[] = {"Jan", "Feb", "Mar", "Apr", "May",
                                     "Jun", "Jul", "Aug", "Sep", "Oct",
                                     "Nov", "Dec"};
  return m >= 1 && m <= 12 ? abbr[m - 1] : NULL;
}

const char *citeconv_pubmed_season_name(int season)
{
  static const char *const names[] = {"Spring", "Summer", "Fall", "Winter"};
  return season >= 1 && season <= 4 ? names[season - 1] : NULL;
}

static int season_of(const char *s, size_t n)
{
  if (eq_ci(s, n, "spring"))
    return CITECONV_SEASON_SPRING;
  if (eq_ci(s, n, "summer"))
    return CITECONV_SEASON_SUMMER;
  if (eq_ci(s, n, "fall") || eq_ci(s, n, "autumn"))
    return CITECONV_SEASON_AUTUMN;
  if (eq_ci(s, n, "winter"))
    return CITECONV_SEASON_WINTER;
  return 0;
}

static int number(const char *s, size_t n)
{
  int v = 0;
  for (size_t i = 0; i < n && v < 100000; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

bool citeconv_pubmed_date(citeconv_date *d, const char *s, size_t n)
{
  /* Tokens: digit runs and letter runs; '-' marks a range. */
  size_t i = 0;
  int slot = 0; /* 0 year, 1 month, 2 day */
  bool end = false;
  int y = 0, m = 0, dd = 0, ey = 0, em = 0, ed = 0, season = 0, eseason = 0;
  while (i < n) {
    size_t b = i;
    unsigned char c = (unsigned char)s[i];
    if (is_digit(c)) {
      int v;
      while (i < n && is_digit((unsigned char)s[i]))
        i++;
      v = number(s + b, i - b);
      if (i - b == 4 && v > 1000) {
        if (end)
          ey = v;
        else if (!y)
          y = v;
        else
          break;
        slot = 1;
      } else if (i - b <= 2) {
        /* "2005/08": a month after a slash, else a day */
        if (slot == 1 && b > 0 && s[b - 1] == '/' && v >= 1 && v <= 12) {
          if (end)
            em = v;
          else
            m = v;
          slot = 2;
        } else if (v >= 1 && v <= 31) {
          if (end)
            ed = v;
          else
            dd = v;
          slot = 3;
        }
      } else {
        break;
      }
    } else if (is_upper(c) || is_lower(c)) {
      int mm, ss;
      while (i < n && (is_upper((unsigned char)s[i]) ||
                       is_lower((unsigned char)s[i]) || s[i] == '.'))
        i++;
      mm = month_of(s + b, i - b);
      ss = season_of(s + b, i - b);
      if (mm) {
        if (end)
          em = mm;
        else
          m = mm;
        slot = 2;
      } else if (ss) {
        if (end)
          eseason = ss;
        else
          season = ss;
      } else {
        break;
      }
    } else if (c == '-') {
      end = true;
      i++;
    } else {
      i++;
    }
  }
  if (!y)
    return false;
  d->year = y;
  d->month = m;
  d->day = m ? dd : 0;
  if (end && (ey || em || ed || eseason)) {
    d->end_year = ey ? ey : y;
    d->end_month = em ? em : (ed ? m : 0);
    d->end_day = ed;
    d->end_season = eseason;
  }
  d->season = season;
  return true;
}

static int set_date(citeconv_record *rec, citeconv_var var, const char *s,
                    size_t n, citeconv_pos pos)
{
  citeconv_date d;
  memset(&d, 0, sizeof(d));
  if (!citeconv_pubmed_date(&d, s, n))
    return 0;
  d.pos = pos;
  return citeconv_record_set_date(rec, var, &d);
}

static int text_once(citeconv_record *rec, citeconv_var v, const char *s,
                     size_t n, citeconv_pos pos)
{
  while (n && (s[n - 1] == ' ' || s[n - 1] == '.'))
    n--;
  while (n && s[0] == ' ') {
    s++;
    n--;
  }
  if (!n || citeconv_record_text(rec, v))
    return 0;
  return citeconv_record_set_text(rec, v, s, n, pos);
}

/* "79(2):884-95", "14:1271381", "52(4):789-96", "40(Database issue):D48" */
static int vol_issue_pages(citeconv_record *rec, const char *s, size_t n,
                           citeconv_pos pos, bool colon_form)
{
  size_t i = 0, vb = 0, ve;
  int rc = 0;
  if (colon_form) {
    /* "14:1271381": volume and pages; "10497323231214114": pages. */
    const char *c = memchr(s, ':', n);
    if (!c)
      return text_once(rec, CITECONV_VAR_PAGE, s, n, pos);
    rc = text_once(rec, CITECONV_VAR_VOLUME, s, (size_t)(c - s), pos);
    if (rc == 0)
      rc = text_once(rec, CITECONV_VAR_PAGE, c + 1, n - (size_t)(c - s) - 1,
                     pos);
    return rc;
  }
  while (i < n && s[i] != '(' && s[i] != ':')
    i++;
  ve = i;
  rc = text_once(rec, CITECONV_VAR_VOLUME, s + vb, ve - vb, pos);
  if (rc == 0 && i < n && s[i] == '(') {
    size_t b = ++i;
    int depth = 1;
    while (i < n && depth) {
      if (s[i] == '(')
        depth++;
      else if (s[i] == ')')
        depth--;
      if (depth)
        i++;
    }
    rc = text_once(rec, CITECONV_VAR_ISSUE, s + b, i - b, pos);
    if (i < n)
      i++;
  }
  if (rc == 0 && i < n && s[i] == ':')
    rc = text_once(rec, CITECONV_VAR_PAGE, s + i + 1, n - i - 1, pos);
  return rc;
}

int citeconv_pubmed_citation(citeconv_record *rec, const char *s, size_t n,
                             citeconv_pos pos, const char *prefix)
{
  size_t i = 0;
  int rc = 0;
  bool first = true;
  while (i < n && rc == 0) {
    size_t b, e;
    while (i < n && (s[i] == ' ' || s[i] == '.'))
      i++;
    b = i;
    /* A sentence ends at ". " or at the end (DOIs have no spaces). */
    while (i < n && !(s[i] == '.' && (i + 1 == n || s[i + 1] == ' ')))
      i++;
    e = i;
    if (e == b)
      break;
    if (starts_ci(s + b, e - b, "doi:")) {
      rc = text_once(rec, CITECONV_VAR_DOI, s + b + 4, e - b - 4, pos);
    } else if (starts_ci(s + b, e - b, "epub ")) {
      if (!citeconv_record_date(rec, CITECONV_VAR_AVAILABLE_DATE))
        rc = set_date(rec, CITECONV_VAR_AVAILABLE_DATE, s + b + 5, e - b - 5,
                      pos);
    } else if (starts_ci(s + b, e - b, "ecollection")) {
      char name[64];
      size_t k = b + 11;
      while (k < e && s[k] == ' ')
        k++;
      snprintf(name, sizeof(name), "%s:ecollection", prefix);
      rc = citeconv_record_add_extra(rec, name, s + k, e - k, pos);
    } else if (starts_ci(s + b, e - b, "online ahead of print")) {
      rc = text_once(rec, CITECONV_VAR_STATUS, s + b, e - b, pos);
    } else if (first) {
      /* "2005 Jan;79(2):884-95" */
      size_t k = b;
      while (k < e && s[k] != ';' && s[k] != ':')
        k++;
      if (!citeconv_record_date(rec, CITECONV_VAR_ISSUED))
        rc = set_date(rec, CITECONV_VAR_ISSUED, s + b, k - b, pos);
      if (rc == 0 && k < e)
        rc = vol_issue_pages(rec, s + k + 1, e - k - 1, pos, s[k] == ':');
    } else {
      char name[64];
      snprintf(name, sizeof(name), "%s:citation-note", prefix);
      rc = citeconv_record_add_extra(rec, name, s + b, e - b, pos);
    }
    first = false;
    if (i < n)
      i++;
  }
  return rc;
}

static bool initials(const char *s, size_t n)
{
  size_t letters = 0;
  if (n == 0 || n > 8)
    return false;
  for (size_t i = 0; i < n; i++) {
    if (is_upper((unsigned char)s[i]))
      letters++;
    else if (s[i] != '.' && s[i] != '-')
      return false;
  }
  return letters > 0;
}

int citeconv_pubmed_name_vancouver(citeconv_record *rec, const char *s,
                                   size_t n, citeconv_pos pos,
                                   citeconv_name *name_out)
{
  citeconv_name nm;
  size_t sp;
  memset(&nm, 0, sizeof(nm));
  nm.role = CITECONV_VAR_AUTHOR;
  nm.pos = pos;
  while (n && (s[n - 1] == ' ' || s[n - 1] == ',' || s[n - 1] == '.'))
    n--;
  while (n && s[0] == ' ') {
    s++;
    n--;
  }
  if (!n)
    return 0;
  sp = n;
  while (sp > 0 && s[sp - 1] != ' ')
    sp--;
  if (sp > 0 && initials(s + sp, n - sp)) {
    nm.family = citeconv_record_strdup(rec, s, sp - 1);
    nm.given = citeconv_record_strdup(rec, s + sp, n - sp);
  } else if (sp == 0) {
    nm.family = citeconv_record_strdup(rec, s, n);
  } else {
    nm.literal = citeconv_record_strdup(rec, s, n);
  }
  if ((!nm.family && !nm.literal) || (sp > 0 && nm.family && !nm.given))
    return CITECONV_ENOMEM;
  if (name_out) {
    *name_out = nm;
    return 0;
  }
  return citeconv_record_add_name(rec, &nm);
}

int citeconv_pubmed_name_given_first(citeconv_record *rec, const char *s,
                                     size_t n, const char *family,
                                     size_t family_len, citeconv_pos pos,
                                     citeconv_name *name_out)
{
  citeconv_name nm;
  size_t fb;
  memset(&nm, 0, sizeof(nm));
  nm.role = CITECONV_VAR_AUTHOR;
  nm.pos = pos;
  while (n && (s[n - 1] == ' ' || s[n - 1] == ','))
    n--;
  while (n && s[0] == ' ') {
    s++;
    n--;
  }
  if (!n)
    return 0;
  if (family && family_len && family_len < n &&
      memcmp(s + n - family_len, family, family_len) == 0 &&
      s[n - family_len - 1] == ' ') {
    fb = n - family_len;
  } else if (family && family_len == n && memcmp(s, family, n) == 0) {
    fb = 0;
  } else {
    /* The last word, with lower-case particles before it. */
    fb = n;
    while (fb > 0 && s[fb - 1] != ' ')
      fb--;
    while (fb > 1) {
      size_t pb = fb - 1;
      while (pb > 0 && s[pb - 1] != ' ')
        pb--;
      if (pb > 0 && is_lower((unsigned char)s[pb]) && fb - 1 - pb <= 3)
        fb = pb;
      else
        break;
    }
  }
  nm.family = citeconv_record_strdup(rec, s + fb, n - fb);
  if (fb > 1)
    nm.given = citeconv_record_strdup(rec, s, fb - 1);
  if (!nm.family || (fb > 1 && !nm.given))
    return CITECONV_ENOMEM;
  if (name_out) {
    *name_out = nm;
    return 0;
  }
  return citeconv_record_add_name(rec, &nm);
}

int citeconv_pubmed_reference(citeconv_reader *r, citeconv_record *rec,
                              const char *s, size_t n, citeconv_pos pos)
{
  citeconv_refparse_result res;
  int rc = citeconv_refparse(rec, s, n, pos, &res);
  static const citeconv_var check[] = {
    CITECONV_VAR_AUTHOR, CITECONV_VAR_TITLE, CITECONV_VAR_CONTAINER_TITLE,
    CITECONV_VAR_ISSUED};
  char what[256];
  size_t o = 0;
  if (rc < 0)
    return rc;
  what[0] = '\0';
  for (size_t k = 0; k < sizeof(check) / sizeof(check[0]); k++) {
    unsigned c = res.confidence[check[k]];
    if (c && c < CITECONV_REFPARSE_SURE && o + 40 < sizeof(what))
      o += (size_t)snprintf(what + o, sizeof(what) - o, "%s%s",
                            o ? ", " : "", citeconv_var_name(check[k]));
  }
  if (o) {
    char quote[64];
    size_t q = n < 50 ? n : 50;
    /* Cut the quote at a character boundary. */
    while (q < n && q > 0 && ((unsigned char)s[q] & 0xC0) == 0x80)
      q--;
    memcpy(quote, s, q);
    quote[q] = '\0';
    citeconv_reader_diag(r, &pos, CITECONV_D_REF_UNCERTAIN,
                         "reference %s read as %s style; uncertain: %s "
                         "(\"%s%s\")",
                         citeconv_record_text(rec, CITECONV_VAR_CITATION_NUMBER)
                             ? citeconv_record_text(
                                   rec, CITECONV_VAR_CITATION_NUMBER)
                             : "?",
                         citeconv_refstyle_name(res.style), what, quote,
                         q < n ? "..." : "");
  }
  if (!citeconv_record_text(rec, CITECONV_VAR_TITLE) &&
      citeconv_record_name_count(rec) == 0)
    citeconv_reader_diag(r, &pos, CITECONV_D_REF_UNCERTAIN,
                         "reference read with no title and no author");
  return 0;
}
