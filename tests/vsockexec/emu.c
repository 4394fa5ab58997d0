/* emu: runs a guest-architecture program under a user-mode emulator for vxtest.
 *   emu EMULATOR PROGRAM [ARGS...]
 * qemu-user keeps host signals 32 and 33 for its own libc: a SIG_IGN inherited on them
 * (make starts its commands so) would reach the program vsockexec runs whatever the
 * guest's vsockexec resets, so they go back to SIG_DFL here, and only they. Everything
 * else (vxtest's blocked and ignored signals included) passes through. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ksig.h"

int main(int argc, char **argv)
{
	struct ksigaction dfl = { .handler = SIG_DFL };

	if (argc < 3) {
		fputs("usage: emu EMULATOR PROGRAM [ARGS...]\n", stderr);
		return 100;
	}
	for (int sig = 32; sig <= 33; sig++)
		syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(dfl.mask));
	execvp(argv[1], argv + 1);
	fprintf(stderr, "emu: exec %s: %s\n", argv[1], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
