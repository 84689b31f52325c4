/* BibTeX/BibLaTeX entry types and fields to CSL, as data; dates and
 * months. The type mapping follows pandoc's citeproc BibTeX reader and
 * Zotero's BibTeX translator where they agree. */
#include <stdlib.h>
#include <string.h>

#include "bibtex.h"

#define V(x) CITECONV_VAR_##x
#define K(x) CITECONV_BIBTEX_K_##x

static const citeconv_bibtex_field_map fields[] = {
    {"title", V(TITLE), K(SPECIAL)},
    {"subtitle", V(TITLE), K(SPECIAL)},
    {"titleaddon", V(TITLE), K(SPECIAL)},
    {"shorttitle", V(TITLE_SHORT), K(TITLE)},
    {"origtitle", V(ORIGINAL_TITLE), K(TITLE)},
    {"journal", V(CONTAINER_TITLE), K(SPECIAL)},
    {"journaltitle", V(CONTAINER_TITLE), K(SPECIAL)},
    {"booktitle", V(CONTAINER_TITLE), K(SPECIAL)},
    {"maintitle", V(VOLUME_TITLE), K(SPECIAL)},
    {"shortjournal", V(CONTAINER_TITLE_SHORT), K(TEXT)},
    {"journalabbr", V(JOURNAL_ABBREVIATION), K(TEXT)},
    {"series", V(COLLECTION_TITLE), K(TITLE)},
    {"eventtitle", V(EVENT_TITLE), K(TITLE)},
    {"venue", V(EVENT_PLACE), K(TEXT)},
    {"author", V(AUTHOR), K(NAMES)},
    {"editor", V(EDITOR), K(NAMES)},
    {"translator", V(TRANSLATOR), K(NAMES)},
    {"bookauthor", V(CONTAINER_AUTHOR), K(NAMES)},
    {"year", V(ISSUED), K(SPECIAL)},
    {"month", V(ISSUED), K(SPECIAL)},
    {"day", V(ISSUED), K(SPECIAL)},
    {"date", V(ISSUED), K(DATE)},
    {"urldate", V(ACCESSED), K(DATE)},
    {"eventdate", V(EVENT_DATE), K(DATE)},
    {"origdate", V(ORIGINAL_DATE), K(DATE)},
    {"volume", V(VOLUME), K(TEXT)},
    {"volumes", V(NUMBER_OF_VOLUMES), K(TEXT)},
    {"number", V(NUMBER), K(SPECIAL)},
    {"issue", V(ISSUE), K(TEXT)},
    {"pages", V(PAGE), K(PAGES)},
    {"pagetotal", V(NUMBER_OF_PAGES), K(TEXT)},
    {"chapter", V(CHAPTER_NUMBER), K(TEXT)},
    {"edition", V(EDITION), K(TEXT)},
    {"version", V(VERSION), K(TEXT)},
    {"publisher", V(PUBLISHER), K(SPECIAL)},
    {"school", V(PUBLISHER), K(SPECIAL)},
    {"institution", V(PUBLISHER), K(SPECIAL)},
    {"organization", V(PUBLISHER), K(SPECIAL)},
    {"address", V(PUBLISHER_PLACE), K(SPECIAL)},
    {"location", V(PUBLISHER_PLACE), K(SPECIAL)},
    {"doi", V(DOI), K(VERBATIM)},
    {"url", V(URL), K(VERBATIM)},
    {"isbn", V(ISBN), K(TEXT)},
    {"issn", V(ISSN), K(TEXT)},
    {"pmid", V(PMID), K(TEXT)},
    {"pmcid", V(PMCID), K(TEXT)},
    {"note", V(NOTE), K(TEXT)},
    {"annote", V(ANNOTE), K(TEXT)},
    {"annotation", V(ANNOTE), K(TEXT)},
    {"abstract", V(ABSTRACT), K(TEXT)},
    {"keywords", V(KEYWORD), K(KEYWORDS)},
    {"language", V(LANGUAGE), K(TEXT)},
    {"type", V(GENRE), K(TEXT)},
    {"eprint", V(NONE), K(SPECIAL)},
    {"howpublished", V(NONE), K(SPECIAL)},
    {NULL, V(NONE), K(TEXT)}};

const citeconv_bibtex_field_map *citeconv_bibtex_field_find(const char *name)
{
  /* The first letter before the whole name: most entries differ there. */
  for (const citeconv_bibtex_field_map *f = fields; f->name; f++)
    if (f->name[0] == name[0] && strcmp(f->name, name) == 0)
      return f;
  return NULL;
}

#define T(x) CITECONV_TYPE_##x

typedef struct {
  const char *name;
  citeconv_type type;
} type_map;

static const type_map types[] = {
    {"article", T(ARTICLE_JOURNAL)},
    {"book", T(BOOK)},
    {"booklet", T(PAMPHLET)},
    {"bookinbook", T(CHAPTER)},
    {"collection", T(BOOK)},
    {"conference", T(PAPER_CONFERENCE)},
    {"dataset", T(DATASET)},
    {"electronic", T(WEBPAGE)},
    {"inbook", T(CHAPTER)},
    {"incollection", T(CHAPTER)},
    {"inproceedings", T(PAPER_CONFERENCE)},
    {"inreference", T(ENTRY_ENCYCLOPEDIA)},
    {"manual", T(BOOK)},
    {"mastersthesis", T(THESIS)},
    {"misc", T(DOCUMENT)},
    {"mvbook", T(BOOK)},
    {"mvcollection", T(BOOK)},
    {"mvproceedings", T(BOOK)},
    {"mvreference", T(BOOK)},
    {"online", T(WEBPAGE)},
    {"patent", T(PATENT)},
    {"periodical", T(PERIODICAL)},
    {"phdthesis", T(THESIS)},
    {"proceedings", T(BOOK)},
    {"reference", T(BOOK)},
    {"report", T(REPORT)},
    {"software", T(SOFTWARE)},
    {"suppbook", T(CHAPTER)},
    {"suppcollection", T(CHAPTER)},
    {"suppperiodical", T(ARTICLE_JOURNAL)},
    {"techreport", T(REPORT)},
    {"thesis", T(THESIS)},
    {"unpublished", T(MANUSCRIPT)},
    {"www", T(WEBPAGE)},
    {"artwork", T(GRAPHIC)},
    {"audio", T(SONG)},
    {"commentary", T(BOOK)},
    {"image", T(GRAPHIC)},
    {"jurisdiction", T(LEGAL_CASE)},
    {"legislation", T(LEGISLATION)},
    {"legal", T(TREATY)},
    {"letter", T(PERSONAL_COMMUNICATION)},
    {"movie", T(MOTION_PICTURE)},
    {"music", T(SONG)},
    {"performance", T(PERFORMANCE)},
    {"review", T(REVIEW)},
    {"standard", T(STANDARD)},
    {"video", T(MOTION_PICTURE)},
    {"data", T(DATASET)},
    {"newsarticle", T(ARTICLE_NEWSPAPER)},
    {"set", T(DOCUMENT)},
    {"xdata", T(DOCUMENT)},
    {NULL, T(DOCUMENT)}};

citeconv_type citeconv_bibtex_type_find(const char *name, bool *known)
{
  for (const type_map *t = types; t->name; t++)
    if (t->name[0] == name[0] && strcmp(t->name, name) == 0) {
      *known = true;
      return t->type;
    }
  *known = false;
  return T(DOCUMENT);
}

const char *citeconv_bibtex_type_for(citeconv_type t, bool biblatex,
                                     const char *genre, bool has_container)
{
  switch (t) {
  case T(ARTICLE):
  case T(ARTICLE_JOURNAL):
  case T(ARTICLE_MAGAZINE):
  case T(ARTICLE_NEWSPAPER):
  case T(REVIEW):
  case T(REVIEW_BOOK):
    return "article";
  case T(BOOK):
  case T(CLASSIC):
    return "book";
  case T(CHAPTER):
  case T(ENTRY):
  case T(ENTRY_DICTIONARY):
  case T(ENTRY_ENCYCLOPEDIA):
    if (biblatex)
      return has_container ? "incollection" : "inbook";
    return has_container ? "incollection" : "inbook";
  case T(PAPER_CONFERENCE):
    return "inproceedings";
  case T(THESIS):
    if (genre && (strstr(genre, "aster") || strstr(genre, "MA ") ||
                  strstr(genre, "M.A.") || strstr(genre, "MSc")))
      return "mastersthesis";
    if (biblatex && !(genre && (strstr(genre, "PhD") ||
                                strstr(genre, "Ph.D") ||
                                strstr(genre, "octor"))))
      return "thesis";
    return "phdthesis";
  case T(REPORT):
    return biblatex ? "report" : "techreport";
  case T(MANUSCRIPT):
    return "unpublished";
  case T(PAMPHLET):
    return "booklet";
  case T(WEBPAGE):
  case T(POST):
  case T(POST_WEBLOG):
    return biblatex ? "online" : "misc";
  case T(DATASET):
    return biblatex ? "dataset" : "misc";
  case T(SOFTWARE):
    return biblatex ? "software" : "misc";
  case T(PATENT):
    return biblatex ? "patent" : "misc";
  case T(PERIODICAL):
    return biblatex ? "periodical" : "misc";
  case T(LEGISLATION):
    return biblatex ? "legislation" : "misc";
  case T(LEGAL_CASE):
    return biblatex ? "jurisdiction" : "misc";
  case T(STANDARD):
    return biblatex ? "standard" : "misc";
  case T(MOTION_PICTURE):
    return biblatex ? "movie" : "misc";
  case T(SONG):
    return biblatex ? "music" : "misc";
  case T(GRAPHIC):
    return biblatex ? "artwork" : "misc";
  case T(PERSONAL_COMMUNICATION):
    return biblatex ? "letter" : "misc";
  case T(PERFORMANCE):
    return biblatex ? "performance" : "misc";
  case T(TREATY):
    return biblatex ? "legal" : "misc";
  default:
    return "misc";
  }
}

/* ---- dates -------------------------------------------------------------- */

static bool digits(const char *s, size_t n, size_t min, size_t max)
{
  if (n < min || n > max)
    return false;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

static int num(const char *s, size_t n)
{
  int v = 0;
  for (size_t i = 0; i < n && v < 100000000; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

/* One EDTF date "[-]YYYY[-MM[-DD]]" with optional qualifiers; 0 fields
 * when empty or "..". Returns false when malformed. */
static bool one_date(const char *s, size_t n, int *y, int *m, int *d,
                     int *season, bool *circa)
{
  size_t i = 0, j;
  bool neg = false;
  *y = *m = *d = *season = 0;
  while (n > 0 && (s[n - 1] == '~' || s[n - 1] == '?' || s[n - 1] == '%')) {
    *circa = true;
    n--;
  }
  if (n == 0 || (n == 2 && s[0] == '.' && s[1] == '.'))
    return true;
  /* A time of day is not kept. */
  for (j = 0; j < n; j++)
    if (s[j] == 'T') {
      n = j;
      break;
    }
  /* EDTF long years: "Y170000002", "Y-51234" */
  if ((s[0] == 'Y' || s[0] == 'y') && n > 1) {
    size_t k = s[1] == '-' ? 2 : 1;
    if (!digits(s + k, n - k, 5, 9))
      return false;
    *y = num(s + k, n - k);
    if (k == 2)
      *y = -*y;
    return true;
  }
  if (s[0] == '-') {
    neg = true;
    i = 1;
  }
  for (j = i; j < n && s[j] != '-'; j++)
    ;
  if (!digits(s + i, j - i, 1, 5))
    return false;
  *y = num(s + i, j - i);
  if (neg)
    *y = -*y;
  if (j == n)
    return true;
  i = j + 1;
  for (j = i; j < n && s[j] != '-'; j++)
    ;
  if (!digits(s + i, j - i, 1, 2))
    return false;
  *m = num(s + i, j - i);
  if (*m >= 21 && *m <= 24) {
    *season = *m - 20;
    *m = 0;
  } else if (*m < 1 || *m > 12) {
    return false;
  }
  if (j == n)
    return true;
  i = j + 1;
  if (!digits(s + i, n - i, 1, 2))
    return false;
  *d = num(s + i, n - i);
  return *d >= 1 && *d <= 31;
}

/* EDTF unspecified digits ("199u", "19XX", "1999-uu"): a year with them
 * becomes the range of years it allows; an unspecified month or day is
 * left out. Writes the rewritten date to out (at most cap bytes); false
 * when it does not fit. */
static bool unspecified(const char *s, size_t n, char *out, size_t cap)
{
  size_t i = 0, k = 0, ylen;
  bool any = false;
  for (size_t j = 0; j < n; j++)
    if (s[j] == 'u' || s[j] == 'X' || s[j] == 'x')
      any = true;
  if (!any || memchr(s, '/', n) || n + 8 > cap)
    return false;
  if (s[0] == '-')
    return false;
  while (i < n && s[i] != '-')
    i++;
  ylen = i;
  if (2 * ylen + 2 > cap || ylen > 5)
    return false;
  /* month or day unspecified: cut there */
  for (size_t j = ylen; j < n; j++)
    if (s[j] == 'u' || s[j] == 'X' || s[j] == 'x') {
      n = j > 0 && s[j - 1] == '-' ? j - 1 : j;
      break;
    }
  any = false;
  for (size_t j = 0; j < ylen && j < n; j++)
    if (s[j] == 'u' || s[j] == 'X' || s[j] == 'x')
      any = true;
  if (!any) {
    memcpy(out, s, n);
    out[n] = '\0';
    return true;
  }
  for (size_t j = 0; j < ylen; j++)
    out[k++] = (s[j] == 'u' || s[j] == 'X' || s[j] == 'x') ? '0' : s[j];
  out[k++] = '/';
  for (size_t j = 0; j < ylen; j++)
    out[k++] = (s[j] == 'u' || s[j] == 'X' || s[j] == 'x') ? '9' : s[j];
  out[k] = '\0';
  return true;
}

bool citeconv_bibtex_parse_date(const char *s, size_t n, citeconv_date *d)
{
  size_t slash = n;
  int season = 0;
  char buf[64];
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n'))
    n--;
  while (n > 0 && *s == ' ') {
    s++;
    n--;
  }
  if (n == 0)
    return false;
  if (unspecified(s, n, buf, sizeof(buf))) {
    s = buf;
    n = strlen(buf);
  }
  slash = n;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '/') {
      slash = i;
      break;
    }
  if (!one_date(s, slash, &d->year, &d->month, &d->day, &d->season,
                &d->circa))
    return false;
  if (slash < n) {
    if (!one_date(s + slash + 1, n - slash - 1, &d->end_year, &d->end_month,
                  &d->end_day, &season, &d->circa))
      return false;
    d->end_season = season;
    if (d->end_year == 0 && (d->end_month || d->end_season))
      d->end_year = d->year;
  }
  return d->year != 0 || d->end_year != 0;
}

int citeconv_bibtex_parse_month(const char *s, size_t n)
{
  static const char *const names[] = {
      "jan", "feb", "mar", "apr", "may", "jun",
      "jul", "aug", "sep", "oct", "nov", "dec"};
  static const char *const seasons[] = {"spring", "summer", "autumn",
                                        "winter", "fall"};
  char low[16];
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '.'))
    n--;
  while (n > 0 && *s == ' ') {
    s++;
    n--;
  }
  if (digits(s, n, 1, 2)) {
    int m = num(s, n);
    return (m >= 1 && m <= 12) || (m >= 21 && m <= 24) ? m : 0;
  }
  if (n < 3 || n >= sizeof(low))
    return 0;
  for (size_t i = 0; i < n; i++)
    low[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
  low[n] = '\0';
  for (int i = 0; i < 12; i++) {
    static const char *const full[] = {
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december"};
    if ((n == 3 && memcmp(low, names[i], 3) == 0) || strcmp(low, full[i]) == 0 ||
        (n == 4 && memcmp(low, "sept", 4) == 0 && i == 8))
      return i + 1;
  }
  for (int i = 0; i < 5; i++)
    if (strcmp(low, seasons[i]) == 0)
      return 21 + (i == 4 ? 2 : i);
  return 0;
}

bool citeconv_bibtex_is_verbatim(const char *name)
{
  static const char *const names[] = {
      "file",  "pdf",      "local-url", "urlraw", "verba",     "verbb",
      "verbc", "eprint",   "crossref",  "xref",   "ids",       "groups",
      "timestamp", "owner", "mendeley-groups", "entrytype", NULL};
  for (size_t i = 0; names[i]; i++)
    if (names[i][0] == name[0] && strcmp(names[i], name) == 0)
      return true;
  return strncmp(name, "bdsk-", 5) == 0;
}
