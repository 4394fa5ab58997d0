/* The test build's stand-in for host/hostvsock.c: uvmhost --vsock fails to listen, and
 * nothing in the binary can open AF_VSOCK on the development machine. */
#include "hostvsock.h"

#include <errno.h>

int hv_listen(uint32_t port)
{
	(void)port;
	return -EAFNOSUPPORT;
}

int hv_accept(int listener, uint32_t *peer_cid)
{
	(void)listener;
	*peer_cid = 0;
	return -EAFNOSUPPORT;
}
