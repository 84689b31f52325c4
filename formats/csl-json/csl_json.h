/* CSL-JSON module: private declarations shared by its reader and writer. */
#ifndef CITECONV_CSL_JSON_H
#define CITECONV_CSL_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "format.h"

/* The custom-object key under which truncated name lists travel, so that
 * "et al." survives a round trip (CSL has no variable for it). */
#define CSL_JSON_TRUNCATED_KEY "citeconv:truncated"
/* The custom-object key for what CSL names cannot hold: ORCID and
 * affiliations, as [{"role": "author", "index": 0, "ORCID": "...",
 * "affiliation": ["..."]}, ...] (index counts names within the role). */
#define CSL_JSON_NAME_DETAILS_KEY "citeconv:name-details"

/* ---- JSON values (csl_json_value.c) ---- */

typedef enum {
  CJV_NULL,
  CJV_FALSE,
  CJV_TRUE,
  CJV_INTEGER,
  CJV_REAL,
  CJV_STRING,
  CJV_ARRAY,
  CJV_OBJECT
} cjv_type;

/* One value. Borrowed from its cjv_doc until the next parse. */
typedef struct cjv {
  cjv_type type;
  const char *key;  /* a member of an object: its key, NUL-terminated */
  size_t klen;
  const char *str;  /* a string: NUL-terminated (no NUL inside) */
  size_t len;       /* a string's length; a container's member count */
  long long integer;
  double real;
  const struct cjv *child, *next; /* first member; next sibling */
  /* while building: pool offsets and node indexes */
  size_t koff, soff, ichild, inext, ilast;
} cjv;

/* The buffers a tree lives in, reused from one item to the next. */
typedef struct {
  cjv *nodes;
  size_t n, cap;
  char *pool;
  size_t plen, pcap;
  size_t *stack;
  size_t depth, scap;
} cjv_doc;

struct json_t;

/* Parse one item s[0..n) (an object) into d. Returns 0 with *out set, 1
 * when the text is one the parser leaves to jansson (any syntax error
 * among them), or CITECONV_ENOMEM. */
int citeconv_cjv_parse(cjv_doc *d, const char *s, size_t n, cjv **out);
/* Copy a jansson value into d. Returns 0 or CITECONV_ENOMEM. */
int citeconv_cjv_from_jansson(cjv_doc *d, const struct json_t *root,
                              cjv **out);
/* Compact JSON text for v, as json_dumps gives it (malloc'd), or NULL. */
char *citeconv_cjv_dump(const cjv *v);
/* An object's member, or NULL (also when obj is no object). */
const cjv *citeconv_cjv_get(const cjv *obj, const char *key);
/* An array's i-th element, or NULL. */
const cjv *citeconv_cjv_at(const cjv *arr, size_t i);
void citeconv_cjv_free(cjv_doc *d);

int citeconv_csl_json_open(citeconv_reader **out, citeconv_session *s,
                  citeconv_input *in, const citeconv_format *f);
int citeconv_csl_json_next(citeconv_record **out, citeconv_reader *r);
void citeconv_csl_json_close(citeconv_reader *r);
int citeconv_csl_json_detect(const unsigned char *head, size_t len);

#endif
