#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int read_file_into(const char *path, char *buf, size_t cap, size_t *len)
{
	size_t n = 0;
	ssize_t r;
	int fd, err = 0;

	*len = 0;
	if (!cap)
		return -EFBIG;
	buf[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (n + 1 == cap) {
			char probe;

			/* full: one more byte says whether the file goes on */
			do
				r = read(fd, &probe, 1);
			while (r < 0 && errno == EINTR);
			err = r < 0 ? -errno : r ? -EFBIG : 0;
			break;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			err = r < 0 ? -errno : 0;
			break;
		}
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return err;
}

int read_file_buf(const char *path, char *buf, size_t cap, char **out, size_t *len)
{
	int rc = read_file_into(path, buf, cap, len);

	*out = buf;
	if (rc != -EFBIG)
		return rc;
	*out = NULL;
	return read_whole_file(path, out, len);
}

int read_whole_file(const char *path, char **out, size_t *len)
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
