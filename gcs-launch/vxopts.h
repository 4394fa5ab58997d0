/* vsockexec's option table: the one fact its parser (vsock/args.c) and the planner
 * (plan.c, which strips or recognises a wrapper) share. Options end at "--" or at the
 * first word that is not an option; flags may be grouped ("-re 109"); a value is
 * attached ("-e109") or the next word; long options (--help, --version) take none. */
#ifndef UVMINIT_VXOPTS_H
#define UVMINIT_VXOPTS_H

#define VX_VALUE_OPTS "ioetcw" /* -i -o -e PORT, -t MS, -c CID, -w MS */
#define VX_FLAG_OPTS "rhV"     /* -r relay, -h help, -V version */

#endif
