/* The CSL-JSON value tree: the parser gives the tree jansson's values give,
 * and leaves to jansson what it does not take. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "csl_json.h"

/* Two trees are equal: types, keys, values and order. Iterative. */
static void assert_same(const cjv *a, const cjv *b)
{
  const cjv *sa[256], *sb[256];
  size_t n = 0;
  sa[n] = a;
  sb[n] = b;
  n++;
  while (n > 0) {
    n--;
    a = sa[n];
    b = sb[n];
    assert_int_equal(a->type, b->type);
    assert_int_equal(a->klen, b->klen);
    if (a->key)
      assert_memory_equal(a->key, b->key, a->klen + 1);
    assert_int_equal(a->len, b->len);
    if (a->type == CJV_STRING)
      assert_memory_equal(a->str, b->str, a->len + 1);
    if (a->type == CJV_INTEGER)
      assert_true(a->integer == b->integer);
    for (const cjv *x = a->child, *y = b->child; x || y;
         x = x->next, y = y->next) {
      assert_non_null(x);
      assert_non_null(y);
      assert_true(n < 256);
      sa[n] = x;
      sb[n] = y;
      n++;
    }
  }
}

static void check_fast(const char *text)
{
  cjv_doc fast, slow;
  cjv *a, *b;
  json_error_t err;
  json_t *j;
  char *d1, *d2;
  memset(&fast, 0, sizeof fast);
  memset(&slow, 0, sizeof slow);
  assert_int_equal(citeconv_cjv_parse(&fast, text, strlen(text), &a), 0);
  j = json_loadb(text, strlen(text), JSON_DECODE_ANY, &err);
  assert_non_null(j);
  assert_int_equal(citeconv_cjv_from_jansson(&slow, j, &b), 0);
  assert_same(a, b);
  /* The compact text of the tree is jansson's own. */
  d1 = citeconv_cjv_dump(a);
  d2 = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
  assert_string_equal(d1, d2);
  free(d1);
  free(d2);
  json_decref(j);
  citeconv_cjv_free(&fast);
  citeconv_cjv_free(&slow);
}

static void csl_json__parser_gives_jansson_values(void **state)
{
  static const char *const texts[] = {
      "{}",
      " {\"id\": \"a\", \"type\": \"book\"} \n",
      "{\"author\": [{\"family\": \"M\\u00fcller\", \"given\": \"J\"}, "
      "{\"literal\": \"WHO\"}], \"issued\": {\"date-parts\": [[2001, 2, "
      "3]]}}",
      "{\"t\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u20ac\\ud83d\\ude00\"}",
      "{\"n\": [0, -0, 7, -17, 123456789012345678, true, false, null]}",
      "{\"a\": {\"b\": {\"c\": [[[], {}]]}}, \"d\": \"Ph\xe1\xba\xa1m\"}",
      "{\"custom\": {\"x\": [1, \"y\", {\"z\": null}]}}",
  };
  (void)state;
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
    check_fast(texts[i]);
}

static void csl_json__parser_leaves_the_rest_to_jansson(void **state)
{
  static const char *const texts[] = {
      "[1]",                      /* not an object */
      "{\"a\": 1.5}",             /* a real */
      "{\"a\": 1e3}",             /* a real */
      "{\"a\": 1234567890123456789}", /* beyond 18 digits */
      "{\"a\": 01}",              /* leading zero */
      "{\"a\": \"\\u0000\"}",     /* escaped NUL */
      "{\"a\": \"\\ud83d\"}",     /* lone surrogate */
      "{\"a\": \"\\x\"}",         /* bad escape */
      "{\"a\": \"\t\"}",          /* control character */
      "{\"a\": 1, \"a\": 2}",     /* repeated key */
      "{\"a\": [1,]}",            /* trailing comma */
      "{\"a\": tru}",             /* bad literal */
      "{\"a\": 1} x",             /* text after the item */
      "{\"a\": 1",                /* unclosed */
  };
  (void)state;
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
    cjv_doc d;
    cjv *v;
    memset(&d, 0, sizeof d);
    assert_int_equal(citeconv_cjv_parse(&d, texts[i], strlen(texts[i]), &v),
                     1);
    citeconv_cjv_free(&d);
  }
}

static void csl_json__lookups_answer_like_jansson(void **state)
{
  cjv_doc d;
  cjv *v;
  const char *text = "{\"a\": [10, 20, 30], \"b\": \"x\"}";
  (void)state;
  memset(&d, 0, sizeof d);
  assert_int_equal(citeconv_cjv_parse(&d, text, strlen(text), &v), 0);
  assert_int_equal(citeconv_cjv_at(citeconv_cjv_get(v, "a"), 2)->integer,
                   30);
  assert_null(citeconv_cjv_at(citeconv_cjv_get(v, "a"), 3));
  assert_null(citeconv_cjv_at(citeconv_cjv_get(v, "b"), 0));
  assert_null(citeconv_cjv_get(v, "c"));
  assert_null(citeconv_cjv_get(citeconv_cjv_get(v, "b"), "a"));
  citeconv_cjv_free(&d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(csl_json__parser_gives_jansson_values),
      cmocka_unit_test(csl_json__parser_leaves_the_rest_to_jansson),
      cmocka_unit_test(csl_json__lookups_answer_like_jansson),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
