/* BibTeX name lists: splitting at "and", and one name into First, von,
 * Last and Jr by BibTeX's rules (case of the first letter at brace depth
 * 0; brace groups starting with a command are special characters). */
#include <string.h>

#include "bibtex.h"
#include "vec.h"

#define MAX_TOKENS 256

/* The bytes that names and name lists treat specially, by class: white
 * space ('~' is a tie, a space too), the comma between parts, braces and
 * the backslash that escapes the byte after it. */
enum {
  NB_SPACE = 1,
  NB_COMMA = 2,
  NB_OPEN = 4,
  NB_CLOSE = 8,
  NB_ESCAPE = 16
};

static const unsigned char name_byte[256] = {
    [' '] = NB_SPACE,  ['\t'] = NB_SPACE, ['\n'] = NB_SPACE,
    ['\r'] = NB_SPACE, ['~'] = NB_SPACE,  [','] = NB_COMMA,
    ['{'] = NB_OPEN,   ['}'] = NB_CLOSE,  ['\\'] = NB_ESCAPE};

static bool is_space(int c)
{
  return name_byte[(unsigned char)c] & NB_SPACE;
}

static bool is_lower(int c)
{
  return c >= 'a' && c <= 'z';
}

static bool is_upper(int c)
{
  return c >= 'A' && c <= 'Z';
}

/* Case of a UTF-8 letter we know without ICU: Latin-1 and Latin
 * Extended-A. Returns 'l', 'u' or 0. */
static int utf8_case(const unsigned char *s, size_t n)
{
  unsigned cp;
  if (n < 2 || (s[0] & 0xE0) != 0xC0)
    return 0;
  cp = ((unsigned)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
    return 'u';
  if (cp >= 0xDF && cp <= 0xFF && cp != 0xF7)
    return 'l';
  if (cp >= 0x100 && cp <= 0x17F)
    return (cp & 1) ? 'l' : 'u';
  return 0;
}

/* BibTeX's case of a token: 'l' (a von word), 'u', or 0 (caseless). */
static int token_case(const char *s, size_t n)
{
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (is_lower(c))
      return 'l';
    if (is_upper(c))
      return 'u';
    if (c >= 0x80) {
      int k = utf8_case((const unsigned char *)s + i, n - i);
      if (k)
        return k;
      i++;
      continue;
    }
    if (c == '{') {
      size_t depth = 0;
      if (i + 1 < n && s[i + 1] == '\\') {
        /* a special character: the case of the first letter after the
         * command name ({\"o}: 'o'), or of the command ({\ss}: lower) */
        size_t j = i + 2, start = j;
        while (j < n && ((s[j] >= 'a' && s[j] <= 'z') ||
                         (s[j] >= 'A' && s[j] <= 'Z')))
          j++;
        if (j > start && j - start <= 2 && j < n && (s[j] == '}' ||
                                                    s[j] == ' ')) {
          /* \ss, \o, \AE, \l ...: the command's own case, unless it is
           * an accent followed by a space and a letter */
          if (s[j] == ' ') {
            while (j < n && s[j] == ' ')
              j++;
            if (j < n && (is_lower((unsigned char)s[j]) ||
                          is_upper((unsigned char)s[j])))
              return is_lower((unsigned char)s[j]) ? 'l' : 'u';
          }
          return is_lower((unsigned char)s[start]) ? 'l' : 'u';
        }
        for (; j < n && s[j] != '}'; j++) {
          if (is_lower((unsigned char)s[j]))
            return 'l';
          if (is_upper((unsigned char)s[j]))
            return 'u';
        }
        return 0;
      }
      /* another brace group: skipped, caseless */
      for (; i < n; i++) {
        if (s[i] == '{')
          depth++;
        else if (s[i] == '}' && --depth == 0)
          break;
      }
      i++;
      continue;
    }
    if (c == '\\') {
      /* an unbraced command (\"Oscar, \'{E}ric): look past its name;
       * a braced argument right after it holds the letter */
      i++;
      if (i < n && !(is_lower((unsigned char)s[i]) ||
                     is_upper((unsigned char)s[i])))
        i++;
      if (i < n && s[i] == '{') {
        size_t j = i + 1;
        while (j < n && s[j] != '}' && !is_lower((unsigned char)s[j]) &&
               !is_upper((unsigned char)s[j]))
          j++;
        if (j < n && s[j] != '}')
          return is_lower((unsigned char)s[j]) ? 'l' : 'u';
      }
      continue;
    }
    i++;
  }
  return 0;
}

/* For a byte of class k: a brace moves the depth (a '}' at depth 0
 * closes nothing); true when it was a brace. */
static inline bool brace_step(unsigned k, size_t *depth)
{
  if (k & NB_OPEN) {
    (*depth)++;
    return true;
  }
  if (k & NB_CLOSE) {
    if (*depth > 0)
      (*depth)--;
    return true;
  }
  return false;
}

/* Whether " and " (any case, any white space around it) starts at s[i],
 * i + 4 < n. */
static inline bool is_and(const unsigned char *s, size_t i, size_t n)
{
  return i + 4 < n && (s[i + 1] | 0x20) == 'a' && (s[i + 2] | 0x20) == 'n' &&
         (s[i + 3] | 0x20) == 'd' && (name_byte[s[i]] & NB_SPACE) &&
         (name_byte[s[i + 4]] & NB_SPACE);
}

/* The bytes of the vector at p that the search for " and " stops at:
 * braces, and white space followed by 'a' or 'A' (the bytes \v and \f
 * come along; is_and turns them away). Reads one byte past the vector. */
static inline unsigned list_stops(const unsigned char *p)
{
  citeconv_vec x = citeconv_vec_load(p), y = citeconv_vec_load(p + 1);
  unsigned brace = citeconv_vec_mask(
      citeconv_vec_or(citeconv_vec_eq(x, '{'), citeconv_vec_eq(x, '}')));
  unsigned space = citeconv_vec_mask(citeconv_vec_or(
      citeconv_vec_or(citeconv_vec_in(x, '\t', '\r'), citeconv_vec_eq(x, ' ')),
      citeconv_vec_eq(x, '~')));
  unsigned a = citeconv_vec_mask(
      citeconv_vec_or(citeconv_vec_eq(y, 'a'), citeconv_vec_eq(y, 'A')));
  return brace | (space & a);
}

bool citeconv_bibtex_next_name(const char *s, size_t n, size_t *pos,
                               citeconv_bibtex_span *name)
{
  const unsigned char *u = (const unsigned char *)s;
  size_t i = *pos, start, end, depth = 0, at = n;
  while (i < n && (name_byte[u[i]] & NB_SPACE))
    i++;
  if (i >= n) {
    *pos = n;
    return false;
  }
  start = i;
  if (n >= CITECONV_VEC + 1) {
    /* Only a byte before n - 4 can start " and " or change the depth
     * before one, so the vectors may stop short of the end: the last one
     * is loaded at n - VEC - 1, with the bytes already seen masked off. */
    while (at == n && i + 4 < n) {
      size_t base = i;
      unsigned m;
      if (n - i >= CITECONV_VEC + 1) {
        m = list_stops(u + i);
        i += CITECONV_VEC;
      } else {
        base = n - CITECONV_VEC - 1;
        m = list_stops(u + base) & (~0u << (i - base));
        i = n;
      }
      for (; m; m &= m - 1) {
        size_t j = base + citeconv_mask_first(m);
        if (!brace_step(name_byte[u[j]], &depth) && depth == 0 &&
            is_and(u, j, n)) {
          at = j;
          break;
        }
      }
    }
  } else {
    /* A list shorter than a vector and a byte: a byte at a time, to the
     * same bound. */
    for (; i + 4 < n; i++) {
      unsigned k = name_byte[u[i]];
      if (k == 0 || brace_step(k, &depth))
        continue;
      if (depth == 0 && is_and(u, i, n)) {
        at = i;
        break;
      }
    }
  }
  /* Without " and ", the name runs to the end ("A and" at the very end
   * leaves a trailing "and"). */
  end = at;
  while (end > start && (name_byte[u[end - 1]] & NB_SPACE))
    end--;
  name->off = start;
  name->len = end - start;
  *pos = at < n ? at + 4 : n;
  return true;
}

typedef struct {
  size_t off, len;
  bool comma_after;
} token;

/* The case of a token, asked for only by the search for von words. That
 * search never looks at the last token, the only one that the rest of an
 * overlong name joins, so a token's case is that of its own text. */
static int case_of(const char *s, const token *t)
{
  return token_case(s + t->off, t->len);
}

static citeconv_bibtex_span span_of(const token *t, size_t from, size_t to)
{
  citeconv_bibtex_span sp = {0, 0};
  if (from >= to)
    return sp;
  sp.off = t[from].off;
  sp.len = t[to - 1].off + t[to - 1].len - t[from].off;
  return sp;
}

void citeconv_bibtex_split_name(const char *s, size_t n,
                                citeconv_bibtex_name_parts *out)
{
  const unsigned char *u = (const unsigned char *)s;
  token tok[MAX_TOKENS];
  size_t nt = 0, i = 0, depth = 0;
  size_t comma[3], ncomma = 0;

  memset(out, 0, sizeof(*out));
  while (n > 0 && (name_byte[u[n - 1]] & (NB_SPACE | NB_COMMA)))
    n--;
  while (i < n && (name_byte[u[i]] & (NB_SPACE | NB_COMMA)))
    i++;
  if (i >= n)
    return;
  /* One brace group around everything: an organisation. */
  if (s[i] == '{') {
    size_t j = i;
    for (; j < n; j++) {
      if (s[j] == '{')
        depth++;
      else if (s[j] == '}' && --depth == 0)
        break;
    }
    if (j == n - 1) {
      out->literal = true;
      out->last.off = i + 1;
      out->last.len = j - i - 1;
      return;
    }
    depth = 0;
  }
  if (n - i == 6 && memcmp(s + i, "others", 6) == 0) {
    out->others = true;
    return;
  }
  /* Tokens: split at white space and commas at brace depth 0. */
  while (i < n) {
    size_t start;
    unsigned k = name_byte[u[i]];
    if (k & NB_SPACE) {
      i++;
      continue;
    }
    if (k & NB_COMMA) {
      if (nt > 0 && !tok[nt - 1].comma_after) {
        tok[nt - 1].comma_after = true;
        if (ncomma < 3)
          comma[ncomma] = nt;
        ncomma++;
      }
      i++;
      continue;
    }
    start = i;
    depth = 0;
    for (; i < n; i++) {
      while (i < n && name_byte[u[i]] == 0)
        i++; /* the letters of the word */
      if (i == n)
        break;
      k = name_byte[u[i]];
      if (brace_step(k, &depth))
        continue;
      if (depth == 0 && (k & (NB_SPACE | NB_COMMA)))
        break;
      if ((k & NB_ESCAPE) && i + 1 < n)
        i++; /* the escaped byte is part of the word */
    }
    if (nt < MAX_TOKENS) {
      tok[nt].off = start;
      tok[nt].len = i - start;
      tok[nt].comma_after = false;
      nt++;
    } else {
      /* too many words: the rest joins the last token */
      tok[nt - 1].len = i - tok[nt - 1].off;
    }
  }
  if (nt == 0)
    return;
  if (ncomma > 0 && comma[0] == nt) {
    /* "Smith," with nothing after: no comma really */
    ncomma = 0;
  }
  if (ncomma == 0) {
    size_t vs = nt, ve, k;
    /* First von Last: von starts at the first lower-case word before
     * the last word, and ends after the last lower-case one. */
    for (k = 0; k + 1 < nt; k++)
      if (case_of(s, &tok[k]) == 'l') {
        vs = k;
        break;
      }
    if (vs == nt) {
      /* no von: Last is the last word (or the words joined by '-' are
       * one token already) */
      out->first = span_of(tok, 0, nt - 1);
      out->last = span_of(tok, nt - 1, nt);
      return;
    }
    ve = vs + 1;
    for (k = nt - 1; k > vs; k--)
      if (case_of(s, &tok[k - 1]) == 'l') {
        ve = k;
        break;
      }
    if (ve >= nt)
      ve = nt - 1;
    out->first = span_of(tok, 0, vs);
    out->von = span_of(tok, vs, ve);
    out->last = span_of(tok, ve, nt);
    return;
  }
  {
    /* von Last, [Jr,] First */
    size_t c1 = comma[0], k, ve = 0;
    size_t c2 = ncomma >= 2 ? comma[1] : nt;
    for (k = c1 - 1; k > 0; k--)
      if (case_of(s, &tok[k - 1]) == 'l') {
        ve = k;
        break;
      }
    out->von = span_of(tok, 0, ve);
    out->last = span_of(tok, ve, c1);
    if (ncomma >= 2) {
      out->jr = span_of(tok, c1, c2);
      out->first = span_of(tok, c2, nt);
    } else {
      out->first = span_of(tok, c1, nt);
    }
    out->extra_commas = ncomma > 2 ? ncomma - 2 : 0;
  }
}

/* A trimmed span, outer braces kept. */
static citeconv_bibtex_span trim(const char *s, size_t a, size_t b)
{
  citeconv_bibtex_span sp;
  while (a < b && is_space((unsigned char)s[a]))
    a++;
  while (b > a && is_space((unsigned char)s[b - 1]))
    b--;
  sp.off = a;
  sp.len = b - a;
  return sp;
}

bool citeconv_bibtex_split_extended(const char *s, size_t n,
                                    citeconv_bibtex_name_parts *out)
{
  size_t i = 0, depth = 0, start = 0;
  bool any = false;
  memset(out, 0, sizeof(*out));
  for (i = 0; i <= n; i++) {
    if (i < n && s[i] == '{')
      depth++;
    else if (i < n && s[i] == '}' && depth > 0)
      depth--;
    if (i == n || (s[i] == ',' && depth == 0)) {
      citeconv_bibtex_span part = trim(s, start, i);
      const char *p = s + part.off;
      const char *eq = memchr(p, '=', part.len);
      citeconv_bibtex_span *dst = NULL;
      size_t klen;
      start = i + 1;
      if (part.len == 0)
        continue;
      if (!eq)
        return false;
      klen = (size_t)(eq - p);
      while (klen > 0 && is_space((unsigned char)p[klen - 1]))
        klen--;
      if (klen == 6 && memcmp(p, "family", 6) == 0)
        dst = &out->last;
      else if (klen == 5 && memcmp(p, "given", 5) == 0)
        dst = &out->first;
      else if (klen == 6 && memcmp(p, "prefix", 6) == 0)
        dst = &out->von;
      else if (klen == 6 && memcmp(p, "suffix", 6) == 0)
        dst = &out->jr;
      else if (!((klen == 9 && memcmp(p, "useprefix", 9) == 0) ||
                 (klen == 2 && memcmp(p, "id", 2) == 0) ||
                 (klen == 11 && memcmp(p, "juniorcomma", 11) == 0) ||
                 (klen > 2 && memchr(p, '-', klen) && p[klen - 1] == 'i')))
        return false;
      if (dst) {
        citeconv_bibtex_span v = trim(s, (size_t)(eq - s) + 1, i);
        /* "{...}" around a value only delimits it */
        if (v.len >= 2 && s[v.off] == '{' && s[v.off + v.len - 1] == '}') {
          v.off++;
          v.len -= 2;
        }
        *dst = v;
        any = true;
      }
    }
  }
  return any && out->last.len > 0;
}
