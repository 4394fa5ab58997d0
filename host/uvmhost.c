/*
 * uvmhost: the host half of a utility VM on QEMU/KVM (vhost-vsock) and on Firecracker /
 * Cloud Hypervisor (hybrid vsock): boot entropy on one port, the guest's logs on others.
 *
 * One poll loop over non-blocking sockets and a signalfd: it never waits on a guest,
 * and never on the log either (host/logsink.c: a ring and a writer thread; lines that
 * find no room are dropped and counted). Setup may fail (exit 1, 2); once serving, only
 * SIGTERM or SIGINT ends it (exit 0). See docs/uvmhost.md.
 */
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdarg.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "clock.h"
#include "hlog.h"
#include "hostvsock.h"
#include "logsink.h"
#include "parse.h"
#include "version.h"

#define EXIT_NOLISTEN 1
#define EXIT_USAGE 2

#define MAX_LOG_PORTS 16
#define MAX_LISTENERS (1 + MAX_LOG_PORTS)
#define MAX_CONNS 64
#define ENTROPY_DEADLINE_MS 2000	/* a guest that does not read its entropy */
#define FLUSH_MS 2000			/* SIGTERM: the longest wait for the log */
#define ENTROPY_BYTES_MAX (1u << 20)
#define MAX_LINE_MIN 16u
#define MAX_LINE_MAX (1u << 20)
#define LINE_FIRST 256u		/* a held line's first buffer; it doubles up to max_line */
#define LINE_KEEP 4096u		/* a bigger one is freed when its line ends */
#define CHUNK (64 * 1024)

static const char usage_text[] =
	"usage: uvmhost serve (--vsock CID|any | --uds PATH) [--entropy-port 1]\n"
	"                     [--log-port 109]... [--entropy-bytes 512] [--log FILE|-]\n"
	"                     [--max-line 65536]\n"
	"       uvmhost --help | --version\n"
	"\n"
	"Serves a utility VM's boot entropy and collects its logs (vsockexec's ports).\n"
	"  --vsock CID|any     AF_VSOCK listeners for a QEMU vhost-vsock guest of that CID\n"
	"                      (-device vhost-vsock-pci,guest-cid=CID); any: any peer\n"
	"  --uds PATH          Firecracker / Cloud Hypervisor hybrid vsock: host port P is\n"
	"                      the Unix socket PATH_P (a stale one, with no listener, is\n"
	"                      replaced; a live one is exit 1)\n"
	"  --entropy-port P    each connection gets --entropy-bytes from getrandom(2), then\n"
	"                      a close; a guest that has not read them in 2 s is cut off\n"
	"                      (default 1; 0: no entropy listener)\n"
	"  --log-port P        a log port, repeatable (default 109)\n"
	"  --entropy-bytes N   1..1048576 (default 512)\n"
	"  --log FILE|-        where log lines go, appended (default -: standard output);\n"
	"                      SIGHUP opens FILE again (logrotate)\n"
	"  --max-line N        a partial line is held up to N bytes, 16..1048576 (default\n"
	"                      65536); a longer line is written in pieces of N\n"
	"\n"
	"Output: one line per guest line, \"PORT: TEXT\" (\"PORT+ TEXT\": the next piece of\n"
	"a line longer than --max-line); lines of connections at once never interleave.\n"
	"uvmhost never makes a guest wait on the log: when the log does not keep up, lines\n"
	"are dropped and each gap is one line \"uvmhost: dropped N lines (M bytes)\".\n"
	"SIGTERM, SIGINT: flush (at most 2 s) and exit 0. SIGHUP: reopen --log.\n"
	"With $NOTIFY_SOCKET set (systemd Type=notify), READY=1 once it listens.\n"
	"Exit status: 0 a clean stop, 1 could not start (a listener, the log), 2 usage.\n";

struct opts {
	const char *uds;	/* --uds PATH, else --vsock (cid_any or cid) */
	bool cid_any;
	uint32_t cid;		/* 0: no --vsock CID */
	uint32_t entropy_port;
	uint32_t log_ports[MAX_LOG_PORTS];
	int nlog;
	uint32_t entropy_bytes, max_line;
	const char *log;
};

enum role { ROLE_ENTROPY, ROLE_LOG };

struct listener {
	enum role role;
	uint32_t port;
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)]; /* --uds: PATH_P */
	dev_t dev;
	ino_t ino;
	char prefix[16], cont[16]; /* "P: ", "P+ " */
	size_t plen;
};

struct conn {
	int fd;			/* -1: a free slot */
	struct listener *l;
	char *line;		/* log: the partial line (NULL: none held yet) */
	size_t linelen, linecap; /* linecap <= max_line, grown as the line grows */
	bool cont;		/* log: a piece of this line went out already */
	uint32_t left;		/* entropy: bytes still to send */
	int64_t deadline;	/* entropy: ms */
};

static struct opts opt;
static struct listener ls[MAX_LISTENERS];
static int nls;
static struct conn conns[MAX_CONNS];
static struct logsink sink;
static char chunk[CHUNK];

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
	char line[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	hlog(HLOG_ERROR, "%s (see uvmhost --help)", line);
	return -EINVAL;
}

static int add_log_port(uint32_t port)
{
	for (int i = 0; i < opt.nlog; i++)
		if (opt.log_ports[i] == port)
			return usage_error("--log-port %u given twice", port);
	if (opt.nlog == MAX_LOG_PORTS)
		return usage_error("more than %d log ports", MAX_LOG_PORTS);
	opt.log_ports[opt.nlog++] = port;
	return 0;
}

/* --uds or --vsock was given (a --vsock CID is never 0) */
static bool transport_given(void)
{
	return opt.uds || opt.cid_any || opt.cid;
}

/* One option of serve, name without "--". Returns 0 or -EINVAL (reported). */
static int set_option(const char *name, const char *v)
{
	uint32_t u;

	if (!strcmp(name, "vsock") || !strcmp(name, "uds")) {
		if (transport_given())
			return usage_error("--vsock and --uds: one of them, once");
		if (!strcmp(name, "uds")) {
			if (!*v)
				return usage_error("--uds: an empty path");
			opt.uds = v;
			return 0;
		}
		opt.cid_any = !strcmp(v, "any");
		if (!opt.cid_any && parse_u32(v, 3, PORT_MAX, &opt.cid))
			return usage_error("--vsock %s: not a guest CID (3..%u) or any", v, PORT_MAX);
		return 0;
	}
	if (!strcmp(name, "entropy-port")) {
		if (parse_u32(v, 0, PORT_MAX, &opt.entropy_port))
			return usage_error("--entropy-port %s: not a port (0..%u)", v, PORT_MAX);
		return 0;
	}
	if (!strcmp(name, "log-port")) {
		if (parse_port(v, &u))
			return usage_error("--log-port %s: not a port (1..%u)", v, PORT_MAX);
		return add_log_port(u);
	}
	if (!strcmp(name, "entropy-bytes")) {
		if (parse_u32(v, 1, ENTROPY_BYTES_MAX, &opt.entropy_bytes))
			return usage_error("--entropy-bytes %s: not a number in 1..%u", v,
					   ENTROPY_BYTES_MAX);
		return 0;
	}
	if (!strcmp(name, "max-line")) {
		if (parse_u32(v, MAX_LINE_MIN, MAX_LINE_MAX, &opt.max_line))
			return usage_error("--max-line %s: not a number in %u..%u", v, MAX_LINE_MIN,
					   MAX_LINE_MAX);
		return 0;
	}
	if (!strcmp(name, "log")) {
		if (!*v)
			return usage_error("--log: an empty path");
		opt.log = v;
		return 0;
	}
	return usage_error("unknown option --%s", name);
}

/* serve's options, argv[0] being "serve". Returns 0, 1 (--help) or -EINVAL. */
static int parse_serve(int argc, char **argv)
{
	char name[32];

	opt = (struct opts){ .entropy_port = 1, .entropy_bytes = 512, .max_line = 65536 };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq, *v;
		size_t len;
		int rc;

		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return 1;
		if (strncmp(a, "--", 2) || !a[2])
			return usage_error("unexpected argument '%s'", a);
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		if (len >= sizeof(name))
			return usage_error("unknown option %.40s", a);
		memcpy(name, a + 2, len);
		name[len] = '\0';
		if (eq)
			v = eq + 1;
		else if (i + 1 < argc)
			v = argv[++i];
		else
			return usage_error("--%s needs a value", name);
		rc = set_option(name, v);
		if (rc)
			return rc;
	}
	if (!transport_given())
		return usage_error("serve needs --vsock CID|any or --uds PATH");
	if (!opt.nlog)
		opt.log_ports[opt.nlog++] = 109;
	for (int i = 0; i < opt.nlog; i++)
		if (opt.log_ports[i] == opt.entropy_port)
			return usage_error("port %u is both the entropy and a log port",
					   opt.entropy_port);
	if (opt.uds && strlen(opt.uds) + 12 > sizeof(ls[0].path))
		return usage_error("--uds %.40s...: too long for a Unix socket path", opt.uds);
	return 0;
}

static void add_listener(enum role role, uint32_t port)
{
	struct listener *l = &ls[nls++];

	*l = (struct listener){ .role = role, .port = port, .fd = -1 };
	l->plen = (size_t)snprintf(l->prefix, sizeof(l->prefix), "%u: ", port);
	snprintf(l->cont, sizeof(l->cont), "%u+ ", port);
	if (opt.uds)
		snprintf(l->path, sizeof(l->path), "%s_%u", opt.uds, port);
}

/* PATH_P: replaces a stale socket file (nothing listens), never a live one nor
 * anything but a socket. Returns the listener or -errno (reported). */
static int uds_listen(struct listener *l)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, rc;

	memcpy(sa.sun_path, l->path, sizeof(l->path));
	if (!lstat(l->path, &st)) {
		if (!S_ISSOCK(st.st_mode)) {
			hlog(HLOG_ERROR, "%s: exists and is not a socket", l->path);
			return -EEXIST;
		}
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return hlog(HLOG_ERROR, "socket: %m"), -errno;
		rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ? errno : 0;
		close(fd);
		if (rc != ECONNREFUSED) {
			hlog(HLOG_ERROR, "%s: %s", l->path,
			     rc == 0 || rc == EAGAIN ? "another listener is live there" : strerror(rc));
			return rc ? -rc : -EADDRINUSE;
		}
		if (unlink(l->path) && errno != ENOENT)
			return hlog(HLOG_ERROR, "%s: a stale socket: unlink: %m", l->path), -errno;
	} else if (errno != ENOENT) {
		return hlog(HLOG_ERROR, "%s: %m", l->path), -errno;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return hlog(HLOG_ERROR, "socket: %m"), -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 64) ||
	    stat(l->path, &st)) {
		rc = -errno;
		hlog(HLOG_ERROR, "%s: %s", l->path, strerror(-rc));
		close(fd);
		return rc;
	}
	l->dev = st.st_dev;
	l->ino = st.st_ino;
	return fd;
}

/* Removes our socket files, not one another uvmhost has put there since. */
static void uds_unlink_ours(void)
{
	struct stat st;

	for (int i = 0; i < nls; i++)
		if (ls[i].path[0] && ls[i].fd >= 0 && !stat(ls[i].path, &st) &&
		    st.st_dev == ls[i].dev && st.st_ino == ls[i].ino)
			unlink(ls[i].path);
}

static int start_listeners(void)
{
	if (opt.entropy_port)
		add_listener(ROLE_ENTROPY, opt.entropy_port);
	for (int i = 0; i < opt.nlog; i++)
		add_listener(ROLE_LOG, opt.log_ports[i]);
	for (int i = 0; i < nls; i++) {
		int fd = opt.uds ? uds_listen(&ls[i]) : hv_listen(ls[i].port);

		if (fd < 0) {
			if (!opt.uds)
				hlog(HLOG_ERROR, "vsock port %u: %s", ls[i].port, strerror(-fd));
			uds_unlink_ours();
			return fd;
		}
		ls[i].fd = fd;
	}
	return 0;
}

/* One line, or one piece of a long one, to the log. */
static void emit(struct conn *c, const char *text, size_t len)
{
	const struct listener *l = c->l;

	logsink_line(&sink, c->cont ? l->cont : l->prefix, l->plen, text, len);
}

/* Room for the held line to reach want bytes (want <= max_line). Returns false, with
 * a warning, when there is no memory for it. */
static bool line_room(struct conn *c, size_t want)
{
	size_t cap = c->linecap ? c->linecap : LINE_FIRST;
	char *p;

	if (want <= c->linecap)
		return true;
	while (cap < want)
		cap *= 2;
	if (cap > opt.max_line)
		cap = opt.max_line;
	p = realloc(c->line, cap);
	if (!p) {
		hlog(HLOG_WARN, "port %u: out of memory, a connection closed", c->l->port);
		return false;
	}
	c->line = p;
	c->linecap = cap;
	return true;
}

/* Splits a log connection's bytes into lines; a partial one is held up to max_line.
 * Returns false when the connection is to be closed (no memory to hold its line). */
static bool feed(struct conn *c, const char *p, size_t n)
{
	const char *end = p + n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *stop = nl ? nl : end;

		if (nl && !c->linelen && (size_t)(nl - p) <= opt.max_line) {
			emit(c, p, (size_t)(nl - p)); /* a whole line: straight from the read */
			p = nl + 1;
			continue;
		}
		while (p < stop) {
			size_t take;

			if (c->linelen == opt.max_line) {
				emit(c, c->line, c->linelen);
				c->cont = true;
				c->linelen = 0;
			}
			take = opt.max_line - c->linelen;
			if (take > (size_t)(stop - p))
				take = (size_t)(stop - p);
			if (!line_room(c, c->linelen + take))
				return false;
			memcpy(c->line + c->linelen, p, take);
			c->linelen += take;
			p += take;
		}
		if (nl) {
			emit(c, c->line, c->linelen);
			c->linelen = 0;
			c->cont = false;
			p = nl + 1;
			if (c->linecap > LINE_KEEP) { /* memory follows use: a long line's goes */
				free(c->line);
				c->line = NULL;
				c->linecap = 0;
			}
		}
	}
	return true;
}

static void close_conn(struct conn *c)
{
	if (c->l->role == ROLE_LOG && c->linelen)
		emit(c, c->line, c->linelen); /* the last line had no newline */
	close(c->fd);
	free(c->line);
	*c = (struct conn){ .fd = -1 };
}

static void on_log(struct conn *c)
{
	ssize_t n;

	do
		n = read(c->fd, chunk, sizeof(chunk));
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return;
	if (n <= 0 || !feed(c, chunk, (size_t)n))
		close_conn(c);
}

#ifndef GRND_INSECURE
#define GRND_INSECURE 0x0004 /* Linux 5.6 */
#endif

/* n random bytes, never waiting: a pool not yet initialized (a host just booted, or the
 * in-guest tests, where uvmhost runs in a guest that is booting) gives GRND_INSECURE's
 * bytes, with one warning. Returns the bytes, or -errno. */
static ssize_t random_bytes(char *buf, size_t n)
{
	static bool warned;
	ssize_t got;

	do
		got = getrandom(buf, n, GRND_NONBLOCK);
	while (got < 0 && errno == EINTR);
	if (got >= 0 || errno != EAGAIN)
		return got < 0 ? -errno : got;
	if (!warned) {
		warned = true;
		hlog(HLOG_WARN, "the random pool is not initialized yet: serving GRND_INSECURE bytes");
	}
	do
		got = getrandom(buf, n, GRND_INSECURE);
	while (got < 0 && errno == EINTR);
	return got < 0 ? -errno : got;
}

/* Sends what the socket takes now; closes once all is sent or on an error. */
static void on_entropy(struct conn *c)
{
	while (c->left) {
		size_t n = c->left < sizeof(chunk) ? c->left : sizeof(chunk);
		ssize_t got = random_bytes(chunk, n), sent;

		if (got <= 0) {
			hlog(HLOG_WARN, "getrandom: %s", strerror(got ? (int)-got : EIO));
			break;
		}
		do
			sent = send(c->fd, chunk, (size_t)got, MSG_DONTWAIT | MSG_NOSIGNAL);
		while (sent < 0 && errno == EINTR);
		if (sent < 0 && errno == EAGAIN)
			return;
		if (sent < 0)
			break;	/* the guest went away */
		c->left -= (uint32_t)sent;
	}
	close_conn(c);
}

/* At the end: what a guest has sent already is read (at most DRAIN_MAX bytes), then its
 * held line written, then the connection closed. */
#define DRAIN_MAX (4u << 20)
static void drain_close(struct conn *c)
{
	size_t total = 0;

	while (c->l->role == ROLE_LOG && total < DRAIN_MAX) {
		ssize_t n = read(c->fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || !feed(c, chunk, (size_t)n))
			break;
		total += (size_t)n;
	}
	close_conn(c);
}

static struct conn *free_conn(void)
{
	for (int i = 0; i < MAX_CONNS; i++)
		if (conns[i].fd < 0)
			return &conns[i];
	return NULL;
}

static void on_accept(struct listener *l)
{
	uint32_t cid = 0;
	struct conn *c;
	int fd;

	if (opt.uds) {
		do
			fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		while (fd < 0 && errno == EINTR);
		fd = fd < 0 ? -errno : fd;
	} else {
		fd = hv_accept(l->fd, &cid);
	}
	if (fd < 0) {
		if (fd != -EAGAIN && fd != -ECONNABORTED)
			hlog(HLOG_WARN, "accept on port %u: %s", l->port, strerror(-fd));
		return;
	}
	if (!opt.uds && !opt.cid_any && cid != opt.cid) {
		hlog(HLOG_WARN, "port %u: a connection from CID %u refused (serving CID %u)",
		     l->port, cid, opt.cid);
		close(fd);
		return;
	}
	c = free_conn();
	if (!c) {
		hlog(HLOG_WARN, "port %u: more than %d connections at once, one closed", l->port,
		     MAX_CONNS);
		close(fd);
		return;
	}
	*c = (struct conn){ .fd = fd, .l = l };
	if (l->role == ROLE_LOG)
		return; /* its line buffer comes with its first partial line */
	c->left = opt.entropy_bytes;
	c->deadline = clock_ms() + ENTROPY_DEADLINE_MS;
	on_entropy(c);
}

/* Returns once SIGTERM or SIGINT came (or poll failed, reported). */
static void serve(int sfd)
{
	struct pollfd pfd[1 + MAX_LISTENERS + MAX_CONNS];
	struct conn *who[1 + MAX_LISTENERS + MAX_CONNS];

	for (;;) {
		int64_t now, next = -1;
		int n = 0, rc;

		pfd[n++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		for (int i = 0; i < nls; i++)
			pfd[n++] = (struct pollfd){ .fd = ls[i].fd, .events = POLLIN };
		for (int i = 0; i < MAX_CONNS; i++) {
			struct conn *c = &conns[i];

			if (c->fd < 0)
				continue;
			who[n] = c;
			pfd[n++] = (struct pollfd){
				.fd = c->fd, .events = c->l->role == ROLE_LOG ? POLLIN : POLLOUT,
			};
			if (c->l->role == ROLE_ENTROPY && (next < 0 || c->deadline < next))
				next = c->deadline;
		}
		rc = poll(pfd, (nfds_t)n, clock_left_ms(next));
		if (rc < 0 && errno != EINTR) {
			hlog(HLOG_ERROR, "poll: %m");
			return;
		}
		if (rc > 0 && pfd[0].revents) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo != SIGHUP)
					return;
				logsink_reopen(&sink);
			}
		}
		for (int i = 1 + nls; rc > 0 && i < n; i++)
			if (pfd[i].revents && who[i]->fd == pfd[i].fd)
				(who[i]->l->role == ROLE_LOG ? on_log : on_entropy)(who[i]);
		for (int i = 0; rc > 0 && i < nls; i++)
			if (pfd[1 + i].revents)
				on_accept(&ls[i]);
		now = clock_ms();
		for (int i = 0; i < MAX_CONNS; i++) {
			struct conn *c = &conns[i];

			if (c->fd >= 0 && c->l->role == ROLE_ENTROPY && now >= c->deadline) {
				hlog(HLOG_WARN, "port %u: the guest did not read its entropy in %d ms, "
				     "%u of %u bytes unsent; closed", c->l->port, ENTROPY_DEADLINE_MS,
				     c->left, opt.entropy_bytes);
				close_conn(c);
			}
		}
	}
}

/* systemd's readiness protocol (Type=notify): "READY=1" to $NOTIFY_SOCKET, a path or
 * "@" for an abstract name, once every listener is up. Nothing when it is unset. */
static void notify_ready(void)
{
	const char *p = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len = p ? strlen(p) : 0;
	int fd;

	if (!p || (p[0] != '/' && p[0] != '@') || len >= sizeof(sa.sun_path))
		return;
	memcpy(sa.sun_path, p, len);
	if (p[0] == '@')
		sa.sun_path[0] = '\0';
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (sendto(fd, "READY=1", 7, MSG_NOSIGNAL, (struct sockaddr *)&sa,
		   (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)) < 0)
		hlog(HLOG_WARN, "NOTIFY_SOCKET %s: %m", p);
	close(fd);
}

static void describe(void)
{
	char buf[256];
	size_t off = 0;

	for (int i = 0; i < nls && off < sizeof(buf); i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s %s%s%u", i ? ", " : "",
					ls[i].role == ROLE_ENTROPY ? "entropy" : "log",
					opt.uds ? opt.uds : "vsock port ", opt.uds ? "_" : "",
					ls[i].port);
	hlog(HLOG_INFO, "serving %s", buf);
}

static int run(void)
{
	sigset_t set;
	int sfd, rc;
	size_t ring = 4 * ((size_t)opt.max_line + 32);

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	/* blocked before the writer thread starts, so it inherits the mask */
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		return hlog(HLOG_ERROR, "signalfd: %m"), EXIT_NOLISTEN;
	for (int i = 0; i < MAX_CONNS; i++)
		conns[i].fd = -1;
	rc = logsink_open(&sink, opt.log, ring);
	if (rc) {
		hlog(HLOG_ERROR, "--log %s: %s", opt.log ? opt.log : "-", strerror(-rc));
		goto out_sfd;
	}
	rc = start_listeners();
	if (rc)
		goto out_sink;
	describe();
	notify_ready();
	serve(sfd);
	for (int i = 0; i < MAX_CONNS; i++)
		if (conns[i].fd >= 0)
			drain_close(&conns[i]);
	uds_unlink_ours();
	if (logsink_close(&sink, FLUSH_MS))
		hlog(HLOG_WARN, "the log did not take the last lines in %d ms", FLUSH_MS);
	close(sfd);
	return 0;

out_sink:
	logsink_close(&sink, 0);
out_sfd:
	close(sfd);
	return EXIT_NOLISTEN;
}

int main(int argc, char **argv)
{
	int rc;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--version")) {
		fputs("uvmhost (uvminit) " UVMINIT_VERSION "\n", stdout);
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "serve")) {
		if (argc < 2)
			usage_error("a command is needed: serve");
		else
			usage_error("unknown command '%s'", argv[1]);
		return EXIT_USAGE;
	}
	rc = parse_serve(argc - 1, argv + 1);
	if (rc == 1) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (rc)
		return EXIT_USAGE;
	return run();
}
