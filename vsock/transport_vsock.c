/* AF_VSOCK transport: the only one linked into shipped binaries. */
#include "transport.h"
#include "connect_bounded.h"

#include <linux/vm_sockets.h>
#include <string.h>

int transport_connect(uint32_t cid, uint32_t port, int timeout_ms)
{
	struct sockaddr_vm sa;

	memset(&sa, 0, sizeof(sa));
	sa.svm_family = AF_VSOCK;
	sa.svm_cid = cid;
	sa.svm_port = port;
	return connect_bounded(AF_VSOCK, (const struct sockaddr *)&sa, sizeof(sa), timeout_ms, 0);
}
