/* AF_UNIX transport for test builds only: port P is the socket "PATH_P", PATH being
 * $UVMINIT_TEST_UDS: the hybrid-vsock convention of Firecracker and Cloud Hypervisor,
 * which uvmhost --uds PATH serves. Never linked into a shipped binary (vsock/build.mk). */
#include "transport.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "connect_bounded.h"

static int unix_addr(struct sockaddr_un *sa, uint32_t port)
{
	const char *path = getenv("UVMINIT_TEST_UDS");
	int n;

	if (!path || !*path)
		return -ENOENT;
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	n = snprintf(sa->sun_path, sizeof(sa->sun_path), "%s_%u", path, port);
	if (n < 0 || (size_t)n >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	return 0;
}

int transport_connect(uint32_t cid, uint32_t port, int timeout_ms)
{
	struct sockaddr_un sa;
	int rc = unix_addr(&sa, port);

	(void)cid;
	if (rc)
		return rc;
	return connect_bounded(AF_UNIX, (const struct sockaddr *)&sa, sizeof(sa), timeout_ms, 1);
}

int transport_connect_start(uint32_t cid, uint32_t port, int *pending)
{
	struct sockaddr_un sa;
	int rc = unix_addr(&sa, port);

	(void)cid;
	if (rc)
		return rc;
	return cb_start(AF_UNIX, (const struct sockaddr *)&sa, sizeof(sa), pending);
}
