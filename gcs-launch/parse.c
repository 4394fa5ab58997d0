#include "parse.h"

#include <errno.h>
#include <string.h>

int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!s || !*s || (s[0] == '0' && s[1]))
		return -EINVAL;
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		if (v > UINT32_MAX)
			continue; /* keep scanning so junk still wins over range */
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v < min || v > max)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

int parse_port(const char *s, uint32_t *out)
{
	return parse_u32(s, PORT_MIN, PORT_MAX, out);
}

int parse_bool(const char *s, bool *out)
{
	static const char *const words[][2] = {
		{ "1", "0" }, { "true", "false" }, { "yes", "no" }, { "on", "off" },
	};
	size_t i;

	if (!s)
		return -EINVAL;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (!strcmp(s, words[i][0]) || !strcmp(s, words[i][1])) {
			*out = !strcmp(s, words[i][0]);
			return 0;
		}
	}
	return -EINVAL;
}

size_t format_decimal(char out[FORMAT_DECIMAL_MAX], long long v)
{
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	char tmp[FORMAT_DECIMAL_MAX];
	size_t n = 0, len = 0;

	do
		tmp[n++] = (char)('0' + u % 10);
	while ((u /= 10));
	if (v < 0)
		out[len++] = '-';
	while (n)
		out[len++] = tmp[--n];
	out[len] = '\0';
	return len;
}
