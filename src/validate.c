/* The validator: per-record checks (DOIs, names, identifiers, pages,
 * dates, required fields, URLs) as records stream past, and whole-list
 * checks (duplicates) over a compact index of hashes and positions. */
#include "citeconv/validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include "buf.h"
#include "ident.h"
#include "session.h"
#include "text.h"

/* One remembered record: a hash of what makes it a duplicate, and where
 * the record was. h == 0 marks an empty slot. */
typedef struct {
  uint64_t h;
  uint32_t record;
  uint32_t line;
  uint16_t file; /* inputs past 65535 share the last number */
  uint16_t col;  /* columns past 65535 are cut to 65535 */
} slot;

typedef struct {
  slot *v;
  size_t cap, n;
} table;

struct citeconv_check {
  citeconv_session *s;
  char **files; /* interned input names; slot.file indexes them */
  size_t nfiles, capfiles;
  size_t cur;      /* index of the current file */
  size_t nrecords; /* all records */
  size_t recno;    /* records of the current file */
  table seen;
  bool entered; /* citeconv_check_fix has counted the current record */
  int year; /* this year, for future dates */
  int month, day;
};

/* What a check of one record needs to report. */
typedef struct {
  citeconv_check *ck;
  const citeconv_record *rec;
  const char *file;
  citeconv_pos rpos;
} ctx;

enum { KIND_KEY = 1, KIND_DOI, KIND_PMID, KIND_RECORD };

/* ---- small helpers ---------------------------------------------------- */

static void report_v(ctx *c, const citeconv_pos *pos, citeconv_diag_code code,
                     citeconv_severity sev, const char *fmt, va_list ap)
{
  const citeconv_pos *p = pos && pos->line ? pos : &c->rpos;
  citeconv_diag_emitv(c->ck->s, c->file, p, c->ck->recno, code, sev, fmt, ap);
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void report(ctx *c, const citeconv_pos *pos, citeconv_diag_code code,
                   const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  report_v(c, pos, code, citeconv_diag_code_severity((size_t)code), fmt, ap);
  va_end(ap);
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void report_note(ctx *c, const citeconv_pos *pos,
                        citeconv_diag_code code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  report_v(c, pos, code, CITECONV_SEV_NOTE, fmt, ap);
  va_end(ap);
}

/* Copy s[0..n) into dst for quoting in a message: control characters
 * become spaces, and a long text is cut at a character boundary with
 * "...". */
static const char *show(char *dst, size_t cap, const char *s, size_t n)
{
  size_t k = 0, i = 0;
  if (!s)
    s = "";
  while (i < n && k + 4 < cap) {
    unsigned char ch = (unsigned char)s[i];
    size_t len = ch < 0x80 ? 1 : ch < 0xE0 ? 2 : ch < 0xF0 ? 3 : 4;
    if (len > n - i)
      len = n - i;
    if (k + len + 4 >= cap && i + len < n)
      break;
    if (ch < 0x20 || ch == 0x7F) {
      dst[k++] = ' ';
      i++;
      continue;
    }
    memcpy(dst + k, s + i, len);
    k += len;
    i += len;
  }
  if (i < n) {
    memcpy(dst + k, "...", 3);
    k += 3;
  }
  dst[k] = '\0';
  return dst;
}

#define SHOW(buf, s) show(buf, sizeof buf, (s), strlen(s))

static bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
  return c >= 'A' && c <= 'Z';
}

static bool is_lower(char c)
{
  return c >= 'a' && c <= 'z';
}

static char lower(char c)
{
  return is_upper(c) ? (char)(c - 'A' + 'a') : c;
}

static bool eq_ci(const char *a, const char *b)
{
  for (; *a && *b; a++, b++)
    if (lower(*a) != lower(*b))
      return false;
  return *a == *b;
}

/* Whether the ASCII word w occurs in s as a whole word, ignoring case. */
static bool has_word_ci(const char *s, const char *w)
{
  size_t wl = strlen(w);
  for (const char *p = s; *p; p++) {
    size_t i;
    if (p != s && (is_upper(p[-1]) || is_lower(p[-1])))
      continue;
    for (i = 0; i < wl && p[i] && lower(p[i]) == w[i]; i++)
      ;
    if (i == wl && !is_upper(p[wl]) && !is_lower(p[wl]))
      return true;
  }
  return false;
}

/* 64-bit FNV-1a, seeded with the kind of key. */
static uint64_t hash(unsigned kind, const char *s, size_t n)
{
  uint64_t h = 1469598103934665603ULL ^ (uint64_t)kind * 0x9E3779B97F4A7C15ULL;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ULL;
  }
  return h ? h : 1;
}

/* Insert h; when it is there already, return the earlier slot (and do not
 * insert). NULL with *rc = CITECONV_ENOMEM when out of memory. */
static slot *table_put(table *t, const slot *val, int *rc)
{
  size_t i;
  *rc = 0;
  if (t->n * 4 >= t->cap * 3) {
    size_t ncap = t->cap ? t->cap * 2 : 256;
    slot *nv = calloc(ncap, sizeof(*nv));
    if (!nv) {
      *rc = CITECONV_ENOMEM;
      return NULL;
    }
    for (size_t j = 0; j < t->cap; j++) {
      if (!t->v[j].h)
        continue;
      for (i = t->v[j].h & (ncap - 1); nv[i].h; i = (i + 1) & (ncap - 1))
        ;
      nv[i] = t->v[j];
    }
    free(t->v);
    t->v = nv;
    t->cap = ncap;
  }
  for (i = val->h & (t->cap - 1); t->v[i].h; i = (i + 1) & (t->cap - 1))
    if (t->v[i].h == val->h)
      return &t->v[i];
  t->v[i] = *val;
  t->n++;
  return NULL;
}

/* The name of a code point for messages: "U+2013 EN DASH". */
static void cp_name(char *dst, size_t cap, long cp)
{
  UErrorCode err = U_ZERO_ERROR;
  char name[96];
  int32_t n = u_charName((UChar32)cp, U_UNICODE_CHAR_NAME, name, sizeof name,
                         &err);
  if (U_FAILURE(err) || n <= 0)
    snprintf(dst, cap, "U+%04lX", (unsigned long)cp);
  else
    snprintf(dst, cap, "U+%04lX %s", (unsigned long)cp, name);
}

/* First code point of s that is not ASCII, or -1. */
static long first_non_ascii(const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    if ((unsigned char)s[i] >= 0x80) {
      size_t adv;
      return citeconv_utf8_decode((const unsigned char *)s + i, n - i, &adv);
    }
  }
  return -1;
}

/* ---- DOIs ------------------------------------------------------------- */

static int remember(ctx *c, unsigned kind, const char *key, size_t n,
                    const citeconv_pos *pos, const slot **prev)
{
  slot v;
  int rc;
  v.h = hash(kind, key, n);
  {
    citeconv_pos p = pos && pos->line ? *pos : c->rpos;
    v.file = (uint16_t)(c->ck->cur < UINT16_MAX ? c->ck->cur : UINT16_MAX);
    v.record = (uint32_t)c->ck->recno;
    v.line = p.line;
    v.col = (uint16_t)(p.col < UINT16_MAX ? p.col : UINT16_MAX);
  }
  *prev = table_put(&c->ck->seen, &v, &rc);
  return rc;
}

/* Whether an earlier slot is this very record (a DOI given twice in one
 * record is not two records with one DOI). */
static bool same_record(ctx *c, const slot *prev)
{
  return prev->record == c->ck->recno &&
         prev->file == (c->ck->cur < UINT16_MAX ? c->ck->cur : UINT16_MAX);
}

static void first_seen(ctx *c, const slot *prev, citeconv_diag_code code)
{
  citeconv_pos pos = {prev->line, prev->col};
  size_t f = prev->file < c->ck->nfiles ? prev->file : c->ck->nfiles - 1;
  citeconv_diag_emit_sev(c->ck->s, c->ck->files[f], &pos, prev->record, code,
                         CITECONV_SEV_NOTE, "first seen here");
}

/* ICU case folding, with a fast path for ASCII text (most keys). */
static int fold(citeconv_buf *out, const char *s, size_t n)
{
  int rc = 0;
  if (!citeconv_text_is_ascii(s, n))
    return citeconv_text_casefold(out, s, n);
  for (size_t i = 0; i < n && rc >= 0; i++)
    rc = citeconv_buf_addc(out, lower(s[i]));
  return rc;
}

/* Case-insensitive key of a DOI: DOIs compare without regard to case. */
static int doi_key(citeconv_buf *out, const char *doi, size_t n)
{
  return fold(out, doi, n);
}

static int check_doi(ctx *c, const citeconv_field *f, bool *dup)
{
  citeconv_buf clean = CITECONV_BUF_INIT, key = CITECONV_BUF_INIT;
  char v[160], fix[160], what[128];
  unsigned p = 0;
  int rc;
  const char *cd;
  bool valid;
  if ((rc = citeconv_doi_clean(&clean, f->value, f->len, &p)) < 0)
    goto done;
  cd = clean.data ? clean.data : "";
  valid = citeconv_doi_is_valid(cd, clean.len);
  show(v, sizeof v, f->value, f->len);
  show(fix, sizeof fix, cd, clean.len);
  if (p && valid) {
    if (p & CITECONV_DOI_URL)
      report(c, &f->pos, CITECONV_D_DOI_URL_PREFIX,
             "DOI is written as a URL '%s'; use the bare DOI '%s'", v, fix);
    if (p & CITECONV_DOI_LABEL)
      report(c, &f->pos, CITECONV_D_DOI_LABEL,
             "DOI has a label in front '%s'; use the bare DOI '%s'", v, fix);
    if (p & CITECONV_DOI_SPACE)
      report(c, &f->pos, CITECONV_D_DOI_WHITESPACE,
             "DOI '%s' has white space in it; use '%s'", v, fix);
    if (p & CITECONV_DOI_TRAILING)
      report(c, &f->pos, CITECONV_D_DOI_TRAILING_PUNCT,
             "DOI '%s' ends in punctuation that is not part of it; use '%s'",
             v, fix);
    if (p & CITECONV_DOI_PERCENT)
      report(c, &f->pos, CITECONV_D_DOI_PERCENT,
             "DOI '%s' is percent-encoded; use '%s'", v, fix);
    if (p & CITECONV_DOI_LOOKALIKE) {
      cp_name(what, sizeof what, first_non_ascii(f->value, f->len));
      report(c, &f->pos, CITECONV_D_DOI_LOOKALIKE,
             "DOI '%s' has characters that only look like ASCII (%s); use "
             "'%s'",
             v, what, fix);
    }
  } else if (!valid) {
    report(c, &f->pos, CITECONV_D_DOI_SYNTAX,
           "DOI '%s' is not of the form '10.<registrant>/<suffix>'", v);
  }
  if (!valid)
    goto done;
  if ((rc = doi_key(&key, cd, clean.len)) < 0)
    goto done;
  {
    const slot *prev;
    if ((rc = remember(c, KIND_DOI, key.data, key.len, &f->pos, &prev)) < 0)
      goto done;
    if (prev && !same_record(c, prev)) {
      report(c, &f->pos, CITECONV_D_DUPLICATE_DOI,
             "DOI '%s' is also on an earlier record; merge the two or drop "
             "one",
             fix);
      first_seen(c, prev, CITECONV_D_DUPLICATE_DOI);
      *dup = true;
    }
  }
done:
  citeconv_buf_free(&clean);
  citeconv_buf_free(&key);
  return rc;
}

/* A DOI in URL or note while DOI is empty. */
static void check_doi_elsewhere(ctx *c)
{
  size_t n = citeconv_record_field_count(c->rec);
  for (size_t i = 0; i < n; i++) {
    const citeconv_field *f = citeconv_record_field_at(c->rec, i);
    size_t off, len;
    char d[160];
    if (f->var != CITECONV_VAR_URL && f->var != CITECONV_VAR_NOTE)
      continue;
    if (!citeconv_doi_find(f->value, f->len, &off, &len))
      continue;
    if (f->var == CITECONV_VAR_URL) {
      /* Publishers' URLs add a view after the DOI: ".../10.1/x/pdf". */
      static const char *const views[] = {"/pdf", "/epdf", "/full",
                                          "/abstract", "/fulltext", "/html",
                                          "/meta", "/summary", NULL};
      for (int k = 0; views[k]; k++) {
        size_t vl = strlen(views[k]);
        if (len > vl + 8 &&
            strncmp(f->value + off + len - vl, views[k], vl) == 0) {
          len -= vl;
          break;
        }
      }
    }
    show(d, sizeof d, f->value + off, len);
    report(c, &f->pos, CITECONV_D_DOI_ELSEWHERE,
           "the DOI field is empty but the %s field holds DOI '%s'; set DOI "
           "to '%s'",
           citeconv_var_name(f->var), d, d);
    return;
  }
}

/* ---- names ------------------------------------------------------------ */

/* "J", "J.", "JK", "J.K.", "J. K.", "J.-P." */
static bool is_initials(const char *s)
{
  int letters = 0;
  if (!s || !*s)
    return false;
  for (; *s; s++) {
    if (is_upper(*s)) {
      letters++;
    } else if (*s == '.' || *s == ' ' || *s == '-') {
      continue;
    } else if ((unsigned char)*s >= 0x80) {
      /* An accented capital ("É.") counts; a lower-case letter does not. */
      size_t adv;
      long cp = citeconv_utf8_decode((const unsigned char *)s, strlen(s),
                                     &adv);
      if (cp < 0 || !u_isupper((UChar32)cp))
        return false;
      letters++;
      s += adv - 1;
    } else {
      return false;
    }
  }
  return letters >= 1 && letters <= 3;
}

/* A given or family name that is a whole word: two letters or more with a
 * lower-case one. */
static bool is_full_word(const char *s)
{
  size_t n = s ? strlen(s) : 0, i = 0, adv;
  int letters = 0;
  bool has_lower = false;
  while (i < n) {
    long cp = citeconv_utf8_decode((const unsigned char *)s + i, n - i, &adv);
    if (cp == ' ' || cp == '.')
      break;
    if (cp >= 0 && u_isalpha((UChar32)cp))
      letters++;
    if (cp >= 0 && u_islower((UChar32)cp))
      has_lower = true;
    i += adv;
  }
  return letters >= 2 && has_lower;
}

/* Every cased letter upper case, and at least two letters. */
static bool is_all_caps(const char *s)
{
  size_t n = strlen(s), i = 0, adv;
  int upper = 0;
  while (i < n) {
    long cp = citeconv_utf8_decode((const unsigned char *)s + i, n - i, &adv);
    if (cp >= 0 && u_islower((UChar32)cp))
      return false;
    if (cp >= 0 && u_isupper((UChar32)cp))
      upper++;
    i += adv;
  }
  /* Two capitals ("LI", "WU", "VJ") may be a name or initials. */
  return upper >= 3;
}

/* s in title case ("SMITH-JONES" -> "Smith-Jones") into dst. */
static void title_case(char *dst, size_t cap, const char *s)
{
  UErrorCode err = U_ZERO_ERROR;
  UChar u[128], t[128];
  int32_t ul, tl;
  u_strFromUTF8(u, 128, &ul, s, -1, &err);
  if (U_FAILURE(err) || ul >= 128)
    goto fail;
  tl = u_strToTitle(t, 128, u, ul, NULL, "", &err);
  if (U_FAILURE(err) || tl >= 128)
    goto fail;
  /* The root locale lowers Turkish 'İ' to "i" + U+0307; the dot is
   * noise in a suggestion. */
  {
    int32_t k = 0;
    for (int32_t i = 0; i < tl; i++)
      if (!(t[i] == 0x0307 && i > 0 && t[i - 1] == 'i'))
        t[k++] = t[i];
    tl = k;
  }
  u_strToUTF8(dst, (int32_t)cap, NULL, t, tl, &err);
  if (U_FAILURE(err))
    goto fail;
  return;
fail:
  snprintf(dst, cap, "%s", s);
}

static long cp1252_byte(long cp)
{
  static const unsigned short hi[32] = {
      0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
      0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};
  if (cp < 0x100)
    return cp;
  for (int i = 0; i < 32; i++)
    if (hi[i] == cp)
      return 0x80 + i;
  return -1;
}

/* Whether s holds UTF-8 that was read as Latin-1/Windows-1252 ("MÃ¼ller"):
 * a lead byte character followed by the right number of continuation
 * byte characters. When so, the repaired text goes to `fix`. */
static bool is_mojibake(const char *s, size_t n, char *fix, size_t cap)
{
  unsigned char bytes[512];
  size_t nb = 0, i = 0, adv;
  bool found = false;
  while (i < n) {
    long cp = citeconv_utf8_decode((const unsigned char *)s + i, n - i, &adv);
    long b = cp >= 0 ? cp1252_byte(cp) : -1;
    if (b >= 0xC2 && b <= 0xF4) {
      int need = b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3, k;
      size_t j = i + adv, adv2;
      unsigned char seq[4];
      seq[0] = (unsigned char)b;
      for (k = 0; k < need && j < n; k++) {
        long c2 = citeconv_utf8_decode((const unsigned char *)s + j, n - j,
                                       &adv2);
        long b2 = c2 >= 0 ? cp1252_byte(c2) : -1;
        if (b2 < 0x80 || b2 > 0xBF)
          break;
        seq[k + 1] = (unsigned char)b2;
        j += adv2;
      }
      if (k == need &&
          citeconv_utf8_decode(seq, (size_t)need + 1, &adv2) >= 0x80) {
        if (nb + (size_t)need + 1 < sizeof bytes) {
          memcpy(bytes + nb, seq, (size_t)need + 1);
          nb += (size_t)need + 1;
        }
        found = true;
        i = j;
        continue;
      }
    }
    if (nb + adv < sizeof bytes) {
      memcpy(bytes + nb, s + i, adv);
      nb += adv;
    }
    i += adv;
  }
  if (found)
    show(fix, cap, (const char *)bytes, nb);
  return found;
}

/* LaTeX left in text: a backslash command or accent, or a brace. */
static bool has_latex(const char *s)
{
  for (; *s; s++) {
    if (*s == '{' || *s == '}')
      return true;
    if (*s == '\\' && s[1] &&
        (is_lower(s[1]) || is_upper(s[1]) || strchr("'`\"^~=.", s[1])))
      return true;
  }
  return false;
}

/* Words that make a "person" an organisation. */
static const char *const org_words[] = {
    "organization", "organisation", "society",    "association",
    "institute",    "university",   "consortium", "committee",
    "council",      "foundation",   "agency",     "ministry",
    "department",   "collaboration", "centre",    "center",
    "federation",   "commission",   "corporation", "inc",
    "ltd",          "academy",      "alliance",   "network",
    "group",        "team",         "bureau",     "office",
    "board",        "laboratory",   "hospital",   NULL};

static bool looks_like_org(const citeconv_name *nm)
{
  for (int i = 0; org_words[i]; i++)
    if ((nm->family && has_word_ci(nm->family, org_words[i])) ||
        (nm->given && has_word_ci(nm->given, org_words[i])))
      return true;
  return false;
}

/* "Smith J, Jones K": two or more comma-separated "Family Initials". */
static bool literal_lists_people(const char *s)
{
  int people = 0;
  const char *p = s;
  while (*p) {
    const char *e = strchr(p, ',');
    const char *end = e ? e : p + strlen(p), *sp = end;
    while (sp > p && citeconv_is_space(sp[-1]))
      sp--;
    end = sp;
    while (sp > p && !citeconv_is_space(sp[-1]))
      sp--;
    /* last word: 1-3 capitals; before it a capitalised word */
    {
      int caps = 0;
      bool ok = sp > p && end > sp;
      for (const char *q = sp; q < end && ok; q++) {
        if (is_upper(*q))
          caps++;
        else if (*q != '.')
          ok = false;
      }
      while (p < sp && citeconv_is_space(*p))
        p++;
      if (!ok || caps < 1 || caps > 3 || !is_upper(*p))
        return false;
    }
    people++;
    if (!e)
      break;
    p = e + 1;
  }
  return people >= 2;
}

/* Words common in organisations' names but rare in people's, for telling
 * "National Aeronautics and Space Administration" from "John Smith and
 * Kate Jones". */
static const char *const org_more[] = {
    "administration", "national",  "international", "american", "european",
    "british",        "world",     "research",      "health",   "science",
    "sciences",       "technology", "services",     "service",  "museum",
    "library",        "press",     "company",       "trust",    "fund",
    "bank",           "authority", "institution",   "school",   "college",
    "program",        "programme", "project",       "survey",   "registry",
    "space",          "energy",    "public",        "federal",  "state",
    NULL};

/* Whether the text after a comma in a family name is a generational
 * suffix ("Hunt, III" when braces kept BibTeX from splitting it). */
static bool suffix_after_comma(const char *fam)
{
  static const char *const sfx[] = {"jr", "jr.", "sr", "sr.", "ii", "iii",
                                    "iv", "2nd", "3rd", NULL};
  const char *c = strchr(fam, ',');
  if (!c || strchr(c + 1, ','))
    return false;
  c++;
  while (*c == ' ')
    c++;
  for (int i = 0; sfx[i]; i++)
    if (eq_ci(c, sfx[i]))
      return true;
  return false;
}

/* Count the words of s[0..n) that look like parts of a person's name
 * ("John", "K.", "O'Brien"); -1 when one does not. */
static int person_words(const char *s, size_t n)
{
  int words = 0;
  size_t i = 0;
  while (i < n) {
    while (i < n && s[i] == ' ')
      i++;
    if (i == n)
      break;
    if (!is_upper(s[i]))
      return -1;
    while (i < n && s[i] != ' ') {
      if (!is_upper(s[i]) && !is_lower(s[i]) && s[i] != '.' &&
          s[i] != '-' && s[i] != '\'')
        return -1;
      i++;
    }
    words++;
  }
  return words;
}

/* "John Smith and Kate Jones": two people of two or three words each
 * joined by "and", and no word of an organisation. */
static bool literal_joins_people(const citeconv_name *nm)
{
  const char *l = nm->literal, *and = strstr(l, " and ");
  int a, b;
  if (!and || strstr(and + 5, " and "))
    return false;
  for (int i = 0; org_words[i]; i++)
    if (has_word_ci(l, org_words[i]))
      return false;
  for (int i = 0; org_more[i]; i++)
    if (has_word_ci(l, org_more[i]))
      return false;
  a = person_words(l, (size_t)(and - l));
  b = person_words(and + 5, strlen(and + 5));
  return a >= 2 && a <= 3 && b >= 2 && b <= 3;
}

static int name_key(citeconv_buf *key, const citeconv_name *nm)
{
  citeconv_buf raw = CITECONV_BUF_INIT;
  int rc = 0;
  if (nm->literal) {
    rc = citeconv_buf_adds(&raw, nm->literal);
  } else {
    const char *parts[4] = {nm->non_dropping_particle, nm->family, nm->given,
                            nm->suffix};
    for (int i = 0; i < 4 && rc >= 0; i++) {
      for (const char *p = parts[i]; p && *p && rc >= 0; p++)
        if (*p != '.' && !citeconv_is_space(*p))
          rc = citeconv_buf_addc(&raw, *p);
      if (rc >= 0)
        rc = citeconv_buf_addc(&raw, '\x1f');
    }
  }
  if (rc >= 0)
    rc = fold(key, raw.data ? raw.data : "", raw.len);
  citeconv_buf_free(&raw);
  return rc;
}

static const char *name_text(char *dst, size_t cap, const citeconv_name *nm)
{
  if (nm->literal)
    return show(dst, cap, nm->literal, strlen(nm->literal));
  snprintf(dst, cap, "%s%s%s%s%s%s%s", nm->non_dropping_particle
                                           ? nm->non_dropping_particle
                                           : "",
           nm->non_dropping_particle ? " " : "",
           nm->family ? nm->family : "", nm->suffix ? ", " : "",
           nm->suffix ? nm->suffix : "", nm->given ? ", " : "",
           nm->given ? nm->given : "");
  return dst;
}

static void check_text_value(ctx *c, const citeconv_pos *pos,
                             const char *what, const char *s, bool latex);

static void check_one_name(ctx *c, const citeconv_name *nm)
{
  char t[200], a[120], b[120];
  const char *role = citeconv_var_name(nm->role);
  const char *fam = nm->family, *giv = nm->given;
  name_text(t, sizeof t, nm);
  if (nm->orcid) {
    char want;
    int v = citeconv_orcid_verify(nm->orcid, strlen(nm->orcid), &want);
    if (v == CITECONV_IDENT_FORM)
      report(c, &nm->pos, CITECONV_D_ORCID_INVALID,
             "ORCID iD '%s' of %s '%s' is not of the form "
             "'0000-0000-0000-000X'",
             SHOW(a, nm->orcid), role, t);
    else if (v == CITECONV_IDENT_CHECKSUM)
      report(c, &nm->pos, CITECONV_D_ORCID_INVALID,
             "ORCID iD '%s' of %s '%s' has a wrong check digit (the other "
             "digits call for '%c')",
             SHOW(a, nm->orcid), role, t, want);
  }
  if (nm->literal) {
    const char *l = nm->literal;
    if (eq_ci(l, "others") || eq_ci(l, "et al.") || eq_ci(l, "et al"))
      report(c, &nm->pos, CITECONV_D_AUTHOR_TRUNCATED,
             "%s list ends in '%s' instead of the remaining names; give "
             "every name",
             role, SHOW(a, l));
    else if (literal_lists_people(l) || literal_joins_people(nm))
      report(c, &nm->pos, CITECONV_D_NAME_SEVERAL,
             "%s '%s' holds several people; give each as a name of its own",
             role, SHOW(a, l));
    check_text_value(c, &nm->pos, role, l, true);
    return;
  }
  if ((!fam || !*fam) && giv && *giv) {
    report(c, &nm->pos, CITECONV_D_NAME_EMPTY_FAMILY,
           "%s '%s' has a given name but no family name; put the family name "
           "in its place, or give an organisation as a literal name",
           role, SHOW(a, giv));
    return;
  }
  if (!fam)
    return;
  if (eq_ci(fam, "others") || eq_ci(fam, "et al.") || eq_ci(fam, "et al")) {
    report(c, &nm->pos, CITECONV_D_AUTHOR_TRUNCATED,
           "%s list ends in '%s' instead of the remaining names; give every "
           "name",
           role, SHOW(a, fam));
    return;
  }
  if (looks_like_org(nm)) {
    report(c, &nm->pos, CITECONV_D_NAME_ORGANISATION,
           "%s '%s' looks like an organisation split into family and given "
           "names; give it as a literal name '%s%s%s'",
           role, t, giv ? giv : "", giv ? " " : "", fam);
    return;
  }
  /* "family=Alembert, prefix=d'" is BibLaTeX's extended name format that
   * was not parsed: broken, but not several people. */
  if (!strchr(fam, '=') &&
      (has_word_ci(fam, "and") || (giv && has_word_ci(giv, "and")) ||
       strchr(fam, ';') || (strchr(fam, ',') && !suffix_after_comma(fam)) ||
       (giv && strchr(giv, ';')) ||
       (giv && strchr(giv, ',') && strchr(giv, ' ')) ||
       (nm->suffix && strchr(nm->suffix, ';')))) {
    report(c, &nm->pos, CITECONV_D_NAME_SEVERAL,
           "%s '%s' holds several people; give each as a name of its own",
           role, t);
    return;
  }
  /* Only initials with a dot: "LAM", "E" or "VJ" may be family names. */
  if (is_initials(fam) && strchr(fam, '.') && giv && is_full_word(giv) &&
      !is_initials(giv)) {
    report(c, &nm->pos, CITECONV_D_NAME_SWAPPED,
           "%s '%s' has initials '%s' as family name and '%s' as given name; "
           "swap them",
           role, t, SHOW(a, fam), SHOW(b, giv));
  } else if (is_all_caps(fam) && !strchr(fam, '.')) {
    char tc[120];
    title_case(tc, sizeof tc, fam);
    report(c, &nm->pos, CITECONV_D_NAME_ALL_CAPS,
           "family name '%s' of %s '%s' is in capitals only; write '%s'",
           SHOW(a, fam), role, t, tc);
  }
  check_text_value(c, &nm->pos, role, fam, true);
  if (giv)
    check_text_value(c, &nm->pos, role, giv, true);
}

static int check_names(ctx *c)
{
  const citeconv_record *rec = c->rec;
  size_t n = citeconv_record_name_count(rec);
  citeconv_buf key = CITECONV_BUF_INIT;
  int rc = 0;
  for (int role = 0; role < CITECONV_VAR__COUNT; role++) {
    table seen = {NULL, 0, 0};
    size_t count = 0, initials = 0, full = 0;
    const citeconv_name *first = NULL, *first_initial = NULL,
                        *first_full = NULL;
    if (citeconv_var_kind_of((citeconv_var)role) != CITECONV_KIND_NAME)
      continue;
    for (size_t i = 0; i < n && rc >= 0; i++) {
      const citeconv_name *nm = citeconv_record_name_at(rec, i);
      slot v = {0, 0, 0, 0, 0};
      slot *prev;
      if ((int)nm->role != role)
        continue;
      if (!first)
        first = nm;
      count++;
      check_one_name(c, nm);
      if (!nm->literal && nm->given && nm->family) {
        if (is_initials(nm->given)) {
          initials++;
          if (!first_initial)
            first_initial = nm;
        } else if (is_full_word(nm->given)) {
          full++;
          if (!first_full)
            first_full = nm;
        }
      }
      citeconv_buf_clear(&key);
      if ((rc = name_key(&key, nm)) < 0)
        break;
      if (key.len < 2)
        continue;
      v.h = hash(9, key.data, key.len);
      v.record = (uint32_t)count;
      v.line = nm->pos.line;
      prev = table_put(&seen, &v, &rc);
      /* Each repeated person once per list (slot.file marks reported). */
      if (prev && !prev->file) {
        prev->file = 1;
        char t[200];
        report(c, &nm->pos, CITECONV_D_NAME_DUPLICATE,
               "%s '%s' is in the %s list more than once (names %u and %zu); "
               "remove the repeats",
               citeconv_var_name(nm->role), name_text(t, sizeof t, nm),
               citeconv_var_name(nm->role), (unsigned)prev->record, count);
      }
    }
    free(seen.v);
    if (rc < 0)
      break;
    if (citeconv_record_truncated(rec, (citeconv_var)role))
      report(c, first ? &first->pos : NULL, CITECONV_D_AUTHOR_TRUNCATED,
             "%s list is cut short ('et al.' or 'and others' in the "
             "source); give every name",
             citeconv_var_name((citeconv_var)role));
    if (initials && full) {
      char t1[200], t2[200];
      report(c, &first->pos, CITECONV_D_NAME_MIXED_INITIALS,
             "%s list mixes initials ('%s') and full given names ('%s')",
             citeconv_var_name((citeconv_var)role),
             name_text(t1, sizeof t1, first_initial),
             name_text(t2, sizeof t2, first_full));
    }
  }
  citeconv_buf_free(&key);
  return rc;
}

static void check_authors_present(ctx *c)
{
  citeconv_type t = citeconv_record_type(c->rec);
  size_t au = citeconv_record_role_count(c->rec, CITECONV_VAR_AUTHOR);
  size_t ed = citeconv_record_role_count(c->rec, CITECONV_VAR_EDITOR) +
              citeconv_record_role_count(c->rec,
                                         CITECONV_VAR_COLLECTION_EDITOR);
  switch (t) {
  case CITECONV_TYPE_ARTICLE_JOURNAL:
  case CITECONV_TYPE_PAPER_CONFERENCE:
  case CITECONV_TYPE_CHAPTER:
  case CITECONV_TYPE_THESIS:
    if (!au)
      report(c, NULL, CITECONV_D_AUTHOR_MISSING,
             "%s record has no author; add the authors",
             citeconv_type_name(t));
    break;
  case CITECONV_TYPE_BOOK:
    if (!au && !ed)
      report(c, NULL, CITECONV_D_AUTHOR_MISSING,
             "book record has neither author nor editor; add them");
    break;
  default:
    break;
  }
}

/* ---- text fields ------------------------------------------------------ */

static void check_text_value(ctx *c, const citeconv_pos *pos,
                             const char *what, const char *s, bool latex)
{
  char a[160], fix[160];
  size_t n = strlen(s);
  if (is_mojibake(s, n, fix, sizeof fix))
    report(c, pos, CITECONV_D_MOJIBAKE,
           "%s '%s' looks like UTF-8 read as Latin-1; it should probably be "
           "'%s'",
           what, show(a, sizeof a, s, n), fix);
  if (latex && has_latex(s))
    report(c, pos, CITECONV_D_LATEX_LEFTOVER,
           "%s '%s' has LaTeX markup left in it; write the characters it "
           "stands for",
           what, show(a, sizeof a, s, n));
}

/* Variables whose text is prose where line breaks may belong. */
static bool is_prose(citeconv_var v)
{
  return v == CITECONV_VAR_ABSTRACT || v == CITECONV_VAR_NOTE ||
         v == CITECONV_VAR_ANNOTE || v == CITECONV_VAR_REFERENCES;
}

static bool needs_squeeze(const char *s, size_t n)
{
  if (n == 0)
    return false;
  if (citeconv_is_space(s[0]) || citeconv_is_space(s[n - 1]))
    return true;
  for (size_t i = 0; i + 1 < n; i++)
    if ((s[i] == ' ' && s[i + 1] == ' ') ||
        (s[i] != ' ' && citeconv_is_space(s[i])))
      return true;
  return false;
}

static void check_fields(ctx *c)
{
  size_t n = citeconv_record_field_count(c->rec);
  for (size_t i = 0; i < n; i++) {
    const citeconv_field *f = citeconv_record_field_at(c->rec, i);
    char a[160];
    if (f->var == CITECONV_VAR_TITLE || f->var == CITECONV_VAR_CONTAINER_TITLE)
      check_text_value(c, &f->pos, citeconv_var_name(f->var), f->value, true);
    if (!is_prose(f->var) && needs_squeeze(f->value, f->len))
      report(c, &f->pos, CITECONV_D_WHITESPACE,
             "%s '%s' has white space at its ends or doubled inside; fold "
             "it to single spaces",
             citeconv_var_name(f->var), show(a, sizeof a, f->value, f->len));
  }
}

/* ---- identifiers ------------------------------------------------------ */

/* Split an ISSN or ISBN field into identifiers: pieces between ',' and
 * ';', parenthesised qualifiers ("(print)") dropped; a piece whose digits
 * make one identifier is one, otherwise its words are. */
typedef int (*verify_fn)(const char *s, size_t n, char *want);

static void check_id_token(ctx *c, const citeconv_field *f, const char *name,
                           const char *form, verify_fn fn, const char *s,
                           size_t n)
{
  char a[80], want = 0;
  int v;
  bool digit = false;
  for (size_t i = 0; i < n; i++)
    digit |= is_digit(s[i]);
  if (!digit)
    return;
  v = fn(s, n, &want);
  if (v == CITECONV_IDENT_FORM && name[2] == 'B' &&
      citeconv_issn_verify(s, n, &want) == CITECONV_IDENT_OK)
    report(c, &f->pos, CITECONV_D_ISBN_INVALID,
           "ISBN '%s' is an ISSN; move it to the ISSN field",
           show(a, sizeof a, s, n));
  else if (v == CITECONV_IDENT_FORM)
    report(c, &f->pos, name[2] == 'S' ? CITECONV_D_ISSN_INVALID
                                      : CITECONV_D_ISBN_INVALID,
           "%s '%s' is not of the form %s", name, show(a, sizeof a, s, n),
           form);
  else if (v == CITECONV_IDENT_CHECKSUM)
    report(c, &f->pos, name[2] == 'S' ? CITECONV_D_ISSN_INVALID
                                      : CITECONV_D_ISBN_INVALID,
           "%s '%s' has a wrong check digit (the other digits call for "
           "'%c')",
           name, show(a, sizeof a, s, n), want);
}

/* Skip an "ISBN", "ISBN-13:", "ISSN:" label at p. */
static const char *skip_label(const char *p, const char *e)
{
  if (e - p >= 4 && lower(p[0]) == 'i' && lower(p[1]) == 's' &&
      (lower(p[2]) == 'b' || lower(p[2]) == 's') && lower(p[3]) == 'n') {
    p += 4;
    if (e - p >= 3 && p[0] == '-' && p[1] == '1' &&
        (p[2] == '0' || p[2] == '3'))
      p += 3;
    while (p < e && (*p == ':' || citeconv_is_space(*p)))
      p++;
  }
  return p;
}

static void check_id_list(ctx *c, const citeconv_field *f, const char *name,
                          const char *form, verify_fn fn)
{
  const char *s = f->value, *end = s + f->len;
  bool issn = name[2] == 'S';
  while (s < end) {
    const char *e = s, *p;
    char piece[128];
    size_t k = 0, nd = 0;
    while (e < end && *e != ',' && *e != ';')
      e++;
    p = s;
    while (p < e && citeconv_is_space(*p))
      p++;
    p = skip_label(p, e);
    /* the piece without "(...)" qualifiers */
    for (; p < e && k + 1 < sizeof piece; p++) {
      if (*p == '(') {
        while (p < e && *p != ')')
          p++;
        if (p == e)
          break;
        continue;
      }
      piece[k++] = *p;
      nd += is_digit(*p) || *p == 'X' || *p == 'x';
    }
    while (k > 0 && citeconv_is_space(piece[k - 1]))
      k--;
    piece[k] = '\0';
    if ((issn && nd == 8) || (!issn && (nd == 10 || nd == 13))) {
      check_id_token(c, f, name, form, fn, piece, k);
    } else {
      char *q = piece;
      while (*q) {
        char *w = q;
        while (*q && !citeconv_is_space(*q))
          q++;
        check_id_token(c, f, name, form, fn, w, (size_t)(q - w));
        while (citeconv_is_space(*q))
          q++;
      }
    }
    s = e < end ? e + 1 : e;
  }
}

static void check_arxiv_id(ctx *c, const citeconv_pos *pos, const char *s,
                           size_t n, const char *where)
{
  char a[80];
  if (!citeconv_arxiv_is_valid(s, n))
    report(c, pos, CITECONV_D_ARXIV_INVALID,
           "arXiv identifier '%s' in %s is of neither form 'YYMM.NNNNN' nor "
           "'archive/YYMMNNN'",
           show(a, sizeof a, s, n), where);
}

static bool contains_ci(const char *s, const char *w)
{
  size_t wl = strlen(w);
  for (; s && *s; s++) {
    size_t i;
    for (i = 0; i < wl && s[i] && lower(s[i]) == w[i]; i++)
      ;
    if (i == wl)
      return true;
  }
  return false;
}

/* A format's "eprint" extra (BibLaTeX) whose "eprinttype" or
 * "archiveprefix" extra says arXiv. */
static bool extra_is(const char *name, const char *suffix)
{
  const char *colon = strchr(name, ':');
  return colon && eq_ci(colon + 1, suffix);
}

static void check_arxiv_extras(ctx *c)
{
  size_t n = citeconv_record_extra_count(c->rec);
  const citeconv_extra *eprint = NULL;
  bool arxiv = false;
  for (size_t i = 0; i < n; i++) {
    const citeconv_extra *x = citeconv_record_extra_at(c->rec, i);
    if (extra_is(x->name, "eprint"))
      eprint = x;
    else if ((extra_is(x->name, "eprinttype") ||
              extra_is(x->name, "archiveprefix")) &&
             eq_ci(x->value, "arxiv"))
      arxiv = true;
  }
  if (eprint && arxiv)
    check_arxiv_id(c, &eprint->pos, eprint->value, strlen(eprint->value),
                   "the eprint field");
}

static int check_identifiers(ctx *c, bool *dup)
{
  size_t n = citeconv_record_field_count(c->rec);
  bool arxiv_rec =
      contains_ci(citeconv_record_text(c->rec, CITECONV_VAR_CONTAINER_TITLE),
                  "arxiv") ||
      contains_ci(citeconv_record_text(c->rec, CITECONV_VAR_PUBLISHER),
                  "arxiv");
  int rc = 0;
  check_arxiv_extras(c);
  for (size_t i = 0; i < n && rc >= 0; i++) {
    const citeconv_field *f = citeconv_record_field_at(c->rec, i);
    char a[80];
    const char *v = f->value;
    switch (f->var) {
    case CITECONV_VAR_ISSN:
      check_id_list(c, f, "ISSN", "'NNNN-NNNC'", citeconv_issn_verify);
      break;
    case CITECONV_VAR_ISBN:
      check_id_list(c, f, "ISBN", "ISBN-10 or ISBN-13",
                    citeconv_isbn_verify);
      break;
    case CITECONV_VAR_PMID:
      if (!citeconv_pmid_is_valid(v, f->len)) {
        const char *d = v;
        while (*d && !is_digit(*d))
          d++;
        if (*d && citeconv_pmid_is_valid(d, strlen(d)) && d != v)
          report(c, &f->pos, CITECONV_D_PMID_INVALID,
                 "PMID '%s' is not just digits; use '%s'",
                 show(a, sizeof a, v, f->len), d);
        else
          report(c, &f->pos, CITECONV_D_PMID_INVALID,
                 "PMID '%s' is not a PubMed id (1 to 9 digits)",
                 show(a, sizeof a, v, f->len));
        break;
      }
      {
        const slot *prev;
        if ((rc = remember(c, KIND_PMID, v, f->len, &f->pos, &prev)) < 0)
          break;
        if (prev && !*dup && !same_record(c, prev)) {
          report(c, &f->pos, CITECONV_D_DUPLICATE_PMID,
                 "PMID '%s' is also on an earlier record; merge the two or "
                 "drop one",
                 show(a, sizeof a, v, f->len));
          first_seen(c, prev, CITECONV_D_DUPLICATE_PMID);
          *dup = true;
        }
      }
      break;
    case CITECONV_VAR_PMCID:
      if (!citeconv_pmcid_is_valid(v, f->len)) {
        const char *d = v;
        while (*d && !is_digit(*d))
          d++;
        if (*d && citeconv_pmid_is_valid(d, strlen(d)) &&
            (d == v || (d - v == 3 &&
                        lower(v[0]) == 'p' && lower(v[1]) == 'm' &&
                        lower(v[2]) == 'c')))
          report(c, &f->pos, CITECONV_D_PMCID_INVALID,
                 "PMCID '%s' lacks the 'PMC' prefix; use 'PMC%s'",
                 show(a, sizeof a, v, f->len), d);
        else
          report(c, &f->pos, CITECONV_D_PMCID_INVALID,
                 "PMCID '%s' is not of the form 'PMC' + digits",
                 show(a, sizeof a, v, f->len));
      }
      break;
    case CITECONV_VAR_DOI:
      if (f->len > 17 && (memcmp(v, "10.48550/arXiv.", 15) == 0 ||
                          memcmp(v, "10.48550/ARXIV.", 15) == 0))
        check_arxiv_id(c, &f->pos, v + 15, f->len - 15, "the DOI");
      break;
    case CITECONV_VAR_URL: {
      const char *p = strstr(v, "arxiv.org/abs/");
      size_t k;
      if (!p)
        p = strstr(v, "arxiv.org/pdf/");
      if (!p)
        break;
      p += 14;
      for (k = 0; p[k] && p[k] != '?' && p[k] != '#' && !citeconv_is_space(p[k]); k++)
        ;
      if (k > 4 && memcmp(p + k - 4, ".pdf", 4) == 0)
        k -= 4;
      check_arxiv_id(c, &f->pos, p, k, "the URL");
      break;
    }
    case CITECONV_VAR_NUMBER:
      if (arxiv_rec || contains_ci(v, "arxiv:")) {
        size_t k = f->len;
        const char *b = memchr(v, '[', f->len);
        if (b)
          k = (size_t)(b - v);
        while (k > 0 && citeconv_is_space(v[k - 1]))
          k--;
        check_arxiv_id(c, &f->pos, v, k, "the number field");
      }
      break;
    default:
      break;
    }
  }
  return rc;
}

/* ---- pages ------------------------------------------------------------ */

/* A range separator at s: its length, and whether it is a right one. */
static size_t range_sep(const char *s, bool *good, long *cp)
{
  size_t adv;
  long c;
  if (s[0] == '-') {
    size_t k = 1;
    while (s[k] == '-')
      k++;
    *good = k == 1;
    *cp = '-';
    return k;
  }
  c = citeconv_utf8_decode((const unsigned char *)s, strlen(s), &adv);
  *cp = c;
  if (c == 0x2013) {
    *good = true;
    return adv;
  }
  if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xFE58 ||
      c == 0xFE63 || c == 0xFF0D) {
    *good = false;
    return adv;
  }
  return 0;
}

/* Split "e123" into prefix and number. */
static bool page_number(const char *s, size_t n, size_t *plen, long *num)
{
  size_t i = 0;
  long v = 0;
  while (i < n && !is_digit(s[i]))
    i++;
  if (i == n || i > 3)
    return false;
  *plen = i;
  for (; i < n; i++) {
    if (!is_digit(s[i]) || v > 100000000)
      return false;
    v = v * 10 + (s[i] - '0');
  }
  *num = v;
  return true;
}

static void check_page_range(ctx *c, const citeconv_field *f, const char *s,
                             size_t n)
{
  size_t i, sl = 0;
  bool good = true;
  long cp = 0;
  char a[120], fix[120], what[96];
  for (i = 0; i < n; i++)
    if ((sl = range_sep(s + i, &good, &cp)) > 0)
      break;
  if (i == n || i == 0 || i + sl >= n)
    return;
  if (!good) {
    size_t k = 0;
    for (size_t j = 0; j < i && k + 8 < sizeof fix; j++)
      fix[k++] = s[j];
    fix[k++] = '-';
    for (size_t j = i + sl; j < n && k + 2 < sizeof fix; j++)
      fix[k++] = s[j];
    fix[k] = '\0';
    if (cp == '-')
      snprintf(what, sizeof what, "'%.*s'", (int)sl, s + i);
    else
      cp_name(what, sizeof what, cp);
    report(c, &f->pos, CITECONV_D_PAGE_DASH,
           "page range '%s' is written with %s; write '%s'",
           show(a, sizeof a, s, n), what, fix);
  }
  {
    size_t p1, p2;
    long a1, a2;
    const char *t = s + i + sl;
    size_t tn = n - i - sl;
    if (!page_number(s, i, &p1, &a1) || !page_number(t, tn, &p2, &a2))
      return;
    /* "e123-e130": the same prefix; "123-30": the end is abbreviated. */
    if (p2 && (p1 != p2 || memcmp(s, t, p1) != 0))
      return;
    if (!p2 && p1)
      return;
    if (tn - p2 < i - p1) {
      long m = 1;
      /* "212109-3" is article 212109, page 3, not an abbreviated range;
       * abbreviations are read only for page numbers of up to 4 digits. */
      if (i - p1 > 4)
        return;
      for (size_t k = 0; k < tn - p2; k++)
        m *= 10;
      a2 = a1 - a1 % m + a2;
    }
    if (a2 < a1)
      report(c, &f->pos, CITECONV_D_PAGE_BACKWARDS,
             "page range '%s' ends before it starts; check the page numbers",
             show(a, sizeof a, s, n));
  }
}

static void check_pages(ctx *c)
{
  const citeconv_field *f = citeconv_record_field(c->rec, CITECONV_VAR_PAGE);
  const char *s, *e;
  if (!f)
    return;
  for (s = f->value; *s;) {
    while (*s == ' ' || *s == ',')
      s++;
    e = s;
    while (*e && *e != ',')
      e++;
    {
      const char *t = e;
      while (t > s && t[-1] == ' ')
        t--;
      if (t > s)
        check_page_range(c, f, s, (size_t)(t - s));
    }
    s = e;
  }
}

/* ---- dates ------------------------------------------------------------ */

static int days_in(int y, int m)
{
  static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return d[m - 1];
}

static const char *bad_ymd(int y, int m, int d)
{
  if (m && (m < 1 || m > 12))
    return m >= 21 && m <= 24 ? NULL : "month";
  if (d && !m)
    return "day without month";
  if (d && (d < 1 || d > days_in(y, m)))
    return "day";
  return NULL;
}

/* "2019", "2019-05" or "2019-02-30" */
static const char *ymd(char *dst, size_t cap, int y, int m, int d)
{
  if (d)
    snprintf(dst, cap, "%d-%02d-%02d", y, m, d);
  else if (m)
    snprintf(dst, cap, "%d-%02d", y, m);
  else
    snprintf(dst, cap, "%d", y);
  return dst;
}

static void check_date(ctx *c, citeconv_var var, const citeconv_date *d)
{
  char a[48], b[48];
  const char *w;
  const char *name = citeconv_var_name(var);
  if ((w = bad_ymd(d->year, d->month, d->day)) != NULL) {
    report(c, &d->pos, CITECONV_D_DATE_IMPOSSIBLE,
           "%s date %s does not exist (bad %s)", name,
           ymd(a, sizeof a, d->year, d->month, d->day), w);
    return;
  }
  if ((d->end_year || d->end_month || d->end_day) &&
      (w = bad_ymd(d->end_year ? d->end_year : d->year, d->end_month,
                   d->end_day)) != NULL) {
    report(c, &d->pos, CITECONV_D_DATE_IMPOSSIBLE,
           "%s date range ends on %s, which does not exist (bad %s)", name,
           ymd(a, sizeof a, d->end_year ? d->end_year : d->year, d->end_month,
               d->end_day),
           w);
    return;
  }
  if (d->end_year && d->year &&
      (d->end_year < d->year ||
       (d->end_year == d->year && d->month && d->end_month &&
        d->month <= 12 && d->end_month <= 12 &&
        (d->end_month < d->month ||
         (d->end_month == d->month && d->end_day && d->day &&
          d->end_day < d->day))))) {
    report(c, &d->pos, CITECONV_D_DATE_IMPOSSIBLE,
           "%s date range %s to %s ends before it starts", name,
           ymd(a, sizeof a, d->year, d->month, d->day),
           ymd(b, sizeof b, d->end_year, d->end_month, d->end_day));
    return;
  }
  if (var == CITECONV_VAR_ACCESSED) {
    citeconv_check *ck = c->ck;
    if (d->year > ck->year ||
        (d->year == ck->year && d->month > ck->month && d->month <= 12) ||
        (d->year == ck->year && d->month == ck->month && d->day > ck->day))
      report(c, &d->pos, CITECONV_D_DATE_FUTURE,
             "accessed date %s is in the future",
             ymd(a, sizeof a, d->year, d->month, d->day));
  } else if (d->year > c->ck->year + 1) {
    report(c, &d->pos, CITECONV_D_DATE_FUTURE,
           "%s year %d is after next year; check it", name, d->year);
  }
}

static void check_dates(ctx *c)
{
  for (int v = 0; v < CITECONV_VAR__COUNT; v++) {
    const citeconv_date *d;
    if (citeconv_var_kind_of((citeconv_var)v) != CITECONV_KIND_DATE)
      continue;
    d = citeconv_record_date(c->rec, (citeconv_var)v);
    if (d)
      check_date(c, (citeconv_var)v, d);
  }
}

/* ---- required fields, URLs ------------------------------------------- */

static void need(ctx *c, citeconv_var v, const char *what)
{
  bool have = citeconv_var_kind_of(v) == CITECONV_KIND_DATE
                  ? citeconv_record_date(c->rec, v) != NULL
                  : citeconv_record_text(c->rec, v) != NULL;
  if (!have && strcmp(what, citeconv_var_name(v)) == 0)
    report(c, NULL, CITECONV_D_FIELD_MISSING, "%s record has no %s; add it",
           citeconv_type_name(citeconv_record_type(c->rec)), what);
  else if (!have)
    report(c, NULL, CITECONV_D_FIELD_MISSING,
           "%s record has no %s (%s); add it",
           citeconv_type_name(citeconv_record_type(c->rec)), what,
           citeconv_var_name(v));
}

static void check_required(ctx *c)
{
  citeconv_type t = citeconv_record_type(c->rec);
  if (t != CITECONV_TYPE_PERSONAL_COMMUNICATION)
    need(c, CITECONV_VAR_TITLE, "title");
  switch (t) {
  case CITECONV_TYPE_ARTICLE_JOURNAL:
    need(c, CITECONV_VAR_CONTAINER_TITLE, "journal");
    need(c, CITECONV_VAR_ISSUED, "year");
    break;
  case CITECONV_TYPE_CHAPTER:
    need(c, CITECONV_VAR_CONTAINER_TITLE, "book title");
    need(c, CITECONV_VAR_ISSUED, "year");
    break;
  case CITECONV_TYPE_BOOK:
  case CITECONV_TYPE_THESIS:
  case CITECONV_TYPE_PAPER_CONFERENCE:
    need(c, CITECONV_VAR_ISSUED, "year");
    break;
  default:
    break;
  }
}

static bool is_scheme_char(char ch)
{
  return is_lower(ch) || is_upper(ch) || is_digit(ch) || ch == '+' ||
         ch == '-' || ch == '.';
}

static void check_urls(ctx *c)
{
  size_t n = citeconv_record_field_count(c->rec);
  for (size_t i = 0; i < n; i++) {
    const citeconv_field *f = citeconv_record_field_at(c->rec, i);
    const char *s = f->value, *why = NULL;
    char a[160];
    size_t k = 0;
    if (f->var != CITECONV_VAR_URL)
      continue;
    while (k < f->len && is_scheme_char(s[k]))
      k++;
    if (k == 0 || k == f->len || s[k] != ':' || !(is_lower(s[0]) ||
                                                  is_upper(s[0]))) {
      why = strncmp(s, "www.", 4) == 0 ? "it has no scheme; write 'https://' "
                                         "in front"
            : strncmp(s, "10.", 3) == 0 ? "it is a DOI; put it in DOI"
                                        : "it has no scheme such as "
                                          "'https://'";
    } else if ((k == 4 && strncmp(s, "http", 4) == 0) ||
               (k == 5 && strncmp(s, "https", 5) == 0) ||
               (k == 3 && strncmp(s, "ftp", 3) == 0)) {
      if (f->len < k + 4 || s[k + 1] != '/' || s[k + 2] != '/' ||
          s[k + 3] == '/')
        why = "it has no host after the scheme";
    } else if (k == 3 && lower(s[0]) == 'd' &&
               lower(s[1]) == 'o' && lower(s[2]) == 'i') {
      why = "it is a DOI; put it in DOI";
    }
    for (size_t j = 0; !why && j < f->len; j++) {
      if (!citeconv_is_space(s[j]))
        continue;
      while (j < f->len && citeconv_is_space(s[j]))
        j++;
      why = f->len - j > 8 && (strncmp(s + j, "http://", 7) == 0 ||
                               strncmp(s + j, "https://", 8) == 0)
                ? "it holds several URLs; keep one"
                : "it has white space in it; encode it as '%20'";
    }
    if (why)
      report(c, &f->pos, CITECONV_D_URL_INVALID, "URL '%s' is not a URL: %s",
             show(a, sizeof a, s, f->len), why);
  }
}

/* ---- whole list ------------------------------------------------------- */

static int check_key(ctx *c)
{
  const citeconv_field *f =
      citeconv_record_field(c->rec, CITECONV_VAR_CITATION_KEY);
  citeconv_buf k = CITECONV_BUF_INIT;
  const slot *prev;
  int rc;
  char a[120];
  if (!f)
    f = citeconv_record_field(c->rec, CITECONV_VAR_ID);
  if (!f || !f->len)
    return 0;
  /* Keys are per input: the file index is part of the key. */
  if ((rc = citeconv_buf_printf(&k, "%zu:", c->ck->cur)) < 0 ||
      (rc = citeconv_buf_add(&k, f->value, f->len)) < 0)
    goto done;
  if ((rc = remember(c, KIND_KEY, k.data, k.len, &f->pos, &prev)) < 0)
    goto done;
  if (prev) {
    report(c, &f->pos, CITECONV_D_DUPLICATE_KEY,
           "key '%s' is used by an earlier record too; give each record its "
           "own key",
           show(a, sizeof a, f->value, f->len));
    first_seen(c, prev, CITECONV_D_DUPLICATE_KEY);
  }
done:
  citeconv_buf_free(&k);
  return rc;
}

/* Title without markup, punctuation and case + year + first author's
 * family name: the same work written twice. */
static int check_same_work(ctx *c, bool dup)
{
  const char *title = citeconv_record_text(c->rec, CITECONV_VAR_TITLE);
  const citeconv_date *d = citeconv_record_date(c->rec, CITECONV_VAR_ISSUED);
  const citeconv_name *first = NULL;
  citeconv_buf plain = CITECONV_BUF_INIT, folded = CITECONV_BUF_INIT,
               key = CITECONV_BUF_INIT;
  const slot *prev;
  int rc = 0;
  for (size_t i = 0; i < citeconv_record_name_count(c->rec); i++) {
    const citeconv_name *nm = citeconv_record_name_at(c->rec, i);
    if (nm->role == CITECONV_VAR_AUTHOR) {
      first = nm;
      break;
    }
  }
  if (!title || !d || !d->year || !first)
    return 0;
  if ((rc = citeconv_text_strip_markup(&plain, title, strlen(title))) < 0 ||
      (rc = citeconv_buf_printf(&plain, "\x1f%d\x1f%s", d->year,
                                first->literal  ? first->literal
                                : first->family ? first->family
                                                : "")) < 0 ||
      (rc = fold(&folded, plain.data, plain.len)) < 0)
    goto done;
  /* Keep letters and digits only, so that punctuation and spacing do not
   * hide a duplicate. */
  for (size_t i = 0; i < folded.len && rc >= 0;) {
    size_t adv;
    long cp = citeconv_utf8_decode((const unsigned char *)folded.data + i,
                                   folded.len - i, &adv);
    if (cp == 0x1f || (cp >= 0 && u_isalnum((UChar32)cp)))
      rc = citeconv_buf_add(&key, folded.data + i, adv);
    i += adv;
  }
  if (rc < 0)
    goto done;
  if ((rc = remember(c, KIND_RECORD, key.data ? key.data : "", key.len, NULL,
                     &prev)) < 0)
    goto done;
  if (prev && !dup) {
    char a[160];
    const char *bar = memchr(plain.data, '\x1f', plain.len);
    report(c, NULL, CITECONV_D_DUPLICATE_RECORD,
           "record '%s' (%d) looks like an earlier one with the same title, "
           "year and first author; merge the two or drop one",
           show(a, sizeof a, plain.data,
                bar ? (size_t)(bar - plain.data) : plain.len),
           d->year);
    first_seen(c, prev, CITECONV_D_DUPLICATE_RECORD);
  }
done:
  citeconv_buf_free(&plain);
  citeconv_buf_free(&folded);
  citeconv_buf_free(&key);
  return rc;
}

/* ---- the checker ------------------------------------------------------ */

int citeconv_check_new(citeconv_check **out, citeconv_session *s)
{
  citeconv_check *ck = calloc(1, sizeof(*ck));
  time_t now = time(NULL);
  struct tm tm;
  *out = NULL;
  if (!ck)
    return CITECONV_ENOMEM;
  ck->s = s;
  s->checking = true;
  ck->cur = SIZE_MAX;
  if (gmtime_r(&now, &tm)) {
    ck->year = tm.tm_year + 1900;
    ck->month = tm.tm_mon + 1;
    ck->day = tm.tm_mday;
  } else {
    ck->year = 9999;
  }
  *out = ck;
  return 0;
}

void citeconv_check_free(citeconv_check *ck)
{
  if (!ck)
    return;
  for (size_t i = 0; i < ck->nfiles; i++)
    free(ck->files[i]);
  free(ck->files);
  free(ck->seen.v);
  free(ck);
}

/* Make the record's input the current file, counting records per file. */
static int enter_file(citeconv_check *ck, const char *file)
{
  const char *name = file ? file : "";
  char *copy;
  if (ck->cur != SIZE_MAX && strcmp(ck->files[ck->cur], name) == 0) {
    ck->recno++;
    return 0;
  }
  if (ck->nfiles == ck->capfiles) {
    size_t ncap = ck->capfiles ? ck->capfiles * 2 : 8;
    char **nf = realloc(ck->files, ncap * sizeof(*nf));
    if (!nf)
      return CITECONV_ENOMEM;
    ck->files = nf;
    ck->capfiles = ncap;
  }
  if (!(copy = strdup(name)))
    return CITECONV_ENOMEM;
  ck->files[ck->nfiles] = copy;
  ck->cur = ck->nfiles++;
  ck->recno = 1;
  return 0;
}

static void init_ctx(ctx *c, citeconv_check *ck, const citeconv_record *rec)
{
  c->ck = ck;
  c->rec = rec;
  c->file = citeconv_record_file(rec);
  c->rpos = citeconv_record_pos(rec);
}

int citeconv_check_record(citeconv_check *ck, const citeconv_record *rec)
{
  ctx c;
  bool dup = false, any_doi = false;
  int rc;
  if (ck->entered)
    ck->entered = false;
  else if ((rc = enter_file(ck, citeconv_record_file(rec))) < 0)
    return rc;
  ck->nrecords++;
  init_ctx(&c, ck, rec);
  if ((rc = check_key(&c)) < 0)
    return rc;
  for (size_t i = 0; i < citeconv_record_field_count(rec); i++) {
    const citeconv_field *f = citeconv_record_field_at(rec, i);
    if (f->var != CITECONV_VAR_DOI)
      continue;
    any_doi = true;
    if ((rc = check_doi(&c, f, &dup)) < 0)
      return rc;
  }
  if (!any_doi)
    check_doi_elsewhere(&c);
  check_authors_present(&c);
  if ((rc = check_names(&c)) < 0)
    return rc;
  check_fields(&c);
  if ((rc = check_identifiers(&c, &dup)) < 0)
    return rc;
  check_pages(&c);
  check_dates(&c);
  check_required(&c);
  check_urls(&c);
  return check_same_work(&c, dup);
}

/* ---- fixes ------------------------------------------------------------ */

static int fix_doi(ctx *c, citeconv_record *rec, int *fixes)
{
  citeconv_buf clean = CITECONV_BUF_INIT;
  const citeconv_field *f = citeconv_record_field(rec, CITECONV_VAR_DOI);
  char a[160], b[160];
  unsigned p = 0;
  int rc;
  citeconv_diag_code code;
  citeconv_pos pos;
  if (!f)
    return 0;
  if ((rc = citeconv_doi_clean(&clean, f->value, f->len, &p)) < 0 || !p ||
      !citeconv_doi_is_valid(clean.data, clean.len))
    goto done;
  code = p & CITECONV_DOI_URL        ? CITECONV_D_DOI_URL_PREFIX
         : p & CITECONV_DOI_LABEL    ? CITECONV_D_DOI_LABEL
         : p & CITECONV_DOI_LOOKALIKE ? CITECONV_D_DOI_LOOKALIKE
         : p & CITECONV_DOI_PERCENT  ? CITECONV_D_DOI_PERCENT
         : p & CITECONV_DOI_SPACE    ? CITECONV_D_DOI_WHITESPACE
                                     : CITECONV_D_DOI_TRAILING_PUNCT;
  show(a, sizeof a, f->value, f->len);
  show(b, sizeof b, clean.data, clean.len);
  pos = f->pos;
  if ((rc = citeconv_record_set_text(rec, CITECONV_VAR_DOI, clean.data,
                                     clean.len, pos)) < 0)
    goto done;
  report_note(c, &pos, code, "fixed: DOI '%s' is now '%s'", a, b);
  (*fixes)++;
done:
  citeconv_buf_free(&clean);
  return rc;
}

static int fix_pages(ctx *c, citeconv_record *rec, int *fixes)
{
  const citeconv_field *f = citeconv_record_field(rec, CITECONV_VAR_PAGE);
  citeconv_buf out = CITECONV_BUF_INIT;
  char a[120], b[120];
  bool changed = false;
  int rc = 0;
  citeconv_pos pos;
  if (!f)
    return 0;
  /* Only dashes between two digits, so "e12--e14" and "12--14" change but
   * no text ("well-known") does. */
  for (size_t i = 0; i < f->len && rc >= 0;) {
    bool good;
    long cp;
    size_t sl = range_sep(f->value + i, &good, &cp);
    if (sl && (!good || cp != '-') && i > 0 &&
        (is_digit(f->value[i - 1]) || is_upper(f->value[i - 1]) ||
         is_lower(f->value[i - 1])) &&
        i + sl < f->len && (is_digit(f->value[i + sl]) ||
                            is_upper(f->value[i + sl]) ||
                            is_lower(f->value[i + sl]))) {
      rc = citeconv_buf_addc(&out, '-');
      changed = true;
      i += sl;
      continue;
    }
    rc = citeconv_buf_addc(&out, f->value[i]);
    i++;
  }
  if (rc < 0 || !changed)
    goto done;
  show(a, sizeof a, f->value, f->len);
  show(b, sizeof b, out.data, out.len);
  pos = f->pos;
  if ((rc = citeconv_record_set_text(rec, CITECONV_VAR_PAGE, out.data,
                                     out.len, pos)) < 0)
    goto done;
  report_note(c, &pos, CITECONV_D_PAGE_DASH, "fixed: page range '%s' is now "
                                             "'%s'",
              a, b);
  (*fixes)++;
done:
  citeconv_buf_free(&out);
  return rc;
}

static int fix_whitespace(ctx *c, citeconv_record *rec, int *fixes)
{
  citeconv_buf out = CITECONV_BUF_INIT;
  int rc = 0;
  /* Per variable that needs it: fold every value, then put the values
   * back in their order (the old strings stay in the record's arena). */
  for (int var = 0; var < CITECONV_VAR__COUNT && rc >= 0; var++) {
    const citeconv_field *vals[64];
    size_t nv = 0, n = citeconv_record_field_count(rec);
    bool any = false;
    if (is_prose((citeconv_var)var))
      continue;
    for (size_t i = 0; i < n; i++) {
      const citeconv_field *f = citeconv_record_field_at(rec, i);
      if ((int)f->var != var)
        continue;
      if (nv == 64) {
        any = false; /* too many values to rebuild; leave them */
        break;
      }
      vals[nv++] = f;
      any |= needs_squeeze(f->value, f->len);
    }
    if (!any)
      continue;
    {
      const char *v[64];
      size_t len[64];
      citeconv_pos pos[64];
      for (size_t i = 0; i < nv; i++) {
        v[i] = vals[i]->value;
        len[i] = vals[i]->len;
        pos[i] = vals[i]->pos;
      }
      citeconv_record_clear_text(rec, (citeconv_var)var);
      for (size_t i = 0; i < nv && rc >= 0; i++) {
        char a[120];
        if (!needs_squeeze(v[i], len[i])) {
          rc = citeconv_record_add_text(rec, (citeconv_var)var, v[i], len[i],
                                        pos[i]);
          continue;
        }
        citeconv_buf_clear(&out);
        if ((rc = citeconv_text_squeeze(&out, v[i], len[i])) < 0)
          break;
        rc = citeconv_record_add_text(rec, (citeconv_var)var,
                                      out.data ? out.data : "", out.len,
                                      pos[i]);
        show(a, sizeof a, v[i], len[i]);
        report_note(c, &pos[i], CITECONV_D_WHITESPACE,
                    "fixed: white space in %s '%s' folded",
                    citeconv_var_name((citeconv_var)var), a);
        (*fixes)++;
      }
    }
  }
  citeconv_buf_free(&out);
  return rc;
}

int citeconv_check_fix(citeconv_check *ck, citeconv_record *rec)
{
  ctx c;
  int fixes = 0, rc;
  init_ctx(&c, ck, rec);
  if ((rc = enter_file(ck, c.file)) < 0)
    return rc;
  ck->entered = true;
  rc = fix_whitespace(&c, rec, &fixes);
  if (rc >= 0)
    rc = fix_doi(&c, rec, &fixes);
  if (rc >= 0)
    rc = fix_pages(&c, rec, &fixes);
  return rc < 0 ? rc : fixes;
}

int citeconv_check_finish(citeconv_check *ck)
{
  /* Duplicates are reported as soon as the second record is seen, with a
   * note on the first; nothing is left for the end but to drop the
   * index. */
  free(ck->seen.v);
  ck->seen.v = NULL;
  ck->seen.cap = ck->seen.n = 0;
  return 0;
}

size_t citeconv_check_count(const citeconv_check *ck)
{
  return ck->nrecords;
}

/* ---- codes ------------------------------------------------------------ */

bool citeconv_diag_code_is_check(size_t i)
{
  return i >= (size_t)CITECONV_D_DOI_SYNTAX &&
         i <= (size_t)CITECONV_D_DUPLICATE_RECORD;
}

int citeconv_diag_set_enabled(citeconv_session *s, const char *code,
                              bool enabled)
{
  size_t len = strlen(code), matched = 0;
  bool all = strcmp(code, "all") == 0;
  bool prefix = len > 0 && code[len - 1] == '*';
  for (size_t i = 0; i < CITECONV_D__COUNT; i++) {
    const char *name = citeconv_diag_code_name(i);
    if (all || (prefix ? strncmp(name, code, len - 1) == 0
                       : strcmp(name, code) == 0)) {
      s->disabled[i] = !enabled;
      matched++;
    }
  }
  if (!matched)
    return citeconv_session_fail(s, CITECONV_EUSAGE,
                                 "unknown diagnostic code '%s'", code);
  return 0;
}
