/* libxml2 set-up shared by the XML readers: a text reader with no network,
 * no DTD, no entity substitution and a depth limit; errors turned into
 * diagnostics; iterative subtree walks; mixed content to record markup. */
#include <string.h>

#include "text.h"
#include "xml.h"

/* Errors reported per input; the rest are counted but not printed. */
#define MAX_REPORTED_ERRORS 20

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

#if LIBXML_VERSION >= 21200
static void error_cb(void *payload, const xmlError *err)
#else
static void error_cb(void *payload, xmlErrorPtr err)
#endif
{
  citeconv_xml *x = payload;
  citeconv_reader *r = x->owner;
  citeconv_pos pos = {0, 0};
  size_t len;
  citeconv_severity sev;
  if (!err || !err->message)
    return;
  sev = err->level == XML_ERR_WARNING ? CITECONV_SEV_WARNING
                                      : CITECONV_SEV_ERROR;
  /* With XML_PARSE_RECOVER the parser goes on after most errors; the
   * reader stops when xmlTextReaderRead says it cannot. */
  if (x->nerrors++ >= MAX_REPORTED_ERRORS)
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
  citeconv_diag_emit_sev(r->session, r->file, &pos, r->nrecords + 1,
                         CITECONV_D_SYNTAX, sev, "XML: %.*s", (int)len,
                         err->message);
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
  return n && n->type == XML_ELEMENT_NODE &&
         strcmp((const char *)n->name, name) == 0;
}

static xmlNode *find_from(xmlNode *c, const char *name)
{
  for (; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE &&
        (!name || strcmp((const char *)c->name, name) == 0))
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

/* Shared walk of citeconv_xml_text and citeconv_xml_markup. */
static int collect(citeconv_buf *out, const xmlNode *n, citeconv_xml *x,
                   bool markup)
{
  citeconv_buf tmp = CITECONV_BUF_INIT;
  const xmlNode *cur = n ? n->children : NULL;
  int rc = 0;
  tmp.max = out->max;
  while (cur && rc == 0) {
    bool descend = false;
    const char *tag;
    if (cur->type == XML_ELEMENT_NODE) {
      tag = markup ? markup_tag(cur) : NULL;
      if (tag)
        rc = citeconv_buf_printf(&tmp, "<%s>", tag);
      if (cur->children)
        descend = true;
      else if (tag && rc == 0)
        rc = citeconv_buf_printf(&tmp, "</%s>", tag);
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
        rc = citeconv_buf_printf(&tmp, "</%s>", tag);
    }
    cur = cur == n ? NULL : cur->next;
  }
  if (rc == 0 && tmp.len)
    rc = citeconv_text_squeeze(out, tmp.data, tmp.len);
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
