/* Unit tests: the output's short-cuts give the bytes of the general path.
 * citeconv_out_json_short writes a JSON string at once when it can; it
 * must write what citeconv_out_json_string writes, and decline whatever
 * needs escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io.h"

static bool needs_escape(unsigned char c)
{
  return c < 0x20 || c == '"' || c == '\\';
}

/* A small deterministic generator, so that a failure repeats. */
static uint64_t next_random(uint64_t *s)
{
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

/* Bytes that matter to the test: letters, the escaped ones, their
 * neighbours, and bytes from 0x80 up. */
static unsigned char pick_byte(uint64_t *s)
{
  static const unsigned char pool[] = {
      'a', 'Z', ' ', '.', ',', '"', '\\', 0x00, 0x01, 0x1F, 0x20, 0x21,
      0x23, 0x5B, 0x5D, 0x7F, 0x80, 0xA0, 0xC3, 0xE2, 0xFF};
  return pool[next_random(s) % sizeof pool];
}

static void io__plain_word_matches_a_byte_test(void **state)
{
  (void)state;
  /* Every byte value in every lane of an otherwise plain word. */
  for (unsigned lane = 0; lane < 8; lane++)
    for (unsigned v = 0; v < 256; v++) {
      unsigned char b[8];
      uint64_t x;
      memset(b, 'a', sizeof b);
      b[lane] = (unsigned char)v;
      memcpy(&x, b, 8);
      assert_int_equal(citeconv_json_plain_word(x),
                       !needs_escape((unsigned char)v));
    }
  /* Random words with several such bytes. */
  {
    uint64_t seed = 0x9E3779B97F4A7C15u;
    for (int round = 0; round < 200000; round++) {
      unsigned char b[8];
      bool plain = true;
      uint64_t x;
      for (int k = 0; k < 8; k++) {
        b[k] = pick_byte(&seed);
        plain = plain && !needs_escape(b[k]);
      }
      memcpy(&x, b, 8);
      assert_int_equal(citeconv_json_plain_word(x), plain);
    }
  }
}

static void io__json_short_writes_what_json_string_writes(void **state)
{
  uint64_t seed = 0x2545F4914F6CDD1Du;
  (void)state;
  for (int round = 0; round < 20000; round++) {
    citeconv_output *a, *b;
    unsigned char s[24];
    size_t n = (size_t)(next_random(&seed) % 21), alen, blen;
    const char *ad, *bd;
    bool plain = true, done;
    for (size_t k = 0; k < n; k++) {
      s[k] = pick_byte(&seed);
      plain = plain && !needs_escape(s[k]);
    }
    assert_int_equal(citeconv_output_open_memory(&a), 0);
    assert_int_equal(citeconv_output_open_memory(&b), 0);
    /* A first byte, so that the memory buffers exist. */
    citeconv_out_putc(a, '[');
    citeconv_out_putc(b, '[');
    assert_true(a->cap - a->len >= 18);
    done = citeconv_out_json_short(a, (const char *)s, n);
    /* It takes every plain string of 4 to 16 bytes, and nothing else. */
    assert_int_equal(done, plain && n >= 4 && n <= 16);
    if (done) {
      citeconv_out_putc(b, '"');
      citeconv_out_json_text(b, (const char *)s, n);
      citeconv_out_putc(b, '"');
      ad = citeconv_output_data(a, &alen);
      bd = citeconv_output_data(b, &blen);
      assert_int_equal(alen, blen);
      assert_memory_equal(ad, bd, alen);
    }
    citeconv_output_close(a);
    citeconv_output_close(b);
  }
}

static void io__xml_text_escapes_the_four_bytes(void **state)
{
  /* Each byte value at each place of texts around a vector's length,
   * against the rule written out a byte at a time. */
  (void)state;
  for (size_t n = 1; n <= 40; n++)
    for (size_t at = 0; at < n; at++)
      for (int c = 1; c < 256; c++) {
        citeconv_output *o;
        char s[40], want[256];
        size_t wn = 0, len;
        const char *got;
        memset(s, 'x', n);
        s[at] = (char)c;
        for (size_t i = 0; i < n; i++) {
          const char *e = s[i] == '&'   ? "&amp;"
                          : s[i] == '<' ? "&lt;"
                          : s[i] == '>' ? "&gt;"
                          : s[i] == '"' ? "&quot;"
                                        : NULL;
          if (e) {
            memcpy(want + wn, e, strlen(e));
            wn += strlen(e);
          } else {
            want[wn++] = s[i];
          }
        }
        assert_int_equal(citeconv_output_open_memory(&o), 0);
        citeconv_out_xml_text(o, s, n);
        got = citeconv_output_data(o, &len);
        assert_int_equal(len, wn);
        assert_memory_equal(got, want, wn);
        citeconv_output_close(o);
      }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(io__plain_word_matches_a_byte_test),
      cmocka_unit_test(io__json_short_writes_what_json_string_writes),
      cmocka_unit_test(io__xml_text_escapes_the_four_bytes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
