/* init/entropy.c: EOF, cap, deadline, refused, credit failure; the transport is a
 * socketpair (no vsock), RNDADDENTROPY is mocked. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "clock.h"
#include "entropy.h"
#include "log.h"
#include "mock.h"

static int host = -1;

static int setup(void **state)
{
	int sv[2];

	(void)state;
	mock_reset();
	mock_sys = true;
	log_set_fds(-1, -1);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	mock_connect_rc = sv[0]; /* init's end; entropy_seed closes it */
	host = sv[1];
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (host >= 0)
		close(host);
	host = -1;
	return 0;
}

static void host_sends(size_t n, int then_close)
{
	char buf[8192];

	memset(buf, 0x5a, sizeof(buf));
	assert_true(n <= sizeof(buf));
	assert_int_equal(write(host, buf, n), (ssize_t)n);
	if (then_close) {
		close(host);
		host = -1;
	}
}

static void test_no_port(void **state)
{
	struct entropy_result r;

	(void)state;
	entropy_seed(0, 500, &r);
	assert_string_equal(r.result, "none");
	assert_int_equal(r.bytes, 0);
	assert_int_equal(mock_connect_calls, 0);
	close(mock_connect_rc);
}

static void test_eof(void **state)
{
	struct entropy_result r;

	(void)state;
	host_sends(512, 1);
	entropy_seed(1, 5000, &r);
	assert_string_equal(r.result, "ok");
	assert_int_equal(r.bytes, 512);
	assert_int_equal(mock_connect_port, 1);
	assert_int_equal(mock_add_entropy_calls, 1);
	assert_int_equal(mock_add_entropy_len, 512);
}

/* the split step: the host answers between entropy_begin and entropy_finish (while
 * PID 1 sets up cgroups); all of it is read and credited */
static void test_split_answer_in_between(void **state)
{
	struct entropy_result r;
	struct entropy e;

	(void)state;
	entropy_begin(&e, 1, 5000);
	assert_int_equal(mock_connect_calls, 1);
	host_sends(512, 1);
	entropy_finish(&e, &r);
	assert_string_equal(r.result, "ok");
	assert_int_equal(r.bytes, 512);
	assert_int_equal(mock_add_entropy_len, 512);
}

/* the deadline counts from entropy_begin: work done in between uses it up, and
 * entropy_finish then waits no further */
static void test_split_deadline_from_begin(void **state)
{
	struct timespec gap = { 0, 150 * 1000 * 1000 };
	struct entropy_result r;
	struct entropy e;
	int64_t t;

	(void)state;
	entropy_begin(&e, 1, 100);
	nanosleep(&gap, NULL);
	t = clock_ms();
	entropy_finish(&e, &r);
	assert_string_equal(r.result, "timeout");
	assert_int_equal(r.bytes, 0);
	assert_true(clock_ms() - t < 100); /* not a fresh 100 ms */
}

/* the host answered in time, but PID 1 comes to read only after the deadline (a slow
 * cgroup step): what has arrived is read and credited, not dropped as a timeout */
static void test_split_answer_read_after_deadline(void **state)
{
	struct timespec gap = { 0, 120 * 1000 * 1000 };
	struct entropy_result r;
	struct entropy e;

	(void)state;
	entropy_begin(&e, 1, 50);
	host_sends(512, 1);
	nanosleep(&gap, NULL);
	entropy_finish(&e, &r);
	assert_string_equal(r.result, "ok");
	assert_int_equal(r.bytes, 512);
	assert_int_equal(mock_add_entropy_len, 512);
}

/* a success's info line waits for entropy_log_info (a boot logs it after the agent's
 * exec), and comes once */
static void test_info_line_deferred(void **state)
{
	struct entropy_result r;
	struct entropy e;
	char buf[256];
	ssize_t n;
	int p[2];

	(void)state;
	assert_int_equal(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
	log_set_fds(p[1], -1);
	entropy_begin(&e, 1, 5000);
	host_sends(512, 1);
	entropy_finish(&e, &r);
	assert_string_equal(r.result, "ok");
	assert_int_equal(read(p[0], buf, sizeof(buf)), -1); /* nothing yet */
	entropy_log_info(&r);
	n = read(p[0], buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "uvminit: entropy: port 1: ok, 512 bytes credited in "));
	entropy_log_info(&r);
	assert_int_equal(read(p[0], buf, sizeof(buf)), -1); /* once */
	log_set_fds(-1, -1);
	close(p[0]);
	close(p[1]);
}

static void test_cap(void **state)
{
	struct entropy_result r;

	(void)state;
	host_sends(ENTROPY_CAP + 100, 0); /* and never closes */
	entropy_seed(1, 5000, &r);
	assert_string_equal(r.result, "cap");
	assert_int_equal(r.bytes, ENTROPY_CAP);
	assert_int_equal(mock_add_entropy_len, ENTROPY_CAP);
}

static void test_deadline_with_partial_data(void **state)
{
	struct entropy_result r;

	(void)state;
	host_sends(100, 0); /* then silence, the connection stays open */
	entropy_seed(1, 50, &r);
	assert_string_equal(r.result, "timeout");
	assert_int_equal(r.bytes, 100);
	assert_int_equal(mock_add_entropy_len, 100);
}

static void test_deadline_nothing(void **state)
{
	struct entropy_result r;

	(void)state;
	entropy_seed(1, 20, &r);
	assert_string_equal(r.result, "timeout");
	assert_int_equal(r.bytes, 0);
	assert_int_equal(mock_add_entropy_calls, 0);
}

static void test_empty_eof(void **state)
{
	struct entropy_result r;

	(void)state;
	host_sends(0, 1);
	entropy_seed(1, 5000, &r);
	assert_string_equal(r.result, "ok");
	assert_int_equal(r.bytes, 0);
	assert_int_equal(mock_add_entropy_calls, 0);
}

static void test_connect_failures(void **state)
{
	struct entropy_result r;
	int fd = mock_connect_rc;

	(void)state;
	close(fd);
	mock_connect_rc = -ECONNRESET;
	entropy_seed(1, 500, &r);
	assert_string_equal(r.result, "refused");
	assert_int_equal(r.bytes, 0);
	mock_connect_rc = -ETIMEDOUT;
	entropy_seed(1, 500, &r);
	assert_string_equal(r.result, "timeout");
	mock_connect_rc = -EPERM;
	entropy_seed(1, 500, &r);
	assert_string_equal(r.result, "error");
}

/* The warning of each connect failure; "" when there was none. */
static const char *connect_warning(int rc, char *buf, size_t size)
{
	struct entropy_result r;
	ssize_t n;
	int p[2];

	assert_int_equal(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
	log_set_fds(p[1], -1);
	mock_connect_rc = rc;
	entropy_seed(1, 500, &r);
	log_set_fds(-1, -1);
	n = read(p[0], buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(p[0]);
	close(p[1]);
	return buf;
}

/* No vsock in the kernel (socket: EAFNOSUPPORT): one line that names the modules to
 * list; other failures do not name them. */
static void test_no_vsock_names_modules(void **state)
{
	char buf[1024], *line;

	(void)state;
	close(mock_connect_rc);
	line = strstr(connect_warning(-EAFNOSUPPORT, buf, sizeof(buf)), "entropy: ");
	assert_non_null(line);
	assert_string_equal(line, "entropy: port 1: connect: Address family not supported by "
				  "protocol (error); no vsock in this kernel: list vsock.ko and "
				  "the host's transport (virtio: "
				  "vmw_vsock_virtio_transport_common.ko, "
				  "vmw_vsock_virtio_transport.ko; Hyper-V: hv_sock.ko) in "
				  "/etc/uvminit/modules, dependencies first; 0 bytes credited\n");
	line = strstr(connect_warning(-ECONNRESET, buf, sizeof(buf)), "entropy: ");
	assert_non_null(line);
	assert_string_equal(line, "entropy: port 1: connect: Connection reset by peer "
				  "(refused); 0 bytes credited\n");
}

static void test_credit_failure(void **state)
{
	struct entropy_result r;

	(void)state;
	mock_add_entropy_rc = -EPERM;
	host_sends(512, 1);
	entropy_seed(1, 5000, &r);
	assert_string_equal(r.result, "error");
	assert_int_equal(r.bytes, 0); /* nothing credited */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eof, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_answer_in_between, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_deadline_from_begin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_answer_read_after_deadline, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_info_line_deferred, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadline_with_partial_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadline_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_eof, setup, teardown),
		cmocka_unit_test_setup_teardown(test_connect_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_vsock_names_modules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_credit_failure, setup, teardown),
	};

	return cmocka_run_group_tests_name("init/entropy", tests, NULL, NULL);
}
