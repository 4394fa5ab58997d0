/* vsockexec's command line, parsed without side effects (shared with the tests and
 * the fuzz target). Options end at "--" or at the first word that is not an option;
 * -i -o -e -t -c -w take a value (attached "-e109" or next word), -r -h -V do not, and
 * flags may be grouped ("-re 109"). The option table is gcs-launch/vxopts.h. */
#ifndef UVMINIT_VSOCK_ARGS_H
#define UVMINIT_VSOCK_ARGS_H

#include <stdbool.h>
#include <stdint.h>

#include "vxopts.h" /* the option table, shared with the planner */

#define VX_TIMEOUT_MS_DEFAULT 1000u
#define VX_TIMEOUT_MS_MAX 600000u
#define VX_CID_DEFAULT 2u
#define VX_HOLD_MS_DEFAULT 50u
#define VX_HOLD_MS_MAX 1000u

enum vx_action { VX_RUN, VX_HELP, VX_VERSION };

struct vx_args {
	enum vx_action action;
	bool relay;
	uint32_t port[3]; /* for fds 0, 1, 2; 0 = leave as inherited */
	uint32_t cid;
	uint32_t timeout_ms;
	uint32_t hold_ms; /* -w: the longest the relay holds PROGRAM back */
	int prog;         /* argv index of PROGRAM */
	char err[160];    /* the one-line reason of a usage error */
};

/* Returns 0 (see a->action), or -EINVAL with a->err set. */
int vx_parse(struct vx_args *a, int argc, char *const *argv);

#endif
