/* init/fs.c: the table loop (tolerated errno, optional ops, first required failure
 * stops) and the base table's shape, with mount/mkdir/symlink mocked. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fs.h"
#include "log.h"
#include "mock.h"

static int setup(void **state)
{
	(void)state;
	mock_reset();
	mock_fs = true;
	log_set_fds(-1, -1);
	return 0;
}

static const struct fs_op table[] = {
	{ FS_MKDIR, "/a", .mode = 0755, .tolerate = EEXIST },
	{ FS_MOUNT, "/a", "src", "tmpfs", 0, NULL, .tolerate = EBUSY },
	{ FS_SYMLINK, "/l", "/a", .optional = 1 },
	{ FS_MOUNT, "/b", "src", "proc", 0, NULL },
	{ FS_MKDIR, "/c", .mode = 0755 },
};

static void test_all_ops_in_order(void **state)
{
	(void)state;
	assert_int_equal(fs_run(table, 5), 0);
	assert_int_equal(mock_fs_ncalls, 5);
	assert_string_equal(mock_fs_calls[0], "mkdir /a");
	assert_string_equal(mock_fs_calls[1], "mount /a tmpfs");
	assert_string_equal(mock_fs_calls[2], "symlink /l");
	assert_string_equal(mock_fs_calls[3], "mount /b proc");
	assert_string_equal(mock_fs_calls[4], "mkdir /c");
}

static void test_tolerated_errno_is_success(void **state)
{
	(void)state;
	mock_fs_fail("mkdir /a", EEXIST);
	mock_fs_fail("mount /a", EBUSY);
	assert_int_equal(fs_run(table, 5), 0);
	assert_int_equal(mock_fs_ncalls, 5);
}

static void test_other_errno_of_tolerant_op_fails(void **state)
{
	(void)state;
	mock_fs_fail("mount /a", EPERM);
	assert_int_equal(fs_run(table, 5), -EPERM);
	assert_int_equal(mock_fs_ncalls, 2); /* stopped there */
}

static void test_optional_failure_goes_on(void **state)
{
	(void)state;
	mock_fs_fail("symlink /l", EROFS);
	assert_int_equal(fs_run(table, 5), 0);
	assert_int_equal(mock_fs_ncalls, 5);
}

static void test_required_failure_stops(void **state)
{
	(void)state;
	mock_fs_fail("mount /b", ENODEV);
	assert_int_equal(fs_run(table, 5), -ENODEV);
	assert_int_equal(mock_fs_ncalls, 4);
}

static void test_base_table(void **state)
{
	(void)state;
	assert_int_equal(fs_mount_base(), 0);
	assert_int_equal(mock_fs_find("mount /dev devtmpfs"), 0); /* first of all */
	assert_true(mock_fs_find("mount /proc proc") > 0);
	assert_true(mock_fs_find("mount /sys sysfs") > 0);
	assert_true(mock_fs_find("mount /run tmpfs") > 0);
	assert_true(mock_fs_find("mkdir /run/uvminit") > mock_fs_find("mount /run tmpfs"));
	assert_true(mock_fs_find("mount /tmp tmpfs") > 0);
	assert_true(mock_fs_find("mount /dev/pts devpts") > 0);
	assert_true(mock_fs_find("mount /dev/shm tmpfs") > 0);
	assert_true(mock_fs_find("symlink /dev/fd") > 0);
	assert_true(mock_fs_find("symlink /dev/stderr") > 0);
}

/* a mount point that is there costs no mkdir; a missing one is made, then mounted */
static void test_base_mount_points(void **state)
{
	(void)state;
	assert_int_equal(fs_mount_base(), 0);
	assert_int_equal(mock_fs_find("mkdir /proc"), -1);
	assert_int_equal(mock_fs_find("mkdir /sys"), -1);
	assert_int_equal(mock_fs_find("mkdir /run"), -1);
	mock_fs_ncalls = 0;
	mock_fs_fail_once("mount /sys", ENOENT);
	assert_int_equal(fs_mount_base(), 0);
	assert_true(mock_fs_find("mkdir /sys") > mock_fs_find("mount /sys sysfs"));
	assert_int_equal(mock_fs_count("mount /sys sysfs"), 2);
	/* still missing after the mkdir: the mount's own error */
	mock_fs_ncalls = 0;
	mock_fs_fail("mount /sys", ENOENT);
	assert_int_equal(fs_mount_base(), -ENOENT);
	/* a mkdir that fails says why */
	mock_fs_ncalls = 0;
	mock_fs_fail(NULL, 0);
	mock_fs_fail("mount /proc", ENOENT);
	mock_fs_fail("mkdir /proc", EROFS);
	assert_int_equal(fs_mount_base(), -EROFS);
}

static void test_base_devtmpfs_already_mounted(void **state)
{
	(void)state;
	mock_fs_fail("mount /dev devtmpfs", EBUSY);
	mock_fs_fail("mkdir /", EEXIST); /* every directory exists already */
	mock_fs_fail("symlink /dev/", EEXIST);
	assert_int_equal(fs_mount_base(), 0);
}

static void test_base_proc_failure_is_fatal(void **state)
{
	(void)state;
	mock_fs_fail("mount /proc", EPERM);
	assert_int_equal(fs_mount_base(), -EPERM);
}

static void test_base_tmp_failure_is_not(void **state)
{
	(void)state;
	mock_fs_fail("mount /tmp", ENOMEM);
	mock_fs_fail("mount /dev/shm", ENOMEM);
	assert_int_equal(fs_mount_base(), 0);
}

static void test_overlays(void **state)
{
	(void)state;
	assert_int_equal(fs_mount_overlays(), 0);
	assert_true(mock_fs_find("mount /etc overlay") > mock_fs_find("mkdir /run/over/etc/work"));
	assert_true(mock_fs_find("mount /var overlay") > mock_fs_find("mkdir /run/over/var/work"));
	mock_fs_ncalls = 0;
	mock_fs_fail("mount /etc", EINVAL);
	assert_int_equal(fs_mount_overlays(), -EINVAL);
}

/* ENODEV from a mount whose file system is a module: load it, mount again */
static void test_module_on_demand(void **state)
{
	char mod[] = "/tmp/uvminit-fs.XXXXXX";
	struct fs_op op[] = {
		{ FS_MOUNT, "/etc", "overlay", "overlay", 0, NULL, .module = mod },
	};
	int fd;

	(void)state;
	fd = mkstemp(mod);
	assert_true(fd >= 0);
	close(fd);
	mock_sys = true;
	mock_fs_fail_once("mount /etc", ENODEV);
	assert_int_equal(fs_run(op, 1), 0);
	assert_int_equal(mock_fs_ncalls, 2);
	assert_int_equal(mock_nfinit, 1);
	assert_string_equal(mock_finit_paths[0], mod);

	/* the module does not help: the second ENODEV is the error */
	mock_fs_ncalls = 0;
	mock_fs_fail("mount /etc", ENODEV);
	assert_int_equal(fs_run(op, 1), -ENODEV);
	assert_int_equal(mock_fs_ncalls, 2);

	/* no module file: one mount, its error */
	mock_fs_ncalls = 0;
	mock_nfinit = 0;
	unlink(mod);
	assert_int_equal(fs_run(op, 1), -ENODEV);
	assert_int_equal(mock_fs_ncalls, 1);
	assert_int_equal(mock_nfinit, 0);
}

static void test_overlay_ops_load_overlay_module(void **state)
{
	(void)state;
	mock_sys = true;
	mock_fs_fail("mount /etc", ENODEV);
	assert_int_equal(fs_mount_overlays(), -ENODEV); /* OVERLAY_MODULE is not on this host */
	mock_fs_fail("mount /etc", 0);
	assert_int_equal(fs_mount_overlays(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_base_mount_points, setup),
		cmocka_unit_test_setup(test_all_ops_in_order, setup),
		cmocka_unit_test_setup(test_tolerated_errno_is_success, setup),
		cmocka_unit_test_setup(test_other_errno_of_tolerant_op_fails, setup),
		cmocka_unit_test_setup(test_optional_failure_goes_on, setup),
		cmocka_unit_test_setup(test_required_failure_stops, setup),
		cmocka_unit_test_setup(test_base_table, setup),
		cmocka_unit_test_setup(test_base_devtmpfs_already_mounted, setup),
		cmocka_unit_test_setup(test_base_proc_failure_is_fatal, setup),
		cmocka_unit_test_setup(test_base_tmp_failure_is_not, setup),
		cmocka_unit_test_setup(test_overlays, setup),
		cmocka_unit_test_setup(test_module_on_demand, setup),
		cmocka_unit_test_setup(test_overlay_ops_load_overlay_module, setup),
	};

	return cmocka_run_group_tests_name("init/fs", tests, NULL, NULL);
}
