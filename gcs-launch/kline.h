/* The kernel's word model of a whole command line: which arguments the kernel hands
 * init, and what it drops on the way (each drop named in an error). The tokenizer and
 * each word's fate are cmdline.h; the uvminit.* parameters are the plan's (plan.c),
 * which sees every word before "--" through a callback, in order. */
#ifndef UVMINIT_KLINE_H
#define UVMINIT_KLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "cmdline.h"

struct kline {
	struct strlist kargv; /* init's arguments as the kernel hands them, predicted */
	size_t nbare;         /* how many of them are bare words from before "--" */
	struct strlist bare_err; /* the error line naming each of those nbare words */
	bool dashdash;        /* the line has a standalone "--" */
};

typedef void kline_param_fn(void *ctx, const struct kparam *kp);

/* Reads text[0..len) (need not be NUL-terminated; /proc/cmdline's one trailing newline
 * is not part of it) into k, a copy of the text kept in a. param sees each word before
 * the first "--"; what the kernel drops goes to errs. Returns 0 or -ENOMEM. */
int kline_read(struct kline *k, struct arena *a, struct strlist *errs, const char *text,
	       size_t len, kline_param_fn *param, void *ctx);

#endif
