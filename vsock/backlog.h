/* What a relay link holds back for the host: the newest output in a ring and the drop
 * line that announces a gap in it, "vsockexec: dropped N bytes". One gap, one line: a
 * line not yet begun takes in the drops made meanwhile (they extend its gap); once a
 * byte of it is on the wire its count is fixed, so the ring keeps the byte after the
 * gap (ring.keep) and takes later drops after that byte: they make a gap of their own,
 * announced after it. Sending goes through send(2) in this object, apart from the
 * relay loop, so a test can stand in for a host that takes a few bytes at a time. */
#ifndef UVMINIT_VSOCK_BACKLOG_H
#define UVMINIT_VSOCK_BACKLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ring.h"

struct backlog {
	struct ring ring;
	char line[80];       /* the drop line in flight */
	size_t line_len, line_off;
	uint64_t line_count; /* the drops it reports */
};

void backlog_init(struct backlog *b, char *mem, size_t cap);
/* Something waits: bytes, a drop line, or drops not yet announced. */
bool backlog_pending(const struct backlog *b);
/* Sends drop lines and bytes, in stream order, until the socket is full or all is
 * out; *sent grows by the bytes sent. Returns 0 or -errno (the connection failed). */
int backlog_send(struct backlog *b, int sock, uint64_t *sent);
/* The connection ended: a drop line cut short is sent whole, with its count, on the
 * next one. */
void backlog_conn_end(struct backlog *b);

#endif
