/* CSL-JSON writer: an array of items (pretty, keys in a stable order) or
 * csl-ndjson (one compact item per line). Output is valid against the
 * CSL-JSON schema: fields CSL has no variable for travel in `custom`. */
#include <stdlib.h>
#include <string.h>

#include "csl_json.h"
#include "text.h"
#include "vec.h"

/* The deepest indentation a key or a line end is written with in one
 * piece; deeper ones (a large indent) go out in pieces. */
#define CJ_PAD_MAX 128
/* Words of a set of variables, one bit each. */
#define CJ_VAR_WORDS ((CITECONV_VAR__COUNT + 31) / 32)
/* The end of a chain of fields or names. */
#define CJ_END ((size_t)-1)
/* Keys and indentation are copied in spans of this many bytes: one span
 * holds any key and the usual indentation. */
#define CJ_SPAN 32
/* The rare paths (a full buffer, deep indentation) stay out of line, so
 * that the common ones stay short and save few registers. */
#if defined(__GNUC__) || defined(__clang__)
#define CJ_RARE __attribute__((cold, noinline))
#else
#define CJ_RARE
#endif

/* CSL's own keys, numbered after the variables (whose keys are their
 * names): a key is a variable or one of these. */
#define CJ_OWN_KEYS(X)                                                        \
  X(ID, "id")                                                                 \
  X(TYPE, "type")                                                             \
  X(FAMILY, "family")                                                         \
  X(GIVEN, "given")                                                           \
  X(DROPPING_PARTICLE, "dropping-particle")                                   \
  X(NON_DROPPING_PARTICLE, "non-dropping-particle")                           \
  X(SUFFIX, "suffix")                                                         \
  X(COMMA_SUFFIX, "comma-suffix")                                             \
  X(STATIC_ORDERING, "static-ordering")                                       \
  X(LITERAL, "literal")                                                       \
  X(DATE_PARTS, "date-parts")                                                 \
  X(SEASON, "season")                                                         \
  X(CIRCA, "circa")                                                           \
  X(RAW, "raw")                                                               \
  X(CUSTOM, "custom")                                                         \
  X(TRUNCATED, CSL_JSON_TRUNCATED_KEY)                                        \
  X(NAME_DETAILS, CSL_JSON_NAME_DETAILS_KEY)                                  \
  X(ROLE, "role")                                                             \
  X(INDEX, "index")                                                           \
  X(ORCID, "ORCID")                                                           \
  X(AFFILIATION, "affiliation")

enum {
  CJ_KEY__FIRST = CITECONV_VAR__COUNT - 1,
#define CJ_KEY_X(id, spelling) CJ_KEY_##id,
  CJ_OWN_KEYS(CJ_KEY_X)
#undef CJ_KEY_X
  CJ_KEY__COUNT
};

static const char *const own_keys[] = {
#define CJ_KEY_X(id, spelling) spelling,
    CJ_OWN_KEYS(CJ_KEY_X)
#undef CJ_KEY_X
};

typedef struct {
  citeconv_writer base;
  bool ndjson;
  int indent; /* spaces per level; 0 = compact */
  unsigned char kind[CITECONV_VAR__COUNT]; /* each variable's kind */
  /* What goes before a key: ",\n" and CJ_PAD_MAX spaces when indented,
   * "," when compact; lead + 1 is the line end and its indentation. The
   * last span is there to be read over. */
  char lead[2 + CJ_PAD_MAX + CJ_SPAN];
  size_t lead_len; /* the part of lead that comes before any indentation */
  /* Each key as written ("\"title\": ", or "\"title\":" when compact):
   * key_len[k] bytes at keys + key_at[k], in one allocation that can be
   * read a span past any key's start. */
  char *keys;
  size_t key_at[CJ_KEY__COUNT];
  size_t key_len[CJ_KEY__COUNT];
  unsigned dates[CJ_VAR_WORDS]; /* the DATE variables, as bits */
  citeconv_var name_vars[CITECONV_VAR__COUNT]; /* the NAME variables */
  size_t n_name_vars;
  /* The fields and then the names of the record being written, chained
   * by variable: next[i] follows field i, next[nfields + j] name j. */
  size_t *next;
  size_t next_cap;
} cj_writer;

/* Copy s[0..n) to d a span at a time: s must be readable and d writable
 * up to n rounded up to a whole span, and at least one span (what lies
 * past n in d is left to be written over). */
static void copy_spans(char *d, const char *s, size_t n)
{
  memcpy(d, s, CJ_SPAN);
  for (size_t i = CJ_SPAN; i < n; i += CJ_SPAN)
    memcpy(d + i, s + i, CJ_SPAN);
}

/* The line end and n spaces, in pieces when n is large. */
CJ_RARE static void newline_slow(cj_writer *w, size_t n)
{
  citeconv_output *o = w->base.out;
  size_t k = n < CJ_PAD_MAX ? n : CJ_PAD_MAX;
  citeconv_out_write(o, w->lead + 1, k + 1);
  for (n -= k; n > 0; n -= k) {
    k = n < CJ_PAD_MAX ? n : CJ_PAD_MAX;
    citeconv_out_write(o, w->lead + 2, k);
  }
}

static void newline(cj_writer *w, int level)
{
  citeconv_output *o = w->base.out;
  size_t n, len;
  if (w->indent <= 0)
    return;
  /* The line end and the indentation in one copy when there is room. */
  n = (size_t)level * (size_t)w->indent;
  len = o->len;
  if (n <= CJ_PAD_MAX && n + 1 + CJ_SPAN <= o->cap - len && !o->error) {
    copy_spans(o->buf + len, w->lead + 1, n + 1);
    o->len = len + n + 1;
    return;
  }
  newline_slow(w, n);
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

/* A key as key() writes it, a write at a time. */
CJ_RARE static void key_slow(cj_writer *w, int level, bool *first, int k)
{
  citeconv_output *o = w->base.out;
  if (!*first)
    citeconv_out_putc(o, ',');
  *first = false;
  newline(w, level);
  citeconv_out_write(o, w->keys + w->key_at[k], w->key_len[k]);
}

/* The comma, the line end, the indentation and key k (a variable or
 * CJ_KEY_*), which JSON holds as it is: two copies into the output. */
static void key(cj_writer *w, int level, bool *first, int k)
{
  citeconv_output *o = w->base.out;
  size_t pad = (size_t)level * (size_t)w->indent; /* 0 when compact */
  size_t skip = *first ? 1 : 0;
  size_t ll = w->lead_len + pad - skip, kl = w->key_len[k];
  size_t len = o->len;
  if (pad <= CJ_PAD_MAX && ll + kl + 2 * CJ_SPAN <= o->cap - len &&
      !o->error) {
    char *d = o->buf + len;
    copy_spans(d, w->lead + skip, ll);
    copy_spans(d + ll, w->keys + w->key_at[k], kl);
    o->len = len + ll + kl;
    *first = false;
    return;
  }
  key_slow(w, level, first, k);
}

/* A string value s[0..n) from the record (valid UTF-8), quoted and
 * escaped. */
static void str_n(cj_writer *w, const char *s, size_t n)
{
  citeconv_output *o = w->base.out;
  if (citeconv_out_json_short(o, s, n))
    return;
  citeconv_out_putc(o, '"');
  citeconv_out_json_text(o, s, n);
  citeconv_out_putc(o, '"');
}

static void str(cj_writer *w, const char *s)
{
  str_n(w, s, strlen(s));
}

/* A part of a name, when the name has it. */
static void name_part(cj_writer *w, int level, bool *first, int k,
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
  name_part(w, level + 1, &first, CJ_KEY_FAMILY, n->family);
  name_part(w, level + 1, &first, CJ_KEY_GIVEN, n->given);
  name_part(w, level + 1, &first, CJ_KEY_DROPPING_PARTICLE,
            n->dropping_particle);
  name_part(w, level + 1, &first, CJ_KEY_NON_DROPPING_PARTICLE,
            n->non_dropping_particle);
  name_part(w, level + 1, &first, CJ_KEY_SUFFIX, n->suffix);
  if (n->comma_suffix) {
    key(w, level + 1, &first, CJ_KEY_COMMA_SUFFIX);
    citeconv_out_write(o, "true", 4);
  }
  if (n->static_ordering) {
    key(w, level + 1, &first, CJ_KEY_STATIC_ORDERING);
    citeconv_out_write(o, "true", 4);
  }
  name_part(w, level + 1, &first, CJ_KEY_LITERAL, n->literal);
  if (first) /* a name with no parts at all */
    name_part(w, level + 1, &first, CJ_KEY_LITERAL, "");
  newline(w, level);
  citeconv_out_putc(o, '}');
}

static void date_parts(cj_writer *w, int y, int m, int d)
{
  citeconv_output *o = w->base.out;
  size_t sep_len = w->indent > 0 ? 2 : 1; /* of ", " or "," */
  char num[24];
  citeconv_out_putc(o, '[');
  citeconv_out_write(o, num, citeconv_decimal(num, y));
  if (m) {
    citeconv_out_write(o, ", ", sep_len);
    citeconv_out_write(o, num, citeconv_decimal(num, m));
    if (d) {
      citeconv_out_write(o, ", ", sep_len);
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
    key(w, level + 1, &first, CJ_KEY_DATE_PARTS);
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
    key(w, level + 1, &first, CJ_KEY_SEASON);
    citeconv_out_printf(o, "%d", d->season);
  }
  if (d->circa) {
    key(w, level + 1, &first, CJ_KEY_CIRCA);
    citeconv_out_puts(o, "true");
  }
  if (d->literal) {
    key(w, level + 1, &first, CJ_KEY_LITERAL);
    str(w, d->literal);
  }
  if (d->raw) {
    key(w, level + 1, &first, CJ_KEY_RAW);
    str(w, d->raw);
  } else if (!d->year && d->end_year) {
    /* date-parts cannot say "until 2004": an open start goes as EDTF. */
    char edtf[48];
    int n = snprintf(edtf, sizeof edtf, "../%04d", d->end_year);
    if (d->end_month)
      n += snprintf(edtf + n, sizeof edtf - (size_t)n, "-%02d", d->end_month);
    if (d->end_month && d->end_day)
      snprintf(edtf + n, sizeof edtf - (size_t)n, "-%02d", d->end_day);
    key(w, level + 1, &first, CJ_KEY_RAW);
    str(w, edtf);
  }
  if (first) {
    key(w, level + 1, &first, CJ_KEY_LITERAL);
    str(w, "");
  }
  newline(w, level);
  citeconv_out_putc(o, '}');
}

/* The names of one role: the chain from name index `i` (CJ_END: none). */
static void write_names(cj_writer *w, int level, bool *first,
                        const citeconv_record *rec, citeconv_var role,
                        size_t i)
{
  citeconv_output *o = w->base.out;
  const size_t *next = w->next + citeconv_record_field_count(rec);
  if (i == CJ_END)
    return;
  key(w, level, first, (int)role);
  citeconv_out_putc(o, '[');
  for (; i != CJ_END; i = next[i]) {
    newline(w, level + 1);
    write_name(w, level + 1, citeconv_record_name_at(rec, i));
    if (next[i] != CJ_END)
      citeconv_out_putc(o, ',');
  }
  newline(w, level);
  citeconv_out_putc(o, ']');
}

/* Every value of a text variable, joined with ", " (keywords) or as an
 * array (categories); other variables take the first value. The values
 * are the chain of fields from index `i`. */
static void write_text(cj_writer *w, int level, bool *first,
                       const citeconv_record *rec, citeconv_var var, size_t i)
{
  citeconv_output *o = w->base.out;
  size_t count = 0;
  for (; i != CJ_END; i = w->next[i]) {
    const citeconv_field *f = citeconv_record_field_at(rec, i);
    if (count == 0) {
      key(w, level, first, (int)var);
      if (var == CITECONV_VAR_CATEGORIES)
        citeconv_out_putc(o, '[');
      else if (var == CITECONV_VAR_KEYWORD)
        citeconv_out_putc(o, '"');
    } else if (var == CITECONV_VAR_CATEGORIES) {
      citeconv_out_puts(o, w->indent > 0 ? ", " : ",");
    } else if (var == CITECONV_VAR_KEYWORD) {
      citeconv_out_write(o, ", ", 2);
    } else {
      char what[96];
      snprintf(what, sizeof what, "a further '%s' value",
               citeconv_var_name(var));
      citeconv_writer_not_carried(&w->base, rec, what);
      count++;
      continue;
    }
    if (var == CITECONV_VAR_KEYWORD) {
      citeconv_out_json_text(o, f->value, f->len);
    } else {
      str_n(w, f->value, f->len);
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
      key(w, level, cfirst, CJ_KEY_NAME_DETAILS);
      citeconv_out_putc(o, '[');
    } else {
      citeconv_out_putc(o, ',');
    }
    any = true;
    newline(w, level + 1);
    citeconv_out_putc(o, '{');
    key(w, level + 2, &first, CJ_KEY_ROLE);
    str(w, citeconv_var_name(nm->role));
    key(w, level + 2, &first, CJ_KEY_INDEX);
    citeconv_out_printf(o, "%zu", ix);
    if (nm->orcid) {
      key(w, level + 2, &first, CJ_KEY_ORCID);
      str(w, nm->orcid);
    }
    if (nm->n_affiliations) {
      key(w, level + 2, &first, CJ_KEY_AFFILIATION);
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

/* The custom object; `details` says whether a name has an ORCID or an
 * affiliation. */
static void write_custom(cj_writer *w, int level, bool *first,
                         const citeconv_record *rec, bool details)
{
  citeconv_output *o = w->base.out;
  size_t n = citeconv_record_extra_count(rec);
  char truncated[512];
  bool cfirst = true;
  truncated[0] = '\0';
  for (size_t i = 0; i < w->n_name_vars; i++)
    if (citeconv_record_truncated(rec, w->name_vars[i])) {
      if (*truncated)
        strcat(truncated, " ");
      strcat(truncated, citeconv_var_name(w->name_vars[i]));
    }
  if (!n && !*truncated && !details)
    return;
  key(w, level, first, CJ_KEY_CUSTOM);
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
    key(w, level + 1, &cfirst, CJ_KEY_TRUNCATED);
    str(w, truncated);
  }
  if (details)
    write_name_details(w, level + 1, &cfirst, rec);
  newline(w, level);
  citeconv_out_putc(o, '}');
}

/* Whether variable v is in a set of variables (one bit each). */
static bool has_var(const unsigned *set, citeconv_var v)
{
  return (set[(unsigned)v / 32] >> ((unsigned)v % 32)) & 1u;
}

/* Put item i at the end of variable v's chain. */
static inline void chain(size_t *head, size_t *tail, unsigned *set,
                         size_t *next, citeconv_var v, size_t i)
{
  next[i] = CJ_END;
  if (has_var(set, v))
    next[tail[v]] = i;
  else
    head[v] = i;
  set[(unsigned)v / 32] |= 1u << ((unsigned)v % 32);
  tail[v] = i;
}

static int cj_record(citeconv_writer *base, const citeconv_record *rec)
{
  cj_writer *w = (cj_writer *)base;
  citeconv_output *o = base->out;
  int level = w->ndjson ? 0 : 1;
  bool first = true, details = false;
  const char *id = citeconv_record_text(rec, CITECONV_VAR_ID);
  char gen[32];
  size_t nf = citeconv_record_field_count(rec);
  size_t nn = citeconv_record_name_count(rec);
  /* Each variable's first and last field and name, valid for the
   * variables in fields and names. */
  size_t fhead[CITECONV_VAR__COUNT], ftail[CITECONV_VAR__COUNT];
  size_t nhead[CITECONV_VAR__COUNT], ntail[CITECONV_VAR__COUNT];
  unsigned fields[CJ_VAR_WORDS] = {0}, names[CJ_VAR_WORDS] = {0};

  /* The fields and the names, chained by variable in one pass over each:
   * the loop below visits the variables in the fixed order of the
   * variable table and each variable's values in the record's order. */
  if (nf + nn > w->next_cap) {
    size_t cap = w->next_cap ? w->next_cap : 64;
    size_t *next;
    while (cap < nf + nn)
      cap *= 2;
    next = realloc(w->next, cap * sizeof *next);
    if (!next)
      return CITECONV_ENOMEM;
    w->next = next;
    w->next_cap = cap;
  }
  for (size_t i = 0; i < nf; i++)
    chain(fhead, ftail, fields, w->next,
          citeconv_record_field_at(rec, i)->var, i);
  for (size_t i = 0; i < nn; i++) {
    const citeconv_name *nm = citeconv_record_name_at(rec, i);
    chain(nhead, ntail, names, w->next + nf, nm->role, i);
    details |= nm->orcid || nm->n_affiliations;
  }

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
    memcpy(gen, "item-", 5);
    citeconv_decimal(gen + 5, (long long)(base->nrecords + 1));
    id = gen;
  }
  key(w, level + 1, &first, CJ_KEY_ID);
  str(w, id);
  key(w, level + 1, &first, CJ_KEY_TYPE);
  str(w, citeconv_type_name(citeconv_record_type(rec)));
  /* The variables the record has, and every DATE variable (looked up). */
  for (size_t k = 0; k < CJ_VAR_WORDS; k++) {
    unsigned m = fields[k] | names[k] | w->dates[k];
    for (; m; m &= m - 1) {
      citeconv_var var = (citeconv_var)(k * 32 + citeconv_mask_first(m));
      if (var == CITECONV_VAR_ID)
        continue;
      switch ((citeconv_var_kind)w->kind[var]) {
      case CITECONV_KIND_NAME:
        write_names(w, level + 1, &first, rec, var,
                    has_var(names, var) ? nhead[var] : CJ_END);
        break;
      case CITECONV_KIND_DATE: {
        const citeconv_date *d = citeconv_record_date(rec, var);
        if (d) {
          key(w, level + 1, &first, (int)var);
          write_date(w, level + 1, d);
        }
        break;
      }
      default:
        write_text(w, level + 1, &first, rec, var,
                   has_var(fields, var) ? fhead[var] : CJ_END);
        break;
      }
    }
  }
  write_custom(w, level + 1, &first, rec, details);
  newline(w, level);
  citeconv_out_putc(o, '}');
  if (w->ndjson)
    citeconv_out_putc(o, '\n');
  return o->error ? CITECONV_EIO : 0;
}

/* The spelling of key k. */
static const char *key_name(int k)
{
  return k < CITECONV_VAR__COUNT ? citeconv_var_name((citeconv_var)k)
                                 : own_keys[k - CITECONV_VAR__COUNT];
}

static int begin(citeconv_writer **out, citeconv_session *s,
                 citeconv_output *o, bool ndjson)
{
  cj_writer *w = calloc(1, sizeof(*w));
  size_t total = 0;
  char *p;
  *out = NULL;
  if (!w)
    return CITECONV_ENOMEM;
  citeconv_writer_init(&w->base,
                       ndjson ? &citeconv_format_csl_ndjson
                              : &citeconv_format_csl_json,
                       s, o);
  w->ndjson = ndjson;
  w->indent = ndjson ? 0 : (int)citeconv_session_option_size(s, "csl-json-indent");
  if (w->indent > 16)
    w->indent = 16;
  w->lead[0] = ',';
  w->lead[1] = '\n';
  memset(w->lead + 2, ' ', sizeof w->lead - 2);
  w->lead_len = w->indent > 0 ? 2 : 1;
  /* Every key as written, one after the other. */
  for (int k = 0; k < CJ_KEY__COUNT; k++)
    total += strlen(key_name(k)) + 4;
  w->keys = p = calloc(1, total + CJ_SPAN);
  if (!w->keys) {
    free(w);
    return CITECONV_ENOMEM;
  }
  for (int k = 0; k < CJ_KEY__COUNT; k++) {
    const char *name = key_name(k);
    size_t len = strlen(name);
    w->key_at[k] = (size_t)(p - w->keys);
    w->key_len[k] = len + (w->indent > 0 ? 4 : 3);
    *p++ = '"';
    memcpy(p, name, len);
    p += len;
    *p++ = '"';
    *p++ = ':';
    *p++ = ' ';
  }
  /* The variables' kinds. */
  for (int v = 0; v < CITECONV_VAR__COUNT; v++) {
    w->kind[v] = (unsigned char)citeconv_var_kind_of((citeconv_var)v);
    if (w->kind[v] == CITECONV_KIND_DATE)
      w->dates[v / 32] |= 1u << (v % 32);
    else if (w->kind[v] == CITECONV_KIND_NAME)
      w->name_vars[w->n_name_vars++] = (citeconv_var)v;
  }
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

static void cj_free(citeconv_writer *base)
{
  cj_writer *w = (cj_writer *)base;
  if (!w)
    return;
  free(w->next);
  free(w->keys);
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
