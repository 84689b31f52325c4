/* Parse each line of a file as one reference string and print what the
 * parser found, tab-separated: style, first author (family or
 * organisation), year, DOI, title, container-title. For the accuracy
 * test. */
#include <stdio.h>
#include <string.h>

#include "refparse.h"

static void field(const citeconv_record *rec, citeconv_var v)
{
  const char *s = citeconv_record_text(rec, v);
  for (; s && *s; s++)
    putchar(*s == '\t' || *s == '\n' ? ' ' : *s);
}

int main(int argc, char **argv)
{
  static char line[1 << 16];
  FILE *f = argc > 1 ? fopen(argv[1], "r") : stdin;
  if (!f)
    return 2;
  while (fgets(line, sizeof(line), f)) {
    size_t n = strlen(line);
    citeconv_record *rec;
    citeconv_refparse_result res;
    citeconv_pos pos = {1, 1};
    const citeconv_date *d;
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
      line[--n] = '\0';
    if (citeconv_record_new(&rec) < 0)
      return 2;
    if (citeconv_refparse(rec, line, n, pos, &res) < 0)
      return 2;
    printf("%s\t", citeconv_refstyle_name(res.style));
    for (size_t i = 0; i < citeconv_record_name_count(rec); i++) {
      const citeconv_name *nm = citeconv_record_name_at(rec, i);
      if (nm->role != CITECONV_VAR_AUTHOR)
        continue;
      if (nm->non_dropping_particle)
        printf("%s ", nm->non_dropping_particle);
      printf("%s", nm->literal ? nm->literal : nm->family ? nm->family : "");
      break;
    }
    d = citeconv_record_date(rec, CITECONV_VAR_ISSUED);
    putchar('\t');
    if (d && d->year)
      printf("%d", d->year);
    putchar('\t');
    field(rec, CITECONV_VAR_DOI);
    putchar('\t');
    field(rec, CITECONV_VAR_TITLE);
    putchar('\t');
    field(rec, CITECONV_VAR_CONTAINER_TITLE);
    putchar('\n');
    citeconv_record_free(rec);
  }
  if (f != stdin)
    fclose(f);
  return 0;
}
