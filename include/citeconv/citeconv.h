/* libciteconv: convert and check reference lists. The umbrella header:
 * sessions, inputs and outputs, formats, readers and writers. */
#ifndef CITECONV_CITECONV_H
#define CITECONV_CITECONV_H

#include <stdbool.h>
#include <stdio.h>

#include "citeconv/common.h"
#include "citeconv/diag.h"
#include "citeconv/record.h"
#include "citeconv/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- sessions ---------------------------------------------------------- */

/** A session holds options, the diagnostic sink and the last error
 * message. Nothing in the library is global: separate sessions may be used
 * from separate threads. */
typedef struct citeconv_session citeconv_session;

/** Make a session with default options and no diagnostic callback (findings
 * are then only counted). The caller frees it with citeconv_session_free.
 * Returns 0 or CITECONV_ENOMEM. */
CITECONV_EXPORT int citeconv_session_new(citeconv_session **out);
/** Free a session. Safe on NULL. */
CITECONV_EXPORT void citeconv_session_free(citeconv_session *s);
/** Send every diagnostic to `cb` (NULL to stop). */
CITECONV_EXPORT void citeconv_session_set_diag_cb(citeconv_session *s,
                                                  citeconv_diag_cb cb,
                                                  void *payload);
/** Set an option by name (the names are listed by citeconv_option_at);
 * the value is copied. Returns 0, CITECONV_EUSAGE for an unknown name or a
 * value the option does not take (the session's message says why), or
 * CITECONV_ENOMEM. */
CITECONV_EXPORT int citeconv_session_set_option(citeconv_session *s,
                                                const char *name,
                                                const char *value);
/** Current value of an option (borrowed), or its default; NULL if the
 * option is unknown. */
CITECONV_EXPORT const char *citeconv_session_option(const citeconv_session *s,
                                                    const char *name);
/** Number of diagnostics of a severity reported so far. */
CITECONV_EXPORT size_t citeconv_session_diag_count(const citeconv_session *s,
                                                   citeconv_severity sev);
/** A message describing the last failure, borrowed; "" if none. */
CITECONV_EXPORT const char *citeconv_session_errmsg(const citeconv_session *s);

/** Options the library knows: name, default value and one line of help
 * (all static). NULL name when `i` is out of range. */
typedef struct citeconv_option_info {
  const char *name;
  const char *default_value;
  const char *help;
} citeconv_option_info;
CITECONV_EXPORT const citeconv_option_info *citeconv_option_at(size_t i);

/* ---- inputs and outputs ------------------------------------------------ */

typedef struct citeconv_input citeconv_input;

/** Open a file for reading; "-" is standard input. `*out` is the caller's
 * to free with citeconv_input_free. Returns 0, CITECONV_EIO (errno is set)
 * or CITECONV_ENOMEM. */
CITECONV_EXPORT int citeconv_input_open_file(citeconv_input **out,
                                             const char *path);
/** Read from a memory buffer that must outlive the input; `name` (copied,
 * may be NULL) is used in diagnostics. */
CITECONV_EXPORT int citeconv_input_open_memory(citeconv_input **out,
                                               const void *data, size_t len,
                                               const char *name);
/** Close and free an input. Safe on NULL. */
CITECONV_EXPORT void citeconv_input_free(citeconv_input *in);
/** The name diagnostics use for the input ("<stdin>" for standard input). */
CITECONV_EXPORT const char *citeconv_input_name(const citeconv_input *in);
/** How far reading has got: bytes of the input read so far in `*done`, and
 * its whole size in `*total` (0 when unknown, as for a pipe). */
CITECONV_EXPORT void citeconv_input_progress(const citeconv_input *in,
                                             unsigned long long *done,
                                             unsigned long long *total);

typedef struct citeconv_output citeconv_output;

/** Open a file for writing (truncated); "-" is standard output. */
CITECONV_EXPORT int citeconv_output_open_file(citeconv_output **out,
                                              const char *path);
/** Write into a growing memory buffer; see citeconv_output_data. */
CITECONV_EXPORT int citeconv_output_open_memory(citeconv_output **out);
/** Bytes written so far to a memory output (borrowed, not NUL-terminated;
 * NULL for a file output). */
CITECONV_EXPORT const char *citeconv_output_data(const citeconv_output *o,
                                                 size_t *len);
/** Flush, close and free. Returns 0 or CITECONV_EIO when anything could not
 * be written. Safe on NULL. */
CITECONV_EXPORT int citeconv_output_close(citeconv_output *o);

/* ---- formats ----------------------------------------------------------- */

typedef struct citeconv_format citeconv_format;

/** Number of formats and the i-th, in the order --list-formats shows. */
CITECONV_EXPORT size_t citeconv_format_count(void);
CITECONV_EXPORT const citeconv_format *citeconv_format_at(size_t i);
/** The format of that name ("ris"), or NULL. */
CITECONV_EXPORT const citeconv_format *citeconv_format_find(const char *name);
CITECONV_EXPORT const char *citeconv_format_name(const citeconv_format *f);
CITECONV_EXPORT const char *citeconv_format_summary(const citeconv_format *f);
CITECONV_EXPORT bool citeconv_format_can_read(const citeconv_format *f);
CITECONV_EXPORT bool citeconv_format_can_write(const citeconv_format *f);
/** Guess the format of an input from its first bytes. Returns the best
 * reader, or NULL when no reader recognises the content. */
CITECONV_EXPORT const citeconv_format *
citeconv_format_detect(const unsigned char *head, size_t len);

/* ---- reading and writing ----------------------------------------------- */

typedef struct citeconv_reader citeconv_reader;
typedef struct citeconv_writer citeconv_writer;

/** Start reading `in` as format `f`, or as the detected format when `f` is
 * NULL. The reader borrows `s` and `in`, which must outlive it. Returns 0,
 * CITECONV_EUSAGE (no reader recognises the input, or `f` cannot read),
 * CITECONV_EPARSE, CITECONV_EIO or CITECONV_ENOMEM. */
CITECONV_EXPORT int citeconv_reader_open(citeconv_reader **out,
                                         citeconv_session *s,
                                         const citeconv_format *f,
                                         citeconv_input *in);
/** The next record, owned by the caller (free with citeconv_record_free).
 * Returns 0, CITECONV_END after the last record, or a negative code when
 * the input cannot be read on. Problems in the data that the reader
 * recovers from are diagnostics, not failures. */
CITECONV_EXPORT int citeconv_reader_next(citeconv_record **out,
                                         citeconv_reader *r);
/** The format being read. */
CITECONV_EXPORT const citeconv_format *
citeconv_reader_format(const citeconv_reader *r);
/** Free a reader. Safe on NULL. */
CITECONV_EXPORT void citeconv_reader_close(citeconv_reader *r);

/** Start writing format `f` to `o` (both borrowed). */
CITECONV_EXPORT int citeconv_writer_begin(citeconv_writer **out,
                                          citeconv_session *s,
                                          const citeconv_format *f,
                                          citeconv_output *o);
/** Write one record (borrowed). */
CITECONV_EXPORT int citeconv_writer_record(citeconv_writer *w,
                                           const citeconv_record *rec);
/** Write the trailer. Call once, after the last record. */
CITECONV_EXPORT int citeconv_writer_end(citeconv_writer *w);
/** Free a writer. Safe on NULL and after an error. */
CITECONV_EXPORT void citeconv_writer_free(citeconv_writer *w);

/** Pull every record from `r` and hand it to `w`, one at a time. Returns 0,
 * or the first negative code of the reader or the writer. */
CITECONV_EXPORT int citeconv_convert(citeconv_reader *r, citeconv_writer *w);

#ifdef __cplusplus
}
#endif

#endif
