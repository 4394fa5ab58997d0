/* Writing a line to a terminal or pipe that may be full (a console stopped with ^S, a
 * pipe nobody reads) without waiting on it more than the caller allows. Shared by
 * init's logger and vsockexec's warnings: both write to an fd 2 they share with a
 * program whose own writes must stay blocking, so O_NONBLOCK cannot be set on it. */
#ifndef UVMINIT_WRITE_BOUNDED_H
#define UVMINIT_WRITE_BOUNDED_H

#include <stddef.h>

/* Opens what fd is anew, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, through
 * /proc/self/fd: a description of our own, so fd's stays as it is. Only a terminal or
 * a pipe needs one and can have one. Returns the new fd; -ENOTSUP for what never makes
 * a write wait (a file); -ENXIO for a socket (it can block, /proc cannot reopen it);
 * or the open's -errno (/proc not mounted). */
int wb_reopen(int fd);

/* Writes n bytes to fd. On a non-blocking fd that is full, waits for room at most
 * wait_ms in all (0: not at once), then gives up: a line may be cut there. Returns
 * the bytes written. */
size_t write_bounded(int fd, const void *s, size_t n, int wait_ms);

#endif
