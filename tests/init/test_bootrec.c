/* init/bootrec.c: key=value lines, one per value, written whole. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bootrec.h"
#include "readfile.h"

/* Writes r to a scratch file and checks the file holds exactly want. */
static void assert_written(struct bootrec *r, const char *want)
{
	char path[] = "/tmp/uvminit-rec.XXXXXX";
	char *text;
	size_t len;
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(bootrec_write(r, path), 0);
	assert_null(r->buf);
	assert_int_equal(read_whole_file(path, &text, &len), 0);
	assert_string_equal(text, want);
	free(text);
	unlink(path);
}

static void test_lines(void **state)
{
	struct bootrec r = { 0 };

	(void)state;
	bootrec_str(&r, "mode", "direct");
	bootrec_str(&r, "argv", "/bin/gcs");
	bootrec_str(&r, "argv", "two words");
	bootrec_str(&r, "argv", "");
	bootrec_str(&r, "error", "forged\nkey=1");
	bootrec_str(&r, "argv", "tab\there\\ bell\a");
	bootrec_num(&r, "t_total_us", 12345LL);
	bootrec_num(&r, "neg", -9223372036854775807LL - 1);
	bootrec_num(&r, "zero", 0);
	assert_written(&r, "mode=direct\nargv=/bin/gcs\nargv=two words\nargv=\n"
			   "error=forged\\nkey=1\nargv=tab\\there\\\\ bell\\x07\n"
			   "t_total_us=12345\nneg=-9223372036854775808\nzero=0\n");
}

static void test_grows_past_initial_buffer(void **state)
{
	char path[] = "/tmp/uvminit-rec.XXXXXX", big[3000];
	struct bootrec r = { 0 };
	char *text;
	size_t len;
	int fd;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	for (int i = 0; i < 4; i++)
		bootrec_str(&r, "argv", big);
	assert_int_equal(bootrec_write(&r, path), 0);
	assert_int_equal(read_whole_file(path, &text, &len), 0);
	assert_int_equal(len, 4 * (5 + sizeof(big) - 1 + 1));
	free(text);
	unlink(path);
}

/* in the caller's storage: no allocation until it is outgrown, then the lines so far
 * move to the heap whole */
static void test_caller_storage(void **state)
{
	char store[64];
	struct bootrec r;

	(void)state;
	bootrec_init(&r, store, sizeof(store));
	bootrec_str(&r, "mode", "direct");
	assert_ptr_equal(r.buf, store);
	assert_int_equal(r.heap, 0);
	assert_memory_equal(store, "mode=direct\n", 12);
	bootrec_str(&r, "argv", "a value long enough to need more than sixty-four bytes");
	assert_ptr_not_equal(r.buf, store);
	assert_int_equal(r.heap, 1);
	assert_written(&r, "mode=direct\n"
			   "argv=a value long enough to need more than sixty-four bytes\n");
}

static void test_write_failure(void **state)
{
	struct bootrec r = { 0 };

	(void)state;
	bootrec_str(&r, "mode", "verbatim");
	assert_int_equal(bootrec_write(&r, "/nonexistent/dir/boot"), -ENOENT);
	assert_null(r.buf);
}

/* a phase line: name, pid, start and end relative to t0, CPU */
static void test_phase_line(void **state)
{
	struct phase p = { .name = "lo", .pid = 7, .start_us = 1100, .end_us = 1350,
			   .cpu_us = 200 };
	struct bootrec r = { 0 };

	(void)state;
	bootrec_phase(&r, 1000, &p);
	phase_begin(&p, "x");
	phase_end(&p);
	assert_int_equal(p.pid, getpid());
	assert_true(p.end_us >= p.start_us);
	assert_true(p.cpu_us >= 0);
	p = (struct phase){ .name = "early", .pid = 12, .start_us = 900, .end_us = 1000 };
	bootrec_phase(&r, 1000, &p);
	assert_written(&r, "phase=lo 7 100 350 200\nphase=early 12 -100 0 0\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_phase_line),
		cmocka_unit_test(test_grows_past_initial_buffer),
		cmocka_unit_test(test_write_failure),
		cmocka_unit_test(test_caller_storage),
	};

	return cmocka_run_group_tests_name("init/bootrec", tests, NULL, NULL);
}
