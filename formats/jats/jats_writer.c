/* JATS writer: a <ref-list> of <element-citation>s, or (jats-article=yes)
 * a minimal JATS 1.3 Archiving <article> whose <front> holds the first
 * record when it is an article and whose <back> holds the references. */
#include <stdlib.h>
#include <string.h>

#include "jats.h"
#include "nlmdate.h"

typedef struct {
  citeconv_writer base;
  bool article_mode;
  bool front_done; /* article mode: <front> written, <back> open */
  bool refs_open;  /* <ref-list> open */
  size_t nref;
  /* What the current record's output used, for not-carried reports. */
  bool used[CITECONV_VAR__COUNT];
  const citeconv_record *rec;
} jats_writer;

/* ---- output helpers ---- */

static void esc(jats_writer *st, const char *s)
{
  citeconv_out_xml_text(st->base.out, s, strlen(s));
}

/* Record markup to JATS: <i> italic, <b> bold, <sup>, <sub>, <sc>;
 * <span class="nocase"> keeps its text; anything else is escaped text.
 * Tags are balanced: an unmatched closing tag is text, open ones are
 * closed at the end. */
static void markup(jats_writer *st, const char *s)
{
  static const struct {
    const char *rec, *jats;
  } tags[] = {{"i", "italic"}, {"b", "bold"}, {"sup", "sup"},
              {"sub", "sub"},  {"sc", "sc"},  {"span class=\"nocase\"", ""}};
  int stack[16];
  size_t depth = 0;
  citeconv_output *o = st->base.out;
  const char *text = s;
  while (*s) {
    bool done = false;
    if (*s == '<') {
      bool closing = s[1] == '/';
      const char *t = s + 1 + closing;
      for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]) && !done; i++) {
        const char *want = closing && i == 5 ? "span" : tags[i].rec;
        size_t n = strlen(want);
        if (strncmp(t, want, n) != 0 || t[n] != '>')
          continue;
        if (closing && (depth == 0 || stack[depth - 1] != (int)i))
          break;
        if (!closing && depth == sizeof(stack) / sizeof(stack[0]))
          break;
        citeconv_out_xml_text(o, text, (size_t)(s - text));
        if (closing) {
          depth--;
          if (*tags[i].jats)
            citeconv_out_xml_tag(o, tags[i].jats, true);
        } else {
          stack[depth++] = (int)i;
          if (*tags[i].jats)
            citeconv_out_xml_tag(o, tags[i].jats, false);
        }
        s = t + n + 1;
        text = s;
        done = true;
      }
    }
    if (!done)
      s++;
  }
  citeconv_out_xml_text(o, text, (size_t)(s - text));
  while (depth > 0) {
    int i = stack[--depth];
    if (*tags[i].jats)
      citeconv_out_xml_tag(o, tags[i].jats, true);
  }
}

/* Text with the record's markup removed (for elements that take none). */
static void plain(jats_writer *st, const char *s)
{
  const char *p = s;
  while (*p) {
    if (*p == '<') {
      const char *e = p + 1 + (p[1] == '/');
      if ((strncmp(e, "i>", 2) == 0 || strncmp(e, "b>", 2) == 0 ||
           strncmp(e, "sup>", 4) == 0 || strncmp(e, "sub>", 4) == 0 ||
           strncmp(e, "sc>", 3) == 0 || strncmp(e, "span", 4) == 0) &&
          strchr(e, '>')) {
        citeconv_out_xml_text(st->base.out, s, (size_t)(p - s));
        p = strchr(e, '>') + 1;
        s = p;
        continue;
      }
    }
    p++;
  }
  citeconv_out_xml_text(st->base.out, s, (size_t)(p - s));
}

/* <el>value</el> for every value of `var`; `rich` keeps markup. */
static void element(jats_writer *st, const char *el, citeconv_var var,
                    bool rich, bool all)
{
  const citeconv_record *rec = st->rec;
  size_t n = citeconv_record_field_count(rec);
  for (size_t i = 0; i < n; i++) {
    const citeconv_field *f = citeconv_record_field_at(rec, i);
    if (f->var != var)
      continue;
    citeconv_out_xml_tag(st->base.out, el, false);
    if (rich)
      markup(st, f->value);
    else
      plain(st, f->value);
    citeconv_out_xml_tag(st->base.out, el, true);
    st->used[var] = true;
    if (!all)
      break;
  }
}

static const char *text(jats_writer *st, citeconv_var var)
{
  return citeconv_record_text(st->rec, var);
}

static const char *extra(jats_writer *st, const char *name)
{
  return citeconv_record_extra(st->rec, name);
}

/* ---- names and dates ---- */

static void name_el(jats_writer *st, const citeconv_name *nm)
{
  citeconv_output *o = st->base.out;
  if (nm->literal) {
    citeconv_out_puts(o, "<collab>");
    markup(st, nm->literal);
    citeconv_out_puts(o, "</collab>");
    return;
  }
  if (!nm->family) {
    citeconv_out_puts(o, "<name name-style=\"given-only\"><given-names>");
    plain(st, nm->given ? nm->given : "");
    citeconv_out_puts(o, "</given-names>");
  } else {
    citeconv_out_printf(o, "<name%s><surname>",
                        nm->static_ordering ? " name-style=\"eastern\"" : "");
    /* JATS has no particle element: the particle stays with the part it
     * is said with. */
    if (nm->non_dropping_particle) {
      plain(st, nm->non_dropping_particle);
      citeconv_out_putc(o, ' ');
    }
    plain(st, nm->family);
    citeconv_out_puts(o, "</surname>");
    if (nm->given || nm->dropping_particle) {
      citeconv_out_puts(o, "<given-names>");
      if (nm->given)
        plain(st, nm->given);
      if (nm->dropping_particle) {
        if (nm->given)
          citeconv_out_putc(o, ' ');
        plain(st, nm->dropping_particle);
      }
      citeconv_out_puts(o, "</given-names>");
    }
  }
  if (nm->suffix) {
    citeconv_out_puts(o, "<suffix>");
    plain(st, nm->suffix);
    citeconv_out_puts(o, "</suffix>");
  }
  citeconv_out_puts(o, "</name>");
}

/* Roles in the order they are written. */
static const citeconv_var role_order[] = {CITECONV_VAR_AUTHOR,
                                          CITECONV_VAR_EDITOR,
                                          CITECONV_VAR_TRANSLATOR,
                                          CITECONV_VAR_COMPILER,
                                          CITECONV_VAR_CURATOR,
                                          CITECONV_VAR_DIRECTOR,
                                          CITECONV_VAR_COLLECTION_EDITOR,
                                          CITECONV_VAR_CHAIR,
                                          CITECONV_VAR_CONTRIBUTOR,
                                          CITECONV_VAR_ILLUSTRATOR,
                                          CITECONV_VAR_INTERVIEWER,
                                          CITECONV_VAR_PRODUCER,
                                          CITECONV_VAR_COMPOSER,
                                          CITECONV_VAR_ORGANIZER};

static void person_groups(jats_writer *st)
{
  const citeconv_record *rec = st->rec;
  citeconv_output *o = st->base.out;
  size_t n = citeconv_record_name_count(rec);
  bool lost_orcid = false, lost_aff = false;
  for (size_t r = 0; r < sizeof(role_order) / sizeof(role_order[0]); r++) {
    citeconv_var role = role_order[r];
    bool trunc = citeconv_record_truncated(rec, role);
    if (!citeconv_record_role_count(rec, role) && !trunc)
      continue;
    citeconv_out_printf(o, "<person-group person-group-type=\"%s\">",
                        citeconv_jats_group_of_role(role));
    for (size_t i = 0; i < n; i++) {
      const citeconv_name *nm = citeconv_record_name_at(rec, i);
      if (nm->role != role)
        continue;
      name_el(st, nm);
      lost_orcid |= nm->orcid != NULL;
      lost_aff |= nm->n_affiliations > 0;
    }
    if (trunc)
      citeconv_out_puts(o, "<etal/>");
    citeconv_out_puts(o, "</person-group>");
    st->used[role] = true;
  }
  /* A patent's assignees. */
  {
    size_t ne = citeconv_record_extra_count(rec);
    bool open = false;
    for (size_t i = 0; i < ne; i++) {
      const citeconv_extra *e = citeconv_record_extra_at(rec, i);
      if (strcmp(e->name, JATS_ASSIGNEE) != 0)
        continue;
      if (!open)
        citeconv_out_puts(o, "<person-group person-group-type=\"assignee\">");
      open = true;
      citeconv_out_puts(o, "<collab>");
      markup(st, e->value);
      citeconv_out_puts(o, "</collab>");
    }
    if (open)
      citeconv_out_puts(o, "</person-group>");
  }
  /* person-group names have no ORCID or affiliation in JATS */
  if (lost_orcid)
    citeconv_writer_not_carried(&st->base, rec, "the names' ORCID iDs");
  if (lost_aff)
    citeconv_writer_not_carried(&st->base, rec, "the names' affiliations");
}

/* Year, month, day, season of a date as elements. Returns false when the
 * date has nothing JATS can carry. */
static bool date_parts(jats_writer *st, const citeconv_date *d, bool pub_date)
{
  citeconv_output *o = st->base.out;
  if (!d->year)
    return false;
  if (pub_date) {
    if (d->day && d->month)
      citeconv_out_printf(o, "<day>%02d</day>", d->day);
    if (d->month)
      citeconv_out_printf(o, "<month>%02d</month>", d->month);
    else if (d->season)
      citeconv_out_printf(o, "<season>%s</season>",
                          citeconv_nlmdate_season_name(d->season));
    citeconv_out_printf(o, "<year>%04d</year>", d->year);
    return true;
  }
  citeconv_out_printf(o, "<year>%04d", d->year);
  if (d->end_year && d->end_year != d->year && !d->end_month)
    citeconv_out_printf(o, "-%04d", d->end_year);
  citeconv_out_puts(o, "</year>");
  if (d->month)
    citeconv_out_printf(o, "<month>%02d</month>", d->month);
  if (d->month && d->day)
    citeconv_out_printf(o, "<day>%02d</day>", d->day);
  if (d->season && !d->month)
    citeconv_out_printf(o, "<season>%s</season>",
                        citeconv_nlmdate_season_name(d->season));
  return true;
}

static void issued(jats_writer *st)
{
  const citeconv_date *d = citeconv_record_date(st->rec, CITECONV_VAR_ISSUED);
  const char *suffix = text(st, CITECONV_VAR_YEAR_SUFFIX);
  citeconv_output *o = st->base.out;
  if (!d) {
    if (text(st, CITECONV_VAR_STATUS)) {
      /* "in press" stands where the year would be */
      element(st, "year", CITECONV_VAR_STATUS, false, false);
    }
    return;
  }
  if (d->literal && !d->year) {
    citeconv_out_puts(o, "<year>");
    esc(st, d->literal);
    citeconv_out_puts(o, "</year>");
    st->used[CITECONV_VAR_ISSUED] = true;
    return;
  }
  if (d->year && suffix && !d->month && !d->end_year) {
    citeconv_out_printf(o, "<year>%04d", d->year);
    esc(st, suffix);
    citeconv_out_puts(o, "</year>");
    st->used[CITECONV_VAR_YEAR_SUFFIX] = true;
    st->used[CITECONV_VAR_ISSUED] = true;
    return;
  }
  if (date_parts(st, d, false)) {
    st->used[CITECONV_VAR_ISSUED] = true;
    if (d->end_month || d->end_day)
      citeconv_writer_not_carried(&st->base, st->rec,
                                  "the end of the issued date range");
  }
}

static void accessed(jats_writer *st)
{
  const citeconv_date *d = citeconv_record_date(st->rec, CITECONV_VAR_ACCESSED);
  citeconv_output *o = st->base.out;
  if (!d)
    return;
  st->used[CITECONV_VAR_ACCESSED] = true;
  if (!d->year) {
    citeconv_out_puts(o, "<date-in-citation content-type=\"access-date\">");
    esc(st, d->literal ? d->literal : "");
    citeconv_out_puts(o, "</date-in-citation>");
    return;
  }
  citeconv_out_printf(o,
                      "<date-in-citation content-type=\"access-date\" "
                      "iso-8601-date=\"%04d",
                      d->year);
  if (d->month)
    citeconv_out_printf(o, "-%02d", d->month);
  if (d->month && d->day)
    citeconv_out_printf(o, "-%02d", d->day);
  citeconv_out_printf(o, "\">%04d", d->year);
  if (d->month)
    citeconv_out_printf(o, "-%02d", d->month);
  if (d->month && d->day)
    citeconv_out_printf(o, "-%02d", d->day);
  citeconv_out_puts(o, "</date-in-citation>");
}

/* fpage/lpage or elocation-id from page. In article-meta the two are
 * alternatives. */
static void pages(jats_writer *st, bool meta)
{
  const char *pg = text(st, CITECONV_VAR_PAGE);
  const char *eloc = extra(st, JATS_ELOCATION);
  citeconv_output *o = st->base.out;
  bool eloc_done = false;
  if (pg && eloc && strcmp(pg, eloc) == 0) {
    citeconv_out_puts(o, "<elocation-id>");
    esc(st, eloc);
    citeconv_out_puts(o, "</elocation-id>");
    st->used[CITECONV_VAR_PAGE] = true;
    return;
  }
  if (pg) {
    const char *dash = strchr(pg, '-');
    const char *comma = strchr(pg, ',');
    st->used[CITECONV_VAR_PAGE] = true;
    if (comma || (dash && strchr(dash + 1, '-'))) {
      citeconv_out_puts(o, "<page-range>");
      esc(st, pg);
      citeconv_out_puts(o, "</page-range>");
    } else {
      citeconv_out_puts(o, "<fpage>");
      citeconv_out_xml_text(o, pg, dash ? (size_t)(dash - pg) : strlen(pg));
      citeconv_out_puts(o, "</fpage>");
      if (dash) {
        citeconv_out_puts(o, "<lpage>");
        esc(st, dash + 1);
        citeconv_out_puts(o, "</lpage>");
      }
    }
    eloc_done = meta; /* no elocation-id beside pages in article-meta */
  }
  if (eloc && !eloc_done) {
    citeconv_out_puts(o, "<elocation-id>");
    esc(st, eloc);
    citeconv_out_puts(o, "</elocation-id>");
  } else if (eloc) {
    citeconv_writer_not_carried(&st->base, st->rec,
                                "the elocation-id beside the pages");
  }
}

static void pub_id(jats_writer *st, const char *type, citeconv_var var,
                   const char *el)
{
  const char *v = text(st, var);
  if (!v)
    return;
  citeconv_out_printf(st->base.out, "<%s pub-id-type=\"%s\">", el, type);
  esc(st, v);
  citeconv_out_xml_tag(st->base.out, el, true);
  st->used[var] = true;
}

/* Extras "PREFIX<type>" as <el pub-id-type="type">. */
static void typed_extras(jats_writer *st, const char *prefix, const char *el,
                         const char *attr)
{
  size_t n = citeconv_record_extra_count(st->rec), pl = strlen(prefix);
  for (size_t i = 0; i < n; i++) {
    const citeconv_extra *e = citeconv_record_extra_at(st->rec, i);
    if (strncmp(e->name, prefix, pl) != 0)
      continue;
    citeconv_out_printf(st->base.out, "<%s %s=\"", el, attr);
    esc(st, e->name + pl);
    citeconv_out_puts(st->base.out, "\">");
    esc(st, e->value);
    citeconv_out_xml_tag(st->base.out, el, true);
  }
}

/* Extras "jats:EL" written back as <EL> (element-citation children). */
static const char *const cit_extras[] = {
    "trans-title",      "trans-source", "conf-date",
    "institution",      "size",         "issue-title",
    "supplement",       "issn-l",       "volume-series",
    "conf-sponsor",     "object-id",    "issue-part",
    "article-title",    "data-title",   "part-title",
    "date-in-citation", "ext-link",     NULL};

static bool in_list(const char *s, const char *const *list)
{
  for (size_t i = 0; list[i]; i++)
    if (strcmp(s, list[i]) == 0)
      return true;
  return false;
}

static void cit_extra_elements(jats_writer *st)
{
  size_t n = citeconv_record_extra_count(st->rec);
  for (size_t i = 0; i < n; i++) {
    const citeconv_extra *e = citeconv_record_extra_at(st->rec, i);
    const char *el = e->name + strlen(JATS_PREFIX);
    if (strncmp(e->name, JATS_PREFIX, strlen(JATS_PREFIX)) != 0 ||
        !in_list(el, cit_extras))
      continue;
    if (strcmp(el, "ext-link") == 0) {
      citeconv_out_puts(st->base.out,
                        "<ext-link ext-link-type=\"uri\" xlink:href=\"");
      esc(st, e->value);
      citeconv_out_puts(st->base.out, "\">");
      esc(st, e->value);
      citeconv_out_puts(st->base.out, "</ext-link>");
      continue;
    }
    citeconv_out_xml_tag(st->base.out, el, false);
    markup(st, e->value);
    citeconv_out_xml_tag(st->base.out, el, true);
  }
}

static void url(jats_writer *st)
{
  const char *u = text(st, CITECONV_VAR_URL);
  if (!u)
    return;
  citeconv_out_puts(st->base.out,
                    "<ext-link ext-link-type=\"uri\" xlink:href=\"");
  esc(st, u);
  citeconv_out_puts(st->base.out, "\">");
  esc(st, u);
  citeconv_out_puts(st->base.out, "</ext-link>");
  st->used[CITECONV_VAR_URL] = true;
}

/* Report every value the output did not take. */
static void report_rest(jats_writer *st, bool meta)
{
  const citeconv_record *rec = st->rec;
  size_t n = citeconv_record_field_count(rec);
  bool citing_reported = false;
  char what[128];
  for (size_t i = 0; i < n; i++) {
    const citeconv_field *f = citeconv_record_field_at(rec, i);
    if (!st->used[f->var]) {
      snprintf(what, sizeof(what), "the '%s' field", citeconv_var_name(f->var));
      citeconv_writer_not_carried(&st->base, rec, what);
    }
  }
  n = citeconv_record_name_count(rec);
  for (size_t i = 0; i < n; i++) {
    const citeconv_name *nm = citeconv_record_name_at(rec, i);
    if (!st->used[nm->role]) {
      snprintf(what, sizeof(what), "the '%s' names",
               citeconv_var_name(nm->role));
      citeconv_writer_not_carried(&st->base, rec, what);
    }
  }
  for (int v = 0; v < CITECONV_VAR__COUNT; v++)
    if (citeconv_var_kind_of((citeconv_var)v) == CITECONV_KIND_DATE &&
        citeconv_record_date(rec, (citeconv_var)v) && !st->used[v]) {
      snprintf(what, sizeof(what), "the '%s' date",
               citeconv_var_name((citeconv_var)v));
      citeconv_writer_not_carried(&st->base, rec, what);
    }
  n = citeconv_record_extra_count(rec);
  for (size_t i = 0; i < n; i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    const char *el = e->name + strlen(JATS_PREFIX);
    bool jats = strncmp(e->name, JATS_PREFIX, strlen(JATS_PREFIX)) == 0;
    bool taken;
    if (jats && meta)
      taken = strcmp(e->name, JATS_ELOCATION) == 0 ||
              strcmp(e->name, JATS_ISSN_TYPE) == 0 ||
              strncmp(e->name, JATS_JOURNAL_ID, strlen(JATS_JOURNAL_ID)) == 0 ||
              strncmp(e->name, JATS_ARTICLE_ID, strlen(JATS_ARTICLE_ID)) == 0 ||
              strcmp(e->name, JATS_PUB_DATE) == 0 ||
              strcmp(e->name, JATS_DATE_TYPE) == 0 ||
              strcmp(e->name, JATS_SUBTITLE) == 0 ||
              strcmp(e->name, JATS_ARTICLE_TYPE) == 0 ||
              strcmp(e->name, JATS_SECTION) == 0 ||
              strncmp(el, "abstract-", 9) == 0 ||
              strcmp(el, "trans-abstract") == 0 ||
              strcmp(el, "alt-title") == 0 || strcmp(el, "trans-title") == 0 ||
              strcmp(el, "issue-title") == 0;
    else if (jats)
      taken = strcmp(e->name, JATS_ELOCATION) == 0 ||
              strcmp(e->name, JATS_PUBTYPE) == 0 ||
              strcmp(e->name, JATS_LABEL) == 0 ||
              strcmp(e->name, JATS_ASSIGNEE) == 0 ||
              strncmp(e->name, JATS_PUB_ID, strlen(JATS_PUB_ID)) == 0 ||
              in_list(el, cit_extras);
    else if (strncmp(e->name, "citing-", 7) == 0) {
      /* In an article the link is the article itself; a bare
       * reference list has no place for it (said once per record). */
      taken = st->article_mode || citing_reported;
      if (!taken) {
        citeconv_writer_not_carried(&st->base, rec,
                                    "the link to the citing article");
        citing_reported = taken = true;
      }
    } else
      taken = false;
    if (!taken) {
      snprintf(what, sizeof(what), "the extra field '%.80s'", e->name);
      citeconv_writer_not_carried(&st->base, rec, what);
    }
  }
}

/* ---- a reference ---- */

static bool is_journalish(int t)
{
  return t == CITECONV_TYPE_ARTICLE_JOURNAL ||
         t == CITECONV_TYPE_ARTICLE_NEWSPAPER ||
         t == CITECONV_TYPE_ARTICLE_MAGAZINE;
}

static void write_ref(jats_writer *st, const citeconv_record *rec)
{
  citeconv_output *o = st->base.out;
  int type = (int)citeconv_record_type(rec);
  const char *pt = extra(st, JATS_PUBTYPE);
  const char *id = text(st, CITECONV_VAR_ID);
  const char *lang = text(st, CITECONV_VAR_LANGUAGE);
  const char *title_el;
  char gen_id[32];
  st->nref++;
  if (!pt || citeconv_jats_type_from_pubtype(pt) != type)
    pt = citeconv_jats_pubtype_of(type);
  if (pt && strcmp(pt, "book") == 0 && type == CITECONV_TYPE_CHAPTER)
    pt = "chapter";
  /* ids are XML IDs: they must start with a letter or '_' */
  if (id &&
      ((id[0] >= 'a' && id[0] <= 'z') || (id[0] >= 'A' && id[0] <= 'Z') ||
       id[0] == '_') &&
      strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                 "0123456789._-") == strlen(id)) {
    st->used[CITECONV_VAR_ID] = true;
    citeconv_out_puts(o, "<ref id=\"");
    esc(st, id);
    citeconv_out_puts(o, "\">");
  } else {
    snprintf(gen_id, sizeof(gen_id), "r%zu", st->nref);
    citeconv_out_printf(o, "<ref id=\"%s\">", gen_id);
  }
  if (extra(st, JATS_LABEL)) {
    citeconv_out_puts(o, "<label>");
    esc(st, extra(st, JATS_LABEL));
    citeconv_out_puts(o, "</label>");
  }
  citeconv_out_printf(o, "<element-citation publication-type=\"%s\"", pt);
  if (lang) {
    citeconv_out_puts(o, " xml:lang=\"");
    esc(st, lang);
    citeconv_out_putc(o, '"');
    st->used[CITECONV_VAR_LANGUAGE] = true;
  }
  citeconv_out_puts(o, ">");
  person_groups(st);
  title_el = type == CITECONV_TYPE_CHAPTER ||
                     type == CITECONV_TYPE_ENTRY_DICTIONARY ||
                     type == CITECONV_TYPE_ENTRY_ENCYCLOPEDIA
                 ? "chapter-title"
             : type == CITECONV_TYPE_DATASET ? "data-title"
                                             : "article-title";
  if (text(st, CITECONV_VAR_CONTAINER_TITLE) || is_journalish(type) ||
      strcmp(title_el, "article-title") != 0) {
    element(st, title_el, CITECONV_VAR_TITLE, true, false);
    element(st, "source", CITECONV_VAR_CONTAINER_TITLE, true, false);
    if (!text(st, CITECONV_VAR_CONTAINER_TITLE) &&
        text(st, CITECONV_VAR_JOURNAL_ABBREVIATION))
      element(st, "source", CITECONV_VAR_JOURNAL_ABBREVIATION, false, false);
  } else {
    /* a book, report, thesis or web page: its title is the source */
    element(st, "source", CITECONV_VAR_TITLE, true, false);
  }
  issued(st);
  element(st, "edition", CITECONV_VAR_EDITION, false, false);
  element(st, "publisher-loc", CITECONV_VAR_PUBLISHER_PLACE, false, false);
  element(st, "publisher-name", CITECONV_VAR_PUBLISHER, false, false);
  element(st, "volume", CITECONV_VAR_VOLUME, false, false);
  element(st, "issue", CITECONV_VAR_ISSUE, false, false);
  pages(st, false);
  if (text(st, CITECONV_VAR_NUMBER_OF_PAGES)) {
    citeconv_out_puts(o, "<size units=\"pages\">");
    esc(st, text(st, CITECONV_VAR_NUMBER_OF_PAGES));
    citeconv_out_puts(o, "</size>");
    st->used[CITECONV_VAR_NUMBER_OF_PAGES] = true;
  }
  element(st, "isbn", CITECONV_VAR_ISBN, false, true);
  element(st, "issn", CITECONV_VAR_ISSN, false, true);
  if (type == CITECONV_TYPE_PATENT && text(st, CITECONV_VAR_NUMBER)) {
    const char *country = text(st, CITECONV_VAR_JURISDICTION);
    citeconv_out_puts(o, "<patent");
    if (country) {
      citeconv_out_puts(o, " country=\"");
      esc(st, country);
      citeconv_out_putc(o, '"');
      st->used[CITECONV_VAR_JURISDICTION] = true;
    }
    citeconv_out_puts(o, ">");
    esc(st, text(st, CITECONV_VAR_NUMBER));
    citeconv_out_puts(o, "</patent>");
    st->used[CITECONV_VAR_NUMBER] = true;
  } else {
    element(st, "std", CITECONV_VAR_NUMBER, false, false);
  }
  element(st, "conf-name", CITECONV_VAR_EVENT_TITLE, true, false);
  element(st, "conf-loc", CITECONV_VAR_EVENT_PLACE, false, false);
  element(st, "series", CITECONV_VAR_COLLECTION_TITLE, true, false);
  element(st, "version", CITECONV_VAR_VERSION, false, false);
  element(st, "gov", CITECONV_VAR_AUTHORITY, false, false);
  element(st, "role", CITECONV_VAR_GENRE, false, false);
  pub_id(st, "doi", CITECONV_VAR_DOI, "pub-id");
  pub_id(st, "pmid", CITECONV_VAR_PMID, "pub-id");
  pub_id(st, "pmcid", CITECONV_VAR_PMCID, "pub-id");
  typed_extras(st, JATS_PUB_ID, "pub-id", "pub-id-type");
  url(st);
  accessed(st);
  cit_extra_elements(st);
  element(st, "comment", CITECONV_VAR_NOTE, true, true);
  citeconv_out_puts(o, "</element-citation></ref>\n");
  if (citeconv_record_date(rec, CITECONV_VAR_ISSUED) == NULL &&
      text(st, CITECONV_VAR_STATUS))
    st->used[CITECONV_VAR_STATUS] = true;
  report_rest(st, false);
}

/* ---- the article ---- */

static void journal_meta(jats_writer *st)
{
  const citeconv_record *rec = st->rec;
  citeconv_output *o = st->base.out;
  const char *abbr = text(st, CITECONV_VAR_JOURNAL_ABBREVIATION);
  bool abbr_in_ids = false;
  size_t n = citeconv_record_extra_count(rec), nissn = 0;
  size_t jl = strlen(JATS_JOURNAL_ID);
  if (!text(st, CITECONV_VAR_CONTAINER_TITLE) && !abbr &&
      !text(st, CITECONV_VAR_ISSN) && !text(st, CITECONV_VAR_PUBLISHER) &&
      !text(st, CITECONV_VAR_PUBLISHER_PLACE))
    return;
  citeconv_out_puts(o, "<journal-meta>\n");
  for (size_t i = 0; i < n; i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    if (strncmp(e->name, JATS_JOURNAL_ID, jl) != 0)
      continue;
    if (abbr && strcmp(abbr, e->value) == 0 &&
        (strcmp(e->name + jl, "iso-abbrev") == 0 ||
         strcmp(e->name + jl, "nlm-ta") == 0))
      abbr_in_ids = true;
    citeconv_out_puts(o, "<journal-id journal-id-type=\"");
    esc(st, e->name + jl);
    citeconv_out_puts(o, "\">");
    esc(st, e->value);
    citeconv_out_puts(o, "</journal-id>\n");
  }
  if (text(st, CITECONV_VAR_CONTAINER_TITLE) || (abbr && !abbr_in_ids)) {
    citeconv_out_puts(o, "<journal-title-group>");
    element(st, "journal-title", CITECONV_VAR_CONTAINER_TITLE, true, false);
    if (abbr && !abbr_in_ids)
      element(st, "abbrev-journal-title", CITECONV_VAR_JOURNAL_ABBREVIATION,
              false, false);
    citeconv_out_puts(o, "</journal-title-group>\n");
  }
  if (abbr)
    st->used[CITECONV_VAR_JOURNAL_ABBREVIATION] = true;
  /* ISSNs, each with the pub-type the reader kept for it. */
  {
    size_t nf = citeconv_record_field_count(rec);
    for (size_t i = 0; i < nf; i++) {
      const citeconv_field *f = citeconv_record_field_at(rec, i);
      size_t k = 0;
      const char *type = NULL;
      if (f->var != CITECONV_VAR_ISSN)
        continue;
      for (size_t j = 0; j < n; j++) {
        const citeconv_extra *e = citeconv_record_extra_at(rec, j);
        if (strcmp(e->name, JATS_ISSN_TYPE) == 0 && k++ == nissn) {
          type = e->value;
          break;
        }
      }
      nissn++;
      citeconv_out_puts(o, "<issn");
      if (type && *type) {
        citeconv_out_puts(o, " pub-type=\"");
        esc(st, type);
        citeconv_out_putc(o, '"');
      }
      citeconv_out_puts(o, ">");
      esc(st, f->value);
      citeconv_out_puts(o, "</issn>\n");
      st->used[CITECONV_VAR_ISSN] = true;
    }
  }
  if (text(st, CITECONV_VAR_PUBLISHER) ||
      text(st, CITECONV_VAR_PUBLISHER_PLACE)) {
    citeconv_out_puts(o, "<publisher>");
    if (text(st, CITECONV_VAR_PUBLISHER))
      element(st, "publisher-name", CITECONV_VAR_PUBLISHER, false, false);
    else
      citeconv_out_puts(o, "<publisher-name/>");
    element(st, "publisher-loc", CITECONV_VAR_PUBLISHER_PLACE, false, false);
    citeconv_out_puts(o, "</publisher>\n");
  }
  citeconv_out_puts(o, "</journal-meta>\n");
}

static void contribs(jats_writer *st)
{
  const citeconv_record *rec = st->rec;
  citeconv_output *o = st->base.out;
  size_t n = citeconv_record_name_count(rec);
  bool open = false;
  for (size_t r = 0; r < sizeof(role_order) / sizeof(role_order[0]); r++) {
    citeconv_var role = role_order[r];
    for (size_t i = 0; i < n; i++) {
      const citeconv_name *nm = citeconv_record_name_at(rec, i);
      if (nm->role != role)
        continue;
      if (!open)
        citeconv_out_puts(o, "<contrib-group>\n");
      open = true;
      citeconv_out_printf(o, "<contrib contrib-type=\"%s\">",
                          citeconv_jats_group_of_role(role));
      if (nm->orcid) {
        citeconv_out_puts(o, "<contrib-id contrib-id-type=\"orcid\">"
                             "https://orcid.org/");
        esc(st, nm->orcid);
        citeconv_out_puts(o, "</contrib-id>");
      }
      name_el(st, nm);
      for (size_t a = 0; a < nm->n_affiliations; a++) {
        citeconv_out_puts(o, "<aff>");
        markup(st, nm->affiliations[a]);
        citeconv_out_puts(o, "</aff>");
      }
      citeconv_out_puts(o, "</contrib>\n");
      st->used[role] = true;
    }
  }
  if (citeconv_record_truncated(rec, CITECONV_VAR_AUTHOR)) {
    if (!open)
      citeconv_out_puts(o, "<contrib-group>\n");
    open = true;
    citeconv_out_puts(o, "<etal/>\n");
  }
  if (open)
    citeconv_out_puts(o, "</contrib-group>\n");
}

static void pub_date_el(jats_writer *st, const char *type,
                        const citeconv_date *d)
{
  citeconv_output *o = st->base.out;
  citeconv_out_puts(o, "<pub-date");
  if (type && *type) {
    citeconv_out_puts(o, " pub-type=\"");
    esc(st, type);
    citeconv_out_putc(o, '"');
  }
  citeconv_out_puts(o, ">");
  if (!date_parts(st, d, true)) {
    citeconv_out_puts(o, "<string-date>");
    esc(st, d->literal ? d->literal : "");
    citeconv_out_puts(o, "</string-date>");
  }
  citeconv_out_puts(o, "</pub-date>\n");
}

static void pub_dates(jats_writer *st)
{
  const citeconv_record *rec = st->rec;
  const citeconv_date *d = citeconv_record_date(rec, CITECONV_VAR_ISSUED);
  size_t n = citeconv_record_extra_count(rec);
  if (d) {
    pub_date_el(st, extra(st, JATS_DATE_TYPE), d);
    st->used[CITECONV_VAR_ISSUED] = true;
  }
  for (size_t i = 0; i < n; i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    const char *tab;
    citeconv_date od;
    char type[64];
    int y = 0, m = 0, dd = 0;
    if (strcmp(e->name, JATS_PUB_DATE) != 0 || !(tab = strchr(e->value, '\t')))
      continue;
    snprintf(type, sizeof(type), "%.*s", (int)(tab - e->value), e->value);
    if (sscanf(tab + 1, "%d-%d-%d", &y, &m, &dd) < 1)
      continue;
    memset(&od, 0, sizeof(od));
    od.year = y;
    od.month = m;
    od.day = dd;
    pub_date_el(st, type, &od);
  }
}

/* The abstract's lines as paragraphs, sections where the reader found
 * section titles ("Title: text"). */
static void abstract_el(jats_writer *st, const char *abs, const char *type,
                        bool sections)
{
  citeconv_output *o = st->base.out;
  const citeconv_record *rec = st->rec;
  size_t n = citeconv_record_extra_count(rec), next = 0;
  bool in_sec = false;
  const char *line = abs;
  citeconv_out_puts(o, "<abstract");
  if (type) {
    citeconv_out_puts(o, " abstract-type=\"");
    esc(st, type);
    citeconv_out_putc(o, '"');
  }
  citeconv_out_puts(o, ">");
  while (*line) {
    size_t len = strcspn(line, "\n");
    const char *title = NULL;
    char *copy;
    /* the next section title, if this line starts with it */
    for (size_t i = 0, k = 0; sections && i < n; i++) {
      const citeconv_extra *e = citeconv_record_extra_at(rec, i);
      if (strcmp(e->name, JATS_SECTION) != 0)
        continue;
      if (k++ == next) {
        size_t tl = strlen(e->value);
        if (len >= tl + 2 && strncmp(line, e->value, tl) == 0 &&
            line[tl] == ':' && line[tl + 1] == ' ')
          title = e->value;
        break;
      }
    }
    copy = malloc(len + 1);
    if (!copy)
      return;
    memcpy(copy, line, len);
    copy[len] = '\0';
    if (title) {
      size_t tl = strlen(title);
      if (in_sec)
        citeconv_out_puts(o, "</sec>");
      citeconv_out_puts(o, "<sec><title>");
      markup(st, title);
      citeconv_out_puts(o, "</title>");
      in_sec = true;
      next++;
      if (copy[tl + 2]) {
        citeconv_out_puts(o, "<p>");
        markup(st, copy + tl + 2);
        citeconv_out_puts(o, "</p>");
      }
    } else {
      citeconv_out_puts(o, "<p>");
      markup(st, copy);
      citeconv_out_puts(o, "</p>");
    }
    free(copy);
    line += len;
    if (*line == '\n')
      line++;
  }
  if (in_sec)
    citeconv_out_puts(o, "</sec>");
  citeconv_out_puts(o, "</abstract>\n");
}

static void write_front(jats_writer *st, const citeconv_record *rec)
{
  citeconv_output *o = st->base.out;
  const char *title = text(st, CITECONV_VAR_TITLE);
  const char *sub = extra(st, JATS_SUBTITLE);
  size_t n = citeconv_record_extra_count(rec);
  citeconv_out_puts(o, "<front>\n");
  journal_meta(st);
  citeconv_out_puts(o, "<article-meta>\n");
  pub_id(st, "pmid", CITECONV_VAR_PMID, "article-id");
  pub_id(st, "pmc", CITECONV_VAR_PMCID, "article-id");
  pub_id(st, "doi", CITECONV_VAR_DOI, "article-id");
  typed_extras(st, JATS_ARTICLE_ID, "article-id", "pub-id-type");
  citeconv_out_puts(o, "<title-group><article-title>");
  if (title) {
    size_t tl = strlen(title), sl = sub ? strlen(sub) : 0;
    st->used[CITECONV_VAR_TITLE] = true;
    if (sub && tl > sl + 2 && strcmp(title + tl - sl, sub) == 0 &&
        strncmp(title + tl - sl - 2, ": ", 2) == 0) {
      char *main_title = malloc(tl - sl - 1);
      if (main_title) {
        memcpy(main_title, title, tl - sl - 2);
        main_title[tl - sl - 2] = '\0';
        markup(st, main_title);
        free(main_title);
      }
      citeconv_out_puts(o, "</article-title><subtitle>");
      markup(st, sub);
      citeconv_out_puts(o, "</subtitle>");
    } else {
      markup(st, title);
      citeconv_out_puts(o, "</article-title>");
    }
  } else {
    citeconv_out_puts(o, "</article-title>");
  }
  for (size_t i = 0; i < n; i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    if (strcmp(e->name, JATS_PREFIX "trans-title") == 0) {
      citeconv_out_puts(o, "<trans-title-group><trans-title>");
      markup(st, e->value);
      citeconv_out_puts(o, "</trans-title></trans-title-group>");
    } else if (strcmp(e->name, JATS_PREFIX "alt-title") == 0) {
      citeconv_out_puts(o, "<alt-title>");
      markup(st, e->value);
      citeconv_out_puts(o, "</alt-title>");
    }
  }
  citeconv_out_puts(o, "</title-group>\n");
  contribs(st);
  pub_dates(st);
  element(st, "volume", CITECONV_VAR_VOLUME, false, false);
  element(st, "issue", CITECONV_VAR_ISSUE, false, false);
  for (size_t i = 0; i < n; i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    if (strcmp(e->name, JATS_PREFIX "issue-title") == 0) {
      citeconv_out_puts(o, "<issue-title>");
      markup(st, e->value);
      citeconv_out_puts(o, "</issue-title>");
    }
  }
  element(st, "isbn", CITECONV_VAR_ISBN, false, true);
  element(st, "supplement", CITECONV_VAR_SUPPLEMENT, false, false);
  pages(st, true);
  url(st);
  if (text(st, CITECONV_VAR_ABSTRACT)) {
    abstract_el(st, text(st, CITECONV_VAR_ABSTRACT), NULL, true);
    st->used[CITECONV_VAR_ABSTRACT] = true;
  }
  for (size_t i = 0; i < n; i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    const char *p = JATS_PREFIX "abstract-";
    if (strncmp(e->name, p, strlen(p)) == 0 &&
        strcmp(e->name, JATS_SECTION) != 0)
      abstract_el(st, e->value, e->name + strlen(p), false);
  }
  for (size_t i = 0; i < n; i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    if (strcmp(e->name, JATS_PREFIX "trans-abstract") == 0) {
      citeconv_out_puts(o, "<trans-abstract><p>");
      markup(st, e->value);
      citeconv_out_puts(o, "</p></trans-abstract>\n");
    }
  }
  if (text(st, CITECONV_VAR_KEYWORD)) {
    citeconv_out_puts(o, "<kwd-group>");
    element(st, "kwd", CITECONV_VAR_KEYWORD, true, true);
    citeconv_out_puts(o, "</kwd-group>\n");
  }
  if (text(st, CITECONV_VAR_NUMBER_OF_PAGES)) {
    citeconv_out_puts(o, "<counts><page-count count=\"");
    esc(st, text(st, CITECONV_VAR_NUMBER_OF_PAGES));
    citeconv_out_puts(o, "\"/></counts>\n");
    st->used[CITECONV_VAR_NUMBER_OF_PAGES] = true;
  }
  citeconv_out_puts(o, "</article-meta>\n</front>\n");
  if (citeconv_record_type(rec) != CITECONV_TYPE_ARTICLE_JOURNAL &&
      citeconv_record_type(rec) != CITECONV_TYPE_ARTICLE)
    citeconv_writer_not_carried(&st->base, rec, "the item type");
  st->used[CITECONV_VAR_LANGUAGE] = true; /* on <article> */
  report_rest(st, true);
}

/* A reference rather than the article: linked to a citing article, or
 * with an id (the reader gives ids to refs only). */
static bool is_reference(const citeconv_record *rec)
{
  return citeconv_record_text(rec, CITECONV_VAR_ID) ||
         citeconv_record_extra(rec, JATS_CITING_DOI) ||
         citeconv_record_extra(rec, JATS_CITING_PMID) ||
         citeconv_record_extra(rec, JATS_CITING_PMCID);
}

static void open_article(jats_writer *st, const citeconv_record *rec)
{
  citeconv_output *o = st->base.out;
  const char *type = rec ? citeconv_record_extra(rec, JATS_ARTICLE_TYPE) : NULL;
  const char *lang =
      rec ? citeconv_record_text(rec, CITECONV_VAR_LANGUAGE) : NULL;
  citeconv_out_puts(o, "<!DOCTYPE article PUBLIC \"-//NLM//DTD JATS (Z39.96) "
                       "Journal Archiving and Interchange DTD v1.3 "
                       "20210610//EN\" \"JATS-archivearticle1-3.dtd\">\n"
                       "<article xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
                       "xmlns:mml=\"http://www.w3.org/1998/Math/MathML\" "
                       "dtd-version=\"1.3\"");
  if (type) {
    citeconv_out_puts(o, " article-type=\"");
    esc(st, type);
    citeconv_out_putc(o, '"');
  }
  if (lang) {
    citeconv_out_puts(o, " xml:lang=\"");
    esc(st, lang);
    citeconv_out_putc(o, '"');
  }
  citeconv_out_puts(o, ">\n");
}

int citeconv_jats_write_record(citeconv_writer *w, const citeconv_record *rec)
{
  jats_writer *st = (jats_writer *)w;
  citeconv_output *o = w->out;
  memset(st->used, 0, sizeof(st->used));
  st->rec = rec;
  if (st->article_mode && !st->front_done) {
    bool article = !is_reference(rec);
    open_article(st, article ? rec : NULL);
    if (article) {
      write_front(st, rec);
    } else {
      citeconv_out_puts(o, "<front>\n<article-meta>\n<title-group>"
                           "<article-title/></title-group>\n"
                           "</article-meta>\n</front>\n");
    }
    st->front_done = true;
    citeconv_out_puts(o, "<back>\n");
    if (article) {
      st->rec = NULL;
      return 0;
    }
  }
  if (!st->refs_open) {
    citeconv_out_puts(o, st->article_mode
                             ? "<ref-list>\n"
                             : "<ref-list xmlns:xlink=\"http://www.w3.org/"
                               "1999/xlink\">\n");
    st->refs_open = true;
  }
  write_ref(st, rec);
  st->rec = NULL;
  return 0;
}

int citeconv_jats_write_begin(citeconv_writer **out, citeconv_session *s,
                              citeconv_output *o)
{
  jats_writer *st = calloc(1, sizeof(*st));
  const char *art = citeconv_session_option(s, "jats-article");
  *out = NULL;
  if (!st)
    return CITECONV_ENOMEM;
  citeconv_writer_init(&st->base, &citeconv_format_jats, s, o);
  if (art && strcmp(art, "yes") == 0) {
    st->article_mode = true;
  } else if (art && strcmp(art, "no") != 0) {
    free(st);
    return citeconv_session_fail(
        s, CITECONV_EUSAGE, "option jats-article: '%s' is not yes or no", art);
  }
  citeconv_out_puts(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  *out = &st->base;
  return 0;
}

int citeconv_jats_write_end(citeconv_writer *w)
{
  jats_writer *st = (jats_writer *)w;
  citeconv_output *o = w->out;
  if (st->article_mode && !st->front_done) {
    open_article(st, NULL);
    citeconv_out_puts(o, "<front>\n<article-meta>\n<title-group>"
                         "<article-title/></title-group>\n"
                         "</article-meta>\n</front>\n");
    st->front_done = true;
    citeconv_out_puts(o, "<back>\n");
  }
  if (!st->refs_open)
    citeconv_out_puts(o, st->article_mode
                             ? "<ref-list>\n"
                             : "<ref-list xmlns:xlink=\"http://www.w3.org/"
                               "1999/xlink\">\n");
  citeconv_out_puts(o, "</ref-list>\n");
  if (st->article_mode)
    citeconv_out_puts(o, "</back>\n</article>\n");
  return citeconv_out_flush(o);
}

void citeconv_jats_write_free(citeconv_writer *w) { free(w); }
