/* Character-set decoding of inputs: BOMs, UTF-16, legacy sets, invalid
 * UTF-8, explicit encodings, streaming across chunk boundaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "charset.h"
#include "io.h"

typedef struct {
  int n;
  char code[8][32];
  char msg[8][300];
  citeconv_pos pos[8];
} diags;

static void collect(const citeconv_diag *d, void *payload)
{
  diags *ds = payload;
  if (ds->n < 8) {
    snprintf(ds->code[ds->n], sizeof ds->code[0], "%s", d->code);
    snprintf(ds->msg[ds->n], sizeof ds->msg[0], "%s", d->message);
    ds->pos[ds->n] = d->pos;
  }
  ds->n++;
}

/* Decode all of `in` into a malloc'd NUL-terminated string. */
static char *drain(citeconv_input *in, size_t *len)
{
  size_t cap = 1024, n = 0;
  char *out = malloc(cap);
  long k;
  assert_non_null(out);
  for (;;) {
    while (cap - n < 4097) {
      cap *= 2;
      out = realloc(out, cap);
      assert_non_null(out);
    }
    k = citeconv_input_read(in, out + n, 4096);
    assert_true(k >= 0);
    if (k == 0)
      break;
    n += (size_t)k;
  }
  out[n] = '\0';
  if (len)
    *len = n;
  return out;
}

static char *decode_mem(const void *data, size_t len, const char *enc,
                        diags *ds, size_t *outlen)
{
  citeconv_session *s;
  citeconv_input *in;
  char *out;
  assert_int_equal(citeconv_session_new(&s), 0);
  citeconv_session_set_diag_cb(s, collect, ds);
  if (enc)
    assert_int_equal(citeconv_session_set_option(s, "input-encoding", enc), 0);
  assert_int_equal(citeconv_input_open_memory(&in, data, len, "t"), 0);
  /* Readers may peek before deciding; the peeked bytes are decoded too. */
  citeconv_input_fill(in, 2);
  assert_int_equal(citeconv_charset_decode(in, s, NULL), 0);
  out = drain(in, outlen);
  citeconv_input_free(in);
  citeconv_session_free(s);
  return out;
}

static void charset__skips_utf8_bom(void **state)
{
  diags ds = {0};
  char *out = decode_mem("\xEF\xBB\xBFTY  - JOUR\n", 14, NULL, &ds, NULL);
  (void)state;
  assert_string_equal(out, "TY  - JOUR\n");
  assert_int_equal(ds.n, 0);
  free(out);
}

static void charset__converts_utf16le_with_bom(void **state)
{
  static const unsigned char in[] = {0xFF, 0xFE, 'M', 0, 0xFC, 0, 'l', 0,
                                     'l', 0, 'e', 0, 'r', 0, '\n', 0};
  diags ds = {0};
  char *out = decode_mem(in, sizeof in, NULL, &ds, NULL);
  (void)state;
  assert_string_equal(out, "M\xC3\xBCller\n");
  assert_int_equal(ds.n, 0);
  free(out);
}

static void charset__converts_utf16be_with_bom(void **state)
{
  static const unsigned char in[] = {0xFE, 0xFF, 0, 0xF8, 0, 'r', 0xD8, 0x3D,
                                     0xDE, 0x00};
  diags ds = {0};
  char *out = decode_mem(in, sizeof in, NULL, &ds, NULL);
  (void)state;
  assert_string_equal(out, "\xC3\xB8r\xF0\x9F\x98\x80");
  free(out);
}

static void charset__detects_latin1_with_a_note(void **state)
{
  const char *in = "AU  - M\xFCller, J\xE9r\xF4me\nTI  - S\xF8ren's caf\xE9\n";
  diags ds = {0};
  char *out = decode_mem(in, strlen(in), NULL, &ds, NULL);
  (void)state;
  assert_string_equal(out, "AU  - M\xC3\xBCller, J\xC3\xA9r\xC3\xB4me\n"
                           "TI  - S\xC3\xB8ren's caf\xC3\xA9\n");
  assert_int_equal(ds.n, 1);
  assert_string_equal(ds.code[0], "encoding-assumed");
  assert_non_null(strstr(ds.msg[0], "ISO-8859-1"));
  assert_int_equal(ds.pos[0].line, 1);
  assert_int_equal(ds.pos[0].col, 8);
  free(out);
}

static void charset__prefers_windows_1252_for_c1_bytes(void **state)
{
  const char *in = "TI  - \x93Quoted\x94 \x96 caf\xE9\n";
  diags ds = {0};
  char *out = decode_mem(in, strlen(in), NULL, &ds, NULL);
  (void)state;
  assert_string_equal(out, "TI  - \xE2\x80\x9CQuoted\xE2\x80\x9D "
                           "\xE2\x80\x93 caf\xC3\xA9\n");
  assert_int_equal(ds.n, 1);
  assert_non_null(strstr(ds.msg[0], "windows-1252"));
  free(out);
}

static void charset__replaces_invalid_utf8_with_warning(void **state)
{
  /* Valid UTF-8 first, so the input is taken as UTF-8. */
  const char *in = "TI  - \xC3\xBC ok\nAB  - x\xFF\xFEy \xC3\xA9\n";
  diags ds = {0};
  char *out = decode_mem(in, strlen(in), NULL, &ds, NULL);
  (void)state;
  assert_string_equal(out, "TI  - \xC3\xBC ok\nAB  - x\xEF\xBF\xBD"
                           "\xEF\xBF\xBDy \xC3\xA9\n");
  assert_int_equal(ds.n, 1);
  assert_string_equal(ds.code[0], "encoding");
  assert_non_null(strstr(ds.msg[0], "0xFF"));
  assert_int_equal(ds.pos[0].line, 2);
  assert_int_equal(ds.pos[0].col, 8);
  free(out);
}

/* Lines of every length up to three vectors, with tabs and accented
 * letters, ended by LF, CR LF or CR in turn, and then a bad byte: its
 * position must be where a byte-by-byte count puts it. */
static void charset__counts_lines_and_columns_over_long_runs(void **state)
{
  char in[4096];
  unsigned seed = 7;
  (void)state;
  for (int round = 0; round < 300; round++) {
    size_t n = 0;
    uint32_t line = 1, col = 1;
    bool after_cr = false;
    diags ds = {0};
    char *out;
    memcpy(in, "\xC3\xA9", 2); /* UTF-8 from the start */
    n = 2;
    while (n < 3000) {
      size_t len;
      seed = seed * 1103515245u + 12345u;
      len = (seed >> 16) % 50;
      for (size_t k = 0; k < len; k++) {
        unsigned r = (seed >> (k % 16)) % 23;
        if (r == 0) {
          in[n++] = '\t';
        } else if (r == 1) {
          in[n++] = '\xC3';
          in[n++] = '\xBC';
        } else {
          in[n++] = (char)('a' + r);
        }
      }
      switch ((seed >> 8) % 3) {
      case 0:
        in[n++] = '\n';
        break;
      case 1:
        in[n++] = '\r';
        in[n++] = '\n';
        break;
      default:
        in[n++] = '\r';
        break;
      }
    }
    in[n++] = 'x';
    /* The count, byte by byte: CR, LF and CR LF end a line once. */
    for (size_t i = 0; i < n; i++) {
      unsigned char c = (unsigned char)in[i];
      if (c == '\r' || (c == '\n' && !after_cr)) {
        line++;
        col = 1;
      } else if (c != '\n' && (c & 0xC0) != 0x80) {
        col++;
      }
      after_cr = c == '\r';
    }
    in[n++] = '\xFF';
    out = decode_mem(in, n, NULL, &ds, NULL);
    assert_int_equal(ds.n, 1);
    assert_int_equal(ds.pos[0].line, line);
    assert_int_equal(ds.pos[0].col, col);
    free(out);
  }
}

static void charset__counts_lines_over_crlf_and_cr(void **state)
{
  const char *in = "a\xC3\xA9\r\nb\rc\n\xC3\xA9\xC3\xA9\x80\n";
  diags ds = {0};
  char *out = decode_mem(in, strlen(in), NULL, &ds, NULL);
  (void)state;
  assert_int_equal(ds.n, 1);
  assert_int_equal(ds.pos[0].line, 4);
  assert_int_equal(ds.pos[0].col, 3);
  free(out);
}

static void charset__explicit_encoding_overrides_detection(void **state)
{
  /* Valid UTF-8 bytes, but the user says windows-1252: mojibake wanted. */
  const char *in = "M\xC3\xBCller\n";
  diags ds = {0};
  char *out = decode_mem(in, strlen(in), "windows-1252", &ds, NULL);
  (void)state;
  assert_string_equal(out, "M\xC3\x83\xC2\xBCller\n");
  assert_int_equal(ds.n, 0);
  free(out);
}

static void charset__explicit_utf8_warns_instead_of_detecting(void **state)
{
  const char *in = "M\xFCller\n";
  diags ds = {0};
  char *out = decode_mem(in, strlen(in), "utf-8", &ds, NULL);
  (void)state;
  assert_string_equal(out, "M\xEF\xBF\xBDller\n");
  assert_int_equal(ds.n, 1);
  assert_string_equal(ds.code[0], "encoding");
  free(out);
}

static void charset__rejects_unknown_encoding(void **state)
{
  citeconv_session *s;
  citeconv_input *in;
  (void)state;
  assert_int_equal(citeconv_session_new(&s), 0);
  assert_int_equal(citeconv_input_open_memory(&in, "x", 1, "t"), 0);
  assert_int_equal(citeconv_charset_decode(in, s, "no-such-charset"),
                   CITECONV_EUSAGE);
  assert_non_null(strstr(citeconv_session_errmsg(s), "no-such-charset"));
  citeconv_input_free(in);
  citeconv_session_free(s);
}

static void charset__ascii_only_stays_undecided(void **state)
{
  diags ds = {0};
  char *out = decode_mem("TY  - JOUR\nER  - \n", 18, NULL, &ds, NULL);
  (void)state;
  assert_string_equal(out, "TY  - JOUR\nER  - \n");
  assert_int_equal(ds.n, 0);
  free(out);
}

/* A file of `n` ASCII bytes followed by `tail`, streamed through a file
 * descriptor so the decoder works chunk by chunk. */
static char *decode_file(size_t n, const char *tail, diags *ds, size_t *len)
{
  char path[] = "/tmp/test_charset_XXXXXX";
  int fd = mkstemp(path);
  citeconv_session *s;
  citeconv_input *in;
  char *out, *big;
  assert_true(fd >= 0);
  big = malloc(n);
  assert_non_null(big);
  for (size_t i = 0; i < n; i++)
    big[i] = (i % 64 == 63) ? '\n' : 'a';
  assert_int_equal(write(fd, big, n), (long)n);
  assert_int_equal(write(fd, tail, strlen(tail)), (long)strlen(tail));
  close(fd);
  free(big);
  assert_int_equal(citeconv_session_new(&s), 0);
  citeconv_session_set_diag_cb(s, collect, ds);
  assert_int_equal(citeconv_input_open_file(&in, path), 0);
  unlink(path);
  assert_int_equal(citeconv_charset_decode(in, s, NULL), 0);
  out = drain(in, len);
  citeconv_input_free(in);
  citeconv_session_free(s);
  return out;
}

static void charset__detects_latin1_late_in_a_stream(void **state)
{
  diags ds = {0};
  size_t len;
  char *out = decode_file(200000, "caf\xE9 \xFC\n", &ds, &len);
  (void)state;
  assert_int_equal(len, 200000 + 9);
  assert_string_equal(out + 200000, "caf\xC3\xA9 \xC3\xBC\n");
  assert_int_equal(ds.n, 1);
  assert_string_equal(ds.code[0], "encoding-assumed");
  assert_int_equal(ds.pos[0].line, 200000 / 64 + 1);
  free(out);
}

static void charset__keeps_utf8_split_across_chunks(void **state)
{
  diags ds = {0};
  size_t len;
  /* 65535 ASCII bytes put the two-byte sequences across the first raw
   * chunk's end. */
  char *out = decode_file(65535, "\xC3\xBC\xC3\xA9\xE2\x80\x93\n", &ds, &len);
  (void)state;
  assert_int_equal(len, 65535 + 8);
  assert_string_equal(out + 65535, "\xC3\xBC\xC3\xA9\xE2\x80\x93\n");
  assert_int_equal(ds.n, 0);
  free(out);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(charset__skips_utf8_bom),
      cmocka_unit_test(charset__converts_utf16le_with_bom),
      cmocka_unit_test(charset__converts_utf16be_with_bom),
      cmocka_unit_test(charset__detects_latin1_with_a_note),
      cmocka_unit_test(charset__prefers_windows_1252_for_c1_bytes),
      cmocka_unit_test(charset__replaces_invalid_utf8_with_warning),
      cmocka_unit_test(charset__counts_lines_over_crlf_and_cr),
      cmocka_unit_test(charset__counts_lines_and_columns_over_long_runs),
      cmocka_unit_test(charset__explicit_encoding_overrides_detection),
      cmocka_unit_test(charset__explicit_utf8_warns_instead_of_detecting),
      cmocka_unit_test(charset__rejects_unknown_encoding),
      cmocka_unit_test(charset__ascii_only_stays_undecided),
      cmocka_unit_test(charset__detects_latin1_late_in_a_stream),
      cmocka_unit_test(charset__keeps_utf8_split_across_chunks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
