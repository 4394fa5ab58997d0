#include "goparse.h"

#include <errno.h>
#include <string.h>

int go_parse_bool(const char *s, bool *out)
{
	static const char *const words[][2] = {
		{ "1", "0" },	      { "t", "f" },	      { "T", "F" },
		{ "TRUE", "FALSE" }, { "true", "false" }, { "True", "False" },
	};
	size_t i;

	for (i = 0; s && i < sizeof(words) / sizeof(words[0]); i++) {
		if (!strcmp(s, words[i][0]) || !strcmp(s, words[i][1])) {
			*out = !strcmp(s, words[i][0]);
			return 0;
		}
	}
	return -EINVAL;
}

int go_parse_u32(const char *s, uint32_t *out)
{
	uint64_t v = 0;
	bool big = false;
	size_t i;

	if (!s || !*s)
		return -EINVAL;
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > UINT32_MAX) {
			big = true; /* keep scanning: junk after the digits is still -EINVAL */
			v = UINT32_MAX;
		}
	}
	if (big)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}
