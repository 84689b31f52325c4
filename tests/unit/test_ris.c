/* The RIS reader and writer through the public API: tag lines, names,
 * dates, pages, identifiers, record boundaries, and what the writer
 * makes of a record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "citeconv/citeconv.h"

typedef struct {
  int n;
  char codes[512];
} diags;

static void collect(const citeconv_diag *d, void *payload)
{
  diags *ds = payload;
  size_t len = strlen(ds->codes);
  snprintf(ds->codes + len, sizeof ds->codes - len, "%s ", d->code);
  ds->n++;
}

typedef struct {
  citeconv_session *s;
  citeconv_input *in;
  citeconv_reader *r;
  diags ds;
} ctx;

static void open_text(ctx *c, const char *text)
{
  memset(c, 0, sizeof *c);
  assert_int_equal(citeconv_session_new(&c->s), 0);
  citeconv_session_set_diag_cb(c->s, collect, &c->ds);
  assert_int_equal(
      citeconv_input_open_memory(&c->in, text, strlen(text), "t.ris"), 0);
  assert_int_equal(citeconv_reader_open(&c->r, c->s,
                                        citeconv_format_find("ris"), c->in),
                   0);
}

static void close_ctx(ctx *c)
{
  citeconv_reader_close(c->r);
  citeconv_input_free(c->in);
  citeconv_session_free(c->s);
}

/* The only record of `text`. */
static citeconv_record *one(ctx *c, const char *text)
{
  citeconv_record *rec = NULL, *extra = NULL;
  open_text(c, text);
  assert_int_equal(citeconv_reader_next(&rec, c->r), 0);
  assert_int_equal(citeconv_reader_next(&extra, c->r), CITECONV_END);
  return rec;
}

static const citeconv_name *name_at(const citeconv_record *rec, size_t i)
{
  assert_true(i < citeconv_record_name_count(rec));
  return citeconv_record_name_at(rec, i);
}

static void ris__reads_spec_record(void **state)
{
  ctx c;
  citeconv_record *rec = one(&c, "TY  - JOUR\r\nTI  - A title\r\n"
                                  "AU  - Smith, John, Jr.\r\n"
                                  "PY  - 2001\r\nER  - \r\n");
  (void)state;
  assert_int_equal(citeconv_record_type(rec), CITECONV_TYPE_ARTICLE_JOURNAL);
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_TITLE),
                      "A title");
  assert_string_equal(name_at(rec, 0)->family, "Smith");
  assert_string_equal(name_at(rec, 0)->given, "John");
  assert_string_equal(name_at(rec, 0)->suffix, "Jr.");
  assert_int_equal(citeconv_record_date(rec, CITECONV_VAR_ISSUED)->year,
                   2001);
  assert_int_equal(citeconv_record_pos(rec).line, 1);
  assert_int_equal(c.ds.n, 0);
  citeconv_record_free(rec);
  close_ctx(&c);
}

static void ris__accepts_irregular_spacing(void **state)
{
  ctx c;
  citeconv_record *rec =
      one(&c, "TY - BOOK\nTI\t-\tTabbed\nPB  -  Two spaces\nER  -\n");
  (void)state;
  assert_int_equal(citeconv_record_type(rec), CITECONV_TYPE_BOOK);
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_TITLE),
                      "Tabbed");
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_PUBLISHER),
                      "Two spaces");
  citeconv_record_free(rec);
  close_ctx(&c);
}

static void ris__accepts_no_space_after_dash(void **state)
{
  ctx c;
  citeconv_record *rec = one(&c, "TY  -JOUR\nAU  -Smith, J\nER  -\n");
  (void)state;
  assert_int_equal(citeconv_record_type(rec), CITECONV_TYPE_ARTICLE_JOURNAL);
  assert_string_equal(name_at(rec, 0)->family, "Smith");
  citeconv_record_free(rec);
  close_ctx(&c);
}

static void ris__joins_continuation_lines_by_tag(void **state)
{
  ctx c;
  const citeconv_field *f;
  citeconv_record *rec = one(&c, "TY  - JOUR\nT1  - Wrapped\n  title\n"
                                  "AB  - One\n\nTwo\nKW  - k1\nk2\nER  - \n");
  (void)state;
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_TITLE),
                      "Wrapped title");
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_ABSTRACT),
                      "One\n\nTwo");
  f = citeconv_record_field_at(rec, citeconv_record_field_count(rec) - 1);
  assert_int_equal(f->var, CITECONV_VAR_KEYWORD);
  assert_string_equal(f->value, "k2");
  assert_int_equal(f->pos.line, 8);
  citeconv_record_free(rec);
  close_ctx(&c);
}

static void ris__splits_range_in_sp(void **state)
{
  ctx c;
  citeconv_record *rec = one(&c, "TY  - JOUR\nSP  - 1-22\nER  - \n");
  (void)state;
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_PAGE), "1-22");
  citeconv_record_free(rec);
  close_ctx(&c);
}

static void ris__joins_ep_given_before_sp(void **state)
{
  ctx c;
  citeconv_record *rec =
      one(&c, "TY  - JOUR\nEP  - 481\nSP  - 476\nER  - \n");
  (void)state;
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_PAGE),
                      "476-481");
  citeconv_record_free(rec);
  close_ctx(&c);
}

static void ris__reads_author_forms(void **state)
{
  ctx c;
  citeconv_record *rec = one(&c, "TY  - JOUR\nAU  - Baldwin,S.A.\n"
                                  "AU  - Smith JA\nAU  - A. B. Author-One\n"
                                  "AU  - van der Berg, Jan\n"
                                  "AU  - World Health Organization\n"
                                  "AU  - et al.\nER  - \n");
  (void)state;
  assert_string_equal(name_at(rec, 0)->family, "Baldwin");
  assert_string_equal(name_at(rec, 0)->given, "S.A.");
  assert_string_equal(name_at(rec, 1)->family, "Smith");
  assert_string_equal(name_at(rec, 1)->given, "JA");
  assert_string_equal(name_at(rec, 2)->family, "Author-One");
  assert_string_equal(name_at(rec, 2)->given, "A. B.");
  assert_string_equal(name_at(rec, 3)->non_dropping_particle, "van der");
  assert_string_equal(name_at(rec, 3)->family, "Berg");
  assert_string_equal(name_at(rec, 4)->literal, "World Health Organization");
  assert_int_equal(citeconv_record_name_count(rec), 5);
  assert_true(citeconv_record_truncated(rec, CITECONV_VAR_AUTHOR));
  citeconv_record_free(rec);
  close_ctx(&c);
}

static void ris__reads_date_forms(void **state)
{
  ctx c;
  const citeconv_date *d;
  citeconv_record *rec =
      one(&c, "TY  - ELEC\nY1  - 2015/october\nDA  - 2015/10/19/\n"
              "Y2  - 2019/03/12/T20:12:22Z\nER  - \n");
  (void)state;
  d = citeconv_record_date(rec, CITECONV_VAR_ISSUED);
  assert_int_equal(d->year, 2015);
  assert_int_equal(d->month, 10);
  assert_int_equal(d->day, 19);
  d = citeconv_record_date(rec, CITECONV_VAR_ACCESSED);
  assert_int_equal(d->day, 12);
  assert_string_equal(d->literal, "T20:12:22Z");
  assert_int_equal(c.ds.n, 0);
  citeconv_record_free(rec);
  close_ctx(&c);
}

static void ris__da_wins_over_y1(void **state)
{
  ctx c;
  citeconv_record *rec =
      one(&c, "TY  - JOUR\nY1  - 1999\nDA  - 2001/02/03\nER  - \n");
  (void)state;
  assert_int_equal(citeconv_record_date(rec, CITECONV_VAR_ISSUED)->year,
                   2001);
  assert_string_equal(citeconv_record_extra(rec, "ris:Y1"), "1999");
  citeconv_record_free(rec);
  close_ctx(&c);
}

static void ris__warns_on_impossible_date(void **state)
{
  ctx c;
  citeconv_record *rec = one(&c, "TY  - JOUR\nPY  - 2020/13/01/\nER  - \n");
  (void)state;
  assert_string_equal(
      citeconv_record_date(rec, CITECONV_VAR_ISSUED)->literal, "2020/13/01/");
  assert_string_equal(c.ds.codes, "bad-date ");
  citeconv_record_free(rec);
  close_ctx(&c);
}

static void ris__tells_isbn_from_issn(void **state)
{
  ctx c;
  citeconv_record *rec =
      one(&c, "TY  - JOUR\nSN  - 978-1-4822-5326-9\nSN  - 0915-5287\n"
              "ER  - \n");
  (void)state;
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_ISBN),
                      "978-1-4822-5326-9");
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_ISSN),
                      "0915-5287");
  citeconv_record_free(rec);
  close_ctx(&c);
}

static void ris__takes_doi_from_url_and_prefix(void **state)
{
  ctx c;
  citeconv_record *rec =
      one(&c, "TY  - JOUR\nUR  - https://doi.org/10.1000/a.b\n"
              "DO  - doi:10.1000/x\nER  - \n");
  (void)state;
  /* DO wins over a DOI found in a URL. */
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_DOI),
                      "10.1000/x");
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_URL),
                      "https://doi.org/10.1000/a.b");
  citeconv_record_free(rec);
  close_ctx(&c);
}

static void ris__keeps_unknown_and_repeated_tags(void **state)
{
  ctx c;
  citeconv_record *rec =
      one(&c, "TY  - JOUR\nZZ  - one\nT2  - Journal\nJF  - Journal full\n"
              "ZZ  - two\nER  - \n");
  (void)state;
  assert_int_equal(citeconv_record_extra_count(rec), 3);
  assert_string_equal(citeconv_record_extra_at(rec, 0)->name, "ris:ZZ");
  assert_string_equal(citeconv_record_extra_at(rec, 1)->name, "ris:JF");
  assert_string_equal(citeconv_record_extra_at(rec, 2)->value, "two");
  /* One unknown-field note per tag. */
  assert_string_equal(c.ds.codes, "unknown-field ");
  citeconv_record_free(rec);
  close_ctx(&c);
}

static void ris__keeps_record_without_er(void **state)
{
  ctx c;
  citeconv_record *a = NULL, *b = NULL, *end = NULL;
  (void)state;
  open_text(&c, "TY  - JOUR\nTI  - one\nTY  - BOOK\nTI  - two\n");
  assert_int_equal(citeconv_reader_next(&a, c.r), 0);
  assert_int_equal(citeconv_reader_next(&b, c.r), 0);
  assert_int_equal(citeconv_reader_next(&end, c.r), CITECONV_END);
  assert_string_equal(citeconv_record_text(a, CITECONV_VAR_TITLE), "one");
  assert_string_equal(citeconv_record_text(b, CITECONV_VAR_TITLE), "two");
  assert_string_equal(c.ds.codes, "ris-missing-er ris-missing-er ");
  citeconv_record_free(a);
  citeconv_record_free(b);
  close_ctx(&c);
}

static void ris__skips_headers_with_a_note(void **state)
{
  ctx c;
  citeconv_record *rec =
      one(&c, "Record #1 of 2\nProvider: x\n\nTY  - JOUR\nER  - \n");
  (void)state;
  assert_string_equal(c.ds.codes, "ris-outside-record empty-record ");
  citeconv_record_free(rec);
  close_ctx(&c);
}

static void ris__reads_back_what_the_writer_put_in_n1(void **state)
{
  ctx c;
  citeconv_record *rec =
      one(&c, "TY  - GEN\nN1  - type: review-book\nN1  - PMID: 123\n"
              "N1  - director: Lynch, David\nN1  - bibtex:timestamp: x y\n"
              "N1  - just a note: with a colon\nER  - \n");
  (void)state;
  assert_int_equal(citeconv_record_type(rec), CITECONV_TYPE_REVIEW_BOOK);
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_PMID), "123");
  assert_int_equal(name_at(rec, 0)->role, CITECONV_VAR_DIRECTOR);
  assert_string_equal(citeconv_record_extra(rec, "bibtex:timestamp"), "x y");
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_NOTE),
                      "just a note: with a colon");
  citeconv_record_free(rec);
  close_ctx(&c);
}

static void ris__detects_format(void **state)
{
  static const char text[] = "\xEF\xBB\xBF\r\nTY  - JOUR\r\nER  - \r\n";
  (void)state;
  assert_string_equal(
      citeconv_format_name(citeconv_format_detect(
          (const unsigned char *)text, sizeof text - 1)),
      "ris");
}

static void ris__skips_record_past_max_record_bytes(void **state)
{
  ctx c;
  citeconv_record *rec = NULL, *end = NULL;
  static const char text[] = "TY  - JOUR\nTI  - big\nAB  - "
                             "0123456789012345678901234567890123456789\n"
                             "KW  - k\nER  - \nTY  - BOOK\nTI  - small\n"
                             "ER  - \n";
  (void)state;
  memset(&c, 0, sizeof c);
  assert_int_equal(citeconv_session_new(&c.s), 0);
  citeconv_session_set_diag_cb(c.s, collect, &c.ds);
  assert_int_equal(
      citeconv_session_set_option(c.s, "max-record-bytes", "40"), 0);
  assert_int_equal(
      citeconv_input_open_memory(&c.in, text, strlen(text), "t.ris"), 0);
  assert_int_equal(citeconv_reader_open(&c.r, c.s,
                                        citeconv_format_find("ris"), c.in),
                   0);
  assert_int_equal(citeconv_reader_next(&rec, c.r), 0);
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_TITLE),
                      "small");
  assert_int_equal(citeconv_reader_next(&end, c.r), CITECONV_END);
  assert_string_equal(c.ds.codes, "limit ");
  citeconv_record_free(rec);
  close_ctx(&c);
}

static void ris__skips_field_past_max_field_bytes(void **state)
{
  ctx c;
  citeconv_record *rec = NULL;
  static const char text[] = "TY  - JOUR\nTI  - kept\nAB  - "
                             "0123456789012345678901234567890123456789\n"
                             "ER  - \n";
  (void)state;
  memset(&c, 0, sizeof c);
  assert_int_equal(citeconv_session_new(&c.s), 0);
  citeconv_session_set_diag_cb(c.s, collect, &c.ds);
  assert_int_equal(
      citeconv_session_set_option(c.s, "max-field-bytes", "20"), 0);
  assert_int_equal(
      citeconv_input_open_memory(&c.in, text, strlen(text), "t.ris"), 0);
  assert_int_equal(citeconv_reader_open(&c.r, c.s,
                                        citeconv_format_find("ris"), c.in),
                   0);
  assert_int_equal(citeconv_reader_next(&rec, c.r), 0);
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_TITLE), "kept");
  assert_null(citeconv_record_text(rec, CITECONV_VAR_ABSTRACT));
  assert_string_equal(c.ds.codes, "limit ");
  citeconv_record_free(rec);
  close_ctx(&c);
}

static void ris__reads_utf16_with_bom(void **state)
{
  static const char text[] = "\xFF\xFET\0Y\0 \0 \0-\0 \0J\0O\0U\0R\0\n\0"
                             "A\0U\0 \0 \0-\0 \0M\0\xFC\0l\0l\0e\0r\0"
                             ",\0 \0J\0\n\0E\0R\0 \0 \0-\0 \0\n\0";
  citeconv_session *s;
  citeconv_input *in;
  citeconv_reader *r;
  citeconv_record *rec = NULL;
  (void)state;
  assert_int_equal(citeconv_session_new(&s), 0);
  assert_int_equal(
      citeconv_input_open_memory(&in, text, sizeof text - 1, "t.ris"), 0);
  /* Detected as RIS through its low bytes. */
  assert_int_equal(citeconv_reader_open(&r, s, NULL, in), 0);
  assert_string_equal(citeconv_format_name(citeconv_reader_format(r)),
                      "ris");
  assert_int_equal(citeconv_reader_next(&rec, r), 0);
  assert_string_equal(name_at(rec, 0)->family, "M\xC3\xBCller");
  citeconv_record_free(rec);
  citeconv_reader_close(r);
  citeconv_input_free(in);
  citeconv_session_free(s);
}

/* Write `rec` as RIS with LF line ends. */
static char *write_ris(citeconv_session *s, const citeconv_record *rec)
{
  citeconv_output *o;
  citeconv_writer *w;
  const char *data;
  size_t len;
  char *copy;
  assert_int_equal(citeconv_session_set_option(s, "ris-eol", "lf"), 0);
  assert_int_equal(citeconv_output_open_memory(&o), 0);
  assert_int_equal(
      citeconv_writer_begin(&w, s, citeconv_format_find("ris"), o), 0);
  assert_int_equal(citeconv_writer_record(w, rec), 0);
  assert_int_equal(citeconv_writer_end(w), 0);
  data = citeconv_output_data(o, &len);
  copy = malloc(len + 1);
  memcpy(copy, data, len);
  copy[len] = '\0';
  citeconv_writer_free(w);
  citeconv_output_close(o);
  return copy;
}

static void ris__writes_spec_form(void **state)
{
  citeconv_session *s;
  citeconv_record *rec;
  citeconv_name nm = {0};
  citeconv_date d = {0};
  citeconv_pos p = {0, 0};
  char *out;
  (void)state;
  assert_int_equal(citeconv_session_new(&s), 0);
  assert_int_equal(citeconv_record_new(&rec), 0);
  citeconv_record_set_type(rec, CITECONV_TYPE_CHAPTER);
  citeconv_record_set_text(rec, CITECONV_VAR_TITLE, "T", 1, p);
  nm.role = CITECONV_VAR_AUTHOR;
  nm.family = "Berg";
  nm.non_dropping_particle = "van der";
  nm.given = "Jan";
  nm.suffix = "Jr.";
  citeconv_record_add_name(rec, &nm);
  d.year = 2001;
  d.month = 9;
  citeconv_record_set_date(rec, CITECONV_VAR_ISSUED, &d);
  citeconv_record_set_text(rec, CITECONV_VAR_PAGE, "476-481", 7, p);
  citeconv_record_set_text(rec, CITECONV_VAR_PMID, "123", 3, p);
  out = write_ris(s, rec);
  assert_string_equal(out, "TY  - CHAP\n"
                           "AU  - van der Berg, Jan, Jr.\n"
                           "TI  - T\n"
                           "PY  - 2001\n"
                           "DA  - 2001/09//\n"
                           "SP  - 476\n"
                           "EP  - 481\n"
                           "N1  - PMID: 123\n"
                           "ER  - \n\n");
  free(out);
  citeconv_record_free(rec);
  citeconv_session_free(s);
}

/* A TY that RIS does not have is never written: GEN, and the original in
 * N1 as "ris:TY: ...", which the reader turns back into the extra. A
 * second spelling of the record's type (CONF) is written as it was. */
static void ris__writes_only_known_types(void **state)
{
  citeconv_session *s;
  citeconv_record *rec;
  citeconv_pos p = {0, 0};
  char *out;
  (void)state;
  assert_int_equal(citeconv_session_new(&s), 0);
  assert_int_equal(citeconv_record_new(&rec), 0);
  citeconv_record_set_type(rec, CITECONV_TYPE_DOCUMENT);
  citeconv_record_add_extra(rec, "ris:TY", "XYZQ", 4, p);
  out = write_ris(s, rec);
  assert_string_equal(out, "TY  - GEN\nN1  - ris:TY: XYZQ\nER  - \n\n");
  free(out);
  citeconv_record_free(rec);

  assert_int_equal(citeconv_record_new(&rec), 0);
  citeconv_record_set_type(rec, CITECONV_TYPE_PAPER_CONFERENCE);
  citeconv_record_add_extra(rec, "ris:TY", "CONF", 4, p);
  out = write_ris(s, rec);
  assert_string_equal(out, "TY  - CONF\nER  - \n\n");
  free(out);
  /* The record became a book: BOOK, and CONF kept aside. */
  citeconv_record_set_type(rec, CITECONV_TYPE_BOOK);
  out = write_ris(s, rec);
  assert_string_equal(out, "TY  - BOOK\nN1  - ris:TY: CONF\nER  - \n\n");
  free(out);
  citeconv_record_free(rec);
  citeconv_session_free(s);
}

static void ris__reads_back_the_original_ty_from_n1(void **state)
{
  ctx c;
  citeconv_record *rec =
      one(&c, "TY  - GEN\nN1  - ris:TY: XYZQ\nTI  - T\nER  - \n");
  (void)state;
  assert_int_equal(citeconv_record_type(rec), CITECONV_TYPE_DOCUMENT);
  assert_string_equal(citeconv_record_extra(rec, "ris:TY"), "XYZQ");
  assert_null(citeconv_record_text(rec, CITECONV_VAR_NOTE));
  assert_int_equal(c.ds.n, 0);
  citeconv_record_free(rec);
  close_ctx(&c);
}

/* RIS text is plain: markup is stripped and reported once per field of a
 * record; a span that is not markup keeps its closing tag. */
static void ris__writes_markup_as_plain_text(void **state)
{
  citeconv_session *s;
  citeconv_record *rec;
  citeconv_pos p = {0, 0};
  diags ds;
  char *out;
  static const char title[] =
      "CO<sub>2</sub> in <i>E. coli</i> <span class=\"nocase\">NASA</span>";
  static const char abstract[] = "x<sup>2</sup> <span class=\"x\">"
                                 "v.</span> <span class=\"nodecor\">w</span>"
                                 " a < b & c";
  (void)state;
  memset(&ds, 0, sizeof ds);
  assert_int_equal(citeconv_session_new(&s), 0);
  citeconv_session_set_diag_cb(s, collect, &ds);
  assert_int_equal(citeconv_record_new(&rec), 0);
  citeconv_record_set_type(rec, CITECONV_TYPE_ARTICLE_JOURNAL);
  citeconv_record_set_text(rec, CITECONV_VAR_TITLE, title, strlen(title), p);
  citeconv_record_set_text(rec, CITECONV_VAR_ABSTRACT, abstract,
                           strlen(abstract), p);
  citeconv_record_add_text(rec, CITECONV_VAR_KEYWORD, "<i>a</i>", 8, p);
  citeconv_record_add_text(rec, CITECONV_VAR_KEYWORD, "<b>b</b>", 8, p);
  out = write_ris(s, rec);
  assert_string_equal(out, "TY  - JOUR\n"
                           "TI  - CO2 in E. coli NASA\n"
                           "AB  - x2 <span class=\"x\">v.</span> w "
                           "a < b & c\n"
                           "KW  - a\n"
                           "KW  - b\n"
                           "ER  - \n\n");
  assert_int_equal(ds.n, 3);
  assert_string_equal(ds.codes, "not-carried not-carried not-carried ");
  free(out);
  citeconv_record_free(rec);
  citeconv_session_free(s);
}

/* "Family, Given, Suffix" cannot say how the suffix is set off. */
static void ris__reports_comma_suffix_as_not_carried(void **state)
{
  citeconv_session *s;
  citeconv_record *rec;
  citeconv_name nm = {0};
  diags ds;
  char *out;
  (void)state;
  memset(&ds, 0, sizeof ds);
  assert_int_equal(citeconv_session_new(&s), 0);
  citeconv_session_set_diag_cb(s, collect, &ds);
  assert_int_equal(citeconv_record_new(&rec), 0);
  citeconv_record_set_type(rec, CITECONV_TYPE_BOOK);
  nm.role = CITECONV_VAR_AUTHOR;
  nm.family = "Doe";
  nm.given = "John";
  nm.suffix = "Jr.";
  nm.comma_suffix = true;
  citeconv_record_add_name(rec, &nm);
  out = write_ris(s, rec);
  assert_string_equal(out, "TY  - BOOK\nAU  - Doe, John, Jr.\nER  - \n\n");
  assert_string_equal(ds.codes, "not-carried ");
  free(out);
  citeconv_record_free(rec);
  citeconv_session_free(s);
}

/* Print and electronic ISSN: one list, and an SN each when written. */
static void ris__joins_several_sn(void **state)
{
  ctx c;
  citeconv_session *s;
  char *out;
  citeconv_record *rec = one(&c, "TY  - JOUR\nSN  - 0915-5287\n"
                                 "SN  - 2187-5626\nSN  - 0915-5287\n"
                                 "ER  - \n");
  (void)state;
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_ISSN),
                      "0915-5287, 2187-5626");
  /* The same ISSN again is kept aside, not listed twice. */
  assert_string_equal(citeconv_record_extra(rec, "ris:SN"), "0915-5287");
  assert_int_equal(citeconv_session_new(&s), 0);
  out = write_ris(s, rec);
  assert_string_equal(out, "TY  - JOUR\nSN  - 0915-5287\nSN  - 2187-5626\n"
                           "SN  - 0915-5287\nER  - \n\n");
  free(out);
  citeconv_session_free(s);
  citeconv_record_free(rec);
  close_ctx(&c);
}

/* The affiliations of an author, joined with " | " ("" when none). */
static const char *affs_of(const citeconv_name *nm, char *buf, size_t size)
{
  buf[0] = '\0';
  for (size_t i = 0; i < nm->n_affiliations; i++)
    snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", i ? " | " : "",
             nm->affiliations[i]);
  return buf;
}

/* AD lines after an author's AU are that author's; a block after the last
 * of several authors says nothing of whose they are. */
static void ris__gives_ad_to_the_author_it_follows(void **state)
{
  ctx c;
  char buf[256];
  citeconv_record *rec = one(&c, "TY  - JOUR\nAU  - A, A\nAD  - a1\n"
                                 "AD  - a2\nAU  - B, B\nAU  - C, C\n"
                                 "AD  - c1\nER  - \n");
  (void)state;
  assert_string_equal(affs_of(name_at(rec, 0), buf, sizeof buf), "a1 | a2");
  assert_string_equal(affs_of(name_at(rec, 1), buf, sizeof buf), "");
  assert_string_equal(affs_of(name_at(rec, 2), buf, sizeof buf), "c1");
  assert_null(citeconv_record_extra(rec, "ris:AD"));
  citeconv_record_free(rec);
  close_ctx(&c);

  rec = one(&c, "TY  - JOUR\nAU  - A, A\nAU  - B, B\nAD  - x\nAD  - y\n"
                "ER  - \n");
  assert_int_equal(name_at(rec, 1)->n_affiliations, 0);
  assert_int_equal(citeconv_record_extra_count(rec), 2);
  assert_string_equal(citeconv_record_extra(rec, "ris:AD"), "x");
  citeconv_record_free(rec);
  close_ctx(&c);

  /* One author: every AD is that author's, wherever it stands. */
  rec = one(&c, "TY  - JOUR\nAD  - x\nTI  - T\nAU  - A, A\nER  - \n");
  assert_string_equal(affs_of(name_at(rec, 0), buf, sizeof buf), "x");
  citeconv_record_free(rec);
  close_ctx(&c);
}

/* "D.G. Adler, Department ..." (Embase), "Adler, D.G., Department ..."
 * (EBSCO), several on the lines of one AD (EndNote) or between "; "
 * (RefWorks): each address to the author it names, the name left out. */
static void ris__gives_named_ad_to_that_author(void **state)
{
  ctx c;
  char buf[256];
  citeconv_record *rec =
      one(&c, "TY  - JOUR\nA1  - Liu R.\nA1  - Adler D.G.\nTI  - T\n"
              "AD  - D.G. Adler, Dept X, Utah\nER  - \n");
  (void)state;
  assert_string_equal(affs_of(name_at(rec, 1), buf, sizeof buf),
                      "Dept X, Utah");
  assert_int_equal(name_at(rec, 0)->n_affiliations, 0);
  citeconv_record_free(rec);
  close_ctx(&c);

  rec = one(&c, "TY  - JOUR\nAU  - Liu, Rui\nAU  - Adler, Doug\nTI  - T\n"
                "AD  - Liu, Rui, Dept Y\nER  - \n");
  assert_string_equal(affs_of(name_at(rec, 0), buf, sizeof buf), "Dept Y");
  citeconv_record_free(rec);
  close_ctx(&c);

  rec = one(&c, "TY  - JOUR\nAD  - R. Liu, Dept Y\n  D. Adler, Dept X\n"
                "AU  - Liu, R.\nAU  - Adler, D.\nAU  - Roe, J.\nER  - \n");
  assert_string_equal(affs_of(name_at(rec, 0), buf, sizeof buf), "Dept Y");
  assert_string_equal(affs_of(name_at(rec, 1), buf, sizeof buf), "Dept X");
  citeconv_record_free(rec);
  close_ctx(&c);

  rec = one(&c, "TY  - JOUR\nAU  - Liu, R.\nAU  - Adler, D.\nAU  - Roe, J.\n"
                "TI  - T\nAD  - R. Liu, Dept Y; D. Adler, Dept X\nER  - \n");
  assert_string_equal(affs_of(name_at(rec, 0), buf, sizeof buf), "Dept Y");
  assert_string_equal(affs_of(name_at(rec, 1), buf, sizeof buf), "Dept X");
  citeconv_record_free(rec);
  close_ctx(&c);
}

/* Affiliations go back as AD after each AU, or named when only the last
 * of several authors has some; an editor's are not carried. Read back,
 * they are the same. */
static void ris__writes_affiliations_as_ad(void **state)
{
  citeconv_session *s;
  citeconv_record *rec, *back;
  citeconv_name nm = {0};
  const char *aff1[] = {"Dept X", "Dept Z"}, *aff2[] = {"Dept Y"};
  diags ds;
  ctx c;
  char *out, buf[256];
  (void)state;
  memset(&ds, 0, sizeof ds);
  assert_int_equal(citeconv_session_new(&s), 0);
  citeconv_session_set_diag_cb(s, collect, &ds);
  assert_int_equal(citeconv_record_new(&rec), 0);
  citeconv_record_set_type(rec, CITECONV_TYPE_ARTICLE_JOURNAL);
  nm.role = CITECONV_VAR_AUTHOR;
  nm.family = "Liu";
  nm.given = "R.";
  citeconv_record_add_name(rec, &nm);
  nm.family = "Adler";
  nm.given = "D.G.";
  nm.affiliations = aff1;
  nm.n_affiliations = 2;
  citeconv_record_add_name(rec, &nm);
  nm.role = CITECONV_VAR_EDITOR;
  nm.family = "Roe";
  nm.given = "J.";
  nm.affiliations = aff2;
  nm.n_affiliations = 1;
  citeconv_record_add_name(rec, &nm);
  out = write_ris(s, rec);
  assert_string_equal(out, "TY  - JOUR\n"
                           "AU  - Liu, R.\n"
                           "AU  - Adler, D.G.\n"
                           "AD  - D.G. Adler, Dept X\n"
                           "AD  - D.G. Adler, Dept Z\n"
                           "A2  - Roe, J.\n"
                           "ER  - \n\n");
  assert_string_equal(ds.codes, "not-carried ");
  back = one(&c, out);
  assert_string_equal(affs_of(name_at(back, 1), buf, sizeof buf),
                      "Dept X | Dept Z");
  assert_int_equal(name_at(back, 0)->n_affiliations, 0);
  assert_int_equal(citeconv_record_extra_count(back), 0);
  citeconv_record_free(back);
  close_ctx(&c);
  free(out);
  citeconv_record_free(rec);

  /* The first author has some too: after each AU. */
  assert_int_equal(citeconv_record_new(&rec), 0);
  citeconv_record_set_type(rec, CITECONV_TYPE_ARTICLE_JOURNAL);
  nm.role = CITECONV_VAR_AUTHOR;
  nm.family = "Liu";
  nm.given = "R.";
  nm.affiliations = aff2;
  nm.n_affiliations = 1;
  citeconv_record_add_name(rec, &nm);
  nm.family = "Adler";
  nm.given = "D.G.";
  nm.affiliations = aff1;
  nm.n_affiliations = 2;
  citeconv_record_add_name(rec, &nm);
  out = write_ris(s, rec);
  assert_string_equal(out, "TY  - JOUR\n"
                           "AU  - Liu, R.\n"
                           "AD  - Dept Y\n"
                           "AU  - Adler, D.G.\n"
                           "AD  - Dept X\n"
                           "AD  - Dept Z\n"
                           "ER  - \n\n");
  back = one(&c, out);
  assert_string_equal(affs_of(name_at(back, 0), buf, sizeof buf), "Dept Y");
  assert_string_equal(affs_of(name_at(back, 1), buf, sizeof buf),
                      "Dept X | Dept Z");
  citeconv_record_free(back);
  close_ctx(&c);
  free(out);
  citeconv_record_free(rec);

  /* An address that is no author's goes before the authors, where it
   * follows no AU line. */
  assert_int_equal(citeconv_record_new(&rec), 0);
  citeconv_record_set_type(rec, CITECONV_TYPE_ARTICLE_JOURNAL);
  nm.family = "Liu";
  nm.given = "R.";
  nm.affiliations = aff2;
  nm.n_affiliations = 1;
  citeconv_record_add_name(rec, &nm);
  nm.family = "Adler";
  nm.given = "D.G.";
  nm.affiliations = NULL;
  nm.n_affiliations = 0;
  citeconv_record_add_name(rec, &nm);
  citeconv_record_add_extra(rec, "ris:AD", "Dept W", 6, nm.pos);
  out = write_ris(s, rec);
  assert_string_equal(out, "TY  - JOUR\n"
                           "AD  - Dept W\n"
                           "AU  - Liu, R.\n"
                           "AD  - Dept Y\n"
                           "AU  - Adler, D.G.\n"
                           "ER  - \n\n");
  back = one(&c, out);
  assert_string_equal(affs_of(name_at(back, 0), buf, sizeof buf), "Dept Y");
  assert_int_equal(name_at(back, 1)->n_affiliations, 0);
  assert_string_equal(citeconv_record_extra(back, "ris:AD"), "Dept W");
  citeconv_record_free(back);
  close_ctx(&c);
  free(out);
  citeconv_record_free(rec);
  citeconv_session_free(s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ris__reads_spec_record),
      cmocka_unit_test(ris__accepts_irregular_spacing),
      cmocka_unit_test(ris__accepts_no_space_after_dash),
      cmocka_unit_test(ris__joins_continuation_lines_by_tag),
      cmocka_unit_test(ris__splits_range_in_sp),
      cmocka_unit_test(ris__joins_ep_given_before_sp),
      cmocka_unit_test(ris__reads_author_forms),
      cmocka_unit_test(ris__reads_date_forms),
      cmocka_unit_test(ris__da_wins_over_y1),
      cmocka_unit_test(ris__warns_on_impossible_date),
      cmocka_unit_test(ris__tells_isbn_from_issn),
      cmocka_unit_test(ris__takes_doi_from_url_and_prefix),
      cmocka_unit_test(ris__keeps_unknown_and_repeated_tags),
      cmocka_unit_test(ris__keeps_record_without_er),
      cmocka_unit_test(ris__skips_headers_with_a_note),
      cmocka_unit_test(ris__reads_back_what_the_writer_put_in_n1),
      cmocka_unit_test(ris__detects_format),
      cmocka_unit_test(ris__skips_record_past_max_record_bytes),
      cmocka_unit_test(ris__skips_field_past_max_field_bytes),
      cmocka_unit_test(ris__reads_utf16_with_bom),
      cmocka_unit_test(ris__writes_spec_form),
      cmocka_unit_test(ris__writes_only_known_types),
      cmocka_unit_test(ris__reads_back_the_original_ty_from_n1),
      cmocka_unit_test(ris__writes_markup_as_plain_text),
      cmocka_unit_test(ris__reports_comma_suffix_as_not_carried),
      cmocka_unit_test(ris__joins_several_sn),
      cmocka_unit_test(ris__gives_ad_to_the_author_it_follows),
      cmocka_unit_test(ris__gives_named_ad_to_that_author),
      cmocka_unit_test(ris__writes_affiliations_as_ad),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
