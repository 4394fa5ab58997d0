/* init/modules.c: list parsing, order, and which failures are warnings, with
 * finit_module mocked (the module files are temporary files). */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "mock.h"
#include "modules.h"

static char dir[] = "/tmp/uvminit-mod.XXXXXX";
static char a[64], b[64], c[64];

static void touch(char *path, const char *name)
{
	int fd;

	snprintf(path, 64, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	close(fd);
}

static int group_setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	touch(a, "a.ko");
	touch(b, "b.ko");
	touch(c, "c.ko");
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	unlink(a);
	unlink(b);
	unlink(c);
	rmdir(dir);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	mock_reset();
	mock_sys = true;
	log_set_fds(-1, -1);
	return 0;
}

static void test_order_comments_blanks(void **state)
{
	char text[512];

	(void)state;
	snprintf(text, sizeof(text), "# vsock first\n\n  %s  \n%s\n\t# c.ko later\n%s\n", a, b,
		 c);
	assert_int_equal(modules_load_text(text), 3);
	assert_int_equal(mock_nfinit, 3);
	assert_string_equal(mock_finit_paths[0], a);
	assert_string_equal(mock_finit_paths[1], b);
	assert_string_equal(mock_finit_paths[2], c);
}

static void test_missing_and_loaded_are_warnings(void **state)
{
	char text[512];

	(void)state;
	mock_finit_rc[0] = -EEXIST;
	snprintf(text, sizeof(text), "%s\n%s/missing.ko\n%s\n", a, dir, b);
	assert_int_equal(modules_load_text(text), 1); /* a already loaded, missing skipped */
	assert_int_equal(mock_nfinit, 2);             /* missing.ko never reaches finit */
	assert_string_equal(mock_finit_paths[1], b);
}

static void test_relative_path_skipped(void **state)
{
	char text[] = "lib/modules/x.ko\n";

	(void)state;
	assert_int_equal(modules_load_text(text), 0);
	assert_int_equal(mock_nfinit, 0);
}

static void test_other_errors_do_not_stop(void **state)
{
	char text[512];

	(void)state;
	mock_finit_rc[0] = -ENOEXEC;
	snprintf(text, sizeof(text), "%s\n%s\n", a, b);
	assert_int_equal(modules_load_text(text), 1);
	assert_int_equal(mock_nfinit, 2);
}

/* /sys/module/NAME (here: this kernel's built-in printk and firmware_class) means
 * loaded; '-' in a file name is '_' in the module's name */
static void test_already_loaded_skips_finit(void **state)
{
	char text[512], k[64], p[64];

	(void)state;
	if (access("/sys/module/printk", F_OK) || access("/sys/module/firmware_class", F_OK))
		skip();
	touch(k, "printk.ko");
	touch(p, "firmware-class.ko");
	snprintf(text, sizeof(text), "%s\n%s\n%s\n", k, a, p);
	assert_int_equal(modules_load_text(text), 1);
	assert_int_equal(mock_nfinit, 1);
	assert_string_equal(mock_finit_paths[0], a);
	unlink(k);
	unlink(p);
}

static void test_list_file(void **state)
{
	char list[80];
	FILE *f;

	(void)state;
	assert_int_equal(modules_load("/nonexistent/uvminit/modules"), 0);
	assert_int_equal(mock_nfinit, 0);
	snprintf(list, sizeof(list), "%s/list", dir);
	f = fopen(list, "w");
	assert_non_null(f);
	fprintf(f, "%s\n%s", c, a); /* no final newline */
	fclose(f);
	assert_int_equal(modules_load(list), 2);
	assert_string_equal(mock_finit_paths[0], c);
	assert_string_equal(mock_finit_paths[1], a);
	unlink(list);
}

/* modules_scan counts the listed modules and those /sys/module has already; it loads
 * nothing. printk is built into every kernel this runs on. */
static void test_scan_counts_present(void **state)
{
	char list[80], k[64];
	int present = -1;
	FILE *f;

	(void)state;
	assert_int_equal(access("/sys/module/printk", F_OK), 0);
	assert_int_equal(modules_scan("/nonexistent/uvminit/modules", &present), 0);
	assert_int_equal(present, 0);
	touch(k, "printk.ko");
	snprintf(list, sizeof(list), "%s/list", dir);
	f = fopen(list, "w");
	assert_non_null(f);
	fprintf(f, "# c\n%s\nrelative.ko\n\n  %s\n%s", k, a, b);
	fclose(f);
	assert_int_equal(modules_scan(list, &present), 3);
	assert_int_equal(present, 1);
	assert_int_equal(mock_nfinit, 0);
	unlink(list);
	unlink(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_order_comments_blanks, setup),
		cmocka_unit_test_setup(test_missing_and_loaded_are_warnings, setup),
		cmocka_unit_test_setup(test_relative_path_skipped, setup),
		cmocka_unit_test_setup(test_other_errors_do_not_stop, setup),
		cmocka_unit_test_setup(test_already_loaded_skips_finit, setup),
		cmocka_unit_test_setup(test_list_file, setup),
		cmocka_unit_test_setup(test_scan_counts_present, setup),
	};

	return cmocka_run_group_tests_name("init/modules", tests, group_setup, group_teardown);
}
