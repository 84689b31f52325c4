/* citeconv's diagnostic output (the tool only). */
#ifndef CITECONV_CLI_DIAG_OUT_H
#define CITECONV_CLI_DIAG_OUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "citeconv/citeconv.h"

typedef enum { CLI_DIAG_TEXT, CLI_DIAG_JSON, CLI_DIAG_SARIF } cli_diag_style;

/* Where diagnostics go: text or JSON lines to `out`; SARIF results
 * collected in `results` until cli_sarif_print. */
typedef struct {
  cli_diag_style style;
  bool quiet;      /* leave notes out */
  FILE *out;       /* standard error, or a job's buffer */
  json_t *results; /* SARIF: findings kept until the end of the run */
} cli_diag_sink;

/* A citeconv_diag_cb; `payload` is a cli_diag_sink. */
void cli_print_diag(const citeconv_diag *d, void *payload);
/* Append one finding to a SARIF results array. */
void cli_sarif_add(json_t *results, const citeconv_diag *d);
/* Print the whole SARIF log for `results` to `out`. */
void cli_sarif_print(FILE *out, json_t *results);

#endif
