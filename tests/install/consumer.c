/* A program built against an installed libciteconv: converts one CSL-JSON
 * item held in memory to csl-ndjson and prints it. */
#include <stdio.h>
#include <string.h>

#include <citeconv/citeconv.h>

int main(void)
{
  static const char item[] =
      "[{\"id\": \"x\", \"type\": \"book\", \"title\": \"Installed\"}]";
  citeconv_session *s = NULL;
  citeconv_input *in = NULL;
  citeconv_output *o = NULL;
  citeconv_reader *r = NULL;
  citeconv_writer *w = NULL;
  const char *data;
  size_t len;
  int rc = 1;

  if (citeconv_session_new(&s) < 0 ||
      citeconv_input_open_memory(&in, item, strlen(item), "item") < 0 ||
      citeconv_output_open_memory(&o) < 0 ||
      citeconv_reader_open(&r, s, citeconv_format_find("csl-json"), in) < 0 ||
      citeconv_writer_begin(&w, s, citeconv_format_find("csl-ndjson"), o) < 0)
    goto done;
  if (citeconv_convert(r, w) < 0 || citeconv_writer_end(w) < 0)
    goto done;
  data = citeconv_output_data(o, &len);
  printf("%s %.*s", CITECONV_VERSION, (int)len, data);
  rc = 0;
done:
  citeconv_writer_free(w);
  citeconv_reader_close(r);
  citeconv_output_close(o);
  citeconv_input_free(in);
  citeconv_session_free(s);
  return rc;
}
