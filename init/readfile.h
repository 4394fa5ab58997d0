#ifndef UVMINIT_READFILE_H
#define UVMINIT_READFILE_H

#include <stddef.h>

/* Reads a whole file (any size, /proc files included) into a malloc'd,
 * NUL-terminated buffer. Returns 0 or -errno. */
int read_whole_file(const char *path, char **out, size_t *len);
/* The same, but -EFBIG once more than max bytes were read (/dev/zero ends at once). */
int read_file_max(const char *path, size_t max, char **out, size_t *len);

#endif
