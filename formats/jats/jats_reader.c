/* JATS / NLM article XML reader: the article's own record from <front>,
 * then one record per <ref> of its reference lists, streamed one <front>
 * and one <ref> at a time (a pmc-articleset may hold many articles). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "jats.h"
#include "nlmdate.h"
#include "refparse.h"
#include "text.h"
#include "xml.h"

typedef enum { REFS_ARTICLE, REFS_REFERENCES, REFS_BOTH } refs_mode;

typedef struct {
  citeconv_reader base;
  citeconv_xml xml;
  citeconv_buf buf; /* scratch for one value */
  citeconv_buf tmp; /* scratch for the markup walk */
  size_t max_names;
  refs_mode refs;
  bool started;   /* the root element was seen */
  bool found;     /* an article, front or ref was seen */
  bool done;      /* nothing more to read */
  bool need_skip; /* the last subtree is still under the reader */
  char citing_doi[256], citing_pmid[32], citing_pmcid[32];
  citeconv_pos citing_pos;
} jats_reader;

/* ---- text ---- */

/* The record markup tag of a JATS element, or NULL to keep its text. */
static const char *markup_tag(const xmlNode *n)
{
  static const struct {
    const char *xml, *tag;
  } map[] = {{"italic", "i"}, {"bold", "b"}, {"sup", "sup"}, {"sub", "sub"},
             {"sc", "sc"},    {"i", "i"},    {"b", "b"}};
  for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
    if (strcmp((const char *)n->name, map[i].xml) == 0)
      return map[i].tag;
  return NULL;
}

/* Elements whose content is not part of the value around them: footnote
 * and affiliation markers, labels, footnotes. */
static bool left_out(const xmlNode *n, bool skip_label)
{
  const char *name = (const char *)n->name;
  if (skip_label && strcmp(name, "label") == 0)
    return true;
  if (strcmp(name, "fn") == 0)
    return true;
  if (strcmp(name, "xref") == 0) {
    const char *t = citeconv_xml_attr(n, "ref-type");
    return t && (strcmp(t, "fn") == 0 || strcmp(t, "aff") == 0 ||
                 strcmp(t, "corresp") == 0 || strcmp(t, "author-notes") == 0 ||
                 strcmp(t, "table-fn") == 0);
  }
  return false;
}

/* Append the mixed content of `n` (`markup`: with the record's tags) to
 * st->buf, white space squeezed. No recursion: a walk with parent links.
 * MathML and other elements give their text. */
static int collect(jats_reader *st, const xmlNode *n, bool markup,
                   bool skip_label)
{
  citeconv_buf *tmp = &st->tmp;
  const xmlNode *cur = n->children;
  int rc = 0;
  citeconv_buf_clear(tmp);
  tmp->max = st->buf.max;
  while (cur && rc == 0) {
    bool descend = false;
    const char *tag;
    if (cur->type == XML_ELEMENT_NODE) {
      if (!left_out(cur, skip_label)) {
        tag = markup ? markup_tag(cur) : NULL;
        if (strcmp((const char *)cur->name, "break") == 0)
          rc = citeconv_buf_addc(tmp, ' ');
        if (tag && rc == 0)
          rc = citeconv_buf_printf(tmp, "<%s>", tag);
        if (cur->children)
          descend = true;
        else if (tag && rc == 0)
          rc = citeconv_buf_printf(tmp, "</%s>", tag);
      }
    } else if (cur->type == XML_TEXT_NODE ||
               cur->type == XML_CDATA_SECTION_NODE) {
      if (cur->content)
        rc = citeconv_buf_adds(tmp, (const char *)cur->content);
    } else if (cur->type == XML_ENTITY_REF_NODE) {
      citeconv_pos pos = citeconv_xml_node_pos(cur);
      if (!st->xml.entity_reported) {
        st->xml.entity_reported = true;
        citeconv_reader_diag(&st->base, &pos, CITECONV_D_BAD_VALUE,
                             "entity reference '&%s;' is not expanded; it "
                             "was left out",
                             (const char *)cur->name);
      }
    }
    if (descend) {
      cur = cur->children;
      continue;
    }
    while (cur != n && !cur->next && rc == 0) {
      cur = cur->parent;
      if (cur == n)
        break;
      tag = markup ? markup_tag(cur) : NULL;
      if (tag)
        rc = citeconv_buf_printf(tmp, "</%s>", tag);
    }
    cur = cur == n ? NULL : cur->next;
  }
  if (rc == 0 && tmp->len)
    rc = citeconv_text_squeeze(&st->buf, tmp->data, tmp->len);
  return rc;
}

/* The squeezed text (or markup) of `n` in st->buf; false when empty or
 * too long (reported). */
static bool value_of2(jats_reader *st, const xmlNode *n, bool markup,
                      bool skip_label)
{
  int rc;
  citeconv_buf_clear(&st->buf);
  if (!n)
    return false;
  rc = collect(st, n, markup, skip_label);
  if (rc == CITECONV_ELIMIT || st->buf.overflow || st->tmp.overflow) {
    citeconv_pos pos = citeconv_xml_node_pos(n);
    citeconv_reader_diag(&st->base, &pos, CITECONV_D_LIMIT,
                         "<%s> is longer than max-field-bytes; skipped",
                         (const char *)n->name);
    citeconv_buf_clear(&st->buf);
    return false;
  }
  return rc == 0 && st->buf.len > 0;
}

static bool value_of(jats_reader *st, const xmlNode *n, bool markup)
{
  return value_of2(st, n, markup, false);
}

static int put_text(jats_reader *st, citeconv_record *rec, citeconv_var var,
                    const xmlNode *n, bool markup, bool add)
{
  if (!value_of(st, n, markup))
    return 0;
  if (!add && citeconv_record_text(rec, var)) {
    citeconv_pos pos = citeconv_xml_node_pos(n);
    citeconv_reader_diag(&st->base, &pos, CITECONV_D_DUPLICATE_FIELD,
                         "second <%s> '%.60s' for %s; kept as extra",
                         (const char *)n->name, st->buf.data,
                         citeconv_var_name(var));
    char name[80];
    snprintf(name, sizeof(name), JATS_PREFIX "%s", (const char *)n->name);
    return citeconv_record_add_extra(rec, name, st->buf.data, st->buf.len, pos);
  }
  return add ? citeconv_record_add_text(rec, var, st->buf.data, st->buf.len,
                                        citeconv_xml_node_pos(n))
             : citeconv_record_set_text(rec, var, st->buf.data, st->buf.len,
                                        citeconv_xml_node_pos(n));
}

static int put_extra(jats_reader *st, citeconv_record *rec, const char *name,
                     const xmlNode *n)
{
  if (!value_of(st, n, true))
    return 0;
  return citeconv_record_add_extra(rec, name, st->buf.data, st->buf.len,
                                   citeconv_xml_node_pos(n));
}

/* An element with no mapping: reported, its text kept as "jats:NAME". */
static int unknown_element(jats_reader *st, citeconv_record *rec,
                           const xmlNode *n, const char *parent)
{
  char name[128];
  citeconv_pos pos = citeconv_xml_node_pos(n);
  snprintf(name, sizeof(name), JATS_PREFIX "%s", (const char *)n->name);
  citeconv_reader_diag(&st->base, &pos, CITECONV_D_UNKNOWN_FIELD,
                       "unknown element <%s> in <%s>; kept as extra '%s'",
                       (const char *)n->name, parent, name);
  return put_extra(st, rec, name, n);
}

static bool name_in(const xmlNode *n, const char *const *list)
{
  for (size_t i = 0; list[i]; i++)
    if (strcmp((const char *)n->name, list[i]) == 0)
      return true;
  return false;
}

/* Leading digits of s as a number, -1 when there are none or too many. */
static int lead_int(const char *s, const char **end)
{
  int v = 0, n = 0;
  while (*s == ' ')
    s++;
  for (; *s >= '0' && *s <= '9'; s++, n++)
    if (n < 6)
      v = v * 10 + (*s - '0');
  if (end)
    *end = s;
  return n == 0 || n > 5 ? -1 : v;
}

/* ---- dates ---- */

/* "2006-05-04", "2006-05", "2006" from an iso-8601-date attribute. */
static bool iso_date(citeconv_date *d, const char *s)
{
  const char *e;
  int y = lead_int(s, &e), m = 0, day = 0;
  if (y <= 0 || e - s != 4)
    return false;
  if (*e == '-') {
    m = lead_int(e + 1, &e);
    if (m < 1 || m > 12)
      return false;
    if (*e == '-') {
      day = lead_int(e + 1, &e);
      if (day < 1)
        return false;
    }
  }
  if (*e || !citeconv_nlmdate_valid(y, m, day))
    return false;
  d->year = y;
  d->month = m;
  d->day = day;
  return true;
}

/* A date made of <year>, <month>, <day>, <season>, <string-date> children
 * (pub-date) or of those elements met one by one in a citation. */
typedef struct {
  const xmlNode *year, *month, *day, *season, *string_date;
  const char *iso;
} date_parts;

/* Fill `d` from `p`; false when there is nothing usable (reported). The
 * year's letter suffix ("2006a") goes to *suffix (static storage of the
 * caller, may be NULL). `lit` receives a literal fallback. */
static bool read_date(jats_reader *st, const date_parts *p, citeconv_date *d,
                      char *suffix, size_t suffix_size, char *lit,
                      size_t lit_size)
{
  const char *e;
  memset(d, 0, sizeof(*d));
  if (suffix)
    suffix[0] = '\0';
  d->pos = citeconv_xml_node_pos(p->year ? p->year : p->string_date);
  if (p->year && value_of(st, p->year, false)) {
    const char *y = st->buf.data;
    int v = lead_int(y, &e);
    if (v > 0 && e - y == 4 && *e == '\0') {
      d->year = v;
    } else if (v > 0 && e - y == 4 && isalpha((unsigned char)*e) &&
               e[1] == '\0' && suffix) {
      d->year = v; /* "2006a": a year suffix of author-date styles */
      snprintf(suffix, suffix_size, "%s", e);
    } else if (v > 0 && e - y == 4 &&
               citeconv_nlmdate_parse(d, y, st->buf.len)) {
      /* a range such as "2005-2006" */
    } else {
      snprintf(lit, lit_size, "%s", y);
      d->literal = lit;
      if (v < 0 && strlen(y) < 20)
        return true; /* "in press", "n.d.": the text is the date */
      citeconv_reader_diag(&st->base, &d->pos, CITECONV_D_BAD_DATE,
                           "year '%s' is not a year; kept as text", lit);
      return true;
    }
  }
  if (p->iso && d->year && !d->end_year) {
    citeconv_date q;
    memset(&q, 0, sizeof(q));
    if (iso_date(&q, p->iso) && q.year == d->year && !p->month) {
      d->month = q.month;
      d->day = q.day;
      return true;
    }
  }
  if (p->month && value_of(st, p->month, false)) {
    int m = citeconv_nlmdate_month(st->buf.data, st->buf.len);
    citeconv_pos pos = citeconv_xml_node_pos(p->month);
    if (m)
      d->month = m;
    else if ((d->season = citeconv_nlmdate_season(st->buf.data, st->buf.len)) ==
             0)
      citeconv_reader_diag(&st->base, &pos, CITECONV_D_BAD_DATE,
                           "month '%s' is not a month; left out", st->buf.data);
  }
  if (d->month && p->day && value_of(st, p->day, false)) {
    int v = lead_int(st->buf.data, &e);
    citeconv_pos pos = citeconv_xml_node_pos(p->day);
    if (v > 0 && *e == '\0' && citeconv_nlmdate_valid(d->year, d->month, v))
      d->day = v;
    else
      citeconv_reader_diag(&st->base, &pos, CITECONV_D_BAD_DATE,
                           "day '%s' does not exist in %d-%02d; left out",
                           st->buf.data, d->year, d->month);
  }
  if (p->season && value_of(st, p->season, false)) {
    citeconv_pos pos = citeconv_xml_node_pos(p->season);
    char raw[64];
    d->season = citeconv_nlmdate_season(st->buf.data, st->buf.len);
    snprintf(raw, sizeof(raw), "2000 %s", st->buf.data);
    if (!d->season) {
      citeconv_date q;
      memset(&q, 0, sizeof(q));
      if (!d->month && citeconv_nlmdate_parse(&q, raw, strlen(raw)) &&
          q.month && !q.day) {
        d->month = q.month; /* "Jan-Mar": the months */
        if (q.end_month) {
          d->end_year = d->year;
          d->end_month = q.end_month;
        }
      } else {
        citeconv_reader_diag(&st->base, &pos, CITECONV_D_BAD_DATE,
                             "season '%s' is not a season; left out",
                             st->buf.data);
      }
    }
  }
  if (!d->year && p->string_date && value_of(st, p->string_date, false)) {
    snprintf(lit, lit_size, "%s", st->buf.data);
    if (!citeconv_nlmdate_parse(d, lit, strlen(lit)) || !d->year) {
      memset(d, 0, sizeof(*d));
      d->pos = citeconv_xml_node_pos(p->string_date);
      d->literal = lit;
    }
    return true;
  }
  if (!d->year) {
    if (p->iso && iso_date(d, p->iso))
      return true;
    if (p->year || p->month || p->day) {
      const xmlNode *at = p->year ? p->year : p->month ? p->month : p->day;
      citeconv_pos pos = citeconv_xml_node_pos(at);
      citeconv_reader_diag(&st->base, &pos, CITECONV_D_BAD_DATE,
                           "date without a year; left out");
    }
    return false;
  }
  return true;
}

static void date_parts_of(date_parts *p, const xmlNode *n)
{
  memset(p, 0, sizeof(*p));
  p->iso = citeconv_xml_attr(n, "iso-8601-date");
  for (const xmlNode *c = citeconv_xml_child(n, NULL); c;
       c = citeconv_xml_next(c, NULL)) {
    if (citeconv_xml_is(c, "year") && !p->year)
      p->year = c;
    else if (citeconv_xml_is(c, "month") && !p->month)
      p->month = c;
    else if (citeconv_xml_is(c, "day") && !p->day)
      p->day = c;
    else if (citeconv_xml_is(c, "season") && !p->season)
      p->season = c;
    else if (citeconv_xml_is(c, "string-date") && !p->string_date)
      p->string_date = c;
  }
}

/* A free-text date ("cited 2008 Mar 3", "Accessed 5 May 2016",
 * "2016-05-05") from date-in-citation. */
static bool text_date(citeconv_date *d, const char *s)
{
  const char *p = s;
  memset(d, 0, sizeof(*d));
  for (; *p; p++) {
    char cut[64];
    size_t n;
    if (!isdigit((unsigned char)*p) || (p > s && isdigit((unsigned char)p[-1])))
      continue;
    if (iso_date(d, p))
      return true;
    n = strcspn(p, "]);.");
    if (n >= sizeof(cut))
      n = sizeof(cut) - 1;
    memcpy(cut, p, n);
    cut[n] = '\0';
    while (n > 0 && (cut[n - 1] == ' ' || cut[n - 1] == ','))
      cut[--n] = '\0';
    memset(d, 0, sizeof(*d));
    if (citeconv_nlmdate_parse(d, cut, n) && d->year)
      return true;
    /* "5 May 2016": day month year */
    {
      const char *e;
      int day = lead_int(p, &e);
      if (day > 0 && day <= 31 && *e == ' ') {
        const char *m = e + 1;
        size_t ml = strcspn(m, " ,");
        int mon = citeconv_nlmdate_month(m, ml);
        int y = mon ? lead_int(m + ml + strspn(m + ml, " ,"), NULL) : -1;
        if (mon && y > 999) {
          memset(d, 0, sizeof(*d));
          d->year = y;
          d->month = mon;
          d->day = citeconv_nlmdate_valid(y, mon, day) ? day : 0;
          return true;
        }
      }
    }
    memset(d, 0, sizeof(*d));
  }
  return false;
}

/* ---- names ---- */

static const char *strip_orcid(const char *s)
{
  static const char *const prefixes[] = {
      "https://orcid.org/", "http://orcid.org/", "https://www.orcid.org/",
      "http://www.orcid.org/", NULL};
  for (size_t i = 0; prefixes[i]; i++)
    if (strncmp(s, prefixes[i], strlen(prefixes[i])) == 0)
      return s + strlen(prefixes[i]);
  return s;
}

/* A name under construction: its strings are malloc'd copies. */
typedef struct {
  citeconv_name name;
  char *parts[4]; /* family, given, suffix, literal */
  char *orcid;
  char **affs;
  size_t naffs, cap;
} name_build;

static void nb_free(name_build *nb)
{
  for (int i = 0; i < 4; i++)
    free(nb->parts[i]);
  free(nb->orcid);
  for (size_t i = 0; i < nb->naffs; i++)
    free(nb->affs[i]);
  free(nb->affs);
  memset(nb, 0, sizeof(*nb));
}

static int nb_set(jats_reader *st, name_build *nb, int part, const xmlNode *n,
                  bool markup)
{
  if (nb->parts[part] || !value_of(st, n, markup))
    return 0;
  nb->parts[part] = strdup(st->buf.data);
  return nb->parts[part] ? 0 : CITECONV_ENOMEM;
}

static int nb_add_aff(name_build *nb, const char *s)
{
  for (size_t i = 0; i < nb->naffs; i++)
    if (strcmp(nb->affs[i], s) == 0)
      return 0;
  if (nb->naffs == nb->cap) {
    size_t cap = nb->cap ? 2 * nb->cap : 4;
    char **bigger = realloc(nb->affs, cap * sizeof(*bigger));
    if (!bigger)
      return CITECONV_ENOMEM;
    nb->affs = bigger;
    nb->cap = cap;
  }
  if (!(nb->affs[nb->naffs] = strdup(s)))
    return CITECONV_ENOMEM;
  nb->naffs++;
  return 0;
}

/* Parts of <name> or of a structured <string-name>. Returns 1 when the
 * element holds no name parts. */
static int nb_parts(jats_reader *st, name_build *nb, const xmlNode *n)
{
  const xmlNode *sur = citeconv_xml_child(n, "surname");
  const xmlNode *giv = citeconv_xml_child(n, "given-names");
  const char *style = citeconv_xml_attr(n, "name-style");
  int rc = 0;
  if (!sur && !giv)
    return 1;
  if (rc == 0)
    rc = nb_set(st, nb, 0, sur, false);
  if (rc == 0)
    rc = nb_set(st, nb, 1, giv, false);
  if (rc == 0)
    rc = nb_set(st, nb, 2, citeconv_xml_child(n, "suffix"), false);
  if (style && strcmp(style, "eastern") == 0)
    nb->name.static_ordering = true;
  if (rc == 0 && citeconv_xml_child(n, "prefix")) {
    /* An honorific ("Dr", "Sir") has no place in a CSL name. */
    const xmlNode *pre = citeconv_xml_child(n, "prefix");
    citeconv_pos pos = citeconv_xml_node_pos(pre);
    citeconv_buf t = CITECONV_BUF_INIT;
    citeconv_xml_text(&t, pre);
    citeconv_reader_diag(&st->base, &pos, CITECONV_D_UNKNOWN_FIELD,
                         "the name prefix '%s' has no place in the record; "
                         "left out",
                         t.data ? t.data : "");
    citeconv_buf_free(&t);
  }
  return rc;
}

static int nb_commit(jats_reader *st, citeconv_record *rec, name_build *nb,
                     citeconv_var role, const xmlNode *at)
{
  citeconv_name *nm = &nb->name;
  nm->role = role;
  nm->pos = citeconv_xml_node_pos(at);
  nm->family = nb->parts[0];
  nm->given = nb->parts[1];
  nm->suffix = nb->parts[2];
  nm->literal = nb->parts[3];
  nm->orcid = nb->orcid;
  nm->affiliations = (const char *const *)nb->affs;
  nm->n_affiliations = nb->naffs;
  if (!nm->family && !nm->given && !nm->literal) {
    citeconv_reader_diag(&st->base, &nm->pos, CITECONV_D_BAD_VALUE,
                         "<%s> without a name; left out",
                         (const char *)at->name);
    return 0;
  }
  if (citeconv_record_name_count(rec) >= st->max_names) {
    if (!citeconv_record_truncated(rec, role))
      citeconv_reader_diag(&st->base, &nm->pos, CITECONV_D_LIMIT,
                           "more than max-names %zu names; the rest are "
                           "left out",
                           st->max_names);
    citeconv_record_set_truncated(rec, role, true);
    return 0;
  }
  return citeconv_record_add_name(rec, nm);
}

/* A person written as plain text: "Smith JA" (family, then initials) or
 * "Smith, John"; anything else stays a literal name. */
static int nb_split_text(name_build *nb, const char *s)
{
  const char *last = strrchr(s, ' ');
  const char *comma = strchr(s, ',');
  bool initials = last && strlen(last + 1) <= 4 && last[1];
  for (const char *c = last ? last + 1 : ""; *c && initials; c++)
    if (!isupper((unsigned char)*c) && *c != '.')
      initials = false;
  if (comma && !strchr(comma + 1, ',') && comma > s && comma[1] == ' ' &&
      comma[2]) {
    nb->parts[0] = strndup(s, (size_t)(comma - s));
    nb->parts[1] = strdup(comma + 2);
  } else if (initials && last > s && !comma) {
    nb->parts[0] = strndup(s, (size_t)(last - s));
    nb->parts[1] = strdup(last + 1);
  } else {
    return (nb->parts[3] = strdup(s)) ? 0 : CITECONV_ENOMEM;
  }
  return nb->parts[0] && nb->parts[1] ? 0 : CITECONV_ENOMEM;
}

/* One name-like element (name, string-name, collab, name-alternatives)
 * into `rec` in `role`. Returns 1 when `n` is not one of them. */
static int put_name(jats_reader *st, citeconv_record *rec, const xmlNode *n,
                    citeconv_var role)
{
  name_build nb;
  int rc = 0;
  memset(&nb, 0, sizeof(nb));
  if (citeconv_xml_is(n, "name-alternatives")) {
    const xmlNode *c = citeconv_xml_child(n, "name");
    if (!c)
      c = citeconv_xml_child(n, "string-name");
    if (!c)
      return 0;
    n = c;
  }
  if (citeconv_xml_is(n, "name")) {
    if ((rc = nb_parts(st, &nb, n)) == 1)
      rc = 0;
  } else if (citeconv_xml_is(n, "string-name")) {
    if ((rc = nb_parts(st, &nb, n)) == 1)
      rc = value_of(st, n, false) ? nb_split_text(&nb, st->buf.data) : 0;
  } else if (citeconv_xml_is(n, "collab") ||
             citeconv_xml_is(n, "institution")) {
    /* A collab may hold a nested contrib-group of its members: the
     * group's own name is the text before it. */
    citeconv_buf_clear(&st->buf);
    rc = nb_set(st, &nb, 3, n, true);
  } else {
    return 1;
  }
  if (rc == 0)
    rc = nb_commit(st, rec, &nb, role, n);
  nb_free(&nb);
  return rc;
}

/* ---- affiliations ---- */

/* The affiliation with id `id` among the aff elements of `scope` (an
 * article-meta or front), NULL if none. */
static const xmlNode *find_aff(const xmlNode *scope, const char *id,
                               size_t idlen)
{
  for (const xmlNode *n = citeconv_xml_child(scope, NULL); n;
       n = citeconv_xml_walk(scope, n,
                             !(citeconv_xml_is(n, "contrib-group") ||
                               citeconv_xml_is(n, "aff-alternatives") ||
                               citeconv_xml_is(n, "contrib") ||
                               citeconv_xml_is(n, "article-meta")))) {
    const char *aid;
    if (n->type != XML_ELEMENT_NODE || !citeconv_xml_is(n, "aff"))
      continue;
    aid = citeconv_xml_attr(n, "id");
    if (aid && strlen(aid) == idlen && memcmp(aid, id, idlen) == 0)
      return n;
  }
  return NULL;
}

/* An affiliation's text without its label. Parts tagged without
 * punctuation between them (institution, addr-line, country) are joined
 * with commas. */
static int add_aff_text(jats_reader *st, name_build *nb, const xmlNode *aff)
{
  citeconv_buf all = CITECONV_BUF_INIT;
  bool sep = false; /* punctuation since the last part */
  int rc = 0;
  all.max = st->buf.max;
  for (const xmlNode *c = aff->children; c && rc == 0; c = c->next) {
    if (c->type == XML_TEXT_NODE && c->content) {
      const char *t = (const char *)c->content;
      if (t[strspn(t, " \t\r\n")] == '\0')
        continue;
      rc = citeconv_buf_adds(&all, t);
      sep = true;
      continue;
    }
    if (c->type != XML_ELEMENT_NODE || left_out(c, true) ||
        !value_of(st, c, true))
      continue;
    if (all.len && !sep)
      rc = citeconv_buf_adds(&all, ", ");
    else if (all.len)
      rc = citeconv_buf_addc(&all, ' ');
    if (rc == 0)
      rc = citeconv_buf_add(&all, st->buf.data, st->buf.len);
    sep = false;
  }
  citeconv_buf_clear(&st->buf);
  if (rc == 0 && all.len)
    rc = citeconv_text_squeeze(&st->buf, all.data, all.len);
  citeconv_buf_free(&all);
  if (rc == CITECONV_ELIMIT) {
    citeconv_pos pos = citeconv_xml_node_pos(aff);
    citeconv_reader_diag(&st->base, &pos, CITECONV_D_LIMIT,
                         "<aff> is longer than max-field-bytes; skipped");
    return 0;
  }
  if (rc < 0 || st->buf.len == 0)
    return rc;
  return nb_add_aff(nb, st->buf.data);
}

/* ---- the article ---- */

/* Article-meta elements that are not citation data and are left out on
 * purpose (documented in the man page). */
static const char *const meta_ignored[] = {"article-categories",
                                           "author-notes",
                                           "history",
                                           "permissions",
                                           "self-uri",
                                           "related-article",
                                           "related-object",
                                           "funding-group",
                                           "conference",
                                           "custom-meta-group",
                                           "custom-meta-wrap",
                                           "article-version",
                                           "article-version-alternatives",
                                           "pub-history",
                                           "product",
                                           "supplementary-material",
                                           "aff",
                                           "aff-alternatives",
                                           "pub-date-not-available",
                                           "support-group",
                                           "funding-statement",
                                           "open-access",
                                           "x",
                                           "issue-id",
                                           "volume-id",
                                           "issue-sponsor",
                                           "issue-part",
                                           "volume-issue-group",
                                           "event",
                                           "processing-meta",
                                           NULL};

static int put_contrib(jats_reader *st, citeconv_record *rec,
                       const xmlNode *contrib, const xmlNode *group,
                       const xmlNode *scope, size_t n_top_affs,
                       const xmlNode *top_aff)
{
  const char *type = citeconv_xml_attr(contrib, "contrib-type");
  citeconv_var role = CITECONV_VAR_AUTHOR;
  name_build nb;
  const xmlNode *who = NULL;
  int rc = 0;
  memset(&nb, 0, sizeof(nb));
  if (type && *type) {
    role = citeconv_jats_role_from_group(type);
    if (role == CITECONV_VAR_NONE) {
      citeconv_pos pos = citeconv_xml_node_pos(contrib);
      citeconv_reader_diag(&st->base, &pos, CITECONV_D_UNKNOWN_FIELD,
                           "contrib-type '%s' has no name role; read as "
                           "contributor",
                           type);
      role = CITECONV_VAR_CONTRIBUTOR;
    }
  }
  for (const xmlNode *c = citeconv_xml_child(contrib, NULL); c && rc == 0;
       c = citeconv_xml_next(c, NULL)) {
    if (!who &&
        (citeconv_xml_is(c, "name") || citeconv_xml_is(c, "string-name") ||
         citeconv_xml_is(c, "collab") ||
         citeconv_xml_is(c, "name-alternatives"))) {
      who = c;
      if (citeconv_xml_is(c, "name-alternatives")) {
        const xmlNode *a = citeconv_xml_child(c, "name");
        who = a ? a : citeconv_xml_child(c, "string-name");
        if (!who)
          continue;
      }
      if (citeconv_xml_is(who, "collab")) {
        rc = nb_set(st, &nb, 3, who, true);
      } else if ((rc = nb_parts(st, &nb, who)) == 1) {
        rc = nb_set(st, &nb, 3, who, false);
      }
    } else if (citeconv_xml_is(c, "contrib-id")) {
      const char *t = citeconv_xml_attr(c, "contrib-id-type");
      if (t && strcmp(t, "orcid") == 0 && !nb.orcid && value_of(st, c, false)) {
        if (!(nb.orcid = strdup(strip_orcid(st->buf.data))))
          rc = CITECONV_ENOMEM;
      }
    } else if (citeconv_xml_is(c, "xref")) {
      const char *t = citeconv_xml_attr(c, "ref-type");
      const char *rid = citeconv_xml_attr(c, "rid");
      if (!t || strcmp(t, "aff") != 0 || !rid)
        continue;
      while (*rid && rc == 0) {
        size_t len = strcspn(rid, " ");
        const xmlNode *aff = len ? find_aff(scope, rid, len) : NULL;
        if (aff)
          rc = add_aff_text(st, &nb, aff);
        rid += len;
        rid += strspn(rid, " ");
      }
    } else if (citeconv_xml_is(c, "aff")) {
      rc = add_aff_text(st, &nb, c);
    }
  }
  if (rc == 0 && nb.naffs == 0) {
    /* No link: the group's own affiliations, or the article's only one. */
    for (const xmlNode *a = citeconv_xml_child(group, "aff"); a && rc == 0;
         a = citeconv_xml_next(a, "aff"))
      rc = add_aff_text(st, &nb, a);
    if (rc == 0 && nb.naffs == 0 && n_top_affs == 1)
      rc = add_aff_text(st, &nb, top_aff);
  }
  if (rc == 0 && who)
    rc = nb_commit(st, rec, &nb, role, who);
  nb_free(&nb);
  return rc;
}

static int put_contrib_group(jats_reader *st, citeconv_record *rec,
                             const xmlNode *group, const xmlNode *scope)
{
  size_t n_top = 0;
  const xmlNode *top_aff = NULL;
  int rc = 0;
  for (const xmlNode *a = citeconv_xml_child(scope, "aff"); a;
       a = citeconv_xml_next(a, "aff")) {
    n_top++;
    top_aff = a;
  }
  for (const xmlNode *c = citeconv_xml_child(group, NULL); c && rc == 0;
       c = citeconv_xml_next(c, NULL)) {
    if (citeconv_xml_is(c, "contrib"))
      rc = put_contrib(st, rec, c, group, scope, n_top, top_aff);
    else if (citeconv_xml_is(c, "etal"))
      citeconv_record_set_truncated(rec, CITECONV_VAR_AUTHOR, true);
  }
  return rc;
}

static int put_article_id(jats_reader *st, citeconv_record *rec,
                          const xmlNode *n, const char *prefix)
{
  const char *type = citeconv_xml_attr(n, "pub-id-type");
  citeconv_var var = CITECONV_VAR_NONE;
  char name[96];
  if (!type)
    type = "";
  if (strcmp(type, "doi") == 0)
    var = CITECONV_VAR_DOI;
  else if (strcmp(type, "pmid") == 0)
    var = CITECONV_VAR_PMID;
  else if (strcmp(type, "pmc") == 0 || strcmp(type, "pmcid") == 0)
    var = CITECONV_VAR_PMCID;
  else if (strcmp(type, "isbn") == 0)
    var = CITECONV_VAR_ISBN;
  if (!value_of(st, n, false))
    return 0;
  if (var == CITECONV_VAR_PMCID && isdigit((unsigned char)st->buf.data[0])) {
    /* PMC writes the bare number; the record's PMCID has the prefix. */
    int rc;
    citeconv_buf_clear(&st->tmp);
    rc = citeconv_buf_printf(&st->tmp, "PMC%s", st->buf.data);
    citeconv_buf_clear(&st->buf);
    if (rc == 0)
      rc = citeconv_buf_add(&st->buf, st->tmp.data, st->tmp.len);
    if (rc == CITECONV_ENOMEM)
      return rc;
    if (rc < 0)
      return 0;
  }
  if (var != CITECONV_VAR_NONE) {
    const char *have = citeconv_record_text(rec, var);
    if (!have)
      return citeconv_record_set_text(rec, var, st->buf.data, st->buf.len,
                                      citeconv_xml_node_pos(n));
    if (strcmp(have, st->buf.data) == 0)
      return 0;
  }
  snprintf(name, sizeof(name), "%s%s", prefix, type);
  return citeconv_record_add_extra(rec, name, st->buf.data, st->buf.len,
                                   citeconv_xml_node_pos(n));
}

static int put_abstract(jats_reader *st, citeconv_record *rec,
                        const xmlNode *abs, const char *extra)
{
  citeconv_buf all = CITECONV_BUF_INIT;
  int rc = 0;
  all.max = st->buf.max;
  /* Paragraphs and section titles in order; a section title becomes
   * "Title: " before its first paragraph. */
  for (const xmlNode *n = citeconv_xml_child(abs, NULL); n && rc == 0;
       n = citeconv_xml_walk(abs, n, !citeconv_xml_is(n, "sec"))) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    if (citeconv_xml_is(n, "title") && n->parent != abs) {
      if (value_of(st, n, true)) {
        if (all.len)
          rc = citeconv_buf_addc(&all, '\n');
        if (rc == 0)
          rc = citeconv_buf_printf(&all, "%s: ", st->buf.data);
        if (rc == 0 && !extra)
          rc = citeconv_record_add_extra(rec, JATS_SECTION, st->buf.data,
                                         st->buf.len, citeconv_xml_node_pos(n));
      }
    } else if (citeconv_xml_is(n, "p") || citeconv_xml_is(n, "list") ||
               citeconv_xml_is(n, "disp-quote")) {
      if (value_of(st, n, true)) {
        if (all.len && all.data[all.len - 1] != ' ')
          rc = citeconv_buf_addc(&all, '\n');
        if (rc == 0)
          rc = citeconv_buf_add(&all, st->buf.data, st->buf.len);
      }
    }
  }
  if (rc == CITECONV_ELIMIT) {
    citeconv_pos pos = citeconv_xml_node_pos(abs);
    citeconv_reader_diag(&st->base, &pos, CITECONV_D_LIMIT,
                         "<abstract> is longer than max-field-bytes; "
                         "skipped");
    rc = 0;
  } else if (rc == 0 && all.len) {
    if (extra)
      rc = citeconv_record_add_extra(rec, extra, all.data, all.len,
                                     citeconv_xml_node_pos(abs));
    else if (citeconv_record_text(rec, CITECONV_VAR_ABSTRACT))
      rc = citeconv_record_add_extra(rec, JATS_PREFIX "abstract", all.data,
                                     all.len, citeconv_xml_node_pos(abs));
    else
      rc = citeconv_record_set_text(rec, CITECONV_VAR_ABSTRACT, all.data,
                                    all.len, citeconv_xml_node_pos(abs));
  }
  citeconv_buf_free(&all);
  return rc;
}

static int put_journal_meta(jats_reader *st, citeconv_record *rec,
                            const xmlNode *jm)
{
  int rc = 0;
  char abbrev[256] = "";
  int abbrev_rank = 0; /* 3 abbrev-journal-title, 2 iso-abbrev, 1 nlm-ta */
  citeconv_pos abbrev_pos = {0, 0};
  for (const xmlNode *n = citeconv_xml_child(jm, NULL); n && rc == 0;
       n = citeconv_xml_walk(jm, n,
                             !(citeconv_xml_is(n, "journal-title-group") ||
                               citeconv_xml_is(n, "publisher")))) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    if (citeconv_xml_is(n, "journal-id")) {
      const char *t = citeconv_xml_attr(n, "journal-id-type");
      char name[96];
      int rank = !t                             ? 0
                 : strcmp(t, "iso-abbrev") == 0 ? 2
                 : strcmp(t, "nlm-ta") == 0     ? 1
                                                : 0;
      if (!value_of(st, n, false))
        continue;
      if (rank > abbrev_rank) {
        snprintf(abbrev, sizeof(abbrev), "%s", st->buf.data);
        abbrev_rank = rank;
        abbrev_pos = citeconv_xml_node_pos(n);
      }
      snprintf(name, sizeof(name), JATS_JOURNAL_ID "%s", t ? t : "");
      rc = citeconv_record_add_extra(rec, name, st->buf.data, st->buf.len,
                                     citeconv_xml_node_pos(n));
    } else if (citeconv_xml_is(n, "journal-title")) {
      if (!citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE))
        rc = put_text(st, rec, CITECONV_VAR_CONTAINER_TITLE, n, true, false);
    } else if (citeconv_xml_is(n, "abbrev-journal-title")) {
      if (value_of(st, n, false) && abbrev_rank < 3) {
        snprintf(abbrev, sizeof(abbrev), "%s", st->buf.data);
        abbrev_rank = 3;
        abbrev_pos = citeconv_xml_node_pos(n);
      }
    } else if (citeconv_xml_is(n, "issn")) {
      const char *t = citeconv_xml_attr(n, "pub-type");
      if (!t)
        t = citeconv_xml_attr(n, "publication-format");
      if (!value_of(st, n, false))
        continue;
      rc = citeconv_record_add_text(rec, CITECONV_VAR_ISSN, st->buf.data,
                                    st->buf.len, citeconv_xml_node_pos(n));
      if (rc == 0)
        rc = citeconv_record_add_extra(rec, JATS_ISSN_TYPE, t ? t : "",
                                       t ? strlen(t) : 0,
                                       citeconv_xml_node_pos(n));
    } else if (citeconv_xml_is(n, "isbn")) {
      rc = put_text(st, rec, CITECONV_VAR_ISBN, n, false, true);
    } else if (citeconv_xml_is(n, "publisher-name")) {
      if (!citeconv_record_text(rec, CITECONV_VAR_PUBLISHER))
        rc = put_text(st, rec, CITECONV_VAR_PUBLISHER, n, false, false);
    } else if (citeconv_xml_is(n, "publisher-loc")) {
      if (!citeconv_record_text(rec, CITECONV_VAR_PUBLISHER_PLACE))
        rc = put_text(st, rec, CITECONV_VAR_PUBLISHER_PLACE, n, false, false);
    }
    /* journal-subtitle, trans-title-group, notes, self-uri, contrib-group:
     * not citation data. */
  }
  if (rc == 0 && abbrev[0])
    rc = citeconv_record_set_text(rec, CITECONV_VAR_JOURNAL_ABBREVIATION,
                                  abbrev, strlen(abbrev), abbrev_pos);
  return rc;
}

/* The rank of a pub-date as the issued date: print first, then the
 * electronic publication, then the issue's collection date. 0: not a
 * publication date. Its type (pub-type, or what date-type and
 * publication-format say) goes to type[0..size). */
static int pub_date_rank(const xmlNode *n, char *type, size_t size)
{
  const char *t = citeconv_xml_attr(n, "pub-type");
  const char *dt = citeconv_xml_attr(n, "date-type");
  const char *fmt = citeconv_xml_attr(n, "publication-format");
  if (!t && dt) {
    if (strcmp(dt, "pub") == 0)
      t = fmt && strcmp(fmt, "print") == 0        ? "ppub"
          : fmt && strcmp(fmt, "electronic") == 0 ? "epub"
                                                  : "pub";
    else if (strcmp(dt, "collection") == 0)
      t = "collection";
    else
      t = dt;
  }
  snprintf(type, size, "%s", t ? t : "");
  if (!t)
    return 4;
  if (strcmp(t, "ppub") == 0)
    return 6;
  if (strcmp(t, "epub-ppub") == 0)
    return 5;
  if (strcmp(t, "pub") == 0)
    return 4;
  if (strcmp(t, "epub") == 0)
    return 3;
  if (strcmp(t, "collection") == 0)
    return 2;
  if (strcmp(t, "epreprint") == 0)
    return 1;
  return 0;
}

static int put_pub_dates(jats_reader *st, citeconv_record *rec,
                         const xmlNode *meta)
{
  const xmlNode *best = NULL;
  int best_rank = -1, rc = 0;
  char lit[128], type[64], issued_type[64] = "";
  citeconv_pos issued_pos = {0, 0};
  for (const xmlNode *n = citeconv_xml_child(meta, "pub-date"); n;
       n = citeconv_xml_next(n, "pub-date")) {
    int r = pub_date_rank(n, type, sizeof(type));
    if (r > best_rank) {
      best_rank = r;
      best = n;
      snprintf(issued_type, sizeof(issued_type), "%s", type);
    }
  }
  if (!best)
    return 0;
  /* The others are kept, as "type\tYYYY-MM-DD", for the writer. */
  for (const xmlNode *n = citeconv_xml_child(meta, "pub-date"); n && rc == 0;
       n = citeconv_xml_next(n, "pub-date")) {
    date_parts p;
    citeconv_date d;
    (void)pub_date_rank(n, type, sizeof(type));
    date_parts_of(&p, n);
    if (!read_date(st, &p, &d, NULL, 0, lit, sizeof(lit))) {
      if (n == best)
        issued_type[0] = '\0';
      continue;
    }
    if (n == best) {
      d.pos = citeconv_xml_node_pos(n);
      rc = citeconv_record_set_date(rec, CITECONV_VAR_ISSUED, &d);
      issued_pos = d.pos;
    } else if (!d.literal) {
      citeconv_buf_clear(&st->buf);
      rc = citeconv_buf_printf(&st->buf, "%s\t%04d", type, d.year);
      if (rc == 0 && d.month)
        rc = citeconv_buf_printf(&st->buf, "-%02d", d.month);
      if (rc == 0 && d.month && d.day)
        rc = citeconv_buf_printf(&st->buf, "-%02d", d.day);
      if (rc == 0)
        rc = citeconv_record_add_extra(rec, JATS_PUB_DATE, st->buf.data,
                                       st->buf.len, citeconv_xml_node_pos(n));
    }
  }
  /* After the other dates, in the order the writer puts them back. */
  if (rc == 0 && issued_type[0])
    rc = citeconv_record_add_extra(rec, JATS_DATE_TYPE, issued_type,
                                   strlen(issued_type), issued_pos);
  return rc;
}

static int put_pages(jats_reader *st, citeconv_record *rec,
                     const xmlNode *fpage, const xmlNode *lpage,
                     const xmlNode *range, const xmlNode *eloc)
{
  citeconv_buf pg = CITECONV_BUF_INIT;
  const xmlNode *at = fpage ? fpage : range ? range : eloc;
  int rc = 0;
  pg.max = st->buf.max;
  if (range && value_of(st, range, false)) {
    rc = citeconv_buf_add(&pg, st->buf.data, st->buf.len);
  } else if (fpage && value_of(st, fpage, false)) {
    rc = citeconv_buf_add(&pg, st->buf.data, st->buf.len);
    if (rc == 0 && lpage && value_of(st, lpage, false) &&
        strcmp(st->buf.data, pg.data) != 0) {
      rc = citeconv_buf_addc(&pg, '-');
      if (rc == 0)
        rc = citeconv_buf_add(&pg, st->buf.data, st->buf.len);
    }
  }
  if (rc == 0 && eloc && value_of(st, eloc, false)) {
    rc = citeconv_record_add_extra(rec, JATS_ELOCATION, st->buf.data,
                                   st->buf.len, citeconv_xml_node_pos(eloc));
    /* An article number stands where the pages would be. */
    if (rc == 0 && pg.len == 0)
      rc = citeconv_buf_add(&pg, st->buf.data, st->buf.len);
  }
  if (rc == 0 && pg.len)
    rc = citeconv_record_set_text(rec, CITECONV_VAR_PAGE, pg.data, pg.len,
                                  citeconv_xml_node_pos(at));
  citeconv_buf_free(&pg);
  return rc < 0 && rc != CITECONV_ENOMEM ? 0 : rc;
}

static int put_title_group(jats_reader *st, citeconv_record *rec,
                           const xmlNode *tg)
{
  int rc = 0;
  for (const xmlNode *c = citeconv_xml_child(tg, NULL); c && rc == 0;
       c = citeconv_xml_next(c, NULL)) {
    if (citeconv_xml_is(c, "article-title")) {
      rc = put_text(st, rec, CITECONV_VAR_TITLE, c, true, false);
    } else if (citeconv_xml_is(c, "subtitle")) {
      const citeconv_field *t = citeconv_record_field(rec, CITECONV_VAR_TITLE);
      if (!value_of(st, c, true))
        continue;
      rc = citeconv_record_add_extra(rec, JATS_SUBTITLE, st->buf.data,
                                     st->buf.len, citeconv_xml_node_pos(c));
      if (rc == 0 && t) {
        /* CSL keeps the subtitle in the title, after a colon. */
        citeconv_buf all = CITECONV_BUF_INIT;
        citeconv_pos pos = t->pos;
        rc = citeconv_buf_printf(&all, "%s: %s", t->value, st->buf.data);
        if (rc == 0)
          rc = citeconv_record_set_text(rec, CITECONV_VAR_TITLE, all.data,
                                        all.len, pos);
        citeconv_buf_free(&all);
      }
    } else if (citeconv_xml_is(c, "alt-title")) {
      rc = put_extra(st, rec, JATS_PREFIX "alt-title", c);
    } else if (citeconv_xml_is(c, "trans-title-group")) {
      rc = put_extra(st, rec, JATS_PREFIX "trans-title",
                     citeconv_xml_child(c, "trans-title"));
    } else if (!citeconv_xml_is(c, "fn-group")) {
      rc = unknown_element(st, rec, c, "title-group");
    }
  }
  return rc;
}

static int put_link(jats_reader *st, citeconv_record *rec,
                    const xmlNode *n);

static int put_article_meta(jats_reader *st, citeconv_record *rec,
                            const xmlNode *meta)
{
  const xmlNode *fpage = NULL, *lpage = NULL, *range = NULL, *eloc = NULL;
  int rc = 0;
  for (const xmlNode *c = citeconv_xml_child(meta, NULL); c && rc == 0;
       c = citeconv_xml_next(c, NULL)) {
    if (citeconv_xml_is(c, "article-id")) {
      rc = put_article_id(st, rec, c, JATS_ARTICLE_ID);
    } else if (citeconv_xml_is(c, "title-group")) {
      rc = put_title_group(st, rec, c);
    } else if (citeconv_xml_is(c, "contrib-group")) {
      rc = put_contrib_group(st, rec, c, meta);
    } else if (citeconv_xml_is(c, "pub-date")) {
      continue; /* after the loop */
    } else if (citeconv_xml_is(c, "volume")) {
      rc = put_text(st, rec, CITECONV_VAR_VOLUME, c, false, false);
    } else if (citeconv_xml_is(c, "issue")) {
      rc = put_text(st, rec, CITECONV_VAR_ISSUE, c, false, false);
    } else if (citeconv_xml_is(c, "fpage")) {
      fpage = fpage ? fpage : c;
    } else if (citeconv_xml_is(c, "lpage")) {
      lpage = lpage ? lpage : c;
    } else if (citeconv_xml_is(c, "page-range")) {
      range = c;
    } else if (citeconv_xml_is(c, "elocation-id")) {
      eloc = eloc ? eloc : c;
    } else if (citeconv_xml_is(c, "abstract")) {
      const char *t = citeconv_xml_attr(c, "abstract-type");
      char name2[96];
      if (t && *t)
        snprintf(name2, sizeof(name2), JATS_PREFIX "abstract-%s", t);
      rc = put_abstract(st, rec, c, t && *t ? name2 : NULL);
    } else if (citeconv_xml_is(c, "trans-abstract")) {
      rc = put_abstract(st, rec, c, JATS_PREFIX "trans-abstract");
    } else if (citeconv_xml_is(c, "kwd-group")) {
      for (const xmlNode *k = citeconv_xml_child(c, NULL); k && rc == 0;
           k = citeconv_xml_next(k, NULL))
        if (citeconv_xml_is(k, "kwd") || citeconv_xml_is(k, "compound-kwd"))
          rc = put_text(st, rec, CITECONV_VAR_KEYWORD, k, true, true);
    } else if (citeconv_xml_is(c, "counts")) {
      const xmlNode *pc = citeconv_xml_child(c, "page-count");
      const char *v = pc ? citeconv_xml_attr(pc, "count") : NULL;
      if (v && *v)
        rc = citeconv_record_set_text(rec, CITECONV_VAR_NUMBER_OF_PAGES, v,
                                      strlen(v), citeconv_xml_node_pos(pc));
    } else if (citeconv_xml_is(c, "issue-title")) {
      rc = put_extra(st, rec, JATS_PREFIX "issue-title", c);
    } else if (citeconv_xml_is(c, "isbn")) {
      rc = put_text(st, rec, CITECONV_VAR_ISBN, c, false, true);
    } else if (citeconv_xml_is(c, "ext-link") || citeconv_xml_is(c, "uri")) {
      rc = put_link(st, rec, c);
    } else if (citeconv_xml_is(c, "supplement")) {
      rc = put_text(st, rec, CITECONV_VAR_SUPPLEMENT, c, false, false);
    } else if (name_in(c, meta_ignored)) {
      continue;
    } else {
      rc = unknown_element(st, rec, c, "article-meta");
    }
  }
  if (rc == 0)
    rc = put_pub_dates(st, rec, meta);
  if (rc == 0 && (fpage || range || eloc))
    rc = put_pages(st, rec, fpage, lpage, range, eloc);
  return rc;
}

/* The article's record from <front>. */
static int read_front(jats_reader *st, citeconv_record **out, xmlNode *front,
                      citeconv_pos pos)
{
  citeconv_record *rec = NULL;
  const xmlNode *article = front->parent;
  const char *v;
  int rc;
  if ((rc = citeconv_record_new(&rec)) < 0)
    return rc;
  citeconv_record_set_origin(rec, st->base.file, pos);
  citeconv_record_set_type(rec, CITECONV_TYPE_ARTICLE_JOURNAL);
  if (article && article->type == XML_ELEMENT_NODE) {
    if ((v = citeconv_xml_attr(article, "article-type")) && *v) {
      rc = citeconv_record_add_extra(rec, JATS_ARTICLE_TYPE, v, strlen(v), pos);
      if (strcmp(v, "preprint") == 0)
        citeconv_record_set_type(rec, CITECONV_TYPE_ARTICLE);
    }
    if (rc == 0 && (v = citeconv_xml_attr(article, "lang")) && *v)
      rc = citeconv_record_set_text(rec, CITECONV_VAR_LANGUAGE, v, strlen(v),
                                    pos);
  }
  for (const xmlNode *c = citeconv_xml_child(front, NULL); c && rc == 0;
       c = citeconv_xml_next(c, NULL)) {
    if (citeconv_xml_is(c, "journal-meta"))
      rc = put_journal_meta(st, rec, c);
    else if (citeconv_xml_is(c, "article-meta"))
      rc = put_article_meta(st, rec, c);
  }
  if (rc < 0) {
    citeconv_record_free(rec);
    return rc;
  }
  v = citeconv_record_text(rec, CITECONV_VAR_DOI);
  snprintf(st->citing_doi, sizeof(st->citing_doi), "%s", v ? v : "");
  v = citeconv_record_text(rec, CITECONV_VAR_PMID);
  snprintf(st->citing_pmid, sizeof(st->citing_pmid), "%s", v ? v : "");
  v = citeconv_record_text(rec, CITECONV_VAR_PMCID);
  snprintf(st->citing_pmcid, sizeof(st->citing_pmcid), "%s", v ? v : "");
  st->citing_pos = pos;
  *out = rec;
  return 0;
}

/* ---- references ---- */

/* What a citation element holds, gathered before the fields are set. */
typedef struct {
  const xmlNode *article_title, *chapter_title, *data_title, *part_title;
  const xmlNode *source, *fpage, *lpage, *range, *eloc;
  date_parts date;
  bool typed;     /* publication-type was known */
  bool has_names; /* names or collab */
} cit_parts;

static citeconv_var group_role(jats_reader *st, const xmlNode *g,
                               bool *assignee)
{
  const char *t = citeconv_xml_attr(g, "person-group-type");
  citeconv_var role;
  *assignee = false;
  if (!t || !*t)
    return CITECONV_VAR_AUTHOR;
  if (strcmp(t, "assignee") == 0) {
    *assignee = true;
    return CITECONV_VAR_NONE;
  }
  role = citeconv_jats_role_from_group(t);
  if (role == CITECONV_VAR_NONE) {
    citeconv_pos pos = citeconv_xml_node_pos(g);
    citeconv_reader_diag(&st->base, &pos, CITECONV_D_UNKNOWN_FIELD,
                         "person-group-type '%s' has no name role; read as "
                         "contributor",
                         t);
    role = CITECONV_VAR_CONTRIBUTOR;
  }
  return role;
}

/* A person-group written as text only ("Hendrix RW,Roberts JW"): each
 * comma-separated part is "Family Initials", or a literal name. */
static int put_text_group(jats_reader *st, citeconv_record *rec,
                          const xmlNode *g, citeconv_var role)
{
  char *all;
  int rc = 0;
  if (!value_of(st, g, false))
    return 0;
  if (!(all = strdup(st->buf.data)))
    return CITECONV_ENOMEM;
  for (char *part = all; part && *part && rc == 0;) {
    char *end = part + strcspn(part, ",;");
    char *last;
    size_t n;
    name_build nb;
    bool initials = true;
    char save = *end;
    *end = '\0';
    while (*part == ' ')
      part++;
    n = strlen(part);
    while (n > 0 && part[n - 1] == ' ')
      part[--n] = '\0';
    memset(&nb, 0, sizeof(nb));
    last = strrchr(part, ' ');
    if (last && strlen(last + 1) <= 4) {
      for (const char *c = last + 1; *c; c++)
        if (!isupper((unsigned char)*c) && *c != '.')
          initials = false;
    } else {
      initials = false;
    }
    if (n > 0 && strcmp(part, "et al") != 0 && strcmp(part, "et al.") != 0) {
      if (initials) {
        *last = '\0';
        nb.parts[0] = strdup(part);
        nb.parts[1] = strdup(last + 1);
        if (!nb.parts[0] || !nb.parts[1])
          rc = CITECONV_ENOMEM;
      } else if (!(nb.parts[3] = strdup(part))) {
        rc = CITECONV_ENOMEM;
      }
      if (rc == 0)
        rc = nb_commit(st, rec, &nb, role, g);
      nb_free(&nb);
    } else if (n > 0) {
      citeconv_record_set_truncated(rec, role, true);
    }
    part = save ? end + 1 : NULL;
  }
  free(all);
  return rc;
}

static int put_person_group(jats_reader *st, citeconv_record *rec,
                            const xmlNode *g, cit_parts *cp)
{
  bool assignee;
  citeconv_var role = group_role(st, g, &assignee);
  int rc = 0;
  if (!assignee && !citeconv_xml_child(g, NULL)) {
    cp->has_names = true;
    return put_text_group(st, rec, g, role);
  }
  for (const xmlNode *c = citeconv_xml_child(g, NULL); c && rc == 0;
       c = citeconv_xml_next(c, NULL)) {
    if (assignee) {
      /* CSL has no assignee; its name travels as an extra. */
      rc = put_extra(st, rec, JATS_ASSIGNEE, c);
      continue;
    }
    if (citeconv_xml_is(c, "etal")) {
      citeconv_record_set_truncated(rec, role, true);
      continue;
    }
    if (citeconv_xml_is(c, "anonymous")) {
      /* An anonymous author: CSL processors print the literal name. */
      citeconv_name anon;
      memset(&anon, 0, sizeof anon);
      anon.role = role;
      anon.literal = "Anonymous";
      anon.pos = citeconv_xml_node_pos(c);
      rc = citeconv_record_add_name(rec, &anon);
      cp->has_names = true;
      continue;
    }
    if (citeconv_xml_is(c, "aff") || citeconv_xml_is(c, "role") ||
        citeconv_xml_is(c, "x"))
      continue;
    rc = put_name(st, rec, c, role);
    if (rc == 1)
      rc = unknown_element(st, rec, c, "person-group");
    else
      cp->has_names = true;
  }
  return rc;
}

static int put_pub_id(jats_reader *st, citeconv_record *rec, const xmlNode *n)
{
  const char *type = citeconv_xml_attr(n, "pub-id-type");
  const char *href = citeconv_xml_attr(n, "href");
  int rc = put_article_id(st, rec, n, JATS_PUB_ID);
  if (rc == 0 && href && *href && type && strcmp(type, "doi") != 0 &&
      !citeconv_record_text(rec, CITECONV_VAR_URL))
    rc = citeconv_record_set_text(rec, CITECONV_VAR_URL, href, strlen(href),
                                  citeconv_xml_node_pos(n));
  return rc;
}

static int put_link(jats_reader *st, citeconv_record *rec, const xmlNode *n)
{
  const char *type = citeconv_xml_attr(n, "ext-link-type");
  const char *href = citeconv_xml_attr(n, "href");
  citeconv_var var = CITECONV_VAR_URL;
  citeconv_pos pos = citeconv_xml_node_pos(n);
  const char *v;
  if (type && strcmp(type, "doi") == 0)
    var = CITECONV_VAR_DOI;
  else if (type && strcmp(type, "pmid") == 0)
    var = CITECONV_VAR_PMID;
  if (href && *href) {
    v = href;
  } else {
    if (!value_of(st, n, false))
      return 0;
    v = st->buf.data;
  }
  if (citeconv_record_text(rec, var))
    return citeconv_record_add_extra(rec, JATS_PREFIX "ext-link", v, strlen(v),
                                     pos);
  return citeconv_record_set_text(rec, var, v, strlen(v), pos);
}

static int put_access_date(jats_reader *st, citeconv_record *rec,
                           const xmlNode *n)
{
  const char *ct = citeconv_xml_attr(n, "content-type");
  const char *iso = citeconv_xml_attr(n, "iso-8601-date");
  citeconv_date d;
  char lit[128];
  citeconv_pos pos = citeconv_xml_node_pos(n);
  if (!value_of(st, n, false) && !iso)
    return 0;
  if (ct && strcmp(ct, "access-date") != 0 && strcmp(ct, "accessed") != 0 &&
      strcmp(ct, "cited") != 0)
    return citeconv_record_add_extra(rec, JATS_PREFIX "date-in-citation",
                                     st->buf.data, st->buf.len, pos);
  memset(&d, 0, sizeof(d));
  if (!(iso && iso_date(&d, iso)) && !text_date(&d, st->buf.data)) {
    snprintf(lit, sizeof(lit), "%s", st->buf.data);
    memset(&d, 0, sizeof(d));
    d.literal = lit;
    citeconv_reader_diag(&st->base, &pos, CITECONV_D_BAD_DATE,
                         "cannot read access date '%s'; kept as text", lit);
  }
  d.pos = pos;
  return citeconv_record_set_date(rec, CITECONV_VAR_ACCESSED, &d);
}

/* Elements of a citation with a plain mapping to a variable. */
static const struct {
  const char *name;
  citeconv_var var;
  bool markup;
} cit_map[] = {
    {"volume", CITECONV_VAR_VOLUME, false},
    {"issue", CITECONV_VAR_ISSUE, false},
    {"publisher-name", CITECONV_VAR_PUBLISHER, false},
    {"publisher-loc", CITECONV_VAR_PUBLISHER_PLACE, false},
    {"edition", CITECONV_VAR_EDITION, false},
    {"conf-name", CITECONV_VAR_EVENT_TITLE, true},
    {"conf-loc", CITECONV_VAR_EVENT_PLACE, false},
    {"series", CITECONV_VAR_COLLECTION_TITLE, true},
    {"isbn", CITECONV_VAR_ISBN, false},
    {"issn", CITECONV_VAR_ISSN, false},
    {"version", CITECONV_VAR_VERSION, false},
    {"std", CITECONV_VAR_NUMBER, false},
    {"gov", CITECONV_VAR_AUTHORITY, false},
    {"role", CITECONV_VAR_GENRE, false},
};

/* Formatting and structure elements that may wrap parts of a mixed
 * citation: their content is looked at as if it were not wrapped. */
static const char *const wrappers[] = {
    "italic",         "bold",       "sc",        "underline",
    "roman",          "sans-serif", "monospace", "named-content",
    "styled-content", NULL};

/* Elements that only hold the untagged text of a citation. */
static const char *const plain[] = {
    "sup", "sub", "break", "x", "inline-formula", "target", "xref", NULL};

static int put_cit_child(jats_reader *st, citeconv_record *rec,
                         const xmlNode *c, cit_parts *cp, const char *parent)
{
  citeconv_var role = CITECONV_VAR_AUTHOR;
  int rc;
  for (size_t i = 0; i < sizeof(cit_map) / sizeof(cit_map[0]); i++)
    if (citeconv_xml_is(c, cit_map[i].name))
      return put_text(st, rec, cit_map[i].var, c, cit_map[i].markup,
                      cit_map[i].var == CITECONV_VAR_ISBN ||
                          cit_map[i].var == CITECONV_VAR_ISSN);
  if (citeconv_xml_is(c, "person-group"))
    return put_person_group(st, rec, c, cp);
  if (citeconv_xml_is(c, "etal")) {
    citeconv_record_set_truncated(rec, role, true);
    return 0;
  }
  if ((rc = put_name(st, rec, c, role)) != 1) {
    cp->has_names = true;
    return rc;
  }
#define KEEP(field, el)                                                        \
  if (citeconv_xml_is(c, el)) {                                                \
    if (!cp->field)                                                            \
      cp->field = c;                                                           \
    else                                                                       \
      return put_extra(st, rec, JATS_PREFIX el, c);                            \
    return 0;                                                                  \
  }
  KEEP(article_title, "article-title")
  KEEP(chapter_title, "chapter-title")
  KEEP(data_title, "data-title")
  KEEP(part_title, "part-title")
  KEEP(source, "source")
  KEEP(fpage, "fpage")
  KEEP(lpage, "lpage")
  KEEP(range, "page-range")
  KEEP(eloc, "elocation-id")
  KEEP(date.year, "year")
  KEEP(date.month, "month")
  KEEP(date.day, "day")
  KEEP(date.season, "season")
#undef KEEP
  if (citeconv_xml_is(c, "year") || citeconv_xml_is(c, "month"))
    return 0;
  if (citeconv_xml_is(c, "pub-id"))
    return put_pub_id(st, rec, c);
  if (citeconv_xml_is(c, "ext-link") || citeconv_xml_is(c, "uri"))
    return put_link(st, rec, c);
  if (citeconv_xml_is(c, "date-in-citation"))
    return put_access_date(st, rec, c);
  if (citeconv_xml_is(c, "comment") || citeconv_xml_is(c, "annotation")) {
    const char *u;
    rc = put_text(st, rec, CITECONV_VAR_NOTE, c, true, true);
    /* "Available: http://..." is where older PMC files put the link. */
    if (rc == 0 && st->buf.len &&
        !citeconv_record_text(rec, CITECONV_VAR_URL) &&
        ((u = strstr(st->buf.data, "https://")) ||
         (u = strstr(st->buf.data, "http://")))) {
      size_t n = strcspn(u, " <>\"");
      while (n > 0 && strchr(".,;)]", u[n - 1]))
        n--;
      rc = citeconv_record_set_text(rec, CITECONV_VAR_URL, u, n,
                                    citeconv_xml_node_pos(c));
    }
    return rc;
  }
  if (citeconv_xml_is(c, "size")) {
    const char *u = citeconv_xml_attr(c, "units");
    if (!u || strcmp(u, "pages") == 0 || strcmp(u, "page") == 0)
      return put_text(st, rec, CITECONV_VAR_NUMBER_OF_PAGES, c, false, false);
    return put_extra(st, rec, JATS_PREFIX "size", c);
  }
  if (citeconv_xml_is(c, "patent")) {
    const char *country = citeconv_xml_attr(c, "country");
    rc = put_text(st, rec, CITECONV_VAR_NUMBER, c, false, false);
    if (rc == 0 && country && *country)
      rc = citeconv_record_set_text(rec, CITECONV_VAR_JURISDICTION, country,
                                    strlen(country), citeconv_xml_node_pos(c));
    return rc;
  }
  if (citeconv_xml_is(c, "institution")) {
    if (!citeconv_record_text(rec, CITECONV_VAR_PUBLISHER))
      return put_text(st, rec, CITECONV_VAR_PUBLISHER, c, false, false);
    return put_extra(st, rec, JATS_PREFIX "institution", c);
  }
  if (citeconv_xml_is(c, "conf-date")) {
    return put_extra(st, rec, JATS_PREFIX "conf-date", c);
  }
  if (citeconv_xml_is(c, "trans-title") || citeconv_xml_is(c, "trans-source") ||
      citeconv_xml_is(c, "conf-sponsor") || citeconv_xml_is(c, "issue-title") ||
      citeconv_xml_is(c, "volume-series") || citeconv_xml_is(c, "issn-l") ||
      citeconv_xml_is(c, "supplement") || citeconv_xml_is(c, "issue-part") ||
      citeconv_xml_is(c, "object-id") || citeconv_xml_is(c, "label")) {
    char name[96];
    snprintf(name, sizeof(name), JATS_PREFIX "%s", (const char *)c->name);
    return put_extra(st, rec, name, c);
  }
  if (name_in(c, plain) || citeconv_xml_is(c, "mml:math") ||
      citeconv_xml_is(c, "math"))
    return 0;
  return unknown_element(st, rec, c, parent);
}

/* Where a ref's title, container and pages go, once all parts are seen. */
static int put_cit_parts(jats_reader *st, citeconv_record *rec, cit_parts *cp)
{
  citeconv_type type = citeconv_record_type(rec);
  const xmlNode *title = cp->chapter_title   ? cp->chapter_title
                         : cp->article_title ? cp->article_title
                         : cp->data_title    ? cp->data_title
                                             : cp->part_title;
  int rc = 0;
  char suffix[16], lit[128];
  if (title)
    rc = put_text(st, rec, CITECONV_VAR_TITLE, title, true, false);
  /* A second title element (article-title beside chapter-title) is kept. */
  if (rc == 0 && cp->article_title && title != cp->article_title)
    rc = put_extra(st, rec, JATS_PREFIX "article-title", cp->article_title);
  if (rc == 0 && cp->data_title && title != cp->data_title)
    rc = put_extra(st, rec, JATS_PREFIX "data-title", cp->data_title);
  if (rc == 0 && cp->part_title && title != cp->part_title)
    rc = put_extra(st, rec, JATS_PREFIX "part-title", cp->part_title);
  if (rc == 0 && cp->source) {
    bool container = title || type == CITECONV_TYPE_ARTICLE_JOURNAL ||
                     type == CITECONV_TYPE_ARTICLE_NEWSPAPER ||
                     type == CITECONV_TYPE_ARTICLE_MAGAZINE;
    rc = put_text(st, rec,
                  container ? CITECONV_VAR_CONTAINER_TITLE : CITECONV_VAR_TITLE,
                  cp->source, true, false);
  }
  /* A part of a book: a chapter title, or an article title beside the
   * book's title. */
  if (rc == 0 && ((type == CITECONV_TYPE_BOOK &&
                   (cp->chapter_title || (cp->article_title && cp->source))) ||
                  (!cp->typed && cp->chapter_title)))
    citeconv_record_set_type(rec, CITECONV_TYPE_CHAPTER);
  if (rc == 0 && (cp->fpage || cp->range || cp->eloc))
    rc = put_pages(st, rec, cp->fpage, cp->lpage, cp->range, cp->eloc);
  if (rc == 0 && (cp->date.year || cp->date.month || cp->date.season)) {
    citeconv_date d;
    if (read_date(st, &cp->date, &d, suffix, sizeof(suffix), lit,
                  sizeof(lit))) {
      if (d.literal && !d.year && strlen(d.literal) < 20 &&
          !isdigit((unsigned char)d.literal[0])) {
        /* "in press", "n.d.": a status, not a date */
        rc = citeconv_record_set_text(rec, CITECONV_VAR_STATUS, d.literal,
                                      strlen(d.literal), d.pos);
      } else {
        rc = citeconv_record_set_date(rec, CITECONV_VAR_ISSUED, &d);
        if (rc == 0 && suffix[0])
          rc = citeconv_record_set_text(rec, CITECONV_VAR_YEAR_SUFFIX, suffix,
                                        strlen(suffix), d.pos);
      }
    }
  }
  return rc;
}

/* The untagged text of a mixed citation has words beyond connectors and
 * punctuation ("and", "In:", "pp.", "et al")? */
static bool untagged_words(const xmlNode *cit)
{
  static const char *const connectors[] = {
      "and",     "et",     "al",        "in",        "eds",  "ed",   "pp",
      "p",       "doi",    "pmid",      "available", "from", "at",   "accessed",
      "editors", "editor", "vol",       "no",        "s",    "n",    "ch",
      "chapter", "cited",  "retrieved", "online",    "url",  "http", "https",
      "www",     "org",    NULL};
  for (const xmlNode *c = cit->children; c; c = c->next) {
    const char *s;
    if (c->type != XML_TEXT_NODE || !c->content)
      continue;
    s = (const char *)c->content;
    while (*s) {
      char w[16];
      size_t n = 0;
      bool known = false;
      while (*s && !isalpha((unsigned char)*s))
        s++;
      while (isalpha((unsigned char)s[n]))
        n++;
      if (n == 0)
        break;
      if (n < sizeof(w)) {
        for (size_t i = 0; i < n; i++)
          w[i] = (char)tolower((unsigned char)s[i]);
        w[n] = '\0';
        for (size_t i = 0; connectors[i]; i++)
          if (strcmp(w, connectors[i]) == 0)
            known = true;
      }
      if (!known)
        return true;
      s += n;
    }
  }
  return false;
}

static int put_citation(jats_reader *st, citeconv_record *rec,
                        const xmlNode *cit)
{
  const char *pubtype = citeconv_xml_attr(cit, "publication-type");
  bool mixed = !citeconv_xml_is(cit, "element-citation") &&
               !citeconv_xml_is(cit, "nlm-citation");
  cit_parts cp;
  int rc = 0, t;
  memset(&cp, 0, sizeof(cp));
  const char *lang = citeconv_xml_attr(cit, "lang");
  if (!pubtype)
    pubtype = citeconv_xml_attr(cit, "citation-type");
  citeconv_record_set_type(rec, CITECONV_TYPE_DOCUMENT);
  if (lang && *lang)
    rc = citeconv_record_set_text(rec, CITECONV_VAR_LANGUAGE, lang,
                                  strlen(lang), citeconv_xml_node_pos(cit));
  if (pubtype && *pubtype) {
    t = citeconv_jats_type_from_pubtype(pubtype);
    if (t < 0) {
      citeconv_pos pos = citeconv_xml_node_pos(cit);
      citeconv_reader_diag(&st->base, &pos, CITECONV_D_UNKNOWN_TYPE,
                           "publication-type '%s' is not known; read as "
                           "document",
                           pubtype);
      t = CITECONV_TYPE_DOCUMENT;
    } else {
      cp.typed = true;
    }
    citeconv_record_set_type(rec, (citeconv_type)t);
    if (rc == 0 && strcmp(pubtype, citeconv_jats_pubtype_of(t)) != 0)
      rc =
          citeconv_record_add_extra(rec, JATS_PUBTYPE, pubtype, strlen(pubtype),
                                    citeconv_xml_node_pos(cit));
  }
  /* Children in order; formatting wrappers in a mixed citation are
   * entered (no recursion: a walk that descends only into them). */
  for (const xmlNode *c = citeconv_xml_child(cit, NULL); c && rc == 0;
       c = citeconv_xml_walk(
           cit, c,
           !(mixed && name_in(c, wrappers) && citeconv_xml_child(c, NULL)))) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    if (mixed && name_in(c, wrappers) && citeconv_xml_child(c, NULL))
      continue; /* its children come next */
    if (mixed && name_in(c, wrappers))
      continue; /* formatting of untagged text */
    rc = put_cit_child(st, rec, c, &cp, (const char *)cit->name);
  }
  if (rc == 0)
    rc = put_cit_parts(st, rec, &cp);
  if (rc == 0 && mixed &&
      (!citeconv_record_text(rec, CITECONV_VAR_TITLE) ||
       !citeconv_record_date(rec, CITECONV_VAR_ISSUED) || !cp.has_names) &&
      untagged_words(cit)) {
    /* Untagged text: the reference-string parser fills in what the tags
     * did not give (it keeps the fields already set). */
    citeconv_buf plain_text = CITECONV_BUF_INIT;
    citeconv_pos pos = citeconv_xml_node_pos(cit);
    bool had_type = cp.typed;
    citeconv_type keep = citeconv_record_type(rec);
    if (value_of(st, cit, true))
      rc = citeconv_text_strip_markup(&plain_text, st->buf.data, st->buf.len);
    if (rc == 0 && plain_text.len)
      rc = citeconv_refparse(rec, plain_text.data, plain_text.len, pos, NULL);
    if (had_type)
      citeconv_record_set_type(rec, keep);
    citeconv_buf_free(&plain_text);
  }
  return rc;
}

/* The citation of a ref: element-citation first (also inside
 * citation-alternatives), then mixed-citation, citation, nlm-citation. */
static const xmlNode *pick_citation(const xmlNode *ref, size_t *count)
{
  static const char *const order[] = {"element-citation", "nlm-citation",
                                      "mixed-citation", "citation", NULL};
  const xmlNode *alt = citeconv_xml_child(ref, "citation-alternatives");
  *count = 0;
  for (const xmlNode *c = citeconv_xml_child(ref, NULL); c;
       c = citeconv_xml_next(c, NULL))
    if (name_in(c, order))
      (*count)++;
  for (size_t i = 0; order[i]; i++) {
    const xmlNode *c = citeconv_xml_child(ref, order[i]);
    if (!c && alt)
      c = citeconv_xml_child(alt, order[i]);
    if (c)
      return c;
  }
  return NULL;
}

static int read_ref(jats_reader *st, citeconv_record **out, const xmlNode *ref,
                    citeconv_pos pos)
{
  citeconv_record *rec = NULL;
  const char *id = citeconv_xml_attr(ref, "id");
  size_t count;
  const xmlNode *cit = pick_citation(ref, &count);
  int rc;
  if ((rc = citeconv_record_new(&rec)) < 0)
    return rc;
  citeconv_record_set_origin(rec, st->base.file, pos);
  if (id && *id)
    rc = citeconv_record_set_text(rec, CITECONV_VAR_ID, id, strlen(id), pos);
  if (rc == 0)
    rc = put_extra(st, rec, JATS_LABEL, citeconv_xml_child(ref, "label"));
  if (rc == 0 && cit) {
    rc = put_citation(st, rec, cit);
    if (rc == 0 && count > 1) {
      /* Further citations of the same ref: their text is kept. */
      for (const xmlNode *c = citeconv_xml_child(ref, NULL); c && rc == 0;
           c = citeconv_xml_next(c, NULL))
        if (c != cit && (citeconv_xml_is(c, "element-citation") ||
                         citeconv_xml_is(c, "mixed-citation") ||
                         citeconv_xml_is(c, "citation") ||
                         citeconv_xml_is(c, "nlm-citation"))) {
          citeconv_pos p = citeconv_xml_node_pos(c);
          citeconv_reader_diag(&st->base, &p, CITECONV_D_DUPLICATE_FIELD,
                               "<ref> holds a second <%s>; its text is kept "
                               "as a note",
                               (const char *)c->name);
          rc = put_text(st, rec, CITECONV_VAR_NOTE, c, true, true);
        }
    }
  } else if (rc == 0) {
    /* No citation element: whatever text the ref has. */
    citeconv_buf plain_text = CITECONV_BUF_INIT;
    if (value_of2(st, ref, true, true)) {
      rc = citeconv_text_strip_markup(&plain_text, st->buf.data, st->buf.len);
      if (rc == 0)
        rc = citeconv_refparse(rec, plain_text.data, plain_text.len, pos, NULL);
    } else {
      citeconv_reader_diag(&st->base, &pos, CITECONV_D_EMPTY_RECORD,
                           "<ref> holds no citation");
    }
    citeconv_buf_free(&plain_text);
  }
  if (rc == 0 && st->citing_doi[0])
    rc = citeconv_record_add_extra(rec, JATS_CITING_DOI, st->citing_doi,
                                   strlen(st->citing_doi), st->citing_pos);
  if (rc == 0 && st->citing_pmid[0])
    rc = citeconv_record_add_extra(rec, JATS_CITING_PMID, st->citing_pmid,
                                   strlen(st->citing_pmid), st->citing_pos);
  if (rc == 0 && st->citing_pmcid[0])
    rc = citeconv_record_add_extra(rec, JATS_CITING_PMCID, st->citing_pmcid,
                                   strlen(st->citing_pmcid), st->citing_pos);
  if (rc < 0) {
    citeconv_record_free(rec);
    return rc;
  }
  *out = rec;
  return 0;
}

/* ---- the stream ---- */

/* Elements skipped whole: they hold neither the front nor references. */
static const char *const skipped[] = {
    "body",     "floats-group",    "sec",   "ack",
    "fn-group", "glossary",        "notes", "table-wrap",
    "fig",      "processing-meta",
    /* a sub-article's (decision letter, reply) own metadata: not the
     * article's, not a reference */
    "front-stub", NULL};

static int jats_next(citeconv_record **out, citeconv_reader *r)
{
  jats_reader *st = (jats_reader *)r;
  *out = NULL;
  if (st->done)
    return CITECONV_END;
  for (;;) {
    int depth, rc;
    const char *name;
    citeconv_pos pos;
    xmlNode *node;
    if (st->need_skip) {
      st->need_skip = false;
      rc = citeconv_xml_skip(&st->xml);
      if (rc < 0) {
        st->done = true;
        return CITECONV_END;
      }
      if (rc == 0)
        goto end;
    }
    rc = citeconv_xml_next_element(&st->xml, &depth);
    if (rc <= 0) {
      if (rc == 0)
        goto end;
      st->done = true;
      return CITECONV_END;
    }
    name = citeconv_xml_name(&st->xml);
    pos = citeconv_xml_reader_pos(&st->xml);
    pos.col = 0;
    if (!st->started) {
      st->started = true;
      if (strcmp(name, "PubmedArticleSet") == 0 || strcmp(name, "html") == 0 ||
          strcmp(name, "PubmedArticle") == 0) {
        citeconv_reader_diag(r, &pos, CITECONV_D_SYNTAX,
                             "root element <%s> is not <article>; this is "
                             "not JATS",
                             name);
        st->done = true;
        return CITECONV_END;
      }
    }
    if (strcmp(name, "article") == 0) {
      st->found = true;
      st->citing_doi[0] = st->citing_pmid[0] = st->citing_pmcid[0] = '\0';
      continue;
    }
    if (name_in((const xmlNode *)xmlTextReaderCurrentNode(st->xml.reader),
                skipped)) {
      st->need_skip = true;
      continue;
    }
    if (strcmp(name, "front") == 0) {
      int frc;
      st->found = true;
      node = citeconv_xml_expand(&st->xml);
      if (!node) {
        st->done = true;
        return CITECONV_END;
      }
      if (st->xml.failed)
        st->done = true;
      st->need_skip = true;
      frc = read_front(st, out, node, pos);
      if (frc < 0)
        return frc;
      /* An empty front (a wrapper around a reference list) is no record. */
      if (st->refs == REFS_REFERENCES ||
          (citeconv_record_field_count(*out) == 0 &&
           citeconv_record_name_count(*out) == 0 &&
           !citeconv_record_date(*out, CITECONV_VAR_ISSUED))) {
        citeconv_record_free(*out);
        *out = NULL;
        if (st->done)
          return CITECONV_END;
        continue;
      }
      return 0;
    }
    if (strcmp(name, "back") == 0 && st->refs == REFS_ARTICLE) {
      st->need_skip = true;
      continue;
    }
    if (strcmp(name, "ref") == 0) {
      st->found = true;
      if (st->refs == REFS_ARTICLE) {
        st->need_skip = true;
        continue;
      }
      node = citeconv_xml_expand(&st->xml);
      if (!node) {
        st->done = true;
        return CITECONV_END;
      }
      if (st->xml.failed)
        st->done = true;
      st->need_skip = true;
      return read_ref(st, out, node, pos);
    }
    if (strcmp(name, "ref-list") == 0 || strcmp(name, "back") == 0 ||
        strcmp(name, "pmc-articleset") == 0)
      st->found = true;
    /* Anything else: look inside (wrappers, sub-articles, fragments). */
  }
end:
  st->done = true;
  if (!st->started) {
    citeconv_pos p0 = {1, 1};
    citeconv_reader_diag(r, &p0, CITECONV_D_SYNTAX,
                         "no XML element in the input");
  } else if (!st->found) {
    citeconv_pos p0 = {1, 1};
    citeconv_reader_diag(r, &p0, CITECONV_D_SYNTAX,
                         "no <article>, <front> or <ref-list> in the input; "
                         "this is not JATS");
  }
  return CITECONV_END;
}

static int jats_open(citeconv_reader **out, citeconv_session *s,
                     citeconv_input *in)
{
  jats_reader *st = calloc(1, sizeof(*st));
  bool want_article, want_refs;
  int rc;
  *out = NULL;
  if (!st)
    return CITECONV_ENOMEM;
  citeconv_reader_init(&st->base, &citeconv_format_jats, s, in);
  st->buf.max = citeconv_session_option_size(s, "max-field-bytes");
  st->tmp.max = st->buf.max;
  st->max_names = citeconv_session_option_size(s, "max-names");
  if ((rc = citeconv_session_references(s, &want_article, &want_refs)) < 0) {
    free(st);
    return rc;
  }
  st->refs = !want_refs ? REFS_ARTICLE
             : !want_article ? REFS_REFERENCES
                             : REFS_BOTH;
  if ((rc = citeconv_xml_open(&st->xml, &st->base)) < 0) {
    free(st);
    return rc;
  }
  *out = &st->base;
  return 0;
}

static void jats_close(citeconv_reader *r)
{
  jats_reader *st = (jats_reader *)r;
  if (!st)
    return;
  citeconv_xml_close(&st->xml);
  citeconv_buf_free(&st->buf);
  citeconv_buf_free(&st->tmp);
  free(st);
}

static int jats_detect(const unsigned char *head, size_t len)
{
  static const struct {
    const char *mark;
    int score;
  } marks[] = {{"<pmc-articleset", 95},   {"JATS", 90},
               {"Journal Archiving", 90}, {"Journal Publishing", 90},
               {"<article-meta", 85},     {"<element-citation", 80},
               {"<mixed-citation", 80},   {"<ref-list", 70},
               {"<article ", 40}};
  int best = 0;
  for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
    size_t m = strlen(marks[i].mark);
    for (size_t j = 0; j + m <= len; j++)
      if (memcmp(head + j, marks[i].mark, m) == 0) {
        if (marks[i].score > best)
          best = marks[i].score;
        break;
      }
  }
  return best;
}

const citeconv_format citeconv_format_jats = {
    .name = "jats",
    .summary = "JATS/NLM article XML (article metadata and reference list)",
    .detect = jats_detect,
    .open = jats_open,
    .next = jats_next,
    .close = jats_close,
    .begin = citeconv_jats_write_begin,
    .record = citeconv_jats_write_record,
    .end = citeconv_jats_write_end,
    .free = citeconv_jats_write_free,
};
