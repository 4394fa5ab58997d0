/*
 * uvmctl: the host half of a migratable pod. Checks a pod's annotations and its
 * containers against the live-migration policy, and prints the UVM's kernel command
 * line. Exit status: 0 fine, 1 policy violations (one line each, all of them), 2 usage
 * or unreadable/invalid input (one line). See docs/uvmctl.md.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "goparse.h"
#include "policy.h"
#include "spec.h"
#include "uvmplan.h"
#include "version.h"

#define EXIT_VIOLATIONS 1
#define EXIT_USAGE 2

static const char usage_text[] =
	"usage: uvmctl check [--migratable] POD.json [CONTAINER.json...]\n"
	"       uvmctl plan [--migratable] [--logs relay|off] [--log-level L]\n"
	"                   [--scrub-logs BOOL] [--core-dump-location DIR] [--console] POD.json\n"
	"       uvmctl --help | --version\n"
	"\n"
	"POD.json: an OCI runtime spec, or any JSON object with a top-level \"annotations\"\n"
	"object; CONTAINER.json: OCI runtime specs. A pod is migratable when its annotation\n"
	"io.microsoft.migration.support-enabled is true (Go ParseBool spellings) or with\n"
	"--migratable; only a migratable pod is held to the live-migration policy.\n"
	"\n"
	"check   one line per violation: uvmctl: FILE: KEY or PATH: why\n"
	"plan    refuses a migratable pod that fails check; otherwise prints\n"
	"          migratable=0|1\n"
	"          log_listener=yes|no   (no: the host must not listen on the log port)\n"
	"          cmdline=TEXT          (the UVM's kernel command line; init's arguments\n"
	"                                 are hcsshim HEAD's buildInitArgs, word for word)\n"
	"  --logs relay|off          a migratable pod's logs: relay (default) runs the agent\n"
	"                            under /bin/vsockexec -r -e 109 with a log listener\n"
	"                            (hcsshim HEAD's shape, which its live migration needs);\n"
	"                            off: no forwarder, uvminit.migratable=1, no listener\n"
	"  --log-level L             gcs's -loglevel (default info)\n"
	"  --scrub-logs BOOL         adds -scrub-logs=true|false (Go ParseBool spellings)\n"
	"  --core-dump-location DIR  adds -core-dump-location DIR (default: the pod's\n"
	"                            io.microsoft.container.processdumplocation)\n"
	"  --console                 a serial console on ttyS0 instead of none\n"
	"\n"
	"Exit status: 0 fine, 1 policy violations, 2 usage or unreadable/invalid input.\n";

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (i = 0; line[i]; i++) { /* the user's words, kept to one line */
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	}
	fprintf(stderr, "uvmctl: %s (see uvmctl --help)\n", line);
	return EXIT_USAGE;
}

static int input_error(const char *line)
{
	fprintf(stderr, "uvmctl: %s\n", line);
	return EXIT_USAGE;
}

static int out_of_memory(void)
{
	fputs("uvmctl: out of memory\n", stderr);
	return EXIT_USAGE;
}

enum { OPT_MIGRATABLE = 256, OPT_LOGS, OPT_LOG_LEVEL, OPT_SCRUB_LOGS, OPT_CORE_DUMP,
       OPT_CONSOLE };

struct cli {
	const char *command;
	struct uvmplan_opts plan;
	bool force_migratable;
	char **files;
	int nfiles;
};

static int help(void)
{
	fputs(usage_text, stdout);
	return 0;
}

static int version(void)
{
	printf("uvmctl (uvminit) %s\n", UVMINIT_VERSION);
	return 0;
}

/* getopt_long's '?', named by the word that was wrong. An unknown short option that does
 * not end its word (-xy) leaves optind on that word; one that ends it, an unknown long
 * option and a missing value leave optind just past it. */
static int bad_option(char **sub, int nsub)
{
	const char *w = sub[optind - 1];

	if (optopt > 0 && optopt < 256 && optind < nsub && sub[optind][0] == '-' &&
	    strchr(sub[optind] + 1, optopt))
		w = sub[optind];
	if (!optopt)
		return usage_error("unknown option: %.60s", w);
	if (optopt >= 256)
		return usage_error("%.60s: missing value", w);
	return usage_error("unknown option -%c in \"%.60s\"", optopt, w);
}

/* uvmctl [--help|--version] COMMAND [OPTIONS] FILES...: the command's options anywhere
 * among its files (GNU order, "--" ends them). Returns -1 to go on, or the exit status
 * for --help, --version and usage errors. */
static int parse_cli(int argc, char **argv, struct cli *c)
{
	static const struct option opts[] = {
		{ "migratable", no_argument, NULL, OPT_MIGRATABLE },
		{ "logs", required_argument, NULL, OPT_LOGS },
		{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
		{ "scrub-logs", required_argument, NULL, OPT_SCRUB_LOGS },
		{ "core-dump-location", required_argument, NULL, OPT_CORE_DUMP },
		{ "console", no_argument, NULL, OPT_CONSOLE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char **sub;
	bool plan, b;
	int opt, nsub, li = 0;

	c->plan.scrub_logs = -1;
	if (argc < 2)
		return usage_error("no command (check or plan)");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return help();
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return version();
	c->command = argv[1];
	plan = !strcmp(c->command, "plan");
	if (!plan && strcmp(c->command, "check"))
		return usage_error("unknown command \"%.60s\" (check or plan)", c->command);
	sub = argv + 1; /* sub[0] is the command, as getopt wants a program name there */
	nsub = argc - 1;
	opterr = 0;
	optind = 0; /* glibc: start afresh */
	while ((opt = getopt_long(nsub, sub, "hV", opts, &li)) != -1) {
		switch (opt) {
		case 'h':
			return help();
		case 'V':
			return version();
		case OPT_MIGRATABLE:
			c->force_migratable = true;
			continue;
		case '?':
			return bad_option(sub, nsub);
		}
		if (!plan)
			return usage_error("--%s: an option of plan, not of check", opts[li].name);
		switch (opt) {
		case OPT_LOGS:
			if (!strcmp(optarg, "relay"))
				c->plan.logs = UVMPLAN_LOGS_RELAY;
			else if (!strcmp(optarg, "off"))
				c->plan.logs = UVMPLAN_LOGS_OFF;
			else
				return usage_error("--logs \"%.60s\": relay or off", optarg);
			break;
		case OPT_LOG_LEVEL:
			c->plan.log_level = optarg;
			break;
		case OPT_SCRUB_LOGS:
			if (go_parse_bool(optarg, &b))
				return usage_error("--scrub-logs \"%.60s\": not a boolean (1 t T TRUE true True 0 f F FALSE false False)",
						   optarg);
			c->plan.scrub_logs = b;
			break;
		case OPT_CORE_DUMP:
			c->plan.core_dump_dir = optarg;
			break;
		case OPT_CONSOLE:
			c->plan.console = true;
			break;
		}
	}
	c->files = sub + optind;
	c->nfiles = nsub - optind;
	if (c->nfiles < 1)
		return usage_error("%s: no POD.json", c->command);
	if (plan && c->nfiles > 1)
		return usage_error("plan takes one POD.json, not %d files", c->nfiles);
	return -1;
}

/* Loads every file first: any unreadable or invalid one is the one line of exit 2,
 * before any verdict. */
static int load_all(const struct cli *c, struct spec *specs)
{
	char err[SPEC_ERR_LEN];
	int i, rc;

	for (i = 0; i < c->nfiles; i++) {
		rc = spec_load(&specs[i], c->files[i], err, sizeof(err));
		if (rc == -ENOMEM)
			return out_of_memory();
		if (rc)
			return input_error(err);
	}
	return -1;
}

static int check(const struct cli *c, struct spec *specs, bool migratable, struct findings *f)
{
	int i, rc = 0;

	if (!migratable)
		return 0; /* a pod that is not migratable passes everything */
	rc = policy_check_pod(&specs[0], f);
	for (i = 1; i < c->nfiles && !rc; i++)
		rc = policy_check_container(&specs[i], f);
	return rc;
}

static int run(const struct cli *c, struct spec *specs)
{
	struct findings f = { 0 };
	struct uvmplan_opts o = c->plan;
	struct uvmplan plan;
	char err[UVMPLAN_ERR_LEN];
	bool migratable;
	size_t i;
	int rc;

	if (policy_pod_migratable(&specs[0], &migratable, err, sizeof(err)))
		return input_error(err);
	migratable = migratable || c->force_migratable;
	if (check(c, specs, migratable, &f)) {
		findings_free(&f);
		return out_of_memory();
	}
	for (i = 0; i < f.n; i++)
		fprintf(stderr, "uvmctl: %s\n", f.line[i]);
	rc = f.n ? EXIT_VIOLATIONS : 0;
	findings_free(&f);
	if (rc || strcmp(c->command, "plan"))
		return rc;
	o.migratable = migratable;
	rc = uvmplan_build(&specs[0], &o, &plan, err, sizeof(err));
	if (rc == -ENOMEM)
		return out_of_memory();
	if (rc)
		return input_error(err);
	printf("migratable=%d\nlog_listener=%s\ncmdline=%s\n", plan.migratable,
	       plan.log_listener ? "yes" : "no", plan.cmdline);
	uvmplan_free(&plan);
	return 0;
}

int main(int argc, char **argv)
{
	struct cli c = { 0 };
	struct spec *specs;
	int rc, i;

	rc = parse_cli(argc, argv, &c);
	if (rc >= 0)
		goto out; /* --help, --version, usage */
	specs = calloc((size_t)c.nfiles, sizeof(*specs));
	if (!specs)
		return out_of_memory();
	rc = load_all(&c, specs);
	if (rc < 0)
		rc = run(&c, specs);
	for (i = 0; i < c.nfiles; i++)
		spec_free(&specs[i]);
	free(specs);
out:
	if (fflush(stdout) || ferror(stdout)) {
		fputs("uvmctl: cannot write the output\n", stderr);
		return EXIT_USAGE;
	}
	return rc;
}
