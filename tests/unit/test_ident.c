/* Identifier functions: DOI clean-up and syntax, check digits, forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ident.h"

/* Clean s and compare the result and the problem bits. */
static void expect_clean(const char *s, const char *want, unsigned bits)
{
  citeconv_buf b = CITECONV_BUF_INIT;
  unsigned found = 99;
  assert_int_equal(citeconv_doi_clean(&b, s, strlen(s), &found), 0);
  assert_string_equal(b.data ? b.data : "", want);
  assert_int_equal(found, bits);
  citeconv_buf_free(&b);
}

static void doi__clean_leaves_good_doi_alone(void **state)
{
  (void)state;
  expect_clean("10.1000/182", "10.1000/182", 0);
  expect_clean("10.1002/(SICI)1097-4636(199605)31:1<1::AID-JBM1>3.0.CO;2-T",
               "10.1002/(SICI)1097-4636(199605)31:1<1::AID-JBM1>3.0.CO;2-T",
               0);
  expect_clean("10.1016/S0140-6736(20)30183-5",
               "10.1016/S0140-6736(20)30183-5", 0);
}

static void doi__strips_https_prefix(void **state)
{
  (void)state;
  expect_clean("https://doi.org/10.1000/182", "10.1000/182",
               CITECONV_DOI_URL);
  expect_clean("http://dx.doi.org/10.1000/182", "10.1000/182",
               CITECONV_DOI_URL);
  expect_clean("HTTPS://www.doi.org/10.1000/182", "10.1000/182",
               CITECONV_DOI_URL);
  expect_clean("doi.org/10.1000/182", "10.1000/182", CITECONV_DOI_URL);
  expect_clean("http://doi.acm.org/10.1145/1137627.1137631",
               "10.1145/1137627.1137631", CITECONV_DOI_URL);
  /* Not a resolver: the path is not the DOI. */
  expect_clean("https://example.org/x/10.1000/182",
               "https://example.org/x/10.1000/182", 0);
}

static void doi__strips_label(void **state)
{
  (void)state;
  expect_clean("doi:10.1000/182", "10.1000/182", CITECONV_DOI_LABEL);
  expect_clean("DOI: 10.1000/182", "10.1000/182", CITECONV_DOI_LABEL);
  expect_clean("DOI 10.1000/182", "10.1000/182", CITECONV_DOI_LABEL);
  expect_clean("info:doi/10.1000/182", "10.1000/182", CITECONV_DOI_LABEL);
}

static void doi__removes_whitespace_inside(void **state)
{
  (void)state;
  expect_clean("10.1000/ 182", "10.1000/182", CITECONV_DOI_SPACE);
  expect_clean("10.1000/\xC2\xA0" "182", "10.1000/182", CITECONV_DOI_SPACE);
  expect_clean("10.1000/1\xE2\x80\x8B" "82", "10.1000/182",
               CITECONV_DOI_SPACE);
}

static void doi__trims_sentence_punctuation(void **state)
{
  (void)state;
  expect_clean("10.1000/182.", "10.1000/182", CITECONV_DOI_TRAILING);
  expect_clean("10.1000/182),", "10.1000/182", CITECONV_DOI_TRAILING);
  /* A closing parenthesis that closes something stays. */
  expect_clean("10.1016/S0140-6736(20)", "10.1016/S0140-6736(20)", 0);
}

static void doi__decodes_percent(void **state)
{
  (void)state;
  expect_clean("10.1000%2F182", "10.1000/182", CITECONV_DOI_PERCENT);
  expect_clean("https://doi.org/10.1000%2F182", "10.1000/182",
               CITECONV_DOI_URL | CITECONV_DOI_PERCENT);
}

static void doi__maps_lookalikes(void **state)
{
  (void)state;
  /* en dash */
  expect_clean("10.1000/abc\xE2\x80\x93" "1", "10.1000/abc-1",
               CITECONV_DOI_LOOKALIKE);
  /* Cyrillic small a (U+0430) */
  expect_clean("10.1000/\xD0\xB0" "bc", "10.1000/abc",
               CITECONV_DOI_LOOKALIKE);
  /* Greek capital omicron (U+039F) */
  expect_clean("10.1000/\xCE\x9F" "K", "10.1000/OK", CITECONV_DOI_LOOKALIKE);
  /* full-width digit one (U+FF11) */
  expect_clean("10.1000/\xEF\xBC\x91" "82", "10.1000/182",
               CITECONV_DOI_LOOKALIKE);
  /* A letter with no ASCII look-alike stays. */
  expect_clean("10.1000/\xE6\x97\xA5", "10.1000/\xE6\x97\xA5", 0);
}

static void doi__checks_syntax(void **state)
{
  (void)state;
  assert_true(citeconv_doi_is_valid("10.1000/182", 11));
  assert_true(citeconv_doi_is_valid("10.1000.10/x", 12));
  assert_true(citeconv_doi_is_valid("10/gfzrh2", 9));
  assert_false(citeconv_doi_is_valid("10/gf-rh2", 9));
  assert_false(citeconv_doi_is_valid("10.1000/", 8));
  assert_false(citeconv_doi_is_valid("10.abc/182", 10));
  assert_false(citeconv_doi_is_valid("11.1000/182", 11));
  assert_false(citeconv_doi_is_valid("10.1000/1 82", 12));
  assert_false(citeconv_doi_is_valid("10.1000182", 10));
}

static void doi__finds_doi_in_text(void **state)
{
  size_t off, len;
  const char *t = "see https://doi.org/10.1000/182. and more";
  const char *u = "ISBN 978-0-00-000000-2 only";
  (void)state;
  assert_true(citeconv_doi_find(t, strlen(t), &off, &len));
  assert_int_equal(off, 20);
  assert_int_equal(len, 11);
  assert_false(citeconv_doi_find(u, strlen(u), &off, &len));
}

static void issn__checks_digit(void **state)
{
  char want = 0;
  (void)state;
  assert_int_equal(citeconv_issn_verify("0028-0836", 9, &want), 0);
  assert_int_equal(citeconv_issn_verify("0140-6736", 9, &want), 0);
  assert_int_equal(citeconv_issn_verify("2434-561X", 9, &want), 0);
  assert_int_equal(citeconv_issn_verify("0028-0837", 9, &want),
                   CITECONV_IDENT_CHECKSUM);
  assert_int_equal(want, '6');
  assert_int_equal(citeconv_issn_verify("0028-08", 7, &want),
                   CITECONV_IDENT_FORM);
  assert_int_equal(citeconv_issn_verify("002808361", 9, &want),
                   CITECONV_IDENT_FORM);
}

static void isbn__checks_10_and_13(void **state)
{
  char want = 0;
  (void)state;
  assert_int_equal(citeconv_isbn_verify("0-306-40615-2", 13, &want), 0);
  assert_int_equal(citeconv_isbn_verify("080442957X", 10, &want), 0);
  assert_int_equal(citeconv_isbn_verify("978-0-306-40615-7", 17, &want), 0);
  assert_int_equal(citeconv_isbn_verify("978 0 306 40615 7", 17, &want), 0);
  assert_int_equal(citeconv_isbn_verify("978-0-306-40615-6", 17, &want),
                   CITECONV_IDENT_CHECKSUM);
  assert_int_equal(want, '7');
  assert_int_equal(citeconv_isbn_verify("0-306-40615-3", 13, &want),
                   CITECONV_IDENT_CHECKSUM);
  assert_int_equal(want, '2');
  assert_int_equal(citeconv_isbn_verify("123-0-306-40615-7", 17, &want),
                   CITECONV_IDENT_FORM);
  assert_int_equal(citeconv_isbn_verify("12345", 5, &want),
                   CITECONV_IDENT_FORM);
}

static void orcid__checks_mod_11_2(void **state)
{
  char want = 0;
  (void)state;
  assert_int_equal(citeconv_orcid_verify("0000-0002-1825-0097", 19, &want), 0);
  assert_int_equal(citeconv_orcid_verify("0000-0002-1694-233X", 19, &want), 0);
  assert_int_equal(
      citeconv_orcid_verify("https://orcid.org/0000-0002-1825-0097", 37,
                            &want),
      0);
  assert_int_equal(citeconv_orcid_verify("0000-0002-1825-0098", 19, &want),
                   CITECONV_IDENT_CHECKSUM);
  assert_int_equal(want, '7');
  assert_int_equal(citeconv_orcid_verify("0000000218250097", 16, &want),
                   CITECONV_IDENT_FORM);
}

static void pmid__forms(void **state)
{
  (void)state;
  assert_true(citeconv_pmid_is_valid("31452104", 8));
  assert_false(citeconv_pmid_is_valid("031452104", 9));
  assert_false(citeconv_pmid_is_valid("PMID:31452104", 13));
  assert_false(citeconv_pmid_is_valid("", 0));
  assert_true(citeconv_pmcid_is_valid("PMC6716416", 10));
  assert_false(citeconv_pmcid_is_valid("6716416", 7));
  assert_false(citeconv_pmcid_is_valid("pmc6716416", 10));
  assert_false(citeconv_pmcid_is_valid("PMC", 3));
}

static void arxiv__forms(void **state)
{
  (void)state;
  assert_true(citeconv_arxiv_is_valid("0704.0001", 9));
  assert_true(citeconv_arxiv_is_valid("1412.7006v2", 11));
  assert_true(citeconv_arxiv_is_valid("2101.01234", 10));
  assert_true(citeconv_arxiv_is_valid("arXiv:2101.01234v3", 18));
  assert_true(citeconv_arxiv_is_valid("hep-th/9901001", 14));
  assert_true(citeconv_arxiv_is_valid("math.AG/0309136", 15));
  assert_false(citeconv_arxiv_is_valid("2113.01234", 10));
  assert_false(citeconv_arxiv_is_valid("2101.1234", 9));
  assert_false(citeconv_arxiv_is_valid("1412.70061", 10));
  assert_false(citeconv_arxiv_is_valid("hep-th/99010", 12));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(doi__clean_leaves_good_doi_alone),
      cmocka_unit_test(doi__strips_https_prefix),
      cmocka_unit_test(doi__strips_label),
      cmocka_unit_test(doi__removes_whitespace_inside),
      cmocka_unit_test(doi__trims_sentence_punctuation),
      cmocka_unit_test(doi__decodes_percent),
      cmocka_unit_test(doi__maps_lookalikes),
      cmocka_unit_test(doi__checks_syntax),
      cmocka_unit_test(doi__finds_doi_in_text),
      cmocka_unit_test(issn__checks_digit),
      cmocka_unit_test(isbn__checks_10_and_13),
      cmocka_unit_test(orcid__checks_mod_11_2),
      cmocka_unit_test(pmid__forms),
      cmocka_unit_test(arxiv__forms),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
