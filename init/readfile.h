#ifndef UVMINIT_READFILE_H
#define UVMINIT_READFILE_H

#include <stddef.h>

/* Reads a whole file (any size, /proc files included) into a malloc'd,
 * NUL-terminated buffer. Returns 0 or -errno. */
int read_whole_file(const char *path, char **out, size_t *len);

#endif
