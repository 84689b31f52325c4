/* PubMed/MEDLINE XML reader: streams a PubmedArticleSet (efetch output,
 * baseline files) one PubmedArticle / PubmedBookArticle at a time, then
 * the Reference entries of its ReferenceList as records of their own. */
#include <stdlib.h>
#include <string.h>

#include "nlmdate.h"
#include "pages.h"
#include "pubmed_xml.h"
#include "text.h"
#include "xml.h"
#ifdef CITECONV_HAVE_REFPARSE
#include "refparse.h"
#endif

typedef enum { REFS_ARTICLE, REFS_REFERENCES, REFS_BOTH } refs_mode;

typedef struct {
  citeconv_reader base;
  citeconv_xml_split split; /* the parser: one article tree at a time */
  citeconv_xml xml;         /* not opened: reports entities in markup */
  citeconv_buf buf;         /* scratch for one value */
  size_t max_names;
  refs_mode refs;
  bool done;                /* nothing more to read */
  citeconv_xml_tree *tree;  /* the current article's tree */
  xmlNode *item;            /* its root */
  xmlNode *ref;             /* next Reference of the current article */
  char citing[64];
  citeconv_pos citing_pos;
} px_reader;

/* Elements kept verbatim (as XML) in an extra "pubmed-xml:NAME". */
static const char *const verbatim[] = {
    "MedlineJournalInfo", "ChemicalList",      "SupplMeshList",
    "CitationSubset",     "CommentsCorrectionsList", "GeneSymbolList",
    "NumberOfReferences", "PersonalNameSubjectList", "OtherID",
    "OtherAbstract",      "CoiStatement",      "SpaceFlightMission",
    "InvestigatorList",   "GeneralNote",       "DataBankList",
    "GrantList",          "History",           "ObjectList",
    "LocationLabel",      "Sections",          "ItemList",
    "BeginningDate",      "EndingDate",        "ContributionDate",
    "DateCompleted",      "DateRevised",       "DateCreated",
    NULL};

int citeconv_px_is_verbatim(const char *name)
{
  for (size_t i = 0; verbatim[i]; i++)
    if (strcmp(verbatim[i], name) == 0)
      return 1;
  return 0;
}

/* ---- small helpers ---- */

/* The squeezed text (or markup) of `n` in st->buf; false when empty or
 * too long (reported). */
static bool value_of(px_reader *st, const xmlNode *n, bool markup)
{
  int rc;
  citeconv_buf_clear(&st->buf);
  if (!n)
    return false;
  rc = markup ? citeconv_xml_markup(&st->buf, n, &st->xml)
              : citeconv_xml_text(&st->buf, n);
  if (rc == CITECONV_ELIMIT || st->buf.overflow) {
    citeconv_pos pos = citeconv_xml_node_pos(n);
    citeconv_reader_diag(&st->base, &pos, CITECONV_D_LIMIT,
                         "<%s> is longer than max-field-bytes; skipped",
                         (const char *)n->name);
    citeconv_buf_clear(&st->buf);
    return false;
  }
  return rc == 0 && st->buf.len > 0;
}

static int put_text(px_reader *st, citeconv_record *rec, citeconv_var var,
                    const xmlNode *n, bool markup, bool add)
{
  if (!value_of(st, n, markup))
    return 0;
  return add ? citeconv_record_add_text(rec, var, st->buf.data, st->buf.len,
                                        citeconv_xml_node_pos(n))
             : citeconv_record_set_text(rec, var, st->buf.data, st->buf.len,
                                        citeconv_xml_node_pos(n));
}

static int put_extra(px_reader *st, citeconv_record *rec, const char *name,
                     const xmlNode *n)
{
  if (!value_of(st, n, true))
    return 0;
  return citeconv_record_add_extra(rec, name, st->buf.data, st->buf.len,
                                   citeconv_xml_node_pos(n));
}

/* Keep an element's XML as it is, in extra "pubmed-xml:NAME". */
static int put_verbatim(px_reader *st, citeconv_record *rec,
                        const xmlNode *n)
{
  char name[128];
  int rc;
  citeconv_buf_clear(&st->buf);
  rc = citeconv_xml_dump(&st->buf, n);
  if (rc == CITECONV_ELIMIT) {
    citeconv_pos pos = citeconv_xml_node_pos(n);
    citeconv_reader_diag(&st->base, &pos, CITECONV_D_LIMIT,
                         "<%s> is longer than max-field-bytes; skipped",
                         (const char *)n->name);
    return 0;
  }
  if (rc < 0)
    return rc;
  snprintf(name, sizeof(name), PX_PREFIX "%s", (const char *)n->name);
  return citeconv_record_add_extra(rec, name, st->buf.data, st->buf.len,
                                   citeconv_xml_node_pos(n));
}

static void unknown_element(px_reader *st, citeconv_record *rec,
                            const xmlNode *n, const char *parent)
{
  citeconv_pos pos = citeconv_xml_node_pos(n);
  citeconv_reader_diag(&st->base, &pos, CITECONV_D_UNKNOWN_FIELD,
                       "unknown element <%s> in <%s>; kept as extra "
                       "'pubmed-xml:%s'",
                       (const char *)n->name, parent, (const char *)n->name);
  put_verbatim(st, rec, n);
}

static int to_int(const char *s)
{
  int v = 0;
  for (; *s == ' '; s++)
    ;
  for (; *s >= '0' && *s <= '9' && v < 100000; s++)
    v = v * 10 + (*s - '0');
  return *s == '\0' || *s == ' ' ? v : -1;
}

/* ---- dates ---- */

/* PubDate, ArticleDate: Year, Month, Day, Season or MedlineDate. */
static int put_date(px_reader *st, citeconv_record *rec, citeconv_var var,
                    const xmlNode *n)
{
  citeconv_date d;
  const xmlNode *c;
  char raw[256], quarter[300];
  memset(&d, 0, sizeof(d));
  d.pos = citeconv_xml_node_pos(n);
  if ((c = citeconv_xml_child(n, "MedlineDate"))) {
    if (!value_of(st, c, false))
      return 0;
    snprintf(raw, sizeof(raw), "%s", st->buf.data);
    /* The text is kept (as MEDLINE's DP keeps it) for ranges and for
     * what cannot be read; "1999 Spring" is plain year and season. */
    if (citeconv_nlmdate_parse(&d, raw, strlen(raw))) {
      if (d.end_year || d.end_month || d.end_day || d.end_season)
        d.raw = raw;
    } else {
      citeconv_pos pos = citeconv_xml_node_pos(c);
      memset(&d, 0, sizeof(d));
      d.pos = pos;
      d.raw = raw;
      d.literal = raw;
      citeconv_reader_diag(&st->base, &pos, CITECONV_D_BAD_DATE,
                           "cannot read MedlineDate '%s' as a date; kept as "
                           "text",
                           raw);
    }
    return citeconv_record_set_date(rec, var, &d);
  }
  if (value_of(st, citeconv_xml_child(n, "Year"), false)) {
    d.year = to_int(st->buf.data);
    if (d.year <= 0) {
      citeconv_reader_diag(&st->base, &d.pos, CITECONV_D_BAD_DATE,
                           "year '%s' is not a number", st->buf.data);
      d.year = 0;
    }
  }
  if (value_of(st, (c = citeconv_xml_child(n, "Month")), false)) {
    d.month = citeconv_nlmdate_month(st->buf.data, st->buf.len);
    if (!d.month) {
      citeconv_pos pos = citeconv_xml_node_pos(c);
      citeconv_reader_diag(&st->base, &pos, CITECONV_D_BAD_DATE,
                           "month '%s' is not a month; left out",
                           st->buf.data);
    }
  }
  if (d.month && value_of(st, (c = citeconv_xml_child(n, "Day")), false)) {
    d.day = to_int(st->buf.data);
    if (d.day <= 0 || !citeconv_nlmdate_valid(d.year, d.month, d.day)) {
      citeconv_pos pos = citeconv_xml_node_pos(c);
      citeconv_reader_diag(&st->base, &pos, CITECONV_D_BAD_DATE,
                           "day '%s' does not exist in %d-%02d; left out",
                           st->buf.data, d.year, d.month);
      d.day = 0;
    }
  }
  if (value_of(st, (c = citeconv_xml_child(n, "Season")), false)) {
    citeconv_date q;
    memset(&q, 0, sizeof(q));
    d.season = citeconv_nlmdate_season(st->buf.data, st->buf.len);
    snprintf(raw, sizeof(raw), "2000 %s", st->buf.data);
    if (!d.season && !d.month && citeconv_nlmdate_parse(&q, raw, strlen(raw)) &&
        q.month && q.end_month && q.end_year == 2000 && !q.day) {
      /* A quarter written as a season, "Jan-Mar": months for the record,
       * the text for the writer. */
      d.month = q.month;
      d.end_year = d.year;
      d.end_month = q.end_month;
      snprintf(quarter, sizeof(quarter), "%d %s", d.year, raw + 5);
      d.raw = quarter;
      citeconv_record_add_extra(rec, PX_PREFIX "Season", raw + 5,
                                strlen(raw + 5), citeconv_xml_node_pos(c));
    } else if (!d.season) {
      citeconv_pos pos = citeconv_xml_node_pos(c);
      snprintf(raw, sizeof(raw), "%s", st->buf.data);
      citeconv_reader_diag(&st->base, &pos, CITECONV_D_BAD_DATE,
                           "season '%s' is not a season; kept as text", raw);
      if (!d.year) {
        d.literal = raw;
      } else {
        citeconv_record_add_extra(rec, PX_PREFIX "Season", raw, strlen(raw),
                                  pos);
      }
    }
  }
  if (!d.year && !d.literal) {
    citeconv_reader_diag(&st->base, &d.pos, CITECONV_D_BAD_DATE,
                         "<%s> has no year; left out", (const char *)n->name);
    return 0;
  }
  return citeconv_record_set_date(rec, var, &d);
}

/* ---- names ---- */

static const char *strip_orcid(const char *s)
{
  static const char *const prefixes[] = {"https://orcid.org/",
                                         "http://orcid.org/",
                                         "https://www.orcid.org/",
                                         "http://www.orcid.org/", NULL};
  for (size_t i = 0; prefixes[i]; i++)
    if (strncmp(s, prefixes[i], strlen(prefixes[i])) == 0)
      return s + strlen(prefixes[i]);
  return s;
}

static int put_author(px_reader *st, citeconv_record *rec, const xmlNode *a,
                      citeconv_var role)
{
  citeconv_name name;
  char *parts[5] = {NULL};
  const char *affs_static[16];
  const char **affs = affs_static;
  size_t naffs = 0, cap = 16;
  int rc = 0;
  static const char *const fields[] = {"LastName", "ForeName", "Initials",
                                       "Suffix", "CollectiveName"};
  memset(&name, 0, sizeof(name));
  name.role = role;
  name.pos = citeconv_xml_node_pos(a);
  for (int i = 0; i < 5; i++)
    if (value_of(st, citeconv_xml_child(a, fields[i]), i == 4)) {
      parts[i] = strdup(st->buf.data);
      if (!parts[i]) {
        rc = CITECONV_ENOMEM;
        goto done;
      }
    }
  name.family = parts[0];
  name.given = parts[1] ? parts[1] : parts[2];
  name.suffix = parts[3];
  name.literal = parts[4];
  for (const xmlNode *c = citeconv_xml_child(a, NULL); c;
       c = citeconv_xml_next(c, NULL)) {
    if (citeconv_xml_is(c, "Identifier")) {
      const char *src = citeconv_xml_attr(c, "Source");
      if (src && strcmp(src, "ORCID") == 0 && value_of(st, c, false) &&
          !name.orcid) {
        char *o = strdup(strip_orcid(st->buf.data));
        if (!o) {
          rc = CITECONV_ENOMEM;
          goto done;
        }
        name.orcid = o;
      } else {
        citeconv_pos pos = citeconv_xml_node_pos(c);
        citeconv_reader_diag(&st->base, &pos, CITECONV_D_UNKNOWN_FIELD,
                             "author identifier from '%s' is not kept",
                             src ? src : "");
      }
    } else if (citeconv_xml_is(c, "AffiliationInfo")) {
      const xmlNode *af = citeconv_xml_child(c, "Affiliation");
      if (!value_of(st, af, true))
        continue;
      if (naffs == cap) {
        const char **bigger;
        if (affs == affs_static) {
          bigger = malloc(2 * cap * sizeof(*bigger));
          if (bigger)
            memcpy(bigger, affs, naffs * sizeof(*bigger));
        } else {
          bigger = realloc(affs, 2 * cap * sizeof(*bigger));
        }
        if (!bigger) {
          rc = CITECONV_ENOMEM;
          goto done;
        }
        affs = bigger;
        cap *= 2;
      }
      affs[naffs] = strdup(st->buf.data);
      if (!affs[naffs]) {
        rc = CITECONV_ENOMEM;
        goto done;
      }
      naffs++;
    }
  }
  name.affiliations = affs;
  name.n_affiliations = naffs;
  if (!name.family && !name.given && !name.literal) {
    citeconv_reader_diag(&st->base, &name.pos, CITECONV_D_BAD_VALUE,
                         "<Author> without LastName or CollectiveName; "
                         "left out");
    goto done;
  }
  if (citeconv_record_name_count(rec) >= st->max_names) {
    citeconv_reader_diag(&st->base, &name.pos, CITECONV_D_LIMIT,
                         "more than max-names %zu names; the rest are left "
                         "out",
                         st->max_names);
    citeconv_record_set_truncated(rec, role, true);
    goto done;
  }
  rc = citeconv_record_add_name(rec, &name);
done:
  for (int i = 0; i < 5; i++)
    free(parts[i]);
  free((char *)name.orcid);
  for (size_t i = 0; i < naffs; i++)
    free((char *)affs[i]);
  if (affs != affs_static)
    free(affs);
  return rc;
}

static int put_authors(px_reader *st, citeconv_record *rec,
                       const xmlNode *list, citeconv_var role)
{
  const char *type = citeconv_xml_attr(list, "Type");
  const char *complete = citeconv_xml_attr(list, "CompleteYN");
  int rc = 0;
  if (type && strcmp(type, "editors") == 0)
    role = CITECONV_VAR_EDITOR;
  for (const xmlNode *a = citeconv_xml_child(list, "Author"); a && rc == 0;
       a = citeconv_xml_next(a, "Author")) {
    if (citeconv_record_name_count(rec) >= st->max_names &&
        citeconv_record_truncated(rec, role))
      break;
    rc = put_author(st, rec, a, role);
  }
  if (complete && strcmp(complete, "N") == 0)
    citeconv_record_set_truncated(rec, role, true);
  return rc;
}

/* ---- parts of an article ---- */

static int put_abstract(px_reader *st, citeconv_record *rec,
                        const xmlNode *abs)
{
  citeconv_buf all = CITECONV_BUF_INIT;
  bool labelled = false;
  int rc = 0;
  all.max = st->buf.max;
  for (const xmlNode *t = citeconv_xml_child(abs, "AbstractText"); t;
       t = citeconv_xml_next(t, "AbstractText"))
    if (citeconv_xml_attr(t, "Label") || citeconv_xml_attr(t, "NlmCategory"))
      labelled = true;
  for (const xmlNode *t = citeconv_xml_child(abs, "AbstractText");
       t && rc == 0; t = citeconv_xml_next(t, "AbstractText")) {
    const char *label = citeconv_xml_attr(t, "Label");
    const char *cat = citeconv_xml_attr(t, "NlmCategory");
    bool has = value_of(st, t, true);
    if (all.len)
      rc = citeconv_buf_addc(&all, '\n');
    if (rc == 0 && label && *label)
      rc = citeconv_buf_printf(&all, "%s: ", label);
    if (rc == 0 && has)
      rc = citeconv_buf_add(&all, st->buf.data, st->buf.len);
    if (rc == 0 && labelled) {
      citeconv_buf_clear(&st->buf);
      rc = citeconv_buf_printf(&st->buf, "%s\t%s", label ? label : "",
                               cat ? cat : "");
      if (rc == 0)
        rc = citeconv_record_add_extra(rec, PX_SECTION, st->buf.data,
                                       st->buf.len, citeconv_xml_node_pos(t));
    }
  }
  if (rc == CITECONV_ELIMIT) {
    citeconv_pos pos = citeconv_xml_node_pos(abs);
    citeconv_reader_diag(&st->base, &pos, CITECONV_D_LIMIT,
                         "<Abstract> is longer than max-field-bytes; "
                         "skipped");
    rc = 0;
  } else if (rc == 0 && all.len) {
    rc = citeconv_record_set_text(rec, CITECONV_VAR_ABSTRACT, all.data,
                                  all.len, citeconv_xml_node_pos(abs));
  }
  citeconv_buf_free(&all);
  if (rc == 0)
    rc = put_extra(st, rec, PX_COPYRIGHT,
                   citeconv_xml_child(abs, "CopyrightInformation"));
  return rc;
}

static int put_pagination(px_reader *st, citeconv_record *rec,
                          const xmlNode *p)
{
  const xmlNode *mp = citeconv_xml_child(p, "MedlinePgn");
  const xmlNode *sp = citeconv_xml_child(p, "StartPage");
  const xmlNode *ep = citeconv_xml_child(p, "EndPage");
  citeconv_buf pg = CITECONV_BUF_INIT;
  int rc = 0;
  if (value_of(st, mp, false)) {
    rc = citeconv_pages_expand(&pg, st->buf.data, st->buf.len);
  } else if (value_of(st, sp, false)) {
    rc = citeconv_buf_add(&pg, st->buf.data, st->buf.len);
    if (rc == 0 && value_of(st, ep, false)) {
      citeconv_buf_addc(&pg, '-');
      rc = citeconv_buf_add(&pg, st->buf.data, st->buf.len);
    }
  }
  if (rc == 0 && pg.len)
    rc = citeconv_record_set_text(rec, CITECONV_VAR_PAGE, pg.data, pg.len,
                                  citeconv_xml_node_pos(p));
  citeconv_buf_free(&pg);
  return rc < 0 && rc != CITECONV_ENOMEM ? 0 : rc;
}

static int put_elocation(px_reader *st, citeconv_record *rec,
                         const xmlNode *e)
{
  const char *type = citeconv_xml_attr(e, "EIdType");
  char name[64];
  if (!type)
    type = "";
  if (strcmp(type, "doi") == 0 &&
      !citeconv_record_text(rec, CITECONV_VAR_DOI))
    return put_text(st, rec, CITECONV_VAR_DOI, e, false, false);
  snprintf(name, sizeof(name), PX_ELOCATION "%s", type);
  return put_extra(st, rec, name, e);
}

static int put_ids(px_reader *st, citeconv_record *rec, const xmlNode *list)
{
  int rc = 0;
  for (const xmlNode *id = citeconv_xml_child(list, "ArticleId");
       id && rc == 0; id = citeconv_xml_next(id, "ArticleId")) {
    const char *type = citeconv_xml_attr(id, "IdType");
    citeconv_var var = CITECONV_VAR_NONE;
    char name[64];
    if (!type)
      type = "pubmed";
    if (strcmp(type, "pubmed") == 0)
      var = CITECONV_VAR_PMID;
    else if (strcmp(type, "doi") == 0)
      var = CITECONV_VAR_DOI;
    else if (strcmp(type, "pmc") == 0)
      var = CITECONV_VAR_PMCID;
    if (!value_of(st, id, false))
      continue;
    if (var != CITECONV_VAR_NONE) {
      const char *have = citeconv_record_text(rec, var);
      if (!have) {
        rc = citeconv_record_set_text(rec, var, st->buf.data, st->buf.len,
                                      citeconv_xml_node_pos(id));
        continue;
      }
      if (strcmp(have, st->buf.data) == 0)
        continue;
    }
    snprintf(name, sizeof(name), PX_ARTICLEID "%s", type);
    rc = citeconv_record_add_extra(rec, name, st->buf.data, st->buf.len,
                                   citeconv_xml_node_pos(id));
  }
  return rc;
}

static int put_pubtype(px_reader *st, citeconv_record *rec, const xmlNode *n,
                       bool *typed)
{
  int t;
  if (!value_of(st, n, false))
    return 0;
  t = citeconv_nlm_pubtype_to_type(st->buf.data);
  if (t >= 0 && !*typed) {
    citeconv_record_set_type(rec, (citeconv_type)t);
    *typed = true;
  }
  return citeconv_record_add_extra(rec, PX_PUBTYPE, st->buf.data, st->buf.len,
                                   citeconv_xml_node_pos(n));
}

/* MeSH headings in MEDLINE's MH form: the descriptor, then each
 * qualifier after a slash, an asterisk before each major topic
 * ("*Software", "Kidney Diseases" "/" "*diagnosis"). */
static int put_mesh(px_reader *st, citeconv_record *rec, const xmlNode *list)
{
  citeconv_buf mh = CITECONV_BUF_INIT;
  int rc = 0;
  for (const xmlNode *h = citeconv_xml_child(list, "MeshHeading");
       h && rc == 0; h = citeconv_xml_next(h, "MeshHeading")) {
    citeconv_buf_clear(&mh);
    for (const xmlNode *c = citeconv_xml_child(h, NULL); c && rc == 0;
         c = citeconv_xml_next(c, NULL)) {
      const char *major = citeconv_xml_attr(c, "MajorTopicYN");
      if (!value_of(st, c, false))
        continue;
      if (mh.len)
        rc = citeconv_buf_addc(&mh, '/');
      if (rc == 0 && major && strcmp(major, "Y") == 0)
        rc = citeconv_buf_addc(&mh, '*');
      if (rc == 0)
        rc = citeconv_buf_add(&mh, st->buf.data, st->buf.len);
    }
    if (rc == 0 && mh.len)
      rc = citeconv_record_add_extra(rec, PX_MESH, mh.data, mh.len,
                                     citeconv_xml_node_pos(h));
  }
  citeconv_buf_free(&mh);
  return rc;
}

static int put_keywords(px_reader *st, citeconv_record *rec,
                        const xmlNode *list)
{
  int rc = 0;
  const char *owner = citeconv_xml_attr(list, "Owner");
  if (owner && strcmp(owner, "NOTNLM") != 0 &&
      (rc = citeconv_record_add_extra(rec, PX_PREFIX "KeywordList-Owner",
                                      owner, strlen(owner),
                                      citeconv_xml_node_pos(list))) < 0)
    return rc;
  for (const xmlNode *k = citeconv_xml_child(list, "Keyword"); k && rc == 0;
       k = citeconv_xml_next(k, "Keyword"))
    rc = put_text(st, rec, CITECONV_VAR_KEYWORD, k, true, true);
  return rc;
}

static int put_attr_extra(citeconv_record *rec, const xmlNode *n,
                          const char *attr, const char *extra)
{
  const char *v = citeconv_xml_attr(n, attr);
  if (!v)
    return 0;
  return citeconv_record_add_extra(rec, extra, v, strlen(v),
                                   citeconv_xml_node_pos(n));
}

static int put_journal(px_reader *st, citeconv_record *rec, const xmlNode *j)
{
  int rc = 0;
  for (const xmlNode *c = citeconv_xml_child(j, NULL); c && rc == 0;
       c = citeconv_xml_next(c, NULL)) {
    if (citeconv_xml_is(c, "ISSN")) {
      rc = put_text(st, rec, CITECONV_VAR_ISSN, c, false, true);
      if (rc == 0)
        rc = put_attr_extra(rec, c, "IssnType", PX_ISSN_TYPE);
    } else if (citeconv_xml_is(c, "JournalIssue")) {
      rc = put_attr_extra(rec, c, "CitedMedium", PX_PREFIX "CitedMedium");
      for (const xmlNode *i = citeconv_xml_child(c, NULL); i && rc == 0;
           i = citeconv_xml_next(i, NULL)) {
        if (citeconv_xml_is(i, "Volume"))
          rc = put_text(st, rec, CITECONV_VAR_VOLUME, i, false, false);
        else if (citeconv_xml_is(i, "Issue"))
          rc = put_text(st, rec, CITECONV_VAR_ISSUE, i, false, false);
        else if (citeconv_xml_is(i, "PubDate"))
          rc = put_date(st, rec, CITECONV_VAR_ISSUED, i);
        else
          unknown_element(st, rec, i, "JournalIssue");
      }
    } else if (citeconv_xml_is(c, "Title")) {
      rc = put_text(st, rec, CITECONV_VAR_CONTAINER_TITLE, c, true, false);
    } else if (citeconv_xml_is(c, "ISOAbbreviation")) {
      rc = put_text(st, rec, CITECONV_VAR_JOURNAL_ABBREVIATION, c, false,
                    false);
    } else {
      unknown_element(st, rec, c, "Journal");
    }
  }
  return rc;
}

/* Children of <Article> (and the same names in <BookDocument>). Returns 1
 * when the element is not one of them. */
static int put_article_part(px_reader *st, citeconv_record *rec,
                            const xmlNode *c, bool *typed)
{
  if (citeconv_xml_is(c, "Journal"))
    return put_journal(st, rec, c);
  if (citeconv_xml_is(c, "ArticleTitle"))
    return put_text(st, rec, CITECONV_VAR_TITLE, c, true, false);
  if (citeconv_xml_is(c, "VernacularTitle"))
    return put_text(st, rec, CITECONV_VAR_ORIGINAL_TITLE, c, true, false);
  if (citeconv_xml_is(c, "Pagination"))
    return put_pagination(st, rec, c);
  if (citeconv_xml_is(c, "ELocationID"))
    return put_elocation(st, rec, c);
  if (citeconv_xml_is(c, "Abstract"))
    return put_abstract(st, rec, c);
  if (citeconv_xml_is(c, "AuthorList"))
    return put_authors(st, rec, c, CITECONV_VAR_AUTHOR);
  if (citeconv_xml_is(c, "Language"))
    return put_text(st, rec, CITECONV_VAR_LANGUAGE, c, false, true);
  if (citeconv_xml_is(c, "PublicationTypeList")) {
    int rc = 0;
    for (const xmlNode *p = citeconv_xml_child(c, "PublicationType");
         p && rc == 0; p = citeconv_xml_next(p, "PublicationType"))
      rc = put_pubtype(st, rec, p, typed);
    return rc;
  }
  if (citeconv_xml_is(c, "PublicationType"))
    return put_pubtype(st, rec, c, typed);
  if (citeconv_xml_is(c, "ArticleDate")) {
    if (citeconv_record_date(rec, CITECONV_VAR_AVAILABLE_DATE))
      return put_verbatim(st, rec, c);
    return put_date(st, rec, CITECONV_VAR_AVAILABLE_DATE, c);
  }
  if (citeconv_xml_is(c, "KeywordList"))
    return put_keywords(st, rec, c);
  if (citeconv_xml_is(c, "ArticleIdList"))
    return put_ids(st, rec, c);
  if (citeconv_xml_is(c, "PMID"))
    return put_text(st, rec, CITECONV_VAR_PMID, c, false, false);
  if (citeconv_xml_is(c, "MeshHeadingList"))
    return put_mesh(st, rec, c);
  if (citeconv_xml_is(c, "PublicationStatus"))
    return put_extra(st, rec, PX_STATUS, c);
  if (citeconv_px_is_verbatim((const char *)c->name))
    return put_verbatim(st, rec, c);
  return 1;
}

static int put_children(px_reader *st, citeconv_record *rec,
                        const xmlNode *parent, bool *typed)
{
  int rc = 0;
  for (const xmlNode *c = citeconv_xml_child(parent, NULL); c && rc >= 0;
       c = citeconv_xml_next(c, NULL)) {
    if (citeconv_xml_is(c, "Article")) {
      rc = put_attr_extra(rec, c, "PubModel", PX_PREFIX "PubModel");
      if (rc == 0)
        rc = put_children(st, rec, c, typed);
      continue;
    }
    if (citeconv_xml_is(c, "ReferenceList"))
      continue; /* handled after the article */
    rc = put_article_part(st, rec, c, typed);
    if (rc == 1) {
      unknown_element(st, rec, c, (const char *)parent->name);
      rc = 0;
    }
  }
  return rc;
}

static int put_book_part(px_reader *st, citeconv_record *rec,
                         const xmlNode *book, bool chapter)
{
  int rc = 0;
  for (const xmlNode *c = citeconv_xml_child(book, NULL); c && rc >= 0;
       c = citeconv_xml_next(c, NULL)) {
    if (citeconv_xml_is(c, "Publisher")) {
      rc = put_text(st, rec, CITECONV_VAR_PUBLISHER,
                    citeconv_xml_child(c, "PublisherName"), false, false);
      if (rc == 0)
        rc = put_text(st, rec, CITECONV_VAR_PUBLISHER_PLACE,
                      citeconv_xml_child(c, "PublisherLocation"), false,
                      false);
    } else if (citeconv_xml_is(c, "BookTitle")) {
      rc = put_text(st, rec,
                    chapter ? CITECONV_VAR_CONTAINER_TITLE
                            : CITECONV_VAR_TITLE,
                    c, true, false);
    } else if (citeconv_xml_is(c, "PubDate")) {
      rc = put_date(st, rec, CITECONV_VAR_ISSUED, c);
    } else if (citeconv_xml_is(c, "AuthorList")) {
      rc = put_authors(st, rec, c,
                       chapter ? CITECONV_VAR_CONTAINER_AUTHOR
                               : CITECONV_VAR_AUTHOR);
    } else if (citeconv_xml_is(c, "Volume")) {
      rc = put_text(st, rec, CITECONV_VAR_VOLUME, c, false, false);
    } else if (citeconv_xml_is(c, "VolumeTitle")) {
      rc = put_text(st, rec, CITECONV_VAR_VOLUME_TITLE, c, true, false);
    } else if (citeconv_xml_is(c, "Edition")) {
      rc = put_text(st, rec, CITECONV_VAR_EDITION, c, false, false);
    } else if (citeconv_xml_is(c, "CollectionTitle")) {
      rc = put_text(st, rec, CITECONV_VAR_COLLECTION_TITLE, c, true, false);
    } else if (citeconv_xml_is(c, "Isbn")) {
      rc = put_text(st, rec, CITECONV_VAR_ISBN, c, false, true);
    } else if (citeconv_xml_is(c, "ELocationID")) {
      rc = put_elocation(st, rec, c);
    } else if (citeconv_xml_is(c, "Medium")) {
      rc = put_text(st, rec, CITECONV_VAR_MEDIUM, c, false, false);
    } else if (citeconv_xml_is(c, "ReportNumber")) {
      rc = put_text(st, rec, CITECONV_VAR_NUMBER, c, false, false);
    } else if (citeconv_px_is_verbatim((const char *)c->name)) {
      rc = put_verbatim(st, rec, c);
    } else {
      unknown_element(st, rec, c, "Book");
    }
  }
  return rc;
}

static int put_book(px_reader *st, citeconv_record *rec, const xmlNode *doc,
                    bool *typed)
{
  bool chapter = citeconv_xml_child(doc, "ArticleTitle") != NULL;
  int rc = 0;
  citeconv_record_set_type(rec, chapter ? CITECONV_TYPE_CHAPTER
                                        : CITECONV_TYPE_BOOK);
  *typed = true;
  for (const xmlNode *c = citeconv_xml_child(doc, NULL); c && rc >= 0;
       c = citeconv_xml_next(c, NULL)) {
    if (citeconv_xml_is(c, "Book")) {
      rc = put_book_part(st, rec, c, chapter);
      continue;
    }
    if (citeconv_xml_is(c, "ReferenceList"))
      continue;
    rc = put_article_part(st, rec, c, typed);
    if (rc == 1) {
      unknown_element(st, rec, c, "BookDocument");
      rc = 0;
    }
  }
  return rc;
}

/* ---- records ---- */

/* The next Reference of `item` after `from` (or the first when `from` is
 * NULL), descending only into the elements that hold reference lists:
 * PubmedData/ReferenceList (efetch), BookDocument/ReferenceList, and
 * ReferenceList nested in ReferenceList. No recursion. */
static xmlNode *find_reference(const xmlNode *item, const xmlNode *from)
{
  const xmlNode *n = from ? citeconv_xml_walk(item, from, true)
                          : citeconv_xml_child(item, NULL);
  while (n) {
    if (citeconv_xml_is(n, "Reference"))
      return (xmlNode *)n;
    if (citeconv_xml_is(n, "ReferenceList") ||
        citeconv_xml_is(n, "PubmedData") ||
        citeconv_xml_is(n, "PubmedBookData") ||
        citeconv_xml_is(n, "BookDocument"))
      n = citeconv_xml_walk(item, n, false);
    else
      n = citeconv_xml_walk(item, n, true);
  }
  return NULL;
}

static int read_reference(px_reader *st, citeconv_record **out,
                          const xmlNode *ref)
{
  citeconv_record *rec = NULL;
  const xmlNode *cit = citeconv_xml_child(ref, "Citation");
  citeconv_pos pos = citeconv_xml_node_pos(ref);
  int rc;
  if ((rc = citeconv_record_new(&rec)) < 0)
    return rc;
  citeconv_record_set_origin(rec, st->base.file, pos);
  rc = put_ids(st, rec, citeconv_xml_child(ref, "ArticleIdList"));
  if (rc == 0 && value_of(st, cit, true)) {
    citeconv_pos cpos = citeconv_xml_node_pos(cit);
    rc = citeconv_record_add_extra(rec, PX_CITATION, st->buf.data,
                                   st->buf.len, cpos);
#ifdef CITECONV_HAVE_REFPARSE
    if (rc == 0) {
      citeconv_buf plain = CITECONV_BUF_INIT;
      rc = citeconv_text_strip_markup(&plain, st->buf.data, st->buf.len);
      if (rc == 0)
        rc = citeconv_refparse(rec, plain.data ? plain.data : "", plain.len,
                               cpos, NULL);
      citeconv_buf_free(&plain);
    }
#else
    /* Until the reference-string parser is built in, the citation text
     * travels as a note so that every writer carries it. */
    if (rc == 0)
      rc = citeconv_record_set_text(rec, CITECONV_VAR_NOTE, st->buf.data,
                                    st->buf.len, cpos);
#endif
  }
  for (const xmlNode *c = citeconv_xml_child(ref, NULL); c && rc == 0;
       c = citeconv_xml_next(c, NULL))
    if (!citeconv_xml_is(c, "Citation") && !citeconv_xml_is(c, "ArticleIdList"))
      unknown_element(st, rec, c, "Reference");
  if (rc == 0 && st->citing[0])
    rc = citeconv_record_add_extra(rec, PX_CITING, st->citing,
                                   strlen(st->citing), st->citing_pos);
  if (rc < 0) {
    citeconv_record_free(rec);
    return rc;
  }
  *out = rec;
  return 0;
}

static int put_citation(px_reader *st, citeconv_record *rec,
                        const xmlNode *c, bool *typed)
{
  int rc = put_attr_extra(rec, c, "Status", PX_PREFIX "Status");
  if (rc == 0)
    rc = put_attr_extra(rec, c, "Owner", PX_PREFIX "Owner");
  if (rc == 0)
    rc = put_attr_extra(rec, c, "IndexingMethod", PX_PREFIX "IndexingMethod");
  if (rc == 0)
    rc = put_children(st, rec, c, typed);
  return rc;
}

static int read_item(px_reader *st, citeconv_record **out, xmlNode *item,
                     citeconv_pos pos)
{
  citeconv_record *rec = NULL;
  bool typed = false;
  int rc;
  const char *pmid;
  if ((rc = citeconv_record_new(&rec)) < 0)
    return rc;
  citeconv_record_set_origin(rec, st->base.file, pos);
  citeconv_record_set_type(rec, CITECONV_TYPE_ARTICLE_JOURNAL);
  if (citeconv_xml_is(item, "MedlineCitation")) {
    /* A baseline MedlineCitationSet: the item is the citation itself. */
    rc = put_citation(st, rec, item, &typed);
  } else if (citeconv_xml_is(item, "BookDocument")) {
    rc = put_book(st, rec, item, &typed);
  } else {
    for (xmlNode *c = citeconv_xml_child(item, NULL); c && rc >= 0;
         c = citeconv_xml_next(c, NULL)) {
      if (citeconv_xml_is(c, "MedlineCitation"))
        rc = put_citation(st, rec, c, &typed);
      else if (citeconv_xml_is(c, "BookDocument"))
        rc = put_book(st, rec, c, &typed);
      else if (citeconv_xml_is(c, "PubmedData") ||
               citeconv_xml_is(c, "PubmedBookData"))
        rc = put_children(st, rec, c, &typed);
      else
        unknown_element(st, rec, c, (const char *)item->name);
    }
  }
  if (rc < 0) {
    citeconv_record_free(rec);
    return rc;
  }
  if (citeconv_record_field_count(rec) == 0 &&
      citeconv_record_name_count(rec) == 0)
    citeconv_reader_diag(&st->base, &pos, CITECONV_D_EMPTY_RECORD,
                         "<%s> holds no citation data",
                         (const char *)item->name);
  pmid = citeconv_record_text(rec, CITECONV_VAR_PMID);
  snprintf(st->citing, sizeof(st->citing), "%s", pmid ? pmid : "");
  st->citing_pos = pos;
  st->item = item;
  st->ref = st->refs == REFS_ARTICLE ? NULL : find_reference(item, NULL);
  *out = rec;
  return 0;
}

static void report_deleted(px_reader *st, xmlNode *del, citeconv_pos pos)
{
  citeconv_buf ids = CITECONV_BUF_INIT;
  size_t n = 0;
  for (const xmlNode *p = citeconv_xml_child(del, "PMID"); p;
       p = citeconv_xml_next(p, "PMID")) {
    if (!value_of(st, p, false))
      continue;
    if (n < 10)
      citeconv_buf_printf(&ids, "%s%s", n ? ", " : "", st->buf.data);
    n++;
  }
  citeconv_reader_diag(&st->base, &pos, CITECONV_D_PUBMED_DELETED,
                       "<DeleteCitation> lists %zu deleted PMID%s (%s%s); "
                       "they are not records",
                       n, n == 1 ? "" : "s", ids.data ? ids.data : "",
                       n > 10 ? ", ..." : "");
  citeconv_buf_free(&ids);
}

static bool is_set(const char *name)
{
  return strcmp(name, "PubmedArticleSet") == 0 ||
         strcmp(name, "MedlineCitationSet") == 0 ||
         strcmp(name, "PubmedBookArticleSet") == 0 ||
         strcmp(name, "BookDocumentSet") == 0;
}

static bool is_item(const char *name)
{
  return strcmp(name, "PubmedArticle") == 0 ||
         strcmp(name, "PubmedBookArticle") == 0 ||
         strcmp(name, "MedlineCitation") == 0 ||
         strcmp(name, "BookDocument") == 0;
}

/* An article with an XML error: what the parser read of it is a record
 * when it holds anything, with a warning. */
static int read_cut_item(px_reader *st, citeconv_record **out, xmlNode *item,
                         citeconv_pos pos, bool cut)
{
  const char *name = (const char *)item->name;
  int rc = read_item(st, out, item, pos);
  if (rc < 0)
    return rc;
  if (citeconv_record_field_count(*out) == 0 &&
      citeconv_record_name_count(*out) == 0) {
    citeconv_record_free(*out);
    *out = NULL;
    st->ref = NULL;
    return 0;
  }
  citeconv_diag_emit_sev(st->base.session, st->base.file, &pos,
                         st->base.nrecords + 1, CITECONV_D_SYNTAX,
                         CITECONV_SEV_WARNING,
                         cut ? "<%s> is cut short by the error above; "
                               "the fields read before it are kept"
                             : "<%s> holds an XML error; its fields are "
                               "kept as the parser recovered them",
                         name);
  return 0;
}

static int px_next(citeconv_record **out, citeconv_reader *r)
{
  px_reader *st = (px_reader *)r;
  *out = NULL;
  for (;;) {
    xmlNode *node;
    const char *name;
    citeconv_pos pos;
    int rc;
    if (st->ref) {
      const xmlNode *ref = st->ref;
      st->ref = find_reference(st->item, ref);
      return read_reference(st, out, ref);
    }
    /* The article before and its references are done. */
    citeconv_xml_tree_free(st->tree);
    st->tree = NULL;
    st->item = NULL;
    if (st->done)
      return CITECONV_END;
    rc = citeconv_xml_split_next(&st->split, &st->tree);
    if (rc < 0)
      return rc;
    if (rc == 0) {
      st->done = true;
      if (st->split.root_bad) {
        citeconv_reader_diag(r, &st->split.root_pos, CITECONV_D_SYNTAX,
                             "root element <%s> is not <PubmedArticleSet>; "
                             "this is not PubMed XML",
                             st->split.root_name);
      } else if (!st->split.started && !st->split.nerrors) {
        citeconv_pos p0 = {1, 1};
        citeconv_reader_diag(r, &p0, CITECONV_D_SYNTAX,
                             "no XML element in the input");
      }
      return CITECONV_END;
    }
    node = st->tree->root;
    name = (const char *)node->name;
    pos = citeconv_xml_node_pos(node);
    if (is_item(name)) {
      rc = st->tree->cut || st->tree->damaged
               ? read_cut_item(st, out, node, pos, st->tree->cut)
               : read_item(st, out, node, pos);
      if (rc < 0)
        return rc;
      if (*out && st->refs == REFS_REFERENCES) {
        citeconv_record_free(*out);
        *out = NULL;
      }
      if (*out)
        return 0;
      continue; /* its references, or the next article */
    }
    if (strcmp(name, "DeleteCitation") == 0 ||
        strcmp(name, "DeleteDocument") == 0) {
      report_deleted(st, node, pos);
    } else {
      citeconv_reader_diag(r, &pos, CITECONV_D_UNKNOWN_FIELD,
                           "unknown element <%s> in the article set; "
                           "skipped",
                           name);
    }
  }
}

static int px_open(citeconv_reader **out, citeconv_session *s,
                   citeconv_input *in)
{
  px_reader *st = calloc(1, sizeof(*st));
  bool want_article, want_refs;
  int rc;
  *out = NULL;
  if (!st)
    return CITECONV_ENOMEM;
  citeconv_reader_init(&st->base, &citeconv_format_pubmed_xml, s, in);
  st->buf.max = citeconv_session_option_size(s, "max-field-bytes");
  st->max_names = citeconv_session_option_size(s, "max-names");
  if ((rc = citeconv_session_references(s, &want_article, &want_refs)) < 0) {
    free(st);
    return rc;
  }
  st->refs = !want_refs ? REFS_ARTICLE
             : !want_article ? REFS_REFERENCES
                             : REFS_BOTH;
  st->xml.owner = &st->base;
  if ((rc = citeconv_xml_split_open(&st->split, &st->base, is_set,
                                    is_item)) < 0) {
    citeconv_xml_split_close(&st->split);
    free(st);
    return rc;
  }
  *out = &st->base;
  return 0;
}

static void px_close(citeconv_reader *r)
{
  px_reader *st = (px_reader *)r;
  if (!st)
    return;
  citeconv_xml_tree_free(st->tree);
  citeconv_xml_split_close(&st->split);
  citeconv_buf_free(&st->buf);
  free(st);
}

static int px_detect(const unsigned char *head, size_t len)
{
  static const char *const marks[] = {"<PubmedArticleSet", "<PubmedArticle",
                                      "<MedlineCitationSet",
                                      "<PubmedBookArticle",
                                      "PubMedArticle, ", NULL};
  for (size_t i = 0; marks[i]; i++) {
    size_t m = strlen(marks[i]);
    for (size_t j = 0; j + m <= len; j++)
      if (memcmp(head + j, marks[i], m) == 0)
        return 95;
  }
  return 0;
}

const citeconv_format citeconv_format_pubmed_xml = {
    .name = "pubmed-xml",
    .summary = "PubMed/MEDLINE XML (PubmedArticleSet, efetch, baseline)",
    .detect = px_detect,
    .open = px_open,
    .next = px_next,
    .close = px_close,
    .begin = citeconv_px_write_begin,
    .record = citeconv_px_write_record,
    .end = citeconv_px_write_end,
    .free = citeconv_px_write_free,
};
