/* Strict parsing of the numbers and words found on command lines. */
#ifndef UVMINIT_PARSE_H
#define UVMINIT_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PORT_MIN 1u
#define PORT_MAX 4294967294u /* 0xffffffff is VMADDR_PORT_ANY */

/* Decimal only: no sign, no space, no leading zero, no trailing junk.
 * Returns 0, or -EINVAL (not a number) / -ERANGE (outside [min, max]). */
int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);
int parse_port(const char *s, uint32_t *out);
/* 1 0 true false yes no on off. Returns 0 or -EINVAL. */
int parse_bool(const char *s, bool *out);

/* Writes v in decimal at out, NUL-terminated; returns the length. Not printf: the boot
 * path uses none (init/bootrec.h says why). */
#define FORMAT_DECIMAL_MAX 21 /* "-9223372036854775808" and its NUL */
size_t format_decimal(char out[FORMAT_DECIMAL_MAX], long long v);

#endif
