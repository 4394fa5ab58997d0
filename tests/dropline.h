/* The relay's gap marker as the test programs read it (vxtest on this machine, testhost
 * in the guest): "vsockexec: dropped N bytes". Written out here on purpose, apart from
 * vsock/relay.c, so a change to the relay's format fails the tests. */
#ifndef UVMINIT_TESTS_DROPLINE_H
#define UVMINIT_TESTS_DROPLINE_H

#include <stdlib.h>
#include <string.h>

#define DROPLINE_TAG "vsockexec: dropped "

/* If s starts with "vsockexec: dropped N bytes" (N decimal), sets *n and returns the
 * first character after "bytes" (the line's end is the caller's to check); else NULL. */
static inline const char *dropline_parse(const char *s, unsigned long long *n)
{
	char *end;

	if (strncmp(s, DROPLINE_TAG, sizeof(DROPLINE_TAG) - 1))
		return NULL;
	s += sizeof(DROPLINE_TAG) - 1;
	if (*s < '0' || *s > '9')
		return NULL;
	*n = strtoull(s, &end, 10);
	return strncmp(end, " bytes", 6) ? NULL : end + 6;
}

#endif
