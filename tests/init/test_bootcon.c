/* init/bootcon.c: the boot record as console lines (uvminit.bootrec=console), and the
 * kernel timestamps read back from kmsg records. Expected lines written by hand. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "bootcon.h"
#include "bootrec.h"
#include "log.h"
#include "mock.h"

static void record(struct bootrec *r)
{
	struct phase ph = { .name = "mounts", .pid = 1, .start_us = 1600, .end_us = 6600,
			    .cpu_us = 5000 };

	bootrec_init(r, NULL, 0);
	bootrec_str(r, "mode", "direct");
	bootrec_str(r, "argv", "/bin/sh");
	bootrec_str(r, "argv", "two words\nforged=1");
	bootrec_phase(r, 0, &ph);
}

#define LINES                                                                           \
	"uvminit: bootrec: mode=direct\nuvminit: bootrec: argv=/bin/sh\n"                 \
	"uvminit: bootrec: argv=two words\\nforged=1\n"                                   \
	"uvminit: bootrec: phase=mounts 1 1600 6600 5000\n"

/* each record line once on the console and in kmsg (level 5), prefixed, escaped as in
 * /run/uvminit/boot: a value never starts a line of its own */
static void test_lines(void **state)
{
	struct bootrec r;

	(void)state;
	record(&r);
	assert_int_equal(bootrec_log(&r), 4);
	assert_string_equal(mock_drain(mock_con[0]), LINES);
	assert_string_equal(mock_drain(mock_kmsg[0]),
			    "<5>uvminit: bootrec: mode=direct\n<5>uvminit: bootrec: argv=/bin/sh\n"
			    "<5>uvminit: bootrec: argv=two words\\nforged=1\n"
			    "<5>uvminit: bootrec: phase=mounts 1 1600 6600 5000\n");
	bootrec_free(&r);
}

/* a kernel that echoes level 5 (console_loglevel 7, no `quiet`) prints them itself: init
 * writes kmsg only; under `quiet` (4) init writes the console too */
static void test_once_on_the_console(void **state)
{
	struct bootrec r;

	(void)state;
	record(&r);
	log_set_echo_below(7);
	bootrec_log(&r);
	assert_string_equal(mock_drain(mock_con[0]), "");
	assert_true(strlen(mock_drain(mock_kmsg[0])) > 0);
	log_set_echo_below(4);
	bootrec_log(&r);
	assert_string_equal(mock_drain(mock_con[0]), LINES);
	mock_drain(mock_kmsg[0]);
	bootrec_free(&r);
}

/* a console that takes nothing costs one line's wait (250 ms), not one per line; kmsg
 * still gets every line; a warning after it still tries the console */
static void test_stuck_console(void **state)
{
	struct timespec a, b;
	struct bootrec r;
	char fill[4096];
	long ms;
	int n = 0;

	(void)state;
	memset(fill, 'x', sizeof(fill));
	while (write(mock_con[1], fill, sizeof(fill)) > 0) {
	}
	bootrec_init(&r, NULL, 0);
	for (int i = 0; i < 12; i++)
		bootrec_num(&r, "n", i);
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(bootrec_log(&r), 12);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	assert_true(ms >= 200);
	assert_true(ms < 1000);
	for (const char *p = mock_drain(mock_kmsg[0]); (p = strstr(p, "<5>uvminit: bootrec: n=")); p++)
		n++;
	assert_int_equal(n, 12);
	while (read(mock_con[0], fill, sizeof(fill)) > 0) {
	}
	log_warn("after");
	assert_string_equal(mock_drain(mock_con[0]), "uvminit: warning: after\n");
	mock_drain(mock_kmsg[0]);
	log_set_fds(mock_kmsg[1], mock_con[1]); /* a fresh logger for the next test */
	bootrec_free(&r);
}

static void feed(struct kmsg_times *t, const char *rec, int want)
{
	assert_int_equal(kmsg_times_record(t, rec, strlen(rec)), want);
}

/* the last "Run ... as init process" before the mark; records after it are not read */
static void test_kmsg_times(void **state)
{
	struct kmsg_times t = { -1, -1 };

	(void)state;
	feed(&t, "6,1,52000,-;Linux version 6.1.0\n", 0);
	assert_int_equal(t.exec_us, -1);
	feed(&t, "6,400,1900123,-;Run /bin/testinit as init process\n", 0);
	assert_int_equal(t.exec_us, 1900123);
	feed(&t, "6,401,1900124,-,caller=T1;  with arguments:\n", 0);
	feed(&t, "14,420,1950000,-;Run /init as init process (testinit)\n", 0);
	assert_int_equal(t.exec_us, 1950000);
	feed(&t, "garbage;Run /x as init process\n", 0);
	feed(&t, "6,421,,-;Run /x as init process\n", 0);
	feed(&t, "6,422,1960000,-\n", 0);
	feed(&t, "6,423,1970000,-;Run /x\n", 0);
	assert_int_equal(t.exec_us, 1950000);
	assert_int_equal(t.mark_us, -1);
	feed(&t, "13,499,2012000,-;uvminit: bootrec: begin\n", 0);
	feed(&t, "14,500,2012345,-;uvminit: bootrec: clock\n", 1);
	assert_int_equal(t.mark_us, 2012345);
	assert_int_equal(t.exec_us, 1950000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lines, mock_log_pipes_setup,
						mock_log_pipes_teardown),
		cmocka_unit_test_setup_teardown(test_once_on_the_console, mock_log_pipes_setup,
						mock_log_pipes_teardown),
		cmocka_unit_test_setup_teardown(test_stuck_console, mock_log_pipes_setup,
						mock_log_pipes_teardown),
		cmocka_unit_test(test_kmsg_times),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
