/* Loopback up: one RTM_NEWLINK, built and its answer parsed with libnl-3's message
 * API, on a bare NETLINK_ROUTE socket; the kernel then adds 127.0.0.1 and, where IPv6
 * is present, ::1. Bringing lo up is ~30 ms of kernel CPU under TCG in the sender's
 * context (the link's notifiers), so a second CPU does it beside PID 1 (init/job.h). */
#ifndef UVMINIT_NET_H
#define UVMINIT_NET_H

#define LOOPBACK_IFINDEX 1 /* the kernel registers lo first in every network namespace */

/* Sets IFF_UP on the link with this index, in the calling process. Returns 0, or
 * -errno: the kernel's answer, or the failed socket call's. Never waits: rtnetlink
 * answers within the send, so an answer not queued by then is -ETIMEDOUT.
 * With sock NULL the netlink socket is closed before the return; otherwise it is left
 * open in *sock (-1 when there was none) for the caller to close when it suits:
 * the close is kernel work too (1-3 ms under TCG), which the boot leaves to the lo
 * job's after step: in the child after its report, or after the agent's exec. */
int net_link_up(int ifindex, int *sock);

static inline int net_lo_up(int *sock)
{
	return net_link_up(LOOPBACK_IFINDEX, sock);
}

#endif
