/* NLM dates: MedlineDate and DP strings, months, seasons. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "nlmdate.h"

static citeconv_date parse(const char *s, bool *ok)
{
  citeconv_date d;
  memset(&d, 0, sizeof(d));
  *ok = citeconv_nlmdate_parse(&d, s, strlen(s));
  return d;
}

static void pubmed__date_year_month_day(void **state)
{
  bool ok;
  citeconv_date d = parse("2002 Jun 1", &ok);
  (void)state;
  assert_true(ok);
  assert_int_equal(d.year, 2002);
  assert_int_equal(d.month, 6);
  assert_int_equal(d.day, 1);
  assert_int_equal(d.end_year, 0);
}

static void pubmed__date_range_over_year_end(void **state)
{
  bool ok;
  citeconv_date d = parse("1998 Dec-1999 Jan", &ok);
  (void)state;
  assert_true(ok);
  assert_int_equal(d.year, 1998);
  assert_int_equal(d.month, 12);
  assert_int_equal(d.end_year, 1999);
  assert_int_equal(d.end_month, 1);
}

static void pubmed__date_month_and_day_ranges(void **state)
{
  bool ok;
  citeconv_date d = parse("2001 Jan-Feb", &ok);
  (void)state;
  assert_true(ok);
  assert_int_equal(d.end_year, 2001);
  assert_int_equal(d.end_month, 2);
  d = parse("2001 Jan 5-12", &ok);
  assert_true(ok);
  assert_int_equal(d.day, 5);
  assert_int_equal(d.end_month, 1);
  assert_int_equal(d.end_day, 12);
  d = parse("1999-2000", &ok);
  assert_true(ok);
  assert_int_equal(d.year, 1999);
  assert_int_equal(d.end_year, 2000);
}

static void pubmed__date_seasons(void **state)
{
  bool ok;
  citeconv_date d = parse("2000 Spring", &ok);
  (void)state;
  assert_true(ok);
  assert_int_equal(d.season, CITECONV_SEASON_SPRING);
  d = parse("2000 Fall-Winter", &ok);
  assert_true(ok);
  assert_int_equal(d.season, CITECONV_SEASON_AUTUMN);
  assert_int_equal(d.end_season, CITECONV_SEASON_WINTER);
  assert_int_equal(citeconv_nlmdate_season("Autumn", 6),
                   CITECONV_SEASON_AUTUMN);
}

static void pubmed__date_numeric_month(void **state)
{
  bool ok;
  citeconv_date d = parse("2013 06 10", &ok);
  (void)state;
  assert_true(ok);
  assert_int_equal(d.month, 6);
  assert_int_equal(d.day, 10);
}

static void pubmed__date_rejects_bad_text(void **state)
{
  bool ok;
  (void)state;
  parse("Spring term of the year 98", &ok);
  assert_false(ok);
  parse("2002 Foo", &ok);
  assert_false(ok);
  parse("2001 Feb 30", &ok);
  assert_false(ok);
  parse("", &ok);
  assert_false(ok);
}

static void pubmed__month_names(void **state)
{
  (void)state;
  assert_int_equal(citeconv_nlmdate_month("Sep", 3), 9);
  assert_int_equal(citeconv_nlmdate_month("sept", 4), 9);
  assert_int_equal(citeconv_nlmdate_month("December", 8), 12);
  assert_int_equal(citeconv_nlmdate_month("07", 2), 7);
  assert_int_equal(citeconv_nlmdate_month("13", 2), 0);
  assert_string_equal(citeconv_nlmdate_month_abbr(1), "Jan");
  assert_null(citeconv_nlmdate_month_abbr(13));
}

static void pubmed__pubtype_to_type(void **state)
{
  (void)state;
  assert_int_equal(citeconv_nlm_pubtype_to_type("Dataset"),
                   CITECONV_TYPE_DATASET);
  assert_int_equal(citeconv_nlm_pubtype_to_type("Journal Article"), -1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(pubmed__date_year_month_day),
      cmocka_unit_test(pubmed__date_range_over_year_end),
      cmocka_unit_test(pubmed__date_month_and_day_ranges),
      cmocka_unit_test(pubmed__date_seasons),
      cmocka_unit_test(pubmed__date_numeric_month),
      cmocka_unit_test(pubmed__date_rejects_bad_text),
      cmocka_unit_test(pubmed__month_names),
      cmocka_unit_test(pubmed__pubtype_to_type),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
