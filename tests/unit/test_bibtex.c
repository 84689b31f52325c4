/* BibTeX field helpers: EDTF dates, months, entry types both ways. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bibtex.h"

static citeconv_date d;

static bool date(const char *s)
{
  memset(&d, 0, sizeof(d));
  return citeconv_bibtex_parse_date(s, strlen(s), &d);
}

static void bibtex__date_forms(void **state)
{
  (void)state;
  assert_true(date("2001"));
  assert_int_equal(d.year, 2001);
  assert_true(date("2001-02-03"));
  assert_int_equal(d.month, 2);
  assert_int_equal(d.day, 3);
  assert_true(date("2011-05-25~/2012-06-26~"));
  assert_true(d.circa);
  assert_int_equal(d.end_year, 2012);
  assert_true(date("2017-24"));
  assert_int_equal(d.season, 4);
  assert_true(date("1034/"));
  assert_int_equal(d.year, 1034);
  assert_int_equal(d.end_year, 0);
}

static void bibtex__date_unspecified_digits(void **state)
{
  (void)state;
  assert_true(date("199X"));
  assert_int_equal(d.year, 1990);
  assert_int_equal(d.end_year, 1999);
  assert_true(date("1999-01-XX"));
  assert_int_equal(d.month, 1);
  assert_int_equal(d.day, 0);
  assert_true(date("Y-51234"));
  assert_int_equal(d.year, -51234);
}

static void bibtex__date_rejects(void **state)
{
  (void)state;
  assert_false(date("1996-13-03"));
  assert_false(date("yesterday"));
  assert_false(date("1.5.1998"));
  assert_false(date("XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"));
}

static void bibtex__months(void **state)
{
  (void)state;
  assert_int_equal(citeconv_bibtex_parse_month("January", 7), 1);
  assert_int_equal(citeconv_bibtex_parse_month("sep", 3), 9);
  assert_int_equal(citeconv_bibtex_parse_month("Sept.", 5), 9);
  assert_int_equal(citeconv_bibtex_parse_month("12", 2), 12);
  assert_int_equal(citeconv_bibtex_parse_month("Fall", 4), 23);
  assert_int_equal(citeconv_bibtex_parse_month("13", 2), 0);
}

static void bibtex__types_both_ways(void **state)
{
  bool known;
  (void)state;
  assert_int_equal(citeconv_bibtex_type_find("inproceedings", &known),
                   CITECONV_TYPE_PAPER_CONFERENCE);
  assert_true(known);
  assert_int_equal(citeconv_bibtex_type_find("phdthesis", &known),
                   CITECONV_TYPE_THESIS);
  citeconv_bibtex_type_find("frobnicate", &known);
  assert_false(known);
  assert_string_equal(citeconv_bibtex_type_for(CITECONV_TYPE_THESIS, false,
                                               "Master's thesis", false),
                      "mastersthesis");
  assert_string_equal(
      citeconv_bibtex_type_for(CITECONV_TYPE_WEBPAGE, false, NULL, false),
      "misc");
  assert_string_equal(
      citeconv_bibtex_type_for(CITECONV_TYPE_WEBPAGE, true, NULL, false),
      "online");
  assert_string_equal(
      citeconv_bibtex_type_for(CITECONV_TYPE_CHAPTER, false, NULL, true),
      "incollection");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(bibtex__date_forms),
      cmocka_unit_test(bibtex__date_unspecified_digits),
      cmocka_unit_test(bibtex__date_rejects),
      cmocka_unit_test(bibtex__months),
      cmocka_unit_test(bibtex__types_both_ways),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
