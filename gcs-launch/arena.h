/* Memory for a plan: a bump allocator over the caller's buffer (the boot gives one,
 * so planning allocates nothing), falling back to the heap when that is used up or
 * absent (the dry run, the host program, the tests). Freed whole. */
#ifndef UVMINIT_ARENA_H
#define UVMINIT_ARENA_H

#include <stdbool.h>
#include <stddef.h>

struct arena_block;

struct arena {
	char *buf;                 /* the caller's storage, or NULL */
	size_t size, used;
	struct arena_block *heap;  /* what came from the heap, to free */
	bool nomem;                /* an allocation failed: the result is incomplete */
};

/* A growing NULL-terminated list of strings in an arena. */
struct strlist {
	char **v;
	size_t n, cap;
};

void arena_init(struct arena *a, void *buf, size_t size);
/* n bytes, aligned for any pointer; NULL (and a->nomem) when out of memory. */
void *arena_alloc(struct arena *a, size_t n);
/* A copy of s[0..n) with a NUL after it. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* A formatted copy in the arena; NULL (and a->nomem) when out of memory. */
__attribute__((format(printf, 2, 3))) char *arena_printf(struct arena *a, const char *fmt, ...);
/* Appends s (not copied) to l, keeping l->v NULL-terminated; a->nomem on failure. */
void strlist_push(struct arena *a, struct strlist *l, char *s);
/* Appends a formatted copy to l. */
__attribute__((format(printf, 3, 4))) void strlist_printf(struct arena *a, struct strlist *l,
							   const char *fmt, ...);
/* Frees what came from the heap; the caller's buffer is the caller's. */
void arena_free(struct arena *a);

#endif
