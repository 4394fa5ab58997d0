/* uvminit: PID 1 of a utility VM. See docs/ARCHITECTURE.md. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "boot.h"
#include "dryrun.h"

int main(int argc, char **argv)
{
	/* PID 1 never returns from main (the kernel would panic): as PID 1 a
	 * "--dry-run" from the kernel command line is only an unknown option */
	if (argc > 1 && !strcmp(argv[1], "--dry-run") && getpid() != 1)
		return dry_run(argc - 1, argv + 1);
	if (getpid() != 1) {
		fputs("init: not PID 1; refusing to boot (use --dry-run to print the plan)\n",
		      stderr);
		return 2;
	}
	boot(argc, argv); /* never returns */
}
