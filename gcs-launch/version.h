/* The project's version, shown by init, vsockexec and uvmctl --version. Override with
 * -DUVMINIT_VERSION=... */
#ifndef UVMINIT_VERSION_H
#define UVMINIT_VERSION_H

#ifndef UVMINIT_VERSION
#define UVMINIT_VERSION "0.1"
#endif

#endif
