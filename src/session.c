/* Sessions, options, status texts and the diagnostics sink. */
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *spelling;
  citeconv_severity severity;
  const char *summary;
} code_info;

static const code_info codes[] = {
#define CITECONV_DIAG_X(id, spelling, sev, summary)                          \
  {spelling, CITECONV_SEV_##sev, summary},
#include "diag_codes.def"
#undef CITECONV_DIAG_X
};

static const citeconv_option_info options[] = {
#define CITECONV_OPTION_X(name, def, help) {name, def, help},
#include "options.def"
#undef CITECONV_OPTION_X
    {NULL, NULL, NULL}};

const char *citeconv_strerror(int code)
{
  switch (code) {
  case CITECONV_OK:
    return "success";
  case CITECONV_END:
    return "end of input";
  case CITECONV_ENOMEM:
    return "out of memory";
  case CITECONV_EIO:
    return "input/output error";
  case CITECONV_EPARSE:
    return "the input cannot be parsed";
  case CITECONV_EUSAGE:
    return "invalid argument";
  case CITECONV_ELIMIT:
    return "a limit was exceeded";
  default:
    return "unknown error";
  }
}

const char *citeconv_severity_name(citeconv_severity sev)
{
  switch (sev) {
  case CITECONV_SEV_NOTE:
    return "note";
  case CITECONV_SEV_WARNING:
    return "warning";
  default:
    return "error";
  }
}

size_t citeconv_diag_code_count(void)
{
  return CITECONV_D__COUNT;
}

const char *citeconv_diag_code_name(size_t i)
{
  return i < CITECONV_D__COUNT ? codes[i].spelling : NULL;
}

citeconv_severity citeconv_diag_code_severity(size_t i)
{
  return i < CITECONV_D__COUNT ? codes[i].severity : CITECONV_SEV_ERROR;
}

const char *citeconv_diag_code_summary(size_t i)
{
  return i < CITECONV_D__COUNT ? codes[i].summary : NULL;
}

const citeconv_option_info *citeconv_option_at(size_t i)
{
  return i < CITECONV_OPTION__COUNT ? &options[i] : NULL;
}

int citeconv_session_new(citeconv_session **out)
{
  citeconv_session *s = calloc(1, sizeof(*s));
  *out = s;
  return s ? 0 : CITECONV_ENOMEM;
}

void citeconv_session_free(citeconv_session *s)
{
  if (!s)
    return;
  for (size_t i = 0; i < CITECONV_OPTION__COUNT; i++)
    free(s->option[i]);
  free(s);
}

void citeconv_session_set_diag_cb(citeconv_session *s, citeconv_diag_cb cb,
                                  void *payload)
{
  s->cb = cb;
  s->payload = payload;
}

static int option_index(const char *name)
{
  for (size_t i = 0; i < CITECONV_OPTION__COUNT; i++)
    if (strcmp(options[i].name, name) == 0)
      return (int)i;
  return -1;
}

static bool is_number(const char *v)
{
  if (!*v)
    return false;
  for (; *v; v++)
    if (*v < '0' || *v > '9')
      return false;
  return true;
}

int citeconv_session_set_option(citeconv_session *s, const char *name,
                                const char *value)
{
  int i = option_index(name);
  char *copy;
  if (i < 0)
    return citeconv_session_fail(s, CITECONV_EUSAGE, "unknown option '%s'",
                                 name);
  /* Options whose default is a number take only numbers. */
  if (is_number(options[i].default_value) && !is_number(value))
    return citeconv_session_fail(s, CITECONV_EUSAGE,
                                 "option '%s' takes a number, not '%s'", name,
                                 value);
  copy = strdup(value);
  if (!copy)
    return CITECONV_ENOMEM;
  free(s->option[i]);
  s->option[i] = copy;
  return 0;
}

const char *citeconv_session_option(const citeconv_session *s,
                                    const char *name)
{
  int i = option_index(name);
  if (i < 0)
    return NULL;
  return s->option[i] ? s->option[i] : options[i].default_value;
}

int citeconv_session_references(citeconv_session *s, bool *article,
                                bool *references)
{
  const char *v = citeconv_session_option(s, "references");
  *article = *references = true;
  if (strcmp(v, "article") == 0)
    *references = false;
  else if (strcmp(v, "references") == 0)
    *article = false;
  else if (strcmp(v, "both") != 0)
    return citeconv_session_fail(s, CITECONV_EUSAGE,
                                 "option 'references' takes article, "
                                 "references or both, not '%s'",
                                 v);
  return 0;
}

size_t citeconv_session_option_size(const citeconv_session *s,
                                    const char *name)
{
  const char *v = citeconv_session_option(s, name);
  unsigned long long n = 0;
  if (!v)
    return 0;
  for (; *v >= '0' && *v <= '9'; v++) {
    n = n * 10 + (unsigned)(*v - '0');
    if (n > SIZE_MAX / 10)
      return SIZE_MAX / 10;
  }
  return (size_t)n;
}

size_t citeconv_session_diag_count(const citeconv_session *s,
                                   citeconv_severity sev)
{
  return (unsigned)sev < 3 ? s->count[sev] : 0;
}

const char *citeconv_session_errmsg(const citeconv_session *s)
{
  return s->errmsg;
}

int citeconv_session_fail(citeconv_session *s, int code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s->errmsg, sizeof s->errmsg, fmt, ap);
  va_end(ap);
  return code;
}

void citeconv_diag_emitv(citeconv_session *s, const char *file,
                         const citeconv_pos *pos, size_t record,
                         citeconv_diag_code code, citeconv_severity sev,
                         const char *fmt, va_list ap)
{
  char msg[1024];
  citeconv_diag d;
  if ((unsigned)code >= CITECONV_D__COUNT || s->disabled[code])
    return;
  vsnprintf(msg, sizeof msg, fmt, ap);
  s->count[sev]++;
  if (!s->cb)
    return;
  d.severity = sev;
  d.code = codes[code].spelling;
  d.message = msg;
  d.file = file;
  d.pos = pos ? *pos : (citeconv_pos){0, 0};
  d.record = record;
  s->cb(&d, s->payload);
}

void citeconv_diag_emit(citeconv_session *s, const char *file,
                        const citeconv_pos *pos, size_t record,
                        citeconv_diag_code code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  citeconv_diag_emitv(s, file, pos, record, code,
                      (unsigned)code < CITECONV_D__COUNT ? codes[code].severity
                                                         : CITECONV_SEV_ERROR,
                      fmt, ap);
  va_end(ap);
}

void citeconv_diag_emit_sev(citeconv_session *s, const char *file,
                            const citeconv_pos *pos, size_t record,
                            citeconv_diag_code code, citeconv_severity sev,
                            const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  citeconv_diag_emitv(s, file, pos, record, code, sev, fmt, ap);
  va_end(ap);
}
