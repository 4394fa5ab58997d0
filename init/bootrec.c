#include "bootrec.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "escape.h"
#include "parse.h"

void bootrec_init(struct bootrec *r, char *buf, size_t cap)
{
	*r = (struct bootrec){ .buf = buf, .cap = cap };
}

static int reserve(struct bootrec *r, size_t more)
{
	size_t cap = r->cap ? r->cap : 1024;
	char *nb;

	if (r->len + more <= r->cap)
		return 0;
	while (cap < r->len + more)
		cap *= 2;
	nb = realloc(r->heap ? r->buf : NULL, cap);
	if (!nb)
		return -ENOMEM;
	if (!r->heap && r->len)
		memcpy(nb, r->buf, r->len);
	r->buf = nb;
	r->cap = cap;
	r->heap = 1;
	return 0;
}

void bootrec_str(struct bootrec *r, const char *key, const char *value)
{
	size_t klen = strlen(key), elen = escape_value(NULL, 0, value);

	if (r->failed)
		return;
	if (reserve(r, klen + elen + 3)) {
		r->failed = 1;
		return;
	}
	memcpy(r->buf + r->len, key, klen);
	r->len += klen;
	r->buf[r->len++] = '=';
	escape_value(r->buf + r->len, elen + 1, value);
	r->len += elen;
	r->buf[r->len++] = '\n';
}

void bootrec_num(struct bootrec *r, const char *key, long long value)
{
	char num[FORMAT_DECIMAL_MAX];

	format_decimal(num, value);
	bootrec_str(r, key, num);
}

int bootrec_save(const struct bootrec *r, const char *path)
{
	size_t off = 0;
	int fd, rc = 0;

	if (r->failed)
		return -ENOMEM;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
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
	return rc;
}

int bootrec_write(struct bootrec *r, const char *path)
{
	int rc = bootrec_save(r, path);

	bootrec_free(r);
	return rc;
}

void bootrec_free(struct bootrec *r)
{
	if (r->heap)
		free(r->buf);
	*r = (struct bootrec){ 0 };
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
	const long long nums[] = { p->pid, p->start_us - t0, p->end_us - t0, p->cpu_us };
	char line[PHASE_NAME_MAX + sizeof(nums) / sizeof(nums[0]) * FORMAT_DECIMAL_MAX];
	size_t len = strnlen(p->name, PHASE_NAME_MAX);

	memcpy(line, p->name, len);
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		line[len++] = ' ';
		len += format_decimal(line + len, nums[i]);
	}
	line[len] = '\0';
	bootrec_str(r, "phase", line);
}
