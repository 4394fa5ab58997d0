#include "fmt.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - o->len;

		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void put_num(struct out *o, uintmax_t v, unsigned base, int neg)
{
	char tmp[24];
	size_t n = sizeof(tmp);

	do {
		tmp[--n] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[--n] = '-';
	put(o, tmp + n, sizeof(tmp) - n);
}

enum len { L_INT, L_LONG, L_LLONG, L_SIZE, L_MAX, L_PTRDIFF };

static uintmax_t get_unsigned(va_list *ap, enum len l)
{
	switch (l) {
	case L_LONG: return va_arg(*ap, unsigned long);
	case L_LLONG: return va_arg(*ap, unsigned long long);
	case L_SIZE: return va_arg(*ap, size_t);
	case L_MAX: return va_arg(*ap, uintmax_t);
	case L_PTRDIFF: return (uintmax_t)va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, unsigned int);
	}
}

static intmax_t get_signed(va_list *ap, enum len l)
{
	switch (l) {
	case L_LONG: return va_arg(*ap, long);
	case L_LLONG: return va_arg(*ap, long long);
	case L_SIZE: return (intmax_t)va_arg(*ap, size_t);
	case L_MAX: return va_arg(*ap, intmax_t);
	case L_PTRDIFF: return va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, int);
	}
}

/* one conversion after the '%'; returns where the format goes on, NULL to stop */
static const char *convert(struct out *o, const char *f, va_list *ap, int err)
{
	size_t prec = SIZE_MAX;
	enum len l = L_INT;
	const char *s;
	intmax_t v;
	char c;

	if (*f == '.') {
		f++;
		if (*f == '*') {
			int p = va_arg(*ap, int);

			prec = p < 0 ? SIZE_MAX : (size_t)p;
			f++;
		} else {
			for (prec = 0; *f >= '0' && *f <= '9'; f++)
				prec = prec * 10 + (size_t)(*f - '0');
		}
	}
	for (;; f++) {
		if (*f == 'h')
			continue; /* promoted to int anyway */
		if (*f == 'l')
			l = l == L_LONG ? L_LLONG : L_LONG;
		else if (*f == 'z')
			l = L_SIZE;
		else if (*f == 'j')
			l = L_MAX;
		else if (*f == 't')
			l = L_PTRDIFF;
		else
			break;
	}
	switch (*f) {
	case '%':
		put(o, "%", 1);
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		put(o, &c, 1);
		break;
	case 'm':
	case 's':
		s = *f == 'm' ? strerror(err) : va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		put(o, s, strnlen(s, prec));
		break;
	case 'd':
	case 'i':
		v = get_signed(ap, l);
		put_num(o, v < 0 ? -(uintmax_t)v : (uintmax_t)v, 10, v < 0);
		break;
	case 'u':
	case 'x':
		put_num(o, get_unsigned(ap, l), *f == 'x' ? 16 : 10, 0);
		break;
	default:
		put(o, "%?", 2);
		return NULL;
	}
	return f + 1;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size ? size - 1 : 0, 0 };
	int err = errno;
	const char *f = fmt, *pct;
	va_list aq;

	va_copy(aq, ap);
	while (f && *f) {
		pct = strchr(f, '%');
		if (!pct) {
			put(&o, f, strlen(f));
			break;
		}
		put(&o, f, (size_t)(pct - f));
		f = convert(&o, pct + 1, &aq, err);
	}
	va_end(aq);
	if (size)
		buf[o.len < o.size ? o.len : o.size] = 0;
	errno = err;
	return o.len > INT32_MAX ? INT32_MAX : (int)o.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
