/* The kernel command line, split with the kernel's own rules (lib/cmdline.c next_arg). */
#ifndef UVMINIT_CMDLINE_H
#define UVMINIT_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

struct kparam {
	char *name;
	char *value; /* NULL when the token has no '=' */
};

/* Splits the next token of the NUL-terminated, writable buffer *cursor in place and
 * advances *cursor. Double quotes group spaces; a quoted value loses its quotes.
 * Returns false at the end. Sets *unterminated when a quote was left open. */
bool kcmd_next(char **cursor, struct kparam *out, bool *unterminated);

/* Copies the value of the last NAME=VALUE before the first standalone "--" of text
 * into out (truncated, NUL-terminated; a bare NAME gives ""). Returns 1 when found,
 * 0 when not, -ENOMEM. For programs that read one parameter (the test programs). */
int kcmd_get(const char *text, const char *name, char *out, size_t size);

#endif
