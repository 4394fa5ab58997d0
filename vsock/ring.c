#include "ring.h"

#include <string.h>

void ring_init(struct ring *r, char *buf, size_t cap)
{
	r->buf = buf;
	r->cap = cap;
	r->head = 0;
	r->len = 0;
	r->dropped = 0;
}

void ring_consume(struct ring *r, size_t n)
{
	if (n > r->len)
		n = r->len;
	r->len -= n;
	r->head = r->len ? (r->head + n) % r->cap : 0;
}

void ring_write(struct ring *r, const void *data, size_t n)
{
	const char *d = data;
	size_t tail, first;

	if (n >= r->cap) {
		/* only the last cap bytes of data survive */
		r->dropped += r->len + (n - r->cap);
		d += n - r->cap;
		n = r->cap;
		r->head = 0;
		r->len = 0;
	} else if (r->len + n > r->cap) {
		size_t over = r->len + n - r->cap;

		r->dropped += over;
		ring_consume(r, over);
	}
	tail = (r->head + r->len) % r->cap;
	first = r->cap - tail < n ? r->cap - tail : n;
	memcpy(r->buf + tail, d, first);
	memcpy(r->buf, d + first, n - first);
	r->len += n;
}

size_t ring_peek(const struct ring *r, const char **p)
{
	*p = r->buf + r->head;
	return r->cap - r->head < r->len ? r->cap - r->head : r->len;
}
