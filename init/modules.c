#include "modules.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "readfile.h"
#include "sys.h"

static char *trim(char *s)
{
	char *end;

	s += strspn(s, " \t\r");
	end = s + strlen(s);
	while (end > s && strchr(" \t\r", end[-1]))
		*--end = '\0';
	return s;
}

/* /sys/module/NAME exists once NAME is loaded (or built in); finit_module would find
 * that out only after reading and verifying the whole file (milliseconds under TCG).
 * Without /sys mounted, EEXIST tells, the slow way. */
static int loaded_already(const char *path)
{
	char sys[128] = "/sys/module/";
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strlen(base), off = strlen(sys);
	struct stat st;

	if (n > 3 && !strcmp(base + n - 3, ".ko"))
		n -= 3;
	if (!n || off + n >= sizeof(sys))
		return 0;
	for (size_t i = 0; i < n; i++)
		sys[off + i] = base[i] == '-' ? '_' : base[i];
	sys[off + n] = '\0';
	return stat(sys, &st) == 0;
}

int module_load_file(const char *path)
{
	int fd, rc;

	if (loaded_already(path))
		return -EEXIST;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = sys_finit_module(fd, "");
	close(fd);
	return rc;
}

/* The next module path of the list (strtok_r over text, state in *save): absolute
 * paths only, blank lines and comments skipped; NULL at the end. *save starts at the
 * text: musl's strtok_r sets it to NULL after a last line with no newline, where
 * glibc's leaves it at the end (restarting from the text on NULL looped forever). */
static char *next_path(char **save, int warn)
{
	char *line;

	while ((line = strtok_r(NULL, "\n", save))) {
		char *path = trim(line);

		if (!*path || *path == '#')
			continue;
		if (*path == '/')
			return path;
		if (warn)
			log_warn("%s: %s: not an absolute path; skipped", MODULES_LIST, path);
	}
	return NULL;
}

int modules_load_text(char *text)
{
	char *path, *save = text;
	int loaded = 0;

	while ((path = next_path(&save, 1))) {
		int rc = module_load_file(path);

		errno = -rc;
		if (!rc)
			loaded++;
		else if (rc != -EEXIST)
			log_warn("module %s: %m", path);
	}
	return loaded;
}

int modules_scan_buf(const char *path, char *buf, size_t cap, int *present)
{
	char *text, *mod, *save = NULL;
	size_t len;
	int listed = 0;

	*present = 0;
	if (read_file_buf(path, buf, cap, &text, &len))
		return 0; /* absent or unreadable: modules_load says which */
	save = text;
	while ((mod = next_path(&save, 0))) {
		listed++;
		*present += loaded_already(mod);
	}
	if (text != buf)
		free(text);
	return listed;
}

int modules_scan(const char *path, int *present)
{
	return modules_scan_buf(path, NULL, 0, present);
}

int modules_load(const char *path)
{
	char *text;
	size_t len;
	int rc;

	rc = read_whole_file(path, &text, &len);
	if (rc == -ENOENT)
		return 0;
	if (rc) {
		errno = -rc;
		log_warn("%s: %m", path);
		return 0;
	}
	rc = modules_load_text(text);
	free(text);
	return rc;
}
