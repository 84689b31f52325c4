/* citeconv's diagnostic output: text lines, JSON lines, or one SARIF 2.1.0
 * log at the end of the run. */
#include "diag_out.h"

#include <stdlib.h>
#include <string.h>

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
void cli_sarif_add(json_t *results, const citeconv_diag *d)
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
void cli_sarif_print(FILE *out, json_t *results)
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
    json_dumpf(log, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
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

void cli_print_diag(const citeconv_diag *d, void *payload)
{
  const cli_diag_sink *sink = payload;
  FILE *out = sink->out;
  if (sink->quiet && d->severity == CITECONV_SEV_NOTE)
    return;
  if (sink->style == CLI_DIAG_SARIF) {
    if (sink->results)
      cli_sarif_add(sink->results, d);
    return;
  }
  if (sink->style == CLI_DIAG_JSON) {
    fputs("{\"file\":", out);
    if (d->file)
      json_str(out, d->file);
    else
      fputs("null", out);
    fprintf(out, ",\"line\":%u,\"column\":%u,\"record\":%zu,",
            (unsigned)d->pos.line, (unsigned)d->pos.col, d->record);
    fputs("\"severity\":", out);
    json_str(out, citeconv_severity_name(d->severity));
    fputs(",\"code\":", out);
    json_str(out, d->code);
    fputs(",\"message\":", out);
    json_str(out, d->message);
    fputs("}\n", out);
    return;
  }
  fputs(d->file ? d->file : "citeconv", out);
  if (d->file && d->pos.line) {
    fprintf(out, ":%u", (unsigned)d->pos.line);
    if (d->pos.col)
      fprintf(out, ":%u", (unsigned)d->pos.col);
  }
  fprintf(out, ": %s: %s [%s]\n", citeconv_severity_name(d->severity),
          d->message, d->code);
}

