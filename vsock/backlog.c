/* The relay's backlog and its drop lines (see backlog.h). */
#include "backlog.h"
#include "fmt.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/socket.h>

void backlog_init(struct backlog *b, char *mem, size_t cap)
{
	ring_init(&b->ring, mem, cap);
	b->line_len = b->line_off = 0;
	b->line_count = 0;
}

bool backlog_pending(const struct backlog *b)
{
	return b->ring.len || b->line_len || b->ring.dropped;
}

int backlog_send(struct backlog *b, int sock, uint64_t *sent)
{
	for (;;) {
		/* drops taken after kept bytes lie past them: those bytes go first */
		bool kept_first = b->ring.keep && b->ring.len;
		const char *p;
		size_t n;
		ssize_t w;
		bool is_line = false;

		if (!b->line_off && b->ring.dropped && !kept_first) {
			/* a line not yet begun takes in the drops made since: they extend
			 * its gap */
			b->line_count = (b->line_len ? b->line_count : 0) + b->ring.dropped;
			b->line_len = (size_t)fmt_snprintf(b->line, sizeof(b->line),
						       "vsockexec: dropped %" PRIu64 " bytes\n",
						       b->line_count);
			b->line_off = 0;
			b->ring.dropped = 0;
		}
		if (b->line_len) {
			p = b->line + b->line_off;
			n = b->line_len - b->line_off;
			is_line = true;
		} else {
			n = ring_peek(&b->ring, &p);
			if (b->ring.dropped && n > b->ring.keep)
				n = b->ring.keep; /* up to the gap that follows */
			if (!n)
				return 0;
		}
		w = send(sock, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? 0 : -errno;
		}
		*sent += (uint64_t)w;
		if (!is_line) {
			ring_consume(&b->ring, (size_t)w);
			continue;
		}
		/* the line's count is on the wire: its gap must not grow */
		b->ring.keep = 1;
		if ((b->line_off += (size_t)w) == b->line_len)
			b->line_len = b->line_off = 0;
	}
}

void backlog_conn_end(struct backlog *b)
{
	b->line_off = 0;
}
