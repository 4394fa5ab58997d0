#include "escape.h"

static const char hex[] = "0123456789abcdef";

size_t escape_value(char *dst, size_t size, const char *src)
{
	size_t len = 0;

	for (const unsigned char *s = (const unsigned char *)src; *s; s++) {
		char e[4];
		size_t n = 2;

		e[0] = '\\';
		if (*s == '\\') {
			e[1] = '\\';
		} else if (*s == '\n') {
			e[1] = 'n';
		} else if (*s == '\t') {
			e[1] = 't';
		} else if (*s == '\r') {
			e[1] = 'r';
		} else if (*s < 0x20 || *s == 0x7f) {
			e[1] = 'x';
			e[2] = hex[*s >> 4];
			e[3] = hex[*s & 0xf];
			n = 4;
		} else {
			e[0] = (char)*s;
			n = 1;
		}
		for (size_t i = 0; i < n; i++, len++)
			if (len + 1 < size)
				dst[len] = e[i];
	}
	if (size)
		dst[len < size ? len : size - 1] = '\0';
	return len;
}
