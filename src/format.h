/* The module contract: what every format provides, and the base parts of
 * reader and writer state that the core sees. Unused halves are NULL. */
#ifndef CITECONV_SRC_FORMAT_H
#define CITECONV_SRC_FORMAT_H

#include "citeconv/citeconv.h"
#include "io.h"
#include "session.h"

struct citeconv_reader {
  const citeconv_format *format;
  citeconv_session *session;
  citeconv_input *in;
  const char *file; /* the input's name, for diagnostics and records */
  size_t nrecords;  /* records handed out so far */
  size_t max_records; /* the max-records setting; 0 for no limit */
  bool past_limit;    /* max-records was reached and reported */
};

struct citeconv_writer {
  const citeconv_format *format;
  citeconv_session *session;
  citeconv_output *out;
  size_t nrecords; /* records written so far */
};

struct citeconv_format {
  const char *name;    /* "ris": the spelling used by -f and -t */
  const char *summary; /* one line for --list-formats */
  /* How sure, 0..100, that `head` (the first bytes of the input, at most a
   * few KiB, BOM included) is this format. */
  int (*detect)(const unsigned char *head, size_t len);

  /* Allocate the module's reader state (base first), fill the base with
   * citeconv_reader_init, and return the base in *out. */
  int (*open)(citeconv_reader **out, citeconv_session *s, citeconv_input *in);
  int (*next)(citeconv_record **out, citeconv_reader *r); /* 0, END, <0 */
  void (*close)(citeconv_reader *r);

  int (*begin)(citeconv_writer **out, citeconv_session *s, citeconv_output *o);
  int (*record)(citeconv_writer *w, const citeconv_record *rec);
  int (*end)(citeconv_writer *w); /* trailer and flush; can fail */
  void (*free)(citeconv_writer *w); /* always safe, also after an error */
};

/* Fill the base part of a module's reader or writer. */
void citeconv_reader_init(citeconv_reader *r, const citeconv_format *f,
                          citeconv_session *s, citeconv_input *in);
void citeconv_writer_init(citeconv_writer *w, const citeconv_format *f,
                          citeconv_session *s, citeconv_output *o);

/* Report a diagnostic at a place in the reader's input, for its current
 * record (r->nrecords + 1). */
void citeconv_reader_diag(citeconv_reader *r, const citeconv_pos *pos,
                          citeconv_diag_code code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Report, once per record and variable, that a writer has no place for a
 * value (code not-carried, a note), naming the record by its id. */
void citeconv_writer_not_carried(citeconv_writer *w,
                                 const citeconv_record *rec,
                                 const char *what);

/* Every module's table, from the generated formats.def. */
#define CITECONV_FORMAT(id) extern const citeconv_format citeconv_format_##id;
#include "formats.def"
#undef CITECONV_FORMAT

#endif
