/* Unit tests: the vector byte tests of vec.h, each against the byte it
 * describes. This file is built twice: as it is (SSE2 on x86-64) and with
 * CITECONV_NO_SIMD (the 64-bit word version), so both are checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vec.h"

/* Every byte value, in every lane. */
static unsigned char all_bytes[256 + CITECONV_VEC];

static void fill_all_bytes(void)
{
  for (size_t i = 0; i < sizeof all_bytes; i++)
    all_bytes[i] = (unsigned char)(i * 7 + 3);
}

static void vec__eq_flags_exactly_the_equal_bytes(void **state)
{
  (void)state;
  fill_all_bytes();
  for (unsigned c = 0; c < 256; c++)
    for (size_t at = 0; at + CITECONV_VEC <= sizeof all_bytes; at++) {
      unsigned m = citeconv_vec_mask(
          citeconv_vec_eq(citeconv_vec_load(all_bytes + at), (unsigned char)c));
      for (unsigned k = 0; k < CITECONV_VEC; k++)
        assert_int_equal((m >> k) & 1u, all_bytes[at + k] == c);
    }
}

static void vec__in_flags_exactly_the_bytes_in_range(void **state)
{
  (void)state;
  fill_all_bytes();
  for (unsigned lo = 0; lo < 256; lo++)
    for (unsigned hi = lo; hi < 256; hi += 1 + (hi & 3))
      for (size_t at = 0; at + CITECONV_VEC <= sizeof all_bytes;
           at += CITECONV_VEC) {
        unsigned m = citeconv_vec_mask(citeconv_vec_in(
            citeconv_vec_load(all_bytes + at), (unsigned char)lo,
            (unsigned char)hi));
        for (unsigned k = 0; k < CITECONV_VEC; k++) {
          unsigned b = all_bytes[at + k];
          assert_int_equal((m >> k) & 1u, b >= lo && b <= hi);
        }
      }
}

static void vec__high_cont_and_or(void **state)
{
  (void)state;
  fill_all_bytes();
  for (size_t at = 0; at + CITECONV_VEC <= sizeof all_bytes; at++) {
    citeconv_vec x = citeconv_vec_load(all_bytes + at);
    unsigned high = citeconv_vec_mask(citeconv_vec_high(x));
    unsigned cont = citeconv_vec_mask(citeconv_vec_cont(x));
    unsigned either = citeconv_vec_mask(
        citeconv_vec_or(citeconv_vec_eq(x, 'a'), citeconv_vec_eq(x, 0xFF)));
    for (unsigned k = 0; k < CITECONV_VEC; k++) {
      unsigned b = all_bytes[at + k];
      assert_int_equal((high >> k) & 1u, b >= 0x80);
      assert_int_equal((cont >> k) & 1u, (b & 0xC0) == 0x80);
      assert_int_equal((either >> k) & 1u, b == 'a' || b == 0xFF);
    }
  }
}

static void vec__set_bits_sets_them_in_every_byte(void **state)
{
  (void)state;
  fill_all_bytes();
  for (unsigned c = 0; c < 256; c += 0x11)
    for (size_t at = 0; at + CITECONV_VEC <= sizeof all_bytes; at++) {
      citeconv_vec x = citeconv_vec_set_bits(citeconv_vec_load(all_bytes + at),
                                             (unsigned char)c);
      for (unsigned v = 0; v < 256; v += 5) {
        unsigned m = citeconv_vec_mask(citeconv_vec_eq(x, (unsigned char)v));
        for (unsigned k = 0; k < CITECONV_VEC; k++)
          assert_int_equal((m >> k) & 1u, (all_bytes[at + k] | c) == v);
      }
    }
}

static void vec__mask_first_last_and_count(void **state)
{
  (void)state;
  for (unsigned m = 1; m < 0x10000; m++) {
    unsigned first = 0, last = 15, count = 0;
    while (!((m >> first) & 1u))
      first++;
    while (!((m >> last) & 1u))
      last--;
    assert_int_equal(citeconv_mask_last(m), last);
    for (unsigned k = 0; k < 16; k++)
      count += (m >> k) & 1u;
    assert_int_equal(citeconv_mask_first(m), first);
    assert_int_equal(citeconv_mask_count(m), count);
  }
}

static unsigned quote_or_control(citeconv_vec x)
{
  return citeconv_vec_mask(
      citeconv_vec_or(citeconv_vec_eq(x, '"'), citeconv_vec_in(x, 0, 0x1F)));
}

/* citeconv_vec_run against a byte loop, on random text of mostly
 * letters, spaces and two-byte characters, with a stop byte now and then. */
static void vec__run_stops_where_a_byte_loop_stops(void **state)
{
  unsigned char buf[200];
  unsigned seed = 12345;
  (void)state;
  for (int round = 0; round < 20000; round++) {
    size_t n, want = 0, want_cont = 0, cont = 0, got;
    seed = seed * 1103515245u + 12345u;
    n = (seed >> 16) % sizeof buf;
    for (size_t i = 0; i < n; i++) {
      unsigned r;
      seed = seed * 1103515245u + 12345u;
      r = (seed >> 16) % 100;
      if (r < 2)
        buf[i] = '"';
      else if (r < 3)
        buf[i] = '\n';
      else if (r < 10 && i + 1 < n) {
        buf[i++] = 0xC3;
        buf[i] = 0xA9;
      } else
        buf[i] = (unsigned char)('a' + r % 26);
    }
    got = citeconv_vec_run(buf, n, quote_or_control, &cont);
    /* The run stops at the first stop byte, or at the last whole vector. */
    while (want < n && buf[want] != '"' && buf[want] >= 0x20)
      want++;
    if (want == n)
      want = n - n % CITECONV_VEC;
    else if (want >= n - n % CITECONV_VEC)
      want = n - n % CITECONV_VEC;
    for (size_t i = 0; i < want; i++)
      want_cont += (buf[i] & 0xC0) == 0x80;
    assert_int_equal(got, want);
    assert_int_equal(cont, want_cont);
  }
}

/* citeconv_vec_span against a byte loop, at every length up to three
 * vectors and every position of the one stop byte (or none). */
static void vec__span_finds_the_first_stop_at_any_length(void **state)
{
  unsigned char buf[3 * CITECONV_VEC + 1];
  (void)state;
  for (size_t n = 0; n < sizeof buf; n++)
    for (size_t at = 0; at <= n; at++) {
      for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)(i % 3 == 0 ? 0xC3 : 'a' + i % 26);
      if (at < n)
        buf[at] = '"';
      assert_int_equal(citeconv_vec_span(buf, n, quote_or_control), at);
    }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(vec__eq_flags_exactly_the_equal_bytes),
      cmocka_unit_test(vec__in_flags_exactly_the_bytes_in_range),
      cmocka_unit_test(vec__high_cont_and_or),
      cmocka_unit_test(vec__set_bits_sets_them_in_every_byte),
      cmocka_unit_test(vec__mask_first_last_and_count),
      cmocka_unit_test(vec__run_stops_where_a_byte_loop_stops),
      cmocka_unit_test(vec__span_finds_the_first_stop_at_any_length),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
