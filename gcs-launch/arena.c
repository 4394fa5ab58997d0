#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALIGN (sizeof(void *) > sizeof(long long) ? sizeof(void *) : sizeof(long long))

struct arena_block {
	struct arena_block *next;
	long long data[]; /* aligned for anything a plan holds */
};

void arena_init(struct arena *a, void *buf, size_t size)
{
	*a = (struct arena){ .buf = buf, .size = buf ? size : 0 };
}

void *arena_alloc(struct arena *a, size_t n)
{
	size_t at = (a->used + ALIGN - 1) & ~(ALIGN - 1);
	struct arena_block *b;

	if (at <= a->size && n <= a->size - at) {
		a->used = at + n;
		return a->buf + at;
	}
	if (n > SIZE_MAX - sizeof(*b) || !(b = malloc(sizeof(*b) + n))) {
		a->nomem = true;
		return NULL;
	}
	b->next = a->heap;
	a->heap = b;
	return b->data;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *c = n < SIZE_MAX ? arena_alloc(a, n + 1) : NULL;

	if (!c)
		return NULL;
	memcpy(c, s, n);
	c[n] = '\0';
	return c;
}

void strlist_push(struct arena *a, struct strlist *l, char *s)
{
	/* room for s and the NULL after it; the old array stays behind in the arena */
	if (l->n + 2 > l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		char **v = cap < SIZE_MAX / sizeof(*v) ? arena_alloc(a, cap * sizeof(*v)) : NULL;

		if (!v)
			return;
		if (l->n)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
}

__attribute__((format(printf, 2, 0))) static char *arena_vprintf(struct arena *a, const char *fmt,
								  va_list ap)
{
	va_list again;
	char *s;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	s = n < 0 ? NULL : arena_alloc(a, (size_t)n + 1);
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, again);
	else
		a->nomem = true;
	va_end(again);
	return s;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return s;
}

void strlist_printf(struct arena *a, struct strlist *l, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = arena_vprintf(a, fmt, ap);
	va_end(ap);
	if (s)
		strlist_push(a, l, s);
}

void arena_free(struct arena *a)
{
	while (a->heap) {
		struct arena_block *b = a->heap;

		a->heap = b->next;
		free(b);
	}
	a->used = 0;
}
