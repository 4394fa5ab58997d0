/* libFuzzer target for vsockexec's option parser (vsock/args.c): the input is split at
 * NUL bytes into argv. Checks the parser's promises: it returns 0 or -EINVAL, a usage
 * error has a one-line message, and an accepted command names a program inside argv
 * with every port in 1..4294967294 (or 0 for "inherited"). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *argv[65];
	struct vx_args a;
	int argc = 1, rc, i;
	size_t off = 0;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = 0;
	argv[0] = "vsockexec";
	while (off <= size && argc < 64) {
		argv[argc++] = copy + off;
		off += strlen(copy + off) + 1;
	}
	argv[argc] = NULL;
	rc = vx_parse(&a, argc, argv);
	if (rc == -EINVAL) {
		if (!a.err[0] || strchr(a.err, '\n'))
			abort();
	} else if (rc != 0) {
		abort();
	} else if (a.action == VX_RUN) {
		if (a.prog < 1 || a.prog >= argc || a.timeout_ms > VX_TIMEOUT_MS_MAX ||
		    a.cid > 4294967294u)
			abort();
		for (i = 0; i < 3; i++)
			if (a.port[i] > PORT_MAX)
				abort();
	}
	free(copy);
	return 0;
}
