/* Parse an HTML file with libxml2's HTML parser and report every error or
 * warning it gives; exit 1 if there was one. For the writer test. */
#include <stdarg.h>
#include <stdio.h>

#include <libxml/HTMLparser.h>

static int problems;

static void on_error(void *ctx, const xmlError *e)
{
  (void)ctx;
  problems++;
  fprintf(stderr, "line %d: %s", e->line, e->message ? e->message : "?\n");
}

int main(int argc, char **argv)
{
  htmlDocPtr doc;
  if (argc != 2)
    return 2;
  xmlSetStructuredErrorFunc(NULL, (xmlStructuredErrorFunc)on_error);
  doc = htmlReadFile(argv[1], "UTF-8", HTML_PARSE_NONET | HTML_PARSE_PEDANTIC);
  if (!doc) {
    fprintf(stderr, "%s: not parsed\n", argv[1]);
    return 1;
  }
  xmlFreeDoc(doc);
  if (problems)
    fprintf(stderr, "%s: %d problems\n", argv[1], problems);
  return problems ? 1 : 0;
}
