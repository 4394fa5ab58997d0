/* Strict parsing of the numbers and words found on command lines. */
#ifndef UVMINIT_PARSE_H
#define UVMINIT_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#define PORT_MIN 1u
#define PORT_MAX 4294967294u /* 0xffffffff is VMADDR_PORT_ANY */

/* Decimal only: no sign, no space, no leading zero, no trailing junk.
 * Returns 0, or -EINVAL (not a number) / -ERANGE (outside [min, max]). */
int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);
int parse_port(const char *s, uint32_t *out);
/* 1 0 true false yes no on off. Returns 0 or -EINVAL. */
int parse_bool(const char *s, bool *out);

#endif
