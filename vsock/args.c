#include "args.h"
#include "fmt.h"
#include "parse.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 2, 3)))
static int usage_error(struct vx_args *a, const char *fmt, ...)
{
	va_list ap;

	char *c;

	va_start(ap, fmt);
	fmt_vsnprintf(a->err, sizeof(a->err), fmt, ap);
	va_end(ap);
	/* the message quotes the bad word: keep it one printable line */
	for (c = a->err; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return -EINVAL;
}

static int set_value(struct vx_args *a, char opt, const char *val)
{
	uint32_t v;
	int rc;

	switch (opt) {
	case 'i':
	case 'o':
	case 'e':
		rc = parse_port(val, &v);
		if (rc)
			return usage_error(a, "-%c %.40s: not a port in %u..%u", opt, val,
					   PORT_MIN, PORT_MAX);
		a->port[opt == 'i' ? 0 : opt == 'o' ? 1 : 2] = v;
		return 0;
	case 't':
		rc = parse_u32(val, 0, VX_TIMEOUT_MS_MAX, &v);
		if (rc)
			return usage_error(a, "-t %.40s: not a timeout in 0..%u ms", val,
					   VX_TIMEOUT_MS_MAX);
		a->timeout_ms = v;
		return 0;
	case 'w':
		rc = parse_u32(val, 0, VX_HOLD_MS_MAX, &v);
		if (rc)
			return usage_error(a, "-w %.40s: not a hold in 0..%u ms", val, VX_HOLD_MS_MAX);
		a->hold_ms = v;
		return 0;
	default: /* 'c' */
		rc = parse_u32(val, 0, 4294967294u, &v);
		if (rc)
			return usage_error(a, "-c %.40s: not a CID in 0..4294967294", val);
		a->cid = v;
		return 0;
	}
}

int vx_parse(struct vx_args *a, int argc, char *const *argv)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->cid = VX_CID_DEFAULT;
	a->timeout_ms = VX_TIMEOUT_MS_DEFAULT;
	a->hold_ms = VX_HOLD_MS_DEFAULT;
	for (i = 1; i < argc; i++) {
		const char *w = argv[i];
		size_t j;

		if (w[0] != '-' || !w[1])
			break;
		if (!strcmp(w, "--")) {
			i++;
			break;
		}
		if (!strcmp(w, "--help")) {
			a->action = VX_HELP;
			return 0;
		}
		if (!strcmp(w, "--version")) {
			a->action = VX_VERSION;
			return 0;
		}
		if (w[1] == '-')
			return usage_error(a, "unknown option %.60s", w);
		for (j = 1; w[j]; j++) {
			char c = w[j];
			const char *val;

			/* VX_FLAG_OPTS, then VX_VALUE_OPTS (vxopts.h) */
			if (c == 'r') {
				a->relay = true;
			} else if (c == 'h') {
				a->action = VX_HELP;
				return 0;
			} else if (c == 'V') {
				a->action = VX_VERSION;
				return 0;
			} else if (c && strchr(VX_VALUE_OPTS, c)) {
				val = w[j + 1] ? w + j + 1 : (i + 1 < argc ? argv[++i] : NULL);
				if (!val)
					return usage_error(a, "-%c needs a value", c);
				if (set_value(a, c, val))
					return -EINVAL;
				break;
			} else {
				return usage_error(a, "unknown option -%c", c);
			}
		}
	}
	if (i >= argc)
		return usage_error(a, "no PROGRAM given");
	a->prog = i;
	return 0;
}
