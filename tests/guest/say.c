#include "say.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void say(const char *prefix, const char *fmt, ...)
{
	char buf[512];
	size_t n = strlen(prefix);
	va_list ap;
	int m;

	if (n > 32)
		n = 32;
	memcpy(buf, prefix, n);
	buf[n++] = ' ';
	va_start(ap, fmt);
	m = vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	n += (size_t)m;
	if (n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(1, buf, n) < 0) {
		/* the console is all we have */
	}
}
