/* init/log.c: levels, sinks, prefix, errno kept, %m, truncation. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "mock.h"

static void test_info_goes_to_kmsg_only(void **state)
{
	(void)state;
	log_info("hello %d", 42);
	assert_string_equal(mock_drain(mock_kmsg[0]), "<6>uvminit: hello 42\n");
	assert_string_equal(mock_drain(mock_con[0]), "");
}

static void test_warning_and_error_go_to_both(void **state)
{
	(void)state;
	log_warn("w %s", "x");
	assert_string_equal(mock_drain(mock_kmsg[0]), "<4>uvminit: warning: w x\n");
	assert_string_equal(mock_drain(mock_con[0]), "uvminit: warning: w x\n");
	log_err("e");
	assert_string_equal(mock_drain(mock_kmsg[0]), "<3>uvminit: error: e\n");
	assert_string_equal(mock_drain(mock_con[0]), "uvminit: error: e\n");
}

/* A kernel that echoes kmsg to the console shows a line once: init leaves it out. */
static void test_no_second_copy_of_what_the_kernel_echoes(void **state)
{
	(void)state;
	log_set_echo_below(4); /* quiet: errors echoed, warnings not */
	log_warn("w");
	log_err("e");
	assert_string_equal(mock_drain(mock_kmsg[0]), "<4>uvminit: warning: w\n<3>uvminit: error: e\n");
	assert_string_equal(mock_drain(mock_con[0]), "uvminit: warning: w\n");
	log_set_echo_below(7); /* the default: both echoed */
	log_warn("w");
	log_err("e");
	assert_string_equal(mock_drain(mock_con[0]), "");
	mock_drain(mock_kmsg[0]);
	log_set_fds(-1, mock_con[1]); /* no kmsg: the console gets everything */
	log_set_echo_below(7);
	log_err("e");
	assert_string_equal(mock_drain(mock_con[0]), "uvminit: error: e\n");
	log_set_fds(mock_kmsg[1], mock_con[1]);
}

static void test_errno_kept_and_percent_m(void **state)
{
	(void)state;
	errno = ENOENT;
	log_warn("open x: %m");
	assert_int_equal(errno, ENOENT);
	assert_string_equal(mock_drain(mock_con[0]),
			    "uvminit: warning: open x: No such file or directory\n");
	mock_drain(mock_kmsg[0]);
}

static void test_info_without_kmsg_goes_to_console(void **state)
{
	(void)state;
	log_set_fds(-1, mock_con[1]);
	log_info("early");
	assert_string_equal(mock_drain(mock_con[0]), "uvminit: early\n");
	log_set_fds(mock_kmsg[1], mock_con[1]);
}

static void test_long_line_truncated_with_newline(void **state)
{
	char big[2000];
	const char *out;

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_err("%s", big);
	out = mock_drain(mock_kmsg[0]);
	assert_true(strlen(out) < 520);
	assert_int_equal(out[strlen(out) - 1], '\n');
	assert_int_equal(strncmp(out, "<3>uvminit: error: aaaa", 23), 0);
	mock_drain(mock_con[0]);
}

/* A console that takes nothing (a tty stopped with ^S, here a full pipe) must not hold
 * PID 1: with the console owned, a warning returns (the line dropped) instead of
 * blocking. Run in a child whose fd 2 is that pipe, under an alarm. */
static void test_full_console_does_not_block(void **state)
{
	int p[2], st;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe2(p, O_NONBLOCK), 0);
	while (write(p[1], "x", 1) == 1) {
	}
	assert_int_equal(fcntl(p[1], F_SETFL, 0), 0); /* fd 2 itself blocks, as a tty does */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(5);
		dup2(p[1], 2);
		log_set_fds(-1, 2);
		log_console_own();
		log_warn("nobody reads this");
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_info_goes_to_kmsg_only),
		cmocka_unit_test(test_warning_and_error_go_to_both),
		cmocka_unit_test(test_errno_kept_and_percent_m),
		cmocka_unit_test(test_info_without_kmsg_goes_to_console),
		cmocka_unit_test(test_no_second_copy_of_what_the_kernel_echoes),
		cmocka_unit_test(test_long_line_truncated_with_newline),
		cmocka_unit_test(test_full_console_does_not_block),
	};

	return cmocka_run_group_tests_name("init/log", tests, mock_log_pipes_setup,
					   mock_log_pipes_teardown);
}
