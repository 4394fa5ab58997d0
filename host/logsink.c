#include "logsink.h"
#include "hlog.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int open_log(const char *path)
{
	int fd;

	if (!path)
		return STDOUT_FILENO;
	do
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);
	while (fd < 0 && errno == EINTR);
	return fd < 0 ? -errno : fd;
}

/* The drop line for the gap so far, if there is one and it fits with `more` bytes
 * after it. The caller holds mu. Returns false when a gap is still pending. */
static bool put_gap(struct logsink *s, size_t more)
{
	char line[96];
	int n;

	if (!s->gap_lines)
		return true;
	n = snprintf(line, sizeof(line), "uvmhost: dropped %" PRIu64 " lines (%" PRIu64 " bytes)\n",
		     s->gap_lines, s->gap_bytes);
	if ((size_t)n + more > s->q.cap - s->q.len)
		return false;
	ring_write(&s->q, line, (size_t)n);
	s->gap_lines = s->gap_bytes = 0;
	return true;
}

int logsink_line(struct logsink *s, const char *prefix, size_t plen, const char *text,
		 size_t len)
{
	size_t need = plen + len + 1;
	int rc = 0;

	pthread_mutex_lock(&s->mu);
	if (put_gap(s, need) && need <= s->q.cap - s->q.len) {
		ring_write(&s->q, prefix, plen);
		ring_write(&s->q, text, len);
		ring_write(&s->q, "\n", 1);
		pthread_cond_signal(&s->wake);
	} else {
		s->gap_lines++;
		s->gap_bytes += need;
		rc = -ENOBUFS;
	}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

/* Waits until fd takes bytes (an inherited non-blocking stdout), then writes. */
static ssize_t write_some(int fd, const char *p, size_t n)
{
	for (;;) {
		ssize_t w = write(fd, p, n);
		struct pollfd pfd = { .fd = fd, .events = POLLOUT };

		if (w >= 0 || (errno != EINTR && errno != EAGAIN))
			return w < 0 ? -errno : w;
		if (errno == EAGAIN)
			poll(&pfd, 1, -1);
	}
}

static void do_reopen(struct logsink *s)
{
	int fd = open_log(s->path);

	if (fd < 0) {
		hlog(HLOG_WARN, "reopen %s: %s (still writing to the old file)", s->path,
		     strerror(-fd));
		return;
	}
	pthread_mutex_lock(&s->mu);
	close(s->fd);
	s->fd = fd;
	pthread_mutex_unlock(&s->mu);
}

/* A write error: everything queued is dropped and counted as a gap, its lines by their
 * newlines. The caller holds mu. */
static void drop_queue(struct logsink *s)
{
	const char *p;
	size_t n;

	while ((n = ring_peek(&s->q, &p))) {
		for (size_t i = 0; i < n; i++)
			s->gap_lines += p[i] == '\n';
		s->gap_bytes += n;
		ring_consume(&s->q, n);
	}
}

static void *writer(void *arg)
{
	struct logsink *s = arg;
	int last_err = 0;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		const char *p;
		size_t n;
		ssize_t w;

		while (!s->q.len && !s->stop && !s->reopen) {
			s->busy = false;
			pthread_cond_broadcast(&s->idle);
			pthread_cond_wait(&s->wake, &s->mu);
		}
		s->busy = true;
		if (s->reopen) {
			s->reopen = false;
			pthread_mutex_unlock(&s->mu);
			do_reopen(s);
			pthread_mutex_lock(&s->mu);
			continue;
		}
		if (!s->q.len)
			break; /* stop, and all written */
		n = ring_peek(&s->q, &p);
		pthread_mutex_unlock(&s->mu);
		/* the producer only writes where nothing is queued: no lock needed here */
		w = write_some(s->fd, p, n);
		pthread_mutex_lock(&s->mu);
		if (w > 0) {
			ring_consume(&s->q, (size_t)w);
			last_err = 0;
			continue;
		}
		if ((int)-w != last_err) {
			/* hlog writes to stderr, which may block: never with the lock held, or
			 * the poll loop's logsink_line would wait on it */
			pthread_mutex_unlock(&s->mu);
			hlog(HLOG_WARN, "writing the log: %s (dropping lines until it works)",
			     strerror((int)-w));
			pthread_mutex_lock(&s->mu);
		}
		last_err = (int)-w;
		drop_queue(s);
		if (s->stop)
			continue;
		/* a broken log: do not spin on it */
		pthread_mutex_unlock(&s->mu);
		nanosleep(&(struct timespec){ 0, 100 * 1000 * 1000 }, NULL);
		pthread_mutex_lock(&s->mu);
	}
	s->busy = false;
	pthread_cond_broadcast(&s->idle);
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

int logsink_open(struct logsink *s, const char *path, size_t ring_size)
{
	pthread_condattr_t ca;
	char *buf;
	int rc;

	memset(s, 0, sizeof(*s));
	s->path = path && strcmp(path, "-") ? path : NULL;
	if (ring_size < LOGSINK_RING_MIN)
		ring_size = LOGSINK_RING_MIN;
	buf = malloc(ring_size);
	if (!buf)
		return -ENOMEM;
	ring_init(&s->q, buf, ring_size);
	s->fd = open_log(s->path);
	if (s->fd < 0) {
		rc = s->fd;
		goto out_free;
	}
	pthread_mutex_init(&s->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->idle, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&s->wake, NULL);
	rc = -pthread_create(&s->writer, NULL, writer, s);
	if (rc)
		goto out_close;
	return 0;

out_close:
	if (s->fd != STDOUT_FILENO)
		close(s->fd);
out_free:
	free(buf);
	return rc;
}

void logsink_reopen(struct logsink *s)
{
	if (!s->path)
		return;
	pthread_mutex_lock(&s->mu);
	s->reopen = true;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->mu);
}

int logsink_close(struct logsink *s, int timeout_ms)
{
	struct timespec until;
	int rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000)
		until.tv_sec++, until.tv_nsec -= 1000000000;
	pthread_mutex_lock(&s->mu);
	put_gap(s, 0);
	s->stop = true;
	pthread_cond_signal(&s->wake);
	while ((s->q.len || s->busy) && !rc)
		rc = -pthread_cond_timedwait(&s->idle, &s->mu, &until);
	pthread_mutex_unlock(&s->mu);
	if (rc)
		return -ETIMEDOUT;
	pthread_join(s->writer, NULL);
	if (s->fd != STDOUT_FILENO)
		close(s->fd);
	free(s->q.buf);
	return 0;
}
