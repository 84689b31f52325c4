/* JATS mapping tables: publication-type values to CSL types and
 * person-group-type values to name roles, in both directions. */
#include <string.h>

#include "jats.h"

/* JATS 1.3 leaves publication-type open; these are the values the Tag
 * Library suggests plus the ones PMC, eLife and BMC write. The first row
 * for a type is the one the writer uses. */
static const struct {
  const char *name;
  citeconv_type type;
} pubtypes[] = {
    {"journal", CITECONV_TYPE_ARTICLE_JOURNAL},
    {"book", CITECONV_TYPE_BOOK},
    {"chapter", CITECONV_TYPE_CHAPTER},
    {"thesis", CITECONV_TYPE_THESIS},
    {"web", CITECONV_TYPE_WEBPAGE},
    {"data", CITECONV_TYPE_DATASET},
    {"patent", CITECONV_TYPE_PATENT},
    {"preprint", CITECONV_TYPE_ARTICLE},
    {"confproc", CITECONV_TYPE_PAPER_CONFERENCE},
    {"report", CITECONV_TYPE_REPORT},
    {"software", CITECONV_TYPE_SOFTWARE},
    {"newspaper", CITECONV_TYPE_ARTICLE_NEWSPAPER},
    {"magazine", CITECONV_TYPE_ARTICLE_MAGAZINE},
    {"standard", CITECONV_TYPE_STANDARD},
    {"other", CITECONV_TYPE_DOCUMENT},
    {"webpage", CITECONV_TYPE_WEBPAGE},
    {"website", CITECONV_TYPE_WEBPAGE},
    {"blog", CITECONV_TYPE_POST_WEBLOG},
    {"dataset", CITECONV_TYPE_DATASET},
    {"database", CITECONV_TYPE_DATASET},
    {"conf-proc", CITECONV_TYPE_PAPER_CONFERENCE},
    {"conference", CITECONV_TYPE_PAPER_CONFERENCE},
    {"gov", CITECONV_TYPE_REPORT},
    {"working-paper", CITECONV_TYPE_REPORT},
    {"commun", CITECONV_TYPE_PERSONAL_COMMUNICATION},
    {"discussion", CITECONV_TYPE_DOCUMENT},
    {"list", CITECONV_TYPE_DOCUMENT},
    {"letter", CITECONV_TYPE_ARTICLE_JOURNAL},
    {"review", CITECONV_TYPE_REVIEW},
    {"clinical-trial", CITECONV_TYPE_DOCUMENT},
    {"legal-doc", CITECONV_TYPE_LEGISLATION},
    {"periodical", CITECONV_TYPE_PERIODICAL},
    {"dissertation", CITECONV_TYPE_THESIS},
    {"computer-program", CITECONV_TYPE_SOFTWARE},
    {"manuscript", CITECONV_TYPE_MANUSCRIPT},
    {"map", CITECONV_TYPE_MAP},
    {"figure", CITECONV_TYPE_FIGURE},
    {"interview", CITECONV_TYPE_INTERVIEW},
};

int citeconv_jats_type_from_pubtype(const char *s)
{
  for (size_t i = 0; i < sizeof(pubtypes) / sizeof(pubtypes[0]); i++)
    if (strcmp(pubtypes[i].name, s) == 0)
      return (int)pubtypes[i].type;
  return -1;
}

const char *citeconv_jats_pubtype_of(int type)
{
  for (size_t i = 0; i < sizeof(pubtypes) / sizeof(pubtypes[0]); i++)
    if ((int)pubtypes[i].type == type)
      return pubtypes[i].name;
  switch (type) {
  case CITECONV_TYPE_ENTRY_DICTIONARY:
  case CITECONV_TYPE_ENTRY_ENCYCLOPEDIA:
    return "chapter";
  case CITECONV_TYPE_POST:
    return "web";
  case CITECONV_TYPE_BILL:
  case CITECONV_TYPE_REGULATION:
  case CITECONV_TYPE_LEGAL_CASE:
    return "legal-doc";
  default:
    return "other";
  }
}

static const struct {
  const char *name;
  citeconv_var role;
} roles[] = {
    {"author", CITECONV_VAR_AUTHOR},
    {"editor", CITECONV_VAR_EDITOR},
    {"translator", CITECONV_VAR_TRANSLATOR},
    {"compiler", CITECONV_VAR_COMPILER},
    {"curator", CITECONV_VAR_CURATOR},
    {"director", CITECONV_VAR_DIRECTOR},
    {"series-editor", CITECONV_VAR_COLLECTION_EDITOR},
    {"chair", CITECONV_VAR_CHAIR},
    {"inventor", CITECONV_VAR_AUTHOR},
    {"allauthors", CITECONV_VAR_AUTHOR},
    {"contrib", CITECONV_VAR_CONTRIBUTOR},
    {"guest-editor", CITECONV_VAR_EDITOR},
    {"reviewer", CITECONV_VAR_CONTRIBUTOR},
    {"illustrator", CITECONV_VAR_ILLUSTRATOR},
    {"interviewer", CITECONV_VAR_INTERVIEWER},
    {"producer", CITECONV_VAR_PRODUCER},
    {"composer", CITECONV_VAR_COMPOSER},
    {"organizer", CITECONV_VAR_ORGANIZER},
};

citeconv_var citeconv_jats_role_from_group(const char *s)
{
  for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
    if (strcmp(roles[i].name, s) == 0)
      return roles[i].role;
  return CITECONV_VAR_NONE;
}

const char *citeconv_jats_group_of_role(citeconv_var role)
{
  if (role == CITECONV_VAR_CONTRIBUTOR)
    return "contrib";
  for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
    if (roles[i].role == role)
      return roles[i].name;
  return NULL;
}
