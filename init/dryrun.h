#ifndef UVMINIT_DRYRUN_H
#define UVMINIT_DRYRUN_H

/* init --dry-run [--check] [--cmdline TEXT | --cmdline-file FILE] [--] [INIT-ARGS...]
 * argv[0] is "--dry-run". Returns the exit status: 0; 1 with --check when the plan has
 * an error= line (or when it could not be printed); 2 on a usage error. */
int dry_run(int argc, char **argv);

#endif
