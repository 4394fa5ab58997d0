/* Kernel modules the initrd lists in /etc/uvminit/modules (one absolute path per line,
 * load order, blank lines and '#' comments ignored), loaded with finit_module. */
#ifndef UVMINIT_MODULES_H
#define UVMINIT_MODULES_H

#include <stddef.h>

#define MODULES_LIST "/etc/uvminit/modules"

/* Loads every module of the list text (modified in place). A module already loaded
 * is skipped quietly (the caller counts them with modules_scan), one missing or
 * failing is a warning. Returns the number loaded. */
int modules_load_text(char *text);
/* Loads one module file. Returns 0, -EEXIST (already loaded) or another -errno. */
int module_load_file(const char *path);
/* Reads the list at path (absent: nothing to do) and loads it. Returns the number loaded. */
/* Returns how many modules the list at path names and sets *present to how many of
 * them are loaded (or built in) already, as /sys/module shows: a cheap look that
 * tells whether loading is needed at all. An absent list names none. */
int modules_scan(const char *path, int *present);
/* modules_scan reading the list into buf (cap bytes) when it fits: no allocation. */
int modules_scan_buf(const char *path, char *buf, size_t cap, int *present);
int modules_load(const char *path);

#endif
