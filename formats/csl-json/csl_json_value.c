/* CSL-JSON values as a small tree in two reusable buffers: a parser for
 * well-formed items that allocates nothing per value, and a copy of a
 * jansson value for the rest, so that the reader maps one kind of tree.
 * The parser accepts a subset of what jansson accepts and gives the same
 * values; whatever lies outside it (a syntax error, a real number, an
 * escaped NUL, a repeated key...) is left to jansson, whose diagnostics
 * the reader reports. Iterative throughout: nesting is an explicit stack. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csl_json.h"
#include "text.h"

/* Objects with more members than this go to jansson: the parser looks for
 * a repeated key by comparing each new key with those before it. */
#define MAX_MEMBERS 64
#define NONE SIZE_MAX

static int reserve_nodes(cjv_doc *d)
{
  if (d->n == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 256;
    cjv *p = realloc(d->nodes, cap * sizeof(*p));
    if (!p)
      return CITECONV_ENOMEM;
    d->nodes = p;
    d->cap = cap;
  }
  return 0;
}

static int reserve_pool(cjv_doc *d, size_t extra)
{
  if (extra > SIZE_MAX - d->plen - 1)
    return CITECONV_ENOMEM;
  if (d->plen + extra + 1 > d->pcap) {
    size_t cap = d->pcap ? d->pcap : 4096;
    char *p;
    while (cap < d->plen + extra + 1)
      cap = cap > SIZE_MAX / 2 ? d->plen + extra + 1 : cap * 2;
    p = realloc(d->pool, cap);
    if (!p)
      return CITECONV_ENOMEM;
    d->pool = p;
    d->pcap = cap;
  }
  return 0;
}

static int reserve_stack(cjv_doc *d)
{
  if (d->depth == d->scap) {
    size_t cap = d->scap ? d->scap * 2 : 32;
    size_t *p = realloc(d->stack, cap * sizeof(*p));
    if (!p)
      return CITECONV_ENOMEM;
    d->stack = p;
    d->scap = cap;
  }
  return 0;
}

/* A new node under the container on top of the stack (or the root),
 * with the key at pool offset `key` (NONE outside objects). */
static int new_node(cjv_doc *d, cjv_type type, size_t key, size_t klen,
                    size_t *out)
{
  cjv *v;
  size_t ix = d->n;
  if (reserve_nodes(d) < 0)
    return CITECONV_ENOMEM;
  v = &d->nodes[d->n++];
  memset(v, 0, sizeof(*v));
  v->type = type;
  v->koff = key;
  v->klen = klen;
  v->soff = NONE;
  v->ichild = v->inext = v->ilast = NONE;
  if (d->depth > 0) {
    cjv *p = &d->nodes[d->stack[d->depth - 1]];
    if (p->ilast == NONE)
      p->ichild = ix;
    else
      d->nodes[p->ilast].inext = ix;
    p->ilast = ix;
    p->len++;
  }
  *out = ix;
  return 0;
}

/* Offsets to pointers, once the buffers no longer move. */
static cjv *finish(cjv_doc *d)
{
  for (size_t i = 0; i < d->n; i++) {
    cjv *v = &d->nodes[i];
    v->key = v->koff == NONE ? NULL : d->pool + v->koff;
    if (v->soff != NONE)
      v->str = d->pool + v->soff;
    v->child = v->ichild == NONE ? NULL : &d->nodes[v->ichild];
    v->next = v->inext == NONE ? NULL : &d->nodes[v->inext];
  }
  return d->n ? &d->nodes[0] : NULL;
}

static void reset(cjv_doc *d)
{
  d->n = 0;
  d->plen = 0;
  d->depth = 0;
}

/* ---- the parser ---------------------------------------------------------- */

enum { FAST_OK = 0, FAST_NO = 1 };

static size_t skip_ws(const char *s, size_t n, size_t i)
{
  while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' ||
                   s[i] == '\t'))
    i++;
  return i;
}

static int hex4(const char *s, unsigned *out)
{
  unsigned v = 0;
  for (int k = 0; k < 4; k++) {
    char c = s[k];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= (unsigned)(c - 'A' + 10);
    else
      return -1;
  }
  *out = v;
  return 0;
}

/* The bytes that end a plain run inside a string. */
static unsigned string_stops(citeconv_vec x)
{
  return citeconv_vec_mask(
      citeconv_vec_or(citeconv_vec_or(citeconv_vec_eq(x, '"'),
                                       citeconv_vec_eq(x, '\\')),
                      citeconv_vec_in(x, 0, 0x1F)));
}

/* The string whose opening quote is at s[*i]: decoded into the pool (room
 * was reserved for the whole item). Sets *off, *len; FAST_NO for what
 * jansson should judge. */
static int parse_string(cjv_doc *d, const char *s, size_t n, size_t *i,
                        size_t *off, size_t *len)
{
  size_t j = *i + 1;
  char *out = d->pool + d->plen;
  size_t k = 0;
  for (;;) {
    size_t start = j;
    unsigned char c;
    size_t cont = 0;
    /* A vector at a time while there is no quote, backslash or
     * control character among them. */
    j += citeconv_vec_run((const unsigned char *)s + j, n - j, string_stops,
                           &cont);
    while (j < n && (c = (unsigned char)s[j]) != '"' && c != '\\' &&
           c >= 0x20)
      j++;
    memcpy(out + k, s + start, j - start);
    k += j - start;
    if (j >= n)
      return FAST_NO;
    c = (unsigned char)s[j];
    if (c == '"') {
      j++;
      break;
    }
    if (c < 0x20 || j + 1 >= n)
      return FAST_NO;
    c = (unsigned char)s[j + 1];
    j += 2;
    switch (c) {
    case '"':
    case '\\':
    case '/':
      out[k++] = (char)c;
      break;
    case 'b':
      out[k++] = '\b';
      break;
    case 'f':
      out[k++] = '\f';
      break;
    case 'n':
      out[k++] = '\n';
      break;
    case 'r':
      out[k++] = '\r';
      break;
    case 't':
      out[k++] = '\t';
      break;
    case 'u': {
      unsigned cp, lo;
      if (n - j < 4 || hex4(s + j, &cp) < 0 || cp == 0)
        return FAST_NO;
      j += 4;
      if (cp >= 0xDC00 && cp <= 0xDFFF)
        return FAST_NO;
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (n - j < 6 || s[j] != '\\' || s[j + 1] != 'u' ||
            hex4(s + j + 2, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
          return FAST_NO;
        j += 6;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      }
      if (cp < 0x80) {
        out[k++] = (char)cp;
      } else if (cp < 0x800) {
        out[k++] = (char)(0xC0 | (cp >> 6));
        out[k++] = (char)(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        out[k++] = (char)(0xE0 | (cp >> 12));
        out[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[k++] = (char)(0x80 | (cp & 0x3F));
      } else {
        out[k++] = (char)(0xF0 | (cp >> 18));
        out[k++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[k++] = (char)(0x80 | (cp & 0x3F));
      }
      break;
    }
    default:
      return FAST_NO;
    }
  }
  out[k] = '\0';
  *off = d->plen;
  *len = k;
  d->plen += k + 1;
  *i = j;
  return FAST_OK;
}

/* Whether the object on top of the stack already has the key at pool
 * offset `off`; FAST_NO too when it has too many members to look. */
static bool repeated_key(cjv_doc *d, size_t off, size_t len)
{
  const cjv *p = &d->nodes[d->stack[d->depth - 1]];
  const char *k = d->pool + off;
  if (p->len >= MAX_MEMBERS)
    return true;
  for (size_t c = p->ichild; c != NONE; c = d->nodes[c].inext) {
    const cjv *m = &d->nodes[c];
    if (m->klen == len && memcmp(d->pool + m->koff, k, len) == 0)
      return true;
  }
  return false;
}

/* A scalar or the opening of a container at s[*i]. */
static int parse_value(cjv_doc *d, const char *s, size_t n, size_t *i,
                       size_t key, size_t klen, bool *opened)
{
  size_t j = *i, ix;
  int rc;
  *opened = false;
  if (j >= n)
    return FAST_NO;
  switch (s[j]) {
  case '{':
  case '[':
    if ((rc = new_node(d, s[j] == '{' ? CJV_OBJECT : CJV_ARRAY, key, klen,
                       &ix)) < 0 ||
        (rc = reserve_stack(d)) < 0)
      return rc;
    d->stack[d->depth++] = ix;
    *opened = true;
    *i = j + 1;
    return FAST_OK;
  case '"': {
    size_t off, len;
    if ((rc = parse_string(d, s, n, &j, &off, &len)) != FAST_OK)
      return rc;
    if ((rc = new_node(d, CJV_STRING, key, klen, &ix)) < 0)
      return rc;
    d->nodes[ix].soff = off;
    d->nodes[ix].len = len;
    *i = j;
    return FAST_OK;
  }
  case 't':
  case 'f':
  case 'n': {
    static const char *const lit[] = {"true", "false", "null"};
    static const cjv_type types[] = {CJV_TRUE, CJV_FALSE, CJV_NULL};
    int w = s[j] == 't' ? 0 : s[j] == 'f' ? 1 : 2;
    size_t ll = strlen(lit[w]);
    if (n - j < ll || memcmp(s + j, lit[w], ll) != 0)
      return FAST_NO;
    if ((rc = new_node(d, types[w], key, klen, &ix)) < 0)
      return rc;
    *i = j + ll;
    return FAST_OK;
  }
  default: {
    /* An integer of up to 18 digits; reals and the rest go to jansson. */
    bool neg = false;
    long long v = 0;
    size_t digits = 0;
    if (s[j] == '-') {
      neg = true;
      j++;
    }
    if (j >= n || s[j] < '0' || s[j] > '9')
      return FAST_NO;
    if (s[j] == '0') {
      j++;
      digits = 1;
      if (j < n && s[j] >= '0' && s[j] <= '9')
        return FAST_NO;
    } else {
      while (j < n && s[j] >= '0' && s[j] <= '9' && digits < 18) {
        v = v * 10 + (s[j] - '0');
        j++;
        digits++;
      }
    }
    if ((j < n && (s[j] == '.' || s[j] == 'e' ||
                                  s[j] == 'E' ||
                                  (s[j] >= '0' && s[j] <= '9'))))
      return FAST_NO;
    if ((rc = new_node(d, CJV_INTEGER, key, klen, &ix)) < 0)
      return rc;
    d->nodes[ix].integer = neg ? -v : v;
    *i = j;
    return FAST_OK;
  }
  }
}

int citeconv_cjv_parse(cjv_doc *d, const char *s, size_t n, cjv **out)
{
  size_t i;
  int rc;
  bool opened;
  *out = NULL;
  reset(d);
  i = skip_ws(s, n, 0);
  if (i >= n || s[i] != '{')
    return FAST_NO;
  /* Decoded strings are never longer than their JSON text. */
  if ((rc = reserve_pool(d, n + 1)) < 0)
    return rc;
  if ((rc = parse_value(d, s, n, &i, NONE, 0, &opened)) != FAST_OK)
    return rc;
  /* Here a container was just opened, or a value ended. */
  for (;;) {
    if (opened) {
      const cjv *top = &d->nodes[d->stack[d->depth - 1]];
      char close = top->type == CJV_OBJECT ? '}' : ']';
      i = skip_ws(s, n, i);
      if (i < n && s[i] == close) {
        i++;
        d->depth--;
        opened = false;
        continue;
      }
    } else {
      const cjv *top;
      i = skip_ws(s, n, i);
      if (d->depth == 0)
        break;
      top = &d->nodes[d->stack[d->depth - 1]];
      if (i >= n)
        return FAST_NO;
      if (s[i] == (top->type == CJV_OBJECT ? '}' : ']')) {
        i++;
        d->depth--;
        continue;
      }
      if (s[i] != ',')
        return FAST_NO;
      i = skip_ws(s, n, i + 1);
    }
    /* A member or an element. */
    {
      size_t key = NONE, klen = 0;
      if (d->nodes[d->stack[d->depth - 1]].type == CJV_OBJECT) {
        if (i >= n || s[i] != '"')
          return FAST_NO;
        if ((rc = parse_string(d, s, n, &i, &key, &klen)) != FAST_OK)
          return rc;
        if (repeated_key(d, key, klen))
          return FAST_NO;
        i = skip_ws(s, n, i);
        if (i >= n || s[i] != ':')
          return FAST_NO;
        i = skip_ws(s, n, i + 1);
      }
      if ((rc = parse_value(d, s, n, &i, key, klen, &opened)) != FAST_OK)
        return rc;
    }
  }
  if (i != n)
    return FAST_NO;
  *out = finish(d);
  return FAST_OK;
}

/* ---- from and to jansson --------------------------------------------------- */

typedef struct {
  const json_t *v;
  void *iter;
  size_t index, node;
} from_frame;

static int copy_scalar(cjv_doc *d, const json_t *v, size_t key, size_t klen,
                       size_t *ix)
{
  int rc;
  switch (json_typeof(v)) {
  case JSON_STRING: {
    size_t len = json_string_length(v);
    if ((rc = reserve_pool(d, len)) < 0 ||
        (rc = new_node(d, CJV_STRING, key, klen, ix)) < 0)
      return rc;
    memcpy(d->pool + d->plen, json_string_value(v), len);
    d->pool[d->plen + len] = '\0';
    d->nodes[*ix].soff = d->plen;
    d->nodes[*ix].len = len;
    d->plen += len + 1;
    return 0;
  }
  case JSON_INTEGER:
    if ((rc = new_node(d, CJV_INTEGER, key, klen, ix)) < 0)
      return rc;
    d->nodes[*ix].integer = (long long)json_integer_value(v);
    return 0;
  case JSON_REAL:
    if ((rc = new_node(d, CJV_REAL, key, klen, ix)) < 0)
      return rc;
    d->nodes[*ix].real = json_real_value(v);
    return 0;
  case JSON_TRUE:
    return new_node(d, CJV_TRUE, key, klen, ix);
  case JSON_FALSE:
    return new_node(d, CJV_FALSE, key, klen, ix);
  case JSON_OBJECT:
    return new_node(d, CJV_OBJECT, key, klen, ix);
  case JSON_ARRAY:
    return new_node(d, CJV_ARRAY, key, klen, ix);
  default:
    return new_node(d, CJV_NULL, key, klen, ix);
  }
}

int citeconv_cjv_from_jansson(cjv_doc *d, const struct json_t *root,
                              cjv **out)
{
  from_frame *stack = NULL;
  size_t depth = 0, cap = 0, ix;
  int rc;
  *out = NULL;
  reset(d);
  if ((rc = copy_scalar(d, root, NONE, 0, &ix)) < 0)
    return rc;
  if (json_is_object(root) || json_is_array(root)) {
    stack = malloc(16 * sizeof(*stack));
    if (!stack)
      return CITECONV_ENOMEM;
    cap = 16;
    stack[depth].v = root;
    stack[depth].iter = NULL;
    stack[depth].index = 0;
    stack[depth].node = ix;
    depth++;
  }
  while (depth > 0) {
    from_frame *f = &stack[depth - 1];
    const json_t *child;
    size_t key = NONE, klen = 0;
    if (json_is_object(f->v)) {
      f->iter = f->iter ? json_object_iter_next((json_t *)f->v, f->iter)
                        : json_object_iter((json_t *)f->v);
      if (!f->iter) {
        depth--;
        continue;
      }
      {
        const char *k = json_object_iter_key(f->iter);
        klen = strlen(k);
        if ((rc = reserve_pool(d, klen)) < 0)
          goto done;
        memcpy(d->pool + d->plen, k, klen + 1);
        key = d->plen;
        d->plen += klen + 1;
      }
      child = json_object_iter_value(f->iter);
    } else {
      if (f->index >= json_array_size(f->v)) {
        depth--;
        continue;
      }
      child = json_array_get(f->v, f->index++);
    }
    /* new_node links the child under the node on top of d's stack. */
    d->depth = 0;
    if ((rc = reserve_stack(d)) < 0)
      goto done;
    d->stack[d->depth++] = f->node;
    rc = copy_scalar(d, child, key, klen, &ix);
    d->depth = 0;
    if (rc < 0)
      goto done;
    if (json_is_object(child) || json_is_array(child)) {
      if (depth == cap) {
        from_frame *p = realloc(stack, cap * 2 * sizeof(*p));
        if (!p) {
          rc = CITECONV_ENOMEM;
          goto done;
        }
        stack = p;
        cap *= 2;
      }
      stack[depth].v = child;
      stack[depth].iter = NULL;
      stack[depth].index = 0;
      stack[depth].node = ix;
      depth++;
    }
  }
  *out = finish(d);
  rc = 0;
done:
  free(stack);
  return rc;
}

static json_t *scalar_to_jansson(const cjv *v)
{
  switch (v->type) {
  case CJV_STRING:
    return json_stringn_nocheck(v->str, v->len);
  case CJV_INTEGER:
    return json_integer((json_int_t)v->integer);
  case CJV_REAL:
    return json_real(v->real);
  case CJV_TRUE:
    return json_true();
  case CJV_FALSE:
    return json_false();
  case CJV_OBJECT:
    return json_object();
  case CJV_ARRAY:
    return json_array();
  default:
    return json_null();
  }
}

typedef struct {
  const cjv *v;
  json_t *j;
} to_frame;

char *citeconv_cjv_dump(const cjv *root)
{
  to_frame *stack = NULL;
  size_t depth = 0, cap = 0;
  json_t *top = scalar_to_jansson(root);
  char *out = NULL;
  if (!top)
    return NULL;
  if (root->type == CJV_OBJECT || root->type == CJV_ARRAY) {
    stack = malloc(16 * sizeof(*stack));
    if (!stack)
      goto done;
    cap = 16;
    stack[depth].v = root;
    stack[depth].j = top;
    depth++;
  }
  /* Each container's children are added in order when it is popped. */
  while (depth > 0) {
    to_frame f = stack[--depth];
    for (const cjv *c = f.v->child; c; c = c->next) {
      json_t *j = scalar_to_jansson(c);
      int rc;
      if (!j)
        goto done;
      rc = f.v->type == CJV_OBJECT ? json_object_set_new(f.j, c->key, j)
                                   : json_array_append_new(f.j, j);
      if (rc < 0)
        goto done;
      if (c->type == CJV_OBJECT || c->type == CJV_ARRAY) {
        if (depth == cap) {
          to_frame *p = realloc(stack, cap * 2 * sizeof(*p));
          if (!p)
            goto done;
          stack = p;
          cap *= 2;
        }
        stack[depth].v = c;
        stack[depth].j = j;
        depth++;
      }
    }
  }
  out = json_dumps(top, JSON_COMPACT | JSON_ENCODE_ANY);
done:
  free(stack);
  json_decref(top);
  return out;
}

const cjv *citeconv_cjv_get(const cjv *obj, const char *key)
{
  size_t n;
  if (!obj || obj->type != CJV_OBJECT)
    return NULL;
  n = strlen(key);
  for (const cjv *c = obj->child; c; c = c->next)
    if (c->klen == n && memcmp(c->key, key, n) == 0)
      return c;
  return NULL;
}

const cjv *citeconv_cjv_at(const cjv *arr, size_t i)
{
  const cjv *c;
  if (!arr || arr->type != CJV_ARRAY || i >= arr->len)
    return NULL;
  for (c = arr->child; c && i > 0; c = c->next)
    i--;
  return c;
}

void citeconv_cjv_free(cjv_doc *d)
{
  free(d->nodes);
  free(d->pool);
  free(d->stack);
  memset(d, 0, sizeof(*d));
}
