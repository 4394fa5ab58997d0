#include "plan.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h" /* vsockexec's options, to strip a wrapper */
#include "cmdline.h"
#include "parse.h"

static char default_gcs[] = "/bin/gcs";
static char default_loglevel[] = "-loglevel";
static char default_debug[] = "debug";
static char default_logfile[] = "-logfile=/run/gcs/gcs.log";
static char *const default_cmd[] = { default_gcs, default_loglevel, default_debug,
				     default_logfile };
static char wrap_path[] = PLAN_VSOCKEXEC;
static char wrap_relay[] = "-r";
static char wrap_stderr[] = "-e";

__attribute__((format(printf, 2, 3))) static void plan_error(struct plan *p, const char *fmt,
							      ...)
{
	va_list ap;

	if (p->nerrors == PLAN_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	vsnprintf(p->errors[p->nerrors++], PLAN_ERROR_LEN, fmt, ap);
	va_end(ap);
}

const char *plan_mode_name(enum plan_mode m)
{
	switch (m) {
	case MODE_DIRECT:
		return "direct";
	case MODE_WRAPPED:
		return "wrapped";
	default:
		return "verbatim";
	}
}

/* uvminit.* parameters decided while reading the command line. */
struct kopts {
	int migratable; /* -1 absent, 0, 1 */
};

static void kernel_param(struct plan *p, struct kopts *k, const struct kparam *kp)
{
	const char *v = kp->value;
	const char *shown = v ? v : "";
	bool b;
	uint32_t n;

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
	} else if (!strncmp(kp->name, "uvminit.", 8)) {
		plan_error(p, "%s: unknown parameter; ignored", kp->name);
	}
}

/* Reads the parameters before the first standalone "--"; returns the words after it
 * (in p->cmdline_copy), or NULL. */
static int read_cmdline(struct plan *p, struct kopts *k, const struct plan_input *in,
			char **tail_start)
{
	size_t len = in->cmdline ? strnlen(in->cmdline, in->cmdline_len) : 0;
	char *cur;
	struct kparam kp;
	bool unterminated = false;

	*tail_start = NULL;
	p->cmdline_copy = malloc(len + 1);
	if (!p->cmdline_copy)
		return -ENOMEM;
	if (len)
		memcpy(p->cmdline_copy, in->cmdline, len);
	p->cmdline_copy[len] = '\0';
	cur = p->cmdline_copy;
	while (kcmd_next(&cur, &kp, &unterminated)) {
		if (!kp.value && !strcmp(kp.name, "--")) {
			*tail_start = cur;
			break;
		}
		kernel_param(p, k, &kp);
	}
	if (unterminated)
		plan_error(p, "kernel command line: unterminated quote; read to the end");
	return 0;
}

/* Undoes the name=value split for a word of init's: name="a b" reads name=a b. */
static char *rejoin(const struct kparam *kp)
{
	char *v = kp->value;

	if (!v)
		return kp->name;
	if (v[-1] == '\0') {
		v[-1] = '=';
	} else {
		v[-2] = '=';
		memmove(v - 1, v, strlen(v) + 1);
	}
	return kp->name;
}

/* Splits the words after "--" the way the kernel hands them to init. */
static int split_tail(struct plan *p, char *cur, int *argc, char ***argv)
{
	size_t n = 0, cap = 8;
	struct kparam kp;
	bool unterminated = false;
	char **v = malloc(cap * sizeof(*v));

	if (!v)
		return -ENOMEM;
	while (cur && kcmd_next(&cur, &kp, &unterminated)) {
		if (n + 1 == cap) {
			char **nv = realloc(v, 2 * cap * sizeof(*v));
			if (!nv) {
				free(v);
				return -ENOMEM;
			}
			v = nv;
			cap *= 2;
		}
		v[n++] = rejoin(&kp);
	}
	v[n] = NULL;
	p->tail = v;
	*argc = (int)n;
	*argv = v;
	return 0;
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
 * or 0 when cmd is not a vsockexec wrapper. Options are vsockexec's own:
 * VX_VALUE_OPTS take a value; -r -h -V do not. */
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

	p->argv = malloc((npre + n + 1) * sizeof(*p->argv));
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
	snprintf(p->log_port_str, sizeof(p->log_port_str), "%u", p->log_port);
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

int plan_build(struct plan *p, const struct plan_input *in)
{
	struct kopts k = { .migratable = -1 };
	char *tail_start, **argv = (char **)in->argv;
	int argc = in->argc, first, rc;

	memset(p, 0, sizeof(*p));
	p->log_port = PLAN_LOG_PORT_DEFAULT;
	p->entropy_timeout_ms = PLAN_ENTROPY_TIMEOUT_MS_DEFAULT;
	rc = read_cmdline(p, &k, in, &tail_start);
	if (rc == 0 && argc == 0 && in->args_from_cmdline)
		rc = split_tail(p, tail_start, &argc, &argv);
	if (rc)
		goto fail;
	p->mode = k.migratable < 0 ? MODE_VERBATIM : k.migratable ? MODE_DIRECT : MODE_WRAPPED;
	first = init_options(p, argc, argv);
	if (p->overlay && p->mode == MODE_DIRECT) {
		p->overlay = false;
		plan_error(p, "init: -w refused in direct mode (migratable VM); no writable overlays");
	}
	rc = plan_command(p, argv + first, (size_t)(argc - first));
	if (rc)
		goto fail;
	return 0;
fail:
	plan_free(p);
	return rc;
}

void plan_free(struct plan *p)
{
	free(p->argv);
	free(p->tail);
	free(p->cmdline_copy);
	memset(p, 0, sizeof(*p));
}

size_t plan_format(const struct plan *p, char *buf, size_t size)
{
	size_t len = 0, i;
	int n;

#define EMIT(...)                                                                      \
	do {                                                                           \
		n = snprintf(buf + (len < size ? len : size), len < size ? size - len : 0, \
			     __VA_ARGS__);                                             \
		len += n > 0 ? (size_t)n : 0;                                          \
	} while (0)
	if (size)
		buf[0] = '\0';
	EMIT("mode=%s\nentropy_port=%u\nlog_port=%u\noverlay=%d\n", plan_mode_name(p->mode),
	     p->entropy_port, p->log_port, p->overlay);
	for (i = 0; i < p->argc; i++)
		EMIT("argv=%s\n", p->argv[i]);
	for (i = 0; i < p->nerrors; i++)
		EMIT("error=%s\n", p->errors[i]);
#undef EMIT
	return len;
}
