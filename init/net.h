/* Loopback up through libnl-3 core (netlink); the kernel then adds 127.0.0.1 and,
 * where IPv6 is present, ::1.
 * The kernel takes ~15 ms to bring lo up, almost all of it waiting; rtnetlink runs a
 * request in the sender's context, so init sends it from a child process and goes on
 * with the boot, collecting the result later. */
#ifndef UVMINIT_NET_H
#define UVMINIT_NET_H

#include <sys/types.h>

struct lo_job {
	pid_t pid;
	int fd; /* read end of the result pipe */
};

/* Does the work in the calling process. Returns 0, or a negative libnl error. */
int net_lo_up(void);
/* Starts net_lo_up in a child. Returns 0 or -errno (nothing started). */
int lo_start(struct lo_job *job);
/* Waits for the child and reaps it. Returns its result (0 or a negative libnl error,
 * or -errno as a libnl-compatible negative value when the child vanished). */
int lo_finish(struct lo_job *job);
const char *net_strerror(int err);

#endif
