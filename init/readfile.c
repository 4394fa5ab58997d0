#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

int read_file_max(const char *path, size_t max, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = NULL, *nb;
	ssize_t r;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (!buf || n + 1 >= cap) {
			if (buf)
				cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				err = -ENOMEM;
				goto out_free;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = -errno;
			goto out_free;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			err = -EFBIG;
			goto out_free;
		}
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	goto out_close;
out_free:
	free(buf);
out_close:
	close(fd);
	return err;
}

int read_whole_file(const char *path, char **out, size_t *len)
{
	return read_file_max(path, SIZE_MAX, out, len);
}
