#ifndef UVMINIT_BOOT_H
#define UVMINIT_BOOT_H

/* The PID 1 path: set the guest up, launch the planned command, live forever. */
__attribute__((noreturn)) void boot(int argc, char **argv);

#endif
