/* One line on the console, "PREFIX text\n", in a single write (so lines of the guest's
 * test programs never interleave mid-line). Shared by testinit and testhost. */
#ifndef UVMINIT_GUEST_SAY_H
#define UVMINIT_GUEST_SAY_H

__attribute__((format(printf, 2, 3))) void say(const char *prefix, const char *fmt, ...);

#endif
