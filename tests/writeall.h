/* Writing a whole buffer, for the test programs (vxtest and uhclient on this machine,
 * testhost in the guest): one copy, as tests/dropline.h is. */
#ifndef UVMINIT_TESTS_WRITEALL_H
#define UVMINIT_TESTS_WRITEALL_H

#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <unistd.h>

/* Writes all n bytes of p to fd, again after EINTR. On a non-blocking fd that is full,
 * waits for room up to a second each time, then gives up with -ETIMEDOUT. Returns 0,
 * or -errno. */
static inline int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	struct pollfd pf = { .fd = fd, .events = POLLOUT };

	while (n) {
		ssize_t w = write(fd, c, n);

		if (w < 0 && errno == EAGAIN) {
			if (poll(&pf, 1, 1000) <= 0)
				return -ETIMEDOUT;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

#endif
