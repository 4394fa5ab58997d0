/* uvmhost's AF_VSOCK seam. host/hostvsock.c is the only code of uvmhost that opens
 * AF_VSOCK, and is linked into the shipped builds only; the test build on the
 * development machine links tests/host/novsock.c instead, which opens nothing (the
 * machine's vsock belongs to its infrastructure). */
#ifndef UVMINIT_HOST_HOSTVSOCK_H
#define UVMINIT_HOST_HOSTVSOCK_H

#include <stdint.h>

/* A non-blocking, close-on-exec listener on port, any CID. Returns it or -errno. */
int hv_listen(uint32_t port);

/* Accepts one connection (non-blocking, close-on-exec) and reports its peer's CID.
 * Returns the socket or -errno. */
int hv_accept(int listener, uint32_t *peer_cid);

#endif
