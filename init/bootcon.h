/* uvminit.bootrec=console: once the agent runs, the boot record goes to the console and
 * kmsg as prefixed lines, so a host reads it from any serial log (scripts/boot-report
 * --log, scripts/boot-timeline --log; docs/init.md lists the keys):
 *   uvminit: bootrec: begin
 *   uvminit: bootrec: clock              (kmsg only: ties CLOCK_MONOTONIC to kmsg's)
 *   uvminit: bootrec: KEY=VALUE          (the record's lines, as /run/uvminit/boot has them,
 *   ...                                   then the keys only known once the agent runs)
 *   uvminit: bootrec: end lines=N
 * Each line through the logger's bounded console writer (a stuck console costs one line's
 * wait, then the rest go to kmsg only). Nothing of it runs without the parameter. */
#ifndef UVMINIT_BOOTCON_H
#define UVMINIT_BOOTCON_H

#include <stddef.h>
#include <stdint.h>

#include "bootrec.h"

#define BOOTCON_TAG "bootrec: "

/* Kernel timestamps (µs, printk's clock) read back from /dev/kmsg; -1: not seen. */
struct kmsg_times {
	int64_t exec_us; /* the last "Run PATH as init process" before the mark */
	int64_t mark_us; /* the "uvminit: bootrec: clock" line */
};

/* Takes one /dev/kmsg record ("PRI,SEQ,TS_US,FLAGS[,...];MESSAGE\n"). Returns 1 once the
 * mark has been seen (nothing after it is needed), else 0. */
int kmsg_times_record(struct kmsg_times *t, const char *rec, size_t n);
/* Logs each line of r as "bootrec: LINE" (LOG_NOTICE). Returns the number of lines. */
int bootrec_log(const struct bootrec *r);
/* The whole of it, once the agent has started (agent_us: CLOCK_MONOTONIC, µs, when its
 * exec returned; t0: init's first step): adds cpus, agent_us, cmdline, kmsg_exec_us
 * and kmsg_mono_us (the kernel's clock minus CLOCK_MONOTONIC) to r, then logs it. */
void bootcon_write(struct bootrec *r, int64_t t0, int64_t agent_us);

#endif
