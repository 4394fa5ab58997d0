/* The guest's file systems as data: a table of ops run by one loop. */
#ifndef UVMINIT_FS_H
#define UVMINIT_FS_H

#include <stddef.h>
#include <sys/types.h>

enum fs_kind { FS_MKDIR, FS_MOUNT, FS_SYMLINK };

struct fs_op {
	enum fs_kind kind;
	const char *target;  /* path created, mounted on, or the link's name */
	const char *source;  /* mount source, or what the link points to */
	const char *fstype;
	unsigned long flags; /* mount flags */
	const char *data;    /* mount data */
	mode_t mode;         /* mkdir mode (FS_MKDIR, and FS_MOUNT with .create) */
	int create;          /* FS_MOUNT: a missing mount point (ENOENT) is made, then the
			      * mount tried once more; a mount point that is there costs
			      * no mkdir */
	int tolerate;        /* an errno that counts as success (EEXIST, EBUSY), or 0 */
	int optional;        /* any failure is a warning, not a setup failure */
	const char *module;  /* mount failing with ENODEV: load this module, try once more */
};

#define OVERLAY_MODULE "/lib/modules/overlay.ko" /* shipped, loaded only for -w */

/* Runs ops in order. Returns 0, or the -errno of the first failure of a required op
 * (after logging it); optional ones are logged as warnings and skipped. */
int fs_run(const struct fs_op *ops, size_t n);
/* The boot's tables. */
int fs_mount_base(void);
int fs_mount_overlays(void);

#endif
