/* One value per line: the escaping shared by the dry run and the boot record. */
#ifndef UVMINIT_ESCAPE_H
#define UVMINIT_ESCAPE_H

#include <stddef.h>

/* Copies src into dst with the bytes that could break a "key=value" line escaped:
 * "\\" for a backslash, "\n" "\t" "\r", and "\xHH" for every other byte below 0x20
 * and for 0x7f. Other bytes (0xa0 and the rest of Latin-1 or UTF-8) stay as they
 * are. dst is always NUL-terminated when size > 0. Returns the length the whole
 * escaped value needs (without the NUL), like snprintf. */
size_t escape_value(char *dst, size_t size, const char *src);

#endif
