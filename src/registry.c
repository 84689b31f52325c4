/* The list of format modules (generated formats.def) and detection. */
#include <string.h>

#include "format.h"

static const citeconv_format *const formats[] = {
#define CITECONV_FORMAT(id) &citeconv_format_##id,
#include "formats.def"
#undef CITECONV_FORMAT
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

size_t citeconv_format_count(void)
{
  return NFORMATS;
}

const citeconv_format *citeconv_format_at(size_t i)
{
  return i < NFORMATS ? formats[i] : NULL;
}

const citeconv_format *citeconv_format_find(const char *name)
{
  for (size_t i = 0; i < NFORMATS; i++)
    if (strcmp(formats[i]->name, name) == 0)
      return formats[i];
  return NULL;
}

const char *citeconv_format_name(const citeconv_format *f)
{
  return f->name;
}

const char *citeconv_format_summary(const citeconv_format *f)
{
  return f->summary;
}

bool citeconv_format_can_read(const citeconv_format *f)
{
  return f->open != NULL;
}

bool citeconv_format_can_write(const citeconv_format *f)
{
  return f->begin != NULL;
}

const citeconv_format *citeconv_format_detect(const unsigned char *head,
                                              size_t len)
{
  const citeconv_format *best = NULL;
  int best_score = 0;
  for (size_t i = 0; i < NFORMATS; i++) {
    int score;
    if (!formats[i]->detect || !formats[i]->open)
      continue;
    score = formats[i]->detect(head, len);
    if (score > best_score) {
      best_score = score;
      best = formats[i];
    }
  }
  return best;
}
