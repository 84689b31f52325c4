/* The validator on records built in memory: codes, messages, positions,
 * the whole-list index, fixes and switching codes off. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "citeconv/citeconv.h"
#include "citeconv/validate.h"

/* What the diagnostic callback saw. */
typedef struct {
  char text[8192]; /* "sev code line:col rec: message\n" per finding */
  size_t n;
} seen;

static void collect(const citeconv_diag *d, void *payload)
{
  seen *sn = payload;
  size_t len = strlen(sn->text);
  snprintf(sn->text + len, sizeof sn->text - len, "%s %s %s %u:%u %zu: %s\n",
           citeconv_severity_name(d->severity), d->code,
           d->file ? d->file : "-", (unsigned)d->pos.line,
           (unsigned)d->pos.col, d->record, d->message);
  sn->n++;
}

typedef struct {
  citeconv_session *s;
  citeconv_check *ck;
  seen sn;
} fixture;

static int setup(void **state)
{
  static fixture fx;
  memset(&fx, 0, sizeof fx);
  assert_int_equal(citeconv_session_new(&fx.s), 0);
  citeconv_session_set_diag_cb(fx.s, collect, &fx.sn);
  assert_int_equal(citeconv_check_new(&fx.ck, fx.s), 0);
  *state = &fx;
  return 0;
}

static int teardown(void **state)
{
  fixture *fx = *state;
  citeconv_check_free(fx->ck);
  citeconv_session_free(fx->s);
  return 0;
}

/* A complete journal article that trips nothing. */
static citeconv_record *article(const char *file, unsigned line,
                                const char *id, const char *doi)
{
  citeconv_record *rec;
  citeconv_pos pos = {line, 1}, fpos = {line + 1, 5};
  citeconv_name au = {0};
  citeconv_date d = {0};
  char title[64];
  assert_int_equal(citeconv_record_new(&rec), 0);
  citeconv_record_set_origin(rec, file, pos);
  citeconv_record_set_type(rec, CITECONV_TYPE_ARTICLE_JOURNAL);
  citeconv_record_set_text(rec, CITECONV_VAR_ID, id, strlen(id), pos);
  snprintf(title, sizeof title, "On the record %s", id);
  citeconv_record_set_text(rec, CITECONV_VAR_TITLE, title, strlen(title),
                           pos);
  citeconv_record_set_text(rec, CITECONV_VAR_CONTAINER_TITLE, "Journal", 7,
                           pos);
  if (doi)
    citeconv_record_set_text(rec, CITECONV_VAR_DOI, doi, strlen(doi), fpos);
  au.family = "Smith";
  au.given = "Anna";
  au.role = CITECONV_VAR_AUTHOR;
  au.pos = pos;
  citeconv_record_add_name(rec, &au);
  d.year = 2019;
  d.pos = pos;
  citeconv_record_set_date(rec, CITECONV_VAR_ISSUED, &d);
  return rec;
}

static void check_one(fixture *fx, citeconv_record *rec)
{
  assert_int_equal(citeconv_check_record(fx->ck, rec), 0);
  citeconv_record_free(rec);
}

static void validate__clean_record_has_no_finding(void **state)
{
  fixture *fx = *state;
  check_one(fx, article("a.json", 1, "k1", "10.1000/182"));
  assert_int_equal(fx->sn.n, 0);
  assert_int_equal(citeconv_check_count(fx->ck), 1);
}

static void validate__url_prefix_names_the_bare_doi(void **state)
{
  fixture *fx = *state;
  check_one(fx, article("a.json", 1, "k1", "https://doi.org/10.1000/182"));
  assert_string_equal(fx->sn.text,
                      "warning doi-url-prefix a.json 2:5 1: DOI is written as "
                      "a URL 'https://doi.org/10.1000/182'; use the bare DOI "
                      "'10.1000/182'\n");
}

static void validate__duplicate_doi_note_points_at_first(void **state)
{
  fixture *fx = *state;
  check_one(fx, article("a.json", 1, "k1", "10.1000/ABC"));
  check_one(fx, article("a.json", 10, "k2", "10.1000/x"));
  check_one(fx, article("b.json", 20, "k3", "10.1000/abc"));
  assert_string_equal(
      fx->sn.text,
      "warning duplicate-doi b.json 21:5 1: DOI '10.1000/abc' is also on an "
      "earlier record; merge the two or drop one\n"
      "note duplicate-doi a.json 2:5 1: first seen here\n");
}

static void validate__same_doi_twice_in_one_record_is_no_duplicate(void **state)
{
  fixture *fx = *state;
  citeconv_record *rec = article("a.json", 1, "k1", "10.1000/1");
  citeconv_pos p = {4, 4};
  citeconv_record_add_text(rec, CITECONV_VAR_DOI, "10.1000/1", 9, p);
  check_one(fx, rec);
  assert_int_equal(fx->sn.n, 0);
}

static void validate__duplicate_key_only_within_one_input(void **state)
{
  fixture *fx = *state;
  citeconv_record *b = article("b.json", 1, "k1", "10.1000/1");
  citeconv_pos p = {1, 1};
  /* another work under the same key in another input */
  citeconv_record_set_text(b, CITECONV_VAR_TITLE, "Elsewhere", 9, p);
  check_one(fx, article("a.json", 1, "k1", NULL));
  check_one(fx, b);
  assert_int_equal(fx->sn.n, 0);
  check_one(fx, article("b.json", 9, "k1", "10.1000/2"));
  assert_non_null(strstr(fx->sn.text, "error duplicate-key b.json 9:1 2: "
                                      "key 'k1' is used by an earlier"));
  assert_non_null(strstr(fx->sn.text, "note duplicate-key b.json 1:1 1: "
                                      "first seen here"));
}

static void validate__same_work_found_despite_case_and_punctuation(void **state)
{
  fixture *fx = *state;
  citeconv_record *a = article("a.json", 1, "k1", NULL);
  citeconv_record *b = article("a.json", 9, "k2", NULL);
  citeconv_pos p = {9, 1};
  citeconv_record_set_text(a, CITECONV_VAR_TITLE, "Cells: a review", 15, p);
  citeconv_record_set_text(b, CITECONV_VAR_TITLE, "CELLS -- A <i>Review</i>",
                           24, p);
  check_one(fx, a);
  check_one(fx, b);
  assert_non_null(strstr(fx->sn.text, "warning duplicate-record a.json"));
  assert_int_equal(fx->sn.n, 2);
}

static void validate__impossible_and_leap_dates(void **state)
{
  fixture *fx = *state;
  citeconv_record *a = article("a.json", 1, "k1", NULL);
  citeconv_record *b = article("a.json", 9, "k2", NULL);
  citeconv_date d = {0};
  d.year = 2020, d.month = 2, d.day = 29;
  citeconv_record_set_date(a, CITECONV_VAR_ISSUED, &d);
  d.year = 2019;
  citeconv_record_set_date(b, CITECONV_VAR_ISSUED, &d);
  check_one(fx, a);
  assert_int_equal(fx->sn.n, 0);
  check_one(fx, b);
  assert_non_null(strstr(fx->sn.text, "error date-impossible a.json 9:1 2: "
                                      "issued date 2019-02-29 does not "
                                      "exist (bad day)"));
}

static void validate__name_problems(void **state)
{
  fixture *fx = *state;
  citeconv_record *rec = article("a.json", 1, "k1", NULL);
  citeconv_name n = {0};
  n.role = CITECONV_VAR_AUTHOR;
  n.family = "M\xC3\x83\xC2\xBCller";
  n.given = "Hans";
  citeconv_record_add_name(rec, &n);
  n.family = "J.";
  n.given = "Smith";
  citeconv_record_add_name(rec, &n);
  n.family = NULL;
  n.given = "Anna";
  citeconv_record_add_name(rec, &n);
  n.family = "Carberry";
  n.given = "Josiah";
  n.orcid = "0000-0002-1825-0098";
  citeconv_record_add_name(rec, &n);
  check_one(fx, rec);
  assert_non_null(strstr(fx->sn.text, "it should probably be 'M\xC3\xBCller'"));
  assert_non_null(strstr(fx->sn.text, "warning name-swapped"));
  assert_non_null(strstr(fx->sn.text, "warning name-empty-family"));
  assert_non_null(strstr(fx->sn.text, "the other digits call for '7'"));
}

static void validate__truncated_list_is_reported(void **state)
{
  fixture *fx = *state;
  citeconv_record *rec = article("a.json", 1, "k1", NULL);
  citeconv_record_set_truncated(rec, CITECONV_VAR_AUTHOR, true);
  check_one(fx, rec);
  assert_non_null(strstr(fx->sn.text, "warning author-truncated"));
}

static void validate__fix_cleans_doi_pages_and_spaces(void **state)
{
  fixture *fx = *state;
  citeconv_record *rec = article("a.json", 1, "k1", "doi: 10.1000/182.");
  citeconv_pos p = {3, 3};
  citeconv_record_set_text(rec, CITECONV_VAR_PAGE, "12--19", 6, p);
  citeconv_record_set_text(rec, CITECONV_VAR_VOLUME, " 7 ", 3, p);
  assert_int_equal(citeconv_check_fix(fx->ck, rec), 3);
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_DOI),
                      "10.1000/182");
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_PAGE), "12-19");
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_VOLUME), "7");
  assert_int_equal(citeconv_session_diag_count(fx->s, CITECONV_SEV_NOTE), 3);
  /* After the fixes the record is clean, and counted once. */
  check_one(fx, rec);
  assert_int_equal(fx->sn.n, 3);
  assert_int_equal(citeconv_check_count(fx->ck), 1);
  assert_non_null(strstr(fx->sn.text, "note doi-label a.json 2:5 1: fixed: "
                                      "DOI 'doi: 10.1000/182.' is now "
                                      "'10.1000/182'"));
}

static void validate__fix_leaves_bad_doi_alone(void **state)
{
  fixture *fx = *state;
  citeconv_record *rec = article("a.json", 1, "k1", "doi: not a doi");
  assert_int_equal(citeconv_check_fix(fx->ck, rec), 0);
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_DOI),
                      "doi: not a doi");
  citeconv_record_free(rec);
}

static void validate__codes_switch_off_and_on(void **state)
{
  fixture *fx = *state;
  assert_int_equal(citeconv_diag_set_enabled(fx->s, "doi-*", false), 0);
  assert_int_equal(citeconv_diag_set_enabled(fx->s, "doi-label", true), 0);
  assert_int_equal(citeconv_diag_set_enabled(fx->s, "no-such", false),
                   CITECONV_EUSAGE);
  check_one(fx, article("a.json", 1, "k1", "https://doi.org/10.1000/1"));
  check_one(fx, article("a.json", 5, "k2", "doi:10.1000/2"));
  assert_int_equal(fx->sn.n, 1);
  assert_non_null(strstr(fx->sn.text, "warning doi-label"));
}

static void validate__check_codes_are_a_block(void **state)
{
  size_t checks = 0;
  (void)state;
  for (size_t i = 0; i < citeconv_diag_code_count(); i++)
    if (citeconv_diag_code_is_check(i)) {
      checks++;
      assert_non_null(citeconv_diag_code_summary(i));
    }
  assert_true(checks >= 30);
  assert_false(citeconv_diag_code_is_check(0));
}

static void validate__index_survives_many_records(void **state)
{
  fixture *fx = *state;
  char id[32], doi[32];
  for (int i = 0; i < 5000; i++) {
    snprintf(id, sizeof id, "k%d", i);
    snprintf(doi, sizeof doi, "10.1000/%d", i);
    check_one(fx, article("a.json", (unsigned)i + 1, id, doi));
  }
  assert_int_equal(fx->sn.n, 0);
  check_one(fx, article("a.json", 9999, "k4999", "10.1000/4321"));
  /* duplicate key and DOI; the same title too, but that is one work */
  assert_int_equal(fx->sn.n, 4);
  assert_int_equal(citeconv_check_finish(fx->ck), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(validate__clean_record_has_no_finding),
      T(validate__url_prefix_names_the_bare_doi),
      T(validate__duplicate_doi_note_points_at_first),
      T(validate__same_doi_twice_in_one_record_is_no_duplicate),
      T(validate__duplicate_key_only_within_one_input),
      T(validate__same_work_found_despite_case_and_punctuation),
      T(validate__impossible_and_leap_dates),
      T(validate__name_problems),
      T(validate__truncated_list_is_reported),
      T(validate__fix_cleans_doi_pages_and_spaces),
      T(validate__fix_leaves_bad_doi_alone),
      T(validate__codes_switch_off_and_on),
      T(validate__check_codes_are_a_block),
      T(validate__index_survives_many_records),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
