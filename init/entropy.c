#include "entropy.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "sys.h"
#include "transport.h"

/* socket(AF_VSOCK) fails with EAFNOSUPPORT when the vsock core is neither built in nor
 * loaded: what to put in the module list (docs/image.md) */
#define NO_VSOCK                                                                          \
	"; no vsock in this kernel: list vsock.ko and the host's transport (virtio: "      \
	"vmw_vsock_virtio_transport_common.ko, vmw_vsock_virtio_transport.ko; Hyper-V: "  \
	"hv_sock.ko) in /etc/uvminit/modules, dependencies first"

static const char *connect_result(int err)
{
	if (err == -ETIMEDOUT)
		return "timeout";
	if (err == -ECONNREFUSED || err == -ECONNRESET || err == -ENODEV ||
	    err == -ENETUNREACH || err == -EHOSTUNREACH)
		return "refused";
	return "error";
}

/* Reads into buf until EOF, a full buf, or the deadline. What has arrived by then is
 * read even when the deadline passed while PID 1 was busy elsewhere (the cgroup step
 * runs between the connect and this read): only a wait that finds nothing times out.
 * Returns the result word and leaves the count in *got; *err holds the errno of an
 * "error". */
static const char *read_until(int fd, unsigned char *buf, uint32_t cap, int64_t deadline,
			      uint32_t *got, int *err)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	*got = 0;
	for (;;) {
		ssize_t r;
		int n;

		if (*got == cap)
			return "cap";
		/* the host has usually answered by now: read first (never blocking, whatever
		 * the socket's mode), wait only for more */
		r = recv(fd, buf + *got, cap - *got, MSG_DONTWAIT);
		if (r < 0 && errno == EAGAIN) {
			n = poll(&pfd, 1, clock_left_ms(deadline));
			if (n < 0 && errno != EINTR) {
				*err = errno;
				return "error";
			}
			if (n == 0)
				return "timeout";
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*err = errno;
			return "error";
		}
		if (r == 0)
			return "ok";
		*got += (uint32_t)r;
	}
}

void entropy_begin(struct entropy *e, uint32_t port, uint32_t timeout_ms)
{
	e->port = port;
	e->timeout_ms = timeout_ms;
	e->start = clock_ms();
	e->pending = 0;
	e->fd = -1;
	if (port)
		e->fd = transport_connect_start(HOST_CID, port, &e->pending);
}

/* where the host's bytes land, in place for RNDADDENTROPY: static, as PID 1's stack
 * never shrinks (one page touched for the usual 512 bytes) */
static struct entropy_pool pool;

void entropy_finish(struct entropy *e, struct entropy_result *out)
{
	int64_t deadline = e->start + e->timeout_ms;
	uint32_t got = 0, port = e->port;
	int fd = e->fd, rfd, err = 0, rc;

	out->bytes = 0;
	out->result = "none";
	out->info_due = 0;
	out->port = port;
	if (!port)
		return;
	e->fd = -1;
	rc = fd < 0 ? fd : e->pending ? transport_connect_wait(fd, deadline) : 0;
	if (rc) {
		if (fd >= 0)
			close(fd);
		out->result = connect_result(rc);
		errno = -rc;
		log_warn("entropy: port %u: connect: %m (%s)%s; 0 bytes credited", port,
			 out->result, rc == -EAFNOSUPPORT ? NO_VSOCK : "");
		return;
	}
	out->result = read_until(fd, pool.bytes, ENTROPY_CAP, deadline, &got, &err);
	close(fd);
	if (got) {
		rfd = open(ENTROPY_DEVICE, O_WRONLY | O_CLOEXEC);
		rc = rfd < 0 ? -errno : sys_add_entropy(rfd, &pool, got);
		if (rfd >= 0)
			close(rfd);
		if (rc) {
			errno = -rc;
			log_warn("entropy: port %u: %u bytes received, crediting them: %m", port,
				 got);
			out->result = "error";
			return;
		}
	}
	out->bytes = got;
	errno = err;
	if (err)
		log_warn("entropy: port %u: read: %m; %u bytes credited", port, got);
	else if (got && (out->result[0] == 'o' || out->result[0] == 'c')) {
		out->info_due = 1;
		out->ms = (int)(clock_ms() - e->start);
	} else
		log_warn("entropy: port %u: %s after %d ms, %u bytes credited", port,
			 out->result, (int)(clock_ms() - e->start), got);
}

void entropy_log_info(struct entropy_result *r)
{
	if (!r->info_due)
		return;
	r->info_due = 0;
	log_info("entropy: port %u: %s, %u bytes credited in %d ms", r->port, r->result,
		 r->bytes, r->ms);
}

void entropy_seed(uint32_t port, uint32_t timeout_ms, struct entropy_result *out)
{
	struct entropy e;

	entropy_begin(&e, port, timeout_ms);
	entropy_finish(&e, out);
	entropy_log_info(out);
}
