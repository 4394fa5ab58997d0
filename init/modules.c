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
 * At boot the loader starts before /sys is mounted, so there EEXIST tells. */
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

int modules_load_text(char *text)
{
	char *line, *save = NULL;
	int loaded = 0;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *path = trim(line);
		int rc;

		if (!*path || *path == '#')
			continue;
		if (*path != '/') {
			log_warn("%s: %s: not an absolute path; skipped", MODULES_LIST, path);
			continue;
		}
		rc = module_load_file(path);
		errno = -rc;
		if (!rc)
			loaded++;
		else if (rc == -EEXIST)
			log_info("module %s: already loaded", path);
		else
			log_warn("module %s: %m", path);
	}
	return loaded;
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
