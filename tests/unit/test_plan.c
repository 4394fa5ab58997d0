/* Table-driven tests of the launch plan: every mode against every command shape
 * hcsshim emits, and every class of bad input. Expected outputs are written by hand
 * from CONTRACT.md, never produced by the code under test. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cmdline.h"
#include "parse.h"
#include "plan.h"

#define MAX_ARGS 24

struct plan_case {
	const char *name;
	const char *cmdline;
	const char *args[MAX_ARGS]; /* init's arguments, NULL-terminated */
	const char *expect;         /* the full dry-run output */
};

#define GCS_FLAGS "/bin/gcs", "-v4", "-log-format", "json", "-loglevel", "debug"
#define OUT_GCS_FLAGS "argv=/bin/gcs\nargv=-v4\nargv=-log-format\nargv=json\nargv=-loglevel\nargv=debug\n"
#define HEAD(mode, eport, lport, ov) \
	"mode=" mode "\nentropy_port=" eport "\nlog_port=" lport "\noverlay=" ov "\n"
#define OUT_WRAP(opt) "argv=/bin/vsockexec\n" opt
#define OUT_ADDED_WRAP(port) "argv=/bin/vsockexec\nargv=-r\nargv=-e\nargv=" port "\n"
#define OUT_DEFAULT "argv=/bin/gcs\nargv=-loglevel\nargv=debug\nargv=-logfile=/run/gcs/gcs.log\n"

static const struct plan_case cases[] = {
	/* --- the three modes against hcsshim's command shapes --------------------- */
	{ "verbatim -e 109", "console=ttyS0 quiet",
	  { "-e", "1", "/bin/vsockexec", "-e", "109", GCS_FLAGS },
	  HEAD("verbatim", "1", "109", "0") OUT_WRAP("argv=-e\nargv=109\n") OUT_GCS_FLAGS },
	{ "direct -e 109", "console=ttyS0 uvminit.migratable=1",
	  { "-e", "1", "/bin/vsockexec", "-e", "109", GCS_FLAGS },
	  HEAD("direct", "1", "109", "0") OUT_GCS_FLAGS },
	{ "wrapped -e 109 is not wrapped twice", "uvminit.migratable=0",
	  { "-e", "1", "/bin/vsockexec", "-e", "109", GCS_FLAGS },
	  HEAD("wrapped", "1", "109", "0") OUT_WRAP("argv=-e\nargv=109\n") OUT_GCS_FLAGS },
	{ "verbatim -o 109 -e 109", "",
	  { "-e", "1", "/bin/vsockexec", "-o", "109", "-e", "109", GCS_FLAGS },
	  HEAD("verbatim", "1", "109", "0")
	  OUT_WRAP("argv=-o\nargv=109\nargv=-e\nargv=109\n") OUT_GCS_FLAGS },
	{ "direct -o 109 -e 109", "uvminit.migratable=true",
	  { "-e", "1", "/bin/vsockexec", "-o", "109", "-e", "109", GCS_FLAGS },
	  HEAD("direct", "1", "109", "0") OUT_GCS_FLAGS },
	{ "wrapped -o 109 -e 109", "uvminit.migratable=no",
	  { "-e", "1", "/bin/vsockexec", "-o", "109", "-e", "109", GCS_FLAGS },
	  HEAD("wrapped", "1", "109", "0")
	  OUT_WRAP("argv=-o\nargv=109\nargv=-e\nargv=109\n") OUT_GCS_FLAGS },
	{ "verbatim relay -r -e 109", "",
	  { "-e", "1", "/bin/vsockexec", "-r", "-e", "109", GCS_FLAGS },
	  HEAD("verbatim", "1", "109", "0") OUT_WRAP("argv=-r\nargv=-e\nargv=109\n") OUT_GCS_FLAGS },
	{ "direct relay -r -e 109", "uvminit.migratable=yes",
	  { "-e", "1", "/bin/vsockexec", "-r", "-e", "109", GCS_FLAGS },
	  HEAD("direct", "1", "109", "0") OUT_GCS_FLAGS },
	{ "wrapped relay -r -e 109", "uvminit.migratable=off",
	  { "-e", "1", "/bin/vsockexec", "-r", "-e", "109", GCS_FLAGS },
	  HEAD("wrapped", "1", "109", "0") OUT_WRAP("argv=-r\nargv=-e\nargv=109\n") OUT_GCS_FLAGS },
	{ "verbatim -w and agent flags", "",
	  { "-e", "1", "-w", "/bin/vsockexec", "-e", "109", GCS_FLAGS, "-scrub-logs=false",
	    "-core-dump-location", "/tmp/dumps" },
	  HEAD("verbatim", "1", "109", "1") OUT_WRAP("argv=-e\nargv=109\n") OUT_GCS_FLAGS
	  "argv=-scrub-logs=false\nargv=-core-dump-location\nargv=/tmp/dumps\n" },
	{ "direct refuses -w and keeps agent flags", "uvminit.migratable=on",
	  { "-e", "1", "-w", "/bin/vsockexec", "-e", "109", GCS_FLAGS, "-scrub-logs=false",
	    "-core-dump-location", "/tmp/dumps" },
	  HEAD("direct", "1", "109", "0") OUT_GCS_FLAGS
	  "argv=-scrub-logs=false\nargv=-core-dump-location\nargv=/tmp/dumps\n"
	  "error=init: -w refused in direct mode (migratable VM); no writable overlays\n" },
	{ "wrapped keeps -w", "uvminit.migratable=false",
	  { "-e", "1", "-w", "/bin/vsockexec", "-e", "109", GCS_FLAGS },
	  HEAD("wrapped", "1", "109", "1") OUT_WRAP("argv=-e\nargv=109\n") OUT_GCS_FLAGS },
	{ "unwrapped command, verbatim", "", { "-e", "1", GCS_FLAGS },
	  HEAD("verbatim", "1", "109", "0") OUT_GCS_FLAGS },
	{ "unwrapped command, direct", "uvminit.migratable=1", { "-e", "1", GCS_FLAGS },
	  HEAD("direct", "1", "109", "0") OUT_GCS_FLAGS },
	{ "unwrapped command, wrapped adds the wrapper", "uvminit.migratable=0",
	  { "-e", "1", GCS_FLAGS },
	  HEAD("wrapped", "1", "109", "0") OUT_ADDED_WRAP("109") OUT_GCS_FLAGS },
	{ "wrapped uses uvminit.log_port", "uvminit.migratable=0 uvminit.log_port=4294967294",
	  { GCS_FLAGS },
	  HEAD("wrapped", "0", "4294967294", "0") OUT_ADDED_WRAP("4294967294") OUT_GCS_FLAGS },
	{ "direct strips a bare-name wrapper with joined options", "uvminit.migratable=1",
	  { "vsockexec", "-o109", "-re109", "--", GCS_FLAGS },
	  HEAD("direct", "0", "109", "0") OUT_GCS_FLAGS },
	{ "direct strips a wrapper at another path", "uvminit.migratable=1",
	  { "/usr/local/bin/vsockexec", "-i", "5", "-w", "0", "-e", "109", "/bin/gcs" },
	  HEAD("direct", "0", "109", "0") "argv=/bin/gcs\n" },
	{ "a program merely named like vsockexec is not a wrapper", "uvminit.migratable=1",
	  { "/bin/vsockexec2", "-e", "109", "/bin/gcs" },
	  HEAD("direct", "0", "109", "0") "argv=/bin/vsockexec2\nargv=-e\nargv=109\nargv=/bin/gcs\n" },
	{ "agent flags that look like wrapper options pass unchanged", "uvminit.migratable=1",
	  { "/bin/vsockexec", "-e", "109", "/bin/gcs", "-e", "1", "--", "-r" },
	  HEAD("direct", "0", "109", "0") "argv=/bin/gcs\nargv=-e\nargv=1\nargv=--\nargv=-r\n" },
	{ "default command", "", { NULL }, HEAD("verbatim", "0", "109", "0") OUT_DEFAULT },
	{ "default command, wrapped", "uvminit.migratable=0", { "-e", "1" },
	  HEAD("wrapped", "1", "109", "0") OUT_ADDED_WRAP("109") OUT_DEFAULT },
	{ "init options: joined and grouped, then --", "",
	  { "-we1", "-d/bin/sh", "--", "-x" },
	  HEAD("verbatim", "1", "109", "1") "argv=-x\n" },
	/* --- the kernel command line ----------------------------------------------- */
	{ "parameters after -- are not parameters", "quiet -- uvminit.migratable=1",
	  { GCS_FLAGS }, HEAD("verbatim", "0", "109", "0") OUT_GCS_FLAGS },
	{ "quoted value with spaces and a quoted --", "x=\"a -- b\" uvminit.migratable=\"1\"",
	  { "/bin/gcs" }, HEAD("direct", "0", "109", "0") "argv=/bin/gcs\n" },
	{ "a quoted -- also ends the parameters", "\"--\" uvminit.migratable=1", { "/bin/gcs" },
	  HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\n" },
	{ "last occurrence wins", "uvminit.migratable=0 uvminit.migratable=1 uvminit.log_port=5 uvminit.log_port=7",
	  { "/bin/gcs" }, HEAD("direct", "0", "7", "0") "argv=/bin/gcs\n" },
	{ "a bare flag is true", "uvminit.migratable", { "/bin/gcs" },
	  HEAD("direct", "0", "109", "0") "argv=/bin/gcs\n" },
	{ "tabs and newlines separate", "\tuvminit.migratable=0\n", { "/bin/gcs" },
	  HEAD("wrapped", "0", "109", "0") OUT_ADDED_WRAP("109") "argv=/bin/gcs\n" },
	/* --- bad input --------------------------------------------------------------- */
	{ "invalid boolean: direct mode and named", "uvminit.migratable=maybe", { "/bin/gcs" },
	  HEAD("direct", "0", "109", "0") "argv=/bin/gcs\n"
	  "error=uvminit.migratable=maybe: not a boolean; using direct mode\n" },
	{ "empty boolean", "uvminit.migratable=", { "/bin/gcs" },
	  HEAD("direct", "0", "109", "0") "argv=/bin/gcs\n"
	  "error=uvminit.migratable=: not a boolean; using direct mode\n" },
	{ "case matters for booleans", "uvminit.migratable=TRUE", { "/bin/gcs" },
	  HEAD("direct", "0", "109", "0") "argv=/bin/gcs\n"
	  "error=uvminit.migratable=TRUE: not a boolean; using direct mode\n" },
	{ "a later invalid value wins over an earlier valid one", "uvminit.migratable=0 uvminit.migratable=2",
	  { "/bin/gcs" }, HEAD("direct", "0", "109", "0") "argv=/bin/gcs\n"
	  "error=uvminit.migratable=2: not a boolean; using direct mode\n" },
	{ "an earlier invalid value is still reported", "uvminit.migratable=x uvminit.migratable=0",
	  { "/bin/gcs" }, HEAD("wrapped", "0", "109", "0") OUT_ADDED_WRAP("109") "argv=/bin/gcs\n"
	  "error=uvminit.migratable=x: not a boolean; using direct mode\n" },
#define BAD_LOG_PORT(v)                                                                  \
	{ "log port " v, "uvminit.migratable=0 uvminit.log_port=" v, { "/bin/gcs" },        \
	  HEAD("wrapped", "0", "109", "0") OUT_ADDED_WRAP("109") "argv=/bin/gcs\n"          \
	  "error=uvminit.log_port=" v ": not a port in 1..4294967294; using 109\n" }
	BAD_LOG_PORT("0"), BAD_LOG_PORT("4294967295"), BAD_LOG_PORT("99999999999999999999"),
	BAD_LOG_PORT("-1"), BAD_LOG_PORT("+5"), BAD_LOG_PORT("0x6d"), BAD_LOG_PORT("109abc"),
	BAD_LOG_PORT("0109"), BAD_LOG_PORT(""), BAD_LOG_PORT("1e3"),
	{ "log port without a value", "uvminit.log_port", { "/bin/gcs" },
	  HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\n"
	  "error=uvminit.log_port=: not a port in 1..4294967294; using 109\n" },
	{ "unknown uvminit parameter", "uvminit.migrateable=1", { "/bin/gcs" },
	  HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\n"
	  "error=uvminit.migrateable: unknown parameter; ignored\n" },
	{ "bad cgroup value", "uvminit.cgroup=v3", { "/bin/gcs" },
	  HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\n"
	  "error=uvminit.cgroup=v3: not v1 or v2; detecting the cgroup version\n" },
	{ "unterminated quote reads to the end", "a=\"x uvminit.migratable=1", { "/bin/gcs" },
	  HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\n"
	  "error=kernel command line: unterminated quote; read to the end\n" },
	{ "entropy port invalid", "", { "-e", "0x1", "/bin/gcs" },
	  HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\n"
	  "error=init: -e 0x1: not a port in 1..4294967294; no entropy seeding\n" },
	{ "entropy port missing its value", "", { "-e" },
	  HEAD("verbatim", "0", "109", "0") OUT_DEFAULT "error=init: option -e needs a value\n" },
	{ "debug shell missing its value", "", { "-d" },
	  HEAD("verbatim", "0", "109", "0") OUT_DEFAULT "error=init: option -d needs a value\n" },
	{ "unknown init option", "", { "-x", "/bin/gcs" },
	  HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\n"
	  "error=init: unknown option -x; ignored\n" },
	{ "a long option is not a group of letters (-d would take \"ry-run\")", "",
	  { "--dry-run", "/bin/gcs" },
	  HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\n"
	  "error=init: unknown option --dry-run; ignored\n" },
	{ "wrapper with no program, direct", "uvminit.migratable=1", { "-e", "1", "/bin/vsockexec", "-e", "109" },
	  HEAD("direct", "1", "109", "0") OUT_DEFAULT
	  "error=/bin/vsockexec: no program after the vsockexec wrapper; running /bin/gcs\n" },
	{ "wrapper missing a port value, wrapped", "uvminit.migratable=0", { "/bin/vsockexec", "-e" },
	  HEAD("wrapped", "0", "109", "0") OUT_ADDED_WRAP("109") OUT_DEFAULT
	  "error=/bin/vsockexec: no program after the vsockexec wrapper; running /bin/gcs\n" },
	{ "wrapper with no program, verbatim runs it as given", "", { "/bin/vsockexec", "-e", "109", "--" },
	  HEAD("verbatim", "0", "109", "0") "argv=/bin/vsockexec\nargv=-e\nargv=109\nargv=--\n"
	  "error=/bin/vsockexec: no program after the vsockexec wrapper\n" },
};

static char *run_plan(const char *cmdline, size_t len, const char *const *args)
{
	struct plan p;
	struct plan_input in = { .cmdline = cmdline, .cmdline_len = len };
	size_t need;
	char *out;

	while (args && args[in.argc])
		in.argc++;
	in.argv = (char *const *)args;
	assert_int_equal(plan_build(&p, &in), 0);
	need = plan_format(&p, (char[1]){ 0 }, 1) + 1;
	out = malloc(need);
	assert_non_null(out);
	assert_int_equal(plan_format(&p, out, need), need - 1);
	plan_free(&p);
	return out;
}

static void test_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct plan_case *c = &cases[i];
		char *out = run_plan(c->cmdline, strlen(c->cmdline), c->args);

		if (strcmp(out, c->expect))
			fail_msg("case \"%s\":\n--- expected\n%s--- got\n%s", c->name, c->expect, out);
		free(out);
	}
}

/* The dry run (args_from_cmdline) takes init's words from after the "--". */
static void test_args_from_cmdline(void **state)
{
	static const char text[] = "console=ttyS0 uvminit.migratable=1 -- -e 1 /bin/vsockexec "
				   "-e 109 /bin/gcs -v4 x=\"a b\" \"-log-format\" json\n";
	struct plan p;
	struct plan_input in = { .cmdline = text, .cmdline_len = sizeof(text) - 1,
				 .args_from_cmdline = true };

	(void)state;
	assert_int_equal(plan_build(&p, &in), 0);
	assert_int_equal(p.mode, MODE_DIRECT);
	assert_int_equal(p.entropy_port, 1);
	assert_int_equal(p.argc, 5);
	assert_string_equal(p.argv[0], "/bin/gcs");
	assert_string_equal(p.argv[1], "-v4");
	assert_string_equal(p.argv[2], "x=a b");
	assert_string_equal(p.argv[3], "-log-format");
	assert_string_equal(p.argv[4], "json");
	assert_null(p.argv[5]);
	plan_free(&p);
}

/* Explicit arguments win over the command line's tail. */
static void test_args_given_win(void **state)
{
	static const char text[] = "-- /bin/other";
	static const char *const args[] = { "/bin/gcs", NULL };
	char *out;
	struct plan p;
	struct plan_input in = { .cmdline = text, .cmdline_len = sizeof(text) - 1, .argc = 1,
				 .argv = (char *const *)args, .args_from_cmdline = true };

	(void)state;
	assert_int_equal(plan_build(&p, &in), 0);
	assert_int_equal(p.argc, 1);
	assert_string_equal(p.argv[0], "/bin/gcs");
	plan_free(&p);
	out = run_plan(text, 0, args); /* a zero length reads nothing */
	assert_string_equal(out, HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\n");
	free(out);
}

/* Any length /proc/cmdline can have: a 1 MiB line, the flag at its very end, and a
 * command line that is not NUL-terminated (ASan checks every byte read). */
static void test_long_cmdline(void **state)
{
	static const char *const args[] = { "/bin/gcs", NULL };
	const char flag[] = " uvminit.migratable=0";
	size_t n = 1u << 20, i;
	char *text = malloc(n), *out;

	(void)state;
	assert_non_null(text);
	for (i = 0; i + sizeof(flag) - 1 < n; i++)
		text[i] = (i % 7 == 6) ? ' ' : 'a';
	memcpy(text + n - (sizeof(flag) - 1), flag, sizeof(flag) - 1);
	out = run_plan(text, n, args);
	assert_string_equal(out, HEAD("wrapped", "0", "109", "0") OUT_ADDED_WRAP("109")
				 "argv=/bin/gcs\n");
	free(out);
	free(text);
}

/* Many errors are capped, never overflow, and the plan is still complete. */
static void test_error_cap(void **state)
{
	char text[64 * 24] = "";
	size_t i;
	struct plan p;
	static const char *const args[] = { "/bin/gcs", NULL };
	struct plan_input in = { .argc = 1, .argv = (char *const *)args };

	(void)state;
	for (i = 0; i < 64; i++)
		strcat(text, "uvminit.log_port=0 ");
	strcat(text, "uvminit.migratable=0");
	in.cmdline = text;
	in.cmdline_len = strlen(text);
	assert_int_equal(plan_build(&p, &in), 0);
	assert_int_equal(p.nerrors, PLAN_MAX_ERRORS);
	assert_int_equal(p.mode, MODE_WRAPPED);
	assert_int_equal(p.argc, 5);
	plan_free(&p);
}

/* plan_format truncates safely and still reports the length it needed. */
static void test_format_truncates(void **state)
{
	static const char *const args[] = { "/bin/gcs", NULL };
	struct plan p;
	struct plan_input in = { .argc = 1, .argv = (char *const *)args };
	char small[8];

	(void)state;
	assert_int_equal(plan_build(&p, &in), 0);
	assert_int_equal(plan_format(&p, small, sizeof(small)),
			 strlen(HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\n"));
	assert_string_equal(small, "mode=ve");
	plan_free(&p);
}

/* Parameters the dry run does not print: the cgroup choice and the entropy deadline. */
static void test_runtime_params(void **state)
{
	static const struct {
		const char *cmdline;
		enum plan_cgroup cgroup;
		uint32_t timeout_ms;
		size_t nerrors;
	} c[] = {
		{ "", CGROUP_AUTO, PLAN_ENTROPY_TIMEOUT_MS_DEFAULT, 0 },
		{ "uvminit.cgroup=v1", CGROUP_V1, PLAN_ENTROPY_TIMEOUT_MS_DEFAULT, 0 },
		{ "hcsshim.cgroup=v1", CGROUP_V1, PLAN_ENTROPY_TIMEOUT_MS_DEFAULT, 0 },
		{ "hcsshim.cgroup=v1 uvminit.cgroup=v2", CGROUP_V2, PLAN_ENTROPY_TIMEOUT_MS_DEFAULT, 0 },
		{ "uvminit.cgroup=v1 uvminit.cgroup", CGROUP_AUTO, PLAN_ENTROPY_TIMEOUT_MS_DEFAULT, 1 },
		{ "uvminit.entropy_timeout_ms=0", CGROUP_AUTO, 0, 0 },
		{ "uvminit.entropy_timeout_ms=60000", CGROUP_AUTO, 60000, 0 },
		{ "uvminit.entropy_timeout_ms=60001", CGROUP_AUTO, PLAN_ENTROPY_TIMEOUT_MS_DEFAULT, 1 },
		{ "uvminit.entropy_timeout_ms=1s", CGROUP_AUTO, PLAN_ENTROPY_TIMEOUT_MS_DEFAULT, 1 },
	};
	static const char *const args[] = { "/bin/gcs", NULL };
	struct plan p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct plan_input in = { .cmdline = c[i].cmdline, .cmdline_len = strlen(c[i].cmdline),
					 .argc = 1, .argv = (char *const *)args };

		assert_int_equal(plan_build(&p, &in), 0);
		assert_int_equal(p.cgroup, c[i].cgroup);
		assert_int_equal(p.entropy_timeout_ms, c[i].timeout_ms);
		assert_int_equal(p.nerrors, c[i].nerrors);
		plan_free(&p);
	}
}

static void test_parse_u32(void **state)
{
	uint32_t v = 42;

	(void)state;
	assert_int_equal(parse_port("1", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(parse_port("4294967294", &v), 0);
	assert_int_equal(v, 4294967294u);
	assert_int_equal(parse_u32("0", 0, 5, &v), 0);
	assert_int_equal(v, 0);
	v = 42;
	assert_int_equal(parse_port("0", &v), -ERANGE);
	assert_int_equal(parse_port("4294967295", &v), -ERANGE);
	assert_int_equal(parse_port("18446744073709551617", &v), -ERANGE);
	assert_int_equal(parse_port("", &v), -EINVAL);
	assert_int_equal(parse_port(NULL, &v), -EINVAL);
	assert_int_equal(parse_port(" 1", &v), -EINVAL);
	assert_int_equal(parse_port("1 ", &v), -EINVAL);
	assert_int_equal(parse_port("99999999999999999999x", &v), -EINVAL);
	assert_int_equal(v, 42); /* untouched on failure */
}

static void test_parse_bool(void **state)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };
	bool b;
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		b = false;
		assert_int_equal(parse_bool(yes[i], &b), 0);
		assert_true(b);
		assert_int_equal(parse_bool(no[i], &b), 0);
		assert_false(b);
	}
	assert_int_equal(parse_bool("", &b), -EINVAL);
	assert_int_equal(parse_bool("y", &b), -EINVAL);
	assert_int_equal(parse_bool("10", &b), -EINVAL);
	assert_int_equal(parse_bool("on ", &b), -EINVAL);
	assert_int_equal(parse_bool(NULL, &b), -EINVAL);
}

/* The tokenizer against the kernel's rules, token by token. */
static void test_tokenizer(void **state)
{
	char text[] = "  a b=c n=o=p \"d e\" f=\"g h\" \"i=j k\" l= =m -- \"open";
	static const char *const want[][2] = {
		{ "a", NULL }, { "b", "c" }, { "n", "o=p" }, { "d e", NULL }, { "f", "g h" }, { "i", "j k" },
		{ "l", "" }, { "=m", NULL }, { "--", NULL }, { "open", NULL },
	};
	char *cur = text;
	struct kparam kp;
	bool unterminated = false;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_true(kcmd_next(&cur, &kp, &unterminated));
		assert_string_equal(kp.name, want[i][0]);
		if (want[i][1])
			assert_string_equal(kp.value, want[i][1]);
		else
			assert_null(kp.value);
	}
	assert_true(unterminated);
	assert_false(kcmd_next(&cur, &kp, &unterminated));
}

/* One parameter's value: the last occurrence before "--", quotes stripped, truncated. */
static void test_kcmd_get(void **state)
{
	const char *text = "a=1 probe.action=exit:3 x=\"y z\" probe.action=wait b -- probe.action=crash";
	char v[8] = "unset";

	(void)state;
	assert_int_equal(kcmd_get(text, "probe.action", v, sizeof(v)), 1);
	assert_string_equal(v, "wait");
	assert_int_equal(kcmd_get(text, "x", v, sizeof(v)), 1);
	assert_string_equal(v, "y z");
	assert_int_equal(kcmd_get(text, "b", v, sizeof(v)), 1);
	assert_string_equal(v, "");
	assert_int_equal(kcmd_get("long=123456789", "long", v, sizeof(v)), 1);
	assert_string_equal(v, "1234567");
	strcpy(v, "unset");
	assert_int_equal(kcmd_get(text, "probe", v, sizeof(v)), 0);
	assert_int_equal(kcmd_get("-- a=1", "a", v, sizeof(v)), 0);
	assert_string_equal(v, "unset");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),          cmocka_unit_test(test_args_from_cmdline),
		cmocka_unit_test(test_args_given_win), cmocka_unit_test(test_long_cmdline),
		cmocka_unit_test(test_error_cap),      cmocka_unit_test(test_format_truncates),
		cmocka_unit_test(test_parse_u32),      cmocka_unit_test(test_parse_bool),
		cmocka_unit_test(test_tokenizer),      cmocka_unit_test(test_runtime_params),
		cmocka_unit_test(test_kcmd_get),
	};

	return cmocka_run_group_tests_name("launch plan", tests, NULL, NULL);
}
