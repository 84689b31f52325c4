/* Page ranges: the NLM's abbreviated ranges written in full. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pages.h"

static void check(const char *in, const char *want)
{
  citeconv_buf b = CITECONV_BUF_INIT;
  assert_int_equal(citeconv_pages_expand(&b, in, strlen(in)), 0);
  assert_string_equal(b.data ? b.data : "", want);
  citeconv_buf_free(&b);
}

static void pages__expands_abbreviated_end(void **state)
{
  (void)state;
  check("4172-8", "4172-4178");
  check("296-302", "296-302");
  check("113-25", "113-125");
  check("1021-31", "1021-1031");
}

static void pages__keeps_letter_prefix(void **state)
{
  (void)state;
  check("R12-5", "R12-R15");
  check("S1-8", "S1-S8");
  check("e123", "e123");
  check("e1-5", "e1-e5");
  check("e12-e15", "e12-e15");
}

static void pages__expands_each_item_of_a_list(void **state)
{
  (void)state;
  check("1021-31, 1040", "1021-1031, 1040");
  check("12-5,18-20", "12-15,18-20");
}

static void pages__leaves_non_ranges_alone(void **state)
{
  (void)state;
  check("45-3", "45-3");      /* the end would come before the start */
  check("iii-xii", "iii-xii");
  check("10", "10");
  check("", "");
  check("123-", "123-");
}

static void abbr(const char *in, const char *want)
{
  citeconv_buf b = CITECONV_BUF_INIT;
  assert_int_equal(citeconv_pages_abbreviate(&b, in, strlen(in)), 0);
  assert_string_equal(b.data ? b.data : "", want);
  citeconv_buf_free(&b);
}

static void pages__abbreviates_as_medline_does(void **state)
{
  (void)state;
  abbr("4172-4178", "4172-8");
  abbr("616-617", "616-7");
  abbr("2308-2310", "2308-10");
  abbr("296-302", "296-302");
  abbr("98-102", "98-102");
  abbr("1021-1031, 1040", "1021-31, 1040");
  abbr("e123-e127", "e123-e127");
  abbr("45-45", "45-45");
  abbr("10", "10");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(pages__expands_abbreviated_end),
      cmocka_unit_test(pages__keeps_letter_prefix),
      cmocka_unit_test(pages__expands_each_item_of_a_list),
      cmocka_unit_test(pages__leaves_non_ranges_alone),
      cmocka_unit_test(pages__abbreviates_as_medline_does),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
