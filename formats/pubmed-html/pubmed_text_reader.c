/* The pubmed-text reader: a PubMed article page saved or copied as plain
 * text. The page's furniture (banner, navigation, "Similar articles") is
 * recognised and skipped; the article and its References become records. */
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "pubmed_page.h"

#define PREFIX "pubmed-text"

typedef struct {
  char *s;
  size_t n;
  uint32_t lineno;
  uint32_t col; /* of the first non-blank character */
} tline;

typedef struct {
  citeconv_reader base;
  bool parsed;
  int status;
  citeconv_record **queue;
  size_t nq, cap, iq;
  bool want_article, want_refs;
} pt_reader;

/* Lines that are page furniture wherever they occur. */
static const char *const furniture[] = {
  "Skip to main page content", "U.S. flag",
  "An official website of the United States government", "Dot gov",
  "Https", "The site is secure.", "Access keys", "NCBI Homepage",
  "Federal government websites often end in", "The .gov means it",
  "The https:// ensures", "Search", "Advanced", "Clipboard", "User Guide",
  "Save", "Email", "Send to", "Display options", "Cite", "Share",
  "Full text links", "Actions", "Page navigation", "Title & authors",
  "Figures", "Comment in", "Similar articles", "Cited by", "LinkOut",
  "PubMed Disclaimer", "Add to Collections", "Add to My Bibliography",
  "Related information", "Grants and funding", "Supplementary info",
  "Show all", "Expand", "Collapse", "Affiliations", "Free PMC article",
  "Free article", "Item in Clipboard", "Format:", "Copy", "Proceed to details",
  NULL};

/* Section headings after which lines are not article data. */
static const char *const skip_sections[] = {
  "Conflict of interest statement", "Similar articles", "Cited by",
  "Figures", "Comment in", "LinkOut - more resources", "Related information",
  "Grants and funding", "Supplementary info",
  "Associated data", "Substances", "Erratum in", "Update of", "Update in",
  NULL};

static bool starts(const char *s, size_t n, const char *p)
{
  size_t k = strlen(p);
  return k <= n && memcmp(s, p, k) == 0;
}

static bool eq(const char *s, size_t n, const char *p)
{
  return strlen(p) == n && memcmp(s, p, n) == 0;
}

static bool is_furniture(const tline *l)
{
  for (size_t k = 0; furniture[k]; k++)
    if (starts(l->s, l->n, furniture[k]))
      return true;
  return false;
}

static bool in_list(const tline *l, const char *const *list)
{
  for (size_t k = 0; list[k]; k++)
    if (eq(l->s, l->n, list[k]))
      return true;
  return false;
}

static int push(pt_reader *st, citeconv_record *rec)
{
  if (st->nq == st->cap) {
    size_t cap = st->cap ? st->cap * 2 : 16;
    citeconv_record **q = realloc(st->queue, cap * sizeof(*q));
    if (!q) {
      if (rec)
        citeconv_record_free(rec);
      return CITECONV_ENOMEM;
    }
    st->queue = q;
    st->cap = cap;
  }
  st->queue[st->nq++] = rec;
  return 0;
}

static citeconv_pos lpos(const tline *l)
{
  citeconv_pos p = {l->lineno, l->col};
  return p;
}

static bool is_citation_line(const tline *l)
{
  /* ". 2023 Sep 8:14:1271381." (the journal button's text is lost) or
   * "Front Genet. 2023 Sep 8;14:1271381." */
  size_t i = 0;
  if (l->n > 2 && l->s[0] == '.' && l->s[1] == ' ')
    i = 2;
  else {
    const char *d = NULL;
    for (size_t k = 0; k + 6 < l->n; k++)
      if (l->s[k] == '.' && l->s[k + 1] == ' ' && l->s[k + 2] >= '1' &&
          l->s[k + 2] <= '2' && l->s[k + 3] >= '0' && l->s[k + 3] <= '9') {
        d = l->s + k + 2;
        break;
      }
    if (!d || l->n > 200)
      return false;
    i = (size_t)(d - l->s);
  }
  return i + 4 <= l->n && l->s[i] >= '1' && l->s[i] <= '2' &&
         l->s[i + 1] >= '0' && l->s[i + 1] <= '9' && l->s[i + 2] >= '0' &&
         l->s[i + 2] <= '9' && l->s[i + 3] >= '0' && l->s[i + 3] <= '9' &&
         (i + 4 == l->n || l->s[i + 4] == ' ' || l->s[i + 4] == ';' ||
          l->s[i + 4] == ':' || l->s[i + 4] == '.');
}

static int add_keywords(citeconv_record *rec, const tline *l, size_t from)
{
  size_t b = from;
  int rc = 0;
  while (b < l->n && rc == 0) {
    size_t e = b, ke;
    while (e < l->n && l->s[e] != ';')
      e++;
    ke = e;
    while (ke > b && (l->s[ke - 1] == '.' || l->s[ke - 1] == ' '))
      ke--;
    while (b < ke && l->s[b] == ' ')
      b++;
    if (ke > b)
      rc = citeconv_record_add_text(rec, CITECONV_VAR_KEYWORD, l->s + b,
                                    ke - b, lpos(l));
    b = e + 1;
  }
  return rc;
}

/* "Kangwei Zhu et al. Front Genet. .": the journal now; the first author
 * at the end, unless the page also gives the full list. */
static int author_line(citeconv_record *rec, const tline *l, size_t etal)
{
  int rc = 0;
  size_t j = etal + 8, e;
  while (j < l->n && l->s[j] == ' ')
    j++;
  e = j;
  while (e < l->n && !(l->s[e] == '.' && (e + 1 == l->n || l->s[e + 1] == ' ')))
    e++;
  if (rc == 0 && e > j) {
    if (!citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE))
      rc = citeconv_record_set_text(rec, CITECONV_VAR_CONTAINER_TITLE,
                                    l->s + j, e - j, lpos(l));
  }
  return rc;
}

/* "PMID: 37744066 PMCID: PMC10513048 DOI: 10.3389/..." */
static int id_line(citeconv_record *rec, const tline *l)
{
  static const struct {
    const char *label;
    citeconv_var var;
  } ids[] = {{"PMID:", CITECONV_VAR_PMID},
             {"PMCID:", CITECONV_VAR_PMCID},
             {"DOI:", CITECONV_VAR_DOI}};
  int rc = 0;
  for (size_t k = 0; k < 3 && rc == 0; k++) {
    const char *p = NULL;
    size_t L = strlen(ids[k].label);
    for (size_t i = 0; i + L <= l->n; i++)
      if (memcmp(l->s + i, ids[k].label, L) == 0 &&
          (i == 0 || l->s[i - 1] == ' ')) {
        p = l->s + i + L;
        break;
      }
    if (p) {
      const char *end = l->s + l->n, *e;
      while (p < end && *p == ' ')
        p++;
      e = p;
      while (e < end && *e != ' ')
        e++;
      while (e > p && e[-1] == '.')
        e--;
      if (e > p && !citeconv_record_text(rec, ids[k].var))
        rc = citeconv_record_set_text(rec, ids[k].var, p, (size_t)(e - p),
                                      lpos(l));
    }
  }
  return rc;
}

static int reference(pt_reader *st, const char *s, size_t n, size_t number,
                     const tline *at, const char *citing)
{
  citeconv_record *rec = NULL;
  char num[32];
  int rc = citeconv_record_new(&rec);
  if (rc < 0)
    return rc;
  citeconv_record_set_origin(rec, st->base.file, lpos(at));
  snprintf(num, sizeof(num), "%zu", number);
  rc = citeconv_record_set_text(rec, CITECONV_VAR_CITATION_NUMBER, num,
                                strlen(num), lpos(at));
  if (rc == 0)
    rc = citeconv_pubmed_reference(&st->base, rec, s, n, lpos(at));
  if (rc == 0 && citing && *citing)
    rc = citeconv_record_add_extra(rec, "citing-pmid", citing,
                                   strlen(citing), lpos(at));
  if (rc == 0)
    return push(st, rec);
  citeconv_record_free(rec);
  return rc;
}

/* A full author list as the page shows it when expanded, with the
 * affiliation numbers after each name: "Kangwei Zhu 1, Yujie Xia 1 2,
 * Jinxiang Zhou 3". */
typedef struct {
  const char *name;
  size_t len;
  char nums[24];
  citeconv_pos pos;
} list_author;

static bool name_word_ok(const char *w, size_t n)
{
  static const char *const particles[] = {"van", "von", "de", "der", "den",
                                          "da", "di", "du", "le", "la",
                                          "del", "dos", "ten", "ter", NULL};
  unsigned char c = (unsigned char)w[0];
  if (n == 0 || n > 30)
    return false;
  if ((c >= 'A' && c <= 'Z') || c >= 0x80)
    return true;
  for (size_t k = 0; particles[k]; k++)
    if (strlen(particles[k]) == n && memcmp(w, particles[k], n) == 0)
      return true;
  return false;
}

static size_t author_list(const tline *l, list_author *out, size_t cap)
{
  size_t n = 0, b = 0;
  bool any_num = false;
  while (b <= l->n) {
    size_t e = b, nb, ne, words = 0;
    const char *p;
    while (e < l->n && l->s[e] != ',')
      e++;
    while (b < e && l->s[b] == ' ')
      b++;
    if (e - b > 4 && memcmp(l->s + b, "and ", 4) == 0)
      b += 4;
    p = l->s + b;
    ne = e;
    while (ne > b && l->s[ne - 1] == ' ')
      ne--;
    /* trailing affiliation numbers */
    nb = ne;
    while (nb > b && ((l->s[nb - 1] >= '0' && l->s[nb - 1] <= '9') ||
                      l->s[nb - 1] == ' '))
      nb--;
    if (nb == b && ne > b) {
      /* only numbers: more numbers of the previous name */
      if (n == 0)
        return 0;
      size_t o = strlen(out[n - 1].nums);
      if (o + (ne - b) + 2 < sizeof(out[n - 1].nums)) {
        out[n - 1].nums[o] = ' ';
        memcpy(out[n - 1].nums + o + 1, p, ne - b);
        out[n - 1].nums[o + 1 + ne - b] = '\0';
      }
    } else if (ne > b) {
      if (n == cap)
        return 0;
      for (size_t i = b; i < nb;) {
        size_t ws = i;
        while (i < nb && l->s[i] != ' ')
          i++;
        if (!name_word_ok(l->s + ws, i - ws))
          return 0;
        words++;
        while (i < nb && l->s[i] == ' ')
          i++;
      }
      if (words < 2 || words > 6)
        return 0;
      out[n].name = p;
      out[n].len = nb - b;
      out[n].nums[0] = '\0';
      if (ne > nb && ne - nb < sizeof(out[n].nums)) {
        memcpy(out[n].nums, l->s + nb, ne - nb);
        out[n].nums[ne - nb] = '\0';
        any_num = true;
      }
      n++;
    }
    b = e + 1;
  }
  return (n >= 2 || any_num) ? n : 0;
}

static int parse(pt_reader *st, tline *L, size_t nl)
{
  citeconv_record *rec = NULL;
  citeconv_buf ab = CITECONV_BUF_INIT, ref = CITECONV_BUF_INIT;
  enum { HEAD, AFFS, ABSTRACT, SKIP, REFS, PUBTYPES, MESH } mode = HEAD;
  list_author *authors = NULL;
  size_t nauthors = 0;
  const tline *etal_line = NULL;
  size_t etal_at = 0;
  struct {
    const char *num, *text;
    size_t nlen, tlen;
  } affs[64];
  size_t naffs = 0;
  const char *pending_type = NULL;
  size_t pending_type_n = 0, nrefs = 0, ref_line = 0;
  bool have_cit = false, have_title = false, any = false;
  citeconv_pos start = {1, 1};
  const tline *abs_at = NULL;
  int rc = citeconv_record_new(&rec);
  char citing[32] = "";
  if (rc < 0)
    return rc;
  if ((rc = push(st, NULL)) < 0) {
    citeconv_record_free(rec);
    return rc;
  }
  citeconv_record_set_origin(rec, st->base.file, start);
  citeconv_record_set_type(rec, CITECONV_TYPE_ARTICLE_JOURNAL);
  for (size_t i = 0; i < nl && rc == 0; i++) {
    tline *l = &L[i];
    bool numbered = false;
    size_t nb = 0;
    if (l->n == 0)
      continue;
    /* A numbered reference line: "1. Aass N., ..." */
    while (nb < l->n && nb < 5 && l->s[nb] >= '0' && l->s[nb] <= '9')
      nb++;
    if (nb > 0 && nb + 1 < l->n && l->s[nb] == '.' && l->s[nb + 1] == ' ')
      numbered = true;
    /* Numbered affiliations: "1 Department of ..., China." */
    if (mode == AFFS) {
      size_t d = 0;
      while (d < l->n && d < 4 && l->s[d] >= '0' && l->s[d] <= '9')
        d++;
      if (d > 0 && d < l->n && naffs < 64) {
        size_t t = d;
        while (t < l->n && l->s[t] == ' ')
          t++;
        affs[naffs].num = l->s;
        affs[naffs].nlen = d;
        affs[naffs].text = l->s + t;
        affs[naffs].tlen = l->n - t;
        naffs++;
        continue;
      }
      mode = HEAD;
    }
    if (mode == HEAD && have_title && eq(l->s, l->n, "Affiliations")) {
      mode = AFFS;
      continue;
    }
    /* Section headings. */
    if (eq(l->s, l->n, "Abstract")) {
      mode = ABSTRACT;
      continue;
    }
    if (eq(l->s, l->n, "References")) {
      mode = REFS;
      continue;
    }
    if (eq(l->s, l->n, "Publication types")) {
      mode = PUBTYPES;
      continue;
    }
    if (eq(l->s, l->n, "MeSH terms")) {
      mode = MESH;
      continue;
    }
    if (in_list(l, skip_sections) || starts(l->s, l->n, "LinkOut")) {
      if (mode == REFS && ref.len) {
        rc = reference(st, ref.data, ref.len, ++nrefs, &L[ref_line], citing);
        citeconv_buf_clear(&ref);
      }
      mode = SKIP;
      continue;
    }
    if (starts(l->s, l->n, "Keywords:")) {
      rc = add_keywords(rec, l, 9);
      any = true;
      continue;
    }
    if (starts(l->s, l->n, "PMID:") || starts(l->s, l->n, "PMCID:") ||
        (starts(l->s, l->n, "DOI:") && mode != REFS)) {
      rc = id_line(rec, l);
      if (citeconv_record_text(rec, CITECONV_VAR_PMID))
        snprintf(citing, sizeof(citing), "%s",
                 citeconv_record_text(rec, CITECONV_VAR_PMID));
      any = true;
      continue;
    }
    switch (mode) {
    case HEAD:
      if (is_furniture(l))
        break;
      if (!have_cit && is_citation_line(l)) {
        size_t b = 0;
        if (l->s[0] == '.')
          b = 2;
        else {
          /* "Journal. date..." */
          size_t e = 0;
          while (e < l->n && !(l->s[e] == '.' && l->s[e + 1] == ' '))
            e++;
          rc = citeconv_record_set_text(rec, CITECONV_VAR_CONTAINER_TITLE,
                                        l->s, e, lpos(l));
          b = e + 2;
        }
        if (rc == 0)
          rc = citeconv_pubmed_citation(rec, l->s + b, l->n - b, lpos(l),
                                        PREFIX);
        /* The line before names the publication type ("Review"). */
        if (rc == 0 && pending_type)
          rc = citeconv_record_add_extra(rec, PREFIX ":publication-type",
                                         pending_type, pending_type_n,
                                         lpos(l));
        if (rc == 0 && pending_type &&
            !eq(pending_type, pending_type_n, "Journal Article"))
          rc = citeconv_record_set_text(rec, CITECONV_VAR_GENRE, pending_type,
                                        pending_type_n, lpos(l));
        have_cit = true;
        any = true;
        break;
      }
      if (have_cit && starts(l->s, l->n, "doi:")) {
        rc = citeconv_pubmed_citation(rec, l->s, l->n, lpos(l), PREFIX);
        break;
      }
      if (!have_cit) {
        /* Remember a short line: the publication type before the
         * citation line. */
        if (l->n < 60) {
          pending_type = l->s;
          pending_type_n = l->n;
        }
        break;
      }
      if (!have_title) {
        rc = citeconv_record_set_text(rec, CITECONV_VAR_TITLE, l->s, l->n,
                                      lpos(l));
        have_title = true;
        break;
      }
      if (eq(l->s, l->n, citeconv_record_text(rec, CITECONV_VAR_TITLE)) ||
          (pending_type && eq(l->s, l->n, "Review")) ||
          (pending_type && l->n == pending_type_n &&
           memcmp(l->s, pending_type, l->n) == 0))
        break; /* the heading repeated for the short view */
      {
        const char *etal = NULL;
        for (size_t k = 0; k + 8 <= l->n; k++)
          if (memcmp(l->s + k, " et al. ", 8) == 0 ||
              (k + 7 == l->n && memcmp(l->s + k, " et al.", 7) == 0)) {
            etal = l->s + k;
            break;
          }
        if (etal && !etal_line) {
          etal_line = l;
          etal_at = (size_t)(etal - l->s);
          rc = author_line(rec, l, etal_at);
          break;
        }
        if (!etal && !authors) {
          list_author tmp[256];
          size_t k = author_list(l, tmp, 256);
          if (k) {
            authors = malloc(k * sizeof(*authors));
            if (!authors) {
              rc = CITECONV_ENOMEM;
              break;
            }
            memcpy(authors, tmp, k * sizeof(*authors));
            for (size_t a = 0; a < k; a++)
              authors[a].pos = lpos(l);
            nauthors = k;
            any = true;
          }
        }
      }
      break;
    case ABSTRACT:
      if (is_furniture(l))
        break;
      if (ab.len)
        citeconv_buf_addc(&ab, '\n');
      citeconv_buf_add(&ab, l->s, l->n);
      if (!abs_at)
        abs_at = l;
      any = true;
      break;
    case REFS:
      if (numbered) {
        if (ref.len)
          rc = reference(st, ref.data, ref.len, ++nrefs, &L[ref_line],
                         citing);
        citeconv_buf_clear(&ref);
        citeconv_buf_add(&ref, l->s + nb + 2, l->n - nb - 2);
        ref_line = i;
      } else if (ref.len) {
        citeconv_buf_addc(&ref, ' ');
        citeconv_buf_add(&ref, l->s, l->n);
      }
      break;
    case PUBTYPES: {
      /* The type shown above the title is listed here again. */
      bool seen = false;
      for (size_t k = 0; k < citeconv_record_extra_count(rec); k++) {
        const citeconv_extra *x = citeconv_record_extra_at(rec, k);
        if (strcmp(x->name, PREFIX ":publication-type") == 0 &&
            eq(l->s, l->n, x->value))
          seen = true;
      }
      if (!seen)
        rc = citeconv_record_add_extra(rec, PREFIX ":publication-type", l->s,
                                       l->n, lpos(l));
      break;
    }
    case MESH:
      rc = citeconv_record_add_extra(rec, PREFIX ":mesh", l->s, l->n,
                                     lpos(l));
      break;
    case AFFS:
    case SKIP:
      break;
    }
  }
  if (rc == 0 && ref.len)
    rc = reference(st, ref.data, ref.len, ++nrefs, &L[ref_line], citing);
  /* The full author list, each name with its numbered affiliations. */
  for (size_t a = 0; a < nauthors && rc == 0; a++) {
    citeconv_name nm;
    const char *aff[8];
    size_t naff = 0;
    rc = citeconv_pubmed_name_given_first(rec, authors[a].name,
                                          authors[a].len, NULL, 0,
                                          authors[a].pos, &nm);
    if (rc < 0)
      break;
    for (const char *q = authors[a].nums; *q && naff < 8;) {
      size_t qn = 0;
      while (*q == ' ')
        q++;
      while (q[qn] >= '0' && q[qn] <= '9')
        qn++;
      for (size_t f = 0; f < naffs && qn && naff < 8; f++)
        if (affs[f].nlen == qn && memcmp(affs[f].num, q, qn) == 0) {
          aff[naff] = citeconv_record_strdup(rec, affs[f].text, affs[f].tlen);
          if (aff[naff])
            naff++;
          break;
        }
      q += qn;
      if (!qn && *q)
        q++;
    }
    nm.affiliations = naff ? aff : NULL;
    nm.n_affiliations = naff;
    rc = citeconv_record_add_name(rec, &nm);
  }
  free(authors);
  if (rc == 0 && nauthors == 0 && etal_line) {
    rc = citeconv_pubmed_name_given_first(rec, etal_line->s, etal_at, NULL, 0,
                                          lpos(etal_line), NULL);
    citeconv_record_set_truncated(rec, CITECONV_VAR_AUTHOR, true);
  }
  if (rc == 0 && ab.len)
    rc = citeconv_record_set_text(rec, CITECONV_VAR_ABSTRACT, ab.data, ab.len,
                                  lpos(abs_at));
  citeconv_buf_free(&ab);
  citeconv_buf_free(&ref);
  if (rc < 0) {
    citeconv_record_free(rec);
    return rc;
  }
  if (!have_cit && !have_title && !any && nrefs == 0) {
    citeconv_record_free(rec);
    citeconv_reader_diag(&st->base, &start, CITECONV_D_PUBMED_PAGE_UNKNOWN,
                         "not a PubMed page saved as text: no citation "
                         "line, abstract or references found");
    return CITECONV_EPARSE;
  }
  /* The article goes first, in the slot kept for it. */
  if (st->want_article) {
    st->queue[0] = rec;
  } else {
    citeconv_record_free(rec);
    st->iq = 1;
  }
  if (!st->want_refs) {
    for (size_t i = 1; i < st->nq; i++)
      citeconv_record_free(st->queue[i]);
    st->nq = 1;
  }
  return 0;
}

static int pt_load(pt_reader *st)
{
  citeconv_session *s = st->base.session;
  size_t max = citeconv_session_option_size(s, "max-record-bytes");
  size_t maxline = citeconv_session_option_size(s, "max-line-bytes");
  citeconv_linebuf lb;
  citeconv_buf all = CITECONV_BUF_INIT;
  tline *L = NULL;
  size_t nl = 0, cap = 0;
  size_t *offs = NULL;
  int rc;
  citeconv_pos start = {1, 1};
  if ((rc = citeconv_session_references(s, &st->want_article,
                                        &st->want_refs)) < 0)
    return rc;
  citeconv_linebuf_init(&lb, maxline);
  while ((rc = citeconv_linebuf_next(&lb, st->base.in)) == 0) {
    size_t b = 0;
    if (lb.truncated) {
      citeconv_pos p = {(uint32_t)lb.lineno, 1};
      citeconv_reader_diag(&st->base, &p, CITECONV_D_LIMIT,
                           "line longer than max-line-bytes; cut");
    }
    if (all.len + lb.len > max) {
      citeconv_reader_diag(&st->base, &start, CITECONV_D_LIMIT,
                           "page larger than max-record-bytes (%zu bytes); "
                           "not read", max);
      rc = CITECONV_EPARSE;
      goto done;
    }
    if (nl == cap) {
      size_t nc = cap ? cap * 2 : 256;
      tline *t = realloc(L, nc * sizeof(*L));
      size_t *o;
      if (!t) {
        rc = CITECONV_ENOMEM;
        goto done;
      }
      L = t;
      o = realloc(offs, nc * sizeof(*offs));
      if (!o) {
        rc = CITECONV_ENOMEM;
        goto done;
      }
      offs = o;
      cap = nc;
    }
    /* Trim: leading white space (also no-break spaces), trailing. */
    while (b < lb.len && (lb.data[b] == ' ' || lb.data[b] == '\t' ||
                          (b + 1 < lb.len && (unsigned char)lb.data[b] == 0xC2
                           && (unsigned char)lb.data[b + 1] == 0xA0)))
      b += lb.data[b] == ' ' || lb.data[b] == '\t' ? 1 : 2;
    {
      size_t e = lb.len;
      while (e > b && (lb.data[e - 1] == ' ' || lb.data[e - 1] == '\t'))
        e--;
      offs[nl] = all.len;
      L[nl].lineno = (uint32_t)lb.lineno;
      L[nl].col = (uint32_t)b + 1;
      /* No-break spaces (browsers copy them from &nbsp;) become spaces. */
      for (size_t k = b; k < e && rc == 0; k++) {
        if ((unsigned char)lb.data[k] == 0xC2 && k + 1 < e &&
            (unsigned char)lb.data[k + 1] == 0xA0) {
          rc = citeconv_buf_addc(&all, ' ');
          k++;
        } else {
          rc = citeconv_buf_addc(&all, lb.data[k]);
        }
      }
      L[nl].n = all.len - offs[nl];
      if (rc < 0 || (rc = citeconv_buf_addc(&all, '\0')) < 0)
        goto done;
    }
    nl++;
  }
  if (rc != CITECONV_END)
    goto done;
  for (size_t i = 0; i < nl; i++)
    L[i].s = all.data + offs[i];
  rc = parse(st, L, nl);
done:
  citeconv_linebuf_free(&lb);
  citeconv_buf_free(&all);
  free(L);
  free(offs);
  return rc;
}

static int pt_next(citeconv_record **out, citeconv_reader *r)
{
  pt_reader *st = (pt_reader *)r;
  *out = NULL;
  if (!st->parsed) {
    st->parsed = true;
    st->status = pt_load(st);
    if (st->status < 0)
      return st->status;
  }
  if (st->iq < st->nq) {
    *out = st->queue[st->iq];
    st->queue[st->iq++] = NULL;
    r->nrecords++;
    return 0;
  }
  return CITECONV_END;
}

static void pt_close(citeconv_reader *r)
{
  pt_reader *st = (pt_reader *)r;
  if (!st)
    return;
  for (size_t i = st->iq; i < st->nq; i++)
    citeconv_record_free(st->queue[i]);
  free(st->queue);
  free(st);
}

static int pt_open(citeconv_reader **out, citeconv_session *s,
                   citeconv_input *in)
{
  pt_reader *st;
  int rc;
  *out = NULL;
  if ((rc = citeconv_charset_decode(in, s, NULL)) < 0)
    return rc;
  st = calloc(1, sizeof(*st));
  if (!st)
    return CITECONV_ENOMEM;
  citeconv_reader_init(&st->base, &citeconv_format_pubmed_text, s, in);
  *out = &st->base;
  return 0;
}

static int pt_detect(const unsigned char *head, size_t len)
{
  static const char *const marks[] = {
    "An official website of the United States government",
    "Skip to main page content", "PubMed Disclaimer", NULL};
  int score = 0;
  if (len && head[0] == '<')
    return 0;
  for (size_t k = 0; marks[k]; k++) {
    size_t L = strlen(marks[k]);
    for (size_t i = 0; i + L <= len; i++)
      if (memcmp(head + i, marks[k], L) == 0) {
        score += 30;
        break;
      }
  }
  return score > 90 ? 90 : score;
}

const citeconv_format citeconv_format_pubmed_text = {
  .name = "pubmed-text",
  .summary = "a PubMed article page saved or copied as text (read only)",
  .detect = pt_detect,
  .open = pt_open,
  .next = pt_next,
  .close = pt_close,
};
