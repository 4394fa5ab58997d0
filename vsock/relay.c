/* The relay loop: one poll over the signalfd, the program's pipes and the sockets.
 * Nothing here blocks: connects are started non-blocking and finished on POLLOUT, and
 * sockets are non-blocking. Fast path: connected and nothing buffered, splice(2) moves
 * pipe pages to the socket.
 *
 * The host sets the program's pace only while it keeps up: when the socket is full the
 * relay leaves the pipe unread (a hold, which loses nothing) for at most hold_ms (-w).
 * Holds belong to an episode, which ends when the relay has caught up (a splice left
 * the pipe empty). Within one, a new hold starts only if the host took hold_min bytes
 * (RELAY_HOLD_MIN_RATE over hold_ms) since the last one began; otherwise the host
 * counts as slow or stalled, and the relay reads the pipe into the ring (dropping the
 * oldest bytes when full) until the host has caught up with all of it. So the program
 * never waits on the host longer than hold_ms at a time, and no host makes it write
 * slower than RELAY_HOLD_MIN_RATE.
 * With hold_ms 0 the relay never holds: a full socket sends the pipe to the ring. */
#include "relay.h"
#include "backlog.h"
#include "clock.h"
#include "transport.h"
#include "vxlog.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SPLICE_MAX (1u << 20)

struct link {
	uint32_t port;
	int in;            /* pipe read end; -1 after EOF */
	int sock;          /* -1: not connected */
	bool pending;      /* connect under way on sock */
	bool warned;       /* the first failure was reported */
	int64_t deadline;  /* of the pending connect */
	int64_t retry_at;  /* next connect attempt */
	int delay;         /* next backoff, ms */
	uint64_t sent;     /* bytes sent on this connection */
	bool held;         /* socket full: the pipe is left unread until POLLOUT */
	int64_t ep_start;  /* this congestion episode began; -1: none */
	uint64_t ep_sent;  /* sent when it began */
	struct backlog bl; /* the ring and its drop lines */
};

static char ring_mem[RELAY_MAX_LINKS][RELAY_RING_SIZE];
static bool no_splice; /* a transport that cannot splice: copy through the ring */
static uint32_t hold_ms;   /* see above */
static uint64_t hold_min;
static char scratch[64 * 1024];

static bool has_backlog(const struct link *l)
{
	return backlog_pending(&l->bl);
}

static bool connected(const struct link *l)
{
	return l->sock >= 0 && !l->pending;
}

static bool held(const struct link *l)
{
	return connected(l) && l->held;
}

static void grow_backoff(struct link *l)
{
	l->delay = l->delay ? l->delay * 2 : RELAY_BACKOFF_MIN_MS;
	if (l->delay > RELAY_BACKOFF_MAX_MS)
		l->delay = RELAY_BACKOFF_MAX_MS;
}

/* Ends the connection (or attempt). A connection that carried data is retried at
 * once; a failed or empty one waits the next backoff step. */
static void drop_conn(struct link *l, int err, int64_t now)
{
	if (l->sock >= 0)
		close(l->sock);
	if (err && !l->warned) {
		l->warned = true;
		vx_warn("port %" PRIu32 ": %s; relaying when the host listens (newest %u bytes kept)",
			l->port, strerror(-err), RELAY_RING_SIZE);
	}
	if (l->sent && !err)
		l->delay = 0;
	else
		grow_backoff(l);
	l->sock = -1;
	l->pending = false;
	l->sent = 0;
	l->held = false;
	l->ep_start = -1;
	backlog_conn_end(&l->bl);
	l->retry_at = now + l->delay;
}

static void start_conn(struct link *l, uint32_t cid, uint32_t timeout_ms, int64_t now)
{
	int pending, fd = transport_connect_start(cid, l->port, &pending);

	if (fd < 0) {
		drop_conn(l, fd, now);
		return;
	}
	l->sock = fd;
	l->pending = pending;
	l->deadline = now + timeout_ms;
}

/* Reads once from the pipe into the ring. Returns false at EOF or error. */
static bool fill_ring(struct link *l)
{
	ssize_t n = read(l->in, scratch, sizeof(scratch));

	if (n > 0) {
		ring_write(&l->bl.ring, scratch, (size_t)n);
		return true;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	close(l->in);
	l->in = -1;
	return false;
}

static bool pipe_empty(int fd)
{
	int queued;

	return ioctl(fd, FIONREAD, &queued) == 0 && queued == 0;
}

/* The pipe is readable: splice straight to the host when possible, else buffer. */
static void pump(struct link *l, int64_t now)
{
	ssize_t n;

	if (!connected(l) || has_backlog(l) || no_splice) {
		fill_ring(l);
		return;
	}
	n = splice(l->in, NULL, l->sock, NULL, SPLICE_MAX, SPLICE_F_NONBLOCK | SPLICE_F_MOVE);
	if (n > 0) {
		l->sent += (uint64_t)n;
		if (l->ep_start >= 0 && pipe_empty(l->in))
			l->ep_start = -1; /* caught up: the episode is over */
		return;
	}
	if (n == 0) {
		close(l->in);
		l->in = -1;
		return;
	}
	if (errno == EINTR)
		return;
	if (errno == EAGAIN) {
		/* the pipe is readable, so the socket is full: hold off, see above */
		if (!hold_ms) {
			fill_ring(l);
			return;
		}
		if (l->ep_start < 0 || l->sent - l->ep_sent >= hold_min) {
			/* the host took enough since the last episode began: a new one */
			l->ep_start = now;
			l->ep_sent = l->sent;
		}
		l->held = true;
		return;
	}
	if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP)
		no_splice = true;
	else
		drop_conn(l, 0, now);
	fill_ring(l);
}

/* The host side of an output port is readable: discard, or notice the close. */
static void drain_host(struct link *l, int64_t now)
{
	ssize_t n = recv(l->sock, scratch, sizeof(scratch), MSG_DONTWAIT);

	if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR)))
		return;
	drop_conn(l, 0, now);
}

static void on_signals(const struct relay_cfg *cfg, int *status, bool *exited)
{
	struct signalfd_siginfo si;

	while (read(cfg->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo != SIGCHLD) {
			if (!*exited)
				kill(cfg->child, (int)si.ssi_signo);
			continue;
		}
		if (!*exited && waitpid(cfg->child, status, WNOHANG) == cfg->child)
			*exited = true;
	}
}

/* Once the program is gone: does anyone else still hold one of its pipes (its own
 * children, say)? A pipe with no writer left polls POLLHUP. */
static bool others_write(const struct link *l, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		struct pollfd p = { .fd = l[i].in, .events = POLLIN };

		if (l[i].in >= 0 && (poll(&p, 1, 0) < 1 || !(p.revents & POLLHUP)))
			return true;
	}
	return false;
}

/* Nothing left in the pipes or the rings: all that was written has gone out. */
static bool flushed(const struct link *l, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (has_backlog(&l[i]) || (l[i].in >= 0 && !pipe_empty(l[i].in)))
			return false;
	}
	return true;
}

static bool pipes_open(const struct link *l, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (l[i].in >= 0)
			return true;
	return false;
}

/* Forks the relay that outlives vsockexec (see relay.h). Returns 1 in it, 0 in
 * vsockexec, -1 if fork failed. */
static int go_background(int *sigfd)
{
	sigset_t all;
	pid_t pid = fork();
	int fd, i;

	if (pid != 0)
		return pid > 0 ? 0 : -1;
	close(*sigfd);
	*sigfd = -1;
	sigfillset(&all);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	/* vsockexec's own stdio is its caller's: reading it to the end must not wait on
	 * this relay (its warnings are lost) */
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (i = 0; fd >= 0 && i < 3; i++)
		dup2(fd, i);
	if (fd > 2)
		close(fd);
	vx_log_release();
	return 1;
}

static bool work_left(const struct link *l, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (l[i].in >= 0 || has_backlog(&l[i]))
			return true;
	return false;
}

int relay_run(const struct relay_cfg *cfg)
{
	struct link links[RELAY_MAX_LINKS];
	struct pollfd pfd[1 + 2 * RELAY_MAX_LINKS];
	int status = 0, i, n = cfg->nlinks, sigfd = cfg->sigfd;
	bool exited = false, background = false;
	int64_t now = clock_ms(), final_at = -1;

	hold_ms = cfg->hold_ms;
	hold_min = (uint64_t)RELAY_HOLD_MIN_RATE * hold_ms / 1000;
	memset(links, 0, sizeof(links));
	for (i = 0; i < n; i++) {
		links[i].port = cfg->link[i].port;
		links[i].in = cfg->link[i].in;
		links[i].sock = -1;
		links[i].retry_at = now;
		links[i].ep_start = -1;
		backlog_init(&links[i].bl, ring_mem[i], RELAY_RING_SIZE);
	}
	for (;;) {
		int timeout = -1, np = 1, k;

		now = clock_ms();
		if (exited && final_at < 0 && !(background && pipes_open(links, n))) {
			/* flush window: one more attempt at once, bounded by the timeout */
			final_at = now + cfg->timeout_ms;
			for (i = 0; i < n; i++)
				links[i].retry_at = now;
		}
		if (exited && !background && pipes_open(links, n) &&
		    (now >= final_at || flushed(links, n)) && others_write(links, n)) {
			/* what the program wrote is out (or the window is over), and others
			 * still write: they get a relay of their own, vsockexec exits */
			int bg = go_background(&sigfd);

			if (bg == 0)
				break;
			if (bg > 0) {
				background = true;
				final_at = -1; /* a new window once they have all closed */
				continue;
			}
		}
		if (exited && (!work_left(links, n) || (final_at >= 0 && now > final_at)))
			break;
		pfd[0] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
		for (i = 0; i < n; i++) {
			struct link *l = &links[i];
			bool wants = !exited || has_backlog(l) || l->in >= 0;
			int64_t wake = -1;

			if (l->sock < 0 && now >= l->retry_at && wants)
				start_conn(l, cfg->cid, cfg->timeout_ms, now);
			/* past, not at, the deadline: with -t 0 a connect still gets a poll */
			if (l->pending && now > l->deadline)
				drop_conn(l, -ETIMEDOUT, now);
			if (held(l) && now >= l->ep_start + hold_ms) {
				/* stalled host: from now on buffer, so the program never waits */
				l->held = false;
				l->ep_start = -1;
				if (l->in >= 0)
					fill_ring(l);
			}
			if (l->sock < 0 && wants)
				wake = l->retry_at;
			else if (l->pending)
				wake = l->deadline;
			else if (held(l))
				wake = l->ep_start + hold_ms;
			if (wake >= 0) {
				int64_t d = wake > now ? wake - now : 0;

				if (timeout < 0 || d < timeout)
					timeout = (int)d;
			}
			pfd[np++] = (struct pollfd){ .fd = held(l) ? -1 : l->in, .events = POLLIN };
			pfd[np] = (struct pollfd){ .fd = l->sock, .events = 0 };
			if (l->pending)
				pfd[np].events = POLLOUT;
			else if (l->sock >= 0)
				pfd[np].events = POLLIN | (has_backlog(l) || held(l) ? POLLOUT : 0);
			np++;
		}
		if (final_at >= 0 && (timeout < 0 || final_at - now < timeout))
			timeout = (int)(final_at - now);
		k = poll(pfd, (nfds_t)np, timeout);
		if (k < 0 && errno != EINTR) {
			if (!exited)
				return -errno;
			break; /* the program's status is known: report it */
		}
		if (k <= 0)
			continue;
		now = clock_ms();
		if (pfd[0].revents)
			on_signals(cfg, &status, &exited);
		for (i = 0; i < n; i++) {
			struct link *l = &links[i];
			short in_ev = pfd[1 + 2 * i].revents, so_ev = pfd[2 + 2 * i].revents;
			int rc;

			if (l->pending && so_ev) {
				rc = transport_connect_result(l->sock);
				if (rc) {
					drop_conn(l, rc, now);
				} else {
					l->pending = false;
					so_ev = 0;
				}
			}
			if (connected(l) && (so_ev & (POLLIN | POLLHUP | POLLERR)))
				drain_host(l, now);
			if (held(l) && (so_ev & POLLOUT)) {
				/* room again, and the pipe held data: move it now */
				l->held = false;
				in_ev = POLLIN;
			}
			if (connected(l) && has_backlog(l)) {
				rc = backlog_send(&l->bl, l->sock, &l->sent);
				if (rc)
					drop_conn(l, 0, now);
			}
			if (l->in >= 0 && in_ev)
				pump(l, now);
		}
	}
	for (i = 0; i < n; i++) {
		if (links[i].sock >= 0)
			close(links[i].sock);
		if (links[i].in >= 0)
			close(links[i].in);
	}
	if (background)
		_exit(0);
	return status;
}
