/* The intermediate record: one reference in CSL's vocabulary, with names in
 * parts, structured dates, rich-text markup, extra fields and source
 * positions. Every reader produces records and every writer consumes them. */
#ifndef CITECONV_RECORD_H
#define CITECONV_RECORD_H

#include <stdbool.h>

#include "citeconv/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** CSL item types (CITECONV_TYPE_ARTICLE_JOURNAL, ...), in types.def. */
typedef enum citeconv_type {
#define CITECONV_TYPE_X(id, spelling) CITECONV_TYPE_##id,
#include "citeconv/types.def"
#undef CITECONV_TYPE_X
  CITECONV_TYPE__COUNT
} citeconv_type;

/** Record variables (CITECONV_VAR_TITLE, CITECONV_VAR_AUTHOR, ...), in
 * vars.def, in canonical output order. */
typedef enum citeconv_var {
#define CITECONV_VAR_X(id, spelling, kind) CITECONV_VAR_##id,
#include "citeconv/vars.def"
#undef CITECONV_VAR_X
  CITECONV_VAR__COUNT,
  CITECONV_VAR_NONE = -1
} citeconv_var;

/** What a variable holds. */
typedef enum citeconv_var_kind {
  CITECONV_KIND_TEXT,   /* a string (may carry markup) */
  CITECONV_KIND_NUMBER, /* a CSL number variable, kept as its text */
  CITECONV_KIND_NAME,   /* a list of names in one role */
  CITECONV_KIND_DATE    /* a date */
} citeconv_var_kind;

/** A person or an organisation. Unused parts are NULL. An organisation,
 * or any name that cannot be split, has only `literal`. All strings are
 * UTF-8 in NFC and belong to the record that holds the name. */
typedef struct citeconv_name {
  const char *family;
  const char *given;
  const char *dropping_particle;     /* "de" in "Jean de La Fontaine" */
  const char *non_dropping_particle; /* "van" in "Ludwig van Beethoven" */
  const char *suffix;                /* "Jr." */
  const char *literal;               /* "World Health Organization" */
  const char *orcid;                 /* bare "0000-0002-1825-0097" */
  const char *const *affiliations;   /* n_affiliations strings */
  size_t n_affiliations;
  bool comma_suffix;                 /* CSL comma-suffix */
  bool static_ordering;              /* CSL static-ordering */
  citeconv_var role;                 /* CITECONV_VAR_AUTHOR, ... */
  citeconv_pos pos;
} citeconv_name;

/** Seasons as CSL numbers them (CSL also encodes them as months 21..24). */
enum { CITECONV_SEASON_SPRING = 1, CITECONV_SEASON_SUMMER,
       CITECONV_SEASON_AUTUMN, CITECONV_SEASON_WINTER };

/** A date: year/month/day (0 = absent, years may be negative), optionally
 * a range ending at `end`, a season, circa, and a literal for dates that
 * cannot be structured ("Spring term 1998"). `raw` keeps the input text
 * when the source gave the date as a string. */
typedef struct citeconv_date {
  int year, month, day;
  int end_year, end_month, end_day; /* all 0: not a range */
  int season;                       /* 0 or CITECONV_SEASON_* */
  int end_season;
  bool circa;
  const char *literal;
  const char *raw;
  citeconv_pos pos;
} citeconv_date;

/** One text field of a record, as iterated by citeconv_record_field_at. */
typedef struct citeconv_field {
  citeconv_var var;
  const char *value; /* NUL-terminated UTF-8 */
  size_t len;
  citeconv_pos pos;
} citeconv_field;

/** A field no CSL variable holds (a BibTeX `timestamp`, a RIS `M3`),
 * kept in order so that a round trip through the same format loses
 * nothing. `name` is the source's spelling, prefixed by the format
 * ("bibtex:timestamp", "ris:M3") unless it is format-neutral. */
typedef struct citeconv_extra {
  const char *name;
  const char *value;
  citeconv_pos pos;
} citeconv_extra;

typedef struct citeconv_record citeconv_record;

/** CSL spelling of a type ("article-journal"); NULL if out of range. */
CITECONV_EXPORT const char *citeconv_type_name(citeconv_type t);
/** Type for a CSL spelling (exact match); -1 if unknown. */
CITECONV_EXPORT int citeconv_type_from_name(const char *s, size_t len);
/** CSL spelling of a variable ("container-title"); NULL if out of range. */
CITECONV_EXPORT const char *citeconv_var_name(citeconv_var v);
/** Variable for a CSL spelling (exact match); CITECONV_VAR_NONE if
 * unknown. */
CITECONV_EXPORT citeconv_var citeconv_var_from_name(const char *s, size_t len);
/** Kind of a variable. */
CITECONV_EXPORT citeconv_var_kind citeconv_var_kind_of(citeconv_var v);

/** Make an empty record of type CITECONV_TYPE_DOCUMENT. The caller owns
 * `*out` and frees it with citeconv_record_free. Returns 0 or
 * CITECONV_ENOMEM. */
CITECONV_EXPORT int citeconv_record_new(citeconv_record **out);
/** Free a record and everything in its arena. Safe on NULL. */
CITECONV_EXPORT void citeconv_record_free(citeconv_record *rec);

/** Copy `len` bytes into the record's arena and return the NUL-terminated
 * copy (owned by the record), or NULL when out of memory. */
CITECONV_EXPORT char *citeconv_record_strdup(citeconv_record *rec,
                                             const char *s, size_t len);
/** Allocate `size` zeroed bytes from the record's arena; NULL on failure. */
CITECONV_EXPORT void *citeconv_record_alloc(citeconv_record *rec, size_t size);

/** Where the record starts in its input; `file` is borrowed from the
 * reader and may be NULL. */
CITECONV_EXPORT void citeconv_record_set_origin(citeconv_record *rec,
                                                const char *file,
                                                citeconv_pos pos);
CITECONV_EXPORT citeconv_pos citeconv_record_pos(const citeconv_record *rec);
CITECONV_EXPORT const char *citeconv_record_file(const citeconv_record *rec);

CITECONV_EXPORT void citeconv_record_set_type(citeconv_record *rec,
                                              citeconv_type t);
CITECONV_EXPORT citeconv_type citeconv_record_type(const citeconv_record *rec);

/** Set a TEXT or NUMBER variable to a copy of `s` (`len` bytes of UTF-8),
 * replacing every earlier value of that variable. Returns 0,
 * CITECONV_ENOMEM, or CITECONV_EUSAGE for a NAME/DATE variable. */
CITECONV_EXPORT int citeconv_record_set_text(citeconv_record *rec,
                                             citeconv_var var, const char *s,
                                             size_t len, citeconv_pos pos);
/** Add one more value of a TEXT or NUMBER variable after the ones it has
 * (keywords are the usual case). Same returns as citeconv_record_set_text. */
CITECONV_EXPORT int citeconv_record_add_text(citeconv_record *rec,
                                             citeconv_var var, const char *s,
                                             size_t len, citeconv_pos pos);
/** Remove every value of a TEXT or NUMBER variable. */
CITECONV_EXPORT void citeconv_record_clear_text(citeconv_record *rec,
                                                citeconv_var var);
/** First value of a variable, borrowed from the record; NULL if unset. */
CITECONV_EXPORT const char *citeconv_record_text(const citeconv_record *rec,
                                                 citeconv_var var);
/** The first field of a variable (value and position); NULL if unset. */
CITECONV_EXPORT const citeconv_field *
citeconv_record_field(const citeconv_record *rec, citeconv_var var);
/** Number of text fields, and the i-th in the order they were added. */
CITECONV_EXPORT size_t citeconv_record_field_count(const citeconv_record *rec);
CITECONV_EXPORT const citeconv_field *
citeconv_record_field_at(const citeconv_record *rec, size_t i);

/** Append a name in `name->role` (a NAME variable). Every string is copied
 * into the record. Returns 0, CITECONV_ENOMEM or CITECONV_EUSAGE. */
CITECONV_EXPORT int citeconv_record_add_name(citeconv_record *rec,
                                             const citeconv_name *name);
/** Number of names in all roles, and the i-th in the order they were
 * added (borrowed). */
CITECONV_EXPORT size_t citeconv_record_name_count(const citeconv_record *rec);
CITECONV_EXPORT const citeconv_name *
citeconv_record_name_at(const citeconv_record *rec, size_t i);
/** Number of names in one role. */
CITECONV_EXPORT size_t citeconv_record_role_count(const citeconv_record *rec,
                                                  citeconv_var role);
/** Mark a role's list as cut short by the source ("et al.", "and others",
 * CompleteYN="N"), or ask whether it is. */
CITECONV_EXPORT void citeconv_record_set_truncated(citeconv_record *rec,
                                                   citeconv_var role,
                                                   bool truncated);
CITECONV_EXPORT bool citeconv_record_truncated(const citeconv_record *rec,
                                               citeconv_var role);

/** Set a DATE variable to a copy of `*date` (strings copied). Returns 0,
 * CITECONV_ENOMEM or CITECONV_EUSAGE. */
CITECONV_EXPORT int citeconv_record_set_date(citeconv_record *rec,
                                             citeconv_var var,
                                             const citeconv_date *date);
/** A DATE variable, borrowed; NULL if unset. */
CITECONV_EXPORT const citeconv_date *
citeconv_record_date(const citeconv_record *rec, citeconv_var var);

/** Append an extra field (both strings copied). Returns 0 or
 * CITECONV_ENOMEM. */
CITECONV_EXPORT int citeconv_record_add_extra(citeconv_record *rec,
                                              const char *name,
                                              const char *value, size_t len,
                                              citeconv_pos pos);
CITECONV_EXPORT size_t citeconv_record_extra_count(const citeconv_record *rec);
CITECONV_EXPORT const citeconv_extra *
citeconv_record_extra_at(const citeconv_record *rec, size_t i);
/** First extra of that exact name, borrowed; NULL if none. */
CITECONV_EXPORT const char *citeconv_record_extra(const citeconv_record *rec,
                                                  const char *name);

/** The record's arena in bytes, for tests and limits. */
CITECONV_EXPORT size_t citeconv_record_memory(const citeconv_record *rec);

#ifdef __cplusplus
}
#endif

#endif
