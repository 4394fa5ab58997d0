/* vsockexec's option parser, table-driven: hcsshim's shapes, our options, and every
 * usage error with its one-line message. */
#include <setjmp.h>
#include <stdarg.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "args.h"

struct ok_case {
	const char *argv[10];
	int prog;
	bool relay;
	uint32_t in, out, err, timeout, cid;
	enum vx_action action;
	uint32_t hold; /* 0 in the table stands for the default */
};

static const struct ok_case ok_cases[] = {
	{ { "vsockexec", "-e", "109", "/bin/gcs", "-v4", "-log-format", "json" }, 3, false,
	  0, 0, 109, 1000, 2, VX_RUN },
	{ { "vsockexec", "-r", "-e", "109", "/bin/gcs", "-loglevel", "debug" }, 4, true,
	  0, 0, 109, 1000, 2, VX_RUN },
	{ { "vsockexec", "-o", "109", "-e", "109", "/bin/gcs" }, 5, false, 0, 109, 109, 1000, 2,
	  VX_RUN },
	{ { "vsockexec", "-re109", "-i1", "-t", "0", "-c", "3", "p" }, 7, true, 1, 0, 109, 0, 3,
	  VX_RUN },
	{ { "vsockexec", "-t600000", "-c0", "-o", "4294967294", "--", "-e", "5" }, 6, false, 0,
	  4294967294u, 0, 600000, 0, VX_RUN },
	/* options end at the first word that is not one */
	{ { "vsockexec", "prog", "-e", "5" }, 1, false, 0, 0, 0, 1000, 2, VX_RUN },
	{ { "vsockexec", "-", "-e" }, 1, false, 0, 0, 0, 1000, 2, VX_RUN },
	{ { "vsockexec", "-h" }, 0, false, 0, 0, 0, 1000, 2, VX_HELP },
	{ { "vsockexec", "-r", "--help", "-x" }, 0, true, 0, 0, 0, 1000, 2, VX_HELP },
	{ { "vsockexec", "-V" }, 0, false, 0, 0, 0, 1000, 2, VX_VERSION },
	{ { "vsockexec", "--version" }, 0, false, 0, 0, 0, 1000, 2, VX_VERSION },
	{ { "vsockexec", "-rw", "1000", "-e", "109", "p" }, 5, true, 0, 0, 109, 1000, 2, VX_RUN,
	  1000 },
	{ { "vsockexec", "-w0", "-re109", "p" }, 3, true, 0, 0, 109, 1000, 2, VX_RUN, UINT32_MAX },
};

struct bad_case {
	const char *argv[6];
	const char *err;
};

static const struct bad_case bad_cases[] = {
	{ { "vsockexec" }, "no PROGRAM given" },
	{ { "vsockexec", "-r", "--" }, "no PROGRAM given" },
	{ { "vsockexec", "-e", "0", "p" }, "-e 0: not a port in 1..4294967294" },
	{ { "vsockexec", "-e", "4294967295", "p" }, "-e 4294967295: not a port in 1..4294967294" },
	{ { "vsockexec", "-o", "0109", "p" }, "-o 0109: not a port in 1..4294967294" },
	{ { "vsockexec", "-i", "-1", "p" }, "-i -1: not a port in 1..4294967294" },
	{ { "vsockexec", "-e", "10x", "p" }, "-e 10x: not a port in 1..4294967294" },
	{ { "vsockexec", "-e", "", "p" }, "-e : not a port in 1..4294967294" },
	{ { "vsockexec", "-e" }, "-e needs a value" },
	{ { "vsockexec", "-t", "600001", "p" }, "-t 600001: not a timeout in 0..600000 ms" },
	{ { "vsockexec", "-c", "4294967295", "p" }, "-c 4294967295: not a CID in 0..4294967294" },
	{ { "vsockexec", "-w", "1001", "p" }, "-w 1001: not a hold in 0..1000 ms" },
	{ { "vsockexec", "-r", "-w" }, "-w needs a value" },
	{ { "vsockexec", "-x", "p" }, "unknown option -x" },
	{ { "vsockexec", "-e", "1\n2", "p" }, "-e 1?2: not a port in 1..4294967294" },
	{ { "vsockexec", "-\t", "p" }, "unknown option -?" },
	{ { "vsockexec", "-rx", "p" }, "unknown option -x" },
	{ { "vsockexec", "--timeout=5", "p" }, "unknown option --timeout=5" },
};

static int count(const char *const *argv)
{
	int n = 0;

	while (argv[n])
		n++;
	return n;
}

static void test_accepts(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
		const struct ok_case *c = &ok_cases[i];
		struct vx_args a;

		assert_int_equal(vx_parse(&a, count(c->argv), (char *const *)c->argv), 0);
		assert_int_equal(a.action, c->action);
		assert_int_equal(a.relay, c->relay);
		if (c->action != VX_RUN)
			continue;
		assert_int_equal(a.prog, c->prog);
		assert_int_equal(a.port[0], c->in);
		assert_int_equal(a.port[1], c->out);
		assert_int_equal(a.port[2], c->err);
		assert_int_equal(a.timeout_ms, c->timeout);
		assert_int_equal(a.cid, c->cid);
		assert_int_equal(a.hold_ms, c->hold == UINT32_MAX ? 0 :
				 c->hold ? c->hold : VX_HOLD_MS_DEFAULT);
	}
}

static void test_rejects(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct vx_args a;

		assert_int_equal(vx_parse(&a, count(c->argv), (char *const *)c->argv), -EINVAL);
		assert_string_equal(a.err, c->err);
		assert_null(strchr(a.err, '\n'));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts),
		cmocka_unit_test(test_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
