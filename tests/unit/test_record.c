/* Unit tests: the arena, the record, and the type/variable tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "citeconv/record.h"

static void arena__allocations_are_zeroed_and_aligned(void **state)
{
  citeconv_arena a;
  (void)state;
  citeconv_arena_init(&a);
  for (int i = 1; i < 5000; i++) {
    unsigned char *p = citeconv_arena_alloc(&a, (size_t)(i % 97) + 1);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
    for (int j = 0; j < (i % 97) + 1; j++)
      assert_int_equal(p[j], 0);
    memset(p, 0xAB, (size_t)(i % 97) + 1);
  }
  assert_true(a.total > 0);
  citeconv_arena_free(&a);
  assert_int_equal(a.total, 0);
}

static void arena__realloc_keeps_contents(void **state)
{
  citeconv_arena a;
  char *p;
  (void)state;
  citeconv_arena_init(&a);
  p = citeconv_arena_alloc(&a, 4);
  memcpy(p, "abc", 4);
  for (size_t n = 8; n < 100000; n *= 2) {
    p = citeconv_arena_realloc(&a, p, n / 2, n);
    assert_non_null(p);
    assert_string_equal(p, "abc");
  }
  citeconv_arena_free(&a);
}

static void arena__large_block_is_its_own(void **state)
{
  citeconv_arena a;
  char *p;
  (void)state;
  citeconv_arena_init(&a);
  p = citeconv_arena_alloc(&a, 5 << 20);
  assert_non_null(p);
  p[(5 << 20) - 1] = 'x';
  citeconv_arena_free(&a);
}

static void record__type_and_var_names_round_trip(void **state)
{
  (void)state;
  for (int t = 0; t < CITECONV_TYPE__COUNT; t++) {
    const char *n = citeconv_type_name((citeconv_type)t);
    assert_non_null(n);
    assert_int_equal(citeconv_type_from_name(n, strlen(n)), t);
  }
  for (int v = 0; v < CITECONV_VAR__COUNT; v++) {
    const char *n = citeconv_var_name((citeconv_var)v);
    assert_non_null(n);
    assert_int_equal(citeconv_var_from_name(n, strlen(n)), v);
  }
  assert_int_equal(citeconv_type_from_name("journal-article", 15), -1);
  assert_int_equal(citeconv_var_from_name("Title", 5), CITECONV_VAR_NONE);
  assert_int_equal(citeconv_var_kind_of(CITECONV_VAR_AUTHOR),
                   CITECONV_KIND_NAME);
  assert_int_equal(citeconv_var_kind_of(CITECONV_VAR_ISSUED),
                   CITECONV_KIND_DATE);
  assert_int_equal(citeconv_var_kind_of(CITECONV_VAR_VOLUME),
                   CITECONV_KIND_NUMBER);
}

static void record__set_text_replaces_and_add_text_appends(void **state)
{
  citeconv_record *rec;
  citeconv_pos pos = {3, 7};
  (void)state;
  assert_int_equal(citeconv_record_new(&rec), 0);
  assert_int_equal(citeconv_record_type(rec), CITECONV_TYPE_DOCUMENT);
  assert_int_equal(citeconv_record_set_text(rec, CITECONV_VAR_TITLE, "One", 3, pos), 0);
  assert_int_equal(citeconv_record_set_text(rec, CITECONV_VAR_TITLE, "Two", 3, pos), 0);
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_TITLE), "Two");
  citeconv_record_add_text(rec, CITECONV_VAR_KEYWORD, "a", 1, pos);
  citeconv_record_add_text(rec, CITECONV_VAR_KEYWORD, "b", 1, pos);
  assert_int_equal(citeconv_record_field_count(rec), 3);
  assert_string_equal(citeconv_record_field_at(rec, 2)->value, "b");
  assert_int_equal(citeconv_record_field(rec, CITECONV_VAR_TITLE)->pos.col, 7);
  assert_int_equal(citeconv_record_set_text(rec, CITECONV_VAR_AUTHOR, "x", 1, pos),
                   CITECONV_EUSAGE);
  citeconv_record_clear_text(rec, CITECONV_VAR_KEYWORD);
  assert_int_equal(citeconv_record_field_count(rec), 1);
  assert_null(citeconv_record_text(rec, CITECONV_VAR_DOI));
  citeconv_record_free(rec);
}

static void record__text_is_stored_in_nfc(void **state)
{
  citeconv_record *rec;
  citeconv_pos pos = {1, 1};
  /* "Mu" + COMBINING DIAERESIS + "ller" becomes "Müller". */
  const char *decomposed = "Mu\xCC\x88ller";
  (void)state;
  citeconv_record_new(&rec);
  citeconv_record_set_text(rec, CITECONV_VAR_TITLE, decomposed,
                           strlen(decomposed), pos);
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_TITLE),
                      "M\xC3\xBCller");
  /* Invalid UTF-8 becomes U+FFFD. */
  citeconv_record_set_text(rec, CITECONV_VAR_NOTE, "a\xFF" "b", 3, pos);
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_NOTE),
                      "a\xEF\xBF\xBD" "b");
  citeconv_record_free(rec);
}

static void record__names_copy_every_part(void **state)
{
  citeconv_record *rec;
  citeconv_name n;
  char family[] = "Beethoven";
  const char *aff[] = {"Vienna"};
  const citeconv_name *got;
  (void)state;
  citeconv_record_new(&rec);
  memset(&n, 0, sizeof n);
  n.role = CITECONV_VAR_COMPOSER;
  n.family = family;
  n.given = "Ludwig";
  n.non_dropping_particle = "van";
  n.orcid = "0000-0002-1825-0097";
  n.affiliations = aff;
  n.n_affiliations = 1;
  assert_int_equal(citeconv_record_add_name(rec, &n), 0);
  family[0] = 'X'; /* the record holds its own copy */
  n.role = CITECONV_VAR_TITLE;
  assert_int_equal(citeconv_record_add_name(rec, &n), CITECONV_EUSAGE);
  assert_int_equal(citeconv_record_name_count(rec), 1);
  got = citeconv_record_name_at(rec, 0);
  assert_string_equal(got->family, "Beethoven");
  assert_string_equal(got->non_dropping_particle, "van");
  assert_string_equal(got->affiliations[0], "Vienna");
  assert_int_equal(citeconv_record_role_count(rec, CITECONV_VAR_COMPOSER), 1);
  assert_int_equal(citeconv_record_role_count(rec, CITECONV_VAR_AUTHOR), 0);
  assert_false(citeconv_record_truncated(rec, CITECONV_VAR_AUTHOR));
  citeconv_record_set_truncated(rec, CITECONV_VAR_AUTHOR, true);
  assert_true(citeconv_record_truncated(rec, CITECONV_VAR_AUTHOR));
  citeconv_record_free(rec);
}

static void record__many_names_stay_in_order(void **state)
{
  citeconv_record *rec;
  citeconv_name n;
  char buf[32];
  (void)state;
  citeconv_record_new(&rec);
  memset(&n, 0, sizeof n);
  n.role = CITECONV_VAR_AUTHOR;
  n.family = buf;
  for (int i = 0; i < 10000; i++) {
    snprintf(buf, sizeof buf, "Name%d", i);
    assert_int_equal(citeconv_record_add_name(rec, &n), 0);
  }
  assert_int_equal(citeconv_record_name_count(rec), 10000);
  assert_string_equal(citeconv_record_name_at(rec, 9999)->family, "Name9999");
  assert_string_equal(citeconv_record_name_at(rec, 0)->family, "Name0");
  citeconv_record_free(rec);
}

static void record__dates_and_extras(void **state)
{
  citeconv_record *rec;
  citeconv_date d;
  citeconv_pos pos = {2, 2};
  (void)state;
  citeconv_record_new(&rec);
  memset(&d, 0, sizeof d);
  d.year = 1998;
  d.month = 12;
  d.end_year = 1999;
  d.end_month = 1;
  d.raw = "1998 Dec-1999 Jan";
  assert_int_equal(citeconv_record_set_date(rec, CITECONV_VAR_ISSUED, &d), 0);
  assert_int_equal(citeconv_record_set_date(rec, CITECONV_VAR_TITLE, &d),
                   CITECONV_EUSAGE);
  assert_int_equal(citeconv_record_date(rec, CITECONV_VAR_ISSUED)->end_year,
                   1999);
  assert_string_equal(citeconv_record_date(rec, CITECONV_VAR_ISSUED)->raw,
                      "1998 Dec-1999 Jan");
  assert_null(citeconv_record_date(rec, CITECONV_VAR_ACCESSED));
  citeconv_record_add_extra(rec, "ris:M3", "x", 1, pos);
  citeconv_record_add_extra(rec, "ris:M3", "y", 1, pos);
  assert_int_equal(citeconv_record_extra_count(rec), 2);
  assert_string_equal(citeconv_record_extra(rec, "ris:M3"), "x");
  assert_string_equal(citeconv_record_extra_at(rec, 1)->value, "y");
  assert_null(citeconv_record_extra(rec, "ris:M4"));
  citeconv_record_free(rec);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(arena__allocations_are_zeroed_and_aligned),
      cmocka_unit_test(arena__realloc_keeps_contents),
      cmocka_unit_test(arena__large_block_is_its_own),
      cmocka_unit_test(record__type_and_var_names_round_trip),
      cmocka_unit_test(record__set_text_replaces_and_add_text_appends),
      cmocka_unit_test(record__text_is_stored_in_nfc),
      cmocka_unit_test(record__names_copy_every_part),
      cmocka_unit_test(record__many_names_stay_in_order),
      cmocka_unit_test(record__dates_and_extras),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
