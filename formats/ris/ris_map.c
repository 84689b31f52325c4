/* RIS tables as data: reference types (RIS <-> CSL) and tags (what the
 * reader does with each, which tag the writer uses for each variable). */
#include <string.h>

#include "ris.h"

#define T(ris, csl, g) {ris, CITECONV_TYPE_##csl, g}
#define B RIS_G_BOOK
#define N RIS_G_NUMBERED
#define P RIS_G_PATENT

/* The reference types of the RIS specification (2011 revision) and the
 * ones exporters write beside them. The first entry for a CSL type is the
 * one the writer uses. */
static const ris_type types[] = {
    T("JOUR", ARTICLE_JOURNAL, 0),
    T("BOOK", BOOK, B),
    T("CHAP", CHAPTER, 0),
    T("CPAPER", PAPER_CONFERENCE, 0),
    T("THES", THESIS, 0),
    T("RPRT", REPORT, N),
    T("ELEC", WEBPAGE, 0),
    T("DATA", DATASET, 0),
    T("NEWS", ARTICLE_NEWSPAPER, 0),
    T("MGZN", ARTICLE_MAGAZINE, 0),
    T("GEN", DOCUMENT, 0),
    T("PAT", PATENT, P),
    T("BILL", BILL, N),
    T("CASE", LEGAL_CASE, N),
    T("STAT", LEGISLATION, N),
    T("LEGAL", REGULATION, N),
    T("HEAR", HEARING, N),
    T("STAND", STANDARD, N),
    T("MANSCPT", MANUSCRIPT, 0),
    T("MAP", MAP, 0),
    T("MPCT", MOTION_PICTURE, 0),
    T("MUSIC", MUSICAL_SCORE, 0),
    T("PAMP", PAMPHLET, 0),
    T("PCOMM", PERSONAL_COMMUNICATION, 0),
    T("COMP", SOFTWARE, 0),
    T("SOUND", SONG, 0),
    T("SLIDE", SPEECH, 0),
    T("FIGURE", FIGURE, 0),
    T("ART", GRAPHIC, 0),
    T("DICT", ENTRY_DICTIONARY, 0),
    T("ENCYC", ENTRY_ENCYCLOPEDIA, 0),
    T("CLSWK", CLASSIC, 0),
    T("BLOG", POST_WEBLOG, 0),
    T("JFULL", PERIODICAL, 0),
    T("EDBOOK", COLLECTION, B),
    /* Second spellings of a CSL type: read, never written. */
    T("CONF", PAPER_CONFERENCE, 0),
    T("ABST", ARTICLE_JOURNAL, 0),
    T("INPR", ARTICLE_JOURNAL, 0),
    T("EJOUR", ARTICLE_JOURNAL, 0),
    T("EBOOK", BOOK, B),
    T("ECHAP", CHAPTER, 0),
    T("CTLG", BOOK, B),
    T("SER", BOOK, B),
    T("ANCIENT", CLASSIC, 0),
    T("ADVS", MOTION_PICTURE, 0),
    T("VIDEO", MOTION_PICTURE, 0),
    T("AGGR", DATASET, 0),
    T("DBASE", DATASET, 0),
    T("CHART", GRAPHIC, 0),
    T("EQUA", DOCUMENT, 0),
    T("GRANT", DOCUMENT, 0),
    T("GOVDOC", REPORT, N),
    T("UNBILL", BILL, N),
    T("ICOMM", PERSONAL_COMMUNICATION, 0),
    T("MULTI", WEBPAGE, 0),
    T("WEB", WEBPAGE, 0),
    T("UNPB", MANUSCRIPT, 0),
    /* CSL types with no RIS type of their own. */
    T("GEN", ARTICLE, 0),
    T("GEN", BROADCAST, 0),
    T("GEN", ENTRY, 0),
    T("GEN", EVENT, 0),
    T("GEN", INTERVIEW, 0),
    T("GEN", PERFORMANCE, 0),
    T("GEN", POST, 0),
    T("GEN", REVIEW, 0),
    T("GEN", REVIEW_BOOK, 0),
    T("GEN", TREATY, 0),
    /* Read only: types that EndNote and others write beyond the
     * specification's list (after the GEN lines, so GEN is written). */
    T("INTV", INTERVIEW, 0),
    T("POD", BROADCAST, 0),
    T("GRNT", DOCUMENT, 0),
    T("PRESS", DOCUMENT, 0),
    T("UNPD", MANUSCRIPT, 0),
};

#undef T
#undef B
#undef N
#undef P

#define NONE CITECONV_VAR_NONE
#define V(x) CITECONV_VAR_##x
#define TAG(t, a, v, j) {t, RIS_A_##a, v, RIS_J_##j, NONE, NONE}
#define TAGB(t, a, v, j, bv) {t, RIS_A_##a, v, RIS_J_##j, bv, NONE}
#define TAGN(t, a, v, j, nv) {t, RIS_A_##a, v, RIS_J_##j, NONE, nv}

/* Every tag the reader knows, in the specification's order. TY and ER
 * are handled by the reader itself. */
static const ris_tag tags[] = {
    TAG("ID", TEXT, V(ID), SPACE),
    TAG("AU", NAME, V(AUTHOR), SPACE),
    TAG("A1", NAME, V(AUTHOR), SPACE),
    TAG("A2", NAME, V(EDITOR), SPACE),
    TAG("ED", NAME, V(EDITOR), SPACE),
    TAG("A3", NAME, V(COLLECTION_EDITOR), SPACE),
    TAG("A4", NAME, V(TRANSLATOR), SPACE),
    TAG("TA", NAME, V(TRANSLATOR), SPACE),
    TAG("TI", TEXT, V(TITLE), SPACE),
    TAG("T1", TEXT, V(TITLE), SPACE),
    TAG("CT", TEXT, V(TITLE), SPACE),
    TAG("BT", BT, V(CONTAINER_TITLE), SPACE),
    TAGB("T2", TEXT, V(CONTAINER_TITLE), SPACE, V(COLLECTION_TITLE)),
    TAG("T3", TEXT, V(COLLECTION_TITLE), SPACE),
    TAG("ST", TEXT, V(TITLE_SHORT), SPACE),
    TAG("JO", JO, V(JOURNAL_ABBREVIATION), SPACE),
    TAG("JF", TEXT, V(CONTAINER_TITLE), SPACE),
    TAG("JA", TEXT, V(JOURNAL_ABBREVIATION), SPACE),
    TAG("J1", TEXT, V(JOURNAL_ABBREVIATION), SPACE),
    TAG("J2", TEXT, V(JOURNAL_ABBREVIATION), SPACE),
    TAG("PY", DATE, V(ISSUED), SPACE),
    TAG("Y1", DATE, V(ISSUED), SPACE),
    TAG("DA", DATE_PRIMARY, V(ISSUED), SPACE),
    TAG("Y2", DATE, V(ACCESSED), SPACE),
    TAG("SP", SP, V(PAGE), SPACE),
    TAG("EP", EP, V(PAGE), SPACE),
    TAG("VL", TEXT, V(VOLUME), SPACE),
    TAG("VO", TEXT, V(VOLUME), SPACE),
    TAG("IS", TEXT, V(ISSUE), SPACE),
    TAG("CP", TEXT, V(ISSUE), SPACE),
    TAG("NV", TEXT, V(NUMBER_OF_VOLUMES), SPACE),
    TAG("SE", TEXT, V(SECTION), SPACE),
    TAG("ET", TEXT, V(EDITION), SPACE),
    TAG("SN", SN, V(ISSN), SPACE),
    TAG("DO", DOI, V(DOI), SPACE),
    TAG("UR", URL, V(URL), SPACE),
    TAG("L1", LINK, NONE, SPLIT), /* a link a line */
    TAG("L2", LINK, NONE, SPLIT),
    TAG("L3", LINK, NONE, SPLIT),
    TAG("L4", LINK, NONE, SPLIT),
    TAG("AB", MULTI, V(ABSTRACT), NEWLINE),
    TAG("N2", MULTI, V(ABSTRACT), NEWLINE),
    TAG("KW", MULTI, V(KEYWORD), SPLIT),
    TAG("N1", NOTE, V(NOTE), NEWLINE),
    TAG("RN", MULTI, V(ANNOTE), NEWLINE),
    TAG("PB", TEXT, V(PUBLISHER), SPACE),
    TAG("CY", TEXT, V(PUBLISHER_PLACE), SPACE),
    TAG("PP", TEXT, V(PUBLISHER_PLACE), SPACE),
    TAG("LA", TEXT, V(LANGUAGE), SPACE),
    TAG("AN", TEXT, V(ARCHIVE_LOCATION), SPACE),
    TAG("DB", TEXT, V(ARCHIVE), SPACE),
    TAG("DP", TEXT, V(SOURCE), SPACE),
    TAG("CN", TEXT, V(CALL_NUMBER), SPACE),
    TAG("M3", TEXT, V(GENRE), SPACE),
    TAGN("M1", EXTRA, NONE, SPACE, V(NUMBER)),
    TAG("PMID", TEXT, V(PMID), SPACE),
    TAG("PMCID", TEXT, V(PMCID), SPACE),
    /* Known tags with no CSL variable: kept as extras "ris:TAG". */
    TAG("M2", EXTRA, NONE, SPACE),
    TAG("M4", EXTRA, NONE, SPACE),
    TAG("AD", AD, NONE, NEWLINE),
    TAG("CA", EXTRA, NONE, SPACE),
    TAG("LB", EXTRA, NONE, SPACE),
    TAG("RP", EXTRA, NONE, SPACE),
    TAG("OP", EXTRA, NONE, SPACE),
    TAG("TT", EXTRA, NONE, SPACE),
    TAG("H1", TEXT, V(SOURCE), SPACE),        /* Citavi: library */
    TAG("H2", TEXT, V(CALL_NUMBER), SPACE),   /* Citavi: call number */
    TAG("AV", EXTRA, NONE, SPACE),
    TAG("RI", EXTRA, NONE, SPACE),
    TAG("Y3", EXTRA, NONE, SPACE),
    TAG("C1", EXTRA, NONE, SPACE),
    TAG("C2", EXTRA, NONE, SPACE),
    TAG("C3", EXTRA, NONE, SPACE),
    TAG("C4", EXTRA, NONE, SPACE),
    TAG("C5", EXTRA, NONE, SPACE),
    TAG("C6", EXTRA, NONE, SPACE),
    TAG("C7", EXTRA, NONE, SPACE),
    TAG("C8", EXTRA, NONE, SPACE),
    TAG("U1", EXTRA, NONE, SPACE),
    TAG("U2", EXTRA, NONE, SPACE),
    TAG("U3", EXTRA, NONE, SPACE),
    TAG("U4", EXTRA, NONE, SPACE),
    TAG("U5", EXTRA, NONE, SPACE),
};

/* The writer's tags. Variables not listed go to N1 as "variable: value". */
typedef struct {
  citeconv_var var;
  const char *tag;
  const char *book_tag; /* NULL: same */
  bool numbered_only;
} var_tag;

static const var_tag var_tags[] = {
    {V(ID), "ID", NULL, false},
    {V(TITLE), "TI", NULL, false},
    {V(TITLE_SHORT), "ST", NULL, false},
    {V(CONTAINER_TITLE), "T2", "BT", false},
    {V(JOURNAL_ABBREVIATION), "J2", NULL, false},
    {V(COLLECTION_TITLE), "T3", NULL, false},
    {V(AUTHOR), "AU", NULL, false},
    {V(EDITOR), "A2", NULL, false},
    {V(COLLECTION_EDITOR), "A3", NULL, false},
    {V(TRANSLATOR), "A4", NULL, false},
    {V(ISSUED), "DA", NULL, false},
    {V(ACCESSED), "Y2", NULL, false},
    {V(VOLUME), "VL", NULL, false},
    {V(ISSUE), "IS", NULL, false},
    {V(PAGE), "SP", NULL, false},
    {V(NUMBER_OF_VOLUMES), "NV", NULL, false},
    {V(SECTION), "SE", NULL, false},
    {V(EDITION), "ET", NULL, false},
    {V(NUMBER), "M1", NULL, true},
    {V(PUBLISHER), "PB", NULL, false},
    {V(PUBLISHER_PLACE), "CY", NULL, false},
    {V(LANGUAGE), "LA", NULL, false},
    {V(GENRE), "M3", NULL, false},
    {V(ISSN), "SN", NULL, false},
    {V(ISBN), "SN", NULL, false},
    {V(DOI), "DO", NULL, false},
    {V(URL), "UR", NULL, false},
    {V(ARCHIVE), "DB", NULL, false},
    {V(ARCHIVE_LOCATION), "AN", NULL, false},
    {V(SOURCE), "DP", NULL, false},
    {V(CALL_NUMBER), "CN", NULL, false},
    {V(ABSTRACT), "AB", NULL, false},
    {V(KEYWORD), "KW", NULL, false},
    {V(NOTE), "N1", NULL, false},
    {V(ANNOTE), "RN", NULL, false},
};

static int tag_char(char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= '0' && c <= '9')
    return 26 + (c - '0');
  return -1;
}

_Static_assert(sizeof tags / sizeof tags[0] < 256, "tag numbers fit a byte");

void citeconv_ris_tag_index_build(ris_tag_index *idx)
{
  memset(idx->slot, 0, sizeof idx->slot);
  /* From the end, so that the first entry of a tag is the one kept. */
  for (size_t i = sizeof tags / sizeof tags[0]; i-- > 0;) {
    int a = tag_char(tags[i].tag[0]), b = tag_char(tags[i].tag[1]);
    if (a >= 0 && b >= 0 && tags[i].tag[2] == '\0')
      idx->slot[a * 36 + b] = (unsigned char)(i + 1);
  }
}

const ris_tag *citeconv_ris_tag_find(const char *tag, size_t len)
{
  if (len < 2)
    return NULL;
  for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
    if (tags[i].tag[0] == tag[0] && tags[i].tag[1] == tag[1] &&
        strlen(tags[i].tag) == len && memcmp(tags[i].tag, tag, len) == 0)
      return &tags[i];
  return NULL;
}

const ris_tag *citeconv_ris_tag_lookup(const ris_tag_index *idx,
                                       const char *tag, size_t len)
{
  if (len == 2) {
    int a = tag_char(tag[0]), b = tag_char(tag[1]);
    unsigned k;
    if (a < 0 || b < 0)
      return NULL;
    k = idx->slot[a * 36 + b];
    return k ? &tags[k - 1] : NULL;
  }
  return citeconv_ris_tag_find(tag, len);
}

citeconv_var citeconv_ris_tag_var(const ris_tag *t, unsigned groups)
{
  if ((groups & RIS_G_BOOK) && t->book_var != NONE)
    return t->book_var;
  if ((groups & RIS_G_NUMBERED) && t->numbered_var != NONE)
    return t->numbered_var;
  return t->var;
}

const ris_type *citeconv_ris_type_find(const char *s, size_t len)
{
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (strlen(types[i].ris) == len && memcmp(types[i].ris, s, len) == 0)
      return &types[i];
  return NULL;
}

const ris_type *citeconv_ris_type_for_csl(citeconv_type t)
{
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (types[i].csl == t)
      return &types[i];
  return &types[10]; /* GEN */
}

/* A patent, as the RIS specification and Zotero read one: A2 is the
 * issuing organisation (CSL's authority, a name kept as written), SN the
 * patent number; PB, the assignee, and M1, the application number, have
 * no CSL variable and are kept as extras. */
static const struct {
  const char *tag;
  citeconv_var var;
} patent_tags[] = {
    {"A2", V(AUTHORITY)},
    {"SN", V(NUMBER)},
    {"PB", NONE},
    {"M1", NONE},
};

bool citeconv_ris_patent_var(const char *tag, citeconv_var *var)
{
  for (size_t i = 0; i < sizeof patent_tags / sizeof patent_tags[0]; i++)
    if (strcmp(patent_tags[i].tag, tag) == 0) {
      *var = patent_tags[i].var;
      return true;
    }
  return false;
}

const char *citeconv_ris_var_tag(citeconv_var v, unsigned groups)
{
  if (groups & RIS_G_PATENT) {
    for (size_t i = 0; i < sizeof patent_tags / sizeof patent_tags[0]; i++)
      if (v != NONE && patent_tags[i].var == v)
        return patent_tags[i].tag;
    if (v == V(EDITOR))
      return "ED"; /* A2 is taken */
  }
  for (size_t i = 0; i < sizeof var_tags / sizeof var_tags[0]; i++) {
    const var_tag *vt = &var_tags[i];
    if (vt->var != v)
      continue;
    if (vt->numbered_only && !(groups & RIS_G_NUMBERED))
      return NULL;
    if ((groups & RIS_G_BOOK) && vt->book_tag)
      return vt->book_tag;
    return vt->tag;
  }
  return NULL;
}
