/* Relay mode (-r): the program's output goes through pipes to this process, which
 * connects and reconnects to the host without ever blocking the program. */
#ifndef UVMINIT_VSOCK_RELAY_H
#define UVMINIT_VSOCK_RELAY_H

#include <stdint.h>
#include <sys/types.h>

#define RELAY_RING_SIZE (1024u * 1024u) /* per connection: the newest bytes kept */
#define RELAY_BACKOFF_MIN_MS 10
#define RELAY_BACKOFF_MAX_MS 1000
/* a host that takes less than this while it holds the program back is slow */
#define RELAY_HOLD_MIN_RATE (20u * 1024u * 1024u) /* bytes per second */
#define RELAY_MAX_LINKS 2
#define RELAY_PIPE_SIZE (1024 * 1024) /* F_SETPIPE_SZ for the program's pipes */

struct relay_link_cfg {
	uint32_t port;
	int in; /* read end of the program's pipe (the relay owns it) */
};

struct relay_cfg {
	uint32_t cid;
	uint32_t timeout_ms;
	uint32_t hold_ms; /* the longest a full socket holds the program back; 0: never */
	int nlinks;
	struct relay_link_cfg link[RELAY_MAX_LINKS];
	pid_t child;
	int sigfd; /* signalfd for SIGCHLD and the forwarded signals */
};

/* Runs until the child exited and its output was flushed (or the flush window of
 * timeout_ms passed). Returns the child's wait status, or -errno. If other processes
 * still hold the child's pipes after it exited (its own children), it returns once
 * all written so far is out (or the window passed), and a forked relay, signals
 * unblocked, goes on until the last of them closes and the window after that ends:
 * nothing is left writing to a pipe nobody reads. */
int relay_run(const struct relay_cfg *cfg);

#endif
