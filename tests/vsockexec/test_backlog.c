/* The relay's drop lines (vsock/backlog.c) under ASan/UBSan, against a host that takes
 * a few bytes at a time: send(2) is wrapped at link time. One gap, one line: the
 * stream the host gets must account for every byte in order, and no two drop lines
 * may follow each other without data between (a host with little room, e.g. a vsock
 * peer low on credit, takes a line in pieces; drops made before the rest of it goes
 * out used to get a second line of their own right after it). AF_UNIX cannot take a
 * 28-byte line in pieces, so vxtest cannot produce this; the wrap can. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <cmocka.h>

#include "backlog.h"
#include "tests/dropline.h"

ssize_t __wrap_send(int fd, const void *p, size_t n, int flags);

static char host[4096];
static size_t host_len;
static size_t room; /* what the host takes before the socket is full */

ssize_t __wrap_send(int fd, const void *p, size_t n, int flags)
{
	(void)fd;
	(void)flags;
	if (!room) {
		errno = EAGAIN;
		return -1;
	}
	if (n > room)
		n = room;
	assert_true(host_len + n < sizeof(host));
	memcpy(host + host_len, p, n);
	host_len += n;
	room -= n;
	return (ssize_t)n;
}

static unsigned char pat(uint64_t i)
{
	return (unsigned char)(i % 251);
}

/* the program writes n more pattern bytes */
static uint64_t written;
static void program_writes(struct backlog *b, size_t n)
{
	unsigned char d[256];
	size_t i;

	assert_true(n <= sizeof(d));
	for (i = 0; i < n; i++)
		d[i] = pat(written + i);
	ring_write(&b->ring, d, n);
	written += n;
}

/* The host's stream from position from: data continues the pattern, each line skips
 * exactly what it counts, and a line is never followed directly by another. Returns
 * the lines seen; the stream must account for all that was written. */
static int walk(uint64_t from)
{
	uint64_t pos = from;
	size_t i = 0;
	int lines = 0, after_line = 0;

	host[host_len] = 0;
	while (i < host_len) {
		unsigned long long n;
		const char *end = dropline_parse(host + i, &n);

		if (end && *end == '\n') {
			assert_false(after_line); /* two lines, one gap */
			pos += n;
			lines++;
			after_line = 1;
			i = (size_t)(end + 1 - host);
			continue;
		}
		assert_int_equal((unsigned char)host[i], pat(pos));
		pos++;
		i++;
		after_line = 0;
	}
	assert_int_equal(pos, written);
	return lines;
}

static char mem[16];

static void start(struct backlog *b)
{
	backlog_init(b, mem, sizeof(mem));
	host_len = 0;
	written = 0;
	room = 0;
}

/* The host takes 5 bytes of the line, then the program writes on and more is dropped
 * before the rest of the line goes out. */
static void test_line_in_pieces(void **state)
{
	struct backlog b;
	uint64_t sent = 0;

	(void)state;
	start(&b);
	program_writes(&b, 40); /* 24 dropped */
	room = 5;
	assert_int_equal(backlog_send(&b, 3, &sent), 0);
	assert_int_equal(host_len, 5);
	program_writes(&b, 20);
	room = 1000;
	assert_int_equal(backlog_send(&b, 3, &sent), 0);
	assert_false(backlog_pending(&b));
	assert_int_equal(sent, host_len);
	assert_int_equal(walk(0), 2);
}

/* The host takes exactly the line, then nothing: drops made then are past the line. */
static void test_line_then_full(void **state)
{
	struct backlog b;
	uint64_t sent = 0;

	(void)state;
	start(&b);
	program_writes(&b, 40);
	room = strlen("vsockexec: dropped 24 bytes\n");
	assert_int_equal(backlog_send(&b, 3, &sent), 0);
	program_writes(&b, 100);
	program_writes(&b, 100);
	room = 1000;
	assert_int_equal(backlog_send(&b, 3, &sent), 0);
	assert_int_equal(walk(0), 2);
}

/* A line not yet begun takes in later drops: still one line. */
static void test_line_not_begun_grows(void **state)
{
	struct backlog b;
	uint64_t sent = 0;

	(void)state;
	start(&b);
	program_writes(&b, 40);
	assert_int_equal(backlog_send(&b, 3, &sent), 0); /* full: nothing goes */
	program_writes(&b, 30);
	room = 1000;
	assert_int_equal(backlog_send(&b, 3, &sent), 0);
	assert_int_equal(walk(0), 1);
	assert_memory_equal(host, "vsockexec: dropped 54 bytes\n", 28);
}

/* The connection ends with the line in pieces and a second gap made: the next
 * connection gets the first line whole, the kept byte, then the second line. */
static void test_cut_line_with_second_gap(void **state)
{
	struct backlog b;
	uint64_t sent = 0;

	(void)state;
	start(&b);
	program_writes(&b, 40);
	room = 7;
	assert_int_equal(backlog_send(&b, 3, &sent), 0);
	program_writes(&b, 20);
	backlog_conn_end(&b);
	host_len = 0; /* a new connection */
	room = 1000;
	assert_int_equal(backlog_send(&b, 3, &sent), 0);
	assert_int_equal(walk(0), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_in_pieces),
		cmocka_unit_test(test_line_then_full),
		cmocka_unit_test(test_line_not_begun_grows),
		cmocka_unit_test(test_cut_line_with_second_gap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
