/* The validator: checks each record as it streams past (DOIs, names,
 * identifiers, pages, dates, required fields) and the whole list
 * (duplicate keys and records), reporting diagnostics through the
 * session. */
#ifndef CITECONV_VALIDATE_H
#define CITECONV_VALIDATE_H

#include <stdbool.h>

#include "citeconv/citeconv.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A checker for one list of records, bound to a session whose diagnostic
 * callback receives the findings. It keeps a compact index of hashes and
 * positions for the whole-list checks, never the records. */
typedef struct citeconv_check citeconv_check;

/** Make a checker on `s` (borrowed; it must outlive the checker). The
 * caller frees `*out` with citeconv_check_free. Returns 0 or
 * CITECONV_ENOMEM. */
CITECONV_EXPORT int citeconv_check_new(citeconv_check **out,
                                       citeconv_session *s);
/** Free a checker. Safe on NULL. */
CITECONV_EXPORT void citeconv_check_free(citeconv_check *check);

/** Check one record (borrowed) and remember what the whole-list checks
 * need. Records of several inputs may be checked in a row: they are one
 * list. Returns 0 or CITECONV_ENOMEM. */
CITECONV_EXPORT int citeconv_check_record(citeconv_check *check,
                                          const citeconv_record *rec);

/** Apply to `rec` the fixes that cannot change its meaning: DOI clean-up
 * (URL or label prefix, white space, trailing punctuation,
 * percent-encoding, look-alike characters), the dash of page ranges, and
 * white space at the ends or doubled inside text fields. Each fix applied
 * is reported as a note with the code of the problem it fixed. Call it
 * before citeconv_check_record. Returns the number of fixes applied, or
 * CITECONV_ENOMEM. */
CITECONV_EXPORT int citeconv_check_fix(citeconv_check *check,
                                       citeconv_record *rec);

/** Run the checks that need the whole list. Call once, after the last
 * record. Returns 0. */
CITECONV_EXPORT int citeconv_check_finish(citeconv_check *check);

/** Records checked so far. */
CITECONV_EXPORT size_t citeconv_check_count(const citeconv_check *check);

/** Switch diagnostics of a code on or off for the session. `code` is a
 * spelling from citeconv_diag_code_name ("doi-url-prefix"), "all", or a
 * prefix ending in '*' ("doi-*"); it applies to every code it matches, of
 * the validator or of any reader. Returns 0, or CITECONV_EUSAGE when
 * nothing matches (the session's message says so). */
CITECONV_EXPORT int citeconv_diag_set_enabled(citeconv_session *s,
                                              const char *code,
                                              bool enabled);

/** Whether the i-th diagnostic code (as numbered by
 * citeconv_diag_code_name) belongs to the validator rather than to a
 * reader or writer. */
CITECONV_EXPORT bool citeconv_diag_code_is_check(size_t i);

/** The online DOI check (the CLI's --resolve): for each distinct DOI of
 * the records it is given, asks the DOI resolver whether the DOI is
 * registered and asks its registration agency (Crossref or DataCite) for
 * title, first author, year and container, and compares them with the
 * record's. Findings are doi-not-registered, doi-metadata-mismatch and,
 * when the network, a registry or the time budget fails,
 * doi-check-unavailable (a note, never a false "not registered"). DOIs are
 * looked up in batches, so findings may come after those of later
 * records. The options resolver-url, crossref-url, datacite-url, mailto,
 * resolve-jobs, resolve-budget, resolve-cache, resolve-cache-dir and
 * resolve-cache-ttl of the session set it up. Only the DOI, a User-Agent
 * naming citeconv and its version, and (to Crossref) the mailto address
 * are sent. */
typedef struct citeconv_resolver citeconv_resolver;

/** The version of libcurl the online check uses ("7.88.1"), static;
 * NULL when the library was built without it, and then
 * citeconv_resolver_new fails. */
CITECONV_EXPORT const char *citeconv_resolver_backend(void);

/** Make a resolver on `s` (borrowed; it must outlive the resolver), with
 * the session's options as they are now. The caller frees `*out` with
 * citeconv_resolver_free. Returns 0, CITECONV_ENOMEM, or CITECONV_EUSAGE
 * when the library has no HTTP support or an option is wrong (the
 * session's message says why). */
CITECONV_EXPORT int citeconv_resolver_new(citeconv_resolver **out,
                                          citeconv_session *s);
/** Free a resolver. Safe on NULL. */
CITECONV_EXPORT void citeconv_resolver_free(citeconv_resolver *res);

/** Note the DOI of one record (borrowed) for checking, with what the
 * comparison needs; records without a DOI, or with one that is not a DOI
 * by syntax, need nothing. May run a batch of look-ups and report their
 * findings. Returns 0 or CITECONV_ENOMEM; network trouble is a finding,
 * not a failure. */
CITECONV_EXPORT int citeconv_resolver_record(citeconv_resolver *res,
                                             const citeconv_record *rec);

/** Look up what is left and report it. Call once, after the last record.
 * Returns 0 or CITECONV_ENOMEM. */
CITECONV_EXPORT int citeconv_resolver_finish(citeconv_resolver *res);

/** Number of records whose DOI could not be checked (each was reported as
 * doi-check-unavailable). */
CITECONV_EXPORT size_t
citeconv_resolver_unavailable(const citeconv_resolver *res);

#ifdef __cplusplus
}
#endif

#endif
