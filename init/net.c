#include "net.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <sched.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LOOPBACK_IFINDEX 1 /* the kernel registers lo first in every network namespace */

static int send_and_ack(struct nl_sock *sk, struct nl_msg *msg)
{
	int rc = nl_send_auto(sk, msg);

	nlmsg_free(msg);
	return rc < 0 ? rc : nl_wait_for_ack(sk);
}

static int link_up(struct nl_sock *sk)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = LOOPBACK_IFINDEX,
				 .ifi_flags = IFF_UP, .ifi_change = IFF_UP };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK);

	if (!msg)
		return -NLE_NOMEM;
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(msg);
		return -NLE_NOMEM;
	}
	return send_and_ack(sk, msg);
}

int net_lo_up(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int rc;

	if (!sk)
		return -NLE_NOMEM;
	rc = nl_connect(sk, NETLINK_ROUTE);
	if (rc < 0)
		goto out;
	/* Up is all it takes: the kernel gives lo 127.0.0.1/8 and, where IPv6 is
	 * present, ::1 itself. Adding them again costs ~10 ms each under TCG. */
	rc = link_up(sk);
out:
	nl_socket_free(sk);
	return rc;
}

int cpus_usable(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return 1;
	return CPU_COUNT(&set);
}

int lo_start(struct lo_job *job, int async)
{
	int p[2];

	job->pid = 0;
	if (!async) {
		job->result = net_lo_up();
		return 0;
	}
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	job->pid = fork();
	if (job->pid < 0) {
		int err = -errno;

		close(p[0]);
		close(p[1]);
		return err;
	}
	if (job->pid == 0) {
		int rc = net_lo_up();

		_exit(write(p[1], &rc, sizeof(rc)) == sizeof(rc) ? 0 : 1);
	}
	close(p[1]);
	job->fd = p[0];
	return 0;
}

int lo_finish(struct lo_job *job)
{
	int rc = -NLE_FAILURE;
	ssize_t r;

	if (!job->pid)
		return job->result;
	do
		r = read(job->fd, &rc, sizeof(rc));
	while (r < 0 && errno == EINTR);
	if (r != sizeof(rc))
		rc = -NLE_FAILURE;
	close(job->fd);
	while (waitpid(job->pid, NULL, 0) < 0 && errno == EINTR) {
	}
	return rc;
}

const char *net_strerror(int err)
{
	return nl_geterror(err);
}
