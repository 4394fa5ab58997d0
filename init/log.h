/* The one logger of init: levelled, format-checked, errno-preserving.
 * Every line goes to /dev/kmsg as "uvminit: ..."; warnings and errors also go to the
 * console (fd 2), because each console line costs about 1 ms under TCG. */
#ifndef UVMINIT_LOG_H
#define UVMINIT_LOG_H

enum log_level { LOG_ERR = 3, LOG_WARN = 4, LOG_INFO = 6 };

/* Opens /dev/kmsg (after /dev is mounted); without it, lines go to the console only. */
void log_open(void);
/* Uses these fds instead (tests); -1 disables that sink. */
void log_set_fds(int kmsg_fd, int console_fd);
__attribute__((format(printf, 2, 3))) void log_msg(enum log_level level, const char *fmt, ...);

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)

#endif
