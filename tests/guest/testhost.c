/*
 * testhost: plays the hcsshim host inside the qemu test guest, over vsock loopback.
 *
 * RUNS ONLY INSIDE THE QEMU GUEST. It opens AF_VSOCK sockets, and the vsock of the
 * development machine belongs to its infrastructure (FACTS.md), so it refuses to start
 * unless every guard holds: its parent is PID 1, the kernel command line carries
 * rdinit=/bin/testinit, and no vsock transport other than loopback is loaded.
 *
 * Started by testinit (tests/guest/testinit.c) before /init, it serves entropy on port 1
 * and collects logs on port 109, each able to fail the way a real host can. Kernel
 * parameters (before "--"):
 *   testhost.entropy=ok|short|none|silent|noclose|noaccept   (default ok)
 *       ok: write testhost.entropy_bytes (default 512) and close; short: 100 bytes and
 *       close; none: no listener; silent: accept, never write, never close; noclose:
 *       write, never close; noaccept: listen, never accept
 *   testhost.log=ok|none|noread|noaccept|drop                 (default ok)
 *       ok: print what arrives; noread: accept, never read; drop: close the first
 *       connection and the listener, listen again 300 ms later
 *   testhost.entropy_port=N, testhost.log_port=N               (defaults 1 and 109)
 *   testhost.watch=1      report "HOST agent waiting" once the agent (comm "gcs") catches
 *                        SIGTERM and sleeps (the probe's `wait` action)
 *   testhost.kill1=TERM|INT   then send that signal to PID 1
 *   testhost.rss=1        then report PID 1's VmRSS
 *   testhost.late=1       /init loads the vsock modules (testinit does not): wait until
 *                        vsock is live, then listen (for the benchmark's module case)
 * Its listeners are opened as uvmhost opens its own (hv_listen, host/hostvsock.c).
 * Every event is reported on the console at once, one line each, prefixed "HOST ":
 * PID 1 ends every process at power-off, so nothing is kept for later.
 * fd 3, when open, receives one byte once the listeners are up.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "clock.h"
#include "cmdline.h"
#include "host/hostvsock.h"
#include "parse.h"
#include "say.h"
#include "tests/dropline.h"
#include "tests/writeall.h"

#define MAX_CONNS 32
#define LATE_WAIT_MS 10000
#define MAX_PRINTED_LINES 128
#define LINE_MAX_LEN 256

enum role { ENTROPY, LOG };

struct listener {
	enum role role;
	const char *mode;
	uint32_t port;
	int fd;			/* -1: not listening */
	unsigned long n;	/* connections accepted */
	long long relisten_at;	/* drop mode: monotonic ms, 0 = none pending */
};

struct conn {
	int fd;
	struct listener *l;
	unsigned long id;
	unsigned long long bytes;
	int64_t first_us;	/* the first byte arrived (CLOCK_MONOTONIC); 0: none yet */
	unsigned long long dropped, gap_bytes; /* vsockexec's drop lines: counts, own size */
	unsigned int lines;
	size_t linelen;
	char line[LINE_MAX_LEN];
};

struct cfg {
	char entropy[16], log[16];
	uint32_t entropy_port, log_port, entropy_bytes;
	bool watch, rss, late;
	int kill1;
};

static struct conn conns[MAX_CONNS];
static volatile sig_atomic_t got_term;

static int read_small(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	buf[n] = '\0';
	return 0;
}

static void set_word(char *dst, size_t size, const char *v)
{
	snprintf(dst, size, "%.*s", (int)strcspn(v, " \t\n"), v);
}

static void set_port(uint32_t *dst, const char *name, const char *v)
{
	char word[16];

	set_word(word, sizeof(word), v);
	if (parse_u32(word, 1, PORT_MAX, dst))
		say("HOST", "bad %s=%s, ignored", name, word);
}

/* Parameters before the first standalone "--"; the last occurrence wins. */
static void parse_cmdline(char *cmd, struct cfg *c)
{
	struct kparam kp;
	bool unterminated = false;
	char word[16];

	while (kcmd_next(&cmd, &kp, &unterminated)) {
		const char *name = kp.name + 9, *v = kp.value ? kp.value : "";

		if (!kp.value && !strcmp(kp.name, "--"))
			break;
		if (strncmp(kp.name, "testhost.", 9))
			continue;
		if (!strcmp(name, "entropy"))
			set_word(c->entropy, sizeof(c->entropy), v);
		else if (!strcmp(name, "log"))
			set_word(c->log, sizeof(c->log), v);
		else if (!strcmp(name, "entropy_port"))
			set_port(&c->entropy_port, "entropy_port", v);
		else if (!strcmp(name, "log_port"))
			set_port(&c->log_port, "log_port", v);
		else if (!strcmp(name, "entropy_bytes")) {
			set_word(word, sizeof(word), v);
			if (parse_u32(word, 0, 1u << 20, &c->entropy_bytes))
				say("HOST", "bad entropy_bytes=%s, ignored", word);
		} else if (!strcmp(name, "watch"))
			c->watch = !strcmp(v, "1");
		else if (!strcmp(name, "late"))
			c->late = !strcmp(v, "1");
		else if (!strcmp(name, "rss"))
			c->rss = c->watch = !strcmp(v, "1");
		else if (!strcmp(name, "kill1") && !strcmp(v, "TERM"))
			c->kill1 = SIGTERM, c->watch = true;
		else if (!strcmp(name, "kill1") && !strcmp(v, "INT"))
			c->kill1 = SIGINT, c->watch = true;
		else
			say("HOST", "unknown parameter %s", kp.name);
	}
}

/* The guards of the header comment, on how the guest was booted. Returns 0 when they
 * hold. */
static int guarded_boot(char *cmdline, size_t size)
{
	char word[32];

	if (getppid() != 1)
		return say("HOST", "refusing: parent is not PID 1"), -EPERM;
	if (read_small("/proc/cmdline", cmdline, size))
		return say("HOST", "refusing: cannot read /proc/cmdline"), -EPERM;
	if (kcmd_get(cmdline, "rdinit", word, sizeof(word)) <= 0 || strcmp(word, "/bin/testinit"))
		return say("HOST", "refusing: not booted with rdinit=/bin/testinit"), -EPERM;
	return 0;
}

/* ... and on the vsock transports loaded. Returns 0 when it is safe to open AF_VSOCK. */
static int guarded_vsock(void)
{
	static const char *const foreign[] = {
		"/sys/module/vmw_vsock_virtio_transport", "/sys/module/vhost_vsock",
		"/sys/module/vmw_vsock_vmci_transport", "/sys/module/hv_sock",
	};
	struct stat st;

	if (stat("/sys/module/vsock", &st))
		return say("HOST", "refusing: /sys/module/vsock missing"), -EPERM;
	for (size_t i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++)
		if (!stat(foreign[i], &st))
			return say("HOST", "refusing: %s is loaded", foreign[i]), -EPERM;
	return 0;
}

/* testhost.late=1: /init loads the vsock modules itself. The host keeps a mount
 * namespace of its own (testinit unmounts /proc and /sys before it execs /init) and
 * waits until vsock's core is live: init loads the transport after it, so the
 * listeners are up before init can connect. It sleeps on the kernel's uevents (opened
 * before testinit is told to go on, so none is missed; the kernel sends a module's
 * "add" once its init has run) and looks at initstate at each one, and every
 * LATE_LOOK_MS besides, should an event be lost: a wait that polled every 1 ms took
 * CPU from the module loader it was waiting for. Returns 0, or -ETIMEDOUT. */
#define LATE_LOOK_MS 50

static int uevents_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			NETLINK_KOBJECT_UEVENT);

	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		fd = -1;
	}
	return fd; /* -1: no events, the looks alone */
}

static bool vsock_live(void)
{
	char state[16];

	return !read_small("/sys/module/vsock/initstate", state, sizeof(state)) &&
	       !strncmp(state, "live", 4);
}

static int wait_for_vsock(int uevents)
{
	long long deadline = clock_ms() + LATE_WAIT_MS;
	char buf[4096];

	while (!vsock_live()) {
		long long left = deadline - clock_ms();
		struct pollfd p = { .fd = uevents, .events = POLLIN };

		if (left <= 0) {
			say("HOST", "late: vsock not loaded within %d ms", LATE_WAIT_MS);
			return -ETIMEDOUT;
		}
		poll(&p, 1, (int)(left < LATE_LOOK_MS ? left : LATE_LOOK_MS));
		while (uevents >= 0 && recv(uevents, buf, sizeof(buf), MSG_DONTWAIT) > 0) {
		}
	}
	return 0;
}

static void start_listener(struct listener *l)
{
	int fd = hv_listen(l->port);

	if (fd < 0) {
		say("HOST", "listen port=%u failed: %s", l->port, strerror(-fd));
		return;
	}
	l->fd = fd;
	say("HOST", "listen port=%u mode=%s", l->port, l->mode);
}

static struct conn *new_conn(void)
{
	for (int i = 0; i < MAX_CONNS; i++)
		if (conns[i].fd < 0)
			return &conns[i];
	return NULL;
}

/* A relay's drop line ends a line (it may follow a piece of the program's): count it. */
static void note_gap(struct conn *c)
{
	const char *p = strstr(c->line, DROPLINE_TAG), *end;
	unsigned long long n;

	if (!p || !(end = dropline_parse(p, &n)) || *end)
		return;
	c->dropped += n;
	c->gap_bytes += strlen(p) + 1;
}

static void close_conn(struct conn *c, const char *why)
{
	if (c->line[0] || c->linelen) {
		c->line[c->linelen] = '\0';
		if (c->lines++ < MAX_PRINTED_LINES)
			say("HOST", "log: %s", c->line);
	}
	say("HOST", "%s port=%u conn=%lu bytes=%llu", why, c->l->port, c->id, c->bytes);
	if (c->first_us)
		say("HOST", "rate port=%u conn=%lu bytes=%llu us=%lld", c->l->port, c->id, c->bytes,
		    (long long)(clock_us() - c->first_us));
	/* the program's bytes that arrived, and those the relay said it dropped */
	say("HOST", "data port=%u conn=%lu bytes=%llu dropped=%llu", c->l->port, c->id,
	    c->bytes - c->gap_bytes, c->dropped);
	close(c->fd);
	c->fd = -1;
	c->linelen = 0;
}

/* Fills buf with a deterministic pattern: any bytes do as boot entropy for a test. */
static void fill(unsigned char *buf, size_t len)
{
	uint32_t x = 2463534242u;

	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (unsigned char)x;
	}
}

static void serve_entropy(struct listener *l, int fd, const struct cfg *cfg)
{
	static unsigned char buf[1u << 20];
	struct conn *c;
	size_t len = cfg->entropy_bytes;
	int rc;

	/* served first, reported after: a console line costs the guest ~1 ms, which a
	 * real host's logging does not (the benchmark times init's wait for this) */
	if (!strcmp(l->mode, "short"))
		len = 100;
	if (!strcmp(l->mode, "ok") || !strcmp(l->mode, "short")) {
		fill(buf, len);
		rc = write_all(fd, buf, len);
		close(fd);
		say("HOST", "conn port=%u n=%lu", l->port, l->n);
		say("HOST", "entropy port=%u conn=%lu sent=%zu%s%s", l->port, l->n, rc ? 0 : len,
		    rc ? " error=" : "", rc ? strerror(-rc) : "");
		say("HOST", "closed port=%u conn=%lu", l->port, l->n);
		return;
	}
	say("HOST", "conn port=%u n=%lu", l->port, l->n);
	if (strcmp(l->mode, "silent")) {
		fill(buf, len);
		rc = write_all(fd, buf, len);
		say("HOST", "entropy port=%u conn=%lu sent=%zu%s%s", l->port, l->n, rc ? 0 : len,
		    rc ? " error=" : "", rc ? strerror(-rc) : "");
	}
	c = new_conn();	/* silent, noclose: hold it open, never read */
	if (!c) {
		close(fd);
		return;
	}
	*c = (struct conn){ .fd = fd, .l = l, .id = l->n };
	say("HOST", "holding port=%u conn=%lu open", l->port, l->n);
}

static void on_accept(struct listener *l, const struct cfg *cfg)
{
	struct conn *c;
	int fd;

	int64_t at;

	fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return;
	at = clock_us();
	l->n++;
	if (l->role == ENTROPY) {
		serve_entropy(l, fd, cfg);
		return;
	}
	/* when (CLOCK_MONOTONIC) the log connection came: the end of vsockexec's connect,
	 * for boot-report's picture */
	say("HOST", "conn port=%u n=%lu mono_us=%lld", l->port, l->n, (long long)at);
	c = new_conn();
	if (!c) {
		say("HOST", "too many connections, closing port=%u conn=%lu", l->port, l->n);
		close(fd);
		return;
	}
	*c = (struct conn){ .fd = fd, .l = l, .id = l->n };
	if (!strcmp(l->mode, "drop") && l->n == 1) {
		close_conn(c, "drop");
		close(l->fd);
		l->fd = -1;
		l->relisten_at = clock_ms() + 300;
		say("HOST", "unlisten port=%u", l->port);
	}
}

static void on_data(struct conn *c)
{
	char buf[4096];
	ssize_t n;

	for (;;) {
		n = read(c->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			close_conn(c, n < 0 ? "error" : "eof");
			return;
		}
		if (!c->first_us)
			c->first_us = clock_us();
		c->bytes += (unsigned long long)n;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n' && c->linelen < sizeof(c->line) - 1) {
				c->line[c->linelen++] = buf[i];
				continue;
			}
			if (buf[i] != '\n')
				continue;	/* over-long line: the rest is only counted */
			c->line[c->linelen] = '\0';
			note_gap(c);
			if (c->lines++ < MAX_PRINTED_LINES)
				say("HOST", "log: %s", c->line);
			c->linelen = 0;
		}
	}
}

/* A /proc signal mask: 16 hex digits. 0 when it is not one. */
static unsigned long long hex_mask(const char *s)
{
	unsigned long long v = 0;
	int i;

	for (i = 0; i < 16; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			v = v << 4 | (unsigned long long)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (unsigned long long)(c - 'a' + 10);
		else
			return 0;
	}
	return s[i] == '\n' ? v : 0;
}

/*
 * The agent is waiting once a process named gcs catches SIGTERM and sleeps: the probe's
 * `wait` action installs its handler, then sleeps in sigwait (which, while it waits,
 * takes SIGTERM out of the blocked set, so SigBlk cannot tell).
 */
static pid_t agent_waiting(void)
{
	char path[64], status[2048], *p;
	struct dirent *de;
	pid_t found = 0;
	uint32_t pid;
	DIR *d;

	d = opendir("/proc");
	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		if (parse_u32(de->d_name, 2, 1u << 22, &pid))
			continue;
		snprintf(path, sizeof(path), "/proc/%u/status", pid);
		if (read_small(path, status, sizeof(status)) || strncmp(status, "Name:\tgcs\n", 10))
			continue;
		if (!strstr(status, "\nState:\tS"))
			continue;
		p = strstr(status, "\nSigCgt:\t");
		if (p && hex_mask(p + 9) & (1ull << (SIGTERM - 1)))
			found = (pid_t)pid;
	}
	closedir(d);
	return found;
}

static void report_rss(void)
{
	char status[2048], *p;

	/* smaps_rollup walks the page tables: status's VmRSS lags (Linux 6.1 syncs a
	 * task's RSS counters every 64 page faults, and a boot with few faults shows 4 KiB) */
	if (read_small("/proc/1/smaps_rollup", status, sizeof(status))) {
		say("HOST", "pid1_rss_kib=unknown");
		return;
	}
	p = strstr(status, "\nRss:");
	if (!p) {
		say("HOST", "pid1_rss_kib=unknown");
		return;
	}
	p += 5;
	p += strspn(p, " \t");
	say("HOST", "pid1_rss_kib=%.*s", (int)strspn(p, "0123456789"), p);
}

static void on_term(int sig)
{
	(void)sig;
	got_term = 1;
}

static bool one_of(const char *word, const char *list)
{
	size_t len = strlen(word);

	for (const char *p = list; *p; p += strcspn(p, " "), p += strspn(p, " "))
		if (strcspn(p, " ") == len && !strncmp(p, word, len))
			return len > 0;
	return false;
}

static void summary(const struct listener *ls, int n)
{
	char buf[128];
	int off = 0;

	for (int i = 0; i < n; i++)
		off += snprintf(buf + off, sizeof(buf) - (size_t)off, " port=%u n=%lu",
				ls[i].port, ls[i].n);
	say("HOST", "summary%s", buf);
}

static void loop(struct listener *ls, int nl, const struct cfg *cfg)
{
	struct pollfd pfd[2 + MAX_CONNS];
	void *who[2 + MAX_CONNS];
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	bool watching = cfg->watch;
	long long drain_until = 0;
	sigset_t none;

	sigemptyset(&none);
	for (;;) {
		int n = 0;

		if (got_term && !drain_until) {
			say("HOST", "got SIGTERM, draining");
			drain_until = clock_ms() + 150;
		}
		if (drain_until && clock_ms() >= drain_until)
			break;
		for (int i = 0; i < nl; i++) {
			if (ls[i].fd < 0 && ls[i].relisten_at && clock_ms() >= ls[i].relisten_at) {
				ls[i].relisten_at = 0;
				start_listener(&ls[i]);
			}
			if (ls[i].fd >= 0 && strcmp(ls[i].mode, "noaccept")) {
				pfd[n] = (struct pollfd){ .fd = ls[i].fd, .events = POLLIN };
				who[n++] = &ls[i];
			}
		}
		for (int i = 0; i < MAX_CONNS; i++) {
			if (conns[i].fd < 0 || conns[i].l->role == ENTROPY ||
			    !strcmp(conns[i].l->mode, "noread"))
				continue;
			pfd[n] = (struct pollfd){ .fd = conns[i].fd, .events = POLLIN };
			who[n++] = &conns[i];
		}
		if (ppoll(pfd, (nfds_t)n, &tick, &none) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < n; i++) {
			if (!pfd[i].revents)
				continue;
			if ((struct listener *)who[i] >= ls && (struct listener *)who[i] < ls + nl)
				on_accept(who[i], cfg);
			else
				on_data(who[i]);
		}
		if (watching && !drain_until) {
			pid_t pid = agent_waiting();

			if (pid) {
				watching = false;
				say("HOST", "agent waiting pid=%d", (int)pid);
				if (cfg->rss)
					report_rss();
				if (cfg->kill1) {
					say("HOST", "sending %s to pid 1", cfg->kill1 == SIGTERM ? "SIGTERM" : "SIGINT");
					kill(1, cfg->kill1);
				}
			}
		}
	}
	for (int i = 0; i < MAX_CONNS; i++)
		if (conns[i].fd >= 0 && conns[i].l->role == LOG)
			close_conn(&conns[i], "open");
	summary(ls, nl);
}

int main(void)
{
	static char cmdline[4096], copy[4096];
	struct cfg cfg = {
		.entropy = "ok", .log = "ok", .entropy_port = 1, .log_port = 109,
		.entropy_bytes = 512,
	};
	struct listener ls[2];
	struct sigaction sa = { .sa_handler = on_term };
	sigset_t set;
	int nl = 0;

	if (guarded_boot(cmdline, sizeof(cmdline)))
		return 1;
	memcpy(copy, cmdline, sizeof(copy));
	parse_cmdline(copy, &cfg);
	if (cfg.late) {
		int uevents = uevents_open();

		if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
			return say("HOST", "late: mount namespace: %s", strerror(errno)), 1;
		say("HOST", "late: waiting for /init to load vsock");
		if (write(3, "R", 1) == 1)
			close(3);
		if (wait_for_vsock(uevents))
			return 1;
		if (uevents >= 0)
			close(uevents);
	}
	if (guarded_vsock())
		return 1;
	if (!one_of(cfg.entropy, "ok short none silent noclose noaccept")) {
		say("HOST", "bad testhost.entropy=%s, using ok", cfg.entropy);
		strcpy(cfg.entropy, "ok");
	}
	if (!one_of(cfg.log, "ok none noread noaccept drop")) {
		say("HOST", "bad testhost.log=%s, using ok", cfg.log);
		strcpy(cfg.log, "ok");
	}
	setsid();
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	for (int i = 0; i < MAX_CONNS; i++)
		conns[i].fd = -1;
	ls[nl++] = (struct listener){ .role = ENTROPY, .mode = cfg.entropy,
				      .port = cfg.entropy_port, .fd = -1 };
	ls[nl++] = (struct listener){ .role = LOG, .mode = cfg.log, .port = cfg.log_port,
				      .fd = -1 };
	for (int i = 0; i < nl; i++) {
		if (strcmp(ls[i].mode, "none"))
			start_listener(&ls[i]);
		else
			say("HOST", "no listener on port=%u", ls[i].port);
	}
	say("HOST", "ready entropy=%s log=%s", cfg.entropy, cfg.log);
	if (write(3, "R", 1) == 1)
		close(3);
	loop(ls, nl, &cfg);
	return 0;
}
