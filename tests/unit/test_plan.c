/* Table-driven tests of the launch plan: every mode against every command shape
 * hcsshim emits, and every class of bad input. Expected outputs are written by hand
 * from docs/interface.md, never produced by the code under test. */
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
#define HEAD_CG(mode, eport, lport, cg, ov)                                             \
	"mode=" mode "\nentropy_port=" eport "\nentropy_timeout_ms=500\nlog_port=" lport \
	"\ncgroup=" cg "\noverlay=" ov "\n"
#define HEAD(mode, eport, lport, ov) HEAD_CG(mode, eport, lport, "auto", ov)
#define OUT_WRAP(opt) "argv=/bin/vsockexec\n" opt
#define OUT_ADDED_WRAP(port) "argv=/bin/vsockexec\nargv=-r\nargv=-e\nargv=" port "\n"
#define OUT_DEFAULT "argv=/bin/gcs\nargv=-loglevel\nargv=debug\nargv=-logfile=/run/gcs/gcs.log\n"
/* a bare word the kernel passes to init from before "--": named, and dropped when the
 * line has "--" and init's arguments begin with it */
#define NOT_KNOWN(w) \
	"error=kernel command line: " w ": not a kernel option init knows; the kernel " \
	"passes it to init, ahead of the command\n"
#define DROPPED(w) \
	"error=kernel command line: " w ": not a kernel option init knows; the kernel " \
	"passes it to init ahead of the command after \"--\", and init drops it\n"
#define NOT_DROPPED \
	"error=kernel command line: init's arguments do not begin with the bare words " \
	"predicted from before \"--\"; none dropped\n"

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
	  HEAD("verbatim", "1", "109", "1") "debug_shell=/bin/sh\nargv=-x\n" },
	{ "shown as honoured: cgroup, entropy deadline, debug shell, escaped",
	  "hcsshim.cgroup=v1 uvminit.entropy_timeout_ms=0", { "-d", "/bin/a\tb", "/bin/gcs" },
	  "mode=verbatim\nentropy_port=0\nentropy_timeout_ms=0\nlog_port=109\ncgroup=v1\n"
	  "overlay=0\ndebug_shell=/bin/a\\tb\nargv=/bin/gcs\n" },
	{ "a value is one line: control bytes escaped, never a forged key",
	  "uvminit.migratable=\"1\nmode=wrapped\"", { "/bin/gcs", "x\\y\x7f" },
	  HEAD("direct", "0", "109", "0") "argv=/bin/gcs\nargv=x\\\\y\\x7f\n"
	  "error=uvminit.migratable=1\\nmode=wrapped: not a boolean; using direct mode\n" },
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
	/* --- at boot: a stray bare word before "--" in init's real arguments ---------- */
	{ "nokaslr before --, direct: dropped, the command after -- runs",
	  "nokaslr uvminit.migratable=1 -- -e 1 /bin/vsockexec -e 109 /bin/gcs -v4",
	  { "nokaslr", "-e", "1", "/bin/vsockexec", "-e", "109", GCS_FLAGS },
	  HEAD("direct", "1", "109", "0") OUT_GCS_FLAGS DROPPED("nokaslr") },
	{ "nokaslr before --, verbatim: the wrapped command runs as given",
	  "nokaslr -- -e 1 /bin/vsockexec -e 109 /bin/gcs -v4",
	  { "nokaslr", "-e", "1", "/bin/vsockexec", "-e", "109", GCS_FLAGS },
	  HEAD("verbatim", "1", "109", "0") OUT_WRAP("argv=-e\nargv=109\n") OUT_GCS_FLAGS
	  DROPPED("nokaslr") },
	{ "two bare words, both dropped, each named once", "nokaslr quiet splash -- /bin/gcs",
	  { "nokaslr", "splash", "/bin/gcs" },
	  HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\n" DROPPED("nokaslr") DROPPED("splash") },
	{ "without --, the bare words are the command", "nokaslr",
	  { "nokaslr", "/bin/gcs" },
	  HEAD("verbatim", "0", "109", "0") "argv=nokaslr\nargv=/bin/gcs\n" NOT_KNOWN("nokaslr") },
	{ "arguments that do not begin with the predicted words: none dropped",
	  "nokaslr -- -e 1 /bin/gcs", { "-e", "1", "/bin/gcs" },
	  HEAD("verbatim", "1", "109", "0") "argv=/bin/gcs\n" NOT_KNOWN("nokaslr") NOT_DROPPED },
	{ "only part of the predicted words: none dropped",
	  "nokaslr splash -- /bin/gcs", { "splash", "/bin/gcs" },
	  HEAD("verbatim", "0", "109", "0") "argv=splash\nargv=/bin/gcs\n" NOT_KNOWN("nokaslr")
	  NOT_KNOWN("splash") NOT_DROPPED },
	{ "fewer arguments than predicted words: none dropped", "nokaslr splash --",
	  { "nokaslr" },
	  HEAD("verbatim", "0", "109", "0") "argv=nokaslr\n" NOT_KNOWN("nokaslr")
	  NOT_KNOWN("splash") NOT_DROPPED },
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
	{ "the boot record to the console", "uvminit.bootrec=console", { "/bin/gcs" },
	  HEAD("verbatim", "0", "109", "0") "bootrec=console\nargv=/bin/gcs\n" },
	{ "bootrec: the last one wins", "uvminit.bootrec=console uvminit.bootrec=console2",
	  { "/bin/gcs" },
	  HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\n"
	  "error=uvminit.bootrec=console2: not console; the boot record stays in "
	  "/run/uvminit/boot only\n" },
	{ "bootrec without a value", "uvminit.bootrec=console uvminit.bootrec", { "/bin/gcs" },
	  HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\n"
	  "error=uvminit.bootrec=: not console; the boot record stays in /run/uvminit/boot "
	  "only\n" },
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

static char *format_plan(const struct plan_input *in)
{
	struct plan p;
	size_t need;
	char *out;

	assert_int_equal(plan_build(&p, in), 0);
	/* a usual plan all in 16 KiB of the caller's storage: no allocation */
	if (in->mem_size >= 16 * 1024 && in->cmdline_len < 4096)
		assert_null(p.arena.heap);
	need = plan_format(&p, (char[1]){ 0 }, 1) + 1;
	out = malloc(need);
	assert_non_null(out);
	assert_int_equal(plan_format(&p, out, need), need - 1);
	plan_free(&p);
	return out;
}

/* The plan of cmdline and args, built on the heap; built again in a caller's storage
 * too small for it (part there, the rest on the heap) and in one that holds it all,
 * each must print the same. */
static char *run_plan(const char *cmdline, size_t len, const char *const *args)
{
	static char small[40] __attribute__((aligned(16))), big[16 * 1024] __attribute__((aligned(16)));
	struct plan_input in = { .cmdline = cmdline, .cmdline_len = len };
	char *out, *again;

	while (args && args[in.argc])
		in.argc++;
	in.argv = (char *const *)args;
	out = format_plan(&in);
	for (int i = 0; i < 2; i++) {
		in.mem = i ? big : small;
		in.mem_size = i ? sizeof(big) : sizeof(small);
		again = format_plan(&in);
		assert_string_equal(again, out);
		free(again);
	}
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
		text[i] = (i % 7 == 6) ? ' ' : (i % 7 == 3) ? '.' : 'a'; /* dotted: ignored */
	memcpy(text + n - (sizeof(flag) - 1), flag, sizeof(flag) - 1);
	out = run_plan(text, n, args);
	assert_string_equal(out, HEAD("wrapped", "0", "109", "0") OUT_ADDED_WRAP("109")
				 "argv=/bin/gcs\n");
	free(out);
	free(text);
}

/* No error is ever dropped: 64 of them, then the one that decides the mode, all named
 * in order. */
static void test_every_error_kept(void **state)
{
	char text[64 * 24] = "", want[64];
	size_t i;
	struct plan p;
	static const char *const args[] = { "/bin/gcs", NULL };
	struct plan_input in = { .argc = 1, .argv = (char *const *)args };

	(void)state;
	for (i = 0; i < 64; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "uvminit.x%zu ", i);
	strcat(text, "uvminit.migratable=maybe");
	in.cmdline = text;
	in.cmdline_len = strlen(text);
	assert_int_equal(plan_build(&p, &in), 0);
	assert_int_equal(p.nerrors, 65);
	for (i = 0; i < 64; i++) {
		snprintf(want, sizeof(want), "uvminit.x%zu: unknown parameter; ignored", i);
		assert_string_equal(p.errors[i], want);
	}
	assert_string_equal(p.errors[64],
			    "uvminit.migratable=maybe: not a boolean; using direct mode");
	assert_int_equal(p.mode, MODE_DIRECT);
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

/* The cgroup choice and the entropy deadline, parsed. */
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

/* the boot path's decimal writer: what parse_u32 reads back, and the extremes */
static void test_format_decimal(void **state)
{
	char out[FORMAT_DECIMAL_MAX];
	uint32_t v;

	(void)state;
	assert_int_equal(format_decimal(out, 0), 1);
	assert_string_equal(out, "0");
	assert_int_equal(format_decimal(out, 4294967294LL), 10);
	assert_int_equal(parse_u32(out, 0, PORT_MAX, &v), 0);
	assert_int_equal(v, 4294967294u);
	assert_int_equal(format_decimal(out, -9223372036854775807LL - 1), 20);
	assert_string_equal(out, "-9223372036854775808");
	assert_int_equal(format_decimal(out, 9223372036854775807LL), 19);
	assert_string_equal(out, "9223372036854775807");
	assert_int_equal(format_decimal(out, -7), 2);
	assert_string_equal(out, "-7");
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

/* --- what the kernel hands init (Linux 6.1), each expectation seen by booting ------- */
#define SECOND_DASHES(rest) \
	"error=kernel command line: a second \"--\" ends init's arguments; the kernel drops " \
	"it and what follows: " rest "\n"

struct kernel_case {
	const char *name;
	const char *cmdline;
	const char *expect; /* the dry run's whole output, no INIT-ARGS given */
};

static const struct kernel_case kernel_cases[] = {
	{ "hcsshim's line: quiet and the rest consumed, no error",
	  "8250_core.nr_uarts=0 panic=-1 quiet pci=off nr_cpus=2 brd.rd_nr=0 pmtmr=0 -- -e 1 "
	  "/bin/vsockexec -e 109 /bin/gcs -v4",
	  HEAD("verbatim", "1", "109", "0") OUT_WRAP("argv=-e\nargv=109\n")
	  "argv=/bin/gcs\nargv=-v4\n" },
	{ "a second -- ends init's arguments",
	  "-- /bin/gcs -v4 -loglevel info -- -x tail-arg",
	  HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\nargv=-v4\nargv=-loglevel\nargv=info\n"
	  SECOND_DASHES("-- -x tail-arg") },
	{ "init's own -- on the kernel line: the command is lost",
	  "-- -w -- /bin/gcs -v4",
	  HEAD("verbatim", "0", "109", "1") OUT_DEFAULT SECOND_DASHES("-- /bin/gcs -v4") },
	{ "a second -- at the very end", "-- /bin/gcs --\n",
	  HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\n" SECOND_DASHES("--") },
	{ "0xa0 is kernel whitespace", "uvminit.migratable=0\xa0y.z --\xa0/bin/gcs\xa0-v4",
	  HEAD("wrapped", "0", "109", "0") OUT_ADDED_WRAP("109") "argv=/bin/gcs\nargv=-v4\n" },
	{ "0x85 and 0x1c are not", "-- /bin/gcs a\x85" "b c\x1c" "d",
	  HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\nargv=a\x85" "b\nargv=c\\x1cd\n" },
	{ "NAME=\" repaired as the kernel does", "-- /bin/gcs b=\"\n",
	  HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\nargv=b=\n"
	  "error=kernel command line: unterminated quote; read to the end\n" },
	{ "quoted values lose their quotes", "-- /bin/gcs a=\"x y\" \"c=d\" e=\"\" \"f\"=g",
	  HEAD("verbatim", "0", "109", "0")
	  "argv=/bin/gcs\nargv=a=x y\nargv=c=d\nargv=e=\nargv=f\"=g\n" },
	{ "a bare word before -- is dropped, named once",
	  "uvminit.migratable=0 foo -- /bin/gcs",
	  HEAD("wrapped", "0", "109", "0") OUT_ADDED_WRAP("109") "argv=/bin/gcs\n" DROPPED("foo") },
	{ "nokaslr and hcsshim's wrapped shape, direct: the agent alone",
	  "nokaslr uvminit.migratable=1 -- -e 1 /bin/vsockexec -e 109 /bin/gcs -v4",
	  HEAD("direct", "1", "109", "0") "argv=/bin/gcs\nargv=-v4\n" DROPPED("nokaslr") },
	{ "two bare words before --, both dropped", "nokaslr quiet splash -- /bin/gcs",
	  HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\n" DROPPED("nokaslr") DROPPED("splash") },
	{ "bare words and an empty --: the default command", "nokaslr --",
	  HEAD("verbatim", "0", "109", "0") OUT_DEFAULT DROPPED("nokaslr") },
	{ "the kernel's bare options are consumed, dotted and NAME=VALUE words are not args",
	  "quiet ro rw debug nosmp noreplace-smp no-kvmclock initcall_debug a.b a.b=c TERM=vt100 "
	  "x=1 -- /bin/gcs",
	  HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\n" },
	{ "bare words are init's even with no --", "nokaslr single",
	  HEAD("verbatim", "0", "109", "0") "argv=nokaslr\nargv=single\n" NOT_KNOWN("nokaslr")
	  NOT_KNOWN("single") },
	{ "a rejected kernel parameter drops everything after --",
	  "panic uvminit.migratable=1 -- -e 1 /bin/gcs -v4",
	  HEAD("direct", "0", "109", "0") OUT_DEFAULT
	  "error=kernel command line: panic: the kernel rejects it without a value\n"
	  "error=kernel command line: a kernel parameter was rejected, so the kernel drops all "
	  "of init's arguments after \"--\": -e 1 /bin/gcs -v4\n" },
	{ "a rejected value: the bare words still dropped, the default runs",
	  "x panic=1x -- /bin/gcs",
	  HEAD("verbatim", "0", "109", "0") OUT_DEFAULT DROPPED("x")
	  "error=kernel command line: panic=1x: the kernel rejects this value\n"
	  "error=kernel command line: a kernel parameter was rejected, so the kernel drops all "
	  "of init's arguments after \"--\": /bin/gcs\n" },
	{ "rdinit= forgets the bare words before it; the one after is dropped",
	  "a b rdinit=/init c -- /bin/gcs",
	  HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\n" NOT_KNOWN("a") NOT_KNOWN("b")
	  "error=kernel command line: rdinit=/init: the kernel drops the bare words before it: "
	  "a b\n" DROPPED("c") },
	{ "rdinit= without --: the word after it is the command", "a rdinit=/init c",
	  HEAD("verbatim", "0", "109", "0") "argv=c\n" NOT_KNOWN("a")
	  "error=kernel command line: rdinit=/init: the kernel drops the bare words before it: "
	  "a\n" NOT_KNOWN("c") },
	{ "a quoted bare word with a space is one word, dropped", "\"x y\" -- /bin/gcs",
	  HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\n" DROPPED("x y") },
};

static void test_kernel_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(kernel_cases) / sizeof(kernel_cases[0]); i++) {
		const struct kernel_case *c = &kernel_cases[i];
		struct plan_input in = { .cmdline = c->cmdline, .cmdline_len = strlen(c->cmdline),
					 .args_from_cmdline = true };
		struct plan p;
		char *out;
		size_t need;

		assert_int_equal(plan_build(&p, &in), 0);
		need = plan_format(&p, (char[1]){ 0 }, 1) + 1;
		out = malloc(need);
		assert_non_null(out);
		plan_format(&p, out, need);
		plan_free(&p);
		if (strcmp(out, c->expect))
			fail_msg("case \"%s\":\n--- expected\n%s--- got\n%s", c->name, c->expect, out);
		free(out);
	}
}

/* At boot init has its real arguments; the errors about the command line are the same
 * as the dry run's, so the boot record and the dry run agree. */
static void test_boot_names_drops_too(void **state)
{
	static const char *const args[] = { "foo", "/bin/gcs", NULL };
	char *out = run_plan("foo -- /bin/gcs -- x", 20, args);

	(void)state;
	assert_string_equal(out, HEAD("verbatim", "0", "109", "0") "argv=/bin/gcs\n"
				 DROPPED("foo") SECOND_DASHES("-- x"));
	free(out);
}

/* 32 arguments for init are the most; the 33rd makes the kernel panic. */
static void test_too_many_init_args(void **state)
{
	char text[256] = "--";
	struct plan p;
	struct plan_input in = { .args_from_cmdline = true };

	(void)state;
	for (int i = 0; i < 32; i++)
		strcat(text, " a");
	in.cmdline = text;
	in.cmdline_len = strlen(text);
	assert_int_equal(plan_build(&p, &in), 0);
	assert_int_equal(p.nerrors, 0);
	plan_free(&p);
	strcat(text, " a");
	in.cmdline_len = strlen(text);
	assert_int_equal(plan_build(&p, &in), 0);
	assert_int_equal(p.nerrors, 1);
	assert_string_equal(p.errors[0], "kernel command line: 33 arguments for init; the "
					 "kernel panics with more than 32");
	plan_free(&p);
}

/* lib/ctype.c: _S is set for 9..13, 32 and 160, and no other byte. */
static void test_kernel_isspace(void **state)
{
	(void)state;
	for (int c = 0; c < 256; c++) {
		bool want = (c >= 9 && c <= 13) || c == 32 || c == 160;

		if (kcmd_isspace((char)c) != want)
			fail_msg("byte 0x%02x: isspace %d, want %d", c, !want, want);
	}
}

/* repair_env_string: NAME=VALUE put back by position, quotes gone. */
static void test_kcmd_word(void **state)
{
	static const struct {
		const char *in, *word;
	} c[] = {
		{ "b=\"", "b=" }, { "a=\"x y\"", "a=x y" }, { "\"a=b\"", "a=b" }, { "a=\"\"", "a=" },
		{ "\"a\"=b", "a\"=b" }, { "a==b", "a==b" }, { "bare", "bare" }, { "\"q\"", "q" },
		{ "=x", "=x" }, { "a=\"b\"c\"", "a=b\"c" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char buf[32], *cur = buf;
		struct kparam kp;
		bool unterminated = false;

		snprintf(buf, sizeof(buf), "%s", c[i].in);
		assert_true(kcmd_next(&cur, &kp, &unterminated));
		if (strcmp(kcmd_word(&kp), c[i].word))
			fail_msg("%s: got %s, want %s", c[i].in, kp.name, c[i].word);
	}
}

/* Each word's fate, as the booted test kernel showed it (its "Unknown kernel command
 * line parameters" line, init's argv, its "invalid for parameter" lines). */
static void test_kcmd_fate(void **state)
{
	static const char *const consumed[] = {
		"acpi", "apic", "debug", "earlyprintk", "gbpages", "hardlockup_all_cpu_backtrace",
		"idle", "ignore_loglevel", "init_on_free", "iommu", "irqfixup", "irqpoll",
		"keep_bootcon", "kexec", "lapic", "memtest", "movable_node", "no_console_suspend",
		"no_hash_pointers", "no-kvmapf", "no-kvmclock", "no-steal-acc", "no_timer_check",
		"noapic", "noapictimer", "noautogroup", "noefi", "nofsgsbase", "nogbpages",
		"nohibernate", "nohpet", "nohugeiomap", "nohugevmalloc", "noinitrd", "nointremap",
		"noinvpcid", "noirqdebug", "nolapic", "nolapic_timer", "nomce", "nomodeset",
		"nomodule", "nopat", "nopcid", "nopku", "nopv", "nopvspin", "norandmaps",
		"noreplace-smp", "noresume", "nosgx", "nosmp", "nosmt", "nosoftlockup",
		"nospectre_v1", "notsc", "nowatchdog", "nox2apic", "quiet", "ro", "rootwait", "rw",
		"sysrq_always_enabled", "threadirqs", "x2apic_phys",
		/* core parameters */
		"initcall_debug", "initcall-debug=on", "crash_kexec_post_notifiers",
		"ignore_rlimit_data", "panic=-1", "panic=0x10", "panic=010", "panic=-2147483648",
		"pause_on_oops=+3", "panic_print=18446744073709551615", "initcall_debug=Y",
	};
	static const char *const passed[] = {
		"nokaslr", "nopti", "nosmap", "nosmep", "nosplash", "splash", "single", "emergency",
		"S", "1", "nospectre_v2", "dis_ucode_ldr", "nousb", "auto", "printk_time",
		"intel_iommu", "hpet", "nmi_watchdog", "nohlt", "noexec", "nofxsr", "nohz",
		"noxsave", "hibernate", "quietx", "rox", "console", "",
	};
	static const char *const rejected[] = {
		"panic", "panic_print", "pause_on_oops", "panic_on_warn", "panic=1x", "panic=",
		"panic=08", "panic=2147483648", "panic=-2147483649", "panic_print=-1",
		"initcall_debug=maybe", "initcall_debug=", "pause_on_oops=-+3",
	};
	static const struct {
		const char *word;
		enum kcmd_fate fate;
	} other[] = {
		{ "a.b", KCMD_IGNORED }, { "a.b=c", KCMD_IGNORED }, { "uvminit.migratable", KCMD_IGNORED },
		{ "x=1", KCMD_ENV },	 { "a=b.c", KCMD_ENV },     { "rdinit=/x", KCMD_INIT_PATH },
		{ "init=/x", KCMD_INIT_PATH },
	};

	(void)state;
#define FATE(word, want)                                                               \
	do {                                                                           \
		char buf[64], *cur = buf;                                              \
		struct kparam kp = { buf, NULL };                                     \
		bool unterminated = false;                                             \
		snprintf(buf, sizeof(buf), "%s", word);                                \
		if (*buf)                                                              \
			assert_true(kcmd_next(&cur, &kp, &unterminated));              \
		if (kcmd_fate(&kp) != (want))                                          \
			fail_msg("%s: fate %d, want %d", word, kcmd_fate(&kp), (want)); \
	} while (0)
	for (size_t i = 0; i < sizeof(consumed) / sizeof(consumed[0]); i++)
		FATE(consumed[i], KCMD_CONSUMED);
	for (size_t i = 0; i < sizeof(passed) / sizeof(passed[0]); i++)
		FATE(passed[i], KCMD_ARG);
	for (size_t i = 0; i < sizeof(rejected) / sizeof(rejected[0]); i++)
		FATE(rejected[i], KCMD_REJECTED);
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		FATE(other[i].word, other[i].fate);
#undef FATE
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),          cmocka_unit_test(test_args_from_cmdline),
		cmocka_unit_test(test_args_given_win), cmocka_unit_test(test_long_cmdline),
		cmocka_unit_test(test_every_error_kept),      cmocka_unit_test(test_format_truncates),
		cmocka_unit_test(test_format_decimal), cmocka_unit_test(test_parse_u32),
		cmocka_unit_test(test_parse_bool),
		cmocka_unit_test(test_tokenizer),      cmocka_unit_test(test_runtime_params),
		cmocka_unit_test(test_kcmd_get),       cmocka_unit_test(test_kernel_cases),
		cmocka_unit_test(test_boot_names_drops_too), cmocka_unit_test(test_too_many_init_args),
		cmocka_unit_test(test_kernel_isspace), cmocka_unit_test(test_kcmd_word),
		cmocka_unit_test(test_kcmd_fate),
	};

	return cmocka_run_group_tests_name("launch plan", tests, NULL, NULL);
}
