/* Loopback up through libnl-3 core (netlink); the kernel then adds 127.0.0.1 and,
 * where IPv6 is present, ::1.
 * Bringing lo up takes the kernel ~15-25 ms under TCG, and rtnetlink runs a request in
 * the sender's context. With more than one CPU, init sends it from a child process and
 * goes on with the boot, collecting the result later. With one CPU that work is CPU
 * time all the same (measured: ~90% of its wall time), so a child would only add a
 * fork; init then does it in place. */
#ifndef UVMINIT_NET_H
#define UVMINIT_NET_H

#include <sys/types.h>

struct lo_job {
	pid_t pid; /* 0: done in place, result holds the outcome */
	int fd;    /* read end of the result pipe */
	int result;
};

/* Does the work in the calling process. Returns 0, or a negative libnl error. */
int net_lo_up(void);
/* Starts net_lo_up in a child when async (or runs it in place when not).
 * Returns 0 or -errno (nothing started). */
int lo_start(struct lo_job *job, int async);
/* The number of CPUs this process may run on (1 when unknown). */
int cpus_usable(void);
/* Waits for the child and reaps it. Returns its result (0 or a negative libnl error,
 * or -errno as a libnl-compatible negative value when the child vanished). */
int lo_finish(struct lo_job *job);
const char *net_strerror(int err);

#endif
