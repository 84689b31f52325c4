/* citeconv: the command-line tool. Reads FILEs (or standard input) in one
 * format, writes them in another, and prints diagnostics. Uses only the
 * public API. Exit status: 0 clean, 1 errors found, 2 unreadable input or
 * a bad command line. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/uversion.h>
#include <unistd.h>

#include "citeconv/citeconv.h"
#include "citeconv/validate.h"
#include "diag_out.h"
#include "progress.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_TROUBLE = 2 };

/* getopt_long's value for the options of --resolve. */
enum { OPT_RESOLVE = 0x100 };

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
      "  -O, --output-dir=DIR     write one output per input FILE into DIR,\n"
      "                           named after the input with the extension\n"
      "                           of the output format\n"
      "  -j, --jobs=N             with -O, convert N files at a time\n"
      "      --set=NAME=VALUE     set an option (see --list-options)\n"
      "      --input-encoding=NAME  the inputs' character set (default:\n"
      "                           detected; same as --set input-encoding=)\n"
      "      --eol=crlf|lf        line ends of RIS output (same as\n"
      "                           --set ris-eol=)\n"
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
      "      --resolve            with --check, ask the DOI resolver and\n"
      "                           Crossref or DataCite whether each DOI is\n"
      "                           registered and matches its record (sends\n"
      "                           the DOIs over the network)\n"
      "      --resolver-url=URL   DOI resolver to ask (default\n"
      "                           https://doi.org)\n"
      "      --crossref-url=URL   Crossref REST API to ask (default\n"
      "                           https://api.crossref.org)\n"
      "      --datacite-url=URL   DataCite REST API to ask (default\n"
      "                           https://api.datacite.org)\n"
      "      --mailto=ADDRESS     contact address sent to Crossref\n"
      "      --resolve-jobs=N     requests at a time (default 4)\n"
      "      --cache-dir=DIR      where answers are cached (default\n"
      "                           $XDG_CACHE_HOME/citeconv)\n"
      "      --no-cache           neither read nor write cached answers\n"
      "  -q, --quiet              do not print notes, nor the progress line\n"
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
  if (citeconv_resolver_backend())
    printf("online DOI check (--resolve): libcurl %s\n",
           citeconv_resolver_backend());
  else
    printf("online DOI check (--resolve): not available (no libcurl)\n");
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

/* Options that every session of the run gets, in the order given. */
typedef struct {
  char kind; /* 's' --set, 'd' --disable, 'e' --enable, 'i'
              * --input-encoding, 'r' --eol, 'o' an option of its own */
  const char *arg;
  const char *name; /* the option, for 'o' */
} cli_setting;

/* What the command line asks for. */
typedef struct {
  const citeconv_format *from, *to;
  bool check, fix, strict, convert, resolve;
  cli_diag_style style;
  bool quiet;
  cli_setting *settings;
  size_t nsettings;
  cli_progress progress;
} cli_run;

/* Apply the --set, --disable and --enable options to a session. */
static int apply_settings(citeconv_session *s, const cli_run *run)
{
  for (size_t i = 0; i < run->nsettings; i++) {
    const cli_setting *st = &run->settings[i];
    if (st->kind == 'i' || st->kind == 'r' || st->kind == 'o') {
      /* Short forms of settings. */
      const char *name = st->kind == 'i'   ? "input-encoding"
                         : st->kind == 'r' ? "ris-eol"
                                           : st->name;
      if (citeconv_session_set_option(s, name, st->arg) < 0) {
        fprintf(stderr, "citeconv: %s\n", citeconv_session_errmsg(s));
        return -1;
      }
    } else if (st->kind == 's') {
      const char *eq = strchr(st->arg, '=');
      char name[128];
      size_t n;
      if (!eq || (n = (size_t)(eq - st->arg)) >= sizeof name) {
        fprintf(stderr, "citeconv: --set takes NAME=VALUE, not '%s'\n",
                st->arg);
        return -1;
      }
      memcpy(name, st->arg, n);
      name[n] = '\0';
      if (citeconv_session_set_option(s, name, eq + 1) < 0) {
        fprintf(stderr, "citeconv: %s (see --list-options)\n",
                citeconv_session_errmsg(s));
        return -1;
      }
    } else if (citeconv_diag_set_enabled(s, st->arg, st->kind == 'e') < 0) {
      fprintf(stderr, "citeconv: %s (see --list-codes)\n",
              citeconv_session_errmsg(s));
      return -1;
    }
  }
  return 0;
}

/* Pull every record of r, fix and check it when asked, and write it when
 * there is a writer. */
static int run_records(cli_run *run, citeconv_input *in, citeconv_reader *r,
                       citeconv_writer *w, citeconv_check *ck,
                       citeconv_resolver *res)
{
  citeconv_record *rec;
  unsigned long long done, total;
  unsigned n = 0;
  int rc;
  while ((rc = citeconv_reader_next(&rec, r)) == 0) {
    rc = 0;
    if (run->fix)
      rc = citeconv_check_fix(ck, rec);
    if (rc >= 0 && run->check)
      rc = citeconv_check_record(ck, rec);
    if (rc >= 0 && res)
      rc = citeconv_resolver_record(res, rec);
    if (rc >= 0 && w)
      rc = citeconv_writer_record(w, rec);
    citeconv_record_free(rec);
    if (rc < 0)
      return rc;
    atomic_fetch_add(&run->progress.records, 1);
    if (run->progress.on && (++n & 63) == 0) {
      citeconv_input_progress(in, &done, &total);
      cli_progress_tick(&run->progress, done);
    }
  }
  citeconv_input_progress(in, &done, &total);
  atomic_fetch_add(&run->progress.done_bytes, total ? total : done);
  return rc == CITECONV_END ? 0 : rc;
}

/* Convert (or only check) one input; true when it was read through.
 * Messages that are not diagnostics go to `err`. */
static bool convert_one(cli_run *run, citeconv_session *s, const char *path,
                        citeconv_writer *w, citeconv_check *ck,
                        citeconv_resolver *res, FILE *err)
{
  citeconv_input *in = NULL;
  citeconv_reader *r = NULL;
  bool ok = false;
  size_t errors = citeconv_session_diag_count(s, CITECONV_SEV_ERROR);
  int rc = citeconv_input_open_file(&in, path);
  if (rc < 0) {
    fprintf(err, "citeconv: %s: %s\n", path,
            rc == CITECONV_EIO ? strerror(errno) : citeconv_strerror(rc));
    return false;
  }
  rc = citeconv_reader_open(&r, s, run->from, in);
  if (rc == 0)
    rc = run_records(run, in, r, w, ck, res);
  if (rc < 0) {
    const char *msg = citeconv_session_errmsg(s);
    /* A parse failure already reported as a positioned error needs no
     * second line. */
    if (rc != CITECONV_EPARSE ||
        citeconv_session_diag_count(s, CITECONV_SEV_ERROR) == errors)
      fprintf(err, "citeconv: %s: %s\n", citeconv_input_name(in),
              *msg ? msg : citeconv_strerror(rc));
  } else {
    ok = true;
  }
  citeconv_reader_close(r);
  citeconv_input_free(in);
  return ok;
}

/* ---- one output per input (-O), on several threads (-j) ---------------- */

typedef struct {
  const char *path;   /* input */
  char *out_path;     /* output */
  char *diag_text;    /* what it printed, shown in input order at the end */
  size_t diag_len;
  json_t *results;    /* SARIF findings */
  size_t errors, warnings, records;
  size_t unavailable; /* DOIs --resolve could not check */
  bool trouble;
} cli_job;

typedef struct {
  cli_run *run;
  cli_job *jobs;
  size_t njobs;
  atomic_size_t next;
} cli_batch;

/* The file name extension of a format's output. */
static const char *format_extension(const citeconv_format *f)
{
  static const struct {
    const char *format, *ext;
  } exts[] = {{"csl-json", "json"},   {"csl-ndjson", "ndjson"},
              {"bibtex", "bib"},      {"biblatex", "bib"},
              {"ris", "ris"},         {"pubmed-xml", "xml"},
              {"medline", "nbib"},    {"pubmed-html", "html"},
              {"jats", "xml"},        {"debug", "txt"}};
  for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
    if (strcmp(exts[i].format, citeconv_format_name(f)) == 0)
      return exts[i].ext;
  return "out";
}

/* DIR/<input's base name without its extension>.<extension>. */
static char *output_name(const char *dir, const char *path, const char *ext)
{
  const char *base = strrchr(path, '/');
  const char *dot;
  size_t n;
  char *out;
  base = base ? base + 1 : path;
  dot = strrchr(base, '.');
  n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  out = malloc(strlen(dir) + n + strlen(ext) + 3);
  if (out)
    sprintf(out, "%s/%.*s.%s", dir, (int)n, base, ext);
  return out;
}

static void run_job(cli_run *run, cli_job *job)
{
  citeconv_session *s = NULL;
  citeconv_check *ck = NULL;
  citeconv_resolver *res = NULL;
  citeconv_output *o = NULL;
  citeconv_writer *w = NULL;
  cli_diag_sink sink = {run->style, run->quiet, NULL, NULL};
  FILE *buf = open_memstream(&job->diag_text, &job->diag_len);

  job->trouble = true;
  if (!buf)
    return;
  sink.out = buf;
  if (citeconv_session_new(&s) < 0 || apply_settings(s, run) < 0)
    goto done;
  if (run->style == CLI_DIAG_SARIF && !(sink.results = json_array()))
    goto done;
  citeconv_session_set_diag_cb(s, cli_print_diag, &sink);
  if ((run->check || run->fix) && citeconv_check_new(&ck, s) < 0)
    goto done;
  if (run->resolve && citeconv_resolver_new(&res, s) < 0) {
    fprintf(buf, "citeconv: %s\n", citeconv_session_errmsg(s));
    goto done;
  }
  if (citeconv_output_open_file(&o, job->out_path) < 0) {
    fprintf(buf, "citeconv: %s: %s\n", job->out_path, strerror(errno));
    goto done;
  }
  if (citeconv_writer_begin(&w, s, run->to, o) < 0) {
    fprintf(buf, "citeconv: %s\n", citeconv_session_errmsg(s));
    goto done;
  }
  job->trouble = !convert_one(run, s, job->path, w, ck, res, buf);
  if (res && citeconv_resolver_finish(res) < 0)
    job->trouble = true;
  if (res)
    job->unavailable = citeconv_resolver_unavailable(res);
  if (ck) {
    citeconv_check_finish(ck);
    job->records = citeconv_check_count(ck);
  }
  {
    int end_rc = citeconv_writer_end(w);
    int close_rc = citeconv_output_close(o);
    o = NULL;
    if (end_rc < 0 || close_rc < 0) {
      fprintf(buf, "citeconv: %s: write error\n", job->out_path);
      job->trouble = true;
    }
  }
  job->errors = citeconv_session_diag_count(s, CITECONV_SEV_ERROR);
  job->warnings = citeconv_session_diag_count(s, CITECONV_SEV_WARNING);
done:
  job->results = sink.results;
  citeconv_writer_free(w);
  citeconv_output_close(o);
  citeconv_resolver_free(res);
  citeconv_check_free(ck);
  citeconv_session_free(s);
  fclose(buf);
  atomic_fetch_add(&run->progress.files_done, 1);
}

static void *batch_worker(void *arg)
{
  cli_batch *b = arg;
  size_t i;
  while ((i = atomic_fetch_add(&b->next, 1)) < b->njobs)
    run_job(b->run, &b->jobs[i]);
  return NULL;
}

/* Convert every input to its own output in `dir` on `nthreads` threads;
 * diagnostics come out in the order of the inputs, so the result does not
 * depend on the number of threads. Returns the exit status. */
static int run_batch(cli_run *run, const char *dir, char **paths,
                     size_t npaths, unsigned nthreads)
{
  cli_batch b;
  pthread_t threads[64];
  unsigned started = 0;
  size_t errors = 0, warnings = 0, records = 0, unavailable = 0;
  bool trouble = false;
  json_t *results = NULL;
  unsigned long long total = 0;
  struct stat st;
  int status = EXIT_TROUBLE;

  b.run = run;
  b.njobs = npaths;
  atomic_init(&b.next, 0);
  b.jobs = calloc(npaths, sizeof(*b.jobs));
  if (!b.jobs)
    return EXIT_TROUBLE;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    fprintf(stderr, "citeconv: %s: not a directory\n", dir);
    goto done;
  }
  for (size_t i = 0; i < npaths; i++) {
    if (strcmp(paths[i], "-") == 0) {
      fputs("citeconv: -O needs input files, not standard input\n", stderr);
      goto done;
    }
    b.jobs[i].path = paths[i];
    b.jobs[i].out_path =
        output_name(dir, paths[i], format_extension(run->to));
    if (!b.jobs[i].out_path)
      goto done;
    for (size_t j = 0; j < i; j++)
      if (strcmp(b.jobs[j].out_path, b.jobs[i].out_path) == 0) {
        fprintf(stderr, "citeconv: %s and %s would both be written to %s\n",
                paths[j], paths[i], b.jobs[i].out_path);
        goto done;
      }
    if (stat(paths[i], &st) == 0)
      total += (unsigned long long)st.st_size;
  }
  atomic_store(&run->progress.total_bytes, total);
  run->progress.files = (unsigned)npaths;
  if (nthreads > 64)
    nthreads = 64;
  if (nthreads > npaths)
    nthreads = (unsigned)npaths;
  for (; started + 1 < nthreads; started++)
    if (pthread_create(&threads[started], NULL, batch_worker, &b) != 0)
      break;
  batch_worker(&b); /* this thread works too */
  for (unsigned t = 0; t < started; t++)
    pthread_join(threads[t], NULL);
  cli_progress_end(&run->progress);

  if (run->style == CLI_DIAG_SARIF)
    results = json_array();
  for (size_t i = 0; i < npaths; i++) {
    cli_job *job = &b.jobs[i];
    if (job->diag_len)
      fwrite(job->diag_text, 1, job->diag_len, stderr);
    if (results && job->results)
      json_array_extend(results, job->results);
    errors += job->errors;
    warnings += job->warnings;
    records += job->records;
    unavailable += job->unavailable;
    trouble |= job->trouble;
  }
  if (results) {
    cli_sarif_print(stderr, results);
    json_decref(results);
  }
  if (run->check && run->style == CLI_DIAG_TEXT)
    fprintf(stderr, "%zu error%s, %zu warning%s in %zu record%s\n", errors,
            errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
            records, records == 1 ? "" : "s");
  if (trouble)
    status = EXIT_TROUBLE;
  else if (errors || (run->strict && (warnings || unavailable)))
    status = EXIT_FINDINGS;
  else
    status = EXIT_CLEAN;
done:
  for (size_t i = 0; i < npaths; i++) {
    free(b.jobs[i].out_path);
    free(b.jobs[i].diag_text);
    json_decref(b.jobs[i].results);
  }
  free(b.jobs);
  return status;
}

/* ---- one output for every input --------------------------------------- */

static int run_single(cli_run *run, citeconv_session *s, const char *out_path,
                      char **paths, size_t npaths)
{
  citeconv_output *o = NULL;
  citeconv_writer *w = NULL;
  citeconv_check *ck = NULL;
  citeconv_resolver *res = NULL;
  cli_diag_sink sink = {run->style, run->quiet, stderr, NULL};
  char *std_in = "-";
  bool trouble = false;
  int status = EXIT_TROUBLE;

  if (run->style == CLI_DIAG_SARIF && !(sink.results = json_array())) {
    fputs("citeconv: out of memory\n", stderr);
    goto done;
  }
  citeconv_session_set_diag_cb(s, cli_print_diag, &sink);
  if ((run->check || run->fix) && citeconv_check_new(&ck, s) < 0) {
    fputs("citeconv: out of memory\n", stderr);
    goto done;
  }
  if (run->resolve && citeconv_resolver_new(&res, s) < 0) {
    fprintf(stderr, "citeconv: %s\n", citeconv_session_errmsg(s));
    goto done;
  }
  if (run->convert) {
    if (citeconv_output_open_file(&o, out_path) < 0) {
      fprintf(stderr, "citeconv: %s: %s\n", out_path, strerror(errno));
      goto done;
    }
    if (citeconv_writer_begin(&w, s, run->to, o) < 0) {
      fprintf(stderr, "citeconv: %s\n", citeconv_session_errmsg(s));
      goto done;
    }
  }
  if (npaths == 0) {
    paths = &std_in;
    npaths = 1;
  }
  for (size_t i = 0; i < npaths; i++)
    trouble |= !convert_one(run, s, paths[i], w, ck, res, stderr);
  cli_progress_end(&run->progress);
  if (res && citeconv_resolver_finish(res) < 0) {
    fputs("citeconv: out of memory\n", stderr);
    trouble = true;
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
  if (run->check && run->style == CLI_DIAG_TEXT) {
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
           (run->strict &&
            (citeconv_session_diag_count(s, CITECONV_SEV_WARNING) ||
             (res && citeconv_resolver_unavailable(res)))))
    status = EXIT_FINDINGS;
  else
    status = EXIT_CLEAN;
done:
  if (sink.results) {
    cli_sarif_print(stderr, sink.results);
    json_decref(sink.results);
  }
  citeconv_resolver_free(res);
  citeconv_check_free(ck);
  citeconv_writer_free(w);
  citeconv_output_close(o);
  return status;
}

int main(int argc, char **argv)
{
  static const struct option longopts[] = {
      {"from", required_argument, NULL, 'f'},
      {"to", required_argument, NULL, 't'},
      {"output", required_argument, NULL, 'o'},
      {"output-dir", required_argument, NULL, 'O'},
      {"jobs", required_argument, NULL, 'j'},
      {"set", required_argument, NULL, 's'},
      {"input-encoding", required_argument, NULL, 'i'},
      {"eol", required_argument, NULL, 'r'},
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
      {"resolve", no_argument, NULL, 'R'},
      {"resolver-url", required_argument, NULL, OPT_RESOLVE},
      {"crossref-url", required_argument, NULL, OPT_RESOLVE},
      {"datacite-url", required_argument, NULL, OPT_RESOLVE},
      {"mailto", required_argument, NULL, OPT_RESOLVE},
      {"resolve-jobs", required_argument, NULL, OPT_RESOLVE},
      {"cache-dir", required_argument, NULL, OPT_RESOLVE},
      {"no-cache", no_argument, NULL, OPT_RESOLVE},
      {NULL, 0, NULL, 0}};
  const char *from_name = NULL, *to_name = "csl-json", *out_path = "-";
  const char *out_dir = NULL;
  citeconv_session *s = NULL;
  cli_run run;
  bool to_given = false;
  long jobs = 1;
  int c, idx, status = EXIT_TROUBLE;

  memset(&run, 0, sizeof run);
  run.style = CLI_DIAG_TEXT;
  /* libxml2 and jansson set up their global tables once, before threads. */
  xmlInitParser();
  json_object_seed(0);
  run.settings = calloc((size_t)argc, sizeof(*run.settings));
  if (!run.settings || citeconv_session_new(&s) < 0) {
    fputs("citeconv: out of memory\n", stderr);
    goto done;
  }
  while ((c = getopt_long(argc, argv, "f:t:o:O:j:qhV", longopts, &idx)) !=
         -1) {
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
    case 'O':
      out_dir = optarg;
      break;
    case 'j': {
      char *end;
      jobs = strtol(optarg, &end, 10);
      if (*end || jobs < 1 || jobs > 64) {
        fprintf(stderr, "citeconv: --jobs takes a number from 1 to 64\n");
        goto done;
      }
      break;
    }
    case 'K':
      run.check = true;
      break;
    case 'R':
      run.resolve = true;
      break;
    case OPT_RESOLVE: {
      /* Options of --resolve, each a setting of its own. */
      const char *name = longopts[idx].name;
      run.settings[run.nsettings].kind = 'o';
      run.settings[run.nsettings].arg = optarg ? optarg : "no";
      run.settings[run.nsettings++].name =
          strcmp(name, "cache-dir") == 0  ? "resolve-cache-dir"
          : strcmp(name, "no-cache") == 0 ? "resolve-cache"
                                          : name;
      break;
    }
    case 'X':
      run.fix = true;
      break;
    case 'd':
    case 'e':
    case 's':
    case 'i':
    case 'r':
      run.settings[run.nsettings].kind = (char)c;
      run.settings[run.nsettings++].arg = optarg;
      break;
    case 'l':
      list_checks();
      status = EXIT_CLEAN;
      goto done;
    case 'D':
      if (strcmp(optarg, "text") == 0) {
        run.style = CLI_DIAG_TEXT;
      } else if (strcmp(optarg, "json") == 0) {
        run.style = CLI_DIAG_JSON;
      } else if (strcmp(optarg, "sarif") == 0) {
        run.style = CLI_DIAG_SARIF;
      } else {
        fprintf(stderr,
                "citeconv: --diagnostics takes 'text', 'json' or 'sarif'\n");
        goto done;
      }
      break;
    case 'S':
      run.strict = true;
      break;
    case 'q':
      run.quiet = true;
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
  if (from_name && !(run.from = format_arg(from_name, false)))
    goto done;
  if (!(run.to = format_arg(to_name, true)))
    goto done;
  /* Settings are checked once here, then given to every session. */
  if (apply_settings(s, &run) < 0)
    goto done;
  if (out_dir && strcmp(out_path, "-") != 0) {
    fputs("citeconv: -o and -O cannot go together\n", stderr);
    goto done;
  }
  if (jobs > 1 && !out_dir) {
    fputs("citeconv: --jobs needs -O\n", stderr);
    goto done;
  }
  if (run.resolve && !run.check) {
    fputs("citeconv: --resolve goes with --check\n", stderr);
    goto done;
  }
  if (run.resolve && !citeconv_resolver_backend()) {
    fputs("citeconv: --resolve is not available: citeconv was built without "
          "libcurl, or libcurl cannot be loaded\n",
          stderr);
    goto done;
  }
  /* --check alone only checks; -t, -o, -O or --fix also convert. */
  run.convert = !run.check || to_given || run.fix || out_dir;
  cli_progress_init(&run.progress,
                    !run.quiet && isatty(STDERR_FILENO) &&
                        run.style == CLI_DIAG_TEXT,
                    1, 0);
  if (out_dir) {
    if (optind == argc) {
      fputs("citeconv: -O needs input files\n", stderr);
      goto done;
    }
    status = run_batch(&run, out_dir, argv + optind, (size_t)(argc - optind),
                       (unsigned)jobs);
  } else {
    status = run_single(&run, s, out_path, argv + optind,
                        (size_t)(argc - optind));
  }
done:
  free(run.settings);
  citeconv_session_free(s);
  return status;
}
