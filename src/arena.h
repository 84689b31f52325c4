/* A bump allocator: many small allocations, freed in one call. With
 * CITECONV_ARENA_DEBUG every allocation is a real malloc, so that
 * AddressSanitizer and valgrind see each one. */
#ifndef CITECONV_SRC_ARENA_H
#define CITECONV_SRC_ARENA_H

#include <stddef.h>

typedef struct citeconv_arena_block citeconv_arena_block;

struct citeconv_arena_block {
  citeconv_arena_block *next;
  size_t size, used;
  max_align_t data[]; /* aligned storage */
};

typedef struct citeconv_arena {
  citeconv_arena_block *head;
  size_t total; /* bytes obtained from malloc */
} citeconv_arena;

void citeconv_arena_init(citeconv_arena *a);
/* Zeroed memory aligned for any type, or NULL. */
void *citeconv_arena_alloc(citeconv_arena *a, size_t size);
/* Grow the most recent allocation `p` of `old` bytes to `size` bytes when
 * it can be done in place, else copy; NULL on failure (p stays valid). */
void *citeconv_arena_realloc(citeconv_arena *a, void *p, size_t old,
                             size_t size);
char *citeconv_arena_strndup(citeconv_arena *a, const char *s, size_t len);
/* n bytes with no alignment, not cleared (text); NULL on failure. */
char *citeconv_arena_bytes_slow(citeconv_arena *a, size_t n);

static inline char *citeconv_arena_bytes(citeconv_arena *a, size_t n)
{
#ifndef CITECONV_ARENA_DEBUG
  citeconv_arena_block *b = a->head;
  if (b && n < b->size - b->used) {
    char *p = (char *)b->data + b->used;
    b->used += n;
    return p;
  }
#endif
  return citeconv_arena_bytes_slow(a, n);
}
void citeconv_arena_free(citeconv_arena *a);

#endif
