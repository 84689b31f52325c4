/* The reference-string parser. Rule-based, one pass per step over a
 * normalised copy of the string: identifiers and markers are cut out
 * first, then the author block, the year, the source (journal, volume,
 * issue, pages, or publisher) and the title in between. Every step scans
 * a bounded number of times, so the whole parse is linear in the length. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "refparse.h"
#include "text.h"

typedef struct {
  size_t b, e; /* [b, e) in the working text */
} span;

typedef struct {
  char *w; /* working text, NUL-terminated */
  size_t n;
  citeconv_record *rec;
  citeconv_pos pos;
  citeconv_refparse_result *res;
  bool thesis, webpage, preprint, internet, in_press;
  const char *genre;
  int err;
} parser;

static const char *const month_names[] = {
  "jan", "feb", "mar", "apr", "may", "jun",
  "jul", "aug", "sep", "oct", "nov", "dec"};

static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static bool is_lower(int c) { return c >= 'a' && c <= 'z'; }
static bool is_alpha(int c)
{
  return is_upper(c) || is_lower(c) || (unsigned char)c >= 0x80;
}
static bool is_alnum(int c) { return is_alpha(c) || is_digit(c); }
static int lower(int c) { return is_upper(c) ? c + 32 : c; }

static bool starts_ci(const char *s, size_t n, const char *p)
{
  size_t k = strlen(p);
  if (k > n)
    return false;
  for (size_t i = 0; i < k; i++)
    if (lower((unsigned char)s[i]) != lower((unsigned char)p[i]))
      return false;
  return true;
}

/* An en or em dash (U+2013, U+2014) or a minus at s[i]; its length. */
static size_t dash_at(const char *s, size_t n, size_t i)
{
  if (i < n && s[i] == '-')
    return 1;
  if (i + 2 < n + 0 && (unsigned char)s[i] == 0xE2 &&
      (unsigned char)s[i + 1] == 0x80 &&
      ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94))
    return 3;
  if (i + 2 < n && (unsigned char)s[i] == 0xE2 &&
      (unsigned char)s[i + 1] == 0x88 && (unsigned char)s[i + 2] == 0x92)
    return 3;
  return 0;
}

static void conf(parser *p, citeconv_var v, int c)
{
  if (p->res && v >= 0 && v < CITECONV_VAR__COUNT)
    p->res->confidence[v] = (unsigned char)c;
}

/* Trim spaces and the characters in `also` from both ends of a span. */
static span trim(const parser *p, span s, const char *also)
{
  while (s.b < s.e && (p->w[s.b] == ' ' || strchr(also, p->w[s.b])))
    s.b++;
  while (s.e > s.b && (p->w[s.e - 1] == ' ' || strchr(also, p->w[s.e - 1])))
    s.e--;
  return s;
}

static void set_text(parser *p, citeconv_var v, span s, int c)
{
  if (p->err || s.e <= s.b || citeconv_record_text(p->rec, v))
    return;
  if (citeconv_record_set_text(p->rec, v, p->w + s.b, s.e - s.b, p->pos) < 0)
    p->err = CITECONV_ENOMEM;
  else
    conf(p, v, c);
}

static void set_cstr(parser *p, citeconv_var v, const char *s, size_t n,
                     int c)
{
  if (p->err || n == 0 || citeconv_record_text(p->rec, v))
    return;
  if (citeconv_record_set_text(p->rec, v, s, n, p->pos) < 0)
    p->err = CITECONV_ENOMEM;
  else
    conf(p, v, c);
}

static void blank(parser *p, size_t b, size_t e)
{
  if (e > p->n)
    e = p->n;
  for (size_t i = b; i < e; i++)
    p->w[i] = ' ';
}

/* Copy s[0..len) to the working text with white space (ASCII, no-break
 * and thin spaces) folded to single spaces. */
static int load(parser *p, const char *s, size_t len)
{
  size_t o = 0;
  bool sp = true;
  p->w = malloc(len + 1);
  if (!p->w)
    return CITECONV_ENOMEM;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    size_t skip = 0;
    if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0)
      skip = 1;
    else if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
             ((unsigned char)s[i + 2] >= 0x80 &&
              (unsigned char)s[i + 2] <= 0x8B))
      skip = 2;
    if (citeconv_is_space(c) || skip) {
      i += skip;
      if (!sp)
        p->w[o++] = ' ';
      sp = true;
      continue;
    }
    if (c == 0)
      continue;
    p->w[o++] = (char)c;
    sp = false;
  }
  while (o && p->w[o - 1] == ' ')
    o--;
  p->w[o] = '\0';
  p->n = o;
  return 0;
}

/* After cutting: fold spaces again, drop spaces before closing
 * punctuation, repeated full stops and stray separators at the end. */
static void tidy(parser *p)
{
  size_t o = 0;
  for (size_t i = 0; i < p->n; i++) {
    char c = p->w[i];
    if (c == ' ') {
      if (o == 0 || p->w[o - 1] == ' ')
        continue;
      p->w[o++] = c;
      continue;
    }
    if ((c == '.' || c == ',' || c == ';') && o && p->w[o - 1] == ' ')
      o--;
    if (c == '.' && o && (p->w[o - 1] == '.' || p->w[o - 1] == ',' ||
                          p->w[o - 1] == ';')) {
      p->w[o - 1] = '.';
      continue;
    }
    if ((c == ',' || c == ';') && o && (p->w[o - 1] == ',' || p->w[o - 1] == ';'))
      continue;
    p->w[o++] = c;
  }
  while (o && (p->w[o - 1] == ' ' || p->w[o - 1] == ',' ||
               p->w[o - 1] == ';' || p->w[o - 1] == ':' ||
               p->w[o - 1] == '-'))
    o--;
  p->w[o] = '\0';
  p->n = o;
}

/* ---- identifiers and markers ---- */

static size_t url_end(const parser *p, size_t i)
{
  size_t e = i;
  int paren = 0;
  while (e < p->n && p->w[e] != ' ') {
    if (p->w[e] == '(')
      paren++;
    else if (p->w[e] == ')')
      paren--;
    e++;
  }
  while (e > i && (strchr(".,;:]", p->w[e - 1]) ||
                   (p->w[e - 1] == ')' && paren < 0))) {
    if (p->w[e - 1] == ')')
      paren++;
    e--;
  }
  return e;
}

/* Blank a label that ends just before position i (case-insensitive), with
 * an optional colon and space between; returns the new start. */
static size_t cut_label(parser *p, size_t i, const char *const *labels)
{
  size_t j = i;
  while (j > 0 && (p->w[j - 1] == ' ' || p->w[j - 1] == ':'))
    j--;
  for (size_t k = 0; labels[k]; k++) {
    size_t L = strlen(labels[k]);
    if (j >= L && starts_ci(p->w + j - L, L, labels[k]) &&
        (j == L || !is_alpha((unsigned char)p->w[j - L - 1]))) {
      blank(p, j - L, i);
      return j - L;
    }
  }
  return i;
}

static void find_doi(parser *p)
{
  static const char *const doi_labels[] = {
    "https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
    "http://dx.doi.org/", "doi.org/", "dx.doi.org/", "doi", NULL};
  for (size_t i = 0; i + 8 < p->n; i++) {
    size_t d = i + 3, e;
    if (p->w[i] != '1' || p->w[i + 1] != '0' || p->w[i + 2] != '.')
      continue;
    if (i > 0 && (is_alnum((unsigned char)p->w[i - 1]) || p->w[i - 1] == '.'))
      continue;
    while (d < p->n && is_digit((unsigned char)p->w[d]))
      d++;
    if (d - (i + 3) < 4 || d >= p->n || p->w[d] != '/' || d + 1 >= p->n ||
        p->w[d + 1] == ' ')
      continue;
    e = url_end(p, i);
    if (e <= d + 1)
      continue;
    set_cstr(p, CITECONV_VAR_DOI, p->w + i, e - i, 95);
    {
      size_t b = i;
      /* A DOI URL: cut the whole URL. */
      while (b > 0 && p->w[b - 1] != ' ')
        b--;
      blank(p, b, e);
      cut_label(p, b, doi_labels);
    }
    return;
  }
}

static void find_ids(parser *p)
{
  static const char *const url_labels[] = {
    "available from", "available at", "available online at",
    "available online", "available", "retrieved from", "accessed at", "url",
    "from", NULL};
  for (size_t i = 0; i < p->n; i++) {
    const char *s = p->w + i;
    size_t rest = p->n - i;
    if (i > 0 && is_alnum((unsigned char)p->w[i - 1]))
      continue;
    if (starts_ci(s, rest, "pmid:") || starts_ci(s, rest, "pmid ")) {
      size_t d = i + 5, b;
      while (d < p->n && p->w[d] == ' ')
        d++;
      b = d;
      while (d < p->n && is_digit((unsigned char)p->w[d]))
        d++;
      if (d > b) {
        set_cstr(p, CITECONV_VAR_PMID, p->w + b, d - b, 95);
        blank(p, i, d);
      }
    } else if (starts_ci(s, rest, "pmcid:")) {
      size_t d = i + 6, b;
      while (d < p->n && p->w[d] == ' ')
        d++;
      b = d;
      while (d < p->n && is_alnum((unsigned char)p->w[d]))
        d++;
      if (d > b) {
        set_cstr(p, CITECONV_VAR_PMCID, p->w + b, d - b, 95);
        blank(p, i, d);
      }
    } else if (starts_ci(s, rest, "http://") ||
               starts_ci(s, rest, "https://") || starts_ci(s, rest, "www.")) {
      size_t e = url_end(p, i);
      set_cstr(p, CITECONV_VAR_URL, p->w + i, e - i, 90);
      blank(p, i, e);
      cut_label(p, i, url_labels);
    }
  }
}

static int month_at(const char *s, size_t n, size_t *adv)
{
  static const char *const full[] = {
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december"};
  for (int m = 0; m < 12; m++) {
    size_t L = strlen(full[m]);
    if (starts_ci(s, n, full[m]) && (n == L || !is_alpha((unsigned char)s[L]))) {
      *adv = L;
      return m + 1;
    }
    if (starts_ci(s, n, month_names[m]) &&
        (n == 3 || !is_alpha((unsigned char)s[3]))) {
      *adv = 3 + (n > 3 && s[3] == '.');
      return m + 1;
    }
  }
  return 0;
}

static bool year_at(const char *s, size_t n, size_t i)
{
  if (i + 4 > n)
    return false;
  if (!(s[i] == '1' || s[i] == '2'))
    return false;
  for (size_t k = 1; k < 4; k++)
    if (!is_digit((unsigned char)s[i + k]))
      return false;
  if (s[i] == '1' && s[i + 1] < '5')
    return false;
  if (s[i] == '2' && s[i + 1] != '0')
    return false;
  if (i > 0 && is_alnum((unsigned char)s[i - 1]))
    return false;
  if (i + 4 < n && is_digit((unsigned char)s[i + 4]))
    return false;
  return true;
}

static int atoi_n(const char *s, size_t n)
{
  int v = 0;
  for (size_t i = 0; i < n && is_digit((unsigned char)s[i]) && v < 100000; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

/* A free-form date in s[0..n): years, month names and a day in any order
 * ("2020 Jan 5", "January 5, 2020", "5 January 2020"). */
static bool parse_loose_date(const char *s, size_t n, citeconv_date *d)
{
  memset(d, 0, sizeof(*d));
  for (size_t i = 0; i < n;) {
    size_t adv;
    int m;
    if (year_at(s, n, i) && !d->year) {
      d->year = atoi_n(s + i, 4);
      i += 4;
    } else if (is_alpha((unsigned char)s[i]) &&
               (i == 0 || !is_alpha((unsigned char)s[i - 1])) &&
               (m = month_at(s + i, n - i, &adv)) != 0 && !d->month) {
      d->month = m;
      i += adv;
    } else if (is_digit((unsigned char)s[i]) &&
               (i == 0 || !is_digit((unsigned char)s[i - 1]))) {
      size_t k = i;
      while (k < n && is_digit((unsigned char)s[k]))
        k++;
      if (k - i <= 2 && !d->day)
        d->day = atoi_n(s + i, k - i);
      i = k;
    } else {
      i++;
    }
  }
  if (d->day > 31 || !d->month)
    d->day = 0;
  return d->year != 0;
}

static void find_markers(parser *p)
{
  for (size_t i = 0; i < p->n; i++) {
    const char *s = p->w + i;
    size_t rest = p->n - i;
    if (s[0] == '[') {
      size_t e = i + 1;
      while (e < p->n && p->w[e] != ']' && p->w[e] != '[' && e - i < 200)
        e++;
      if (e >= p->n || p->w[e] != ']')
        continue;
      if (starts_ci(s, rest, "[cited")) {
        citeconv_date d;
        if (parse_loose_date(s + 6, e - i - 6, &d) &&
            !citeconv_record_date(p->rec, CITECONV_VAR_ACCESSED)) {
          d.pos = p->pos;
          if (citeconv_record_set_date(p->rec, CITECONV_VAR_ACCESSED, &d) < 0)
            p->err = CITECONV_ENOMEM;
          conf(p, CITECONV_VAR_ACCESSED, 80);
        }
        p->webpage = true;
        blank(p, i, e + 1);
      } else if (starts_ci(s, rest, "[internet]")) {
        p->internet = true;
        blank(p, i, e + 1);
      } else if (starts_ci(s, rest, "[dissertation]") ||
                 starts_ci(s, rest, "[doctoral dissertation]") ||
                 starts_ci(s, rest, "[phd thesis]") ||
                 starts_ci(s, rest, "[thesis]") ||
                 starts_ci(s, rest, "[master's thesis]") ||
                 starts_ci(s, rest, "[masters thesis]")) {
        p->thesis = true;
        p->genre = starts_ci(s, rest, "[master") ? "Master's thesis"
                   : starts_ci(s, rest, "[thesis]") ? "Thesis"
                                                     : "Doctoral dissertation";
        blank(p, i, e + 1);
      } else if (starts_ci(s, rest, "[pubmed") ||
                 starts_ci(s, rest, "[pmc free") ||
                 starts_ci(s, rest, "[doi]") ||
                 starts_ci(s, rest, "[google scholar]") ||
                 starts_ci(s, rest, "[crossref]") ||
                 starts_ci(s, rest, "[cas]") ||
                 starts_ci(s, rest, "[ref list]") ||
                 starts_ci(s, rest, "[article in ")) {
        blank(p, i, e + 1);
      }
    } else if ((i == 0 || p->w[i - 1] == ' ' || p->w[i - 1] == '(' ||
                p->w[i - 1] == '[') &&
               (starts_ci(s, rest, "accessed ") ||
                starts_ci(s, rest, "accessed:") ||
                starts_ci(s, rest, "last accessed") ||
                starts_ci(s, rest, "cited "))) {
      /* "Accessed 5 January 2020." / "(accessed Jan 5, 2020)" */
      size_t e = i;
      citeconv_date d;
      while (e < p->n && p->w[e] != ')' && p->w[e] != ']' &&
             !(p->w[e] == '.' && (e + 1 == p->n || p->w[e + 1] == ' ')) &&
             e - i < 60)
        e++;
      if (parse_loose_date(s, e - i, &d)) {
        if (!citeconv_record_date(p->rec, CITECONV_VAR_ACCESSED)) {
          d.pos = p->pos;
          if (citeconv_record_set_date(p->rec, CITECONV_VAR_ACCESSED, &d) < 0)
            p->err = CITECONV_ENOMEM;
          conf(p, CITECONV_VAR_ACCESSED, 70);
        }
        if (i > 0 && (p->w[i - 1] == '(' || p->w[i - 1] == '[') && e < p->n &&
            (p->w[e] == ')' || p->w[e] == ']'))
          blank(p, i - 1, e + 1);
        else
          blank(p, i, e);
        p->webpage = true;
      }
    } else if (s[0] == '-' && i > 0 && p->w[i - 1] == ' ' && rest > 2 &&
               s[1] == ' ') {
      /* PubMed's link furniture: " - DOI - PubMed - PMC". */
      static const char *const furn[] = {"DOI", "PubMed", "PMC",
                                         "Free PMC article",
                                         "Google Scholar", "CAS", NULL};
      for (size_t k = 0; furn[k]; k++) {
        size_t L = strlen(furn[k]);
        if (rest >= 2 + L && strncmp(s + 2, furn[k], L) == 0 &&
            (rest == 2 + L || s[2 + L] == ' ')) {
          blank(p, i, i + 2 + L);
          break;
        }
      }
    }
  }
  if (strstr(p->w, "dissertation") || strstr(p->w, "Dissertation") ||
      strstr(p->w, "PhD thesis") || strstr(p->w, "Ph.D. thesis") ||
      strstr(p->w, "Master's thesis") || strstr(p->w, "MSc thesis")) {
    p->thesis = true;
    if (!p->genre)
      p->genre = strstr(p->w, "aster") ? "Master's thesis"
                                       : "Doctoral dissertation";
  }
  if (strstr(p->w, "bioRxiv") || strstr(p->w, "medRxiv") ||
      strstr(p->w, "arXiv") || strstr(p->w, "Preprint") ||
      strstr(p->w, "preprint") || strstr(p->w, "Research Square") ||
      strstr(p->w, "SSRN"))
    p->preprint = true;
}

/* ---- names ---- */

static bool is_initials(const char *s, size_t n)
{
  /* "J", "JA", "J.", "J.A.", "J.-P.", "JA-B" */
  size_t letters = 0;
  if (n == 0 || n > 8)
    return false;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (is_upper(c))
      letters++;
    else if (c != '.' && c != '-')
      return false;
  }
  return letters > 0 && letters <= 4 && is_upper((unsigned char)s[0]);
}

static bool is_particle(const char *s, size_t n)
{
  static const char *const parts[] = {"van", "von", "de", "der", "den",
                                      "da", "di", "du", "le", "la", "del",
                                      "dos", "das", "ten", "ter", "van der",
                                      "van den", "de la", "St.", NULL};
  for (size_t k = 0; parts[k]; k++)
    if (strlen(parts[k]) == n && strncmp(s, parts[k], n) == 0)
      return true;
  return false;
}

static bool looks_collective(const char *s, size_t n)
{
  static const char *const words[] = {
    "Group", "Consortium", "Committee", "Organization", "Organisation",
    "Association", "Society", "Coordinators", "Collaborat", "Academy",
    "Network", "Investigators", "Team", "Service", "Institute", "Council",
    "Agency", "Department", "Centers", "Centre", "Center", "Office",
    "Ministry", "Foundation", "Working", "Panel", "Force", "Program",
    "University", "WHO", NULL};
  for (size_t k = 0; words[k]; k++) {
    size_t L = strlen(words[k]);
    for (size_t i = 0; i + L <= n; i++)
      if (memcmp(s + i, words[k], L) == 0)
        return true;
  }
  return false;
}

typedef struct {
  span tok[24];
  size_t n;
} tokens;

static void tokenize(const parser *p, span s, tokens *t)
{
  size_t i = s.b;
  t->n = 0;
  while (i < s.e && t->n < 24) {
    size_t b;
    while (i < s.e && p->w[i] == ' ')
      i++;
    b = i;
    while (i < s.e && p->w[i] != ' ')
      i++;
    if (i > b)
      t->tok[t->n++] = (span){b, i};
  }
}

static char *dup_span(parser *p, span s)
{
  return citeconv_record_strdup(p->rec, p->w + s.b, s.e - s.b);
}

static int add_name(parser *p, citeconv_var role, span fam, span giv,
                    bool literal)
{
  citeconv_name nm;
  memset(&nm, 0, sizeof(nm));
  nm.role = role;
  nm.pos = p->pos;
  fam = trim(p, fam, ",.;");
  if (literal) {
    nm.literal = dup_span(p, fam);
  } else {
    /* Leading lower-case particles: "van Oosterom", "de la Cruz". */
    size_t i = fam.b, last = fam.b;
    while (i < fam.e) {
      size_t b = i;
      while (i < fam.e && p->w[i] != ' ')
        i++;
      if (i < fam.e && is_lower((unsigned char)p->w[b]) &&
          is_particle(p->w + b, i - b)) {
        last = i + 1;
        i++;
        continue;
      }
      break;
    }
    if (last > fam.b) {
      nm.non_dropping_particle =
          dup_span(p, (span){fam.b, last - 1});
      fam.b = last;
    }
    nm.family = dup_span(p, fam);
    if (giv.e > giv.b) {
      giv = trim(p, giv, ",;");
      nm.given = dup_span(p, giv);
    }
  }
  if ((!nm.family && !nm.literal) ||
      citeconv_record_add_name(p->rec, &nm) < 0) {
    if (!nm.family && !nm.literal)
      return -1;
    p->err = CITECONV_ENOMEM;
    return -1;
  }
  return 0;
}

/* One name in a segment with no comma inside: "Smith JA", "De Mulder P. H.",
 * "J. A. Smith", "Karen Jones", "World Health Organization". Returns the
 * confidence. */
static int parse_one_name(parser *p, citeconv_var role, span s)
{
  tokens t;
  size_t k;
  s = trim(p, s, ",;");
  if (s.e <= s.b)
    return 0;
  tokenize(p, s, &t);
  if (t.n == 0)
    return 0;
  if (looks_collective(p->w + s.b, s.e - s.b)) {
    add_name(p, role, s, (span){0, 0}, true);
    return 75;
  }
  if (t.n > 6) {
    add_name(p, role, s, (span){0, 0}, true);
    return 40;
  }
  /* Trailing initials: family first. */
  k = t.n;
  while (k > 1 && is_initials(p->w + t.tok[k - 1].b,
                              t.tok[k - 1].e - t.tok[k - 1].b))
    k--;
  if (k < t.n) {
    add_name(p, role, (span){s.b, t.tok[k - 1].e},
             (span){t.tok[k].b, s.e}, false);
    return 90;
  }
  /* Leading initials: "J. A. Smith". */
  k = 0;
  while (k + 1 < t.n &&
         is_initials(p->w + t.tok[k].b, t.tok[k].e - t.tok[k].b))
    k++;
  if (k > 0) {
    add_name(p, role, (span){t.tok[k].b, s.e},
             (span){s.b, t.tok[k - 1].e}, false);
    return 85;
  }
  if (t.n == 1) {
    add_name(p, role, s, (span){0, 0}, false);
    return 50;
  }
  if (t.n <= 3) {
    /* Given names first, as in "Karen Jones"; particles stay with the
     * family name. */
    size_t f = t.n - 1;
    while (f > 1 && is_lower((unsigned char)p->w[t.tok[f - 1].b]))
      f--;
    add_name(p, role, (span){t.tok[f].b, s.e},
             (span){s.b, t.tok[f - 1].e}, false);
    return 60;
  }
  add_name(p, role, s, (span){0, 0}, true);
  return 30;
}

static bool only_initials(const parser *p, span s)
{
  tokens t;
  s = trim(p, s, ",;");
  if (s.e <= s.b)
    return false;
  tokenize(p, s, &t);
  for (size_t k = 0; k < t.n; k++)
    if (!is_initials(p->w + t.tok[k].b, t.tok[k].e - t.tok[k].b))
      return false;
  return t.n > 0;
}

/* Given names spelled out ("John", "Mary Ann"), as in Chicago's first
 * name "Smith, John". */
static bool given_like(const parser *p, span s)
{
  tokens t;
  s = trim(p, s, ",;");
  if (s.e <= s.b)
    return false;
  tokenize(p, s, &t);
  if (t.n == 0 || t.n > 3)
    return false;
  /* Capitalised words, at least the first spelled out ("Dennis A."). */
  for (size_t k = 0; k < t.n; k++) {
    bool low = false;
    if (!is_upper((unsigned char)p->w[t.tok[k].b]) &&
        (unsigned char)p->w[t.tok[k].b] < 0x80)
      return false;
    for (size_t i = t.tok[k].b; i < t.tok[k].e; i++)
      if (is_lower((unsigned char)p->w[i]) || (unsigned char)p->w[i] >= 0x80)
        low = true;
    if (!low && (k == 0 || !is_initials(p->w + t.tok[k].b,
                                        t.tok[k].e - t.tok[k].b)))
      return false;
  }
  return true;
}

/* Whether the last word of s is initials ("Abemayor E."). */
static bool ends_with_initials(const parser *p, span s)
{
  tokens t;
  tokenize(p, trim(p, s, ",;"), &t);
  return t.n > 0 && is_initials(p->w + t.tok[t.n - 1].b,
                                t.tok[t.n - 1].e - t.tok[t.n - 1].b);
}

static size_t ntokens(const parser *p, span s);

/* Number of words in w[0..n). */
static size_t ntokens_n(const parser *p, size_t n)
{
  return ntokens(p, (span){0, n});
}

static size_t ntokens(const parser *p, span s)
{
  tokens t;
  tokenize(p, s, &t);
  return t.n;
}

/* Keep the full stop of a last initial in dotted styles ("Pepper
 * M. S."); in Vancouver it is the sentence end ("Sayers EW."). */
static span keep_initial_dot(const parser *p, span s)
{
  if (s.e < p->n && p->w[s.e] == '.' && s.e >= s.b + 2 &&
      is_upper((unsigned char)p->w[s.e - 1]) &&
      (p->w[s.e - 2] == ' ' || p->w[s.e - 2] == '.'))
    for (size_t k = s.b + 1; k + 1 < s.e; k++)
      if (p->w[k] == '.' && (p->w[k + 1] == ' ' || p->w[k + 1] == ',') &&
          is_upper((unsigned char)p->w[k - 1])) {
        s.e++;
        break;
      }
  return s;
}

/* The name list in span s, for `role`. Returns the lowest confidence. */
static int parse_names(parser *p, citeconv_var role, span s)
{
  span seg[256];
  size_t nseg = 0, i;
  int c = 100, got = 0;
  bool truncated = false;
  s = trim(p, s, ".,;:");
  s = keep_initial_dot(p, s);
  /* "et al." and "and others" at the end. */
  for (i = s.b; i + 5 <= s.e; i++) {
    if ((i == s.b || p->w[i - 1] == ' ' || p->w[i - 1] == ',') &&
        (starts_ci(p->w + i, s.e - i, "et al") ||
         starts_ci(p->w + i, s.e - i, "and others") ||
         starts_ci(p->w + i, s.e - i, "et. al"))) {
      truncated = true;
      s.e = i;
      s = keep_initial_dot(p, trim(p, s, ".,;:&"));
      break;
    }
  }
  if (s.e <= s.b) {
    if (truncated)
      citeconv_record_set_truncated(p->rec, role, true);
    return truncated ? 40 : 0;
  }
  /* An organisation named with "and" ("Centers for Disease Control and
   * Prevention") stays one name. */
  if (!memchr(p->w + s.b, ',', s.e - s.b) &&
      !memchr(p->w + s.b, ';', s.e - s.b) &&
      looks_collective(p->w + s.b, s.e - s.b)) {
    add_name(p, role, s, (span){0, 0}, true);
    if (truncated)
      citeconv_record_set_truncated(p->rec, role, true);
    return 70;
  }
  /* Split at commas, semicolons, " & " and " and ". */
  {
    size_t b = s.b;
    for (i = s.b; i <= s.e && nseg < 256; i++) {
      size_t cut = 0, skip = 0;
      if (i == s.e) {
        cut = 1;
      } else if (p->w[i] == ',' || p->w[i] == ';') {
        cut = 1;
        skip = 1;
      } else if (p->w[i] == ' ' && i + 2 < s.e && p->w[i + 1] == '&' &&
                 p->w[i + 2] == ' ') {
        cut = 1;
        skip = 3;
      } else if (p->w[i] == ' ' && i + 5 < s.e &&
                 strncmp(p->w + i, " and ", 5) == 0) {
        cut = 1;
        skip = 5;
      }
      if (cut) {
        span g = trim(p, (span){b, i}, ",;&");
        if (g.e - g.b >= 4 && strncmp(p->w + g.b, "and ", 4) == 0)
          g.b += 4;
        if (g.e > g.b)
          seg[nseg++] = g;
        i += skip ? skip - 1 : 0;
        b = i + 1;
      }
    }
  }
  if (nseg == 0)
    return 0;
  /* Family, Initials pairs (APA, Harvard, Chicago's first name). */
  if (nseg >= 2 && (only_initials(p, seg[1]) ||
                    (given_like(p, seg[1]) && ntokens(p, seg[0]) <= 2 &&
                     !ends_with_initials(p, seg[0])))) {
    bool pairs = true;
    for (i = 0; i + 1 < nseg; i += 2)
      if (!only_initials(p, seg[i + 1]))
        pairs = false;
    if (pairs && nseg % 2 == 0) {
      for (i = 0; i + 1 < nseg; i += 2) {
        tokens t;
        tokenize(p, seg[i], &t);
        if (add_name(p, role, seg[i], seg[i + 1], false) == 0)
          got++;
      }
      c = 85;
    } else {
      /* Chicago: "Smith, John, Karen Jones, and Ann Lee". */
      add_name(p, role, seg[0], seg[1], false);
      got++;
      for (i = 2; i < nseg; i++) {
        int k = parse_one_name(p, role, seg[i]);
        if (k) {
          got++;
          if (k < c)
            c = k;
        }
      }
      if (c > 75)
        c = 75;
    }
  } else {
    for (i = 0; i < nseg; i++) {
      int k = parse_one_name(p, role, seg[i]);
      if (k) {
        got++;
        if (k < c)
          c = k;
      }
    }
  }
  if (truncated)
    citeconv_record_set_truncated(p->rec, role, true);
  return got ? c : 0;
}

/* ---- the parts of a reference ---- */

/* Whether the full stop at i ends a sentence (not "U.S." or an initial in
 * "J.A." or "e.g."). */
static bool sentence_end(const parser *p, size_t i)
{
  if (p->w[i] != '.' && p->w[i] != '?' && p->w[i] != '!')
    return false;
  if (i + 1 < p->n && p->w[i + 1] != ' ')
    return false;
  if (p->w[i] == '.' && i >= 2 && is_upper((unsigned char)p->w[i - 1]) &&
      p->w[i - 2] == '.')
    return false;
  return true;
}

/* The end of the author block in Vancouver style: the first full stop that
 * ends a sentence. */
static size_t vancouver_authors_end(const parser *p, size_t from)
{
  for (size_t i = from; i < p->n; i++)
    if (p->w[i] == '.' && sentence_end(p, i))
      return i;
  return p->n;
}

static bool journal_word(const parser *p, span t)
{
  static const char *const small[] = {"of", "and", "the", "in", "for", "&",
                                      "de", "der", "und", "la", "y", "on",
                                      "et", "des", "du", "di", "a", "an",
                                      "to", "-", NULL};
  unsigned char c = (unsigned char)p->w[t.b];
  size_t n = t.e - t.b;
  if (is_upper(c) || c >= 0x80 || c == '(')
    return true;
  for (size_t k = 0; small[k]; k++) {
    size_t L = strlen(small[k]);
    if ((n == L || (n == L + 1 && p->w[t.e - 1] == ',')) &&
        strncmp(p->w + t.b, small[k], L) == 0)
      return true;
  }
  return false;
}

/* The start of the journal title that ends at `e`, searching back no
 * further than `lb`: the leftmost sentence end in the run of title-case
 * words before `e`. Returns lb+0 when there is none (confidence low). */
static size_t journal_start(const parser *p, size_t lb, size_t e, int *c)
{
  size_t i = e, best = 0, ntok = 0;
  bool found = false;
  while (i > lb) {
    size_t te, tb;
    while (i > lb && p->w[i - 1] == ' ')
      i--;
    te = i;
    while (i > lb && p->w[i - 1] != ' ')
      i--;
    tb = i;
    if (te == tb)
      break;
    ntok++;
    /* A sentence end after this token (never the last token). */
    if (te < e && ntok > 1 &&
        (p->w[te - 1] == '.' || p->w[te - 1] == '?' || p->w[te - 1] == '!' ||
         (te >= 2 && p->w[te - 1] == '"' && p->w[te - 2] == '.'))) {
      /* Not after an abbreviation inside the journal ("J. Clin."), unless
       * the run stops here. */
      best = te;
      found = true;
    }
    if (!journal_word(p, (span){tb, te}) || ntok > 14)
      break;
  }
  if (found) {
    *c = 80;
    return best;
  }
  *c = 30;
  return lb;
}

static void set_pages(parser *p, span s, int c)
{
  char buf[128];
  size_t o = 0;
  s = trim(p, s, ".,;:");
  for (size_t i = s.b; i < s.e && o + 1 < sizeof(buf); i++) {
    size_t d = dash_at(p->w, s.e, i);
    if (d) {
      buf[o++] = '-';
      i += d - 1;
    } else if (p->w[i] != ' ') {
      buf[o++] = p->w[i];
    }
  }
  set_cstr(p, CITECONV_VAR_PAGE, buf, o, c);
}

/* Volume, issue and pages at the end of s ("23 (18), 4172–4178",
 * "23(4):100-10", "23: 41", "14:1271381", "23, pp. 1-9"). Returns the
 * start of the volume, or s.e when there is none. */
static size_t tail_numbers(parser *p, span s, bool commit)
{
  size_t i = s.e, pe, pb, ib = 0, ie = 0, vb, ve;
  bool sep = false;
  /* pages */
  pe = i;
  while (i > s.b && (is_alnum((unsigned char)p->w[i - 1]) ||
                     dash_at(p->w, p->n, i - 1) == 1 ||
                     (i >= 3 && dash_at(p->w, p->n, i - 3) == 3) ||
                     (p->w[i - 1] == ' ' && i >= 2 &&
                      (dash_at(p->w, p->n, i - 2) == 1 ||
                       (i >= 4 && dash_at(p->w, p->n, i - 4) == 3))))) {
    if (i >= 3 && dash_at(p->w, p->n, i - 3) == 3)
      i -= 3;
    else
      i--;
    if (i - s.b > 0 && pe - i > 40)
      return s.e;
  }
  pb = i;
  if (pb == pe)
    return s.e;
  {
    bool digit = false;
    for (size_t k = pb; k < pe; k++)
      if (is_digit((unsigned char)p->w[k]))
        digit = true;
    if (!digit)
      return s.e;
  }
  /* "pp. " / "p. " */
  {
    size_t j = pb;
    while (j > s.b && p->w[j - 1] == ' ')
      j--;
    if (j >= s.b + 3 && strncmp(p->w + j - 3, "pp.", 3) == 0)
      i = j - 3;
    else if (j >= s.b + 2 && strncmp(p->w + j - 2, "p.", 2) == 0)
      i = j - 2;
    else
      i = j;
  }
  while (i > s.b && p->w[i - 1] == ' ')
    i--;
  if (i > s.b && (p->w[i - 1] == ':' || p->w[i - 1] == ',')) {
    sep = true;
    i--;
  }
  if (!sep) {
    /* Only a volume ("Nature 5") or an article number after the year. */
    bool alldig = true;
    for (size_t k = pb; k < pe; k++)
      if (!is_digit((unsigned char)p->w[k]))
        alldig = false;
    if (!alldig || pe - pb > 5 || pb == s.b || p->w[pb - 1] != ' ')
      return s.e;
    if (commit)
      set_text(p, CITECONV_VAR_VOLUME, (span){pb, pe}, 50);
    return pb;
  }
  while (i > s.b && p->w[i - 1] == ' ')
    i--;
  /* issue */
  if (i > s.b && p->w[i - 1] == ')') {
    size_t j = i - 1;
    while (j > s.b && p->w[j - 1] != '(' && i - j < 40)
      j--;
    if (j > s.b && p->w[j - 1] == '(') {
      ib = j;
      ie = i - 1;
      i = j - 1;
      while (i > s.b && p->w[i - 1] == ' ')
        i--;
    }
  }
  /* volume */
  ve = i;
  while (i > s.b && (is_alnum((unsigned char)p->w[i - 1]) ||
                     p->w[i - 1] == '-') && ve - i < 12)
    i--;
  vb = i;
  if (vb == ve || !is_digit((unsigned char)p->w[vb]) ||
      (vb > s.b && p->w[vb - 1] != ' ' && p->w[vb - 1] != ',' &&
       p->w[vb - 1] != ';' && p->w[vb - 1] != ':')) {
    if (ib)
      return s.e;
    /* "Journal, 1271381" or "Journal 2012: D36": pages alone. */
    return s.e;
  }
  if (commit) {
    set_text(p, CITECONV_VAR_VOLUME, (span){vb, ve}, 80);
    if (ib)
      set_text(p, CITECONV_VAR_ISSUE, trim(p, (span){ib, ie}, ""), 80);
    set_pages(p, (span){pb, pe}, 80);
  }
  return vb;
}

static void set_year(parser *p, size_t y, int c, size_t end)
{
  citeconv_date d;
  size_t adv;
  if (citeconv_record_date(p->rec, CITECONV_VAR_ISSUED))
    return;
  memset(&d, 0, sizeof(d));
  d.year = atoi_n(p->w + y, 4);
  /* " Jun", " Jun 15", "-Jun" after the year (Vancouver). */
  if (y + 5 < end && p->w[y + 4] == ' ' && is_alpha((unsigned char)p->w[y + 5])) {
    int m = month_at(p->w + y + 5, end - y - 5, &adv);
    if (m) {
      size_t k = y + 5 + adv;
      d.month = m;
      if (k + 1 < end && p->w[k] == ' ' && is_digit((unsigned char)p->w[k + 1])) {
        size_t j = k + 1;
        while (j < end && is_digit((unsigned char)p->w[j]))
          j++;
        if (j - k - 1 <= 2 && (j == end || !is_alpha((unsigned char)p->w[j])))
          d.day = atoi_n(p->w + k + 1, j - k - 1);
        if (d.day > 31)
          d.day = 0;
      }
    }
  }
  d.pos = p->pos;
  if (citeconv_record_set_date(p->rec, CITECONV_VAR_ISSUED, &d) < 0)
    p->err = CITECONV_ENOMEM;
  conf(p, CITECONV_VAR_ISSUED, c);
}

/* "City: Publisher" in s: the last colon. */
static bool publisher(parser *p, span s, int c)
{
  size_t colon = 0;
  s = trim(p, s, ".,;");
  for (size_t i = s.b; i < s.e; i++)
    if (p->w[i] == ':' && i + 1 < s.e &&
        (p->w[i + 1] == ' ' || is_upper((unsigned char)p->w[i + 1])))
      colon = i;
  if (colon) {
    set_text(p, CITECONV_VAR_PUBLISHER_PLACE, trim(p, (span){s.b, colon}, ""),
             c);
    set_text(p, CITECONV_VAR_PUBLISHER, trim(p, (span){colon + 1, s.e}, ""),
             c);
    return true;
  }
  if (s.e > s.b) {
    set_text(p, CITECONV_VAR_PUBLISHER, s, c - 20);
    return true;
  }
  return false;
}

static span strip_quotes(const parser *p, span s)
{
  static const char *const q[] = {"\"", "'", "\xE2\x80\x9C", "\xE2\x80\x9D",
                                  "\xE2\x80\x98", "\xE2\x80\x99", NULL};
  for (int round = 0; round < 2; round++) {
    for (size_t k = 0; q[k]; k++) {
      size_t L = strlen(q[k]);
      if (s.e - s.b >= L && memcmp(p->w + s.b, q[k], L) == 0)
        s.b += L;
      if (s.e - s.b >= L && memcmp(p->w + s.e - L, q[k], L) == 0)
        s.e -= L;
    }
    s = trim(p, s, ".,");
  }
  return s;
}

static void set_title(parser *p, span s, int c)
{
  s = trim(p, s, ",;:");
  while (s.e > s.b && p->w[s.e - 1] == '.')
    s.e--;
  s = strip_quotes(p, s);
  set_text(p, CITECONV_VAR_TITLE, s, c);
}

/* The first sentence end in [b, e); e if none. */
static size_t next_sentence(const parser *p, size_t b, size_t e)
{
  int quote = 0;
  for (size_t i = b; i < e; i++) {
    if (p->w[i] == '"')
      quote ^= 1;
    if (!quote && sentence_end(p, i))
      return i;
  }
  return e;
}

/* A chapter: "In: Eds, editors. Book. City: Pub; 2001. p. 1-9." or
 * "In J. Ed (Ed.), Book (pp. 1-9). Pub." starting at `in` (after "In"). */
static void chapter(parser *p, size_t in, size_t e)
{
  size_t i, ed_end = 0, after = 0;
  citeconv_record_set_type(p->rec, CITECONV_TYPE_CHAPTER);
  if (p->res)
    p->res->type_confidence = 80;
  while (in < e && (p->w[in] == ':' || p->w[in] == ' '))
    in++;
  for (i = in; i < e; i++) {
    if (starts_ci(p->w + i, e - i, ", editors") ||
        starts_ci(p->w + i, e - i, ", editor") ||
        starts_ci(p->w + i, e - i, ", eds") ||
        starts_ci(p->w + i, e - i, ", ed.")) {
      ed_end = i;
      after = i + 2;
      while (after < e && is_alpha((unsigned char)p->w[after]))
        after++;
      while (after < e && (p->w[after] == '.' || p->w[after] == ' '))
        after++;
      break;
    }
    if (starts_ci(p->w + i, e - i, " (eds") ||
        starts_ci(p->w + i, e - i, " (ed")) {
      ed_end = i;
      after = i;
      while (after < e && p->w[after] != ')')
        after++;
      after++;
      while (after < e && (p->w[after] == ',' || p->w[after] == ' ' ||
                           p->w[after] == '.'))
        after++;
      break;
    }
  }
  if (ed_end) {
    int c = parse_names(p, CITECONV_VAR_EDITOR, (span){in, ed_end});
    conf(p, CITECONV_VAR_EDITOR, c);
  } else {
    after = in;
  }
  if (after < e) {
    size_t be = next_sentence(p, after, e), pp;
    /* APA "(pp. 10-20)" inside the book title's sentence. */
    for (pp = after; pp + 4 < be; pp++)
      if (strncmp(p->w + pp, "(pp.", 4) == 0 || strncmp(p->w + pp, "(p.", 3) == 0)
        break;
    if (pp + 4 < be) {
      size_t q = pp;
      while (q < be && p->w[q] != ')')
        q++;
      set_pages(p, (span){pp + (p->w[pp + 2] == 'p' ? 4 : 3), q}, 70);
      set_text(p, CITECONV_VAR_CONTAINER_TITLE,
               trim(p, (span){after, pp}, ",."), 70);
    } else {
      set_text(p, CITECONV_VAR_CONTAINER_TITLE,
               trim(p, (span){after, be}, ",."), 70);
    }
    /* The rest: "City: Publisher; 2001. p. 10-20." */
    if (be < e) {
      size_t r = be + 1, semi = 0, pg = 0;
      for (i = r; i < e; i++) {
        if (p->w[i] == ';' && !semi)
          semi = i;
        if ((starts_ci(p->w + i, e - i, "p. ") ||
             starts_ci(p->w + i, e - i, "pp. ")) &&
            (i == r || p->w[i - 1] == ' '))
          pg = i;
      }
      if (pg) {
        set_pages(p, (span){pg + (p->w[pg + 1] == 'p' ? 3 : 2), e}, 70);
        e = pg;
      }
      {
        size_t pe = semi ? semi : next_sentence(p, r, e), q = r, last = r;
        while (q < pe) {
          size_t s2 = next_sentence(p, q, pe);
          if (s2 >= pe)
            break;
          last = s2 + 1;
          q = s2 + 1;
        }
        publisher(p, (span){last, pe}, semi ? 70 : 60);
        for (q = pe; q < e; q++)
          if (year_at(p->w, e, q)) {
            set_year(p, q, 75, e);
            break;
          }
      }
    }
  }
}

/* Is there a chapter marker ("In:", ". In ") in [b, e)? */
static size_t find_in(const parser *p, size_t b, size_t e)
{
  for (size_t i = b; i + 4 < e; i++)
    if ((p->w[i] == '.' || p->w[i] == ',') && p->w[i + 1] == ' ' &&
        p->w[i + 2] == 'I' && p->w[i + 3] == 'n' &&
        (p->w[i + 4] == ':' ||
         (p->w[i + 4] == ' ' && i + 5 < e &&
          (is_upper((unsigned char)p->w[i + 5]) ||
           (unsigned char)p->w[i + 5] >= 0x80))))
      return i;
  return 0;
}

/* Title and source after the authors (and, in author-date styles, after
 * the year): "Title. Journal 23 (18), 4172-4178" and the like. */
static void title_and_source(parser *p, size_t b, size_t e, bool have_year)
{
  size_t in, vb, ts = b, te, y = 0, k;
  int jc = 0;
  span rest = trim(p, (span){b, e}, ".,;:");
  if (rest.e <= rest.b)
    return;
  b = rest.b;
  e = rest.e;
  /* "Journal. In press." / "Biochimie in press" */
  if (e - b > 9 && starts_ci(p->w + e - 8, 8, "in press") &&
      p->w[e - 9] == ' ') {
    set_cstr(p, CITECONV_VAR_STATUS, "in press", 8, 70);
    p->in_press = true;
    e -= 9;
    while (e > b && (p->w[e - 1] == ' ' || p->w[e - 1] == '.' ||
                     p->w[e - 1] == ','))
      e--;
  }
  /* APA's edition after a book title: "Title (2nd ed.)." */
  for (size_t i = b; i + 6 < e; i++)
    if (p->w[i] == '(' && is_digit((unsigned char)p->w[i + 1])) {
      size_t j = i + 1;
      while (j < e && j - i < 16 && p->w[j] != ')')
        j++;
      if (j < e && p->w[j] == ')' && j >= i + 5 &&
          strncmp(p->w + j - 3, "ed.", 3) == 0) {
        set_text(p, CITECONV_VAR_EDITION, (span){i + 1, j}, 60);
        blank((parser *)p, i, j + 1);
        break;
      }
    }
  /* Quoted title (Harvard 'Title', Chicago "Title."). */
  {
    static const char *const open[] = {"'", "\"", "\xE2\x80\x9C",
                                       "\xE2\x80\x98", NULL};
    static const char *const close[] = {"'", "\"", "\xE2\x80\x9D",
                                        "\xE2\x80\x99", NULL};
    for (k = 0; open[k]; k++) {
      size_t L = strlen(open[k]), C = strlen(close[k]);
      if (e - b > L && memcmp(p->w + b, open[k], L) == 0) {
        for (size_t i = b + L; i + C <= e; i++)
          if (memcmp(p->w + i, close[k], C) == 0 &&
              (i + C == e || p->w[i + C] == ' ' || p->w[i + C] == ',' ||
               p->w[i + C] == '.')) {
            set_title(p, (span){b + L, i}, 85);
            b = i + C;
            ts = 0;
            break;
          }
        break;
      }
    }
  }
  in = find_in(p, b, e);
  if (in) {
    if (ts)
      set_title(p, (span){ts, in}, 75);
    chapter(p, in + 4, e);
    return;
  }
  /* Vancouver: "Journal. 2005 Jun;23(18):4172-8" or books "City: Pub;
   * 2001" — a year after the title when there was none before. */
  if (!have_year) {
    for (size_t i = b; i < e; i++)
      if (year_at(p->w, e, i)) {
        size_t j = i + 4;
        /* optional month and day */
        while (j < e && j - i < 24 && p->w[j] != ';' && p->w[j] != ':' &&
               p->w[j] != '.' && p->w[j] != ',' && p->w[j] != '(')
          j++;
        if (i > b && (p->w[i - 1] == ' ') &&
            (j == e || p->w[j] == ';' || p->w[j] == ':' || p->w[j] == '.' ||
             p->w[j] == ','))
          y = i;
      }
  }
  if (y) {
    size_t before = y;
    size_t j = y + 4;
    while (before > b && p->w[before - 1] == ' ')
      before--;
    set_year(p, y, 85, e);
    while (j < e && p->w[j] != ';' && p->w[j] != ':' && p->w[j] != '.' &&
           p->w[j] != ',')
      j++;
    if (before > b && p->w[before - 1] == ';') {
      /* Book: "Title. 2nd ed. City: Publisher; 2001". */
      size_t ps = before - 1, q = b, last = b;
      while (q < ps) {
        size_t s2 = next_sentence(p, q, ps);
        if (s2 >= ps)
          break;
        last = s2 + 1;
        q = s2 + 1;
      }
      publisher(p, (span){last, before - 1}, 75);
      if (!p->thesis) {
        citeconv_record_set_type(p->rec, CITECONV_TYPE_BOOK);
        if (p->res)
          p->res->type_confidence = 60;
      }
      if (ts) {
        size_t t2 = next_sentence(p, ts, last);
        set_title(p, (span){ts, t2 < last ? t2 : last}, 70);
        if (t2 < last) {
          span ed = trim(p, (span){t2 + 1, last}, ".");
          if (ed.e - ed.b < 20 && ed.e - ed.b > 3 &&
              strstr(p->w + ed.b, "ed") &&
              (size_t)(strstr(p->w + ed.b, "ed") - p->w) < ed.e)
            set_text(p, CITECONV_VAR_EDITION, ed, 60);
        }
      }
    } else {
      if (before > b && p->w[before - 1] == '.')
        before--;
      if (j < e && (p->w[j] == ';' || p->w[j] == ':')) {
        /* ;vol(issue):pages or :pages */
        span src = trim(p, (span){j + 1, e}, ".");
        if (p->w[j] == ';') {
          if (tail_numbers(p, src, true) == src.e) {
            /* ";23" only or ";23(4)" */
            span v = src;
            size_t q = v.b;
            while (q < v.e && is_alnum((unsigned char)p->w[q]))
              q++;
            set_text(p, CITECONV_VAR_VOLUME, (span){v.b, q}, 60);
            if (q < v.e && p->w[q] == '(') {
              size_t r = q;
              while (r < v.e && p->w[r] != ')')
                r++;
              set_text(p, CITECONV_VAR_ISSUE, (span){q + 1, r}, 60);
            }
          }
        } else {
          set_pages(p, src, 60);
        }
      }
      vb = journal_start(p, ts ? ts : b, before, &jc);
      te = vb;
      if (vb > (ts ? ts : b)) {
        span js = trim(p, (span){vb, before}, ".");
        set_text(p, CITECONV_VAR_CONTAINER_TITLE, js, jc);
        if (ts)
          set_title(p, (span){ts, te}, jc);
      } else if (ts) {
        /* No clear boundary: title is the first sentence. */
        size_t t2 = next_sentence(p, ts, before);
        set_title(p, (span){ts, t2}, 40);
        if (t2 < before)
          set_text(p, CITECONV_VAR_CONTAINER_TITLE,
                   trim(p, (span){t2 + 1, before}, "."), 40);
      }
      if (!citeconv_record_text(p->rec, CITECONV_VAR_CONTAINER_TITLE) ||
          p->thesis)
        ;
      else if (!p->preprint) {
        citeconv_record_set_type(p->rec, CITECONV_TYPE_ARTICLE_JOURNAL);
        if (p->res)
          p->res->type_confidence = 80;
      }
    }
    return;
  }
  /* Author-date styles: the numbers at the end. */
  vb = tail_numbers(p, (span){b, e}, true);
  if (vb < e) {
    size_t je = vb;
    while (je > b && (p->w[je - 1] == ' ' || p->w[je - 1] == ','))
      je--;
    k = journal_start(p, b, je, &jc);
    if (!ts && k == b)
      jc = 80;
    if (k > b || !ts) {
      span js = trim(p, (span){k, je}, ",");
      if (ts)
        set_title(p, (span){b, k}, jc);
      set_text(p, CITECONV_VAR_CONTAINER_TITLE, js, jc);
    } else {
      size_t t2 = next_sentence(p, b, je);
      set_title(p, (span){b, t2}, 40);
      if (t2 < je)
        set_text(p, CITECONV_VAR_CONTAINER_TITLE,
                 trim(p, (span){t2 + 1, je}, ".,"), 40);
    }
    if (!p->preprint && !p->thesis) {
      citeconv_record_set_type(p->rec, CITECONV_TYPE_ARTICLE_JOURNAL);
      if (p->res)
        p->res->type_confidence = 80;
    }
    return;
  }
  /* No numbers: a book, thesis, web page or preprint. Title is the first
   * sentence, then a container or publisher. */
  {
    size_t t2 = ts ? next_sentence(p, b, e) : b;
    span restspan;
    if (ts)
      set_title(p, (span){b, t2}, 60);
    restspan = trim(p, (span){t2 < e ? t2 + 1 : e, e}, ".,");
    if (restspan.e > restspan.b) {
      if ((p->webpage || p->internet) &&
          memchr(p->w + restspan.b, ':', restspan.e - restspan.b)) {
        publisher(p, restspan, 60);
      } else if (p->preprint || p->webpage || p->internet || p->in_press) {
        set_text(p, CITECONV_VAR_CONTAINER_TITLE, restspan, 50);
      } else {
        /* "2nd ed. City: Publisher" — the publisher is the last part. */
        size_t q = restspan.b, last = restspan.b;
        while (q < restspan.e) {
          size_t s2 = next_sentence(p, q, restspan.e);
          if (s2 >= restspan.e)
            break;
          last = s2 + 1;
          q = s2 + 1;
        }
        publisher(p, (span){last, restspan.e}, 60);
        if (!p->thesis) {
          citeconv_record_set_type(p->rec, CITECONV_TYPE_BOOK);
          if (p->res)
            p->res->type_confidence = 50;
        }
      }
    }
  }
}

/* The first "(YYYY)" / "(YYYYa)" / "(YYYY, Month D)" / "(n.d.)" whose
 * prefix holds no sentence; its span. */
static bool paren_year(const parser *p, span *out, size_t *year)
{
  for (size_t i = 0; i + 5 < p->n; i++) {
    size_t j;
    if (p->w[i] != '(')
      continue;
    if (starts_ci(p->w + i, p->n - i, "(n.d.)")) {
      *out = (span){i, i + 6};
      *year = 0;
      return i > 0;
    }
    if (!year_at(p->w, p->n, i + 1))
      continue;
    j = i + 5;
    while (j < p->n && p->w[j] != ')' && j - i < 40 && p->w[j] != '(')
      j++;
    if (j >= p->n || p->w[j] != ')')
      continue;
    *out = (span){i, j + 1};
    *year = i + 1;
    /* The prefix must be the author list: no sentence inside. */
    for (size_t k = 0; k < i; k++)
      if (sentence_end(p, k) && k + 2 < i &&
          is_lower((unsigned char)p->w[k + 2]) &&
          !starts_ci(p->w + k + 2, i - k - 2, "and ") &&
          !starts_ci(p->w + k + 2, i - k - 2, "et al") &&
          !(is_particle(p->w + k + 2, 2) || is_particle(p->w + k + 2, 3)))
        return false;
    return i > 0;
  }
  return false;
}

/* Whether a Vancouver source ("2015 Jan;274(1):250-9", "2012;40:D48")
 * starts at y. */
static bool vancouver_source_at(const parser *p, size_t y)
{
  size_t j = y + 4;
  while (j < p->n && j - y < 24 && p->w[j] != ';' && p->w[j] != ':' &&
         p->w[j] != '.')
    j++;
  return j < p->n && (p->w[j] == ';' || p->w[j] == ':');
}

/* Chicago author-date: "Authors. 2005. Title." — a bare year after the
 * first sentence end. */
static bool chicago_year(const parser *p, size_t *ae, size_t *year)
{
  /* "Authors. 2005." or "Organisation 2005." (EHP, Chicago) before any
   * quotation mark or sentence: the names have a comma ("Smith, John, and
   * Karen Jones. 2005."), end in initials ("Halsey NS. 1999.") or name an
   * organisation ("National Research Council 2000."). */
  bool comma = false;
  for (size_t i = 1; i + 7 < p->n; i++) {
    unsigned char c = (unsigned char)p->w[i];
    size_t y = i + 1, k;
    if (c == '"' || (c == 0xE2 && (unsigned char)p->w[i + 1] == 0x80 &&
                     (unsigned char)p->w[i + 2] == 0x9C))
      return false;
    if (c == ',')
      comma = true;
    if (c == '.' && p->w[i + 1] == ' ')
      y = i + 2;
    else if (c != ' ')
      continue;
    if (!year_at(p->w, p->n, y))
      goto next;
    k = y + 4;
    if (k < p->n && is_lower((unsigned char)p->w[k]))
      k++;
    if (k + 1 >= p->n || p->w[k] != '.' || p->w[k + 1] != ' ')
      goto next;
    if (c == '.') {
      /* The token before the full stop: initials, or a comma before. */
      size_t tb = i;
      while (tb > 0 && p->w[tb - 1] != ' ')
        tb--;
      if (!comma && !is_initials(p->w + tb, i - tb))
        goto next;
    } else if (!looks_collective(p->w, i) && !(i < 40 && p->w[i - 1] == ')') &&
               ntokens_n(p, i) > 2) {
      goto next;
    }
    *ae = c == '.' ? i : i;
    *year = y;
    return true;
  next:
    if (c == '.' && sentence_end(p, i) && !(i >= 1 && is_upper((unsigned char)p->w[i - 1])))
      return false;
  }
  return false;
}

static void finish_type(parser *p)
{
  citeconv_type t = citeconv_record_type(p->rec);
  if (p->thesis) {
    citeconv_record_set_type(p->rec, CITECONV_TYPE_THESIS);
    if (p->genre)
      set_cstr(p, CITECONV_VAR_GENRE, p->genre, strlen(p->genre), 70);
    if (p->res)
      p->res->type_confidence = 80;
  } else if (p->preprint && t != CITECONV_TYPE_CHAPTER) {
    citeconv_record_set_type(p->rec, CITECONV_TYPE_ARTICLE);
    if (p->res)
      p->res->type_confidence = 70;
  } else if ((p->webpage || p->internet) &&
             (t == CITECONV_TYPE_DOCUMENT ||
              (t == CITECONV_TYPE_BOOK &&
               citeconv_record_text(p->rec, CITECONV_VAR_URL)))) {
    citeconv_record_set_type(p->rec, CITECONV_TYPE_WEBPAGE);
    if (p->res)
      p->res->type_confidence = 60;
  } else if (t == CITECONV_TYPE_DOCUMENT &&
             citeconv_record_text(p->rec, CITECONV_VAR_CONTAINER_TITLE)) {
    citeconv_record_set_type(p->rec, CITECONV_TYPE_ARTICLE_JOURNAL);
    if (p->res)
      p->res->type_confidence = 50;
  }
}

const char *citeconv_refstyle_name(citeconv_refstyle style)
{
  switch (style) {
  case CITECONV_REFSTYLE_VANCOUVER:
    return "vancouver";
  case CITECONV_REFSTYLE_APA:
    return "apa";
  case CITECONV_REFSTYLE_HARVARD:
    return "harvard";
  case CITECONV_REFSTYLE_CHICAGO:
    return "chicago";
  default:
    return "unknown";
  }
}

int citeconv_refparse(citeconv_record *rec, const char *s, size_t len,
                      citeconv_pos pos, citeconv_refparse_result *res)
{
  parser p;
  span ys;
  size_t y, ae;
  int c;
  memset(&p, 0, sizeof(p));
  p.rec = rec;
  p.pos = pos;
  p.res = res;
  if (res)
    memset(res, 0, sizeof(*res));
  if (load(&p, s, len) < 0)
    return CITECONV_ENOMEM;
  /* Strip a leading list number ("1.", "[12]", "12)"). */
  {
    size_t i = 0;
    if (p.n && p.w[0] == '[') {
      i = 1;
      while (i < p.n && is_digit((unsigned char)p.w[i]))
        i++;
      if (i > 1 && i < p.n && p.w[i] == ']')
        blank(&p, 0, i + 1);
    } else {
      while (i < p.n && is_digit((unsigned char)p.w[i]))
        i++;
      if (i > 0 && i < 4 && i + 1 < p.n &&
          (p.w[i] == '.' || p.w[i] == ')') && p.w[i + 1] == ' ')
        blank(&p, 0, i + 1);
    }
  }
  find_doi(&p);
  find_ids(&p);
  find_markers(&p);
  tidy(&p);
  if (p.err)
    goto done;
  if (p.n == 0)
    goto done;
  if (paren_year(&p, &ys, &y)) {
    bool harvard = ys.e < p.n && p.w[ys.e] != '.' && p.w[ys.e] != ':';
    c = parse_names(&p, CITECONV_VAR_AUTHOR, (span){0, ys.b});
    conf(&p, CITECONV_VAR_AUTHOR, c);
    if (y)
      set_year(&p, y, 90, ys.e);
    if (res)
      res->style = harvard ? CITECONV_REFSTYLE_HARVARD : CITECONV_REFSTYLE_APA;
    title_and_source(&p, ys.e, p.n, true);
  } else if (chicago_year(&p, &ae, &y)) {
    c = parse_names(&p, CITECONV_VAR_AUTHOR, (span){0, ae});
    conf(&p, CITECONV_VAR_AUTHOR, c);
    set_year(&p, y, 85, y + 4);
    if (res)
      res->style = CITECONV_REFSTYLE_CHICAGO;
    title_and_source(&p, y + 5 + (p.w[y + 4] != '.'), p.n, true);
  } else {
    ae = vancouver_authors_end(&p, 0);
    if (ae + 6 < p.n && year_at(p.w, p.n, ae + 2) &&
        vancouver_source_at(&p, ae + 2)) {
      /* No authors and no title: "Radiology. 2015 Jan;274(1):250-9". */
      set_text(&p, CITECONV_VAR_CONTAINER_TITLE, (span){0, ae}, 70);
      if (res)
        res->style = CITECONV_REFSTYLE_VANCOUVER;
      title_and_source(&p, 0, p.n, false);
    } else if (ae >= p.n) {
      /* One sentence only: keep it as the title. */
      set_title(&p, (span){0, p.n}, 20);
    } else {
      citeconv_var role = CITECONV_VAR_AUTHOR;
      span names = {0, ae};
      /* "Sample D, editor." / "Smith J, Jones K, editors." */
      static const char *const ed[] = {", editors", ", editor", ", eds",
                                       ", ed", NULL};
      for (size_t k = 0; ed[k]; k++) {
        size_t L = strlen(ed[k]);
        if (ae >= L && starts_ci(p.w + ae - L, L, ed[k])) {
          role = CITECONV_VAR_EDITOR;
          names.e = ae - L;
          break;
        }
      }
      c = parse_names(&p, role, names);
      conf(&p, role, c ? c - 10 : 0);
      if (res)
        res->style = CITECONV_REFSTYLE_VANCOUVER;
      title_and_source(&p, ae + 1, p.n, false);
    }
  }
  finish_type(&p);
done:
  free(p.w);
  return p.err;
}
