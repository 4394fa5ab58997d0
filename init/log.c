#include "log.h"
#include "write_bounded.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
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
static int kmsg_owned; /* opened here (after log_open): may be reopened */
static int kmsg_wanted; /* log_open was called: open /dev/kmsg at the next line */
static int kmsg_lines;
static int console_fd = 2;
static int console_own_wanted; /* at the first console line, open fd 2 ourselves */
/* a console line came back short (a stuck console): notice lines stay off it */
static int console_stalled;
/* The kernel copies kmsg lines of a level below this to the console itself
 * (console_loglevel, the first field of /proc/sys/kernel/printk); 0: no copy. */
static int echo_below;
/* 0 while /proc is not mounted: echo_below is then the kernel's default, and each
 * warning or error tries again (a child of PID 1 sees its mount too) */
static int echo_known = 1;
/* CONFIG_CONSOLE_LOGLEVEL_DEFAULT, 7 in distribution kernels (hcsshim's too): warnings
 * and errors are echoed. Under `quiet` (4) a warning logged before /proc is mounted is
 * then in kmsg only; counting on no echo instead printed every such line twice. */
#define CONSOLE_LOGLEVEL_DEFAULT 7

/* Counts on the kernel's copy only where it lands: our console fd is /dev/console. */
static void read_console_loglevel(void)
{
	struct stat st;
	char buf[16];
	int fd;
	ssize_t n;

	echo_below = 0;
	echo_known = 1;
	if (console_fd < 0 || fstat(console_fd, &st) || !S_ISCHR(st.st_mode) ||
	    st.st_rdev != makedev(5, 1))
		return;
	fd = open("/proc/sys/kernel/printk", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		echo_below = CONSOLE_LOGLEVEL_DEFAULT;
		echo_known = 0;
		return;
	}
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
	int fd;

	if (console_fd != 2) {
		console_own_wanted = 0;
		return;
	}
	/* a description of our own, so O_NONBLOCK stays off the fd the agent shares; a
	 * file (and its offset) or a socket keeps fd 2; before /proc is mounted fd 2
	 * itself is used, and the next line tries again */
	fd = wb_reopen(2);
	if (fd < 0 && fd != -ENOTSUP && fd != -ENXIO)
		return;
	if (fd >= 0)
		console_fd = fd;
	console_own_wanted = 0;
}

/* Nothing is opened or read here: a boot that logs nothing pays for neither the kmsg
 * open nor the console_loglevel read (together 1.5-4 ms under TCG). The first line
 * opens /dev/kmsg (and the next one tries again if that failed: /dev not mounted yet);
 * the first warning reads the level. */
void log_open(void)
{
	log_console_own();
	kmsg_wanted = 1;
	echo_below = CONSOLE_LOGLEVEL_DEFAULT;
	echo_known = 0;
}

static void kmsg_ensure(void)
{
	int saved = errno;

	if (!kmsg_wanted || kmsg_fd >= 0)
		return;
	kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);
	kmsg_owned = kmsg_fd >= 0;
	kmsg_lines = 1; /* the line about to be written */
	errno = saved;
}

void log_set_fds(int kmsg, int console)
{
	kmsg_fd = kmsg;
	kmsg_owned = 0;
	kmsg_wanted = 0;
	console_fd = console;
	console_own_wanted = 0;
	console_stalled = 0;
	echo_below = 0;
	echo_known = 1;
}

void log_set_echo_below(int level)
{
	echo_below = level;
	echo_known = 1;
}

void log_reopen(void)
{
	if (!kmsg_owned)
		return;
	close(kmsg_fd);
	kmsg_fd = -1;
	kmsg_owned = 0;
	kmsg_wanted = 1;
}

/* counts the line about to be written; past the burst, the next open counts it */
static void kmsg_reopen_after_burst(void)
{
	if (kmsg_owned && ++kmsg_lines > KMSG_BURST)
		log_reopen();
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const tag[] = { [LOG_ERR] = "error: ", [LOG_WARN] = "warning: ",
					   [LOG_NOTICE] = "", [LOG_INFO] = "" };
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
	kmsg_ensure();
	if (kmsg_fd >= 0)
		write_bounded(kmsg_fd, line, len, CONSOLE_WAIT_MS);
	/* the console gets warnings and errors once: from the kernel if it echoes them */
	if (level != LOG_INFO && !echo_known)
		read_console_loglevel();
	if (console_fd >= 0 && !(level == LOG_NOTICE && console_stalled) &&
	    (kmsg_fd < 0 || (level != LOG_INFO && (int)level >= echo_below))) {
		if (console_own_wanted)
			console_take();
		if (write_bounded(console_fd, line + 3, len - 3, CONSOLE_WAIT_MS) < len - 3)
			console_stalled = 1;
	}
	errno = saved;
}
