/* The pubmed-html writer: a standalone HTML page in PubMed's article
 * layout, one block per article with its references as a numbered list,
 * and the citation_* meta tags of the first article. Only elements that
 * HTML 4 also has are used, so that HTML parsers of any age accept it. */
#include <stdlib.h>
#include <string.h>

#include "pubmed_page.h"
#include "text.h"

#define PREFIX "pubmed-html"

typedef struct {
  citeconv_writer base;
  citeconv_buf head;  /* <head> contents, written with the first article */
  citeconv_buf body;  /* the current article block, until its references */
  size_t narticles;
  size_t nrefs;       /* references in the open list */
  bool open;          /* an article block is open */
  bool started;       /* the page's head has been written */
} ph_writer;

/* ---- escaping into a buffer ---- */

static void esc(citeconv_buf *b, const char *s, size_t n)
{
  citeconv_text_xml_escape(b, s, n, true);
}

static void escs(citeconv_buf *b, const char *s)
{
  if (s)
    esc(b, s, strlen(s));
}

/* Rich text: the record's markup becomes HTML elements, the rest is
 * escaped. <span class="nocase"> and <sc> have no PubMed form and are
 * dropped (their text is kept). */
static void rich(citeconv_buf *b, const char *s)
{
  static const char *const keep[] = {"<i>", "</i>", "<b>", "</b>", "<sup>",
                                     "</sup>", "<sub>", "</sub>", NULL};
  static const char *const drop[] = {"<span class=\"nocase\">", "</span>",
                                     "<sc>", "</sc>", NULL};
  size_t n = s ? strlen(s) : 0, i = 0, b0 = 0;
  while (i < n) {
    bool hit = false;
    if (s[i] == '<') {
      for (size_t k = 0; keep[k] && !hit; k++) {
        size_t L = strlen(keep[k]);
        if (i + L <= n && memcmp(s + i, keep[k], L) == 0) {
          esc(b, s + b0, i - b0);
          citeconv_buf_add(b, keep[k], L);
          i += L;
          b0 = i;
          hit = true;
        }
      }
      for (size_t k = 0; drop[k] && !hit; k++) {
        size_t L = strlen(drop[k]);
        if (i + L <= n && memcmp(s + i, drop[k], L) == 0) {
          esc(b, s + b0, i - b0);
          i += L;
          b0 = i;
          hit = true;
        }
      }
    }
    if (!hit)
      i++;
  }
  esc(b, s + b0, n - b0);
}

/* Text without markup (for attributes and meta tags). */
static void plain(citeconv_buf *b, const char *s)
{
  citeconv_buf t = CITECONV_BUF_INIT;
  if (!s)
    return;
  if (citeconv_text_strip_markup(&t, s, strlen(s)) == 0 && t.data)
    esc(b, t.data, t.len);
  else
    escs(b, s);
  citeconv_buf_free(&t);
}

/* A URL query part: spaces as '+', reserved bytes percent-encoded. */
static void query(citeconv_buf *b, const char *s)
{
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == ' ')
      citeconv_buf_addc(b, '+');
    else if (c == '&' || c == '#' || c == '+' || c == '%' || c == '[' ||
             c == ']' || c == '"' || c == '<' || c == '>' || c == '\'' ||
             c < 0x20)
      citeconv_buf_printf(b, "%%%02X", c);
    else
      citeconv_buf_addc(b, (char)c);
  }
}

/* ---- dates and citation line ---- */

static void put_date(citeconv_buf *b, const citeconv_date *d)
{
  const char *m;
  citeconv_buf_printf(b, "%d", d->year);
  if (d->season && (m = citeconv_pubmed_season_name(d->season)) != NULL)
    citeconv_buf_printf(b, " %s", m);
  if (d->month && (m = citeconv_pubmed_month_abbr(d->month)) != NULL) {
    citeconv_buf_printf(b, " %s", m);
    if (d->day)
      citeconv_buf_printf(b, " %d", d->day);
  }
  if (d->end_year || d->end_month || d->end_season) {
    citeconv_buf_addc(b, '-');
    bool same_month = (!d->end_year || d->end_year == d->year) &&
                      d->end_month == d->month && d->end_day;
    if (d->end_year && d->end_year != d->year)
      citeconv_buf_printf(b, "%d ", d->end_year);
    /* "2001 Jan 5-12", "1998 Dec-1999 Jan", "2000 Spring-Summer" */
    if (same_month)
      citeconv_buf_printf(b, "%d", d->end_day);
    else {
      if (d->end_month && (m = citeconv_pubmed_month_abbr(d->end_month)))
        citeconv_buf_adds(b, m);
      else if (d->end_season &&
               (m = citeconv_pubmed_season_name(d->end_season)))
        citeconv_buf_adds(b, m);
      if (d->end_day)
        citeconv_buf_printf(b, " %d", d->end_day);
    }
  }
}

static void citation_line(citeconv_buf *b, const citeconv_record *rec)
{
  const citeconv_date *d = citeconv_record_date(rec, CITECONV_VAR_ISSUED);
  const char *vol = citeconv_record_text(rec, CITECONV_VAR_VOLUME);
  const char *iss = citeconv_record_text(rec, CITECONV_VAR_ISSUE);
  const char *pg = citeconv_record_text(rec, CITECONV_VAR_PAGE);
  const citeconv_date *ep =
      citeconv_record_date(rec, CITECONV_VAR_AVAILABLE_DATE);
  const char *status = citeconv_record_text(rec, CITECONV_VAR_STATUS);
  citeconv_buf t = CITECONV_BUF_INIT;
  if (d && d->year)
    put_date(&t, d);
  if (vol || iss) {
    citeconv_buf_addc(&t, ';');
    if (vol)
      citeconv_buf_adds(&t, vol);
    if (iss)
      citeconv_buf_printf(&t, "(%s)", iss);
  }
  if (pg)
    citeconv_buf_printf(&t, ":%s", pg);
  if (t.len)
    citeconv_buf_addc(&t, '.');
  if (ep && ep->year) {
    citeconv_buf_adds(&t, t.len ? " Epub " : "Epub ");
    put_date(&t, ep);
    citeconv_buf_addc(&t, '.');
  }
  for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    if (strcmp(e->name, PREFIX ":ecollection") == 0)
      citeconv_buf_printf(&t, "%seCollection %s.", t.len ? " " : "",
                          e->value);
    else if (strcmp(e->name, PREFIX ":citation-note") == 0)
      citeconv_buf_printf(&t, "%s%s.", t.len ? " " : "", e->value);
  }
  if (status)
    citeconv_buf_printf(&t, "%s%s.", t.len ? " " : "", status);
  if (t.data)
    esc(b, t.data, t.len);
  citeconv_buf_free(&t);
}

/* A reference as Vancouver text, for records that did not come from a
 * page (which keep their original string). */
static void vancouver(citeconv_buf *b, const citeconv_record *rec)
{
  size_t n = citeconv_record_name_count(rec), k = 0;
  const char *title = citeconv_record_text(rec, CITECONV_VAR_TITLE);
  const char *ct = citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE);
  const char *vol = citeconv_record_text(rec, CITECONV_VAR_VOLUME);
  const char *iss = citeconv_record_text(rec, CITECONV_VAR_ISSUE);
  const char *pg = citeconv_record_text(rec, CITECONV_VAR_PAGE);
  const citeconv_date *d = citeconv_record_date(rec, CITECONV_VAR_ISSUED);
  citeconv_buf t = CITECONV_BUF_INIT;
  for (size_t i = 0; i < n; i++) {
    const citeconv_name *nm = citeconv_record_name_at(rec, i);
    if (nm->role != CITECONV_VAR_AUTHOR)
      continue;
    if (k++)
      citeconv_buf_adds(&t, ", ");
    if (nm->literal) {
      citeconv_buf_adds(&t, nm->literal);
      continue;
    }
    if (nm->non_dropping_particle)
      citeconv_buf_printf(&t, "%s ", nm->non_dropping_particle);
    citeconv_buf_adds(&t, nm->family ? nm->family : "");
    if (nm->given) {
      citeconv_buf_addc(&t, ' ');
      for (const char *g = nm->given; *g; g++)
        if ((g == nm->given || g[-1] == ' ' || g[-1] == '-' ||
             g[-1] == '.') && *g != ' ' && *g != '.' && *g != '-')
          citeconv_buf_addc(&t, *g);
    }
  }
  if (citeconv_record_truncated(rec, CITECONV_VAR_AUTHOR))
    citeconv_buf_adds(&t, k ? ", et al" : "et al");
  if (k || citeconv_record_truncated(rec, CITECONV_VAR_AUTHOR))
    citeconv_buf_adds(&t, ". ");
  if (title) {
    citeconv_text_strip_markup(&t, title, strlen(title));
    if (t.len && !strchr(".?!", t.data[t.len - 1]))
      citeconv_buf_addc(&t, '.');
    citeconv_buf_addc(&t, ' ');
  }
  if (ct)
    citeconv_buf_printf(&t, "%s. ", ct);
  if (d && d->year) {
    const char *m = citeconv_pubmed_month_abbr(d->month);
    citeconv_buf_printf(&t, "%d", d->year);
    if (m)
      citeconv_buf_printf(&t, " %s", m);
  }
  if (vol || iss) {
    citeconv_buf_addc(&t, ';');
    if (vol)
      citeconv_buf_adds(&t, vol);
    if (iss)
      citeconv_buf_printf(&t, "(%s)", iss);
  }
  if (pg)
    citeconv_buf_printf(&t, ":%s", pg);
  if (t.data) {
    while (t.len && t.data[t.len - 1] == ' ')
      t.len--;
    if (t.len && t.data[t.len - 1] != '.')
      citeconv_buf_addc(&t, '.');
    esc(b, t.data, t.len);
  }
  citeconv_buf_free(&t);
}

/* ---- the page ---- */

static bool is_reference(const citeconv_record *rec)
{
  return citeconv_record_extra(rec, "citing-pmid") ||
         citeconv_record_extra(rec, "citing-pmcid") ||
         citeconv_record_extra(rec, PREFIX ":reference");
}

static void meta_tag(citeconv_buf *b, const char *name, const char *value)
{
  if (!value || !*value)
    return;
  citeconv_buf_printf(b, "<meta name=\"%s\" content=\"", name);
  plain(b, value);
  citeconv_buf_adds(b, "\">\n");
}

static void head_for(ph_writer *pw, const citeconv_record *rec)
{
  citeconv_buf *b = &pw->head;
  const citeconv_date *d = citeconv_record_date(rec, CITECONV_VAR_ISSUED);
  const char *title = citeconv_record_text(rec, CITECONV_VAR_TITLE);
  citeconv_buf_adds(b, "<title>");
  if (title)
    plain(b, title);
  else
    citeconv_buf_adds(b, "PubMed");
  citeconv_buf_adds(b, "</title>\n");
  meta_tag(b, "citation_title", title);
  for (size_t i = 0; i < citeconv_record_name_count(rec); i++) {
    const citeconv_name *nm = citeconv_record_name_at(rec, i);
    citeconv_buf full = CITECONV_BUF_INIT;
    if (nm->role != CITECONV_VAR_AUTHOR)
      continue;
    if (nm->literal)
      citeconv_buf_adds(&full, nm->literal);
    else {
      if (nm->given)
        citeconv_buf_printf(&full, "%s ", nm->given);
      if (nm->non_dropping_particle)
        citeconv_buf_printf(&full, "%s ", nm->non_dropping_particle);
      citeconv_buf_adds(&full, nm->family ? nm->family : "");
    }
    meta_tag(b, "citation_author", full.data);
    for (size_t k = 0; k < nm->n_affiliations; k++)
      meta_tag(b, "citation_author_institution", nm->affiliations[k]);
    citeconv_buf_free(&full);
  }
  meta_tag(b, "citation_journal_title",
           citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE));
  meta_tag(b, "citation_journal_abbrev",
           citeconv_record_text(rec, CITECONV_VAR_JOURNAL_ABBREVIATION));
  if (d && d->year) {
    char date[32];
    if (d->month && d->day)
      snprintf(date, sizeof(date), "%04d/%02d/%02d", d->year, d->month,
               d->day);
    else if (d->month)
      snprintf(date, sizeof(date), "%04d/%02d", d->year, d->month);
    else
      snprintf(date, sizeof(date), "%04d", d->year);
    meta_tag(b, "citation_publication_date", date);
  }
  meta_tag(b, "citation_volume",
           citeconv_record_text(rec, CITECONV_VAR_VOLUME));
  meta_tag(b, "citation_issue", citeconv_record_text(rec, CITECONV_VAR_ISSUE));
  {
    const char *pg = citeconv_record_text(rec, CITECONV_VAR_PAGE);
    if (pg) {
      const char *dash = strchr(pg, '-');
      char first[64];
      size_t n = dash ? (size_t)(dash - pg) : strlen(pg);
      if (n >= sizeof(first))
        n = sizeof(first) - 1;
      memcpy(first, pg, n);
      first[n] = '\0';
      meta_tag(b, "citation_firstpage", first);
    }
  }
  meta_tag(b, "citation_doi", citeconv_record_text(rec, CITECONV_VAR_DOI));
  meta_tag(b, "citation_pmid", citeconv_record_text(rec, CITECONV_VAR_PMID));
  meta_tag(b, "citation_issn", citeconv_record_text(rec, CITECONV_VAR_ISSN));
  meta_tag(b, "citation_publisher",
           citeconv_record_text(rec, CITECONV_VAR_PUBLISHER));
  meta_tag(b, "citation_language",
           citeconv_record_text(rec, CITECONV_VAR_LANGUAGE));
}

static void flush_page_head(ph_writer *pw)
{
  citeconv_output *o = pw->base.out;
  if (pw->started)
    return;
  pw->started = true;
  citeconv_out_puts(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                       "<meta charset=\"utf-8\">\n");
  if (pw->head.len)
    citeconv_out_write(o, pw->head.data, pw->head.len);
  else
    citeconv_out_puts(o, "<title>PubMed</title>\n");
  citeconv_out_puts(o, "</head>\n<body>\n<div class=\"page\">\n");
}

static void close_article(ph_writer *pw)
{
  citeconv_buf *b = &pw->body;
  if (!pw->open)
    return;
  if (pw->nrefs)
    citeconv_buf_adds(b, "</ol>\n</div>\n");
  citeconv_buf_adds(b, "</div>\n");
  flush_page_head(pw);
  citeconv_out_write(pw->base.out, b->data, b->len);
  citeconv_buf_clear(b);
  pw->open = false;
  pw->nrefs = 0;
}

/* "-2", "-3"... for the ids of the second and later articles. */
static void suffix(citeconv_buf *b, const ph_writer *pw)
{
  if (pw->narticles > 1)
    citeconv_buf_printf(b, "-%zu", pw->narticles);
}

static void keyword_list(citeconv_buf *b, const ph_writer *pw,
                         const citeconv_record *rec, const char *id,
                         const char *heading, const char *extra_name)
{
  bool any = false;
  for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    if (strcmp(e->name, extra_name) != 0)
      continue;
    if (!any) {
      citeconv_buf_printf(b, "<div class=\"%s keywords-section\" id=\"%s",
                          id, id);
      suffix(b, pw);
      citeconv_buf_printf(b, "\">\n<h2 class=\"title\">%s</h2>\n"
                             "<ul class=\"keywords-list\">\n", heading);
      any = true;
    }
    citeconv_buf_adds(b, "<li><button class=\"keyword-actions-trigger "
                         "trigger keyword-link\" type=\"button\">");
    escs(b, e->value);
    citeconv_buf_adds(b, "</button></li>\n");
  }
  if (any)
    citeconv_buf_adds(b, "</ul>\n</div>\n");
}

static void initials_of(citeconv_buf *b, const char *given)
{
  for (const char *g = given; g && *g; g++)
    if ((g == given || g[-1] == ' ' || g[-1] == '-' || g[-1] == '.') &&
        *g != ' ' && *g != '.' && *g != '-') {
      /* The first byte of a letter; UTF-8 letters keep all their bytes. */
      unsigned char c = (unsigned char)*g;
      if (c >= 'a' && c <= 'z')
        citeconv_buf_addc(b, (char)(c - 32));
      else if (c < 0x80)
        citeconv_buf_addc(b, (char)c);
    }
}

static int write_article(ph_writer *pw, const citeconv_record *rec)
{
  citeconv_buf *b = &pw->body;
  const char *title = citeconv_record_text(rec, CITECONV_VAR_TITLE);
  const char *ct = citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE);
  const char *abbr = citeconv_record_text(rec, CITECONV_VAR_JOURNAL_ABBREVIATION);
  const char *pmid = citeconv_record_text(rec, CITECONV_VAR_PMID);
  const char *pmcid = citeconv_record_text(rec, CITECONV_VAR_PMCID);
  const char *doi = citeconv_record_text(rec, CITECONV_VAR_DOI);
  const char *abs = citeconv_record_text(rec, CITECONV_VAR_ABSTRACT);
  const char *affs[256];
  size_t naffs = 0, nnames = citeconv_record_name_count(rec);
  bool any_kw = false, any_pt = false;

  close_article(pw);
  pw->narticles++;
  if (pw->narticles == 1)
    head_for(pw, rec);
  pw->open = true;
  citeconv_buf_adds(b, "<div class=\"article-details\" id=\"article-details");
  suffix(b, pw);
  citeconv_buf_adds(b, "\">\n<div class=\"heading\">\n<div class=\"full-view\" "
                       "id=\"full-view-heading");
  suffix(b, pw);
  citeconv_buf_adds(b, "\">\n<div class=\"article-citation\">\n"
                       "<div class=\"article-source\">");
  if (ct || abbr) {
    citeconv_buf_adds(b, "<div class=\"journal-actions dropdown-block\">"
                         "<button class=\"journal-actions-trigger trigger\" "
                         "type=\"button\"");
    if (ct) {
      citeconv_buf_adds(b, " title=\"");
      plain(b, ct);
      citeconv_buf_addc(b, '"');
    }
    citeconv_buf_addc(b, '>');
    plain(b, abbr ? abbr : ct);
    citeconv_buf_adds(b, "</button></div><span class=\"period\">. </span>");
  }
  citeconv_buf_adds(b, "<span class=\"cit\">");
  citation_line(b, rec);
  citeconv_buf_adds(b, "</span></div>\n");
  if (doi) {
    citeconv_buf_adds(b, "<span class=\"citation-doi\">doi: ");
    escs(b, doi);
    citeconv_buf_adds(b, ".</span>\n");
  }
  citeconv_buf_adds(b, "</div>\n<h1 class=\"heading-title\">");
  if (title)
    rich(b, title);
  citeconv_buf_adds(b, "</h1>\n");
  /* Authors, with their affiliations numbered in order of appearance. */
  citeconv_buf_adds(b, "<div class=\"inline-authors\"><div class=\"authors\">"
                       "<div class=\"authors-list\">\n");
  for (size_t i = 0, k = 0; i < nnames; i++) {
    const citeconv_name *nm = citeconv_record_name_at(rec, i);
    if (nm->role != CITECONV_VAR_AUTHOR)
      continue;
    citeconv_buf_adds(b, "<span class=\"authors-list-item\">");
    if (nm->literal) {
      citeconv_buf_adds(b, "<span class=\"collective-name\">");
      escs(b, nm->literal);
      citeconv_buf_adds(b, "</span>");
    } else {
      citeconv_buf full = CITECONV_BUF_INIT, term = CITECONV_BUF_INIT;
      if (nm->given)
        citeconv_buf_printf(&full, "%s ", nm->given);
      if (nm->non_dropping_particle)
        citeconv_buf_printf(&full, "%s ", nm->non_dropping_particle);
      citeconv_buf_adds(&full, nm->family ? nm->family : "");
      if (nm->non_dropping_particle)
        citeconv_buf_printf(&term, "%s ", nm->non_dropping_particle);
      citeconv_buf_adds(&term, nm->family ? nm->family : "");
      if (nm->given && *nm->given) {
        citeconv_buf_addc(&term, ' ');
        initials_of(&term, nm->given);
      }
      citeconv_buf_adds(b, "<a class=\"full-name\" href=\"/?term=");
      {
        citeconv_buf q = CITECONV_BUF_INIT;
        query(&q, term.data);
        if (q.data)
          esc(b, q.data, q.len);
        citeconv_buf_free(&q);
      }
      if (pmid) {
        citeconv_buf_adds(b, "&amp;cauthor_id=");
        escs(b, pmid);
      }
      citeconv_buf_adds(b, "\" data-ga-label=\"");
      escs(b, full.data);
      citeconv_buf_adds(b, "\">");
      escs(b, full.data);
      citeconv_buf_adds(b, "</a>");
      citeconv_buf_free(&full);
      citeconv_buf_free(&term);
    }
    if (nm->n_affiliations) {
      citeconv_buf_adds(b, "<sup class=\"affiliation-links\">");
      for (size_t a = 0; a < nm->n_affiliations; a++) {
        size_t num = 0;
        for (size_t x = 0; x < naffs; x++)
          if (strcmp(affs[x], nm->affiliations[a]) == 0)
            num = x + 1;
        if (!num && naffs < 256) {
          affs[naffs++] = nm->affiliations[a];
          num = naffs;
        }
        if (!num)
          continue;
        citeconv_buf_printf(b, "%s<a class=\"affiliation-link\" "
                               "href=\"#affiliation-%zu",
                            a ? " " : " ", num);
        suffix(b, pw);
        citeconv_buf_adds(b, "\" title=\"");
        escs(b, nm->affiliations[a]);
        citeconv_buf_printf(b, "\">%zu</a>", num);
      }
      citeconv_buf_adds(b, "</sup>");
    }
    if (++k < citeconv_record_role_count(rec, CITECONV_VAR_AUTHOR))
      citeconv_buf_adds(b, "<span class=\"comma\">, </span>");
    citeconv_buf_adds(b, "</span>\n");
  }
  citeconv_buf_adds(b, "</div></div></div>\n");
  if (naffs) {
    citeconv_buf_adds(b, "<div class=\"affiliations\"><h2 class=\"title\">"
                         "Affiliations</h2>\n<ul class=\"item-list\">\n");
    for (size_t x = 0; x < naffs; x++) {
      citeconv_buf_printf(b, "<li data-affiliation-id=\"affiliation-%zu",
                          x + 1);
      suffix(b, pw);
      citeconv_buf_printf(b, "\"><sup class=\"key\">%zu</sup>", x + 1);
      escs(b, affs[x]);
      citeconv_buf_adds(b, "</li>\n");
    }
    citeconv_buf_adds(b, "</ul></div>\n");
  }
  citeconv_buf_adds(b, "<ul class=\"identifiers\" id=\"full-view-identifiers");
  suffix(b, pw);
  citeconv_buf_adds(b, "\">\n");
  if (pmid) {
    citeconv_buf_adds(b, "<li><span class=\"identifier pubmed\"><span "
                         "class=\"id-label\">PMID: </span><strong "
                         "class=\"current-id\">");
    escs(b, pmid);
    citeconv_buf_adds(b, "</strong></span></li>\n");
  }
  if (pmcid) {
    citeconv_buf_adds(b, "<li><span class=\"identifier pmc\"><span "
                         "class=\"id-label\">PMCID: </span><a class=\"id-link\" "
                         "data-ga-action=\"PMCID\" href=\"https://www.ncbi.nlm"
                         ".nih.gov/pmc/articles/");
    escs(b, pmcid);
    citeconv_buf_adds(b, "/\">");
    escs(b, pmcid);
    citeconv_buf_adds(b, "</a></span></li>\n");
  }
  if (doi) {
    citeconv_buf_adds(b, "<li><span class=\"identifier doi\"><span "
                         "class=\"id-label\">DOI: </span><a class=\"id-link\" "
                         "data-ga-action=\"DOI\" href=\"https://doi.org/");
    {
      citeconv_buf q = CITECONV_BUF_INIT;
      query(&q, doi);
      if (q.data)
        esc(b, q.data, q.len);
      citeconv_buf_free(&q);
    }
    citeconv_buf_adds(b, "\">");
    escs(b, doi);
    citeconv_buf_adds(b, "</a></span></li>\n");
  }
  citeconv_buf_adds(b, "</ul>\n</div>\n</div>\n");
  /* Abstract: one paragraph per line, then the keywords. */
  for (size_t i = 0; i < citeconv_record_field_count(rec); i++)
    if (citeconv_record_field_at(rec, i)->var == CITECONV_VAR_KEYWORD)
      any_kw = true;
  if (abs || any_kw) {
    citeconv_buf_adds(b, "<div class=\"abstract\" id=\"abstract");
    suffix(b, pw);
    citeconv_buf_adds(b, "\">\n<h2 class=\"title\">Abstract</h2>\n"
                         "<div class=\"abstract-content selected\">\n");
    for (const char *p = abs; p && *p;) {
      const char *e = strchr(p, '\n');
      size_t n = e ? (size_t)(e - p) : strlen(p);
      if (n) {
        char *line = malloc(n + 1);
        if (!line)
          return CITECONV_ENOMEM;
        memcpy(line, p, n);
        line[n] = '\0';
        citeconv_buf_adds(b, "<p>");
        rich(b, line);
        citeconv_buf_adds(b, "</p>\n");
        free(line);
      }
      p = e ? e + 1 : p + n;
    }
    if (any_kw) {
      size_t k = 0;
      citeconv_buf_adds(b, "<p><strong class=\"sub-title\">Keywords: "
                           "</strong>");
      for (size_t i = 0; i < citeconv_record_field_count(rec); i++) {
        const citeconv_field *f = citeconv_record_field_at(rec, i);
        if (f->var != CITECONV_VAR_KEYWORD)
          continue;
        if (k++)
          citeconv_buf_adds(b, "; ");
        rich(b, f->value);
      }
      citeconv_buf_adds(b, ".</p>\n");
    }
    citeconv_buf_adds(b, "</div>\n</div>\n");
  }
  {
    const char *snip = citeconv_record_extra(rec, PREFIX ":snippet");
    if (snip) {
      citeconv_buf_adds(b, "<div class=\"docsum-snippet\"><div "
                           "class=\"full-view-snippet\">");
      rich(b, snip);
      citeconv_buf_adds(b, "</div></div>\n");
    }
  }
  any_pt = citeconv_record_extra(rec, PREFIX ":publication-type") != NULL;
  if (any_pt)
    keyword_list(b, pw, rec, "publication-types", "Publication types",
                 PREFIX ":publication-type");
  else if (citeconv_record_text(rec, CITECONV_VAR_GENRE)) {
    citeconv_buf_adds(b, "<div class=\"publication-types keywords-section\" "
                         "id=\"publication-types");
    suffix(b, pw);
    citeconv_buf_adds(b, "\">\n<h2 class=\"title\">Publication types</h2>\n"
                         "<ul class=\"keywords-list\">\n<li><button "
                         "class=\"keyword-actions-trigger trigger "
                         "keyword-link\" type=\"button\">");
    escs(b, citeconv_record_text(rec, CITECONV_VAR_GENRE));
    citeconv_buf_adds(b, "</button></li>\n</ul>\n</div>\n");
  }
  keyword_list(b, pw, rec, "mesh-terms", "MeSH terms", PREFIX ":mesh");
  return 0;
}

static void not_carried(ph_writer *pw, const citeconv_record *rec,
                        bool reference)
{
  static const citeconv_var carried_article[] = {
    CITECONV_VAR_TITLE, CITECONV_VAR_CONTAINER_TITLE,
    CITECONV_VAR_JOURNAL_ABBREVIATION, CITECONV_VAR_VOLUME,
    CITECONV_VAR_ISSUE, CITECONV_VAR_PAGE, CITECONV_VAR_DOI,
    CITECONV_VAR_PMID, CITECONV_VAR_PMCID, CITECONV_VAR_ABSTRACT,
    CITECONV_VAR_KEYWORD, CITECONV_VAR_GENRE, CITECONV_VAR_STATUS,
    CITECONV_VAR_ISSN, CITECONV_VAR_PUBLISHER, CITECONV_VAR_LANGUAGE,
    CITECONV_VAR__COUNT};
  static const citeconv_var carried_ref[] = {
    CITECONV_VAR_DOI, CITECONV_VAR_PMID, CITECONV_VAR_PMCID,
    CITECONV_VAR_CITATION_NUMBER, CITECONV_VAR_TITLE,
    CITECONV_VAR_CONTAINER_TITLE, CITECONV_VAR_VOLUME, CITECONV_VAR_ISSUE,
    CITECONV_VAR_PAGE, CITECONV_VAR__COUNT};
  const citeconv_var *ok = reference ? carried_ref : carried_article;
  bool from_page = citeconv_record_extra(rec, PREFIX ":reference") != NULL;
  /* ISSN, publisher and language go into the page's meta tags, which are
   * the first article's only. */
  bool head = !reference && pw->narticles == 0;
  if (reference && from_page)
    return; /* the original string carries everything it had */
  for (size_t i = 0; i < citeconv_record_field_count(rec); i++) {
    const citeconv_field *f = citeconv_record_field_at(rec, i);
    bool found = false;
    for (size_t k = 0; ok[k] != CITECONV_VAR__COUNT; k++)
      if (ok[k] == f->var)
        found = true;
    if (!head && (f->var == CITECONV_VAR_ISSN ||
                  f->var == CITECONV_VAR_PUBLISHER ||
                  f->var == CITECONV_VAR_LANGUAGE))
      found = false;
    if (!found) {
      char what[96];
      snprintf(what, sizeof(what), "the '%s' field",
               citeconv_var_name(f->var));
      citeconv_writer_not_carried(&pw->base, rec, what);
    }
  }
  for (size_t i = 0; i < citeconv_record_name_count(rec); i++) {
    const citeconv_name *nm = citeconv_record_name_at(rec, i);
    if (nm->role != CITECONV_VAR_AUTHOR) {
      char what[96];
      snprintf(what, sizeof(what), "the '%s' names",
               citeconv_var_name(nm->role));
      citeconv_writer_not_carried(&pw->base, rec, what);
    } else if (nm->suffix || nm->orcid || nm->dropping_particle) {
      citeconv_writer_not_carried(&pw->base, rec,
                                  "the suffixes, ORCIDs and dropping "
                                  "particles of 'author' names");
    }
  }
  /* Only the date of issue has a place on the page. */
  for (int v = 0; v < CITECONV_VAR__COUNT; v++) {
    if (v != CITECONV_VAR_ISSUED &&
        citeconv_var_kind_of((citeconv_var)v) == CITECONV_KIND_DATE &&
        citeconv_record_date(rec, (citeconv_var)v)) {
      char what[96];
      snprintf(what, sizeof(what), "the '%s' date",
               citeconv_var_name((citeconv_var)v));
      citeconv_writer_not_carried(&pw->base, rec, what);
    }
  }
  for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    if (strncmp(e->name, PREFIX ":", strlen(PREFIX ":")) != 0 &&
        strcmp(e->name, "citing-pmid") != 0 &&
        strcmp(e->name, "citing-pmcid") != 0) {
      char what[160];
      snprintf(what, sizeof(what), "the extra field '%.100s'", e->name);
      citeconv_writer_not_carried(&pw->base, rec, what);
    }
  }
  if (!reference && citeconv_record_type(rec) != CITECONV_TYPE_ARTICLE_JOURNAL)
    citeconv_writer_not_carried(&pw->base, rec, "the item type");
  /* Case protection and small capitals have no PubMed form. */
  for (size_t i = 0; i < citeconv_record_field_count(rec); i++) {
    const citeconv_field *f = citeconv_record_field_at(rec, i);
    if (strstr(f->value, "<span class=\"nocase\">") ||
        strstr(f->value, "<sc>")) {
      citeconv_writer_not_carried(&pw->base, rec,
                                  "case-protection and small-caps markup");
      break;
    }
  }
}

static int write_reference(ph_writer *pw, const citeconv_record *rec)
{
  citeconv_buf *b = &pw->body;
  const char *text = citeconv_record_extra(rec, PREFIX ":reference");
  const char *doi = citeconv_record_text(rec, CITECONV_VAR_DOI);
  const char *pmid = citeconv_record_text(rec, CITECONV_VAR_PMID);
  const char *pmcid = citeconv_record_text(rec, CITECONV_VAR_PMCID);
  if (!pw->open) {
    /* References with no article before them: a heading that names the
     * citing article only. */
    const char *citing = citeconv_record_extra(rec, "citing-pmid");
    pw->narticles++;
    pw->open = true;
    citeconv_buf_adds(b, "<div class=\"article-details\" "
                         "id=\"article-details");
    suffix(b, pw);
    citeconv_buf_adds(b, "\">\n<div class=\"heading\"><div class=\"full-view\" "
                         "id=\"full-view-heading");
    suffix(b, pw);
    citeconv_buf_adds(b, "\"><h1 class=\"heading-title\"></h1>\n");
    citeconv_buf_adds(b, "<ul class=\"identifiers\">");
    if (citing) {
      citeconv_buf_adds(b, "<li><span class=\"identifier pubmed\">"
                           "<strong class=\"current-id\">");
      escs(b, citing);
      citeconv_buf_adds(b, "</strong></span></li>");
    }
    citeconv_buf_adds(b, "</ul></div></div>\n");
  }
  if (pw->nrefs++ == 0) {
    citeconv_buf_adds(b, "<div class=\"references\" id=\"references");
    suffix(b, pw);
    citeconv_buf_adds(b, "\">\n<h2 class=\"title\">References</h2>\n"
                         "<ol class=\"references-list\" "
                         "id=\"full-references-list");
    if (pw->narticles > 1)
      citeconv_buf_printf(b, "-%zu", pw->narticles);
    else
      citeconv_buf_adds(b, "-1");
    citeconv_buf_adds(b, "\">\n");
  }
  citeconv_buf_adds(b, "<li>");
  if (text)
    escs(b, text);
  else
    vancouver(b, rec);
  if (doi || pmid || pmcid) {
    citeconv_buf_adds(b, "\n<ul class=\"reference-links\">");
    if (doi) {
      citeconv_buf q = CITECONV_BUF_INIT;
      query(&q, doi);
      citeconv_buf_adds(b, "<li><a class=\"reference-link\" "
                           "data-ga-action=\"DOI\" href=\"https://doi.org/");
      if (q.data)
        esc(b, q.data, q.len);
      citeconv_buf_adds(b, "\">DOI</a></li>");
      citeconv_buf_free(&q);
    }
    if (pmid) {
      citeconv_buf_adds(b, "<li><a class=\"reference-link\" "
                           "data-ga-action=\"PubMed\" href=\"https://pubmed"
                           ".ncbi.nlm.nih.gov/");
      escs(b, pmid);
      citeconv_buf_adds(b, "/\">PubMed</a></li>");
    }
    if (pmcid) {
      citeconv_buf_adds(b, "<li><a class=\"reference-link\" "
                           "data-ga-action=\"PMC\" href=\"https://www.ncbi.nlm"
                           ".nih.gov/pmc/articles/");
      escs(b, pmcid);
      citeconv_buf_adds(b, "/\">PMC</a></li>");
    }
    citeconv_buf_adds(b, "</ul>");
  }
  citeconv_buf_adds(b, "</li>\n");
  return 0;
}

int citeconv_pubmed_html_record(citeconv_writer *w, const citeconv_record *rec)
{
  ph_writer *pw = (ph_writer *)w;
  bool ref = is_reference(rec);
  int rc;
  not_carried(pw, rec, ref);
  rc = ref ? write_reference(pw, rec) : write_article(pw, rec);
  if (rc < 0)
    return rc;
  if (pw->body.overflow || pw->head.overflow)
    return CITECONV_ENOMEM;
  /* Keep memory flat: an article block with a long list goes out as it
   * grows once the page's head is known. */
  if (pw->started && pw->body.len > 65536) {
    citeconv_out_write(w->out, pw->body.data, pw->body.len);
    citeconv_buf_clear(&pw->body);
  } else if (!pw->started && pw->narticles >= 1 && pw->body.len > 65536) {
    flush_page_head(pw);
    citeconv_out_write(w->out, pw->body.data, pw->body.len);
    citeconv_buf_clear(&pw->body);
  }
  return w->out->error ? CITECONV_EIO : 0;
}

int citeconv_pubmed_html_begin(citeconv_writer **out, citeconv_session *s,
                               citeconv_output *o)
{
  ph_writer *pw = calloc(1, sizeof(*pw));
  *out = NULL;
  if (!pw)
    return CITECONV_ENOMEM;
  citeconv_writer_init(&pw->base, &citeconv_format_pubmed_html, s, o);
  *out = &pw->base;
  return 0;
}

int citeconv_pubmed_html_end(citeconv_writer *w)
{
  ph_writer *pw = (ph_writer *)w;
  close_article(pw);
  flush_page_head(pw);
  citeconv_out_puts(w->out, "</div>\n</body>\n</html>\n");
  return citeconv_out_flush(w->out);
}

void citeconv_pubmed_html_free(citeconv_writer *w)
{
  ph_writer *pw = (ph_writer *)w;
  if (!pw)
    return;
  citeconv_buf_free(&pw->head);
  citeconv_buf_free(&pw->body);
  free(pw);
}
