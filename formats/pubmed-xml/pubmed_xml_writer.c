/* PubMed XML writer: a PubmedArticleSet valid against the PubMed DTD
 * (pubmed_250101). Journal items become PubmedArticle, books and chapters
 * PubmedBookArticle; reference records that follow their citing article
 * (extra "citing-pmid") go back into its ReferenceList. */
#include <stdlib.h>
#include <string.h>

#include "nlmdate.h"
#include "pages.h"
#include "pubmed_xml.h"
#include "text.h"

typedef struct {
  citeconv_writer base;
  citeconv_buf b;      /* the article being written */
  citeconv_buf tail;   /* what closes the open article */
  char open_pmid[64];  /* PMID of the open article ("" if none) */
  bool open;           /* an article is open for its references */
  bool in_refs;        /* its <ReferenceList> is open */
  bool started;        /* the prologue is written */
} px_writer;

/* What starts the output, before the first article. */
static const char prologue[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD PubMedArticle, 1st "
    "January 2025//EN\" \"https://dtd.nlm.nih.gov/ncbi/pubmed/out/"
    "pubmed_250101.dtd\">\n<PubmedArticleSet>\n";

/* ---- output helpers ---- */

static void esc(citeconv_buf *b, const char *s, size_t n)
{
  citeconv_text_xml_escape(b, s, n, false);
}

/* <NAME> or, with close, </NAME>. */
static void put_tag(citeconv_buf *b, const char *name, bool close)
{
  citeconv_buf_adds(b, close ? "</" : "<");
  citeconv_buf_adds(b, name);
  citeconv_buf_addc(b, '>');
}

static void escs(citeconv_buf *b, const char *s)
{
  if (s)
    esc(b, s, strlen(s));
}

/* The record's markup as PubMed's %text: <i> <b> <sup> <sub> kept as
 * elements, other markup tags dropped (their text kept), everything else
 * escaped. Unbalanced tags are closed or dropped so the XML stays
 * well-formed. */
static void markup(citeconv_buf *b, const char *s)
{
  static const char *const keep[] = {"i", "b", "sup", "sub"};
  const char *stack[32];
  size_t depth = 0, n = s ? strlen(s) : 0;
  for (size_t i = 0; i < n;) {
    if (s[i] == '<') {
      size_t j = i + 1;
      bool close = j < n && s[j] == '/';
      size_t k, nl;
      const char *name;
      int which = -1;
      if (close)
        j++;
      name = s + j;
      while (j < n && s[j] != '>' && s[j] != '<')
        j++;
      if (j < n && s[j] == '>') {
        nl = (size_t)(s + j - name);
        for (k = 0; k < 4; k++)
          if (strlen(keep[k]) == nl && memcmp(keep[k], name, nl) == 0)
            which = (int)k;
        if (which >= 0) {
          if (!close && depth < 32) {
            stack[depth++] = keep[which];
            put_tag(b, keep[which], false);
          } else if (close && depth && stack[depth - 1] == keep[which]) {
            depth--;
            put_tag(b, keep[which], true);
          }
          i = j + 1;
          continue;
        }
        if ((nl == 2 && memcmp(name, "sc", 2) == 0) ||
            (nl == 4 && memcmp(name, "span", 4) == 0) ||
            (nl > 5 && memcmp(name, "span ", 5) == 0)) {
          i = j + 1;
          continue;
        }
      }
    }
    {
      /* text up to the next tag */
      const char *lt = memchr(s + i + 1, '<', n - i - 1);
      size_t end = lt ? (size_t)(lt - s) : n;
      esc(b, s + i, end - i);
      i = end;
    }
  }
  while (depth)
    put_tag(b, stack[--depth], true);
}

static void elem(citeconv_buf *b, const char *name, const char *text)
{
  if (!text)
    return;
  put_tag(b, name, false);
  escs(b, text);
  put_tag(b, name, true);
}

static void elem_markup(citeconv_buf *b, const char *name, const char *text)
{
  if (!text)
    return;
  put_tag(b, name, false);
  markup(b, text);
  put_tag(b, name, true);
}

static const char *extra(const citeconv_record *rec, const char *name)
{
  return citeconv_record_extra(rec, name);
}

/* Every verbatim extra "pubmed-xml:NAME", in order. */
static void verbatim(citeconv_buf *b, const citeconv_record *rec,
                     const char *name)
{
  size_t plen = strlen(PX_PREFIX);
  for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    if (strncmp(e->name, PX_PREFIX, plen) == 0 &&
        strcmp(e->name + plen, name) == 0) {
      citeconv_buf_adds(b, e->value);
      citeconv_buf_addc(b, '\n');
    }
  }
}

/* ---- MEDLINE tags a medline reading keeps as extras "medline:TAG" ---- */

#define ML "medline:"

/* The first value of extra NAME, else of the MEDLINE tag TAG. */
static const char *extra_or_tag(const citeconv_record *rec, const char *name,
                                const char *tag)
{
  const char *v = citeconv_record_extra(rec, name);
  char full[32];
  if (v || !tag)
    return v;
  snprintf(full, sizeof(full), ML "%s", tag);
  return citeconv_record_extra(rec, full);
}

/* "20230925" (DCOM, LR) as <NAME><Year>..</Year>..</NAME>. */
static bool tag_date(citeconv_buf *b, const char *name, const char *v)
{
  size_t n = 0;
  while (v && v[n] >= '0' && v[n] <= '9')
    n++;
  if (n != 8)
    return false;
  citeconv_buf_printf(b, "<%s><Year>%.4s</Year><Month>%.2s</Month>"
                         "<Day>%.2s</Day></%s>\n", name, v, v + 4, v + 6,
                      name);
  return true;
}

/* A MEDLINE IS value "1234-5678 (Linking)": the ISSN, if linking. */
static bool linking_issn(const char *v, size_t *len)
{
  const char *p = v ? strstr(v, " (Linking)") : NULL;
  if (!p || p == v)
    return false;
  *len = (size_t)(p - v);
  return true;
}

static const char *const pub_statuses[] = {
    "received", "accepted", "epublish", "ppublish", "revised",
    "aheadofprint", "retracted", "ecollection", "pmc", "pmcr", "pubmed",
    "pubmed-not-medline", "medline", "medline-purged", "premedline",
    "entrez", "pmc-release", NULL};

static bool one_of(const char *v, const char *const *allowed);

/* "2021/06/08 00:00 [received]" (PHST) as a PubMedPubDate. */
static bool tag_pubdate(citeconv_buf *b, const char *v, const char *status)
{
  int y, mo, d, h = 0, mi = 0;
  char st[32] = "";
  int n = sscanf(v, "%4d/%2d/%2d %2d:%2d [%31[a-z-]]", &y, &mo, &d, &h, &mi,
                 st);
  if (n < 3 || y < 1000 || mo < 1 || mo > 12 || d < 1 || d > 31)
    return false;
  if (status)
    snprintf(st, sizeof(st), "%s", status);
  if (!one_of(st, pub_statuses))
    return false;
  citeconv_buf_printf(b, "<PubMedPubDate PubStatus=\"%s\"><Year>%d</Year>"
                         "<Month>%d</Month><Day>%d</Day><Hour>%d</Hour>"
                         "<Minute>%d</Minute></PubMedPubDate>\n",
                      st, y, mo, d, h, mi);
  return true;
}

/* History from PHST lines, or from EDAT, MHDA and CRDT when none. */
static void tag_history(citeconv_buf *b, const citeconv_record *rec)
{
  size_t start = b->len, n = 0;
  citeconv_buf_adds(b, "<History>\n");
  for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    if (!strcmp(e->name, ML "PHST") && tag_pubdate(b, e->value, NULL))
      n++;
  }
  if (!n) {
    static const char *const tags[][2] = {
        {ML "EDAT", "pubmed"}, {ML "MHDA", "medline"}, {ML "CRDT", "entrez"}};
    for (size_t k = 0; k < 3; k++) {
      const char *v = citeconv_record_extra(rec, tags[k][0]);
      if (v && tag_pubdate(b, v, tags[k][1]))
        n++;
    }
  }
  if (n) {
    citeconv_buf_adds(b, "</History>\n");
  } else {
    b->len = start;
    if (b->data)
      b->data[start] = '\0';
  }
}

/* MEDLINE extras this writer puts in their elements. */
static bool placed_medline(const citeconv_extra *e)
{
  static const char *const tags[] = {
      ML "MH",   ML "PT",   ML "STAT", ML "OWN",  ML "DCOM", ML "LR",
      ML "PL",   ML "JID",  ML "TA",   ML "SB",   ML "PHST", ML "EDAT",
      ML "MHDA", ML "CRDT", ML "PST",  NULL};
  size_t n;
  if (one_of(e->name, tags))
    return true;
  if (!strcmp(e->name, ML "IS"))
    return linking_issn(e->value, &n);
  if (!strcmp(e->name, ML "AID") || !strcmp(e->name, ML "LID")) {
    const char *t = strrchr(e->value, '[');
    return t && (!strcmp(t, "[pii]") || !strcmp(t, "[doi]"));
  }
  return false;
}

static bool one_of(const char *v, const char *const *allowed)
{
  for (size_t i = 0; v && allowed[i]; i++)
    if (strcmp(v, allowed[i]) == 0)
      return true;
  return false;
}

/* ---- parts ---- */

static void pubdate(citeconv_buf *b, const char *tag,
                    const citeconv_record *rec, const citeconv_date *d)
{
  const char *season = extra(rec, PX_PREFIX "Season");
  citeconv_buf_printf(b, "<%s>", tag);
  if (!d) {
    citeconv_buf_adds(b, "<MedlineDate/>");
  } else if (d->raw || d->literal || d->end_year || d->end_month ||
             d->end_day || d->end_season || !d->year) {
    if (d->raw || d->literal) {
      elem(b, "MedlineDate", d->raw ? d->raw : d->literal);
    } else {
      /* A range with no text: write it the way MEDLINE does. */
      citeconv_buf_adds(b, "<MedlineDate>");
      if (d->year)
        citeconv_buf_printf(b, "%d", d->year);
      if (d->month)
        citeconv_buf_printf(b, " %s", citeconv_nlmdate_month_abbr(d->month));
      if (d->season)
        citeconv_buf_printf(b, " %s", citeconv_nlmdate_season_name(d->season));
      if (d->day)
        citeconv_buf_printf(b, " %d", d->day);
      if (season && d->year && d->end_month) {
        /* a quarter: handled above by raw; nothing more */
      }
      if (d->end_year || d->end_month || d->end_day || d->end_season) {
        citeconv_buf_addc(b, '-');
        if (d->end_year && d->end_year != d->year)
          citeconv_buf_printf(b, "%d ", d->end_year);
        if (d->end_month)
          citeconv_buf_printf(b, "%s ",
                              citeconv_nlmdate_month_abbr(d->end_month));
        if (d->end_season)
          citeconv_buf_printf(b, "%s ",
                              citeconv_nlmdate_season_name(d->end_season));
        if (d->end_day)
          citeconv_buf_printf(b, "%d ", d->end_day);
        if (b->len && b->data[b->len - 1] == ' ')
          b->data[--b->len] = '\0';
      }
      citeconv_buf_adds(b, "</MedlineDate>");
    }
  } else {
    citeconv_buf_printf(b, "<Year>%d</Year>", d->year);
    if (d->month) {
      citeconv_buf_printf(b, "<Month>%s</Month>",
                          citeconv_nlmdate_month_abbr(d->month));
      if (d->day)
        citeconv_buf_printf(b, "<Day>%d</Day>", d->day);
    } else if (d->season) {
      citeconv_buf_printf(b, "<Season>%s</Season>",
                          citeconv_nlmdate_season_name(d->season));
    }
  }
  citeconv_buf_printf(b, "</%s>\n", tag);
}

/* JournalIssue PubDate for a quarter kept as "pubmed-xml:Season". */
static void journal_pubdate(citeconv_buf *b, const citeconv_record *rec,
                            const citeconv_date *d)
{
  const char *season = extra(rec, PX_PREFIX "Season");
  if (d && season && d->year && !d->literal) {
    citeconv_buf_printf(b, "<PubDate><Year>%d</Year><Season>", d->year);
    escs(b, season);
    citeconv_buf_adds(b, "</Season></PubDate>\n");
    return;
  }
  pubdate(b, "PubDate", rec, d);
}

static void initials(citeconv_buf *b, const char *given)
{
  bool start = true;
  citeconv_buf_adds(b, "<Initials>");
  for (const char *p = given; *p; p++) {
    if (*p == ' ' || *p == '-' || *p == '.') {
      start = true;
      continue;
    }
    if (start) {
      size_t adv;
      long cp = citeconv_utf8_decode((const unsigned char *)p, strlen(p),
                                     &adv);
      if (cp >= 0)
        esc(b, p, adv);
      p += adv - 1;
      start = false;
    }
  }
  citeconv_buf_adds(b, "</Initials>");
}

static void author(citeconv_buf *b, const citeconv_name *n)
{
  citeconv_buf_adds(b, "<Author ValidYN=\"Y\">");
  if (n->literal || (!n->family && !n->given)) {
    elem_markup(b, "CollectiveName", n->literal ? n->literal : "");
  } else {
    citeconv_buf_adds(b, "<LastName>");
    if (n->non_dropping_particle) {
      escs(b, n->non_dropping_particle);
      citeconv_buf_addc(b, ' ');
    }
    escs(b, n->family ? n->family : n->given);
    citeconv_buf_adds(b, "</LastName>");
    if (n->family && n->given) {
      if (n->dropping_particle) {
        /* "Ludwig van" as in the sorted form "Beethoven, Ludwig van" */
        citeconv_buf_adds(b, "<ForeName>");
        escs(b, n->given);
        citeconv_buf_addc(b, ' ');
        escs(b, n->dropping_particle);
        citeconv_buf_adds(b, "</ForeName>");
      } else {
        elem(b, "ForeName", n->given);
      }
      initials(b, n->given);
    }
    elem_markup(b, "Suffix", n->suffix);
  }
  if (n->orcid) {
    citeconv_buf_adds(b, "<Identifier Source=\"ORCID\">");
    escs(b, n->orcid);
    citeconv_buf_adds(b, "</Identifier>");
  }
  for (size_t i = 0; i < n->n_affiliations; i++) {
    citeconv_buf_adds(b, "<AffiliationInfo>");
    elem_markup(b, "Affiliation", n->affiliations[i]);
    citeconv_buf_adds(b, "</AffiliationInfo>");
  }
  citeconv_buf_adds(b, "</Author>\n");
}

static void author_list(citeconv_buf *b, const citeconv_record *rec,
                        citeconv_var role, const char *type)
{
  size_t n = citeconv_record_name_count(rec);
  if (!citeconv_record_role_count(rec, role))
    return;
  citeconv_buf_printf(b, "<AuthorList CompleteYN=\"%s\"",
                      citeconv_record_truncated(rec, role) ? "N" : "Y");
  if (type)
    citeconv_buf_printf(b, " Type=\"%s\"", type);
  citeconv_buf_adds(b, ">\n");
  for (size_t i = 0; i < n; i++) {
    const citeconv_name *nm = citeconv_record_name_at(rec, i);
    if (nm->role == role)
      author(b, nm);
  }
  citeconv_buf_adds(b, "</AuthorList>\n");
}

/* Structured when the abstract has one line per "abstract-section" extra,
 * each starting with its label. */
static void abstract(citeconv_buf *b, const citeconv_record *rec)
{
  const char *abs = citeconv_record_text(rec, CITECONV_VAR_ABSTRACT);
  const char *copy = extra(rec, PX_COPYRIGHT);
  size_t nsec = 0, nlines = 1;
  bool structured;
  if (!abs && !copy)
    return;
  citeconv_buf_adds(b, "<Abstract>\n");
  for (size_t i = 0; i < citeconv_record_extra_count(rec); i++)
    if (strcmp(citeconv_record_extra_at(rec, i)->name, PX_SECTION) == 0)
      nsec++;
  for (const char *p = abs; p && *p; p++)
    if (*p == '\n')
      nlines++;
  structured = abs && nsec == nlines;
  if (!structured) {
    elem_markup(b, "AbstractText", abs ? abs : "");
  } else {
    const char *line = abs;
    for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
      const citeconv_extra *e = citeconv_record_extra_at(rec, i);
      const char *tab, *end;
      size_t llen;
      char *text;
      if (strcmp(e->name, PX_SECTION) != 0)
        continue;
      tab = strchr(e->value, '\t');
      llen = tab ? (size_t)(tab - e->value) : strlen(e->value);
      end = strchr(line, '\n');
      if (!end)
        end = line + strlen(line);
      citeconv_buf_adds(b, "<AbstractText");
      if (llen) {
        citeconv_buf_adds(b, " Label=\"");
        esc(b, e->value, llen);
        citeconv_buf_addc(b, '"');
        if ((size_t)(end - line) >= llen + 2 &&
            memcmp(line, e->value, llen) == 0 && line[llen] == ':')
          line += llen + 2 > (size_t)(end - line) ? (size_t)(end - line)
                                                  : llen + 2;
      }
      if (tab && tab[1]) {
        citeconv_buf_adds(b, " NlmCategory=\"");
        escs(b, tab + 1);
        citeconv_buf_addc(b, '"');
      }
      citeconv_buf_addc(b, '>');
      text = strndup(line, (size_t)(end - line));
      if (text) {
        markup(b, text);
        free(text);
      }
      citeconv_buf_adds(b, "</AbstractText>\n");
      line = *end ? end + 1 : end;
    }
  }
  elem(b, "CopyrightInformation", copy);
  citeconv_buf_adds(b, "</Abstract>\n");
}

/* UIs of the common publication types (the DTD requires the attribute). */
static const char *pubtype_ui(const char *pt)
{
  static const struct {
    const char *pt, *ui;
  } map[] = {{"Journal Article", "D016428"},
             {"Review", "D016454"},
             {"Case Reports", "D002363"},
             {"Letter", "D016422"},
             {"Editorial", "D016421"},
             {"Comment", "D016420"},
             {"Clinical Trial", "D016430"},
             {"Randomized Controlled Trial", "D016449"},
             {"Meta-Analysis", "D017418"},
             {"Systematic Review", "D000078182"},
             {"Preprint", "D000076942"},
             {"Dataset", "D064886"},
             {"Congress", "D016423"},
             {"Practice Guideline", "D017065"},
             {"Research Support, Non-U.S. Gov't", "D013485"},
             {"Research Support, N.I.H., Extramural", "D052061"},
             {"Book", "D001877"}};
  for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
    if (strcmp(map[i].pt, pt) == 0)
      return map[i].ui;
  return "";
}

static const char *default_pubtype(citeconv_type t)
{
  switch (t) {
  case CITECONV_TYPE_ARTICLE:
    return "Preprint";
  case CITECONV_TYPE_DATASET:
    return "Dataset";
  case CITECONV_TYPE_PAPER_CONFERENCE:
    return "Congress";
  case CITECONV_TYPE_BOOK:
  case CITECONV_TYPE_CHAPTER:
    return "Book";
  default:
    return "Journal Article";
  }
}

static void pubtypes(citeconv_buf *b, const citeconv_record *rec,
                     bool list)
{
  size_t n = 0;
  if (list)
    citeconv_buf_adds(b, "<PublicationTypeList>\n");
  for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    if (strcmp(e->name, PX_PUBTYPE) != 0 &&
        (strcmp(e->name, ML "PT") != 0 ||
         citeconv_record_extra(rec, PX_PUBTYPE)))
      continue;
    citeconv_buf_printf(b, "<PublicationType UI=\"%s\">",
                        pubtype_ui(e->value));
    escs(b, e->value);
    citeconv_buf_adds(b, "</PublicationType>\n");
    n++;
  }
  if (!n && list) {
    const char *pt = default_pubtype(citeconv_record_type(rec));
    citeconv_buf_printf(b, "<PublicationType UI=\"%s\">%s</PublicationType>\n",
                        pubtype_ui(pt), pt);
  }
  if (list)
    citeconv_buf_adds(b, "</PublicationTypeList>\n");
}

static void languages(citeconv_buf *b, const citeconv_record *rec,
                      bool required)
{
  size_t n = 0;
  for (size_t i = 0; i < citeconv_record_field_count(rec); i++) {
    const citeconv_field *f = citeconv_record_field_at(rec, i);
    if (f->var == CITECONV_VAR_LANGUAGE) {
      elem(b, "Language", f->value);
      n++;
    }
  }
  if (!n && required)
    citeconv_buf_adds(b, "<Language>und</Language>\n");
}

static void keywords(citeconv_buf *b, const citeconv_record *rec)
{
  const char *owner = extra(rec, PX_PREFIX "KeywordList-Owner");
  static const char *const owners[] = {"NLM", "NLM-AUTO", "NASA", "PIP",
                                       "KIE", "NOTNLM", "HHS", NULL};
  bool any = false;
  for (size_t i = 0; i < citeconv_record_field_count(rec); i++) {
    const citeconv_field *f = citeconv_record_field_at(rec, i);
    if (f->var != CITECONV_VAR_KEYWORD)
      continue;
    if (!any)
      citeconv_buf_printf(b, "<KeywordList Owner=\"%s\">\n",
                          one_of(owner, owners) ? owner : "NOTNLM");
    any = true;
    citeconv_buf_adds(b, "<Keyword MajorTopicYN=\"N\">");
    markup(b, f->value);
    citeconv_buf_adds(b, "</Keyword>\n");
  }
  if (any)
    citeconv_buf_adds(b, "</KeywordList>\n");
}

static void mesh(citeconv_buf *b, const citeconv_record *rec)
{
  bool any = false;
  for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    const char *p;
    bool first = true;
    if (strcmp(e->name, PX_MESH) != 0 &&
        (strcmp(e->name, ML "MH") != 0 || citeconv_record_extra(rec, PX_MESH)))
      continue;
    if (!any)
      citeconv_buf_adds(b, "<MeshHeadingList>\n");
    any = true;
    citeconv_buf_adds(b, "<MeshHeading>");
    p = e->value;
    while (*p) {
      const char *end = strchr(p, '/');
      bool major = *p == '*';
      if (!end)
        end = p + strlen(p);
      if (major)
        p++;
      citeconv_buf_printf(b, "<%s UI=\"\" MajorTopicYN=\"%s\">",
                          first ? "DescriptorName" : "QualifierName",
                          major ? "Y" : "N");
      esc(b, p, (size_t)(end - p));
      citeconv_buf_printf(b, "</%s>",
                          first ? "DescriptorName" : "QualifierName");
      first = false;
      p = *end ? end + 1 : end;
    }
    citeconv_buf_adds(b, "</MeshHeading>\n");
  }
  if (any)
    citeconv_buf_adds(b, "</MeshHeadingList>\n");
}

static void ids(citeconv_buf *b, const citeconv_record *rec, bool all)
{
  static const char *const types[] = {
      "doi", "pii",    "pmcpid", "pmpid", "pmc",     "mid",          "sici",
      "pubmed", "medline", "pmcid", "pmcbook", "bookaccession", NULL};
  const char *pmid = citeconv_record_text(rec, CITECONV_VAR_PMID);
  const char *doi = citeconv_record_text(rec, CITECONV_VAR_DOI);
  const char *pmc = citeconv_record_text(rec, CITECONV_VAR_PMCID);
  size_t plen = strlen(PX_ARTICLEID);
  citeconv_buf_adds(b, "<ArticleIdList>\n");
  citeconv_buf_adds(b, "<ArticleId IdType=\"pubmed\">");
  escs(b, pmid);
  citeconv_buf_adds(b, "</ArticleId>\n");
  if (!all) {
    citeconv_buf_adds(b, "</ArticleIdList>\n");
    return;
  }
  if (doi) {
    citeconv_buf_adds(b, "<ArticleId IdType=\"doi\">");
    escs(b, doi);
    citeconv_buf_adds(b, "</ArticleId>\n");
  }
  if (pmc) {
    citeconv_buf_adds(b, "<ArticleId IdType=\"pmc\">");
    escs(b, pmc);
    citeconv_buf_adds(b, "</ArticleId>\n");
  }
  for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    if (strncmp(e->name, PX_ARTICLEID, plen) != 0 ||
        !one_of(e->name + plen, types))
      continue;
    citeconv_buf_printf(b, "<ArticleId IdType=\"%s\">", e->name + plen);
    escs(b, e->value);
    citeconv_buf_adds(b, "</ArticleId>\n");
  }
  if (!extra(rec, PX_ARTICLEID "pii"))
    for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
      const citeconv_extra *e = citeconv_record_extra_at(rec, i);
      const char *t = strrchr(e->value, '[');
      if (strcmp(e->name, ML "AID") != 0 || !t || strcmp(t, "[pii]") != 0 ||
          t == e->value)
        continue;
      citeconv_buf_adds(b, "<ArticleId IdType=\"pii\">");
      esc(b, e->value, (size_t)(t - e->value - 1));
      citeconv_buf_adds(b, "</ArticleId>\n");
      break;
    }
  citeconv_buf_adds(b, "</ArticleIdList>\n");
}

static void elocations(citeconv_buf *b, const citeconv_record *rec,
                       bool doi_too)
{
  const char *doi = citeconv_record_text(rec, CITECONV_VAR_DOI);
  const char *pii = extra(rec, PX_ELOCATION "pii");
  if (doi && doi_too) {
    citeconv_buf_adds(b, "<ELocationID EIdType=\"doi\" ValidYN=\"Y\">");
    escs(b, doi);
    citeconv_buf_adds(b, "</ELocationID>\n");
  }
  if (pii) {
    citeconv_buf_adds(b, "<ELocationID EIdType=\"pii\" ValidYN=\"Y\">");
    escs(b, pii);
    citeconv_buf_adds(b, "</ELocationID>\n");
  }
}

static void pagination(citeconv_buf *b, const citeconv_record *rec,
                       bool required)
{
  const char *pg = citeconv_record_text(rec, CITECONV_VAR_PAGE);
  const char *dash = pg ? strchr(pg, '-') : NULL;
  citeconv_buf abbr = CITECONV_BUF_INIT;
  if (!pg && !required)
    return;
  citeconv_buf_adds(b, "<Pagination>");
  /* As PubMed writes it: StartPage and EndPage of a simple range, and
   * MedlinePgn with the end abbreviated ("4172-8"). */
  if (dash && dash > pg && dash[1] && !strchr(dash + 1, '-') &&
      !strchr(pg, ',') && !strchr(pg, ' ')) {
    citeconv_buf_adds(b, "<StartPage>");
    esc(b, pg, (size_t)(dash - pg));
    citeconv_buf_adds(b, "</StartPage><EndPage>");
    escs(b, dash + 1);
    citeconv_buf_adds(b, "</EndPage>");
  } else if (pg && !strchr(pg, ',') && !strchr(pg, '-')) {
    citeconv_buf_adds(b, "<StartPage>");
    escs(b, pg);
    citeconv_buf_adds(b, "</StartPage>");
  }
  citeconv_buf_adds(b, "<MedlinePgn>");
  if (pg) {
    citeconv_pages_abbreviate(&abbr, pg, strlen(pg));
    escs(b, abbr.data);
  }
  citeconv_buf_adds(b, "</MedlinePgn></Pagination>\n");
  citeconv_buf_free(&abbr);
}

static void pubmed_data_tail(citeconv_buf *b, const citeconv_record *rec)
{
  const char *status = extra_or_tag(rec, PX_STATUS, "PST");
  if (extra(rec, PX_PREFIX "History"))
    verbatim(b, rec, "History");
  else
    tag_history(b, rec);
  citeconv_buf_adds(b, "<PublicationStatus>");
  escs(b, status ? status : "ppublish");
  citeconv_buf_adds(b, "</PublicationStatus>\n");
  ids(b, rec, true);
  verbatim(b, rec, "ObjectList");
}

/* Extras of this format the writer puts back; others are reported. */
static bool placed_extra(const char *name)
{
  static const char *const names[] = {
      PX_MESH, PX_PUBTYPE, PX_SECTION, PX_COPYRIGHT, PX_CITATION,
      PX_ISSN_TYPE, PX_STATUS, PX_PREFIX "Status", PX_PREFIX "Owner",
      PX_PREFIX "IndexingMethod", PX_PREFIX "PubModel",
      PX_PREFIX "CitedMedium", PX_PREFIX "Season",
      PX_PREFIX "KeywordList-Owner", PX_ELOCATION "pii",
      PX_PREFIX "ArticleDate", NULL};
  static const char *const idtypes[] = {
      "doi", "pii", "pmcpid", "pmpid", "pmc", "mid", "sici",
      "pubmed", "medline", "pmcid", "pmcbook", "bookaccession", NULL};
  size_t plen = strlen(PX_ARTICLEID);
  if (one_of(name, names))
    return true;
  if (strncmp(name, PX_ARTICLEID, plen) == 0)
    return one_of(name + plen, idtypes);
  if (strncmp(name, PX_PREFIX, strlen(PX_PREFIX)) == 0)
    return citeconv_px_is_verbatim(name + strlen(PX_PREFIX)) &&
           strcmp(name + strlen(PX_PREFIX), "DateCreated") != 0;
  return strcmp(name, PX_CITING) == 0; /* it links a reference here */
}

/* Variables each element kind carries; the rest are reported. */
static void report_left_out(px_writer *st, const citeconv_record *rec,
                            const citeconv_var *carried, size_t n)
{
  bool seen[CITECONV_VAR__COUNT] = {false};
  for (size_t i = 0; i < citeconv_record_field_count(rec); i++)
    seen[citeconv_record_field_at(rec, i)->var] = true;
  for (size_t i = 0; i < citeconv_record_name_count(rec); i++)
    seen[citeconv_record_name_at(rec, i)->role] = true;
  for (int v = 0; v < CITECONV_VAR__COUNT; v++)
    if (citeconv_var_kind_of((citeconv_var)v) == CITECONV_KIND_DATE &&
        citeconv_record_date(rec, (citeconv_var)v))
      seen[v] = true;
  for (size_t i = 0; i < n; i++)
    seen[carried[i]] = false;
  {
    /* One abbreviation fits; a book's container is its title. */
    const char *ja =
        citeconv_record_text(rec, CITECONV_VAR_JOURNAL_ABBREVIATION);
    const char *cs =
        citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE_SHORT);
    citeconv_type t = citeconv_record_type(rec);
    bool book = t == CITECONV_TYPE_BOOK || t == CITECONV_TYPE_REPORT;
    if (ja && cs && strcmp(ja, cs) != 0)
      seen[CITECONV_VAR_CONTAINER_TITLE_SHORT] = true;
    if (book) {
      seen[CITECONV_VAR_CONTAINER_TITLE] =
          citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE) != NULL;
      seen[CITECONV_VAR_CONTAINER_AUTHOR] =
          citeconv_record_role_count(rec, CITECONV_VAR_CONTAINER_AUTHOR) > 0;
    }
  }
  for (size_t i = 0; i < citeconv_record_name_count(rec); i++) {
    const citeconv_name *nm = citeconv_record_name_at(rec, i);
    if (nm->dropping_particle && !(nm->family && nm->given) &&
        !nm->literal) {
      citeconv_writer_not_carried(&st->base, rec,
                                  "the dropping particle of a name with no "
                                  "given name");
      break;
    }
  }
  for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    if (!placed_extra(e->name) && !placed_medline(e)) {
      char what[128];
      snprintf(what, sizeof(what), "the extra field '%s'", e->name);
      citeconv_writer_not_carried(&st->base, rec, what);
    }
  }
  for (int v = 0; v < CITECONV_VAR__COUNT; v++)
    if (seen[v]) {
      char what[96];
      snprintf(what, sizeof(what), "the '%s' field",
               citeconv_var_name((citeconv_var)v));
      citeconv_writer_not_carried(&st->base, rec, what);
    }
}

static const char *const citation_status[] = {
    "Completed", "In-Process", "PubMed-not-MEDLINE", "In-Data-Review",
    "Publisher", "MEDLINE", "OLDMEDLINE", NULL};
static const char *const owners[] = {"NLM", "NASA", "PIP", "KIE", "HSR",
                                     "HMD", "NOTNLM", NULL};
static const char *const pubmodels[] = {"Print", "Print-Electronic",
                                        "Electronic", "Electronic-Print",
                                        "Electronic-eCollection", NULL};

static void write_article(px_writer *st, const citeconv_record *rec)
{
  static const citeconv_var carried[] = {
      CITECONV_VAR_TITLE,        CITECONV_VAR_CONTAINER_TITLE,
      CITECONV_VAR_JOURNAL_ABBREVIATION, CITECONV_VAR_ISSUED,
      CITECONV_VAR_VOLUME,       CITECONV_VAR_ISSUE,
      CITECONV_VAR_PAGE,         CITECONV_VAR_DOI,
      CITECONV_VAR_PMID,         CITECONV_VAR_PMCID,
      CITECONV_VAR_ISSN,         CITECONV_VAR_ABSTRACT,
      CITECONV_VAR_KEYWORD,      CITECONV_VAR_LANGUAGE,
      CITECONV_VAR_ORIGINAL_TITLE, CITECONV_VAR_AVAILABLE_DATE,
      CITECONV_VAR_AUTHOR,       CITECONV_VAR_NOTE,
      CITECONV_VAR_CONTAINER_TITLE_SHORT};
  citeconv_buf *b = &st->b;
  const char *v;
  const char *issn = citeconv_record_text(rec, CITECONV_VAR_ISSN);
  const citeconv_date *ad =
      citeconv_record_date(rec, CITECONV_VAR_AVAILABLE_DATE);
  const char *pg = citeconv_record_text(rec, CITECONV_VAR_PAGE);
  const char *doi = citeconv_record_text(rec, CITECONV_VAR_DOI);
  const char *ta = citeconv_record_text(rec, CITECONV_VAR_JOURNAL_ABBREVIATION);
  if (!ta)
    ta = citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE_SHORT);
  bool have_eloc = doi || extra(rec, PX_ELOCATION "pii");

  v = extra_or_tag(rec, PX_PREFIX "Status", "STAT");
  citeconv_buf_printf(b, "<PubmedArticle>\n<MedlineCitation Status=\"%s\"",
                      one_of(v, citation_status) ? v : "PubMed-not-MEDLINE");
  v = extra_or_tag(rec, PX_PREFIX "Owner", "OWN");
  citeconv_buf_printf(b, " Owner=\"%s\"", one_of(v, owners) ? v : "NLM");
  if ((v = extra(rec, PX_PREFIX "IndexingMethod"))) {
    citeconv_buf_adds(b, " IndexingMethod=\"");
    escs(b, v);
    citeconv_buf_addc(b, '"');
  }
  citeconv_buf_adds(b, ">\n<PMID Version=\"1\">");
  escs(b, citeconv_record_text(rec, CITECONV_VAR_PMID));
  citeconv_buf_adds(b, "</PMID>\n");
  if (extra(rec, PX_PREFIX "DateCompleted"))
    verbatim(b, rec, "DateCompleted");
  else
    tag_date(b, "DateCompleted", extra(rec, ML "DCOM"));
  if (extra(rec, PX_PREFIX "DateRevised"))
    verbatim(b, rec, "DateRevised");
  else
    tag_date(b, "DateRevised", extra(rec, ML "LR"));
  v = extra(rec, PX_PREFIX "PubModel");
  citeconv_buf_printf(b, "<Article PubModel=\"%s\">\n<Journal>\n",
                      one_of(v, pubmodels) ? v : "Print");
  if (issn) {
    v = extra(rec, PX_ISSN_TYPE);
    citeconv_buf_printf(b, "<ISSN IssnType=\"%s\">",
                        v && strcmp(v, "Electronic") == 0 ? "Electronic"
                                                          : "Print");
    escs(b, issn);
    citeconv_buf_adds(b, "</ISSN>\n");
  }
  v = extra(rec, PX_PREFIX "CitedMedium");
  citeconv_buf_printf(b, "<JournalIssue CitedMedium=\"%s\">\n",
                      v && strcmp(v, "Internet") == 0 ? "Internet" : "Print");
  elem(b, "Volume", citeconv_record_text(rec, CITECONV_VAR_VOLUME));
  elem(b, "Issue", citeconv_record_text(rec, CITECONV_VAR_ISSUE));
  journal_pubdate(b, rec, citeconv_record_date(rec, CITECONV_VAR_ISSUED));
  citeconv_buf_adds(b, "</JournalIssue>\n");
  elem(b, "Title", citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE));
  elem(b, "ISOAbbreviation", ta);
  citeconv_buf_adds(b, "</Journal>\n<ArticleTitle>");
  markup(b, citeconv_record_text(rec, CITECONV_VAR_TITLE));
  citeconv_buf_adds(b, "</ArticleTitle>\n");
  pagination(b, rec, !have_eloc || pg);
  elocations(b, rec, true);
  abstract(b, rec);
  author_list(b, rec, CITECONV_VAR_AUTHOR, NULL);
  languages(b, rec, true);
  verbatim(b, rec, "DataBankList");
  verbatim(b, rec, "GrantList");
  pubtypes(b, rec, true);
  elem_markup(b, "VernacularTitle",
              citeconv_record_text(rec, CITECONV_VAR_ORIGINAL_TITLE));
  if (ad && ad->year && ad->month && ad->day)
    citeconv_buf_printf(b,
                        "<ArticleDate DateType=\"Electronic\"><Year>%d</Year>"
                        "<Month>%02d</Month><Day>%02d</Day></ArticleDate>\n",
                        ad->year, ad->month, ad->day);
  else if (ad)
    citeconv_writer_not_carried(&st->base, rec,
                                "an available-date without a day");
  verbatim(b, rec, "ArticleDate");
  citeconv_buf_adds(b, "</Article>\n");
  if (extra(rec, PX_PREFIX "MedlineJournalInfo")) {
    verbatim(b, rec, "MedlineJournalInfo");
  } else {
    size_t n;
    citeconv_buf_adds(b, "<MedlineJournalInfo>");
    elem(b, "Country", extra(rec, ML "PL"));
    citeconv_buf_adds(b, "<MedlineTA>");
    v = extra(rec, ML "TA");
    escs(b, v ? v : ta ? ta
                    : citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE));
    citeconv_buf_adds(b, "</MedlineTA>");
    elem(b, "NlmUniqueID", extra(rec, ML "JID"));
    for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
      const citeconv_extra *e = citeconv_record_extra_at(rec, i);
      if (!strcmp(e->name, ML "IS") && linking_issn(e->value, &n)) {
        citeconv_buf_adds(b, "<ISSNLinking>");
        esc(b, e->value, n);
        citeconv_buf_adds(b, "</ISSNLinking>");
        break;
      }
    }
    citeconv_buf_adds(b, "</MedlineJournalInfo>\n");
  }
  verbatim(b, rec, "ChemicalList");
  verbatim(b, rec, "SupplMeshList");
  verbatim(b, rec, "CitationSubset");
  if (!extra(rec, PX_PREFIX "CitationSubset"))
    for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
      const citeconv_extra *e = citeconv_record_extra_at(rec, i);
      if (!strcmp(e->name, ML "SB"))
        elem(b, "CitationSubset", e->value);
    }
  verbatim(b, rec, "CommentsCorrectionsList");
  verbatim(b, rec, "GeneSymbolList");
  mesh(b, rec);
  verbatim(b, rec, "NumberOfReferences");
  verbatim(b, rec, "PersonalNameSubjectList");
  verbatim(b, rec, "OtherID");
  verbatim(b, rec, "OtherAbstract");
  keywords(b, rec);
  verbatim(b, rec, "CoiStatement");
  verbatim(b, rec, "SpaceFlightMission");
  verbatim(b, rec, "InvestigatorList");
  verbatim(b, rec, "GeneralNote");
  if (!extra(rec, PX_PREFIX "GeneralNote"))
    for (size_t i = 0; i < citeconv_record_field_count(rec); i++) {
      const citeconv_field *f = citeconv_record_field_at(rec, i);
      if (f->var == CITECONV_VAR_NOTE)
        elem(b, "GeneralNote", f->value); /* a record's notes */
    }
  citeconv_buf_adds(b, "</MedlineCitation>\n<PubmedData>\n");
  pubmed_data_tail(b, rec);
  citeconv_buf_clear(&st->tail);
  citeconv_buf_adds(&st->tail, "</PubmedData>\n</PubmedArticle>\n");
  if (citeconv_record_role_count(rec, CITECONV_VAR_EDITOR))
    citeconv_writer_not_carried(&st->base, rec,
                                "the editors of a journal article");
  report_left_out(st, rec, carried, sizeof(carried) / sizeof(carried[0]));
}

static void write_book(px_writer *st, const citeconv_record *rec)
{
  static const citeconv_var carried[] = {
      CITECONV_VAR_TITLE,     CITECONV_VAR_CONTAINER_TITLE,
      CITECONV_VAR_ISSUED,    CITECONV_VAR_VOLUME,
      CITECONV_VAR_VOLUME_TITLE, CITECONV_VAR_EDITION,
      CITECONV_VAR_COLLECTION_TITLE, CITECONV_VAR_ISBN,
      CITECONV_VAR_MEDIUM,    CITECONV_VAR_NUMBER,
      CITECONV_VAR_PUBLISHER, CITECONV_VAR_PUBLISHER_PLACE,
      CITECONV_VAR_PAGE,      CITECONV_VAR_DOI,
      CITECONV_VAR_PMID,      CITECONV_VAR_PMCID,
      CITECONV_VAR_ABSTRACT,  CITECONV_VAR_KEYWORD,
      CITECONV_VAR_LANGUAGE,  CITECONV_VAR_ORIGINAL_TITLE,
      CITECONV_VAR_AUTHOR,    CITECONV_VAR_EDITOR,
      CITECONV_VAR_CONTAINER_AUTHOR};
  citeconv_buf *b = &st->b;
  bool chapter = citeconv_record_type(rec) == CITECONV_TYPE_CHAPTER;
  citeconv_buf_adds(b, "<PubmedBookArticle>\n<BookDocument>\n"
                       "<PMID Version=\"1\">");
  escs(b, citeconv_record_text(rec, CITECONV_VAR_PMID));
  citeconv_buf_adds(b, "</PMID>\n");
  ids(b, rec, false);
  citeconv_buf_adds(b, "<Book>\n<Publisher><PublisherName>");
  escs(b, citeconv_record_text(rec, CITECONV_VAR_PUBLISHER));
  citeconv_buf_adds(b, "</PublisherName>");
  elem(b, "PublisherLocation",
       citeconv_record_text(rec, CITECONV_VAR_PUBLISHER_PLACE));
  citeconv_buf_adds(b, "</Publisher>\n<BookTitle>");
  markup(b, citeconv_record_text(rec, chapter ? CITECONV_VAR_CONTAINER_TITLE
                                              : CITECONV_VAR_TITLE));
  citeconv_buf_adds(b, "</BookTitle>\n");
  pubdate(b, "PubDate", rec, citeconv_record_date(rec, CITECONV_VAR_ISSUED));
  verbatim(b, rec, "BeginningDate");
  verbatim(b, rec, "EndingDate");
  author_list(b, rec, chapter ? CITECONV_VAR_CONTAINER_AUTHOR
                              : CITECONV_VAR_AUTHOR, "authors");
  author_list(b, rec, CITECONV_VAR_EDITOR, "editors");
  elem(b, "Volume", citeconv_record_text(rec, CITECONV_VAR_VOLUME));
  elem_markup(b, "VolumeTitle",
              citeconv_record_text(rec, CITECONV_VAR_VOLUME_TITLE));
  elem(b, "Edition", citeconv_record_text(rec, CITECONV_VAR_EDITION));
  elem_markup(b, "CollectionTitle",
              citeconv_record_text(rec, CITECONV_VAR_COLLECTION_TITLE));
  for (size_t i = 0; i < citeconv_record_field_count(rec); i++) {
    const citeconv_field *f = citeconv_record_field_at(rec, i);
    if (f->var == CITECONV_VAR_ISBN)
      elem(b, "Isbn", f->value);
  }
  elocations(b, rec, true);
  elem(b, "Medium", citeconv_record_text(rec, CITECONV_VAR_MEDIUM));
  elem(b, "ReportNumber", citeconv_record_text(rec, CITECONV_VAR_NUMBER));
  citeconv_buf_adds(b, "</Book>\n");
  verbatim(b, rec, "LocationLabel");
  if (chapter)
    elem_markup(b, "ArticleTitle",
                citeconv_record_text(rec, CITECONV_VAR_TITLE));
  elem_markup(b, "VernacularTitle",
              citeconv_record_text(rec, CITECONV_VAR_ORIGINAL_TITLE));
  pagination(b, rec, false);
  languages(b, rec, false);
  if (chapter)
    author_list(b, rec, CITECONV_VAR_AUTHOR, "authors");
  verbatim(b, rec, "InvestigatorList");
  pubtypes(b, rec, false);
  abstract(b, rec);
  verbatim(b, rec, "Sections");
  keywords(b, rec);
  verbatim(b, rec, "ContributionDate");
  verbatim(b, rec, "DateRevised");
  verbatim(b, rec, "GrantList");
  verbatim(b, rec, "ItemList");
  citeconv_buf_clear(&st->tail);
  citeconv_buf_adds(&st->tail, "</BookDocument>\n<PubmedBookData>\n");
  pubmed_data_tail(&st->tail, rec);
  citeconv_buf_adds(&st->tail, "</PubmedBookData>\n</PubmedBookArticle>\n");
  report_left_out(st, rec, carried, sizeof(carried) / sizeof(carried[0]));
}

/* A reference of the open article: its Citation text (kept by the reader,
 * or the note, or made from the fields) and its identifiers. */
static void write_reference(px_writer *st, const citeconv_record *rec)
{
  citeconv_buf *b = &st->b;
  const char *cit = extra(rec, PX_CITATION);
  const char *pmid = citeconv_record_text(rec, CITECONV_VAR_PMID);
  const char *doi = citeconv_record_text(rec, CITECONV_VAR_DOI);
  const char *pmc = citeconv_record_text(rec, CITECONV_VAR_PMCID);
  if (!cit)
    cit = citeconv_record_text(rec, CITECONV_VAR_NOTE);
  if (!st->in_refs) {
    citeconv_buf_adds(b, "<ReferenceList>\n");
    st->in_refs = true;
  }
  citeconv_buf_adds(b, "<Reference><Citation>");
  if (cit) {
    markup(b, cit);
  } else {
    /* Vancouver-like text from the fields. */
    size_t n = citeconv_record_name_count(rec), k = 0;
    const char *t;
    const citeconv_date *d = citeconv_record_date(rec, CITECONV_VAR_ISSUED);
    for (size_t i = 0; i < n; i++) {
      const citeconv_name *nm = citeconv_record_name_at(rec, i);
      if (nm->role != CITECONV_VAR_AUTHOR)
        continue;
      citeconv_buf_adds(b, k++ ? ", " : "");
      escs(b, nm->literal ? nm->literal : nm->family);
      if (nm->given) {
        citeconv_buf_addc(b, ' ');
        escs(b, nm->given);
      }
    }
    if (k)
      citeconv_buf_adds(b, ". ");
    if ((t = citeconv_record_text(rec, CITECONV_VAR_TITLE))) {
      markup(b, t);
      citeconv_buf_adds(b, ". ");
    }
    if ((t = citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE))) {
      markup(b, t);
      citeconv_buf_adds(b, ". ");
    }
    if (d && d->year)
      citeconv_buf_printf(b, "%d", d->year);
    if ((t = citeconv_record_text(rec, CITECONV_VAR_VOLUME))) {
      citeconv_buf_addc(b, ';');
      escs(b, t);
    }
    if ((t = citeconv_record_text(rec, CITECONV_VAR_PAGE))) {
      citeconv_buf_addc(b, ':');
      escs(b, t);
    }
  }
  citeconv_buf_adds(b, "</Citation>");
  if (pmid || doi || pmc) {
    citeconv_buf_adds(b, "<ArticleIdList>");
    if (pmid) {
      citeconv_buf_adds(b, "<ArticleId IdType=\"pubmed\">");
      escs(b, pmid);
      citeconv_buf_adds(b, "</ArticleId>");
    }
    if (doi) {
      citeconv_buf_adds(b, "<ArticleId IdType=\"doi\">");
      escs(b, doi);
      citeconv_buf_adds(b, "</ArticleId>");
    }
    if (pmc) {
      citeconv_buf_adds(b, "<ArticleId IdType=\"pmc\">");
      escs(b, pmc);
      citeconv_buf_adds(b, "</ArticleId>");
    }
    citeconv_buf_adds(b, "</ArticleIdList>");
  }
  citeconv_buf_adds(b, "</Reference>\n");
}

static void close_article(px_writer *st)
{
  if (!st->open)
    return;
  if (st->in_refs)
    citeconv_buf_adds(&st->b, "</ReferenceList>\n");
  citeconv_buf_add(&st->b, st->tail.data ? st->tail.data : "", st->tail.len);
  st->open = st->in_refs = false;
  st->open_pmid[0] = '\0';
}

static int flush(px_writer *st)
{
  if (st->b.overflow)
    return CITECONV_ENOMEM;
  citeconv_out_write(st->base.out, st->b.data ? st->b.data : "", st->b.len);
  citeconv_buf_clear(&st->b);
  return st->base.out->error ? CITECONV_EIO : 0;
}

int citeconv_px_write_record(citeconv_writer *w, const citeconv_record *rec)
{
  px_writer *st = (px_writer *)w;
  const char *citing = citeconv_record_extra(rec, PX_CITING);
  const char *pmid = citeconv_record_text(rec, CITECONV_VAR_PMID);
  citeconv_type t = citeconv_record_type(rec);
  if (citing && st->open && strcmp(citing, st->open_pmid) == 0) {
    write_reference(st, rec);
    return flush(st);
  }
  close_article(st);
  if (!st->started) {
    /* The prologue waits for the first article: see citeconv_px_write_end.
     */
    citeconv_out_puts(w->out, prologue);
    st->started = true;
  }
  if (t == CITECONV_TYPE_BOOK || t == CITECONV_TYPE_CHAPTER ||
      t == CITECONV_TYPE_REPORT) {
    write_book(st, rec);
  } else {
    if (t != CITECONV_TYPE_ARTICLE_JOURNAL && t != CITECONV_TYPE_ARTICLE &&
        t != CITECONV_TYPE_ARTICLE_MAGAZINE &&
        t != CITECONV_TYPE_ARTICLE_NEWSPAPER && t != CITECONV_TYPE_REVIEW &&
        t != CITECONV_TYPE_DATASET && t != CITECONV_TYPE_PAPER_CONFERENCE) {
      char what[96];
      snprintf(what, sizeof(what), "the item type '%s' (written as a "
               "journal article)", citeconv_type_name(t));
      citeconv_writer_not_carried(w, rec, what);
    }
    write_article(st, rec);
  }
  st->open = true;
  snprintf(st->open_pmid, sizeof(st->open_pmid), "%s", pmid ? pmid : "");
  return flush(st);
}

int citeconv_px_write_begin(citeconv_writer **out, citeconv_session *s,
                            citeconv_output *o)
{
  px_writer *st = calloc(1, sizeof(*st));
  *out = NULL;
  if (!st)
    return CITECONV_ENOMEM;
  citeconv_writer_init(&st->base, &citeconv_format_pubmed_xml, s, o);
  *out = &st->base;
  return 0;
}

int citeconv_px_write_end(citeconv_writer *w)
{
  px_writer *st = (px_writer *)w;
  int rc;
  if (!st->started) {
    /* The DTD wants one PubmedArticle or PubmedBookArticle at least
     * ("(PubmedArticle | PubmedBookArticle)+"): an empty set would not be
     * valid, and no article may be made up. Nothing is written. */
    citeconv_diag_emit_sev(w->session, NULL, NULL, 0, CITECONV_D_EMPTY_OUTPUT,
                           CITECONV_SEV_ERROR,
                           "no record to write: a PubmedArticleSet needs at "
                           "least one PubmedArticle or PubmedBookArticle "
                           "(PubMed DTD); nothing was written");
    return citeconv_out_flush(w->out);
  }
  close_article(st);
  if ((rc = flush(st)) < 0)
    return rc;
  citeconv_out_puts(w->out, "</PubmedArticleSet>\n");
  return citeconv_out_flush(w->out);
}

void citeconv_px_write_free(citeconv_writer *w)
{
  px_writer *st = (px_writer *)w;
  if (!st)
    return;
  citeconv_buf_free(&st->b);
  citeconv_buf_free(&st->tail);
  free(st);
}
