#include "dryrun.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan.h"
#include "readfile.h"

/* far over any kernel's COMMAND_LINE_SIZE; a longer "command line" is not one */
#define DRYRUN_CMDLINE_MAX 65536u
#define USAGE "usage: init --dry-run [--check] [--cmdline TEXT | --cmdline-file FILE] [--] " \
	      "[INIT-ARGS...]"

static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "init: %s%s%s (" USAGE ")\n", what, arg ? ": " : "", arg ? arg : "");
	return 2;
}

/* Matches --NAME VALUE and --NAME=VALUE; advances *i past the value. */
static int option_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n))
		return 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (a[n])
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*val = argv[++*i];
	return 1;
}

int dry_run(int argc, char **argv)
{
	const char *text = NULL, *file = NULL, *val;
	char *out;
	size_t len = 0, need;
	struct plan p;
	struct plan_input in = { 0 };
	bool check = false;
	int i, rc, r;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "--check")) {
			check = true;
		} else if ((r = option_value(argc, argv, &i, "--cmdline", &val)) != 0) {
			if (r < 0)
				return usage_error("--cmdline needs a value", NULL);
			if (text || file)
				return usage_error("give one kernel command line", NULL);
			text = val;
		} else if ((r = option_value(argc, argv, &i, "--cmdline-file", &val)) != 0) {
			if (r < 0)
				return usage_error("--cmdline-file needs a value", NULL);
			if (text || file)
				return usage_error("give one kernel command line", NULL);
			file = val;
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			return usage_error("unknown option", argv[i]);
		} else {
			break; /* init's own arguments begin */
		}
	}
	if (text) {
		in.cmdline = text;
		in.cmdline_len = strlen(text);
	} else {
		/* the most and its NUL: a longer file (/dev/zero) ends at once, -EFBIG */
		static char text_buf[DRYRUN_CMDLINE_MAX + 1];

		rc = read_file_into(file ? file : "/proc/cmdline", text_buf, sizeof(text_buf), &len);
		if (rc < 0 && rc != -EFBIG) {
			fprintf(stderr, "init: --dry-run: cannot read %s: %s\n",
				file ? file : "/proc/cmdline", strerror(-rc));
			return 2;
		}
		in.cmdline = text_buf;
		in.cmdline_len = rc ? DRYRUN_CMDLINE_MAX + 1 : len;
	}
	if (in.cmdline_len > DRYRUN_CMDLINE_MAX) {
		fprintf(stderr, "init: --dry-run: the kernel command line is over %u bytes\n",
			DRYRUN_CMDLINE_MAX);
		return 2;
	}
	in.argc = argc - i;
	in.argv = argv + i;
	in.args_from_cmdline = true;
	if (plan_build(&p, &in) < 0) {
		fprintf(stderr, "init: --dry-run: out of memory\n");
		return 1;
	}
	need = plan_format(&p, (char[1]){ 0 }, 1) + 1;
	out = malloc(need);
	rc = 1;
	if (out) {
		plan_format(&p, out, need);
		rc = fputs(out, stdout) < 0 || fflush(stdout) ? 1 : 0;
		if (check && p.nerrors)
			rc = 1; /* a CI gate: the plan has an error= line */
	}
	free(out);
	plan_free(&p);
	return rc;
}
