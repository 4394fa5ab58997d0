/* The kernel's struct sigaction on x86_64 and the generic ABI (aarch64, riscv), for
 * rt_sigaction called directly: libc refuses the signals it keeps for itself (musl
 * 32-34), and an inherited SIG_IGN there would survive exec. SIG_DFL needs no
 * restorer. */
#ifndef UVMINIT_KSIG_H
#define UVMINIT_KSIG_H

#include <stdint.h>

struct ksigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

#endif
