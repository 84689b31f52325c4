/* RIS writer: "TAG  - value" lines, TY first and ER last, in UTF-8 with
 * CRLF line ends as the RIS specification says (LF with ris-eol=lf).
 * Variables RIS has no tag for go to N1 as "variable: value", which the
 * reader reads back. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "format.h"
#include "ris.h"
#include "text.h"

typedef struct {
  citeconv_writer base;
  const char *eol;
  /* The tag of each variable for each type group, looked up once. */
  const char *tag[RIS_G_ALL + 1][CITECONV_VAR__COUNT];
  citeconv_buf plain; /* a value with its markup stripped */
  /* Variables of the record being written whose markup was reported. */
  bool markup_told[CITECONV_VAR__COUNT];
} ris_writer;

/* Tags whose continuation lines the reader joins with a new line. */
static bool multiline_tag(const char *tag)
{
  const ris_tag *t = citeconv_ris_tag_find(tag, strlen(tag));
  return t && t->join == RIS_J_NEWLINE;
}

/* Whether a line would be read as a tag line. */
static bool looks_like_tag(const char *s, size_t n)
{
  size_t i = 0;
  if (n < 2 || s[0] < 'A' || s[0] > 'Z')
    return false;
  i = 1;
  while (i < n && i < 5 &&
         ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
    i++;
  while (i < n && (s[i] == ' ' || s[i] == '\t'))
    i++;
  return i == n || s[i] == '-';
}

/* One line of text: control characters other than tab become spaces. */
static void put_text(citeconv_output *o, const char *s, size_t n)
{
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x20 && c != '\t') {
      citeconv_out_write(o, s + start, i - start);
      citeconv_out_putc(o, ' ');
      start = i + 1;
    }
  }
  citeconv_out_write(o, s + start, n - start);
}

static void put_tag(ris_writer *w, const char *tag, const char *s, size_t n)
{
  citeconv_output *o = w->base.out;
  citeconv_out_puts(o, tag);
  citeconv_out_write(o, "  - ", 4);
  if (!multiline_tag(tag)) {
    put_text(o, s, n);
    citeconv_out_puts(o, w->eol);
    return;
  }
  /* Abstracts and notes keep their lines: continuation lines, an empty
   * line for an empty one; a line that looks like a tag is indented. */
  for (size_t i = 0, first = 1; i <= n; first = 0) {
    const char *nl = memchr(s + i, '\n', n - i);
    size_t e = nl ? (size_t)(nl - s) : n;
    size_t le = e;
    if (le > i && s[le - 1] == '\r')
      le--;
    if (!first && looks_like_tag(s + i, le - i))
      citeconv_out_putc(o, ' ');
    put_text(o, s + i, le - i);
    citeconv_out_puts(o, w->eol);
    if (!nl)
      break;
    i = e + 1;
  }
}

/* A variable's value: RIS has no markup, so CSL's inline markup (<i>,
 * <b>, <sup>, <sub>, <sc>, nocase and nodecor spans) is stripped and the
 * loss reported once per variable of a record. */
static void put_value(ris_writer *w, const citeconv_record *rec,
                      citeconv_var var, const char *tag, const char *s,
                      size_t n)
{
  if (memchr(s, '<', n)) {
    citeconv_buf_clear(&w->plain);
    if (citeconv_text_strip_markup(&w->plain, s, n) == 0 &&
        w->plain.len != n) {
      if (var >= 0 && var < CITECONV_VAR__COUNT && !w->markup_told[var]) {
        char what[96];
        snprintf(what, sizeof what,
                 "the markup (<i>, <b>, <sup>, <sub>, <sc>, nocase) of "
                 "the '%s' field",
                 citeconv_var_name(var));
        citeconv_writer_not_carried(&w->base, rec, what);
        w->markup_told[var] = true;
      }
      put_tag(w, tag, w->plain.data ? w->plain.data : "", w->plain.len);
      return;
    }
  }
  put_tag(w, tag, s, n);
}

static void put_name(ris_writer *w, const citeconv_record *rec,
                     const char *tag, const citeconv_name *nm)
{
  citeconv_buf b = CITECONV_BUF_INIT;
  if (nm->orcid)
    citeconv_writer_not_carried(&w->base, rec, "a name's ORCID iD");
  if (nm->n_affiliations && nm->role != CITECONV_VAR_AUTHOR)
    citeconv_writer_not_carried(&w->base, rec,
                                "the affiliations of a name other than an "
                                "author's (AD is the author's address)");
  /* "Family, Given, Suffix" says nothing of how the suffix is set off. */
  if (nm->comma_suffix)
    citeconv_writer_not_carried(&w->base, rec,
                                "a name's comma-suffix flag (CSL)");
  if (nm->static_ordering)
    citeconv_writer_not_carried(&w->base, rec,
                                "a name's static-ordering flag (CSL)");
  if (nm->literal) {
    /* A trailing comma keeps a name of several words whole (EndNote's
     * convention for organisations). */
    citeconv_buf_adds(&b, nm->literal);
    if (strchr(nm->literal, ' ') || strchr(nm->literal, ','))
      citeconv_buf_addc(&b, ',');
  } else {
    if (nm->non_dropping_particle) {
      citeconv_buf_adds(&b, nm->non_dropping_particle);
      citeconv_buf_addc(&b, ' ');
    }
    if (nm->family)
      citeconv_buf_adds(&b, nm->family);
    if (nm->given || nm->dropping_particle || nm->suffix) {
      citeconv_buf_adds(&b, ", ");
      if (nm->given)
        citeconv_buf_adds(&b, nm->given);
      if (nm->dropping_particle) {
        if (nm->given)
          citeconv_buf_addc(&b, ' ');
        citeconv_buf_adds(&b, nm->dropping_particle);
      }
    }
    if (nm->suffix) {
      citeconv_buf_adds(&b, ", ");
      citeconv_buf_adds(&b, nm->suffix);
    }
  }
  if (b.len) {
    if (!tag) {
      citeconv_buf c = CITECONV_BUF_INIT;
      citeconv_buf_printf(&c, "%s: %s", citeconv_var_name(nm->role), b.data);
      put_value(w, rec, nm->role, "N1", c.data, c.len);
      citeconv_buf_free(&c);
    } else {
      put_value(w, rec, nm->role, tag, b.data, b.len);
    }
  }
  citeconv_buf_free(&b);
}

/* An author's affiliations as AD lines right after its AU line, where the
 * reader takes them to be that author's. */
static void put_affiliations(ris_writer *w, const citeconv_name *nm)
{
  for (size_t i = 0; i < nm->n_affiliations; i++)
    put_tag(w, "AD", nm->affiliations[i], strlen(nm->affiliations[i]));
}

/* The last author's affiliations when no other author has any: AD lines
 * after the last AU would read as the whole paper's addresses (Scopus
 * writes those there), so each starts with the author's name, as Embase
 * and EndNote write a corresponding author's address ("D.G. Adler,
 * Department of ..."), which the reader matches with the name. */
static void put_named_affiliations(ris_writer *w, const citeconv_record *rec,
                                   const citeconv_name *nm)
{
  citeconv_buf b = CITECONV_BUF_INIT;
  const char *parts[4];
  size_t np = 0, prefix;
  bool nameable;
  if (nm->literal) {
    parts[np++] = nm->literal;
  } else {
    parts[np++] = nm->given;
    parts[np++] = nm->dropping_particle;
    parts[np++] = nm->non_dropping_particle;
    parts[np++] = nm->family;
  }
  for (size_t i = 0; i < np; i++)
    if (parts[i] && *parts[i]) {
      if (b.len)
        citeconv_buf_addc(&b, ' ');
      citeconv_buf_adds(&b, parts[i]);
    }
  prefix = b.len;
  nameable = prefix > 0 && !strstr(b.data, ", ");
  for (size_t i = 0; i < nm->n_affiliations; i++) {
    const char *a = nm->affiliations[i];
    if (!*a)
      continue;
    if (!nameable || strchr(a, '\n')) {
      citeconv_writer_not_carried(&w->base, rec,
                                  "an affiliation of the last author that "
                                  "AD cannot tie to that author");
      continue;
    }
    b.len = prefix;
    b.data[prefix] = '\0';
    citeconv_buf_adds(&b, ", ");
    citeconv_buf_adds(&b, a);
    put_tag(w, "AD", b.data, b.len);
  }
  citeconv_buf_free(&b);
}

/* Whether the authors' affiliations go after each AU: more than the last
 * of the authors has some, or there is one author. */
static bool affiliations_interleaved(const citeconv_record *rec)
{
  size_t k = citeconv_record_role_count(rec, CITECONV_VAR_AUTHOR), a = 0;
  size_t nn = citeconv_record_name_count(rec);
  if (k == 1)
    return true;
  for (size_t i = 0; i < nn && a + 1 < k; i++) {
    const citeconv_name *nm = citeconv_record_name_at(rec, i);
    if (nm->role != CITECONV_VAR_AUTHOR)
      continue;
    if (nm->n_affiliations)
      return true;
    a++;
  }
  return false;
}

static const char *season_name(int s)
{
  static const char *const names[] = {"Spring", "Summer", "Autumn",
                                      "Winter"};
  return s >= 1 && s <= 4 ? names[s - 1] : "";
}

/* "YYYY/MM/DD/other", parts empty when absent. */
static void format_date(citeconv_buf *b, const citeconv_date *d)
{
  if (d->year > 0)
    citeconv_buf_printf(b, "%04d", d->year);
  citeconv_buf_addc(b, '/');
  if (d->month > 0 && d->month <= 12)
    citeconv_buf_printf(b, "%02d", d->month);
  citeconv_buf_addc(b, '/');
  if (d->day > 0)
    citeconv_buf_printf(b, "%02d", d->day);
  citeconv_buf_addc(b, '/');
  if (d->season)
    citeconv_buf_adds(b, season_name(d->season));
  else if (d->literal)
    citeconv_buf_adds(b, d->literal);
  else if (d->raw && !d->year && !d->month && !d->day)
    citeconv_buf_adds(b, d->raw); /* text no one could read: kept */
}

static bool iso_range(citeconv_buf *b, const citeconv_date *d);

static void put_date(ris_writer *w, const citeconv_record *rec,
                     citeconv_var var, const citeconv_date *d)
{
  citeconv_buf b = CITECONV_BUF_INIT, text = CITECONV_BUF_INIT;
  bool range = d->end_year || d->end_month || d->end_day || d->end_season;
  const char *tag =
      var == CITECONV_VAR_ISSUED ? "DA" : citeconv_ris_var_tag(var, 0);
  if (d->circa)
    citeconv_writer_not_carried(&w->base, rec, "'circa' on a date");
  if (d->year < 0) {
    /* RIS years have four digits: such a date is left out whole. */
    citeconv_writer_not_carried(&w->base, rec, "a year before 1 AD");
    return;
  }
  /* RIS has no form for a range: the source's text ("JAN-MAR") goes back
   * when there is one, else an ISO 8601 interval; the reader reads both
   * as the range again. */
  if (range && d->raw) {
    citeconv_buf_adds(&text, d->raw);
  } else if (!(range && iso_range(&text, d))) {
    if (range)
      citeconv_writer_not_carried(&w->base, rec, "the end of a date range");
    citeconv_buf_clear(&text);
    format_date(&text, d);
  }
  if (var == CITECONV_VAR_ISSUED) {
    /* PY holds the year; DA the whole date when there is more. */
    if (d->year > 0) {
      citeconv_buf_printf(&b, "%04d", d->year);
      put_tag(w, "PY", b.data, b.len);
    }
    if ((range || d->month || d->day || d->season || d->literal ||
         d->year <= 0) &&
        strcmp(text.data, "///") != 0)
      put_tag(w, "DA", text.data, text.len);
  } else if (strcmp(text.data, "///") != 0) {
    if (!tag)
      citeconv_buf_printf(&b, "%s: ", citeconv_var_name(var));
    citeconv_buf_add(&b, text.data, text.len);
    put_tag(w, tag ? tag : "N1", b.data, b.len);
  }
  citeconv_buf_free(&b);
  citeconv_buf_free(&text);
}

/* A range as an ISO 8601 interval, "2011-05-25/2012-06-26", which the
 * reader reads back; false (and a not-carried note by the caller) when
 * the parts do not fit that form. */
static bool iso_range(citeconv_buf *b, const citeconv_date *d)
{
  int ey = d->end_year ? d->end_year : d->year;
  if (d->year <= 0 || ey <= 0 || d->season || d->end_season ||
      (d->day && !d->month) || (d->end_day && !d->end_month))
    return false;
  citeconv_buf_clear(b);
  citeconv_buf_printf(b, "%04d", d->year);
  if (d->month)
    citeconv_buf_printf(b, "-%02d", d->month);
  if (d->day)
    citeconv_buf_printf(b, "-%02d", d->day);
  citeconv_buf_printf(b, "/%04d", ey);
  if (d->end_month)
    citeconv_buf_printf(b, "-%02d", d->end_month);
  if (d->end_day)
    citeconv_buf_printf(b, "-%02d", d->end_day);
  return true;
}

/* "476-481" as SP and EP; anything else ("S12", "1-5, 7") in SP. */
static void put_pages(ris_writer *w, const char *p)
{
  size_t n = strlen(p), dash = 0, ndash = 0, dl = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i] == '-') {
      dash = i;
      dl = 1;
      ndash++;
    } else if (i + 3 <= n && memcmp(p + i, "\xE2\x80\x93", 3) == 0) {
      ndash = 99; /* an en dash stays: SP holds the range */
    } else if (p[i] == ',' || p[i] == '&') {
      ndash = 99;
    }
  }
  if (ndash == 1 && dash > 0 && dash + dl < n) {
    put_tag(w, "SP", p, dash);
    put_tag(w, "EP", p + dash + dl, n - dash - dl);
  } else {
    put_tag(w, "SP", p, n);
  }
}

static bool valid_tag(const char *t)
{
  size_t n = strlen(t);
  if (n < 2 || n > 5 || t[0] < 'A' || t[0] > 'Z')
    return false;
  for (size_t i = 1; i < n; i++)
    if (!((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= '0' && t[i] <= '9')))
      return false;
  /* TY and ER would start or end a record. */
  if (strcmp(t, "TY") == 0 || strcmp(t, "ER") == 0)
    return false;
  return n == 2 || citeconv_ris_tag_find(t, n);
}

int citeconv_ris_write_record(citeconv_writer *wb, const citeconv_record *rec)
{
  ris_writer *w = (ris_writer *)wb;
  citeconv_output *o = wb->out;
  citeconv_type type = citeconv_record_type(rec);
  const ris_type *rt = citeconv_ris_type_for_csl(type);
  const char *ty = rt->ris;
  const char *ty_extra = citeconv_record_extra(rec, "ris:TY");
  bool ty_kept = true, interleave = affiliations_interleaved(rec);
  unsigned groups;
  size_t nf = citeconv_record_field_count(rec);
  size_t nn = citeconv_record_name_count(rec);
  size_t ne = citeconv_record_extra_count(rec);

  memset(w->markup_told, 0, sizeof w->markup_told);
  /* The TY the source gave (CONF, EBOOK...) when it is a RIS type of the
   * record's type; never a type RIS does not have. Another one (unknown
   * to RIS, or no longer the record's type) goes to N1 as
   * "ris:TY: value", which the reader reads back as the same extra. */
  if (ty_extra) {
    const ris_type *x = citeconv_ris_type_find(ty_extra, strlen(ty_extra));
    if (x && x->csl == type) {
      ty = x->ris;
      rt = x;
    } else {
      ty_kept = false;
    }
  }
  groups = rt->groups;
  put_tag(w, "TY", ty, strlen(ty));
  /* AD lines that are no author's in particular: with the authors'
   * affiliations after each AU, they go before the authors, where no AU
   * line precedes them (at the end they could follow the last AU). */
  if (interleave && citeconv_record_role_count(rec, CITECONV_VAR_AUTHOR) > 1)
    for (size_t i = 0; i < ne; i++) {
      const citeconv_extra *e = citeconv_record_extra_at(rec, i);
      if (strcmp(e->name, "ris:AD") == 0)
        put_tag(w, "AD", e->value, strlen(e->value));
    }
  if (ty_extra && !ty_kept) {
    citeconv_buf b = CITECONV_BUF_INIT;
    citeconv_buf_printf(&b, "ris:TY: %s", ty_extra);
    put_tag(w, "N1", b.data, b.len);
    citeconv_buf_free(&b);
  }
  {
    /* A CSL type RIS has no type for ("review-book" as GEN) goes to N1
     * as "type: review-book", which the reader reads back. */
    const ris_type *back = citeconv_ris_type_find(ty, strlen(ty));
    if (back && back->csl != type) {
      char buf[64];
      int k = snprintf(buf, sizeof buf, "type: %s", citeconv_type_name(type));
      put_tag(w, "N1", buf, (size_t)k);
    }
  }

  /* Variables in the order of vars.def; names and dates where their kind
   * puts them. */
  for (int v = 0; v < CITECONV_VAR__COUNT; v++) {
    citeconv_var var = (citeconv_var)v;
    citeconv_var_kind kind = citeconv_var_kind_of(var);
    const char *tag = w->tag[groups & RIS_G_ALL][v];
    if (kind == CITECONV_KIND_NAME) {
      /* Authors' affiliations go after each AU when more than the last
       * author has some (or there is one author), else named. */
      bool authors = var == CITECONV_VAR_AUTHOR;
      const citeconv_name *last = NULL;
      if (authors)
        for (size_t i = 0; i < nn; i++) {
          const citeconv_name *nm = citeconv_record_name_at(rec, i);
          if (nm->role == var)
            last = nm;
        }
      for (size_t i = 0; i < nn; i++) {
        const citeconv_name *nm = citeconv_record_name_at(rec, i);
        if (nm->role != var)
          continue;
        put_name(w, rec, tag, nm);
        if (authors && interleave)
          put_affiliations(w, nm);
      }
      if (authors && !interleave && last && last->n_affiliations)
        put_named_affiliations(w, rec, last);
      if (citeconv_record_truncated(rec, var)) {
        if (tag) {
          put_tag(w, tag, "et al.", 6);
        } else {
          char buf[64];
          int k = snprintf(buf, sizeof buf, "%s: et al.",
                           citeconv_var_name(var));
          put_tag(w, "N1", buf, (size_t)k);
        }
      }
      continue;
    }
    if (kind == CITECONV_KIND_DATE) {
      const citeconv_date *d = citeconv_record_date(rec, var);
      if (d)
        put_date(w, rec, var, d);
      continue;
    }
    for (size_t i = 0; i < nf; i++) {
      const citeconv_field *f = citeconv_record_field_at(rec, i);
      if (f->var != var)
        continue;
      if (var == CITECONV_VAR_PAGE) {
        put_pages(w, f->value);
      } else if (tag && (var == CITECONV_VAR_ISSN ||
                         var == CITECONV_VAR_ISBN)) {
        /* "0915-5287, 2187-5626": an SN for each, as the reader joins
         * them. */
        const char *id = f->value, *e;
        while ((e = strstr(id, ", ")) != NULL) {
          put_value(w, rec, var, tag, id, (size_t)(e - id));
          id = e + 2;
        }
        put_value(w, rec, var, tag, id, strlen(id));
      } else if (tag) {
        put_value(w, rec, var, tag, f->value, f->len);
      } else {
        citeconv_buf b = CITECONV_BUF_INIT;
        citeconv_buf_printf(&b, "%s: ", citeconv_var_name(var));
        citeconv_buf_add(&b, f->value, f->len);
        put_value(w, rec, var, "N1", b.data, b.len);
        citeconv_buf_free(&b);
      }
    }
  }

  /* Extras: RIS's own come back as their tags; every other one goes to
   * N1 as "name: value" ("bibtex:affiliation: ..."), which the reader
   * turns back into the same extra when the name has a format's prefix. */
  for (size_t i = 0; i < ne; i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    if (strncmp(e->name, "ris:", 4) == 0) {
      if (strcmp(e->name, "ris:TY") == 0 && e->value == ty_extra)
        continue; /* written with TY above */
      if (strcmp(e->name, "ris:AD") == 0 && interleave &&
          citeconv_record_role_count(rec, CITECONV_VAR_AUTHOR) > 1)
        continue; /* written after TY above */
      if (strcmp(e->name, "ris:TY") != 0 && valid_tag(e->name + 4)) {
        put_tag(w, e->name + 4, e->value, strlen(e->value));
        continue;
      }
    }
    {
      citeconv_buf b = CITECONV_BUF_INIT;
      citeconv_buf_printf(&b, "%s: %s", e->name, e->value);
      put_tag(w, "N1", b.data, b.len);
      citeconv_buf_free(&b);
    }
  }
  citeconv_out_printf(o, "ER  - %s%s", w->eol, w->eol);
  return o->error ? CITECONV_EIO : 0;
}

int citeconv_ris_write_begin(citeconv_writer **out, citeconv_session *s,
                             citeconv_output *o)
{
  ris_writer *w;
  const char *eol = citeconv_session_option(s, "ris-eol");
  *out = NULL;
  if (eol && strcmp(eol, "lf") != 0 && strcmp(eol, "crlf") != 0)
    return citeconv_session_fail(s, CITECONV_EUSAGE,
                                 "option ris-eol takes lf or crlf, not '%s'",
                                 eol);
  w = calloc(1, sizeof(*w));
  if (!w)
    return CITECONV_ENOMEM;
  citeconv_writer_init(&w->base, &citeconv_format_ris, s, o);
  w->eol = (eol && strcmp(eol, "lf") == 0) ? "\n" : "\r\n";
  for (unsigned g = 0; g <= RIS_G_ALL; g++)
    for (int v = 0; v < CITECONV_VAR__COUNT; v++)
      w->tag[g][v] = citeconv_ris_var_tag((citeconv_var)v, g);
  *out = &w->base;
  return 0;
}

int citeconv_ris_write_end(citeconv_writer *w)
{
  return citeconv_out_flush(w->out);
}

void citeconv_ris_write_free(citeconv_writer *wb)
{
  ris_writer *w = (ris_writer *)wb;
  if (!w)
    return;
  citeconv_buf_free(&w->plain);
  free(w);
}
