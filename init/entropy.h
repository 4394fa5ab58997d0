/* Boot entropy from the host: read (CID 2, port) until EOF, a byte cap or a deadline,
 * credit what arrived with RNDADDENTROPY, and log one line saying what happened. */
#ifndef UVMINIT_ENTROPY_H
#define UVMINIT_ENTROPY_H

#include <stdint.h>

#define ENTROPY_CAP 4096
#define ENTROPY_DEVICE "/dev/random"

struct entropy_result {
	uint32_t bytes;     /* credited */
	const char *result; /* ok, none, timeout, refused, cap, error */
};

/* The step in two halves, so the host's answer overlaps PID 1's other work:
 * entropy_begin starts the connect (non-blocking) and returns at once; entropy_finish
 * waits for the connect, reads, credits and logs. The deadline (timeout_ms) counts
 * from entropy_begin. */
struct entropy {
	uint32_t port;  /* 0: nothing to do */
	int fd;         /* the connection, or -errno of a connect that failed at once */
	int pending;    /* the connect is under way */
	int64_t start;  /* ms, CLOCK_MONOTONIC */
	uint32_t timeout_ms;
};

void entropy_begin(struct entropy *e, uint32_t port, uint32_t timeout_ms);
/* After the vsock modules were loaded: a connect that failed at once (no vsock when
 * entropy_begin ran) starts again, its deadline counting from now. */
void entropy_restart_failed(struct entropy *e);
void entropy_finish(struct entropy *e, struct entropy_result *out);
/* Both halves at once. port 0: nothing to do ("none"). Never fails the boot. */
void entropy_seed(uint32_t port, uint32_t timeout_ms, struct entropy_result *out);

#endif
