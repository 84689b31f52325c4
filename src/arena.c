/* The record arena: blocks of growing size, freed together. */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "copy.h"

#define ALIGN (_Alignof(max_align_t))
#define FIRST_BLOCK 8192

void citeconv_arena_init(citeconv_arena *a)
{
  a->head = NULL;
  a->total = 0;
}

#ifdef CITECONV_ARENA_DEBUG
/* Every allocation is its own block, so sanitizers see its bounds. */
void *citeconv_arena_alloc(citeconv_arena *a, size_t size)
{
  citeconv_arena_block *b;
  if (size > SIZE_MAX - sizeof(*b))
    return NULL;
  b = calloc(1, sizeof(*b) + size);
  if (!b)
    return NULL;
  b->size = b->used = size;
  b->next = a->head;
  a->head = b;
  a->total += size;
  return b->data;
}

void *citeconv_arena_realloc(citeconv_arena *a, void *p, size_t old,
                             size_t size)
{
  void *q = citeconv_arena_alloc(a, size);
  if (q && p)
    memcpy(q, p, old < size ? old : size);
  return q;
}

static void *alloc_raw(citeconv_arena *a, size_t size)
{
  return citeconv_arena_alloc(a, size);
}

#else
static size_t round_up(size_t n)
{
  return (n + ALIGN - 1) & ~(ALIGN - 1);
}

/* Room for size bytes, not cleared, aligned for any type. Text taken
 * with citeconv_arena_bytes may have left the block unaligned: the start
 * is rounded up (block sizes are multiples of ALIGN, so it stays within
 * the block). */
static void *alloc_raw(citeconv_arena *a, size_t size)
{
  citeconv_arena_block *b = a->head;
  size_t need = round_up(size ? size : 1);
  void *p;

  if (need < size)
    return NULL;
  if (b)
    b->used = round_up(b->used);
  if (!b || b->size - b->used < need) {
    size_t bsize = b ? b->size * 2 : FIRST_BLOCK;
    if (bsize > 1 << 20)
      bsize = 1 << 20;
    if (bsize < need)
      bsize = need;
    if (bsize > SIZE_MAX - sizeof(*b))
      return NULL;
    b = malloc(sizeof(*b) + bsize);
    if (!b)
      return NULL;
    b->size = bsize;
    b->used = 0;
    b->next = a->head;
    a->head = b;
    a->total += bsize;
  }
  p = (char *)b->data + b->used;
  b->used += need;
  return p;
}

void *citeconv_arena_alloc(citeconv_arena *a, size_t size)
{
  void *p = alloc_raw(a, size);
  if (p)
    memset(p, 0, size);
  return p;
}

void *citeconv_arena_realloc(citeconv_arena *a, void *p, size_t old,
                             size_t size)
{
  citeconv_arena_block *b = a->head;
  void *q;
  /* Grow in place when p is the last allocation of the newest block. */
  if (p && b && (char *)p + round_up(old ? old : 1) == (char *)b->data + b->used) {
    size_t start = (size_t)((char *)p - (char *)b->data);
    size_t need = round_up(size ? size : 1);
    if (need >= size && b->size - start >= need) {
      if (size > old)
        memset((char *)p + old, 0, size - old);
      b->used = start + need;
      return p;
    }
  }
  q = citeconv_arena_alloc(a, size);
  if (q && p)
    memcpy(q, p, old < size ? old : size);
  return q;
}
#endif

char *citeconv_arena_bytes_slow(citeconv_arena *a, size_t n)
{
  return alloc_raw(a, n);
}

char *citeconv_arena_strndup(citeconv_arena *a, const char *s, size_t len)
{
  char *p;
  if (len == SIZE_MAX)
    return NULL;
  p = citeconv_arena_bytes(a, len + 1);
  if (!p)
    return NULL;
  citeconv_copy(p, s, len);
  p[len] = '\0';
  return p;
}

void citeconv_arena_free(citeconv_arena *a)
{
  citeconv_arena_block *b = a->head;
  while (b) {
    citeconv_arena_block *next = b->next;
    free(b);
    b = next;
  }
  a->head = NULL;
  a->total = 0;
}
