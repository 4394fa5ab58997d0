#ifndef UVMINIT_VSOCK_VXLOG_H
#define UVMINIT_VSOCK_VXLOG_H

/* One line "vsockexec: ..." on stderr; keeps errno. */
__attribute__((format(printf, 1, 2)))
void vx_warn(const char *fmt, ...);

#endif
