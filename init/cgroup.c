#include "cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "readfile.h"
#include "sys.h"

#define NSE (MS_NOSUID | MS_NODEV | MS_NOEXEC)
#define NAME_MAX_CG 64

int cgroup_subtree_line(const char *controllers, char *out, size_t size)
{
	size_t n = 0;
	const char *p = controllers;

	if (!size)
		return -ENOSPC;
	out[0] = '\0';
	for (;;) {
		size_t len;

		p += strspn(p, " \t\n");
		len = strcspn(p, " \t\n");
		if (!len)
			break;
		if (n + (n ? 1 : 0) + 1 + len + 1 > size)
			return -ENOSPC;
		if (n)
			out[n++] = ' ';
		out[n++] = '+';
		memcpy(out + n, p, len);
		n += len;
		out[n] = '\0';
		p += len;
	}
	return (int)n;
}

/* Splits one /proc/cgroups line into its whitespace-separated fields (at most 5, to
 * tell "four" from "more"). Returns how many. */
static int split_fields(const char *line, size_t len, const char *f[5], size_t flen[5])
{
	size_t i = 0;
	int n = 0;

	while (n < 5) {
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len)
			break;
		f[n] = line + i;
		while (i < len && line[i] != ' ' && line[i] != '\t')
			i++;
		flen[n] = (size_t)(line + i - f[n]);
		n++;
	}
	return n;
}

int cgroup_v1_next(const char **pos, char *name, size_t size)
{
	const char *line = *pos;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		const char *f[5];
		size_t flen[5];

		*pos = line + len + (nl ? 1 : 0);
		/* name hierarchy num_cgroups enabled */
		if (line[0] != '#' && split_fields(line, len, f, flen) == 4 && flen[3] == 1 &&
		    f[3][0] == '1' && flen[0] < size) {
			memcpy(name, f[0], flen[0]);
			name[flen[0]] = '\0';
			return 1;
		}
		line = *pos;
	}
	return 0;
}

static int write_text(const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd, rc = 0;
	ssize_t w;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	w = write(fd, text, len);
	if (w < 0)
		rc = -errno;
	else if ((size_t)w != len)
		rc = -EIO;
	close(fd);
	return rc;
}

static int setup_v2(int check_bpf)
{
	/* on the stack: the boot path allocates nothing (a longer list goes to the heap) */
	char buf[512], *ctl = NULL, line[512];
	size_t len;
	int rc, fd;

	if (mount("cgroup2", CGROUP_ROOT, "cgroup2", NSE, NULL) < 0)
		return -errno;
	if (check_bpf) {
		/* without BPF device control, v2 cannot confine containers' devices */
		fd = open(CGROUP_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		rc = fd < 0 ? -errno : sys_bpf_device_cgroup_probe(fd);
		if (fd >= 0)
			close(fd);
		if (rc) {
			umount(CGROUP_ROOT);
			return rc;
		}
	}
	rc = read_file_buf(CGROUP_ROOT "/cgroup.controllers", buf, sizeof(buf), &ctl, &len);
	if (rc) {
		errno = -rc;
		log_warn("cgroup v2: reading cgroup.controllers: %m");
		return 0;
	}
	rc = cgroup_subtree_line(ctl, line, sizeof(line));
	if (ctl != buf)
		free(ctl);
	if (rc > 0) {
		rc = write_text(CGROUP_ROOT "/cgroup.subtree_control", line);
		if (rc) {
			errno = -rc;
			log_warn("cgroup v2: enabling \"%s\": %m", line);
		}
	}
	return 0;
}

static int setup_v1(void)
{
	char *text = NULL, name[NAME_MAX_CG], path[sizeof(CGROUP_ROOT) + NAME_MAX_CG];
	const char *pos;
	size_t len;
	int rc, n = 0;

	if (mount("tmpfs", CGROUP_ROOT, "tmpfs", NSE, "mode=0755") < 0)
		return -errno;
	rc = read_whole_file("/proc/cgroups", &text, &len);
	if (rc)
		return rc;
	pos = text;
	while (cgroup_v1_next(&pos, name, sizeof(name))) {
		snprintf(path, sizeof(path), CGROUP_ROOT "/%s", name);
		if ((mkdir(path, 0755) < 0 && errno != EEXIST) ||
		    mount("cgroup", path, "cgroup", NSE, name) < 0) {
			log_warn("cgroup v1: %s: %m", path);
			continue;
		}
		n++;
	}
	free(text);
	return n ? 0 : -ENOENT;
}

enum cgroup_result cgroup_setup(enum plan_cgroup forced)
{
	int rc;

	if (forced != CGROUP_V1) {
		rc = setup_v2(forced != CGROUP_V2);
		if (!rc)
			return CGROUP_RESULT_V2;
		errno = -rc;
		log_info("cgroup v2 unusable (%m); trying v1");
	}
	rc = setup_v1();
	if (!rc)
		return CGROUP_RESULT_V1;
	errno = -rc;
	log_warn("cgroup v1: %m; no cgroups");
	return CGROUP_RESULT_NONE;
}

const char *cgroup_result_name(enum cgroup_result r)
{
	static const char *const names[] = { "none", "v1", "v2" };

	return names[r];
}
