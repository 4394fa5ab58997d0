#include "fs.h"

#include <errno.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "modules.h"

#define NSE (MS_NOSUID | MS_NODEV | MS_NOEXEC)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The initrd's own mount points are usually there: each mount is tried first and its
 * mount point made only when missing (.create). /dev/pts and /dev/shm never are on a
 * fresh devtmpfs: made first. */
static const struct fs_op base_ops[] = {
	/* the kernel may have mounted it already (CONFIG_DEVTMPFS_MOUNT) */
	{ FS_MOUNT, "/dev", "devtmpfs", "devtmpfs", MS_NOSUID, "mode=0755", .mode = 0755,
	  .create = 1, .tolerate = EBUSY },
	{ FS_MOUNT, "/proc", "proc", "proc", NSE, NULL, .mode = 0555, .create = 1 },
	{ FS_MOUNT, "/sys", "sysfs", "sysfs", NSE, NULL, .mode = 0555, .create = 1 },
	{ FS_MOUNT, "/run", "tmpfs", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755", .mode = 0755,
	  .create = 1 },
	{ FS_MKDIR, "/run/uvminit", .mode = 0755, .tolerate = EEXIST },
	{ FS_MOUNT, "/tmp", "tmpfs", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777", .mode = 01777,
	  .create = 1, .optional = 1 },
	{ FS_MKDIR, "/dev/pts", .mode = 0755, .tolerate = EEXIST, .optional = 1 },
	{ FS_MOUNT, "/dev/pts", "devpts", "devpts", MS_NOSUID | MS_NOEXEC,
	  "newinstance,ptmxmode=0666,mode=0620", .optional = 1 },
	{ FS_MKDIR, "/dev/shm", .mode = 01777, .tolerate = EEXIST, .optional = 1 },
	{ FS_MOUNT, "/dev/shm", "shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777",
	  .optional = 1 },
	{ FS_SYMLINK, "/dev/fd", "/proc/self/fd", .tolerate = EEXIST, .optional = 1 },
	{ FS_SYMLINK, "/dev/stdin", "/proc/self/fd/0", .tolerate = EEXIST, .optional = 1 },
	{ FS_SYMLINK, "/dev/stdout", "/proc/self/fd/1", .tolerate = EEXIST, .optional = 1 },
	{ FS_SYMLINK, "/dev/stderr", "/proc/self/fd/2", .tolerate = EEXIST, .optional = 1 },
};

/* -w: /etc and /var become overlays whose upper layers live on one tmpfs. */
static const struct fs_op overlay_ops[] = {
	{ FS_MKDIR, "/run/over", .mode = 0700, .tolerate = EEXIST },
	{ FS_MOUNT, "/run/over", "overlay-upper", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700" },
	{ FS_MKDIR, "/run/over/etc", .mode = 0755 },
	{ FS_MKDIR, "/run/over/etc/upper", .mode = 0755 },
	{ FS_MKDIR, "/run/over/etc/work", .mode = 0755 },
	{ FS_MOUNT, "/etc", "overlay", "overlay", 0,
	  "lowerdir=/etc,upperdir=/run/over/etc/upper,workdir=/run/over/etc/work",
	  .module = OVERLAY_MODULE },
	{ FS_MKDIR, "/run/over/var", .mode = 0755 },
	{ FS_MKDIR, "/run/over/var/upper", .mode = 0755 },
	{ FS_MKDIR, "/run/over/var/work", .mode = 0755 },
	{ FS_MOUNT, "/var", "overlay", "overlay", 0,
	  "lowerdir=/var,upperdir=/run/over/var/upper,workdir=/run/over/var/work",
	  .module = OVERLAY_MODULE },
};

static const char *const kind_name[] = { [FS_MKDIR] = "mkdir", [FS_MOUNT] = "mount",
					 [FS_SYMLINK] = "symlink" };

static int fs_do(const struct fs_op *op)
{
	int rc;

	switch (op->kind) {
	case FS_MKDIR:
		rc = mkdir(op->target, op->mode);
		break;
	case FS_MOUNT:
		rc = mount(op->source, op->target, op->fstype, op->flags, op->data);
		break;
	case FS_SYMLINK:
		rc = symlink(op->source, op->target);
		break;
	default:
		return -EINVAL;
	}
	return rc < 0 ? -errno : 0;
}

int fs_run(const struct fs_op *ops, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int rc = fs_do(&ops[i]);

		if (rc == -ENOENT && ops[i].create) {
			rc = mkdir(ops[i].target, ops[i].mode) < 0 && errno != EEXIST ? -errno : 0;
			if (!rc)
				rc = fs_do(&ops[i]);
		}

		/* a file system the kernel has as a module: load it on demand */
		if (rc == -ENODEV && ops[i].module) {
			int mrc = module_load_file(ops[i].module);

			if (!mrc || mrc == -EEXIST)
				rc = fs_do(&ops[i]);
			else {
				errno = -mrc;
				log_warn("%s: %m", ops[i].module);
			}
		}

		if (!rc || (ops[i].tolerate && rc == -ops[i].tolerate))
			continue;
		errno = -rc;
		if (ops[i].optional) {
			log_warn("%s %s: %m", kind_name[ops[i].kind], ops[i].target);
			continue;
		}
		log_err("%s %s: %m", kind_name[ops[i].kind], ops[i].target);
		return rc;
	}
	return 0;
}

int fs_mount_base(void)
{
	return fs_run(base_ops, ARRAY_SIZE(base_ops));
}

int fs_mount_overlays(void)
{
	return fs_run(overlay_ops, ARRAY_SIZE(overlay_ops));
}
