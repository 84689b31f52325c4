/* The PubMed formats through the public API: the MEDLINE (nbib) reader
 * and writer, and PubMed XML reader options and limits. */
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
  char code[16][32];
} diags;

static void collect(const citeconv_diag *d, void *payload)
{
  diags *ds = payload;
  if (ds->n < 16)
    snprintf(ds->code[ds->n], sizeof ds->code[0], "%s", d->code);
  ds->n++;
}

/* Read all records of `text` as `fmt`; returns how many, keeps the
 * first in *first (caller frees). */
static size_t read_all(const char *fmt, const char *text, diags *ds,
                       citeconv_record **first, const char *opt,
                       const char *val)
{
  citeconv_session *s;
  citeconv_input *in;
  citeconv_reader *r;
  citeconv_record *rec;
  size_t n = 0;
  assert_int_equal(citeconv_session_new(&s), 0);
  citeconv_session_set_diag_cb(s, collect, ds);
  if (opt)
    assert_int_equal(citeconv_session_set_option(s, opt, val), 0);
  assert_int_equal(citeconv_input_open_memory(&in, text, strlen(text), "t"),
                   0);
  assert_int_equal(citeconv_reader_open(&r, s, citeconv_format_find(fmt), in),
                   0);
  *first = NULL;
  while (citeconv_reader_next(&rec, r) == 0) {
    if (n++ == 0)
      *first = rec;
    else
      citeconv_record_free(rec);
  }
  citeconv_reader_close(r);
  citeconv_input_free(in);
  citeconv_session_free(s);
  return n;
}

static void medline__records_without_blank_line(void **state)
{
  diags ds = {0};
  citeconv_record *rec;
  (void)state;
  assert_int_equal(read_all("medline",
                            "PMID- 1\nTI  - One\nPMID- 2\nTI  - Two\n\n"
                            "PMID- 3\nTI  - Three\n",
                            &ds, &rec, NULL, NULL),
                   3);
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_TITLE), "One");
  citeconv_record_free(rec);
  assert_int_equal(ds.n, 0);
}

static void medline__full_name_with_suffix_orcid_affiliations(void **state)
{
  diags ds = {0};
  citeconv_record *rec;
  const citeconv_name *n;
  (void)state;
  read_all("medline",
           "PMID- 1\nFAU - Artino, Anthony R Jr\nAU  - Artino AR Jr\n"
           "AUID- ORCID: 0000-0002-1825-0097\nAD  - First place.\n"
           "AD  - Second\n      place.\nFAU - Konge, Lars\nAU  - Konge L\n",
           &ds, &rec, NULL, NULL);
  assert_int_equal(citeconv_record_name_count(rec), 2);
  n = citeconv_record_name_at(rec, 0);
  assert_string_equal(n->family, "Artino");
  assert_string_equal(n->given, "Anthony R");
  assert_string_equal(n->suffix, "Jr");
  assert_string_equal(n->orcid, "0000-0002-1825-0097");
  assert_int_equal(n->n_affiliations, 2);
  assert_string_equal(n->affiliations[1], "Second place.");
  citeconv_record_free(rec);
}

static void medline__short_names_alone(void **state)
{
  diags ds = {0};
  citeconv_record *rec;
  const citeconv_name *n;
  (void)state;
  read_all("medline", "PMID- 1\nAU  - Mangalam H\nAU  - Selvamani\n", &ds,
           &rec, NULL, NULL);
  assert_int_equal(citeconv_record_name_count(rec), 2);
  n = citeconv_record_name_at(rec, 0);
  assert_string_equal(n->family, "Mangalam");
  assert_string_equal(n->given, "H");
  n = citeconv_record_name_at(rec, 1);
  assert_string_equal(n->family, "Selvamani");
  assert_null(n->given);
  citeconv_record_free(rec);
}

static void medline__ids_pages_and_dates(void **state)
{
  diags ds = {0};
  citeconv_record *rec;
  const citeconv_date *d;
  (void)state;
  read_all("medline",
           "PMID- 1\nDP  - 1998 Dec-1999 Jan\nPG  - 4172-8\n"
           "LID - 10.1000/xyz [doi]\nAID - S0000 [pii]\nIS  - 1234-5678 "
           "(Print)\nIS  - 8765-4321 (Linking)\nPMC - PMC123\n",
           &ds, &rec, NULL, NULL);
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_PAGE),
                      "4172-4178");
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_DOI),
                      "10.1000/xyz");
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_ISSN),
                      "1234-5678");
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_PMCID),
                      "PMC123");
  d = citeconv_record_date(rec, CITECONV_VAR_ISSUED);
  assert_non_null(d);
  assert_int_equal(d->end_year, 1999);
  assert_string_equal(d->raw, "1998 Dec-1999 Jan");
  citeconv_record_free(rec);
}

static void medline__writer_wraps_at_pubmed_width(void **state)
{
  citeconv_session *s;
  citeconv_output *o;
  citeconv_writer *w;
  citeconv_record *rec;
  const char *out, *p;
  size_t len;
  char title[600];
  (void)state;
  memset(title, 0, sizeof(title));
  for (int i = 0; i < 40; i++)
    strcat(title, "wordy text ");
  assert_int_equal(citeconv_session_new(&s), 0);
  assert_int_equal(citeconv_record_new(&rec), 0);
  citeconv_record_set_text(rec, CITECONV_VAR_TITLE, title, strlen(title),
                           (citeconv_pos){0, 0});
  assert_int_equal(citeconv_output_open_memory(&o), 0);
  assert_int_equal(
      citeconv_writer_begin(&w, s, citeconv_format_find("medline"), o), 0);
  assert_int_equal(citeconv_writer_record(w, rec), 0);
  assert_int_equal(citeconv_writer_end(w), 0);
  out = citeconv_output_data(o, &len);
  assert_true(strncmp(out, "TI  - wordy", 11) == 0);
  /* The output is not NUL-terminated: stop at its length. */
  for (p = out; p < out + len;) {
    const char *nl = memchr(p, '\n', len - (size_t)(p - out));
    assert_non_null(nl);
    assert_true(nl - p <= 88);
    if (p != out && strncmp(p, "SO", 2) != 0 && strncmp(p, "PT", 2) != 0)
      assert_true(strncmp(p, "      ", 6) == 0);
    p = nl + 1;
  }
  citeconv_writer_free(w);
  citeconv_output_close(o);
  citeconv_record_free(rec);
  citeconv_session_free(s);
}

static void pubmed__references_option(void **state)
{
  static const char xml[] =
      "<PubmedArticleSet><PubmedArticle><MedlineCitation Status=\"MEDLINE\">"
      "<PMID Version=\"1\">7</PMID><Article PubModel=\"Print\">"
      "<ArticleTitle>T</ArticleTitle></Article></MedlineCitation>"
      "<PubmedData><ReferenceList><Reference><Citation>A. B. 2000."
      "</Citation><ArticleIdList><ArticleId IdType=\"pubmed\">8</ArticleId>"
      "</ArticleIdList></Reference><Reference><Citation>C. D. 2001."
      "</Citation></Reference></ReferenceList></PubmedData></PubmedArticle>"
      "</PubmedArticleSet>";
  diags ds = {0};
  citeconv_record *rec;
  (void)state;
  assert_int_equal(read_all("pubmed-xml", xml, &ds, &rec, NULL, NULL), 3);
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_PMID), "7");
  citeconv_record_free(rec);
  assert_int_equal(
      read_all("pubmed-xml", xml, &ds, &rec, "references", "article"), 1);
  citeconv_record_free(rec);
  assert_int_equal(
      read_all("pubmed-xml", xml, &ds, &rec, "references", "references"), 2);
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_PMID), "8");
  assert_string_equal(citeconv_record_extra(rec, "citing-pmid"), "7");
  citeconv_record_free(rec);
}

static void pubmed__depth_limit(void **state)
{
  diags ds = {0};
  citeconv_record *rec;
  (void)state;
  /* Elements deeper than max-depth stop the reader with a diagnostic. */
  read_all("pubmed-xml", "<PubmedArticleSet><x><y><z/></y></x>"
                         "</PubmedArticleSet>",
           &ds, &rec, "max-depth", "1");
  assert_null(rec);
  assert_int_equal(ds.n, 1);
  assert_string_equal(ds.code[0], "limit");
}

static void pubmed__structured_abstract_and_incomplete_list(void **state)
{
  static const char xml[] =
      "<PubmedArticleSet><PubmedArticle><MedlineCitation Status=\"MEDLINE\">"
      "<PMID Version=\"1\">9</PMID><Article PubModel=\"Print\">"
      "<ArticleTitle>H<sub>2</sub>O</ArticleTitle><Abstract>"
      "<AbstractText Label=\"AIM\" NlmCategory=\"OBJECTIVE\">To <i>x</i>."
      "</AbstractText><AbstractText Label=\"RESULTS\">Y.</AbstractText>"
      "</Abstract><AuthorList CompleteYN=\"N\"><Author><CollectiveName>"
      "The Group</CollectiveName></Author></AuthorList></Article>"
      "</MedlineCitation></PubmedArticle></PubmedArticleSet>";
  diags ds = {0};
  citeconv_record *rec;
  (void)state;
  read_all("pubmed-xml", xml, &ds, &rec, NULL, NULL);
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_TITLE),
                      "H<sub>2</sub>O");
  assert_string_equal(citeconv_record_text(rec, CITECONV_VAR_ABSTRACT),
                      "AIM: To <i>x</i>.\nRESULTS: Y.");
  assert_string_equal(citeconv_record_extra(rec, "pubmed-xml:abstract-section"),
                      "AIM\tOBJECTIVE");
  assert_true(citeconv_record_truncated(rec, CITECONV_VAR_AUTHOR));
  assert_string_equal(citeconv_record_name_at(rec, 0)->literal, "The Group");
  citeconv_record_free(rec);
}

static void pubmed__fields_have_line_and_column(void **state)
{
  static const char xml[] =
      "<PubmedArticleSet>\n<PubmedArticle><MedlineCitation>\n"
      "  <PMID>5</PMID>\n  <Article><ArticleTitle>\u00c9t\u00e9 "
      "<i>x</i></ArticleTitle> <ELocationID EIdType=\"pii\" "
      "ValidYN=\"Y\">a&amp;b</ELocationID></Article>\n"
      "</MedlineCitation></PubmedArticle></PubmedArticleSet>";
  diags ds = {0};
  citeconv_record *rec;
  const citeconv_field *f;
  (void)state;
  assert_int_equal(read_all("pubmed-xml", xml, &ds, &rec, NULL, NULL), 1);
  assert_int_equal(ds.n, 0);
  f = citeconv_record_field(rec, CITECONV_VAR_PMID);
  assert_non_null(f);
  assert_int_equal(f->pos.line, 3);
  assert_int_equal(f->pos.col, 3);
  f = citeconv_record_field(rec, CITECONV_VAR_TITLE);
  assert_non_null(f);
  assert_string_equal(f->value, "\u00c9t\u00e9 <i>x</i>");
  assert_int_equal(f->pos.line, 4);
  assert_int_equal(f->pos.col, 12);
  assert_string_equal(citeconv_record_extra(rec, "pubmed-xml:elocation-pii"),
                      "a&b");
  citeconv_record_free(rec);
}

static void pubmed__article_cut_short_is_kept(void **state)
{
  static const char xml[] =
      "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>"
      "</MedlineCitation></PubmedArticle><PubmedArticle><MedlineCitation>"
      "<PMID>2</PMID><Article><ArticleTitle>Cut";
  diags ds = {0};
  citeconv_record *rec;
  (void)state;
  assert_int_equal(read_all("pubmed-xml", xml, &ds, &rec, NULL, NULL), 2);
  citeconv_record_free(rec);
  /* The parser's error, then the warning that the article is cut. */
  assert_int_equal(ds.n, 2);
  assert_string_equal(ds.code[0], "syntax");
  assert_string_equal(ds.code[1], "syntax");
}

static void pubmed__writer_without_records_writes_nothing(void **state)
{
  citeconv_session *s;
  citeconv_output *o;
  citeconv_writer *w;
  diags ds = {0};
  size_t len = 1;
  (void)state;
  assert_int_equal(citeconv_session_new(&s), 0);
  citeconv_session_set_diag_cb(s, collect, &ds);
  assert_int_equal(citeconv_output_open_memory(&o), 0);
  assert_int_equal(
      citeconv_writer_begin(&w, s, citeconv_format_find("pubmed-xml"), o), 0);
  assert_int_equal(citeconv_writer_end(w), 0);
  citeconv_output_data(o, &len);
  assert_int_equal(len, 0);
  assert_int_equal(ds.n, 1);
  assert_string_equal(ds.code[0], "empty-output");
  citeconv_writer_free(w);
  citeconv_output_close(o);
  citeconv_session_free(s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(medline__records_without_blank_line),
      cmocka_unit_test(medline__full_name_with_suffix_orcid_affiliations),
      cmocka_unit_test(medline__short_names_alone),
      cmocka_unit_test(medline__ids_pages_and_dates),
      cmocka_unit_test(medline__writer_wraps_at_pubmed_width),
      cmocka_unit_test(pubmed__references_option),
      cmocka_unit_test(pubmed__depth_limit),
      cmocka_unit_test(pubmed__structured_abstract_and_incomplete_list),
      cmocka_unit_test(pubmed__fields_have_line_and_column),
      cmocka_unit_test(pubmed__article_cut_short_is_kept),
      cmocka_unit_test(pubmed__writer_without_records_writes_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
