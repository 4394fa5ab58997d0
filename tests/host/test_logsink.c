/* uvmhost's log writer (host/logsink.c) under ASan/UBSan, against a log whose write(2)
 * the test scripts: write is wrapped at link time, and each write to the log waits
 * until the test lets it return, with the bytes it takes or an error. So the queue can
 * be made to wrap around the ring's end at a chosen point, which a real file or pipe
 * cannot be made to do on cue. Expected output is written out here by hand, from
 * host/logsink.h and docs/uvmhost.md. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "logsink.h"

ssize_t __wrap_write(int fd, const void *p, size_t n);
ssize_t __real_write(int fd, const void *p, size_t n);

#define MAX_CALLS 16
#define TAKE_ALL ((ssize_t)1 << 40)

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int log_fd = -1;
static int calls;		/* writes to the log begun */
static int released;		/* writes allowed to return: calls 0..released-1 */
static size_t asked[MAX_CALLS];	/* what each write was given */
static ssize_t answer[MAX_CALLS]; /* bytes it takes (at most all), or -errno */
static char out[LOGSINK_RING_MIN * 2];
static size_t out_len;

ssize_t __wrap_write(int fd, const void *p, size_t n)
{
	ssize_t r;
	int k;

	if (fd != log_fd)
		return __real_write(fd, p, n);
	pthread_mutex_lock(&mu);
	k = calls++;
	if (k < MAX_CALLS)
		asked[k] = n;
	pthread_cond_broadcast(&cv);
	while (released <= k)
		pthread_cond_wait(&cv, &mu);
	r = k < MAX_CALLS ? answer[k] : TAKE_ALL;
	if (r >= 0) {
		if ((size_t)r > n)
			r = (ssize_t)n;
		if (out_len + (size_t)r <= sizeof(out))
			memcpy(out + out_len, p, (size_t)r);
		out_len += (size_t)r;
	}
	pthread_mutex_unlock(&mu);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

/* Waits until write number k (from 0) has begun; returns the bytes it was given. */
static size_t wait_call(int k)
{
	size_t n;

	pthread_mutex_lock(&mu);
	while (calls <= k)
		pthread_cond_wait(&cv, &mu);
	n = asked[k];
	pthread_mutex_unlock(&mu);
	return n;
}

/* Lets write number k return r: the bytes it takes, or -errno. */
static void release(int k, ssize_t r)
{
	pthread_mutex_lock(&mu);
	answer[k] = r;
	released = k + 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

/* Lets every later write return at once, taking all it is given. */
static void release_all(void)
{
	pthread_mutex_lock(&mu);
	released = 1 << 30;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

static size_t queued(struct logsink *s)
{
	size_t n;

	pthread_mutex_lock(&s->mu);
	n = s->q.len;
	pthread_mutex_unlock(&s->mu);
	return n;
}

/* "P: " + fill + "\n", total bytes in all */
static void line_of(struct logsink *s, char fill, size_t total)
{
	static char text[LOGSINK_RING_MIN];

	assert_true(total >= 4 && total - 4 < sizeof(text));
	memset(text, fill, total - 4);
	assert_int_equal(logsink_line(s, "P: ", 3, text, total - 4), 0);
}

static int setup(void **state)
{
	(void)state;
	calls = released = 0;
	out_len = 0;
	for (int i = 0; i < MAX_CALLS; i++)
		answer[i] = TAKE_ALL;
	return 0;
}

/* The queue wraps around the ring's end inside a line, and the write of the run up to
 * the end fails: the whole queue is dropped, counted as one line of 300 bytes, and no
 * part of that line reaches the log later without its start. */
static void test_error_drops_the_whole_queue(void **state)
{
	struct logsink s;
	static char want[LOGSINK_RING_MIN + 64];
	size_t size = LOGSINK_RING_MIN, l1 = size - 200, want_len;

	(void)state;
	assert_int_equal(logsink_open(&s, "/dev/null", size), 0);
	log_fd = s.fd;
	line_of(&s, 'a', l1);
	assert_int_equal(wait_call(0), l1);
	line_of(&s, 'b', 150);		/* up to 50 bytes before the ring's end */
	release(0, (ssize_t)l1 - 10); /* the log takes all but 10 bytes */
	assert_int_equal(wait_call(1), 10 + 150);
	line_of(&s, 'c', 300);		/* 50 bytes at the ring's end, 250 at its start */
	release(1, TAKE_ALL);
	assert_int_equal(wait_call(2), 50); /* the run up to the end: line c's first 50 */
	release(2, -EIO);
	release_all();
	while (queued(&s)) /* the writer drops or writes what is queued */
		nanosleep(&(struct timespec){ 0, 1000 * 1000 }, NULL);
	assert_int_equal(logsink_line(&s, "P: ", 3, "after", 5), 0);
	assert_int_equal(logsink_close(&s, 5000), 0);

	memset(want, 'a', l1);
	memcpy(want, "P: ", 3);
	want[l1 - 1] = '\n';
	memset(want + l1, 'b', 150);
	memcpy(want + l1, "P: ", 3);
	want[l1 + 149] = '\n';
	want_len = l1 + 150;
	want_len += (size_t)snprintf(want + want_len, 64, "%s",
				     "uvmhost: dropped 1 lines (300 bytes)\nP: after\n");
	assert_int_equal(out_len, want_len);
	assert_memory_equal(out, want, want_len);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_error_drops_the_whole_queue, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
