/* The kernel command line, split with the kernel's own rules (lib/cmdline.c next_arg). */
#ifndef UVMINIT_CMDLINE_H
#define UVMINIT_CMDLINE_H

#include <stdbool.h>

struct kparam {
	char *name;
	char *value; /* NULL when the token has no '=' */
};

/* Splits the next token of the NUL-terminated, writable buffer *cursor in place and
 * advances *cursor. Double quotes group spaces; a quoted value loses its quotes.
 * Returns false at the end. Sets *unterminated when a quote was left open. */
bool kcmd_next(char **cursor, struct kparam *out, bool *unterminated);

#endif
