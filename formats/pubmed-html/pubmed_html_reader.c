/* The pubmed-html reader: PubMed article pages (with their References
 * section), search-result pages, PMC article pages and the legacy PubMed
 * layouts, parsed with libxml2's HTML parser into records. */
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "charset.h"
#include "pubmed_page.h"

#define PREFIX "pubmed-html"

typedef struct {
  citeconv_reader base;
  htmlDocPtr doc;
  bool parsed;
  int status;              /* a fatal status for next(), 0 if none */
  citeconv_record **queue; /* records made, handed out in order */
  size_t nq, cap, iq;
  bool want_article, want_refs;
  citeconv_buf tmp, tmp2;
  size_t max_field;
  xmlNodePtr *metas; /* the page's <meta> elements, in order */
  size_t nmetas;
  bool metas_done;
} ph_reader;

/* ---- DOM helpers (iterative: depth is the input's) ---- */

static bool is_el(xmlNodePtr n, const char *name)
{
  return n && n->type == XML_ELEMENT_NODE &&
         (!name || strcmp((const char *)n->name, name) == 0);
}

static const char *attr(xmlNodePtr n, const char *name)
{
  if (!n || n->type != XML_ELEMENT_NODE)
    return NULL;
  for (xmlAttrPtr a = n->properties; a; a = a->next)
    if (strcmp((const char *)a->name, name) == 0)
      return a->children && a->children->content
                 ? (const char *)a->children->content
                 : "";
  return NULL;
}

static bool has_class(xmlNodePtr n, const char *cls)
{
  const char *c = attr(n, "class");
  size_t L = strlen(cls);
  if (!c)
    return false;
  while (*c) {
    const char *b;
    while (*c == ' ' || *c == '\t' || *c == '\n')
      c++;
    b = c;
    while (*c && *c != ' ' && *c != '\t' && *c != '\n')
      c++;
    if ((size_t)(c - b) == L && memcmp(b, cls, L) == 0)
      return true;
  }
  return false;
}

static bool id_is(xmlNodePtr n, const char *id)
{
  const char *v = attr(n, "id");
  return v && strcmp(v, id) == 0;
}

static bool id_starts(xmlNodePtr n, const char *p)
{
  const char *v = attr(n, "id");
  return v && strncmp(v, p, strlen(p)) == 0;
}

/* Next node in document order within root. */
static xmlNodePtr walk(xmlNodePtr n, xmlNodePtr root, bool descend)
{
  if (descend && n->children && n->type == XML_ELEMENT_NODE)
    return n->children;
  if (descend && n->children && n == root)
    return n->children;
  while (n && n != root) {
    if (n->next)
      return n->next;
    n = n->parent;
  }
  return NULL;
}

static xmlNodePtr first_child_of(xmlNodePtr root)
{
  return root ? root->children : NULL;
}

typedef struct {
  const char *tag;   /* NULL: any */
  const char *cls;   /* NULL: any */
  const char *id;    /* NULL: any */
  const char *idpre; /* NULL: any */
} sel;

static bool matches(xmlNodePtr n, const sel *s)
{
  if (n->type != XML_ELEMENT_NODE)
    return false;
  if (s->tag && strcmp((const char *)n->name, s->tag) != 0)
    return false;
  if (s->cls && !has_class(n, s->cls))
    return false;
  if (s->id && !id_is(n, s->id))
    return false;
  if (s->idpre && !id_starts(n, s->idpre))
    return false;
  return true;
}

/* First element below root (not root itself) matching s. */
static xmlNodePtr find(xmlNodePtr root, sel s)
{
  if (!root)
    return NULL;
  for (xmlNodePtr n = first_child_of(root); n; n = walk(n, root, true))
    if (matches(n, &s))
      return n;
  return NULL;
}

/* First element below an item matching s, not looking inside nested
 * items of the same class (the HTML 4 parser nests unknown elements such
 * as <article> when their end tags are dropped). */
static xmlNodePtr find_in_item(xmlNodePtr item, const char *item_cls, sel s)
{
  xmlNodePtr n = first_child_of(item);
  while (n) {
    if (n->type == XML_ELEMENT_NODE && has_class(n, item_cls)) {
      n = walk(n, item, false);
      continue;
    }
    if (matches(n, &s))
      return n;
    n = walk(n, item, true);
  }
  return NULL;
}

/* Next element after prev in document order, descending into prev. */
static xmlNodePtr find_after(xmlNodePtr root, xmlNodePtr prev, sel s)
{
  for (xmlNodePtr n = walk(prev, root, true); n; n = walk(n, root, true))
    if (matches(n, &s))
      return n;
  return NULL;
}

/* The next match after `prev` (skipping prev's subtree) within root. */
static xmlNodePtr find_next(xmlNodePtr root, xmlNodePtr prev, sel s)
{
  for (xmlNodePtr n = walk(prev, root, false); n; n = walk(n, root, true))
    if (matches(n, &s))
      return n;
  return NULL;
}

static citeconv_pos npos(xmlNodePtr n)
{
  long l = n ? xmlGetLineNo(n) : 0;
  citeconv_pos p = {l > 0 ? (uint32_t)l : 1, 1};
  return p;
}

/* ---- text ---- */

enum {
  T_RICH = 1,       /* keep <i>, <b>, <sup>, <sub> as record markup */
  T_SKIP_LINKS = 2, /* leave out the text of <a> elements */
  T_NO_BOLD = 4     /* <b> is a search highlight: drop it */
};

static const char *markup_of(xmlNodePtr n, int flags)
{
  const char *t = (const char *)n->name;
  if (!(flags & T_RICH))
    return NULL;
  if (strcmp(t, "i") == 0 || strcmp(t, "em") == 0)
    return "i";
  if ((strcmp(t, "b") == 0 || strcmp(t, "strong") == 0) &&
      !(flags & T_NO_BOLD) && !has_class(n, "sub-title"))
    return "b";
  if (strcmp(t, "sup") == 0)
    return "sup";
  if (strcmp(t, "sub") == 0)
    return "sub";
  return NULL;
}

/* A link that only points elsewhere ("PubMed", "Google Scholar", "DOI"),
 * as opposed to a link that is part of a reference's text (a URL). */
static bool link_furniture(xmlNodePtr a)
{
  static const char *const words[] = {
    "PubMed", "Google Scholar", "DOI", "PMC free article", "PMC",
    "CrossRef", "Crossref", "Free PMC article", "Ref list", "CAS",
    "Europe PMC", "Free Full Text", NULL};
  char text[64];
  size_t o = 0;
  for (xmlNodePtr c = a->children; c && o < sizeof(text) - 1; c = c->next) {
    const char *v = NULL;
    if (c->type == XML_TEXT_NODE)
      v = (const char *)c->content;
    else if (c->type == XML_ELEMENT_NODE && c->children &&
             c->children->type == XML_TEXT_NODE)
      v = (const char *)c->children->content;
    for (; v && *v && o < sizeof(text) - 1; v++)
      if (!(o == 0 && (*v == ' ' || *v == '\n' || *v == '\t')))
        text[o++] = *v;
  }
  while (o && (text[o - 1] == ' ' || text[o - 1] == '\n' || text[o - 1] == '\t'))
    o--;
  text[o] = '\0';
  for (size_t k = 0; words[k]; k++)
    if (strcmp(text, words[k]) == 0)
      return true;
  return false;
}

static bool skipped(xmlNodePtr n, int flags, const char *const *skip)
{
  const char *t = (const char *)n->name;
  if (strcmp(t, "script") == 0 || strcmp(t, "style") == 0 ||
      strcmp(t, "button") == 0 || strcmp(t, "noscript") == 0)
    return !(strcmp(t, "button") == 0 && has_class(n, "keyword-link")) &&
           !(strcmp(t, "button") == 0 &&
             has_class(n, "journal-actions-trigger"));
  if ((flags & T_SKIP_LINKS) && strcmp(t, "a") == 0 && link_furniture(n))
    return true;
  if (attr(n, "hidden"))
    return true;
  for (size_t k = 0; skip && skip[k]; k++)
    if (has_class(n, skip[k]) || strcmp(t, skip[k]) == 0)
      return true;
  return false;
}

/* Text of root's subtree into st->tmp, white space squeezed. */
static const char *text_of(ph_reader *st, xmlNodePtr root, int flags,
                           const char *const *skip, size_t *len)
{
  citeconv_buf *raw = &st->tmp2;
  xmlNodePtr n = root ? root->children : NULL;
  citeconv_buf_clear(raw);
  citeconv_buf_clear(&st->tmp);
  while (n) {
    bool down = false;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->content)
        citeconv_buf_adds(raw, (const char *)n->content);
    } else if (n->type == XML_ELEMENT_NODE && !skipped(n, flags, skip)) {
      const char *m = markup_of(n, flags);
      if (strcmp((const char *)n->name, "br") == 0 ||
          strcmp((const char *)n->name, "p") == 0 ||
          strcmp((const char *)n->name, "div") == 0 ||
          strcmp((const char *)n->name, "li") == 0)
        citeconv_buf_addc(raw, ' ');
      if (m)
        citeconv_buf_printf(raw, "<%s>", m);
      if (n->children)
        down = true;
      else if (m)
        citeconv_buf_printf(raw, "</%s>", m);
    }
    if (down) {
      n = n->children;
      continue;
    }
    while (n && n != root && !n->next) {
      n = n->parent;
      if (n && n != root && n->type == XML_ELEMENT_NODE) {
        const char *m = markup_of(n, flags);
        if (m)
          citeconv_buf_printf(raw, "</%s>", m);
      }
    }
    if (!n || n == root)
      break;
    n = n->next;
  }
  if (raw->data)
    citeconv_pubmed_squeeze(&st->tmp, raw->data, raw->len);
  /* Drop empty markup pairs and bracket pairs left by skipped links. */
  if (st->tmp.data) {
    char *s = st->tmp.data;
    size_t o = 0;
    for (size_t i = 0; i < st->tmp.len; i++) {
      if (s[i] == '[') {
        size_t j = i + 1;
        while (j < st->tmp.len && s[j] == ' ')
          j++;
        if (j < st->tmp.len && s[j] == ']') {
          i = j;
          while (o && s[o - 1] == ' ' && i + 1 < st->tmp.len &&
                 s[i + 1] == ' ')
            o--;
          continue;
        }
      }
      s[o++] = s[i];
    }
    while (o && s[o - 1] == ' ')
      o--;
    s[o] = '\0';
    st->tmp.len = o;
  }
  *len = st->tmp.len;
  return st->tmp.data ? st->tmp.data : "";
}

/* ---- records ---- */

static int push(ph_reader *st, citeconv_record *rec)
{
  if (st->nq == st->cap) {
    size_t cap = st->cap ? st->cap * 2 : 16;
    citeconv_record **q = realloc(st->queue, cap * sizeof(*q));
    if (!q) {
      citeconv_record_free(rec);
      return CITECONV_ENOMEM;
    }
    st->queue = q;
    st->cap = cap;
  }
  st->queue[st->nq++] = rec;
  return 0;
}

static int new_rec(ph_reader *st, citeconv_record **out, xmlNodePtr at)
{
  int rc = citeconv_record_new(out);
  if (rc < 0)
    return rc;
  citeconv_record_set_origin(*out, st->base.file, npos(at));
  return 0;
}

static int set_field(ph_reader *st, citeconv_record *rec, citeconv_var v,
                     const char *s, size_t n, xmlNodePtr at)
{
  citeconv_pos p = npos(at);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\n'))
    n--;
  while (n && s[0] == ' ') {
    s++;
    n--;
  }
  if (!n)
    return 0;
  if (n > st->max_field) {
    citeconv_reader_diag(&st->base, &p, CITECONV_D_LIMIT,
                         "%s value of %zu bytes is longer than "
                         "max-field-bytes; skipped",
                         citeconv_var_name(v), n);
    return 0;
  }
  return citeconv_record_set_text(rec, v, s, n, p);
}

static int field_from(ph_reader *st, citeconv_record *rec, citeconv_var v,
                      xmlNodePtr n, int flags, const char *const *skip)
{
  size_t len;
  const char *s;
  if (!n)
    return 0;
  s = text_of(st, n, flags, skip, &len);
  return set_field(st, rec, v, s, len, n);
}

static int extra(ph_reader *st, citeconv_record *rec, const char *name,
                 const char *s, size_t n, xmlNodePtr at)
{
  (void)st;
  while (n && s[n - 1] == ' ')
    n--;
  if (!n)
    return 0;
  return citeconv_record_add_extra(rec, name, s, n, npos(at));
}

static int hexval(int c)
{
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

/* Copy a URL part up to one of `stops`, decoding %XX; returns its length. */
static size_t url_part(const char *p, const char *stops, char *out,
                       size_t cap)
{
  size_t o = 0;
  while (*p && !strchr(stops, *p) && o + 1 < cap) {
    if (p[0] == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
      out[o++] = (char)(hexval(p[1]) * 16 + hexval(p[2]));
      p += 3;
    } else if (*p == '+' && strchr(stops, '&')) {
      out[o++] = ' ';
      p++;
    } else {
      out[o++] = *p++;
    }
  }
  out[o] = '\0';
  return o;
}

typedef struct {
  char doi[512], pmid[32], pmcid[32];
} link_ids;

/* Identifiers from a link's address; only empty slots are filled. */
static void ids_from_href(const char *h, link_ids *ids)
{
  const char *p;
  if (!h)
    return;
  if ((p = strstr(h, "doi.org/")) != NULL) {
    if (!ids->doi[0])
      url_part(p + 8, "?# ", ids->doi, sizeof(ids->doi));
    return;
  }
  if ((p = strstr(h, "PMC")) != NULL && p[3] >= '0' && p[3] <= '9' &&
      (strstr(h, "/pmc/") || strstr(h, "/articles/") || strstr(h, "pmc."))) {
    size_t o = 0;
    if (ids->pmcid[0])
      return;
    while (o + 1 < sizeof(ids->pmcid) &&
           (o < 3 || (p[o] >= '0' && p[o] <= '9'))) {
      ids->pmcid[o] = p[o];
      o++;
    }
    ids->pmcid[o] = '\0';
    return;
  }
  if (strstr(h, "scholar.google") || strstr(h, "crossref") ||
      strstr(h, "ncbi.nlm.nih.gov/pmc") || strstr(h, "?term="))
    return;
  p = strstr(h, "pubmed.ncbi.nlm.nih.gov/");
  if (p)
    p += 24;
  else if ((p = strstr(h, "/pubmed/")) != NULL)
    p += 8;
  else if (h[0] == '/' && h[1] >= '0' && h[1] <= '9')
    p = h + 1;
  if (p && *p >= '0' && *p <= '9' && !ids->pmid[0]) {
    size_t o = 0;
    while (o + 1 < sizeof(ids->pmid) && p[o] >= '0' && p[o] <= '9') {
      ids->pmid[o] = p[o];
      o++;
    }
    ids->pmid[o] = '\0';
  }
}

/* Collect the page's <meta> elements once (they sit in <head>; a walk
 * stops at <body>). */
static void collect_metas(ph_reader *st)
{
  xmlNodePtr root = (xmlNodePtr)st->doc;
  size_t cap = 0;
  st->metas_done = true;
  for (xmlNodePtr n = first_child_of(root); n;) {
    if (is_el(n, "body")) {
      n = walk(n, root, false);
      continue;
    }
    if (is_el(n, "meta")) {
      if (st->nmetas == cap) {
        size_t nc = cap ? cap * 2 : 64;
        xmlNodePtr *m = realloc(st->metas, nc * sizeof(*m));
        if (!m)
          return;
        st->metas = m;
        cap = nc;
      }
      st->metas[st->nmetas++] = n;
    }
    n = walk(n, root, true);
  }
}

static const char *meta_name(xmlNodePtr n)
{
  const char *nm = attr(n, "name");
  return nm ? nm : attr(n, "property");
}

static const char *meta(ph_reader *st, const char *name)
{
  if (!st->metas_done)
    collect_metas(st);
  for (size_t i = 0; i < st->nmetas; i++) {
    const char *nm = meta_name(st->metas[i]);
    if (nm && strcmp(nm, name) == 0)
      return attr(st->metas[i], "content");
  }
  return NULL;
}

/* ---- references ---- */

/* One reference: `li` holds the text (in `textnode`) and the links. */
static int reference(ph_reader *st, xmlNodePtr li, xmlNodePtr textnode,
                     size_t number, const char *citing_pmid,
                     const char *citing_pmcid)
{
  static const char *const skip[] = {"reference-links", "label", "ol", "ul",
                                     "nowrap", NULL};
  citeconv_record *rec = NULL;
  link_ids ids;
  char num[32];
  const char *doi = ids.doi, *pmid = ids.pmid, *pmcid = ids.pmcid;
  size_t len;
  const char *s;
  char *copy = NULL;
  int rc;
  citeconv_pos p = npos(li);
  memset(&ids, 0, sizeof(ids));
  for (xmlNodePtr a = find(li, (sel){"a", NULL, NULL, NULL}); a;
       a = find_next(li, a, (sel){"a", NULL, NULL, NULL}))
    ids_from_href(attr(a, "href"), &ids);
  {
    /* PMC marks the journal (span.ref-journal); make sure a full stop
     * separates it from the title before it, as the parser expects. */
    xmlNodePtr jn = find(textnode, (sel){"span", "ref-journal", NULL, NULL});
    char jbuf[256] = "";
    size_t jl = 0;
    const char *at;
    if (jn) {
      const char *j = text_of(st, jn, 0, NULL, &jl);
      if (jl && jl < sizeof(jbuf)) {
        memcpy(jbuf, j, jl);
        jbuf[jl] = '\0';
      } else {
        jl = 0;
      }
    }
    s = text_of(st, textnode, T_SKIP_LINKS, skip, &len);
    if (len == 0 && !doi[0] && !pmid[0])
      return 0;
    copy = malloc(len + 3);
    if (!copy)
      return CITECONV_ENOMEM;
    at = jl ? strstr(s, jbuf) : NULL;
    if (at && at > s + 1 && at[-1] == ' ' && !strchr(".?!", at[-2])) {
      size_t k = (size_t)(at - s) - 1;
      memcpy(copy, s, k);
      copy[k] = '.';
      memcpy(copy + k + 1, s + k, len - k);
      len++;
    } else {
      memcpy(copy, s, len);
    }
    copy[len] = '\0';
  }
  rc = new_rec(st, &rec, li);
  if (rc < 0)
    goto done;
  snprintf(num, sizeof(num), "%zu", number);
  if ((rc = citeconv_record_set_text(rec, CITECONV_VAR_CITATION_NUMBER, num,
                                     strlen(num), p)) < 0)
    goto done;
  if (doi[0] && (rc = citeconv_record_set_text(rec, CITECONV_VAR_DOI, doi,
                                               strlen(doi), p)) < 0)
    goto done;
  if (pmid[0] && (rc = citeconv_record_set_text(rec, CITECONV_VAR_PMID, pmid,
                                                strlen(pmid), p)) < 0)
    goto done;
  if (pmcid[0] && (rc = citeconv_record_set_text(rec, CITECONV_VAR_PMCID,
                                                 pmcid, strlen(pmcid), p)) < 0)
    goto done;
  if (len > st->max_field) {
    citeconv_reader_diag(&st->base, &p, CITECONV_D_LIMIT,
                         "reference %zu is longer than max-field-bytes; "
                         "its text was skipped", number);
  } else if (len) {
    if ((rc = citeconv_pubmed_reference(&st->base, rec, copy, len, p)) < 0)
      goto done;
    if ((rc = citeconv_record_add_extra(rec, PREFIX ":reference", copy, len,
                                        p)) < 0)
      goto done;
  }
  if (citing_pmid && *citing_pmid)
    rc = citeconv_record_add_extra(rec, "citing-pmid", citing_pmid,
                                   strlen(citing_pmid), p);
  else if (citing_pmcid && *citing_pmcid)
    rc = citeconv_record_add_extra(rec, "citing-pmcid", citing_pmcid,
                                   strlen(citing_pmcid), p);
  if (rc < 0)
    goto done;
  rc = push(st, rec);
  rec = NULL;
done:
  citeconv_record_free(rec);
  free(copy);
  return rc;
}

/* The list items of a reference list (current PubMed: ol > li, each
 * maybe with a nested references-and-notes-list; PMC: ul > li with a
 * cite or element-citation). */
static int reference_list(ph_reader *st, xmlNodePtr list,
                          const char *citing_pmid, const char *citing_pmcid)
{
  size_t number = 0;
  int rc = 0;
  if (!st->want_refs || !list)
    return 0;
  for (xmlNodePtr li = list->children; li && rc == 0; li = li->next) {
    xmlNodePtr inner, textnode;
    if (!is_el(li, "li"))
      continue;
    inner = find(li, (sel){"ol", "references-and-notes-list", NULL, NULL});
    if (inner) {
      for (xmlNodePtr l2 = inner->children; l2 && rc == 0; l2 = l2->next)
        if (is_el(l2, "li"))
          rc = reference(st, l2, l2, ++number, citing_pmid, citing_pmcid);
      continue;
    }
    textnode = find(li, (sel){"cite", NULL, NULL, NULL});
    if (!textnode)
      textnode = find(li, (sel){NULL, "element-citation", NULL, NULL});
    if (!textnode)
      textnode = find(li, (sel){NULL, "mixed-citation", NULL, NULL});
    if (!textnode)
      textnode = find(li, (sel){NULL, "citation", NULL, NULL});
    if (!textnode)
      textnode = li;
    rc = reference(st, li, textnode, ++number, citing_pmid, citing_pmcid);
  }
  return rc;
}

/* ---- current PubMed article page ---- */

static int abstract(ph_reader *st, citeconv_record *rec, xmlNodePtr content)
{
  /* Paragraphs, each with its label ("Background: ..."); a "Keywords:"
   * paragraph gives the keywords. */
  citeconv_buf ab = CITECONV_BUF_INIT;
  int rc = 0;
  xmlNodePtr at = content;
  for (xmlNodePtr p = find(content, (sel){"p", NULL, NULL, NULL}); p && rc == 0;
       p = find_next(content, p, (sel){"p", NULL, NULL, NULL})) {
    xmlNodePtr lab = find(p, (sel){"strong", "sub-title", NULL, NULL});
    size_t len, ll = 0;
    const char *s;
    char label[256] = "";
    if (lab) {
      s = text_of(st, lab, 0, NULL, &ll);
      if (ll >= sizeof(label))
        ll = sizeof(label) - 1;
      memcpy(label, s, ll);
      label[ll] = '\0';
      while (ll && (label[ll - 1] == ':' || label[ll - 1] == ' '))
        label[--ll] = '\0';
    }
    s = text_of(st, p, T_RICH, (const char *const[]){"sub-title", NULL}, &len);
    if (ll && strcmp(label, "Keywords") == 0) {
      /* "cell cycle; cell differentiation; retinoic acid." */
      size_t b = 0;
      while (b < len && rc == 0) {
        size_t e = b;
        while (e < len && s[e] != ';')
          e++;
        {
          size_t ke = e;
          while (ke > b && (s[ke - 1] == '.' || s[ke - 1] == ' '))
            ke--;
          while (b < ke && s[b] == ' ')
            b++;
          if (ke > b)
            rc = citeconv_record_add_text(rec, CITECONV_VAR_KEYWORD, s + b,
                                          ke - b, npos(p));
        }
        b = e + 1;
      }
      continue;
    }
    if (len == 0)
      continue;
    if (ab.len)
      citeconv_buf_addc(&ab, '\n');
    if (ll)
      citeconv_buf_printf(&ab, "%s: ", label);
    citeconv_buf_add(&ab, s, len);
    at = p;
  }
  if (rc == 0 && ab.len)
    rc = set_field(st, rec, CITECONV_VAR_ABSTRACT, ab.data, ab.len, at);
  citeconv_buf_free(&ab);
  return rc;
}

/* An author's family name from PubMed's search link "/?term=Woo+PC&...":
 * the term without its initials. */
static size_t family_from_term(const char *href, char *out, size_t cap)
{
  const char *t = href ? strstr(href, "term=") : NULL;
  size_t o, last_sp = 0;
  if (!t)
    return 0;
  o = url_part(t + 5, "&[", out, cap);
  for (size_t i = 0; i < o; i++)
    if (out[i] == ' ')
      last_sp = i;
  if (last_sp) {
    /* The part after the last space must be initials. */
    for (size_t i = last_sp + 1; i < o; i++)
      if (!(out[i] >= 'A' && out[i] <= 'Z'))
        return o;
    out[last_sp] = '\0';
    return last_sp;
  }
  return o;
}

static int authors_current(ph_reader *st, citeconv_record *rec,
                           xmlNodePtr heading, xmlNodePtr scope)
{
  xmlNodePtr list = find(heading, (sel){"div", "authors-list", NULL, NULL});
  xmlNodePtr affs = find(scope, (sel){"div", "affiliations", NULL, NULL});
  int rc = 0;
  if (!list)
    return 0;
  for (xmlNodePtr it = list->children; it && rc == 0; it = it->next) {
    citeconv_name nm;
    xmlNodePtr a, coll;
    const char *aff[64];
    size_t naff = 0;
    char fam[256];
    size_t flen;
    if (!is_el(it, NULL) || !has_class(it, "authors-list-item"))
      continue;
    memset(&nm, 0, sizeof(nm));
    a = find(it, (sel){"a", "full-name", NULL, NULL});
    coll = find(it, (sel){NULL, "collective-name", NULL, NULL});
    if (a && !coll) {
      const char *label = attr(a, "data-ga-label");
      size_t len;
      const char *s;
      char *full;
      s = text_of(st, a, 0, NULL, &len);
      if (label && *label) {
        s = label;
        len = strlen(label);
      }
      full = citeconv_record_strdup(rec, s, len);
      if (!full)
        return CITECONV_ENOMEM;
      flen = family_from_term(attr(a, "href"), fam, sizeof(fam));
      if (flen == 0 && attr(a, "href") && strstr(attr(a, "href"), "[cn]"))
        coll = a;
      else
        rc = citeconv_pubmed_name_given_first(rec, full, strlen(full),
                                              flen ? fam : NULL, flen,
                                              npos(a), &nm);
    }
    if (coll) {
      size_t len;
      const char *s = text_of(st, coll, 0, NULL, &len);
      nm.literal = citeconv_record_strdup(rec, s, len);
      nm.pos = npos(coll);
      if (!nm.literal)
        return CITECONV_ENOMEM;
    }
    if (rc < 0)
      return rc;
    if (!nm.family && !nm.literal)
      continue;
    nm.role = CITECONV_VAR_AUTHOR;
    /* Affiliations: the numbered links, resolved through the list (or the
     * link's title). */
    for (xmlNodePtr l = find(it, (sel){"a", "affiliation-link", NULL, NULL});
         l && naff < 64;
         l = find_next(it, l, (sel){"a", "affiliation-link", NULL, NULL})) {
      const char *href = attr(l, "href");
      const char *text = NULL;
      if (href && href[0] == '#' && affs) {
        for (xmlNodePtr li = find(affs, (sel){"li", NULL, NULL, NULL}); li;
             li = find_next(affs, li, (sel){"li", NULL, NULL, NULL})) {
          const char *idv = attr(li, "data-affiliation-id");
          if (idv && strcmp(idv, href + 1) == 0) {
            size_t len;
            const char *s = text_of(st, li, 0,
                                    (const char *const[]){"key", "sup", NULL},
                                    &len);
            text = citeconv_record_strdup(rec, s, len);
            break;
          }
        }
      }
      if (!text && attr(l, "title")) {
        size_t len;
        citeconv_buf_clear(&st->tmp);
        citeconv_pubmed_squeeze(&st->tmp, attr(l, "title"),
                                strlen(attr(l, "title")));
        len = st->tmp.len;
        text = citeconv_record_strdup(rec, st->tmp.data ? st->tmp.data : "",
                                      len);
      }
      if (text && *text)
        aff[naff++] = text;
    }
    nm.affiliations = naff ? aff : NULL;
    nm.n_affiliations = naff;
    rc = citeconv_record_add_name(rec, &nm);
  }
  return rc;
}

static int keyword_section(ph_reader *st, citeconv_record *rec,
                           xmlNodePtr scope, const char *id,
                           const char *extra_name, citeconv_var var)
{
  xmlNodePtr sec = find(scope, (sel){NULL, "keywords-section", NULL, id});
  int rc = 0;
  if (!sec)
    return 0;
  for (xmlNodePtr b = find(sec, (sel){"button", "keyword-actions-trigger",
                                      NULL, NULL});
       b && rc == 0;
       b = find_next(sec, b, (sel){"button", "keyword-actions-trigger", NULL,
                                  NULL})) {
    size_t len;
    const char *s = text_of(st, b, 0, NULL, &len);
    if (len == 0)
      continue;
    if (extra_name)
      rc = extra(st, rec, extra_name, s, len, b);
    else
      rc = citeconv_record_add_text(rec, var, s, len, npos(b));
  }
  return rc;
}

/* The citation_* meta tags as a fallback and cross-check. */
static int meta_fallback(ph_reader *st, citeconv_record *rec, xmlNodePtr at)
{
  static const struct {
    const char *meta;
    citeconv_var var;
  } map[] = {{"citation_title", CITECONV_VAR_TITLE},
             {"citation_journal_title", CITECONV_VAR_CONTAINER_TITLE},
             {"citation_journal_abbrev", CITECONV_VAR_JOURNAL_ABBREVIATION},
             {"citation_volume", CITECONV_VAR_VOLUME},
             {"citation_issue", CITECONV_VAR_ISSUE},
             {"citation_doi", CITECONV_VAR_DOI},
             {"citation_pmid", CITECONV_VAR_PMID},
             {"citation_issn", CITECONV_VAR_ISSN},
             {"citation_publisher", CITECONV_VAR_PUBLISHER},
             {"citation_language", CITECONV_VAR_LANGUAGE}};
  int rc = 0;
  for (size_t k = 0; k < sizeof(map) / sizeof(map[0]) && rc == 0; k++) {
    const char *v = meta(st, map[k].meta);
    const char *have = citeconv_record_text(rec, map[k].var);
    if (!v || !*v)
      continue;
    /* PubMed puts the journal's abbreviation in citation_publisher. */
    if (map[k].var == CITECONV_VAR_PUBLISHER &&
        ((citeconv_record_text(rec, CITECONV_VAR_JOURNAL_ABBREVIATION) &&
          strcmp(v, citeconv_record_text(
                        rec, CITECONV_VAR_JOURNAL_ABBREVIATION)) == 0) ||
         (citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE) &&
          strcmp(v, citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE)) ==
              0)))
      continue;
    if (!have) {
      citeconv_buf_clear(&st->tmp);
      citeconv_pubmed_squeeze(&st->tmp, v, strlen(v));
      if (st->tmp.len)
        rc = set_field(st, rec, map[k].var, st->tmp.data, st->tmp.len, at);
    } else if ((map[k].var == CITECONV_VAR_DOI ||
                map[k].var == CITECONV_VAR_PMID) &&
               strcmp(have, v) != 0) {
      citeconv_pos p = npos(at);
      citeconv_reader_diag(&st->base, &p, CITECONV_D_PUBMED_MISMATCH,
                           "the page gives %s '%s' but its %s meta tag '%s'",
                           citeconv_var_name(map[k].var), have, map[k].meta,
                           v);
    }
  }
  if (rc == 0 && !citeconv_record_text(rec, CITECONV_VAR_PAGE)) {
    const char *f = meta(st, "citation_firstpage");
    const char *l = meta(st, "citation_lastpage");
    if (f && *f) {
      citeconv_buf_clear(&st->tmp);
      citeconv_buf_adds(&st->tmp, f);
      if (l && *l && strcmp(l, f) != 0)
        citeconv_buf_printf(&st->tmp, "-%s", l);
      rc = set_field(st, rec, CITECONV_VAR_PAGE, st->tmp.data, st->tmp.len,
                     at);
    }
  }
  if (rc == 0 && !citeconv_record_date(rec, CITECONV_VAR_ISSUED)) {
    const char *d = meta(st, "citation_publication_date");
    if (!d)
      d = meta(st, "citation_date");
    if (d) {
      citeconv_date dt;
      memset(&dt, 0, sizeof(dt));
      if (citeconv_pubmed_date(&dt, d, strlen(d))) {
        dt.pos = npos(at);
        rc = citeconv_record_set_date(rec, CITECONV_VAR_ISSUED, &dt);
      }
    }
  }
  if (rc == 0 && citeconv_record_role_count(rec, CITECONV_VAR_AUTHOR) == 0) {
    /* citation_author, each followed by its citation_author_institution;
     * or one citation_authors joined with ";". */
    citeconv_name nm;
    const char *aff[64];
    size_t naff = 0;
    bool have = false;
    memset(&nm, 0, sizeof(nm));
    if (!st->metas_done)
      collect_metas(st);
    for (size_t mi = 0; mi < st->nmetas && rc == 0; mi++) {
      xmlNodePtr n = st->metas[mi];
      const char *nmv, *c;
      if (!(nmv = attr(n, "name")) || !(c = attr(n, "content")))
        continue;
      if (strcmp(nmv, "citation_author") == 0 ||
          strcmp(nmv, "citation_authors") == 0) {
        if (have) {
          nm.affiliations = naff ? aff : NULL;
          nm.n_affiliations = naff;
          rc = citeconv_record_add_name(rec, &nm);
          have = false;
          naff = 0;
        }
        if (strcmp(nmv, "citation_authors") == 0) {
          const char *b = c;
          while (*b && rc == 0) {
            const char *e = strchr(b, ';');
            if (!e)
              e = b + strlen(b);
            rc = citeconv_pubmed_name_vancouver(rec, b, (size_t)(e - b),
                                                npos(n), NULL);
            b = *e ? e + 1 : e;
          }
          continue;
        }
        if (strchr(c, ',')) {
          /* "Family, Given" */
          const char *comma = strchr(c, ',');
          memset(&nm, 0, sizeof(nm));
          nm.role = CITECONV_VAR_AUTHOR;
          nm.pos = npos(n);
          nm.family = citeconv_record_strdup(rec, c, (size_t)(comma - c));
          while (*++comma == ' ')
            ;
          nm.given = citeconv_record_strdup(rec, comma, strlen(comma));
        } else {
          rc = citeconv_pubmed_name_given_first(rec, c, strlen(c), NULL, 0,
                                                npos(n), &nm);
        }
        have = rc == 0;
      } else if (strcmp(nmv, "citation_author_institution") == 0 && have &&
                 naff < 64) {
        citeconv_buf_clear(&st->tmp);
        citeconv_pubmed_squeeze(&st->tmp, c, strlen(c));
        aff[naff] = citeconv_record_strdup(rec, st->tmp.data ? st->tmp.data
                                                             : "",
                                           st->tmp.len);
        if (aff[naff] && *aff[naff])
          naff++;
      }
    }
    if (have && rc == 0) {
      nm.affiliations = naff ? aff : NULL;
      nm.n_affiliations = naff;
      rc = citeconv_record_add_name(rec, &nm);
    }
  }
  return rc;
}

static int article_current(ph_reader *st, xmlNodePtr heading)
{
  citeconv_record *rec = NULL;
  xmlNodePtr scope, n, ids;
  char pmid[32] = "", pmcid[32] = "";
  int rc;
  /* The article's block: <main class="article-details"> or the writer's
   * <article class="article-details">; else the whole page. */
  for (scope = heading->parent; scope; scope = scope->parent)
    if (is_el(scope, NULL) && has_class(scope, "article-details"))
      break;
  if (!scope)
    scope = xmlDocGetRootElement(st->doc);
  if ((rc = new_rec(st, &rec, heading)) < 0)
    return rc;
  citeconv_record_set_type(rec, CITECONV_TYPE_ARTICLE_JOURNAL);
  rc = field_from(st, rec, CITECONV_VAR_TITLE,
                  find(heading, (sel){"h1", "heading-title", NULL, NULL}),
                  T_RICH, NULL);
  /* Journal: the trigger button's text is the abbreviation, its title the
   * full name. */
  n = find(heading, (sel){"button", "journal-actions-trigger", NULL, NULL});
  if (rc == 0 && n) {
    size_t len;
    const char *s = text_of(st, n, 0, NULL, &len);
    const char *full = attr(n, "title");
    /* The abbreviation only when it differs from the full name. */
    if (!full || !*full || strlen(full) != len || memcmp(full, s, len) != 0)
      rc = set_field(st, rec, CITECONV_VAR_JOURNAL_ABBREVIATION, s, len, n);
    if (rc == 0 && full && *full) {
      citeconv_buf_clear(&st->tmp);
      citeconv_pubmed_squeeze(&st->tmp, full, strlen(full));
      rc = set_field(st, rec, CITECONV_VAR_CONTAINER_TITLE, st->tmp.data,
                     st->tmp.len, n);
    } else if (rc == 0) {
      s = text_of(st, n, 0, NULL, &len);
      rc = set_field(st, rec, CITECONV_VAR_CONTAINER_TITLE, s, len, n);
    }
  }
  n = find(heading, (sel){"span", "cit", NULL, NULL});
  if (rc == 0 && n) {
    size_t len;
    const char *s = text_of(st, n, 0, NULL, &len);
    rc = citeconv_pubmed_citation(rec, s, len, npos(n), PREFIX);
  }
  n = find(heading, (sel){"span", "citation-doi", NULL, NULL});
  if (rc == 0 && n) {
    size_t len;
    const char *s = text_of(st, n, 0, NULL, &len);
    rc = citeconv_pubmed_citation(rec, s, len, npos(n), PREFIX);
  }
  if (rc == 0)
    rc = authors_current(st, rec, heading, scope);
  /* Identifiers: the first list (the heading repeats for the short
   * view). */
  ids = find(scope, (sel){"ul", "identifiers", NULL, NULL});
  if (ids && rc == 0) {
    xmlNodePtr s;
    if ((s = find(ids, (sel){NULL, "current-id", NULL, NULL})) != NULL) {
      size_t len;
      const char *t = text_of(st, s, 0, NULL, &len);
      if (len < sizeof(pmid)) {
        memcpy(pmid, t, len);
        pmid[len] = '\0';
      }
      rc = set_field(st, rec, CITECONV_VAR_PMID, t, len, s);
    }
    for (s = find(ids, (sel){"a", "id-link", NULL, NULL}); s && rc == 0;
         s = find_next(ids, s, (sel){"a", "id-link", NULL, NULL})) {
      size_t len;
      const char *t = text_of(st, s, 0, NULL, &len);
      const char *act = attr(s, "data-ga-action");
      if (act && strcmp(act, "PMCID") == 0) {
        if (len < sizeof(pmcid)) {
          memcpy(pmcid, t, len);
          pmcid[len] = '\0';
        }
        rc = set_field(st, rec, CITECONV_VAR_PMCID, t, len, s);
      } else if (act && strcmp(act, "DOI") == 0 &&
                 !citeconv_record_text(rec, CITECONV_VAR_DOI)) {
        rc = set_field(st, rec, CITECONV_VAR_DOI, t, len, s);
      }
    }
  }
  n = find(scope, (sel){"div", "abstract", NULL, "abstract"});
  if (n && rc == 0) {
    xmlNodePtr c = find(n, (sel){"div", "abstract-content", NULL, NULL});
    rc = abstract(st, rec, c ? c : n);
  }
  if (rc == 0)
    rc = keyword_section(st, rec, scope, "keywords", NULL,
                         CITECONV_VAR_KEYWORD);
  if (rc == 0)
    rc = keyword_section(st, rec, scope, "publication-types",
                         PREFIX ":publication-type", CITECONV_VAR_NONE);
  if (rc == 0)
    rc = keyword_section(st, rec, scope, "mesh-terms", PREFIX ":mesh",
                         CITECONV_VAR_NONE);
  n = find(scope, (sel){"div", "full-view-snippet", NULL, NULL});
  if (rc == 0 && n) {
    size_t len;
    const char *t = text_of(st, n, T_RICH | T_NO_BOLD, NULL, &len);
    rc = extra(st, rec, PREFIX ":snippet", t, len, n);
  }
  if (rc == 0) {
    /* Genre: the first publication type that says more than "Journal
     * Article". */
    for (size_t k = 0; k < citeconv_record_extra_count(rec); k++) {
      const citeconv_extra *e = citeconv_record_extra_at(rec, k);
      if (strcmp(e->name, PREFIX ":publication-type") == 0 &&
          strcmp(e->value, "Journal Article") != 0) {
        rc = citeconv_record_set_text(rec, CITECONV_VAR_GENRE, e->value,
                                      strlen(e->value), e->pos);
        break;
      }
    }
  }
  if (rc == 0 && heading == find(xmlDocGetRootElement(st->doc),
                                 (sel){NULL, NULL, "full-view-heading", NULL}))
    rc = meta_fallback(st, rec, heading);
  if (rc < 0) {
    citeconv_record_free(rec);
    return rc;
  }
  if (st->want_article) {
    if ((rc = push(st, rec)) < 0)
      return rc;
  } else {
    citeconv_record_free(rec);
  }
  /* References: the full list when the page has it, else the top list. */
  n = find(scope, (sel){NULL, "references", NULL, "references"});
  if (n) {
    xmlNodePtr list = find(n, (sel){"ol", NULL, NULL, "full-references-list"});
    if (!list)
      list = find(n, (sel){"ol", "references-list", NULL, NULL});
    if (!list)
      list = find(n, (sel){"ol", NULL, NULL, NULL});
    rc = reference_list(st, list, pmid, pmcid);
  }
  return rc;
}

/* ---- search results (docsum) ---- */

static int docsum(ph_reader *st, xmlNodePtr art)
{
  citeconv_record *rec = NULL;
  xmlNodePtr n;
  int rc;
  if ((rc = new_rec(st, &rec, art)) < 0)
    return rc;
  citeconv_record_set_type(rec, CITECONV_TYPE_ARTICLE_JOURNAL);
  n = find_in_item(art, "full-docsum", (sel){"a", "docsum-title", NULL, NULL});
  rc = field_from(st, rec, CITECONV_VAR_TITLE, n, T_RICH | T_NO_BOLD, NULL);
  if (rc == 0 && n && attr(n, "data-article-id"))
    rc = set_field(st, rec, CITECONV_VAR_PMID, attr(n, "data-article-id"),
                   strlen(attr(n, "data-article-id")), n);
  n = find_in_item(art, "full-docsum", (sel){"span", "full-authors", NULL, NULL});
  if (rc == 0 && n) {
    size_t len;
    const char *s = text_of(st, n, 0, NULL, &len);
    size_t b = 0;
    while (len && s[len - 1] == '.')
      len--;
    while (b < len && rc == 0) {
      size_t e = b;
      while (e < len && s[e] != ',')
        e++;
      while (b < e && s[b] == ' ')
        b++;
      if (e - b >= 6 && strncmp(s + b, "et al", 5) == 0)
        citeconv_record_set_truncated(rec, CITECONV_VAR_AUTHOR, true);
      else if (e > b)
        rc = citeconv_pubmed_name_vancouver(rec, s + b, e - b, npos(n), NULL);
      b = e + 1;
    }
  }
  n = find_in_item(art, "full-docsum", (sel){"span", "full-journal-citation", NULL, NULL});
  if (rc == 0 && n) {
    /* "Qual Health Res. 2023 Nov 21:10497323231214114. doi: X. Online
     * ahead of print." */
    size_t len, j = 0;
    const char *s = text_of(st, n, 0, NULL, &len);
    while (j < len && !(s[j] == '.' && (j + 1 == len || s[j + 1] == ' ')))
      j++;
    /* The docsum gives the abbreviation only; it is the container. */
    rc = set_field(st, rec, CITECONV_VAR_CONTAINER_TITLE, s, j, n);
    if (rc == 0 && j + 1 < len) {
      char *copy = malloc(len - j);
      if (!copy)
        rc = CITECONV_ENOMEM;
      else {
        memcpy(copy, s + j + 1, len - j - 1);
        rc = citeconv_pubmed_citation(rec, copy, len - j - 1, npos(n),
                                      PREFIX);
        free(copy);
      }
    }
  }
  n = find_in_item(art, "full-docsum", (sel){"span", "docsum-pmid", NULL, NULL});
  if (rc == 0 && n && !citeconv_record_text(rec, CITECONV_VAR_PMID))
    rc = field_from(st, rec, CITECONV_VAR_PMID, n, 0, NULL);
  n = find_in_item(art, "full-docsum", (sel){"div", "full-view-snippet", NULL, NULL});
  if (rc == 0 && n) {
    size_t len;
    const char *s = text_of(st, n, T_RICH | T_NO_BOLD, NULL, &len);
    rc = extra(st, rec, PREFIX ":snippet", s, len, n);
  }
  if (rc == 0)
    rc = push(st, rec);
  else
    citeconv_record_free(rec);
  return rc;
}

/* ---- PMC article page ---- */

static int pmc_article(ph_reader *st)
{
  xmlNodePtr root = xmlDocGetRootElement(st->doc), n, list = NULL;
  citeconv_record *rec = NULL;
  const char *pmid = meta(st, "citation_pmid");
  char pmcid[32] = "";
  const char *u;
  int rc;
  if ((rc = new_rec(st, &rec, find(root, (sel){"head", NULL, NULL, NULL})))
      < 0)
    return rc;
  citeconv_record_set_type(rec, CITECONV_TYPE_ARTICLE_JOURNAL);
  /* The PMCID from the page's address. */
  u = meta(st, "og:url");
  if (!u || !strstr(u, "PMC"))
    u = meta(st, "citation_fulltext_html_url");
  if (!u || !strstr(u, "PMC"))
    for (n = root; n; n = walk(n, root, true))
      if (is_el(n, "link") && attr(n, "rel") &&
          strcmp(attr(n, "rel"), "canonical") == 0) {
        u = attr(n, "href");
        break;
      }
  if (u && (u = strstr(u, "PMC")) != NULL) {
    size_t o = 0;
    while (o + 1 < sizeof(pmcid) && (o < 3 || (u[o] >= '0' && u[o] <= '9'))) {
      pmcid[o] = u[o];
      o++;
    }
    pmcid[o] = '\0';
    if (o > 3)
      rc = citeconv_record_set_text(rec, CITECONV_VAR_PMCID, pmcid, o,
                                    citeconv_record_pos(rec));
    else
      pmcid[0] = '\0';
  }
  if (rc == 0)
    rc = meta_fallback(st, rec, find(root, (sel){"head", NULL, NULL, NULL}));
  /* Abstract: section.abstract (2024) or div#abstract-1 (2023). */
  n = find(root, (sel){"section", "abstract", NULL, NULL});
  if (!n)
    n = find(root, (sel){"div", NULL, "abstract-1", NULL});
  if (n && rc == 0) {
    size_t len;
    const char *s = text_of(st, n, T_RICH,
                            (const char *const[]){"h2", "h3", NULL}, &len);
    rc = set_field(st, rec, CITECONV_VAR_ABSTRACT, s, len, n);
  }
  if (rc < 0) {
    citeconv_record_free(rec);
    return rc;
  }
  if (st->want_article) {
    if ((rc = push(st, rec)) < 0)
      return rc;
  } else {
    citeconv_record_free(rec);
  }
  n = find(root, (sel){"section", "ref-list", NULL, NULL});
  if (n)
    list = find(n, (sel){"ul", NULL, NULL, NULL});
  if (!list) {
    n = find(root, (sel){NULL, NULL, "reference-list", NULL});
    if (!n)
      n = find(root, (sel){NULL, "ref-list-sec", NULL, NULL});
    if (n)
      list = find(n, (sel){"ul", NULL, NULL, NULL});
    if (!list && n)
      list = find(n, (sel){"ol", NULL, NULL, NULL});
  }
  return reference_list(st, list, pmid, pmcid);
}

/* ---- legacy layouts ---- */

/* www.ncbi.nlm.nih.gov/pubmed (2010s): div.rprt.abstract */
static int legacy_rprt(ph_reader *st, xmlNodePtr rp)
{
  citeconv_record *rec = NULL;
  xmlNodePtr n, affl;
  int rc;
  if ((rc = new_rec(st, &rec, rp)) < 0)
    return rc;
  citeconv_record_set_type(rec, CITECONV_TYPE_ARTICLE_JOURNAL);
  n = find(rp, (sel){"div", "cit", NULL, NULL});
  if (n) {
    xmlNodePtr j = find(n, (sel){"a", NULL, NULL, NULL});
    size_t len;
    const char *s;
    if (j) {
      const char *full = attr(j, "title");
      s = text_of(st, j, 0, NULL, &len);
      while (len && s[len - 1] == '.')
        len--;
      rc = set_field(st, rec, CITECONV_VAR_JOURNAL_ABBREVIATION, s, len, j);
      if (rc == 0 && full && *full) {
        size_t fl = strlen(full);
        while (fl && full[fl - 1] == '.')
          fl--;
        rc = set_field(st, rec, CITECONV_VAR_CONTAINER_TITLE, full, fl, j);
      }
    }
    s = text_of(st, n, 0, (const char *const[]){"a", NULL}, &len);
    if (rc == 0)
      rc = citeconv_pubmed_citation(rec, s, len, npos(n), PREFIX);
  }
  if (rc == 0)
    rc = field_from(st, rec, CITECONV_VAR_TITLE,
                    find(rp, (sel){"h1", NULL, NULL, NULL}), T_RICH, NULL);
  n = find(rp, (sel){"div", "auths", NULL, NULL});
  affl = find(rp, (sel){"div", "afflist", NULL, NULL});
  if (n && rc == 0) {
    for (xmlNodePtr a = find(n, (sel){"a", NULL, NULL, NULL}); a && rc == 0;
         a = find_next(n, a, (sel){"a", NULL, NULL, NULL})) {
      size_t len;
      const char *s = text_of(st, a, 0, NULL, &len);
      citeconv_name nm;
      const char *aff[8];
      size_t naff = 0;
      memset(&nm, 0, sizeof(nm));
      rc = citeconv_pubmed_name_vancouver(rec, s, len, npos(a), &nm);
      if (rc < 0 || (!nm.family && !nm.literal))
        continue;
      /* "<sup>1,2</sup>" after the link: the affiliations' numbers. */
      if (affl && a->next && is_el(a->next, "sup")) {
        size_t nl;
        const char *num = text_of(st, a->next, 0, NULL, &nl);
        char keys[64];
        if (nl < sizeof(keys)) {
          memcpy(keys, num, nl);
          keys[nl] = '\0';
          for (char *k = keys, *next; k && *k && naff < 8; k = next) {
            /* "1,2" or "1, 2": split in place */
            next = k + strcspn(k, ", ");
            if (*next) {
              *next++ = '\0';
              next += strspn(next, ", ");
            }
            if (!*k)
              continue;
            for (xmlNodePtr li = find(affl, (sel){"li", NULL, NULL, NULL});
                 li;
                 li = find_next(affl, li, (sel){"li", NULL, NULL, NULL})) {
              xmlNodePtr sup = find(li, (sel){"sup", NULL, NULL, NULL});
              size_t kl;
              const char *kt = sup ? text_of(st, sup, 0, NULL, &kl) : "";
              if (sup && strcmp(kt, k) == 0) {
                size_t al;
                const char *at = text_of(st, li, 0,
                                         (const char *const[]){"sup", NULL},
                                         &al);
                aff[naff] = citeconv_record_strdup(rec, at, al);
                if (aff[naff])
                  naff++;
                break;
              }
            }
          }
        }
      }
      nm.affiliations = naff ? aff : NULL;
      nm.n_affiliations = naff;
      rc = citeconv_record_add_name(rec, &nm);
    }
  }
  n = find(rp, (sel){"div", "abstr", NULL, NULL});
  if (n && rc == 0) {
    /* <h4>LABEL: </h4><p>text</p> pairs */
    citeconv_buf ab = CITECONV_BUF_INIT;
    xmlNodePtr body = find(n, (sel){"div", NULL, NULL, NULL});
    if (!body)
      body = n;
    for (xmlNodePtr c = body->children; c; c = c->next) {
      size_t len;
      const char *s;
      if (is_el(c, "h4")) {
        s = text_of(st, c, 0, NULL, &len);
        if (ab.len)
          citeconv_buf_addc(&ab, '\n');
        citeconv_buf_add(&ab, s, len);
        citeconv_buf_addc(&ab, ' ');
      } else if (is_el(c, "p")) {
        s = text_of(st, c, T_RICH, NULL, &len);
        if (ab.len && ab.data[ab.len - 1] != ' ')
          citeconv_buf_addc(&ab, '\n');
        citeconv_buf_add(&ab, s, len);
      }
    }
    if (ab.len)
      rc = set_field(st, rec, CITECONV_VAR_ABSTRACT, ab.data, ab.len, n);
    citeconv_buf_free(&ab);
  }
  n = find(rp, (sel){"dl", "rprtid", NULL, NULL});
  if (n && rc == 0) {
    for (xmlNodePtr dt = find(n, (sel){"dt", NULL, NULL, NULL}); dt && rc == 0;
         dt = find_next(n, dt, (sel){"dt", NULL, NULL, NULL})) {
      xmlNodePtr dd = dt->next;
      size_t len, vl;
      const char *k;
      char key[16];
      while (dd && !is_el(dd, "dd"))
        dd = dd->next;
      if (!dd)
        break;
      k = text_of(st, dt, 0, NULL, &len);
      if (len >= sizeof(key))
        continue;
      memcpy(key, k, len);
      key[len] = '\0';
      k = text_of(st, dd, 0, NULL, &vl);
      if (strcmp(key, "PMID:") == 0)
        rc = set_field(st, rec, CITECONV_VAR_PMID, k, vl, dd);
      else if (strcmp(key, "PMCID:") == 0)
        rc = set_field(st, rec, CITECONV_VAR_PMCID, k, vl, dd);
      else if (strcmp(key, "DOI:") == 0 &&
               !citeconv_record_text(rec, CITECONV_VAR_DOI))
        rc = set_field(st, rec, CITECONV_VAR_DOI, k, vl, dd);
    }
  }
  if (rc == 0 && !citeconv_record_text(rec, CITECONV_VAR_PMID)) {
    const char *u = meta(st, "ncbi_uidlist");
    if (u && *u)
      rc = set_field(st, rec, CITECONV_VAR_PMID, u, strlen(u), rp);
  }
  if (rc == 0 && st->want_article)
    return push(st, rec);
  citeconv_record_free(rec);
  return rc;
}

/* The 2009 Entrez AbstractPlus page: dl.AbstractPlusReport. */
static int legacy_2009(ph_reader *st, xmlNodePtr dl)
{
  citeconv_record *rec = NULL;
  xmlNodePtr n, dd;
  int rc;
  if ((rc = new_rec(st, &rec, dl)) < 0)
    return rc;
  citeconv_record_set_type(rec, CITECONV_TYPE_ARTICLE_JOURNAL);
  n = find(dl, (sel){"span", "ti", NULL, NULL});
  if (n) {
    xmlNodePtr j = find(n, (sel){"span", NULL, NULL, NULL});
    size_t len;
    const char *s;
    if (j) {
      const char *full = attr(j, "title");
      s = text_of(st, j, 0, NULL, &len);
      while (len && s[len - 1] == '.')
        len--;
      rc = set_field(st, rec, CITECONV_VAR_JOURNAL_ABBREVIATION, s, len, j);
      if (rc == 0 && full && *full) {
        size_t fl = strlen(full);
        while (fl && full[fl - 1] == '.')
          fl--;
        rc = set_field(st, rec, CITECONV_VAR_CONTAINER_TITLE, full, fl, j);
      }
    }
    /* The text after the journal span: " 2005;52(4):789-96. Epub ..." */
    citeconv_buf_clear(&st->tmp2);
    if (rc == 0 && j) {
      citeconv_buf line = CITECONV_BUF_INIT;
      for (xmlNodePtr t = j->next; t; t = t->next)
        if (t->type == XML_TEXT_NODE && t->content)
          citeconv_buf_adds(&line, (const char *)t->content);
      if (line.len) {
        citeconv_buf sq = CITECONV_BUF_INIT;
        citeconv_pubmed_squeeze(&sq, line.data, line.len);
        if (sq.len)
          rc = citeconv_pubmed_citation(rec, sq.data, sq.len, npos(n),
                                        PREFIX);
        citeconv_buf_free(&sq);
      }
      citeconv_buf_free(&line);
    }
  }
  dd = find(dl, (sel){"dd", "abstract", NULL, NULL});
  if (dd && rc == 0) {
    xmlNodePtr au = find(dd, (sel){"div", "authors", NULL, NULL});
    rc = field_from(st, rec, CITECONV_VAR_TITLE,
                    find(dd, (sel){"h2", NULL, NULL, NULL}), T_RICH, NULL);
    n = find(dd, (sel){"p", "affiliation", NULL, NULL});
    if (au)
      for (xmlNodePtr a = find(au, (sel){"a", NULL, NULL, NULL});
           a && rc == 0; a = find_next(au, a, (sel){"a", NULL, NULL, NULL})) {
        size_t len;
        const char *s = text_of(st, a, 0, NULL, &len);
        citeconv_name nm;
        const char *aff[1];
        memset(&nm, 0, sizeof(nm));
        rc = citeconv_pubmed_name_vancouver(rec, s, len, npos(a), &nm);
        if (rc < 0 || (!nm.family && !nm.literal))
          continue;
        /* The 2009 page gives the first author's affiliation only. */
        if (n && citeconv_record_name_count(rec) == 0) {
          size_t al;
          const char *at = text_of(st, n, 0, NULL, &al);
          aff[0] = citeconv_record_strdup(rec, at, al);
          if (aff[0] && *aff[0]) {
            nm.affiliations = aff;
            nm.n_affiliations = 1;
          }
        }
        rc = citeconv_record_add_name(rec, &nm);
      }
    if (rc == 0)
      rc = field_from(st, rec, CITECONV_VAR_ABSTRACT,
                      find(dd, (sel){"p", "abstract", NULL, NULL}), T_RICH,
                      NULL);
    n = find(dd, (sel){"p", "pmid", NULL, NULL});
    if (n && rc == 0) {
      size_t len, b = 0, e;
      const char *s = text_of(st, n, 0, NULL, &len);
      while (b < len && !(s[b] >= '0' && s[b] <= '9'))
        b++;
      e = b;
      while (e < len && s[e] >= '0' && s[e] <= '9')
        e++;
      rc = set_field(st, rec, CITECONV_VAR_PMID, s + b, e - b, n);
    }
  }
  if (rc == 0 && st->want_article)
    return push(st, rec);
  citeconv_record_free(rec);
  return rc;
}

/* The 2009 PMC search results: div.portal-tocentry. */
static int pmc_toc_entry(ph_reader *st, xmlNodePtr e)
{
  citeconv_record *rec = NULL;
  int rc;
  bool vol_seen = false;
  if ((rc = new_rec(st, &rec, e)) < 0)
    return rc;
  citeconv_record_set_type(rec, CITECONV_TYPE_ARTICLE_JOURNAL);
  rc = field_from(st, rec, CITECONV_VAR_TITLE,
                  find(e, (sel){"div", "toc-title", NULL, NULL}), T_RICH,
                  NULL);
  {
    xmlNodePtr au = find(e, (sel){"div", "toc-author", NULL, NULL});
    if (au && rc == 0) {
      /* "Cedric Bardy, Jin Yu Huang, and  Bogdan Dreher" */
      size_t len, b = 0;
      const char *s = text_of(st, au, 0, NULL, &len);
      char *copy = malloc(len + 1);
      if (!copy)
        rc = CITECONV_ENOMEM;
      else
        memcpy(copy, s, len);
      while (copy && b < len && rc == 0) {
        size_t en = b;
        while (en < len && copy[en] != ',')
          en++;
        while (b < en && copy[b] == ' ')
          b++;
        if (en - b > 4 && strncmp(copy + b, "and ", 4) == 0)
          b += 4;
        while (b < en && copy[b] == ' ')
          b++;
        {
          /* "X and Y" in a two-author list */
          const char *and = NULL;
          for (size_t k = b; k + 5 <= en; k++)
            if (strncmp(copy + k, " and ", 5) == 0) {
              and = copy + k;
              break;
            }
          if (and) {
            rc = citeconv_pubmed_name_given_first(
                rec, copy + b, (size_t)(and - copy) - b, NULL, 0, npos(au),
                NULL);
            b = (size_t)(and - copy) + 5;
          }
        }
        if (rc == 0 && en > b)
          rc = citeconv_pubmed_name_given_first(rec, copy + b, en - b, NULL,
                                                0, npos(au), NULL);
        b = en + 1;
      }
      free(copy);
    }
  }
  /* Spans in document order, also inside the "Published in final
   * edited form as:" block (citation-* classes). */
  for (xmlNodePtr n = find(e, (sel){"span", NULL, NULL, NULL}); n && rc == 0;
       n = find_after(e, n, (sel){"span", NULL, NULL, NULL})) {
    size_t len;
    const char *s = text_of(st, n, 0, NULL, &len);
    while (len && (s[len - 1] == ';' || s[len - 1] == '.' ||
                   s[len - 1] == ' '))
      len--;
    if (has_class(n, "toc-cit-jour") || has_class(n, "citation-abbreviation")) {
      if (!citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE))
        rc = set_field(st, rec, CITECONV_VAR_CONTAINER_TITLE, s, len, n);
    } else if (has_class(n, "citation-volume")) {
      rc = set_field(st, rec, CITECONV_VAR_VOLUME, s, len, n);
      vol_seen = true;
    } else if (has_class(n, "citation-issue")) {
      if (len > 2 && s[0] == '(')
        rc = set_field(st, rec, CITECONV_VAR_ISSUE, s + 1, len - 2, n);
    } else if (has_class(n, "citation-flpages")) {
      size_t b = 0;
      while (b < len && (s[b] == ':' || s[b] == ' '))
        b++;
      rc = set_field(st, rec, CITECONV_VAR_PAGE, s + b, len - b, n);
    } else if (has_class(n, "citation-publication-date")) {
      citeconv_date d;
      memset(&d, 0, sizeof(d));
      if (!citeconv_record_date(rec, CITECONV_VAR_ISSUED) &&
          citeconv_pubmed_date(&d, s, len)) {
        d.pos = npos(n);
        rc = citeconv_record_set_date(rec, CITECONV_VAR_ISSUED, &d);
      }
    } else if (has_class(n, "toc-cit-vol")) {
      if (!vol_seen)
        rc = set_field(st, rec, CITECONV_VAR_VOLUME, s, len, n);
      else if (len > 2 && s[0] == '(')
        rc = set_field(st, rec, CITECONV_VAR_ISSUE, s + 1, len - 2, n);
      vol_seen = true;
    } else if (has_class(n, "toc-cit-page")) {
      size_t b = 0;
      while (b < len && (s[b] == ':' || s[b] == ' '))
        b++;
      rc = set_field(st, rec, CITECONV_VAR_PAGE, s + b, len - b, n);
    } else if (has_class(n, "toc-cit-date")) {
      char *copy = malloc(len + 1);
      if (!copy) {
        rc = CITECONV_ENOMEM;
        break;
      }
      memcpy(copy, s, len);
      copy[len] = '\0';
      if (strncmp(copy, "doi: ", 5) == 0) {
        rc = set_field(st, rec, CITECONV_VAR_DOI, copy + 5, len - 5, n);
      } else if (strncmp(copy, "Published online ", 17) == 0) {
        citeconv_date d;
        memset(&d, 0, sizeof(d));
        if (citeconv_pubmed_date(&d, copy + 17, len - 17)) {
          d.pos = npos(n);
          rc = citeconv_record_set_date(rec, CITECONV_VAR_AVAILABLE_DATE, &d);
        }
      } else if (find(n, (sel){"span", NULL, NULL, NULL}) ||
                 strncmp(copy, "Published in final edited form", 30) == 0) {
        /* "Published in final edited form as:" around citation-* spans */
      } else if (strncmp(copy, "Author manuscript", 17) == 0 ||
                 citeconv_record_date(rec, CITECONV_VAR_ISSUED)) {
        rc = extra(st, rec, PREFIX ":citation-note", copy, len, n);
      } else {
        citeconv_date d;
        memset(&d, 0, sizeof(d));
        if (citeconv_pubmed_date(&d, copy, len)) {
          d.pos = npos(n);
          rc = citeconv_record_set_date(rec, CITECONV_VAR_ISSUED, &d);
        } else {
          rc = extra(st, rec, PREFIX ":citation-note", copy, len, n);
        }
      }
      free(copy);
    }
  }
  {
    xmlNodePtr n = find(e, (sel){"div", "toc-pmcid", NULL, NULL});
    if (n && rc == 0) {
      size_t len;
      const char *s = text_of(st, n, 0, (const char *const[]){"span", NULL},
                              &len);
      rc = set_field(st, rec, CITECONV_VAR_PMCID, s, len, n);
    }
  }
  if (rc == 0)
    return push(st, rec);
  citeconv_record_free(rec);
  return rc;
}

/* ---- the page ---- */

static int read_page(ph_reader *st)
{
  /* From the document node: a saved fragment's first element is a
   * record too. */
  xmlNodePtr root = (xmlNodePtr)st->doc, n;
  int rc = 0;
  citeconv_pos start = {1, 1};
  if (!xmlDocGetRootElement(st->doc))
    goto unknown;
  /* Current PubMed article pages (also this writer's pages, one
   * article-details block per article). */
  n = find(root, (sel){NULL, NULL, "full-view-heading", NULL});
  if (n) {
    for (; n && rc == 0; n = find_next(root, n, (sel){NULL, "full-view",
                                                      NULL, "full-view-heading"}))
      rc = article_current(st, n);
    return rc;
  }
  n = find(root, (sel){"article", "full-docsum", NULL, NULL});
  if (n) {
    for (; n && rc == 0;
         n = find_after(root, n, (sel){"article", "full-docsum", NULL, NULL}))
      rc = docsum(st, n);
    return rc;
  }
  n = find(root, (sel){"div", "rprt", NULL, NULL});
  if (n && has_class(n, "abstract")) {
    for (; n && rc == 0; n = find_next(root, n, (sel){"div", "rprt", NULL,
                                                      NULL}))
      if (has_class(n, "abstract"))
        rc = legacy_rprt(st, n);
    return rc;
  }
  n = find(root, (sel){"dl", "AbstractPlusReport", NULL, NULL});
  if (n)
    return legacy_2009(st, n);
  n = find(root, (sel){"div", "portal-tocentry", NULL, NULL});
  if (n) {
    for (; n && rc == 0;
         n = find_next(root, n, (sel){"div", "portal-tocentry", NULL, NULL}))
      rc = pmc_toc_entry(st, n);
    return rc;
  }
  if (meta(st, "citation_title") &&
      (meta(st, "citation_pmid") ||
       find(root, (sel){"section", "ref-list", NULL, NULL}) ||
       find(root, (sel){NULL, NULL, "reference-list", NULL}) ||
       (meta(st, "og:url") && strstr(meta(st, "og:url"), "ncbi.nlm.nih.gov"))))
    return pmc_article(st);
unknown:
  citeconv_reader_diag(&st->base, &start, CITECONV_D_PUBMED_PAGE_UNKNOWN,
                       "not a PubMed or PMC page: no article heading, "
                       "search results, PMC citation_* meta tags or legacy "
                       "abstract found");
  return CITECONV_EPARSE;
}

static int ph_load(ph_reader *st)
{
  citeconv_session *s = st->base.session;
  size_t max = citeconv_session_option_size(s, "max-record-bytes");
  citeconv_buf all = CITECONV_BUF_INIT;
  char chunk[65536];
  long got;
  int rc = 0;
  citeconv_pos start = {1, 1};
  if ((rc = citeconv_session_references(s, &st->want_article,
                                        &st->want_refs)) < 0)
    return rc;
  while ((got = citeconv_input_read(st->base.in, chunk, sizeof(chunk))) > 0) {
    if (all.len + (size_t)got > max) {
      citeconv_reader_diag(&st->base, &start, CITECONV_D_LIMIT,
                           "page larger than max-record-bytes (%zu bytes); "
                           "not read", max);
      rc = CITECONV_EPARSE;
      goto done;
    }
    if ((rc = citeconv_buf_add(&all, chunk, (size_t)got)) < 0)
      goto done;
  }
  if (got < 0) {
    rc = CITECONV_EIO;
    goto done;
  }
  if (all.len == 0 || all.len > (size_t)0x7fffffff) {
    citeconv_reader_diag(&st->base, &start, CITECONV_D_PUBMED_PAGE_UNKNOWN,
                         "empty input: not a PubMed page");
    rc = CITECONV_EPARSE;
    goto done;
  }
  st->doc = htmlReadMemory(all.data, (int)all.len, NULL, "UTF-8",
                           HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                               HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER |
                               HTML_PARSE_NOIMPLIED | HTML_PARSE_COMPACT);
  if (!st->doc) {
    citeconv_reader_diag(&st->base, &start, CITECONV_D_SYNTAX,
                         "the HTML parser could not read the page");
    rc = CITECONV_EPARSE;
    goto done;
  }
  rc = read_page(st);
done:
  citeconv_buf_free(&all);
  return rc;
}

static int ph_next(citeconv_record **out, citeconv_reader *r)
{
  ph_reader *st = (ph_reader *)r;
  *out = NULL;
  if (!st->parsed) {
    st->parsed = true;
    st->status = ph_load(st);
    if (st->status < 0 && st->nq == 0)
      return st->status;
  }
  if (st->iq < st->nq) {
    *out = st->queue[st->iq];
    st->queue[st->iq++] = NULL;
    r->nrecords++;
    return 0;
  }
  return st->status < 0 ? st->status : CITECONV_END;
}

static void ph_close(citeconv_reader *r)
{
  ph_reader *st = (ph_reader *)r;
  if (!st)
    return;
  for (size_t i = st->iq; i < st->nq; i++)
    citeconv_record_free(st->queue[i]);
  free(st->queue);
  free(st->metas);
  if (st->doc)
    xmlFreeDoc(st->doc);
  citeconv_buf_free(&st->tmp);
  citeconv_buf_free(&st->tmp2);
  free(st);
}

static int ph_open(citeconv_reader **out, citeconv_session *s,
                   citeconv_input *in)
{
  ph_reader *st;
  int rc;
  *out = NULL;
  if ((rc = citeconv_charset_decode(in, s, NULL)) < 0)
    return rc;
  st = calloc(1, sizeof(*st));
  if (!st)
    return CITECONV_ENOMEM;
  citeconv_reader_init(&st->base, &citeconv_format_pubmed_html, s, in);
  st->max_field = citeconv_session_option_size(s, "max-field-bytes");
  *out = &st->base;
  return 0;
}

static int ph_detect(const unsigned char *head, size_t len)
{
  /* Pages from PubMed and PMC name their host or their classes early. */
  static const char *const marks[] = {
    "pubmed.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov/pmc", "pmc.ncbi.nlm.nih.gov",
    "full-docsum", "PubMed", "citation_pmid", NULL};
  bool html = false;
  for (size_t i = 0; i + 5 <= len && !html; i++)
    if (head[i] == '<' && (memcmp(head + i, "<html", 5) == 0 ||
                           memcmp(head + i, "<!DOC", 5) == 0 ||
                           memcmp(head + i, "<arti", 5) == 0 ||
                           memcmp(head + i, "<meta", 5) == 0))
      html = true;
  if (!html)
    return 0;
  for (size_t k = 0; marks[k]; k++) {
    size_t L = strlen(marks[k]);
    for (size_t i = 0; i + L <= len; i++)
      if (memcmp(head + i, marks[k], L) == 0)
        return 80;
  }
  return 10;
}

const citeconv_format citeconv_format_pubmed_html = {
  .name = "pubmed-html",
  .summary = "PubMed and PMC web pages (article, references, search results)",
  .detect = ph_detect,
  .open = ph_open,
  .next = ph_next,
  .close = ph_close,
  .begin = citeconv_pubmed_html_begin,
  .record = citeconv_pubmed_html_record,
  .end = citeconv_pubmed_html_end,
  .free = citeconv_pubmed_html_free,
};
