/* Starts a program the way the agent must find the world: its own session, an empty
 * signal mask, default dispositions, PATH as its only environment variable, and no fd
 * beyond 0-2. */
#ifndef UVMINIT_SPAWN_H
#define UVMINIT_SPAWN_H

#include <sys/types.h>

#define SPAWN_PATH "PATH=/sbin:/usr/sbin:/bin:/usr/bin"
#define SPAWN_CTTY 1 /* make fd 0 (the console) its controlling terminal */

/* Returns the child's pid once it has exec'd, or -errno when fork failed or the exec
 * failed (the child is then reaped; the errno is the exec's). */
pid_t spawn(char *const argv[], int flags);

#endif
