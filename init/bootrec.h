/* The boot record, /run/uvminit/boot: key=value lines for the agent and the tests
 * (docs/init.md lists the keys). Built in memory, written once before the agent runs. */
#ifndef UVMINIT_BOOTREC_H
#define UVMINIT_BOOTREC_H

#include <stddef.h>

#define BOOTREC_PATH "/run/uvminit/boot"

struct bootrec {
	char *buf;
	size_t len, cap;
	int failed; /* out of memory: the record is dropped */
};

/* Appends one "key=value\n" line; value is formatted. */
__attribute__((format(printf, 3, 4))) void bootrec_add(struct bootrec *r, const char *key,
							const char *fmt, ...);
/* Writes the record to path (mode 0644) and frees it. Returns 0 or -errno. */
int bootrec_write(struct bootrec *r, const char *path);
void bootrec_free(struct bootrec *r);

#endif
