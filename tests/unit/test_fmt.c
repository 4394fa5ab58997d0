/* gcs-launch/fmt.c, vsockexec's snprintf: every conversion it offers gives what libc's
 * snprintf gives, truncation and the returned length included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fmt.h"

#if defined(__GNUC__) && !defined(__clang__)
/* the truncation below is the point */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif

/* both formatters on the same arguments, into buffers of the same size */
#define SAME(size, ...)                                                           \
	do {                                                                      \
		char want[size ? size : 1], got[size ? size : 1];                 \
		int w = snprintf(want, size, __VA_ARGS__);                        \
		int g = fmt_snprintf(got, size, __VA_ARGS__);                     \
		assert_int_equal(g, w);                                           \
		if (size)                                                         \
			assert_string_equal(got, want);                           \
	} while (0)

static void test_like_libc(void **state)
{
	(void)state;
	SAME(64, "plain");
	SAME(64, "%s and %s", "one", "two");
	SAME(64, "-%c %.40s: not a port in %u..%u", 'e', "x123456789012345678901234567890123456789012345", 1u,
	     4294967294u);
	SAME(64, "%.*s|", 3, "abcdef");
	SAME(64, "%d %d %i %u", 0, -7, INT32_MIN, UINT32_MAX);
	SAME(64, "%ld %lu %lld %llu", -5L, 5UL, (long long)INT64_MIN, (unsigned long long)UINT64_MAX);
	SAME(64, "%zu %zd %jd %ju %td", (size_t)42, (size_t)7, (intmax_t)-1, (uintmax_t)9,
	     (ptrdiff_t)-3);
	SAME(64, "%" PRIu64 " bytes %" PRIu32, (uint64_t)1 << 40, (uint32_t)109);
	SAME(64, "%x %lx %hu %%", 0xbeefu, 0xdeadbeefUL, (unsigned short)65535);
	/* truncated: the length is still the whole output's, the buffer terminated */
	SAME(8, "port %u: %s", 109u, "connection refused");
	SAME(1, "%s", "abc");
	SAME(0, "%s", "abc");
}

static void test_m_keeps_errno(void **state)
{
	char buf[128];

	(void)state;
	errno = ENOENT;
	fmt_snprintf(buf, sizeof(buf), "open: %m");
	assert_int_equal(errno, ENOENT);
	assert_string_equal(buf + 6, strerror(ENOENT));
}

static void test_unsupported_stops(void **state)
{
	char buf[64];

	(void)state;
	/* a field width: not offered */
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "a %5d b", 1), 4);
	assert_string_equal(buf, "a %?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_like_libc),
		cmocka_unit_test(test_m_keeps_errno),
		cmocka_unit_test(test_unsupported_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
