/* Loopback up through libnl-3 core (netlink); the kernel then adds 127.0.0.1 and,
 * where IPv6 is present, ::1.
 * Bringing lo up takes the kernel ~20 ms under TCG, CPU time in the sender's context.
 * PID 1 does it itself, while the module loader (init/job.h) runs beside it when there
 * is a second CPU: a third process on two CPUs measured slower. */
#ifndef UVMINIT_NET_H
#define UVMINIT_NET_H

/* Does the work in the calling process. Returns 0, or a negative libnl error. */
int net_lo_up(void);
const char *net_strerror(int err);

#endif
