/* Diagnostics: problems found in the data, each with a stable code, a
 * severity and the place in the input where it was found. */
#ifndef CITECONV_DIAG_H
#define CITECONV_DIAG_H

#include "citeconv/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum citeconv_severity {
  CITECONV_SEV_NOTE = 0,
  CITECONV_SEV_WARNING = 1,
  CITECONV_SEV_ERROR = 2
} citeconv_severity;

/** One finding, as handed to a diagnostic callback. Every pointer is
 * borrowed for the duration of the callback only. */
typedef struct citeconv_diag {
  citeconv_severity severity;
  const char *code;    /* stable spelling, "json-syntax" */
  const char *message; /* lower case, no full stop */
  const char *file;    /* input name; NULL when not tied to an input */
  citeconv_pos pos;    /* 0/0 when unknown */
  size_t record;       /* 1-based record number in its input; 0 if none */
} citeconv_diag;

/** Called once per diagnostic, in the order they are found. */
typedef void (*citeconv_diag_cb)(const citeconv_diag *diag, void *payload);

/** Spelling of a severity: "note", "warning" or "error". */
CITECONV_EXPORT const char *citeconv_severity_name(citeconv_severity sev);

/** Number of diagnostic codes the library knows, and the i-th one's
 * spelling, default severity and one-line summary (all static; NULL when
 * `i` is out of range). */
CITECONV_EXPORT size_t citeconv_diag_code_count(void);
CITECONV_EXPORT const char *citeconv_diag_code_name(size_t i);
CITECONV_EXPORT citeconv_severity citeconv_diag_code_severity(size_t i);
CITECONV_EXPORT const char *citeconv_diag_code_summary(size_t i);

#ifdef __cplusplus
}
#endif

#endif
