/* Relay mode (-r): the program writes to a socketpair per output port; this process
 * moves the bytes on to the host, connecting and reconnecting without ever making the
 * program wait for the host. */
#ifndef UVMINIT_VSOCK_RELAY_H
#define UVMINIT_VSOCK_RELAY_H

#include <stdint.h>
#include <sys/types.h>

#define RELAY_RING_SIZE (1024u * 1024u) /* per port: the newest bytes always kept */
#define RELAY_STAGE_SIZE (1024u * 1024u) /* per port: bytes staged in a pipe, uncopied */
#define RELAY_SOCKBUF (1024 * 1024) /* SO_SNDBUF: the program's socketpair, the host socket */
#define RELAY_BACKOFF_MIN_MS 10
#define RELAY_BACKOFF_MAX_MS 1000
#define RELAY_HOLD_MS 100 /* a host that stops reading holds the program at most this long */
#define RELAY_HOLD_MIN_BYTES (64u * 1024u) /* per RELAY_HOLD_MS, or the host is stalled */
#define RELAY_MAX_LINKS 2

struct relay_link_cfg {
	uint32_t port;
	int in; /* the relay's end of the program's socketpair (the relay owns it) */
};

struct relay_cfg {
	uint32_t cid;
	uint32_t timeout_ms;
	int nlinks;
	struct relay_link_cfg link[RELAY_MAX_LINKS];
	pid_t child;
	int sigfd; /* signalfd for SIGCHLD and the forwarded signals */
};

/* Asks for a RELAY_SOCKBUF send buffer on fd (forced when privileged). */
void relay_sndbuf(int fd);

/* Runs until the child exited and its output was flushed (or the flush window of
 * timeout_ms passed). Returns the child's wait status, or -errno. */
int relay_run(const struct relay_cfg *cfg);

#endif
