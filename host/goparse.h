/* Go's strconv parsing, as hcsshim reads annotations with it (host side only). */
#ifndef UVMINIT_GOPARSE_H
#define UVMINIT_GOPARSE_H

#include <stdbool.h>
#include <stdint.h>

/* strconv.ParseBool: 1 t T TRUE true True, 0 f F FALSE false False. 0 or -EINVAL. */
int go_parse_bool(const char *s, bool *out);
/* strconv.ParseUint(s, 10, 32): decimal digits only (leading zeros allowed, no sign, no
 * space). 0, -EINVAL (not a number) or -ERANGE (above 4294967295). */
int go_parse_u32(const char *s, uint32_t *out);

/* encoding/json's member-to-field match: key equals name (ASCII) under Go's folding:
 * ASCII letters case-insensitively, U+017F (long s) as s and U+212A (Kelvin sign) as k,
 * the only runes whose simple-fold orbit reaches ASCII. */
bool go_fold_equal(const char *key, const char *name);

#endif
