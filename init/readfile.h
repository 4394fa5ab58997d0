#ifndef UVMINIT_READFILE_H
#define UVMINIT_READFILE_H

#include <stddef.h>

/* Reads a whole file (any size, /proc files included) into a malloc'd,
 * NUL-terminated buffer. Returns 0 or -errno. */
int read_whole_file(const char *path, char **out, size_t *len);

/* Reads a whole file into buf (cap bytes, NUL-terminated, so at most cap - 1 of the
 * file) with no allocation: the boot path's small files. Returns 0, -EFBIG when the
 * file does not fit (buf then holds its first cap - 1 bytes), or -errno. */
int read_file_into(const char *path, char *buf, size_t cap, size_t *len);

/* read_file_into, else (-EFBIG) read_whole_file: *out is buf, or a malloc'd copy the
 * caller frees when it is not buf. */
int read_file_buf(const char *path, char *buf, size_t cap, char **out, size_t *len);

#endif
