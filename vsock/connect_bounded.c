/* The bounded non-blocking connect both transports share (see connect_bounded.h). */
#include "connect_bounded.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "transport.h"

int transport_connect_result(int fd)
{
	socklen_t len = sizeof(int);
	int err = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return -errno;
	return err ? -err : 0;
}

int transport_connect_wait(int fd, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	int n;

	for (;;) {
		n = poll(&pfd, 1, clock_left_ms(deadline));
		if (n > 0)
			return transport_connect_result(fd);
		if (n == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

int cb_start(int domain, const struct sockaddr *sa, socklen_t salen, int *pending)
{
	int fd, rc;

	*pending = 0;
	fd = socket(domain, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, sa, salen) == 0)
		return fd;
	rc = -errno;
	/* EINTR: the connect goes on asynchronously, as for EINPROGRESS */
	if (rc == -EINPROGRESS || rc == -EINTR) {
		*pending = 1;
		return fd;
	}
	close(fd);
	return rc;
}

int connect_bounded(int domain, const struct sockaddr *sa, socklen_t salen, int timeout_ms,
		    int retry_eagain)
{
	int64_t deadline = timeout_ms < 0 ? -1 : clock_ms() + timeout_ms;
	int fd, rc, flags, pending, left;

	for (;;) {
		fd = cb_start(domain, sa, salen, &pending);
		if (fd != -EAGAIN || !retry_eagain)
			break;
		left = clock_left_ms(deadline);
		if (left == 0)
			return -ETIMEDOUT;
		nanosleep(&(struct timespec){ 0, (left > 0 && left < 10 ? left : 10) * 1000000L },
			  NULL);
	}
	if (fd < 0)
		return fd;
	rc = pending ? transport_connect_wait(fd, deadline) : 0;
	if (rc)
		goto close_fd;
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		rc = -errno;
		goto close_fd;
	}
	return fd;
close_fd:
	close(fd);
	return rc;
}
