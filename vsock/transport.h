/* The host transport seam. The shipped binaries speak AF_VSOCK only
 * (transport_vsock.c); test builds link transport_unix.c instead, which speaks
 * AF_UNIX. No flag or environment variable of a shipped binary switches it. */
#ifndef UVMINIT_TRANSPORT_H
#define UVMINIT_TRANSPORT_H

#include <stdint.h>

#define HOST_CID 2u

/* Connects to (cid, port) within timeout_ms (<0: the default of the caller's choice is
 * not applied here; 0: one non-blocking attempt). Returns a connected, blocking,
 * O_CLOEXEC socket, or -errno (-ETIMEDOUT when the deadline passed). Never leaks. */
int transport_connect(uint32_t cid, uint32_t port, int timeout_ms);

#endif
