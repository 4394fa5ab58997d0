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
	int heap;   /* buf is malloc'd (else the caller's, from bootrec_init) */
};

#define PHASE_NAME_MAX 32 /* a phase name's bytes in the record; longer ones are cut */

/* One boot step's span: the process it ran in, its start and end (CLOCK_MONOTONIC, µs)
 * and the CPU time it used there. */
struct phase {
	const char *name;
	int pid;
	int64_t start_us, end_us, cpu_us;
};

void phase_begin(struct phase *p, const char *name);
void phase_end(struct phase *p);

/* Append one "key=value\n" line, the value escaped as the dry run escapes it. No
 * printf: under TCG the first printf-family call cost PID 1 4-8 ms (its code translated
 * at first use), more than most boot steps; the boot path has none before the agent's
 * exec. */
/* Starts a record in the caller's storage: no allocation unless it outgrows it (then
 * it moves to the heap, whole). A zeroed struct bootrec starts on the heap. */
void bootrec_init(struct bootrec *r, char *buf, size_t cap);
void bootrec_str(struct bootrec *r, const char *key, const char *value);
void bootrec_num(struct bootrec *r, const char *key, long long value);
/* Appends "phase=NAME PID START END CPU": START and END in µs since t0 (init's start),
 * CPU in µs. */
void bootrec_phase(struct bootrec *r, int64_t t0, const struct phase *p);
/* Writes the record to path (mode 0644). Returns 0 or -errno. */
int bootrec_save(const struct bootrec *r, const char *path);
/* bootrec_save, then frees it. */
int bootrec_write(struct bootrec *r, const char *path);
void bootrec_free(struct bootrec *r);

#endif
