#include "uvmplan.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmdline.h"
#include "goparse.h"
#include "plan.h"

#define MAX_WORDS 64 /* over the kernel's MAX_INIT_ARGS: a longer line is refused */

struct words {
	const char *w[MAX_WORDS];
	size_t n;
};

/* A word past MAX_WORDS is counted, not kept: the count alone is refused. */
static void add(struct words *ws, const char *w)
{
	if (ws->n < MAX_WORDS)
		ws->w[ws->n] = w;
	ws->n++;
}

__attribute__((format(printf, 3, 4))) static int bad(char *err, size_t errlen,
						      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* The levels gcs accepts (logrus.ParseLevel, case-insensitive); another stops it at start. */
static int check_log_level(const char *l, char *err, size_t errlen)
{
	static const char *const levels[] = { "panic", "fatal", "error", "warn", "warning",
					      "info",  "debug", "trace" };
	char shown[128];
	size_t i;

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		if (!strcasecmp(l, levels[i]))
			return 0;
	}
	spec_escape(shown, sizeof(shown), l, 60);
	return bad(err, errlen,
		   "--log-level \"%s\": not a level gcs accepts (panic fatal error warn warning info debug trace)",
		   shown);
}

/* A directory given to the agent: one word on the kernel command line, absolute. */
static int check_dir(const char *where, const char *d, char *err, size_t errlen)
{
	char shown[256];
	size_t i;

	spec_escape(shown, sizeof(shown), d, 160);
	if (d[0] != '/')
		return bad(err, errlen, "%s \"%s\": not an absolute path in the guest", where, shown);
	for (i = 0; d[i]; i++) {
		unsigned char c = (unsigned char)d[i];

		if (c <= 0x20 || c >= 0x7f || c == '"')
			return bad(err, errlen,
				   "%s \"%s\": byte 0x%02x at offset %zu: a kernel command line word cannot hold spaces, quotes, control or non-ASCII bytes",
				   where, shown, c, i);
	}
	return 0;
}

/* The pod's own kernel options go before the "--" that starts init's arguments: nothing
 * in them may end the parameters early, swallow the "--" into a quote, or be split where
 * the kernel splits and we would not. */
static int check_boot_options(const char *file, const char *opts, char *err, size_t errlen)
{
	struct kparam kp;
	bool unterminated = false;
	char *copy, *cur;
	size_t i;
	int rc = 0;

	for (i = 0; opts[i]; i++) {
		unsigned char c = (unsigned char)opts[i];

		if (c < 0x20 || c >= 0x7f)
			return bad(err, errlen,
				   "%s: %s: byte 0x%02x at offset %zu: only printable ASCII is safe on a kernel command line (the kernel also splits at tab, newline and 0xa0)",
				   file, ANN_KERNEL_BOOT_OPTIONS, c, i);
	}
	copy = strdup(opts);
	if (!copy)
		return -ENOMEM;
	cur = copy;
	while (!rc && kcmd_next(&cur, &kp, &unterminated)) {
		if (!kp.value && !strcmp(kp.name, "--"))
			rc = bad(err, errlen,
				 "%s: %s: a standalone \"--\" would end the kernel's parameters there and hand the rest to init ahead of the agent",
				 file, ANN_KERNEL_BOOT_OPTIONS);
		else if (!strcmp(kp.name, "uvminit.migratable"))
			rc = bad(err, errlen,
				 "%s: %s: uvminit.migratable is set by uvmctl from %s (or --migratable)",
				 file, ANN_KERNEL_BOOT_OPTIONS, "io.microsoft.migration.support-enabled");
	}
	if (!rc && unterminated)
		rc = bad(err, errlen,
			 "%s: %s: unterminated quote: the kernel would read the \"--\" and init's arguments into it",
			 file, ANN_KERNEL_BOOT_OPTIONS);
	free(copy);
	return rc;
}

/* The agent's extra words (hcsshim appends the annotation's text as is): split where the
 * kernel splits, into w (the copy), each word reaching the agent unchanged. Refused: a
 * byte that is not printable ASCII (the kernel also splits at tab, newline and 0xa0), a
 * quote (the kernel would join words and drop it) and a standalone "--" (the kernel
 * drops it and the rest). */
static int split_extra(const char *file, char *copy, struct words *w, char *err,
		       size_t errlen)
{
	char *tok, *save = NULL;
	size_t i;

	for (i = 0; copy[i]; i++) {
		unsigned char c = (unsigned char)copy[i];

		if (c < 0x20 || c >= 0x7f || c == '"')
			return bad(err, errlen,
				   "%s: %s: byte 0x%02x at offset %zu: the agent's words must be printable ASCII without quotes (the kernel splits at tab, newline and 0xa0, and takes quotes off)",
				   file, ANN_EXTRA_EXEC_ARGS, c, i);
	}
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (!strcmp(tok, "--"))
			return bad(err, errlen,
				   "%s: %s: a standalone \"--\": the kernel would drop it and every word after it",
				   file, ANN_EXTRA_EXEC_ARGS);
		add(w, tok);
	}
	return 0;
}

/* A boolean annotation the plan reads; absent is false. */
static int ann_bool(const struct spec *pod, const char *file, const char *key, bool *out,
		    char *err, size_t errlen)
{
	const char *v = spec_annotation(pod, key);
	char shown[128];

	*out = false;
	if (!v || go_parse_bool(v, out) == 0)
		return 0;
	spec_escape(shown, sizeof(shown), v, 60);
	return bad(err, errlen, "%s: %s: \"%s\" is not a boolean (Go ParseBool)", file, key, shown);
}

static char *join(const struct words *kernel, const struct words *init)
{
	size_t len = 0, i;
	char *s, *p;

	for (i = 0; i < kernel->n; i++)
		len += strlen(kernel->w[i]) + 1;
	for (i = 0; i < init->n; i++)
		len += strlen(init->w[i]) + 1;
	s = malloc(len + 4);
	if (!s)
		return NULL;
	p = s;
	for (i = 0; i < kernel->n; i++)
		p += sprintf(p, "%s ", kernel->w[i]);
	p += sprintf(p, "--");
	for (i = 0; i < init->n; i++)
		p += sprintf(p, " %s", init->w[i]);
	return s;
}

/* Reads the line back with init's planner: it must run `expect` in the planned mode. */
static int verify(const char *file, const char *blame, const char *cmdline, bool direct,
		  bool overlay, const struct words *expect, char *err, size_t errlen)
{
	struct plan_input in = { .cmdline = cmdline, .cmdline_len = strlen(cmdline),
				 .args_from_cmdline = true };
	struct plan p;
	size_t i;
	int rc = plan_build(&p, &in);

	if (rc)
		return rc;
	if (p.nerrors) {
		rc = bad(err, errlen, "%s: %s: init would log: %s", file, blame, p.errors[0]);
		goto out;
	}
	if (p.mode != (direct ? MODE_DIRECT : MODE_VERBATIM) || p.overlay != overlay ||
	    p.entropy_port != 1 || p.argc != expect->n) {
		rc = bad(err, errlen, "%s: %s: init would read the command line differently (mode %s, %zu arguments)",
			 file, blame, plan_mode_name(p.mode), p.argc);
		goto out;
	}
	for (i = 0; i < p.argc; i++) {
		if (strcmp(p.argv[i], expect->w[i])) {
			rc = bad(err, errlen, "%s: %s: init would run argument %zu as \"%.60s\", not \"%.60s\"",
				 file, blame, i, p.argv[i], expect->w[i]);
			goto out;
		}
	}
out:
	plan_free(&p);
	return rc;
}

/* What the pod and the options decide, read and checked before any word is laid out. */
struct inputs {
	const char *level, *dump, *bootopts;
	bool timesync_off, overlay, direct, relay;
	int scrub_logs; /* -1: not given */
	struct words extra;
	char *extra_copy; /* the words of extra point into it */
};

static int read_inputs(const struct spec *pod, const struct uvmplan_opts *o, const char *file,
		       struct inputs *in, char *err, size_t errlen)
{
	const char *rootfs, *extra;
	bool writable;
	int rc;

	in->level = o->log_level ? o->log_level : UVMPLAN_LOG_LEVEL_DEFAULT;
	in->dump = o->core_dump_dir;
	if (!o->migratable && o->logs != UVMPLAN_LOGS_DEFAULT)
		return bad(err, errlen,
			   "--logs: for a migratable pod only (a normal pod's agent always runs under /bin/vsockexec -e %s)",
			   UVMPLAN_LOG_PORT);
	in->direct = o->migratable && o->logs == UVMPLAN_LOGS_OFF;
	in->relay = o->migratable && !in->direct;
	rc = check_log_level(in->level, err, errlen);
	if (!rc && in->dump)
		rc = check_dir("--core-dump-location", in->dump, err, errlen);
	if (!rc && !in->dump && (in->dump = spec_annotation(pod, ANN_DUMP_LOCATION))) {
		char where[512];

		snprintf(where, sizeof(where), "%s: %s:", file, ANN_DUMP_LOCATION);
		rc = check_dir(where, in->dump, err, errlen);
	}
	if (!rc)
		rc = ann_bool(pod, file, ANN_TIMESYNC_DISABLE, &in->timesync_off, err, errlen);
	if (!rc)
		rc = ann_bool(pod, file, ANN_WRITABLE_OVERLAY, &writable, err, errlen);
	in->bootopts = spec_annotation(pod, ANN_KERNEL_BOOT_OPTIONS);
	if (!rc && in->bootopts)
		rc = check_boot_options(file, in->bootopts, err, errlen);
	extra = spec_annotation(pod, ANN_EXTRA_EXEC_ARGS);
	if (!rc && extra) {
		in->extra_copy = strdup(extra);
		if (!in->extra_copy)
			return -ENOMEM;
		rc = split_extra(file, in->extra_copy, &in->extra, err, errlen);
	}
	if (rc)
		return rc;
	/* hcsshim adds -w only for a VHD root file system (an initrd is writable already) */
	rootfs = spec_annotation(pod, ANN_ROOTFS_TYPE);
	in->overlay = writable && rootfs && !strcmp(rootfs, "vhd");
	return 0;
}

/* The kernel's part: the console (hcsshim's two shapes), the pod's options, ours. */
static void kernel_words(const struct uvmplan_opts *o, const struct inputs *in,
			 struct words *kernel)
{
	if (o->console) {
		add(kernel, "8250_core.nr_uarts=1");
		add(kernel, "8250_core.skip_txen_test=1");
		add(kernel, "console=ttyS0,115200");
	} else {
		add(kernel, "8250_core.nr_uarts=0");
		add(kernel, "panic=-1");
		add(kernel, "quiet");
	}
	if (in->bootopts && *in->bootopts)
		add(kernel, in->bootopts);
	if (in->direct)
		add(kernel, "uvminit.migratable=1");
}

/* init's arguments, as hcsshim HEAD's buildInitArgs and buildGCSCommand lay them out:
 * entropy, overlays, the forwarder, the agent and its flags. *agent_from: where the
 * program init runs begins. */
static void init_words(const struct inputs *in, struct words *init, size_t *agent_from)
{
	size_t i;

	add(init, "-e");
	add(init, UVMPLAN_ENTROPY_PORT);
	if (in->overlay)
		add(init, "-w");
	*agent_from = init->n;
	if (!in->direct) {
		add(init, "/bin/vsockexec");
		if (in->relay)
			add(init, "-r");
		add(init, "-e");
		add(init, UVMPLAN_LOG_PORT);
	}
	add(init, "/bin/gcs");
	add(init, "-v4");
	add(init, "-log-format");
	add(init, "json");
	add(init, "-loglevel");
	add(init, in->level);
	if (in->timesync_off)
		add(init, "-disable-time-sync");
	if (in->scrub_logs >= 0)
		add(init, in->scrub_logs ? "-scrub-logs=true" : "-scrub-logs=false");
	if (in->dump) {
		add(init, "-core-dump-location");
		add(init, in->dump);
	}
	for (i = 0; i < in->extra.n; i++) /* past MAX_WORDS only counted */
		add(init, i < MAX_WORDS ? in->extra.w[i] : NULL);
}

int uvmplan_build(const struct spec *pod, const struct uvmplan_opts *o, struct uvmplan *out,
		  char *err, size_t errlen)
{
	struct words kernel = { .n = 0 }, init = { .n = 0 }, agent = { .n = 0 };
	struct inputs in = { .scrub_logs = o->scrub_logs };
	const char *blame;
	char file[256];
	size_t i, agent_from;
	int rc;

	memset(out, 0, sizeof(*out));
	spec_escape(file, sizeof(file), pod->file, 200);
	rc = read_inputs(pod, o, file, &in, err, errlen);
	if (rc)
		goto fail;
	kernel_words(o, &in, &kernel);
	init_words(&in, &init, &agent_from);
	if (init.n > KCMD_MAX_INIT_ARGS) {
		rc = bad(err, errlen, "%s: %s: %zu arguments for init; the kernel panics with more than %d",
			 file, ANN_EXTRA_EXEC_ARGS, init.n, KCMD_MAX_INIT_ARGS);
		goto fail;
	}
	for (i = agent_from; i < init.n; i++)
		add(&agent, init.w[i]);

	out->cmdline = join(&kernel, &init);
	if (!out->cmdline) {
		rc = -ENOMEM;
		goto fail;
	}
	if (strlen(out->cmdline) > UVMPLAN_CMDLINE_MAX) {
		rc = bad(err, errlen, "%s: the command line would be %zu bytes; the kernel keeps %d",
			 file, strlen(out->cmdline), UVMPLAN_CMDLINE_MAX);
		goto fail;
	}
	blame = in.bootopts || !in.extra.n ? ANN_KERNEL_BOOT_OPTIONS : ANN_EXTRA_EXEC_ARGS;
	rc = verify(file, blame, out->cmdline, in.direct, in.overlay, &agent, err, errlen);
	if (rc)
		goto fail;
	out->migratable = o->migratable;
	out->log_listener = !in.direct;
	free(in.extra_copy);
	return 0;
fail:
	free(in.extra_copy);
	uvmplan_free(out);
	return rc;
}

void uvmplan_free(struct uvmplan *p)
{
	free(p->cmdline);
	memset(p, 0, sizeof(*p));
}
