#include "mock_nl.h"

#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <stdlib.h>
#include <string.h>

struct nl_sock {
	int connected;
};

struct nl_msg {
	struct mock_nl_sent m;
};

int mock_nl_connect_rc, mock_nl_send_rc, mock_nl_ack_rc;
bool mock_nl_alloc_fail;
int mock_nl_sockets_alive, mock_nl_msgs_alive;
int mock_nl_connect_protocol;
struct mock_nl_sent mock_nl_sent[8];
int mock_nl_nsent;

void mock_nl_reset(void)
{
	mock_nl_connect_rc = mock_nl_send_rc = mock_nl_ack_rc = 0;
	mock_nl_alloc_fail = false;
	mock_nl_sockets_alive = mock_nl_msgs_alive = 0;
	mock_nl_connect_protocol = -1;
	memset(mock_nl_sent, 0, sizeof(mock_nl_sent));
	mock_nl_nsent = 0;
}

struct nl_sock *nl_socket_alloc(void)
{
	struct nl_sock *sk;

	if (mock_nl_alloc_fail)
		return NULL;
	sk = calloc(1, sizeof(*sk));
	if (sk)
		mock_nl_sockets_alive++;
	return sk;
}

void nl_socket_free(struct nl_sock *sk)
{
	if (sk)
		mock_nl_sockets_alive--;
	free(sk);
}

int nl_connect(struct nl_sock *sk, int protocol)
{
	mock_nl_connect_protocol = protocol;
	sk->connected = !mock_nl_connect_rc;
	return mock_nl_connect_rc;
}

struct nl_msg *nlmsg_alloc_simple(int type, int flags)
{
	struct nl_msg *msg;

	if (mock_nl_alloc_fail)
		return NULL;
	msg = calloc(1, sizeof(*msg));
	if (!msg)
		return NULL;
	msg->m.type = type;
	msg->m.flags = flags;
	mock_nl_msgs_alive++;
	return msg;
}

int nlmsg_append(struct nl_msg *msg, void *data, size_t len, int pad)
{
	(void)pad;
	if (msg->m.len + len > sizeof(msg->m.payload))
		return -NLE_NOMEM;
	memcpy(msg->m.payload + msg->m.len, data, len);
	msg->m.len += len;
	return 0;
}

void nlmsg_free(struct nl_msg *msg)
{
	if (msg)
		mock_nl_msgs_alive--;
	free(msg);
}

int nl_send_auto(struct nl_sock *sk, struct nl_msg *msg)
{
	if (!sk->connected)
		return -NLE_BAD_SOCK;
	if (mock_nl_send_rc)
		return mock_nl_send_rc;
	if (mock_nl_nsent < 8)
		mock_nl_sent[mock_nl_nsent++] = msg->m;
	return (int)msg->m.len + 16;
}

int nl_wait_for_ack(struct nl_sock *sk)
{
	(void)sk;
	return mock_nl_ack_rc;
}

const char *nl_geterror(int err)
{
	return err == -NLE_PERM ? "Operation not permitted" : "mock error";
}
