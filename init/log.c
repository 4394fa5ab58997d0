#include "log.h"
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define LOG_LINE_MAX 512
/* The kernel drops user lines beyond a burst of 10 per 5 s per open /dev/kmsg
 * (printk.devkmsg=ratelimit, the default); init opens it afresh after each burst. */
#define KMSG_BURST 10
/* The longest one console line may wait for room (a tty stopped with ^S, a congested
 * serial line); the rest of the line is then dropped: kmsg has it. */
#define CONSOLE_WAIT_MS 250

static int kmsg_fd = -1;
static int kmsg_owned; /* opened by log_open: may be reopened */
static int kmsg_lines;
static int console_fd = 2;
static int console_own_wanted; /* at the first console line, open fd 2 ourselves */
/* The kernel copies kmsg lines of a level below this to the console itself
 * (console_loglevel, the first field of /proc/sys/kernel/printk); 0: no copy known. */
static int echo_below;

/* Counts on the kernel's copy only where it lands: our console fd is /dev/console. */
static void read_console_loglevel(void)
{
	struct stat st;
	char buf[16];
	int fd;
	ssize_t n;

	echo_below = 0;
	if (console_fd < 0 || fstat(console_fd, &st) || !S_ISCHR(st.st_mode) ||
	    st.st_rdev != makedev(5, 1))
		return;
	fd = open("/proc/sys/kernel/printk", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n > 0 && buf[0] >= '0' && buf[0] <= '9' && (n == 1 || buf[1] < '0' || buf[1] > '9'))
		echo_below = buf[0] - '0';
}

void log_console_own(void)
{
	console_own_wanted = 1;
}

/* Opening a terminal cost the boot 1.6 ms under TCG (bench-boot, mounts phase): done
 * only when a console line is due, which a normal boot never has */
static void console_take(void)
{
	struct stat st;
	int fd;

	/* only a terminal or a pipe can block a write; a file keeps fd 2 (and its offset) */
	if (console_fd != 2 || fstat(2, &st) || !(S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
		console_own_wanted = 0;
		return;
	}
	/* a description of our own, so O_NONBLOCK stays off the fd the agent shares;
	 * before /proc is mounted (or for a socket) fd 2 itself is used, and the next
	 * line tries again */
	fd = open("/proc/self/fd/2", O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return;
	console_fd = fd;
	console_own_wanted = 0;
}

void log_open(void)
{
	int saved = errno;

	log_console_own();
	read_console_loglevel();
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
	console_own_wanted = 0;
	echo_below = 0;
}

void log_set_echo_below(int level)
{
	echo_below = level;
}

void log_reopen(void)
{
	if (!kmsg_owned)
		return;
	close(kmsg_fd);
	kmsg_fd = -1;
	log_open();
}

static void kmsg_reopen_after_burst(void)
{
	if (!kmsg_owned || ++kmsg_lines <= KMSG_BURST)
		return;
	log_reopen();
	kmsg_lines = 1;
}

/* Writes s to fd; where fd is non-blocking, waits at most CONSOLE_WAIT_MS in all for
 * room. A line that still does not fit is cut there. */
static void write_all(int fd, const char *s, size_t n)
{
	int64_t deadline = -1;

	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };
			int left;

			if (deadline < 0)
				deadline = clock_ms() + CONSOLE_WAIT_MS;
			left = clock_left_ms(deadline);
			if (left > 0 && poll(&p, 1, left) > 0)
				continue;
		}
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
	/* the console gets warnings and errors once: from the kernel if it echoes them */
	if (console_fd >= 0 &&
	    (kmsg_fd < 0 || (level != LOG_INFO && (int)level >= echo_below))) {
		if (console_own_wanted)
			console_take();
		write_all(console_fd, line + 3, len - 3);
	}
	errno = saved;
}
