/* AF_VSOCK transport: the only one linked into shipped binaries. */
#include "transport.h"

#include <linux/vm_sockets.h>
#include <string.h>

#include "connect_bounded.h"

static void vsock_addr(struct sockaddr_vm *sa, uint32_t cid, uint32_t port)
{
	memset(sa, 0, sizeof(*sa));
	sa->svm_family = AF_VSOCK;
	sa->svm_cid = cid;
	sa->svm_port = port;
}

int transport_connect(uint32_t cid, uint32_t port, int timeout_ms)
{
	struct sockaddr_vm sa;

	vsock_addr(&sa, cid, port);
	return connect_bounded(AF_VSOCK, (const struct sockaddr *)&sa, sizeof(sa), timeout_ms, 0);
}

int transport_connect_start(uint32_t cid, uint32_t port, int *pending)
{
	struct sockaddr_vm sa;

	vsock_addr(&sa, cid, port);
	return cb_start(AF_VSOCK, (const struct sockaddr *)&sa, sizeof(sa), pending);
}
