/* A stand-in for libnl-3 core, linked instead of the library into init's net test:
 * it records what init sends and answers as told. */
#ifndef UVMINIT_TEST_MOCK_NL_H
#define UVMINIT_TEST_MOCK_NL_H

#include <stdbool.h>
#include <stddef.h>

struct mock_nl_sent {
	int type, flags;
	unsigned char payload[64];
	size_t len;
};

extern int mock_nl_connect_rc, mock_nl_send_rc, mock_nl_ack_rc;
extern bool mock_nl_alloc_fail;
extern int mock_nl_sockets_alive, mock_nl_msgs_alive; /* leaks show here */
extern int mock_nl_connect_protocol;
extern struct mock_nl_sent mock_nl_sent[8];
extern int mock_nl_nsent;

void mock_nl_reset(void);

#endif
