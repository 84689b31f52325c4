/* LaTeX in BibTeX values to Unicode with markup, and back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bibtex.h"

static char out[4096];

static const char *conv(const char *in, unsigned flags)
{
  citeconv_buf b = CITECONV_BUF_INIT;
  assert_int_equal(citeconv_bibtex_latex_to_text(&b, in, strlen(in), flags,
                                                 100, NULL, NULL),
                   0);
  snprintf(out, sizeof(out), "%s", b.data ? b.data : "");
  citeconv_buf_free(&b);
  return out;
}

static const char *back(const char *in, bool ascii)
{
  citeconv_buf b = CITECONV_BUF_INIT;
  citeconv_bibtex_text_to_latex(&b, in, strlen(in), ascii, true, NULL, NULL);
  snprintf(out, sizeof(out), "%s", b.data ? b.data : "");
  citeconv_buf_free(&b);
  return out;
}

static void latex__accents_braced_or_not(void **state)
{
  (void)state;
  /* the precomposed letter where Unicode has one, as NFC would make it */
  assert_string_equal(conv("\\\"o", 0), "\xc3\xb6");
  assert_string_equal(conv("{\\\"o}", 0), "\xc3\xb6");
  assert_string_equal(conv("\\\"{o}", 0), "\xc3\xb6");
  assert_string_equal(conv("\\v s", 0), "\xc5\xa1");
  assert_string_equal(conv("\\c{c}", 0), "\xc3\xa7");
  /* else the letter and the combining mark (q with a caron) */
  assert_string_equal(conv("\\v{q}", 0), "q\xcc\x8c");
}

static void latex__accent_on_dotless_i(void **state)
{
  (void)state;
  assert_string_equal(conv("\\'\\i", 0), "\xc3\xad");
  assert_string_equal(conv("\\'{\\i}", 0), "\xc3\xad");
  assert_string_equal(conv("X\\'\\ixx", 0), "X\xc3\xadxx");
}

static void latex__special_letters(void **state)
{
  (void)state;
  assert_string_equal(conv("{\\ss}", 0), "\xc3\x9f");
  assert_string_equal(conv("\\o{} \\AA{}", 0), "\xc3\xb8 \xc3\x85");
  assert_string_equal(conv("{\\l}{\\dh}{\\th}", 0),
                      "\xc5\x82\xc3\xb0\xc3\xbe");
}

static void latex__dashes_quotes_and_tilde(void **state)
{
  (void)state;
  assert_string_equal(conv("1--2 a---b", 0),
                      "1\xe2\x80\x93"
                      "2 a\xe2\x80\x94"
                      "b");
  assert_string_equal(conv("``q''", 0), "\xe2\x80\x9cq\xe2\x80\x9d");
  assert_string_equal(conv("a~b", 0), "a\xc2\xa0"
                                      "b");
  assert_string_equal(conv("O'Brien", CITECONV_BIBTEX_NO_QUOTES), "O'Brien");
}

static void latex__escaped_specials(void **state)
{
  (void)state;
  assert_string_equal(conv("\\& \\% \\$ \\_ \\# \\{ \\}", 0),
                      "& % $ _ # { }");
}

static void latex__markup(void **state)
{
  (void)state;
  assert_string_equal(conv("\\textit{E. coli}", 0), "<i>E. coli</i>");
  assert_string_equal(conv("\\emph{x} \\textbf{y}", 0), "<i>x</i> <b>y</b>");
  assert_string_equal(conv("{\\em a b} c", 0), "<i>a b</i> c");
  assert_string_equal(conv("H$_2$O", 0), "H<sub>2</sub>O");
  assert_string_equal(conv("x\\textsuperscript{2}", 0), "x<sup>2</sup>");
  assert_string_equal(conv("$10^{-3}$", 0),
                      "10<sup>\xe2\x88\x92"
                      "3</sup>");
}

static void latex__math_greek(void **state)
{
  (void)state;
  assert_string_equal(conv("$\\alpha$-helix", 0), "\xce\xb1-helix");
  assert_string_equal(conv("$\\Delta$", 0), "\xce\x94");
}

static void latex__case_protection_in_titles_only(void **state)
{
  (void)state;
  assert_string_equal(conv("The {DNA} story", CITECONV_BIBTEX_TITLE),
                      "The <span class=\"nocase\">DNA</span> story");
  assert_string_equal(conv("The {DNA} story", 0), "The DNA story");
  /* a group starting with a command is a special character */
  assert_string_equal(conv("{\\\"O}l", CITECONV_BIBTEX_TITLE),
                      "\xc3\x96l");
  /* only the outer level protects */
  assert_string_equal(conv("{a {b} c}", CITECONV_BIBTEX_TITLE),
                      "<span class=\"nocase\">a b c</span>");
}

static void latex__unknown_command_kept(void **state)
{
  (void)state;
  assert_string_equal(conv("a \\foo{x} b", 0), "a \\foo{x} b");
}

static void latex__unbalanced_input_is_safe(void **state)
{
  (void)state;
  assert_string_equal(conv("a}b{c", 0), "abc");
  assert_string_equal(conv("\\", 0), "\\");
  assert_string_equal(conv("\\'", 0), "\xc2\xb4"); /* the accent itself */
}

static void latex__writes_ascii_escapes(void **state)
{
  (void)state;
  assert_string_equal(back("M\xc3\xbcller & Co", true),
                      "M{\\\"{u}}ller \\& Co");
  assert_string_equal(back("<i>E. coli</i> 50%", true),
                      "\\textit{E. coli} 50\\%");
  assert_string_equal(back("The <span class=\"nocase\">DNA</span>", true),
                      "The {DNA}");
  assert_string_equal(back("1\xe2\x80\x93"
                           "2",
                           true),
                      "1--2");
  assert_string_equal(back("a{b}", true),
                      "a\\textbraceleft{}b\\textbraceright{}");
  assert_string_equal(back("M\xc3\xbcller", false), "M\xc3\xbcller");
}

/* The writer's cache gives what the long way gives, when it fills and
 * when it answers (slots shared by code points 1024 apart included),
 * counting the unmapped ones alike; a full pool falls back to the long
 * way. */
static void latex__cache_agrees_with_long_way(void **state)
{
  static citeconv_latex_cache cache, tiny;
  (void)state;
  memset(&cache, 0, sizeof cache);
  memset(&tiny, 0, sizeof tiny);
  tiny.used = sizeof tiny.pool - 4; /* room for almost nothing */
  for (int pass = 0; pass < 2; pass++)
    for (unsigned cp = 0x80; cp < 0x2200; cp++) {
      citeconv_buf in = CITECONV_BUF_INIT, a = CITECONV_BUF_INIT,
                   b = CITECONV_BUF_INIT, c = CITECONV_BUF_INIT;
      size_t ua = 0, ub = 0, uc = 0;
      bool quotes = (cp & 1) != 0;
      citeconv_buf_addc(&in, 'x');
      citeconv_buf_add_cp(&in, cp);
      citeconv_buf_addc(&in, 'y');
      citeconv_bibtex_text_to_latex(&a, in.data, in.len, true, quotes, &ua,
                                    NULL);
      citeconv_bibtex_text_to_latex(&b, in.data, in.len, true, quotes, &ub,
                                    &cache);
      citeconv_bibtex_text_to_latex(&c, in.data, in.len, true, quotes, &uc,
                                    &tiny);
      assert_string_equal(a.data, b.data);
      assert_string_equal(a.data, c.data);
      assert_int_equal(ua, ub);
      assert_int_equal(ua, uc);
      citeconv_buf_free(&in);
      citeconv_buf_free(&a);
      citeconv_buf_free(&b);
      citeconv_buf_free(&c);
    }
  /* Commands were found, and kept. */
  assert_true(cache.used > 0);
  assert_string_equal(back("\xc3\xa9", true), "{\\'{e}}");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(latex__accents_braced_or_not),
      cmocka_unit_test(latex__accent_on_dotless_i),
      cmocka_unit_test(latex__special_letters),
      cmocka_unit_test(latex__dashes_quotes_and_tilde),
      cmocka_unit_test(latex__escaped_specials),
      cmocka_unit_test(latex__markup),
      cmocka_unit_test(latex__math_greek),
      cmocka_unit_test(latex__case_protection_in_titles_only),
      cmocka_unit_test(latex__unknown_command_kept),
      cmocka_unit_test(latex__unbalanced_input_is_safe),
      cmocka_unit_test(latex__writes_ascii_escapes),
      cmocka_unit_test(latex__cache_agrees_with_long_way),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
