/* Fuzz target for the online DOI check's side that reads what a server
 * sends: the handle API, doiRA, Crossref and DataCite answers, and the
 * comparisons of what they hold with a record's values. No network. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "resolve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Compare what an answer gave with fixed record values, and with itself. */
static void compare(const citeconv_doi_meta *m)
{
  citeconv_resolve_title_matches("The Big Study: Part One", m->title,
                                 m->subtitle);
  citeconv_resolve_family_matches("van der Berg", m->family);
  citeconv_resolve_container_matches("J. Biol. Chem.", m->container);
  if (m->title && m->family) {
    citeconv_resolve_title_matches(m->title, m->family, m->title);
    citeconv_resolve_family_matches(m->family, m->title);
    citeconv_resolve_container_matches(m->title, m->family);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *s = (const char *)data;
  citeconv_doi_meta m = {0};
  citeconv_buf b = CITECONV_BUF_INIT;
  char *text;

  citeconv_resolve_parse_handle(s, size, 200);
  citeconv_resolve_parse_handle(s, size, 404);
  citeconv_resolve_parse_ra(&b, s, size);
  if (citeconv_resolve_parse_crossref(&m, s, size) == 0)
    compare(&m);
  if (citeconv_resolve_parse_datacite(&m, s, size) == 0)
    compare(&m);
  citeconv_doi_meta_clear(&m);
  /* The input as text of a record and of a registry. */
  text = malloc(size + 1);
  if (text) {
    size_t half = size / 2;
    memcpy(text, data, size);
    text[size] = '\0';
    citeconv_buf_clear(&b);
    citeconv_resolve_normalise(&b, text, strlen(text));
    if (strlen(text) > half) {
      char *second = text + half + 1;
      text[half] = '\0';
      citeconv_resolve_title_matches(text, second, NULL);
      citeconv_resolve_family_matches(text, second);
      citeconv_resolve_container_matches(text, second);
    }
    free(text);
  }
  citeconv_buf_free(&b);
  return 0;
}
