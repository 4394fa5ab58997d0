/* Boot entropy from the host: read (CID 2, port) until EOF, a byte cap or a deadline,
 * credit what arrived with RNDADDENTROPY, and log one line saying what happened. */
#ifndef UVMINIT_ENTROPY_H
#define UVMINIT_ENTROPY_H

#include <stdint.h>

#include "sys.h"

#define ENTROPY_CAP ENTROPY_POOL_MAX
#define ENTROPY_DEVICE "/dev/random"

struct entropy_result {
	uint32_t bytes;     /* credited */
	const char *result; /* ok, none, timeout, refused, cap, error */
	/* the info line of a success, left to entropy_log_info: a boot logs it after the
	 * agent's exec, so its kmsg open and formatting (4-8 ms under TCG, the boot's only
	 * printf) are off the agent's path; a failure's warning is logged at once */
	int info_due;
	uint32_t port;
	int ms;
};

/* The step in two halves, so the host's answer overlaps PID 1's other work:
 * entropy_begin starts the connect (non-blocking) and returns at once; entropy_finish
 * waits for the connect, reads, credits and logs a failure. The deadline (timeout_ms) counts
 * from entropy_begin. */
struct entropy {
	uint32_t port;  /* 0: nothing to do */
	int fd;         /* the connection, or -errno of a connect that failed at once */
	int pending;    /* the connect is under way */
	int64_t start;  /* ms, CLOCK_MONOTONIC */
	uint32_t timeout_ms;
};

void entropy_begin(struct entropy *e, uint32_t port, uint32_t timeout_ms);
void entropy_finish(struct entropy *e, struct entropy_result *out);
/* Logs the success line entropy_finish left due, once. */
void entropy_log_info(struct entropy_result *r);
/* Both halves at once, and the info line. port 0: nothing to do ("none"). Never fails the boot. */
void entropy_seed(uint32_t port, uint32_t timeout_ms, struct entropy_result *out);

#endif
