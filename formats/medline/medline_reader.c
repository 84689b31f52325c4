/* MEDLINE (nbib) reader: PubMed's tagged text. "TAG - value" lines, a tag
 * of up to four characters padded to column 4, continuation lines indented
 * by six spaces, a blank line between records. */
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "medline.h"
#include "nlmdate.h"
#include "pages.h"
#include "text.h"

/* One tag line with its continuations, as read. */
typedef struct {
  char tag[8];
  size_t off, len; /* value in st->vals */
  citeconv_pos pos;
} ml_field;

typedef struct {
  citeconv_reader base;
  citeconv_linebuf line;
  citeconv_buf vals; /* the values of the record being read */
  ml_field *fields;
  size_t nfields, cap;
  size_t max_record, max_names;
  bool held;      /* st->line holds a tag line for the next record */
  bool done;
  bool overflow;  /* the record passed max-record-bytes */
} ml_reader;

/* What a tag means. */
typedef enum {
  M_EXTRA,   /* kept as extra "medline:TAG" */
  M_TEXT,    /* a variable, first value kept */
  M_JOIN,    /* a variable, repeated lines joined */
  M_ADD,     /* a variable with many values */
  M_NAME,    /* FAU/FED: full name */
  M_SHORT,   /* AU/ED: short name */
  M_CN,      /* collective name */
  M_AD,      /* affiliation of the name before */
  M_AUID,    /* identifier of the name before */
  M_DATE,    /* DP */
  M_DEP,     /* electronic date, YYYYMMDD */
  M_PAGE,    /* PG */
  M_ID,      /* LID / AID: "value [type]" */
  M_ISSN,    /* IS: "value (type)" */
  M_PT,      /* publication type */
  M_PL       /* place: publisher-place of books, else extra */
} ml_kind;

static const struct {
  const char *tag;
  ml_kind kind;
  citeconv_var var;
} tags[] = {
    {"PMID", M_TEXT, CITECONV_VAR_PMID},
    {"TI", M_JOIN, CITECONV_VAR_TITLE},
    {"TT", M_TEXT, CITECONV_VAR_ORIGINAL_TITLE},
    {"BTI", M_TEXT, CITECONV_VAR_TITLE},
    {"VTI", M_TEXT, CITECONV_VAR_VOLUME_TITLE},
    {"CTI", M_TEXT, CITECONV_VAR_COLLECTION_TITLE},
    {"AB", M_JOIN, CITECONV_VAR_ABSTRACT},
    {"FAU", M_NAME, CITECONV_VAR_AUTHOR},
    {"AU", M_SHORT, CITECONV_VAR_AUTHOR},
    {"FED", M_NAME, CITECONV_VAR_EDITOR},
    {"ED", M_SHORT, CITECONV_VAR_EDITOR},
    {"CN", M_CN, CITECONV_VAR_AUTHOR},
    {"AD", M_AD, CITECONV_VAR_NONE},
    {"AUID", M_AUID, CITECONV_VAR_NONE},
    {"JT", M_TEXT, CITECONV_VAR_CONTAINER_TITLE},
    {"TA", M_TEXT, CITECONV_VAR_JOURNAL_ABBREVIATION},
    {"IS", M_ISSN, CITECONV_VAR_ISSN},
    {"ISBN", M_ADD, CITECONV_VAR_ISBN},
    {"VI", M_TEXT, CITECONV_VAR_VOLUME},
    {"IP", M_TEXT, CITECONV_VAR_ISSUE},
    {"DP", M_DATE, CITECONV_VAR_ISSUED},
    {"DEP", M_DEP, CITECONV_VAR_AVAILABLE_DATE},
    {"PG", M_PAGE, CITECONV_VAR_PAGE},
    {"LID", M_ID, CITECONV_VAR_NONE},
    {"AID", M_ID, CITECONV_VAR_NONE},
    {"LA", M_ADD, CITECONV_VAR_LANGUAGE},
    {"PT", M_PT, CITECONV_VAR_NONE},
    {"OT", M_ADD, CITECONV_VAR_KEYWORD},
    {"PMC", M_TEXT, CITECONV_VAR_PMCID},
    {"PB", M_TEXT, CITECONV_VAR_PUBLISHER},
    {"PL", M_PL, CITECONV_VAR_PUBLISHER_PLACE},
    {"EN", M_TEXT, CITECONV_VAR_EDITION},
    {"RPI", M_TEXT, CITECONV_VAR_NUMBER},
};

/* Tags PubMed emits that are kept as extras without comment. */
static const char *const known_extra[] = {
    "OWN",  "STAT", "DA",   "DCOM", "LR",   "DRDT", "CTDT", "PUBM", "CI",
    "MH",   "OTO",  "SB",   "JID",  "RN",   "NM",   "GR",   "GS",   "SO",
    "EDAT", "MHDA", "CRDT", "PHST", "PST",  "MID",  "OID",  "SI",   "IR",
    "FIR",  "IRAD", "GN",   "CIN",  "CON",  "EIN",  "EFR",  "CRI",  "CRF",
    "ECI",  "ECF",  "RIN",  "ROF",  "RPF",  "UIN",  "UOF",  "SPIN", "ORI",
    "DDIN", "DRIN", "PRIN", "PROF", "RRI",  "RRF",  "SFM",  "PS",   "FPS",
    "PSS",  "COIS", "CP",   "LI",   "OAB",  "OABL", "PMCR", "FED",  "DIN",
    "NR",   "OCI",  "OCIS", "AUTH", NULL};

static int lookup(const char *tag)
{
  for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
    if (strcmp(tags[i].tag, tag) == 0)
      return (int)i;
  return -1;
}

static bool is_known_extra(const char *tag)
{
  for (size_t i = 0; known_extra[i]; i++)
    if (strcmp(known_extra[i], tag) == 0)
      return true;
  return false;
}

/* "TAG - value": a tag of 1-4 capitals or digits starting with a capital,
 * blanks, a dash. Sets the tag and where the value starts. */
static bool parse_tag_line(const char *s, size_t n, char *tag, size_t *val)
{
  size_t i = 0;
  if (n == 0 || s[0] < 'A' || s[0] > 'Z')
    return false;
  while (i < n && i < 4 && ((s[i] >= 'A' && s[i] <= 'Z') ||
                            (s[i] >= '0' && s[i] <= '9')))
    i++;
  memcpy(tag, s, i);
  tag[i] = '\0';
  while (i < n && s[i] == ' ')
    i++;
  if (i >= n || s[i] != '-')
    return false;
  i++;
  while (i < n && s[i] == ' ')
    i++;
  *val = i;
  return true;
}

static bool blank(const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t')
      return false;
  return true;
}

static int add_field(ml_reader *st, const char *tag, const char *v, size_t n,
                     citeconv_pos pos)
{
  ml_field *f;
  int rc;
  while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
    n--;
  if (st->nfields == st->cap) {
    size_t cap = st->cap ? 2 * st->cap : 32;
    ml_field *bigger = realloc(st->fields, cap * sizeof(*bigger));
    if (!bigger)
      return CITECONV_ENOMEM;
    st->fields = bigger;
    st->cap = cap;
  }
  f = &st->fields[st->nfields];
  snprintf(f->tag, sizeof(f->tag), "%s", tag);
  f->off = st->vals.len;
  f->pos = pos;
  rc = citeconv_buf_add(&st->vals, v, n);
  f->len = st->vals.len - f->off;
  st->nfields++;
  if (rc == CITECONV_ELIMIT) {
    st->overflow = true;
    return 0;
  }
  return rc;
}

/* Continuation: one space, then the text without its indentation. */
static int continue_field(ml_reader *st, const char *v, size_t n)
{
  ml_field *f = &st->fields[st->nfields - 1];
  int rc;
  while (n && (*v == ' ' || *v == '\t')) {
    v++;
    n--;
  }
  while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
    n--;
  if (f->len && (rc = citeconv_buf_addc(&st->vals, ' ')) < 0)
    goto done;
  rc = citeconv_buf_add(&st->vals, v, n);
done:
  f->len = st->vals.len - f->off;
  if (rc == CITECONV_ELIMIT) {
    st->overflow = true;
    return 0;
  }
  return rc;
}

/* ---- mapping ---- */

typedef struct {
  citeconv_name name;
  char *parts[3];      /* family, given, literal: malloc'ed */
  char *orcid;
  char *suffix;
  const char **affs;
  size_t naffs;
  bool open;
  bool has_short;      /* the AU line of this FAU was seen */
} pending_name;

static void pending_clear(pending_name *p)
{
  for (int i = 0; i < 3; i++)
    free(p->parts[i]);
  free(p->orcid);
  free(p->suffix);
  for (size_t i = 0; i < p->naffs; i++)
    free((char *)p->affs[i]);
  free(p->affs);
  memset(p, 0, sizeof(*p));
}

static int pending_flush(ml_reader *st, citeconv_record *rec,
                         pending_name *p)
{
  int rc = 0;
  if (!p->open)
    return 0;
  p->name.family = p->parts[0];
  p->name.given = p->parts[1];
  p->name.literal = p->parts[2];
  p->name.orcid = p->orcid;
  p->name.suffix = p->suffix;
  p->name.affiliations = p->affs;
  p->name.n_affiliations = p->naffs;
  if (citeconv_record_name_count(rec) >= st->max_names) {
    if (!citeconv_record_truncated(rec, p->name.role))
      citeconv_reader_diag(&st->base, &p->name.pos, CITECONV_D_LIMIT,
                           "more than max-names %zu names; the rest are "
                           "left out",
                           st->max_names);
    citeconv_record_set_truncated(rec, p->name.role, true);
  } else {
    rc = citeconv_record_add_name(rec, &p->name);
  }
  pending_clear(p);
  return rc;
}

static char *dup(const char *s, size_t n)
{
  char *d = malloc(n + 1);
  if (d) {
    memcpy(d, s, n);
    d[n] = '\0';
  }
  return d;
}

/* "Family, Given" (FAU/FED), or "Family GI" (AU/ED), or a mononym. */
static int pending_start(pending_name *p, citeconv_var role, const char *v,
                         size_t n, citeconv_pos pos, bool full, bool literal)
{
  const char *comma = full ? memchr(v, ',', n) : NULL;
  p->open = true;
  p->name.role = role;
  p->name.pos = pos;
  if (literal) {
    p->parts[2] = dup(v, n);
    return p->parts[2] ? 0 : CITECONV_ENOMEM;
  }
  if (!full) {
    /* "Mangalam H": the last word is the initials when it is all
     * capitals. */
    const char *sp = NULL;
    for (size_t i = n; i > 0; i--)
      if (v[i - 1] == ' ') {
        sp = v + i - 1;
        break;
      }
    if (sp) {
      bool caps = sp + 1 < v + n;
      for (const char *c = sp + 1; c < v + n; c++)
        if (*c < 'A' || *c > 'Z')
          caps = false;
      if (caps) {
        p->parts[0] = dup(v, (size_t)(sp - v));
        p->parts[1] = dup(sp + 1, (size_t)(v + n - sp - 1));
        return p->parts[0] && p->parts[1] ? 0 : CITECONV_ENOMEM;
      }
    }
    p->parts[0] = dup(v, n);
    return p->parts[0] ? 0 : CITECONV_ENOMEM;
  }
  if (comma) {
    const char *g = comma + 1;
    while (g < v + n && *g == ' ')
      g++;
    static const char *const suffixes[] = {"Jr", "Sr", "II", "III", "IV",
                                           "2nd", "3rd", NULL};
    const char *end = v + n, *sp = NULL;
    p->parts[0] = dup(v, (size_t)(comma - v));
    /* "Artino, Anthony R Jr": PubMed puts the suffix after the given
     * names. */
    for (const char *q = end; q > g; q--)
      if (q[-1] == ' ') {
        sp = q - 1;
        break;
      }
    for (size_t i = 0; sp && suffixes[i]; i++)
      if ((size_t)(end - sp - 1) == strlen(suffixes[i]) &&
          memcmp(sp + 1, suffixes[i], strlen(suffixes[i])) == 0) {
        p->suffix = dup(sp + 1, strlen(suffixes[i]));
        end = sp;
        break;
      }
    if (g < end)
      p->parts[1] = dup(g, (size_t)(end - g));
    return p->parts[0] && (g >= end || p->parts[1]) ? 0 : CITECONV_ENOMEM;
  }
  p->parts[0] = dup(v, n);
  return p->parts[0] ? 0 : CITECONV_ENOMEM;
}

static int put_extra_tag(citeconv_record *rec, const char *tag,
                         const char *v, size_t n, citeconv_pos pos)
{
  char name[32];
  snprintf(name, sizeof(name), ML_PREFIX "%s", tag);
  return citeconv_record_add_extra(rec, name, v, n, pos);
}

static int put_date(ml_reader *st, citeconv_record *rec, citeconv_var var,
                    const char *v, size_t n, citeconv_pos pos)
{
  citeconv_date d;
  char raw[256];
  memset(&d, 0, sizeof(d));
  d.pos = pos;
  snprintf(raw, sizeof(raw), "%.*s", (int)n, v);
  if (var == CITECONV_VAR_AVAILABLE_DATE) {
    /* DEP: YYYYMMDD */
    if (n == 8 && strspn(raw, "0123456789") == 8) {
      d.year = (raw[0] - '0') * 1000 + (raw[1] - '0') * 100 +
               (raw[2] - '0') * 10 + (raw[3] - '0');
      d.month = (raw[4] - '0') * 10 + (raw[5] - '0');
      d.day = (raw[6] - '0') * 10 + (raw[7] - '0');
      if (citeconv_nlmdate_valid(d.year, d.month, d.day) && d.month)
        return citeconv_record_set_date(rec, var, &d);
    }
    citeconv_reader_diag(&st->base, &pos, CITECONV_D_BAD_DATE,
                         "DEP '%s' is not a date YYYYMMDD; kept as extra",
                         raw);
    return put_extra_tag(rec, "DEP", v, n, pos);
  }
  if (citeconv_nlmdate_parse(&d, raw, strlen(raw))) {
    /* Keep the text of ranges, as PubMed XML keeps its MedlineDate. */
    if (d.end_year || d.end_month || d.end_day || d.end_season)
      d.raw = raw;
    return citeconv_record_set_date(rec, var, &d);
  }
  memset(&d, 0, sizeof(d));
  d.pos = pos;
  d.raw = raw;
  d.literal = raw;
  citeconv_reader_diag(&st->base, &pos, CITECONV_D_BAD_DATE,
                       "cannot read DP '%s' as a date; kept as text", raw);
  return citeconv_record_set_date(rec, var, &d);
}

static int map_record(ml_reader *st, citeconv_record *rec)
{
  pending_name p;
  bool book = false, typed = false;
  int rc = 0;
  memset(&p, 0, sizeof(p));
  for (size_t i = 0; i < st->nfields; i++)
    if (strcmp(st->fields[i].tag, "BTI") == 0 && st->fields[i].len)
      book = true;
  if (book) {
    bool chapter = false;
    for (size_t i = 0; i < st->nfields; i++)
      if (strcmp(st->fields[i].tag, "TI") == 0 && st->fields[i].len)
        chapter = true;
    citeconv_record_set_type(rec, chapter ? CITECONV_TYPE_CHAPTER
                                          : CITECONV_TYPE_BOOK);
    typed = true;
  }
  for (size_t i = 0; i < st->nfields && rc >= 0; i++) {
    ml_field *f = &st->fields[i];
    const char *v = st->vals.data + f->off;
    size_t n = f->len;
    int t = lookup(f->tag);
    ml_kind kind = t < 0 ? M_EXTRA : tags[t].kind;
    citeconv_var var = t < 0 ? CITECONV_VAR_NONE : tags[t].var;
    if (n == 0) {
      citeconv_reader_diag(&st->base, &f->pos, CITECONV_D_BAD_VALUE,
                           "empty %s line; left out", f->tag);
      continue;
    }
    if (book && strcmp(f->tag, "BTI") == 0 &&
        citeconv_record_type(rec) == CITECONV_TYPE_CHAPTER)
      var = CITECONV_VAR_CONTAINER_TITLE;
    if (kind != M_AD && kind != M_AUID && kind != M_SHORT)
      if ((rc = pending_flush(st, rec, &p)) < 0)
        break;
    switch (kind) {
    case M_TEXT:
      if (citeconv_record_text(rec, var)) {
        citeconv_reader_diag(&st->base, &f->pos, CITECONV_D_DUPLICATE_FIELD,
                             "second %s line '%.*s'; the first is kept",
                             f->tag, (int)(n > 60 ? 60 : n), v);
        rc = put_extra_tag(rec, f->tag, v, n, f->pos);
      } else {
        rc = citeconv_record_set_text(rec, var, v, n, f->pos);
      }
      break;
    case M_JOIN: {
      /* Repeated AB lines are paragraphs of the abstract. Repeated TI
       * lines are parts of the title: a part that ends without
       * punctuation is followed by ": " (title, subtitle), not run into
       * the next one. */
      const citeconv_field *have = citeconv_record_field(rec, var);
      if (have) {
        citeconv_buf j = CITECONV_BUF_INIT;
        citeconv_pos pos = have->pos;
        size_t hl = strlen(have->value);
        const char *sep = " ";
        if (var == CITECONV_VAR_ABSTRACT)
          sep = "\n";
        else if (hl && !strchr(".:?!", have->value[hl - 1]))
          sep = ": ";
        rc = citeconv_buf_printf(&j, "%s%s%.*s", have->value, sep, (int)n,
                                 v);
        if (rc == 0)
          rc = citeconv_record_set_text(rec, var, j.data, j.len, pos);
        citeconv_buf_free(&j);
      } else {
        rc = citeconv_record_set_text(rec, var, v, n, f->pos);
      }
      break;
    }
    case M_ADD:
      rc = citeconv_record_add_text(rec, var, v, n, f->pos);
      break;
    case M_NAME:
    case M_CN:
      rc = pending_start(&p, var, v, n, f->pos, true, kind == M_CN);
      break;
    case M_SHORT:
      if (p.open && !p.has_short && p.name.role == var &&
          !p.parts[2]) {
        p.has_short = true; /* the short form of the FAU before */
        break;
      }
      if ((rc = pending_flush(st, rec, &p)) == 0)
        rc = pending_start(&p, var, v, n, f->pos, false, false);
      p.has_short = true;
      break;
    case M_AD:
      if (p.open) {
        const char **bigger = realloc(p.affs, (p.naffs + 1) * sizeof(*bigger));
        if (!bigger) {
          rc = CITECONV_ENOMEM;
          break;
        }
        p.affs = bigger;
        if (!(p.affs[p.naffs] = dup(v, n))) {
          rc = CITECONV_ENOMEM;
          break;
        }
        p.naffs++;
      } else {
        rc = put_extra_tag(rec, f->tag, v, n, f->pos);
      }
      break;
    case M_AUID:
      if (p.open && !p.orcid && n > 7 && strncmp(v, "ORCID: ", 7) == 0) {
        const char *o = v + 7;
        size_t on = n - 7;
        static const char pre[] = "https://orcid.org/";
        if (on > sizeof(pre) - 1 && strncmp(o, pre, sizeof(pre) - 1) == 0) {
          o += sizeof(pre) - 1;
          on -= sizeof(pre) - 1;
        }
        if (!(p.orcid = dup(o, on)))
          rc = CITECONV_ENOMEM;
      } else {
        rc = put_extra_tag(rec, f->tag, v, n, f->pos);
      }
      break;
    case M_DATE:
    case M_DEP:
      if (citeconv_record_date(rec, var)) {
        citeconv_reader_diag(&st->base, &f->pos, CITECONV_D_DUPLICATE_FIELD,
                             "second %s line '%.*s'; the first is kept",
                             f->tag, (int)(n > 60 ? 60 : n), v);
        rc = put_extra_tag(rec, f->tag, v, n, f->pos);
      } else {
        rc = put_date(st, rec, var, v, n, f->pos);
      }
      break;
    case M_PAGE: {
      citeconv_buf pg = CITECONV_BUF_INIT;
      if (citeconv_record_text(rec, var)) {
        rc = put_extra_tag(rec, f->tag, v, n, f->pos);
        break;
      }
      rc = citeconv_pages_expand(&pg, v, n);
      if (rc == 0)
        rc = citeconv_record_set_text(rec, var, pg.data, pg.len, f->pos);
      citeconv_buf_free(&pg);
      break;
    }
    case M_ID: {
      /* "10.1093/bib/3.3.296 [doi]", "S1234 [pii]": the DOI goes to the
       * record; every line is also kept so that the writer gives it back
       * as it was. */
      if (n > 6 && memcmp(v + n - 6, " [doi]", 6) == 0 &&
          !citeconv_record_text(rec, CITECONV_VAR_DOI))
        rc = citeconv_record_set_text(rec, CITECONV_VAR_DOI, v, n - 6,
                                      f->pos);
      else if (n > 4 && memcmp(v, "doi:", 4) == 0 &&
               !citeconv_record_text(rec, CITECONV_VAR_DOI))
        rc = citeconv_record_set_text(rec, CITECONV_VAR_DOI, v + 4, n - 4,
                                      f->pos); /* "doi:10..." (hand-made) */
      if (rc == 0)
        rc = put_extra_tag(rec, f->tag, v, n, f->pos);
      break;
    }
    case M_ISSN: {
      /* "1467-5463 (Print)", "(Electronic)", "(Linking)": the journal's
       * own ISSNs go to the record; the linking ISSN stays an extra. */
      const char *paren = memchr(v, '(', n);
      size_t vn = paren ? (size_t)(paren - v) : n;
      while (vn && v[vn - 1] == ' ')
        vn--;
      if (!(paren && n - (size_t)(paren - v) >= 9 &&
            memcmp(paren, "(Linking)", 9) == 0) &&
          vn)
        rc = citeconv_record_add_text(rec, var, v, vn, f->pos);
      if (rc == 0)
        rc = put_extra_tag(rec, f->tag, v, n, f->pos);
      break;
    }
    case M_PT: {
      char pt[128];
      int ty;
      snprintf(pt, sizeof(pt), "%.*s", (int)n, v);
      ty = citeconv_nlm_pubtype_to_type(pt);
      if (ty >= 0 && !typed) {
        citeconv_record_set_type(rec, (citeconv_type)ty);
        typed = true;
      }
      rc = put_extra_tag(rec, f->tag, v, n, f->pos);
      break;
    }
    case M_PL:
      if (book && !citeconv_record_text(rec, var))
        rc = citeconv_record_set_text(rec, var, v, n, f->pos);
      else
        rc = put_extra_tag(rec, f->tag, v, n, f->pos);
      break;
    case M_EXTRA:
      if (!is_known_extra(f->tag))
        citeconv_reader_diag(&st->base, &f->pos, CITECONV_D_UNKNOWN_FIELD,
                             "unknown tag '%s'; kept as extra 'medline:%s'",
                             f->tag, f->tag);
      rc = put_extra_tag(rec, f->tag, v, n, f->pos);
      break;
    }
  }
  if (rc >= 0)
    rc = pending_flush(st, rec, &p);
  pending_clear(&p);
  return rc;
}

/* ---- the reader ---- */

static void reset(ml_reader *st)
{
  citeconv_buf_clear(&st->vals);
  st->nfields = 0;
  st->overflow = false;
}

/* Handle one line already in st->line. Returns 1 when it ends a record
 * (blank line, or a PMID line that starts the next one: st->held). */
static int take_line(ml_reader *st)
{
  const char *s = st->line.data;
  size_t n = st->line.len, val;
  char tag[8];
  citeconv_pos pos = {(uint32_t)st->line.lineno, 1};
  if (st->line.truncated)
    citeconv_reader_diag(&st->base, &pos, CITECONV_D_LIMIT,
                         "line longer than max-line-bytes; cut");
  if (blank(s, n))
    return st->nfields ? 1 : 0;
  if (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
    if (!st->nfields) {
      citeconv_reader_diag(&st->base, &pos, CITECONV_D_SYNTAX,
                           "continuation line '%.40s' without a tag line "
                           "before it; skipped",
                           s);
      return 0;
    }
    return continue_field(st, s, n) < 0 ? -1 : 0;
  }
  if (!parse_tag_line(s, n, tag, &val)) {
    citeconv_reader_diag(&st->base, &pos, CITECONV_D_SYNTAX,
                         "line '%.60s' is not 'TAG - value'; skipped", s);
    return 0;
  }
  if (strcmp(tag, "PMID") == 0 && st->nfields) {
    st->held = true; /* no blank line before the next record */
    return 1;
  }
  pos.col = (uint32_t)citeconv_utf8_count(s, val) + 1;
  return add_field(st, tag, s + val, n - val, pos) < 0 ? -1 : 0;
}

static int ml_next(citeconv_record **out, citeconv_reader *r)
{
  ml_reader *st = (ml_reader *)r;
  citeconv_record *rec = NULL;
  citeconv_pos start = {0, 0};
  int rc;
  *out = NULL;
  if (st->done)
    return CITECONV_END;
  for (;;) {
    reset(st);
    if (st->held) {
      st->held = false;
      if (take_line(st) < 0)
        return CITECONV_ENOMEM;
      if (st->nfields)
        start = (citeconv_pos){st->fields[0].pos.line, 1};
    }
    for (;;) {
      int t;
      if (st->nfields == 0)
        start.line = 0; /* blank lines before the record */
      rc = citeconv_linebuf_next(&st->line, r->in);
      if (rc == CITECONV_END) {
        st->done = true;
        break;
      }
      if (rc < 0)
        return rc;
      if (st->line.lineno == 1 && st->line.len >= 3 &&
          memcmp(st->line.data, "\xEF\xBB\xBF", 3) == 0) {
        memmove(st->line.data, st->line.data + 3, st->line.len - 2);
        st->line.len -= 3;
      }
      t = take_line(st);
      if (t < 0)
        return CITECONV_ENOMEM;
      if (st->nfields && !start.line)
        start = (citeconv_pos){st->fields[0].pos.line, 1};
      if (t == 1)
        break;
    }
    if (st->nfields == 0)
      return CITECONV_END;
    if (st->overflow) {
      citeconv_reader_diag(r, &start, CITECONV_D_LIMIT,
                           "record larger than max-record-bytes; skipped");
      if (st->done)
        return CITECONV_END;
      continue;
    }
    break;
  }
  if ((rc = citeconv_record_new(&rec)) < 0)
    return rc;
  citeconv_record_set_origin(rec, r->file, start);
  citeconv_record_set_type(rec, CITECONV_TYPE_ARTICLE_JOURNAL);
  if ((rc = map_record(st, rec)) < 0) {
    citeconv_record_free(rec);
    return rc;
  }
  *out = rec;
  return 0;
}

static int ml_open(citeconv_reader **out, citeconv_session *s,
                   citeconv_input *in)
{
  ml_reader *st = calloc(1, sizeof(*st));
  int rc;
  *out = NULL;
  if (!st)
    return CITECONV_ENOMEM;
  citeconv_reader_init(&st->base, &citeconv_format_medline, s, in);
  citeconv_linebuf_init(&st->line,
                        citeconv_session_option_size(s, "max-line-bytes"));
  st->vals.max = citeconv_session_option_size(s, "max-record-bytes");
  st->max_names = citeconv_session_option_size(s, "max-names");
  /* Byte order marks, UTF-16, legacy character sets, bad bytes. */
  rc = citeconv_charset_decode(in, s, NULL);
  if (rc < 0) {
    citeconv_linebuf_free(&st->line);
    free(st);
    return rc;
  }
  *out = &st->base;
  return 0;
}

static void ml_close(citeconv_reader *r)
{
  ml_reader *st = (ml_reader *)r;
  if (!st)
    return;
  citeconv_linebuf_free(&st->line);
  citeconv_buf_free(&st->vals);
  free(st->fields);
  free(st);
}

/* Tag lines of tags only MEDLINE has ("PMID- ", "FAU - ", "DP  - "...);
 * a "TY  - " line means RIS, which shares the line shape. */
static int ml_detect(const unsigned char *head, size_t len)
{
  static const char *const own[] = {"PMID", "FAU", "DP", "JT", "TA", "PT",
                                    "STAT", "OWN", "DCOM", "LR", "MH", "PST",
                                    "SO", "EDAT", "PMC", "LID", "AID", "VI",
                                    "IP", "PG", "CRDT", "MHDA", "PMCR",
                                    /* shared with RIS, which the TY line
                                     * rules out */
                                    "TI", "AB", "AU", "AD", "LA", NULL};
  size_t i = 0, lines = 0, score = 0;
  if (len >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < len && lines < 40) {
    size_t j = i, val;
    char tag[8];
    while (j < len && head[j] != '\n' && head[j] != '\r')
      j++;
    if (j > i && parse_tag_line((const char *)head + i, j - i, tag, &val)) {
      lines++;
      if (strcmp(tag, "TY") == 0 || strcmp(tag, "ER") == 0)
        return 0;
      for (size_t k = 0; own[k]; k++)
        if (strcmp(own[k], tag) == 0)
          score += strcmp(tag, "PMID") == 0 ? 3 : 1;
    }
    i = j + 1;
  }
  if (score >= 4)
    return 90;
  return score >= 2 ? 50 : 0;
}

const citeconv_format citeconv_format_medline = {
    .name = "medline",
    .summary = "MEDLINE/PubMed tagged text (.nbib, 'PubMed format')",
    .detect = ml_detect,
    .open = ml_open,
    .next = ml_next,
    .close = ml_close,
    .begin = citeconv_ml_write_begin,
    .record = citeconv_ml_write_record,
    .end = citeconv_ml_write_end,
    .free = citeconv_ml_write_free,
};
