#include "kline.h"

#include <errno.h>
#include <string.h>

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

/* The predicted arguments so far, space-separated, for an error line. */
static char *kargs_joined(const struct kline *k, struct arena *a)
{
	size_t len = 1, at = 0, i;
	char *s;

	for (i = 0; i < k->kargv.n; i++)
		len += strlen(k->kargv.v[i]) + 1;
	s = arena_alloc(a, len);
	if (!s)
		return NULL;
	for (i = 0; i < k->kargv.n; i++) {
		size_t n = strlen(k->kargv.v[i]);

		if (i)
			s[at++] = ' ';
		memcpy(s + at, k->kargv.v[i], n);
		at += n;
	}
	s[at] = '\0';
	return s;
}

/* What the kernel does with a word before the first "--" (init/main.c): its own
 * options are consumed, dotted names ignored, NAME=VALUE goes to init's environment,
 * a bare word it does not know becomes one of init's arguments. */
static void kernel_word(struct kline *k, struct arena *a, struct strlist *errs,
			struct kparam *kp, bool *rejected)
{
	size_t nerr = errs->n;

	switch (kcmd_fate(kp)) {
	case KCMD_ARG:
		strlist_printf(a, errs, "kernel command line: %s: not a kernel option init knows; "
					"the kernel passes it to init, ahead of the command",
			       kp->name);
		if (errs->n > nerr) /* the line plan.c rewrites when it drops the word */
			strlist_push(a, &k->bare_err, errs->v[nerr]);
		strlist_push(a, &k->kargv, kp->name);
		break;
	case KCMD_REJECTED:
		*rejected = true;
		if (kp->value)
			strlist_printf(a, errs,
				       "kernel command line: %s=%s: the kernel rejects this value",
				       kp->name, kp->value);
		else
			strlist_printf(a, errs, "kernel command line: %s: the kernel rejects it "
						"without a value", kp->name);
		break;
	case KCMD_INIT_PATH:
		if (k->kargv.n) {
			char *dropped = kargs_joined(k, a);

			if (dropped)
				strlist_printf(a, errs, "kernel command line: %s=%s: the kernel drops "
							"the bare words before it: %s",
					       kp->name, kp->value, dropped);
			k->kargv.n = 0;
			k->kargv.v[0] = NULL;
			k->bare_err.n = 0;
			if (k->bare_err.v)
				k->bare_err.v[0] = NULL;
		}
		break;
	default:
		break;
	}
}

/* The words after the first "--" up to a second one, which ends them: the kernel
 * drops it and all that follows. */
static void kernel_tail(struct kline *k, struct arena *a, struct strlist *errs, char *cur,
			bool *unterminated)
{
	struct kparam kp;

	while (kcmd_next(&cur, &kp, unterminated)) {
		if (!kp.value && !strcmp(kp.name, "--")) {
			char *rest = trimmed(cur);

			strlist_printf(a, errs, "kernel command line: a second \"--\" ends init's "
						"arguments; the kernel drops it and what follows: --%s%s",
				       *rest ? " " : "", rest);
			return;
		}
		strlist_push(a, &k->kargv, kcmd_word(&kp));
	}
}

int kline_read(struct kline *k, struct arena *a, struct strlist *errs, const char *text,
	       size_t len, kline_param_fn *param, void *ctx)
{
	char *copy, *cur, *tail = NULL;
	struct kparam kp;
	bool unterminated = false, rejected = false;

	memset(k, 0, sizeof(*k));
	len = text ? strnlen(text, len) : 0;
	if (len && text[len - 1] == '\n')
		len--; /* /proc/cmdline's own newline */
	copy = arena_strndup(a, len ? text : "", len);
	if (!copy)
		return -ENOMEM;
	cur = copy;
	while (kcmd_next(&cur, &kp, &unterminated)) {
		if (!kp.value && !strcmp(kp.name, "--")) {
			tail = cur;
			k->dashdash = true;
			break;
		}
		param(ctx, &kp);
		kernel_word(k, a, errs, &kp, &rejected);
	}
	k->nbare = k->kargv.n;
	if (tail && rejected) {
		tail = trimmed(tail);
		if (*tail)
			strlist_printf(a, errs, "kernel command line: a kernel parameter was "
						"rejected, so the kernel drops all of init's arguments "
						"after \"--\": %s", tail);
	} else if (tail) {
		kernel_tail(k, a, errs, tail, &unterminated);
	}
	if (unterminated)
		strlist_printf(a, errs, "kernel command line: unterminated quote; read to the end");
	if (k->kargv.n > KCMD_MAX_INIT_ARGS)
		strlist_printf(a, errs, "kernel command line: %zu arguments for init; the kernel "
					"panics with more than %d", k->kargv.n, KCMD_MAX_INIT_ARGS);
	return a->nomem ? -ENOMEM : 0;
}
