/* The debug writer: a canonical dump of each record, one field per line,
 * with source positions. Reader golden tests compare these dumps. */
#include <stdlib.h>
#include <string.h>

#include "format.h"

typedef struct {
  citeconv_writer base;
  bool positions; /* off with --set debug-positions=no (round trips) */
} debug_writer;

static void put_pos(citeconv_output *o, citeconv_pos pos)
{
  /* The writer clears pos.line when positions are off. */
  if (pos.line)
    citeconv_out_printf(o, " @%u:%u", (unsigned)pos.line, (unsigned)pos.col);
  citeconv_out_putc(o, '\n');
}

static void put_str(citeconv_output *o, const char *key, const char *s)
{
  if (!s)
    return;
  citeconv_out_printf(o, " %s=", key);
  citeconv_out_json_string(o, s, strlen(s));
}

static void put_ymd(citeconv_output *o, int y, int m, int d)
{
  citeconv_out_printf(o, "%d", y);
  if (m)
    citeconv_out_printf(o, "-%02d", m);
  if (d)
    citeconv_out_printf(o, "-%02d", d);
}

static void put_date(citeconv_output *o, const char *name,
                     const citeconv_date *d, bool positions)
{
  bool start = d->year || d->month || d->day;
  bool end = d->end_year || d->end_month || d->end_day;
  citeconv_out_printf(o, "  %s:", name);
  if (start || end)
    citeconv_out_putc(o, ' ');
  if (start)
    put_ymd(o, d->year, d->month, d->day);
  if (end) {
    /* A range with an open start prints as "/2004-01-01". */
    citeconv_out_putc(o, '/');
    put_ymd(o, d->end_year, d->end_month, d->end_day);
  }
  if (d->season)
    citeconv_out_printf(o, " season=%d", d->season);
  if (d->end_season)
    citeconv_out_printf(o, " end-season=%d", d->end_season);
  if (d->circa)
    citeconv_out_puts(o, " circa");
  put_str(o, "literal", d->literal);
  put_str(o, "raw", d->raw);
  put_pos(o, positions ? d->pos : (citeconv_pos){0, 0});
}

static void put_name(citeconv_output *o, const citeconv_name *n, size_t idx,
                     bool positions)
{
  citeconv_out_printf(o, "  %s[%zu]:", citeconv_var_name(n->role), idx);
  put_str(o, "family", n->family);
  put_str(o, "given", n->given);
  put_str(o, "dropping-particle", n->dropping_particle);
  put_str(o, "non-dropping-particle", n->non_dropping_particle);
  put_str(o, "suffix", n->suffix);
  put_str(o, "literal", n->literal);
  put_str(o, "orcid", n->orcid);
  if (n->comma_suffix)
    citeconv_out_puts(o, " comma-suffix");
  if (n->static_ordering)
    citeconv_out_puts(o, " static-ordering");
  for (size_t i = 0; i < n->n_affiliations; i++)
    put_str(o, "affiliation", n->affiliations[i]);
  put_pos(o, positions ? n->pos : (citeconv_pos){0, 0});
}

static int debug_record(citeconv_writer *w, const citeconv_record *rec)
{
  citeconv_output *o = w->out;
  bool positions = ((debug_writer *)w)->positions;
  citeconv_pos none = {0, 0};
  size_t nnames = citeconv_record_name_count(rec);
  size_t nfields = citeconv_record_field_count(rec);

  citeconv_out_printf(o, "record %zu", w->nrecords + 1);
  put_pos(o, positions ? citeconv_record_pos(rec) : none);
  citeconv_out_printf(o, "  type: %s\n",
                      citeconv_type_name(citeconv_record_type(rec)));
  /* Variables in canonical order; repeated values in the order added. */
  for (int v = 0; v < CITECONV_VAR__COUNT; v++) {
    citeconv_var_kind kind = citeconv_var_kind_of((citeconv_var)v);
    if (kind == CITECONV_KIND_NAME) {
      size_t idx = 0;
      for (size_t i = 0; i < nnames; i++) {
        const citeconv_name *n = citeconv_record_name_at(rec, i);
        if ((int)n->role == v)
          put_name(o, n, idx++, positions);
      }
      if (citeconv_record_truncated(rec, (citeconv_var)v))
        citeconv_out_printf(o, "  %s: truncated\n",
                            citeconv_var_name((citeconv_var)v));
    } else if (kind == CITECONV_KIND_DATE) {
      const citeconv_date *d = citeconv_record_date(rec, (citeconv_var)v);
      if (d)
        put_date(o, citeconv_var_name((citeconv_var)v), d, positions);
    } else {
      for (size_t i = 0; i < nfields; i++) {
        const citeconv_field *f = citeconv_record_field_at(rec, i);
        if ((int)f->var != v)
          continue;
        citeconv_out_printf(o, "  %s: ", citeconv_var_name(f->var));
        citeconv_out_json_string(o, f->value, f->len);
        put_pos(o, positions ? f->pos : none);
      }
    }
  }
  for (size_t i = 0; i < citeconv_record_extra_count(rec); i++) {
    const citeconv_extra *e = citeconv_record_extra_at(rec, i);
    citeconv_out_puts(o, "  extra ");
    citeconv_out_json_string(o, e->name, strlen(e->name));
    citeconv_out_puts(o, ": ");
    citeconv_out_json_string(o, e->value, strlen(e->value));
    put_pos(o, positions ? e->pos : none);
  }
  return o->error ? CITECONV_EIO : 0;
}

static int debug_begin(citeconv_writer **out, citeconv_session *s,
                       citeconv_output *o)
{
  debug_writer *w = calloc(1, sizeof(*w));
  const char *opt = citeconv_session_option(s, "debug-positions");
  *out = NULL;
  if (!w)
    return CITECONV_ENOMEM;
  citeconv_writer_init(&w->base, &citeconv_format_debug, s, o);
  w->positions = !opt || strcmp(opt, "no") != 0;
  *out = &w->base;
  return 0;
}

static int debug_end(citeconv_writer *w)
{
  return citeconv_out_flush(w->out);
}

static void debug_free(citeconv_writer *w)
{
  free(w);
}

const citeconv_format citeconv_format_debug = {
    .name = "debug",
    .summary = "canonical dump of the record, one field per line (output only)",
    .begin = debug_begin,
    .record = debug_record,
    .end = debug_end,
    .free = debug_free,
};
