#include "boot.h"

#include <sys/reboot.h>
#include <unistd.h>

/* Placeholder until the runtime lands (issue 3): power off at once. */
void boot(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (;;) {
		sync();
		reboot(RB_POWER_OFF);
	}
}
