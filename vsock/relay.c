/* The relay loop: one poll over the signalfd, the program's sockets and the host
 * connections. Nothing here blocks: connects are started non-blocking and finished on
 * POLLOUT, and every socket is non-blocking.
 *
 * Per port, bytes queue in order as [drop line][stage][ring]:
 * - stage: a pipe. While connected, program socket -> stage -> host moves by splice(2),
 *   with no copy in this process. It takes up to RELAY_STAGE_SIZE bytes, and only while
 *   the ring is empty, so the order holds.
 * - ring: RELAY_RING_SIZE bytes, copied in while the host is away or stalled.
 * - when the ring overflows, the oldest bytes go: all of the stage, then the ring's
 *   oldest, so exactly the newest RELAY_RING_SIZE bytes are kept; their count goes to
 *   the host as one line before the first byte after the gap.
 *
 * A host that reads sets the pace without loss: with the stage full, the relay leaves
 * the program's socket unread until the host makes room (a hold). A hold ends when the
 * host has taken RELAY_HOLD_MIN_BYTES; if it has not within RELAY_HOLD_MS, the host
 * counts as stalled: from then on the relay reads the program into the ring (dropping
 * the oldest when full) until the host has caught up with everything. So the program
 * waits at most RELAY_HOLD_MS per hold, and only while the host takes at least
 * RELAY_HOLD_MIN_BYTES per RELAY_HOLD_MS. */
#include "relay.h"
#include "clock.h"
#include "ring.h"
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

struct link {
	uint32_t port;
	int in;            /* the program's socketpair, our end; -1 after EOF */
	int stage[2];      /* the staging pipe; -1, -1 when none could be made */
	size_t staged;     /* bytes in the stage */
	int sock;          /* -1: not connected */
	bool pending;      /* connect under way on sock */
	bool warned;       /* the first failure was reported */
	int64_t deadline;  /* of the pending connect */
	int64_t retry_at;  /* next connect attempt */
	int delay;         /* next backoff, ms */
	uint64_t sent;     /* bytes sent on this connection */
	bool held;         /* the program's socket is left unread until POLLOUT */
	bool stalled;      /* a hold ran out: no holding until the host caught up */
	int64_t ep_start;  /* the current hold began; -1: none */
	uint64_t ep_sent;  /* sent when it began */
	struct ring ring;
	uint64_t line_count; /* the drops the line in flight reports */
	char line[80];
	size_t line_len, line_off;
};

static char ring_mem[RELAY_MAX_LINKS][RELAY_RING_SIZE];
static bool no_splice; /* splice(2) failed as unsupported: stage nothing more */
static char scratch[64 * 1024];

static bool has_backlog(const struct link *l)
{
	return l->staged || l->ring.len || l->line_len || l->ring.dropped;
}

static bool connected(const struct link *l)
{
	return l->sock >= 0 && !l->pending;
}

static void grow_backoff(struct link *l)
{
	l->delay = l->delay ? l->delay * 2 : RELAY_BACKOFF_MIN_MS;
	if (l->delay > RELAY_BACKOFF_MAX_MS)
		l->delay = RELAY_BACKOFF_MAX_MS;
}

void relay_sndbuf(int fd)
{
	int size = RELAY_SOCKBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
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
	if (l->line_len) {
		/* a drop line cut short is sent whole on the next connection */
		l->ring.dropped += l->line_count;
		l->line_len = l->line_off = 0;
	}
	l->retry_at = now + l->delay;
}

static void start_conn(struct link *l, uint32_t cid, uint32_t timeout_ms, int64_t now)
{
	int fd = transport_connect_start(cid, l->port);

	if (fd < 0) {
		drop_conn(l, fd, now);
		return;
	}
	l->sock = fd;
	l->pending = true;
	l->deadline = now + timeout_ms;
}

static void end_input(struct link *l)
{
	close(l->in);
	l->in = -1;
}

/* Drops everything staged, counting it. */
static void unstage(struct link *l)
{
	static char sink[16 * 1024];

	while (l->staged) {
		size_t n = l->staged < sizeof(sink) ? l->staged : sizeof(sink);
		ssize_t k = read(l->stage[0], sink, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			/* cannot happen on a pipe holding these bytes; if it does, stage no more */
			l->ring.dropped += l->staged;
			l->staged = 0;
			no_splice = true;
			return;
		}
		l->staged -= (size_t)k;
		l->ring.dropped += (uint64_t)k;
	}
}

/* Reads once from the program into the ring. If that overflows the ring, the staged
 * bytes (older than the ring's) are dropped first. */
static void fill_ring(struct link *l)
{
	ssize_t n = read(l->in, scratch, sizeof(scratch));

	if (n > 0) {
		if (l->ring.len + (size_t)n > l->ring.cap)
			unstage(l);
		ring_write(&l->ring, scratch, (size_t)n);
		return;
	}
	if (n == 0 || (errno != EAGAIN && errno != EINTR))
		end_input(l);
}

/* Leaves the program's socket unread until the host makes room (see the top). */
static void hold(struct link *l, int64_t now)
{
	if (l->ep_start < 0 || l->sent - l->ep_sent >= RELAY_HOLD_MIN_BYTES) {
		/* the host took enough since this hold began: the clock starts again */
		l->ep_start = now;
		l->ep_sent = l->sent;
	}
	l->held = true;
}

/* The program's socket is readable. While connected and the ring is empty its bytes
 * are staged; a full stage means a hold, unless the host stalled. Otherwise they are
 * copied into the ring. */
static void take_input(struct link *l, int64_t now)
{
	if (connected(l) && l->stage[1] >= 0 && !no_splice && !l->ring.len) {
		int avail = 0;

		if (l->staged < RELAY_STAGE_SIZE) {
			ssize_t n = splice(l->in, NULL, l->stage[1], NULL,
					   RELAY_STAGE_SIZE - l->staged, SPLICE_F_NONBLOCK);

			if (n > 0) {
				l->staged += (size_t)n;
				return;
			}
			if (n == 0) {
				end_input(l);
				return;
			}
			if (errno == EINTR)
				return;
			if (errno != EAGAIN)
				no_splice = true; /* this kernel cannot: copy from now on */
			else if (ioctl(l->in, FIONREAD, &avail) == 0 && avail == 0)
				return; /* nothing to read after all */
		}
		/* the stage is full (in bytes, or in pipe slots) */
		if (l->staged && !no_splice && !l->stalled) {
			hold(l, now);
			return;
		}
	}
	fill_ring(l);
}

/* Sends what is queued, in order, until the socket is full. Returns 0 or -errno. */
static int send_queue(struct link *l)
{
	for (;;) {
		ssize_t w;

		if (!l->line_len && l->ring.dropped) {
			l->line_count = l->ring.dropped;
			l->line_len = (size_t)snprintf(l->line, sizeof(l->line),
						       "vsockexec: dropped %" PRIu64 " bytes\n",
						       l->line_count);
			l->line_off = 0;
			l->ring.dropped = 0;
		}
		if (l->line_len) {
			w = send(l->sock, l->line + l->line_off, l->line_len - l->line_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
			if (w > 0 && (l->line_off += (size_t)w) == l->line_len)
				l->line_len = l->line_off = 0;
		} else if (l->staged) {
			w = splice(l->stage[0], NULL, l->sock, NULL, l->staged, SPLICE_F_NONBLOCK);
			if (w > 0) {
				l->staged -= (size_t)w;
			} else if (w < 0 && (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP)) {
				/* this socket takes no splice: what is staged is lost, copy from now */
				no_splice = true;
				unstage(l);
				continue;
			}
		} else {
			const char *p;
			size_t n = ring_peek(&l->ring, &p);

			if (!n)
				return 0;
			w = send(l->sock, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
			if (w > 0)
				ring_consume(&l->ring, (size_t)w);
		}
		if (w > 0) {
			l->sent += (uint64_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			return 0;
		return w < 0 ? -errno : -EPIPE;
	}
}

/* Sends what it can; ends the connection on an error (returns true then). A host
 * that has caught up with everything is trusted to set the pace again. */
static bool flush(struct link *l, int64_t now)
{
	int rc = send_queue(l);

	if (rc) {
		drop_conn(l, 0, now);
		return true;
	}
	if (!has_backlog(l))
		l->stalled = false;
	return false;
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
	int status = 0, i, n = cfg->nlinks;
	bool exited = false;
	int64_t now = clock_ms(), final_at = -1;

	memset(links, 0, sizeof(links));
	for (i = 0; i < n; i++) {
		struct link *l = &links[i];

		l->port = cfg->link[i].port;
		l->in = cfg->link[i].in;
		l->sock = -1;
		l->retry_at = now;
		l->ep_start = -1;
		ring_init(&l->ring, ring_mem[i], RELAY_RING_SIZE);
		if (pipe2(l->stage, O_CLOEXEC | O_NONBLOCK) < 0)
			l->stage[0] = l->stage[1] = -1; /* copy through the ring only */
		else
			fcntl(l->stage[1], F_SETPIPE_SZ, RELAY_STAGE_SIZE);
	}
	for (;;) {
		int timeout = -1, np = 1, k;

		now = clock_ms();
		if (exited && final_at < 0) {
			/* flush window: one more attempt at once, bounded by the timeout */
			final_at = now + cfg->timeout_ms;
			for (i = 0; i < n; i++)
				links[i].retry_at = now;
		}
		if (exited && (now >= final_at || !work_left(links, n)))
			break;
		pfd[0] = (struct pollfd){ .fd = cfg->sigfd, .events = POLLIN };
		for (i = 0; i < n; i++) {
			struct link *l = &links[i];
			bool wants = !exited || has_backlog(l) || l->in >= 0;
			int64_t wake = -1;

			if (l->sock < 0 && now >= l->retry_at && wants)
				start_conn(l, cfg->cid, cfg->timeout_ms, now);
			if (l->pending && now >= l->deadline)
				drop_conn(l, -ETIMEDOUT, now);
			if (l->held && now >= l->ep_start + RELAY_HOLD_MS) {
				/* the host stalled: from now on buffer, so the program never waits */
				l->held = false;
				l->stalled = true;
				l->ep_start = -1;
				if (l->in >= 0)
					take_input(l, now);
			}
			if (l->sock < 0 && wants)
				wake = l->retry_at;
			else if (l->pending)
				wake = l->deadline;
			else if (l->held)
				wake = l->ep_start + RELAY_HOLD_MS;
			if (wake >= 0) {
				int64_t d = wake > now ? wake - now : 0;

				if (timeout < 0 || d < timeout)
					timeout = (int)d;
			}
			pfd[np++] = (struct pollfd){ .fd = l->held ? -1 : l->in, .events = POLLIN };
			pfd[np] = (struct pollfd){ .fd = l->sock, .events = 0 };
			if (l->pending)
				pfd[np].events = POLLOUT;
			else if (l->sock >= 0)
				pfd[np].events = POLLIN | (has_backlog(l) ? POLLOUT : 0);
			np++;
		}
		if (final_at >= 0 && (timeout < 0 || final_at - now < timeout))
			timeout = (int)(final_at - now);
		k = poll(pfd, (nfds_t)np, timeout);
		if (k < 0 && errno != EINTR)
			return -errno;
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
					l->stalled = false;
					relay_sndbuf(l->sock);
					so_ev = 0;
				}
			}
			if (connected(l) && (so_ev & (POLLIN | POLLHUP | POLLERR)))
				drain_host(l, now);
			if (l->held && (so_ev & POLLOUT)) {
				/* the host made room: move the stage on, then read the program again */
				if (flush(l, now))
					continue;
				l->held = false;
				in_ev = POLLIN;
			}
			if (l->in >= 0 && in_ev)
				take_input(l, now);
			if (connected(l) && has_backlog(l))
				flush(l, now);
		}
	}
	for (i = 0; i < n; i++) {
		struct link *l = &links[i];
		int fds[4] = { l->sock, l->in, l->stage[0], l->stage[1] };
		int j;

		for (j = 0; j < 4; j++)
			if (fds[j] >= 0)
				close(fds[j]);
	}
	return status;
}
