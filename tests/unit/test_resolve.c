/* Unit tests: the online DOI check's reading of registry answers and its
 * comparisons (no network). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "citeconv/common.h"
#include "resolve.h"

#define S(lit) lit, sizeof(lit) - 1

static void resolve__handle_api_codes(void **state)
{
  (void)state;
  assert_int_equal(
      citeconv_resolve_parse_handle(
          S("{\"responseCode\":1,\"handle\":\"10.1000/1\",\"values\":[]}"),
          200),
      1);
  assert_int_equal(citeconv_resolve_parse_handle(
                       S("{\"responseCode\":100,\"handle\":\"10.1000/x\"}"),
                       404),
                   0);
  /* The handle exists, without the values asked for. */
  assert_int_equal(citeconv_resolve_parse_handle(
                       S("{\"responseCode\":200,\"handle\":\"10.1000/1\"}"),
                       200),
                   1);
  assert_int_equal(citeconv_resolve_parse_handle(S("{\"responseCode\":1"),
                                                 200),
                   -1);
  assert_int_equal(citeconv_resolve_parse_handle(S("<html>busy</html>"), 404),
                   -1);
  /* Success with an error status is not believed. */
  assert_int_equal(
      citeconv_resolve_parse_handle(S("{\"responseCode\":1}"), 500), -1);
}

static void resolve__registration_agency(void **state)
{
  citeconv_buf b = CITECONV_BUF_INIT;
  (void)state;
  assert_int_equal(citeconv_resolve_parse_ra(
                       &b, S("[{\"DOI\":\"10.5281/x\",\"RA\":\"DataCite\"}]")),
                   1);
  assert_string_equal(b.data, "DataCite");
  citeconv_buf_clear(&b);
  assert_int_equal(
      citeconv_resolve_parse_ra(
          &b, S("[{\"DOI\":\"10.9/x\",\"status\":\"DOI does not exist\"}]")),
      0);
  assert_int_equal(citeconv_resolve_parse_ra(&b, S("{\"RA\":\"x\"}")), -1);
  assert_int_equal(citeconv_resolve_parse_ra(&b, S("[")), -1);
  citeconv_buf_free(&b);
}

static void resolve__reads_crossref_work(void **state)
{
  citeconv_doi_meta m = {0};
  static const char body[] =
      "{\"status\":\"ok\",\"message-type\":\"work\",\"message\":{"
      "\"title\":[\"Main\"],\"subtitle\":[\"Sub\"],"
      "\"author\":[{\"given\":\"A\",\"family\":\"Second\","
      "\"sequence\":\"additional\"},{\"given\":\"B\",\"family\":\"First\","
      "\"sequence\":\"first\"}],"
      "\"container-title\":[\"Journal of Things\"],"
      "\"short-container-title\":[\"J. Things\"],"
      "\"issued\":{\"date-parts\":[[null]]},"
      "\"published-print\":{\"date-parts\":[[2011,3]]},"
      "\"published-online\":{\"date-parts\":[[2009,12,30]]}}}";
  (void)state;
  assert_int_equal(citeconv_resolve_parse_crossref(&m, S(body)), 0);
  assert_string_equal(m.title, "Main");
  assert_string_equal(m.subtitle, "Sub");
  assert_string_equal(m.family, "First");
  assert_string_equal(m.container, "Journal of Things\nJ. Things");
  assert_int_equal(m.year, 2011); /* issued is empty: the print date */
  assert_int_equal(m.year_last, 2011);
  assert_int_equal(
      citeconv_resolve_parse_crossref(&m, S("{\"status\":\"ok\",\"mess")),
      CITECONV_EPARSE);
  assert_null(m.title);
  /* An organisation as first author; no title at all. */
  assert_int_equal(
      citeconv_resolve_parse_crossref(
          &m, S("{\"message\":{\"author\":[{\"name\":\"WHO\"}]}}")),
      0);
  assert_string_equal(m.family, "WHO");
  assert_null(m.title);
  citeconv_doi_meta_clear(&m);
}

static void resolve__reads_datacite_doi(void **state)
{
  citeconv_doi_meta m = {0};
  static const char body[] =
      "{\"data\":{\"id\":\"10.5072/x\",\"type\":\"dois\",\"attributes\":{"
      "\"titles\":[{\"title\":\"Sub\",\"titleType\":\"Subtitle\"},"
      "{\"title\":\"Data\"}],"
      "\"creators\":[{\"name\":\"Roe, Richard\",\"nameType\":\"Personal\"}],"
      "\"publicationYear\":\"2020\",\"publisher\":\"Repo\","
      "\"container\":{\"type\":\"Series\",\"title\":\"Series A\"}}}}";
  (void)state;
  assert_int_equal(citeconv_resolve_parse_datacite(&m, S(body)), 0);
  assert_string_equal(m.title, "Data");
  assert_string_equal(m.subtitle, "Sub");
  assert_string_equal(m.family, "Roe");
  assert_string_equal(m.container, "Series A");
  assert_int_equal(m.year, 2020);
  assert_int_equal(
      citeconv_resolve_parse_datacite(
          &m, S("{\"errors\":[{\"status\":\"404\"}]}")),
      CITECONV_EPARSE);
  citeconv_doi_meta_clear(&m);
}

static void resolve__normalises_case_accents_markup(void **state)
{
  citeconv_buf b = CITECONV_BUF_INIT;
  (void)state;
  assert_int_equal(
      citeconv_resolve_normalise(
          &b, S("<i>Études</i> of CO<sub>2</sub> &amp; Straße, “ﬁne”!")),
      0);
  assert_string_equal(b.data, "etudes of co 2 strasse fine"); /* full folding */
  citeconv_buf_free(&b);
}

static void resolve__similarity_is_edit_distance(void **state)
{
  (void)state;
  assert_true(citeconv_resolve_similarity("abc", "abc") == 1.0);
  assert_true(citeconv_resolve_similarity("abcd", "abce") == 0.75);
  assert_true(citeconv_resolve_similarity("", "") == 1.0);
  assert_true(citeconv_resolve_similarity("abc", "") == 0.0);
}

static void resolve__titles_match_with_subtitles(void **state)
{
  (void)state;
  assert_true(citeconv_resolve_title_matches(
      "The Big Study: Part One", "The big study", "part one"));
  assert_true(citeconv_resolve_title_matches("The big study",
                                             "The Big Study", "Part One"));
  assert_true(citeconv_resolve_title_matches(
      "The big study", "The Big Study: Things and More", NULL));
  assert_true(citeconv_resolve_title_matches(
      "Ths big study of things", "The big study of things", NULL));
  assert_false(citeconv_resolve_title_matches(
      "A survey of methods", "Thermal properties of alloys", NULL));
  /* Nothing to compare: no finding. */
  assert_true(citeconv_resolve_title_matches(NULL, "x", NULL));
  assert_true(citeconv_resolve_title_matches("x", NULL, NULL));
}

static void resolve__family_names_share_a_word(void **state)
{
  (void)state;
  assert_true(citeconv_resolve_family_matches("García Márquez", "Garcia"));
  assert_true(citeconv_resolve_family_matches("van der Berg", "Berg"));
  assert_true(citeconv_resolve_family_matches("Smith-Jones", "Smith"));
  assert_true(citeconv_resolve_family_matches("MÜLLER", "Müller"));
  assert_true(citeconv_resolve_family_matches("Li", "Li"));
  assert_false(citeconv_resolve_family_matches("Li", "Liu"));
  assert_false(citeconv_resolve_family_matches("Smith", "Novak"));
}

static void resolve__containers_match_abbreviations(void **state)
{
  (void)state;
  assert_true(citeconv_resolve_container_matches(
      "J. Biol. Chem.", "Journal of Biological Chemistry"));
  assert_true(citeconv_resolve_container_matches(
      "Proc Natl Acad Sci USA",
      "Proceedings of the National Academy of Sciences of the United States "
      "of America"));
  assert_true(citeconv_resolve_container_matches(
      "Journal of Things", "Other Title\nJournal of Things"));
  assert_true(citeconv_resolve_container_matches("Nature", "Nature"));
  assert_false(
      citeconv_resolve_container_matches("Nature", "Nature Communications"));
  assert_false(citeconv_resolve_container_matches(
      "Imaginary Methods Review", "Materials Letters of Testing"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(resolve__handle_api_codes),
      cmocka_unit_test(resolve__registration_agency),
      cmocka_unit_test(resolve__reads_crossref_work),
      cmocka_unit_test(resolve__reads_datacite_doi),
      cmocka_unit_test(resolve__normalises_case_accents_markup),
      cmocka_unit_test(resolve__similarity_is_edit_distance),
      cmocka_unit_test(resolve__titles_match_with_subtitles),
      cmocka_unit_test(resolve__family_names_share_a_word),
      cmocka_unit_test(resolve__containers_match_abbreviations),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
