/* Shared libxml2 plumbing for the XML readers (PubMed XML, JATS): a safe
 * streaming text reader over a citeconv_input, subtree expansion, a SAX
 * parser that splits a document into positioned item trees, iterative
 * walks, and mixed content converted to the record's markup. */
#ifndef CITECONV_SRC_XML_H
#define CITECONV_SRC_XML_H

#include <stdbool.h>

#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "arena.h"
#include "buf.h"
#include "format.h"

/* A streaming XML reader bound to a citeconv reader. The parser never
 * touches the network, never loads a DTD or an external entity, does not
 * substitute entities, keeps libxml2's default size limits (no
 * XML_PARSE_HUGE) and refuses nesting deeper than the session's max-depth.
 * Parser errors become positioned `syntax` diagnostics of the reader. */
typedef struct citeconv_xml {
  xmlTextReaderPtr reader;
  citeconv_reader *owner;  /* for diagnostics */
  size_t max_depth;
  size_t nerrors;          /* parser errors reported */
  bool failed;             /* a fatal error: no more nodes */
  bool pending;            /* after a skip: the current node is unread */
  bool entity_reported;    /* an unexpanded entity was reported once */
} citeconv_xml;

/* Set up `x` over the owner's input. Returns 0 or CITECONV_ENOMEM. */
int citeconv_xml_open(citeconv_xml *x, citeconv_reader *owner);
/* Free the parser; safe on a zeroed or closed `x`. */
void citeconv_xml_close(citeconv_xml *x);

/* Advance to the next element start (skipping text, comments, end tags).
 * Returns 1 with the reader on an element, 0 at the end of the document,
 * or CITECONV_EPARSE after a fatal error (already reported) or when the
 * depth limit is passed. `*depth` is the element's depth (root 0). */
int citeconv_xml_next_element(citeconv_xml *x, int *depth);
/* Skip the current node's subtree (after an element start or an expanded
 * subtree); returns like citeconv_xml_next_element without moving to an
 * element: 1 moved, 0 end, CITECONV_EPARSE failure. */
int citeconv_xml_skip(citeconv_xml *x);
/* Name of the current node (borrowed until the reader moves). */
const char *citeconv_xml_name(citeconv_xml *x);
/* Position of the reader in the input (the parser's; approximate). */
citeconv_pos citeconv_xml_reader_pos(citeconv_xml *x);
/* Parse the current element's whole subtree and return it (owned by the
 * reader, valid until it moves). When the parser fails while doing so,
 * the error is reported, the part of the element that was parsed is
 * returned and the reader stops; NULL when there is nothing. */
xmlNode *citeconv_xml_expand(citeconv_xml *x);

/* Position of a node: for a node of a citeconv_xml_split tree, the line
 * and column (1-based, in characters) of its start tag's '<'; for a node
 * of an expanded subtree, its line (the first text child's line where
 * element lines are capped) and column 0 (libxml2 does not keep it). */
citeconv_pos citeconv_xml_node_pos(const xmlNode *n);
/* Whether an element node is named `name`. */
bool citeconv_xml_is(const xmlNode *n, const char *name);
/* The first element child of `n` (named `name`, or any when NULL), and
 * the next element sibling after `n` (likewise); NULL if none. */
xmlNode *citeconv_xml_child(const xmlNode *n, const char *name);
xmlNode *citeconv_xml_next(const xmlNode *n, const char *name);
/* An attribute's value, borrowed from the tree; NULL if absent. */
const char *citeconv_xml_attr(const xmlNode *n, const char *name);
/* The next node of `root`'s subtree in document order after `cur`,
 * without recursion; NULL when the walk is done. With `skip_children`,
 * `cur`'s own children are not entered. */
xmlNode *citeconv_xml_walk(const xmlNode *root, const xmlNode *cur,
                           bool skip_children);

/* Append the text content of `n` (all descendant text, tags dropped) with
 * white space squeezed. Returns 0, CITECONV_ENOMEM or CITECONV_ELIMIT. */
int citeconv_xml_text(citeconv_buf *out, const xmlNode *n);
/* Append the mixed content of `n` as the record's markup: <i>, <b>,
 * <sup>, <sub> kept as tags (also from <italic>, <bold>), <u> and any
 * other element reduced to its text, white space squeezed. Entity
 * references that were not expanded are reported through `x` (when not
 * NULL) and left out. Same returns as citeconv_xml_text. */
int citeconv_xml_markup(citeconv_buf *out, const xmlNode *n,
                        citeconv_xml *x);

/* Append `n` and its subtree as XML text, escaped as libxml2's
 * serialiser escapes it (UTF-8 kept). Returns 0, CITECONV_ENOMEM or
 * CITECONV_ELIMIT. */
int citeconv_xml_dump(citeconv_buf *out, const xmlNode *n);

/* ---- splitting a document into subtrees (SAX, no text reader) ----
 *
 * A push parser with the same safety settings as citeconv_xml_open that
 * builds, for each element at the item depth, a tree of libxml2 nodes in
 * an arena of its own (no malloc per node, no libxml2 document), with the
 * position of every element. The item depth is 1 when the root element is
 * a set (is_set), 0 when the root is itself an item (is_item); any other
 * root stops the parse and is left to the caller (root_bad). Trees are
 * read-only: use the accessors above, and citeconv_xml_tree_free, never
 * xmlFreeNode. Memory: one input chunk and the trees it completed; a
 * tree larger than max-record-bytes is dropped (reported), a text node
 * longer than libxml2's XML_MAX_TEXT_LENGTH or nesting deeper than
 * max-depth stops the parse (reported), as libxml2's own tree builder
 * would without XML_PARSE_HUGE. */
typedef struct citeconv_xml_tree {
  struct citeconv_xml_tree *next;
  citeconv_arena arena;
  xmlNode *root;
  bool cut;     /* the input ended or the parser stopped inside it */
  bool damaged; /* a parser error inside it (the parser recovered) */
} citeconv_xml_tree;

typedef struct citeconv_xml_split {
  xmlParserCtxtPtr ctxt;
  citeconv_reader *owner;
  bool (*is_set)(const char *name);
  bool (*is_item)(const char *name);
  size_t max_depth, max_bytes;
  size_t nerrors;
  size_t depth;         /* open elements */
  int item_depth;       /* -1 until the root is seen */
  citeconv_xml_tree *tree; /* being built */
  xmlNode *cur;         /* its open element */
  size_t tree_bytes;    /* text kept in it */
  bool tree_over;       /* it passed max_bytes (reported once) */
  bool tree_err;        /* a parser error came while it was built */
  citeconv_buf text;    /* text not yet made a node */
  citeconv_xml_tree *head, *tail; /* finished trees */
  size_t nqueued;       /* how many */
  char root_name[64];   /* the root element (for root_bad) */
  citeconv_pos root_pos;
  bool started;         /* an element was seen */
  bool root_bad;        /* the root is neither a set nor an item */
  bool failed;          /* a fatal error (reported) */
  bool nomem;           /* out of memory in a callback */
  bool eof;             /* the input is all parsed */
  bool eof_pushed;      /* the parser has been told the input ended */
} citeconv_xml_split;

/* Set up `x` over the owner's input. Returns 0 or CITECONV_ENOMEM. */
int citeconv_xml_split_open(citeconv_xml_split *x, citeconv_reader *owner,
                            bool (*is_set)(const char *name),
                            bool (*is_item)(const char *name));
/* The next item's tree (yours: citeconv_xml_tree_free) in `*out`.
 * Returns 1 with a tree, 0 at the end of the input (also after a fatal
 * error or a bad root, already reported or left to the caller), or
 * CITECONV_ENOMEM. An item the input or the parser stopped in comes with
 * `cut` (the part read before), one with a parser error inside it with
 * `damaged` (what the parser made of it). */
int citeconv_xml_split_next(citeconv_xml_split *x, citeconv_xml_tree **out);
void citeconv_xml_tree_free(citeconv_xml_tree *t);
/* Free the parser and the trees not handed out; safe on a zeroed `x`. */
void citeconv_xml_split_close(citeconv_xml_split *x);

#endif
