/* MEDLINE (nbib) writer: tags in the order PubMed exports them, values
 * wrapped with six-space continuation lines, a blank line between
 * records. Extras "medline:TAG" go back under their tag. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "medline.h"
#include "nlmdate.h"
#include "pages.h"
#include "text.h"

#define WIDTH 81 /* characters of value per line, as PubMed wraps */

typedef struct {
  citeconv_writer base;
  citeconv_buf tmp;
  uint64_t has; /* bit t: the record has an extra "medline:" tag t */
} ml_writer;

/* PubMed's export order. Tags not listed come before SO, which is last.
 * A tag is a bit of ml_writer.has. */
enum {
  T_PMID, T_OWN, T_STAT, T_DA, T_DCOM, T_LR, T_PUBM, T_IS, T_VI, T_IP, T_DP,
  T_TI, T_BTI, T_CTI, T_VTI, T_PG, T_LID, T_AB, T_CI, T_FAU, T_AU, T_AUID,
  T_AD, T_CN, T_FED, T_ED, T_LA, T_GR, T_PT, T_TT, T_DEP, T_PL, T_PB, T_EN,
  T_ISBN, T_TA, T_JT, T_JID, T_RN, T_SB, T_MH, T_PMC, T_MID, T_OID, T_OTO,
  T_OT, T_GN, T_COIS, T_EDAT, T_MHDA, T_CRDT, T_PHST, T_AID, T_PST,
  T_SO, /* not in the order: after the tags it does not list */
  T__COUNT
};

static const char *const tag_name[T__COUNT] = {
    [T_PMID] = "PMID", [T_OWN] = "OWN",   [T_STAT] = "STAT", [T_DA] = "DA",
    [T_DCOM] = "DCOM", [T_LR] = "LR",     [T_PUBM] = "PUBM", [T_IS] = "IS",
    [T_VI] = "VI",     [T_IP] = "IP",     [T_DP] = "DP",     [T_TI] = "TI",
    [T_BTI] = "BTI",   [T_CTI] = "CTI",   [T_VTI] = "VTI",   [T_PG] = "PG",
    [T_LID] = "LID",   [T_AB] = "AB",     [T_CI] = "CI",     [T_FAU] = "FAU",
    [T_AU] = "AU",     [T_AUID] = "AUID", [T_AD] = "AD",     [T_CN] = "CN",
    [T_FED] = "FED",   [T_ED] = "ED",     [T_LA] = "LA",     [T_GR] = "GR",
    [T_PT] = "PT",     [T_TT] = "TT",     [T_DEP] = "DEP",   [T_PL] = "PL",
    [T_PB] = "PB",     [T_EN] = "EN",     [T_ISBN] = "ISBN", [T_TA] = "TA",
    [T_JT] = "JT",     [T_JID] = "JID",   [T_RN] = "RN",     [T_SB] = "SB",
    [T_MH] = "MH",     [T_PMC] = "PMC",   [T_MID] = "MID",   [T_OID] = "OID",
    [T_OTO] = "OTO",   [T_OT] = "OT",     [T_GN] = "GN",     [T_COIS] = "COIS",
    [T_EDAT] = "EDAT", [T_MHDA] = "MHDA", [T_CRDT] = "CRDT", [T_PHST] = "PHST",
    [T_AID] = "AID",   [T_PST] = "PST",   [T_SO] = "SO"};

_Static_assert(T__COUNT <= 64, "a tag is a bit of a 64-bit mask");

/* The tag named S, or T__COUNT for one we do not know. */
static int tag_of(const char *s)
{
  for (int t = 0; t < T__COUNT; t++)
    if (tag_name[t][0] == s[0] && strcmp(tag_name[t], s) == 0)
      return t;
  return T__COUNT;
}

/* "TAG - ": the tag, padded to four characters. */
static void put_tag(citeconv_output *o, const char *tag)
{
  size_t n = strlen(tag);
  citeconv_out_write(o, tag, n);
  citeconv_out_write(o, "    ", n < 4 ? 4 - n : 0);
  citeconv_out_write(o, "- ", 2);
}

/* S[0..N) with its line ends as spaces. */
static void put_flat(citeconv_output *o, const char *s, size_t n)
{
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && s[j] != '\n' && s[j] != '\r')
      j++;
    citeconv_out_write(o, s + i, j - i);
    if (j < n)
      citeconv_out_putc(o, ' ');
    i = j + 1;
  }
}

static void line(citeconv_output *o, const char *tag, const char *v,
                 size_t n)
{
  size_t start = 0;
  bool first = true;
  while (n && (v[n - 1] == ' ' || v[n - 1] == '\n'))
    n--;
  if (n == 0)
    return;
  do {
    size_t end = start, chars = 0, brk = 0;
    /* Take up to WIDTH characters, breaking at the last space. */
    while (end < n && chars < WIDTH) {
      if (v[end] == ' ')
        brk = end;
      if (((unsigned char)v[end] & 0xC0) != 0x80)
        chars++;
      end++;
    }
    while (end < n && ((unsigned char)v[end] & 0xC0) == 0x80)
      end++;
    if (end < n && brk > start && v[end] != ' ')
      end = brk;
    if (first)
      put_tag(o, tag);
    else
      citeconv_out_write(o, "      ", 6);
    put_flat(o, v + start, end - start);
    citeconv_out_putc(o, '\n');
    first = false;
    start = end;
    while (start < n && v[start] == ' ')
      start++;
  } while (start < n);
}

static void plain(ml_writer *st, const char *tag, const char *v)
{
  if (!v)
    return;
  citeconv_buf_clear(&st->tmp);
  citeconv_text_strip_markup(&st->tmp, v, strlen(v));
  line(st->base.out, tag, st->tmp.data ? st->tmp.data : "", st->tmp.len);
}

#define ML_PREFIX_LEN (sizeof(ML_PREFIX) - 1)

static bool has_extra(const ml_writer *st, int t)
{
  return (st->has >> t) & 1;
}

/* The record's extras "medline:TAG", each as a line. */
static void extras(ml_writer *st, const citeconv_record *rec, int t)
{
  if (!has_extra(st, t))
    return;
  for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    if (strncmp(e->name, ML_PREFIX, ML_PREFIX_LEN) == 0 &&
        strcmp(e->name + ML_PREFIX_LEN, tag_name[t]) == 0)
      line(st->base.out, tag_name[t], e->value, strlen(e->value));
  }
}

static void each(ml_writer *st, const citeconv_record *rec, citeconv_var var,
                 const char *tag)
{
  for (size_t i = 0; i < citeconv_record_field_count(rec); i++) {
    const citeconv_field *f = citeconv_record_field_at(rec, i);
    if (f->var == var)
      plain(st, tag, f->value);
  }
}

static void date(ml_writer *st, const citeconv_date *d)
{
  citeconv_buf *b = &st->tmp;
  if (!d)
    return;
  citeconv_buf_clear(b);
  if (d->raw || d->literal) {
    citeconv_buf_adds(b, d->raw ? d->raw : d->literal);
  } else {
    if (d->year)
      citeconv_buf_printf(b, "%d", d->year);
    if (d->month)
      citeconv_buf_printf(b, " %s", citeconv_nlmdate_month_abbr(d->month));
    else if (d->season)
      citeconv_buf_printf(b, " %s", citeconv_nlmdate_season_name(d->season));
    if (d->month && d->day)
      citeconv_buf_printf(b, " %d", d->day);
    if (d->end_year || d->end_month || d->end_day || d->end_season) {
      citeconv_buf_addc(b, '-');
      if (d->end_year && d->end_year != d->year)
        citeconv_buf_printf(b, "%d ", d->end_year);
      if (d->end_month)
        citeconv_buf_printf(b, "%s ",
                            citeconv_nlmdate_month_abbr(d->end_month));
      else if (d->end_season)
        citeconv_buf_printf(b, "%s ",
                            citeconv_nlmdate_season_name(d->end_season));
      if (d->end_day)
        citeconv_buf_printf(b, "%d ", d->end_day);
      if (b->len && b->data[b->len - 1] == ' ')
        b->data[--b->len] = '\0';
    }
  }
  line(st->base.out, "DP", b->data ? b->data : "", b->len);
}

static void initials_of(citeconv_buf *b, const char *given)
{
  bool start = true;
  for (const char *p = given; *p; p++) {
    if (*p == ' ' || *p == '-' || *p == '.') {
      start = true;
      continue;
    }
    if (start) {
      size_t adv;
      citeconv_utf8_decode((const unsigned char *)p, strlen(p), &adv);
      citeconv_buf_add(b, p, adv);
      p += adv - 1;
      start = false;
    }
  }
}

static void names(ml_writer *st, const citeconv_record *rec,
                  citeconv_var role, const char *full, const char *shrt)
{
  citeconv_output *o = st->base.out;
  for (size_t i = 0; i < citeconv_record_name_count(rec); i++) {
    const citeconv_name *n = citeconv_record_name_at(rec, i);
    citeconv_buf *b = &st->tmp;
    if (n->role != role)
      continue;
    if (n->literal || !n->family) {
      plain(st, role == CITECONV_VAR_AUTHOR ? "CN" : full,
            n->literal ? n->literal : n->given);
    } else {
      citeconv_buf_clear(b);
      if (n->non_dropping_particle) {
        citeconv_buf_adds(b, n->non_dropping_particle);
        citeconv_buf_addc(b, ' ');
      }
      citeconv_buf_adds(b, n->family);
      if (n->given) {
        citeconv_buf_adds(b, ", ");
        citeconv_buf_adds(b, n->given);
      }
      if (n->dropping_particle) {
        citeconv_buf_adds(b, n->given ? " " : ", ");
        citeconv_buf_adds(b, n->dropping_particle);
      }
      if (n->suffix) {
        citeconv_buf_addc(b, ' ');
        citeconv_buf_adds(b, n->suffix);
      }
      line(o, full, b->data, b->len);
      citeconv_buf_clear(b);
      if (n->non_dropping_particle) {
        citeconv_buf_adds(b, n->non_dropping_particle);
        citeconv_buf_addc(b, ' ');
      }
      citeconv_buf_adds(b, n->family);
      if (n->given) {
        size_t at = b->len;
        citeconv_buf_addc(b, ' ');
        initials_of(b, n->given);
        /* PubMed's AU keeps two initials ("Saqi MA" for Mansoor A S). */
        if (b->len > at + 3 && citeconv_utf8_count(b->data + at + 1,
                                                   b->len - at - 1) > 2) {
          size_t keep = at + 1, k = 0;
          while (keep < b->len && k < 2) {
            size_t adv;
            citeconv_utf8_decode((const unsigned char *)b->data + keep,
                                 b->len - keep, &adv);
            keep += adv;
            k++;
          }
          b->len = keep;
          b->data[keep] = '\0';
        }
      }
      line(o, shrt, b->data, b->len);
    }
    if (n->orcid) {
      citeconv_buf_clear(b);
      citeconv_buf_adds(b, "ORCID: ");
      citeconv_buf_adds(b, n->orcid);
      line(o, "AUID", b->data, b->len);
    }
    for (size_t k = 0; k < n->n_affiliations; k++)
      plain(st, "AD", n->affiliations[k]);
  }
}

/* ---- PubMed XML elements kept verbatim by the pubmed-xml reader ---- */

#define PX "pubmed-xml:"

/* The next element NAME in the XML text S from *AT: its attributes
 * (raw) and content (entities decoded, child elements left as they are).
 * The text is what the pubmed-xml reader wrote, so a simple scan does. */
static bool xml_next(const char *s, size_t *at, const char *name,
                     citeconv_buf *attrs, citeconv_buf *content)
{
  size_t nl = strlen(name);
  const char *p = s + *at;
  while ((p = strchr(p, '<')) != NULL) {
    const char *q, *end;
    if (strncmp(p + 1, name, nl) != 0 ||
        (p[1 + nl] != '>' && p[1 + nl] != ' ' && p[1 + nl] != '/')) {
      p++;
      continue;
    }
    q = strchr(p, '>');
    if (!q)
      return false;
    if (attrs) {
      citeconv_buf_clear(attrs);
      citeconv_buf_add(attrs, p + 1 + nl, (size_t)(q - p - 1 - nl));
    }
    citeconv_buf_clear(content);
    if (q[-1] == '/') {
      *at = (size_t)(q + 1 - s);
      return true;
    }
    end = strstr(q + 1, "</");
    while (end && (strncmp(end + 2, name, nl) != 0 || end[2 + nl] != '>'))
      end = strstr(end + 2, "</");
    if (!end)
      return false;
    for (const char *c = q + 1; c < end; c++) {
      static const struct { const char *ent; char ch; } ents[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'},
          {"&apos;", '\''}, {NULL, 0}};
      bool done = false;
      for (size_t k = 0; *c == '&' && ents[k].ent && !done; k++) {
        size_t el = strlen(ents[k].ent);
        if ((size_t)(end - c) >= el && strncmp(c, ents[k].ent, el) == 0) {
          citeconv_buf_addc(content, ents[k].ch);
          c += el - 1;
          done = true;
        }
      }
      if (!done)
        citeconv_buf_addc(content, *c);
    }
    *at = (size_t)(end + 3 + nl - s);
    return true;
  }
  return false;
}

/* The content of the first element NAME in S, or "" (in B). */
static const char *xml_first(const char *s, const char *name, citeconv_buf *b)
{
  size_t at = 0;
  if (s && xml_next(s, &at, name, NULL, b) && b->data)
    return b->data;
  citeconv_buf_clear(b);
  return "";
}

/* The value of attribute NAME in raw attributes A, or NULL (in B). */
static const char *xml_attr(const citeconv_buf *a, const char *name,
                            citeconv_buf *b)
{
  char pat[32];
  const char *p, *q;
  snprintf(pat, sizeof(pat), " %s=\"", name);
  if (!a->data || (p = strstr(a->data, pat)) == NULL)
    return NULL;
  p += strlen(pat);
  if ((q = strchr(p, '"')) == NULL)
    return NULL;
  citeconv_buf_clear(b);
  citeconv_buf_add(b, p, (size_t)(q - p));
  return b->data ? b->data : "";
}

static int num(const char *s)
{
  return s ? atoi(s) : 0;
}

/* Year, Month, Day (and Hour, Minute) of a date element's content. */
static bool xml_date(const char *s, bool time, char *out, size_t size)
{
  citeconv_buf b = CITECONV_BUF_INIT;
  int y = num(xml_first(s, "Year", &b)), m = num(xml_first(s, "Month", &b));
  int d = num(xml_first(s, "Day", &b));
  int hh = num(xml_first(s, "Hour", &b)), mm = num(xml_first(s, "Minute", &b));
  citeconv_buf_free(&b);
  if (y <= 0 || m <= 0 || m > 12 || d <= 0 || d > 31)
    return false;
  if (time)
    snprintf(out, size, "%04d/%02d/%02d %02d:%02d", y, m, d, hh, mm);
  else
    snprintf(out, size, "%04d%02d%02d", y, m, d);
  return true;
}

/* Lines for tag T from the record's verbatim PubMed XML elements. */
static void from_xml(ml_writer *st, const citeconv_record *rec, int t)
{
  citeconv_output *o = st->base.out;
  const char *tag = tag_name[t];
  citeconv_buf a = CITECONV_BUF_INIT, c = CITECONV_BUF_INIT;
  citeconv_buf v = CITECONV_BUF_INIT, w = CITECONV_BUF_INIT;
  const char *x;
  char date[32];
  size_t at = 0;
  switch (t) {
  case T_OWN:
  case T_STAT:
    x = citeconv_record_extra(rec, t == T_OWN ? PX "Owner" : PX "Status");
    if (x)
      line(o, tag, x, strlen(x));
    break;
  case T_DA:
  case T_DCOM:
  case T_LR:
    x = citeconv_record_extra(rec, t == T_DA     ? PX "DateCreated"
                                   : t == T_DCOM ? PX "DateCompleted"
                                                 : PX "DateRevised");
    if (x && xml_date(x, false, date, sizeof(date)))
      line(o, tag, date, strlen(date));
    break;
  case T_IS:
    x = citeconv_record_extra(rec, PX "MedlineJournalInfo");
    if (x && *xml_first(x, "ISSNLinking", &c)) {
      citeconv_buf_adds(&c, " (Linking)");
      line(o, tag, c.data, c.len);
    }
    break;
  case T_CI:
  case T_COIS:
    x = citeconv_record_extra(rec, t == T_CI ? PX "CopyrightInformation"
                                             : PX "CoiStatement");
    if (x && t == T_COIS)
      x = xml_first(x, "CoiStatement", &c);
    if (x)
      line(o, tag, x, strlen(x));
    break;
  case T_GR:
    x = citeconv_record_extra(rec, PX "GrantList");
    while (x && xml_next(x, &at, "Grant", NULL, &c)) {
      const char *parts[] = {"GrantID", "Acronym", "Agency", "Country"};
      citeconv_buf_clear(&v);
      for (size_t i = 0; i < 4; i++) {
        if (i)
          citeconv_buf_addc(&v, '/');
        citeconv_buf_adds(&v, xml_first(c.data, parts[i], &w));
      }
      line(o, tag, v.data, v.len);
    }
    break;
  case T_PL:
  case T_TA:
  case T_JID:
    x = citeconv_record_extra(rec, PX "MedlineJournalInfo");
    x = x ? xml_first(x, t == T_PL   ? "Country"
                         : t == T_TA ? "MedlineTA"
                                     : "NlmUniqueID", &c)
          : "";
    if (*x)
      line(o, tag, x, strlen(x));
    break;
  case T_RN:
    x = citeconv_record_extra(rec, PX "ChemicalList");
    while (x && xml_next(x, &at, "Chemical", NULL, &c)) {
      citeconv_buf_clear(&v);
      citeconv_buf_adds(&v, xml_first(c.data, "RegistryNumber", &w));
      citeconv_buf_adds(&v, " (");
      citeconv_buf_adds(&v, xml_first(c.data, "NameOfSubstance", &w));
      citeconv_buf_addc(&v, ')');
      line(o, tag, v.data, v.len);
    }
    break;
  case T_SB:
    for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
      const citeconv_extra *e = citeconv_record_extra_at(rec, i);
      if (!strcmp(e->name, PX "CitationSubset")) {
        x = xml_first(e->value, "CitationSubset", &c);
        line(o, tag, x, strlen(x));
      }
    }
    break;
  case T_OID:
  case T_GN: {
    const char *el = t == T_OID ? "OtherID" : "GeneralNote";
    const char *name = t == T_OID ? PX "OtherID" : PX "GeneralNote";
    for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
      const citeconv_extra *e = citeconv_record_extra_at(rec, i);
      size_t at2 = 0;
      if (strcmp(e->name, name) != 0 ||
          !xml_next(e->value, &at2, el, &a, &c))
        continue;
      citeconv_buf_clear(&v);
      x = xml_attr(&a, t == T_OID ? "Source" : "Owner", &w);
      if (x) {
        citeconv_buf_adds(&v, x);
        citeconv_buf_adds(&v, ": ");
      }
      citeconv_buf_adds(&v, c.data ? c.data : "");
      line(o, tag, v.data, v.len);
    }
    break;
  }
  case T_EDAT:
  case T_MHDA:
  case T_CRDT:
  case T_PHST: {
    const char *want = t == T_EDAT   ? "pubmed"
                       : t == T_MHDA ? "medline"
                       : t == T_CRDT ? "entrez"
                                     : NULL;
    x = citeconv_record_extra(rec, PX "History");
    while (x && xml_next(x, &at, "PubMedPubDate", &a, &c)) {
      const char *status = xml_attr(&a, "PubStatus", &w);
      if (!status || (want && strcmp(status, want) != 0) ||
          !xml_date(c.data, true, date, sizeof(date)))
        continue;
      citeconv_buf_clear(&v);
      citeconv_buf_adds(&v, date);
      if (!want) {
        citeconv_buf_adds(&v, " [");
        citeconv_buf_adds(&v, status);
        citeconv_buf_addc(&v, ']');
      }
      line(o, tag, v.data, v.len);
      if (want)
        break;
    }
    break;
  }
  default:
    return; /* no element holds this tag */
  }
  citeconv_buf_free(&a);
  citeconv_buf_free(&c);
  citeconv_buf_free(&v);
  citeconv_buf_free(&w);
}

/* Extras of other formats that have a MEDLINE tag. */
static bool used_extra(const char *name)
{
  static const char *const used[] = {
      "pubmed-xml:IssnType", "pubmed-xml:PublicationType",
      "pubmed-xml:mesh", "pubmed-xml:PublicationStatus",
      PX "Owner", PX "Status", PX "DateCreated", PX "DateCompleted",
      PX "DateRevised", PX "MedlineJournalInfo", PX "CopyrightInformation",
      PX "CoiStatement", PX "GrantList", PX "ChemicalList",
      PX "CitationSubset", PX "OtherID", PX "GeneralNote", PX "History",
      PX "articleid-pii", PX "elocation-pii", NULL};
  for (size_t i = 0; used[i]; i++)
    if (strcmp(used[i], name) == 0)
      return true;
  return false;
}

static int ml_record(citeconv_writer *w, const citeconv_record *rec)
{
  static const citeconv_var carried[] = {
      CITECONV_VAR_PMID,      CITECONV_VAR_ISSN,    CITECONV_VAR_VOLUME,
      CITECONV_VAR_ISSUE,     CITECONV_VAR_ISSUED,  CITECONV_VAR_TITLE,
      CITECONV_VAR_PAGE,      CITECONV_VAR_DOI,     CITECONV_VAR_ABSTRACT,
      CITECONV_VAR_AUTHOR,    CITECONV_VAR_EDITOR,  CITECONV_VAR_LANGUAGE,
      CITECONV_VAR_ORIGINAL_TITLE, CITECONV_VAR_AVAILABLE_DATE,
      CITECONV_VAR_PUBLISHER, CITECONV_VAR_PUBLISHER_PLACE,
      CITECONV_VAR_EDITION,   CITECONV_VAR_ISBN,
      CITECONV_VAR_JOURNAL_ABBREVIATION, CITECONV_VAR_CONTAINER_TITLE,
      CITECONV_VAR_PMCID,     CITECONV_VAR_KEYWORD,
      CITECONV_VAR_COLLECTION_TITLE, CITECONV_VAR_VOLUME_TITLE,
      CITECONV_VAR_NOTE,      CITECONV_VAR_CONTAINER_TITLE_SHORT};
  ml_writer *st = (ml_writer *)w;
  citeconv_output *o = w->out;
  citeconv_type type = citeconv_record_type(rec);
  bool book = type == CITECONV_TYPE_BOOK || type == CITECONV_TYPE_CHAPTER;
  bool chapter = type == CITECONV_TYPE_CHAPTER;
  const char *doi = citeconv_record_text(rec, CITECONV_VAR_DOI);
  bool seen[CITECONV_VAR__COUNT] = {false};
  bool from_medline = false;
  /* Which tags the record has as extras "medline:TAG"; a record read from
   * MEDLINE gets no made-up PT or SO lines. */
  st->has = 0;
  for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
    const char *name = citeconv_record_extra_at(rec, i)->name;
    int t;
    if (strncmp(name, ML_PREFIX, ML_PREFIX_LEN) != 0)
      continue;
    from_medline = true;
    if ((t = tag_of(name + ML_PREFIX_LEN)) < T__COUNT)
      st->has |= (uint64_t)1 << t;
  }
  if (w->nrecords)
    citeconv_out_putc(o, '\n');
  for (int t = 0; t < T_SO; t++) {
    const char *tag = tag_name[t];
    switch (t) {
    case T_PMID:
      plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_PMID));
      break;
    case T_IS:
      if (has_extra(st, T_IS)) {
        extras(st, rec, t);
        continue;
      }
      for (size_t i = 0; i < citeconv_record_field_count(rec); i++) {
        const citeconv_field *f = citeconv_record_field_at(rec, i);
        const char *it = citeconv_record_extra(rec, "pubmed-xml:IssnType");
        if (f->var != CITECONV_VAR_ISSN)
          continue;
        citeconv_buf_clear(&st->tmp);
        citeconv_buf_adds(&st->tmp, f->value);
        citeconv_buf_adds(&st->tmp, it && !strcmp(it, "Electronic")
                                        ? " (Electronic)"
                                        : " (Print)");
        line(o, tag, st->tmp.data, st->tmp.len);
      }
      from_xml(st, rec, t); /* the linking ISSN */
      continue;
    case T_VI:
      plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_VOLUME));
      break;
    case T_IP:
      plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_ISSUE));
      break;
    case T_DP:
      date(st, citeconv_record_date(rec, CITECONV_VAR_ISSUED));
      break;
    case T_TI:
      if (!book || chapter)
        plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_TITLE));
      break;
    case T_BTI:
      if (book)
        plain(st, tag,
              citeconv_record_text(rec, chapter ? CITECONV_VAR_CONTAINER_TITLE
                                                : CITECONV_VAR_TITLE));
      break;
    case T_CTI:
      plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_COLLECTION_TITLE));
      break;
    case T_VTI:
      plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_VOLUME_TITLE));
      break;
    case T_PG: {
      const char *pg = citeconv_record_text(rec, CITECONV_VAR_PAGE);
      if (pg) {
        citeconv_buf_clear(&st->tmp);
        citeconv_pages_abbreviate(&st->tmp, pg, strlen(pg));
        line(o, tag, st->tmp.data ? st->tmp.data : "", st->tmp.len);
      }
      break;
    }
    case T_LID:
    case T_AID:
      if (!has_extra(st, T_LID) && !has_extra(st, T_AID) && doi) {
        citeconv_buf_clear(&st->tmp);
        citeconv_buf_adds(&st->tmp, doi);
        citeconv_buf_adds(&st->tmp, " [doi]");
        line(o, tag, st->tmp.data, st->tmp.len);
      }
      if (!has_extra(st, T_LID) && !has_extra(st, T_AID) && t == T_AID) {
        const char *pii = citeconv_record_extra(rec, PX "articleid-pii");
        if (!pii)
          pii = citeconv_record_extra(rec, PX "elocation-pii");
        if (pii) {
          citeconv_buf_clear(&st->tmp);
          citeconv_buf_adds(&st->tmp, pii);
          citeconv_buf_adds(&st->tmp, " [pii]");
          line(o, tag, st->tmp.data, st->tmp.len);
        }
      }
      break;
    case T_AB: {
      /* One AB line per paragraph; the reader joins them with newlines. */
      const char *ab = citeconv_record_text(rec, CITECONV_VAR_ABSTRACT);
      citeconv_buf para = CITECONV_BUF_INIT;
      while (ab && *ab) {
        const char *nl = strchr(ab, '\n');
        size_t n = nl ? (size_t)(nl - ab) : strlen(ab);
        citeconv_buf_clear(&para);
        citeconv_text_strip_markup(&para, ab, n);
        if (para.len)
          line(o, tag, para.data, para.len);
        ab = nl ? nl + 1 : ab + n;
      }
      citeconv_buf_free(&para);
      break;
    }
    case T_FAU:
      /* An AD with no author before it (older records put the one
       * affiliation first) must stay before the authors. */
      extras(st, rec, T_AD);
      names(st, rec, CITECONV_VAR_AUTHOR, "FAU", "AU");
      break;
    case T_FED:
      names(st, rec, CITECONV_VAR_EDITOR, "FED", "ED");
      break;
    case T_LA:
      each(st, rec, CITECONV_VAR_LANGUAGE, tag);
      break;
    case T_PT:
      if (!has_extra(st, T_PT)) {
        size_t n = 0;
        for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
          const citeconv_extra *e = citeconv_record_extra_at(rec, i);
          if (!strcmp(e->name, "pubmed-xml:PublicationType")) {
            line(o, tag, e->value, strlen(e->value));
            n++;
          }
        }
        if (!n && !from_medline)
          line(o, tag, book ? "Book" : "Journal Article",
               strlen(book ? "Book" : "Journal Article"));
      }
      break;
    case T_TT:
      plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_ORIGINAL_TITLE));
      break;
    case T_DEP: {
      const citeconv_date *d =
          citeconv_record_date(rec, CITECONV_VAR_AVAILABLE_DATE);
      if (d && d->year && d->month && d->day)
        citeconv_out_printf(o, "DEP - %04d%02d%02d\n", d->year, d->month,
                            d->day);
      else if (d)
        citeconv_writer_not_carried(w, rec, "an available-date without a day");
      break;
    }
    case T_PL:
      /* The place of publication: a book's, or a journal's country. */
      plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_PUBLISHER_PLACE));
      break;
    case T_PB:
      plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_PUBLISHER));
      break;
    case T_EN:
      plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_EDITION));
      break;
    case T_ISBN:
      each(st, rec, CITECONV_VAR_ISBN, tag);
      break;
    case T_TA: {
      const char *ta =
          citeconv_record_text(rec, CITECONV_VAR_JOURNAL_ABBREVIATION);
      plain(st, tag, ta ? ta : citeconv_record_text(
                                   rec, CITECONV_VAR_CONTAINER_TITLE_SHORT));
      break;
    }
    case T_GN:
      if (!has_extra(st, T_GN))
        each(st, rec, CITECONV_VAR_NOTE, tag); /* a record's notes */
      break;
    case T_JT:
      if (!book)
        plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE));
      break;
    case T_MH:
      if (!has_extra(st, T_MH))
        for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
          const citeconv_extra *e = citeconv_record_extra_at(rec, i);
          if (!strcmp(e->name, "pubmed-xml:mesh"))
            line(o, tag, e->value, strlen(e->value));
        }
      break;
    case T_PMC:
      plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_PMCID));
      break;
    case T_OT:
      each(st, rec, CITECONV_VAR_KEYWORD, tag);
      break;
    case T_PST: {
      const char *pst =
          citeconv_record_extra(rec, "pubmed-xml:PublicationStatus");
      if (!has_extra(st, T_PST) && pst)
        line(o, tag, pst, strlen(pst));
      break;
    }
    default:
      break;
    }
    if (!has_extra(st, t) &&
        !(t == T_TA &&
          (citeconv_record_text(rec, CITECONV_VAR_JOURNAL_ABBREVIATION) ||
           citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE_SHORT))) &&
        !(t == T_PL &&
          citeconv_record_text(rec, CITECONV_VAR_PUBLISHER_PLACE)))
      from_xml(st, rec, t);
    if (t != T_FAU && t != T_FED && t != T_AD)
      extras(st, rec, t);
  }
  /* Tags the order does not know, then SO (synthesised if absent). */
  for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    if (strncmp(e->name, ML_PREFIX, ML_PREFIX_LEN) != 0 ||
        tag_of(e->name + ML_PREFIX_LEN) < T__COUNT)
      continue;
    line(o, e->name + ML_PREFIX_LEN, e->value, strlen(e->value));
  }
  if (has_extra(st, T_SO)) {
    extras(st, rec, T_SO);
  } else if (!book && !from_medline) {
    const char *ta =
        citeconv_record_text(rec, CITECONV_VAR_JOURNAL_ABBREVIATION);
    const char *vi = citeconv_record_text(rec, CITECONV_VAR_VOLUME);
    const char *ip = citeconv_record_text(rec, CITECONV_VAR_ISSUE);
    const char *pg = citeconv_record_text(rec, CITECONV_VAR_PAGE);
    const citeconv_date *d = citeconv_record_date(rec, CITECONV_VAR_ISSUED);
    citeconv_buf so = CITECONV_BUF_INIT;
    if (!ta)
      ta = citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE);
    if (ta)
      citeconv_buf_printf(&so, "%s. ", ta);
    if (d && d->year)
      citeconv_buf_printf(&so, "%d", d->year);
    if (d && d->month)
      citeconv_buf_printf(&so, " %s", citeconv_nlmdate_month_abbr(d->month));
    if (vi)
      citeconv_buf_printf(&so, ";%s", vi);
    if (ip)
      citeconv_buf_printf(&so, "(%s)", ip);
    if (pg)
      citeconv_buf_printf(&so, ":%s", pg);
    if (so.len)
      citeconv_buf_addc(&so, '.');
    if (doi)
      citeconv_buf_printf(&so, " doi: %s.", doi);
    if (so.len) {
      citeconv_buf_clear(&st->tmp);
      citeconv_text_strip_markup(&st->tmp, so.data, so.len);
      line(o, "SO", st->tmp.data, st->tmp.len);
    }
    citeconv_buf_free(&so);
  }
  if (citeconv_record_truncated(rec, CITECONV_VAR_AUTHOR) ||
      citeconv_record_truncated(rec, CITECONV_VAR_EDITOR))
    citeconv_writer_not_carried(w, rec, "the mark of an incomplete name list");
  /* Report what had no tag. */
  for (size_t i = 0; i < citeconv_record_field_count(rec); i++)
    seen[citeconv_record_field_at(rec, i)->var] = true;
  for (size_t i = 0; i < citeconv_record_name_count(rec); i++)
    seen[citeconv_record_name_at(rec, i)->role] = true;
  for (int v = 0; v < CITECONV_VAR__COUNT; v++)
    if (citeconv_var_kind_of((citeconv_var)v) == CITECONV_KIND_DATE &&
        citeconv_record_date(rec, (citeconv_var)v))
      seen[v] = true;
  for (size_t i = 0; i < sizeof(carried) / sizeof(carried[0]); i++)
    seen[carried[i]] = false;
  if (book && !chapter)
    seen[CITECONV_VAR_CONTAINER_TITLE] = /* BTI holds the title */
        citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE) != NULL;
  {
    /* TA holds one abbreviation. */
    const char *ja = citeconv_record_text(rec, CITECONV_VAR_JOURNAL_ABBREVIATION);
    const char *cs =
        citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE_SHORT);
    if (ja && cs && strcmp(ja, cs) != 0)
      seen[CITECONV_VAR_CONTAINER_TITLE_SHORT] = true;
  }
  for (int v = 0; v < CITECONV_VAR__COUNT; v++)
    if (seen[v]) {
      char what[96];
      snprintf(what, sizeof(what), "the '%s' field",
               citeconv_var_name((citeconv_var)v));
      citeconv_writer_not_carried(w, rec, what);
    }
  for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    if (!strncmp(e->name, ML_PREFIX, ML_PREFIX_LEN) || used_extra(e->name))
      continue;
    {
      char what[160];
      snprintf(what, sizeof(what), "the extra field '%.100s'", e->name);
      citeconv_writer_not_carried(w, rec, what);
    }
  }
  return o->error ? CITECONV_EIO : 0;
}

int citeconv_ml_write_begin(citeconv_writer **out, citeconv_session *s,
                            citeconv_output *o)
{
  ml_writer *st = calloc(1, sizeof(*st));
  *out = NULL;
  if (!st)
    return CITECONV_ENOMEM;
  citeconv_writer_init(&st->base, &citeconv_format_medline, s, o);
  *out = &st->base;
  return 0;
}

int citeconv_ml_write_record(citeconv_writer *w, const citeconv_record *rec)
{
  return ml_record(w, rec);
}

int citeconv_ml_write_end(citeconv_writer *w)
{
  return citeconv_out_flush(w->out);
}

void citeconv_ml_write_free(citeconv_writer *w)
{
  ml_writer *st = (ml_writer *)w;
  if (!st)
    return;
  citeconv_buf_free(&st->tmp);
  free(st);
}
