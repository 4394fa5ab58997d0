/* vsockexec: connect a program's stdio to host vsock ports, then run it.
 * See docs/vsockexec.md. Two phases: before the program starts, vsockexec may fail
 * (usage 125); once it runs, vsockexec never holds it back and mirrors its status. */
#include "args.h"
#include "clock.h"
#include "fmt.h"
#include "ksig.h"
#include "relay.h"
#include "transport.h"
#include "vxlog.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "version.h"

#define EXIT_USAGE 125
#define EXIT_CANNOT_EXEC 126
#define EXIT_NOT_FOUND 127

static const char *const stream_name[3] = { "stdin", "stdout", "stderr" };
static const int forwarded[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };

static const char usage_text[] =
	"usage: vsockexec [-r] [-i PORT] [-o PORT] [-e PORT] [-t MS] [-w MS] [-c CID] [--] PROGRAM [ARGS...]\n"
	"Connect PROGRAM's stdin/stdout/stderr to host vsock ports and run it.\n"
	"  -i PORT  stdin from PORT       -o PORT  stdout to PORT       -e PORT  stderr to PORT\n"
	"           (the same PORT given twice shares one connection; PORT is 1..4294967294)\n"
	"  -r       relay: start PROGRAM at once; a relay forwards its stdout/stderr and\n"
	"           reconnects with backoff (10..1000 ms), keeping the newest 1048576 bytes\n"
	"           per port while the host is away, a gap marked by one line\n"
	"           \"vsockexec: dropped N bytes\"; stdin is not relayed\n"
	"  -t MS    connect timeout, 0..600000, default 1000: bounds all connects before\n"
	"           PROGRAM starts, each relay attempt, and the final flush in relay mode\n"
	"  -w MS    -r: the longest PROGRAM waits on a host that is slow to read, 0..1000,\n"
	"           default 50 (renewed only while the host takes 20 MiB/s); 0: never,\n"
	"           the newest bytes are kept and the oldest dropped instead\n"
	"  -c CID   host CID, default 2\n"
	"  -h, --help       this text      -V, --version    the version\n"
	"A port that cannot be reached in time leaves that stream as inherited (one line on\n"
	"stderr says why). Exit: PROGRAM's status, 128+N if killed by signal N (-r), 125 usage\n"
	"error, 126 PROGRAM not executable, 127 PROGRAM not found.\n";

/* Makes sure fds 0-2 exist, so no socket or pipe of ours lands on one by accident. */
static void open_std_fds(void)
{
	int fd;

	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= 2) {
	}
	if (fd > 2)
		close(fd);
}

/* The program gets default dispositions and an empty mask, whatever we inherited.
 * musl refuses signals 32-34 (its own); an inherited SIG_IGN there would survive exec,
 * so those go to the kernel directly. */
static void reset_signals(void)
{
	sigset_t none;
	int s;

	for (s = 1; s < NSIG; s++) {
		struct ksigaction dfl = { .handler = SIG_DFL };

		if (s == SIGKILL || s == SIGSTOP || signal(s, SIG_DFL) != SIG_ERR)
			continue;
		syscall(SYS_rt_sigaction, s, &dfl, NULL, sizeof(dfl.mask));
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Returns only on failure, with the exit code to use, the reason said on stderr. */
static int exec_program(char *const *argv)
{
	int err;

	reset_signals();
	execvp(argv[0], argv);
	err = errno;
	/* no program to hand SIGPIPE to: a stderr whose reader is gone must not turn
	 * the exit code (127, 126) into a death by SIGPIPE */
	signal(SIGPIPE, SIG_IGN);
	vx_warn("%s: %s", argv[0], strerror(err));
	return err == ENOENT || err == ENOTDIR ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC;
}

static void stream_list(const struct vx_args *a, uint32_t port, char *buf, size_t size)
{
	size_t used = 0;
	int fd;

	buf[0] = 0;
	for (fd = 0; fd < 3; fd++)
		if (a->port[fd] == port && used < size)
			used += (size_t)fmt_snprintf(buf + used, size - used, "%s%s", used ? "," : "",
						 stream_name[fd]);
}

/* Direct mode: connect each port (one deadline for all), put the sockets on 0-2, exec. */
static int run_direct(const struct vx_args *a, char *const *argv)
{
	int64_t deadline = clock_ms() + a->timeout_ms;
	int sock[3] = { -1, -1, -1 }, fd, j;

	for (fd = 0; fd < 3; fd++) {
		int64_t left = deadline - clock_ms();
		char names[32];

		if (!a->port[fd])
			continue;
		for (j = 0; j < fd; j++)
			if (a->port[j] == a->port[fd])
				break;
		if (j < fd) {
			if (sock[j] >= 0 && dup2(sock[j], fd) < 0)
				vx_warn("%s: dup2: %m", stream_name[fd]);
			continue;
		}
		sock[fd] = transport_connect(a->cid, a->port[fd], left > 0 ? (int)left : 0);
		if (sock[fd] < 0) {
			stream_list(a, a->port[fd], names, sizeof(names));
			vx_warn("port %" PRIu32 ": %s; %s left as inherited", a->port[fd],
				strerror(-sock[fd]), names);
			continue;
		}
		if (dup2(sock[fd], fd) < 0)
			vx_warn("%s: dup2: %m", stream_name[fd]);
	}
	for (fd = 0; fd < 3; fd++)
		if (sock[fd] > 2)
			close(sock[fd]);
	return exec_program(argv);
}

static int relay_child(const int *wr, char *const *argv)
{
	int fd;

	vx_log_keep(); /* an exec failure is said where vsockexec's stderr was */
	for (fd = 1; fd < 3; fd++)
		if (wr[fd] >= 0 && dup2(wr[fd], fd) < 0)
			return EXIT_USAGE;
	return exec_program(argv);
}

/* Relay mode: pipes for the output ports, the program in a child, the relay here. */
static int run_relay(const struct vx_args *a, char *const *argv)
{
	struct relay_cfg cfg = { .cid = a->cid, .timeout_ms = a->timeout_ms, .hold_ms = a->hold_ms };
	int wr[3] = { -1, -1, -1 }, fd, i, status;
	sigset_t set;
	size_t s;

	vx_log_open();
	if (a->port[0])
		vx_warn("-i %" PRIu32 ": stdin is not relayed in relay mode; left as inherited",
			a->port[0]);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (s = 0; s < sizeof(forwarded) / sizeof(forwarded[0]); s++)
		sigaddset(&set, forwarded[s]);
	sigprocmask(SIG_BLOCK, &set, NULL);
	/* an inherited SIG_IGN would reap the program unseen: no SIGCHLD, no status */
	signal(SIGCHLD, SIG_DFL);
	cfg.sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (cfg.sigfd < 0) {
		vx_warn("signalfd: %m");
		goto out;
	}
	for (fd = 1; fd < 3; fd++) {
		int p[2];

		if (!a->port[fd])
			continue;
		if (fd == 2 && a->port[2] == a->port[1]) {
			wr[2] = wr[1];
			continue;
		}
		if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0) {
			vx_warn("pipe: %m");
			goto close_pipes;
		}
		/* the program's end blocks as a terminal or file would */
		fcntl(p[1], F_SETFL, 0);
		fcntl(p[1], F_SETPIPE_SZ, RELAY_PIPE_SIZE);
		cfg.link[cfg.nlinks].port = a->port[fd];
		cfg.link[cfg.nlinks++].in = p[0];
		wr[fd] = p[1];
	}
	cfg.child = fork();
	if (cfg.child < 0) {
		vx_warn("fork: %m");
		goto close_pipes;
	}
	if (cfg.child == 0)
		_exit(relay_child(wr, argv));
	signal(SIGPIPE, SIG_IGN);
	for (fd = 1; fd < 3; fd++)
		if (wr[fd] >= 0 && (fd == 1 || wr[2] != wr[1]))
			close(wr[fd]);
	status = relay_run(&cfg);
	if (status < 0) {
		/* cannot relay any more: stay out of the program's way, mirror its status */
		vx_warn("relay: %s", strerror(-status));
		while (waitpid(cfg.child, &status, 0) < 0 && errno == EINTR) {
		}
	}
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
close_pipes:
	for (i = 0; i < cfg.nlinks; i++)
		close(cfg.link[i].in);
	for (fd = 1; fd < 3; fd++)
		if (wr[fd] >= 0 && (fd == 1 || wr[2] != wr[1]))
			close(wr[fd]);
	close(cfg.sigfd);
out:
	/* no relay: the program still runs, on what vsockexec inherited */
	vx_warn("relay unavailable; running %s with inherited stdio", argv[0]);
	return exec_program(argv);
}

int main(int argc, char **argv)
{
	struct vx_args a;

	if (vx_parse(&a, argc, argv)) {
		vx_warn("%s (try --help)", a.err);
		return EXIT_USAGE;
	}
	if (a.action == VX_HELP) {
		fputs(usage_text, stdout);
		return fflush(stdout) ? EXIT_USAGE : 0;
	}
	if (a.action == VX_VERSION) {
		fputs("vsockexec (uvminit) " UVMINIT_VERSION "\n", stdout);
		return fflush(stdout) ? EXIT_USAGE : 0;
	}
	open_std_fds();
	if (a.relay)
		return run_relay(&a, argv + a.prog);
	return run_direct(&a, argv + a.prog);
}
