/* The kernel command line, read with the kernel's own rules (Linux 6.1: lib/cmdline.c
 * next_arg, lib/ctype.c isspace, kernel/params.c parse_args, init/main.c
 * unknown_bootoption and set_init_arg): how it splits words, and what it does with
 * each word before the first standalone "--". */
#ifndef UVMINIT_CMDLINE_H
#define UVMINIT_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* The most arguments the kernel hands init (CONFIG_INIT_ENV_ARG_LIMIT): one more and
 * it panics ("Too many boot init vars"). */
#define KCMD_MAX_INIT_ARGS 32

struct kparam {
	char *name;
	char *value; /* NULL when the token has no '=' */
};

/* The kernel's whitespace: \t \n \v \f \r, space, and the Latin-1 byte 0xa0. */
bool kcmd_isspace(char c);

/* Splits the next token of the NUL-terminated, writable buffer *cursor in place and
 * advances *cursor. Double quotes group spaces; a quoted value loses its quotes.
 * Returns false at the end. Sets *unterminated when a quote was left open. */
bool kcmd_next(char **cursor, struct kparam *out, bool *unterminated);

/* Puts a split token back together in place the way the kernel does before it hands
 * the word to init: NAME=VALUE, quotes around VALUE removed (so NAME=" gives NAME=).
 * Returns kp->name, the whole word. */
char *kcmd_word(const struct kparam *kp);

/* What the kernel does with a word before the first "--". */
enum kcmd_fate {
	KCMD_CONSUMED, /* a kernel option: init never sees it */
	KCMD_IGNORED,  /* a dotted name the kernel does not know (uvminit.*, say) */
	KCMD_ENV,      /* NAME=VALUE: into init's environment, or a kernel option */
	KCMD_ARG,      /* a bare word no kernel option we know: passed to init as an argument */
	KCMD_REJECTED, /* a kernel option with an invalid value: the kernel then drops all
			* of init's arguments after "--" */
	KCMD_INIT_PATH /* init= or rdinit=: the kernel forgets the bare words before it */
};

/* Classifies one token (before kcmd_word). KCMD_ARG is a prediction: a bare word that
 * is in none of our tables of the Debian 6.1 kernel's own options. */
enum kcmd_fate kcmd_fate(const struct kparam *kp);

/* Copies the value of the last NAME=VALUE before the first standalone "--" of text
 * into out (truncated, NUL-terminated; a bare NAME gives ""). Returns 1 when found,
 * 0 when not, -ENOMEM. For programs that read one parameter (the test programs). */
int kcmd_get(const char *text, const char *name, char *out, size_t size);

#endif
