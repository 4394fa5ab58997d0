/* The launch plan: what init mounts, seeds and execs, computed without any I/O.
 * The dry run prints it (planfmt.c); the boot executes it. One source of truth for
 * both. The kernel's handling of the command line is kline.h; the plan's memory an
 * arena (arena.h). */
#ifndef UVMINIT_PLAN_H
#define UVMINIT_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "parse.h"

enum plan_mode { MODE_VERBATIM, MODE_DIRECT, MODE_WRAPPED };
enum plan_cgroup { CGROUP_AUTO, CGROUP_V1, CGROUP_V2 };

#define PLAN_LOG_PORT_DEFAULT 109u
#define PLAN_ENTROPY_TIMEOUT_MS_DEFAULT 500u
#define PLAN_ENTROPY_TIMEOUT_MS_MAX 60000u
#define PLAN_VSOCKEXEC "/bin/vsockexec"

struct plan_input {
	/* the kernel command line (/proc/cmdline: one trailing newline is not part of
	 * it); need not be NUL-terminated */
	const char *cmdline;
	size_t cmdline_len;
	int argc;            /* init's arguments, without argv[0] */
	char *const *argv;
	/* With no arguments, take them from the command line as the kernel would have
	 * handed them to init: the bare words before "--" it does not know, then the
	 * words after it (dry run only). */
	bool args_from_cmdline;
	/* optional storage for the plan (the boot's: planning then allocates nothing
	 * unless it outgrows it); NULL: the heap */
	void *mem;
	size_t mem_size;
};

struct plan {
	enum plan_mode mode;
	enum plan_cgroup cgroup;
	uint32_t entropy_port; /* 0: none */
	uint32_t entropy_timeout_ms;
	uint32_t log_port;
	bool overlay;
	bool bootrec_console;    /* uvminit.bootrec=console: the record to the console too */
	const char *debug_shell; /* NULL: none */
	char **argv;             /* NULL-terminated program to exec */
	size_t argc;
	/* every invalid parameter, refused option and part of the command line the
	 * kernel drops, in order; as many as there are */
	char **errors;
	size_t nerrors;
	/* storage the pointers above point into */
	struct arena arena;
	struct strlist errlist;
	char log_port_str[FORMAT_DECIMAL_MAX];
};

/* Returns 0, or -ENOMEM (the plan is then empty and needs no plan_free). */
int plan_build(struct plan *p, const struct plan_input *in);
void plan_free(struct plan *p);
const char *plan_mode_name(enum plan_mode m);
const char *plan_cgroup_name(enum plan_cgroup c);
/* Writes the dry run's key=value form into buf (always NUL-terminated), every value
 * escaped onto its line (escape.h). Returns the length it needed, like snprintf. */
size_t plan_format(const struct plan *p, char *buf, size_t size);

#endif
