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
#include "citeconv/validate.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_TROUBLE = 2 };

typedef enum { DIAG_TEXT, DIAG_JSON, DIAG_SARIF } diag_style;

typedef struct {
  diag_style style;
  bool quiet;
  json_t *results; /* SARIF: findings kept until the end of the run */
} diag_sink;

/* SARIF wants artifact locations as URI references: keep unreserved
 * characters and '/', percent-encode the rest. */
static json_t *sarif_uri(const char *path)
{
  static const char hex[] = "0123456789ABCDEF";
  size_t n = strlen(path);
  char *u = malloc(n * 3 + 1), *p = u;
  json_t *j;
  if (!u)
    return NULL;
  for (; *path; path++) {
    unsigned char c = (unsigned char)*path;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || strchr("-._~/", c)) {
      *p++ = (char)c;
    } else {
      *p++ = '%';
      *p++ = hex[c >> 4];
      *p++ = hex[c & 15];
    }
  }
  *p = '\0';
  j = json_string(u);
  free(u);
  return j;
}

static const char *sarif_level(citeconv_severity sev)
{
  return sev == CITECONV_SEV_ERROR     ? "error"
         : sev == CITECONV_SEV_WARNING ? "warning"
                                       : "note";
}

/* A JSON string of s; bytes that are not UTF-8 become '?'. */
static json_t *json_text(const char *s)
{
  json_t *j = json_string(s);
  char *copy;
  if (j || !s)
    return j;
  if (!(copy = strdup(s)))
    return NULL;
  for (char *p = copy; *p; p++)
    if ((unsigned char)*p >= 0x80)
      *p = '?';
  j = json_string(copy);
  free(copy);
  return j;
}

/* A SARIF physicalLocation for a diagnostic's place. */
static json_t *sarif_place(const citeconv_diag *d)
{
  json_t *phys = json_object(), *region;
  json_object_set_new(phys, "artifactLocation",
                      json_pack("{s:o}", "uri", sarif_uri(d->file)));
  if (d->pos.line) {
    region = json_pack("{s:I}", "startLine", (json_int_t)d->pos.line);
    if (d->pos.col)
      json_object_set_new(region, "startColumn",
                          json_integer((json_int_t)d->pos.col));
    json_object_set_new(phys, "region", region);
  }
  return phys;
}

/* One SARIF result for a diagnostic. A "first seen here" note becomes a
 * related location of the finding it follows, as code-scanning services
 * show them. */
static void sarif_add(json_t *results, const citeconv_diag *d)
{
  json_t *r, *last = json_array_get(results, json_array_size(results) - 1);
  size_t index = 0;
  if (d->severity == CITECONV_SEV_NOTE && d->file && last &&
      strcmp(d->message, "first seen here") == 0 &&
      strcmp(json_string_value(json_object_get(last, "ruleId")), d->code) ==
          0) {
    json_t *rel = json_object_get(last, "relatedLocations");
    if (!rel) {
      rel = json_array();
      json_object_set_new(last, "relatedLocations", rel);
    }
    json_array_append_new(
        rel, json_pack("{s:I, s:o, s:{s:s}}", "id",
                       (json_int_t)json_array_size(rel) + 1,
                       "physicalLocation", sarif_place(d), "message", "text",
                       "first seen here"));
    return;
  }
  r = json_object();
  for (size_t i = 0; i < citeconv_diag_code_count(); i++)
    if (strcmp(citeconv_diag_code_name(i), d->code) == 0)
      index = i;
  json_object_set_new(r, "ruleId", json_string(d->code));
  json_object_set_new(r, "ruleIndex", json_integer((json_int_t)index));
  json_object_set_new(r, "level", json_string(sarif_level(d->severity)));
  json_object_set_new(r, "message",
                      json_pack("{s:o}", "text", json_text(d->message)));
  if (d->file)
    json_object_set_new(
        r, "locations",
        json_pack("[{s:o}]", "physicalLocation", sarif_place(d)));
  if (d->record)
    json_object_set_new(r, "properties",
                        json_pack("{s:I}", "record", (json_int_t)d->record));
  json_array_append_new(results, r);
}

/* The whole SARIF 2.1.0 log: one run, every code as a rule. */
static void sarif_print(json_t *results)
{
  json_t *rules = json_array(), *log;
  for (size_t i = 0; i < citeconv_diag_code_count(); i++)
    json_array_append_new(
        rules,
        json_pack("{s:s, s:{s:s}, s:{s:s}}", "id", citeconv_diag_code_name(i),
                  "shortDescription", "text", citeconv_diag_code_summary(i),
                  "defaultConfiguration", "level",
                  sarif_level(citeconv_diag_code_severity(i))));
  log = json_pack(
      "{s:s, s:s, s:[{s:{s:{s:s, s:s, s:s, s:o}}, s:s, s:O}]}", "$schema",
      "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0",
      "runs", "tool", "driver", "name", "citeconv", "version",
      CITECONV_VERSION, "informationUri",
      "https://github.com/citeconv/citeconv", "rules", rules, "columnKind",
      "unicodeCodePoints", "results", results);
  if (log) {
    json_dumpf(log, stderr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stderr);
  }
  json_decref(log);
}

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
  if (sink->style == DIAG_SARIF) {
    if (sink->results)
      sarif_add(sink->results, d);
    return;
  }
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
      "      --check              check the records; alone, write nothing\n"
      "      --fix                while converting, fix what cannot change\n"
      "                           meaning (DOI clean-up, page dashes, white\n"
      "                           space); each fix is reported as a note\n"
      "      --disable=CODE       do not report CODE ('all', or a prefix\n"
      "                           ending in '*', e.g. 'name-*')\n"
      "      --enable=CODE        report CODE again\n"
      "      --diagnostics=STYLE  print diagnostics as 'text' (default),\n"
      "                           'json' (one object per line) or 'sarif'\n"
      "                           (one SARIF 2.1.0 log at the end)\n"
      "      --strict             warnings also make the exit status 1\n"
      "  -q, --quiet              do not print notes\n"
      "      --list-formats       list the formats and exit\n"
      "      --list-options       list the options --set takes and exit\n"
      "      --list-codes         list the diagnostic codes and exit\n"
      "      --list-checks        list the checks of --check and exit\n"
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

static void list_checks(void)
{
  for (size_t i = 0; i < citeconv_diag_code_count(); i++)
    if (citeconv_diag_code_is_check(i))
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

/* Pull every record of r, fix and check it when asked, and write it
 * when there is a writer. */
static int run_records(citeconv_reader *r, citeconv_writer *w,
                       citeconv_check *ck, bool fix, bool check)
{
  citeconv_record *rec;
  int rc;
  while ((rc = citeconv_reader_next(&rec, r)) == 0) {
    if (fix)
      rc = citeconv_check_fix(ck, rec);
    if (rc >= 0 && check)
      rc = citeconv_check_record(ck, rec);
    if (rc >= 0 && w)
      rc = citeconv_writer_record(w, rec);
    citeconv_record_free(rec);
    if (rc < 0)
      return rc;
  }
  return rc == CITECONV_END ? 0 : rc;
}

/* Convert (or only check) one input; true when it was read through. */
static bool convert_one(citeconv_session *s, const citeconv_format *from,
                        const char *path, citeconv_writer *w,
                        citeconv_check *ck, bool fix, bool check)
{
  citeconv_input *in = NULL;
  citeconv_reader *r = NULL;
  bool ok = false;
  size_t errors = citeconv_session_diag_count(s, CITECONV_SEV_ERROR);
  int rc = citeconv_input_open_file(&in, path);
  if (rc < 0) {
    fprintf(stderr, "citeconv: %s: %s\n", path,
            rc == CITECONV_EIO ? strerror(errno) : citeconv_strerror(rc));
    return false;
  }
  rc = citeconv_reader_open(&r, s, from, in);
  if (rc == 0)
    rc = ck ? run_records(r, w, ck, fix, check) : citeconv_convert(r, w);
  if (rc < 0) {
    const char *msg = citeconv_session_errmsg(s);
    /* A parse failure already reported as a positioned error needs no
     * second line. */
    if (rc != CITECONV_EPARSE ||
        citeconv_session_diag_count(s, CITECONV_SEV_ERROR) == errors)
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
      {"check", no_argument, NULL, 'K'},
      {"fix", no_argument, NULL, 'X'},
      {"disable", required_argument, NULL, 'd'},
      {"enable", required_argument, NULL, 'e'},
      {"list-checks", no_argument, NULL, 'l'},
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
  diag_sink sink = {DIAG_TEXT, false, NULL};
  citeconv_check *ck = NULL;
  bool strict = false, trouble = false, check = false, fix = false;
  bool to_given = false;
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
      to_given = true;
      break;
    case 'o':
      out_path = optarg;
      to_given = true;
      break;
    case 'K':
      check = true;
      break;
    case 'X':
      fix = true;
      break;
    case 'd':
    case 'e':
      if (citeconv_diag_set_enabled(s, optarg, c == 'e') < 0) {
        fprintf(stderr, "citeconv: %s (see --list-codes)\n",
                citeconv_session_errmsg(s));
        goto done;
      }
      break;
    case 'l':
      list_checks();
      status = EXIT_CLEAN;
      goto done;
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
      } else if (strcmp(optarg, "sarif") == 0) {
        sink.style = DIAG_SARIF;
      } else {
        fprintf(stderr,
                "citeconv: --diagnostics takes 'text', 'json' or 'sarif'\n");
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
  if (sink.style == DIAG_SARIF && !(sink.results = json_array())) {
    fputs("citeconv: out of memory\n", stderr);
    goto done;
  }
  citeconv_session_set_diag_cb(s, print_diag, &sink);
  if ((check || fix) && citeconv_check_new(&ck, s) < 0) {
    fputs("citeconv: out of memory\n", stderr);
    goto done;
  }
  /* --check alone only checks; -t, -o or --fix also convert. */
  if (!check || to_given || fix) {
    if (citeconv_output_open_file(&o, out_path) < 0) {
      fprintf(stderr, "citeconv: %s: %s\n", out_path, strerror(errno));
      goto done;
    }
    if (citeconv_writer_begin(&w, s, to, o) < 0) {
      fprintf(stderr, "citeconv: %s\n", citeconv_session_errmsg(s));
      goto done;
    }
  }
  if (optind == argc) {
    trouble |= !convert_one(s, from, "-", w, ck, fix, check);
  } else {
    for (int i = optind; i < argc; i++)
      trouble |= !convert_one(s, from, argv[i], w, ck, fix, check);
  }
  if (ck)
    citeconv_check_finish(ck);
  if (w) {
    int end_rc = citeconv_writer_end(w);
    int close_rc = citeconv_output_close(o);
    o = NULL;
    if (end_rc < 0 || close_rc < 0) {
      fprintf(stderr, "citeconv: %s: write error\n",
              strcmp(out_path, "-") ? out_path : "<stdout>");
      trouble = true;
    }
  }
  if (check && sink.style == DIAG_TEXT) {
    size_t ne = citeconv_session_diag_count(s, CITECONV_SEV_ERROR);
    size_t nw = citeconv_session_diag_count(s, CITECONV_SEV_WARNING);
    size_t nr = citeconv_check_count(ck);
    fprintf(stderr, "%zu error%s, %zu warning%s in %zu record%s\n", ne,
            ne == 1 ? "" : "s", nw, nw == 1 ? "" : "s", nr,
            nr == 1 ? "" : "s");
  }
  if (trouble)
    status = EXIT_TROUBLE;
  else if (citeconv_session_diag_count(s, CITECONV_SEV_ERROR) ||
           (strict && citeconv_session_diag_count(s, CITECONV_SEV_WARNING)))
    status = EXIT_FINDINGS;
  else
    status = EXIT_CLEAN;

done:
  if (sink.results) {
    sarif_print(sink.results);
    json_decref(sink.results);
  }
  citeconv_check_free(ck);
  citeconv_writer_free(w);
  citeconv_output_close(o);
  citeconv_session_free(s);
  return status;
}
