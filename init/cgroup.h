/* cgroups: v2 with every available controller enabled for the root's children, or v1
 * (one hierarchy per enabled controller) when v2 is unusable or v1 is forced. */
#ifndef UVMINIT_CGROUP_H
#define UVMINIT_CGROUP_H

#include <stddef.h>

#include "plan.h"

enum cgroup_result { CGROUP_RESULT_NONE, CGROUP_RESULT_V1, CGROUP_RESULT_V2 };

#define CGROUP_ROOT "/sys/fs/cgroup"

/* Never fails the boot: what it could not do is logged. */
enum cgroup_result cgroup_setup(enum plan_cgroup forced);
const char *cgroup_result_name(enum cgroup_result r);

/* Pure helpers, exposed for tests. */
/* "cpu io memory\n" -> "+cpu +io +memory". Returns the length, or -ENOSPC. */
int cgroup_subtree_line(const char *controllers, char *out, size_t size);
/* Next enabled controller in /proc/cgroups text from *pos; copies its name to name.
 * Returns 1 when one was found, 0 at the end. */
int cgroup_v1_next(const char **pos, char *name, size_t size);

#endif
