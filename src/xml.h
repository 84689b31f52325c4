/* Shared libxml2 plumbing for the XML readers (PubMed XML, JATS): a safe
 * streaming text reader over a citeconv_input, subtree expansion, iterative
 * walks, and mixed content converted to the record's markup. */
#ifndef CITECONV_SRC_XML_H
#define CITECONV_SRC_XML_H

#include <stdbool.h>

#include <libxml/tree.h>
#include <libxml/xmlreader.h>

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

/* Position of a node of an expanded subtree: its line (the first text
 * child's line where element lines are capped); the column is unknown (0)
 * because libxml2 does not keep it. */
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

#endif
