/* libxml2 set-up shared by the XML readers: a text reader and a SAX
 * splitter with no network, no DTD, no entity substitution and a depth
 * limit; errors turned into diagnostics; iterative subtree walks; mixed
 * content to record markup. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "text.h"
#include "xml.h"

/* Errors reported per input; the rest are counted but not printed. */
#define MAX_REPORTED_ERRORS 20

/* An element of a split tree: a libxml2 node and where its tag starts. */
typedef struct {
  xmlNode node;
  uint32_t line, col;
} pos_node;

/* _private of the nodes built here: elements are pos_nodes (see
 * citeconv_xml_node_pos), text nodes keep their length in psvi. */
static const char built_here = 0;

static int read_cb(void *ctx, char *buf, int len)
{
  citeconv_input *in = ctx;
  long n;
  if (len <= 0)
    return 0;
  n = citeconv_input_read(in, buf, (size_t)len);
  return n < 0 ? -1 : (int)n;
}

static int close_cb(void *ctx)
{
  (void)ctx; /* the input belongs to the caller */
  return 0;
}

/* A libxml2 error as a positioned diagnostic of reader `r`, for the
 * record `ahead` records after the next one; `nerrors` counts them, the
 * first MAX_REPORTED_ERRORS are printed. */
#if LIBXML_VERSION >= 21200
static void report_error(citeconv_reader *r, size_t *nerrors, size_t ahead,
                         const xmlError *err)
#else
static void report_error(citeconv_reader *r, size_t *nerrors, size_t ahead,
                         xmlErrorPtr err)
#endif
{
  citeconv_pos pos = {0, 0};
  size_t len;
  citeconv_severity sev;
  if (!err || !err->message)
    return;
  sev = err->level == XML_ERR_WARNING ? CITECONV_SEV_WARNING
                                      : CITECONV_SEV_ERROR;
  /* With XML_PARSE_RECOVER the parser goes on after most errors; the
   * reader stops when the parser says it cannot. */
  if ((*nerrors)++ >= MAX_REPORTED_ERRORS)
    return;
  if (err->line > 0)
    pos.line = (uint32_t)err->line;
  if (err->int2 > 0)
    pos.col = (uint32_t)err->int2;
  len = strlen(err->message);
  while (len > 0 && (err->message[len - 1] == '\n' ||
                     err->message[len - 1] == ' '))
    len--;
  /* libxml2 capitalises some messages; ours start in lower case. */
  citeconv_diag_emit_sev(r->session, r->file, &pos, r->nrecords + 1 + ahead,
                         CITECONV_D_SYNTAX, sev, "XML: %.*s", (int)len,
                         err->message);
}

#if LIBXML_VERSION >= 21200
static void error_cb(void *payload, const xmlError *err)
#else
static void error_cb(void *payload, xmlErrorPtr err)
#endif
{
  citeconv_xml *x = payload;
  report_error(x->owner, &x->nerrors, 0, err);
}

int citeconv_xml_open(citeconv_xml *x, citeconv_reader *owner)
{
  /* No XML_PARSE_NOENT (entities stay references), no DTDLOAD/DTDATTR/
   * DTDVALID (nothing external is read), NONET, no HUGE (libxml2 keeps
   * its limits on text size and entity amplification). RECOVER: after a
   * well-formedness error the nodes parsed so far (and what libxml2 can
   * make of the rest) are still handed out; every error is reported. */
  int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES |
                XML_PARSE_RECOVER;
  memset(x, 0, sizeof(*x));
  x->owner = owner;
  x->max_depth = citeconv_session_option_size(owner->session, "max-depth");
  x->reader = xmlReaderForIO(read_cb, close_cb, owner->in, NULL, NULL,
                             options);
  if (!x->reader)
    return CITECONV_ENOMEM;
  xmlTextReaderSetStructuredErrorHandler(x->reader, error_cb, x);
  return 0;
}

void citeconv_xml_close(citeconv_xml *x)
{
  if (x && x->reader) {
    xmlFreeTextReader(x->reader);
    x->reader = NULL;
  }
}

static int fail(citeconv_xml *x)
{
  citeconv_pos pos;
  if (!x->failed && x->nerrors == 0) {
    pos = citeconv_xml_reader_pos(x);
    citeconv_reader_diag(x->owner, &pos, CITECONV_D_SYNTAX,
                         "XML: the parser stopped here");
  }
  x->failed = true;
  return CITECONV_EPARSE;
}

int citeconv_xml_next_element(citeconv_xml *x, int *depth)
{
  if (x->failed)
    return CITECONV_EPARSE;
  for (;;) {
    int rc;
    if (x->pending) {
      x->pending = false;
      rc = 1;
    } else {
      rc = xmlTextReaderRead(x->reader);
    }
    if (rc == 0)
      return x->failed ? CITECONV_EPARSE : 0;
    if (rc < 0 || x->failed)
      return fail(x);
    if (xmlTextReaderNodeType(x->reader) != XML_READER_TYPE_ELEMENT)
      continue;
    *depth = xmlTextReaderDepth(x->reader);
    if (*depth >= 0 && (size_t)*depth >= x->max_depth) {
      citeconv_pos pos = citeconv_xml_reader_pos(x);
      citeconv_reader_diag(x->owner, &pos, CITECONV_D_LIMIT,
                           "XML elements nested deeper than max-depth %zu",
                           x->max_depth);
      x->failed = true;
      return CITECONV_EPARSE;
    }
    return 1;
  }
}

int citeconv_xml_skip(citeconv_xml *x)
{
  int rc;
  if (x->failed)
    return CITECONV_EPARSE;
  rc = xmlTextReaderNext(x->reader);
  if (rc < 0 || x->failed)
    return fail(x);
  if (rc == 0)
    return 0;
  x->pending = true; /* the reader stands on a node not yet looked at */
  return 1;
}

const char *citeconv_xml_name(citeconv_xml *x)
{
  const xmlChar *n = xmlTextReaderConstLocalName(x->reader);
  return n ? (const char *)n : "";
}

citeconv_pos citeconv_xml_reader_pos(citeconv_xml *x)
{
  citeconv_pos pos = {0, 0};
  xmlNode *node = xmlTextReaderCurrentNode(x->reader);
  int line, col;
  /* The node's own line where libxml2 kept it; the parser reads ahead,
   * so its position is only a fallback. */
  if (node && node->type == XML_ELEMENT_NODE && node->line > 0 &&
      node->line < 65535) {
    pos.line = node->line;
    return pos;
  }
  line = xmlTextReaderGetParserLineNumber(x->reader);
  col = xmlTextReaderGetParserColumnNumber(x->reader);
  if (line > 0)
    pos.line = (uint32_t)line;
  if (col > 0)
    pos.col = (uint32_t)col;
  return pos;
}

xmlNode *citeconv_xml_expand(citeconv_xml *x)
{
  xmlNode *n;
  if (x->failed)
    return NULL;
  n = xmlTextReaderExpand(x->reader);
  if (!n) {
    /* The parser failed while reading ahead (often at the very end of a
     * damaged input). What it built of this element is still in the
     * tree: hand it out (the error is reported), then stop. */
    n = xmlTextReaderCurrentNode(x->reader);
    fail(x);
  }
  return n;
}

citeconv_pos citeconv_xml_node_pos(const xmlNode *n)
{
  citeconv_pos pos = {0, 0};
  long line;
  if (!n)
    return pos;
  if (n->type == XML_ELEMENT_NODE && n->_private == &built_here) {
    const pos_node *pn = (const pos_node *)n;
    pos.line = pn->line;
    pos.col = pn->col;
    return pos;
  }
  line = xmlGetLineNo(n);
  if (line >= 65535 && n->type == XML_ELEMENT_NODE) {
    /* Element lines stop at 65535; text nodes keep the real one. */
    for (const xmlNode *c = n->children; c; c = c->next)
      if (c->type == XML_TEXT_NODE) {
        long l = xmlGetLineNo(c);
        if (l > 0)
          line = l;
        break;
      }
  }
  if (line > 0)
    pos.line = (uint32_t)line;
  return pos;
}

bool citeconv_xml_is(const xmlNode *n, const char *name)
{
  /* The first byte decides most comparisons without a call. */
  return n && n->type == XML_ELEMENT_NODE && n->name[0] == (xmlChar)name[0] &&
         strcmp((const char *)n->name, name) == 0;
}

static xmlNode *find_from(xmlNode *c, const char *name)
{
  for (; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE &&
        (!name || (c->name[0] == (xmlChar)name[0] &&
                   strcmp((const char *)c->name, name) == 0)))
      return c;
  return NULL;
}

xmlNode *citeconv_xml_child(const xmlNode *n, const char *name)
{
  return n ? find_from(n->children, name) : NULL;
}

xmlNode *citeconv_xml_next(const xmlNode *n, const char *name)
{
  return n ? find_from(n->next, name) : NULL;
}

const char *citeconv_xml_attr(const xmlNode *n, const char *name)
{
  for (const xmlAttr *a = n ? n->properties : NULL; a; a = a->next)
    if (strcmp((const char *)a->name, name) == 0) {
      const xmlNode *t = a->children;
      if (t && t->type == XML_TEXT_NODE && !t->next && t->content)
        return (const char *)t->content;
      return "";
    }
  return NULL;
}

xmlNode *citeconv_xml_walk(const xmlNode *root, const xmlNode *cur,
                           bool skip_children)
{
  if (!skip_children && cur->type == XML_ELEMENT_NODE && cur->children)
    return cur->children;
  while (cur && cur != root) {
    if (cur->next)
      return cur->next;
    cur = cur->parent;
  }
  return NULL;
}

/* The record markup tag for an element, or NULL to keep only its text. */
static const char *markup_tag(const xmlNode *n)
{
  static const struct {
    const char *xml, *tag;
  } map[] = {{"i", "i"},     {"italic", "i"}, {"b", "b"},
             {"bold", "b"},  {"sup", "sup"},  {"sub", "sub"}};
  for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
    if (strcmp((const char *)n->name, map[i].xml) == 0)
      return map[i].tag;
  return NULL;
}

static void report_entity(citeconv_xml *x, const xmlNode *n)
{
  citeconv_pos pos;
  if (!x || x->entity_reported)
    return;
  x->entity_reported = true;
  pos = citeconv_xml_node_pos(n);
  citeconv_reader_diag(x->owner, &pos, CITECONV_D_BAD_VALUE,
                       "entity reference '&%s;' is not expanded; it was "
                       "left out",
                       (const char *)n->name);
}

/* Append s[0..n) with white space squeezed, as citeconv_text_squeeze:
 * text between irregular white space (two or more, or any but a space) is
 * copied whole. */
static int squeeze(citeconv_buf *out, const char *s, size_t n)
{
  size_t i = 0, start;
  int rc = 0;
  while (i < n && citeconv_is_space((unsigned char)s[i]))
    i++;
  while (n > i && citeconv_is_space((unsigned char)s[n - 1]))
    n--;
  start = i;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c > ' ' || !citeconv_is_space(c) ||
        (c == ' ' && !citeconv_is_space((unsigned char)s[i + 1]))) {
      i++; /* a single space is kept as it is; s[i + 1] is inside */
      continue;
    }
    if ((rc = citeconv_buf_add(out, s + start, i - start)) < 0 ||
        (rc = citeconv_buf_addc(out, ' ')) < 0)
      return rc;
    while (citeconv_is_space((unsigned char)s[i]))
      i++; /* stops inside: the end was trimmed */
    start = i;
  }
  return citeconv_buf_add(out, s + start, n - start);
}

/* PRE NAME POST: a tag or an entity reference, without printf. */
static int put_name(citeconv_buf *out, const char *pre, const char *name,
                    const char *post)
{
  int rc = citeconv_buf_adds(out, pre);
  if (rc == 0)
    rc = citeconv_buf_adds(out, name);
  if (rc == 0)
    rc = citeconv_buf_adds(out, post);
  return rc;
}

/* Shared walk of citeconv_xml_text and citeconv_xml_markup. */
static int collect(citeconv_buf *out, const xmlNode *n, citeconv_xml *x,
                   bool markup)
{
  citeconv_buf tmp = CITECONV_BUF_INIT;
  const xmlNode *cur = n ? n->children : NULL;
  int rc = 0;
  if (cur && !cur->next && cur->type == XML_TEXT_NODE) {
    /* Plain text, the common case: no copy before squeezing. */
    if (!cur->content)
      return 0;
    return squeeze(out, (const char *)cur->content,
                   cur->_private == &built_here
                       ? (size_t)(uintptr_t)cur->psvi
                       : strlen((const char *)cur->content));
  }
  tmp.max = out->max;
  while (cur && rc == 0) {
    bool descend = false;
    const char *tag;
    if (cur->type == XML_ELEMENT_NODE) {
      tag = markup ? markup_tag(cur) : NULL;
      if (tag)
        rc = put_name(&tmp, "<", tag, ">");
      if (cur->children)
        descend = true;
      else if (tag && rc == 0)
        rc = put_name(&tmp, "</", tag, ">");
    } else if (cur->type == XML_TEXT_NODE ||
               cur->type == XML_CDATA_SECTION_NODE) {
      if (cur->content)
        rc = citeconv_buf_adds(&tmp, (const char *)cur->content);
    } else if (cur->type == XML_ENTITY_REF_NODE) {
      report_entity(x, cur);
    }
    if (descend) {
      cur = cur->children;
      continue;
    }
    while (cur != n && !cur->next && rc == 0) {
      cur = cur->parent;
      if (cur == n)
        break;
      tag = markup ? markup_tag(cur) : NULL;
      if (tag)
        rc = put_name(&tmp, "</", tag, ">");
    }
    cur = cur == n ? NULL : cur->next;
  }
  if (rc == 0 && tmp.len)
    rc = squeeze(out, tmp.data, tmp.len);
  citeconv_buf_free(&tmp);
  return rc;
}

int citeconv_xml_text(citeconv_buf *out, const xmlNode *n)
{
  return collect(out, n, NULL, false);
}

int citeconv_xml_markup(citeconv_buf *out, const xmlNode *n,
                        citeconv_xml *x)
{
  return collect(out, n, x, true);
}

/* ---- splitting a document into item trees (SAX, arena) ---- */


/* Input taken per call of the parser: small enough that the trees it
 * completes stay few. */
#define SPLIT_CHUNK 16384

static void split_nomem(citeconv_xml_split *x)
{
  x->nomem = true;
  xmlStopParser(x->ctxt);
}

#if LIBXML_VERSION >= 21200
static void split_error_cb(void *payload, const xmlError *err)
#else
static void split_error_cb(void *payload, xmlErrorPtr err)
#endif
{
  xmlParserCtxtPtr ctxt = payload;
  citeconv_xml_split *x = ctxt ? ctxt->_private : NULL;
  if (!x)
    return;
  if (err && err->code == XML_ERR_DOCUMENT_END && !x->started) {
    /* libxml2 says "Extra content at the end of the document" for an
     * input with no element. */
    citeconv_pos pos = {err->line > 0 ? (uint32_t)err->line : 0,
                        err->int2 > 0 ? (uint32_t)err->int2 : 0};
    if (x->nerrors++ < MAX_REPORTED_ERRORS)
      citeconv_reader_diag(x->owner, &pos, CITECONV_D_SYNTAX,
                           "XML: no element in the input (empty, or not "
                           "XML)");
  } else if (err && err->code == XML_ERR_DOCUMENT_END && x->eof_pushed &&
             x->depth > 0 && ctxt->name) {
    /* libxml2 says "Extra content at the end of the document" when the
     * input stops inside an element. */
    citeconv_pos pos = {err->line > 0 ? (uint32_t)err->line : 0,
                        err->int2 > 0 ? (uint32_t)err->int2 : 0};
    if (x->nerrors++ < MAX_REPORTED_ERRORS)
      citeconv_reader_diag(x->owner, &pos, CITECONV_D_SYNTAX,
                           "XML: the input ends inside <%s>, before its "
                           "end tag",
                           (const char *)ctxt->name);
  } else {
    /* The articles parsed but not yet handed out come first. */
    report_error(x->owner, &x->nerrors, x->nqueued, err);
  }
  if (x->tree && err && err->level != XML_ERR_WARNING)
    x->tree_err = true; /* the item being built is damaged */
}

/* Where the start tag the parser has just read begins. The parser stands
 * at its end ('>' or "/>"); the whole tag is in the input buffer (a push
 * parser only reads a tag once all of it is there, and only drops input
 * between tokens), so the '<' is found by going back. */
static citeconv_pos tag_pos(xmlParserCtxtPtr ctxt)
{
  xmlParserInputPtr in = ctxt->input;
  citeconv_pos pos = {0, 0};
  const xmlChar *lt = NULL, *p;
  size_t chars = 1; /* the '<' counts */
  uint32_t nl = 0;
  if (!in || !in->cur || !in->base || in->cur <= in->base || in->line <= 0)
    return pos;
  pos.line = (uint32_t)in->line;
  /* Back to the '<', counting characters (not UTF-8 continuation
   * bytes) and line ends on the way. */
  for (p = in->cur; p > in->base;) {
    p--;
    if (*p == '<') {
      lt = p;
      break;
    }
    if (*p == '\n')
      nl++;
    if ((*p & 0xC0) != 0x80)
      chars++;
  }
  if (!lt)
    return pos;
  if (nl >= pos.line)
    return pos;
  pos.line -= nl;
  if (nl == 0) {
    if (in->col > 0 && (size_t)in->col > chars)
      pos.col = (uint32_t)((size_t)in->col - chars);
  } else {
    /* The tag runs over lines: count back from '<' to its line start. */
    const xmlChar *q = lt;
    while (q > in->base && q[-1] != '\n')
      q--;
    if (q > in->base)
      pos.col = (uint32_t)citeconv_utf8_count((const char *)q,
                                              (size_t)(lt - q)) + 1;
  }
  return pos;
}

static void append_child(xmlNode *parent, xmlNode *c)
{
  c->parent = parent;
  if (!parent->children) {
    parent->children = parent->last = c;
  } else {
    parent->last->next = c;
    c->prev = parent->last;
    parent->last = c;
  }
}

/* Count `n` more bytes in the current tree; false (reported once, the
 * tree dropped at its end) past max_bytes. */
static bool tree_room(citeconv_xml_split *x, size_t n)
{
  if (x->tree_over)
    return false;
  if (n > x->max_bytes || x->tree_bytes > x->max_bytes - n) {
    x->tree_over = true;
    return false;
  }
  x->tree_bytes += n;
  return true;
}

/* The text gathered since the last tag becomes a text node. */
static void flush_text(citeconv_xml_split *x)
{
  xmlNode *t;
  if (!x->text.len)
    return;
  if (x->cur && tree_room(x, x->text.len)) {
    t = citeconv_arena_alloc(&x->tree->arena, sizeof(*t));
    if (!t || !(t->content = (xmlChar *)citeconv_arena_strndup(
                    &x->tree->arena, x->text.data, x->text.len))) {
      split_nomem(x);
    } else {
      t->type = XML_TEXT_NODE;
      t->name = xmlStringText;
      t->_private = (void *)&built_here;
      t->psvi = (void *)(uintptr_t)x->text.len; /* its length */
      append_child(x->cur, t);
    }
  }
  citeconv_buf_clear(&x->text);
}

static void finish_tree(citeconv_xml_split *x, bool cut)
{
  citeconv_xml_tree *t = x->tree;
  x->tree = NULL;
  x->cur = NULL;
  if (!t)
    return;
  if (x->tree_over || !t->root) {
    if (x->tree_over && t->root) {
      citeconv_pos pos = citeconv_xml_node_pos(t->root);
      citeconv_reader_diag(x->owner, &pos, CITECONV_D_LIMIT,
                           "<%s> is larger than max-record-bytes; skipped",
                           (const char *)t->root->name);
    }
    x->tree_over = false;
    citeconv_xml_tree_free(t);
    return;
  }
  t->cut = cut;
  t->damaged = x->tree_err;
  x->tree_err = false;
  x->nqueued++;
  if (x->tail)
    x->tail->next = t;
  else
    x->head = t;
  x->tail = t;
}

/* "&#38;" stands for '&' in attribute values that held a reference (see
 * libxml2's xmlParseAttValueComplex); other entity references there are
 * not expanded and are left out. */
static char *attr_value(citeconv_arena *a, const xmlChar *v,
                        const xmlChar *end)
{
  size_t n = (size_t)(end - v), o = 0;
  char *s;
  if (*end != 0 || !memchr(v, '&', n))
    return citeconv_arena_strndup(a, (const char *)v, n);
  if (!(s = citeconv_arena_alloc(a, n + 1)))
    return NULL;
  for (size_t i = 0; i < n;) {
    if (v[i] == '&') {
      const xmlChar *semi = memchr(v + i, ';', n - i);
      if (semi && semi - (v + i) == 4 && memcmp(v + i, "&#38;", 5) == 0)
        s[o++] = '&';
      i = semi ? (size_t)(semi - v) + 1 : n;
      continue;
    }
    s[o++] = (char)v[i++];
  }
  s[o] = '\0';
  return s;
}

static void sax_start(void *ctx, const xmlChar *localname,
                      const xmlChar *prefix, const xmlChar *uri, int nb_ns,
                      const xmlChar **namespaces, int nb_attributes,
                      int nb_defaulted, const xmlChar **attributes)
{
  xmlParserCtxtPtr ctxt = ctx;
  citeconv_xml_split *x = ctxt->_private;
  size_t d;
  pos_node *pn;
  xmlAttr *last = NULL;
  (void)prefix;
  (void)uri;
  (void)nb_ns;
  (void)namespaces;
  (void)nb_defaulted;
  if (!x || ctxt != x->ctxt)
    return; /* libxml2 checking an entity's content: not the document */
  d = x->depth++;
  if (d >= x->max_depth) {
    citeconv_pos pos = tag_pos(ctxt);
    citeconv_reader_diag(x->owner, &pos, CITECONV_D_LIMIT,
                         "XML elements nested deeper than max-depth %zu",
                         x->max_depth);
    x->failed = true;
    xmlStopParser(ctxt);
    return;
  }
  if (d == 0 && !x->started) {
    x->started = true;
    x->root_pos = tag_pos(ctxt);
    snprintf(x->root_name, sizeof(x->root_name), "%s",
             (const char *)localname);
    if (x->is_set((const char *)localname)) {
      x->item_depth = 1;
      return;
    }
    if (!x->is_item((const char *)localname)) {
      x->root_bad = true;
      xmlStopParser(ctxt);
      return;
    }
    x->item_depth = 0;
  }
  if (x->item_depth < 0 || d < (size_t)x->item_depth)
    return;
  flush_text(x);
  if (d == (size_t)x->item_depth) {
    x->tree = calloc(1, sizeof(*x->tree));
    if (!x->tree) {
      split_nomem(x);
      return;
    }
    citeconv_arena_init(&x->tree->arena);
    x->tree_bytes = 0;
    x->tree_over = false;
    x->tree_err = false;
  }
  if (!x->tree || !tree_room(x, 64))
    return;
  pn = citeconv_arena_alloc(&x->tree->arena, sizeof(*pn));
  if (!pn) {
    split_nomem(x);
    return;
  }
  {
    citeconv_pos pos = tag_pos(ctxt);
    pn->line = pos.line;
    pn->col = pos.col;
  }
  pn->node.type = XML_ELEMENT_NODE;
  pn->node.name = localname; /* interned: lives as long as the parser */
  pn->node._private = (void *)&built_here;
  pn->node.line = pn->line < 65535 ? (unsigned short)pn->line : 65535;
  for (int i = 0; i < nb_attributes; i++) {
    const xmlChar **a = attributes + 5 * i;
    xmlAttr *at;
    xmlNode *t;
    if (!tree_room(x, (size_t)(a[4] - a[3]) + 64))
      return;
    at = citeconv_arena_alloc(&x->tree->arena, sizeof(*at));
    t = citeconv_arena_alloc(&x->tree->arena, sizeof(*t));
    if (!at || !t ||
        !(t->content = (xmlChar *)attr_value(&x->tree->arena, a[3], a[4]))) {
      split_nomem(x);
      return;
    }
    at->type = XML_ATTRIBUTE_NODE;
    at->name = a[0];
    at->parent = &pn->node;
    at->children = at->last = t;
    t->type = XML_TEXT_NODE;
    t->name = xmlStringText;
    t->parent = (xmlNode *)at;
    if (last) {
      last->next = at;
      at->prev = last;
    } else {
      pn->node.properties = at;
    }
    last = at;
  }
  if (x->cur)
    append_child(x->cur, &pn->node);
  else
    x->tree->root = &pn->node;
  x->cur = &pn->node;
}

static void sax_end(void *ctx, const xmlChar *localname,
                    const xmlChar *prefix, const xmlChar *uri)
{
  xmlParserCtxtPtr ctxt = ctx;
  citeconv_xml_split *x = ctxt->_private;
  (void)localname;
  (void)prefix;
  (void)uri;
  if (!x || ctxt != x->ctxt || x->depth == 0)
    return;
  x->depth--;
  if (x->item_depth < 0 || x->depth < (size_t)x->item_depth || !x->tree)
    return;
  flush_text(x);
  if (x->depth == (size_t)x->item_depth)
    finish_tree(x, false);
  else if (!x->tree_over && x->cur && x->cur->parent)
    x->cur = x->cur->parent;
}

static void sax_text(void *ctx, const xmlChar *ch, int len)
{
  xmlParserCtxtPtr ctxt = ctx;
  citeconv_xml_split *x = ctxt->_private;
  if (!x || ctxt != x->ctxt || !x->cur || x->tree_over || len <= 0)
    return;
  if (x->text.len + (size_t)len > XML_MAX_TEXT_LENGTH) {
    /* libxml2's own tree builder refuses such text without
     * XML_PARSE_HUGE; so do we. */
    citeconv_pos pos = {(uint32_t)xmlSAX2GetLineNumber(ctxt),
                        (uint32_t)xmlSAX2GetColumnNumber(ctxt)};
    if (x->nerrors++ < MAX_REPORTED_ERRORS)
      citeconv_reader_diag(x->owner, &pos, CITECONV_D_SYNTAX,
                           "XML: text in <%s> longer than %d bytes; the "
                           "parser stops",
                           (const char *)x->cur->name, XML_MAX_TEXT_LENGTH);
    x->tree_err = true;
    x->failed = true;
    xmlStopParser(ctxt);
    return;
  }
  if (citeconv_buf_add(&x->text, (const char *)ch, (size_t)len) < 0)
    split_nomem(x);
}

static void sax_reference(void *ctx, const xmlChar *name)
{
  xmlParserCtxtPtr ctxt = ctx;
  citeconv_xml_split *x = ctxt->_private;
  xmlNode *r;
  if (!x || ctxt != x->ctxt || !x->cur || !tree_room(x, 64))
    return;
  flush_text(x);
  r = citeconv_arena_alloc(&x->tree->arena, sizeof(*r));
  if (!r || !(r->name = (xmlChar *)citeconv_arena_strndup(
                  &x->tree->arena, (const char *)name,
                  strlen((const char *)name)))) {
    split_nomem(x);
    return;
  }
  r->type = XML_ENTITY_REF_NODE;
  append_child(x->cur, r);
}

int citeconv_xml_split_open(citeconv_xml_split *x, citeconv_reader *owner,
                            bool (*is_set)(const char *name),
                            bool (*is_item)(const char *name))
{
  xmlSAXHandler sax;
  /* The options of citeconv_xml_open; see there. */
  int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES |
                XML_PARSE_RECOVER;
  memset(x, 0, sizeof(*x));
  x->owner = owner;
  x->is_set = is_set;
  x->is_item = is_item;
  x->item_depth = -1;
  x->max_depth = citeconv_session_option_size(owner->session, "max-depth");
  x->max_bytes =
      citeconv_session_option_size(owner->session, "max-record-bytes");
  /* libxml2's own handlers keep the DTD's internal subset (entity
   * declarations) in a small document; the content goes to ours. */
  memset(&sax, 0, sizeof(sax));
  xmlSAXVersion(&sax, 2);
  sax.startElementNs = sax_start;
  sax.endElementNs = sax_end;
  sax.characters = sax_text;
  sax.ignorableWhitespace = sax_text;
  sax.cdataBlock = sax_text;
  sax.reference = sax_reference;
  sax.comment = NULL;
  sax.processingInstruction = NULL;
  sax.serror = split_error_cb;
  sax.error = NULL;
  sax.warning = NULL;
  x->ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, NULL);
  if (!x->ctxt)
    return CITECONV_ENOMEM;
  x->ctxt->_private = x;
  xmlCtxtUseOptions(x->ctxt, options);
  return 0;
}

int citeconv_xml_split_next(citeconv_xml_split *x, citeconv_xml_tree **out)
{
  char chunk[SPLIT_CHUNK];
  *out = NULL;
  for (;;) {
    long n;
    if (x->nomem)
      return CITECONV_ENOMEM;
    if (x->head) {
      *out = x->head;
      x->nqueued--;
      x->head = x->head->next;
      if (!x->head)
        x->tail = NULL;
      (*out)->next = NULL;
      return 1;
    }
    if (x->eof || !x->ctxt)
      return 0;
    n = citeconv_input_read(x->owner->in, chunk, sizeof(chunk));
    if (n < 0) {
      citeconv_pos pos = {0, 0};
      citeconv_reader_diag(x->owner, &pos, CITECONV_D_SYNTAX,
                           "XML: the input could not be read to its end");
      n = 0;
    }
    x->eof_pushed = n == 0;
    xmlParseChunk(x->ctxt, chunk, (int)n, n == 0);
    if (n == 0 || x->ctxt->instate == XML_PARSER_EOF) {
      /* The end, or the parser stopped (a fatal error, the depth limit,
       * a wrong root): what was read of an open item is kept. */
      x->eof = true;
      if (n > 0 && !x->root_bad && !x->failed && !x->nomem &&
          x->nerrors == 0) {
        citeconv_pos pos = {(uint32_t)xmlSAX2GetLineNumber(x->ctxt),
                            (uint32_t)xmlSAX2GetColumnNumber(x->ctxt)};
        citeconv_reader_diag(x->owner, &pos, CITECONV_D_SYNTAX,
                             "XML: the parser stopped here");
      }
      flush_text(x);
      if (x->tree)
        finish_tree(x, true);
    }
  }
}

void citeconv_xml_tree_free(citeconv_xml_tree *t)
{
  if (!t)
    return;
  citeconv_arena_free(&t->arena);
  free(t);
}

void citeconv_xml_split_close(citeconv_xml_split *x)
{
  citeconv_xml_tree *t, *next;
  if (!x)
    return;
  for (t = x->head; t; t = next) {
    next = t->next;
    citeconv_xml_tree_free(t);
  }
  x->head = x->tail = NULL;
  citeconv_xml_tree_free(x->tree);
  x->tree = NULL;
  citeconv_buf_free(&x->text);
  if (x->ctxt) {
    if (x->ctxt->myDoc)
      xmlFreeDoc(x->ctxt->myDoc);
    x->ctxt->myDoc = NULL;
    xmlFreeParserCtxt(x->ctxt);
    x->ctxt = NULL;
  }
}

/* Append s with the characters XML text (attr: attribute values) cannot
 * hold escaped, as libxml2's serialiser escapes them. */
static int escape(citeconv_buf *out, const char *s, bool attr)
{
  int rc = 0;
  while (*s && rc == 0) {
    const char *run = s, *rep = NULL;
    while (*s) {
      switch (*s) {
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '&': rep = "&amp;"; break;
      case '\r': rep = "&#13;"; break;
      case '"': rep = attr ? "&quot;" : NULL; break;
      case '\n': rep = attr ? "&#10;" : NULL; break;
      case '\t': rep = attr ? "&#9;" : NULL; break;
      default: break;
      }
      if (rep)
        break;
      s++;
    }
    if (s > run)
      rc = citeconv_buf_add(out, run, (size_t)(s - run));
    if (rc == 0 && rep) {
      rc = citeconv_buf_adds(out, rep);
      s++;
    }
  }
  return rc;
}

static int dump_open(citeconv_buf *out, const xmlNode *n)
{
  int rc = put_name(out, "<", (const char *)n->name, "");
  for (const xmlAttr *a = n->properties; a && rc == 0; a = a->next) {
    rc = put_name(out, " ", (const char *)a->name, "=\"");
    for (const xmlNode *t = a->children; t && rc == 0; t = t->next)
      if (t->content)
        rc = escape(out, (const char *)t->content, true);
    if (rc == 0)
      rc = citeconv_buf_addc(out, '"');
  }
  if (rc == 0)
    rc = citeconv_buf_adds(out, n->children ? ">" : "/>");
  return rc;
}

int citeconv_xml_dump(citeconv_buf *out, const xmlNode *n)
{
  const xmlNode *cur = n;
  int rc = 0;
  while (cur && rc == 0) {
    bool descend = false;
    if (cur->type == XML_ELEMENT_NODE) {
      rc = dump_open(out, cur);
      descend = cur->children != NULL;
    } else if (cur->type == XML_TEXT_NODE && cur->content) {
      rc = escape(out, (const char *)cur->content, false);
    } else if (cur->type == XML_ENTITY_REF_NODE) {
      rc = put_name(out, "&", (const char *)cur->name, ";");
    }
    if (descend) {
      cur = cur->children;
      continue;
    }
    /* Close the elements this node ends. */
    while (cur != n && !cur->next && rc == 0) {
      cur = cur->parent;
      rc = put_name(out, "</", (const char *)cur->name, ">");
    }
    cur = cur == n ? NULL : cur->next;
  }
  return rc;
}
