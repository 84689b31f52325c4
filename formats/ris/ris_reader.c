/* RIS reader: tagged lines ("TY  - JOUR" ... "ER  - ") in every
 * exporter's dialect, one record at a time, in any character set the
 * charset layer decodes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "charset.h"
#include "format.h"
#include "ris.h"
#include "text.h"

#define MAX_UNKNOWN 32 /* unknown tags reported once each per file */
/* Matching AD lines by the author's name they start with costs authors
 * times addresses: past this, only their place says whose they are. */
#define MAX_AD_MATCHES 4000000

/* An AD line, kept until the end of the record. */
typedef struct {
  const char *value; /* in the record's arena */
  size_t len;
  citeconv_pos pos;
  long anchor; /* the author whose AU line it follows, or -1 */
  long owner;  /* the author it is an affiliation of, or -1 */
  bool split;  /* each line is an author's, named at its start */
} ris_ad;

typedef struct {
  citeconv_reader base;
  citeconv_linebuf line;
  bool replay; /* the line in `line` starts the next record */
  bool eof;
  size_t max_field, max_names, max_record;
  size_t rec_bytes; /* input bytes of the record being read */
  bool skipping;    /* past max-record-bytes: skip to the next ER or TY */
  /* The record being read. */
  citeconv_record *rec;
  unsigned groups;
  size_t nnames;
  bool any_field;
  bool doi_derived; /* the DOI came from a URL, not from DO */
  char issued_tag[6];      /* the tag that set the issued date */
  citeconv_buf issued_text; /* and its text */
  citeconv_pos issued_pos;
  /* The field being read: tag, value so far, where it started. */
  const ris_tag *tag;
  char tagname[6];
  ris_tag_index tags; /* the tag table by tag */
  citeconv_buf value;
  citeconv_pos vpos;
  bool open;
  unsigned blank_lines; /* blank lines since the last line of the value */
  bool limit_hit;
  /* Pages: SP and EP are joined at the end of the record. */
  citeconv_buf sp, ep;
  citeconv_pos sp_pos, ep_pos;
  bool have_sp, have_ep;
  bool have_jo; /* JO gave the abbreviation; also the name if none */
  citeconv_pos jo_pos;
  citeconv_buf jo;
  /* Names wait for the end of the record, when the AD lines that belong
   * to them are known. Their strings are in the record's arena. */
  citeconv_name *names;
  size_t npending, names_cap;
  size_t nauthors;
  long last_author; /* the author the previous tag line gave, or -1 */
  ris_ad *ads;
  size_t nads, ads_cap;
  /* Unknown tags already reported. */
  char unknown[MAX_UNKNOWN][6];
  size_t nunknown;
} ris_reader;

/* ---- lines ---- */

static bool is_space(char c)
{
  return c == ' ' || c == '\t';
}

/* Skip U+FEFF (a BOM that an exporter wrote mid-file) and spaces. */
static size_t skip_bom_space(const char *s, size_t n, size_t i)
{
  for (;;) {
    if (i + 3 <= n && memcmp(s + i, "\xEF\xBB\xBF", 3) == 0)
      i += 3;
    else if (i < n && (is_space(s[i]) || s[i] == '\f' || s[i] == '\v'))
      i++;
    else
      return i;
  }
}

static bool is_blank(const char *s, size_t n)
{
  /* Most lines start with a tag: no need to skip anything. */
  if (n > 0 && (unsigned char)s[0] > ' ' && (unsigned char)s[0] != 0xEF)
    return false;
  return skip_bom_space(s, n, 0) == n;
}

/* "TY  - JOUR", "TY - JOUR", "TY\t-\tJOUR", "ER  -", "ER": the tag
 * (2 to 4 characters: a capital, then capitals or digits) and where the
 * value starts. Longer tags ("PMID  - ") only when known. */
static bool parse_tag_line(const char *s, size_t n, char tag[6],
                           size_t *vstart)
{
  size_t i, t0, k, spaces;
  /* The form nearly every exporter writes, "TY  - ": a two-character tag,
   * two spaces, the dash and a space. */
  if (n >= 6 && s[0] >= 'A' && s[0] <= 'Z' &&
      ((s[1] >= 'A' && s[1] <= 'Z') || (s[1] >= '0' && s[1] <= '9')) &&
      s[2] == ' ' && s[3] == ' ' && s[4] == '-' && s[5] == ' ') {
    tag[0] = s[0];
    tag[1] = s[1];
    tag[2] = '\0';
    for (i = 6; i < n && is_space(s[i]); i++)
      ;
    *vstart = i;
    return true;
  }
  /* A line that starts with a capital starts with its tag. */
  i = n > 0 && s[0] >= 'A' && s[0] <= 'Z' ? 0 : skip_bom_space(s, n, 0);
  if (i > 0 && (i < 3 || memcmp(s, "\xEF\xBB\xBF", 3) != 0))
    return false; /* indented: a continuation line */
  t0 = i;
  if (i >= n || s[i] < 'A' || s[i] > 'Z')
    return false;
  tag[0] = s[i++];
  while (i < n && i - t0 < 5 &&
         ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9'))) {
    tag[i - t0] = s[i];
    i++;
  }
  k = i - t0;
  if (k < 2 || k > 5)
    return false;
  tag[k] = '\0';
  if (k > 2 && !citeconv_ris_tag_find(tag, k))
    return false;
  {
    size_t sp0 = i;
    while (i < n && is_space(s[i]))
      i++;
    spaces = i - sp0;
  }
  if (i >= n) {
    /* "ER" alone ends a record; nothing else is a tag without a dash. */
    if (strcmp(tag, "ER") != 0)
      return false;
    *vstart = n;
    return true;
  }
  if (s[i] != '-')
    return false;
  i++;
  /* "AU  -Smith": no space after the dash, but the spacing before it
   * and a known tag say it is one. */
  if (i < n && !is_space(s[i]) &&
      !(spaces >= 2 && (strcmp(tag, "TY") == 0 ||
                        citeconv_ris_tag_find(tag, k))))
    return false;
  while (i < n && is_space(s[i]))
    i++;
  *vstart = i;
  return true;
}

static citeconv_pos pos_at(ris_reader *st, size_t byte)
{
  citeconv_pos p;
  p.line = (uint32_t)st->line.lineno;
  p.col = (uint32_t)citeconv_utf8_count(st->line.data, byte) + 1;
  return p;
}

/* Where the value of a tag line starts. What comes before it is ASCII
 * (the tag, spaces, the dash), so its column is its byte's, unless the
 * line starts with a byte order mark. */
static citeconv_pos value_pos(ris_reader *st, size_t vstart)
{
  citeconv_pos p;
  if ((unsigned char)st->line.data[0] == 0xEF)
    return pos_at(st, vstart);
  p.line = (uint32_t)st->line.lineno;
  p.col = (uint32_t)vstart + 1;
  return p;
}

/* Value without white space at its ends. Most values have none: the
 * first test says so. */
static inline void trim(const char **s, size_t *n)
{
  const char *p = *s;
  size_t k = *n;
  if (k > 0 && (unsigned char)p[0] > ' ' && (unsigned char)p[k - 1] > ' ')
    return;
  while (k > 0 && (is_space(*p) || *p == '\r')) {
    p++;
    k--;
  }
  while (k > 0 && (is_space(p[k - 1]) || p[k - 1] == '\r'))
    k--;
  *s = p;
  *n = k;
}

static bool has_prefix_ci(const char *s, size_t n, const char *p)
{
  size_t k = strlen(p);
  if (n < k)
    return false;
  for (size_t i = 0; i < k; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if (c != p[i])
      return false;
  }
  return true;
}

/* ---- values ---- */

static int add_extra(ris_reader *st, const char *tag, const char *v,
                     size_t n, citeconv_pos pos)
{
  char name[12];
  snprintf(name, sizeof name, "ris:%s", tag);
  return citeconv_record_add_extra(st->rec, name, v, n, pos);
}

/* Strip "doi:", "https://doi.org/" and friends; true when what is left
 * starts like a DOI. */
static bool doi_of(const char *s, size_t n, const char **d, size_t *dn)
{
  static const char *const prefixes[] = {
      "https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
      "http://dx.doi.org/", "doi.org/", "dx.doi.org/", "doi:", "doi ",
      "info:doi/", NULL};
  trim(&s, &n);
  for (size_t i = 0; prefixes[i]; i++)
    if (has_prefix_ci(s, n, prefixes[i])) {
      s += strlen(prefixes[i]);
      n -= strlen(prefixes[i]);
      trim(&s, &n);
      break;
    }
  *d = s;
  *dn = n;
  /* "10.1000/x", or a shortDOI "10/abc". */
  return n > 3 && (memcmp(s, "10.", 3) == 0 || memcmp(s, "10/", 3) == 0);
}

/* A DOI somewhere in a URL-ish value: "https://doi.org/10..." or
 * "doi:10...". */
static bool doi_in_link(const char *s, size_t n, const char **d, size_t *dn)
{
  for (size_t i = 0; i + 4 < n; i++) {
    bool label = has_prefix_ci(s + i, n - i, "doi:") &&
                 (i == 0 || s[i - 1] == ' ');
    if (has_prefix_ci(s + i, n - i, "doi.org/") || label) {
      size_t j = i + (s[i + 3] == ':' ? 4 : 8), e;
      while (j < n && s[j] == ' ')
        j++;
      e = j;
      while (e < n && s[e] != ' ' && s[e] != ';' && s[e] != '\t')
        e++;
      if (e - j > 3 && memcmp(s + j, "10.", 3) == 0) {
        *d = s + j;
        *dn = e - j;
        return true;
      }
    }
  }
  return false;
}

static bool is_lower_word(const char *s, size_t n)
{
  if (n == 0 || !(s[0] >= 'a' && s[0] <= 'z'))
    return false;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '\''))
      return false;
  return true;
}

/* "J.", "JA", "J-P", "C": initials as PubMed and Web of Science write
 * them. */
static bool is_initials(const char *s, size_t n)
{
  size_t caps = 0;
  if (n == 0 || n > 6)
    return false;
  for (size_t i = 0; i < n; i++) {
    if (s[i] >= 'A' && s[i] <= 'Z')
      caps++;
    else if (s[i] != '.' && s[i] != '-')
      return false;
  }
  return caps > 0 && caps <= 3;
}

static char *dup(ris_reader *st, const char *s, size_t n)
{
  trim(&s, &n);
  return n ? citeconv_record_strdup(st->rec, s, n) : NULL;
}

/* Split a family name's leading lower-case words ("van der Berg") off as
 * its particle. */
static void split_particle(ris_reader *st, citeconv_name *nm, const char *s,
                           size_t n)
{
  size_t i = 0, last = 0;
  trim(&s, &n);
  while (i < n) {
    size_t j = i;
    while (j < n && s[j] != ' ')
      j++;
    if (j >= n || !is_lower_word(s + i, j - i))
      break;
    last = j;
    i = j + 1;
  }
  if (last > 0 && last < n) {
    nm->non_dropping_particle = dup(st, s, last);
    nm->family = dup(st, s + last, n - last);
  } else {
    nm->family = dup(st, s, n);
  }
}

/* Split a given name's trailing lower-case words ("Jean de") off as its
 * dropping particle. */
static void split_given(ris_reader *st, citeconv_name *nm, const char *s,
                        size_t n)
{
  size_t cut = n;
  trim(&s, &n);
  cut = n;
  for (;;) {
    size_t j = cut;
    while (j > 0 && s[j - 1] != ' ')
      j--;
    if (j == 0 || !is_lower_word(s + j, cut - j))
      break;
    cut = j - 1;
  }
  if (cut < n) {
    nm->dropping_particle = dup(st, s + cut, n - cut);
    nm->given = dup(st, s, cut);
  } else {
    nm->given = dup(st, s, n);
  }
}

/* More commas than "Family, Given, Suffix" has, or a third part too long
 * for a suffix: a list of names. */
static bool name_list(const char *s, size_t n)
{
  size_t commas = 0, last = 0;
  const char *c;
  for (size_t i = 0; commas < 3 && (c = memchr(s + i, ',', n - i)); ) {
    commas++;
    last = (size_t)(c - s);
    i = last + 1;
  }
  return commas > 2 || (commas == 2 && n - last > 10);
}

/* Whether a word starts with a CJK character (U+2E80 and up, below the
 * Hangul syllables' end): "朱 宏" is family name, then given name. */
static bool is_cjk_word(const char *s, size_t n)
{
  size_t adv;
  long cp = citeconv_utf8_decode((const unsigned char *)s, n, &adv);
  return cp >= 0x2E80 && cp <= 0xD7AF;
}

/* Keep a name for the end of the record. */
static int pend_name(ris_reader *st, const citeconv_name *nm)
{
  if (st->npending == st->names_cap) {
    size_t cap = st->names_cap ? st->names_cap * 2 : 16;
    citeconv_name *p = realloc(st->names, cap * sizeof *p);
    if (!p)
      return CITECONV_ENOMEM;
    st->names = p;
    st->names_cap = cap;
  }
  st->names[st->npending++] = *nm;
  if (nm->role == CITECONV_VAR_AUTHOR)
    st->last_author = (long)st->nauthors++;
  return 0;
}

/* One RIS name: "Family, Given, Suffix" (the specification), or
 * "Family,G.", "Family GA" (PubMed, Web of Science), "A. Family" (IEEE),
 * "Family" alone, or an organisation kept whole. */
static int add_name(ris_reader *st, citeconv_var role, const char *s,
                    size_t n, citeconv_pos pos)
{
  citeconv_name nm;
  const char *c1;
  memset(&nm, 0, sizeof nm);
  nm.role = role;
  nm.pos = pos;
  trim(&s, &n);
  if (n == 0)
    return 0;
  if ((n == 6 && memcmp(s, "et al.", 6) == 0) ||
      (n == 5 && memcmp(s, "et al", 5) == 0) ||
      (n == 6 && memcmp(s, "others", 6) == 0)) {
    citeconv_record_set_truncated(st->rec, role, true);
    return 0;
  }
  if (st->nnames >= st->max_names) {
    if (st->nnames == st->max_names)
      citeconv_reader_diag(&st->base, &pos, CITECONV_D_LIMIT,
                           "more than %zu names in this record (max-names); "
                           "the rest are skipped",
                           st->max_names);
    st->nnames++;
    return 0;
  }
  st->nnames++;
  c1 = memchr(s, ',', n);
  if (s[n - 1] == ',') {
    /* "Name," is EndNote's way of writing an organisation. */
    size_t k = n - 1;
    nm.literal = dup(st, s, k);
  } else if (c1 && !name_list(s, n)) {
    const char *rest = c1 + 1;
    size_t rn = n - (size_t)(rest - s);
    const char *c2 = memchr(rest, ',', rn);
    split_particle(st, &nm, s, (size_t)(c1 - s));
    if (c2) {
      split_given(st, &nm, rest, (size_t)(c2 - rest));
      nm.suffix = dup(st, c2 + 1, rn - (size_t)(c2 + 1 - rest));
    } else {
      split_given(st, &nm, rest, rn);
    }
  } else if (c1) {
    /* "Andres, Bucchianeri, Buote, ...": several people in one tag; kept
     * whole for the validator to report. */
    nm.literal = dup(st, s, n);
  } else {
    /* No comma: find the words. */
    size_t starts[64], lens[64], nw = 0, i = 0;
    while (i < n && nw < 64) {
      size_t j;
      while (i < n && s[i] == ' ')
        i++;
      j = i;
      while (j < n && s[j] != ' ')
        j++;
      if (j > i) {
        starts[nw] = i;
        lens[nw] = j - i;
        nw++;
      }
      i = j;
    }
    if (nw == 1) {
      /* One word: a person or an organisation; kept whole, as Zotero
       * does. */
      nm.literal = dup(st, s, n);
    } else if (nw >= 2 && nw < 64 &&
               is_initials(s + starts[nw - 1], lens[nw - 1]) &&
               !is_initials(s + starts[0], lens[0])) {
      /* "Smith JA", "Brownstein C D": family first, initials after. */
      size_t f = nw - 1;
      while (f > 1 && is_initials(s + starts[f - 1], lens[f - 1]))
        f--;
      split_particle(st, &nm, s, starts[f - 1] + lens[f - 1]);
      nm.given = dup(st, s + starts[f], n - starts[f]);
    } else if (nw >= 2 && nw < 64 && is_initials(s + starts[0], lens[0]) &&
               !is_initials(s + starts[nw - 1], lens[nw - 1])) {
      /* "A. Author-One", "J. R. R. Tolkien": initials first. */
      size_t f = 1;
      while (f < nw - 1 && is_initials(s + starts[f], lens[f]))
        f++;
      nm.given = dup(st, s, starts[f - 1] + lens[f - 1]);
      split_particle(st, &nm, s + starts[f], n - starts[f]);
    } else if (nw == 2 && is_cjk_word(s, lens[0]) &&
               is_cjk_word(s + starts[1], lens[1])) {
      nm.family = dup(st, s, lens[0]);
      nm.given = dup(st, s + starts[1], lens[1]);
    } else if (nw == 2 && s[starts[0]] >= 'A' && s[starts[0]] <= 'Z' &&
               s[starts[1]] >= 'A' && s[starts[1]] <= 'Z') {
      /* "Catarina Barata": a person, given name first. */
      nm.given = dup(st, s, lens[0]);
      nm.family = dup(st, s + starts[1], lens[1]);
    } else {
      nm.literal = dup(st, s, n);
    }
  }
  if (!nm.family && !nm.literal && !nm.given)
    return 0;
  return pend_name(st, &nm);
}

static int month_of(const char *s, size_t n)
{
  static const char *const names[] = {"jan", "feb", "mar", "apr", "may",
                                       "jun", "jul", "aug", "sep", "oct",
                                       "nov", "dec"};
  if (n < 3)
    return 0;
  for (int i = 0; i < 12; i++)
    if (has_prefix_ci(s, n, names[i])) {
      /* "Sept.", "October", "Oct.", "Oct" */
      for (size_t k = 3; k < n; k++)
        if (!((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
              (s[k] == '.' && k == n - 1)))
          return 0;
      return i + 1;
    }
  return 0;
}

static int season_of(const char *s, size_t n)
{
  if (has_prefix_ci(s, n, "spring") && n == 6)
    return CITECONV_SEASON_SPRING;
  if (has_prefix_ci(s, n, "summer") && n == 6)
    return CITECONV_SEASON_SUMMER;
  if ((has_prefix_ci(s, n, "autumn") && n == 6) ||
      (has_prefix_ci(s, n, "fall") && n == 4))
    return CITECONV_SEASON_AUTUMN;
  if (has_prefix_ci(s, n, "winter") && n == 6)
    return CITECONV_SEASON_WINTER;
  return 0;
}

static bool all_digits(const char *s, size_t n)
{
  if (n == 0)
    return false;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

static int num(const char *s, size_t n)
{
  int v = 0;
  for (size_t i = 0; i < n && i < 9; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

/* Words of free-form date text: a 4-digit year, a month name, a day;
 * true when every word was understood ("Mar. 2017", "15 June 2005",
 * "2005 Jun 15", "Jun"). */
static bool parse_free_date(const char *s, size_t n, citeconv_date *d)
{
  size_t i = 0;
  bool ok = true;
  int pending_day = 0;
  /* ISO 8601: "2024-02-01", "2024-02" (OpenAlex). */
  if ((n == 10 || n == 7) && all_digits(s, 4) && s[4] == '-' &&
      all_digits(s + 5, 2) &&
      (n == 7 || (s[7] == '-' && all_digits(s + 8, 2)))) {
    d->year = num(s, 4);
    d->month = num(s + 5, 2);
    if (n == 10)
      d->day = num(s + 8, 2);
    return true;
  }
  while (i < n) {
    size_t j;
    while (i < n && (s[i] == ' ' || s[i] == ',' || s[i] == '-'))
      i++;
    j = i;
    while (j < n && s[j] != ' ' && s[j] != ',')
      j++;
    if (j == i)
      break;
    if (all_digits(s + i, j - i) && j - i == 4 && !d->year) {
      d->year = num(s + i, 4);
    } else if (all_digits(s + i, j - i) && j - i <= 2 && !pending_day &&
               !d->day) {
      pending_day = num(s + i, j - i);
    } else if (month_of(s + i, j - i) && !d->month) {
      d->month = month_of(s + i, j - i);
    } else if (season_of(s + i, j - i) && !d->season) {
      d->season = season_of(s + i, j - i);
    } else {
      ok = false;
    }
    i = j;
  }
  if (pending_day) {
    if (d->month)
      d->day = pending_day;
    else
      ok = false;
  }
  return ok && (d->year || d->month || d->season);
}

/* "YYYY[-MM[-DD]]" at s[0..n): true and the parts. */
static bool parse_iso(const char *s, size_t n, int *y, int *m, int *d)
{
  *y = *m = *d = 0;
  if (!(n == 4 || n == 7 || n == 10) || !all_digits(s, 4))
    return false;
  *y = num(s, 4);
  if (n >= 7) {
    if (s[4] != '-' || !all_digits(s + 5, 2))
      return false;
    *m = num(s + 5, 2);
  }
  if (n == 10) {
    if (s[7] != '-' || !all_digits(s + 8, 2))
      return false;
    *d = num(s + 8, 2);
  }
  return true;
}

static bool iso_interval_like(const char *s, size_t n)
{
  const char *slash = memchr(s, '/', n);
  int a, b, c;
  /* "1998/1999" too: as RIS it would be month 1999. */
  return slash && parse_iso(s, (size_t)(slash - s), &a, &b, &c) &&
         parse_iso(slash + 1, n - (size_t)(slash + 1 - s), &a, &b, &c);
}

/* An ISO 8601 interval, "2011-05-25/2012-06-26", "1998/1999". */
static bool parse_iso_interval(const char *s, size_t n, citeconv_date *d)
{
  const char *slash = memchr(s, '/', n);
  if (!iso_interval_like(s, n))
    return false;
  parse_iso(s, (size_t)(slash - s), &d->year, &d->month, &d->day);
  parse_iso(slash + 1, n - (size_t)(slash + 1 - s), &d->end_year,
            &d->end_month, &d->end_day);
  return true;
}

/* A range in free-form text: "JAN-MAR", "MAY-JUN 2019", "4-8 Aug. 2020",
 * "1998-1999". The start takes what it lacks from the end. */
static bool parse_range(ris_reader *st, const char *s, size_t n,
                        citeconv_date *d)
{
  const char *dash = memchr(s, '-', n);
  citeconv_date a, b;
  size_t ln, rn;
  const char *rs;
  if (!dash || dash == s || dash + 1 >= s + n ||
      memchr(dash + 1, '-', (size_t)(s + n - dash - 1)))
    return false;
  ln = (size_t)(dash - s);
  rs = dash + 1;
  rn = n - ln - 1;
  /* "Spring 1999 - Summer 2001": spaces around the dash. */
  while (ln > 0 && s[ln - 1] == ' ')
    ln--;
  while (rn > 0 && *rs == ' ') {
    rs++;
    rn--;
  }
  if (ln == 0 || rn == 0)
    return false;
  memset(&a, 0, sizeof a);
  memset(&b, 0, sizeof b);
  if (!parse_free_date(rs, rn, &b))
    return false;
  if (ln <= 2 && all_digits(s, ln)) {
    if (!b.day || !b.month)
      return false;
    a.day = num(s, ln);
  } else if (!parse_free_date(s, ln, &a) || a.day) {
    return false;
  }
  if ((a.year != 0) != (b.year != 0) && a.year)
    return false; /* "2019-Mar"? */
  d->year = a.year ? a.year : b.year;
  d->month = a.month ? a.month : (a.day ? b.month : 0);
  d->day = a.day;
  d->season = a.season;
  d->end_year = b.year;
  d->end_month = b.month;
  d->end_day = b.day;
  d->end_season = b.season;
  if (d->end_year == d->year && !d->end_season)
    d->end_year = 0;
  if (!d->end_year && d->end_month == d->month)
    d->end_month = 0;
  if (!d->end_year && !d->end_month && !d->end_day && !d->end_season)
    return false;
  if (d->end_day && !d->end_month)
    d->end_month = d->month;
  if (d->end_month && !d->end_year && d->year)
    d->end_year = d->year;
  d->raw = citeconv_record_strdup(st->rec, s, n);
  return true;
}

/* A RIS date: "YYYY/MM/DD/other" with any part empty ("2001///",
 * "2016/01/", "1948/07//"), a month name in the month part, or the bare
 * forms exporters write ("1996", "Mar. 2017", "Jun"). Unreadable text
 * becomes a literal with a bad-date warning; other info is kept as the
 * literal beside the parts. */
static void parse_date(ris_reader *st, const char *s, size_t n,
                       citeconv_pos pos, citeconv_date *d)
{
  const char *slash;
  memset(d, 0, sizeof *d);
  d->pos = pos;
  trim(&s, &n);
  slash = memchr(s, '/', n);
  if (slash && (slash == s || all_digits(s, (size_t)(slash - s))) &&
      !iso_interval_like(s, n)) {
    const char *part[4] = {s, NULL, NULL, NULL};
    size_t plen[4] = {0, 0, 0, 0}, np = 1;
    bool ok = true;
    for (size_t i = 0; i < n; i++)
      if (s[i] == '/' && np < 4) {
        plen[np - 1] = (size_t)(s + i - part[np - 1]);
        part[np] = s + i + 1;
        np++;
      }
    plen[np - 1] = (size_t)(s + n - part[np - 1]);
    for (size_t k = 0; k < 3 && k < np; k++)
      trim(&part[k], &plen[k]);
    if (plen[0]) {
      if (all_digits(part[0], plen[0]) && plen[0] <= 4)
        d->year = num(part[0], plen[0]);
      else
        ok = false;
    }
    if (np > 1 && plen[1]) {
      if (all_digits(part[1], plen[1]) && plen[1] <= 2)
        d->month = num(part[1], plen[1]);
      else if (month_of(part[1], plen[1]))
        d->month = month_of(part[1], plen[1]);
      else if (season_of(part[1], plen[1]))
        d->season = season_of(part[1], plen[1]);
      else
        ok = false;
    }
    if (np > 2 && plen[2]) {
      if (all_digits(part[2], plen[2]) && plen[2] <= 2)
        d->day = num(part[2], plen[2]);
      else
        ok = false;
    }
    if (np > 3) {
      const char *o = part[3];
      size_t on = plen[3];
      trim(&o, &on);
      if (on && season_of(o, on) && !d->season)
        d->season = season_of(o, on);
      else if (on)
        d->literal = citeconv_record_strdup(st->rec, o, on);
    }
    /* "2001/00/00/": zero parts mean absent. */
    if (!ok) {
      citeconv_reader_diag(&st->base, &pos, CITECONV_D_BAD_DATE,
                           "cannot read '%.*s' as a date (RIS dates are "
                           "YYYY/MM/DD/other); kept as text",
                           (int)n, s);
      memset(d, 0, sizeof *d);
      d->pos = pos;
      d->literal = citeconv_record_strdup(st->rec, s, n);
      return;
    }
  } else if (parse_iso_interval(s, n, d)) {
    /* "2011-05-25/2012-06-26": what the writer makes of a range. */
  } else if (parse_range(st, s, n, d)) {
    /* "JAN-MAR" (Web of Science), "4-8 Aug. 2020" (IEEE): a range; the
     * text is kept as raw, which the writer gives back. */
  } else if (!parse_free_date(s, n, d)) {
    citeconv_reader_diag(&st->base, &pos, CITECONV_D_BAD_DATE,
                         "cannot read '%.*s' as a date; kept as text", (int)n,
                         s);
    memset(d, 0, sizeof *d);
    d->pos = pos;
    d->literal = citeconv_record_strdup(st->rec, s, n);
    return;
  }
  if (d->month > 12 || d->day > 31 ||
      (d->day && d->month && d->day > 30 &&
       (d->month == 4 || d->month == 6 || d->month == 9 || d->month == 11)) ||
      (d->month == 2 && d->day > 29)) {
    citeconv_reader_diag(&st->base, &pos, CITECONV_D_BAD_DATE,
                         "'%.*s' is not a possible date; kept as text",
                         (int)n, s);
    memset(d, 0, sizeof *d);
    d->pos = pos;
    d->literal = citeconv_record_strdup(st->rec, s, n);
  }
}

static bool dates_agree(const citeconv_date *a, const citeconv_date *b)
{
  bool pa = a->year || a->month || a->day || a->season;
  bool pb = b->year || b->month || b->day || b->season;
  if (!pa || !pb)
    return false; /* a date that is only text agrees with nothing */
  return (!a->year || !b->year || a->year == b->year) &&
         (!a->month || !b->month || a->month == b->month) &&
         (!a->day || !b->day || a->day == b->day) &&
         (!a->season || !b->season || a->season == b->season);
}

static int set_date(ris_reader *st, citeconv_var var, const char *tag,
                    bool primary, const char *s, size_t n, citeconv_pos pos)
{
  citeconv_date d;
  const citeconv_date *old = citeconv_record_date(st->rec, var);
  bool issued = var == CITECONV_VAR_ISSUED;
  int rc;
  parse_date(st, s, n, pos, &d);
  if (!d.year && !d.month && !d.day && !d.season && !d.literal)
    return 0; /* "///": nothing to keep */
  if (!old) {
    if (issued) {
      snprintf(st->issued_tag, sizeof st->issued_tag, "%s", tag);
      citeconv_buf_clear(&st->issued_text);
      if (citeconv_buf_add(&st->issued_text, s, n) == CITECONV_ENOMEM)
        return CITECONV_ENOMEM;
      st->issued_pos = pos;
    }
    return citeconv_record_set_date(st->rec, var, &d);
  }
  if (!(d.year || d.month || d.day || d.season))
    return add_extra(st, tag, s, n, pos); /* text never wins over parts */
  if (!(old->year || old->month || old->day || old->season) &&
      (d.year || d.month || d.day || d.season) && issued) {
    /* An unreadable date gives way to a readable one; its text is kept
     * aside. */
    rc = add_extra(st, st->issued_tag, st->issued_text.data,
                   st->issued_text.len, st->issued_pos);
    if (rc < 0)
      return rc;
    snprintf(st->issued_tag, sizeof st->issued_tag, "%s", tag);
    citeconv_buf_clear(&st->issued_text);
    if (citeconv_buf_add(&st->issued_text, s, n) == CITECONV_ENOMEM)
      return CITECONV_ENOMEM;
    st->issued_pos = pos;
    return citeconv_record_set_date(st->rec, var, &d);
  }
  if (dates_agree(old, &d)) {
    /* The two say the same: keep the fuller, DA's parts first. */
    citeconv_date m = primary ? d : *old;
    const citeconv_date *o = primary ? old : &d;
    if (!m.year)
      m.year = o->year;
    if (!m.month)
      m.month = o->month;
    if (!m.day)
      m.day = o->day;
    if (!m.season)
      m.season = o->season;
    if (!m.literal)
      m.literal = o->literal;
    if (!(m.end_year || m.end_month || m.end_day || m.end_season) &&
        (o->end_year || o->end_month || o->end_day || o->end_season)) {
      m.end_year = o->end_year;
      m.end_month = o->end_month;
      m.end_day = o->end_day;
      m.end_season = o->end_season;
      m.raw = o->raw;
    }
    if (m.end_month && !m.end_year && m.year)
      m.end_year = m.year;
    if (primary && issued)
      snprintf(st->issued_tag, sizeof st->issued_tag, "DA");
    return citeconv_record_set_date(st->rec, var, &m);
  }
  if (primary && issued && strcmp(st->issued_tag, "DA") != 0) {
    /* DA wins over the deprecated Y1 and PY; theirs is kept aside. */
    rc = add_extra(st, st->issued_tag, st->issued_text.data,
                   st->issued_text.len, st->issued_pos);
    if (rc < 0)
      return rc;
    snprintf(st->issued_tag, sizeof st->issued_tag, "DA");
    return citeconv_record_set_date(st->rec, var, &d);
  }
  return add_extra(st, tag, s, n, pos);
}

/* ISBN: 10 or 13 digits (X last); ISSN: 8. By content first, by type
 * when the content does not tell. */
static citeconv_var sn_var(const char *s, size_t n, unsigned groups)
{
  size_t digits = 0;
  /* The first identifier: digits, X and hyphens up to a space. */
  for (size_t i = 0; i < n; i++) {
    if ((s[i] >= '0' && s[i] <= '9') || s[i] == 'X' || s[i] == 'x')
      digits++;
    else if (s[i] == '-')
      continue;
    else
      break;
  }
  if (digits == 10 || digits == 13)
    return CITECONV_VAR_ISBN;
  if (digits == 8)
    return CITECONV_VAR_ISSN;
  return (groups & RIS_G_BOOK) ? CITECONV_VAR_ISBN : CITECONV_VAR_ISSN;
}

/* Whether s[0..n) is already one of the ", "-separated values of a list
 * (the same SN twice is kept aside, not listed twice). */
static bool id_listed(const char *list, size_t ln, const char *s, size_t n)
{
  size_t i = 0;
  while (i <= ln) {
    const char *e = ln > i ? strstr(list + i, ", ") : NULL;
    size_t end = e ? (size_t)(e - list) : ln;
    if (end - i == n && memcmp(list + i, s, n) == 0)
      return true;
    if (!e)
      break;
    i = end + 2;
  }
  return false;
}

static int set_single(ris_reader *st, citeconv_var var, const char *tag,
                      const char *s, size_t n, citeconv_pos pos)
{
  if (citeconv_record_field(st->rec, var))
    return add_extra(st, tag, s, n, pos);
  return citeconv_record_set_text(st->rec, var, s, n, pos);
}

static int set_doi(ris_reader *st, const char *d, size_t dn, bool derived,
                   citeconv_pos pos)
{
  if (citeconv_record_field(st->rec, CITECONV_VAR_DOI) && !st->doi_derived)
    return 1; /* taken */
  if (citeconv_record_field(st->rec, CITECONV_VAR_DOI) && derived)
    return 1;
  st->doi_derived = derived;
  return citeconv_record_set_text(st->rec, CITECONV_VAR_DOI, d, dn, pos);
}

/* N1 that the writer made from a variable RIS has no tag for:
 * "variable: value". */
static int note_variable(ris_reader *st, const char *s, size_t n,
                         citeconv_pos pos, bool *done)
{
  const char *colon = memchr(s, ':', n);
  citeconv_var v;
  const char *val;
  size_t vn;
  *done = false;
  if (n > 8 && memcmp(s, "ris:TY: ", 8) == 0 && !memchr(s, '\n', n)) {
    /* A TY the writer could not put on the TY line (not a RIS type, or
     * not one of the record's type). */
    *done = true;
    return citeconv_record_add_extra(st->rec, "ris:TY", s + 8, n - 8, pos);
  }
  if (!colon || colon == s || colon + 1 >= s + n)
    return 0;
  {
    /* "bibtex:affiliation: value": another format's extra field, which
     * the writer put here; the prefix must name a format. */
    size_t pn = (size_t)(colon - s);
    char prefix[24];
    const char *c2 = memchr(colon + 1, ':', n - pn - 1);
    if (pn < sizeof prefix && c2 && c2 > colon + 1 &&
        (c2 + 1 == s + n || c2[1] == ' ') && !memchr(s, ' ', pn) &&
        !memchr(colon + 1, '\n', (size_t)(c2 - colon - 1)) &&
        colon[1] != '/') {
      memcpy(prefix, s, pn);
      prefix[pn] = '\0';
      if (citeconv_format_find(prefix) && strcmp(prefix, "ris") != 0) {
        char *name = citeconv_record_strdup(st->rec, s, (size_t)(c2 - s));
        *done = true;
        if (!name)
          return CITECONV_ENOMEM;
        if (c2 + 1 == s + n) /* an empty value */
          return citeconv_record_add_extra(st->rec, name, "", 0, pos);
        return citeconv_record_add_extra(st->rec, name, c2 + 2,
                                         n - (size_t)(c2 + 2 - s), pos);
      }
    }
  }
  if (colon[1] != ' ' || memchr(s, '\n', n))
    return 0;
  if (colon - s == 4 && memcmp(s, "type", 4) == 0) {
    /* "type: review-book": a CSL type RIS has no TY for. */
    const ris_type *rt;
    int t = citeconv_type_from_name(colon + 2, n - (size_t)(colon + 2 - s));
    citeconv_type cur = citeconv_record_type(st->rec);
    rt = citeconv_ris_type_for_csl((citeconv_type)(t < 0 ? 0 : t));
    if (t < 0 || strcmp(citeconv_ris_type_for_csl(cur)->ris, rt->ris) != 0)
      return 0; /* not what the writer makes: a note */
    citeconv_record_set_type(st->rec, (citeconv_type)t);
    *done = true;
    return 0;
  }
  v = citeconv_var_from_name(s, (size_t)(colon - s));
  if (v == CITECONV_VAR_NONE || citeconv_ris_var_tag(v, st->groups))
    return 0;
  val = colon + 2;
  vn = n - (size_t)(val - s);
  *done = true;
  switch (citeconv_var_kind_of(v)) {
  case CITECONV_KIND_NAME:
    return add_name(st, v, val, vn, pos);
  case CITECONV_KIND_DATE:
    if (citeconv_record_date(st->rec, v)) {
      *done = false;
      return 0;
    }
    return set_date(st, v, "N1", false, val, vn, pos);
  default:
    /* The writer gives each value of a variable its own N1. */
    return citeconv_record_add_text(st->rec, v, val, vn, pos);
  }
}

static bool seen_unknown(ris_reader *st, const char *tag)
{
  for (size_t i = 0; i < st->nunknown; i++)
    if (strcmp(st->unknown[i], tag) == 0)
      return true;
  if (st->nunknown < MAX_UNKNOWN)
    snprintf(st->unknown[st->nunknown++], sizeof st->unknown[0], "%s", tag);
  return false;
}

/* PubMed's exports put "26957754[pmid]" and "PMC4756000[pmcid]" in the
 * user tags (U1-U5), Cochrane's "PUBMED 21314913" in a custom one
 * (C1-C8): they give the PMID and PMCID, and the tag is kept as an extra
 * too. */
static bool id_in_user_field(ris_reader *st, const char *s, size_t n,
                             citeconv_pos pos, int *rc)
{
  citeconv_var v = CITECONV_VAR_NONE;
  size_t k = 0;
  *rc = 0;
  if (n > 7 && has_prefix_ci(s, n, "pubmed ") && all_digits(s + 7, n - 7)) {
    /* Cochrane: "C3  - PUBMED 21314913". */
    v = CITECONV_VAR_PMID;
    s += 7;
    k = n - 7;
    if (!citeconv_record_field(st->rec, v))
      *rc = citeconv_record_set_text(st->rec, v, s, k, pos);
    if (*rc == 0)
      *rc = add_extra(st, st->tagname, s - 7, n, pos);
    return true;
  } else if (n > 6 && has_prefix_ci(s + n - 6, 6, "[pmid]")) {
    v = CITECONV_VAR_PMID;
    k = n - 6;
    if (!all_digits(s, k))
      return false;
  } else if (n > 7 && has_prefix_ci(s + n - 7, 7, "[pmcid]")) {
    v = CITECONV_VAR_PMCID;
    k = n - 7;
    if (k < 4 || memcmp(s, "PMC", 3) != 0 || !all_digits(s + 3, k - 3))
      return false;
  } else {
    return false;
  }
  if (!citeconv_record_field(st->rec, v))
    *rc = citeconv_record_set_text(st->rec, v, s, k, pos);
  if (*rc == 0)
    *rc = add_extra(st, st->tagname, s, n, pos);
  return true;
}

/* Store the field just read. */
static int flush_field(ris_reader *st)
{
  const char *s = st->value.data ? st->value.data : "";
  size_t n = st->value.len;
  const ris_tag *t = st->tag;
  citeconv_pos pos = st->vpos;
  const char *tag = st->tagname;
  citeconv_var var;
  int rc = 0;
  const char *d;
  size_t dn;

  long prev_author = st->last_author;

  if (!st->open)
    return 0;
  st->open = false;
  st->last_author = -1;
  trim(&s, &n);
  if (st->limit_hit) {
    citeconv_reader_diag(&st->base, &pos, CITECONV_D_LIMIT,
                         "the %s value is longer than max-field-bytes "
                         "(%zu); skipped",
                         tag, st->max_field);
    st->limit_hit = false;
    return 0;
  }
  if (n == 0)
    return 0; /* an empty tag carries nothing */
  st->any_field = true;
  if (!t) {
    if (!seen_unknown(st, tag))
      citeconv_reader_diag(&st->base, &pos, CITECONV_D_UNKNOWN_FIELD,
                           "unknown tag '%s'; kept as 'ris:%s'", tag, tag);
    return add_extra(st, tag, s, n, pos);
  }
  if ((st->groups & RIS_G_PATENT) && citeconv_ris_patent_var(tag, &var))
    return var == CITECONV_VAR_NONE ? add_extra(st, tag, s, n, pos)
                                    : set_single(st, var, tag, s, n, pos);
  var = citeconv_ris_tag_var(t, st->groups);
  switch (t->action) {
  case RIS_A_TEXT:
    if (var == CITECONV_VAR_NONE)
      return add_extra(st, tag, s, n, pos);
    if (var == CITECONV_VAR_GENRE && doi_of(s, n, &d, &dn)) {
      /* PsycINFO writes the DOI in M3. */
      rc = set_doi(st, d, dn, true, pos);
      if (rc < 0)
        return rc;
      return add_extra(st, tag, s, n, pos);
    }
    return set_single(st, var, tag, s, n, pos);
  case RIS_A_AD: {
    /* Settled at the end of the record; an AD after an AD belongs where
     * the first one does. */
    ris_ad *ad;
    if (st->nads == st->ads_cap) {
      size_t cap = st->ads_cap ? st->ads_cap * 2 : 8;
      ris_ad *p = realloc(st->ads, cap * sizeof *p);
      if (!p)
        return CITECONV_ENOMEM;
      st->ads = p;
      st->ads_cap = cap;
    }
    ad = &st->ads[st->nads];
    ad->value = citeconv_record_strdup(st->rec, s, n);
    if (!ad->value)
      return CITECONV_ENOMEM;
    ad->len = n;
    ad->pos = pos;
    ad->anchor = prev_author;
    ad->owner = -1;
    st->nads++;
    st->last_author = prev_author;
    return 0;
  }
  case RIS_A_EXTRA:
    if (var != CITECONV_VAR_NONE)
      return set_single(st, var, tag, s, n, pos);
    if (strcmp(tag, "M1") == 0 && n <= 10 && all_digits(s, n)) {
      /* A number in M1: the issue of a journal article that has no IS
       * (Zotero reads it so), else the item's number. */
      if (citeconv_record_type(st->rec) == CITECONV_TYPE_ARTICLE_JOURNAL &&
          !citeconv_record_field(st->rec, CITECONV_VAR_ISSUE))
        return citeconv_record_set_text(st->rec, CITECONV_VAR_ISSUE, s, n,
                                        pos);
      if (!citeconv_record_field(st->rec, CITECONV_VAR_NUMBER))
        return citeconv_record_set_text(st->rec, CITECONV_VAR_NUMBER, s, n,
                                        pos);
    }
    if ((tag[0] == 'U' || tag[0] == 'C') &&
        id_in_user_field(st, s, n, pos, &rc))
      return rc;
    return add_extra(st, tag, s, n, pos);
  case RIS_A_MULTI:
    /* CSL has one abstract and one note: a second AB, N2 or RN is kept
     * as an extra, in order, which CSL-JSON carries too. */
    if (var != CITECONV_VAR_KEYWORD && citeconv_record_field(st->rec, var))
      return add_extra(st, tag, s, n, pos);
    return citeconv_record_add_text(st->rec, var, s, n, pos);
  case RIS_A_NOTE: {
    bool done;
    rc = note_variable(st, s, n, pos, &done);
    if (rc < 0 || done)
      return rc;
    if (citeconv_record_field(st->rec, CITECONV_VAR_NOTE))
      return add_extra(st, tag, s, n, pos);
    return citeconv_record_add_text(st->rec, CITECONV_VAR_NOTE, s, n, pos);
  }
  case RIS_A_NAME:
    return add_name(st, var, s, n, pos);
  case RIS_A_DATE:
  case RIS_A_DATE_PRIMARY:
    return set_date(st, var, tag, t->action == RIS_A_DATE_PRIMARY, s, n,
                    pos);
  case RIS_A_SP:
  case RIS_A_EP: {
    bool sp = t->action == RIS_A_SP;
    if (sp ? st->have_sp : st->have_ep)
      return add_extra(st, tag, s, n, pos);
    citeconv_buf_clear(sp ? &st->sp : &st->ep);
    if (citeconv_buf_add(sp ? &st->sp : &st->ep, s, n) == CITECONV_ENOMEM)
      return CITECONV_ENOMEM;
    if (sp) {
      st->have_sp = true;
      st->sp_pos = pos;
    } else {
      st->have_ep = true;
      st->ep_pos = pos;
    }
    return 0;
  }
  case RIS_A_SN: {
    /* Several SN (print and electronic ISSN, ISBNs of several bindings)
     * are one value, "0915-5287, 2187-5626", as CSL-JSON and Zotero hold
     * them; the writer gives each its SN back. */
    const citeconv_field *f;
    var = sn_var(s, n, st->groups);
    f = citeconv_record_field(st->rec, var);
    if (f && !id_listed(f->value, f->len, s, n)) {
      citeconv_buf b = CITECONV_BUF_INIT;
      citeconv_pos fpos = f->pos;
      rc = citeconv_buf_add(&b, f->value, f->len);
      if (rc == 0)
        rc = citeconv_buf_add(&b, ", ", 2);
      if (rc == 0)
        rc = citeconv_buf_add(&b, s, n);
      if (rc == 0)
        rc = citeconv_record_set_text(st->rec, var, b.data, b.len, fpos);
      citeconv_buf_free(&b);
      return rc == CITECONV_ELIMIT ? add_extra(st, tag, s, n, pos) : rc;
    }
    return set_single(st, var, tag, s, n, pos);
  }
  case RIS_A_DOI:
    if (!doi_of(s, n, &d, &dn))
      citeconv_reader_diag(&st->base, &pos, CITECONV_D_BAD_VALUE,
                           "'%.*s' does not look like a DOI (10.NNNN/...); "
                           "kept as it is",
                           (int)n, s);
    if (set_doi(st, d, dn, false, pos) == 1)
      return add_extra(st, tag, s, n, pos);
    return 0;
  case RIS_A_URL:
    if (doi_in_link(s, n, &d, &dn))
      rc = set_doi(st, d, dn, true, pos);
    if (rc < 0)
      return rc;
    return set_single(st, CITECONV_VAR_URL, tag, s, n, pos);
  case RIS_A_LINK:
    if (doi_in_link(s, n, &d, &dn) || doi_of(s, n, &d, &dn))
      rc = set_doi(st, d, dn, true, pos);
    if (rc < 0)
      return rc;
    return add_extra(st, tag, s, n, pos);
  case RIS_A_JO:
    /* Settled at the end of the record, when T2, JF, JA and J2 are
     * known. */
    if (st->have_jo)
      return add_extra(st, tag, s, n, pos);
    citeconv_buf_clear(&st->jo);
    if (citeconv_buf_add(&st->jo, s, n) == CITECONV_ENOMEM)
      return CITECONV_ENOMEM;
    st->have_jo = true;
    st->jo_pos = pos;
    return 0;
  case RIS_A_BT:
    if ((st->groups & RIS_G_BOOK) &&
        !citeconv_record_field(st->rec, CITECONV_VAR_TITLE))
      return citeconv_record_set_text(st->rec, CITECONV_VAR_TITLE, s, n, pos);
    return set_single(st, CITECONV_VAR_CONTAINER_TITLE, tag, s, n, pos);
  }
  return 0;
}

static int start_field(ris_reader *st, const char *tag, const char *v,
                       size_t n, citeconv_pos pos)
{
  size_t tl = 0;
  /* Tags are at most five characters: copied a byte at a time. */
  for (; tag[tl] && tl < sizeof st->tagname - 1; tl++)
    st->tagname[tl] = tag[tl];
  st->tagname[tl] = '\0';
  st->tag = citeconv_ris_tag_lookup(&st->tags, tag,
                                    tag[tl] ? strlen(tag) : tl);
  st->vpos = pos;
  st->open = true;
  st->blank_lines = 0;
  st->limit_hit = false;
  citeconv_buf_clear(&st->value);
  if (citeconv_buf_add(&st->value, v, n) == CITECONV_ELIMIT)
    st->limit_hit = true;
  else if (st->value.len < n)
    return CITECONV_ENOMEM;
  return 0;
}

/* A line with no tag inside a record continues the open field. */
static int continue_field(ris_reader *st, const char *s, size_t n,
                          citeconv_pos pos)
{
  ris_join join = st->tag ? st->tag->join : RIS_J_SPACE;
  int rc;
  if (join == RIS_J_SPLIT) {
    char tag[6];
    memcpy(tag, st->tagname, sizeof tag);
    rc = flush_field(st);
    if (rc < 0)
      return rc;
    return start_field(st, tag, s, n, pos);
  }
  if (st->value.len > 0) {
    if (join == RIS_J_NEWLINE) {
      rc = citeconv_buf_addc(&st->value, '\n');
      for (unsigned i = 0; rc == 0 && i < st->blank_lines; i++)
        rc = citeconv_buf_addc(&st->value, '\n');
    } else {
      rc = citeconv_buf_addc(&st->value, ' ');
    }
  } else {
    rc = 0;
    st->vpos = pos;
  }
  if (rc == 0)
    rc = citeconv_buf_add(&st->value, s, n);
  st->blank_lines = 0;
  if (rc == CITECONV_ELIMIT) {
    st->limit_hit = true;
    return 0;
  }
  return rc;
}

/* ---- records ---- */

static int begin_record(ris_reader *st, const char *type, size_t n,
                        citeconv_pos pos, bool has_ty)
{
  const ris_type *rt;
  int rc = citeconv_record_new(&st->rec);
  if (rc < 0)
    return rc;
  citeconv_record_set_origin(st->rec, st->base.file, pos);
  st->groups = 0;
  st->nnames = 0;
  st->any_field = false;
  st->doi_derived = false;
  st->issued_tag[0] = '\0';
  st->have_sp = st->have_ep = false;
  st->have_jo = false;
  st->open = false;
  st->rec_bytes = 0;
  st->npending = 0;
  st->nauthors = 0;
  st->last_author = -1;
  st->nads = 0;
  if (!has_ty) {
    citeconv_record_set_type(st->rec, CITECONV_TYPE_DOCUMENT);
    return 0;
  }
  rt = citeconv_ris_type_find(type, n);
  if (!rt) {
    citeconv_pos tp = pos;
    citeconv_record_set_type(st->rec, CITECONV_TYPE_DOCUMENT);
    if (n == 0) {
      citeconv_reader_diag(&st->base, &tp, CITECONV_D_UNKNOWN_TYPE,
                           "empty TY; the record is read as GEN (document)");
      return 0;
    }
    citeconv_reader_diag(&st->base, &tp, CITECONV_D_UNKNOWN_TYPE,
                         "unknown RIS type '%.*s'; read as GEN (document), "
                         "the type kept as 'ris:TY'",
                         (int)n, type);
    return citeconv_record_add_extra(st->rec, "ris:TY", type, n, pos);
  }
  st->groups = rt->groups;
  citeconv_record_set_type(st->rec, rt->csl);
  /* A second spelling of the CSL type (EBOOK, CONF...) is kept so that
   * RIS out gives the same TY back. */
  if (citeconv_ris_type_for_csl(rt->csl) != rt)
    return citeconv_record_add_extra(st->rec, "ris:TY", type, n, pos);
  return 0;
}

/* A name with what RIS writers put in front of an address ("D.G. Adler"
 * for "Adler, D.G."), without dots, spaces and hyphens; false when it
 * does not fit. */
static bool name_key(const citeconv_name *nm, char *key, size_t size)
{
  const char *parts[4];
  size_t k = 0, np = 0;
  if (nm->literal) {
    parts[np++] = nm->literal;
  } else {
    if (nm->given)
      parts[np++] = nm->given;
    if (nm->dropping_particle)
      parts[np++] = nm->dropping_particle;
    if (nm->non_dropping_particle)
      parts[np++] = nm->non_dropping_particle;
    if (nm->family)
      parts[np++] = nm->family;
  }
  for (size_t i = 0; i < np; i++)
    for (const char *p = parts[i]; *p; p++) {
      if (*p == '.' || *p == ' ' || *p == '-')
        continue;
      if (k + 1 >= size)
        return false;
      key[k++] = *p;
    }
  key[k] = '\0';
  return k > 0;
}

/* Append s[0..n) without dots, spaces and hyphens to key[*k]; false when
 * it does not fit. */
static bool key_add(char *key, size_t size, size_t *k, const char *s,
                    size_t n)
{
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '.' || s[i] == ' ' || s[i] == '-')
      continue;
    if (*k + 1 >= size)
      return false;
    key[(*k)++] = s[i];
  }
  key[*k] = '\0';
  return true;
}

/* The end of the part of v[0..n) that starts at `from` (its ", "), or
 * n. */
static size_t part_end(const char *v, size_t n, size_t from)
{
  while (from + 1 < n && !(v[from] == ',' && v[from + 1] == ' '))
    from++;
  return from + 1 < n ? from : n;
}

/* The author a line of an AD starts with, the last one first; -1 if none.
 * Embase and EndNote write the corresponding author's address as "M.A.
 * Eloubeidi, Endoscopic Ultrasound Program, ...", EBSCO as "Lieberz,
 * Jana, Research Section ...". *rest is where the address starts. */
static long named_author(ris_reader *st, const char *v, size_t n,
                         size_t *rest)
{
  char want[2][128], have[128];
  size_t starts[2] = {0, 0}, k;
  size_t c1 = part_end(v, n, 0), c2;
  int forms = 0;
  if (c1 == 0 || c1 + 2 >= n)
    return -1;
  /* "Given Family, address" */
  k = 0;
  if (key_add(want[0], sizeof want[0], &k, v, c1) && k > 0) {
    starts[0] = c1 + 2;
    forms = 1;
  }
  /* "Family, Given, address" */
  c2 = part_end(v, n, c1 + 2);
  k = 0;
  if (c2 + 2 < n && key_add(want[forms], sizeof want[0], &k, v + c1 + 2,
                            c2 - c1 - 2) &&
      key_add(want[forms], sizeof want[0], &k, v, c1) && k > 0) {
    starts[forms] = c2 + 2;
    forms++;
  }
  for (int f = 0; f < forms; f++) {
    size_t j = st->nauthors;
    for (size_t i = st->npending; i-- > 0;) {
      const citeconv_name *nm = &st->names[i];
      if (nm->role != CITECONV_VAR_AUTHOR)
        continue;
      j--;
      if (name_key(nm, have, sizeof have) && strcmp(want[f], have) == 0) {
        *rest = starts[f];
        return (long)j;
      }
    }
  }
  return -1;
}

/* The end of the piece of an AD that starts at p: a line, or a part
 * before "; " (RefWorks joins the addresses of several authors so). */
static size_t piece_end(const char *v, size_t n, size_t p, size_t *sep)
{
  for (size_t i = p; i < n; i++) {
    if (v[i] == '\n') {
      *sep = 1;
      return i;
    }
    if (v[i] == ';' && i + 1 < n && v[i + 1] == ' ') {
      *sep = 2;
      return i;
    }
  }
  *sep = 0;
  return n;
}

/* Whether an AD holds several addresses, each starting with an author's
 * name: EndNote puts them on lines of one AD, RefWorks between "; ". */
static bool pieces_named(ris_reader *st, const ris_ad *ad)
{
  size_t p = 0, rest, sep, pieces = 0;
  while (p < ad->len) {
    size_t e = piece_end(ad->value, ad->len, p, &sep);
    if (named_author(st, ad->value + p, e - p, &rest) < 0)
      return false;
    pieces++;
    p = e + sep;
    if (!sep)
      break;
  }
  return pieces > 1;
}

/* AD is the author's address. Whose, the file says in three ways: AD
 * lines after each author's AU (some authors have several), an AD that
 * starts with the author's name (Embase, EndNote), or a record with one
 * author. Addresses after the last of several authors (Scopus lists the
 * whole paper's there), or before the first (PubMed through EndNote),
 * say nothing of whose they are: they stay as 'ris:AD' extras. The names
 * go into the record here, with their affiliations. */
static int settle_names(ris_reader *st)
{
  citeconv_record *rec = st->rec;
  size_t k = st->nauthors, *count = NULL;
  const char ***affs = NULL;
  bool interleaved = false, by_name;
  int rc = 0;
  for (size_t i = 0; i < st->nads; i++)
    if (st->ads[i].anchor >= 0 && (size_t)st->ads[i].anchor + 1 < k)
      interleaved = true;
  by_name = st->nads * k <= MAX_AD_MATCHES;
  for (size_t i = 0; i < st->nads; i++) {
    ris_ad *ad = &st->ads[i];
    size_t rest = 0;
    long who;
    bool lines = memchr(ad->value, '\n', ad->len) != NULL;
    ad->split = false;
    if (ad->anchor >= 0 && (interleaved || k == 1)) {
      ad->owner = ad->anchor;
    } else if (by_name && pieces_named(st, ad)) {
      ad->split = true; /* each piece to its author, below */
    } else if (by_name && !lines &&
               (who = named_author(st, ad->value, ad->len, &rest)) >= 0) {
      ad->owner = who;
      ad->value += rest;
      ad->len -= rest;
    } else if (k == 1) {
      ad->owner = 0;
    }
  }
  if (k > 0 && st->nads > 0) {
    /* Each author's affiliations, in one pass over the addresses. */
    count = calloc(k, sizeof *count);
    affs = calloc(k, sizeof *affs);
    if (!count || !affs) {
      rc = CITECONV_ENOMEM;
      goto done;
    }
    for (int pass = 0; pass < 2 && rc == 0; pass++) {
      if (pass == 1)
        for (size_t a = 0; a < k; a++) {
          if (!count[a])
            continue;
          affs[a] = citeconv_record_alloc(rec, count[a] * sizeof *affs[a]);
          if (!affs[a]) {
            rc = CITECONV_ENOMEM;
            goto done;
          }
          count[a] = 0;
        }
      for (size_t i = 0; i < st->nads; i++) {
        const ris_ad *ad = &st->ads[i];
        size_t p = 0, rest = 0;
        if (!ad->split) {
          if (ad->owner < 0)
            continue;
          if (pass == 1)
            affs[ad->owner][count[ad->owner]] = ad->value;
          count[ad->owner]++;
          continue;
        }
        while (p < ad->len) {
          size_t sep, e = piece_end(ad->value, ad->len, p, &sep);
          long who = named_author(st, ad->value + p, e - p, &rest);
          if (pass == 1) {
            char *v = citeconv_record_strdup(rec, ad->value + p + rest,
                                             e - p - rest);
            if (!v) {
              rc = CITECONV_ENOMEM;
              goto done;
            }
            affs[who][count[who]] = v;
          }
          count[who]++;
          p = e + sep;
          if (!sep)
            break;
        }
      }
    }
  }
  for (size_t i = 0, a = 0; i < st->npending && rc == 0; i++) {
    citeconv_name *nm = &st->names[i];
    if (nm->role == CITECONV_VAR_AUTHOR) {
      if (affs && count[a]) {
        nm->affiliations = affs[a];
        nm->n_affiliations = count[a];
      }
      a++;
    }
    rc = citeconv_record_add_name(rec, nm);
  }
  for (size_t i = 0; i < st->nads && rc == 0; i++)
    if (st->ads[i].owner < 0 && !st->ads[i].split)
      rc = add_extra(st, "AD", st->ads[i].value, st->ads[i].len,
                     st->ads[i].pos);
done:
  free(count);
  free(affs);
  st->npending = 0;
  st->nads = 0;
  return rc;
}

/* Pages, then hand the record out. */
static int end_record(ris_reader *st, citeconv_record **out)
{
  int rc = flush_field(st);
  citeconv_record *rec = st->rec;
  if (rc == 0)
    rc = settle_names(st);
  if (rc < 0)
    return rc;
  if (st->have_sp || st->have_ep) {
    const char *sp = st->sp.data, *ep = st->ep.data;
    bool range = st->have_sp && (strchr(sp, '-') || strstr(sp, "\xE2\x80\x93"));
    if (st->have_sp && st->have_ep && !range) {
      citeconv_buf b = CITECONV_BUF_INIT;
      rc = citeconv_buf_adds(&b, sp);
      if (rc == 0)
        rc = citeconv_buf_addc(&b, '-');
      if (rc == 0)
        rc = citeconv_buf_adds(&b, ep);
      if (rc == 0)
        rc = citeconv_record_set_text(rec, CITECONV_VAR_PAGE, b.data, b.len,
                                      st->sp_pos);
      citeconv_buf_free(&b);
    } else {
      if (st->have_sp)
        rc = citeconv_record_set_text(rec, CITECONV_VAR_PAGE, sp,
                                      st->sp.len, st->sp_pos);
      if (rc == 0 && st->have_ep)
        rc = add_extra(st, "EP", ep, st->ep.len, st->ep_pos);
    }
    if (rc < 0)
      return rc;
  }
  if (st->have_jo) {
    /* JO: the journal's name when nothing else gives one, and its
     * abbreviation when no JA/J1/J2 does (Zotero reads it so); kept as an
     * extra when it says something else again. */
    const char *jo = st->jo.data;
    const citeconv_field *ct =
        citeconv_record_field(rec, CITECONV_VAR_CONTAINER_TITLE);
    const citeconv_field *ab =
        citeconv_record_field(rec, CITECONV_VAR_JOURNAL_ABBREVIATION);
    bool used = false;
    if (!ct) {
      rc = citeconv_record_set_text(rec, CITECONV_VAR_CONTAINER_TITLE, jo,
                                    st->jo.len, st->jo_pos);
      used = true;
    }
    if (rc == 0 && !ab) {
      rc = citeconv_record_set_text(rec, CITECONV_VAR_JOURNAL_ABBREVIATION,
                                    jo, st->jo.len, st->jo_pos);
      used = true;
    }
    if (rc == 0 && !used && strcmp(ct->value, jo) != 0 &&
        strcmp(ab->value, jo) != 0)
      rc = add_extra(st, "JO", jo, st->jo.len, st->jo_pos);
    if (rc < 0)
      return rc;
  }
  if (!citeconv_record_field(rec, CITECONV_VAR_CONTAINER_TITLE)) {
    /* Only JA/J1/J2 name the journal (Cochrane's exports): it is the
     * only name there is. */
    const citeconv_field *ab =
        citeconv_record_field(rec, CITECONV_VAR_JOURNAL_ABBREVIATION);
    if (ab)
      rc = citeconv_record_set_text(rec, CITECONV_VAR_CONTAINER_TITLE,
                                    ab->value, ab->len, ab->pos);
    if (rc < 0)
      return rc;
  }
  if (!st->any_field) {
    citeconv_pos p = citeconv_record_pos(rec);
    citeconv_reader_diag(&st->base, &p, CITECONV_D_EMPTY_RECORD,
                         "record with no fields besides TY");
  }
  st->rec = NULL;
  *out = rec;
  return 0;
}

static int ris_next(citeconv_record **out, citeconv_reader *r)
{
  ris_reader *st = (ris_reader *)r;
  bool outside_reported = false;
  int rc;
  *out = NULL;
  for (;;) {
    const char *s;
    size_t n, vstart;
    char tag[6];
    citeconv_pos pos;
    if (!st->replay) {
      if (st->eof)
        return CITECONV_END;
      rc = citeconv_linebuf_next(&st->line, st->base.in);
      if (rc == CITECONV_END) {
        st->eof = true;
        if (!st->rec)
          return CITECONV_END;
        pos.line = (uint32_t)st->line.lineno;
        pos.col = 1;
        {
          citeconv_pos rp = citeconv_record_pos(st->rec);
          citeconv_reader_diag(r, &rp, CITECONV_D_RIS_MISSING_ER,
                               "the file ends before this record's ER "
                               "line; the record is kept");
        }
        return end_record(st, out);
      }
      if (rc < 0)
        return rc;
      if (st->line.truncated) {
        pos.line = (uint32_t)st->line.lineno;
        pos.col = 1;
        citeconv_reader_diag(r, &pos, CITECONV_D_LIMIT,
                             "line longer than max-line-bytes (%zu); the "
                             "rest of it is skipped",
                             st->line.max);
      }
    }
    st->replay = false;
    s = st->line.data;
    n = st->line.len;
    if (st->rec) {
      st->rec_bytes += n + 1;
      if (st->rec_bytes > st->max_record) {
        citeconv_pos rp = citeconv_record_pos(st->rec);
        citeconv_reader_diag(r, &rp, CITECONV_D_LIMIT,
                             "record larger than max-record-bytes (%zu); "
                             "it is skipped",
                             st->max_record);
        citeconv_record_free(st->rec);
        st->rec = NULL;
        st->open = false;
        st->skipping = true;
      }
    }
    if (st->skipping) {
      if (parse_tag_line(s, n, tag, &vstart) &&
          (strcmp(tag, "ER") == 0 || strcmp(tag, "TY") == 0)) {
        st->skipping = false;
        if (strcmp(tag, "ER") == 0)
          continue;
      } else {
        continue;
      }
    }
    if (is_blank(s, n)) {
      if (st->rec && st->open)
        st->blank_lines++;
      continue;
    }
    if (parse_tag_line(s, n, tag, &vstart)) {
      const char *v = s + vstart;
      size_t vn = n - vstart;
      pos = value_pos(st, vstart);
      trim(&v, &vn);
      if (strcmp(tag, "TY") == 0) {
        citeconv_pos tp = pos_at(st, skip_bom_space(s, n, 0));
        if (st->rec) {
          citeconv_reader_diag(r, &tp, CITECONV_D_RIS_MISSING_ER,
                               "TY before the ER of the record above; that "
                               "record ends here");
          st->replay = true;
          return end_record(st, out);
        }
        rc = begin_record(st, v, vn, tp, true);
        if (rc < 0)
          return rc;
        continue;
      }
      if (strcmp(tag, "ER") == 0) {
        if (!st->rec) {
          citeconv_pos ep = pos_at(st, 0);
          citeconv_reader_diag(r, &ep, CITECONV_D_RIS_OUTSIDE,
                               "ER with no record open; skipped");
          continue;
        }
        if (vn > 0) {
          citeconv_reader_diag(r, &pos, CITECONV_D_RIS_OUTSIDE,
                               "text after ER ('%.*s') skipped", (int)vn, v);
        }
        return end_record(st, out);
      }
      if (!st->rec) {
        citeconv_pos tp = pos_at(st, 0);
        citeconv_reader_diag(r, &tp, CITECONV_D_RIS_NO_TY,
                             "record starts with %s, not TY; read as GEN "
                             "(document)",
                             tag);
        rc = begin_record(st, NULL, 0, tp, false);
        if (rc < 0)
          return rc;
      }
      rc = flush_field(st);
      if (rc < 0)
        return rc;
      rc = start_field(st, tag, v, vn, pos);
      if (rc < 0)
        return rc;
      continue;
    }
    /* A line with no tag. */
    if (!st->rec) {
      if (!outside_reported) {
        citeconv_pos op = pos_at(st, 0);
        size_t shown = n > 60 ? 60 : n;
        while (shown < n && shown > 0 &&
               ((unsigned char)s[shown] & 0xC0) == 0x80)
          shown--;
        citeconv_reader_diag(r, &op, CITECONV_D_RIS_OUTSIDE,
                             "text outside a record skipped: '%.*s%s'",
                             (int)shown, s, shown < n ? "..." : "");
        outside_reported = true;
      }
      continue;
    }
    outside_reported = false;
    {
      size_t i = skip_bom_space(s, n, 0);
      const char *v = s + i;
      size_t vn = n - i;
      pos = pos_at(st, i);
      trim(&v, &vn);
      if (!st->open) {
        citeconv_reader_diag(r, &pos, CITECONV_D_SYNTAX,
                             "line with no tag and no field to continue: "
                             "'%.*s'; kept as a note",
                             (int)(vn > 60 ? 60 : vn), v);
        rc = start_field(st, "N1", v, vn, pos);
      } else {
        rc = continue_field(st, v, vn, pos);
      }
      if (rc < 0)
        return rc;
    }
  }
}

static void ris_close(citeconv_reader *r)
{
  ris_reader *st = (ris_reader *)r;
  if (!st)
    return;
  citeconv_record_free(st->rec);
  citeconv_linebuf_free(&st->line);
  citeconv_buf_free(&st->value);
  citeconv_buf_free(&st->sp);
  citeconv_buf_free(&st->ep);
  citeconv_buf_free(&st->issued_text);
  citeconv_buf_free(&st->jo);
  free(st->names);
  free(st->ads);
  free(st);
}

static int ris_open(citeconv_reader **out, citeconv_session *s,
                    citeconv_input *in)
{
  ris_reader *st;
  int rc;
  *out = NULL;
  rc = citeconv_charset_decode(in, s, NULL);
  if (rc < 0)
    return rc;
  st = calloc(1, sizeof(*st));
  if (!st)
    return CITECONV_ENOMEM;
  citeconv_reader_init(&st->base, &citeconv_format_ris, s, in);
  citeconv_linebuf_init(&st->line,
                        citeconv_session_option_size(s, "max-line-bytes"));
  st->max_field = citeconv_session_option_size(s, "max-field-bytes");
  st->max_names = citeconv_session_option_size(s, "max-names");
  st->max_record = citeconv_session_option_size(s, "max-record-bytes");
  st->value.max = st->max_field;
  citeconv_ris_tag_index_build(&st->tags);
  *out = &st->base;
  return 0;
}

/* RIS if a line near the start is "TY  - " (BOM, blank lines and export
 * headers allowed before it); UTF-16 is looked at through its low bytes. */
static int ris_detect(const unsigned char *head, size_t len)
{
  char buf[4096];
  size_t n = 0, i = 0, step = 1;
  if (len >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) ||
                   (head[0] == 0xFE && head[1] == 0xFF))) {
    step = 2;
    i = head[0] == 0xFF ? 2 : 3;
  }
  for (; i < len && n < sizeof buf; i += step)
    buf[n++] = (char)head[i];
  for (size_t p = 0; p < n;) {
    size_t e = p, vs;
    char tag[6];
    while (e < n && buf[e] != '\n' && buf[e] != '\r')
      e++;
    if (parse_tag_line(buf + p, e - p, tag, &vs) && strcmp(tag, "TY") == 0)
      return p < 1024 ? 90 : 70;
    p = e + 1;
  }
  return 0;
}

const citeconv_format citeconv_format_ris = {
    .name = "ris",
    .summary = "RIS tagged text (EndNote, Zotero, Mendeley, PubMed, Scopus, "
               "Web of Science...)",
    .detect = ris_detect,
    .open = ris_open,
    .next = ris_next,
    .close = ris_close,
    .begin = citeconv_ris_write_begin,
    .record = citeconv_ris_write_record,
    .end = citeconv_ris_write_end,
    .free = citeconv_ris_write_free,
};
