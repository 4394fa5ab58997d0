/* Private to transport_*.c: the bounded non-blocking connect both transports share,
 * linked beside whichever transport a binary uses. */
#ifndef UVMINIT_CONNECT_BOUNDED_H
#define UVMINIT_CONNECT_BOUNDED_H

#include <sys/socket.h>

/* One connect attempt on a new non-blocking, close-on-exec socket. Returns the socket
 * (connected, or with *pending set when the connect is under way) or -errno, never
 * leaking. */
int cb_start(int domain, const struct sockaddr *sa, socklen_t salen, int *pending);

/* Connects within timeout_ms (< 0: no deadline) and returns a blocking socket, or
 * -errno (-ETIMEDOUT at the deadline). retry_eagain: AF_UNIX answers EAGAIN at once when
 * the listener's backlog is full; retry every 10 ms until the deadline, as a vsock
 * connect would wait for an answer. */
int connect_bounded(int domain, const struct sockaddr *sa, socklen_t salen, int timeout_ms,
		    int retry_eagain);

#endif
