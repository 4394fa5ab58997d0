/* init/net.c against the real kernel, in a network namespace of the test's own (root:
 * unshare(CLONE_NEWNET)), where lo exists and is down: the request brings it up, a link
 * that does not exist gives the kernel's ENODEV, and nothing leaks (fds here, memory
 * under LeakSanitizer). */
#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmocka.h>

#include "net.h"

static int lo_flags(void)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc;

	assert_true(fd >= 0);
	memcpy(ifr.ifr_name, "lo", 3);
	rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
	close(fd);
	assert_int_equal(rc, 0);
	return ifr.ifr_flags;
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* a fresh network namespace: lo there is down */
static int fresh_netns(void **state)
{
	(void)state;
	if (unshare(CLONE_NEWNET) < 0) {
		print_error("unshare(CLONE_NEWNET): %s (the net test runs as root)\n",
			    strerror(errno));
		return -1;
	}
	return 0;
}

static void test_lo_comes_up(void **state)
{
	int fds;

	(void)state;
	assert_int_equal(lo_flags() & IFF_UP, 0);
	fds = open_fds();
	assert_int_equal(net_lo_up(NULL), 0);
	assert_int_equal(lo_flags() & IFF_UP, IFF_UP);
	assert_int_equal(open_fds(), fds);
	/* again: already up is still an ack */
	assert_int_equal(net_lo_up(NULL), 0);
	assert_int_equal(open_fds(), fds);
}

/* asked for, the socket comes back open for the caller to close, and only then */
static void test_socket_left_to_caller(void **state)
{
	int fds, sock = -2;

	(void)state;
	fds = open_fds();
	assert_int_equal(net_lo_up(&sock), 0);
	assert_true(sock >= 0);
	assert_int_equal(open_fds(), fds + 1);
	assert_int_equal(close(sock), 0);
	sock = -2;
	assert_int_equal(net_link_up(0x7ffffff0, &sock), -ENODEV);
	assert_true(sock >= 0); /* the kernel answered on it */
	assert_int_equal(close(sock), 0);
	assert_int_equal(open_fds(), fds);
}

static void test_kernel_error_returned(void **state)
{
	int fds;

	(void)state;
	fds = open_fds();
	assert_int_equal(net_link_up(0x7ffffff0, NULL), -ENODEV);
	assert_int_equal(open_fds(), fds);
	/* lo is untouched by a request for another link */
	assert_int_equal(lo_flags() & IFF_UP, 0);
}

/* errno is never written (lo's step runs in a child sharing PID 1's memory, where
 * errno is PID 1's): not by a socket call that fails (no fd left: EMFILE), nor by the
 * kernel's refusal */
static void test_errno_untouched(void **state)
{
	struct rlimit lim, none;
	int rc;

	(void)state;
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &lim), 0);
	none = lim;
	none.rlim_cur = 0;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &none), 0);
	errno = EXDEV;
	rc = net_lo_up(NULL);
	assert_int_equal(errno, EXDEV);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &lim), 0);
	assert_int_equal(rc, -EMFILE);
	assert_int_equal(lo_flags() & IFF_UP, 0);
	errno = EXDEV;
	assert_int_equal(net_link_up(0x7ffffff0, NULL), -ENODEV);
	assert_int_equal(errno, EXDEV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_kernel_error_returned, fresh_netns),
		cmocka_unit_test_setup(test_lo_comes_up, fresh_netns),
		cmocka_unit_test_setup(test_errno_untouched, fresh_netns),
		cmocka_unit_test_setup(test_socket_left_to_caller, fresh_netns),
	};

	return cmocka_run_group_tests_name("init/net", tests, NULL, NULL);
}
