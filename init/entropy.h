/* Boot entropy from the host: read (CID 2, port) until EOF, a byte cap or a deadline,
 * credit what arrived with RNDADDENTROPY, and log one line saying what happened. */
#ifndef UVMINIT_ENTROPY_H
#define UVMINIT_ENTROPY_H

#include <stdint.h>

#define ENTROPY_CAP 4096
#define ENTROPY_DEVICE "/dev/random"

struct entropy_result {
	uint32_t bytes;     /* credited */
	const char *result; /* ok, none, timeout, refused, cap, error */
};

/* port 0: nothing to do ("none"). Never fails the boot; bounded by timeout_ms. */
void entropy_seed(uint32_t port, uint32_t timeout_ms, struct entropy_result *out);

#endif
