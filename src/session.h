/* The session: options, diagnostics sink, counts and last error. */
#ifndef CITECONV_SRC_SESSION_H
#define CITECONV_SRC_SESSION_H

#include <stdarg.h>

#include "citeconv/citeconv.h"

/* Diagnostic codes, from diag_codes.def. */
typedef enum citeconv_diag_code {
#define CITECONV_DIAG_X(id, spelling, sev, summary) CITECONV_D_##id,
#include "diag_codes.def"
#undef CITECONV_DIAG_X
  CITECONV_D__COUNT
} citeconv_diag_code;

enum {
#define CITECONV_OPTION_X(name, def, help) +1
  CITECONV_OPTION__COUNT = 0
#include "options.def"
#undef CITECONV_OPTION_X
};

struct citeconv_session {
  citeconv_diag_cb cb;
  void *payload;
  char *option[CITECONV_OPTION__COUNT]; /* NULL: default */
  size_t count[3];                      /* per severity */
  unsigned char disabled[CITECONV_D__COUNT];
  /* A checker runs on this session: readers leave the whole-list findings
   * (duplicate keys) to it, which reports them with the first place. */
  bool checking;
  char errmsg[512];
};

/* Report a diagnostic with the code's default severity. `file` may be
 * NULL, `pos` may be NULL (unknown place). `record` is the 1-based record
 * number or 0. printf-style message. */
void citeconv_diag_emit(citeconv_session *s, const char *file,
                        const citeconv_pos *pos, size_t record,
                        citeconv_diag_code code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
/* Same, with an explicit severity. */
void citeconv_diag_emit_sev(citeconv_session *s, const char *file,
                            const citeconv_pos *pos, size_t record,
                            citeconv_diag_code code, citeconv_severity sev,
                            const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;
void citeconv_diag_emitv(citeconv_session *s, const char *file,
                         const citeconv_pos *pos, size_t record,
                         citeconv_diag_code code, citeconv_severity sev,
                         const char *fmt, va_list ap);

/* Set the session's last error message (printf-style); returns `code`. */
int citeconv_session_fail(citeconv_session *s, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* The "references" option, for readers of articles that carry their
 * reference list: whether to hand out the article and its references.
 * Returns 0, or CITECONV_EUSAGE (the session's message says why) for a
 * value other than article, references or both. */
int citeconv_session_references(citeconv_session *s, bool *article,
                                bool *references);

/* An option as a size; the default if unset or not a number. */
size_t citeconv_session_option_size(const citeconv_session *s,
                                    const char *name);

#endif
