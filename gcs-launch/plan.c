#include "plan.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h" /* vsockexec's options, to strip a wrapper */
#include "cmdline.h"
#include "escape.h"
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

/* v (of *cap elements of size elem) grown to hold n + 1; NULL when out of memory
 * (v is then untouched). */
static void *grow(void *v, size_t *cap, size_t n, size_t elem)
{
	size_t ncap = *cap ? *cap * 2 : 8;
	void *nv;

	if (n + 1 <= *cap)
		return v;
	nv = realloc(v, ncap * elem);
	if (nv)
		*cap = ncap;
	return nv;
}

/* Every error is kept: out of memory, the plan fails as a whole instead. */
__attribute__((format(printf, 2, 3))) static void plan_error(struct plan *p, const char *fmt,
							      ...)
{
	va_list ap;
	char **nv, *e;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	nv = n < 0 ? NULL : grow(p->errors, &p->errors_cap, p->nerrors, sizeof(*p->errors));
	if (nv)
		p->errors = nv;
	e = nv ? malloc((size_t)n + 1) : NULL;
	if (!e) {
		p->nomem = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(e, (size_t)n + 1, fmt, ap);
	va_end(ap);
	p->errors[p->nerrors++] = e;
}

static void karg_push(struct plan *p, char *word)
{
	/* room for the word and the NULL after it */
	char **nv = grow(p->kargv, &p->kargv_cap, p->kargc + 1, sizeof(*p->kargv));

	if (!nv) {
		p->nomem = true;
		return;
	}
	p->kargv = nv;
	p->kargv[p->kargc++] = word;
	p->kargv[p->kargc] = NULL;
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

/* s without the kernel whitespace around it (s is modified) */
static char *trimmed(char *s)
{
	size_t n;

	while (kcmd_isspace(*s))
		s++;
	n = strlen(s);
	while (n && kcmd_isspace(s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* The predicted arguments so far, space-separated, for an error line; NULL when out
 * of memory. */
static char *kargs_joined(const struct plan *p)
{
	size_t len = 1, at = 0, i;
	char *s;

	for (i = 0; i < p->kargc; i++)
		len += strlen(p->kargv[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	for (i = 0; i < p->kargc; i++) {
		size_t n = strlen(p->kargv[i]);

		if (i)
			s[at++] = ' ';
		memcpy(s + at, p->kargv[i], n);
		at += n;
	}
	s[at] = '\0';
	return s;
}

/* What the kernel does with the words before the first "--" (init/main.c): its own
 * options are consumed, dotted names ignored, NAME=VALUE goes to init's environment,
 * a bare word it does not know becomes one of init's arguments. */
static void kernel_word(struct plan *p, struct kopts *k, struct kparam *kp, bool *rejected)
{
	kernel_param(p, k, kp);
	switch (kcmd_fate(kp)) {
	case KCMD_ARG:
		plan_error(p, "kernel command line: %s: not a kernel option init knows; the "
			      "kernel passes it to init, ahead of the command", kp->name);
		karg_push(p, kp->name);
		break;
	case KCMD_REJECTED:
		*rejected = true;
		if (kp->value)
			plan_error(p, "kernel command line: %s=%s: the kernel rejects this value",
				   kp->name, kp->value);
		else
			plan_error(p, "kernel command line: %s: the kernel rejects it without a "
				      "value", kp->name);
		break;
	case KCMD_INIT_PATH:
		if (p->kargc) {
			char *dropped = kargs_joined(p);

			if (dropped)
				plan_error(p, "kernel command line: %s=%s: the kernel drops the bare "
					      "words before it: %s", kp->name, kp->value, dropped);
			else
				p->nomem = true;
			free(dropped);
			p->kargc = 0;
		}
		break;
	default:
		break;
	}
}

/* The words after the first "--" up to a second one, which ends them: the kernel
 * drops it and all that follows. */
static void kernel_tail(struct plan *p, char *cur, bool *unterminated)
{
	struct kparam kp;

	while (kcmd_next(&cur, &kp, unterminated)) {
		if (!kp.value && !strcmp(kp.name, "--")) {
			char *rest = trimmed(cur);

			plan_error(p, "kernel command line: a second \"--\" ends init's arguments; "
				      "the kernel drops it and what follows: --%s%s", *rest ? " " : "",
				   rest);
			return;
		}
		karg_push(p, kcmd_word(&kp));
	}
}

/* Reads the kernel command line: the uvminit parameters, and the arguments the kernel
 * hands init (p->kargv), each drop named in an error. */
static int read_cmdline(struct plan *p, struct kopts *k, const struct plan_input *in)
{
	size_t len = in->cmdline ? strnlen(in->cmdline, in->cmdline_len) : 0;
	char *cur, *tail = NULL;
	struct kparam kp;
	bool unterminated = false, rejected = false;

	if (len && in->cmdline[len - 1] == '\n')
		len--; /* /proc/cmdline's own newline */
	p->cmdline_copy = malloc(len + 1);
	if (!p->cmdline_copy)
		return -ENOMEM;
	if (len)
		memcpy(p->cmdline_copy, in->cmdline, len);
	p->cmdline_copy[len] = '\0';
	cur = p->cmdline_copy;
	while (kcmd_next(&cur, &kp, &unterminated)) {
		if (!kp.value && !strcmp(kp.name, "--")) {
			tail = cur;
			break;
		}
		kernel_word(p, k, &kp, &rejected);
	}
	if (tail && rejected) {
		tail = trimmed(tail);
		if (*tail)
			plan_error(p, "kernel command line: a kernel parameter was rejected, so "
				      "the kernel drops all of init's arguments after \"--\": %s",
				   tail);
	} else if (tail) {
		kernel_tail(p, tail, &unterminated);
	}
	if (unterminated)
		plan_error(p, "kernel command line: unterminated quote; read to the end");
	if (p->kargc > KCMD_MAX_INIT_ARGS)
		plan_error(p, "kernel command line: %zu arguments for init; the kernel panics "
			      "with more than %d", p->kargc, KCMD_MAX_INIT_ARGS);
	return p->nomem ? -ENOMEM : 0;
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

int plan_build(struct plan *p, const struct plan_input *in)
{
	struct kopts k = { .migratable = -1 };
	char *none[] = { NULL };
	char **argv = in->argv ? (char **)in->argv : none;
	int argc = in->argc, first, rc;

	memset(p, 0, sizeof(*p));
	p->log_port = PLAN_LOG_PORT_DEFAULT;
	p->entropy_timeout_ms = PLAN_ENTROPY_TIMEOUT_MS_DEFAULT;
	rc = read_cmdline(p, &k, in);
	if (rc)
		goto fail;
	if (argc == 0 && in->args_from_cmdline && p->kargc) {
		argv = p->kargv;
		argc = (int)p->kargc;
	}
	p->mode = k.migratable < 0 ? MODE_VERBATIM : k.migratable ? MODE_DIRECT : MODE_WRAPPED;
	first = init_options(p, argc, argv);
	if (p->overlay && p->mode == MODE_DIRECT) {
		p->overlay = false;
		plan_error(p, "init: -w refused in direct mode (migratable VM); no writable overlays");
	}
	rc = plan_command(p, argv + first, (size_t)(argc - first));
	if (!rc && p->nomem)
		rc = -ENOMEM;
	if (rc)
		goto fail;
	return 0;
fail:
	plan_free(p);
	return rc;
}

void plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->nerrors; i++)
		free(p->errors[i]);
	free(p->errors);
	free(p->argv);
	free(p->kargv);
	free(p->cmdline_copy);
	memset(p, 0, sizeof(*p));
}

const char *plan_cgroup_name(enum plan_cgroup c)
{
	return c == CGROUP_V1 ? "v1" : c == CGROUP_V2 ? "v2" : "auto";
}

struct out {
	char *buf;
	size_t size, len;
};

__attribute__((format(printf, 2, 3))) static void out_printf(struct out *o, const char *fmt, ...)
{
	size_t at = o->len < o->size ? o->len : o->size;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->buf + at, o->size - at, fmt, ap);
	va_end(ap);
	o->len += n > 0 ? (size_t)n : 0;
}

/* key=VALUE with the value escaped onto its one line */
static void out_value(struct out *o, const char *key, const char *value)
{
	size_t at;

	out_printf(o, "%s=", key);
	at = o->len < o->size ? o->len : o->size;
	o->len += escape_value(o->buf + at, o->size - at, value);
	out_printf(o, "\n");
}

size_t plan_format(const struct plan *p, char *buf, size_t size)
{
	struct out o = { buf, size, 0 };
	size_t i;

	if (size)
		buf[0] = '\0';
	out_printf(&o, "mode=%s\nentropy_port=%u\nentropy_timeout_ms=%u\nlog_port=%u\n"
		       "cgroup=%s\noverlay=%d\n",
		   plan_mode_name(p->mode), p->entropy_port, p->entropy_timeout_ms, p->log_port,
		   plan_cgroup_name(p->cgroup), p->overlay);
	if (p->debug_shell)
		out_value(&o, "debug_shell", p->debug_shell);
	for (i = 0; i < p->argc; i++)
		out_value(&o, "argv", p->argv[i]);
	for (i = 0; i < p->nerrors; i++)
		out_value(&o, "error", p->errors[i]);
	return o.len;
}
