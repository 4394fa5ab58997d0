/* The plan printed: the dry run's key=value lines and the names the boot record uses. */
#include "plan.h"

#include <stdarg.h>
#include <stdio.h>

#include "escape.h"

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
	if (p->bootrec_console)
		out_printf(&o, "bootrec=console\n");
	if (p->debug_shell)
		out_value(&o, "debug_shell", p->debug_shell);
	for (i = 0; i < p->argc; i++)
		out_value(&o, "argv", p->argv[i]);
	for (i = 0; i < p->nerrors; i++)
		out_value(&o, "error", p->errors[i]);
	return o.len;
}
