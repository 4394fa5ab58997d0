#ifndef UVMINIT_DRYRUN_H
#define UVMINIT_DRYRUN_H

/* init --dry-run [--cmdline TEXT | --cmdline-file FILE] [--] [INIT-ARGS...]
 * argv[0] is "--dry-run". Returns the exit status: 0, or 2 on a usage error. */
int dry_run(int argc, char **argv);

#endif
