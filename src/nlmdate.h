/* Dates as the NLM writes them: PubDate parts, MedlineDate and the
 * MEDLINE DP tag ("1998 Dec-1999 Jan", "2000 Spring", "2001 Jan 5-12"). */
#ifndef CITECONV_SRC_NLMDATE_H
#define CITECONV_SRC_NLMDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "citeconv/record.h"

/* Month from "Jan".."Dec" (any case, also full names) or "1".."12";
 * 0 when it is neither. */
int citeconv_nlmdate_month(const char *s, size_t n);
/* CITECONV_SEASON_* from "Spring", "Summer", "Fall"/"Autumn", "Winter";
 * 0 when it is none of them. */
int citeconv_nlmdate_season(const char *s, size_t n);
/* Fill the numeric parts of `d` (year, month, day, season and the range
 * end) from s[0..n). Returns true when the whole text was understood;
 * false leaves `d`'s numeric parts as far as they were read. Strings of
 * `d` are not touched. */
bool citeconv_nlmdate_parse(citeconv_date *d, const char *s, size_t n);
/* Whether y-m-d is a real date (month and day may be 0). */
bool citeconv_nlmdate_valid(int y, int m, int d);

/* The three-letter English month name for 1..12, else NULL. */
const char *citeconv_nlmdate_month_abbr(int m);
/* "Spring", "Summer", "Fall", "Winter" for CITECONV_SEASON_*, else NULL. */
const char *citeconv_nlmdate_season_name(int season);

/* The CSL type a PubMed publication type ("Dataset", "Congress", ...)
 * implies, or -1 when it implies none (most say nothing about the form:
 * "Journal Article", "Review"). */
int citeconv_nlm_pubtype_to_type(const char *pt);

#endif
