/* CSL-JSON writer: an array of items (pretty, keys in a stable order) or
 * csl-ndjson (one compact item per line). Output is valid against the
 * CSL-JSON schema: fields CSL has no variable for travel in `custom`. */
#include <stdlib.h>
#include <string.h>

#include "csl_json.h"
#include "text.h"

typedef struct {
  citeconv_writer base;
  bool ndjson;
  int indent; /* spaces per level; 0 = compact */
  unsigned char kind[CITECONV_VAR__COUNT]; /* each variable's kind */
} cj_writer;

static void newline(cj_writer *w, int level)
{
  static const char spaces[] = "\n                                        "
                               "                                        ";
  size_t n;
  if (w->indent <= 0)
    return;
  /* The line end and the indentation in one write, in pieces when deep. */
  n = (size_t)level * (size_t)w->indent + 1;
  citeconv_out_write(w->base.out, spaces,
                     n < sizeof spaces - 1 ? n : sizeof spaces - 1);
  for (n -= n < sizeof spaces - 1 ? n : sizeof spaces - 1; n > 0;) {
    size_t k = n < sizeof spaces - 2 ? n : sizeof spaces - 2;
    citeconv_out_write(w->base.out, spaces + 1, k);
    n -= k;
  }
}

/* A key from the input (an extra field's name), escaped as JSON needs. */
static void key_text(cj_writer *w, int level, bool *first, const char *k)
{
  citeconv_output *o = w->base.out;
  if (!*first)
    citeconv_out_putc(o, ',');
  *first = false;
  newline(w, level);
  citeconv_out_json_string(o, k, strlen(k));
  citeconv_out_puts(o, w->indent > 0 ? ": " : ":");
}

/* The comma, the line end, the indentation and a key of ours (variable
 * names and CSL's own keys: JSON holds them as they are) in one write. */
static void key(cj_writer *w, int level, bool *first, const char *k)
{
  size_t kl = strlen(k);
  size_t ind = w->indent > 0 ? (size_t)level * (size_t)w->indent : 0;
  char buf[160];
  size_t n = 0;
  if (kl > 48 || ind > 96) {
    key_text(w, level, first, k);
    return;
  }
  if (!*first)
    buf[n++] = ',';
  *first = false;
  if (w->indent > 0) {
    buf[n++] = '\n';
    memset(buf + n, ' ', ind);
    n += ind;
  }
  buf[n++] = '"';
  memcpy(buf + n, k, kl);
  n += kl;
  buf[n++] = '"';
  buf[n++] = ':';
  if (w->indent > 0)
    buf[n++] = ' ';
  citeconv_out_write(w->base.out, buf, n);
}

static void str(cj_writer *w, const char *s)
{
  citeconv_out_json_string(w->base.out, s, strlen(s));
}

static void name_part(cj_writer *w, int level, bool *first, const char *k,
                      const char *v)
{
  if (!v)
    return;
  key(w, level, first, k);
  str(w, v);
}

static void write_name(cj_writer *w, int level, const citeconv_name *n)
{
  citeconv_output *o = w->base.out;
  bool first = true;
  citeconv_out_putc(o, '{');
  name_part(w, level + 1, &first, "family", n->family);
  name_part(w, level + 1, &first, "given", n->given);
  name_part(w, level + 1, &first, "dropping-particle", n->dropping_particle);
  name_part(w, level + 1, &first, "non-dropping-particle",
            n->non_dropping_particle);
  name_part(w, level + 1, &first, "suffix", n->suffix);
  if (n->comma_suffix) {
    key(w, level + 1, &first, "comma-suffix");
    citeconv_out_puts(o, "true");
  }
  if (n->static_ordering) {
    key(w, level + 1, &first, "static-ordering");
    citeconv_out_puts(o, "true");
  }
  name_part(w, level + 1, &first, "literal", n->literal);
  if (first) /* a name with no parts at all */
    name_part(w, level + 1, &first, "literal", "");
  newline(w, level);
  citeconv_out_putc(o, '}');
}

static void date_parts(cj_writer *w, int y, int m, int d)
{
  citeconv_output *o = w->base.out;
  const char *sep = w->indent > 0 ? ", " : ",";
  char num[24];
  citeconv_out_putc(o, '[');
  citeconv_out_write(o, num, citeconv_decimal(num, y));
  if (m) {
    citeconv_out_puts(o, sep);
    citeconv_out_write(o, num, citeconv_decimal(num, m));
    if (d) {
      citeconv_out_puts(o, sep);
      citeconv_out_write(o, num, citeconv_decimal(num, d));
    }
  }
  citeconv_out_putc(o, ']');
}

static void write_date(cj_writer *w, int level, const citeconv_date *d)
{
  citeconv_output *o = w->base.out;
  bool first = true;
  citeconv_out_putc(o, '{');
  if (d->year) {
    key(w, level + 1, &first, "date-parts");
    citeconv_out_putc(o, '[');
    /* A season travels as month 21..24 when there is no month. */
    date_parts(w, d->year, d->month ? d->month : (d->season ? 20 + d->season : 0),
               d->day);
    if (d->end_year || d->end_month || d->end_day || d->end_season) {
      citeconv_out_puts(o, w->indent > 0 ? ", " : ",");
      date_parts(w, d->end_year ? d->end_year : d->year,
                 d->end_month ? d->end_month
                              : (d->end_season ? 20 + d->end_season : 0),
                 d->end_day);
    }
    citeconv_out_putc(o, ']');
  }
  if (d->season && d->month) {
    key(w, level + 1, &first, "season");
    citeconv_out_printf(o, "%d", d->season);
  }
  if (d->circa) {
    key(w, level + 1, &first, "circa");
    citeconv_out_puts(o, "true");
  }
  if (d->literal) {
    key(w, level + 1, &first, "literal");
    str(w, d->literal);
  }
  if (d->raw) {
    key(w, level + 1, &first, "raw");
    str(w, d->raw);
  } else if (!d->year && d->end_year) {
    /* date-parts cannot say "until 2004": an open start goes as EDTF. */
    char edtf[48];
    int n = snprintf(edtf, sizeof edtf, "../%04d", d->end_year);
    if (d->end_month)
      n += snprintf(edtf + n, sizeof edtf - (size_t)n, "-%02d", d->end_month);
    if (d->end_month && d->end_day)
      snprintf(edtf + n, sizeof edtf - (size_t)n, "-%02d", d->end_day);
    key(w, level + 1, &first, "raw");
    str(w, edtf);
  }
  if (first) {
    key(w, level + 1, &first, "literal");
    str(w, "");
  }
  newline(w, level);
  citeconv_out_putc(o, '}');
}

static void write_names(cj_writer *w, int level, bool *first,
                        const citeconv_record *rec, citeconv_var role)
{
  citeconv_output *o = w->base.out;
  size_t n = citeconv_record_name_count(rec);
  bool any = false;
  for (size_t i = 0; i < n; i++) {
    const citeconv_name *nm = citeconv_record_name_at(rec, i);
    if (nm->role != role)
      continue;
    if (!any) {
      key(w, level, first, citeconv_var_name(role));
      citeconv_out_putc(o, '[');
    } else {
      citeconv_out_putc(o, ',');
    }
    any = true;
    newline(w, level + 1);
    write_name(w, level + 1, nm);
  }
  if (any) {
    newline(w, level);
    citeconv_out_putc(o, ']');
  }
}

/* Every value of a text variable, joined with ", " (keywords) or as an
 * array (categories); other variables take the first value. */
static void write_text(cj_writer *w, int level, bool *first,
                       const citeconv_record *rec, citeconv_var var)
{
  citeconv_output *o = w->base.out;
  size_t n = citeconv_record_field_count(rec), count = 0;
  for (size_t i = 0; i < n; i++) {
    const citeconv_field *f = citeconv_record_field_at(rec, i);
    if (f->var != var)
      continue;
    if (count == 0) {
      key(w, level, first, citeconv_var_name(var));
      if (var == CITECONV_VAR_CATEGORIES)
        citeconv_out_putc(o, '[');
      else if (var == CITECONV_VAR_KEYWORD)
        citeconv_out_putc(o, '"');
    } else if (var == CITECONV_VAR_CATEGORIES) {
      citeconv_out_puts(o, w->indent > 0 ? ", " : ",");
    } else if (var == CITECONV_VAR_KEYWORD) {
      citeconv_out_puts(o, ", ");
    } else {
      char what[96];
      snprintf(what, sizeof what, "a further '%s' value",
               citeconv_var_name(var));
      citeconv_writer_not_carried(&w->base, rec, what);
      count++;
      continue;
    }
    if (var == CITECONV_VAR_KEYWORD) {
      citeconv_out_json_chars(o, f->value, f->len);
    } else {
      citeconv_out_json_string(o, f->value, f->len);
    }
    count++;
  }
  if (count && var == CITECONV_VAR_CATEGORIES)
    citeconv_out_putc(o, ']');
  else if (count && var == CITECONV_VAR_KEYWORD)
    citeconv_out_putc(o, '"');
}

/* ORCID identifiers and affiliations, which CSL names cannot hold. */
static void write_name_details(cj_writer *w, int level, bool *cfirst,
                               const citeconv_record *rec)
{
  citeconv_output *o = w->base.out;
  size_t n = citeconv_record_name_count(rec);
  size_t index[CITECONV_VAR__COUNT] = {0};
  bool any = false;
  for (size_t i = 0; i < n; i++) {
    const citeconv_name *nm = citeconv_record_name_at(rec, i);
    size_t ix = index[nm->role]++;
    bool first = true;
    if (!nm->orcid && !nm->n_affiliations)
      continue;
    if (!any) {
      key(w, level, cfirst, CSL_JSON_NAME_DETAILS_KEY);
      citeconv_out_putc(o, '[');
    } else {
      citeconv_out_putc(o, ',');
    }
    any = true;
    newline(w, level + 1);
    citeconv_out_putc(o, '{');
    key(w, level + 2, &first, "role");
    str(w, citeconv_var_name(nm->role));
    key(w, level + 2, &first, "index");
    citeconv_out_printf(o, "%zu", ix);
    if (nm->orcid) {
      key(w, level + 2, &first, "ORCID");
      str(w, nm->orcid);
    }
    if (nm->n_affiliations) {
      key(w, level + 2, &first, "affiliation");
      citeconv_out_putc(o, '[');
      for (size_t a = 0; a < nm->n_affiliations; a++) {
        if (a)
          citeconv_out_puts(o, w->indent > 0 ? ", " : ",");
        str(w, nm->affiliations[a]);
      }
      citeconv_out_putc(o, ']');
    }
    newline(w, level + 1);
    citeconv_out_putc(o, '}');
  }
  if (any) {
    newline(w, level);
    citeconv_out_putc(o, ']');
  }
}

static bool has_name_details(const citeconv_record *rec)
{
  size_t n = citeconv_record_name_count(rec);
  for (size_t i = 0; i < n; i++) {
    const citeconv_name *nm = citeconv_record_name_at(rec, i);
    if (nm->orcid || nm->n_affiliations)
      return true;
  }
  return false;
}

static void write_custom(cj_writer *w, int level, bool *first,
                         const citeconv_record *rec)
{
  citeconv_output *o = w->base.out;
  size_t n = citeconv_record_extra_count(rec);
  char truncated[512] = "";
  bool cfirst = true, details = has_name_details(rec);
  for (int v = 0; v < CITECONV_VAR__COUNT; v++)
    if (citeconv_var_kind_of((citeconv_var)v) == CITECONV_KIND_NAME &&
        citeconv_record_truncated(rec, (citeconv_var)v)) {
      if (*truncated)
        strcat(truncated, " ");
      strcat(truncated, citeconv_var_name((citeconv_var)v));
    }
  if (!n && !*truncated && !details)
    return;
  key(w, level, first, "custom");
  citeconv_out_putc(o, '{');
  for (size_t i = 0; i < n; i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    size_t same = 0;
    bool seen = false;
    for (size_t j = 0; j < i && !seen; j++)
      seen = strcmp(citeconv_record_extra_at(rec, j)->name, e->name) == 0;
    if (seen)
      continue;
    for (size_t j = i; j < n; j++)
      same += strcmp(citeconv_record_extra_at(rec, j)->name, e->name) == 0;
    key_text(w, level + 1, &cfirst, e->name);
    if (same == 1) {
      str(w, e->value);
      continue;
    }
    /* A repeated field becomes an array, in order. */
    citeconv_out_putc(o, '[');
    for (size_t j = i, k = 0; j < n; j++) {
      const citeconv_extra *f = citeconv_record_extra_at(rec, j);
      if (strcmp(f->name, e->name) != 0)
        continue;
      if (k++)
        citeconv_out_puts(o, w->indent > 0 ? ", " : ",");
      str(w, f->value);
    }
    citeconv_out_putc(o, ']');
  }
  if (*truncated) {
    key(w, level + 1, &cfirst, CSL_JSON_TRUNCATED_KEY);
    str(w, truncated);
  }
  if (details)
    write_name_details(w, level + 1, &cfirst, rec);
  newline(w, level);
  citeconv_out_putc(o, '}');
}

static int cj_record(citeconv_writer *base, const citeconv_record *rec)
{
  cj_writer *w = (cj_writer *)base;
  citeconv_output *o = base->out;
  int level = w->ndjson ? 0 : 1;
  bool first = true;
  const char *id = citeconv_record_text(rec, CITECONV_VAR_ID);
  char gen[32];
  unsigned char present[CITECONV_VAR__COUNT];

  if (!w->ndjson) {
    if (base->nrecords)
      citeconv_out_putc(o, ',');
    if (w->indent > 0)
      newline(w, 1);
    else
      citeconv_out_putc(o, '\n');
  }
  citeconv_out_putc(o, '{');
  /* The schema requires an id: the citation key, or a generated one. */
  if (!id)
    id = citeconv_record_text(rec, CITECONV_VAR_CITATION_KEY);
  if (!id) {
    snprintf(gen, sizeof gen, "item-%zu", base->nrecords + 1);
    id = gen;
  }
  key(w, level + 1, &first, "id");
  str(w, id);
  key(w, level + 1, &first, "type");
  str(w, citeconv_type_name(citeconv_record_type(rec)));
  /* Which variables the record has, found in one pass: the loop below
   * visits them in the fixed order of the variable table. */
  memset(present, 0, sizeof present);
  for (size_t i = 0, n = citeconv_record_field_count(rec); i < n; i++)
    present[citeconv_record_field_at(rec, i)->var] = 1;
  for (size_t i = 0, n = citeconv_record_name_count(rec); i < n; i++)
    present[citeconv_record_name_at(rec, i)->role] = 1;
  for (int v = 0; v < CITECONV_VAR__COUNT; v++) {
    citeconv_var var = (citeconv_var)v;
    if (var == CITECONV_VAR_ID)
      continue;
    if (!present[v] && w->kind[v] != CITECONV_KIND_DATE)
      continue;
    switch ((citeconv_var_kind)w->kind[v]) {
    case CITECONV_KIND_NAME:
      write_names(w, level + 1, &first, rec, var);
      break;
    case CITECONV_KIND_DATE: {
      const citeconv_date *d = citeconv_record_date(rec, var);
      if (d) {
        key(w, level + 1, &first, citeconv_var_name(var));
        write_date(w, level + 1, d);
      }
      break;
    }
    default:
      write_text(w, level + 1, &first, rec, var);
      break;
    }
  }
  write_custom(w, level + 1, &first, rec);
  newline(w, level);
  citeconv_out_putc(o, '}');
  if (w->ndjson)
    citeconv_out_putc(o, '\n');
  return o->error ? CITECONV_EIO : 0;
}

static int begin(citeconv_writer **out, citeconv_session *s,
                 citeconv_output *o, bool ndjson)
{
  cj_writer *w = calloc(1, sizeof(*w));
  *out = NULL;
  if (!w)
    return CITECONV_ENOMEM;
  citeconv_writer_init(&w->base,
                       ndjson ? &citeconv_format_csl_ndjson
                              : &citeconv_format_csl_json,
                       s, o);
  w->ndjson = ndjson;
  for (int v = 0; v < CITECONV_VAR__COUNT; v++)
    w->kind[v] = (unsigned char)citeconv_var_kind_of((citeconv_var)v);
  w->indent = ndjson ? 0 : (int)citeconv_session_option_size(s, "csl-json-indent");
  if (w->indent > 16)
    w->indent = 16;
  if (!ndjson)
    citeconv_out_putc(o, '[');
  *out = &w->base;
  return 0;
}

static int cj_begin(citeconv_writer **out, citeconv_session *s,
                    citeconv_output *o)
{
  return begin(out, s, o, false);
}

static int ndjson_begin(citeconv_writer **out, citeconv_session *s,
                        citeconv_output *o)
{
  return begin(out, s, o, true);
}

static int cj_end(citeconv_writer *base)
{
  cj_writer *w = (cj_writer *)base;
  if (!w->ndjson)
    citeconv_out_puts(base->out, base->nrecords ? "\n]\n" : "]\n");
  return citeconv_out_flush(base->out);
}

static void cj_free(citeconv_writer *w)
{
  free(w);
}

static int cj_open(citeconv_reader **out, citeconv_session *s,
                   citeconv_input *in)
{
  return citeconv_csl_json_open(out, s, in, &citeconv_format_csl_json);
}

static int ndjson_open(citeconv_reader **out, citeconv_session *s,
                       citeconv_input *in)
{
  return citeconv_csl_json_open(out, s, in, &citeconv_format_csl_ndjson);
}

static int ndjson_detect(const unsigned char *head, size_t len)
{
  /* Only a '{' start with a second line that starts with '{' too. */
  const unsigned char *nl = memchr(head, '\n', len);
  if (citeconv_csl_json_detect(head, len) != 70 || !nl)
    return 0;
  while (nl < head + len && (*nl == '\n' || *nl == '\r'))
    nl++;
  return nl < head + len && *nl == '{' ? 75 : 0;
}

const citeconv_format citeconv_format_csl_json = {
    .name = "csl-json",
    .summary = "CSL-JSON: the data format of citeproc, pandoc and Zotero",
    .detect = citeconv_csl_json_detect,
    .open = cj_open,
    .next = citeconv_csl_json_next,
    .close = citeconv_csl_json_close,
    .begin = cj_begin,
    .record = cj_record,
    .end = cj_end,
    .free = cj_free,
};

const citeconv_format citeconv_format_csl_ndjson = {
    .name = "csl-ndjson",
    .summary = "CSL-JSON items, one compact item per line",
    .detect = ndjson_detect,
    .open = ndjson_open,
    .next = citeconv_csl_json_next,
    .close = citeconv_csl_json_close,
    .begin = ndjson_begin,
    .record = cj_record,
    .end = cj_end,
    .free = cj_free,
};
