/* Bounded writes to a terminal or pipe that may be full (see write_bounded.h). */
#include "write_bounded.h"
#include "clock.h"
#include "fmt.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int wb_reopen(int fd)
{
	char path[32];
	struct stat st;
	int nfd;

	if (fstat(fd, &st))
		return -errno;
	if (S_ISSOCK(st.st_mode))
		return -ENXIO;
	if (!S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode))
		return -ENOTSUP;
	fmt_snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	nfd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	return nfd < 0 ? -errno : nfd;
}

size_t write_bounded(int fd, const void *s, size_t n, int wait_ms)
{
	const char *p = s;
	int64_t deadline = -1;
	size_t done = 0;

	while (done < n) {
		ssize_t w = write(fd, p + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN && wait_ms > 0) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };
			int left;

			if (deadline < 0)
				deadline = clock_ms() + wait_ms;
			left = clock_left_ms(deadline);
			if (left > 0 && poll(&pfd, 1, left) > 0)
				continue;
		}
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	return done;
}
