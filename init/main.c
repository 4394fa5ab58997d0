/* uvminit: PID 1 of a utility VM. See docs/ARCHITECTURE.md. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "boot.h"
#include "dryrun.h"
#include "plan.h"
#include "version.h"

/* a macro, so printf's format is checked */
#define USAGE_FMT \
	"usage: init [-e PORT] [-w] [-d SHELL] [--] [COMMAND [ARGS...]]   (as PID 1)\n" \
	"       init --dry-run [--check] [--cmdline TEXT | --cmdline-file FILE] [--] [INIT-ARGS...]\n" \
	"       init --help | --version\n" \
	"  -e PORT   read boot entropy from the host (CID 2) on this vsock port\n" \
	"  -w        writable tmpfs overlays on /etc and /var (refused in direct mode)\n" \
	"  -d SHELL  also start SHELL on the console\n" \
	"  --check   with --dry-run: exit 1 when the plan has an error= line\n" \
	"  COMMAND   the agent; default: /bin/gcs -loglevel debug -logfile=/run/gcs/gcs.log\n" \
	"Kernel parameters (before the first standalone --; the last one wins):\n" \
	"  uvminit.migratable=BOOL         absent: run COMMAND as given; true: the agent\n" \
	"                                  directly; false: under vsockexec; invalid: direct\n" \
	"  uvminit.log_port=PORT           the port of a wrapper init adds (default %u)\n" \
	"  uvminit.cgroup=v1|v2            force a cgroup version (alias hcsshim.cgroup)\n" \
	"  uvminit.entropy_timeout_ms=MS   deadline of the -e step, 0..%u (default %u)\n" \
	"  uvminit.bootrec=console         the boot record on the console once the agent runs\n"

int main(int argc, char **argv)
{
	/* PID 1 never returns from main (the kernel would panic): as PID 1 these words
	 * from the kernel command line are only unknown options */
	if (argc > 1 && getpid() != 1) {
		if (!strcmp(argv[1], "--dry-run"))
			return dry_run(argc - 1, argv + 1);
		if (!strcmp(argv[1], "--help")) {
			printf(USAGE_FMT, PLAN_LOG_PORT_DEFAULT, PLAN_ENTROPY_TIMEOUT_MS_MAX,
			       PLAN_ENTROPY_TIMEOUT_MS_DEFAULT);
			return 0;
		}
		if (!strcmp(argv[1], "--version")) {
			fputs("init (uvminit) " UVMINIT_VERSION "\n", stdout);
			return 0;
		}
	}
	if (getpid() != 1) {
		fputs("init: not PID 1; refusing to boot (use --dry-run to print the plan, "
		      "--help for usage)\n",
		      stderr);
		return 2;
	}
	boot(argc, argv); /* never returns */
}
