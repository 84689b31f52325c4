/* Unit tests: dates written as text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dates.h"

static citeconv_date parse_ok(const char *s)
{
  citeconv_date d;
  assert_true(citeconv_date_parse(s, strlen(s), &d));
  return d;
}

static void dates__iso_forms(void **state)
{
  citeconv_date d;
  (void)state;
  d = parse_ok("2005-06-01");
  assert_int_equal(d.year, 2005);
  assert_int_equal(d.month, 6);
  assert_int_equal(d.day, 1);
  d = parse_ok("2005-06");
  assert_int_equal(d.month, 6);
  assert_int_equal(d.day, 0);
  d = parse_ok("1999");
  assert_int_equal(d.year, 1999);
}

static void dates__edtf_ranges_seasons_and_circa(void **state)
{
  citeconv_date d;
  (void)state;
  d = parse_ok("2011-05-25~/2012-06-26~");
  assert_true(d.circa);
  assert_int_equal(d.end_year, 2012);
  assert_int_equal(d.end_day, 26);
  d = parse_ok("2017-24");
  assert_int_equal(d.season, 4);
  assert_int_equal(d.month, 0);
  d = parse_ok("1999/2000");
  assert_int_equal(d.year, 1999);
  assert_int_equal(d.end_year, 2000);
}

static void dates__written_forms(void **state)
{
  citeconv_date d;
  (void)state;
  d = parse_ok("2005 Jun 15");
  assert_int_equal(d.month, 6);
  assert_int_equal(d.day, 15);
  d = parse_ok("15 June 2005");
  assert_int_equal(d.day, 15);
  d = parse_ok("Sept. 2001");
  assert_int_equal(d.month, 9);
  d = parse_ok("Spring 1999");
  assert_int_equal(d.season, 1);
  d = parse_ok("1998 Dec-1999 Jan");
  assert_int_equal(d.month, 12);
  assert_int_equal(d.end_year, 1999);
  assert_int_equal(d.end_month, 1);
  d = parse_ok("2005 Jun-Jul");
  assert_int_equal(d.end_year, 2005);
  assert_int_equal(d.end_month, 7);
  d = parse_ok("Spring 1999 - Summer 2001");
  assert_int_equal(d.season, 1);
  assert_int_equal(d.end_season, 2);
}

static void dates__impossible_and_unreadable(void **state)
{
  citeconv_date d;
  (void)state;
  assert_false(citeconv_date_parse("2005-02-30", 10, &d));
  assert_false(citeconv_date_parse("2005-13", 7, &d));
  assert_false(citeconv_date_parse("forthcoming", 11, &d));
  assert_int_equal(d.year, 0);
  assert_false(citeconv_date_parse("in press 2019 maybe", 19, &d));
  assert_int_equal(citeconv_month_from_name("Dec.", 4), 12);
  assert_int_equal(citeconv_month_from_name("Ma", 2), 0);
  assert_int_equal(citeconv_month_from_name("fall", 4), 23);
  d = (citeconv_date){.year = 2000, .month = 2, .day = 29};
  assert_true(citeconv_date_is_valid(&d));
  d.year = 1900;
  assert_false(citeconv_date_is_valid(&d));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(dates__iso_forms),
      cmocka_unit_test(dates__edtf_ranges_seasons_and_circa),
      cmocka_unit_test(dates__written_forms),
      cmocka_unit_test(dates__impossible_and_unreadable),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
