#include "bootrec.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "escape.h"

static int reserve(struct bootrec *r, size_t more)
{
	size_t cap = r->cap ? r->cap : 1024;
	char *nb;

	if (r->len + more <= r->cap)
		return 0;
	while (cap < r->len + more)
		cap *= 2;
	nb = realloc(r->buf, cap);
	if (!nb)
		return -ENOMEM;
	r->buf = nb;
	r->cap = cap;
	return 0;
}

void bootrec_add(struct bootrec *r, const char *key, const char *fmt, ...)
{
	size_t klen = strlen(key), elen;
	char *value = NULL;
	va_list ap;
	int n;

	if (r->failed)
		return;
	va_start(ap, fmt);
	n = vasprintf(&value, fmt, ap);
	va_end(ap);
	/* one value per line: escaped as the dry run escapes it */
	elen = n < 0 ? 0 : escape_value(NULL, 0, value);
	if (n < 0 || reserve(r, klen + elen + 3)) {
		r->failed = 1;
		goto out;
	}
	memcpy(r->buf + r->len, key, klen);
	r->len += klen;
	r->buf[r->len++] = '=';
	escape_value(r->buf + r->len, elen + 1, value);
	r->len += elen;
	r->buf[r->len++] = '\n';
out:
	if (n >= 0)
		free(value);
}

int bootrec_write(struct bootrec *r, const char *path)
{
	size_t off = 0;
	int fd, rc = 0;

	if (r->failed) {
		rc = -ENOMEM;
		goto out_free;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = -errno;
		goto out_free;
	}
	while (off < r->len) {
		ssize_t w = write(fd, r->buf + off, r->len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			rc = -errno;
			break;
		}
		off += (size_t)w;
	}
	close(fd);
out_free:
	bootrec_free(r);
	return rc;
}

void bootrec_free(struct bootrec *r)
{
	free(r->buf);
	r->buf = NULL;
	r->len = r->cap = 0;
}

void phase_begin(struct phase *p, const char *name)
{
	p->name = name;
	p->pid = (int)getpid();
	p->cpu_us = clock_cpu_us();
	p->start_us = clock_us();
}

void phase_end(struct phase *p)
{
	p->end_us = clock_us();
	p->cpu_us = clock_cpu_us() - p->cpu_us;
}

void bootrec_phase(struct bootrec *r, int64_t t0, const struct phase *p)
{
	bootrec_add(r, "phase", "%s %d %lld %lld %lld", p->name, p->pid,
		    (long long)(p->start_us - t0), (long long)(p->end_us - t0),
		    (long long)p->cpu_us);
}
