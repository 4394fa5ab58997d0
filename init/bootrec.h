/* The boot record, /run/uvminit/boot: key=value lines for the agent and the tests
 * (docs/init.md lists the keys). Built in memory, written once before the agent runs. */
#ifndef UVMINIT_BOOTREC_H
#define UVMINIT_BOOTREC_H

#include <stddef.h>
#include <stdint.h>

#define BOOTREC_PATH "/run/uvminit/boot"

struct bootrec {
	char *buf;
	size_t len, cap;
	int failed; /* out of memory: the record is dropped */
};

/* One boot step's span: the process it ran in, its start and end (CLOCK_MONOTONIC, µs)
 * and the CPU time it used there. */
struct phase {
	const char *name;
	int pid;
	int64_t start_us, end_us, cpu_us;
};

void phase_begin(struct phase *p, const char *name);
void phase_end(struct phase *p);

/* Appends one "key=value\n" line; value is formatted. */
__attribute__((format(printf, 3, 4))) void bootrec_add(struct bootrec *r, const char *key,
							const char *fmt, ...);
/* Appends "phase=NAME PID START END CPU": START and END in µs since t0 (init's start),
 * CPU in µs. */
void bootrec_phase(struct bootrec *r, int64_t t0, const struct phase *p);
/* Writes the record to path (mode 0644) and frees it. Returns 0 or -errno. */
int bootrec_write(struct bootrec *r, const char *path);
void bootrec_free(struct bootrec *r);

#endif
