/* The JATS reader and writer through the public API: article front,
 * element and mixed citations, names, dates, the references option, and
 * what the writer makes of a record. */
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

static void open_text(ctx *c, const char *text, const char *refs)
{
  memset(c, 0, sizeof *c);
  assert_int_equal(citeconv_session_new(&c->s), 0);
  citeconv_session_set_diag_cb(c->s, collect, &c->ds);
  if (refs)
    assert_int_equal(citeconv_session_set_option(c->s, "references", refs), 0);
  assert_int_equal(
      citeconv_input_open_memory(&c->in, text, strlen(text), "t.xml"), 0);
  assert_int_equal(
      citeconv_reader_open(&c->r, c->s, citeconv_format_find("jats"), c->in),
      0);
}

static void close_ctx(ctx *c)
{
  citeconv_reader_close(c->r);
  citeconv_input_free(c->in);
  citeconv_session_free(c->s);
}

static const char article[] =
    "<article xmlns:xlink=\"http://www.w3.org/1999/xlink\"><front>"
    "<journal-meta><journal-title-group><journal-title>J Unit</journal-title>"
    "</journal-title-group></journal-meta><article-meta>"
    "<article-id pub-id-type=\"pmid\">111</article-id>"
    "<article-id pub-id-type=\"doi\">10.1/unit</article-id>"
    "<title-group><article-title>On <italic>E. coli</italic> and "
    "<sc>dna</sc></article-title></title-group>"
    "<contrib-group><contrib contrib-type=\"author\"><contrib-id "
    "contrib-id-type=\"orcid\">https://orcid.org/0000-0002-1825-0097"
    "</contrib-id><name><surname>Carberry</surname><given-names>Josiah"
    "</given-names></name><xref ref-type=\"aff\" rid=\"a1\"/></contrib>"
    "<aff id=\"a1\"><label>1</label>Brown University</aff></contrib-group>"
    "<pub-date pub-type=\"epub\"><day>2</day><month>3</month><year>2004"
    "</year></pub-date><volume>5</volume><fpage>10</fpage><lpage>19</lpage>"
    "</article-meta></front><back><ref-list>"
    "<ref id=\"b1\"><element-citation publication-type=\"book\">"
    "<person-group person-group-type=\"editor\"><name><surname>Ed</surname>"
    "<given-names>A</given-names></name><etal/></person-group>"
    "<chapter-title>A chapter</chapter-title><source>A book</source>"
    "<year>2001b</year><publisher-name>Pub</publisher-name>"
    "</element-citation></ref>"
    "<ref id=\"b2\"><mixed-citation>Smith J, Jones K. A plain reference. "
    "J Plain. 2005;12:45-67.</mixed-citation></ref>"
    "</ref-list></back></article>";

static void jats__reads_article_front(void **state)
{
  ctx c;
  citeconv_record *rec = NULL;
  const citeconv_name *n;
  (void)state;
  open_text(&c, article, NULL);
  assert_int_equal(citeconv_reader_next(&rec, c.r), 0);
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_TITLE),
                      "On <i>E. coli</i> and <sc>dna</sc>");
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE),
                      "J Unit");
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_PAGE), "10-19");
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_PMID), "111");
  n = citeconv_record_name_at(rec, 0);
  assert_string_equal(n->family, "Carberry");
  assert_string_equal(n->orcid, "0000-0002-1825-0097");
  assert_int_equal(n->n_affiliations, 1);
  assert_string_equal(n->affiliations[0], "Brown University");
  assert_int_equal(citeconv_record_date(rec, CITECONV_VAR_ISSUED)->day, 2);
  citeconv_record_free(rec);
  close_ctx(&c);
}

static void jats__reads_chapter_and_links_citing(void **state)
{
  ctx c;
  citeconv_record *rec = NULL;
  (void)state;
  open_text(&c, article, "references");
  assert_int_equal(citeconv_reader_next(&rec, c.r), 0);
  assert_int_equal(citeconv_record_type(rec), CITECONV_TYPE_CHAPTER);
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_TITLE),
                      "A chapter");
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_CONTAINER_TITLE),
                      "A book");
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_YEAR_SUFFIX), "b");
  assert_true(citeconv_record_truncated(rec, CITECONV_VAR_EDITOR));
  assert_int_equal(citeconv_record_role_count(rec, CITECONV_VAR_EDITOR), 1);
  assert_string_equal(citeconv_record_extra(rec, "citing-pmid"), "111");
  assert_string_equal(citeconv_record_extra(rec, "citing-doi"), "10.1/unit");
  citeconv_record_free(rec);
  close_ctx(&c);
}

static void jats__parses_untagged_mixed_citation(void **state)
{
  ctx c;
  citeconv_record *rec = NULL;
  (void)state;
  open_text(&c, article, "references");
  assert_int_equal(citeconv_reader_next(&rec, c.r), 0);
  citeconv_record_free(rec);
  assert_int_equal(citeconv_reader_next(&rec, c.r), 0);
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_TITLE),
                      "A plain reference");
  assert_string_equal(citeconv_record_name_at(rec, 0)->family, "Smith");
  assert_int_equal(citeconv_record_date(rec, CITECONV_VAR_ISSUED)->year, 2005);
  citeconv_record_free(rec);
  assert_int_equal(citeconv_reader_next(&rec, c.r), CITECONV_END);
  close_ctx(&c);
}

static void jats__article_option_skips_references(void **state)
{
  ctx c;
  citeconv_record *rec = NULL;
  (void)state;
  open_text(&c, article, "article");
  assert_int_equal(citeconv_reader_next(&rec, c.r), 0);
  citeconv_record_free(rec);
  assert_int_equal(citeconv_reader_next(&rec, c.r), CITECONV_END);
  close_ctx(&c);
}

static void jats__wrong_root_is_an_error(void **state)
{
  ctx c;
  citeconv_record *rec = NULL;
  (void)state;
  open_text(&c, "<PubmedArticleSet/>", NULL);
  assert_int_equal(citeconv_reader_next(&rec, c.r), CITECONV_END);
  assert_non_null(strstr(c.ds.codes, "syntax"));
  close_ctx(&c);
}

static void jats__writer_makes_element_citation(void **state)
{
  citeconv_session *s = NULL;
  citeconv_output *o = NULL;
  citeconv_writer *w = NULL;
  citeconv_record *rec = NULL;
  citeconv_name n;
  const char *data;
  char *out;
  size_t len;
  (void)state;
  assert_int_equal(citeconv_session_new(&s), 0);
  assert_int_equal(citeconv_output_open_memory(&o), 0);
  assert_int_equal(
      citeconv_writer_begin(&w, s, citeconv_format_find("jats"), o), 0);
  assert_int_equal(citeconv_record_new(&rec), 0);
  citeconv_record_set_type(rec, CITECONV_TYPE_ARTICLE_JOURNAL);
  citeconv_record_set_text(rec, CITECONV_VAR_TITLE, "A <i>b</i> & c", 14,
                           (citeconv_pos){0, 0});
  citeconv_record_set_text(rec, CITECONV_VAR_PAGE, "5-9", 3,
                           (citeconv_pos){0, 0});
  memset(&n, 0, sizeof n);
  n.family = "Doe";
  n.given = "J";
  n.role = CITECONV_VAR_AUTHOR;
  citeconv_record_add_name(rec, &n);
  assert_int_equal(citeconv_writer_record(w, rec), 0);
  assert_int_equal(citeconv_writer_end(w), 0);
  data = citeconv_output_data(o, &len);
  out = calloc(1, len + 1);
  assert_non_null(out);
  memcpy(out, data, len);
  assert_non_null(
      strstr(out, "<element-citation publication-type=\"journal\">"));
  assert_non_null(strstr(out, "<article-title>A <italic>b</italic> &amp; c"
                              "</article-title>"));
  assert_non_null(strstr(out, "<fpage>5</fpage><lpage>9</lpage>"));
  assert_non_null(strstr(out, "<name><surname>Doe</surname><given-names>J"
                              "</given-names></name>"));
  free(out);
  citeconv_record_free(rec);
  citeconv_writer_free(w);
  citeconv_output_close(o);
  citeconv_session_free(s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(jats__reads_article_front),
      cmocka_unit_test(jats__reads_chapter_and_links_citing),
      cmocka_unit_test(jats__parses_untagged_mixed_citation),
      cmocka_unit_test(jats__article_option_skips_references),
      cmocka_unit_test(jats__wrong_root_is_an_error),
      cmocka_unit_test(jats__writer_makes_element_citation),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
