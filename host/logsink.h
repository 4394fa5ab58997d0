/* uvmhost's output: whole lines into a ring of fixed size, written to the log by a
 * thread of their own. The main loop never waits on the log: a write to a regular file
 * cannot be made non-blocking (a stuck disk), and a pipe or terminal may be full. When
 * the ring has no room for a line, the line is dropped and counted; the next line that
 * fits is preceded by one line "uvmhost: dropped N lines (M bytes)" for the whole gap.
 * A write error (EPIPE, EIO, ENOSPC) drops everything queued at that moment the same way
 * (a line cut short by it counts as one), so no later write starts inside a line. */
#ifndef UVMINIT_HOST_LOGSINK_H
#define UVMINIT_HOST_LOGSINK_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ring.h"

#define LOGSINK_RING_MIN (1u << 20)

struct logsink {
	const char *path;	/* NULL: standard output */
	int fd;
	/* the queue (vsock/ring.c): a line goes in only when it fits, so the ring never
	 * drops bytes of its own and the writer may write [head, head + run) unlocked */
	struct ring q;
	uint64_t gap_lines, gap_bytes;	/* dropped since the last drop line */
	bool stop, reopen, busy;
	pthread_mutex_t mu;
	pthread_cond_t wake;	/* to the writer: data, stop or reopen */
	pthread_cond_t idle;	/* from the writer: the ring is empty */
	pthread_t writer;
};

/* Opens path (O_APPEND, created 0640; NULL or "-": standard output) and starts the
 * writer. ring_size is at least LOGSINK_RING_MIN. Returns 0 or -errno. */
int logsink_open(struct logsink *s, const char *path, size_t ring_size);

/* Queues prefix + text + "\n" whole, or drops it (counted). Returns 0, or -ENOBUFS when
 * dropped. Never waits on the log. */
int logsink_line(struct logsink *s, const char *prefix, size_t plen, const char *text,
		 size_t len);

/* SIGHUP: the writer opens the path again (logrotate moved the file) between writes. */
void logsink_reopen(struct logsink *s);

/* After a successful logsink_open only: writes what is queued (and a pending drop
 * line) within timeout_ms, then stops the writer. Returns 0, or -ETIMEDOUT when the log did not take it all in time (the writer
 * is then left blocked; the caller exits). */
int logsink_close(struct logsink *s, int timeout_ms);

#endif
