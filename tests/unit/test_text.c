/* Unit tests: UTF-8, NFC, case folding, markup and buffers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "citeconv/common.h"
#include "text.h"

static void utf8__rejects_overlongs_surrogates_and_truncation(void **state)
{
  size_t bad = 99;
  (void)state;
  assert_true(citeconv_utf8_valid("caf\xC3\xA9", 5, NULL));
  assert_false(citeconv_utf8_valid("\xC0\xAF", 2, &bad)); /* overlong '/' */
  assert_int_equal(bad, 0);
  assert_false(citeconv_utf8_valid("ab\xED\xA0\x80", 5, &bad)); /* surrogate */
  assert_int_equal(bad, 2);
  assert_false(citeconv_utf8_valid("x\xE2\x82", 3, &bad)); /* truncated */
  assert_int_equal(bad, 1);
  assert_false(citeconv_utf8_valid("\xF4\x90\x80\x80", 4, NULL)); /* > U+10FFFF */
  assert_int_equal(citeconv_utf8_count("\xC3\xA9t\xC3\xA9", 5), 3);
}

static void text__nfc_composes_and_replaces_bad_bytes(void **state)
{
  citeconv_buf b = CITECONV_BUF_INIT;
  (void)state;
  assert_int_equal(citeconv_text_nfc(&b, "e\xCC\x81", 3), 0);
  assert_string_equal(b.data, "\xC3\xA9");
  citeconv_buf_clear(&b);
  citeconv_text_nfc(&b, "a\xC3", 2);
  assert_string_equal(b.data, "a\xEF\xBF\xBD");
  assert_true(citeconv_text_quick_nfc("M\xC3\xBCller", 7));
  assert_false(citeconv_text_quick_nfc("Mu\xCC\x88ller", 8));
  citeconv_buf_free(&b);
}

static void text__casefold_folds_sharp_s_and_greek(void **state)
{
  citeconv_buf b = CITECONV_BUF_INIT;
  (void)state;
  citeconv_text_casefold(&b, "Stra\xC3\x9F" "E \xCE\xA3", 10);
  assert_string_equal(b.data, "strasse \xCF\x83");
  citeconv_buf_free(&b);
}

static void text__strip_markup_keeps_other_angle_brackets(void **state)
{
  citeconv_buf b = CITECONV_BUF_INIT;
  const char *s = "<i>E. coli</i> <sup>2</sup> a<b <span class=\"nocase\">DNA</span>";
  (void)state;
  citeconv_text_strip_markup(&b, s, strlen(s));
  assert_string_equal(b.data, "E. coli 2 a<b DNA");
  citeconv_buf_free(&b);
}

static void text__strip_markup_keeps_unopened_span_close(void **state)
{
  citeconv_buf b = CITECONV_BUF_INIT;
  const char *s = "Lessard <span class=\"nodecor\">v.</span> Schmidt "
                  "<span class=\"x\">a</span> <span class=\"nocase\">"
                  "<span class=\"nocase\">B</span></span></span>";
  (void)state;
  citeconv_text_strip_markup(&b, s, strlen(s));
  assert_string_equal(b.data, "Lessard v. Schmidt <span class=\"x\">a</span> "
                              "B</span>");
  citeconv_buf_free(&b);
}

static void text__squeeze_folds_white_space(void **state)
{
  citeconv_buf b = CITECONV_BUF_INIT;
  (void)state;
  citeconv_text_squeeze(&b, "  a \t\n b  c ", 12);
  assert_string_equal(b.data, "a b c");
  citeconv_buf_free(&b);
}

static void buf__ceiling_refuses_and_keeps_what_fits(void **state)
{
  citeconv_buf b = CITECONV_BUF_INIT;
  (void)state;
  b.max = 5;
  assert_int_equal(citeconv_buf_add(&b, "abc", 3), 0);
  assert_int_equal(citeconv_buf_add(&b, "defg", 4), CITECONV_ELIMIT);
  assert_true(b.overflow);
  assert_string_equal(b.data, "abcde");
  citeconv_buf_clear(&b);
  assert_false(b.overflow);
  citeconv_buf_add_cp(&b, 0x1F600);
  assert_string_equal(b.data, "\xF0\x9F\x98\x80");
  citeconv_buf_free(&b);
}

/* The escape one byte at a time, as the rule reads. */
static void escape_by_byte(citeconv_buf *b, const char *s, size_t n,
                           bool html)
{
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '&')
      citeconv_buf_adds(b, "&amp;");
    else if (c == '<')
      citeconv_buf_adds(b, "&lt;");
    else if (c == '>')
      citeconv_buf_adds(b, "&gt;");
    else if (c == '"')
      citeconv_buf_adds(b, "&quot;");
    else if (c == '\'' && html)
      citeconv_buf_adds(b, "&#39;");
    else if (c < 0x20 && c != '\t' && c != '\n' && (html || c != '\r'))
      citeconv_buf_addc(b, ' ');
    else
      citeconv_buf_addc(b, (char)c);
  }
}

static void text__xml_escape_matches_the_byte_rule(void **state)
{
  /* Every byte value at every place of texts around a vector's length,
   * and random texts rich in the escaped bytes, for XML and for HTML. */
  static const char pool[] = "a&<>\"'\t\n\r\x01\x1f \xc3\xa9z";
  citeconv_buf want = CITECONV_BUF_INIT, got = CITECONV_BUF_INIT;
  char s[80];
  uint32_t seed = 12345;
  (void)state;
  for (int html = 0; html < 2; html++) {
    for (size_t n = 1; n <= 40; n++)
      for (size_t at = 0; at < n; at++)
        for (int c = 1; c < 256; c++) {
          memset(s, 'x', n);
          s[at] = (char)c;
          citeconv_buf_clear(&want);
          citeconv_buf_clear(&got);
          escape_by_byte(&want, s, n, html);
          assert_int_equal(citeconv_text_xml_escape(&got, s, n, html), 0);
          assert_int_equal(got.len, want.len);
          assert_memory_equal(got.data, want.data, want.len);
        }
    for (int k = 0; k < 20000; k++) {
      size_t n;
      seed = seed * 1103515245u + 12345u;
      n = (seed >> 16) % sizeof s;
      for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        s[i] = pool[(seed >> 16) % (sizeof pool - 1)];
      }
      citeconv_buf_clear(&want);
      citeconv_buf_clear(&got);
      escape_by_byte(&want, s, n, html);
      assert_int_equal(citeconv_text_xml_escape(&got, s, n, html), 0);
      assert_int_equal(got.len, want.len);
      if (want.len)
        assert_memory_equal(got.data, want.data, want.len);
    }
  }
  citeconv_buf_clear(&got);
  citeconv_text_xml_escape(&got, "a<b>&\"c'\x01\r", 10, true);
  assert_string_equal(got.data, "a&lt;b&gt;&amp;&quot;c&#39;  ");
  citeconv_buf_free(&want);
  citeconv_buf_free(&got);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(utf8__rejects_overlongs_surrogates_and_truncation),
      cmocka_unit_test(text__nfc_composes_and_replaces_bad_bytes),
      cmocka_unit_test(text__casefold_folds_sharp_s_and_greek),
      cmocka_unit_test(text__strip_markup_keeps_other_angle_brackets),
      cmocka_unit_test(text__strip_markup_keeps_unopened_span_close),
      cmocka_unit_test(text__squeeze_folds_white_space),
      cmocka_unit_test(buf__ceiling_refuses_and_keeps_what_fits),
      cmocka_unit_test(text__xml_escape_matches_the_byte_rule),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
