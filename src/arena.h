/* A bump allocator: many small allocations, freed in one call. With
 * CITECONV_ARENA_DEBUG every allocation is a real malloc, so that
 * AddressSanitizer and valgrind see each one. */
#ifndef CITECONV_SRC_ARENA_H
#define CITECONV_SRC_ARENA_H

#include <stddef.h>

typedef struct citeconv_arena_block citeconv_arena_block;

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
void citeconv_arena_free(citeconv_arena *a);

#endif
