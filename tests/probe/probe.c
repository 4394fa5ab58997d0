/* probe: the test probe and demo agent. Reports what it inherited from init, one
 * fact per line prefixed "PROBE ", then performs one action. See
 * /tmp/probe_contract.md (docs/init.md): the line formats are a contract. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "cmdline.h"
#include "parse.h"
#include "readfile.h"

extern char **environ;

#define MAX_FDS 256

static void kmsg_started(void)
{
	static const char msg[] = "probe: started\n";
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, msg, sizeof(msg) - 1) < 0) {
		/* nothing to do: the kernel timestamp is a nicety */
	}
	close(fd);
}

/* The kernel's timestamps (µs, printk's clock) of the records that bound the boot: the
 * exec of the init under test (the last "Run X as init process": the kernel's, or the
 * test launcher's own when it ran first) and this probe's "probe: started". Read
 * back from /dev/kmsg, so a console kept quiet (hcsshim's `quiet`) still tells. */
static void print_kmsg_times(void)
{
	char rec[1024];
	long long exec_us = -1, started_us = -1;
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return;
	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		unsigned long long ts;
		const char *msg;

		if (n < 0 && errno == EPIPE)
			continue; /* overwritten records: read on */
		if (n <= 0)
			break;
		rec[n] = '\0';
		/* "PRI,SEQ,TS_US,FLAGS[,...];MESSAGE\n" */
		msg = strchr(rec, ';');
		if (!msg || sscanf(rec, "%*u,%*u,%llu", &ts) != 1)
			continue;
		msg++;
		if (!strncmp(msg, "Run ", 4) && strstr(msg, " as init process"))
			exec_us = (long long)ts;
		else if (!strncmp(msg, "probe: started", 14) && started_us < 0)
			started_us = (long long)ts;
	}
	close(fd);
	if (exec_us >= 0 && started_us >= 0)
		printf("PROBE kmsg_exec_us=%lld\nPROBE kmsg_started_us=%lld\n", exec_us,
		       started_us);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static void print_fds(void)
{
	int fds[MAX_FDS], n = 0, self;
	struct dirent *de;
	uint32_t v;
	DIR *d;

	d = opendir("/proc/self/fd");
	if (!d) {
		printf("PROBE fds=error:%d\n", errno);
		return;
	}
	self = dirfd(d);
	while ((de = readdir(d)) && n < MAX_FDS) {
		if (parse_u32(de->d_name, 0, 1u << 30, &v) || (int)v == self)
			continue;
		fds[n++] = (int)v;
	}
	closedir(d);
	qsort(fds, (size_t)n, sizeof(fds[0]), cmp_int);
	fputs("PROBE fds=", stdout);
	for (int i = 0; i < n; i++)
		printf("%s%d", i ? "," : "", fds[i]);
	putchar('\n');
}

/* Prints "PROBE name=value" for the status field "Field:" (value trimmed). */
static void print_status(const char *status, const char *field, const char *name)
{
	size_t flen = strlen(field);
	const char *p = status;

	while (p && *p) {
		if (!strncmp(p, field, flen)) {
			p += flen;
			p += strspn(p, " \t");
			printf("PROBE %s=%.*s\n", name, (int)strcspn(p, "\n"), p);
			return;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	printf("PROBE %s=unknown\n", name);
}

static void print_lines(const char *path, const char *prefix)
{
	char *buf, *line, *save = NULL;
	size_t len;

	if (read_whole_file(path, &buf, &len))
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		printf("PROBE %s%s\n", prefix, line);
	free(buf);
}

/* PID 1's resident memory once the agent runs: an extra fact, for the benchmark. */
static void print_init_rss(void)
{
	const char *v;
	char *status;
	size_t len;

	/* smaps_rollup walks the page tables: status's VmRSS lags (Linux 6.1 syncs a
	 * task's RSS counters every 64 page faults, and a boot with few faults shows 4 KiB) */
	if (getpid() == 1 || read_whole_file("/proc/1/smaps_rollup", &status, &len))
		return;
	v = strstr(status, "\nRss:");
	if (v) {
		v += 5;
		v += strspn(v, " \t");
		printf("PROBE init_rss_kb=%.*s\n", (int)strspn(v, "0123456789"), v);
	}
	free(status);
}

/* The action: /etc/probe.action, else probe.action= in /proc/cmdline, else exit:0.
 * Writes it into out (NUL-terminated, trimmed). */
static void find_action(char *out, size_t size)
{
	char *buf;
	size_t len;

	snprintf(out, size, "exit:0");
	if (!read_whole_file("/etc/probe.action", &buf, &len)) {
		snprintf(out, size, "%.*s", (int)strcspn(buf, " \t\r\n"), buf);
		free(buf);
		return;
	}
	if (read_whole_file("/proc/cmdline", &buf, &len))
		return;
	if (kcmd_get(buf, "probe.action", out, size) <= 0)
		snprintf(out, size, "exit:0");
	free(buf);
}

static void on_term(int sig)
{
	(void)sig;
}

static int act_wait(void)
{
	struct sigaction sa = { .sa_handler = on_term };
	sigset_t set;
	int sig = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaction(SIGTERM, &sa, NULL);
	sigprocmask(SIG_BLOCK, &set, NULL);
	while (sigwait(&set, &sig) || sig != SIGTERM) {
	}
	printf("PROBE got=SIGTERM\n");
	return 0;
}

static int act_orphans(uint32_t n)
{
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	uint32_t made = 0;

	fflush(stdout);
	for (uint32_t i = 0; i < n; i++) {
		pid_t c = fork();

		if (c < 0)
			break;
		if (c == 0) {
			pid_t g = fork();

			if (g == 0) {
				struct timespec gs = { 0, 50 * 1000 * 1000 };

				nanosleep(&gs, NULL);
				_exit(0);
			}
			_exit(0);
		}
		waitpid(c, NULL, 0);
		made++;
	}
	printf("PROBE orphans=%u\n", made);
	fflush(stdout);
	nanosleep(&ts, NULL);
	return 0;
}

#define STDERR_WRITE_MAX 131072

/* n bytes of log lines to stderr, in writes of wsize bytes */
static int act_stderr(uint32_t n, uint32_t wsize)
{
	static const char pat[] = "0123456789abcdefghijklmnopqrstuvwxyz\n";
	static char buf[STDERR_WRITE_MAX];
	uint32_t left = n;

	for (size_t i = 0; i < wsize; i++)
		buf[i] = pat[i % (sizeof(pat) - 1)];
	while (left) {
		size_t chunk = left < wsize ? left : wsize;
		ssize_t w = write(2, buf, chunk);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return 1;
		left -= (uint32_t)w;
	}
	printf("PROBE stderr_written=%u\n", n);
	return 0;
}

static int act(const char *a)
{
	uint32_t n;

	if (!strncmp(a, "exit:", 5) && !parse_u32(a + 5, 0, 255, &n))
		return (int)n;
	if (!strcmp(a, "wait"))
		return act_wait();
	if (!strcmp(a, "crash")) {
		signal(SIGSEGV, SIG_DFL);
		fflush(stdout);
		raise(SIGSEGV);
		return 1;
	}
	if (!strncmp(a, "orphans:", 8) && !parse_u32(a + 8, 0, 100000, &n))
		return act_orphans(n);
	if (!strncmp(a, "stderr:", 7)) {
		/* stderr:N or stderr:N:W (W-byte writes, default 4096) */
		char num[16];
		const char *colon = strchr(a + 7, ':');
		size_t len = colon ? (size_t)(colon - (a + 7)) : strlen(a + 7);
		uint32_t w = 4096;

		if (len < sizeof(num)) {
			memcpy(num, a + 7, len);
			num[len] = '\0';
			if (!parse_u32(num, 0, UINT32_MAX - 1, &n) &&
			    (!colon || !parse_u32(colon + 1, 1, STDERR_WRITE_MAX, &w)))
				return act_stderr(n, w);
		}
	}
	if (!strcmp(a, "poweroff")) {
		fflush(stdout);
		if (getpid() == 1) {
			sync();
			reboot(RB_POWER_OFF);
		}
		return 0;
	}
	printf("PROBE bad_action=%s\n", a);
	return 2;
}

/* What init made in /dev before the agent ran, on one line: each link's target, and
 * the file system on /dev/pts and /dev/shm when it is a mount of its own ("-" for a
 * missing link, "none" for no mount). */
static void print_dev(void)
{
	static const char *const links[] = { "fd", "stdin", "stdout", "stderr" };
	struct stat dev, st;
	struct statfs fs;
	char path[32], target[64];

	printf("PROBE dev=");
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		ssize_t n;

		snprintf(path, sizeof(path), "/dev/%s", links[i]);
		n = readlink(path, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		printf("%s:%s ", links[i], n > 0 ? target : "-");
	}
	if (stat("/dev", &dev) < 0)
		dev.st_dev = 0;
	printf("pts:%s ", stat("/dev/pts", &st) == 0 && st.st_dev != dev.st_dev &&
				  statfs("/dev/pts", &fs) == 0 && fs.f_type == DEVPTS_SUPER_MAGIC ?
			  "devpts" : "none");
	printf("shm:%s\n", stat("/dev/shm", &st) == 0 && st.st_dev != dev.st_dev &&
				   statfs("/dev/shm", &fs) == 0 && fs.f_type == TMPFS_MAGIC ?
			   "tmpfs" : "none");
}

int main(int argc, char **argv)
{
	char action[64], rnd;
	char *status;
	size_t len;
	int rc;

	long long mono_start = (long long)clock_us();

	kmsg_started();
	printf("PROBE pid=%d\nPROBE ppid=%d\n", (int)getpid(), (int)getppid());
	printf("PROBE sid=%d\nPROBE pgid=%d\n", (int)getsid(0), (int)getpgid(0));
	printf("PROBE argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("PROBE argv[%d]=%s\n", i, argv[i]);
	print_fds();
	print_dev();
	if (!read_whole_file("/proc/self/status", &status, &len)) {
		print_status(status, "SigBlk:", "sigblk");
		print_status(status, "SigIgn:", "sigign");
		free(status);
	}
	for (char **e = environ; *e; e++)
		printf("PROBE env=%s\n", *e);
	printf("PROBE getrandom=%s\n",
	       getrandom(&rnd, 1, GRND_NONBLOCK) == 1 ? "ready" : "notready");
	print_lines("/proc/cmdline", "cmdline=");
	print_lines("/run/uvminit/boot", "boot.");
	print_init_rss();
	printf("PROBE mono_start_us=%lld\n", mono_start);
	print_kmsg_times();
	printf("PROBE done\n");
	fflush(stdout);
	find_action(action, sizeof(action));
	rc = act(action);
	fflush(stdout);
	return rc;
}
