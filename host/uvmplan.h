/* The UVM's kernel command line in hcsshim's shape, for a pod (uvmctl plan). */
#ifndef UVMINIT_UVMPLAN_H
#define UVMINIT_UVMPLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "spec.h"

#define UVMPLAN_ERR_LEN 640
/* x86's COMMAND_LINE_SIZE is 2048 with the NUL: the kernel cuts a longer line */
#define UVMPLAN_CMDLINE_MAX 2047
#define UVMPLAN_ENTROPY_PORT "1"
#define UVMPLAN_LOG_PORT "109"
#define UVMPLAN_LOG_LEVEL_DEFAULT "info" /* hcsshim HEAD's buildGCSCommand */

#define ANN_KERNEL_BOOT_OPTIONS "io.microsoft.virtualmachine.lcow.kernelbootoptions"
#define ANN_TIMESYNC_DISABLE "io.microsoft.virtualmachine.lcow.timesync.disable"
#define ANN_ROOTFS_TYPE "io.microsoft.virtualmachine.lcow.preferredrootfstype"
#define ANN_WRITABLE_OVERLAY "io.microsoft.virtualmachine.lcow.writable-overlay-directories"
#define ANN_DUMP_LOCATION "io.microsoft.container.processdumplocation"
#define ANN_EXTRA_EXEC_ARGS "io.microsoft.virtualmachine.lcow.extra-exec-command-args"

/* How a migratable pod's agent logs (uvmctl plan --logs); a normal pod always runs
 * under /bin/vsockexec -e 109. */
enum uvmplan_logs {
	UVMPLAN_LOGS_DEFAULT, /* not given: relay for a migratable pod */
	UVMPLAN_LOGS_RELAY,   /* /bin/vsockexec -r -e 109, log listener: hcsshim HEAD's shape */
	UVMPLAN_LOGS_OFF,     /* no forwarder, uvminit.migratable=1, no listener: the earlier shape */
};

struct uvmplan_opts {
	bool migratable;	    /* the pod is migratable (annotation or --migratable) */
	const char *log_level;	    /* NULL: UVMPLAN_LOG_LEVEL_DEFAULT */
	int scrub_logs;		    /* -1: not given, else 0 or 1 */
	const char *core_dump_dir;  /* NULL: the pod's ANN_DUMP_LOCATION, if any */
	bool console;		    /* a serial console, as hcsshim's debugging UVMs have */
	enum uvmplan_logs logs;	    /* only for a migratable pod */
};

struct uvmplan {
	bool migratable;
	bool log_listener;
	char *cmdline;
};

/* Builds the plan for a pod that passed the policy (or is not migratable). The words
 * after "--" are hcsshim HEAD's buildInitArgs for the same inputs. The line is then read
 * back by init's own planner (gcs-launch/plan.c) and must come out as meant: mode,
 * entropy port, overlays, the exact agent argv, no error. Returns 0, -EINVAL (err:
 * one line naming the option or "FILE: KEY" and why) or -ENOMEM. */
int uvmplan_build(const struct spec *pod, const struct uvmplan_opts *o, struct uvmplan *out,
		  char *err, size_t errlen);
void uvmplan_free(struct uvmplan *p);

#endif
