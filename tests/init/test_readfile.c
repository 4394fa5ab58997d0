/* init/readfile.c: whole files into a caller's buffer (the boot path) or the heap. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "readfile.h"

static char path[] = "/tmp/uvminit-readfile.XXXXXX";

static void put(const char *text)
{
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	strcpy(path, "/tmp/uvminit-readfile.XXXXXX");
	return 0;
}

/* a file that fits, to the last byte (cap - 1 bytes and the NUL) */
static void test_into_exact_fit(void **state)
{
	char buf[6];
	size_t len;

	(void)state;
	put("hello");
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(read_file_into(path, buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 5);
	assert_string_equal(buf, "hello");
}

/* one byte too many: -EFBIG, the first cap - 1 bytes kept */
static void test_into_too_big(void **state)
{
	char buf[6];
	size_t len;

	(void)state;
	put("hello!");
	assert_int_equal(read_file_into(path, buf, sizeof(buf), &len), -EFBIG);
	assert_int_equal(len, 5);
	assert_string_equal(buf, "hello");
}

/* a missing file: -ENOENT and an empty string, never stale bytes */
static void test_into_missing(void **state)
{
	char buf[8] = "stale";
	size_t len = 99;

	(void)state;
	assert_int_equal(read_file_into("/nonexistent/uvminit", buf, sizeof(buf), &len), -ENOENT);
	assert_int_equal(len, 0);
	assert_string_equal(buf, "");
}

/* a /proc file (its size reads as 0) comes whole */
static void test_into_proc(void **state)
{
	char buf[4096];
	size_t len;

	(void)state;
	assert_int_equal(read_file_into("/proc/self/stat", buf, sizeof(buf), &len), 0);
	assert_true(len > 10);
	assert_int_equal(strlen(buf), len);
	assert_int_equal(buf[len - 1], '\n');
}

/* read_file_buf: the caller's buffer when it fits, else the heap, whole */
static void test_buf_falls_back_to_heap(void **state)
{
	char buf[4], *out;
	size_t len;

	(void)state;
	put("abc");
	assert_int_equal(read_file_buf(path, buf, sizeof(buf), &out, &len), 0);
	assert_ptr_equal(out, buf);
	assert_string_equal(out, "abc");
	teardown(state);
	put("abcdefgh");
	assert_int_equal(read_file_buf(path, buf, sizeof(buf), &out, &len), 0);
	assert_ptr_not_equal(out, buf);
	assert_int_equal(len, 8);
	assert_string_equal(out, "abcdefgh");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_into_exact_fit, teardown),
		cmocka_unit_test_teardown(test_into_too_big, teardown),
		cmocka_unit_test(test_into_missing),
		cmocka_unit_test(test_into_proc),
		cmocka_unit_test_teardown(test_buf_falls_back_to_heap, teardown),
	};

	return cmocka_run_group_tests_name("init/readfile", tests, NULL, NULL);
}
