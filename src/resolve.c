/* The online DOI check (--check --resolve): each distinct DOI is asked of
 * the DOI resolver's handle API and of its registration agency (Crossref,
 * DataCite), through libcurl, a small on-disk cache in between, and the
 * registry's title, first author, year and container are compared. */
#include "resolve.h"

#include <errno.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unistd.h>

#ifdef CITECONV_HAVE_CURL
#define CURL_DISABLE_TYPECHECK /* calls go through pointers, see curl_api */
#include <curl/curl.h>
#include <dlfcn.h>
#endif

#include "citeconv/validate.h"
#include "ident.h"
#include "session.h"
#include "text.h"

/* ---- registry answers --------------------------------------------------- */

void citeconv_doi_meta_clear(citeconv_doi_meta *m)
{
  free(m->title);
  free(m->subtitle);
  free(m->family);
  free(m->container);
  memset(m, 0, sizeof(*m));
}

static char *dup_n(const char *s, size_t n)
{
  char *d = malloc(n + 1);
  if (d) {
    memcpy(d, s, n);
    d[n] = '\0';
  }
  return d;
}

static char *dup_s(const char *s)
{
  return s ? dup_n(s, strlen(s)) : NULL;
}

/* The i-th string of a JSON array, or NULL. */
static const char *array_string(const json_t *a, size_t i)
{
  return json_is_array(a) ? json_string_value(json_array_get(a, i)) : NULL;
}

int citeconv_resolve_parse_handle(const char *body, size_t len, long http)
{
  json_t *root = json_loadb(body, len, 0, NULL);
  json_t *code = json_object_get(root, "responseCode");
  int rc = -1;
  if (json_is_integer(code)) {
    json_int_t c = json_integer_value(code);
    /* DOI Handbook, REST API response codes: 1 success, 100 handle not
     * found, 200 values not found (the handle exists). */
    if ((c == 1 || c == 200) && http == 200)
      rc = 1;
    else if (c == 100 && (http == 404 || http == 200))
      rc = 0;
  }
  json_decref(root);
  return rc;
}

int citeconv_resolve_parse_ra(citeconv_buf *out, const char *body,
                              size_t len)
{
  json_t *root = json_loadb(body, len, 0, NULL);
  json_t *first = json_array_get(root, 0);
  const char *ra;
  int rc = -1;
  if (!json_is_object(first))
    goto done;
  ra = json_string_value(json_object_get(first, "RA"));
  if (ra && *ra)
    rc = citeconv_buf_adds(out, ra) < 0 ? CITECONV_ENOMEM : 1;
  else if (json_is_string(json_object_get(first, "status")))
    rc = 0; /* "DOI does not exist", "Invalid DOI", "Unknown" */
done:
  json_decref(root);
  return rc;
}

/* Add s as one more line of m->container. */
static int add_container(citeconv_doi_meta *m, const char *s)
{
  size_t old = m->container ? strlen(m->container) : 0, n;
  char *c;
  if (!s || !*s)
    return 0;
  n = strlen(s);
  c = realloc(m->container, old + n + 2);
  if (!c)
    return CITECONV_ENOMEM;
  if (old)
    c[old++] = '\n';
  memcpy(c + old, s, n + 1);
  m->container = c;
  return 0;
}

/* Year of a Crossref date ({"date-parts":[[2019,5,1]]}); 0 if none. */
static int crossref_year(const json_t *date)
{
  json_t *parts = json_array_get(json_object_get(date, "date-parts"), 0);
  json_t *y = json_array_get(parts, 0);
  if (json_is_integer(y))
    return (int)json_integer_value(y);
  if (json_is_string(y))
    return atoi(json_string_value(y));
  return 0;
}

int citeconv_resolve_parse_crossref(citeconv_doi_meta *m, const char *body,
                                    size_t len)
{
  static const char *const dates[] = {"issued", "published-print",
                                      "published-online", "published",
                                      NULL};
  json_t *root = json_loadb(body, len, 0, NULL);
  json_t *msg = json_object_get(root, "message");
  json_t *authors, *a = NULL;
  int rc = CITECONV_EPARSE;
  citeconv_doi_meta_clear(m);
  if (!json_is_object(msg))
    goto done;
  rc = CITECONV_ENOMEM;
  if ((array_string(json_object_get(msg, "title"), 0) &&
       !(m->title = dup_s(array_string(json_object_get(msg, "title"), 0)))) ||
      (array_string(json_object_get(msg, "subtitle"), 0) &&
       !(m->subtitle =
             dup_s(array_string(json_object_get(msg, "subtitle"), 0)))))
    goto done;
  /* The first author is the one with "sequence": "first", else the first
   * of the list; an organisation has "name" instead of "family". */
  authors = json_object_get(msg, "author");
  for (size_t i = 0; i < json_array_size(authors); i++) {
    json_t *x = json_array_get(authors, i);
    const char *seq = json_string_value(json_object_get(x, "sequence"));
    if (seq && strcmp(seq, "first") == 0) {
      a = x;
      break;
    }
  }
  if (!a)
    a = json_array_get(authors, 0);
  if (a) {
    const char *f = json_string_value(json_object_get(a, "family"));
    if (!f)
      f = json_string_value(json_object_get(a, "name"));
    if (f && !(m->family = dup_s(f)))
      goto done;
  }
  for (size_t i = 0; i < 2; i++)
    if (add_container(m, array_string(json_object_get(msg, "container-title"),
                                      i)) < 0)
      goto done;
  if (add_container(m, array_string(
                           json_object_get(msg, "short-container-title"), 0)) <
      0)
    goto done;
  /* The issued year, else the first of the others; and the latest, as an
   * article may be online a year or two before its issue is printed. */
  for (size_t i = 0; dates[i]; i++) {
    int y = crossref_year(json_object_get(msg, dates[i]));
    if (y && !m->year)
      m->year = y;
    if (y > m->year_last)
      m->year_last = y;
  }
  rc = 0;
done:
  if (rc < 0)
    citeconv_doi_meta_clear(m);
  json_decref(root);
  return rc;
}

int citeconv_resolve_parse_datacite(citeconv_doi_meta *m, const char *body,
                                    size_t len)
{
  json_t *root = json_loadb(body, len, 0, NULL);
  json_t *at = json_object_get(json_object_get(root, "data"), "attributes");
  json_t *titles, *creator, *year;
  const char *f;
  int rc = CITECONV_EPARSE;
  citeconv_doi_meta_clear(m);
  if (!json_is_object(at))
    goto done;
  rc = CITECONV_ENOMEM;
  /* titles: [{"title": "..."}, {"title": "...", "titleType": "Subtitle"}] */
  titles = json_object_get(at, "titles");
  for (size_t i = 0; i < json_array_size(titles); i++) {
    json_t *t = json_array_get(titles, i);
    const char *v = json_string_value(json_object_get(t, "title"));
    const char *type = json_string_value(json_object_get(t, "titleType"));
    if (!v)
      continue;
    if (!type && !m->title && !(m->title = dup_s(v)))
      goto done;
    if (type && strcmp(type, "Subtitle") == 0 && !m->subtitle &&
        !(m->subtitle = dup_s(v)))
      goto done;
  }
  creator = json_array_get(json_object_get(at, "creators"), 0);
  f = json_string_value(json_object_get(creator, "familyName"));
  if (f) {
    if (!(m->family = dup_s(f)))
      goto done;
  } else if ((f = json_string_value(json_object_get(creator, "name")))) {
    /* A personal name without parts is "Family, Given". */
    const char *type = json_string_value(json_object_get(creator, "nameType"));
    const char *comma = strchr(f, ',');
    size_t n = type && strcmp(type, "Organizational") != 0 && comma
                   ? (size_t)(comma - f)
                   : strlen(f);
    if (!(m->family = dup_n(f, n)))
      goto done;
  }
  year = json_object_get(at, "publicationYear");
  if (json_is_integer(year))
    m->year = (int)json_integer_value(year);
  else if (json_is_string(year))
    m->year = atoi(json_string_value(year));
  m->year_last = m->year;
  if (add_container(m, json_string_value(json_object_get(
                           json_object_get(at, "container"), "title"))) < 0)
    goto done;
  rc = 0;
done:
  if (rc < 0)
    citeconv_doi_meta_clear(m);
  json_decref(root);
  return rc;
}

/* ---- comparing ---------------------------------------------------------- */

/* Longest text compared, in bytes and in characters. */
enum { MAX_COMPARE_BYTES = 2000, MAX_COMPARE_CHARS = 400 };

/* Copy s[0..n) without tags (<i>, </sub>, <mml:math ...>) and with the
 * character references of registry titles (&amp;, &#233;) replaced. */
static int strip_tags(citeconv_buf *out, const char *s, size_t n)
{
  static const struct {
    const char *name, *text;
  } ents[] = {{"amp;", "&"}, {"lt;", "<"}, {"gt;", ">"}, {"quot;", "\""},
              {"apos;", "'"}, {"nbsp;", " "}};
  int rc = 0;
  for (size_t i = 0; i < n && rc >= 0;) {
    char c = s[i];
    if (c == '<' && i + 1 < n &&
        ((s[i + 1] >= 'a' && s[i + 1] <= 'z') ||
         (s[i + 1] >= 'A' && s[i + 1] <= 'Z') || s[i + 1] == '/')) {
      const char *end = memchr(s + i, '>', n - i);
      if (end) {
        rc = citeconv_buf_addc(out, ' ');
        i = (size_t)(end - s) + 1;
        continue;
      }
    }
    if (c == '&') {
      size_t k;
      bool done = false;
      if (i + 2 < n && s[i + 1] == '#') {
        unsigned long cp = 0;
        size_t j = i + 2;
        bool hex = j < n && (s[j] == 'x' || s[j] == 'X');
        if (hex)
          j++;
        for (; j < n && j < i + 10; j++) {
          int d = s[j] >= '0' && s[j] <= '9'               ? s[j] - '0'
                  : hex && s[j] >= 'a' && s[j] <= 'f'      ? s[j] - 'a' + 10
                  : hex && s[j] >= 'A' && s[j] <= 'F'      ? s[j] - 'A' + 10
                                                           : -1;
          if (d < 0)
            break;
          cp = cp * (hex ? 16 : 10) + (unsigned long)d;
        }
        if (j < n && s[j] == ';' && cp > 0 && cp < 0x110000 &&
            (cp < 0xD800 || cp > 0xDFFF)) {
          rc = citeconv_buf_add_cp(out, (unsigned)cp);
          i = j + 1;
          continue;
        }
      }
      for (k = 0; k < sizeof ents / sizeof ents[0]; k++) {
        size_t l = strlen(ents[k].name);
        if (i + 1 + l <= n && memcmp(s + i + 1, ents[k].name, l) == 0) {
          rc = citeconv_buf_adds(out, ents[k].text);
          i += 1 + l;
          done = true;
          break;
        }
      }
      if (done)
        continue;
    }
    rc = citeconv_buf_addc(out, c);
    i++;
  }
  return rc;
}

int citeconv_resolve_normalise(citeconv_buf *out, const char *s, size_t n)
{
  citeconv_buf plain = CITECONV_BUF_INIT, folded = CITECONV_BUF_INIT;
  UErrorCode err = U_ZERO_ERROR;
  const UNormalizer2 *nfkd = unorm2_getNFKDInstance(&err);
  UChar *u = NULL, *v = NULL;
  int32_t ulen = 0, vlen;
  bool space = true;
  int rc = CITECONV_ENOMEM;
  if (n > MAX_COMPARE_BYTES) {
    n = MAX_COMPARE_BYTES;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
      n--;
  }
  if (U_FAILURE(err) || strip_tags(&plain, s, n) < 0 ||
      citeconv_text_casefold(&folded, plain.data ? plain.data : "",
                             plain.len) < 0)
    goto done;
  u_strFromUTF8(NULL, 0, &ulen, folded.data ? folded.data : "",
                (int32_t)folded.len, &err);
  err = U_ZERO_ERROR;
  if (!(u = malloc(sizeof(UChar) * ((size_t)ulen + 1))))
    goto done;
  u_strFromUTF8(u, ulen + 1, NULL, folded.data ? folded.data : "",
                (int32_t)folded.len, &err);
  if (U_FAILURE(err))
    goto done;
  /* NFKD is at most 18 times longer; ask for the size first. */
  vlen = unorm2_normalize(nfkd, u, ulen, NULL, 0, &err);
  err = U_ZERO_ERROR;
  if (!(v = malloc(sizeof(UChar) * ((size_t)vlen + 1))))
    goto done;
  unorm2_normalize(nfkd, u, ulen, v, vlen + 1, &err);
  if (U_FAILURE(err))
    goto done;
  rc = 0;
  for (int32_t i = 0; i < vlen && rc >= 0;) {
    UChar32 c;
    U16_NEXT(v, i, vlen, c);
    if (u_charType(c) == U_NON_SPACING_MARK)
      continue;
    if (u_isalnum(c)) {
      rc = citeconv_buf_add_cp(out, (unsigned)c);
      space = false;
    } else if (!space) {
      rc = citeconv_buf_addc(out, ' ');
      space = true;
    }
  }
  if (rc >= 0 && out->len && out->data[out->len - 1] == ' ')
    out->data[--out->len] = '\0';
  if (rc >= 0 && !out->data)
    rc = citeconv_buf_add(out, "", 0);
done:
  free(u);
  free(v);
  citeconv_buf_free(&plain);
  citeconv_buf_free(&folded);
  return rc < 0 ? CITECONV_ENOMEM : 0;
}

/* Decode up to MAX_COMPARE_CHARS code points of s into cp; returns how
 * many. */
static size_t code_points(uint32_t *cp, const char *s)
{
  size_t n = strlen(s), i = 0, k = 0, adv;
  while (i < n && k < MAX_COMPARE_CHARS) {
    long c = citeconv_utf8_decode((const unsigned char *)s + i, n - i, &adv);
    cp[k++] = c < 0 ? 0xFFFD : (uint32_t)c;
    i += adv;
  }
  return k;
}

double citeconv_resolve_similarity(const char *a, const char *b)
{
  uint32_t *x = malloc(sizeof(uint32_t) * MAX_COMPARE_CHARS * 2);
  size_t *row = malloc(sizeof(size_t) * (MAX_COMPARE_CHARS + 1));
  size_t la, lb, longer;
  double sim = 1.0;
  if (!x || !row)
    goto done; /* out of memory: cannot tell, so alike */
  la = code_points(x, a);
  lb = code_points(x + MAX_COMPARE_CHARS, b);
  longer = la > lb ? la : lb;
  if (longer == 0)
    goto done;
  /* Levenshtein distance, one row at a time. */
  for (size_t j = 0; j <= lb; j++)
    row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t up = row[j];
      size_t best = diag + (x[i - 1] != x[MAX_COMPARE_CHARS + j - 1]);
      if (up + 1 < best)
        best = up + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      diag = up;
      row[j] = best;
    }
  }
  sim = 1.0 - (double)row[lb] / (double)longer;
done:
  free(x);
  free(row);
  return sim;
}

/* Normalise a C string; NULL when out of memory (the caller then treats
 * the values as alike). The caller frees the result. */
static char *norm(const char *s, size_t n)
{
  citeconv_buf b = CITECONV_BUF_INIT;
  if (citeconv_resolve_normalise(&b, s, n) < 0) {
    citeconv_buf_free(&b);
    return NULL;
  }
  return b.data;
}

/* The main title: the part before the first ':' (or " - "), NULL when
 * there is none. */
static char *main_title(const char *s)
{
  const char *c = strchr(s, ':');
  const char *d = strstr(s, " - ");
  if (d && (!c || d < c))
    c = d;
  return c && c > s ? norm(s, (size_t)(c - s)) : NULL;
}

bool citeconv_resolve_title_matches(const char *rec, const char *title,
                                    const char *subtitle)
{
  char *r[2] = {NULL, NULL}, *g[3] = {NULL, NULL, NULL};
  bool match = true;
  if (!rec || !title)
    return true;
  r[0] = norm(rec, strlen(rec));
  r[1] = main_title(rec);
  g[0] = norm(title, strlen(title));
  g[1] = main_title(title);
  if (subtitle && *subtitle) {
    size_t lt = strlen(title), ls = strlen(subtitle);
    char *both = malloc(lt + ls + 3);
    if (both) {
      sprintf(both, "%s: %s", title, subtitle);
      g[2] = norm(both, lt + ls + 2);
      free(both);
    }
  }
  if (!r[0] || !g[0] || !*r[0] || !*g[0])
    goto done;
  match = false;
  for (size_t i = 0; i < 2 && !match; i++)
    for (size_t j = 0; j < 3 && !match; j++)
      if (r[i] && g[j] && *r[i] && *g[j])
        match = citeconv_resolve_similarity(r[i], g[j]) >= 0.8;
done:
  for (size_t i = 0; i < 2; i++)
    free(r[i]);
  for (size_t j = 0; j < 3; j++)
    free(g[j]);
  return match;
}

/* Whether the space-separated word list `list` has the word w[0..n). */
static bool has_word(const char *list, const char *w, size_t n)
{
  for (const char *p = list; *p;) {
    const char *e = strchr(p, ' ');
    size_t l = e ? (size_t)(e - p) : strlen(p);
    if (l == n && memcmp(p, w, n) == 0)
      return true;
    p += l;
    while (*p == ' ')
      p++;
  }
  return false;
}

/* Copy of s without spaces. */
static void squash(char *s)
{
  char *d = s;
  for (; *s; s++)
    if (*s != ' ')
      *d++ = *s;
  *d = '\0';
}

bool citeconv_resolve_family_matches(const char *rec, const char *reg)
{
  char *a, *b;
  bool match = true;
  if (!rec || !reg)
    return true;
  a = norm(rec, strlen(rec));
  b = norm(reg, strlen(reg));
  if (!a || !b || !*a || !*b)
    goto done;
  /* Compound names ("García Márquez", "Smith-Jones") and particles ("van
   * der Berg") are written in many ways: a word of three letters or more
   * in common is enough. */
  match = false;
  for (const char *p = a; *p && !match;) {
    const char *e = strchr(p, ' ');
    size_t l = e ? (size_t)(e - p) : strlen(p);
    if (l >= 3 || (!e && p == a))
      match = has_word(b, p, l);
    p += l;
    while (*p == ' ')
      p++;
  }
  if (!match) {
    squash(a);
    squash(b);
    match = strcmp(a, b) == 0;
  }
done:
  free(a);
  free(b);
  return match;
}

/* Words left out when an abbreviation is matched with a full title. */
static bool is_stop_word(const char *w, size_t n)
{
  static const char *const stop[] = {"of",  "the", "and", "for", "in", "on",
                                     "de",  "der", "des", "la",  "le", "et",
                                     "und", "a",   "an",  "to",  "du", "di",
                                     NULL};
  for (size_t i = 0; stop[i]; i++)
    if (strlen(stop[i]) == n && memcmp(stop[i], w, n) == 0)
      return true;
  return false;
}

typedef struct {
  const char *p;
  size_t n;
} word;

/* Split a normalised text into at most `cap` words that are not stop
 * words; returns how many. */
static size_t words(word *w, size_t cap, const char *s)
{
  size_t k = 0;
  while (*s && k < cap) {
    const char *e = strchr(s, ' ');
    size_t l = e ? (size_t)(e - s) : strlen(s);
    if (l && !is_stop_word(s, l)) {
      w[k].p = s;
      w[k++].n = l;
    }
    s += l;
    while (*s == ' ')
      s++;
  }
  return k;
}

/* Whether abbreviated word a is an abbreviation of word f: same first
 * letter, and a's letters appear in f in order ("natl" of "national"). */
static bool abbreviates(word a, word f)
{
  size_t j = 0;
  if (a.n > f.n || a.p[0] != f.p[0])
    return false;
  for (size_t i = 0; i < a.n; i++) {
    while (j < f.n && f.p[j] != a.p[i])
      j++;
    if (j == f.n)
      return false;
    j++;
  }
  return true;
}

/* Whether normalised `abbr` abbreviates normalised `full` word by word;
 * a word of initials stands for as many words ("usa"). */
static bool abbreviation_of(const char *abbr, const char *full)
{
  word a[32], f[32];
  size_t na = words(a, 32, abbr), nf = words(f, 32, full), i = 0, j = 0;
  if (na == 0 || nf == 0)
    return false;
  while (i < na) {
    if (j >= nf)
      return false;
    if (abbreviates(a[i], f[j])) {
      i++;
      j++;
      continue;
    }
    if (a[i].n > 1 && a[i].n <= nf - j) {
      size_t m = 0;
      while (m < a[i].n && a[i].p[m] == f[j + m].p[0])
        m++;
      if (m == a[i].n) {
        i++;
        j += m;
        continue;
      }
    }
    return false;
  }
  /* Trailing words of the full title may be left out ("Proc Natl Acad
   * Sci" of "... of the United States of America"), but one word alone
   * must cover it all. */
  return j == nf || na >= 2;
}

bool citeconv_resolve_container_matches(const char *rec, const char *reg)
{
  char *a;
  bool match = true;
  if (!rec || !reg || !*reg)
    return true;
  a = norm(rec, strlen(rec));
  if (!a || !*a)
    goto done;
  match = false;
  for (const char *p = reg; *p && !match;) {
    const char *e = strchr(p, '\n');
    size_t l = e ? (size_t)(e - p) : strlen(p);
    char *b = norm(p, l);
    if (!b)
      match = true;
    else if (*b)
      match = citeconv_resolve_similarity(a, b) >= 0.8 ||
              abbreviation_of(a, b) || abbreviation_of(b, a);
    free(b);
    p += l;
    if (*p == '\n')
      p++;
  }
done:
  free(a);
  return match;
}

/* ---- the resolver ------------------------------------------------------- */

#ifdef CITECONV_HAVE_CURL
/* libcurl is loaded (dlopen) when the online check runs, not linked:
 * linked, it would make every run of citeconv load and start TLS,
 * Kerberos and LDAP libraries (three times the start-up time, 6 MB more
 * memory) for a pass that is off by default. */
typedef struct {
  void *lib;
  CURLcode (*global_init)(long);
  void (*global_cleanup)(void);
  curl_version_info_data *(*version_info)(CURLversion);
  CURL *(*easy_init)(void);
  CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
  CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
  void (*easy_cleanup)(CURL *);
  const char *(*easy_strerror)(CURLcode);
  CURLM *(*multi_init)(void);
  CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
  CURLMcode (*multi_add_handle)(CURLM *, CURL *);
  CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
  CURLMcode (*multi_perform)(CURLM *, int *);
  CURLMsg *(*multi_info_read)(CURLM *, int *);
  CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd *, unsigned int, int,
                          int *);
  CURLMcode (*multi_cleanup)(CURLM *);
  struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
  void (*slist_free_all)(struct curl_slist *);
} curl_api;

/* Open libcurl and find its functions. Returns false (and leaves nothing
 * open) when it cannot be loaded or lacks one. */
static bool curl_load(curl_api *api)
{
  static const struct {
    const char *name;
    size_t off;
  } fns[] = {
      {"curl_global_init", offsetof(curl_api, global_init)},
      {"curl_global_cleanup", offsetof(curl_api, global_cleanup)},
      {"curl_version_info", offsetof(curl_api, version_info)},
      {"curl_easy_init", offsetof(curl_api, easy_init)},
      {"curl_easy_setopt", offsetof(curl_api, easy_setopt)},
      {"curl_easy_getinfo", offsetof(curl_api, easy_getinfo)},
      {"curl_easy_cleanup", offsetof(curl_api, easy_cleanup)},
      {"curl_easy_strerror", offsetof(curl_api, easy_strerror)},
      {"curl_multi_init", offsetof(curl_api, multi_init)},
      {"curl_multi_setopt", offsetof(curl_api, multi_setopt)},
      {"curl_multi_add_handle", offsetof(curl_api, multi_add_handle)},
      {"curl_multi_remove_handle", offsetof(curl_api, multi_remove_handle)},
      {"curl_multi_perform", offsetof(curl_api, multi_perform)},
      {"curl_multi_info_read", offsetof(curl_api, multi_info_read)},
      {"curl_multi_poll", offsetof(curl_api, multi_poll)},
      {"curl_multi_cleanup", offsetof(curl_api, multi_cleanup)},
      {"curl_slist_append", offsetof(curl_api, slist_append)},
      {"curl_slist_free_all", offsetof(curl_api, slist_free_all)},
  };
  memset(api, 0, sizeof(*api));
  if (!(api->lib = dlopen(CITECONV_CURL_SONAME, RTLD_NOW | RTLD_LOCAL)))
    return false;
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    void *f = dlsym(api->lib, fns[i].name);
    if (!f) {
      dlclose(api->lib);
      memset(api, 0, sizeof(*api));
      return false;
    }
    /* POSIX: a data pointer from dlsym converts to a function pointer;
     * memcpy says so without a cast ISO C does not allow. */
    memcpy((char *)api + fns[i].off, &f, sizeof f);
  }
  return true;
}
#endif

/* What is known of a DOI. */
typedef enum {
  DOI_PENDING,        /* not looked up yet */
  DOI_REGISTERED,     /* registered; `meta` valid when have_meta */
  DOI_NOT_REGISTERED, /* the resolver does not know it */
  DOI_UNAVAILABLE     /* could not be checked: `why` */
} doi_state;

typedef struct {
  char *doi; /* as cleaned, for messages and requests */
  doi_state state;
  bool have_meta;
  bool from_cache;
  char *ra;  /* registration agency, when known */
  char *why; /* why it could not be checked (or compared) */
  citeconv_doi_meta meta;
} doi_entry;

/* A record waiting for its DOI's answer: where it is and what the
 * comparison needs (copies, cut to MAX_COMPARE_BYTES). */
typedef struct {
  size_t doi;
  size_t file;
  size_t record;
  citeconv_pos pos;
  char *title, *family, *container;
  int year;
} citation;

/* Distinct DOIs looked up per batch, and records kept waiting at most. */
enum { BATCH_DOIS = 64, BATCH_CITATIONS = 4096 };

struct citeconv_resolver {
  citeconv_session *s;
  char *resolver_url, *crossref_url, *datacite_url, *mailto;
  char *cache_dir; /* NULL: no cache */
  long long ttl;   /* seconds */
  unsigned budget; /* seconds */
  unsigned jobs;
  double deadline; /* monotonic; 0 until the first request */
  bool budget_spent;
  doi_entry *dois;
  size_t ndois, capdois;
  uint32_t *index; /* open addressing: doi index + 1, 0 empty */
  size_t capindex;
  size_t pending; /* distinct DOIs waiting */
  citation *cites;
  size_t ncites, capcites;
  char **files;
  size_t nfiles, capfiles;
  size_t recno;
  size_t unavailable;
#ifdef CITECONV_HAVE_CURL
  curl_api api;
  bool inited; /* curl_global_init done */
  /* Kept for the whole pass, so that connections are reused. */
  CURLM *multi;
  struct curl_slist *headers;
#endif
};

const char *citeconv_resolver_backend(void)
{
#ifdef CITECONV_HAVE_CURL
  /* The library stays loaded (dlopen counts references), so the string
   * stays valid. */
  curl_api api;
  if (!curl_load(&api))
    return NULL;
  return api.version_info(CURLVERSION_NOW)->version;
#else
  return NULL;
#endif
}

static uint64_t doi_hash(const char *s)
{
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c >= 'A' && c <= 'Z')
      c = (unsigned char)(c - 'A' + 'a');
    h = (h ^ c) * 1099511628211ULL;
  }
  return h;
}

/* DOIs compare case-insensitively in ASCII (DOI Handbook 2.4). */
static bool doi_equal(const char *a, const char *b)
{
  for (;; a++, b++) {
    unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
    if (x >= 'A' && x <= 'Z')
      x = (unsigned char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z')
      y = (unsigned char)(y - 'A' + 'a');
    if (x != y)
      return false;
    if (!x)
      return true;
  }
}

#ifdef CITECONV_HAVE_CURL
static double now_mono(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
#endif

#ifdef CITECONV_HAVE_CURL
/* Copy an option's value, without a trailing '/' for URLs. */
static char *option_copy(citeconv_session *s, const char *name, bool url)
{
  const char *v = citeconv_session_option(s, name);
  size_t n = v ? strlen(v) : 0;
  if (url)
    while (n > 0 && v[n - 1] == '/')
      n--;
  return dup_n(v ? v : "", n);
}

/* The cache directory: the option, else $XDG_CACHE_HOME/citeconv, else
 * $HOME/.cache/citeconv; NULL when there is none. */
static char *cache_dir(citeconv_session *s)
{
  const char *v = citeconv_session_option(s, "resolve-cache-dir");
  const char *base;
  char *d;
  if (v && *v)
    return dup_s(v);
  base = getenv("XDG_CACHE_HOME");
  if (base && base[0] == '/') {
    if ((d = malloc(strlen(base) + 10)))
      sprintf(d, "%s/citeconv", base);
    return d;
  }
  base = getenv("HOME");
  if (!base || base[0] != '/')
    return NULL;
  if ((d = malloc(strlen(base) + 17)))
    sprintf(d, "%s/.cache/citeconv", base);
  return d;
}
#endif

#ifndef CITECONV_HAVE_CURL
int citeconv_resolver_new(citeconv_resolver **out, citeconv_session *s)
{
  *out = NULL;
  return citeconv_session_fail(s, CITECONV_EUSAGE,
                               "this citeconv was built without libcurl, "
                               "so it cannot check DOIs online");
}
#else
int citeconv_resolver_new(citeconv_resolver **out, citeconv_session *s)
{
  citeconv_resolver *r;
  const char *cache = citeconv_session_option(s, "resolve-cache");
  *out = NULL;
  if (strcmp(cache, "yes") != 0 && strcmp(cache, "no") != 0)
    return citeconv_session_fail(s, CITECONV_EUSAGE,
                                 "option 'resolve-cache' takes yes or no, "
                                 "not '%s'",
                                 cache);
  r = calloc(1, sizeof(*r));
  if (!r)
    return CITECONV_ENOMEM;
  r->s = s;
  r->resolver_url = option_copy(s, "resolver-url", true);
  r->crossref_url = option_copy(s, "crossref-url", true);
  r->datacite_url = option_copy(s, "datacite-url", true);
  r->mailto = option_copy(s, "mailto", false);
  r->ttl = (long long)citeconv_session_option_size(s, "resolve-cache-ttl");
  r->budget = (unsigned)citeconv_session_option_size(s, "resolve-budget");
  r->jobs = (unsigned)citeconv_session_option_size(s, "resolve-jobs");
  if (r->jobs < 1)
    r->jobs = 1;
  if (r->jobs > 16)
    r->jobs = 16; /* registries ask for few connections at a time */
  if (strcmp(cache, "yes") == 0)
    r->cache_dir = cache_dir(s);
  if (!r->resolver_url || !r->crossref_url || !r->datacite_url ||
      !r->mailto) {
    citeconv_resolver_free(r);
    return CITECONV_ENOMEM;
  }
  if (!curl_load(&r->api)) {
    citeconv_resolver_free(r);
    return citeconv_session_fail(s, CITECONV_EUSAGE,
                                 "libcurl (%s) could not be loaded",
                                 CITECONV_CURL_SONAME);
  }
  if (r->api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    citeconv_resolver_free(r);
    return citeconv_session_fail(s, CITECONV_EUSAGE,
                                 "libcurl could not be initialised");
  }
  r->inited = true;
  *out = r;
  return 0;
}
#endif

void citeconv_resolver_free(citeconv_resolver *r)
{
  if (!r)
    return;
  for (size_t i = 0; i < r->ndois; i++) {
    free(r->dois[i].doi);
    free(r->dois[i].ra);
    free(r->dois[i].why);
    citeconv_doi_meta_clear(&r->dois[i].meta);
  }
  for (size_t i = 0; i < r->ncites; i++) {
    free(r->cites[i].title);
    free(r->cites[i].family);
    free(r->cites[i].container);
  }
  for (size_t i = 0; i < r->nfiles; i++)
    free(r->files[i]);
  free(r->files);
  free(r->cites);
  free(r->dois);
  free(r->index);
  free(r->resolver_url);
  free(r->crossref_url);
  free(r->datacite_url);
  free(r->mailto);
  free(r->cache_dir);
#ifdef CITECONV_HAVE_CURL
  if (r->api.lib) {
    r->api.slist_free_all(r->headers);
    if (r->multi)
      r->api.multi_cleanup(r->multi);
    if (r->inited)
      r->api.global_cleanup();
    dlclose(r->api.lib);
  }
#endif
  free(r);
}

size_t citeconv_resolver_unavailable(const citeconv_resolver *r)
{
  return r->unavailable;
}

/* ---- the DOI table ---- */

static int index_grow(citeconv_resolver *r)
{
  size_t cap = r->capindex ? r->capindex * 2 : 256;
  uint32_t *v = calloc(cap, sizeof(*v));
  if (!v)
    return CITECONV_ENOMEM;
  for (size_t i = 0; i < r->ndois; i++) {
    size_t h = (size_t)doi_hash(r->dois[i].doi) & (cap - 1);
    while (v[h])
      h = (h + 1) & (cap - 1);
    v[h] = (uint32_t)(i + 1);
  }
  free(r->index);
  r->index = v;
  r->capindex = cap;
  return 0;
}

/* The entry of `doi`, added when new if `add` (*is_new says so); else
 * *at is SIZE_MAX when there is none. */
static int doi_find(citeconv_resolver *r, const char *doi, size_t n,
                    bool add, size_t *at, bool *is_new)
{
  char *copy = dup_n(doi, n);
  size_t h;
  *is_new = false;
  *at = SIZE_MAX;
  if (!copy)
    return CITECONV_ENOMEM;
  if ((r->ndois + 1) * 2 > r->capindex && index_grow(r) < 0)
    goto nomem;
  h = (size_t)doi_hash(copy) & (r->capindex - 1);
  for (; r->index[h]; h = (h + 1) & (r->capindex - 1))
    if (doi_equal(r->dois[r->index[h] - 1].doi, copy)) {
      *at = r->index[h] - 1;
      free(copy);
      return 0;
    }
  if (!add) {
    free(copy);
    return 0;
  }
  if (r->ndois == r->capdois) {
    size_t cap = r->capdois ? r->capdois * 2 : 64;
    doi_entry *v = realloc(r->dois, cap * sizeof(*v));
    if (!v || r->ndois >= UINT32_MAX - 1)
      goto nomem;
    r->dois = v;
    r->capdois = cap;
  }
  memset(&r->dois[r->ndois], 0, sizeof(doi_entry));
  r->dois[r->ndois].doi = copy;
  r->index[h] = (uint32_t)(r->ndois + 1);
  *at = r->ndois++;
  *is_new = true;
  return 0;
nomem:
  free(copy);
  return CITECONV_ENOMEM;
}

static void set_why(doi_entry *e, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void set_why(doi_entry *e, const char *fmt, ...)
{
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  free(e->why);
  e->why = dup_s(msg);
}

/* ---- the cache ---------------------------------------------------------- */

/* <dir>/doi-<16 hex digits of the DOI's hash>.json */
static char *cache_path(const citeconv_resolver *r, const char *doi)
{
  char *p = malloc(strlen(r->cache_dir) + 32);
  if (p)
    sprintf(p, "%s/doi-%016llx.json", r->cache_dir,
            (unsigned long long)doi_hash(doi));
  return p;
}

/* Strings of the cache file's object. */
static char *json_dup(const json_t *o, const char *key)
{
  return dup_s(json_string_value(json_object_get(o, key)));
}

/* Take a fresh answer for e from the cache. */
static void cache_load(citeconv_resolver *r, doi_entry *e)
{
  char *path;
  json_t *root = NULL;
  const char *doi, *status;
  long long t, now = (long long)time(NULL), ttl = r->ttl;
  struct stat st;
  if (!r->cache_dir || !(path = cache_path(r, e->doi)))
    return;
  /* One small file per DOI; anything odd is a miss. */
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > 65536)
    goto done;
  root = json_load_file(path, 0, NULL);
  doi = json_string_value(json_object_get(root, "doi"));
  status = json_string_value(json_object_get(root, "status"));
  t = json_integer_value(json_object_get(root, "time"));
  if (!doi || !status || !doi_equal(doi, e->doi) || t > now + 60)
    goto done;
  if (strcmp(status, "not-registered") == 0) {
    /* A DOI may be registered any day: a day at most. */
    if (ttl > 86400)
      ttl = 86400;
    if (now - t >= ttl)
      goto done;
    e->state = DOI_NOT_REGISTERED;
  } else if (strcmp(status, "registered") == 0) {
    if (now - t >= ttl)
      goto done;
    e->state = DOI_REGISTERED;
    e->ra = json_dup(root, "ra");
    e->have_meta = json_is_true(json_object_get(root, "metadata"));
    e->meta.title = json_dup(root, "title");
    e->meta.subtitle = json_dup(root, "subtitle");
    e->meta.family = json_dup(root, "family");
    e->meta.container = json_dup(root, "container");
    e->meta.year = (int)json_integer_value(json_object_get(root, "year"));
    e->meta.year_last =
        (int)json_integer_value(json_object_get(root, "year-last"));
  } else {
    goto done;
  }
  e->from_cache = true;
done:
  json_decref(root);
  free(path);
}

#ifdef CITECONV_HAVE_CURL
/* mkdir -p, private to the user. */
static bool make_dirs(const char *dir)
{
  char *p = dup_s(dir);
  bool ok = p != NULL;
  for (char *c = p ? p + 1 : NULL; ok && c && *c; c++) {
    if (*c != '/')
      continue;
    *c = '\0';
    if (mkdir(p, 0700) != 0 && errno != EEXIST)
      ok = false;
    *c = '/';
  }
  if (ok && mkdir(p, 0700) != 0 && errno != EEXIST)
    ok = false;
  free(p);
  return ok;
}

/* Write e's answer to the cache; a failure only means no cache. */
static void cache_store(citeconv_resolver *r, const doi_entry *e)
{
  json_t *o;
  char *path = NULL, *tmp = NULL;
  if (!r->cache_dir || e->from_cache ||
      (e->state != DOI_REGISTERED && e->state != DOI_NOT_REGISTERED) ||
      (e->state == DOI_REGISTERED && e->why))
    return;
  o = json_object();
  if (!o)
    return;
  json_object_set_new(o, "doi", json_string(e->doi));
  json_object_set_new(o, "time", json_integer((json_int_t)time(NULL)));
  json_object_set_new(o, "status", json_string(e->state == DOI_REGISTERED
                                                   ? "registered"
                                                   : "not-registered"));
  if (e->state == DOI_REGISTERED) {
    json_object_set_new(o, "metadata", json_boolean(e->have_meta));
    if (e->ra)
      json_object_set_new(o, "ra", json_string(e->ra));
    if (e->meta.title)
      json_object_set_new(o, "title", json_string(e->meta.title));
    if (e->meta.subtitle)
      json_object_set_new(o, "subtitle", json_string(e->meta.subtitle));
    if (e->meta.family)
      json_object_set_new(o, "family", json_string(e->meta.family));
    if (e->meta.container)
      json_object_set_new(o, "container", json_string(e->meta.container));
    if (e->meta.year)
      json_object_set_new(o, "year", json_integer(e->meta.year));
    if (e->meta.year_last)
      json_object_set_new(o, "year-last", json_integer(e->meta.year_last));
  }
  if (!make_dirs(r->cache_dir) || !(path = cache_path(r, e->doi)) ||
      !(tmp = malloc(strlen(path) + 48)))
    goto done;
  /* Written aside, then renamed: a reader never sees half a file, and
   * two writers (processes, or threads of one) never share the aside. */
  snprintf(tmp, strlen(path) + 48, "%s.%ld.%lx.tmp", path, (long)getpid(),
           (unsigned long)(uintptr_t)r);
  if (json_dump_file(o, tmp, JSON_COMPACT) == 0) {
    if (rename(tmp, path) != 0)
      remove(tmp);
  } else {
    remove(tmp);
  }
done:
  free(path);
  free(tmp);
  json_decref(o);
}
#endif

/* ---- the network -------------------------------------------------------- */

#ifdef CITECONV_HAVE_CURL

/* Steps of one DOI's look-up. */
typedef enum { STEP_HANDLE, STEP_RA, STEP_CROSSREF, STEP_DATACITE } step;

/* Largest answer read (a Crossref work with its references is large). */
enum { MAX_BODY = 8 * 1024 * 1024, MAX_ATTEMPTS = 4 };

typedef struct {
  citeconv_resolver *r;
  doi_entry *e;
  step step;
  int attempts;
  double not_before; /* monotonic time of the next try */
  bool done;
  CURL *easy;
  citeconv_buf body;
} lookup;

static const char *step_host(step st)
{
  switch (st) {
  case STEP_CROSSREF:
    return "Crossref";
  case STEP_DATACITE:
    return "DataCite";
  default:
    return "the DOI resolver";
  }
}

static size_t on_body(char *data, size_t size, size_t n, void *payload)
{
  lookup *l = payload;
  if (citeconv_buf_add(&l->body, data, size * n) < 0)
    return 0; /* too large: the transfer fails with a write error */
  return size * n;
}

/* Append s percent-encoded: RFC 3986's unreserved characters and those
 * of `keep` stay, all else is encoded. In a DOI in a path only '/' is
 * kept, sub-delimiters are not (a server may cut a path at ';', as Java
 * servlet containers do). */
static int add_encoded(citeconv_buf *b, const char *s, const char *keep)
{
  int rc = 0;
  for (; *s && rc >= 0; s++) {
    unsigned char c = (unsigned char)*s;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || (c && strchr("-._~", c)) ||
        (c && strchr(keep, c)))
      rc = citeconv_buf_addc(b, (char)c);
    else
      rc = citeconv_buf_printf(b, "%%%02X", c);
  }
  return rc;
}

/* Start the current step of l on `multi`. Returns 0 or CITECONV_ENOMEM. */
static int lookup_start(lookup *l, CURLM *multi, struct curl_slist *headers,
                        double now)
{
  citeconv_resolver *r = l->r;
  const curl_api *api = &r->api;
  citeconv_buf url = CITECONV_BUF_INIT, ua = CITECONV_BUF_INIT;
  long left = (long)((r->deadline - now) * 1000.0);
  int rc = 0;
  if (left < 1)
    left = 1;
  citeconv_buf_clear(&l->body);
  l->body.max = MAX_BODY;
  switch (l->step) {
  case STEP_HANDLE:
    rc = citeconv_buf_printf(&url, "%s/api/handles/", r->resolver_url);
    break;
  case STEP_RA:
    rc = citeconv_buf_printf(&url, "%s/doiRA/", r->resolver_url);
    break;
  case STEP_CROSSREF:
    rc = citeconv_buf_printf(&url, "%s/works/", r->crossref_url);
    break;
  case STEP_DATACITE:
    rc = citeconv_buf_printf(&url, "%s/dois/", r->datacite_url);
    break;
  }
  if (rc >= 0)
    rc = add_encoded(&url, l->e->doi, "/");
  /* Crossref's polite pool: a contact address as mailto=, and in the
   * User-Agent; nobody else is sent it. */
  if (rc >= 0)
    rc = citeconv_buf_printf(&ua, "citeconv/%s", CITECONV_VERSION);
  if (rc >= 0 && l->step == STEP_CROSSREF && *r->mailto) {
    rc = citeconv_buf_adds(&url, "?mailto=");
    if (rc >= 0)
      rc = add_encoded(&url, r->mailto, "@");
    if (rc >= 0)
      rc = citeconv_buf_printf(&ua, " (mailto:%s)", r->mailto);
  }
  if (rc < 0 || !(l->easy = api->easy_init())) {
    rc = CITECONV_ENOMEM;
    goto done;
  }
  api->easy_setopt(l->easy, CURLOPT_USERAGENT, ua.data);
  api->easy_setopt(l->easy, CURLOPT_HTTPHEADER, headers);
  api->easy_setopt(l->easy, CURLOPT_WRITEFUNCTION, on_body);
  api->easy_setopt(l->easy, CURLOPT_WRITEDATA, l);
  api->easy_setopt(l->easy, CURLOPT_PRIVATE, l);
  api->easy_setopt(l->easy, CURLOPT_NOSIGNAL, 1L);
  api->easy_setopt(l->easy, CURLOPT_TIMEOUT_MS, left);
  api->easy_setopt(l->easy, CURLOPT_CONNECTTIMEOUT_MS,
                   left < 10000 ? left : 10000L);
  api->easy_setopt(l->easy, CURLOPT_FOLLOWLOCATION, 1L);
  api->easy_setopt(l->easy, CURLOPT_MAXREDIRS, 3L);
  api->easy_setopt(l->easy, CURLOPT_ACCEPT_ENCODING, "");
#if LIBCURL_VERSION_NUM >= 0x075500
  api->easy_setopt(l->easy, CURLOPT_PROTOCOLS_STR, "http,https");
  api->easy_setopt(l->easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
  api->easy_setopt(l->easy, CURLOPT_PROTOCOLS,
                   (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
  api->easy_setopt(l->easy, CURLOPT_REDIR_PROTOCOLS,
                   (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  if (api->easy_setopt(l->easy, CURLOPT_URL, url.data) != CURLE_OK ||
      api->multi_add_handle(multi, l->easy) != CURLM_OK) {
    api->easy_cleanup(l->easy);
    l->easy = NULL;
    rc = CITECONV_ENOMEM;
  }
done:
  citeconv_buf_free(&url);
  citeconv_buf_free(&ua);
  return rc;
}

/* l cannot go on: the DOI could not be checked (or, registered, could not
 * be compared). */
static void lookup_fail(lookup *l)
{
  if (l->e->state != DOI_REGISTERED)
    l->e->state = DOI_UNAVAILABLE;
  l->done = true;
}

/* Try again later, after Retry-After or an exponential back-off, if the
 * budget leaves time for it. */
static void lookup_retry(lookup *l, long http, long retry_after, double now)
{
  double wait = retry_after > 0 ? (double)retry_after
                                : (double)(1 << (l->attempts - 1));
  if (wait > 60)
    wait = 60;
  if (l->attempts >= MAX_ATTEMPTS) {
    set_why(l->e, "%s answered HTTP %ld %d times", step_host(l->step), http,
            l->attempts);
    lookup_fail(l);
  } else if (now + wait >= l->r->deadline) {
    set_why(l->e,
            "%s answered HTTP %ld, and waiting %.0f s to try again would "
            "go past the time budget of %u s",
            step_host(l->step), http, wait, l->r->budget);
    lookup_fail(l);
  } else {
    l->not_before = now + wait;
  }
}

/* The current step of l has finished with `res`; read the answer and go
 * on to the next step, try again, or finish. */
static int lookup_done(lookup *l, CURLcode res, double now)
{
  const curl_api *api = &l->r->api;
  doi_entry *e = l->e;
  long http = 0, retry_after = 0;
  int rc = 0, v;
  const char *host = step_host(l->step);
  api->easy_getinfo(l->easy, CURLINFO_RESPONSE_CODE, &http);
#if LIBCURL_VERSION_NUM >= 0x074200
  {
    curl_off_t ra = 0;
    if (api->easy_getinfo(l->easy, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK &&
        ra > 0)
      retry_after = ra > 3600 ? 3600 : (long)ra;
  }
#endif
  l->attempts++;
  /* A connection dropped half-way is tried again, as a 5xx is. */
  if (res == CURLE_GOT_NOTHING || res == CURLE_RECV_ERROR ||
      res == CURLE_SEND_ERROR || res == CURLE_PARTIAL_FILE) {
    if (l->attempts < MAX_ATTEMPTS &&
        now + (1 << (l->attempts - 1)) < l->r->deadline) {
      l->not_before = now + (1 << (l->attempts - 1));
      return 0;
    }
  }
  if (res != CURLE_OK) {
    if (res == CURLE_OPERATION_TIMEDOUT && now >= l->r->deadline - 0.05) {
      /* libcurl's timer may end a little before ours: the budget is
       * spent all the same, and no later batch may start a request. */
      l->r->budget_spent = true;
      set_why(e, "the time budget of %u s ran out", l->r->budget);
    }
    else if (res == CURLE_WRITE_ERROR)
      set_why(e, "the answer of %s was too large", host);
    else
      set_why(e, "%s could not be reached (%s)", host,
              api->easy_strerror(res));
    lookup_fail(l);
    return 0;
  }
  if (http == 429 || http >= 500) {
    lookup_retry(l, http, retry_after, now);
    return 0;
  }
  switch (l->step) {
  case STEP_HANDLE:
    v = citeconv_resolve_parse_handle(l->body.data ? l->body.data : "",
                                      l->body.len, http);
    if (v == 1) {
      e->state = DOI_REGISTERED;
      l->step = STEP_RA;
      l->attempts = 0;
    } else if (v == 0) {
      e->state = DOI_NOT_REGISTERED;
      l->done = true;
    } else {
      if (http == 200)
        set_why(e, "%s answered with malformed JSON", host);
      else
        set_why(e, "%s answered HTTP %ld", host, http);
      lookup_fail(l);
    }
    break;
  case STEP_RA: {
    citeconv_buf ra = CITECONV_BUF_INIT;
    v = http == 200 ? citeconv_resolve_parse_ra(
                          &ra, l->body.data ? l->body.data : "", l->body.len)
                    : -1;
    if (v == CITECONV_ENOMEM) {
      rc = v;
    } else if (v < 0) {
      if (http == 200)
        set_why(e, "%s answered with malformed JSON", host);
      else
        set_why(e, "%s answered HTTP %ld", host, http);
      lookup_fail(l);
    } else if (v == 0) {
      l->done = true; /* registered, no agency named: nothing to compare */
    } else {
      free(e->ra);
      e->ra = ra.data;
      ra.data = NULL;
      if (doi_equal(e->ra, "Crossref")) {
        l->step = STEP_CROSSREF;
        l->attempts = 0;
      } else if (doi_equal(e->ra, "DataCite")) {
        l->step = STEP_DATACITE;
        l->attempts = 0;
      } else {
        l->done = true; /* mEDRA, JaLC, ...: registered, not compared */
      }
    }
    citeconv_buf_free(&ra);
    break;
  }
  case STEP_CROSSREF:
  case STEP_DATACITE:
    if (http == 404) {
      l->done = true; /* registered, but the agency has no metadata */
      break;
    }
    if (http != 200) {
      set_why(e, "%s answered HTTP %ld", host, http);
      lookup_fail(l);
      break;
    }
    v = l->step == STEP_CROSSREF
            ? citeconv_resolve_parse_crossref(
                  &e->meta, l->body.data ? l->body.data : "", l->body.len)
            : citeconv_resolve_parse_datacite(
                  &e->meta, l->body.data ? l->body.data : "", l->body.len);
    if (v == CITECONV_ENOMEM) {
      rc = v;
    } else if (v < 0) {
      set_why(e, "%s answered with malformed JSON", host);
      lookup_fail(l);
    } else {
      e->have_meta = true;
      l->done = true;
    }
    break;
  }
  return rc;
}

/* Look up every DOI of `todo` (n of them), `jobs` at a time, until all
 * are answered or the budget runs out. */
static int run_lookups(citeconv_resolver *r, doi_entry **todo, size_t n)
{
  const curl_api *api = &r->api;
  lookup *ls = calloc(n, sizeof(*ls));
  CURLM *multi;
  size_t left = n, flying = 0, at_crossref = 0;
  /* Crossref allows one request at a time in its public pool and three in
   * its polite pool (with a mailto), whatever resolve-jobs says. */
  size_t crossref_max = *r->mailto ? 3 : 1;
  int rc = 0;
  if (!r->multi && (r->multi = api->multi_init())) {
    api->multi_setopt(r->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                      (long)r->jobs);
    api->multi_setopt(r->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
                      (long)r->jobs);
  }
  if (!r->headers)
    r->headers = api->slist_append(NULL, "Accept: application/json");
  multi = r->multi;
  if (!ls || !multi || !r->headers) {
    rc = CITECONV_ENOMEM;
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    ls[i].r = r;
    ls[i].e = todo[i];
  }
  if (r->deadline == 0)
    r->deadline = now_mono() + r->budget;
  while (left > 0 && rc >= 0) {
    double now = now_mono(), next = r->deadline;
    int running, queued;
    long wait;
    CURLMsg *m;
    if (now >= r->deadline) {
      r->budget_spent = true;
      break;
    }
    /* Start what may start, no more than `jobs` at a time. */
    for (size_t i = 0; i < n && flying < r->jobs && rc >= 0; i++)
      if (!ls[i].done && !ls[i].easy && ls[i].not_before <= now &&
          (ls[i].step != STEP_CROSSREF || at_crossref < crossref_max)) {
        rc = lookup_start(&ls[i], multi, r->headers, now);
        if (rc >= 0) {
          flying++;
          at_crossref += ls[i].step == STEP_CROSSREF;
        }
      }
    if (rc < 0)
      break;
    api->multi_perform(multi, &running);
    while ((m = api->multi_info_read(multi, &queued))) {
      lookup *l = NULL;
      if (m->msg != CURLMSG_DONE)
        continue;
      api->easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&l);
      now = now_mono();
      at_crossref -= l->step == STEP_CROSSREF;
      if (lookup_done(l, m->data.result, now) < 0)
        rc = CITECONV_ENOMEM;
      api->multi_remove_handle(multi, l->easy);
      api->easy_cleanup(l->easy);
      l->easy = NULL;
      flying--;
      if (l->done) {
        left--;
        cache_store(r, l->e);
      }
    }
    /* Sleep until something happens, a retry is due, or the budget ends. */
    now = now_mono();
    for (size_t i = 0; i < n; i++)
      if (!ls[i].done && !ls[i].easy && ls[i].not_before < next)
        next = ls[i].not_before;
    wait = (long)((next - now) * 1000.0) + 1;
    if (wait < 0)
      wait = 0;
    if (wait > 1000)
      wait = 1000;
    if (left > 0 && rc >= 0)
      api->multi_poll(multi, NULL, 0, (int)wait, NULL);
  }
  if (now_mono() >= r->deadline - 0.05)
    r->budget_spent = true;
  /* What is left when the budget ran out could not be checked. */
  for (size_t i = 0; i < n; i++) {
    if (ls[i].easy) {
      api->multi_remove_handle(multi, ls[i].easy);
      api->easy_cleanup(ls[i].easy);
    }
    if (!ls[i].done) {
      set_why(ls[i].e, "the time budget of %u s ran out", r->budget);
      lookup_fail(&ls[i]);
    }
    citeconv_buf_free(&ls[i].body);
  }
done:
  free(ls);
  return rc;
}

#endif /* CITECONV_HAVE_CURL */

/* ---- reporting ---------------------------------------------------------- */

/* Copy s into dst for quoting: control characters become spaces, and a
 * long text is cut at a character boundary with "...". */
static const char *quote(char *dst, size_t cap, const char *s)
{
  size_t n = s ? strlen(s) : 0, k = 0;
  for (size_t i = 0; i < n && k + 4 < cap; i++) {
    unsigned char c = (unsigned char)s[i];
    dst[k++] = c < 0x20 || c == 0x7F ? ' ' : (char)c;
  }
  if (k < n) {
    while (k > 0 && ((unsigned char)dst[k] & 0xC0) == 0x80)
      k--;
    memcpy(dst + k, "...", 3);
    k += 3;
  }
  dst[k] = '\0';
  return dst;
}

/* The registry's name for messages. */
static const char *registry_name(const doi_entry *e)
{
  return e->ra ? e->ra : "the registry";
}

/* Report what is known of one citation's DOI. */
static void report(citeconv_resolver *r, const doi_entry *e,
                   const citation *c)
{
  const char *file = r->files[c->file];
  char d[200];
  quote(d, sizeof d, e->doi);
  switch (e->state) {
  case DOI_NOT_REGISTERED:
    citeconv_diag_emit(r->s, file, &c->pos, c->record,
                       CITECONV_D_DOI_NOT_REGISTERED,
                       "DOI '%s' is not registered: the DOI resolver does "
                       "not know it; check it for typos",
                       d);
    return;
  case DOI_UNAVAILABLE:
  case DOI_PENDING:
    r->unavailable++;
    citeconv_diag_emit(r->s, file, &c->pos, c->record,
                       CITECONV_D_DOI_CHECK_UNAVAILABLE,
                       "DOI '%s' could not be checked online: %s", d,
                       e->why ? e->why : "no answer");
    return;
  case DOI_REGISTERED:
    break;
  }
  if (e->why) {
    r->unavailable++;
    citeconv_diag_emit(r->s, file, &c->pos, c->record,
                       CITECONV_D_DOI_CHECK_UNAVAILABLE,
                       "DOI '%s' is registered, but its metadata could not "
                       "be compared: %s",
                       d, e->why);
    return;
  }
  if (!e->have_meta)
    return;
  {
    char msg[900], q[160];
    size_t k = 0;
    const citeconv_doi_meta *m = &e->meta;
    msg[0] = '\0';
#define ADD(...)                                                              \
  do {                                                                        \
    if (k < sizeof msg)                                                       \
      k += (size_t)snprintf(msg + k, sizeof msg - k, __VA_ARGS__);           \
  } while (0)
    if (!citeconv_resolve_title_matches(c->title, m->title, m->subtitle))
      ADD("%stitle '%s'", k ? ", " : "", quote(q, sizeof q, m->title));
    if (!citeconv_resolve_family_matches(c->family, m->family))
      ADD("%sfirst author '%s'", k ? ", " : "",
          quote(q, sizeof q, m->family));
    /* A year off by one is the print and online dates differing. */
    if (c->year && m->year && c->year < m->year - 1 &&
        c->year < m->year_last - 1)
      ADD("%syear %d", k ? ", " : "", m->year);
    else if (c->year && m->year && c->year > m->year + 1 &&
             c->year > m->year_last + 1)
      ADD("%syear %d", k ? ", " : "", m->year);
    if (!citeconv_resolve_container_matches(c->container, m->container)) {
      const char *nl = strchr(m->container, '\n');
      char first[160];
      size_t l = nl ? (size_t)(nl - m->container) : strlen(m->container);
      if (l >= sizeof first)
        l = sizeof first - 1;
      memcpy(first, m->container, l);
      first[l] = '\0';
      ADD("%scontainer '%s'", k ? ", " : "", quote(q, sizeof q, first));
    }
#undef ADD
    if (k)
      citeconv_diag_emit(r->s, file, &c->pos, c->record,
                         CITECONV_D_DOI_METADATA_MISMATCH,
                         "DOI '%s' is registered at %s for a work that "
                         "differs from this record: %s; check that the DOI "
                         "is the right one",
                         d, registry_name(e), msg);
  }
}

static void citation_free(citation *c)
{
  free(c->title);
  free(c->family);
  free(c->container);
}

/* Look up the DOIs waiting, then report every citation waiting, in the
 * order of the records. */
static int flush(citeconv_resolver *r)
{
  doi_entry **todo = NULL;
  size_t ntodo = 0;
  int rc = 0;
  if (r->ncites == 0)
    return 0;
  if (r->pending) {
    todo = malloc(r->pending * sizeof(*todo));
    if (!todo)
      return CITECONV_ENOMEM;
  }
  for (size_t i = 0; i < r->ncites; i++) {
    doi_entry *e = &r->dois[r->cites[i].doi];
    if (e->state != DOI_PENDING)
      continue;
    cache_load(r, e);
    if (e->state != DOI_PENDING)
      continue;
    /* Marked so that a DOI cited twice is asked once. */
    e->state = DOI_UNAVAILABLE;
    if (ntodo < r->pending)
      todo[ntodo++] = e;
  }
  for (size_t i = 0; i < ntodo; i++)
    todo[i]->state = DOI_PENDING;
  if (ntodo > 0 && r->budget_spent) {
    for (size_t i = 0; i < ntodo; i++) {
      set_why(todo[i], "the time budget of %u s ran out", r->budget);
      todo[i]->state = DOI_UNAVAILABLE;
    }
  } else if (ntodo > 0) {
#ifdef CITECONV_HAVE_CURL
    rc = run_lookups(r, todo, ntodo);
#endif
  }
  for (size_t i = 0; i < r->ncites; i++) {
    if (rc >= 0)
      report(r, &r->dois[r->cites[i].doi], &r->cites[i]);
    citation_free(&r->cites[i]);
  }
  r->ncites = 0;
  r->pending = 0;
  free(todo);
  return rc;
}

/* The index of the current input's name, entered when it changes. */
static int enter_file(citeconv_resolver *r, const char *file)
{
  if (!file)
    file = "";
  if (r->nfiles && strcmp(r->files[r->nfiles - 1], file) == 0)
    return 0;
  if (r->nfiles == r->capfiles) {
    size_t cap = r->capfiles ? r->capfiles * 2 : 8;
    char **v = realloc(r->files, cap * sizeof(*v));
    if (!v)
      return CITECONV_ENOMEM;
    r->files = v;
    r->capfiles = cap;
  }
  if (!(r->files[r->nfiles] = dup_s(file)))
    return CITECONV_ENOMEM;
  r->nfiles++;
  r->recno = 0;
  return 0;
}

/* A copy of s cut to MAX_COMPARE_BYTES at a character boundary; NULL for
 * NULL. *nomem is set when a copy fails. */
static char *cut_copy(const char *s, bool *nomem)
{
  size_t n;
  char *d;
  if (!s)
    return NULL;
  n = strlen(s);
  if (n > MAX_COMPARE_BYTES) {
    n = MAX_COMPARE_BYTES;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
      n--;
  }
  if (!(d = dup_n(s, n)))
    *nomem = true;
  return d;
}

int citeconv_resolver_record(citeconv_resolver *r, const citeconv_record *rec)
{
  const citeconv_field *f;
  citeconv_buf clean = CITECONV_BUF_INIT;
  const citeconv_date *date;
  citation *c, late;
  unsigned problems = 0;
  size_t at;
  bool is_new, nomem = false;
  int rc;
  if ((rc = enter_file(r, citeconv_record_file(rec))) < 0)
    return rc;
  r->recno++;
  /* Only records with a DOI need anything online (one with a PMID and no
   * DOI needs nothing); DOIs with damage are looked up as cleaned, DOIs
   * wrong by syntax not at all (the offline checks report them). */
  f = citeconv_record_field(rec, CITECONV_VAR_DOI);
  if (!f)
    return 0;
  if ((rc = citeconv_doi_clean(&clean, f->value, f->len, &problems)) < 0)
    goto done;
  rc = 0;
  if (!clean.data || !citeconv_doi_is_valid(clean.data, clean.len))
    goto done;
  /* Once the budget is spent, new DOIs are no longer remembered: memory
   * stays bounded however long the list. */
  if ((rc = doi_find(r, clean.data, clean.len, !r->budget_spent, &at,
                     &is_new)) < 0)
    goto done;
  if (at == SIZE_MAX) {
    c = &late;
  } else if (r->ncites == r->capcites) {
    size_t cap = r->capcites ? r->capcites * 2 : 64;
    citation *v = realloc(r->cites, cap * sizeof(*v));
    if (!v) {
      rc = CITECONV_ENOMEM;
      goto done;
    }
    r->cites = v;
    r->capcites = cap;
  }
  if (at != SIZE_MAX)
    c = &r->cites[r->ncites];
  memset(c, 0, sizeof(*c));
  c->doi = at;
  c->file = r->nfiles - 1;
  c->record = r->recno;
  c->pos = f->pos.line ? f->pos : citeconv_record_pos(rec);
  c->title = cut_copy(citeconv_record_text(rec, CITECONV_VAR_TITLE), &nomem);
  /* Proceedings are named in too many ways ("Proc. ICML", "Proceedings of
   * the 37th International Conference on Machine Learning") to compare. */
  if (citeconv_record_type(rec) != CITECONV_TYPE_PAPER_CONFERENCE)
    c->container =
        cut_copy(citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE),
                 &nomem);
  for (size_t i = 0; i < citeconv_record_name_count(rec); i++) {
    const citeconv_name *nm = citeconv_record_name_at(rec, i);
    char both[512];
    if (nm->role != CITECONV_VAR_AUTHOR)
      continue;
    if (nm->family && nm->non_dropping_particle) {
      snprintf(both, sizeof both, "%s %s", nm->non_dropping_particle,
               nm->family);
      c->family = cut_copy(both, &nomem);
    } else {
      c->family = cut_copy(nm->family ? nm->family : nm->literal, &nomem);
    }
    break;
  }
  date = citeconv_record_date(rec, CITECONV_VAR_ISSUED);
  c->year = date ? date->year : 0;
  if (at == SIZE_MAX) {
    /* After the budget: from the cache, or not checked. */
    doi_entry e;
    memset(&e, 0, sizeof(e));
    e.doi = clean.data;
    cache_load(r, &e);
    if (e.state == DOI_PENDING) {
      e.state = DOI_UNAVAILABLE;
      set_why(&e, "the time budget of %u s ran out", r->budget);
    }
    if (!nomem)
      report(r, &e, c);
    free(e.ra);
    free(e.why);
    citeconv_doi_meta_clear(&e.meta);
    citation_free(c);
    rc = nomem ? CITECONV_ENOMEM : 0;
    goto done;
  }
  r->ncites++;
  if (nomem) {
    rc = CITECONV_ENOMEM;
    goto done;
  }
  if (r->dois[at].state != DOI_PENDING) {
    /* Known already: report now. */
    report(r, &r->dois[at], c);
    citation_free(c);
    r->ncites--;
    goto done;
  }
  if (is_new)
    r->pending++;
  if (r->pending >= BATCH_DOIS || r->ncites >= BATCH_CITATIONS)
    rc = flush(r);
done:
  citeconv_buf_free(&clean);
  return rc;
}

int citeconv_resolver_finish(citeconv_resolver *r)
{
  return flush(r);
}
