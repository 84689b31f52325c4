/* CSL-JSON reader: a top-level array of items, one item object, or one
 * item per line (csl-ndjson). The array is never loaded whole: a small
 * scanner finds each item's bytes (and the positions of its keys), and
 * jansson parses that one item. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "charset.h"
#include "csl_json.h"
#include "dates.h"
#include "text.h"

typedef struct {
  size_t off, len;     /* the key's raw bytes in the item buffer */
  citeconv_pos pos;    /* where the key starts */
  size_t first, count; /* its array elements in `elems` */
} key_pos;

typedef enum { MODE_START, MODE_ARRAY, MODE_OBJECTS, MODE_DONE } scan_mode;

typedef struct {
  citeconv_reader base;
  scan_mode mode;
  bool need_comma; /* in an array, after an item */
  uint32_t line, col; /* position of the next byte */
  citeconv_buf item;  /* the current item's bytes */
  citeconv_pos item_pos;
  key_pos *keys;
  size_t nkeys, capkeys;
  citeconv_pos *elems;
  size_t nelems, capelems;
  size_t max_depth, max_bytes;
  citeconv_buf scratch;
  cjv_doc doc; /* the current item's values */
  /* Keys met before and their variables: items repeat the same keys. */
  struct {
    char key[24];
    citeconv_var var;
  } vars[64];
} cj_reader;

/* citeconv_var_from_name through the reader's cache of keys. */
static citeconv_var var_of_key(cj_reader *st, const char *key)
{
  size_t n = strlen(key);
  uint32_t h = 2166136261u;
  citeconv_var var;
  if (n >= sizeof st->vars[0].key)
    return citeconv_var_from_name(key, n);
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)key[i]) * 16777619u;
  h = (h ^ (h >> 16)) % (sizeof st->vars / sizeof st->vars[0]);
  if (strcmp(st->vars[h].key, key) == 0 && key[0])
    return st->vars[h].var;
  var = citeconv_var_from_name(key, n);
  memcpy(st->vars[h].key, key, n + 1);
  st->vars[h].var = var;
  return var;
}

/* ---- the scanner ---- */

static int peek(cj_reader *st)
{
  citeconv_input *in = st->base.in;
  if (citeconv_input_avail(in) == 0 && citeconv_input_fill(in, 1) == 0)
    return -1;
  return *citeconv_input_data(in);
}

static int get(cj_reader *st)
{
  int c = citeconv_input_getc(st->base.in);
  if (c == '\n') {
    st->line++;
    st->col = 1;
  } else if (c >= 0 && (c & 0xC0) != 0x80) {
    st->col++;
  }
  return c;
}

static citeconv_pos here(const cj_reader *st)
{
  citeconv_pos p = {st->line, st->col};
  return p;
}

static void skip_ws(cj_reader *st)
{
  int c;
  while ((c = peek(st)) == ' ' || c == '\t' || c == '\n' || c == '\r')
    get(st);
}

static void syntax(cj_reader *st, citeconv_pos pos, const char *msg)
{
  citeconv_reader_diag(&st->base, &pos, CITECONV_D_JSON_SYNTAX, "%s", msg);
}

static int add_key(cj_reader *st, size_t off, citeconv_pos pos)
{
  if (st->nkeys == st->capkeys) {
    size_t ncap = st->capkeys ? st->capkeys * 2 : 32;
    key_pos *k = realloc(st->keys, ncap * sizeof(*k));
    if (!k)
      return CITECONV_ENOMEM;
    st->keys = k;
    st->capkeys = ncap;
  }
  st->keys[st->nkeys].off = off;
  st->keys[st->nkeys].len = 0;
  st->keys[st->nkeys].pos = pos;
  st->keys[st->nkeys].first = st->nelems;
  st->keys[st->nkeys].count = 0;
  st->nkeys++;
  return 0;
}

static int add_elem(cj_reader *st, citeconv_pos pos)
{
  if (st->nkeys == 0)
    return 0;
  if (st->nelems == st->capelems) {
    size_t ncap = st->capelems ? st->capelems * 2 : 64;
    citeconv_pos *e = realloc(st->elems, ncap * sizeof(*e));
    if (!e)
      return CITECONV_ENOMEM;
    st->elems = e;
    st->capelems = ncap;
  }
  st->elems[st->nelems++] = pos;
  st->keys[st->nkeys - 1].count++;
  return 0;
}

typedef enum { SCAN_OK, SCAN_EOF, SCAN_TOO_DEEP, SCAN_TOO_BIG } scan_result;

/* Scanner state for one value, kept across refills of the input window. */
typedef struct {
  size_t depth, too_deep;
  char kind[2]; /* container kinds at depth 1 and 2 */
  bool expect_key, in_string, escape, key_string, bare;
  char prev; /* last significant character: a value may start after it */
} scan_state;

/* The bytes that end a run inside a string. */
static unsigned string_stops(citeconv_vec x)
{
  return citeconv_vec_mask(
      citeconv_vec_or(citeconv_vec_or(citeconv_vec_eq(x, '"'),
                                       citeconv_vec_eq(x, '\\')),
                      citeconv_vec_eq(x, '\n')));
}

/* Inside a string: the length of a run of whole vectors of p[0..n) with no
 * quote, backslash or line end; *col advances by its characters. */
static size_t string_run(const unsigned char *p, size_t n, uint32_t *col)
{
  size_t cont = 0, k = citeconv_vec_run(p, n, string_stops, &cont);
  *col += (uint32_t)(k - cont);
  return k;
}

/* Scan bytes p[0..n) of one value; returns how many belong to it, and
 * sets *complete when the value ended. Positions advance as it goes (kept
 * in locals: this loop sees every byte of the input). */
static int scan_chunk(cj_reader *st, scan_state *state,
                      const unsigned char *p, size_t n, size_t *used,
                      bool *complete)
{
  size_t i = 0;
  uint32_t line = st->line, col = st->col;
  int rc = 0;
  /* The state in a local copy, which the compiler can keep in registers
   * across the calls below; written back at the end. */
  scan_state local = *state, *ss = &local;
  *complete = false;
  while (i < n) {
    unsigned char c;
    citeconv_pos pos;
    if (ss->in_string) {
      if (!ss->escape) {
        /* The bulk of the input: string contents up to a quote, a
         * backslash or a line end. */
        i += string_run(p + i, n - i, &col);
        while (i < n && (c = p[i]) != '"' && c != '\\' && c != '\n') {
          col += (c & 0xC0) != 0x80;
          i++;
        }
        if (i == n)
          break;
      }
      c = p[i++];
      if (c == '\n') {
        line++;
        col = 1;
      } else if ((c & 0xC0) != 0x80) {
        col++;
      }
      if (ss->escape) {
        ss->escape = false;
      } else if (c == '\\') {
        ss->escape = true;
      } else if (c == '"') {
        ss->in_string = false;
        if (ss->key_string) {
          ss->key_string = false;
          st->keys[st->nkeys - 1].len =
              st->item.len + i - 1 - st->keys[st->nkeys - 1].off;
        }
        if (ss->depth == 0)
          goto complete;
      }
      continue;
    }
    c = p[i];
    if (!ss->bare) {
      /* White space between tokens changes nothing but the position. */
      for (;;) {
        if (c == ' ') {
          size_t k = i + 1;
          while (n - k >= CITECONV_VEC) {
            unsigned m = ~citeconv_vec_mask(citeconv_vec_eq(
                             citeconv_vec_load(p + k), ' ')) &
                         ((1u << CITECONV_VEC) - 1u); /* not a space */
            if (m) {
              k += citeconv_mask_first(m);
              break;
            }
            k += CITECONV_VEC;
          }
          while (k < n && p[k] == ' ')
            k++;
          col += (uint32_t)(k - i);
          i = k;
        } else if (c == '\n') {
          line++;
          col = 1;
          i++;
        } else if (c == '\t' || c == '\r') {
          col++;
          i++;
        } else {
          break;
        }
        if (i == n)
          break;
        c = p[i];
      }
      if (i == n)
        break;
    }
    pos.line = line;
    pos.col = col;
    if (c == '\n') {
      line++;
      col = 1;
    } else if ((c & 0xC0) != 0x80) {
      col++;
    }
    i++;
    if (ss->bare) {
      /* A bare scalar at the top: it ends before a delimiter. */
      if (c == ',' || c == ']' || c == ' ' || c == '\n' || c == '\r' ||
          c == '\t') {
        i--;
        line = pos.line;
        col = pos.col;
        goto complete;
      }
      continue;
    }
    /* A value starts here: note array elements at depth 2. */
    if (ss->depth == 2 && ss->kind[1] == '[' && ss->kind[0] == '{' &&
        c != '}' && c != ']' && c != ',' && c != ':' &&
        (ss->prev == ':' || ss->prev == ',' || ss->prev == '[') &&
        (rc = add_elem(st, pos)) < 0)
      goto out;
    switch (c) {
    case '{':
    case '[':
      ss->depth++;
      if (ss->depth <= 2)
        ss->kind[ss->depth - 1] = (char)c;
      if (ss->depth > st->max_depth && !ss->too_deep)
        ss->too_deep = ss->depth;
      ss->expect_key = (c == '{');
      ss->prev = (char)c; /* after '{' comes a key, after '[' a value */
      break;
    case '}':
    case ']':
      if (ss->depth > 0)
        ss->depth--;
      ss->prev = 'v';
      ss->expect_key = false;
      if (ss->depth == 0)
        goto complete;
      break;
    case ':':
      ss->expect_key = false;
      ss->prev = ':';
      break;
    case ',':
      /* After a comma in the item object comes a key. */
      ss->expect_key = ss->depth == 1 && ss->kind[0] == '{';
      ss->prev = ',';
      break;
    case '"':
      ss->in_string = true;
      if (ss->expect_key && ss->depth == 1) {
        ss->key_string = true;
        ss->expect_key = false;
        if ((rc = add_key(st, st->item.len + i, pos)) < 0)
          goto out;
      }
      ss->prev = 'v';
      break;
    default:
      ss->prev = 'v';
      if (ss->depth == 0)
        ss->bare = true;
      break;
    }
  }
  goto out;
complete:
  *complete = true;
out:
  *used = i;
  *state = local;
  st->line = line;
  st->col = col;
  return rc;
}

/* Read one JSON value into st->item, noting the positions of the item's
 * own keys (depth 1) and of the elements of arrays that are their values
 * (depth 2). Iterative: depth is a counter, so nesting costs no stack.
 * The input window is scanned in place and copied in runs. */
static int scan_value(cj_reader *st, scan_result *res)
{
  scan_state ss;
  citeconv_input *in = st->base.in;
  bool complete = false;

  memset(&ss, 0, sizeof ss);
  ss.prev = ':';
  *res = SCAN_OK;
  citeconv_buf_clear(&st->item);
  st->nkeys = st->nelems = 0;
  st->item_pos = here(st);
  while (!complete) {
    size_t avail = citeconv_input_avail(in), used;
    int rc;
    if (avail == 0 && (avail = citeconv_input_fill(in, 1)) == 0) {
      if (ss.bare)
        break;
      *res = SCAN_EOF;
      return 0;
    }
    rc = scan_chunk(st, &ss, citeconv_input_data(in), avail, &used, &complete);
    if (rc < 0)
      return rc;
    if (citeconv_buf_add(&st->item, (const char *)citeconv_input_data(in),
                         used) == CITECONV_ENOMEM)
      return CITECONV_ENOMEM;
    citeconv_input_consume(in, used);
  }
  if (ss.too_deep)
    *res = SCAN_TOO_DEEP;
  else if (st->item.overflow)
    *res = SCAN_TOO_BIG;
  return 0;
}

/* ---- from JSON values to the record ---- */

/* The value tree's accessors, with jansson's answers for a NULL value or
 * one of another type. */
static bool jv_is(const cjv *v, cjv_type t)
{
  return v && v->type == t;
}
#define jv_is_string(v) jv_is((v), CJV_STRING)
#define jv_is_integer(v) jv_is((v), CJV_INTEGER)
#define jv_is_real(v) jv_is((v), CJV_REAL)
#define jv_is_true(v) jv_is((v), CJV_TRUE)
#define jv_is_object(v) jv_is((v), CJV_OBJECT)
#define jv_is_array(v) jv_is((v), CJV_ARRAY)
#define jv_is_boolean(v) (jv_is((v), CJV_TRUE) || jv_is((v), CJV_FALSE))

static const char *jv_string(const cjv *v)
{
  return jv_is_string(v) ? v->str : NULL;
}

static size_t jv_string_length(const cjv *v)
{
  return jv_is_string(v) ? v->len : 0;
}

static long long jv_integer(const cjv *v)
{
  return jv_is_integer(v) ? v->integer : 0;
}

static double jv_real(const cjv *v)
{
  return jv_is_real(v) ? v->real : 0.0;
}

static size_t jv_size(const cjv *v)
{
  return jv_is_array(v) ? v->len : 0;
}

/* Members of an object (none for another value), key and value. */
#define JV_OBJECT_FOREACH(obj, k, val)                                      \
  for ((val) = jv_is_object(obj) ? (obj)->child : NULL;                     \
       (val) && (((k) = (val)->key), 1); (val) = (val)->next)
/* Elements of an array (none for another value), index and value. */
#define JV_ARRAY_FOREACH(arr, i, val)                                       \
  for ((i) = 0, (val) = jv_is_array(arr) ? (arr)->child : NULL; (val);     \
       (i)++, (val) = (val)->next)

typedef struct {
  cj_reader *st;
  citeconv_record *rec;
  const cjv *details; /* custom's name details, or NULL */
  const cjv *detail_cursor; /* where the next search starts, or NULL */
} item_ctx;

/* The name-details entry for the index-th name of a role, if any. Entries
 * come in role and index order when citeconv wrote them, so the search
 * starts where the last one was found. */
static const cjv *name_detail(item_ctx *x, citeconv_var role, size_t index)
{
  size_t n = jv_size(x->details);
  const char *role_name = citeconv_var_name(role);
  const cjv *d = x->detail_cursor ? x->detail_cursor : NULL;
  for (size_t k = 0; k < n; k++) {
    const cjv *r, *ix;
    if (!d)
      d = x->details->child; /* the search wraps around */
    r = citeconv_cjv_get(d, "role");
    ix = citeconv_cjv_get(d, "index");
    if (jv_is_string(r) && strcmp(jv_string(r), role_name) == 0 &&
        jv_is_integer(ix) && (size_t)jv_integer(ix) == index) {
      x->detail_cursor = d->next;
      return d;
    }
    d = d->next;
  }
  return NULL;
}

static void diag(item_ctx *x, citeconv_pos pos, citeconv_diag_code code,
                 const char *fmt, const char *a, const char *b)
{
  citeconv_reader_diag(&x->st->base, &pos, code, fmt, a, b);
}

/* Where the item's key `name` starts; the item's start if not found. */
static const key_pos *find_key(cj_reader *st, const char *name)
{
  size_t n = strlen(name);
  for (size_t i = 0; i < st->nkeys; i++)
    if (st->keys[i].len == n &&
        memcmp(st->item.data + st->keys[i].off, name, n) == 0)
      return &st->keys[i];
  return NULL;
}

static citeconv_pos key_pos_of(cj_reader *st, const key_pos *k)
{
  return k ? k->pos : st->item_pos;
}

static citeconv_pos elem_pos_of(cj_reader *st, const key_pos *k, size_t i)
{
  if (k && i < k->count)
    return st->elems[k->first + i];
  return key_pos_of(st, k);
}

static const char *json_type_name(const cjv *v)
{
  switch (v->type) {
  case CJV_OBJECT:
    return "an object";
  case CJV_ARRAY:
    return "an array";
  case CJV_STRING:
    return "a string";
  case CJV_INTEGER:
  case CJV_REAL:
    return "a number";
  case CJV_TRUE:
  case CJV_FALSE:
    return "a boolean";
  default:
    return "null";
  }
}

/* The text of a string or number value into `out`; false for other types. */
static bool scalar_text(const cjv *v, citeconv_buf *out)
{
  citeconv_buf_clear(out);
  if (jv_is_string(v))
    return citeconv_buf_add(out, jv_string(v), jv_string_length(v)) >=
           0;
  if (jv_is_integer(v))
    return citeconv_buf_printf(out, "%lld",
                               jv_integer(v)) >= 0;
  if (jv_is_real(v))
    return citeconv_buf_printf(out, "%.15g", jv_real(v)) >= 0;
  return false;
}

static bool truthy(const cjv *v)
{
  if (jv_is_boolean(v))
    return jv_is_true(v);
  if (jv_is_integer(v))
    return jv_integer(v) != 0;
  if (jv_is_string(v)) {
    const char *s = jv_string(v);
    return *s && strcmp(s, "false") != 0 && strcmp(s, "0") != 0;
  }
  return false;
}

/* A compact JSON text for values kept as extras. */
static int add_extra_json(item_ctx *x, const char *name, const cjv *v,
                          citeconv_pos pos)
{
  char *dump;
  int rc;
  if (jv_is_string(v))
    return citeconv_record_add_extra(x->rec, name, jv_string(v),
                                     jv_string_length(v), pos);
  dump = citeconv_cjv_dump(v);
  if (!dump)
    return CITECONV_ENOMEM;
  rc = citeconv_record_add_extra(x->rec, name, dump, strlen(dump), pos);
  free(dump);
  return rc;
}

static bool is_lower_word(const char *s, size_t n)
{
  return n > 0 && ((s[0] >= 'a' && s[0] <= 'z') || s[0] == '\'');
}

/* citeproc's parse-names: lower-case words opening the family name are a
 * non-dropping particle ("van Gogh"); lower-case words closing the given
 * name are a dropping particle ("Jean de"). */
static void split_particles(citeconv_record *rec, citeconv_name *n)
{
  if (n->family && !n->non_dropping_particle) {
    const char *f = n->family, *last = NULL;
    for (const char *p = f; *p; p++)
      if (*p == ' ' && is_lower_word(f, (size_t)(p - f)))
        last = p;
    /* Every word before `last` must be lower case too. */
    if (last) {
      bool all_lower = true;
      const char *w = f;
      for (const char *p = f; p <= last; p++)
        if (*p == ' ' || p == last) {
          if (!is_lower_word(w, (size_t)(p - w)))
            all_lower = false;
          w = p + 1;
        }
      if (all_lower && last[1]) {
        n->non_dropping_particle =
            citeconv_record_strdup(rec, f, (size_t)(last - f));
        n->family = last + 1;
      }
    }
  }
  if (n->given && !n->dropping_particle) {
    const char *g = n->given;
    const char *sp = strrchr(g, ' ');
    if (sp && sp > g && is_lower_word(sp + 1, strlen(sp + 1))) {
      const char *start = sp + 1;
      n->dropping_particle = start;
      n->given = citeconv_record_strdup(rec, g, (size_t)(sp - g));
    }
  }
}

static int read_name(item_ctx *x, citeconv_var role, const cjv *v,
                     citeconv_pos pos, const char *key, size_t index)
{
  citeconv_name n;
  const char *aff[64];
  const char *k;
  const cjv *val;
  bool parse = false;
  memset(&n, 0, sizeof n);
  n.role = role;
  n.pos = pos;
  if (jv_is_string(v)) {
    diag(x, pos, CITECONV_D_WRONG_TYPE,
         "a name in '%s' is a string, not a name object; kept as the literal "
         "name '%s'",
         key, jv_string(v));
    n.literal = jv_string(v);
    return citeconv_record_add_name(x->rec, &n);
  }
  if (!jv_is_object(v)) {
    diag(x, pos, CITECONV_D_WRONG_TYPE,
         "a name in '%s' is %s, not a name object; it was skipped", key,
         json_type_name(v));
    return 0;
  }
  JV_OBJECT_FOREACH(v, k, val) {
    const char **slot = NULL;
    if (strcmp(k, "family") == 0)
      slot = &n.family;
    else if (strcmp(k, "given") == 0)
      slot = &n.given;
    else if (strcmp(k, "dropping-particle") == 0)
      slot = &n.dropping_particle;
    else if (strcmp(k, "non-dropping-particle") == 0)
      slot = &n.non_dropping_particle;
    else if (strcmp(k, "suffix") == 0)
      slot = &n.suffix;
    else if (strcmp(k, "literal") == 0)
      slot = &n.literal;
    else if (strcmp(k, "ORCID") == 0 || strcmp(k, "orcid") == 0)
      slot = &n.orcid;
    if (slot) {
      if (!scalar_text(val, &x->st->scratch)) {
        diag(x, pos, CITECONV_D_WRONG_TYPE,
             "name part '%s' is %s, not a string; it was skipped", k,
             json_type_name(val));
        continue;
      }
      *slot = citeconv_record_strdup(x->rec, x->st->scratch.data,
                                     x->st->scratch.len);
      if (!*slot)
        return CITECONV_ENOMEM;
      continue;
    }
    if (strcmp(k, "comma-suffix") == 0) {
      n.comma_suffix = truthy(val);
    } else if (strcmp(k, "static-ordering") == 0) {
      n.static_ordering = truthy(val);
    } else if (strcmp(k, "parse-names") == 0) {
      parse = truthy(val);
    } else if (strcmp(k, "affiliation") == 0 && jv_is_array(val)) {
      /* Crossref: [{"name": "..."}] */
      size_t i;
      const cjv *a;
      JV_ARRAY_FOREACH(val, i, a) {
        const cjv *nm = jv_is_object(a) ? citeconv_cjv_get(a, "name") : a;
        if (jv_is_string(nm) && n.n_affiliations < 64)
          aff[n.n_affiliations++] = jv_string(nm);
      }
    } else if (strcmp(k, "sequence") == 0 ||
               strcmp(k, "authenticated-orcid") == 0 ||
               strcmp(k, "isInstitution") == 0) {
      /* Crossref bookkeeping with no meaning for a citation. */
    } else {
      diag(x, pos, CITECONV_D_UNKNOWN_FIELD,
           "unknown name part '%s' in '%s' was ignored", k, key);
    }
  }
  {
    const cjv *d = x->details ? name_detail(x, role, index) : NULL;
    const cjv *orcid = d ? citeconv_cjv_get(d, "ORCID") : NULL;
    const cjv *affs = d ? citeconv_cjv_get(d, "affiliation") : NULL;
    size_t i;
    const cjv *a;
    if (jv_is_string(orcid) && !n.orcid)
      n.orcid = jv_string(orcid);
    JV_ARRAY_FOREACH(affs, i, a) {
      if (jv_is_string(a) && n.n_affiliations < 64)
        aff[n.n_affiliations++] = jv_string(a);
    }
  }
  if (n.n_affiliations)
    n.affiliations = aff;
  if (n.orcid) {
    /* Keep the bare identifier: "https://orcid.org/0000-..." */
    const char *p = strstr(n.orcid, "orcid.org/");
    if (p)
      n.orcid = p + strlen("orcid.org/");
  }
  if (parse)
    split_particles(x->rec, &n);
  if (!n.family && !n.given && !n.literal && !n.suffix &&
      !n.non_dropping_particle && !n.dropping_particle) {
    diag(x, pos, CITECONV_D_BAD_VALUE, "an empty name in '%s' was skipped%s",
         key, "");
    return 0;
  }
  return citeconv_record_add_name(x->rec, &n);
}

static int read_names(item_ctx *x, citeconv_var role, const char *key,
                      const cjv *v, const key_pos *kp)
{
  size_t i;
  const cjv *e;
  int rc;
  if (jv_is_string(v) || jv_is_object(v))
    return read_name(x, role, v, key_pos_of(x->st, kp), key, 0);
  if (!jv_is_array(v)) {
    diag(x, key_pos_of(x->st, kp), CITECONV_D_WRONG_TYPE,
         "'%s' is %s, not a list of names; it was skipped", key,
         json_type_name(v));
    return 0;
  }
  JV_ARRAY_FOREACH(v, i, e) {
    if ((rc = read_name(x, role, e, elem_pos_of(x->st, kp, i), key, i)) < 0)
      return rc;
  }
  return 0;
}

/* A date part: a number or a string holding one. */
static bool date_part(const cjv *v, int *out)
{
  if (jv_is_integer(v)) {
    long long n = jv_integer(v);
    if (n < -99999 || n > 99999)
      return false;
    *out = (int)n;
    return true;
  }
  if (jv_is_string(v)) {
    const char *s = jv_string(v);
    char *end;
    long n;
    if (!*s)
      return false;
    n = strtol(s, &end, 10);
    if (*end || n < -99999 || n > 99999)
      return false;
    *out = (int)n;
    return true;
  }
  return false;
}

static int read_date(item_ctx *x, citeconv_var var, const char *key,
                     const cjv *v, const key_pos *kp)
{
  citeconv_date d;
  citeconv_pos pos = key_pos_of(x->st, kp);
  const char *k;
  const cjv *val;
  bool any = false;
  memset(&d, 0, sizeof d);
  d.pos = pos;
  if (jv_is_string(v)) {
    /* An EDTF or free-text date (CSL 1.1 allows strings). */
    const char *s = jv_string(v);
    if (!citeconv_date_parse(s, jv_string_length(v), &d)) {
      memset(&d, 0, sizeof d);
      d.literal = s;
    } else {
      d.raw = s;
    }
    d.pos = pos;
    return citeconv_record_set_date(x->rec, var, &d);
  }
  if (jv_is_integer(v)) {
    d.year = (int)jv_integer(v);
    return citeconv_record_set_date(x->rec, var, &d);
  }
  if (!jv_is_object(v)) {
    diag(x, pos, CITECONV_D_WRONG_TYPE,
         "'%s' is %s, not a date object; it was skipped", key,
         json_type_name(v));
    return 0;
  }
  JV_OBJECT_FOREACH(v, k, val) {
    if (strcmp(k, "date-parts") == 0) {
      size_t nparts = jv_is_array(val) ? jv_size(val) : 0;
      if (!jv_is_array(val)) {
        diag(x, pos, CITECONV_D_WRONG_TYPE,
             "'date-parts' of '%s' is %s, not an array; it was skipped", key,
             json_type_name(val));
        continue;
      }
      if (nparts > 2)
        diag(x, pos, CITECONV_D_BAD_DATE,
             "'date-parts' of '%s' has more than two dates; the rest were "
             "ignored%s",
             key, "");
      for (size_t p = 0; p < nparts && p < 2; p++) {
        const cjv *part = citeconv_cjv_at(val, p);
        int *dst = p == 0 ? &d.year : &d.end_year;
        size_t n = jv_is_array(part) ? jv_size(part) : 0;
        if (!jv_is_array(part)) {
          diag(x, pos, CITECONV_D_BAD_DATE,
               "a date in '%s' is %s, not an array of numbers", key,
               json_type_name(part));
          continue;
        }
        if (n > 3)
          diag(x, pos, CITECONV_D_BAD_DATE,
               "a date in '%s' has more than year, month and day; the rest "
               "was ignored%s",
               key, "");
        for (size_t i = 0; i < n && i < 3; i++) {
          int value;
          if (!date_part(citeconv_cjv_at(part, i), &value)) {
            diag(x, pos, CITECONV_D_BAD_DATE,
                 "a date part in '%s' is not a number%s", key, "");
            break;
          }
          dst[i] = value;
          any = true;
        }
      }
    } else if (strcmp(k, "season") == 0) {
      int sn = 0;
      if (!date_part(val, &sn) && jv_is_string(val)) {
        const char *s = jv_string(val);
        sn = citeconv_month_from_name(s, strlen(s));
        sn = sn > 20 ? sn - 20 : 0;
      }
      if (sn >= 21 && sn <= 24)
        sn -= 20;
      if (sn >= 1 && sn <= 4) {
        d.season = sn;
        any = true;
      } else {
        diag(x, pos, CITECONV_D_BAD_DATE,
             "the season of '%s' is not 1 to 4 or a season's name%s", key, "");
      }
    } else if (strcmp(k, "circa") == 0) {
      d.circa = truthy(val);
    } else if (strcmp(k, "literal") == 0 && jv_is_string(val)) {
      d.literal = jv_string(val);
      any = true;
    } else if (strcmp(k, "raw") == 0 && jv_is_string(val)) {
      d.raw = jv_string(val);
      any = true;
    } else {
      diag(x, pos, CITECONV_D_UNKNOWN_FIELD,
           "unknown date key '%s' in '%s' was ignored", k, key);
    }
  }
  /* CSL writes seasons as months 21..24. */
  if (d.month >= 21 && d.month <= 24) {
    d.season = d.month - 20;
    d.month = 0;
  }
  if (d.end_month >= 21 && d.end_month <= 24) {
    d.end_season = d.end_month - 20;
    d.end_month = 0;
  }
  if (!d.year && !d.end_year && d.raw) {
    citeconv_date parsed;
    if (citeconv_date_parse(d.raw, strlen(d.raw), &parsed)) {
      parsed.raw = d.raw;
      parsed.literal = d.literal;
      parsed.pos = d.pos;
      parsed.circa |= d.circa;
      d = parsed;
    }
  }
  if (!any) {
    diag(x, pos, CITECONV_D_BAD_DATE, "'%s' holds no date; it was skipped%s",
         key, "");
    return 0;
  }
  if (!citeconv_date_is_valid(&d))
    diag(x, pos, CITECONV_D_BAD_DATE, "'%s' is not a possible date%s", key,
         "");
  return citeconv_record_set_date(x->rec, var, &d);
}

static int read_text(item_ctx *x, citeconv_var var, const char *key,
                     const cjv *v, const key_pos *kp)
{
  citeconv_pos pos = key_pos_of(x->st, kp);
  citeconv_buf *t = &x->st->scratch;
  if (jv_is_array(v)) {
    /* Crossref writes titles, ISSNs and ISBNs as arrays of strings.
     * Several ISSNs or ISBNs join into one value as Zotero writes them;
     * further values of other variables are kept as extra fields. */
    size_t n = jv_size(v);
    bool join = var == CITECONV_VAR_ISSN || var == CITECONV_VAR_ISBN;
    citeconv_buf joined = CITECONV_BUF_INIT;
    int rc = 0;
    char extra[160];
    const cjv *e = v->child;
    snprintf(extra, sizeof extra, "csl-json:%s", key);
    if (n > 1 && !join && var != CITECONV_VAR_CATEGORIES &&
        var != CITECONV_VAR_KEYWORD)
      diag(x, pos, CITECONV_D_WRONG_TYPE,
           "'%s' is a list of %s values; the first is used and the others "
           "are kept as extra fields",
           key, n == 2 ? "two" : "several");
    for (size_t i = 0; i < n && rc >= 0; i++, e = e->next) {
      if (!scalar_text(e, t)) {
        diag(x, pos, CITECONV_D_WRONG_TYPE,
             "'%s' holds %s, not a string; it was skipped", key,
             json_type_name(e));
        continue;
      }
      if (join) {
        if (joined.len)
          citeconv_buf_add(&joined, ", ", 2);
        citeconv_buf_add(&joined, t->data, t->len);
      } else if (i == 0 || var == CITECONV_VAR_CATEGORIES ||
                 var == CITECONV_VAR_KEYWORD) {
        rc = citeconv_record_add_text(x->rec, var, t->data, t->len, pos);
      } else {
        rc = citeconv_record_add_extra(x->rec, extra, t->data, t->len, pos);
      }
    }
    if (join && joined.len && rc >= 0)
      rc = citeconv_record_add_text(x->rec, var, joined.data, joined.len, pos);
    citeconv_buf_free(&joined);
    return rc;
  }
  if (!scalar_text(v, t)) {
    diag(x, pos, CITECONV_D_WRONG_TYPE,
         "'%s' is %s, not a string; it was skipped", key, json_type_name(v));
    return 0;
  }
  if (citeconv_record_field(x->rec, var) && var != CITECONV_VAR_KEYWORD &&
      var != CITECONV_VAR_CATEGORIES) {
    /* "shortTitle" next to "title-short", say: the first one wins. */
    diag(x, pos, CITECONV_D_DUPLICATE_FIELD,
         "'%s' is given twice; the first value is kept%s", key, "");
    return 0;
  }
  return citeconv_record_add_text(x->rec, var, t->data, t->len, pos);
}

/* Zotero and citeproc-js keep variables CSL-JSON lacks as "key: value"
 * lines in `note` (the "cheater syntax", also "{:key: value}"). Known
 * variables are taken out of the note; other lines stay. */
static int read_note(item_ctx *x, const char *note, size_t len,
                     citeconv_pos pos)
{
  citeconv_buf keep = CITECONV_BUF_INIT;
  const char *p = note, *end = note + len;
  int rc = 0;
  while (p < end) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    const char *line = p, *lend = eol ? eol : end;
    const char *k = line, *colon;
    bool braced = false, taken = false;
    if (lend - k > 2 && k[0] == '{' && k[1] == ':') {
      braced = true;
      k += 2;
    }
    colon = memchr(k, ':', (size_t)(lend - k));
    if (colon && colon > k) {
      size_t klen = (size_t)(colon - k);
      const char *val = colon + 1, *vend = lend;
      citeconv_var var;
      while (val < vend && *val == ' ')
        val++;
      if (braced && vend > val && vend[-1] == '}')
        vend--;
      while (vend > val && (vend[-1] == ' ' || vend[-1] == '\r'))
        vend--;
      var = citeconv_var_from_name(k, klen);
      if (klen == 4 && memcmp(k, "type", 4) == 0) {
        int t = citeconv_type_from_name(val, (size_t)(vend - val));
        if (t >= 0) {
          citeconv_record_set_type(x->rec, (citeconv_type)t);
          taken = true;
        }
      } else if (var != CITECONV_VAR_NONE && vend > val) {
        citeconv_var_kind kind = citeconv_var_kind_of(var);
        if (kind == CITECONV_KIND_DATE) {
          citeconv_date d;
          if (!citeconv_record_date(x->rec, var)) {
            if (!citeconv_date_parse(val, (size_t)(vend - val), &d)) {
              memset(&d, 0, sizeof d);
              d.literal = citeconv_record_strdup(x->rec, val,
                                                 (size_t)(vend - val));
            }
            d.pos = pos;
            if ((rc = citeconv_record_set_date(x->rec, var, &d)) < 0)
              goto done;
            taken = true;
          }
        } else if (kind == CITECONV_KIND_NAME) {
          /* "editor: Family || Given" */
          citeconv_name n;
          const char *bars = NULL;
          memset(&n, 0, sizeof n);
          n.role = var;
          n.pos = pos;
          for (const char *q = val; q + 1 < vend; q++)
            if (q[0] == '|' && q[1] == '|') {
              bars = q;
              break;
            }
          if (bars) {
            const char *fe = bars, *gs = bars + 2;
            while (fe > val && fe[-1] == ' ')
              fe--;
            while (gs < vend && *gs == ' ')
              gs++;
            n.family = citeconv_record_strdup(x->rec, val, (size_t)(fe - val));
            n.given = citeconv_record_strdup(x->rec, gs, (size_t)(vend - gs));
          } else {
            n.literal = citeconv_record_strdup(x->rec, val,
                                               (size_t)(vend - val));
          }
          if ((rc = citeconv_record_add_name(x->rec, &n)) < 0)
            goto done;
          taken = true;
        } else if (!citeconv_record_field(x->rec, var)) {
          if ((rc = citeconv_record_add_text(x->rec, var, val,
                                             (size_t)(vend - val), pos)) < 0)
            goto done;
          taken = true;
        }
      }
    }
    if (!taken) {
      if (keep.len)
        citeconv_buf_addc(&keep, '\n');
      citeconv_buf_add(&keep, line, (size_t)(lend - line));
    }
    p = eol ? eol + 1 : end;
  }
  if (keep.len)
    rc = citeconv_record_add_text(x->rec, CITECONV_VAR_NOTE, keep.data,
                                  keep.len, pos);
done:
  citeconv_buf_free(&keep);
  return rc;
}

static int read_custom(item_ctx *x, const cjv *v, const key_pos *kp)
{
  const char *k;
  const cjv *val;
  citeconv_pos pos = key_pos_of(x->st, kp);
  int rc;
  if (!jv_is_object(v)) {
    diag(x, pos, CITECONV_D_WRONG_TYPE,
         "'custom' is %s, not an object; kept as an extra field%s",
         json_type_name(v), "");
    return add_extra_json(x, "csl-json:custom", v, pos);
  }
  JV_OBJECT_FOREACH(v, k, val) {
    if (strcmp(k, CSL_JSON_TRUNCATED_KEY) == 0 && jv_is_string(val)) {
      /* Space-separated roles whose lists were cut short. */
      const char *s = jv_string(val);
      while (*s) {
        const char *e = strchr(s, ' ');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        citeconv_var role = citeconv_var_from_name(s, n);
        if (role != CITECONV_VAR_NONE)
          citeconv_record_set_truncated(x->rec, role, true);
        s += n;
        while (*s == ' ')
          s++;
      }
      continue;
    }
    if (strcmp(k, CSL_JSON_NAME_DETAILS_KEY) == 0 && jv_is_array(val))
      continue; /* applied to the names as they are read */
    if (jv_is_array(val)) {
      /* A repeated extra field. */
      size_t i;
      const cjv *e;
      JV_ARRAY_FOREACH(val, i, e) {
        if ((rc = add_extra_json(x, k, e, pos)) < 0)
          return rc;
      }
      continue;
    }
    if ((rc = add_extra_json(x, k, val, pos)) < 0)
      return rc;
  }
  return 0;
}

static int read_item(item_ctx *x, const cjv *obj)
{
  const char *key;
  const cjv *v;
  const cjv *note = NULL;
  const key_pos *note_kp = NULL;
  int rc = 0;
  const cjv *custom = citeconv_cjv_get(obj, "custom");

  x->details = jv_is_object(custom)
                   ? citeconv_cjv_get(custom, CSL_JSON_NAME_DETAILS_KEY)
                   : NULL;
  x->detail_cursor = NULL;
  JV_OBJECT_FOREACH(obj, key, v) {
    const key_pos *kp = find_key(x->st, key);
    citeconv_pos pos = key_pos_of(x->st, kp);
    citeconv_var var;
    if (strcmp(key, "type") == 0) {
      int t = jv_is_string(v)
                  ? citeconv_type_from_name(jv_string(v),
                                            jv_string_length(v))
                  : -1;
      if (t < 0) {
        diag(x, pos, CITECONV_D_UNKNOWN_TYPE,
             "unknown item type '%s'%s; read as 'document'",
             jv_is_string(v) ? jv_string(v) : json_type_name(v),
             "");
        if ((rc = add_extra_json(x, "csl-json:type", v, pos)) < 0)
          return rc;
      } else {
        citeconv_record_set_type(x->rec, (citeconv_type)t);
      }
      continue;
    }
    if (strcmp(key, "custom") == 0) {
      if ((rc = read_custom(x, v, kp)) < 0)
        return rc;
      continue;
    }
    if (strcmp(key, "note") == 0 && jv_is_string(v)) {
      note = v; /* after the other keys, which win over note lines */
      note_kp = kp;
      continue;
    }
    var = var_of_key(x->st, key);
    if (var == CITECONV_VAR_NONE && strcmp(key, "shortTitle") == 0)
      var = CITECONV_VAR_TITLE_SHORT;
    if (var == CITECONV_VAR_NONE) {
      diag(x, pos, CITECONV_D_UNKNOWN_FIELD,
           "'%s' is not a CSL variable; kept as an extra field%s", key, "");
      char name[256];
      snprintf(name, sizeof name, "csl-json:%s", key);
      if ((rc = add_extra_json(x, name, v, pos)) < 0)
        return rc;
      continue;
    }
    switch (citeconv_var_kind_of(var)) {
    case CITECONV_KIND_NAME:
      rc = read_names(x, var, key, v, kp);
      break;
    case CITECONV_KIND_DATE:
      rc = read_date(x, var, key, v, kp);
      break;
    default:
      rc = read_text(x, var, key, v, kp);
      break;
    }
    if (rc < 0)
      return rc;
  }
  if (note)
    rc = read_note(x, jv_string(note), jv_string_length(note),
                   key_pos_of(x->st, note_kp));
  return rc;
}

typedef struct {
  const char *name;
  size_t len;
  citeconv_pos pos;
} key_ref;

static int cmp_keys(const void *a, const void *b)
{
  const key_ref *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->name, y->name, n);
  if (c)
    return c;
  if (x->len != y->len)
    return x->len < y->len ? -1 : 1;
  /* Equal keys in the order they appear. */
  if (x->pos.line != y->pos.line)
    return x->pos.line < y->pos.line ? -1 : 1;
  return x->pos.col < y->pos.col ? -1 : (x->pos.col > y->pos.col);
}

/* JSON lets a key repeat; jansson keeps the last value. Say so. */
static int report_duplicate_keys(cj_reader *st)
{
  key_ref *refs;
  if (st->nkeys < 2)
    return 0;
  refs = malloc(st->nkeys * sizeof(*refs));
  if (!refs)
    return CITECONV_ENOMEM;
  for (size_t i = 0; i < st->nkeys; i++) {
    refs[i].name = st->item.data + st->keys[i].off;
    refs[i].len = st->keys[i].len;
    refs[i].pos = st->keys[i].pos;
  }
  qsort(refs, st->nkeys, sizeof(*refs), cmp_keys);
  for (size_t i = 1; i < st->nkeys; i++)
    if (refs[i].len == refs[i - 1].len &&
        memcmp(refs[i].name, refs[i - 1].name, refs[i].len) == 0)
      citeconv_reader_diag(&st->base, &refs[i].pos,
                           CITECONV_D_DUPLICATE_FIELD,
                           "'%.*s' is given twice; the last value is used",
                           (int)refs[i].len, refs[i].name);
  free(refs);
  return 0;
}

/* Parse the scanned item and build its record. *out stays NULL when the
 * item had to be skipped. */
static int build(cj_reader *st, citeconv_record **out)
{
  cjv *obj = NULL;
  citeconv_record *rec = NULL;
  item_ctx x;
  bool fast;
  int rc;

  /* The item is valid UTF-8: the input's decoder (set up when the reader
   * opens) replaced and reported every bad byte. */
  /* The common, well-formed item without jansson's allocation per value;
   * anything else (errors too) through jansson, as it always was. */
  rc = citeconv_cjv_parse(&st->doc, st->item.data, st->item.len, &obj);
  if (rc < 0)
    return rc;
  /* The value tree is built only for items without a repeated key. */
  fast = rc == 0;
  if (rc > 0) {
    json_error_t err;
    json_t *j = json_loadb(st->item.data, st->item.len, JSON_DECODE_ANY,
                           &err);
    if (!j) {
      citeconv_pos pos = st->item_pos;
      if (err.line > 1) {
        pos.line += (uint32_t)err.line - 1;
        pos.col = (uint32_t)(err.column > 0 ? err.column : 1);
      } else if (err.column > 0) {
        pos.col += (uint32_t)err.column - 1;
      }
      syntax(st, pos, err.text);
      return CITECONV_EPARSE;
    }
    rc = citeconv_cjv_from_jansson(&st->doc, j, &obj);
    json_decref(j);
    if (rc < 0)
      return rc;
  }
  if (!jv_is_object(obj)) {
    citeconv_reader_diag(&st->base, &st->item_pos, CITECONV_D_WRONG_TYPE,
                         "an item is %s, not an object; it was skipped",
                         json_type_name(obj));
    return 0;
  }
  if ((!fast && (rc = report_duplicate_keys(st)) < 0) ||
      (rc = citeconv_record_new(&rec)) < 0)
    goto done;
  citeconv_record_set_origin(rec, st->base.file, st->item_pos);
  x.st = st;
  x.rec = rec;
  if ((rc = read_item(&x, obj)) < 0)
    goto done;
  if (obj->len == 0)
    citeconv_reader_diag(&st->base, &st->item_pos, CITECONV_D_EMPTY_RECORD,
                         "an empty item");
  *out = rec;
  rec = NULL;
done:
  citeconv_record_free(rec);
  return rc;
}

int citeconv_csl_json_next(citeconv_record **out, citeconv_reader *r)
{
  cj_reader *st = (cj_reader *)r;
  scan_result res;
  int c, rc;

  *out = NULL;
  for (;;) {
    skip_ws(st);
    c = peek(st);
    if (st->mode == MODE_DONE)
      return CITECONV_END;
    if (st->mode == MODE_START) {
      if (c == '[') {
        get(st);
        st->mode = MODE_ARRAY;
        continue;
      }
      if (c == '{') {
        st->mode = MODE_OBJECTS;
        continue;
      }
      if (c < 0) {
        citeconv_pos pos = here(st);
        syntax(st, pos, "the input is empty; expected a CSL-JSON array or item");
        return CITECONV_EPARSE;
      }
      syntax(st, here(st), "expected '[' or '{' to start CSL-JSON");
      return CITECONV_EPARSE;
    }
    if (st->mode == MODE_ARRAY) {
      if (c == ']') {
        get(st);
        skip_ws(st);
        if (peek(st) >= 0) {
          syntax(st, here(st), "text after the end of the array");
          return CITECONV_EPARSE;
        }
        st->mode = MODE_DONE;
        return CITECONV_END;
      }
      if (c < 0) {
        syntax(st, here(st),
               "unexpected end of input inside the array (truncated file?)");
        return CITECONV_EPARSE;
      }
      if (st->need_comma) {
        if (c != ',') {
          syntax(st, here(st), "expected ',' or ']' after an item");
          return CITECONV_EPARSE;
        }
        get(st);
        skip_ws(st);
        c = peek(st);
      }
    } else if (c < 0) { /* MODE_OBJECTS */
      st->mode = MODE_DONE;
      return CITECONV_END;
    }
    if ((rc = scan_value(st, &res)) < 0)
      return rc;
    st->need_comma = true;
    if (res == SCAN_EOF) {
      syntax(st, here(st),
             "unexpected end of input inside an item (truncated file?)");
      return CITECONV_EPARSE;
    }
    if (res == SCAN_TOO_DEEP) {
      citeconv_reader_diag(&st->base, &st->item_pos, CITECONV_D_LIMIT,
                           "an item nests deeper than max-depth (%zu); it was "
                           "skipped",
                           st->max_depth);
      continue;
    }
    if (res == SCAN_TOO_BIG) {
      citeconv_reader_diag(&st->base, &st->item_pos, CITECONV_D_LIMIT,
                           "an item is larger than max-record-bytes (%zu); "
                           "it was skipped",
                           st->max_bytes);
      continue;
    }
    if ((rc = build(st, out)) < 0)
      return rc;
    if (*out)
      return 0;
  }
}

int citeconv_csl_json_open(citeconv_reader **out, citeconv_session *s,
                  citeconv_input *in, const citeconv_format *f)
{
  cj_reader *st = calloc(1, sizeof(*st));
  int rc;
  *out = NULL;
  if (!st)
    return CITECONV_ENOMEM;
  citeconv_reader_init(&st->base, f, s, in);
  st->line = st->col = 1;
  st->max_depth = citeconv_session_option_size(s, "max-depth");
  if (st->max_depth > 2000)
    st->max_depth = 2000; /* jansson's own ceiling is 2048 */
  st->max_bytes = citeconv_session_option_size(s, "max-record-bytes");
  st->item.max = st->max_bytes + 1;
  /* JSON is UTF-8 (RFC 8259): bad bytes are reported and replaced rather
   * than taken as a sign of another character set. A UTF-16 or UTF-32
   * byte order mark, or an input-encoding the user sets, still decide. */
  {
    const char *opt = citeconv_session_option(s, "input-encoding");
    size_t n = citeconv_input_fill(in, 4);
    const unsigned char *h = citeconv_input_data(in);
    bool bom16 = n >= 2 && ((h[0] == 0xFF && h[1] == 0xFE) ||
                            (h[0] == 0xFE && h[1] == 0xFF));
    bool bom32 = n >= 4 && h[0] == 0 && h[1] == 0 && h[2] == 0xFE &&
                 h[3] == 0xFF;
    bool auto_enc = !opt || strcmp(opt, "auto") == 0;
    rc = citeconv_charset_decode(in, s,
                                 auto_enc && !bom16 && !bom32 ? "UTF-8"
                                                              : NULL);
  }
  if (rc < 0) {
    free(st);
    return rc;
  }
  *out = &st->base;
  return 0;
}

void citeconv_csl_json_close(citeconv_reader *r)
{
  cj_reader *st = (cj_reader *)r;
  if (!st)
    return;
  citeconv_buf_free(&st->item);
  citeconv_buf_free(&st->scratch);
  citeconv_cjv_free(&st->doc);
  free(st->keys);
  free(st->elems);
  free(st);
}

int citeconv_csl_json_detect(const unsigned char *head, size_t len)
{
  size_t i = 0;
  unsigned char ascii[256];
  if (len >= 2 && (memcmp(head, "\xFF\xFE", 2) == 0 ||
                   memcmp(head, "\xFE\xFF", 2) == 0)) {
    /* UTF-16 with a BOM: look at the ASCII halves of its characters. */
    size_t n = 0, lo = head[0] == 0xFF ? 2 : 3;
    for (size_t k = lo; k < len && n < sizeof ascii; k += 2)
      ascii[n++] = head[k];
    head = ascii;
    len = n;
  }
  if (len >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < len && (head[i] == ' ' || head[i] == '\t' || head[i] == '\n' ||
                     head[i] == '\r'))
    i++;
  if (i >= len)
    return 0;
  if (head[i] == '[') {
    /* "[" then an object, or an empty array. */
    i++;
    while (i < len && (head[i] == ' ' || head[i] == '\t' ||
                       head[i] == '\n' || head[i] == '\r'))
      i++;
    if (i >= len || head[i] == '{' || head[i] == ']')
      return 80;
    return 10;
  }
  if (head[i] == '{')
    return 70;
  return 0;
}
