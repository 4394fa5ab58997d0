/* init/cgroup.c: the pure helpers, and the v2/v1 choice with mount and the BPF
 * device-cgroup check mocked. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cgroup.h"
#include "log.h"
#include "mock.h"

static int setup(void **state)
{
	(void)state;
	mock_reset();
	mock_fs = mock_sys = true;
	log_set_fds(-1, -1);
	return 0;
}

static void test_subtree_line(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(cgroup_subtree_line("cpuset cpu io memory hugetlb pids\n", out,
					     sizeof(out)), 39);
	assert_string_equal(out, "+cpuset +cpu +io +memory +hugetlb +pids");
	assert_int_equal(cgroup_subtree_line("\n", out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(cgroup_subtree_line("memory", out, sizeof(out)), 7);
	assert_string_equal(out, "+memory");
	assert_int_equal(cgroup_subtree_line("cpu memory", out, 12), -ENOSPC);
	assert_int_equal(cgroup_subtree_line("cpu memory", out, 13), 12);
}

static void test_v1_next(void **state)
{
	const char *text = "#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
			   "cpuset\t0\t1\t1\n"
			   "cpu\t0\t1\t0\n"
			   "memory\t3\t40\t1\n"
			   "garbage line\n"
			   "pids\t0\t1\t1";
	const char *pos = text;
	char name[16];

	(void)state;
	assert_int_equal(cgroup_v1_next(&pos, name, sizeof(name)), 1);
	assert_string_equal(name, "cpuset");
	assert_int_equal(cgroup_v1_next(&pos, name, sizeof(name)), 1);
	assert_string_equal(name, "memory"); /* cpu is disabled */
	assert_int_equal(cgroup_v1_next(&pos, name, sizeof(name)), 1);
	assert_string_equal(name, "pids");
	assert_int_equal(cgroup_v1_next(&pos, name, sizeof(name)), 0);
	pos = "averyveryverylongcontrollername\t0\t1\t1\n";
	assert_int_equal(cgroup_v1_next(&pos, name, sizeof(name)), 0);
}

static void test_v2_when_usable(void **state)
{
	(void)state;
	assert_int_equal(cgroup_setup(CGROUP_AUTO), CGROUP_RESULT_V2);
	assert_int_equal(mock_fs_find("mount /sys/fs/cgroup cgroup2"), 0);
	assert_int_equal(mock_bpf_calls, 1);
	assert_int_equal(mock_fs_find("umount /sys/fs/cgroup"), -1);
}

static void test_v1_without_bpf_device_cgroup(void **state)
{
	(void)state;
	mock_bpf_rc = -EINVAL;
	assert_int_equal(cgroup_setup(CGROUP_AUTO), CGROUP_RESULT_V1);
	assert_true(mock_fs_find("umount /sys/fs/cgroup") > 0);
	assert_true(mock_fs_find("mount /sys/fs/cgroup tmpfs") > 0);
}

static void test_v1_when_cgroup2_mount_fails(void **state)
{
	(void)state;
	mock_fs_fail("mount /sys/fs/cgroup cgroup2", ENODEV);
	assert_int_equal(cgroup_setup(CGROUP_AUTO), CGROUP_RESULT_V1);
	assert_int_equal(mock_bpf_calls, 0);
}

static void test_forced_v1(void **state)
{
	(void)state;
	assert_int_equal(cgroup_setup(CGROUP_V1), CGROUP_RESULT_V1);
	assert_int_equal(mock_fs_find("mount /sys/fs/cgroup cgroup2"), -1);
	assert_int_equal(mock_fs_find("mount /sys/fs/cgroup tmpfs"), 0);
}

static void test_forced_v2_skips_the_bpf_check(void **state)
{
	(void)state;
	mock_bpf_rc = -EINVAL;
	assert_int_equal(cgroup_setup(CGROUP_V2), CGROUP_RESULT_V2);
	assert_int_equal(mock_bpf_calls, 0);
}

static void test_none_when_nothing_mounts(void **state)
{
	(void)state;
	mock_fs_fail("mount /sys/fs/cgroup", EPERM);
	assert_int_equal(cgroup_setup(CGROUP_AUTO), CGROUP_RESULT_NONE);
	assert_string_equal(cgroup_result_name(CGROUP_RESULT_NONE), "none");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subtree_line),
		cmocka_unit_test(test_v1_next),
		cmocka_unit_test_setup(test_v2_when_usable, setup),
		cmocka_unit_test_setup(test_v1_without_bpf_device_cgroup, setup),
		cmocka_unit_test_setup(test_v1_when_cgroup2_mount_fails, setup),
		cmocka_unit_test_setup(test_forced_v1, setup),
		cmocka_unit_test_setup(test_forced_v2_skips_the_bpf_check, setup),
		cmocka_unit_test_setup(test_none_when_nothing_mounts, setup),
	};

	return cmocka_run_group_tests_name("init/cgroup", tests, NULL, NULL);
}
