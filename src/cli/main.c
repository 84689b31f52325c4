/* citeconv: the command-line tool. Reads FILEs (or standard input) in one
 * format, writes them in another, and prints diagnostics. Uses only the
 * public API. Exit status: 0 clean, 1 errors found, 2 unreadable input or
 * a bad command line. */
#include <errno.h>
#include <getopt.h>
#include <libxml/parser.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uversion.h>

#include "citeconv/citeconv.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_TROUBLE = 2 };

typedef enum { DIAG_TEXT, DIAG_JSON } diag_style;

typedef struct {
  diag_style style;
  bool quiet;
} diag_sink;

static void json_str(FILE *f, const char *s)
{
  fputc('"', f);
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(f, "\\%c", c);
    else if (c == '\n')
      fputs("\\n", f);
    else if (c == '\t')
      fputs("\\t", f);
    else if (c < 0x20)
      fprintf(f, "\\u%04x", c);
    else
      fputc(c, f);
  }
  fputc('"', f);
}

static void print_diag(const citeconv_diag *d, void *payload)
{
  const diag_sink *sink = payload;
  if (sink->quiet && d->severity == CITECONV_SEV_NOTE)
    return;
  if (sink->style == DIAG_JSON) {
    fputs("{\"file\":", stderr);
    if (d->file)
      json_str(stderr, d->file);
    else
      fputs("null", stderr);
    fprintf(stderr, ",\"line\":%u,\"column\":%u,\"record\":%zu,",
            (unsigned)d->pos.line, (unsigned)d->pos.col, d->record);
    fputs("\"severity\":", stderr);
    json_str(stderr, citeconv_severity_name(d->severity));
    fputs(",\"code\":", stderr);
    json_str(stderr, d->code);
    fputs(",\"message\":", stderr);
    json_str(stderr, d->message);
    fputs("}\n", stderr);
    return;
  }
  fputs(d->file ? d->file : "citeconv", stderr);
  if (d->file && d->pos.line) {
    fprintf(stderr, ":%u", (unsigned)d->pos.line);
    if (d->pos.col)
      fprintf(stderr, ":%u", (unsigned)d->pos.col);
  }
  fprintf(stderr, ": %s: %s [%s]\n", citeconv_severity_name(d->severity),
          d->message, d->code);
}

static void usage(FILE *f)
{
  fputs(
      "Usage: citeconv [OPTION]... [FILE]...\n"
      "Convert reference lists between citation formats.\n"
      "\n"
      "Reads each FILE (or standard input when there is none, or for '-'),\n"
      "guesses its format from its content unless -f names it, and writes\n"
      "every record in the format -t names (CSL-JSON by default).\n"
      "\n"
      "  -f, --from=FORMAT        read FORMAT (see --list-formats)\n"
      "  -t, --to=FORMAT          write FORMAT (default csl-json)\n"
      "  -o, --output=FILE        write to FILE ('-' is standard output)\n"
      "      --set=NAME=VALUE     set an option (see --list-options)\n"
      "      --diagnostics=STYLE  print diagnostics as 'text' (default) or\n"
      "                           'json' (one object per line)\n"
      "      --strict             warnings also make the exit status 1\n"
      "  -q, --quiet              do not print notes\n"
      "      --list-formats       list the formats and exit\n"
      "      --list-options       list the options --set takes and exit\n"
      "      --list-codes         list the diagnostic codes and exit\n"
      "  -h, --help               print this help and exit\n"
      "  -V, --version            print the version and exit\n"
      "\n"
      "Diagnostics go to standard error as 'file:line:col: severity: message "
      "[code]'.\n"
      "Exit status: 0 clean; 1 errors were found (warnings too with "
      "--strict);\n"
      "2 an input could not be read or parsed, or the command line is "
      "wrong.\n",
      f);
}

static void list_formats(void)
{
  for (size_t i = 0; i < citeconv_format_count(); i++) {
    const citeconv_format *f = citeconv_format_at(i);
    printf("%-12s %s%s  %s\n", citeconv_format_name(f),
           citeconv_format_can_read(f) ? "r" : "-",
           citeconv_format_can_write(f) ? "w" : "-",
           citeconv_format_summary(f));
  }
}

static void list_options(void)
{
  const citeconv_option_info *o;
  for (size_t i = 0; (o = citeconv_option_at(i)) != NULL; i++)
    printf("%-18s %-10s %s\n", o->name, o->default_value, o->help);
}

static void list_codes(void)
{
  for (size_t i = 0; i < citeconv_diag_code_count(); i++)
    printf("%-20s %-8s %s\n", citeconv_diag_code_name(i),
           citeconv_severity_name(citeconv_diag_code_severity(i)),
           citeconv_diag_code_summary(i));
}

static void version(void)
{
  UVersionInfo icu;
  char icu_s[U_MAX_VERSION_STRING_LENGTH];
  u_getVersion(icu);
  u_versionToString(icu, icu_s);
  printf("citeconv %s\n", CITECONV_VERSION);
  printf("libxml2 %s, ICU %s, jansson %s\n", xmlParserVersion, icu_s,
         jansson_version_str());
}

static const citeconv_format *format_arg(const char *name, bool write)
{
  const citeconv_format *f = citeconv_format_find(name);
  if (!f) {
    fprintf(stderr, "citeconv: unknown format '%s' (see --list-formats)\n",
            name);
    return NULL;
  }
  if (write ? !citeconv_format_can_write(f) : !citeconv_format_can_read(f)) {
    fprintf(stderr, "citeconv: format '%s' cannot be %s\n", name,
            write ? "written" : "read");
    return NULL;
  }
  return f;
}

/* Convert one input into the open writer; true when it was read through. */
static bool convert_one(citeconv_session *s, const citeconv_format *from,
                        const char *path, citeconv_writer *w)
{
  citeconv_input *in = NULL;
  citeconv_reader *r = NULL;
  bool ok = false;
  int rc = citeconv_input_open_file(&in, path);
  if (rc < 0) {
    fprintf(stderr, "citeconv: %s: %s\n", path,
            rc == CITECONV_EIO ? strerror(errno) : citeconv_strerror(rc));
    return false;
  }
  rc = citeconv_reader_open(&r, s, from, in);
  if (rc == 0)
    rc = citeconv_convert(r, w);
  if (rc < 0) {
    const char *msg = citeconv_session_errmsg(s);
    if (rc != CITECONV_EPARSE || !*msg)
      fprintf(stderr, "citeconv: %s: %s\n", citeconv_input_name(in),
              *msg ? msg : citeconv_strerror(rc));
  } else {
    ok = true;
  }
  citeconv_reader_close(r);
  citeconv_input_free(in);
  return ok;
}

int main(int argc, char **argv)
{
  static const struct option longopts[] = {
      {"from", required_argument, NULL, 'f'},
      {"to", required_argument, NULL, 't'},
      {"output", required_argument, NULL, 'o'},
      {"set", required_argument, NULL, 's'},
      {"diagnostics", required_argument, NULL, 'D'},
      {"strict", no_argument, NULL, 'S'},
      {"quiet", no_argument, NULL, 'q'},
      {"list-formats", no_argument, NULL, 'L'},
      {"list-options", no_argument, NULL, 'P'},
      {"list-codes", no_argument, NULL, 'C'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0}};
  const char *from_name = NULL, *to_name = "csl-json", *out_path = "-";
  const citeconv_format *from = NULL, *to;
  citeconv_session *s = NULL;
  citeconv_output *o = NULL;
  citeconv_writer *w = NULL;
  diag_sink sink = {DIAG_TEXT, false};
  bool strict = false, trouble = false;
  int c, status = EXIT_TROUBLE;

  if (citeconv_session_new(&s) < 0) {
    fputs("citeconv: out of memory\n", stderr);
    return EXIT_TROUBLE;
  }
  while ((c = getopt_long(argc, argv, "f:t:o:qhV", longopts, NULL)) != -1) {
    switch (c) {
    case 'f':
      from_name = optarg;
      break;
    case 't':
      to_name = optarg;
      break;
    case 'o':
      out_path = optarg;
      break;
    case 's': {
      char *eq = strchr(optarg, '=');
      if (!eq) {
        fprintf(stderr, "citeconv: --set takes NAME=VALUE, not '%s'\n",
                optarg);
        goto done;
      }
      *eq = '\0';
      if (citeconv_session_set_option(s, optarg, eq + 1) < 0) {
        fprintf(stderr, "citeconv: %s (see --list-options)\n",
                citeconv_session_errmsg(s));
        goto done;
      }
      break;
    }
    case 'D':
      if (strcmp(optarg, "text") == 0) {
        sink.style = DIAG_TEXT;
      } else if (strcmp(optarg, "json") == 0) {
        sink.style = DIAG_JSON;
      } else {
        fprintf(stderr, "citeconv: --diagnostics takes 'text' or 'json'\n");
        goto done;
      }
      break;
    case 'S':
      strict = true;
      break;
    case 'q':
      sink.quiet = true;
      break;
    case 'L':
      list_formats();
      status = EXIT_CLEAN;
      goto done;
    case 'P':
      list_options();
      status = EXIT_CLEAN;
      goto done;
    case 'C':
      list_codes();
      status = EXIT_CLEAN;
      goto done;
    case 'h':
      usage(stdout);
      status = EXIT_CLEAN;
      goto done;
    case 'V':
      version();
      status = EXIT_CLEAN;
      goto done;
    default:
      usage(stderr);
      goto done;
    }
  }
  if (from_name && !(from = format_arg(from_name, false)))
    goto done;
  if (!(to = format_arg(to_name, true)))
    goto done;
  citeconv_session_set_diag_cb(s, print_diag, &sink);

  if (citeconv_output_open_file(&o, out_path) < 0) {
    fprintf(stderr, "citeconv: %s: %s\n", out_path, strerror(errno));
    goto done;
  }
  if (citeconv_writer_begin(&w, s, to, o) < 0) {
    fprintf(stderr, "citeconv: %s\n", citeconv_session_errmsg(s));
    goto done;
  }
  if (optind == argc) {
    trouble |= !convert_one(s, from, "-", w);
  } else {
    for (int i = optind; i < argc; i++)
      trouble |= !convert_one(s, from, argv[i], w);
  }
  {
    int end_rc = citeconv_writer_end(w);
    int close_rc = citeconv_output_close(o);
    o = NULL;
    if (end_rc < 0 || close_rc < 0) {
      fprintf(stderr, "citeconv: %s: write error\n",
              strcmp(out_path, "-") ? out_path : "<stdout>");
      trouble = true;
    }
  }
  if (trouble)
    status = EXIT_TROUBLE;
  else if (citeconv_session_diag_count(s, CITECONV_SEV_ERROR) ||
           (strict && citeconv_session_diag_count(s, CITECONV_SEV_WARNING)))
    status = EXIT_FINDINGS;
  else
    status = EXIT_CLEAN;

done:
  citeconv_writer_free(w);
  citeconv_output_close(o);
  citeconv_session_free(s);
  return status;
}
