#include "goparse.h"

#include <ctype.h>
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

/* The ASCII letter a rune starting at s folds to (Go's foldRune: the smallest rune of its
 * simple-fold orbit), upper case, or 0 when it folds to none; *len is its UTF-8 length. */
static int fold_ascii(const unsigned char *s, size_t *len)
{
	*len = 1;
	if (s[0] < 0x80)
		return toupper(s[0]);
	if (s[0] == 0xc5 && s[1] == 0xbf) { /* U+017F LATIN SMALL LETTER LONG S */
		*len = 2;
		return 'S';
	}
	if (s[0] == 0xe2 && s[1] == 0x84 && s[2] == 0xaa) { /* U+212A KELVIN SIGN */
		*len = 3;
		return 'K';
	}
	return 0;
}

bool go_fold_equal(const char *key, const char *name)
{
	const unsigned char *k = (const unsigned char *)key;
	size_t i = 0, n;

	for (; *k; k += n) {
		int c = fold_ascii(k, &n);

		if (!c || !name[i] || c != toupper((unsigned char)name[i]))
			return false;
		i++;
	}
	return !name[i];
}
