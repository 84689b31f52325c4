/* BibTeX name splitting: First von Last, von Last, Jr, First, literals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bibtex.h"

static char parts[4][128];

static void split(const char *s)
{
  citeconv_bibtex_name_parts p;
  const citeconv_bibtex_span *sp[4];
  citeconv_bibtex_split_name(s, strlen(s), &p);
  sp[0] = &p.first;
  sp[1] = &p.von;
  sp[2] = &p.last;
  sp[3] = &p.jr;
  for (int i = 0; i < 4; i++)
    snprintf(parts[i], sizeof(parts[i]), "%.*s", (int)sp[i]->len,
             s + sp[i]->off);
}

static void bibnames__first_last(void **state)
{
  (void)state;
  split("Donald E. Knuth");
  assert_string_equal(parts[0], "Donald E.");
  assert_string_equal(parts[2], "Knuth");
}

static void bibnames__first_von_last(void **state)
{
  (void)state;
  split("Ludwig van Beethoven");
  assert_string_equal(parts[0], "Ludwig");
  assert_string_equal(parts[1], "van");
  assert_string_equal(parts[2], "Beethoven");
  split("Charles Louis Xavier Joseph de la Vall{\\'e}e Poussin");
  assert_string_equal(parts[1], "de la");
  assert_string_equal(parts[2], "Vall{\\'e}e Poussin");
}

static void bibnames__von_last_comma_first(void **state)
{
  (void)state;
  split("van der Berg, Jan");
  assert_string_equal(parts[0], "Jan");
  assert_string_equal(parts[1], "van der");
  assert_string_equal(parts[2], "Berg");
}

static void bibnames__von_last_jr_first(void **state)
{
  (void)state;
  split("Ford, Jr., Henry");
  assert_string_equal(parts[0], "Henry");
  assert_string_equal(parts[2], "Ford");
  assert_string_equal(parts[3], "Jr.");
}

static void bibnames__braced_organisation_is_literal(void **state)
{
  citeconv_bibtex_name_parts p;
  const char *s = "{World Health Organization}";
  (void)state;
  citeconv_bibtex_split_name(s, strlen(s), &p);
  assert_true(p.literal);
  assert_int_equal(p.last.len, strlen("World Health Organization"));
}

static void bibnames__others(void **state)
{
  citeconv_bibtex_name_parts p;
  (void)state;
  citeconv_bibtex_split_name("others", 6, &p);
  assert_true(p.others);
}

static void bibnames__hyphenated(void **state)
{
  (void)state;
  split("Jean-Paul Sartre");
  assert_string_equal(parts[0], "Jean-Paul");
  assert_string_equal(parts[2], "Sartre");
}

static void bibnames__special_character_case(void **state)
{
  (void)state;
  /* {\"O}zt{\"u}rk starts with an upper-case special character */
  split("Ali {\\\"O}zt{\\\"u}rk");
  assert_string_equal(parts[0], "Ali");
  assert_string_equal(parts[1], "");
  assert_string_equal(parts[2], "{\\\"O}zt{\\\"u}rk");
}

static void bibnames__splits_list_at_and(void **state)
{
  const char *s = "A. Smith and {Barnes and Noble} AND C. Jones";
  size_t pos = 0, n = 0;
  citeconv_bibtex_span sp;
  char got[3][64];
  (void)state;
  while (citeconv_bibtex_next_name(s, strlen(s), &pos, &sp) && n < 3) {
    snprintf(got[n], sizeof(got[n]), "%.*s", (int)sp.len, s + sp.off);
    n++;
  }
  assert_int_equal(n, 3);
  assert_string_equal(got[0], "A. Smith");
  assert_string_equal(got[1], "{Barnes and Noble}");
  assert_string_equal(got[2], "C. Jones");
}

static void bibnames__biblatex_extended(void **state)
{
  citeconv_bibtex_name_parts p;
  const char *s = "family=Hakim, given=Tawfiq, prefix=al-, useprefix=true";
  (void)state;
  assert_true(citeconv_bibtex_split_extended(s, strlen(s), &p));
  assert_int_equal(p.last.len, 5);
  assert_int_equal(p.von.len, 3);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(bibnames__first_last),
      cmocka_unit_test(bibnames__first_von_last),
      cmocka_unit_test(bibnames__von_last_comma_first),
      cmocka_unit_test(bibnames__von_last_jr_first),
      cmocka_unit_test(bibnames__braced_organisation_is_literal),
      cmocka_unit_test(bibnames__others),
      cmocka_unit_test(bibnames__hyphenated),
      cmocka_unit_test(bibnames__special_character_case),
      cmocka_unit_test(bibnames__splits_list_at_and),
      cmocka_unit_test(bibnames__biblatex_extended),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
