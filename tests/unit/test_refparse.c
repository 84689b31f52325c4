/* Unit tests for the reference-string parser: one test per style and
 * kind of reference, plus hostile strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "refparse.h"

typedef struct {
  citeconv_record *rec;
  citeconv_refparse_result res;
} parsed;

static parsed parse(const char *s)
{
  parsed p;
  citeconv_pos pos = {1, 1};
  assert_int_equal(citeconv_record_new(&p.rec), 0);
  assert_int_equal(citeconv_refparse(p.rec, s, strlen(s), pos, &p.res), 0);
  return p;
}

static const char *text(const parsed *p, citeconv_var v)
{
  const char *s = citeconv_record_text(p->rec, v);
  return s ? s : "";
}

static const citeconv_name *author(const parsed *p, size_t i)
{
  size_t k = 0;
  for (size_t j = 0; j < citeconv_record_name_count(p->rec); j++) {
    const citeconv_name *n = citeconv_record_name_at(p->rec, j);
    if (n->role == CITECONV_VAR_AUTHOR && k++ == i)
      return n;
  }
  fail_msg("no author %zu", i);
  return NULL;
}

static int year(const parsed *p)
{
  const citeconv_date *d = citeconv_record_date(p->rec, CITECONV_VAR_ISSUED);
  return d ? d->year : 0;
}

static void refparse__vancouver_journal(void **state)
{
  parsed p = parse("Smith J, Jones KL. Title of it. J Clin Oncol. 2005 "
                   "Jun;23(18):4172-8. doi: 10.1200/JCO.2005.07.114");
  (void)state;
  assert_int_equal(p.res.style, CITECONV_REFSTYLE_VANCOUVER);
  assert_string_equal(author(&p, 0)->family, "Smith");
  assert_string_equal(author(&p, 1)->given, "KL");
  assert_string_equal(text(&p, CITECONV_VAR_TITLE), "Title of it");
  assert_string_equal(text(&p, CITECONV_VAR_CONTAINER_TITLE), "J Clin Oncol");
  assert_int_equal(year(&p), 2005);
  assert_int_equal(citeconv_record_date(p.rec, CITECONV_VAR_ISSUED)->month, 6);
  assert_string_equal(text(&p, CITECONV_VAR_VOLUME), "23");
  assert_string_equal(text(&p, CITECONV_VAR_ISSUE), "18");
  assert_string_equal(text(&p, CITECONV_VAR_PAGE), "4172-8");
  assert_string_equal(text(&p, CITECONV_VAR_DOI), "10.1200/JCO.2005.07.114");
  assert_int_equal(citeconv_record_type(p.rec), CITECONV_TYPE_ARTICLE_JOURNAL);
  assert_true(p.res.confidence[CITECONV_VAR_TITLE] >= CITECONV_REFPARSE_SURE);
  citeconv_record_free(p.rec);
}

static void refparse__frontiers_with_et_al(void **state)
{
  parsed p = parse("Aass N., De Mulder P. H., van Oosterom A. T., et al. "
                   "(2005). Randomized trial (EORTC 30951). J. Clin. Oncol. "
                   "23 (18), 4172\xE2\x80\x93" "4178. 10.1200/JCO.2005.07.114 "
                   "- DOI - PubMed");
  (void)state;
  assert_int_equal(p.res.style, CITECONV_REFSTYLE_APA);
  assert_string_equal(author(&p, 1)->family, "De Mulder");
  assert_string_equal(author(&p, 1)->given, "P. H.");
  assert_string_equal(author(&p, 2)->non_dropping_particle, "van");
  assert_string_equal(author(&p, 2)->given, "A. T.");
  assert_true(citeconv_record_truncated(p.rec, CITECONV_VAR_AUTHOR));
  assert_string_equal(text(&p, CITECONV_VAR_TITLE),
                      "Randomized trial (EORTC 30951)");
  assert_string_equal(text(&p, CITECONV_VAR_CONTAINER_TITLE),
                      "J. Clin. Oncol.");
  assert_string_equal(text(&p, CITECONV_VAR_PAGE), "4172-4178");
  assert_string_equal(text(&p, CITECONV_VAR_DOI), "10.1200/JCO.2005.07.114");
  citeconv_record_free(p.rec);
}

static void refparse__harvard_quoted_title(void **state)
{
  parsed p = parse("Smith, J. and Jones, K. (2005) 'A title here', Journal "
                   "of Things, 23(18), pp. 4172-4178.");
  (void)state;
  assert_int_equal(p.res.style, CITECONV_REFSTYLE_HARVARD);
  assert_string_equal(author(&p, 1)->family, "Jones");
  assert_string_equal(text(&p, CITECONV_VAR_TITLE), "A title here");
  assert_string_equal(text(&p, CITECONV_VAR_CONTAINER_TITLE),
                      "Journal of Things");
  assert_string_equal(text(&p, CITECONV_VAR_PAGE), "4172-4178");
  citeconv_record_free(p.rec);
}

static void refparse__chicago_author_date(void **state)
{
  parsed p = parse("Benson, Dennis A., Ilene Karsch-Mizrachi, and Eric W. "
                   "Sayers. 2012. \"GenBank.\" Nucleic Acids Research 40 "
                   "(D1): D48\xE2\x80\x93" "53. https://doi.org/10.1093/nar/gkr1202.");
  (void)state;
  assert_int_equal(p.res.style, CITECONV_REFSTYLE_CHICAGO);
  assert_string_equal(author(&p, 0)->family, "Benson");
  assert_string_equal(author(&p, 0)->given, "Dennis A.");
  assert_string_equal(author(&p, 2)->family, "Sayers");
  assert_int_equal(year(&p), 2012);
  assert_string_equal(text(&p, CITECONV_VAR_TITLE), "GenBank");
  assert_string_equal(text(&p, CITECONV_VAR_CONTAINER_TITLE),
                      "Nucleic Acids Research");
  assert_string_equal(text(&p, CITECONV_VAR_DOI), "10.1093/nar/gkr1202");
  citeconv_record_free(p.rec);
}

static void refparse__ama_et_al(void **state)
{
  parsed p = parse("Woo PC, Lau SK, Chu CM, et al. Characterization of HKU1. "
                   "J Virol. 2005;79(2):884-895. "
                   "doi:10.1128/JVI.79.2.884-895.2005");
  (void)state;
  assert_true(citeconv_record_truncated(p.rec, CITECONV_VAR_AUTHOR));
  assert_int_equal(citeconv_record_role_count(p.rec, CITECONV_VAR_AUTHOR), 3);
  assert_string_equal(text(&p, CITECONV_VAR_CONTAINER_TITLE), "J Virol");
  assert_string_equal(text(&p, CITECONV_VAR_DOI),
                      "10.1128/JVI.79.2.884-895.2005");
  citeconv_record_free(p.rec);
}

static void refparse__chapter_with_editors(void **state)
{
  parsed p = parse("Smith J, Jones K. Chapter title. In: Brown A, Green B, "
                   "editors. Book of things. 2nd ed. New York: Springer; "
                   "2001. p. 10-20.");
  (void)state;
  assert_int_equal(citeconv_record_type(p.rec), CITECONV_TYPE_CHAPTER);
  assert_int_equal(citeconv_record_role_count(p.rec, CITECONV_VAR_EDITOR), 2);
  assert_string_equal(text(&p, CITECONV_VAR_TITLE), "Chapter title");
  assert_string_equal(text(&p, CITECONV_VAR_CONTAINER_TITLE), "Book of things");
  assert_string_equal(text(&p, CITECONV_VAR_PUBLISHER), "Springer");
  assert_string_equal(text(&p, CITECONV_VAR_PUBLISHER_PLACE), "New York");
  assert_string_equal(text(&p, CITECONV_VAR_PAGE), "10-20");
  assert_int_equal(year(&p), 2001);
  citeconv_record_free(p.rec);
}

static void refparse__thesis(void **state)
{
  parsed p = parse("Smith J. Mercury in vaccines [dissertation]. Seattle "
                   "(WA): University of Washington; 2004.");
  (void)state;
  assert_int_equal(citeconv_record_type(p.rec), CITECONV_TYPE_THESIS);
  assert_string_equal(text(&p, CITECONV_VAR_TITLE), "Mercury in vaccines");
  assert_string_equal(text(&p, CITECONV_VAR_PUBLISHER),
                      "University of Washington");
  assert_int_equal(year(&p), 2004);
  citeconv_record_free(p.rec);
}

static void refparse__web_page_cited(void **state)
{
  parsed p = parse("World Health Organization. Thimerosal in vaccines "
                   "[Internet]. Geneva: WHO; 2006 [cited 2021 Mar 5]. "
                   "Available from: https://www.who.int/x");
  const citeconv_date *acc;
  (void)state;
  assert_int_equal(citeconv_record_type(p.rec), CITECONV_TYPE_WEBPAGE);
  assert_string_equal(author(&p, 0)->literal, "World Health Organization");
  assert_string_equal(text(&p, CITECONV_VAR_URL), "https://www.who.int/x");
  acc = citeconv_record_date(p.rec, CITECONV_VAR_ACCESSED);
  assert_non_null(acc);
  assert_int_equal(acc->year, 2021);
  assert_int_equal(acc->month, 3);
  assert_int_equal(acc->day, 5);
  citeconv_record_free(p.rec);
}

static void refparse__preprint(void **state)
{
  parsed p = parse("Gordon DE, Jang GM, Bouhaddou M, et al. A SARS-CoV-2 "
                   "protein interaction map. bioRxiv. 2020. "
                   "doi:10.1101/2020.03.22.002386");
  (void)state;
  assert_int_equal(citeconv_record_type(p.rec), CITECONV_TYPE_ARTICLE);
  assert_string_equal(text(&p, CITECONV_VAR_CONTAINER_TITLE), "bioRxiv");
  citeconv_record_free(p.rec);
}

static void refparse__link_ids_are_kept(void **state)
{
  /* A DOI set before parsing (from a link) wins over the text's. */
  citeconv_record *rec;
  citeconv_pos pos = {1, 1};
  const char *s = "Smith J. Title. Lancet. 2001;1:2. doi: 10.1000/text";
  (void)state;
  assert_int_equal(citeconv_record_new(&rec), 0);
  citeconv_record_set_text(rec, CITECONV_VAR_DOI, "10.1000/link", 12, pos);
  assert_int_equal(citeconv_refparse(rec, s, strlen(s), pos, NULL), 0);
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_DOI),
                      "10.1000/link");
  citeconv_record_free(rec);
}

static void refparse__uncertain_fields_have_low_confidence(void **state)
{
  parsed p = parse("Something without any structure at all");
  (void)state;
  assert_true(p.res.confidence[CITECONV_VAR_TITLE] < CITECONV_REFPARSE_SURE);
  citeconv_record_free(p.rec);
}

static void refparse__hostile_strings_are_linear(void **state)
{
  /* Long runs of the characters the parser looks at; each must finish
   * quickly (a quadratic parse of 400 KB would take minutes). */
  static const char *const units[] = {"a. ", "(", "1999. ", ", ", "In: ",
                                      "10.1234/", "[", "J. ", "\"", "- ",
                                      "et al ", ":", "2001;1(", NULL};
  size_t n = 400000;
  char *s = malloc(n + 1);
  clock_t t0 = clock();
  (void)state;
  assert_non_null(s);
  for (size_t k = 0; units[k]; k++) {
    size_t L = strlen(units[k]), o = 0;
    citeconv_record *rec;
    citeconv_pos pos = {1, 1};
    while (o + L <= n) {
      memcpy(s + o, units[k], L);
      o += L;
    }
    assert_int_equal(citeconv_record_new(&rec), 0);
    assert_int_equal(citeconv_refparse(rec, s, o, pos, NULL), 0);
    citeconv_record_free(rec);
  }
  assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 20.0);
  /* Empty and odd bytes. */
  {
    parsed p = parse("");
    citeconv_record_free(p.rec);
    p = parse("\xff\xfe\x80 . . . ( ) [ ]");
    citeconv_record_free(p.rec);
  }
  free(s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(refparse__vancouver_journal),
    cmocka_unit_test(refparse__frontiers_with_et_al),
    cmocka_unit_test(refparse__harvard_quoted_title),
    cmocka_unit_test(refparse__chicago_author_date),
    cmocka_unit_test(refparse__ama_et_al),
    cmocka_unit_test(refparse__chapter_with_editors),
    cmocka_unit_test(refparse__thesis),
    cmocka_unit_test(refparse__web_page_cited),
    cmocka_unit_test(refparse__preprint),
    cmocka_unit_test(refparse__link_ids_are_kept),
    cmocka_unit_test(refparse__uncertain_fields_have_low_confidence),
    cmocka_unit_test(refparse__hostile_strings_are_linear),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
