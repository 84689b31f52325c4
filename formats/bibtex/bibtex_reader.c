/* BibTeX/BibLaTeX reader: a streaming parser of .bib files (entries,
 * @string, @preamble, @comment) with recovery at the next '@', and the
 * mapping of each entry to a record.
 *
 * Crossref: an entry whose parent (crossref field) is among the last
 * CACHE_MAX entries read inherits from it at once. When the parent has not
 * been seen yet (BibTeX wants parents after their children), the child and
 * the entries after it wait in a queue of at most QUEUE_MAX entries for the
 * parent to arrive; past that, or at the end of input, the child is handed
 * out with a crossref-unresolved diagnostic. Memory stays bounded. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bibtex.h"
#include "text.h"

#define QUEUE_MAX 256
#define CHAIN_MAX 64 /* the most max-crossref-depth can be */
#define CACHE_MAX 256
#define CACHE_BYTES (8u << 20)
#define SEEN_NAMES_MAX 256
#define FIELD_CACHE 64 /* a power of two */

/* ---- entries ------------------------------------------------------------ */

typedef struct {
  size_t name;  /* offset of the lower-case name in text */
  size_t nlen;
  size_t value; /* offset of the value */
  size_t vlen;
  citeconv_pos pos;
} bfield;

typedef struct entry {
  citeconv_buf text; /* NUL-separated strings */
  bfield *f;
  size_t nf, capf;
  uint64_t names; /* a bit for each field name's hash: most are new */
  size_t type, key; /* offsets */
  citeconv_pos pos;
  int refs;
  struct entry *next; /* in the queue */
} entry;

#define STR(e, off) ((e)->text.data + (off))

static void entry_unref(entry *e)
{
  if (!e || --e->refs > 0)
    return;
  citeconv_buf_free(&e->text);
  free(e->f);
  free(e);
}

static const bfield *entry_field_n(const entry *e, const char *name,
                                   size_t len)
{
  for (size_t i = 0; i < e->nf; i++) {
    const char *fn = STR(e, e->f[i].name);
    if (e->f[i].nlen == len && fn[0] == name[0] && memcmp(fn, name, len) == 0)
      return &e->f[i];
  }
  return NULL;
}

/* The field of e named by a string literal. */
#define entry_field(e, lit) entry_field_n((e), (lit), sizeof(lit) - 1)

/* ---- @string macros ----------------------------------------------------- */

typedef struct {
  char *name; /* lower case */
  char *value;
  size_t len;
} macro;

typedef struct {
  macro *slot;
  size_t cap, count, bytes;
} macro_table;

static uint64_t hash_lower(const char *s, size_t n)
{
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 'A' && c <= 'Z')
      c += 32;
    h = (h ^ c) * 1099511628211ull;
  }
  return h;
}

static macro *macro_find(macro_table *t, const char *name, size_t n)
{
  size_t i;
  if (t->cap == 0)
    return NULL;
  i = (size_t)hash_lower(name, n) & (t->cap - 1);
  while (t->slot[i].name) {
    if (strlen(t->slot[i].name) == n) {
      size_t k = 0;
      for (; k < n; k++) {
        char c = name[k];
        if (c >= 'A' && c <= 'Z')
          c += 32;
        if (c != t->slot[i].name[k])
          break;
      }
      if (k == n)
        return &t->slot[i];
    }
    i = (i + 1) & (t->cap - 1);
  }
  return NULL;
}

static int macro_set(macro_table *t, const char *name, size_t n,
                     const char *value, size_t len)
{
  macro *m;
  size_t i;
  char *v;
  if (t->count * 10 >= t->cap * 7) {
    size_t cap = t->cap ? t->cap * 2 : 64;
    macro *slot = calloc(cap, sizeof(*slot));
    if (!slot)
      return CITECONV_ENOMEM;
    for (size_t k = 0; k < t->cap; k++) {
      if (!t->slot[k].name)
        continue;
      i = (size_t)hash_lower(t->slot[k].name, strlen(t->slot[k].name)) &
          (cap - 1);
      while (slot[i].name)
        i = (i + 1) & (cap - 1);
      slot[i] = t->slot[k];
    }
    free(t->slot);
    t->slot = slot;
    t->cap = cap;
  }
  v = malloc(len + 1);
  if (!v)
    return CITECONV_ENOMEM;
  memcpy(v, value, len);
  v[len] = '\0';
  m = macro_find(t, name, n);
  if (m) {
    t->bytes -= m->len;
    free(m->value);
    m->value = v;
    m->len = len;
    t->bytes += len;
    return 0;
  }
  i = (size_t)hash_lower(name, n) & (t->cap - 1);
  while (t->slot[i].name)
    i = (i + 1) & (t->cap - 1);
  t->slot[i].name = malloc(n + 1);
  if (!t->slot[i].name) {
    free(v);
    return CITECONV_ENOMEM;
  }
  for (size_t k = 0; k < n; k++) {
    char c = name[k];
    t->slot[i].name[k] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
  }
  t->slot[i].name[n] = '\0';
  t->slot[i].value = v;
  t->slot[i].len = len;
  t->count++;
  t->bytes += len + n;
  return 0;
}

static void macro_free(macro_table *t)
{
  for (size_t i = 0; i < t->cap; i++) {
    free(t->slot[i].name);
    free(t->slot[i].value);
  }
  free(t->slot);
}

/* ---- reader state ------------------------------------------------------- */

enum { ENC_UTF8, ENC_UTF16BE, ENC_UTF16LE };

typedef struct {
  citeconv_reader base;
  int enc;
  unsigned char pend[4];
  int npend, ipend;
  int la; /* lookahead byte, -2 none */
  uint32_t line, col;
  bool cr;
  bool eof;
  size_t max_depth, max_field, max_names, max_record;
  size_t max_chain; /* entries a crossref/xdata chain may lend fields */
  macro_table macros;
  /* duplicate keys: hashes of lower-case keys */
  uint64_t *keys;
  size_t nkeys, capkeys;
  /* queue of entries waiting to be handed out */
  entry *qhead, *qtail;
  size_t qlen;
  /* recent entries, for crossref parents */
  entry *cache[CACHE_MAX];
  size_t cache_next, cache_bytes;
  /* scratch */
  citeconv_buf tmp, conv, conv2;
  bool said_encoding;
  char *seen_names[SEEN_NAMES_MAX];
  size_t nseen;
  citeconv_pos cur_field_pos; /* for LaTeX command notes */
  char typebuf[64];
  citeconv_record *cur_rec;
  /* field names seen, by hash: their map entries */
  struct {
    const citeconv_bibtex_field_map *map;
    size_t len;
  } field_cache[FIELD_CACHE];
  /* the fields of the entry being mapped, its parents' after them */
  struct view *views;
  size_t capviews;
  /* an entry done with, kept with its buffers for the next one */
  entry *spare;
} bib_reader;

/* ---- character source --------------------------------------------------- */

/* The next byte of UTF-16 input, as UTF-8. */
static int raw_byte_utf16(bib_reader *st)
{
  if (st->ipend < st->npend)
    return st->pend[st->ipend++];
  for (;;) {
    int a = citeconv_input_getc(st->base.in), b;
    unsigned cp;
    if (a < 0)
      return -1;
    b = citeconv_input_getc(st->base.in);
    if (b < 0)
      return -1;
    cp = st->enc == ENC_UTF16BE ? (unsigned)(a << 8 | b)
                                : (unsigned)(b << 8 | a);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      int c1 = citeconv_input_getc(st->base.in);
      int c2 = citeconv_input_getc(st->base.in);
      unsigned lo;
      if (c1 < 0 || c2 < 0)
        return -1;
      lo = st->enc == ENC_UTF16BE ? (unsigned)(c1 << 8 | c2)
                                  : (unsigned)(c2 << 8 | c1);
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    st->npend = 0;
    st->ipend = 0;
    if (cp < 0x80) {
      st->pend[st->npend++] = (unsigned char)cp;
    } else if (cp < 0x800) {
      st->pend[st->npend++] = (unsigned char)(0xC0 | (cp >> 6));
      st->pend[st->npend++] = (unsigned char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      st->pend[st->npend++] = (unsigned char)(0xE0 | (cp >> 12));
      st->pend[st->npend++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
      st->pend[st->npend++] = (unsigned char)(0x80 | (cp & 0x3F));
    } else {
      st->pend[st->npend++] = (unsigned char)(0xF0 | (cp >> 18));
      st->pend[st->npend++] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
      st->pend[st->npend++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
      st->pend[st->npend++] = (unsigned char)(0x80 | (cp & 0x3F));
    }
    return st->pend[st->ipend++];
  }
}

static inline int raw_byte(bib_reader *st)
{
  if (st->enc == ENC_UTF8)
    return citeconv_input_getc(st->base.in);
  return raw_byte_utf16(st);
}

static inline int peekc(bib_reader *st)
{
  if (st->la == -2)
    st->la = raw_byte(st);
  return st->la;
}

/* getc_ for the end of input, line ends and other controls. */
static int getc_control(bib_reader *st, int c)
{
  if (c < 0)
    return c;
  if (c == '\r') {
    st->line++;
    st->col = 1;
    st->cr = true;
  } else if (c == '\n') {
    if (!st->cr) {
      st->line++;
      st->col = 1;
    }
    st->cr = false;
  } else {
    st->cr = false;
    st->col++;
  }
  return c;
}

/* The next byte, moving the position past it. */
static inline int getc_(bib_reader *st)
{
  int c = peekc(st);
  st->la = -2;
  if (c < ' ')
    return getc_control(st, c);
  st->cr = false;
  st->col += (c & 0xC0) != 0x80;
  return c;
}

static citeconv_pos here(const bib_reader *st)
{
  citeconv_pos p = {st->line, st->col};
  return p;
}

/* Bytes that may not be in an identifier (entry type, key, field name):
 * controls, space, DEL and "#%'(),={}@; bytes from 0x80 may. */
static const unsigned char not_ident[256] = {
    CITECONV_SIXTEEN(1), CITECONV_SIXTEEN(1), [' '] = 1, ['"'] = 1,
    ['#'] = 1, ['%'] = 1, ['\''] = 1,
    ['('] = 1, [')'] = 1, [','] = 1, ['='] = 1, ['{'] = 1, ['}'] = 1,
    ['@'] = 1, [0x7f] = 1};

static bool is_ident(int c)
{
  return c >= 0 && !not_ident[c];
}

/* Whether the input window can be read in place: UTF-8 input, where a
 * byte looked ahead is given back to the window (it came straight from
 * it: raw_byte reads UTF-8 input with citeconv_input_getc). */
static bool in_window(bib_reader *st)
{
  if (st->enc != ENC_UTF8)
    return false;
  if (st->la == -2)
    return true;
  if (st->la >= 0 && citeconv_input_unget(st->base.in)) {
    st->la = -2;
    return true;
  }
  return false;
}

/* Bytes other than spaces and tabs. */
static unsigned nonblank_stops(citeconv_vec x)
{
  return ~citeconv_vec_mask(citeconv_vec_or(citeconv_vec_eq(x, ' '),
                                            citeconv_vec_eq(x, '\t'))) &
         ((1u << CITECONV_VEC) - 1u);
}

static void skip_ws_run(bib_reader *st)
{
  citeconv_input *in = st->base.in;
  /* Spaces and tabs (the indentation of fields) straight from the input
   * window; line ends, which move the line, one at a time below. */
  while (in_window(st)) {
    size_t avail = citeconv_input_avail(in), k = 0;
    const unsigned char *p;
    if (avail == 0 && (avail = citeconv_input_fill(in, 1)) == 0)
      break;
    p = citeconv_input_data(in);
    /* Most runs are a few spaces: byte by byte, and a vector at a time
     * past eight. */
    while (k < avail && k < 8 && (p[k] == ' ' || p[k] == '\t'))
      k++;
    if (k == 8)
      k += citeconv_vec_span(p + 8, avail - 8, nonblank_stops);
    if (k) {
      st->col += (uint32_t)k;
      st->cr = false;
      citeconv_input_consume(in, k);
    }
    if (k < avail) {
      if (p[k] == '\n') {
        /* a line end, as getc_ takes it */
        citeconv_input_consume(in, 1);
        if (!st->cr) {
          st->line++;
          st->col = 1;
        }
        st->cr = false;
        continue;
      }
      if (!citeconv_is_space(p[k]))
        return;
      getc_(st); /* a CR or another line end */
    }
  }
  while (citeconv_is_space(peekc(st)))
    getc_(st);
}

static inline void skip_ws(bib_reader *st)
{
  citeconv_input *in = st->base.in;
  /* Nothing to skip, the common case, decided where it is asked: a byte
   * looked ahead, or the next one in the window, that is not white
   * space. */
  if (st->la >= 0 ? !citeconv_is_space(st->la)
                  : st->la == -2 && st->enc == ENC_UTF8 &&
                        citeconv_input_avail(in) > 0 &&
                        !citeconv_is_space(*citeconv_input_data(in)))
    return;
  skip_ws_run(st);
}

/* ---- diagnostics -------------------------------------------------------- */

#define DIAG(st, pos, code, ...)                                             \
  citeconv_reader_diag(&(st)->base, (pos), CITECONV_D_##code, __VA_ARGS__)

static void unknown_cmd(const char *name, size_t len, void *payload)
{
  bib_reader *st = payload;
  DIAG(st, &st->cur_field_pos, BIBTEX_LATEX_COMMAND,
       "unknown LaTeX command '\\%.*s' kept as written", (int)len, name);
}

/* ---- parsing ------------------------------------------------------------ */

/* What a parse step asks of its caller. */
enum { P_OK = 0, P_SKIP = 1 /* field dropped, go on */,
       P_RESYNC = 2 /* entry ends here; resume at the next '@' */ };

static int add_byte(bib_reader *st, entry *e, int c, size_t vstart,
                    bool *over)
{
  if (*over)
    return 0;
  if (e->text.len - vstart >= st->max_field) {
    *over = true;
    return 0;
  }
  return citeconv_buf_addc(&e->text, (char)c);
}

/* The bytes that may end a value run: braces, quotes, and line ends,
 * found with the other controls below 0x0E (a tab stops the vector test
 * too, and value_run goes on after it). */
static unsigned value_stops(citeconv_vec x)
{
  return citeconv_vec_mask(citeconv_vec_or(
      citeconv_vec_or(citeconv_vec_eq(x, '{'), citeconv_vec_eq(x, '}')),
      citeconv_vec_or(citeconv_vec_eq(x, '"'), citeconv_vec_in(x, 0, 0x0D))));
}

/* The length of the run at p[0..n) up to the delimiter that ends the
 * value (a '}' at depth 1 after '{', a '"' at depth 0 after '"'), a line
 * end, or a brace that copy_run leaves to its caller (a '}' too many, a
 * '{' at max-depth); *depth follows the braces passed over, and *chars
 * counts the characters (bytes that are not UTF-8 continuation bytes). A
 * vector at a time between those bytes. */
static size_t value_run(const unsigned char *p, size_t n, uint32_t *chars,
                        size_t *depth, size_t max_depth, int open)
{
  size_t cont = 0, k = 0, d = *depth, floor = open == '{' ? 1 : 0;
  while (k < n) {
    unsigned char b;
    k += citeconv_vec_run(p + k, n - k, value_stops, &cont);
    if (k == n)
      break;
    b = p[k];
    if (b == '{') {
      if (d >= max_depth)
        break;
      d++;
    } else if (b == '}') {
      if (d <= floor)
        break;
      d--;
    } else if (b == '"') {
      if (open == '"' && d == 0)
        break;
    } else if (b == '\n' || b == '\r') {
      break;
    } else {
      /* A tab or another control (which the vector test also stops at),
       * or the tail: one byte, then vectors again. */
      cont += (b & 0xC0) == 0x80;
    }
    k++;
  }
  *depth = d;
  *chars = (uint32_t)(k - cont);
  return k;
}

/* The bulk of a delimited value: the bytes up to its closing delimiter or
 * a line end, nested braces included, taken from the input window in one
 * piece (UTF-8 input, no lookahead byte pending). The same as add_byte on
 * each, position and depth included. */
static int copy_run(bib_reader *st, entry *e, size_t vstart, bool *over,
                    size_t *depth, int open)
{
  citeconv_input *in = st->base.in;
  for (;;) {
    size_t avail = citeconv_input_avail(in), k = 0, take;
    const unsigned char *p;
    uint32_t chars = 0;
    if (avail == 0 && (avail = citeconv_input_fill(in, 1)) == 0)
      return 0;
    p = citeconv_input_data(in);
    k = value_run(p, avail, &chars, depth, st->max_depth, open);
    if (k == 0)
      return 0;
    st->col += chars;
    st->cr = false;
    take = *over ? 0 : k;
    if (take && e->text.len - vstart + k > st->max_field) {
      size_t used = e->text.len - vstart;
      take = used < st->max_field ? st->max_field - used : 0;
      *over = true;
    }
    if (take && citeconv_buf_add(&e->text, (const char *)p, take) < 0)
      return CITECONV_ENOMEM;
    citeconv_input_consume(in, k);
    if (k < avail)
      return 0;
  }
}

/* After a line break inside a value: an '@' as the first thing on the
 * next line means the value's closing brace or quote is missing. */
static bool at_entry_start(bib_reader *st, entry *e, size_t vstart,
                           bool *over)
{
  while (peekc(st) == ' ' || peekc(st) == '\t')
    add_byte(st, e, getc_(st), vstart, over);
  return peekc(st) == '@';
}

/* One braced or quoted part of a value; the opening delimiter is next. */
static int parse_delimited(bib_reader *st, entry *e, size_t vstart,
                           bool *over, const char *field)
{
  citeconv_pos start = here(st);
  int open = getc_(st);
  size_t depth = open == '{' ? 1 : 0;
  bool deep = false;
  for (;;) {
    int c;
    if (in_window(st) && !deep) {
      int rc = copy_run(st, e, vstart, over, &depth, open);
      if (rc < 0)
        return rc;
    }
    c = getc_(st);
    if (c < 0) {
      DIAG(st, &start, SYNTAX,
           "unbalanced braces: the value of '%s' opened here is not closed "
           "before the end of input",
           field);
      return P_RESYNC;
    }
    if (c == '{') {
      depth++;
      if (depth > st->max_depth && !deep) {
        deep = true;
        DIAG(st, &start, LIMIT,
             "braces in '%s' nest deeper than max-depth (%zu); field "
             "skipped",
             field, st->max_depth);
      }
    } else if (c == '}') {
      if (depth == 0) {
        DIAG(st, &start, SYNTAX,
             "unbalanced braces: a '}' closes more than was opened in the "
             "value of '%s'",
             field);
        return P_RESYNC;
      }
      if (--depth == 0 && open == '{')
        break;
    } else if (c == '"' && open == '"' && depth == 0) {
      break;
    } else if (c == '\n' || c == '\r') {
      add_byte(st, e, c, vstart, over);
      if (at_entry_start(st, e, vstart, over)) {
        DIAG(st, &start, SYNTAX,
             "unbalanced braces: the value of '%s' opened here is not "
             "closed before the next entry",
             field);
        return P_RESYNC;
      }
      continue;
    }
    if (add_byte(st, e, c, vstart, over) < 0)
      return CITECONV_ENOMEM;
  }
  return deep ? P_SKIP : P_OK;
}

/* A whole value: parts joined by '#'. Appends the expanded value to
 * e->text. `field` names the field (or macro) for diagnostics. */
static int parse_value(bib_reader *st, entry *e, const char *field)
{
  size_t vstart = e->text.len;
  bool over = false;
  int result = P_OK;
  for (;;) {
    int c, rc;
    citeconv_pos p;
    skip_ws(st);
    p = here(st);
    c = peekc(st);
    if (c == '{' || c == '"') {
      rc = parse_delimited(st, e, vstart, &over, field);
      if (rc < 0 || rc == P_RESYNC)
        return rc;
      if (rc == P_SKIP)
        result = P_SKIP;
    } else if (c >= '0' && c <= '9') {
      while ((c = peekc(st)) >= '0' && c <= '9')
        add_byte(st, e, getc_(st), vstart, &over);
    } else if (is_ident(c)) {
      char name[256];
      size_t n = 0;
      macro *m;
      while (is_ident(peekc(st))) {
        c = getc_(st);
        if (n < sizeof(name) - 1)
          name[n++] = (char)c;
      }
      name[n] = '\0';
      m = macro_find(&st->macros, name, n);
      if (m) {
        for (size_t k = 0; k < m->len; k++)
          if (add_byte(st, e, (unsigned char)m->value[k], vstart, &over) <
              0)
            return CITECONV_ENOMEM;
      } else {
        DIAG(st, &p, BIBTEX_UNDEFINED_MACRO,
             "undefined macro '%s' in '%s'; its name is kept as the text",
             name, field);
        for (size_t k = 0; k < n; k++)
          add_byte(st, e, (unsigned char)name[k], vstart, &over);
      }
    } else {
      if (c < 0)
        DIAG(st, &p, SYNTAX, "the input ends where the value of '%s' should be",
             field);
      else
        DIAG(st, &p, SYNTAX, "expected a value for '%s', found '%c'", field,
             c);
      if (c == ',' || c == '}' || c == ')')
        return P_SKIP;
      return P_RESYNC;
    }
    skip_ws(st);
    if (peekc(st) != '#')
      break;
    getc_(st);
  }
  if (over) {
    citeconv_pos p = here(st);
    DIAG(st, &p, LIMIT,
         "the value of '%s' is longer than max-field-bytes (%zu); field "
         "skipped",
         field, st->max_field);
    result = P_SKIP;
  }
  if (citeconv_buf_addc(&e->text, '\0') < 0)
    return CITECONV_ENOMEM;
  return result;
}

/* Read an identifier (lower-cased) into e->text; returns its offset. */
static size_t read_ident(bib_reader *st, entry *e, size_t *len)
{
  size_t off = e->text.len;
  citeconv_input *in = st->base.in;
  bool ended = false;
  /* ASCII from the input window in one piece, lower-cased; anything else
   * one byte at a time below. */
  while (in_window(st) && e->text.len - off < 1024) {
    size_t avail = citeconv_input_avail(in), k = 0, room, before, added;
    const unsigned char *p;
    char *dst;
    if (avail == 0 && (avail = citeconv_input_fill(in, 1)) == 0)
      break;
    p = citeconv_input_data(in);
    room = 1024 - (e->text.len - off);
    if (avail > room)
      avail = room;
    while (k < avail && p[k] < 0x80 && !not_ident[p[k]])
      k++;
    if (k == 0)
      break;
    before = e->text.len;
    citeconv_buf_add(&e->text, (const char *)p, k); /* as addc: kept short */
    added = e->text.len - before;
    dst = e->text.data + before;
    for (size_t i = 0; i < added; i++)
      if (dst[i] >= 'A' && dst[i] <= 'Z')
        dst[i] = (char)(dst[i] + 32);
    st->col += (uint32_t)k;
    st->cr = false;
    citeconv_input_consume(in, k);
    if (k < avail) {
      ended = p[k] < 0x80; /* at an ASCII byte that ends it, the usual */
      break;
    }
  }
  while (!ended && is_ident(peekc(st)) && e->text.len - off < 1024) {
    int c = getc_(st);
    if (c >= 'A' && c <= 'Z')
      c += 32;
    citeconv_buf_addc(&e->text, (char)c);
  }
  *len = e->text.len - off;
  citeconv_buf_addc(&e->text, '\0');
  return off;
}

static int add_field(bib_reader *st, entry *e, size_t name, size_t nlen,
                     size_t value, size_t vlen, citeconv_pos pos)
{
  const bfield *dup = NULL;
  uint64_t bit = 1;
  {
    uint32_t h = 2166136261u;
    const char *n = STR(e, name);
    for (size_t i = 0; i < nlen; i++)
      h = (h ^ (unsigned char)n[i]) * 16777619u;
    bit <<= h >> 26;
  }
  if (e->names & bit)
    dup = entry_field_n(e, STR(e, name), nlen);
  e->names |= bit;
  if (dup) {
    DIAG(st, &pos, DUPLICATE_FIELD,
         "field '%s' is given twice (first at line %u); the first value is "
         "kept",
         STR(e, name), (unsigned)dup->pos.line);
    return 0;
  }
  if (e->nf == e->capf) {
    size_t cap = e->capf ? e->capf * 2 : 16;
    bfield *f = realloc(e->f, cap * sizeof(*f));
    if (!f)
      return CITECONV_ENOMEM;
    e->f = f;
    e->capf = cap;
  }
  e->f[e->nf].name = name;
  e->f[e->nf].nlen = nlen;
  e->f[e->nf].value = value;
  e->f[e->nf].vlen = vlen;
  e->f[e->nf].pos = pos;
  e->nf++;
  return 0;
}

/* Skip a balanced block after @comment{ (or up to the next line starting
 * with '@' when it never closes). */
static void skip_block(bib_reader *st, int close)
{
  size_t depth = 1;
  int open = close == '}' ? '{' : '(';
  for (;;) {
    int c = getc_(st);
    if (c < 0)
      return;
    if (c == open)
      depth++;
    else if (c == close && --depth == 0)
      return;
    else if ((c == '\n' || c == '\r') && close == ')') {
      /* @comment(...) is often unbalanced prose: stop at the line end */
    }
  }
}

static void seen_key(bib_reader *st, entry *e, citeconv_pos pos)
{
  const char *key = STR(e, e->key);
  size_t n = strlen(key);
  uint64_t h;
  size_t i;
  if (n == 0)
    return;
  h = hash_lower(key, n) | 1;
  if (st->nkeys * 4 >= st->capkeys * 3) { /* at most 3/4 full */
    size_t cap = st->capkeys ? st->capkeys * 2 : 1024;
    uint64_t *k = calloc(cap, sizeof(*k));
    if (!k)
      return;
    for (size_t j = 0; j < st->capkeys; j++) {
      if (!st->keys[j])
        continue;
      i = (size_t)st->keys[j] & (cap - 1);
      while (k[i])
        i = (i + 1) & (cap - 1);
      k[i] = st->keys[j];
    }
    free(st->keys);
    st->keys = k;
    st->capkeys = cap;
  }
  i = (size_t)h & (st->capkeys - 1);
  while (st->keys[i]) {
    if (st->keys[i] == h) {
      /* With --check the validator reports it, with the first place. */
      if (!st->base.session->checking)
        DIAG(st, &pos, DUPLICATE_KEY,
             "duplicate key '%s': an earlier entry has the same key", key);
      return;
    }
    i = (i + 1) & (st->capkeys - 1);
  }
  st->keys[i] = h;
  st->nkeys++;
}

/* A field whose value holds a line that starts like "name =": where an
 * unclosed brace swallowed the rest of an entry. */
static const bfield *swallowed(const entry *e)
{
  for (size_t i = 0; i < e->nf; i++) {
    const char *v = STR(e, e->f[i].value);
    const char *nl = v;
    while ((nl = strchr(nl, '\n')) != NULL) {
      const char *p = ++nl;
      while (*p == ' ' || *p == '\t')
        p++;
      if (!is_ident((unsigned char)*p))
        continue;
      while (is_ident((unsigned char)*p))
        p++;
      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '=')
        return &e->f[i];
    }
  }
  return NULL;
}

/* A copy of src in dst[0..cap), cut to fit, as snprintf "%s" makes it. */
static void copy_str(char *dst, size_t cap, const char *src)
{
  size_t n = strlen(src);
  if (n >= cap)
    n = cap - 1;
  memcpy(dst, src, n);
  dst[n] = '\0';
}

/* Entries whose text grew past this are freed rather than kept spare. */
#define SPARE_TEXT_MAX (64u << 10)

static entry *entry_new(bib_reader *st)
{
  entry *e = st->spare;
  if (e) {
    st->spare = NULL;
    citeconv_buf_clear(&e->text);
    e->nf = 0;
    e->names = 0;
    e->type = e->key = 0;
    e->pos.line = e->pos.col = 0;
    e->refs = 1;
    e->next = NULL;
    return e;
  }
  e = calloc(1, sizeof(*e));
  if (e) {
    e->refs = 1;
    /* Room for a typical entry at once, rather than growing to it. */
    if (citeconv_buf_reserve(&e->text, 4096) < 0) {
      free(e);
      return NULL;
    }
  }
  return e;
}

/* Drop a reference; the last one makes a small entry the spare. */
static void entry_done(bib_reader *st, entry *e)
{
  if (e && e->refs == 1 && !st->spare && e->text.cap <= SPARE_TEXT_MAX) {
    e->refs = 0;
    st->spare = e;
    return;
  }
  entry_unref(e);
}

/* Parse from after the '@' to the end of one entry. Returns 0 with *out
 * set to an entry (or NULL for @string/@preamble/@comment and junk),
 * or <0 on a fatal error. */
static int parse_entry(bib_reader *st, citeconv_pos at, entry **out)
{
  entry *e = entry_new(st);
  size_t tlen, klen, pending = (size_t)-1;
  char tname[64];
  int c, close, rc = 0;
  const char *type;

  *out = NULL;
  if (!e)
    return CITECONV_ENOMEM;
  e->text.max = st->max_record;
  e->pos = at;
  skip_ws(st);
  e->type = read_ident(st, e, &tlen);
  type = STR(e, e->type);
  skip_ws(st);
  c = peekc(st);
  if (c != '{' && c != '(' && strcmp(type, "comment") == 0) {
    /* "@comment some text": BibTeX ignores the rest as a comment */
    entry_done(st, e);
    return 0;
  }
  if (c != '{' && c != '(') {
    if (at.col == 1 || tlen == 0 || citeconv_bibtex_field_find(type) ||
        strcmp(type, "string") == 0) {
      if (tlen > 0)
        DIAG(st, &at, SYNTAX,
             "expected '{' or '(' after '@%s'; text skipped to the next '@'",
             type);
    }
    entry_done(st, e);
    return 0;
  }
  getc_(st);
  close = c == '{' ? '}' : ')';
  /* e->text grows below: name the type from a copy */
  copy_str(tname, sizeof(tname), STR(e, e->type));
  type = tname;

  if (strcmp(type, "comment") == 0) {
    skip_block(st, close);
    entry_done(st, e);
    return 0;
  }
  if (strcmp(type, "preamble") == 0) {
    size_t off = e->text.len;
    rc = parse_value(st, e, "@preamble");
    if (rc >= 0) {
      DIAG(st, &at, BIBTEX_PREAMBLE,
           "@preamble is not carried into the records: \"%.60s\"",
           STR(e, off));
      skip_ws(st);
      if (rc == P_OK && peekc(st) == close)
        getc_(st);
    }
    entry_done(st, e);
    return rc < 0 ? rc : 0;
  }
  if (strcmp(type, "string") == 0) {
    /* The value is expanded here, as BibTeX does: a definition can only
     * use macros defined before it, so definitions cannot form a cycle,
     * and the table is bounded by max-record-bytes in all. */
    size_t nlen, noff, voff;
    char sname[128];
    citeconv_pos p;
    skip_ws(st);
    p = here(st);
    noff = read_ident(st, e, &nlen);
    skip_ws(st);
    if (nlen == 0 || peekc(st) != '=') {
      DIAG(st, &p, SYNTAX, "expected 'name = value' in @string");
      entry_done(st, e);
      return 0;
    }
    getc_(st);
    voff = e->text.len;
    copy_str(sname, sizeof(sname), STR(e, noff));
    rc = parse_value(st, e, sname);
    if (rc == P_OK) {
      size_t vlen = strlen(STR(e, voff));
      if (st->macros.bytes + vlen > st->max_record) {
        DIAG(st, &p, LIMIT, "@string definitions exceed max-record-bytes; "
                            "'%s' not defined",
             STR(e, noff));
      } else if (macro_set(&st->macros, STR(e, noff), nlen, STR(e, voff),
                           vlen) < 0) {
        rc = CITECONV_ENOMEM;
      }
      skip_ws(st);
      if (peekc(st) == close)
        getc_(st);
      else
        DIAG(st, &p, SYNTAX, "@string '%s' is not closed with '%c'",
             STR(e, noff), close);
    }
    entry_done(st, e);
    return rc < 0 ? rc : 0;
  }

  /* A regular entry: key, then fields. */
  skip_ws(st);
  {
    citeconv_pos kp = here(st);
    e->key = e->text.len;
    while ((c = peekc(st)) >= 0 && !citeconv_is_space(c) && c != ',' && c != close &&
           c != '=' && c != '{' && c != '}' && c != '"' && c != '@')
      citeconv_buf_addc(&e->text, (char)getc_(st));
    klen = e->text.len - e->key;
    citeconv_buf_addc(&e->text, '\0');
    skip_ws(st);
    if (peekc(st) == '=') {
      /* "@article{author = ...": no key; what we read is a field name */
      DIAG(st, &kp, SYNTAX, "entry '@%s' has no key", type);
      pending = e->key;
      for (char *q = STR(e, pending); *q; q++)
        if (*q >= 'A' && *q <= 'Z')
          *q = (char)(*q + 32);
      e->key = e->text.len;
      citeconv_buf_addc(&e->text, '\0');
      klen = 0;
    } else if (klen == 0 && peekc(st) == ',') {
      DIAG(st, &kp, BAD_VALUE, "entry '@%s' has an empty key", type);
    } else if (klen == 0) {
      DIAG(st, &kp, SYNTAX, "entry '@%s' has no key", type);
    }
    if (klen > 0)
      seen_key(st, e, kp);
  }
  skip_ws(st);
  c = peekc(st);
  if (pending == (size_t)-1 && c != ',' && c != close && c >= 0) {
    citeconv_pos q = here(st);
    DIAG(st, &q, SYNTAX, "missing comma after the key of entry '%s'",
         STR(e, e->key));
  }
  for (;;) {
    size_t nlen, noff, voff;
    char fname[128];
    citeconv_pos p;
    skip_ws(st);
    p = here(st);
    c = peekc(st);
    if (c == close && pending == (size_t)-1) {
      getc_(st);
      break;
    }
    if (c == ',' && pending == (size_t)-1) {
      getc_(st);
      continue;
    }
    if (c == '%' && pending == (size_t)-1) {
      /* a comment line between fields (biber) */
      while ((c = peekc(st)) >= 0 && c != '\n' && c != '\r')
        getc_(st);
      continue;
    }
    if (c < 0) {
      DIAG(st, &at, SYNTAX,
           "entry '%s' is not closed before the end of input",
           STR(e, e->key));
      break;
    }
    if (c == '@') {
      const bfield *sus = swallowed(e);
      DIAG(st, &at, SYNTAX,
           "entry '%s' is not closed with '%c' before the next entry",
           STR(e, e->key), close);
      if (sus)
        citeconv_diag_emit_sev(
            st->base.session, st->base.file, &sus->pos,
            st->base.nrecords + 1, CITECONV_D_SYNTAX, CITECONV_SEV_NOTE,
            "the value of '%s' runs over what looks like further fields; "
            "a closing brace is probably missing in it",
            STR(e, sus->name));
      break;
    }
    if (pending != (size_t)-1) {
      noff = pending;
      nlen = strlen(STR(e, noff));
      pending = (size_t)-1;
    } else {
      noff = read_ident(st, e, &nlen);
    }
    if (nlen == 0) {
      DIAG(st, &p, SYNTAX,
           "expected a field name in entry '%s', found '%c'; the rest of the "
           "entry is skipped",
           STR(e, e->key), c);
      break;
    }
    skip_ws(st);
    if (peekc(st) != '=') {
      c = peekc(st);
      if (c == ',' || c == close) {
        /* "keywords," : a bare word, as after a second key */
        DIAG(st, &p, SYNTAX, "'%s' in entry '%s' has no '= value'",
             STR(e, noff), STR(e, e->key));
        continue;
      }
      DIAG(st, &p, SYNTAX,
           "expected '=' after field name '%s' in entry '%s'; the rest of "
           "the entry is skipped",
           STR(e, noff), STR(e, e->key));
      break;
    }
    getc_(st);
    voff = e->text.len;
    /* parse_value grows e->text: name the field from a copy */
    copy_str(fname, sizeof(fname), STR(e, noff));
    rc = parse_value(st, e, fname);
    if (rc < 0)
      goto fail;
    if (rc == P_OK) {
      size_t vlen = e->text.len - voff - 1;
      rc = add_field(st, e, noff, nlen, voff, vlen, p);
      if (rc < 0)
        goto fail;
    } else if (rc == P_RESYNC) {
      break;
    }
    skip_ws(st);
    c = peekc(st);
    if (c == ',' || c == close)
      continue;
    if (is_ident(c)) {
      citeconv_pos q = here(st);
      DIAG(st, &q, SYNTAX, "missing comma after field '%s' in entry '%s'",
           STR(e, noff), STR(e, e->key));
      continue;
    }
    if (c >= 0 && c != '@') {
      citeconv_pos q = here(st);
      DIAG(st, &q, SYNTAX,
           "unexpected '%c' after field '%s' in entry '%s'; the rest of the "
           "entry is skipped",
           c, STR(e, noff), STR(e, e->key));
      break;
    }
  }
  if (e->text.overflow) {
    DIAG(st, &at, LIMIT, "entry '%s' is larger than max-record-bytes; skipped",
         STR(e, e->key));
    entry_done(st, e);
    return 0;
  }
  *out = e;
  return 0;
fail:
  entry_done(st, e);
  return rc;
}

/* Read the next entry (not @string etc.) from the input; NULL at the end. */
static int read_entry(bib_reader *st, entry **out)
{
  *out = NULL;
  while (!st->eof) {
    int c = getc_(st);
    citeconv_pos at;
    int rc;
    if (c < 0) {
      st->eof = true;
      break;
    }
    if (c == '%') {
      /* a comment line, as biber reads them: an '@' in it starts nothing */
      while ((c = peekc(st)) >= 0 && c != '\n' && c != '\r')
        getc_(st);
      continue;
    }
    if (c != '@')
      continue;
    at.line = st->line;
    at.col = st->col - 1;
    rc = parse_entry(st, at, out);
    if (rc < 0)
      return rc;
    if (*out)
      return 0;
  }
  return 0;
}

/* ---- mapping to the record --------------------------------------------- */

/* The value as UTF-8: when it is not, it is read as Windows-1252. */
static const char *as_utf8(bib_reader *st, const char *s, size_t *n,
                           citeconv_pos pos)
{
  static const unsigned short cp1252[32] = {
      0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
      0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
  if (citeconv_utf8_valid(s, *n, NULL))
    return s;
  if (!st->said_encoding) {
    st->said_encoding = true;
    DIAG(st, &pos, ENCODING_ASSUMED,
         "the input is not valid UTF-8; it is read as Windows-1252");
  }
  citeconv_buf_clear(&st->tmp);
  for (size_t i = 0; i < *n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80)
      citeconv_buf_addc(&st->tmp, (char)c);
    else if (c < 0xA0)
      citeconv_buf_add_cp(&st->tmp, cp1252[c - 0x80]);
    else
      citeconv_buf_add_cp(&st->tmp, c);
  }
  *n = st->tmp.len;
  return st->tmp.data ? st->tmp.data : "";
}

typedef struct view {
  const char *name;
  size_t nlen;
  const char *value;
  size_t len;
  citeconv_pos pos;
} view;

/* The map entry for a field name, through the reader's cache: the same
 * few names come back in every entry. */
static const citeconv_bibtex_field_map *field_map(bib_reader *st,
                                                  const view *f)
{
  uint32_t h = 2166136261u;
  const citeconv_bibtex_field_map *m;
  size_t k;
  for (size_t i = 0; i < f->nlen; i++)
    h = (h ^ (unsigned char)f->name[i]) * 16777619u;
  k = h & (FIELD_CACHE - 1);
  m = st->field_cache[k].map;
  if (m && st->field_cache[k].len == f->nlen &&
      memcmp(m->name, f->name, f->nlen) == 0)
    return m;
  m = citeconv_bibtex_field_find(f->name);
  if (m) {
    st->field_cache[k].map = m;
    st->field_cache[k].len = f->nlen;
  }
  return m;
}

/* Fields a child does not take from its crossref parent. */
static bool not_inherited(const char *name)
{
  static const char *const names[] = {
      "crossref", "xref",  "ids", "entryset", "label", "shorthand",
      "sortkey",  "key",   "xdata", "related", "options", NULL};
  for (size_t i = 0; names[i]; i++)
    if (names[i][0] == name[0] && strcmp(names[i], name) == 0)
      return true;
  return false;
}

static const view *vfind_n(const view *v, size_t n, const char *name,
                           size_t len)
{
  for (size_t i = 0; i < n; i++)
    if (v[i].nlen == len && v[i].name[0] == name[0] &&
        memcmp(v[i].name, name, len) == 0)
      return &v[i];
  return NULL;
}

/* Whether view f is the field called lit, a string literal. */
#define named(f, lit)                                                        \
  ((f)->nlen == sizeof(lit) - 1 && memcmp((f)->name, lit, sizeof(lit) - 1) == 0)

/* The view of the field called name (strlen of a literal costs nothing). */
#define vfind(v, n, name) vfind_n((v), (n), (name), strlen(name))

/* Convert LaTeX into st->conv; returns its text (NUL-terminated). */
static const char *latex(bib_reader *st, const view *v, unsigned flags,
                         size_t *len)
{
  size_t n = v->len;
  const char *s = as_utf8(st, v->value, &n, v->pos);
  citeconv_buf_clear(&st->conv);
  st->cur_field_pos = v->pos;
  citeconv_bibtex_latex_to_text(&st->conv, s, n, flags, st->max_depth,
                                unknown_cmd, st);
  *len = st->conv.len;
  return st->conv.data ? st->conv.data : "";
}

static int add_extra(bib_reader *st, citeconv_record *rec, const view *v,
                     bool verbatim);

static int set_latex(bib_reader *st, citeconv_record *rec, citeconv_var var,
                     const view *v, unsigned flags)
{
  size_t len;
  const char *s = latex(st, v, flags, &len);
  if (len == 0) /* an empty field overrides a crossref parent's: keep it */
    return add_extra(st, rec, v, true);
  return citeconv_record_set_text(rec, var, s, len, v->pos);
}

static int add_extra(bib_reader *st, citeconv_record *rec, const view *v,
                     bool verbatim)
{
  char name[300];
  size_t len;
  const char *s;
  memcpy(name, "bibtex:", 7);
  copy_str(name + 7, sizeof(name) - 7, v->name);
  if (verbatim) {
    len = v->len;
    s = as_utf8(st, v->value, &len, v->pos);
  } else {
    s = latex(st, v, CITECONV_BIBTEX_NO_QUOTES, &len);
  }
  return citeconv_record_add_extra(rec, name, s, len, v->pos);
}

static void note_unknown_field(bib_reader *st, const view *v)
{
  for (size_t i = 0; i < st->nseen; i++)
    if (strcmp(st->seen_names[i], v->name) == 0)
      return;
  if (st->nseen < SEEN_NAMES_MAX) {
    st->seen_names[st->nseen] = strdup(v->name);
    if (st->seen_names[st->nseen])
      st->nseen++;
  }
  DIAG(st, &v->pos, UNKNOWN_FIELD,
       "field '%s' has no CSL variable; kept as extra field 'bibtex:%s' "
       "(reported once per input)",
       v->name, v->name);
}

static int add_names(bib_reader *st, citeconv_record *rec, citeconv_var role,
                     const view *v)
{
  size_t n = v->len, pos = 0, count = 0;
  const char *s = as_utf8(st, v->value, &n, v->pos);
  citeconv_bibtex_span sp;
  citeconv_buf *b = &st->conv2;
  int rc = 0;
  /* as_utf8 may have used st->tmp: keep a private copy of the list */
  citeconv_buf_clear(b);
  if (citeconv_buf_add(b, s, n) < 0)
    return CITECONV_ENOMEM;
  s = b->data;
  while (rc == 0 && citeconv_bibtex_next_name(s, n, &pos, &sp)) {
    citeconv_bibtex_name_parts parts;
    citeconv_name name;
    const char *part[4] = {NULL, NULL, NULL, NULL};
    const citeconv_bibtex_span *spans[4];
    size_t off[4];
    if (sp.len == 0)
      continue;
    if (!memchr(s + sp.off, '=', sp.len) ||
        !citeconv_bibtex_split_extended(s + sp.off, sp.len, &parts))
      citeconv_bibtex_split_name(s + sp.off, sp.len, &parts);
    if (parts.others) {
      citeconv_record_set_truncated(rec, role, true);
      continue;
    }
    if (count >= st->max_names) {
      DIAG(st, &v->pos, LIMIT,
           "more than max-names (%zu) names in '%s'; the rest is skipped",
           st->max_names, v->name);
      break;
    }
    if (parts.extra_commas)
      DIAG(st, &v->pos, BAD_VALUE,
           "name '%.*s' in '%s' has more than two commas", (int)sp.len,
           s + sp.off, v->name);
    spans[0] = &parts.first;
    spans[1] = &parts.von;
    spans[2] = &parts.last;
    spans[3] = &parts.jr;
    /* Convert each part; keep them all in st->conv, NUL-separated. */
    citeconv_buf_clear(&st->conv);
    st->cur_field_pos = v->pos;
    for (int k = 0; k < 4; k++) {
      off[k] = st->conv.len;
      if (spans[k]->len) {
        citeconv_bibtex_latex_to_text(&st->conv, s + sp.off + spans[k]->off,
                                      spans[k]->len, CITECONV_BIBTEX_NO_QUOTES,
                                      st->max_depth, unknown_cmd, st);
      }
      if (st->conv.len == off[k])
        off[k] = (size_t)-1;
      citeconv_buf_addc(&st->conv, '\0');
    }
    if (st->conv.overflow)
      return CITECONV_ENOMEM;
    for (int k = 0; k < 4; k++)
      part[k] = off[k] == (size_t)-1 ? NULL : st->conv.data + off[k];
    memset(&name, 0, sizeof(name));
    name.role = role;
    name.pos = v->pos;
    if (parts.literal) {
      name.literal = part[2];
    } else {
      name.given = part[0];
      name.non_dropping_particle = part[1];
      name.family = part[2];
      name.suffix = part[3];
      if (!name.family && name.given) {
        name.family = name.given;
        name.given = NULL;
      }
    }
    if (!name.literal && !name.family)
      continue;
    rc = citeconv_record_add_name(rec, &name);
    count++;
  }
  return rc;
}

/* A date value as text for the date parser: braces dropped, "--" as
 * "/", no spaces around "/"; LaTeX only when there is a command in it. */
static const char *date_text(bib_reader *st, const view *v, size_t *len)
{
  size_t n = v->len;
  const char *s = as_utf8(st, v->value, &n, v->pos);
  citeconv_buf *b = &st->conv;
  if (memchr(s, '\\', n))
    return latex(st, v, CITECONV_BIBTEX_NO_QUOTES, len);
  citeconv_buf_clear(b);
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '{' || c == '}')
      continue;
    if (c == '-' && i + 1 < n && s[i + 1] == '-') {
      while (b->len > 0 && b->data[b->len - 1] == ' ')
        b->data[--b->len] = '\0';
      citeconv_buf_addc(b, '/');
      while (i + 1 < n && s[i + 1] == '-')
        i++;
      while (i + 1 < n && s[i + 1] == ' ')
        i++;
      continue;
    }
    if (c == '/') {
      while (b->len > 0 && b->data[b->len - 1] == ' ')
        b->data[--b->len] = '\0';
      citeconv_buf_addc(b, '/');
      while (i + 1 < n && (s[i + 1] == ' ' || s[i + 1] == '\n'))
        i++;
      continue;
    }
    if (c == '\n' || c == '\r' || c == '\t')
      c = ' ';
    citeconv_buf_addc(b, c);
  }
  *len = b->len;
  return b->data ? b->data : "";
}

static int set_date(bib_reader *st, citeconv_record *rec, citeconv_var var,
                    const view *v)
{
  citeconv_date d;
  size_t len;
  const char *s = date_text(st, v, &len);
  memset(&d, 0, sizeof(d));
  d.pos = v->pos;
  if (len == 0)
    return 0;
  if (!citeconv_bibtex_parse_date(s, len, &d)) {
    memset(&d, 0, sizeof(d));
    d.pos = v->pos;
    d.literal = s;
    DIAG(st, &v->pos, BAD_DATE,
         "'%s' is not a date of the form YYYY-MM-DD; kept as literal text",
         s);
  } else {
    /* EDTF counts a year 0 (1 BC); CSL does not: -0333 is 334 BC. */
    if (d.year < 0)
      d.year--;
    if (d.end_year < 0)
      d.end_year--;
  }
  return citeconv_record_set_date(rec, var, &d);
}

static bool has_digit(const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (s[i] >= '0' && s[i] <= '9')
      return true;
  return false;
}

/* year, month and day fields into `issued` (when there is no date). */
static int set_year(bib_reader *st, citeconv_record *rec, const view *year,
                    const view *month, const view *day, citeconv_var var)
{
  citeconv_date d;
  size_t len;
  const char *s;
  char ybuf[128];
  int rc;
  memset(&d, 0, sizeof(d));
  d.pos = year ? year->pos : month->pos;
  if (year) {
    s = date_text(st, year, &len);
    if (len >= sizeof(ybuf))
      len = sizeof(ybuf) - 1;
    memcpy(ybuf, s, len);
    ybuf[len] = '\0';
    if (citeconv_bibtex_parse_date(ybuf, len, &d) && (!d.month || !month)) {
      if (d.year < 0)
        d.year--;
      if (d.end_year < 0)
        d.end_year--;
    } else {
      memset(&d, 0, sizeof(d));
      d.pos = year->pos;
      if (len == 0)
        return 0;
      d.literal = ybuf;
      if (has_digit(ybuf, len))
        DIAG(st, &year->pos, BAD_DATE,
             "year '%s' is not a number; kept as literal text", ybuf);
    }
  }
  if (month && !d.literal) {
    int m;
    s = latex(st, month, CITECONV_BIBTEX_NO_QUOTES, &len);
    m = citeconv_bibtex_parse_month(s, len);
    if (m == 0) {
      /* "jan~15", "15 March": a month and a day */
      size_t i = 0, j;
      while (i < len && !((s[i] >= 'A' && s[i] <= 'Z') ||
                          (s[i] >= 'a' && s[i] <= 'z')))
        i++;
      for (j = i; j < len && ((s[j] >= 'A' && s[j] <= 'Z') ||
                              (s[j] >= 'a' && s[j] <= 'z'));
           j++)
        ;
      m = j > i ? citeconv_bibtex_parse_month(s + i, j - i) : 0;
      if (m >= 1 && m <= 12 && !day) {
        int dd = 0;
        for (size_t k = 0; k < len; k++)
          if (s[k] >= '0' && s[k] <= '9' && dd < 100)
            dd = dd * 10 + (s[k] - '0');
        if (dd >= 1 && dd <= 31)
          d.day = dd;
      }
    }
    if (m >= 21) {
      d.season = m - 20;
    } else if (m > 0) {
      d.month = m;
    } else if (len > 0) {
      DIAG(st, &month->pos, BAD_DATE,
           "month '%s' is not a month; kept as extra field", s);
      rc = add_extra(st, rec, month, false);
      if (rc < 0)
        return rc;
    }
  }
  if (day && !d.literal && d.month) {
    s = latex(st, day, CITECONV_BIBTEX_NO_QUOTES, &len);
    if (len > 0 && len <= 2 && has_digit(s, len)) {
      d.day = atoi(s);
      if (d.day < 1 || d.day > 31)
        d.day = 0;
    }
    if (!d.day && len > 0) {
      rc = add_extra(st, rec, day, false);
      if (rc < 0)
        return rc;
    }
  } else if (day) {
    rc = add_extra(st, rec, day, false);
    if (rc < 0)
      return rc;
  }
  if (!d.year && !d.end_year && !d.month && !d.season && !d.literal)
    return 0;
  return citeconv_record_set_date(rec, var, &d);
}

static bool is_article(citeconv_type t)
{
  return t == CITECONV_TYPE_ARTICLE_JOURNAL || t == CITECONV_TYPE_ARTICLE ||
         t == CITECONV_TYPE_ARTICLE_MAGAZINE ||
         t == CITECONV_TYPE_ARTICLE_NEWSPAPER ||
         t == CITECONV_TYPE_PERIODICAL;
}

static bool is_part(citeconv_type t)
{
  return t == CITECONV_TYPE_CHAPTER || t == CITECONV_TYPE_PAPER_CONFERENCE ||
         t == CITECONV_TYPE_ENTRY_ENCYCLOPEDIA ||
         t == CITECONV_TYPE_ENTRY_DICTIONARY || t == CITECONV_TYPE_ENTRY;
}

static bool lower_eq(const char *a, size_t n, const char *b)
{
  size_t k = 0;
  for (; k < n && b[k]; k++) {
    char c = a[k];
    if (c >= 'A' && c <= 'Z')
      c += 32;
    if (c != b[k])
      return false;
  }
  return k == n && b[k] == '\0';
}

/* Map one entry (and its crossref parent, or NULL) to a new record. */
static int map_entry(bib_reader *st, entry *e, entry *const *parents,
                     size_t nparents, citeconv_record **out)
{
  citeconv_record *rec = NULL;
  view *v = NULL;
  size_t nv = 0, len;
  const char *type = STR(e, e->type), *key = STR(e, e->key);
  citeconv_type t;
  bool known;
  int rc;
  const view *x, *year = NULL, *month = NULL, *day = NULL;
  bool have_date = false;
  /* publisher-like fields in the order the type prefers */
  static const char *const pub_default[] = {"publisher", "organization",
                                            "institution", "school", NULL};
  static const char *const pub_thesis[] = {"school", "institution",
                                           "publisher", "organization", NULL};
  static const char *const pub_report[] = {"institution", "publisher",
                                           "organization", "school", NULL};
  const char *const *pubs;
  const char *publisher_field = NULL, *place_field = NULL,
             *container_field = NULL;

  *out = NULL;
  rc = citeconv_record_new(&rec);
  if (rc < 0)
    return rc;
  {
    size_t total = e->nf + 1;
    for (size_t k = 0; k < nparents; k++)
      total += parents[k]->nf;
    if (total > st->capviews) {
      view *nvw = realloc(st->views, total * sizeof(*nvw));
      if (!nvw) {
        rc = CITECONV_ENOMEM;
        goto done;
      }
      st->views = nvw;
      st->capviews = total;
    }
    v = st->views;
  }
  for (size_t i = 0; i < e->nf; i++) {
    v[nv].name = STR(e, e->f[i].name);
    v[nv].nlen = e->f[i].nlen;
    v[nv].value = STR(e, e->f[i].value);
    v[nv].len = e->f[i].vlen;
    v[nv].pos = e->f[i].pos;
    nv++;
  }
  /* A type BibTeX has no name for, kept in a field by our writer. */
  if ((x = vfind(v, nv, "entrytype")) != NULL && x->len > 0 &&
      x->len < 64 && !memchr(x->value, '{', x->len)) {
    size_t k = 0;
    for (; k < x->len; k++)
      st->typebuf[k] = (char)((x->value[k] >= 'A' && x->value[k] <= 'Z')
                                  ? x->value[k] + 32
                                  : x->value[k]);
    st->typebuf[k] = '\0';
    type = st->typebuf;
  }
  t = citeconv_bibtex_type_find(type, &known);
  for (size_t k = 0; k < nparents; k++) {
    const entry *parent = parents[k];
    bool child_part = is_part(t);
    for (size_t i = 0; i < parent->nf; i++) {
      const char *pn = STR(parent, parent->f[i].name);
      const char *as = pn;
      /* BibLaTeX: a part's container title is its parent's title;
       * BibTeX: the parent's own booktitle, when it has one. */
      bool has_bt = entry_field(parent, "booktitle") != NULL;
      if (child_part && strcmp(pn, "title") == 0)
        as = has_bt ? "" : "booktitle";
      else if (child_part && strcmp(pn, "subtitle") == 0)
        as = has_bt ? "" : "booksubtitle";
      if (!*as)
        continue;
      if (not_inherited(pn) || vfind(v, nv, as))
        continue;
      v[nv].name = as;
      v[nv].nlen = strlen(as);
      v[nv].value = STR(parent, parent->f[i].value);
      v[nv].len = parent->f[i].vlen;
      v[nv].pos = parent->f[i].pos;
      nv++;
    }
  }

  citeconv_record_set_origin(rec, st->base.file, e->pos);
  /* type */
  if (!known) {
    DIAG(st, &e->pos, UNKNOWN_TYPE,
         "unknown entry type '@%s' in entry '%s'; read as a document", type,
         key);
  }
  if ((x = vfind(v, nv, "entrysubtype")) != NULL && is_article(t)) {
    if (lower_eq(x->value, x->len, "magazine"))
      t = CITECONV_TYPE_ARTICLE_MAGAZINE;
    else if (lower_eq(x->value, x->len, "newspaper"))
      t = CITECONV_TYPE_ARTICLE_NEWSPAPER;
  }
  citeconv_record_set_type(rec, t);
  if (*key)
    citeconv_record_set_text(rec, CITECONV_VAR_ID, key, strlen(key), e->pos);

  /* title: title + ": " + subtitle + ". " + titleaddon */
  if ((x = vfind(v, nv, "title")) != NULL) {
    const view *sub = vfind(v, nv, "subtitle");
    const view *add = vfind(v, nv, "titleaddon");
    citeconv_buf *b = &st->conv2;
    latex(st, x, CITECONV_BIBTEX_TITLE, &len);
    citeconv_buf_clear(b);
    citeconv_buf_add(b, st->conv.data ? st->conv.data : "", len);
    if (sub) {
      latex(st, sub, CITECONV_BIBTEX_TITLE, &len);
      if (len) {
        citeconv_buf_adds(b, ": ");
        citeconv_buf_add(b, st->conv.data, len);
      }
    }
    if (add) {
      latex(st, add, CITECONV_BIBTEX_TITLE, &len);
      if (len) {
        citeconv_buf_adds(b, ". ");
        citeconv_buf_add(b, st->conv.data, len);
      }
    }
    if (b->len)
      citeconv_record_set_text(rec, CITECONV_VAR_TITLE, b->data, b->len,
                               x->pos);
  }
  /* container: booktitle for parts, journal otherwise */
  {
    static const char *const part_order[] = {"booktitle", "journaltitle",
                                             "journal", NULL};
    static const char *const other_order[] = {"journaltitle", "journal",
                                              "booktitle", NULL};
    static const char *const whole_order[] = {"journaltitle", "journal",
                                              NULL};
    /* A book, report or thesis is no part of its booktitle (pandoc) */
    bool whole = t == CITECONV_TYPE_BOOK || t == CITECONV_TYPE_REPORT ||
                 t == CITECONV_TYPE_THESIS || t == CITECONV_TYPE_PAMPHLET;
    const char *const *order = is_part(t) ? part_order
                               : whole    ? whole_order
                                          : other_order;
    for (size_t i = 0; order[i]; i++)
      if ((x = vfind(v, nv, order[i])) != NULL) {
        container_field = order[i];
        set_latex(st, rec, CITECONV_VAR_CONTAINER_TITLE, x,
                  CITECONV_BIBTEX_TITLE);
        break;
      }
  }
  pubs = t == CITECONV_TYPE_THESIS   ? pub_thesis
         : t == CITECONV_TYPE_REPORT ? pub_report
                                     : pub_default;
  for (size_t i = 0; pubs[i]; i++)
    if ((x = vfind(v, nv, pubs[i])) != NULL) {
      publisher_field = pubs[i];
      set_latex(st, rec, CITECONV_VAR_PUBLISHER, x, 0);
      break;
    }
  if ((x = vfind(v, nv, "location")) != NULL ||
      (x = vfind(v, nv, "address")) != NULL) {
    place_field = x->name;
    set_latex(st, rec, CITECONV_VAR_PUBLISHER_PLACE, x, 0);
  }
  have_date = vfind(v, nv, "date") != NULL;

  for (size_t i = 0; i < nv; i++) {
    const view *f = &v[i];
    const citeconv_bibtex_field_map *m = field_map(st, f);
    rc = 0;
    if (!m) {
      if (named(f, "langid") &&
          !vfind(v, nv, "language")) {
        rc = set_latex(st, rec, CITECONV_VAR_LANGUAGE, f, 0);
      } else {
        bool verb = citeconv_bibtex_is_verbatim(f->name);
        if (named(f, "entrytype"))
          continue; /* the type, above */
        if (!named(f, "crossref") &&
            !named(f, "entrysubtype"))
          note_unknown_field(st, f);
        rc = add_extra(st, rec, f, verb);
      }
      if (rc < 0)
        goto done;
      continue;
    }
    switch (m->kind) {
    case CITECONV_BIBTEX_K_TITLE:
    case CITECONV_BIBTEX_K_TEXT:
      if (citeconv_record_text(rec, m->var)) {
        rc = add_extra(st, rec, f, false);
        break;
      }
      rc = set_latex(st, rec, m->var, f,
                     m->kind == CITECONV_BIBTEX_K_TITLE
                         ? CITECONV_BIBTEX_TITLE
                         : 0);
      break;
    case CITECONV_BIBTEX_K_VERBATIM: {
      size_t n = f->len;
      const char *s = as_utf8(st, f->value, &n, f->pos);
      citeconv_buf_clear(&st->conv);
      citeconv_bibtex_verbatim(&st->conv, s, n);
      if (st->conv.len)
        rc = citeconv_record_set_text(rec, m->var, st->conv.data,
                                      st->conv.len, f->pos);
      break;
    }
    case CITECONV_BIBTEX_K_NAMES:
      rc = add_names(st, rec, m->var, f);
      break;
    case CITECONV_BIBTEX_K_DATE:
      rc = set_date(st, rec, m->var, f);
      break;
    case CITECONV_BIBTEX_K_PAGES: {
      /* "12--34" is the range 12-34 */
      const char *s = latex(st, f, CITECONV_BIBTEX_NO_QUOTES, &len);
      citeconv_buf *b = &st->conv2;
      citeconv_buf_clear(b);
      for (size_t k = 0; k < len; k++) {
        if ((unsigned char)s[k] == 0xE2 && k + 2 < len &&
            (unsigned char)s[k + 1] == 0x80 &&
            ((unsigned char)s[k + 2] == 0x93 ||
             (unsigned char)s[k + 2] == 0x94)) {
          citeconv_buf_addc(b, '-');
          k += 2;
        } else {
          citeconv_buf_addc(b, s[k]);
        }
      }
      if (b->len)
        rc = citeconv_record_set_text(rec, m->var, b->data, b->len, f->pos);
      break;
    }
    case CITECONV_BIBTEX_K_KEYWORDS: {
      const char *s = latex(st, f, CITECONV_BIBTEX_NO_QUOTES, &len);
      size_t a = 0;
      char sep = memchr(s, ';', len) ? ';' : ',';
      while (a < len && rc == 0) {
        size_t b = a;
        while (b < len && s[b] != sep)
          b++;
        {
          size_t x0 = a, x1 = b;
          while (x0 < x1 && s[x0] == ' ')
            x0++;
          while (x1 > x0 && s[x1 - 1] == ' ')
            x1--;
          if (x1 > x0)
            rc = citeconv_record_add_text(rec, CITECONV_VAR_KEYWORD, s + x0,
                                          x1 - x0, f->pos);
        }
        a = b + 1;
      }
      break;
    }
    case CITECONV_BIBTEX_K_SPECIAL:
      if (named(f, "title") || named(f, "subtitle") ||
          named(f, "titleaddon")) {
        if (!vfind(v, nv, "title"))
          rc = add_extra(st, rec, f, false);
      } else if (named(f, "journal") ||
                 named(f, "journaltitle") ||
                 named(f, "booktitle")) {
        if (!container_field || strcmp(container_field, f->name) != 0)
          rc = add_extra(st, rec, f, false);
      } else if (named(f, "publisher") ||
                 named(f, "school") ||
                 named(f, "institution") ||
                 named(f, "organization")) {
        if (!publisher_field || strcmp(publisher_field, f->name) != 0)
          rc = add_extra(st, rec, f, false);
      } else if (named(f, "address") ||
                 named(f, "location")) {
        if (!place_field || strcmp(place_field, f->name) != 0)
          rc = add_extra(st, rec, f, false);
      } else if (named(f, "year")) {
        if (have_date)
          rc = add_extra(st, rec, f, false);
        else
          year = f;
      } else if (named(f, "month")) {
        if (have_date)
          rc = add_extra(st, rec, f, false);
        else
          month = f;
      } else if (named(f, "day")) {
        if (have_date)
          rc = add_extra(st, rec, f, false);
        else
          day = f;
      } else if (named(f, "number")) {
        citeconv_var var = CITECONV_VAR_NUMBER;
        if (is_article(t) && !vfind(v, nv, "issue"))
          var = CITECONV_VAR_ISSUE;
        else if ((t == CITECONV_TYPE_BOOK || is_part(t)) &&
                 vfind(v, nv, "series"))
          var = CITECONV_VAR_COLLECTION_NUMBER;
        rc = set_latex(st, rec, var, f, 0);
      } else if (named(f, "eprint")) {
        const view *et = vfind(v, nv, "eprinttype");
        citeconv_var var = CITECONV_VAR_NONE;
        if (!et)
          et = vfind(v, nv, "archiveprefix");
        if (et && (lower_eq(et->value, et->len, "pubmed") ||
                   lower_eq(et->value, et->len, "pmid")))
          var = CITECONV_VAR_PMID;
        else if (et && (lower_eq(et->value, et->len, "pmc") ||
                        lower_eq(et->value, et->len, "pmcid")))
          var = CITECONV_VAR_PMCID;
        if (var != CITECONV_VAR_NONE && !vfind(v, nv, var == CITECONV_VAR_PMID
                                                          ? "pmid"
                                                          : "pmcid"))
          rc = set_latex(st, rec, var, f, CITECONV_BIBTEX_NO_QUOTES);
        rc = rc < 0 ? rc : add_extra(st, rec, f, true);
      } else if (named(f, "howpublished")) {
        const char *s = latex(st, f, CITECONV_BIBTEX_NO_QUOTES, &len);
        if ((len > 7 && (strncmp(s, "http://", 7) == 0 ||
                         strncmp(s, "https://", 8) == 0)) &&
            !vfind(v, nv, "url") && !memchr(s, ' ', len))
          rc = citeconv_record_set_text(rec, CITECONV_VAR_URL, s, len,
                                        f->pos);
        else
          rc = add_extra(st, rec, f, false);
      }
      break;
    }
    if (rc < 0)
      goto done;
  }
  if (year || month)
    rc = set_year(st, rec, year, month, day, CITECONV_VAR_ISSUED);
  else if (day && !have_date)
    rc = add_extra(st, rec, day, false);
  if (rc < 0)
    goto done;
  /* Thesis kind from the entry type, when no type field says it. */
  if (t == CITECONV_TYPE_THESIS &&
      !citeconv_record_text(rec, CITECONV_VAR_GENRE)) {
    if (strcmp(type, "phdthesis") == 0)
      citeconv_record_set_text(rec, CITECONV_VAR_GENRE, "PhD thesis", 10,
                               e->pos);
    else if (strcmp(type, "mastersthesis") == 0)
      citeconv_record_set_text(rec, CITECONV_VAR_GENRE, "Master's thesis", 15,
                               e->pos);
  }
  /* Keep the entry type when the writers would not give it back. */
  {
    const char *genre = citeconv_record_text(rec, CITECONV_VAR_GENRE);
    bool cont = citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE);
    if (strcmp(type, citeconv_bibtex_type_for(t, false, genre, cont)) != 0 &&
        strcmp(type, citeconv_bibtex_type_for(t, true, genre, cont)) != 0)
      citeconv_record_add_extra(rec, "bibtex:entrytype", type, strlen(type),
                                e->pos);
  }
  if (e->nf == 0)
    DIAG(st, &e->pos, EMPTY_RECORD, "entry '%s' has no fields", key);
  *out = rec;
  rec = NULL;
  rc = 0;
done:
  citeconv_record_free(rec);
  return rc;
}

/* ---- the queue and the crossref cache ----------------------------------- */

static entry *cache_find(bib_reader *st, const char *key)
{
  size_t n = strlen(key);
  for (size_t i = 0; i < CACHE_MAX; i++) {
    entry *c = st->cache[i];
    if (c && strlen(STR(c, c->key)) == n && lower_eq(key, n, "") == false) {
      const char *k = STR(c, c->key);
      size_t j = 0;
      for (; j < n; j++) {
        char a = key[j], b = k[j];
        if (a >= 'A' && a <= 'Z')
          a += 32;
        if (b >= 'A' && b <= 'Z')
          b += 32;
        if (a != b)
          break;
      }
      if (j == n)
        return c;
    }
  }
  return NULL;
}

static void cache_add(bib_reader *st, entry *e)
{
  size_t i = st->cache_next;
  /* Only what a child can inherit from is kept: entries with a key. */
  if (!STR(e, e->key)[0])
    return;
  while (st->cache[i] && st->cache_bytes + e->text.cap > CACHE_BYTES) {
    st->cache_bytes -= st->cache[i]->text.cap;
    entry_done(st, st->cache[i]);
    st->cache[i] = NULL;
    i = (i + 1) % CACHE_MAX;
  }
  i = st->cache_next;
  if (st->cache[i]) {
    st->cache_bytes -= st->cache[i]->text.cap;
    entry_done(st, st->cache[i]);
  }
  st->cache[i] = e;
  e->refs++;
  st->cache_bytes += e->text.cap;
  st->cache_next = (i + 1) % CACHE_MAX;
}

static int bibtex_next(citeconv_record **out, citeconv_reader *r)
{
  bib_reader *st = (bib_reader *)r;
  *out = NULL;
  for (;;) {
    entry *head = st->qhead;
    if (head) {
      const bfield *cr = entry_field(head, "crossref");
      entry *parent = NULL;
      entry *chain[CHAIN_MAX];
      size_t nchain = 0;
      const bfield *xd = entry_field(head, "xdata");
      bool ready = true;
      if (cr) {
        const char *pk = STR(head, cr->value);
        parent = cache_find(st, pk);
        if (!parent && !st->eof && st->qlen <= QUEUE_MAX)
          ready = false;
        if (ready && !parent)
          DIAG(st, &cr->pos, BIBTEX_CROSSREF,
               "crossref '%s' of entry '%s' not found %s; nothing inherited",
               pk, STR(head, head->key),
               st->eof ? "in the input" : "within the next entries");
        /* Parents of parents (BibLaTeX), up to max-crossref-depth
         * levels, no cycles. */
        while (parent && parent != head) {
          const bfield *up;
          bool seen = false;
          for (size_t k = 0; k < nchain; k++)
            seen |= chain[k] == parent;
          if (seen)
            break;
          if (nchain >= st->max_chain) {
            if (ready)
              DIAG(st, &cr->pos, LIMIT,
                   "the crossref chain of entry '%s' is longer than "
                   "max-crossref-depth (%zu); '%s' and the entries above it "
                   "lend nothing", STR(head, head->key), st->max_chain,
                   STR(parent, parent->key));
            parent = NULL;
            break;
          }
          chain[nchain++] = parent;
          up = entry_field(parent, "crossref");
          parent = up ? cache_find(st, STR(parent, up->value)) : NULL;
        }
        if (ready && parent) {
          /* The chain came back to an entry already in it. */
          bool cycle = parent == head;
          for (size_t k = 0; k < nchain; k++)
            cycle |= chain[k] == parent;
          if (cycle)
            DIAG(st, &cr->pos, BIBTEX_CROSSREF,
                 "the crossref chain of entry '%s' comes back to '%s' (a "
                 "cycle); fields are inherited up to there only",
                 STR(head, head->key), STR(parent, parent->key));
        }
      }
      if (xd && ready) {
        /* BibLaTeX @xdata: "xdata = {a, b}" also lends fields, when
         * those entries were read already */
        const char *p = STR(head, xd->value);
        while (*p) {
          char k[256];
          size_t n = 0;
          entry *x;
          while (*p == ' ' || *p == ',')
            p++;
          while (*p && *p != ',' && n < sizeof(k) - 1)
            k[n++] = *p++;
          while (n > 0 && k[n - 1] == ' ')
            n--;
          k[n] = '\0';
          if (n && (x = cache_find(st, k)) != NULL && x != head) {
            if (nchain >= st->max_chain) {
              DIAG(st, &xd->pos, LIMIT,
                   "entry '%s' draws on more than max-crossref-depth (%zu) "
                   "entries; '%s' and the rest lend nothing",
                   STR(head, head->key), st->max_chain, k);
              break;
            }
            chain[nchain++] = x;
          }
          else if (n && !x && !st->eof && st->qlen <= QUEUE_MAX)
            ready = false; /* it may come later */
        }
      }
      if (ready) {
        int rc;
        st->qhead = head->next;
        if (!st->qhead)
          st->qtail = NULL;
        st->qlen--;
        rc = map_entry(st, head, chain, nchain, out);
        entry_done(st, head);
        if (rc < 0)
          return rc;
        r->nrecords++;
        return 0;
      }
    } else if (st->eof) {
      return CITECONV_END;
    }
    {
      entry *e;
      int rc = read_entry(st, &e);
      if (rc < 0)
        return rc;
      if (!e)
        continue; /* eof now set */
      cache_add(st, e);
      e->next = NULL;
      if (st->qtail)
        st->qtail->next = e;
      else
        st->qhead = e;
      st->qtail = e;
      st->qlen++;
    }
  }
}

static size_t opt(citeconv_session *s, const char *name, size_t def)
{
  size_t v = citeconv_session_option_size(s, name);
  return v ? v : def;
}

static int bibtex_open(citeconv_reader **out, citeconv_session *s,
                       citeconv_input *in, const citeconv_format *f)
{
  static const char *const months[] = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  static const char *const abbr[] = {"jan", "feb", "mar", "apr",
                                     "may", "jun", "jul", "aug",
                                     "sep", "oct", "nov", "dec"};
  bib_reader *st = calloc(1, sizeof(*st));
  size_t n;
  *out = NULL;
  if (!st)
    return CITECONV_ENOMEM;
  citeconv_reader_init(&st->base, f, s, in);
  st->la = -2;
  st->line = 1;
  st->col = 1;
  st->max_depth = opt(s, "max-depth", 1000);
  st->max_field = opt(s, "max-field-bytes", 1u << 26);
  st->max_names = opt(s, "max-names", 100000);
  st->max_chain = opt(s, "max-crossref-depth", 8);
  if (st->max_chain > CHAIN_MAX)
    st->max_chain = CHAIN_MAX;
  st->max_record = opt(s, "max-record-bytes", 1u << 28);
  if (st->max_record < st->max_field)
    st->max_record = st->max_field + 4096;
  /* BibTeX's predefined month macros: "jan" is "January". */
  for (int i = 0; i < 12; i++) {
    char cap[16];
    strcpy(cap, months[i]);
    cap[0] = (char)(cap[0] - 32);
    if (macro_set(&st->macros, abbr[i], 3, cap, strlen(cap)) < 0) {
      macro_free(&st->macros);
      free(st);
      return CITECONV_ENOMEM;
    }
  }
  n = citeconv_input_fill(in, 4);
  if (n >= 2) {
    const unsigned char *d = citeconv_input_data(in);
    if (d[0] == 0xFE && d[1] == 0xFF) {
      st->enc = ENC_UTF16BE;
      citeconv_input_consume(in, 2);
    } else if (d[0] == 0xFF && d[1] == 0xFE) {
      st->enc = ENC_UTF16LE;
      citeconv_input_consume(in, 2);
    } else {
      citeconv_input_skip_utf8_bom(in);
    }
  }
  *out = &st->base;
  return 0;
}

static int bibtex_open_bibtex(citeconv_reader **out, citeconv_session *s,
                              citeconv_input *in)
{
  return bibtex_open(out, s, in, &citeconv_format_bibtex);
}

static int bibtex_open_biblatex(citeconv_reader **out, citeconv_session *s,
                                citeconv_input *in)
{
  return bibtex_open(out, s, in, &citeconv_format_biblatex);
}

static void bibtex_close(citeconv_reader *r)
{
  bib_reader *st = (bib_reader *)r;
  entry *e;
  if (!st)
    return;
  while ((e = st->qhead) != NULL) {
    st->qhead = e->next;
    entry_unref(e);
  }
  for (size_t i = 0; i < CACHE_MAX; i++)
    entry_unref(st->cache[i]);
  for (size_t i = 0; i < st->nseen; i++)
    free(st->seen_names[i]);
  entry_unref(st->spare);
  macro_free(&st->macros);
  free(st->keys);
  free(st->views);
  citeconv_buf_free(&st->tmp);
  citeconv_buf_free(&st->conv);
  citeconv_buf_free(&st->conv2);
  free(st);
}

static int bibtex_detect_common(const unsigned char *h, size_t n,
                                bool biblatex);

/* Content that starts (after white space, '%' comment lines, a BOM and
 * free text) with "@word{" or "@word(". */
static int bibtex_detect_common(const unsigned char *h, size_t n,
                                bool biblatex)
{
  size_t i = 0, j;
  int score = 0;
  if (n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF)
    i = 3;
  if (n >= 2 && ((h[0] == 0xFE && h[1] == 0xFF) ||
                 (h[0] == 0xFF && h[1] == 0xFE))) {
    /* UTF-16 (the reader decodes it): look at its ASCII characters */
    unsigned char a[512];
    size_t k = 0, lo = h[0] == 0xFF ? 0 : 1;
    for (size_t p = 2; p + 1 < n && k < sizeof(a); p += 2)
      a[k++] = h[p + 1 - lo] == 0 ? h[p + lo] : (unsigned char)'?';
    return k ? bibtex_detect_common(a, k, biblatex) : 0;
  }
  for (;;) {
    while (i < n && citeconv_is_space(h[i]))
      i++;
    if (i < n && h[i] == '%') {
      while (i < n && h[i] != '\n' && h[i] != '\r')
        i++;
      continue;
    }
    break;
  }
  if (i < n && h[i] != '@') {
    /* free text before the first entry: look a little further */
    const unsigned char *at = memchr(h + i, '@', n - i);
    if (!at)
      return 0;
    i = (size_t)(at - h);
    score = -30;
  }
  if (i >= n)
    return 0;
  j = ++i;
  while (j < n && ((h[j] >= 'a' && h[j] <= 'z') || (h[j] >= 'A' && h[j] <= 'Z')))
    j++;
  if (j == i)
    return 0;
  while (j < n && citeconv_is_space(h[j]))
    j++;
  if (j >= n || (h[j] != '{' && h[j] != '('))
    return 0;
  score += 90;
  /* BibLaTeX-only markers tip the balance between the two names. */
  {
    bool blx = false;
    static const char *const marks[] = {"journaltitle", "date =", "date=",
                                        "@online", "location",
                                        "urldate", NULL};
    for (size_t k = 0; marks[k] && !blx; k++) {
      size_t ml = strlen(marks[k]);
      for (size_t p = 0; p + ml <= n; p++)
        if (memcmp(h + p, marks[k], ml) == 0) {
          blx = true;
          break;
        }
    }
    if (blx == biblatex)
      score += 5;
  }
  return score > 100 ? 100 : score;
}

static int bibtex_detect(const unsigned char *h, size_t n)
{
  return bibtex_detect_common(h, n, false);
}

static int biblatex_detect(const unsigned char *h, size_t n)
{
  return bibtex_detect_common(h, n, true);
}

const citeconv_format citeconv_format_bibtex = {
    .name = "bibtex",
    .summary = "BibTeX database (.bib); written as ASCII with LaTeX escapes",
    .detect = bibtex_detect,
    .open = bibtex_open_bibtex,
    .next = bibtex_next,
    .close = bibtex_close,
    .begin = citeconv_bibtex_writer_begin,
    .record = citeconv_bibtex_writer_record,
    .end = citeconv_bibtex_writer_end,
    .free = citeconv_bibtex_writer_free,
};

const citeconv_format citeconv_format_biblatex = {
    .name = "biblatex",
    .summary = "BibLaTeX database (.bib); written as UTF-8 with BibLaTeX "
               "types and fields",
    .detect = biblatex_detect,
    .open = bibtex_open_biblatex,
    .next = bibtex_next,
    .close = bibtex_close,
    .begin = citeconv_biblatex_writer_begin,
    .record = citeconv_bibtex_writer_record,
    .end = citeconv_bibtex_writer_end,
    .free = citeconv_bibtex_writer_free,
};
