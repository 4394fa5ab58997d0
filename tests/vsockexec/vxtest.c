/* Host tests of vsockexec over its AF_UNIX test build (never AF_VSOCK).
 *
 *   vxtest VSOCKEXEC [WORD]     runs every check (those whose name has WORD); exit 0
 *                               when all pass
 *   vxtest helper MODE ARGS...  the program that vsockexec runs in the checks
 *
 * Each check asserts on exact bytes, exit statuses and fd counts; none on time. An
 * alarm is only a safety net so that a hung vsockexec fails the step, not CI. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/dropline.h"
#include "tests/writeall.h"

#define RING 1048576u /* RELAY_RING_SIZE, as documented */

static const char *vx;
static char self[PATH_MAX];
static char uds[64]; /* $UVMINIT_TEST_UDS: dir/v, the sockets dir/v_PORT */
static char dir[] = "/tmp/vxtest.XXXXXX";
static int failures, checks;

#define CHECK(cond, ...)                                                              \
	do {                                                                          \
		checks++;                                                             \
		if (!(cond)) {                                                        \
			failures++;                                                   \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                 \
			fputc('\n', stderr);                                          \
		}                                                                     \
	} while (0)

#define DIE(...)                                                                      \
	do {                                                                          \
		fprintf(stderr, "vxtest: " __VA_ARGS__);                              \
		fprintf(stderr, ": %s\n", strerror(errno));                           \
		exit(2);                                                              \
	} while (0)

struct buf {
	char *p;
	size_t len, cap;
};

static void buf_add(struct buf *b, const void *d, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			DIE("realloc");
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
	b->p[b->len] = 0;
}

static void buf_free(struct buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

static unsigned char pat(uint64_t i)
{
	return (unsigned char)(i % 251);
}

/* ---- the helper program ---------------------------------------------------------- */

/* the helper's writes: a failed one ends it with status 90 */
static void put(int fd, const void *p, size_t n)
{
	if (write_all(fd, p, n))
		exit(90);
}

__attribute__((format(printf, 2, 3)))
static void say(int fd, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	put(fd, line, (size_t)n);
}

static void write_pattern(int fd, uint64_t from, uint64_t n)
{
	static unsigned char b[65536];
	uint64_t done = 0;

	while (done < n) {
		size_t k = n - done < sizeof(b) ? (size_t)(n - done) : sizeof(b), i;

		for (i = 0; i < k; i++)
			b[i] = pat(from + done + i);
		put(fd, b, k);
		done += k;
	}
}

static void post_byte(const char *fifo)
{
	int fd = open(fifo, O_WRONLY);

	if (fd < 0 || write(fd, "x", 1) != 1)
		exit(92);
	close(fd);
}

static void on_trap(int sig)
{
	_exit(sig == SIGTERM ? 42 : 43);
}

static int helper(int argc, char **argv)
{
	const char *m = argv[2];

	if (!strcmp(m, "echo") && argc > 3) {
		say(1, "%s\n", argv[3]);
		say(2, "E:%s\n", argv[3]);
		return 0;
	}
	if (!strcmp(m, "exit") && argc > 3)
		return atoi(argv[3]);
	if (!strcmp(m, "kill") && argc > 3) {
		struct rlimit no_core = { 0, 0 };

		setrlimit(RLIMIT_CORE, &no_core);
		signal(atoi(argv[3]), SIG_DFL);
		raise(atoi(argv[3]));
		return 99;
	}
	if (!strcmp(m, "fds")) {
		DIR *d = opendir("/proc/self/fd");
		struct dirent *e;
		char list[256] = "";

		while (d && (e = readdir(d))) {
			if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
				continue;
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 list[0] ? "," : "", e->d_name);
		}
		say(1, "fds=%s\n", list);
		return 0;
	}
	if (!strcmp(m, "sigstate")) {
		FILE *f = fopen("/proc/self/status", "r");
		char line[256];

		while (f && fgets(line, sizeof(line), f))
			if (!strncmp(line, "SigBlk:", 7) || !strncmp(line, "SigIgn:", 7))
				say(1, "%s", line);
		return 0;
	}
	if (!strcmp(m, "cat")) {
		char b[4096];
		ssize_t n;

		while ((n = read(0, b, sizeof(b))) > 0)
			put(1, b, (size_t)n);
		return 0;
	}
	if (!strcmp(m, "flood") && argc > 3) {
		uint64_t n = strtoull(argv[3], NULL, 10);

		write_pattern(1, 0, n);
		say(2, "written=%llu\n", (unsigned long long)n);
		return 5;
	}
	if (!strcmp(m, "flood-stderr") && argc > 3) {
		uint64_t n = strtoull(argv[3], NULL, 10);

		write_pattern(2, 0, n);
		say(1, "written=%llu\n", (unsigned long long)n);
		return 5;
	}
	if (!strcmp(m, "touch") && argc > 3) {
		int fd = open(argv[3], O_CREAT | O_WRONLY | O_CLOEXEC, 0644);

		return fd < 0 ? 94 : close(fd);
	}
	if (!strcmp(m, "phases") && argc > 5) {
		uint64_t n = strtoull(argv[5], NULL, 10);
		int queued;

		int go;
		char c;

		say(1, "before\n");
		/* the go fifo stays open from here: reopening it would race with EOF */
		go = open(argv[3], O_RDONLY | O_CLOEXEC);
		if (go < 0 || read(go, &c, 1) != 1)
			return 91;
		write_pattern(1, 0, n);
		/* wait until the relay has taken every byte out of the pipe */
		while (ioctl(1, FIONREAD, &queued) == 0 && queued > 0)
			nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
		post_byte(argv[4]);
		if (read(go, &c, 1) != 1)
			return 91;
		say(1, "after\n");
		return 9;
	}
	if (!strcmp(m, "paced") && argc > 5) {
		/* TOTAL bytes in STEP-byte steps, each once the host says it read the last; the
		 * fifo stays open on both sides (reopening it per step races with EOF) */
		uint64_t total = strtoull(argv[4], NULL, 10), step = strtoull(argv[5], NULL, 10), off;
		int go = open(argv[3], O_RDONLY | O_CLOEXEC);
		char c;

		if (go < 0)
			return 91;
		for (off = 0; off < total; off += step) {
			write_pattern(1, off, total - off < step ? total - off : step);
			if (read(go, &c, 1) != 1)
				return 91;
		}
		return 6;
	}
	if (!strcmp(m, "twice") && argc > 5) {
		/* N1 pattern bytes, then (once the driver says go) the next N2 */
		uint64_t n1 = strtoull(argv[4], NULL, 10), n2 = strtoull(argv[5], NULL, 10);
		int go;
		char c;

		write_pattern(1, 0, n1);
		go = open(argv[3], O_RDONLY | O_CLOEXEC);
		if (go < 0 || read(go, &c, 1) != 1)
			return 91;
		write_pattern(1, n1, n2);
		return 0;
	}
	if (!strcmp(m, "timed") && argc > 3) {
		/* N pattern bytes; on stderr the milliseconds the writes took */
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		write_pattern(1, 0, strtoull(argv[3], NULL, 10));
		clock_gettime(CLOCK_MONOTONIC, &t1);
		say(2, "ms=%lld\n", (long long)(t1.tv_sec - t0.tv_sec) * 1000 +
					   (t1.tv_nsec - t0.tv_nsec) / 1000000);
		return 0;
	}
	if (!strcmp(m, "linger") && argc > 4) {
		/* "early", N pattern bytes, then exits leaving a child holding stdout; the
		 * child writes once the driver says go */
		pid_t pid;

		say(1, "early\n");
		write_pattern(1, 0, strtoull(argv[4], NULL, 10));
		pid = fork();
		if (pid == 0) {
			int go;
			char c;

			alarm(30); /* never outlives a driver that died */
			go = open(argv[3], O_RDONLY | O_CLOEXEC);
			if (go < 0 || read(go, &c, 1) != 1)
				_exit(91);
			say(1, "late\n"); /* SIGPIPE (default here) if nobody reads */
			say(1, "alive\n");
			_exit(0);
		}
		return pid < 0 ? 93 : 7;
	}
	if (!strcmp(m, "yes")) {
		static char b[4096];

		memset(b, 'y', sizeof(b));
		for (;;)
			put(1, b, sizeof(b));
	}
	if (!strcmp(m, "trap")) {
		signal(SIGTERM, on_trap);
		signal(SIGINT, on_trap);
		say(2, "ready\n");
		for (;;)
			pause();
	}
	fprintf(stderr, "helper: bad mode %s\n", m);
	return 98;
}

/* ---- the driver ------------------------------------------------------------------ */

static void sock_path(struct sockaddr_un *sa, uint32_t port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	snprintf(sa->sun_path, sizeof(sa->sun_path), "%s/v_%u", dir, port);
}

static int listen_port(uint32_t port, int backlog)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	sock_path(&sa, port);
	unlink(sa.sun_path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, backlog) < 0)
		DIE("listen %u", port);
	return fd;
}

static void unlisten(int fd, uint32_t port)
{
	struct sockaddr_un sa;

	sock_path(&sa, port);
	unlink(sa.sun_path);
	close(fd);
}

static int accept_one(int lfd)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		DIE("accept");
	return fd;
}

struct run {
	pid_t pid;
	int out, err;
};

/* Starts vsockexec with args (NULL-terminated; the word "@" stands for this helper).
 * env ENV_MASKED: vsockexec starts with SIGTERM blocked and SIGUSR1 and 34 ignored, so
 * that the checks see them reset; ENV_CHLD_IGNORED: with SIGCHLD ignored. */
enum { ENV_MASKED = 1, ENV_CHLD_IGNORED = 2 };
static struct run spawn_err(int env, int errfd, const char *const *args)
{
	const char *argv[32];
	int o[2], e[2], n = 0, i;
	struct run r;

	argv[n++] = vx;
	for (i = 0; args[i] && n < 30; i++)
		argv[n++] = !strcmp(args[i], "@") ? self : args[i];
	argv[n] = NULL;
	if (pipe2(o, O_CLOEXEC) < 0 || pipe2(e, O_CLOEXEC) < 0)
		DIE("pipe");
	r.pid = fork();
	if (r.pid < 0)
		DIE("fork");
	if (r.pid == 0) {
		sigset_t set;

		dup2(o[1], 1);
		dup2(errfd >= 0 ? errfd : e[1], 2);
		/* if this driver dies, so does vsockexec (then its program, of SIGPIPE) */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* vsockexec starts with 0-2 only, whatever ran this test */
		for (i = 3; i < 1024; i++)
			close(i);
		if (env & ENV_CHLD_IGNORED)
			signal(SIGCHLD, SIG_IGN);
		if (env & ENV_MASKED) {
			sigemptyset(&set);
			sigaddset(&set, SIGTERM);
			sigprocmask(SIG_BLOCK, &set, NULL);
			signal(SIGUSR1, SIG_IGN);
			signal(34, SIG_IGN); /* one that musl keeps for itself */
		}
		execv(vx, (char *const *)argv);
		_exit(200);
	}
	close(o[1]);
	close(e[1]);
	r.out = o[0];
	r.err = e[0];
	return r;
}

static struct run spawn(int env, const char *const *args)
{
	return spawn_err(env, -1, args);
}

static int wait_status(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			DIE("waitpid");
	return st;
}

/* Reads stdout and stderr of r to EOF, then reaps it. Returns the wait status. */
static int finish(struct run *r, struct buf *out, struct buf *err)
{
	struct pollfd p[2] = { { .fd = r->out, .events = POLLIN }, { .fd = r->err, .events = POLLIN } };
	struct buf *dst[2] = { out, err };
	char b[65536];
	int open_fds = 2, i;

	while (open_fds) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			DIE("poll");
		for (i = 0; i < 2; i++) {
			ssize_t n;

			if (p[i].fd < 0 || !p[i].revents)
				continue;
			n = read(p[i].fd, b, sizeof(b));
			if (n > 0) {
				buf_add(dst[i], b, (size_t)n);
				continue;
			}
			close(p[i].fd);
			p[i].fd = -1;
			open_fds--;
		}
	}
	return wait_status(r->pid);
}

static void read_to_eof(int fd, struct buf *b)
{
	char c[65536];
	ssize_t n;

	while ((n = read(fd, c, sizeof(c))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		buf_add(b, c, (size_t)n);
	}
}

/* Reads from fd until exactly want bytes arrived (or EOF). */
static void read_n(int fd, struct buf *b, size_t want)
{
	char c[65536];

	while (b->len < want) {
		size_t k = want - b->len < sizeof(c) ? want - b->len : sizeof(c);
		ssize_t n = read(fd, c, k);

		if (n <= 0)
			break;
		buf_add(b, c, (size_t)n);
	}
}

/* Reads fd into b (size bytes, kept NUL-terminated) until it holds want, or EOF or a
 * full b. Returns the bytes read. */
static size_t read_until(int fd, char *b, size_t size, const char *want)
{
	size_t n = 0;
	ssize_t k;

	b[0] = 0;
	while (n < size - 1 && !strstr(b, want) && (k = read(fd, b + n, size - 1 - n)) > 0) {
		n += (size_t)k;
		b[n] = 0;
	}
	return n;
}

/* Makes the FIFO NAME in the test directory; its path goes to path (PATH_MAX). */
static void make_fifo(char *path, const char *name)
{
	snprintf(path, PATH_MAX, "%s/%s", dir, name);
	if (mkfifo(path, 0600) < 0)
		DIE("mkfifo");
}

/* fd (a pipe's read end) reaches end of file within 5 s */
static bool hung_up(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char b[256];

	while (poll(&p, 1, 5000) == 1)
		if (read(fd, b, sizeof(b)) <= 0)
			return true;
	return false;
}

static bool exited_with(int st, int code)
{
	return WIFEXITED(st) && WEXITSTATUS(st) == code;
}

static int count_fds(pid_t pid)
{
	char path[64];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* b is exactly lines a and b, in either order (the program and the relay run at once) */
static bool two_lines(const struct buf *b, const char *x, const char *y)
{
	size_t lx = strlen(x), ly = strlen(y);

	if (!b->p || b->len != lx + ly)
		return false;
	return (!memcmp(b->p, x, lx) && !memcmp(b->p + lx, y, ly)) ||
	       (!memcmp(b->p, y, ly) && !memcmp(b->p + ly, x, lx));
}

/* runs vsockexec to completion; returns the wait status */
static int run(const char *const *args, struct buf *out, struct buf *err)
{
	struct run r = spawn(0, args);

	return finish(&r, out, err);
}

/* A pipe that is full and that nobody reads, its write end blocking as a stopped
 * console's would be; *rd keeps the read end open. Returns the write end. */
static int full_pipe(int *rd)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		DIE("pipe");
	while (write(p[1], "x", 1) == 1) {
	}
	fcntl(p[1], F_SETFL, 0);
	*rd = p[0];
	return p[1];
}

/* The status of pid once it exits within ms; else kills it and returns -1. */
static int wait_exit(pid_t pid, int ms)
{
	int st, i;

	for (i = 0; i < ms / 10; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return st;
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	}
	kill(pid, SIGKILL);
	wait_status(pid);
	return -1;
}

/* Reads fd until want arrived, EOF, or ms passed. Returns whether want arrived. */
static bool wait_for(int fd, const char *want, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct buf b = { 0 };
	char c[4096];
	bool seen = false;
	ssize_t n;

	while (!seen && poll(&p, 1, ms) == 1 && (n = read(fd, c, sizeof(c))) > 0) {
		buf_add(&b, c, (size_t)n);
		seen = strstr(b.p, want) != NULL;
	}
	buf_free(&b);
	return seen;
}

/* vsockexec never waits on its own stderr: with stderr a full pipe nobody reads and
 * no host listening, a warning is dropped, not waited on. Direct mode: the program
 * still starts. Relay mode: a program writing 4 MiB to its relayed stderr finishes
 * (the relay used to block on its warning, so the program stalled once its pipe was
 * full); the same with stderr a full socket. */
static void t_full_stderr(void)
{
	static char filler[4096];
	char touched[PATH_MAX];
	int rd, wr = full_pipe(&rd), st, sp[2];
	bool written;
	struct run r;

	snprintf(touched, sizeof(touched), "%s/touched", dir);
	r = spawn_err(0, wr, (const char *const[]){ "-t", "200", "-e", "34", "@", "helper",
						    "touch", touched, NULL });
	st = wait_exit(r.pid, 5000);
	CHECK(exited_with(st, 0) && access(touched, F_OK) == 0,
	      "direct: the program ran although stderr is full: status %#x", st);
	close(r.out);
	close(r.err);
	r = spawn_err(0, wr, (const char *const[]){ "-r", "-t", "200", "-e", "35", "@", "helper",
						    "flood-stderr", "4194304", NULL });
	written = wait_for(r.out, "written=4194304\n", 10000);
	st = wait_exit(r.pid, 5000);
	CHECK(written && exited_with(st, 5),
	      "relay: the program wrote 4 MiB to stderr (%d) and its status came back: %#x",
	      written, st);
	close(r.out);
	close(r.err);
	close(wr);
	close(rd);
	/* stderr a full socket (an outer vsockexec's connection to a host that does not
	 * read): /proc cannot reopen it; the line goes only if there is room */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0)
		DIE("socketpair");
	fcntl(sp[0], F_SETFL, O_NONBLOCK);
	while (send(sp[0], filler, sizeof(filler), 0) > 0) {
	}
	fcntl(sp[0], F_SETFL, 0);
	unlink(touched);
	r = spawn_err(0, sp[0], (const char *const[]){ "-t", "200", "-e", "37", "@", "helper",
						       "touch", touched, NULL });
	st = wait_exit(r.pid, 5000);
	CHECK(exited_with(st, 0) && access(touched, F_OK) == 0,
	      "direct, stderr a full socket: the program ran: status %#x", st);
	close(r.out);
	close(r.err);
	close(sp[0]);
	close(sp[1]);
}

/* ---- the checks ------------------------------------------------------------------ */

/* stderr a pipe whose reader is gone (a console or log collector that went away): a
 * warning gets EPIPE, not SIGPIPE. Direct mode: with no host on the port, vsockexec
 * warns, then the program starts, with SIGPIPE at its default (the bounded write polls
 * first and sees the dead pipe); an exec failure still comes back as its exit code,
 * 127, not as a death by SIGPIPE (its line used to raise SIGPIPE: signal 13 direct,
 * 141 through the relay). */
static void t_dead_stderr(void)
{
	struct buf out = { 0 }, err = { 0 };
	int p[2], st, relay;
	struct run r;

	if (pipe2(p, O_CLOEXEC) < 0)
		DIE("pipe");
	close(p[0]);
	r = spawn_err(0, p[1], (const char *const[]){ "-t", "200", "-e", "38", "@", "helper",
						      "sigstate", NULL });
	st = finish(&r, &out, &err);
	CHECK(exited_with(st, 0), "direct, no host: the program ran: status %#x", st);
	CHECK(out.p && !strcmp(out.p, "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n"),
	      "direct: the program's signal state: [%s]", out.p ? out.p : "");
	buf_free(&out);
	buf_free(&err);
	for (relay = 0; relay < 2; relay++) {
		r = spawn_err(0, p[1], (const char *const[]){ relay ? "-r" : "--",
							      "/nonexistent/prog", NULL });
		st = finish(&r, &out, &err);
		CHECK(exited_with(st, 127), "%s missing program: status %#x", relay ? "-r" : "--",
		      st);
		buf_free(&out);
		buf_free(&err);
	}
	close(p[1]);
}

static void t_usage(void)
{
	static const char *const bad[][5] = {
		{ NULL },
		{ "-e", "0", "@", "helper", NULL },
		{ "-t", "abc", "@", NULL },
		{ "--bogus", "@", NULL },
		{ "-r", "-o", NULL },
		{ "-c", "-1", "@", NULL },
	};
	struct buf out = { 0 }, err = { 0 };
	size_t i;
	int st;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		st = run(bad[i], &out, &err);
		CHECK(exited_with(st, 125), "usage case %zu: status %#x", i, st);
		CHECK(out.len == 0, "usage case %zu: stdout not empty", i);
		CHECK(err.len > 0 && !strncmp(err.p, "vsockexec: ", 11) &&
			      strchr(err.p, '\n') == err.p + err.len - 1 &&
			      strstr(err.p, "(try --help)\n"),
		      "usage case %zu: not one line: [%s]", i, err.p ? err.p : "");
		buf_free(&out);
		buf_free(&err);
	}
	st = run((const char *const[]){ "--help", NULL }, &out, &err);
	CHECK(exited_with(st, 0) && out.len && !strncmp(out.p, "usage: vsockexec ", 17) && !err.len,
	      "--help: status %#x", st);
	buf_free(&out);
	buf_free(&err);
	st = run((const char *const[]){ "-V", NULL }, &out, &err);
	CHECK(exited_with(st, 0) && out.len && !strncmp(out.p, "vsockexec (uvminit) ", 20),
	      "-V: status %#x", st);
	buf_free(&out);
	buf_free(&err);
}

static void t_exit_codes(void)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGABRT, SIGFPE, SIGKILL,
				    SIGUSR1, SIGSEGV, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM };
	struct buf out = { 0 }, err = { 0 };
	char num[16];
	size_t i;
	int n, st, bad_direct = 0, bad_relay = 0;

	for (n = 0; n < 256; n++) {
		snprintf(num, sizeof(num), "%d", n);
		st = run((const char *const[]){ "@", "helper", "exit", num, NULL }, &out, &err);
		bad_direct += !exited_with(st, n);
		buf_free(&out);
		buf_free(&err);
		st = run((const char *const[]){ "-r", "-t", "50", "-e", "7", "@", "helper", "exit",
						num, NULL },
			 &out, &err);
		bad_relay += !exited_with(st, n);
		buf_free(&out);
		buf_free(&err);
	}
	CHECK(bad_direct == 0, "%d of 256 exit codes wrong in direct mode", bad_direct);
	CHECK(bad_relay == 0, "%d of 256 exit codes wrong in relay mode", bad_relay);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		snprintf(num, sizeof(num), "%d", sigs[i]);
		st = run((const char *const[]){ "@", "helper", "kill", num, NULL }, &out, &err);
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == sigs[i], "direct, signal %d: %#x", sigs[i], st);
		buf_free(&out);
		buf_free(&err);
		st = run((const char *const[]){ "-r", "-t", "50", "-e", "7", "@", "helper", "kill", num,
						NULL },
			 &out, &err);
		CHECK(exited_with(st, 128 + sigs[i]), "relay, signal %d: %#x", sigs[i], st);
		buf_free(&out);
		buf_free(&err);
	}
}

static void t_exec_failures(void)
{
	struct buf out = { 0 }, err = { 0 };
	char plain[PATH_MAX];
	int st, fd, relay;

	snprintf(plain, sizeof(plain), "%s/not-executable", dir);
	fd = open(plain, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	close(fd);
	for (relay = 0; relay < 2; relay++) {
		const char *mode = relay ? "-r" : "--";

		st = run((const char *const[]){ mode, "/nonexistent/prog", NULL }, &out, &err);
		CHECK(exited_with(st, 127) &&
			      !strcmp(err.p ? err.p : "",
				      "vsockexec: /nonexistent/prog: No such file or directory\n"),
		      "%s missing program: %#x [%s]", mode, st, err.p ? err.p : "");
		buf_free(&out);
		buf_free(&err);
		st = run((const char *const[]){ mode, plain, NULL }, &out, &err);
		CHECK(exited_with(st, 126) && err.p && strstr(err.p, "Permission denied"),
		      "%s not executable: %#x [%s]", mode, st, err.p ? err.p : "");
		buf_free(&out);
		buf_free(&err);
	}
}

static void t_no_listener(void)
{
	struct buf out = { 0 }, err = { 0 };
	int st;

	st = run((const char *const[]){ "-t", "500", "-o", "11", "-e", "11", "@", "helper", "echo",
					"hello", NULL },
		 &out, &err);
	CHECK(exited_with(st, 0), "status %#x", st);
	CHECK(out.p && !strcmp(out.p, "hello\n"), "stdout stays inherited: [%s]", out.p);
	CHECK(err.p && !strcmp(err.p, "vsockexec: port 11: No such file or directory; "
				      "stdout,stderr left as inherited\nE:hello\n"),
	      "stderr: [%s]", err.p);
	buf_free(&out);
	buf_free(&err);
	st = run((const char *const[]){ "-r", "-t", "100", "-o", "11", "@", "helper", "echo",
					"hello", NULL },
		 &out, &err);
	CHECK(exited_with(st, 0), "relay: status %#x", st);
	CHECK(out.len == 0, "relay: stdout went to the relay: [%s]", out.p);
	CHECK(two_lines(&err, "vsockexec: port 11: No such file or directory; relaying when the "
			      "host listens (newest 1048576 bytes kept)\n", "E:hello\n"),
	      "relay: stderr: [%s]", err.p);
	buf_free(&out);
	buf_free(&err);
}

/* a listener whose backlog is full: connects cannot complete */
static int full_listener(uint32_t port, int *dummies, int max)
{
	int lfd = listen_port(port, 0), n = 0;
	struct sockaddr_un sa;

	sock_path(&sa, port);
	while (n < max) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			close(fd);
			break;
		}
		dummies[n++] = fd;
	}
	return lfd;
}

static void t_never_accepts(void)
{
	struct buf out = { 0 }, err = { 0 };
	int dummies[8], nd, lfd, st, i;

	lfd = full_listener(12, dummies, 8);
	for (nd = 0; nd < 8 && dummies[nd] >= 0; nd++) {
	}
	st = run((const char *const[]){ "-t", "300", "-o", "12", "@", "helper", "echo", "hi", NULL },
		 &out, &err);
	CHECK(exited_with(st, 0), "status %#x", st);
	CHECK(out.p && !strcmp(out.p, "hi\n"), "the program ran on inherited stdout: [%s]", out.p);
	CHECK(err.p && !strcmp(err.p, "vsockexec: port 12: Operation timed out; stdout left as "
				      "inherited\nE:hi\n"),
	      "stderr: [%s]", err.p);
	buf_free(&out);
	buf_free(&err);
	st = run((const char *const[]){ "-r", "-t", "300", "-o", "12", "@", "helper", "echo", "hi",
					NULL },
		 &out, &err);
	CHECK(exited_with(st, 0), "relay: status %#x", st);
	CHECK(two_lines(&err, "vsockexec: port 12: Resource temporarily unavailable; relaying when "
			      "the host listens (newest 1048576 bytes kept)\n", "E:hi\n"),
	      "relay: stderr: [%s]", err.p);
	buf_free(&out);
	buf_free(&err);
	for (i = 0; i < 8 && i < nd; i++)
		close(dummies[i]);
	unlisten(lfd, 12);
}

static void t_accepts_never_reads(void)
{
	struct buf out = { 0 }, err = { 0 }, got = { 0 };
	const char *const args[] = { "-r", "-t", "200", "-o", "13", "@", "helper", "flood",
				     "8388608", NULL };
	int lfd = listen_port(13, 4), c, st;
	struct run r = spawn(0, args);

	c = accept_one(lfd);
	/* not a byte read until vsockexec is gone */
	st = finish(&r, &out, &err);
	CHECK(exited_with(st, 5), "the program's own status: %#x", st);
	CHECK(err.p && !strcmp(err.p, "written=8388608\n"), "the program wrote it all: [%s]", err.p);
	read_to_eof(c, &got);
	CHECK(got.len < 8388608, "a stuck host holds only what fits: %zu", got.len);
	close(c);
	unlisten(lfd, 13);
	buf_free(&out);
	buf_free(&err);
	buf_free(&got);
}

/* Walks a relayed stream of pat() bytes: data must continue the pattern, and each drop
 * line must skip exactly the bytes it counts. */
struct walk {
	uint64_t pos, bad, lines, tail; /* tail: data bytes after the last line */
};

static struct walk walk_stream(const struct buf *b, uint64_t from)
{
	struct walk w = { from, 0, 0, 0 };
	size_t i = 0;

	while (i < b->len) {
		unsigned long long n;
		const char *end = dropline_parse(b->p + i, &n); /* b->p is NUL-terminated */

		if (end && *end == '\n') {
			w.pos += n;
			w.lines++;
			w.tail = 0;
			i = (size_t)(end + 1 - b->p);
			continue;
		}
		w.bad += (unsigned char)b->p[i] != pat(w.pos);
		w.pos++;
		w.tail++;
		i++;
	}
	return w;
}

/* Starts an 8 MiB flood relayed to port (listened on by lfd), accepts its connection
 * into *c and reads nothing from it until the program has written everything and the
 * relay has had 200 ms to take the rest out of the pipe (so all drops are made). */
static struct run flood_unread(int lfd, const char *port, int *c)
{
	struct run r = spawn(0, (const char *const[]){ "-r", "-t", "5000", "-o", port, "@",
							   "helper", "flood", "8388608", NULL });
	char b[512];

	*c = accept_one(lfd);
	/* stderr is not relayed: the program says there when it has written everything */
	read_until(r.err, b, sizeof(b), "\n");
	CHECK(!strcmp(b, "written=8388608\n"), "the program wrote it all, the host reading nothing: [%s]",
	      b);
	nanosleep(&(struct timespec){ 0, 200000000 }, NULL);
	return r;
}

/* A host that stops reading holds nothing up: the program writes 8 MiB and exits
 * while the host reads nothing. When the host reads again the stream is exact: each
 * gap is announced with its size, and at least the newest RING bytes close it. */
static void t_stalled_host_resumes(void)
{
	const uint64_t total = 8ull << 20;
	struct buf out = { 0 }, err = { 0 }, got = { 0 };
	int lfd = listen_port(19, 4), c, st;
	struct run r = flood_unread(lfd, "19", &c);
	struct walk w;

	read_to_eof(c, &got);
	st = finish(&r, &out, &err);
	CHECK(exited_with(st, 5) && !err.len, "status %#x [%s]", st, err.p);
	w = walk_stream(&got, 0);
	CHECK(w.pos == total && w.bad == 0, "the stream accounts for %llu of %llu bytes, %llu differ",
	      (unsigned long long)w.pos, (unsigned long long)total, (unsigned long long)w.bad);
	CHECK(w.lines == 1 && w.tail >= RING, "%llu drop lines (one gap), %llu bytes after it",
	      (unsigned long long)w.lines, (unsigned long long)w.tail);
	close(c);
	unlisten(lfd, 19);
	buf_free(&out);
	buf_free(&err);
	buf_free(&got);
}

/* A connection that ends while the drop line waits for room: the host stops reading
 * during a flood, so the relay has dropped bytes and its drop line is pending on a full
 * socket, then closes without reading. The line's count must come back on the next
 * connection: the bytes left unread in the first plus the second's stream make exactly
 * what the program wrote. */
static void t_cut_line_carried(void)
{
	const uint64_t total = 8ull << 20;
	struct buf out = { 0 }, err = { 0 }, got = { 0 };
	int lfd = listen_port(25, 4), c, st, unread = -1;
	struct run r = flood_unread(lfd, "25", &c);
	struct walk w;

	/* the relay has dropped and tried to say so; nothing frees room, so what the first
	 * connection holds stays as it is until the close */
	CHECK(ioctl(c, FIONREAD, &unread) == 0 && unread > 0, "the first connection holds %d bytes",
	      unread);
	close(c);
	c = accept_one(lfd);
	read_to_eof(c, &got);
	st = finish(&r, &out, &err);
	CHECK(exited_with(st, 5) && !err.len, "status %#x [%s]", st, err.p);
	w = walk_stream(&got, unread > 0 ? (uint64_t)unread : 0);
	CHECK(w.pos == total && w.bad == 0,
	      "unread %d + the second connection account for %llu of %llu bytes, %llu differ",
	      unread, (unsigned long long)w.pos, (unsigned long long)total,
	      (unsigned long long)w.bad);
	CHECK(w.lines >= 1, "%llu drop lines on the second connection", (unsigned long long)w.lines);
	close(c);
	unlisten(lfd, 25);
	buf_free(&out);
	buf_free(&err);
	buf_free(&got);
}

/* -w bounds the hold: against a host that never reads, a 4 MiB write outlasts a
 * -w 1000 hold (the only one: that host takes nothing), and with -w 0 the relay never
 * holds, so the writes end long before (one wide bound); the stream stays exact. */
static void t_hold_option(void)
{
	static const char *const holds[] = { "1000", "0" };
	size_t h;

	for (h = 0; h < 2; h++) {
		struct buf out = { 0 }, err = { 0 }, got = { 0 };
		int lfd = listen_port(27, 4), c, st;
		struct run r = spawn(0, (const char *const[]){ "-r", "-w", holds[h], "-o", "27",
								   "@", "helper", "timed", "4194304",
								   NULL });
		char b[64];
		long ms = -1;
		struct walk w;

		c = accept_one(lfd);
		read_until(r.err, b, sizeof(b), "\n");
		sscanf(b, "ms=%ld", &ms);
		if (h == 0)
			CHECK(ms >= 1000, "-w 1000: the writes took %ld ms", ms);
		else
			CHECK(ms >= 0 && ms < 500, "-w 0: the writes took %ld ms", ms);
		read_to_eof(c, &got);
		st = finish(&r, &out, &err);
		CHECK(exited_with(st, 0), "-w %s: status %#x", holds[h], st);
		w = walk_stream(&got, 0);
		CHECK(w.pos == 4194304 && w.bad == 0 && w.lines >= 1,
		      "-w %s: %llu drop lines, the stream accounts for %llu bytes, %llu differ",
		      holds[h], (unsigned long long)w.lines, (unsigned long long)w.pos,
		      (unsigned long long)w.bad);
		close(c);
		unlisten(lfd, 27);
		buf_free(&out);
		buf_free(&err);
		buf_free(&got);
	}
}

/* A flood against a host reading flat out: whether the relay holds the program or,
 * should this reader fall behind, drops, the stream says so exactly, gap by gap. */
static void t_flood_reading_host(void)
{
	const uint64_t total = 64ull << 20;
	struct buf out = { 0 }, err = { 0 }, got = { 0 };
	int lfd = listen_port(18, 4), c, st;
	struct run r = spawn(0, (const char *const[]){ "-r", "-o", "18", "@", "helper", "flood",
							   "67108864", NULL });
	struct walk w;

	c = accept_one(lfd);
	read_to_eof(c, &got);
	st = finish(&r, &out, &err);
	CHECK(exited_with(st, 5) && err.p && !strcmp(err.p, "written=67108864\n"), "status %#x [%s]",
	      st, err.p);
	w = walk_stream(&got, 0);
	CHECK(w.pos == total && w.bad == 0, "the stream accounts for %llu of %llu bytes, %llu differ",
	      (unsigned long long)w.pos, (unsigned long long)total, (unsigned long long)w.bad);
	close(c);
	unlisten(lfd, 18);
	buf_free(&out);
	buf_free(&err);
	buf_free(&got);
}

/* A slow host does not set the program's pace: it reads 64 KiB per 10 ms while the
 * program writes 16 MiB, which the program finishes long before such a host could take
 * it (a relay that waited on the host would make it last 2.5 s). */
static void t_slow_host_does_not_pace(void)
{
	struct buf out = { 0 }, err = { 0 }, got = { 0 };
	int lfd = listen_port(24, 4), c, st;
	struct run r = spawn(0, (const char *const[]){ "-r", "-o", "24", "@", "helper", "flood",
							   "16777216", NULL });
	char b[65536], e[256];
	size_t n_err = 0, at_done = 0;
	ssize_t k;
	struct walk w;

	c = accept_one(lfd);
	e[0] = 0;
	for (;;) {
		struct pollfd p = { .fd = r.err, .events = POLLIN };

		if (poll(&p, 1, 10) > 0) {
			k = read(r.err, e + n_err, sizeof(e) - 1 - n_err);
			if (k <= 0)
				break;
			n_err += (size_t)k;
			e[n_err] = 0;
			if (strchr(e, '\n'))
				break;
			continue;
		}
		k = read(c, b, sizeof(b));
		if (k <= 0)
			break;
		buf_add(&got, b, (size_t)k);
	}
	at_done = got.len;
	CHECK(!strcmp(e, "written=16777216\n"), "the program finished: [%s]", e);
	CHECK(at_done < (4u << 20), "the host had read %zu bytes when the program was done", at_done);
	read_to_eof(c, &got);
	st = finish(&r, &out, &err);
	CHECK(exited_with(st, 5) && !err.len, "status %#x [%s]", st, err.p);
	w = walk_stream(&got, 0);
	CHECK(w.pos == (16u << 20) && w.bad == 0 && w.lines >= 1,
	      "the stream accounts for %llu bytes (%llu differ) in %llu gaps",
	      (unsigned long long)w.pos, (unsigned long long)w.bad, (unsigned long long)w.lines);
	close(c);
	unlisten(lfd, 24);
	buf_free(&out);
	buf_free(&err);
	buf_free(&got);
}

/* A host that keeps up loses nothing: the program writes 16 MiB in 256 KiB steps, each
 * once the host has read the last, so no more than fits the pipe is ever in flight. */
static void t_keeping_up_loses_nothing(void)
{
	const uint64_t total = 16ull << 20, step = 256u << 10;
	char go[PATH_MAX], tot[32], st_arg[32];
	struct buf out = { 0 }, err = { 0 }, got = { 0 };
	int lfd, c, st, gofd = -1;
	uint64_t off, bad = 0;
	size_t i;
	struct run r;

	make_fifo(go, "paced");
	snprintf(tot, sizeof(tot), "%llu", (unsigned long long)total);
	snprintf(st_arg, sizeof(st_arg), "%llu", (unsigned long long)step);
	lfd = listen_port(23, 4);
	r = spawn(0, (const char *const[]){ "-r", "-o", "23", "@", "helper", "paced", go, tot,
						st_arg, NULL });
	gofd = open(go, O_WRONLY | O_CLOEXEC);
	if (gofd < 0)
		DIE("paced: go");
	c = accept_one(lfd);
	for (off = 0; off < total; off += step) {
		read_n(c, &got, (size_t)(off + step));
		if (got.len < off + step || write(gofd, "x", 1) != 1)
			break; /* short: the checks below say so */
	}
	close(gofd);
	read_to_eof(c, &got);
	st = finish(&r, &out, &err);
	CHECK(exited_with(st, 6) && !err.len, "status %#x [%s]", st, err.p);
	for (i = 0; i < got.len; i++)
		bad += (unsigned char)got.p[i] != pat(i);
	CHECK(got.len == total && bad == 0, "%zu of %llu bytes, %llu differ", got.len,
	      (unsigned long long)total, (unsigned long long)bad);
	close(c);
	unlisten(lfd, 23);
	unlink(go);
	buf_free(&out);
	buf_free(&err);
	buf_free(&got);
}

/* stdout and stderr on two ports: two connections, each stream on its own */
static void t_two_ports(void)
{
	int l1 = listen_port(21, 4), l2 = listen_port(22, 4), c1, c2, st, relay;
	struct buf out = { 0 }, err = { 0 }, g1 = { 0 }, g2 = { 0 };

	for (relay = 0; relay < 2; relay++) {
		const char *m = relay ? "-r" : "--";
		struct run r = spawn(0, (const char *const[]){ "-o", "21", "-e", "22", m, "@",
								   "helper", "echo", "hello", NULL });

		c1 = accept_one(l1);
		c2 = accept_one(l2);
		read_to_eof(c1, &g1);
		read_to_eof(c2, &g2);
		st = finish(&r, &out, &err);
		CHECK(exited_with(st, 0) && !out.len && !err.len, "%s: %#x [%s]", m, st, err.p);
		CHECK(g1.p && !strcmp(g1.p, "hello\n"), "%s: port 21 got [%s]", m, g1.p);
		CHECK(g2.p && !strcmp(g2.p, "E:hello\n"), "%s: port 22 got [%s]", m, g2.p);
		close(c1);
		close(c2);
		buf_free(&out);
		buf_free(&err);
		buf_free(&g1);
		buf_free(&g2);
	}
	unlisten(l1, 21);
	unlisten(l2, 22);
}

static void t_connected(void)
{
	struct buf out = { 0 }, err = { 0 }, got = { 0 };
	int lfd = listen_port(14, 4), c, st, relay;
	struct run r;

	/* one port for stdin, stdout and stderr: one connection */
	r = spawn(0, (const char *const[]){ "-i", "14", "-o", "14", "-e", "14", "@", "helper",
						"cat", NULL });
	c = accept_one(lfd);
	CHECK(write(c, "ping\n", 5) == 5, "write");
	shutdown(c, SHUT_WR);
	read_to_eof(c, &got);
	close(c);
	st = finish(&r, &out, &err);
	CHECK(exited_with(st, 0) && !out.len && !err.len, "cat: %#x [%s]", st, err.p);
	CHECK(got.p && !strcmp(got.p, "ping\n"), "cat over one connection: [%s]", got.p);
	fcntl(lfd, F_SETFL, O_NONBLOCK);
	CHECK(accept(lfd, NULL, NULL) < 0 && errno == EAGAIN, "a second connection was made");
	fcntl(lfd, F_SETFL, 0);
	buf_free(&out);
	buf_free(&err);
	buf_free(&got);
	for (relay = 0; relay < 2; relay++) {
		const char *m = relay ? "-r" : "--";

		r = spawn(0, (const char *const[]){ "-o", "14", "-e", "14", m, "@", "helper",
							"fds", NULL });
		c = accept_one(lfd);
		read_to_eof(c, &got);
		close(c);
		st = finish(&r, &out, &err);
		CHECK(exited_with(st, 0), "%s fds: %#x", m, st);
		CHECK(got.p && !strcmp(got.p, "fds=0,1,2\n"), "%s: the program's fds: [%s]", m, got.p);
		buf_free(&got);
		buf_free(&out);
		buf_free(&err);
		r = spawn(ENV_MASKED, (const char *const[]){ "-o", "14", m, "@", "helper", "sigstate", NULL });
		c = accept_one(lfd);
		read_to_eof(c, &got);
		close(c);
		st = finish(&r, &out, &err);
		CHECK(exited_with(st, 0), "%s sigstate: %#x", m, st);
		CHECK(got.p && !strcmp(got.p, "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n"),
		      "%s: the program's signal state: [%s]", m, got.p);
		buf_free(&got);
		buf_free(&out);
		buf_free(&err);
	}
	unlisten(lfd, 14);
}

static void t_drop_and_return(void)
{
	const uint64_t total = 2 * RING + 12345;
	char go[PATH_MAX], done[PATH_MAX], tot[32], line[64], c1;
	struct buf out = { 0 }, err = { 0 }, got = { 0 };
	int lfd, c, st, gofd, donefd;
	struct run r;
	size_t ll, i, bad = 0;

	make_fifo(go, "go");
	make_fifo(done, "done");
	snprintf(tot, sizeof(tot), "%llu", (unsigned long long)total);
	lfd = listen_port(15, 4);
	r = spawn(0, (const char *const[]){ "-r", "-o", "15", "@", "helper", "phases", go, done,
						tot, NULL });
	c = accept_one(lfd);
	read_n(c, &got, 7);
	CHECK(got.p && !strcmp(got.p, "before\n"), "first connection: [%s]", got.p);
	buf_free(&got);
	/* the host goes away; the program writes 2 MiB + 12345 bytes meanwhile */
	close(c);
	unlisten(lfd, 15);
	gofd = open(go, O_WRONLY | O_CLOEXEC);
	CHECK(write(gofd, "x", 1) == 1, "go");
	donefd = open(done, O_RDONLY | O_CLOEXEC);
	CHECK(read(donefd, &c1, 1) == 1, "done");
	/* the relay holds the newest RING bytes; the host comes back */
	lfd = listen_port(15, 4);
	c = accept_one(lfd);
	CHECK(write(gofd, "x", 1) == 1, "go again");
	read_to_eof(c, &got);
	st = finish(&r, &out, &err);
	CHECK(exited_with(st, 9), "status %#x", st);
	ll = (size_t)snprintf(line, sizeof(line), "vsockexec: dropped %llu bytes\n",
			      (unsigned long long)(total - RING));
	CHECK(got.len == ll + RING + 6, "after the reconnect: %zu bytes, want %zu", got.len,
	      ll + RING + 6);
	CHECK(got.len >= ll && !memcmp(got.p, line, ll), "the drop line: [%.60s]", got.p);
	for (i = 0; got.len == ll + RING + 6 && i < RING; i++)
		bad += (unsigned char)got.p[ll + i] != pat(total - RING + i);
	CHECK(bad == 0, "%zu bytes of the kept data differ", bad);
	CHECK(got.len >= 6 && !memcmp(got.p + got.len - 6, "after\n", 6), "data after the reconnect");
	close(c);
	close(gofd);
	close(donefd);
	unlisten(lfd, 15);
	buf_free(&out);
	buf_free(&err);
	buf_free(&got);
}

/* The program writes 1 MiB and exits while its child still holds stdout. vsockexec
 * stays while that output is buffered (the host reads nothing yet), exits with the
 * program's status once it is out (not after the -t flush window), and the child's
 * later output still reaches the host: nobody is left writing to a pipe nobody reads. */
static void t_lingering_writer(void)
{
	const size_t n = 1u << 20;
	char go[PATH_MAX];
	struct buf got = { 0 };
	struct timespec t0, t1;
	double waited;
	int lfd, c, st, gofd;
	size_t i, bad = 0;
	struct run r;
	pid_t early;

	make_fifo(go, "linger");
	lfd = listen_port(26, 4);
	/* -i: its warning (stdin is not relayed) makes vsockexec open its stderr for
	 * itself before the relay starts, an fd the background relay must let go of */
	r = spawn(0, (const char *const[]){ "-r", "-i", "36", "-t", "20000", "-o", "26", "-e",
					    "26", "@", "helper", "linger", go, "1048576", NULL });
	c = accept_one(lfd);
	nanosleep(&(struct timespec){ 0, 300000000 }, NULL);
	early = waitpid(r.pid, &st, WNOHANG);
	CHECK(early == 0, "vsockexec stays while the output is buffered");
	read_n(c, &got, 6 + n);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (early == 0)
		st = wait_status(r.pid);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	waited = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	CHECK(exited_with(st, 7), "the program's status: %#x", st);
	CHECK(waited < 10, "vsockexec exited %.1f s after its output was read (flush window 20 s)",
	      waited);
	/* vsockexec's own stdout and stderr end with it: no relay left behind holds them */
	CHECK(hung_up(r.out) && hung_up(r.err), "vsockexec's stdout and stderr closed");
	/* only now, vsockexec gone, does the child write */
	gofd = open(go, O_WRONLY | O_CLOEXEC);
	CHECK(gofd >= 0 && write(gofd, "x", 1) == 1, "go");
	read_to_eof(c, &got);
	CHECK(got.len == 6 + n + 11 && !memcmp(got.p, "early\n", 6) &&
	      !memcmp(got.p + 6 + n, "late\nalive\n", 11),
	      "the program's output and then the child's: %zu bytes [%.6s...%.11s]", got.len,
	      got.p ? got.p : "", got.len >= 11 ? got.p + got.len - 11 : "");
	for (i = 0; got.len == 6 + n + 11 && i < n; i++)
		bad += (unsigned char)got.p[6 + i] != pat(i);
	CHECK(bad == 0, "%zu bytes of the program's output differ", bad);
	close(gofd);
	close(c);
	close(r.out);
	close(r.err);
	unlisten(lfd, 26);
	buf_free(&got);
}

/* -t 0 in relay mode: each connect gets one pass of the loop, and a host that is
 * there gets the output (the deadline used to close even a connect that had
 * succeeded, so nothing ever arrived). */
static void t_relay_no_wait(void)
{
	struct buf out = { 0 }, err = { 0 }, got = { 0 };
	int lfd = listen_port(30, 4), c, st;
	struct run r = spawn(0, (const char *const[]){ "-r", "-t", "0", "-o", "30", "@", "helper",
						   "echo", "zero", NULL });

	c = accept_one(lfd);
	read_to_eof(c, &got);
	st = finish(&r, &out, &err);
	CHECK(exited_with(st, 0), "status %#x", st);
	CHECK(got.p && !strcmp(got.p, "zero\n"), "-r -t 0: the host got [%s]", got.p);
	close(c);
	unlisten(lfd, 30);
	buf_free(&out);
	buf_free(&err);
	buf_free(&got);
}

/* vsockexec started with SIGCHLD ignored still sees its program exit and returns its
 * status (an ignored SIGCHLD would have the kernel reap it unseen). */
static void t_sigchld_ignored(void)
{
	int lfd = listen_port(29, 4), c, st = 0, i;
	struct run r = spawn(ENV_CHLD_IGNORED, (const char *const[]){ "-r", "-o", "29", "@",
								    "helper", "exit", "3", NULL });
	pid_t w = 0;

	c = accept_one(lfd);
	for (i = 0; i < 1000 && (w = waitpid(r.pid, &st, WNOHANG)) == 0; i++)
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	if (w == 0) {
		kill(r.pid, SIGKILL);
		wait_status(r.pid);
	}
	CHECK(w == r.pid && exited_with(st, 3), "status %#x within 10 s", st);
	close(c);
	close(r.out);
	close(r.err);
	unlisten(lfd, 29);
}

/* A hold episode ends when the relay has caught up. Here a first hold (-w 1000) ends
 * as the host reads, long before its window; after a quiet spell longer than the
 * window the host stalls 300 ms during a 2 MiB write: a new hold must cover it (the
 * stale episode, with little taken since it began, used to count this host as slow at
 * once and drop). */
static void t_episode_ends(void)
{
	const uint64_t n1 = 600 * 1024, n2 = 2u << 20;
	char go[PATH_MAX], a1[32], a2[32];
	struct buf out = { 0 }, err = { 0 }, got = { 0 };
	int lfd, c, st, gofd;
	struct run r;
	struct walk w;

	make_fifo(go, "twice");
	snprintf(a1, sizeof(a1), "%llu", (unsigned long long)n1);
	snprintf(a2, sizeof(a2), "%llu", (unsigned long long)n2);
	lfd = listen_port(28, 4);
	r = spawn(0, (const char *const[]){ "-r", "-w", "1000", "-o", "28", "@", "helper", "twice",
					    go, a1, a2, NULL });
	c = accept_one(lfd);
	nanosleep(&(struct timespec){ 0, 100000000 }, NULL); /* the socket fills: a hold */
	read_n(c, &got, n1);
	nanosleep(&(struct timespec){ 1, 300000000 }, NULL); /* quiet, past the window */
	gofd = open(go, O_WRONLY | O_CLOEXEC);
	CHECK(gofd >= 0 && write(gofd, "x", 1) == 1, "go");
	nanosleep(&(struct timespec){ 0, 300000000 }, NULL); /* the host stalls */
	read_to_eof(c, &got);
	st = finish(&r, &out, &err);
	CHECK(exited_with(st, 0), "status %#x [%s]", st, err.p);
	w = walk_stream(&got, 0);
	CHECK(w.pos == n1 + n2 && w.bad == 0 && w.lines == 0,
	      "%llu drop lines, the stream accounts for %llu of %llu bytes, %llu differ",
	      (unsigned long long)w.lines, (unsigned long long)w.pos,
	      (unsigned long long)(n1 + n2), (unsigned long long)w.bad);
	close(gofd);
	close(c);
	unlisten(lfd, 28);
	buf_free(&out);
	buf_free(&err);
	buf_free(&got);
}

static bool sigpipe_ignored(pid_t pid)
{
	unsigned long long ign = 0;
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "SigIgn:", 7))
			ign = strtoull(line + 7, NULL, 16);
	if (f)
		fclose(f);
	return ign & (1ull << (SIGPIPE - 1));
}

static void t_reconnects(void)
{
	enum { CYCLES = 10000 };
	struct buf out = { 0 }, err = { 0 };
	int lfd = listen_port(16, 4), c, st, i, first = -1, fds, changed = 0;
	struct run r = spawn(0, (const char *const[]){ "-r", "-o", "16", "@", "helper", "yes",
							   NULL });
	char b[16];

	for (i = 0; i < CYCLES; i++) {
		c = accept_one(lfd);
		if (read(c, b, 1) != 1)
			CHECK(0, "cycle %d: no data", i);
		/* count while the relay is connected and idle-free: its steady fd set */
		if (i % 500 == 0 || i == CYCLES - 1) {
			fds = count_fds(r.pid);
			if (first < 0)
				first = fds;
			changed += fds != first;
		}
		close(c);
		if (i == CYCLES / 2) {
			/* a while with nobody listening: failed attempts must not leak either */
			unlisten(lfd, 16);
			nanosleep(&(struct timespec){ 0, 200 * 1000000 }, NULL);
			lfd = listen_port(16, 4);
		}
	}
	CHECK(sigpipe_ignored(r.pid), "SIGPIPE is not ignored in the relay");
	CHECK(first > 0 && changed == 0, "the relay's fd count moved from %d (%d samples differ)",
	      first, changed);
	kill(r.pid, SIGTERM);
	st = finish(&r, &out, &err);
	CHECK(exited_with(st, 128 + SIGTERM), "SIGTERM reached the program: %#x", st);
	unlisten(lfd, 16);
	buf_free(&out);
	buf_free(&err);
}

static void t_forward_signals(void)
{
	static const int sig[2] = { SIGTERM, SIGINT };
	struct buf out = { 0 }, err = { 0 };
	int i, st;

	for (i = 0; i < 2; i++) {
		struct run r = spawn(0, (const char *const[]){ "-r", "-t", "100", "-o", "17", "@",
								   "helper", "trap", NULL });
		char b[512];

		/* stderr is not relayed here: wait for the program's "ready" on it */
		buf_add(&err, b, read_until(r.err, b, sizeof(b), "ready\n"));
		kill(r.pid, sig[i]);
		st = finish(&r, &out, &err);
		CHECK(exited_with(st, 42 + i), "signal %d forwarded: %#x", sig[i], st);
		buf_free(&out);
		buf_free(&err);
	}
}

static void cleanup(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "vxtest: could not remove %s\n", dir);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} tests[] = {
		{ "usage", t_usage },
		{ "exec failures", t_exec_failures },
		{ "no listener", t_no_listener },
		{ "stderr a full pipe or socket nobody reads: no wait", t_full_stderr },
		{ "stderr a pipe with no reader: no SIGPIPE", t_dead_stderr },
		{ "listener that never accepts", t_never_accepts },
		{ "listener that accepts and never reads", t_accepts_never_reads },
		{ "connected: shared port, fds, signal state", t_connected },
		{ "stdout and stderr on two ports", t_two_ports },
		{ "a host that keeps up loses nothing (16 MiB)", t_keeping_up_loses_nothing },
		{ "a flood against a reading host: exact gaps (64 MiB)", t_flood_reading_host },
		{ "a slow host does not set the program's pace", t_slow_host_does_not_pace },
		{ "-w bounds the hold; -w 0 never holds", t_hold_option },
		{ "a hold episode ends when the relay catches up", t_episode_ends },
		{ "-r -t 0 still relays", t_relay_no_wait },
		{ "SIGCHLD ignored by vsockexec's parent", t_sigchld_ignored },
		{ "a stalled host reads again: exact gaps", t_stalled_host_resumes },
		{ "host drops and comes back", t_drop_and_return },
		{ "a pending drop line's count outlives its connection", t_cut_line_carried },
		{ "a writer outlives the program: vsockexec exits, the relay goes on",
		  t_lingering_writer },
		{ "10000 reconnects, constant fds", t_reconnects },
		{ "SIGTERM and SIGINT forwarded", t_forward_signals },
		{ "exit codes 0-255 and signals", t_exit_codes },
	};
	size_t i;

	if (argc > 2 && !strcmp(argv[1], "helper"))
		return helper(argc, argv);
	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: vxtest VSOCKEXEC [WORD]\n");
		return 2;
	}
	vx = argv[1];
	if (!realpath("/proc/self/exe", self) || !mkdtemp(dir))
		DIE("setup");
	snprintf(uds, sizeof(uds), "%s/v", dir);
	setenv("UVMINIT_TEST_UDS", uds, 1);
	signal(SIGPIPE, SIG_IGN);
	alarm(120); /* a safety net only: a hung vsockexec fails the step */
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		int before = failures;

		if (argc == 3 && !strstr(tests[i].name, argv[2]))
			continue;
		tests[i].fn();
		printf("%s vsockexec: %s\n", failures == before ? "ok  " : "FAIL", tests[i].name);
		fflush(stdout);
	}
	cleanup();
	printf("vsockexec: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
