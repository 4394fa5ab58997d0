#include "bootcon.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "job.h"
#include "log.h"
#include "readfile.h"

#define MARK "uvminit: " BOOTCON_TAG "clock"

/* the decimal at *p, moving p past it; -1 when there is none */
static int64_t take_num(const char **p, const char *end)
{
	int64_t v = 0;
	const char *s = *p;

	while (*p < end && **p >= '0' && **p <= '9' && v < INT64_MAX / 10)
		v = v * 10 + (*(*p)++ - '0');
	return *p > s ? v : -1;
}

int kmsg_times_record(struct kmsg_times *t, const char *rec, size_t n)
{
	const char *p = rec, *end = rec + n, *msg, *nl;
	static const char run[] = "Run ", as_init[] = " as init process";
	int64_t ts;
	size_t len;

	/* PRI,SEQ,TS */
	for (int field = 0; field < 2; field++) {
		if (take_num(&p, end) < 0 || p >= end || *p++ != ',')
			return 0;
	}
	ts = take_num(&p, end);
	msg = memchr(rec, ';', n);
	if (ts < 0 || !msg)
		return 0;
	msg++;
	nl = memchr(msg, '\n', (size_t)(end - msg));
	len = (size_t)((nl ? nl : end) - msg);
	if (len >= sizeof(MARK) - 1 && !memcmp(msg, MARK, sizeof(MARK) - 1)) {
		t->mark_us = ts;
		return 1;
	}
	if (len > sizeof(run) - 1 + sizeof(as_init) - 1 && !memcmp(msg, run, sizeof(run) - 1) &&
	    memmem(msg, len, as_init, sizeof(as_init) - 1))
		t->exec_us = ts;
	return 0;
}

int bootrec_log(const struct bootrec *r)
{
	const char *p = r->buf, *end = r->buf + (r->buf ? r->len : 0);
	int lines = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);

		log_msg(LOG_NOTICE, BOOTCON_TAG "%.*s", (int)len, p);
		lines++;
		p += len + 1;
	}
	return lines;
}

/* Reads kmsg up to the mark (a flood after it is never chased). */
static void kmsg_scan(struct kmsg_times *t)
{
	char rec[1024];
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return;
	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec));

		if (n < 0 && (errno == EPIPE || errno == EINTR))
			continue; /* EPIPE: records overwritten; the next is there */
		if (n <= 0 || kmsg_times_record(t, rec, (size_t)n))
			break;
	}
	close(fd);
}

/* the kernel command line, for the title of the picture (a console line keeps its
 * first 500 bytes or so: the logger's line; a longer file is cut at the buffer) */
static void record_cmdline(struct bootrec *r)
{
	char buf[4096];
	size_t n;
	int rc = read_file_into("/proc/cmdline", buf, sizeof(buf), &n);

	if (rc && rc != -EFBIG)
		return;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	if (!n)
		return;
	buf[n] = '\0';
	bootrec_str(r, "cmdline", buf);
}

void bootcon_write(struct bootrec *r, int64_t t0, int64_t agent_us)
{
	struct kmsg_times kt = { -1, -1 };
	int64_t mono;

	bootrec_num(r, "cpus", cpus_usable());
	bootrec_num(r, "agent_us", agent_us - t0);
	record_cmdline(r);
	log_msg(LOG_NOTICE, BOOTCON_TAG "begin");
	/* the clocks tied by one kmsg line (no console write inside the span, the
	 * formatting code already run once): its kernel time against the monotonic clock
	 * halfway through its write */
	mono = clock_us();
	log_msg(LOG_INFO, BOOTCON_TAG "clock");
	mono = (mono + clock_us()) / 2;
	kmsg_scan(&kt);
	if (kt.exec_us >= 0)
		bootrec_num(r, "kmsg_exec_us", kt.exec_us);
	if (kt.mark_us >= 0)
		bootrec_num(r, "kmsg_mono_us", kt.mark_us - mono);
	log_msg(LOG_NOTICE, BOOTCON_TAG "end lines=%d", bootrec_log(r));
}
