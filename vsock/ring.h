/* A bounded byte ring that keeps the newest data: a write that does not fit drops the
 * oldest bytes and counts them. Pure (no I/O, no allocation): the caller owns buf. */
#ifndef UVMINIT_RING_H
#define UVMINIT_RING_H

#include <stddef.h>
#include <stdint.h>

struct ring {
	char *buf;
	size_t cap;      /* > 0 */
	size_t head;     /* index of the oldest byte */
	size_t len;      /* bytes held */
	uint64_t dropped; /* bytes dropped since the caller last cleared it */
	/* The oldest keep bytes, held now or written next, are never dropped: drops are
	 * then taken just after them (so r->dropped counts a gap that lies after them).
	 * Set by the caller (< cap); ring_consume lowers it. */
	size_t keep;
};

void ring_init(struct ring *r, char *buf, size_t cap);
/* Appends n bytes; when they do not fit, the oldest bytes after the kept ones (held
 * ones first, then the start of data itself) are dropped and added to r->dropped. */
void ring_write(struct ring *r, const void *data, size_t n);
/* The oldest held bytes that are contiguous in buf: sets *p, returns their count. */
size_t ring_peek(const struct ring *r, const char **p);
/* Forgets the n oldest bytes (n <= r->len), e.g. once they were sent. */
void ring_consume(struct ring *r, size_t n);

#endif
