#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LOG_LINE_MAX 512
/* The kernel drops user lines beyond a burst of 10 per 5 s per open /dev/kmsg
 * (printk.devkmsg=ratelimit, the default); init opens it afresh after each burst. */
#define KMSG_BURST 10

static int kmsg_fd = -1;
static int kmsg_owned; /* opened by log_open: may be reopened */
static int kmsg_lines;
static int console_fd = 2;

void log_open(void)
{
	int saved = errno;

	if (kmsg_fd < 0) {
		kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);
		kmsg_owned = kmsg_fd >= 0;
		kmsg_lines = 0;
	}
	errno = saved;
}

void log_set_fds(int kmsg, int console)
{
	kmsg_fd = kmsg;
	kmsg_owned = 0;
	console_fd = console;
}

static void kmsg_reopen_after_burst(void)
{
	if (!kmsg_owned || ++kmsg_lines <= KMSG_BURST)
		return;
	close(kmsg_fd);
	kmsg_fd = -1;
	log_open();
	kmsg_lines = 1;
}

static void write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const tag[] = { [LOG_ERR] = "error: ", [LOG_WARN] = "warning: ",
					   [LOG_INFO] = "" };
	char line[LOG_LINE_MAX];
	int saved = errno, head, n;
	size_t len;
	va_list ap;

	/* "<L>uvminit: " then the message; the console gets it without "<L>" */
	head = snprintf(line, sizeof(line), "<%d>uvminit: %s", (int)level, tag[level]);
	va_start(ap, fmt);
	errno = saved; /* %m */
	n = vsnprintf(line + head, sizeof(line) - (size_t)head - 1, fmt, ap);
	va_end(ap);
	len = (size_t)head + (n < 0 ? 0 : (size_t)n);
	if (len > sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	kmsg_reopen_after_burst();
	if (kmsg_fd >= 0)
		write_all(kmsg_fd, line, len);
	if (console_fd >= 0 && (level != LOG_INFO || kmsg_fd < 0))
		write_all(console_fd, line + 3, len - 3);
	errno = saved;
}
