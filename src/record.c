/* The intermediate record: fields, names, dates and extras in one arena. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "citeconv/record.h"
#include "copy.h"
#include "text.h"

struct citeconv_record {
  citeconv_arena arena;
  citeconv_type type;
  const char *file;
  citeconv_pos pos;
  citeconv_field *fields;
  size_t nfields, capfields;
  /* fields of each variable: lookups of absent ones end here */
  uint32_t nvar[CITECONV_VAR__COUNT];
  uint32_t nrole[CITECONV_VAR__COUNT]; /* names in each role */
  citeconv_name *names;
  size_t nnames, capnames;
  citeconv_extra *extras;
  size_t nextras, capextras;
  citeconv_date *dates[CITECONV_VAR__COUNT];
  unsigned char truncated[CITECONV_VAR__COUNT];
  citeconv_buf scratch; /* NFC conversion, malloc'd, freed with the record */
};

static const char *const type_names[] = {
#define CITECONV_TYPE_X(id, spelling) spelling,
#include "citeconv/types.def"
#undef CITECONV_TYPE_X
};

static const char *const var_names[] = {
#define CITECONV_VAR_X(id, spelling, kind) spelling,
#include "citeconv/vars.def"
#undef CITECONV_VAR_X
};

/* Name lengths, so that a lookup compares a name only when its length
 * and first letter match. */
static const unsigned char type_lens[] = {
#define CITECONV_TYPE_X(id, spelling) sizeof(spelling) - 1,
#include "citeconv/types.def"
#undef CITECONV_TYPE_X
};

static const unsigned char var_lens[] = {
#define CITECONV_VAR_X(id, spelling, kind) sizeof(spelling) - 1,
#include "citeconv/vars.def"
#undef CITECONV_VAR_X
};

static const unsigned char var_kinds[] = {
#define CITECONV_VAR_X(id, spelling, kind) CITECONV_KIND_##kind,
#include "citeconv/vars.def"
#undef CITECONV_VAR_X
};

const char *citeconv_type_name(citeconv_type t)
{
  if ((int)t < 0 || t >= CITECONV_TYPE__COUNT)
    return NULL;
  return type_names[t];
}

int citeconv_type_from_name(const char *s, size_t len)
{
  for (size_t i = 0; i < CITECONV_TYPE__COUNT; i++)
    if (type_lens[i] == len && len > 0 && type_names[i][0] == s[0] &&
        memcmp(type_names[i], s, len) == 0)
      return (int)i;
  return -1;
}

const char *citeconv_var_name(citeconv_var v)
{
  if ((int)v < 0 || v >= CITECONV_VAR__COUNT)
    return NULL;
  return var_names[v];
}

citeconv_var citeconv_var_from_name(const char *s, size_t len)
{
  for (size_t i = 0; i < CITECONV_VAR__COUNT; i++)
    if (var_lens[i] == len && len > 0 && var_names[i][0] == s[0] &&
        memcmp(var_names[i], s, len) == 0)
      return (citeconv_var)i;
  return CITECONV_VAR_NONE;
}

citeconv_var_kind citeconv_var_kind_of(citeconv_var v)
{
  if ((int)v < 0 || v >= CITECONV_VAR__COUNT)
    return CITECONV_KIND_TEXT;
  return (citeconv_var_kind)var_kinds[v];
}

static bool valid_var(citeconv_var v)
{
  return (int)v >= 0 && v < CITECONV_VAR__COUNT;
}

int citeconv_record_new(citeconv_record **out)
{
  citeconv_record *rec = calloc(1, sizeof(*rec));
  *out = NULL;
  if (!rec)
    return CITECONV_ENOMEM;
  citeconv_arena_init(&rec->arena);
  rec->type = CITECONV_TYPE_DOCUMENT;
  *out = rec;
  return 0;
}

void citeconv_record_free(citeconv_record *rec)
{
  if (!rec)
    return;
  citeconv_arena_free(&rec->arena);
  citeconv_buf_free(&rec->scratch);
  free(rec);
}

char *citeconv_record_strdup(citeconv_record *rec, const char *s, size_t len)
{
  return citeconv_arena_strndup(&rec->arena, s, len);
}

void *citeconv_record_alloc(citeconv_record *rec, size_t size)
{
  return citeconv_arena_alloc(&rec->arena, size);
}

/* A copy of s[0..len) (h <= len <= 2h) when it is ASCII, made of its
 * first and last h bytes, which overlap when len is below 2h; NULL with
 * *ascii false when it is not. h is a constant where this is inlined. */
static inline char *ascii_dup(citeconv_record *rec, const char *s, size_t len,
                              size_t h, bool *ascii)
{
  uint64_t a, b;
  char *p;
  citeconv_load_ends(s, len, h, &a, &b);
  *ascii = !((a | b) & UINT64_C(0x8080808080808080));
  if (!*ascii)
    return NULL;
  p = citeconv_arena_bytes(&rec->arena, len + 1);
  if (p) {
    citeconv_store_ends(p, len, h, a, b);
    p[len] = '\0';
  }
  return p;
}

/* A copy of s[0..len) in NFC with invalid UTF-8 replaced; the length of
 * the copy in *outlen. */
static char *nfc_dup(citeconv_record *rec, const char *s, size_t len,
                     size_t *outlen)
{
  /* Short ASCII text, the usual name part, number or key: tested and
   * copied a word at a time. */
  if (len >= 4 && len <= 16) {
    bool ascii;
    char *p = len >= 8 ? ascii_dup(rec, s, len, 8, &ascii)
                       : ascii_dup(rec, s, len, 4, &ascii);
    if (ascii) {
      *outlen = len;
      return p;
    }
  }
  if (citeconv_text_quick_nfc(s, len)) {
    *outlen = len;
    return citeconv_arena_strndup(&rec->arena, s, len);
  }
  citeconv_buf_clear(&rec->scratch);
  if (citeconv_text_nfc(&rec->scratch, s, len) < 0)
    return NULL;
  *outlen = rec->scratch.len;
  return citeconv_arena_strndup(&rec->arena, rec->scratch.data,
                                rec->scratch.len);
}

static const char *opt_dup(citeconv_record *rec, const char *s, bool *fail)
{
  size_t n;
  const char *p;
  if (!s)
    return NULL;
  p = nfc_dup(rec, s, strlen(s), &n);
  if (!p)
    *fail = true;
  return p;
}

/* Make room for one more element in an arena array. */
static int reserve(citeconv_record *rec, void **arr, size_t *cap, size_t n,
                   size_t elem)
{
  size_t ncap;
  void *p;
  if (n < *cap)
    return 0;
  ncap = *cap ? *cap * 2 : 16;
  p = citeconv_arena_realloc(&rec->arena, *arr, *cap * elem, ncap * elem);
  if (!p)
    return CITECONV_ENOMEM;
  *arr = p;
  *cap = ncap;
  return 0;
}

void citeconv_record_set_origin(citeconv_record *rec, const char *file,
                                citeconv_pos pos)
{
  rec->file = file;
  rec->pos = pos;
}

citeconv_pos citeconv_record_pos(const citeconv_record *rec)
{
  return rec->pos;
}

const char *citeconv_record_file(const citeconv_record *rec)
{
  return rec->file;
}

void citeconv_record_set_type(citeconv_record *rec, citeconv_type t)
{
  if ((int)t >= 0 && t < CITECONV_TYPE__COUNT)
    rec->type = t;
}

citeconv_type citeconv_record_type(const citeconv_record *rec)
{
  return rec->type;
}

static bool is_text_var(citeconv_var var)
{
  citeconv_var_kind k;
  if (!valid_var(var))
    return false;
  k = citeconv_var_kind_of(var);
  return k == CITECONV_KIND_TEXT || k == CITECONV_KIND_NUMBER;
}

int citeconv_record_add_text(citeconv_record *rec, citeconv_var var,
                             const char *s, size_t len, citeconv_pos pos)
{
  citeconv_field *f;
  char *copy;
  size_t n;
  if (!is_text_var(var))
    return CITECONV_EUSAGE;
  if (reserve(rec, (void **)&rec->fields, &rec->capfields, rec->nfields,
              sizeof(*rec->fields)) < 0)
    return CITECONV_ENOMEM;
  copy = nfc_dup(rec, s, len, &n);
  if (!copy)
    return CITECONV_ENOMEM;
  f = &rec->fields[rec->nfields++];
  rec->nvar[var]++;
  f->var = var;
  f->value = copy;
  f->len = n;
  f->pos = pos;
  return 0;
}

void citeconv_record_clear_text(citeconv_record *rec, citeconv_var var)
{
  size_t j = 0;
  if (!is_text_var(var) || rec->nvar[var] == 0)
    return;
  for (size_t i = 0; i < rec->nfields; i++)
    if (rec->fields[i].var != var)
      rec->fields[j++] = rec->fields[i];
  rec->nfields = j;
  rec->nvar[var] = 0;
}

int citeconv_record_set_text(citeconv_record *rec, citeconv_var var,
                             const char *s, size_t len, citeconv_pos pos)
{
  if (!is_text_var(var))
    return CITECONV_EUSAGE;
  citeconv_record_clear_text(rec, var);
  return citeconv_record_add_text(rec, var, s, len, pos);
}

const citeconv_field *citeconv_record_field(const citeconv_record *rec,
                                            citeconv_var var)
{
  if (!valid_var(var) || rec->nvar[var] == 0)
    return NULL;
  for (size_t i = 0; i < rec->nfields; i++)
    if (rec->fields[i].var == var)
      return &rec->fields[i];
  return NULL;
}

const char *citeconv_record_text(const citeconv_record *rec, citeconv_var var)
{
  const citeconv_field *f = citeconv_record_field(rec, var);
  return f ? f->value : NULL;
}

size_t citeconv_record_field_count(const citeconv_record *rec)
{
  return rec->nfields;
}

const citeconv_field *citeconv_record_field_at(const citeconv_record *rec,
                                               size_t i)
{
  return i < rec->nfields ? &rec->fields[i] : NULL;
}

int citeconv_record_add_name(citeconv_record *rec, const citeconv_name *name)
{
  citeconv_name *n;
  bool fail = false;
  if (!valid_var(name->role) ||
      citeconv_var_kind_of(name->role) != CITECONV_KIND_NAME)
    return CITECONV_EUSAGE;
  if (reserve(rec, (void **)&rec->names, &rec->capnames, rec->nnames,
              sizeof(*rec->names)) < 0)
    return CITECONV_ENOMEM;
  n = &rec->names[rec->nnames];
  *n = *name;
  n->family = opt_dup(rec, name->family, &fail);
  n->given = opt_dup(rec, name->given, &fail);
  n->dropping_particle = opt_dup(rec, name->dropping_particle, &fail);
  n->non_dropping_particle = opt_dup(rec, name->non_dropping_particle, &fail);
  n->suffix = opt_dup(rec, name->suffix, &fail);
  n->literal = opt_dup(rec, name->literal, &fail);
  n->orcid = opt_dup(rec, name->orcid, &fail);
  n->affiliations = NULL;
  n->n_affiliations = 0;
  if (name->n_affiliations) {
    const char **aff = citeconv_arena_alloc(
        &rec->arena, name->n_affiliations * sizeof(*aff));
    if (!aff)
      return CITECONV_ENOMEM;
    for (size_t i = 0; i < name->n_affiliations; i++)
      aff[i] = opt_dup(rec, name->affiliations[i], &fail);
    n->affiliations = aff;
    n->n_affiliations = name->n_affiliations;
  }
  if (fail)
    return CITECONV_ENOMEM;
  rec->nnames++;
  rec->nrole[name->role]++;
  return 0;
}

size_t citeconv_record_name_count(const citeconv_record *rec)
{
  return rec->nnames;
}

const citeconv_name *citeconv_record_name_at(const citeconv_record *rec,
                                             size_t i)
{
  return i < rec->nnames ? &rec->names[i] : NULL;
}

size_t citeconv_record_role_count(const citeconv_record *rec,
                                  citeconv_var role)
{
  return valid_var(role) ? rec->nrole[role] : 0;
}

void citeconv_record_set_truncated(citeconv_record *rec, citeconv_var role,
                                   bool truncated)
{
  if (valid_var(role))
    rec->truncated[role] = truncated;
}

bool citeconv_record_truncated(const citeconv_record *rec, citeconv_var role)
{
  return valid_var(role) && rec->truncated[role];
}

int citeconv_record_set_date(citeconv_record *rec, citeconv_var var,
                             const citeconv_date *date)
{
  citeconv_date *d;
  bool fail = false;
  if (!valid_var(var) || citeconv_var_kind_of(var) != CITECONV_KIND_DATE)
    return CITECONV_EUSAGE;
  d = citeconv_arena_alloc(&rec->arena, sizeof(*d));
  if (!d)
    return CITECONV_ENOMEM;
  *d = *date;
  d->literal = opt_dup(rec, date->literal, &fail);
  d->raw = opt_dup(rec, date->raw, &fail);
  if (fail)
    return CITECONV_ENOMEM;
  rec->dates[var] = d;
  return 0;
}

const citeconv_date *citeconv_record_date(const citeconv_record *rec,
                                          citeconv_var var)
{
  return valid_var(var) ? rec->dates[var] : NULL;
}

int citeconv_record_add_extra(citeconv_record *rec, const char *name,
                              const char *value, size_t len, citeconv_pos pos)
{
  citeconv_extra *e;
  size_t n;
  if (reserve(rec, (void **)&rec->extras, &rec->capextras, rec->nextras,
              sizeof(*rec->extras)) < 0)
    return CITECONV_ENOMEM;
  e = &rec->extras[rec->nextras];
  e->name = citeconv_arena_strndup(&rec->arena, name, strlen(name));
  e->value = nfc_dup(rec, value, len, &n);
  e->pos = pos;
  if (!e->name || !e->value)
    return CITECONV_ENOMEM;
  rec->nextras++;
  return 0;
}

size_t citeconv_record_extra_count(const citeconv_record *rec)
{
  return rec->nextras;
}

const citeconv_extra *citeconv_record_extra_at(const citeconv_record *rec,
                                               size_t i)
{
  return i < rec->nextras ? &rec->extras[i] : NULL;
}

const char *citeconv_record_extra(const citeconv_record *rec,
                                  const char *name)
{
  for (size_t i = 0; i < rec->nextras; i++)
    if (strcmp(rec->extras[i].name, name) == 0)
      return rec->extras[i].value;
  return NULL;
}

size_t citeconv_record_memory(const citeconv_record *rec)
{
  return rec->arena.total;
}
