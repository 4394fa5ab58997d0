#include "plan.h"

#include <errno.h>
#include <string.h>

#include "kline.h"
#include "vxopts.h" /* vsockexec's options, to strip a wrapper */

static char default_gcs[] = "/bin/gcs";
static char default_loglevel[] = "-loglevel";
static char default_debug[] = "debug";
static char default_logfile[] = "-logfile=/run/gcs/gcs.log";
static char *const default_cmd[] = { default_gcs, default_loglevel, default_debug,
				     default_logfile };
static char wrap_path[] = PLAN_VSOCKEXEC;
static char wrap_relay[] = "-r";
static char wrap_stderr[] = "-e";

/* Every error is kept, in order: out of memory, the plan fails as a whole instead. */
#define plan_error(p, ...) strlist_printf(&(p)->arena, &(p)->errlist, __VA_ARGS__)

/* The uvminit.* parameters (and hcsshim's cgroup alias), seen word by word before the
 * first "--"; the last occurrence wins. */
struct kopts {
	struct plan *p;
	int migratable; /* -1 absent, 0, 1 */
};

static void kernel_param(void *ctx, const struct kparam *kp)
{
	struct kopts *k = ctx;
	struct plan *p = k->p;
	const char *v = kp->value;
	const char *shown = v ? v : "";
	bool b;
	uint32_t n;

	if (strncmp(kp->name, "uvminit.", 8) && strcmp(kp->name, "hcsshim.cgroup"))
		return;
	if (!strcmp(kp->name, "uvminit.migratable")) {
		if (!v) {
			k->migratable = 1; /* a bare flag is true, as the kernel's bool params */
		} else if (parse_bool(v, &b) == 0) {
			k->migratable = b;
		} else {
			k->migratable = 1;
			plan_error(p, "uvminit.migratable=%s: not a boolean; using direct mode",
				   shown);
		}
	} else if (!strcmp(kp->name, "uvminit.log_port")) {
		if (parse_port(v, &n) == 0) {
			p->log_port = n;
		} else {
			p->log_port = PLAN_LOG_PORT_DEFAULT;
			plan_error(p, "uvminit.log_port=%s: not a port in 1..%u; using %u", shown,
				   PORT_MAX, PLAN_LOG_PORT_DEFAULT);
		}
	} else if (!strcmp(kp->name, "uvminit.entropy_timeout_ms")) {
		if (parse_u32(v, 0, PLAN_ENTROPY_TIMEOUT_MS_MAX, &n) == 0) {
			p->entropy_timeout_ms = n;
		} else {
			p->entropy_timeout_ms = PLAN_ENTROPY_TIMEOUT_MS_DEFAULT;
			plan_error(p, "uvminit.entropy_timeout_ms=%s: not a number in 0..%u; using %u",
				   shown, PLAN_ENTROPY_TIMEOUT_MS_MAX,
				   PLAN_ENTROPY_TIMEOUT_MS_DEFAULT);
		}
	} else if (!strcmp(kp->name, "uvminit.cgroup") || !strcmp(kp->name, "hcsshim.cgroup")) {
		if (v && !strcmp(v, "v1")) {
			p->cgroup = CGROUP_V1;
		} else if (v && !strcmp(v, "v2")) {
			p->cgroup = CGROUP_V2;
		} else {
			p->cgroup = CGROUP_AUTO;
			plan_error(p, "%s=%s: not v1 or v2; detecting the cgroup version", kp->name,
				   shown);
		}
	} else if (!strcmp(kp->name, "uvminit.bootrec")) {
		p->bootrec_console = v && !strcmp(v, "console");
		if (!p->bootrec_console)
			plan_error(p, "uvminit.bootrec=%s: not console; the boot record stays in "
				      "/run/uvminit/boot only",
				   shown);
	} else {
		plan_error(p, "%s: unknown parameter; ignored", kp->name);
	}
}

/* init [-e PORT] [-w] [-d SHELL] [--] COMMAND...: getopt "+e:wd:" rules, without
 * getopt's global state. Returns the index of COMMAND. */
static int init_options(struct plan *p, int argc, char *const *argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		size_t j;

		if (a[0] != '-' || !a[1])
			break;
		if (!strcmp(a, "--"))
			return i + 1;
		if (a[1] == '-') {
			plan_error(p, "init: unknown option %.60s; ignored", a);
			continue;
		}
		for (j = 1; a[j]; j++) {
			const char *val;
			uint32_t port;

			if (a[j] == 'w') {
				p->overlay = true;
				continue;
			}
			if (a[j] != 'e' && a[j] != 'd') {
				plan_error(p, "init: unknown option -%c; ignored", a[j]);
				continue;
			}
			val = a[j + 1] ? a + j + 1 : (i + 1 < argc ? argv[++i] : NULL);
			if (!val) {
				plan_error(p, "init: option -%c needs a value", a[j]);
			} else if (a[j] == 'd') {
				if (*val)
					p->debug_shell = val;
				else
					plan_error(p, "init: -d: empty shell path; no debug shell");
			} else if (parse_port(val, &port) == 0) {
				p->entropy_port = port;
			} else {
				p->entropy_port = 0;
				plan_error(p, "init: -e %s: not a port in 1..%u; no entropy seeding",
					   val, PORT_MAX);
			}
			break;
		}
	}
	return i;
}

static bool is_vsockexec(const char *path)
{
	const char *base = strrchr(path, '/');

	return !strcmp(base ? base + 1 : path, "vsockexec");
}

/* Returns the index of the wrapped program in cmd[0..n), n when there is none,
 * or 0 when cmd is not a vsockexec wrapper, by vsockexec's option table. */
static size_t wrapper_len(char *const *cmd, size_t n)
{
	size_t i;

	if (n == 0 || !is_vsockexec(cmd[0]))
		return 0;
	for (i = 1; i < n; i++) {
		const char *a = cmd[i];
		size_t j;

		if (a[0] != '-' || !a[1])
			return i;
		if (!strcmp(a, "--"))
			return i + 1;
		if (a[1] == '-')
			continue; /* a long option (vsockexec knows --help and --version) */
		for (j = 1; a[j]; j++) {
			if (strchr(VX_VALUE_OPTS, a[j])) {
				if (!a[j + 1])
					i++;
				break;
			}
		}
	}
	return n;
}

static int set_argv(struct plan *p, char *const *pre, size_t npre, char *const *cmd, size_t n)
{
	size_t i;

	p->argv = arena_alloc(&p->arena, (npre + n + 1) * sizeof(*p->argv));
	if (!p->argv)
		return -ENOMEM;
	for (i = 0; i < npre; i++)
		p->argv[i] = pre[i];
	for (i = 0; i < n; i++)
		p->argv[npre + i] = cmd[i];
	p->argc = npre + n;
	p->argv[p->argc] = NULL;
	return 0;
}

static int plan_command(struct plan *p, char *const *cmd, size_t n)
{
	size_t w = wrapper_len(cmd, n);
	char *wrap[4] = { wrap_path, wrap_relay, wrap_stderr, p->log_port_str };

	if (w == n && n > 0) {
		if (p->mode == MODE_VERBATIM) {
			plan_error(p, "%s: no program after the vsockexec wrapper", cmd[0]);
		} else {
			plan_error(p, "%s: no program after the vsockexec wrapper; running %s",
				   cmd[0], default_gcs);
			n = w = 0;
		}
	}
	if (n == 0) {
		cmd = default_cmd;
		n = sizeof(default_cmd) / sizeof(default_cmd[0]);
	}
	format_decimal(p->log_port_str, p->log_port);
	switch (p->mode) {
	case MODE_DIRECT:
		return set_argv(p, NULL, 0, cmd + w, n - w);
	case MODE_WRAPPED:
		if (w)
			return set_argv(p, NULL, 0, cmd, n);
		return set_argv(p, wrap, 4, cmd, n);
	default:
		return set_argv(p, NULL, 0, cmd, n);
	}
}

/* With a standalone "--" the command is what follows it: the bare words the kernel
 * passes to init from before it (nokaslr, say) are strays. When init's arguments begin
 * with exactly the predicted ones, they are skipped, each one's line saying so (one line
 * a word); when they do not (a kernel that consumes a word we think it passes on), none
 * is skipped, and one line says that. Returns how many to skip. */
static size_t stray_words(struct plan *p, const struct kline *kl, char *const *argv, int argc)
{
	size_t i, j;

	if (!kl->dashdash || !kl->nbare)
		return 0;
	for (i = 0; i < kl->nbare; i++) {
		if (i >= (size_t)argc || strcmp(argv[i], kl->kargv.v[i])) {
			plan_error(p, "kernel command line: init's arguments do not begin with the "
				      "bare words predicted from before \"--\"; none dropped");
			return 0;
		}
	}
	for (i = 0; i < kl->nbare && i < kl->bare_err.n; i++) {
		char *line = arena_printf(&p->arena, "kernel command line: %s: not a kernel "
						     "option init knows; the kernel passes it to "
						     "init ahead of the command after \"--\", and "
						     "init drops it",
					  argv[i]);

		for (j = 0; line && j < p->errlist.n; j++) {
			if (p->errlist.v[j] == kl->bare_err.v[i]) {
				p->errlist.v[j] = line;
				break;
			}
		}
	}
	return kl->nbare;
}

int plan_build(struct plan *p, const struct plan_input *in)
{
	struct kopts k = { .p = p, .migratable = -1 };
	struct kline kl;
	char *none[] = { NULL };
	char **argv = in->argv ? (char **)in->argv : none;
	int argc = in->argc, first, rc;
	size_t stray;

	memset(p, 0, sizeof(*p));
	arena_init(&p->arena, in->mem, in->mem_size);
	p->log_port = PLAN_LOG_PORT_DEFAULT;
	p->entropy_timeout_ms = PLAN_ENTROPY_TIMEOUT_MS_DEFAULT;
	rc = kline_read(&kl, &p->arena, &p->errlist, in->cmdline, in->cmdline_len, kernel_param,
			&k);
	if (rc)
		goto fail;
	if (argc == 0 && in->args_from_cmdline && kl.kargv.n) {
		argv = kl.kargv.v;
		argc = (int)kl.kargv.n;
	}
	p->mode = k.migratable < 0 ? MODE_VERBATIM : k.migratable ? MODE_DIRECT : MODE_WRAPPED;
	stray = stray_words(p, &kl, argv, argc);
	argv += stray;
	argc -= (int)stray;
	first = init_options(p, argc, argv);
	if (p->overlay && p->mode == MODE_DIRECT) {
		p->overlay = false;
		plan_error(p, "init: -w refused in direct mode (migratable VM); no writable overlays");
	}
	rc = plan_command(p, argv + first, (size_t)(argc - first));
	if (!rc && p->arena.nomem)
		rc = -ENOMEM;
	if (rc)
		goto fail;
	p->errors = p->errlist.v;
	p->nerrors = p->errlist.n;
	return 0;
fail:
	plan_free(p);
	return rc;
}

void plan_free(struct plan *p)
{
	arena_free(&p->arena);
	memset(p, 0, sizeof(*p));
}
