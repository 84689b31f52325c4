/* MEDLINE (nbib) writer: tags in the order PubMed exports them, values
 * wrapped with six-space continuation lines, a blank line between
 * records. Extras "medline:TAG" go back under their tag. */
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
} ml_writer;

/* PubMed's export order. Tags not listed come before SO. */
static const char *const order[] = {
    "PMID", "OWN", "STAT", "DA",   "DCOM", "LR",   "PUBM", "IS",   "VI",  "IP",
    "DP",   "TI",  "BTI",  "CTI",  "VTI",  "PG",   "LID",  "AB",  "CI",
    "FAU",  "AU",  "AUID", "AD",   "CN",   "FED",  "ED",   "LA",  "GR",
    "PT",   "TT",  "DEP",  "PL",   "PB",   "EN",   "ISBN", "TA",  "JT",
    "JID",  "RN",  "SB",   "MH",   "PMC",  "MID",  "OID",  "OTO", "OT",
    "GN",
    "COIS",
    "EDAT", "MHDA", "CRDT", "PHST", "AID", "PST",  NULL};

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
      citeconv_out_printf(o, "%-4s- ", tag);
    else
      citeconv_out_puts(o, "      ");
    for (size_t i = start; i < end; i++)
      citeconv_out_putc(o, v[i] == '\n' || v[i] == '\r' ? ' ' : v[i]);
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

static bool has_extra(const citeconv_record *rec, const char *tag)
{
  char name[32];
  snprintf(name, sizeof(name), ML_PREFIX "%s", tag);
  return citeconv_record_extra(rec, name) != NULL;
}

static void extras(ml_writer *st, const citeconv_record *rec,
                   const char *tag)
{
  char name[32];
  snprintf(name, sizeof(name), ML_PREFIX "%s", tag);
  for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    if (strcmp(e->name, name) == 0)
      line(st->base.out, tag, e->value, strlen(e->value));
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
      if (n->non_dropping_particle)
        citeconv_buf_printf(b, "%s ", n->non_dropping_particle);
      citeconv_buf_adds(b, n->family);
      if (n->given)
        citeconv_buf_printf(b, ", %s", n->given);
      if (n->dropping_particle)
        citeconv_buf_printf(b, "%s%s", n->given ? " " : ", ",
                            n->dropping_particle);
      if (n->suffix)
        citeconv_buf_printf(b, " %s", n->suffix);
      line(o, full, b->data, b->len);
      citeconv_buf_clear(b);
      if (n->non_dropping_particle)
        citeconv_buf_printf(b, "%s ", n->non_dropping_particle);
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
      citeconv_buf_printf(b, "ORCID: %s", n->orcid);
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

/* Lines for TAG from the record's verbatim PubMed XML elements. */
static void from_xml(ml_writer *st, const citeconv_record *rec,
                     const char *tag)
{
  citeconv_output *o = st->base.out;
  citeconv_buf a = CITECONV_BUF_INIT, c = CITECONV_BUF_INIT;
  citeconv_buf v = CITECONV_BUF_INIT, w = CITECONV_BUF_INIT;
  const char *x;
  char date[32];
  size_t at = 0;
  if (!strcmp(tag, "OWN") || !strcmp(tag, "STAT")) {
    x = citeconv_record_extra(rec, *tag == 'O' ? PX "Owner" : PX "Status");
    if (x)
      line(o, tag, x, strlen(x));
  } else if (!strcmp(tag, "DA") || !strcmp(tag, "DCOM") ||
             !strcmp(tag, "LR")) {
    x = citeconv_record_extra(rec, !strcmp(tag, "DA") ? PX "DateCreated"
                                   : !strcmp(tag, "DCOM") ? PX "DateCompleted"
                                                          : PX "DateRevised");
    if (x && xml_date(x, false, date, sizeof(date)))
      line(o, tag, date, strlen(date));
  } else if (!strcmp(tag, "IS")) {
    x = citeconv_record_extra(rec, PX "MedlineJournalInfo");
    if (x && *xml_first(x, "ISSNLinking", &c)) {
      citeconv_buf_adds(&c, " (Linking)");
      line(o, tag, c.data, c.len);
    }
  } else if (!strcmp(tag, "CI") || !strcmp(tag, "COIS")) {
    x = citeconv_record_extra(rec, *tag == 'C' && tag[1] == 'I'
                                       ? PX "CopyrightInformation"
                                       : PX "CoiStatement");
    if (x && !strcmp(tag, "COIS"))
      x = xml_first(x, "CoiStatement", &c);
    if (x)
      line(o, tag, x, strlen(x));
  } else if (!strcmp(tag, "GR")) {
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
  } else if (!strcmp(tag, "PL") || !strcmp(tag, "TA") ||
             !strcmp(tag, "JID")) {
    x = citeconv_record_extra(rec, PX "MedlineJournalInfo");
    x = x ? xml_first(x, !strcmp(tag, "PL")   ? "Country"
                         : !strcmp(tag, "TA") ? "MedlineTA"
                                              : "NlmUniqueID", &c)
          : "";
    if (*x)
      line(o, tag, x, strlen(x));
  } else if (!strcmp(tag, "RN")) {
    x = citeconv_record_extra(rec, PX "ChemicalList");
    while (x && xml_next(x, &at, "Chemical", NULL, &c)) {
      citeconv_buf_clear(&v);
      citeconv_buf_adds(&v, xml_first(c.data, "RegistryNumber", &w));
      citeconv_buf_printf(&v, " (%s)", xml_first(c.data, "NameOfSubstance",
                                                 &w));
      line(o, tag, v.data, v.len);
    }
  } else if (!strcmp(tag, "SB")) {
    for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
      const citeconv_extra *e = citeconv_record_extra_at(rec, i);
      if (!strcmp(e->name, PX "CitationSubset")) {
        x = xml_first(e->value, "CitationSubset", &c);
        line(o, tag, x, strlen(x));
      }
    }
  } else if (!strcmp(tag, "OID") || !strcmp(tag, "GN")) {
    const char *el = !strcmp(tag, "OID") ? "OtherID" : "GeneralNote";
    char name[40];
    snprintf(name, sizeof(name), PX "%s", el);
    for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
      const citeconv_extra *e = citeconv_record_extra_at(rec, i);
      size_t at2 = 0;
      if (strcmp(e->name, name) != 0 ||
          !xml_next(e->value, &at2, el, &a, &c))
        continue;
      citeconv_buf_clear(&v);
      x = xml_attr(&a, !strcmp(tag, "OID") ? "Source" : "Owner", &w);
      if (x)
        citeconv_buf_printf(&v, "%s: ", x);
      citeconv_buf_adds(&v, c.data ? c.data : "");
      line(o, tag, v.data, v.len);
    }
  } else if (!strcmp(tag, "EDAT") || !strcmp(tag, "MHDA") ||
             !strcmp(tag, "CRDT") || !strcmp(tag, "PHST")) {
    const char *want = !strcmp(tag, "EDAT")   ? "pubmed"
                       : !strcmp(tag, "MHDA") ? "medline"
                       : !strcmp(tag, "CRDT") ? "entrez"
                                              : NULL;
    x = citeconv_record_extra(rec, PX "History");
    while (x && xml_next(x, &at, "PubMedPubDate", &a, &c)) {
      const char *status = xml_attr(&a, "PubStatus", &w);
      if (!status || (want && strcmp(status, want) != 0) ||
          !xml_date(c.data, true, date, sizeof(date)))
        continue;
      citeconv_buf_clear(&v);
      citeconv_buf_adds(&v, date);
      if (!want)
        citeconv_buf_printf(&v, " [%s]", status);
      line(o, tag, v.data, v.len);
      if (want)
        break;
    }
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

static bool listed(const char *tag)
{
  for (size_t i = 0; order[i]; i++)
    if (strcmp(order[i], tag) == 0)
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
  /* A record read from MEDLINE gets no made-up PT or SO lines. */
  for (size_t i = 0; i < citeconv_record_extra_count(rec); i++)
    if (!strncmp(citeconv_record_extra_at(rec, i)->name, ML_PREFIX,
                 strlen(ML_PREFIX)))
      from_medline = true;
  if (w->nrecords)
    citeconv_out_putc(o, '\n');
  for (size_t t = 0; order[t]; t++) {
    const char *tag = order[t];
    if (!strcmp(tag, "PMID")) {
      plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_PMID));
    } else if (!strcmp(tag, "IS")) {
      if (has_extra(rec, "IS")) {
        extras(st, rec, tag);
        continue;
      }
      for (size_t i = 0; i < citeconv_record_field_count(rec); i++) {
        const citeconv_field *f = citeconv_record_field_at(rec, i);
        const char *it = citeconv_record_extra(rec, "pubmed-xml:IssnType");
        if (f->var != CITECONV_VAR_ISSN)
          continue;
        citeconv_buf_clear(&st->tmp);
        citeconv_buf_printf(&st->tmp, "%s (%s)", f->value,
                            it && !strcmp(it, "Electronic") ? "Electronic"
                                                            : "Print");
        line(o, tag, st->tmp.data, st->tmp.len);
      }
      from_xml(st, rec, tag); /* the linking ISSN */
      continue;
    } else if (!strcmp(tag, "VI")) {
      plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_VOLUME));
    } else if (!strcmp(tag, "IP")) {
      plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_ISSUE));
    } else if (!strcmp(tag, "DP")) {
      date(st, citeconv_record_date(rec, CITECONV_VAR_ISSUED));
    } else if (!strcmp(tag, "TI")) {
      if (!book || chapter)
        plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_TITLE));
    } else if (!strcmp(tag, "BTI")) {
      if (book)
        plain(st, tag,
              citeconv_record_text(rec, chapter ? CITECONV_VAR_CONTAINER_TITLE
                                                : CITECONV_VAR_TITLE));
    } else if (!strcmp(tag, "CTI")) {
      plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_COLLECTION_TITLE));
    } else if (!strcmp(tag, "VTI")) {
      plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_VOLUME_TITLE));
    } else if (!strcmp(tag, "PG")) {
      const char *pg = citeconv_record_text(rec, CITECONV_VAR_PAGE);
      if (pg) {
        citeconv_buf_clear(&st->tmp);
        citeconv_pages_abbreviate(&st->tmp, pg, strlen(pg));
        line(o, tag, st->tmp.data ? st->tmp.data : "", st->tmp.len);
      }
    } else if (!strcmp(tag, "LID") || !strcmp(tag, "AID")) {
      if (!has_extra(rec, "LID") && !has_extra(rec, "AID") && doi) {
        citeconv_buf_clear(&st->tmp);
        citeconv_buf_printf(&st->tmp, "%s [doi]", doi);
        line(o, tag, st->tmp.data, st->tmp.len);
      }
      if (!has_extra(rec, "LID") && !has_extra(rec, "AID") &&
          !strcmp(tag, "AID")) {
        const char *pii = citeconv_record_extra(rec, PX "articleid-pii");
        if (!pii)
          pii = citeconv_record_extra(rec, PX "elocation-pii");
        if (pii) {
          citeconv_buf_clear(&st->tmp);
          citeconv_buf_printf(&st->tmp, "%s [pii]", pii);
          line(o, tag, st->tmp.data, st->tmp.len);
        }
      }
    } else if (!strcmp(tag, "AB")) {
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
    } else if (!strcmp(tag, "FAU")) {
      /* An AD with no author before it (older records put the one
       * affiliation first) must stay before the authors. */
      extras(st, rec, "AD");
      names(st, rec, CITECONV_VAR_AUTHOR, "FAU", "AU");
    } else if (!strcmp(tag, "FED")) {
      names(st, rec, CITECONV_VAR_EDITOR, "FED", "ED");
    } else if (!strcmp(tag, "LA")) {
      each(st, rec, CITECONV_VAR_LANGUAGE, tag);
    } else if (!strcmp(tag, "PT")) {
      if (!has_extra(rec, "PT")) {
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
    } else if (!strcmp(tag, "TT")) {
      plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_ORIGINAL_TITLE));
    } else if (!strcmp(tag, "DEP")) {
      const citeconv_date *d =
          citeconv_record_date(rec, CITECONV_VAR_AVAILABLE_DATE);
      if (d && d->year && d->month && d->day)
        citeconv_out_printf(o, "DEP - %04d%02d%02d\n", d->year, d->month,
                            d->day);
      else if (d)
        citeconv_writer_not_carried(w, rec, "an available-date without a day");
    } else if (!strcmp(tag, "PL")) {
      /* The place of publication: a book's, or a journal's country. */
      plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_PUBLISHER_PLACE));
    } else if (!strcmp(tag, "PB")) {
      plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_PUBLISHER));
    } else if (!strcmp(tag, "EN")) {
      plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_EDITION));
    } else if (!strcmp(tag, "ISBN")) {
      each(st, rec, CITECONV_VAR_ISBN, tag);
    } else if (!strcmp(tag, "TA")) {
      const char *ta =
          citeconv_record_text(rec, CITECONV_VAR_JOURNAL_ABBREVIATION);
      plain(st, tag, ta ? ta : citeconv_record_text(
                                   rec, CITECONV_VAR_CONTAINER_TITLE_SHORT));
    } else if (!strcmp(tag, "GN")) {
      if (!has_extra(rec, "GN"))
        each(st, rec, CITECONV_VAR_NOTE, tag); /* a record's notes */
    } else if (!strcmp(tag, "JT")) {
      if (!book)
        plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE));
    } else if (!strcmp(tag, "MH")) {
      if (!has_extra(rec, "MH"))
        for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
          const citeconv_extra *e = citeconv_record_extra_at(rec, i);
          if (!strcmp(e->name, "pubmed-xml:mesh"))
            line(o, tag, e->value, strlen(e->value));
        }
    } else if (!strcmp(tag, "PMC")) {
      plain(st, tag, citeconv_record_text(rec, CITECONV_VAR_PMCID));
    } else if (!strcmp(tag, "OT")) {
      each(st, rec, CITECONV_VAR_KEYWORD, tag);
    } else if (!strcmp(tag, "PST")) {
      const char *pst =
          citeconv_record_extra(rec, "pubmed-xml:PublicationStatus");
      if (!has_extra(rec, "PST") && pst)
        line(o, tag, pst, strlen(pst));
    }
    if (!has_extra(rec, tag) &&
        !(!strcmp(tag, "TA") &&
          (citeconv_record_text(rec, CITECONV_VAR_JOURNAL_ABBREVIATION) ||
           citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE_SHORT))) &&
        !(!strcmp(tag, "PL") &&
          citeconv_record_text(rec, CITECONV_VAR_PUBLISHER_PLACE)))
      from_xml(st, rec, tag);
    if (strcmp(tag, "FAU") != 0 && strcmp(tag, "FED") != 0 &&
        strcmp(tag, "AD") != 0)
      extras(st, rec, tag);
  }
  /* Tags the order does not know, then SO (synthesised if absent). */
  for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    const char *tag = e->name + strlen(ML_PREFIX);
    if (strncmp(e->name, ML_PREFIX, strlen(ML_PREFIX)) != 0 || listed(tag) ||
        !strcmp(tag, "SO"))
      continue;
    line(o, tag, e->value, strlen(e->value));
  }
  if (has_extra(rec, "SO")) {
    extras(st, rec, "SO");
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
    if (!strncmp(e->name, ML_PREFIX, strlen(ML_PREFIX)) || used_extra(e->name))
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
