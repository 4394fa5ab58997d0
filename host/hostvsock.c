#include "hostvsock.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/vm_sockets.h>

int hv_listen(uint32_t port)
{
	struct sockaddr_vm sa = {
		.svm_family = AF_VSOCK, .svm_cid = VMADDR_CID_ANY, .svm_port = port,
	};
	int fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 64)) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	return fd;
}

int hv_accept(int listener, uint32_t *peer_cid)
{
	struct sockaddr_vm sa = { 0 };
	socklen_t len = sizeof(sa);
	int fd;

	do
		fd = accept4(listener, (struct sockaddr *)&sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return -errno;
	*peer_cid = sa.svm_cid;
	return fd;
}
