/* The one logger of init: levelled, format-checked, errno-preserving.
 * Every line goes to /dev/kmsg as "uvminit: ..."; warnings and errors also reach the
 * console (fd 2), once: init writes them there only when the kernel's console_loglevel
 * would not echo them (quiet); before /proc is mounted it counts on the kernel's
 * default level (7, both echoed). Info lines go to kmsg only: init never writes them
 * to the console itself (each console line costs about 1 ms under TCG); the kernel
 * copies them there when its console_loglevel is above 6 (not under quiet). */
#ifndef UVMINIT_LOG_H
#define UVMINIT_LOG_H

/* LOG_NOTICE: the boot record's console lines (bootcon.h): on the console once, as a
 * warning is, but untagged, and dropped from the console (kmsg still has them) once a
 * console line has come back short. */
enum log_level { LOG_ERR = 3, LOG_WARN = 4, LOG_NOTICE = 5, LOG_INFO = 6 };

/* From now on lines go to /dev/kmsg, opened at the first line (tried again at each
 * line until it opens: /dev may not be mounted yet), and the console_loglevel is read
 * at the next warning (again at each until /proc is mounted); without kmsg, lines go
 * to the console only. Opens and reads nothing itself. Calls log_console_own. */
void log_open(void);
/* Once /proc is mounted: console lines go through a non-blocking open of what fd 2 is,
 * each waiting at most 250 ms for room, so a stopped or congested console cannot hold
 * PID 1 (a line cut short is still whole in kmsg). */
void log_console_own(void);
/* Opens /dev/kmsg afresh if log_open opened it: a new open has its own allowance of
 * the kernel's rate limit (a forked child calls it so its lines do not count against
 * its parent's). */
void log_reopen(void);
/* Uses these fds instead (tests); -1 disables that sink. Assumes no kernel echo. */
void log_set_fds(int kmsg_fd, int console_fd);
/* Tests: the kernel echoes kmsg lines of a level below this to the console. */
void log_set_echo_below(int level);
__attribute__((format(printf, 2, 3))) void log_msg(enum log_level level, const char *fmt, ...);

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)

#endif
