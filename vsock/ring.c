#include "ring.h"

#include <string.h>

void ring_init(struct ring *r, char *buf, size_t cap)
{
	r->buf = buf;
	r->cap = cap;
	r->head = 0;
	r->len = 0;
	r->dropped = 0;
	r->keep = 0;
}

void ring_consume(struct ring *r, size_t n)
{
	if (n > r->len)
		n = r->len;
	r->len -= n;
	r->head = r->len ? (r->head + n) % r->cap : 0;
	r->keep = r->keep > n ? r->keep - n : 0;
}

static void append(struct ring *r, const char *d, size_t n)
{
	size_t tail = (r->head + r->len) % r->cap;
	size_t first = r->cap - tail < n ? r->cap - tail : n;

	memcpy(r->buf + tail, d, first);
	memcpy(r->buf, d + first, n - first);
	r->len += n;
}

/* Drops the n held bytes that follow the first k (k + n <= len): the k move up. */
static void drop_after(struct ring *r, size_t k, size_t n)
{
	size_t i;

	for (i = k; i-- > 0;)
		r->buf[(r->head + n + i) % r->cap] = r->buf[(r->head + i) % r->cap];
	r->dropped += n;
	r->len -= n;
	r->head = r->len ? (r->head + n) % r->cap : 0;
}

void ring_write(struct ring *r, const void *data, size_t n)
{
	const char *d = data;
	size_t k, held;

	/* kept bytes still to come are the first of data: they always fit (keep < cap) */
	if (r->len < r->keep) {
		k = r->keep - r->len < n ? r->keep - r->len : n;
		append(r, d, k);
		d += k;
		n -= k;
	}
	if (r->len + n > r->cap) {
		size_t over = r->len + n - r->cap;

		k = r->keep < r->len ? r->keep : r->len;
		held = r->len - k < over ? r->len - k : over;
		drop_after(r, k, held);
		/* what is still too much is the start of data */
		r->dropped += over - held;
		d += over - held;
		n -= over - held;
	}
	append(r, d, n);
}

size_t ring_peek(const struct ring *r, const char **p)
{
	*p = r->buf + r->head;
	return r->cap - r->head < r->len ? r->cap - r->head : r->len;
}
