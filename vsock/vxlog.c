#include "vxlog.h"
#include "fmt.h"
#include "write_bounded.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

static int own_fd = -1;  /* our non-blocking open of what fd 2 was */
static int out_fd = 2;   /* written when own_fd is -1 */
static bool plain;       /* out_fd is a file: a write never waits */

void vx_log_open(void)
{
	int fd;

	if (own_fd >= 0 || plain)
		return;
	fd = wb_reopen(out_fd);
	if (fd >= 0)
		own_fd = fd;
	plain = fd == -ENOTSUP;
}

void vx_log_keep(void)
{
	vx_log_open();
	if (own_fd < 0)
		out_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
}

void vx_log_release(void)
{
	if (own_fd >= 0)
		close(own_fd);
	if (out_fd > STDERR_FILENO)
		close(out_fd);
	own_fd = -1;
	out_fd = STDERR_FILENO;
	plain = false;
}

void vx_log_put(const char *line, size_t n)
{
	vx_log_open();
	if (own_fd >= 0) {
		/* one write, shorter than PIPE_BUF: a pipe takes it whole or not at all */
		write_bounded(own_fd, line, n, 0);
	} else {
		struct pollfd p = { .fd = out_fd, .events = POLLOUT };

		if (plain || (out_fd >= 0 && poll(&p, 1, 0) == 1 && !(p.revents & POLLERR)))
			write_bounded(out_fd, line, n, 0);
	}
}

void vx_warn(const char *fmt, ...)
{
	char line[320];
	int saved = errno, n;
	va_list ap;

	n = fmt_snprintf(line, sizeof(line), "vsockexec: ");
	va_start(ap, fmt);
	n += fmt_vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	vx_log_put(line, (size_t)n);
	errno = saved;
}
