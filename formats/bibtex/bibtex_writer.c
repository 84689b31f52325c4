/* BibTeX and BibLaTeX writers: one entry per record, fields one per line,
 * braced values, one blank line between entries. `bibtex` writes ASCII
 * with LaTeX escapes and the entry types plain.bst knows; `biblatex`
 * writes UTF-8 with BibLaTeX's types and fields. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/unorm2.h>

#include "bibtex.h"
#include "text.h"

/* A variable that goes out under its CSL name. */
typedef struct {
  citeconv_var_kind kind;
  char low[64]; /* its name in lower case (text variables) */
} other_var;

/* Sets of variables, a bit each, in words of 32 (whose bits
 * citeconv_mask_first finds). */
#define VAR_WORDS ((CITECONV_VAR__COUNT + 31) / 32)
#define VAR_ADD(set, v) ((set)[(unsigned)(v) / 32] |= 1u << ((unsigned)(v) % 32))

typedef struct {
  citeconv_writer base;
  bool biblatex;
  citeconv_buf val, tmp;
  citeconv_buf key, plain, word; /* for making keys */
  uint64_t *keys; /* keys written, as hashes, for unique generated keys */
  size_t nkeys, capkeys;
  bool said_unmapped;
  citeconv_latex_cache latin;
  /* field names written in the current entry (those shorter than 32
   * bytes), which live as long as the entry is written */
  const char *names[64];
  size_t nnames;
  /* the variables written under their CSL names: a bit for each, and
   * each one's kind and name by variable */
  unsigned other_vars[VAR_WORDS];
  unsigned other_dates[VAR_WORDS];
  other_var others[CITECONV_VAR__COUNT];
} bib_writer;

#define V(x) CITECONV_VAR_##x

/* Append a string literal. */
#define ADD_LIT(b, lit) citeconv_buf_add((b), (lit), sizeof(lit) - 1)

static uint64_t hash_str(const char *s)
{
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c >= 'A' && c <= 'Z')
      c += 32;
    h = (h ^ c) * 1099511628211ull;
  }
  return h | 1;
}

/* Add a key to the set; false when it was there already. */
static bool key_add(bib_writer *w, const char *key)
{
  uint64_t h = hash_str(key);
  size_t i;
  if (w->nkeys * 2 >= w->capkeys) {
    size_t cap = w->capkeys ? w->capkeys * 2 : 1024;
    uint64_t *k = calloc(cap, sizeof(*k));
    if (!k)
      return true;
    for (size_t j = 0; j < w->capkeys; j++) {
      if (!w->keys[j])
        continue;
      i = (size_t)w->keys[j] & (cap - 1);
      while (k[i])
        i = (i + 1) & (cap - 1);
      k[i] = w->keys[j];
    }
    free(w->keys);
    w->keys = k;
    w->capkeys = cap;
  }
  i = (size_t)h & (w->capkeys - 1);
  while (w->keys[i]) {
    if (w->keys[i] == h)
      return false;
    i = (i + 1) & (w->capkeys - 1);
  }
  w->keys[i] = h;
  w->nkeys++;
  return true;
}

/* Characters BibTeX takes in a key (biber takes the same, plus UTF-8
 * letters, which only the biblatex writer produces). */
static bool key_char(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || strchr(":/-_+.!?*;<>[]|&'`@^$", c) != NULL;
}

/* Append ASCII letters of s[0..n), accents dropped, lower-cased when
 * asked. */
static void ascii_fold(citeconv_buf *b, const char *s, size_t n, bool lower,
                       size_t max_letters)
{
  const UNormalizer2 *nfd;
  UErrorCode err = U_ZERO_ERROR;
  size_t i = 0, got = 0;
  nfd = unorm2_getNFDInstance(&err);
  while (i < n && got < max_letters) {
    size_t adv;
    long cp = citeconv_utf8_decode((const unsigned char *)s + i, n - i, &adv);
    i += adv;
    if (cp < 0)
      continue;
    if (cp >= 0x80 && !U_FAILURE(err)) {
      UChar dec[8];
      UErrorCode e2 = U_ZERO_ERROR;
      int32_t dl = unorm2_getDecomposition(nfd, (UChar32)cp, dec, 8, &e2);
      if (U_SUCCESS(e2) && dl >= 1 && dec[0] < 0x80)
        cp = dec[0];
      else if (cp == 0xDF) {
        citeconv_buf_adds(b, "ss");
        got += 2;
        continue;
      } else if (cp == 0xF8 || cp == 0xD8) {
        cp = cp == 0xF8 ? 'o' : 'O';
      } else if (cp == 0x142 || cp == 0x141) {
        cp = cp == 0x142 ? 'l' : 'L';
      }
    }
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
        (cp >= '0' && cp <= '9')) {
      if (lower && cp >= 'A' && cp <= 'Z')
        cp += 32;
      citeconv_buf_addc(b, (char)cp);
      got++;
    }
  }
}

/* First title word that is not a little word, as key material. */
static void title_word(bib_writer *w, citeconv_buf *b, const char *title)
{
  static const char *const stop[] = {
      "a",  "an", "the", "on", "of", "in", "for", "and", "to", "with",
      "at", "by", "from", "is", "are", "der", "die", "das", "le", "la",
      "les", "el", "un", "une", "ein", "eine", NULL};
  size_t n = strlen(title);
  const char *p = title;
  citeconv_buf *word = &w->word;
  /* Markup tags are not words; a title without them is its own plain
   * text. */
  if (memchr(title, '<', n)) {
    citeconv_buf_clear(&w->plain);
    citeconv_text_strip_markup(&w->plain, title, n);
    p = w->plain.data ? w->plain.data : "";
  }
  while (*p) {
    const char *q;
    bool is_stop = false;
    while (*p == ' ' || *p == '-' || *p == ':' || *p == ',')
      p++;
    q = p;
    while (*q && *q != ' ' && *q != '-' && *q != ':' && *q != ',')
      q++;
    citeconv_buf_clear(word);
    ascii_fold(word, p, (size_t)(q - p), true, 40);
    /* (no little word is longer than four letters) */
    for (size_t k = 0; stop[k] && word->len > 0 && word->len <= 4; k++)
      if (strcmp(stop[k], word->data) == 0)
        is_stop = true;
    if (word->len > 0 && !is_stop) {
      citeconv_buf_add(b, word->data, word->len);
      break;
    }
    p = q;
  }
}

/* The key: the record's own (made safe), or family + year + title word;
 * a, b, ... make it unique among the keys written. */
static void make_key(bib_writer *w, const citeconv_record *rec,
                     citeconv_buf *b)
{
  const char *src = citeconv_record_text(rec, V(CITATION_KEY));
  size_t base;
  if (!src)
    src = citeconv_record_text(rec, V(ID));
  citeconv_buf_clear(b);
  if (src) {
    for (const unsigned char *p = (const unsigned char *)src; *p; p++) {
      if (key_char(*p))
        citeconv_buf_addc(b, (char)*p);
      else if (*p >= 0x80)
        citeconv_buf_addc(b, (char)*p); /* BibTeX is 8-bit clean here */
      else
        citeconv_buf_addc(b, '_');
    }
  }
  if (b->len == 0) {
    const citeconv_date *d = citeconv_record_date(rec, V(ISSUED));
    const char *title = citeconv_record_text(rec, V(TITLE));
    for (size_t i = 0; i < citeconv_record_name_count(rec); i++) {
      const citeconv_name *n = citeconv_record_name_at(rec, i);
      const char *fam = n->family ? n->family : n->literal;
      if (fam && (n->role == V(AUTHOR) || n->role == V(EDITOR))) {
        ascii_fold(b, fam, strlen(fam), true, 30);
        break;
      }
    }
    if (d && d->year > 0) {
      char y[24];
      citeconv_buf_add(b, y, citeconv_decimal(y, d->year));
    }
    if (title)
      title_word(w, b, title);
    if (b->len == 0)
      citeconv_buf_adds(b, "ref");
  }
  base = b->len;
  if (!key_add(w, b->data)) {
    for (unsigned k = 0; k < 26 * 27; k++) {
      b->len = base;
      b->data[base] = '\0';
      if (k < 26) {
        citeconv_buf_addc(b, (char)('a' + k));
      } else {
        citeconv_buf_addc(b, (char)('a' + (k / 26) - 1));
        citeconv_buf_addc(b, (char)('a' + k % 26));
      }
      if (key_add(w, b->data))
        break;
    }
  }
}

static bool written(bib_writer *w, const char *name)
{
  for (size_t i = 0; i < w->nnames; i++)
    if (w->names[i][0] == name[0] && strcmp(w->names[i], name) == 0)
      return true;
  return false;
}

/* "  name = {value},\n" with value already LaTeX. */
static void put_raw(bib_writer *w, const char *name, const char *value,
                    size_t len)
{
  citeconv_output *o = w->base.out;
  size_t nl;
  if (written(w, name))
    return;
  nl = strlen(name);
  if (w->nnames < 64 && nl < 32)
    w->names[w->nnames++] = name;
  citeconv_out_write(o, "  ", 2);
  citeconv_out_write(o, name, nl);
  citeconv_out_write(o, " = {", 4);
  citeconv_out_write(o, value, len);
  citeconv_out_write(o, "},\n", 3);
}

/* A text value s[0..n) as LaTeX. */
static void put_text_n(bib_writer *w, const char *name, const char *s,
                       size_t n, bool quotes)
{
  size_t unmapped = 0;
  citeconv_buf_clear(&w->val);
  citeconv_bibtex_text_to_latex(&w->val, s, n, !w->biblatex, quotes,
                                &unmapped, &w->latin);
  if (unmapped && !w->said_unmapped) {
    w->said_unmapped = true;
    citeconv_diag_emit(w->base.session, NULL, NULL, 0,
                       CITECONV_D_NOT_CARRIED,
                       "some characters have no LaTeX command; they are "
                       "written as UTF-8, which BibTeX copies through");
  }
  put_raw(w, name, w->val.data ? w->val.data : "", w->val.len);
}

static void put_text_q(bib_writer *w, const char *name, const char *s,
                       bool quotes)
{
  if (s)
    put_text_n(w, name, s, strlen(s), quotes);
}

static void put_text(bib_writer *w, const char *name, const char *s)
{
  put_text_q(w, name, s, true);
}

static void put_var(bib_writer *w, const citeconv_record *rec,
                    citeconv_var var, const char *name)
{
  put_text(w, name, citeconv_record_text(rec, var));
}

/* Whether a braced value is balanced (verbatim extras go out as they are
 * only then). */
static bool balanced(const char *s)
{
  long depth = 0;
  /* BibTeX counts every brace, escaped or not */
  for (; *s; s++) {
    if (*s == '{')
      depth++;
    else if (*s == '}' && --depth < 0)
      return false;
  }
  return depth == 0;
}

/* DOI and URL go out as they are (the reader takes them verbatim),
 * unless their braces would unbalance the value. */
static void put_verbatim(bib_writer *w, const char *name, const char *s)
{
  size_t plain;
  if (!s)
    return;
  /* Most have no brace and no backslash: nothing to look at. */
  plain = strcspn(s, "{}\\");
  if (!s[plain])
    put_raw(w, name, s, plain);
  else if (balanced(s) && !strchr(s, '\\'))
    put_raw(w, name, s, strlen(s));
  else
    put_text(w, name, s);
}

/* "  month = jan,": a macro, not braced. */
static void put_month(bib_writer *w, const char *m)
{
  citeconv_out_puts(w->base.out, "  month = ");
  citeconv_out_puts(w->base.out, m);
  citeconv_out_puts(w->base.out, ",\n");
}

/* The field name for a value, or its alternative when the record keeps
 * an extra field of the first name (both "address" and "location"). */
static const char *alt(const citeconv_record *rec, const char *name,
                       const char *other)
{
  char x[64];
  if (citeconv_record_extra_count(rec) == 0)
    return name;
  snprintf(x, sizeof(x), "bibtex:%s", name);
  return citeconv_record_extra(rec, x) ? other : name;
}

static bool word_is(const char *s, size_t n, const char *w)
{
  return strlen(w) == n && memcmp(s, w, n) == 0;
}

/* A name part s[0..n) needs braces when BibTeX would split it
 * differently: lower-case words in a family name (read as "von"), commas,
 * or the words "and" and "others". Words are what spaces separate; one
 * pass looks at each word's first letter and the few words that start
 * like those. */
static bool needs_braces(const char *s, size_t n, bool family)
{
  size_t i = 0;
  if (memchr(s, ',', n))
    return true;
  while (i < n) {
    size_t j;
    unsigned char c;
    while (i < n && s[i] == ' ')
      i++;
    if (i == n)
      break;
    c = (unsigned char)s[i];
    if (family && c >= 'a' && c <= 'z')
      return true;
    j = i + 1;
    while (j < n && s[j] != ' ')
      j++;
    if ((c == 'a' || c == 'A' || c == 'o') &&
        (word_is(s + i, j - i, "and") || word_is(s + i, j - i, "AND") ||
         word_is(s + i, j - i, "others")))
      return true;
    i = j;
  }
  return false;
}

static void name_part(bib_writer *w, citeconv_buf *b, const char *s,
                      bool family)
{
  size_t n = strlen(s);
  bool brace = needs_braces(s, n, family);
  if (brace)
    citeconv_buf_addc(b, '{');
  citeconv_bibtex_text_to_latex(b, s, n, !w->biblatex, false, NULL,
                                &w->latin);
  if (brace)
    citeconv_buf_addc(b, '}');
}

static void put_names(bib_writer *w, const citeconv_record *rec,
                      citeconv_var role, const char *field)
{
  citeconv_buf *b = &w->tmp;
  size_t count = 0;
  citeconv_buf_clear(b);
  for (size_t i = 0; i < citeconv_record_name_count(rec); i++) {
    const citeconv_name *n = citeconv_record_name_at(rec, i);
    if (n->role != role)
      continue;
    if (count++)
      ADD_LIT(b, " and ");
    if (n->literal || !n->family) {
      const char *lit = n->literal ? n->literal : n->given;
      citeconv_buf_addc(b, '{');
      citeconv_bibtex_text_to_latex(b, lit ? lit : "", lit ? strlen(lit) : 0,
                                    !w->biblatex, false, NULL, &w->latin);
      citeconv_buf_addc(b, '}');
      continue;
    }
    if (n->non_dropping_particle) {
      citeconv_bibtex_text_to_latex(b, n->non_dropping_particle,
                                    strlen(n->non_dropping_particle),
                                    !w->biblatex, false, NULL, &w->latin);
      citeconv_buf_addc(b, ' ');
    }
    name_part(w, b, n->family, true);
    if (n->suffix) {
      ADD_LIT(b, ", ");
      name_part(w, b, n->suffix, false);
    }
    if (n->given || n->dropping_particle) {
      ADD_LIT(b, ", ");
      if (n->given)
        name_part(w, b, n->given, false);
      if (n->given && n->dropping_particle)
        citeconv_buf_addc(b, ' ');
      if (n->dropping_particle)
        name_part(w, b, n->dropping_particle, false);
    } else if (n->suffix) {
      ADD_LIT(b, ", ");
    }
  }
  if (citeconv_record_truncated(rec, role)) {
    if (count++)
      citeconv_buf_adds(b, " and ");
    citeconv_buf_adds(b, "others");
  }
  if (count) {
    /* copy: put_raw may not use w->tmp */
    citeconv_buf_clear(&w->val);
    citeconv_buf_add(&w->val, b->data, b->len);
    put_raw(w, field, w->val.data, w->val.len);
  }
}

static void ymd(citeconv_buf *b, int y, int m, int d)
{
  if (y < 0)
    y++; /* CSL's 334 BC (-334) is EDTF's -0333 */
  if (y > 9999 || y < -9999) {
    citeconv_buf_printf(b, "Y%d", y); /* EDTF long year */
    return;
  }
  if (y < 0)
    citeconv_buf_printf(b, "-%04d", -y);
  else
    citeconv_buf_printf(b, "%04d", y);
  if (m)
    citeconv_buf_printf(b, "-%02d", m);
  if (m && d)
    citeconv_buf_printf(b, "-%02d", d);
}

/* An EDTF date string for a structured date. */
static void edtf(citeconv_buf *b, const citeconv_date *d)
{
  citeconv_buf_clear(b);
  if (d->year || d->month)
    ymd(b, d->year, d->season ? 20 + d->season : d->month,
        d->season ? 0 : d->day);
  if (d->end_year || d->end_month) {
    citeconv_buf_addc(b, '/');
    ymd(b, d->end_year ? d->end_year : d->year,
        d->end_season ? 20 + d->end_season : d->end_month,
        d->end_season ? 0 : d->end_day);
  }
  if (d->circa)
    citeconv_buf_addc(b, '~');
}

static void put_date(bib_writer *w, const citeconv_record *rec,
                     citeconv_var var, const char *field)
{
  const citeconv_date *d = citeconv_record_date(rec, var);
  if (!d)
    return;
  if (d->literal) {
    put_text(w, var == V(ISSUED) ? "year" : field, d->literal);
    return;
  }
  if (!d->year && !d->end_year) {
    if (var == V(ISSUED) && d->month >= 1 && d->month <= 12) {
      static const char *const m[] = {"jan", "feb", "mar", "apr",
                                      "may", "jun", "jul", "aug",
                                      "sep", "oct", "nov", "dec"};
      if (!written(w, "month"))
        put_month(w, m[d->month - 1]);
    }
    return;
  }
  if (var == V(ISSUED) && (citeconv_record_extra(rec, "bibtex:year") ||
                           citeconv_record_extra(rec, "bibtex:month"))) {
    edtf(&w->val, d);
    put_raw(w, "date", w->val.data, w->val.len);
    return;
  }
  if (var == V(ISSUED) && !w->biblatex && !d->circa && !d->end_year &&
      !d->end_month && d->year > 0 && d->year <= 9999) {
    char y[24];
    put_raw(w, "year", y, citeconv_decimal(y, d->year));
    if (d->season) {
      static const char *const s[] = {"Spring", "Summer", "Autumn",
                                      "Winter"};
      put_raw(w, "month", s[d->season - 1], strlen(s[d->season - 1]));
    } else if (d->month >= 1 && d->month <= 12) {
      static const char *const m[] = {"jan", "feb", "mar", "apr",
                                      "may", "jun", "jul", "aug",
                                      "sep", "oct", "nov", "dec"};
      put_month(w, m[d->month - 1]);
      if (d->day)
        put_raw(w, "day", y, citeconv_decimal(y, d->day));
    }
    return;
  }
  edtf(&w->val, d);
  if (var == V(ISSUED) && !w->biblatex)
    put_raw(w, "year", w->val.data, w->val.len);
  else
    put_raw(w, field, w->val.data, w->val.len);
}

static bool is_article(citeconv_type t)
{
  return t == CITECONV_TYPE_ARTICLE_JOURNAL || t == CITECONV_TYPE_ARTICLE ||
         t == CITECONV_TYPE_ARTICLE_MAGAZINE ||
         t == CITECONV_TYPE_ARTICLE_NEWSPAPER ||
         t == CITECONV_TYPE_PERIODICAL || t == CITECONV_TYPE_REVIEW ||
         t == CITECONV_TYPE_REVIEW_BOOK;
}

static bool is_part(citeconv_type t)
{
  return t == CITECONV_TYPE_CHAPTER || t == CITECONV_TYPE_PAPER_CONFERENCE ||
         t == CITECONV_TYPE_ENTRY_ENCYCLOPEDIA ||
         t == CITECONV_TYPE_ENTRY_DICTIONARY || t == CITECONV_TYPE_ENTRY;
}

/* The entry types plain.bst defines. */
static bool plain_type(const char *t)
{
  static const char *const types[] = {
      "article",     "book",          "booklet",       "inbook",
      "incollection", "inproceedings", "conference",    "manual",
      "mastersthesis", "misc",         "phdthesis",     "proceedings",
      "techreport",  "unpublished",   NULL};
  for (size_t i = 0; types[i]; i++)
    if (strcmp(types[i], t) == 0)
      return true;
  return false;
}

/* Variables each writer handles by name; the rest go out under their CSL
 * name. */
static bool handled(citeconv_var v)
{
  switch (v) {
  case V(ID):
  case V(CITATION_KEY):
  case V(TITLE):
  case V(CONTAINER_TITLE):
  case V(COLLECTION_TITLE):
  case V(COLLECTION_NUMBER):
  case V(VOLUME):
  case V(ISSUE):
  case V(NUMBER):
  case V(PAGE):
  case V(EDITION):
  case V(PUBLISHER):
  case V(PUBLISHER_PLACE):
  case V(DOI):
  case V(URL):
  case V(ISBN):
  case V(ISSN):
  case V(PMID):
  case V(PMCID):
  case V(NOTE):
  case V(ANNOTE):
  case V(ABSTRACT):
  case V(KEYWORD):
  case V(LANGUAGE):
  case V(GENRE):
  case V(TITLE_SHORT):
  case V(ORIGINAL_TITLE):
  case V(CONTAINER_TITLE_SHORT):
  case V(JOURNAL_ABBREVIATION):
  case V(EVENT_TITLE):
  case V(EVENT_PLACE):
  case V(CHAPTER_NUMBER):
  case V(NUMBER_OF_PAGES):
  case V(NUMBER_OF_VOLUMES):
  case V(VERSION):
    return true;
  default:
    return false;
  }
}

int citeconv_bibtex_writer_record(citeconv_writer *wb,
                                  const citeconv_record *rec)
{
  bib_writer *w = (bib_writer *)wb;
  citeconv_output *o = wb->out;
  citeconv_type t = citeconv_record_type(rec);
  const char *genre = citeconv_record_text(rec, V(GENRE));
  const char *container = citeconv_record_text(rec, V(CONTAINER_TITLE));
  const char *type = citeconv_bibtex_type_for(t, w->biblatex, genre,
                                              container != NULL);
  const char *src_type = citeconv_record_extra(rec, "bibtex:entrytype");
  citeconv_buf *key = &w->key;

  const char *keep_type = NULL; /* an entrytype field for BibTeX */
  if (src_type && (w->biblatex || plain_type(src_type))) {
    type = src_type;
  } else if (!w->biblatex) {
    /* plain.bst has no such type: the type goes in a field, read back */
    bool known;
    const char *blx = citeconv_bibtex_type_for(t, true, genre,
                                               container != NULL);
    if (src_type)
      keep_type = src_type;
    else if (citeconv_bibtex_type_find(type, &known) != t)
      keep_type = blx;
  }
  make_key(w, rec, key);
  w->nnames = 0;
  if (wb->nrecords > 0)
    citeconv_out_putc(o, '\n');
  citeconv_out_putc(o, '@');
  citeconv_out_puts(o, type);
  citeconv_out_putc(o, '{');
  citeconv_out_write(o, key->data ? key->data : "", key->len);
  citeconv_out_write(o, ",\n", 2);

  if (keep_type)
    put_raw(w, "entrytype", keep_type, strlen(keep_type));
  {
    /* The key comes from the citation-key; an id that differs from it is
     * another name for the entry, which is what 'ids' holds. */
    const char *id = citeconv_record_text(rec, V(ID));
    const char *ck = citeconv_record_text(rec, V(CITATION_KEY));
    if (id && ck && strcmp(id, ck) != 0) {
      if (citeconv_record_extra(rec, "bibtex:ids"))
        citeconv_writer_not_carried(wb, rec, "the 'id' (other than the key)");
      else
        put_text(w, "ids", id);
    }
  }
  put_names(w, rec, V(AUTHOR), "author");
  put_names(w, rec, V(EDITOR), "editor");
  put_names(w, rec, V(TRANSLATOR), "translator");
  put_names(w, rec, V(CONTAINER_AUTHOR), "bookauthor");
  put_var(w, rec, V(TITLE), "title");
  if (container) {
    const char *field = "booktitle";
    if (is_article(t) || (!is_part(t) && w->biblatex))
      field = w->biblatex ? alt(rec, "journaltitle", "journal")
                          : alt(rec, "journal", "journaltitle");
    put_text(w, field, container);
  }
  put_var(w, rec, V(TITLE_SHORT), "shorttitle");
  put_var(w, rec, V(ORIGINAL_TITLE), "origtitle");
  put_var(w, rec, V(CONTAINER_TITLE_SHORT), "shortjournal");
  put_var(w, rec, V(JOURNAL_ABBREVIATION), "journalabbr");
  put_var(w, rec, V(COLLECTION_TITLE), "series");
  put_var(w, rec, V(EVENT_TITLE), "eventtitle");
  put_var(w, rec, V(EVENT_PLACE), "venue");
  put_var(w, rec, V(VOLUME), "volume");
  put_var(w, rec, V(NUMBER_OF_VOLUMES), "volumes");
  {
    const char *issue = citeconv_record_text(rec, V(ISSUE));
    const char *number = citeconv_record_text(rec, V(NUMBER));
    const char *cnum = citeconv_record_text(rec, V(COLLECTION_NUMBER));
    if (is_article(t) && issue && !number) {
      put_text(w, "number", issue);
    } else {
      put_text(w, "number", number ? number : cnum);
      if (number && cnum)
        put_text(w, "collection-number", cnum);
      put_text(w, "issue", issue);
    }
  }
  {
    const char *page = citeconv_record_text(rec, V(PAGE));
    if (page) {
      /* a range is written with "--" */
      citeconv_buf *b = &w->tmp;
      citeconv_buf_clear(b);
      for (const char *p = page; *p;) {
        size_t k = 1;
        bool dash = *p == '-' ||
                    (strncmp(p, "\xe2\x80\x93", 3) == 0 && (k = 3)) ||
                    (strncmp(p, "\xe2\x80\x94", 3) == 0 && (k = 3));
        if (dash) {
          /* a range: "--"; runs of dashes are one */
          citeconv_buf_adds(b, "--");
          p += k;
          while (*p == '-')
            p++;
          continue;
        }
        k = 1;
        while ((unsigned char)p[k] >= 0x80 && ((unsigned char)p[k] & 0xC0) == 0x80)
          k++;
        citeconv_bibtex_text_to_latex(b, p, k, !w->biblatex, false, NULL,
                                      &w->latin);
        p += k;
      }
      if (b->len) {
        citeconv_buf_clear(&w->val);
        citeconv_buf_add(&w->val, b->data, b->len);
        put_raw(w, "pages", w->val.data, w->val.len);
      }
    }
  }
  put_var(w, rec, V(CHAPTER_NUMBER), "chapter");
  put_var(w, rec, V(NUMBER_OF_PAGES), "pagetotal");
  put_var(w, rec, V(EDITION), "edition");
  put_var(w, rec, V(VERSION), "version");
  {
    const char *pub = citeconv_record_text(rec, V(PUBLISHER));
    const char *field = "publisher";
    if (t == CITECONV_TYPE_THESIS)
      field = w->biblatex ? "institution" : "school";
    else if (t == CITECONV_TYPE_REPORT)
      field = "institution";
    if (strcmp(field, "publisher") == 0)
      field = alt(rec, "publisher", "organization");
    put_text(w, field, pub);
    put_var(w, rec, V(PUBLISHER_PLACE),
            w->biblatex ? alt(rec, "location", "address")
                        : alt(rec, "address", "location"));
  }
  put_date(w, rec, V(ISSUED), "date");
  if (genre) {
    bool implied =
        t == CITECONV_TYPE_THESIS &&
        ((strcmp(type, "phdthesis") == 0 && strcmp(genre, "PhD thesis") == 0) ||
         (strcmp(type, "mastersthesis") == 0 &&
          strcmp(genre, "Master's thesis") == 0));
    if (!implied)
      put_text(w, "type", genre);
  }
  put_verbatim(w, "doi", citeconv_record_text(rec, V(DOI)));
  put_verbatim(w, "url", citeconv_record_text(rec, V(URL)));
  put_date(w, rec, V(ACCESSED), "urldate");
  put_date(w, rec, V(EVENT_DATE), "eventdate");
  put_date(w, rec, V(ORIGINAL_DATE), "origdate");
  put_var(w, rec, V(ISBN), "isbn");
  put_var(w, rec, V(ISSN), "issn");
  put_var(w, rec, V(PMID), "pmid");
  put_var(w, rec, V(PMCID), "pmcid");
  put_var(w, rec, V(LANGUAGE), "language");
  {
    /* keywords: joined with ", ", or "; " when one holds a comma */
    bool comma = false;
    size_t n = 0;
    citeconv_buf *b = &w->tmp;
    for (size_t i = 0; i < citeconv_record_field_count(rec); i++) {
      const citeconv_field *f = citeconv_record_field_at(rec, i);
      if (f->var == V(KEYWORD) && strchr(f->value, ','))
        comma = true;
    }
    citeconv_buf_clear(b);
    for (size_t i = 0; i < citeconv_record_field_count(rec); i++) {
      const citeconv_field *f = citeconv_record_field_at(rec, i);
      if (f->var != V(KEYWORD))
        continue;
      if (n++)
        citeconv_buf_adds(b, comma ? "; " : ", ");
      citeconv_buf_add(b, f->value, f->len);
    }
    if (n) {
      char *kw = strndup(b->data, b->len);
      if (kw) {
        put_text(w, "keywords", kw);
        free(kw);
      }
    }
  }
  put_var(w, rec, V(ABSTRACT), "abstract");
  put_var(w, rec, V(NOTE), "note");
  put_var(w, rec, V(ANNOTE), "annote");

  /* Other names, dates and variables: under their CSL names, in the
   * order of the variables. Which of them the record may have is seen
   * once from its fields and names (dates are each looked up). */
  {
    unsigned have[VAR_WORDS];
    memcpy(have, w->other_dates, sizeof have);
    for (size_t i = 0; i < citeconv_record_field_count(rec); i++) {
      citeconv_var v = citeconv_record_field_at(rec, i)->var;
      if ((int)v >= 0 && v < CITECONV_VAR__COUNT)
        VAR_ADD(have, v);
    }
    for (size_t i = 0; i < citeconv_record_name_count(rec); i++) {
      citeconv_var v = citeconv_record_name_at(rec, i)->role;
      if ((int)v >= 0 && v < CITECONV_VAR__COUNT)
        VAR_ADD(have, v);
    }
    for (size_t k = 0; k < VAR_WORDS; k++) {
      unsigned bits = have[k] & w->other_vars[k];
      for (; bits; bits &= bits - 1) {
        citeconv_var v = (citeconv_var)(k * 32 + citeconv_mask_first(bits));
        const other_var *ov = &w->others[v];
        if (ov->kind == CITECONV_KIND_NAME)
          put_names(w, rec, v, citeconv_var_name(v));
        else if (ov->kind == CITECONV_KIND_DATE)
          put_date(w, rec, v, citeconv_var_name(v));
        else
          put_text(w, ov->low, citeconv_record_text(rec, v));
      }
    }
  }
  /* Extras: ours go back as fields; others are reported. */
  for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    const char *name;
    if (strncmp(e->name, "bibtex:", 7) != 0) {
      char what[200];
      snprintf(what, sizeof(what), "the extra field '%s'", e->name);
      citeconv_writer_not_carried(wb, rec, what);
      continue;
    }
    name = e->name + 7;
    if (strcmp(name, "entrytype") == 0 || !*name)
      continue;
    if (written(w, name)) {
      char what[200];
      snprintf(what, sizeof(what), "a second '%s' field", name);
      citeconv_writer_not_carried(wb, rec, what);
      continue;
    }
    if (citeconv_bibtex_is_verbatim(name) && balanced(e->value))
      put_raw(w, name, e->value, strlen(e->value));
    else
      put_text_q(w, name, e->value, false);
  }
  citeconv_out_puts(o, "}\n");
  return o->error ? CITECONV_EIO : 0;
}

static int begin(citeconv_writer **out, citeconv_session *s,
                 citeconv_output *o, bool biblatex)
{
  bib_writer *w = calloc(1, sizeof(*w));
  *out = NULL;
  if (!w)
    return CITECONV_ENOMEM;
  citeconv_writer_init(&w->base, biblatex ? &citeconv_format_biblatex
                                          : &citeconv_format_bibtex,
                       s, o);
  w->biblatex = biblatex;
  /* The variables that go out under their CSL names: names and dates
   * other than those written by name, and text the writer does not
   * handle. */
  for (int v = 0; v < CITECONV_VAR__COUNT; v++) {
    other_var *ov = &w->others[v];
    citeconv_var_kind kind = citeconv_var_kind_of((citeconv_var)v);
    const char *vn = citeconv_var_name((citeconv_var)v);
    if (kind == CITECONV_KIND_NAME) {
      if (v == V(AUTHOR) || v == V(EDITOR) || v == V(TRANSLATOR) ||
          v == V(CONTAINER_AUTHOR))
        continue;
    } else if (kind == CITECONV_KIND_DATE) {
      if (v == V(ISSUED) || v == V(ACCESSED) || v == V(EVENT_DATE) ||
          v == V(ORIGINAL_DATE))
        continue;
    } else if (handled((citeconv_var)v)) {
      continue;
    } else {
      size_t k = 0;
      for (; vn[k] && k < sizeof(ov->low) - 1; k++)
        ov->low[k] =
            (char)((vn[k] >= 'A' && vn[k] <= 'Z') ? vn[k] + 32 : vn[k]);
      ov->low[k] = '\0';
    }
    ov->kind = kind;
    VAR_ADD(w->other_vars, v);
    if (kind == CITECONV_KIND_DATE)
      VAR_ADD(w->other_dates, v);
  }
  *out = &w->base;
  return 0;
}

int citeconv_bibtex_writer_begin(citeconv_writer **out, citeconv_session *s,
                                 citeconv_output *o)
{
  return begin(out, s, o, false);
}

int citeconv_biblatex_writer_begin(citeconv_writer **out,
                                   citeconv_session *s, citeconv_output *o)
{
  return begin(out, s, o, true);
}

int citeconv_bibtex_writer_end(citeconv_writer *w)
{
  return citeconv_out_flush(w->out);
}

void citeconv_bibtex_writer_free(citeconv_writer *wb)
{
  bib_writer *w = (bib_writer *)wb;
  if (!w)
    return;
  citeconv_buf_free(&w->val);
  citeconv_buf_free(&w->tmp);
  citeconv_buf_free(&w->key);
  citeconv_buf_free(&w->plain);
  citeconv_buf_free(&w->word);
  free(w->keys);
  free(w);
}
