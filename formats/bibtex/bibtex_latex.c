/* LaTeX in BibTeX values to Unicode with the record's inline markup, and
 * back. Iterative: brace nesting is an explicit stack bounded by the
 * caller's max-depth, never recursion. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bibtex.h"
#include "text.h"

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

/* ---- tables ------------------------------------------------------------- */

typedef struct {
  const char *name;
  const char *text;
} sym;

/* Accent commands and the combining mark each puts on its argument. */
typedef struct {
  const char *name;
  unsigned mark;
} accent;

static const accent accents[] = {
    {"`", 0x300}, {"'", 0x301}, {"^", 0x302}, {"~", 0x303}, {"=", 0x304},
    {"u", 0x306}, {".", 0x307}, {"\"", 0x308}, {"r", 0x30A}, {"H", 0x30B},
    {"v", 0x30C}, {"d", 0x323}, {"c", 0x327}, {"k", 0x328}, {"b", 0x331},
    {"t", 0x361},
    /* math accents, after the text ones so those are written back */
    {"bar", 0x304}, {"overline", 0x305}, {"hat", 0x302}, {"tilde", 0x303},
    {"dot", 0x307}, {"ddot", 0x308}, {"acute", 0x301}, {"grave", 0x300},
    {"breve", 0x306}, {"check", 0x30C}, {"vec", 0x20D7}, {NULL, 0}};

/* Letters and text symbols (text mode and math mode alike). */
static const sym symbols[] = {
    {"ss", "\xc3\x9f"}, {"SS", "SS"}, {"o", "\xc3\xb8"}, {"O", "\xc3\x98"},
    {"aa", "\xc3\xa5"}, {"AA", "\xc3\x85"}, {"ae", "\xc3\xa6"},
    {"AE", "\xc3\x86"}, {"oe", "\xc5\x93"}, {"OE", "\xc5\x92"},
    {"l", "\xc5\x82"}, {"L", "\xc5\x81"}, {"i", "\xc4\xb1"},
    {"j", "\xc8\xb7"}, {"dh", "\xc3\xb0"}, {"DH", "\xc3\x90"},
    {"dj", "\xc4\x91"}, {"DJ", "\xc4\x90"}, {"th", "\xc3\xbe"},
    {"TH", "\xc3\x9e"}, {"ng", "\xc5\x8b"}, {"NG", "\xc5\x8a"},
    {"textendash", "\xe2\x80\x93"}, {"textemdash", "\xe2\x80\x94"},
    {"ldots", "\xe2\x80\xa6"}, {"dots", "\xe2\x80\xa6"},
    {"textellipsis", "\xe2\x80\xa6"}, {"textquoteleft", "\xe2\x80\x98"},
    {"textquoteright", "\xe2\x80\x99"}, {"textquotedblleft", "\xe2\x80\x9c"},
    {"textquotedblright", "\xe2\x80\x9d"}, {"textquotesingle", "'"},
    {"textquotedbl", "\""}, {"guillemotleft", "\xc2\xab"},
    {"guillemotright", "\xc2\xbb"}, {"guillemetleft", "\xc2\xab"},
    {"guillemetright", "\xc2\xbb"}, {"guilsinglleft", "\xe2\x80\xb9"},
    {"guilsinglright", "\xe2\x80\xba"}, {"quotedblbase", "\xe2\x80\x9e"},
    {"quotesinglbase", "\xe2\x80\x9a"}, {"copyright", "\xc2\xa9"},
    {"textcopyright", "\xc2\xa9"}, {"textregistered", "\xc2\xae"},
    {"texttrademark", "\xe2\x84\xa2"}, {"pounds", "\xc2\xa3"},
    {"textsterling", "\xc2\xa3"}, {"euro", "\xe2\x82\xac"},
    {"texteuro", "\xe2\x82\xac"}, {"textyen", "\xc2\xa5"},
    {"textcent", "\xc2\xa2"}, {"textdollar", "$"}, {"S", "\xc2\xa7"},
    {"textsection", "\xc2\xa7"}, {"P", "\xc2\xb6"},
    {"textparagraph", "\xc2\xb6"}, {"dag", "\xe2\x80\xa0"},
    {"textdagger", "\xe2\x80\xa0"}, {"ddag", "\xe2\x80\xa1"},
    {"textdaggerdbl", "\xe2\x80\xa1"}, {"textbullet", "\xe2\x80\xa2"},
    {"textperiodcentered", "\xc2\xb7"}, {"textdegree", "\xc2\xb0"},
    {"textasciitilde", "~"}, {"textasciicircum", "^"},
    {"textbackslash", "\\"}, {"textbar", "|"}, {"textbraceleft", "{"},
    {"textbraceright", "}"}, {"textunderscore", "_"}, {"textless", "<"},
    {"textgreater", ">"}, {"textexclamdown", "\xc2\xa1"},
    {"textquestiondown", "\xc2\xbf"}, {"textordfeminine", "\xc2\xaa"},
    {"textordmasculine", "\xc2\xba"}, {"textonehalf", "\xc2\xbd"},
    {"textonequarter", "\xc2\xbc"}, {"textthreequarters", "\xc2\xbe"},
    {"textmu", "\xc2\xb5"}, {"textperthousand", "\xe2\x80\xb0"},
    {"textminus", "\xe2\x88\x92"}, {"textnumero", "\xe2\x84\x96"},
    {"textcelsius", "\xe2\x84\x83"}, {"textohm", "\xe2\x84\xa6"},
    {"textvisiblespace", "\xe2\x90\xa3"}, {"LaTeX", "LaTeX"},
    {"TeX", "TeX"}, {"BibTeX", "BibTeX"}, {"LaTeXe", "LaTeX2e"},
    {"slash", "/"}, {"textslash", "/"}, {"quad", "\xe2\x80\x83"},
    {"qquad", "\xe2\x80\x83\xe2\x80\x83"}, {"enspace", "\xe2\x80\x82"},
    {"thinspace", "\xe2\x80\x89"}, {"textasteriskcentered", "*"},
    {"textasciigrave", "`"}, {"textasciimacron", "\xc2\xaf"},
    {"textasciiacute", "\xc2\xb4"}, {"texttimes", "\xc3\x97"},
    {"textrightarrow", "\xe2\x86\x92"}, {"textleftarrow", "\xe2\x86\x90"},
    {"textdiv", "\xc3\xb7"}, {"textpm", "\xc2\xb1"},
    /* math: Greek (from here on, written back in math mode) */
    {"alpha", "\xce\xb1"}, {"beta", "\xce\xb2"}, {"gamma", "\xce\xb3"},
    {"delta", "\xce\xb4"}, {"epsilon", "\xcf\xb5"},
    {"varepsilon", "\xce\xb5"}, {"zeta", "\xce\xb6"}, {"eta", "\xce\xb7"},
    {"theta", "\xce\xb8"}, {"vartheta", "\xcf\x91"}, {"iota", "\xce\xb9"},
    {"kappa", "\xce\xba"}, {"lambda", "\xce\xbb"}, {"mu", "\xce\xbc"},
    {"nu", "\xce\xbd"}, {"xi", "\xce\xbe"}, {"pi", "\xcf\x80"},
    {"varpi", "\xcf\x96"}, {"rho", "\xcf\x81"}, {"varrho", "\xcf\xb1"},
    {"sigma", "\xcf\x83"}, {"varsigma", "\xcf\x82"}, {"tau", "\xcf\x84"},
    {"upsilon", "\xcf\x85"}, {"phi", "\xcf\x95"}, {"varphi", "\xcf\x86"},
    {"chi", "\xcf\x87"}, {"psi", "\xcf\x88"}, {"omega", "\xcf\x89"},
    {"Gamma", "\xce\x93"}, {"Delta", "\xce\x94"}, {"Theta", "\xce\x98"},
    {"Lambda", "\xce\x9b"}, {"Xi", "\xce\x9e"}, {"Pi", "\xce\xa0"},
    {"Sigma", "\xce\xa3"}, {"Upsilon", "\xce\xa5"}, {"Phi", "\xce\xa6"},
    {"Psi", "\xce\xa8"}, {"Omega", "\xce\xa9"},
    /* math: operators, relations, arrows */
    {"times", "\xc3\x97"}, {"div", "\xc3\xb7"}, {"pm", "\xc2\xb1"},
    {"mp", "\xe2\x88\x93"}, {"cdot", "\xe2\x8b\x85"},
    {"leq", "\xe2\x89\xa4"}, {"le", "\xe2\x89\xa4"},
    {"geq", "\xe2\x89\xa5"}, {"ge", "\xe2\x89\xa5"},
    {"neq", "\xe2\x89\xa0"}, {"ne", "\xe2\x89\xa0"},
    {"approx", "\xe2\x89\x88"}, {"sim", "\xe2\x88\xbc"},
    {"simeq", "\xe2\x89\x83"}, {"equiv", "\xe2\x89\xa1"},
    {"propto", "\xe2\x88\x9d"}, {"infty", "\xe2\x88\x9e"},
    {"partial", "\xe2\x88\x82"}, {"nabla", "\xe2\x88\x87"},
    {"sum", "\xe2\x88\x91"}, {"prod", "\xe2\x88\x8f"},
    {"int", "\xe2\x88\xab"}, {"sqrt", "\xe2\x88\x9a"},
    {"to", "\xe2\x86\x92"}, {"rightarrow", "\xe2\x86\x92"},
    {"leftarrow", "\xe2\x86\x90"}, {"Rightarrow", "\xe2\x87\x92"},
    {"Leftarrow", "\xe2\x87\x90"}, {"leftrightarrow", "\xe2\x86\x94"},
    {"uparrow", "\xe2\x86\x91"}, {"downarrow", "\xe2\x86\x93"},
    {"langle", "\xe2\x9f\xa8"}, {"rangle", "\xe2\x9f\xa9"},
    {"in", "\xe2\x88\x88"}, {"notin", "\xe2\x88\x89"},
    {"subset", "\xe2\x8a\x82"}, {"subseteq", "\xe2\x8a\x86"},
    {"cup", "\xe2\x88\xaa"}, {"cap", "\xe2\x88\xa9"},
    {"forall", "\xe2\x88\x80"}, {"exists", "\xe2\x88\x83"},
    {"emptyset", "\xe2\x88\x85"}, {"ell", "\xe2\x84\x93"},
    {"hbar", "\xe2\x84\x8f"}, {"prime", "\xe2\x80\xb2"},
    {"circ", "\xe2\x88\x98"}, {"bullet", "\xe2\x88\x99"},
    {"star", "\xe2\x8b\x86"}, {"ast", "\xe2\x88\x97"},
    {"ll", "\xe2\x89\xaa"}, {"gg", "\xe2\x89\xab"},
    {"cdots", "\xe2\x8b\xaf"}, {"mid", "\xe2\x88\xa3"},
    {"parallel", "\xe2\x88\xa5"}, {"perp", "\xe2\x8a\xa5"},
    {"angle", "\xe2\x88\xa0"}, {"neg", "\xc2\xac"},
    {"wedge", "\xe2\x88\xa7"}, {"vee", "\xe2\x88\xa8"},
    {"oplus", "\xe2\x8a\x95"}, {"otimes", "\xe2\x8a\x97"},
    {"aleph", "\xe2\x84\xb5"}, {"lbrace", "{"}, {"rbrace", "}"},
    {"lfloor", "\xe2\x8c\x8a"}, {"rfloor", "\xe2\x8c\x8b"},
    {"lceil", "\xe2\x8c\x88"}, {"rceil", "\xe2\x8c\x89"},
    {"backslash", "\\"}, {"vert", "|"}, {"colon", ":"},
    {"degree", "\xc2\xb0"}, {"deg", "deg"}, {"log", "log"},
    {"ln", "ln"}, {"exp", "exp"}, {"sin", "sin"}, {"cos", "cos"},
    {"max", "max"}, {"min", "min"}, {"lim", "lim"}, {"tan", "tan"},
    {"Alpha", "\xce\x91"}, {"Beta", "\xce\x92"}, {"Epsilon", "\xce\x95"},
    {"Kappa", "\xce\x9a"}, {"Mu", "\xce\x9c"}, {"Tau", "\xce\xa4"},
    {NULL, NULL}};

/* Commands with no output of their own. */
static const char *const ignored[] = {
    "-", "/", "@", "relax", "protect", "noopsort", "nocorr", "!",
    "ignorespaces", "unskip", "allowbreak", "null", "left", "right",
    "cal", "par", "displaystyle", NULL};

/* Markup tags. */
enum { TAG_NONE, TAG_I, TAG_B, TAG_SC, TAG_SUP, TAG_SUB, TAG_NOCASE };
static const char *const tag_open[] = {
    "", "<i>", "<b>", "<sc>", "<sup>", "<sub>", "<span class=\"nocase\">"};
static const char *const tag_close[] = {"",      "</i>",   "</b>",
                                        "</sc>", "</sup>", "</sub>",
                                        "</span>"};

/* Commands taking one argument, and the tag they put around it
 * (TAG_NONE: the argument as plain text). */
typedef struct {
  const char *name;
  int tag;
} wrap;
static const wrap wraps[] = {
    {"textit", TAG_I}, {"emph", TAG_I}, {"textsl", TAG_I},
    {"mathit", TAG_I}, {"mkbibemph", TAG_I}, {"textbf", TAG_B},
    {"mathbf", TAG_B}, {"bm", TAG_B}, {"boldsymbol", TAG_B},
    {"mkbibbold", TAG_B}, {"textsc", TAG_SC},
    {"textsuperscript", TAG_SUP}, {"mkbibsuperscript", TAG_SUP},
    {"textsubscript", TAG_SUB}, {"mkbibsubscript", TAG_SUB},
    {"textrm", TAG_NONE}, {"textsf", TAG_NONE}, {"texttt", TAG_NONE},
    {"textup", TAG_NONE}, {"textnormal", TAG_NONE}, {"textmd", TAG_NONE},
    {"mbox", TAG_NONE}, {"hbox", TAG_NONE}, {"text", TAG_NONE},
    {"mathrm", TAG_NONE}, {"mathsf", TAG_NONE}, {"mathtt", TAG_NONE},
    {"mathnormal", TAG_NONE}, {"ensuremath", TAG_NONE},
    {"NoCaseChange", TAG_NONE}, {"nocase", TAG_NONE}, {"hyphenation", -1},
    {"vphantom", -1}, {"phantom", -1}, {"hspace", -1}, {"vspace", -1},
    {"label", -1}, {"mathcal", TAG_NONE}, {"mathbb", TAG_NONE},
    {"mathfrak", TAG_NONE}, {"operatorname", TAG_NONE},
    {NULL, 0}};

/* Declarations that switch a style on to the end of the group. */
static const wrap switches[] = {
    {"em", TAG_I}, {"it", TAG_I}, {"itshape", TAG_I}, {"sl", TAG_I},
    {"slshape", TAG_I}, {"bf", TAG_B}, {"bfseries", TAG_B},
    {"sc", TAG_SC}, {"scshape", TAG_SC}, {"rm", TAG_NONE},
    {"sf", TAG_NONE}, {"tt", TAG_NONE}, {"normalfont", TAG_NONE},
    {"upshape", TAG_NONE}, {"rmfamily", TAG_NONE}, {"sffamily", TAG_NONE},
    {"ttfamily", TAG_NONE}, {"mdseries", TAG_NONE}, {"small", TAG_NONE},
    {"footnotesize", TAG_NONE}, {"large", TAG_NONE}, {"Large", TAG_NONE},
    {"scriptsize", TAG_NONE}, {"tiny", TAG_NONE}, {"huge", TAG_NONE},
    {"normalsize", TAG_NONE}, {"displaystyle", TAG_NONE},
    {"scriptstyle", TAG_NONE}, {"textstyle", TAG_NONE}, {NULL, 0}};

/* Whether the table name t is name[0..len): the first letters are
 * compared before the lengths (no table has an empty name). */
static bool name_is(const char *t, const char *name, size_t len)
{
  return len > 0 && t[0] == name[0] && strlen(t) == len &&
         memcmp(t, name, len) == 0;
}

static const sym *sym_find(const sym *t, const char *name, size_t len)
{
  for (; t->name; t++)
    if (name_is(t->name, name, len))
      return t;
  return NULL;
}

static const wrap *wrap_find(const wrap *t, const char *name, size_t len)
{
  for (; t->name; t++)
    if (name_is(t->name, name, len))
      return t;
  return NULL;
}

static const accent *accent_find(const char *name, size_t len)
{
  for (const accent *a = accents; a->name; a++)
    if (name_is(a->name, name, len))
      return a;
  return NULL;
}

static bool is_ignored(const char *name, size_t len)
{
  for (size_t i = 0; ignored[i]; i++)
    if (name_is(ignored[i], name, len))
      return true;
  return false;
}

static bool is_alpha(int c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The ASCII bytes the converter's main loop treats specially: white space
 * and the characters of its switch. Every other byte, those of multi-byte
 * characters included, is copied as it is. */
static const bool run_special[256] = {
    [' '] = true, ['\t'] = true, ['\n'] = true, ['\r'] = true,
    ['\f'] = true, ['\v'] = true, ['{'] = true,  ['}'] = true,
    ['\\'] = true, ['$'] = true,  ['^'] = true,  ['_'] = true,
    ['~'] = true, ['-'] = true,  ['`'] = true,  ['\''] = true};

/* The same bytes, a vector at a time, and a few more: the other controls
 * and '[', ']', '|' and DEL, which cost fewer tests to let in than to
 * keep out. plain_end looks again at a byte this stops at. */
static unsigned run_specials(citeconv_vec x)
{
  /* {|}~ and DEL, and [\]^_ folded onto them */
  citeconv_vec group = citeconv_vec_in(citeconv_vec_set_bits(x, 0x20), '{',
                                       0x7F);
  citeconv_vec other = citeconv_vec_or(
      citeconv_vec_or(citeconv_vec_eq(x, '$'), citeconv_vec_eq(x, '-')),
      citeconv_vec_or(citeconv_vec_eq(x, '\''), citeconv_vec_eq(x, '`')));
  return citeconv_vec_mask(citeconv_vec_or(
      citeconv_vec_or(citeconv_vec_in(x, 0, ' '), group), other));
}

/* Whether the byte at u[j] ends a plain run: a special other than a
 * space, or a space before a special or at the end. */
static bool ends_run(const unsigned char *u, size_t j, size_t n)
{
  return run_special[u[j]] &&
         (u[j] != ' ' || j + 1 == n || run_special[u[j + 1]]);
}

/* The end of the run of ordinary characters that starts at u[j] (not a
 * special): where the next special other than a space is, or a space
 * that is followed by a special or ends the text. */
static size_t plain_end(const unsigned char *u, size_t j, size_t n)
{
  /* A vector at a time, and the byte after it: on while no special other
   * than a space is among them, and no space comes before a special. */
  while (n - j > CITECONV_VEC) {
    citeconv_vec x = citeconv_vec_load(u + j);
    unsigned sp = citeconv_vec_mask(citeconv_vec_eq(x, ' '));
    unsigned special = run_specials(x);
    unsigned next = special >> 1;
    unsigned stop;
    if (run_special[u[j + CITECONV_VEC]])
      next |= 1u << (CITECONV_VEC - 1);
    stop = (special & ~sp) | (sp & next);
    if (stop) {
      size_t k = j + citeconv_mask_first(stop);
      if (ends_run(u, k, n))
        return k;
      j = k + 1; /* one of the few bytes let in: on after it */
      continue;
    }
    j += CITECONV_VEC;
  }
  /* The rest, shorter than a vector (a whole name part, often): four
   * bytes at a time while none is special, then up to the next one. */
  while (j < n) {
    while (n - j >= 4 && !(run_special[u[j]] | run_special[u[j + 1]] |
                           run_special[u[j + 2]] | run_special[u[j + 3]]))
      j += 4;
    while (j < n && !run_special[u[j]])
      j++;
    if (j == n || ends_run(u, j, n))
      break;
    j++; /* a space between two words */
  }
  return j;
}

/* ---- converter state ---------------------------------------------------- */

#define MAX_TAGS 6

typedef struct {
  unsigned char tags[MAX_TAGS]; /* opened in this group, closed at its end */
  unsigned char ntags;
  unsigned char flat;  /* deeper than max_depth: contributes no markup */
} frame;

typedef struct {
  citeconv_buf *out;
  const char *s;
  size_t n, i;
  unsigned flags;
  frame *stack;
  size_t depth, cap, max_depth;
  bool math;
  bool space; /* a space is due before the next visible output */
  int rc;
  citeconv_bibtex_unknown_cb unknown;
  void *payload;
  /* a pending one-token ^ or _ in math mode */
  int token_tag;
  /* The first frames: most values nest a few groups deep, and need no
   * allocation. */
  frame local[16];
} conv;

static inline void put(conv *c, const char *s, size_t n)
{
  int rc;
  if (c->space && c->out->len > 0) {
    rc = citeconv_buf_addc(c->out, ' ');
    if (rc < 0 && c->rc == 0)
      c->rc = rc;
  }
  c->space = false;
  rc = citeconv_buf_add(c->out, s, n);
  if (rc < 0 && c->rc == 0)
    c->rc = rc;
}

static void puts_(conv *c, const char *s)
{
  put(c, s, strlen(s));
}

static void put_cp(conv *c, unsigned cp)
{
  char tmp[4];
  size_t k = 0;
  if (cp < 0x80) {
    tmp[k++] = (char)cp;
  } else if (cp < 0x800) {
    tmp[k++] = (char)(0xC0 | (cp >> 6));
    tmp[k++] = (char)(0x80 | (cp & 0x3F));
  } else {
    tmp[k++] = (char)(0xE0 | (cp >> 12));
    tmp[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
    tmp[k++] = (char)(0x80 | (cp & 0x3F));
  }
  put(c, tmp, k);
}

/* Closing tags do not take the pending space: "x </i>" is "x</i> ". */
static void put_close(conv *c, const char *s)
{
  int rc = citeconv_buf_adds(c->out, s);
  if (rc < 0 && c->rc == 0)
    c->rc = rc;
}

static void open_tag(conv *c, int tag)
{
  frame *f;
  if (tag == TAG_NONE || c->depth == 0)
    return;
  f = &c->stack[c->depth - 1];
  if (f->flat || f->ntags >= MAX_TAGS)
    return;
  puts_(c, tag_open[tag]);
  f->tags[f->ntags++] = (unsigned char)tag;
}

static bool push(conv *c)
{
  if (c->depth == c->cap) {
    size_t cap = c->cap * 2;
    frame *p;
    if (c->stack == c->local) {
      p = malloc(cap * sizeof(*p));
      if (p)
        memcpy(p, c->local, c->depth * sizeof(*p));
    } else {
      p = realloc(c->stack, cap * sizeof(*p));
    }
    if (!p) {
      c->rc = CITECONV_ENOMEM;
      return false;
    }
    c->stack = p;
    c->cap = cap;
  }
  memset(&c->stack[c->depth], 0, sizeof(frame));
  c->stack[c->depth].flat = c->depth >= c->max_depth;
  c->depth++;
  return true;
}

/* Read a command name at s[i] (after the backslash): letters, or one
 * character. Sets *len; returns the start. */
static const char *cmd_name(conv *c, size_t *len)
{
  size_t start = c->i;
  if (c->i < c->n && is_alpha((unsigned char)c->s[c->i])) {
    while (c->i < c->n && is_alpha((unsigned char)c->s[c->i]))
      c->i++;
  } else if (c->i < c->n) {
    c->i++;
  }
  *len = c->i - start;
  return c->s + start;
}

static void skip_spaces(conv *c)
{
  while (c->i < c->n && citeconv_is_space((unsigned char)c->s[c->i]))
    c->i++;
}

/* Length of the UTF-8 sequence starting with byte b. */
static size_t u8len(unsigned char b)
{
  if (b < 0x80)
    return 1;
  if ((b & 0xE0) == 0xC0)
    return 2;
  if ((b & 0xF0) == 0xE0)
    return 3;
  if ((b & 0xF8) == 0xF0)
    return 4;
  return 1;
}

/* The character an accent command stands for with an empty argument. */
static unsigned spacing_accent(unsigned mark)
{
  static const unsigned map[][2] = {
      {0x300, '`'},   {0x301, 0xB4},  {0x302, '^'},   {0x303, '~'},
      {0x304, 0xAF},  {0x306, 0x2D8}, {0x307, 0x2D9}, {0x308, 0xA8},
      {0x30A, 0x2DA}, {0x30B, 0x2DD}, {0x30C, 0x2C7}, {0x327, 0xB8},
      {0x328, 0x2DB}, {0, 0}};
  for (size_t i = 0; map[i][0]; i++)
    if (map[i][0] == mark)
      return map[i][1];
  return mark;
}

/* A base and the combining mark of an accent: the precomposed character
 * where Unicode has one (what NFC would make of the pair, so the record's
 * normalisation finds nothing left to do), else the two. */
static void put_accented(conv *c, const char *base, size_t blen, unsigned mark)
{
  UErrorCode err = U_ZERO_ERROR;
  const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
  size_t adv;
  long cp = citeconv_utf8_decode((const unsigned char *)base, blen, &adv);
  if (U_SUCCESS(err) && cp >= 0 && adv == blen) {
    UChar32 both = unorm2_composePair(nfc, (UChar32)cp, (UChar32)mark);
    if (both > 0 && both < 0x10000) {
      put_cp(c, (unsigned)both);
      return;
    }
  }
  put(c, base, blen);
  put_cp(c, mark);
}

/* The argument of an accent: one character, \i, \j or another letter
 * command, braced or not. Emits the accented letter (see put_accented). */
static void do_accent(conv *c, unsigned mark, bool letter_cmd)
{
  bool braced = false;
  const char *base = NULL;
  size_t blen = 0;
  char tmp[8];

  if (letter_cmd)
    skip_spaces(c);
  else if (c->i < c->n && c->s[c->i] == ' ')
    skip_spaces(c);
  if (c->i < c->n && c->s[c->i] == '{') {
    braced = true;
    c->i++;
    skip_spaces(c);
  }
  if (c->i < c->n && c->s[c->i] == '\\') {
    size_t len;
    const char *nm;
    c->i++;
    nm = cmd_name(c, &len);
    if (len > 1 && (nm[0] == 'i' || nm[0] == 'j') &&
        !sym_find(symbols, nm, len)) {
      /* "\'\ixx": TeX reads \ixx, but \i followed by letters is meant */
      c->i -= len - 1;
      len = 1;
    }
    if (len == 1 && (nm[0] == 'i' || nm[0] == 'j')) {
      tmp[0] = nm[0];
      base = tmp;
      blen = 1;
    } else {
      const sym *sy = sym_find(symbols, nm, len);
      if (sy) {
        base = sy->text;
        blen = strlen(sy->text);
      } else {
        tmp[0] = '\\';
        base = tmp;
        blen = 1;
        put(c, tmp, 1);
        base = nm;
        blen = len;
      }
    }
    skip_spaces(c);
  } else if (c->i < c->n && c->s[c->i] != '}') {
    size_t k = u8len((unsigned char)c->s[c->i]);
    if (c->i + k > c->n)
      k = c->n - c->i;
    base = c->s + c->i;
    blen = k;
    c->i += k;
  }
  if (braced) {
    /* Anything more inside the braces ("\t{oo}") follows the base. */
    size_t rest = c->i;
    size_t depth = 1;
    while (c->i < c->n) {
      if (c->s[c->i] == '{')
        depth++;
      else if (c->s[c->i] == '}' && --depth == 0)
        break;
      c->i++;
    }
    if (base)
      put_accented(c, base, blen, mark);
    else
      put_cp(c, spacing_accent(mark)); /* "\~{}" is the accent itself */
    if (c->i > rest)
      put(c, c->s + rest, c->i - rest);
    if (c->i < c->n)
      c->i++; /* the closing brace */
    return;
  }
  if (base)
    put_accented(c, base, blen, mark);
  else
    put_cp(c, spacing_accent(mark)); /* "\~}": nothing to accent */
}

/* Copy a braced group at s[i] verbatim, braces included. */
static void copy_group(conv *c)
{
  size_t start = c->i, depth = 0;
  while (c->i < c->n) {
    char ch = c->s[c->i++];
    if (ch == '\\' && c->i < c->n) {
      c->i++;
      continue;
    }
    if (ch == '{')
      depth++;
    else if (ch == '}' && --depth == 0)
      break;
  }
  put(c, c->s + start, c->i - start);
}

/* Text of a braced argument, verbatim except for the braces (\url). */
static void verbatim_arg(conv *c)
{
  size_t start, depth = 1;
  skip_spaces(c);
  if (c->i >= c->n || c->s[c->i] != '{')
    return;
  start = ++c->i;
  while (c->i < c->n) {
    if (c->s[c->i] == '{')
      depth++;
    else if (c->s[c->i] == '}' && --depth == 0)
      break;
    c->i++;
  }
  put(c, c->s + start, c->i - start);
  if (c->i < c->n)
    c->i++;
}

/* Skip a braced argument entirely. */
static void skip_arg(conv *c)
{
  size_t depth = 0;
  skip_spaces(c);
  if (c->i >= c->n || c->s[c->i] != '{')
    return;
  while (c->i < c->n) {
    char ch = c->s[c->i++];
    if (ch == '{')
      depth++;
    else if (ch == '}' && --depth == 0)
      break;
  }
}

/* A command that takes one argument and wraps it in `tag`. */
static void do_wrap(conv *c, int tag)
{
  skip_spaces(c);
  if (c->i < c->n && c->s[c->i] == '{') {
    c->i++;
    if (!push(c))
      return;
    open_tag(c, tag);
    return;
  }
  /* \emph x: one token */
  if (c->i < c->n) {
    size_t k = u8len((unsigned char)c->s[c->i]);
    if (c->i + k > c->n)
      k = c->n - c->i;
    if (tag != TAG_NONE)
      puts_(c, tag_open[tag]);
    put(c, c->s + c->i, k);
    c->i += k;
    if (tag != TAG_NONE)
      put_close(c, tag_close[tag]);
  }
}

static void report(conv *c, const char *name, size_t len)
{
  if (c->unknown)
    c->unknown(name, len, c->payload);
}

static void do_command(conv *c)
{
  size_t len;
  const char *nm;
  const sym *sy;
  const wrap *wr;
  const accent *ac;
  bool letters;

  c->i++; /* the backslash */
  if (c->i >= c->n) {
    put(c, "\\", 1);
    return;
  }
  nm = cmd_name(c, &len);
  letters = is_alpha((unsigned char)nm[0]);
  if (len == 1 && strchr("&%$#_{}~^\"'`=.", nm[0]) == NULL &&
      !letters) {
    switch (nm[0]) {
    case ' ':
    case '\n':
    case '\t':
    case '\\':
      c->space = true;
      return;
    case ',':
      put(c, "\xe2\x80\x89", 3);
      return;
    case ';':
    case ':':
      c->space = true;
      return;
    default:
      break;
    }
  }
  if (len == 1 && (nm[0] == '(' || nm[0] == ')' || nm[0] == '[' ||
                   nm[0] == ']')) {
    c->math = nm[0] == '(' || nm[0] == '[';
    return;
  }
  if (len == 1 && strchr("&%$#_{}", nm[0])) {
    put(c, nm, 1);
    return;
  }
  if ((ac = accent_find(nm, len)) != NULL) {
    /* \~ and \^ and \= with nothing to accent are the characters. */
    do_accent(c, ac->mark, letters);
    return;
  }
  if (is_ignored(nm, len)) {
    if (letters)
      skip_spaces(c);
    if (len == 8 && memcmp(nm, "noopsort", 8) == 0)
      skip_arg(c);
    return;
  }
  if ((sy = sym_find(symbols, nm, len)) != NULL) {
    puts_(c, sy->text);
    /* "{}" ends a control word; the spaces after one are kept as a
     * space, as pandoc does, though TeX would drop them. */
    if (letters && c->i + 1 < c->n && c->s[c->i] == '{' &&
        c->s[c->i + 1] == '}')
      c->i += 2;
    return;
  }
  if ((wr = wrap_find(wraps, nm, len)) != NULL) {
    if (wr->tag < 0)
      skip_arg(c);
    else
      do_wrap(c, wr->tag);
    return;
  }
  if ((wr = wrap_find(switches, nm, len)) != NULL) {
    skip_spaces(c);
    open_tag(c, wr->tag);
    return;
  }
  if ((len == 3 && memcmp(nm, "url", 3) == 0) ||
      (len == 4 && memcmp(nm, "path", 4) == 0) ||
      (len == 3 && memcmp(nm, "doi", 3) == 0)) {
    verbatim_arg(c);
    return;
  }
  if (len == 4 && memcmp(nm, "href", 4) == 0) {
    skip_arg(c);
    return;
  }
  if ((len == 7 && memcmp(nm, "enquote", 7) == 0) ||
      (len == 10 && memcmp(nm, "mkbibquote", 10) == 0)) {
    skip_spaces(c);
    if (c->i < c->n && c->s[c->i] == '{') {
      /* Quotes around the argument: open now, close with the group. */
      c->i++;
      puts_(c, "\xe2\x80\x9c");
      if (!push(c))
        return;
      /* pseudo-tag 7: the closing quote, at the matching brace */
      c->stack[c->depth - 1].tags[c->stack[c->depth - 1].ntags++] = 7;
    }
    return;
  }
  /* Unknown: keep as written, with its braced arguments. */
  report(c, nm, len);
  put(c, "\\", 1);
  put(c, nm, len);
  while (c->i < c->n && c->s[c->i] == '{')
    copy_group(c);
}

int citeconv_bibtex_latex_to_text(citeconv_buf *out, const char *s, size_t n,
                                  unsigned flags, size_t max_depth,
                                  citeconv_bibtex_unknown_cb unknown,
                                  void *payload)
{
  conv c;
  /* The run of ordinary characters at the start: all of the text in most
   * names and in many values, which then need no more. */
  size_t first = 0;
  if (n > 0 && !run_special[(unsigned char)s[0]]) {
    first = plain_end((const unsigned char *)s, 0, n);
    if (first == n)
      return citeconv_buf_add(out, s, n);
  }
  /* Every member but the frames, which are set as they are pushed. */
  c.out = out;
  c.s = s;
  c.n = n;
  c.i = 0;
  c.flags = flags;
  c.stack = c.local;
  c.depth = 0;
  c.cap = sizeof c.local / sizeof c.local[0];
  c.max_depth = max_depth ? max_depth : 1000;
  c.math = false;
  c.space = false;
  c.rc = 0;
  c.unknown = unknown;
  c.payload = payload;
  c.token_tag = 0;
  if (first > 0) {
    put(&c, s, first);
    c.i = first;
  }

  while (c.i < c.n && c.rc == 0) {
    unsigned char ch = (unsigned char)s[c.i];
    if (citeconv_is_space(ch)) {
      c.space = true;
      c.i++;
      continue;
    }
    switch (ch) {
    case '{':
      c.i++;
      if (c.i < c.n && s[c.i] == '}') {
        c.i++; /* "{}" */
        break;
      }
      if (!push(&c))
        break;
      if (c.depth == 1 && (flags & CITECONV_BIBTEX_TITLE) && !c.math &&
          c.i < c.n && s[c.i] != '\\')
        open_tag(&c, TAG_NOCASE);
      break;
    case '}':
      c.i++;
      if (c.depth > 0) {
        frame *f = &c.stack[c.depth - 1];
        while (f->ntags > 0) {
          unsigned char t = f->tags[--f->ntags];
          if (t == 7)
            put(&c, "\xe2\x80\x9d", 3);
          else
            put_close(&c, tag_close[t]);
        }
        c.depth--;
      }
      break;
    case '\\':
      do_command(&c);
      break;
    case '$':
      c.i++;
      if (c.i < c.n && s[c.i] == '$')
        c.i++;
      c.math = !c.math;
      break;
    case '^':
    case '_':
      c.i++;
      if (!c.math) {
        put(&c, (const char *)&s[c.i - 1], 1);
        break;
      }
      {
        int tag = ch == '^' ? TAG_SUP : TAG_SUB;
        if (c.i < c.n && s[c.i] == '{') {
          c.i++;
          if (push(&c))
            open_tag(&c, tag);
        } else if (c.i < c.n && s[c.i] == '\\') {
          size_t len;
          const char *nm;
          const sym *sy;
          c.i++;
          nm = cmd_name(&c, &len);
          sy = sym_find(symbols, nm, len);
          puts_(&c, tag_open[tag]);
          if (sy) {
            puts_(&c, sy->text);
          } else {
            report(&c, nm, len);
            put(&c, "\\", 1);
            put(&c, nm, len);
          }
          put_close(&c, tag_close[tag]);
        } else if (c.i < c.n) {
          size_t k = u8len((unsigned char)s[c.i]);
          if (c.i + k > c.n)
            k = c.n - c.i;
          puts_(&c, tag_open[tag]);
          put(&c, s + c.i, k);
          put_close(&c, tag_close[tag]);
          c.i += k;
        }
      }
      break;
    case '~':
      c.i++;
      put(&c, "\xc2\xa0", 2);
      break;
    case '-':
      if (c.math) {
        c.i++;
        put(&c, "\xe2\x88\x92", 3);
        break;
      }
      if (c.i + 2 < c.n && s[c.i + 1] == '-' && s[c.i + 2] == '-') {
        c.i += 3;
        put(&c, "\xe2\x80\x94", 3);
      } else if (c.i + 1 < c.n && s[c.i + 1] == '-') {
        c.i += 2;
        put(&c, "\xe2\x80\x93", 3);
      } else {
        c.i++;
        put(&c, "-", 1);
      }
      break;
    case '`':
      if (flags & CITECONV_BIBTEX_NO_QUOTES) {
        c.i++;
        put(&c, "`", 1);
      } else if (c.i + 1 < c.n && s[c.i + 1] == '`') {
        c.i += 2;
        put(&c, "\xe2\x80\x9c", 3);
      } else {
        c.i++;
        put(&c, "\xe2\x80\x98", 3);
      }
      break;
    case '\'':
      if (c.math) {
        c.i++;
        put(&c, "\xe2\x80\xb2", 3);
      } else if (flags & CITECONV_BIBTEX_NO_QUOTES) {
        c.i++;
        put(&c, "'", 1);
      } else if (c.i + 1 < c.n && s[c.i + 1] == '\'') {
        c.i += 2;
        put(&c, "\xe2\x80\x9d", 3);
      } else {
        c.i++;
        put(&c, "\xe2\x80\x99", 3);
      }
      break;
    default: {
      /* A run of ordinary characters goes out in one piece, with the
       * single spaces between its words: the same bytes the loop would
       * produce one character at a time. */
      size_t j = plain_end((const unsigned char *)s, c.i, c.n);
      put(&c, s + c.i, j - c.i);
      c.i = j;
      break;
    }
    }
  }
  /* Close what the value left open. */
  while (c.depth > 0 && c.rc == 0) {
    frame *f = &c.stack[c.depth - 1];
    while (f->ntags > 0) {
      unsigned char t = f->tags[--f->ntags];
      if (t == 7)
        put(&c, "\xe2\x80\x9d", 3);
      else
        put_close(&c, tag_close[t]);
    }
    c.depth--;
  }
  if (c.stack != c.local)
    free(c.stack);
  return c.rc;
}

/* The bytes a verbatim value does not copy as they are: braces,
 * backslashes and white space. */
static const bool verbatim_special[256] = {
    ['{'] = true,  ['}'] = true,  ['\\'] = true, [' '] = true, ['\t'] = true,
    ['\n'] = true, ['\r'] = true, ['\f'] = true,  ['\v'] = true};

int citeconv_bibtex_verbatim(citeconv_buf *out, const char *s, size_t n)
{
  int rc = 0;
  size_t i = 0;
  /* Leading and trailing white space is not part of the value. */
  while (n > 0 && citeconv_is_space((unsigned char)s[n - 1]))
    n--;
  while (i < n && citeconv_is_space((unsigned char)s[i]))
    i++;
  for (; i < n && rc == 0; i++) {
    char ch = s[i];
    if (!verbatim_special[(unsigned char)ch]) {
      /* a run of bytes that go out as they are, in one piece */
      size_t j = i + 1;
      while (j < n && !verbatim_special[(unsigned char)s[j]])
        j++;
      rc = citeconv_buf_add(out, s + i, j - i);
      i = j - 1;
      continue;
    }
    if (ch == '{' || ch == '}')
      continue;
    if (ch == '\\' && i + 1 < n && strchr("&%$#_{}~", s[i + 1])) {
      rc = citeconv_buf_addc(out, s[++i]);
      continue;
    }
    if (citeconv_is_space((unsigned char)ch)) {
      /* a value wrapped over lines: the line break is not in the URL */
      while (i + 1 < n && citeconv_is_space((unsigned char)s[i + 1]))
        i++;
      if (ch == '\n' || ch == '\r')
        continue;
      ch = ' ';
    }
    rc = citeconv_buf_addc(out, ch);
  }
  return rc;
}

/* ---- Unicode to LaTeX --------------------------------------------------- */

/* The command for one code point's UTF-8 text, from the symbol table
 * (first match wins, so text names come before math ones, which start at
 * "alpha"). */
static const sym *sym_by_text(const char *u8, size_t n, bool *math)
{
  bool in_math = false;
  for (size_t i = 0; symbols[i].name; i++) {
    if (!in_math && symbols[i].name[0] == 'a' &&
        strcmp(symbols[i].name, "alpha") == 0)
      in_math = true;
    if (symbols[i].text[0] == u8[0] && strlen(symbols[i].text) == n &&
        memcmp(symbols[i].text, u8, n) == 0) {
      /* Letters written as text by LaTeX: the table's ASCII-only
       * expansions (LaTeX, TeX...) are never produced from one code
       * point. */
      *math = in_math;
      return &symbols[i];
    }
  }
  return NULL;
}

static const char *accent_by_mark(unsigned mark)
{
  for (const accent *a = accents; a->name; a++)
    if (a->mark == mark)
      return a->name;
  return NULL;
}

/* Write one non-ASCII code point as LaTeX; false when there is no
 * command for it. */
static bool cp_to_latex(citeconv_buf *out, unsigned cp, const char *u8,
                        size_t n, bool quotes)
{
  bool math = false;
  const sym *sy;
  UErrorCode err = U_ZERO_ERROR;
  const UNormalizer2 *nfd;
  UChar dec[8];
  int32_t dl;
  const char *acc = NULL;
  char base = 0;
  static const struct {
    unsigned cp;
    const char *tex;
  } direct[] = {{0x2013, "--"},     {0x2014, "---"},  {0x2018, "`"},
                {0x2019, "'"},      {0x201C, "``"},   {0x201D, "''"},
                {0x00A0, "~"},      {0x2009, "\\,"},  {0, NULL}};
  if (!quotes && cp >= 0x2018 && cp <= 0x201D)
    return false; /* the symbol table's \\textquote... commands */
  for (size_t i = 0; direct[i].tex; i++)
    if (direct[i].cp == cp) {
      citeconv_buf_adds(out, direct[i].tex);
      return true;
    }
  /* A letter with a diacritic: its NFD is an ASCII letter and one mark
   * that has an accent command. */
  nfd = unorm2_getNFDInstance(&err);
  if (U_SUCCESS(err)) {
    dl = unorm2_getDecomposition(nfd, (UChar32)cp, dec, 8, &err);
    if (U_SUCCESS(err) && dl == 2 && dec[0] < 0x80 && is_alpha(dec[0])) {
      acc = accent_by_mark(dec[1]);
      base = (char)dec[0];
    }
  }
  /* Of such letters the symbol table names only a and A with a ring
   * (\aa, \AA): for the others the search of the table is saved. */
  if (!acc || cp == 0xE5 || cp == 0xC5) {
    sy = sym_by_text(u8, n, &math);
    if (sy && strcmp(sy->name, "SS") != 0) {
      citeconv_buf_adds(out, math ? "{\\ensuremath{\\" : "{\\");
      citeconv_buf_adds(out, sy->name);
      citeconv_buf_adds(out, math ? "}}" : "}");
      return true;
    }
  }
  if (!acc)
    return false;
  {
    citeconv_buf_adds(out, "{\\");
    citeconv_buf_adds(out, acc);
    citeconv_buf_addc(out, '{');
    if (base == 'i' || base == 'j') {
      citeconv_buf_addc(out, '\\');
      citeconv_buf_addc(out, base);
    } else {
      citeconv_buf_addc(out, base);
    }
    citeconv_buf_adds(out, "}}");
  }
  return true;
}

/* cp_to_latex through the writer's cache: ICU's decomposition and the
 * symbol table's search cost more than the rest of the conversion, and a
 * bibliography uses few such characters many times. What does not fit
 * the pool is worked out each time. In the pool each text follows a byte
 * that holds its length, so that a hit is copied without measuring it. */
static bool cached_to_latex(citeconv_latex_cache *c, citeconv_buf *out,
                            unsigned cp, const char *u8, size_t n)
{
  size_t i = cp % CITECONV_LATEX_CACHE_SLOTS;
  if (c->slot[i].at == 0 || c->slot[i].cp != cp) {
    citeconv_buf b = {0};
    bool done = cp_to_latex(&b, cp, u8, n, true);
    if (!done) {
      c->slot[i].cp = cp;
      c->slot[i].at = 1;
    } else if (b.data && b.len <= 255 &&
               c->used + b.len + 2 <= sizeof c->pool) {
      c->pool[c->used] = (char)b.len;
      memcpy(c->pool + c->used + 1, b.data, b.len + 1);
      c->slot[i].cp = cp;
      c->slot[i].at = (uint16_t)(c->used + 1 + 2);
      c->used += b.len + 2;
    } else {
      citeconv_buf_add(out, b.data, b.len);
      citeconv_buf_free(&b);
      return true;
    }
    citeconv_buf_free(&b);
  }
  if (c->slot[i].at == 1)
    return false;
  {
    const char *t = c->pool + c->slot[i].at - 2;
    citeconv_buf_add(out, t, (unsigned char)t[-1]);
  }
  return true;
}

/* Characters text_to_latex writes other than as themselves: those of its
 * switch below, '<', which may open a markup tag, and every byte of a
 * multi-byte character. */
static const unsigned char latex_special[256] = {
    ['<'] = 1,  ['&'] = 1, ['%'] = 1,  ['$'] = 1,  ['#'] = 1, ['_'] = 1,
    ['{'] = 1,  ['}'] = 1, ['~'] = 1,  ['^'] = 1,  ['\\'] = 1, ['>'] = 1,
    ['\''] = 1, ['`'] = 1, ['-'] = 1, ['\n'] = 1, ['\r'] = 1, ['\t'] = 1,
    [0x80] = CITECONV_SIXTEEN(1), CITECONV_SIXTEEN(1), CITECONV_SIXTEEN(1),
    CITECONV_SIXTEEN(1), CITECONV_SIXTEEN(1), CITECONV_SIXTEEN(1),
    CITECONV_SIXTEEN(1), CITECONV_SIXTEEN(1)};

/* A superset of latex_special, a vector at a time: the ranges it tests
 * also take '=', ']', '|', the vertical tab and the form feed, which the
 * caller tells apart by the table. */
static unsigned latex_stops(citeconv_vec x)
{
  citeconv_vec ctl = citeconv_vec_in(x, '\t', '\r');
  citeconv_vec punct = citeconv_vec_or(citeconv_vec_in(x, '#', '\''),
                                       citeconv_vec_eq(x, '-'));
  citeconv_vec angle = citeconv_vec_in(x, '<', '>');
  citeconv_vec under = citeconv_vec_in(x, '\\', '`');
  citeconv_vec brace = citeconv_vec_in(x, '{', '~');
  return citeconv_vec_mask(citeconv_vec_or(
      citeconv_vec_or(citeconv_vec_or(ctl, punct), citeconv_vec_high(x)),
      citeconv_vec_or(citeconv_vec_or(angle, under), brace)));
}

/* The end of the run of bytes that stand for themselves in u[0..n) from
 * j on. A string of a vector or more is scanned a vector at a time, its
 * last piece by the vector that ends where the string does; a shorter
 * one four bytes at a time. */
static size_t latex_run(const unsigned char *u, size_t j, size_t n)
{
  if (n >= CITECONV_VEC) {
    for (; j < n; j += CITECONV_VEC) {
      size_t at = n - j >= CITECONV_VEC ? j : n - CITECONV_VEC;
      unsigned m = latex_stops(citeconv_vec_load(u + at)) >> (j - at);
      for (; m; m &= m - 1) {
        unsigned f = citeconv_mask_first(m);
        if (latex_special[u[j + f]])
          return j + f;
      }
    }
    return n;
  }
  while (n - j >= 4 && !(latex_special[u[j]] | latex_special[u[j + 1]] |
                         latex_special[u[j + 2]] | latex_special[u[j + 3]]))
    j += 4;
  while (j < n && !latex_special[u[j]])
    j++;
  return j;
}

/* text_to_latex from the first byte that does not stand for itself. */
static int text_to_latex_rest(citeconv_buf *out, const char *s, size_t n,
                              bool ascii, bool quotes, size_t *unmapped,
                              citeconv_latex_cache *cache)
{
  /* Markup tags and their LaTeX; a tag is known by its length and
   * bytes. */
  static const struct {
    const char *tag;
    unsigned char len;
    const char *tex;
  } tags[] = {{"<i>", 3, "\\textit{"},
              {"<b>", 3, "\\textbf{"},
              {"<sc>", 4, "\\textsc{"},
              {"<sup>", 5, "\\textsuperscript{"},
              {"<sub>", 5, "\\textsubscript{"},
              {"<span class=\"nocase\">", 21, "{"},
              {"</i>", 4, "}"},
              {"</b>", 4, "}"},
              {"</sc>", 5, "}"},
              {"</sup>", 6, "}"},
              {"</sub>", 6, "}"},
              {"</span>", 7, "}"},
              {NULL, 0, NULL}};
  size_t i = 0;
  long open = 0;
  uint64_t dbl = 0; /* which open groups were opened with two braces */
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c == '<') {
      size_t k;
      for (k = 0; tags[k].tag; k++)
        if (n - i >= tags[k].len && s[i + 1] == tags[k].tag[1] &&
            memcmp(s + i, tags[k].tag, tags[k].len) == 0)
          break;
      if (tags[k].tag && (tags[k].tex[0] != '}' || open > 0)) {
        bool twice = false;
        i += tags[k].len;
        if (tags[k].tex[0] == '{' && i < n) {
          /* BibTeX protects case only in a brace group that does not
           * start with a command: "{{\textit{X}}}", not "{\textit{X}}" */
          unsigned char nx = (unsigned char)s[i];
          twice = nx == '<' || nx >= 0x80 || strchr("&%$#_{}~^\\>'`", nx);
        }
        if (tags[k].tex[0] == '}') {
          open--;
          if (open < 64 && (dbl >> open) & 1)
            citeconv_buf_addc(out, '}');
        } else {
          if (open < 64)
            dbl = twice ? dbl | (1ull << open) : dbl & ~(1ull << open);
          open++;
          if (twice)
            citeconv_buf_addc(out, '{');
        }
        citeconv_buf_adds(out, tags[k].tex);
        continue;
      }
      citeconv_buf_adds(out, "\\textless{}");
      i++;
      continue;
    }
    if (!latex_special[c]) {
      /* A run of characters that stand for themselves, in one piece. */
      size_t j = latex_run((const unsigned char *)s, i + 1, n);
      citeconv_buf_add(out, s + i, j - i);
      i = j;
      continue;
    }
    if (c < 0x80) {
      switch (c) {
      case '&':
      case '%':
      case '$':
      case '#':
      case '_':
        citeconv_buf_addc(out, '\\');
        citeconv_buf_addc(out, (char)c);
        break;
      case '{':
        /* BibTeX counts "\{" as a brace too: keep values balanced */
        citeconv_buf_adds(out, "\\textbraceleft{}");
        break;
      case '}':
        citeconv_buf_adds(out, "\\textbraceright{}");
        break;
      case '~':
        citeconv_buf_adds(out, "\\textasciitilde{}");
        break;
      case '^':
        citeconv_buf_adds(out, "\\textasciicircum{}");
        break;
      case '\\':
        citeconv_buf_adds(out, "\\textbackslash{}");
        break;
      case '>':
        citeconv_buf_adds(out, "\\textgreater{}");
        break;
      case '\'':
        /* read back as ' only where quotes are not converted */
        citeconv_buf_adds(out, quotes ? "\\textquotesingle{}" : "'");
        break;
      case '`':
        citeconv_buf_adds(out, quotes ? "\\textasciigrave{}" : "`");
        break;
      case '-':
        citeconv_buf_addc(out, '-');
        if (i + 1 < n && s[i + 1] == '-')
          citeconv_buf_adds(out, "{}");
        break;
      case '\n':
      case '\r':
      case '\t':
        citeconv_buf_addc(out, ' ');
        break;
      default:
        citeconv_buf_addc(out, (char)c);
      }
      i++;
      continue;
    }
    {
      size_t adv;
      long cp = citeconv_utf8_decode((const unsigned char *)s + i, n - i, &adv);
      bool done = false;
      if (cp < 0) {
        citeconv_buf_add_cp(out, 0xFFFD);
        i += adv;
        continue;
      }
      if (cp == 0xA0) {
        citeconv_buf_addc(out, '~');
        done = true;
      } else if (ascii && cache && !(cp >= 0x2018 && cp <= 0x201D)) {
        /* (the quotes depend on `quotes`: not cached) */
        done = cached_to_latex(cache, out, (unsigned)cp, s + i, adv);
      } else if (ascii) {
        done = cp_to_latex(out, (unsigned)cp, s + i, adv, quotes);
      } else if (!quotes && cp >= 0x2018 && cp <= 0x201D) {
        done = false; /* UTF-8 as it is */
      } else if (cp == 0x2009) {
        citeconv_buf_adds(out, "\\,");
        done = true;
      }
      if (!done) {
        if (ascii && unmapped)
          (*unmapped)++;
        citeconv_buf_add(out, s + i, adv);
      }
      i += adv;
    }
  }
  while (open-- > 0) {
    citeconv_buf_addc(out, '}');
    if (open < 64 && (dbl >> open) & 1)
      citeconv_buf_addc(out, '}');
  }
  return out->overflow ? CITECONV_ELIMIT : 0;
}

int citeconv_bibtex_text_to_latex(citeconv_buf *out, const char *s, size_t n,
                                  bool ascii, bool quotes, size_t *unmapped,
                                  citeconv_latex_cache *cache)
{
  /* Most values (names above all) are one run of bytes that stand for
   * themselves, or start with one: that run is copied here, and only
   * the rest goes through the conversion's loop. Nothing in that loop
   * looks back, so it may start where the run ends. */
  size_t j = 0;
  if (n > 0 && !latex_special[(unsigned char)s[0]])
    j = latex_run((const unsigned char *)s, 1, n);
  if (j > 0)
    citeconv_buf_add(out, s, j);
  if (j == n)
    return out->overflow ? CITECONV_ELIMIT : 0;
  return text_to_latex_rest(out, s + j, n - j, ascii, quotes, unmapped,
                            cache);
}
