/* The host transport seam. The shipped binaries speak AF_VSOCK only
 * (transport_vsock.c); test builds link transport_unix.c instead, which speaks
 * AF_UNIX. No flag or environment variable of a shipped binary switches it. */
#ifndef UVMINIT_TRANSPORT_H
#define UVMINIT_TRANSPORT_H

#include <stdint.h>

#define HOST_CID 2u

/* Connects to (cid, port) within timeout_ms: < 0 waits without a deadline, 0 makes
 * one non-blocking attempt, > 0 bounds the whole call (CLOCK_MONOTONIC, EINTR-safe).
 * Returns a connected, blocking, O_CLOEXEC socket, or -errno (-ETIMEDOUT when the
 * deadline passed). The socket is closed on every failure path: never leaks.
 *
 * transport_unix.c (test builds only) ignores cid and connects to the AF_UNIX path
 * "$UVMINIT_TEST_UDS" + "_PORT" (hybrid vsock, as uvmhost --uds serves it); a listener whose backlog is full is retried until
 * the deadline, as a vsock connect to a host that never answers would wait. */
int transport_connect(uint32_t cid, uint32_t port, int timeout_ms);

/* The same connect without waiting, for event loops. Returns a non-blocking O_CLOEXEC
 * socket whose connect is under way (*pending set: wait for POLLOUT, then
 * transport_connect_result) or already done, or -errno (the socket closed). On AF_UNIX
 * a full backlog is -EAGAIN here: the caller retries later. */
int transport_connect_start(uint32_t cid, uint32_t port, int *pending);
/* Waits until the connect under way on fd finishes, at most until deadline (ms of
 * CLOCK_MONOTONIC; < 0: none). Returns 0 or -errno (-ETIMEDOUT); the caller closes fd. */
int transport_connect_wait(int fd, int64_t deadline);
/* 0 when the connect started on fd succeeded, else -errno (the caller closes fd). */
int transport_connect_result(int fd);

#endif
