/* Measured under TCG (docs/boot.md): libnl-3's socket layer (nl_socket_alloc,
 * nl_connect's two setsockopts, bind and getsockname, nl_wait_for_ack's peeking
 * receive and callback chain) cost as much again as the kernel's own link change, and
 * nlmsg_alloc's first malloc and free (the process's first: heap set-up, page faults)
 * about a third of it. So the request is laid out by libnl-3's message helpers in a
 * buffer on the stack, its answer walked by them; the socket is a bare one: one socket,
 * one sendto, one recv. Every call is a raw one (init/rawsys.h): errno untouched, so
 * it may run in a child that shares PID 1's memory. */
#include "net.h"

#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <sys/socket.h>

#include "rawsys.h"

#define REQUEST_SEQ 1
/* the answer: an nlmsgerr followed by a copy of the whole request (NETLINK_CAP_ACK
 * is not set), 52 bytes for this one */
#define ANSWER_MAX 512

/* 0 for an ack of our request, else the kernel's -errno. */
static int parse_answer(struct nlmsghdr *h, int len)
{
	for (; nlmsg_ok(h, len); h = nlmsg_next(h, &len)) {
		const struct nlmsgerr *e;

		if (h->nlmsg_seq != REQUEST_SEQ || h->nlmsg_type != NLMSG_ERROR)
			continue;
		if (h->nlmsg_len < (__u32)nlmsg_size(sizeof(*e)))
			return -EBADMSG;
		e = nlmsg_data(h);
		return e->error > 0 ? -EPROTO : e->error;
	}
	return -EBADMSG;
}

static int send_and_ack(int fd, const struct nlmsghdr *req)
{
	static const struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	union {
		struct nlmsghdr h;
		char buf[ANSWER_MAX];
	} ans;
	ssize_t n;

	n = raw_syscall(SYS_sendto, fd, (long)req, req->nlmsg_len, 0, (long)&kernel,
			sizeof(kernel));
	if (n < 0)
		return (int)n;
	do
		n = raw_syscall(SYS_recvfrom, fd, (long)&ans, sizeof(ans), MSG_DONTWAIT, 0, 0);
	while (n == -EINTR);
	if (n < 0)
		return n == -EAGAIN ? -ETIMEDOUT : (int)n;
	return parse_answer(&ans.h, (int)n);
}

int net_link_up(int ifindex, int *sock)
{
	const struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex,
				       .ifi_flags = IFF_UP, .ifi_change = IFF_UP };
	union {
		struct nlmsghdr h;
		char buf[NLMSG_SPACE(sizeof(ifi))];
	} req = { .h = { .nlmsg_len = (__u32)nlmsg_size(sizeof(ifi)), .nlmsg_type = RTM_NEWLINK,
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK, .nlmsg_seq = REQUEST_SEQ } };
	int fd, rc;

	if (sock)
		*sock = -1;
	memcpy(nlmsg_data(&req.h), &ifi, sizeof(ifi));
	fd = (int)raw_syscall(SYS_socket, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE, 0,
			      0, 0);
	rc = fd < 0 ? fd : send_and_ack(fd, &req.h);
	if (fd < 0)
		fd = -1;
	if (sock)
		*sock = fd;
	else if (fd >= 0)
		raw_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
	return rc;
}
